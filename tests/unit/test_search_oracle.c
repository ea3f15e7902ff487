/* test_search_oracle.c: store_search against a brute-force substring scan of the shared corpus */
#include "testlib.h"

#include <dirent.h>
#include <opencc.h>
#include <unistd.h>

#include "ingest/ingest.h"
#include "store/store.h"

/*
 * The oracle: an entry matches a term when the folded term is a substring
 * of the folded title or of a folded body segment, where the body is cut
 * at '\n' and at note markers (real boundaries, which no match crosses).
 * Folding is text_fold with runs of spaces merged, as the tokenizer merges
 * them. Queries are drawn from the corpus and typed as a reader would: in
 * simplified form through OpenCC's own converter (not our fold tables), so
 * the test also counts how often a reader's simplified query misses the
 * entry it was taken from.
 */

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

#define NQUERIES (UNDER_ASAN ? 900 : 1500) /* ASan: about 6 s */
#define SEED 0x5eedf00dULL
#define SEP '\x01'   /* between folded segments in the haystack */
#define MAXTERMS 4

struct doc {
	char *id, *title, *body;
	size_t bodylen;
	size_t *pages;   /* byte offsets where printed pages start */
	size_t npages;
	size_t fstart;   /* its folded title and segments in the haystack */
	size_t fend;
};

/* Two consecutive printed lines of a juan file, layout stripped. */
struct linepair {
	const char *a, *b;
};

struct oracle {
	char dir[256];
	struct store *s;
	struct doc *docs;
	size_t ndocs, capdocs;
	struct buf hay;          /* every folded title and segment, each then SEP */
	char **lines;            /* stripped printed lines of the juan files */
	size_t nlines, caplines;
	struct linepair *pairs;
	size_t npairs, cappairs;
	opencc_t t2s, jp2t;
	uint64_t rng;
	long nbad;               /* records the importers refused */
};

static struct oracle O;

/* ---- small helpers ---- */

