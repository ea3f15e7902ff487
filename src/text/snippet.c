/* snippet.c: the passage of a text that best shows why it matched a query */
#include <stdlib.h>
#include <string.h>

#include "text.h"

/*
 * Matching works on tokens, each of which is one folded code point (the
 * tokenizer's " " and boundary tokens are the code points ' ' and 1), so a
 * term is a short array of code points and comparing is comparing integers.
 * A term never holds a boundary, so no match can cross one.
 */
struct term {
	uint32_t *cp;
	size_t n;
};

struct tok {
	uint32_t cp;
	size_t bs, be; /* bytes of the original text */
	size_t cs, ce; /* characters (code points) of the original text */
};

struct occ {
	size_t bs, be, cs, ce;
	size_t term;
};

struct scan {
	const char *text;
	size_t base_char;     /* character index of text[0] in the whole text */
	struct term *terms;   /* distinct, non-empty */
	size_t nterms, maxlen;
	struct tok *ring;     /* the last maxlen tokens */
	size_t ntok;          /* tokens seen */
	size_t cbyte, cchar;  /* a byte offset and its character index */
	struct occ *occ;      /* occurrences, in order of their end */
	size_t head, nocc, capocc;
	size_t width;         /* 0: just collect occurrences, no window */
	unsigned *stamp;      /* per term: last window that counted it */
	unsigned stampv;
	size_t best, best_cs, best_ce; /* the best window so far */
};

static size_t
nchar_between(const char *s, size_t from, size_t to)
{
	return utf8_nchar(s + from, to - from);
}

/* Collects a term's tokens as code points. */
static int
term_tok(void *ctx, const char *tok, size_t toklen, size_t start, size_t end)
{
	struct term *t = ctx;
	uint32_t cp = 0;

	(void)start;
	(void)end;
	utf8_decode(tok, toklen, &cp);
	t->cp = xrealloc(t->cp, (t->n + 1) * sizeof(*t->cp));
	t->cp[t->n++] = cp;
	return 0;
}

/*
 * The distinct token sequences of the query's positive terms (a term typed
 * twice counts once). Returns how many; the caller frees with free_terms.
 */
static size_t
make_terms(const struct query *q, struct term **out /* OUT */)
{
	struct term *terms = xcalloc(q && q->nterms ? q->nterms : 1, sizeof(*terms));
	size_t i, j, n = 0;

	for (i = 0; q && i < q->nterms; i++) {
		struct term t = {NULL, 0};
		int skip = 0;

		if (q->terms[i].negated)
			continue;
		text_tokenize(q->terms[i].text, strlen(q->terms[i].text), term_tok, &t);
		for (j = 0; j < n && !skip; j++) /* typed twice */
			skip = terms[j].n == t.n && memcmp(terms[j].cp, t.cp, t.n * sizeof(*t.cp)) == 0;
		for (j = 0; j < t.n && !skip; j++) /* cannot match: not from our parser */
			skip = t.cp[j] == (unsigned char)TEXT_TOK_BOUNDARY[0];
		if (t.n == 0 || skip) {
			free(t.cp);
			continue;
		}
		terms[n++] = t;
	}
	*out = terms;
	return n;
}

static void
free_terms(struct term *terms, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(terms[i].cp);
	free(terms);
}

/*
 * Called with each new occurrence: counts the distinct terms in the window
 * of `width` characters that ends where it ends, and keeps the first window
 * with the highest count. Occurrences too far behind to share a window with
 * any later one are dropped. Returns 1 once every term is in one window.
 */
static int
window(struct scan *s)
{
	struct occ *last = &s->occ[s->nocc - 1];
	size_t e = last->ce, lo = e > s->width ? e - s->width : 0, cs = last->cs;
	size_t count = 1, i;

	while (s->head < s->nocc && s->occ[s->head].ce < lo)
		s->head++;
	if (++s->stampv == 0) { /* wrapped: forget every old stamp */
		memset(s->stamp, 0, s->nterms * sizeof(*s->stamp));
		s->stampv = 1;
	}
	s->stamp[last->term] = s->stampv;
	for (i = s->nocc - 1; i-- > s->head;) {
		struct occ *o = &s->occ[i];
		if (o->cs < lo)
			continue;
		if (s->stamp[o->term] != s->stampv) {
			s->stamp[o->term] = s->stampv;
			count++;
		}
		if (o->cs < cs)
			cs = o->cs;
	}
	if (count > s->best) {
		s->best = count;
		s->best_cs = cs;
		s->best_ce = e;
	}
	return count == s->nterms;
}

