#!/bin/bash
# t050-verify.sh: fixity. A sound archive verifies; bit rot, rows deleted behind
# fangzhi's back and cut-short files are each found and named; the fingerprint
# is one line two copies can compare; verifications go to the event log.
. "$(dirname "$0")/assert.sh"

T=$(mktemp -d /tmp/fz-t050-XXXXXX)
trap 'rm -rf "$T"' EXIT
A=$T/archive
YB=$SHARED/corpus/yearbook/taian-2018.jsonl
K48=$SHARED/corpus/kanripo/KR2k0048
K75=$SHARED/corpus/kanripo/KR2k0075
DB=archive.sqlite

"$FZ" import -a "$A" --quiet "$YB" "$K48" "$K75"
sed 's/信访形势趋稳向好/信访形势总体向好/' "$YB" > "$T/edited.jsonl"
"$FZ" import -a "$A" --quiet "$T/edited.jsonl"

out=$("$FZ" verify -a "$A" --quiet)
check_eq "a sound archive verifies (exit 0)" 0 $?
check "the summary says ok" "$(echo "$out" | grep -c '^ok: 91 entries, 92 versions')"
fp=$("$FZ" stats -a "$A" --json | jq -r .fingerprint)
check_eq "stats prints a 64-digit fingerprint" 64 "${#fp}"
check_eq "verify recomputes the same fingerprint" "fingerprint $fp" "$(echo "$out" | grep '^fingerprint')"
"$FZ" verify -a "$A" --quiet --fingerprint "$fp" >/dev/null
check_eq "--fingerprint with this archive's fingerprint passes" 0 $?
other=$(printf '%064d' 0)
out=$("$FZ" verify -a "$A" --quiet --fingerprint "$other")
check_eq "--fingerprint with another fingerprint fails (exit 1)" 1 $?
check "and says which fingerprint it found" "$(echo "$out" | grep -c "found: *$fp")"
"$FZ" verify -a "$A" --quiet --fingerprint xyz >/dev/null 2>&1
check_eq "--fingerprint that is not 64 hex digits is a usage error" 2 $?

# The fingerprint is of the collection, not of the file: a fresh import of
# the same records elsewhere has it too, and an edit changes it.
"$FZ" import -a "$T/b" --quiet "$T/edited.jsonl" "$K48" "$K75"
check_eq "another archive with the same current entries has the same fingerprint" "$fp" \
	"$("$FZ" stats -a "$T/b" --json | jq -r .fingerprint)"
"$FZ" import -a "$T/c" --quiet "$YB" "$K48" "$K75"
check "an archive with other content has another fingerprint" \
	"$([ "$("$FZ" stats -a "$T/c" --json | jq -r .fingerprint)" != "$fp" ] && echo 1 || echo 0)"

log=$("$FZ" log -a "$A" --json)
check_eq "the log holds both imports and the verifications" "import import verify verify verify" \
	"$(echo "$log" | jq -r '[.[].kind] | join(" ")')"
check_eq "an import event counts what it added" 91 "$(echo "$log" | jq '.[0].added')"
check_eq "the second import versioned one record" 1 "$(echo "$log" | jq '.[1].versioned')"
check_eq "an import event records the fingerprint after it" "$fp" "$(echo "$log" | jq -r '.[1].fingerprint')"
check "a verify event records its outcome" "$(echo "$log" | jq -r '.[2].detail' | grep -c '^ok: 91 entries')"
check "a failed fingerprint check is logged as failed" "$(echo "$log" | jq -r '.[4].detail' | grep -c '^FAILED')"
check "the text log has one line per event" "$("$FZ" log -a "$A" | grep -c '^[0-9]')" 5

# corrupt COMMAND...: a fresh copy of the archive in $T/x, changed by COMMAND
corrupt() { rm -rf "$T/x"; cp -r "$A" "$T/x"; "$@"; }
sql() { sqlite3 "$T/x/$DB" "$1"; }
verify_x() { "$FZ" verify -a "$T/x" --quiet "$@"; }

