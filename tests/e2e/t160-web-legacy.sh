#!/bin/bash
# t160-web-legacy.sh: old addresses of lib.sdsqw.cn answered over HTTP (permanent
# redirects, /resolve, a 404 that quotes them) and the captured pages served
# only as attachments.
. "$(dirname "$0")/lib.sh"

ASAN_OPTIONS=detect_leaks=0 "$FZ_BUILD/tests/gen_crawl" -o "$T/gen" 2>/dev/null
"$FZ" import -a "$A" --quiet "$T/gen/crawl.warc.gz" 2>/dev/null
fz_start

while IFS=$'\t' read -r url want; do
	path=${url#http://lib.sdsqw.cn}
	path=${path#lib.sdsqw.cn}
	get "$path"
	case "$want" in
	book:*) want="/book/${want#book:}" ;;
	search:*) want="/search?q=$(urlenc "${want#search:}")" ;;
	*) want="/entry/$want" ;;
	esac
	[ "$STATUS $(header Location)" = "301 $want" ] || { echo "# $path: $STATUS $(header Location)"; bad=1; }
done <"$T/gen/addresses.tsv"
check_eq "every old address in every variant: a permanent redirect to its place" "" "${bad:-}"

get '/bin/MSE.EXE?k=ch9&a=1&REC=2&run=13&COLLCC=4108678863'
check_eq "the program's name in any case" "301 /entry/ch9-1/2" "$STATUS $(header Location)"
get '/bin/mse.exe?K=CH91&A=1&run=12'
check_eq "a chapter's table of contents: to the chapter" "301" "$STATUS"
check "…of its book" "$(header Location | grep -c '^/book/ch9-1?ch=[0-9]*$')"
get '/bin/mse.exe?K=ch9&run=12'
check_eq "a library: to its region" "301 /browse?region=371728" "$STATUS $(header Location)"
get '/ftr/ftr.htm'
check_eq "the old search form: to ours" "301 /search" "$STATUS $(header Location)"

get '/bin/mse.exe?K=CH9Z&A=9&rec=1&run=13&x=<script>alert(1)</script>'
check_eq "an address that leads nowhere: 404" 404 "$STATUS"
check "the page quotes it, escaped" "$(has 'x=&lt;script&gt;alert(1)&lt;/script&gt;')"
check "it says the site archives the old one" "$(has '（lib.sdsqw.cn）的存档')"
check "it offers a search" "$(has 'action="/search"')"
tidy_ok "the old-address 404 page"
get "$(cut -f1 "$T/gen/uncaptured.tsv" | sed 's|http://lib.sdsqw.cn||')"
check_eq "a record never captured: 404" 404 "$STATUS"
check "it says so (未能抓取)" "$(has '未能抓取')"
check "and links its book" "$(links | grep -c '^/book/ch9-3')"

get "$(links | grep '^/book/ch9-3' | head -1)"
check "the book's tree lists it as 未能抓取" "$(has '未抓取的条目 <span class="n">未能抓取</span>')"
check "with its old address" "$(has 'K=CH913&amp;A=3&amp;rec=4&amp;run=13')"
tidy_ok "a chapter with an item never captured"
get "/resolve?url=$(urlenc 'http://lib.sdsqw.cn/bin/mse.exe?seachword=&K=CH91&A=1&rec=2&run=13')"
check_eq "/resolve: a pasted address to its entry" "302 /entry/ch9-1/2" "$STATUS $(header Location)"
get "/resolve?url=$(urlenc 'lib.sdsqw.cn/bin/mse.exe?run=11&seachword=%u4FE1%u8BBF')"
check_eq "/resolve: a search, its words decoded" "302 /search?q=$(urlenc 信访)" "$STATUS $(header Location)"
get "/resolve?url=$(urlenc 'http://example.org/bin/mse.exe?K=ch9&A=1&rec=1&run=13')"
check_eq "/resolve: another site's address: 404" 404 "$STATUS"
check "…saying it is not the old site" "$(has 'example.org is not the old site')"
get "/resolve"
check_eq "/resolve alone: the form" 200 "$STATUS"
tidy_ok "the /resolve form"
get "/about"
check "/about has the form for old addresses" "$(has 'action="/resolve"')"

get "/entry/ch9-3/3"
check "an entry from a crawl links its original pages" "$(links | grep -c '^/original/ch9-3/3$')"
get "/original/ch9-3/3"
check_eq "its original pages: 200" 200 "$STATUS"
check_eq "both captures listed" 2 "$(links | grep -c '^/capture/[0-9]*$')"
tidy_ok "the original-pages page"
cap=$(links | grep '^/capture/[0-9]*$' | tail -1)
get "$cap"
check_eq "a capture: 200" 200 "$STATUS"
check "served as an attachment" "$(header Content-Disposition | grep -c '^attachment')"
check "under a sandbox policy" "$(grep -ci '^content-security-policy: sandbox' "$T/headers")"
check_eq "in its own charset" "text/html; charset=gb18030" "$(header Content-Type)"
saved="$T/gen/saved/lib.sdsqw.cn/bin/mse.exe?K=CH912&A=3&rec=3&run=13"
check_eq "the page's bytes exactly as captured" "$(sha256sum <"$saved")" "$(sha256sum <"$T/body")"
get "$cap.http"
check_eq "the whole HTTP response, byte for byte" \
	"$(sqlite3 "$A/archive.sqlite" "SELECT sha256 FROM capture WHERE id = ${cap#/capture/}")" \
	"$(sha256sum <"$T/body" | cut -d' ' -f1)"
get "/capture/999999"
check_eq "no such capture: 404" 404 "$STATUS"

done_testing
