#!/bin/sh
# JSON lines that cannot match are passed over unread: a line is looked
# at only where a value after its key passes as text (nested or not), or
# where it holds a backslash. The answers stay the walk's: nested values
# that pass while the top one fails, the first of duplicates, numbers in
# other forms, blanks around the colon, lines longer than a read (256 KiB)
# and matches on either side of a read's end.
. "$(dirname "$0")/lib.sh"

awk 'BEGIN {
	while (length(pad) < 300000)
		pad = pad "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	for (i = 0; i < 30000; i++) {
		k = i % 10; t = i % 1500
		if (k == 0) {
			printf "{\"level\":\"info\",\"up\":{\"latencyMs\":5000},\"latencyMs\":%d}\n", t
			n += t > 1000
		} else if (k == 1) {
			printf "{\"a\":{\"level\":\"error\"},\"level\":\"warn\",\"latencyMs\" : %d }\n", t
			n += t > 1000
		} else if (k == 2) {
			printf "{\"msg\":\"\\\\u0041\",\"level\":\"%s\",\"latencyMs\":1}\n", t % 3 ? "info" : "error"
			n += t % 3 == 0
		} else if (k == 3) {
			printf "{\"latencyMs\":%d,\"latencyMs\":5000,\"level\":\"info\"}\n", t
			n += t > 1000
		} else if (k == 4) {
			printf "{\"latencyMs\":%s,\"level\":\"info\"}\n", t % 2 ? "1e3" : "1000.5"
			n += t % 2 == 0
		} else if (k == 5) {
			printf "{\"x\":\"latencyMs\",\"y\":5000,\"z\":\"error\",\"level\":\"info\"}\n"
		} else if (k == 6 && i % 5000 == 6) {
			printf "{\"pad\":\"%s\",\"up\":{\"latencyMs\":9999},\"latencyMs\":1}\n", pad
			printf "{\"pad\":\"%s\",\"latencyMs\":1001}\n", pad
			printf "{\"level\":\"info\",\"pad\":\"%s\",\"level\":\"error\"}\n", pad
			printf "{\"pad\":\"%s\",\"msg\":\"error\",\"level\":\"error\"}\n", pad
			n += 2
		} else {
			printf "{\"level\":\"%s\",\"latencyMs\":%d,\"msg\":\"error %d\"}\n", t % 97 ? "info" : "error", t, i
			n += t % 97 == 0 || t > 1000
		}
	}
	print n >"/dev/stderr"
}' >"$T/json" 2>"$T/want"
want=$(cat "$T/want")
pat='{ $.level = "error" || $.latencyMs > 1000 }'

filter_counts "$pat" "$T/json" "$want" 12 \
	"||: nested, duplicate and quoted places decided as the walk does"

# Every line of the file alone gives the answer of the whole.
awk 'NR % 199 == 5' "$T/json" >"$T/some"
n=0
while IFS= read -r line; do
	printf '%s\n' "$line" >"$T/one"
	c=$(cw-filter -c "$pat" "$T/one")
	n=$((n + c))
done <"$T/some"
run cw-filter -c "$pat" "$T/some"
is "$out" "$n" "a sample of lines one by one and together"

done_testing
