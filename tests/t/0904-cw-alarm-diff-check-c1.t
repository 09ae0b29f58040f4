#!/bin/sh
# cw-alarm-diff --test-filters and --check-metrics on a terminal, with C1
# controls (U+0080..U+009F, and 0x9b alone) in log lines and in the
# dimension sets of the account's metrics: shown escaped.
. "$(dirname "$0")/lib.sh"
start_fakeaws
tty_run() { NO_COLOR=1 python3 "$top/tests/t/termrun.py" --cols 200 "$@"; }

mkdir -p "$T/tf/env"
printf '%s\n' '{"Region":"eu-west-2","Prefixes":["t-"]}' >"$T/tf/env/production.json"
cat >"$T/tf/f.json" <<'JSON'
{"MetricFilters": [
 {"logGroupName": "/api", "filterName": "latency", "filterPattern": "{ $.ms > 5 }",
  "metricTransformations": [{"metricName": "Ms", "metricNamespace": "App",
   "metricValue": "$.ms", "dimensions": {"Route": "$.route"}}]},
 {"logGroupName": "/api", "filterName": "errors", "filterPattern": "ERROR",
  "metricTransformations": [{"metricName": "Errors", "metricNamespace": "App",
   "metricValue": "1"}]}]}
JSON
printf '{"ms": 9, "route": "/p\302\2332J\302\235x"}\nERROR /q\233%s\n' 31m >"$T/sample.log"
tty_run cw-alarm-diff --test-filters "$T/sample.log" "$T/tf" >"$T/tf.out"
is "$?" 0 "--test-filters on a terminal: exit 0"
is "$(raw_controls "$T/tf.out")" 0 "--test-filters: no raw C1 or C0 byte (od)"
like "$(cat "$T/tf.out")" '  1: \{"ms": 9, "route": "/p\\xc2\\x9b2J\\xc2\\x9dx"\}' \
	"--test-filters: the line's C1 controls escaped"
like "$(cat "$T/tf.out")" 'Route=/p\\xc2\\x9b2J\\xc2\\x9dx ' \
	"--test-filters: the dimension value's too"
like "$(cat "$T/tf.out")" '  2: ERROR /q\\x9b31m$' \
	"--test-filters: a lone 0x9b escaped"

fakeaws_ctl POST metrics '{"region":"eu-west-2","Namespace":"N","MetricData":[
 {"MetricName":"M","Dimensions":[{"Name":"Id","Value":"i-\u009b2J\u009d0;t\u0007"}]}]}' >/dev/null
mkdir -p "$T/cm/env"
printf '%s\n' '{"Region":"eu-west-2","Prefixes":["c-"]}' >"$T/cm/env/production.json"
cat >"$T/cm/a.json" <<'JSON'
{"Alarms": [{"AlarmName": "c-m", "Namespace": "N", "MetricName": "M",
  "Dimensions": [{"Name": "Id", "Value": "i-1"}], "Statistic": "Sum",
  "Period": 60, "EvaluationPeriods": 1, "Threshold": 1,
  "ComparisonOperator": "GreaterThanThreshold"}]}
JSON
tty_run cw-alarm-diff --check-metrics "$T/cm" >"$T/cm.out"
is "$?" 1 "--check-metrics on a terminal: a metric missing, exit 1"
is "$(raw_controls "$T/cm.out")" 0 "--check-metrics: no raw C1 or C0 byte (od)"
like "$(cat "$T/cm.out")" 'nearest: \{Id=i-\\xc2\\x9b2J\\xc2\\x9d0;t\\x07\}' \
	"--check-metrics: the nearest set's C1 controls escaped"
done_testing
