"""TAP tests of the emulator's CloudWatch alarms, Logs Insights, Live
Tail and what alarm actions reach (SNS, KMS, Lambda, Auto Scaling), over HTTP with SigV4-signed requests (a small signer of its own),
plus the event-stream codec and session timeouts in-process.

Run from the top of the tree: python3 tests/fakeaws/services_test.py
"""

import datetime
import http.client
import json
import os
import struct
import subprocess
import sys
import threading
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import client                                       # noqa: E402
import eventstream                                   # noqa: E402
import livetail                                      # noqa: E402
from common import Store, Call, LogGroup, LogStream  # noqa: E402

KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
REGION = "us-east-1"
ACCOUNT = "123456789012"

# ---------------------------------------------------------------- TAP

_n = 0
_failed = 0


def ok(cond, desc, why=None):
    global _n, _failed
    _n += 1
    if cond:
        print("ok %d - %s" % (_n, desc))
    else:
        _failed += 1
        print("not ok %d - %s" % (_n, desc))
        if why is not None:
            for line in str(why).splitlines():
                print("# " + line)
    sys.stdout.flush()
    return cond


def is_(got, want, desc):
    return ok(got == want, desc, "     got: %r\nexpected: %r" % (got, want))


def like(text, sub, desc):
    return ok(sub in (text or ""), desc, "     got: %r\nexpected to contain:"
              " %r" % (text, sub))


# -------------------------------------------------------------- SigV4

def sign(method, host, path, headers, body, service, key=KEY,
         secret=SECRET, when=None):
    """Adds X-Amz-Date and Authorization (SigV4 over every header)."""
    headers = dict(headers)
    headers["Authorization"] = client.sign(
        method, host, path, (), headers, body, key, secret, REGION, service,
        when.timestamp() if when else None)
    headers["Host"] = host
    return headers


# ------------------------------------------------------------- server

