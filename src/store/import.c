/* import.c: taking records in, as new entries or new versions, never losing one */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "store_int.h"

int
store_import_begin(struct store *s, const char *what, struct fz_err *err)
{
	sqlite3_stmt *st;

	if (s->readonly)
		return fz_fail(err, FZ_EINTERNAL, "the archive is open read-only");
	st = store_stmt(s, STMT_BEGIN, err);
	if (st == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, err, "starting the import");
	s->added = s->unchanged = s->versioned = 0;
	snprintf(s->import_what, sizeof(s->import_what), "%s", what ? what : "");
	return 0;
}

int
store_import_commit(struct store *s, const long counts[STORE__MAX], long refused,
		    struct fz_err *err)
{
	sqlite3_stmt *st;
	char fp[65];

	if (store_snapshot_put(s, fp, err) < 0 ||
	    store_event_add(s, "import", s->import_what, counts, refused, fp, err) < 0)
		return -1;
	if (store_index_format_put(s, err) < 0)
		return -1;
	st = store_stmt(s, STMT_COMMIT, err);
	if (st == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, err, "committing the import");
	return 0;
}

void
store_import_rollback(struct store *s)
{
	sqlite3_stmt *st = store_stmt(s, STMT_ROLLBACK, NULL);

	if (st != NULL && !sqlite3_get_autocommit(s->db))
		sqlite3_step(st);
}

static int
exec_simple(struct store *s, const char *sql, struct fz_err *err)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(s, err, sql);
	return 0;
}

int
store_import_mark(struct store *s, struct fz_err *err)
{
	return exec_simple(s, "SAVEPOINT file", err);
}

int
store_import_keep(struct store *s, struct fz_err *err)
{
	return exec_simple(s, "RELEASE file", err);
}

int
store_import_undo(struct store *s, struct fz_err *err)
{
	return exec_simple(s, "ROLLBACK TO file; RELEASE file", err);
}

/* Runs a statement that returns one integer. */
static int
one_int(struct store *s, sqlite3_stmt *st, sqlite3_int64 *out, struct fz_err *err)
{
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_fail(s, err, "reading a counter");
	*out = sqlite3_column_int64(st, 0);
	return 0;
}

int
store_step_done(struct store *s, sqlite3_stmt *st, const char *what, struct fz_err *err)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, err, what);
	return 0;
}

/*
 * Inserts the book, or brings its metadata up to date: a book is a
 * heading for its entries, not a record, so later imports may fill in what
 * earlier ones lacked (a field given as NULL keeps the old value).
 */
static int
book_put(struct store *s, const struct fz_book *b, struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(s, STMT_BOOK_GET, err);
	sqlite3_int64 seq = 0;
	char now[32];
	int rc;

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, b->id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if ((st = store_stmt(s, STMT_BOOK_UPDATE, err)) == NULL)
			return -1;
		store_bind_text(st, 1, b->id);
		store_bind_text(st, 2, b->title);
		store_bind_text(st, 3, b->edition);
		store_bind_text(st, 4, b->kind);
		store_bind_text(st, 5, b->region);
		store_bind_text(st, 6, b->region_code);
		if (b->published)
			sqlite3_bind_int(st, 7, b->published);
		return store_step_done(s, st, "updating a book", err);
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, err, "reading a book");
	if ((st = store_stmt(s, STMT_BOOK_NEXT_SEQ, err)) == NULL || one_int(s, st, &seq, err) < 0)
		return -1;
	if ((st = store_stmt(s, STMT_BOOK_INSERT, err)) == NULL)
		return -1;
	fz_now_rfc3339(now);
	store_bind_text(st, 1, b->id);
	sqlite3_bind_int64(st, 2, seq);
	store_bind_text(st, 3, b->title);
	store_bind_text(st, 4, b->edition);
	store_bind_text(st, 5, b->kind);
	store_bind_text(st, 6, b->region);
	store_bind_text(st, 7, b->region_code);
	if (b->published)
		sqlite3_bind_int(st, 8, b->published);
	sqlite3_bind_text(st, 9, now, -1, SQLITE_TRANSIENT);
	return store_step_done(s, st, "adding a book", err);
}

static int
next_ord(struct store *s, const char *book, sqlite3_int64 parent, sqlite3_int64 *out,
	 struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(s, STMT_SIBLING_NEXT_ORD, err);

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, book);
	sqlite3_bind_int64(st, 2, parent);
	return one_int(s, st, out, err);
}

/* Finds or makes the chapter for each level of path; returns the deepest
 * (0: the book's top level). */
