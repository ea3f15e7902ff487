/* export_warc.c: every entry's page as the site serves it, in a WARC/1.1 file with its provenance */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <zlib.h>

#include "export.h"

#define WARC_BASE_DEFAULT "http://127.0.0.1:8080"

/* The file being written: one gzip member per record (WARC 1.1, annex D),
 * so that readers can seek to any record by its offset. */
struct warc {
	FILE *f;
	const char *path;
	z_stream z;
	int z_on;
	long long bytes;     /* compressed, written so far */
	char info_id[64];    /* the warcinfo record's WARC-Record-ID */
	char date[32];       /* WARC-Date of every record: the export's time */
	char http_date[40];  /* the same as an HTTP Date */
	struct buf head;     /* a record's header, reused */
};

/* A WARC-Record-ID: a random (version 4) UUID as a URN in angle brackets. */
static void
record_id(char out[64])
{
	unsigned char u[16];
	size_t got = 0;

	while (got < sizeof(u)) {
		ssize_t n = getrandom(u + got, sizeof(u) - got, 0);
		if (n <= 0) { /* no entropy source: time and address still make it unique here */
			unsigned long long t = (unsigned long long)time(NULL) ^ (uintptr_t)out;
			for (; got < sizeof(u); got++, t = t * 6364136223846793005ULL + 1)
				u[got] = (unsigned char)(t >> 56);
			break;
		}
		got += (size_t)n;
	}
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
	snprintf(out, 64,
		 "<urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x>",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
		 u[13], u[14], u[15]);
}

/* "sha1:" and the SHA-1 of the parts in base32 (RFC 4648, no padding
 * needed for 20 bytes), as warcio and Heritrix write digests. */
static void
sha1_label(const struct str *parts, size_t nparts, char out[40])
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i, bits = 0, v = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	char *o = out;
	size_t k;

	EVP_DigestInit_ex(ctx, EVP_sha1(), NULL);
	for (k = 0; k < nparts; k++)
		EVP_DigestUpdate(ctx, parts[k].p, parts[k].len);
	EVP_DigestFinal_ex(ctx, md, &n);
	EVP_MD_CTX_free(ctx);
	memcpy(o, "sha1:", 5);
	o += 5;
	for (i = 0; i < n; i++) {
		v = (v << 8) | md[i];
		bits += 8;
		while (bits >= 5) {
			*o++ = al[(v >> (bits - 5)) & 31];
			bits -= 5;
		}
		v &= 0xff;
	}
	if (bits)
		*o++ = al[(v << (5 - bits)) & 31];
	*o = '\0';
}

/* Compresses n bytes into the current gzip member (flush: Z_FINISH ends it). */
static int
put(struct warc *w, const void *p, size_t n, int flush, struct fz_err *err)
{
	unsigned char out[65536];

	w->z.next_in = (Bytef *)(uintptr_t)p;
	w->z.avail_in = (uInt)n;
	do {
		size_t have;
		int rc;

		w->z.next_out = out;
		w->z.avail_out = sizeof(out);
		rc = deflate(&w->z, flush);
		if (rc == Z_STREAM_ERROR)
			return fz_fail(err, FZ_EINTERNAL, "%s: compressing failed", w->path);
		have = sizeof(out) - w->z.avail_out;
		if (have && fwrite(out, 1, have, w->f) != have)
			return fz_fail(err, FZ_EIO, "%s: %s", w->path, strerror(errno));
		w->bytes += (long long)have;
	} while (w->z.avail_out == 0 || (flush == Z_FINISH && w->z.avail_in > 0));
	return 0;
}

/*
 * One record as one gzip member: "WARC/1.1", the named fields in w->head
 * (without the length), Content-Length and the block digest computed here,
 * the block (the parts, in order), and the two CRLFs that end a record.
 */
static int
record(struct warc *w, const struct str *parts, size_t nparts, struct fz_err *err)
{
	char digest[40];
	struct buf h;
	size_t len = 0, k;
	int rc;

	for (k = 0; k < nparts; k++)
		len += parts[k].len;
	sha1_label(parts, nparts, digest);
	buf_init(&h, NULL);
	buf_addstr(&h, "WARC/1.1\r\n");
	buf_add(&h, w->head.p, w->head.len);
	buf_addf(&h, "WARC-Block-Digest: %s\r\nContent-Length: %zu\r\n\r\n", digest, len);
	deflateReset(&w->z);
	rc = put(w, h.p, h.len, Z_NO_FLUSH, err);
	for (k = 0; rc == 0 && k < nparts; k++)
		rc = put(w, parts[k].p, parts[k].len, Z_NO_FLUSH, err);
	if (rc == 0)
		rc = put(w, "\r\n\r\n", 4, Z_FINISH, err);
	buf_free(&h);
	return rc;
}

/* The warcinfo record: what made the file, from which archive, and how
 * its records are laid out (application/warc-fields). */
