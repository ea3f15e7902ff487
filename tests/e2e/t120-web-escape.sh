#!/bin/bash
# t120-web-escape.sh: everything from the archive or the request is shown as text, never as markup.
. "$(dirname "$0")/lib.sh"

cat >"$T/xss.jsonl" <<'JSON'
{"id": "xss-book/entry", "title": "<script>alert(1)</script>", "body": "【<b>小节</b>】 正文 <img src=x onerror=alert(2)> & \"引号\" 'single' alert标记\n第二段 </p><script>alert(3)</script>", "author": "<em>作者</em>", "book": {"id": "xss-book", "title": "<script>alert(4)</script>书", "edition": "<i>2018</i>", "kind": "<u>kind</u>", "region": "<s>region</s>", "region_code": "370102"}, "path": ["<svg onload=alert(5)>章"], "source": {"url": "http://example.org/\"><script>alert(6)</script>", "id": "<x>"}}
JSON
fz_import "$T/xss.jsonl"
fz_start

# no_markup WHAT: none of the injected tags came through as markup
no_markup() {
	local n
	n=$(grep -ciE '<script|<img|<svg|<b>|<em>|<i>2018|<u>|<s>|<x>' "$T/body")
	check_eq "$1: no injected tag is markup" 0 "$n"
}

get /entry/xss-book/entry
check_eq "hostile entry: 200" 200 "$STATUS"
check_eq "hostile entry: the title shows as text" 1 "$(has '<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>')"
check_eq "hostile entry: in the title element too" 1 "$(has '<title>&lt;script&gt;alert(1)&lt;/script&gt; · ')"
check_eq "hostile entry: the body's tags show as text" 1 "$(has '正文 &lt;img src=x onerror=alert(2)&gt; &amp; &quot;引号&quot; &#39;single&#39;')"
check_eq "hostile entry: a closing tag in the body stays text" 1 "$(has '第二段 &lt;/p&gt;&lt;script&gt;alert(3)&lt;/script&gt;')"
check_eq "hostile entry: the author shows as text" 1 "$(has '(&lt;em&gt;作者&lt;/em&gt;)')"
check_eq "hostile entry: the chapter in the breadcrumb shows as text" 1 "$(has '&lt;svg onload=alert(5)&gt;章')"
check_eq "hostile entry: the source address shows as text" 1 "$(has 'http://example.org/&quot;&gt;&lt;script&gt;alert(6)&lt;/script&gt;')"
check_eq "hostile entry: the section heading shows as text" 1 "$(has '&lt;b&gt;小节&lt;/b&gt;</h2>')"
no_markup "hostile entry"
tidy_ok "hostile entry"

get /book/xss-book
check_eq "hostile book: the book's title shows as text" 1 "$(has '&lt;script&gt;alert(4)&lt;/script&gt;书')"
no_markup "hostile book"
tidy_ok "hostile book"

get /
check_eq "home with a hostile book: the kind shows as text" 1 "$(has '&lt;u&gt;kind&lt;/u&gt;')"
check_eq "home with a hostile book: the kind's link is percent-encoded" 1 "$(has 'href="/browse?kind=%3Cu%3Ekind%3C%2Fu%3E"')"
no_markup "home"
tidy_ok "home with a hostile book"

get "/browse?kind=$(urlenc '<u>kind</u>')"
check_eq "browse a hostile kind: 200" 200 "$STATUS"
no_markup "browse by a hostile kind"
get "/browse?region=370102"
no_markup "browse the hostile book's region"

get "/search?q=$(urlenc alert标记)"
check_eq "search hit in a hostile entry: the title shows as text" 1 "$(has '>&lt;script&gt;alert(1)&lt;/script&gt;</a>')"
check_eq "search hit in a hostile entry: the snippet is escaped around the mark" 1 "$(has '<mark>alert标记</mark>')"
no_markup "search results"
get "/search?q=$(urlenc '<script>alert(7)</script>')"
check_eq "a hostile query is echoed as text in the form" 1 "$(has 'value="&lt;script&gt;alert(7)&lt;/script&gt;"')"
no_markup "hostile query"
tidy_ok "hostile query"
get "/search?q=$(urlenc '"<script>')"
no_markup "hostile malformed query"
get "/nothing/$(urlenc '<script>alert(8)</script>')"
check_eq "a hostile path: 404" 404 "$STATUS"
check_eq "a hostile path is echoed as text" 1 "$(has '&lt;script&gt;alert(8)&lt;/script&gt;')"
no_markup "404 for a hostile path"
get /entry/xss-book/entry
check "pages forbid scripts (Content-Security-Policy)" "$(header Content-Security-Policy | grep -c "default-src 'none'")"
check_eq "pages are not sniffed" "nosniff" "$(header X-Content-Type-Options)"
done_testing
