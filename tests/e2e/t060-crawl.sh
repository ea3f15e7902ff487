#!/bin/bash
# t060-crawl.sh: a crawl of the old site (rendered from the shared corpus by
# tests/gen_crawl.c) imported as a WARC in three layouts and as wget's saved
# pages; old addresses resolved; broken WARCs survived; every byte kept,
# checked against an independent reader (warcio).
. "$(dirname "$0")/assert.sh"

T=$(mktemp -d /tmp/fz-t060-XXXXXX)
trap 'rm -rf "$T"' EXIT
# the generator is a one-shot tool that leaves its model to the exit
GEN() { ASAN_OPTIONS=detect_leaks=0 "$FZ_BUILD/tests/gen_crawl" "$@"; }
G=$T/gen
q() { sqlite3 -separator $'\t' "$1/archive.sqlite" "$2"; }
# what a reader sees of each entry: id, title, body, chapter path, book, order
view() {
	q "$1" "WITH RECURSIVE p(id, path) AS (SELECT id, title FROM chapter WHERE parent = 0
		UNION ALL SELECT c.id, p.path || ' / ' || c.title FROM chapter c JOIN p ON c.parent = p.id)
		SELECT e.id, v.title, v.body, coalesce(p.path, ''), b.title, coalesce(b.edition, ''),
		b.kind, coalesce(b.region_code, ''), e.ord FROM entry e JOIN version v ON v.id = e.current
		JOIN book b ON b.id = e.book_id LEFT JOIN p ON p.id = e.chapter ORDER BY e.id" | sha256sum
}

GEN -o "$G" 2>/dev/null
check_eq "the generator runs" 0 $?
GEN -o "$T/gen2" 2>/dev/null
check_eq "the generator is reproducible (WARC)" "$(sha256sum <"$G/crawl.warc.gz")" "$(sha256sum <"$T/gen2/crawl.warc.gz")"
check_eq "the generator is reproducible (saved pages)" \
	"$(cd "$G/saved" && find . -type f | sort | xargs sha256sum | sha256sum)" \
	"$(cd "$T/gen2/saved" && find . -type f | sort | xargs sha256sum | sha256sum)"
nexp=$(wc -l <"$G/expected.jsonl")

# --- the WARC, as written (gzip per record) ---
"$FZ" import -a "$T/w" "$G/crawl.warc.gz" 2>"$T/err"
check_eq "the crawl imports (exit 0)" 0 $?
check "the page with undecodable bytes is reported" "$(grep -c 'do not decode as GB18030' "$T/err")"
stats=$("$FZ" stats -a "$T/w" --json)
check_eq "one entry per captured record" "$nexp" "$(echo "$stats" | jq .entries)"
check_eq "four books" 4 "$(echo "$stats" | jq .books)"
check_eq "the record never captured is counted" 1 "$(echo "$stats" | jq .uncaptured)"
check "stats prints it" "$("$FZ" stats -a "$T/w" | grep -c '^uncaptured  1')"
check_eq "search results are captures, not entries" 1 "$(q "$T/w" "SELECT count(*) FROM capture WHERE kind = 'search' AND entry_id IS NULL")"

bad=0
while IFS= read -r line; do
	id=$(jq -r .id <<<"$line")
	want=$(jq -c '{title, body, path, b: [.book.title, .book.edition, .book.kind, .book.region_code]}' <<<"$line")
	got=$("$FZ" show -a "$T/w" --json "$id" | jq -c '{title, body, path, b: [.book.title, .book.edition, .book.kind, .book.region_code]}')
	[ "$want" = "$got" ] || { bad=$((bad + 1)); echo "# $id: $got"; }
done <"$G/expected.jsonl"
check_eq "every record: title from the table of contents, text from div.txt, its place in the tree, its book" 0 "$bad"

e=$("$FZ" show -a "$T/w" --json ch9-3/2)
check "GBK-only characters in a page declared gb2312" "$(jq -r .body <<<"$e" | grep -c '朱镕基.*王堃、陶喆、李赟、龚琍')"
check "characters GBK lacks, as character references" "$(jq -r .body <<<"$e" | grep -c '𠀀.*䶮')"
check_eq "entry provenance: its old id" "ch9/A3/rec2" "$(jq -r .source.id <<<"$e")"
check_eq "entry provenance: the capture time" "2023-05-01T08:01:48Z" "$(jq -r .source.captured_at <<<"$e")"
check_eq "entry provenance: the digest of the captured bytes" \
	"$(q "$T/w" "SELECT sha256 FROM capture WHERE entry_id = 'ch9-3/2'")" "$(jq -r .source.sha256 <<<"$e")"
