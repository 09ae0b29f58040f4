#!/bin/sh
# cw-query: an answer without statistics (the model makes every member
# optional) is said to have none, not read as zeros.
. "$(dirname "$0")/query.sh"

opts() { fakeaws_ctl POST options "$1" >/dev/null; }

opts '{"insights_statistics": false}'
run cw-query -g /app/api 'stats count(*) as n'
is "$rc:$out" "0:n
7" "the rows"
is "$err" "1 row; no statistics in the answer" "no statistics: said so"
unlike "$err" "matched 0" "not matched 0"

opts '{"insights_statistics": false, "insights_states": ["Running", "Failed"]}'
run cw-query -g /app/api 'fields @message'
is "$rc:$err" "2:cw-query: query Failed (no statistics in the answer)" \
	"a Failed query without statistics"

opts '{"insights_statistics": true, "insights_states": ["Running"]}'
run cw-query -g /app/api 'stats count(*) as n'
like "$err" "^1 row; records matched 7, scanned 7; " "with statistics: they are shown"

done_testing
