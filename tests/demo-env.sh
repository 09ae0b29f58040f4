# Sourced by tests/demo.sh and tests/demo-shell.sh: starts the bundled
# endpoint with the demo data on a free loopback port and sets the
# environment that points cwkit at it. Sets top, tmp, pid and port; the
# caller's EXIT trap runs demo_stop.
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$PATH
export PATH
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cwkit-demo.XXXXXX")
pid=
demo_stop() { [ -z "$pid" ] || kill "$pid" 2>/dev/null; rm -rf "$tmp"; }

# The emulator accepts AWS's documented example keys, nothing else.
for v in $(env | sed -n 's/^\(AWS_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=$tmp/config AWS_SHARED_CREDENTIALS_FILE=$tmp/credentials

mkfifo "$tmp/port"
python3 "$top/tests/fakeaws/server.py" --port 0 --demo --seed 42 \
	>"$tmp/port" 2>"$tmp/server.log" &
pid=$!
read -r port <"$tmp/port"
export AWS_ENDPOINT_URL=http://127.0.0.1:$port
