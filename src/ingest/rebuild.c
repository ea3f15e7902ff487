/* rebuild.c: libraries, books, chapter trees and entries rebuilt from a crawl's captures */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest_int.h"

/* The old site's libraries an archivist is likely to meet; --library
 * adds to and overrides this table. */
static const struct {
	const char *code, *name, *region, *region_code;
} builtin[] = {
	{ "ch9", "东明县情资料库", "山东省菏泽市东明县", "371728" },
	{ "a", "首轮省志", "山东省", "370000" },
	{ "d00", "山东年鉴", "山东省", "370000" },
	{ "g0", "二轮省志", "山东省", "370000" },
	{ "f063", "山东地情资料", "山东省", "370000" },
	{ "fa01", "山东方志文献", "山东省", "370000" },
	{ "zzmj", "诸子名家库", "山东省", "370000" },
};

struct lib {
	char *code;                 /* lower case */
	const char *name, *region, *region_code, *kind;
	const char **books;         /* titles from its list, by A */
	long nbooks;
};

struct item {
	long rec;
	const char *node;           /* upper case, or NULL */
	const char *title;          /* from a table of contents, or NULL */
	long parent;                /* index of the parent item, -1: the book's top */
	long sib;                   /* place among its siblings */
	long nkids;
	struct fz_capture **caps;   /* its record captures, oldest first */
	size_t ncaps;
	const char *entry_id;       /* once emitted (or known) */
};

struct rb {
	struct crawl *c;
	struct lib *libs;
	size_t nlibs;
	struct arena a;             /* per book */
};

static struct lib *
lib_find(struct rb *rb, const char *code)
{
	size_t i;

	for (i = 0; i < rb->nlibs; i++)
		if (strcasecmp(rb->libs[i].code, code) == 0)
			return &rb->libs[i];
	return NULL;
}

