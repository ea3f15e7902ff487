/* walk.c: every version, in the order it came in, as a record again (for exports) */
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "store_int.h"

struct store_walk {
	struct store *s;
	sqlite3_stmt *st;         /* STMT_WALK, stepped by store_walk_next */
	int flags;
	sqlite3_int64 legacy_max; /* versions up to this id predate schema 3 */
};

/*
 * Starts a walk in one read transaction, so that the export is one state of
 * the archive even while an import runs beside it. total gets the number of
 * versions the walk will give. The walk owns STMT_WALK until closed; other
 * reads may go on between steps.
 */
int
store_walk_open(struct store *s, int flags, struct store_walk **out, long *total,
		struct fz_err *err)
{
	struct store_walk *w;
	sqlite3_stmt *st;

	*out = NULL;
	if ((st = store_stmt(s, STMT_BEGIN_READ, err)) == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, err, "starting to read the archive");
	w = xcalloc(1, sizeof(*w));
	w->s = s;
	w->flags = flags;
	if ((st = store_stmt(s, STMT_META_GET, err)) == NULL)
		goto fail;
	store_bind_text(st, 1, "legacy_versions");
	if (sqlite3_step(st) == SQLITE_ROW)
		w->legacy_max = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if ((st = store_stmt(s, STMT_WALK_COUNT, err)) == NULL)
		goto fail;
	sqlite3_bind_int(st, 1, (flags & STORE_WALK_CURRENT) != 0);
	if (sqlite3_step(st) != SQLITE_ROW) {
		store_fail(s, err, "counting versions");
		goto fail;
	}
	*total = (long)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if ((w->st = store_stmt(s, STMT_WALK, err)) == NULL)
		goto fail;
	sqlite3_bind_int(w->st, 1, (flags & STORE_WALK_CURRENT) != 0);
	*out = w;
	return 0;
fail:
	store_walk_close(w);
	return -1;
}

void
store_walk_close(struct store_walk *w)
{
	sqlite3_stmt *st;

	if (w == NULL)
		return;
	if (w->st != NULL)
		sqlite3_reset(w->st);
	if ((st = store_stmt(w->s, STMT_COMMIT, NULL)) != NULL && !sqlite3_get_autocommit(w->s->db))
		sqlite3_step(st);
	free(w);
}

/* The book's fields as stored now (a book is a heading, not a record). */
static int
book_fill(struct store_walk *w, const char *id, struct arena *a, struct fz_book *b,
	  struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(w->s, STMT_BOOK_ONE, err);
	int rc;

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? fz_fail(err, FZ_ESTORE, "book \"%s\" is missing", id)
					 : store_fail(w->s, err, "reading a book");
	}
	b->id = store_col_text(st, 0, a);
	b->title = store_col_text(st, 1, a);
	b->edition = store_col_text(st, 2, a);
	b->kind = store_col_text(st, 3, a);
	b->region = store_col_text(st, 4, a);
	b->region_code = store_col_text(st, 5, a);
	b->published = sqlite3_column_int(st, 6);
	sqlite3_reset(st);
	return 0;
}

/* The chapter path from the book's root. */
static int
path_fill(struct store_walk *w, sqlite3_int64 chapter, struct arena *a, struct fz_record *r,
	  struct fz_err *err)
{
	struct fz_chapter_ref *refs;
	size_t n, i;

	if (store_chapter_path(w->s, (long)chapter, a, &refs, &n, err) < 0)
		return -1;
	r->path = arena_alloc(a, (n ? n : 1) * sizeof(*r->path));
	for (i = 0; i < n; i++)
		r->path[i] = refs[i].title;
	r->npath = n;
	return 0;
}

static int
pages_fill(struct store_walk *w, sqlite3_int64 vid, struct arena *a, struct fz_record *r,
	   struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(w->s, STMT_PAGE_LIST, err);
	size_t cap = 0;
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, vid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r->pages = arena_grow(a, r->pages, r->npages, &cap, sizeof(*r->pages));
		r->pages[r->npages].pos = (size_t)sqlite3_column_int64(st, 0);
		r->pages[r->npages++].label = store_col_text(st, 1, a);
	}
	if (rc != SQLITE_DONE)
		return store_fail(w->s, err, "reading pages");
	return 0;
}

