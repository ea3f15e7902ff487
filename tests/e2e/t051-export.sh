#!/bin/bash
# t051-export.sh: the JSON Lines export. Imported into an empty archive it gives
# the same fingerprint, entries, versions and tree; it carries what the format
# lacks (page positions, fields kept as they came) and the provenance.
. "$(dirname "$0")/assert.sh"

T=$(mktemp -d /tmp/fz-t051-XXXXXX)
trap 'rm -rf "$T"' EXIT
A=$T/archive
YB=$SHARED/corpus/yearbook/taian-2018.jsonl
K48=$SHARED/corpus/kanripo/KR2k0048
K75=$SHARED/corpus/kanripo/KR2k0075
tree() { sqlite3 "$1/archive.sqlite" "SELECT e.id, e.book_id, e.ord, e.seq, v.n, v.content_sha256,
	(SELECT group_concat(title, '/') FROM chapter WHERE id = e.chapter)
	FROM entry e JOIN version v ON v.entry_id = e.id ORDER BY v.id" | sha256sum; }

# A record with fields the format does not name, at the top, in book and in
# source; and one in a chapter path with an order.
cat > "$T/extra.jsonl" <<'EOF'
{"id": "t/a", "title": "甲", "body": "【概况】一\n二", "book": {"id": "t", "title": "测试志", "kind": "志", "volume": 3}, "path": ["政治", "政法"], "order": 2, "year": 1990, "source": {"url": "http://example.org/a", "id": "a1", "captured_at": "2017-05-01T08:00:00Z", "agency": "档案馆"}, "pages_printed": "12-15", "tags": ["x", {"y": 1.5}]}
{"id": "t/b", "title": "乙", "body": "", "author": "某", "book": {"id": "t", "title": "测试志"}, "path": ["政治"]}
EOF
"$FZ" import -a "$A" --quiet "$YB" "$K48" "$K75" "$T/extra.jsonl"
sed 's/信访形势趋稳向好/信访形势总体向好/' "$YB" > "$T/edited.jsonl"
"$FZ" import -a "$A" --quiet "$T/edited.jsonl"
fp=$("$FZ" stats -a "$A" --json | jq -r .fingerprint)

"$FZ" export -a "$A" --format jsonl --quiet "$T/out.jsonl"
check_eq "export exits 0" 0 $?
check_eq "one line per version" 94 "$(wc -l < "$T/out.jsonl")"
check_eq "every line is a JSON object" 94 "$(jq -c 'select(type == "object")' "$T/out.jsonl" | wc -l)"
check_eq "no .part file is left" "" "$(ls "$T" | grep part)"

"$FZ" import -a "$T/r" --quiet "$T/out.jsonl"
check_eq "the export imports into an empty archive" 0 $?
check_eq "round trip: the same fingerprint" "$fp" "$("$FZ" stats -a "$T/r" --json | jq -r .fingerprint)"
check_eq "round trip: the same counts" "$("$FZ" stats -a "$A" --json | jq -c 'del(.fingerprint)')" \
	"$("$FZ" stats -a "$T/r" --json | jq -c 'del(.fingerprint)')"
check_eq "round trip: the same entries, versions, order and chapters" "$(tree "$A")" "$(tree "$T/r")"
check_eq "round trip: the old version stays readable" \
	"$("$FZ" show -a "$A" --json --version 1 taian-nianjian-2018/xinfang-gongzuo | jq -r .body)" \
	"$("$FZ" show -a "$T/r" --json --version 1 taian-nianjian-2018/xinfang-gongzuo | jq -r .body)"
check_eq "round trip: page positions" \
	"$("$FZ" show -a "$A" --json KR2k0048/010-1a | jq -c .pages)" \
	"$("$FZ" show -a "$T/r" --json KR2k0048/010-1a | jq -c .pages)"
"$FZ" verify -a "$T/r" --quiet --fingerprint "$fp" >/dev/null
check_eq "the copy verifies against the original's fingerprint" 0 $?
"$FZ" export -a "$T/r" --format jsonl --quiet "$T/again.jsonl"
check_eq "exporting the copy gives the same records (provenance aside)" \
	"$(jq -c 'del(.source)' "$T/out.jsonl" | sha256sum)" "$(jq -c 'del(.source)' "$T/again.jsonl" | sha256sum)"

# A second implementation (README, "Fixity"): the fingerprint and every
# content digest recomputed from the export alone.
got=$(python3 "$(dirname "$0")/../../tools/fingerprint.py" "$T/out.jsonl" 2>"$T/err"); rc=$?
check_eq "tools/fingerprint.py recomputes every content digest from the export" 0 $rc
check_eq "and the fingerprint" "$fp" "$got"

a=$(grep '"id":"t/a"' "$T/out.jsonl")
check_eq "unknown top-level fields come back at the top" '"12-15"' "$(echo "$a" | jq -c .pages_printed)"
check_eq "unknown structured fields come back as they were" '["x",{"y":1.5}]' "$(echo "$a" | jq -c .tags)"
check_eq "unknown book fields come back in book" 3 "$(echo "$a" | jq .book.volume)"
check_eq "unknown source fields come back in source" "档案馆" "$(echo "$a" | jq -r .source.agency)"
check_eq "path and order" '["政治","政法"] 2' "$(echo "$a" | jq -c .path) $(echo "$a" | jq .order)"
check_eq "the original provenance" "http://example.org/a a1 2017-05-01T08:00:00Z" \
	"$(echo "$a" | jq -r '[.source.url, .source.id, .source.captured_at] | join(" ")')"
check_eq "this archive's provenance: file, line, digest of the bytes" "$T/extra.jsonl 1 64" \
	"$(echo "$a" | jq -r '[.source.file, .source.line, (.source.imported_sha256 | length)] | join(" ")')"
k=$(grep '"id":"KR2k0048/010-1a"' "$T/out.jsonl")
check "Kanseki entries carry their page positions" "$(echo "$k" | jq '.pages | length')"
check_eq "a page position is a byte offset into the body" "$(echo "$k" | jq -r '.pages[1].page')" \
	"$("$FZ" show -a "$A" --json KR2k0048/010-1a | jq -r '.pages[1].page')"
check_eq "the superseded version is exported first, marked" "1 true" \
	"$(grep '"id":"taian-nianjian-2018/xinfang-gongzuo"' "$T/out.jsonl" | head -1 | jq -r '"\(.source.version) \(.source.superseded_at != null)"')"

"$FZ" export -a "$A" --format jsonl --current --quiet - > "$T/cur.jsonl"
check_eq "--current to standard output: one line per entry" 93 "$(wc -l < "$T/cur.jsonl")"
"$FZ" import -a "$T/c" --quiet "$T/cur.jsonl"
check_eq "--current also keeps the fingerprint" "$fp" "$("$FZ" stats -a "$T/c" --json | jq -r .fingerprint)"

log=$("$FZ" log -a "$A" --json)
check_eq "each export is in the event log" 2 "$(echo "$log" | jq '[.[] | select(.kind == "export")] | length')"
check_eq "with the fingerprint exported" "$fp" "$(echo "$log" | jq -r '[.[] | select(.kind == "export")][0].fingerprint')"
check "and what went where" "$(echo "$log" | jq -r '[.[] | select(.kind == "export")][0].detail' | grep -c "jsonl to $T/out.jsonl: 94 versions of 93 entries")"

"$FZ" export -a "$A" --format jsonl --quiet "$T/no/such/dir/out.jsonl" 2>"$T/err"
check_eq "an export that cannot be written fails with exit 5" 5 $?
check "and says where" "$(grep -c "no/such/dir" "$T/err")"
"$FZ" export -a "$A" --format pdf --quiet "$T/x" 2>/dev/null
check_eq "an unknown format is a usage error" 2 $?

# The pages extension as the importer reads it.
body='{"id": "p/x", "title": "t", "body": "甲乙丙", "book": {"id": "p", "title": "P"}'
printf '%s, "pages": [{"offset": 0, "page": "001-1a"}, {"offset": 3, "page": "001-1b"}]}\n' "$body" > "$T/p.jsonl"
"$FZ" import -a "$T/p" --quiet "$T/p.jsonl"
check_eq "pages: read back as positions" '[{"page":"001-1a","offset":0},{"page":"001-1b","offset":3}]' \
	"$("$FZ" show -a "$T/p" --json p/x | jq -c .pages)"
for bad in '"pages": "12"' '"pages": [{"offset": 1, "page": "a"}]' '"pages": [{"offset": 3, "page": "a"}, {"offset": 0, "page": "b"}]' \
	'"pages": [{"offset": 99, "page": "a"}]' '"pages": [{"offset": 0}]'; do
	printf '%s, %s}\n' "$body" "$bad" > "$T/bad.jsonl"
	"$FZ" import -a "$T/p" --quiet "$T/bad.jsonl" 2>"$T/err"
	check_eq "pages refused: $bad" 3 $?
done
check "the message names the field" "$(grep -c 'pages\[0\]' "$T/err")"
done_testing
