"""The CloudWatch Logs model (tests/models/logs.json, botocore's copy):
what a request breaks of it.

walk(op, body) lists each problem as (kind, path, text, value):

    unknown     a member the model does not have
    required    a required member missing
    type        a value of the wrong JSON type
    constraint  a length, range, pattern or enum not met, with the
                service's wording ("Member must have length less than
                or equal to 10000")

Paths are written as the service writes them in its validation errors:
`queryString`, `logGroupNames.1.member` (list items from 1). Lengths
count characters (code points); a pattern must match the whole value.

The service refuses constraint failures with InvalidParameterException
("1 validation error detected: ..."), which server.py answers from
constraints(); it ignores members it does not know, so unknown members
are only reported, for tests (tests/t/logsmodel.py).
"""

import json
import os
import re

try:
    from .common import ModelChecks
except ImportError:
    from common import ModelChecks

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                    "models", "logs.json")

_model = None


def model():
    global _model
    if _model is None:
        with open(PATH) as f:
            _model = json.load(f)
    return _model


# Java's classes that Python's re lacks, as the model uses them (in a
# [...] that also holds '_'): letters and numbers as \w, separators as
# \s (tabs and newlines pass too); and a '-' after a class, which Java
# reads as itself.
_JAVA = [(r"\p{L}", r"\w"), (r"\p{Z}", r"\s"), (r"\p{N}", r"\w"),
         (r"\w-", r"\w\-")]
_compiled = {}


def _pattern(p):
    """The model's (Java) pattern as a Python regex; None when it cannot
    be read, and is then not checked."""
    if p not in _compiled:
        q = p
        for java, py in _JAVA:
            q = q.replace(java, py)
        try:
            _compiled[p] = re.compile(q)
        except re.error:
            _compiled[p] = None
    return _compiled[p]


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _size(path, s, v, n, noun, out):
    lo, hi = s.get("min"), s.get("max")
    if lo is not None and n < lo:
        out.append(("constraint", path, "Member must have %s greater than "
                    "or equal to %d" % (noun, lo), v))
    if hi is not None and n > hi:
        out.append(("constraint", path, "Member must have %s less than or "
                    "equal to %d" % (noun, hi), v))


def _struct(path, s, v, out):
    if not isinstance(v, dict):
        out.append(("type", path, "not an object", v))
        return
    members = s.get("members", {})
    for k in s.get("required", []):
        if v.get(k) is None:
            out.append(("required", path + k, "Member must not be null",
                        None))
    for k, x in v.items():
        if k not in members:
            out.append(("unknown", path + k, "not in the model", x))
        elif x is not None:
            _value(path + k, members[k]["shape"], x, out)


def _value(path, shape, v, out):
    s = model()["shapes"][shape]
    t = s["type"]
    if t == "structure":
        _struct(path + ".", s, v, out)
    elif t == "list":
        if not isinstance(v, list):
            out.append(("type", path, "not a list", v))
            return
        _size(path, s, v, len(v), "length", out)
        for i, x in enumerate(v):
            _value("%s.%d.member" % (path, i + 1), s["member"]["shape"], x,
                   out)
    elif t == "map":
        if not isinstance(v, dict):
            out.append(("type", path, "not a map", v))
            return
        _size(path, s, v, len(v), "length", out)
        for k, x in v.items():
            _value("%s.%s" % (path, k), s["key"]["shape"], k, out)
            _value("%s.%s" % (path, k), s["value"]["shape"], x, out)
    elif t == "string":
        if not isinstance(v, str):
            out.append(("type", path, "not a string", v))
            return
        _size(path, s, v, len(v), "length", out)
        rx = _pattern(s["pattern"]) if "pattern" in s else None
        if rx is not None and not rx.fullmatch(v):
            out.append(("constraint", path, "Member must satisfy regular "
                        "expression pattern: %s" % s["pattern"], v))
        if "enum" in s and v not in s["enum"]:
            out.append(("constraint", path, "Member must satisfy enum "
                        "value set: [%s]" % ", ".join(s["enum"]), v))
    elif t in ("integer", "long", "timestamp"):
        if not _is_int(v):
            out.append(("type", path, "not an integer", v))
            return
        if "min" in s and v < s["min"]:
            out.append(("constraint", path, "Member must have value "
                        "greater than or equal to %d" % s["min"], v))
        if "max" in s and v > s["max"]:
            out.append(("constraint", path, "Member must have value less "
                        "than or equal to %d" % s["max"], v))
    elif t in ("double", "float"):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            out.append(("type", path, "not a number", v))
    elif t == "boolean":
        if not isinstance(v, bool):
            out.append(("type", path, "not a boolean", v))


def walk(op, body):
    """Every problem of body, a request of op, as (kind, path, text)."""
    o = model()["operations"].get(op)
    if o is None:
        return [("unknown", op, "no such operation in the model", None)]
    out = []
    shape = o.get("input", {}).get("shape")
    if shape:
        _struct("", model()["shapes"][shape], body, out)
    return out


def constraints(op, body):
    """The service's message for the constraints body breaks, or None."""
    checks = ModelChecks()
    for kind, path, text, value in walk(op, body):
        if kind == "constraint":
            checks.add(value, path, text)
    return checks.message() if checks.errors else None
