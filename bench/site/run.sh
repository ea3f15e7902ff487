#!/bin/sh
# run.sh BUILD: the site benchmark (`make bench-site`): fangzhi serve, nginx and kiwix-serve
# side by side on 127.0.0.1, measured with wrk in one run.
#
#   nginx        serves the fangzhi entry page and a juan page as static files: the ceiling.
#   kiwix-serve  serves the same pages (every entry, the browser, the book pages, fetched
#                from fangzhi) from a ZIM built with zimwriterfs: the peer a reader would
#                pick instead. XAPIAN_CJK_NGRAM=1 at build and serve time, or its Chinese
#                search finds almost nothing (../shared/docs/peers.md).
#
# Each page kind is measured on each server in turn (a warm-up, then the measurement), once
# without Accept-Encoding (wrk's default) and once with `Accept-Encoding: gzip`. Targets
# (issue 4): entry pages at least half of nginx's static rate; ahead of kiwix-serve on every
# page kind. About 6 minutes with the defaults.
#
# Settings: FZ_BENCH_SECONDS (10, per measurement), FZ_BENCH_WARMUP (2), FZ_BENCH_THREADS (2),
# FZ_BENCH_CONNECTIONS (64), FZ_BENCH_TIMEOUT (10: wrk's default of 2 s would drop kiwix-serve's
# slowest searches from the latencies), FZ_BENCH_ENCODINGS ("identity gzip"), FZ (the fangzhi
# binary; default BUILD/fangzhi, built if missing), FZ_BENCH_LABEL (what the report calls it),
# SHARED (the shared corpus, default ../shared).
# Scratch data goes to BUILD/bench/site/, the archive to BUILD/bench/site-archive; results to
# BUILD/bench/site-results.txt (and a dated copy in BUILD/bench/site/). Every process started
# here is stopped by its process id on the way out, on failure too.
set -eu
build=${1:-build}
shared=${SHARED:-../shared}
secs=${FZ_BENCH_SECONDS:-10}
warm=${FZ_BENCH_WARMUP:-2}
nthreads=${FZ_BENCH_THREADS:-2}
nconns=${FZ_BENCH_CONNECTIONS:-64}
wtimeout=${FZ_BENCH_TIMEOUT:-10}
encodings=${FZ_BENCH_ENCODINGS:-identity gzip}
here=$(cd "$(dirname "$0")" && pwd)
corpus="$shared/corpus/yearbook/taian-2018.jsonl $shared/corpus/kanripo/KR2k0048 $shared/corpus/kanripo/KR2k0075"
REF=/entry/taian-nianjian-2018/xinfang-gongzuo # the reference entry (tests/e2e/lib.sh)
JUAN=/entry/KR2k0048/010-1a                    # 山東通志 卷八, about 65 KB of HTML
BOOK=KR2k0048
Q2=%E4%BF%A1%E8%AE%BF # 信访: one hit, in the reference entry
Q1=%E5%B1%B1          # 山: a hit in nearly every entry
ZIM=fangzhi           # the ZIM's file name, which is kiwix-serve's book name in its URLs

die() {
	echo "run.sh: $*" >&2
	exit 1
}
for tool in wrk nginx kiwix-serve zimwriterfs curl jq gzip python3 timeout; do
	command -v $tool >/dev/null || die "$tool is needed (tools/deps.sh installs it)"
done
for p in $corpus; do
	[ -e "$p" ] || die "$p is missing (set SHARED)"
done
if [ -z "${FZ:-}" ] && [ ! -x "$build/fangzhi" ]; then
	make BUILD="$build" "$build/fangzhi" >&2 || die "could not build $build/fangzhi"
fi
fz=${FZ:-$build/fangzhi}
[ -x "$fz" ] || die "$fz is missing: run make first"

mkdir -p "$build/bench/site"
work=$(cd "$build/bench/site" && pwd) # absolute: nginx and zimwriterfs want that
archive=$(cd "$build/bench" && pwd)/site-archive
results=$(cd "$build/bench" && pwd)/site-results.txt
# A copy of the binary, so that a rebuild during the run cannot change what is measured.
cp "$fz" "$work/fangzhi" && fz=$work/fangzhi

