#!/bin/sh
# cw-tail -f --checkpoint: every event printed exactly once across two
# restarts, while the service throttles, fails and resets about one
# FilterLogEvents call in five and events arrive late and out of order.
# 100 000 events over 5 groups, about 20 s; 20 000 under valgrind (make
# valgrind), where every command runs tens of times slower.
# limit: 400
. "$(dirname "$0")/lib.sh"
start_fakeaws --seed 7
N=100000
if [ -n "${CW_TEST_WRAP:-}" ]; then N=20000; fi
N=${CW_FOLLOW_EVENTS:-$N}
cp=$T/pos

fakeaws_ctl POST faults \
	'{"spec": "throttle=0.1,500=0.05,reset=0.05,op=FilterLogEvents"}' >/dev/null

python3 "$top/tests/t/produce.py" /prod/g 5 "$N" 12 40 &
prod=$!

# start_follower N: cw-tail -f in the background, output to run N.
start_follower() {
	cw-tail -f -o json --lookback 2m --checkpoint "$cp" '/prod/g*' \
		>"$T/run$1" 2>"$T/err$1" &
	tail_pid=$!
}
# stop_follower: SIGTERM; the follower ends with 130 after saving.
stop_follower() {
	kill -TERM "$tail_pid"
	wait "$tail_pid"
	trc=$?
}

lines_in() { # FILE N: FILE holds at least N lines
	[ "$(wc -l <"$1")" -ge "$2" ]
}
wait_count CreateLogGroup 5	# the groups exist: the prefix matches them
start_follower 1
wait_for 60 lines_in "$T/run1" $((N / 10))
stop_follower
is "$trc" 130 "first follower: SIGTERM ends it with 130"
is "$(test -s "$T/run1" && echo printed):$(head -n1 "$cp")" \
	"printed:cwkit-checkpoint 3" "the first follower printed and left its position"
start_follower 2
wait_for 60 lines_in "$T/run2" $((N / 10))
stop_follower
is "$trc" 130 "second follower: SIGTERM ends it with 130"
wait "$prod"
is "$?" 0 "the producer wrote every event"
start_follower 3
# Up to 180 s for the last events, longer under valgrind (make
# valgrind): each poll reads the group's whole look-back window again,
# about 20 000 events in pages of 1 MB, within one budget of calls for
# all five groups (half FilterLogEvents' quota), and one call in five
# fails. The third follower takes 40 to 60 s on two shared cores.
all_printed() { [ "$(cat "$T"/run* | wc -l)" -ge "$N" ]; }
wait_for 180 all_printed
wait_more FilterLogEvents 10 30	# anything repeated would show by now
stop_follower
is "$trc" 130 "third follower: SIGTERM ends it with 130"

fakeaws_ctl DELETE faults >/dev/null
stats=$(fakeaws_ctl GET stats)
faults=$(printf '%s' "$stats" | python3 -c '
import json, sys
c = json.load(sys.stdin)["ops"].get("FilterLogEvents", {})
bad = sum(v for k, v in c.items() if k != "ok")
print(bad >= 4 and c.get("ok", 0) >= 10 and len(c) >= 4)')
is "$faults" True "throttling, 5xx and resets hit many calls; many were answered"

# Every event of the service, by eventId, against what was printed.
res=$(python3 - "$T" "$N" "$top" <<'PY'
import glob, json, os, sys
sys.path.insert(0, sys.argv[3] + "/tests/fakeaws")
import client
t, n = sys.argv[1], int(sys.argv[2])
c = client.Client(os.environ["AWS_ENDPOINT_URL"])
want = set()
for g in range(5):
    tok = None
    while True:
        b = {"logGroupName": "/prod/g%d" % g, "startTime": 0}
        if tok:
            b["nextToken"] = tok
        r = json.loads(c.logs("FilterLogEvents", b).body)
        want.update(e["eventId"] for e in r["events"])
        tok = r.get("nextToken")
        if not tok:
            break
got = []
for f in sorted(glob.glob(t + "/run*")):
    for line in open(f):
        got.append(json.loads(line)["eventId"])
dup = len(got) - len(set(got))
print(len(want), len(got), dup, len(want - set(got)), len(set(got) - want))
PY
)
is "$res" "$N $N 0 0 0" "service events, printed, repeated, missed, unknown"
like "$(cat "$T"/err*)" "retrying until it answers" \
	"an outage is reported on stderr"
done_testing
