/* fts.c: our tokenizer (text/tok.c) as an FTS5 tokenizer named "fangzhi" */
#include <string.h>

#include "store_int.h"

/*
 * FTS5's v1 tokenizer API (Debian's SQLite 3.40 has no v2). The tokenizer
 * has no settings, so one static instance serves every table; the same code
 * runs at index and at query time, so folding cannot drift between them.
 */
struct tok_ctx {
	void *fts_ctx;
	int (*xToken)(void *, int, const char *, int, int, int);
};

static int
fz_xcreate(void *unused, const char **argv, int argc, Fts5Tokenizer **out)
{
	static int instance;

	*out = (Fts5Tokenizer *)&instance;
	return SQLITE_OK;
}

static void
fz_xdelete(Fts5Tokenizer *t)
{
}

static int
forward(void *ctx, const char *tok, size_t toklen, size_t start, size_t end)
{
	struct tok_ctx *c = ctx;

	return c->xToken(c->fts_ctx, 0, tok, (int)toklen, (int)start, (int)end);
}

static int
fz_xtokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int len,
	     int (*xToken)(void *, int, const char *, int, int, int))
{
	struct tok_ctx c = { ctx, xToken };

	if (len <= 0)
		return SQLITE_OK;
	return text_tokenize(text, (size_t)len, forward, &c);
}

static fts5_api *
fts5_api_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	return api;
}

int
store_fts_register(sqlite3 *db, struct fz_err *err)
{
	static fts5_tokenizer tok = { fz_xcreate, fz_xdelete, fz_xtokenize };
	fts5_api *api = fts5_api_of(db);

	if (api == NULL)
		return fz_fail(err, FZ_ESTORE, "this SQLite has no FTS5");
	if (api->xCreateTokenizer(api, "fangzhi", NULL, &tok, NULL) != SQLITE_OK)
		return fz_fail(err, FZ_ESTORE, "registering the tokenizer: %s", sqlite3_errmsg(db));
	return 0;
}
