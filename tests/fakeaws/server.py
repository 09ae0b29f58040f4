#!/usr/bin/env python3
"""fakeaws: one local HTTP endpoint for CloudWatch Logs, CloudWatch
alarms, STS, IMDSv2, the ECS credential endpoint and the SSO portal, and
what alarm actions reach: SNS, KMS, Lambda and Auto Scaling.

    python3 tests/fakeaws/server.py --port 0 [--state FILE] [--seed N]
        [--faults SPEC] [--credentials FILE] [--temp-ttl SECONDS]
        [--region R] [--demo] [--verbose]

The chosen port is printed alone on the first line of stdout. See
README.md for the fault spec and the /__fakeaws/ control path.
"""

import argparse
import calendar
import collections
import email.utils
import hashlib
import hmac
import json
import os
import random
import re
import signal
import socket
import struct
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, unquote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common                                    # noqa: E402
from common import AwsError, Call, Raw, Store, Streaming   # noqa: E402
import actions                                   # noqa: E402
import model                                     # noqa: E402
import logs                                      # noqa: E402
import sts                                       # noqa: E402

OPTIONAL = {}
for _name in ("cloudwatch", "insights", "livetail", "demo"):
    try:
        OPTIONAL[_name] = __import__(_name)
    except ImportError as _e:
        if _e.name != _name:
            raise

LOGS_PREFIX = "Logs_20140328."
CW_PREFIX = "GraniteServiceVersion20100801."
KMS_PREFIX = "TrentService."
# Protocols whose errors are JSON with the codes Logs uses.
JSON_FAMILY = ("logs", "kms", "lambda")
LAMBDA_PATH = "/2015-03-31/"
# Query services by signing name: (operations, XML namespace).
QUERY_SERVICES = {
    "sns": (actions.SNS_OPS, actions.SNS_NS),
    "autoscaling": (actions.ASG_OPS, actions.ASG_NS),
}
STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"
CW_NS = "http://monitoring.amazonaws.com/doc/2010-08-01/"

# per protocol: auth failure kind -> (code, status)
AUTH_CODES = {
    "logs": {
        "missing": ("MissingAuthenticationTokenException", 400),
        "incomplete": ("IncompleteSignatureException", 400),
        "unknown_key": ("UnrecognizedClientException", 400),
        "invalid_token": ("UnrecognizedClientException", 400),
        "expired_token": ("ExpiredTokenException", 400),
        "bad_sig": ("InvalidSignatureException", 400),
    },
    "query": {
        "missing": ("MissingAuthenticationToken", 403),
        "incomplete": ("IncompleteSignature", 400),
        "unknown_key": ("InvalidClientTokenId", 403),
        "invalid_token": ("InvalidClientTokenId", 403),
        "expired_token": ("ExpiredToken", 403),
        "bad_sig": ("SignatureDoesNotMatch", 403),
    },
}
AUTH_MESSAGES = {
    "missing": {"logs": "Missing Authentication Token",
                "query": "Request is missing Authentication Token"},
    "unknown_key": "The security token included in the request is invalid.",
    "invalid_token": "The security token included in the request is invalid.",
    "expired_token": "The security token included in the request is expired",
}
BAD_SIGNATURE = ("The request signature we calculated does not match the "
                 "signature you provided. Check your AWS Secret Access Key "
                 "and signing method. Consult the service documentation for "
                 "details.")

# fault kinds -> per protocol (code, status, message)
FAULT_ERRORS = {
    "throttle": {"logs": ("ThrottlingException", 400, "Rate exceeded"),
                 "query": ("Throttling", 400, "Rate exceeded")},
    "500": {"logs": ("InternalFailure", 500,
                     "The request processing has failed because of an "
                     "unknown error, exception or failure."),
            "query": ("InternalFailure", 500,
                      "The request processing has failed because of an "
                      "unknown error, exception or failure.")},
    "503": {"logs": ("ServiceUnavailableException", 503,
                     "The service is unavailable. Please try again later."),
            "query": ("ServiceUnavailable", 503,
                      "The service is unavailable. Please try again later.")},
}
RATE_KINDS = ["throttle", "500", "503", "reset", "truncate", "html", "xml",
              "empty"]
NEXT_KINDS = set(RATE_KINDS) | {"ok", "expire", "denied", "badcrc", "drop",
                                 "resetmid", "stall"}
# faults of a Live Tail stream: applied to its first frame after
# sessionStart (truncate: half of it, then the body ends cleanly; reset:
# half of it, then the connection is reset; stall: half of it, then
# nothing until the client leaves)
STREAM_KINDS = {"truncate", "badcrc", "drop", "resetmid", "stall"}
STALL_MAX_S = 600   # a stalled stream waits this long for its client

# the AWS default quotas of the operations cwkit uses (us-east-1 where
# regions differ is not assumed: the common 10 TPS is used)
AWS_QUOTAS = {
    "FilterLogEvents": 10, "GetLogEvents": 25, "DescribeLogGroups": 10,
    "DescribeLogStreams": 25, "PutLogEvents": 5000, "StartQuery": 10,
    "GetQueryResults": 10, "StopQuery": 5, "StartLiveTail": 5,
    "DescribeAlarms": 9, "PutMetricAlarm": 3, "DeleteAlarms": 3,
    "PutCompositeAlarm": 3, "PutMetricFilter": 5, "DeleteMetricFilter": 5,
    "DescribeMetricFilters": 5, "AssumeRole": 600, "GetCallerIdentity": 600,
}

# The request log keeps this much of each body: a whole StartQuery of
# 10,000 characters (up to 40,000 bytes), for tests that check requests
# against the model.
BODY_LOGGED = 64 * 1024

HTML_BODY = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n"
             b"<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
             b"</body>\r\n</html>\r\n")
XML_BODY = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>'
            b"SlowDown</Code><Message>Please reduce your request rate."
            b"</Message><RequestId>FAKEAWS0000000000</RequestId></Error>\n")


def duration(text, unit="s"):
    """'50ms' '2s' '15m' '1h' '900' (in `unit`) -> seconds (float)."""
    m = re.match(r"\s*([+-]?\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*\Z", text)
    if not m:
        raise ValueError("bad duration: %r" % text)
    v = float(m.group(1))
    u = m.group(2) or unit
    return v * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[u]


