/* capture.c: a crawl's captures kept as they came, and the old site's map to ours */
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "store_int.h"

int
store_capture_put(struct store *s, struct fz_capture *c, int *is_new, struct fz_err *err)
{
	sqlite3_stmt *st;
	char sha[65], now[32];
	int rc;

	fz_sha256_hex(c->bytes ? c->bytes : (const void *)"", c->len, sha);
	if ((st = store_stmt(s, STMT_CAPTURE_FIND, err)) == NULL)
		return -1;
	store_bind_text(st, 1, c->url);
	store_bind_text(st, 2, c->captured_at);
	sqlite3_bind_text(st, 3, sha, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		c->id = (long)sqlite3_column_int64(st, 0);
		*is_new = 0;
		return 0;
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, err, "looking for a capture");
	if (store_blob_put(s, sha, c->bytes ? c->bytes : "", c->len, err) < 0)
		return -1;
	if ((st = store_stmt(s, STMT_CAPTURE_INSERT, err)) == NULL)
		return -1;
	fz_now_rfc3339(now);
	store_bind_text(st, 1, c->url);
	store_bind_text(st, 2, c->captured_at);
	sqlite3_bind_text(st, 3, sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)c->len);
	sqlite3_bind_int(st, 5, c->http != 0);
	store_bind_text(st, 6, c->kind ? c->kind : "other");
	if (c->run)
		sqlite3_bind_int(st, 7, c->run);
	store_bind_text(st, 8, c->k);
	if (c->a)
		sqlite3_bind_int64(st, 9, c->a);
	if (c->rec)
		sqlite3_bind_int64(st, 10, c->rec);
	store_bind_text(st, 11, c->problem);
	store_bind_text(st, 12, c->source_file);
	sqlite3_bind_int64(st, 13, c->source_offset);
	sqlite3_bind_text(st, 14, now, -1, SQLITE_STATIC);
	if (store_step_done(s, st, "keeping a capture", err) < 0)
		return -1;
	c->id = (long)sqlite3_last_insert_rowid(s->db);
	*is_new = 1;
	return 0;
}

int
store_capture_link(struct store *s, long id, const char *entry_id, struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(s, STMT_CAPTURE_LINK, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	store_bind_text(st, 2, entry_id);
	return store_step_done(s, st, "linking a capture to its entry", err);
}

static void
capture_row(sqlite3_stmt *st, struct arena *a, struct fz_capture *c)
{
	memset(c, 0, sizeof(*c));
	c->id = (long)sqlite3_column_int64(st, 0);
	c->url = store_col_text(st, 1, a);
	c->captured_at = store_col_text(st, 2, a);
	c->sha256 = store_col_text(st, 3, a);
	c->len = (size_t)sqlite3_column_int64(st, 4);
	c->http = sqlite3_column_int(st, 5);
	c->kind = store_col_text(st, 6, a);
	c->run = sqlite3_column_int(st, 7);
	c->k = store_col_text(st, 8, a);
	c->a = (long)sqlite3_column_int64(st, 9);
	c->rec = (long)sqlite3_column_int64(st, 10);
	c->problem = store_col_text(st, 11, a);
	c->source_file = store_col_text(st, 12, a);
	c->source_offset = sqlite3_column_int64(st, 13);
	c->entry_id = store_col_text(st, 14, a);
}

static int
capture_rows(struct store *s, sqlite3_stmt *st, struct arena *ar, struct fz_capture **out,
	     size_t *n, struct fz_err *err)
{
	struct fz_capture *arr = NULL;
	size_t cap = 0;
	int rc;

	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			struct fz_capture *na;
			cap = cap ? 2 * cap : 16;
			na = arena_alloc(ar, cap * sizeof(*na));
			if (*n)
				memcpy(na, arr, *n * sizeof(*na));
			arr = na;
		}
		capture_row(st, ar, &arr[(*n)++]);
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, err, "listing captures");
	*out = arr;
	return 0;
}

int
store_captures(struct store *s, const char *kind, long a, const char *kprefix, long since,
	       struct arena *ar, struct fz_capture **out, size_t *n, struct fz_err *err)
{
	sqlite3_stmt *st;

	if (since > 0) {
		if ((st = store_stmt(s, STMT_CAPTURE_SINCE, err)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, since);
	} else if (kprefix != NULL || a > 0) {
		if ((st = store_stmt(s, STMT_CAPTURE_BY_ITEM, err)) == NULL)
			return -1;
		store_bind_text(st, 1, kind);
		sqlite3_bind_int64(st, 2, a);
		store_bind_text(st, 3, kprefix ? kprefix : "");
	} else {
		if ((st = store_stmt(s, STMT_CAPTURE_BY_KIND, err)) == NULL)
			return -1;
		store_bind_text(st, 1, kind);
	}
	return capture_rows(s, st, ar, out, n, err);
}

int
store_entry_captures(struct store *s, const char *entry_id, struct arena *ar,
		     struct fz_capture **out, size_t *n, struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(s, STMT_CAPTURE_OF_ENTRY, err);

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, entry_id);
	return capture_rows(s, st, ar, out, n, err);
}

/*
 * One capture and its bytes, decompressed into the arena. A blob that does
 * not decompress to its recorded size is an error (verify reports it too):
 * a reader must never be shown bytes that are not what was captured.
 */
