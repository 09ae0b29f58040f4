#!/bin/sh
# A CR, LF or any control byte in a key or token, whatever its source, is
# refused before a request is sent: it would start an HTTP header of its
# own. The error names the source, never the value.
. "$(dirname "$0")/lib.sh"
start_fakeaws
key=$AWS_ACCESS_KEY_ID secret=$AWS_SECRET_ACCESS_KEY
cr=$(printf '\r')
nl='
'

# refused DESC WHAT: the last run failed on WHAT with nothing sent.
refused() {
	is "$rc" 2 "$1: exit 2"
	like "$err" "^cw-tail: $2" "$1: the error names the source"
	unlike "$err" "X-Injected|zzz" "$1: the value is not shown"
	is "$(fakeaws_count DescribeLogGroups)" 0 "$1: nothing reached the server"
}

AWS_SESSION_TOKEN="tok${cr}${nl}X-Injected: yes" run cw-tail --list-groups
refused "AWS_SESSION_TOKEN with CR LF" \
	"environment: the session token holds a control character"

AWS_ACCESS_KEY_ID="${key}${nl}zzz" run cw-tail --list-groups
refused "AWS_ACCESS_KEY_ID with LF" "environment: the access key id holds"

AWS_SECRET_ACCESS_KEY="$(printf '%s\tzzz' "$secret")" run cw-tail --list-groups
refused "a tab in AWS_SECRET_ACCESS_KEY" "environment: the secret access key holds"

unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
cat >"$T/proc" <<EOC
#!/bin/sh
printf '{"Version": 1, "AccessKeyId": "%s\\\\r\\\\nX-Injected: yes", "SecretAccessKey": "%s"}\\n' \
	"$key" "$secret"
EOC
chmod +x "$T/proc"
printf '[default]\ncredential_process = %s\n' "$T/proc" >"$AWS_CONFIG_FILE"
run cw-tail --list-groups
refused "credential_process with CR LF in AccessKeyId" \
	"profile default: credential_process: the access key id holds"

printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\001zzz\n' \
	"$key" "$secret" >"$AWS_SHARED_CREDENTIALS_FILE"
: >"$AWS_CONFIG_FILE"
run cw-tail --list-groups
refused "a control byte in the credentials file" \
	"profile default: the secret access key holds"

printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
	"$key" "$secret" >"$AWS_SHARED_CREDENTIALS_FILE"
run cw-tail --list-groups
is "$rc" 0 "the same keys without the control byte work"
is "$(fakeaws_count DescribeLogGroups)" 1 "and the request is sent"
done_testing
