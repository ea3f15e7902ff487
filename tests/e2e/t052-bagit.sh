#!/bin/bash
# t052-bagit.sh: BagIt bags (RFC 8493). Ours validate and carry the collection;
# verify-bag finds what is wrong in hand-made bad bags and accepts others' good ones.
. "$(dirname "$0")/assert.sh"

T=$(mktemp -d /tmp/fz-t052-XXXXXX)
trap 'rm -rf "$T"' EXIT
A=$T/archive
YB=$SHARED/corpus/yearbook/taian-2018.jsonl
K75=$SHARED/corpus/kanripo/KR2k0075

"$FZ" import -a "$A" --quiet "$YB" "$K75"
fp=$("$FZ" stats -a "$A" --json | jq -r .fingerprint)
n=$("$FZ" stats -a "$A" --json | jq .versions)
B=$T/bag
"$FZ" export -a "$A" --format bagit --quiet "$B"
check_eq "export --format bagit exits 0" 0 $?
for f in bagit.txt bag-info.txt manifest-sha256.txt tagmanifest-sha256.txt data/entries.jsonl data/sources.tsv; do
	check_eq "the bag has $f" yes "$([ -f "$B/$f" ] && echo yes || echo no)"
done
check_eq "bagit.txt declares version 1.0" "BagIt-Version: 1.0" "$(head -1 "$B/bagit.txt")"
check_eq "bag-info.txt carries the archive's fingerprint" "Fangzhi-Fingerprint: $fp" "$(grep Fingerprint "$B/bag-info.txt")"
check_eq "and the counts" "Fangzhi-Versions: $n" "$(grep Fangzhi-Versions "$B/bag-info.txt")"
check "and the date" "$(grep -c "^Bagging-Date: $(date -u +%Y-%m-%d)" "$B/bag-info.txt")"
oxum="$(cat "$B"/data/entries.jsonl "$B"/data/sources.tsv "$B"/data/sources/*/* | wc -c).$(find "$B/data" -type f | wc -l)"
check_eq "Payload-Oxum counts the payload" "Payload-Oxum: $oxum" "$(grep Payload-Oxum "$B/bag-info.txt")"
check_eq "one source file per version, named by its SHA-256" "$n 0" \
	"$(find "$B/data/sources" -type f | wc -l) $(for f in "$B"/data/sources/*/*; do [ "$(sha256sum < "$f" | cut -c1-64)" = "$(basename "$f")" ] || echo bad; done | wc -l)"
check_eq "sha256sum agrees with the payload manifest" 0 \
	"$(cd "$B" && sha256sum --quiet -c manifest-sha256.txt >/dev/null 2>&1; echo $?)"
check_eq "and with the tag manifest" 0 "$(cd "$B" && sha256sum --quiet -c tagmanifest-sha256.txt >/dev/null 2>&1; echo $?)"
out=$("$FZ" verify-bag "$B")
check_eq "verify-bag: our bag is valid (exit 0)" 0 $?
check "says so" "$(echo "$out" | grep -c "^valid: BagIt 1.0, $((n + 2)) payload files")"
"$FZ" import -a "$T/r" --quiet "$B/data/entries.jsonl"
check_eq "the bag's JSON Lines import back to the same fingerprint" "$fp" \
	"$("$FZ" stats -a "$T/r" --json | jq -r .fingerprint)"
check_eq "sources.tsv names version, entry and file" "1 $YB 1" \
	"$(awk -F'\t' '$3 == "taian-nianjian-2018/xinfang-gongzuo" {print $4, $5, $6}' "$B/data/sources.tsv")"
"$FZ" export -a "$A" --format bagit --quiet "$B" 2>/dev/null
check_eq "exporting over an existing directory is refused (exit 3)" 3 $?
check_eq "the export is in the log" "bagit" \
	"$("$FZ" log -a "$A" --json | jq -r '[.[] | select(.kind == "export")][0].detail' | cut -c1-5)"

