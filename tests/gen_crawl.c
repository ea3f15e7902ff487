/* gen_crawl.c: renders a corpus as lib.sdsqw.cn served it, as a WARC and as a wget directory */
/*
 * The old site is gone, so tests build their own crawls. This program reads
 * books (JSON Lines files and Kanseki Repository directories, through the
 * importers of libfangzhi), places them in invented libraries with node
 * codes, and writes what a crawler would have kept:
 *
 *   OUT/crawl.warc.gz   WARC/1.1, one gzip member per record
 *   OUT/saved/          the same pages as `wget -r` names them
 *   OUT/expected.jsonl  what an import must give back (id, title, body, path, book)
 *   OUT/addresses.tsv   old addresses in their variants, and what each names
 *   OUT/uncaptured.tsv  items listed in a table of contents but never captured
 *   OUT/hostile.warc.gz, OUT/hostile.warc   broken records (see hostile())
 *
 * Everything is derived from the input and fixed clocks: two runs write the
 * same bytes.
 *
 * usage: gen_crawl -o OUT [--lib CODE=NAME[,REGION_CODE]] SRC... ; with no
 * SRC, the shared corpus in the layout the tests expect.
 */
#include <errno.h>
#include <iconv.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <zlib.h>

#include "base/base.h"
#include "ingest/ingest.h"

#define CODES "123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" /* children's node characters, in order */
#define GROUP_BIAN 24 /* a Kanseki book with more items is split into 编 of this many */
#define GROUP_ZHANG 12 /* and each 编 into 章 of this many */

enum cap_how { CAP_ONCE, CAP_NEVER, CAP_TWICE, CAP_ODD_URL };

struct gnode {
	char *title, *body, *body2; /* body2: the text of a later, different capture */
	char code[48];
	long rec;
	enum cap_how how;
	struct gnode *parent, *kid, *last, *next;
	int nkids;
};

struct gbook {
	int a;
	char *title, *edition, *kind;
	struct gnode root;
};

struct glib {
	char *code, *name, *region, *region_code;
	struct gbook **books; /* each on its own: children point at a book's root */
	int nbooks;
};

struct gen {
	const char *out;
	struct glib *libs;
	int nlibs;
	long clock;        /* seconds after the crawl's start, one per capture */
	gzFile warc;
	struct buf addr, uncap;
	FILE *expected;
	long nwarc;
};

static void
die(const char *what)
{
	fprintf(stderr, "gen_crawl: %s\n", what);
	exit(1);
}

/* ---- text: what the site would show, and GBK as it served it ---- */

/*
 * The text as the old site would hold it: interlinear notes in full-width
 * brackets (GBK has no U+FFF9), paragraphs trimmed of layout spaces, HTML
 * whitespace runs as one space, no empty paragraphs. An import must give
 * back exactly this.
 */
static char *
site_text(const char *s)
{
	struct buf b, para;
	const char *p = s;

	buf_init(&b, NULL);
	buf_init(&para, NULL);
	for (;;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p), i = 0, start, end;
		buf_reset(&para);
		while (i < n) {
			uint32_t cp;
			size_t k = utf8_decode(p + i, n - i, &cp);
			if (k == 0)
				k = 1, cp = '?';
			if (cp == 0xFFF9)
				buf_addstr(&para, "（");
			else if (cp == 0xFFFB)
				buf_addstr(&para, "）");
			else if (cp == 0xFFFA)
				;
			else if (cp == ' ' || cp == '\t' || cp == '\r' || cp == '\f') {
				if (para.len == 0 || para.p[para.len - 1] != ' ')
					buf_addch(&para, ' ');
			} else
				buf_add(&para, p + i, k);
			i += k;
		}
		/* trim ASCII spaces, U+3000 and U+00A0 at both ends */
		start = 0, end = para.len;
		for (;;) {
			if (start < end && para.p[start] == ' ')
				start++;
			else if (end - start >= 3 && memcmp(para.p + start, "\xE3\x80\x80", 3) == 0)
				start += 3;
			else if (end - start >= 2 && memcmp(para.p + start, "\xC2\xA0", 2) == 0)
				start += 2;
			else
				break;
		}
		for (;;) {
			if (end > start && para.p[end - 1] == ' ')
				end--;
			else if (end - start >= 3 && memcmp(para.p + end - 3, "\xE3\x80\x80", 3) == 0)
				end -= 3;
			else if (end - start >= 2 && memcmp(para.p + end - 2, "\xC2\xA0", 2) == 0)
				end -= 2;
			else
				break;
		}
		if (end > start) {
			if (b.len)
				buf_addch(&b, '\n');
			buf_add(&b, para.p + start, end - start);
		}
		if (e == NULL)
			break;
		p = e + 1;
	}
	buf_free(&para);
	if (b.p == NULL)
		buf_addstr(&b, "");
	return buf_detach(&b);
}

