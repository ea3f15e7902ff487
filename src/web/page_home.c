/* page_home.c: /: who we are, what the collection holds, search, browse, recent books */
#include <stdlib.h>
#include <string.h>

#include "web_int.h"

#define RECENT_BOOKS 8

/* Newest first by arrival. Times have whole seconds, so books that came
 * in the same second are ordered by book order, later first: the last
 * book imported always heads the list. */
static int
by_added_desc(const void *pa, const void *pb)
{
	const struct fz_book *a = pa, *b = pb;
	int c = strcmp(b->added_at ? b->added_at : "", a->added_at ? a->added_at : "");

	return c ? c : (a > b ? -1 : a < b);
}

/*
 * The front page: what the collection holds (books and entries by kind and
 * by region, with counts; these lists are also the archive browser's first
 * level), a search box, and the books that arrived last.
 */
int
page_home(struct req *r)
{
	struct fz_count *rc = NULL, *kc = NULL;
	struct fz_book *books = NULL, *recent;
	size_t nrc = 0, nkc = 0, nbooks = 0, nrecent;
	struct html kinds, regions, recent_h, search, main;
	const struct fz_stats *st = &r->web->stats;
	struct fz_err err;
	const char *summary;

	if (store_counts_by_region(r->store, r->arena, &rc, &nrc, &err) < 0 ||
	    store_counts_by_kind(r->store, r->arena, &kc, &nkc, &err) < 0 ||
	    store_books(r->store, NULL, NULL, r->arena, &books, &nbooks, &err) < 0)
		return page_fail(r, &err);
	html_init(&kinds, r->arena);
	html_init(&regions, r->arena);
	html_init(&recent_h, r->arena);
	html_init(&search, r->arena);
	html_init(&main, r->arena);

	layout_search_form(&search, 1);
	page_kind_list(r, &kinds, kc, nkc);
	page_region_tree(r, &regions, rc, nrc);
	recent = arena_alloc(r->arena, (nbooks ? nbooks : 1) * sizeof(*recent));
	if (nbooks)
		memcpy(recent, books, nbooks * sizeof(*recent));
	qsort(recent, nbooks, sizeof(*recent), by_added_desc);
	nrecent = nbooks < RECENT_BOOKS ? nbooks : RECENT_BOOKS;
	if (nrecent)
		page_book_list(r, &recent_h, recent, nrecent);
	else
		HTML_LIT(&recent_h, "<p>档案中还没有书。</p>\n");

	summary = arena_printf(r->arena,
			       "本档案收录 %ld 部书、%ld 个条目，正文共 %s字；条目可按地区、类别和书浏览，也可全文检索（简繁异体通检）。",
			       st->books, st->entries, layout_count(r->arena, st->chars));
	struct tmpl_var vars[] = {
		{ "heading", "馆藏总览", NULL },
		{ "summary", summary, NULL },
		{ "search", NULL, &search },
		{ "browse", link_href(r->arena, "/browse"), NULL },
		{ "kinds", NULL, &kinds },
		{ "regions", NULL, &regions },
		{ "recent", NULL, &recent_h },
	};
	tmpl_render(TMPL_HOME, vars, sizeof(vars) / sizeof(vars[0]), &main);
	r->status = 200;
	r->cache = CACHE_SHORT;
	layout_page(r, NULL, &main);
	return 0;
}
