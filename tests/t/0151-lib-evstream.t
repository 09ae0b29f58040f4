#!/bin/sh
# lib/evstream on a real StartLiveTail body from the emulator: every
# frame decodes in pieces of any size; a cut or damaged body is one clear
# error line and status 2.
. "$(dirname "$0")/lib.sh"
start_fakeaws
PATH=$top/tests/helper:$PATH

fakeaws_ctl POST options '{"live_tail_timeout": 1.5, "live_tail_interval": 0.2}' >/dev/null
python3 "$top/tests/t/awscall.py" logs CreateLogGroup '{"logGroupName":"/live"}' >/dev/null
python3 "$top/tests/t/awscall.py" logs CreateLogStream \
	'{"logGroupName":"/live","logStreamName":"web"}' >/dev/null

# The raw body of one session; an event is put once the session started.
python3 - "$T/body" "$top/tests/fakeaws" <<'PY'
import http.client, json, os, sys, time
sys.path.insert(0, sys.argv[2])
import client
url = os.environ["FAKEAWS_URL"]
c = client.Client(url)
body = json.dumps({"logGroupIdentifiers": ["/live"]}).encode()
headers = {"Content-Type": "application/x-amz-json-1.1",
           "X-Amz-Target": "Logs_20140328.StartLiveTail"}
host = url.split("//", 1)[1]
headers["Authorization"] = client.sign("POST", host, "/", (), headers, body,
    client.EXAMPLE_KEY, client.EXAMPLE_SECRET, "us-east-1", "logs")
h, p = host.split(":")
conn = http.client.HTTPConnection(h, int(p), timeout=10)
conn.request("POST", "/", body, headers)
r = conn.getresponse()
out = open(sys.argv[1], "wb")
out.write(r.read1(65536))
c.logs("PutLogEvents", {"logGroupName": "/live", "logStreamName": "web",
    "logEvents": [{"timestamp": int(time.time() * 1000),
                   "message": "hello live\u00e9"}]})
while True:
    data = r.read1(65536)
    if not data:
        break
    out.write(data)
PY
is "$(fakeaws_count StartLiveTail)" 1 "the emulator served one StartLiveTail"

run test-evstream 1 <"$T/body"
is "$rc" 0 "the whole session decodes, fed byte by byte"
is "$(printf '%s\n' "$out" | head -1)" 'event initial-response {}' \
	"the first message is the initial-response the SDKs read"
like "$(printf '%s\n' "$out" | sed -n 2p)" '^event sessionStart \{"requestId":' \
	"then sessionStart"
like "$out" 'event sessionUpdate .*"message":"hello live\\u00e9"' \
	"a sessionUpdate carries the event put during the session"
like "$(printf '%s\n' "$out" | tail -1)" \
	'^exception SessionTimeoutException \{"message": "Session timed out' \
	"the last message is the in-stream SessionTimeoutException"
updates=$(printf '%s\n' "$out" | grep -c '^event sessionUpdate')
check "heartbeat updates between ($updates)" test "$updates" -ge 3
whole=$out
run test-evstream 65536 <"$T/body"
is "$out" "$whole" "read in large pieces, the same messages"

size=$(wc -c <"$T/body")
head -c $((size - 3)) "$T/body" >"$T/cut"
run test-evstream <"$T/cut"
is "$rc" 2 "a cut body fails"
like "$err" '^test-evstream: event stream: message [0-9]+ at byte [0-9]+: truncated frame: [0-9]+ of [0-9]+ bytes$' \
	"with one line naming the truncated frame"

python3 - "$T/body" "$T/bad" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[40] ^= 0x20
open(sys.argv[2], "wb").write(b)
PY
run test-evstream <"$T/bad"
is "$rc" 2 "a damaged body fails"
like "$err" '^test-evstream: event stream: message 1 at byte 0: message CRC mismatch \(frame says 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\)$' \
	"with one line naming the CRC mismatch"
is "$out" "" "and nothing of the bad message is shown"

done_testing
