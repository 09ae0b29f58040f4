"""CloudWatch metric data: PutMetricData, GetMetricData, ListMetrics.

Handlers get the region's view of the store (cloudwatch._Regional):
store.metrics maps a metric's key (namespace, name, sorted dimensions, as
JSON text so state files can hold it) to its samples, each
{"t": epoch seconds, "u": unit, "v": [values]} or {..., "s":
{SampleCount, Sum, Minimum, Maximum}}.

GetMetricData buckets samples by Period (aligned to the epoch), computes
the basic statistics, percentiles (pNN, nearest rank), trimmed means
(tmNN, IQM) and metric math with + - * / and parentheses over series and
numbers. Other statistics and functions are refused with
"unsupported by emulator", never answered wrongly. Results are paged by
MaxDatapoints, or by store.options "metric_page" (points per page), so
clients can be made to page with little data.
"""

import base64
import json
import math
import re

try:
    from .common import AwsError
except ImportError:
    from common import AwsError

STATS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"]
ID_RE = re.compile(r"^[a-z][a-zA-Z0-9_]*$")
PCT_RE = re.compile(r"^p(\d{1,2}(\.\d{1,10})?|100(\.0{1,10})?)$")
TM_RE = re.compile(r"^tm(\d{1,2}(\.\d{1,10})?|100)$")
DEFAULT_PAGE = 100800
MAX_SAMPLES = 1000000       # per region: bounded memory


def _err(code, msg):
    return AwsError(code, msg)


def _key(ns, name, dims):
    d = sorted([x.get("Name"), x.get("Value")] for x in dims or [])
    return json.dumps([ns, name, d], separators=(",", ":"))


def _num(v, what):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or \
            math.isnan(v) or math.isinf(v):
        raise _err("InvalidParameterValue", "The value %s for parameter %s "
                   "is invalid." % (v, what))
    return float(v)


# ------------------------------------------------------- PutMetricData

def _datum_values(d, where):
    if d.get("StatisticValues") is not None:
        sv = d["StatisticValues"]
        for k in ("SampleCount", "Sum", "Minimum", "Maximum"):
            if k not in sv:
                raise _err("MissingParameter", "The parameter %s"
                           "StatisticValues.%s is required." % (where, k))
            _num(sv[k], where + "StatisticValues." + k)
        return {"s": {k: float(sv[k]) for k in
                      ("SampleCount", "Sum", "Minimum", "Maximum")}}
    if d.get("Values") is not None:
        vals = [_num(v, where + "Values") for v in d["Values"]]
        counts = d.get("Counts") or [1] * len(vals)
        if len(counts) != len(vals) or len(vals) > 150:
            raise _err("InvalidParameterValue", "The parameters %sValues "
                       "and %sCounts must be of the same size, at most 150."
                       % (where, where))
        out = []
        for v, n in zip(vals, counts):
            out.extend([v] * max(1, min(int(n), 1000)))
        return {"v": out}
    if d.get("Value") is None:
        raise _err("MissingParameter", "One of %sValue, %sValues or "
                   "%sStatisticValues is required." % (where, where, where))
    return {"v": [_num(d["Value"], where + "Value")]}


def put_metric_data(store, params, call):
    ns = params.get("Namespace")
    if isinstance(ns, str) and ns.startswith("AWS/"):
        raise _err("InvalidParameterValue", "The value AWS/ for parameter "
                   "Namespace is invalid.")
    add(store, ns, params.get("MetricData"))
    return {}


def add(store, ns, data, seed=False):
    """Records PutMetricData's samples. seed (the control path): a datum
    may carry no value, and then only makes the metric known to
    ListMetrics. Returns the number of metrics the region knows."""
    if not isinstance(ns, str) or not 1 <= len(ns) <= 255:
        raise _err("MissingParameter", "The parameter Namespace is "
                   "required.")
    if not isinstance(data, list) or not 1 <= len(data) <= 1000:
        raise _err("MissingParameter", "The parameter MetricData is "
                   "required and holds at most 1000 items.")
    now = store.now_ms() / 1000.0
    rows = []
    for i, d in enumerate(data):
        where = "MetricData.member.%d." % (i + 1)
        if not isinstance(d, dict) or not isinstance(d.get("MetricName"),
                                                     str):
            raise _err("MissingParameter", "The parameter %sMetricName is "
                       "required." % where)
        dims = d.get("Dimensions") or []
        if len(dims) > 30:
            raise _err("InvalidParameterValue", "The collection %s"
                       "Dimensions must not have a size greater than 30."
                       % where)
        t = float(d.get("Timestamp", now))
        if t < now - 14 * 86400 or t > now + 7200:
            raise _err("InvalidParameterValue", "The parameter %sTimestamp "
                       "must specify a time no more than two weeks in the "
                       "past or two hours in the future." % where)
        row = {"t": t, "u": d.get("Unit") or "None"}
        if seed and all(d.get(f) is None for f in
                        ("Value", "Values", "StatisticValues")):
            row = None
        else:
            row.update(_datum_values(d, where))
        rows.append((_key(ns, d["MetricName"], dims), row))
    with store.lock:
        total = sum(len(v) for v in store.metrics.values())
        if total + len(rows) > MAX_SAMPLES:
            raise _err("LimitExceeded", "fakeaws: too many samples")
        for k, row in rows:
            samples = store.metrics.setdefault(k, [])
            if row is not None:
                samples.append(row)
        return len(store.metrics)


