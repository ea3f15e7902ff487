/* text.h: folding, the CJK tokenizer, the query language, snippets (pure: no SQLite) */
#ifndef FZ_TEXT_H
#define FZ_TEXT_H

#include "../base/base.h"

/*
 * Interlinear notes (雙行小注) are kept inside an entry's body between these
 * two characters, Unicode's interlinear annotation anchor and terminator.
 * Pages render them as small notes; search treats their edges as boundaries.
 */
#define TEXT_NOTE_OPEN "\xEF\xBF\xB9"  /* U+FFF9 */
#define TEXT_NOTE_CLOSE "\xEF\xBF\xBB" /* U+FFFB */
#define TEXT_NOTE_OPEN_CP 0xFFF9
#define TEXT_NOTE_CLOSE_CP 0xFFFB

/* Longest folding of one code point, in code points (NFKC can expand). */
#define TEXT_FOLD_MAX 18

/*
 * Folding for matching, never for display: NFKC + case fold (utf8proc), then
 * variant → traditional → simplified (OpenCC's character tables). Writes the
 * folded code points of cp to out and returns how many (0: cp vanishes, e.g.
 * a default-ignorable code point). Thread-safe; the tables are built once.
 */
size_t text_fold_cp(uint32_t cp, uint32_t out[TEXT_FOLD_MAX]);

/* Folds a whole UTF-8 string into out (appended). Invalid bytes are skipped. */
void text_fold(const char *s, size_t len, struct buf *out);

/* A short digest naming the folding tables, stored with an index so that an
 * index built with other tables is known to be stale. */
const char *text_fold_version(void);

/*
 * The tokenizer: every folded code point is a token (so any substring of the
 * text can be found, one character included). A run of white space is one
 * " " token. A paragraph break ('\n') and each edge of a note are boundary
 * tokens (TEXT_TOK_BOUNDARY), which no query can contain, so no phrase
 * matches across them. Line ends are never in stored text (importers join
 * printed lines), so nothing else breaks a phrase.
 *
 * cb gets the token's folded bytes and the byte range [start, end) of the
 * original text it came from; a non-zero return stops tokenizing and is
 * returned.
 */
#define TEXT_TOK_BOUNDARY "\x01"
typedef int (*text_tok_cb)(void *ctx, const char *tok, size_t toklen, size_t start, size_t end);
int text_tokenize(const char *s, size_t len, text_tok_cb cb, void *ctx);

/*
 * The query language (documented in the README):
 *   信访 工作        both terms must occur (AND)
 *   "信访 工作"      exact phrase, the space inside matters
 *   信访 OR 上访     either
 *   信访 -上访       the first without the second
 * Errors (an unclosed quote, only exclusions, an empty query, a query over
 * TEXT_QUERY_MAX bytes, OR at either end, a dangling '-') are returned with a
 * message that says what is wrong.
 */
#define TEXT_QUERY_MAX 1024

struct query_term {
	char *text;   /* as typed (phrase without its quotes), NUL-terminated */
	int negated;  /* a -term */
	int or_next;  /* joined to the next term by OR */
};

struct query {
	struct query_term *terms;
	size_t nterms;
};

int text_query_parse(const char *q, struct arena *a, struct query *out, struct fz_err *err);

/* Renders a parsed query as an FTS5 MATCH expression over our tokenizer:
 * each term a quoted string, AND/OR/NOT with parentheses as needed. */
void text_query_to_fts5(const struct query *q, struct buf *out);

/*
 * Snippets: the passage of text around its best match of the query's
 * positive terms (the window holding the most distinct terms, earliest on a
 * tie), about `width` characters, cut at character boundaries, in the text's
 * own characters. Notes markers in the window are dropped. The result is a
 * list of parts, each plain or marked (a matched run), in order.
 */
struct snippet_part {
	const char *p; /* into the arena */
	size_t len;
	int mark;
};

struct snippet {
	struct snippet_part *parts;
	size_t nparts;
	int cut_start; /* text was cut before the first part ("…" belongs there) */
	int cut_end;
};

void text_snippet(const char *text, size_t len, const struct query *q, size_t width,
		  struct arena *a, struct snippet *out /* OUT */);

#endif
