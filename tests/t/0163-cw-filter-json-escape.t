#!/bin/sh
# A JSON pattern's literal and the \u escape that may spell it are
# searched for in one pass: lines holding either are decided, whatever
# side of a read's end (256 KiB) they stand on, lines longer than a read
# included, and other backslashes change nothing.
. "$(dirname "$0")/lib.sh"

awk 'BEGIN {
	while (length(pad) < 300000)
		pad = pad "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	for (i = 0; i < 30000; i++) {
		k = i % 8; t = i % 1000
		if (k == 0) {
			printf "{\"level\":\"\\u0065rror\",\"latencyMs\":%d}\n", t
			n += t > 500
		} else if (k == 1) {
			printf "{\"\\u006cevel\":\"err\\u006Fr\",\"latencyMs\":%d}\n", t
			n += t > 500
		} else if (k == 2) {
			printf "{\"m\":\"a\\\"b\",\"level\":\"error\",\"latencyMs\":%d}\n", t
			n += t > 500
		} else if (k == 3) {
			printf "{\"level\":\"\\\\u0065rror\",\"latencyMs\":%d}\n", t
		} else if (k == 4 && i % 3000 == 4) {
			printf "{\"pad\":\"%s\",\"level\":\"\\u0065rror\",\"latencyMs\":900}\n", pad
			printf "{\"level\":\"error\",\"pad\":\"%s\",\"latencyMs\":901}\n", pad
			printf "{\"level\":\"error\",\"pad\":\"%s\",\"latencyMs\":1}\n", pad
			n += 2
		} else {
			printf "{\"level\":\"%s\",\"latencyMs\":%d,\"msg\":\"n %d\"}\n", t % 7 ? "info" : "error", t, i
			n += t % 7 == 0 && t > 500
		}
	}
	print n >"/dev/stderr"
}' >"$T/json" 2>"$T/want"
want=$(cat "$T/want")
pat='{ $.level = "error" && $.latencyMs > 500 }'

filter_counts "$pat" "$T/json" "$want" 20 \
	"&&: escaped and plain values decided as the walk does"
is "$(grep -cF '\\u' "$T/filtered")" 0 "no line whose backslash is escaped"

done_testing
