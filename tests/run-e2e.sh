#!/bin/sh
# run-e2e.sh BUILD: runs every tests/e2e/t*.sh against BUILD/fangzhi. Each
# script prints "ok - what" or "not ok - what" per assertion (lib.sh).
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
export FZ="$root/$build/fangzhi" FZ_BUILD="$root/$build" FZ_ROOT="$root"
export SHARED="${SHARED:-$root/../shared}"
pass=0 fail=0
for t in "$root"/tests/e2e/t*.sh; do
	[ -f "$t" ] || continue
	out=$(bash "$t" 2>&1); rc=$?
	p=$(printf '%s\n' "$out" | grep -c '^ok ')
	f=$(printf '%s\n' "$out" | grep -c '^not ok ')
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
	if [ "$f" != 0 ]; then printf '%s\n' "$out" | grep -v '^ok ' | tail -40; fi
	echo "e2e $(basename "$t"): $p passed, $f failed"
	pass=$((pass + p)); fail=$((fail + f))
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
