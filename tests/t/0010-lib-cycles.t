#!/bin/sh
# lib/ has no include or link cycles between its modules, and the check
# finds one when there is.
. "$(dirname "$0")/lib.sh"

run sh "$top/tests/cycles.sh" "$top/lib"
is "$rc:$out" "0:" "lib/: no include or link cycle"
ls "$top"/lib/*.o >/dev/null 2>&1 || fail "lib/ objects are built for the link check"

# An include cycle: a.h includes b.h, and b.c includes a.h.
mkdir "$T/inc"
printf '#include "b.h"\n' >"$T/inc/a.h"
printf '#include "a.h"\nint b(void);\n' >"$T/inc/b.c"
: >"$T/inc/b.h"
run sh "$top/tests/cycles.sh" "$T/inc"
is "$rc" 1 "an include cycle fails the check"
like "$out" "include cycle among: a b" "and names its modules"

# A private header belongs to its module: x.c including x_int.h, which
# includes x.h, is no cycle.
mkdir "$T/int"
printf '#include "x.h"\n' >"$T/int/x_int.h"
printf '#include "x_int.h"\n' >"$T/int/x.c"
: >"$T/int/x.h"
run sh "$top/tests/cycles.sh" "$T/int"
is "$rc:$out" "0:" "x_int.h is part of module x"

# A link cycle without includes: p.o calls q(), q.o calls p().
mkdir "$T/link"
printf 'int q(int);\nint p(int n) { return n ? q(n - 1) : 0; }\n' >"$T/link/p.c"
printf 'int p(int);\nint q(int n) { return n ? p(n - 1) : 1; }\n' >"$T/link/q.c"
(cd "$T/link" && ${CC:-cc} -c p.c q.c) || fail "fixture objects build"
run sh "$top/tests/cycles.sh" "$T/link"
is "$rc" 1 "a link cycle fails the check"
like "$out" "link cycle among: p q" "and names its modules"

done_testing
