#!/bin/sh
# --events: messages keep every byte (U+0000 too), and a legal event
# escaped as JSON is never too long; what is skipped is said on stderr.
. "$(dirname "$0")/lib.sh"

ev() { # MESSAGE-AS-PYTHON-EXPRESSION: one cw-tail -o json line
	python3 -c '
import json, sys
m = eval(sys.argv[1])
print(json.dumps({"group": "/g", "stream": "s", "timestamp": 1,
    "ingestionTime": 2, "eventId": "e", "message": m}))' "$1"
}

{ ev '"a\x00ERROR tail"'; ev '"\x00"'; ev '"ok"'; } >"$T/nul"
cw-filter --events ERROR "$T/nul" >"$T/o"; rc=$?
is "$(od -An -c "$T/o" | tr -s ' ' | tr -d '\n')" " a \0 E R R O R t a i l \n" \
	"--events: the message is not cut at U+0000"
is "$rc" 0 "--events: a term after U+0000 matches"
run cw-filter --events -c 'tail' "$T/nul"
is "$out" 1 "--events: text after U+0000 is matched"
run cw-filter --events -c '%^a\x00E%' "$T/nul"
is "$out" 1 "--events: a regex sees the NUL"
run cw-filter --events -o json ERROR "$T/nul"
like "$out" '"message":"a\\u0000ERROR tail"' "--events -o json: U+0000 kept as \\u0000"

# A 200 KB event of control characters is 1.2 MB escaped: not skipped.
ev '"\x01" * 200000' >"$T/ctl"
ev '"\x1b" * 1048000 + "ERROR"' >>"$T/ctl"
ev '"ERROR after"' >>"$T/ctl"
run cw-filter --events -c '' "$T/ctl"
is "$out:$rc" "3:0" "--events: events escaped to 1.2 MB and 6 MB are read"
run cw-filter --events -c ERROR "$T/ctl"
is "$out" 2 "--events: the 6 MB line is matched whole"
is "$err" "" "--events: nothing to say"

# A line longer than any event is said to be skipped, and is an error.
python3 -c 'print("{\"message\":\"" + "x" * (9 << 20) + "\"}")' >"$T/huge"
ev '"ERROR here"' >>"$T/huge"
run cw-filter --events ERROR "$T/huge"
is "$out" "ERROR here" "--events: the event after a huge line is read"
is "$rc" 2 "--events: a skipped line: exit 2"
is "$err" "cw-filter: $T/huge: line at byte 0: longer than 8 MiB, more than any event: skipped" \
	"--events: the skipped line is named"
run cw-filter --events -v -c ERROR "$T/huge"
is "$out:$rc" "0:2" "--events -v: the huge line is not counted either"

done_testing
