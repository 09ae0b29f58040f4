#!/bin/sh
# The small ones: .edit in a new session opens the history's last query;
# .format confirms; consecutive duplicate history entries kept once;
# GROUP* expanded again after .refresh or .groups; .running lists the
# account's running queries (DescribeQueries) and stops them.
. "$(dirname "$0")/query.sh"

export XDG_STATE_HOME=$T/state
hist=$T/state/cwkit/query_history
mkdir -p "$T/state/cwkit"
printf 'fields ms | limit 2\nfields ms | limit 2\nfields level | limit 1\n.format json\n.format json\n' >"$hist"
chmod 600 "$hist"
cat >"$T/ed" <<ED
#!/bin/sh
cp "\$1" "$T/edited"
ED
chmod +x "$T/ed"
export VISUAL="$T/ed"

gsession() {
	printf '%s\n' "$@" >"$T/script"
	TERM=xterm python3 "$top/tests/t/termrun.py" --cols 120 \
		--script "$T/script" -- cw-query -g '/app/*' >"$T/screen" 2>&1
	rc=$?
	screen=$(tr -d '\r' <"$T/screen")
}

fakeaws_ctl DELETE stats >/dev/null
gsession 'wait \]> ' 'send .edit\n' 'wait \]> fields level' \
	'send \001\013' 'send .history\n' 'wait \]> ' \
	'send .format csv\n' 'wait format csv' 'wait \]> ' \
	'send fields level | limit 1\n' 'wait row;' 'wait \]> ' \
	'send fields level | limit 1\n' 'wait row;' 'wait \]> ' \
	'send .refresh\n' 'wait read again' 'wait \]> ' \
	'send fields level | limit 1\n' 'wait row;' 'wait \]> ' \
	"send .groups /app/*\\n" 'wait \]> ' \
	'send fields level | limit 1\n' 'wait row;' 'wait \]> ' 'send \\q\n'
is "$rc" 0 "session: exit 0"
is "$(cat "$T/edited")" "fields level | limit 1" \
	".edit in a new session: the history's last query, not a command"
like "$screen" '    1  fields ms \| limit 2
    2  fields level \| limit 1
    3  \.format json
    4  \.edit' "duplicates one after another: kept once"
is "$(fakeaws_count DescribeLogGroups)" 3 \
	"GROUP* expanded once, again after .refresh, again after .groups"

# .running: a query someone else left running.
fakeaws_ctl POST options '{"insights_states": ["Running", "Running", "Running", "Running", "Running"]}' >/dev/null
id=$(awscall logs StartQuery '{"logGroupNames": ["/app/web"], "queryString": "fields @message", "startTime": 0, "endTime": 2000000000}' |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["queryId"])')
call GetQueryResults "{\"queryId\": \"$id\"}"
fakeaws_ctl DELETE stats >/dev/null
gsession 'wait \]> ' 'send .running\n' 'wait \]> ' \
	'send .running stop all\n' 'wait stopped' 'wait \]> ' \
	'send .running\n' 'wait no query running' 'wait \]> ' 'send \\q\n'
is "$rc" 0 ".running session: exit 0"
like "$screen" "$id  Running  [0-9]+s  /app/web  fields @message" \
	".running: id, status, age, group, query"
like "$screen" "stopped $id" ".running stop all: said so"
fakeaws_ctl GET stats | python3 -c '
import json, sys
reqs = json.load(sys.stdin)["requests"]
for r in reqs:
    if r["op"] in ("DescribeQueries", "StopQuery"):
        print(r["op"], json.dumps(json.loads(r["body"]), sort_keys=True))' >"$T/reqs"
is "$(sort -u "$T/reqs")" "DescribeQueries {\"status\": \"Running\"}
DescribeQueries {\"status\": \"Scheduled\"}
StopQuery {\"queryId\": \"$id\"}" "DescribeQueries by status, one StopQuery for the query"
is "$(fakeaws_count StartQuery)" 0 "no StartQuery"

done_testing