/* Tokenizer callback: records the token, then any term that ends with it. */
static int
scan_tok(void *ctx, const char *tok, size_t toklen, size_t start, size_t end)
{
	struct scan *s = ctx;
	struct tok *t = &s->ring[s->ntok % s->maxlen];
	size_t k, j;

	if (start > s->cbyte) {
		s->cchar += nchar_between(s->text, s->cbyte, start);
		s->cbyte = start;
	}
	t->cp = 0;
	if (toklen == 1)
		t->cp = (unsigned char)tok[0];
	else
		utf8_decode(tok, toklen, &t->cp);
	t->bs = start;
	t->be = end;
	t->cs = s->base_char + s->cchar;
	t->ce = t->cs + nchar_between(s->text, start, end);
	s->ntok++;

	for (k = 0; k < s->nterms; k++) {
		const struct term *term = &s->terms[k];
		const struct tok *first;

		if (term->cp[term->n - 1] != t->cp || term->n > s->ntok)
			continue;
		for (j = 1; j < term->n; j++)
			if (s->ring[(s->ntok - 1 - j) % s->maxlen].cp != term->cp[term->n - 1 - j])
				break;
		if (j < term->n)
			continue;
		first = &s->ring[(s->ntok - term->n) % s->maxlen];
		if (s->nocc == s->capocc && s->head > s->capocc / 2) {
			/* reuse the room of occurrences window() has dropped */
			memmove(s->occ, s->occ + s->head, (s->nocc - s->head) * sizeof(*s->occ));
			s->nocc -= s->head;
			s->head = 0;
		}
		if (s->nocc == s->capocc) {
			s->capocc = s->capocc ? s->capocc * 2 : 64;
			s->occ = xrealloc(s->occ, s->capocc * sizeof(*s->occ));
		}
		s->occ[s->nocc++] = (struct occ){first->bs, t->be, first->cs, t->ce, k};
		if (s->width && window(s))
			return 1;
	}
	return 0;
}

static void
scan_init(struct scan *s, const char *text, size_t base_char, struct term *terms,
	  size_t nterms, size_t width)
{
	size_t k;

	memset(s, 0, sizeof(*s));
	s->text = text;
	s->base_char = base_char;
	s->terms = terms;
	s->nterms = nterms;
	s->width = width;
	s->maxlen = 1;
	for (k = 0; k < nterms; k++)
		if (terms[k].n > s->maxlen)
			s->maxlen = terms[k].n;
	s->ring = xcalloc(s->maxlen, sizeof(*s->ring));
	s->stamp = xcalloc(nterms ? nterms : 1, sizeof(*s->stamp));
}

static void
scan_free(struct scan *s)
{
	free(s->ring);
	free(s->occ);
	free(s->stamp);
}

/* Byte offset of character `target`, walking from (byte, nchar). */
static size_t
byte_of_char(const char *s, size_t len, size_t byte, size_t nchar, size_t target)
{
	while (byte < len) {
		if (((unsigned char)s[byte] & 0xC0) != 0x80) {
			if (nchar == target)
				return byte;
			nchar++;
		}
		byte++;
	}
	return len;
}

struct parts {
	struct snippet_part *v;
	size_t n, cap;
};

/*
 * Copies bytes [bs, be) of text into out, marking the bytes inside the
 * (sorted) occurrences, dropping note markers and turning each run of line
 * breaks into one space. Parts point into one arena block of be - bs bytes
 * (the output is never longer than the input).
 */
static void
emit(const char *text, size_t bs, size_t be, const struct occ *occ, size_t nocc,
     struct arena *a, struct parts *parts)
{
	char *dst = arena_alloc(a, be - bs + 1), *w = dst;
	size_t i = bs, k = 0;
	int cur = -1, prev_nl = 0;

