"""StartLiveTail: an event stream of the events put while it is open.

The response body is AWS event-stream framing (eventstream.py): an
`initial-response` event (payload `{}`: the response has no member but
the stream), which the SDKs of the JSON protocols read first (botocore
refuses a stream without it), one sessionStart event, then a sessionUpdate every second carrying the events
put since the last one (empty when nothing arrived: a heartbeat), at most
500 per update (more are sampled, sessionMetadata.sampled = true). When the
session has lasted its timeout, a SessionTimeoutException frame ends it.

Tunables (store.options, set through the control path; else the module
defaults, which set_session_timeout() changes):
    live_tail_timeout    seconds a session lasts (default 3 h)
    live_tail_interval   seconds between sessionUpdate frames (default 1)
    live_tail_end_after  seconds after its sessionStart at which a session
                         ends with a SessionStreamingException (0: right
                         after it starts; default never)
fail_sessions(store, message) ends every open session with a
SessionStreamingException frame.
"""

import json
import queue
import re
import threading
import time
import uuid

try:
    from . import eventstream
    from .common import AwsError, Streaming, invalid
except ImportError:
    import eventstream
    from common import AwsError, Streaming, invalid

import filterpat

SESSION_TIMEOUT_S = 3 * 3600.0
UPDATE_INTERVAL_S = 1.0
MAX_SESSIONS = 15
MAX_GROUPS = 10
MAX_RESULTS = 500
CONTENT_TYPE = "application/vnd.amazon.eventstream"
FRAME_CONTENT_TYPE = "application/json"

_ARN = re.compile(r"^arn:aws[a-z-]*:logs:([a-z0-9-]*):(\d*):log-group:"
                  r"([^:]+)$")
_sessions_lock = threading.Lock()


def set_session_timeout(seconds):
    """How long a Live Tail session lasts before SessionTimeoutException."""
    global SESSION_TIMEOUT_S
    SESSION_TIMEOUT_S = float(seconds)


def set_update_interval(seconds):
    global UPDATE_INTERVAL_S
    UPDATE_INTERVAL_S = float(seconds)


def _sessions(store):
    with _sessions_lock:
        s = getattr(store, "live_tail_sessions", None)
        if s is None:
            s = []
            store.live_tail_sessions = s
        return s


def fail_sessions(store, message="An internal error occurred."):
    for sess in list(_sessions(store)):
        sess.q.put(("fail", message))


def _option(store, name, default):
    v = store.options.get(name)
    try:
        return float(v) if v is not None else default
    except (TypeError, ValueError):
        return default


def _validate(store, params):
    known = {"logGroupIdentifiers", "logStreamNames",
             "logStreamNamePrefixes", "logEventFilterPattern"}
    for k in params:
        if k not in known:
            raise AwsError("SerializationException",
                           "Unknown member %s" % k)
    idents = params.get("logGroupIdentifiers")
    if idents is None:
        raise invalid("1 validation error detected: Value null at "
                      "'logGroupIdentifiers' failed to satisfy constraint: "
                      "Member must not be null")
    if not isinstance(idents, list) or not all(isinstance(x, str)
                                               for x in idents):
        raise AwsError("SerializationException",
                       "logGroupIdentifiers must be a list of strings")
    if not 1 <= len(idents) <= MAX_GROUPS:
        raise invalid("1 validation error detected: Value '%s' at "
                      "'logGroupIdentifiers' failed to satisfy constraint: "
                      "Member must have length %s" %
                      (json.dumps(idents),
                       "greater than or equal to 1" if not idents else
                       "less than or equal to %d" % MAX_GROUPS))
    names = params.get("logStreamNames")
    prefixes = params.get("logStreamNamePrefixes")
    if names is not None and prefixes is not None:
        raise invalid("logStreamNames and logStreamNamePrefixes are mutually "
                      "exclusive parameters.")
    for member, v in (("logStreamNames", names),
                      ("logStreamNamePrefixes", prefixes)):
        if v is None:
            continue
        if not isinstance(v, list) or not all(isinstance(x, str) and x
                                              for x in v):
            raise invalid("%s must be a list of non-empty strings" % member)
        if not 1 <= len(v) <= 100:
            raise invalid("1 validation error detected: Value at '%s' "
                          "failed to satisfy constraint: Member must have "
                          "length between 1 and 100" % member)
        if len(idents) != 1:
            raise invalid("%s can only be used with exactly one log group."
                          % member)
    pattern = params.get("logEventFilterPattern")
    if pattern is not None and not isinstance(pattern, str):
        raise AwsError("SerializationException",
                       "logEventFilterPattern must be a string")
    groups = []
    with store.lock:
        for ident in idents:
            if ident.endswith("*"):
                raise invalid("Log group identifier %s must not end with *"
                              % ident)
            m = _ARN.match(ident)
            name = m.group(3) if m else ident
            if ident.startswith("arn:") and not m:
                raise invalid("Invalid log group ARN: %s" % ident)
            g = store.groups.get(name)
            if g is None:
                raise AwsError("ResourceNotFoundException",
                               "The specified log group does not exist.")
            groups.append((ident, g))
    pred = filterpat.compile(pattern)
    return groups, names, prefixes, pattern, pred


