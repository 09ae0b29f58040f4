#!/bin/sh
# cw-alarm-diff --check over every stack and environment of alarms/ in an
# account that has none of what their READMEs say must exist: every SNS
# topic an alarm notifies is named as missing, on the alarm's line, and
# every metric an alarm reads is missing.
. "$(dirname "$0")/lib.sh"
start_fakeaws
n=0
for envf in "$top"/alarms/*/env/*.json; do
	[ -f "$envf" ] || continue
	dir=${envf%/env/*}
	e=$(basename "$envf" .json)
	stack=${dir#$top/}/$e
	n=$((n + 1))
	run cw-alarm-diff --check -e "$e" "$dir"
	is "$rc" 1 "$stack: problems found: exit 1"
	missing=$(printf '%s\n' "$out" | grep -c ': the topic does not exist')
	check "$stack: missing topics reported ($missing lines)" test "$missing" -ge 1
	unreported=$(printf '%s\n' "$out" | grep '^alarm ' | grep -v -c 'does not exist\|no subscription\|not in the region\|another region' || :)
	is "$unreported" 0 "$stack: every action problem is a missing topic"
	okm=$(printf '%s\n' "$out" | grep -c '^ok alarm ' || :)
	is "$okm" 0 "$stack: no metric exists yet"
	like "$out" '^missing alarm ' "$stack: the metrics named as missing"
	is "$err" "" "$stack: nothing on stderr"
done
check "stacks tried: $n" test "$n" -ge 8
done_testing
