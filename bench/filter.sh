#!/usr/bin/env bash
# bench/filter.sh: cw-filter side by side with grep, jq and mawk on the same
# warm corpus. Every figure is the best of N runs (what else runs on the
# machine only ever adds to a run); each case prints both match counts
# (they must agree), both best CPU times (user + system, of every process
# of the command: bench/cputime.c), throughput by wall time, the ratio to
# the reference tool (of CPU times), the goal and PASS or FAIL.
#
# usage: bench/filter.sh [-n RUNS] [-s SIZE] [-S SEED] [-r] [-m]
#   -n RUNS   runs per measurement, the best is kept (default 5)
#   -s SIZE   corpus size, K/M/G suffixes (default 1G)
#   -S SEED   corpus seed (default 1)
#   -r        reference tools only: no cw-filter needed, no goals
#   -m        also print the results as a Markdown table
# CW_FILTER=path measures another cw-filter binary.
#
# Exit status: 0 every goal met; 1 a goal missed; 2 a setup error (a tool
# missing, bin/cw-filter not built, cw-filter failing); 3 a count mismatch.
set -u
export LC_ALL=C

top=$(cd "$(dirname "$0")/.." && pwd)
data=$top/bench/data
cwf=${CW_FILTER:-$top/bin/cw-filter}
runs=5 size=1G seed=1 refonly=0 markdown=0

die() { echo "filter.sh: $*" >&2; exit 2; }
usage() {
	sed -n '/^# usage:/,/^# Exit/p' "$0" | sed 's/^# \{0,1\}//' | sed '$d'
}

while getopts n:s:S:rmh o; do
	case $o in
	n) runs=$OPTARG ;;
	s) size=$OPTARG ;;
	S) seed=$OPTARG ;;
	r) refonly=1 ;;
	m) markdown=1 ;;
	h) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# = 0 ] || { usage >&2; exit 2; }
case $runs in ''|*[!0-9]*|0) die "-n wants a positive number" ;; esac

# --- tools ------------------------------------------------------------

command -v jq >/dev/null || die "jq is missing (apt-get install jq)"
command -v mawk >/dev/null || die "mawk is missing (apt-get install mawk)"
echo x | grep -P 'x' >/dev/null 2>&1 ||
	die "grep -P does not work (GNU grep built with PCRE is needed)"
if [ $refonly = 0 ]; then
	[ -x "$cwf" ] || die "${cwf#"$top"/} is not built: run make (or use -r for the reference tools alone)"
fi

# Peak RSS in KiB of one run of a command: GNU time when present, else
# the children's ru_maxrss read by Python.
if [ -x /usr/bin/time ]; then
	rss_of() {
		local f rc
		f=$(mktemp)
		/usr/bin/time -f %M -o "$f" "$@" >/dev/null 2>&1
		rc=$?
		tail -n 1 "$f"
		rm -f "$f"
		return $rc
	}
else
	rss_of() {
		python3 -c 'import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(r.returncode)' "$@"
	}
fi

# CPU time of a command, without the shell's own fork: bench/cputime.c,
# built into bench/data/ on first use or when the source changes.
cputime=$data/cputime.bin
mkdir -p "$data"
if [ ! -x "$cputime" ] || [ "$top/bench/cputime.c" -nt "$cputime" ]; then
	${CC:-cc} -O2 -std=c17 -D_DEFAULT_SOURCE -Wall -Wextra \
		-o "$cputime.tmp" "$top/bench/cputime.c" || die "cannot build bench/cputime.c"
	mv "$cputime.tmp" "$cputime"
fi

# --- corpus -----------------------------------------------------------

mkdir -p "$data"
base=$data/logs-$size-s$seed
mixed=$base.log
if [ ! -s "$mixed" ]; then
	echo "generating $mixed" >&2
	"$top/bench/gen-logs" -s "$size" -S "$seed" -o "$mixed.tmp" ||
		die "gen-logs failed"
	mv "$mixed.tmp" "$mixed"
fi
# Subsets, for the tools that need one kind of line.
subset() {
	local out=$base.$1.log
	if [ ! -s "$out" ] || [ "$mixed" -nt "$out" ]; then
		grep -E "$2" "$mixed" >"$out.tmp" || die "no $1 lines in $mixed"
		mv "$out.tmp" "$out"
	fi
	echo "$out"
}
json=$(subset json '^\{')
nginx=$(subset nginx '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+ - ')
alb=$(subset alb '^(https|h2) ')
# Warm the page cache.
cat "$mixed" "$json" "$nginx" "$alb" >/dev/null

# --- measuring ----------------------------------------------------------

bytes_of() { stat -c %s "$1"; }

