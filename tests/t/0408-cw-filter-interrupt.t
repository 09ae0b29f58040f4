#!/bin/sh
# SIGINT and SIGTERM stop cw-filter at once, even blocked on an idle
# pipe, with exit 130 and nothing on stderr.
. "$(dirname "$0")/lib.sh"

# Under valgrind (make valgrind) start-up and exit are slow: only the
# status is checked then, the time loosely.
wait=0.5 limit=200
if [ -n "${CW_TEST_WRAP:-}" ]; then wait=4 limit=10000; fi

interrupt() { # SIG FEED CMD...: "status ms" in $res, output in $out, $err
	s=$1 f=$2; shift 2
	res=$(python3 "$top/tests/t/interrupt.py" --feed "$f" "$wait" "$s" \
		"$T/out" "$T/err" "$@")
	out=$(cat "$T/out") err=$(cat "$T/err")
}
fast() { # DESC: the last interrupt ended with 130 within the limit
	is "${res% *}" 130 "$1: exit 130"
	check "$1: exited ${res#* } ms after the signal (limit $limit)" \
		test "${res#* }" -le "$limit"
	is "$err" "" "$1: nothing on stderr"
}

interrupt INT 'exec sleep 30' cw-filter ERROR
fast "sleep 30 | cw-filter ERROR, SIGINT"
is "$out" "" "nothing read, nothing printed"

interrupt TERM 'exec sleep 30' cw-filter ERROR
fast "sleep 30 | cw-filter ERROR, SIGTERM"

interrupt INT 'printf "ERROR one\nINFO two\nERROR three"; exec sleep 30' \
	cw-filter ERROR
fast "a pipe that stalls after some lines"
is "$out" "ERROR one
ERROR three" "the lines read before the signal are printed, the last unfinished one too"

interrupt INT 'echo ERROR one; exec sleep 30' cw-filter -c ERROR
fast "cw-filter -c"
is "$out" 1 "-c: the count of the lines read before the signal"

interrupt INT 'echo ERROR one; exec sleep 30' cw-filter -q ERROR
is "$res" "0 ${res#* }" "-q: a match already found exits 0 at once, before the signal"

done_testing
