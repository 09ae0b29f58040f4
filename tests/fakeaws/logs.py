"""CloudWatch Logs operations (AWS JSON 1.1, target Logs_20140328.*).

Events carry 56-digit string ids: the first 20 digits are the timestamp,
the rest a counter, so ordering ids orders by (timestamp, arrival) and the
ids double as cursors in pagination tokens. Each stream keeps, beside its
events, the list of ids (for bisect) and each event's FilterLogEvents JSON
fragment, so a page is a merge plus a join.
"""

import base64
import bisect
import json
import re

import filterpat
from common import (AwsError, LogGroup, LogStream, Event, ModelChecks, Raw,
                    invalid)

MAX_EVENT_BYTES = 256 * 1024          # message bytes + 26 bytes overhead
MAX_BATCH_BYTES = 1048576
MAX_BATCH_EVENTS = 10000
DAY_MS = 86400 * 1000
DEFAULT_SCAN = 100000                 # events examined per FilterLogEvents call
PAGE_BYTES = 1 << 20                  # events per page: 1 MB at most, as AWS
RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,
                  731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]
GROUP_RE = re.compile(r"[\.\-_/#A-Za-z0-9]+\Z")
STREAM_RE = re.compile(r"[^:*]*\Z")
FILTER_NAME_RE = re.compile(r"[^:*]*\Z")


# ---- validation ----------------------------------------------------------

class Check(ModelChecks):
    """The Logs model's checks; constraints are given without "Member
    must"."""

    def add(self, value, member, constraint):
        ModelChecks.add(self, value, member, "Member must " + constraint)

    def required(self, params, member):
        if params.get(member) is None:
            self.add(None, member, "not be null")
            return False
        return True

    def string(self, params, member, lo=1, hi=512, regex=None, pattern=None,
               need=False):
        v = params.get(member)
        if v is None:
            if need:
                self.add(None, member, "not be null")
            return
        if not isinstance(v, str):
            raise AwsError("SerializationException",
                           "STRING_VALUE can not be converted to %s" % member)
        if len(v) < lo:
            self.add(v, member, "have length greater than or equal to %d" % lo)
        elif len(v) > hi:
            self.add(v, member, "have length less than or equal to %d" % hi)
        elif regex is not None and not regex.match(v):
            self.add(v, member, "satisfy regular expression pattern: %s"
                     % pattern)

    def integer(self, params, member, lo=None, hi=None):
        v = params.get(member)
        if v is None:
            return
        if isinstance(v, bool) or not isinstance(v, int):
            raise AwsError("SerializationException",
                           "NUMBER_VALUE can not be converted to an Integer")
        if lo is not None and v < lo:
            self.add(v, member, "have value greater than or equal to %d" % lo)
        elif hi is not None and v > hi:
            self.add(v, member, "have value less than or equal to %d" % hi)

    def done(self):
        if self.errors:
            raise invalid(self.message())


def _group_name(c, params, member="logGroupName"):
    c.string(params, member, regex=GROUP_RE, pattern=r"[\.\-_/#A-Za-z0-9]+")


def _stream_name(c, params, member="logStreamName", need=True):
    c.string(params, member, regex=STREAM_RE, pattern="[^:*]*", need=need)


def _ident(c, params):
    """logGroupName or logGroupIdentifier (a name or an ARN)."""
    _group_name(c, params)
    c.string(params, "logGroupIdentifier", hi=2048,
             regex=re.compile(r"[\w#+=/:,.@-]*\Z"), pattern=r"[\w#+=/:,.@-]*")


def _resolve_ident(params):
    name = params.get("logGroupName")
    ident = params.get("logGroupIdentifier")
    if name is not None and ident is not None:
        raise invalid("LogGroup name and LogGroup ARN are mutually exclusive "
                      "parameters.")
    if ident is not None:
        if ident.startswith("arn:"):
            i = ident.find(":log-group:")
            if i < 0:
                raise invalid("Invalid log group ARN: %s" % ident)
            name = ident[i + len(":log-group:"):]
            if name.endswith(":*"):
                name = name[:-2]
        else:
            name = ident
    if name is None:
        raise invalid("Either LogGroupName or LogGroupIdentifier must be "
                      "provided.")
    return name


def _no_group():
    return AwsError("ResourceNotFoundException",
                    "The specified log group does not exist.")


