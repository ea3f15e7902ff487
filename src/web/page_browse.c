/* page_browse.c: /browse, the archive browser: by region, by kind, by book */
#include <string.h>

#include "web_int.h"

/* Names of Shandong and its prefecture-level cities, for levels of the
 * tree that no book names itself (a county's book names only the county).
 * 371200 莱芜 was merged into 济南 in 2019; old books still carry it. */
static const struct {
	const char *code, *name;
} known[] = {
	{ "370000", "山东省" }, { "370100", "济南市" }, { "370200", "青岛市" },
	{ "370300", "淄博市" }, { "370400", "枣庄市" }, { "370500", "东营市" },
	{ "370600", "烟台市" }, { "370700", "潍坊市" }, { "370800", "济宁市" },
	{ "370900", "泰安市" }, { "371000", "威海市" }, { "371100", "日照市" },
	{ "371200", "莱芜市" }, { "371300", "临沂市" }, { "371400", "德州市" },
	{ "371500", "聊城市" }, { "371600", "滨州市" }, { "371700", "菏泽市" },
};

static int
valid_code(const char *code)
{
	return code && strlen(code) == 6 && strspn(code, "0123456789") == 6 &&
	       strncmp(code, "00", 2) != 0;
}

int
region_level(const char *code)
{
	if (strcmp(code + 2, "0000") == 0)
		return 1;
	if (strcmp(code + 4, "00") == 0)
		return 2;
	return 3;
}

const char *
region_parent(struct arena *a, const char *code)
{
	int level = region_level(code);

	if (level == 1)
		return NULL;
	if (level == 2)
		return arena_printf(a, "%.2s0000", code);
	return arena_printf(a, "%.4s00", code);
}

/* code's ancestor at `level` (code itself when it is at that level). */
static const char *
ancestor(struct arena *a, const char *code, int level)
{
	if (level == 1)
		return arena_printf(a, "%.2s0000", code);
	if (level == 2)
		return arena_printf(a, "%.4s00", code);
	return code;
}

const char *
region_name(struct arena *a, const struct fz_count *c, size_t nc, const char *code,
	    int short_form)
{
	const char *full = NULL, *parent, *pname;
	size_t i;

	for (i = 0; i < nc; i++)
		if (c[i].key && strcmp(c[i].key, code) == 0 && c[i].label && *c[i].label)
			full = c[i].label;
	if (full == NULL)
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strcmp(known[i].code, code) == 0)
				full = known[i].name;
	if (full == NULL)
		return code;
	if (!short_form || (parent = region_parent(a, code)) == NULL)
		return full;
	/* 山东省泰安市 under 山东省 → 泰安市 */
	pname = region_name(a, c, nc, parent, 0);
	if (strncmp(full, pname, strlen(pname)) == 0 && full[strlen(pname)] != '\0')
		return full + strlen(pname);
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		size_t kl = strlen(known[i].name);
		if (strncmp(full, known[i].name, kl) == 0 && full[kl] != '\0' &&
		    strcmp(known[i].code, code) != 0)
			full += kl; /* strip 山东省, then 泰安市 */
	}
	return full;
}

/*
 * Groups the per-code counts into the level below parent, summing books
 * and entries, in code order. A book filed at the parent's own code is not
 * a child; the page lists such books itself.
 */
void
region_children(struct arena *a, const struct fz_count *c, size_t nc, const char *parent,
		struct region_node **out, size_t *n)
{
	int level = parent ? region_level(parent) + 1 : 1;
	const char *prefix = parent ? region_prefix(a, parent) : "";
	struct region_node *arr = arena_alloc(a, (nc ? nc : 1) * sizeof(*arr));
	size_t i, k, m = 0;

	for (i = 0; i < nc; i++) {
		const char *code = c[i].key, *anc;

		if (!valid_code(code) || strncmp(code, prefix, strlen(prefix)) != 0 ||
		    (parent && strcmp(code, parent) == 0) || level > 3)
			continue;
		anc = ancestor(a, code, level);
		for (k = 0; k < m && strcmp(arr[k].code, anc) != 0; k++)
			;
		if (k == m) {
			arr[m++] = (struct region_node){ anc, region_name(a, c, nc, anc, 1), 0, 0 };
			/* keep code order */
			for (; k > 0 && strcmp(arr[k - 1].code, arr[k].code) > 0; k--) {
				struct region_node t = arr[k];
				arr[k] = arr[k - 1];
				arr[k - 1] = t;
			}
		}
		arr[k].books += c[i].books;
		arr[k].entries += c[i].entries;
	}
	*out = arr;
	*n = m;
}

