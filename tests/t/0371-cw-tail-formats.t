#!/bin/sh
# cw-tail's formats: on a terminal short fits its width (time of day, a
# group/stream column cut in the middle), --no-prefix drops the column,
# --fields shows members of JSON messages; a pipe keeps bare messages by
# default and short's full time and names.
. "$(dirname "$0")/lib.sh"
start_fakeaws
tty_run() { python3 "$top/tests/t/termrun.py" "$@"; }
now=$(($(date +%s) * 1000))
stream=ecs/api/3f2a9c1e7b4d4e0f9a1b2c3d4e5f6a7b
for g in api-gateway ride-booking; do
	g=/ecs/lomash-wood-production/$g
	call CreateLogGroup "{\"logGroupName\":\"$g\"}"
	call CreateLogStream "{\"logGroupName\":\"$g\",\"logStreamName\":\"$stream\"}"
	call PutLogEvents "{\"logGroupName\":\"$g\",\"logStreamName\":\"$stream\",\"logEvents\":[{\"timestamp\":$((now - 3000)),\"message\":\"plain text\"},{\"timestamp\":$((now - 2000)),\"message\":\"{\\\"level\\\":\\\"error\\\",\\\"msg\\\":\\\"disk \\\\u001b[2J full\\\",\\\"req\\\":{\\\"id\\\":7}}\"}]}"
done
groups='/ecs/lomash-wood-production/*'
longest() { awk '{ if (length($0) > n) n = length($0) } END { print n }'; }

for cols in 80 200; do
	t=$(tty_run --cols "$cols" cw-tail --no-color "$groups")
	is "$(printf '%s\n' "$t" | grep -c '^[0-2][0-9]:[0-5][0-9]:[0-5][0-9]\.[0-9]\{3\} ')" 4 \
		"$cols columns: short, each line starts with the time of day"
	unlike "$t" "lomash-wood-production" "$cols columns: the groups' common prefix left out"
	like "$t" "api-gatew" "$cols columns: the group that differs is shown"
	is "$(printf '%s\n' "$t" | grep 'plain text' | longest)" \
		"$(printf '%s\n' "$t" | grep 'plain text' | head -1 | longest)" \
		"$cols columns: messages aligned in one column"
done
t=$(tty_run --cols 80 cw-tail --no-color "$groups")
is "$(printf '%s\n' "$t" | grep 'plain text' | head -1)" \
	"$(printf '%s\n' "$t" | grep 'plain text' | head -1 | cut -c1-13)api-gatew…3d4e5f6a7b plain text" \
	"80 columns: a column of 20, cut in the middle"
t=$(tty_run --cols 200 cw-tail --no-color "$groups")
like "$t" " api-gateway/ecs/api/3f2…7b4d4e0f9a1b2c3d4e5f6a7b plain text" \
	"200 columns: a column of 48, cut in the middle"
t=$(tty_run --cols 80 cw-tail --no-color --no-prefix "$groups")
like "$t" "^[0-9:.]{12} plain text" "--no-prefix on a terminal: time and message"
unlike "$t" "api-gatew|ecs/api" "--no-prefix: no group or stream"
t=$(tty_run --cols 80 cw-tail --no-color --fields level,msg,req.id "$groups")
like "$t" " error disk \\\\033\\[2J full 7" \
	"--fields on a terminal: the values, the decoded ESC escaped"
tty_run --cols 80 cw-tail --fields level,msg,req.id "$groups" >"$T/f"
is "$(raw_controls "$T/f")" 0 \
	"--fields on a terminal: no raw control byte (od)"

# A pipe: bare messages by default, as before.
run cw-tail "$groups"
is "$out" "plain text
plain text
{\"level\":\"error\",\"msg\":\"disk \\u001b[2J full\",\"req\":{\"id\":7}}
{\"level\":\"error\",\"msg\":\"disk \\u001b[2J full\",\"req\":{\"id\":7}}" \
	"a pipe: the messages as they are by default"
run cw-tail -o short --utc "$groups"
like "$out" "^[0-9-]{10} [0-9:.]{12} /ecs/lomash-wood-production/api-gateway/$stream plain text" \
	"-o short in a pipe: the full time and names"
run cw-tail -o short --utc --no-prefix "$groups"
like "$out" "^[0-9-]{10} [0-9:.]{12} plain text" "-o short --no-prefix in a pipe: time and message"
t=$(tty_run --cols 80 cw-tail --no-color -o long --utc "$groups")
like "$t" "^[0-9-]{10} [0-9:.]{12} /ecs/lomash-wood-production/api-gateway/$stream plain text" \
	"-o long on a terminal: the full time and names"
run cw-tail --fields level,req.id "$groups"
is "$(printf '%s\n' "$out" | tail -1)" "error 7" "--fields in a pipe: the values"
is "$(printf '%s\n' "$out" | head -1)" "plain text" "--fields: a message that is no JSON, whole"
run cw-tail -o json --fields msg,req.id "$groups"
is "$(printf '%s\n' "$out" | tail -1 | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["message"], sort_keys=True))')" \
	'{"msg": "disk \u001b[2J full", "req.id": 7}' "-o json --fields: message is an object of the fields"
run cw-tail --fields , /x
is "$rc:$err" "2:cw-tail: --fields: no name (e.g. --fields level,msg)" "--fields with no name"
done_testing