# the least of the numbers on stdin
best() {
	sort -g | head -n 1
}

# run CMD: runs the shell command, sets out (its stdout, trimmed), rc,
# secs (CPU time, user + system, of all its processes) and wall.
run() {
	out=$("$cputime" "$timef" "$1" 2>"$errf")
	rc=$?
	read -r secs wall <"$timef"
	out=${out//[[:space:]]/}
}

errf=$(mktemp)
timef=$(mktemp)
tmpd=$(mktemp -d)
trap 'rm -rf "$errf" "$timef" "$tmpd"' EXIT

status=0
# Every case: cw-filter's peak RSS at most 4 MiB.
rssmax=4096
rows=()
fmt='%-13s %9s %9s %7s %7s %8s %8s %7s %7s %-21s %s\n'
printf "$fmt" case cw-count ref-count cw-cpu ref-cpu cw-MB/s ref-MB/s ratio RSS-KB goal result
printf "$fmt" ---- -------- --------- ------ ------- ------- -------- ----- ------ ---- ------

# the argument quoted for sh
q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# bench NAME FILE PATTERN REFCMD GOAL [PIPE]
#   GOAL: "x0.8" (ratio to the reference, of CPU times), "mb2500"
#   (cw-filter MB/s, by wall time: a throughput), or
#   both separated by a comma; MB is 10^6 bytes. PIPE=1 feeds cw-filter
#   from cat through a pipe.
bench() {
	local name=$1 file=$2 pat=$3 ref=$4 goal=$5 pipe=${6:-0}
	local cwcmd rt=() ct=() rw=() cw=() rcount='' ccount='' i rmed cmed
	local rmb cmb ratio
	local rss=- verdict=PASS g note='' sz rs gs
	sz=$(bytes_of "$file")
	if [ "$pipe" = 1 ]; then
		cwcmd="cat $(q "$file") | $(q "$cwf") -c -- $(q "$pat")"
	else
		cwcmd="$(q "$cwf") -c -- $(q "$pat") $(q "$file")"
	fi
	for ((i = 0; i < runs; i++)); do
		# Alternate which tool goes first.
		if ((i % 2)) && [ $refonly = 0 ]; then
			run "$cwcmd"; ct+=("$secs"); cw+=("$wall"); [ -n "$ccount" ] || ccount=$out
			[ $rc -le 1 ] || { note="cw-filter exit $rc: $(head -c 200 "$errf")"; break; }
		fi
		run "$ref"; rt+=("$secs"); rw+=("$wall"); [ -n "$rcount" ] || rcount=$out
		if ! ((i % 2)) && [ $refonly = 0 ]; then
			run "$cwcmd"; ct+=("$secs"); cw+=("$wall"); [ -n "$ccount" ] || ccount=$out
			[ $rc -le 1 ] || { note="cw-filter exit $rc: $(head -c 200 "$errf")"; break; }
		fi
	done
	rmed=$(printf '%s\n' "${rt[@]}" | best)
	rmb=$(awk -v b="$sz" -v t="$(printf '%s\n' "${rw[@]}" | best)" 'BEGIN { printf "%.0f", (t > 0 ? b / t / 1e6 : 0) }')
	rs=$(printf '%.3f' "$rmed")
	if [ $refonly = 1 ]; then
		printf "$fmt" "$name" - "$rcount" - "$rs" - "$rmb" - - "$goal" pending
		rows+=("| $name | - | $rcount | - | $rs | - | $rmb | - | - | $goal | pending |")
		return
	fi
	if [ -n "$note" ]; then
		printf "$fmt" "$name" ERROR "$rcount" - "$rs" - "$rmb" - - "$goal" ERROR
		echo "  $note" >&2
		rows+=("| $name | error | $rcount | - | $rs | - | $rmb | - | - | $goal | ERROR |")
		[ $status = 3 ] || status=2
		return
	fi
	cmed=$(printf '%s\n' "${ct[@]}" | best)
	cmb=$(awk -v b="$sz" -v t="$(printf '%s\n' "${cw[@]}" | best)" 'BEGIN { printf "%.0f", (t > 0 ? b / t / 1e6 : 0) }')
	ratio=$(awk -v r="$rmed" -v c="$cmed" 'BEGIN { printf "%.2f", (c > 0 ? r / c : 0) }')
	cmed=$(printf '%.3f' "$cmed")
	if [ "$pipe" = 1 ]; then
		rss=$(cat "$file" | rss_of "$cwf" -c -- "$pat")
	else
		rss=$(rss_of "$cwf" -c -- "$pat" "$file")
	fi
	# FAIL names the goals missed: FAIL:x3,rss
	local missed=()
	IFS=, read -ra gs <<<"$goal"
	for g in "${gs[@]}"; do
		case $g in
		x*) awk -v r="$ratio" -v g="${g#x}" 'BEGIN { exit !(r >= g) }' || missed+=("$g") ;;
		mb*) awk -v m="$cmb" -v g="${g#mb}" 'BEGIN { exit !(m >= g) }' || missed+=("$g") ;;
		esac
	done
	[ "${rss:-99999999}" -le "$rssmax" ] 2>/dev/null || missed+=(rss)
	if [ ${#missed[@]} -gt 0 ]; then
		verdict=FAIL:$(IFS=,; echo "${missed[*]}")
	fi
	if [ "$ccount" != "$rcount" ]; then
		verdict=MISMATCH
		status=3
	elif [ "$verdict" != PASS ] && [ $status = 0 ]; then
		status=1
	fi
	printf "$fmt" "$name" "$ccount" "$rcount" "$cmed" "$rs" "$cmb" "$rmb" "$ratio" "$rss" "$goal,rss<=$rssmax" "$verdict"
	if [ "$verdict" = MISMATCH ]; then
		echo "!!! MISMATCH in $name: cw-filter counted '$ccount', the reference '$rcount'" >&2
		echo "!!!   pattern: $pat" >&2
		echo "!!!   file:    $file" >&2
	fi
	rows+=("| $name | $ccount | $rcount | $cmed | $rs | $cmb | $rmb | $ratio | $rss | $goal | $verdict |")
}


bench term-ERROR "$mixed" 'ERROR' \
	"grep -F -c ERROR $(q "$mixed")" x1.5
bench term-exclude "$mixed" '"Connection refused" -healthcheck' \
	"grep -F 'Connection refused' $(q "$mixed") | grep -vcF healthcheck" x0.8
bench or-terms "$mixed" '?ERROR ?WARN' \
	"grep -F -c -e ERROR -e WARN $(q "$mixed")" x1
bench pipe-ERROR "$mixed" 'ERROR' \
	"cat $(q "$mixed") | grep -F -c ERROR" mb2500 1
bench json-or "$json" '{ $.level = "error" || $.latencyMs > 1000 }' \
	"jq -c 'select(.level == \"error\" or .latencyMs > 1000)' $(q "$json") | wc -l" x40
bench json-and "$json" '{ $.level = "error" && $.latencyMs > 500 }' \
	"jq -c 'select(.level == \"error\" and .latencyMs > 500)' $(q "$json") | wc -l" x60
bench space-nginx "$nginx" '[ip, ident, user, timestamp, request, status = 5*, bytes, referer, agent]' \
	"mawk '\$9 ~ /^5/ { n++ } END { print n + 0 }' $(q "$nginx")" x5
bench space-alb "$alb" '[type, time, elb, client, target, request_time, target_time, response_time, elb_status = 5*, ...]' \
	"mawk '\$9 ~ /^5/ { n++ } END { print n + 0 }' $(q "$alb")" x5
bench regex "$mixed" '%timeout after [0-9]+ms%' \
	"grep -P -c 'timeout after [0-9]+ms' $(q "$mixed")" x2

# What a pipe from cat carries at most on this machine, for pipe-ERROR.
pt=()
for ((i = 0; i < runs; i++)); do
	run "cat $(q "$mixed") | cat >/dev/null"
	pt+=("$wall")
done
pmed=$(printf '%s\n' "${pt[@]}" | best)
echo
echo "pipe ceiling: cat FILE | cat >/dev/null: $(awk -v b="$(bytes_of "$mixed")" -v t="$pmed" 'BEGIN { printf "%.0f", b / t / 1e6 }') MB/s"
if [ $refonly = 0 ]; then
	echo "cw-filter RSS floor (cw-filter --version): $(rss_of "$cwf" --version) KB;" \
		"shared libraries: $(ldd "$cwf" 2>/dev/null | grep -c '=>')"
fi
echo "corpus: $mixed ($(bytes_of "$mixed") bytes); json $(bytes_of "$json"), nginx $(bytes_of "$nginx"), alb $(bytes_of "$alb") bytes"
echo "runs: $runs (best); machine: $(nproc) CPUs, $(uname -sr); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
if [ $markdown = 1 ]; then
	echo
	echo "| case | cw count | ref count | cw CPU s | ref CPU s | cw MB/s | ref MB/s | ratio | cw RSS KB | goal | result |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|"
	printf '%s\n' "${rows[@]}"
fi
case $status in
3) echo "filter.sh: MISMATCH: the match counts differ (see above)" >&2 ;;
2) echo "filter.sh: cw-filter failed (see above)" >&2 ;;
1) echo "filter.sh: some goals were missed" >&2 ;;
esac
exit $status
