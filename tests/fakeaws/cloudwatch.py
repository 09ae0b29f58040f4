"""CloudWatch alarms: AWS JSON 1.0, query-compatible.

Handlers take the request members exactly as PutMetricAlarm & co. name
them and return the JSON 1.0 result (timestamps as epoch seconds).
Errors carry the legacy query code (InvalidParameterValue, ValidationError,
ResourceNotFound, ...); common.QUERY_ERROR_SHAPES gives the JSON shape
name that goes into "__type".

Validation follows AWS: model constraints first (all of them reported in
one "N validation errors detected: ..." message, code ValidationError),
then the service's own rules, one error at a time. Where AWS's wording is
not known, the message says the same thing plainly. One strictness AWS
does not have: an unknown request member is refused (ValidationError), so
a client's misspelt member name fails loudly instead of being ignored.
"""

import base64
import copy
import json
import re

try:
    from .common import ACCOUNT, AwsError, ModelChecks
    from . import metrics
except ImportError:
    from common import ACCOUNT, AwsError, ModelChecks
    import metrics

# ---------------------------------------------------------------- model

COMPARISON = ["GreaterThanOrEqualToThreshold", "GreaterThanThreshold",
              "LessThanThreshold", "LessThanOrEqualToThreshold",
              "LessThanLowerOrGreaterThanUpperThreshold",
              "LessThanLowerThreshold", "GreaterThanUpperThreshold"]
ANOMALY_OPS = {"LessThanLowerOrGreaterThanUpperThreshold",
               "LessThanLowerThreshold", "GreaterThanUpperThreshold"}
STATISTIC = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"]
UNITS = ["Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
         "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits",
         "Megabits", "Gigabits", "Terabits", "Percent", "Count",
         "Bytes/Second", "Kilobytes/Second", "Megabytes/Second",
         "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
         "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
         "Terabits/Second", "Count/Second", "None"]
STATE_VALUES = ["OK", "ALARM", "INSUFFICIENT_DATA"]
ALARM_TYPES = ["CompositeAlarm", "MetricAlarm", "LogAlarm"]
TREAT_MISSING = ["breaching", "notBreaching", "ignore", "missing"]
LOW_SAMPLE = ["evaluate", "ignore"]

PUT_METRIC_MEMBERS = {
    "AlarmName", "AlarmDescription", "ActionsEnabled", "OKActions",
    "AlarmActions", "InsufficientDataActions", "MetricName", "Namespace",
    "Statistic", "ExtendedStatistic", "Dimensions", "Period", "Unit",
    "EvaluationPeriods", "DatapointsToAlarm", "Threshold",
    "ComparisonOperator", "TreatMissingData",
    "EvaluateLowSampleCountPercentile", "Metrics", "Tags",
    "ThresholdMetricId", "EvaluationWindow", "WarmUpConfiguration",
    "EvaluationCriteria", "EvaluationInterval", "ActionConfiguration"}
PUT_COMPOSITE_MEMBERS = {
    "AlarmName", "AlarmRule", "ActionsEnabled", "AlarmActions",
    "AlarmDescription", "InsufficientDataActions", "OKActions", "Tags",
    "ActionsSuppressor", "ActionsSuppressorWaitPeriod",
    "ActionsSuppressorExtensionPeriod", "ActionConfiguration"}
DESCRIBE_MEMBERS = {
    "AlarmNames", "AlarmNamePrefix", "AlarmTypes", "ChildrenOfAlarmName",
    "ParentsOfAlarmName", "StateValue", "ActionPrefix", "MaxRecords",
    "NextToken"}

# Members copied from a PutMetricAlarm request into the stored alarm, in
# the order DescribeAlarms lists them.
METRIC_CONFIG = [
    "MetricName", "Namespace", "Statistic", "ExtendedStatistic",
    "Dimensions", "Period", "Unit", "EvaluationPeriods",
    "DatapointsToAlarm", "Threshold", "ComparisonOperator",
    "TreatMissingData", "EvaluateLowSampleCountPercentile", "Metrics",
    "ThresholdMetricId", "EvaluationWindow", "WarmUpConfiguration",
    "EvaluationCriteria", "EvaluationInterval", "ActionConfiguration"]

DEFAULT_MAX_RECORDS = 50


def _check_quota(store, name):
    """store.options "alarm_limit": the most alarms the account may have
    (AWS has no such total today, but Metrics Insights alarms have one);
    creating one more is LimitExceeded, a quota error and not throttling."""
    limit = store.options.get("alarm_limit")
    if limit is not None and name not in store.alarms and \
            len(store.alarms) >= int(limit):
        raise AwsError("LimitExceeded", "The maximum number of alarms (%d) "
                       "for this account and Region has been reached."
                       % int(limit))


def _camel(member):
    """Member path as AWS's validation messages spell it."""
    return member[:1].lower() + member[1:]


class _Checks(ModelChecks):
    """The CloudWatch model's checks."""

    def required(self, params, member, path=None):
        if params.get(member) is None:
            self.add(None, path or _camel(member), "Member must not be null")
            return False
        return True

    def string(self, value, path, lo=None, hi=None, enum=None):
        if value is None:
            return
        if enum is not None and value not in enum:
            self.add(value, path, "Member must satisfy enum value set: [%s]"
                     % ", ".join(enum))
            return
        if lo is not None and len(value) < lo:
            self.add(value, path, "Member must have length greater than or "
                     "equal to %d" % lo)
        if hi is not None and len(value) > hi:
            self.add(value, path, "Member must have length less than or "
                     "equal to %d" % hi)

    def number(self, value, path, lo=None, hi=None):
        if value is None:
            return
        if lo is not None and value < lo:
            self.add(value, path, "Member must have value greater than or "
                     "equal to %d" % lo)
        if hi is not None and value > hi:
            self.add(value, path, "Member must have value less than or "
                     "equal to %d" % hi)

    def listlen(self, value, path, hi=None, lo=None):
        if value is None:
            return
        if hi is not None and len(value) > hi:
            self.add(value, path, "Member must have length less than or "
                     "equal to %d" % hi)
        if lo is not None and len(value) < lo:
            self.add(value, path, "Member must have length greater than or "
                     "equal to %d" % lo)

    def raise_if_any(self):
        if self.errors:
            raise AwsError("ValidationError", self.message())


def _validation(message):
    return AwsError("ValidationError", message)


def _types(params, spec, where=""):
    """JSON type checks: what the service's deserializer refuses."""
    for member, kind in spec.items():
        v = params.get(member)
        if v is None:
            continue
        ok = {
            "str": isinstance(v, str),
            "int": isinstance(v, int) and not isinstance(v, bool),
            "num": (isinstance(v, (int, float)) and not isinstance(v, bool))
                   or v in ("NaN", "Infinity", "-Infinity"),
            "bool": isinstance(v, bool),
            "list": isinstance(v, list),
            "dict": isinstance(v, dict),
        }[kind]
        if not ok:
            raise AwsError("SerializationException",
                           "Unexpected value type for %s%s: expected %s"
                           % (where, member, {"str": "string",
                                              "int": "integer",
                                              "num": "number",
                                              "bool": "boolean",
                                              "list": "list",
                                              "dict": "structure"}[kind]))


