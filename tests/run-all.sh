#!/bin/sh
# run-all.sh BUILD...: unit and end-to-end tests for each build (plain, then
# sanitized), and one closing line that CI reads: "N passed, N failed".
tp=0 tf=0
for b in "$@"; do
	echo "== $b"
	for kind in unit e2e; do
		out=$(sh "$(dirname "$0")/run-$kind.sh" "$b" 2>&1)
		printf '%s\n' "$out"
		line=$(printf '%s\n' "$out" | tail -1)
		p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed/\1/p')
		f=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed/\2/p')
		[ -z "$p" ] && { p=0; f=1; }
		tp=$((tp + p)); tf=$((tf + f))
	done
done
echo "$tp passed, $tf failed"
[ "$tf" = 0 ]