/* Appends UTF-8 s as GBK, HTML-escaped; characters GBK lacks become
 * numeric character references, as the site's ASP pages wrote them. */
static void
add_gbk(struct buf *out, const char *s)
{
	static iconv_t cd = (iconv_t)-1;
	size_t i = 0, n = strlen(s);

	if (cd == (iconv_t)-1 && (cd = iconv_open("GBK", "UTF-8")) == (iconv_t)-1)
		die("iconv cannot convert to GBK");
	while (i < n) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, n - i, &cp);
		char tmp[8], *ip, *op = tmp;
		size_t il, ol = sizeof(tmp);

		if (k == 0)
			die("input is not UTF-8");
		if (cp == '<')
			buf_addstr(out, "&lt;");
		else if (cp == '>')
			buf_addstr(out, "&gt;");
		else if (cp == '&')
			buf_addstr(out, "&amp;");
		else if (cp < 0x80)
			buf_addch(out, (char)cp);
		else {
			ip = (char *)s + i, il = k;
			iconv(cd, NULL, NULL, NULL, NULL);
			if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1)
				buf_addf(out, "&#%u;", (unsigned)cp);
			else
				buf_add(out, tmp, sizeof(tmp) - ol);
		}
		i += k;
	}
}

/* ---- the model: libraries, books, trees with node codes ---- */

static struct gnode *
node_add(struct gnode *parent, const char *title, const char *body)
{
	struct gnode *n = xcalloc(1, sizeof(*n));

	n->title = xstrdup(title);
	n->body = body ? site_text(body) : NULL;
	n->parent = parent;
	if (parent->last)
		parent->last->next = n;
	else
		parent->kid = n;
	parent->last = n;
	parent->nkids++;
	return n;
}

static struct gnode *
node_child(struct gnode *parent, const char *title)
{
	struct gnode *k;

	for (k = parent->kid; k; k = k->next)
		if (strcmp(k->title, title) == 0)
			return k;
	return node_add(parent, title, NULL);
}

static struct gbook *
book_add(struct glib *l, const char *title, const char *edition, const char *kind)
{
	struct gbook *b;

	l->books = xrealloc(l->books, (size_t)(l->nbooks + 1) * sizeof(*l->books));
	b = l->books[l->nbooks++] = xcalloc(1, sizeof(*b));
	b->a = l->nbooks;
	b->title = xstrdup(title);
	b->edition = edition ? xstrdup(edition) : NULL;
	b->kind = xstrdup(kind);
	return b;
}

/* The kind an importer derives from a title (年鉴, 志, else 专题). */
static const char *
kind_of(const char *title)
{
	static const char *const zhi[] = { "县志", "市志", "省志", "縣志", "通志", "府志", "州志" };
	size_t i;

	if (strstr(title, "年鉴") || strstr(title, "年鑑"))
		return "年鉴";
	for (i = 0; i < sizeof(zhi) / sizeof(zhi[0]); i++)
		if (strstr(title, zhi[i]))
			return "志";
	return "专题";
}

/* Chapters (nodes without a text of their own) get an overview, as every
 * item on the site was a record. */
static void
fill_overviews(struct gnode *n, const char *book)
{
	struct gnode *k;

	for (k = n->kid; k; k = k->next) {
		fill_overviews(k, book);
		if (k->body == NULL) {
			struct buf b;
			buf_init(&b, NULL);
			buf_addf(&b, "%s%s，凡%d篇。\n首篇%s，末篇%s。", book, k->title, k->nkids,
				 k->kid ? k->kid->title : "", k->last ? k->last->title : "");
			k->body = site_text(b.p);
			buf_free(&b);
		}
	}
}

/* Node codes and rec numbers, in table-of-contents (pre-)order. */
static void
number(struct gnode *n, long *rec)
{
	struct gnode *k;
	int i = 0;

	for (k = n->kid; k; k = k->next, i++) {
		if (i >= (int)strlen(CODES))
			die("more than 35 children under one node");
		snprintf(k->code, sizeof(k->code), "%.46s%c", n->code, CODES[i]);
		k->rec = ++*rec;
		number(k, rec);
	}
}

