# assert.sh: assertions for end-to-end tests, each printing "ok - what" or
# "not ok - what" (tests/run-e2e.sh counts them).
set -u
FAILS=0
ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; FAILS=$((FAILS + 1)); }
# check_eq WHAT EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; printf '#   expected: %.300s\n#   got:      %.300s\n' "$2" "$3"; fi
}
# check WHAT VALUE [EXPECTED]: VALUE must equal EXPECTED, or be a number > 0
check() {
	if [ $# -ge 3 ]; then check_eq "$1" "$3" "$2"; return; fi
	case "$2" in ''|*[!0-9]*) not_ok "$1"; echo "#   got: $2";; 0) not_ok "$1";; *) ok "$1";; esac
}
done_testing() { exit $((FAILS > 0)); }