def _unknown(params, known, where=""):
    if not isinstance(params, dict):
        raise AwsError("SerializationException",
                       "Expected a structure%s" % (" for " + where
                                                   if where else ""))
    for k in params:
        if k not in known:
            raise _validation("Unknown parameter %s%s" % (where, k))


def _now_s(store):
    return round(store.now_ms() / 1000.0, 3)


def _arn(call, name):
    region = getattr(call, "region", None) or "us-east-1"
    return "arn:aws:cloudwatch:%s:%s:alarm:%s" % (region, ACCOUNT, name)


def _name_ok(name):
    return not any(ord(c) < 32 or ord(c) == 127 for c in name)


ARN_RE = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:[0-9]*:.+$")


def _check_actions(params):
    for member in ("OKActions", "AlarmActions", "InsufficientDataActions"):
        for a in params.get(member) or []:
            if not isinstance(a, str) or not ARN_RE.match(a):
                raise _validation("Invalid arn syntax: %s" % (a,))


def _check_common(c, params):
    """Constraints shared by PutMetricAlarm and PutCompositeAlarm."""
    name = params.get("AlarmName")
    if c.required(params, "AlarmName"):
        c.string(name, "alarmName", 1, 255)
    c.string(params.get("AlarmDescription"), "alarmDescription", 0, 1024)
    for member in ("OKActions", "AlarmActions", "InsufficientDataActions"):
        acts = params.get(member)
        c.listlen(acts, _camel(member), 5)
        for i, a in enumerate(acts or []):
            c.string(a, "%s.member.%d" % (_camel(member), i + 1), 1, 1024)
    tags = params.get("Tags")
    c.listlen(tags, "tags", 50)
    for i, t in enumerate(tags or []):
        _unknown(t, {"Key", "Value"}, "Tags.member.%d." % (i + 1))
        c.required(t, "Key", "tags.member.%d.key" % (i + 1))
        c.required(t, "Value", "tags.member.%d.value" % (i + 1))
        c.string(t.get("Key"), "tags.member.%d.key" % (i + 1), 1, 128)
        c.string(t.get("Value"), "tags.member.%d.value" % (i + 1), 0, 256)


def _check_tag_keys(tags):
    for t in tags or []:
        if t.get("Key", "").lower().startswith("aws:"):
            raise AwsError("InvalidParameterValue",
                           "Tag keys cannot start with the reserved prefix "
                           "'aws:'.")


# ----------------------------------------------------- PutMetricAlarm

EXT_STAT_RE = re.compile(
    r"^(p(\d{1,2}(\.\d{1,10})?|100(\.0{1,10})?)"
    r"|(tm|tc|ts|wm)(\d{1,2}(\.\d{1,10})?|100(\.0{1,10})?)"
    r"|IQM"
    r"|PR\(\d+(\.\d+)?:(\d+(\.\d+)?)?\)|PR\(:\d+(\.\d+)?\)"
    r"|(TM|TC|TS|WM)\((\d{1,2}(\.\d+)?|100)%:(\d{1,2}(\.\d+)?|100)%\)"
    r"|(TM|TC|TS|WM)\(:(\d{1,2}(\.\d+)?|100)%\)"
    r"|(TM|TC|TS|WM)\((\d{1,2}(\.\d+)?|100)%:\))$")
METRIC_ID_RE = re.compile(r"^[a-z][a-zA-Z0-9_]*$")


def _period_ok(p, allow_small=False):
    if allow_small and p in (1, 5):
        return True
    return p in (10, 20, 30) or (p >= 60 and p % 60 == 0)


def _check_dimensions(c, dims, path):
    c.listlen(dims, path, 30)
    for i, d in enumerate(dims or []):
        _unknown(d, {"Name", "Value"}, "Dimensions.member.%d." % (i + 1))
        p = "%s.member.%d" % (path, i + 1)
        if c.required(d, "Name", p + ".name"):
            c.string(d["Name"], p + ".name", 1, 255)
        if c.required(d, "Value", p + ".value"):
            c.string(d["Value"], p + ".value", 1, 1024)


def _check_metrics_model(c, metrics):
    for i, q in enumerate(metrics or []):
        where = "Metrics.member.%d." % (i + 1)
        p = "metrics.member.%d" % (i + 1)
        _unknown(q, {"Id", "MetricStat", "Expression", "Label",
                     "ReturnData", "Period", "AccountId"}, where)
        _types(q, {"Id": "str", "MetricStat": "dict", "Expression": "str",
                   "Label": "str", "ReturnData": "bool", "Period": "int",
                   "AccountId": "str"}, where)
        if c.required(q, "Id", p + ".id"):
            c.string(q["Id"], p + ".id", 1, 255)
        c.string(q.get("Expression"), p + ".expression", 1, 2048)
        c.string(q.get("AccountId"), p + ".accountId", 1, 255)
        c.number(q.get("Period"), p + ".period", 1)
        ms = q.get("MetricStat")
        if ms is not None:
            _unknown(ms, {"Metric", "Period", "Stat", "Unit"},
                     where + "MetricStat.")
            _types(ms, {"Metric": "dict", "Period": "int", "Stat": "str",
                        "Unit": "str"}, where + "MetricStat.")
            mp = p + ".metricStat"
            c.required(ms, "Metric", mp + ".metric")
            c.required(ms, "Period", mp + ".period")
            c.required(ms, "Stat", mp + ".stat")
            c.number(ms.get("Period"), mp + ".period", 1)
            c.string(ms.get("Unit"), mp + ".unit", enum=UNITS)
            m = ms.get("Metric")
            if m is not None:
                _unknown(m, {"Namespace", "MetricName", "Dimensions"},
                         where + "MetricStat.Metric.")
                _types(m, {"Namespace": "str", "MetricName": "str",
                           "Dimensions": "list"},
                       where + "MetricStat.Metric.")
                c.string(m.get("Namespace"), mp + ".metric.namespace", 1, 255)
                c.string(m.get("MetricName"), mp + ".metric.metricName",
                         1, 255)
                _check_dimensions(c, m.get("Dimensions"),
                                  mp + ".metric.dimensions")


