#!/usr/bin/env python3
"""Self-test of the emulator, as TAP: signatures, every Logs operation,
pagination, STS / IMDS / ECS / SSO, faults, quotas, state and signals.

    python3 tests/fakeaws/selftest.py
"""

import json
import os
import re
import signal
import socket
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client import Client, ServerProcess   # noqa: E402

TESTS = []
BAD_SIG = ("The request signature we calculated does not match the "
           "signature you provided. Check your AWS Secret Access Key and "
           "signing method. Consult the service documentation for details.")


def test(fn):
    TESTS.append(fn)
    return fn


class Fail(Exception):
    pass


def eq(got, want, what=""):
    if got != want:
        raise Fail("%s: got %r, want %r" % (what, got, want))


def ok(cond, what):
    if not cond:
        raise Fail(what)


def aws_error(r, code, status=400, message=None):
    eq(r.status, status, "status of %s" % code)
    j = r.json()
    eq(j["__type"].rpartition("#")[2], code, "error code")
    if message is not None:
        if hasattr(message, "match"):
            ok(message.match(j["message"]), "message %r" % j["message"])
        else:
            eq(j["message"], message, "message")
    return j


def xml_code(r):
    m = re.search(r"<Code>([^<]*)</Code>", r.body.decode())
    return m.group(1) if m else None


SRV = None


def c():
    return SRV.client()


def fresh():
    cl = c()
    cl.control("reset", {})
    return cl


# ---- signatures -------------------------------------------------------------

@test
def signed_request_accepted():
    cl = fresh()
    r = cl.logs("CreateLogGroup", {"logGroupName": "/t/a"})
    eq(r.status, 200, "status")
    eq(r.header("Content-Type"), "application/x-amz-json-1.1", "type")
    ok(r.header("x-amzn-RequestId"), "request id header")
    ok(re.match(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT\Z",
                r.header("Date") or ""), "Date header")
    r = cl.logs("DescribeLogGroups", {}, region="eu-west-2")
    eq(r.status, 200, "any region")


@test
def wrong_secret_refused():
    r = c().logs("DescribeLogGroups", {}, sk="x" * 40)
    aws_error(r, "InvalidSignatureException", 400, BAD_SIG)


@test
def unknown_key_refused():
    r = c().logs("DescribeLogGroups", {}, ak="AKIAUNKNOWNUNKNOWN00")
    aws_error(r, "UnrecognizedClientException", 400,
              "The security token included in the request is invalid.")


@test
def skewed_date_refused():
    r = c().logs("DescribeLogGroups", {}, t=time.time() - 360)
    aws_error(r, "InvalidSignatureException", 400, re.compile(
        r"Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z "
        r"\(\d{8}T\d{6}Z - 5 min\.\)\Z"))
    r = c().logs("DescribeLogGroups", {}, t=time.time() + 360)
    aws_error(r, "InvalidSignatureException", 400, re.compile(
        r"Signature not yet current: \d{8}T\d{6}Z is still later than "
        r"\d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)\Z"))
    r = c().logs("DescribeLogGroups", {}, t=time.time() - 200)
    eq(r.status, 200, "within 5 minutes")


@test
def changed_signed_header_refused():
    def mutate(h):
        h["X-Amz-Target"] = "Logs_20140328.DescribeLogStreams"
    r = c().logs("DescribeLogGroups", {}, mutate=mutate)
    aws_error(r, "InvalidSignatureException", 400, BAD_SIG)
    st = c().control("stats")
    ok(st["signature_failures"] and "canonical_request"
       in st["signature_failures"][-1], "canonical request in stats")


@test
def unsigned_host_refused():
    r = c().logs("DescribeLogGroups", {},
                 signed_headers=["x-amz-date", "x-amz-target"])
    # the signer always adds host; strip it from the list by hand
    ok(r.status == 200, "host signed by the test signer")
    cl = c()

    def drop_host(h):
        h["Authorization"] = re.sub(r"(SignedHeaders=[^,]*?)host;", r"\1",
                                    h["Authorization"])
    r = cl.logs("DescribeLogGroups", {}, mutate=drop_host)
    aws_error(r, "IncompleteSignatureException", 400)


@test
def wrong_service_refused():
    cl = c()
    body = b"{}"
    r = cl.signed("POST", "/", body, {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "Logs_20140328.DescribeLogGroups"}, "monitoring")
    aws_error(r, "InvalidSignatureException", 400,
              "Credential should be scoped to correct service: 'logs'. ")


@test
def missing_auth_refused():
    r = c().raw("POST", "/", b"{}", {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "Logs_20140328.DescribeLogGroups"})
    aws_error(r, "MissingAuthenticationTokenException", 400)


