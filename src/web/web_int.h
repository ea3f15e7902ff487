/* web_int.h: what the files of web/ share, a section per file */
#ifndef FZ_WEB_INT_H
#define FZ_WEB_INT_H

#include <time.h>

#include <microhttpd.h>

#include "../base/base.h"
#include "../store/store.h"
#include "web.h"

/* ---- html.c: the only way markup gets out ---- */

/* A fragment of HTML built only by html_* helpers; templates insert it as is. */
struct html {
	struct buf b;
};
void html_init(struct html *h, struct arena *a);
/* Literal markup: compiles only with a string literal ("" x "" would not). */
#define HTML_LIT(h, lit) html_lit_((h), "" lit "", sizeof(lit) - 1)
void html_lit_(struct html *h, const char *lit, size_t len);
/* Escapes & < > " ' (safe in text and quoted attributes); control
 * characters other than tab and newline become U+FFFD. NULL writes nothing. */
void html_text(struct html *h, const char *s);
void html_textn(struct html *h, const char *s, size_t len);
/* Percent-encodes UTF-8 for a path (keeps '/') or a query value. */
void html_url_path(struct html *h, const char *s);
void html_url_arg(struct html *h, const char *s);
void html_long(struct html *h, long n);
void html_frag(struct html *h, const struct html *frag);

/* ---- embedded files (build/gen/static_files.c, tools/embed.sh) ---- */

struct embedded_file {
	const char *name; /* "static/style.css", "templates/entry.html" */
	const unsigned char *data;
	size_t len;
};
extern const struct embedded_file embedded_files[];
const struct embedded_file *embedded_find(const char *name);

/* ---- site.c: the site's identity and about text ---- */

struct site {
	char *name;        /* 山东地方志资料归档 */
	char *brand;       /* 山东地情档案 */
	char *description; /* one line */
	char *contact;     /* NULL: none given */
	char *licence;     /* NULL: the default notes */
	char *about;       /* paragraphs split by blank lines; NULL: the default text */
	char *base_url;    /* for citations, e.g. https://example.org; NULL: none */
};
/* Loads FILE ("key: value" lines, a blank line, then the about text), or
 * the reference identity when path is NULL. Strings are heap; site_free. */
int site_load(const char *path, struct site *out, struct fz_err *err);
void site_free(struct site *s);

/* ---- tmpl.c: {{name}} is escaped text, {{>name}} an html fragment ---- */

enum tmpl_id {
	TMPL_LAYOUT,
	TMPL_HOME,
	TMPL_BROWSE,
	TMPL_BOOK,
	TMPL_ENTRY,
	TMPL_SEARCH,
	TMPL_ABOUT,
	TMPL_ERROR,
	TMPL__MAX
};
struct tmpl_var {
	const char *name;
	const char *text;        /* escaped on output; or */
	const struct html *html; /* inserted as built */
};
int tmpl_load_all(struct fz_err *err);
void tmpl_free_all(void);
void tmpl_render(enum tmpl_id id, const struct tmpl_var *vars, size_t nvars, struct html *out);

/* ---- req.c: parameters, each declared once with validator and size limit ---- */

enum param_id {
	PARAM_Q,
	PARAM_BOOK,
	PARAM_KIND,
	PARAM_REGION,
	PARAM_YEAR,
	PARAM_PAGE,
	PARAM_V,
	PARAM_CH,
	PARAM__MAX
};
#define PBIT(p) (1u << (p))

struct param_val {
	int set;       /* present and valid */
	const char *s; /* the value as given (arena) */
	long n, n2;    /* numbers: page, v, ch; year range (0: open) */
};

/* How long a reply may be kept by browsers and by our page cache. */
enum cache_kind {
	CACHE_NONE,     /* search: revalidate every time, not kept by us */
	CACHE_SHORT,    /* pages of the current archive: minutes */
	CACHE_VERSION,  /* an entry version named by ?v=N: it never changes */
	CACHE_STATIC,   /* versioned static files: a year, immutable */
	CACHE__MAX
};

