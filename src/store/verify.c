/* verify.c: every digest recomputed, every link between rows checked */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zstd.h>

#include "store_int.h"

#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define PROGRESS_EVERY 256 /* rows between progress calls */

/* A current version whose stored content digest is not what its fields hash
 * to: the fingerprint of the data uses the recomputed one. */
struct fixup {
	char *id;
	char digest[65];
};

/* One verification's state, so helpers take one pointer. */
struct vrun {
	struct store *s;
	struct verify_sink *sink;
	struct verify_result *out;
	struct arena a;              /* reset after each row */
	sqlite3_int64 legacy_max;    /* versions up to this id predate schema 3 */
	char **bad_blobs;            /* digests of blobs that failed, sorted */
	size_t nbad_blobs, bad_cap;
	struct fixup *fix;           /* sorted by id once the versions are done */
	size_t nfix, fix_cap;
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmp_fix(const void *a, const void *b)
{
	return strcmp(((const struct fixup *)a)->id, ((const struct fixup *)b)->id);
}

/* Reports one problem. what is a format; expected and found may be NULL. */
static void problem(struct vrun *v, const char *check, const char *id, const char *expected,
		    const char *found, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void
problem(struct vrun *v, const char *check, const char *id, const char *expected,
	const char *found, const char *fmt, ...)
{
	struct fz_problem p = { check, id, NULL, expected, found };
	struct buf what;
	va_list ap;

	buf_init(&what, NULL);
	va_start(ap, fmt);
	buf_vaddf(&what, fmt, ap);
	va_end(ap);
	p.what = what.p;
	v->out->problems++;
	if (v->sink->problem != NULL)
		v->sink->problem(v->sink->ctx, &p);
	buf_free(&what);
}

/* A read that failed half-way is damage to report, not a reason to stop. */
static void
read_failed(struct vrun *v, const char *what)
{
	problem(v, "database", what, NULL, NULL, "reading %s failed: %s", what,
		sqlite3_errmsg(v->s->db));
}

static void
progress(struct vrun *v, const char *phase, long long done, long long total)
{
	if (v->sink->progress != NULL)
		v->sink->progress(v->sink->ctx, phase, done, total);
}

/* PRAGMA integrity_check: the file's own structure (pages, b-trees, indexes). */
static void
check_database(struct vrun *v, struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(v->s, STMT_INTEGRITY, err);
	int rc;

	progress(v, "database", 0, 0);
	if (st == NULL) {
		read_failed(v, "the database");
		return;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *msg = (const char *)sqlite3_column_text(st, 0);
		if (msg != NULL && strcmp(msg, "ok") != 0)
			problem(v, "database", "archive.sqlite", "ok", msg,
				"SQLite's integrity check failed");
	}
	if (rc != SQLITE_DONE)
		read_failed(v, "the database's structure");
	sqlite3_reset(st);
}

/* FTS5's integrity-check against its content (current versions). */
static void
check_index(struct vrun *v, struct fz_err *err)
{
	sqlite3_stmt *st;

	progress(v, "index", 0, 0);
	if (v->s->readonly) {
		/* the check is an INSERT, which a read-only archive refuses */
		v->out->index_unchecked = 1;
		return;
	}
	if ((st = store_stmt(v->s, STMT_FTS_CHECK, err)) == NULL) {
		read_failed(v, "the search index");
		return;
	}
	if (sqlite3_step(st) == SQLITE_DONE) {
		sqlite3_reset(st);
		return;
	}
	if ((sqlite3_extended_errcode(v->s->db) & 0xff) == SQLITE_BUSY)
		problem(v, "index", "fts", NULL, sqlite3_errmsg(v->s->db),
			"the search index could not be checked: an import was writing");
	else
		problem(v, "index", "fts", NULL, sqlite3_errmsg(v->s->db),
			"the search index does not match the current versions "
			"(`fangzhi reindex` rebuilds it from the data)");
	sqlite3_reset(st);
}

static void
hex_of(const void *p, size_t n, char out[65])
{
	fz_sha256_hex(p, n, out);
}

/*
 * Each stored source: it must decompress to exactly `size` bytes whose
 * SHA-256 is its key. Blobs that fail are remembered, so that the versions
 * that came from them can be named.
 */
static void
check_blobs(struct vrun *v, long long total, struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(v->s, STMT_VERIFY_BLOBS, err);
	long long done = 0;
	int rc;

	if (st == NULL) {
		read_failed(v, "table blob");
		return;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		sqlite3_int64 size = sqlite3_column_int64(st, 1);
		const char *codec = (const char *)sqlite3_column_text(st, 2);
		const void *z = sqlite3_column_blob(st, 3);
		size_t zlen = (size_t)sqlite3_column_bytes(st, 3);
		unsigned long long fsize;
		char got[65], num[32], exp[32];
		void *raw = NULL;
		size_t n;
		int bad = 1;

		key = key ? key : "(null)";
		if (codec == NULL || strcmp(codec, "zstd") != 0) {
			problem(v, "source", key, "zstd", codec ? codec : "(null)",
				"stored source bytes have an unknown codec");
		} else if ((fsize = ZSTD_getFrameContentSize(z, zlen)) == ZSTD_CONTENTSIZE_ERROR ||
			   fsize == ZSTD_CONTENTSIZE_UNKNOWN) {
			problem(v, "source", key, NULL, NULL,
				"stored source bytes are not a whole zstd frame");
		} else if ((long long)fsize != size) {
			snprintf(exp, sizeof(exp), "%lld bytes", (long long)size);
			snprintf(num, sizeof(num), "%llu bytes", fsize);
			problem(v, "source", key, exp, num, "stored source bytes have the wrong size");
		} else {
			raw = xmalloc(fsize ? fsize : 1);
			n = ZSTD_decompress(raw, fsize, z, zlen);
			if (ZSTD_isError(n) || n != fsize) {
				problem(v, "source", key, NULL,
					ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short",
					"stored source bytes do not decompress");
			} else {
				hex_of(raw, n, got);
				v->out->bytes += (long long)n;
				if (strcmp(got, key) != 0)
					problem(v, "source", key, key, got,
						"stored source bytes do not have their SHA-256");
				else
					bad = 0;
			}
			free(raw);
		}
		if (bad) {
			if (v->nbad_blobs == v->bad_cap) {
				v->bad_cap = v->bad_cap ? 2 * v->bad_cap : 16;
				v->bad_blobs = xrealloc(v->bad_blobs, v->bad_cap * sizeof(char *));
			}
			v->bad_blobs[v->nbad_blobs++] = xstrdup(key);
		}
		v->out->blobs++;
		if (++done % PROGRESS_EVERY == 0)
			progress(v, "sources", done, total);
	}
	if (rc != SQLITE_DONE)
		read_failed(v, "table blob");
	sqlite3_reset(st);
	if (v->nbad_blobs > 0)
		qsort(v->bad_blobs, v->nbad_blobs, sizeof(char *), cmp_str);
	progress(v, "sources", done, total);
}

/* Rebuilds a chapter's path from the root into r (arena); -1 with the
 * missing chapter's id in *missing when the chain is broken. */
static int
chapter_path(struct vrun *v, sqlite3_int64 chapter, const char *book, struct fz_record *r,
	     sqlite3_int64 *missing, const char **wrong_book)
{
	const char *tmp[64];
	size_t k = 0, i;
	sqlite3_stmt *st;
	int rc;

	*wrong_book = NULL;
	while (chapter != 0 && k < 64) {
		if ((st = store_stmt(v->s, STMT_CHAPTER_ONE, NULL)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, chapter);
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW) {
			*missing = chapter;
			return -1;
		}
		tmp[k++] = store_col_text(st, 2, &v->a);
		if (book != NULL && sqlite3_column_text(st, 3) != NULL &&
		    strcmp((const char *)sqlite3_column_text(st, 3), book) != 0) {
			*wrong_book = store_col_text(st, 3, &v->a);
			*missing = chapter;
			return -1;
		}
		chapter = sqlite3_column_int64(st, 1);
	}
	if (k == 64) {
		*missing = chapter;
		return -1;
	}
	r->path = arena_alloc(&v->a, (k ? k : 1) * sizeof(*r->path));
	for (i = 0; i < k; i++)
		r->path[i] = tmp[k - 1 - i];
	r->npath = k;
	return 0;
}

/* The pages stored for a version, in body order, into r (arena). */
static int
version_pages(struct vrun *v, sqlite3_int64 vid, struct fz_record *r)
{
	sqlite3_stmt *st = store_stmt(v->s, STMT_PAGE_LIST, NULL);
	size_t cap = 0;
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, vid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (r->npages == cap) {
			struct fz_page *p = arena_alloc(&v->a, (cap ? 2 * cap : 16) * sizeof(*p));
			if (r->npages)
				memcpy(p, r->pages, r->npages * sizeof(*p));
			r->pages = p;
			cap = cap ? 2 * cap : 16;
		}
		r->pages[r->npages].pos = (size_t)sqlite3_column_int64(st, 0);
		r->pages[r->npages++].label = store_col_text(st, 1, &v->a);
	}
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The stored sections must be those the body has, in order. */
static void
check_sections(struct vrun *v, sqlite3_int64 vid, const char *body, const char *label)
{
	sqlite3_stmt *st = store_stmt(v->s, STMT_SECTION_LIST, NULL);
	const char *cur = body, *h;
	size_t pos, hlen;
	int rc, want;
	char exp[64], got[64];

	if (st == NULL)
		return;
	sqlite3_bind_int64(st, 1, vid);
	for (;;) {
		want = store_section_next(body, &cur, &pos, &h, &hlen);
		rc = sqlite3_step(st);
		if (!want && rc == SQLITE_DONE)
			return;
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			read_failed(v, "table section");
			return;
		}
		if (want && rc == SQLITE_ROW && (size_t)sqlite3_column_int64(st, 0) == pos &&
		    (size_t)sqlite3_column_bytes(st, 1) == hlen &&
		    memcmp(sqlite3_column_text(st, 1), h, hlen) == 0)
			continue;
		snprintf(exp, sizeof(exp), want ? "a section at byte %zu" : "no more sections", pos);
		if (rc == SQLITE_ROW)
			snprintf(got, sizeof(got), "a section at byte %lld",
				 (long long)sqlite3_column_int64(st, 0));
		else
			snprintf(got, sizeof(got), "no more sections");
		problem(v, "section", label, exp, got,
			"the stored 【section】 headings do not match the body");
		sqlite3_reset(st);
		return;
	}
}

/* Remembers the recomputed digest of a current version that did not match. */
static void
fix_add(struct vrun *v, const char *id, const char *digest)
{
	if (v->nfix == v->fix_cap) {
		v->fix_cap = v->fix_cap ? 2 * v->fix_cap : 16;
		v->fix = xrealloc(v->fix, v->fix_cap * sizeof(*v->fix));
	}
	v->fix[v->nfix].id = xstrdup(id);
	memcpy(v->fix[v->nfix].digest, digest, 65);
	v->nfix++;
}

/*
 * One version row: its entry and book exist, its source bytes are there
 * and sound, its content digest is what its stored fields hash to, its
 * character count and sections are what its body gives, and it is marked
 * superseded exactly when it is not its entry's current version.
 */
static void
check_version(struct vrun *v, sqlite3_stmt *st)
{
	sqlite3_int64 vid = sqlite3_column_int64(st, 0), chapter, missing = 0;
	const char *eid = store_col_text(st, 1, &v->a), *stored, *sha, *wrong_book;
	int n = sqlite3_column_int(st, 2), has_entry = sqlite3_column_int(st, 16);
	int is_current = has_entry && sqlite3_column_int64(st, 17) == vid;
	struct fz_record r = { 0 };
	char label[300], digest[65], num[2][32];
	long long nchar;

	eid = eid ? eid : "(null)";
	snprintf(label, sizeof(label), "%s version %d", eid, n);
	if (!has_entry)
		problem(v, "entry", eid, "a row in table entry", "none",
			"entry %s is missing: its version %d remains without it", eid, n);
	sha = (const char *)sqlite3_column_text(st, 10);
	if (sha != NULL && strcmp(sha, EMPTY_SHA256) != 0) {
		if (!sqlite3_column_int(st, 15))
			problem(v, "source", label, sha, "none",
				"the source bytes this version was imported from are missing");
		else if (v->nbad_blobs > 0 &&
			 bsearch(&sha, v->bad_blobs, v->nbad_blobs, sizeof(char *), cmp_str))
			problem(v, "source", label, sha, "damaged",
				"the source bytes this version was imported from are damaged");
	}

	r.id = eid;
	r.title = store_col_text(st, 3, &v->a);
	r.body = store_col_text(st, 4, &v->a);
	r.author = store_col_text(st, 5, &v->a);
	r.year = sqlite3_column_int(st, 6);
	r.extra = store_col_text(st, 7, &v->a);
	stored = store_col_text(st, 9, &v->a);
	r.book.id = sqlite3_column_type(st, 11) != SQLITE_NULL ? store_col_text(st, 11, &v->a)
							     : store_col_text(st, 19, &v->a);
	chapter = sqlite3_column_type(st, 12) != SQLITE_NULL ? sqlite3_column_int64(st, 12)
							   : sqlite3_column_int64(st, 20);
	r.order = sqlite3_column_type(st, 13) != SQLITE_NULL ? (long)sqlite3_column_int64(st, 13)
							   : -1;
	if (r.body == NULL || r.title == NULL) {
		problem(v, "content", label, NULL, NULL, "the version has no title or body");
		return;
	}
	if (!sqlite3_column_int(st, 21) && r.book.id != NULL &&
	    (sqlite3_column_text(st, 19) == NULL ||
	     strcmp(r.book.id, (const char *)sqlite3_column_text(st, 19)) != 0))
		problem(v, "book", label, r.book.id, "none", "book %s is missing", r.book.id);

	nchar = (long long)utf8_nchar(r.body, strlen(r.body));
	if (nchar != sqlite3_column_int64(st, 8)) {
		snprintf(num[0], sizeof(num[0]), "%lld", (long long)sqlite3_column_int64(st, 8));
		snprintf(num[1], sizeof(num[1]), "%lld", nchar);
		problem(v, "content", label, num[0], num[1],
			"the body's character count is not the one recorded");
	}
	check_sections(v, vid, r.body, label);

	if (chapter_path(v, chapter, r.book.id, &r, &missing, &wrong_book) < 0) {
		if (wrong_book != NULL)
			problem(v, "chapter", label, r.book.id, wrong_book,
				"chapter %lld of this version's path belongs to another book",
				(long long)missing);
		else
			problem(v, "chapter", label, "a row in table chapter", "none",
				"chapter %lld of this version's path is missing", (long long)missing);
		return;
	}
	if (version_pages(v, vid, &r) < 0) {
		read_failed(v, "table page");
		return;
	}
	store_content_digest(&r, digest);
	if (stored != NULL && strcmp(digest, stored) != 0 && vid <= v->legacy_max &&
	    sqlite3_column_type(st, 13) == SQLITE_NULL) {
		/* written before schema 3: the order as given was not kept; it
		 * was either none (-1) or the entry's */
		r.order = (long)sqlite3_column_int64(st, 18);
		store_content_digest(&r, digest);
	}
	if (stored == NULL || strcmp(digest, stored) != 0) {
		problem(v, "content", label, stored ? stored : "(none)", digest,
			"the stored fields do not have the content digest recorded at import");
		if (is_current)
			fix_add(v, eid, digest);
	}
	if (has_entry && is_current != (sqlite3_column_type(st, 14) == SQLITE_NULL))
		problem(v, "version", label, is_current ? "not superseded" : "superseded",
			is_current ? "superseded" : "not superseded",
			"the version's superseded mark contradicts the entry's current version");
}

static void
check_versions(struct vrun *v, long long total, struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(v->s, STMT_VERIFY_VERSIONS, err);
	long long done = 0;
	int rc;

	if (st == NULL) {
		read_failed(v, "table version");
		return;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		check_version(v, st);
		arena_reset(&v->a);
		v->out->versions++;
		if (++done % PROGRESS_EVERY == 0)
			progress(v, "versions", done, total);
	}
	if (rc != SQLITE_DONE)
		read_failed(v, "table version");
	sqlite3_reset(st);
	progress(v, "versions", done, total);
}

/* Names the version numbers missing from 1..max of an entry. */
static void
missing_numbers(struct vrun *v, const char *id, long max)
{
	sqlite3_stmt *st = store_stmt(v->s, STMT_VERSION_LIST, NULL);
	struct buf miss, have;
	long want = 1, n;

	if (st == NULL)
		return;
	buf_init(&miss, NULL);
	buf_init(&have, NULL);
	store_bind_text(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		n = (long)sqlite3_column_int64(st, 0);
		buf_addf(&have, "%s%ld", have.len ? ", " : "", n);
		for (; want < n; want++)
			buf_addf(&miss, "%s%ld", miss.len ? ", " : "", want);
		want = n + 1;
	}
	sqlite3_reset(st);
	problem(v, "version", id, miss.len ? miss.p : "?", have.p,
		"entry %s lacks version%s %s (its newest is %ld)", id,
		strchr(miss.p, ',') ? "s" : "", miss.len ? miss.p : "?", max);
	buf_free(&miss);
	buf_free(&have);
}

/* Each entry: its current version exists, is its own, is the newest, and
 * its versions are numbered 1..N without a gap. */
static void
check_entries(struct vrun *v, struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(v->s, STMT_VERIFY_ENTRIES, err);
	int rc;

	if (st == NULL) {
		read_failed(v, "table entry");
		return;
	}
	progress(v, "entries", 0, 0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = store_col_text(st, 0, &v->a);
		sqlite3_int64 cur = sqlite3_column_int64(st, 1);
		long count = (long)sqlite3_column_int64(st, 4), max = (long)sqlite3_column_int64(st, 5);
		char num[2][32];

		id = id ? id : "(null)";
		v->out->entries++;
		if (!sqlite3_column_int(st, 7))
			problem(v, "book", id, store_col_text(st, 8, &v->a), "none",
				"the book of entry %s is missing", id);
		if (sqlite3_column_type(st, 2) == SQLITE_NULL) {
			snprintf(num[0], sizeof(num[0]), "version row %lld", (long long)cur);
			problem(v, "version", id, num[0], "none",
				"the current version of entry %s is missing", id);
		} else if (strcmp((const char *)sqlite3_column_text(st, 2), id) != 0) {
			problem(v, "version", id, id, (const char *)sqlite3_column_text(st, 2),
				"the current version of entry %s belongs to another entry", id);
		} else if (sqlite3_column_int64(st, 6) != max) {
			snprintf(num[0], sizeof(num[0]), "%ld", max);
			snprintf(num[1], sizeof(num[1]), "%lld", (long long)sqlite3_column_int64(st, 6));
			problem(v, "version", id, num[0], num[1],
				"the current version of entry %s is not its newest", id);
		}
		if (count > 0 && count != max)
			missing_numbers(v, id, max);
		arena_reset(&v->a);
	}
	if (rc != SQLITE_DONE)
		read_failed(v, "table entry");
	sqlite3_reset(st);
}

/* Rows that point at nothing: pages and sections of a missing version,
 * chapters of a missing book. */
static void
check_strays(struct vrun *v, struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(v->s, STMT_VERIFY_STRAYS, err);
	char id[64];
	int rc;

	if (st == NULL) {
		read_failed(v, "stray rows");
		return;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 0);
		snprintf(id, sizeof(id), "%s row %lld", kind, (long long)sqlite3_column_int64(st, 1));
		if (strcmp(kind, "chapter") == 0)
			problem(v, "chapter", id, (const char *)sqlite3_column_text(st, 2), "none",
				"chapter %lld belongs to a missing book",
				(long long)sqlite3_column_int64(st, 1));
		else
			problem(v, kind, id, "a row in table version", "none",
				"%lld %s row%s of version row %lld remain without it",
				(long long)sqlite3_column_int64(st, 2), kind,
				sqlite3_column_int64(st, 2) == 1 ? "" : "s",
				(long long)sqlite3_column_int64(st, 1));
	}
	if (rc != SQLITE_DONE)
		read_failed(v, "stray rows");
	sqlite3_reset(st);
}

