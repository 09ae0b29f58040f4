# Shell test library: TAP output, the emulator, a clean AWS environment.
# Source it from tests/t/NNNN-<cmd>-<topic>.t run at the top of the tree.

top=$(cd "$(dirname "$0")/../.." && pwd)
PATH=$top/bin:$PATH
export PATH

# The interpreter itself, not a version manager's shim: a shim costs half
# a second a call, and the tests call Python often.
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=$(command -v python3); fi
python3() { "$PY" "$@"; }

# The terminal tests expect what a common terminal gets (colour where it
# is allowed): the caller's TERM, dumb in a chroot or unset under some CI
# runners, must not decide. A test sets TERM itself to try another one.
TERM=xterm
export TERM

tap_n=0
tap_failed=0
T=$(mktemp -d "${TMPDIR:-/tmp}/cwkit-test.XXXXXX")
FAKEAWS_PID=

# CW_TEST_WRAP runs every command under a checker (make valgrind sets it
# to valgrind): wrappers named like the commands go first in PATH.
if [ -n "${CW_TEST_WRAP:-}" ]; then
	mkdir "$T/wrap"
	for c in "$top"/bin/cw-* "$top"/tests/helper/test-*; do
		[ -x "$c" ] || continue
		printf '#!/bin/sh\nexec %s %s "$@"\n' "$CW_TEST_WRAP" "$c" \
			>"$T/wrap/${c##*/}"
		chmod +x "$T/wrap/${c##*/}"
	done
	PATH=$T/wrap:$PATH
fi

