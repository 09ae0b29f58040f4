#!/bin/sh
# A field the row lacks against an empty one: .null STRING (psql's \pset
# null), --null, shown the same way in every layout; .x shows every
# field of every record.
. "$(dirname "$0")/lib.sh"

start_fakeaws
now=$(date +%s)000
call CreateLogGroup '{"logGroupName": "/n"}'
call CreateLogStream '{"logGroupName": "/n", "logStreamName": "s"}'
call PutLogEvents '{"logGroupName": "/n", "logStreamName": "s", "logEvents": [
 {"timestamp": '"$((now - 3000))"', "message": "{\"n\": 1, \"a\": \"x\", \"b\": \"\"}"},
 {"timestamp": '"$((now - 2000))"', "message": "{\"n\": 2, \"b\": \"y\"}"}]}'

q='fields n, a, b | sort n'
run cw-query -g /n -o tsv --null '(null)' "$q"
is "$out" "n	a	b
1	x	
2	(null)	y" "--null, TSV: missing shows the marker, empty stays empty"
run cw-query -g /n -o csv --null '-' "$q"
is "$out" "n,a,b
1,x,
2,-,y" "CSV: the marker as it is"
run cw-query -g /n -o json --null '-' "$q"
is "$out" '{"n":"1","a":"x","b":""}
{"n":"2","a":null,"b":"y"}' "JSON: missing is null"
run cw-query -g /n -o json "$q"
is "$out" '{"n":"1","a":"x","b":""}
{"n":"2","b":"y"}' "JSON without a marker: missing left out"

printf '%s\n' '.null ∅' "$q;" '.x' "$q;" '.null' '\x off' ".null ''" "$q;" \
	>"$T/script"
run cw-query -g /n -o table -f "$T/script"
is "$rc" 0 "a script with .null and .x: exit 0"
is "$out" " n | a | b
---+---+---
 1 | x | 
 2 | ∅ | y
-[ RECORD 1 ]-----
n | 1
a | x
b | 
-[ RECORD 2 ]-----
n | 2
a | ∅
b | y
 n | a | b
---+---+---
 1 | x | 
 2 |   | y" ".null in a table and in .x; .x keeps missing fields; '' resets"
like "$err" 'null display is "∅"' ".null confirms"

# at a terminal, the same
printf '%s\n' 'wait \]> ' 'send .null NULL\n' 'wait null display' \
	'wait \]> ' "send $q\\n" 'wait 2 rows' 'wait \]> ' 'send \\q\n' \
	>"$T/steps"
TERM=xterm python3 "$top/tests/t/termrun.py" --cols 120 --script "$T/steps" \
	-- cw-query -g /n >"$T/screen" 2>&1
is "$?" 0 "at a terminal: exit 0"
like "$(tr -d '\r' <"$T/screen")" ' 2 \| NULL \| y' "at a terminal: the marker"

done_testing
