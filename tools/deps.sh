#!/bin/sh
# deps.sh [bench]: installs the Debian packages fangzhi needs to build, test
# and serve, when any is missing; with "bench", also what the benchmarks
# run beside it (wrk, nginx, hyperfine). Run as root on Debian 12 (make
# does this).
set -e
pkgs="build-essential pkg-config libsqlite3-dev libmicrohttpd-dev libopencc-dev libopencc-data
libutf8proc-dev libjansson-dev libssl-dev zlib1g-dev libzstd-dev libxml2-dev libcmocka-dev
curl sqlite3 ripgrep tidy jq
chromium fonts-noto-cjk python3
kiwix-tools zim-tools"
[ "${1:-}" = bench ] && pkgs="$pkgs wrk nginx hyperfine"
# zim-tools (zimwriterfs) builds export --format zim; t055 checks its files with
# zimcheck (zim-tools) and kiwix-serve (kiwix-tools). t053 and t060 read WARCs
# with warcio (npm): node and npm, whichever
# way they came (a node build that brings its own npm is left alone)
command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs"
command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm"
[ -n "$FZ_DEPS_EXTRA" ] && pkgs="$pkgs $FZ_DEPS_EXTRA"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps: these Debian packages are missing:$missing; run as root or install them" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Packages with a service (nginx) must not start it: the benchmarks run
# their own copy on 127.0.0.1, and nothing else should listen.
norc=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
	chmod +x /usr/sbin/policy-rc.d
	norc=1
fi
apt-get install -y -qq --no-install-recommends $missing >/dev/null || { [ -n "$norc" ] && rm -f /usr/sbin/policy-rc.d; exit 1; }
[ -n "$norc" ] && rm -f /usr/sbin/policy-rc.d
exit 0
