#!/bin/sh
# credential_process: JSON Version 1 on stdout, Expiration, failures.
. "$(dirname "$0")/lib.sh"
start_fakeaws
key=$AWS_ACCESS_KEY_ID secret=$AWS_SECRET_ACCESS_KEY
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY

cat >"$T/proc" <<EOC
#!/bin/sh
echo run >>"$T/runs"
env >"$T/env"
printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "%s", "Expiration": "2099-01-01T00:00:00Z"}\n' \
	"$key" "$secret"
EOC
chmod +x "$T/proc"
cat >"$AWS_CONFIG_FILE" <<EOC
[default]
credential_process = "$T/proc" --flag "with space"
[profile fails]
credential_process = sh -c 'echo broken >&2; exit 4'
[profile junk]
credential_process = echo '{"Version": 1}'
EOC
run cw-tail --debug --list-groups
is "$rc" 0 "credential_process keys are accepted"
like "$err" 'credentials: profile default$' "the source is traced"
is "$(wc -l <"$T/runs" | tr -d ' ')" 1 "the process ran once"
unlike "$out$err" "$secret" "the secret never shows"
grep -q '^PATH=' "$T/env" && ! grep -q GNUTLS "$T/env"
is "$?" 0 "the process gets our environment as it was, nothing of loading libcurl"

run cw-tail --list-groups --profile fails
is "$rc" 2 "a failing process fails the command"
like "$err" 'cw-tail: profile fails: credential_process exited with status 4' "the status is reported"
like "$err" 'broken' "the process's stderr passes through"

run cw-tail --list-groups --profile junk
is "$err" "cw-tail: profile junk: credential_process: AccessKeyId or SecretAccessKey missing" \
	"incomplete JSON is reported"
done_testing
