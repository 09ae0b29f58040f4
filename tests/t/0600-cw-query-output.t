#!/bin/sh
# cw-query scripted: every output format, statistics on stderr, the
# query from argv, a file or stdin, wildcards, untrusted bytes on a tty.
. "$(dirname "$0")/query.sh"

q='fields level, route, ms | filter level = "ERROR" or level = "INFO" | sort ms desc | limit 3'

run cw-query -g /app/api "$q"
is "$rc" 0 "a query: exit 0"
is "$out" "level	route	ms
INFO	/r1	60
INFO	/r0	50
ERROR	/r1	40" "TSV with a header when piped"
like "$err" "^3 rows; records matched 6, scanned 7; [0-9]+ B scanned$" \
	"statistics on stderr"
is "$(fakeaws_count StartQuery):$(fakeaws_count StopQuery)" "1:0" \
	"one StartQuery, no StopQuery"

run cw-query -g /app/api -o json "$q"
is "$out" '{"level":"INFO","route":"/r1","ms":"60"}
{"level":"INFO","route":"/r0","ms":"50"}
{"level":"ERROR","route":"/r1","ms":"40"}' "-o json: one object per row"

run cw-query -g /app/api -o csv 'fields @message | filter @message like /plain/'
is "$out" '@message
"plain '"$(printf '\033')"'[31mred'"$(printf '\033')"'[0m, ""quoted""	tab"' \
	"-o csv: RFC 4180 quoting"

run cw-query -g /app/api -o tsv 'fields @message | filter @message like /plain/'
is "$out" '@message
plain '"$(printf '\033')"'[31mred'"$(printf '\033')"'[0m, "quoted"\ttab' \
	"-o tsv: tab escaped"

run cw-query -g /app/api -o table 'fields level, ms | filter ms >= 50 | sort ms'
is "$out" ' level | ms
-------+----
 INFO  | 50
 INFO  | 60' "-o table: aligned, numbers to the right"

run cw-query -x -o table -g /app/api 'fields level, ms | sort ms desc | limit 1'
is "$out" '-[ RECORD 1 ]-----
level | INFO
ms    | 60' "-x: one field per line"

run cw-query -g '/app/*' 'stats count(*) as n by level | sort n'
is "$out" "level	n
ERROR	3
INFO	4" "GROUP* expands: the events of both groups are counted"
is "$(fakeaws_count DescribeLogGroups)" 1 "one DescribeLogGroups for the *"

printf 'fields level\n| filter level = "ERROR"\n| stats count(*) as n\n' >"$T/q"
run cw-query -g /app/api -f "$T/q"
is "$out" "n
2" "-f FILE"
run sh -c "cw-query -g /app/api <'$T/q'"
is "$out" "n
2" "the query from stdin"
run cw-query -g /app/api --limit 2 'fields @message'
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 3 "--limit 2: two rows"
like "$err" "truncated at 2" "--limit reached: said so"

# A paged result (the newer API): every page is read.
fakeaws_ctl POST options '{"insights_page_size": 2}' >/dev/null
fakeaws_ctl DELETE stats >/dev/null
run cw-query -g /app/api 'fields ms | filter ms > 0 | sort ms'
is "$(printf '%s' "$out" | tr '\n' ' ')" "ms 10 20 30 40 50 60" \
	"a paged result: the rows of every page, in order"
is "$(fakeaws_count GetQueryResults)" 4 "one GetQueryResults per page after Running"
fakeaws_ctl POST options '{"insights_page_size": 0}' >/dev/null

run cw-query -g /app/api -s 2m 'fields @message'
is "$out" "" "-s 2m: the older events are left out"
like "$err" "^0 rows" "no rows: exit 0 and a count"

# A terminal gets the table, with control bytes shown, not obeyed.
printf '%s\n' 'wait B scanned' >"$T/script"
TERM=xterm python3 "$top/tests/t/termrun.py" --cols 120 --script "$T/script" -- cw-query -g /app/api \
	'fields @message | filter @message like /plain/' >"$T/tty" 2>&1
ttyout=$(cat "$T/tty")
like "$ttyout" ' @message' "a tty gets the aligned table"
like "$ttyout" 'plain \\033\[31mred\\033\[0m, "quoted"\\011tab' \
	"control bytes escaped on a tty"
unlike "$ttyout" "$(printf '\033')\\[31m" "no raw escape sequence reaches the tty"

done_testing
