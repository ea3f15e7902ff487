/* page_legacy.c: the old site's addresses answered, and the pages captured of it */
#include <string.h>
#include <strings.h>

#include "web_int.h"

#define OLD_URL_MAX 4096 /* a pasted address longer than this is not one */

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 32);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decodes one level of a query value ('+' is a space): what a
 * form sends for a pasted address, which keeps its own %-escapes. */
static char *
form_value(struct arena *a, const char *q, const char *key)
{
	size_t k = strlen(key);
	const char *p = q;

	while (p && *p) {
		const char *amp = strchr(p, '&');
		size_t n = amp ? (size_t)(amp - p) : strlen(p);
		if (n > k && strncmp(p, key, k) == 0 && p[k] == '=') {
			struct buf b;
			size_t i;
			buf_init(&b, a);
			buf_addstr(&b, "");
			for (i = k + 1; i < n; i++) {
				int h1 = i + 2 < n ? hexval(p[i + 1]) : -1, h2 = i + 2 < n ? hexval(p[i + 2]) : -1;
				if (p[i] == '%' && h1 >= 0 && h2 >= 0) {
					buf_addch(&b, (char)(h1 << 4 | h2));
					i += 2;
				} else {
					buf_addch(&b, p[i] == '+' ? ' ' : p[i]);
				}
			}
			return b.p;
		}
		p = amp ? amp + 1 : NULL;
	}
	return NULL;
}

void
legacy_resolve_form(struct html *h)
{
	HTML_LIT(h, "<form class=\"search-big\" action=\"/resolve\" method=\"get\">\n"
		    "<label for=\"oldurl\">旧网址（lib.sdsqw.cn）</label>\n<div class=\"search-row\">\n"
		    "<input id=\"oldurl\" name=\"url\" type=\"url\" maxlength=\"4096\" "
		    "placeholder=\"http://lib.sdsqw.cn/bin/mse.exe?K=CH91&amp;A=3&amp;rec=1&amp;run=13\">\n"
		    "<button type=\"submit\">查找</button>\n</div>\n</form>\n");
}

static void
search_form(struct html *h)
{
	HTML_LIT(h, "<form class=\"search-big\" action=\"/search\" method=\"get\" role=\"search\">\n"
		    "<label for=\"q\">在本站检索</label>\n<div class=\"search-row\">\n"
		    "<input id=\"q\" name=\"q\" type=\"search\" maxlength=\"1024\">\n"
		    "<button type=\"submit\">检索</button>\n</div>\n</form>\n");
}

/* A redirect: 301 for the old site's own addresses (they moved here for
 * good), 302 for a pasted one. The body says where, for clients that do
 * not follow. */
static int
redirect(struct req *r, int status, const char *to)
{
	struct html main;

	html_init(&main, r->arena);
	HTML_LIT(&main, "<h1>旧网址已迁到本站</h1>\n<p>请前往 ");
	layout_link(&main, to, to);
	HTML_LIT(&main, "。</p>\n");
	r->status = status;
	r->cache = CACHE_NONE;
	r->xhdr[r->nxhdr][0] = "Location";
	r->xhdr[r->nxhdr++][1] = to;
	layout_page(r, "旧网址已迁到本站", &main);
	return 0;
}

/*
 * An old address that leads nowhere here: a 404 that quotes it, says what
 * this site is, and offers a search. A record listed in a table of
 * contents but never captured says so, with the way to its book.
 */
static int
not_here(struct req *r, const char *old, const struct legacy_target *t, const char *why)
{
	struct html main;

	html_init(&main, r->arena);
	HTML_LIT(&main, "<h1>旧网址在本站没有对应内容</h1>\n<p>本站是已停运的山东省情网地情资料库"
			"（lib.sdsqw.cn）的存档与镜像。您访问的旧网址：</p>\n<p><code>");
	html_text(&main, old);
	HTML_LIT(&main, "</code></p>\n<p>");
	if (t != NULL && t->kind == LEGACY_MISSING) {
		HTML_LIT(&main, "它在原书目录中列为“");
		html_text(&main, t->title ? t->title : "");
		HTML_LIT(&main, "”，但这一条当年未能抓取（未能抓取），本站没有它的正文。可以在");
		layout_link(&main, url_book(r->arena, t->book_id, t->chapter, 0), "它所在的目录");
		HTML_LIT(&main, "中查看前后条目。");
	} else {
		html_text(&main, why);
	}
	HTML_LIT(&main, "</p>\n");
	search_form(&main);
	r->status = 404;
	r->cache = CACHE_NONE;
	layout_page(r, "旧网址在本站没有对应内容", &main);
	return 0;
}

