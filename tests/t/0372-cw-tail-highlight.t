#!/bin/sh
# cw-tail --highlight and severity colours: on a terminal (80 and 200
# columns) the terms and ERROR, WARN, FATAL and a JSON level are
# coloured; never in a pipe, with NO_COLOR, --no-color or TERM=dumb; log
# data stays escaped between the colours.
. "$(dirname "$0")/lib.sh"
start_fakeaws
unset NO_COLOR
tty_run() { python3 "$top/tests/t/termrun.py" "$@"; }
esc=$(printf '\033')
now=$(($(date +%s) * 1000))
call CreateLogGroup '{"logGroupName":"/h"}'
call CreateLogStream '{"logGroupName":"/h","logStreamName":"s"}'
call PutLogEvents "{\"logGroupName\":\"/h\",\"logStreamName\":\"s\",\"logEvents\":[
{\"timestamp\":$((now - 4000)),\"message\":\"ERROR upstream Timeout\"},
{\"timestamp\":$((now - 3000)),\"message\":\"WARN slow; FATALITY is no word\"},
{\"timestamp\":$((now - 2000)),\"message\":\"{\\\"level\\\":\\\"fatal\\\",\\\"msg\\\":\\\"x\\\"}\"},
{\"timestamp\":$((now - 1000)),\"message\":\"timeout \\u001b[2J\\u001b]0;pwned\\u0007 \\u001b[31mtimeout\"}]}"

# sgr_left FILE: the ESC bytes left once our SGR colours are taken out.
sgr_left() { tr -d '\r' <"$1" | sed "s/$esc\\[[0-9;]*m//g" | tr -cd '\033' | wc -c | tr -d ' '; }
red="$esc\\[1m$esc\\[31m"
for cols in 80 200; do
	TERM=xterm tty_run --cols "$cols" cw-tail --highlight timeout --highlight '[2J' /h >"$T/o$cols"
	t=$(cat "$T/o$cols")
	like "$t" "${red}ERROR$esc\\[0m upstream $esc\\[7m$esc\\[33mTimeout$esc\\[0m" \
		"$cols columns: ERROR red, the term marked whatever its case"
	like "$t" "$esc\\[33mWARN$esc\\[0m slow; FATALITY" "$cols columns: WARN yellow, not a word that starts with FATAL"
	like "$t" "\"level\":\"${red}fatal$esc\\[0m\"" "$cols columns: a JSON level coloured"
	like "$t" "\\\\033$esc\\[7m$esc\\[36m\\[2J$esc\\[0m" "$cols columns: a term after an ESC marked, the ESC shown escaped"
	is "$(sgr_left "$T/o$cols")" 0 "$cols columns: no ESC but our colours (od: the data's are escaped)"
	like "$t" '\\033\]0;pwned\\007' "$cols columns: the title sequence shown, not sent"
done
for how in "NO_COLOR=1 TERM=xterm" "TERM=dumb" "TERM=xterm --no-color"; do
	# shellcheck disable=SC2086
	env ${how%--no-color} python3 "$top/tests/t/termrun.py" --cols 80 cw-tail \
		--highlight timeout $(case $how in *--no-color) echo --no-color ;; esac) /h >"$T/n"
	is "$(tr -cd '\033' <"$T/n" | wc -c | tr -d ' ')" 0 "$how: no colour, no ESC at all"
	like "$(cat "$T/n")" "ERROR upstream Timeout" "$how: the text as it is"
done
TERM=xterm cw-tail -o short --highlight timeout /h >"$T/pipe"
TERM=xterm cw-tail -o short /h >"$T/plain"
check "a pipe: no colour, the bytes as without --highlight" cmp -s "$T/pipe" "$T/plain"
is "$(grep -c "ERROR upstream Timeout" "$T/pipe")" 1 "a pipe: the text as it is"
run cw-tail --highlight a --highlight b --highlight c --highlight d --highlight e --highlight f /h
is "$rc:$err" "2:cw-tail: --highlight: at most 5 terms" "a sixth term: a usage error"
run cw-tail --highlight '' /h
is "$rc:$err" "2:cw-tail: --highlight: a term of 1 to 64 bytes" "an empty term"
done_testing
