/* query.c: the search box's query language, parsed and rendered for FTS5 */
#include <stdlib.h>
#include <string.h>

#include "text.h"

/*
 * Query errors are read by the person at the search box, most often on the
 * Chinese site: each message is Chinese first, then the same in English in
 * parentheses (for the command line's users and for bug reports).
 */
#define QFAIL(err, zh, en, ...) \
	fz_fail(err, FZ_EINPUT, zh " (" en ")", __VA_ARGS__, __VA_ARGS__)
#define QFAIL0(err, zh, en) fz_fail(err, FZ_EINPUT, zh " (" en ")")

/*
 * The grammar, as the README documents it:
 *
 *   query  = item { sep item }
 *   item   = [ "-" ] ( word | phrase ) | "OR"
 *   phrase = open { any } close          open: " ＂ “   close: " ＂ ”
 *   word   = a run of characters up to white space or an opening quote
 *   sep    = white space: any character that folds to a space (ASCII
 *            space, tab, U+3000 ideographic space, NBSP, ...), '\n', '\r',
 *            and the note markers U+FFF9..U+FFFB
 *
 * Terms side by side are ANDed. OR (in capitals, unquoted; "or" is a word)
 * joins the terms on either side of it and binds tighter than AND:
 * `a OR b c` means (a OR b) AND c, which is what a person listing
 * alternatives for one word means. "-" right before a term excludes it; an
 * excluded term cannot be joined by OR. Chinese input methods type “…” and
 * full-width ＂ for a quote, so those open and close phrases too. Inside a
 * phrase, a line break or note marker counts as a plain space (no query may
 * hold a boundary token). Error messages name the character, counted from
 * 1, where the problem is.
 */

struct qchar {
	uint32_t cp;
	size_t off; /* byte offset in the query */
};

struct parser {
	const char *q;
	struct qchar *c; /* the query's characters, plus a sentinel */
	size_t n;        /* characters, not counting the sentinel */
	struct arena *a;
	struct query_term *terms; /* heap while parsing, copied to the arena */
	size_t nterms, cap;
	struct fz_err *err;
};

static int
is_sep(uint32_t cp)
{
	uint32_t f[TEXT_FOLD_MAX];

	if (cp == '\n' || cp == '\r' || (cp >= 0xFFF9 && cp <= 0xFFFB))
		return 1;
	return text_fold_cp(cp, f) == 1 && f[0] == ' ';
}

static int
is_open(uint32_t cp)
{
	return cp == '"' || cp == 0xFF02 || cp == 0x201C;
}

static int
is_close(uint32_t cp)
{
	return cp == '"' || cp == 0xFF02 || cp == 0x201D;
}

/* Tokenizer callback: counts the tokens that can be searched for. */
static int
count_searchable(void *ctx, const char *tok, size_t toklen, size_t start, size_t end)
{
	size_t *n = ctx;

	(void)start;
	(void)end;
	if (!(toklen == 1 && (tok[0] == ' ' || tok[0] == TEXT_TOK_BOUNDARY[0])))
		(*n)++;
	return 0;
}

/*
 * Adds the term made of characters [from, to) of the query; phrases have
 * their breaks and note markers turned into spaces. Fails when the term has
 * nothing to search for (only spaces, controls or invisible characters).
 */
static int
add_term(struct parser *p, size_t from, size_t to, int phrase, int negated, size_t at)
{
	struct query_term *t;
	struct buf b;
	size_t i, ntok = 0;

	buf_init(&b, p->a);
	for (i = from; i < to; i++) {
		uint32_t cp = p->c[i].cp;
		if (cp == '\n' || cp == TEXT_NOTE_OPEN_CP || cp == TEXT_NOTE_CLOSE_CP)
			buf_addch(&b, ' ');
		else
			buf_add(&b, p->q + p->c[i].off, p->c[i + 1].off - p->c[i].off);
	}
	text_tokenize(b.p, b.len, count_searchable, &ntok);
	if (ntok == 0) {
		if (phrase)
			return QFAIL(p->err, "第 %zu 字起的短语里没有可检索的字，只有空格或不可见字符",
			     "the phrase at character %zu has nothing to search for: it holds only spaces or invisible characters",
			     at);
		return QFAIL(p->err, "第 %zu 字起的词里没有可检索的字，只有不可见字符或控制字符",
			     "the word at character %zu has nothing to search for: it holds only invisible or control characters",
			     at);
	}
	if (p->nterms == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->terms = xrealloc(p->terms, p->cap * sizeof(*p->terms));
	}
	t = &p->terms[p->nterms++];
	t->text = b.len ? b.p : arena_strdup(p->a, "");
	t->negated = negated;
	t->or_next = 0;
	return 0;
}