/* Where a resolved old address goes on this site. */
static const char *
target_url(struct req *r, const struct legacy_target *t)
{
	switch (t->kind) {
	case LEGACY_ENTRY: return url_entry(r->arena, t->entry_id, 0);
	case LEGACY_BOOK: return url_book(r->arena, t->book_id, 0, 0);
	case LEGACY_CHAPTER: return url_book(r->arena, t->book_id, t->chapter, 0);
	case LEGACY_LIBRARY: return url_browse(r->arena, NULL, t->region_code, 0);
	case LEGACY_SEARCH: return url_search(r, t->words, 0);
	default: return NULL;
	}
}

static int
answer(struct req *r, const struct legacy_addr *a, const char *old, int status)
{
	struct legacy_target t;
	struct fz_err err;
	const char *to;

	if (store_legacy_resolve(r->store, a, r->arena, &t, &err) < 0) {
		if (err.code != FZ_ENOTFOUND)
			return page_fail(r, &err);
		return not_here(r, old, &t, "本存档中没有它所指的条目、书或目录。可以试试检索：");
	}
	if ((to = target_url(r, &t)) == NULL)
		return not_here(r, old, &t, "");
	return redirect(r, status, to);
}

/* /bin/mse.exe?... (any case of the name) and the search form /ftr/ftr.htm. */
int
page_legacy(struct req *r)
{
	struct legacy_addr a;
	const char *old = arena_printf(r->arena, "http://lib.sdsqw.cn%s%s%s", r->path,
				       *r->raw_query ? "?" : "", r->raw_query);

	if (strncmp(r->path, "/ftr/", 5) == 0) {
		if (strcasecmp(r->tail, "ftr.htm") == 0)
			return redirect(r, 301, "/search");
		return not_here(r, old, NULL, "旧站的这个页面没有保存下来。可以在本站检索：");
	}
	if (strcasecmp(r->tail, "mse.exe") != 0)
		return not_here(r, old, NULL, "旧站只有 /bin/mse.exe 一个程序，这个地址不是它。可以在本站检索：");
	store_legacy_parse_query(r->raw_query, r->arena, &a);
	return answer(r, &a, old, 301);
}

/* /resolve?url=...: a whole old address, pasted; without one, the form. */
int
page_resolve(struct req *r)
{
	const char *url = form_value(r->arena, r->raw_query, "url");
	struct legacy_addr a;
	struct fz_err err;
	struct html main;

	if (url == NULL || *url == '\0') {
		html_init(&main, r->arena);
		HTML_LIT(&main, "<h1>查找旧网址</h1>\n<p>本站是已停运的山东省情网地情资料库（lib.sdsqw.cn）"
				"的存档。把引用里的旧网址贴在下面，就能找到它在本站的位置。</p>\n");
		legacy_resolve_form(&main);
		r->status = 200;
		layout_page(r, "查找旧网址", &main);
		return 0;
	}
	if (strlen(url) > OLD_URL_MAX)
		return page_error(r, 400, "参数 url 太长：旧网址不会超过 4096 个字节。");
	if (store_legacy_parse(url, r->arena, &a, &err) < 0)
		return not_here(r, url, NULL, arena_printf(r->arena, "它不是旧站的网址：%s。", err.msg));
	return answer(r, &a, url, 302);
}

int
legacy_missing(struct req *r, struct html *h, const char *book_id, long chapter,
	       struct fz_err *err)
{
	struct fz_legacy *m;
	size_t n, i;

	if (store_book_missing(r->store, book_id, chapter, r->arena, &m, &n, err) < 0)
		return -1;
	if (n == 0)
		return 0;
	HTML_LIT(h, "<p>原目录中还有下列条目，当年未能抓取，本站没有它们的正文：</p>\n"
		    "<ol class=\"tree missing\">\n");
	for (i = 0; i < n; i++) {
		HTML_LIT(h, "<li class=\"en\">");
		html_text(h, m[i].title ? m[i].title : "（无题）");
		HTML_LIT(h, " <span class=\"n\">未能抓取</span> <code>");
		html_text(h, m[i].url);
		HTML_LIT(h, "</code></li>\n");
	}
	HTML_LIT(h, "</ol>\n");
	return 0;
}

