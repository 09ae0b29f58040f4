# bash completion for cwkit's commands. Installed once per command name
# under bash-completion's completions directory, which loads it on demand.

_cwkit_common='--profile --region --endpoint-url --cli-read-timeout
	--cli-connect-timeout --debug --no-color --version --list-regions
	--help'

# The options of each command, beside the common ones.
_cwkit_options() {
	case $1 in
	cw-tail)
		echo '--list-groups --filter -o --output -f --follow -s --since
			-u --until -n --stream --limit --utc --lookback
			--checkpoint --live --no-prefix --fields --highlight' ;;
	cw-filter)
		echo '-c --count -H --with-filename --no-filename -q --quiet
			-v --invert-match -o --output -g --group --events
			--explain --since --until --stream --limit --utc' ;;
	cw-query)
		echo '-g --group -f --file -o --output -s --since -u --until
			--limit --csv-raw -x --expanded --timing --null -m
			--multiline --continue-on-error' ;;
	cw-alarm-status)
		echo '-r --state --prefix -o --output --watch --history --test
			--yes -e --env' ;;
	cw-metric)
		echo '-s --since -u --until --utc --period --stat --alarm -o
			--output -e --env' ;;
	cw-alarm-diff)
		echo '-e --env --all-environments -o --output --offline --prune
			--export --detailed-exitcode --test-filters --check-metrics
			--check-actions --check --list-environments' ;;
	cw-alarm-apply)
		echo '-e --env --all-environments --prune --dry-run --yes --allow-mass-delete
			--rate' ;;
	esac
}

# The values an option takes, where they are cheap to know.
_cwkit_values() {
	case $2 in
	-o|--output)
		case $1 in
		cw-query) echo 'table tsv json csv' ;;
		cw-alarm-status) echo 'table json' ;;
		cw-metric) echo 'spark tsv json' ;;
		cw-alarm-diff) echo 'text json' ;;
		*) echo 'short long raw json' ;;
		esac ;;
	-e|--env)
		case $1 in
		cw-alarm-diff|cw-alarm-apply|cw-alarm-status|cw-metric)
			_cwkit_envs ;;
		*) return 1 ;;
		esac ;;
	--state)
		echo 'alarm ok insufficient any' ;;
	--stat)
		echo 'Average Sum Minimum Maximum SampleCount p50 p90 p95 p99' ;;
	--period)
		echo '60 300 900 3600' ;;
	--profile)
		sed -n 's/^\[\(profile \)\{0,1\}\([^]]*\)\]$/\2/p' \
			"${AWS_CONFIG_FILE:-$HOME/.aws/config}" \
			"${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials}" \
			2>/dev/null | sort -u ;;
	-r|--region)
		_cwkit_names regions '' "$1" ;;
	-s|-u|--since|--until)
		echo '5m 10m 30m 1h 6h 1d' ;;
	*) return 1 ;;
	esac
}

