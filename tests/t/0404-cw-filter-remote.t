#!/bin/sh
# -g: the pattern goes to FilterLogEvents once checked here.
. "$(dirname "$0")/lib.sh"
start_fakeaws

now=$(($(date +%s) * 1000))
call CreateLogGroup '{"logGroupName":"/app"}'
call CreateLogStream '{"logGroupName":"/app","logStreamName":"s1"}'
call PutLogEvents "{\"logGroupName\":\"/app\",\"logStreamName\":\"s1\",\"logEvents\":[
	{\"timestamp\":$((now - 3000)),\"message\":\"INFO started\"},
	{\"timestamp\":$((now - 2000)),\"message\":\"ERROR disk full\"},
	{\"timestamp\":$((now - 1000)),\"message\":\"ERROR timeout\"}]}"


run cw-filter -g /app -o raw ERROR
is "$out" "ERROR disk full
ERROR timeout" "-g prints the events FilterLogEvents returns"
is "$rc" 0 "-g with events: exit 0"

run cw-filter -g /app -o raw WARN
is "$out:$rc" ":1" "-g without events: exit 1"

run cw-filter -g /app -c ERROR
is "$out" 2 "-g -c counts events"

run cw-filter -g /app -o json --limit 1 ERROR
like "$out" '^\{"group":"/app","stream":"s1","timestamp":[0-9]+,"ingestionTime":[0-9]+,"eventId":"[^"]+","message":"ERROR disk full"\}$' \
	"-g -o json prints events like cw-tail"

before=$(fakeaws_count FilterLogEvents)
run cw-filter -g /app '{ $.a = '
is "$rc" 2 "-g with a bad pattern: exit 2"
like "$err" "^cw-filter: pattern: column 8" "-g with a bad pattern: the local reason"
is "$(fakeaws_count FilterLogEvents)" "$before" "a syntax error costs no request"

run cw-filter -g /nope ERROR
is "$rc" 2 "-g with an unknown group: exit 2"
like "$err" "^cw-filter: log group /nope: ResourceNotFoundException" "the AWS error, in one line"

run cw-filter -g /app --since bogus ERROR
is "$rc" 2 "-g with a bad --since: exit 2"
like "$err" "^cw-filter: --since" "-g: errors are told under cw-filter's name"

run cw-filter -g /app -q ERROR
is "$out:$rc" ":0" "-g -q: nothing printed, exit 0"

call CreateLogStream '{"logGroupName":"/app","logStreamName":"other"}'
call PutLogEvents "{\"logGroupName\":\"/app\",\"logStreamName\":\"other\",\"logEvents\":[
	{\"timestamp\":$((now - 500)),\"message\":\"ERROR elsewhere\"}]}"
run cw-filter -g /app -o raw --stream oth ERROR
is "$out" "ERROR elsewhere" "-g --stream is handed on"

call PutLogEvents "{\"logGroupName\":\"/app\",\"logStreamName\":\"other\",\"logEvents\":[
	{\"timestamp\":$((now - 1800000)),\"message\":\"ERROR half an hour ago\"}]}"
fakeaws_ctl DELETE stats >/dev/null
t0=$(date +%s)
run cw-filter -g /app -o raw --since 1h --until 10m --stream oth \
	--region us-east-1 --no-color ERROR
t1=$(($(date +%s) + 1))
is "$out:$rc" "ERROR half an hour ago:0" \
	"-g with --since, --until, --stream and common options: the event in the window"
# What reached the emulator: the group, the pattern, the stream prefix and
# a window of [now - 1h, now - 10m], signed for the region asked for.
sent=$(fakeaws_ctl GET stats | python3 -c '
import json, sys
t0, t1 = int(sys.argv[1]) * 1000, int(sys.argv[2]) * 1000
r = [q for q in json.load(sys.stdin)["requests"] if q["op"] == "FilterLogEvents"]
b = json.loads(r[0]["body"])
print(len(r), b.get("logGroupName"), b.get("filterPattern"),
      b.get("logStreamNamePrefix"),
      t0 - 3600000 <= b["startTime"] <= t1 - 3600000,
      t0 - 600000 <= b["endTime"] <= t1 - 600000)' "$t0" "$t1")
is "$sent" "1 /app ERROR oth True True" \
	"-g: the group, pattern, --stream, --since and --until reach the service"

run cw-filter -g /app -o raw --debug --limit 1 ERROR
like "$err" "FilterLogEvents" "-g --debug traces the requests"

run cw-filter -g /app -o short ERROR
like "$out" "ERROR disk full" "-g -o short"

done_testing
