#!/bin/sh
# bash completes log group and alarm names from the commands themselves
# (cw-tail, cw-filter -g, cw-query -g; cw-alarm-status, cw-metric
# --alarm), environments and regions; the names are kept a minute under
# $XDG_CACHE_HOME, and a listing that hangs is given up after a second.
. "$(dirname "$0")/lib.sh"
start_fakeaws
bashc=$top/completions/cwkit.bash
export XDG_CACHE_HOME=$T/cache

# bash_complete WORD...: what bash offers for the last word, one a line.
bash_complete() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_cwkit; printf "%s\n" "${COMPREPLY[@]}"' sh "$bashc" "$@" | sort
}
for g in /ecs/shop/api /ecs/shop/web /etc-like; do
	call CreateLogGroup "{\"logGroupName\":\"$g\"}"
done
alarm shop-cpu-high
alarm shop-mem-high
alarm other-disk

fakeaws_ctl DELETE stats >/dev/null
is "$(bash_complete cw-tail /ec | tr '\n' ' ')" "/ecs/shop/api /ecs/shop/web " \
	"cw-tail completes log group names, not files"
prefix=$(fakeaws_ctl GET stats | python3 -c '
import json, sys
r = [q for q in json.load(sys.stdin)["requests"] if q["op"] == "DescribeLogGroups"]
print(len(r), json.loads(r[0]["body"]).get("logGroupNamePrefix"))')
is "$prefix" "1 /ec" "one DescribeLogGroups with the word as the prefix"
is "$(bash_complete cw-tail /ec | tr '\n' ' ')" "/ecs/shop/api /ecs/shop/web " \
	"the same word again"
is "$(fakeaws_count DescribeLogGroups)" 1 "within a minute: from the cache, no request"
check "the cache is under \$XDG_CACHE_HOME/cwkit" test -d "$T/cache/cwkit"
is "$(bash_complete cw-filter -g /ecs/shop/w)" "/ecs/shop/web" "cw-filter -g completes a group"
is "$(bash_complete cw-query --group /ecs/shop/a)" "/ecs/shop/api" "cw-query --group completes a group"
is "$(bash_complete cw-tail --region us-east-1 /ecs/shop/a)" "/ecs/shop/api" \
	"with --region on the line"
is "$(bash_complete cw-alarm-status shop- | grep -v /)" "shop-cpu-high
shop-mem-high" "cw-alarm-status completes alarm names"
is "$(bash_complete cw-metric --alarm sh)" "shop-cpu-high
shop-mem-high" "cw-metric --alarm completes alarm names"
is "$(bash_complete cw-alarm-status --history oth)" "other-disk" "--history completes alarm names"
mkdir -p "$T/set/env"
: >"$T/set/env/production.json"
: >"$T/set/env/staging.json"
is "$(bash_complete cw-alarm-diff "$T/set" -e '' | tr '\n' ' ')" "production staging " \
	"-e completes the environments of the set on the line"
like "$(bash_complete cw-alarm-status -r eu-w)" "^eu-west-1" "-r completes regions"

# zsh: the same listings, through the completion file's own function.
zsh_names() { # KIND PREFIX WORD...
	zsh -c 'kind=$1 prefix=$2; shift 2; words=("$@"); CURRENT=$#
		service=none; source "$0"; _cwkit_names $kind "$prefix"' \
		"$top/completions/_cwkit" "$@" | sort
}
is "$(zsh_names groups /ecs/shop/ cw-tail /ecs/shop/ | tr '\n' ' ')" \
	"/ecs/shop/api /ecs/shop/web " "zsh: log group names"
is "$(zsh_names alarms shop- cw-alarm-status shop- | tr '\n' ' ')" \
	"shop-cpu-high shop-mem-high " "zsh: alarm names"
n=$(fakeaws_count DescribeLogGroups)
zsh_names groups /ecs/shop/ cw-tail /ecs/shop/ >/dev/null
is "$(fakeaws_count DescribeLogGroups)" "$n" "zsh: within a minute, from the cache"

# A listing that does not answer within a second is given up.
fakeaws_ctl POST faults '{"spec": "latency=5000ms,op=DescribeLogGroups"}' >/dev/null
t0=$(date +%s%N)
out=$(bash_complete cw-tail /ecs/s)
t1=$(date +%s%N)
is "$out" "" "a slow listing (groups that exist): nothing offered"
check "the slow listing was asked for" wait_count DescribeLogGroups 6 10
check "a slow listing: given up within 2 s ($(((t1 - t0) / 1000000)) ms)" \
	test $(((t1 - t0) / 1000000)) -lt 2000
done_testing
