#!/bin/sh
# cw-tail --list-groups and printing events, against the emulator.
. "$(dirname "$0")/lib.sh"
start_fakeaws


call CreateLogGroup '{"logGroupName":"/ecs/shop/api"}'
call CreateLogGroup '{"logGroupName":"/ecs/shop/orders"}'
call CreateLogGroup '{"logGroupName":"/other/thing"}'
call PutRetentionPolicy '{"logGroupName":"/ecs/shop/api","retentionInDays":7}'

run cw-tail --list-groups
is "$rc" 0 "--list-groups succeeds"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 3 "--list-groups prints every group"
like "$out" "$(printf '^/ecs/shop/api\t7d\t[0-9]+')" "name, retention and stored bytes, tab-separated"
like "$out" "$(printf '/other/thing\tnever\t')" "no retention prints never"
is "$err" "" "nothing on stderr"

run cw-tail --list-groups /ecs/
is "$(printf '%s\n' "$out" | cut -f1 | tr '\n' ' ')" "/ecs/shop/api /ecs/shop/orders " "a prefix selects groups"

run cw-tail --list-groups -o json /ecs/shop/api
is "$rc" 0 "-o json succeeds"
is "$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); print(d["logGroupName"], d["retentionInDays"])')" \
	"/ecs/shop/api 7" "-o json prints one parseable object per group"

i=0
while [ $i -lt 120 ]; do
	printf '{"logGroupName":"/many/g%03d"}\n' $i
	i=$((i + 1))
done >"$T/groups"
call CreateLogGroup - <"$T/groups"
run cw-tail --list-groups /many/
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 120 "every page of DescribeLogGroups is followed"
is "$(printf '%s\n' "$out" | tail -n 1 | cut -f1)" "/many/g119" "the last page arrives"

now=$(python3 -c 'import time; print(int(time.time()*1000))')
call CreateLogStream '{"logGroupName":"/ecs/shop/api","logStreamName":"web/1"}'
call PutLogEvents "{\"logGroupName\":\"/ecs/shop/api\",\"logStreamName\":\"web/1\",\"logEvents\":[{\"timestamp\":$((now - 5000)),\"message\":\"first line\"},{\"timestamp\":$((now - 4000)),\"message\":\"{\\\"level\\\":\\\"error\\\",\\\"msg\\\":\\\"tab\\\\there\\\"}\"}]}"

run cw-tail /ecs/shop/api
is "$rc" 0 "printing events succeeds"
is "$out" "$(printf 'first line\n{"level":"error","msg":"tab\\there"}')" "raw output in a pipe is the messages"

run cw-tail -o json /ecs/shop/api
is "$(printf '%s\n' "$out" | python3 -c '
import json, sys
d = json.loads(sys.stdin.readline())
print(d["group"], d["stream"], d["message"][:5], sorted(d))
')" "/ecs/shop/api web/1 first ['eventId', 'group', 'ingestionTime', 'message', 'stream', 'timestamp']" \
	"-o json has group, stream, timestamp, ingestionTime, eventId, message"

run cw-tail -o short --utc /ecs/shop/api
like "$out" '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}\.[0-9]{3} web/1 first line' "-o short: time, stream, message"

run cw-tail --limit 1 /ecs/shop/api
is "$out" "first line" "--limit stops early"

run cw-tail --filter '"error"' /ecs/shop/api
like "$out" '^\{"level":"error"' "--filter is sent to the service"

run cw-tail --since 2s /ecs/shop/api
is "$out" "" "--since bounds the window"

done_testing
