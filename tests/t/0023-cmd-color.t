#!/bin/sh
# Colour is decided once for every command: a terminal gets it; TERM=dumb,
# NO_COLOR, --no-color and a pipe get none.
. "$(dirname "$0")/lib.sh"
start_fakeaws
tty_run() { python3 "$top/tests/t/termrun.py" --cols 100 "$@"; }
esc=$(printf '\033')

now=$(date +%s)
call CreateLogGroup '{"logGroupName":"/c"}'
call CreateLogStream '{"logGroupName":"/c","logStreamName":"s"}'
call PutLogEvents "{\"logGroupName\":\"/c\",\"logStreamName\":\"s\",\"logEvents\":[{\"timestamp\":$((now * 1000 - 5000)),\"message\":\"ERROR c\"}]}"
alarm c
state c ALARM r

unset NO_COLOR
for c in "cw-tail --since 1h /c" "cw-filter -g /c --since 1h ERROR" \
		"cw-alarm-status" "cw-alarm-diff $top/tests/t/alarms-fixtures/shop"; do
	name=${c%% *}
	# shellcheck disable=SC2086
	out=$(TERM=xterm tty_run $c)
	like "$out" "$esc\\[" "$name on a terminal: coloured"
	# shellcheck disable=SC2086
	out=$(TERM=dumb tty_run $c)
	unlike "$out" "$esc\\[" "$name with TERM=dumb: no colour"
	# shellcheck disable=SC2086
	out=$(NO_COLOR=1 TERM=xterm tty_run $c)
	unlike "$out" "$esc\\[" "$name with NO_COLOR: no colour"
	# shellcheck disable=SC2086
	out=$(TERM=xterm tty_run $c --no-color)
	unlike "$out" "$esc\\[" "$name --no-color: no colour"
	# shellcheck disable=SC2086
	out=$(TERM=xterm $c 2>&1)
	unlike "$out" "$esc\\[" "$name in a pipe: no colour"
done

done_testing