/* The items of the query, left to right; see the grammar above. */
static int
parse_items(struct parser *p)
{
	size_t i = 0, or_at = 0; /* or_at: character (from 1) of a pending OR */

	while (i < p->n) {
		size_t at, from, to;
		int negated = 0, phrase = 0;

		if (is_sep(p->c[i].cp)) {
			i++;
			continue;
		}
		at = i + 1;
		if (p->c[i].cp == '-') {
			if (i + 1 == p->n || is_sep(p->c[i + 1].cp))
				return QFAIL(p->err, "第 %zu 字是单独的“-”：请把它紧贴在要排除的词前面，如 -上访",
			     "a lone \"-\" at character %zu: write it right before a word to leave out, like -上访",
			     at);
			negated = 1;
			i++;
		}
		if (is_open(p->c[i].cp)) {
			size_t open = i + 1;
			phrase = 1;
			from = ++i;
			while (i < p->n && !is_close(p->c[i].cp))
				i++;
			if (i == p->n)
				return QFAIL(p->err, "第 %zu 字的引号没有闭合：请补上后引号，或删去它",
			     "the quote at character %zu is never closed: add a closing quote or remove it",
			     open);
			to = i++;
			if (from == to)
				return QFAIL(p->err, "第 %zu 字起是一对空引号：请在引号中间写上要找的词",
			     "an empty phrase \"\" at character %zu: put the words to find between the quotes",
			     open);
		} else {
			from = i;
			while (i < p->n && !is_sep(p->c[i].cp) && !is_open(p->c[i].cp))
				i++;
			to = i;
			if (!negated && to - from == 2 && p->c[from].cp == 'O' &&
			    p->c[from + 1].cp == 'R') {
				if (p->nterms == 0)
					return QFAIL(p->err, "第 %zu 字的 OR 前面没有词：OR 要写在两个词之间，如 信访 OR 上访",
			     "OR at character %zu has no word before it: write it between two words, like 信访 OR 上访",
			     at);
				if (or_at)
					return QFAIL(p->err, "第 %zu 字的 OR 紧跟在另一个 OR 后面：两个词之间只写一个 OR，如 信访 OR 上访",
			     "OR at character %zu follows another OR: write one OR between two words, like 信访 OR 上访",
			     at);
				if (p->terms[p->nterms - 1].negated)
					return QFAIL(p->err, "第 %zu 字的 OR 前面是排除词（-词）：OR 只能连接要找的词",
			     "OR at character %zu follows an excluded -word: OR can only join words to find",
			     at);
				or_at = at;
				continue;
			}
		}
		if (or_at && negated)
			return QFAIL(p->err, "第 %zu 字的 OR 后面是排除词（-词）：OR 只能连接要找的词",
			     "OR at character %zu is followed by an excluded -word: OR can only join words to find",
			     or_at);
		if (add_term(p, from, to, phrase, negated, phrase ? at + (size_t)negated : at) != 0)
			return -1;
		if (or_at)
			p->terms[p->nterms - 2].or_next = 1;
		or_at = 0;
	}
	if (or_at)
		return QFAIL(p->err, "第 %zu 字的 OR 后面没有词：OR 要写在两个词之间，如 信访 OR 上访",
			     "OR at character %zu has no word after it: write it between two words, like 信访 OR 上访",
			     or_at);
	return 0;
}

/*
 * Parses q into out, whose terms live in a. On error returns -1 with an
 * FZ_EINPUT message for the person who typed the query; out is then empty.
 */
