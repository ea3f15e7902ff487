/* layout.c: the site's chrome around every page, breadcrumbs, pagers and URLs */
#include <stdio.h>
#include <string.h>

#include "web_int.h"

/* Whether s already ends in sentence punctuation, so the header does not
 * print "。。". */
static int
ends_sentence(const char *s)
{
	static const char *const enders[] = { "。", "！", "？", ".", "!", "?" };
	size_t len = strlen(s), i;

	for (i = 0; i < sizeof(enders) / sizeof(enders[0]); i++) {
		size_t n = strlen(enders[i]);
		if (len >= n && memcmp(s + len - n, enders[i], n) == 0)
			return 1;
	}
	return 0;
}

/*
 * Every HTML page goes out through here: the site's identity at the top
 * (name, brand, description, 关于本站, as the reference page shows), the
 * page's own main part, a footer with search and navigation.
 */
void
layout_page(struct req *r, const char *title, const struct html *main)
{
	const struct site *s = r->site;
	struct html empty, search, nav;
	const char *full_title, *sentence;

	html_init(&empty, r->arena);
	full_title = title && *title ? arena_printf(r->arena, "%s · %s", title, s->brand)
				     : arena_printf(r->arena, "%s · %s", s->brand, s->name);
	sentence = ends_sentence(s->description)
			   ? s->description
			   : arena_printf(r->arena, "%s。", s->description);
	html_init(&search, r->arena);
	html_init(&nav, r->arena);
	layout_search_form(&search, 0);
	layout_nav(&nav);
	struct tmpl_var vars[] = {
		{ "title", full_title, NULL },
		{ "description", s->description, NULL },
		{ "description_sentence", sentence, NULL },
		{ "site_name", s->name, NULL },
		{ "brand", s->brand, NULL },
		{ "css", link_href(r->arena, r->web->css_href), NULL },
		{ "home", link_href(r->arena, "/"), NULL },
		{ "about", link_href(r->arena, "/about"), NULL },
		{ "head", NULL, &empty },
		{ "main", NULL, main },
		{ "search", NULL, &search },
		{ "nav", NULL, &nav },
		{ "footer_extra", NULL, &empty },
	};
	html_init(&r->body, r->arena);
	tmpl_render(TMPL_LAYOUT, vars, sizeof(vars) / sizeof(vars[0]), &r->body);
	if (r->ctype == NULL)
		r->ctype = "text/html; charset=utf-8";
}

/* A link to a site URL, written as link_href says; only the text when
 * the page is not there (a static copy has no search). */
void
layout_link(struct html *h, const char *href, const char *text)
{
	href = link_href(h->b.arena, href);
	if (href == NULL) {
		html_text(h, text);
		return;
	}
	HTML_LIT(h, "<a href=\"");
	html_text(h, href);
	HTML_LIT(h, "\">");
	html_text(h, text);
	HTML_LIT(h, "</a>");
}

/* The breadcrumb: links up to the current page, which is plain text. */
void
layout_crumbs(struct html *h, const struct crumb *c, size_t n)
{
	size_t i;

	HTML_LIT(h, "<nav class=\"crumbs\" aria-label=\"位置\"><ol>");
	for (i = 0; i < n; i++) {
		if (c[i].href != NULL) {
			HTML_LIT(h, "<li>");
			layout_link(h, c[i].href, c[i].label);
		} else {
			HTML_LIT(h, "<li class=\"here\">");
			html_text(h, c[i].label);
		}
		HTML_LIT(h, "</li>");
	}
	HTML_LIT(h, "</ol></nav>\n");
}

const char *
url_with_page(struct arena *a, const char *base, long page)
{
	if (page <= 1)
		return base;
	return arena_printf(a, "%s%cpage=%ld", base, strchr(base, '?') ? '&' : '?', page);
}

/*
 * A pager that stays short on a phone: previous, first, a window around
 * the current page, last, next. Nothing when everything fits on one page.
 */
