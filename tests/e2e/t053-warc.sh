#!/bin/bash
# t053-warc.sh: export --format warc. Read by an independent reader
# (webrecorder's warcio, npm): `warcio index` lists one response and one
# metadata record per entry at BASE/entry/ID; every digest recomputed holds
# (warc-check.mjs, what Python warcio's `check` does); each record is its own
# gzip member; the response is the page the server gives, byte for byte;
# the metadata record carries the entry's provenance.
. "$(dirname "$0")/lib.sh"

fz_import
q() { sqlite3 -separator $'\t' "$A/archive.sqlite" "$1"; }
W=$T/site.warc.gz
WEB=http://archive.example.org

"$FZ" export -a "$A" --format warc --base-url "$WEB/" --quiet "$W" 2>"$T/err"
check_eq "export --format warc exits 0" 0 $?
check_eq "and says nothing with --quiet" "" "$(cat "$T/err")"
check_eq "no half-written file is left beside it" "no" "$([ -e "$W.part" ] && echo yes || echo no)"
n=$(q "SELECT count(*) FROM entry")

# --- warcio, as installed for t060 (npm, into the build directory) ---
WARCIO="$FZ_BUILD/npm/node_modules/warcio"
if [ ! -f "$WARCIO/package.json" ]; then
	npm install --prefix "$FZ_BUILD/npm" --no-audit --no-fund warcio >"$T/npm" 2>&1 || cat "$T/npm"
fi
check_eq "warcio is installed (npm; tools/deps.sh brings node and npm)" yes \
	"$([ -f "$WARCIO/dist/cli.js" ] && command -v node >/dev/null && echo yes || echo no)"
node "$WARCIO/dist/cli.js" index "$W" >"$T/index" 2>"$T/ierr"
check_eq "warcio index reads the file (exit 0)" 0 $?
check_eq "it finds a warcinfo record, then a response and a metadata record per entry" \
	"warcinfo $(for i in $(seq "$n"); do printf 'response metadata '; done)" \
	"$(jq -r '.["warc-type"]' "$T/index" | tr '\n' ' ')"
check_eq "the responses are the entries, each at BASE/entry/ID" \
	"$(q "SELECT '$WEB/entry/' || id FROM entry" | sort)" \
	"$(jq -r 'select(.["warc-type"] == "response") | .["warc-target-uri"]' "$T/index" | sort)"
check_eq "each metadata record is at its response's URI" \
	"$(jq -r 'select(.["warc-type"] == "response") | .["warc-target-uri"]' "$T/index")" \
	"$(jq -r 'select(.["warc-type"] == "metadata") | .["warc-target-uri"]' "$T/index")"
node "$WARCIO/dist/cli.js" cdx-index "$W" >"$T/cdx" 2>/dev/null
check_eq "warcio cdx-index: every response is a 200 text/html page" "$n" \
	"$(grep -c '"mime":"text/html","status":"200"' "$T/cdx")"

WARCIO=$WARCIO node "$FZ_ROOT/tests/e2e/warc-check.mjs" "$W" >"$T/check" 2>"$T/cerr"
check_eq "every digest recomputed holds, every metadata record refers to its response (exit 0)" 0 $?
check_eq "records checked: warcinfo, and two per entry" $((2 * n + 1)) "$(grep -vcP '^meta\t' "$T/check")"
check_eq "block digests checked" $((2 * n + 1)) "$(awk -F'\t' '$1 != "meta" && $3 == "ok"' "$T/check" | wc -l)"
check_eq "payload digests checked" "$n" "$(awk -F'\t' '$1 == "response" && $4 == "ok"' "$T/check" | wc -l)"

# gzip per record (WARC 1.1, annex D): as many gzip members as records, each
# starting where warcio says the record starts
members=$(python3 - "$W" <<'EOF'
import sys, zlib
data = open(sys.argv[1], "rb").read()
offsets, pos = [], 0
while pos < len(data):
    d = zlib.decompressobj(31)
    d.decompress(data[pos:])
    if not d.eof:
        break
    offsets.append(pos)
    pos = len(data) - len(d.unused_data)
print(" ".join(map(str, offsets)))
EOF
)
check_eq "one gzip member per record, at warcio's offsets" "$(jq -r .offset "$T/index" | tr '\n' ' ' | sed 's/ $//')" "$members"

