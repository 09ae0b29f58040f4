#!/bin/sh
# examples/github-actions.yml: the Plan and Apply steps' commands, run
# against the emulator with web-identity credentials as on GitHub.
. "$(dirname "$0")/lib.sh"
start_fakeaws
wf=$top/examples/github-actions.yml

# The run: script of the step with this name (the block scalar under
# "run: |", read without a YAML library).
step() {
	python3 - "$wf" "$1" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
name, inside, indent = sys.argv[2], False, None
for i, l in enumerate(lines):
    m = re.match(r"^\s*- name: (.*)$", l)
    if m:
        inside = m.group(1).strip() == name
        continue
    m = re.match(r"^(\s*)run: \|$", l)
    if inside and m:
        indent = len(m.group(1))
        for b in lines[i + 1:]:
            if b.strip() and len(b) - len(b.lstrip()) <= indent:
                break
            print(b[indent + 2:])
        break
PY
}

unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
printf 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJyZXBvOmN3a2l0In0.c2ln\n' >"$T/token"
fakeaws_ctl POST web-identity-tokens '{"tokens": ["eyJhbGciOiJub25lIn0.eyJzdWIiOiJyZXBvOmN3a2l0In0.c2ln"]}' >/dev/null
export AWS_ROLE_ARN=arn:aws:iam::123456789012:role/cwkit-alarms
export AWS_WEB_IDENTITY_TOKEN_FILE=$T/token
export AWS_ROLE_SESSION_NAME=github-42 RUNNER_TEMP=$T PR_NUMBER=7

# The repository as the workflow sees it: a stack whose metric filter's
# log group does not exist, then one with two environments.
mkdir -p "$T/repo/alarms/a-logs/env" "$T/bin"
cp -R "$top/alarms/multi-container" "$T/repo/alarms/"
echo '{"Region": "us-east-1", "Prefixes": ["a-logs-"]}' >"$T/repo/alarms/a-logs/env/production.json"
cat >"$T/repo/alarms/a-logs/logs.json" <<'JSON'
{"MetricFilters": [{"logGroupName": "/a-logs/app", "filterName": "errors",
  "filterPattern": "ERROR", "metricTransformations": [{"metricName": "Errors",
  "metricNamespace": "ALogs", "metricValue": "1"}]}],
 "Alarms": [{"AlarmName": "a-logs-errors", "Namespace": "ALogs",
  "MetricName": "Errors", "Statistic": "Sum", "Period": 60,
  "EvaluationPeriods": 1, "Threshold": 1,
  "ComparisonOperator": "GreaterThanOrEqualToThreshold"}]}
JSON
# gh stands in for GitHub: it keeps the comment.
printf '#!/bin/sh\nprintf "%%s\\n" "$*" >"%s/gh.args"\ncp -- "$5" "%s/comment.md"\n' "$T" "$T" >"$T/bin/gh"
chmod +x "$T/bin/gh"

step Plan >"$T/plan.sh"
step Apply >"$T/apply.sh"
like "$(cat "$T/plan.sh")" "cw-alarm-diff" "the Plan step runs cw-alarm-diff"
like "$(cat "$T/apply.sh")" "cw-alarm-apply --yes --prune --all-environments" "the Apply step runs cw-alarm-apply"

cd "$T/repo" || exit 2
PATH=$T/bin:$PATH run sh -e "$T/plan.sh"; [ "$rc" = 0 ] || diag "$err"
is "$rc" 0 "pull request: the plan step succeeds with differences"
is "$(cat "$T/gh.args")" "pr comment 7 --body-file $T/plan.md" "the plan is posted on the pull request"
like "$(cat "$T/comment.md")" "# multi-container
Environment production:" "the comment names the stack"
like "$(cat "$T/comment.md")" "Environment staging:" "and has every environment"
is "$(grep -c '^Plan: ' "$T/comment.md")" 3 "and a plan for each"
like "$(cat "$T/comment.md")" "! metric filter errors: log group /a-logs/app does not exist in us-east-1" \
	"the plan warns of the missing log group"
like "$(grep '^+ ' "$T/comment.md")" "^\+ alarm multi-container-prod-" "the alarms to create"
is "$(fakeaws_count PutMetricAlarm)" 0 "the plan writes nothing"

fakeaws_ctl DELETE stats >/dev/null
run sh -e "$T/apply.sh"
is "$rc" 2 "main: a stack fails, so the apply step fails"
# The alarms each environment's plan adds, from the plan comment.
adds() { # STACK/ENV
	awk -v s="$1" '/^# / { stack = substr($0, 3) }
		/^Environment .*:$/ { env = substr($0, 13, length($0) - 13) }
		stack "/" env == s && /^\+ (composite )?alarm / { n++ }
		END { print n + 0 }' "$T/comment.md"
}
prod=$(adds multi-container/production) staging=$(adds multi-container/staging)
is "$(printf '%s\n' "$out" | grep '^Applied: ' | sed -E 's/ ([0-9]+) of \1 calls / N of N calls /')" \
	"Applied: 1 of 2 calls done, 1 failed, 0 not started.
Applied: N of N calls done, 0 failed, 0 not started.
Applied: N of N calls done, 0 failed, 0 not started." \
	"every stack and environment applied, the failing one first"
is "$(printf '%s\n' "$out" | tail -1)" "::error::not applied in full: a-logs" \
	"the step ends naming the stack that failed"
is "$(fakeaws_ctl GET stats | python3 -c '
import json, sys
n = {}
for r in json.load(sys.stdin)["requests"]:
    if r["op"] in ("PutMetricAlarm", "PutCompositeAlarm", "PutMetricFilter"):
        k = json.loads(r["body"]).get("AlarmName", "filter").split("-")
        k = k[2] if k[0] == "multi" else k[-1]
        n[k] = n.get(k, 0) + 1
print(" ".join("%s=%d" % kv for kv in sorted(n.items())))')" \
	"errors=1 prod=$prod staging=$staging" \
	"the emulator got every alarm of the later stacks, and no write of the filter"
like "$(fakeaws_count AssumeRoleWithWebIdentity)" "^[1-9]" "with web-identity credentials"
is "$(fakeaws_ctl GET stats | python3 -c '
import json, sys
print(sorted(set(r["headers"].get("Authorization", "")[28:32] for r in json.load(sys.stdin)["requests"] if r["op"] == "PutMetricAlarm")))')" \
	"['ASIA']" "every write signed with the temporary keys"

PATH=$T/bin:$PATH run sh -e "$T/plan.sh"; [ "$rc" = 0 ] || diag "$err"
is "$(grep -c '^Plan: 0 to add, 0 to change, 0 to delete' "$T/comment.md")" 2 "after the apply, the next plan is empty"
is "$(grep -c '^Plan: 1 to add, 0 to change, 0 to delete, 1 unchanged' "$T/comment.md")" 1 \
	"but for the filter on the missing group"
cd "$top" || exit 2
done_testing
