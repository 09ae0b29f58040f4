#!/bin/sh
# JSON patterns match JSON only, and every line -o json writes is JSON
# that a strict reader takes.
. "$(dirname "$0")/lib.sh"
strict() { python3 "$top/tests/t/strict-json.py"; }

# Lines that look like objects but are not JSON never match.
cat >"$T/bad" <<'EOF2'
{"a":tru}
{"a":1}}
{"a":01}
{"a":.5}
{"a":1.}
{"a":+1}
{"a":-}
{"a":"x\q"}
{"a":"x\u12"}
{"a":NaN}
{"a":Infinity}
{'a':1}
{"a":1,}
{"a":1 "b":2}
{"a" 1}
{"a":[1,]}
{"a":1}{"b":2}
{"a":"tab	inside"}
{"a":1,"b":{"c":[1,2}}
{"a":1,"b":}
{"a":nul}
{"a":falsey}
{a:1}
EOF2
for p in '{ $.a = * }' '{ $.a = 1 }' '{ $.b NOT EXISTS }' '{ $.a IS TRUE }' \
	'{ $.a IS NULL }' '{ $.a > 0 }' '{ $.a = "x*" }' '{ $.a = %.% }'; do
	run cw-filter -c "$p" "$T/bad"
	is "$out:$rc" "0:1" "no malformed line matches $p"
done
run cw-filter -v -c '{ $.a = * }' "$T/bad"
is "$out" "$(wc -l <"$T/bad" | tr -d ' ')" "-v selects every malformed line"

cat >"$T/good" <<'EOF2'
{"a":true}
 {"a":1}
{"a":-0.5e+3,"z":[{},[],"",null]}
{"a":"x\/\b\f\n\r\t\"\\\u00e9\ud83d\ude00"}
{"a":0,"b":{"c":[1,2]}}	
EOF2
run cw-filter -c '{ $.a = * }' "$T/good"
is "$out" 5 "well-formed lines still match (blanks around, every escape)"
run cw-filter -c '{ $.a = 1 }' "$T/good"
is "$out" 1 "the issue's second example in its valid form matches"

# -o json: every line parses strictly, whatever the input held.
python3 - >"$T/adv" <<'PY'
import sys
w = sys.stdout.buffer.write
w(b'{"a":"lone \\ud800 high","b":1}\n')
w(b'{"a":"lone \\udc00 low","b":2}\n')
w(b'{"a":"\\ud83d\\ude00 pair","b":3}\n')
w(b'{"a":"raw \xff\xfe invalid","b":4}\n')
w(b'{"a":"overlong \xc0\xaf","b":5}\n')
w(b'{"a":"nul \\u0000 esc","b":6}\n')
w(b'{"a":"ctl \x7f del","b":7}\n')
w(b'{"a":{"k\\ud800":["\\udfff",1e400,-0,"\xed\xa0\x80"]},"b":8}\n')
w(b'{"a":"esc \\u001b[31m","b":9.5E-3}\n')
w(b'{"a":"x","b":01}\n')
w(b'{"a":"x","b":.5}\n')
w(b'{"a":"x\\z","b":1}\n')
w(b'not json at all\n')
w(b'{"a":"x","b":"\\"quoted\\""}\r\n')
PY
run cw-filter -o json '{ $.a = * }' "$T/adv"
printf '%s\n' "$out" | strict >"$T/chk"; rc=$?
is "$rc" 0 "-o json of a JSON pattern: every line strict ($(cat "$T/chk"))"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 9 "-o json: the well-formed lines whose a is a scalar"
like "$out" "\"\\\$.a\":\"lone $(printf '\357\277\275') high\"" "a lone surrogate becomes U+FFFD"
like "$out" '"\$.a":"nul \\u0000 esc"' "U+0000 stays \\u0000"
run cw-filter -o json '{ $.b = * || $.a.* = * }' "$T/adv"
printf '%s\n' "$out" | strict >"$T/chk"; rc=$?
is "$rc" 0 "-o json: nested values with lone surrogates and raw bytes: strict ($(cat "$T/chk"))"
like "$out" '"\$.b":8' "the nested line is there"
like "$out" '"\$.b":9.5E-3' "numbers are kept as written"
run cw-filter -v -o json '{ $.a = * }' "$T/adv"
printf '%s\n' "$out" | strict >"$T/chk"; rc=$?
is "$rc" 0 "-v -o json: every line strict ($(cat "$T/chk"))"
like "$out" '^\{"message":"\{\\"a\\":\\"x\\",\\"b\\":01\}"\}' "-v -o json: {\"message\": line}"
run cw-filter -o json '[w1, w2]' "$T/adv"
printf '%s\n' "$out" | strict >"$T/chk"; rc=$?
is "$rc" 0 "-o json of space-delimited fields: strict ($(cat "$T/chk"))"
run cw-filter -o json -H '%.%' "$T/adv" "$T/good"
printf '%s\n' "$out" | strict >"$T/chk"; rc=$?
is "$rc" 0 "-o json with file names: strict ($(cat "$T/chk"))"
like "$out" "^\\{\"file\":\"$T/adv\"\\}" "-o json names the file as a member"

awk 'BEGIN { printf "{\"a\":\""; for (i = 0; i < 1100000; i++) printf "x"; print "\"}" }' >"$T/long"
printf '{"a":"short"}\n' >>"$T/long"
run cw-filter -o json '{ $.a = * }' "$T/long"
is "$out" '{"$.a":"short"}' "-o json: a line over 1 MiB is not printed raw"
is "$rc" 2 "-o json: a skipped long line is an error"
like "$err" "line at byte 0: longer than 1 MiB" "-o json: the long line is named"

# The events of cw-tail -o json, however hostile, come out strict.
python3 - >"$T/events" <<'PY'
import json, sys
msgs = ["a\x00b", "\x1b]0;t\x07", "\ud800", "\udfff x", "\u2028\u2029", "\x7f", ""]
for i, m in enumerate(msgs):
    print(json.dumps({"group": "/g", "stream": "s\x01", "timestamp": i,
        "ingestionTime": 1, "eventId": str(i), "message": m}))
sys.stdout.flush()
sys.stdout.buffer.write(b'{"group":"/g","message":"raw \xff byte"}\n')
PY
run cw-filter --events -o json '' "$T/events"
printf '%s\n' "$out" | strict >"$T/chk"; rc=$?
is "$rc:$(cat "$T/chk")" "0:8" "--events -o json: every event strict"
run cw-filter --events -o json -H '' "$T/events"
printf '%s\n' "$out" | strict >"$T/chk"; rc=$?
is "$rc:$(cat "$T/chk")" "0:8" "--events -o json -H: strict, the file a member"

done_testing
