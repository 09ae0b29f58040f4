#!/bin/sh
# Every command: what it printed must reach stdout. --help, --version and
# a real run to a full disk exit 2 with a message, whatever the status
# the run would have had (cw-alarm-diff: 1, differences found).
. "$(dirname "$0")/lib.sh"
start_fakeaws
export AWS_MAX_ATTEMPTS=1
fix=$top/tests/t/alarms-fixtures

now=$(date +%s)
call CreateLogGroup '{"logGroupName":"/full"}'
call CreateLogStream '{"logGroupName":"/full","logStreamName":"s"}'
call PutLogEvents "{\"logGroupName\":\"/full\",\"logStreamName\":\"s\",\"logEvents\":[{\"timestamp\":$((now * 1000 - 5000)),\"message\":\"ERROR full\"}]}"
alarm full
state full ALARM r
cw PutMetricData "{\"Namespace\":\"Shop\",\"MetricData\":[{\"MetricName\":\"Latency\",\"Timestamp\":$((now - 120)),\"Value\":5}]}"
printf 'ERROR local\n' >"$T/log"

cmds="cw-tail cw-filter cw-metric cw-query cw-alarm-diff cw-alarm-apply
cw-alarm-status"
for c in $cmds; do
	for a in --help --version; do
		$c $a >/dev/full 2>"$T/err"; rc=$?
		is "$rc:$(cat "$T/err")" "2:$c: stdout: write failed" \
			"$c $a to a full disk: exit 2 with a message"
	done
done

full() { # CMD ARGS...: a run that prints, to a full disk
	"$@" >/dev/full 2>"$T/err"; rc=$?
	is "$rc" 2 "$1 to a full disk: exit 2"
	like "$(cat "$T/err")" "^$1: [a-z]*: write failed" "$1 to a full disk: says so"
}
full cw-tail --since 1h /full
full cw-filter ERROR "$T/log"
full cw-filter -g /full --since 1h ERROR
full cw-metric -s $((now - 600)) -u "$now" --period 60 Shop Latency
full cw-query -g /full --since 1h 'fields @message'
full cw-alarm-diff "$fix/shop"
full cw-alarm-apply --dry-run "$fix/shop"
full cw-alarm-status
cw-alarm-diff --detailed-exitcode "$fix/shop" >/dev/full 2>"$T/err"; rc=$?
is "$rc:$(cat "$T/err")" "1:cw-alarm-diff: stdout: write failed" \
	"--detailed-exitcode to a full disk: 1, its error status, with a message"

# The same runs into a pipe that is closed early are quiet.
sh -c 'cw-tail --since 1h /full; echo $? >"$1"' sh "$T/rc" 2>"$T/err" | true
# (valgrind's own report, under make valgrind, is not the command's.)
is "$(grep -v '^==[0-9]*==' "$T/err")" "" "a reader that went away: nothing said"

done_testing
