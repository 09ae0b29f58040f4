#!/bin/sh
# Standard input as '-', options that need -g, write errors, terminals.
. "$(dirname "$0")/lib.sh"

printf 'x ERROR\ny\n' >"$T/f"
run sh -c 'printf "in ERROR\n" | cw-filter ERROR -'
is "$out:$rc" "in ERROR:0" "'-' reads standard input"
run sh -c 'printf "in ERROR\n" | cw-filter ERROR "$1" - "$1"' sh "$T/f"
is "$out" "$T/f:x ERROR
(standard input):in ERROR
$T/f:x ERROR" "'-' among files, named as grep names it"
run sh -c 'printf "a\nb\n" | cw-filter -c -v ERROR -'
is "$out" 2 "'-' with -c -v"

for o in '--since 1h' '--until now' '--stream s' '--limit 5' '--utc'; do
	# shellcheck disable=SC2086
	run cw-filter $o ERROR "$T/f"
	is "$rc:$out" "2:" "$o without -g: refused"
	is "$err" "cw-filter: ${o%% *} needs -g" "$o without -g: says why"
done

run cw-filter --help
is "$rc" 0 "--help: exit 0"
for a in --help --version '--explain ERROR' '--explain {$.a=1}'; do
	# shellcheck disable=SC2086
	cw-filter $a >/dev/full 2>"$T/err"; rc=$?
	is "$rc:$(cat "$T/err")" "2:cw-filter: stdout: write failed" "$a to a full disk: exit 2"
done
cw-filter ERROR "$T/f" >/dev/full 2>"$T/err"; rc=$?
is "$rc:$(cat "$T/err")" "2:cw-filter: stdout: write failed" "lines to a full disk: exit 2"

# On a terminal, control bytes are shown escaped; in a pipe, kept.
printf 'ERROR \033]0;pwned\007\033[2J\033[H tab\there\r\nok\n' >"$T/esc"
printf 'ERROR in \033[31mred\n' >"$T/$(printf 'n\033[1m')"
t=$(python3 "$top/tests/t/termrun.py" cw-filter ERROR "$T/esc")
is "$t" 'ERROR \033]0;pwned\007\033[2J\033[H tab	here\015' \
	"on a tty: OSC title, clear screen and CR shown, tab kept"
t=$(python3 "$top/tests/t/termrun.py" cw-filter -H ERROR "$T/$(printf 'n\033[1m')")
is "$t" "$T/n\\033[1m:ERROR in \\033[31mred" "on a tty: the file name escaped too"
t=$(python3 "$top/tests/t/termrun.py" cw-filter -c -H ERROR "$T/$(printf 'n\033[1m')")
is "$t" "$T/n\\033[1m:1" "on a tty: the file name of -c escaped too"
cat >"$T/ev" <<'EOF2'
{"message":"\u001b]2;x\u0007 \u009b31m c1 \u0000 nul"}
EOF2
t=$(python3 "$top/tests/t/termrun.py" cw-filter --events '' "$T/ev")
is "$t" '\033]2;x\007 \302\23331m c1 \000 nul' "--events on a tty: C1 controls and NUL shown"
cw-filter ERROR "$T/esc" >"$T/pipe"
is "$(od -An -c "$T/pipe" | tr -s ' ' | tr -d '\n')" \
	"$(head -1 "$T/esc" | od -An -c | tr -s ' ' | tr -d '\n')" "in a pipe: bytes as they are"
awk 'BEGIN { printf "ERROR \033[2J"; for (i = 0; i < 1100000; i++) printf "x"; print "" }' >"$T/long"
t=$(python3 "$top/tests/t/termrun.py" cw-filter ERROR "$T/long" | head -c 20)
like "$t" '^ERROR \\033\[2Jx+$' "on a tty: a line past the buffer is escaped too"

done_testing
