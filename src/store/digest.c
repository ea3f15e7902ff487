/* digest.c: what makes two records the same, and the archive's fingerprint */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store_int.h"

static void
add_field(struct buf *b, const char *name, const char *v)
{
	buf_addstr(b, name);
	buf_addch(b, v ? '=' : '!');
	if (v)
		buf_add(b, v, strlen(v));
	buf_addch(b, '\0');
}

/*
 * The digest that says whether two records are the same record: every
 * field a reader sees or a later export carries, in a fixed order, each
 * NUL-terminated. Provenance (file, line, capture time) is not content: the
 * same text captured twice is one version. Import calls it on what came in,
 * verify on what is stored; the README ("Fixity") spells it out so that
 * another program can recompute it.
 */
void
store_content_digest(const struct fz_record *r, char out[65])
{
	struct buf b;
	char num[32];
	size_t i;

	buf_init(&b, NULL);
	add_field(&b, "title", r->title);
	add_field(&b, "body", r->body);
	add_field(&b, "author", r->author);
	snprintf(num, sizeof(num), "%d", r->year);
	add_field(&b, "year", num);
	add_field(&b, "book", r->book.id);
	for (i = 0; i < r->npath; i++)
		add_field(&b, "path", r->path[i]);
	snprintf(num, sizeof(num), "%ld", r->order);
	add_field(&b, "order", num);
	add_field(&b, "extra", r->extra);
	for (i = 0; i < r->npages; i++) {
		snprintf(num, sizeof(num), "%zu", r->pages[i].pos);
		add_field(&b, "page", num);
		add_field(&b, "label", r->pages[i].label);
	}
	fz_sha256_hex(b.p, b.len, out);
	buf_free(&b);
}

/*
 * Sections are derived from the body: a paragraph that opens with
 * 【heading】 (closed on the same line, not empty). Finds the next one at
 * or after *cur and advances *cur; returns 1 with its byte position and
 * heading (a view into body), 0 when there is none. Import stores what
 * this finds; verify compares the stored rows with it.
 */
int
store_section_next(const char *body, const char **cur, size_t *pos, const char **heading,
		   size_t *hlen)
{
	static const char open[] = "\xE3\x80\x90", close[] = "\xE3\x80\x91"; /* 【 】 */
	const char *p = *cur, *para, *end, *nl;

	while (p != NULL) {
		para = p;
		nl = strchr(p, '\n');
		p = nl != NULL ? nl + 1 : NULL;
		if (strncmp(para, open, 3) == 0 && (end = strstr(para + 3, close)) != NULL &&
		    memchr(para, '\n', (size_t)(end - para)) == NULL && end > para + 3) {
			*cur = p;
			*pos = (size_t)(para - body);
			*heading = para + 3;
			*hlen = (size_t)(end - para - 3);
			return 1;
		}
	}
	*cur = NULL;
	return 0;
}

static void
sha256(const void *p, size_t n, unsigned char out[32])
{
	unsigned int len = 0;

	EVP_Digest(p, n, out, &len, EVP_sha256(), NULL);
}

static void
to_hex(const unsigned char h[32], char out[65])
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[h[i] >> 4];
		out[2 * i + 1] = hex[h[i] & 15];
	}
	out[64] = '\0';
}

/* Interior node of RFC 6962: SHA-256(0x01 || left || right). */
static void
node(const unsigned char l[32], const unsigned char r[32], unsigned char out[32])
{
	unsigned char in[65];

	in[0] = 1;
	memcpy(in + 1, l, 32);
	memcpy(in + 33, r, 32);
	sha256(in, sizeof(in), out);
}

void
merkle_init(struct merkle *m)
{
	memset(m, 0, sizeof(*m));
}

/*
 * Adds the next leaf, SHA-256(0x00 || data). The stack holds the roots of
 * perfect subtrees, largest first; two of equal size merge at once, so
 * memory is logarithmic in the number of leaves and the final fold
 * (merkle_root_hex) gives exactly RFC 6962's tree.
 */
void
merkle_leaf_data(struct merkle *m, const void *data, size_t len)
{
	unsigned char *in = xmalloc(len + 1);

	in[0] = 0;
	memcpy(in + 1, data, len);
	sha256(in, len + 1, m->h[m->n]);
	free(in);
	m->size[m->n++] = 1;
	while (m->n >= 2 && m->size[m->n - 1] == m->size[m->n - 2]) {
		node(m->h[m->n - 2], m->h[m->n - 1], m->h[m->n - 2]);
		m->size[m->n - 2] *= 2;
		m->n--;
	}
	m->leaves++;
}

/* The archive's leaf for an entry: its id, a NUL, its digest in hex. */
void
merkle_leaf(struct merkle *m, const char *id, const char *digest_hex)
{
	size_t idlen = strlen(id), dlen = strlen(digest_hex);
	char *data = xmalloc(idlen + dlen + 1);

	memcpy(data, id, idlen);
	data[idlen] = '\0';
	memcpy(data + idlen + 1, digest_hex, dlen);
	merkle_leaf_data(m, data, idlen + 1 + dlen);
	free(data);
}