def _check_metrics_rules(metrics, params):
    ids = set()
    returning = 0
    stat_n = expr_n = 0
    for q in metrics:
        mid = q["Id"]
        if not METRIC_ID_RE.match(mid):
            raise _validation("Invalid metrics list: the Id %s must start "
                              "with a lowercase letter and contain only "
                              "letters, numbers and underscores" % mid)
        if mid in ids:
            raise _validation("Invalid metrics list: the Id %s is used more "
                              "than once" % mid)
        ids.add(mid)
        has_stat = q.get("MetricStat") is not None
        has_expr = q.get("Expression") is not None
        if has_stat == has_expr:
            raise _validation("Invalid metrics list: exactly one of "
                              "MetricStat and Expression must be set for Id "
                              "%s" % mid)
        if has_stat:
            stat_n += 1
            ms = q["MetricStat"]
            if not _period_ok(ms["Period"], allow_small=True):
                raise _validation("Invalid metrics list: the Period of Id "
                                  "%s must be 1, 5, 10, 20, 30 or a multiple "
                                  "of 60" % mid)
            st = ms["Stat"]
            if st not in STATISTIC and not EXT_STAT_RE.match(st):
                raise AwsError("InvalidParameterValue",
                               "The value %s for parameter "
                               "Metrics.member.%d.MetricStat.Stat is not "
                               "supported." % (st, len(ids)))
        else:
            expr_n += 1
        # An anomaly band returns data beside the metric it bounds.
        if q.get("ReturnData", True) and \
                mid != params.get("ThresholdMetricId"):
            returning += 1
    if len(metrics) > 20 or stat_n > 10 or expr_n > 10:
        raise _validation("Invalid metrics list: at most 10 metrics and 10 "
                          "expressions are allowed")
    if returning != 1:
        raise _validation("Exactly one element of the metrics list should "
                          "return data.")
    tid = params.get("ThresholdMetricId")
    if tid is not None and tid not in ids:
        raise _validation("ThresholdMetricId %s does not match any Id in "
                          "the metrics list" % tid)


def _eval_seconds_ok(period, n):
    limit = 86400 if period < 3600 else 604800
    return period * n <= limit


def _validate_put_metric(params):
    _unknown(params, PUT_METRIC_MEMBERS)
    _types(params, {
        "AlarmName": "str", "AlarmDescription": "str",
        "ActionsEnabled": "bool", "OKActions": "list", "AlarmActions": "list",
        "InsufficientDataActions": "list", "MetricName": "str",
        "Namespace": "str", "Statistic": "str", "ExtendedStatistic": "str",
        "Dimensions": "list", "Period": "int", "Unit": "str",
        "EvaluationPeriods": "int", "DatapointsToAlarm": "int",
        "Threshold": "num", "ComparisonOperator": "str",
        "TreatMissingData": "str", "EvaluateLowSampleCountPercentile": "str",
        "Metrics": "list", "Tags": "list", "ThresholdMetricId": "str",
        "EvaluationWindow": "dict", "WarmUpConfiguration": "dict",
        "EvaluationCriteria": "dict", "EvaluationInterval": "int",
        "ActionConfiguration": "dict"})
    promql = params.get("EvaluationCriteria") is not None
    c = _Checks()
    _check_common(c, params)
    if not promql:
        c.required(params, "EvaluationPeriods")
        c.required(params, "ComparisonOperator")
    c.string(params.get("MetricName"), "metricName", 1, 255)
    ns = params.get("Namespace")
    c.string(ns, "namespace", 1, 255)
    if ns and ns.startswith(":"):
        c.add(ns, "namespace", "Member must satisfy regular expression "
              "pattern: [^:].*")
    c.string(params.get("Statistic"), "statistic", enum=STATISTIC)
    c.string(params.get("Unit"), "unit", enum=UNITS)
    c.string(params.get("ComparisonOperator"), "comparisonOperator",
             enum=COMPARISON)
    c.string(params.get("TreatMissingData"), "treatMissingData", 1, 255)
    c.string(params.get("EvaluateLowSampleCountPercentile"),
             "evaluateLowSampleCountPercentile", 1, 255)
    c.string(params.get("ThresholdMetricId"), "thresholdMetricId", 1, 255)
    c.number(params.get("Period"), "period", 1)
    c.number(params.get("EvaluationPeriods"), "evaluationPeriods", 1)
    c.number(params.get("DatapointsToAlarm"), "datapointsToAlarm", 1)
    c.number(params.get("EvaluationInterval"), "evaluationInterval", 10,
             3600)
    _check_dimensions(c, params.get("Dimensions"), "dimensions")
    _check_metrics_model(c, params.get("Metrics"))
    c.raise_if_any()

    # The service's own rules, one at a time.
    name = params["AlarmName"]
    if not _name_ok(name):
        raise _validation("AlarmName must not contain ASCII control "
                          "characters")
    _check_actions(params)
    _check_tag_keys(params.get("Tags"))
    tmd = params.get("TreatMissingData")
    if tmd is not None and tmd not in TREAT_MISSING:
        raise _validation("Invalid value for TreatMissingData: %s. Valid "
                          "values are: %s" % (tmd, ", ".join(TREAT_MISSING)))
    lsc = params.get("EvaluateLowSampleCountPercentile")
    if lsc is not None and lsc not in LOW_SAMPLE:
        raise _validation("Invalid value for "
                          "EvaluateLowSampleCountPercentile: %s. Valid "
                          "values are: %s" % (lsc, ", ".join(LOW_SAMPLE)))

    if promql:
        for m in ("MetricName", "Namespace", "Statistic",
                  "ExtendedStatistic", "Dimensions", "Period", "Unit",
                  "Metrics", "Threshold", "ComparisonOperator",
                  "EvaluationPeriods", "DatapointsToAlarm",
                  "ThresholdMetricId"):
            if params.get(m) is not None:
                raise AwsError("InvalidParameterCombination",
                               "%s should not be set if EvaluationCriteria "
                               "is set." % m)
        return

    metrics = params.get("Metrics")
    if metrics is not None:
        if len(metrics) == 0:
            raise _validation("Invalid metrics list: the list must not be "
                              "empty")
        for m in ("MetricName", "Namespace", "Statistic",
                  "ExtendedStatistic", "Dimensions", "Period", "Unit"):
            if params.get(m) is not None:
                raise _validation("%s should not be set if list of Metrics "
                                  "is set." % m)
        _check_metrics_rules(metrics, params)
        periods = [q["MetricStat"]["Period"] for q in metrics
                   if q.get("MetricStat")]
        periods += [q["Period"] for q in metrics
                    if q.get("Expression") is not None and q.get("Period")]
        period = max(periods) if periods else 60
    else:
        if params.get("MetricName") is None:
            raise _validation("MetricName must not be null")
        if params.get("Namespace") is None:
            raise _validation("Namespace must not be null")
        st, ext = params.get("Statistic"), params.get("ExtendedStatistic")
        if st is not None and ext is not None:
            raise AwsError("InvalidParameterCombination",
                           "Statistic and ExtendedStatistic cannot both be "
                           "set.")
        if st is None and ext is None:
            raise AwsError("MissingParameter",
                           "Exactly one of Statistic and ExtendedStatistic "
                           "must be set.")
        if ext is not None and not EXT_STAT_RE.match(ext):
            raise AwsError("InvalidParameterValue",
                           "The value %s for parameter ExtendedStatistic is "
                           "not supported." % ext)
        if params.get("Period") is None:
            raise _validation("Period must not be null")
        period = params["Period"]
        if not _period_ok(period):
            raise _validation("Period must be 10, 20, 30 or a multiple of "
                              "60")

    op = params["ComparisonOperator"]
    if op in ANOMALY_OPS:
        if params.get("ThresholdMetricId") is None:
            raise _validation("ThresholdMetricId must be set when "
                              "ComparisonOperator is %s" % op)
        if params.get("Threshold") is not None:
            raise AwsError("InvalidParameterCombination",
                           "Threshold should not be set when "
                           "ThresholdMetricId is set.")
    else:
        if params.get("ThresholdMetricId") is not None:
            raise _validation("ComparisonOperator %s cannot be used with "
                              "ThresholdMetricId; use "
                              "LessThanLowerOrGreaterThanUpperThreshold, "
                              "LessThanLowerThreshold or "
                              "GreaterThanUpperThreshold" % op)
        if params.get("Threshold") is None:
            raise _validation("Threshold must not be null")

    n = params["EvaluationPeriods"]
    m = params.get("DatapointsToAlarm")
    if m is not None and m > n:
        raise _validation("DatapointsToAlarm must be less than or equal to "
                          "EvaluationPeriods")
    if not _eval_seconds_ok(period, n):
        raise _validation("The product of Period and EvaluationPeriods "
                          "must not exceed %d seconds"
                          % (86400 if period < 3600 else 604800))


