#!/bin/sh
# SIGINT and SIGTERM stop a transfer in flight: against a server that
# answers after 8 s, cw-tail (and cw-filter -g) exit 130 at once, with
# nothing on stderr and no retry sent.
. "$(dirname "$0")/lib.sh"
start_fakeaws
call CreateLogGroup '{"logGroupName":"/r"}'

# Under valgrind (make valgrind) start-up and exit are slow: the time is
# checked loosely then.
wait=1 limit=200
if [ -n "${CW_TEST_WRAP:-}" ]; then wait=5 limit=10000; fi

interrupt() { # SIG CMD...: "status ms" in $res, stderr in $err
	s=$1; shift
	res=$(python3 "$top/tests/t/interrupt.py" "$wait" "$s" \
		"$T/out" "$T/err" "$@")
	err=$(cat "$T/err")
}
fast() { # DESC
	is "${res% *}" 130 "$1: exit 130"
	check "$1: exited ${res#* } ms after the signal (limit $limit)" \
		test "${res#* }" -le "$limit"
	is "$err" "" "$1: nothing on stderr"
}

fakeaws_ctl POST faults '{"spec":"latency=8000ms"}' >/dev/null
interrupt INT cw-tail --list-groups
fast "cw-tail --list-groups, SIGINT during an 8 s answer"
interrupt TERM cw-tail /r
fast "cw-tail GROUP, SIGTERM during an 8 s answer"
interrupt INT cw-filter -g /r ERROR
fast "cw-filter -g, SIGINT during an 8 s answer"

# A credential_process that hangs is stopped with the command (exec: the
# test signals cw-tail alone, a terminal would signal the whole group).
printf '[profile hang]\ncredential_process = exec sleep 30\n' >"$HOME/.aws/config"
interrupt INT env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY \
	cw-tail --profile hang /r
fast "cw-tail, SIGINT while credential_process hangs"

# The emulator counts a request once it has answered it.
wait_idle 20
is "$(fakeaws_count DescribeLogGroups):$(fakeaws_count FilterLogEvents)" "1:2" \
	"each request reached the emulator once: an interrupt is not retried"
fakeaws_ctl DELETE faults >/dev/null

done_testing
