#!/bin/sh
# The bash and zsh completions offer every long option each command's
# --help shows, so the two cannot drift apart.
. "$(dirname "$0")/lib.sh"
bashc=$top/completions/cwkit.bash
zshc=$top/completions/_cwkit
# listings (regions) are kept under the test's own folder
export XDG_CACHE_HOME="$T/cache"

# bash_complete WORD...: what bash offers for the last word.
bash_complete() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_cwkit; printf "%s\n" "${COMPREPLY[@]}"' sh "$bashc" "$@"
}

# zsh_spec CMD: the lines of CMD's branch in _cwkit, with the arrays it uses.
zsh_spec() {
	sed -n "/^$1)/,/;;/p" "$zshc"
	sed -n '/^common=(/,/^)/p; /^events=(/,/^)/p' "$zshc"
}

for c in "$top"/bin/cw-*; do
	[ -x "$c" ] || continue
	n=${c##*/}
	longs=$("$c" --help 2>&1 | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
	[ -n "$longs" ] || { fail "$n --help shows long options"; continue; }
	offered=$(bash_complete "$n" --)
	missing=
	for o in $longs; do
		printf '%s\n' "$offered" | grep -qx -- "$o" || missing="$missing $o"
	done
	is "$missing" "" "bash offers every long option of $n --help"
	spec=$(zsh_spec "$n")
	missing=
	for o in $longs; do
		printf '%s\n' "$spec" | grep -q -- "$o\[\|$o'\|,$o}" ||
			missing="$missing $o"
	done
	is "$missing" "" "zsh offers every long option of $n --help"
	like "$(sed -n 1p "$zshc")" "#compdef .*$n( |$)" "zsh's #compdef names $n"
	like "$(grep '^complete ' "$bashc")" " $n( |$)" "bash completes $n"
done

run zsh -n "$zshc"
is "$rc:$err" "0:" "the zsh completion parses"
run zsh -c 'autoload -U compinit; compinit -u -d "$1/zcompdump"; fpath=("${2%/*}" $fpath)
	autoload -U +X _cwkit' zsh "$T" "$zshc"
is "$rc" 0 "zsh loads it as a completion function"

is "$(bash_complete cw-tail -o '' | tr '\n' ' ')" "short long raw json " \
	"bash offers -o's values"
is "$(bash_complete cw-filter --output j)" "json" "bash completes a value's prefix"
printf '[default]\n[profile prod]\n' >"$T/config"
is "$(AWS_CONFIG_FILE=$T/config bash_complete cw-tail --profile p)" "prod" \
	"bash offers the config's profiles"
like "$(bash_complete cw-tail --region eu-west)" "^eu-west-1" "bash offers regions"
is "$(bash_complete cw-tail --endpoint-url '')" "" "no guess for a URL"

done_testing