def put_metric_alarm(store, params, call):
    _validate_put_metric(params)
    name = params["AlarmName"]
    with store.lock:
        _check_quota(store, name)
        old = store.alarms.get(name)
        if old is not None and "AlarmRule" in old:
            raise _validation("An alarm named %s already exists as a "
                              "composite alarm" % name)
        now = _now_s(store)
        alarm = {
            "AlarmName": name,
            "AlarmArn": old["AlarmArn"] if old else _arn(call, name),
        }
        if params.get("AlarmDescription") is not None:
            alarm["AlarmDescription"] = params["AlarmDescription"]
        alarm["AlarmConfigurationUpdatedTimestamp"] = now
        alarm["ActionsEnabled"] = params.get("ActionsEnabled", True)
        for member in ("OKActions", "AlarmActions",
                       "InsufficientDataActions"):
            alarm[member] = list(params.get(member) or [])
        if old:
            for k in ("StateValue", "StateReason", "StateReasonData",
                      "StateUpdatedTimestamp", "StateTransitionedTimestamp"):
                if k in old:
                    alarm[k] = old[k]
        else:
            promql = params.get("EvaluationCriteria") is not None
            alarm["StateValue"] = "OK" if promql else "INSUFFICIENT_DATA"
            alarm["StateReason"] = "Unchecked: Initial alarm creation"
            alarm["StateUpdatedTimestamp"] = now
            alarm["StateTransitionedTimestamp"] = now
        for k in METRIC_CONFIG:
            v = params.get(k)
            if v is None:
                if k == "Dimensions" and params.get("MetricName"):
                    alarm[k] = []
                continue
            if k == "Threshold":
                v = float(v) if not isinstance(v, str) else v
            alarm[k] = copy.deepcopy(v)
        store.alarms[name] = alarm
        _history(store, alarm, "ConfigurationUpdate", "Alarm \"%s\" %s"
                 % (name, "updated" if old else "created"),
                 {"version": "1.0", "type": "Update" if old else "Create"},
                 now)
        if old is None:
            _set_tags(store, alarm["AlarmArn"], params.get("Tags"))
    return {}


# --------------------------------------------------- PutCompositeAlarm

class _RuleError(Exception):
    pass


_RULE_TOKEN = re.compile(r'\s*(?:(\()|(\))|(,)|"((?:[^"\\]|\\.)*)"|'
                         r'([^\s(),"]+))')


def _rule_tokens(rule):
    pos = 0
    out = []
    while pos < len(rule):
        if rule[pos:].strip() == "":
            break
        m = _RULE_TOKEN.match(rule, pos)
        if not m or m.end() == pos:
            raise _RuleError("unexpected character at offset %d" % pos)
        if m.group(1):
            out.append(("(", "("))
        elif m.group(2):
            out.append((")", ")"))
        elif m.group(3):
            out.append((",", ","))
        elif m.group(4) is not None:
            out.append(("q", m.group(4)))
        else:
            out.append(("w", m.group(5)))
        pos = m.end()
    return out


class _RuleParser:
    """AlarmRule: TRUE | FALSE | STATE(alarm) | NOT e | e AND e | e OR e |
    ( e ) | AT_LEAST(n[%], STATE, (alarm, ...)). Yields the referenced
    alarm names (ARNs reduced to names) and an evaluator."""

    STATES = {"ALARM": "ALARM", "OK": "OK",
              "INSUFFICIENT_DATA": "INSUFFICIENT_DATA"}

    def __init__(self, rule):
        self.toks = _rule_tokens(rule)
        self.i = 0
        self.children = []

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None)

    def take(self, kind=None, word=None):
        t = self.peek()
        if t[0] is None:
            raise _RuleError("unexpected end of rule")
        if kind and t[0] != kind:
            raise _RuleError("expected %s near %s" % (kind, t[1]))
        if word and (t[0] != "w" or t[1].upper() != word):
            raise _RuleError("expected %s near %s" % (word, t[1]))
        self.i += 1
        return t

    def parse(self):
        e = self.expr_or()
        if self.i != len(self.toks):
            raise _RuleError("unexpected %s" % self.peek()[1])
        return e

    def expr_or(self):
        e = self.expr_and()
        while self.peek()[0] == "w" and self.peek()[1].upper() == "OR":
            self.take()
            r = self.expr_and()
            e = (lambda a, b: lambda st: a(st) or b(st))(e, r)
        return e

    def expr_and(self):
        e = self.expr_not()
        while self.peek()[0] == "w" and self.peek()[1].upper() == "AND":
            self.take()
            r = self.expr_not()
            e = (lambda a, b: lambda st: a(st) and b(st))(e, r)
        return e

    def expr_not(self):
        if self.peek()[0] == "w" and self.peek()[1].upper() == "NOT":
            self.take()
            e = self.expr_not()
            return lambda st: not e(st)
        return self.atom()

    def alarm_ref(self):
        t = self.take()
        if t[0] not in ("w", "q"):
            raise _RuleError("expected an alarm name near %s" % t[1])
        name = t[1]
        m = re.match(r"^arn:aws[a-z-]*:cloudwatch:[^:]*:[^:]*:alarm:(.+)$",
                     name)
        if m:
            name = m.group(1)
        self.children.append(name)
        return name

    def atom(self):
        t = self.peek()
        if t[0] == "(":
            self.take()
            e = self.expr_or()
            self.take(")")
            return e
        if t[0] != "w":
            raise _RuleError("unexpected %s" % (t[1] or "end of rule"))
        w = t[1].upper()
        if w in ("TRUE", "FALSE"):
            self.take()
            return (lambda v: lambda st: v)(w == "TRUE")
        if w in self.STATES:
            self.take()
            self.take("(")
            name = self.alarm_ref()
            self.take(")")
            want = self.STATES[w]
            return lambda st: st(name) == want
        if w == "AT_LEAST":
            self.take()
            self.take("(")
            n = self.take("w")[1]
            mm = re.match(r"^(\d+)(%?)$", n)
            if not mm:
                raise _RuleError("AT_LEAST needs a count or a percentage")
            self.take(",")
            state = self.take("w")[1].upper()
            negate = False
            if state.startswith("NOT_"):
                negate, state = True, state[4:]
            if state not in self.STATES:
                raise _RuleError("unknown state %s" % state)
            self.take(",")
            self.take("(")
            names = [self.alarm_ref()]
            while self.peek()[0] == ",":
                self.take()
                names.append(self.alarm_ref())
            self.take(")")
            self.take(")")
            need = int(mm.group(1))
            pct = bool(mm.group(2))

            def at_least(st, names=names, need=need, pct=pct, state=state,
                         negate=negate):
                hits = sum(1 for x in names
                           if (st(x) == state) != negate)
                if pct:
                    return hits * 100 >= need * len(names)
                return hits >= need
            return at_least
        raise _RuleError("unexpected %s" % t[1])