# --- processes: every one started is recorded here and stopped by its id on exit ---
pids=
alive() { # a process that exists and is not a zombie
	st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) && [ "${st%% *}" != Z ]
}
stop_all() {
	rc=$?
	trap - EXIT INT TERM
	for p in $pids; do kill "$p" 2>/dev/null || :; done
	for p in $pids; do
		i=0
		while alive "$p" && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		if alive "$p"; then # nginx's workers go with their master, unless it is killed
			for c in $(ps -o pid= --ppid "$p" 2>/dev/null); do kill -9 "$c" 2>/dev/null || :; done
			kill -9 "$p" 2>/dev/null || :
		fi
		wait "$p" 2>/dev/null || :
	done
	[ $rc = 0 ] || echo "run.sh: failed (exit $rc); logs in $work" >&2
	exit $rc
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() { # a port nothing listens on now (the kernel's choice); checked again after start
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_http() { # URL PID NAME: up to 10 s for URL to answer while PID lives
	i=0
	while ! curl -sf -o /dev/null --max-time 2 "$1"; do
		alive "$2" || die "$3 stopped before it answered (see $work/$3.log)"
		[ $i -lt 100 ] || die "$3 did not answer $1 within 10 s"
		sleep 0.1
		i=$((i + 1))
	done
}

# --- fangzhi: the shared corpus, served from a fresh archive ---
echo "[site] importing the shared corpus into $archive" >&2
rm -rf "$archive"
# shellcheck disable=SC2086
"$fz" import -a "$archive" --quiet $corpus
"$fz" export -a "$archive" --format jsonl --current --quiet "$work/entries.jsonl"
rm -f "$work/fangzhi.port" "$work/fangzhi.pid"
"$fz" serve -a "$archive" --listen 127.0.0.1:0 --port-file "$work/fangzhi.port" \
	--pid-file "$work/fangzhi.pid" --access-log /dev/null >"$work/fangzhi.log" 2>&1 &
fz_pid=$!
pids="$pids $fz_pid"
i=0
until [ -s "$work/fangzhi.port" ]; do
	alive $fz_pid || die "fangzhi serve stopped (see $work/fangzhi.log)"
	[ $i -lt 100 ] || die "fangzhi serve did not start within 10 s"
	sleep 0.1
	i=$((i + 1))
done
fz_url=http://127.0.0.1:$(cat "$work/fangzhi.port")
wait_http "$fz_url/" $fz_pid fangzhi

# --- the pages, fetched from fangzhi as a reader gets them (no Accept-Encoding) ---
pages=$work/pages
rm -rf "$pages" && mkdir -p "$pages"
fetch() { # PATH FILE
	mkdir -p "$(dirname "$pages/$2")"
	curl -sf --max-time 10 -o "$pages/$2" "$fz_url$1" || die "fangzhi: GET $1 failed"
}
fetch / index.html
fetch /browse browse
fetch /about about
fetch /static/style.css static/style.css
for b in $(jq -r '.book.id' "$work/entries.jsonl" | sort -u); do fetch "/book/$b" "book/$b"; done
for e in $(jq -r '.id' "$work/entries.jsonl"); do fetch "/entry/$e" "entry/$e"; done
for p in $REF $JUAN; do
	[ -s "$pages$p" ] || die "$p was not fetched"
done

# --- nginx: the entry page and the juan page as static files (and gzip -9 copies) ---
ng=$work/nginx
rm -rf "$ng" && mkdir -p "$ng/root/entry" "$ng/tmp"
for p in $REF $JUAN; do
	mkdir -p "$(dirname "$ng/root$p")"
	cp "$pages$p" "$ng/root$p"
	gzip -9 -c "$pages$p" >"$ng/root$p.gz"
done
ng_port=$(free_port)
cat >"$ng/nginx.conf" <<EOF
# Written by bench/site/run.sh: a static-file ceiling on 127.0.0.1 only.
daemon off;
master_process on;
worker_processes 2;
pid $ng/nginx.pid;
error_log $ng/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	types { }
	default_type "text/html; charset=utf-8";
	gzip_static on;
	client_body_temp_path $ng/tmp/body;
	proxy_temp_path $ng/tmp/proxy;
	fastcgi_temp_path $ng/tmp/fastcgi;
	uwsgi_temp_path $ng/tmp/uwsgi;
	scgi_temp_path $ng/tmp/scgi;
	server {
		listen 127.0.0.1:$ng_port;
		root $ng/root;
	}
}
EOF
nginx -p "$ng/" -c "$ng/nginx.conf" -e "$ng/error.log" >"$work/nginx.log" 2>&1 &
ng_pid=$!
pids="$pids $ng_pid"
ng_url=http://127.0.0.1:$ng_port
wait_http "$ng_url$REF" $ng_pid nginx

# --- kiwix-serve: a ZIM of the same pages, links made relative so that they work in it ---
zsrc=$work/zim-src
rm -rf "$zsrc" && cp -R "$pages" "$zsrc"
(cd "$zsrc" && find . -type f ! -name '*.css') | while read -r f; do
	f=${f#./}
	depth=$(printf '%s' "$f" | tr -cd / | wc -c)
	up=
	while [ "$depth" -gt 0 ]; do up="$up../" && depth=$((depth - 1)); done
	sed -i -e "s#\\(href\\|src\\|action\\)=\"/\"#\\1=\"${up}index.html\"#g" \
		-e "s#\\(href\\|src\\|action\\)=\"/#\\1=\"${up}#g" "$zsrc/$f"
done
# A 48x48 PNG illustration, as zimwriterfs requires (one colour).
echo 'iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAIAAADYYG7QAAAAOUlEQVR42u3OMQ0AAAgDsOmYZUzjgnA0qYBm2lciJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJHRnARXvt1vNlw/bAAAAAElFTkSuQmCC' |
	base64 -d >"$zsrc/illustration.png"
rm -f "$work/$ZIM.zim"
echo "[site] building $ZIM.zim with zimwriterfs" >&2
XAPIAN_CJK_NGRAM=1 timeout 600 zimwriterfs -w index.html -I illustration.png -l zho \
	-t 山东地情档案 -d "山东地方志资料归档: the fangzhi sample archive" -c 山东地方志资料归档 \
	-p fangzhi -n fangzhi_zho_all -e "$fz_url/" "$zsrc" "$work/$ZIM.zim" >"$work/zimwriterfs.log" 2>&1 ||
	die "zimwriterfs failed (see $work/zimwriterfs.log)"
kw_port=$(free_port)
XAPIAN_CJK_NGRAM=1 kiwix-serve -i 127.0.0.1 -p "$kw_port" "$work/$ZIM.zim" >"$work/kiwix.log" 2>&1 &
kw_pid=$!
pids="$pids $kw_pid"
kw_url=http://127.0.0.1:$kw_port
wait_http "$kw_url/$ZIM$REF" $kw_pid kiwix

# --- what is measured: page kind, server, URL (one a line). kiwix-serve's search pages hold
# 20 hits, as fangzhi's do (its default is 25). ---
cat >"$work/targets.txt" <<EOF
entry fangzhi $fz_url$REF
entry nginx $ng_url$REF
entry kiwix $kw_url/$ZIM$REF
juan fangzhi $fz_url$JUAN
juan nginx $ng_url$JUAN
juan kiwix $kw_url/$ZIM$JUAN
browse fangzhi $fz_url/browse
browse kiwix $kw_url/$ZIM/browse
book fangzhi $fz_url/book/$BOOK
book kiwix $kw_url/$ZIM/book/$BOOK
search-2 fangzhi $fz_url/search?q=$Q2
search-2 kiwix $kw_url/search?content=$ZIM&pattern=$Q2&pageLength=20
search-1 fangzhi $fz_url/search?q=$Q1
search-1 kiwix $kw_url/search?content=$ZIM&pattern=$Q1&pageLength=20
EOF

# Every URL answers 200, and both search pages find the reference entry for 信访.
while read -r kind server url; do
	code=$(curl -s -o "$work/probe.html" -w '%{http_code}' --max-time 30 "$url")
	[ "$code" = 200 ] || die "$server: $url answered $code"
	if [ "$kind" = search-2 ]; then
		grep -q "xinfang-gongzuo" "$work/probe.html" || die "$server: $url does not find the reference entry"
	fi
done <"$work/targets.txt"

# --- measurements ---
raw=$work/raw.tsv
: >"$raw"
load0=$(cut -d' ' -f1-3 /proc/loadavg)
for enc in $encodings; do
	case $enc in
	identity) set -- ;;
	gzip) set -- -H 'Accept-Encoding: gzip' ;;
	*) die "FZ_BENCH_ENCODINGS: identity or gzip, not $enc" ;;
	esac
	while read -r kind server url; do
		echo "[site] $enc $kind $server" >&2
		timeout -k 5 $((warm + wtimeout + 30)) wrk -t"$nthreads" -c"$nconns" -d"${warm}s" \
			--timeout "${wtimeout}s" "$@" "$url" </dev/null >/dev/null 2>&1 || :
		out=$(timeout -k 5 $((secs + wtimeout + 30)) wrk -t"$nthreads" -c"$nconns" -d"${secs}s" \
			--timeout "${wtimeout}s" --latency -s "$here/wrk.lua" "$@" "$url" </dev/null 2>&1) || :
		line=$(printf '%s\n' "$out" | sed -n 's/^WRK //p')
		[ -n "$line" ] || {
			printf '%s\n' "$out" >&2
			die "wrk gave no result for $url"
		}
		printf '%s\t%s\t%s\t%s\n' "$enc" "$kind" "$server" "$line" >>"$raw"
	done <"$work/targets.txt"
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the report ---
if [ -n "${FZ_BENCH_LABEL:-}" ]; then
	rev=$FZ_BENCH_LABEL
