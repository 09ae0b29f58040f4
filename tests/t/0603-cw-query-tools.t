#!/bin/sh
# cw-query at a terminal: completion, the pager, .edit, .save and .saved,
# .show, .output, .timing, .groups.
. "$(dirname "$0")/query.sh"

export XDG_STATE_HOME=$T/state

# Completion: a field name from GetLogGroupFields, fetched once.
fakeaws_ctl DELETE stats >/dev/null
session 'wait \]> ' 'send fields lev\t' 'wait level ' 'send , rou\t' \
	'wait route ' 'send | lim\t' 'wait limit ' 'send 2\n' 'wait rows;' 'wait \]> ' \
	'send stats count_d\t' 'wait count_distinct\(' 'send level)\n' 'wait row;' 'wait \]> ' \
	'send .groups /app/w\t' 'wait /app/web ' 'send \n' \
	'send fields level\n' 'wait ERROR' 'wait \]> ' 'send .form\t' 'wait format ' \
	'send j\t' 'wait json ' 'send \n' 'send fields level | limit 1\n' \
	'wait \{"level"' 'send .quit\n'
is "$rc" 0 "completion session: exit 0"
like "$screen" 'fields level , route \| limit 2' "field names and commands complete"
like "$screen" 'stats count_distinct\(level\)' "a function completes with its parenthesis"
is "$(fakeaws_count GetLogGroupFields)" 1 \
	"GetLogGroupFields once per group, when first needed"
like "$screen" '\[/app/web 1h\.\.now\]> ' ".groups: group names complete"
like "$screen" '> \.format json' "meta-commands and formats complete"

# The pager takes results wider than the screen.
PAGER="cat >'$T/paged'" session 'wait \]> ' \
	'send fields @message, @message as a, @message as b | limit 2\n' \
	'wait B scanned' 'wait \]> ' 'send fields level | limit 1\n' 'wait B scanned' \
	'send .quit\n'
like "$(cat "$T/paged")" '^ @message +\| a +\| b' "wide results go through \$PAGER"
unlike "$screen" ' @message +\| a +\| b' "...and not straight to the screen"
like "$screen" ' level' "results that fit are printed"

# .edit: the last query in $EDITOR, back at the prompt to run.
printf '#!/bin/sh\nsed -i "s/level/route/" "$1"\n' >"$T/editor"
chmod +x "$T/editor"
EDITOR=$T/editor session 'wait \]> ' 'send fields level | sort ms | limit 1\n' \
	'wait row;' 'wait \]> ' 'send .edit\n' 'wait route' 'send \n' 'wait /r' \
	'send .quit\n'
like "$screen" '\]> fields route \| sort ms \| limit 1' ".edit: the edited query at the prompt"
like "$screen" ' /r0' ".edit: and it runs"

# .save, .saved, .show, .output, .timing
fakeaws_ctl DELETE stats >/dev/null
session 'wait \]> ' 'send fields @message, level | filter level = "ERROR"\n' \
	'wait rows;' 'wait \]> ' 'send .save ops/errors\n' 'wait saved as' 'wait \]> ' \
	'send .saved\n' 'wait ops/errors' 'wait \]> ' 'send .show 1\n' 'wait @logStream' 'wait \]> ' \
	'send .show 9\n' 'wait \.show N' 'wait \]> ' \
	'send .timing\n' "send .output $T/file\n" 'send fields route | sort ms | limit 1\n' \
	'wait time [0-9.]+ s' 'wait \]> ' 'send .output\n' 'send .saved ops/errors\n' \
	'wait filter level' 'send \n' 'wait rows;' 'wait \]> ' 'send .quit\n'
is "$rc" 0 "saved queries session: exit 0"
is "$(fakeaws_count PutQueryDefinition)" 1 ".save: PutQueryDefinition sent"
like "$screen" 'ops/errors' ".saved lists it"
like "$screen" '    fields @message, level \| filter level = "ERROR"' \
	".saved shows the query"
is "$(fakeaws_count GetLogRecord)" 1 ".show: GetLogRecord sent"
like "$screen" '@logStream +\| s1' ".show: every field of the event"
like "$screen" '\.show N: a row of the last result, 1 to 2' ".show: a bad row"
like "$(cat "$T/file")" '^ route' ".output FILE: results in the file"
like "$screen" 'timing on' ".timing"
# twice two rows, and the level line of .show 1
is "$(printf '%s\n' "$screen" | grep -c '| ERROR$')" 5 \
	".saved NAME: the query loaded and run again"
session 'wait \]> ' 'send .save ops/errors\n' 'wait \]> ' \
	'send fields level\n' 'wait rows;' 'wait \]> ' 'send .save ops/errors\n' \
	'wait saved as' 'wait \]> ' 'send .quit\n'
like "$screen" '\.save NAME saves the last query' ".save before any query"
python3 "$top/tests/t/awscall.py" logs DescribeQueryDefinitions '{}' >"$T/defs"
is "$(python3 -c 'import json,sys; print([d["queryString"] for d in json.load(open(sys.argv[1]))["queryDefinitions"]])' "$T/defs")" \
	"['fields level']" ".save of a known name replaces it"

done_testing
