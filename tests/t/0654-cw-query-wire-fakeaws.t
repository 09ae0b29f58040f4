#!/bin/sh
# The emulator's Insights as the Logs model defines it: StartQuery's
# limit up to 100,000, GetQueryResults paged by 10,000 or maxItems,
# DescribeQueries, PutQueryDefinition's group-name pattern,
# MalformedQueryException with queryCompileError; cw-query reads a paged
# result of more than 10,000 rows. Requests checked against the model.
. "$(dirname "$0")/query.sh"

field() { python3 -c 'import json, sys
d = json.load(sys.stdin)
for k in sys.argv[1:]:
    d = d[int(k)] if isinstance(d, list) else d.get(k)
print(d if not isinstance(d, (dict, list)) else json.dumps(d, sort_keys=True))' "$@"; }
sq() {	# sq GROUP LIMIT QUERY: StartQuery over the last day; the answer
	awscall logs StartQuery "{\"logGroupName\": \"$1\", \"startTime\": $(($(date +%s) - 86400)), \"endTime\": $(date +%s), \"queryString\": \"$3\"${2:+, \"limit\": $2}}"
}

# 12,000 events in /big, two PutLogEvents of 6,000.
call CreateLogGroup '{"logGroupName": "/big"}'
call CreateLogStream '{"logGroupName": "/big", "logStreamName": "s"}'
for half in 0 1; do
	python3 -c 'import json, sys, time
now = int(time.time() * 1000) - 60000
h = int(sys.argv[1])
print(json.dumps({"logGroupName": "/big", "logStreamName": "s", "logEvents": [
    {"timestamp": now + h * 6000 + i, "message": "e%d" % (h * 6000 + i)} for i in range(6000)]}))' $half >"$T/put"
	awscall logs PutLogEvents - <"$T/put" >/dev/null
done

# --- StartQuery's limit -----------------------------------------------------
run sq /big 100000 'fields @message'
is "$rc" 0 "limit 100000: accepted"
id=$(printf '%s' "$out" | field queryId)
run sq /big 100001 'fields @message'
is "$rc:$(printf '%s' "$out" | field __type)" "1:InvalidParameterException" "limit 100001: refused"
like "$out" "Value '100001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100000" \
	"in the service's words"

# --- GetQueryResults pages --------------------------------------------------
awscall logs GetQueryResults "{\"queryId\": \"$id\"}" >/dev/null	# Running
run awscall logs GetQueryResults "{\"queryId\": \"$id\"}"
is "$(printf '%s' "$out" | field status):$(printf '%s' "$out" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["results"]))')" \
	"Complete:10000" "a Complete result: 10,000 rows an answer"
tok=$(printf '%s' "$out" | field nextToken)
run awscall logs GetQueryResults "{\"queryId\": \"$id\", \"nextToken\": \"$tok\"}"
is "$(printf '%s' "$out" | python3 -c 'import json, sys; d = json.load(sys.stdin); print(len(d["results"]), "nextToken" in d)')" \
	"2000 False" "then the rest, without a nextToken"
run awscall logs GetQueryResults "{\"queryId\": \"$id\", \"maxItems\": 3}"
is "$(printf '%s' "$out" | python3 -c 'import json, sys; d = json.load(sys.stdin); print(len(d["results"]), "nextToken" in d)')" \
	"3 True" "maxItems 3: three rows and a nextToken"
run awscall logs GetQueryResults "{\"queryId\": \"$id\", \"maxItems\": 10001}"
is "$rc:$(printf '%s' "$out" | field __type)" "1:InvalidParameterException" "maxItems 10001: refused"

run cw-query -g /big --limit 100000 'fields @message'
is "$rc:$(printf '%s\n' "$out" | wc -l | tr -d ' ')" "0:12001" \
	"cw-query --limit 100000: 12,000 rows over two pages (and the header)"
is "$(fakeaws_bodies StartQuery | tail -n 1 | field limit)" 100000 "the limit sent"

# --- DescribeQueries ----------------------------------------------------------
fakeaws_ctl POST options '{"insights_states": ["Running"]}' >/dev/null
sq /app/web "" 'fields @message' >/dev/null	# stays Scheduled: never polled
run awscall logs DescribeQueries '{}'
is "$rc" 0 "DescribeQueries: answered"
n=$(printf '%s' "$out" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["queries"]))')
is "$n" 3 "DescribeQueries lists the three queries started"
is "$(awscall logs DescribeQueries '{"status": "Scheduled"}' | python3 -c 'import json, sys
print(" ".join(q["status"] + ":" + q["logGroupName"] for q in json.load(sys.stdin)["queries"]))')" \
	"Scheduled:/app/web" "status filter"
