# Shared by the cw-query tests: the emulator with two log groups of
# events from the last half hour.
. "$(dirname "$0")/lib.sh"

start_fakeaws
now=$(date +%s)000
for g in /app/api /app/web; do
	call CreateLogGroup "{\"logGroupName\": \"$g\"}"
	call CreateLogStream "{\"logGroupName\": \"$g\", \"logStreamName\": \"s1\"}"
done
events=$(python3 - "$now" <<'PY'
import json, sys
now = int(sys.argv[1])
evs = []
for i in range(6):
    msg = {"level": "ERROR" if i % 3 == 0 else "INFO", "route": "/r%d" % (i % 2),
           "ms": 10 * (i + 1)}
    evs.append({"timestamp": now - 600000 + i * 1000,
                "message": json.dumps(msg)})
evs.append({"timestamp": now - 590000, "message": "plain \033[31mred\033[0m, \"quoted\"\ttab"})
print(json.dumps({"logGroupName": "/app/api", "logStreamName": "s1",
                  "logEvents": evs}))
PY
)
call PutLogEvents "$events"
call PutLogEvents '{"logGroupName": "/app/web", "logStreamName": "s1", "logEvents": [{"timestamp": '"$((now / 1000 * 1000 - 300000))"', "message": "{\"level\": \"ERROR\", \"route\": \"/w\"}"}]}'

# session SCRIPT-LINES...: runs cw-query -g /app/api on a 120-column
# terminal through the steps of tests/t/termrun.py --script; sets rc and
# screen (what it showed).
session() {
	printf '%s\n' "$@" >"$T/script"
	TERM=xterm python3 "$top/tests/t/termrun.py" --cols 120 \
		--script "$T/script" -- cw-query -g /app/api >"$T/screen" 2>&1
	rc=$?
	screen=$(tr -d '\r' <"$T/screen")
}
