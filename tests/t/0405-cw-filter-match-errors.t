#!/bin/sh
# A regex that reaches PCRE2's match limit decides nothing: the line is
# reported (exit 2) and every other line is still decided.
. "$(dirname "$0")/lib.sh"

a3000=$(python3 -c 'print("a" * 3000)')
# The issue's input: the long line has no 'b', so it does not match;
# the buffer search may give up on it, the line-by-line one decides it.
{ echo b; echo "${a3000}c"; echo b; } >"$T/issue"
run cw-filter -c '%a*a*a*a*a*b%' "$T/issue"
is "$out:$rc" "2:0" "the issue's example: both b lines counted"
run cw-filter -v '%a*a*a*a*a*b%' "$T/issue"
is "$out" "${a3000}c" "-v prints the line that does not match"

# Lines that reach the limit whatever the search: "a...acb".
{ echo "b1"; echo "${a3000}cb"; echo "b2"; echo "${a3000}cb"; echo "zzz"; } >"$T/lim"
run cw-filter '%a*a*a*a*a*b%' "$T/lim"
is "$out" "b1
b2" "the lines around an undecided one are printed"
is "$rc" 2 "an undecided line: exit 2"
is "$err" "cw-filter: $T/lim: line at byte 3: the pattern's regular expression reached its match limit: neither selected nor rejected
cw-filter: $T/lim: line at byte 3009: the pattern's regular expression reached its match limit: neither selected nor rejected" \
	"each undecided line is named by its offset"
run cw-filter -c '%a*a*a*a*a*b%' "$T/lim"
is "$out:$rc" "2:2" "-c counts the decided lines and exits 2"
run cw-filter -v '%a*a*a*a*a*b%' "$T/lim"
is "$out:$rc" "zzz:2" "-v does not print an undecided line as a non-match"
run cw-filter -q '%a*a*a*a*a*b%' "$T/lim"
is "$rc" 0 "-q with a match: exit 0, as grep"
printf '%s\n' "${a3000}cb" "nothing" >"$T/lim2"
run cw-filter -q '%a*a*a*a*a*b%' "$T/lim2"
is "$rc" 2 "-q without a match but with an undecided line: exit 2"

# Inside JSON values and space-delimited fields.
printf '{"a":"%scb","n":1}\n{"a":"b","n":2}\n{"a":"%scb","n":3}\n' "$a3000" "$a3000" >"$T/json"
run cw-filter -c '{ $.a = %a*a*a*a*a*b% }' "$T/json"
is "$out:$rc" "1:2" "JSON: the decided line counted, exit 2"
like "$err" "line at byte 0: .*match limit" "JSON: the first line named"
run cw-filter -c '{ $.a = %a*a*a*a*a*b% || $.n = 1 }' "$T/json"
is "$out:$rc" "2:2" "JSON: || decided by the other side for n=1, not for n=3"
run cw-filter -c '{ $.a = %a*a*a*a*a*b% && $.n = 9 }' "$T/json"
is "$out:$rc" "0:1" "JSON: && decided by the other side: no error at all"
run cw-filter -c '{ $.a != %a*a*a*a*a*b% }' "$T/json"
is "$rc" 2 "JSON: != of an undecided regex is undecided too"
run cw-filter -c '{ $.* = %a*a*a*a*a*b% }' "$T/json"
is "$out:$rc" "1:2" "JSON wildcard: an undecided value is reported"
printf '{"x":["%scb","b"]}\n' "$a3000" >"$T/arr"
run cw-filter -c '{ $.x[*] = %a*a*a*a*a*b% }' "$T/arr"
is "$out:$rc" "1:0" "JSON wildcard: another element that matches decides"

printf '%scb 1\nb 2\n' "$a3000" >"$T/space"
run cw-filter -c '[w = %a*a*a*a*a*b%, n]' "$T/space"
is "$out:$rc" "1:2" "space-delimited: the decided line counted, exit 2"
run cw-filter -c '[w = %a*a*a*a*a*b%, n = 5]' "$T/space"
is "$out:$rc" "0:1" "space-delimited: another field decides"

# --events: the message is matched, the line named.
python3 -c '
import json
for m in ["b", "a" * 3000 + "cb", "zz"]:
    print(json.dumps({"group": "/g", "stream": "s", "timestamp": 1, "ingestionTime": 2, "eventId": "e", "message": m}))' >"$T/events"
run cw-filter --events -c '%a*a*a*a*a*b%' "$T/events"
is "$out:$rc" "1:2" "--events: the decided events counted, exit 2"
like "$err" "events: line at byte [0-9]+: .*match limit" "--events: the undecided event named"

done_testing
