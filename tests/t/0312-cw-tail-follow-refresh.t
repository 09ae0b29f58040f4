#!/bin/sh
# cw-tail -f outlives its credentials: temporary keys that expire every
# few seconds (as a role's do every hour in a run that lasts days) are
# fetched again before they expire, and no event is lost on the way.
. "$(dirname "$0")/lib.sh"
# Keys last 303 s and are refreshed 300 s before they expire: a new set
# every 3 s.
start_fakeaws --temp-ttl 303
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
export AWS_CONTAINER_CREDENTIALS_FULL_URI=$FAKEAWS_URL/ecs/task-credentials
export AWS_CONTAINER_AUTHORIZATION_TOKEN=ecs-test-token

cw_direct() {
	AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE \
	AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY \
		python3 "$top/tests/t/awscall.py" logs "$@" >/dev/null
}
cw_direct CreateLogGroup '{"logGroupName": "/refresh/g"}'
cw_direct CreateLogStream '{"logGroupName": "/refresh/g", "logStreamName": "s"}'
fakeaws_ctl DELETE stats >/dev/null

cw-tail -f -o raw -s 0s /refresh/g >"$T/out" 2>"$T/err" &
pid=$!
# -s 0s starts at the moment cw-tail starts: the first event is put once
# it is reading, with a timestamp to the millisecond, so it is never
# older than the start.
wait_count FilterLogEvents 1
# Each event after a new set of keys.
keys=$(fakeaws_count ECSCredentials)
for i in 1 2 3 4 5 6; do
	wait_count ECSCredentials $((keys + 1))
	keys=$(fakeaws_count ECSCredentials)
	cw_direct PutLogEvents "{\"logGroupName\": \"/refresh/g\", \"logStreamName\": \"s\", \"logEvents\": [{\"timestamp\": $(date +%s%3N), \"message\": \"event $i\"}]}"
done
# the last event settles and is printed
six_lines() { [ "$(wc -l <"$T/out")" -ge 6 ]; }
wait_for 15 six_lines
kill -TERM "$pid"
wait "$pid"
is "$?" 130 "SIGTERM ends the follow with 130"
is "$(cat "$T/out")" "event 1
event 2
event 3
event 4
event 5
event 6" "every event printed once, across the key changes"
is "$([ "$(fakeaws_count ECSCredentials)" -ge 4 ] && echo yes)" yes \
	"the keys were fetched again and again: $(fakeaws_count ECSCredentials) times"
stats=$(fakeaws_ctl GET stats)
is "$(printf '%s' "$stats" | python3 -c '
import json, sys
s = json.load(sys.stdin)
print(len(s["signature_failures"]), sorted(k for k in s["ops"].get("FilterLogEvents", {}) if k != "ok"))')" \
	"0 []" "no call was refused: no expired key was ever sent"
unlike "$(cat "$T/err")" "xpired" "nothing on stderr about expiry"
done_testing
