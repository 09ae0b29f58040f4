"""Reads lines on stdin; exits 1 naming the first that a strict JSON
reader refuses: not JSON, NaN or Infinity, a lone surrogate, or not one
object per line. Prints the number of lines checked."""
import json
import sys


def refuse(name):
    raise ValueError("non-standard constant " + name)


def no_surrogate(v):
    if isinstance(v, str):
        if any(0xD800 <= ord(c) <= 0xDFFF for c in v):
            raise ValueError("lone surrogate")
    elif isinstance(v, dict):
        for k, x in v.items():
            no_surrogate(k)
            no_surrogate(x)
    elif isinstance(v, list):
        for x in v:
            no_surrogate(x)


n = 0
for raw in sys.stdin.buffer:
    n += 1
    try:
        line = raw.decode("utf-8", "strict")
        if not line.endswith("\n"):
            raise ValueError("no newline")
        v = json.loads(line, parse_constant=refuse)
        if not isinstance(v, dict):
            raise ValueError("not an object")
        no_surrogate(v)
    except ValueError as e:
        print("line %d: %s: %r" % (n, e, raw[:200]))
        sys.exit(1)
print(n)