struct web; /* server.c: the process-wide state */

struct req {
	struct arena *arena;     /* dies with the request */
	const struct web *web;
	const struct site *site;
	struct store *store;     /* this worker thread's read-only connection */
	const char *path;        /* decoded request path */
	const char *tail;        /* after a prefix route's path: the id */
	struct param_val param[PARAM__MAX];
	/* the reply, filled by the page */
	int status;
	struct html body;
	const char *ctype;       /* NULL: text/html; charset=utf-8 */
	enum cache_kind cache;
	time_t mtime;            /* Last-Modified; 0: the archive's */
	int raw_static;          /* body is an embedded file: p/len below */
	const unsigned char *raw;
	size_t rawlen;
	const char *raw_query;   /* the query string as sent, undecoded ("" when none):
				    old addresses carry %uXXXX and GBK bytes (page_legacy.c) */
	const char *xhdr[4][2];  /* extra reply headers, name and value (Location, ...) */
	size_t nxhdr;
};

/* Reads and validates the parameters named in mask. Returns 0, or -1 with
 * a message naming the parameter (the caller answers 400). */
int req_params(struct req *r, struct MHD_Connection *conn, unsigned mask, struct fz_err *err);
/* The same for a query string given as text ("a=b&c=d", undecoded), for
 * pages rendered without a connection (web_render). */
int req_params_query(struct req *r, const char *query, unsigned mask, struct fz_err *err);
/* The canonical query string of the parameters set ("" or "?a=b&c=d"). */
const char *req_canonical_query(const struct req *r);
/* Ids as formats/records.md allows (book ids: no '/'). */
int req_valid_id(const char *s, int allow_slash);
/* Parses a decimal in [lo, hi]; 0 or -1. */
int req_parse_long(const char *s, long lo, long hi, long *out);

/* ---- route.c ---- */

#define R_PREFIX 1u   /* path is a prefix; the rest is r->tail */
#define R_WANT_ID 2u  /* the tail must be an entry or book id */
#define R_CACHE 4u    /* the reply may be kept in the page cache */
#define R_STORE 8u    /* needs the store */
#define R_WANT_BOOK 16u /* the tail must be a book id */

struct route {
	const char *path;
	int (*page)(struct req *r);
	unsigned flags;
	unsigned params; /* PBIT mask of the parameters it reads */
};
/* The route for a decoded path (tail set in *tail), or NULL. */
const struct route *route_find(const char *path, const char **tail /* OUT */);

/* ---- layout.c: the site's chrome, breadcrumbs, pagers, URLs ---- */

struct crumb {
	const char *label;
	const char *href; /* a URL from url_*; NULL: the current page */
};
/* Wraps main in the layout template and sets r->body. */
void layout_page(struct req *r, const char *title, const struct html *main);
void layout_crumbs(struct html *h, const struct crumb *c, size_t n);
/* Page links for base (a url_* string): base&page=N, pages 1..npages. */
void layout_pager(struct html *h, const char *base, long page, long npages);
/* <a href="href">text</a>, both escaped. */
void layout_link(struct html *h, const char *href, const char *text);

/* URLs as plain strings, percent-encoded (html_text them into attributes). */
const char *url_entry(struct arena *a, const char *id, int version);
const char *url_book(struct arena *a, const char *id, long chapter, long page);
const char *url_browse(struct arena *a, const char *kind, const char *region, long page);
/* The search URL for r's filters with query q (page > 1 adds page=). */
const char *url_search(const struct req *r, const char *q, long page);
/* Adds "&page=N" or "?page=N" to base. */
const char *url_with_page(struct arena *a, const char *base, long page);