class _Session:
    def __init__(self):
        self.q = queue.Queue()


def start_live_tail(store, params, call):
    groups, names, prefixes, pattern, pred = _validate(store, params)
    sessions = _sessions(store)
    with _sessions_lock:
        if len(sessions) >= MAX_SESSIONS:
            raise AwsError("LimitExceededException",
                           "You have reached the maximum number of "
                           "concurrent Live Tail sessions (%d)."
                           % MAX_SESSIONS)
    sess = _Session()
    by_group = {id(g): ident for ident, g in groups}
    nameset = set(names) if names else None

    def listener(group, stream, events):
        ident = by_group.get(id(group))
        if ident is None:
            return
        sname = stream.name
        if nameset is not None and sname not in nameset:
            return
        if prefixes and not any(sname.startswith(p) for p in prefixes):
            return
        batch = []
        for ev in events:
            try:
                ok = pred(ev.message)
            except Exception:
                ok = False
            if ok:
                batch.append({"logStreamName": sname,
                              "logGroupIdentifier": ident,
                              "message": ev.message,
                              "timestamp": ev.timestamp,
                              "ingestionTime": ev.ingestion_time})
        if batch:
            sess.q.put(("events", batch))

    start = {"requestId": str(uuid.uuid4()),
             "sessionId": str(uuid.uuid4()),
             "logGroupIdentifiers": [ident for ident, _ in groups]}
    if names is not None:
        start["logStreamNames"] = list(names)
    if prefixes is not None:
        start["logStreamNamePrefixes"] = list(prefixes)
    if pattern is not None:
        start["logEventFilterPattern"] = pattern
    timeout = _option(store, "live_tail_timeout", SESSION_TIMEOUT_S)
    interval = max(0.01, _option(store, "live_tail_interval",
                                 UPDATE_INTERVAL_S))
    end_after = _option(store, "live_tail_end_after", None)

    def frames():
        # Registered when the body starts, so that a response never sent
        # leaves nothing behind.
        with _sessions_lock:
            sessions.append(sess)
        store.listeners.append(listener)
        try:
            # The response's members other than the stream (none), as
            # the SDKs of the JSON protocols read first.
            yield eventstream.event("initial-response", {},
                                    FRAME_CONTENT_TYPE)
            yield eventstream.event("sessionStart", start,
                                    FRAME_CONTENT_TYPE)
            t0 = time.monotonic()
            ends = end_after is not None and end_after < timeout
            deadline = t0 + (max(0.0, end_after) if ends else timeout)
            tick = t0 + interval
            pending = []
            while True:
                now = time.monotonic()
                if now >= deadline and ends:
                    yield eventstream.exception(
                        "SessionStreamingException",
                        "The session was ended by the service.",
                        FRAME_CONTENT_TYPE)
                    return
                if now >= deadline:
                    yield eventstream.exception(
                        "SessionTimeoutException",
                        "Session timed out after %g seconds." % timeout,
                        FRAME_CONTENT_TYPE)
                    return
                wait = min(tick, deadline) - now
                try:
                    kind, item = sess.q.get(timeout=max(0.0, wait))
                except queue.Empty:
                    kind, item = None, None
                if kind == "fail":
                    yield eventstream.exception("SessionStreamingException",
                                                item, FRAME_CONTENT_TYPE)
                    return
                if kind == "events":
                    pending.extend(item)
                    continue
                if time.monotonic() < tick:
                    continue
                tick += interval
                if tick < time.monotonic():
                    tick = time.monotonic() + interval
                sampled = len(pending) > MAX_RESULTS
                if sampled:
                    step = len(pending) / float(MAX_RESULTS)
                    pending = [pending[int(i * step)]
                               for i in range(MAX_RESULTS)]
                yield eventstream.event(
                    "sessionUpdate",
                    {"sessionMetadata": {"sampled": sampled},
                     "sessionResults": pending},
                    FRAME_CONTENT_TYPE)
                pending = []
        finally:
            try:
                store.listeners.remove(listener)
            except ValueError:
                pass
            with _sessions_lock:
                if sess in sessions:
                    sessions.remove(sess)

    # faults act on the first frame after sessionStart
    return Streaming(CONTENT_TYPE, frames(), fault_at=2)


OPS = {"StartLiveTail": start_live_tail}