int
store_capture_get(struct store *s, long id, struct arena *ar, struct fz_capture *out,
		  struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(s, STMT_CAPTURE_GET, err);
	const void *z;
	size_t zlen, n;
	void *raw;
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return fz_fail(err, FZ_ENOTFOUND, "no capture %ld", id);
	if (rc != SQLITE_ROW)
		return store_fail(s, err, "reading a capture");
	capture_row(st, ar, out);
	if ((st = store_stmt(s, STMT_BLOB_GET, err)) == NULL)
		return -1;
	store_bind_text(st, 1, out->sha256);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? fz_fail(err, FZ_ESTORE, "capture %ld: its bytes are missing", id)
					 : store_fail(s, err, "reading a capture's bytes");
	z = sqlite3_column_blob(st, 2);
	zlen = (size_t)sqlite3_column_bytes(st, 2);
	out->len = (size_t)sqlite3_column_int64(st, 0);
	raw = arena_alloc(ar, out->len + 1);
	if (strcmp((const char *)sqlite3_column_text(st, 1), "zstd") != 0)
		return fz_fail(err, FZ_ESTORE, "capture %ld: unknown codec", id);
	n = ZSTD_decompress(raw, out->len, z, zlen);
	if (ZSTD_isError(n) || n != out->len)
		return fz_fail(err, FZ_ESTORE, "capture %ld: its stored bytes are damaged", id);
	((char *)raw)[out->len] = '\0';
	out->bytes = raw;
	return 0;
}

int
store_library_put(struct store *s, const struct fz_library *l, struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(s, STMT_LIBRARY_PUT, err);

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, l->code);
	store_bind_text(st, 2, l->name);
	store_bind_text(st, 3, l->region);
	store_bind_text(st, 4, l->region_code);
	return store_step_done(s, st, "recording a library", err);
}

int
store_libraries(struct store *s, struct arena *ar, struct fz_library **out, size_t *n,
		struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(s, STMT_LIBRARY_LIST, err);
	struct fz_library *arr = NULL;
	size_t cap = 0;
	int rc;

	*n = 0;
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			struct fz_library *na;
			cap = cap ? 2 * cap : 16;
			na = arena_alloc(ar, cap * sizeof(*na));
			if (*n)
				memcpy(na, arr, *n * sizeof(*na));
			arr = na;
		}
		arr[(*n)++] = (struct fz_library){ store_col_text(st, 0, ar), store_col_text(st, 1, ar),
						   store_col_text(st, 2, ar), store_col_text(st, 3, ar) };
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, err, "listing libraries");
	*out = arr;
	return 0;
}

int
store_legacy_put(struct store *s, const struct fz_legacy *l, struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(s, STMT_LEGACY_PUT, err);

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, l->lib);
	sqlite3_bind_int64(st, 2, l->book);
	sqlite3_bind_int64(st, 3, l->rec);
	store_bind_text(st, 4, l->node);
	store_bind_text(st, 5, l->title);
	store_bind_text(st, 6, l->url);
	store_bind_text(st, 7, l->book_id);
	if (l->heads)
		sqlite3_bind_int64(st, 8, l->heads);
	sqlite3_bind_int64(st, 9, l->parent);
	sqlite3_bind_int64(st, 10, l->ord);
	store_bind_text(st, 11, l->entry_id);
	if (store_step_done(s, st, "recording an old address", err) < 0)
		return -1;
	if (l->heads == 0)
		return 0;
	/* the chapter an item heads sits where the item was listed */
	if ((st = store_stmt(s, STMT_CHAPTER_SET_ORD, err)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, l->heads);
	sqlite3_bind_int64(st, 2, l->ord);
	return store_step_done(s, st, "placing a chapter", err);
}

int
store_chapter_lookup(struct store *s, const char *book_id, const char *const *path, size_t npath,
		     long *chapter, size_t *depth, struct fz_err *err)
{
	sqlite3_int64 parent = 0;
	sqlite3_stmt *st;
	size_t i;
	int rc;

	for (i = 0; i < npath; i++) {
		if ((st = store_stmt(s, STMT_CHAPTER_FIND, err)) == NULL)
			return -1;
		store_bind_text(st, 1, book_id);
		sqlite3_bind_int64(st, 2, parent);
		store_bind_text(st, 3, path[i]);
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_ROW)
			return store_fail(s, err, "reading a chapter");
		parent = sqlite3_column_int64(st, 0);
	}
	*chapter = (long)parent;
	*depth = i;
	return 0;
}

int
store_book_missing(struct store *s, const char *book_id, long chapter, struct arena *ar,
		   struct fz_legacy **out, size_t *n, struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(s, STMT_LEGACY_MISSING, err);
	struct fz_legacy *arr = NULL;
	size_t cap = 0;
	int rc;

	*n = 0;
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, book_id);
	sqlite3_bind_int64(st, 2, chapter);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			struct fz_legacy *na;
			cap = cap ? 2 * cap : 8;
			na = arena_alloc(ar, cap * sizeof(*na));
			if (*n)
				memcpy(na, arr, *n * sizeof(*na));
			arr = na;
		}
		arr[(*n)++] = (struct fz_legacy){
			.lib = store_col_text(st, 0, ar), .book = (long)sqlite3_column_int64(st, 1),
			.rec = (long)sqlite3_column_int64(st, 2), .node = store_col_text(st, 3, ar),
			.title = store_col_text(st, 4, ar), .url = store_col_text(st, 5, ar),
			.book_id = book_id, .parent = chapter, .ord = (long)sqlite3_column_int64(st, 6)
		};
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, err, "listing items never captured");
	*out = arr;
	return 0;
}

int
store_legacy_stats(struct store *s, struct fz_legacy_stats *out, struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(s, STMT_LEGACY_STATS, err);

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_fail(s, err, "counting captures");
	out->captures = (long)sqlite3_column_int64(st, 0);
	out->problems = (long)sqlite3_column_int64(st, 1);
	out->uncaptured = (long)sqlite3_column_int64(st, 2);
	return 0;
}
