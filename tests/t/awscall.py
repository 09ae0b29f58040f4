#!/usr/bin/env python3
"""Calls one AWS JSON operation, signed with the environment's keys:
    awscall.py logs|monitoring OPERATION [JSON | -]
With "-", calls it once per JSON line of stdin. Tests use it to set up
state in the emulator. Prints the response bodies; exits 1 on an error
answer."""

import datetime
import hashlib
import hmac
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

SERVICES = {
    "logs": ("Logs_20140328", "application/x-amz-json-1.1", {}),
    "monitoring": ("GraniteServiceVersion20100801",
                   "application/x-amz-json-1.0",
                   {"x-amzn-query-mode": "true"}),
}


def hm(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def sign(service, region, host, headers, body):
    now = datetime.datetime.now(datetime.timezone.utc)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    headers["x-amz-date"] = amz_date
    if os.environ.get("AWS_SESSION_TOKEN"):
        headers["x-amz-security-token"] = os.environ["AWS_SESSION_TOKEN"]
    headers["host"] = host
    names = sorted(headers)
    canon = "\n".join([
        "POST", "/", "",
        "".join("%s:%s\n" % (n, headers[n].strip()) for n in names),
        ";".join(names), hashlib.sha256(body).hexdigest()])
    scope = "%s/%s/%s/aws4_request" % (amz_date[:8], region, service)
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                     hashlib.sha256(canon.encode()).hexdigest()])
    key = ("AWS4" + os.environ["AWS_SECRET_ACCESS_KEY"]).encode()
    for part in (amz_date[:8], region, service, "aws4_request"):
        key = hm(key, part)
    sig = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = (
        "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s"
        % (os.environ["AWS_ACCESS_KEY_ID"], scope, ";".join(names), sig))


def main():
    service, op = sys.argv[1], sys.argv[2]
    arg = sys.argv[3] if len(sys.argv) > 3 else "{}"
    bodies = [l for l in sys.stdin.read().splitlines() if l] \
        if arg == "-" else [arg]
    for body in bodies:
        call(service, op, body.encode())


def call(service, op, body):
    prefix, ctype, extra = SERVICES[service]
    url = os.environ["AWS_ENDPOINT_URL"]
    host = urllib.parse.urlsplit(url).netloc
    headers = {"content-type": ctype, "x-amz-target": prefix + "." + op}
    headers.update(extra)
    sign(service, os.environ.get("AWS_REGION", "us-east-1"), host, headers,
         body)
    req = urllib.request.Request(url + "/", data=body, headers=headers,
                                 method="POST")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            sys.stdout.write(r.read().decode())
    except urllib.error.HTTPError as e:
        sys.stdout.write(e.read().decode())
        sys.exit(1)


if __name__ == "__main__":
    main()
