#!/bin/sh
# cw-query -o json on a terminal, with C1 controls (U+0080..U+009F) in
# a log event: written as \u escapes, as its page promises; the JSON
# parses the same.
. "$(dirname "$0")/lib.sh"
start_fakeaws
aws() { python3 "$top/tests/t/awscall.py" "$@" >/dev/null; }
tty_run() { python3 "$top/tests/t/termrun.py" --cols 200 "$@"; }
msg='c1 \u009b2J\u009d0;pwned\u0007 end'

now=$(date +%s)000
aws logs CreateLogGroup '{"logGroupName":"/c1"}'
aws logs CreateLogStream '{"logGroupName":"/c1","logStreamName":"s"}'
aws logs PutLogEvents "{\"logGroupName\":\"/c1\",\"logStreamName\":\"s\",\"logEvents\":[{\"timestamp\":$((now - 60000)),\"message\":\"$msg\"}]}"

# stdout only: the progress line on stderr is cw-query's own
tty_run sh -c "cw-query -g /c1 -o json 'fields @message' 2>/dev/null" >"$T/query"
is "$?" 0 "cw-query -o json on a terminal: exit 0"
is "$(raw_controls "$T/query")" 0 "cw-query -o json: no raw C1 or C0 byte (od)"
like "$(cat "$T/query")" '"@message":"c1 \\u009b2J\\u009d0;pwned\\u0007 end"' \
	"cw-query -o json: C1 controls as \\u escapes"
tr -d '\r' <"$T/query" | python3 -c '
import json, sys
sys.exit(0 if json.loads(sys.stdin.readline())["@message"] ==
    "c1 \u009b2J\u009d0;pwned\u0007 end" else 1)'
is "$?" 0 "cw-query -o json: parses to the message as it was put"
done_testing
