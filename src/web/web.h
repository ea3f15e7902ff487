/* web.h: the public web server (fangzhi serve) */
#ifndef FZ_WEB_H
#define FZ_WEB_H

#include <time.h>

#include "../base/base.h"

/* What `fangzhi serve` was asked for; strings belong to the caller. */
struct web_config {
	const char *archive;    /* directory of the archive, opened read-only */
	const char *listen;     /* "127.0.0.1:8080", "[::1]:8080", ":8080"; port 0: any */
	const char *site_file;  /* site identity and about text, or NULL for the default */
	const char *port_file;  /* write the bound port here, or NULL */
	const char *pid_file;   /* write our process id here, or NULL */
	const char *access_log; /* combined log format; NULL or "-": standard output */
	const char *user;       /* drop root to this user after opening, or NULL */
	int threads;            /* worker threads; 0: two per processor, at least 4 */
	long cache_mb;          /* rendered-page cache budget; 0: default, -1: off */
};

/*
 * Serves the archive until SIGINT or SIGTERM. Returns 0 after a clean stop,
 * or -1 with err set when the archive cannot be opened, the site file is
 * bad or the address cannot be bound (nothing is served then).
 */
int web_serve(const struct web_config *cfg, struct fz_err *err);

/* ---- the site without a server: pages for copies (fangzhi export) ---- */

struct store;
struct web_site; /* templates, site identity and a read-only store; no server */

/* Opens archive read-only with the identity of site_file (NULL: the
 * reference one). One thread renders with it at a time. */
int web_site_open(const char *archive, const char *site_file, struct web_site **out,
		  struct fz_err *err);
void web_site_close(struct web_site *w);
/* The site's own read-only connection: a walk opened on it sees the same
 * state of the archive as the pages rendered inside the walk. */
struct store *web_site_store(struct web_site *w);

/* Who the site says it is (strings belong to w). */
struct web_identity {
	const char *name, *brand, *description;
	const char *base_url;    /* the site file's base_url, or NULL */
	const char *fingerprint; /* the archive's, when opened */
};
void web_site_identity(const struct web_site *w, struct web_identity *out /* OUT */);

/* A page as `GET path?query` would answer it. */
struct web_page {
	int status;            /* 200, 404, 400, 301 ... */
	const char *reason;    /* "OK", "Not Found" */
	const char *ctype;     /* the Content-Type sent */
	struct buf body;       /* the bytes sent (not compressed) */
	const char *(*fields)[2]; /* every header field sent but Date and
				     Content-Length, in order: name, value */
	size_t nfields;
	time_t mtime;          /* Last-Modified; 0: none */
};
#define WEB_RENDER_RELATIVE 1 /* for a static copy: links relative to the page's own
			       * file (web_file_name), pages the copy lacks unlinked */
/*
 * Renders what `GET path_and_query` answers (path as a URL: "/entry/a/b?v=2"),
 * through the server's routes, parameter checks, pages and templates.
 * Everything lives in arena a. A 404 or 400 is a page (0); -1 when it could
 * not be made at all (a 500) or, with WEB_RENDER_RELATIVE, when a static
 * copy has no file for the path.
 */
int web_render(struct web_site *w, const char *path_and_query, int flags, struct arena *a,
	       struct web_page *out /* OUT */, struct fz_err *err);

/* The file a site URL's page has in a static copy, relative to its root
 * ("index.html", "entry/A/B.html", "book/ID@ch=3.html", "static/style.css"),
 * or NULL when a copy has none (search and the like). In arena a. */
const char *web_file_name(struct arena *a, const char *url);

/* IMF-fixdate, as HTTP's Date says it ("Sun, 06 Nov 1994 08:49:37 GMT"). */
void web_http_date(time_t t, char out[40]);

#define WEB_PATHS_PAGES 1u   /* front page, about, stylesheet, browser, books, chapters */
#define WEB_PATHS_ENTRIES 2u /* every entry, and every older version of each */
/*
 * Calls fn with the URL of every page of the site of the kinds in what,
 * each once; fn may render between calls. A non-zero return from fn stops
 * the walk and is returned (fn sets err). Memory stays flat.
 */
int web_site_paths(struct web_site *w, unsigned what,
		   int (*fn)(void *ctx, const char *path, struct fz_err *err), void *ctx,
		   struct fz_err *err);

#endif
