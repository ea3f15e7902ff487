#!/bin/bash
# t140-web-browse.sh: a reader follows links from / down to the reference entry, both ways
# the browser offers (by region, by kind), and every page on the way has a breadcrumb.
. "$(dirname "$0")/lib.sh"

fz_import
fz_start

# follow TEXT: from the last page, follow the link whose text is TEXT.
follow() {
	local href
	href=$(grep -o "<a [^>]*href=\"[^\"]*\"[^>]*>$1</a>" "$T/body" | head -1 |
		sed 's/.*href="//; s/".*//; s/&amp;/\&/g')
	if [ -z "$href" ]; then
		not_ok "a link \"$1\" on $CUR"
		return 1
	fi
	CUR=$href
	get "$href"
	check_eq "follow \"$1\" to $href: 200" 200 "$STATUS"
	check_eq "$href has a breadcrumb" 1 "$(has '<nav class="crumbs" aria-label="位置">')"
}

CUR=/
get /
follow 山东省 && follow 泰安市 && follow '泰安年鉴（2018）' && follow 信访工作
check_eq "by region, / → 山东省 → 泰安市 → 泰安年鉴 → the reference entry" "$REF" "$CUR"
check_eq "the entry reached is the reference entry" 1 "$(has '<h1>信访工作</h1>')"

CUR=/
get /
follow 档案浏览器 && follow 年鉴 && follow '泰安年鉴（2018）' && follow 信访工作
check_eq "by kind, / → 档案浏览器 → 年鉴 → 泰安年鉴 → the reference entry" "$REF" "$CUR"

# and back up through the entry's breadcrumb
follow '泰安年鉴（2018）'
check_eq "the entry's breadcrumb leads back to its book" /book/taian-nianjian-2018 "$CUR"
follow 年鉴
follow 档案浏览器
check_eq "and up to the browser" /browse "$CUR"

# an old book: 旧志 → 山東通志 → 卷八, then page to page with the neighbours
CUR=/browse
get /browse
follow 旧志 && follow '山東通志（四庫全書・文淵閣）' && follow '山東通志 卷八'
check_eq "by kind to an old book's juan" /entry/KR2k0048/010-1a "$CUR"
follow '下一条 →'
check_eq "the next entry" /entry/KR2k0048/011-1a "$CUR"
follow '← 上一条'
check_eq "and back" /entry/KR2k0048/010-1a "$CUR"

# every link on the pages met resolves (no 404 from our own links)
bad=0
for page in / /browse "$REF" /book/KR2k0048 /entry/KR2k0048/010-1a /about "/search?q=$(urlenc 信访)"; do
	get "$page"
	while IFS= read -r href; do
		case "$href" in /*) ;; *) continue ;; esac
		code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE$href")
		[ "$code" = 200 ] || { bad=$((bad + 1)); echo "# $page links $href: $code"; }
	done < <(links | sed 's/#.*//' | sort -u)
done
check_eq "every link on the pages visited answers 200" 0 "$bad"
done_testing