static struct lib *
lib_add(struct rb *rb, const char *code)
{
	struct lib *l = lib_find(rb, code);

	if (l != NULL)
		return l;
	rb->libs = xrealloc(rb->libs, (rb->nlibs + 1) * sizeof(*rb->libs));
	l = &rb->libs[rb->nlibs++];
	memset(l, 0, sizeof(*l));
	l->code = xstrdup(code);
	for (char *p = l->code; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return l;
}

/* The library a K belongs to: the longest known code that begins it. */
static struct lib *
lib_of(struct rb *rb, const char *k)
{
	struct lib *best = NULL;
	size_t i, n;

	for (i = 0; k && i < rb->nlibs; i++) {
		n = strlen(rb->libs[i].code);
		if (strncasecmp(k, rb->libs[i].code, n) == 0 && (!best || n > strlen(best->code)))
			best = &rb->libs[i];
	}
	return best;
}

/* A capture's page, decoded and parsed (strings in a). -1 with err only
 * when the store fails. */
static int
capture_page(struct crawl *c, long id, struct arena *a, struct fz_capture *cap, struct page *pg,
	     struct fz_err *err)
{
	struct http_response h;

	if (store_capture_get(c->s, id, a, cap, err) < 0)
		return -1;
	if (cap->http) {
		http_parse(cap->bytes, cap->len, a, &h);
		page_parse(h.body, h.body_len, h.charset, a, pg);
	} else {
		page_parse(cap->bytes, cap->len, NULL, a, pg);
	}
	return 0;
}

/* Library list pages: the library's name and its books' titles by A. */
static int
read_libraries(struct rb *rb, struct fz_err *err)
{
	struct fz_capture *caps, cap;
	struct fz_library *known;
	struct arena a;
	struct page pg;
	size_t n, i, j;

	arena_init(&a, 1 << 16);
	if (store_libraries(rb->c->s, &a, &known, &n, err) < 0)
		goto fail;
	for (i = 0; i < n; i++) {
		struct lib *l = lib_add(rb, known[i].code);
		if (l->name == NULL && known[i].name)
			l->name = xstrdup(known[i].name);
	}
	if (store_captures(rb->c->s, "library", 0, NULL, 0, &a, &caps, &n, err) < 0)
		goto fail;
	for (i = 0; i < n; i++) {
		struct lib *l;
		if (caps[i].k == NULL || capture_page(rb->c, caps[i].id, &a, &cap, &pg, err) < 0) {
			if (caps[i].k == NULL)
				continue;
			goto fail;
		}
		l = lib_add(rb, caps[i].k);
		if (pg.title && *pg.title) {
			free((char *)l->name);
			l->name = xstrdup(pg.title);
		}
		for (j = 0; j < pg.nlinks; j++) {
			struct legacy_addr ad;
			struct fz_err perr;
			if (pg.links[j].href == NULL || !*pg.links[j].text ||
			    store_legacy_parse(pg.links[j].href, &a, &ad, &perr) < 0 || ad.a <= 0 ||
			    ad.rec > 0 || ad.a > 100000)
				continue;
			if (ad.a >= l->nbooks) {
				l->books = xrealloc(l->books, (size_t)(ad.a + 1) * sizeof(*l->books));
				memset(l->books + l->nbooks, 0, (size_t)(ad.a + 1 - l->nbooks) * sizeof(*l->books));
				l->nbooks = ad.a + 1;
			}
			free((char *)l->books[ad.a]);
			l->books[ad.a] = xstrdup(pg.links[j].text);
		}
	}
	arena_free(&a);
	return 0;
fail:
	arena_free(&a);
	return -1;
}

/* "javascript:sf(3,29,'CH97')" → A, rec, node; 0 when it is not that. */
static int
parse_sf(const char *href, long *a, long *rec, char node[48])
{
	const char *p = strcasestr(href, "sf(");
	char *end;
	size_t n = 0;

	if (p == NULL || strncasecmp(href, "javascript:", 11) != 0)
		return 0;
	p += 3;
	*a = strtol(p, &end, 10);
	if (end == p || *end != ',')
		return 0;
	p = end + 1;
	*rec = strtol(p, &end, 10);
	if (end == p || *a <= 0 || *rec <= 0)
		return 0;
	p = end;
	while (*p == ',' || *p == ' ' || *p == '\'' || *p == '"')
		p++;
	while (n < 47 && ((p[n] >= '0' && p[n] <= '9') || ((p[n] | 32) >= 'a' && (p[n] | 32) <= 'z'))) {
		node[n] = (char)(p[n] >= 'a' && p[n] <= 'z' ? p[n] - 32 : p[n]);
		n++;
	}
	node[n] = '\0';
	return 1;
}

static struct item *
item_get(struct item **items, size_t *n, size_t *cap, long rec)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*items)[i].rec == rec)
			return &(*items)[i];
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		*items = xrealloc(*items, *cap * sizeof(**items));
	}
	memset(&(*items)[*n], 0, sizeof(**items));
	(*items)[*n].rec = rec;
	(*items)[*n].parent = -1;
	return &(*items)[(*n)++];
}

static int
cmp_rec(const void *x, const void *y)
{
	const struct item *a = x, *b = y;

	return a->rec < b->rec ? -1 : a->rec > b->rec;
}

/*
 * The tree from node codes: one character per level, so an item's parent
 * is the nearest item before it (in rec order, which is table-of-contents
 * order) whose code is a proper prefix of its own. Indentation is not
 * read: where it disagrees, the code is right.
 */
static void
build_tree(struct item *it, size_t n)
{
	long *stack = xmalloc((n + 1) * sizeof(*stack)), *count = xcalloc(n + 1, sizeof(*count));
	size_t depth = 0, i;
	long top = 0;

	for (i = 0; i < n; i++) {
		const char *node = it[i].node;
		while (depth > 0) {
			const char *pn = it[stack[depth - 1]].node;
			size_t pl = pn ? strlen(pn) : 0;
			if (node && pn && strlen(node) > pl && strncasecmp(node, pn, pl) == 0)
				break;
			depth--;
		}
		it[i].parent = depth ? stack[depth - 1] : -1;
		if (it[i].parent >= 0)
			it[i].sib = count[it[i].parent]++, it[it[i].parent].nkids++;
		else
			it[i].sib = top++;
		if (node)
			stack[depth++] = (long)i;
	}
	free(stack);
	free(count);
}

/* The chapter path of an item's entry: its ancestors, and itself when it
 * has children (a 编 or 章 is a chapter, and its own text the first entry
 * in it). */
