#!/bin/bash
# t130-web-http.sh: validators and 304, gzip, lifetimes, versions, the access log, --site,
# the port and pid files, and stalled connections that must not hold up others.
. "$(dirname "$0")/lib.sh"

fz_import
fz_start

# ---- conditional requests
get "$REF"
etag=$(header ETag)
lm=$(header Last-Modified)
check "a page has an ETag" "$(echo "$etag" | grep -c '^"[0-9a-f]*"$')"
check "a page has a Last-Modified date" "$(echo "$lm" | grep -c 'GMT$')"
check_eq "a page says it varies by Accept-Encoding" "Accept-Encoding" "$(header Vary)"
check_eq "the current entry's lifetime is short" "public, max-age=300" "$(header Cache-Control)"
get "$REF"
check_eq "the ETag is stable from request to request" "$etag" "$(header ETag)"
get "$REF" -H "If-None-Match: $etag"
check_eq "If-None-Match with the ETag: 304" 304 "$STATUS"
check_eq "304 has no body" 0 "$(wc -c <"$T/body" | tr -d ' ')"
check_eq "304 repeats the ETag" "$etag" "$(header ETag)"
get "$REF" -H "If-None-Match: \"other\", W/$etag"
check_eq "If-None-Match listing a weak form of the ETag: 304" 304 "$STATUS"
get "$REF" -H 'If-None-Match: "0000000000000000"'
check_eq "If-None-Match with another ETag: 200" 200 "$STATUS"
get "$REF" -H 'If-None-Match: *'
check_eq "If-None-Match: * : 304" 304 "$STATUS"
get "$REF" -H "If-Modified-Since: $lm"
check_eq "If-Modified-Since the Last-Modified date: 304" 304 "$STATUS"
get "$REF" -H "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT"
check_eq "If-Modified-Since an older date: 200" 200 "$STATUS"
get "$REF" -H "If-None-Match: \"0000000000000000\"" -H "If-Modified-Since: $lm"
check_eq "If-None-Match wins over If-Modified-Since" 200 "$STATUS"
get /
get / -H "If-None-Match: $(header ETag)"
check_eq "home: 304 on its ETag" 304 "$STATUS"
get "/search?q=$(urlenc 信访)"
get "/search?q=$(urlenc 信访)" -H "If-None-Match: $(header ETag)"
check_eq "search results: 304 on their ETag" 304 "$STATUS"

# ---- gzip
get "$REF"
cp "$T/body" "$T/plain"
get "$REF" -H 'Accept-Encoding: gzip'
check_eq "Accept-Encoding gzip: compressed" "gzip" "$(header Content-Encoding)"
check_eq "the gzip variant has its own ETag" "${etag%\"}-gz\"" "$(header ETag)"
check_eq "gzip decompresses to the same page" "$(sha256sum <"$T/plain")" "$(gzip -dc <"$T/body" | sha256sum)"
check "gzip makes the page smaller" "$(($(wc -c <"$T/plain") - $(wc -c <"$T/body")))"
get "$REF" -H 'Accept-Encoding: gzip' -H "If-None-Match: ${etag%\"}-gz\""
check_eq "If-None-Match with the gzip ETag: 304" 304 "$STATUS"
get "$REF" -H 'Accept-Encoding: gzip;q=0, identity'
check_eq "gzip;q=0: not compressed" "" "$(header Content-Encoding)"
get "$REF" -H 'Accept-Encoding: br, deflate'
check_eq "no gzip offered: not compressed" "" "$(header Content-Encoding)"
get "/search?q=$(urlenc 之)" -H 'Accept-Encoding: deflate, gzip'
check_eq "search results (made per request) are compressed too" "gzip" "$(header Content-Encoding)"
gzip -t "$T/body" 2>/dev/null
check_eq "and are valid gzip" 0 $?
get /static/style.css -H 'Accept-Encoding: gzip'
check_eq "the stylesheet is compressed" "gzip" "$(header Content-Encoding)"

# ---- the access log (combined log format)
curl -s -o /dev/null -e 'http://example.org/from' -A 'agent "quoted"' "$BASE$REF?x=1"
sleep 0.2
line=$(grep -F "$REF?x=1" "$T/access.log" | tail -1)
re='^127\.0\.0\.1 - - \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} \+0000\] "GET /entry/taian-nianjian-2018/xinfang-gongzuo\?x=1 HTTP/1\.1" 200 [0-9]+ "http://example\.org/from" "agent \\"quoted\\""$'
check_eq "access log: one line in the combined log format" 1 "$(echo "$line" | grep -cE "$re")"
[ -n "$line" ] || echo "# log: $(tail -3 "$T/access.log")"
check_eq "access log: 404s are logged with their status" 1 "$(curl -s -o /dev/null "$BASE/nope-logged"; sleep 0.2; grep -c '"GET /nope-logged HTTP/1.1" 404 ' "$T/access.log")"