void
layout_pager(struct html *h, const char *base, long page, long npages)
{
	struct arena *a = h->b.arena;
	long p, lo = page - 3 > 1 ? page - 3 : 1, hi = page + 3 < npages ? page + 3 : npages;

	if (npages <= 1)
		return;
	HTML_LIT(h, "<nav class=\"pager\" aria-label=\"分页\"><ul>");
	if (page > 1) {
		HTML_LIT(h, "<li><a rel=\"prev\" href=\"");
		html_text(h, link_href(a, url_with_page(a, base, page - 1)));
		HTML_LIT(h, "\">上一页</a></li>");
	}
	if (lo > 1) {
		HTML_LIT(h, "<li>");
		layout_link(h, url_with_page(a, base, 1), "1");
		HTML_LIT(h, "</li>");
		if (lo > 2)
			HTML_LIT(h, "<li class=\"gap\">…</li>");
	}
	for (p = lo; p <= hi; p++) {
		if (p == page) {
			HTML_LIT(h, "<li class=\"here\"><strong>");
			html_long(h, p);
			HTML_LIT(h, "</strong></li>");
		} else {
			HTML_LIT(h, "<li>");
			layout_link(h, url_with_page(a, base, p), arena_printf(a, "%ld", p));
			HTML_LIT(h, "</li>");
		}
	}
	if (hi < npages) {
		if (hi < npages - 1)
			HTML_LIT(h, "<li class=\"gap\">…</li>");
		HTML_LIT(h, "<li>");
		layout_link(h, url_with_page(a, base, npages), arena_printf(a, "%ld", npages));
		HTML_LIT(h, "</li>");
	}
	if (page < npages) {
		HTML_LIT(h, "<li><a rel=\"next\" href=\"");
		html_text(h, link_href(a, url_with_page(a, base, page + 1)));
		HTML_LIT(h, "\">下一页</a></li>");
	}
	HTML_LIT(h, "</ul></nav>\n");
}

/* Percent-encoding into a plain string (html.c's encoder, reused). */
static void
add_pct(struct html *u, const char *s, int path)
{
	if (path)
		html_url_path(u, s);
	else
		html_url_arg(u, s);
}

const char *
url_entry(struct arena *a, const char *id, int version)
{
	struct html u;

	html_init(&u, a);
	HTML_LIT(&u, "/entry/");
	add_pct(&u, id, 1);
	if (version > 0)
		buf_addf(&u.b, "?v=%d", version);
	return u.b.p;
}

const char *
url_book(struct arena *a, const char *id, long chapter, long page)
{
	struct html u;

	html_init(&u, a);
	HTML_LIT(&u, "/book/");
	add_pct(&u, id, 0);
	if (chapter > 0)
		buf_addf(&u.b, "?ch=%ld", chapter);
	return url_with_page(a, u.b.p, page);
}

const char *
url_browse(struct arena *a, const char *kind, const char *region, long page)
{
	struct html u;
	char sep = '?';

	html_init(&u, a);
	HTML_LIT(&u, "/browse");
	if (kind != NULL) {
		buf_addf(&u.b, "%ckind=", sep);
		add_pct(&u, kind, 0);
		sep = '&';
	}
	if (region != NULL) {
		buf_addf(&u.b, "%cregion=", sep);
		add_pct(&u, region, 0);
	}
	return url_with_page(a, u.b.p, page);
}

const char *
url_search(const struct req *r, const char *q, long page)
{
	static const struct {
		enum param_id id;
		const char *key;
	} keep[] = { { PARAM_BOOK, "book" }, { PARAM_KIND, "kind" }, { PARAM_REGION, "region" },
		     { PARAM_YEAR, "year" } };
	struct html u;
	size_t i;

	html_init(&u, r->arena);
	HTML_LIT(&u, "/search?q=");
	add_pct(&u, q ? q : "", 0);
	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		if (!r->param[keep[i].id].set)
			continue;
		buf_addf(&u.b, "&%s=", keep[i].key);
		add_pct(&u, r->param[keep[i].id].s, 0);
	}
	return url_with_page(r->arena, u.b.p, page);
}

const char *
region_prefix(struct arena *a, const char *code)
{
	size_t len = strlen(code);

	while (len > 2 && code[len - 1] == '0' && code[len - 2] == '0')
		len -= 2;
	return arena_strndup(a, code, len);
}

