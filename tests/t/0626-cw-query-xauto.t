#!/bin/sh
# \x auto: expanded only when the table is wider than the terminal; the
# row count printed once (the statistics line), not also "(N rows)".
. "$(dirname "$0")/query.sh"

export XDG_STATE_HOME=$T/state PAGER=
printf '%s\n' 'wait \]> ' 'send \\x auto\n' 'wait expanded display auto' \
	'wait \]> ' 'send fields level | sort ms | limit 2\n' 'wait 2 rows;' \
	'wait \]> ' \
	'send fields level, route, ms, @message | sort ms | limit 1\n' \
	'wait 1 row;' 'wait \]> ' 'send \\x\n' 'wait expanded display off' \
	'wait \]> ' 'send fields level, route, ms, @message | sort ms | limit 1\n' \
	'wait 1 row;' 'wait \]> ' 'send \\q\n' >"$T/steps"
TERM=xterm python3 "$top/tests/t/termrun.py" --cols 60 --script "$T/steps" \
	-- cw-query -g /app/api >"$T/screen" 2>&1
is "$?" 0 "session: exit 0"
screen=$(tr -d '\r' <"$T/screen")
is "$(printf '%s\n' "$screen" | grep -c 'RECORD 1')" 1 \
	"expanded once: for the wide table only"
like "$screen" ' level
-------
 ERROR
 INFO' "the narrow table as a table"
like "$screen" '@message \| \{"level": "ERROR"' "the wide one expanded"
like "$screen" ' level \| route \| ms \| @message' "\\x off again: a table"
unlike "$screen" '\(1 row\)|\(2 rows\)' "no (N rows) footer"
is "$(printf '%s\n' "$screen" | grep -c '1 row;')" 2 "one count per query"

done_testing
