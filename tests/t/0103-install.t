#!/bin/sh
# make install puts the commands, their man pages and the bash and zsh
# completions under PREFIX; make uninstall removes every file it put there.
# alone: runs make in the tree, which the other tests run commands from
. "$(dirname "$0")/lib.sh"
root=$T/root
mk() { env -u MAKEFLAGS -u MFLAGS make -s -C "$top" "$@" >"$T/make.out" 2>&1; }

check "make install succeeds" mk install DESTDIR="$root" PREFIX=/usr/local
for c in "$top"/bin/cw-*; do
	[ -x "$c" ] || continue
	n=${c##*/}
	run "$root/usr/local/bin/$n" --version
	like "$out" "^$n " "$n is installed and runs"
	check "$n's man page is installed" test -f "$root/usr/local/share/man/man1/$n.1"
	check "$n's bash completion is installed" \
		test -f "$root/usr/local/share/bash-completion/completions/$n"
done
check "the zsh completion is installed" \
	test -f "$root/usr/local/share/zsh/site-functions/_cwkit"
check "cwkit.7 is installed" test -f "$root/usr/local/share/man/man7/cwkit.7"

check "make uninstall succeeds" mk uninstall DESTDIR="$root" PREFIX=/usr/local
is "$(find "$root" -type f | sed "s|^$root||")" "" "make uninstall leaves no file behind"

done_testing
