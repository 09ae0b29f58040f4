#!/bin/sh
# cw-tail --live: a body cut inside a frame is one thing however it
# ends (closed cleanly, reset, or stalled with no --cli-read-timeout):
# the session is resumed and its gap read again; the stream's
# initial-response frame is skipped; requests checked against the model.
# limit: 200
. "$(dirname "$0")/lib.sh"
start_fakeaws
put() { python3 "$top/tests/t/liveput.py" "$@"; }
tagged_at_least() { [ "$(grep -c "\"message\":\"$1 " "$T/o")" -ge "$2" ]; }
filtered() { [ "$(fakeaws_count FilterLogEvents)" -ge "$1" ]; }
messages() { python3 -c '
import json, sys
m = [json.loads(l)["message"] for l in open(sys.argv[1])]
print("\n".join(sorted(x for x in m if x.startswith(sys.argv[2]))))' "$1" "$2"; }

put setup /mid/g 1
fakeaws_ctl POST options '{"live_tail_interval": 0.2}' >/dev/null

# cut KIND TAG SECONDS DESC: a session whose first update is cut by the
# fault KIND; events put over SECONDS are each printed once.
cut() {
	fakeaws_ctl DELETE stats >/dev/null
	fakeaws_ctl POST faults "{\"next\": [\"$1@StartLiveTail\"]}" >/dev/null
	interruptible cw-tail --live -o json /mid/g0 >"$T/o" 2>"$T/e" &
	pid=$!
	wait_for 10 filtered 1
	put put /mid/g 1 8 "$3" "$2" >"$T/put"
	wait_for 60 tagged_at_least "$2" 8
	# cw-tail reads the gap once the resumed session has started; that
	# session is counted only when it ends, after the stop below.
	wait_for 10 filtered 2
	sleep 1		# anything repeated would show by now
	kill -TERM "$pid"
	wait "$pid"
	is "$?" 130 "$4: still running until stopped"
	# The emulator notices the client gone at its next frame; until then
	# the resumed session is neither counted nor out of the next cut's.
	wait_idle
	is "$(messages "$T/o" "$2 ")" "$(sort "$T/put")" "$4: every event put, once"
	like "$(cat "$T/e")" "^cw-tail: live tail session ended \\($5" \
		"$4: the resumption is told on stderr"
	is "$(fakeaws_count StartLiveTail)" 2 "$4: a second StartLiveTail"
	check "$4: FilterLogEvents read the gap" filtered 2
}

cut truncate C 2 "a body ended cleanly inside a frame" \
	"event stream: message 3 at byte [0-9]+: truncated frame"
cut resetmid R 2 "a connection reset inside a frame" ""
start=$(date +%s)
cut stall S 18 "a stream stalled inside a frame, no --cli-read-timeout" ""
took=$(($(date +%s) - start))
check "the stall was noticed within 15 s (all took $took s)" test "$took" -lt 60

is "$(model_check StartLiveTail FilterLogEvents)" "" \
	"every request as the Logs model allows"

done_testing
