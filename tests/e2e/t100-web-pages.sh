#!/bin/bash
# t100-web-pages.sh: every kind of page answers 200 with what a reader expects, and passes tidy.
. "$(dirname "$0")/lib.sh"

# Fifty-five small books (one kind) and one book of 250 entries: enough for
# every list to need a second page.
for i in $(seq 1 55); do
	printf '{"id":"bulk-%02d/e","title":"条目%d","body":"专题正文%d。","book":{"id":"bulk-%02d","title":"专题书%d","kind":"专题","region":"山东省济南市历下区","region_code":"370102"}}\n' "$i" "$i" "$i" "$i" "$i"
done >"$T/bulk.jsonl"
for i in $(seq 1 250); do
	printf '{"id":"big/e%03d","title":"大书条目%d","body":"大书正文%d。","book":{"id":"big","title":"大书","kind":"志"},"path":["第一编"]}\n' "$i" "$i" "$i"
done >>"$T/bulk.jsonl"
fz_import "$T/bulk.jsonl"
fz_start

# ---- the reference entry: what the reference page shows, in its order
get "$REF"
check_eq "reference entry: 200" 200 "$STATUS"
check_eq "reference entry: HTML in UTF-8" "text/html; charset=utf-8" "$(header Content-Type)"
check_eq "reference entry: lang=zh" 1 "$(has '<html lang="zh">')"
check_eq "reference entry: title element" 1 "$(has '<title>信访工作 · 山东地情档案</title>')"
text=$(sed 's/<[^>]*>//g' "$T/body")
order_ok=1 last=0
for want in 山东地方志资料归档 山东地情档案 停运省级地情数据库的公开镜像与长期存档 关于本站 信访工作 档案浏览器 概况 年内,全市社会大局 宣传教育 "(王建伟)"; do
	rest=${text:last}
	pre=${rest%%"$want"*}
	if [ "$pre" = "$rest" ]; then order_ok=0; echo "# missing after offset $last: $want"; break; fi
	last=$((last + ${#pre} + ${#want}))
done
check_eq "reference entry: name, brand, description, 关于本站, title, 档案浏览器, text, author in that order" 1 "$order_ok"
check_eq "reference entry: 关于本站 links to /about" 1 "$(has '<a href="/about">关于本站</a>')"
check_eq "reference entry: 档案浏览器 links to /browse" 1 "$(has '<a href="/browse">档案浏览器</a>')"
check_eq "reference entry: h1 is the title" 1 "$(has '<h1>信访工作</h1>')"
missing=0
while IFS= read -r line; do
	case "$line" in 【*) ;; *) continue ;; esac
	para=${line#*】 }
	para=${para% (王建伟)}
	grep -qF -- "<p>$para</p>" "$T/body" || { missing=$((missing + 1)); echo "# paragraph not found: ${para:0:30}"; }
done <"$SHARED/seed/000_c150ac496de1f31e.txt"
check_eq "reference entry: every paragraph of the reference text is a paragraph of the page" 0 "$missing"
check_eq "reference entry: seven section headings with anchors in the text" 7 \
	"$(sed -n '/^<div class="text">/,/^<\/div>/p' "$T/body" | grep -c '^<h2 id="[^"]*">[^<]*</h2>$')"
check_eq "reference entry: section 概况 is a heading with its own anchor" 1 "$(has '<h2 id="概况">概况</h2>')"
check_eq "reference entry: a table of contents links the seven sections" 7 "$(grep -o '<li><a href="#%[^"]*">' "$T/body" | wc -l)"
check_eq "reference entry: the author is shown" 1 "$(has '<p class="author">(王建伟)</p>')"
check_eq "reference entry: breadcrumb names the book" 1 "$(has '<a href="/book/taian-nianjian-2018">泰安年鉴（2018）</a>')"
check_eq "reference entry: book metadata: region" 1 "$(has '山东省泰安市')"
check_eq "reference entry: provenance: the source file" 1 "$(has 'taian-2018.jsonl，第 1 行')"
check_eq "reference entry: provenance: the digest" 1 "$(has 'SHA-256 ')"
check_eq "reference entry: one version, so no version list" 0 "$(has '各版本')"
tidy_ok "reference entry"

# ---- an old book's entry: page numbers, notes, glyph placeholders, neighbours
get /entry/KR2k0048/010-1a
check_eq "old book entry (id with a slash): 200" 200 "$STATUS"
check_eq "old book entry: title" 1 "$(has '<h1>山東通志 卷八</h1>')"
check_eq "old book entry: page 010-2a is a marginal number with anchor #p010-2a" 1 \
	"$(has '<a class="pb" id="p010-2a" href="#p010-2a" title="原书页码">010-2a</a>')"
check "old book entry: interlinear notes are set small" "$(count '<small class="note">')"
check_eq "old book entry: notes markers do not leak into the page" 0 "$(count $'\xef\xbf\xb9')"
check_eq "old book entry: &KR1830; shown as a marked placeholder" 1 \
	"$(has '<span class="gaiji" title="Unicode 未收之字 &amp;KR1830;">KR1830</span>')"
check_eq "old book entry: previous entry" 1 "$(has 'rel="prev" href="/entry/KR2k0048/009-1a"')"
check_eq "old book entry: next entry" 1 "$(has 'rel="next" href="/entry/KR2k0048/011-1a"')"
tidy_ok "old book entry"
get /entry/KR2k0048/000-1a
check_eq "first entry of a book: no previous link" 0 "$(has 'rel="prev"')"

# ---- home
get /
check_eq "home: 200" 200 "$STATUS"
check_eq "home: the site's name" 1 "$(has '山东地方志资料归档')"
check_eq "home: counts by kind (旧志: 2 books, 90 entries)" 1 "$(has '>旧志</a> <span class="n">2 部 · 90 条</span>')"
check_eq "home: counts by region (泰安市)" 1 "$(has '<a href="/browse?region=370900">泰安市</a> <span class="n">1 部 · 1 条</span>')"
check_eq "home: a labelled search box" 1 "$(has '<label for="q">')"
check_eq "home: recently added books, the last imported first" 1 "$(has '<a href="/book/big">')"
check_eq "home: the browser's first level (provinces)" 1 "$(has 'href="/browse?region=370000"')"
tidy_ok "home"

# ---- the archive browser
get /browse
check_eq "/browse: 200" 200 "$STATUS"
check_eq "/browse: heading 档案浏览器" 1 "$(has '<h1>档案浏览器</h1>')"
check_eq "/browse: by kind" 1 "$(has 'href="/browse?kind=%E6%97%A7%E5%BF%97"')"
check_eq "/browse: books, fifty to a page, with a next page" 1 "$(has 'rel="next" href="/browse?page=2"')"
tidy_ok "/browse"
get "/browse?page=2"
check_eq "/browse?page=2: the rest of the books" 200 "$STATUS"
get "/browse?kind=$(urlenc 旧志)"
check_eq "/browse?kind=旧志: 200" 200 "$STATUS"
check_eq "/browse?kind=旧志: its books" 2 "$(grep -c 'href="/book/KR2k00[47][85]"' "$T/body")"
check_eq "/browse?kind=旧志: not the yearbook" 0 "$(has 'taian-nianjian-2018')"
check_eq "/browse?kind=旧志: breadcrumb back to the browser" 1 "$(has '<li><a href="/browse">档案浏览器</a></li><li class="here">旧志</li>')"
tidy_ok "/browse?kind=旧志"
get "/browse?kind=$(urlenc 专题)"
check_eq "/browse?kind=专题: 55 books paginated (50 on page 1)" 50 "$(grep -c 'href="/book/bulk-' "$T/body")"
get "/browse?kind=$(urlenc 专题)&page=2"
check_eq "/browse?kind=专题&page=2: the other 5" 5 "$(grep -c 'href="/book/bulk-' "$T/body")"
get "/browse?region=370000"
check_eq "/browse?region=370000 (province): 200" 200 "$STATUS"
check_eq "province: heading" 1 "$(has '<h1>山东省</h1>')"
check_eq "province: its cities, with counts" 1 "$(has '<a href="/browse?region=370900">泰安市</a> <span class="n">1 部 · 1 条</span>')"
get "/browse?region=370100"
check_eq "city: its counties" 1 "$(has '<a href="/browse?region=370102">历下区</a>')"
check_eq "city: breadcrumb 档案浏览器 › 山东省 › 济南市" 1 "$(has '<li><a href="/browse">档案浏览器</a></li><li><a href="/browse?region=370000">山东省</a></li><li class="here">济南市</li>')"
get "/browse?region=370102"
check_eq "county: 200" 200 "$STATUS"
check_eq "county: breadcrumb down to the county" 1 "$(has '<li><a href="/browse?region=370100">济南市</a></li><li class="here">历下区</li>')"
tidy_ok "county page"

# ---- books and chapters
get /book/taian-nianjian-2018
check_eq "book: 200" 200 "$STATUS"
check_eq "book: heading" 1 "$(has '<h1>泰安年鉴（2018）</h1>')"
check_eq "book: its entry" 1 "$(has '<a href="/entry/taian-nianjian-2018/xinfang-gongzuo">信访工作</a>')"
tidy_ok "book page"
get /book/big
check_eq "book with a chapter: the chapter with its count" 1 "$(grep -c '<li class="ch"><a href="/book/big?ch=[0-9]*">第一编</a> <span class="n">250 条</span></li>' "$T/body")"
ch=$(grep -o '/book/big?ch=[0-9]*' "$T/body" | head -1)
get "$ch"
check_eq "chapter: 200" 200 "$STATUS"
check_eq "chapter: 200 entries on its first page" 200 "$(grep -c '<li class="en">' "$T/body")"
check_eq "chapter: breadcrumb through the book" 1 "$(has '<a href="/book/big">大书</a></li><li class="here">第一编</li>')"
check_eq "chapter: a second page" 1 "$(has "rel=\"next\" href=\"$ch&amp;page=2\"")"
tidy_ok "chapter page"
get "$ch&page=2"
check_eq "chapter page 2: the last 50" 50 "$(grep -c '<li class="en">' "$T/body")"

# ---- search
get "/search?q=$(urlenc 信访)"
check_eq "search: 200" 200 "$STATUS"
check_eq "search: result count" 1 "$(has '找到 <strong>1</strong> 条')"
check_eq "search: the hit links the entry" 1 "$(has "<a href=\"$REF\">信访工作</a>")"
check_eq "search: the hit names its book" 1 "$(has '<a href="/book/taian-nianjian-2018">泰安年鉴（2018）</a>')"
check "search: matches are marked" "$(count '<mark>信访</mark>')"
check_eq "search: not cached" "no-cache" "$(header Cache-Control)"
tidy_ok "search results"
get /search
check_eq "search without a query: 200 with the form" 1 "$(has '<label for="q">检索词</label>')"
tidy_ok "search form"
get "/search?q=$(urlenc 没有这样的词语组合)"
check_eq "search with no hits: 200" 200 "$STATUS"
check_eq "search with no hits: a helpful message" 1 "$(has '没有找到包含“没有这样的词语组合”的条目')"
tidy_ok "search without hits"
get "/search?q=$(urlenc 信访)&kind=$(urlenc 旧志)"
check_eq "search filter kind=旧志: nothing" 1 "$(has '没有找到')"
check_eq "search filter: a way to drop the filters" 1 "$(has '在全部档案中检索')"
get "/search?q=$(urlenc 信访)&kind=$(urlenc 年鉴)&year=2010-2020&region=370900&book=taian-nianjian-2018"
check_eq "search filters kind, year, region, book together: the hit" 1 "$(has '找到 <strong>1</strong> 条')"
get "/search?q=$(urlenc 信访)&year=1990-2000"
check_eq "search filter year=1990-2000: nothing" 1 "$(has '没有找到')"
get "/search?q=$(urlenc 之)"
check_eq "search with many hits: page 1 of several" 1 "$(has 'rel="next" href="/search?q=%E4%B9%8B&amp;page=2"')"
check_eq "search with many hits: 20 on a page" 20 "$(grep -c '<h2 class="hit-title">' "$T/body")"
get "/search?q=$(urlenc 之)&page=2"
check_eq "search page 2 numbers its hits from 21" 1 "$(has '<ol class="hits" start="21">')"

# ---- about and static
get /about
check_eq "about: 200" 200 "$STATUS"
check_eq "about: heading 关于本站" 1 "$(has '<h1>关于本站</h1>')"
check_eq "about: the archive's fingerprint, as stats prints it" 1 \
	"$(has "$("$FZ" stats -a "$A" --json | jq -r .fingerprint)")"
check_eq "about: where records came from" 1 "$(has '资料来源')"
check_eq "about: how to cite" 1 "$(has '如何引用')"
tidy_ok "about"
get /static/style.css
check_eq "stylesheet: 200" 200 "$STATUS"
check_eq "stylesheet: text/css" "text/css; charset=utf-8" "$(header Content-Type)"
check_eq "stylesheet: a year's lifetime, immutable" "public, max-age=31536000, immutable" "$(header Cache-Control)"
get /
css=$(links | grep '^/static/style.css?v=')
check_eq "pages link the stylesheet by a versioned URL" 1 "$(echo "$css" | grep -c .)"
done_testing