def _parse_rule(rule):
    p = _RuleParser(rule)
    ev = p.parse()
    return p.children, ev


def _validate_put_composite(params):
    _unknown(params, PUT_COMPOSITE_MEMBERS)
    _types(params, {
        "AlarmName": "str", "AlarmRule": "str", "ActionsEnabled": "bool",
        "AlarmActions": "list", "AlarmDescription": "str",
        "InsufficientDataActions": "list", "OKActions": "list",
        "Tags": "list", "ActionsSuppressor": "str",
        "ActionsSuppressorWaitPeriod": "int",
        "ActionsSuppressorExtensionPeriod": "int",
        "ActionConfiguration": "dict"})
    c = _Checks()
    _check_common(c, params)
    if c.required(params, "AlarmRule"):
        c.string(params["AlarmRule"], "alarmRule", 1, 10240)
    c.string(params.get("ActionsSuppressor"), "actionsSuppressor", 1, 1600)
    c.raise_if_any()
    if not _name_ok(params["AlarmName"]):
        raise _validation("AlarmName must not contain ASCII control "
                          "characters")
    _check_actions(params)
    _check_tag_keys(params.get("Tags"))
    rule = params["AlarmRule"]
    if rule != rule.strip():
        raise _validation("AlarmRule must not contain leading or trailing "
                          "whitespace or be null")
    try:
        children, _ = _parse_rule(rule)
    except _RuleError as e:
        raise _validation("Error in alarm rule syntax: %s" % e)
    if len(set(children)) > 100:
        raise _validation("AlarmRule must not reference more than 100 "
                          "alarms")
    sup = params.get("ActionsSuppressor")
    if sup is not None:
        for m in ("ActionsSuppressorWaitPeriod",
                  "ActionsSuppressorExtensionPeriod"):
            if params.get(m) is None:
                raise _validation("%s must be set when ActionsSuppressor is "
                                  "set" % m)
    else:
        for m in ("ActionsSuppressorWaitPeriod",
                  "ActionsSuppressorExtensionPeriod"):
            if params.get(m) is not None:
                raise AwsError("InvalidParameterCombination",
                               "%s should not be set if ActionsSuppressor "
                               "is not set." % m)
    return children


def put_composite_alarm(store, params, call):
    children = _validate_put_composite(params)
    name = params["AlarmName"]
    with store.lock:
        _check_quota(store, name)
        missing = sorted(set(c for c in children if c not in store.alarms
                             and c != name))
        if missing:
            raise _validation("Could not save the composite alarm as alarms "
                              "[%s] in the alarm rule do not exist"
                              % ", ".join(missing))
        old = store.alarms.get(name)
        if old is not None and "AlarmRule" not in old:
            raise _validation("An alarm named %s already exists as a metric "
                              "alarm" % name)
        sup = params.get("ActionsSuppressor")
        if sup is not None:
            sname = sup.rsplit(":alarm:", 1)[-1]
            if sname not in store.alarms:
                raise _validation("ActionsSuppressor %s does not exist"
                                  % sup)
        now = _now_s(store)
        alarm = {"ActionsEnabled": params.get("ActionsEnabled", True)}
        for member in ("AlarmActions",):
            alarm[member] = list(params.get(member) or [])
        alarm["AlarmArn"] = old["AlarmArn"] if old else _arn(call, name)
        alarm["AlarmConfigurationUpdatedTimestamp"] = now
        if params.get("AlarmDescription") is not None:
            alarm["AlarmDescription"] = params["AlarmDescription"]
        alarm["AlarmName"] = name
        alarm["AlarmRule"] = params["AlarmRule"]
        alarm["InsufficientDataActions"] = list(
            params.get("InsufficientDataActions") or [])
        alarm["OKActions"] = list(params.get("OKActions") or [])
        if old:
            for k in ("StateReason", "StateReasonData",
                      "StateUpdatedTimestamp", "StateValue",
                      "StateTransitionedTimestamp"):
                if k in old:
                    alarm[k] = old[k]
        else:
            alarm["StateReason"] = "Unchecked: Initial alarm creation"
            alarm["StateUpdatedTimestamp"] = now
            alarm["StateValue"] = "INSUFFICIENT_DATA"
            alarm["StateTransitionedTimestamp"] = now
        for m in ("ActionsSuppressor", "ActionsSuppressorWaitPeriod",
                  "ActionsSuppressorExtensionPeriod", "ActionConfiguration"):
            if params.get(m) is not None:
                alarm[m] = copy.deepcopy(params[m])
        store.alarms[name] = alarm
        _history(store, alarm, "ConfigurationUpdate", "Alarm \"%s\" %s"
                 % (name, "updated" if old else "created"),
                 {"version": "1.0", "type": "Update" if old else "Create"},
                 now)
        if old is None:
            _set_tags(store, alarm["AlarmArn"], params.get("Tags"))
    return {}


def _rule_children(alarm):
    try:
        return _parse_rule(alarm["AlarmRule"])[0]
    except _RuleError:
        return []