static int
chapter_put(struct store *s, const struct fz_record *r, sqlite3_int64 *out, struct fz_err *err)
{
	sqlite3_int64 parent = 0, ord = 0;
	sqlite3_stmt *st;
	size_t i;
	int rc;

	for (i = 0; i < r->npath; i++) {
		if ((st = store_stmt(s, STMT_CHAPTER_FIND, err)) == NULL)
			return -1;
		store_bind_text(st, 1, r->book.id);
		sqlite3_bind_int64(st, 2, parent);
		store_bind_text(st, 3, r->path[i]);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			parent = sqlite3_column_int64(st, 0);
			continue;
		}
		if (rc != SQLITE_DONE)
			return store_fail(s, err, "reading a chapter");
		if (next_ord(s, r->book.id, parent, &ord, err) < 0)
			return -1;
		if ((st = store_stmt(s, STMT_CHAPTER_INSERT, err)) == NULL)
			return -1;
		store_bind_text(st, 1, r->book.id);
		sqlite3_bind_int64(st, 2, parent);
		store_bind_text(st, 3, r->path[i]);
		sqlite3_bind_int64(st, 4, ord);
		if (store_step_done(s, st, "adding a chapter", err) < 0)
			return -1;
		parent = sqlite3_last_insert_rowid(s->db);
	}
	*out = parent;
	return 0;
}

/* Keeps bytes a record or a capture came from, compressed, once per digest. */
int
store_blob_put(struct store *s, const char *sha, const void *raw, size_t len, struct fz_err *err)
{
	size_t cap = ZSTD_compressBound(len), n;
	sqlite3_stmt *st;
	void *z;
	int rc;

	if ((st = store_stmt(s, STMT_BLOB_INSERT, err)) == NULL)
		return -1;
	z = xmalloc(cap);
	n = ZSTD_compress(z, cap, raw, len, 3);
	if (ZSTD_isError(n)) {
		free(z);
		return fz_fail(err, FZ_EINTERNAL, "compressing: %s", ZSTD_getErrorName(n));
	}
	sqlite3_bind_text(st, 1, sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)len);
	sqlite3_bind_text(st, 3, "zstd", -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, z, (int)n, SQLITE_STATIC);
	rc = store_step_done(s, st, "storing the source bytes", err);
	free(z);
	return rc;
}

/* Sections are paragraphs that open with 【heading】; kept as positions so
 * that pages and citations need not parse the body again. */
static int
sections_put(struct store *s, sqlite3_int64 vid, const char *body, struct fz_err *err)
{
	const char *cur = body, *heading;
	size_t pos, hlen;
	sqlite3_stmt *st;

	while (store_section_next(body, &cur, &pos, &heading, &hlen)) {
		if ((st = store_stmt(s, STMT_SECTION_INSERT, err)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, vid);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)pos);
		sqlite3_bind_text(st, 3, heading, (int)hlen, SQLITE_STATIC);
		if (store_step_done(s, st, "adding a section", err) < 0)
			return -1;
	}
	return 0;
}

static int
pages_put(struct store *s, sqlite3_int64 vid, const struct fz_record *r, struct fz_err *err)
{
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < r->npages; i++) {
		if ((st = store_stmt(s, STMT_PAGE_INSERT, err)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, vid);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)r->pages[i].pos);
		store_bind_text(st, 3, r->pages[i].label);
		if (store_step_done(s, st, "adding a page", err) < 0)
			return -1;
	}
	return 0;
}

static int
version_put(struct store *s, const struct fz_record *r, int n, const char *csha,
	    sqlite3_int64 chapter, sqlite3_int64 *vid, struct fz_err *err)
{
	sqlite3_stmt *st;
	char sha[65], now[32];
	size_t blen = strlen(r->body);

	fz_sha256_hex(r->raw ? r->raw : (const void *)"", r->raw ? r->rawlen : 0, sha);
	if (r->raw && store_blob_put(s, sha, r->raw, r->rawlen, err) < 0)
		return -1;
	if ((st = store_stmt(s, STMT_VERSION_INSERT, err)) == NULL)
		return -1;
	fz_now_rfc3339(now);
	store_bind_text(st, 1, r->id);
	sqlite3_bind_int(st, 2, n);
	store_bind_text(st, 3, r->title);
	sqlite3_bind_text(st, 4, r->body, (int)blen, SQLITE_STATIC);
	store_bind_text(st, 5, r->author);
	if (r->year)
		sqlite3_bind_int(st, 6, r->year);
	store_bind_text(st, 7, r->extra);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)utf8_nchar(r->body, blen));
	store_bind_text(st, 9, csha);
	sqlite3_bind_text(st, 10, sha, -1, SQLITE_TRANSIENT);
	store_bind_text(st, 11, r->source_file);
	if (r->source_line > 0)
		sqlite3_bind_int64(st, 12, r->source_line);
	store_bind_text(st, 13, r->source_page);
	store_bind_text(st, 14, r->url);
	store_bind_text(st, 15, r->orig_id);
	store_bind_text(st, 16, r->captured_at);
	store_bind_text(st, 17, r->orig_sha256);
	sqlite3_bind_text(st, 18, now, -1, SQLITE_TRANSIENT);
	/* what the content digest hashed, kept so that verify can recompute it */
	store_bind_text(st, 19, r->book.id);
	sqlite3_bind_int64(st, 20, chapter);
	if (r->order >= 0)
		sqlite3_bind_int64(st, 21, r->order);
	if (store_step_done(s, st, "adding a version", err) < 0)
		return -1;
	*vid = sqlite3_last_insert_rowid(s->db);
	if (sections_put(s, *vid, r->body, err) < 0 || pages_put(s, *vid, r, err) < 0)
		return -1;
	if ((st = store_stmt(s, STMT_FTS_INSERT, err)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, *vid);
	store_bind_text(st, 2, r->title);
	sqlite3_bind_text(st, 3, r->body, (int)blen, SQLITE_STATIC);
	return store_step_done(s, st, "indexing a version", err);
}

