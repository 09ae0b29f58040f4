#!/bin/sh
# Installs what the build and the tests need, only when something is missing.
set -e
pkgs="libcurl openssl libcjson libpcre2-8 readline expat"
debs="build-essential pkg-config libcurl4-openssl-dev libssl-dev libcjson-dev
libpcre2-dev libreadline-dev libexpat1-dev python3 perl mandoc jq mawk
valgrind clang"
# A node from elsewhere (NodeSource) ships its own npm and conflicts with
# Debian's: ask for Debian's only where there is none.
command -v node >/dev/null 2>&1 || debs="$debs nodejs"
command -v npm >/dev/null 2>&1 || debs="$debs npm"
missing=
pkg-config --exists $pkgs 2>/dev/null || missing=yes
for t in cc python3 prove node npm mandoc clang; do
	command -v $t >/dev/null 2>&1 || missing=yes
done
if [ -n "$missing" ]; then
	sudo=
	[ "$(id -u)" = 0 ] || sudo=sudo
	echo "deps: installing Debian packages" >&2
	$sudo apt-get update -q
	# shellcheck disable=SC2086
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $debs
fi
if [ -f tests/sdk/package-lock.json ] && [ ! -d tests/sdk/node_modules ]; then
	echo "deps: installing the AWS SDK for the fidelity tests" >&2
	(cd tests/sdk && npm ci --no-audit --no-fund --loglevel=error)
fi
exit 0
