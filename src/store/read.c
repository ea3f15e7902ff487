/* read.c: entries, books and the tree, as readers and pages see them */
#include <string.h>

#include "store_int.h"

int
store_stats(struct store *s, struct fz_stats *out, struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(s, STMT_STATS, err);

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_fail(s, err, "counting the archive");
	out->books = sqlite3_column_int64(st, 0);
	out->entries = sqlite3_column_int64(st, 1);
	out->versions = sqlite3_column_int64(st, 2);
	out->chapters = sqlite3_column_int64(st, 3);
	out->chars = sqlite3_column_int64(st, 4);
	out->bytes = sqlite3_column_int64(st, 5);
	sqlite3_reset(st);
	{
		struct fz_legacy_stats ls;
		if (store_legacy_stats(s, &ls, err) < 0)
			return -1;
		out->captures = ls.captures;
		out->uncaptured = ls.uncaptured;
	}
	return store_fingerprint(s, out->fingerprint, NULL, err);
}

/* Reads a book row laid out as in STMT_BOOK_LIST, starting at column 0. */
static void
book_from_row(sqlite3_stmt *st, struct arena *a, struct fz_book *b)
{
	b->id = store_col_text(st, 0, a);
	b->title = store_col_text(st, 1, a);
	b->edition = store_col_text(st, 2, a);
	b->kind = store_col_text(st, 3, a);
	b->region = store_col_text(st, 4, a);
	b->region_code = store_col_text(st, 5, a);
	b->published = sqlite3_column_int(st, 6);
	b->added_at = store_col_text(st, 7, a);
	b->nentries = sqlite3_column_int64(st, 8);
}

int
store_book_get(struct store *s, const char *id, struct arena *a, struct fz_book *out,
	       struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(s, STMT_BOOK_ONE, err);
	int rc;

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return fz_fail(err, FZ_ENOTFOUND, "no book with id \"%s\"", id);
	if (rc != SQLITE_ROW)
		return store_fail(s, err, "reading a book");
	book_from_row(st, a, out);
	return 0;
}

int
store_books(struct store *s, const char *kind, const char *region_prefix, struct arena *a,
	    struct fz_book **out, size_t *n, struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(s, STMT_BOOK_LIST, err);
	struct fz_book *arr = NULL;
	size_t cap = 0;
	int rc;

	*n = 0;
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, kind);
	store_bind_text(st, 2, region_prefix);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		arr = arena_grow(a, arr, *n, &cap, sizeof(*arr));
		book_from_row(st, a, &arr[(*n)++]);
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, err, "listing books");
	*out = arr;
	return 0;
}

int
store_book_children(struct store *s, const char *book_id, long chapter, struct arena *a,
		    struct fz_node **out, size_t *n, struct fz_err *err)
{
	struct fz_node *arr = NULL;
	sqlite3_int64 *ords = NULL;
	size_t cap = 0, ocap = 0, nch, i, j;
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((st = store_stmt(s, STMT_CHILD_CHAPTERS, err)) == NULL)
		return -1;
	store_bind_text(st, 1, book_id);
	sqlite3_bind_int64(st, 2, chapter);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		arr = arena_grow(a, arr, *n, &cap, sizeof(*arr));
		ords = arena_grow(a, ords, *n, &ocap, sizeof(*ords));
		arr[*n] = (struct fz_node){ .is_chapter = 1,
					    .chapter_id = sqlite3_column_int64(st, 0),
					    .title = store_col_text(st, 1, a),
					    .nentries = sqlite3_column_int64(st, 3) };
		ords[(*n)++] = sqlite3_column_int64(st, 2);
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, err, "listing chapters");
	nch = *n;
	if ((st = store_stmt(s, STMT_CHILD_ENTRIES, err)) == NULL)
		return -1;
	store_bind_text(st, 1, book_id);
	sqlite3_bind_int64(st, 2, chapter);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		arr = arena_grow(a, arr, *n, &cap, sizeof(*arr));
		ords = arena_grow(a, ords, *n, &ocap, sizeof(*ords));
		arr[*n] = (struct fz_node){ .entry_id = store_col_text(st, 0, a),
					    .title = store_col_text(st, 1, a), .nentries = 1 };
		ords[(*n)++] = sqlite3_column_int64(st, 2);
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, err, "listing entries");
	/* chapters and entries share one sibling order: merge by ord (stable) */
	for (i = nch; i < *n; i++) {
		struct fz_node node = arr[i];
		sqlite3_int64 o = ords[i];
		for (j = i; j > 0 && ords[j - 1] > o; j--) {
			arr[j] = arr[j - 1];
			ords[j] = ords[j - 1];
		}
		arr[j] = node;
		ords[j] = o;
	}
	*out = arr;
	return 0;
}

