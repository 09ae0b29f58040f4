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
dir=${1:-lib}
status=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

mod() { b=${1##*/}; b=${b%.*}; echo "${b%_int}"; }

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

: > "$tmp/include"
for f in "$dir"/*.c "$dir"/*.h; do
	[ -f "$f" ] || continue
	m=$(mod "$f")
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)\.h".*/\1/p' \
		"$f" | while read -r h; do
		[ -f "$dir/$h.h" ] && echo "$m $(mod "$h")"
	done >> "$tmp/include"
done
check include

# tier MODULE: its tier's rank in DIR/TIERS, empty when in none.
tier() {
	awk -v m="$1" -F: '/^[a-z]/ { n++; k = split($2, v, " ")
		for (i = 1; i <= k; i++) if (v[i] == m) print n }' "$dir/TIERS"
}

if [ -f "$dir/TIERS" ]; then
	for f in "$dir"/*.c "$dir"/*.h; do
		[ -f "$f" ] || continue
		[ -n "$(tier "$(mod "$f")")" ] && continue
		echo "$dir: module $(mod "$f") is in no tier: add it to $dir/TIERS"
	done | sort -u
	for f in "$dir"/*.c "$dir"/*.h; do
		[ -f "$f" ] || continue
		sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' \
			"$f" | while read -r h; do
			[ -f "$dir/$h" ] || echo "$f: includes $h, which is not in $dir"
		done
	done
	sort -u "$tmp/include" | while read -r from to; do
		a=$(tier "$from") b=$(tier "$to")
		[ -n "$a" ] && [ -n "$b" ] && [ "$b" -gt "$a" ] &&
			echo "$dir: $from includes $to, a higher tier ($dir/TIERS)"
	done
fi > "$tmp/tiers"
if [ -s "$tmp/tiers" ]; then
	cat "$tmp/tiers"
	status=1
fi

: > "$tmp/link"
objs=$(ls "$dir"/*.o 2>/dev/null)
if [ -n "$objs" ]; then
	for o in $objs; do
		nm --defined-only -g "$o" | awk -v m="$(mod "$o")" \
			'NF == 3 { print $3, m }'
	done | sort -k1,1 > "$tmp/defs"
	for o in $objs; do
		nm -u "$o" | awk -v m="$(mod "$o")" '{ print $NF, m }'
	done | sort -k1,1 > "$tmp/uses"
	join "$tmp/uses" "$tmp/defs" | awk '{ print $2, $3 }' > "$tmp/link"
fi
check link
exit $status
