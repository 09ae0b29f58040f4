#!/bin/sh
# deps.sh build|test: installs the Debian packages that building (and the
# demo) or testing needs, only when something is missing, so a machine
# that has everything makes no apt call.
#   build  the compiler, pkg-config, the -dev libraries, python3
#   test   what the tests add: prove, valgrind, clang, mandoc, jq, mawk,
#          zsh (to check its completion), node and npm, and the AWS SDK
#          in tests/sdk for the fidelity tests
set -e
what=${1:-build}
case $what in
build)
	debs="build-essential pkg-config libcurl4-openssl-dev libssl-dev
	libcjson-dev libpcre2-dev libreadline-dev libexpat1-dev python3"
	why="to build cwkit and run the demo" ;;
test)
	debs="perl valgrind clang mandoc jq mawk zsh"
	why="to run the tests"
	# A node from elsewhere (NodeSource) ships its own npm and conflicts
	# with Debian's: ask for Debian's only where there is none.
	command -v node >/dev/null 2>&1 || debs="$debs nodejs"
	command -v npm >/dev/null 2>&1 || debs="$debs npm" ;;
*)
	echo "deps.sh: $what: unknown set (build or test)" >&2
	exit 2 ;;
esac

missing=
if command -v dpkg-query >/dev/null 2>&1; then
	# One query for all: a package not installed is absent or not "ii".
	# shellcheck disable=SC2086
	have=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' $debs 2>/dev/null |
		sed -n 's/^ii *//p')
	for d in $debs; do
		case " $(echo $have) " in *" $d "*) ;; *) missing="$missing $d" ;; esac
	done
fi

if [ -n "$missing" ]; then
	sudo=
	if [ "$(id -u)" != 0 ]; then
		if command -v sudo >/dev/null 2>&1; then sudo=sudo; else
			echo "deps.sh: not root and no sudo: as root, run: apt-get install --no-install-recommends$missing" >&2
			exit 2
		fi
	fi
	echo "deps.sh: installing$missing ($why)" >&2
	$sudo apt-get update -qq
	# shellcheck disable=SC2086
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $missing >/dev/null
fi

if [ "$what" = test ] && [ -f tests/sdk/package-lock.json ] &&
   [ ! -d tests/sdk/node_modules/@aws-sdk/client-sts ]; then
	echo "deps.sh: installing the AWS SDK for JavaScript into tests/sdk/node_modules (for the wire-fidelity tests)" >&2
	(cd tests/sdk && npm ci --no-audit --no-fund --loglevel=error)
fi
exit 0
