#!/usr/bin/env python3
"""Writes log events for the Live Tail tests:
    liveput.py setup PREFIX N          groups PREFIX0..PREFIX{N-1}, stream s
    liveput.py put PREFIX N COUNT SECONDS [TAG [BATCH]]
put: COUNT events with the current time, round robin over the N groups,
spread evenly over SECONDS, BATCH events a call (default 1); messages
are "TAG GROUP SEQ". Prints each message put, one a line."""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "fakeaws"))
import client  # noqa: E402


def call(c, op, body):
    r = c.logs(op, body)
    if r.status >= 300 and b"AlreadyExists" not in r.body:
        sys.exit("liveput: %s failed: %s" % (op, r.body.decode()[:200]))


def main():
    what, prefix, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    c = client.Client(os.environ["AWS_ENDPOINT_URL"],
                      os.environ["AWS_ACCESS_KEY_ID"],
                      os.environ["AWS_SECRET_ACCESS_KEY"], None,
                      os.environ.get("AWS_REGION", "us-east-1"))
    if what == "setup":
        for g in range(n):
            call(c, "CreateLogGroup", {"logGroupName": "%s%d" % (prefix, g)})
            call(c, "CreateLogStream", {"logGroupName": "%s%d" % (prefix, g),
                                        "logStreamName": "s"})
        return
    count, seconds = int(sys.argv[4]), float(sys.argv[5])
    tag = sys.argv[6] if len(sys.argv) > 6 else "ev"
    batch = int(sys.argv[7]) if len(sys.argv) > 7 else 1
    start = time.time()
    seq = 0
    while seq < count:
        g = "%s%d" % (prefix, (seq // batch) % n)
        k = min(batch, count - seq)
        now = int(time.time() * 1000)
        evs = [{"timestamp": now, "message": "%s %s %d" % (tag, g, seq + i)}
               for i in range(k)]
        call(c, "PutLogEvents", {"logGroupName": g, "logStreamName": "s",
                                 "logEvents": evs})
        for e in evs:
            print(e["message"])
        seq += k
        wait = start + seconds * seq / count - time.time()
        if wait > 0:
            time.sleep(wait)


if __name__ == "__main__":
    main()
