/* req.c: request parameters, each declared once with its validator and size limit */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "web_int.h"

typedef int (*param_check)(struct arena *a, const char *v, struct param_val *out,
			   struct fz_err *err);

static int check_text(struct arena *a, const char *v, struct param_val *out, struct fz_err *err);
static int check_book(struct arena *a, const char *v, struct param_val *out, struct fz_err *err);
static int check_region(struct arena *a, const char *v, struct param_val *out, struct fz_err *err);
static int check_years(struct arena *a, const char *v, struct param_val *out, struct fz_err *err);
static int check_count(struct arena *a, const char *v, struct param_val *out, struct fz_err *err);

static const struct param_decl {
	const char *key;
	param_check check;
	size_t max; /* bytes */
	const char *what; /* for the 400 page */
} params[PARAM__MAX] = {
	[PARAM_Q] = { "q", check_text, 2048, "检索词" },
	[PARAM_BOOK] = { "book", check_book, 200, "书的编号" },
	[PARAM_KIND] = { "kind", check_text, 64, "类别" },
	[PARAM_REGION] = { "region", check_region, 6, "地区代码" },
	[PARAM_YEAR] = { "year", check_years, 16, "年份范围" },
	[PARAM_PAGE] = { "page", check_count, 9, "页码" },
	[PARAM_V] = { "v", check_count, 9, "版本号" },
	[PARAM_CH] = { "ch", check_count, 18, "章节编号" },
};

/* Free text: valid UTF-8 without control characters, surrounding blanks
 * trimmed. An empty value counts as absent (a form sends q= when empty). */
static int
check_text(struct arena *a, const char *v, struct param_val *out, struct fz_err *err)
{
	size_t len = strlen(v), i;

	if (!utf8_valid(v, len, NULL))
		return fz_fail(err, FZ_EINPUT, "is not valid UTF-8");
	for (i = 0; i < len; i++)
		if ((unsigned char)v[i] < 0x20 && v[i] != '\t')
			return fz_fail(err, FZ_EINPUT, "contains a control character");
	while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	while (len > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	out->s = arena_strndup(a, v, len);
	out->set = len > 0;
	return 0;
}

static int
check_book(struct arena *a, const char *v, struct param_val *out, struct fz_err *err)
{
	if (*v == '\0')
		return 0;
	if (!req_valid_id(v, 0))
		return fz_fail(err, FZ_EINPUT, "is not a book id (letters, digits, . _ ~ -)");
	out->s = arena_strdup(a, v);
	out->set = 1;
	return 0;
}

/* A GB/T 2260 code: six digits (370000 a province, 370900 a city, 370902
 * a county); it names its region and those below it. */
static int
check_region(struct arena *a, const char *v, struct param_val *out, struct fz_err *err)
{
	size_t len = strlen(v);

	if (len == 0)
		return 0;
	if (len != 6 || strspn(v, "0123456789") != 6 || strncmp(v, "00", 2) == 0)
		return fz_fail(err, FZ_EINPUT, "must be a GB/T 2260 code of six digits, such as 370900");
	out->s = arena_strdup(a, v);
	out->set = 1;
	return 0;
}

/* "2017", "2000-2018", "2000-" or "-2018"; years 1 to 9999. */
static int
check_years(struct arena *a, const char *v, struct param_val *out, struct fz_err *err)
{
	const char *dash = strchr(v, '-');
	long from = 0, to = 0;

	if (*v == '\0')
		return 0;
	if (dash == NULL) {
		if (req_parse_long(v, 1, 9999, &from) < 0)
			goto bad;
		to = from;
	} else {
		char *left = arena_strndup(a, v, (size_t)(dash - v));
		if (*left && req_parse_long(left, 1, 9999, &from) < 0)
			goto bad;
		if (dash[1] && req_parse_long(dash + 1, 1, 9999, &to) < 0)
			goto bad;
		if (from == 0 && to == 0)
			goto bad;
		if (from && to && from > to)
			return fz_fail(err, FZ_EINPUT, "starts after it ends (%ld-%ld)", from, to);
	}
	out->s = arena_strdup(a, v);
	out->n = from;
	out->n2 = to;
	out->set = 1;
	return 0;
bad:
	return fz_fail(err, FZ_EINPUT, "must be a year or a range such as 2000-2018");
}

static int
check_count(struct arena *a, const char *v, struct param_val *out, struct fz_err *err)
{
	if (*v == '\0')
		return 0;
	if (req_parse_long(v, 1, 999999999, &out->n) < 0)
		return fz_fail(err, FZ_EINPUT, "must be a whole number from 1");
	out->s = arena_strdup(a, v);
	out->set = 1;
	return 0;
}

/* A whole decimal number, digits only (no sign, blanks or junk after). */
int
req_parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long n;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < lo || n > hi)
		return -1;
	*out = n;
	return 0;
}

