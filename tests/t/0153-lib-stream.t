#!/bin/sh
# The client's streaming call against Live Tail: data goes to the caller
# as it comes; an error answer is decoded, never streamed; a failure
# before any data is retried, and a signal ends a stream at once.
. "$(dirname "$0")/lib.sh"
start_fakeaws
python3 "$top/tests/t/awscall.py" logs CreateLogGroup '{"logGroupName":"/s"}' >/dev/null
arn=arn:aws:logs:us-east-1:123456789012:log-group:/s
req="{\"logGroupIdentifiers\":[\"$arn\"]}"
PATH=$top/tests/helper:$PATH
[ -n "${CW_TEST_WRAP:-}" ] && PATH=$T/wrap:$PATH

fakeaws_ctl POST options '{"live_tail_timeout": 1, "live_tail_interval": 0.2}' >/dev/null
run test-stream "$req"
is "$rc" 0 "a stream that ends: exit 0"
like "$out" '^status=200 delivered=[1-9][0-9]*$' "its frames reached the caller"

run test-stream '{"logGroupIdentifiers":["arn:aws:logs:us-east-1:123456789012:log-group:/missing"]}'
is "$rc:$out" "2:" "an error answer: failure, nothing streamed"
like "$err" '^test-stream: ResourceNotFoundException: ' "the error body is decoded"

before=$(fakeaws_count StartLiveTail)
fakeaws_ctl POST faults '{"next":["throttle@StartLiveTail","500@StartLiveTail"]}' >/dev/null
run test-stream "$req"
like "$rc:$out" '^0:status=200 delivered=[1-9]' "throttled, then a 500: retried to a stream"
is "$(( $(fakeaws_count StartLiveTail) - before ))" 3 "three requests reached the emulator"

run test-stream --stop-after 1 "$req"
like "$rc:$out" '^0:status=200 delivered=[1-9]' "the caller stops the stream: success"

# Under valgrind (make valgrind) the time is checked loosely.
wait=1 limit=200
if [ -n "${CW_TEST_WRAP:-}" ]; then wait=5 limit=10000; fi
fakeaws_ctl POST options '{"live_tail_timeout": 60}' >/dev/null
res=$(python3 "$top/tests/t/interrupt.py" "$wait" INT "$T/out" "$T/err" \
	test-stream "$req")
is "${res% *}:$(cat "$T/err")" "130:" "SIGINT in a stream: exit 130, nothing on stderr"
check "SIGINT in a stream: exited ${res#* } ms after the signal (limit $limit)" \
	test "${res#* }" -le "$limit"

done_testing