	while (i < be) {
		uint32_t cp = 0;
		size_t n = utf8_decode(text + i, be - i, &cp);
		int mark;

		if (n == 0) { /* not UTF-8: passed through as it is */
			cp = 0xFFFD;
			n = 1;
		}
		while (k < nocc && occ[k].be <= i)
			k++;
		mark = k < nocc && occ[k].bs <= i;
		if (cp == TEXT_NOTE_OPEN_CP || cp == TEXT_NOTE_CLOSE_CP ||
		    (cp == '\n' && prev_nl)) {
			i += n;
			continue;
		}
		if (mark != cur) {
			if (parts->n == parts->cap) {
				parts->cap = parts->cap ? parts->cap * 2 : 8;
				parts->v = xrealloc(parts->v, parts->cap * sizeof(*parts->v));
			}
			parts->v[parts->n++] = (struct snippet_part){w, 0, mark};
			cur = mark;
		}
		prev_nl = cp == '\n';
		if (cp == '\n')
			*w++ = ' ';
		else {
			memcpy(w, text + i, n);
			w += n;
		}
		parts->v[parts->n - 1].len += prev_nl ? 1 : n;
		i += n;
	}
	*w = '\0';
}

/* Orders occurrences by start, longest first, for emit's single pass. */
static int
occ_cmp(const void *x, const void *y)
{
	const struct occ *a = x, *b = y;

	if (a->bs != b->bs)
		return a->bs < b->bs ? -1 : 1;
	return a->be > b->be ? -1 : a->be < b->be;
}

/*
 * See text.h. Two passes: the first scans from the start for the best
 * window and stops as soon as one window holds every term; the second
 * tokenizes only the chosen passage to mark every match inside it (the
 * first may have stopped before some of them). The passage puts the
 * matches in its middle, and is `width` characters long unless the text is
 * shorter or one match is longer; width 0 counts as 1. Everything in out
 * lives in a; nothing else is kept.
 */
void
text_snippet(const char *text, size_t len, const struct query *q, size_t width,
	     struct arena *a, struct snippet *out)
{
	struct term *terms;
	struct scan s;
	struct parts parts = {NULL, 0, 0};
	size_t nterms = make_terms(q, &terms), nchar = utf8_nchar(text, len);
	size_t ws = 0, we, wbs, wbe;

	if (width == 0)
		width = 1;
	we = nchar < width ? nchar : width;
	if (nterms > 0 && nchar > width) {
		scan_init(&s, text, 0, terms, nterms, width);
		text_tokenize(text, len, scan_tok, &s);
		if (s.best > 0) {
			size_t span = s.best_ce - s.best_cs;
			if (span >= width) {
				ws = s.best_cs;
				we = s.best_ce;
			} else {
				size_t lead = (width - span) / 2;
				ws = s.best_cs > lead ? s.best_cs - lead : 0;
				we = ws + width;
				if (we > nchar) {
					we = nchar;
					ws = nchar - width;
				}
			}
		}
		scan_free(&s);
	}
	wbs = byte_of_char(text, len, 0, 0, ws);
	wbe = byte_of_char(text, len, wbs, ws, we);

	/* Mark every occurrence inside the passage. */
	scan_init(&s, text + wbs, ws, terms, nterms, 0);
	if (nterms > 0)
		text_tokenize(text + wbs, wbe - wbs, scan_tok, &s);
	if (s.nocc > 1)
		qsort(s.occ, s.nocc, sizeof(*s.occ), occ_cmp);
	emit(text + wbs, 0, wbe - wbs, s.occ, s.nocc, a, &parts);
	scan_free(&s);
	free_terms(terms, nterms);

	out->parts = arena_alloc(a, (parts.n ? parts.n : 1) * sizeof(*out->parts));
	if (parts.n)
		memcpy(out->parts, parts.v, parts.n * sizeof(*out->parts));
	out->nparts = parts.n;
	out->cut_start = ws > 0;
	out->cut_end = we < nchar;
	free(parts.v);
}