def _no_stream():
    return AwsError("ResourceNotFoundException",
                    "The specified log stream does not exist.")


def _get_group(store, name):
    g = store.groups.get(name)
    if g is None:
        raise _no_group()
    return g


# ---- tokens --------------------------------------------------------------

def _tok(obj):
    raw = json.dumps(obj, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _untok(tok, kind):
    try:
        pad = "=" * (-len(tok) % 4)
        obj = json.loads(base64.urlsafe_b64decode(tok + pad))
        if obj.get("k") != kind:
            raise ValueError
        return obj
    except Exception:
        raise invalid("The specified nextToken is invalid.")


# ---- event storage -------------------------------------------------------

def event_id(ts, n):
    return "%020d%036d" % (ts, n)


def ts_key(ts):
    """A key sorting before every event id of timestamp ts, after all of
    ts - 1."""
    return "%020d" % max(ts, 0)


def fragment(ev):
    return ('{"logStreamName":%s,"timestamp":%d,"message":%s,'
            '"ingestionTime":%d,"eventId":"%s"}' % (
                json.dumps(ev.stream), ev.timestamp, json.dumps(ev.message),
                ev.ingestion_time, ev.event_id)).encode()


def index(stream):
    """Return (ids, fragments) aligned with stream.events, rebuilding them
    when someone else changed the list."""
    ids = getattr(stream, "_ids", None)
    frags = getattr(stream, "_frags", None)
    evs = stream.events
    if (ids is None or len(ids) != len(evs) or len(frags) != len(evs)
            or (evs and ids[-1] != evs[-1].event_id)):
        ids = [e.event_id for e in evs]
        frags = [fragment(e) for e in evs]
        stream._ids = ids
        stream._frags = frags
    return ids, frags


def append_events(store, group, stream, items, ingestion=None):
    """Store [(timestamp, message)] (already validated) in the stream and
    return the new Event objects. Caller holds store.lock."""
    now = store.now_ms() if ingestion is None else ingestion
    ids, frags = index(stream)
    out = []
    nbytes = 0
    for ts, msg in items:
        n = store.next_event_id
        store.next_event_id = n + 1
        ev = Event(ts, now, msg, event_id(ts, n), stream.name, group.name)
        frag = fragment(ev)
        if not ids or ids[-1] < ev.event_id:
            stream.events.append(ev)
            ids.append(ev.event_id)
            frags.append(frag)
        else:
            i = bisect.bisect_right(ids, ev.event_id)
            stream.events.insert(i, ev)
            ids.insert(i, ev.event_id)
            frags.insert(i, frag)
        size = len(msg.encode("utf-8")) + 26
        nbytes += size
        out.append(ev)
    stream.stored_bytes += nbytes
    group.stored_bytes += nbytes
    stream.last_ingestion = now
    return out


# ---- log groups ----------------------------------------------------------

def create_log_group(store, params, call):
    c = Check()
    c.required(params, "logGroupName")
    _group_name(c, params)
    c.string(params, "kmsKeyId", lo=0, hi=256)
    c.done()
    cls = params.get("logGroupClass", "STANDARD")
    if cls not in ("STANDARD", "INFREQUENT_ACCESS", "DELIVERY"):
        raise invalid("1 validation error detected: Value '%s' at "
                      "'logGroupClass' failed to satisfy constraint: Member "
                      "must satisfy enum value set: [DELIVERY, STANDARD, "
                      "INFREQUENT_ACCESS]" % cls)
    name = params["logGroupName"]
    with store.lock:
        if name in store.groups:
            raise AwsError("ResourceAlreadyExistsException",
                           "The specified log group already exists")
        g = LogGroup(name, store.now_ms(), call.region)
        g.log_group_class = cls
        store.groups[name] = g
        tags = params.get("tags")
        if isinstance(tags, dict) and tags:
            store.tags.setdefault(g.arn, {}).update(tags)
    return {}


def delete_log_group(store, params, call):
    c = Check()
    c.required(params, "logGroupName")
    _group_name(c, params)
    c.done()
    with store.lock:
        g = store.groups.pop(params["logGroupName"], None)
        if g is None:
            raise _no_group()
        store.tags.pop(g.arn, None)
    return {}


def put_retention_policy(store, params, call):
    c = Check()
    c.required(params, "logGroupName")
    c.required(params, "retentionInDays")
    _group_name(c, params)
    c.done()
    days = params["retentionInDays"]
    if days not in RETENTION_DAYS or isinstance(days, bool):
        raise invalid("1 validation error detected: Value '%s' at "
                      "'retentionInDays' failed to satisfy constraint: Member "
                      "must satisfy enum value set: [%s]" % (
                          days, ", ".join(str(d) for d in RETENTION_DAYS)))
    with store.lock:
        _get_group(store, params["logGroupName"]).retention = days
    return {}


def delete_retention_policy(store, params, call):
    c = Check()
    c.required(params, "logGroupName")
    _group_name(c, params)
    c.done()
    with store.lock:
        _get_group(store, params["logGroupName"]).retention = None
    return {}


def _group_out(g):
    out = {
        "logGroupName": g.name,
        "creationTime": g.created,
        "metricFilterCount": len(g.metric_filters),
        "arn": g.arn + ":*",
        "storedBytes": g.stored_bytes,
        "logGroupClass": getattr(g, "log_group_class", "STANDARD"),
        "logGroupArn": g.arn,
    }
    if g.retention is not None:
        out["retentionInDays"] = g.retention
    return out


def describe_log_groups(store, params, call):
    c = Check()
    _group_name(c, params, "logGroupNamePrefix")
    c.string(params, "logGroupNamePattern", lo=0, hi=512,
             regex=re.compile(r"[\.\-_/#A-Za-z0-9]*\Z"),
             pattern=r"[\.\-_/#A-Za-z0-9]*")
    c.integer(params, "limit", 1, 50)
    c.string(params, "nextToken")
    c.done()
    prefix = params.get("logGroupNamePrefix")
    pattern = params.get("logGroupNamePattern")
    if prefix is not None and pattern is not None:
        raise invalid("LogGroup name prefix and LogGroup name pattern are "
                      "mutually exclusive parameters.")
    limit = params.get("limit") or 50
    after = None
    if params.get("nextToken"):
        after = _untok(params["nextToken"], "g")["a"]
    with store.lock:
        names = sorted(store.groups)
        if prefix:
            names = [n for n in names if n.startswith(prefix)]
        if pattern:
            low = pattern.lower()
            names = [n for n in names if low in n.lower()]
        if after is not None:
            names = names[bisect.bisect_right(names, after):]
        page = names[:limit]
        out = {"logGroups": [_group_out(store.groups[n]) for n in page]}
    if len(names) > limit:
        out["nextToken"] = _tok({"k": "g", "a": page[-1]})
    return out


# ---- log streams ---------------------------------------------------------

def create_log_stream(store, params, call):
    c = Check()
    c.required(params, "logGroupName")
    c.required(params, "logStreamName")
    _group_name(c, params)
    _stream_name(c, params, need=False)
    c.done()
    with store.lock:
        g = _get_group(store, params["logGroupName"])
        name = params["logStreamName"]
        if name in g.streams:
            raise AwsError("ResourceAlreadyExistsException",
                           "The specified log stream already exists")
        g.streams[name] = LogStream(name, store.now_ms())
    return {}


def delete_log_stream(store, params, call):
    c = Check()
    c.required(params, "logGroupName")
    c.required(params, "logStreamName")
    _group_name(c, params)
    _stream_name(c, params, need=False)
    c.done()
    with store.lock:
        g = _get_group(store, params["logGroupName"])
        s = g.streams.pop(params["logStreamName"], None)
        if s is None:
            raise _no_stream()
        g.stored_bytes -= s.stored_bytes
    return {}


def _stream_out(g, s):
    out = {
        "logStreamName": s.name,
        "creationTime": s.created,
        "arn": "%s:log-stream:%s" % (g.arn, s.name),
        "storedBytes": s.stored_bytes,
    }
    if s.events:
        out["firstEventTimestamp"] = s.events[0].timestamp
        out["lastEventTimestamp"] = s.events[-1].timestamp
        out["lastIngestionTime"] = getattr(
            s, "last_ingestion", max(e.ingestion_time for e in s.events))
        out["uploadSequenceToken"] = str(len(s.events) + 1)
    return out


def describe_log_streams(store, params, call):
    c = Check()
    _ident(c, params)
    _stream_name(c, params, "logStreamNamePrefix", need=False)
    c.integer(params, "limit", 1, 50)
    c.string(params, "nextToken")
    order = params.get("orderBy", "LogStreamName")
    if order not in ("LogStreamName", "LastEventTime"):
        c.add(order, "orderBy", "satisfy enum value set: [LogStreamName, "
              "LastEventTime]")
    c.done()
    name = _resolve_ident(params)
    prefix = params.get("logStreamNamePrefix")
    if prefix is not None and order == "LastEventTime":
        raise invalid("Cannot order by LastEventTime with a "
                      "logStreamNamePrefix.")
    desc = bool(params.get("descending", False))
    limit = params.get("limit") or 50
    start = 0
    if params.get("nextToken"):
        start = _untok(params["nextToken"], "s")["o"]
    with store.lock:
        g = _get_group(store, name)
        streams = list(g.streams.values())
        if prefix:
            streams = [s for s in streams if s.name.startswith(prefix)]
        if order == "LastEventTime":
            streams.sort(key=lambda s: (s.events[-1].timestamp
                                        if s.events else 0, s.name),
                         reverse=desc)
        else:
            streams.sort(key=lambda s: s.name, reverse=desc)
        page = streams[start:start + limit]
        out = {"logStreams": [_stream_out(g, s) for s in page]}
    if start + limit < len(streams):
        out["nextToken"] = _tok({"k": "s", "o": start + limit})
    return out


# ---- PutLogEvents --------------------------------------------------------

def put_log_events(store, params, call):
    c = Check()
    c.required(params, "logGroupName")
    c.required(params, "logStreamName")
    c.required(params, "logEvents")
    _group_name(c, params)
    _stream_name(c, params, need=False)
    evs = params.get("logEvents")
    if evs is not None:
        if not isinstance(evs, list):
            raise AwsError("SerializationException",
                           "Unexpected field type")
        if len(evs) < 1:
            c.add(evs, "logEvents", "have length greater than or equal to 1")
        elif len(evs) > MAX_BATCH_EVENTS:
            c.add("[...]", "logEvents",
                  "have length less than or equal to %d" % MAX_BATCH_EVENTS)
        else:
            for i, e in enumerate(evs):
                if not isinstance(e, dict):
                    raise AwsError("SerializationException",
                                   "Unexpected field type")
                if e.get("timestamp") is None:
                    c.add(None, "logEvents.%d.member.timestamp" % (i + 1),
                          "not be null")
                elif (isinstance(e["timestamp"], bool)
                      or not isinstance(e["timestamp"], int)):
                    raise AwsError("SerializationException",
                                   "NUMBER_VALUE can not be converted to a "
                                   "Long")
                m = e.get("message")
                if m is None:
                    c.add(None, "logEvents.%d.member.message" % (i + 1),
                          "not be null")
                elif not isinstance(m, str):
                    raise AwsError("SerializationException",
                                   "Unexpected field type")
                elif len(m) < 1:
                    c.add(m, "logEvents.%d.member.message" % (i + 1),
                          "have length greater than or equal to 1")
    c.done()
    items = [(e["timestamp"], e["message"]) for e in evs]
    total = 0
    for ts, m in items:
        size = len(m.encode("utf-8")) + 26
        if size > MAX_EVENT_BYTES:
            raise invalid("Log event too large: %d bytes exceeds limit of %d"
                          % (size, MAX_EVENT_BYTES))
        total += size
    if total > MAX_BATCH_BYTES:
        raise invalid("Upload too large: %d bytes exceeds limit of %d"
                      % (total, MAX_BATCH_BYTES))
    for a, b in zip(items, items[1:]):
        if b[0] < a[0]:
            raise invalid("Log events in a single PutLogEvents request must "
                          "be in chronological order.")
    if items[-1][0] - items[0][0] > DAY_MS:
        raise invalid("The batch of log events in a single PutLogEvents "
                      "request cannot span more than 24 hours.")
    with store.lock:
        g = _get_group(store, params["logGroupName"])
        s = g.streams.get(params["logStreamName"])
        if s is None:
            raise _no_stream()
        now = store.now_ms()
        too_old = now - 14 * DAY_MS
        if g.retention:
            too_old = max(too_old, now - g.retention * DAY_MS)
        too_new = now + 2 * 3600 * 1000
        rejected = {}
        lo, hi = 0, len(items)
        while lo < hi and items[lo][0] < too_old:
            lo += 1
        if lo:
            key = ("expiredLogEventEndIndex"
                   if g.retention and items[lo - 1][0] >= now - 14 * DAY_MS
                   else "tooOldLogEventEndIndex")
            rejected[key] = lo
        while hi > lo and items[hi - 1][0] > too_new:
            hi -= 1
        if hi < len(items):
            rejected["tooNewLogEventStartIndex"] = hi
        stored = append_events(store, g, s, items[lo:hi], now)
        seq = "%056d" % store.next_event_id
    if stored:
        store.notify(g, s, stored)
    out = {"nextSequenceToken": seq}
    if rejected:
        out["rejectedLogEventsInfo"] = rejected
    return out


# ---- FilterLogEvents -----------------------------------------------------

def _streams_for(g, params):
    names = params.get("logStreamNames")
    prefix = params.get("logStreamNamePrefix")
    if names is not None and prefix is not None:
        raise invalid("You cannot specify both LogStreamNames and "
                      "LogStreamNamePrefix.")
    if names is not None:
        return [g.streams[n] for n in dict.fromkeys(names) if n in g.streams]
    streams = sorted(g.streams.values(), key=lambda s: s.name)
    if prefix:
        streams = [s for s in streams if s.name.startswith(prefix)]
    return streams


def filter_log_events(store, params, call):
    c = Check()
    _ident(c, params)
    c.integer(params, "limit", 1, 10000)
    c.integer(params, "startTime", 0)
    c.integer(params, "endTime", 0)
    c.string(params, "filterPattern", lo=0, hi=1024)
    c.string(params, "nextToken")
    names = params.get("logStreamNames")
    if names is not None:
        if not isinstance(names, list):
            raise AwsError("SerializationException", "Unexpected field type")
        if not 1 <= len(names) <= 100:
            c.add(names, "logStreamNames", "have length %s" % (
                "greater than or equal to 1" if not names
                else "less than or equal to 100"))
    _stream_name(c, params, "logStreamNamePrefix", need=False)
    c.done()
    name = _resolve_ident(params)
    pattern = params.get("filterPattern")
    pred = filterpat.compile(pattern)
    match_all = pred is filterpat._everything
    limit = params.get("limit") or 10000
    start = params.get("startTime")
    end = params.get("endTime")
    lo_key = ts_key(start) if start is not None else ""
    hi_key = ts_key(end + 1) if end is not None else "~"
    if params.get("nextToken"):
        cursor = _untok(params["nextToken"], "f")["c"]
    else:
        cursor = None
    scan = int(store.options.get("filter_scan", DEFAULT_SCAN))
    with store.lock:
        g = _get_group(store, name)
        streams = _streams_for(g, params)
        if call is not None and call.fault == "empty":
            tok = _tok({"k": "f", "c": cursor})
            return Raw('{"events":[],"searchedLogStreams":[],'
                       '"nextToken":"%s"}' % tok)
        ranges = []
        for s in streams:
            ids, frags = index(s)
            if cursor is not None:
                a = bisect.bisect_right(ids, max(cursor, lo_key))
                if lo_key > cursor:
                    a = bisect.bisect_left(ids, lo_key)
            else:
                a = bisect.bisect_left(ids, lo_key)
            b = bisect.bisect_left(ids, hi_key) if end is not None \
                else len(ids)
            if a < b:
                ranges.append((s, ids, frags, a, b))
        out = []
        last = None
        more = False
        budget = max(scan, 1)
        if len(ranges) == 1:
            s, ids, frags, a, b = ranges[0]
            if match_all:
                n = _fit(frags, a, min(limit, budget, b - a))
                out = frags[a:a + n]
                if n:
                    last = ids[a + n - 1]
                more = a + n < b
            else:
                evs = s.events
                i = a
                stop = min(b, a + budget)
                size = 0
                while i < stop:
                    if pred(evs[i].message):
                        size += len(frags[i])
                        if out and size > PAGE_BYTES:
                            break
                        out.append(frags[i])
                        if len(out) >= limit:
                            i += 1
                            break
                    i += 1
                if i > a:
                    last = ids[i - 1]
                more = i < b
        elif ranges:
            out, last, more = _merge_scan(ranges, pred, match_all, limit,
                                          budget)
        searched = ",".join(
            '{"logStreamName":%s,"searchedCompletely":%s}' % (
                json.dumps(s.name), "false" if more else "true")
            for s in streams)
    ids = store.options.get("event_ids")
    if ids:
        out = [_served_id(f, ids) for f in out]
    tail = '],"searchedLogStreams":[%s]' % searched
    if more:
        tail += ',"nextToken":"%s"}' % _tok({"k": "f", "c": last})
    else:
        tail += "}"
    # one copy of the page: the envelope rides on the first and last
    # fragments
    if out:
        out[0] = b'{"events":[' + out[0]
        out[-1] = out[-1] + tail.encode()
        return Raw(b",".join(out))
    return Raw(('{"events":[' + tail).encode())


def _served_id(frag, ids):
    """The event with the eventId the option event_ids gives its message
    (any string: empty, or holding U+0000), as other services may send."""
    ev = json.loads(frag)
    if ev["message"] not in ids:
        return frag
    ev["eventId"] = ids[ev["message"]]
    return json.dumps(ev, separators=(",", ":")).encode()


def _window(ranges, pos, want):
    """End index per range so that the events before them, across all
    ranges, are the `want` (or a few more: whole milliseconds) earliest
    remaining ones."""
    live = [k for k in range(len(ranges)) if pos[k] < ranges[k][4]]
    total = sum(ranges[k][4] - pos[k] for k in live)
    if total <= want:
        return [r[4] for r in ranges]
    lo = min(int(ranges[k][1][pos[k]][:20]) for k in live)
    hi = max(int(ranges[k][1][ranges[k][4] - 1][:20]) for k in live)
    while lo < hi:
        mid = (lo + hi) // 2
        key = ts_key(mid + 1)
        n = 0
        for k in live:
            r = ranges[k]
            n += bisect.bisect_left(r[1], key, pos[k], r[4]) - pos[k]
        if n >= want:
            hi = mid
        else:
            lo = mid + 1
    key = ts_key(lo + 1)
    return [bisect.bisect_left(r[1], key, pos[k], r[4])
            if pos[k] < r[4] else r[4] for k, r in enumerate(ranges)]


def _fit(frags, a, n, size=0, out=()):
    """How many of frags[a:a + n] fit on a page already holding `size`
    bytes of `out`; one at least on an empty page."""
    k = 0
    while k < n:
        size += len(frags[a + k])
        if size > PAGE_BYTES and (k or out):
            break
        k += 1
    return k


def _merge_scan(ranges, pred, match_all, limit, budget):
    """Merge several streams' ranges in id order; return (fragments,
    last scanned id, more left)."""
    pos = [r[3] for r in ranges]
    out = []
    last = None
    scanned = size = 0
    while True:
        room = min(limit - len(out), budget - scanned)
        want = room if match_all else max(room, 2000)
        ends = _window(ranges, pos, want)
        cids, cfrags, cevs = [], [], []
        for k, r in enumerate(ranges):
            if pos[k] < ends[k]:
                cids += r[1][pos[k]:ends[k]]
                cfrags += r[2][pos[k]:ends[k]]
                if not match_all:
                    cevs += r[0].events[pos[k]:ends[k]]
        if not cids:
            return out, last, False
        order = sorted(range(len(cids)), key=cids.__getitem__)
        if match_all:
            take = order[:room]
            fit = _fit([cfrags[i] for i in take], 0, len(take), size, out)
            take = take[:fit]
            out += [cfrags[i] for i in take]
            size += sum(len(cfrags[i]) for i in take)
            scanned += len(take)
            last = cids[take[-1]] if take else last
            done = len(take) < len(order)
        else:
            done = False
            for i in order:
                if pred(cevs[i].message):
                    if out and size + len(cfrags[i]) > PAGE_BYTES:
                        done = True
                        break
                    out.append(cfrags[i])
                    size += len(cfrags[i])
                scanned += 1
                last = cids[i]
                if len(out) >= limit or scanned >= budget:
                    done = True
                    break
        pos = ends
        if done or len(out) >= limit or scanned >= budget:
            more = any(bisect.bisect_right(r[1], last, r[3], r[4]) < r[4]
                       for r in ranges)
            return out, last, more


# ---- GetLogEvents --------------------------------------------------------

def _get_event(ev):
    return {"timestamp": ev.timestamp, "message": ev.message,
            "ingestionTime": ev.ingestion_time}


def get_log_events(store, params, call):
    c = Check()
    _ident(c, params)
    c.required(params, "logStreamName")
    _stream_name(c, params, need=False)
    c.integer(params, "limit", 1, 10000)
    c.integer(params, "startTime", 0)
    c.integer(params, "endTime", 0)
    c.string(params, "nextToken")
    c.done()
    name = _resolve_ident(params)
    limit = params.get("limit") or 10000
    start = params.get("startTime")
    end = params.get("endTime")
    token = params.get("nextToken")
    head = bool(params.get("startFromHead", False))
    with store.lock:
        g = _get_group(store, name)
        s = g.streams.get(params["logStreamName"])
        if s is None:
            raise _no_stream()
        ids, _ = index(s)
        a = bisect.bisect_left(ids, ts_key(start)) if start is not None else 0
        b = bisect.bisect_left(ids, ts_key(end)) if end is not None \
            else len(ids)
        if token:
            if len(token) < 3 or token[1] != "/" or token[0] not in "fb" \
                    or not token[2:].isdigit():
                raise invalid("The specified nextToken is invalid.")
            key = token[2:]
            if token[0] == "f":
                a = max(a, bisect.bisect_right(ids, key))
                forward = True
            else:
                b = min(b, bisect.bisect_left(ids, key))
                forward = False
        else:
            forward = head
        if a >= b:
            sel = (a, a) if forward else (b, b)
        elif forward:
            sel = (a, min(b, a + limit))
        else:
            sel = (max(a, b - limit), b)
        i, j = sel
        events = [_get_event(e) for e in s.events[i:j]]
        if i < j:
            fwd = "f/" + ids[j - 1]
            bwd = "b/" + ids[i]
        elif token:
            # the end was reached: the same token comes back
            fwd = bwd = token
            if token[0] == "f":
                bwd = "b/" + token[2:]
            else:
                fwd = "f/" + token[2:]
        else:
            fwd = "f/" + ts_key(start if start is not None else 0)
            bwd = "b/" + ts_key(end if end is not None
                                else store.now_ms() + 1)
    return {"events": events, "nextForwardToken": fwd,
            "nextBackwardToken": bwd}


# ---- metric filters ------------------------------------------------------

def _check_transformations(c, params):
    mt = params.get("metricTransformations")
    if mt is None:
        c.add(None, "metricTransformations", "not be null")
        return
    if not isinstance(mt, list):
        raise AwsError("SerializationException", "Unexpected field type")
    if len(mt) != 1:
        c.add(mt, "metricTransformations", "have length %s" % (
            "greater than or equal to 1" if not mt
            else "less than or equal to 1"))
        return
    t = mt[0]
    if not isinstance(t, dict):
        raise AwsError("SerializationException", "Unexpected field type")
    for member, hi in (("metricName", 255), ("metricNamespace", 255),
                       ("metricValue", 100)):
        v = t.get(member)
        where = "metricTransformations.1.member.%s" % member
        if v is None:
            c.add(None, where, "not be null")
        elif not isinstance(v, str) or len(v) > hi:
            c.add(v, where, "have length less than or equal to %d" % hi)
        elif member != "metricValue" and (":" in v or "*" in v or "$" in v):
            c.add(v, where, "satisfy regular expression pattern: "
                  "[^:*$]*")


def put_metric_filter(store, params, call):
    c = Check()
    c.required(params, "logGroupName")
    c.required(params, "filterName")
    _group_name(c, params)
    c.string(params, "filterName", regex=FILTER_NAME_RE, pattern="[^:*]*")
    if params.get("filterPattern") is None:
        c.add(None, "filterPattern", "not be null")
    else:
        c.string(params, "filterPattern", lo=0, hi=1024)
    _check_transformations(c, params)
    c.done()
    with store.lock:
        g = _get_group(store, params["logGroupName"])
        name = params["filterName"]
        if name not in g.metric_filters and len(g.metric_filters) >= 100:
            raise AwsError("LimitExceededException",
                           "Resource limit exceeded.")
        old = g.metric_filters.get(name)
        mf = {
            "filterName": name,
            "filterPattern": params["filterPattern"],
            "metricTransformations": params["metricTransformations"],
            "creationTime": old["creationTime"] if old else store.now_ms(),
            "logGroupName": g.name,
        }
        if params.get("applyOnTransformedLogs") is not None:
            mf["applyOnTransformedLogs"] = bool(
                params["applyOnTransformedLogs"])
        g.metric_filters[name] = mf
    return {}


def describe_metric_filters(store, params, call):
    c = Check()
    _group_name(c, params)
    c.string(params, "filterNamePrefix", regex=FILTER_NAME_RE,
             pattern="[^:*]*")
    c.integer(params, "limit", 1, 50)
    c.string(params, "nextToken")
    c.done()
    gname = params.get("logGroupName")
    prefix = params.get("filterNamePrefix")
    mname = params.get("metricName")
    mns = params.get("metricNamespace")
    if prefix is not None and gname is None:
        raise invalid("If you specify filterNamePrefix, you must also "
                      "specify logGroupName.")
    if (mname is None) != (mns is None):
        raise invalid("If you specify metricName or metricNamespace, you "
                      "must specify both.")
    limit = params.get("limit") or 50
    start = 0
    if params.get("nextToken"):
        start = _untok(params["nextToken"], "m")["o"]
    with store.lock:
        if gname is not None:
            groups = [_get_group(store, gname)]
        else:
            groups = [store.groups[n] for n in sorted(store.groups)]
        found = []
        for g in groups:
            for n in sorted(g.metric_filters):
                mf = g.metric_filters[n]
                if prefix and not n.startswith(prefix):
                    continue
                if mname is not None and not any(
                        t.get("metricName") == mname
                        and t.get("metricNamespace") == mns
                        for t in mf["metricTransformations"]):
                    continue
                found.append(json.loads(json.dumps(mf)))
    out = {"metricFilters": found[start:start + limit]}
    if start + limit < len(found):
        out["nextToken"] = _tok({"k": "m", "o": start + limit})
    return out


def delete_metric_filter(store, params, call):
    c = Check()
    c.required(params, "logGroupName")
    c.required(params, "filterName")
    _group_name(c, params)
    c.string(params, "filterName", regex=FILTER_NAME_RE, pattern="[^:*]*")
    c.done()
    with store.lock:
        g = _get_group(store, params["logGroupName"])
        if g.metric_filters.pop(params["filterName"], None) is None:
            raise AwsError("ResourceNotFoundException",
                           "The specified metric filter does not exist.")
    return {}


def test_metric_filter(store, params, call):
    c = Check()
    if params.get("filterPattern") is None:
        c.add(None, "filterPattern", "not be null")
    else:
        c.string(params, "filterPattern", lo=0, hi=1024)
    msgs = params.get("logEventMessages")
    if msgs is None:
        c.add(None, "logEventMessages", "not be null")
    elif not isinstance(msgs, list):
        raise AwsError("SerializationException", "Unexpected field type")
    elif not 1 <= len(msgs) <= 50:
        c.add(msgs, "logEventMessages", "have length %s" % (
            "greater than or equal to 1" if not msgs
            else "less than or equal to 50"))
    c.done()
    pred = filterpat.compile(params["filterPattern"])
    matches = []
    for i, m in enumerate(msgs):
        if isinstance(m, str) and pred(m):
            matches.append({"eventNumber": i + 1, "eventMessage": m,
                            "extractedValues": {}})
    return {"matches": matches}


OPS = {
    "CreateLogGroup": create_log_group,
    "DeleteLogGroup": delete_log_group,
    "PutRetentionPolicy": put_retention_policy,
    "DeleteRetentionPolicy": delete_retention_policy,
    "DescribeLogGroups": describe_log_groups,
    "CreateLogStream": create_log_stream,
    "DeleteLogStream": delete_log_stream,
    "DescribeLogStreams": describe_log_streams,
    "PutLogEvents": put_log_events,
    "FilterLogEvents": filter_log_events,
    "GetLogEvents": get_log_events,
    "PutMetricFilter": put_metric_filter,
    "DescribeMetricFilters": describe_metric_filters,
    "DeleteMetricFilter": delete_metric_filter,
    "TestMetricFilter": test_metric_filter,
}
