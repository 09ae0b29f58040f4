#!/usr/bin/env bash
# bench/tail.sh: cw-tail against the local emulator, side by side with
# `aws logs tail` (AWS CLI v2, Debian's awscli package, or AWS_CLI=path)
# in the same run.
#
# usage: bench/tail.sh [-e EVENTS] [-g GROUPS] [-i IDLE_S] [-l N] [-r RUNS]
#                      [-b BUSY_S] [-R RATE,RATE] [-c CASES]
#   -e EVENTS  events of the one-shot tail (default 100000)
#   -g GROUPS  idle groups followed (default 50)
#   -i IDLE_S  how long the idle follow is measured (default 60)
#   -l N       latency samples, the median is kept (default 9)
#   -r RUNS    timed runs of each one-shot tail (default 10)
#   -b BUSY_S  how long the busy follow lasts, at least 90 (default 360,
#              or $BUSY_SECS)
#   -R RATES   events a second put into each of the two busy groups
#              (default 250,250: the 500 a second in all of the goals)
#   -c CASES   the cases run, of oneshot,idle,latency,busy (default all)
#
# Prints: the floor (the peak RSS of a bare program that loads libcurl);
# one-shot client CPU and peak RSS of both tools; CPU share and RSS of
# following GROUPS idle groups; the median delay from a put to the line
# on cw-tail -f's output, and on cw-tail --live's; following two busy
# groups (RATES events a second, a fifth of them 1 to 20 s late), side by
# side: FilterLogEvents calls a minute and CPU share after the first
# minute, RSS at one minute and at the end, events put and printed
# (distinct, repeated, missed), of cw-tail -f and of `aws logs tail
# --follow` on the same load. Exit 0 when every goal is
# met, 1 when one is missed, 2 on a setup error.
# In a session of its own (tests/run-in-session): whatever the bench
# starts ends with it, and a survivor is named and fails the run.
[ -n "${CW_SESSION:-}" ] || CW_SESSION=1 exec python3 \
	"$(dirname "$0")/../tests/run-in-session" sh "$0" "$@"
set -u
export LC_ALL=C
top=$(cd "$(dirname "$0")/.." && pwd)
cwt=${CW_TAIL:-$top/bin/cw-tail}
events=100000 groups=50 idle=60 lat=9 runs=10 busy=${BUSY_SECS:-360}
rates=250,250
cases=oneshot,idle,latency,busy

while getopts e:g:i:l:r:b:R:c:h o; do
	case $o in
	e) events=$OPTARG ;; g) groups=$OPTARG ;; i) idle=$OPTARG ;;
	l) lat=$OPTARG ;; r) runs=$OPTARG ;; b) busy=$OPTARG ;;
	c) cases=$OPTARG ;; R) rates=$OPTARG ;;
	h) sed -n '/^# usage:/,/^# line/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) exit 2 ;;
	esac
done
for n in "$events" "$groups" "$idle" "$lat" "$runs" "$busy"; do
	case $n in
	'' | *[!0-9]* | 0) echo "tail.sh: $n: expected a count of 1 or more" >&2; exit 2 ;;
	esac
done
[ "$busy" -ge 90 ] || { echo "tail.sh: -b $busy: the busy follow lasts at least 90 s" >&2; exit 2; }
case $rates in
[1-9]*,[1-9]*) case ${rates#*,} in *[!0-9]*) rates=bad ;; esac
	case ${rates%%,*} in *[!0-9]*) rates=bad ;; esac ;;
*) rates=bad ;;
esac
[ "$rates" != bad ] || { echo "tail.sh: -R: expected two rates, e.g. 250,250" >&2; exit 2; }
# want CASE: CASE is among those asked for.
want() { case ,$cases, in *,$1,*) return 0 ;; *) return 1 ;; esac; }
[ -x "$cwt" ] || { echo "tail.sh: $cwt not built (make)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "tail.sh: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }

