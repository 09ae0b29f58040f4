#!/bin/sh
# cw-query: log groups given as ARNs, as DescribeLogGroups writes them
# (with ":*") or without, reach StartQuery as logGroupIdentifiers the
# model takes; requests checked against the Logs model.
. "$(dirname "$0")/query.sh"

arn=arn:aws:logs:us-east-1:123456789012:log-group:/app/api

fakeaws_ctl DELETE stats >/dev/null
run cw-query -g "$arn:*" 'stats count(*) as n'
is "$rc:$out" "0:n
7" "an ARN with DescribeLogGroups' :* is the group, not a wildcard"
is "$(fakeaws_count DescribeLogGroups)" 0 "no DescribeLogGroups for it"
is "$(fakeaws_bodies StartQuery | python3 -c 'import json, sys; print(json.load(sys.stdin)["logGroupIdentifiers"])')" \
	"['$arn']" "sent as logGroupIdentifiers, without the :*"

fakeaws_ctl DELETE stats >/dev/null
run cw-query -g "$arn" -g '/app/w*' 'stats count(*) as n'
is "$rc:$out" "0:n
8" "an ARN without :* and a wildcard"
is "$(fakeaws_bodies StartQuery | python3 -c 'import json, sys; print(json.load(sys.stdin)["logGroupIdentifiers"])')" \
	"['$arn', '/app/web']" "names and ARNs mixed as logGroupIdentifiers"

run cw-query -g /app/api -g "$arn:*" 'stats count(*) as n'
is "$rc" 0 "a name and its ARN: one group"

is "$(model_check)" "" "every request as the Logs model allows"

done_testing
