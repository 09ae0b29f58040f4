#!/bin/sh
# cw-query at a terminal: results, history across sessions, meta-commands,
# Ctrl-C during a query, a malformed query, nothing sent before it is
# needed.
. "$(dirname "$0")/query.sh"

hist=$T/state/cwkit/query_history
export XDG_STATE_HOME=$T/state

# Nothing is sent, not even for credentials, before the first query.
fakeaws_ctl DELETE stats >/dev/null
(
	unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
	export AWS_EC2_METADATA_DISABLED=false
	export AWS_EC2_METADATA_SERVICE_ENDPOINT=$FAKEAWS_URL
	session 'wait \]> ' 'send .groups\n' 'wait group /app/api' 'send .quit\n'
	echo "$rc" >"$T/rc0"
)
is "$(cat "$T/rc0")" 0 ".quit: exit 0"
is "$(fakeaws_ctl GET stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')" \
	0 "no request at all before the first query (credentials included)"
like "$(cat "$T/screen")" 'cw-query \[/app/api 1h\.\.now\]> ' \
	"the prompt shows the group and the window"

fakeaws_ctl POST options '{"insights_states": ["Running", "Running", "Running", "Running", "Running", "Running", "Running", "Running", "Running"]}' >/dev/null
fakeaws_ctl DELETE stats >/dev/null
session 'wait \]> ' \
	'send fields level, ms |\n' 'wait \.\.\.> ' 'send sort ms desc | limit 2\n' \
	'wait Running' 'sigint' 'wait cancelled' 'wait \]> ' \
	'send fields @message | explode\n' 'wait MalformedQuery' 'wait \]> ' \
	'send .quit\n'
is "$rc" 0 "Ctrl-C and a malformed query: the session goes on to .quit"
is "$(fakeaws_count StopQuery)" 1 "Ctrl-C during a query sends StopQuery"
like "$screen" "query cancelled" "Ctrl-C: said so"
like "$screen" "MalformedQueryException: unsupported command explode" \
	"a malformed query: the service's message"
is "$(tail -n 3 "$hist" | tr '\001' '~')" "fields level, ms |~sort ms desc | limit 2
fields @message | explode
.quit" "history: one entry per query, the malformed one too"
is "$(stat -c %a "$hist")" 600 "history file: private"
fakeaws_ctl POST options '{"insights_states": ["Running"]}' >/dev/null

# A second session: recall the multi-line query with the up arrow.
# Each step waits for the prompt: what is typed while a command still
# prints is echoed in the middle of its output.
session 'wait \]> ' 'send \033[A\033[A\033[A' 'send \n' 'wait 2 rows;' \
	'wait \]> ' 'send .format json\n' 'wait \]> ' \
	'send fields level | limit 1 | sort ms\n' 'wait \{"level":' 'wait \]> ' \
	'send .format table\n' 'wait \]> ' 'send .x\n' 'wait \]> ' \
	'send fields level, ms | sort ms | limit 1\n' \
	'wait RECORD 1' 'wait \]> ' 'send \004'
is "$rc" 0 "Ctrl-D on an empty line: exit 0"
like "$screen" ' level \| ms' "history recalled: the query ran again"
like "$screen" ' INFO  \| 60' "a result shown as a table"
like "$screen" '\{"level":"ERROR"\}' ".format json"
like "$screen" 'ms    \| 10' ".x: one field per line"

# The window, the limit, help, and mistakes at the prompt.
session 'wait \]> ' 'send .since 20m\n' 'wait \[/app/api 20m\.\.now\]> ' \
	'send .since bogus\n' 'wait since: ' 'wait \]> ' \
	'send .limit 1\n' 'wait \]> ' 'send fields level\n' 'wait 1 row;' \
	'wait \]> ' 'send .help\n' 'wait \.show N' 'wait \]> ' \
	'send .bogus\n' 'wait unknown command' 'wait \]> ' 'send .until 15m\n' \
	'wait 20m\.\.15m\]> ' 'send fields level\n' 'wait B scanned' \
	'wait \]> ' 'send .quit\n'
is "$rc" 0 "meta-commands session: exit 0"
like "$screen" "since: .*bogus" ".since with a bad time: why"
like "$screen" "1 row; .*\\(truncated at 1\\)" ".limit 1: one row"
like "$screen" "\\.format table\\|tsv\\|json\\|csv" ".help lists the commands"
like "$screen" "unknown command \\(try \\.help\\): \\.bogus" "an unknown command"
like "$screen" "[^0-9]0 rows;" ".until 15m: the window ends before the events"

done_testing
