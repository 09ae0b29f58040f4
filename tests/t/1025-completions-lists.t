#!/bin/sh
# Regions and environments come to completion from the commands
# themselves: --list-regions (every command) and cw-alarm-diff
# --list-environments [PATH...]; bash and zsh keep them a minute, and a
# listing that hangs is given up after a second.
. "$(dirname "$0")/lib.sh"
bashc=$top/completions/cwkit.bash
zshc=$top/completions/_cwkit
export XDG_CACHE_HOME="$T/cache"

bash_complete() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_cwkit; printf "%s\n" "${COMPREPLY[@]}"' sh "$bashc" "$@" | sort
}
zsh_names() { # KIND PREFIX ARG...
	zsh -c 'kind=$1 prefix=$2; shift 2; words=(x); CURRENT=1
		service=none; source "$0"; _cwkit_names $kind "$prefix" "$@"' \
		"$zshc" "$@" | sort
}
# fake CMD SCRIPT: CMD first in PATH, running SCRIPT.
fake() {
	mkdir -p "$T/fake"
	printf '#!/bin/sh\n%s\n' "$2" >"$T/fake/$1"
	chmod +x "$T/fake/$1"
}

# --list-regions: the table of lib/region.c, from every command
for c in cw-tail cw-filter cw-query cw-alarm-diff cw-alarm-apply \
		cw-alarm-status cw-metric; do
	run "$c" --list-regions
	is "$rc:$err" "0:" "$c --list-regions: exit 0, nothing on stderr"
	is "$(printf '%s\n' "$out" | grep -c .)" 38 "$c --list-regions: one a line"
done
like "$out" "^us-east-1$" "us-east-1 listed"
like "$out" "^mx-central-1$" "a region of late 2026 listed"
like "$out" "^us-gov-west-1$" "GovCloud listed"
run cw-tail --list-regions --region xx-nowhere-1 /g
is "$rc:$(printf '%s\n' "$out" | grep -c .)" "0:38" "before any other work, whatever else the line holds"
like "$(cw-tail --help)" "--list-regions +print the regions" "--help describes --list-regions"

# --list-environments
mkdir -p "$T/sets/a/env" "$T/sets/b/env" "$T/sets/notes" "$T/proj/alarms/x/env"
: >"$T/sets/a/env/production.json"
: >"$T/sets/a/env/staging.json"
: >"$T/sets/b/env/qa.json"
: >"$T/sets/b/env/production.json"
: >"$T/proj/alarms/x/env/dev.json"
run cw-alarm-diff --list-environments "$T/sets/a"
is "$rc:$out:$err" "0:production
staging:" "a set: its environments, one a line"
run cw-alarm-diff --list-environments "$T/sets"
is "$rc:$out" "0:production
qa
staging" "a folder of sets: theirs, each once, sorted"
is "$(cd "$T/proj" && cw-alarm-diff --list-environments)" "dev" "no PATH: the sets under ./alarms"
run cw-alarm-diff --list-environments "$T/sets/notes"
is "$rc:$out:$err" "0::" "no set: nothing, exit 0"
out=$(LC_ALL=C.UTF-8 python3 "$top/tests/t/termrun.py" --cols 80 cw-alarm-diff --list-environments "$T/sets/notes" 2>&1)
is "$out" "cw-alarm-diff: no environment file (env/NAME.json) in the sets given" "no set, on a terminal: said"
run cw-alarm-diff --list-environments "$T/missing"
is "$rc:$err" "2:cw-alarm-diff: $T/missing: No such file or directory" "a missing folder: an error"

# bash: regions and environments from the commands, away from the
# tree's own ./alarms
cd "$T" || exit 1
is "$(bash_complete cw-tail --region mx)" "mx-central-1" "bash: --region from cw-tail --list-regions"
is "$(bash_complete cw-alarm-status -r ap-southeast- | tr '\n' ' ')" \
	"ap-southeast-1 ap-southeast-2 ap-southeast-3 ap-southeast-4 ap-southeast-5 ap-southeast-6 ap-southeast-7 " \
	"bash: -r from cw-alarm-status --list-regions"
is "$(bash_complete cw-alarm-diff "$T/sets" -e '' | tr '\n' ' ')" "production qa staging " \
	"bash: -e, a folder of sets on the line"
is "$(bash_complete cw-alarm-apply "$T/sets/b" -e '' | tr '\n' ' ')" "production qa " \
	"bash: -e, a set on the line"
is "$(cd "$T/proj" && bash_complete cw-metric -e d)" "dev" "bash: -e, the sets under ./alarms"
is "$(bash_complete cw-alarm-status -e '')" "" "bash: -e, no set anywhere: nothing"

# kept a minute: a command that now says otherwise is not asked
fake cw-tail 'echo zz-fake-1'
fake cw-alarm-diff 'echo fake-env'
is "$(PATH=$T/fake:$PATH bash_complete cw-tail --region mx)" "mx-central-1" "bash: regions from the cache within a minute"
is "$(PATH=$T/fake:$PATH bash_complete cw-alarm-diff "$T/sets" -e '' | tr '\n' ' ')" \
	"production qa staging " "bash: environments from the cache within a minute"
is "$(PATH=$T/fake:$PATH bash_complete cw-alarm-diff "$T/sets/a" -e f)" "fake-env" \
	"bash: other sets, another listing"
touch -d '2 minutes ago' "$T"/cache/cwkit/regions-*
is "$(PATH=$T/fake:$PATH bash_complete cw-tail --region z)" "zz-fake-1" "bash: after a minute, asked again"

# zsh, through the completion file's own function
like "$(zsh_names regions '' cw-metric)" "mx-central-1" "zsh: regions from the command"
is "$(zsh_names envs '' "$T/sets" | tr '\n' ' ')" "production qa staging " "zsh: environments"
is "$(PATH=$T/fake:$PATH zsh_names envs '' "$T/sets" | tr '\n' ' ')" "production qa staging " \
	"zsh: from the cache within a minute"

# a listing that hangs is given up
fake cw-alarm-status 'exec sleep 5'
rm -rf "$T/cache"
t0=$(date +%s%N)
out=$(PATH=$T/fake:$PATH bash_complete cw-alarm-status -r '')
t1=$(date +%s%N)
is "$out" "" "bash: a hung listing: nothing offered"
check "bash: given up within 2 s ($(((t1 - t0) / 1000000)) ms)" test $(((t1 - t0) / 1000000)) -lt 2000
t0=$(date +%s%N)
out=$(PATH=$T/fake:$PATH zsh_names regions '' cw-alarm-status)
t1=$(date +%s%N)
is "$out" "" "zsh: a hung listing: nothing offered"
check "zsh: given up within 2 s ($(((t1 - t0) / 1000000)) ms)" test $(((t1 - t0) / 1000000)) -lt 2000
done_testing