static size_t
item_path(struct item *it, size_t i, int self, const char **path, size_t max)
{
	size_t n = 0, k;
	long p = self ? (long)i : it[i].parent;

	for (; p >= 0 && n < max; p = it[p].parent)
		path[n++] = it[p].title;
	for (k = 0; k < n / 2; k++) {
		const char *t = path[k];
		path[k] = path[n - 1 - k];
		path[n - 1 - k] = t;
	}
	return n;
}

/* The kind a title says: 年鉴, a county, city or province gazetteer (志),
 * else 专题. */
static const char *
kind_from_title(const char *t)
{
	static const char *const zhi[] = { "县志", "市志", "省志", "縣志", "通志", "府志", "州志" };
	size_t i;

	if (strstr(t, "年鉴") || strstr(t, "年鑑"))
		return "年鉴";
	for (i = 0; i < sizeof(zhi) / sizeof(zhi[0]); i++)
		if (strstr(t, zhi[i]))
			return "志";
	return "专题";
}

/* "东明县志（1986--2005）" → title 东明县志, edition 1986--2005. */
static void
split_edition(struct arena *a, const char *label, const char **title, const char **edition)
{
	size_t n = strlen(label), close = 0, open = 0;
	const char *o = NULL;

	*title = label, *edition = NULL;
	if (n > 3 && memcmp(label + n - 3, "）", 3) == 0)
		close = 3, o = strstr(label, "（"), open = 3;
	else if (n > 1 && label[n - 1] == ')')
		close = 1, o = strrchr(label, '('), open = 1;
	if (o == NULL || o == label || (size_t)(o - label) + open >= n - close)
		return;
	*title = arena_strndup(a, label, (size_t)(o - label));
	*edition = arena_strndup(a, o + open, n - close - (size_t)(o - label) - open);
}

static int
is_partial(const struct fz_capture *c)
{
	return c->problem && (strstr(c->problem, "cut off") || strstr(c->problem, "truncated"));
}

/* Appends s as a JSON string (our own words and charset names only). */
static void
json_str(struct buf *b, const char *s)
{
	buf_addch(b, '"');
	for (; *s; s++)
		if (*s == '"' || *s == '\\')
			buf_addf(b, "\\%c", *s);
		else if ((unsigned char)*s >= 0x20)
			buf_addch(b, *s);
	buf_addch(b, '"');
}

/* The book's metadata: title from its library's list (else its table of
 * contents), region and kind from the library table, --region and --kind
 * over all. */
static void
book_meta(struct rb *rb, const struct lib *l, long a, const char *toc_title, struct fz_book *b)
{
	const struct ingest_meta *m = rb->c->meta;
	const char *label = a < l->nbooks && l->books[a] ? l->books[a] : toc_title;

	memset(b, 0, sizeof(*b));
	b->id = arena_printf(&rb->a, "%s-%ld", l->code, a);
	if (label == NULL || *label == '\0')
		label = arena_printf(&rb->a, "%s 第%ld种", l->name ? l->name : l->code, a);
	split_edition(&rb->a, label, &b->title, &b->edition);
	b->kind = m && m->kind ? m->kind : l->kind ? l->kind : kind_from_title(b->title);
	b->region = m && m->region ? m->region : l->region;
	b->region_code = m && m->region_code ? m->region_code : l->region_code;
}

/* What one capture of a record gives: its text and how it was read. */
struct text {
	struct fz_capture cap; /* with bytes */
	struct page pg;
	const char *extra;     /* JSON, or NULL */
};

static int
record_text(struct rb *rb, const struct fz_capture *c, struct text *t, struct fz_err *err)
{
	struct buf x;

	if (capture_page(rb->c, c->id, &rb->a, &t->cap, &t->pg, err) < 0)
		return -1;
	if (t->pg.txt == NULL)
		crawl_warn(rb->c, "%s: the page has no div.txt; its text is taken as empty", c->url);
	if (t->pg.nbad)
		crawl_warn(rb->c, "%s: %ld bytes do not decode as %s (declared %s); kept, each "
				  "marked U+FFFD", c->url, t->pg.nbad, t->pg.decoded_as,
			   t->pg.charset ? t->pg.charset : "nothing");
	t->extra = NULL;
	if (!t->pg.nbad && !c->problem)
		return 0;
	buf_init(&x, &rb->a);
	buf_addstr(&x, "{");
	if (t->pg.nbad) {
		buf_addstr(&x, "\"charset\": ");
		json_str(&x, t->pg.charset ? t->pg.charset : "");
		buf_addstr(&x, ", \"decoded_as\": ");
		json_str(&x, t->pg.decoded_as);
		buf_addf(&x, ", \"undecodable\": %s", t->pg.bad);
	}
	if (c->problem) {
		buf_addf(&x, "%s\"capture_problem\": ", t->pg.nbad ? ", " : "");
		json_str(&x, c->problem);
	}
	buf_addstr(&x, "}");
	t->extra = x.p;
	return 0;
}

