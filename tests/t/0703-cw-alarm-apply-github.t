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

# The repository as the workflow sees it: one stack, two environments.
mkdir -p "$T/repo/alarms" "$T/bin"
cp -R "$top/alarms/multi-container" "$T/repo/alarms/"
# gh stands in for GitHub: it keeps the comment.
printf '#!/bin/sh\nprintf "%%s\\n" "$*" >"%s/gh.args"\ncp -- "$5" "%s/comment.md"\n' "$T" "$T" >"$T/bin/gh"
chmod +x "$T/bin/gh"

step Plan >"$T/plan.sh"
step Apply >"$T/apply.sh"
like "$(cat "$T/plan.sh")" "cw-alarm-diff" "the Plan step runs cw-alarm-diff"
like "$(cat "$T/apply.sh")" "cw-alarm-apply --yes --prune" "the Apply step runs cw-alarm-apply"

cd "$T/repo" || exit 2
PATH=$T/bin:$PATH run sh -e "$T/plan.sh"; [ "$rc" = 0 ] || diag "$err"
is "$rc" 0 "pull request: the plan step succeeds with differences"
is "$(cat "$T/gh.args")" "pr comment 7 --body-file $T/plan.md" "the plan is posted on the pull request"
like "$(cat "$T/comment.md")" "# multi-container/staging" "the comment has every environment"
is "$(grep -c '^Plan: ' "$T/comment.md")" 2 "and a plan for each"
like "$(grep '^+ ' "$T/comment.md" | head -1)" "^\+ alarm multi-container-prod-" "the alarms to create"
is "$(fakeaws_count PutMetricAlarm)" 0 "the plan writes nothing"

run sh -e "$T/apply.sh"
is "$rc" 0 "main: the apply step succeeds"
[ "$rc" = 0 ] || diag "$err"
is "$(printf '%s\n' "$out" | grep -c '^Applied: ')" 2 "both environments applied"
like "$(fakeaws_count AssumeRoleWithWebIdentity)" "^[1-9]" "with web-identity credentials"
is "$(fakeaws_ctl GET stats | python3 -c '
import json, sys
print(sorted(set(r["headers"].get("Authorization", "")[28:32] for r in json.load(sys.stdin)["requests"] if r["op"] == "PutMetricAlarm")))')" \
	"['ASIA']" "every write signed with the temporary keys"

PATH=$T/bin:$PATH run sh -e "$T/plan.sh"; [ "$rc" = 0 ] || diag "$err"
is "$(grep -c '^Plan: 0 to add, 0 to change, 0 to delete' "$T/comment.md")" 2 "after the apply, the next plan is empty"
cd "$top" || exit 2
done_testing
