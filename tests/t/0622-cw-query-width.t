#!/bin/sh
# cw-query aligns columns by display width, as psql does: CJK and emoji
# take two columns, a combining mark none, an escape what it shows; in
# tables and in expanded mode, whatever the locale.
. "$(dirname "$0")/lib.sh"

start_fakeaws
now=$(date +%s)000
call CreateLogGroup '{"logGroupName": "/w"}'
call CreateLogStream '{"logGroupName": "/w", "logStreamName": "s"}'
python3 - "$now" >"$T/events" <<'PY'
import json, sys
now = int(sys.argv[1])
names = ["plain", "\u65e5\u672c\u8a9e", "\U0001F642 ok", "cafe\u0301", "esc\u001b"]
print(json.dumps({"logGroupName": "/w", "logStreamName": "s", "logEvents": [
    {"timestamp": now - 60000 + i * 1000,
     "message": json.dumps({"n": i, "name": v, "tail": "x"})}
    for i, v in enumerate(names)]}))
PY
call PutLogEvents "$(cat "$T/events")"

# The columns of each line: the display column where each ' | ' starts,
# as a terminal counts them.
columns() {
	python3 -c '
import sys, unicodedata
def width(s):
    w = 0
    for c in s:
        if unicodedata.combining(c):
            continue
        w += 2 if unicodedata.east_asian_width(c) in "WF" else 1
    return w
for line in sys.stdin.read().splitlines():
    if " | " in line:
        cut = [width(line[:i]) for i in range(len(line)) if line.startswith(" | ", i)]
        print(" ".join(map(str, cut)))'
}

for loc in C C.UTF-8; do
	LC_ALL=$loc TERM=xterm python3 "$top/tests/t/termrun.py" --cols 120 -- \
		sh -c "cw-query -g /w 'fields name, tail, n | sort n' 2>/dev/null" \
		>"$T/screen" 2>&1
	is "$?" 0 "LC_ALL=$loc: exit 0"
	tr -d '\r' <"$T/screen" >"$T/table"
	is "$(columns <"$T/table" | sort -u)" "8 15" \
		"LC_ALL=$loc: every ' | ' at the same display column"
done
like "$(cat "$T/table")" ' 日本語  \| x    \| 1' "CJK padded by display width"
like "$(cat "$T/table")" ' esc\\033 \| x' "an escape counts what it shows"

TERM=xterm python3 "$top/tests/t/termrun.py" --cols 120 -- \
	sh -c "cw-query -x -g /w 'fields name, tail | sort n' 2>/dev/null" \
	>"$T/screen" 2>&1
tr -d '\r' <"$T/screen" >"$T/x"
is "$(columns <"$T/x" | sort -u)" "4" "expanded: every ' | ' at the same column"

done_testing
