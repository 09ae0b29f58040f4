#!/bin/sh
# Retries: throttling, 5xx and resets are retried; the rest is not;
# a skewed clock is corrected once.
. "$(dirname "$0")/lib.sh"
start_fakeaws
python3 "$top/tests/t/awscall.py" logs CreateLogGroup '{"logGroupName":"/r"}' >/dev/null


retried() { # DESC FAULTS... : the faults, then success within the attempts
	d=$1; shift
	before=$(fakeaws_count DescribeLogGroups)
	list=$(printf '"%s",' "$@")
	fakeaws_ctl POST faults "{\"next\":[${list%,}]}" >/dev/null
	run cw-tail --list-groups
	is "$rc:$out" "0:$(printf '/r\tnever\t0')" "$d: retried until it succeeded"
	is "$(( $(fakeaws_count DescribeLogGroups) - before ))" "$(( $# + 1 ))" "$d: one request per attempt"
}

export AWS_MAX_ATTEMPTS=3
retried "ThrottlingException" throttle
retried "500 and 503" 500 503
retried "connection reset" reset

fakeaws_ctl POST faults '{"next":["throttle","throttle","throttle"]}' >/dev/null
run cw-tail --list-groups
is "$rc" 2 "throttled past AWS_MAX_ATTEMPTS: exit 2"
like "$err" '^cw-tail: ThrottlingException' "throttled past AWS_MAX_ATTEMPTS: the last error"
fakeaws_ctl POST faults '{"next":[]}' >/dev/null

before=$(fakeaws_count DescribeLogGroups)
run cw-tail --list-groups --region bad_region
is "$(fakeaws_count DescribeLogGroups)" "$before" "a local error sends nothing"

before=$(fakeaws_count DescribeLogGroups)
fakeaws_ctl POST faults '{"spec":"latency=2500ms"}' >/dev/null
run env AWS_MAX_ATTEMPTS=2 cw-tail --cli-read-timeout 0.5 --list-groups
is "$rc" 2 "read timeout: exit 2 after the attempts"
like "$err" '^cw-tail: http://127\.0\.0\.1:[0-9]+/: .*[Tt]ime(out|d out)' "read timeout: said"
wait_idle
is "$(( $(fakeaws_count DescribeLogGroups) - before ))" 2 "a timeout is retried"
fakeaws_ctl DELETE faults >/dev/null

run cw-tail --cli-read-timeout abc --list-groups
is "$err" "cw-tail: --cli-read-timeout 'abc': expected seconds, more than 0 and at most 86400" "bad timeout value"

fakeaws_ctl POST clock '{"skew": 900}' >/dev/null
run cw-tail --debug --list-groups
is "$rc" 0 "a 15-minute clock skew is corrected"
like "$err" 'clock skew: correcting by (89[0-9]|90[0-9]) s' "the correction is traced"
fakeaws_ctl POST clock '{"skew": 0}' >/dev/null

done_testing
