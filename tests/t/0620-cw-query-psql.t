#!/bin/sh
# cw-query at a terminal as a psql user types: psql's backslash commands,
# quit, exit and help cost no StartQuery; a trailing ';' is not sent;
# .multiline (-m) continues at Enter and runs at ';' or an empty line; a
# line that begins with '|' after a query ran is not sent.
. "$(dirname "$0")/query.sh"

export XDG_STATE_HOME=$T/state

# msession ARGS... -- STEPS...: session with cw-query's own arguments.
msession() {
	args=
	while [ "$1" != -- ]; do args="$args $1"; shift; done
	shift
	printf '%s\n' "$@" >"$T/script"
	# shellcheck disable=SC2086
	TERM=xterm python3 "$top/tests/t/termrun.py" --cols 120 \
		--script "$T/script" -- cw-query -g /app/api $args \
		>"$T/screen" 2>&1
	rc=$?
	screen=$(tr -d '\r' <"$T/screen")
}

# queries: the queryString of each StartQuery since the last reset, one
# a line, newlines as ~.
queries() {
	fakeaws_ctl GET stats | python3 -c '
import json, sys
for r in json.load(sys.stdin)["requests"]:
    if r["op"] == "StartQuery":
        print(json.loads(r["body"])["queryString"].replace("\n", "~"))'
}

fakeaws_ctl DELETE stats >/dev/null
session 'wait \]> ' 'send \\x\n' 'wait expanded display on' 'wait \]> ' \
	'send \\x off\n' 'wait expanded display off' 'wait \]> ' \
	'send \\timing\n' 'wait timing on' 'wait \]> ' \
	'send \\?\n' 'wait \.show N' 'wait \]> ' \
	'send help\n' 'wait \.show N' 'wait \]> ' \
	'send \\s\n' 'wait \\\\timing' 'wait \]> ' \
	'send \\o\n' 'wait \]> ' \
	'send fields level | limit 1;\n' 'wait 1 row;' 'wait \]> ' \
	'send | sort level\n' "wait does not begin with '\\|'" 'wait \]> ' \
	'send \\bogus\n' 'wait unknown command' 'wait \]> ' \
	'send quit\n'
is "$rc" 0 "quit: exit 0"
is "$(queries)" "fields level | limit 1" \
	"one StartQuery: psql's commands sent none, the ';' was not sent"
is "$(fakeaws_count StartQuery)" 1 "the '|' line was not sent"
like "$screen" "time [0-9.]+ s" "\\timing: timing on"
like "$screen" "unknown command \\(try \\.help\\): \\\\bogus" \
	"an unknown backslash command is named as typed"

fakeaws_ctl DELETE stats >/dev/null
session 'wait \]> ' 'send exit\n'
is "$rc" 0 "exit: exit 0"
session 'wait \]> ' 'send \\q\n'
is "$rc:$(fakeaws_count StartQuery)" "0:0" "\\q: exit 0, nothing sent"

# .multiline: Enter continues, ';' or an empty line runs.
fakeaws_ctl DELETE stats >/dev/null
msession -m -- 'wait \]> ' 'send fields level, ms\n' 'wait \.\.\.> ' \
	'send | sort ms desc\n' 'wait \.\.\.> ' 'send | limit 2\n' \
	'wait \.\.\.> ' 'send \n' 'wait 2 rows;' 'wait \]> ' \
	'send fields level\n' 'wait \.\.\.> ' 'send | limit 1;\n' \
	'wait 1 row;' 'wait \]> ' 'send .multiline\n' \
	'wait multiline off' 'wait \]> ' 'send fields ms |\n' \
	'wait \.\.\.> ' 'send limit 3\n' 'wait 3 rows;' 'wait \]> ' \
	'send \\q\n'
is "$rc" 0 "-m session: exit 0"
is "$(queries)" "fields level, ms~| sort ms desc~| limit 2
fields level~| limit 1
fields ms |~limit 3" "-m: three queries, as typed, without ';'"
is "$(tail -n 5 "$T/state/cwkit/query_history" | head -n 4 | tr '\001' '~')" \
	"fields level, ms~| sort ms desc~| limit 2
fields level~| limit 1;
.multiline
fields ms |~limit 3" "history: one entry per query, a ';' kept"

# Two statements on a line; a ';' inside a string or a regex is not one.
fakeaws_ctl DELETE stats >/dev/null
session 'wait \]> ' \
	"send fields level | filter @message like /a;b/ or route = \"x;y\"; fields ms | limit 1;\\n" \
	'wait 1 row;' 'wait \]> ' 'send \\q\n'
is "$(queries)" "fields level | filter @message like /a;b/ or route = \"x;y\"
fields ms | limit 1" "two statements on one line, split at the ';' outside strings"

done_testing