check "undecodable bytes are marked, not dropped" "$("$FZ" show -a "$T/w" --json ch9-3/5 | jq -r .body | grep -c '概述。��$')"
e=$("$FZ" show -a "$T/w" --json ch9-3/3)
check_eq "a record captured twice with different text has two versions" 2 "$(jq .versions <<<"$e")"
check "the newer capture is shown" "$(jq -r .body <<<"$e" | grep -c 黄河文化节)"
check "the older stays readable" "$("$FZ" show -a "$T/w" --json --version 1 ch9-3/3 | jq -r .body | grep -vc 黄河文化节)"
check_eq "both captures lead to the entry" 2 "$(q "$T/w" "SELECT count(*) FROM capture WHERE entry_id = 'ch9-3/3'")"
check_eq "the chapter tree follows the node codes, not the indentation" "第一编 / 第一章" \
	"$(q "$T/w" "SELECT p.title || ' / ' || c.title FROM entry e JOIN chapter c ON c.id = e.chapter JOIN chapter p ON p.id = c.parent WHERE e.id = 'ch9-1/3'")"
check_eq "a 编 is a chapter, and its own text the first entry in it" "0 第一编" \
	"$(q "$T/w" "SELECT e.ord || ' ' || c.title FROM entry e JOIN chapter c ON c.id = e.chapter WHERE e.id = 'ch9-1/1'" | tr '\t' ' ')"

"$FZ" import -a "$T/w" "$G/crawl.warc.gz" 2>"$T/err"
check "re-import changes nothing" "$(grep -c "imported: 0 added, 0 new versions, $nexp unchanged" "$T/err")"
check_eq "re-import keeps no capture twice" "$(echo "$stats" | jq .captures)" "$("$FZ" stats -a "$T/w" --json | jq .captures)"

# --- the same crawl, plain, gzip whole, and as saved pages: the same archive ---
zcat "$G/crawl.warc.gz" >"$T/plain.warc"
gzip -c "$T/plain.warc" >"$T/whole.warc.gz"
ref=$(view "$T/w")
for f in plain.warc whole.warc.gz; do
	"$FZ" import -a "$T/$f.a" --quiet "$T/$f" 2>/dev/null
	check_eq "$f: the same books, tree and texts" "$ref" "$(view "$T/$f.a")"
done
"$FZ" import -a "$T/s" --quiet "$G/saved" 2>/dev/null
check_eq "saved pages: the same books, tree and texts" "$ref" "$(view "$T/s")"
check_eq "saved pages: the same items never captured" 1 "$("$FZ" stats -a "$T/s" --json | jq .uncaptured)"
"$FZ" import -a "$T/w" "$G/saved" 2>"$T/err"
check "the saved pages after the WARC change no text" "$(grep -c "imported: 0 added, 0 new versions" "$T/err")"

# --- old addresses in all their variants ---
cut -f1 "$G/addresses.tsv" | "$FZ" resolve -a "$T/w" - >"$T/res" 2>"$T/rerr"
check_eq "every listed old address resolves (exit 0)" 0 $?
want=$(cut -f2 "$G/addresses.tsv" | sed -e 's|^book:|/book/|' -e 's|^search:信访|/search?q=%E4%BF%A1%E8%AE%BF|')
check_eq "each to the right entry, book or search" "$want" "$(cut -f1 "$T/res")"
check_eq "resolve prints the address it was given" "$(cut -f1 "$G/addresses.tsv")" "$(cut -f2 "$T/res")"
u=$(cut -f1 "$G/uncaptured.tsv")
"$FZ" resolve -a "$T/w" "$u" >"$T/res" 2>"$T/rerr"
check_eq "a record never captured resolves to nothing (exit 1)" 1 $?
check "and says so" "$(grep -c '未抓取的条目.*未能抓取' "$T/rerr")"
check_eq "a chapter address resolves to the chapter" "/book/ch9-1?ch=$(q "$T/w" "SELECT id FROM chapter WHERE book_id = 'ch9-1' AND parent = 0 AND title = '第一编'")" \
	"$("$FZ" resolve -a "$T/w" 'http://lib.sdsqw.cn/bin/mse.exe?K=CH91&A=1&run=12' | cut -f1)"