/* Books as the browser and the front page list them: title (edition),
 * kind, region and how many entries. */
void
page_book_list(struct req *r, struct html *h, const struct fz_book *b, size_t n)
{
	size_t i;

	HTML_LIT(h, "<ul class=\"books\">\n");
	for (i = 0; i < n; i++) {
		HTML_LIT(h, "<li>");
		layout_link(h, url_book(r->arena, b[i].id, 0, 0), book_label(r->arena, &b[i]));
		HTML_LIT(h, " <span class=\"info\">");
		if (b[i].kind && *b[i].kind) {
			html_text(h, b[i].kind);
			HTML_LIT(h, " · ");
		}
		if (b[i].region && *b[i].region) {
			html_text(h, b[i].region);
			HTML_LIT(h, " · ");
		}
		html_long(h, b[i].nentries);
		HTML_LIT(h, " 条</span></li>\n");
	}
	HTML_LIT(h, "</ul>\n");
}

/* Regions of one level, each a link into the browser with its counts. */
static void
region_list(struct req *r, struct html *h, const struct region_node *rn, size_t n,
	    const char *kind)
{
	size_t i;

	HTML_LIT(h, "<ul class=\"counts\">\n");
	for (i = 0; i < n; i++) {
		HTML_LIT(h, "<li>");
		layout_link(h, url_browse(r->arena, kind, rn[i].code, 0), rn[i].label);
		HTML_LIT(h, " <span class=\"n\">");
		html_long(h, rn[i].books);
		HTML_LIT(h, " 部 · ");
		html_long(h, rn[i].entries);
		HTML_LIT(h, " 条</span></li>\n");
	}
	HTML_LIT(h, "</ul>\n");
}

/* Provinces, each with its cities: the first level of the browser by
 * region, shown on / and on /browse. */
void
page_region_tree(struct req *r, struct html *h, const struct fz_count *c, size_t nc)
{
	struct region_node *prov, *cities;
	size_t np, ncity, i;

	region_children(r->arena, c, nc, NULL, &prov, &np);
	if (np == 0) {
		HTML_LIT(h, "<p>还没有标明地区的书。</p>\n");
		return;
	}
	HTML_LIT(h, "<ul class=\"counts tree\">\n");
	for (i = 0; i < np; i++) {
		HTML_LIT(h, "<li>");
		layout_link(h, url_browse(r->arena, NULL, prov[i].code, 0), prov[i].label);
		HTML_LIT(h, " <span class=\"n\">");
		html_long(h, prov[i].books);
		HTML_LIT(h, " 部 · ");
		html_long(h, prov[i].entries);
		HTML_LIT(h, " 条</span>\n");
		region_children(r->arena, c, nc, prov[i].code, &cities, &ncity);
		if (ncity)
			region_list(r, h, cities, ncity, NULL);
		HTML_LIT(h, "</li>\n");
	}
	HTML_LIT(h, "</ul>\n");
}

void
page_kind_list(struct req *r, struct html *h, const struct fz_count *k, size_t nk)
{
	size_t i;

	HTML_LIT(h, "<ul class=\"counts\">\n");
	for (i = 0; i < nk; i++) {
		HTML_LIT(h, "<li>");
		if (k[i].key && *k[i].key)
			layout_link(h, url_browse(r->arena, k[i].key, NULL, 0), k[i].key);
		else
			HTML_LIT(h, "未分类");
		HTML_LIT(h, " <span class=\"n\">");
		html_long(h, k[i].books);
		HTML_LIT(h, " 部 · ");
		html_long(h, k[i].entries);
		HTML_LIT(h, " 条</span></li>\n");
	}
	HTML_LIT(h, "</ul>\n");
}

/* Appends the crumbs of region code (province → city → county). */
static size_t
region_crumbs(struct req *r, struct crumb *cr, size_t n, const struct fz_count *c, size_t nc,
	      const char *kind, const char *code, int last_current)
{
	const char *chain[3];
	int k = 0, i;
	const char *p = code;

	while (p != NULL && k < 3) {
		chain[k++] = p;
		p = region_parent(r->arena, p);
	}
	for (i = k - 1; i >= 0; i--)
		cr[n++] = (struct crumb){ region_name(r->arena, c, nc, chain[i], 1),
					  i == 0 && last_current
						  ? NULL
						  : url_browse(r->arena, kind, chain[i], 0) };
	return n;
}

/*
 * /browse: without parameters, the first level (regions, kinds, all
 * books); with kind and/or region, the regions below and the books there,
 * fifty to a page. An empty selection is a 404: the browser never links
 * to one.
 */
