#!/bin/sh
# demo.sh BUILD: imports the sample collection from ../shared/corpus into an
# archive under BUILD, prints its statistics and serves it.
set -e
build=${1:-build}
shared=${SHARED:-$(cd "$(dirname "$0")/../.." && pwd)/shared}
archive=$build/demo-archive
listen=${FZ_LISTEN:-127.0.0.1:8080}
fz=$build/fangzhi

"$fz" import -a "$archive" --kind 旧志 --region 山东省 --region-code 370000 \
	"$shared/corpus/kanripo/KR2k0048" "$shared/corpus/kanripo/KR2k0075"
"$fz" import -a "$archive" "$shared/corpus/yearbook/taian-2018.jsonl"
"$fz" stats -a "$archive"
echo
echo "serving the sample archive at http://$listen/ (Ctrl-C stops it)"
echo "  the reference entry: http://$listen/entry/taian-nianjian-2018/xinfang-gongzuo"
exec "$fz" serve -a "$archive" --listen "$listen"