# ------------------------------------------------------------ statistics

def _percentile(vals, p):
    if not vals:
        return None
    s = sorted(vals)
    rank = max(1, int(math.ceil(p / 100.0 * len(s))))
    return s[min(rank, len(s)) - 1]


def _trimmed(vals, lo, hi):
    s = sorted(vals)
    a = int(math.floor(lo / 100.0 * len(s)))
    b = int(math.ceil(hi / 100.0 * len(s)))
    keep = s[a:b]
    return sum(keep) / len(keep) if keep else None


def _stat(rows, stat):
    raw, n, total, lo, hi = [], 0.0, 0.0, None, None
    exact = True
    for r in rows:
        if "v" in r:
            raw.extend(r["v"])
            n += len(r["v"])
            total += sum(r["v"])
            rlo, rhi = min(r["v"]), max(r["v"])
        else:
            s = r["s"]
            n += s["SampleCount"]
            total += s["Sum"]
            rlo, rhi = s["Minimum"], s["Maximum"]
            if s["SampleCount"] == 1 or rlo == rhi:
                raw.extend([rlo] * int(s["SampleCount"]))
            else:
                exact = False
        lo = rlo if lo is None else min(lo, rlo)
        hi = rhi if hi is None else max(hi, rhi)
    if n == 0:
        return None
    if stat == "SampleCount":
        return n
    if stat == "Sum":
        return total
    if stat == "Average":
        return total / n
    if stat == "Minimum":
        return lo
    if stat == "Maximum":
        return hi
    # percentile-type statistics need raw values, none negative
    if not exact or any(v < 0 for v in raw):
        return None
    m = PCT_RE.match(stat)
    if m:
        return _percentile(raw, float(stat[1:]))
    if stat == "IQM":
        return _trimmed(raw, 25, 75)
    if TM_RE.match(stat):
        return _trimmed(raw, 0, float(stat[2:]))
    return None


def _stat_ok(stat):
    return stat in STATS or PCT_RE.match(stat) or TM_RE.match(stat) \
        or stat == "IQM"


def _period_ok(p, recent):
    if p in (1, 5, 10, 20, 30):
        return recent
    return p >= 60 and p % 60 == 0


# ---------------------------------------------------------- metric math

_TOK = re.compile(r"\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)|([A-Za-z_]\w*)"
                  r"|(.))")


def _unsupported(expr):
    return _err("ValidationError", "unsupported by emulator: %s" % expr)


