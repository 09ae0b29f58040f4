# bash completion for cwkit's commands. Installed once per command name
# under bash-completion's completions directory, which loads it on demand.

_cwkit_common='--profile --region --endpoint-url --cli-read-timeout
	--cli-connect-timeout --debug --no-color --version --help'

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
			--limit --csv-raw -x --expanded --timing' ;;
	cw-alarm-status)
		echo '-r --state --prefix -o --output --watch --history --test
			--yes -e --env' ;;
	cw-metric)
		echo '-s --since -u --until --utc --period --stat --alarm -o
			--output -e --env' ;;
	cw-alarm-diff)
		echo '-e --env --all-environments -o --output --offline --prune
			--export --detailed-exitcode --test-filters --check-metrics
			--check-actions --check' ;;
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
		echo 'us-east-1 us-east-2 us-west-1 us-west-2 af-south-1
			ap-east-1 ap-south-1 ap-south-2 ap-northeast-1
			ap-northeast-2 ap-northeast-3 ap-southeast-1
			ap-southeast-2 ap-southeast-3 ap-southeast-4 ca-central-1
			ca-west-1 eu-central-1 eu-central-2 eu-west-1 eu-west-2
			eu-west-3 eu-north-1 eu-south-1 eu-south-2 il-central-1
			me-central-1 me-south-1 sa-east-1' ;;
	-s|-u|--since|--until)
		echo '5m 10m 30m 1h 6h 1d' ;;
	*) return 1 ;;
	esac
}

# The environments of the alarm sets under ./alarms (alarms/SET/env/ENV.json).
_cwkit_envs() {
	local f
	for f in alarms/*/env/*.json; do
		[ -f "$f" ] || continue
		f=${f##*/}
		echo "${f%.json}"
	done | sort -u
}

_cwkit() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local cmd=${COMP_WORDS[0]##*/} values
	if values=$(_cwkit_values "$cmd" "$prev"); then
		COMPREPLY=($(compgen -W "$values" -- "$cur"))
		return
	fi
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
	cw-alarm-diff|cw-alarm-apply)
		COMPREPLY=($(compgen -d -- "$cur")) ;;
	*)
		COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
}

complete -F _cwkit cw-tail cw-filter cw-query cw-alarm-status cw-metric cw-alarm-diff cw-alarm-apply
