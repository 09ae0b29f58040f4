#!/bin/sh
# --help is more than the synopsis: a line saying what each option does,
# for every command and the common options, as git's -h gives; --sinse
# and other near misses are answered with the option meant.
. "$(dirname "$0")/lib.sh"

for c in cw-tail cw-filter cw-query cw-alarm-diff cw-alarm-apply \
		cw-alarm-status cw-metric; do
	run "$c" --help
	is "$rc" 0 "$c --help: exit 0"
	desc=$(printf '%s\n' "$out" | sed -n '/^options:$/,$p')
	[ -n "$desc" ] || fail "$c --help: an options section"
	# every long option of the synopsis has a description line
	missing=
	for o in $(printf '%s\n' "$out" | sed '/^$/q' \
			| grep -o -- '--[a-z][a-z0-9-]*' | sort -u); do
		printf '%s\n' "$desc" | grep -Eq -- "^    (-[a-zA-Z], )?$o( |$)" \
			|| missing="$missing $o"
	done
	is "$missing" "" "$c --help: each option of the synopsis is described"
	like "$desc" '^    --no-color +no colour' "$c --help: the common options are described"
	# each option line has a text after it, on the line or the next
	bare=$(printf '%s\n' "$desc" | awk '/^    -/ { if (NF < 2 && p) n++; p = 1 } /^      / { p = 0 } END { print n + 0 }')
	is "$bare" 0 "$c --help: no option without a description"
done

run cw-tail --sinse 1h /g
is "$rc" 2 "--sinse: exit 2"
is "$(printf '%s\n' "$err" | head -1)" "cw-tail: option --sinse: unknown: did you mean --since?" "--sinse: the option meant, on the error line"
run cw-alarm-status --histroy x
is "$(printf '%s\n' "$err" | head -1)" "cw-alarm-status: option --histroy: unknown: did you mean --history?" "a swap of two letters in cw-alarm-status"
run cw-metric --colour
is "$(printf '%s\n' "$err" | head -1)" "cw-metric: option --colour: unknown" "nothing near: no suggestion"
run cw-query --regoin=eu-west-1 -g /g x
is "$(printf '%s\n' "$err" | head -1)" "cw-query: option --regoin: unknown: did you mean --region?" "a common option, given with ="

done_testing