/* The fingerprint of the data: stored digests, except where verify found
 * that a current version's fields hash to something else. */
static void
data_fingerprint(struct vrun *v, struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(v->s, STMT_FP_LEAVES, err);
	struct merkle m;
	int rc;

	if (v->nfix > 0)
		qsort(v->fix, v->nfix, sizeof(*v->fix), cmp_fix);
	merkle_init(&m);
	if (st == NULL) {
		read_failed(v, "the fingerprint's leaves");
		return;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct fixup key = { (char *)sqlite3_column_text(st, 0), "" }, *f;
		const char *d = (const char *)sqlite3_column_text(st, 1);
		if (key.id == NULL)
			continue;
		f = v->nfix ? bsearch(&key, v->fix, v->nfix, sizeof(*v->fix), cmp_fix) : NULL;
		merkle_leaf(&m, key.id, f ? f->digest : d ? d : "");
	}
	if (rc != SQLITE_DONE)
		read_failed(v, "the fingerprint's leaves");
	sqlite3_reset(st);
	merkle_root_hex(&m, v->out->fingerprint);
}

/* What the archive held at its last write against what it holds now. */
static void
check_snapshot(struct vrun *v, struct fz_err *err)
{
	struct fz_snapshot *sn = &v->out->snapshot;
	long long now[SNAP__MAX];
	char exp[96], got[96];
	struct fz_err e2;
	int i;

	if (store_snapshot_get(v->s, sn, &e2) < 0) {
		problem(v, "snapshot", "meta", NULL, NULL, "%s", e2.msg);
		return;
	}
	if (!sn->present)
		return;
	if (store_snapshot_count(v->s, now, &e2) < 0) {
		read_failed(v, "the row counts");
		return;
	}
	for (i = 0; i < SNAP__MAX; i++) {
		if (sn->count[i] < 0 || sn->count[i] == now[i])
			continue;
		snprintf(exp, sizeof(exp), "%lld", sn->count[i]);
		snprintf(got, sizeof(got), "%lld", now[i]);
		problem(v, "snapshot", store_snapshot_key((enum snap_count)i), exp, got,
			"the archive held %lld %s at its last write (%s) and now holds %lld",
			sn->count[i], store_snapshot_key((enum snap_count)i), sn->at, now[i]);
	}
	if (strcmp(sn->fingerprint, v->out->fingerprint) != 0)
		problem(v, "fingerprint", "archive", sn->fingerprint, v->out->fingerprint,
			"the archive's fingerprint at its last write (%s) is not that of its data now",
			sn->at);
	(void)err;
}

