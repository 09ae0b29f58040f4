#!/bin/sh
# make demo ends with the lines to paste to use the bundled endpoint
# yourself; pasted into a shell, they start it and cw-tail reaches it.
# limit: 120
. "$(dirname "$0")/lib.sh"
sh "$top/tests/demo.sh" >"$T/demo" 2>&1
is "$?" 0 "the demo runs"
like "$(cat "$T/demo")" "make demo-shell" "it names make demo-shell"
sed -n '/paste these lines/,/^(these are/p' "$T/demo" | sed '1d;$d' >"$T/paste"
like "$(cat "$T/paste")" "export PATH=.* AWS_ENDPOINT_URL=" "then the lines to paste"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed "s/^ *port=4566\$/port=$port/" "$T/paste" >"$T/paste.sh"
cat >>"$T/paste.sh" <<'EOS'
i=0
until cw-tail --list-groups >"$OUT" 2>/dev/null || [ $i -ge 100 ]; do
	sleep 0.1; i=$((i + 1))
done
kill $!
EOS
# A clean environment, as a new shell has.
env -i HOME="$T" PATH=/usr/bin:/bin OUT="$T/groups" sh "$T/paste.sh" 2>"$T/err"
is "$?" 0 "the pasted lines run"
like "$(cat "$T/groups")" "^/aws/alb/lomash-wood-production" "cw-tail lists the demo's groups through them"
done_testing