# ---- port and pid files
pid=$(cat "$T/pid")
check_eq "the pid file names the server" 1 "$(kill -0 "$pid" 2>/dev/null && echo 1)"
check_eq "the port file holds the port listened on" 200 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(cat "$T/port")/")"

# ---- a stalled client holds up nobody
for i in $(seq 12); do
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
	printf 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ' >&$fd
	fds+=("$fd")
done
t0=$(date +%s%N)
out=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$BASE$REF")
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check_eq "with twelve half-sent requests open, a page is still served" 200 "$out"
check_eq "... promptly (under a second)" 1 "$([ "$ms" -lt 1000 ] && echo 1)"
for fd in "${fds[@]}"; do exec {fd}>&-; done

# ---- versions: a changed record becomes version 2; version 1 stays readable
fz_stop
sed 's/年内,全市社会大局和谐稳定/年内,全市社会大局和谐稳定(修订)/' \
	"$SHARED/corpus/yearbook/taian-2018.jsonl" >"$T/v2.jsonl"
"$FZ" import -a "$A" "$T/v2.jsonl" >/dev/null 2>&1
fz_start
get "$REF"
check_eq "after a changed import, the page shows the new text" 1 "$(has '社会大局和谐稳定(修订)')"
check_eq "the new text changes the ETag" 0 "$([ "$(header ETag)" = "$etag" ] && echo 1 || echo 0)"
check_eq "older versions are listed" 1 "$(has '<a href="/entry/taian-nianjian-2018/xinfang-gongzuo?v=1">第 1 版</a>')"
get "$REF?v=1"
check_eq "?v=1: 200" 200 "$STATUS"
check_eq "?v=1 shows version 1's text" 0 "$(has '(修订)')"
check_eq "?v=1 says a newer version exists and links it" 1 "$(has '已有更新的版本。<a href="/entry/taian-nianjian-2018/xinfang-gongzuo">查看现行版本</a>')"
check_eq "?v=1 is kept longer (a version never changes)" "public, max-age=86400" "$(header Cache-Control)"
tidy_ok "an older version"
get "/api/entry/taian-nianjian-2018/xinfang-gongzuo?v=1"
check_eq "API: ?v=1 gives version 1" 1 "$(jq .version "$T/body")"

# ---- --site
fz_stop
cat >"$T/site.txt" <<'SITE'
# a test identity
name: 测试档案馆
brand: 测试品牌
description: 一句话的描述。
contact: archivist@example.org
licence: 测试许可 <b>不是标记</b>

## 本站缘起

这是关于本站的第一段。

第二段。
SITE
fz_start --site "$T/site.txt"
get "$REF"
check_eq "--site: the name" 1 "$(has '<a href="/">测试档案馆</a>')"
check_eq "--site: the brand" 1 "$(has '<p class="brand">测试品牌</p>')"
check_eq "--site: the description, not doubled punctuation" 1 "$(has '一句话的描述。 <a href="/about">关于本站</a>')"
get /about
check_eq "--site: the about text's heading" 1 "$(has '<h2>本站缘起</h2>')"
check_eq "--site: the about text's paragraphs" 1 "$(has '<p>这是关于本站的第一段。</p>')"
check_eq "--site: contact" 1 "$(has 'archivist@example.org')"
check_eq "--site: licence notes, escaped" 1 "$(has '测试许可 &lt;b&gt;不是标记&lt;/b&gt;')"
tidy_ok "about with a site file"
fz_stop
printf 'nmae: typo\n' >"$T/bad-site.txt"
"$FZ" serve -a "$A" --listen 127.0.0.1:0 --site "$T/bad-site.txt" >"$T/out" 2>&1
rc=$?
check_eq "a site file with an unknown key is refused" 1 "$([ "$rc" -ne 0 ] && grep -q 'nmae' "$T/out" && echo 1)"
"$FZ" serve -a "$T/no-archive" --listen 127.0.0.1:0 >"$T/out" 2>&1
check_eq "a missing archive is refused" 1 "$([ $? -ne 0 ] && echo 1)"
"$FZ" serve -a "$A" --listen nonsense >"$T/out" 2>&1
check_eq "a bad --listen is a usage error" 1 "$([ $? -ne 0 ] && grep -q 'listen' "$T/out" && echo 1)"
done_testing
