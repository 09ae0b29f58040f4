#!/bin/sh
# A test run never reads the caller's terminal: started on one (a pty
# here, as by a background `make check &` from a shell), each test gets
# stdin from /dev/null, so a command that would ask (cw-alarm-apply's
# confirmation) refuses at once instead of waiting until the time limit.
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/t"
cat >"$T/t/probe.t" <<'EOP'
#!/bin/sh
echo 1..2
if [ -t 0 ]; then echo "not ok 1 - stdin is a terminal"; else echo "ok 1 - stdin is no terminal"; fi
# reads stdin to its end: at once from /dev/null, never from a terminal
cat >/dev/null
echo "ok 2 - stdin read to its end"
EOP
chmod +x "$T/t/probe.t"
for how in "run-in-session" "timelimit"; do
	case $how in
	run-in-session) set -- python3 "$top/tests/run-in-session" prove --exec '' "$T/t/probe.t" ;;
	timelimit) set -- prove --exec "python3 $top/tests/timelimit" "$T/t/probe.t" ;;
	esac
	CW_TEST_TIMEOUT=20 python3 "$top/tests/t/termrun.py" --cols 80 "$@" >"$T/out" 2>&1
	is "$?" 0 "$how on a terminal: the probe passes"
	unlike "$(cat "$T/out")" "timed out|not ok" "$how: stdin is not the terminal, nothing waits on it"
done
# The time limit names the test that ran out.
# (the limit line is made here: written out, it would be this file's own)
printf '#!/bin/sh\n# %s: 1\necho 1..1\nsleep 30\n' limit >"$T/t/hang.t"
chmod +x "$T/t/hang.t"
python3 "$top/tests/run-in-session" prove --exec "python3 $top/tests/timelimit" "$T/t/hang.t" >"$T/out" 2>"$T/err"
is "$?" 1 "a test past its limit fails the run"
like "$(cat "$T/err")" "hang.t: timed out after 1 s" "and is named on stderr"
done_testing