int
store_chapter_path(struct store *s, long chapter, struct arena *a, struct fz_chapter_ref **out,
		   size_t *n, struct fz_err *err)
{
	struct fz_chapter_ref tmp[64];
	size_t k = 0, i;
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	*out = NULL;
	while (chapter != 0 && k < 64) {
		if ((st = store_stmt(s, STMT_CHAPTER_ONE, err)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, chapter);
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			return fz_fail(err, FZ_ENOTFOUND, "no chapter %ld", chapter);
		if (rc != SQLITE_ROW)
			return store_fail(s, err, "reading a chapter");
		tmp[k].id = chapter;
		tmp[k].title = store_col_text(st, 2, a);
		k++;
		chapter = (long)sqlite3_column_int64(st, 1);
	}
	*out = arena_alloc(a, (k ? k : 1) * sizeof(**out));
	for (i = 0; i < k; i++)
		(*out)[i] = tmp[k - 1 - i];
	*n = k;
	return 0;
}

static int
counts(struct store *s, enum stmt_id id, int has_label, struct arena *a, struct fz_count **out,
       size_t *n, struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(s, id, err);
	struct fz_count *arr = NULL;
	size_t cap = 0;
	int rc, c;

	*n = 0;
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		arr = arena_grow(a, arr, *n, &cap, sizeof(*arr));
		c = 0;
		arr[*n].key = store_col_text(st, c++, a);
		arr[*n].label = has_label ? store_col_text(st, c++, a) : arr[*n].key;
		arr[*n].books = sqlite3_column_int64(st, c++);
		arr[*n].entries = sqlite3_column_int64(st, c);
		(*n)++;
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, err, "counting");
	*out = arr;
	return 0;
}

int
store_counts_by_kind(struct store *s, struct arena *a, struct fz_count **out, size_t *n,
		     struct fz_err *err)
{
	return counts(s, STMT_COUNT_KIND, 0, a, out, n, err);
}

int
store_counts_by_region(struct store *s, struct arena *a, struct fz_count **out, size_t *n,
		       struct fz_err *err)
{
	return counts(s, STMT_COUNT_REGION, 1, a, out, n, err);
}

static int
neighbour(struct store *s, enum stmt_id id, const char *book, sqlite3_int64 seq,
	  struct arena *a, const char **out, struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(s, id, err);
	int rc;

	*out = NULL;
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, book);
	sqlite3_bind_int64(st, 2, seq);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = store_col_text(st, 0, a);
	else if (rc != SQLITE_DONE)
		return store_fail(s, err, "reading a neighbour");
	return 0;
}

/*
 * Everything a page or `show` needs about one entry, in one call: the
 * version asked for (or the current one), its sections and pages, the list
 * of all versions, the book, the chapter path and the neighbours.
 */
int
store_entry_get(struct store *s, const char *id, int version, struct arena *a,
		struct fz_entry *e, struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(s, STMT_ENTRY_GET, err);
	sqlite3_int64 vid, seq;
	long chapter;
	size_t cap;
	int rc;

	memset(e, 0, sizeof(*e));
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, id);
	sqlite3_bind_int(st, 2, version);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return version ? fz_fail(err, FZ_ENOTFOUND, "entry \"%s\" has no version %d", id, version)
			       : fz_fail(err, FZ_ENOTFOUND, "no entry with id \"%s\"", id);
	if (rc != SQLITE_ROW)
		return store_fail(s, err, "reading an entry");
	vid = sqlite3_column_int64(st, 0);
	e->id = arena_strdup(a, id);
	e->version = sqlite3_column_int(st, 1);
	e->title = store_col_text(st, 2, a);
	e->body = store_col_text(st, 3, a);
	e->bodylen = (size_t)sqlite3_column_bytes(st, 3);
	e->author = store_col_text(st, 4, a);
	e->year = sqlite3_column_int(st, 5);
	e->order = (long)sqlite3_column_int64(st, 6);
	const char *book_id = store_col_text(st, 7, a);
	chapter = (long)sqlite3_column_int64(st, 8);
	e->sha256 = store_col_text(st, 9, a);
	e->imported_at = store_col_text(st, 10, a);
	e->source_file = store_col_text(st, 11, a);
	e->source_line = (long)sqlite3_column_int64(st, 12);
	e->source_page = store_col_text(st, 13, a);
	e->url = store_col_text(st, 14, a);
	e->orig_id = store_col_text(st, 15, a);
	e->captured_at = store_col_text(st, 16, a);
	e->orig_sha256 = store_col_text(st, 17, a);
	seq = sqlite3_column_int64(st, 18);

	if (store_book_get(s, book_id, a, &e->book, err) < 0 ||
	    store_chapter_path(s, chapter, a, &e->chapters, &e->nchapters, err) < 0)
		return -1;

	if ((st = store_stmt(s, STMT_VERSION_LIST, err)) == NULL)
		return -1;
	store_bind_text(st, 1, id);
	cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		e->versions = arena_grow(a, e->versions, e->nversions, &cap, sizeof(*e->versions));
		e->versions[e->nversions++] = (struct fz_version){
			.n = sqlite3_column_int(st, 0), .sha256 = store_col_text(st, 1, a),
			.imported_at = store_col_text(st, 2, a),
			.superseded_at = store_col_text(st, 3, a) };
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, err, "listing versions");

	if ((st = store_stmt(s, STMT_SECTION_LIST, err)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, vid);
	cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		e->sections = arena_grow(a, e->sections, e->nsections, &cap, sizeof(*e->sections));
		e->sections[e->nsections++] = (struct fz_section){
			.pos = (size_t)sqlite3_column_int64(st, 0), .heading = store_col_text(st, 1, a) };
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, err, "listing sections");

	if ((st = store_stmt(s, STMT_PAGE_LIST, err)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, vid);
	cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		e->pages = arena_grow(a, e->pages, e->npages, &cap, sizeof(*e->pages));
		e->pages[e->npages++] = (struct fz_page){
			.pos = (size_t)sqlite3_column_int64(st, 0), .label = store_col_text(st, 1, a) };
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, err, "listing pages");

	if (neighbour(s, STMT_ENTRY_PREV, book_id, seq, a, &e->prev_id, err) < 0 ||
	    neighbour(s, STMT_ENTRY_NEXT, book_id, seq, a, &e->next_id, err) < 0)
		return -1;
	return 0;
}