/*
 * Ids as formats/records.md allows: A-Z a-z 0-9 . _ ~ - and, for entries,
 * '/'; 1 to 200 bytes; no leading '/', no empty or ".." segment. Checked
 * before any lookup, so a path never reaches the store unvetted.
 */
int
req_valid_id(const char *s, int allow_slash)
{
	size_t len = strlen(s), i, seg = 0;

	if (len == 0 || len > 200)
		return 0;
	for (i = 0; i <= len; i++) {
		char c = s[i];
		if (c == '/' || c == '\0') {
			if (c == '/' && !allow_slash)
				return 0;
			if (i == seg || (i - seg == 2 && s[seg] == '.' && s[seg + 1] == '.'))
				return 0;
			seg = i + 1;
			continue;
		}
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '~' || c == '-'))
			return 0;
	}
	return 1;
}

struct walk {
	struct req *r;
	unsigned mask;
	struct fz_err *err;
	int failed;
	unsigned seen;
};

/* libmicrohttpd calls this for every query argument (already decoded,
 * '+' already a space). The first occurrence of a key wins; unknown keys
 * are ignored because old links carry junk. */
static enum MHD_Result
walk_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct walk *w = cls;
	int i;

	(void)kind;
	for (i = 0; i < PARAM__MAX; i++) {
		const struct param_decl *d = &params[i];

		if (!(w->mask & PBIT(i)) || strcmp(key, d->key) != 0 || (w->seen & PBIT(i)))
			continue;
		w->seen |= PBIT(i);
		if (value == NULL)
			value = "";
		if (strlen(value) > d->max) {
			fz_fail(w->err, FZ_EINPUT, "参数 %s（%s）太长：最多 %zu 字节", d->key, d->what,
				d->max);
			w->failed = 1;
			return MHD_NO;
		}
		if (d->check(w->r->arena, value, &w->r->param[i], w->err) < 0) {
			fz_wrap(w->err, "参数 %s（%s）", d->key, d->what);
			w->err->code = FZ_EINPUT;
			w->failed = 1;
			return MHD_NO;
		}
		break;
	}
	return MHD_YES;
}

/* Fills r->param[] from the query string, for the parameters in mask only
 * (what the route reads); -1 with the named parameter's error otherwise. */
int
req_params(struct req *r, struct MHD_Connection *conn, unsigned mask, struct fz_err *err)
{
	struct walk w = { r, mask, err, 0, 0 };

	memset(r->param, 0, sizeof(r->param));
	if (mask == 0)
		return 0;
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, walk_arg, &w);
	return w.failed ? -1 : 0;
}

static int
hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 32);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* One key or value of a query string decoded as libmicrohttpd decodes
 * them ('+' a space, %XX a byte), so both ways in read the same values. */
static char *
unescape(struct arena *a, const char *s, size_t len)
{
	char *out = arena_alloc(a, len + 1), *o = out;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len && hexdigit(s[i + 1]) >= 0 &&
		    hexdigit(s[i + 2]) >= 0) {
			*o++ = (char)(hexdigit(s[i + 1]) << 4 | hexdigit(s[i + 2]));
			i += 2;
		} else {
			*o++ = s[i] == '+' ? ' ' : s[i];
		}
	}
	*o = '\0';
	return out;
}

/* req_params for a query string given as text (web_render: no connection),
 * through the same declarations and validators. */
int
req_params_query(struct req *r, const char *query, unsigned mask, struct fz_err *err)
{
	struct walk w = { r, mask, err, 0, 0 };
	const char *p = query;

	memset(r->param, 0, sizeof(r->param));
	if (mask == 0 || p == NULL)
		return 0;
	while (*p && !w.failed) {
		size_t n = strcspn(p, "&");
		const char *eq = memchr(p, '=', n);
		const char *key = unescape(r->arena, p, eq ? (size_t)(eq - p) : n);
		const char *val = eq ? unescape(r->arena, eq + 1, n - (size_t)(eq + 1 - p)) : NULL;

		if (n > 0 && walk_arg(&w, MHD_GET_ARGUMENT_KIND, key, val) == MHD_NO)
			break;
		p += n;
		if (*p == '&')
			p++;
	}
	return w.failed ? -1 : 0;
}

/*
 * The parameters the route read, in declaration order, percent-encoded:
 * the page cache's key, so that junk keys and reordering do not make a
 * second copy of the same page.
 */
const char *
req_canonical_query(const struct req *r)
{
	struct html h;
	int i, first = 1;

	html_init(&h, r->arena);
	for (i = 0; i < PARAM__MAX; i++) {
		if (!r->param[i].set)
			continue;
		if (first)
			HTML_LIT(&h, "?");
		else
			HTML_LIT(&h, "&");
		first = 0;
		html_text(&h, params[i].key);
		HTML_LIT(&h, "=");
		html_url_arg(&h, r->param[i].s);
	}
	return h.b.p;
}