/* The root as hex; with no leaves, SHA-256 of nothing (RFC 6962, 2.1). */
void
merkle_root_hex(const struct merkle *m, char out[65])
{
	unsigned char acc[32];
	int i;

	if (m->n == 0) {
		sha256("", 0, acc);
		to_hex(acc, out);
		return;
	}
	memcpy(acc, m->h[m->n - 1], 32);
	for (i = m->n - 2; i >= 0; i--)
		node(m->h[i], acc, acc);
	to_hex(acc, out);
}

/*
 * The archive's fingerprint from the content digests stored with the
 * current versions: one scan of the entries in id order. An entry whose
 * current version is missing counts with an empty digest, so the
 * fingerprint differs from the one published. *nentries may be NULL.
 */
int
store_fingerprint(struct store *s, char out[65], long *nentries, struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(s, STMT_FP_LEAVES, err);
	struct merkle m;
	int rc;

	if (st == NULL)
		return -1;
	merkle_init(&m);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(st, 1);
		merkle_leaf(&m, (const char *)sqlite3_column_text(st, 0), d ? d : "");
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, err, "computing the fingerprint");
	merkle_root_hex(&m, out);
	if (nentries != NULL)
		*nentries = m.leaves;
	return 0;
}

static const char *const snapshot_keys[SNAP__MAX] = {
	[SNAP_ENTRIES] = "entries", [SNAP_VERSIONS] = "versions", [SNAP_BLOBS] = "blobs",
	[SNAP_PAGES] = "pages",     [SNAP_SECTIONS] = "sections", [SNAP_CHAPTERS] = "chapters",
	[SNAP_BOOKS] = "books",
};

const char *
store_snapshot_key(enum snap_count c)
{
	return snapshot_keys[c];
}

/* Counts the rows of each table the snapshot keeps. */
int
store_snapshot_count(struct store *s, long long out[SNAP__MAX], struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(s, STMT_SNAPSHOT_COUNTS, err);
	int i;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_fail(s, err, "counting rows");
	for (i = 0; i < SNAP__MAX; i++)
		out[i] = sqlite3_column_int64(st, i);
	sqlite3_reset(st);
	return 0;
}

/*
 * Written inside every transaction that changes data (import, reindex):
 * the row count of each table and the fingerprint, as meta "snapshot" (one
 * JSON object). verify compares them with what it finds, so a row deleted
 * behind fangzhi's back shows as "held N at the last write, now N-1".
 * The fingerprint goes to fp for the event log.
 */
int
store_snapshot_put(struct store *s, char fp[65], struct fz_err *err)
{
	long long n[SNAP__MAX];
	json_t *o;
	char now[32], *text;
	int i, rc;

	if (store_fingerprint(s, fp, NULL, err) < 0 || store_snapshot_count(s, n, err) < 0)
		return -1;
	fz_now_rfc3339(now);
	o = json_object();
	json_object_set_new(o, "at", json_string(now));
	json_object_set_new(o, "fingerprint", json_string(fp));
	for (i = 0; i < SNAP__MAX; i++)
		json_object_set_new(o, snapshot_keys[i], json_integer(n[i]));
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	rc = store_meta_set(s, "snapshot", text, err);
	free(text);
	return rc;
}

/*
 * Reads the snapshot of the last write. Returns 0 with out->present = 0
 * when there is none (an archive not written since schema 3), -1 when it
 * cannot be read or does not parse (which verify reports as damage).
 */
int
store_snapshot_get(struct store *s, struct fz_snapshot *out, struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(s, STMT_META_GET, err);
	json_error_t jerr;
	json_t *o, *v;
	int rc, i;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, "snapshot");
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return store_fail(s, err, "reading the snapshot");
	o = json_loads((const char *)sqlite3_column_text(st, 0), 0, &jerr);
	sqlite3_reset(st);
	if (!json_is_object(o) || !json_is_string(json_object_get(o, "fingerprint")) ||
	    !json_is_string(json_object_get(o, "at"))) {
		json_decref(o);
		return fz_fail(err, FZ_ESTORE, "the snapshot in meta does not parse");
	}
	out->present = 1;
	snprintf(out->fingerprint, sizeof(out->fingerprint), "%s",
		 json_string_value(json_object_get(o, "fingerprint")));
	snprintf(out->at, sizeof(out->at), "%s", json_string_value(json_object_get(o, "at")));
	for (i = 0; i < SNAP__MAX; i++) {
		v = json_object_get(o, snapshot_keys[i]);
		out->count[i] = json_is_integer(v) ? json_integer_value(v) : -1;
	}
	json_decref(o);
	return 0;
}