int
text_query_parse(const char *q, struct arena *a, struct query *out, struct fz_err *err)
{
	struct parser p;
	size_t len = strlen(q), bad, i, off, npos = 0;
	int rc = -1;

	out->terms = NULL;
	out->nterms = 0;
	if (len > TEXT_QUERY_MAX)
		return QFAIL(err, "检索式太长：%zu 字节，上限是 %d 字节（约 %d 个汉字）",
			     "the query is too long: %zu bytes, and the limit is %d bytes (about %d Chinese characters)",
			     len, TEXT_QUERY_MAX, TEXT_QUERY_MAX / 3);
	if (!utf8_valid(q, len, &bad))
		return QFAIL(err, "检索式不是有效的 UTF-8：第 %zu 字节（0x%02X）不属于任何字符",
			     "the query is not valid UTF-8: byte %zu (0x%02X) is not part of a character",
			     bad + 1, (unsigned)(unsigned char)q[bad]);

	memset(&p, 0, sizeof(p));
	p.q = q;
	p.a = a;
	p.err = err;
	p.c = xmalloc((len + 1) * sizeof(*p.c));
	for (off = 0; off < len; p.n++) {
		p.c[p.n].off = off;
		off += utf8_decode(q + off, len - off, &p.c[p.n].cp);
	}
	p.c[p.n].off = len;
	p.c[p.n].cp = 0;

	if (parse_items(&p) != 0)
		goto done;
	if (p.nterms == 0) {
		QFAIL0(err, "检索式是空的：请输入要找的词",
			      "the query is empty: type a word to search for");
		goto done;
	}
	for (i = 0; i < p.nterms; i++)
		npos += !p.terms[i].negated;
	if (npos == 0) {
		QFAIL0(err, "检索式至少要有一个要找的词，不能只有排除词（-词）",
			      "a query needs at least one word to find, not only -exclusions");
		goto done;
	}
	out->terms = arena_alloc(a, p.nterms * sizeof(*out->terms));
	memcpy(out->terms, p.terms, p.nterms * sizeof(*out->terms));
	out->nterms = p.nterms;
	rc = 0;
done:
	free(p.terms);
	free(p.c);
	return rc;
}

/* One term as an FTS5 string: in double quotes, a quote inside doubled. */
static void
add_string(struct buf *out, const char *s)
{
	const char *q;

	buf_addch(out, '"');
	while ((q = strchr(s, '"')) != NULL) {
		buf_add(out, s, (size_t)(q - s + 1));
		buf_addch(out, '"');
		s = q + 1;
	}
	buf_addstr(out, s);
	buf_addch(out, '"');
}

/*
 * Renders q for FTS5's MATCH: the positive terms grouped by OR, groups
 * joined by AND, then each excluded term after NOT. FTS5 gives NOT the
 * tightest binding and OR the loosest, the opposite of ours, so groups are
 * parenthesised wherever the meaning depends on it:
 *   a b -c      → ("a" AND "b") NOT "c"
 *   a OR b c    → ("a" OR "b") AND "c"
 * An or_next before an excluded term (which the parser never produces) is
 * ignored. Appends to out; a query without positive terms renders as "".
 */
void
text_query_to_fts5(const struct query *q, struct buf *out)
{
	size_t i, j, npos = 0, ngroups = 0, nneg = 0;
	int paren;

	for (i = 0; i < q->nterms; i++) {
		if (q->terms[i].negated) {
			nneg++;
			continue;
		}
		npos++;
		if (i == 0 || q->terms[i - 1].negated || !q->terms[i - 1].or_next)
			ngroups++;
	}
	if (npos == 0) {
		buf_addstr(out, "\"\"");
		return;
	}
	paren = ngroups > 1 && nneg > 0;
	if (paren)
		buf_addch(out, '(');
	for (i = 0, j = 0; i < q->nterms; i++) {
		const struct query_term *t = &q->terms[i];
		int opens, closes;

		if (t->negated)
			continue;
		opens = i == 0 || q->terms[i - 1].negated || !q->terms[i - 1].or_next;
		closes = !(t->or_next && i + 1 < q->nterms && !q->terms[i + 1].negated);
		if (opens && j++ > 0)
			buf_addstr(out, " AND ");
		if (!opens)
			buf_addstr(out, " OR ");
		if (opens && !closes && (ngroups > 1 || nneg > 0))
			buf_addch(out, '(');
		add_string(out, t->text);
		if (closes && !opens && (ngroups > 1 || nneg > 0))
			buf_addch(out, ')');
	}
	if (paren)
		buf_addch(out, ')');
	for (i = 0; i < q->nterms; i++) {
		if (!q->terms[i].negated)
			continue;
		buf_addstr(out, " NOT ");
		add_string(out, q->terms[i].text);
	}
}