class Server:
    def __init__(self):
        script = os.environ.get("FAKEAWS_SERVER",
                                os.path.join(HERE, "server.py"))
        self.proc = subprocess.Popen(
            [sys.executable, script, "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = self.proc.stdout.readline().decode()
        digits = line.strip().split()[-1] if line.strip() else ""
        if not digits.isdigit():
            err = self.proc.stderr.read().decode() if self.proc.poll() \
                is not None else ""
            print("Bail out! fakeaws did not start: %r %s" % (line, err))
            sys.exit(2)
        self.port = int(digits)
        self.host = "127.0.0.1:%d" % self.port

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def call(self, target, params, version, service, timeout=10):
        body = json.dumps(params).encode()
        headers = sign("POST", self.host, "/", {
            "Content-Type": "application/x-amz-json-%s" % version,
            "X-Amz-Target": target}, body, service)
        if version == "1.0":
            headers["x-amzn-query-mode"] = "true"
        c = http.client.HTTPConnection("127.0.0.1", self.port,
                                       timeout=timeout)
        c.request("POST", "/", body, headers)
        r = c.getresponse()
        data = r.read()
        c.close()
        try:
            obj = json.loads(data) if data.strip() else {}
        except ValueError:
            obj = {"__raw": data.decode("utf-8", "replace")}
        return r.status, {k.lower(): v for k, v in r.getheaders()}, obj

    def options(self, **opts):
        """POST /__fakeaws/options: the emulator's tunables."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        c.request("POST", "/__fakeaws/options", json.dumps(opts).encode(),
                  {"Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        c.close()
        return r.status

    def cw(self, op, params):
        return self.call("GraniteServiceVersion20100801." + op, params,
                         "1.0", "monitoring")

    def logs(self, op, params):
        return self.call("Logs_20140328." + op, params, "1.1", "logs")


def err_code(status, headers, obj):
    """The legacy code a query-compatible client reads, else __type."""
    q = headers.get("x-amzn-query-error")
    if q:
        return q.split(";")[0]
    t = obj.get("__type", "")
    return t.split("#")[-1].split(":")[0]


def message(obj):
    return obj.get("message") or obj.get("Message") or ""


# ------------------------------------------------------------- alarms

def alarm(name, **extra):
    a = {"AlarmName": name, "Namespace": "AWS/EC2",
         "MetricName": "CPUUtilization", "Statistic": "Average",
         "Period": 300, "EvaluationPeriods": 2, "Threshold": 80,
         "ComparisonOperator": "GreaterThanThreshold",
         "Dimensions": [{"Name": "InstanceId", "Value": "i-1"}]}
    a.update(extra)
    return {k: v for k, v in a.items() if v is not None}


def test_alarms(s):
    st, h, o = s.cw("PutMetricAlarm", alarm("t-a1", Tags=[
        {"Key": "ManagedBy", "Value": "cwkit"}]))
    is_(st, 200, "PutMetricAlarm: 200")

    def bad(desc, params, code, status=400, text=None, op="PutMetricAlarm"):
        st, h, o = s.cw(op, params)
        got = err_code(st, h, o)
        good = st == status and got == code and \
            (text is None or text in message(o))
        ok(good, desc, "got %d %s: %s\nexpected %d %s%s" % (
            st, got, message(o), status, code,
            (" containing %r" % text) if text else ""))
        return h, o

    h, o = bad("bad ComparisonOperator: ValidationError with the enum set",
               alarm("t-x", ComparisonOperator="Bigger"), "ValidationError",
               text="at 'comparisonOperator' failed to satisfy constraint: "
                    "Member must satisfy enum value set: "
                    "[GreaterThanOrEqualToThreshold")
    like(h.get("x-amzn-query-error", ""), "ValidationError;Sender",
         "x-amzn-query-error carries Code;Sender")
    like(o.get("__type", ""), "ValidationException",
         "__type names the modeled shape")
    bad("two constraint errors in one message",
        alarm("t-x", Statistic="Mean", Unit="Parsecs"), "ValidationError",
        text="2 validation errors detected")
    bad("bad Unit", alarm("t-x", Unit="Parsecs"), "ValidationError",
        text="at 'unit'")
    bad("bad TreatMissingData", alarm("t-x", TreatMissingData="maybe"),
        "ValidationError", text="TreatMissingData")
    bad("Period 45 refused", alarm("t-x", Period=45), "ValidationError",
        text="Period must be 10, 20, 30 or a multiple of 60")
    bad("Period 0 refused by the model", alarm("t-x", Period=0),
        "ValidationError", text="Member must have value greater than or "
        "equal to 1")
    for p in (10, 20, 30, 60, 3600):
        st, _, o = s.cw("PutMetricAlarm", alarm("t-p%d" % p, Period=p,
                                                EvaluationPeriods=1))
        is_(st, 200, "Period %d accepted" % p)
    bad("Period x EvaluationPeriods over a day",
        alarm("t-x", Period=600, EvaluationPeriods=200), "ValidationError")
    bad("EvaluationPeriods 0", alarm("t-x", EvaluationPeriods=0),
        "ValidationError", text="evaluationPeriods")
    bad("DatapointsToAlarm > EvaluationPeriods",
        alarm("t-x", DatapointsToAlarm=3), "ValidationError",
        text="DatapointsToAlarm must be less than or equal to "
             "EvaluationPeriods")
    bad("name of 256 characters", alarm("n" * 256), "ValidationError",
        text="Member must have length less than or equal to 255")
    st, _, _ = s.cw("PutMetricAlarm", alarm("n" * 255))
    is_(st, 200, "name of 255 characters accepted")
    arns = ["arn:aws:sns:us-east-1:%s:t%d" % (ACCOUNT, i) for i in range(6)]
    bad("six AlarmActions", alarm("t-x", AlarmActions=arns),
        "ValidationError", text="at 'alarmActions'")
    st, _, _ = s.cw("PutMetricAlarm", alarm("t-5act", OKActions=arns[:5]))
    is_(st, 200, "five OKActions accepted")
    bad("an action that is not an ARN", alarm("t-x", AlarmActions=["x"]),
        "ValidationError", text="Invalid arn")
    bad("Statistic and ExtendedStatistic",
        alarm("t-x", ExtendedStatistic="p99"), "InvalidParameterCombination")
    bad("neither Statistic nor ExtendedStatistic",
        alarm("t-x", Statistic=None), "MissingParameter")
    st, _, _ = s.cw("PutMetricAlarm", alarm("t-p99", Statistic=None,
                                            ExtendedStatistic="p99.9"))
    is_(st, 200, "ExtendedStatistic p99.9 accepted")
    bad("ExtendedStatistic p101", alarm("t-x", Statistic=None,
                                        ExtendedStatistic="p101"),
        "InvalidParameterValue")
    metrics = [{"Id": "m1", "MetricStat": {"Metric": {
        "Namespace": "A", "MetricName": "B"}, "Period": 60, "Stat": "Sum"},
        "ReturnData": True}]
    bad("Metrics with Statistic",
        alarm("t-x", MetricName=None, Namespace=None, Period=None,
              Dimensions=None, Metrics=metrics), "ValidationError",
        text="Statistic should not be set if list of Metrics is set.")
    st, _, o = s.cw("PutMetricAlarm", alarm(
        "t-math", MetricName=None, Namespace=None, Period=None,
        Statistic=None, Dimensions=None, Metrics=metrics))
    is_(st, 200, "Metrics alarm accepted")
    two = metrics + [{"Id": "e1", "Expression": "m1*2", "ReturnData": True}]
    bad("two metrics return data", alarm(
        "t-x", MetricName=None, Namespace=None, Period=None, Statistic=None,
        Dimensions=None, Metrics=two), "ValidationError",
        text="Exactly one element of the metrics list should return data")
    bad("metric Id starting upper-case", alarm(
        "t-x", MetricName=None, Namespace=None, Period=None, Statistic=None,
        Dimensions=None, Metrics=[dict(metrics[0], Id="M1")]),
        "ValidationError")
    bad("neither MetricName nor Metrics", alarm(
        "t-x", MetricName=None), "ValidationError",
        text="MetricName must not be null")
    bad("no Threshold", alarm("t-x", Threshold=None), "ValidationError",
        text="Threshold")
    bad("an unknown member", alarm("t-x", Statistics="Average"),
        "ValidationError", text="Statistics")
    bad("no AlarmName", alarm(None), "ValidationError",
        text="Value null at 'alarmName' failed to satisfy constraint: "
             "Member must not be null")
    bad("a string Period", alarm("t-x", Period="300"),
        "SerializationException")

    # stored shape
    st, _, o = s.cw("DescribeAlarms", {"AlarmNames": ["t-a1"]})
    a = (o.get("MetricAlarms") or [{}])[0]
    is_(a.get("StateValue"), "INSUFFICIENT_DATA", "new alarm is "
        "INSUFFICIENT_DATA")
    is_(a.get("AlarmArn"), "arn:aws:cloudwatch:%s:%s:alarm:t-a1" %
        (REGION, ACCOUNT), "AlarmArn")
    ok(isinstance(a.get("StateUpdatedTimestamp"), (int, float)) and
       abs(a["StateUpdatedTimestamp"] - time.time()) < 600,
       "timestamps are epoch seconds", a.get("StateUpdatedTimestamp"))
    is_((a.get("ActionsEnabled"), a.get("Threshold"), a.get("OKActions")),
        (True, 80.0, []), "defaults: ActionsEnabled true, empty lists")
    ok("TreatMissingData" not in a and "DatapointsToAlarm" not in a and
       "Tags" not in a, "unset members and tags are not echoed")
    is_(o.get("CompositeAlarms"), [], "CompositeAlarms present and empty")

    # update keeps state, ignores Tags
    s.cw("SetAlarmState", {"AlarmName": "t-a1", "StateValue": "ALARM",
                           "StateReason": "r"})
    s.cw("PutMetricAlarm", alarm("t-a1", Threshold=90, Tags=[
        {"Key": "New", "Value": "x"}]))
    st, _, o = s.cw("DescribeAlarms", {"AlarmNames": ["t-a1"]})
    a = o["MetricAlarms"][0]
    is_((a["StateValue"], a["Threshold"]), ("ALARM", 90.0),
        "PutMetricAlarm on an existing alarm keeps state, replaces config")
    arn = a["AlarmArn"]
    st, _, o = s.cw("ListTagsForResource", {"ResourceARN": arn})
    is_(o.get("Tags"), [{"Key": "ManagedBy", "Value": "cwkit"}],
        "Tags apply on create only")
    s.cw("TagResource", {"ResourceARN": arn, "Tags": [
        {"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]})
    s.cw("UntagResource", {"ResourceARN": arn, "TagKeys": ["a"]})
    st, _, o = s.cw("ListTagsForResource", {"ResourceARN": arn})
    is_(sorted((t["Key"], t["Value"]) for t in o.get("Tags", [])),
        [("ManagedBy", "cwkit"), ("b", "2")], "TagResource / UntagResource")
    bad("ListTagsForResource of a missing alarm",
        {"ResourceARN": arn + "zz"}, "ResourceNotFoundException", 404,
        op="ListTagsForResource")
    bad("TagResource with an aws: key",
        {"ResourceARN": arn, "Tags": [{"Key": "aws:x", "Value": "1"}]},
        "InvalidParameterValue", op="TagResource")

    # composite alarms
    st, _, o = s.cw("PutCompositeAlarm", {
        "AlarmName": "t-comp", "AlarmRule": 'ALARM("t-a1") AND NOT OK(t-p10)'})
    is_(st, 200, "PutCompositeAlarm")
    bad("AlarmRule with surrounding whitespace",
        {"AlarmName": "t-c2", "AlarmRule": " ALARM(t-a1)"},
        "ValidationError", text="leading or trailing whitespace",
        op="PutCompositeAlarm")
    bad("AlarmRule naming a missing alarm",
        {"AlarmName": "t-c2", "AlarmRule": "ALARM(t-none)"},
        "ValidationError", text="t-none", op="PutCompositeAlarm")
    bad("AlarmRule with bad syntax",
        {"AlarmName": "t-c2", "AlarmRule": "ALARM(t-a1) AND"},
        "ValidationError", op="PutCompositeAlarm")
    s.cw("PutCompositeAlarm", {"AlarmName": "t-comp2",
                               "AlarmRule": "ALARM(t-p20)"})
    st, _, o = s.cw("DescribeAlarms", {"AlarmNames": ["t-comp"]})
    is_(o.get("CompositeAlarms"), [], "DescribeAlarms: metric alarms only "
        "by default")
    st, _, o = s.cw("DescribeAlarms", {"AlarmNames": ["t-comp"],
                                       "AlarmTypes": ["CompositeAlarm"]})
    is_([c["AlarmName"] for c in o.get("CompositeAlarms", [])], ["t-comp"],
        "AlarmTypes CompositeAlarm")
    s.cw("SetAlarmState", {"AlarmName": "t-p10", "StateValue": "ALARM",
                           "StateReason": "x"})
    st, _, o = s.cw("DescribeAlarms", {"AlarmNames": ["t-comp"],
                                       "AlarmTypes": ["CompositeAlarm"]})
    is_(o["CompositeAlarms"][0]["StateValue"], "ALARM",
        "composite evaluates its rule when a child changes")
    st, _, o = s.cw("DescribeAlarms", {"ChildrenOfAlarmName": "t-comp"})
    is_(sorted(a["AlarmName"] for a in o.get("MetricAlarms", [])),
        ["t-a1", "t-p10"], "ChildrenOfAlarmName")

    # DescribeAlarms paging and filters
    for i in range(7):
        s.cw("PutMetricAlarm", alarm("pg-%02d" % i))
    names, token, pages = [], None, 0
    while True:
        p = {"AlarmNamePrefix": "pg-", "MaxRecords": 3}
        if token:
            p["NextToken"] = token
        st, _, o = s.cw("DescribeAlarms", p)
        names += [a["AlarmName"] for a in o.get("MetricAlarms", [])]
        token = o.get("NextToken")
        pages += 1
        if not token or pages > 10:
            break
    is_((names, pages), (["pg-%02d" % i for i in range(7)], 3),
        "DescribeAlarms pages by MaxRecords with NextToken, sorted by name")
    bad("MaxRecords 101", {"MaxRecords": 101}, "ValidationError",
        op="DescribeAlarms")
    bad("MaxRecords 0", {"MaxRecords": 0}, "ValidationError",
        op="DescribeAlarms")
    bad("AlarmNames and AlarmNamePrefix",
        {"AlarmNames": ["a"], "AlarmNamePrefix": "a"},
        "InvalidParameterCombination", op="DescribeAlarms")
    bad("101 AlarmNames", {"AlarmNames": ["a%d" % i for i in range(101)]},
        "ValidationError", op="DescribeAlarms")
    bad("a forged NextToken", {"NextToken": "nope"}, "InvalidNextToken",
        op="DescribeAlarms")
    st, _, o = s.cw("DescribeAlarms", {"StateValue": "ALARM",
                                       "AlarmNamePrefix": "t-"})
    is_(sorted(a["AlarmName"] for a in o["MetricAlarms"]), ["t-a1", "t-p10"],
        "StateValue filter")
    st, _, o = s.cw("DescribeAlarms", {
        "ActionPrefix": "arn:aws:sns:us-east-1:%s:t" % ACCOUNT})
    is_([a["AlarmName"] for a in o["MetricAlarms"]], ["t-5act"],
        "ActionPrefix filter")

    # a quota on the number of alarms
    s.options(alarm_limit=0)
    bad("over the alarm quota: LimitExceeded", alarm("t-quota"),
        "LimitExceeded")
    st, _, _ = s.cw("PutMetricAlarm", alarm("pg-00", Threshold=1))
    is_(st, 200, "updating an alarm is not held by the quota")
    s.options(alarm_limit=None)

    # DeleteAlarms
    bad("DeleteAlarms with a missing name",
        {"AlarmNames": ["pg-00", "pg-missing"]}, "ResourceNotFound", 404,
        op="DeleteAlarms")
    st, _, o = s.cw("DescribeAlarms", {"AlarmNames": ["pg-00"]})
    is_(len(o["MetricAlarms"]), 1, "... and nothing was deleted")
    bad("DeleteAlarms of two composites",
        {"AlarmNames": ["t-comp", "t-comp2"]}, "ValidationError",
        op="DeleteAlarms")
    bad("DeleteAlarms of a composite's child",
        {"AlarmNames": ["t-a1"]}, "ValidationError",
        text="composite alarm(s) depending on", op="DeleteAlarms")
    bad("DeleteAlarms of 101 names",
        {"AlarmNames": ["a%d" % i for i in range(101)]}, "ValidationError",
        op="DeleteAlarms")
    st, _, _ = s.cw("DeleteAlarms", {"AlarmNames": ["t-comp", "t-a1"]})
    is_(st, 200, "DeleteAlarms of a composite with its child")
    st, _, o = s.cw("ListTagsForResource", {"ResourceARN": arn})
    is_(err_code(st, {}, o) if st != 200 else "200",
        "ResourceNotFoundException", "tags go with the alarm")

    # SetAlarmState
    bad("SetAlarmState of a missing alarm",
        {"AlarmName": "zz", "StateValue": "OK", "StateReason": "x"},
        "ResourceNotFound", 404, op="SetAlarmState")
    bad("SetAlarmState to a bad state",
        {"AlarmName": "pg-01", "StateValue": "RED", "StateReason": "x"},
        "ValidationError", op="SetAlarmState")
    bad("SetAlarmState with StateReasonData that is not JSON",
        {"AlarmName": "pg-01", "StateValue": "OK", "StateReason": "x",
         "StateReasonData": "{"}, "InvalidFormat", op="SetAlarmState")


def test_metrics(s):
    st, _, _ = s.cw("PutMetricData", {"Namespace": "CWAgent", "MetricData": [
        {"MetricName": "disk_used_percent", "Value": 50, "Dimensions": [
            {"Name": "path", "Value": "/"}, {"Name": "device", "Value": "xvda1"},
            {"Name": "InstanceId", "Value": "i-1"}]},
        {"MetricName": "mem_used_percent", "Value": 5, "Dimensions": [
            {"Name": "InstanceId", "Value": "i-1"}]}]})
    is_(st, 200, "PutMetricData: 200")
    st, h, o = s.cw("PutMetricData", {"Namespace": "AWS/EC2", "MetricData": [
        {"MetricName": "CPUUtilization", "Value": 1}]})
    is_((st, err_code(st, h, o)), (400, "InvalidParameterValue"),
        "PutMetricData into an AWS/ namespace is refused")
    st, _, o = s.cw("ListMetrics", {"Namespace": "CWAgent"})
    is_([m["MetricName"] for m in o["Metrics"]],
        ["disk_used_percent", "mem_used_percent"], "ListMetrics by namespace")
    st, _, o = s.cw("ListMetrics", {"Namespace": "CWAgent",
                                    "MetricName": "disk_used_percent",
                                    "Dimensions": [{"Name": "path",
                                                    "Value": "/"}]})
    is_([sorted(d["Name"] for d in m["Dimensions"]) for m in o["Metrics"]],
        [["InstanceId", "device", "path"]],
        "a dimension filter matches metrics that have more dimensions")
    st, _, o = s.cw("ListMetrics", {"Namespace": "CWAgent",
                                    "Dimensions": [{"Name": "fstype"}]})
    is_(o["Metrics"], [], "a dimension the metric lacks: nothing")


def test_anomaly_alarm(s):
    metrics = [
        {"Id": "m1", "ReturnData": True, "MetricStat": {
            "Metric": {"Namespace": "AWS/EC2", "MetricName": "CPUUtilization"},
            "Period": 300, "Stat": "Average"}},
        {"Id": "ad1", "Expression": "ANOMALY_DETECTION_BAND(m1, 2)",
         "ReturnData": True}]
    p = {"AlarmName": "t-anomaly", "Metrics": metrics,
         "ThresholdMetricId": "ad1", "EvaluationPeriods": 2,
         "ComparisonOperator": "GreaterThanUpperThreshold"}
    st, _, o = s.cw("PutMetricAlarm", p)
    is_(st, 200, "an anomaly alarm: the metric and its band return data")
    del p["ThresholdMetricId"]
    p.update(AlarmName="t-two", ComparisonOperator="GreaterThanThreshold",
             Threshold=1)
    st, h, o = s.cw("PutMetricAlarm", p)
    is_(err_code(st, h, o), "ValidationError",
        "... but two returning queries without a band are refused")


def test_alarm_regions(s):
    global REGION
    s.cw("PutMetricAlarm", alarm("rg-east"))
    REGION = "eu-west-2"
    try:
        st, _, o = s.cw("PutMetricAlarm", alarm("rg-west"))
        is_(st, 200, "PutMetricAlarm in a second region")
        st, _, o = s.cw("DescribeAlarms", {"AlarmNamePrefix": "rg-"})
        is_([a["AlarmName"] for a in o.get("MetricAlarms", [])],
            ["rg-west"], "DescribeAlarms lists the call's region only")
        like(o["MetricAlarms"][0]["AlarmArn"], ":eu-west-2:",
             "... and the ARN names that region")
    finally:
        REGION = "us-east-1"
    st, _, o = s.cw("DescribeAlarms", {"AlarmNamePrefix": "rg-"})
    is_([a["AlarmName"] for a in o.get("MetricAlarms", [])], ["rg-east"],
        "the first region's alarm stays there")


# ----------------------------------------------------------- insights

def seed_logs(s, group, base):
    s.logs("CreateLogGroup", {"logGroupName": group})
    for st in ("api-1", "api-2"):
        s.logs("CreateLogStream", {"logGroupName": group,
                                   "logStreamName": st})
    evs = {"api-1": [], "api-2": []}
    for i in range(20):
        if i % 2:
            msg = json.dumps({"level": "ERROR" if i % 3 == 0 else "INFO",
                              "status": 200 + i, "req": {"path": "/p%d" %
                                                         (i % 4)}})
        else:
            msg = "plain line %d %s" % (i, "ERROR" if i % 4 == 0 else "ok")
        evs["api-1" if i < 10 else "api-2"].append(
            {"timestamp": base + i * 30000, "message": msg})
    for st, items in evs.items():
        code, _, o = s.logs("PutLogEvents", {
            "logGroupName": group, "logStreamName": st, "logEvents": items})
        if code != 200:
            print("# PutLogEvents: %d %s" % (code, o))


def run_query(s, qs, group, start, end, **extra):
    p = {"logGroupName": group, "startTime": start, "endTime": end,
         "queryString": qs}
    p.update(extra)
    st, h, o = s.logs("StartQuery", p)
    if st != 200:
        return st, h, o, []
    qid = o["queryId"]
    states = []
    for _ in range(10):
        st, h, r = s.logs("GetQueryResults", {"queryId": qid})
        states.append(r.get("status"))
        if r.get("status") in ("Complete", "Failed", "Cancelled"):
            break
    return st, h, r, states


def rows(r):
    return [{f["field"]: f["value"] for f in row if f["field"] != "@ptr"}
            for row in r.get("results", [])]


def test_insights(s):
    g = "/svc/insights"
    base = (int(time.time()) - 3600) // 300 * 300 * 1000
    seed_logs(s, g, base)
    lo, hi = base // 1000 - 60, base // 1000 + 3600
    st, _, r, states = run_query(
        s, "fields @timestamp, @message | sort @timestamp desc | limit 3",
        g, lo, hi)
    is_(states, ["Running", "Complete"], "GetQueryResults: Running, then "
        "Complete")
    is_(len(r.get("results", [])), 3, "limit 3")
    ok(all(any(f["field"] == "@ptr" for f in row) for row in r["results"]),
       "every row carries @ptr")
    first = rows(r)[0]
    is_(first.get("@timestamp"), datetime.datetime.fromtimestamp(
        (base + 19 * 30000) / 1000, datetime.timezone.utc).strftime(
        "%Y-%m-%d %H:%M:%S.000"), "sort desc; @timestamp format")
    stats = r.get("statistics", {})
    is_((stats.get("recordsMatched"), stats.get("recordsScanned")),
        (20.0, 20.0), "statistics")
    ok(stats.get("bytesScanned", 0) > 0, "bytesScanned")

    st, _, r, _ = run_query(
        s, "filter level = 'ERROR' | fields status, req.path | sort status",
        g, lo, hi)
    is_([x.get("status") for x in rows(r)], ["203", "209", "215"],
        "filter on a JSON field, sort ascending")
    is_(rows(r)[0].get("req.path"), "/p3", "nested JSON fields flatten with "
        "dots")
    st, _, r, _ = run_query(
        s, "filter status >= 210 and status < 215 | fields status "
        "| sort status asc", g, lo, hi)
    is_([x["status"] for x in rows(r)], ["211", "213"], "numeric "
        "comparisons with and")
    st, _, r, _ = run_query(
        s, "filter @message like /ERROR/ or status = 201 "
        "| fields @logStream | limit 100", g, lo, hi)
    is_(r["statistics"]["recordsMatched"], 9.0, "like /re/ with or")
    st, _, r, _ = run_query(
        s, 'filter @message not like "plain" | stats count(*) as n by '
        'level', g, lo, hi)
    is_(sorted((x["level"], x["n"]) for x in rows(r)),
        [("ERROR", "3"), ("INFO", "7")], "not like; stats count(*) by field")
    st, _, r, _ = run_query(s, "stats count(*) by bin(5m)", g, lo, hi)
    got = rows(r)
    is_(sorted(int(x["count(*)"]) for x in got), [10, 10],
        "stats count(*) by bin(5m), default column name")
    ok(all(x["bin(5m)"].endswith(":00.000") for x in got),
       "bin values are timestamps", got)
    st, _, r, _ = run_query(s, "fields @message", g, lo, hi, limit=4)
    is_(len(r["results"]), 4, "StartQuery limit")
    st, _, r, _ = run_query(s, "fields @message", g,
                            base // 1000, base // 1000 + 30)
    is_(r["statistics"]["recordsMatched"], 2.0, "startTime/endTime in "
        "seconds, inclusive")

    for desc, qs in (("an unknown command", "fields @message | explode"),
                     ("a dangling comma", "fields a,"),
                     ("an unterminated regex", "filter @message like /x"),
                     ("unsupported parse", "parse @message 'a*b' as x")):
        st, h, o, _ = run_query(s, qs, g, lo, hi)
        ok(st == 400 and err_code(st, h, o) == "MalformedQueryException",
           "MalformedQueryException: " + desc, "%d %s" % (st, o))
    # The handler raises the error with `extra` = {"queryCompileError":
    # {"location": ..., "message": ...}}; the server must put it in the body.
    loc = o.get("queryCompileError", {}).get("location", {})
    ok(loc.get("startCharOffset") == 0 and loc.get("endCharOffset") == 5,
       "MalformedQueryException carries queryCompileError.location", o)
    st, h, o, _ = run_query(s, "fields @message", "/svc/none", lo, hi)
    is_((st, err_code(st, h, o)), (400, "ResourceNotFoundException"),
        "StartQuery on a missing group")
    st, h, o = s.logs("StartQuery", {
        "logGroupNames": ["/g%d" % i for i in range(51)], "startTime": 0,
        "endTime": 1, "queryString": "fields @message"})
    is_(err_code(st, h, o), "InvalidParameterException", "51 log groups")
    st, h, o = s.logs("StartQuery", {
        "logGroupIdentifiers": ["arn:aws:logs:%s:%s:log-group:%s:*" %
                                (REGION, ACCOUNT, g)],
        "startTime": lo, "endTime": hi, "queryString": "fields @message"})
    is_(err_code(st, h, o), "InvalidParameterException",
        "logGroupIdentifiers refuse an ARN ending in :* (the model's "
        "pattern)")
    st, h, o = s.logs("StartQuery", {
        "logGroupIdentifiers": ["arn:aws:logs:%s:%s:log-group:%s" %
                                (REGION, ACCOUNT, g)],
        "startTime": lo, "endTime": hi, "queryString": "fields @message"})
    is_(st, 200, "logGroupIdentifiers take ARNs")
    st, _, o = s.logs("StopQuery", {"queryId": o.get("queryId")})
    is_(o.get("success"), True, "StopQuery")
    st, h, o = s.logs("GetQueryResults", {"queryId": "nope"})
    is_(err_code(st, h, o), "ResourceNotFoundException",
        "GetQueryResults of an unknown query")
    s.options(insights_states=["Scheduled", "Running", "Running"])
    st, _, r, states = run_query(s, "fields @message", g, lo, hi)
    is_(states, ["Scheduled", "Running", "Running", "Complete"],
        "option insights_states sets the states before Complete")
    for final in ("Failed", "Timeout", "Cancelled"):
        s.options(insights_states=["Running", final])
        st, _, r, states = run_query(s, "fields @message", g, lo, hi)
        is_((states[-1], r.get("results")), (final, []),
            "insights_states may end in " + final)
    s.options(insights_states=["Running"], insights_page_size=3)
    st, _, r, _ = run_query(s, "fields @message", g, lo, hi)
    got = len(r["results"])
    tok = r.get("nextToken")
    ok(got == 3 and tok, "insights_page_size: a page and a nextToken", r)
    s.options(insights_page_size=0, insights_max_running=1)

    st, _, o = s.logs("StartQuery", {"logGroupName": g, "startTime": lo,
                                     "endTime": hi, "queryString": "fields a"})
    st, h, o2 = s.logs("StartQuery", {"logGroupName": g, "startTime": lo,
                                      "endTime": hi,
                                      "queryString": "fields a"})
    is_(err_code(st, h, o2), "LimitExceededException",
        "insights_max_running caps running queries")
    s.logs("StopQuery", {"queryId": o["queryId"]})
    s.options(insights_max_running=100)
    st, _, r, _ = run_query(s, "fields @message | limit 1", g, lo, hi)
    ptr = [f["value"] for f in r["results"][0] if f["field"] == "@ptr"][0]
    st, _, o = s.logs("GetLogRecord", {"logRecordPointer": ptr})
    rec = o.get("logRecord", {})
    ok(st == 200 and rec.get("@message") and "@logStream" in rec
       and "@ptr" not in rec, "GetLogRecord: every field of the event", o)
    st, h, o = s.logs("GetLogRecord", {"logRecordPointer": "nope"})
    is_(err_code(st, h, o), "InvalidParameterException",
        "GetLogRecord of a bad pointer")
    st, _, o = s.logs("PutQueryDefinition", {
        "name": "ops/errors", "queryString": "filter level = 'ERROR'",
        "logGroupNames": [g]})
    did = o.get("queryDefinitionId")
    s.logs("PutQueryDefinition", {"name": "zz", "queryString": "fields a"})
    st, _, o = s.logs("DescribeQueryDefinitions",
                      {"queryDefinitionNamePrefix": "ops/"})
    is_([(d["name"], d["logGroupNames"]) for d in o["queryDefinitions"]],
        [("ops/errors", [g])], "DescribeQueryDefinitions by prefix")
    st, _, o = s.logs("DescribeQueryDefinitions", {"maxResults": 1})
    ok(o.get("nextToken") and len(o["queryDefinitions"]) == 1,
       "DescribeQueryDefinitions pages", o)
    st, _, o = s.logs("DeleteQueryDefinition", {"queryDefinitionId": did})
    is_(o.get("success"), True, "DeleteQueryDefinition")
    st, _, o = s.logs("GetLogGroupFields", {"logGroupName": g,
                                            "time": base // 1000 + 300})
    fields = {f["name"]: f["percent"] for f in o.get("logGroupFields", [])}
    ok(fields.get("@message") == 100 and 0 < fields.get("level", 0) < 100
       and "req.path" in fields, "GetLogGroupFields", fields)


# ---------------------------------------------------------- live tail

def test_codec():
    frame = eventstream.encode([
        (":message-type", "event"), ("b", True), ("f", False),
        ("i8", (eventstream.T_BYTE, -3)), ("i16", (eventstream.T_SHORT, 300)),
        ("i32", 70000), ("i64", (eventstream.T_LONG, 1 << 40)),
        ("bin", b"\x00\x01"), ("ts", (eventstream.T_TIMESTAMP, 1700)),
        ("u", (eventstream.T_UUID, b"0123456789abcdef"))], b'{"x":1}')
    total, hlen, pcrc = struct.unpack_from(">III", frame)
    is_(total, len(frame), "total length covers the whole message")
    is_(pcrc, zlib.crc32(frame[:8]), "prelude CRC")
    is_(struct.unpack(">I", frame[-4:])[0], zlib.crc32(frame[:-4]),
        "message CRC")
    h, p, used = eventstream.decode(frame)
    is_((h["b"], h["f"], h["i8"], h["i16"], h["i32"], h["i64"], h["bin"],
         h["ts"], str(h["u"])[:8], p, used),
        (True, False, -3, 300, 70000, 1 << 40, b"\x00\x01", 1700,
         "30313233", b'{"x":1}', len(frame)), "every header type round-trips")
    for i, what in ((9, "prelude"), (len(frame) - 6, "message")):
        broken = bytearray(frame)
        broken[i] ^= 1
        try:
            eventstream.decode(bytes(broken))
            ok(False, "a flipped bit breaks the %s CRC" % what)
        except eventstream.FrameError as e:
            like(str(e), "CRC", "a flipped bit breaks the %s CRC" % what)
    d = eventstream.Decoder()
    two = frame + eventstream.event("x", {"a": 1})
    got = []
    for i in range(len(two)):
        got += d.feed(two[i:i + 1])
    is_(len(got), 2, "the incremental decoder reassembles byte by byte")


class Tail:
    """A StartLiveTail response read frame by frame."""

    def __init__(self, s, params, timeout=10):
        body = json.dumps(params).encode()
        headers = sign("POST", s.host, "/", {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "Logs_20140328.StartLiveTail"}, body, "logs")
        self.conn = http.client.HTTPConnection("127.0.0.1", s.port,
                                               timeout=timeout)
        self.conn.request("POST", "/", body, headers)
        self.resp = self.conn.getresponse()
        self.status = self.resp.status
        self.ctype = self.resp.getheader("Content-Type")
        self.dec = eventstream.Decoder()
        self.queue = []
        self.crc_errors = 0

    def next(self):
        while not self.queue:
            data = self.resp.read1(65536)
            if not data:
                return None
            try:
                self.queue += self.dec.feed(data)
            except eventstream.FrameError:
                self.crc_errors += 1
                raise
        h, p = self.queue.pop(0)
        return h, json.loads(p) if p else None

    def close(self):
        self.conn.close()


def test_live_tail(s):
    g = "/svc/tail"
    s.logs("CreateLogGroup", {"logGroupName": g})
    for st in ("web-1", "job-1"):
        s.logs("CreateLogStream", {"logGroupName": g, "logStreamName": st})
    arn = "arn:aws:logs:%s:%s:log-group:%s" % (REGION, ACCOUNT, g)
    t = Tail(s, {"logGroupIdentifiers": [arn],
                 "logStreamNamePrefixes": ["web-"],
                 "logEventFilterPattern": "ERROR"})
    is_((t.status, t.ctype), (200, "application/vnd.amazon.eventstream"),
        "StartLiveTail answers with an event stream")
    try:
        h, p = t.next()
        is_((h.get(":message-type"), h.get(":event-type"), p),
            ("event", "initial-response", {}),
            "first frame: the initial-response the SDKs read")
        h, p = t.next()
        is_((h.get(":message-type"), h.get(":event-type"),
             h.get(":content-type")),
            ("event", "sessionStart", "application/json"),
            "then sessionStart")
        ok(p.get("sessionId") and p.get("requestId") and
           p.get("logGroupIdentifiers") == [arn] and
           p.get("logStreamNamePrefixes") == ["web-"] and
           p.get("logEventFilterPattern") == "ERROR",
           "sessionStart echoes the request", p)
        started = time.monotonic()
        h, p = t.next()
        gap = time.monotonic() - started
        is_((h.get(":event-type"), p), ("sessionUpdate", {
            "sessionMetadata": {"sampled": False}, "sessionResults": []}),
            "an empty sessionUpdate is the heartbeat")
        ok(0.3 < gap < 3, "heartbeat about every second", gap)
        now = int(time.time() * 1000)
        for st, msg in (("job-1", "ERROR in job"), ("web-1", "INFO fine"),
                        ("web-1", "ERROR in web")):
            s.logs("PutLogEvents", {"logGroupName": g, "logStreamName": st,
                                    "logEvents": [{"timestamp": now,
                                                   "message": msg}]})
        results = []
        for _ in range(5):
            h, p = t.next()
            results += p["sessionResults"]
            if results:
                break
        is_([(r["logStreamName"], r["message"]) for r in results],
            [("web-1", "ERROR in web")],
            "sessionUpdate carries only matching events of matching streams")
        r = results[0] if results else {}
        ok(r.get("logGroupIdentifier") == arn and r.get("timestamp") == now
           and isinstance(r.get("ingestionTime"), int),
           "result fields", r)
        is_(t.crc_errors, 0, "every frame's CRCs verify")
    except Exception as e:
        ok(False, "live tail stream", repr(e))
    finally:
        t.close()

    # the session timeout, set through the control path
    is_(s.options(live_tail_timeout=0.5, live_tail_interval=0.1), 200,
        "options live_tail_timeout and live_tail_interval")
    t = Tail(s, {"logGroupIdentifiers": [g]})
    try:
        kinds = []
        started = time.monotonic()
        while True:
            f = t.next()
            if f is None:
                break
            kinds.append(f[0].get(":event-type") or
                         f[0].get(":exception-type"))
        took = time.monotonic() - started
        ok(kinds[:2] == ["initial-response", "sessionStart"] and kinds[-1] ==
           "SessionTimeoutException" and kinds.count("sessionUpdate") >= 3
           and took < 5, "the session times out in-stream, then the body "
           "ends", "%s after %.2fs" % (kinds, took))
    finally:
        t.close()
        s.options(live_tail_timeout=10800, live_tail_interval=1)

    for desc, params, code in (
            ("missing group", {"logGroupIdentifiers": ["/svc/none"]},
             "ResourceNotFoundException"),
            ("eleven groups", {"logGroupIdentifiers": [g] * 11},
             "InvalidParameterException"),
            ("names and prefixes", {"logGroupIdentifiers": [g],
                                    "logStreamNames": ["a"],
                                    "logStreamNamePrefixes": ["a"]},
             "InvalidParameterException"),
            ("stream filters with two groups",
             {"logGroupIdentifiers": [g, arn], "logStreamNames": ["a"]},
             "InvalidParameterException")):
        st, h, o = s.logs("StartLiveTail", params)
        ok(st == 400 and err_code(st, h, o) == code,
           "StartLiveTail refuses %s: %s" % (desc, code), "%d %s" % (st, o))


def test_live_tail_timeout():
    """In-process: the timeout and the streaming-exception frames."""
    store = Store()
    g = LogGroup("/t", 0, REGION)
    g.streams["s"] = LogStream("s", 0)
    store.groups["/t"] = g
    store.options["live_tail_interval"] = 0.05
    store.options["live_tail_timeout"] = 0.3
    call = Call(REGION, "logs", KEY, "StartLiveTail", {})
    r = livetail.start_live_tail(store, {"logGroupIdentifiers": ["/t"]}, call)
    frames = [eventstream.decode(c)[:2] for c in r.chunks]
    last = frames[-1][0]
    is_((last.get(":message-type"), last.get(":exception-type")),
        ("exception", "SessionTimeoutException"),
        "the session ends with SessionTimeoutException")
    ok(len(frames) >= 3, "heartbeats until the timeout", len(frames))
    is_((store.listeners, getattr(store, "live_tail_sessions", [])), ([], []),
        "the listener is removed when the session ends")

    store.options["live_tail_timeout"] = 30
    r = livetail.start_live_tail(store, {"logGroupIdentifiers": ["/t"]}, call)
    it = iter(r.chunks)
    next(it)
    threading.Timer(0.1, livetail.fail_sessions, (store, "boom")).start()
    frames = [eventstream.decode(c)[:2] for c in it]
    h, p = frames[-1]
    is_((h.get(":exception-type"), json.loads(p).get("message")),
        ("SessionStreamingException", "boom"),
        "fail_sessions ends sessions with SessionStreamingException")

    saved = livetail.SESSION_TIMEOUT_S
    livetail.set_session_timeout(0.1)
    del store.options["live_tail_timeout"]
    r = livetail.start_live_tail(store, {"logGroupIdentifiers": ["/t"]}, call)
    frames = [eventstream.decode(c)[0] for c in r.chunks]
    livetail.set_session_timeout(saved)
    is_(frames[-1].get(":exception-type"), "SessionTimeoutException",
        "set_session_timeout() sets the default")



# -------------------------------------------- regions, history, metrics

def test_oncall(s):
    """Alarms per region, DescribeAlarmHistory, PutMetricData and
    GetMetricData (statistics, math, paging), AccessDenied."""
    import client as cl
    west = cl.Client("http://" + s.host, region="eu-west-1")

    def bad(desc, params, code, op):
        st, h, o = s.cw(op, params)
        ok(err_code(st, h, o) == code, desc, "got %d %s: %s" % (
            st, err_code(st, h, o), message(o)))

    def cw_west(op, params):
        r = west.cloudwatch(op, params)
        return r.status, r.json() if r.body.strip() else {}
    s.cw("PutMetricAlarm", alarm("r-east", AlarmActions=[
        "arn:aws:sns:us-east-1:%s:page" % ACCOUNT]))
    st, o = cw_west("PutMetricAlarm", alarm("r-west"))
    is_(st, 200, "PutMetricAlarm in a second region")
    _, _, o = s.cw("DescribeAlarms", {"AlarmNamePrefix": "r-"})
    is_([a["AlarmName"] for a in o["MetricAlarms"]], ["r-east"],
        "alarms are per region: us-east-1 sees its own")
    _, o = cw_west("DescribeAlarms", {"AlarmNamePrefix": "r-"})
    is_([(a["AlarmName"], a["AlarmArn"].split(":")[3])
         for a in o["MetricAlarms"]], [("r-west", "eu-west-1")],
        "eu-west-1 sees its own, with its region in the ARN")

    s.cw("SetAlarmState", {"AlarmName": "r-east", "StateValue": "ALARM",
                           "StateReason": "test one"})
    s.cw("SetAlarmState", {"AlarmName": "r-east", "StateValue": "OK",
                           "StateReason": "test two"})
    _, _, o = s.cw("DescribeAlarmHistory", {"AlarmName": "r-east"})
    items = o.get("AlarmHistoryItems", [])
    is_([(i["HistoryItemType"], i["HistorySummary"]) for i in items], [
        ("StateUpdate", "Alarm updated from ALARM to OK"),
        ("Action", "Successfully executed action arn:aws:sns:us-east-1:%s:"
         "page" % ACCOUNT),
        ("StateUpdate", "Alarm updated from INSUFFICIENT_DATA to ALARM"),
        ("ConfigurationUpdate", 'Alarm "r-east" created')],
        "DescribeAlarmHistory: newest first, the action recorded")
    is_(json.loads(items[0]["HistoryData"])["newState"]["stateReason"],
        "test two", "HistoryData carries the new state's reason")
    _, _, o = s.cw("DescribeAlarmHistory", {"AlarmName": "r-east",
                                            "MaxRecords": 3})
    _, _, o2 = s.cw("DescribeAlarmHistory", {"AlarmName": "r-east",
                                             "NextToken": o["NextToken"]})
    is_(len(o2["AlarmHistoryItems"]), 1, "DescribeAlarmHistory pages")

    now = int(time.time()) // 60 * 60
    data = [{"MetricName": "Latency", "Dimensions": [
        {"Name": "Service", "Value": "api"}], "Timestamp": now - 600 + i * 60,
        "Values": [i, i + 10], "Unit": "Milliseconds"} for i in range(10)]
    st, _, o = s.cw("PutMetricData", {"Namespace": "Shop", "MetricData":
                                      data})
    is_(st, 200, "PutMetricData")
    bad("PutMetricData in an AWS/ namespace", {"Namespace": "AWS/EC2",
        "MetricData": data[:1]}, "InvalidParameterValue",
        op="PutMetricData")

    def q(qid, stat, **extra):
        d = {"Id": qid, "MetricStat": {"Metric": {
            "Namespace": "Shop", "MetricName": "Latency", "Dimensions": [
                {"Name": "Service", "Value": "api"}]}, "Period": 60,
            "Stat": stat}}
        d.update(extra)
        return d
    st, _, o = s.cw("GetMetricData", {
        "MetricDataQueries": [q("a", "Average"), q("m", "Maximum"),
                              q("p", "p50", ReturnData=False),
                              {"Id": "e", "Expression": "(m - p) * 2"}],
        "StartTime": now - 3600, "EndTime": now + 60,
        "ScanBy": "TimestampAscending"})
    r = {x["Id"]: x for x in o.get("MetricDataResults", [])}
    is_(r["a"]["Values"][:3], [5.0, 6.0, 7.0], "GetMetricData: Average")
    is_(r["m"]["Values"][0], 10.0, "GetMetricData: Maximum")
    is_(sorted(r), ["a", "e", "m"], "ReturnData false is not returned")
    is_(r["e"]["Values"][0], 20.0, "metric math over series")
    is_(r["a"]["Timestamps"][0], now - 600, "timestamps are bucket starts")
    bad("a statistic that is none", {"MetricDataQueries": [q("a", "Mean")],
        "StartTime": now - 3600, "EndTime": now},
        "InvalidParameterValue", op="GetMetricData")
    s.options(metric_page=7)
    pages, got, tok = 0, 0, None
    while True:
        p = {"MetricDataQueries": [q("a", "Average"), q("m", "Maximum")],
             "StartTime": now - 3600, "EndTime": now + 60}
        if tok:
            p["NextToken"] = tok
        _, _, o = s.cw("GetMetricData", p)
        pages += 1
        got += sum(len(x["Values"]) for x in o["MetricDataResults"])
        tok = o.get("NextToken")
        if not tok or pages > 10:
            break
    s.options(metric_page=None)
    is_((pages, got), (3, 20), "GetMetricData pages by metric_page")
    _, o = cw_west("GetMetricData", {"MetricDataQueries": [q("a", "Sum")],
                                     "StartTime": now - 3600,
                                     "EndTime": now + 60})
    is_(o["MetricDataResults"][0]["Values"], [],
        "metric data is per region too")

    s.options(deny=["DescribeAlarms"])
    st, h, o = s.cw("DescribeAlarms", {})
    s.options(deny=[])
    is_((st, err_code(st, h, o)), (403, "AccessDenied"),
        "options deny: AccessDenied with AWS's wording")
    like(message(o), "is not authorized to perform: cloudwatch:"
         "DescribeAlarms", "AccessDenied names the action")

# ------------------------------------------------------- alarm actions

def test_actions(s):
    """SNS and Auto Scaling (Query), KMS (JSON 1.1), Lambda (REST-JSON):
    what alarm actions reach, each behind its own signing name."""
    import re
    c = client.Client("http://" + s.host, region=REGION)

    def query(service, version, action, params=None, **kw):
        p = dict(params or {}, Action=action, Version=version)
        return c.signed("POST", "/", client.form_encode(p), {
            "Content-Type": "application/x-www-form-urlencoded"}, service,
            **kw)

    def sns(action, params=None, **kw):
        return query("sns", "2010-03-31", action, params, **kw)

    def kms(op, params):
        r = c.signed("POST", "/", json.dumps(params).encode(), {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "TrentService." + op}, "kms")
        return r.status, json.loads(r.body or b"{}")

    def text(r, tag):
        m = re.search(r"<%s>([^<]*)</%s>" % (tag, tag), r.body.decode())
        return m.group(1) if m else None

    r = sns("CreateTopic", {"Name": "alerts"})
    arn = text(r, "TopicArn")
    ok(r.status == 200 and arn == "arn:aws:sns:us-east-1:123456789012:alerts",
       "sns: CreateTopic answers the topic ARN", r.body)
    r = sns("GetTopicAttributes", {"TopicArn": arn})
    ok(r.status == 200 and b"<entry><key>Policy</key><value>" in r.body
       and b"AWS:SourceOwner" in r.body,
       "sns: attributes as <entry><key><value>, the default policy", r.body)
    r = sns("GetTopicAttributes", {"TopicArn": arn + "-gone"})
    ok(r.status == 404 and text(r, "Code") == "NotFound",
       "sns: a missing topic is 404 NotFound", r.body)
    sub = sns("Subscribe", {"TopicArn": arn, "Protocol": "email",
                            "Endpoint": "a@example.com"})
    sqs = sns("Subscribe", {"TopicArn": arn, "Protocol": "sqs",
                            "Endpoint": "arn:aws:sqs:us-east-1:1:q"})
    ok(text(sub, "SubscriptionArn") == "PendingConfirmation"
       and text(sqs, "SubscriptionArn").startswith(arn + ":"),
       "sns: email waits for confirmation, sqs does not")
    r = sns("ListSubscriptionsByTopic", {"TopicArn": arn})
    ok(r.body.count(b"<member>") == 2 and b"PendingConfirmation" in r.body,
       "sns: ListSubscriptionsByTopic lists both", r.body)
    r = sns("SetTopicAttributes", {"TopicArn": arn, "AttributeName":
                                   "KmsMasterKeyId", "AttributeValue":
                                   "alias/aws/sns"})
    ok(r.status == 200 and b"alias/aws/sns" in sns(
        "GetTopicAttributes", {"TopicArn": arn}).body,
       "sns: SetTopicAttributes sets the key")
    r = sns("GetTopicAttributes", {"TopicArn": arn}, sk="wrong")
    ok(r.status == 403 and text(r, "Code") == "SignatureDoesNotMatch",
       "sns: a bad signature is refused", r.body)

    st, k = kms("CreateKey", {})
    kid = k.get("KeyMetadata", {}).get("KeyId")
    ok(st == 200 and kid, "kms: CreateKey", k)
    pol = json.dumps({"Statement": [{"Effect": "Allow", "Principal": {
        "Service": "cloudwatch.amazonaws.com"}, "Action": "kms:*"}]})
    st, _ = kms("PutKeyPolicy", {"KeyId": kid, "PolicyName": "default",
                                 "Policy": pol})
    st2, got = kms("GetKeyPolicy", {"KeyId": kid, "PolicyName": "default"})
    ok(st == 200 and got.get("Policy") == pol, "kms: PutKeyPolicy, "
       "GetKeyPolicy", got)
    st, d = kms("DescribeKey", {"KeyId": "alias/aws/sns"})
    ok(st == 200 and d["KeyMetadata"]["KeyManager"] == "AWS",
       "kms: alias/aws/sns is an AWS managed key", d)
    st, e = kms("GetKeyPolicy", {"KeyId": "alias/aws/sns",
                                 "PolicyName": "default"})
    ok(st == 400 and e.get("__type") == "NotFoundException",
       "kms: GetKeyPolicy takes no alias", e)
    st, e = kms("PutKeyPolicy", {"KeyId": d["KeyMetadata"]["KeyId"],
                                 "PolicyName": "default", "Policy": pol})
    ok(st == 400 and e.get("__type") == "AccessDeniedException",
       "kms: an AWS managed key's policy cannot change", e)

    fn = "/2015-03-31/functions"
    r = c.signed("POST", fn, json.dumps({"FunctionName": "f"}).encode(),
                 {"Content-Type": "application/json"}, "lambda")
    ok(r.status == 201, "lambda: CreateFunction", r.body)
    r = c.signed("GET", fn + "/f/policy", b"", {}, "lambda")
    ok(r.status == 404 and r.header("x-amzn-ErrorType") ==
       "ResourceNotFoundException", "lambda: no policy yet: 404, the code "
       "in x-amzn-ErrorType", r.body)
    r = c.signed("POST", fn + "/f/policy", json.dumps({
        "StatementId": "alarms", "Action": "lambda:InvokeFunction",
        "Principal": "lambda.alarms.cloudwatch.amazonaws.com",
        "SourceAccount": "123456789012"}).encode(),
        {"Content-Type": "application/json"}, "lambda")
    ok(r.status == 201, "lambda: AddPermission", r.body)
    r = c.signed("GET", fn + "/f/policy", b"", {}, "lambda",
                 query=[("Qualifier", "live")])
    ok(r.status == 200 and "lambda.alarms.cloudwatch.amazonaws.com" in
       r.json()["Policy"], "lambda: GetPolicy with a qualifier", r.body)
    r = c.signed("GET", fn + "/nope", b"", {}, "lambda")
    ok(r.status == 404, "lambda: GetFunction of a missing function: 404")
    r = c.signed("GET", fn + "/f/policy", b"", {}, "sns")
    ok(r.status >= 400 and b"scoped to correct service" in r.body,
       "lambda: signed for another service: refused", r.body)

    r = query("autoscaling", "2011-01-01", "PutScalingPolicy", {
        "AutoScalingGroupName": "web", "PolicyName": "out"})
    parn = text(r, "PolicyARN")
    ok(r.status == 200 and ":autoScalingGroupName/web:policyName/out" in
       (parn or ""), "autoscaling: PutScalingPolicy", r.body)
    r = query("autoscaling", "2011-01-01", "DescribePolicies", {
        "AutoScalingGroupName": "web", "PolicyNames.member.1": "out"})
    ok(text(r, "PolicyARN") == parn, "autoscaling: DescribePolicies by "
       "group and name", r.body)
    r = query("autoscaling", "2011-01-01", "DescribePolicies", {
        "PolicyNames.member.1": "other"})
    ok(r.status == 200 and b"<member>" not in r.body,
       "autoscaling: an unknown name is no error, no policy")


def main():
    test_codec()
    test_live_tail_timeout()
    s = Server()
    try:
        for t in (test_alarms, test_anomaly_alarm, test_alarm_regions,
                  test_metrics, test_oncall, test_insights,
                  test_live_tail, test_actions):
            try:
                t(s)
            except Exception as e:
                import traceback
                ok(False, "%s ran to its end" % t.__name__,
                   traceback.format_exc())
    finally:
        s.close()
    print("1..%d" % _n)
    return 1 if _failed else 0


if __name__ == "__main__":
    sys.exit(main())
