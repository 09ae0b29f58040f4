#!/bin/sh
# cw-alarm-status --test (a test page through the alarm's actions) and
# --history.
. "$(dirname "$0")/lib.sh"
start_fakeaws

described() { # REGION NAME: "STATE|REASON"
	cw_json "$1" DescribeAlarms "{\"AlarmNames\":[\"$2\"]}" | python3 -c '
import json, sys
a = json.load(sys.stdin)["MetricAlarms"][0]
print(a["StateValue"] + "|" + a["StateReason"])'
}
page='"AlarmActions":["arn:aws:sns:eu-west-1:123456789012:oncall"]'
alarm eu-west-1 pager "$page"
alarm eu-west-1 silent
alarm eu-west-1 muted "$page,\"ActionsEnabled\":false"
export USER=alice

run cw-alarm-status -r eu-west-1 --test pager
is "$rc" 2 "--test without a terminal and without --yes: exit 2"
is "$err" "cw-alarm-status: --test: not on a terminal: add --yes to set 1 alarm to ALARM" "... and says why"
is "$(fakeaws_count SetAlarmState)" 0 "... and sets nothing"

run cw-alarm-status -r eu-west-1 --test --yes pager
is "$rc" 0 "--test --yes: exit 0"
is "$out" "pager (eu-west-1): set to ALARM: cwkit notification test by alice" "--test says what it did"
is "$(described eu-west-1 pager)" "ALARM|cwkit notification test by alice" "the emulator holds the state and the reason"
is "$(fakeaws_count SetAlarmState)" 1 "one SetAlarmState"
is "$(cw_json eu-west-1 DescribeAlarmHistory '{"AlarmName":"pager","HistoryItemType":"Action"}' | python3 -c '
import json, sys; print(json.load(sys.stdin)["AlarmHistoryItems"][0]["HistorySummary"])')" \
	"Successfully executed action arn:aws:sns:eu-west-1:123456789012:oncall" "the alarm's action ran"

run cw-alarm-status -r eu-west-1 --test --yes pager
is "$rc" 2 "an alarm already in ALARM is refused"
is "$err" "cw-alarm-status: alarm pager (eu-west-1): already in ALARM: setting it again would not run its actions" "... saying why"

run cw-alarm-status -r eu-west-1 --test --yes silent
is "$rc:$err" "2:cw-alarm-status: alarm silent (eu-west-1): no ALARM actions: a test would notify nobody" "an alarm without actions is refused"
run cw-alarm-status -r eu-west-1 --test --yes muted
is "$rc:$err" "2:cw-alarm-status: alarm muted (eu-west-1): its actions are disabled: a test would notify nobody" "an alarm with actions disabled is refused"
run cw-alarm-status -r eu-west-1 --test --yes nosuch
is "$rc:$err" "2:cw-alarm-status: alarm nosuch: not found in eu-west-1" "an unknown alarm is named"
run cw-alarm-status -r us-east-1 --test --yes pager
is "$rc:$err" "2:cw-alarm-status: alarm pager: not found in us-east-1" "an alarm is looked for in the regions given"
is "$(fakeaws_count SetAlarmState)" 1 "refusals set nothing"

# on a terminal it asks
cw eu-west-1 SetAlarmState '{"AlarmName":"pager","StateValue":"OK","StateReason":"back"}' >/dev/null
out=$(python3 "$top/tests/t/termrun.py" --cols 100 --input "n
" cw-alarm-status -r eu-west-1 --test pager 2>&1)
rc=$?
is "$rc" 2 "on a terminal, answering no: exit 2"
like "$out" 'Set 1 alarm to ALARM and run its actions\? \[y/N\]' "on a terminal it asks first"
like "$out" 'not confirmed; nothing was changed' "... and says nothing changed"
out=$(python3 "$top/tests/t/termrun.py" --cols 100 --input "y
" cw-alarm-status -r eu-west-1 --test pager 2>&1)
is "$?" 0 "on a terminal, answering yes: exit 0"
is "$(described eu-west-1 pager)" "ALARM|cwkit notification test by alice" "... and the alarm is set"

# history, newest first, with reasons
cw eu-west-1 SetAlarmState '{"AlarmName":"pager","StateValue":"OK","StateReason":"recovered: 1 datapoint [12.0]"}' >/dev/null
run cw-alarm-status -r eu-west-1 --history pager
is "$rc" 0 "--history: exit 0"
is "$(printf '%s\n' "$out" | sed 's/^[-0-9]* [0-9:]*  //' | head -4)" "StateUpdate          Alarm updated from ALARM to OK: recovered: 1 datapoint [12.0]
Action               Successfully executed action arn:aws:sns:eu-west-1:123456789012:oncall
StateUpdate          Alarm updated from OK to ALARM: cwkit notification test by alice
StateUpdate          Alarm updated from ALARM to OK: back" "--history: state changes and actions, newest first, with reasons"
like "$(printf '%s\n' "$out" | tail -1)" 'ConfigurationUpdate  Alarm "pager" created$' "--history: the oldest last"
run cw-alarm-status -r eu-west-1 --history pager -o json
is "$(printf '%s\n' "$out" | head -1 | python3 -c 'import json,sys; a=json.load(sys.stdin); print(a["region"], a["type"], a["reason"])')" \
	"eu-west-1 StateUpdate recovered: 1 datapoint [12.0]" "--history -o json"
run cw-alarm-status -r eu-west-1 --history nosuch
is "$rc:$err" "2:cw-alarm-status: alarm nosuch: not found in eu-west-1" "--history of an unknown alarm"
run cw-alarm-status -r eu-west-1 --history pager --test x
is "$rc:$err" "2:cw-alarm-status: --test, --history and --watch go alone" "modes do not mix"

done_testing
