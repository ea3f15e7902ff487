#!/bin/bash
# t110-web-status.sh: real 404s and 400s in the site's style, 405 for writes, HEAD, paths checked.
. "$(dirname "$0")/lib.sh"

printf '{"id":"big/e1","title":"大书条目","body":"正文。","book":{"id":"big","title":"大书","kind":"志"},"path":["第一编"]}\n' >"$T/big.jsonl"
fz_import "$T/big.jsonl"
fz_start

# ---- 404
get /no/such/page
check_eq "unknown path: 404" 404 "$STATUS"
check_eq "unknown path: an HTML page" "text/html; charset=utf-8" "$(header Content-Type)"
check_eq "unknown path: in the site's style (identity, stylesheet)" 2 \
	"$(( $(has '山东地方志资料归档') + $(has '/static/style.css?v=') ))"
check_eq "unknown path: says what was not found" 1 "$(has '找不到这个页面')"
tidy_ok "404 page"
get /entry/taian-nianjian-2018/no-such-entry
check_eq "unknown entry id: 404" 404 "$STATUS"
check_eq "unknown entry id: names the id" 1 "$(has 'taian-nianjian-2018/no-such-entry')"
get "$REF?v=9"
check_eq "unknown version: 404" 404 "$STATUS"
get /entry/bad%20id
check_eq "entry id outside the id rules: 404" 404 "$STATUS"
get /entry/a//b
check_eq "entry id with an empty segment: 404" 404 "$STATUS"
get /entry/../../etc/passwd --path-as-is
check_eq "entry path with ..: 404" 404 "$STATUS"
get /static/../Makefile --path-as-is
check_eq "static path with ..: 404" 404 "$STATUS"
get /static/%2e%2e/Makefile --path-as-is
check_eq "static path with encoded ..: 404" 404 "$STATUS"
get /static/nothing.css
check_eq "static file not in the embedded table: 404" 404 "$STATUS"
get /templates/layout.html
check_eq "templates are not served: 404" 404 "$STATUS"
get /%FF%FE
check_eq "path of invalid UTF-8: 404" 404 "$STATUS"
get "/$(head -c 3000 /dev/zero | tr '\0' a)"
check_eq "very long path: 404" 404 "$STATUS"
get /book/no-such-book
check_eq "unknown book: 404" 404 "$STATUS"
get /book/big
ch=$(grep -o '/book/big?ch=[0-9]*' "$T/body" | head -1)
get "/book/taian-nianjian-2018?${ch#*\?}"
check_eq "a chapter of another book: 404" 404 "$STATUS"
get "/book/big?ch=999999"
check_eq "unknown chapter: 404" 404 "$STATUS"
get "/browse?kind=$(urlenc 没有这类)"
check_eq "browse an absent kind: 404" 404 "$STATUS"
get "/browse?region=110000"
check_eq "browse a region without books: 404" 404 "$STATUS"
get "/browse?page=99"
check_eq "browse past the last page: 404" 404 "$STATUS"
get /api/entry/no/such
check_eq "API: unknown entry: 404" 404 "$STATUS"
check_eq "API: errors are JSON" 404 "$(jq .status "$T/body")"

# ---- 400, naming the parameter
get "/browse?page=x"
check_eq "page=x: 400" 400 "$STATUS"
check_eq "page=x: the page names the parameter" 1 "$(has '参数 page')"
tidy_ok "400 page"
get "$REF?v=abc"
check_eq "v=abc: 400 naming v" "400 1" "$STATUS $(has '参数 v')"
get "$REF?v=0"
check_eq "v=0: 400" 400 "$STATUS"
get "/search?q=x&year=2020-1990"
check_eq "year=2020-1990: 400 naming year" "400 1" "$STATUS $(has '参数 year')"
get "/search?q=x&year=abc"
check_eq "year=abc: 400" 400 "$STATUS"
get "/search?q=x&region=abc"
check_eq "region=abc: 400 naming region" "400 1" "$STATUS $(has '参数 region')"
get "/search?q=$(head -c 2100 /dev/zero | tr '\0' a)"
check_eq "q over its size limit: 400 naming q" "400 1" "$STATUS $(has '参数 q')"
get "/search?q=%FF"
check_eq "q of invalid UTF-8: 400" 400 "$STATUS"
get "/search?book=../x&q=a"
check_eq "book outside the id rules: 400" 400 "$STATUS"
get '/search?q=%22%E4%BF%A1%E8%AE%BF'
check_eq "malformed query (unclosed quote): 400" 400 "$STATUS"
check_eq "malformed query: says what is wrong" 1 "$(has '检索式有误')"
check_eq "malformed query: the form keeps what was typed" 1 "$(has 'value="&quot;信访"')"
tidy_ok "malformed query page"
get '/api/search?q=%22%E4%BF%A1%E8%AE%BF'
check_eq "API: malformed query: 400 with a JSON error" "400 400" "$STATUS $(jq .status "$T/body")"
get "/api/search"
check_eq "API: search without q: 400" 400 "$STATUS"

# ---- what is tolerated
get "/?utm_source=x&page=zz"
check_eq "unknown and unused parameters are ignored" 200 "$STATUS"
get "$REF?ref=old-link"
check_eq "old links with junk keys still work" 200 "$STATUS"

# ---- methods
STATUS=$(curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' -X POST -d 'a=1' "$BASE/")
check_eq "POST: 405" 405 "$STATUS"
check_eq "POST: Allow names GET and HEAD" "GET, HEAD" "$(header Allow)"
STATUS=$(curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' -X DELETE "$BASE$REF")
check_eq "DELETE: 405" 405 "$STATUS"
out=$(curl -s -o /dev/null -D "$T/headers" -w '%{http_code} %{size_download}' -I "$BASE$REF")
check_eq "HEAD: 200 without a body" "200 0" "$out"
check "HEAD: Content-Length of the page" "$(header Content-Length)"
get "$REF"
check_eq "HEAD and GET agree on the ETag" 1 "$(grep -ci '^etag' "$T/headers")"
done_testing