/* The event log: ids 1..N without a gap, as many as recorded, guards on. */
static void
check_events(struct vrun *v, struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(v->s, STMT_EVENT_COUNT, err);
	long long count, min, max, recorded = -1;
	char exp[64], got[64];

	if (st == NULL || sqlite3_step(st) != SQLITE_ROW) {
		read_failed(v, "table event");
		return;
	}
	count = sqlite3_column_int64(st, 0);
	min = sqlite3_column_int64(st, 1);
	max = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	if ((st = store_stmt(v->s, STMT_META_GET, err)) != NULL) {
		store_bind_text(st, 1, "events");
		if (sqlite3_step(st) == SQLITE_ROW)
			recorded = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	if (count > 0 && (min != 1 || max != count)) {
		snprintf(exp, sizeof(exp), "events 1 to %lld", max);
		snprintf(got, sizeof(got), "%lld events from %lld to %lld", count, min, max);
		problem(v, "events", "event", exp, got, "events are missing from the log");
	}
	if (recorded >= 0 && recorded != count) {
		snprintf(exp, sizeof(exp), "%lld events", recorded);
		snprintf(got, sizeof(got), "%lld events", count);
		problem(v, "events", "event", exp, got,
			"the log held %lld events at its last entry and now holds %lld", recorded,
			count);
	}
	if ((st = store_stmt(v->s, STMT_EVENT_GUARDS, err)) != NULL &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) != 2)
		problem(v, "events", "event", "2 triggers", "fewer",
			"the triggers that keep the event log append-only are gone");
	if (st != NULL)
		sqlite3_reset(st);
}

