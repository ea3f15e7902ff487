#!/bin/bash
# t150-web-api.sh: /api/search and /api/entry/{id} give exactly what `fangzhi search --json`
# and `fangzhi show --json` print.
. "$(dirname "$0")/lib.sh"

fz_import
fz_start

# same WHAT API_PATH CLI_ARGS...: the API's body equals the command's output.
same() {
	local what=$1 path=$2 cli
	shift 2
	cli=$("$FZ" "$@" 2>&1)
	get "$path"
	check_eq "$what: 200" 200 "$STATUS"
	check_eq "$what: application/json" "application/json; charset=utf-8" "$(header Content-Type)"
	check_eq "$what: the same JSON as the command line" "$cli" "$(cat "$T/body")"
}

same "API search 信访" "/api/search?q=$(urlenc 信访)" search -a "$A" --json 信访
same "API search 之 (many hits, first page)" "/api/search?q=$(urlenc 之)" search -a "$A" --json 之
same "API search 之, page 2" "/api/search?q=$(urlenc 之)&page=2" search -a "$A" --json --offset 20 之
same "API search with a phrase and OR" "/api/search?q=$(urlenc '"信访 工作" OR 卷八')" \
	search -a "$A" --json '"信访 工作" OR 卷八'
same "API search with filters" \
	"/api/search?q=$(urlenc 信访)&kind=$(urlenc 年鉴)&region=370900&year=2000-2020&book=taian-nianjian-2018" \
	search -a "$A" --json --kind 年鉴 --region 370900 --year 2000-2020 --book taian-nianjian-2018 信访
same "API search without hits" "/api/search?q=$(urlenc 没有这样的词)" search -a "$A" --json 没有这样的词
same "API entry (reference)" "/api/entry/taian-nianjian-2018/xinfang-gongzuo" \
	show -a "$A" --json taian-nianjian-2018/xinfang-gongzuo
same "API entry (old book, id with a slash)" "/api/entry/KR2k0048/010-1a" show -a "$A" --json KR2k0048/010-1a
same "API entry, version 1" "/api/entry/KR2k0048/010-1a?v=1" show -a "$A" --json --version 1 KR2k0048/010-1a
get "/api/search?q=$(urlenc 信访)"
check_eq "API search: valid JSON with the hit" "taian-nianjian-2018/xinfang-gongzuo" "$(jq -r '.hits[0].id' "$T/body")"
get "/api/entry/taian-nianjian-2018/xinfang-gongzuo" -H 'Accept-Encoding: gzip'
check_eq "API entry: gzip when asked" "gzip" "$(header Content-Encoding)"
done_testing
