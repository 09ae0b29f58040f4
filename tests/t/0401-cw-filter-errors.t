#!/bin/sh
# A pattern AWS would refuse: the reason, the column, a caret; exit 2.
. "$(dirname "$0")/lib.sh"

echo 'x' >"$T/log"

run cw-filter '{ $.a = %x!% }' "$T/log"
is "$rc" 2 "a refused pattern: exit 2"
is "$err" 'cw-filter: pattern: column 11: invalid character(s) in term
{ $.a = %x!% }
          ^' "reason, column, the pattern and a caret"

run cw-filter '{ $.eventType = "x"' "$T/log"
is "$err" "cw-filter: pattern: column 20: if a filter pattern starts with '{' it must end with '}'
{ \$.eventType = \"x\"
                   ^" "an unclosed brace: AWS's reason, caret past the end"

run cw-filter 'email@someemail.com' "$T/log"
like "$err" "column 6: invalid filter pattern: '@' must be inside double quotes" \
	"@ in a bare word"

run cw-filter '{ $.a IS NOT NULL }' "$T/log"
like "$err" "column 7: invalid filter pattern: IS NOT is not supported" "IS NOT"

run cw-filter '[ip, status = 4* && bytes > 1000]' "$T/log"
like "$err" "column 21: .*names another field" "a condition on another field"

run cw-filter '%(a|b)%' "$T/log"
like "$err" "column 2: invalid character\(s\) in term" "parentheses in a regex"

run cw-filter '{ $.a = "café" && $.b = %x!% }' "$T/log"
is "$(printf '%s\n' "$err" | sed -n 3p)" "                          ^" \
	"the caret counts characters, not bytes"

long=$(printf '%01025d' 0)
run cw-filter "$long" "$T/log"
like "$err" "column 1025: .*less than or equal to 1024" "1025 characters are refused"
is "$rc" 2 "too long: exit 2"
ok1024=$(printf '%01024d' 0)
run cw-filter "$ok1024" "$T/log"
is "$rc" 1 "1024 characters are fine"

run cw-filter --explain '{ $.a = '
is "$rc" 2 "--explain of a bad pattern: exit 2"

run cw-filter -g /app -v ERROR
is "$rc" 2 "-g with -v: exit 2"
like "$err" "cannot be used with -v" "-g with -v: why"

run cw-filter -o short ERROR "$T/log"
is "$rc" 2 "-o short needs -g"
run cw-filter -o yaml ERROR "$T/log"
is "$rc" 2 "an unknown -o format: exit 2"

done_testing
