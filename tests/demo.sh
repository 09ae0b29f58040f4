#!/bin/sh
# make demo: the bundled local endpoint with sample data, and the main
# commands run against it. Nothing here reaches AWS.
set -eu
. "$(dirname "$0")/demo-env.sh"
trap demo_stop EXIT
trap 'exit 130' INT TERM

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
group=/ecs/lomash-wood-production/api-gateway

step cw-tail --list-groups
cw-tail --list-groups

step cw-tail --since 6h --limit 5 -o short $group
cw-tail --since 6h --limit 5 -o short --no-color "$group"

step "cw-tail --since 6h -o json $group | cw-filter --events -c '{ \$.level = \"error\" }'"
cw-tail --since 6h -o json "$group" | cw-filter --events -c '{ $.level = "error" }' || true

step "cw-tail --since 6h $group | cw-filter '{ \$.latencyMs > 1000 }' | head -n 3"
cw-tail --since 6h "$group" | cw-filter '{ $.latencyMs > 1000 }' | head -n 3 || true

step "cw-filter --explain '{ \$.status >= 500 || \$.error IS TRUE }'"
cw-filter --explain '{ $.status >= 500 || $.error IS TRUE }'

step "cw-tail --since 6h --filter '\"ERROR\"' --limit 3 /aws/ec2/prod-d2-ride-booking-backend-api"
cw-tail --since 6h --filter '"ERROR"' --limit 3 /aws/ec2/prod-d2-ride-booking-backend-api

step "cw-query -s 6h -g $group 'stats count(*) as events by level | sort events desc'"
cw-query -s 6h -g "$group" 'stats count(*) as events by level | sort events desc'

# The seed stack's alarms, as code: what is missing, then converged. The
# local endpoint has no quota, so the writes need not wait for AWS's.
stack=$top/alarms/lomash-wood
step "cw-alarm-diff -e production alarms/lomash-wood | tail -n 4"
cw-alarm-diff -e production "$stack" | tail -n 4 || true

step "cw-alarm-apply -e production --yes --rate 200 alarms/lomash-wood | tail -n 2"
cw-alarm-apply -e production --yes --rate 200 "$stack" | tail -n 2

step "cw-alarm-diff -e production alarms/lomash-wood"
cw-alarm-diff -e production "$stack"

step "cw-alarm-status --state any -r eu-west-1 --prefix lomash-wood-production-rds"
cw-alarm-status --state any -r eu-west-1 --prefix lomash-wood-production-rds || true

printf '\nThe endpoint was http://127.0.0.1:%s (tests/fakeaws); it is stopped now.\n' "$port"
cat <<EOT

To run your own commands against the bundled endpoint:
    make demo-shell    # a shell with it running and the environment set; exit stops it
or start it and paste these lines into a shell (any free port will do):
    port=4566
    python3 $top/tests/fakeaws/server.py --port \$port --demo >/dev/null &
    export PATH=$top/bin:\$PATH AWS_ENDPOINT_URL=http://127.0.0.1:\$port \\
        AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID \\
        AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY \\
        AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
(these are AWS's documented example keys, which the endpoint accepts; kill %1 stops it)
EOT
