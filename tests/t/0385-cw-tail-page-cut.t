#!/bin/sh
# A page is read as it arrives, yet nothing of a page cut mid-body is
# printed: read again, each of its events comes once.
. "$(dirname "$0")/lib.sh"
start_fakeaws

python3 - "$top" <<'PY' || exit 1
import os, sys, time
sys.path.insert(0, sys.argv[1] + "/tests/fakeaws")
import client
c = client.Client(os.environ["AWS_ENDPOINT_URL"])
c.logs("CreateLogGroup", {"logGroupName": "/cut"})
c.logs("CreateLogStream", {"logGroupName": "/cut", "logStreamName": "s"})
now = int(time.time() * 1000) - 60000
evs = [{"timestamp": now + i, "message": "event %d %s" % (i, "x" * 200)}
       for i in range(2000)]
r = c.logs("PutLogEvents", {"logGroupName": "/cut", "logStreamName": "s",
                            "logEvents": evs})
assert r.status == 200, r.body
PY

export AWS_MAX_ATTEMPTS=2
fakeaws_ctl POST faults '{"next":["truncate"]}' >/dev/null
run cw-tail -o raw -s 1h /cut
is "$rc" 0 "a page cut mid-body is read again"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 2000 "every event printed"
is "$(printf '%s\n' "$out" | cut -d' ' -f2 | sort -n | uniq | wc -l | tr -d ' ')" 2000 \
	"each once"
is "$(printf '%s\n' "$out" | cut -d' ' -f2 | head -1):$(printf '%s\n' "$out" | cut -d' ' -f2 | tail -1)" \
	"0:1999" "in order"
is "$(fakeaws_count FilterLogEvents)" 2 "the cut page asked for again, once"

export AWS_MAX_ATTEMPTS=1
fakeaws_ctl POST faults '{"next":["truncate"]}' >/dev/null
run cw-tail -o raw -s 1h /cut
is "$rc" 2 "a page cut mid-body, not read again: exit 2"
is "$out" "" "nothing of it printed"
like "$err" '^cw-tail: .*(transfer|closed|partial|bytes remaining)' "the cut said"

# --debug keeps each page whole, for the trace: the same events.
run cw-tail --debug -o raw -s 1h /cut
is "$rc:$(printf '%s\n' "$out" | wc -l | tr -d ' ')" "0:2000" "with --debug the same events"
like "$err" 'debug: < \{"events":\[\{"logStreamName":"s"' "the page traced"
done_testing