check_eq "a library address resolves to its region" "/browse?region=371728" \
	"$("$FZ" resolve -a "$T/w" 'http://lib.sdsqw.cn/bin/mse.exe?K=CH9&run=12' | cut -f1)"
"$FZ" resolve -a "$T/w" 'http://example.org/bin/mse.exe?K=ch9&A=1&rec=1&run=13' >/dev/null 2>"$T/rerr"
check "another site's address is named as such" "$(grep -c 'example.org is not the old site' "$T/rerr")"
check_eq "--json" "ch9-1/2" "$("$FZ" resolve -a "$T/w" --json 'lib.sdsqw.cn/bin/mse.exe?K=ch911&a=1&rec=2' | jq -r .entry)"

# JSON Lines records with source.url answer their old address too
cat >"$T/j.jsonl" <<'EOF'
{"id": "j/x", "title": "t", "body": "b", "book": {"id": "j", "title": "J"}, "source": {"url": "http://lib.sdsqw.cn/bin/mse.exe?seachword=&K=CH95&A=7&rec=12&run=13"}}
EOF
"$FZ" import -a "$T/w" --quiet "$T/j.jsonl"
check_eq "a JSON Lines record's source.url resolves to it" "j/x" \
	"$("$FZ" resolve -a "$T/w" 'http://lib.sdsqw.cn/bin/mse.exe?run=13&rec=12&A=7&K=ch9' | cut -f1)"

# --- no byte of a capture lost: our reading against warcio's ---
WARCIO="$FZ_BUILD/npm/node_modules/warcio"
if [ ! -f "$WARCIO/package.json" ]; then
	npm install --prefix "$FZ_BUILD/npm" --no-audit --no-fund warcio >"$T/npm" 2>&1 || cat "$T/npm"
fi
WARCIO=$WARCIO node "$FZ_ROOT/tests/e2e/warcio-read.mjs" "$G/crawl.warc.gz" >"$T/warcio" 2>"$T/werr"
check_eq "warcio reads the generated WARC (it must run)" 0 $?
check_eq "warcio finds every capture" "$(q "$T/plain.warc.a" "SELECT count(*) FROM capture")" "$(wc -l <"$T/warcio")"
check_eq "the payload digests the generator wrote are right" 0 "$(awk -F'\t' '$2 != $3' "$T/warcio" | wc -l)"
check_eq "every capture is the record block warcio reads, byte for byte" \
	"$(cut -f1,4,5 "$T/warcio")" "$(q "$T/plain.warc.a" "SELECT url, sha256, size FROM capture ORDER BY id")"
"$FZ" verify -a "$T/w" >/dev/null 2>&1
check_eq "verify finds every stored capture intact" 0 $?

# --- WARCs broken as real ones are (tests/gen_hostile.c) ---
for f in hostile.warc.gz hostile.warc; do
	"$FZ" import -a "$T/$f.h" "$G/$f" 2>"$T/err"
	check_eq "$f: imports (exit 0)" 0 $?
	check "$f: a lying Content-Length is reported" "$(grep -c 'Content-Length says' "$T/err")"
	check "$f: the response cut off mid-body is reported" "$(grep -c 'cut off' "$T/err")"
	check "$f: the record the file ends in is reported" "$(grep -c 'truncated\|cut off or too long' "$T/err")"
	got=$(q "$T/$f.h" "SELECT e.rec || char(9) || v.title || char(9) || replace(v.body, char(10), '\\n')
		FROM (SELECT id, current, CAST(substr(id, 6) AS INTEGER) AS rec FROM entry) e
		JOIN version v ON v.id = e.current ORDER BY e.rec")
	check_eq "$f: the records that survive, with the text that arrived" "$(cat "$G/hostile.tsv")" "$got"
	check_eq "$f: the record lost with the file's end is listed, never captured" 1 \
		"$("$FZ" stats -a "$T/$f.h" --json | jq .uncaptured)"
done

done_testing
