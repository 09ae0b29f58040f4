#!/bin/sh
# An HTTP error that is not AWS's (a wrong --endpoint-url, a proxy) names
# the URL that answered, and for an event read the log group.
. "$(dirname "$0")/lib.sh"
aws_env

# A web server that answers every request 404 with an HTML page.
mkfifo "$T/port404"
"$PY" -c '
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b"<html><body>Not Found</body></html>\n"
        self.send_response(404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
' >"$T/port404" &
srv=$!
trap 'kill $srv 2>/dev/null; wait $srv 2>/dev/null; cleanup' EXIT
read -r port <"$T/port404"
url=http://127.0.0.1:$port/logs

run cw-tail --endpoint-url "$url" --since 1h /app/web
is "$rc" 2 "a 404: exit 2"
is "$err" "cw-tail: log group /app/web: HTTP 404 from $url: <html><body>Not Found</body></html>" "a 404: the group and the URL named"
run cw-tail --endpoint-url "$url" --list-groups
is "$err" "cw-tail: HTTP 404 from $url: <html><body>Not Found</body></html>" "--list-groups: the URL named"
run cw-filter --endpoint-url "$url" -g /app/api ERROR
is "$err" "cw-filter: log group /app/api: HTTP 404 from $url: <html><body>Not Found</body></html>" "cw-filter -g: the same"
run cw-alarm-status --endpoint-url "$url"
is "$err" "cw-alarm-status: us-east-1: HTTP 404 from $url: <html><body>Not Found</body></html>" "cw-alarm-status: the region and the URL"

done_testing
