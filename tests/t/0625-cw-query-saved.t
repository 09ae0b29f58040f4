#!/bin/sh
# Saved queries: .save sends plain log group names only (GROUP* expanded,
# an ARN as its name), as the model's pattern wants; .saved NAME restores
# the groups with the query; names complete; .unsave deletes.
. "$(dirname "$0")/query.sh"

export XDG_STATE_HOME=$T/state
msession() {
	printf '%s\n' "$@" >"$T/script"
	TERM=xterm python3 "$top/tests/t/termrun.py" --cols 120 \
		--script "$T/script" -- cw-query -g '/app/*' >"$T/screen" 2>&1
	rc=$?
	screen=$(tr -d '\r' <"$T/screen")
}

# bodies OP MEMBER: MEMBER of each OP request, as JSON, one a line.
bodies() {
	fakeaws_ctl GET stats | python3 -c '
import json, sys
for r in json.load(sys.stdin)["requests"]:
    if r["op"] == sys.argv[1]:
        print(json.dumps(json.loads(r["body"]).get(sys.argv[2])))' "$1" "$2"
}

fakeaws_ctl DELETE stats >/dev/null
msession 'wait \]> ' 'send fields level | sort ms | limit 1\n' 'wait 1 row' \
	'wait \]> ' 'send .save inc/errors\n' 'wait saved as' 'wait \]> ' \
	'send .groups arn:aws:logs:us-east-1:123456789012:log-group:/app/web\n' \
	'wait \]> ' 'send .save inc/web\n' 'wait saved as' 'wait \]> ' \
	'send .groups /elsewhere\n' 'wait \[/elsewhere ' \
	'send .saved inc/e\t' 'wait inc/errors' 'send \n' \
	'wait group /app/web' 'wait fields level \| sort ms \| limit 1' \
	'send \n' 'wait 1 row' 'wait \]> ' \
	'send .unsave inc/w\t' 'wait inc/web' 'send \n' 'wait deleted' \
	'wait \]> ' 'send .saved\n' 'wait \]> ' 'send \\q\n'
is "$rc" 0 "session: exit 0"
is "$(bodies PutQueryDefinition logGroupNames)" '["/app/api", "/app/web"]
["/app/web"]' ".save: GROUP* expanded, the ARN as its name"
is "$(bodies PutQueryDefinition logGroupNames | python3 -c '
import json, re, sys
for line in sys.stdin:
    for g in json.loads(line):
        if not re.fullmatch(r"[\.\-_/#A-Za-z0-9]+", g) or len(g) > 512:
            print("bad", g)')" "" "every name saved fits the model's pattern"
like "$screen" 'cw-query \[/app/api \+1 1h\.\.now\]> fields level' \
	".saved: the groups restored, the query at the prompt"
is "$(bodies StartQuery logGroupNames | tail -n 1)" '["/app/api", "/app/web"]' \
	"the restored query ran over the restored groups"
is "$(bodies DeleteQueryDefinition queryDefinitionId | wc -l | tr -d ' ')" 1 \
	".unsave: one DeleteQueryDefinition"
like "$screen" 'inc/errors
    fields level \| sort ms \| limit 1' ".saved lists the one left"
unlike "$(printf '%s\n' "$screen" | sed -n '/> \.saved$/,$p')" 'inc/web' \
	"the deleted one is gone"
is "$(fakeaws_count StartQuery)" 2 "no StartQuery for the commands"

done_testing
