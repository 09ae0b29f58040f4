#!/bin/sh
# cw-query scripted: how queries end (Failed, Cancelled, Timeout,
# Ctrl-C), the concurrency limit, refused queries and bad arguments.
. "$(dirname "$0")/query.sh"

opts() { fakeaws_ctl POST options "$1" >/dev/null; }
count_of() {	# OP OUTCOME
	fakeaws_ctl GET stats | python3 -c '
import json, sys
print(json.load(sys.stdin)["ops"].get(sys.argv[1], {}).get(sys.argv[2], 0))' "$1" "$2"
}

for final in Failed Cancelled Timeout; do
	opts '{"insights_states": ["Running", "'$final'"]}'
	run cw-query -g /app/api 'fields @message'
	is "$rc:$out" "2:" "a $final query: exit 2, no rows"
	like "$err" "^cw-query: query $final \\(records scanned [0-9]+, [0-9]+ B scanned\\)$" \
		"a $final query: said so, with its statistics"
done

# Ctrl-C: the query is stopped, not left running (and billing).
opts '{"insights_states": ["Running", "Running", "Running", "Running", "Running", "Running", "Running", "Running"]}'
fakeaws_ctl DELETE stats >/dev/null
interruptible cw-query -g /app/api 'fields @message' >"$T/out" 2>"$T/err" &
pid=$!
wait_count GetQueryResults 1
kill -INT $pid
wait $pid
rc=$?
is "$rc" 130 "Ctrl-C: exit 130"
is "$(count_of StopQuery ok)" 1 "Ctrl-C: StopQuery reached the emulator"
like "$(cat "$T/err")" "query cancelled" "Ctrl-C: said so"
is "$(cat "$T/out")" "" "Ctrl-C: no rows printed"

# SIGTERM stops the query too.
fakeaws_ctl DELETE stats >/dev/null
interruptible cw-query -g /app/api 'fields @message' >"$T/out" 2>"$T/err" &
pid=$!
wait_count GetQueryResults 1
kill -TERM $pid
wait $pid
rc=$?
is "$rc:$(count_of StopQuery ok)" "130:1" "SIGTERM: StopQuery, exit 130"

# Too many queries running: wait with a notice, then go on.
opts '{"insights_states": ["Running"], "insights_max_running": 1}'
fakeaws_ctl DELETE stats >/dev/null
blocker=$(python3 "$top/tests/t/awscall.py" logs StartQuery \
	'{"logGroupName": "/app/api", "startTime": 0, "endTime": 9999999999, "queryString": "fields @message"}' |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["queryId"])')
interruptible cw-query -g /app/api 'stats count(*) as n' >"$T/out" 2>"$T/err" &
pid=$!
wait_count StartQuery 2
python3 "$top/tests/t/awscall.py" logs StopQuery "{\"queryId\": \"$blocker\"}" >/dev/null
wait $pid
rc=$?
is "$rc" 0 "concurrency limit: the query runs once a slot is free"
is "$(cat "$T/out")" "n
7" "concurrency limit: then its rows"
like "$(cat "$T/err")" "too many queries running in the account; trying again in 1 s" \
	"concurrency limit: a notice on stderr"
# At least once: on a loaded machine the slot may free only after a retry.
n=$(count_of StartQuery LimitExceededException)
check "concurrency limit: the refused StartQuery reached the emulator ($n)" \
	[ "$n" -ge 1 ]
opts '{"insights_max_running": 100}'

run cw-query -g /app/api 'fields @message | explode'
is "$rc" 2 "a malformed query: exit 2"
like "$err" "^cw-query: MalformedQueryException: unsupported command explode" \
	"a malformed query: the service's message"

run cw-query -g /nope 'fields @message'
is "$rc" 2 "a missing group: exit 2"
like "$err" "^cw-query: ResourceNotFoundException: Log group '/nope' does not exist" \
	"a missing group: the service's message"

fakeaws_ctl DELETE stats >/dev/null
set --
for i in $(seq 51); do set -- "$@" -g "/g$i"; done
run cw-query "$@" 'fields @message'
is "$rc" 2 "51 groups: exit 2"
is "$err" "cw-query: 51 log groups: at most 50 in one query" "51 groups: a clear error"
for i in $(seq 51); do
	echo "{\"logGroupName\": \"/many/g$i\"}"
done | python3 "$top/tests/t/awscall.py" logs CreateLogGroup - >/dev/null
run cw-query -g '/many/*' 'fields @message'
is "$rc:$err" "2:cw-query: 51 log groups: at most 50 in one query" \
	"GROUP* matching 51 groups: the same error"
is "$(fakeaws_count StartQuery)" 0 "too many groups: no StartQuery sent"

run cw-query -g /app/api -o yaml 'fields @message'
is "$rc:$err" "2:cw-query: output format 'yaml': expected table, tsv, csv or json" \
	"-o yaml: refused"
run cw-query -g /app/api --limit 0 'fields @message'
is "$rc:$err" "2:cw-query: --limit '0': expected a positive number" "--limit 0: refused"
run cw-query -g /app/api --limit 100001 'fields @message'
is "$rc:$err" "2:cw-query: --limit 100001: at most 100000" "--limit above 100000: refused"
run cw-query -g /app/api -s yesterday 'fields @message'
is "$rc" 2 "-s yesterday: exit 2"
like "$err" "^cw-query: .*yesterday" "-s yesterday: names the value"
run cw-query -g /app/api a b
is "$rc" 2 "two queries: exit 2"
like "$err" "^cw-query: one query: quote it, or use -f FILE" "two queries: why"
run cw-query -g /app/api -f "$T/none"
is "$rc:$err" "2:cw-query: $T/none: No such file or directory" "-f a missing file"
run sh -c "cw-query -g /app/api </dev/null"
is "$rc:$err" "2:cw-query: stdin: empty query" "an empty query on stdin"
run cw-query 'fields @message'
is "$rc:$err" "2:cw-query: no log groups: give -g GROUP (.groups at the prompt), or start the query with SOURCE" \
	"no group"
run cw-query --help
like "$rc:$out" "^0:usage: cw-query -g GROUP" "--help"
run cw-query --bogus
is "$rc" 2 "an unknown option: exit 2"

done_testing