static int
warcinfo(struct warc *w, const struct web_identity *id, const char *base, const char *filename,
	 struct fz_err *err)
{
	struct buf b;
	struct str part;
	int rc;

	buf_init(&b, NULL);
	buf_addf(&b, "software: fangzhi\r\nformat: WARC File Format 1.1\r\n"
		     "conformsTo: https://iipc.github.io/warc-specifications/specifications/"
		     "warc-format/warc-1.1/\r\n");
	buf_addf(&b, "description: %s (%s): each entry's page as %s/entry/ID serves it (a "
		     "response record), then its provenance (a metadata record, application/json)"
		     "\r\n", id->name, id->brand, base);
	buf_addf(&b, "isPartOf: %s\r\n", id->name);
	buf_addf(&b, "fangzhi-fingerprint: %s\r\n", id->fingerprint);
	buf_addf(&b, "fangzhi-base-url: %s\r\n", base);
	part = (struct str){ b.p, b.len };
	buf_reset(&w->head);
	buf_addf(&w->head, "WARC-Type: warcinfo\r\nWARC-Record-ID: %s\r\nWARC-Date: %s\r\n"
			   "WARC-Filename: %s\r\nContent-Type: application/warc-fields\r\n",
		 w->info_id, w->date, filename);
	rc = record(w, &part, 1, err);
	buf_free(&b);
	return rc;
}

static void
set_str(json_t *o, const char *key, const char *v)
{
	if (v != NULL) {
		json_t *s = json_string(v);
		json_object_set_new(o, key, s ? s : json_string_nocheck(v));
	}
}

/* The provenance of the version the page shows, with the same names as
 * the JSON Lines export's "source", as one line of JSON. Heap; free(). */
static char *
provenance(const struct fz_stored *v, const char *url, const char *fingerprint)
{
	json_t *o = json_object(), *src = json_object();
	char *text;

	set_str(o, "id", v->r.id);
	set_str(o, "title", v->r.title);
	set_str(o, "book", v->r.book.id);
	set_str(o, "page", url);
	set_str(src, "url", v->r.url);
	set_str(src, "id", v->r.orig_id);
	set_str(src, "captured_at", v->r.captured_at);
	set_str(src, "sha256", v->r.orig_sha256);
	set_str(src, "file", v->r.source_file);
	if (v->r.source_line > 0)
		json_object_set_new(src, "line", json_integer(v->r.source_line));
	set_str(src, "page", v->r.source_page);
	set_str(src, "imported_at", v->imported_at);
	set_str(src, "imported_sha256", v->sha256);
	set_str(src, "content_sha256", v->content_sha256);
	json_object_set_new(src, "version", json_integer(v->n));
	json_object_set_new(o, "source", src);
	set_str(o, "archive_fingerprint", fingerprint);
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return text;
}

/* One entry: its page as a response record, its provenance as a metadata
 * record that refers to it. */
static int
entry(struct warc *w, struct web_site *site, const struct fz_stored *v, const char *base,
      const char *fingerprint, struct arena *a, struct fz_err *err)
{
	const char *path = arena_printf(a, "/entry/%s", v->r.id); /* ids need no escaping */
	const char *url = arena_printf(a, "%s%s", base, path);
	struct web_page pg;
	struct buf http;
	struct str parts[2];
	char resp_id[64], meta_id[64], payload[40];
	char *json;
	size_t i;
	int rc;

	if (web_render(site, path, 0, a, &pg, err) < 0)
		return -1;
	if (pg.status != 200)
		return fz_fail(err, FZ_ESTORE, "%s: the site answers %d (run fangzhi verify)", path,
			       pg.status);
	buf_init(&http, a);
	buf_addf(&http, "HTTP/1.1 %d %s\r\nDate: %s\r\nContent-Length: %zu\r\n", pg.status,
		 pg.reason ? pg.reason : "", w->http_date, pg.body.len);
	for (i = 0; i < pg.nfields; i++)
		buf_addf(&http, "%s: %s\r\n", pg.fields[i][0], pg.fields[i][1]);
	buf_addstr(&http, "\r\n");
	parts[0] = (struct str){ http.p, http.len };
	parts[1] = (struct str){ pg.body.p, pg.body.len };
	sha1_label(&parts[1], 1, payload);
	record_id(resp_id);
	buf_reset(&w->head);
	buf_addf(&w->head, "WARC-Type: response\r\nWARC-Record-ID: %s\r\nWARC-Warcinfo-ID: %s\r\n"
			   "WARC-Target-URI: %s\r\nWARC-Date: %s\r\n"
			   "Content-Type: application/http;msgtype=response\r\n"
			   "WARC-Payload-Digest: %s\r\n",
		 resp_id, w->info_id, url, w->date, payload);
	if (record(w, parts, 2, err) < 0)
		return -1;

	json = provenance(v, url, fingerprint);
	parts[0] = (struct str){ json, strlen(json) };
	record_id(meta_id);
	buf_reset(&w->head);
	buf_addf(&w->head, "WARC-Type: metadata\r\nWARC-Record-ID: %s\r\nWARC-Warcinfo-ID: %s\r\n"
			   "WARC-Target-URI: %s\r\nWARC-Date: %s\r\nWARC-Refers-To: %s\r\n"
			   "WARC-Concurrent-To: %s\r\nContent-Type: application/json\r\n",
		 meta_id, w->info_id, url, w->date, resp_id, resp_id);
	rc = record(w, parts, 1, err);
	free(json);
	return rc;
}