/*
 * Which captures of a record become versions. Whole captures are
 * preferred to cut-off ones; those new to the archive and newer than any
 * an earlier import used go in oldest first, and the newest of all last,
 * so that it is shown; a text like the one just emitted is skipped. A
 * re-import (or the same crawl in another form) thus emits only the
 * newest, which the store finds unchanged; older captures arriving late
 * are kept and linked, not made the current text.
 */
static int
emit_item(struct rb *rb, const struct lib *l, long a, struct item *it, size_t i,
	  const struct fz_book *book, struct fz_err *err)
{
	struct item *x = &it[i];
	const char *path[64], *prev_body = NULL, *prev_extra = NULL, *id, *known = NULL;
	struct fz_capture *use[256];
	size_t nuse = 0, k, npath;
	int whole = 0;

	for (k = 0; k < x->ncaps; k++) {
		whole |= !is_partial(x->caps[k]);
		if (x->caps[k]->entry_id && x->caps[k]->captured_at &&
		    (known == NULL || strcmp(x->caps[k]->captured_at, known) > 0))
			known = x->caps[k]->captured_at;
	}
	id = arena_printf(&rb->a, "%s-%ld/%ld", l->code, a, x->rec);
	for (k = 0; k < x->ncaps && nuse < 255; k++) {
		struct fz_capture *c = x->caps[k];
		if (whole && is_partial(c))
			continue;
		/* new, and newer than what earlier imports made versions of */
		if (rb->c->first_new && c->id >= rb->c->first_new &&
		    (known == NULL || (c->captured_at && strcmp(c->captured_at, known) > 0)))
			use[nuse++] = c;
	}
	for (k = x->ncaps; k-- > 0;) {
		if (!whole || !is_partial(x->caps[k])) {
			if (nuse == 0 || use[nuse - 1] != x->caps[k])
				use[nuse++] = x->caps[k];
			break;
		}
	}
	npath = item_path(it, i, x->nkids > 0, path, 64);
	for (k = 0; k < nuse; k++) {
		struct fz_record r = { 0 };
		struct text t;
		if (record_text(rb, use[k], &t, err) < 0)
			return -1;
		r.body = t.pg.txt ? t.pg.txt : "";
		if (prev_body && strcmp(prev_body, r.body) == 0 &&
		    ((!prev_extra && !t.extra) || (prev_extra && t.extra && !strcmp(prev_extra, t.extra))))
			continue;
		prev_body = r.body, prev_extra = t.extra;
		r.id = id;
		r.title = x->title ? x->title
				   : t.pg.title && *t.pg.title ? t.pg.title
				   : arena_printf(&rb->a, "第%ld条", x->rec);
		r.book = *book;
		r.path = path;
		r.npath = npath;
		r.order = x->nkids > 0 ? 0 : x->parent >= 0 ? x->sib + 1 : x->sib;
		r.extra = t.extra;
		r.source_file = use[k]->source_file;
		r.url = use[k]->url;
		r.orig_id = arena_printf(&rb->a, "%s/A%ld/rec%ld", l->code, a, x->rec);
		r.captured_at = use[k]->captured_at;
		r.orig_sha256 = use[k]->sha256;
		r.raw = t.cap.bytes;
		r.rawlen = t.cap.len;
		if (rb->c->sink->emit(rb->c->sink->ctx, &r, err) != 0)
			return -1;
		rb->c->records++;
	}
	x->entry_id = id;
	for (k = 0; k < x->ncaps; k++)
		if (x->caps[k]->entry_id == NULL &&
		    store_capture_link(rb->c->s, x->caps[k]->id, id, err) < 0)
			return -1;
	return 0;
}

