#!/bin/sh
# cw-tail -o json on a terminal, one-shot and -f, with C1 controls
# (U+0080..U+009F: CSI, OSC, NEL) in the messages and the stream name:
# they are written as \u escapes, the JSON parses to the same text.
. "$(dirname "$0")/lib.sh"
start_fakeaws
call() { python3 "$top/tests/t/awscall.py" logs "$@" >/dev/null; }
tty_run() { python3 "$top/tests/t/termrun.py" --cols 200 "$@"; }

now=$(($(date +%s) * 1000))
call CreateLogGroup '{"logGroupName":"/c1"}'
call CreateLogStream '{"logGroupName":"/c1","logStreamName":"s\u009b31m"}'
call PutLogEvents "{\"logGroupName\":\"/c1\",\"logStreamName\":\"s\\u009b31m\",\"logEvents\":[{\"timestamp\":$((now - 2000)),\"message\":\"a\\u009b2J\\u009d0;pwned\\u0007b\\u0085c\"},{\"timestamp\":$((now - 1000)),\"message\":\"caf\\u00e9 \\u00a0ok\"}]}"

# same FILE: the JSON lines of FILE hold the events as they were put.
same() {
	tr -d '\r' <"$1" | python3 -c '
import json, sys
evs = [json.loads(l) for l in sys.stdin if l.strip()]
want = ["a\u009b2J\u009d0;pwned\u0007b\u0085c", "caf\u00e9 \u00a0ok"]
ok = [e["message"] for e in evs[:2]] == want and \
    all(e["stream"] == "s\u009b31m" for e in evs)
sys.exit(0 if ok else 1)'
}

tty_run cw-tail -o json /c1 >"$T/json"
is "$?" 0 "-o json on a terminal: exit 0"
is "$(raw_controls "$T/json")" 0 "-o json on a terminal: no raw C1 or C0 byte (od)"
unlike "$(bytes "$T/json" | tr '\n' ' ')" 'c2 9[0-9a-f] ' "od: no c2 9x sequence"
like "$(cat "$T/json")" '"message":"a\\u009b2J\\u009d0;pwned\\u0007b\\u0085c"' \
	"the message's C1 controls as \\u escapes"
like "$(cat "$T/json")" '"stream":"s\\u009b31m"' "the stream name's too"
like "$(bytes "$T/json" | tr '\n' ' ')" 'c3 a9 20 c2 a0 6f 6b' \
	"text above U+009F kept as UTF-8 (od)"
same "$T/json"
is "$?" 0 "the JSON parses to the messages as they were put"

tty_run --for 3 cw-tail -f -o json /c1 >"$T/follow"
is "$(raw_controls "$T/follow")" 0 "-f -o json on a terminal: no raw C1 or C0 byte (od)"
like "$(cat "$T/follow")" '"message":"a\\u009b2J\\u009d0;pwned\\u0007b\\u0085c"' \
	"-f: the message's C1 controls as \\u escapes"
same "$T/follow"
is "$?" 0 "-f: the JSON parses to the messages as they were put"
done_testing