# ---- faults and quotas ----------------------------------------------------

class Faults:
    def __init__(self, seed=None):
        self.lock = threading.Lock()
        self.rng = random.Random(seed)
        self.seed = seed
        self.clear()

    def clear(self):
        self.rates = {}              # kind -> probability
        self.ops = None              # set of op names rates apply to
        self.latency = None          # (lo, hi) seconds
        self.tps = {}                # op -> limit
        self.next = []               # [(kind, op or None)]
        self.windows = {}            # op -> deque of monotonic times
        self.spec = ""

    def parse(self, spec, server):
        """Apply a spec like 'throttle=0.2,500=0.1,latency=50ms,
        skew=900s,tps.FilterLogEvents=5,op=FilterLogEvents'."""
        for item in [x.strip() for x in spec.split(",") if x.strip()]:
            if "=" not in item:
                raise ValueError("bad fault item: %r" % item)
            k, v = [x.strip() for x in item.split("=", 1)]
            if k in RATE_KINDS:
                p = float(v)
                if not 0 <= p <= 1:
                    raise ValueError("rate out of range: %r" % item)
                self.rates[k] = p
            elif k == "latency":
                if "-" in v[1:]:
                    a, b = v.split("-", 1)
                    unit = re.sub(r"[\d.\s]", "", b) or "ms"
                    self.latency = (duration(a, unit), duration(b, unit))
                else:
                    d = duration(v, "ms")
                    self.latency = (d, d)
            elif k == "skew":
                server.skew = duration(v)
            elif k.startswith("tps."):
                self.tps[k[4:]] = float(v)
            elif k == "quotas":
                if v != "aws":
                    raise ValueError("unknown quota preset: %r" % v)
                for op, n in AWS_QUOTAS.items():
                    self.tps.setdefault(op, n)
            elif k == "op":
                self.ops = set(x for x in re.split(r"[+|/ ]", v) if x)
            elif k == "seed":
                self.rng = random.Random(int(v))
            else:
                raise ValueError("unknown fault: %r" % k)
        self.spec = ",".join(x for x in (self.spec, spec) if x)

    def push_next(self, items):
        for it in items:
            kind, _, op = str(it).partition("@")
            if kind not in NEXT_KINDS:
                raise ValueError("unknown fault kind: %r" % it)
            if kind == "empty" and not op:
                op = "FilterLogEvents"
            if kind in ("badcrc", "drop", "resetmid", "stall") and not op:
                op = "StartLiveTail"
            self.next.append((kind, op or None))

    def pick(self, op, credential_endpoint=False):
        """The fault for this request, or None."""
        with self.lock:
            for i, (kind, target) in enumerate(self.next):
                if target is None and credential_endpoint:
                    continue
                if target is not None and target != op:
                    continue
                del self.next[i]
                return None if kind == "ok" else kind
            if not self.rates or credential_endpoint and not (
                    self.ops and op in self.ops):
                return None
            if self.ops is not None and op not in self.ops:
                return None
            u = self.rng.random()
            acc = 0.0
            for kind in RATE_KINDS:
                p = self.rates.get(kind, 0.0)
                if p and kind == "empty" and op != "FilterLogEvents":
                    continue
                acc += p
                if u < acc:
                    return kind
            return None

    def delay(self):
        if self.latency is None:
            return 0.0
        lo, hi = self.latency
        if lo == hi:
            return lo
        with self.lock:
            return self.rng.uniform(lo, hi)

    def over_quota(self, op):
        limit = self.tps.get(op)
        if not limit:
            return False
        now = time.monotonic()
        with self.lock:
            w = self.windows.setdefault(op, collections.deque())
            while w and now - w[0] >= 1.0:
                w.popleft()
            if len(w) >= limit:
                return True
            w.append(now)
            return False

    def to_json(self):
        return {"spec": self.spec, "rates": self.rates,
                "ops": sorted(self.ops) if self.ops is not None else None,
                "latency_ms": [x * 1000 for x in self.latency]
                if self.latency else None,
                "tps": self.tps,
                "next": ["%s@%s" % (k, o) if o else k for k, o in self.next]}


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        # Requests received and not yet answered: not zeroed by reset,
        # as they are still on their way.
        self.in_flight = 0
        self.reset()

    def begin(self):
        with self.lock:
            self.in_flight += 1

    def reset(self):
        self.total = 0
        self.ops = collections.defaultdict(collections.Counter)
        self.outcomes = collections.Counter()
        self.requests = collections.deque(maxlen=200)
        self.signature_failures = collections.deque(maxlen=20)

    def record(self, entry):
        with self.lock:
            self.in_flight -= 1
            self.total += 1
            op = entry.get("op") or "-"
            self.ops[op][entry["outcome"]] += 1
            self.outcomes[entry["outcome"]] += 1
            self.requests.append(entry)

    def to_json(self):
        with self.lock:
            reqs = list(self.requests)
            return {"total": self.total, "in_flight": self.in_flight,
                    "ops": {k: dict(v) for k, v in self.ops.items()},
                    "outcomes": dict(self.outcomes),
                    "requests": reqs,
                    "last": reqs[-1] if reqs else None,
                    "signature_failures": list(self.signature_failures)}


# ---- SigV4 verification ----------------------------------------------------

class AuthFailure(Exception):
    def __init__(self, kind, message=None):
        super().__init__(message or kind)
        self.kind = kind
        self.message = message


def _amz_date(t):
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(t))


def _encode(s):
    return quote(s, safe="-_.~")


def canonical_uri(raw_path):
    """Normalized, then encoded once more (AWS's rule for every service
    but S3)."""
    segs = []
    for seg in raw_path.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if segs:
                segs.pop()
            continue
        segs.append(seg)
    path = "/" + "/".join(segs)
    if raw_path.endswith("/") and path != "/":
        path += "/"
    return quote(path, safe="/~")


def canonical_query(raw_query, skip=()):
    pairs = []
    if raw_query:
        for part in raw_query.split("&"):
            if part == "":
                continue
            k, _, v = part.partition("=")
            k, v = unquote(k), unquote(v)
            if k in skip:
                continue
            pairs.append((_encode(k), _encode(v)))
    pairs.sort()
    return "&".join("%s=%s" % kv for kv in pairs)