@test
def cloudwatch_error_shapes():
    r = c().cloudwatch("DescribeAlarms", {}, sk="y" * 40)
    eq(r.status, 403, "status")
    eq(r.header("x-amzn-query-error"), "SignatureDoesNotMatch;Sender",
       "query error header")
    ok(r.json()["__type"].endswith("#SignatureDoesNotMatch"), "__type")
    eq(r.header("Content-Type"), "application/x-amz-json-1.0", "type")
    r = c().cloudwatch("DescribeAlarms", {}, ak="AKIAUNKNOWNUNKNOWN00")
    eq(r.header("x-amzn-query-error"), "InvalidClientTokenId;Sender",
       "unknown key")
    r = c().cloudwatch("NoSuchOperation", {})
    eq(r.status, 400, "unknown op status")


@test
def sts_error_shape():
    r = c().sts("GetCallerIdentity", sk="z" * 40)
    eq(r.status, 403, "status")
    body = r.body.decode()
    ok(body.startswith('<ErrorResponse xmlns="https://sts.amazonaws.com/'
                       'doc/2011-06-15/">'), body)
    ok("<Type>Sender</Type>" in body, "type")
    eq(xml_code(r), "SignatureDoesNotMatch", "code")
    r = c().sts("GetCallerIdentity", t=time.time() - 600)
    eq(r.status, 200, "STS allows 15 minutes")


@test
def unknown_operation_and_bad_json():
    cl = c()
    aws_error(cl.logs("NoSuchThing", {}), "UnknownOperationException")
    r = cl.signed("POST", "/", b"{not json", {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "Logs_20140328.DescribeLogGroups"}, "logs")
    aws_error(r, "SerializationException")


@test
def keep_alive():
    cl = c()
    cl.logs("DescribeLogGroups", {})
    sock = cl.conn.sock
    for _ in range(5):
        eq(cl.logs("DescribeLogGroups", {}).status, 200, "status")
    ok(cl.conn.sock is sock, "same connection")


# ---- Logs operations ---------------------------------------------------------

@test
def log_groups():
    cl = fresh()
    for i in range(5):
        eq(cl.logs("CreateLogGroup", {"logGroupName": "/app/g%d" % i}).status,
           200, "create")
    cl.logs("CreateLogGroup", {"logGroupName": "/other"})
    aws_error(cl.logs("CreateLogGroup", {"logGroupName": "/app/g1"}),
              "ResourceAlreadyExistsException", 400,
              "The specified log group already exists")
    aws_error(cl.logs("CreateLogGroup", {"logGroupName": "bad name!"}),
              "InvalidParameterException", 400,
              "1 validation error detected: Value 'bad name!' at "
              "'logGroupName' failed to satisfy constraint: Member must "
              "satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+")
    eq(cl.logs("PutRetentionPolicy", {"logGroupName": "/app/g1",
                                      "retentionInDays": 30}).status, 200,
       "retention")
    j = aws_error(cl.logs("PutRetentionPolicy", {"logGroupName": "/app/g1",
                                                 "retentionInDays": 4}),
                  "InvalidParameterException")
    ok("enum value set" in j["message"], j["message"])
    names, tok, pages = [], None, 0
    while True:
        p = {"logGroupNamePrefix": "/app/", "limit": 2}
        if tok:
            p["nextToken"] = tok
        j = cl.logs("DescribeLogGroups", p).json()
        pages += 1
        names += [g["logGroupName"] for g in j["logGroups"]]
        tok = j.get("nextToken")
        if not tok:
            break
    eq(names, ["/app/g%d" % i for i in range(5)], "names")
    eq(pages, 3, "pages")
    j = cl.logs("DescribeLogGroups", {"logGroupNamePattern": "G3"}).json()
    eq([g["logGroupName"] for g in j["logGroups"]], ["/app/g3"], "pattern")
    g = cl.logs("DescribeLogGroups", {"logGroupNamePrefix": "/app/g1"}).json(
        )["logGroups"][0]
    eq(g["retentionInDays"], 30, "retention shown")
    ok(g["arn"].endswith(":log-group:/app/g1:*"), "arn")
    ok(g["logGroupArn"].endswith(":log-group:/app/g1"), "logGroupArn")
    for k in ("creationTime", "metricFilterCount", "storedBytes"):
        ok(k in g, k)
    aws_error(cl.logs("DescribeLogGroups", {"limit": 51}),
              "InvalidParameterException")
    eq(cl.logs("DeleteLogGroup", {"logGroupName": "/app/g0"}).status, 200,
       "delete")
    aws_error(cl.logs("DeleteLogGroup", {"logGroupName": "/app/g0"}),
              "ResourceNotFoundException", 400,
              "The specified log group does not exist.")


