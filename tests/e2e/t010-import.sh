#!/bin/bash
# t010-import.sh: the shared corpus imported whole, re-imported, edited, broken, interrupted.
. "$(dirname "$0")/assert.sh"

T=$(mktemp -d /tmp/fz-t010-XXXXXX)
trap 'rm -rf "$T"' EXIT
A=$T/archive
YB=$SHARED/corpus/yearbook/taian-2018.jsonl
K48=$SHARED/corpus/kanripo/KR2k0048
K75=$SHARED/corpus/kanripo/KR2k0075
dump() { sqlite3 "$1/archive.sqlite" .dump | sha256sum; }

"$FZ" import -a "$A" --quiet "$YB" "$K48" "$K75" 2>"$T/err"
check_eq "import of the shared corpus exits 0" 0 $?
stats=$("$FZ" stats -a "$A" --json)
toc=$(cat "$K48/Readme.org" "$K75/Readme.org" | grep -c '\[\[file:')
check_eq "one entry per table-of-contents item plus the yearbook record" $((toc + 1)) \
	"$(echo "$stats" | jq .entries)"
check_eq "three books" 3 "$(echo "$stats" | jq .books)"
check_eq "one version per entry" $((toc + 1)) "$(echo "$stats" | jq .versions)"

missing=0
for f in "$K48/Readme.org" "$K75/Readme.org"; do
	book=$(basename "$(dirname "$f")")
	while IFS=$'\t' read -r page title; do
		got=$("$FZ" show -a "$A" --json "$book/$page" 2>/dev/null | jq -r .title)
		[ "$got" = "$title" ] || { missing=$((missing + 1)); echo "# $book/$page: '$got' != '$title'"; }
	done < <(sed -n 's/.*::\([0-9a-z-]*\)\]\[\(.*\)\]\].*/\1\t\2/p' "$f")
done
check_eq "every table-of-contents item is an entry with the item's title" 0 "$missing"

e=$("$FZ" show -a "$A" --json taian-nianjian-2018/xinfang-gongzuo)
check_eq "yearbook entry title" "信访工作" "$(echo "$e" | jq -r .title)"
check_eq "yearbook entry author" "王建伟" "$(echo "$e" | jq -r .author)"
check_eq "yearbook book title" "泰安年鉴" "$(echo "$e" | jq -r .book.title)"
check_eq "seven 【section】s parsed" 7 "$(echo "$e" | jq '.sections | length')"
check_eq "first section heading" "概况" "$(echo "$e" | jq -r '.sections[0].heading')"
check_eq "body keeps its paragraphs" 7 "$(echo "$e" | jq -r .body | wc -l)"

k=$("$FZ" show -a "$A" --json KR2k0048/000-1a)
check_eq "old book title from the files" "山東通志" "$(echo "$k" | jq -r .book.title)"
check_eq "old book kind" "旧志" "$(echo "$k" | jq -r .book.kind)"
check "a sentence reads across a 抬頭 line break" "$(echo "$k" | jq -r .body | grep -c '我國朝正域四方')"
check "page starts kept as positions" "$(echo "$k" | jq '[.pages[].page] | index("000-2a") != null')" true
check_eq "no layout characters left in old texts" 0 \
	"$(for id in KR2k0048/010-1a KR2k0075/001-1a; do "$FZ" show -a "$A" --json $id | jq -r .body; done | grep -c '[¶　]\|<pb:')"

"$FZ" import -a "$A" "$YB" "$K48" "$K75" 2>"$T/err"
check_eq "re-import exits 0" 0 $?
check_eq "re-import adds nothing" "$stats" "$("$FZ" stats -a "$A" --json)"
check "re-import reports all unchanged" "$(grep -c 'imported: 0 added, 0 new versions, 91 unchanged' "$T/err")"

sed 's/信访形势趋稳向好/信访形势总体向好/' "$YB" > "$T/edited.jsonl"
"$FZ" import -a "$A" --quiet "$T/edited.jsonl"
check_eq "edited record imports" 0 $?
e=$("$FZ" show -a "$A" --json taian-nianjian-2018/xinfang-gongzuo)
check_eq "edited record is a second version" 2 "$(echo "$e" | jq .versions)"
check "the new version is shown" "$(echo "$e" | jq -r .body | grep -c 信访形势总体向好)"
check "the old version stays readable" \
	"$("$FZ" show -a "$A" --json --version 1 taian-nianjian-2018/xinfang-gongzuo | jq -r .body | grep -c 信访形势趋稳向好)"
check "the old version says when it was superseded" \
	"$(echo "$e" | jq '.version_list[0].superseded_at != null')" true

before=$(dump "$A")
{ head -1 "$YB" | sed 's/xinfang-gongzuo/other/'; echo '{"id": "x", "title": "t"}'; } > "$T/broken.jsonl"
"$FZ" import -a "$A" --quiet "$T/broken.jsonl" 2>"$T/err"
rc=$?
check_eq "a broken file is refused with exit 3" 3 $rc
check "the error names the file and line" "$(grep -c "broken.jsonl:2: .*body" "$T/err")"
check_eq "the refused file leaves the archive exactly as it was" "$before" "$(dump "$A")"
"$FZ" import -a "$T/new" --quiet "$T/broken.jsonl" 2>/dev/null
check_eq "a refused first import leaves no archive behind" no "$([ -e "$T/new" ] && echo yes || echo no)"
"$FZ" import -a "$A" --quiet --skip-invalid "$T/broken.jsonl" 2>"$T/err"
check_eq "--skip-invalid still exits non-zero" 3 $?
check "--skip-invalid imports the good record" "$("$FZ" show -a "$A" --json taian-nianjian-2018/other | jq -r .title)" 信访工作

# Interrupted imports: kill -9 at several moments; each time the archive is
# as before or as after, never between.
for delay in 0.05 0.12 0.2 0.3; do
	rm -rf "$T/k"; "$FZ" import -a "$T/k" --quiet "$K75" >/dev/null 2>&1
	b=$("$FZ" stats -a "$T/k" --json | jq .entries)
	"$FZ" import -a "$T/k" --quiet "$K48" "$YB" >/dev/null 2>&1 & pid=$!
	sleep $delay; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
	n=$("$FZ" stats -a "$T/k" --json | jq .entries)
	check "kill -9 after ${delay}s leaves before ($b) or after ($((b + 81))), got $n" \
		"$([ "$n" = "$b" ] || [ "$n" = $((b + 81)) ] && echo 1 || echo 0)"
	check_eq "integrity after kill -9 at ${delay}s" ok "$(sqlite3 "$T/k/archive.sqlite" 'PRAGMA integrity_check')"
done

"$FZ" --help >/dev/null; check_eq "fangzhi --help exits 0" 0 $?
"$FZ" import --help | grep -q skip-invalid; check_eq "fangzhi import --help describes options" 0 $?
"$FZ" frobnicate 2>/dev/null; check_eq "an unknown command exits 2" 2 $?
"$FZ" show -a "$A" no/such 2>"$T/err"; check_eq "an unknown id exits 4" 4 $?
check "the unknown id is named" "$(grep -c 'no entry with id "no/such"' "$T/err")"
"$FZ" stats -a "$T/nothing" 2>"$T/err"; check_eq "a missing archive exits 4" 4 $?
done_testing