int
page_browse(struct req *r)
{
	const char *kind = r->param[PARAM_KIND].set ? r->param[PARAM_KIND].s : NULL;
	const char *region = r->param[PARAM_REGION].set ? r->param[PARAM_REGION].s : NULL;
	long page = r->param[PARAM_PAGE].set ? r->param[PARAM_PAGE].n : 1, npages;
	struct fz_count *rc = NULL, *kc = NULL;
	size_t nrc = 0, nkc = 0, nbooks = 0, nsub = 0, ncr = 0, from, to;
	struct fz_book *books = NULL;
	struct region_node *sub = NULL;
	struct html crumbs, intro, sections, main;
	struct crumb cr[8];
	struct fz_err err;
	const char *heading = "档案浏览器";

	if (store_counts_by_region(r->store, r->arena, &rc, &nrc, &err) < 0 ||
	    store_counts_by_kind(r->store, r->arena, &kc, &nkc, &err) < 0 ||
	    store_books(r->store, kind, region ? region_prefix(r->arena, region) : NULL, r->arena,
			&books, &nbooks, &err) < 0)
		return page_fail(r, &err);
	html_init(&crumbs, r->arena);
	html_init(&intro, r->arena);
	html_init(&sections, r->arena);
	html_init(&main, r->arena);

	cr[ncr++] = (struct crumb){ "档案浏览器", kind || region ? "/browse" : NULL };
	if (kind)
		cr[ncr++] = (struct crumb){ kind, region ? url_browse(r->arena, kind, NULL, 0) : NULL };
	if (region) {
		ncr = region_crumbs(r, cr, ncr, rc, nrc, kind, region, 1);
		region_children(r->arena, rc, nrc, region, &sub, &nsub);
		heading = region_name(r->arena, rc, nrc, region, 0);
		if (kind)
			heading = arena_printf(r->arena, "%s · %s", heading, kind);
	} else if (kind) {
		heading = kind;
	}
	if ((kind || region) && nbooks == 0)
		return page_error(r, 404, "档案中没有符合这个条件的书。");
	npages = nbooks ? (long)((nbooks + BOOKS_PER_PAGE - 1) / BOOKS_PER_PAGE) : 1;
	if (page > npages)
		return page_error(r, 404, arena_printf(r->arena, "没有第 %ld 页：共 %ld 页。", page,
						       npages));
	layout_crumbs(&crumbs, cr, ncr);

	HTML_LIT(&intro, "<p class=\"lead\">");
	if (!kind && !region)
		HTML_LIT(&intro, "按地区（省、市、县，依 GB/T 2260 行政区划代码）、按类别或按书浏览全部档案。");
	html_long(&intro, (long)nbooks);
	HTML_LIT(&intro, " 部书。</p>\n");

	if (!kind && !region) {
		HTML_LIT(&sections, "<section aria-labelledby=\"h-r\"><h2 id=\"h-r\">按地区</h2>\n");
		page_region_tree(r, &sections, rc, nrc);
		HTML_LIT(&sections, "</section>\n<section aria-labelledby=\"h-k\"><h2 id=\"h-k\">按类别</h2>\n");
		page_kind_list(r, &sections, kc, nkc);
		HTML_LIT(&sections, "</section>\n");
	} else if (nsub > 0) {
		HTML_LIT(&sections, "<section aria-labelledby=\"h-r\"><h2 id=\"h-r\">下属地区</h2>\n");
		region_list(r, &sections, sub, nsub, kind);
		HTML_LIT(&sections, "</section>\n");
	}
	from = (size_t)(page - 1) * BOOKS_PER_PAGE;
	to = from + BOOKS_PER_PAGE < nbooks ? from + BOOKS_PER_PAGE : nbooks;
	HTML_LIT(&sections, "<section aria-labelledby=\"h-b\"><h2 id=\"h-b\">");
	if (kind || region)
		HTML_LIT(&sections, "书目");
	else
		HTML_LIT(&sections, "全部书目");
	HTML_LIT(&sections, "</h2>\n");
	page_book_list(r, &sections, books + from, to - from);
	layout_pager(&sections, url_browse(r->arena, kind, region, 0), page, npages);
	HTML_LIT(&sections, "</section>\n");

	struct tmpl_var vars[] = {
		{ "heading", heading, NULL },
		{ "crumbs", NULL, &crumbs },
		{ "intro", NULL, &intro },
		{ "sections", NULL, &sections },
	};
	tmpl_render(TMPL_BROWSE, vars, sizeof(vars) / sizeof(vars[0]), &main);
	r->status = 200;
	r->cache = CACHE_SHORT;
	layout_page(r, heading, &main);
	return 0;
}