/* The bytes the version was imported from, decompressed into the arena. */
static int
raw_fill(struct store_walk *w, const char *sha, struct arena *a, struct fz_record *r,
	 struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(w->s, STMT_BLOB_GET, err);
	unsigned long long size;
	const void *z;
	size_t zlen, n;
	int rc;

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, sha);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		/* a record imported without its bytes has none: not an error */
		return rc == SQLITE_DONE ? 0 : store_fail(w->s, err, "reading source bytes");
	}
	z = sqlite3_column_blob(st, 2);
	zlen = (size_t)sqlite3_column_bytes(st, 2);
	size = ZSTD_getFrameContentSize(z, zlen);
	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
	    (long long)size != sqlite3_column_int64(st, 0)) {
		sqlite3_reset(st);
		return fz_fail(err, FZ_ESTORE, "the source bytes %s are damaged (run fangzhi verify)",
			       sha);
	}
	r->raw = arena_alloc(a, size ? size : 1);
	n = ZSTD_decompress((void *)r->raw, size, z, zlen);
	sqlite3_reset(st);
	if (ZSTD_isError(n) || n != size)
		return fz_fail(err, FZ_ESTORE, "the source bytes %s are damaged (run fangzhi verify)",
			       sha);
	r->rawlen = n;
	return 0;
}

/*
 * The next version as a record that, imported again, has the same content
 * digest; strings live in arena a (reset it between calls to keep memory
 * flat). out->digest_ok says whether the stored fields still hash to the
 * digest recorded at import. Returns 1, 0 at the end, -1 with err.
 */
int
store_walk_next(struct store_walk *w, struct arena *a, struct fz_stored *out, struct fz_err *err)
{
	sqlite3_stmt *st = w->st;
	struct fz_record *r = &out->r;
	const char *book_id;
	char digest[65];
	int rc;

	memset(out, 0, sizeof(*out));
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return store_fail(w->s, err, "reading versions");
	out->vid = (long)sqlite3_column_int64(st, 0);
	r->id = store_col_text(st, 1, a);
	out->n = sqlite3_column_int(st, 2);
	r->title = store_col_text(st, 3, a);
	r->body = store_col_text(st, 4, a);
	r->author = store_col_text(st, 5, a);
	r->year = sqlite3_column_int(st, 6);
	r->extra = store_col_text(st, 7, a);
	r->order = sqlite3_column_type(st, 8) == SQLITE_NULL ? -1 : (long)sqlite3_column_int64(st, 8);
	book_id = store_col_text(st, 9, a);
	out->sha256 = store_col_text(st, 11, a);
	out->content_sha256 = store_col_text(st, 12, a);
	r->source_file = store_col_text(st, 13, a);
	r->source_line = (long)sqlite3_column_int64(st, 14);
	r->source_page = store_col_text(st, 15, a);
	r->url = store_col_text(st, 16, a);
	r->orig_id = store_col_text(st, 17, a);
	r->captured_at = store_col_text(st, 18, a);
	r->orig_sha256 = store_col_text(st, 19, a);
	out->imported_at = store_col_text(st, 20, a);
	out->superseded_at = store_col_text(st, 21, a);
	out->current = sqlite3_column_int(st, 22);
	if (r->id == NULL || r->title == NULL || r->body == NULL || book_id == NULL)
		return fz_fail(err, FZ_ESTORE, "version row %ld is damaged (run fangzhi verify)",
			       out->vid);
	if (book_fill(w, book_id, a, &r->book, err) < 0 ||
	    path_fill(w, sqlite3_column_int64(st, 10), a, r, err) < 0 ||
	    pages_fill(w, out->vid, a, r, err) < 0)
		return fz_wrap(err, "entry %s version %d", r->id, out->n);
	if ((w->flags & STORE_WALK_RAW) && out->sha256 != NULL &&
	    raw_fill(w, out->sha256, a, r, err) < 0)
		return fz_wrap(err, "entry %s version %d", r->id, out->n);

	store_content_digest(r, digest);
	if (out->vid <= w->legacy_max && sqlite3_column_type(st, 8) == SQLITE_NULL &&
	    out->content_sha256 != NULL && strcmp(digest, out->content_sha256) != 0) {
		/* before schema 3 the order as given was not kept: it was the
		 * entry's, if not none */
		r->order = (long)sqlite3_column_int64(st, 23);
		store_content_digest(r, digest);
		if (strcmp(digest, out->content_sha256) != 0)
			r->order = -1;
	}
	out->digest_ok = out->content_sha256 != NULL && strcmp(digest, out->content_sha256) == 0;
	return 1;
}
