/* paths.c: every page of the site, for copies that hold them all (exports) */
#include <stdlib.h>
#include <string.h>

#include "web_int.h"

/* What one enumeration carries. */
struct paths {
	int (*fn)(void *ctx, const char *path, struct fz_err *err);
	void *ctx;
	struct store *s;
	struct arena a; /* reset per book and per entry: memory stays flat */
};

static int
emit(struct paths *p, const char *path, struct fz_err *err)
{
	return p->fn(p->ctx, path, err);
}

/* base, then base&page=2 ... for n items at per to a page. */
static int
emit_pages(struct paths *p, const char *base, size_t n, size_t per, struct fz_err *err)
{
	long npages = n ? (long)((n + per - 1) / per) : 1, i;

	for (i = 1; i <= npages; i++)
		if (emit(p, url_with_page(&p->a, base, i), err) < 0)
			return -1;
	return 0;
}

/* A region code /browse?region= takes (req.c's check_region). */
static int
region_ok(const char *c)
{
	return c != NULL && strlen(c) == 6 && strspn(c, "0123456789") == 6 && strncmp(c, "00", 2) != 0;
}

static int
by_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The browser: its first level, each kind, and each region that holds a
 * book, with every region above it (the crumbs link them), each with its
 * pages of books. */
static int
browse(struct paths *p, struct fz_err *err)
{
	struct fz_count *kc = NULL, *rc = NULL;
	struct fz_book *books;
	const char **codes;
	size_t nkc = 0, nrc = 0, nb = 0, ncodes = 0, i;

	if (store_books(p->s, NULL, NULL, &p->a, &books, &nb, err) < 0 ||
	    emit_pages(p, "/browse", nb, BOOKS_PER_PAGE, err) < 0)
		return -1;
	if (store_counts_by_kind(p->s, &p->a, &kc, &nkc, err) < 0)
		return -1;
	for (i = 0; i < nkc; i++) {
		if (kc[i].key == NULL || *kc[i].key == '\0')
			continue;
		if (store_books(p->s, kc[i].key, NULL, &p->a, &books, &nb, err) < 0 ||
		    emit_pages(p, url_browse(&p->a, kc[i].key, NULL, 0), nb, BOOKS_PER_PAGE, err) < 0)
			return -1;
	}
	if (store_counts_by_region(p->s, &p->a, &rc, &nrc, err) < 0)
		return -1;
	codes = arena_alloc(&p->a, (3 * nrc + 1) * sizeof(*codes));
	for (i = 0; i < nrc; i++) {
		const char *c = rc[i].key;
		while (region_ok(c)) {
			codes[ncodes++] = c;
			c = region_parent(&p->a, c);
		}
	}
	qsort(codes, ncodes, sizeof(*codes), by_str);
	for (i = 0; i < ncodes; i++) {
		if (i > 0 && strcmp(codes[i], codes[i - 1]) == 0)
			continue;
		if (store_books(p->s, NULL, region_prefix(&p->a, codes[i]), &p->a, &books, &nb, err) < 0)
			return -1;
		if (nb > 0 &&
		    emit_pages(p, url_browse(&p->a, NULL, codes[i], 0), nb, BOOKS_PER_PAGE, err) < 0)
			return -1;
	}
	return 0;
}

/* One level of a book's tree, its pages, then each chapter below it. */
static int
chapter(struct paths *p, const char *book, long ch, struct fz_err *err)
{
	struct fz_node *nodes = NULL;
	size_t n = 0, i;

	if (store_book_children(p->s, book, ch, &p->a, &nodes, &n, err) < 0)
		return -1;
	if (ch && n == 0) /* the site has no page for an empty chapter (404) */
		return 0;
	if (emit_pages(p, url_book(&p->a, book, ch, 0), n, NODES_PER_PAGE, err) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (nodes[i].is_chapter && chapter(p, book, nodes[i].chapter_id, err) < 0)
			return -1;
	return 0;
}

static int
books(struct paths *p, struct fz_err *err)
{
	struct fz_book *b;
	struct arena list;
	size_t nb = 0, i;
	int rc = 0;

	arena_init(&list, 0);
	if (store_books(p->s, NULL, NULL, &list, &b, &nb, err) < 0)
		rc = -1;
	for (i = 0; rc == 0 && i < nb; i++) {
		rc = chapter(p, b[i].id, 0, err);
		arena_reset(&p->a);
	}
	arena_free(&list);
	return rc;
}

/* Every version of every entry: the current one at /entry/ID (the URL
 * every link uses), older ones at ?v=N. In the order they came in. */
static int
entries(struct paths *p, struct fz_err *err)
{
	struct store_walk *w;
	struct fz_stored v;
	struct arena a;
	long total;
	int got;

	if (store_walk_open(p->s, 0, &w, &total, err) < 0)
		return -1;
	arena_init(&a, 0);
	while ((got = store_walk_next(w, &a, &v, err)) > 0) {
		if (emit(p, url_entry(&a, v.r.id, v.current ? 0 : v.n), err) < 0) {
			got = -1;
			break;
		}
		arena_reset(&a);
	}
	arena_free(&a);
	store_walk_close(w);
	return got < 0 ? -1 : 0;
}

/*
 * Calls fn with the URL of every page a copy of the whole site holds:
 * with WEB_PATHS_PAGES the front page, /about, the stylesheet, the
 * browser at every level and page, each book and chapter with their pages;
 * with WEB_PATHS_ENTRIES every entry and every older version of it. These
 * are the pages the site links to from its front page, and nothing that
 * needs a query typed by a reader (search). fn may render pages through
 * the same site between calls. A non-zero return from fn stops the walk
 * and is returned (fn sets err). Memory stays flat.
 */
int
web_site_paths(struct web_site *w, unsigned what,
	       int (*fn)(void *ctx, const char *path, struct fz_err *err), void *ctx,
	       struct fz_err *err)
{
	struct paths p;
	const struct embedded_file *f;
	int rc = 0;

	memset(&p, 0, sizeof(p));
	p.fn = fn;
	p.ctx = ctx;
	p.s = web_site_store(w);
	arena_init(&p.a, 0);
	if (what & WEB_PATHS_PAGES) {
		if (emit(&p, "/", err) < 0 || emit(&p, "/about", err) < 0)
			rc = -1;
		for (f = embedded_files; rc == 0 && f->name != NULL; f++)
			if (strncmp(f->name, "static/", 7) == 0 &&
			    emit(&p, arena_printf(&p.a, "/%s", f->name), err) < 0)
				rc = -1;
		if (rc == 0)
			rc = browse(&p, err);
		arena_reset(&p.a);
		if (rc == 0)
			rc = books(&p, err);
		arena_reset(&p.a);
	}
	if (rc == 0 && (what & WEB_PATHS_ENTRIES))
		rc = entries(&p, err);
	arena_free(&p.a);
	return rc;
}
