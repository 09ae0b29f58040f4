"""Writes the normalization cases for 0501: a definition set in DIR/norm
and, one JSON request per line, the alarms as AWS would echo them
(DIR/echo.jsonl: no change may show) and with one real change each
(DIR/real.jsonl: exactly that change must show)."""
import copy
import json
import os
import sys

out = sys.argv[1]
A = "arn:aws:sns:us-east-1:123456789012:a"
B = "arn:aws:sns:us-east-1:123456789012:b"


def alarm(name, **kw):
    a = {"AlarmName": name, "Namespace": "N", "MetricName": "M",
         "Statistic": "Sum", "Period": 60, "EvaluationPeriods": 3,
         "Threshold": 80, "ComparisonOperator": "GreaterThanThreshold"}
    a.update(kw)
    return {k: v for k, v in a.items() if v is not None}


math_def = [
    {"Id": "e", "Expression": "m * 2"},
    {"Id": "m", "ReturnData": False, "MetricStat": {
        "Metric": {"Namespace": "N", "MetricName": "M", "Dimensions": [
            {"Name": "b", "Value": "2"}, {"Name": "a", "Value": "1"}]},
        "Period": 60, "Stat": "Sum"}}]
math_live = [copy.deepcopy(math_def[1]), dict(math_def[0], ReturnData=True,
                                              Label="")]
math_live[0]["MetricStat"]["Metric"]["Dimensions"].reverse()
math_real = copy.deepcopy(math_live)
math_real[1]["Expression"] = "m * 3"
dims = [{"Name": "b", "Value": "2"}, {"Name": "a", "Value": "1"}]

# name: (definition, echoed form, real change, the field that must show)
cases = {
    "n-tmd": ({}, {"TreatMissingData": "missing"},
              {"TreatMissingData": "breaching"}, "TreatMissingData"),
    "n-m": ({}, {"DatapointsToAlarm": 3}, {"DatapointsToAlarm": 2},
            "DatapointsToAlarm"),
    "n-ae": ({}, {"ActionsEnabled": True}, {"ActionsEnabled": False},
             "ActionsEnabled"),
    "n-lists": ({}, {"OKActions": [], "InsufficientDataActions": []},
                {"OKActions": [A]}, "OKActions"),
    "n-dims": ({"Dimensions": dims}, {"Dimensions": dims[::-1]},
               {"Dimensions": [dims[0], {"Name": "a", "Value": "9"}]},
               "Dimensions"),
    "n-thr": ({"Threshold": 5000000000}, {"Threshold": 5e9},
              {"Threshold": 5000000000.5}, "Threshold"),
    "n-acts": ({"AlarmActions": [B, A]}, {"AlarmActions": [A, B]},
               {"AlarmActions": [A]}, "AlarmActions"),
    "n-desc": ({}, {"AlarmDescription": ""}, {"AlarmDescription": "x"},
               "AlarmDescription"),
    "n-lsc": ({"Statistic": None, "ExtendedStatistic": "p99"},
              {"Statistic": None, "ExtendedStatistic": "p99",
               "EvaluateLowSampleCountPercentile": "evaluate"},
              {"Statistic": None, "ExtendedStatistic": "p99",
               "EvaluateLowSampleCountPercentile": "ignore"},
              "EvaluateLowSampleCountPercentile"),
    "n-unit": ({}, {}, {"Unit": "None"}, "Unit"),
    "n-math": ({"Namespace": None, "MetricName": None, "Statistic": None,
                "Period": None, "Metrics": math_def},
               {"Namespace": None, "MetricName": None, "Statistic": None,
                "Period": None, "Metrics": math_live},
               {"Namespace": None, "MetricName": None, "Statistic": None,
                "Period": None, "Metrics": math_real}, "Metrics"),
}

os.makedirs(os.path.join(out, "norm", "env"), exist_ok=True)
with open(os.path.join(out, "norm", "env", "production.json"), "w") as f:
    json.dump({"Region": "us-east-1", "Prefixes": ["n-"], "Vars": {}}, f)
defs = [alarm(n, **c[0]) for n, c in sorted(cases.items())]
with open(os.path.join(out, "norm", "a.json"), "w") as f:
    json.dump({"Alarms": defs}, f, indent=1)
with open(os.path.join(out, "echo.jsonl"), "w") as f:
    for n, c in sorted(cases.items()):
        f.write(json.dumps(alarm(n, **c[1])) + "\n")
with open(os.path.join(out, "real.jsonl"), "w") as f:
    for n, c in sorted(cases.items()):
        f.write(json.dumps(alarm(n, **c[2])) + "\n")
with open(os.path.join(out, "fields.txt"), "w") as f:
    for n, c in sorted(cases.items()):
        f.write("%s %s\n" % (n, c[3]))
