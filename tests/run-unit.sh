#!/bin/sh
# run-unit.sh BUILD: runs every unit test binary under BUILD/tests; prints
# cmocka's report for each and a closing "N passed, N failed" line.
build=${1:-build}
pass=0 fail=0
for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	out=$("$t" 2>&1); rc=$?
	printf '%s\n' "$out" | grep -E '^\[ *(RUN|  FAILED|  PASSED|  ERROR) *\]|FAIL|rror' | grep -v '^\[ RUN' | head -50
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	p=${p:-0}; f=${f:-0}
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; printf '%s\n' "$out" | tail -20; echo "$t: exited $rc"; fi
	echo "unit $(basename "$t"): $p passed, $f failed"
	pass=$((pass + p)); fail=$((fail + f))
done
echo "unit: $pass passed, $fail failed"
[ "$fail" = 0 ]
