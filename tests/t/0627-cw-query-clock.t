#!/bin/sh
# The progress line's clock goes on between polls, every 100-200 ms, while
# the polls themselves back off; only at a terminal.
. "$(dirname "$0")/query.sh"

fakeaws_ctl POST options '{"insights_states": ["Running", "Running", "Running", "Running", "Running", "Running", "Running", "Running", "Running", "Running"]}' >/dev/null
fakeaws_ctl DELETE stats >/dev/null
printf '%s\n' 'wait Running' 'sleep 2.5' 'sigint' 'wait cancelled' >"$T/steps"
TERM=xterm python3 "$top/tests/t/termrun.py" --cols 120 --script "$T/steps" \
	-- cw-query -g /app/api 'fields level' >"$T/screen" 2>&1
is "$?" 130 "interrupted: 130"
# the clock values shown, in tenths of a second, distinct
tr '\r\033' '\n\n' <"$T/screen" | sed -n 's/.* \([0-9]*\)\.\([0-9]\) s$/\1\2/p' |
	sort -nu >"$T/ticks"
n=$(wc -l <"$T/ticks" | tr -d ' ')
polls=$(fakeaws_count GetQueryResults)
# Under a checker ($slow) every redraw is slower: the bounds widen with it.
check "the clock redrawn at least 10 times in 2.5 s (got $n)" \
	[ "$n" -ge $((10 / slow)) ]
check "while the polls back off: at most 5 GetQueryResults (got $polls)" \
	[ "$polls" -le 5 ]
python3 - "$T/ticks" <<'PY' >"$T/gaps"
import sys
t = [int(x) for x in open(sys.argv[1]) if x.strip()]
print(max(b - a for a, b in zip(t, t[1:])))
PY
check "no gap above 0.4 s between two redraws (got $(cat "$T/gaps")/10 s)" \
	[ "$(cat "$T/gaps")" -le $((4 * slow)) ]

# Not at a terminal: no progress line at all.
fakeaws_ctl POST options '{"insights_states": ["Running"]}' >/dev/null
run cw-query -g /app/api 'fields level | limit 1'
unlike "$err" 'Running:' "stderr not a terminal: no clock"

done_testing
