#!/bin/sh
# The shipped sets of alarms/ hold what their seeds ask, where it can fire
# and notify: the D2 billing alarms in us-east-1 on the environment's
# budget, the multi-container stack's ElastiCache Serverless alarms, its
# queue depth trend, replication lag on every Redis node, and every SNS
# action in its alarm's region. No network: --offline.
. "$(dirname "$0")/lib.sh"
aws_env
echo '{}' >"$T/empty.json"

# plan DIR ENV: the offline plan against an empty account, as JSON.
plan() {
	cw-alarm-diff -o json -e "$2" --offline "$T/empty.json" "$1" >"$T/plan.json"
}

# q PYTHON: evaluate against the plan's alarms (a: name -> change) and the
# environment's variables (v); prints what the expression prints.
q() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
a = {c["AlarmName"]: c for c in d["changes"] if c["type"] == "MetricAlarm"}
v = json.load(open(sys.argv[2]))["Vars"]
def req(n): return a[n]["request"]
def dims(r): return sorted((x["Name"], x["Value"]) for x in r.get("Dimensions", []))
'"$1" "$T/plan.json" "$2"
}

# D2 ride booking: billing is us-east-1, AWS/Billing EstimatedCharges in
# USD, notifying a us-east-1 topic, at the environment's budget.
d2=$top/alarms/d2-ride-booking
plan "$d2" production
is "$(q '
for n in ("d2-ride-booking-prod-billing-80-percent", "d2-ride-booking-prod-billing-over-budget"):
    r = req(n)
    print(a[n]["Region"], r["Namespace"], r["MetricName"], dims(r), r["Statistic"],
          r["Period"], r["ComparisonOperator"],
          sorted(set(x.split(":")[3] for x in r["AlarmActions"] + r["OKActions"])))
' "$d2/env/production.json")" \
"us-east-1 AWS/Billing EstimatedCharges [('Currency', 'USD')] Maximum 21600 GreaterThanOrEqualToThreshold ['us-east-1']
us-east-1 AWS/Billing EstimatedCharges [('Currency', 'USD')] Maximum 21600 GreaterThanOrEqualToThreshold ['us-east-1']" \
	"d2 billing: us-east-1, EstimatedCharges by Currency=USD, us-east-1 topics"
is "$(q '
print(req("d2-ride-booking-prod-billing-over-budget")["Threshold"] == v["billing_budget_usd"],
      req("d2-ride-booking-prod-billing-80-percent")["Threshold"] == v["billing_budget_80_usd"],
      v["billing_budget_80_usd"] == 0.8 * v["billing_budget_usd"])
' "$d2/env/production.json")" "True True True" \
	"d2 billing: thresholds are the env file's budget and 80% of it"

# Another environment's budget is that environment's: a copy of the set
# with a second env file.
cp -R "$d2" "$T/d2"
python3 -c '
import json, sys
e = json.load(open(sys.argv[1]))
e["Vars"]["billing_budget_usd"] = 1250
e["Vars"]["billing_budget_80_usd"] = 1000
json.dump(e, open(sys.argv[2], "w"))' "$d2/env/production.json" "$T/d2/env/other.json"
plan "$T/d2" other
is "$(q '
print(req("d2-ride-booking-prod-billing-over-budget")["Threshold"],
      req("d2-ride-booking-prod-billing-80-percent")["Threshold"])
' "$T/d2/env/other.json")" "1250 1000" "d2 billing: the budget variable is per environment"
like "$(q 'print(req("d2-ride-booking-prod-billing-over-budget")["AlarmDescription"])' \
	"$T/d2/env/other.json")" 'USD 1250 monthly budget' "d2 billing: the description names the budget"

# multi-container: ElastiCache Serverless alarms by clusterId, in the
# environment's region; throttling is critical.
mc=$top/alarms/multi-container
for env in production staging; do
	plan "$mc" "$env"
	is "$(q '
import re
want = {"redis-throttled-commands": "ThrottledCmds", "redis-data-high": "BytesUsedForCache",
        "redis-evictions": "Evictions", "redis-connections-high": "CurrConnections"}
env_region = json.load(open(sys.argv[2]))["Region"]
for suffix, metric in sorted(want.items()):
    n = "multi-container-%s-%s" % (v["env_short"], suffix)
    r = req(n)
    ok = (a[n]["Region"] == env_region and r["Namespace"] == "AWS/ElastiCache"
          and r["MetricName"] == metric and dims(r) == [("clusterId", v["cache_name"])])
    print(suffix, ok, "critical" if r["AlarmActions"] == v["critical_actions"] else
          "warning" if r["AlarmActions"] == v["warning_actions"] else "other")
print(sorted(n for n in a if "ElastiCache" in json.dumps(req(n))) ==
      sorted("multi-container-%s-%s" % (v["env_short"], s) for s in want))