# --- the response is the page as served ---
ref_off=$(jq -r "select(.[\"warc-type\"] == \"response\" and .[\"warc-target-uri\"] == \"$WEB$REF\") | .offset" "$T/index")
python3 - "$W" "$ref_off" "$T" <<'EOF'
import sys, zlib
f = open(sys.argv[1], "rb"); f.seek(int(sys.argv[2]))
rec = zlib.decompressobj(31).decompress(f.read())
head, _, rest = rec.partition(b"\r\n\r\n")
length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")][0].split(b":")[1])
block = rest[:length]
http_head, _, body = block.partition(b"\r\n\r\n")
open(sys.argv[3] + "/warc-head", "wb").write(http_head)
open(sys.argv[3] + "/warc-body", "wb").write(body)
EOF
fz_start
get "$REF"
check_eq "the server answers the reference entry" 200 "$STATUS"
check_eq "the recorded body is the page the server sends, byte for byte" \
	"$(sha256sum <"$T/body")" "$(sha256sum <"$T/warc-body")"
check_eq "with the status line of HTTP/1.1" "HTTP/1.1 200 OK" "$(head -1 "$T/warc-head" | tr -d '\r')"
for h in Content-Type ETag Cache-Control Content-Security-Policy Last-Modified; do
	check_eq "and the server's $h" "$(header "$h")" \
		"$(grep -i "^$h:" "$T/warc-head" | head -1 | cut -d' ' -f2- | tr -d '\r')"
done
check_eq "and its Content-Length" "$(wc -c <"$T/body")" \
	"$(grep -i '^Content-Length:' "$T/warc-head" | cut -d' ' -f2 | tr -d '\r')"
check "the page is the entry's (its title)" "$(grep -c '<h1>信访工作</h1>' "$T/warc-body")"
fz_stop

# --- the provenance beside it ---
meta=$(awk -F'\t' -v u="$WEB$REF" '$1 == "meta" && $2 == u {print $3}' "$T/check")
row=$(q "SELECT source_file, source_line, sha256, content_sha256, n, imported_at FROM version v JOIN entry e ON e.current = v.id WHERE e.id = 'taian-nianjian-2018/xinfang-gongzuo'")
check_eq "metadata: the source file and line, the imported bytes' SHA-256, the content digest, the version, the import time" \
	"$row" "$(jq -r '[.source.file, .source.line, .source.imported_sha256, .source.content_sha256, .source.version, .source.imported_at] | @tsv' <<<"$meta")"
check_eq "metadata: the archive's fingerprint" "$("$FZ" stats -a "$A" --json | jq -r .fingerprint)" \
	"$(jq -r .archive_fingerprint <<<"$meta")"
kr=$(awk -F'\t' -v u="$WEB/entry/KR2k0048/010-1a" '$1 == "meta" && $2 == u {print $3}' "$T/check")
check_eq "metadata: a Kanseki Repository entry names its source page" "010-1a" "$(jq -r .source.page <<<"$kr")"
check_eq "the warcinfo record names the archive's fingerprint" 1 \
	"$(zcat "$W" | head -20 | grep -c "^fangzhi-fingerprint: $("$FZ" stats -a "$A" --json | jq -r .fingerprint)")"

# --- the base URL, and the log ---
"$FZ" export -a "$A" --format warc --quiet "$T/d.warc.gz"
check_eq "without --base-url the pages are at http://127.0.0.1:8080" "http://127.0.0.1:8080$REF" \
	"$(zcat "$T/d.warc.gz" | grep -a -m1 '^WARC-Target-URI:' | cut -d' ' -f2 | tr -d '\r')"
printf 'base_url: https://fz.example.net\n' >"$T/site.txt"
"$FZ" export -a "$A" --format warc --site "$T/site.txt" --quiet "$T/s.warc.gz"
check_eq "or at the site file's base_url" "https://fz.example.net$REF" \
	"$(zcat "$T/s.warc.gz" | grep -a -m1 '^WARC-Target-URI:' | cut -d' ' -f2 | tr -d '\r')"
"$FZ" export -a "$A" --format warc --base-url 'ftp://x' --quiet "$T/x.warc.gz" 2>"$T/err"
check_eq "a base URL that is not http(s) is refused (exit 3)" 3 $?
check "and the message names it" "$(grep -c 'base-url ftp://x' "$T/err")"
check_eq "the export is in the log" "warc to $W: $n entries" \
	"$("$FZ" log -a "$A" --json | jq -r '[.[] | select(.kind == "export")][0].detail' | cut -d, -f1)"
done_testing
