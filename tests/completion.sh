#!/bin/bash
# completion.sh: the bash completion of policy-query and policy-index completes commands,
# options, values and the index's city names.
# Usage: completion.sh COMPLETIONS_DIR BIN_DIRS CORPUS (BIN_DIRS: a PATH of the built programs)
set -eu
dir=$1 bins=$2 corpus=$3
PATH="$bins:$PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/index
policy-index --corpus "$corpus" --db "$db" --quiet
# shellcheck disable=SC1091
. "$dir/policy-query"
. "$dir/policy-index"
compopt() { :; } # only bash's completion machinery may call the real one
failed=0

complete_words() { # complete_words FUNCTION WORD... : COMPREPLY for the last word, one a line
	local fn=$1
	shift
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	"$fn"
	printf '%s\n' "${COMPREPLY[@]}"
}

expect() { # expect WANT FUNCTION WORD...: WANT is among the completions
	local want=$1 got
	shift
	got=$(complete_words "$@")
	if ! grep -qxF -- "$want" <<<"$got"; then
		echo "FAIL: '$*' does not offer '$want'; it offers: $(tr '\n' ' ' <<<"$got")" >&2
		failed=1
	fi
}

expect freq _policy_query policy-query fr
expect plans _policy_query policy-query pl
expect --limit _policy_query policy-query --li
expect --wide _policy_query policy-query freq --wi
expect --wide _policy_query policy-query --db "$db" freq --w
expect --verify _policy_query policy-query cite --ver
expect section _policy_query policy-query --scope se
expect document _policy_query policy-query --sort d
expect never _policy_query policy-query --color n
expect csv _policy_query policy-query --format c
expect markdown _policy_query policy-query cite --format m
expect 通化市 _policy_query policy-query --db "$db" --city 通
expect tonghua _policy_query policy-query --db "$db" kwic --city to
expect 吉林省 _policy_query policy-query --db "$db" --province 吉
expect dalian/ _policy_query policy-query --db "$db" cite da
expect --remove _policy_index policy-index --rem
expect 丹东市 _policy_index policy-index --db "$db" --remove 丹
exit $failed