/* splitmix64: a deterministic generator, so a failing query can be replayed. */
static uint64_t
rnd(void)
{
	uint64_t z = (O.rng += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static size_t
rnd_below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

/* text_fold with each run of spaces merged into one, as the tokenizer merges them. */
static void
fold_merged(const char *s, size_t len, struct buf *out)
{
	struct buf f;
	size_t i;

	buf_init(&f, NULL);
	text_fold(s, len, &f);
	for (i = 0; i < f.len; i++) {
		if (f.p[i] == ' ' && out->len > 0 && out->p[out->len - 1] == ' ')
			continue;
		buf_addch(out, f.p[i]);
	}
	buf_free(&f);
}

/* The folded form of one code point is a space (the query language's separator). */
static int
folds_to_space(uint32_t cp)
{
	uint32_t f[TEXT_FOLD_MAX];

	return text_fold_cp(cp, f) == 1 && f[0] == ' ';
}

static int
is_break(uint32_t cp)
{
	return cp == '\n' || cp == TEXT_NOTE_OPEN_CP || cp == TEXT_NOTE_CLOSE_CP;
}

/* ---- importing the corpus ---- */

static int
on_emit(void *ctx, const struct fz_record *r, struct fz_err *err)
{
	enum store_outcome out;

	(void)ctx;
	if (store_import_record(O.s, r, &out, err) < 0)
		return -1;
	if (O.ndocs == O.capdocs) {
		O.capdocs = O.capdocs ? 2 * O.capdocs : 128;
		O.docs = xrealloc(O.docs, O.capdocs * sizeof(*O.docs));
	}
	memset(&O.docs[O.ndocs], 0, sizeof(*O.docs));
	O.docs[O.ndocs++].id = xstrdup(r->id);
	return 0;
}

/* The shared corpus has no bad record; one would make the oracle wrong. */
static void
on_bad(void *ctx, const char *path, long line, const char *reason)
{
	(void)ctx;
	print_error("corpus record refused: %s:%ld: %s\n", path, line, reason);
	O.nbad++;
}

/*
 * Reads each entry back as the store keeps it (the indexed text is the
 * stored one) and appends its folded title and segments to the haystack.
 */
static void
load_docs(void)
{
	struct arena a;
	struct fz_err err;
	size_t i, j;

	arena_init(&a, 0);
	buf_init(&O.hay, NULL);
	for (i = 0; i < O.ndocs; i++) {
		struct doc *d = &O.docs[i];
		struct fz_entry e;
		size_t seg = 0, k;

		if (store_entry_get(O.s, d->id, 0, &a, &e, &err) < 0)
			fail_msg("reading %s back: %s", d->id, err.msg);
		d->title = xstrdup(e.title);
		d->body = xstrndup(e.body, e.bodylen);
		d->bodylen = e.bodylen;
		d->npages = e.npages;
		d->pages = xcalloc(e.npages ? e.npages : 1, sizeof(*d->pages));
		for (j = 0; j < e.npages; j++)
			d->pages[j] = e.pages[j].pos;
		d->fstart = O.hay.len;
		fold_merged(d->title, strlen(d->title), &O.hay);
		buf_addch(&O.hay, SEP);
		for (k = 0; k <= d->bodylen;) {
			uint32_t cp = 0;
			size_t n = k < d->bodylen ? utf8_decode(d->body + k, d->bodylen - k, &cp) : 0;

			if (k == d->bodylen || (n > 0 && is_break(cp))) {
				fold_merged(d->body + seg, k - seg, &O.hay);
				buf_addch(&O.hay, SEP);
				if (k == d->bodylen)
					break;
				seg = k + n;
			}
			k += n ? n : 1;
		}
		d->fend = O.hay.len;
		arena_reset(&a);
	}
	arena_free(&a);
}

/* Drops every code point of s (in place) that is printed-page layout:
 * ideographic spaces, pilcrows, carriage returns and <pb:...> markers. */
static void
strip_layout(char *s)
{
	size_t r = 0, w = 0, len = strlen(s);

	while (r < len) {
		uint32_t cp;
		size_t n;

		if (s[r] == '<' && strncmp(s + r, "<pb:", 4) == 0 && strchr(s + r, '>') != NULL) {
			r = (size_t)(strchr(s + r, '>') - s) + 1;
			continue;
		}
		n = utf8_decode(s + r, len - r, &cp);
		if (n == 0)
			n = 1, cp = 0;
		if (cp != 0x3000 && cp != 0xB6 && cp != '\r')
			memmove(s + w, s + r, n), w += n;
		r += n;
	}
	s[w] = '\0';
}

/* Adds the printed lines of one juan file and the pairs of lines that follow each other. */
static void
load_juan_lines(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0, first = O.nlines;
	ssize_t n;

	assert_non_null(f);
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[0] == '#')
			continue;
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		strip_layout(line);
		if (line[0] == '\0')
			continue;
		if (O.nlines == O.caplines) {
			O.caplines = O.caplines ? 2 * O.caplines : 4096;
			O.lines = xrealloc(O.lines, O.caplines * sizeof(*O.lines));
		}
		O.lines[O.nlines++] = xstrdup(line);
	}
	free(line);
	fclose(f);
	for (; first + 1 < O.nlines; first++) {
		if (O.npairs == O.cappairs) {
			O.cappairs = O.cappairs ? 2 * O.cappairs : 4096;
			O.pairs = xrealloc(O.pairs, O.cappairs * sizeof(*O.pairs));
		}
		O.pairs[O.npairs].a = O.lines[first];
		O.pairs[O.npairs++].b = O.lines[first + 1];
	}
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The juan files of a Kanseki Repository book, in name order. */
static void
load_book_lines(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (!ingest_kanripo_juan_name(de->d_name, NULL))
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	/* a fixed order keeps the draws reproducible */
	qsort(names, n, sizeof(*names), cmp_name);
	for (i = 0; i < n; i++) {
		struct buf p;
		buf_init(&p, NULL);
		buf_addf(&p, "%s/%s", dir, names[i]);
		load_juan_lines(p.p);
		buf_free(&p);
		free(names[i]);
	}
	free(names);
}

/* ---- the oracle ---- */

/* The document whose folded text holds haystack offset off. */
static size_t
doc_at(size_t off)
{
	size_t lo = 0, hi = O.ndocs;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (O.docs[mid].fstart <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Marks in hit[] (one byte per document) every document where all the
 * given folded terms occur; the terms never hold SEP, so no occurrence
 * spans two segments.
 */
static void
oracle_match(struct buf *terms, size_t nterms, unsigned char *hit)
{
	unsigned char *mine = xcalloc(O.ndocs, 1);
	size_t t, d;

	memset(hit, 1, O.ndocs);
	for (t = 0; t < nterms; t++) {
		const char *p = O.hay.p, *end = O.hay.p + O.hay.len, *m;

		memset(mine, 0, O.ndocs);
		while ((m = memmem(p, (size_t)(end - p), terms[t].p, terms[t].len)) != NULL) {
			d = doc_at((size_t)(m - O.hay.p));
			mine[d] = 1;
			p = O.hay.p + O.docs[d].fend;
		}
		for (d = 0; d < O.ndocs; d++)
			hit[d] &= mine[d];
	}
	free(mine);
}

static int
cmp_doc_id(const void *a, const void *b)
{
	return strcmp(((const struct doc *)a)->id, ((const struct doc *)b)->id);
}

static size_t
doc_by_id(const char *id)
{
	struct doc key = { 0 }, *d;

	key.id = (char *)id;
	d = bsearch(&key, O.docs, O.ndocs, sizeof(*O.docs), cmp_doc_id);
	return d ? (size_t)(d - O.docs) : (size_t)-1;
}

/* ---- drawing queries from the corpus ---- */

enum qkind { Q_RANDOM, Q_PAGE, Q_LINE, Q_NOTE, Q_EDGE, Q_TITLE, Q_AND, Q__MAX };
static const char *const kind_name[Q__MAX] = { "random", "page", "line", "note", "note-edge",
					       "title", "and" };
enum qform { F_T2S, F_TEXT, F_JP2S, F__MAX };
static const char *const form_name[F__MAX] = { "t2s", "as-printed", "jp2t+t2s" };

struct q {
	enum qkind kind;
	enum qform form;
	size_t src;            /* document drawn from, or (size_t)-1 */
	char *terms[2];        /* in the text's own forms */
	size_t nterms;
};

/* Appends up to nchar code points of s from byte `from`, leaving out breaks. */
static size_t
take_chars(const char *s, size_t len, size_t from, size_t nchar, struct buf *out)
{
	size_t got = 0;

	while (from < len && got < nchar) {
		uint32_t cp;
		size_t n = utf8_decode(s + from, len - from, &cp);

		if (n == 0)
			return got;
		if (!is_break(cp)) {
			buf_add(out, s + from, n);
			got++;
		}
		from += n;
	}
	return got;
}

/* The byte offset k code points before pos (or 0). */
static size_t
back_chars(const char *s, size_t pos, size_t k)
{
	while (pos > 0 && k > 0) {
		pos--;
		while (pos > 0 && ((unsigned char)s[pos] & 0xC0) == 0x80)
			pos--;
		k--;
	}
	return pos;
}

/* A random character boundary of s. */
static size_t
rnd_char(const char *s, size_t len)
{
	size_t pos = rnd_below(len);

	while (pos > 0 && ((unsigned char)s[pos] & 0xC0) == 0x80)
		pos--;
	return pos;
}

/* A document chosen with a chance proportional to its body's length, so
 * that every character of the corpus is as likely to be drawn. */
static size_t
rnd_doc_by_length(void)
{
	size_t total = 0, i, r;

	for (i = 0; i < O.ndocs; i++)
		total += O.docs[i].bodylen;
	r = rnd_below(total);
	for (i = 0; i + 1 < O.ndocs && r >= O.docs[i].bodylen; i++)
		r -= O.docs[i].bodylen;
	return i;
}

/* Stops a drawn piece of a printed line: note syntax and glyph references. */
static int
is_stop(uint32_t cp)
{
	return cp == '(' || cp == ')' || cp == '/' || cp == '&' || cp == ';' || cp < 0x20;
}

/* The last k code points of line that hold no stop character. */
static void
line_tail(const char *line, size_t k, struct buf *out)
{
	size_t len = strlen(line), pos = len, got = 0;

	while (pos > 0 && got < k) {
		size_t p = back_chars(line, pos, 1);
		uint32_t cp;
		utf8_decode(line + p, pos - p, &cp);
		if (is_stop(cp))
			break;
		pos = p;
		got++;
	}
	buf_add(out, line + pos, len - pos);
}

/* The first k code points of line that hold no stop character. */
static void
line_head(const char *line, size_t k, struct buf *out)
{
	size_t len = strlen(line), pos = 0, got = 0;

	while (pos < len && got < k) {
		uint32_t cp;
		size_t n = utf8_decode(line + pos, len - pos, &cp);
		if (n == 0 || is_stop(cp))
			break;
		pos += n;
		got++;
	}
	buf_add(out, line, pos);
}

/* Finds the next note marker (open or close, as asked) at or after from; len if none. */
static size_t
next_marker(const struct doc *d, size_t from, const char *marker)
{
	const char *m = memmem(d->body + from, d->bodylen - from, marker, 3);

	return m ? (size_t)(m - d->body) : d->bodylen;
}

/*
 * Draws one term of the given kind into out (text's own forms); returns
 * the source document, or (size_t)-1 when this draw found nothing usable
 * (the caller draws again).
 */
static size_t
draw(enum qkind kind, size_t maxlen, struct buf *out)
{
	size_t n = 1 + rnd_below(maxlen), d, pos, k;
	struct doc *doc;

	switch (kind) {
	case Q_RANDOM:
	case Q_AND:
		d = rnd_doc_by_length();
		doc = &O.docs[d];
		if (doc->bodylen == 0)
			return (size_t)-1;
		take_chars(doc->body, doc->bodylen, rnd_char(doc->body, doc->bodylen), n, out);
		return d;
	case Q_PAGE:
		d = rnd_below(O.ndocs);
		doc = &O.docs[d];
		if (doc->npages < 2 || n < 2)
			return (size_t)-1;
		pos = doc->pages[1 + rnd_below(doc->npages - 1)];
		k = 1 + rnd_below(n - 1);
		take_chars(doc->body, doc->bodylen, back_chars(doc->body, pos, k), n, out);
		return d;
	case Q_LINE: {
		const struct linepair *lp = &O.pairs[rnd_below(O.npairs)];
		size_t before = 1 + rnd_below(maxlen / 2), after = 1 + rnd_below(maxlen / 2);
		size_t mark;
		line_tail(lp->a, before, out);
		mark = out->len;
		line_head(lp->b, after, out);
		if (mark == 0 || mark == out->len)
			return (size_t)-1;
		return (size_t)-2; /* the source is whichever entry holds it */
	}
	case Q_NOTE:
	case Q_EDGE: {
		size_t open, close, start;
		d = rnd_doc_by_length();
		doc = &O.docs[d];
		if (doc->bodylen == 0)
			return (size_t)-1;
		open = next_marker(doc, rnd_char(doc->body, doc->bodylen), TEXT_NOTE_OPEN);
		if (open == doc->bodylen)
			return (size_t)-1;
		close = next_marker(doc, open, TEXT_NOTE_CLOSE);
		if (close == doc->bodylen)
			return (size_t)-1;
		if (kind == Q_NOTE) {
			/* a piece of the note itself: n characters from a random start in it */
			size_t span = utf8_nchar(doc->body + open + 3, close - open - 3);
			if (span == 0)
				return (size_t)-1;
			start = open + 3;
			k = rnd_below(span);
			while (k-- > 0) {
				uint32_t cp;
				start += utf8_decode(doc->body + start, close - start, &cp);
			}
			take_chars(doc->body, close, start, n, out);
			return d;
		}
		/* across one edge of the note, the marker left out as a reader would */
		if (n < 2)
			n = 2;
		pos = rnd_below(2) ? open : close;
		k = 1 + rnd_below(n - 1);
		take_chars(doc->body, doc->bodylen, back_chars(doc->body, pos, k), n, out);
		return d;
	}
	case Q_TITLE:
		d = rnd_below(O.ndocs);
		doc = &O.docs[d];
		pos = rnd_char(doc->title, strlen(doc->title));
		take_chars(doc->title, strlen(doc->title), pos, n, out);
		return d;
	default:
		return (size_t)-1;
	}
}

/* s converted by OpenCC, as a heap string (OpenCC's own buffer is freed). */
static char *
convert(opencc_t cc, const char *s)
{
	char *c = opencc_convert_utf8(cc, s, strlen(s));
	char *r;

	assert_non_null(c);
	r = xstrdup(c);
	opencc_convert_utf8_free(c);
	return r;
}

/*
 * Checks that a term can be typed as a query term: no quotes (they open
 * phrases), no control characters, no leading '-' (an exclusion), not
 * "OR", no space or vanishing character at either end, something left
 * after folding. Sets *spaced when it holds a space (it must be quoted).
 */
static int
typable(const char *t, int *spaced)
{
	size_t len = strlen(t), i = 0, nchar = 0;
	uint32_t cp = 0, f[TEXT_FOLD_MAX];
	struct buf fb;
	int ok;

	*spaced = 0;
	if (len == 0 || t[0] == '-' || strcmp(t, "OR") == 0)
		return 0;
	while (i < len) {
		size_t n = utf8_decode(t + i, len - i, &cp);
		if (n == 0 || cp < 0x20 || cp == '"' || cp == 0xFF02 || cp == 0x201C ||
		    cp == 0x201D || cp == 0x7F)
			return 0;
		if ((i == 0 || i + n == len) && (folds_to_space(cp) || text_fold_cp(cp, f) == 0))
			return 0;
		if (folds_to_space(cp))
			*spaced = 1;
		i += n;
		nchar++;
	}
	buf_init(&fb, NULL);
	fold_merged(t, len, &fb);
	ok = fb.len > 0 && memchr(fb.p, SEP, fb.len) == NULL;
	buf_free(&fb);
	return ok;
}

/* Draws a whole query of the given kind; retries until it is typable.
 * The terms are heap strings the caller frees. */
static void
draw_query(enum qkind kind, struct q *q)
{
	for (;;) {
		struct buf t[2];
		size_t i, src = (size_t)-1, s;
		int ok = 1, spaced;

		q->kind = kind;
		q->nterms = kind == Q_AND ? 2 : 1;
		for (i = 0; i < q->nterms; i++)
			buf_init(&t[i], NULL);
		for (i = 0; i < q->nterms && ok; i++) {
			s = draw(kind, kind == Q_AND ? 4 : 12, &t[i]);
			if (s == (size_t)-1 || (i > 0 && s != src)) /* AND: both from one entry */
				ok = 0;
			src = s;
			if (ok && (!typable(t[i].p, &spaced) || (spaced && kind == Q_AND)))
				ok = 0;
		}
		if (ok) {
			for (i = 0; i < q->nterms; i++)
				q->terms[i] = buf_detach(&t[i]);
			q->src = src == (size_t)-2 ? (size_t)-1 : src;
			return;
		}
		for (i = 0; i < q->nterms; i++)
			buf_free(&t[i]);
	}
}

/*
 * The query as a reader would type it, in form f: each term converted,
 * a term holding a space put in quotes, terms joined by a space. NULL when
 * the conversion made a term untypable.
 */
static char *
typed(const struct q *q, enum qform f, struct buf *folded /* OUT: nterms bufs */)
{
	struct buf out;
	size_t i;

	buf_init(&out, NULL);
	for (i = 0; i < q->nterms; i++) {
		char *t = f == F_TEXT ? xstrdup(q->terms[i]) : NULL;
		int spaced;

		if (f == F_T2S)
			t = convert(O.t2s, q->terms[i]);
		else if (f == F_JP2S) {
			char *j = convert(O.jp2t, q->terms[i]);
			t = convert(O.t2s, j);
			free(j);
		}
		if (!typable(t, &spaced)) {
			free(t);
			buf_free(&out);
			while (i-- > 0)
				buf_free(&folded[i]);
			return NULL;
		}
		buf_init(&folded[i], NULL);
		fold_merged(t, strlen(t), &folded[i]);
		buf_addf(&out, "%s%s%s%s", i ? " " : "", spaced ? "\"" : "", t, spaced ? "\"" : "");
		free(t);
	}
	return buf_detach(&out);
}

/* ---- running queries against both ---- */

struct tally {
	long queries, with_hits, tp, found, expected;
	long src_queries, src_found;   /* did the entry a query came from come back? */
	long per_kind[Q__MAX], per_form[F__MAX];
	struct buf report;             /* the mismatching queries, for the failure message */
	long mismatches;
	struct buf misses;             /* queries whose source entry was lost in typing */
	long nmisses;
};

/*
 * Runs one query through store_search (every hit) and through the oracle,
 * adds to the tally, and records a mismatch with the ids missing and extra.
 */
static void
run_one(const char *query, struct buf *folded, size_t nterms, size_t src, struct tally *t,
	const char *label)
{
	struct search_opts o = { 0 };
	struct search_result r;
	struct fz_err err;
	struct arena a;
	unsigned char *want = xcalloc(O.ndocs, 1), *got = xcalloc(O.ndocs, 1);
	size_t i, nwant = 0, ngot = 0, both = 0;

	arena_init(&a, 0);
	o.query = query;
	oracle_match(folded, nterms, want);
	if (store_search(O.s, &o, &a, &r, &err) < 0) {
		buf_addf(&t->report, "  %s %s: store_search failed: %s\n", label, query, err.msg);
		t->mismatches++;
	} else {
		for (i = 0; i < r.nhits; i++) {
			size_t d = doc_by_id(r.hits[i].id);
			if (d == (size_t)-1) {
				buf_addf(&t->report, "  %s %s: unknown id %s\n", label, query,
					 r.hits[i].id);
				t->mismatches++;
				continue;
			}
			got[d] = 1;
		}
		if ((long)r.nhits != r.total) {
			buf_addf(&t->report, "  %s %s: %zu hits but total %ld\n", label, query, r.nhits,
				 r.total);
			t->mismatches++;
		}
	}
	for (i = 0; i < O.ndocs; i++) {
		nwant += want[i];
		ngot += got[i];
		both += want[i] & got[i];
	}
	t->queries++;
	t->with_hits += nwant > 0;
	t->expected += (long)nwant;
	t->found += (long)ngot;
	t->tp += (long)both;
	if (src != (size_t)-1)
		t->src_found += want[src];
	if (both != nwant || both != ngot) {
		size_t shown = 0;
		t->mismatches++;
		buf_addf(&t->report, "  %s %s: oracle %zu, search %zu;", label, query, nwant, ngot);
		for (i = 0; i < O.ndocs && shown < 4; i++) {
			if (want[i] != got[i]) {
				buf_addf(&t->report, " %s%s", want[i] ? "-" : "+", O.docs[i].id);
				shown++;
			}
		}
		buf_addch(&t->report, '\n');
	}
	free(want);
	free(got);
	arena_free(&a);
}

static double
ratio(long a, long b)
{
	return b ? (double)a / (double)b : 1.0;
}

static void
tally_init(struct tally *t)
{
	memset(t, 0, sizeof(*t));
	buf_init(&t->report, NULL);
	buf_init(&t->misses, NULL);
}

/* Frees report and, when failed, fails with head and (the start of) the
 * report: cmocka's failure jumps away, so nothing may be left to free. */
static void
fail_with(int failed, const char *head, struct buf *report)
{
	char msg[8192];

	snprintf(msg, sizeof(msg), "%s:\n%s", head, report->p);
	buf_free(report);
	if (failed)
		fail_msg("%s", msg);
}

/* Fails with recall, precision and the first mismatches when there are any. */
static void
tally_check(struct tally *t, const char *what)
{
	char head[512];

	snprintf(head, sizeof(head),
		 "%s: %ld queries (%ld with hits), recall %.4f (%ld of %ld), precision %.4f "
		 "(%ld of %ld), %ld mismatching",
		 what, t->queries, t->with_hits, ratio(t->tp, t->expected), t->tp, t->expected,
		 ratio(t->tp, t->found), t->tp, t->found, t->mismatches);
	print_message("%s\n", head);
	fail_with(t->mismatches > 0, head, &t->report);
	buf_free(&t->misses);
}

/* ---- the tests ---- */

/*
 * Named cases: the forms readers type for things in the text (Japanese
 * variants 巻/乗 as printed, their traditional and simplified forms), a
 * query inside a note, across a note's edge, across a page and a printed
 * line, one character. `hits` says the oracle must find something (so the
 * case tests what it names); the search must agree with the oracle always.
 */
static void
test_named(void **state)
{
	static const struct {
		const char *num, *query;
		int hits;
	} cases[] = {
		{ "1.1", "巻八", 1 },           /* as printed (Japanese form) */
		{ "1.2", "卷八", 1 },           /* traditional = simplified */
		{ "1.3", "齊乗", 1 },           /* as printed */
		{ "1.4", "齊乘", 1 },           /* traditional */
		{ "1.5", "齐乘", 1 },           /* simplified */
		{ "1.6", "之", 1 },             /* one character, in nearly every entry */
		{ "1.7", "乘", 1 },             /* one character, finds 乗 too */
		{ "1.8", "巻", 1 },
		{ "1.9", "信访工作", 1 },       /* the yearbook */
		{ "1.10", "凡帝王设都之地", 1 }, /* inside a note of 卷八 */
		{ "1.11", "帝圻凡帝王", 0 },    /* across a note's opening edge */
		{ "1.12", "衆建也至誕降", 0 },  /* across the two columns' join: one note */
		{ "1.13", "东西朔南", 1 },      /* across a printed line end */
		{ "1.14", "华之宅纪在陶姚", 1 }, /* across a page break (010-1a → 1b) */
		{ "1.15", "我国朝", 1 },        /* across a 抬頭 break */
		{ "1.16", "齐乘 之", 1 },       /* two terms */
		{ "1.17", "\"信访 工作\"", 0 }, /* a phrase with a space the text lacks */
		{ "1.18", "曲阜", 1 },
	};
	struct tally t;
	size_t i;

	(void)state;
	tally_init(&t);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct query q;
		struct arena a;
		struct fz_err err;
		struct buf folded[MAXTERMS];
		unsigned char *want = xcalloc(O.ndocs, 1);
		size_t k, n = 0, j;

		arena_init(&a, 0);
		if (text_query_parse(cases[i].query, &a, &q, &err) < 0)
			fail_msg("%s %s: %s", cases[i].num, cases[i].query, err.msg);
		assert_true(q.nterms <= MAXTERMS);
		for (k = 0; k < q.nterms; k++) {
			buf_init(&folded[k], NULL);
			fold_merged(q.terms[k].text, strlen(q.terms[k].text), &folded[k]);
		}
		oracle_match(folded, q.nterms, want);
		for (j = 0; j < O.ndocs; j++)
			n += want[j];
		if (cases[i].hits && n == 0)
			fail_msg("%s %s: the oracle finds nothing, so the case tests nothing",
				 cases[i].num, cases[i].query);
		run_one(cases[i].query, folded, q.nterms, (size_t)-1, &t, cases[i].num);
		for (k = 0; k < q.nterms; k++)
			buf_free(&folded[k]);
		free(want);
		arena_free(&a);
	}
	tally_check(&t, "named cases");
}

/* 1 if the query as printed finds the entry it was drawn from. */
static int
found_as_printed(const struct q *q)
{
	struct buf folded[2];
	unsigned char *want = xcalloc(O.ndocs, 1);
	char *query = typed(q, F_TEXT, folded);
	size_t i;
	int found;

	assert_non_null(query);
	oracle_match(folded, q->nterms, want);
	found = want[q->src];
	for (i = 0; i < q->nterms; i++)
		buf_free(&folded[i]);
	free(query);
	free(want);
	return found;
}

/*
 * Several hundred queries drawn at random (fixed seed, FZ_ORACLE_SEED to
 * change it) from every kind of place, typed in simplified form through
 * OpenCC, as printed, or through OpenCC's Japanese-to-traditional then
 * simplified; each must return exactly the oracle's entries.
 */
static void
test_random(void **state)
{
	static const unsigned weights[Q__MAX] = { 30, 15, 20, 10, 10, 5, 10 };
	const char *seed = getenv("FZ_ORACLE_SEED");
	struct tally t;
	long i, n = NQUERIES;
	unsigned wsum = 0;
	int k;

	(void)state;
	O.rng = seed ? strtoull(seed, NULL, 0) : SEED;
	for (k = 0; k < Q__MAX; k++)
		wsum += weights[k];
	tally_init(&t);
	for (i = 0; i < n; i++) {
		struct q q = { 0 };
		struct buf folded[2];
		unsigned w = (unsigned)rnd_below(wsum);
		enum qform f;
		char *query, label[32];
		size_t j, r = rnd_below(100);

		for (k = 0; w >= weights[k]; k++)
			w -= weights[k];
		draw_query((enum qkind)k, &q);
		f = r < 70 ? F_T2S : r < 85 ? F_TEXT : F_JP2S;
		query = typed(&q, f, folded);
		if (query == NULL) { /* the conversion made it untypable: as printed */
			f = F_TEXT;
			query = typed(&q, f, folded);
			assert_non_null(query);
		}
		t.per_kind[q.kind]++;
		t.per_form[f]++;
		snprintf(label, sizeof(label), "2.%ld[%s,%s]", i + 1, kind_name[q.kind],
			 form_name[f]);
		if (q.src != (size_t)-1 && f != F_TEXT && !found_as_printed(&q))
			q.src = (size_t)-1; /* lost already as printed (across a note's edge) */
		if (q.src != (size_t)-1 && f != F_TEXT) {
			long before = t.src_found;
			t.src_queries++;
			run_one(query, folded, q.nterms, q.src, &t, label);
			if (t.src_found == before && t.nmisses++ < 8)
				buf_addf(&t.misses, " %s(%s)", query, q.terms[0]);
		} else {
			run_one(query, folded, q.nterms, (size_t)-1, &t, label);
		}
		for (j = 0; j < q.nterms; j++) {
			buf_free(&folded[j]);
			free(q.terms[j]);
		}
		free(query);
	}
	print_message("kinds:");
	for (k = 0; k < Q__MAX; k++)
		print_message(" %s %ld", kind_name[k], t.per_kind[k]);
	print_message("; forms:");
	for (k = 0; k < F__MAX; k++)
		print_message(" %s %ld", form_name[k], t.per_form[k]);
	print_message("\ntyped in another form, a query found the entry it was drawn from "
		      "for %ld of %ld queries%s%s\n",
		      t.src_found, t.src_queries, t.nmisses ? "; e.g." : "",
		      t.nmisses ? t.misses.p : "");
	if (t.src_found < t.src_queries) {
		char head[256];
		snprintf(head, sizeof(head), "typed in another form, %ld of %ld queries lost the "
			 "entry their printed form finds", t.src_queries - t.src_found, t.src_queries);
		buf_free(&t.report);
		fail_with(1, head, &t.misses);
	}
	tally_check(&t, "random queries");
}

/*
 * Every distinct character of the corpus, typed as OpenCC's t2s.json
 * writes it in simplified form, must fold as the printed character folds:
 * otherwise a reader's query misses it (or finds another character). The
 * random queries meet each character only by chance; this meets them all.
 * One exception, OpenCC's own: t2s writes 頴 as the rare 颕, while the
 * usual simplified form (and our folding) is 颖.
 */
static void
test_typed_chars(void **state)
{
	static const char *const opencc_quirks[] = { "頴" };
	unsigned char *seen = xcalloc(0x110000, 1);
	struct buf report, a, b;
	char head[256];
	long nchars = 0, nbad = 0;
	size_t i, q;

	(void)state;
	buf_init(&report, NULL);
	buf_init(&a, NULL);
	buf_init(&b, NULL);
	for (q = 0; q < O.ndocs; q++) {
		const char *s[2] = { O.docs[q].title, O.docs[q].body };
		size_t len[2] = { strlen(O.docs[q].title), O.docs[q].bodylen }, k;
		for (k = 0; k < 2; k++) {
			for (i = 0; i < len[k];) {
				uint32_t cp;
				size_t n = utf8_decode(s[k] + i, len[k] - i, &cp), j;
				char ch[5];
				char *t;
				int quirk = 0;

				if (n == 0 || cp < 0x2E80 || seen[cp]) {
					i += n ? n : 1;
					continue;
				}
				seen[cp] = 1;
				memcpy(ch, s[k] + i, n);
				ch[n] = '\0';
				i += n;
				nchars++;
				t = convert(O.t2s, ch);
				buf_reset(&a);
				buf_reset(&b);
				text_fold(ch, n, &a);
				text_fold(t, strlen(t), &b);
				for (j = 0; j < sizeof(opencc_quirks) / sizeof(*opencc_quirks); j++)
					quirk |= strcmp(ch, opencc_quirks[j]) == 0;
				if (!quirk && (a.len != b.len || memcmp(a.p, b.p, a.len) != 0)) {
					nbad++;
					buf_addf(&report, "  %s typed as %s: folds to %s, but %s to %s\n",
						 ch, t, a.p, t, b.p);
				}
				free(t);
			}
		}
	}
	print_message("typed chars: %ld distinct characters, %ld fold otherwise when typed "
		      "through t2s\n", nchars, nbad);
	free(seen);
	buf_free(&a);
	buf_free(&b);
	snprintf(head, sizeof(head),
		 "%ld of %ld characters of the corpus fold otherwise when typed in simplified "
		 "form (a reader's query misses them)", nbad, nchars);
	fail_with(nbad > 0, head, &report);
}

/*
 * Imports the shared corpus into a fresh archive through the importers and
 * the store (as `fangzhi import` does), keeping each entry's id; then reads
 * the entries back, folds them into the haystack, reads the juan files'
 * printed lines and opens OpenCC. Returns -1 (and prints why) on failure.
 */
static int
setup(void **state)
{
	const char *paths[] = { "/corpus/kanripo/KR2k0048", "/corpus/kanripo/KR2k0075",
				"/corpus/yearbook/taian-2018.jsonl" };
	long counts[STORE__MAX] = { 0 };
	struct ingest_sink sink = { on_emit, on_bad, NULL, NULL };
	struct ingest_meta meta = { 0 };
	struct fz_err err;
	size_t i;

	(void)state;
	memset(&O, 0, sizeof(O));
	snprintf(O.dir, sizeof(O.dir), "/tmp/fz-test-oracle-XXXXXX");
	if (mkdtemp(O.dir) == NULL)
		return -1;
	strncat(O.dir, "/a", sizeof(O.dir) - strlen(O.dir) - 1);
	if (store_open(O.dir, STORE_CREATE, &O.s, &err) < 0 ||
	    store_import_begin(O.s, "oracle", &err) < 0) {
		print_error("%s\n", err.msg);
		return -1;
	}
	for (i = 0; i < 3; i++) {
		struct buf p;
		int rc;

		buf_init(&p, NULL);
		buf_addf(&p, "%s%s", test_shared(), paths[i]);
		rc = i < 2 ? ingest_kanripo(p.p, &meta, &sink, &err)
			   : ingest_jsonl(p.p, &meta, &sink, &err);
		if (rc < 0) {
			print_error("%s: %s\n", p.p, err.msg);
			return -1;
		}
		if (i < 2)
			load_book_lines(p.p);
		buf_free(&p);
	}
	if (O.nbad > 0)
		return -1;
	counts[STORE_ADDED] = (long)O.ndocs;
	if (store_import_commit(O.s, counts, 0, &err) < 0) {
		print_error("%s\n", err.msg);
		return -1;
	}
	qsort(O.docs, O.ndocs, sizeof(*O.docs), cmp_doc_id);
	load_docs();
	O.t2s = opencc_open("t2s.json");
	O.jp2t = opencc_open("jp2t.json");
	if (O.t2s == (opencc_t)-1 || O.jp2t == (opencc_t)-1) {
		print_error("OpenCC's t2s.json or jp2t.json is missing (/usr/share/opencc)\n");
		return -1;
	}
	return 0;
}

/* Frees everything and removes the archive. */
static int
teardown(void **state)
{
	char cmd[300];
	size_t i;

	(void)state;
	opencc_close(O.t2s);
	opencc_close(O.jp2t);
	store_close(O.s);
	for (i = 0; i < O.ndocs; i++) {
		free(O.docs[i].id);
		free(O.docs[i].title);
		free(O.docs[i].body);
		free(O.docs[i].pages);
	}
	free(O.docs);
	for (i = 0; i < O.nlines; i++)
		free(O.lines[i]);
	free(O.lines);
	free(O.pairs);
	buf_free(&O.hay);
	snprintf(cmd, sizeof(cmd), "rm -rf '%.*s'", (int)(strlen(O.dir) - 2), O.dir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_named),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_typed_chars),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
