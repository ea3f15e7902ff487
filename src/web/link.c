/* link.c: how a page writes a link: as served, or relative to its file in a static copy */
#include <string.h>

#include "web_int.h"

/*
 * The page this thread is rendering for a static copy (web_render with
 * WEB_RENDER_RELATIVE): the depth of its file below the copy's root, or -1
 * when links are written as served. Pages build their links through
 * helpers that take a fragment, not the request (layout_link, layout_row,
 * the pager, the crumbs), and a page is rendered start to finish on one
 * thread; so web_render sets this around the page, and every href passes
 * link_href. The server never sets it: served pages keep their URLs.
 */
static _Thread_local int scope_depth = -1;

void
link_scope(const char *self_file)
{
	const char *p;

	if (self_file == NULL) {
		scope_depth = -1;
		return;
	}
	scope_depth = 0;
	for (p = self_file; *p; p++)
		scope_depth += *p == '/';
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 32);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decoding of a URL part ('+' a space in queries). */
static char *
decode(struct arena *a, const char *s, size_t len, int query)
{
	char *out = arena_alloc(a, len + 1), *o = out;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			*o++ = (char)(hexval(s[i + 1]) << 4 | hexval(s[i + 2]));
			i += 2;
		} else {
			*o++ = query && s[i] == '+' ? ' ' : s[i];
		}
	}
	*o = '\0';
	return out;
}

/* The value of key in a query string (decoded), or NULL. */
static const char *
query_value(struct arena *a, const char *q, size_t qlen, const char *key)
{
	size_t k = strlen(key), i = 0;

	while (i < qlen) {
		size_t n = 0;
		while (i + n < qlen && q[i + n] != '&')
			n++;
		if (n > k && memcmp(q + i, key, k) == 0 && q[i + k] == '=')
			return decode(a, q + i + k + 1, n - k - 1, 1);
		i += n + 1;
	}
	return NULL;
}

/* Whether every key of the query is one of keys (a NULL-ended list). */
static int
query_only(const char *q, size_t qlen, const char *const *keys)
{
	size_t i = 0;

	while (i < qlen) {
		size_t n = 0, k;
		int ok = 0;

		while (i + n < qlen && q[i + n] != '&')
			n++;
		for (k = 0; keys[k] != NULL && !ok; k++) {
			size_t kl = strlen(keys[k]);
			ok = n > kl && memcmp(q + i, keys[k], kl) == 0 && q[i + kl] == '=';
		}
		if (n > 0 && !ok)
			return 0;
		i += n + 1;
	}
	return 1;
}

/* A parameter value in a file name: letters, digits, "-._" and UTF-8 as
 * they are; any other byte as ~XX (so '/', '@' and '~' never appear raw). */
static void
add_value(struct buf *b, const char *v)
{
	const unsigned char *p;

	for (p = (const unsigned char *)v; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '.' || *p == '_' || *p >= 0x80)
			buf_addch(b, (char)*p);
		else
			buf_addf(b, "~%02X", *p);
	}
}

/* An id as a file path: its segments as they are, except that a "."
 * segment before the last (which the file system would fold away) is
 * written "@." (no id holds '@'). */
static void
add_id(struct buf *b, const char *id)
{
	const char *p = id;

	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 1 && *p == '.' && p[1] == '/')
			buf_addstr(b, "@.");
		else
			buf_add(b, p, n);
		p += n;
		if (*p == '/') {
			buf_addch(b, '/');
			p++;
		}
	}
}

/*
 * Where a site URL's page lives in a static copy, relative to the copy's
 * root, or NULL when the copy has no such page (search, the API, old
 * addresses, captures) or the URL is not one the site makes:
 *
 *   /                          index.html
 *   /about                     about.html
 *   /browse?kind=K&region=R&page=N   browse@kind=K@region=R@page=N.html
 *   /book/ID?ch=N&page=P       book/ID@ch=N@page=P.html
 *   /entry/A/B?v=N             entry/A/B@v=N.html
 *   /static/NAME?v=...         static/NAME
 *
 * Parameters go in this fixed order whatever order the URL had them in;
 * values are kept readable (UTF-8 as is) with other bytes as ~XX. No id
 * holds '@', so no two URLs share a file. The server's routes and this
 * table name the same pages; t054 checks that every link of an exported
 * copy leads to a file it holds.
 */
