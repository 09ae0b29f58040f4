#!/bin/sh
# An empty answer is said on a terminal (80 and 200 columns), never in a
# pipe: cw-tail with no event in its window, cw-tail --list-groups with
# an unknown prefix, and cw-filter -g that matched nothing. The status is
# the same either way.
. "$(dirname "$0")/lib.sh"
start_fakeaws

tty() { # COLS ARGS...
	c=$1; shift
	out=$(LC_ALL=C.UTF-8 python3 "$top/tests/t/termrun.py" --cols "$c" "$@" 2>&1)
	rc=$?
}

now=$(($(date +%s) * 1000))
call CreateLogGroup '{"logGroupName":"/e/quiet"}'
call CreateLogGroup '{"logGroupName":"/e/busy"}'
call CreateLogStream '{"logGroupName":"/e/busy","logStreamName":"s"}'
call PutLogEvents "{\"logGroupName\":\"/e/busy\",\"logStreamName\":\"s\",\"logEvents\":[
{\"timestamp\":$((now - 7200000)),\"message\":\"two hours ago\"}]}"

# a terminal: the same line at 80 and 200 columns
for cols in 80 200; do
	tty $cols cw-tail /e/quiet
	is "$rc:$out" "0:cw-tail: no event in the last 10m" "$cols columns, no event: said, exit 0"
	tty $cols cw-tail --list-groups /nothing/
	is "$rc:$out" "0:cw-tail: no log group whose name starts with /nothing/" "$cols columns, --list-groups, an unknown prefix: said"
done
tty 80 cw-tail -s 3h /e/quiet /e/busy
is "$rc" 0 "events: exit 0"
# Before 02:00 the event is yesterday's, and its date is shown.
like "$out" "^([0-9-]+ )?[0-9:.]+ busy/s +two hours ago$" "events: nothing more said"
tty 80 cw-tail -s 1h /e/quiet /e/busy
is "$rc:$out" "0:cw-tail: no event in the last 1h" "two groups, no event: said once"
tty 80 cw-tail -s 2026-01-01T00:00:00Z -u 2026-01-02T00:00:00Z /e/busy
is "$rc:$out" "0:cw-tail: no event from 2026-01-01T00:00:00Z to 2026-01-02T00:00:00Z" "a closed window: both ends named"
tty 80 cw-tail -s 3h --filter nomatch /e/busy
is "$rc:$out" "0:cw-tail: no matching event in the last 3h" "a filter: no matching event"
tty 80 cw-tail '/e/q*'
is "$rc:$out" "0:cw-tail: no event in the last 10m" "a prefix's groups, no event: said"
tty 80 cw-tail --list-groups -o json /nothing/
is "$rc:$out" "0:cw-tail: no log group whose name starts with /nothing/" "--list-groups -o json: said too"
tty 80 cw-tail --list-groups /e/
is "$rc" 0 "--list-groups, groups: exit 0"
unlike "$out" "no log group" "--list-groups, groups: nothing more said"
tty 80 cw-tail -n 0 /e/quiet
is "$rc:$out" "0:" "-n 0 asks for nothing: nothing said"
tty 80 cw-tail /e/missing
like "$out" "ResourceNotFoundException" "a missing group: its error"
unlike "$out" "no event" "a missing group: not taken for an empty one"
tty 80 cw-filter -g /e/quiet ERROR
is "$rc:$out" "1:cw-filter: no matching event in the last 10m" "cw-filter -g, no match: said, grep's status"
tty 80 cw-filter -c -g /e/quiet ERROR
is "$rc:$out" "1:0" "cw-filter -c: the count says it"
tty 80 cw-filter -q -g /e/quiet ERROR
is "$rc:$out" "1:" "cw-filter -q: quiet"

# stdout a file, stderr a terminal: the file stays empty, nothing said
LC_ALL=C.UTF-8 python3 "$top/tests/t/termrun.py" --cols 80 sh -c 'cw-tail /e/quiet >"$1"; echo "rc=$?"' _ "$T/f" >"$T/p"
is "$(tr -d '\r' <"$T/p")" "rc=0" "stdout a file, stderr a terminal: nothing said"
is "$(od -An -c "$T/f")" "" "stdout a file: no byte (od)"

# in pipes: stdout and stderr empty, the same status
run cw-tail /e/quiet
is "$rc:$out:$err" "0::" "a pipe, no event: empty, exit 0"
run cw-tail --list-groups /nothing/
is "$rc:$out:$err" "0::" "a pipe, --list-groups: empty, exit 0"
run cw-filter -g /e/quiet ERROR
is "$rc:$out:$err" "1::" "a pipe, cw-filter -g: empty, exit 1"
done_testing
