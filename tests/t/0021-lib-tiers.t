#!/bin/sh
# lib/TIERS: a module includes only headers of its tier and those below,
# never one of the command layer, and every module is in a tier.
. "$(dirname "$0")/lib.sh"

run sh "$top/tests/cycles.sh" "$top/lib"
is "$rc:$out" "0:" "lib/: every module in a tier, none reaching up"
run sh -c "grep -l '#include \"\\(cli\\|cmd\\)\\.h\"' '$top'/lib/*"
is "$out" "" "lib/ includes no header of bin/"

mkdir "$T/t"
printf 'low: a\nhigh: b\n' >"$T/t/TIERS"
printf '#include "a.h"\n' >"$T/t/b.c"
: >"$T/t/a.h"
: >"$T/t/b.h"
run sh "$top/tests/cycles.sh" "$T/t"
is "$rc:$out" "0:" "a higher tier may include a lower one"

printf '#include "b.h"\n' >"$T/t/a.c"
rm "$T/t/b.c"
run sh "$top/tests/cycles.sh" "$T/t"
is "$rc" 1 "a lower tier including a higher one fails"
is "$out" "$T/t: a includes b, a higher tier ($T/t/TIERS)" "and says which"

rm "$T/t/a.c"
printf '#include "cli.h"\n' >"$T/t/b.c"
run sh "$top/tests/cycles.sh" "$T/t"
is "$rc" 1 "a header from outside the library fails"
is "$out" "$T/t/b.c: includes cli.h, which is not in $T/t" "and names it"

rm "$T/t/b.c"
: >"$T/t/new.c"
run sh "$top/tests/cycles.sh" "$T/t"
is "$rc" 1 "a module in no tier fails"
is "$out" "$T/t: module new is in no tier: add it to $T/t/TIERS" \
	"and names the table to edit"

done_testing
