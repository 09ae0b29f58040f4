#!/usr/bin/env python3
"""Checks CloudWatch Logs requests against the service model
(tests/models/logs.json, botocore's copy of it): no unknown member,
every required one present, and each value of the type, length, range,
pattern and enum the model gives. Lengths count code points; a pattern
must match the whole value, as the service applies it.

One rule lives in the model's documentation, not its shapes: StartQuery
names its log groups with exactly one of logGroupName, logGroupNames and
logGroupIdentifiers, or with a SOURCE command in queryString and none.

    logsmodel.py [OP...] <stats.json

reads the emulator's request log (GET /__fakeaws/stats) and prints one
line per problem, "OP: member: why"; exit status 1 when there is one.
Only the Logs requests of the given operations are checked (all of them
without OP). A body the log cut short is a problem too: raise the cap
rather than check half a request.
"""

import json
import os
import re
import sys

MODEL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                     "models", "logs.json")
TARGET = "Logs_20140328."
GROUP_MEMBERS = ("logGroupName", "logGroupNames", "logGroupIdentifiers")
SOURCE = re.compile(r"\s*SOURCE\s", re.I)	# after comment lines

_model = None


def model():
    global _model
    if _model is None:
        with open(MODEL) as f:
            _model = json.load(f)
    return _model


def _shape(name):
    return model()["shapes"][name]


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _value(where, shape_name, v, out):
    s = _shape(shape_name)
    t = s["type"]
    if t == "structure":
        if not isinstance(v, dict):
            out.append("%s: not an object" % where)
            return
        members = s.get("members", {})
        for k in s.get("required", []):
            if k not in v:
                out.append("%s: required member %s missing"
                           % (where, k))
        for k, x in v.items():
            if k not in members:
                out.append("%s: unknown member %s" % (where, k))
            else:
                _value(where + "." + k if where else k,
                       members[k]["shape"], x, out)
        return
    if t == "list":
        if not isinstance(v, list):
            out.append("%s: not a list" % where)
            return
        _bounds(where, s, len(v), "items", out)
        for i, x in enumerate(v):
            _value("%s[%d]" % (where, i), s["member"]["shape"], x, out)
        return
    if t == "map":
        if not isinstance(v, dict):
            out.append("%s: not a map" % where)
            return
        _bounds(where, s, len(v), "entries", out)
        for k, x in v.items():
            _value("%s{key}" % where, s["key"]["shape"], k, out)
            _value("%s{%s}" % (where, k), s["value"]["shape"], x, out)
        return
    if t == "string":
        if not isinstance(v, str):
            out.append("%s: not a string" % where)
            return
        _bounds(where, s, len(v), "characters", out)
        if "pattern" in s and not re.fullmatch(s["pattern"], v):
            out.append("%s: %r does not match %s" % (where, v, s["pattern"]))
        if "enum" in s and v not in s["enum"]:
            out.append("%s: %r is not one of %s" % (where, v, s["enum"]))
        return
    if t in ("integer", "long", "timestamp"):
        if not _is_int(v):
            out.append("%s: not an integer: %r" % (where, v))
            return
        lo, hi = s.get("min"), s.get("max")
        if lo is not None and v < lo or hi is not None and v > hi:
            out.append("%s: %d outside [%s, %s]" % (where, v, lo, hi))
        return
    if t in ("double", "float"):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            out.append("%s: not a number: %r" % (where, v))
        return
    if t == "boolean":
        if not isinstance(v, bool):
            out.append("%s: not a boolean: %r" % (where, v))
        return
    out.append("%s: type %s not checked" % (where, t))


def _bounds(where, s, n, what, out):
    lo, hi = s.get("min"), s.get("max")
    if lo is not None and n < lo:
        out.append("%s: %d %s, at least %d" % (where, n, what, lo))
    if hi is not None and n > hi:
        out.append("%s: %d %s, at most %d" % (where, n, what, hi))


def check(op, body):
    """The problems of one request body (a dict) of op."""
    ops = model()["operations"]
    if op not in ops:
        return ["no operation %s in the model" % op]
    out = []
    shape = ops[op].get("input", {}).get("shape")
    if shape:
        _value("", shape, body, out)
    if op == "StartQuery" and isinstance(body, dict):
        given = [m for m in GROUP_MEMBERS if m in body]
        q = body.get("queryString")
        source = isinstance(q, str) and \
            SOURCE.match(re.sub(r"(?m)^\s*#.*$", "", q))
        if source and given:
            out.append("a SOURCE query with %s as well" % given[0])
        elif not source and len(given) != 1:
            out.append("exactly one of %s needed, not %s"
                       % ("/".join(GROUP_MEMBERS), given or "none"))
    return [op + ": " + x for x in out]


def check_log(stats, ops=()):
    out = []
    for r in stats["requests"]:
        h = {k.lower(): v for k, v in r["headers"].items()}
        target = h.get("x-amz-target", "")
        if not target.startswith(TARGET):
            continue
        op = target[len(TARGET):]
        if ops and op not in ops:
            continue
        try:
            body = json.loads(r["body"])
        except ValueError:
            out.append("%s: body not JSON (cut short?): %.60r"
                       % (op, r["body"]))
            continue
        out.extend(check(op, body))
    return out


def main(argv):
    problems = check_log(json.load(sys.stdin), set(argv[1:]))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
