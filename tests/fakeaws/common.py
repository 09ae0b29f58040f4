"""Shared data model and error type of the fakeaws emulator.

Every service module (logs.py, cloudwatch.py, insights.py, livetail.py,
sts.py) exports OPS = {"OperationName": handler}. A handler is
handler(store, params, call) -> dict (the JSON result) or a Streaming, and
raises AwsError for an AWS error. server.py owns the wire: signature
checks, protocol encoding (JSON 1.0/1.1, query-compatible headers, XML
for STS), faults and quotas. Handlers never see HTTP.
"""

import json
import threading
import time

ACCOUNT = "123456789012"


class AwsError(Exception):
    """An AWS error answer: code, message, HTTP status, fault side."""

    def __init__(self, code, message, status=400, sender=True):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.sender = sender


def invalid(message):
    return AwsError("InvalidParameterException", message)


class ModelChecks:
    """Collects violations of the API model's constraints and words them
    as AWS does: "N validation errors detected: Value 'x' at 'member'
    failed to satisfy constraint: Member must ...". The services add
    their own checks on top."""

    def __init__(self):
        self.errors = []

    @staticmethod
    def shown(value):
        if value is None:
            return "null"
        if isinstance(value, list):
            return "'[%s]'" % ", ".join(str(v) for v in value)
        if isinstance(value, dict):
            return "'%s'" % json.dumps(value)
        return "'%s'" % (value,)

    def add(self, value, path, constraint):
        self.errors.append("Value %s at '%s' failed to satisfy constraint: "
                           "%s" % (self.shown(value), path, constraint))

    def message(self):
        n = len(self.errors)
        return "%d validation error%s detected: %s" % (
            n, "" if n == 1 else "s", "; ".join(self.errors))


class Streaming:
    """A streamed response body (Live Tail): the server writes each bytes
    chunk of `chunks` as it is produced, with chunked transfer encoding.
    A stream fault acts on chunk number fault_at (from 0)."""

    def __init__(self, content_type, chunks, fault_at=1):
        self.content_type = content_type
        self.chunks = chunks
        self.fault_at = fault_at


class Call:
    """What a handler may know about the request."""

    def __init__(self, region, service, access_key, op, headers):
        self.region = region
        self.service = service
        self.access_key = access_key
        self.op = op
        self.headers = headers

    # set by the server for this request only: "empty" asks FilterLogEvents
    # for an empty page that still carries a nextToken (a fault)
    fault = None


class Event:
    __slots__ = ("timestamp", "ingestion_time", "message", "event_id",
                 "stream", "group")

    def __init__(self, timestamp, ingestion_time, message, event_id,
                 stream, group):
        self.timestamp = timestamp
        self.ingestion_time = ingestion_time
        self.message = message
        self.event_id = event_id
        self.stream = stream
        self.group = group


class LogStream:
    def __init__(self, name, created_ms):
        self.name = name
        self.created = created_ms
        self.events = []            # Event, sorted by (timestamp, event_id)
        self.stored_bytes = 0


class LogGroup:
    def __init__(self, name, created_ms, region):
        self.name = name
        self.created = created_ms
        self.retention = None        # days or None
        self.arn = "arn:aws:logs:%s:%s:log-group:%s" % (region, ACCOUNT, name)
        self.streams = {}            # name -> LogStream
        self.metric_filters = {}     # filterName -> dict (PutMetricFilter shape)
        self.stored_bytes = 0


class Store:
    """All emulator state. Handlers hold store.lock while they touch it."""

    def __init__(self, clock=None):
        self.lock = threading.RLock()
        self.clock = clock or (lambda: int(time.time() * 1000))
        self.groups = {}             # name -> LogGroup
        self.alarms = {}             # AlarmName -> dict (DescribeAlarms shape)
        self.tags = {}               # resource ARN -> {Key: Value}
        self.queries = {}            # queryId -> dict (insights.py owns the shape)
        self.listeners = []          # fn(group, stream, [Event]) after PutLogEvents
        self.next_event_id = 1
        self.options = {}            # tunables set through /__fakeaws/options
        self.credentials = None      # sts.Credentials, set by the server

    def now_ms(self):
        return self.clock()

    def notify(self, group, stream, events):
        for fn in list(self.listeners):
            fn(group, stream, events)


class Raw:
    """A result already encoded as JSON text (str or bytes); the server
    sends it unchanged. Used where speed matters (FilterLogEvents)."""

    def __init__(self, text):
        self.text = text


# CloudWatch (alarms) is awsQueryCompatible. Its handlers raise AwsError
# with the legacy query code, which goes into the x-amzn-query-error
# header as "Code;Sender" (or ";Receiver"); the JSON body's "__type" is
# the modeled error shape's name, from this table (codes not listed are
# their own shape name, e.g. ValidationError for unmodeled errors).
QUERY_ERROR_SHAPES = {
    "InvalidParameterValue": "InvalidParameterValueException",
    "InvalidParameterCombination": "InvalidParameterCombinationException",
    "MissingParameter": "MissingRequiredParameterException",
    "LimitExceeded": "LimitExceededFault",
    "InternalServiceError": "InternalServiceFault",
    "InvalidFormat": "InvalidFormatFault",
    "InvalidNextToken": "InvalidNextToken",
    "ResourceNotFound": "ResourceNotFound",
    "ResourceNotFoundException": "ResourceNotFoundException",
    "ResourceConflict": "ResourceConflict",
    "LimitExceededException": "LimitExceededException",
    "ConcurrentModificationException": "ConcurrentModificationException",
    "ValidationError": "ValidationException",
    "InvalidParameterInput": "DashboardInvalidInputError",
}

# An AwsError may carry an `extra` attribute: a dict of further members of
# the JSON error body, e.g. MalformedQueryException's queryCompileError
# (insights.py). Read it with getattr(err, "extra", None).
