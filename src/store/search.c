/* search.c: full-text search over current versions, with snippets */
#include <string.h>

#include "store_int.h"

#define SNIPPET_WIDTH 80 /* characters around the best match */

/*
 * A region code names its region and everything below it (GB/T 2260: two
 * digits province, two city, two county): 370000 → "37", 370900 → "3709".
 */
static const char *
region_prefix(const char *code, struct arena *a, struct fz_err *err)
{
	size_t len = strlen(code), i;

	if (len != 6)
		goto bad;
	for (i = 0; i < len; i++)
		if (code[i] < '0' || code[i] > '9')
			goto bad;
	while (len > 2 && code[len - 1] == '0' && code[len - 2] == '0')
		len -= 2;
	return arena_strndup(a, code, len);
bad:
	fz_fail(err, FZ_EINPUT, "region \"%s\" is not a GB/T 2260 code (six digits, e.g. 370900)",
		code);
	return NULL;
}

/*
 * Whether a query matches so much of the archive that bm25 is not worth its
 * price: bm25 reads every position of every hit (a common character at
 * 1 GB: 100-170 ms), while counting the hits reads only the match itself.
 * Past max(1000, a quarter of the entries) a score tells little anyway.
 */
static int
is_common(struct store *s, const struct buf *match, int *common, struct fz_err *err)
{
	sqlite3_stmt *st;
	sqlite3_int64 hits, entries;

	if ((st = store_stmt(s, STMT_SEARCH_COUNT, err)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, match->p, (int)match->len, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_fail(s, err, "searching");
	hits = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	*common = 0;
	if (hits <= 1000)
		return 0;
	if ((st = store_stmt(s, STMT_ENTRY_COUNT, err)) == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_fail(s, err, "counting entries");
	entries = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	*common = hits > entries / 4;
	return 0;
}

/*
 * Runs a query: parses it (errors are the reader's, FZ_EINPUT), refuses an
 * index of another format (it would answer wrongly, not fail), asks FTS5
 * for the ranked rowids of the page asked for and the total, then reads
 * each hit's text to cut its snippet. Bodies are read only for the hits
 * shown, never for the whole result.
 */
int
store_search(struct store *s, const struct search_opts *o, struct arena *a,
	     struct search_result *out, struct fz_err *err)
{
	struct query q;
	struct buf match, title;
	sqlite3_stmt *st;
	sqlite3_int64 *rowids = NULL;
	size_t cap = 0, i;
	const char *region = NULL;
	int rc, common = 0, stale;

	memset(out, 0, sizeof(*out));
	if (o->query == NULL)
		return fz_fail(err, FZ_EINPUT, "no query given");
	if (text_query_parse(o->query, a, &q, err) < 0)
		return -1;
	if (o->region && (region = region_prefix(o->region, a, err)) == NULL)
		return -1;
	if (o->limit < 0 || o->offset < 0)
		return fz_fail(err, FZ_EINPUT, "limit and offset must not be negative");
	if (o->year_from && o->year_to && o->year_from > o->year_to)
		return fz_fail(err, FZ_EINPUT, "year range %d-%d ends before it starts", o->year_from,
			       o->year_to);
	if ((stale = store_index_stale(s, err)) != 0)
		return stale < 0 ? -1
				 : fz_fail(err, FZ_ECONFLICT,
					   "the search index was built by an older fangzhi: "
					   "run `fangzhi reindex -a %s`", s->dir);
	buf_init(&match, a);
	text_query_to_fts5(&q, &match);
	if (is_common(s, &match, &common, err) < 0)
		return -1;

	if ((st = store_stmt(s, common ? STMT_SEARCH_COMMON : STMT_SEARCH, err)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, match.p, (int)match.len, SQLITE_STATIC);
	if (common) {
		/* FTS5 applies a column filter to every phrase of the parentheses */
		buf_init(&title, a);
		buf_addstr(&title, "{title} : (");
		buf_add(&title, match.p, match.len);
		buf_addch(&title, ')');
		sqlite3_bind_text(st, 9, title.p, (int)title.len, SQLITE_STATIC);
	}
	store_bind_text(st, 2, o->book);
	store_bind_text(st, 3, o->kind);
	store_bind_text(st, 4, region);
	sqlite3_bind_int(st, 5, o->year_from);
	sqlite3_bind_int(st, 6, o->year_to);
	sqlite3_bind_int64(st, 7, o->limit > 0 ? o->limit : -1);
	sqlite3_bind_int64(st, 8, o->offset);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rowids = arena_grow(a, rowids, out->nhits, &cap, sizeof(*rowids));
		rowids[out->nhits++] = sqlite3_column_int64(st, 0);
		out->total = (long)sqlite3_column_int64(st, 1);
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, err, "searching");
	if (out->nhits == 0 && o->offset > 0) {
		/* past the end: still tell the reader how many there are */
		struct search_opts first = *o;
		struct search_result r0;
		first.limit = 1;
		first.offset = 0;
		if (store_search(s, &first, a, &r0, err) < 0)
			return -1;
		out->total = r0.total;
	}

	out->hits = arena_alloc(a, (out->nhits ? out->nhits : 1) * sizeof(*out->hits));
	for (i = 0; i < out->nhits; i++) {
		struct search_hit *h = &out->hits[i];
		if ((st = store_stmt(s, STMT_HIT_TEXT, err)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, rowids[i]);
		if (sqlite3_step(st) != SQLITE_ROW)
			return store_fail(s, err, "reading a hit");
		h->id = store_col_text(st, 0, a);
		h->title = store_col_text(st, 1, a);
		h->book_id = store_col_text(st, 3, a);
		h->book_title = store_col_text(st, 4, a);
		text_snippet((const char *)sqlite3_column_text(st, 2),
			     (size_t)sqlite3_column_bytes(st, 2), &q, SNIPPET_WIDTH, a, &h->snippet);
	}
	return 0;
}
