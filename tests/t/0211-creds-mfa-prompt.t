#!/bin/sh
# mfa_serial: the command asks for the code on its terminal (bin/cmd/cmd.h
# sets the library's prompt callback); without a terminal it says it
# cannot ask, and nothing is sent.
. "$(dirname "$0")/lib.sh"
start_fakeaws
key=$AWS_ACCESS_KEY_ID secret=$AWS_SECRET_ACCESS_KEY
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
printf '[base]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$key" "$secret" \
	>"$AWS_SHARED_CREDENTIALS_FILE"
cat >"$AWS_CONFIG_FILE" <<'EOC'
[profile mfa]
role_arn = arn:aws:iam::123456789012:role/mfa
source_profile = base
mfa_serial = arn:aws:iam::123456789012:mfa/alice
EOC
fakeaws_ctl PUT roles '{"RoleArn": "arn:aws:iam::123456789012:role/mfa",
	"MfaSerial": "arn:aws:iam::123456789012:mfa/alice", "MfaCode": "654321"}' >/dev/null

# Runs the command on a new terminal, answers the prompt with $1, and
# prints what the terminal showed, then the exit status.
on_tty() {
	python3 - "$1" "$(command -v cw-tail)" --list-groups --profile mfa <<'PY'
import os, pty, sys, select
code, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
seen, sent = b"", False
while True:
    r, _, _ = select.select([fd], [], [], 20)
    if not r:
        break
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    seen += data
    if not sent and b"Enter MFA code" in seen:
        os.write(fd, code.encode() + b"\n")
        sent = True
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode(errors="replace").replace("\r", ""))
print("status=%d" % os.waitstatus_to_exitcode(status))
PY
}

out=$(on_tty 654321)
like "$out" "Enter MFA code for arn:aws:iam::123456789012:mfa/alice: " "the code is asked for on the terminal"
like "$out" "status=0" "the right code: the command succeeds"
is "$(fakeaws_count AssumeRole)" 1 "AssumeRole was called once"
is "$(fakeaws_count DescribeLogGroups)" 1 "and the command's request followed"

out=$(on_tty 111111)
like "$out" "MultiFactorAuthentication failed" "a wrong code: the server's refusal is shown"
like "$out" "status=2" "exit 2"
unlike "$out" "111111.*111111" "the code is not echoed back in the error"

run cw-tail --list-groups --profile mfa </dev/null
is "$rc:$err" "2:cw-tail: profile mfa: mfa_serial is set but there is no terminal to ask for the code" \
	"no terminal: a clear error"
is "$(fakeaws_count AssumeRole)" 2 "and no AssumeRole call"
done_testing
