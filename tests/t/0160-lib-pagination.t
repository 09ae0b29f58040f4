#!/bin/sh
# Pagination stops with an error when a server hands back a token it
# already gave, for every paginated call (one helper in lib/awsjson.c),
# instead of printing the same page forever.
. "$(dirname "$0")/lib.sh"
aws_env

# A server that pages through the tokens of $MODE, then repeats: "same"
# gives T1 forever, "cycle" gives A, B, A, ... It counts requests.
cat >"$T/srv.py" <<'PY'
import http.server, json, sys
mode, count = sys.argv[1], sys.argv[2]
seq = {"same": ["T1"], "cycle": ["A", "B"], "late": ["1", "2", "3", "2"]}[mode]
n = [0]
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        op = self.headers.get("X-Amz-Target", "").split(".")[-1]
        tok = seq[n[0] % len(seq)] if mode != "late" else seq[min(n[0], 3)]
        n[0] += 1
        with open(count, "w") as f: f.write(str(n[0]))
        if op == "DescribeLogGroups":
            body = {"logGroups": [{"logGroupName": "/same"}], "nextToken": tok}
        elif op == "StartQuery":
            body = {"queryId": "q1"}
        elif op == "GetQueryResults":
            body = {"status": "Complete", "nextToken": tok, "results": [
                [{"field": "n", "value": str(n[0])}]],
                "statistics": {"recordsMatched": 1.0}}
        elif op == "FilterLogEvents":
            body = {"events": [{"message": "m%d" % n[0], "timestamp": 1,
                                "logStreamName": "s"}], "nextToken": tok}
        else:
            body = {"MetricAlarms": [], "NextToken": tok}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY

serve() {
	rm -f "$T/p.$1" "$T/count.$1"
	mkfifo "$T/p.$1"
	"$PY" "$T/srv.py" "$1" "$T/count.$1" >"$T/p.$1" &
	FAKEAWS_PID="$FAKEAWS_PID $!"
	read -r port <"$T/p.$1"
	export AWS_ENDPOINT_URL=http://127.0.0.1:$port
}
cleanup_all() { for p in $FAKEAWS_PID; do kill "$p" 2>/dev/null; done; rm -rf "$T"; }
trap cleanup_all EXIT

serve same
run timeout 20 cw-tail --list-groups
is "$rc" 2 "DescribeLogGroups: a repeated nextToken is an error"
is "$err" "cw-tail: DescribeLogGroups: page 2 repeats an earlier nextToken: stopped instead of looping" \
	"the error says why it stopped"
is "$(cat "$T/count.same")" 2 "the repeated token is not followed"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 2 "each page printed once"

serve cycle
run timeout 20 cw-tail --since 1h /g
is "$rc" 2 "FilterLogEvents: a token that comes back two pages later is an error"
like "$err" "FilterLogEvents: page 3 repeats an earlier nextToken" "and says so"
is "$(cat "$T/count.cycle")" 3 "after three requests"

serve late
PATH=$top/tests/helper:$PATH run timeout 20 test-awsjson monitoring DescribeAlarms '{}' NextToken
is "$rc" 2 "DescribeAlarms (NextToken): a repeat after several pages is an error"
like "$err" "DescribeAlarms: page 4 repeats an earlier NextToken" "and says so"
is "$(cat "$T/count.late")" 4 "after four requests"

serve same
run timeout 20 cw-alarm-status --region us-east-1 --state any
is "$rc" 2 "cw-alarm-status: DescribeAlarms repeating its NextToken is an error"
like "$err" "DescribeAlarms: page 2 repeats an earlier NextToken" "and says so"
is "$(cat "$T/count.same")" 2 "after two requests"

serve same
run timeout 20 cw-query -g /g -o tsv 'fields n'
is "$rc" 2 "cw-query: GetQueryResults repeating its nextToken is an error"
like "$err" "GetQueryResults: page 3 repeats an earlier nextToken" "and says so"
is "$(cat "$T/count.same")" 3 "after StartQuery and two pages"

done_testing
