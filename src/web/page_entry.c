/* page_entry.c: /entry/{id}[?v=N]: one entry's text, its place, provenance and versions */
#include <string.h>

#include "web_int.h"

#define NOTE_OPEN_LEN (sizeof(TEXT_NOTE_OPEN) - 1)

/* Walking the body: where we are in the page starts and in a note. */
struct walk {
	struct html *h;
	struct arena *a;
	const struct fz_entry *e;
	size_t pi;   /* next page start to show */
	int in_note; /* a note is open in the markup */
};

/* An id made of the label's safe characters: "010-2a" → "p010-2a". */
static const char *
page_anchor(struct arena *a, const char *label)
{
	size_t len = strlen(label), i;
	char *id = arena_alloc(a, len + 2);

	id[0] = 'p';
	for (i = 0; i < len; i++) {
		char c = label[i];
		int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			 c == '-' || c == '_' || c == '.';
		id[i + 1] = ok ? c : '_';
	}
	id[len + 1] = '\0';
	return id;
}

/* Shows every page start at or before pos as a marginal page number that
 * is its own anchor (#p010-2a). */
static void
pages_upto(struct walk *w, size_t pos)
{
	while (w->pi < w->e->npages && w->e->pages[w->pi].pos <= pos) {
		const struct fz_page *pg = &w->e->pages[w->pi++];
		const char *id;

		if (pg->label == NULL)
			continue;
		id = page_anchor(w->a, pg->label);
		HTML_LIT(w->h, "<a class=\"pb\" id=\"");
		html_text(w->h, id);
		HTML_LIT(w->h, "\" href=\"#");
		html_text(w->h, id);
		HTML_LIT(w->h, "\" title=\"原书页码\">");
		html_text(w->h, pg->label);
		HTML_LIT(w->h, "</a>");
	}
}