const char *
layout_time(struct arena *a, const char *t)
{
	int y, mo, d, h, mi;

	if (t == NULL)
		return NULL;
	if (sscanf(t, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) != 5)
		return t;
	return arena_printf(a, "%04d-%02d-%02d %02d:%02d%s", y, mo, d, h, mi,
			    strchr(t, 'Z') ? " UTC" : "");
}

/* For Last-Modified: RFC 3339 as the store writes it ("Z" or "+08:00"). */
time_t
layout_parse_time(const char *t)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, s = 0, n;
	time_t v;
	const char *z;

	if (t == NULL)
		return 0;
	n = sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s);
	if (n < 3)
		return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	v = timegm(&tm);
	/* an offset such as +08:00 after the seconds */
	z = strlen(t) > 19 ? t + 19 : "";
	while (*z == '.' || (*z >= '0' && *z <= '9'))
		z++;
	if ((*z == '+' || *z == '-') && strlen(z) >= 6) {
		int oh = (z[1] - '0') * 10 + (z[2] - '0'), om = (z[4] - '0') * 10 + (z[5] - '0');
		long off = (long)oh * 3600 + (long)om * 60;
		v -= *z == '+' ? off : -off;
	}
	return v > 0 ? v : 0;
}

const char *
layout_count(struct arena *a, long long n)
{
	if (n < 10000)
		return arena_printf(a, "%lld", n);
	return arena_printf(a, "%.1f 万", (double)n / 10000.0);
}

const char *
book_label(struct arena *a, const struct fz_book *b)
{
	if (b->title == NULL)
		return b->id;
	if (b->edition == NULL || *b->edition == '\0' || strstr(b->title, b->edition) != NULL)
		return b->title;
	return arena_printf(a, "%s（%s）", b->title, b->edition);
}

void
layout_row(struct html *h, const char *term, const char *value, const char *href)
{
	if (value == NULL || *value == '\0')
		return;
	HTML_LIT(h, "<dt>");
	html_text(h, term);
	HTML_LIT(h, "</dt><dd>");
	if (href != NULL)
		layout_link(h, href, value);
	else
		html_text(h, value);
	HTML_LIT(h, "</dd>\n");
}

/*
 * The search box: the small one in every page's footer, or the big one of
 * the front page. A static copy has no search (link_href finds no
 * /search there): it says so instead of offering a form that leads
 * nowhere.
 */
void
layout_search_form(struct html *h, int big)
{
	const char *action = link_href(h->b.arena, "/search");

	if (action == NULL) {
		HTML_LIT(h, "<p class=\"no-search\">这是本站的静态副本，没有全文检索：请按地区、类别和书浏览，"
			    "或到在线的本站检索。</p>\n");
		return;
	}
	if (big)
		HTML_LIT(h, "<form class=\"search-big\" action=\"");
	else
		HTML_LIT(h, "<form class=\"search-mini\" action=\"");
	html_text(h, action);
	if (big)
		HTML_LIT(h, "\" method=\"get\" role=\"search\">\n"
			    "<label for=\"q\">检索全部条目</label>\n"
			    "<div class=\"search-row\">\n"
			    "<input id=\"q\" name=\"q\" type=\"search\" maxlength=\"1024\" "
			    "placeholder=\"例如：信访 或 &quot;泰山&quot;\">\n"
			    "<button type=\"submit\">检索</button>\n"
			    "</div>\n</form>\n");
	else
		HTML_LIT(h, "\" method=\"get\" role=\"search\">\n"
			    "<label for=\"fq\">全文检索</label>\n"
			    "<input id=\"fq\" name=\"q\" type=\"search\" maxlength=\"1024\">\n"
			    "<button type=\"submit\">检索</button>\n"
			    "</form>\n");
}

/* The footer's links to the site's main pages (those the copy has). */
void
layout_nav(struct html *h)
{
	static const struct {
		const char *url, *label;
	} items[] = { { "/", "首页" }, { "/browse", "档案浏览器" }, { "/search", "全文检索" },
		      { "/about", "关于本站" } };
	size_t i;
	int first = 1;

	for (i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		if (link_href(h->b.arena, items[i].url) == NULL)
			continue;
		if (!first)
			HTML_LIT(h, " · ");
		first = 0;
		layout_link(h, items[i].url, items[i].label);
	}
}
