#!/bin/sh
# cw-alarm-status never cuts an alarm name in a pipe (it is pasted into
# --history); on a terminal the columns fit the width, the reason cut
# before the name. An empty answer is said on a terminal, never in a pipe.
. "$(dirname "$0")/lib.sh"
start_fakeaws

tty() { # COLS ARGS...
	c=$1; shift
	out=$(LC_ALL=C.UTF-8 python3 "$top/tests/t/termrun.py" --cols "$c" "$@" 2>&1)
	rc=$?
}
# cols TEXT: the widest line's columns (UTF-8)
cols() { printf '%s\n' "$1" | while IFS= read -r l; do printf '%s' "$l" | LC_ALL=C.UTF-8 wc -m; done | sort -n | tail -1 | tr -d ' '; }

cpu=prod-eu-checkout-service-api-gateway-latency-p99-cpu-high-group-a
mem=prod-eu-checkout-service-api-gateway-latency-p99-mem-high-group-a
short=web-5xx
reason="Threshold Crossed: 3 out of the last 3 datapoints [99.1 (30/11/26 16:00:00), 98.7 (30/11/26 15:59:00), 97.0 (30/11/26 15:58:00)] were greater than the threshold (80.0)."
for a in $cpu $mem $short; do
	alarm "$a"
	state "$a" ALARM "$reason"
done

# a pipe: every name whole, whatever its length
run cw-alarm-status
is "$rc" 1 "in a pipe: exit 1 when firing"
like "$out" "ALARM +[0-9]+s +$cpu +us-east-1 " "in a pipe: the long -cpu- name whole"
like "$out" "ALARM +[0-9]+s +$mem +us-east-1 " "in a pipe: the long -mem- name whole"
like "$out" 'were greater than the threshold \(80\.0\)\.$' "in a pipe: the reason whole"
name=$(cw-alarm-status | awk '{ print $3 }' | grep -- -cpu-)
is "$name" "$cpu" "a name from the pipe pastes back whole"
run cw-alarm-status --history "$name"
is "$rc" 0 "... and --history finds it"

# a terminal of 200 columns: names whole, the reason takes the rest
tty 200 cw-alarm-status
like "$out" " $cpu +us-east-1 " "200 columns: the long name whole"
like "$out" " $mem +us-east-1 " "200 columns: the other whole"
is "$(cols "$out")" 200 "200 columns: the lines fill the width"
like "$out" 'datapoints.*…$' "200 columns: the reason is what is cut"

# 80 columns: the reason gives way first, down to 10 columns
tty 80 cw-alarm-status --prefix web-
like "$out" " $short +us-east-1  \[no actions\] Threshold Crossed: 3 out.*…$" "80 columns, a short name: whole, the reason cut"
is "$(cols "$out")" 80 "80 columns, a short name: the lines fit"
tty 80 cw-alarm-status
is "$(cols "$out")" 80 "80 columns, long names: the lines fit"
line=$(printf "%s\n" "$out" | grep -- " prod-eu-" | head -1)
like "$line" ' prod-eu-checkout-service-api-gateway-latency…  us-east-1  \[no actio…$' "80 columns: a name is cut only when the reason is down to 10 columns"
like "$(printf '%s\n' "$out" | head -1)" '^STATE +SINCE +NAME +REGION +REASON$' "80 columns: the header"

# nothing to show
tty 80 cw-alarm-status --prefix nothing-
is "$rc" 0 "none on a terminal: exit 0"
is "$out" "cw-alarm-status: no alarm in ALARM whose name starts with nothing- in us-east-1" "none on a terminal: said on stderr"
tty 200 cw-alarm-status -r us-east-1 -r eu-west-1 --prefix nothing- --state ok
is "$out" "cw-alarm-status: no alarm in OK whose name starts with nothing- in us-east-1, eu-west-1" "none in two regions: both named"
run cw-alarm-status --prefix nothing-
is "$rc:$out:$err" "0::" "none in a pipe: nothing on stdout or stderr"
tty 80 cw-alarm-status --prefix nothing- -o json
like "$out" 'no alarm in ALARM' "none as JSON on a terminal: said too"

done_testing
