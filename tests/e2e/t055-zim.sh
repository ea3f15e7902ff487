#!/bin/bash
# t055-zim.sh: export --format zim. The file passes zimcheck -A (zim-tools),
# and kiwix-serve (kiwix-tools) serves it: the front page, the reference
# entry with its text, its stylesheet, and a search in Chinese. Without the
# tools this FAILS: tools/deps.sh installs them.
. "$(dirname "$0")/lib.sh"

for tool in zimwriterfs:zim-tools zimcheck:zim-tools kiwix-serve:kiwix-tools; do
	if command -v "${tool%%:*}" >/dev/null; then
		ok "${tool%%:*} is installed"
	else
		not_ok "${tool%%:*} is installed (tools/deps.sh installs the Debian package ${tool#*:})"
		done_testing
	fi
done

fz_import
Z=$T/fangzhi.zim
"$FZ" export -a "$A" --format zim --quiet "$Z" 2>"$T/err"
check_eq "export --format zim exits 0" 0 $?
cat "$T/err" | head -5 | sed 's/^/#   /'
check_eq "no working directory is left" "" "$(ls "$T" | grep -E 'fangzhi\.zim\.')"
zimcheck -A "$Z" >"$T/zimcheck" 2>&1
check_eq "zimcheck -A passes (exit 0)" 0 $?
check "and says so" "$(grep -c 'Overall Test Status: Pass' "$T/zimcheck")"
grep -iE 'error|fail' "$T/zimcheck" | head -5 | sed 's/^/#   /'

# kiwix-serve on 127.0.0.1, a free port; XAPIAN_CJK_NGRAM=1 so that its
# search of Chinese works as built (docs/peers.md)
P=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
XAPIAN_CJK_NGRAM=1 kiwix-serve --address=127.0.0.1 --port="$P" "$Z" >"$T/kiwix.log" 2>&1 &
KP=$!
trap 'kill "$KP" 2>/dev/null; fz_stop; rm -rf "$T"' EXIT
K=http://127.0.0.1:$P/fangzhi
for i in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$P/" && break; sleep 0.1; done
kget() { curl -s -o "$T/kbody" -w '%{http_code}' "$@"; }
check_eq "kiwix-serve starts on the file" 200 "$(kget "http://127.0.0.1:$P/")"
check_eq "the book's front page is our home page" 200 "$(kget -L "$K/")"
check "with the site's name" "$(grep -c '山东地方志资料归档' "$T/kbody")"
check_eq "the reference entry (信访工作) is served" 200 "$(kget "$K$REF.html")"
check_eq "with its title" 1 "$(grep -c '<h1>信访工作</h1>' "$T/kbody")"
check "and its text" "$(grep -c '全市社会大局和谐稳定' "$T/kbody")"
check "and its sections" "$(grep -c '<h2 id="案件处理">案件处理</h2>' "$T/kbody")"
css=$(grep -o 'rel="stylesheet" href="[^"]*"' "$T/kbody" | sed 's/.*href="//; s/"$//')
book=$(grep -o 'href="[^"]*book/taian-nianjian-2018.html"' "$T/kbody" | head -1 | sed 's/href="//; s/"$//')
check_eq "its stylesheet, by the page's relative link" 200 "$(kget "$K/entry/taian-nianjian-2018/$css")"
check_eq "its book, by the page's relative link" 200 "$(kget "$K/entry/taian-nianjian-2018/$book")"
check_eq "Kiwix's own search finds it in Chinese" 1 \
	"$(kget "http://127.0.0.1:$P/search?content=fangzhi&pattern=$(urlenc 信访工作)" >/dev/null; grep -c 'entry/taian-nianjian-2018/xinfang-gongzuo.html' "$T/kbody")"
kill "$KP"
wait "$KP" 2>/dev/null

env PATH=/nonexistent "$FZ" export -a "$A" --format zim --quiet "$T/none.zim" 2>"$T/err"
check_eq "without zimwriterfs the export fails (exit 5)" 5 $?
check "and says what to install" "$(grep -c 'zim-tools' "$T/err")"
check_eq "and leaves nothing behind" "" "$(ls "$T" | grep -E '^none\.zim')"
check_eq "the export is in the log" "zim to $Z" \
	"$("$FZ" log -a "$A" --json | jq -r '[.[] | select(.kind == "export")][0].detail' | cut -d: -f1)"
done_testing