# One flipped byte inside a stored body, in the file itself.
flip_body() {
	off=$(grep -obaF '信访形势总体向好' "$T/x/$DB" | head -1 | cut -d: -f1)
	printf '\xa2' | dd of="$T/x/$DB" bs=1 seek=$((off + 2)) conv=notrunc 2>/dev/null
}
corrupt flip_body
out=$(verify_x); rc=$?
check_eq "a flipped byte in a body: exit 1" 1 $rc
check "names the entry and version" \
	"$(echo "$out" | grep -c '^FAILED content taian-nianjian-2018/xinfang-gongzuo version 2:')"
check "says what digest was expected and what was found" "$(echo "$out" | grep -c '^    expected: [0-9a-f]\{64\}')"
check "the index no longer matches the body" "$(echo "$out" | grep -c '^FAILED index')"
js=$(verify_x --json)
check_eq "--json: ok is false" false "$(echo "$js" | jq .ok)"
check_eq "--json: the problem names the entry" "taian-nianjian-2018/xinfang-gongzuo version 2" \
	"$(echo "$js" | jq -r '[.problems[] | select(.check == "content")][0].id')"

# One flipped byte in the stored source bytes of a record.
corrupt sql "UPDATE blob SET data = substr(data, 1, 40) || X'5A' || substr(data, 42)
	WHERE sha256 = (SELECT sha256 FROM version WHERE entry_id = 'KR2k0075/001-1a')"
out=$(verify_x)
check_eq "a flipped byte in stored source bytes: exit 1" 1 $?
check "names the entry whose source is damaged" "$(echo "$out" | grep -c '^FAILED source KR2k0075/001-1a version 1:')"

# Rows deleted behind fangzhi's back.
corrupt sql "DELETE FROM version WHERE entry_id = 'taian-nianjian-2018/xinfang-gongzuo' AND n = 1"
out=$(verify_x)
check_eq "a deleted old version: exit 1" 1 $?
check "names the entry and the missing version" \
	"$(echo "$out" | grep -c 'entry taian-nianjian-2018/xinfang-gongzuo lacks version 1')"
check "says the archive held one version more at its last write" \
	"$(echo "$out" | grep -c 'held 92 versions at its last write .* now holds 91')"

corrupt sql "DELETE FROM version WHERE id = (SELECT current FROM entry WHERE id = 'KR2k0048/010-1a')"
out=$(verify_x)
check "a deleted current version is named" \
	"$(echo "$out" | grep -c 'the current version of entry KR2k0048/010-1a is missing')"

corrupt sql "DELETE FROM entry WHERE id = 'KR2k0075/001-1a'"
out=$(verify_x)
check "a deleted entry row is named" "$(echo "$out" | grep -c 'entry KR2k0075/001-1a is missing')"
check "and the fingerprint no longer matches the last write" "$(echo "$out" | grep -c '^FAILED fingerprint')"
check "and the entry count is one short" "$(echo "$out" | grep -c 'held 91 entries at its last write .* now holds 90')"

corrupt sql "DELETE FROM blob WHERE sha256 = (SELECT sha256 FROM version WHERE entry_id = 'KR2k0048/000-1a')"
out=$(verify_x)
check "a deleted source is named by its entry" \
	"$(echo "$out" | grep -c '^FAILED source KR2k0048/000-1a version 1: the source bytes .* are missing')"

corrupt sql "DELETE FROM page WHERE rowid = (SELECT min(rowid) FROM page)"
out=$(verify_x)
check_eq "a deleted page row: exit 1" 1 $?
check "its entry's content digest no longer holds" "$(echo "$out" | grep -c '^FAILED content KR2k0048/')"

corrupt sql "DELETE FROM section WHERE rowid = 3"
out=$(verify_x)
check "a deleted section row is found against the body" "$(echo "$out" | grep -c '^FAILED section ')"

