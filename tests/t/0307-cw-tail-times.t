#!/bin/sh
# Times: calendar dates are checked, every time is bounded before
# anything is sent, and a server's out-of-range timestamp shows as such.
. "$(dirname "$0")/lib.sh"
start_fakeaws

for bad in 2026-02-30 2025-02-29T10:00:00Z 2026-04-31 "2026-11-23 24:00"; do
	run cw-tail --since "$bad" /g
	is "$rc:$err" "2:cw-tail: --since: time '$bad': not a valid date and time" \
		"--since $bad is refused"
done
for bad in 99999999999999999 9223372036854775808 99999999w 1969-12-31T00:00:00Z; do
	run cw-tail --until "$bad" /g
	is "$rc:$err" "2:cw-tail: --until: time '$bad': out of range (1970 to 9999)" \
		"--until $bad is out of range"
done
is "$(fakeaws_count FilterLogEvents)" 0 "none of them reached the server"

run cw-tail --since 2024-02-29 --until 2024-03-01 /g
like "$err" "ResourceNotFoundException" "a leap day is a date: the request is sent"
is "$(fakeaws_count FilterLogEvents)" 1 "once"

# A server that answers with timestamps no clock can have.
cat >"$T/srv.py" <<'PY'
import http.server, sys
body = (b'{"events":[{"message":"huge","timestamp":1e300,"logStreamName":"s"},'
        b'{"message":"negative","timestamp":-5,"logStreamName":"s"},'
        b'{"message":"fine","timestamp":1700000000123,"logStreamName":"s"}]}')
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
mkfifo "$T/p"
"$PY" "$T/srv.py" >"$T/p" &
srv=$!
read -r port <"$T/p"
AWS_ENDPOINT_URL=http://127.0.0.1:$port run cw-tail --utc -o json /g
is "$rc" 0 "-o json: exit 0"
is "$(printf '%s\n' "$out" | "$PY" -c '
import json, sys
print(" ".join(str(json.loads(l)["timestamp"]) for l in sys.stdin))')" \
	"None None 1700000000123" "-o json: an out-of-range time is null"
AWS_ENDPOINT_URL=http://127.0.0.1:$port run cw-tail --utc -o short /g
kill "$srv"
is "$rc" 0 "out-of-range server times do not stop the output"
is "$out" "(time out of range) s huge
(time out of range) s negative
2023-11-14 22:13:20.123 s fine" "they are shown as out of range, not as a wrapped or negative time"
done_testing
