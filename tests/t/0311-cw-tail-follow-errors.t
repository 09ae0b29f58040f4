#!/bin/sh
# cw-tail: -n, the UTC offset, group prefixes, and the bad inputs of
# follow mode: each a one-line error and exit 2.
. "$(dirname "$0")/lib.sh"
start_fakeaws
export AWS_MAX_ATTEMPTS=1
now=$(($(date +%s) * 1000))
put() { # GROUP TS-OFFSET MESSAGE
	call CreateLogGroup "{\"logGroupName\":\"$1\"}" 2>/dev/null
	call CreateLogStream "{\"logGroupName\":\"$1\",\"logStreamName\":\"s\"}" 2>/dev/null
	call PutLogEvents "{\"logGroupName\":\"$1\",\"logStreamName\":\"s\",\"logEvents\":[{\"timestamp\":$((now - $2)),\"message\":\"$3\"}]}"
}
put /app/a 5000 a1
put /app/b 4000 b1
put /app/a 3000 a2
put /app/b 2000 b2
put /other 1000 o1

run cw-tail -o raw '/app/*'
is "$out:$rc" "a1
b1
a2
b2:0" "PREFIX*: every group with the prefix, merged in time order"
run cw-tail -o raw -n 2 '/app/*'
is "$out:$rc" "a2
b2:0" "-n 2: the last two events of the window"
run cw-tail -o raw -s 1h -u 0s /other
is "$out:$rc" "o1:0" "-s and -u are --since and --until"
run env TZ=Asia/Kolkata cw-tail -o short /other
like "$out" "^[0-9-]* [0-9:.]*\+05:30 s o1$" "short: local time with its UTC offset"
run env TZ=Asia/Kolkata cw-tail -o short --utc /other
like "$out" "^[0-9-]* [0-9:.]* s o1$" "short --utc: UTC, no offset"

one_line() { # RC ERR WHAT
	is "$rc:$(printf '%s\n' "$err" | wc -l | tr -d ' ')" "2:1" "$3: exit 2, one line"
}
fakeaws_ctl DELETE stats >/dev/null
run cw-tail -f /nope
one_line "$rc" "$err" "-f on an unknown group"
is "$err" "cw-tail: log group /nope: ResourceNotFoundException: The specified log group does not exist." \
	"the unknown group is named"
run cw-tail -f --filter '{ $.a = }' /other
is "$rc:$(fakeaws_count FilterLogEvents)" "2:1" \
	"a pattern syntax error: exit 2, no request beyond the one before"
like "$err" "column 9" "the pattern error points at the column"
printf 'cwkit-checkpoint 1\ngroup /other 5\nend 1 0 deadbeef\n' >"$T/cp"
sum=$(cksum <"$T/cp")
fakeaws_ctl DELETE stats >/dev/null
run cw-tail -f --checkpoint "$T/cp" /other
one_line "$rc" "$err" "a corrupt checkpoint"
like "$err" "checkpoint" "the error names the checkpoint"
is "$(cksum <"$T/cp"):$(fakeaws_count FilterLogEvents)" "$sum:0" \
	"the corrupt checkpoint is left as it was; nothing read"
run cw-tail --since 1h --until 2h /other
one_line "$rc" "$err" "--since after --until"
run cw-tail -f -n 3 --since 1h /other
one_line "$rc" "$err" "-n with -f and a window"
run cw-tail -f --until 1h /other
one_line "$rc" "$err" "-f with --until"
run cw-tail --checkpoint "$T/cp" /other
one_line "$rc" "$err" "--checkpoint without -f"
run cw-tail --lookback 2d -f /other
one_line "$rc" "$err" "--lookback past a day"
run cw-tail '/nomatch*'
one_line "$rc" "$err" "a prefix no group has"
fakeaws_ctl POST faults '{"next": ["html"]}' >/dev/null
run cw-tail /other
one_line "$rc" "$err" "a server that answers HTML"

# An outage: one line when it starts, one when it ends; events still come.
fakeaws_ctl POST faults '{"next": ["500@FilterLogEvents", "reset@FilterLogEvents", "throttle@FilterLogEvents"]}' >/dev/null
cw-tail -f -o raw /other >"$T/f.out" 2>"$T/f.err" &
pid=$!
wait_for 15 grep -q "answers again" "$T/f.err"
put /other 0 o2
wait_for 10 grep -q o2 "$T/f.out"
kill -TERM "$pid"
wait "$pid"
is "$?" 130 "SIGTERM ends -f with 130"
is "$(cat "$T/f.out")" "o1
o2" "after the outage, the old event once and the new one"
is "$(grep -c 'retrying until it answers' "$T/f.err"):$(grep -c 'answers again' "$T/f.err"):$(wc -l <"$T/f.err" | tr -d ' ')" \
	"1:1:2" "one line when the outage starts, one when it ends"
like "$(head -n 1 "$T/f.err")" \
	"^cw-tail: log group /other: InternalFailure: .*: retrying until it answers\$" \
	"the outage names its group once, and why"
# Under valgrind (make valgrind) start-up and exit are slow.
wait=2 limit=2000
if [ -n "${CW_TEST_WRAP:-}" ]; then wait=8 limit=20000; fi
res=$(python3 "$top/tests/t/interrupt.py" "$wait" INT "$T/i.out" "$T/i.err" \
	cw-tail -f -o raw /other)
is "${res% *}:$(cat "$T/i.out")" "130:o1
o2" "SIGINT ends -f with 130, the events printed"
check "SIGINT: -f ends within $limit ms (${res#* } ms)" test "${res#* }" -le "$limit"
# A reader that goes away: -f ends quietly at its next line.
timeout 30 sh -c 'cw-tail -f -o raw /other 2>"$1"; echo $? >"$2"' sh \
	"$T/p.err" "$T/p.rc" | head -n1 >"$T/p.out" &
pp=$!
wait_for 10 test -s "$T/p.out"
wait_for 5 gone "$pp"	# the reader is gone: the next line meets a closed pipe
put /other 0 o3
wait "$pp"
# (valgrind's own report of a process killed by a signal is left out)
is "$(cat "$T/p.out"):$(cat "$T/p.rc"):$(grep -v '^==[0-9]*==' "$T/p.err")" "o1:141:" \
	"SIGPIPE: -f ends at its next line, killed by the signal, nothing on stderr"
done_testing