corrupt sql "DROP TRIGGER event_no_delete; DELETE FROM event WHERE id = 1"
out=$(verify_x)
check "a deleted event is found" "$(echo "$out" | grep -c 'events are missing from the log')"
check "and so is the missing guard" "$(echo "$out" | grep -c 'append-only are gone')"

corrupt sql "DELETE FROM book WHERE id = 'KR2k0075'"
out=$(verify_x)
check "a deleted book is named" "$(echo "$out" | grep -c 'the book of entry KR2k0075/.* is missing')"

# Files cut short or emptied.
corrupt truncate -s 4000000 "$T/x/$DB"
out=$(verify_x); rc=$?
check_eq "a truncated file: exit 1" 1 $rc
check "says the file is cut short and by how much" "$(echo "$out" | grep -c 'is cut short')"
corrupt truncate -s 0 "$T/x/$DB"
out=$(verify_x); rc=$?
check_eq "an emptied file: exit 1" 1 $rc
check "says it is empty (and is not taken for a new archive)" "$(echo "$out" | grep -c 'is empty')"
check_eq "the emptied file is left as it was" 0 "$(stat -c %s "$T/x/$DB")"

# Bit rot anywhere: verify reports or passes, never crashes.
flip_at() { printf '\x5a' | dd of="$T/x/$DB" bs=1 seek="$1" conv=notrunc 2>/dev/null; }
size=$(stat -c %s "$A/$DB")
crashed=0
for i in $(seq 1 40); do
	off=$(( (RANDOM * 32768 + RANDOM) % size ))
	corrupt flip_at $off
	verify_x >/dev/null 2>"$T/err"; rc=$?
	if [ $rc != 0 ] && [ $rc != 1 ]; then crashed=$((crashed + 1)); echo "# offset $off: exit $rc"; head -3 "$T/err"; fi
done
check_eq "40 random byte flips: verify exits 0 or 1 every time" 0 $crashed

# A copy on read-only media (no -wal or -shm, none can be made): verify still
# reads it, as another user who may not write there.
rm -rf "$T/ro"; mkdir "$T/ro"; cp -r "$A" "$T/ro/a"; cp "$FZ" "$T/ro/fz"
sqlite3 "$T/ro/a/$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null; rm -f "$T/ro/a/$DB-wal" "$T/ro/a/$DB-shm"
chmod 755 "$T" "$T/ro"; chmod -R a-w "$T/ro/a"
out=$(su nobody -s /bin/sh -c "'$T/ro/fz' verify -a '$T/ro/a' --quiet" 2>&1)
check_eq "a read-only copy verifies (exit 0)" 0 $?
check "and says what it could not do" "$(echo "$out" | grep -c 'search index was not checked')"
check_eq "with the same fingerprint" "fingerprint $fp" "$(echo "$out" | grep '^fingerprint')"
chmod -R u+w "$T/ro"

# Durability: an import killed at any moment leaves an archive that verifies.
awk 'BEGIN { for (i = 0; i < 12000; i++) printf "{\"id\": \"n/%d\", \"title\": \"新%d\", \"body\": \"【概况】第%d条。\\n%s\", \"book\": {\"id\": \"n\", \"title\": \"新志\"}, \"path\": [\"卷%d\"]}\n", i, i, i, "泰安市信访工作年内秩序明显好转重点工作指标位居全省前列", i % 7 }' > "$T/new.jsonl"
unsound=0
for delay in 0.05 0.2 0.4; do
	rm -rf "$T/k"; cp -r "$A" "$T/k"
	"$FZ" import -a "$T/k" --quiet "$T/new.jsonl" >/dev/null 2>&1 &
	pid=$!; sleep $delay; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
	"$FZ" verify -a "$T/k" --quiet >"$T/out" 2>&1 || { unsound=$((unsound + 1)); head -5 "$T/out"; }
done
check_eq "an import killed with -9 at three moments leaves an archive that verifies" 0 $unsound

out=$("$FZ" verify -a "$T/none" 2>&1)
check_eq "no such archive: exit 4" 4 $?
done_testing
