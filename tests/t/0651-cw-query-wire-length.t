#!/bin/sh
# cw-query: the 10,000-character limit on a query counts characters
# (code points), as the service does, not bytes; requests checked
# against the Logs model.
. "$(dirname "$0")/query.sh"

# query N: a valid query of N characters, most of them two bytes (é).
query() {
	python3 -c 'import sys; n = int(sys.argv[1]) - 23
sys.stdout.write("filter @message like \"" + "\u00e9" * n + "\"")' "$1"
}
query 10000 >"$T/q10000"
query 10001 >"$T/q10001"
is "$(wc -c <"$T/q10000" | tr -d ' ')" 19977 "the query of 10,000 characters is 19,977 bytes"

fakeaws_ctl DELETE stats >/dev/null
run cw-query -g /app/api "$(cat "$T/q10000")"
is "$rc:$out" "0:" "10,000 characters in 19,977 bytes: sent and run"
like "$err" "^0 rows; records matched 0, scanned 7; " "the emulator ran it"
run cw-query -g /app/api -f "$T/q10000"
is "$rc" 0 "the same from a file"
is "$(fakeaws_count StartQuery)" 2 "both reached StartQuery"
is "$(model_check StartQuery)" "" "within the model's length, counted in characters"

fakeaws_ctl DELETE stats >/dev/null
run cw-query -g /app/api "$(cat "$T/q10001")"
is "$rc:$out:$err" "2::cw-query: query: 10001 characters, at most 10000" \
	"10,001 characters: refused before sending"
is "$(fakeaws_count StartQuery)" 0 "no StartQuery"

done_testing