def seed_events(cl, group="/t/ev", streams=("s1", "s2", "s3"), n=50,
                step=1000):
    cl.logs("CreateLogGroup", {"logGroupName": group})
    base = int(time.time() * 1000) - 3600 * 1000
    for k, s in enumerate(streams):
        cl.logs("CreateLogStream", {"logGroupName": group,
                                    "logStreamName": s})
        evs = [{"timestamp": base + i * step + k,
                "message": "%s line %d %s" % (s, i,
                                              "ERROR" if i % 10 == 0 else "ok")}
               for i in range(n)]
        r = cl.logs("PutLogEvents", {"logGroupName": group,
                                     "logStreamName": s, "logEvents": evs})
        eq(r.status, 200, "put")
        ok(r.json().get("nextSequenceToken"), "nextSequenceToken")
    return base


@test
def log_streams_and_put():
    cl = fresh()
    base = seed_events(cl)
    aws_error(cl.logs("CreateLogStream", {"logGroupName": "/t/ev",
                                          "logStreamName": "s1"}),
              "ResourceAlreadyExistsException")
    aws_error(cl.logs("PutLogEvents", {
        "logGroupName": "/t/ev", "logStreamName": "nope",
        "logEvents": [{"timestamp": base, "message": "x"}]}),
        "ResourceNotFoundException", 400,
        "The specified log stream does not exist.")
    aws_error(cl.logs("PutLogEvents", {
        "logGroupName": "/t/ev", "logStreamName": "s1",
        "logEvents": [{"timestamp": base + 5, "message": "x"},
                      {"timestamp": base, "message": "y"}]}),
        "InvalidParameterException", 400,
        "Log events in a single PutLogEvents request must be in "
        "chronological order.")
    aws_error(cl.logs("PutLogEvents", {
        "logGroupName": "/t/ev", "logStreamName": "s1",
        "logEvents": [{"timestamp": base, "message": "x" * 262144}]}),
        "InvalidParameterException")
    r = cl.logs("PutLogEvents", {
        "logGroupName": "/t/ev", "logStreamName": "s1",
        "logEvents": [{"timestamp": 1000, "message": "ancient"}]}).json()
    eq(r.get("rejectedLogEventsInfo"), {"tooOldLogEventEndIndex": 1},
       "too old")
    j = cl.logs("DescribeLogStreams", {"logGroupName": "/t/ev",
                                       "orderBy": "LastEventTime",
                                       "descending": True}).json()
    eq([s["logStreamName"] for s in j["logStreams"]], ["s3", "s2", "s1"],
       "order by last event")
    s = j["logStreams"][0]
    for k in ("firstEventTimestamp", "lastEventTimestamp",
              "lastIngestionTime", "storedBytes", "creationTime", "arn"):
        ok(k in s, k)
    j = cl.logs("DescribeLogStreams", {"logGroupIdentifier": "/t/ev",
                                       "logStreamNamePrefix": "s",
                                       "limit": 2}).json()
    eq(len(j["logStreams"]), 2, "limit")
    j = cl.logs("DescribeLogStreams", {"logGroupName": "/t/ev",
                                       "nextToken": j["nextToken"],
                                       "logStreamNamePrefix": "s",
                                       "limit": 2}).json()
    eq([s["logStreamName"] for s in j["logStreams"]], ["s3"], "page 2")
    aws_error(cl.logs("DescribeLogStreams", {
        "logGroupName": "/t/ev", "orderBy": "LastEventTime",
        "logStreamNamePrefix": "s"}), "InvalidParameterException")


def filter_all(cl, params):
    out, pages, empty, tok = [], 0, 0, None
    while True:
        p = dict(params)
        if tok:
            p["nextToken"] = tok
        r = cl.logs("FilterLogEvents", p)
        eq(r.status, 200, "filter status %s" % r.body[:200])
        j = r.json()
        pages += 1
        if not j["events"]:
            empty += 1
        out += j["events"]
        tok = j.get("nextToken")
        if not tok:
            return out, pages, empty