T=$(mktemp -d)
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true NO_COLOR=1
export AWS_CONFIG_FILE=$T/none AWS_SHARED_CREDENTIALS_FILE=$T/none
mkfifo "$T/port"
python3 "$top/tests/fakeaws/server.py" --port 0 >"$T/port" 2>"$T/fakeaws.log" &
pids="$pids $!"
read -r port <"$T/port"
export AWS_ENDPOINT_URL=http://127.0.0.1:$port

# Loads EVENTS events into /bench/big and GROUPS empty groups.
python3 - "$top" "$events" "$groups" <<'PY' || exit 2
import os, sys, time
sys.path.insert(0, sys.argv[1] + "/tests/fakeaws")
import client
c = client.Client(os.environ["AWS_ENDPOINT_URL"])
n, groups = int(sys.argv[2]), int(sys.argv[3])
c.logs("CreateLogGroup", {"logGroupName": "/bench/big"})
c.logs("CreateLogStream", {"logGroupName": "/bench/big", "logStreamName": "s"})
now = int(time.time() * 1000) - 60000
for i in range(0, n, 10000):
    k = min(10000, n - i)
    evs = [{"timestamp": now - n + i + j, "message":
            "2026-11-30T10:00:00Z INFO request %d done in %d ms path=/api/v1/rides"
            % (i + j, (i + j) % 997)} for j in range(k)]
    r = c.logs("PutLogEvents", {"logGroupName": "/bench/big",
               "logStreamName": "s", "logEvents": evs})
    assert r.status == 200, r.body
for g in range(groups):
    c.logs("CreateLogGroup", {"logGroupName": "/bench/idle/%d" % g})
PY

