#!/bin/sh
# Demo data: seed-demo through the API within 5 s, and --demo at start.
# alone: times seed-demo, which other tests running beside it slow down
cd "$(dirname "$0")/../.." || exit 1
echo 1..5
tmp=$(mktemp -d) || exit 1
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

start_server() {
	python3 tests/fakeaws/server.py --port 0 "$@" > "$tmp/port" &
	pid=$!
	i=0
	while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	port=$(head -n 1 "$tmp/port")
}

groups() {
	python3 - "$1" <<'PY'
import sys
sys.path.insert(0, "tests/fakeaws")
from client import Client
c = Client(sys.argv[1])
j = c.logs("DescribeLogGroups", {}).json()
print(len(j["logGroups"]))
PY
}

start_server --seed 5
case $port in
	''|*[!0-9]*) echo "not ok 1 - server printed its port ($port)"; exit 1 ;;
esac
echo "ok 1 - server printed its port"

t0=$(date +%s)
if tests/fakeaws/seed-demo "http://127.0.0.1:$port" --seed 5 > "$tmp/out"; then
	t1=$(date +%s)
	if [ $((t1 - t0)) -le 5 ]; then
		echo "ok 2 - seed-demo loads in under 5 s ($((t1 - t0)) s)"
	else
		echo "not ok 2 - seed-demo took $((t1 - t0)) s"
	fi
else
	echo "not ok 2 - seed-demo failed"
fi

n=$(groups "http://127.0.0.1:$port")
if [ "$n" = 13 ]; then echo "ok 3 - 13 demo log groups"; else
	echo "not ok 3 - demo log groups: $n"; fi

kill "$pid"; wait "$pid"; rc=$?; pid=
if [ $rc -eq 0 ]; then echo "ok 4 - SIGTERM exits 0"; else
	echo "not ok 4 - exit code $rc"; fi

: > "$tmp/port"
start_server --demo --seed 5
n=$(groups "http://127.0.0.1:$port")
if [ "$n" = 13 ]; then echo "ok 5 - --demo loads the groups at start"; else
	echo "not ok 5 - --demo log groups: $n"; fi
