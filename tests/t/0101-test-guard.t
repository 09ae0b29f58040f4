#!/bin/sh
# tests/run-in-session: a process a test leaves running fails the run and
# is ended; a clean run passes with its own status.
. "$(dirname "$0")/lib.sh"
guard=$top/tests/run-in-session

run "$PY" "$guard" sh -c 'exit 0'
is "$rc" 0 "a run that leaves nothing behind passes"
is "$err" "" "and says nothing"

run "$PY" "$guard" sh -c 'exit 3'
is "$rc" 3 "a failing run keeps its own status"

run "$PY" "$guard" sh -c "\"$PY\" \"$top/tests/fakeaws/server.py\" --port 0 >/dev/null 2>&1 & exit 0"
is "$rc" 1 "an emulator left running fails the run"
like "$err" "left running by sh: pid [0-9]+: .*fakeaws/server.py --port 0" \
	"the survivor is named with its command line"
pid=$(printf '%s' "$err" | sed -n 's/.*pid \([0-9]*\):.*/\1/p' | head -n 1)
# Ended, or a zombie waiting for a reaper: no longer running.
alive() { [ -r "/proc/$1/stat" ] && ! sed 's/.*) //' "/proc/$1/stat" | grep -q '^Z'; }
[ -z "$pid" ] || wait_for 2 gone "$pid"
if [ -n "$pid" ] && alive "$pid"; then
	kill "$pid"; fail "the survivor is ended"
else pass "the survivor is ended"; fi

run "$PY" "$guard" sh -c 'sleep 60 & sleep 60 & exit 0'
is "$(printf '%s\n' "$err" | grep -c 'left running')" 2 "every survivor is named"

run "$PY" "$guard" sh -c 'sleep 60 & exit 5'
is "$rc" 5 "a failure's status is kept when something is also left"

# A survivor is ended even when nobody reads the guard's stderr any more
# (a bench piped to head).
"$PY" "$guard" sh -c 'sleep 61.25 & exit 0' 2>&1 | :
left=
for f in /proc/[0-9]*/cmdline; do
	[ "$(tr '\0' ' ' 2>/dev/null <"$f")" = "sleep 61.25 " ] && left="$left ${f%/cmdline}"
done
if [ -n "$left" ]; then
	for d in $left; do kill "${d#/proc/}" 2>/dev/null; done
	fail "a survivor is ended when stderr is closed"
else pass "a survivor is ended when stderr is closed"; fi

# start_fakeaws itself leaves nothing: cleanup ends the emulator, whether
# the test ends or is interrupted.
t=$T/tree/tests/t
mkdir -p "$t"
cp "$top/tests/t/lib.sh" "$t/lib.sh"
ln -s "$top/tests/fakeaws" "$T/tree/tests/fakeaws"
printf '. "$(dirname "$0")/lib.sh"\nstart_fakeaws\nexit 0\n' >"$t/ends.t"
printf '. "$(dirname "$0")/lib.sh"\nstart_fakeaws\nkill -INT $$\nsleep 5\n' >"$t/int.t"
run "$PY" "$guard" sh "$t/ends.t"
is "$rc" 0 "start_fakeaws and cleanup leave no emulator behind"
is "$err" "" "nothing is reported"

run "$PY" "$guard" sh "$t/int.t"
is "$rc" 130 "an interrupted test ends its emulator too"
unlike "$err" "left running" "nothing is reported after the interrupt"

done_testing
