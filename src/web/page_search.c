/* page_search.c: /search?q=...: hits with highlighted snippets, filters, pagination */
#include <string.h>

#include "web_int.h"

#define HITS_PER_PAGE 20

static void
render_help(struct html *h)
{
	HTML_LIT(h, "<section class=\"help\" aria-labelledby=\"h-help\">\n"
		    "<h2 id=\"h-help\">检索式写法</h2>\n<dl>\n"
		    "<dt><code>信访 工作</code></dt><dd>同时包含两个词的条目</dd>\n"
		    "<dt><code>\"信访 工作\"</code></dt><dd>完整短语（引号内的空格也算）</dd>\n"
		    "<dt><code>信访 OR 上访</code></dt><dd>包含任一个词</dd>\n"
		    "<dt><code>信访 -上访</code></dt><dd>包含前者而不含后者</dd>\n"
		    "</dl>\n<p>简体、繁体和异体字通检：输入“卷八”也能找到“巻八”，输入“齐乘”也能找到“齊乗”。"
		    "一个字也可以检索。</p>\n</section>\n");
}

static void
render_kind_select(struct req *r, struct html *h)
{
	struct fz_count *kc = NULL;
	size_t nkc = 0, i;
	struct fz_err err;
	const char *cur = r->param[PARAM_KIND].set ? r->param[PARAM_KIND].s : "";
	int found = 0;

	HTML_LIT(h, "<select id=\"kind\" name=\"kind\"><option value=\"\">全部</option>");
	if (store_counts_by_kind(r->store, r->arena, &kc, &nkc, &err) == 0)
		for (i = 0; i < nkc; i++) {
			if (kc[i].key == NULL || *kc[i].key == '\0')
				continue;
			if (strcmp(kc[i].key, cur) == 0) {
				HTML_LIT(h, "<option selected>");
				found = 1;
			} else {
				HTML_LIT(h, "<option>");
			}
			html_text(h, kc[i].key);
			HTML_LIT(h, "</option>");
		}
	if (*cur && !found) { /* a kind the archive lacks stays visible as asked */
		HTML_LIT(h, "<option selected>");
		html_text(h, cur);
		HTML_LIT(h, "</option>");
	}
	HTML_LIT(h, "</select>\n");
}

static void
render_book_filter(struct req *r, struct html *h)
{
	struct fz_book b;
	struct fz_err err;
	const char *id = r->param[PARAM_BOOK].s;

	if (!r->param[PARAM_BOOK].set)
		return;
	memset(&b, 0, sizeof(b));
	HTML_LIT(h, "<label class=\"check\"><input type=\"checkbox\" name=\"book\" value=\"");
	html_text(h, id);
	HTML_LIT(h, "\" checked> 仅在《");
	if (store_book_get(r->store, id, r->arena, &b, &err) == 0)
		html_text(h, book_label(r->arena, &b));
	else
		html_text(h, id);
	HTML_LIT(h, "》中</label>\n");
}

static void
render_snippet(struct html *h, const struct snippet *sn)
{
	size_t i;

	HTML_LIT(h, "<p class=\"snippet\">");
	if (sn->cut_start)
		HTML_LIT(h, "…");
	for (i = 0; i < sn->nparts; i++) {
		if (sn->parts[i].mark)
			HTML_LIT(h, "<mark>");
		html_textn(h, sn->parts[i].p, sn->parts[i].len);
		if (sn->parts[i].mark)
			HTML_LIT(h, "</mark>");
	}
	if (sn->cut_end)
		HTML_LIT(h, "…");
	HTML_LIT(h, "</p>\n");
}

/* Each hit with its book named as elsewhere on the site (title and
 * edition: the hit carries only the title, so the book is looked up, once
 * per run of hits from the same book). */
static void
render_hits(struct req *r, struct html *h, const struct search_result *res, long offset)
{
	struct fz_book b;
	struct fz_err err;
	const char *label = NULL, *label_of = NULL;
	size_t i;

	HTML_LIT(h, "<ol class=\"hits\" start=\"");
	html_long(h, offset + 1);
	HTML_LIT(h, "\">\n");
	for (i = 0; i < res->nhits; i++) {
		const struct search_hit *hit = &res->hits[i];

		HTML_LIT(h, "<li>\n<h2 class=\"hit-title\">");
		layout_link(h, url_entry(r->arena, hit->id, 0), hit->title);
		HTML_LIT(h, "</h2>\n<p class=\"hit-book\">");
		if (label_of == NULL || strcmp(label_of, hit->book_id) != 0) {
			memset(&b, 0, sizeof(b));
			label = hit->book_title;
			if (store_book_get(r->store, hit->book_id, r->arena, &b, &err) == 0)
				label = book_label(r->arena, &b);
			label_of = hit->book_id;
		}
		layout_link(h, url_book(r->arena, hit->book_id, 0, 0), label);
		HTML_LIT(h, "</p>\n");
		render_snippet(h, &hit->snippet);
		HTML_LIT(h, "</li>\n");
	}
	HTML_LIT(h, "</ol>\n");
}