_WS = re.compile(r"\s+")


def _header_values(headers, name):
    vals = headers.get_all(name) or []
    return ",".join(_WS.sub(" ", v.strip()) for v in vals)


class Verifier:
    def __init__(self):
        self.cache = {}
        self.lock = threading.Lock()

    def signing_key(self, secret, date, region, service):
        k = (secret, date, region, service)
        key = self.cache.get(k)
        if key is None:
            key = hmac.new(("AWS4" + secret).encode(), date.encode(),
                           hashlib.sha256).digest()
            for part in (region, service, "aws4_request"):
                key = hmac.new(key, part.encode(), hashlib.sha256).digest()
            with self.lock:
                if len(self.cache) > 1000:
                    self.cache.clear()
                self.cache[k] = key
        return key

    def verify(self, method, raw_path, raw_query, headers, body, now,
               creds, service, window):
        """Return (access key, region) or raise AuthFailure."""
        auth = headers.get("Authorization")
        qs = dict(parse_qsl(raw_query or "", keep_blank_values=True))
        presigned = auth is None and "X-Amz-Signature" in qs
        if auth is None and not presigned:
            raise AuthFailure("missing")
        if presigned:
            algo = qs.get("X-Amz-Algorithm")
            fields = {"Credential": qs.get("X-Amz-Credential"),
                      "SignedHeaders": qs.get("X-Amz-SignedHeaders"),
                      "Signature": qs.get("X-Amz-Signature")}
            amz = qs.get("X-Amz-Date")
        else:
            algo, _, rest = auth.strip().partition(" ")
            fields = {}
            for part in rest.split(","):
                k, _, v = part.strip().partition("=")
                if k:
                    fields[k] = v
            amz = headers.get("X-Amz-Date")
        if algo != "AWS4-HMAC-SHA256":
            raise AuthFailure("incomplete",
                              "Unsupported AWS 'algorithm': '%s'" % algo)
        missing = [p for p in ("Credential", "Signature", "SignedHeaders")
                   if not fields.get(p)]
        date_hdr = None
        if amz is None:
            date_hdr = headers.get("Date")
        if amz is None and date_hdr is None:
            missing.append("date")
        if missing:
            msg = " ".join(
                "Authorization header requires existence of either a "
                "'X-Amz-Date' or a 'Date' header." if p == "date" else
                "Authorization header requires '%s' parameter." % p
                for p in missing)
            raise AuthFailure("incomplete", msg + " Authorization=" +
                              (auth or ""))
        scope = fields["Credential"].split("/")
        if len(scope) != 5:
            raise AuthFailure("incomplete",
                              "Credential should be scoped to a valid "
                              "region. ")
        ak, sdate, region, ssvc, term = scope
        if term != "aws4_request":
            raise AuthFailure("incomplete",
                              "Credential should be scoped with a valid "
                              "terminator: 'aws4_request', not '%s'. " % term)
        signed = fields["SignedHeaders"].split(";")
        lower = [h.lower() for h in signed]
        if "host" not in lower:
            raise AuthFailure("incomplete",
                              "'Host' or ':authority' must be a "
                              "'SignedHeader' in the AWS Authorization.")
        if amz is not None and not presigned and "x-amz-date" not in lower:
            raise AuthFailure("incomplete",
                              "'X-Amz-Date' must be a 'SignedHeader' in the "
                              "AWS Authorization.")
        if amz is None and "date" not in lower:
            raise AuthFailure("incomplete",
                              "'Date' must be a 'SignedHeader' in the AWS "
                              "Authorization.")
        # time
        try:
            if amz is not None:
                t = calendar.timegm(time.strptime(amz, "%Y%m%dT%H%M%SZ"))
            else:
                t = int(email.utils.mktime_tz(
                    email.utils.parsedate_tz(date_hdr)))
                amz = _amz_date(t)
        except (ValueError, TypeError, OverflowError):
            raise AuthFailure("incomplete",
                              "Date must be in ISO-8601 'basic format'. Got "
                              "'%s'. See http://en.wikipedia.org/wiki/"
                              "ISO_8601" % (amz or date_hdr))
        mins = int(window // 60)
        if t < now - window:
            raise AuthFailure(
                "bad_sig", "Signature expired: %s is now earlier than %s "
                "(%s - %d min.)" % (amz, _amz_date(now - window),
                                    _amz_date(now), mins))
        if t > now + window:
            raise AuthFailure(
                "bad_sig", "Signature not yet current: %s is still later "
                "than %s (%s + %d min.)" % (amz, _amz_date(now + window),
                                            _amz_date(now), mins))
        # key and token
        found = creds.lookup(ak)
        if found is None:
            raise AuthFailure("unknown_key")
        secret, temp = found
        token = headers.get("X-Amz-Security-Token")
        if presigned:
            token = qs.get("X-Amz-Security-Token", token)
        if temp is None:
            if token:
                raise AuthFailure("invalid_token")
        else:
            if token != temp["token"]:
                raise AuthFailure("invalid_token")
            if temp["expiration"] <= now:
                raise AuthFailure("expired_token")
        # scope
        if sdate != amz[:8]:
            raise AuthFailure(
                "bad_sig", "Date in Credential scope does not match YYYYMMDD "
                "from ISO-8601 version of date from HTTP: '%s' != '%s', from "
                "'%s'." % (sdate, amz[:8], amz))
        if not re.match(r"[a-z0-9-]+\Z", region):
            raise AuthFailure("bad_sig", "Credential should be scoped to a "
                              "valid region. ")
        if ssvc != service:
            raise AuthFailure("bad_sig", "Credential should be scoped to "
                              "correct service: '%s'. " % service)
        # signature
        creq = "\n".join([
            method,
            canonical_uri(raw_path),
            canonical_query(raw_query, ("X-Amz-Signature",) if presigned
                            else ()),
            "".join("%s:%s\n" % (h, _header_values(headers, h))
                    for h in lower),
            ";".join(lower),
            "UNSIGNED-PAYLOAD" if presigned
            else hashlib.sha256(body).hexdigest(),
        ])
        sts_ = "\n".join(["AWS4-HMAC-SHA256", amz,
                          "/".join([sdate, region, ssvc, "aws4_request"]),
                          hashlib.sha256(creq.encode("utf-8")).hexdigest()])
        key = self.signing_key(secret, sdate, region, ssvc)
        want = hmac.new(key, sts_.encode("utf-8"), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(want, fields["Signature"]):
            e = AuthFailure("bad_sig", BAD_SIGNATURE)
            e.canonical = creq
            e.string_to_sign = sts_
            raise e
        return ak, region


# ---- the server ------------------------------------------------------------

class FakeAws:
    def __init__(self, args):
        self.args = args
        self.skew = 0.0
        self.region = args.region
        self.faults = Faults(args.seed)
        self.stats = Stats()
        self.verifier = Verifier()
        self.store = Store(clock=lambda: int(self.now() * 1000))
        self.store.home_region = args.region
        self.creds = sts.Credentials(now=self.now, ttl=args.temp_ttl,
                                     seed=args.seed)
        self.store.credentials = self.creds
        if args.credentials:
            with open(args.credentials) as f:
                for pair in json.load(f):
                    self.creds.static[pair["AccessKeyId"]] = \
                        pair["SecretAccessKey"]
        if args.faults:
            self.faults.parse(args.faults, self)
        self.logs_ops = dict(logs.OPS)
        for name in ("insights", "livetail"):
            mod = OPTIONAL.get(name)
            if mod is not None:
                self.logs_ops.update(getattr(mod, "OPS", {}))
        cw = OPTIONAL.get("cloudwatch")
        self.cw_ops = dict(getattr(cw, "OPS", {})) if cw else {}
        self.init_modules()
        if args.state and os.path.exists(args.state):
            self.load_state(args.state)
        if args.demo:
            self.load_demo(args.seed)

    def init_modules(self):
        actions.init(self.store)
        for name in ("cloudwatch", "insights", "livetail"):
            mod = OPTIONAL.get(name)
            if mod is not None and hasattr(mod, "init"):
                mod.init(self.store)

    def now(self):
        return time.time() + self.skew

    def load_demo(self, seed=None):
        demo = OPTIONAL.get("demo")
        if demo is None:
            raise RuntimeError("demo.py is missing")
        demo.load(self.store, seed=seed, region=self.region)

    def reset(self):
        with self.store.lock:
            self.store.groups.clear()
            self.store.alarms.clear()
            self.store.tags.clear()
            self.store.queries.clear()
            self.store.__dict__.pop("cw_regions", None)
            getattr(self.store, "query_definitions", {}).clear()
            actions.reset(self.store)
        self.stats.reset()
        with self.faults.lock:
            self.faults.clear()
        self.skew = 0.0

    # -- state --------------------------------------------------------------

    SKIP_ATTRS = {"lock", "clock", "listeners", "groups", "queries",
                  "credentials", "options", "next_event_id"}

    def save_state(self, path):
        st = self.store
        with st.lock:
            groups = []
            for g in st.groups.values():
                groups.append({
                    "name": g.name, "created": g.created,
                    "retention": g.retention, "arn": g.arn,
                    "class": getattr(g, "log_group_class", "STANDARD"),
                    "metric_filters": g.metric_filters,
                    "streams": [{
                        "name": s.name, "created": s.created,
                        "last_ingestion": getattr(s, "last_ingestion", None),
                        "events": [[e.timestamp, e.ingestion_time,
                                    e.message, e.event_id]
                                   for e in s.events],
                    } for s in g.streams.values()],
                })
            extra = {}
            for k, v in vars(st).items():
                if k in self.SKIP_ATTRS or callable(v):
                    continue
                try:
                    json.dumps(v)
                except (TypeError, ValueError):
                    continue
                extra[k] = v
            obj = {"version": 1, "groups": groups,
                   "next_event_id": st.next_event_id, "extra": extra,
                   "credentials": self.creds.to_json()}
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(obj, f)
        os.replace(tmp, path)

    def load_state(self, path):
        with open(path) as f:
            obj = json.load(f)
        st = self.store
        with st.lock:
            for gd in obj.get("groups", []):
                g = common.LogGroup(gd["name"], gd["created"], self.region)
                g.arn = gd.get("arn", g.arn)
                g.retention = gd.get("retention")
                g.log_group_class = gd.get("class", "STANDARD")
                g.metric_filters = gd.get("metric_filters", {})
                for sd in gd.get("streams", []):
                    s = common.LogStream(sd["name"], sd["created"])
                    for ts, ing, msg, eid in sd["events"]:
                        s.events.append(common.Event(ts, ing, msg, eid,
                                                     s.name, g.name))
                        n = len(msg.encode("utf-8")) + 26
                        s.stored_bytes += n
                    s.events.sort(key=lambda e: e.event_id)
                    if sd.get("last_ingestion") is not None:
                        s.last_ingestion = sd["last_ingestion"]
                    g.streams[s.name] = s
                    g.stored_bytes += s.stored_bytes
                st.groups[g.name] = g
            st.next_event_id = max(st.next_event_id,
                                   obj.get("next_event_id", 1))
            for k, v in obj.get("extra", {}).items():
                cur = getattr(st, k, None)
                if isinstance(cur, dict) and isinstance(v, dict):
                    cur.update(v)
                else:
                    setattr(st, k, v)
        self.creds.load_json(obj.get("credentials", {}))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fakeaws"
    sys_version = ""

    def setup(self):
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP,
                                       socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass

    def log_message(self, fmt, *args):
        if self.server.app.args.verbose:
            sys.stderr.write("fakeaws: %s\n" % (fmt % args))

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = \
        lambda self: self.dispatch()

    # -- plumbing -------------------------------------------------------------

    def read_body(self):
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            parts = []
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n",
                                                             b""):
                        pass
                    break
                parts.append(self.rfile.read(size))
                self.rfile.readline(65537)
            return b"".join(parts)
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def send(self, status, body=b"", ctype="application/json", headers=(),
             truncate=False):
        app = self.server.app
        if isinstance(body, str):
            body = body.encode("utf-8")
        reason = self.responses.get(status, ("Unknown",))[0]
        lines = ["HTTP/1.1 %d %s" % (status, reason),
                 "x-amzn-RequestId: %s" % self.request_id,
                 "Date: %s" % email.utils.formatdate(app.now(), usegmt=True),
                 "Content-Type: %s" % ctype,
                 "Content-Length: %d" % len(body)]
        for k, v in headers:
            lines.append("%s: %s" % (k, v))
        if self.close_connection or truncate:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.status = status
        if self.command == "HEAD":
            body = b""
        if truncate:
            self.wfile.write(head + body[:len(body) // 2])
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            return
        if len(body) > 65536:
            # no copy of big bodies: scatter-gather
            view = memoryview(body)
            sent = self.connection.sendmsg([head, view])
            if sent < len(head):
                self.wfile.write(head[sent:])
                sent = len(head)
            self.wfile.write(view[sent - len(head):])
        else:
            self.wfile.write(head + body)

    def send_stream(self, stream, fault=None):
        app = self.server.app
        lines = ["HTTP/1.1 200 OK",
                 "x-amzn-RequestId: %s" % self.request_id,
                 "Date: %s" % email.utils.formatdate(app.now(), usegmt=True),
                 "Content-Type: %s" % stream.content_type,
                 "Transfer-Encoding: chunked"]
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.status = 200
        chunks = stream.chunks
        try:
            for i, chunk in enumerate(chunks):
                if not chunk:
                    continue
                if fault and i == stream.fault_at:
                    self.outcome = fault
                    if fault == "drop":
                        self.close_connection = True
                        self.connection.shutdown(socket.SHUT_RDWR)
                        return
                    if fault in ("truncate", "resetmid", "stall"):
                        chunk = chunk[:len(chunk) // 2]
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk),
                                                              chunk))
                        if fault == "resetmid":
                            self.wfile.flush()
                            return self.reset_connection()
                        if fault == "stall":
                            return self.stall()
                        break
                    chunk = chunk[:-1] + bytes([chunk[-1] ^ 0xFF])
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            self.close_connection = True
        finally:
            close = getattr(chunks, "close", None)
            if close:
                close()

    def stall(self):
        """Sends nothing more, until the client leaves."""
        self.wfile.flush()
        self.close_connection = True
        self.connection.settimeout(STALL_MAX_S)
        try:
            while self.connection.recv(4096):
                pass
        except OSError:
            pass

    def reset_connection(self):
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.close_connection = True
        try:
            self.connection.close()
        except OSError:
            pass
        self.status = 0

    # -- dispatch -------------------------------------------------------------

    def dispatch(self):
        app = self.server.app
        self.request_id = str(uuid.uuid4())
        self.status = 0
        raw_path, _, raw_query = self.path.partition("?")
        self.raw_path, self.raw_query = raw_path, raw_query
        self.op = None
        self.outcome = None
        try:
            body = self.read_body()
        except (ValueError, OSError):
            self.close_connection = True
            self.send(400, b"bad request body", "text/plain")
            return
        if not raw_path.startswith("/__fakeaws"):
            app.stats.begin()
        began = time.time()
        try:
            if raw_path.startswith("/__fakeaws/") or raw_path == "/__fakeaws":
                self.control(raw_path[len("/__fakeaws"):].strip("/"),
                             body)
                return
            self.route(body)
        except BrokenPipeError:
            self.close_connection = True
        finally:
            if not raw_path.startswith("/__fakeaws"):
                app.stats.record({
                    "method": self.command, "path": self.path,
                    "op": self.op, "status": self.status,
                    "outcome": self.outcome or str(self.status),
                    "headers": {k: v for k, v in self.headers.items()},
                    # Whose keys signed it, to tell accounts apart.
                    "account": self.signer_account(),
                    # What the client asked, for tests that assert on it.
                    "body": body[:BODY_LOGGED].decode("utf-8", "replace"),
                    "time": round(time.time(), 3),
                    # When its body had arrived: with "time", whether
                    # two requests were served at once.
                    "start": round(began, 3),
                })

    def signer_account(self):
        m = re.search(r"Credential=([A-Z0-9]+)/",
                      self.headers.get("Authorization") or "")
        if not m:
            return None
        return sts.account_of(self.server.app.store.credentials, m.group(1))

    def route(self, body):
        h = self.headers
        path = self.raw_path
        target = h.get("X-Amz-Target")
        ctype = (h.get("Content-Type") or "").lower()
        if path.startswith("/latest/"):
            return self.credential_endpoint("IMDS", body)
        if path == "/federation/credentials":
            return self.credential_endpoint("GetRoleCredentials", body)
        if target:
            if target.startswith(LOGS_PREFIX):
                return self.json_call("logs", target[len(LOGS_PREFIX):],
                                      body)
            if target.startswith(CW_PREFIX):
                return self.json_call("cloudwatch", target[len(CW_PREFIX):],
                                      body)
            if target.startswith(KMS_PREFIX):
                return self.json_call("kms", target[len(KMS_PREFIX):],
                                      body)
            proto = "cloudwatch" if "1.0" in ctype else "logs"
            self.op = target.rpartition(".")[2]
            return self.error(proto, AwsError(
                "UnknownOperationException", "Unknown target: %s" % target))
        if path.startswith(LAMBDA_PATH):
            return self.lambda_call(body)
        if self.command == "POST" and \
                "application/x-www-form-urlencoded" in ctype:
            return self.query_call(body.decode("utf-8", "replace"))
        if self.command == "GET" and re.search(r"(^|&)Action=",
                                               self.raw_query):
            return self.query_call(self.raw_query)
        if self.command in ("GET", "HEAD") and path != "/":
            return self.credential_endpoint("ECSCredentials", body)
        self.op = None
        self.error("logs", AwsError("UnknownOperationException",
                                    "No operation in the request"))

    # -- errors ---------------------------------------------------------------

    def error(self, proto, err, extra_headers=()):
        """Send an AwsError in the request's protocol."""
        self.outcome = err.code
        side = "Sender" if err.sender else "Receiver"
        extra = getattr(err, "extra", None) or {}
        if proto in ("logs", "kms"):
            obj = {"__type": err.code, "message": err.message}
            obj.update(extra)
            body = json.dumps(obj)
            return self.send(err.status, body, "application/x-amz-json-1.1",
                             extra_headers)
        if proto == "lambda":
            # REST-JSON: the code in a header, as Lambda answers.
            body = json.dumps({"Type": "User", "Message": err.message})
            return self.send(err.status, body, "application/json",
                             [("x-amzn-ErrorType", err.code)]
                             + list(extra_headers))
        if proto == "cloudwatch":
            coral = getattr(err, "coral", False)
            shapes = getattr(common, "QUERY_ERROR_SHAPES", {})
            shape = shapes.get(err.code, err.code)
            ns = "com.amazon.coral.service#" if coral else \
                "com.amazonaws.cloudwatch#"
            obj = {"__type": ns + shape, "message": err.message}
            obj.update(extra)
            body = json.dumps(obj)
            return self.send(err.status, body, "application/x-amz-json-1.0",
                             [("x-amzn-query-error", "%s;%s" % (err.code,
                                                                side))]
                             + list(extra_headers))
        ns = CW_NS if proto == "cwquery" else STS_NS
        body = ('<ErrorResponse xmlns="%s">\n  <Error>\n    <Type>%s</Type>\n'
                '    <Code>%s</Code>\n    <Message>%s</Message>\n  </Error>\n'
                '  <RequestId>%s</RequestId>\n</ErrorResponse>\n' % (
                    ns, side, xml_escape(err.code), xml_escape(err.message),
                    self.request_id))
        return self.send(err.status, body, "text/xml", extra_headers)

    def auth_error(self, proto, fail):
        family = "logs" if proto in JSON_FAMILY else "query"
        code, status = AUTH_CODES[family][fail.kind]
        msg = fail.message
        if fail.kind in AUTH_MESSAGES:
            m = AUTH_MESSAGES[fail.kind]
            msg = m[family] if isinstance(m, dict) else m
        err = AwsError(code, msg, status)
        err.coral = True
        if getattr(fail, "canonical", None) is not None:
            app = self.server.app
            with app.stats.lock:
                app.stats.signature_failures.append({
                    "op": self.op, "canonical_request": fail.canonical,
                    "string_to_sign": fail.string_to_sign})
        return self.error(proto, err)

    def fault_response(self, proto, kind):
        """Send the fault `kind`; True when the request is finished."""
        self.outcome = kind
        if kind == "reset":
            self.reset_connection()
            return True
        if kind == "html":
            self.send(502, HTML_BODY, "text/html")
            self.outcome = "html"
            return True
        if kind == "xml":
            self.send(503, XML_BODY, "application/xml")
            self.outcome = "xml"
            return True
        if kind == "throttle" and proto == "lambda":
            self.error(proto, AwsError("TooManyRequestsException",
                                       "Rate exceeded", 429))
            self.outcome = kind
            return True
        if kind in FAULT_ERRORS:
            family = "logs" if proto in JSON_FAMILY else "query"
            code, status, msg = FAULT_ERRORS[kind][family]
            self.error(proto, AwsError(code, msg, status, status < 500))
            self.outcome = kind
            return True
        return False

    # -- AWS calls --------------------------------------------------------------

    def pre(self, proto, op, credential_endpoint=False):
        """Latency and injected faults; returns the fault kind still to
        apply later (truncate, empty), or 'done'."""
        app = self.server.app
        kind = app.faults.pick(op, credential_endpoint)
        d = app.faults.delay()
        if d > 0:
            time.sleep(d)
        if kind == "expire":
            app.creds.expire()
            kind = None
        if kind in ("truncate", "empty", None) or kind in STREAM_KINDS:
            return kind
        if kind == "denied" and not credential_endpoint:
            self.error(proto, AwsError(
                "AccessDeniedException" if proto in JSON_FAMILY
                else "AccessDenied",
                "User: arn:aws:iam::%s:user/fakeaws is not authorized to "
                "perform: %s:%s" % (common.ACCOUNT, proto if proto in (
                                        "logs", "kms", "lambda", "sns",
                                        "autoscaling") else "cloudwatch",
                                    op),
                400 if proto in JSON_FAMILY else 403))
            return "done"
        if credential_endpoint:
            if kind == "reset":
                self.reset_connection()
            else:
                status = {"throttle": 429, "500": 500, "503": 503,
                          "html": 502, "xml": 503}[kind]
                self.send(status, {"html": HTML_BODY, "xml": XML_BODY}.get(
                    kind, b"fault"), "text/html" if kind == "html"
                    else "text/plain")
            self.outcome = kind
            return "done"
        self.fault_response(proto, kind)
        return "done"

    def authenticate(self, proto, service, body):
        app = self.server.app
        window = 900 if proto == "query" else 300
        try:
            return app.verifier.verify(
                self.command, self.raw_path, self.raw_query, self.headers,
                body, int(app.now()), app.creds, service, window)
        except AuthFailure as fail:
            self.auth_error(proto, fail)
            return None

    def json_call(self, proto, op, body):
        app = self.server.app
        self.op = op
        ops = {"logs": app.logs_ops, "kms": actions.KMS_OPS}.get(
            proto, app.cw_ops)
        service = {"logs": "logs", "kms": "kms"}.get(proto, "monitoring")
        fault = self.pre(proto, op)
        if fault == "done":
            return
        who = self.authenticate(proto, service, body)
        if who is None:
            return
        ak, region = who
        handler = ops.get(op)
        if handler is None:
            return self.error(proto, AwsError(
                "UnknownOperationException" if proto in JSON_FAMILY
                else "InvalidAction",
                "" if proto in JSON_FAMILY else
                "The action %s is not valid for this web service." % op))
        if app.faults.over_quota(op):
            family = "logs" if proto in JSON_FAMILY else "query"
            code, status, msg = FAULT_ERRORS["throttle"][family]
            self.error(proto, AwsError(code, msg, status))
            self.outcome = "quota"
            return
        try:
            params = json.loads(body.decode("utf-8")) if body.strip() \
                else {}
            if not isinstance(params, dict):
                raise ValueError
        except ValueError:
            return self.error(proto, AwsError(
                "SerializationException",
                "Start of structure or map found where not expected."
                if body.strip()[:1] != b"{" else
                "Unexpected end of input"))
        # The Logs model's lengths, ranges, patterns and enums, checked
        # before the operation runs, as the service does.
        try:
            bad = model.constraints(op, params) if proto == "logs" \
                else None
        except Exception:    # a bug in the checker: said, not fatal
            import traceback
            traceback.print_exc()
            bad = None
        if bad:
            return self.error(proto, common.invalid(bad))
        call = Call(region, service, ak, op, self.headers)
        call.fault = fault if fault == "empty" else None
        try:
            result = handler(app.store, params, call)
        except AwsError as err:
            return self.error(proto, err)
        except Exception as exc:      # a bug in a handler: say so, loudly
            import traceback
            traceback.print_exc()
            return self.error(proto, AwsError(
                "InternalFailure", "fakeaws: %s: %s" % (
                    type(exc).__name__, exc), 500, False))
        ctype = "application/x-amz-json-1.1" if proto in ("logs", "kms") \
            else "application/x-amz-json-1.0"
        if isinstance(result, Streaming):
            self.outcome = "stream"
            return self.send_stream(result, fault if fault in STREAM_KINDS
                                    else None)
        if isinstance(result, Raw):
            out = result.text
        else:
            out = json.dumps(result if result is not None else {},
                             separators=(",", ":"))
        self.outcome = "truncate" if fault == "truncate" else "ok"
        self.send(200, out, ctype, truncate=fault == "truncate")

    def query_call(self, form):
        app = self.server.app
        params = dict(parse_qsl(form, keep_blank_values=True))
        action = params.pop("Action", None)
        params.pop("Version", None)
        self.op = action
        auth = self.headers.get("Authorization") or ""
        m = re.search(r"Credential=[^/]*/[^/]*/[^/]*/([^/]*)/", auth)
        if m and m.group(1) == "monitoring":
            return self.error("cwquery", AwsError(
                "InvalidAction", "fakeaws serves CloudWatch through AWS JSON "
                "1.0 only; the Query protocol is not emulated"))
        service = m.group(1) if m and m.group(1) in QUERY_SERVICES else "sts"
        ops, ns = QUERY_SERVICES.get(service, (sts.OPS, STS_NS))
        fault = self.pre("query" if service == "sts" else service,
                         action or "-")
        if fault == "done":
            return
        handler = ops.get(action)
        if action is None:
            return self.error("query", AwsError(
                "MissingAction", "Missing Action"))
        if handler is None:
            return self.error("query", AwsError(
                "InvalidAction", "Could not find operation %s for version "
                "2011-06-15" % action))
        ak, region = None, app.region
        if service != "sts" or action not in sts.UNSIGNED or auth:
            who = self.authenticate("query", service, form.encode("utf-8")
                                    if self.command == "POST" else b"")
            if who is None:
                return
            ak, region = who
        if app.faults.over_quota(action):
            self.error("query", AwsError("Throttling", "Rate exceeded"))
            self.outcome = "quota"
            return
        call = Call(region, service, ak, action, self.headers)
        try:
            result = handler(app.store, params, call)
        except AwsError as err:
            return self.error("query", err)
        body = ('<%sResponse xmlns="%s">\n  <%sResult>\n%s  </%sResult>\n'
                '  <ResponseMetadata>\n    <RequestId>%s</RequestId>\n'
                '  </ResponseMetadata>\n</%sResponse>\n' % (
                    action, ns, action, to_xml(result, 4), action,
                    self.request_id, action))
        self.outcome = "truncate" if fault == "truncate" else "ok"
        self.send(200, body, "text/xml", truncate=fault == "truncate")

    def lambda_call(self, body):
        app = self.server.app
        self.op = actions.lambda_op(self.command, self.raw_path)
        fault = self.pre("lambda", self.op)
        if fault == "done":
            return
        who = self.authenticate("lambda", "lambda", body)
        if who is None:
            return
        ak, region = who
        call = Call(region, "lambda", ak, self.op, self.headers)
        try:
            result = actions.lambda_call(
                app.store, self.command, self.raw_path, self.raw_query, body,
                call)
        except ValueError:
            return self.error("lambda", AwsError(
                "InvalidRequestContentException", "Could not parse request "
                "body into json"))
        except AwsError as err:
            return self.error("lambda", err)
        self.outcome = "ok"
        self.send(201 if self.command == "POST" else 200,
                  json.dumps(result), "application/json")

    def credential_endpoint(self, op, body):
        app = self.server.app
        self.op = op
        if op == "IMDS" and self.raw_path == "/latest/api/token":
            self.op = op = "IMDSToken"
        fault = self.pre(None, op, credential_endpoint=True)
        if fault == "done":
            return
        if op in ("IMDS", "IMDSToken"):
            res = sts.imds(app.creds, self.command, self.raw_path,
                           self.headers, app.region)
        elif op == "GetRoleCredentials":
            res = sts.sso(app.creds, self.raw_query, self.headers)
        else:
            res = sts.ecs(app.creds, self.raw_path, self.headers)
        status, ctype, out = res[:3]
        extra = list(res[3].items()) if len(res) > 3 else []
        self.outcome = "truncate" if fault == "truncate" else str(status)
        self.send(status, out, ctype, extra, truncate=fault == "truncate")

    # -- control path -------------------------------------------------------------

    def control(self, what, body):
        app = self.server.app
        try:
            req = json.loads(body.decode("utf-8")) if body.strip() else {}
        except ValueError:
            return self.send(400, json.dumps({"error": "body is not JSON"}))
        try:
            out = self.control_op(app, what, req)
        except (ValueError, KeyError, TypeError) as e:
            return self.send(400, json.dumps({"error": str(e)}))
        if out is None:
            return self.send(404, json.dumps({"error": "unknown control "
                                              "endpoint: %s" % what}))
        self.send(200, json.dumps(out))

    def control_op(self, app, what, req):
        m = self.command
        if what == "health":
            return {"ok": True}
        if what == "faults":
            if m == "DELETE" or req.get("clear"):
                with app.faults.lock:
                    app.faults.clear()
            if m in ("POST", "PUT"):
                if "spec" in req:
                    app.faults.parse(req["spec"], app)
                if "next" in req:
                    with app.faults.lock:
                        app.faults.push_next(req["next"])
            return app.faults.to_json()
        if what == "clock":
            if m in ("POST", "PUT"):
                v = req.get("skew", 0)
                app.skew = duration(v) if isinstance(v, str) else float(v)
            return {"skew": app.skew, "now": app.now()}
        if what == "stats":
            if m == "DELETE" or req.get("reset"):
                app.stats.reset()
            return app.stats.to_json()
        if what == "reset":
            app.reset()
            return {"ok": True}
        if what == "temp-ttl":
            if m in ("POST", "PUT"):
                app.creds.ttl = int(req["seconds"])
            return {"seconds": app.creds.ttl}
        if what == "ecs-token":
            if m in ("POST", "PUT"):
                app.creds.ecs_token = req["token"]
            return {"token": app.creds.ecs_token}
        if what == "sso-tokens":
            if m in ("POST", "PUT"):
                toks = req.get("tokens")
                if toks is None:
                    toks = [req["token"]]
                app.creds.sso_tokens = set(toks)
            return {"tokens": sorted(app.creds.sso_tokens)}
        if what == "web-identity-tokens":
            if m in ("POST", "PUT"):
                toks = req.get("tokens")
                app.creds.web_identity_tokens = \
                    set(toks) if toks is not None else None
            t = app.creds.web_identity_tokens
            return {"tokens": sorted(t) if t is not None else None}
        if what == "roles":
            if m in ("POST", "PUT"):
                arn = req["RoleArn"]
                rule = {k: req[k] for k in ("ExternalId", "MfaSerial",
                                            "MfaCode") if k in req}
                app.creds.roles[arn] = rule
            if m == "DELETE":
                app.creds.roles.clear()
            return {"roles": app.creds.roles}
        if what == "credentials":
            if m in ("POST", "PUT"):
                app.creds.static[req["AccessKeyId"]] = req["SecretAccessKey"]
            return {"static": sorted(app.creds.static),
                    "temporary": sorted(app.creds.temp)}
        if what == "expire":
            app.creds.expire(req.get("AccessKeyId"))
            return {"ok": True}
        if what == "imds":
            if m in ("POST", "PUT"):
                if "role" in req:
                    app.creds.imds_role = req["role"]
                if "v1" in req:
                    app.creds.imds_v1 = bool(req["v1"])
            return {"role": app.creds.imds_role, "v1": app.creds.imds_v1}
        if what == "options":
            if m in ("POST", "PUT"):
                app.store.options.update(req)
            return app.store.options
        if what == "metrics":
            # Seeds metrics of any namespace, AWS/ ones included:
            # {"region", "Namespace", "MetricData": [...]}.
            cw = OPTIONAL.get("cloudwatch")
            if m in ("POST", "PUT"):
                try:
                    n = cw.seed_metrics(app.store,
                                        req.get("region", app.region),
                                        req.get("Namespace"),
                                        req.get("MetricData"))
                except AwsError as e:
                    raise ValueError("%s: %s" % (e.code, e.message))
                return {"metrics": n}
            return {}
        if what == "actions" and m in ("POST", "PUT"):
            return actions.control(app.store, req)
        if what == "demo":
            app.load_demo(req.get("seed", app.args.seed))
            return {"groups": sorted(app.store.groups)}
        if what == "save":
            path = req.get("path") or app.args.state
            if not path:
                raise ValueError("no state file")
            app.save_state(path)
            return {"saved": path}
        return None


def xml_escape(s):
    return (str(s).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


def to_xml(obj, indent):
    pad = " " * indent
    out = []
    for k, v in obj.items():
        if isinstance(v, actions.XmlMap):
            items = "".join(
                "%s  <entry><key>%s</key><value>%s</value></entry>\n" % (
                    pad, xml_escape(ek), xml_escape(ev))
                for ek, ev in v.items())
            out.append("%s<%s>\n%s%s</%s>\n" % (pad, k, items, pad, k))
        elif isinstance(v, dict):
            out.append("%s<%s>\n%s%s</%s>\n" % (pad, k, to_xml(v, indent + 2),
                                                 pad, k))
        elif isinstance(v, list):
            items = "".join(
                "%s  <member>\n%s%s  </member>\n" % (pad, to_xml(i, indent + 4),
                                                     pad)
                if isinstance(i, dict) else
                "%s  <member>%s</member>\n" % (pad, xml_escape(i))
                for i in v)
            out.append("%s<%s>\n%s%s</%s>\n" % (pad, k, items, pad, k))
        elif isinstance(v, bool):
            out.append("%s<%s>%s</%s>\n" % (pad, k, "true" if v else "false",
                                            k))
        elif v is not None:
            out.append("%s<%s>%s</%s>\n" % (pad, k, xml_escape(v), k))
    return "".join(out)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def parse_args(argv):
    p = argparse.ArgumentParser(description="local AWS endpoint for tests")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--state", help="JSON state file: loaded at start if it "
                   "exists, saved at exit")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--faults", default="", help="fault spec, see README.md")
    p.add_argument("--credentials", help="JSON list of {AccessKeyId, "
                   "SecretAccessKey} accepted besides the example pair")
    p.add_argument("--temp-ttl", type=int, default=3600,
                   help="lifetime of temporary credentials, seconds")
    p.add_argument("--region", default="us-east-1",
                   help="region of unsigned calls, IMDS and ARNs")
    p.add_argument("--demo", action="store_true",
                   help="load the demo data set at start")
    p.add_argument("--verbose", action="store_true")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        app = FakeAws(args)
    except (ValueError, OSError) as e:
        sys.stderr.write("fakeaws: %s\n" % e)
        return 2
    try:
        srv = Server(("127.0.0.1", args.port), Handler)
    except OSError as e:
        sys.stderr.write("fakeaws: port %d: %s\n" % (args.port, e.strerror))
        return 2
    srv.app = app
    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    t = threading.Thread(target=srv.serve_forever, kwargs={
        "poll_interval": 0.1}, daemon=True)
    t.start()
    sys.stdout.write("%d\n" % srv.server_address[1])
    sys.stdout.flush()
    while not stop.wait(0.2):
        pass
    srv.shutdown()
    srv.server_close()
    if args.state:
        try:
            app.save_state(args.state)
        except OSError as e:
            sys.stderr.write("fakeaws: saving %s: %s\n" % (args.state, e))
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