/* A count of characters as readers say it: 8650, 195.9 万. */
const char *layout_count(struct arena *a, long long n);
/* A book as readers name it: 泰安年鉴（2018）. */
const char *book_label(struct arena *a, const struct fz_book *b);
/* A definition list row <dt>term</dt><dd>value</dd>, nothing when value is
 * NULL or empty; with href the value is a link. */
void layout_row(struct html *h, const char *term, const char *value, const char *href);

/* "370900" → "3709": the prefix shared by a region and those below it. */
const char *region_prefix(struct arena *a, const char *code);
/* "2026-12-04T20:05:08Z" → "2026-12-04 20:05 UTC" (as given when odd). */
const char *layout_time(struct arena *a, const char *rfc3339);
/* RFC 3339 (UTC or offset) to time_t; 0 when unparsable. */
time_t layout_parse_time(const char *rfc3339);

/* The search box (footer, or big for the front page), or in a static copy
 * a note that it has none; the footer's links to the main pages. */
void layout_search_form(struct html *h, int big);
void layout_nav(struct html *h);

/* ---- link.c: links as served, or relative in a static copy ---- */

/* The file a site URL's page is written to in a static copy ("entry/A/B.html",
 * "browse@kind=志.html"), relative to its root; NULL when a copy has none. */
const char *link_file(struct arena *a, const char *url);
/* The href to write for a site URL on the page being rendered: the URL
 * itself when served; in a static copy its file relative to this page's
 * file, or NULL when the copy lacks it (write no link then). */
const char *link_href(struct arena *a, const char *url);
/* web_render: the file of the page this thread now renders for a static
 * copy (NULL: links as served). */
void link_scope(const char *self_file);

/* How many items a page lists; page counts follow from them (web_site_paths). */
#define BOOKS_PER_PAGE 50  /* /browse */
#define NODES_PER_PAGE 200 /* /book/ */

/* ---- page_browse.c: regions as a tree of GB/T 2260 codes ---- */

struct region_node {
	const char *code;  /* six digits */
	const char *label; /* short: 泰安市 */
	long books, entries; /* summed over the regions below */
};
/* 1 province (370000), 2 city (370900), 3 county (370902). */
int region_level(const char *code);
/* 370902 → 370900 → 370000 → NULL. */
const char *region_parent(struct arena *a, const char *code);
/* The regions directly below parent (NULL: the provinces) that hold books,
 * from the store's counts per region code. */
void region_children(struct arena *a, const struct fz_count *c, size_t nc, const char *parent,
		     struct region_node **out, size_t *n);
/* A region's name: full (山东省泰安市) or short (泰安市). */
const char *region_name(struct arena *a, const struct fz_count *c, size_t nc, const char *code,
			int short_form);

/* ---- page_*.c: one per page kind; each fills r's reply and returns 0 ---- */

int page_home(struct req *r);
int page_browse(struct req *r);
int page_book(struct req *r);
/* A list of books with their kind, region and count (browse, home). */
void page_book_list(struct req *r, struct html *h, const struct fz_book *b, size_t n);
/* Provinces with their cities, and kinds, each with counts: the first
 * level of the archive browser (/ and /browse). */
void page_region_tree(struct req *r, struct html *h, const struct fz_count *c, size_t nc);
void page_kind_list(struct req *r, struct html *h, const struct fz_count *k, size_t nk);
int page_entry(struct req *r);
int page_search(struct req *r);
int page_about(struct req *r);
int page_static(struct req *r);
int page_api_search(struct req *r);
int page_api_entry(struct req *r);
int page_not_found(struct req *r);
/* page_legacy.c: the old site's addresses, and the captures kept of it */
int page_legacy(struct req *r);   /* /bin/mse.exe?... and /ftr/ftr.htm: redirects */
int page_resolve(struct req *r);  /* /resolve?url=...: a pasted old address */
int page_original(struct req *r); /* /original/<entry id>: its captures */
int page_capture(struct req *r);  /* /capture/<n>: one capture's bytes, as an attachment */
/* The form that takes an old address to /resolve (for /about). */
void legacy_resolve_form(struct html *h);
/* Items a chapter's old table of contents listed but no crawl captured,
 * as a list marked 未能抓取 with their old addresses (for /book/). */
