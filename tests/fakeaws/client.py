"""A small SigV4 client for the emulator's own tests, benchmarks and
seed-demo. Test code: it signs the way botocore documents SigV4 (header
signing, non-S3 path rules) and keeps one keep-alive connection.
"""

import hashlib
import hmac
import http.client
import json
import os
import subprocess
import sys
import time
from urllib.parse import quote, urlsplit

EXAMPLE_KEY = "AKIAIOSFODNN7EXAMPLE"
EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
HERE = os.path.dirname(os.path.abspath(__file__))


def _enc(s):
    return quote(s, safe="-_.~")


def sign(method, host, path, query, headers, body, ak, sk, region, service,
         t=None, token=None, signed=None):
    """Add x-amz-date (and the token) to `headers` (a dict) and return the
    Authorization value. `signed` lists extra header names to sign (all
    headers are signed by default)."""
    t = time.time() if t is None else t
    amz = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(t))
    headers["X-Amz-Date"] = amz
    if token:
        headers["X-Amz-Security-Token"] = token
    lower = {}
    for k, v in headers.items():
        lower.setdefault(k.lower(), []).append(" ".join(str(v).split()))
    lower["host"] = [host]
    names = sorted(lower if signed is None else set(signed) | {"host"})
    canon_headers = "".join("%s:%s\n" % (n, ",".join(lower.get(n, [""])))
                            for n in names)
    pairs = sorted((_enc(k), _enc(v)) for k, v in query)
    creq = "\n".join([method, quote(path, safe="/~"),
                      "&".join("%s=%s" % p for p in pairs), canon_headers,
                      ";".join(names), hashlib.sha256(body).hexdigest()])
    scope = "%s/%s/%s/aws4_request" % (amz[:8], region, service)
    sts = "\n".join(["AWS4-HMAC-SHA256", amz, scope,
                     hashlib.sha256(creq.encode()).hexdigest()])
    key = ("AWS4" + sk).encode()
    for part in (amz[:8], region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    sig = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
    return "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, " \
        "Signature=%s" % (ak, scope, ";".join(names), sig)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def __repr__(self):
        return "<%d %s>" % (self.status, self.body[:200])


def form_encode(params):
    return "&".join("%s=%s" % (quote(k, safe="-_.~"),
                               quote(str(v), safe="-_.~"))
                    for k, v in sorted(params.items())).encode()


class Client:
    def __init__(self, url, ak=EXAMPLE_KEY, sk=EXAMPLE_SECRET, token=None,
                 region="us-east-1", timeout=30):
        u = urlsplit(url)
        self.host = u.netloc
        self.ak, self.sk, self.token = ak, sk, token
        self.region = region
        self.timeout = timeout
        self.conn = None
        self.skew = 0.0

    def _conn(self):
        if self.conn is None:
            h, _, p = self.host.partition(":")
            self.conn = http.client.HTTPConnection(h, int(p or 80),
                                                   timeout=self.timeout)
        return self.conn

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def raw(self, method, path, body=b"", headers=None):
        """Send as is (no signing); reconnect once on a dead connection."""
        headers = dict(headers or {})
        for attempt in (0, 1):
            c = self._conn()
            try:
                c.request(method, path, body=body, headers=headers)
                r = c.getresponse()
                data = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.close()
                return Response(r.status, r.getheaders(), data)
            except (http.client.RemoteDisconnected, BrokenPipeError,
                    ConnectionResetError):
                self.close()
                if attempt:
                    raise
            except Exception:
                self.close()
                raise

    def signed(self, method, path, body, headers, service, query=(),
               t=None, ak=None, sk=None, region=None, token=None,
               signed_headers=None, mutate=None):
        headers = dict(headers)
        t = (time.time() + self.skew) if t is None else t
        token = self.token if token is None else token
        headers["Authorization"] = sign(
            method, self.host, path, query, headers, body, ak or self.ak,
            sk or self.sk, region or self.region, service, t, token,
            signed_headers)
        if mutate:
            mutate(headers)
        q = "&".join("%s=%s" % (_enc(k), _enc(v)) for k, v in query)
        return self.raw(method, path + ("?" + q if q else ""), body, headers)

    def logs(self, op, params=None, **kw):
        body = json.dumps(params or {}).encode()
        return self.signed("POST", "/", body, {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "Logs_20140328." + op}, "logs", **kw)

    def cloudwatch(self, op, params=None, **kw):
        body = json.dumps(params or {}).encode()
        return self.signed("POST", "/", body, {
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "GraniteServiceVersion20100801." + op,
            "x-amzn-query-mode": "true"}, "monitoring", **kw)

    def sts(self, action, params=None, unsigned=False, **kw):
        p = dict(params or {})
        p["Action"] = action
        p["Version"] = "2011-06-15"
        body = form_encode(p)
        headers = {"Content-Type":
                   "application/x-www-form-urlencoded; charset=utf-8"}
        if unsigned:
            return self.raw("POST", "/", body, headers)
        return self.signed("POST", "/", body, headers, "sts", **kw)

    def control(self, what, obj=None, method=None):
        body = json.dumps(obj).encode() if obj is not None else b""
        r = self.raw(method or ("POST" if obj is not None else "GET"),
                     "/__fakeaws/" + what, body,
                     {"Content-Type": "application/json"})
        return json.loads(r.body)


class ServerProcess:
    """Start server.py on port 0; .url, .client(), .stop()."""

    def __init__(self, *args):
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "server.py"), "--port", "0"]
            + list(args), stdout=subprocess.PIPE)
        line = self.proc.stdout.readline().decode().strip()
        if not line.isdigit():
            self.proc.kill()
            raise RuntimeError("server did not print its port: %r" % line)
        self.port = int(line)
        self.url = "http://127.0.0.1:%d" % self.port

    def client(self, **kw):
        return Client(self.url, **kw)

    def stop(self, sig=None):
        import signal
        if self.proc.poll() is None:
            self.proc.send_signal(sig or signal.SIGTERM)
        try:
            return self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()
