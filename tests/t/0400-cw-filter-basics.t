#!/bin/sh
# Lines in, matching lines out; grep's exit codes and -v -c -q.
. "$(dirname "$0")/lib.sh"

printf '%s\n' '[ERROR] A fatal exception has occurred' \
	'Exiting with ERRORCODE: -1' 'INFO all good' >"$T/log"

run cw-filter ERROR "$T/log"
is "$rc" 0 "a match: exit 0"
is "$out" "[ERROR] A fatal exception has occurred
Exiting with ERRORCODE: -1" "matching lines, in order"

run cw-filter WARN "$T/log"
is "$rc" 1 "no match: exit 1"
is "$out" "" "no match: nothing printed"

run cw-filter -v ERROR "$T/log"
is "$out" "INFO all good" "-v prints the lines that do not match"
is "$rc" 0 "-v with a line selected: exit 0"

run cw-filter -c ERROR "$T/log"
is "$out" 2 "-c counts matching lines"
run cw-filter -vc ERROR "$T/log"
is "$out" 1 "-vc counts the others"
run cw-filter -c WARN "$T/log"
is "$out:$rc" "0:1" "-c with no match prints 0, exit 1"

run cw-filter -q ERROR "$T/log"
is "$out:$rc" ":0" "-q prints nothing, exit 0"
run cw-filter -q WARN "$T/log"
is "$rc" 1 "-q without a match: exit 1"

run sh -c "cat '$T/log' | cw-filter '?INFO ?Exiting'"
is "$out" "Exiting with ERRORCODE: -1
INFO all good" "stdin when no file is given"

printf 'ERROR two\n' >"$T/log2"
run cw-filter -c ERROR "$T/log" "$T/log2"
is "$out" "$T/log:2
$T/log2:1" "-c names each file when there are several"
run cw-filter ERROR "$T/log" "$T/log2"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 3 "lines of every file"

run cw-filter ERROR "$T/nope" "$T/log2"
is "$rc" 2 "a missing file: exit 2"
like "$err" "^cw-filter: .*/nope: No such file or directory$" "a missing file: one line on stderr"
is "$out" "$T/log2:ERROR two" "the other files are still read"

run cw-filter -q ERROR "$T/log" "$T/nope"
is "$rc" 0 "-q stops at the first match, like grep"

: >"$T/empty"
run cw-filter ERROR "$T/empty"
is "$out:$rc" ":1" "empty input: exit 1"
run cw-filter '' "$T/empty"
is "$out:$rc" ":1" "empty input, match-all pattern: exit 1"
run cw-filter -c '' "$T/log"
is "$out" 3 "the empty pattern matches every line"
run cw-filter '" "' "$T/log"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 3 "\" \" matches every line"

printf 'one\n\nthree\n' >"$T/blank"
run cw-filter -c -- '-ERROR' "$T/blank"
is "$out" 2 "an empty line matches only match-all patterns"
run cw-filter -c '' "$T/blank"
is "$out" 3 "an empty line matches the empty pattern"

printf 'no newline ERROR' >"$T/nonl"
run cw-filter ERROR "$T/nonl"
is "$out" "no newline ERROR" "a last line without newline matches"
is "$(cw-filter ERROR "$T/nonl" | od -An -c | tr -d ' \n')" 'nonewlineERROR\n' \
	"and is printed with one"

run cw-filter -h
is "$rc" 0 "-h: exit 0"
like "$out" "^usage: cw-filter " "-h: usage on stdout"
run cw-filter --help
is "$rc" 0 "--help: exit 0"
run cw-filter --version
like "$out" "^cw-filter [0-9]" "--version"
run cw-filter
is "$rc" 2 "no pattern: exit 2"
like "$err" "usage: cw-filter" "no pattern: usage on stderr"
run cw-filter --bogus x
is "$rc" 2 "an unknown option: exit 2"
like "$err" "^cw-filter: option --bogus" "an unknown option is named"
run cw-filter --no-color --region eu-west-1 --profile p ERROR "$T/log"
is "$rc" 0 "common options are accepted"

run sh -c "yes 'ERROR line' | head -n 100000 | cw-filter ERROR | head -n 1"
is "$out" "ERROR line" "a closed pipe downstream is fine"

done_testing
