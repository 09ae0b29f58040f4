#!/bin/sh
# make install says when man-db or bash-completion is missing (a minimal
# Debian has neither), and says nothing when both are there.
# alone: runs make in the tree, which the other tests run commands from
. "$(dirname "$0")/lib.sh"
mk() { env -u MAKEFLAGS -u MFLAGS make -s -C "$top" install DESTDIR="$T/root" PREFIX=/usr/local "$@" >"$T/out" 2>"$T/err"; }

check "make install without man or bash-completion succeeds" \
	mk MANCMD=no-such-man-here BASHCOMP_MAIN="$T/none"
like "$(cat "$T/err")" "make install: the man pages need man-db to be read: apt-get install man-db" \
	"it names man-db"
like "$(cat "$T/err")" "make install: bash completion needs bash-completion: apt-get install bash-completion" \
	"it names bash-completion"
check "the man pages are installed all the same" test -f "$T/root/usr/local/share/man/man1/cw-tail.1"
: >"$T/bash_completion"
check "make install with both succeeds" mk MANCMD=sh BASHCOMP_MAIN="$T/bash_completion"
is "$(cat "$T/err")" "" "with both, no hint"
done_testing
