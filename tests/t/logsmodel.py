#!/usr/bin/env python3
"""Checks CloudWatch Logs requests against the service model
(tests/models/logs.json, botocore's copy of it, read by
tests/fakeaws/model.py): no unknown member, every required one present,
and each value of the type, length, range, pattern and enum the model
gives. Lengths count code points; a pattern must match the whole value,
as the service applies it.

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

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "fakeaws"))
import model  # noqa: E402  tests/fakeaws/model.py: the model's rules

TARGET = "Logs_20140328."
GROUP_MEMBERS = ("logGroupName", "logGroupNames", "logGroupIdentifiers")
SOURCE = re.compile(r"\s*SOURCE\s", re.I)	# after comment lines


def check(op, body):
    """The problems of one request body (a dict) of op."""
    out = ["%s: %s" % (path, text)
           for _, path, text, _ in model.walk(op, body)]
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
