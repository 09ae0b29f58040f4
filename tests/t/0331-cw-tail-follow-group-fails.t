#!/bin/sh
# cw-tail -f: a group that fails for good (one that does not exist, one
# deleted while followed) is reported once and the others are still
# followed; when every group failed, follow ends with exit 2.
. "$(dirname "$0")/lib.sh"
start_fakeaws
export AWS_MAX_ATTEMPTS=1
call() { python3 "$top/tests/t/awscall.py" logs "$@" >/dev/null; }
now=$(($(date +%s) * 1000))
put() { # GROUP TS-OFFSET MESSAGE
	call CreateLogGroup "{\"logGroupName\":\"$1\"}" 2>/dev/null
	call CreateLogStream "{\"logGroupName\":\"$1\",\"logStreamName\":\"s\"}" 2>/dev/null
	call PutLogEvents "{\"logGroupName\":\"$1\",\"logStreamName\":\"s\",\"logEvents\":[{\"timestamp\":$((now - $2)),\"message\":\"$3\"}]}"
}
# wait_for FILE TEXT: up to 20 s for TEXT in FILE.
wait_for() {
	i=0
	while ! grep -q -- "$2" "$1" 2>/dev/null && [ $i -lt 200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
# follow ARGS...: cw-tail -f -o raw in the background, into f.out, f.err.
follow() {
	cw-tail -f -o raw "$@" >"$T/f.out" 2>"$T/f.err" &
	pid=$!
}
stop() {
	kill -TERM "$pid"
	wait "$pid"
	trc=$?
}
nf="ResourceNotFoundException: The specified log group does not exist."

put /exists 3000 e1
follow /exists /missing
wait_for "$T/f.err" /missing
put /exists 0 e2
wait_for "$T/f.out" e2
stop
is "$trc:$(cat "$T/f.out")" "130:e1
e2" "a group that does not exist: the other is still followed"
is "$(cat "$T/f.err")" "cw-tail: log group /missing: $nf" \
	"the group is reported once, on one line"

# A group of a prefix deleted while followed.
put /svc/a 3000 a1
put /svc/b 2000 b1
follow '/svc/*'
wait_for "$T/f.out" b1
call DeleteLogGroup '{"logGroupName": "/svc/b"}'
wait_for "$T/f.err" /svc/b
put /svc/a 0 a2
wait_for "$T/f.out" a2
stop
is "$trc:$(cat "$T/f.out")" "130:a1
b1
a2" "a group deleted under a prefix: the others are still followed"
is "$(cat "$T/f.err")" "cw-tail: log group /svc/b: $nf" \
	"and it is reported once"

# -f -n reads the window once before following: still one line.
follow -n 1 /exists /missing
wait_for "$T/f.err" /missing
put /exists 0 e3
wait_for "$T/f.out" e3
stop
is "$trc:$(cat "$T/f.out"):$(cat "$T/f.err")" \
	"130:e2
e3:cw-tail: log group /missing: $nf" "-f -n: the group is reported once"

run timeout 20 cw-tail -f -o raw /m1 /m2
is "$rc:$out" "2:" "every group failed: exit 2"
is "$err" "cw-tail: log group /m1: $nf
cw-tail: log group /m2: $nf" "each group is reported once"
done_testing
