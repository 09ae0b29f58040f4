#!/bin/sh
# cw-alarm-apply at a terminal: it asks before writing, "n" writes
# nothing, "y" applies with a progress line on stderr.
. "$(dirname "$0")/lib.sh"
start_fakeaws
fix=$top/tests/t/alarms-fixtures

writes() {
	fakeaws_ctl GET stats | python3 -c '
import json, sys
ops = json.load(sys.stdin)["ops"]
print(sum(sum(ops.get(o, {}).values()) for o in ("PutMetricAlarm",
    "PutCompositeAlarm", "DeleteAlarms", "TagResource", "UntagResource",
    "PutMetricFilter", "DeleteMetricFilter")))'
}
AWS_REGION=eu-west-2 python3 "$top/tests/t/awscall.py" logs CreateLogGroup \
	'{"logGroupName": "/shop/staging/api"}' >/dev/null

tty_apply() { # ANSWER
	out=$(python3 "$top/tests/t/termrun.py" --cols 100 --input "$1
" cw-alarm-apply --rate 100 -e staging "$fix/shop" 2>&1)
	rc=$?
}

fakeaws_ctl DELETE stats >/dev/null
tty_apply n
is "$rc" 2 "answering no: exit 2"
like "$out" 'Apply [0-9]+ write calls\? \[y/N\]' "it asks first, with the count"
like "$out" 'cw-alarm-apply: not applied' "...and says it did not apply"
is "$(writes)" 0 "no write call reached the service"

tty_apply y
is "$rc" 0 "answering yes: exit 0"
like "$out" "$(printf '\r\033\\[K')\\[1/[0-9]+\\] " "a progress line, redrawn in place"
like "$out" 'Applied: ([0-9]+) of \1 calls done' "all calls done"
ok_writes=$(writes)
is "$([ "$ok_writes" -gt 0 ] && echo yes)" yes "the write calls reached the service ($ok_writes)"

run cw-alarm-diff -e staging "$fix/shop"
is "$rc" 0 "the account now matches: cw-alarm-diff exit 0"
done_testing