def _reevaluate(store, changed, now, depth=0):
    """After a state change, composites that name `changed` re-evaluate."""
    if depth > 20:
        return
    for a in list(store.alarms.values()):
        if "AlarmRule" not in a or changed not in _rule_children(a):
            continue
        try:
            _, ev = _parse_rule(a["AlarmRule"])
        except _RuleError:
            continue

        def st(n):
            x = store.alarms.get(n)
            return x["StateValue"] if x else "INSUFFICIENT_DATA"
        new = "ALARM" if ev(st) else "OK"
        if new != a["StateValue"]:
            _transition(store, a, new, "arn:aws:cloudwatch alarm rule "
                        "evaluated to %s" % ("TRUE" if new == "ALARM"
                                             else "FALSE"), None, now)
            _reevaluate(store, a["AlarmName"], now, depth + 1)


# ------------------------------------------------------- DescribeAlarms

def _token(kind, name):
    raw = json.dumps([kind, name]).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii")


def _untoken(tok):
    try:
        pad = "=" * (-len(tok) % 4)
        kind, name = json.loads(base64.urlsafe_b64decode(tok + pad))
        if kind not in (0, 1) or not isinstance(name, str):
            raise ValueError
        return kind, name
    except Exception:
        raise AwsError("InvalidNextToken", "The service cannot process the "
                       "NextToken provided.")


def _summary(a):
    out = {"AlarmName": a["AlarmName"], "AlarmArn": a["AlarmArn"],
           "StateValue": a["StateValue"]}
    for k in ("StateReason", "StateUpdatedTimestamp"):
        if k in a:
            out[k] = a[k]
    if "AlarmRule" in a:
        out["AlarmRule"] = a["AlarmRule"]
    return out


# Members another CloudWatch implementation lists even when unset.
OTHER_SHAPE_LISTS = {0: ("Dimensions", "Metrics", "OKActions",
                         "AlarmActions", "InsufficientDataActions"),
                     1: ("OKActions", "AlarmActions",
                         "InsufficientDataActions")}


def _other_shape(kind, a):
    """store.options "alarm_shape": "other" answers DescribeAlarms as an
    independent implementation may: every unset list member as [], members
    the model does not have (EvaluationState, a future one), the members
    and the lists' items in reverse order."""
    out = dict(a)
    for k in OTHER_SHAPE_LISTS[kind]:
        out.setdefault(k, [])
    for k in ("Dimensions", "OKActions", "AlarmActions",
              "InsufficientDataActions"):
        if isinstance(out.get(k), list):
            out[k] = list(reversed(out[k]))
    out["EvaluationState"] = "PARTIAL_DATA"
    out["StateTransitionedTimestamp"] = out.get("StateUpdatedTimestamp", 0)
    out["FutureMember"] = {"Nested": [1, 2]}
    return dict(reversed(list(out.items())))


def describe_alarms(store, params, call):
    _unknown(params, DESCRIBE_MEMBERS)
    _types(params, {"AlarmNames": "list", "AlarmNamePrefix": "str",
                    "AlarmTypes": "list", "ChildrenOfAlarmName": "str",
                    "ParentsOfAlarmName": "str", "StateValue": "str",
                    "ActionPrefix": "str", "MaxRecords": "int",
                    "NextToken": "str"})
    c = _Checks()
    names = params.get("AlarmNames")
    c.listlen(names, "alarmNames", 100)
    for i, n in enumerate(names or []):
        c.string(n, "alarmNames.member.%d" % (i + 1), 1, 255)
    c.string(params.get("AlarmNamePrefix"), "alarmNamePrefix", 1, 255)
    for i, t in enumerate(params.get("AlarmTypes") or []):
        c.string(t, "alarmTypes.member.%d" % (i + 1), enum=ALARM_TYPES)
    c.string(params.get("ChildrenOfAlarmName"), "childrenOfAlarmName", 1,
             255)
    c.string(params.get("ParentsOfAlarmName"), "parentsOfAlarmName", 1, 255)
    c.string(params.get("StateValue"), "stateValue", enum=STATE_VALUES)
    c.string(params.get("ActionPrefix"), "actionPrefix", 1, 1024)
    c.number(params.get("MaxRecords"), "maxRecords", 1, 100)
    c.raise_if_any()
    if names is not None and params.get("AlarmNamePrefix") is not None:
        raise AwsError("InvalidParameterCombination",
                       "AlarmNamePrefix and AlarmNames cannot both be "
                       "specified.")
    rel = [m for m in ("ChildrenOfAlarmName", "ParentsOfAlarmName")
           if params.get(m) is not None]
    if rel:
        others = [m for m in params if m not in
                  ("MaxRecords", "NextToken") and m not in rel]
        if len(rel) > 1 or others:
            raise AwsError("InvalidParameterCombination",
                           "%s can only be used with MaxRecords and "
                           "NextToken." % rel[0])
    limit = params.get("MaxRecords") or DEFAULT_MAX_RECORDS
    start = _untoken(params["NextToken"]) if params.get("NextToken") \
        else None

    with store.lock:
        alarms = store.alarms
        if rel:
            target = params[rel[0]]
            t = alarms.get(target)
            picked = []
            if rel[0] == "ChildrenOfAlarmName":
                if t is not None and "AlarmRule" in t:
                    for n in dict.fromkeys(_rule_children(t)):
                        if n in alarms:
                            picked.append(alarms[n])
            else:
                for a in alarms.values():
                    if "AlarmRule" in a and target in _rule_children(a):
                        picked.append(a)
            rows = [(0 if "AlarmRule" not in a else 1, a["AlarmName"],
                     _summary(a)) for a in picked]
        else:
            types = params.get("AlarmTypes") or ["MetricAlarm"]
            want = set()
            if "MetricAlarm" in types:
                want.add(0)
            if "CompositeAlarm" in types:
                want.add(1)
            nameset = set(names) if names is not None else None
            prefix = params.get("AlarmNamePrefix")
            state = params.get("StateValue")
            aprefix = params.get("ActionPrefix")
            rows = []
            for a in alarms.values():
                kind = 1 if "AlarmRule" in a else 0
                if kind not in want:
                    continue
                n = a["AlarmName"]
                if nameset is not None and n not in nameset:
                    continue
                if prefix is not None and not n.startswith(prefix):
                    continue
                if state is not None and a["StateValue"] != state:
                    continue
                if aprefix is not None and not any(
                        x.startswith(aprefix) for m in
                        ("AlarmActions", "OKActions",
                         "InsufficientDataActions")
                        for x in a.get(m, [])):
                    continue
                rows.append((kind, n, a))
        rows.sort(key=lambda r: (r[0], r[1]))
        if start is not None:
            rows = [r for r in rows if (r[0], r[1]) >= start]
        page, rest = rows[:limit], rows[limit:]
        # only the page is copied: a copy of every match made paging
        # through 1,000 alarms quadratic
        if not rel:
            page = [(k, n, copy.deepcopy(a)) for k, n, a in page]
    if store.options.get("alarm_shape") == "other" and not rel:
        page = [(k, n, _other_shape(k, a)) for k, n, a in page]
    out = {"CompositeAlarms": [r[2] for r in page if r[0] == 1],
           "MetricAlarms": [r[2] for r in page if r[0] == 0]}
    if rest:
        out["NextToken"] = _token(rest[0][0], rest[0][1])
    return out