@test
def filter_log_events():
    cl = fresh()
    base = seed_events(cl)
    evs, pages, _ = filter_all(cl, {"logGroupName": "/t/ev"})
    eq(len(evs), 150, "all events")
    keys = [(e["timestamp"], e["eventId"]) for e in evs]
    eq(keys, sorted(keys), "sorted by time across streams")
    e = evs[0]
    eq(sorted(e), ["eventId", "ingestionTime", "logStreamName", "message",
                   "timestamp"], "event fields")
    ok(isinstance(e["eventId"], str), "eventId is a string")
    evs, pages, _ = filter_all(cl, {"logGroupName": "/t/ev", "limit": 7})
    eq(len(evs), 150, "paged")
    eq(pages, 22, "pages of 7")
    arn = cl.logs("DescribeLogGroups", {"logGroupNamePrefix": "/t/ev"}).json(
        )["logGroups"][0]["logGroupArn"]
    evs, _, _ = filter_all(cl, {"logGroupIdentifier": arn,
                                "filterPattern": "ERROR",
                                "logStreamNames": ["s2"]})
    eq(len(evs), 5, "pattern + stream")
    ok(all(e["logStreamName"] == "s2" for e in evs), "stream")
    evs, _, _ = filter_all(cl, {"logGroupName": "/t/ev",
                                "startTime": base + 10000,
                                "endTime": base + 19000})
    eq(len(evs), 28, "time range (end inclusive)")
    evs, _, _ = filter_all(cl, {"logGroupName": "/t/ev",
                                "logStreamNamePrefix": "s3",
                                "filterPattern": "?ERROR ?\"line 3 \""})
    eq(len(evs), 6, "OR terms")
    aws_error(cl.logs("FilterLogEvents", {"logGroupName": "/t/ev",
                                          "filterPattern": "[a, b]"}),
              "InvalidParameterException", 400,
              "unsupported by emulator: [a, b]")
    aws_error(cl.logs("FilterLogEvents", {"logGroupName": "/t/nope"}),
              "ResourceNotFoundException")
    aws_error(cl.logs("FilterLogEvents", {"logGroupName": "/t/ev",
                                          "limit": 10001}),
              "InvalidParameterException")


@test
def filter_empty_pages():
    cl = fresh()
    seed_events(cl, n=200)
    cl.control("options", {"filter_scan": 100})
    evs, pages, empty = filter_all(cl, {"logGroupName": "/t/ev",
                                        "filterPattern": "\"line 199 \""})
    eq(len(evs), 3, "found at the end")
    ok(empty >= 3, "empty pages with a token (%d)" % empty)
    cl.control("options", {"filter_scan": 100000})
    cl.control("faults", {"next": ["empty", "empty"]})
    r = cl.logs("FilterLogEvents", {"logGroupName": "/t/ev"}).json()
    eq(r["events"], [], "forced empty")
    ok(r.get("nextToken"), "token on empty page")
    evs, pages, empty = filter_all(cl, {"logGroupName": "/t/ev",
                                        "nextToken": r["nextToken"]})
    eq(len(evs), 600, "resumes from the start")
    eq(empty, 1, "second forced empty page")


def put_big(cl, group, stream, base, n, size):
    cl.logs("CreateLogStream", {"logGroupName": group, "logStreamName": stream})
    for i in range(0, n, 1000):
        evs = [{"timestamp": base + 2 * j, "message": "%s %06d %s" % (
            stream, j, ("ERROR" if j % 3 == 0 else "ok").ljust(size, "x"))}
               for j in range(i, min(n, i + 1000))]
        eq(cl.logs("PutLogEvents", {"logGroupName": group,
                                    "logStreamName": stream,
                                    "logEvents": evs}).status, 200, "put")


