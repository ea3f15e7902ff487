#!/usr/bin/env python3
"""fingerprint.py EXPORT.jsonl: an archive's fingerprint from its JSON Lines export,
computed without fangzhi (README, "Fixity"), so that the construction is checked by a
second implementation. Each record's content digest is recomputed from its fields and
compared with source.content_sha256; the fingerprint is the RFC 6962 Merkle root over
(id, content digest) of current versions, in bytewise id order.
Prints the fingerprint; exits 1 if a recomputed digest differs."""
import hashlib, json, sys

def field(name, value):
    if value is None:
        return name.encode() + b"!\0"
    return name.encode() + b"=" + value.encode() + b"\0"

KNOWN = {"id", "title", "body", "author", "book", "path", "order", "year", "source", "pages"}
KNOWN_BOOK = {"id", "title", "edition", "kind", "region", "region_code", "published"}
KNOWN_SOURCE = {"url", "id", "captured_at", "sha256", "file", "line", "page", "imported_at",
                "imported_sha256", "content_sha256", "version", "superseded_at"}

def content_digest(r):
    extra = {k: v for k, v in r.items() if k not in KNOWN}
    for key, known in (("book", KNOWN_BOOK), ("source", KNOWN_SOURCE)):
        more = {k: v for k, v in (r.get(key) or {}).items() if k not in known}
        if more:
            extra[key] = more
    d = field("title", r["title"]) + field("body", r["body"]) + field("author", r.get("author"))
    d += field("year", str(r.get("year") or 0)) + field("book", r["book"]["id"])
    for p in r.get("path") or []:
        d += field("path", p)
    d += field("order", str(r["order"]) if r.get("order") is not None else "-1")
    d += field("extra", json.dumps(extra, ensure_ascii=False, separators=(",", ":"),
                                   sort_keys=True) if extra else None)
    for p in r.get("pages") or []:
        d += field("page", str(p["offset"])) + field("label", p["page"])
    return hashlib.sha256(d).hexdigest()

def mth(leaves):  # RFC 6962, 2.1
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\0" + leaves[0]).digest()
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\1" + mth(leaves[:k]) + mth(leaves[k:])).digest()

current, bad = {}, 0
with open(sys.argv[1], encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        if not line.strip():
            continue
        r = json.loads(line)
        d = content_digest(r)
        given = (r.get("source") or {}).get("content_sha256")
        if given is not None and given != d:
            print("line %d (%s): content digest %s, recomputed %s" % (n, r["id"], given, d),
                  file=sys.stderr)
            bad += 1
        if (r.get("source") or {}).get("superseded_at") is None:
            current[r["id"]] = d
ids = sorted(current, key=lambda s: s.encode())
print(mth([i.encode() + b"\0" + current[i].encode() for i in ids]).hex())
sys.exit(1 if bad else 0)