def _math(expr, series):
    """Evaluates + - * / ( ) over series ({t: v}) and numbers."""
    toks = []
    pos = 0
    while pos < len(expr):
        m = _TOK.match(expr, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
        if m.group(1):
            toks.append(("n", float(m.group(1))))
        elif m.group(2):
            toks.append(("id", m.group(2)))
        elif m.group(3).strip():
            toks.append(("op", m.group(3)))
    toks.append(("end", None))
    i = [0]

    def peek():
        return toks[i[0]]

    def take():
        i[0] += 1
        return toks[i[0] - 1]

    def apply(op, a, b):
        def f(x, y):
            if op == "+":
                return x + y
            if op == "-":
                return x - y
            if op == "*":
                return x * y
            return x / y if y else None
        if isinstance(a, dict) or isinstance(b, dict):
            ts = set(a) if isinstance(a, dict) else set(b)
            if isinstance(a, dict) and isinstance(b, dict):
                ts &= set(b)
            out = {}
            for t in ts:
                v = f(a[t] if isinstance(a, dict) else a,
                      b[t] if isinstance(b, dict) else b)
                if v is not None:
                    out[t] = v
            return out
        return f(a, b)

    def atom():
        kind, v = take()
        if kind == "n":
            return v
        if kind == "id":
            if peek() == ("op", "(") or v not in series:
                raise _unsupported(expr)
            return series[v]
        if (kind, v) == ("op", "("):
            e = add()
            if take() != ("op", ")"):
                raise _unsupported(expr)
            return e
        if (kind, v) == ("op", "-"):
            return apply("-", 0.0, atom())
        raise _unsupported(expr)

    def mul():
        e = atom()
        while peek()[0] == "op" and peek()[1] in "*/":
            e = apply(take()[1], e, atom())
        return e

    def add():
        e = mul()
        while peek()[0] == "op" and peek()[1] in "+-":
            e = apply(take()[1], e, mul())
        return e

    out = add()
    if peek()[0] != "end":
        raise _unsupported(expr)
    return out


_BAND = re.compile(r"\s*ANOMALY_DETECTION_BAND\s*\(\s*([a-z]\w*)\s*"
                   r"(?:,\s*(\d+(?:\.\d*)?)\s*)?\)\s*\Z")


def _band(expr, series):
    """ANOMALY_DETECTION_BAND(id[, k]): a band (lower, upper) around the
    metric, k standard deviations either side of its mean (the service
    trains a model; this stands still). None when expr is not one."""
    m = _BAND.match(expr)
    if not m:
        return None
    if m.group(1) not in series:
        raise _unsupported(expr)
    pts = series[m.group(1)]
    k = float(m.group(2) or 2)
    vals = list(pts.values())
    mean = sum(vals) / len(vals) if vals else 0.0
    sd = (sum((v - mean) ** 2 for v in vals) / len(vals)) ** 0.5 \
        if vals else 0.0
    return ({t: mean - k * sd for t in pts}, {t: mean + k * sd for t in pts})


# ------------------------------------------------------- GetMetricData

def _series(store, ms, start, end):
    m = ms.get("Metric") or {}
    k = _key(m.get("Namespace"), m.get("MetricName"), m.get("Dimensions"))
    period = ms["Period"]
    unit = ms.get("Unit")
    buckets = {}
    for r in store.metrics.get(k, []):
        if not start <= r["t"] < end or (unit and r["u"] != unit):
            continue
        b = int(r["t"] // period * period)
        buckets.setdefault(b, []).append(r)
    out = {}
    for b, rows in buckets.items():
        v = _stat(rows, ms["Stat"])
        if v is not None:
            out[b] = v
    return out


def _check_query(q, i, recent):
    where = "MetricDataQueries.member.%d" % i
    if not isinstance(q, dict) or not isinstance(q.get("Id"), str) or \
            not ID_RE.match(q["Id"]):
        raise _err("ValidationError", "The value for parameter %s.Id must "
                   "start with a lowercase letter and hold only letters, "
                   "digits and underscores." % where)
    if (q.get("MetricStat") is None) == (q.get("Expression") is None):
        raise _err("ValidationError", "Exactly one of %s.MetricStat and "
                   "%s.Expression must be set." % (where, where))
    ms = q.get("MetricStat")
    if ms is None:
        return
    p = ms.get("Period")
    if not isinstance(p, int) or isinstance(p, bool) or \
            not _period_ok(p, recent):
        raise _err("InvalidParameterValue", "The parameter %s.MetricStat."
                   "Period must be 1, 5, 10, 20, 30 (for data of the last "
                   "3 hours) or a multiple of 60." % where)
    st = ms.get("Stat")
    if not isinstance(st, str) or not _stat_ok(st):
        raise _err("InvalidParameterValue", "The value %s for parameter "
                   "%s.MetricStat.Stat is not supported." % (st, where))


def get_metric_data(store, params, call):
    qs = params.get("MetricDataQueries")
    start, end = params.get("StartTime"), params.get("EndTime")
    if not isinstance(qs, list) or not 1 <= len(qs) <= 500:
        raise _err("ValidationError", "MetricDataQueries must hold 1 to "
                   "500 queries.")
    if not isinstance(start, (int, float)) or \
            not isinstance(end, (int, float)):
        raise _err("MissingParameter", "The parameters StartTime and "
                   "EndTime are required.")
    if end <= start:
        raise _err("ValidationError", "The parameter StartTime must be "
                   "less than the parameter EndTime.")
    recent = start >= store.now_ms() / 1000.0 - 3 * 3600
    ids = set()
    for i, q in enumerate(qs):
        _check_query(q, i + 1, recent)
        if q["Id"] in ids:
            raise _err("ValidationError", "The value %s for Id is not "
                       "unique." % q["Id"])
        ids.add(q["Id"])
    series = {}
    with store.lock:
        for q in qs:
            if q.get("MetricStat"):
                series[q["Id"]] = _series(store, q["MetricStat"], start, end)
    bands = {}
    for q in qs:
        if q.get("Expression") is not None:
            b = _band(q["Expression"], series)
            if b is not None:
                bands[q["Id"]] = b
                continue
            v = _math(q["Expression"], series)
            series[q["Id"]] = v if isinstance(v, dict) else {}
    desc = params.get("ScanBy", "TimestampDescending") != \
        "TimestampAscending"
    results = []
    for q in qs:
        if not q.get("ReturnData", True):
            continue
        ms = q.get("MetricStat")
        label = q.get("Label") or (ms["Metric"].get("MetricName")
                                   if ms else q["Id"])
        if q["Id"] in bands:
            # A band answers as two results of its Id, told apart by
            # their labels (the labels' wording is the emulator's).
            for side, pts in zip(("Lower", "Upper"), bands[q["Id"]]):
                results.append((q["Id"], "%s %s" % (label, side),
                                sorted(pts.items(), reverse=desc)))
            continue
        pts = sorted(series[q["Id"]].items(), reverse=desc)
        results.append((q["Id"], label, pts))
    return _page(store, params, results)


def _page(store, params, results):
    size = min(int(params.get("MaxDatapoints") or DEFAULT_PAGE),
               int(store.options.get("metric_page") or DEFAULT_PAGE))
    skip = 0
    if params.get("NextToken"):
        try:
            skip = int(json.loads(base64.urlsafe_b64decode(
                params["NextToken"].encode())))
        except (ValueError, TypeError):
            raise _err("InvalidNextToken", "The service cannot process the "
                       "NextToken provided.")
    room, out, more = size, [], False
    for mid, label, pts in results:
        lo = min(skip, len(pts))
        skip -= lo
        part = pts[lo:lo + room]
        room -= len(part)
        left = len(pts) - lo - len(part)
        more |= left > 0
        out.append({"Id": mid, "Label": label,
                    "Timestamps": [t for t, _ in part],
                    "Values": [v for _, v in part],
                    "StatusCode": "PartialData" if left else "Complete"})
    res = {"MetricDataResults": out, "Messages": []}
    if more:
        done = int(json.loads(base64.urlsafe_b64decode(
            params["NextToken"].encode()))) if params.get("NextToken") else 0
        tok = json.dumps(done + size).encode()
        res["NextToken"] = base64.urlsafe_b64encode(tok).decode()
    return res


# ---------------------------------------------------------- ListMetrics

LIST_PAGE = 500             # metrics per ListMetrics answer, as on AWS


def list_metrics(store, params, call):
    ns, name = params.get("Namespace"), params.get("MetricName")
    want = params.get("Dimensions") or []
    if not isinstance(want, list) or len(want) > 10:
        raise _err("InvalidParameterValue", "The collection Dimensions "
                   "must not have a size greater than 10.")
    recent = params.get("RecentlyActive")
    if recent not in (None, "PT3H"):
        raise _err("ValidationError", "The value %s for parameter "
                   "RecentlyActive is invalid." % recent)
    since = store.now_ms() / 1000.0 - 3 * 3600
    out = []
    with store.lock:
        for k, samples in store.metrics.items():
            kns, kname, dims = json.loads(k)
            if ns not in (None, kns) or name not in (None, kname):
                continue
            if recent and not any(r["t"] >= since for r in samples):
                continue
            have = dict((n, v) for n, v in dims)
            if any(w.get("Name") not in have or
                   w.get("Value") not in (None, have[w.get("Name")])
                   for w in want):
                continue
            out.append((kns, kname, dims))
    out.sort()
    start = 0
    if params.get("NextToken"):
        try:
            start = int(json.loads(base64.urlsafe_b64decode(
                params["NextToken"].encode())))
        except (ValueError, TypeError):
            raise _err("InvalidNextToken", "The service cannot process the "
                       "NextToken provided.")
    res = {"Metrics": [{"Namespace": kns, "MetricName": kname,
                        "Dimensions": [{"Name": n, "Value": v}
                                       for n, v in dims]}
                       for kns, kname, dims in out[start:start + LIST_PAGE]]}
    if start + LIST_PAGE < len(out):
        res["NextToken"] = base64.urlsafe_b64encode(
            json.dumps(start + LIST_PAGE).encode()).decode()
    return res


OPS = {
    "PutMetricData": put_metric_data,
    "GetMetricData": get_metric_data,
    "ListMetrics": list_metrics,
}
