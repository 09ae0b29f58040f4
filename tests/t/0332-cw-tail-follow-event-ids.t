#!/bin/sh
# cw-tail -f --checkpoint: events with an empty eventId (twins with the
# same stream, time and message among them) and eventIds holding U+0000
# are each printed once, across a restart.
. "$(dirname "$0")/lib.sh"
start_fakeaws
export AWS_MAX_ATTEMPTS=1
call() { python3 "$top/tests/t/awscall.py" logs "$@" >/dev/null; }
now=$(($(date +%s) * 1000))
put() { # TS-OFFSET MESSAGE
	call PutLogEvents "{\"logGroupName\":\"/g\",\"logStreamName\":\"s\",\"logEvents\":[{\"timestamp\":$((now - $1)),\"message\":\"$2\"}]}"
}
# wait_for FILE TEXT: up to 20 s for a line TEXT in FILE.
wait_for() {
	i=0
	while ! grep -qx -- "$2" "$1" 2>/dev/null && [ $i -lt 200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
follow() { # N
	cw-tail -f -o raw --checkpoint "$T/cp" /g >"$T/run$1" 2>"$T/err$1" &
	pid=$!
}
stop() {
	kill -TERM "$pid"
	wait "$pid"
	trc=$?
}

call CreateLogGroup '{"logGroupName": "/g"}'
call CreateLogStream '{"logGroupName": "/g", "logStreamName": "s"}'
fakeaws_ctl POST options '{"event_ids": {"empty-1": "", "empty-2": "",
	"twin": "", "nul-a": "x\u0000a", "nul-b": "x\u0000b"}}' >/dev/null
put 6000 empty-1
put 5000 empty-2
put 4000 twin
put 4000 twin
put 3000 nul-a
put 2000 nul-b
follow 1
put 0 mark-1
wait_for "$T/run1" mark-1
stop
follow 2
put 0 mark-2
wait_for "$T/run2" mark-2
stop
is "$(cat "$T/run1")" "empty-1
empty-2
twin
twin
nul-a
nul-b
mark-1" "the first run prints each event once, twins both"
is "$(cat "$T/run2"):$trc" "mark-2:130" \
	"a restart from the checkpoint prints none of them again"
is "$(cat "$T/err1" "$T/err2")" "" "nothing on stderr"
done_testing