elif [ -n "${FZ:-}" ]; then
	rev=$FZ
else
	rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
	[ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] || rev="$rev (working tree modified)"
fi
{
	echo "# Site benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $load0 before, $load1 after"
	echo "# fangzhi $rev (serve, default threads, page cache, --access-log /dev/null);" \
		"$(nginx -v 2>&1 | sed 's/^nginx version: //') (2 workers, sendfile, no access log, gzip_static);" \
		"kiwix-serve $(kiwix-serve --version 2>&1 | sed -n 's/^kiwix-tools //p' | head -1)" \
		"($(stat -c %s "$work/$ZIM.zim") byte ZIM, zimwriterfs, XAPIAN_CJK_NGRAM=1)"
	echo "# wrk -t$nthreads -c$nconns -d${secs}s --timeout ${wtimeout}s --latency after a ${warm}s warm-up, each server on 127.0.0.1;" \
		"client and servers share the machine"
	echo "# entry = $REF, juan = $JUAN, browse = /browse, book = /book/$BOOK,"
	echo "# search-2 = 信访 (1 hit; kiwix-serve 3, its ZIM holding the book and about pages too),"
	echo "# search-1 = 山 (a page of 20 hits on both); bytes = read per response, headers included"
	awk -F'\t' -v encs="$encodings" '
	{
		split($4, f, " ")
		k = $1 SUBSEP $2 SUBSEP $3
		rps[k] = f[1] / (f[2] / 1e6); p50[k] = f[4] / 1000; p99[k] = f[5] / 1000
		by[k] = f[1] ? f[3] / f[1] : 0; err[k] = f[6] "/" f[7]
		if (!(($2) in seen)) { seen[$2] = 1; kinds[++nk] = $2 }
	}
	END {
		ne = split(encs, E, " ")
		split("fangzhi nginx kiwix", S, " ")
		for (e = 1; e <= ne; e++) {
			enc = E[e]
			printf "\n## %s\n", enc == "gzip" ? "Accept-Encoding: gzip" : "no Accept-Encoding (wrk default)"
			printf "%-9s %-8s %9s %8s %8s %8s %9s\n", "page", "server", "req/s", "p50 ms", "p99 ms", "bytes", "err/non2xx"
			for (i = 1; i <= nk; i++)
				for (s = 1; s <= 3; s++) {
					k = enc SUBSEP kinds[i] SUBSEP S[s]
					if (!(k in rps)) continue
					printf "%-9s %-8s %9.0f %8.2f %8.2f %8.0f %9s\n", kinds[i], S[s], rps[k], p50[k], p99[k], by[k], err[k]
				}
			printf "\n%-9s %10s %10s %s\n", "page", "fz/nginx", "fz/kiwix", "target"
			for (i = 1; i <= nk; i++) {
				fk = enc SUBSEP kinds[i] SUBSEP "fangzhi"
				nk_ = enc SUBSEP kinds[i] SUBSEP "nginx"
				kk = enc SUBSEP kinds[i] SUBSEP "kiwix"
				# A server that answered nothing within the run has no ratio.
				rn = (nk_ in rps) ? (rps[nk_] > 0 ? sprintf("%.2f", rps[fk] / rps[nk_]) : "none") : "-"
				rk = (kk in rps) ? (rps[kk] > 0 ? sprintf("%.1f", rps[fk] / rps[kk]) : "none") : "-"
				t = ""
				if (nk_ in rps) t = t (rps[fk] >= 0.5 * rps[nk_] ? "nginx/2 met" : "nginx/2 NOT met")
				if (kk in rps) t = t (t != "" ? ", " : "") (rps[fk] > rps[kk] ? "ahead of kiwix" : "NOT ahead of kiwix")
				printf "%-9s %10s %10s %s\n", kinds[i], rn, rk, t
			}
		}
	}' "$raw"
} >"$results"
cp "$results" "$work/results-$(date -u +%Y%m%d-%H%M%S).txt"
cat "$results"
echo "results: $results" >&2