# --------------------------------------------------------- DeleteAlarms

def delete_alarms(store, params, call):
    _unknown(params, {"AlarmNames"})
    _types(params, {"AlarmNames": "list"})
    c = _Checks()
    if c.required(params, "AlarmNames"):
        c.listlen(params["AlarmNames"], "alarmNames", 100)
        for i, n in enumerate(params["AlarmNames"]):
            c.string(n, "alarmNames.member.%d" % (i + 1), 1, 255)
    c.raise_if_any()
    names = list(dict.fromkeys(params["AlarmNames"]))
    with store.lock:
        missing = [n for n in names if n not in store.alarms]
        if missing:
            raise AwsError("ResourceNotFound",
                           "%d of the alarms to delete %s not found: %s"
                           % (len(missing),
                              "was" if len(missing) == 1 else "were",
                              ", ".join(missing)), 404)
        comps = [n for n in names if "AlarmRule" in store.alarms[n]]
        if len(comps) > 1:
            raise _validation("Only one composite alarm can be deleted per "
                              "call; %d were given: %s"
                              % (len(comps), ", ".join(comps)))
        doomed = set(names)
        blocked = []
        for n in names:
            for a in store.alarms.values():
                if a["AlarmName"] in doomed and a["AlarmName"] != n:
                    continue
                if a["AlarmName"] == n or "AlarmRule" not in a:
                    continue
                if n in _rule_children(a):
                    blocked.append(n)
                    break
        if blocked:
            raise _validation("Cannot delete %s as there are composite "
                              "alarm(s) depending on %s."
                              % (",".join(blocked),
                                 "it" if len(blocked) == 1 else "them"))
        for n in names:
            a = store.alarms.pop(n)
            store.tags.pop(a["AlarmArn"], None)
    return {}


# -------------------------------------------------------- SetAlarmState

def set_alarm_state(store, params, call):
    _unknown(params, {"AlarmName", "StateValue", "StateReason",
                      "StateReasonData"})
    _types(params, {"AlarmName": "str", "StateValue": "str",
                    "StateReason": "str", "StateReasonData": "str"})
    c = _Checks()
    if c.required(params, "AlarmName"):
        c.string(params["AlarmName"], "alarmName", 1, 255)
    if c.required(params, "StateValue"):
        c.string(params["StateValue"], "stateValue", enum=STATE_VALUES)
    if c.required(params, "StateReason"):
        c.string(params["StateReason"], "stateReason", 0, 1023)
    c.string(params.get("StateReasonData"), "stateReasonData", 0, 4000)
    c.raise_if_any()
    data = params.get("StateReasonData")
    if data is not None:
        try:
            json.loads(data)
        except ValueError:
            raise AwsError("InvalidFormat", "StateReasonData is not valid "
                           "JSON.")
    name = params["AlarmName"]
    with store.lock:
        a = store.alarms.get(name)
        if a is None:
            raise AwsError("ResourceNotFound", "Alarm %s not found" % name,
                           404)
        now = _now_s(store)
        _transition(store, a, params["StateValue"], params["StateReason"],
                    data, now)
        _reevaluate(store, name, now)
    return {}



# --------------------------------------------------------------- history

HISTORY_MAX = 10000         # items kept per region, oldest dropped first
ACTION_MEMBER = {"ALARM": "AlarmActions", "OK": "OKActions",
                 "INSUFFICIENT_DATA": "InsufficientDataActions"}


def _kind(a):
    return "CompositeAlarm" if "AlarmRule" in a else "MetricAlarm"


def _history(store, a, itype, summary, data, now):
    h = store.history
    h.append({"AlarmName": a["AlarmName"], "AlarmType": _kind(a),
              "Timestamp": now, "HistoryItemType": itype,
              "HistorySummary": summary,
              "HistoryData": json.dumps(data, separators=(",", ":"))})
    if len(h) > HISTORY_MAX:
        del h[:len(h) - HISTORY_MAX]


def _state_of(a):
    out = {"stateValue": a["StateValue"],
           "stateReason": a.get("StateReason", "")}
    if a.get("StateReasonData"):
        out["stateReasonData"] = json.loads(a["StateReasonData"])
    return out


def _transition(store, a, new, reason, data, now):
    """Sets an alarm's state as the service does: a StateUpdate history
    item, and when the value changes with actions enabled, one Action
    item per action of the new state (the emulator's record that the
    actions ran)."""
    old = _state_of(a)
    changed = a["StateValue"] != new
    if changed:
        a["StateTransitionedTimestamp"] = now
    a["StateValue"] = new
    a["StateReason"] = reason
    if data is not None:
        a["StateReasonData"] = data
    else:
        a.pop("StateReasonData", None)
    a["StateUpdatedTimestamp"] = now
    if not changed:
        return
    _history(store, a, "StateUpdate", "Alarm updated from %s to %s"
             % (old["stateValue"], new),
             {"version": "1.0", "oldState": old, "newState": _state_of(a)},
             now)
    if not a.get("ActionsEnabled", True):
        return
    for arn in a.get(ACTION_MEMBER[new]) or []:
        _history(store, a, "Action", "Successfully executed action %s"
                 % arn, {"actionState": "Succeeded", "stateUpdateTimestamp":
                         now, "notificationResource": arn}, now)


HISTORY_TYPES = ["ConfigurationUpdate", "StateUpdate", "Action",
                 "AlarmContributorStateUpdate", "AlarmContributorAction"]


def describe_alarm_history(store, params, call):
    _unknown(params, {"AlarmName", "AlarmContributorId", "AlarmTypes",
                      "HistoryItemType", "StartDate", "EndDate",
                      "MaxRecords", "NextToken", "ScanBy"})
    _types(params, {"AlarmName": "str", "AlarmContributorId": "str",
                    "AlarmTypes": "list", "HistoryItemType": "str",
                    "StartDate": "num", "EndDate": "num", "MaxRecords": "int",
                    "NextToken": "str", "ScanBy": "str"})
    c = _Checks()
    c.string(params.get("AlarmName"), "alarmName", 1, 255)
    for i, t in enumerate(params.get("AlarmTypes") or []):
        c.string(t, "alarmTypes.member.%d" % (i + 1), enum=ALARM_TYPES)
    c.string(params.get("HistoryItemType"), "historyItemType",
             enum=HISTORY_TYPES)
    c.string(params.get("ScanBy"), "scanBy",
             enum=["TimestampDescending", "TimestampAscending"])
    c.number(params.get("MaxRecords"), "maxRecords", 1, 100)
    c.raise_if_any()
    types = params.get("AlarmTypes") or ["MetricAlarm"]
    lo, hi = params.get("StartDate"), params.get("EndDate")
    with store.lock:
        items = [h for h in store.history
                 if h["AlarmType"] in types
                 and params.get("AlarmName") in (None, h["AlarmName"])
                 and params.get("HistoryItemType") in
                 (None, h["HistoryItemType"])
                 and (lo is None or h["Timestamp"] >= lo)
                 and (hi is None or h["Timestamp"] <= hi)]
    # stable: items of one instant keep the order they happened in
    items = [dict(h) for h in items]
    if params.get("ScanBy", "TimestampDescending") == "TimestampDescending":
        items.reverse()
    start = 0
    if params.get("NextToken"):
        kind, pos = _untoken(params["NextToken"])
        try:
            start = int(pos)
        except ValueError:
            raise AwsError("InvalidNextToken", "The service cannot process "
                           "the NextToken provided.")
    limit = params.get("MaxRecords") or 100
    out = {"AlarmHistoryItems": items[start:start + limit]}
    if start + limit < len(items):
        out["NextToken"] = _token(0, str(start + limit))
    return out


