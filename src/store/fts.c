/* fts.c: our tokenizer (text/tok.c) as an FTS5 tokenizer named "fangzhi" */
#include <string.h>

#include "store_int.h"

#define PREV_MAX 64 /* bytes kept of the previous token, twice the longest */

/*
 * FTS5's v1 tokenizer API (Debian's SQLite 3.40 has no v2). The tokenizer
 * has no settings, so one static instance serves every table; the same code
 * runs at index and at query time, so folding cannot drift between them.
 * The index holds unigrams and bigrams (README "Search"): a change to what
 * it holds is a new STORE_INDEX_FORMAT, and archives are reindexed.
 */
struct tok_ctx {
	void *fts_ctx;
	int (*xToken)(void *, int, const char *, int, int, int);
	int query;		/* FTS5_TOKENIZE_QUERY: bigrams only, as a phrase */
	int n;			/* tokens seen so far */
	int prev_boundary;	/* the previous token is TEXT_TOK_BOUNDARY */
	size_t prev_len, prev_start, prev_end;
	char prev[PREV_MAX];	/* the previous token's bytes, then room for the next */
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

/* True for the paragraph and note edge token, which no bigram may contain. */
static int
is_boundary(const char *tok, size_t toklen)
{
	return toklen == 1 && tok[0] == TEXT_TOK_BOUNDARY[0];
}

/*
 * One token from text_tokenize, passed on as FTS5 tokens. In a document each
 * token is its unigram, preceded by the bigram it ends (colocated with the
 * previous unigram, so at the previous token's position): any substring of
 * two or more characters is then a phrase of bigrams, whose position lists
 * are short, and a single character is still its unigram. Boundaries make
 * no bigram, so no phrase crosses them. In a query a lone token is its
 * unigram (sent by fz_xtokenize once the segment ends) and n >= 2 tokens
 * are their n - 1 bigrams at consecutive positions: exactly the substring.
 * A bigram holds two tokens and a unigram one, so the two never collide
 * (a run of white space is the single token " ").
 */
static int
forward(void *ctx, const char *tok, size_t toklen, size_t start, size_t end)
{
	struct tok_ctx *c = ctx;
	int boundary = is_boundary(tok, toklen), rc = SQLITE_OK;

	if (toklen > PREV_MAX / 2)
		return SQLITE_TOOBIG; /* one code point is at most 4 bytes: never */
	if (c->n > 0 && !c->prev_boundary && !boundary) {
		memcpy(c->prev + c->prev_len, tok, toklen);
		rc = c->xToken(c->fts_ctx, c->query ? 0 : FTS5_TOKEN_COLOCATED, c->prev,
			       (int)(c->prev_len + toklen), (int)c->prev_start, (int)end);
		if (rc != SQLITE_OK)
			return rc;
	}
	if (!c->query && (rc = c->xToken(c->fts_ctx, 0, tok, (int)toklen, (int)start,
					 (int)end)) != SQLITE_OK)
		return rc;
	memcpy(c->prev, tok, toklen);
	c->prev_len = toklen;
	c->prev_start = start;
	c->prev_end = end;
	c->prev_boundary = boundary;
	c->n++;
	return SQLITE_OK;
}

/* FTS5's entry point, for documents and for each quoted string of a query
 * alike; a query of one character is sent here, after the segment ends. */
static int
fz_xtokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int len,
	     int (*xToken)(void *, int, const char *, int, int, int))
{
	struct tok_ctx c;
	int rc;

	if (len <= 0)
		return SQLITE_OK;
	memset(&c, 0, sizeof(c));
	c.fts_ctx = ctx;
	c.xToken = xToken;
	c.query = (flags & FTS5_TOKENIZE_QUERY) != 0;
	if ((rc = text_tokenize(text, (size_t)len, forward, &c)) != SQLITE_OK)
		return rc;
	if (c.query && c.n == 1)
		return xToken(ctx, 0, c.prev, (int)c.prev_len, (int)c.prev_start,
			      (int)c.prev_end);
	return SQLITE_OK;
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
