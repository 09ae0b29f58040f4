#!/bin/sh
# cw-filter on files loads no libcrypto (only signing needs it), and the
# literal shortcuts of JSON and regex patterns count what the walk does.
. "$(dirname "$0")/lib.sh"

cat >"$T/log" <<'L'
one ERROR
read timeout after 300ms
timeout after 30s
{"msg":"\"level\":\"error\"","level":"info","latencyMs":9}
{"msg":"{[ level","a":{"level":"error"},"level":"error","latencyMs":2000}
{"\u006cevel":"error","latencyMs":1}
L
# The command itself, not a checker's wrapper: the loader's own report.
LD_DEBUG=libs "$top/bin/cw-filter" -c ERROR "$T/log" >"$T/out" 2>"$T/libs"
is "$(cat "$T/out")" 1 "a term is counted"
like "$(cat "$T/libs")" 'calling init: .*libc\.so' "the loader reports what it loads"
is "$(grep -c libcrypto "$T/libs")" 0 "libcrypto is not loaded to filter a file"

run cw-filter -c '%timeout after [0-9]+ms%' "$T/log"
is "$out" 1 "a regex with a literal"
run cw-filter -c '{ $.level = "error" }' "$T/log"
is "$out" 2 "a top-level key: not in a string, not nested, and escaped"
run cw-filter -c '{ $.level = "error" && $.latencyMs > 1000 }' "$T/log"
is "$out" 1 "and with another key"

done_testing
