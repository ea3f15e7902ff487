#!/bin/sh
# run.sh BUILD: the search benchmark (`make bench`): fangzhi, SQLite FTS5 trigram and rg side by side.
#
#   make bench                      the shared corpus (about 6 MB), under a minute
#   FZ_BENCH_SCALE=1g make bench    a 1 GB corpus made from it (about 13 minutes on 2 cores,
#                                   10 GB of disk; run it with nohup in the background)
#
# Other settings: FZ_BENCH_QUERIES (query count), FZ_BENCH_LIKE_MAX (how many queries the
# trigram table may answer by a LIKE scan, which reads every text), FZ_BENCH_SEED,
# FZ_BENCH_REUSE=1 (keep the archives and files built by the last run: queries only),
# FZ (the fangzhi binary), SHARED (the shared corpus, default ../shared).
# Scratch data goes to BUILD/bench/; results to BUILD/bench/search-results.txt.
set -eu
build=${1:-build}
scale=${FZ_BENCH_SCALE:-small}
shared=${SHARED:-../shared}
fz=${FZ:-$build/fangzhi}
work=$build/bench
corpus="$shared/corpus/kanripo/KR2k0048 $shared/corpus/kanripo/KR2k0075 $shared/corpus/yearbook/taian-2018.jsonl"

for tool in rg pkg-config; do
	command -v $tool >/dev/null || { echo "run.sh: $tool is needed (tools/deps.sh)" >&2; exit 1; }
done
[ -x "$fz" ] || { echo "run.sh: $fz is missing: run make first" >&2; exit 1; }
for p in $corpus; do
	[ -e "$p" ] || { echo "run.sh: $p is missing (set SHARED)" >&2; exit 1; }
done
mkdir -p "$work"
# A copy of the binary, so that a rebuild during a long run cannot change what is measured.
cp "$fz" "$work/fangzhi.bench" && fz=$work/fangzhi.bench

# The drivers link the library and SQLite directly (same flags as the Makefile).
pkgs="sqlite3 libmicrohttpd opencc jansson libutf8proc libcrypto zlib libzstd libxml-2.0"
for prog in bench_search gen_corpus; do
	if [ ! -x "$work/$prog" ] || [ "bench/search/$prog.c" -nt "$work/$prog" ] ||
	   [ "$build/libfangzhi.a" -nt "$work/$prog" ]; then
		# shellcheck disable=SC2046
		${CC:-cc} -O2 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wpedantic -Wshadow \
			-Wformat=2 -Wno-unused-parameter -Isrc -I"$build/gen" \
			$(pkg-config --cflags $pkgs) -o "$work/$prog" "bench/search/$prog.c" \
			"$build/libfangzhi.a" $(pkg-config --libs $pkgs) -lpthread -lm
	fi
done
driver=$work/bench_search
reuse=
[ "${FZ_BENCH_REUSE:-0}" = 1 ] && reuse=--reuse

case $scale in
small)
	# shellcheck disable=SC2086
	"$driver" run --label "shared corpus" --fz "$fz" --archive "$work/small/archive" \
		--work "$work/small" --out "$work/search-results-small.txt" \
		--queries "${FZ_BENCH_QUERIES:-250}" --seed "${FZ_BENCH_SEED:-1}" $reuse $corpus
	;;
1g)
	# The 1 GB corpus is made from the shared one as imported (seconds, then a minute).
	if [ -z "$reuse" ] || [ ! -s "$work/1g/corpus.jsonl" ]; then
		rm -rf "$work/small/archive" && mkdir -p "$work/small" "$work/1g"
		# shellcheck disable=SC2086
		"$fz" import -a "$work/small/archive" --quiet $corpus
		echo "[1 GB] writing the scaled corpus ..." >&2
		"$work/gen_corpus" "$work/small/archive" "$work/1g/corpus.jsonl" 1074
	fi
	"$driver" run --label "1 GB corpus" --fz "$fz" --archive "$work/1g/archive" \
		--work "$work/1g" --out "$work/search-results-1g.txt" \
		--queries "${FZ_BENCH_QUERIES:-150}" --like-max "${FZ_BENCH_LIKE_MAX:-20}" \
		--seed "${FZ_BENCH_SEED:-1}" $reuse "$work/1g/corpus.jsonl"
	;;
*)
	echo "run.sh: FZ_BENCH_SCALE is small or 1g, not $scale" >&2
	exit 2
	;;
esac
cat "$work"/search-results-*.txt > "$work/search-results.txt"
echo "results: $work/search-results.txt" >&2
