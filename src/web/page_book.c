/* page_book.c: /book/{id}[?ch=N]: a book's chapter tree, one level at a time, with counts */
#include <string.h>

#include "web_int.h"

static void
render_meta(struct req *r, struct html *h, const struct fz_book *b)
{
	struct arena *a = r->arena;

	HTML_LIT(h, "<dl class=\"facts\">\n");
	layout_row(h, "书名", b->title, NULL);
	layout_row(h, "版次", b->edition, NULL);
	layout_row(h, "类别", b->kind, b->kind && *b->kind ? url_browse(a, b->kind, NULL, 0) : NULL);
	layout_row(h, "地区", b->region ? b->region : b->region_code,
		   b->region_code && strlen(b->region_code) == 6
			   ? url_browse(a, NULL, b->region_code, 0)
			   : NULL);
	layout_row(h, "行政区划代码", b->region_code, NULL);
	layout_row(h, "出版年", b->published ? arena_printf(a, "%d", b->published) : NULL, NULL);
	layout_row(h, "条目", arena_printf(a, "%ld 条", b->nentries), NULL);
	layout_row(h, "收录时间", layout_time(a, b->added_at), NULL);
	HTML_LIT(h, "</dl>\n");
	if (link_href(a, "/search") == NULL) /* a static copy: no search */
		return;
	HTML_LIT(h, "<p class=\"actions\">");
	layout_link(h, arena_printf(a, "/search?book=%s", b->id), "在本书中检索");
	HTML_LIT(h, "</p>\n");
}

static void
render_children(struct req *r, struct html *h, const struct fz_book *b, const struct fz_node *nd,
		size_t n)
{
	size_t i;

	HTML_LIT(h, "<ol class=\"tree\">\n");
	for (i = 0; i < n; i++) {
		if (nd[i].is_chapter) {
			HTML_LIT(h, "<li class=\"ch\">");
			layout_link(h, url_book(r->arena, b->id, nd[i].chapter_id, 0), nd[i].title);
			HTML_LIT(h, " <span class=\"n\">");
			html_long(h, nd[i].nentries);
			HTML_LIT(h, " 条</span></li>\n");
		} else {
			HTML_LIT(h, "<li class=\"en\">");
			layout_link(h, url_entry(r->arena, nd[i].entry_id, 0), nd[i].title);
			HTML_LIT(h, "</li>\n");
		}
	}
	HTML_LIT(h, "</ol>\n");
}

/*
 * A book, or one chapter of it: breadcrumb from the browser down, the
 * book's facts at its top level, then the chapters (with how many entries
 * each holds) and entries at this level, two hundred to a page. A chapter
 * that is not in this book is a 404.
 */
int
page_book(struct req *r)
{
	struct fz_book b;
	struct fz_node *nodes = NULL;
	struct fz_chapter_ref *path = NULL;
	size_t nnodes = 0, npath = 0, ncr = 0, i, from, to;
	long ch = r->param[PARAM_CH].set ? r->param[PARAM_CH].n : 0;
	long page = r->param[PARAM_PAGE].set ? r->param[PARAM_PAGE].n : 1, npages;
	struct html crumbs, meta, children, pager, main;
	struct crumb *cr;
	struct fz_err err;
	const char *heading;

	memset(&b, 0, sizeof(b));
	if (store_book_get(r->store, r->tail, r->arena, &b, &err) < 0) {
		if (err.code == FZ_ENOTFOUND)
			return page_error(r, 404, arena_printf(r->arena, "本档案中没有编号为 %s 的书。",
							       r->tail));
		return page_fail(r, &err);
	}
	if (ch && store_chapter_path(r->store, ch, r->arena, &path, &npath, &err) < 0) {
		if (err.code == FZ_ENOTFOUND)
			return page_error(r, 404, arena_printf(r->arena, "这部书没有第 %ld 号章节。", ch));
		return page_fail(r, &err);
	}
	if (store_book_children(r->store, b.id, ch, r->arena, &nodes, &nnodes, &err) < 0)
		return page_fail(r, &err);
	if (ch && nnodes == 0) /* a chapter of another book */
		return page_error(r, 404, arena_printf(r->arena, "这部书没有第 %ld 号章节。", ch));
	npages = nnodes ? (long)((nnodes + NODES_PER_PAGE - 1) / NODES_PER_PAGE) : 1;
	if (page > npages)
		return page_error(r, 404, arena_printf(r->arena, "没有第 %ld 页：共 %ld 页。", page,
						       npages));
	html_init(&crumbs, r->arena);
	html_init(&meta, r->arena);
	html_init(&children, r->arena);
	html_init(&pager, r->arena);
	html_init(&main, r->arena);

	cr = arena_alloc(r->arena, (npath + 4) * sizeof(*cr));
	cr[ncr++] = (struct crumb){ "档案浏览器", "/browse" };
	if (b.kind && *b.kind)
		cr[ncr++] = (struct crumb){ b.kind, url_browse(r->arena, b.kind, NULL, 0) };
	cr[ncr++] = (struct crumb){ book_label(r->arena, &b),
				    ch ? url_book(r->arena, b.id, 0, 0) : NULL };
	for (i = 0; i < npath; i++)
		cr[ncr++] = (struct crumb){ path[i].title,
					    i + 1 == npath ? NULL
							   : url_book(r->arena, b.id, path[i].id, 0) };
	layout_crumbs(&crumbs, cr, ncr);
	heading = npath ? path[npath - 1].title : book_label(r->arena, &b);
	if (!ch)
		render_meta(r, &meta, &b);
	from = (size_t)(page - 1) * NODES_PER_PAGE;
	to = from + NODES_PER_PAGE < nnodes ? from + NODES_PER_PAGE : nnodes;
	if (nnodes == 0)
		HTML_LIT(&children, "<p>这部书还没有条目。</p>\n");
	else
		render_children(r, &children, &b, nodes + from, to - from);
	if (page == npages && legacy_missing(r, &children, b.id, ch, &err) < 0) /* page_legacy.c */
		return page_fail(r, &err);
	layout_pager(&pager, url_book(r->arena, b.id, ch, 0), page, npages);

	struct tmpl_var vars[] = {
		{ "heading", heading, NULL },
		{ "crumbs", NULL, &crumbs },
		{ "meta", NULL, &meta },
		{ "toc_heading", ch ? "本章内容" : "目录", NULL },
		{ "children", NULL, &children },
		{ "pager", NULL, &pager },
	};
	tmpl_render(TMPL_BOOK, vars, sizeof(vars) / sizeof(vars[0]), &main);
	r->status = 200;
	r->cache = CACHE_SHORT;
	layout_page(r, npath ? arena_printf(r->arena, "%s · %s", heading, book_label(r->arena, &b))
			     : heading,
		    &main);
	return 0;
}