struct kctx {
	struct gbook *book;
	struct gnode **items;
	size_t n;
	char *title;
};

static int
kan_emit(void *ctx, const struct fz_record *r, struct fz_err *err)
{
	struct kctx *k = ctx;
	struct gnode tmp = { 0 };
	const char *t = r->title;
	size_t tl = strlen(r->book.title);

	if (k->title == NULL)
		k->title = xstrdup(r->book.title);
	/* "山東通志 卷八" → "卷八": the book is named by the library's list */
	if (strncmp(t, r->book.title, tl) == 0 && t[tl] == ' ')
		t += tl + 1;
	k->items = xrealloc(k->items, (k->n + 1) * sizeof(*k->items));
	tmp.title = xstrdup(t);
	tmp.body = site_text(r->body);
	k->items[k->n] = xcalloc(1, sizeof(tmp));
	*k->items[k->n++] = tmp;
	return 0;
}

/* A Kanseki book: its juan become records, grouped under invented 编 and
 * 章 when there are many, so the tree has three levels. */
static void
load_kanripo(struct glib *l, const char *dir)
{
	static const char *const num[] = { "一", "二", "三", "四", "五", "六", "七", "八", "九", "十" };
	struct kctx k = { 0 };
	struct ingest_sink sink = { kan_emit, NULL, &k, NULL };
	struct gnode *bian = NULL, *zhang = NULL, *parent;
	struct fz_err err;
	struct gbook *b;
	char t[64];
	size_t i;

	if (ingest_kanripo(dir, NULL, &sink, &err) < 0)
		die(err.msg);
	b = book_add(l, k.title, NULL, kind_of(k.title));
	for (i = 0; i < k.n; i++) {
		parent = &b->root;
		if (k.n > GROUP_BIAN) {
			if (i % GROUP_BIAN == 0) {
				snprintf(t, sizeof(t), "第%s编", num[(i / GROUP_BIAN) % 10]);
				bian = node_add(&b->root, t, NULL);
			}
			if (i % GROUP_ZHANG == 0) {
				snprintf(t, sizeof(t), "第%s章", num[(i % GROUP_BIAN) / GROUP_ZHANG]);
				zhang = node_add(bian, t, NULL);
			}
			parent = zhang;
		}
		struct gnode *n = node_add(parent, k.items[i]->title, NULL);
		n->body = k.items[i]->body;
	}
	fill_overviews(&b->root, b->title);
}

struct jctx {
	struct glib *lib;
	const char *const *tree; /* an invented path when records have none */
};

static int
json_emit(void *ctx, const struct fz_record *r, struct fz_err *err)
{
	struct jctx *j = ctx;
	struct glib *l = j->lib;
	struct gbook *b = NULL;
	struct gnode *parent;
	struct buf body;
	int i;
	size_t p;

	for (i = 0; i < l->nbooks; i++)
		if (strcmp(l->books[i]->title, r->book.title) == 0)
			b = l->books[i];
	if (b == NULL)
		b = book_add(l, r->book.title, r->book.edition,
			     r->book.title ? kind_of(r->book.title) : "专题");
	parent = &b->root;
	for (p = 0; p < r->npath; p++)
		parent = node_child(parent, r->path[p]);
	for (p = 0; r->npath == 0 && j->tree && j->tree[p]; p++)
		parent = node_child(parent, j->tree[p]);
	buf_init(&body, NULL);
	buf_addstr(&body, r->body);
	if (r->author)
		buf_addf(&body, "\n（%s）", r->author);
	node_add(parent, r->title, body.p);
	buf_free(&body);
	return 0;
}

static void
load_jsonl(struct glib *l, const char *path, const char *const *tree)
{
	struct jctx j = { l, tree };
	struct ingest_sink sink = { json_emit, NULL, &j, NULL };
	struct fz_err err;

	if (ingest_jsonl(path, NULL, &sink, &err) < 0)
		die(err.msg);
}

static struct glib *
lib_add(struct gen *g, const char *code, const char *name, const char *region,
	const char *region_code)
{
	struct glib *l;

	g->libs = xrealloc(g->libs, (size_t)(g->nlibs + 1) * sizeof(*g->libs));
	l = &g->libs[g->nlibs++];
	memset(l, 0, sizeof(*l));
	l->code = xstrdup(code);
	l->name = xstrdup(name);
	l->region = region ? xstrdup(region) : NULL;
	l->region_code = region_code ? xstrdup(region_code) : NULL;
	return l;
}