is "$(awscall logs DescribeQueries '{"logGroupName": "/app/web"}' | python3 -c 'import json, sys
print(" ".join(q["logGroupName"] for q in json.load(sys.stdin)["queries"]))')" \
	"/app/web" "logGroupName filter"
run awscall logs DescribeQueries '{"maxResults": 2}'
is "$(printf '%s' "$out" | python3 -c 'import json, sys; d = json.load(sys.stdin); print(len(d["queries"]), "nextToken" in d)')" \
	"2 True" "maxResults 2: two and a nextToken"
tok=$(printf '%s' "$out" | field nextToken)
run awscall logs DescribeQueries "{\"maxResults\": 1000, \"nextToken\": \"$tok\"}"
is "$(printf '%s' "$out" | python3 -c 'import json, sys; d = json.load(sys.stdin); print(len(d["queries"]), "nextToken" in d)')" \
	"$((n - 2)) False" "the next page: the rest"
run awscall logs DescribeQueries '{"maxResults": 0}'
is "$rc:$(printf '%s' "$out" | field __type)" "1:InvalidParameterException" "maxResults 0: refused"
run awscall logs DescribeQueries '{"status": "Done"}'
is "$rc:$(printf '%s' "$out" | field __type)" "1:InvalidParameterException" "an unknown status: refused"

# --- PutQueryDefinition -----------------------------------------------------
run awscall logs PutQueryDefinition '{"name": "errors", "queryString": "fields @message", "logGroupNames": ["/app/*"]}'
is "$rc:$(printf '%s' "$out" | field __type)" "1:InvalidParameterException" "a wildcard group name: refused"
like "$out" "at 'logGroupNames.1.member' failed to satisfy constraint: Member must satisfy regular expression pattern" \
	"by the model's pattern"
run awscall logs PutQueryDefinition '{"name": "errors", "queryString": "fields @message", "logGroupNames": ["arn:aws:logs:us-east-1:123456789012:log-group:/app/api:*"]}'
is "$rc" 1 "an ARN as a group name: refused"
run awscall logs PutQueryDefinition '{"name": "", "queryString": "fields @message"}'
is "$rc" 1 "an empty name: refused"
run awscall logs PutQueryDefinition '{"name": "errors/5xx (prod)", "queryString": "fields @message", "logGroupNames": ["/app/api"]}'
is "$rc" 0 "a name with any characters and a group name in the pattern: saved"

# --- MalformedQueryException ------------------------------------------------
run sq /app/api "" 'fields @message\n| bogus x'
is "$rc:$(printf '%s' "$out" | field __type)" "1:MalformedQueryException" "a bad query: MalformedQueryException"
is "$(printf '%s' "$out" | field queryCompileError location)" \
	'{"endCharOffset": 23, "startCharOffset": 18}' "queryCompileError.location: the offsets of the bad word"
like "$(printf '%s' "$out" | field queryCompileError message)" "unsupported command bogus" \
	"queryCompileError.message"
like "$(printf '%s' "$out" | field message)" "at line 2 and position 3" "line and position of the second line"
printf '%s' "$out" | python3 -c '
import json, sys
sys.path.insert(0, sys.argv[1])
import model
m = model.model()["shapes"]
err = json.load(sys.stdin)
members = set(m["MalformedQueryException"]["members"]) | {"__type", "message"}
ce = err["queryCompileError"]
ok = set(err) <= members and set(ce) <= set(m["QueryCompileError"]["members"]) \
    and set(ce["location"]) == set(m["QueryCompileErrorLocation"]["members"])
sys.exit(0 if ok else 1)' "$top/tests/fakeaws"
is "$?" 0 "the error has the model's shape"

is "$(model_check StartQuery GetQueryResults DescribeQueries PutQueryDefinition | grep -v "limit: Member must have value less than or equal to 100000\|maxItems: Member must have value less than or equal to 10000\|maxResults: Member must have length\|maxResults: Member must have value greater\|status: Member must satisfy enum\|logGroupNames.1.member: Member must satisfy\|name: Member must have length greater")" "" \
	"every request but those refused on purpose as the Logs model allows"

done_testing