/*
 * Takes one record in. The same content again changes nothing; different
 * content under a known id becomes version n+1, and the old version stays,
 * marked with when it was superseded. Nothing is deleted: the old version's
 * text only leaves the search index, which holds current versions.
 */
int
store_import_record(struct store *s, const struct fz_record *r, enum store_outcome *outcome,
		    struct fz_err *err)
{
	sqlite3_int64 chapter = 0, ord = 0, seq = 0, vid = 0, old_vid = 0;
	sqlite3_stmt *st;
	char csha[65], now[32];
	int rc, n = 1;

	store_content_digest(r, csha);
	if (store_legacy_note_record(s, r, err) < 0) /* its old address, if it has one */
		return -1;
	if ((st = store_stmt(s, STMT_ENTRY_CURRENT, err)) == NULL)
		return -1;
	store_bind_text(st, 1, r->id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (strcmp((const char *)sqlite3_column_text(st, 2), csha) == 0) {
			*outcome = STORE_UNCHANGED;
			s->unchanged++;
			return 0;
		}
		old_vid = sqlite3_column_int64(st, 0);
		n = sqlite3_column_int(st, 1) + 1;
		/* the old text leaves the index (FTS5 needs the values it indexed) */
		sqlite3_stmt *del = store_stmt(s, STMT_FTS_DELETE, err);
		if (del == NULL)
			return -1;
		sqlite3_bind_int64(del, 1, old_vid);
		sqlite3_bind_value(del, 2, sqlite3_column_value(st, 3));
		sqlite3_bind_value(del, 3, sqlite3_column_value(st, 4));
		if (store_step_done(s, del, "updating the index", err) < 0)
			return -1;
	} else if (rc != SQLITE_DONE) {
		return store_fail(s, err, "reading an entry");
	}

	if (book_put(s, &r->book, err) < 0 || chapter_put(s, r, &chapter, err) < 0)
		return -1;
	if (r->order >= 0)
		ord = r->order;
	else if (next_ord(s, r->book.id, chapter, &ord, err) < 0)
		return -1;
	if (version_put(s, r, n, csha, chapter, &vid, err) < 0)
		return -1;

	if (old_vid) {
		fz_now_rfc3339(now);
		if ((st = store_stmt(s, STMT_VERSION_SUPERSEDE, err)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, old_vid);
		sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
		if (store_step_done(s, st, "superseding a version", err) < 0)
			return -1;
		if ((st = store_stmt(s, STMT_ENTRY_UPDATE, err)) == NULL)
			return -1;
		store_bind_text(st, 1, r->id);
		store_bind_text(st, 2, r->book.id);
		sqlite3_bind_int64(st, 3, chapter);
		sqlite3_bind_int64(st, 4, ord);
		sqlite3_bind_int64(st, 5, vid);
		if (store_step_done(s, st, "updating an entry", err) < 0)
			return -1;
		*outcome = STORE_VERSIONED;
		s->versioned++;
		return 0;
	}
	if ((st = store_stmt(s, STMT_ENTRY_NEXT_SEQ, err)) == NULL || one_int(s, st, &seq, err) < 0)
		return -1;
	if ((st = store_stmt(s, STMT_ENTRY_INSERT, err)) == NULL)
		return -1;
	store_bind_text(st, 1, r->id);
	store_bind_text(st, 2, r->book.id);
	sqlite3_bind_int64(st, 3, chapter);
	sqlite3_bind_int64(st, 4, ord);
	sqlite3_bind_int64(st, 5, seq);
	sqlite3_bind_int64(st, 6, vid);
	if (store_step_done(s, st, "adding an entry", err) < 0)
		return -1;
	*outcome = STORE_ADDED;
	s->added++;
	return 0;
}

/* Rebuilds the index from current versions: the data is the source of
 * truth, the index only a derived copy. */
int
store_reindex(struct store *s, struct fz_err *err)
{
	static const long none[STORE__MAX];
	sqlite3_stmt *st;
	char fp[65];

	if (store_import_begin(s, "reindex", err) < 0)
		return -1;
	if ((st = store_stmt(s, STMT_FTS_CLEAR, err)) == NULL ||
	    store_step_done(s, st, "clearing the index", err) < 0 ||
	    (st = store_stmt(s, STMT_FTS_FILL, err)) == NULL ||
	    store_step_done(s, st, "rebuilding the index", err) < 0)
		goto fail;
	if (store_snapshot_put(s, fp, err) < 0 ||
	    store_event_add(s, "reindex", NULL, none, 0, fp, err) < 0 ||
	    store_index_format_put(s, err) < 0)
		goto fail;
	if ((st = store_stmt(s, STMT_COMMIT, err)) == NULL || store_step_done(s, st, "committing", err) < 0)
		goto fail;
	return 0;
fail:
	store_import_rollback(s);
	return -1;
}