const char *
link_file(struct arena *a, const char *url)
{
	static const struct {
		const char *prefix;
		int is_prefix;
		int id;            /* 0: none; 1: entry id; 2: book id */
		const char *keys[4];
	} pages[] = {
		{ "/", 0, 0, { NULL } },
		{ "/about", 0, 0, { NULL } },
		{ "/browse", 0, 0, { "kind", "region", "page", NULL } },
		{ "/book/", 1, 2, { "ch", "page", NULL } },
		{ "/entry/", 1, 1, { "v", NULL } },
	};
	size_t plen = strcspn(url, "?#"), qlen = 0, i, k;
	const char *q = url + plen, *path;
	struct buf b;

	if (*q == '?') {
		q++;
		qlen = strcspn(q, "#");
	}
	path = decode(a, url, plen, 0);
	buf_init(&b, a);
	if (strncmp(path, "/static/", 8) == 0) {
		if (path[8] == '\0' || strchr(path + 8, '/') != NULL)
			return NULL;
		buf_addstr(&b, path + 1);
		return b.p;
	}
	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		size_t n = strlen(pages[i].prefix);
		const char *tail = path + n;

		if (pages[i].is_prefix ? strncmp(path, pages[i].prefix, n) != 0
				       : strcmp(path, pages[i].prefix) != 0)
			continue;
		if (!query_only(q, qlen, pages[i].keys))
			return NULL;
		if (pages[i].id && !req_valid_id(tail, pages[i].id == 1))
			return NULL;
		if (i == 0) {
			buf_addstr(&b, "index");
		} else if (pages[i].id) {
			buf_add(&b, pages[i].prefix + 1, n - 1);
			add_id(&b, tail);
		} else {
			buf_addstr(&b, pages[i].prefix + 1);
		}
		for (k = 0; pages[i].keys[k] != NULL; k++) {
			const char *v = query_value(a, q, qlen, pages[i].keys[k]);
			if (v == NULL || *v == '\0')
				continue;
			buf_addf(&b, "@%s=", pages[i].keys[k]);
			add_value(&b, v);
		}
		buf_addstr(&b, ".html");
		return b.p;
	}
	return NULL;
}

/*
 * The href a page writes for a site URL. Served pages write the URL as it
 * is. In a static copy it is the path of the URL's file relative to the
 * file being written ("../../book/KR2k0048.html"), percent-encoded, with a
 * #fragment kept; NULL when the copy has no such page, and the caller then
 * writes no link. Fragments alone ("#p010-2a") and other sites' addresses
 * are never changed. This is the one place where links become relative:
 * pages and templates always work with the site's own URLs.
 */
const char *
link_href(struct arena *a, const char *url)
{
	const char *file, *frag, *p;
	struct html h;
	int i;

	if (scope_depth < 0 || url == NULL || url[0] != '/' || url[1] == '/')
		return url;
	if ((file = link_file(a, url)) == NULL)
		return NULL;
	html_init(&h, a);
	buf_addstr(&h.b, "");
	for (i = 0; i < scope_depth; i++)
		buf_addstr(&h.b, "../");
	/* a path segment may hold '@' and '=' as they are (RFC 3986 pchar) */
	for (p = file; *p; p++) {
		size_t n = strcspn(p, "@=");
		html_url_path(&h, arena_strndup(a, p, n));
		p += n;
		if (*p == '\0')
			break;
		buf_addch(&h.b, *p);
	}
	if ((frag = strchr(url, '#')) != NULL)
		buf_addstr(&h.b, frag);
	return h.b.p;
}
