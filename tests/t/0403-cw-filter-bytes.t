#!/bin/sh
# CRLF, NUL bytes, invalid UTF-8, long lines.
. "$(dirname "$0")/lib.sh"

printf 'one ERROR\r\ntwo\r\nthree ERROR\r\n' >"$T/crlf"
run cw-filter -c ERROR "$T/crlf"
is "$out" 2 "CRLF lines"
is "$(cw-filter ERROR "$T/crlf" | od -An -c | tr -d ' \n')" 'oneERROR\r\nthreeERROR\r\n' \
	"CRLF lines are printed as they are"
run cw-filter -c '%ERROR$%' "$T/crlf"
is "$out" 2 "the \\r is not part of the message (regex \$)"
run cw-filter -c '[a, b = ERROR]' "$T/crlf"
is "$out" 2 "the \\r is not part of the last field"
printf '{"a":1}\r\n' >"$T/jcrlf"
run cw-filter -c '{ $.a = 1 }' "$T/jcrlf"
is "$out" 1 "JSON with CRLF"

printf 'a\000b ERROR\nc\000d\n' >"$T/nul"
run cw-filter -c ERROR "$T/nul"
is "$out" 1 "NUL bytes are ordinary bytes"
is "$(cw-filter ERROR "$T/nul" | od -An -c | tr -d ' \n')" 'a\0bERROR\n' \
	"and are printed"
run cw-filter -c '%c\x00d%' "$T/nul"
is "$out" 1 "a regex can find a NUL"

printf '\377\376 ERROR \303\n\303\050\n' >"$T/utf8"
run cw-filter -c ERROR "$T/utf8"
is "$out" 1 "invalid UTF-8 is ordinary bytes"
run cw-filter -vc ERROR "$T/utf8"
is "$out" 1 "invalid UTF-8 with -v"

# 300 KB: past CloudWatch's classic 256 KB event.
awk 'BEGIN { s = "x"; while (length(s) < 300000) s = s s; print substr(s, 1, 300000) " ERROR"; print "short ERROR" }' >"$T/long"
run cw-filter -c ERROR "$T/long"
is "$out" 2 "a 300 KB line matches on its end"
is "$(cw-filter ERROR "$T/long" | wc -c | tr -d ' ')" 300019 "and is printed whole"

# 3 MB: longer than the read buffer; matched on its first MiB, printed whole.
awk 'BEGIN { s = "x"; while (length(s) < 3000000) s = s s; print "ERROR " substr(s, 1, 3000000); print "tail"; print substr(s, 1, 3000000) " ERROR" }' >"$T/huge"
run cw-filter -c ERROR "$T/huge"
is "$out" 1 "past 1 MiB only the first MiB is matched"
is "$(cw-filter ERROR "$T/huge" | wc -c | tr -d ' ')" 3000007 "the long line is printed whole"
is "$(cw-filter -v ERROR "$T/huge" | wc -l | tr -d ' ')" 2 "-v with lines longer than the buffer"
is "$(cw-filter tail "$T/huge")" "tail" "the line after a long one is read normally"

# Many lines from a pipe, with the pipe buffer raised.
run sh -c "awk 'BEGIN { for (i = 0; i < 200000; i++) print i \" req ERROR\" (i % 7) }' | cw-filter -c ERROR3"
is "$out" 28571 "200000 lines from a pipe"

done_testing
