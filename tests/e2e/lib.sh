# lib.sh: for the web tests (t1*): an archive of the shared corpus, a server on a
# free port, and HTTP helpers. Assertions come from assert.sh ("ok - what").
. "$(dirname "${BASH_SOURCE[0]}")/assert.sh"
: "${FZ:?FZ must name the fangzhi binary (tests/run-e2e.sh sets it)}"
: "${SHARED:?SHARED must name ../shared}"

T=$(mktemp -d /tmp/fz-web-XXXXXX)
A=$T/archive
PORT= BASE= STATUS=
trap 'fz_stop; rm -rf "$T"' EXIT

# fz_import [FILE...]: the shared corpus (and FILEs) into $A.
fz_import() {
	"$FZ" import -a "$A" "$SHARED/corpus/yearbook/taian-2018.jsonl" \
		"$SHARED/corpus/kanripo/KR2k0048" "$SHARED/corpus/kanripo/KR2k0075" "$@" \
		>"$T/import.log" 2>&1 || { cat "$T/import.log"; not_ok "import the corpus"; }
}

# fz_start [OPTION...]: serves $A on 127.0.0.1, any free port; sets PORT and BASE.
fz_start() {
	rm -f "$T/port" "$T/pid"
	"$FZ" serve -a "$A" --listen 127.0.0.1:0 --port-file "$T/port" --pid-file "$T/pid" \
		--access-log "$T/access.log" "$@" >"$T/serve.out" 2>&1 &
	local i
	for i in $(seq 100); do
		[ -s "$T/port" ] && break
		sleep 0.1
	done
	PORT=$(cat "$T/port" 2>/dev/null)
	BASE=http://127.0.0.1:$PORT
	[ -n "$PORT" ] || { cat "$T/serve.out"; not_ok "server started"; done_testing; }
}

# fz_stop: stops the server by its process id and waits for it to go.
fz_stop() {
	local pid i
	[ -s "$T/pid" ] || return 0
	pid=$(cat "$T/pid")
	kill "$pid" 2>/dev/null
	for i in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	rm -f "$T/pid"
}

# get PATH [CURL OPTION...]: body in $T/body, headers in $T/headers, status in STATUS.
get() {
	local path=$1
	shift
	: >"$T/body" # curl leaves the file alone when there is no body (304)
	STATUS=$(curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' "$@" "$BASE$path")
}

# header NAME: a header of the last response (value only).
header() {
	grep -i "^$1:" "$T/headers" | head -1 | cut -d' ' -f2- | tr -d '\r'
}

# has TEXT: 1 when the last body contains TEXT (fixed string), else 0.
has() {
	if grep -qF -- "$1" "$T/body"; then echo 1; else echo 0; fi
}

# count TEXT: how many times TEXT occurs in the last body.
count() {
	grep -oF -- "$1" "$T/body" | wc -l | tr -d ' '
}

# tidy_ok WHAT: the last body passes `tidy -errors -q` without a message.
tidy_ok() {
	local out
	out=$(tidy -errors -q "$T/body" 2>&1)
	check_eq "$1 passes tidy" "" "$out"
}

# links: every href of the last body, one a line, entities undone.
links() {
	grep -o 'href="[^"]*"' "$T/body" | sed 's/^href="//; s/"$//; s/&amp;/\&/g'
}

# urlenc TEXT: percent-encoded UTF-8, for query values.
urlenc() {
	local LC_ALL=C s=$1 out= i c
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case "$c" in
		[A-Za-z0-9._~-]) out+=$c ;;
		*) out+=$(printf '%%%02X' "'$c") ;;
		esac
	done
	echo "$out"
}

REF=/entry/taian-nianjian-2018/xinfang-gongzuo
