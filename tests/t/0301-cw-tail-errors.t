#!/bin/sh
# Bad input and bad answers: one clear line on stderr, exit status 2.
. "$(dirname "$0")/lib.sh"
start_fakeaws
export AWS_MAX_ATTEMPTS=1

run cw-tail /nope
is "$rc" 2 "unknown group: exit 2"
is "$err" "cw-tail: log group /nope: ResourceNotFoundException: The specified log group does not exist." \
	"unknown group: AWS's code and message"

run cw-tail --bogus
is "$rc" 2 "unknown option: exit 2"
like "$err" '^cw-tail: ' "unknown option: says which command"
like "$err" 'usage: cw-tail' "unknown option: usage on stderr"

run cw-tail --help
is "$rc" 0 "--help: exit 0"
like "$out" '^usage: cw-tail' "--help: usage on stdout"

run cw-tail --version
like "$out" '^cw-tail [0-9]' "--version"

run cw-tail
is "$rc" 2 "no group: exit 2"

run cw-tail --since yesterday-ish /x
is "$rc" 2 "bad --since: exit 2"
like "$err" "^cw-tail: --since: time 'yesterday-ish': expected" "bad --since: says why"

before=$(fakeaws_count FilterLogEvents)
run cw-tail --filter '{ $.status = 5' /x
is "$rc" 2 "a bad --filter pattern: exit 2"
is "$err" "$(printf '%s\n%s\n%s' "cw-tail: --filter: column 15: if a filter pattern starts with '{' it must end with '}'" \
	'{ $.status = 5' '              ^')" "a bad --filter pattern: the reason, the pattern and a caret"
is "$(fakeaws_count FilterLogEvents)" "$before" "a bad --filter pattern costs no request"

run cw-tail --limit 0 /x
is "$err" "cw-tail: --limit '0': expected a positive number" "bad --limit"

run cw-tail -o yaml /x
is "$err" "cw-tail: output format 'yaml': expected short, long, raw or json" "bad -o"

run env -u AWS_REGION cw-tail --list-groups
is "$err" "cw-tail: no region: use --region, AWS_REGION or region in the profile" "no region"

run cw-tail --region 'us east' --list-groups
like "$err" "^cw-tail: region 'us east': not a region name" "bad region"

run env AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEY \
	cw-tail --list-groups
is "$rc" 2 "wrong secret: exit 2"
like "$err" '^cw-tail: InvalidSignatureException: The request signature we calculated does not match' \
	"wrong secret: InvalidSignatureException shown as such"

run env AWS_ACCESS_KEY_ID=AKIAI44QH8DHBEXAMPLE cw-tail --list-groups
like "$err" '^cw-tail: UnrecognizedClientException: ' "unknown key id"

run env AWS_ENDPOINT_URL=http://127.0.0.1:1 cw-tail --list-groups
is "$rc" 2 "unreachable endpoint: exit 2"
like "$err" '^cw-tail: http://127\.0\.0\.1:1/: .*([Cc]onnect|refused)' "unreachable endpoint: says where and why"

run env AWS_ENDPOINT_URL=https://127.0.0.1:$FAKEAWS_PORT cw-tail --list-groups
is "$rc" 2 "TLS failure: exit 2"
like "$err" '^cw-tail: https://127\.0\.0\.1:[0-9]+/: .*(SSL|TLS|ssl|tls)' "TLS failure: one line naming TLS"

printf '[default]\nca_bundle = %s/nonexistent/ca.pem\n' "$T" >"$AWS_CONFIG_FILE"
run env AWS_ENDPOINT_URL=https://127.0.0.1:$FAKEAWS_PORT cw-tail --list-groups
like "$err" 'nonexistent/ca\.pem' "the profile's ca_bundle is used"
run env AWS_CA_BUNDLE=$T/other.pem AWS_ENDPOINT_URL=https://127.0.0.1:$FAKEAWS_PORT cw-tail --list-groups
like "$err" 'other\.pem' "AWS_CA_BUNDLE wins over ca_bundle"
: >"$AWS_CONFIG_FILE"

run env AWS_ENDPOINT_URL=ftp://127.0.0.1:$FAKEAWS_PORT cw-tail --list-groups
like "$err" "^cw-tail: endpoint 'ftp://" "non-HTTP endpoint refused"

fakeaws_ctl POST faults '{"next":["html"]}' >/dev/null
run cw-tail --list-groups
is "$rc" 2 "HTML answer: exit 2"
like "$err" '^cw-tail: HTTP 5[0-9][0-9]' "HTML answer: status and first line"
is "$(printf '%s\n' "$err" | wc -l | tr -d ' ')" 1 "HTML answer: one line"

fakeaws_ctl POST faults '{"next":["truncate"]}' >/dev/null
run cw-tail --list-groups
is "$rc" 2 "truncated body: exit 2"
like "$err" '^cw-tail: .*(truncated|malformed|transfer|closed)' "truncated body: said"

fakeaws_ctl POST faults '{"next":["xml"]}' >/dev/null
run cw-tail --list-groups
is "$rc" 2 "XML error answer: exit 2"
is "$(printf '%s\n' "$err" | wc -l | tr -d ' ')" 1 "XML error answer: one line"

done_testing
