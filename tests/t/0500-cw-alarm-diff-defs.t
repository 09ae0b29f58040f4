#!/bin/sh
# cw-alarm-diff: definition sets load and validate; every problem is
# reported with its file, line, column and alarm. No network: --offline.
. "$(dirname "$0")/lib.sh"
aws_env
fix=$top/tests/t/alarms-fixtures
echo '{}' >"$T/empty.json"

# Every stack x environment (the fixtures and alarms/ once it holds
# sets) validates, and against an empty account the plan only adds.
n=0
for envf in "$fix"/*/env/*.json "$top"/alarms/*/env/*.json; do
	[ -f "$envf" ] || continue
	dir=${envf%/env/*}
	e=$(basename "$envf" .json)
	run cw-alarm-diff -e "$e" --offline "$T/empty.json" "$dir"
	name="${dir#$top/}/$e"
	is "$rc" 1 "$name: validates; an empty account differs"
	is "$(printf '%s\n' "$out" | grep -v '^Plan\( in [a-z0-9-]*\)\{0,1\}: ' | grep -cv '^+ ')" 0 \
		"$name: only + lines"
	is "$(printf '%s\n' "$out" | tail -1)" \
		"Plan: $(printf '%s\n' "$out" | grep -c '^+ ') to add, 0 to change, 0 to delete, 0 unchanged." \
		"$name: the plan line counts the additions"
	n=$((n + 1))
done
check "stacks x environments tried: $n" test "$n" -ge 2

run cw-alarm-diff --offline "$T/empty.json" "$fix/shop"
is "$(printf '%s\n' "$out" | head -1)" "+ alarm shop-production-rds-cpu-high (eu-west-2)" \
	"variables substituted into names, the env's Region"
like "$out" '\+ alarm shop-production-billing \(us-east-1\)' "an item's Region overrides"
like "$out" '\+ metric filter /shop/production/api errors' "metric filters are planned"
run cw-alarm-diff -e staging --offline "$T/empty.json" "$fix/shop"
unlike "$out" 'storage-low' "Environments limits an alarm to production"
run cw-alarm-diff -o json --offline "$T/empty.json" "$fix/shop"
is "$(printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
a = [c for c in d["changes"] if c["AlarmName" if "AlarmName" in c else "filterName"] == "shop-production-rds-cpu-high"][0]["request"]
print(a["Threshold"], type(a["Threshold"]).__name__, a["TreatMissingData"], len(a["AlarmActions"]),
      sorted((t["Key"], t["Value"]) for t in a["Tags"]))')" \
	"80 int notBreaching 1 [('ManagedBy', 'cwkit'), ('cwkit:set', 'shop/production'), ('team', 'data')]" \
	"-o json: the request with Defaults, typed \${var}s and ownership tags"

# mkset NAME FILE-JSON: a one-file set in $T/NAME (prefix "t-").
mkset() {
	mkdir -p "$T/$1/env"
	printf '%s\n' '{"Region":"eu-west-2","Prefixes":["t-"],"Vars":{"n":5,"s":"x","l":["arn:aws:sns:eu-west-2:123456789012:a"]}}' \
		>"$T/$1/env/production.json"
	printf '%s\n' "$2" >"$T/$1/a.json"
}
base='"AlarmName":"t-ok","Namespace":"N","MetricName":"M","Statistic":"Sum","Threshold":1'
ok_alarm=$base',"Period":60,"EvaluationPeriods":1,"ComparisonOperator":"GreaterThanThreshold"'

# bad NAME WANT-ERE DESC FILE-JSON
bad() {
	mkset "$1" "$4"
	run cw-alarm-diff --offline "$T/empty.json" "$T/$1"
	is "$rc" 2 "$3: exit 2"
	like "$err" "$2" "$3: said where"
}

bad var '/a\.json:2:20: alarm "t-1": Threshold: unknown variable \$\{nope\}' \
	"unknown variable" "{\"Alarms\":[
{\"AlarmName\":\"t-1\",\"Threshold\":\"\${nope}\",\"Namespace\":\"N\",\"MetricName\":\"M\",\"Statistic\":\"Sum\",\"Period\":60,\"EvaluationPeriods\":1,\"ComparisonOperator\":\"GreaterThanThreshold\"}]}"
bad enum 'a\.json:1:[0-9]+: alarm "t-ok": ComparisonOperator: "Bigger" is not one' \
	"wrong enum" "{\"Alarms\":[{$base,\"Period\":60,\"EvaluationPeriods\":1,\"ComparisonOperator\":\"Bigger\"}]}"
bad enum2 'a\.json:1:[0-9]+: alarm "t-ok": TreatMissingData: "maybe"' \
	"wrong TreatMissingData" "{\"Alarms\":[{$ok_alarm,\"TreatMissingData\":\"maybe\"}]}"
bad num 'a\.json:3:10: alarm "t-ok": EvaluationPeriods: expected a JSON number, not the string "2"' \
	"a string where a number belongs" "{\"Alarms\":[{$base,\"Period\":60,\"ComparisonOperator\":\"LessThanThreshold\",
\"Unit\":\"Count\",
  \"x\":1, \"EvaluationPeriods\":\"2\"}]}"
like "$err" 'a\.json:3:3: alarm "t-ok": x: not a member of PutMetricAlarm' "unknown member named"
like "$err" 'cw-alarm-diff: 2 problems in the definitions' "problems counted"
bad period 'alarm "t-ok": Period: 45: must be 10, 20, 30 or a multiple of 60' \
	"Period 45" "{\"Alarms\":[{$base,\"EvaluationPeriods\":1,\"ComparisonOperator\":\"LessThanThreshold\",\"Period\":45}]}"
bad m 'alarm "t-ok": DatapointsToAlarm: 3 is more than EvaluationPeriods \(1\)' \
	"DatapointsToAlarm > EvaluationPeriods" "{\"Alarms\":[{$ok_alarm,\"DatapointsToAlarm\":3}]}"
bad acts 'alarm "t-ok": AlarmActions: 6 actions, at most 5' \
	"six actions" "{\"Alarms\":[{$ok_alarm,\"AlarmActions\":[\"arn:a\",\"arn:b\",\"arn:c\",\"arn:d\",\"arn:e\",\"arn:f\"]}]}"
bad pfx 'alarm "u-1": AlarmName: does not start with a prefix of the set \(t-\)' \
	"a name outside the prefixes" "{\"Alarms\":[{$(printf '%s' "$ok_alarm" | sed 's/t-ok/u-1/')}]}"
bad math 'alarm "t-m": Metrics: 2 queries return data' "metric math with two ReturnData" \
	'{"Alarms":[{"AlarmName":"t-m","EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold","Metrics":[{"Id":"a","MetricStat":{"Metric":{"Namespace":"N","MetricName":"M"},"Period":60,"Stat":"Sum"}},{"Id":"e","Expression":"a*2"}]}]}'
bad listvar 'alarm "t-ok": AlarmDescription: variable \$\{l\} is a list' "a list inside a longer string" \
	"{\"Alarms\":[{$ok_alarm,\"AlarmDescription\":\"to \${l}\"}]}"
bad top 'a\.json:1:2: Alarm: unknown key' "unknown top-level key" '{"Alarm":[]}'
bad json 'a\.json:4:1: malformed JSON: expected .,. or .\].' "malformed JSON" '{"Alarms": [
  {"AlarmName": "t-1"
}'
bad cycle 'a\.json:3:[0-9]+: composite alarm "t-a": AlarmRule: cycle: t-a <- t-b <- t-a' "composite cycle" \
	'{"CompositeAlarms": [
{"AlarmName":"t-b","AlarmRule":"ALARM(t-a)"},
{"AlarmName":"t-a","AlarmRule":"ALARM(\"t-b\") OR OK(t-ok)"}],
"Alarms":[{'"$ok_alarm"'}]}'
bad ext 'composite alarm "t-c": AlarmRule: alarm "t-gone" is neither defined nor in the account' \
	"a composite naming an alarm that exists nowhere" \
	'{"CompositeAlarms":[{"AlarmName":"t-c","AlarmRule":"ALARM(t-gone) AND ALARM(t-ok)"}],"Alarms":[{'"$ok_alarm"'}]}'
bad pat 'metric filter "f": filterPattern: column' "a filter pattern AWS refuses" \
	'{"MetricFilters":[{"logGroupName":"/g","filterName":"f","filterPattern":"{ $.a = ","metricTransformations":[{"metricName":"m","metricNamespace":"n","metricValue":"1"}]}]}'

bad esc 'alarm "t-\?": Statistic: "\?\[31mX" is not one' "control characters in messages are shown as ?" \
	'{"Alarms":[{"AlarmName":"t-\u0007","Statistic":"\u001b[31mX","Namespace":"N","MetricName":"M","Period":60,"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"}]}'

bad region 'a\.json:1:[0-9]+: alarm "t-ok": Region: "\.\./x" is not a region name' "a Region that is no region name" \
	"{\"Alarms\":[{$ok_alarm,\"Region\":\"../x\"}]}"

# The same name in two files of a set, and across two sets.
mkset dup "{\"Alarms\":[{$ok_alarm}]}"
printf '%s\n' "{\"Alarms\":[" "{$ok_alarm}]}" >"$T/dup/b.json"
run cw-alarm-diff --offline "$T/empty.json" "$T/dup"
is "$rc" 2 "duplicate alarm name: exit 2"
like "$err" '/dup/b\.json:2:2: alarm "t-ok": defined twice \(first at .*/dup/a\.json:1:13\)' \
	"duplicate alarm name across files: both places named"
