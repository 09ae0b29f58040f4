#!/bin/sh
# SSO: the cached access token (named by the SHA-1 of the session name or
# the start URL) buys role credentials from the portal.
. "$(dirname "$0")/lib.sh"
start_fakeaws
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY

sha1() { printf '%s' "$1" | python3 -c 'import hashlib,sys; print(hashlib.sha1(sys.stdin.buffer.read()).hexdigest())'; }

mkdir -p "$HOME/.aws/sso/cache"
cache() {	# cache KEY TOKEN EXPIRES
	printf '{"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "%s", "expiresAt": "%s"}\n' \
		"$2" "$3" >"$HOME/.aws/sso/cache/$(sha1 "$1").json"
}
cat >"$AWS_CONFIG_FILE" <<'EOC'
[profile sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = ReadOnly
[sso-session corp]
sso_region = us-east-1
sso_start_url = https://corp.awsapps.com/start
[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = ReadOnly
EOC

cache corp sso-test-token 2099-01-01T00:00:00Z
run cw-tail --debug --list-groups --profile sso
is "$rc" 0 "SSO role credentials are accepted"
like "$err" 'credentials: profile sso$' "the source is traced"
is "$(fakeaws_count GetRoleCredentials)" 1 "one GetRoleCredentials call"
unlike "$err" 'sso-test-token' "the access token never shows"

cache https://legacy.awsapps.com/start sso-test-token 2099-01-01T00:00:00UTC
run cw-tail --list-groups --profile legacy
is "$rc" 0 "legacy sso_start_url profile"

cache corp sso-test-token 2020-01-01T00:00:00Z
run cw-tail --list-groups --profile sso
is "$rc" 2 "an expired token fails"
like "$err" "the SSO session has expired or is invalid; run 'aws sso login --profile sso'" \
	"the error says to log in"

cache corp not-a-valid-token 2099-01-01T00:00:00Z
run cw-tail --list-groups --profile sso
is "$rc" 2 "a token the portal refuses fails"
like "$err" 'sso GetRoleCredentials: HTTP 401' "the portal status is reported"
done_testing