static unsigned long
be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

/*
 * Checks archive.sqlite as a file before SQLite opens it, so that an empty,
 * foreign or cut-short file is named as such: the SQLite header says how
 * many pages of what size the file holds. Returns 1 when SQLite may be
 * tried on it, 0 when not (the problem went to the sink).
 */
int
store_verify_file(const char *dir, struct verify_sink *sink, struct verify_result *out)
{
	struct vrun v = { 0 };
	unsigned char h[100];
	unsigned long psize, npages;
	char path[4096], exp[96], got[96];
	struct stat sb;
	size_t n;
	FILE *f;

	v.sink = sink;
	v.out = out;
	snprintf(path, sizeof(path), "%s/archive.sqlite", dir);
	if (stat(path, &sb) != 0 || (f = fopen(path, "rb")) == NULL) {
		problem(&v, "file", "archive.sqlite", "a readable file", strerror(errno),
			"%s cannot be read", path);
		return 0;
	}
	n = fread(h, 1, sizeof(h), f);
	fclose(f);
	if (sb.st_size == 0) {
		problem(&v, "file", "archive.sqlite", NULL, "0 bytes", "%s is empty", path);
		return 0;
	}
	if (n < sizeof(h) || memcmp(h, "SQLite format 3", 16) != 0) {
		problem(&v, "file", "archive.sqlite", "an SQLite 3 database", NULL,
			"%s does not start as an SQLite database does", path);
		return 0;
	}
	psize = (unsigned long)h[16] << 8 | h[17];
	psize = psize == 1 ? 65536 : psize;
	npages = be32(h + 28);
	if (npages > 0 && be32(h + 92) == be32(h + 24) && psize >= 512 &&
	    (unsigned long long)sb.st_size < (unsigned long long)npages * psize) {
		snprintf(exp, sizeof(exp), "%llu bytes (%lu pages of %lu)",
			 (unsigned long long)npages * psize, npages, psize);
		snprintf(got, sizeof(got), "%lld bytes", (long long)sb.st_size);
		problem(&v, "file", "archive.sqlite", exp, got, "%s is cut short", path);
	}
	return 1;
}

