#!/usr/bin/env python3
"""Calls one AWS JSON operation, signed with the environment's keys:
    awscall.py logs|monitoring OPERATION [JSON | -]
With "-", calls it once per JSON line of stdin. Tests use it to set up
state in the emulator. Prints the response bodies; exits 1 on an error
answer."""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "fakeaws"))
import client  # noqa: E402


def main():
    service, op = sys.argv[1], sys.argv[2]
    arg = sys.argv[3] if len(sys.argv) > 3 else "{}"
    bodies = [l for l in sys.stdin.read().splitlines() if l] \
        if arg == "-" else [arg]
    c = client.Client(os.environ["AWS_ENDPOINT_URL"],
                      os.environ["AWS_ACCESS_KEY_ID"],
                      os.environ["AWS_SECRET_ACCESS_KEY"],
                      os.environ.get("AWS_SESSION_TOKEN"),
                      os.environ.get("AWS_REGION", "us-east-1"))
    call = c.logs if service == "logs" else c.cloudwatch
    failed = False
    for body in bodies:
        r = call(op, json.loads(body))
        sys.stdout.write(r.body.decode())
        failed |= r.status >= 300
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
