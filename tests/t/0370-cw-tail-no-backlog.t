#!/bin/sh
# cw-tail -n 0: no backlog, as in tail(1). With -f only the events that
# come after the start are printed, and the first poll asks for nothing
# older than the start; without -f nothing is printed.
. "$(dirname "$0")/lib.sh"
start_fakeaws
export AWS_MAX_ATTEMPTS=1
put() { # TS MESSAGE
	call PutLogEvents "{\"logGroupName\":\"/g\",\"logStreamName\":\"s\",\"logEvents\":[{\"timestamp\":$1,\"message\":\"$2\"}]}"
}
call CreateLogGroup '{"logGroupName":"/g"}'
call CreateLogStream '{"logGroupName":"/g","logStreamName":"s"}'
now=$(($(date +%s) * 1000))
put $((now - 60000)) old1
put $((now - 1000)) old2

run cw-tail -n 0 -o raw /g
is "$rc:$out:$err" "0::" "-n 0 without -f: nothing printed, exit 0"
run cw-tail -n -1 /g
is "$rc:$err" "2:cw-tail: -n '-1': expected a number from 0 to 100000" \
	"-n -1: the error says what -n takes"
run cw-tail -f -n 0 --since 1h /g
is "$rc" 2 "-f -n 0 with --since: a usage error, as -n N is"

fakeaws_ctl DELETE stats >/dev/null
start=$(($(date +%s) * 1000))
interruptible cw-tail -f -n 0 -o raw /g >"$T/out" 2>"$T/err" &
pid=$!
wait_count FilterLogEvents 1
put "$(($(date +%s) * 1000 + 1000))" new1
wait_for 15 grep -q new1 "$T/out"
kill -TERM "$pid"
wait "$pid"
is "$?" 130 "-f -n 0: SIGTERM ends it with 130"
is "$(cat "$T/out")" "new1" "-f -n 0: only the event that came after the start"
is "$(cat "$T/err")" "" "-f -n 0: nothing on stderr"
first=$(fakeaws_ctl GET stats | python3 -c '
import json, sys
r = [q for q in json.load(sys.stdin)["requests"] if q["op"] == "FilterLogEvents"]
print(json.loads(r[0]["body"]).get("startTime"))')
check "-f -n 0: the first poll starts at the start ($first >= $start)" \
	test "$first" -ge "$start"
done_testing