@test
def filter_pages_hold_one_megabyte():
    cl = fresh()
    cl.logs("CreateLogGroup", {"logGroupName": "/t/big"})
    base = int(time.time() * 1000) - 3600 * 1000
    put_big(cl, "/t/big", "a", base, 6000, 500)
    cases = [({}, 6000), ({"filterPattern": "ERROR"}, 2000)]
    for extra, want in cases:
        tok, got, sizes = None, [], []
        while True:
            p = dict({"logGroupName": "/t/big"}, **extra)
            if tok:
                p["nextToken"] = tok
            r = cl.logs("FilterLogEvents", p)
            sizes.append(len(r.body))
            j = r.json()
            got += [e["message"] for e in j["events"]]
            tok = j.get("nextToken")
            if not tok:
                break
        eq(len(got), want, "events of %r" % extra)
        eq(len(set(got)), want, "none repeated %r" % extra)
        ok(max(sizes) <= (1 << 20) + 4096, "pages of %r: %r" % (extra, sizes))
        ok(len(sizes) >= want * 540 // (1 << 20), "several pages %r" % extra)
    put_big(cl, "/t/big", "b", base + 1, 3000, 500)
    for extra, want in [({}, 9000), ({"filterPattern": "ERROR"}, 3000)]:
        evs, pages, _ = filter_all(cl, dict({"logGroupName": "/t/big"},
                                            **extra))
        keys = [(e["timestamp"], e["eventId"]) for e in evs]
        eq(len(set(keys)), want, "two streams %r" % extra)
        eq(keys, sorted(keys), "in order %r" % extra)
        ok(pages >= want * 540 // (1 << 20), "paged %r (%d)" % (extra, pages))


@test
def get_log_events():
    cl = fresh()
    base = seed_events(cl, streams=("s1",), n=25)
    p = {"logGroupName": "/t/ev", "logStreamName": "s1", "limit": 10}
    j = cl.logs("GetLogEvents", p).json()
    eq([e["message"].split()[2] for e in j["events"]],
       [str(i) for i in range(15, 25)], "tail")
    ok(j["nextForwardToken"].startswith("f/"), "forward token")
    ok(j["nextBackwardToken"].startswith("b/"), "backward token")
    j2 = cl.logs("GetLogEvents", dict(p, nextToken=j["nextForwardToken"])
                 ).json()
    eq(j2["events"], [], "nothing newer")
    eq(j2["nextForwardToken"], j["nextForwardToken"], "same token at end")
    j3 = cl.logs("GetLogEvents", dict(p, nextToken=j["nextBackwardToken"])
                 ).json()
    eq([e["message"].split()[2] for e in j3["events"]],
       [str(i) for i in range(5, 15)], "backward")
    j = cl.logs("GetLogEvents", dict(p, startFromHead=True, limit=3,
                                     startTime=base + 2000)).json()
    eq([e["message"].split()[2] for e in j["events"]], ["2", "3", "4"],
       "head from startTime")
    eq(sorted(j["events"][0]), ["ingestionTime", "message", "timestamp"],
       "fields")
    cl.logs("PutLogEvents", {"logGroupName": "/t/ev", "logStreamName": "s1",
                             "logEvents": [{"timestamp": base + 99000,
                                            "message": "late"}]})
    j4 = cl.logs("GetLogEvents", dict(p, nextToken=j2["nextForwardToken"])
                 ).json()
    eq([e["message"] for e in j4["events"]], ["late"], "new event")
    aws_error(cl.logs("GetLogEvents", dict(p, logStreamName="x")),
              "ResourceNotFoundException")


@test
def metric_filters():
    cl = fresh()
    seed_events(cl, streams=("s1",), n=3)
    mf = {"logGroupName": "/t/ev", "filterName": "errors",
          "filterPattern": "ERROR",
          "metricTransformations": [{"metricName": "Errors",
                                     "metricNamespace": "App",
                                     "metricValue": "1"}]}
    eq(cl.logs("PutMetricFilter", mf).status, 200, "put")
    j = cl.logs("DescribeMetricFilters", {"logGroupName": "/t/ev"}).json()
    eq(j["metricFilters"][0]["filterName"], "errors", "describe")
    ok("creationTime" in j["metricFilters"][0], "creationTime")
    j = cl.logs("DescribeMetricFilters", {"metricName": "Errors",
                                          "metricNamespace": "App"}).json()
    eq(len(j["metricFilters"]), 1, "by metric")
    g = cl.logs("DescribeLogGroups", {"logGroupNamePrefix": "/t/ev"}).json()
    eq(g["logGroups"][0]["metricFilterCount"], 1, "count")
    j = cl.logs("TestMetricFilter", {
        "filterPattern": "{ $.level = \"error\" }",
        "logEventMessages": ['{"level":"error"}', '{"level":"info"}',
                             "plain"]}).json()
    eq([m["eventNumber"] for m in j["matches"]], [1], "test filter")
    eq(cl.logs("DeleteMetricFilter", {"logGroupName": "/t/ev",
                                      "filterName": "errors"}).status, 200,
       "delete")
    aws_error(cl.logs("DeleteMetricFilter", {"logGroupName": "/t/ev",
                                             "filterName": "errors"}),
              "ResourceNotFoundException")
    bad = dict(mf, metricTransformations=[])
    aws_error(cl.logs("PutMetricFilter", bad), "InvalidParameterException")


# ---- credentials ---------------------------------------------------------------

def xml_field(body, name):
    m = re.search(r"<%s>([^<]*)</%s>" % (name, name), body.decode())
    return m.group(1) if m else None


@test
def sts_assume_role():
    cl = fresh()
    r = cl.sts("AssumeRole", {"RoleArn": "arn:aws:iam::123456789012:role/ro",
                              "RoleSessionName": "t1",
                              "DurationSeconds": "900"})
    eq(r.status, 200, "status %s" % r.body[:300])
    ok(r.body.startswith(b'<AssumeRoleResponse xmlns="https://sts.'
                         b'amazonaws.com/doc/2011-06-15/">'), "xml")
    ak = xml_field(r.body, "AccessKeyId")
    sk = xml_field(r.body, "SecretAccessKey")
    tok = xml_field(r.body, "SessionToken")
    exp = xml_field(r.body, "Expiration")
    ok(ak.startswith("ASIA"), ak)
    ok(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\Z", exp), exp)
    tc = Client(SRV.url, ak=ak, sk=sk, token=tok)
    eq(tc.logs("DescribeLogGroups", {}).status, 200, "temp creds work")
    r = tc.sts("GetCallerIdentity")
    eq(xml_field(r.body, "Arn"),
       "arn:aws:sts::123456789012:assumed-role/ro/t1", "caller")
    nt = Client(SRV.url, ak=ak, sk=sk)
    aws_error(nt.logs("DescribeLogGroups", {}), "UnrecognizedClientException")
    cl.control("expire", {"AccessKeyId": ak})
    aws_error(tc.logs("DescribeLogGroups", {}), "ExpiredTokenException", 400,
              "The security token included in the request is expired")
    eq(xml_code(tc.sts("GetCallerIdentity")), "ExpiredToken", "STS expired")
    r = cl.sts("GetCallerIdentity")
    eq(xml_field(r.body, "Arn"), "arn:aws:iam::123456789012:user/fakeaws",
       "static caller")


@test
def sts_role_requirements():
    cl = fresh()
    arn = "arn:aws:iam::123456789012:role/guarded"
    cl.control("roles", {"RoleArn": arn, "ExternalId": "ext-123",
                         "MfaSerial": "arn:aws:iam::123456789012:mfa/me",
                         "MfaCode": "654321"})
    r = cl.sts("AssumeRole", {"RoleArn": arn, "RoleSessionName": "x1"})
    eq((r.status, xml_code(r)), (403, "AccessDenied"), "no external id")
    base = {"RoleArn": arn, "RoleSessionName": "x1", "ExternalId": "ext-123",
            "SerialNumber": "arn:aws:iam::123456789012:mfa/me"}
    r = cl.sts("AssumeRole", dict(base, TokenCode="111111"))
    eq((r.status, xml_code(r)), (403, "AccessDenied"), "bad code")
    r = cl.sts("AssumeRole", dict(base, TokenCode="654321"))
    eq(r.status, 200, "good")
    r = cl.sts("AssumeRole", {"RoleArn": arn, "RoleSessionName": "x"})
    eq((r.status, xml_code(r)), (400, "ValidationError"), "short session")
    cl.control("roles", method="DELETE")


@test
def sts_web_identity_unsigned():
    cl = fresh()
    r = cl.sts("AssumeRoleWithWebIdentity", {
        "RoleArn": "arn:aws:iam::123456789012:role/ci",
        "RoleSessionName": "gha", "WebIdentityToken": "eyJ.token.sig"},
        unsigned=True)
    eq(r.status, 200, "status %s" % r.body[:300])
    ok(xml_field(r.body, "AccessKeyId").startswith("ASIA"), "key")
    ok(b"<SubjectFromWebIdentityToken>" in r.body, "subject")
    r = cl.sts("AssumeRoleWithWebIdentity", {
        "RoleArn": "arn:aws:iam::123456789012:role/ci",
        "RoleSessionName": "gha", "WebIdentityToken": ""}, unsigned=True)
    eq((r.status, xml_code(r)), (400, "ValidationError"), "empty token")


@test
def imds():
    cl = fresh()
    r = cl.raw("GET", "/latest/meta-data/iam/security-credentials/")
    eq(r.status, 401, "no token")
    r = cl.raw("PUT", "/latest/api/token", b"",
               {"X-aws-ec2-metadata-token-ttl-seconds": "60"})
    eq(r.status, 200, "token")
    tok = r.body.decode()
    h = {"X-aws-ec2-metadata-token": tok}
    r = cl.raw("GET", "/latest/meta-data/iam/security-credentials/", b"", h)
    eq(r.status, 200, "role list")
    role = r.body.decode()
    r = cl.raw("GET", "/latest/meta-data/iam/security-credentials/" + role,
               b"", h)
    j = r.json()
    eq(j["Code"], "Success", "code")
    ok(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\Z", j["Expiration"]),
       "expiration")
    tc = Client(SRV.url, ak=j["AccessKeyId"], sk=j["SecretAccessKey"],
                token=j["Token"])
    eq(tc.logs("DescribeLogGroups", {}).status, 200, "creds work")
    r = cl.raw("GET", "/latest/meta-data/iam/security-credentials/" + role,
               b"", {"X-aws-ec2-metadata-token": "bogus"})
    eq(r.status, 401, "bad token")
    st = cl.control("stats")
    imds_reqs = [q for q in st["requests"] if q["op"] == "IMDS"]
    ok(imds_reqs and all("Authorization" not in q["headers"]
                         for q in imds_reqs), "no secrets sent to IMDS")


@test
def ecs_credentials():
    cl = fresh()
    r = cl.raw("GET", "/creds", b"", {"Authorization": "wrong"})
    eq(r.status, 401, "wrong token")
    r = cl.raw("GET", "/creds", b"", {"Authorization": "ecs-test-token"})
    eq(r.status, 200, "full uri")
    j = r.json()
    for k in ("AccessKeyId", "SecretAccessKey", "Token", "Expiration"):
        ok(k in j, k)
    cl.control("ecs-token", {"token": "other"})
    eq(cl.raw("GET", "/creds", b"", {"Authorization": "other"}).status, 200,
       "settable token")
    eq(cl.raw("GET", "/v2/credentials/abc").status, 200, "relative uri")
    tc = Client(SRV.url, ak=j["AccessKeyId"], sk=j["SecretAccessKey"],
                token=j["Token"])
    eq(tc.logs("DescribeLogGroups", {}).status, 200, "creds work")
    cl.control("ecs-token", {"token": "ecs-test-token"})


@test
def sso_credentials():
    cl = fresh()
    path = "/federation/credentials?role_name=ReadOnly&account_id=123456789012"
    eq(cl.raw("GET", path).status, 401, "no token")
    r = cl.raw("GET", path, b"", {"x-amz-sso_bearer_token": "sso-test-token"})
    eq(r.status, 200, "ok")
    rc = r.json()["roleCredentials"]
    ok(rc["expiration"] > time.time() * 1000, "expiration in ms")
    tc = Client(SRV.url, ak=rc["accessKeyId"], sk=rc["secretAccessKey"],
                token=rc["sessionToken"])
    eq(tc.logs("DescribeLogGroups", {}).status, 200, "creds work")
    cl.control("sso-tokens", {"tokens": ["t2"]})
    eq(cl.raw("GET", path, b"", {"x-amz-sso_bearer_token":
                                 "sso-test-token"}).status, 401, "revoked")
    cl.control("sso-tokens", {"tokens": ["sso-test-token"]})


@test
def temp_ttl():
    cl = fresh()
    cl.control("temp-ttl", {"seconds": 1})
    r = cl.raw("GET", "/v2/credentials/x")
    j = r.json()
    tc = Client(SRV.url, ak=j["AccessKeyId"], sk=j["SecretAccessKey"],
                token=j["Token"])
    time.sleep(1.2)
    aws_error(tc.logs("DescribeLogGroups", {}), "ExpiredTokenException")
    cl.control("temp-ttl", {"seconds": 3600})


# ---- faults and quotas ----------------------------------------------------------

@test
def next_faults():
    cl = fresh()
    cl.control("stats", method="DELETE")
    cl.control("faults", {"next": ["throttle", "500", "503", "html", "xml",
                                   "ok", "truncate", "reset"]})
    aws_error(cl.logs("DescribeLogGroups", {}), "ThrottlingException", 400,
              "Rate exceeded")
    eq(cl.logs("DescribeLogGroups", {}).status, 500, "500")
    eq(cl.logs("DescribeLogGroups", {}).status, 503, "503")
    r = cl.logs("DescribeLogGroups", {})
    eq((r.status, r.body[:6]), (502, b"<html>"), "html")
    r = cl.logs("DescribeLogGroups", {})
    eq((r.status, r.body[:5]), (503, b"<?xml"), "xml")
    eq(cl.logs("DescribeLogGroups", {}).status, 200, "ok spacer")
    try:
        r = cl.logs("DescribeLogGroups", {})
        raise Fail("truncated body read whole: %r" % r)
    except Fail:
        raise
    except Exception:
        cl.close()
    try:
        cl.raw("POST", "/", b"{}", {})
    except Exception:
        pass
    cl.close()
    # the reset above may have been consumed by the raw request
    st = cl.control("stats")
    outcomes = st["ops"]["DescribeLogGroups"]
    for k in ("throttle", "500", "503", "html", "xml", "truncate", "ok"):
        ok(outcomes.get(k), "stats outcome %s: %r" % (k, outcomes))
    r = cl.cloudwatch("DescribeAlarms", {})
    eq(r.status, 200, "faults used up")
    cl.control("faults", {"next": ["throttle@DescribeAlarms"]})
    eq(cl.logs("DescribeLogGroups", {}).status, 200, "other op untouched")
    r = cl.cloudwatch("DescribeAlarms", {})
    eq(r.header("x-amzn-query-error"), "Throttling;Sender", "cw throttling")


@test
def reset_fault():
    cl = fresh()
    cl.control("faults", {"next": ["reset"]})
    s = socket.create_connection(("127.0.0.1", SRV.port))
    s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
              b"X-Amz-Target: Logs_20140328.DescribeLogGroups\r\n\r\n{}")
    try:
        data = s.recv(100)
        eq(data, b"", "no answer")
    except ConnectionResetError:
        pass
    s.close()


@test
def seeded_rates_repeat():
    def run():
        srv = ServerProcess("--seed", "7", "--faults", "throttle=0.3,500=0.2")
        try:
            cl = srv.client()
            return [cl.logs("DescribeLogGroups", {}).status
                    for _ in range(30)]
        finally:
            srv.stop()
    a, b = run(), run()
    eq(a, b, "same seed, same faults")
    ok(400 in a and 500 in a and 200 in a, "mix: %r" % a)


@test
def quotas():
    cl = fresh()
    cl.control("faults", {"spec": "tps.DescribeLogGroups=3"})
    codes = [cl.logs("DescribeLogGroups", {}).status for _ in range(6)]
    ok(codes.count(200) == 3 and codes.count(400) == 3, "tps: %r" % codes)
    time.sleep(1.05)
    eq(cl.logs("DescribeLogGroups", {}).status, 200, "after a second")
    st = cl.control("stats")
    eq(st["ops"]["DescribeLogGroups"].get("quota"), 3, "quota outcomes")
    cl.control("faults", method="DELETE")


@test
def latency_and_skew():
    cl = fresh()
    cl.control("faults", {"spec": "latency=150ms"})
    t = time.time()
    cl.logs("DescribeLogGroups", {})
    ok(time.time() - t >= 0.15, "latency")
    cl.control("faults", method="DELETE")
    cl.control("clock", {"skew": "900s"})
    r = cl.logs("DescribeLogGroups", {})
    aws_error(r, "InvalidSignatureException")
    import email.utils
    d = email.utils.parsedate_to_datetime(r.header("Date")).timestamp()
    ok(abs(d - time.time() - 900) < 5, "Date header follows the skew")
    cl.skew = d - time.time()
    eq(cl.logs("DescribeLogGroups", {}).status, 200, "corrected client")
    cl.control("clock", {"skew": 0})


# ---- process ---------------------------------------------------------------------

@test
def state_and_signals():
    fd, path = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    os.unlink(path)
    try:
        srv = ServerProcess("--state", path)
        cl = srv.client()
        seed_events(cl, n=5)
        t = time.time()
        eq(srv.stop(signal.SIGTERM), 0, "SIGTERM exit code")
        ok(time.time() - t < 3, "quick exit")
        srv = ServerProcess("--state", path)
        cl = srv.client()
        evs, _, _ = filter_all(cl, {"logGroupName": "/t/ev"})
        eq(len(evs), 15, "state reloaded")
        eq(srv.stop(signal.SIGINT), 0, "SIGINT exit code")
    finally:
        if os.path.exists(path):
            os.unlink(path)


@test
def extra_credentials_file():
    fd, path = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump([{"AccessKeyId": "AKIAEXTRAEXTRAEXTRA1",
                    "SecretAccessKey": "extra-secret"}], f)
    try:
        srv = ServerProcess("--credentials", path)
        cl = srv.client(ak="AKIAEXTRAEXTRAEXTRA1", sk="extra-secret")
        eq(cl.logs("DescribeLogGroups", {}).status, 200, "extra key")
        cl.close()
        srv.stop()
    finally:
        os.unlink(path)


def main():
    global SRV
    print("1..%d" % len(TESTS))
    SRV = ServerProcess("--seed", "1")
    failed = 0
    try:
        for i, fn in enumerate(TESTS, 1):
            name = fn.__name__.replace("_", " ")
            try:
                fn()
                print("ok %d - %s" % (i, name))
            except Exception as e:
                failed += 1
                print("not ok %d - %s" % (i, name))
                detail = str(e) if isinstance(e, Fail) else \
                    traceback.format_exc()
                for line in detail.splitlines():
                    print("# " + line)
            sys.stdout.flush()
    finally:
        code = SRV.stop()
    if code != 0:
        print("# server exit code %r" % code)
        failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
