#!/bin/sh
# A query the service refuses: its line and a caret under the place the
# answer's queryCompileError.location points at, as psql shows a syntax
# error; the message's backslash not doubled.
. "$(dirname "$0")/query.sh"

# at a terminal: stderr through the pty
tty_query() {
	TERM=xterm python3 "$top/tests/t/termrun.py" --cols 120 -- \
		sh -c 'cw-query -g /app/api "$1" >/dev/null' sh "$1" \
		>"$T/screen" 2>&1
	rc=$?
	screen=$(tr -d '\r' <"$T/screen" | sed 's/^.*\[K//')
}

tty_query 'fields @message | explode'
is "$rc" 2 "a malformed query: exit 2"
is "$(printf '%s\n' "$screen" | tail -n 2)" "LINE 1: fields @message | explode
                          ^" "the line, and a caret under the word refused"

tty_query 'fields level |
sort ms | explode x'
is "$(printf '%s\n' "$screen" | tail -n 2)" "LINE 2: sort ms | explode x
                  ^" "a query of several lines: the line of the error"

tty_query 'fields x | filter x = "日本語🙂" | explode'
is "$(printf '%s\n' "$screen" | tail -n 2)" "LINE 1: fields x | filter x = \"日本語🙂\" | explode
                                           ^" "wide characters before it: the caret by display width"

tty_query 'fields a \ b'
like "$screen" 'unexpected symbol found \\ at line 1' \
	"the message's backslash is shown once"
unlike "$screen" '\\\\' "no backslash doubled"
is "$(printf '%s\n' "$screen" | tail -n 2)" 'LINE 1: fields a \ b
'"$(printf '%17s^' '')" "the caret under the backslash"

# A script says it too, on stderr; no location, no caret.
run cw-query -g /app/api 'fields level |'
is "$rc" 2 "a query ending in '|': exit 2"
is "$(printf '%s\n' "$err" | tail -n 2)" "LINE 1: fields level |
                      ^" "an error at the end: the caret after the last character"

done_testing
