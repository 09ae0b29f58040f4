#!/usr/bin/env python3
"""Measure FilterLogEvents paging speed of the emulator over HTTP.

    python3 tests/fakeaws/bench-filter.py [--events N] [--streams S]

Loads N events spread over S streams of one group, then pages through
them with limit=10000 (signed requests on one keep-alive connection),
reading each whole body, and prints pages per second.
"""

import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client import ServerProcess   # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=300000)
    ap.add_argument("--streams", type=int, default=9)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pattern", default="")
    a = ap.parse_args()
    srv = ServerProcess("--seed", "1")
    c = srv.client()
    try:
        g = "/bench/filter"
        c.logs("CreateLogGroup", {"logGroupName": g})
        rng = random.Random(1)
        now = int(time.time() * 1000)
        per = a.events // a.streams
        t0 = now - 3 * 3600 * 1000
        for s in range(a.streams):
            name = "svc-%d/task/%08x" % (s, rng.getrandbits(32))
            c.logs("CreateLogStream", {"logGroupName": g,
                                       "logStreamName": name})
            ts = t0
            batch = []
            for i in range(per):
                ts += rng.randint(0, 60)
                batch.append({"timestamp": ts, "message":
                              '{"level":"%s","msg":"request done","status":'
                              '%d,"latencyMs":%d,"path":"/api/v1/items/%d"}'
                              % ("ERROR" if i % 50 == 0 else "INFO",
                                 500 if i % 50 == 0 else 200,
                                 rng.randint(1, 900), i)})
                if len(batch) == 5000:
                    r = c.logs("PutLogEvents", {"logGroupName": g,
                                                "logStreamName": name,
                                                "logEvents": batch})
                    assert r.status == 200, r
                    batch = []
            if batch:
                c.logs("PutLogEvents", {"logGroupName": g,
                                        "logStreamName": name,
                                        "logEvents": batch})
        best = 0.0
        for _ in range(a.rounds):
            pages = events = 0
            tok = None
            start = time.perf_counter()
            while True:
                p = {"logGroupName": g, "limit": 10000}
                if a.pattern:
                    p["filterPattern"] = a.pattern
                if tok:
                    p["nextToken"] = tok
                r = c.logs("FilterLogEvents", p)
                assert r.status == 200, r
                body = r.body
                pages += 1
                events += body.count(b'"eventId"')
                i = body.rfind(b'"nextToken":"')
                if i < 0:
                    break
                tok = body[i + 13:body.index(b'"', i + 13)].decode()
            dt = time.perf_counter() - start
            rate = pages / dt
            best = max(best, rate)
            print("%d pages, %d events, %.2f s: %.1f pages/s, %.0f events/s"
                  % (pages, events, dt, rate, events / dt))
        print("best: %.1f pages/s" % best)
    finally:
        c.close()
        srv.stop()


if __name__ == "__main__":
    main()
