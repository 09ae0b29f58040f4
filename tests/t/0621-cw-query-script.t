#!/bin/sh
# cw-query -f and piped input as scripts: ';'-separated statements and
# dot/backslash commands run in order; the first failure ends the script
# with status 2, unless --continue-on-error.
. "$(dirname "$0")/query.sh"

queries() {
	fakeaws_ctl GET stats | python3 -c '
import json, sys
for r in json.load(sys.stdin)["requests"]:
    if r["op"] == "StartQuery":
        print(json.loads(r["body"])["queryString"].replace("\n", "~"))'
}

cat >"$T/three" <<'Q'
fields level
| filter level = "ERROR"
| sort ms
| limit 1;

.format json
\x off
fields ms | sort ms desc | limit 1;
fields route
| sort route | limit 1
Q
fakeaws_ctl DELETE stats >/dev/null
run cw-query -g /app/api -f "$T/three"
is "$rc" 0 "a script of three statements: exit 0"
is "$out" 'level
ERROR
{"ms":"60"}
{"route":"/r0"}' "three results, in order, the second after .format json"
is "$(queries)" 'fields level~| filter level = "ERROR"~| sort ms~| limit 1
fields ms | sort ms desc | limit 1
fields route~| sort route | limit 1' \
	"three StartQuery, without ';', the commands not sent"
like "$err" "format json" ".format confirms on stderr"

# The first failure stops the script: status 2, nothing after it runs.
printf 'fields level | sort ms | limit 1;\nfields x | explode;\nfields ms | limit 1;\n' \
	>"$T/bad"
fakeaws_ctl DELETE stats >/dev/null
run cw-query -g /app/api -f "$T/bad"
is "$rc" 2 "a failing statement: exit 2"
is "$(fakeaws_count StartQuery)" 2 "the statement after the failure is not sent"
is "$out" "level
ERROR" "the rows before the failure are printed"
fakeaws_ctl DELETE stats >/dev/null
run cw-query -g /app/api --continue-on-error -f "$T/bad"
is "$rc" 2 "--continue-on-error: still exit 2"
is "$(fakeaws_count StartQuery)" 3 "--continue-on-error: the third statement runs"

# A failing command stops it too; piped input is a script.
fakeaws_ctl DELETE stats >/dev/null
printf '.format yaml\nfields level | limit 1\n' >"$T/badcmd"
run sh -c "cw-query -g /app/api <'$T/badcmd'"
is "$rc" 2 "a failing command on stdin: exit 2"
like "$err" "output format 'yaml'" "the command's error"
is "$(fakeaws_count StartQuery)" 0 "nothing sent after the failing command"
printf 'fields level | limit 1;\nquit\nfields ms;\n' >"$T/quit"
run sh -c "cw-query -g /app/api <'$T/quit'"
is "$rc:$(fakeaws_count StartQuery)" "0:1" "quit ends a script, exit 0"

# The argument is one query; a trailing ';' is not sent.
fakeaws_ctl DELETE stats >/dev/null
run cw-query -g /app/api -o tsv 'fields level | limit 1 ;'
is "$rc:$(queries)" "0:fields level | limit 1" "a trailing ';' is not sent"

done_testing