' "$mc/env/$env.json")" \
"redis-connections-high True warning
redis-data-high True warning
redis-evictions True warning
redis-throttled-commands True critical
True" "multi-container/$env: ElastiCache Serverless alarms by clusterId"

	# "Queue depth increasing" is the trend of the visible depth, not
	# the age of the oldest message.
	is "$(q '
n = "multi-container-%s-queue-depth-increasing" % v["env_short"]
r = req(n)
m = {x["Id"]: x for x in r["Metrics"]}
st = m["depth"]["MetricStat"]
ret = [x for x in r["Metrics"] if x.get("ReturnData", True)]
print(st["Metric"]["Namespace"], st["Metric"]["MetricName"], dims(st["Metric"]) == [("QueueName", v["queue_name"])],
      len(ret), "DIFF(depth)" in ret[0]["Expression"], str(v["queue_depth_floor"]) in ret[0]["Expression"],
      r["ComparisonOperator"], r["Threshold"], r["DatapointsToAlarm"] == r["EvaluationPeriods"])
print(any("ApproximateAgeOfOldestMessage" in json.dumps(req(x)) for x in a))
' "$mc/env/$env.json")" \
"AWS/SQS ApproximateNumberOfMessagesVisible True 1 True True GreaterThanThreshold 0 True
False" "multi-container/$env: queue depth increasing is the depth's growth"
done

# lomash-wood: every Redis node an alarm watches also has a replication
# lag alarm (a replica of today may be the primary of tomorrow); the
# primary publishes no lag, which is not breaching.
lw=$top/alarms/lomash-wood
for env in production:001,002,003 staging:001,002; do
	e=${env%%:*}
	plan "$lw" "$e"
	is "$(q '
def node_alarms(metric):
    return {dims(req(n))[0][1]: req(n) for n in a
            if req(n).get("Namespace") == "AWS/ElastiCache" and req(n)["MetricName"] == metric}
cpu, lag = node_alarms("EngineCPUUtilization"), node_alarms("ReplicationLag")
print(",".join(sorted(k[-3:] for k in lag)), sorted(cpu) == sorted(lag),
      all(r["TreatMissingData"] == "notBreaching" for r in lag.values()),
      all(dims(r)[0][0] == "CacheClusterId" for r in lag.values()))
' "$lw/env/$e.json")" "${env#*:} True True True" \
		"lomash-wood/$e: replication lag on every Redis node"
done

# Every SNS action of every shipped alarm is a topic in the alarm's own
# region: CloudWatch publishes to no other.
n=0
for envf in "$top"/alarms/*/env/*.json; do
	dir=${envf%/env/*}
	e=$(basename "$envf" .json)
	plan "$dir" "$e"
	bad=$(python3 -c '
import json, sys
for c in json.load(open(sys.argv[1]))["changes"]:
    r = c["request"]
    for k in ("AlarmActions", "OKActions", "InsufficientDataActions"):
        for arn in r.get(k, []):
            p = arn.split(":")
            if p[2] == "sns" and p[3] != c["Region"]:
                print(c.get("AlarmName"), c["Region"], arn)' "$T/plan.json")
	is "$bad" "" "${dir#$top/}/$e: every SNS action is in its alarm's region"
	n=$((n + 1))
done
check "sets tried: $n" test "$n" -ge 8

# What the docs claim matches what the shipped sets plan: the counts of
# alarms/README.md's table, and the example of cw-alarm-diff(1), which
# changes one alarm of lomash-wood production and leaves the rest.
while IFS='|' read -r _ set _ envs alarms comps filters _; do
	set=$(printf '%s' "$set" | tr -d ' `')
	envs=$(printf '%s' "$envs" | tr -d ' ' | tr ',' ' ')
	alarms=$(printf '%s' "$alarms" | tr -d ' ' | tr ',' ' ')
	for e in $envs; do
		want=${alarms%% *}
		alarms=${alarms#* }
		plan "$top/alarms/$set" "$e"
		is "$(python3 -c '
import json, sys
c = [x["type"] for x in json.load(open(sys.argv[1]))["changes"]]
print(c.count("MetricAlarm"), c.count("CompositeAlarm"), c.count("MetricFilter"))' "$T/plan.json")" \
			"$want $(echo $comps) $(echo $filters)" "alarms/README.md: $set/$e counts"
	done
done <<EOF_TABLE
$(grep -E '^\| `[a-z0-9-]+` \|' "$top/alarms/README.md")
EOF_TABLE
plan "$lw" production
total=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["changes"]))' "$T/plan.json")
is "$(grep -Fx -A2 '~ alarm lomash-wood-production-rds-cpu-high (eu-west-1)' "$top/man/cw-alarm-diff.1" | tail -1)" \
	"Plan: 0 to add, 1 to change, 0 to delete, $((total - 1)) unchanged." \
	"cw-alarm-diff(1): the example's region and count are the shipped stack's"

done_testing