# bad BAGNAME WHAT EXPECTED-MESSAGE: a copy of the bag, broken by the commands
# that follow on stdin, must be found invalid with a message naming the file.
bad() {
	rm -rf "$T/x"; cp -r "$B" "$T/x"
	(cd "$T/x" && bash)
	out=$("$FZ" verify-bag --quiet "$T/x"); rc=$?
	check_eq "$1: exit 1" 1 $rc
	check "$1: $2" "$(echo "$out" | grep -c -- "$2")"
}
src=$(cd "$B" && ls data/sources/*/* | head -1)
bad "a missing payload file" "^INVALID $src: listed in manifest-sha256.txt but missing" <<<"rm $src"
bad "a wrong digest" "^INVALID data/entries.jsonl: the digest (sha256) is not the one" <<<"sed -i 's/信访/信仿/' data/entries.jsonl"
bad "an extra payload file" "^INVALID data/extra.txt: is in the payload but not in manifest-sha256.txt" <<<"echo x > data/extra.txt"
bad "a wrong Payload-Oxum" "Payload-Oxum" <<<"echo x > data/extra.txt"
bad "no bag declaration" "^INVALID bagit.txt: the bag declaration is missing" <<<"rm bagit.txt"
bad "a bad bag declaration" "^INVALID bagit.txt: is not a bag declaration" <<<"echo 'BagIt-Version 1.0' > bagit.txt"
bad "no payload manifest" "has no payload manifest" <<<"rm manifest-sha256.txt"
bad "an edited tag file" "^INVALID bag-info.txt: the digest (sha256) is not the one tagmanifest-sha256.txt gives" \
	<<<"echo 'Contact-Name: x' >> bag-info.txt"
bad "a manifest path outside the bag" "names a path outside the bag" \
	<<<"echo '0000  ../../etc/passwd' >> manifest-sha256.txt"
bad "no payload directory" "the payload directory is missing" <<<"rm -r data"
bad "a file listed twice" "lists it twice" <<<"tail -1 manifest-sha256.txt >> manifest-sha256.txt"

# Someone else's bags: other algorithms, several manifests, CRLF, encoded names.
O=$T/other
mkdir -p "$O/data/sub dir"
printf 'hello\n' > "$O/data/a.txt"
printf 'world' > "$O/data/sub dir/b 100%.txt"
printf 'BagIt-Version: 0.97\r\nTag-File-Character-Encoding: UTF-8\r\n' > "$O/bagit.txt"
(cd "$O" && md5sum data/a.txt "data/sub dir/b 100%.txt" | sed 's/100%/100%25/' > manifest-md5.txt &&
	sha512sum data/a.txt "data/sub dir/b 100%.txt" | sed 's/100%/100%25/' > manifest-sha512.txt &&
	printf 'Source-Organization: Someone\r\nPayload-Oxum: 11.2\r\n' > bag-info.txt &&
	sha1sum bagit.txt bag-info.txt manifest-md5.txt > tagmanifest-sha1.txt)
out=$("$FZ" verify-bag "$O")
check_eq "another's bag (md5 + sha512, CRLF, %25 in a name, version 0.97) is valid" 0 $?
check "both manifests were read" "$(echo "$out" | grep -c 'manifests: md5 sha512\|manifests: sha512 md5')"
(cd "$O" && sed -i '1d' manifest-sha512.txt)
out=$("$FZ" verify-bag "$O")
check_eq "a file missing from one of two manifests: invalid" 1 $?
check "names that manifest" "$(echo "$out" | grep -c 'data/a.txt: is in the payload but not in manifest-sha512.txt')"
rm "$O/manifest-sha512.txt"
echo "http://example.org/c 10 data/c.txt" > "$O/fetch.txt"
out=$("$FZ" verify-bag "$O")
check_eq "a fetch.txt file not fetched: invalid (incomplete)" 1 $?
check "says the bag is incomplete" "$(echo "$out" | grep -c 'data/c.txt: the bag is incomplete')"
js=$("$FZ" verify-bag --json "$O")
check_eq "--json: valid false" false "$(echo "$js" | jq .valid)"
check_eq "--json: the problem names the file" data/c.txt "$(echo "$js" | jq -r '.problems[0].file')"
"$FZ" verify-bag "$T/none" 2>/dev/null
check_eq "no such directory: exit 4" 4 $?
done_testing
