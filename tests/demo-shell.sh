#!/bin/sh
# make demo-shell: an interactive shell with the bundled endpoint running
# (demo data) and the environment pointing cwkit at it; leaving the shell
# stops the endpoint.
set -eu
. "$(dirname "$0")/demo-env.sh"
trap demo_stop EXIT
trap 'exit 130' TERM HUP

cat >&2 <<EOT
cwkit demo shell: the bundled endpoint runs at $AWS_ENDPOINT_URL with the
demo data; the commands of $top/bin are first in PATH. Try:
    cw-tail --list-groups
    cw-tail -f '/ecs/lomash-wood-production/*'
    cw-alarm-status --state any -r eu-west-1
exit (or Ctrl-D) stops the endpoint.
EOT
# Ctrl-C is for the shell's own commands: caught here, not ignored, so
# the commands the shell starts get it.
trap : INT
set +e
CWKIT_DEMO=1 "${SHELL:-/bin/sh}" -i
