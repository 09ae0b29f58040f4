#!/usr/bin/env python3
"""Writes log events the way agents do, for the follow tests:
    produce.py GROUP_PREFIX GROUPS EVENTS SECONDS [LATE_SECONDS]
GROUPS groups (PREFIX0, PREFIX1, ...) with two streams each get EVENTS
events in all over about SECONDS, in batches. Timestamps run out of
order across batches and streams (each up to 5 s in the past), and one
batch in ten arrives late: its timestamps are up to LATE_SECONDS old.
Messages are "GROUP STREAM SEQ"."""

import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "fakeaws"))
import client  # noqa: E402


def call(c, op, body):
    for _ in range(20):
        r = c.logs(op, body)
        if r.status < 300 or b"AlreadyExists" in r.body:
            return
        time.sleep(0.05)
    sys.exit("produce: %s failed: %s" % (op, r.body.decode()[:200]))


def main():
    prefix, ngroups, total, seconds = sys.argv[1], int(sys.argv[2]), \
        int(sys.argv[3]), float(sys.argv[4])
    late = float(sys.argv[5]) if len(sys.argv) > 5 else 60
    rnd = random.Random(12)
    c = client.Client(os.environ["AWS_ENDPOINT_URL"],
                      os.environ["AWS_ACCESS_KEY_ID"],
                      os.environ["AWS_SECRET_ACCESS_KEY"],
                      os.environ.get("AWS_SESSION_TOKEN"),
                      os.environ.get("AWS_REGION", "us-east-1"))
    targets = []
    for g in range(ngroups):
        name = "%s%d" % (prefix, g)
        call(c, "CreateLogGroup", {"logGroupName": name})
        for s in ("a", "b"):
            call(c, "CreateLogStream", {"logGroupName": name,
                                        "logStreamName": s})
            targets.append((name, s))
    batch = 50
    nbatches = (total + batch - 1) // batch
    start, seq = time.time(), 0
    for b in range(nbatches):
        g, s = targets[rnd.randrange(len(targets))]
        now = int(time.time() * 1000)
        back = late * 1000 if rnd.random() < 0.1 else 5000
        n = min(batch, total - seq)
        ts = sorted(now - rnd.randrange(int(back)) for _ in range(n))
        evs = [{"timestamp": t, "message": "%s %s %d" % (g, s, seq + i)}
               for i, t in enumerate(ts)]
        seq += n
        call(c, "PutLogEvents", {"logGroupName": g, "logStreamName": s,
                                 "logEvents": evs})
        wait = start + seconds * (b + 1) / nbatches - time.time()
        if wait > 0:
            time.sleep(wait)


if __name__ == "__main__":
    main()
