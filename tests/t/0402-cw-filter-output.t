#!/bin/sh
# --events, -o json and --explain.
. "$(dirname "$0")/lib.sh"

cat >"$T/events" <<'JSON'
{"group":"/app","stream":"s1","timestamp":1700000000000,"ingestionTime":1700000000100,"eventId":"e1","message":"ERROR boom"}
{"group":"/app","stream":"s1","timestamp":1700000000001,"ingestionTime":1700000000101,"eventId":"e2","message":"{\"level\":\"error\",\"code\":503}"}
{"group":"/app","stream":"s2","timestamp":1700000000002,"ingestionTime":1700000000102,"eventId":"e3","message":"INFO ok\nsecond line"}
not json at all ERROR
JSON

run cw-filter --events ERROR "$T/events"
is "$out" "ERROR boom" "--events matches and prints the message"
is "$rc" 0 "--events: exit 0"
is "$err" "cw-filter: $T/events: line at byte 409: not an event of cw-tail -o json: skipped" \
	"--events: a line that is not an event is named, not printed"

run cw-filter --events -o json '{ $.code >= 500 }' "$T/events"
is "$out" '{"group":"/app","stream":"s1","timestamp":1700000000001,"ingestionTime":1700000000101,"eventId":"e2","message":"{\"level\":\"error\",\"code\":503}"}' \
	"--events -o json prints the whole event"

run cw-filter --events 'group' "$T/events"
is "$rc" 1 "--events matches the message only, not the other keys"

run cw-filter --events -c '%^INFO ok$%' "$T/events"
is "$out" 0 "--events: a regex \$ ends the message, not a line in it"
run cw-filter --events -c '%second line$%' "$T/events"
is "$out" 1 "--events: multi-line messages are one event"

run cw-filter --events -v -c ERROR "$T/events"
is "$out" 2 "--events -v counts events, skipping lines that are not events"

printf '%s\n' \
	'127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534' \
	'127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /index.html HTTP/1.0" 200 5324' \
	>"$T/access"
run cw-filter -o json '[..., request=*.html*, status_code=4*,]' "$T/access"
is "$out" '{"$1":"127.0.0.1","$2":"-","$3":"frank","$4":"10/Oct/2000:13:25:15 -0700","$request":"GET /index.html HTTP/1.0","$status_code":"404","$7":"1534"}' \
	"-o json: the extracted values of the doc example"

printf '%s\n' '{"path":"/api/users","latency":35.5,"user":{"id":"u1"}}' \
	'{"path":"/web","latency":2}' >"$T/json"
run cw-filter -o json '{ $.latency = * && $.path = "/api/*" && $.user.id = * }' "$T/json"
is "$out" '{"$.latency":35.5,"$.path":"/api/users","$.user.id":"u1"}' \
	"-o json: JSON values keep their type"

run cw-filter -o json ERROR "$T/events"
is "$out" '{}
{}' "-o json: term patterns extract nothing, one object per match"

run cw-filter --explain '{ $.a = 1 && ($.b = "x*" || $.c NOT EXISTS) }'
is "$out" 'json
  and
    $.a = 1 (number)
    or
      $.b = "x*" (string, wildcard)
      $.c NOT EXISTS' "--explain prints the tree"
is "$rc" 0 "--explain: exit 0"

run cw-filter --explain '?ERROR ?WARN'
is "$out" 'terms (any of)
  any "ERROR"
  any "WARN"' "--explain of OR terms"

run cw-filter --explain '?ERROR ?WARN REQUEST'
is "$out" 'terms
  must "REQUEST"' "--explain shows that ?-terms beside a plain term are dropped"

run cw-filter --explain ''
is "$out" 'all (every event matches)' "--explain of the empty pattern"

run cw-filter --explain '%^[hc]at%'
is "$out" 'regex %^[hc]at%' "--explain of a regex"

# Several files: lines are named as grep names them.
printf 'a ERROR\nb\n' >"$T/one"
printf 'ERROR c\n' >"$T/two"
run cw-filter ERROR "$T/one" "$T/two"
is "$out" "$(printf '%s\n%s' "$T/one:a ERROR" "$T/two:ERROR c")" "several files: FILE:line"
run cw-filter --no-filename ERROR "$T/one" "$T/two"
is "$out" "$(printf 'a ERROR\nERROR c')" "--no-filename: bare lines"
run cw-filter -H ERROR "$T/one"
is "$out" "$T/one:a ERROR" "-H names a single file"
run cw-filter -H ERROR <"$T/one"
is "$out" "(standard input):a ERROR" "-H names standard input as grep does"
awk 'BEGIN { printf "ERROR "; for (i = 0; i < 1100000; i++) printf "x"; print "" }' >"$T/long"
run cw-filter -c -H ERROR "$T/long" "$T/two"
is "$out" "$(printf '%s\n%s' "$T/long:1" "$T/two:1")" "-c with several files: FILE:count"
cw-filter ERROR "$T/long" "$T/two" >"$T/longout"
is "$(head -c $(( ${#T} + 13 )) "$T/longout")" "$T/long:ERROR x" "a line past the buffer is named too"

done_testing