static sqlite3_int64
meta_int(struct store *s, const char *key)
{
	sqlite3_stmt *st = store_stmt(s, STMT_META_GET, NULL);
	sqlite3_int64 n = 0;

	if (st == NULL)
		return 0;
	store_bind_text(st, 1, key);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

/*
 * The whole verification, in one read transaction so that it sees one state
 * of the archive even while an import runs beside it. Damage goes to the
 * sink; -1 only when the archive cannot be read at all.
 */
int
store_verify(struct store *s, struct verify_sink *sink, struct verify_result *out,
	     struct fz_err *err)
{
	struct vrun v = { 0 };
	long long n[SNAP__MAX] = { 0 };
	sqlite3_stmt *st;
	size_t i;

	memset(out, 0, sizeof(*out));
	v.s = s;
	v.sink = sink;
	v.out = out;
	arena_init(&v.a, 0);
	if ((st = store_stmt(s, STMT_BEGIN_READ, err)) == NULL || sqlite3_step(st) != SQLITE_DONE) {
		arena_free(&v.a);
		return store_fail(s, err, "starting to read the archive");
	}
	v.legacy_max = meta_int(s, "legacy_versions");
	if (store_snapshot_count(s, n, err) < 0)
		read_failed(&v, "the row counts");
	check_database(&v, err);
	check_blobs(&v, n[SNAP_BLOBS], err);
	check_versions(&v, n[SNAP_VERSIONS], err);
	check_entries(&v, err);
	check_strays(&v, err);
	check_index(&v, err);
	data_fingerprint(&v, err);
	check_snapshot(&v, err);
	check_events(&v, err);
	if ((st = store_stmt(s, STMT_COMMIT, NULL)) != NULL)
		sqlite3_step(st);

	for (i = 0; i < v.nbad_blobs; i++)
		free(v.bad_blobs[i]);
	free(v.bad_blobs);
	for (i = 0; i < v.nfix; i++)
		free(v.fix[i].id);
	free(v.fix);
	arena_free(&v.a);
	return 0;
}