int legacy_missing(struct req *r, struct html *h, const char *book_id, long chapter,
		   struct fz_err *err);
/* The error page: status 400/404/500 with a message for the reader (500s
 * show a generic text; the caller has logged the details). Returns 0. */
int page_error(struct req *r, int status, const char *msg);
/* Maps err's code to 400/404/500, logs 500s, renders the page. Returns 0. */
int page_fail(struct req *r, const struct fz_err *err);

/* ---- reply.c: a rendered page as responses, validators and compression ---- */

/* One page ready to send: the plain and, when worth it, gzip responses
 * with their headers set. Kept in the page cache or made per request. */
struct reply_ent {
	struct reply_ent *next;     /* hash chain (cache.c) */
	uint64_t hash;              /* of key */
	char *key;                  /* path and canonical query; heap */
	struct MHD_Response *plain; /* never NULL */
	struct MHD_Response *gz;    /* NULL when gzip would not help */
	size_t plain_len, gz_len;
	int status;
	char etag[24];              /* "<16 hex>" */
	char etag_gz[28];           /* "<16 hex>-gz" */
	char last_modified[40];     /* IMF-fixdate, or "" */
	time_t mtime;
	enum cache_kind cache;
};
/* Builds ent from r's reply. With want_gz < 0 both variants are made (for
 * the cache); otherwise only the one asked for. */
void reply_build(const struct req *r, int want_gz, struct reply_ent *ent /* OUT */);
/* Status, lifetime, validators and dates of r's reply, no responses made. */
void reply_meta(const struct req *r, struct reply_ent *ent /* OUT */);
/* The header fields sent with a reply (name, value), in order; the count. */
#define REPLY_FIELDS_MAX 16
size_t reply_fields(const struct req *r, const struct reply_ent *ent, int gz,
		    const char *out[REPLY_FIELDS_MAX][2]);
/* IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"). */
void reply_http_date(time_t t, char out[40]);
/* Drops our references; connections still sending keep theirs. */
void reply_release(struct reply_ent *ent);
/* Queues ent on conn honouring If-None-Match / If-Modified-Since and
 * Accept-Encoding. Sets *status and *bytes for the access log. */
enum MHD_Result reply_queue(struct MHD_Connection *conn, const struct reply_ent *ent,
			    int accept_gz, int *status /* OUT */, size_t *bytes /* OUT */);
/* 1 when the request's Accept-Encoding admits gzip. */
int reply_accepts_gzip(struct MHD_Connection *conn);
/* FNV-1a, for ETags and the cache's hash. */
uint64_t reply_hash(const void *p, size_t n);

/* ---- cache.c: rendered pages by path, kept while serving (read-only archive) ---- */

void cache_init(size_t budget_bytes);
/* The entry for key, or NULL. Entries live until cache_free. */
const struct reply_ent *cache_get(const char *key, uint64_t hash);
/* Takes ent (heap) when there is room and returns the kept entry (an
 * earlier one for the same key wins); NULL when ent was not taken. */
const struct reply_ent *cache_put(struct reply_ent *ent);
void cache_free(void);

/* ---- server.c ---- */

/* Process-wide state, read-only while serving. */
struct web {
	struct site site;
	const char *css_href;   /* /static/style.css?v=<digest> */
	time_t archive_mtime;   /* last import, for Last-Modified */
	struct fz_stats stats;  /* at start */
};
void web_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- render.c: pages without a connection (exports), and what serving shares ---- */

/* Fills what pages read of w (stylesheet URL, counts, last change) from
 * the archive in dir, through store s; strings in a. site and templates
 * are loaded by the caller. */
int web_state_init(struct web *w, struct arena *a, const char *dir, struct store *s,
		   struct fz_err *err);

#endif