/* /original/<entry id>: the pages an entry was made from, as captured. */
int
page_original(struct req *r)
{
	struct fz_capture *caps;
	struct fz_entry e;
	struct fz_err err;
	struct html main;
	size_t n, i;

	if (store_entry_get(r->store, r->tail, 0, r->arena, &e, &err) < 0)
		return page_fail(r, &err);
	if (store_entry_captures(r->store, r->tail, r->arena, &caps, &n, &err) < 0)
		return page_fail(r, &err);
	html_init(&main, r->arena);
	HTML_LIT(&main, "<h1>原始页面：");
	html_text(&main, e.title);
	HTML_LIT(&main, "</h1>\n<p>");
	layout_link(&main, url_entry(r->arena, e.id, 0), "返回条目");
	HTML_LIT(&main, "</p>\n");
	if (n == 0)
		HTML_LIT(&main, "<p>这个条目不是从旧站的网页抓取来的，没有原始页面。</p>\n");
	else
		HTML_LIT(&main, "<p>下面是旧站网页被抓取时的原样字节，按抓取时间从新到旧排列。"
				"为安全起见，原始页面只作为附件下载，不在本站直接打开。</p>\n");
	for (i = 0; i < n; i++) {
		const char *id = arena_printf(r->arena, "%ld", caps[i].id);
		HTML_LIT(&main, "<dl class=\"meta\">\n");
		layout_row(&main, "原网址", caps[i].url, NULL);
		layout_row(&main, "抓取时间", caps[i].captured_at ? layout_time(r->arena, caps[i].captured_at) : "不详", NULL);
		layout_row(&main, "SHA-256", caps[i].sha256, NULL);
		layout_row(&main, "字节数", arena_printf(r->arena, "%zu", caps[i].len), NULL);
		layout_row(&main, "问题", caps[i].problem, NULL);
		layout_row(&main, "下载", "原始页面（HTML）", arena_printf(r->arena, "/capture/%s", id));
		if (caps[i].http)
			layout_row(&main, "HTTP 响应", "完整的响应字节", arena_printf(r->arena, "/capture/%s.http", id));
		HTML_LIT(&main, "</dl>\n");
	}
	r->status = 200;
	layout_page(r, arena_printf(r->arena, "原始页面：%s", e.title), &main);
	return 0;
}

/* The declared charset as a label browsers read the same way; GBK pages
 * said gb2312, which browsers already read as GBK. */
static const char *
html_ctype(struct req *r, const char *cs)
{
	size_t i;

	if (cs == NULL || !*cs || strlen(cs) > 32)
		return "text/html";
	for (i = 0; cs[i]; i++)
		if (!((cs[i] >= '0' && cs[i] <= '9') || ((cs[i] | 32) >= 'a' && (cs[i] | 32) <= 'z') ||
		      cs[i] == '-' || cs[i] == '_'))
			return "text/html";
	if (strcasecmp(cs, "gb2312") == 0 || strcasecmp(cs, "gbk") == 0)
		cs = "gb18030";
	return arena_printf(r->arena, "text/html; charset=%s", cs);
}

/*
 * /capture/<n>: the page as captured (the HTTP body, de-chunked, as it was
 * served), or /capture/<n>.http: the whole HTTP response. Always as an
 * attachment and under a sandboxing policy, so a captured page never runs
 * as live HTML on this origin.
 */
int
page_capture(struct req *r)
{
	struct fz_capture c;
	struct fz_err err;
	const char *tail = r->tail, *dot = strchr(tail, '.'), *cs = NULL;
	const unsigned char *body;
	size_t blen;
	long id;
	int whole = dot && strcmp(dot, ".http") == 0;

	if ((dot && !whole) ||
	    req_parse_long(dot ? arena_strndup(r->arena, tail, (size_t)(dot - tail)) : tail, 1,
			   1L << 40, &id) < 0)
		return page_not_found(r);
	if (store_capture_get(r->store, id, r->arena, &c, &err) < 0)
		return page_fail(r, &err);
	body = c.bytes;
	blen = c.len;
	if (c.http && !whole) {
		const unsigned char *e = memmem(body, blen, "\r\n\r\n", 4);
		const char *ct = NULL;
		size_t hl = e ? (size_t)(e - body) : 0;
		char *head = arena_strndup(r->arena, (const char *)body, hl);
		if ((ct = strcasestr(head, "\ncontent-type:")) != NULL &&
		    (cs = strcasestr(ct, "charset=")) != NULL) {
			size_t k = strcspn(cs + 8, "\r\n;\" ");
			cs = arena_strndup(r->arena, cs + 8, k);
		}
		if (e != NULL) {
			body = e + 4;
			blen -= hl + 4;
		}
	}
	if (cs == NULL && !whole) { /* a <meta> in the page itself */
		const char *m = strcasestr(arena_strndup(r->arena, (const char *)body, blen < 4096 ? blen : 4096),
					   "charset=");
		if (m != NULL)
			cs = arena_strndup(r->arena, m + 8, strcspn(m + 8, "\"' />;"));
	}
	r->raw_static = 1;
	r->raw = body;
	r->rawlen = blen;
	r->ctype = whole ? "application/http; msgtype=response" : html_ctype(r, cs);
	r->xhdr[r->nxhdr][0] = "Content-Disposition";
	r->xhdr[r->nxhdr++][1] = arena_printf(r->arena, "attachment; filename=\"lib.sdsqw.cn-%ld.%s\"",
					      id, whole ? "http" : "html");
	r->xhdr[r->nxhdr][0] = "Content-Security-Policy";
	r->xhdr[r->nxhdr++][1] = "sandbox";
	r->status = 200;
	r->cache = CACHE_VERSION;
	return 0;
}
