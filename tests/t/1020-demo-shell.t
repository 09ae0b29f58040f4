#!/bin/sh
# make demo-shell: on a terminal, a shell with the bundled endpoint
# running and the environment set; leaving the shell stops the endpoint.
. "$(dirname "$0")/lib.sh"
cat >"$T/steps" <<'EOS'
wait stops the endpoint
send cw-tail --list-groups | head -n 1 | cut -f1; echo "AT=$AWS_ENDPOINT_URL"\n
wait AT=http://127.0.0.1:[0-9]+
send exit\n
EOS
for cols in 80 200; do
	SHELL=/bin/sh python3 "$top/tests/t/termrun.py" --cols "$cols" \
		--script "$T/steps" sh "$top/tests/demo-shell.sh" >"$T/out" 2>&1
	is "$?" 0 "$cols columns: the shell ends with exit, status 0"
	like "$(cat "$T/out")" "cw-tail --list-groups" "$cols columns: the banner says what to try"
	like "$(cat "$T/out")" "/aws/alb/lomash-wood-production$" "$cols columns: cw-tail lists the demo's groups from the shell"
	url=$(sed -n 's/^AT=\(http[^[:space:]]*\).*/\1/p' "$T/out" | tr -d '\r' | head -n 1)
	like "$url" "^http://127.0.0.1:[0-9]+$" "$cols columns: AWS_ENDPOINT_URL set in the shell"
	check "$cols columns: the endpoint is stopped once the shell has ended" \
		wait_for 10 sh -c '! python3 -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + \"/__fakeaws/stats\", timeout=2)" "$1" 2>/dev/null' sh "$url"
done
like "$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -n -C "$top" demo-shell 2>/dev/null)" "sh tests/demo-shell.sh" \
	"make demo-shell runs it"
done_testing
