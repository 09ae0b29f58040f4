#!/bin/sh
# cw-query against a server that pages for ever (fresh nextTokens, full
# or empty pages): --limit rows exactly, 100000 without it, a bound on
# pages, memory bounded; what reached the emulator counted.
. "$(dirname "$0")/query.sh"

# bounded CMD...: run, but at most 60 s and with its peak memory (KiB)
# in $rss: before the bounds this loop never ended.
bounded() {
	python3 - "$T" "$@" <<'PY'
import resource, subprocess, sys
t = sys.argv[1]
with open(t + "/out", "wb") as o, open(t + "/err", "wb") as e:
    try:
        rc = subprocess.run(sys.argv[2:], stdout=o, stderr=e,
                            timeout=60).returncode
    except subprocess.TimeoutExpired:
        rc = "timeout"
open(t + "/rc", "w").write(str(rc))
open(t + "/rss", "w").write(
    str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
PY
	rc=$(cat "$T/rc")
	rss=$(cat "$T/rss")
	err=$(cat "$T/err")
}
rows() { tail -n +2 "$T/out" | wc -l | tr -d ' '; }
gqr() { fakeaws_count GetQueryResults; }

# Full pages for ever, each with more rows than --limit wants.
fakeaws_ctl POST options '{"insights_endless": 2}' >/dev/null
fakeaws_ctl DELETE stats >/dev/null
bounded cw-query -g /app/api --limit 5 'fields ms | filter ms > 0'
is "$rc" 0 "--limit 5 on a server that never ends: exit 0"
is "$(rows)" 5 "--limit 5: exactly five rows printed"
is "$(tail -n +2 "$T/out" | tr '\n' ' ')" "60 50 40 30 20 " \
	"the rows of the first pages, in order"
is "$(gqr)" 4 "GetQueryResults: Running, then three pages of two rows"
like "$err" "^5 rows; .*\\(truncated at 5\\)$" "one line says it was truncated"
is "$(printf '%s\n' "$err" | wc -l | tr -d ' ')" 1 "and only one line"

# Empty pages with a fresh nextToken for ever.
fakeaws_ctl POST options '{"insights_endless": 0}' >/dev/null
fakeaws_ctl DELETE stats >/dev/null
bounded cw-query -g /app/api 'fields ms'
is "$rc" 2 "empty pages for ever: exit 2"
is "$err" "cw-query: GetQueryResults: 10 empty pages in a row, still with a nextToken: stopped" \
	"empty pages for ever: why"
is "$(gqr)" 12 "GetQueryResults: Running, the first page, ten empty ones"

# One row a page for ever: the bound on pages.
fakeaws_ctl POST options '{"insights_endless": 1}' >/dev/null
fakeaws_ctl DELETE stats >/dev/null
bounded cw-query -g /app/api 'fields ms | filter ms > 0'
is "$rc" 2 "a row a page for ever: exit 2"
is "$err" "cw-query: GetQueryResults: still a nextToken after 1000 pages: stopped" \
	"a row a page for ever: why"
is "$(gqr)" 1001 "GetQueryResults: Running, then 1000 pages"
is "$(rows)" 1000 "the rows read before are printed"

# Full pages for ever, no --limit: 100000 rows, memory bounded.
fakeaws_ctl POST options '{"insights_endless": 5000}' >/dev/null
fakeaws_ctl DELETE stats >/dev/null
bounded cw-query -g /app/api 'fields ms | filter ms > 0'
is "$rc" 0 "no --limit on a server that never ends: exit 0"
is "$(rows)" 100000 "no --limit: 100000 rows"
is "$(gqr)" 21 "GetQueryResults: Running, then 20 pages of 5000"
like "$err" "^100000 rows; .*\\(truncated at 100000, the most cw-query reads\\)$" \
	"said so, in one line"
check "peak memory under 256 MiB ($rss KiB)" test "$rss" -lt 262144

fakeaws_ctl POST options '{"insights_endless": null}' >/dev/null
done_testing