/*
 * The awkward book: GBK-only characters in a page declared gb2312, bytes
 * that do not decode, a record captured twice with different text, one
 * never captured, and captures under odd variants of their address.
 */
static void
awkward_book(struct glib *l)
{
	struct gbook *b = book_add(l, "东明年鉴", "2013", "年鉴");
	struct gnode *ch, *n;

	ch = node_add(&b->root, "人物", "东明年鉴（2013）人物部分。");
	node_add(ch, "人名用字", "朱镕基视察东明。王堃、陶喆、李赟、龚琍参加座谈。\n"
				 "罕用字：𠀀（扩展B区）与䶮（扩展A区）。");
	n = node_add(ch, "大事记", "1月，东明县召开全县经济工作会议。");
	n->how = CAP_TWICE;
	n->body2 = site_text("1月，东明县召开全县经济工作会议。\n2月，东明县举办黄河文化节。");
	n = node_add(ch, "未抓取的条目", "这一条从未被抓取。");
	n->how = CAP_NEVER;
	ch = node_add(&b->root, "经济", "经济部分概述。\n　　缩进的段落　");
	n = node_add(ch, "农业", "全县粮食总产量再创新高。");
	n->how = CAP_ODD_URL;
	node_add(ch, "工业", "工业增加值增长百分之十。<b>不是标记</b>&amp;");
}

/* ---- output: HTTP responses, the WARC, the saved directory ---- */

