#!/bin/sh
# cw-tail --live: Live Tail sessions (10 groups each) print what is put
# while they are open, once; an ended or dropped session is resumed and
# its gap read again with FilterLogEvents; a bad frame is an error; a
# refused session falls back to polling; sampling is told once; SIGINT
# ends it at once.
. "$(dirname "$0")/lib.sh"
start_fakeaws
put() { python3 "$top/tests/t/liveput.py" "$@"; }
arn=arn:aws:logs:us-east-1:123456789012:log-group
lines_at_least() { [ "$(wc -l <"$T/o")" -ge "$1" ]; }
tagged_at_least() { [ "$(grep -c "\"message\":\"$1 " "$T/o")" -ge "$2" ]; }
filtered() { [ "$(fakeaws_count FilterLogEvents)" -ge "$1" ]; }
# live ARGS...: cw-tail --live in the background, output in $T/o, $T/e.
live() {
	fakeaws_ctl DELETE stats >/dev/null
	interruptible cw-tail --live "$@" >"$T/o" 2>"$T/e" &
	pid=$!
}
stop_live() {
	kill -TERM "$pid"
	wait "$pid"
	lrc=$?
}
# The bodies of the StartLiveTail requests the emulator answered.
requests() {
	fakeaws_ctl GET stats | python3 -c '
import json, sys
for r in json.load(sys.stdin)["requests"]:
    if r["op"] == "StartLiveTail":
        print(r["body"])'
}
# messages FILE [TAG]: the messages of -o json lines (those of TAG),
# sorted.
messages() { python3 -c '
import json, sys
m = [json.loads(l)["message"] for l in open(sys.argv[1])]
print("\n".join(sorted(x for x in m if x.startswith(sys.argv[2]))))' "$1" "${2:-}"; }

put setup /live/g 2
put setup /many/g 12
fakeaws_ctl POST options '{"live_tail_interval": 0.2}' >/dev/null

# stderr_has ERE: stderr of the last live run matches.
stderr_has() { grep -Eq -- "$1" "$T/e"; }

# --- usage -----------------------------------------------------------------
run cw-tail --live --until 1m /live/g0
is "$rc:$err" "2:cw-tail: --until: not with --live" "--live --until: usage error"
run cw-tail --live -n 5 /live/g0
is "$rc:$err" "2:cw-tail: -n: not with --live" "--live -n: usage error"
run cw-tail --live --checkpoint "$T/cp" /live/g0
is "$rc:$err" "2:cw-tail: --checkpoint: not with --live" \
	"--live --checkpoint: usage error"

run cw-tail --live --list-groups
is "$rc:$err" "2:cw-tail: --live: not with --list-groups" \
	"--live --list-groups: usage error"

# --- events of two groups, with a filter pattern ---------------------------
live -o json --filter ERROR /live/g0 /live/g1
wait_for 10 filtered 2
put put /live/g 2 4 0.4 ERROR >/dev/null
put put /live/g 2 2 0.1 INFO >/dev/null
wait_for 10 lines_at_least 4
sleep 1		# anything repeated would show by now
stop_live
is "$lrc" 130 "SIGTERM ends --live with 130"
is "$(messages "$T/o")" "ERROR /live/g0 0
ERROR /live/g0 2
ERROR /live/g1 1
ERROR /live/g1 3" "the matching events of both groups, once each"
wait_idle	# the emulator records a stream when it ends
is "$(requests)" "{\"logGroupIdentifiers\":[\"$arn:/live/g0\",\"$arn:/live/g1\"],\"logEventFilterPattern\":\"ERROR\"}" \
	"one StartLiveTail naming both ARNs and the pattern"
is "$(cat "$T/e")" "" "nothing on stderr"

# --- the --since window first, as -f does ------------------------------------
live -o json --since 1h /live/g0 /live/g1
wait_for 10 lines_at_least 6
sleep 1		# anything repeated would show by now
stop_live
is "$(messages "$T/o")" "ERROR /live/g0 0
ERROR /live/g0 2
ERROR /live/g1 1
ERROR /live/g1 3
INFO /live/g0 0
INFO /live/g1 1" "the window before the session is read first, once"

# --- sessions that end and connections that drop are resumed ---------------
# resumed DESC: what was put while cw-tail ran was printed once each.
resumed() {
	wait_for 20 tagged_at_least "$2" "$(wc -l <"$T/put")"
	sleep 1	# anything repeated would show by now
	stop_live
	is "$(messages "$T/o" "$2 ")" "$(sort "$T/put")" "$1: every event put, once"
	like "$(cat "$T/e")" "^cw-tail: live tail session ended \\(" \
		"$1: the resumption is told on stderr"
	check "$1: FilterLogEvents read the gap" filtered 3
}
fakeaws_ctl POST options '{"live_tail_timeout": 1.5}' >/dev/null
live -o json /live/g0 /live/g1
wait_for 10 filtered 2
put put /live/g 2 60 5 T >"$T/put"
resumed "sessions of 1.5 s" T
like "$(cat "$T/e")" "SessionTimeoutException" "the timeout is named"
check "several sessions were started" test "$(requests | wc -l)" -ge 3

fakeaws_ctl POST options '{"live_tail_timeout": 3600}' >/dev/null
fakeaws_ctl DELETE stats >/dev/null
fakeaws_ctl POST faults '{"next": ["drop@StartLiveTail"]}' >/dev/null
live -o json /live/g0 /live/g1
wait_for 10 filtered 2
put put /live/g 2 20 2 D >"$T/put"
resumed "a dropped connection" D

# --- bad frames --------------------------------------------------------------
fakeaws_ctl POST faults '{"next": ["badcrc@StartLiveTail"]}' >/dev/null
run cw-tail --live /live/g0
is "$rc" 2 "a frame with a bad CRC: exit 2"
like "$err" '^cw-tail: event stream: message 3 at byte [0-9]+: message CRC mismatch \(frame says 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\)$' \
	"a bad CRC: one line that says so"
# (a body cut inside a frame is a dropped session: 0361)

# --- refused: polling instead -------------------------------------------------
fakeaws_ctl POST faults '{"next": ["denied@StartLiveTail"]}' >/dev/null
live -o json /live/g0
wait_for 10 filtered 1
put put /live/g 1 2 0.1 P >"$T/put"
wait_for 20 tagged_at_least P 2
sleep 1		# anything repeated would show by now
stop_live
is "$(messages "$T/o" "P ")" "$(sort "$T/put")" "refused: the events are polled"
is "$(grep -c . "$T/e"):$(cat "$T/e")" "1:cw-tail: live tail refused (AccessDeniedException: User: arn:aws:iam::123456789012:user/fakeaws is not authorized to perform: logs:StartLiveTail): polling instead" \
	"refused: one notice"

# --- more than 10 groups: two sessions ----------------------------------------
live -o json '/many/g*'
wait_for 10 filtered 12
put put /many/g 12 12 0.5 M >"$T/put"
wait_for 10 lines_at_least 12
stop_live
is "$(messages "$T/o")" "$(sort "$T/put")" "12 groups: the events of each"
wait_idle
is "$(requests | python3 -c '
import json, sys
print(" ".join(str(len(json.loads(l)["logGroupIdentifiers"])) for l in sys.stdin))' | tr ' ' '\n' | sort -n | tr '\n' ' ')" \
	"2 10 " "12 groups: two StartLiveTail sessions, of 10 and 2"

# --- sampled -------------------------------------------------------------------
fakeaws_ctl POST options '{"live_tail_interval": 1}' >/dev/null
live -o raw /live/g0
wait_for 10 filtered 1
put put /live/g 1 3000 2 S 600 >/dev/null
wait_for 10 stderr_has sampling
sleep 1		# anything repeated would show by now
stop_live
is "$(grep -c 'sampling' "$T/e")" 1 "sampled results: told once"
like "$(cat "$T/e")" "^cw-tail: live tail: the service is sampling the results" \
	"the warning says what happens"
check "fewer events than were put" test "$(wc -l <"$T/o")" -lt 3000

# --- SIGINT -----------------------------------------------------------------------
wait=1 limit=300
if [ -n "${CW_TEST_WRAP:-}" ]; then wait=5 limit=10000; fi
res=$(python3 "$top/tests/t/interrupt.py" "$wait" INT "$T/out" "$T/err" \
	cw-tail --live /live/g0 /live/g1)
is "${res% *}:$(cat "$T/err")" "130:" "SIGINT: exit 130, nothing on stderr"
check "SIGINT: exited ${res#* } ms after the signal (limit $limit)" \
	test "${res#* }" -le "$limit"

done_testing