# The environments of the alarm sets under ./alarms and of the sets (or
# folders of sets) named on the command line, as cw-alarm-diff lists them.
_cwkit_envs() {
	local w
	local -a dirs
	[ -d alarms ] && dirs=(alarms)
	for w in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
		[[ $w != -* && -d $w ]] && dirs+=("$w")
	done
	if [ ${#dirs[@]} -gt 0 ]; then
		_cwkit_names envs '' "${dirs[@]}"
	fi
}

# The options of the command line that choose the account, region and
# endpoint, for the listings below.
_cwkit_account() {
	local i w
	for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--profile|--region|--endpoint-url)
			printf '%s\n' "$w" "${COMP_WORDS[i + 1]}" ;;
		esac
	done
}

# _cwkit_names KIND PREFIX [ARG...]: log group or alarm names, the
# environments of the sets ARG... or the regions (ARG: the command) from
# the commands themselves, kept a minute under $XDG_CACHE_HOME/cwkit for
# the same account, region, endpoint, prefix, arguments and folder. A
# listing that takes more than a second is given up: nothing is offered
# rather than a Tab that hangs.
_cwkit_names() {
	local kind=$1 prefix=$2 dir f key rc
	local -a acct args=("${@:3}")
	mapfile -t acct < <(_cwkit_account)
	dir=${XDG_CACHE_HOME:-$HOME/.cache}/cwkit
	key=$(printf '%s\n' "$kind" "$prefix" "${args[@]}" "$PWD" \
		"${acct[@]}" "${AWS_PROFILE-}" \
		"${AWS_REGION-}" "${AWS_DEFAULT_REGION-}" "${AWS_ENDPOINT_URL-}" \
		"${AWS_ENDPOINT_URL_CLOUDWATCH_LOGS-}" \
		"${AWS_ENDPOINT_URL_CLOUDWATCH-}" | cksum | tr ' ' -)
	f=$dir/$kind-$key
	if [ -n "$(find "$f" -mmin -1 2>/dev/null)" ]; then
		cat "$f"
		return
	fi
	command -v timeout >/dev/null 2>&1 || return
	(umask 077; mkdir -p "$dir") 2>/dev/null || return
	case $kind in
	groups)
		timeout 1 cw-tail --list-groups "${acct[@]}" \
			--cli-connect-timeout 1 --cli-read-timeout 1 \
			${prefix:+"$prefix"} </dev/null 2>/dev/null |
			cut -f1 >"$f.$$" ;;
	alarms)
		timeout 1 cw-alarm-status --state any -o json "${acct[@]}" \
			--cli-connect-timeout 1 --cli-read-timeout 1 \
			${prefix:+--prefix "$prefix"} </dev/null 2>/dev/null |
			sed -n 's/^{"region":"[^"]*","name":"\([^"\\]*\)".*/\1/p' \
			>"$f.$$" ;;
	envs)
		timeout 1 cw-alarm-diff --list-environments -- "${args[@]}" \
			</dev/null 2>/dev/null >"$f.$$" ;;
	regions)
		timeout 1 "${args[0]}" --list-regions </dev/null 2>/dev/null \
			>"$f.$$" ;;
	esac
	rc=${PIPESTATUS[0]}
	# cw-alarm-status says 1 when an alarm fires: a listing all the same
	if [ "$rc" -le 1 ]; then
		mv -f "$f.$$" "$f" && cat "$f"
	else
		rm -f "$f.$$"
	fi
}

# COMPREPLY from names, one a line (they may hold spaces).
_cwkit_reply() {
	local IFS=$'\n'
	COMPREPLY=($(compgen -W "$1" -- "$2"))
}

_cwkit() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local cmd=${COMP_WORDS[0]##*/} values
	if values=$(_cwkit_values "$cmd" "$prev"); then
		COMPREPLY=($(compgen -W "$values" -- "$cur"))
		return
	fi
	case $cmd:$prev in
	cw-filter:-g|cw-filter:--group|cw-query:-g|cw-query:--group)
		_cwkit_reply "$(_cwkit_names groups "$cur")" "$cur"
		return ;;
	cw-alarm-status:--history|cw-metric:--alarm)
		_cwkit_reply "$(_cwkit_names alarms "$cur")" "$cur"
		return ;;
	esac
	case $prev in
	--endpoint-url|--cli-*-timeout|--stream|--filter|--limit|-g|--group|\
	--prefix|--watch|--history|--alarm|--export|--rate|--fields|--highlight)
		COMPREPLY=()
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_cwkit_options "$cmd") $_cwkit_common" \
			-- "$cur"))
		return
	fi
	case $cmd in
	cw-tail)
		_cwkit_reply "$(_cwkit_names groups "$cur")" "$cur" ;;
	cw-alarm-status)
		_cwkit_reply "$(_cwkit_names alarms "$cur")" "$cur"
		COMPREPLY+=($(compgen -d -- "$cur")) ;;
	cw-alarm-diff|cw-alarm-apply)
		COMPREPLY=($(compgen -d -- "$cur")) ;;
	*)
		COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
}

complete -F _cwkit cw-tail cw-filter cw-query cw-alarm-status cw-metric cw-alarm-diff cw-alarm-apply
