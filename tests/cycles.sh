#!/bin/sh
# Fails when the modules of a library depend on each other in a circle,
# through #include "x.h" between their sources and headers, or through
# the symbols their objects define and use. A module is a file name
# without its extension: lib/sts.c and lib/sts.h are module sts.
# A private header X_int.h belongs to module X.
# With a DIR/TIERS table (tier: module...; lowest tier first), it also
# fails a module in no tier, one that includes the header of a higher
# tier, and one that includes a header from outside DIR (bin/'s).
# Usage: tests/cycles.sh [DIR]  (default lib; objects DIR/*.o, if built)
#
# One awk reads every source and one nm every object: a process per file
# or per edge made this check the slowest test of the suite.
dir=${1:-lib}
status=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

# One "from to" pair per line, self-edges dropped; tsort reports a loop.
check() {
	what=$1
	awk '$1 != $2' "$tmp/$what" | sort -u > "$tmp/$what.edges"
	if ! tsort "$tmp/$what.edges" > /dev/null 2> "$tmp/$what.err"; then
		echo "$dir: $what cycle among:" $(grep -v 'input contains a loop' \
			"$tmp/$what.err" | sed 's/^tsort: //' | sort -u)
		status=1
	fi
}

tiers=
[ -f "$dir/TIERS" ] && tiers="$dir/TIERS"
set --
for f in "$dir"/*.c "$dir"/*.h; do
	[ -f "$f" ] && set -- "$@" "$f"
done
: > "$tmp/include"
: > "$tmp/notier"
: > "$tmp/outside"
: > "$tmp/upward"
[ $# -eq 0 ] || awk -v dir="$dir" -v tiers="$tiers" -v out="$tmp" '
function mod(p,  b) {
	b = p; sub(/.*\//, "", b); sub(/\.[^.]*$/, "", b); sub(/_int$/, "", b)
	return b
}
BEGIN {
	while (tiers != "" && (getline line < tiers) > 0) {
		if (line !~ /^[a-z]/)
			continue
		n++
		sub(/^[^:]*:/, "", line)
		k = split(line, v, " ")
		for (i = 1; i <= k; i++)
			rank[v[i]] = n
	}
	for (i = 1; i < ARGC; i++) {
		f = ARGV[i]
		if (substr(f, 1, length(dir) + 1) == dir "/")
			f = substr(f, length(dir) + 2)
		have[f] = 1
		m = mod(f)
		if (tiers != "" && !(m in rank))
			print dir ": module " m " is in no tier: add it to " tiers > (out "/notier")
	}
}
FNR == 1 {
	m = mod(FILENAME)
}
/^[ \t]*#[ \t]*include[ \t]*"/ {
	h = $0
	sub(/^[ \t]*#[ \t]*include[ \t]*"/, "", h)
	if (!sub(/".*/, "", h))
		next
	if (tiers != "" && !(h in have))
		print FILENAME ": includes " h ", which is not in " dir > (out "/outside")
	if (h !~ /\.h$/ || !(h in have))
		next
	t = mod(h)
	print m, t > (out "/include")
	if (tiers != "" && (m in rank) && (t in rank) && rank[t] > rank[m])
		print dir ": " m " includes " t ", a higher tier (" tiers ")" > (out "/upward")
}' "$@"
check include

{ sort -u "$tmp/notier"; cat "$tmp/outside"; sort -u "$tmp/upward"; } > "$tmp/tiers"
if [ -s "$tmp/tiers" ]; then
	cat "$tmp/tiers"
	status=1
fi

# nm -A names the object on every line: "DIR/x.o:ADDR T sym" when
# defined, "DIR/x.o: U sym" when used.
: > "$tmp/link"
set -- "$dir"/*.o
if [ -f "$1" ]; then
	modof='{ f = $1; sub(/:.*/, "", f); sub(/.*\//, "", f); sub(/\.o$/, "", f) }'
	nm -A --defined-only -g "$@" | awk "$modof"' NF == 3 { print $3, f }' |
		sort -k1,1 > "$tmp/defs"
	nm -A -u "$@" | awk "$modof"' { print $NF, f }' | sort -k1,1 > "$tmp/uses"
	join "$tmp/uses" "$tmp/defs" | awk '{ print $2, $3 }' > "$tmp/link"
fi
check link
exit $status