/* Records the old addresses of a book and its items, with where each now
 * is; items never captured keep only their place and old address. */
static int
book_addresses(struct rb *rb, const struct lib *l, long a, struct item *it, size_t n,
	       const struct fz_book *book, struct fz_err *err)
{
	struct fz_legacy g = { 0 };
	const char *path[64];
	size_t i, np, depth;
	long ch;
	int any = 0;

	for (i = 0; i < n; i++) {
		struct item *x = &it[i];
		memset(&g, 0, sizeof(g));
		g.lib = l->code;
		g.book = a;
		g.rec = x->rec;
		g.node = x->node;
		g.title = x->title;
		g.url = arena_printf(&rb->a, "http://lib.sdsqw.cn/bin/mse.exe?K=%s&A=%ld&rec=%ld&run=13",
				     x->node ? x->node : l->code, a, x->rec);
		g.book_id = book->id;
		g.entry_id = x->entry_id;
		any |= x->entry_id != NULL;
		np = item_path(it, i, 0, path, 64);
		if (store_chapter_lookup(rb->c->s, book->id, path, np, &ch, &depth, err) < 0)
			return -1;
		g.parent = ch;
		g.ord = x->parent >= 0 ? x->sib + 1 : x->sib;
		if (x->nkids > 0) {
			np = item_path(it, i, 1, path, 64);
			if (store_chapter_lookup(rb->c->s, book->id, path, np, &ch, &depth, err) < 0)
				return -1;
			g.heads = depth == np ? ch : 0;
		}
		if (store_legacy_put(rb->c->s, &g, err) < 0)
			return -1;
	}
	if (!any)
		return 0;
	memset(&g, 0, sizeof(g));
	g.lib = l->code;
	g.book = a;
	g.node = l->code;
	g.title = book->title;
	g.url = arena_printf(&rb->a, "http://lib.sdsqw.cn/bin/mse.exe?K=%s&A=%ld&run=12", l->code, a);
	g.book_id = book->id;
	return store_legacy_put(rb->c->s, &g, err);
}

/*
 * One book, from every capture the archive holds of it: its tables of
 * contents (items merged by rec, the newest title winning) and its record
 * pages (a record no table lists still becomes an entry, placed by its K).
 */
static int
rebuild_book(struct rb *rb, struct lib *l, long a, struct fz_err *err)
{
	struct fz_capture *caps, cap;
	struct item *it = NULL;
	size_t n = 0, cap_items = 0, ncaps, i, j;
	const char *toc_title = NULL, *upper;
	struct fz_book book;
	struct page pg;
	int rc = -1;

	arena_reset(&rb->a);
	upper = arena_strdup(&rb->a, l->code);
	for (char *p = (char *)upper; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 32);
	if (store_captures(rb->c->s, "toc", a, upper, 0, &rb->a, &caps, &ncaps, err) < 0)
		goto out;
	for (i = 0; i < ncaps; i++) {
		if (lib_of(rb, caps[i].k) != l)
			continue;
		if (capture_page(rb->c, caps[i].id, &rb->a, &cap, &pg, err) < 0)
			goto out;
		if (pg.title && *pg.title)
			toc_title = pg.title;
		for (j = 0; j < pg.nlinks; j++) {
			const struct page_link *k = &pg.links[j];
			struct legacy_addr ad;
			struct fz_err perr;
			char node[48];
			long ia, rec;
			struct item *x;
			if (k->href == NULL)
				continue;
			if (!parse_sf(k->href, &ia, &rec, node)) {
				if (store_legacy_parse(k->href, &rb->a, &ad, &perr) < 0 || ad.rec <= 0 ||
				    (ad.run != 13 && ad.run != 0))
					continue;
				ia = ad.a, rec = ad.rec;
				snprintf(node, sizeof(node), "%s", ad.k ? ad.k : "");
			}
			if (ia != a)
				continue;
			if (!*node && k->name)
				snprintf(node, sizeof(node), "%s", k->name);
			x = item_get(&it, &n, &cap_items, rec);
			if (*node)
				x->node = arena_strdup(&rb->a, node);
			if (*k->text)
				x->title = k->text;
		}
	}
	if (store_captures(rb->c->s, "record", a, upper, 0, &rb->a, &caps, &ncaps, err) < 0)
		goto out;
	for (i = 0; i < ncaps; i++) {
		struct item *x;
		if (lib_of(rb, caps[i].k) != l)
			continue;
		x = item_get(&it, &n, &cap_items, caps[i].rec);
		if (x->node == NULL)
			x->node = caps[i].k;
		{
			struct fz_capture **grown = arena_alloc(&rb->a, (x->ncaps + 1) * sizeof(*grown));
			if (x->ncaps)
				memcpy(grown, x->caps, x->ncaps * sizeof(*grown));
			grown[x->ncaps++] = &caps[i];
			x->caps = grown;
		}
	}
	rc = 0;
	if (n == 0)
		goto out;
	qsort(it, n, sizeof(*it), cmp_rec);
	build_tree(it, n);
	book_meta(rb, l, a, toc_title, &book);
	for (i = 0; i < n; i++)
		if (it[i].ncaps > 0 && (rc = emit_item(rb, l, a, it, i, &book, err)) < 0)
			goto out;
	rc = book_addresses(rb, l, a, it, n, &book, err);
	if (rb->c->sink->progress)
		rb->c->sink->progress(rb->c->sink->ctx, rb->c->records, rb->c->done_bytes,
				      rb->c->total_bytes);
out:
	free(it);
	return rc;
}

