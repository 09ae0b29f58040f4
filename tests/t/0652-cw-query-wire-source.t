#!/bin/sh
# cw-query: a query whose first command is SOURCE picks its own log
# groups; StartQuery then names none, as the model says (one of its
# group members, or SOURCE); requests checked against the Logs model.
. "$(dirname "$0")/query.sh"

members() {	# the group members of the last StartQuery
	fakeaws_bodies StartQuery | tail -n 1 | python3 -c '
import json, sys
b = json.load(sys.stdin)
print(",".join(m for m in ("logGroupName", "logGroupNames", "logGroupIdentifiers") if m in b) or "none")'
}

fakeaws_ctl DELETE stats >/dev/null
run cw-query "SOURCE logGroups(namePrefix: ['/app/a']) | stats count(*) as n"
is "$rc:$out" "0:n
7" "SOURCE without -g: runs"
is "$(members)" none "no log-group member sent"

run cw-query "$(printf '# every group\n  source logGroups()\n| stats count(*) as n')"
is "$rc:$out" "0:n
8" "after a comment and blanks, in lower case: still SOURCE"
is "$(members)" none "no log-group member sent"

run cw-query -g /app/web "SOURCE logGroups(namePrefix: ['/app/api']) | stats count(*) as n"
is "$rc:$out" "0:n
7" "SOURCE with -g: the query's groups"
like "$err" "^cw-query: the query's SOURCE picks its log groups; the 1 given are not sent
1 row; records matched 7, scanned 7; " "said so"
is "$(members)" none "the -g group not sent beside it"
is "$(fakeaws_count DescribeLogGroups)" 0 "no DescribeLogGroups"

is "$(model_check StartQuery)" "" "every StartQuery as the Logs model allows"

fakeaws_ctl DELETE stats >/dev/null
run cw-query "fields @message | sources"
is "$rc:$err" "2:cw-query: no log groups: give -g GROUP (.groups at the prompt), or start the query with SOURCE" \
	"no groups and no SOURCE: refused, saying how"
is "$(fakeaws_count StartQuery)" 0 "no StartQuery"

done_testing
