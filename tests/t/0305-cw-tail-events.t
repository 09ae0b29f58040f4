#!/bin/sh
# Several groups, --limit on the wire, messages with U+0000, write errors,
# and log data on a terminal.
. "$(dirname "$0")/lib.sh"
start_fakeaws
export AWS_MAX_ATTEMPTS=1

now=$(($(date +%s) * 1000))
put() { # GROUP STREAM MESSAGE-AS-JSON-STRING...
	g=$1 s=$2; shift 2
	call CreateLogGroup "{\"logGroupName\":\"$g\"}" 2>/dev/null
	call CreateLogStream "{\"logGroupName\":\"$g\",\"logStreamName\":\"$s\"}" 2>/dev/null
	evs= i=0
	for m in "$@"; do
		i=$((i + 1))
		evs="$evs${evs:+,}{\"timestamp\":$((now - 5000 + i)),\"message\":$m}"
	done
	call PutLogEvents "{\"logGroupName\":\"$g\",\"logStreamName\":\"$s\",\"logEvents\":[$evs]}"
}
put /a s1 '"a one"' '"a two"'
put /b s1 '"b one"'
put /nul s1 '"a\u0000ERROR tail"' '"\u0000"' '"x\u0000y\u0000z"'
put /tty 'st\u001b[31m' '"\u001b]0;pwned\u0007\u001b[2J\u001b[Hafter"' '"tab\there"'
i=0 many=
while [ $i -lt 30 ]; do i=$((i + 1)); many="$many \"event_$i\""; done
# shellcheck disable=SC2086
put /many s1 $many

# Several groups: a missing one is reported, the others still printed.
run cw-tail -o raw /a /missing /b
is "$out" "a one
b one
a two" "a missing group does not hide the next one; groups merged by time"
is "$rc" 2 "a missing group: exit 2 at the end"
is "$err" "cw-tail: log group /missing: ResourceNotFoundException: The specified log group does not exist." \
	"the missing group is reported once, by name"
run cw-tail -o raw /missing1 /a /missing2
is "$out:$rc" "a one
a two:2" "missing groups first and last: the one in between is printed"
is "$(printf '%s\n' "$err" | grep -c ResourceNotFound)" 2 "each missing group reported"

# --limit travels to FilterLogEvents: no more events than wanted.
fakeaws_ctl DELETE stats >/dev/null
run cw-tail -o raw --limit 3 /many
is "$out" "event_1
event_2
event_3" "--limit 3 prints three events"
body=$(fakeaws_ctl GET stats | python3 -c '
import json, sys
r = [q for q in json.load(sys.stdin)["requests"] if q["op"] == "FilterLogEvents"]
print(len(r), json.loads(r[0]["body"]).get("limit"))')
is "$body" "1 3" "--limit 3 is sent as the page limit: one request, limit 3"
fakeaws_ctl DELETE stats >/dev/null
run cw-tail -o raw --limit 20000 /many
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 30 "a limit above the page maximum"
body=$(fakeaws_ctl GET stats | python3 -c '
import json, sys
r = [q for q in json.load(sys.stdin)["requests"] if q["op"] == "FilterLogEvents"]
print(json.loads(r[0]["body"]).get("limit"))')
is "$body" 10000 "a limit above 10000 asks for pages of 10000, the service maximum"

# U+0000 in a message: every byte of it, in every format.
cw-tail -o raw /nul >"$T/raw"
is "$(od -An -c "$T/raw" | tr -s ' ' | head -2 | tr -d '\n')" \
	" a \0 E R R O R t a i l \n \0 \n x \0 y \0 z \n" "-o raw: the bytes after U+0000 are kept"
run cw-tail -o json /nul
python3 - "$T/out" >"$T/msgs" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    print(repr(json.loads(line)["message"]))
PY
is "$(cat "$T/msgs")" "'a\\x00ERROR tail'
'\\x00'
'x\\x00y\\x00z'" "-o json: U+0000 written as \\u0000, the message whole"
like "$out" '"message":"a\\u0000ERROR tail"' "-o json writes \\u0000"
cw-filter -g /nul -o raw ERROR >"$T/raw"
is "$(od -An -c "$T/raw" | tr -s ' ' | tr -d '\n')" " a \0 E R R O R t a i l \n" \
	"cw-filter -g: the message after U+0000 is printed"

# Write errors.
run cw-tail --help
is "$rc" 0 "--help: exit 0"
cw-tail --help >/dev/full 2>"$T/err"; rc=$?
is "$rc:$(cat "$T/err")" "2:cw-tail: stdout: write failed" "--help to a full disk: exit 2"
cw-tail --version >/dev/full 2>"$T/err"; rc=$?
is "$rc:$(cat "$T/err")" "2:cw-tail: stdout: write failed" "--version to a full disk: exit 2"
cw-tail -o raw /a >/dev/full 2>"$T/err"; rc=$?
is "$rc" 2 "events to a full disk: exit 2"

# On a terminal, control bytes in data and names are shown escaped.
tty_run() { python3 "$top/tests/t/termrun.py" "$@"; }
t=$(tty_run cw-tail -o raw /tty)
is "$t" '\033]0;pwned\007\033[2J\033[Hafter
tab	here' "-o raw on a tty: OSC title and clear screen shown, tab kept"
t=$(tty_run cw-tail --utc /tty)
like "$t" ' st\\033\[31m +\\033\]0;pwned\\007' "-o short on a tty: the stream name escaped too"
unlike "$t" "$(printf '\033')" "-o short on a tty: no raw ESC at all"
t=$(tty_run cw-tail -o long --utc /tty)
like "$t" ' st\\033\[31m \\033\]0;pwned\\007' "-o long on a tty: the stream name escaped too"
unlike "$t" "$(printf '\033')" "-o long on a tty: no raw ESC at all"
cw-tail -o raw /tty >"$T/pipe"
is "$(head -1 "$T/pipe")" "$(printf '\033]0;pwned\007\033[2J\033[Hafter')" \
	"-o raw to a pipe: bytes as they are"

done_testing