/*
 * The libraries (built-in table, --library, the archive's, the crawl's
 * list pages), then each book the crawl touched. A record or table whose
 * K no library begins is kept as a capture and reported.
 */
int
crawl_rebuild(struct crawl *c, struct fz_err *err)
{
	struct rb rb = { 0 };
	struct { struct lib *l; long a; } *books = NULL;
	size_t nbooks = 0, i, j;
	int rc = -1;

	rb.c = c;
	arena_init(&rb.a, 1 << 16);
	for (i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++) {
		struct lib *l = lib_add(&rb, builtin[i].code);
		l->name = xstrdup(builtin[i].name);
		l->region = builtin[i].region;
		l->region_code = builtin[i].region_code;
	}
	for (i = 0; c->opts && i < c->opts->nlibraries; i++) {
		const struct ingest_library *m = &c->opts->libraries[i];
		struct lib *l = lib_add(&rb, m->code);
		if (m->region)
			l->region = m->region;
		if (m->region_code)
			l->region_code = m->region_code;
		if (m->kind)
			l->kind = m->kind;
	}
	if (read_libraries(&rb, err) < 0)
		goto out;
	/* a table of contents whose K no library begins names its own library */
	for (i = 0; i < c->ntouched; i++)
		if (c->touched[i].toc && lib_of(&rb, c->touched[i].k) == NULL)
			lib_add(&rb, c->touched[i].k);
	for (i = 0; i < rb.nlibs; i++) {
		struct fz_library fl = { rb.libs[i].code, rb.libs[i].name, rb.libs[i].region,
					 rb.libs[i].region_code };
		if (store_library_put(c->s, &fl, err) < 0)
			goto out;
	}
	for (i = 0; i < c->ntouched; i++) {
		struct lib *l = lib_of(&rb, c->touched[i].k);
		if (c->touched[i].a <= 0)
			continue;
		if (l == NULL) {
			crawl_warn(c, "records with K=%s belong to no known library: kept as captures "
				      "only (give the library with --library)", c->touched[i].k);
			continue;
		}
		for (j = 0; j < nbooks; j++)
			if (books[j].l == l && books[j].a == c->touched[i].a)
				break;
		if (j == nbooks) {
			books = xrealloc(books, (nbooks + 1) * sizeof(*books));
			books[nbooks].l = l;
			books[nbooks++].a = c->touched[i].a;
		}
	}
	for (i = 0; i < nbooks; i++)
		if (rebuild_book(&rb, books[i].l, books[i].a, err) < 0)
			goto out;
	rc = 0;
out:
	for (i = 0; i < rb.nlibs; i++) {
		for (j = 0; j < (size_t)rb.libs[i].nbooks; j++)
			free((char *)rb.libs[i].books[j]);
		free(rb.libs[i].books);
		free(rb.libs[i].code);
		free((char *)rb.libs[i].name);
	}
	free(rb.libs);
	free(books);
	arena_free(&rb.a);
	return rc;
}
