#!/bin/sh
# The man pages pass mandoc's lint, and make lint-man also catches a word
# meant as text that mdoc reads as a macro ("No" in ".Dl No changes."),
# which mandoc renders without a warning.
. "$(dirname "$0")/lib.sh"
command -v mandoc >/dev/null || skip_all "mandoc is not installed"

for f in "$top"/man/*.[1-8]; do
	is "$(mandoc -Tlint -W warning "$f" 2>&1)" "" "$(basename "$f"): mandoc -Tlint clean"
done
run "$top/tests/man-words.sh" "$top"/man/*.[1-8]
is "$rc:$out" "0:" "no word of a page is read as a macro"

# the mistakes the check is for, as they were in cw-alarm-apply(1) and
# cw-filter(1)
cat >"$T/bad.1" <<'MAN'
.Dd December 7, 2026
.Dt BAD 1
.Os cwkit
.Sh NAME
.Nm bad
.Nd a page with words read as macros
.Sh DESCRIPTION
A plan with no call prints
.Dl No changes.
A missing file:
.Dl bad: app.log: No such file or directory
.Pp
Right as text:
.Dl \&No changes.
.Dl bad: app.log: \&No such file or directory
and as a macro:
.Pq Li stat No is Li band .
MAN
run "$top/tests/man-words.sh" "$T/bad.1"
is "$rc" 1 "words read as macros: exit 1"
is "$out" "$T/bad.1:9: No read as a macro: write \\&No
$T/bad.1:11: No read as a macro: write \\&No" "both kinds named with their lines, the right ones not"
like "$(mandoc -Tascii "$T/bad.1" | sed "s/.$(printf "\b")//g")" 'app\.log: such file or directory' "(mandoc indeed drops the word)"

done_testing