# --------------------------------------------------------------- regions

class _Regional:
    """The store as one region sees it: alarms, tags, history and metric
    data belong to the region of the request's credential scope, as on
    AWS; everything else is shared. The home region (--region) keeps its
    alarms in store.alarms and store.tags, where state files and reset
    find them."""

    def __init__(self, store, region):
        home = getattr(store, "home_region", None) or "us-east-1"
        region = region or home
        regions = store.__dict__.setdefault("cw_regions", {})
        d = regions.setdefault(region, {"history": [], "metrics": {}})
        if region == home:
            self.alarms, self.tags = store.alarms, store.tags
        else:
            self.alarms = d.setdefault("alarms", {})
            self.tags = d.setdefault("tags", {})
        self.history = d["history"]
        self.metrics = d["metrics"]
        self._store = store

    def __getattr__(self, name):
        return getattr(self._store, name)


def seed_metrics(store, region, ns, data):
    """The control path's way in: metrics of any namespace, AWS/ ones
    included (PutMetricData refuses them), for ListMetrics to list."""
    with store.lock:
        view = _Regional(store, region)
    return metrics.add(view, ns, data, seed=True)


def _in_region(handler):
    def regional(store, params, call):
        denied = store.options.get("deny") or []
        op = getattr(call, "op", None)
        if op in denied:
            raise AwsError("AccessDenied", "User: arn:aws:iam::%s:user/"
                           "fakeaws is not authorized to perform: "
                           "cloudwatch:%s because no identity-based policy "
                           "allows the cloudwatch:%s action"
                           % (ACCOUNT, op, op), 403)
        with store.lock:
            view = _Regional(store, getattr(call, "region", None))
        return handler(view, params, call)
    return regional

# -------------------------------------------------------------- tagging

ALARM_ARN_RE = re.compile(r"^arn:aws[a-z-]*:cloudwatch:([a-z0-9-]+):"
                          r"(\d{12}):alarm:(.+)$")


def _set_tags(store, arn, tags):
    if not tags:
        return
    cur = store.tags.setdefault(arn, {})
    for t in tags:
        cur[t["Key"]] = t.get("Value", "")


def _resolve_arn(store, params):
    arn = params["ResourceARN"]
    m = ALARM_ARN_RE.match(arn)
    if not m:
        if re.match(r"^arn:aws[a-z-]*:cloudwatch:[^:]*:[^:]*:"
                    r"(insight-rule|metric-stream|alarm-mute-rule)[:/]", arn):
            raise AwsError("ResourceNotFoundException",
                           "The resource %s does not exist." % arn, 404)
        raise AwsError("InvalidParameterValue",
                       "Invalid value for ResourceARN: %s" % arn)
    name = m.group(3)
    a = store.alarms.get(name)
    if a is None or a["AlarmArn"] != arn:
        raise AwsError("ResourceNotFoundException",
                       "Alarm %s not found" % name, 404)
    return arn


def _arn_checks(c, params):
    if c.required(params, "ResourceARN", "resourceARN"):
        c.string(params["ResourceARN"], "resourceARN", 1, 1024)


def tag_resource(store, params, call):
    _unknown(params, {"ResourceARN", "Tags"})
    _types(params, {"ResourceARN": "str", "Tags": "list"})
    c = _Checks()
    _arn_checks(c, params)
    if c.required(params, "Tags"):
        tags = params["Tags"]
        for i, t in enumerate(tags):
            _unknown(t, {"Key", "Value"}, "Tags.member.%d." % (i + 1))
            c.required(t, "Key", "tags.member.%d.key" % (i + 1))
            c.required(t, "Value", "tags.member.%d.value" % (i + 1))
            c.string(t.get("Key"), "tags.member.%d.key" % (i + 1), 1, 128)
            c.string(t.get("Value"), "tags.member.%d.value" % (i + 1), 0,
                     256)
    c.raise_if_any()
    _check_tag_keys(params["Tags"])
    with store.lock:
        arn = _resolve_arn(store, params)
        cur = dict(store.tags.get(arn, {}))
        for t in params["Tags"]:
            cur[t["Key"]] = t["Value"]
        if len(cur) > 50:
            raise AwsError("InvalidParameterValue",
                           "An alarm can have at most 50 tags; this request "
                           "would make %d." % len(cur))
        store.tags[arn] = cur
    return {}


def untag_resource(store, params, call):
    _unknown(params, {"ResourceARN", "TagKeys"})
    _types(params, {"ResourceARN": "str", "TagKeys": "list"})
    c = _Checks()
    _arn_checks(c, params)
    if c.required(params, "TagKeys"):
        for i, k in enumerate(params["TagKeys"]):
            c.string(k, "tagKeys.member.%d" % (i + 1), 1, 128)
    c.raise_if_any()
    _check_tag_keys([{"Key": k} for k in params["TagKeys"]])
    with store.lock:
        arn = _resolve_arn(store, params)
        cur = store.tags.get(arn, {})
        for k in params["TagKeys"]:
            cur.pop(k, None)
        if not cur:
            store.tags.pop(arn, None)
    return {}


def list_tags_for_resource(store, params, call):
    _unknown(params, {"ResourceARN"})
    _types(params, {"ResourceARN": "str"})
    c = _Checks()
    _arn_checks(c, params)
    c.raise_if_any()
    with store.lock:
        arn = _resolve_arn(store, params)
        tags = store.tags.get(arn, {})
        return {"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}


_OPS = {
    "PutMetricAlarm": put_metric_alarm,
    "PutCompositeAlarm": put_composite_alarm,
    "DescribeAlarms": describe_alarms,
    "DeleteAlarms": delete_alarms,
    "SetAlarmState": set_alarm_state,
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "ListTagsForResource": list_tags_for_resource,
    "DescribeAlarmHistory": describe_alarm_history,
}
_OPS.update(metrics.OPS)
OPS = {op: _in_region(h) for op, h in _OPS.items()}
