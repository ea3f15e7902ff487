/* export_bagit.c: the archive as a BagIt bag (RFC 8493): JSON Lines and source bytes */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "export.h"

/* A file written once, hashed as it is written. */
struct hfile {
	FILE *f;
	EVP_MD_CTX *md;
	long long len;
	char *path;
};

static int
hf_open(struct hfile *h, const char *path, struct fz_err *err)
{
	memset(h, 0, sizeof(*h));
	if ((h->f = fopen(path, "wb")) == NULL)
		return fz_fail(err, FZ_EIO, "%s: %s", path, strerror(errno));
	h->md = EVP_MD_CTX_new();
	EVP_DigestInit_ex(h->md, EVP_sha256(), NULL);
	h->path = xstrdup(path);
	return 0;
}

static int
hf_write(struct hfile *h, const void *p, size_t n, struct fz_err *err)
{
	if (fwrite(p, 1, n, h->f) != n)
		return fz_fail(err, FZ_EIO, "%s: %s", h->path, strerror(errno));
	EVP_DigestUpdate(h->md, p, n);
	h->len += (long long)n;
	return 0;
}

/* Closes h; hex gets its SHA-256 (when non-NULL). */
static int
hf_close(struct hfile *h, char hex[65], struct fz_err *err)
{
	static const char d[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	int rc = 0;

	if (h->f == NULL)
		return 0;
	if (fclose(h->f) != 0)
		rc = fz_fail(err, FZ_EIO, "%s: %s", h->path, strerror(errno));
	h->f = NULL;
	EVP_DigestFinal_ex(h->md, md, &n);
	EVP_MD_CTX_free(h->md);
	if (hex != NULL) {
		for (i = 0; i < n && i < 32; i++) {
			hex[2 * i] = d[md[i] >> 4];
			hex[2 * i + 1] = d[md[i] & 15];
		}
		hex[64] = '\0';
	}
	free(h->path);
	return rc;
}

/* A field of sources.tsv: tab, newline, carriage return and % percent-encoded. */
static void
tsv_field(struct buf *b, const char *s)
{
	for (; s != NULL && *s; s++) {
		if (*s == '\t' || *s == '\n' || *s == '\r' || *s == '%')
			buf_addf(b, "%%%02X", (unsigned char)*s);
		else
			buf_addch(b, *s);
	}
}

/* Everything one bag export shares. */
struct bag {
	const char *dir;            /* OUT.part while being written */
	struct hfile manifest, entries, index;
	long long oxum_bytes;       /* payload octets */
	long oxum_files;            /* payload files */
	long sources, damaged_sources;
	struct buf path, line;
};

/* Writes one source (the bytes a version came from) under data/sources/,
 * named by its SHA-256, once; lists it in the payload manifest. */
static int
put_source(struct bag *g, const struct fz_stored *v, struct fz_err *err)
{
	struct hfile h;
	struct stat sb;
	char hex[65];
	const char *sha = v->sha256;

	buf_reset(&g->path);
	buf_addf(&g->path, "%s/data/sources/%.2s", g->dir, sha);
	if (mkdir(g->path.p, 0755) != 0 && errno != EEXIST)
		return fz_fail(err, FZ_EIO, "%s: %s", g->path.p, strerror(errno));
	buf_addf(&g->path, "/%s", sha);
	if (stat(g->path.p, &sb) == 0)
		return 0; /* the same bytes for another version */
	if (hf_open(&h, g->path.p, err) < 0 || hf_write(&h, v->r.raw, v->r.rawlen, err) < 0 ||
	    hf_close(&h, hex, err) < 0) {
		hf_close(&h, NULL, NULL);
		return -1;
	}
	if (strcmp(hex, sha) != 0)
		g->damaged_sources++; /* written as stored; the manifest says what it is */
	buf_reset(&g->line);
	buf_addf(&g->line, "%s  data/sources/%.2s/%s\n", hex, sha, sha);
	g->oxum_bytes += (long long)v->r.rawlen;
	g->oxum_files++;
	g->sources++;
	return hf_write(&g->manifest, g->line.p, g->line.len, err);
}

/* One line of data/sources.tsv: which version came from which bytes. */
static int
put_index(struct bag *g, const struct fz_stored *v, struct fz_err *err)
{
	buf_reset(&g->line);
	buf_addf(&g->line, "%s\t%zu\t", v->sha256 ? v->sha256 : "", v->r.rawlen);
	tsv_field(&g->line, v->r.id);
	buf_addf(&g->line, "\t%d\t", v->n);
	tsv_field(&g->line, v->r.source_file);
	buf_addch(&g->line, '\t');
	if (v->r.source_line > 0)
		buf_addf(&g->line, "%ld", v->r.source_line);
	buf_addch(&g->line, '\t');
	tsv_field(&g->line, v->r.source_page);
	buf_addch(&g->line, '\n');
	return hf_write(&g->index, g->line.p, g->line.len, err);
}

/* Writes a small tag file whole and returns its digest. */
static int
tag_file(const char *dir, const char *name, const char *text, char hex[65], struct fz_err *err)
{
	struct buf p;
	struct hfile h;
	int rc;

	buf_init(&p, NULL);
	buf_addf(&p, "%s/%s", dir, name);
	rc = hf_open(&h, p.p, err);
	buf_free(&p);
	if (rc < 0)
		return -1;
	if (hf_write(&h, text, strlen(text), err) < 0) {
		hf_close(&h, NULL, NULL);
		return -1;
	}
	return hf_close(&h, hex, err);
}

/* bag-info.txt: who made the bag, when, how much, and the archive's fingerprint. */
static void
bag_info(struct buf *b, const struct bag *g, const struct export_stats *st,
	 const struct fz_snapshot *sn, const char *archive)
{
	char now[32], day[11];

	fz_now_rfc3339(now);
	memcpy(day, now, 10);
	day[10] = '\0';
	buf_addf(b, "Bag-Software-Agent: fangzhi\n");
	buf_addf(b, "Bagging-Date: %s\n", day);
	buf_addf(b, "Payload-Oxum: %lld.%ld\n", g->oxum_bytes, g->oxum_files);
	buf_addf(b, "Bag-Size: %.1f MB\n", g->oxum_bytes / 1e6);
	buf_addf(b, "External-Description: A copy of the fangzhi archive %s: every entry\n"
		    "  version in the interchange format, oldest first (data/entries.jsonl;\n"
		    "  `fangzhi import` takes it back), and the bytes each version was imported\n"
		    "  from (data/sources/, named by their SHA-256; data/sources.tsv says which\n"
		    "  version came from which bytes, and from which file and line).\n",
		 archive);
	buf_addf(b, "Fangzhi-Fingerprint: %s\n", st->fingerprint);
	buf_addf(b, "Fangzhi-Exported-At: %s\n", now);
	if (sn->present)
		buf_addf(b, "Fangzhi-Last-Write: %s\n", sn->at);
	buf_addf(b, "Fangzhi-Entries: %ld\n", st->entries);
	buf_addf(b, "Fangzhi-Versions: %ld\n", st->records);
	buf_addf(b, "Fangzhi-Sources: %ld\n", g->sources);
}

static int
mkdirs(const char *base, struct fz_err *err)
{
	static const char *const sub[] = { "", "/data", "/data/sources" };
	struct buf p;
	size_t i;

	buf_init(&p, NULL);
	for (i = 0; i < sizeof(sub) / sizeof(sub[0]); i++) {
		buf_reset(&p);
		buf_addf(&p, "%s%s", base, sub[i]);
		if (mkdir(p.p, 0755) != 0) {
			fz_fail(err, FZ_EIO, "%s: %s", p.p, strerror(errno));
			buf_free(&p);
			return -1;
		}
	}
	buf_free(&p);
	return 0;
}

/*
 * Writes the bag into dir (which must not exist yet; it is built as
 * dir.part and renamed when whole). One walk over every version: its line
 * goes to data/entries.jsonl, its source bytes to data/sources/, each
 * hashed as written, so memory stays flat and nothing is read twice.
 */
int
export_bagit(struct store *s, const char *archive, const char *dir, const struct export_opts *o,
	     struct export_stats *st, struct fz_err *err)
{
	struct bag g = { 0 };
	struct store_walk *w = NULL;
	struct fz_snapshot sn;
	struct fz_stored v;
	struct meter m;
	struct arena a;
	struct buf part, text, tags;
	char hex[65], hb[65], hm[65];
	struct stat sb;
	long total;
	int rc = -1, got;

	memset(st, 0, sizeof(*st));
	if (stat(dir, &sb) == 0)
		return fz_fail(err, FZ_EINPUT, "%s already exists: give a new directory", dir);
	buf_init(&part, NULL);
	buf_init(&text, NULL);
	buf_init(&tags, NULL);
	buf_init(&g.path, NULL);
	buf_init(&g.line, NULL);
	arena_init(&a, 0);
	buf_addf(&part, "%s.part", dir);
	g.dir = part.p;
	if (mkdirs(part.p, err) < 0)
		goto out;
	buf_addf(&text, "%s/manifest-sha256.txt", part.p);
	if (hf_open(&g.manifest, text.p, err) < 0)
		goto out;
	buf_reset(&text);
	buf_addf(&text, "%s/data/entries.jsonl", part.p);
	if (hf_open(&g.entries, text.p, err) < 0)
		goto out;
	buf_reset(&text);
	buf_addf(&text, "%s/data/sources.tsv", part.p);
	if (hf_open(&g.index, text.p, err) < 0)
		goto out;
	buf_reset(&text);
	buf_addstr(&text, "sha256\tbytes\tentry\tversion\tfile\tline\tpage\n");
	if (hf_write(&g.index, text.p, text.len, err) < 0)
		goto out;

	if (store_walk_open(s, STORE_WALK_RAW, &w, &total, err) < 0)
		goto out;
	if (store_fingerprint(s, st->fingerprint, NULL, err) < 0 ||
	    store_snapshot_get(s, &sn, err) < 0)
		goto out;
	meter_start(&m, o->label ? o->label : "export", o->progress, total);
	while ((got = store_walk_next(w, &a, &v, err)) > 0) {
		buf_reset(&text);
		export_record_json(&v, &text);
		buf_addch(&text, '\n');
		if (hf_write(&g.entries, text.p, text.len, err) < 0 || put_index(&g, &v, err) < 0 ||
		    (v.r.raw != NULL && v.sha256 != NULL && put_source(&g, &v, err) < 0))
			goto out;
		st->records++;
		st->entries += v.current;
		st->damaged += !v.digest_ok;
		meter_tick(&m, st->records, g.entries.len + g.oxum_bytes);
		arena_reset(&a);
	}
	meter_end(&m);
	if (got < 0)
		goto out;
	st->damaged += g.damaged_sources;

	/* the two streamed payload files, then the tag files */
	if (hf_close(&g.entries, hex, err) < 0)
		goto out;
	g.oxum_bytes += g.entries.len;
	g.oxum_files++;
	buf_reset(&text);
	buf_addf(&text, "%s  data/entries.jsonl\n", hex);
	if (hf_close(&g.index, hex, err) < 0)
		goto out;
	g.oxum_bytes += g.index.len;
	g.oxum_files++;
	buf_addf(&text, "%s  data/sources.tsv\n", hex);
	if (hf_write(&g.manifest, text.p, text.len, err) < 0 || hf_close(&g.manifest, hm, err) < 0)
		goto out;
	st->bytes = g.oxum_bytes;
	if (tag_file(part.p, "bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
		     hb, err) < 0)
		goto out;
	buf_reset(&text);
	bag_info(&text, &g, st, &sn, archive);
	if (tag_file(part.p, "bag-info.txt", text.p, hex, err) < 0)
		goto out;
	buf_addf(&tags, "%s  bagit.txt\n%s  bag-info.txt\n%s  manifest-sha256.txt\n", hb, hex, hm);
	if (tag_file(part.p, "tagmanifest-sha256.txt", tags.p, hex, err) < 0)
		goto out;
	if (rename(part.p, dir) != 0) {
		fz_fail(err, FZ_EIO, "%s: %s", dir, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	store_walk_close(w);
	hf_close(&g.manifest, NULL, NULL);
	hf_close(&g.entries, NULL, NULL);
	hf_close(&g.index, NULL, NULL);
	if (rc < 0 && stat(part.p, &sb) == 0)
		export_remove_tree(part.p);
	arena_free(&a);
	buf_free(&g.path);
	buf_free(&g.line);
	buf_free(&part);
	buf_free(&text);
	buf_free(&tags);
	return rc;
}