fail=0
goal() { # DESC OK
	if [ "$2" = 1 ]; then echo "  goal $1: PASS"; else echo "  goal $1: FAIL"; fail=1; fi
}
# measure NAME CMD...: the least and the median user+sys CPU seconds
# (from getrusage, to the microsecond) of RUNS runs after one that warms
# the caches and the emulator, the peak RSS in KiB of a last run under
# /usr/bin/time, the lines printed. The least is the cost itself: what
# else runs on the machine only ever adds to a run. Python's own
# ru_maxrss would not do: a child started by Python counts Python's
# memory, about 10 MB, as its own peak until it execs.
measure() {
	name=$1; shift
	python3 - "$T" "$runs" "$@" >"$T/m" <<'PY' ||
import resource, subprocess, sys
T, runs, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
cpus = []
for run in range(runs + 1):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(T + "/out", "wb") as o, open(T + "/err", "wb") as e:
        if subprocess.run(cmd, stdout=o, stderr=e).returncode:
            sys.exit(1)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run:
        cpus.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
cpus.sort()
print("%.3f %.3f" % (cpus[0], cpus[len(cpus) // 2]))
PY
		{ echo "tail.sh: $name failed: $(head -c 300 "$T/err")" >&2; return 1; }
	/usr/bin/time -f %M -o "$T/rss" "$@" >/dev/null 2>&1 ||
		{ echo "tail.sh: $name failed under /usr/bin/time" >&2; return 1; }
	read -r cpu med <"$T/m"
	rss=$(tail -n 1 "$T/rss")
	printf '%-34s cpu %6.3f s (median %6.3f)  peak RSS %6d KiB  lines %d\n' \
		"$name" "$cpu" "$med" "$rss" "$(wc -l <"$T/out")"
}

awscli=${AWS_CLI:-/usr/bin/aws}
have_aws=
if "$awscli" --version 2>/dev/null | grep -q '^aws-cli/2'; then have_aws=1; fi
no_aws="aws logs tail: not available (needs AWS CLI v2 as $awscli: apt-get install awscli)"

# The floor: a bare program that only opens Debian's libcurl and calls
# curl_global_init, as every networked command must.
cat >"$T/floor.c" <<'C'
#include <dlfcn.h>
#include <stdio.h>
int main(void)
{
	void *lib = dlopen("libcurl.so.4", RTLD_LAZY | RTLD_LOCAL);
	int (*init)(long) = lib ? (int (*)(long))dlsym(lib, "curl_global_init") : 0;

	if (!init || init(3) != 0) {
		fprintf(stderr, "floor: cannot load libcurl.so.4\n");
		return 1;
	}
	return 0;
}
C
${CC:-cc} -O2 -o "$T/floor" "$T/floor.c" ||
	{ echo "tail.sh: cannot build the floor program" >&2; exit 2; }
/usr/bin/time -f %M -o "$T/rss" "$T/floor" || exit 2
floor=$(tail -n 1 "$T/rss")
echo "floor: dlopen libcurl.so.4 and curl_global_init: peak RSS $floor KiB;" \
	"goal for cw-tail: <= $((floor + 2048)) KiB"

# Like for like: cw-tail -o short and aws --format detailed both print
# the time with its offset, the stream and the message.
if want oneshot; then
echo "one-shot tail of $events events (one group), the least of $runs runs:"
measure "cw-tail -o short" "$cwt" -o short -s 1d /bench/big || exit 2
cw_cpu=$cpu cw_med=$med cw_rss=$rss
measure "cw-tail -o raw" "$cwt" -o raw -s 1d /bench/big || exit 2
goal "cw-tail peak RSS <= floor + 2 MiB" \
	"$([ "$cw_rss" -le $((floor + 2048)) ] && echo 1)"
if [ -n "$have_aws" ]; then
	measure "aws logs tail --format detailed" "$awscli" logs tail --since 1d \
		--format detailed --endpoint-url "$AWS_ENDPOINT_URL" /bench/big &&
	ratio=$(echo "scale=1; $cpu / $cw_cpu" | bc) &&
	mratio=$(echo "scale=1; $med / $cw_med" | bc) &&
	echo "  cw-tail -o short uses ${ratio}x less CPU (${mratio}x by the medians)" &&
	goal "cw-tail CPU >= 40x less than aws" \
		"$(echo "$ratio >= 40" | bc)"
else
	echo "  $no_aws"
fi
fi

if want idle; then
echo "following $groups idle groups for $idle s:"
glob='/bench/idle/*'
"$cwt" -f -o raw "$glob" >/dev/null 2>"$T/ferr" &
fpid=$!
pids="$pids $fpid"
sleep 5
t0=$(awk '{print $14 + $15}' "/proc/$fpid/stat")
sleep "$idle"
t1=$(awk '{print $14 + $15}' "/proc/$fpid/stat")
hz=$(getconf CLK_TCK)
frss=$(awk '/VmHWM/ {print $2}' "/proc/$fpid/status")
pct=$(echo "scale=3; ($t1 - $t0) * 100 / $hz / $idle" | bc)
printf '  cpu %s %% of a core, peak RSS %d KiB\n' "$pct" "$frss"
goal "idle follow < 1 % of a core" "$(echo "$pct < 1" | bc)"
goal "idle follow RSS <= floor + 2 MiB" \
	"$([ "$frss" -le $((floor + 2048)) ] && echo 1)"
kill "$fpid"; wait "$fpid" 2>/dev/null
fi

# latency GROUP CW-TAIL-OPTION: the median delay, in seconds, from a
# put to its line on cw-tail's output, over $lat puts.
latency() {
	python3 - "$top" "$cwt" "$lat" "$1" "$2" <<'PY' >"$T/lat" || exit 2
import os, subprocess, sys, time, statistics
sys.path.insert(0, sys.argv[1] + "/tests/fakeaws")
import client
c = client.Client(os.environ["AWS_ENDPOINT_URL"])
g = sys.argv[4]
c.logs("CreateLogGroup", {"logGroupName": g})
c.logs("CreateLogStream", {"logGroupName": g, "logStreamName": "s"})
p = subprocess.Popen([sys.argv[2], sys.argv[5], "-o", "raw", "-s", "0s", g],
                     stdout=subprocess.PIPE)
time.sleep(3)
d = []
for i in range(int(sys.argv[3])):
    t = time.time()
    c.logs("PutLogEvents", {"logGroupName": g, "logStreamName": "s",
           "logEvents": [{"timestamp": int(t * 1000), "message": "m%d" % i}]})
    line = p.stdout.readline()
    d.append(time.time() - t)
    time.sleep(1.3)
p.terminate()
p.wait()
print("%.2f" % statistics.median(d))
PY
	cat "$T/lat"
}

if want latency; then
echo "latency from a put to the line, polling ($lat samples):"
med=$(latency /bench/lat -f)
echo "  median $med s"
goal "polling latency median < 2 s" "$(echo "$med < 2" | bc)"

echo "latency from a put to the line, --live, an update a second ($lat samples):"
med=$(latency /bench/live --live)
echo "  median $med s"
goal "live latency median < 1 s" "$(echo "$med < 1" | bc)"
fi

# The busy follow: two groups, 500 and 1,000 events a second in batches
# every half second, a fifth of them 1 to 20 s late, for $busy s; cw-tail
# -f follows both, `aws logs tail --follow` (one process a group: it
# takes one) the same load at the same time. The request log of the
# emulator (its last 200 requests, read every half second) tells whose
# FilterLogEvents calls are whose by User-Agent. CPU and RSS from /proc,
# from the end of the first minute to the end of the load; then up to 70
# s for the last late events.
if want busy; then
echo "following two busy groups ($rates events/s, a fifth 1-20 s late) for $busy s:"
[ -n "$have_aws" ] || echo "  $no_aws: cw-tail only"
python3 - "$top" "$cwt" "$busy" "$T" "${have_aws:+$awscli}" "$rates" <<'PY' >"$T/busy" || exit 2
import json, os, random, subprocess, sys, time, urllib.request
sys.path.insert(0, sys.argv[1] + "/tests/fakeaws")
import client
cwt, secs, T, aws = sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
url = os.environ["AWS_ENDPOINT_URL"]
c = client.Client(url)
rates = dict(("/bench/busy/%d" % i, int(r))
             for i, r in enumerate(sys.argv[6].split(",")))
for g in rates:
    c.logs("CreateLogGroup", {"logGroupName": g})
    c.logs("CreateLogStream", {"logGroupName": g, "logStreamName": "s"})
hz = os.sysconf("SC_CLK_TCK")

def cpu(p):
    f = open("/proc/%d/stat" % p.pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / hz

def rss(p):
    for l in open("/proc/%d/status" % p.pid):
        if l.startswith("VmRSS:"):
            return int(l.split()[1])
    return 0

# From a minute back: the first late events are older than the start.
procs = {"cw-tail -f": [subprocess.Popen(
    [cwt, "-f", "-o", "raw", "-s", "1m", "/bench/busy/*"],
    stdout=open(T + "/busy.cw", "w"), stderr=open(T + "/busy.cw.err", "w"))]}
if aws:
    procs["aws logs tail --follow"] = [subprocess.Popen(
        [aws, "logs", "tail", "--follow", "--since", "1m", "--format",
         "short", "--endpoint-url", url, g],
        stdout=open(T + "/busy.aws%d" % i, "w"),
        stderr=open(T + "/busy.aws.err", "a"))
        for i, g in enumerate(rates)]
calls = {"cw-tail -f": [], "aws logs tail --follow": []}
seen = set()

def gather():
    with urllib.request.urlopen(url + "/__fakeaws/stats", timeout=10) as r:
        for q in json.load(r)["requests"]:
            k = (q["time"], q["body"], q["headers"].get("X-Amz-Date"))
            if q["op"] != "FilterLogEvents" or k in seen:
                continue
            seen.add(k)
            ua = q["headers"].get("User-Agent", "")
            who = "cw-tail -f" if ua.startswith("cwkit") else \
                "aws logs tail --follow"
            calls[who].append(q["time"])

rnd = random.Random(26)
put, start, mark = 0, time.time(), {}
for k in range(secs * 2):
    now = int(time.time() * 1000)
    for g, rate in rates.items():
        ts = sorted(now - (rnd.randrange(1000, 20000) if rnd.random() < 0.2
                           else rnd.randrange(0, 500))
                    for _ in range(rate // 2))
        evs = [{"timestamp": t, "message": "%s %d" % (g, put + i)}
               for i, t in enumerate(ts)]
        r = c.logs("PutLogEvents", {"logGroupName": g, "logStreamName": "s",
                                    "logEvents": evs})
        assert r.status == 200, r.body
        put += len(evs)
    gather()
    if not mark and time.time() - start >= 60:
        mark = {n: (sum(cpu(p) for p in ps), sum(rss(p) for p in ps))
                for n, ps in procs.items()}
    wait = start + (k + 1) / 2 - time.time()
    if wait > 0:
        time.sleep(wait)
end = time.time()
last = {n: (sum(cpu(p) for p in ps), sum(rss(p) for p in ps))
        for n, ps in procs.items()}

def printed(n):
    """The messages printed: cw-tail -o raw prints them alone, aws
    --format short after the time."""
    lines = []
    for i, p in enumerate(procs[n]):
        if n == "cw-tail -f":
            lines += [l.rstrip("\n") for l in open(T + "/busy.cw")]
        else:
            lines += [l.rstrip("\n").split(" ", 1)[-1]
                      for l in open(T + "/busy.aws%d" % i)]
    return lines

limit = time.time() + 70
while time.time() < limit and len(printed("cw-tail -f")) < put:
    gather()
    time.sleep(1)
for ps in procs.values():
    for p in ps:
        p.terminate()
        p.wait()
span = end - start - 60
for n in procs:
    lines = printed(n)
    nums = set()
    for l in lines:
        w = l.rsplit(" ", 1)
        if len(w) == 2 and w[0] in rates and w[1].isdigit():
            nums.add(int(w[1]))
    ncalls = sum(1 for t in calls[n] if start + 60 <= t < end)
    print("%s|%.1f|%.2f|%d|%d|%d|%d|%d|%d|%d" % (
        n, ncalls * 60 / span, (last[n][0] - mark[n][0]) * 100 / span,
        mark[n][1], last[n][1], put, len(lines), len(set(lines)),
        len(lines) - len(set(lines)), put - len(nums & set(range(put)))))
PY
printf '  %-24s %9s %6s %10s %10s %7s %7s %8s %8s %6s\n' tool calls/min cpu% \
	'RSS 1 min' 'RSS end' put printed distinct repeated missed
while IFS='|' read -r name cpm pct rss1 rss2 put lines distinct rep miss; do
	printf '  %-24s %9.0f %6.2f %7d KiB %6d KiB %7d %7d %8d %8d %6d\n' \
		"$name" "$cpm" "$pct" "$rss1" "$rss2" "$put" "$lines" \
		"$distinct" "$rep" "$miss"
done <"$T/busy"
while IFS='|' read -r name cpm pct rss1 rss2 put lines distinct rep miss; do
	case $name in
	cw-tail*)
		cw_cpm=$cpm
		goal "busy follow: every event exactly once" \
			"$([ "$lines" = "$put" ] && [ "$rep" = 0 ] && [ "$miss" = 0 ] && echo 1)"
		goal "busy follow after the first minute < 5 % of a core" \
			"$(echo "$pct < 5" | bc)"
		goal "busy follow RSS grows < 2 MiB from minute 1 to the end" \
			"$([ $((rss2 - rss1)) -lt 2048 ] && echo 1)"
		goal "busy follow RSS <= floor + 8 MiB" \
			"$([ "$rss2" -le $((floor + 8192)) ] && echo 1)" ;;
	aws*)
		goal "busy follow: FilterLogEvents calls/min within 2x of aws" \
			"$(echo "$cw_cpm <= 2 * $cpm" | bc)" ;;
	esac
done <"$T/busy"
fi
exit $fail
