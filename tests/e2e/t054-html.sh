#!/bin/bash
# t054-html.sh: export --format html, a static copy of the whole site. Every
# page the site links is a file; every link in every page leads to a file
# of the copy (from disk, and through a plain web server); the pages are the
# server's pages with relative links; no search, and the pages say so.
. "$(dirname "$0")/lib.sh"

# the shared corpus, and the generated crawl for chapters, versions and
# items never captured
fz_import
ASAN_OPTIONS=detect_leaks=0 "$FZ_BUILD/tests/gen_crawl" -o "$T/gen" >/dev/null 2>&1
"$FZ" import -a "$A" --quiet "$T/gen/crawl.warc.gz" 2>/dev/null
check_eq "the generated crawl imports (chapters and a second version)" "15 202" \
	"$("$FZ" stats -a "$A" --json | jq -r '"\(.chapters) \(.versions)"')"
q() { sqlite3 -separator $'\t' "$A/archive.sqlite" "$1"; }
S=$T/site

"$FZ" export -a "$A" --format html --quiet "$S" 2>"$T/err"
check_eq "export --format html exits 0" 0 $?
check_eq "and says nothing with --quiet" "" "$(cat "$T/err")"
check_eq "no .part directory is left" no "$([ -e "$S.part" ] && echo yes || echo no)"
for f in index.html about.html browse.html static/style.css "${REF#/}.html" entry/ch9-3/3@v=1.html \
	book/taian-nianjian-2018.html book/ch9-1@ch=1.html "browse@kind=年鉴.html" browse@region=371728.html; do
	check_eq "the copy has $f" yes "$([ -f "$S/$f" ] && echo yes || echo no)"
done
check_eq "one file per entry, and one per older version" \
	"$(q "SELECT count(*) FROM version")" "$(find "$S/entry" -name '*.html' | wc -l)"
check_eq "one file per book and chapter" "$(q "SELECT (SELECT count(*) FROM book) + (SELECT count(*) FROM chapter)")" \
	"$(find "$S/book" -name '*.html' | wc -l)"
check_eq "the stylesheet as embedded" "$(sha256sum <"$FZ_ROOT/static/style.css")" "$(sha256sum <"$S/static/style.css")"

# --- links ---
python3 "$FZ_ROOT/tests/e2e/html-links.py" "$S" >"$T/links"
check_eq "every link of every page leads to a file of the copy" 0 "$(tail -1 "$T/links" | awk '{print $6}')"
grep -v '^pages ' "$T/links" | head -5 | sed 's/^/#   /'
check "and there are links to check" "$(tail -1 "$T/links" | awk '{print $4}')"
check_eq "no page has an absolute link, source or form target" "" \
	"$(grep -rlE '(href|src|action)="/' "$S" --include='*.html' | head -3)"
check_eq "no page offers a search form" "" "$(grep -rl '<form' "$S" --include='*.html' | head -3)"
check_eq "every page says that a static copy has no search" "$(find "$S" -name '*.html' | wc -l)" \
	"$(grep -rl '静态副本，没有全文检索' "$S" --include='*.html' | wc -l)"
check "an entry links up by relative paths" \
	"$(grep -c 'href="../../book/taian-nianjian-2018.html"' "$S${REF}.html")"
check_eq "an older version links to the current one" 1 \
	"$(grep -c 'href="../../entry/ch9-3/3.html">查看现行版本' "$S/entry/ch9-3/3@v=1.html")"

# --- the pages are the server's, links aside ---
fz_start
get "$REF"
main() { sed -n '/<main/,/<\/main>/p' "$1" | sed -E 's/ href="[^"]*"//g'; }
check_eq "the reference entry is the served page, links aside" "$(main "$T/body")" "$(main "$S${REF}.html")"
get "/book/ch9-1?ch=1"
check_eq "a chapter too" "$(main "$T/body")" "$(main "$S/book/ch9-1@ch=1.html")"
fz_stop
check "the entry's text is there" "$(grep -c '全市社会大局和谐稳定' "$S${REF}.html")"

for f in index.html browse.html about.html "${REF#/}.html" book/ch9-1.html book/ch9-1@ch=1.html \
	entry/ch9-3/3@v=1.html browse@region=371728.html book/KR2k0048.html; do
	out=$(tidy -errors -q "$S/$f" 2>&1)
	check_eq "$f passes tidy" "" "$out"
done

# --- any web server: a plain one serving the directory ---
P=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$S" && exec python3 -m http.server --bind 127.0.0.1 "$P" >/dev/null 2>&1) &
HP=$!
for i in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$P/" && break; sleep 0.1; done
css=$(grep -o 'rel="stylesheet" href="[^"]*"' "$S${REF}.html" | sed 's/.*href="//; s/"$//')
check_eq "a web server gives the entry" 200 \
	"$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$P$REF.html")"
check_eq "and its stylesheet, by the page's relative link" 200 \
	"$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$P/entry/taian-nianjian-2018/$css")"
check_eq "and a page whose name holds a parameter, by its link as written" 200 \
	"$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$P/$(grep -o 'href="browse@kind=[^"]*"' "$S/index.html" | head -1 | sed 's/href="//; s/"$//')")"
kill "$HP"
wait "$HP" 2>/dev/null

# --- refusals and the log ---
"$FZ" export -a "$A" --format html --quiet "$S" 2>/dev/null
check_eq "exporting over an existing directory is refused (exit 3)" 3 $?
check_eq "the export is in the log" "html to $S: $(find "$S" -type f | wc -l) pages" \
	"$("$FZ" log -a "$A" --json | jq -r '[.[] | select(.kind == "export")][0].detail' | cut -d' ' -f1-5)"
done_testing
