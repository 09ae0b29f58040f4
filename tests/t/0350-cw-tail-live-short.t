#!/bin/sh
# cw-tail --live: sessions that end as soon as they start are restarted
# after a growing pause (FilterLogEvents, which reads each gap, is a quota
# the whole account shares), told once on stderr; SIGINT during a pause
# still ends it at once.
. "$(dirname "$0")/lib.sh"
start_fakeaws
python3 "$top/tests/t/liveput.py" setup /live/g 1
fakeaws_ctl POST options '{"live_tail_interval": 0.2, "live_tail_end_after": 0}' >/dev/null
wait=4 limit=300
if [ -n "${CW_TEST_WRAP:-}" ]; then wait=8 limit=10000; fi
# count OP: the requests for OP the emulator answered.
count() { fakeaws_count "$1"; }

fakeaws_ctl DELETE stats >/dev/null
res=$(python3 "$top/tests/t/interrupt.py" "$wait" INT "$T/out" "$T/err" \
	cw-tail --live /live/g0)
sleep 0.3	# the emulator records a stream when it ends
is "${res% *}" 130 "SIGINT: exit 130"
check "SIGINT during a pause: exited ${res#* } ms after it (limit $limit)" \
	test "${res#* }" -le "$limit"
starts=$(count StartLiveTail) filters=$(count FilterLogEvents)
# Pauses of 0.5-1, 1-2, 2-4 s: at most 4 sessions in 4 s.
check "StartLiveTail: $starts in $wait s, 2 to 5" \
	test "$starts" -ge 2 -a "$starts" -le 5
check "FilterLogEvents: $filters in $wait s, at most 5" test "$filters" -le 5
is "$(grep -c . "$T/err")" 1 "one line on stderr for the run of short sessions"
like "$(cat "$T/err")" '^cw-tail: live tail session ended \(SessionStreamingException: The session was ended by the service\.\) right after its start: resumed, events since .* read again; those that end as soon are resumed quietly, after pauses of up to 30 s$' \
	"the line says what happens"

done_testing