/* Length of a glyph reference "&KR1234;" at s (letters, digits, ';'), or 0. */
static size_t
glyph_ref(const char *s, size_t n)
{
	size_t i = 1, letters = 0, digits = 0;

	while (i < n && i < 24 && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')))
		i++, letters++;
	while (i < n && i < 24 && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (letters == 0 || digits == 0 || i >= n || s[i] != ';')
		return 0;
	return i + 1;
}

static const char *
next_special(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p == '&' || ((unsigned char)*p == 0xEF && end - p >= 3 &&
				  (unsigned char)p[1] == 0xBF &&
				  ((unsigned char)p[2] == 0xB9 || (unsigned char)p[2] == 0xBB)))
			return p;
	return end;
}

/*
 * The text of one paragraph from byte `from` to `to`: escaped text, notes
 * (between U+FFF9 and U+FFFB) set small, glyph references as a marked
 * placeholder, and page starts where they fall. A note left open at the
 * end of a paragraph is closed there and reopened in the next, so the
 * markup always nests.
 */
static void
inline_text(struct walk *w, size_t from, size_t to)
{
	const char *b = w->e->body;
	size_t cur = from;

	if (w->in_note)
		HTML_LIT(w->h, "<small class=\"note\">");
	while (cur < to) {
		size_t stop = (size_t)(next_special(b + cur, b + to) - b);
		size_t n;

		if (w->pi < w->e->npages && w->e->pages[w->pi].pos > cur &&
		    w->e->pages[w->pi].pos < stop)
			stop = w->e->pages[w->pi].pos;
		pages_upto(w, cur);
		/* a page start inside a UTF-8 sequence is shown at the next character */
		while (stop < to && ((unsigned char)b[stop] & 0xC0) == 0x80)
			stop++;
		html_textn(w->h, b + cur, stop - cur);
		cur = stop;
		if (cur >= to)
			break;
		pages_upto(w, cur);
		if (b[cur] == '&') {
			if ((n = glyph_ref(b + cur, to - cur)) != 0) {
				HTML_LIT(w->h, "<span class=\"gaiji\" title=\"Unicode 未收之字 ");
				html_textn(w->h, b + cur, n);
				HTML_LIT(w->h, "\">");
				html_textn(w->h, b + cur + 1, n - 2);
				HTML_LIT(w->h, "</span>");
				cur += n;
			} else {
				HTML_LIT(w->h, "&amp;");
				cur++;
			}
		} else if ((unsigned char)b[cur] == 0xEF && (unsigned char)b[cur + 2] == 0xB9) {
			if (!w->in_note)
				HTML_LIT(w->h, "<small class=\"note\">");
			w->in_note = 1;
			cur += NOTE_OPEN_LEN;
		} else if ((unsigned char)b[cur] == 0xEF) {
			if (w->in_note)
				HTML_LIT(w->h, "</small>");
			w->in_note = 0;
			cur += NOTE_OPEN_LEN;
		} else {
			html_textn(w->h, b + cur, 1);
			cur++;
		}
	}
	if (w->in_note)
		HTML_LIT(w->h, "</small>");
}

/* A section's anchor: its heading when that is a usable, unique id, else sN. */
static const char *
section_anchor(struct arena *a, const struct fz_entry *e, size_t k)
{
	const char *hd = e->sections[k].heading;
	size_t i;

	if (hd == NULL || *hd == '\0' || strlen(hd) > 60 || strpbrk(hd, " \t\"'<>&#%?/") != NULL)
		return arena_printf(a, "s%zu", k + 1);
	for (i = 0; i < e->nsections; i++)
		if (i != k && e->sections[i].heading && strcmp(e->sections[i].heading, hd) == 0)
			return arena_printf(a, "s%zu", k + 1);
	return hd;
}

/* Where a section paragraph's text begins: after 【…】 and blanks. */
static size_t
after_heading(const char *b, size_t ps, size_t pe)
{
	const char *close = memmem(b + ps, pe - ps, "】", strlen("】"));
	size_t cs;

	if (close == NULL)
		return ps;
	cs = (size_t)(close - b) + strlen("】");
	for (;;) {
		if (cs < pe && (b[cs] == ' ' || b[cs] == '\t'))
			cs++;
		else if (pe - cs >= 3 && memcmp(b + cs, "\xE3\x80\x80", 3) == 0) /* U+3000 */
			cs += 3;
		else
			break;
	}
	return cs;
}

/*
 * The body: paragraphs split on '\n'; a paragraph that opens a section
 * (fz_entry.sections) becomes an <h2> with its anchor, followed by the
 * rest of the paragraph.
 */
static void
render_body(struct walk *w, const char *const *anchors)
{
	const struct fz_entry *e = w->e;
	const char *b = e->body;
	size_t len = e->bodylen ? e->bodylen : strlen(b);
	size_t ps = 0, si = 0;

	while (ps <= len) {
		const char *nl = memchr(b + ps, '\n', len - ps);
		size_t pe = nl ? (size_t)(nl - b) : len;
		size_t cs = ps;

		while (si < e->nsections && e->sections[si].pos < ps)
			si++;
		if (si < e->nsections && e->sections[si].pos == ps) {
			HTML_LIT(w->h, "<h2 id=\"");
			html_text(w->h, anchors[si]);
			HTML_LIT(w->h, "\">");
			html_text(w->h, e->sections[si].heading);
			HTML_LIT(w->h, "</h2>\n");
			cs = after_heading(b, ps, pe);
			si++;
		}
		if (cs < pe) {
			HTML_LIT(w->h, "<p>");
			inline_text(w, cs, pe);
			HTML_LIT(w->h, "</p>\n");
		}
		if (nl == NULL)
			break;
		ps = pe + 1;
	}
	if (w->pi < e->npages) { /* page starts past the last text */
		HTML_LIT(w->h, "<p>");
		pages_upto(w, (size_t)-1);
		HTML_LIT(w->h, "</p>\n");
	}
}

/* A table of contents only when there are several sections to move between. */
static void
render_toc(struct html *h, const struct fz_entry *e, const char *const *anchors)
{
	size_t i;

	if (e->nsections < 2)
		return;
	HTML_LIT(h, "<nav class=\"toc\" aria-labelledby=\"toc-h\"><h2 id=\"toc-h\">目录</h2><ol>");
	for (i = 0; i < e->nsections; i++) {
		HTML_LIT(h, "<li><a href=\"#");
		html_url_arg(h, anchors[i]);
		HTML_LIT(h, "\">");
		html_text(h, e->sections[i].heading);
		HTML_LIT(h, "</a></li>");
	}
	HTML_LIT(h, "</ol></nav>\n");
}

/* 档案浏览器 › kind › book › chapters › this entry, each level a link up. */
static void
render_crumbs(struct req *r, struct html *h, const struct fz_entry *e)
{
	struct crumb *c = arena_alloc(r->arena, (e->nchapters + 4) * sizeof(*c));
	size_t n = 0, i;

	c[n++] = (struct crumb){ "档案浏览器", "/browse" };
	if (e->book.kind && *e->book.kind)
		c[n++] = (struct crumb){ e->book.kind, url_browse(r->arena, e->book.kind, NULL, 0) };
	c[n++] = (struct crumb){ book_label(r->arena, &e->book),
				 url_book(r->arena, e->book.id, 0, 0) };
	for (i = 0; i < e->nchapters; i++)
		c[n++] = (struct crumb){ e->chapters[i].title,
					 url_book(r->arena, e->book.id, e->chapters[i].id, 0) };
	c[n++] = (struct crumb){ e->title, NULL };
	layout_crumbs(h, c, n);
}

static void
render_book(struct req *r, struct html *h, const struct fz_entry *e)
{
	struct arena *a = r->arena;
	const struct fz_book *b = &e->book;

	HTML_LIT(h, "<dl class=\"facts\">\n");
	layout_row(h, "书名", book_label(a, b), url_book(a, b->id, 0, 0));
	layout_row(h, "类别", b->kind, b->kind ? url_browse(a, b->kind, NULL, 0) : NULL);
	layout_row(h, "地区",
		   b->region ? b->region : b->region_code,
		   b->region_code && strlen(b->region_code) == 6 ? url_browse(a, NULL, b->region_code, 0)
							      : NULL);
	layout_row(h, "出版年", b->published ? arena_printf(a, "%d", b->published) : NULL, NULL);
	layout_row(h, "所记年份", e->year ? arena_printf(a, "%d", e->year) : NULL, NULL);
	layout_row(h, "作者", e->author, NULL);
	HTML_LIT(h, "</dl>\n");
}

static void
render_provenance(struct req *r, struct html *h, const struct fz_entry *e)
{
	struct arena *a = r->arena;
	const char *file = e->source_file;

	if (file && e->source_line > 0)
		file = arena_printf(a, "%s，第 %ld 行", file, e->source_line);
	HTML_LIT(h, "<dl class=\"facts\">\n");
	layout_row(h, "原始地址", e->url, NULL);
	layout_row(h, "原库编号", e->orig_id, NULL);
	layout_row(h, "采集时间", layout_time(a, e->captured_at), NULL);
	/* a crawled page: its captures, as they came (page_legacy.c); not in static copies */
	if (e->url && e->captured_at && link_href(a, arena_printf(a, "/original/%s", e->id)))
		layout_row(h, "原始页面", "抓取时的原样网页", arena_printf(a, "/original/%s", e->id));
	layout_row(h, "原始摘要", e->orig_sha256 ? arena_printf(a, "SHA-256 %s", e->orig_sha256) : NULL,
		   NULL);
	layout_row(h, "导入文件", file, NULL);
	layout_row(h, "原书页", e->source_page, NULL);
	layout_row(h, "收录时间", layout_time(a, e->imported_at), NULL);
	layout_row(h, "本版摘要", e->sha256 ? arena_printf(a, "SHA-256 %s", e->sha256) : NULL, NULL);
	layout_row(h, "版本", arena_printf(a, "第 %d 版，共 %zu 版", e->version,
					  e->nversions ? e->nversions : 1), NULL);
	HTML_LIT(h, "</dl>\n");
}

/* Every version, newest first, when there is more than one: readers can
 * see what changed between captures and cite the one they read. */
static void
render_versions(struct req *r, struct html *h, const struct fz_entry *e)
{
	size_t i;
	int current = e->nversions ? e->versions[e->nversions - 1].n : e->version;

	if (e->nversions < 2)
		return;
	HTML_LIT(h, "<h3>各版本</h3>\n<ol class=\"versions\">");
	for (i = e->nversions; i-- > 0;) {
		const struct fz_version *v = &e->versions[i];
		const char *label = arena_printf(r->arena, "第 %d 版", v->n);

		if (v->n == e->version) {
			HTML_LIT(h, "<li class=\"here\"><strong>");
			html_text(h, label);
			HTML_LIT(h, "</strong>（本页）");
		} else {
			HTML_LIT(h, "<li>");
			layout_link(h, url_entry(r->arena, e->id, v->n == current ? 0 : v->n), label);
		}
		HTML_LIT(h, "，收录于 ");
		html_text(h, layout_time(r->arena, v->imported_at));
		if (v->superseded_at) {
			HTML_LIT(h, "，");
			html_text(h, layout_time(r->arena, v->superseded_at));
			HTML_LIT(h, " 被取代");
		} else {
			HTML_LIT(h, "，现行版本");
		}
		HTML_LIT(h, "</li>");
	}
	HTML_LIT(h, "</ol>\n");
}

/* A citation a reader can paste: author, title, book, archive, address,
 * version and date (readers ask for the address and capture together). */
static void
render_cite(struct req *r, struct html *h, const struct fz_entry *e, int versioned)
{
	const char *path = url_entry(r->arena, e->id, e->version);
	const char *base = r->site->base_url ? r->site->base_url : "";

	(void)versioned;
	HTML_LIT(h, "<p class=\"cite\">");
	if (e->author) {
		html_text(h, e->author);
		HTML_LIT(h, "：");
	}
	HTML_LIT(h, "《");
	html_text(h, e->title);
	HTML_LIT(h, "》，载《");
	html_text(h, book_label(r->arena, &e->book));
	HTML_LIT(h, "》。");
	html_text(h, r->site->brand);
	HTML_LIT(h, "，<span class=\"url\">");
	html_text(h, base);
	html_text(h, path);
	HTML_LIT(h, "</span>，第 ");
	html_long(h, e->version);
	HTML_LIT(h, " 版");
	if (e->imported_at) {
		HTML_LIT(h, "，收录于 ");
		html_text(h, layout_time(r->arena, e->imported_at));
	}
	if (e->url) {
		HTML_LIT(h, "；原始地址 ");
		html_text(h, e->url);
		if (e->captured_at) {
			HTML_LIT(h, "，采集于 ");
			html_text(h, layout_time(r->arena, e->captured_at));
		}
	}
	HTML_LIT(h, "。</p>\n");
}

static void
render_neighbours(struct req *r, struct html *h, const struct fz_entry *e)
{
	if (e->prev_id == NULL && e->next_id == NULL)
		return;
	HTML_LIT(h, "<nav class=\"neighbours\" aria-label=\"同书前后条目\"><ul>");
	if (e->prev_id) {
		HTML_LIT(h, "<li class=\"prev\"><a rel=\"prev\" href=\"");
		html_text(h, link_href(r->arena, url_entry(r->arena, e->prev_id, 0)));
		HTML_LIT(h, "\">← 上一条</a></li>");
	}
	if (e->next_id) {
		HTML_LIT(h, "<li class=\"next\"><a rel=\"next\" href=\"");
		html_text(h, link_href(r->arena, url_entry(r->arena, e->next_id, 0)));
		HTML_LIT(h, "\">下一条 →</a></li>");
	}
	HTML_LIT(h, "</ul></nav>\n");
}

/*
 * One entry (or one of its versions with ?v=N): the text as the reference
 * page shows it (title, 档案浏览器, sections, author), then where it sits,
 * where it came from, its versions and a citation. A version URL is
 * immutable and kept longer by browsers.
 */
int
page_entry(struct req *r)
{
	struct fz_entry e;
	struct fz_err err;
	struct html crumbs, notice, toc, text, author, neighbours, book, prov, versions, cite, main;
	struct walk w;
	const char **anchors;
	int v = r->param[PARAM_V].set ? (int)r->param[PARAM_V].n : 0;
	size_t i;

	memset(&e, 0, sizeof(e));
	if (store_entry_get(r->store, r->tail, v, r->arena, &e, &err) < 0) {
		if (err.code == FZ_ENOTFOUND)
			return page_error(r, 404,
					  v ? arena_printf(r->arena, "条目 %s 没有第 %d 版。", r->tail, v)
					    : arena_printf(r->arena, "本档案中没有编号为 %s 的条目。",
							   r->tail));
		return page_fail(r, &err);
	}
	html_init(&crumbs, r->arena);
	html_init(&notice, r->arena);
	html_init(&toc, r->arena);
	html_init(&text, r->arena);
	html_init(&author, r->arena);
	html_init(&neighbours, r->arena);
	html_init(&book, r->arena);
	html_init(&prov, r->arena);
	html_init(&versions, r->arena);
	html_init(&cite, r->arena);
	html_init(&main, r->arena);

	anchors = arena_alloc(r->arena, (e.nsections + 1) * sizeof(*anchors));
	for (i = 0; i < e.nsections; i++)
		anchors[i] = section_anchor(r->arena, &e, i);
	render_crumbs(r, &crumbs, &e);
	if (v && e.nversions && e.versions[e.nversions - 1].n != e.version) {
		HTML_LIT(&notice, "<p class=\"notice\">这是本条的第 ");
		html_long(&notice, e.version);
		HTML_LIT(&notice, " 版，已有更新的版本。");
		layout_link(&notice, url_entry(r->arena, e.id, 0), "查看现行版本");
		HTML_LIT(&notice, "</p>\n");
	}
	render_toc(&toc, &e, anchors);
	w = (struct walk){ &text, r->arena, &e, 0, 0 };
	if (e.body != NULL)
		render_body(&w, anchors);
	if (e.author && *e.author) {
		HTML_LIT(&author, "<p class=\"author\">(");
		html_text(&author, e.author);
		HTML_LIT(&author, ")</p>\n");
	}
	render_neighbours(r, &neighbours, &e);
	render_book(r, &book, &e);
	render_provenance(r, &prov, &e);
	render_versions(r, &versions, &e);
	render_cite(r, &cite, &e, v != 0);

	struct tmpl_var vars[] = {
		{ "title", e.title, NULL },	   { "crumbs", NULL, &crumbs },
		{ "notice", NULL, &notice },	   { "toc", NULL, &toc },
		{ "text", NULL, &text },	   { "author", NULL, &author },
		{ "neighbours", NULL, &neighbours }, { "book", NULL, &book },
		{ "provenance", NULL, &prov },	   { "versions", NULL, &versions },
		{ "cite", NULL, &cite },
	};
	tmpl_render(TMPL_ENTRY, vars, sizeof(vars) / sizeof(vars[0]), &main);
	r->status = 200;
	r->cache = v ? CACHE_VERSION : CACHE_SHORT;
	r->mtime = layout_parse_time(e.imported_at);
	layout_page(r, v ? arena_printf(r->arena, "%s（第 %d 版）", e.title, e.version) : e.title,
		    &main);
	return 0;
}
