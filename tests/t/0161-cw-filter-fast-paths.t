#!/bin/sh
# The buffer searches over files of several reads (256 KiB each), with
# the lines they must find on either side of a read's end: the literal's
# bytes chosen from the first read, a JSON key's depth, backslashes
# searched once a buffer, a value at a field's start.
. "$(dirname "$0")/lib.sh"

# 3000 lines of "er"-heavy JSON, then every 7th of 6000 lines holds
# "error", one in 50 spelt with an escape; in between, "error" nested or
# in a string, which does not count.
awk 'BEGIN {
	for (i = 0; i < 3000; i++)
		printf "{\"server\":\"other user %d\",\"level\":\"info\"}\n", i
	for (i = 0; i < 6000; i++) {
		if (i % 350 == 0)
			print "{\"msg\":\"a \\\\ b\",\"level\":\"err\\u006fr\",\"latencyMs\":1}"
		else if (i % 7 == 0)
			printf "{\"pad\":\"%0" (i % 90) "d\",\"level\":\"error\",\"latencyMs\":%d}\n", 0, i % 1000
		else if (i % 7 == 1)
			print "{\"x\":{\"level\":\"error\",\"latencyMs\":2000},\"msg\":\"level error\",\"latencyMs\":2}"
		else
			printf "{\"level\":\"warn\",\"msg\":\"\\\\\\\"level\\\\\\\":\\\\\\\"error\\\\\\\"\",\"latencyMs\":%d}\n", i % 1200
	}
}' >"$T/json"
total=$(wc -l <"$T/json" | tr -d ' ')
run cw-filter -c '{ $.level = "error" }' "$T/json"
is "$out" 858 "JSON: the escaped and plain values, not the nested or quoted ones"
run cw-filter -vc '{ $.level = "error" }' "$T/json"
is "$((out + 858))" "$total" "and -v counts the rest"
run cw-filter -c '{ $.level = "error" && $.latencyMs > 500 }' "$T/json"
want=$(awk 'BEGIN { for (i = 0; i < 6000; i++) if (i % 350 && i % 7 == 0 && i % 1000 > 500) n++; print n }')
is "$out" "$want" "JSON &&: the literal's bytes chosen from the first read"
run cw-filter -c '{ $.level = "error" || $.latencyMs > 1000 }' "$T/json"
want=$(awk 'BEGIN { for (i = 0; i < 6000; i++) if (i % 7 == 0 || (i % 7 > 1 && i % 1200 > 1000)) n++; print n }')
is "$out" "$want" "JSON ||: nested latencyMs and quoted keys do not count"

# Space-delimited: the status field after a blank, a tab, inside quotes
# or brackets, or right after a closing quote or bracket; 5 elsewhere in
# the line does not count.
awk 'BEGIN {
	for (i = 0; i < 40000; i++) {
		k = i % 9
		if (k == 0) printf "10.0.0.%d - u [t] \"GET /5 HTTP/1.1\" 503 5%d\n", i % 250, i
		else if (k == 1) printf "10.0.0.5 - u [t] \"GET /%d\"\t502 1\n", i
		else if (k == 2) printf "h - u [t] \"r\" \"500\" 1\n"
		else if (k == 3) printf "h - u [t] \"r\"[599] 1\n"
		else if (k == 4) printf "h - u [t]\"r\"5 1\n"
		else if (k == 5) printf "h - u [t] [r]5 1\n"
		else printf "5.0.0.%d - u [5] \"GET /5\" 200 5%d\n", i % 250, i
	}
}' >"$T/space"
run cw-filter -c '[ip, ident, user, ts, request, status = 5*, bytes]' "$T/space"
is "$out" 26668 "space-delimited: the status where each kind of field starts"
run cw-filter -c '[ip, ident, user, ts, request, status = 5*, bytes]' - <"$T/space"
is "$out" 26668 "the same from a pipe"

done_testing
