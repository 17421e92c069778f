#!/bin/bash
# manpages.sh: each man page names every long option its program's --help lists.
# Usage: manpages.sh MAN_DIR POLICY_QUERY POLICY_INDEX POLICY_SERVE
set -eu
man=$1 query=$2 index=$3 serve=$4
failed=0
options() { grep -oE -- '^ +(-[a-zA-Z], )?--[a-z][a-z-]*' | grep -oE -- '--[a-z-]+' | sort -u; }
check() { # check PAGE HELP-TEXT
	local page=$1 help=$2 o
	for o in $(options <<<"$help"); do
		# roff writes a dash as \-
		grep -qF -- "${o//-/\\-}" "$man/$page" || { echo "FAIL: $page lacks $o" >&2; failed=1; }
	done
}
help=""
for c in search cite freq kwic plans; do help+=$("$query" "$c" --help)$'\n'; done
check policy-query.1 "$help"
check policy-index.1 "$("$index" --help)"
check policy-serve.1 "$("$serve" --help)"
exit $failed