/* The base URL without a trailing slash, into b; only http and https
 * make sense as a WARC-Target-URI. */
static const char *
clean_base(struct buf *b, const char *base, struct fz_err *err)
{
	size_t len;

	if (base == NULL || *base == '\0')
		base = WARC_BASE_DEFAULT;
	if (strncmp(base, "http://", 7) != 0 && strncmp(base, "https://", 8) != 0)
		return fz_fail(err, FZ_EINPUT, "--base-url %s: give an http:// or https:// address",
			       base),
		       NULL;
	if (strpbrk(base, " \t\r\n\"<>") != NULL)
		return fz_fail(err, FZ_EINPUT, "--base-url %s: no spaces, quotes or brackets", base),
		       NULL;
	len = strlen(base);
	while (len > 0 && base[len - 1] == '/')
		len--;
	buf_add(b, base, len);
	return b->p;
}

/*
 * Writes out (through out.part, renamed when whole) as WARC/1.1, one gzip
 * member per record: a warcinfo record, then for each entry (current
 * versions, in the order they came in) a response record holding the
 * HTTP/1.1 response the site gives for /entry/ID (status line, headers,
 * body) at base_url/entry/ID, and a metadata record with its provenance.
 * One read transaction: the pages and their provenance are one state of
 * the archive. Memory stays flat (an arena reset per entry).
 */
int
export_warc(struct web_site *site, const char *out, const char *base_url,
	    const struct export_opts *o, struct export_stats *st, struct fz_err *err)
{
	struct warc w;
	struct web_identity id;
	struct store_walk *walk = NULL;
	struct fz_stored v;
	struct meter m;
	struct arena a;
	struct buf part, basebuf;
	const char *base, *slash;
	long total;
	time_t now = time(NULL);
	int got, rc = -1;

	memset(st, 0, sizeof(*st));
	memset(&w, 0, sizeof(w));
	arena_init(&a, 0);
	buf_init(&part, NULL);
	buf_init(&basebuf, NULL);
	buf_init(&w.head, NULL);
	web_site_identity(site, &id);
	if ((base = clean_base(&basebuf, base_url ? base_url : id.base_url, err)) == NULL)
		goto out;
	buf_addf(&part, "%s.part", out);
	w.path = part.p;
	if ((w.f = fopen(part.p, "wb")) == NULL) {
		fz_fail(err, FZ_EIO, "%s: %s", part.p, strerror(errno));
		goto out;
	}
	if (deflateInit2(&w.z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		fz_fail(err, FZ_EINTERNAL, "zlib would not start");
		goto out;
	}
	w.z_on = 1;
	fz_now_rfc3339(w.date);
	web_http_date(now, w.http_date);
	record_id(w.info_id);
	if (store_walk_open(web_site_store(site), STORE_WALK_CURRENT, &walk, &total, err) < 0 ||
	    store_fingerprint(web_site_store(site), st->fingerprint, NULL, err) < 0)
		goto out;
	slash = strrchr(out, '/');
	if (warcinfo(&w, &id, base, slash ? slash + 1 : out, err) < 0)
		goto out;
	meter_start(&m, o->label ? o->label : "export warc", o->progress, total);
	while ((got = store_walk_next(walk, &a, &v, err)) > 0) {
		if (entry(&w, site, &v, base, st->fingerprint, &a, err) < 0)
			goto out;
		st->records++;
		st->entries++;
		st->damaged += !v.digest_ok;
		meter_tick(&m, st->records, w.bytes);
		arena_reset(&a);
	}
	meter_end(&m);
	if (got < 0)
		goto out;
	if (fclose(w.f) != 0) {
		w.f = NULL;
		fz_fail(err, FZ_EIO, "%s: %s", part.p, strerror(errno));
		goto out;
	}
	w.f = NULL;
	if (rename(part.p, out) != 0) {
		fz_fail(err, FZ_EIO, "%s: %s", out, strerror(errno));
		goto out;
	}
	st->bytes = w.bytes;
	rc = 0;
out:
	store_walk_close(walk);
	if (w.z_on)
		deflateEnd(&w.z);
	if (w.f != NULL)
		fclose(w.f);
	if (rc < 0 && part.len)
		unlink(part.p);
	buf_free(&w.head);
	buf_free(&part);
	buf_free(&basebuf);
	arena_free(&a);
	return rc;
}
