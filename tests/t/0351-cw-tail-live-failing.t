#!/bin/sh
# cw-tail --live: when restarting an ended session keeps failing, stderr
# says so at once, then at most once a minute, and the restarts are paced.
. "$(dirname "$0")/lib.sh"
start_fakeaws
python3 "$top/tests/t/liveput.py" setup /live/g 1
fakeaws_ctl POST options '{"live_tail_interval": 0.2, "live_tail_timeout": 0.5}' >/dev/null
# The first session starts; every restart answers 500.
fakeaws_ctl POST faults "{\"next\": [\"ok@StartLiveTail\"$(printf ', "500@StartLiveTail"%.0s' $(seq 40))]}" >/dev/null
wait=4
if [ -n "${CW_TEST_WRAP:-}" ]; then wait=8; fi

fakeaws_ctl DELETE stats >/dev/null
res=$(python3 "$top/tests/t/interrupt.py" "$wait" INT "$T/out" "$T/err" \
	cw-tail --live /live/g0)
is "${res% *}" 130 "SIGINT: exit 130"
starts=$(fakeaws_count StartLiveTail)
check "StartLiveTail: $starts in $wait s, 2 to 6" \
	test "$starts" -ge 2 -a "$starts" -le 6
is "$(grep -c . "$T/err")" 1 "one line on stderr in $wait s"
like "$(cat "$T/err")" '^cw-tail: live tail: restarting a session failed \(InternalFailure: [^)]*\): trying again$' \
	"it says the restart fails, at once"

done_testing
