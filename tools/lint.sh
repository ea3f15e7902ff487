#!/bin/sh
# lint.sh: the project's own rules (style.md), then cppcheck. Exit 1 on any finding.
cd "$(dirname "$0")/.." || exit 2
bad=0
say() { echo "lint: $*"; bad=1; }

# banned calls
grep -nE '\b(sprintf|strcpy|strcat|atoi|gets)\s*\(' src/*/*.c src/*/*.h && say "banned function (use buf_addf, snprintf, strtol)"
# dependencies point one way: only store/ sees SQLite, only web/ sees libmicrohttpd
grep -ln 'sqlite3.h' src/*/*.[ch] | grep -v '^src/store/' && say "sqlite3.h outside src/store"
grep -ln 'microhttpd.h' src/*/*.[ch] | grep -v '^src/web/' && say "microhttpd.h outside src/web"
grep -ln '"\.\./\(store\|ingest\|web\|cli\)/' src/text/*.[ch] src/base/*.[ch] && say "text/ or base/ reaching up"
# every file opens with a one-line header comment
for f in src/*/*.[ch]; do
	head -1 "$f" | grep -q '^/\* ' || say "$f: no header comment on line 1"
done
# file length
for f in src/*/*.[ch]; do
	n=$(wc -l < "$f")
	[ "$n" -gt 800 ] && say "$f: $n lines (keep files under ~800)"
done
if command -v cppcheck >/dev/null; then
	cppcheck -q --error-exitcode=1 --enable=warning,portability --inline-suppr \
		-Isrc -Ibuild/gen src 2>&1 || bad=1
fi
[ $bad = 0 ] && echo "lint: clean"
exit $bad