/*
 * Search: without q, the form and how to write a query. A query the parser
 * refuses is answered 400 with the same page, the parser's words and the
 * form holding what was typed, so the reader can mend it. Results are
 * never kept in the page cache.
 */
int
page_search(struct req *r)
{
	const struct param_val *p = r->param;
	struct search_opts o;
	struct search_result res;
	struct fz_err err;
	struct html kind_select, book_filter, message, results, pager, help, main;
	long page = p[PARAM_PAGE].set ? p[PARAM_PAGE].n : 1, npages = 1;
	const char *q = p[PARAM_Q].set ? p[PARAM_Q].s : NULL, *title = "全文检索";
	int filtered = p[PARAM_KIND].set || p[PARAM_YEAR].set || p[PARAM_REGION].set;

	html_init(&kind_select, r->arena);
	html_init(&book_filter, r->arena);
	html_init(&message, r->arena);
	html_init(&results, r->arena);
	html_init(&pager, r->arena);
	html_init(&help, r->arena);
	html_init(&main, r->arena);
	r->status = 200;
	r->cache = CACHE_NONE;
	render_kind_select(r, &kind_select);
	render_book_filter(r, &book_filter);

	memset(&o, 0, sizeof(o));
	memset(&res, 0, sizeof(res));
	o.query = q;
	o.book = p[PARAM_BOOK].set ? p[PARAM_BOOK].s : NULL;
	o.kind = p[PARAM_KIND].set ? p[PARAM_KIND].s : NULL;
	o.region = p[PARAM_REGION].set ? p[PARAM_REGION].s : NULL;
	o.year_from = p[PARAM_YEAR].set ? (int)p[PARAM_YEAR].n : 0;
	o.year_to = p[PARAM_YEAR].set ? (int)p[PARAM_YEAR].n2 : 0;
	o.limit = HITS_PER_PAGE;
	o.offset = (page - 1) * HITS_PER_PAGE;

	if (q == NULL) {
		render_help(&help);
	} else if (store_search(r->store, &o, r->arena, &res, &err) < 0) {
		if (err.code != FZ_EINPUT)
			return page_fail(r, &err);
		r->status = 400;
		title = "检索式有误";
		HTML_LIT(&message, "<p class=\"error-msg\" role=\"alert\">检索式有误：");
		html_text(&message, err.msg);
		HTML_LIT(&message, "</p>\n");
		render_help(&help);
	} else if (res.total == 0) {
		title = arena_printf(r->arena, "“%s”的检索结果", q);
		HTML_LIT(&message, "<div class=\"none\" role=\"status\"><p>没有找到包含“");
		html_text(&message, q);
		HTML_LIT(&message, "”的条目。</p>\n<ul><li>检查有没有错字，或换一个更短的词；</li>"
				   "<li>几个词都必须出现，去掉一个试试，或用 <code>OR</code> 连接；</li>");
		if (filtered || o.book) {
			struct html u;

			html_init(&u, r->arena);
			HTML_LIT(&u, "/search?q=");
			html_url_arg(&u, q);
			HTML_LIT(&message, "<li>去掉筛选条件，");
			layout_link(&message, u.b.p, "在全部档案中检索");
			HTML_LIT(&message, "；</li>");
		}
		HTML_LIT(&message, "<li>也可以从");
		layout_link(&message, "/browse", "档案浏览器");
		HTML_LIT(&message, "逐级查找。</li></ul></div>\n");
		render_help(&help);
	} else {
		npages = (res.total + HITS_PER_PAGE - 1) / HITS_PER_PAGE;
		if (page > npages)
			return page_error(r, 404, arena_printf(r->arena, "没有第 %ld 页：共 %ld 页。",
							       page, npages));
		title = arena_printf(r->arena, "“%s”的检索结果", q);
		HTML_LIT(&message, "<p class=\"count\" role=\"status\">找到 <strong>");
		html_long(&message, res.total);
		HTML_LIT(&message, "</strong> 条");
		if (npages > 1) {
			HTML_LIT(&message, "，第 ");
			html_long(&message, page);
			HTML_LIT(&message, " / ");
			html_long(&message, npages);
			HTML_LIT(&message, " 页");
		}
		HTML_LIT(&message, "。</p>\n");
		render_hits(r, &results, &res, o.offset);
		layout_pager(&pager, url_search(r, q, 0), page, npages);
	}

	struct tmpl_var vars[] = {
		{ "heading", q ? "检索结果" : "全文检索", NULL },
		{ "q", q ? q : "", NULL },
		{ "year", p[PARAM_YEAR].set ? p[PARAM_YEAR].s : "", NULL },
		{ "region", p[PARAM_REGION].set ? p[PARAM_REGION].s : "", NULL },
		{ "filters_open", filtered ? " open" : "", NULL },
		{ "kind_select", NULL, &kind_select },
		{ "book_filter", NULL, &book_filter },
		{ "message", NULL, &message },
		{ "results", NULL, &results },
		{ "pager", NULL, &pager },
		{ "help", NULL, &help },
	};
	tmpl_render(TMPL_SEARCH, vars, sizeof(vars) / sizeof(vars[0]), &main);
	layout_page(r, title, &main);
	return 0;
}