mkset dup2 "{\"Alarms\":[{$ok_alarm}]}"
mkset dup3 "{\"Alarms\":[{$ok_alarm}]}"
run cw-alarm-diff --offline "$T/empty.json" "$T/dup2" "$T/dup3"
like "$rc:$err" '^2:.*/dup3/a\.json:1:13: alarm "t-ok": defined twice' "duplicate across two sets"

# A 50 MB definition file: refused by size, quickly, without a crash.
mkset big "{\"Alarms\":[{$ok_alarm}]}"
python3 -c '
import sys
with open(sys.argv[1], "w") as f:
    f.write("{\"Alarms\": [")
    f.write(",".join(["{\"AlarmName\": \"t-%08d\"}" % i for i in range(1800000)]))
    f.write("]}")' "$T/big/b.json"
run cw-alarm-diff --offline "$T/empty.json" "$T/big"
like "$rc:$err" '^2:.*/big/b\.json: too large \([0-9]+ bytes, at most 16777216\)' "a 50 MB file is refused"
# Deep nesting and a big object are bounded too.
mkset deep "$(python3 -c 'print("{\"Alarms\":" + "[" * 100000 + "]" * 100000 + "}")')"
run cw-alarm-diff --offline "$T/empty.json" "$T/deep"
like "$rc:$err" '^2:.*a\.json:1:[0-9]+: malformed JSON: nested too deeply' "deep nesting is refused"