# running PID: 0 while PID has not ended (a child that ended stays a
# zombie until waited for, and kill -0 still reaches it).
running() {
	[ -r "/proc/$1/stat" ] &&
		[ "$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# The emulator gets 5 s to end after SIGTERM, then SIGKILL: a test's end
# never waits on it for good.
stop_fakeaws() {
	_stop_n=0
	kill "$FAKEAWS_PID" 2>/dev/null
	while running "$FAKEAWS_PID" && [ "$_stop_n" -lt 50 ]; do
		sleep 0.1
		_stop_n=$((_stop_n + 1))
	done
	kill -KILL "$FAKEAWS_PID" 2>/dev/null
	wait "$FAKEAWS_PID" 2>/dev/null
}

cleanup() {
	if [ -n "$FAKEAWS_PID" ]; then
		stop_fakeaws
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

plan() { echo "1..$1"; }

# Plans from the count of tests run; call last.
done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" = 0 ]
}

pass() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
fail() {
	tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
}
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

# check DESC CMD...: passes when CMD succeeds.
check() {
	d=$1; shift
	if "$@"; then pass "$d"; else fail "$d"; fi
}

# is GOT WANT DESC
is() {
	if [ "$1" = "$2" ]; then pass "$3"; else
		fail "$3"; diag "     got: '$1'" "expected: '$2'"
	fi
}

# like TEXT ERE DESC: TEXT matches the extended regular expression.
like() {
	if printf '%s' "$1" | grep -Eq -- "$2"; then pass "$3"; else
		fail "$3"; diag "     got: '$1'" "expected to match: '$2'"
	fi
}

# unlike TEXT ERE DESC
unlike() {
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		fail "$3"; diag "     got: '$1'" "expected not to match: '$2'"
	else pass "$3"; fi
}

# run CMD...: runs CMD, leaving stdout in $out, stderr in $err, status in $rc.
run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
}

# A clean AWS environment: nothing from the machine leaks in.
aws_env() {
	for v in $(env | sed -n 's/^\(AWS_[A-Za-z0-9_]*\)=.*/\1/p'); do
		unset "$v"
	done
	HOME=$T/home
	mkdir -p "$HOME/.aws"
	export HOME
	export AWS_CONFIG_FILE=$HOME/.aws/config
	export AWS_SHARED_CREDENTIALS_FILE=$HOME/.aws/credentials
	export AWS_EC2_METADATA_DISABLED=true
	export AWS_REGION=us-east-1
	export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
	export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
	export AWS_MAX_ATTEMPTS=3
	export NO_COLOR=1
}

# interruptible CMD...: execs CMD with SIGINT, SIGTERM and SIGPIPE at their
# defaults, as a terminal's foreground job has them. For a command run in
# the background (`interruptible cw-x ... &`): a shell's background job
# inherits SIGINT ignored, and the commands keep an inherited ignore (as
# nohup means it), so `kill -INT $!` would do nothing. exec keeps $!.
interruptible() {
	exec "$PY" -c 'import os, signal, sys
for s in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
    signal.signal(s, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' "$@"
}

# start_fakeaws [ARGS...]: starts the emulator on a free loopback port and
# points the AWS environment at it (FAKEAWS_URL, AWS_ENDPOINT_URL).
start_fakeaws() {
	aws_env
	mkfifo "$T/port"
	# "$PY", not the python3 function: $! must be the emulator itself, not
	# a subshell running the function, or cleanup kills the wrong process.
	"$PY" "$top/tests/fakeaws/server.py" --port 0 "$@" \
		>"$T/port" 2>"$T/fakeaws.log" &
	FAKEAWS_PID=$!
	read -r FAKEAWS_PORT <"$T/port" || {
		echo "Bail out! fakeaws did not start"; cat "$T/fakeaws.log" >&2
		exit 2
	}
	FAKEAWS_URL=http://127.0.0.1:$FAKEAWS_PORT
	export FAKEAWS_URL AWS_ENDPOINT_URL=$FAKEAWS_URL
}

# fakeaws_ctl METHOD PATH [JSON]: talks to the emulator's control path;
# prints the response body.
fakeaws_ctl() {
	python3 - "$FAKEAWS_URL/__fakeaws/${2#/}" "$1" "${3:-}" <<'PY'
import sys, urllib.request
url, method, body = sys.argv[1], sys.argv[2], sys.argv[3]
req = urllib.request.Request(url, method=method,
    data=body.encode() if body else None,
    headers={"Content-Type": "application/json"})
with urllib.request.urlopen(req, timeout=10) as r:
    sys.stdout.write(r.read().decode())
PY
}

# fakeaws_count OP: how many requests for OP the emulator has answered.
# One process, not two: the waits below call it every 0.1 s.
fakeaws_count() {
	python3 -c '
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/__fakeaws/stats", timeout=10) as r:
    print(sum(json.load(r)["ops"].get(sys.argv[2], {}).values()))' \
		"$FAKEAWS_URL" "$1"
}

# fakeaws_bodies OP: the bodies of the logged requests of OP, one a
# line, oldest first.
fakeaws_bodies() {
	fakeaws_ctl GET stats | python3 -c '
import json, sys
for r in json.load(sys.stdin)["requests"]:
    if r["op"] == sys.argv[1]:
        print(r["body"].replace("\n", " "))' "$1"
}

# model_check [OP...]: the Logs requests the emulator logged (of these
# operations; all without OP), checked against the service model by
# tests/t/logsmodel.py: one line per problem, nothing when all hold.
model_check() {
	fakeaws_ctl GET stats | python3 "$top/tests/t/logsmodel.py" "$@"
}

# bytes FILE: the file's bytes in hex by od, one a line.
bytes() { od -An -v -tx1 "$1" | tr -s ' ' '\n' | grep .; }
# raw_controls FILE: how many bytes of FILE (read by od) a terminal would
# act on: C0 but tab, LF and CR (a pty's line end), DEL, and the C1
# controls, as UTF-8 (c2 80..9f) or alone.
raw_controls() {
	od -An -v -tu1 "$1" | tr -s ' ' '\n' | grep . | awk '
	{ b = $1 + 0 }
	need > 0 && b >= 128 && b < 192 {
		if (lead == 194 && b < 160) n++
		need--; lead = 0; next
	}
	{ need = 0; lead = b }
	b >= 192 { need = b >= 240 ? 3 : b >= 224 ? 2 : 1; next }
	(b < 32 && b != 9 && b != 10 && b != 13) || b == 127 { n++ }
	b >= 128 && b < 160 { n++ }
	END { print n + 0 }'
}

# --- shared helpers ---------------------------------------------------------

# Under a checker (make valgrind sets CW_TEST_WRAP) every command is many
# times slower: waits last $slow times longer.
slow=1
if [ -n "${CW_TEST_WRAP:-}" ]; then slow=5; fi

# wait_for SECONDS CMD...: runs CMD every 0.05 s until it succeeds, for
# at most SECONDS (a whole number, times $slow). Returns 1 with a
# diagnostic when time runs out; the assertion that follows then fails
# and says why.
wait_for() {
	_wait_end=$(($(date +%s) + $1 * slow)); shift
	until "$@"; do
		if [ "$(date +%s)" -ge "$_wait_end" ]; then
			diag "wait_for: still not true: $*"
			return 1
		fi
		sleep 0.05
	done
}

# wait_count OP N [SECONDS]: waits (10 s by default) until the emulator
# has answered OP at least N times.
wait_count() {
	fakeaws_poll "${3:-10}" "$1" "$2" || {
		diag "wait_count: $1 answered fewer than $2 times"
		return 1
	}
}
count_at_least() { [ "$(fakeaws_count "$1")" -ge "$2" ]; }

# wait_more OP N [SECONDS]: waits (10 s by default) until the emulator has
# answered OP N more times than it has now: N more rounds of a command
# that polls, where anything it would wrongly repeat would show.
wait_more() {
	wait_count "$1" "$(($(fakeaws_count "$1") + $2))" "${3:-10}"
}

# wait_idle [SECONDS]: waits (10 s by default) until the emulator has
# answered every request it has received: it counts a request, and
# records a stream, once it has answered it.
wait_idle() {
	fakeaws_poll "${1:-10}" || {
		diag "wait_idle: requests still unanswered"
		return 1
	}
}

# fakeaws_poll SECONDS [OP N]: one process that reads the emulator's
# stats every 0.05 s until OP has been answered N times (without OP:
# until no request is in flight); fails when SECONDS (times $slow) pass.
# A process a poll would cost a busy machine more than the interval.
fakeaws_poll() {
	python3 -c '
import json, sys, time, urllib.request
url, secs = sys.argv[1] + "/__fakeaws/stats", float(sys.argv[2])
op, n = (sys.argv[3], int(sys.argv[4])) if len(sys.argv) > 4 else (None, 0)
end = time.monotonic() + secs
while True:
    with urllib.request.urlopen(url, timeout=10) as r:
        st = json.load(r)
    if op and sum(st["ops"].get(op, {}).values()) >= n:
        sys.exit(0)
    if not op and st["in_flight"] == 0:
        sys.exit(0)
    if time.monotonic() >= end:
        sys.exit(1)
    time.sleep(0.05)' "$FAKEAWS_URL" "$(($1 * slow))" ${2:+"$2" "$3"}
}

# gone PID: process PID has ended (or is a zombie waiting to be reaped).
gone() {
	! [ -r "/proc/$1/stat" ] || sed 's/.*) //' "/proc/$1/stat" | grep -q '^Z'
}

# awscall SERVICE OP JSON|-: one call to the emulator with the test's
# keys, the response body on stdout; "-" reads one JSON body a line from
# stdin (tests/t/awscall.py).
awscall() { python3 "$top/tests/t/awscall.py" "$@"; }

# call OP JSON: a CloudWatch Logs call; the response is dropped.
call() { python3 "$top/tests/t/awscall.py" logs "$@" >/dev/null; }

# cw_json [REGION] OP JSON: a CloudWatch call (in REGION, else in
# $AWS_REGION); the response body on stdout. cw: the same, response
# dropped.
cw_json() {
	if [ $# -ge 3 ]; then
		AWS_REGION=$1 "$PY" "$top/tests/t/awscall.py" monitoring "$2" "$3"
	else
		"$PY" "$top/tests/t/awscall.py" monitoring "$@"
	fi
}
cw() { cw_json "$@" >/dev/null; }

# alarm [REGION NAME [EXTRA-JSON-MEMBERS] | NAME]: creates a metric alarm
# on AWS/EC2 CPUUtilization (Average over 60 s above 80); EXTRA adds
# members to the PutMetricAlarm body, e.g. '"AlarmActions":["arn:..."]'.
alarm() {
	if [ $# -ge 2 ]; then
		cw "$1" PutMetricAlarm "$(alarm_body "$2" "${3:-}")"
	else
		cw PutMetricAlarm "$(alarm_body "$1" "")"
	fi
}
alarm_body() { # NAME EXTRA
	printf '{"AlarmName":"%s","MetricName":"CPUUtilization","Namespace":"AWS/EC2","Statistic":"Average","Period":60,"EvaluationPeriods":1,"Threshold":80,"ComparisonOperator":"GreaterThanThreshold"%s}' \
		"$1" "${2:+,$2}"
}

# state [REGION] NAME STATE REASON: sets an alarm's state (SetAlarmState).
state() {
	if [ $# -ge 4 ]; then
		cw "$1" SetAlarmState "{\"AlarmName\":\"$2\",\"StateValue\":\"$3\",\"StateReason\":\"$4\"}"
	else
		cw SetAlarmState "{\"AlarmName\":\"$1\",\"StateValue\":\"$2\",\"StateReason\":\"$3\"}"
	fi
}

# skip_all REASON: the whole file is skipped, with the reason (a missing
# optional tool); nothing else runs.
skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

# filter_counts PATTERN FILE WANT LONG DESC: cw-filter finds WANT lines of
# FILE, from the file and from a pipe, and -v the rest; it prints them,
# the LONG ones longer than 300,000 bytes whole.
filter_counts() {
	run cw-filter -c "$1" "$2"
	is "$out" "$3" "$5"
	run cw-filter -vc "$1" "$2"
	is "$((out + $3))" "$(wc -l <"$2" | tr -d ' ')" "and -v counts the rest"
	run cw-filter -c "$1" - <"$2"
	is "$out" "$3" "the same from a pipe"
	cw-filter "$1" "$2" >"$T/filtered"
	is "$(wc -l <"$T/filtered" | tr -d ' ')" "$3" "the lines printed"
	is "$(awk 'length($0) > 300000' "$T/filtered" | wc -l | tr -d ' ')" "$4" \
		"lines longer than a read printed whole"
}