static void
base32(const unsigned char *p, size_t n, char *out)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	size_t i, bits = 0, o = 0;
	unsigned v = 0;

	for (i = 0; i < n; i++) {
		v = (v << 8) | p[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = al[(v >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits)
		out[o++] = al[(v << (5 - bits)) & 31];
	out[o] = '\0';
}

static void
sha1_b32(const void *p, size_t n, char out[40])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	EVP_Digest(p, n, md, &len, EVP_sha1(), NULL);
	base32(md, len, out);
}

static void
stamp(long t, char out[32])
{
	time_t base = 1682928000 + t; /* 2023-05-01T08:00:00Z: the crawl's start */
	struct tm tm;

	gmtime_r(&base, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Writes one WARC record as its own gzip member. */
static void
warc_record(gzFile z, const char *type, const char *uri, const char *date, const char *ctype,
	    const struct buf *block, size_t payload_at)
{
	struct buf h;
	char id[65], pd[40], bd[40];

	buf_init(&h, NULL);
	buf_addf(&h, "%s %s %s", type, uri ? uri : "", date);
	fz_sha256_hex(h.p, h.len, id);
	buf_reset(&h);
	sha1_b32(block->p, block->len, bd);
	buf_addf(&h, "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s>\r\n"
		     "WARC-Date: %s\r\n", type, id, id + 8, id + 12, id + 16, id + 20, date);
	if (uri)
		buf_addf(&h, "WARC-Target-URI: %s\r\n", uri);
	if (strcmp(type, "response") == 0) {
		sha1_b32(block->p + payload_at, block->len - payload_at, pd);
		buf_addf(&h, "WARC-Payload-Digest: sha1:%s\r\n", pd);
	}
	if (strcmp(type, "warcinfo") == 0)
		buf_addstr(&h, "WARC-Filename: crawl.warc.gz\r\n");
	buf_addf(&h, "WARC-Block-Digest: sha1:%s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n", bd,
		 ctype, block->len);
	buf_add(&h, block->p, block->len);
	buf_addstr(&h, "\r\n\r\n");
	if (gzwrite(z, h.p, (unsigned)h.len) != (int)h.len)
		die("cannot write the WARC");
	gzflush(z, Z_FINISH); /* ends this gzip member; the next write starts another */
	buf_free(&h);
}

/* Makes the directories of path (a file's path). */
static void
mkdirs(const char *path)
{
	char *p = xstrdup(path), *s;

	for (s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			die("cannot create a directory");
		*s = '/';
	}
	free(p);
}

/*
 * One capture: an HTTP response with body, into the WARC (with its
 * request) and the saved directory (the body only, named as wget names
 * it, with the capture time as its modification time).
 */
static void
capture(struct gen *g, const char *query, const struct buf *body, int charset_header)
{
	struct buf http, req, path;
	char date[32];
	struct timeval tv[2];
	FILE *f;
	size_t at;
	char uri[1024];

	snprintf(uri, sizeof(uri), "http://lib.sdsqw.cn/bin/mse.exe?%s", query);
	stamp(g->clock, date);
	buf_init(&http, NULL);
	buf_addf(&http, "HTTP/1.1 200 OK\r\nServer: Microsoft-IIS/6.0\r\nDate: %s\r\n"
			"Content-Type: text/html%s\r\nContent-Length: %zu\r\n\r\n",
		 date, charset_header ? "; charset=gb2312" : "", body->len);
	at = http.len;
	buf_add(&http, body->p, body->len);
	buf_init(&req, NULL);
	buf_addf(&req, "GET /bin/mse.exe?%s HTTP/1.1\r\nHost: lib.sdsqw.cn\r\nUser-Agent: gen_crawl\r\n\r\n",
		 query);
	warc_record(g->warc, "request", uri, date, "application/http; msgtype=request", &req, req.len);
	warc_record(g->warc, "response", uri, date, "application/http; msgtype=response", &http, at);
	g->nwarc++;

	buf_init(&path, NULL);
	buf_addf(&path, "%s/saved/lib.sdsqw.cn/bin/mse.exe?%s", g->out, query);
	mkdirs(path.p);
	if ((f = fopen(path.p, "wb")) == NULL || fwrite(body->p, 1, body->len, f) != body->len ||
	    fclose(f) != 0)
		die("cannot write a saved page");
	tv[0].tv_sec = tv[1].tv_sec = 1682928000 + g->clock;
	tv[0].tv_usec = tv[1].tv_usec = 0;
	utimes(path.p, tv);
	g->clock++;
	buf_free(&http);
	buf_free(&req);
	buf_free(&path);
}

static void
page_head(struct buf *b, const char *title)
{
	buf_addstr(b, "<html>\r\n<head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; "
		      "charset=gb2312\">\r\n<title>");
	add_gbk(b, title);
	buf_addstr(b, "</title>\r\n</head>\r\n<body bgcolor=#FFFFFF>\r\n");
}

static void
book_label(struct buf *b, const struct gbook *bk)
{
	buf_addstr(b, bk->title);
	if (bk->edition)
		buf_addf(b, "（%s）", bk->edition);
}

static void
render_library(struct gen *g, const struct glib *l)
{
	struct buf b, q, t;
	int i;

	buf_init(&b, NULL);
	buf_init(&q, NULL);
	buf_init(&t, NULL);
	page_head(&b, l->name);
	buf_addstr(&b, "<table width=100%>\r\n");
	for (i = 0; i < l->nbooks; i++) {
		buf_reset(&t);
		book_label(&t, l->books[i]);
		buf_addf(&b, "<tr><td><a href=\"mse.exe?K=%s&A=%d&run=12\" target=_blank>", l->code,
			 l->books[i]->a);
		add_gbk(&b, t.p);
		buf_addstr(&b, "</a></td></tr>\r\n");
	}
	buf_addstr(&b, "</table>\r\n</body>\r\n</html>\r\n");
	buf_addf(&q, "K=%s&run=12", l->code);
	capture(g, q.p, &b, 0);
	buf_free(&b);
	buf_free(&q);
	buf_free(&t);
}

/* Table-of-contents lines under n, indented with ideographic spaces by
 * depth, except for one item whose indentation is wrong (the code is right). */
static void
toc_items(struct buf *b, const struct gbook *bk, const struct gnode *n, int depth)
{
	const struct gnode *k;
	int i;

	for (k = n->kid; k; k = k->next) {
		int indent = depth + 1;
		if (k->rec == 3)
			indent = depth + 3;
		for (i = 0; i < indent; i++)
			add_gbk(b, "　　");
		buf_addf(b, "<A HREF=javascript:sf(%d,%ld,'%s') NAME='%s'>", bk->a, k->rec, k->code, k->code);
		add_gbk(b, k->title);
		buf_addstr(b, "</A><br>\r\n");
		toc_items(b, bk, k, depth + 1);
	}
}

static void
render_toc(struct gen *g, const struct glib *l, const struct gbook *bk, const struct gnode *top,
	   const char *k)
{
	struct buf b, q, t;

	buf_init(&b, NULL);
	buf_init(&q, NULL);
	buf_init(&t, NULL);
	book_label(&t, bk);
	page_head(&b, t.p);
	buf_addstr(&b, "<script language=javascript>\r\nfunction sf(a,r,k){window.open('mse.exe?K='+k+"
		       "'&A='+a+'&rec='+r+'&run=13','','width=700,height=500,scrollbars=yes')}\r\n"
		       "</script>\r\n<table><tr><td nowrap>\r\n");
	toc_items(&b, bk, top, 0);
	buf_addstr(&b, "</td></tr></table>\r\n</body>\r\n</html>\r\n");
	buf_addf(&q, "K=%s&A=%d&run=12", k, bk->a);
	capture(g, q.p, &b, 1);
	buf_free(&b);
	buf_free(&q);
	buf_free(&t);
}

/* A record page: the title above div.txt, paragraphs by <br> (even recs)
 * or <p> (odd ones), each indented with two ideographic spaces. */
static void
record_page(struct buf *b, const struct gnode *n, const char *body, int badbytes)
{
	const char *p = body;

	page_head(b, n->title);
	buf_addstr(b, "<table width=100%><tr><td align=center><font size=4><b>");
	add_gbk(b, n->title);
	buf_addstr(b, "</b></font></td></tr></table>\r\n<div class=\"txt\">\r\n");
	for (;;) {
		const char *e = strchr(p, '\n');
		char *para = xstrndup(p, e ? (size_t)(e - p) : strlen(p));
		if (n->rec % 2)
			buf_addstr(b, "<p>");
		add_gbk(b, "　　");
		add_gbk(b, para);
		if (badbytes && p == body)
			buf_add(b, "\xFF\x80", 2); /* neither GBK nor GB18030 */
		buf_addstr(b, n->rec % 2 ? "</p>\r\n" : "<br>\r\n");
		free(para);
		if (e == NULL)
			break;
		p = e + 1;
	}
	buf_addstr(b, "</div>\r\n</body>\r\n</html>\r\n");
}

static void
json_str(struct buf *b, const char *s)
{
	buf_addch(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_addf(b, "\\%c", *s);
		else if (*s == '\n')
			buf_addstr(b, "\\n");
		else if ((unsigned char)*s < 0x20)
			buf_addf(b, "\\u%04x", *s);
		else
			buf_addch(b, *s);
	}
	buf_addch(b, '"');
}

static void
expect(struct gen *g, const struct glib *l, const struct gbook *bk, const struct gnode *n,
       const char *body, const char *url)
{
	const struct gnode *a, *chain[64];
	struct buf b;
	int depth = 0, i;

	for (a = n->kid ? n : n->parent; a && a->parent; a = a->parent)
		chain[depth++] = a;
	buf_init(&b, NULL);
	buf_addf(&b, "{\"id\": \"%s-%d/%ld\", \"title\": ", l->code, bk->a, n->rec);
	json_str(&b, n->title);
	buf_addstr(&b, ", \"body\": ");
	json_str(&b, body);
	buf_addstr(&b, ", \"path\": [");
	for (i = depth - 1; i >= 0; i--) {
		json_str(&b, chain[i]->title);
		if (i)
			buf_addstr(&b, ", ");
	}
	buf_addf(&b, "], \"book\": {\"id\": \"%s-%d\", \"title\": ", l->code, bk->a);
	json_str(&b, bk->title);
	buf_addstr(&b, ", \"edition\": ");
	if (bk->edition)
		json_str(&b, bk->edition);
	else
		buf_addstr(&b, "null");
	buf_addf(&b, ", \"kind\": \"%s\", \"region_code\": ", bk->kind);
	if (l->region_code)
		json_str(&b, l->region_code);
	else
		buf_addstr(&b, "null");
	buf_addf(&b, "}, \"source\": {\"url\": \"%s\"}}\n", url);
	fputs(b.p, g->expected);
	buf_free(&b);
}

/* Old addresses of one record in the variants links carried, each with
 * what it must resolve to. */
static void
addresses(struct gen *g, const struct glib *l, const struct gbook *bk, const struct gnode *n)
{
	char id[128], lc[16];
	size_t i;

	snprintf(id, sizeof(id), "%s-%d/%ld", l->code, bk->a, n->rec);
	for (i = 0; l->code[i] && i < sizeof(lc) - 1; i++)
		lc[i] = (char)(l->code[i] >= 'a' && l->code[i] <= 'z' ? l->code[i] - 32 : l->code[i]);
	lc[i] = '\0';
	buf_addf(&g->addr, "http://lib.sdsqw.cn/bin/mse.exe?K=%s&A=%d&rec=%ld&run=13\t%s\n", n->code,
		 bk->a, n->rec, id);
	buf_addf(&g->addr, "http://lib.sdsqw.cn/bin/mse.exe?seachword=&K=%s&A=%d&rec=%ld&run=13\t%s\n",
		 n->code, bk->a, n->rec, id);
	buf_addf(&g->addr, "http://lib.sdsqw.cn/bin/mse.exe?COLLCC=4108678863&K=%s&A=%d&rec=%ld&run=13\t%s\n",
		 n->code, bk->a, n->rec, id);
	buf_addf(&g->addr, "lib.sdsqw.cn/bin/mse.exe?&run=13&rec=%ld&A=%d&k=%s\t%s\n", n->rec, bk->a,
		 l->code, id);
	buf_addf(&g->addr, "/bin/mse.exe?run=13&K=%s&A=%d&A=%d&rec=%ld\t%s\n", lc, bk->a, bk->a, n->rec,
		 id);
}

static void
render_records(struct gen *g, const struct glib *l, const struct gbook *bk, const struct gnode *n)
{
	const struct gnode *k;
	struct buf b, q;

	buf_init(&b, NULL);
	buf_init(&q, NULL);
	for (k = n->kid; k; k = k->next) {
		int bad = strcmp(k->title, "经济") == 0;
		buf_reset(&q);
		buf_reset(&b);
		if (k->how == CAP_NEVER) {
			buf_addf(&g->uncap, "http://lib.sdsqw.cn/bin/mse.exe?K=%s&A=%d&rec=%ld&run=13\t%s\t%s-%d\n",
				 k->code, bk->a, k->rec, k->title, l->code, bk->a);
		} else {
			if (k->how == CAP_ODD_URL)
				buf_addf(&q, "&rec=%ld&run=13&K=%s&COLLCC=4108678863&A=%d&K=%s", k->rec,
					 k->code, bk->a, k->code);
			else
				buf_addf(&q, "K=%s&A=%d&rec=%ld&run=13", k->code, bk->a, k->rec);
			record_page(&b, k, k->body, bad);
			capture(g, q.p, &b, k->rec % 3 == 0);
			if (k->how == CAP_TWICE) {
				buf_reset(&b);
				buf_reset(&q);
				buf_addf(&q, "seachword=&K=%s&A=%d&rec=%ld&run=13", k->code, bk->a, k->rec);
				record_page(&b, k, k->body2, 0);
				capture(g, q.p, &b, 0);
			}
			if (bad) {
				/* the expected text marks the bad bytes */
				struct buf e;
				const char *nl = strchr(k->body, '\n');
				buf_init(&e, NULL);
				buf_add(&e, k->body, nl ? (size_t)(nl - k->body) : strlen(k->body));
				buf_addstr(&e, "\xEF\xBF\xBD\xEF\xBF\xBD");
				if (nl)
					buf_addstr(&e, nl);
				expect(g, l, bk, k, e.p, "");
				buf_free(&e);
			} else {
				expect(g, l, bk, k, k->how == CAP_TWICE ? k->body2 : k->body, "");
			}
			addresses(g, l, bk, k);
		}
		render_records(g, l, bk, k);
	}
	buf_free(&b);
	buf_free(&q);
}

static void
write_file(const char *dir, const char *name, const struct buf *b)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL || fwrite(b->p, 1, b->len, f) != b->len || fclose(f))
		die("cannot write an output file");
}

void gen_hostile(const char *out); /* gen_hostile.c */

int
main(int argc, char **argv)
{
	static const char *const yb_tree[] = { "政治", "政法", NULL };
	struct gen g = { 0 };
	struct buf path, info;
	struct glib *cur = NULL;
	char date[32];
	int i, j, nsrc = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			g.out = argv[++i];
		} else if (strcmp(argv[i], "--lib") == 0 && i + 1 < argc) {
			char *spec = xstrdup(argv[++i]), *eq = strchr(spec, '='), *comma;
			if (eq == NULL)
				die("--lib CODE=NAME[,REGION_CODE]");
			*eq = '\0';
			comma = strchr(eq + 1, ',');
			if (comma)
				*comma = '\0';
			cur = lib_add(&g, spec, eq + 1, NULL, comma ? comma + 1 : NULL);
		} else if (argv[i][0] != '-') {
			struct stat st;
			if (cur == NULL)
				cur = lib_add(&g, "zz1", "测试资料库", NULL, NULL);
			if (stat(argv[i], &st) != 0)
				die("no such source");
			if (S_ISDIR(st.st_mode))
				load_kanripo(cur, argv[i]);
			else
				load_jsonl(cur, argv[i], yb_tree);
			nsrc++;
		} else {
			die("usage: gen_crawl -o OUT [--lib CODE=NAME[,REGION_CODE]] SRC...");
		}
	}
	if (g.out == NULL)
		die("usage: gen_crawl -o OUT [--lib CODE=NAME[,REGION_CODE]] SRC...");
	if (nsrc == 0) {
		const char *sh = getenv("SHARED") ? getenv("SHARED") : "../shared";
		buf_init(&path, NULL);
		cur = lib_add(&g, "ch9", "东明县情资料库", "山东省东明县", "371728");
		buf_addf(&path, "%s/corpus/kanripo/KR2k0048", sh);
		load_kanripo(cur, path.p);
		buf_reset(&path);
		buf_addf(&path, "%s/corpus/kanripo/KR2k0075", sh);
		load_kanripo(cur, path.p);
		awkward_book(cur);
		cur = lib_add(&g, "d00", "山东年鉴", "山东省", "370000");
		buf_reset(&path);
		buf_addf(&path, "%s/corpus/yearbook/taian-2018.jsonl", sh);
		load_jsonl(cur, path.p, yb_tree);
		buf_free(&path);
	}
	for (i = 0; i < g.nlibs; i++)
		for (j = 0; j < g.libs[i].nbooks; j++) {
			long rec = 0;
			struct gbook *bk = g.libs[i].books[j];
			snprintf(bk->root.code, sizeof(bk->root.code), "%s", g.libs[i].code);
			for (char *c = bk->root.code; *c; c++)
				if (*c >= 'a' && *c <= 'z')
					*c = (char)(*c - 32);
			number(&bk->root, &rec);
			fill_overviews(&bk->root, bk->title);
		}

	mkdir(g.out, 0755);
	buf_init(&path, NULL);
	buf_addf(&path, "%s/crawl.warc.gz", g.out);
	if ((g.warc = gzopen(path.p, "wb9")) == NULL)
		die("cannot create the WARC");
	buf_init(&info, NULL);
	buf_addstr(&info, "software: fangzhi gen_crawl\r\nformat: WARC File Format 1.1\r\n"
			  "conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n");
	stamp(0, date);
	warc_record(g.warc, "warcinfo", NULL, date, "application/warc-fields", &info, 0);
	buf_init(&g.addr, NULL);
	buf_init(&g.uncap, NULL);
	buf_reset(&path);
	buf_addf(&path, "%s/expected.jsonl", g.out);
	if ((g.expected = fopen(path.p, "wb")) == NULL)
		die("cannot write expected.jsonl");
	for (i = 0; i < g.nlibs; i++) {
		struct glib *l = &g.libs[i];
		render_library(&g, l);
		for (j = 0; j < l->nbooks; j++) {
			struct gbook *bk = l->books[j];
			render_toc(&g, l, bk, &bk->root, l->code);
			/* the first part's own page, as a crawler following chapter links got it */
			if (bk->root.kid && bk->root.kid->kid)
				render_toc(&g, l, bk, bk->root.kid, bk->root.kid->code);
			render_records(&g, l, bk, &bk->root);
			buf_addf(&g.addr, "http://lib.sdsqw.cn/bin/mse.exe?K=%s&A=%d&run=12\tbook:%s-%d\n",
				 l->code, bk->a, l->code, bk->a);
		}
	}
	/* a search result page: kept as a capture, never an entry */
	{
		struct buf b;
		buf_init(&b, NULL);
		page_head(&b, "检索结果");
		add_gbk(&b, "共找到0条记录。");
		buf_addstr(&b, "</body></html>\r\n");
		capture(&g, "seachword=%u4FE1%u8BBF&K=d00&run=11", &b, 0);
		buf_free(&b);
	}
	buf_addstr(&g.addr, "http://lib.sdsqw.cn/bin/mse.exe?seachword=%u4FE1%u8BBF&K=d00&run=11\tsearch:信访\n");
	buf_addstr(&g.addr, "http://lib.sdsqw.cn/bin/mse.exe?run=11&seachword=%D0%C5%B7%C3\tsearch:信访\n");
	buf_addstr(&g.addr, "http://lib.sdsqw.cn/bin/mse.exe?run=11&seachword=%E4%BF%A1%E8%AE%BF&K=a\tsearch:信访\n");
	if (gzclose(g.warc) != Z_OK || fclose(g.expected) != 0)
		die("cannot finish the output");
	write_file(g.out, "addresses.tsv", &g.addr);
	write_file(g.out, "uncaptured.tsv", &g.uncap);
	gen_hostile(g.out);
	fprintf(stderr, "gen_crawl: %ld captures into %s\n", g.nwarc, g.out);
	buf_free(&path);
	buf_free(&info);
	buf_free(&g.addr);
	buf_free(&g.uncap);
	return 0;
}