# Environment files.
mkset env "{\"Alarms\":[{$ok_alarm}]}"
printf '%s\n' '{"Prefixes":[], "Vars":{}, "Extra":1}' >"$T/env/env/production.json"
run cw-alarm-diff --offline "$T/empty.json" "$T/env"
like "$err" 'env/production\.json:1:2: Prefixes: at least one prefix' "an empty Prefixes list"
like "$err" 'env/production\.json:1:[0-9]+: Extra: unknown key in an environment file' "an unknown env key"
run cw-alarm-diff -e nowhere --offline "$T/empty.json" "$T/env"
like "$rc:$err" "^2:cw-alarm-diff: .*/env: no environment nowhere" "a missing environment"

run cw-alarm-diff
like "$rc:$err" '^2:usage: cw-alarm-diff' "no path: usage"
run cw-alarm-diff -o yaml "$fix/shop"
like "$rc:$err" "^2:cw-alarm-diff: output format 'yaml'" "bad -o"

# --test-filters: every metric filter of the set over sample lines.
mkdir -p "$T/tf/env"
printf '%s\n' '{"Region":"eu-west-2","Prefixes":["t-"]}' >"$T/tf/env/production.json"
cat >"$T/tf/f.json" <<'JSON'
{"MetricFilters": [
 {"logGroupName": "/api", "filterName": "errors", "filterPattern": "ERROR",
  "metricTransformations": [{"metricName": "Errors", "metricNamespace": "App", "metricValue": "1"}]},
 {"logGroupName": "/api", "filterName": "latency", "filterPattern": "{ $.latencyMs > 500 }",
  "metricTransformations": [{"metricName": "SlowMs", "metricNamespace": "App", "metricValue": "$.latencyMs", "dimensions": {"Route": "$.route"}}]},
 {"logGroupName": "/alb", "filterName": "5xx", "filterPattern": "[ip, user, status = 5*, bytes]",
  "metricTransformations": [{"metricName": "Bytes5xx", "metricNamespace": "App", "metricValue": "$bytes"}]}
]}
JSON
printf '%s\n' 'INFO ok' 'ERROR payment failed' '{"latencyMs": 900, "route": "/pay"}' \
	'{"latencyMs": 100, "route": "/x"}' '10.0.0.1 - 503 1234' "ERROR $(printf '\033')[31m" >"$T/sample.log"
run cw-alarm-diff --test-filters "$T/sample.log" "$T/tf"
is "$rc:$out" '0:metric filter /api errors:
  2: ERROR payment failed
      App/Errors 1
  6: ERROR \x1b[31m
      App/Errors 1
  2 of 6 lines matched
metric filter /api latency:
  3: {"latencyMs": 900, "route": "/pay"}
      App/SlowMs 900 Route=/pay  [$.latencyMs=900]
  1 of 6 lines matched
metric filter /alb 5xx:
  5: 10.0.0.1 - 503 1234
      App/Bytes5xx 1234  [$ip=10.0.0.1, $user=-, $status=503, $bytes=1234]
  1 of 6 lines matched' \
	"--test-filters: the lines each filter matches, the values it emits, log text escaped"
printf 'nothing here\n' >"$T/none.log"
run cw-alarm-diff --test-filters "$T/none.log" "$T/tf"
is "$rc" 1 "--test-filters: no line matched, exit 1"

done_testing
