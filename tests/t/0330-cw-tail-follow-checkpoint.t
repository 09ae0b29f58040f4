#!/bin/sh
# cw-tail -f --checkpoint: the positions of groups not followed in a run
# are kept, a checkpoint that is a symbolic link is written where it
# points, and a path where no checkpoint can be saved is an error before
# anything is printed.
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
# wait_for FILE TEXT: up to 20 s for a line TEXT in FILE.
wait_for() {
	i=0
	while ! grep -qx -- "$2" "$1" 2>/dev/null && [ $i -lt 200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
# follow N CHECKPOINT GROUP...: cw-tail -f in the background, into runN.
follow() {
	n=$1
	shift
	cw-tail -f -o raw --checkpoint "$@" >"$T/run$n" 2>"$T/err$n" &
	pid=$!
}
stop() {
	kill -TERM "$pid"
	wait "$pid"
	trc=$?
}

put /ga 5000 ga1
put /gb 4000 gb1
follow 1 "$T/cp" /ga
wait_for "$T/run1" ga1
stop
follow 2 "$T/cp" /gb
wait_for "$T/run2" gb1
stop
follow 3 "$T/cp" /ga
put /ga 0 ga2
wait_for "$T/run3" ga2
stop
is "$(cat "$T/run1"):$(cat "$T/run2"):$(cat "$T/run3"):$trc" "ga1:gb1:ga2:130" \
	"/ga, then /gb, then /ga again: the third run does not repeat /ga"
is "$(grep -c '^group ' "$T/cp")" 2 "the checkpoint holds both groups"

# A symbolic link, to a file not there yet: the file is made where it
# points, the link stays, and the next run reads it through the link.
mkdir "$T/real"
ln -s real/pos "$T/link"
follow 4 "$T/link" /gb
wait_for "$T/run4" gb1
stop
check "the checkpoint is still a symbolic link" test -L "$T/link"
is "$(head -n 1 "$T/real/pos")" "cwkit-checkpoint 3" \
	"the checkpoint is written where the link points"
follow 5 "$T/link" /gb
put /gb 0 gb2
wait_for "$T/run5" gb2
stop
is "$(cat "$T/run4"):$(cat "$T/run5"):$(ls "$T/real")" "gb1:gb2:pos" \
	"read back through the link; no temporary file left beside it"

# A checkpoint that cannot be saved: one line, exit 2, nothing read.
fakeaws_ctl DELETE stats >/dev/null
run timeout 20 cw-tail -f -o raw --checkpoint "$T/no/such/dir/cp" /ga
is "$rc:$out:$(printf '%s\n' "$err" | wc -l | tr -d ' ')" "2::1" \
	"a checkpoint in a missing directory: exit 2, one line, nothing printed"
is "$err" "cw-tail: checkpoint $T/no/such/dir/cp: cannot create a file beside it: No such file or directory" \
	"the line names the file and why"
is "$(fakeaws_count FilterLogEvents)" 0 "no event was read"
done_testing
