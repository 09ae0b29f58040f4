#!/bin/sh
# cw-tail -f on a busy group: 500 events a second for 70 s, a fifth of
# them 1 to 8 s late. Each event is printed once. The group is polled
# every 5 s; most polls read back only what came since the last one
# (under 13 s); every quarter window (7.5 s, so every other poll) a
# sweep reads back as far as events come late (about 25 s), but for the
# first window, when the lateness is not known yet, where it reads the
# whole window; the whole window once a window. --debug tells the
# FilterLogEvents calls a minute.
# limit: 300
. "$(dirname "$0")/lib.sh"
start_fakeaws --seed 3
SECS=70
RATE=500

# Puts RATE events a second into /busy/g for SECS s, in batches each
# half second, and gathers what the emulator's request log (the last
# 200 requests) shows of FilterLogEvents as it goes: the time of each
# first page asked and its startTime, in $T/reads.
python3 - "$top" "$T" "$SECS" "$RATE" >"$T/put.out" 2>&1 <<'PY' &
import json, os, random, sys, time, urllib.request
sys.path.insert(0, sys.argv[1] + "/tests/fakeaws")
import client
T, secs, rate = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
c = client.Client(os.environ["AWS_ENDPOINT_URL"])
c.logs("CreateLogGroup", {"logGroupName": "/busy/g"})
c.logs("CreateLogStream", {"logGroupName": "/busy/g", "logStreamName": "s"})
open(T + "/ready", "w").close()
while not os.path.exists(T + "/started"):
    time.sleep(0.05)
rnd = random.Random(5)
reads, seq, start = {}, 0, time.time()
def gather():
    url = os.environ["AWS_ENDPOINT_URL"] + "/__fakeaws/stats"
    with urllib.request.urlopen(url, timeout=10) as r:
        for q in json.load(r)["requests"]:
            if q["op"] != "FilterLogEvents":
                continue
            b = json.loads(q["body"])
            if "nextToken" not in b:
                reads[(q["time"], q["body"])] = (q["time"], b.get("startTime", 0))
for k in range(secs * 2):
    now = int(time.time() * 1000)
    ts = sorted(now - (rnd.randrange(1000, 8000) if rnd.random() < 0.2
                       else rnd.randrange(0, 500)) for _ in range(rate // 2))
    evs = [{"timestamp": t, "message": "seq %d" % (seq + i)}
           for i, t in enumerate(ts)]
    r = c.logs("PutLogEvents", {"logGroupName": "/busy/g",
                                "logStreamName": "s", "logEvents": evs})
    assert r.status == 200, r.body
    seq += len(evs)
    gather()
    wait = start + (k + 1) / 2 - time.time()
    if wait > 0:
        time.sleep(wait)
gather()
json.dump({"start": start, "put": seq, "reads": sorted(reads.values())},
          open(T + "/reads", "w"))
PY
prod=$!
wait_for 10 test -e "$T/ready"
cw-tail -f --debug -o json --lookback 30s /busy/g >"$T/out" 2>"$T/err" &
tail_pid=$!
touch "$T/started"
wait "$prod"
is "$?" 0 "the producer put every event"
N=$((SECS * RATE))
all_printed() { [ "$(wc -l <"$T/out")" -ge "$N" ]; }
wait_for 60 all_printed
wait_more FilterLogEvents 5 30	# anything repeated would show by now
kill -TERM "$tail_pid"
wait "$tail_pid"
is "$?" 130 "SIGTERM ends the follower with 130"

res=$(python3 - "$T/out" "$N" <<'PY'
import json, sys
seqs = [int(json.loads(l)["message"].split()[1]) for l in open(sys.argv[1])]
n = int(sys.argv[2])
print(len(seqs), len(seqs) - len(set(seqs)), len(set(range(n)) - set(seqs)))
PY
)
is "$res" "$N 0 0" "events printed, repeated, missed"
unlike "$(cat "$T/err")" "printed twice" "no warning that events may repeat"

# Each poll (a first page) as: seconds since the start, how far back it
# read in seconds.
python3 - "$T/reads" >"$T/polls" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for t, start in r["reads"]:
    print("%.1f %.1f" % (t - r["start"], t - start / 1000))
PY
diag "polls (time back): $(tr '\n' ',' <"$T/polls" | head -c 1500)"
gaps=$(awk 'NR > 2 && $1 - prev < 4.5 { n++ } { prev = $1 } END { print n + 0 }' "$T/polls")
is "$gaps" 0 "after the first poll, the busy group is polled every 5 s"
n=$(awk '$1 >= 5' "$T/polls" | wc -l)
check "about 13 polls in 65 s ($n)" [ "$n" -ge 10 -a "$n" -le 14 ]
first=$(awk '$1 < 25 && $2 >= 13 && $2 < 30' "$T/polls" | wc -l)
is "$first" 0 "the first window, a sweep reads the whole look-back"
tail=$(awk '$1 >= 35 && $2 < 13' "$T/polls" | wc -l)
sweep=$(awk '$1 >= 35 && $2 >= 13 && $2 < 30' "$T/polls" | wc -l)
full=$(awk '$1 >= 35 && $2 >= 30' "$T/polls" | wc -l)
late=$(awk '$1 >= 35' "$T/polls" | wc -l)
check "then most polls read back what came since the last one ($tail of $late)" \
	[ "$tail" -ge 3 ]
check "a sweep reads back past the lateness, up to the window ($sweep)" \
	[ "$sweep" -ge 1 ]
check "the whole window once a window ($full of $late polls)" \
	[ "$full" -ge 1 -a "$full" -le 2 ]
like "$(cat "$T/err")" \
	"cw-tail: debug: follow: /busy/g: a minute: [0-9]+ FilterLogEvents calls in [0-9]+ polls" \
	"--debug tells the calls a minute"
done_testing
