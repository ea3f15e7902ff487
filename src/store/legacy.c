/* legacy.c: the old site's addresses (lib.sdsqw.cn/bin/mse.exe?...), parsed and resolved */
#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>

#include "store_int.h"

#define K_MAX 32      /* a library or node code longer than this is junk */
#define NUM_DIGITS 9  /* A, rec and run fit in this many digits */

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 32);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Appends a run of undecoded bytes: UTF-8 when they are, else GBK (read
 * as GB18030, which contains it); bytes neither can read become U+FFFD. */
static void
flush_bytes(struct buf *out, struct buf *run)
{
	iconv_t cd;
	char *ip, *op;
	size_t il, ol;

	if (run->len == 0)
		return;
	if (utf8_valid(run->p, run->len, NULL) || (cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1) {
		buf_add(out, run->p, run->len);
		buf_reset(run);
		return;
	}
	ip = run->p, il = run->len;
	while (il > 0) {
		buf_grow(out, il * 3 + 8);
		op = out->p + out->len;
		ol = out->cap - out->len - 1;
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
			out->len = (size_t)(op - out->p);
			if (errno == E2BIG)
				continue;
			buf_addstr(out, "\xEF\xBF\xBD");
			ip++, il--;
			iconv(cd, NULL, NULL, NULL, NULL);
			continue;
		}
		out->len = (size_t)(op - out->p);
	}
	out->p[out->len] = '\0';
	iconv_close(cd);
	buf_reset(run);
}

/*
 * Decodes what browsers and the old site's JavaScript put in a query
 * value: escape()'s %uXXXX (surrogate pairs joined), and %XX bytes that
 * are UTF-8 or, in older links, GBK. Each run of bytes is judged on its
 * own, so one value may mix the three.
 */
char *
store_legacy_decode(const char *s, size_t len, struct arena *ar)
{
	struct buf out, run;
	size_t i = 0;
	uint32_t hi = 0;

	buf_init(&out, ar);
	buf_init(&run, NULL);
	buf_addstr(&out, "");
	while (i < len) {
		char c = s[i];
		if (c == '%' && i + 5 < len && (s[i + 1] == 'u' || s[i + 1] == 'U') &&
		    hexval(s[i + 2]) >= 0 && hexval(s[i + 3]) >= 0 && hexval(s[i + 4]) >= 0 &&
		    hexval(s[i + 5]) >= 0) {
			uint32_t cp = (uint32_t)(hexval(s[i + 2]) << 12 | hexval(s[i + 3]) << 8 |
						 hexval(s[i + 4]) << 4 | hexval(s[i + 5]));
			char u[4];
			flush_bytes(&out, &run);
			i += 6;
			if (cp >= 0xD800 && cp < 0xDC00) {
				hi = cp;
				continue;
			}
			if (cp >= 0xDC00 && cp < 0xE000 && hi)
				cp = 0x10000 + ((hi - 0xD800) << 10) + (cp - 0xDC00);
			else if ((cp >= 0xD800 && cp < 0xE000) || cp == 0)
				cp = 0xFFFD;
			hi = 0;
			buf_add(&out, u, utf8_encode(cp, u));
			continue;
		}
		if (hi) { /* a lone high surrogate */
			buf_addstr(&out, "\xEF\xBF\xBD");
			hi = 0;
		}
		if (c == '%' && i + 2 < len && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			char b = (char)(hexval(s[i + 1]) << 4 | hexval(s[i + 2]));
			i += 3;
			if (b == 0)
				continue;
			buf_addch(&run, b);
			continue;
		}
		if ((unsigned char)c >= 0x80) {
			buf_addch(&run, c);
		} else {
			flush_bytes(&out, &run);
			buf_addch(&out, c == '+' ? ' ' : c);
		}
		i++;
	}
	if (hi)
		buf_addstr(&out, "\xEF\xBF\xBD");
	flush_bytes(&out, &run);
	buf_free(&run);
	return out.p;
}

/* A decimal of at most NUM_DIGITS digits, blanks around allowed; 0 else. */
static long
number(const char *s)
{
	long n = 0;
	int d = 0;

	while (*s == ' ')
		s++;
	for (; *s >= '0' && *s <= '9' && d < NUM_DIGITS; s++, d++)
		n = n * 10 + (*s - '0');
	while (*s == ' ')
		s++;
	return d > 0 && *s == '\0' ? n : 0;
}

void
store_legacy_parse_query(const char *q, struct arena *ar, struct legacy_addr *out)
{
	const char *p = q, *end;

	memset(out, 0, sizeof(*out));
	if (*p == '?')
		p++;
	end = p + strcspn(p, "#");
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p)), *eq;
		char *key, *val;
		if (amp == NULL)
			amp = end;
		eq = memchr(p, '=', (size_t)(amp - p));
		key = store_legacy_decode(p, (size_t)((eq ? eq : amp) - p), ar);
		val = eq ? store_legacy_decode(eq + 1, (size_t)(amp - eq - 1), ar) : "";
		p = amp + 1;
		if (*val == '\0')
			continue; /* an empty seachword= says nothing; a later one may */
		if (strcasecmp(key, "run") == 0 && out->run == 0) {
			out->run = (int)number(val);
		} else if (strcasecmp(key, "a") == 0 && out->a == 0) {
			out->a = number(val);
		} else if (strcasecmp(key, "rec") == 0 && out->rec == 0) {
			out->rec = number(val);
		} else if (strcasecmp(key, "k") == 0 && out->k == NULL) {
			size_t i, n = strlen(val);
			int ok = n > 0 && n <= K_MAX;
			for (i = 0; i < n && ok; i++) {
				unsigned char c = (unsigned char)val[i];
				ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
				if (c >= 'a' && c <= 'z')
					val[i] = (char)(c - 32);
			}
			if (ok)
				out->k = val;
		} else if ((strcasecmp(key, "seachword") == 0 || strcasecmp(key, "searchword") == 0) &&
			   out->words == NULL) {
			const char *s = val, *e = val + strlen(val);
			while (s < e && *s == ' ')
				s++;
			while (e > s && e[-1] == ' ')
				e--;
			out->words = arena_strndup(ar, s, (size_t)(e - s));
		}
	}
}

/*
 * Takes an address apart. The host, when one is named, must be the old
 * site's; the path must be its one program (mse.exe, any case, any
 * directory) or its search form; what follows '?' is read by
 * store_legacy_parse_query.
 */
int
store_legacy_parse(const char *url, struct arena *ar, struct legacy_addr *out,
		   struct fz_err *err)
{
	const char *p = url, *q, *path, *pend;
	size_t n;

	memset(out, 0, sizeof(*out));
	while (*p == ' ' || *p == '\t' || *p == '<' || *p == '"')
		p++;
	n = strlen(p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n' ||
			 p[n - 1] == '>' || p[n - 1] == '"'))
		n--;
	p = arena_strndup(ar, p, n);
	if (strncasecmp(p, "http://", 7) == 0)
		p += 7;
	else if (strncasecmp(p, "https://", 8) == 0)
		p += 8;
	else if (strncmp(p, "//", 2) == 0)
		p += 2;
	else if (*p == '/' || *p == '?' || memchr(p, '.', strcspn(p, "/?#")) == NULL ||
		 strncasecmp(p, "mse.exe", 7) == 0)
		goto host_done; /* a path, no host */
	{
		size_t h = strcspn(p, "/?#"), port = h;
		const char *colon = memchr(p, ':', h);
		if (colon != NULL)
			port = (size_t)(colon - p);
		if (!((port == 12 && strncasecmp(p, "lib.sdsqw.cn", 12) == 0) ||
		      (port == 16 && strncasecmp(p, "www.lib.sdsqw.cn", 16) == 0)))
			return fz_fail(err, FZ_EINPUT, "%.*s is not the old site (lib.sdsqw.cn)",
				       (int)(h < 200 ? h : 200), p);
		p += h;
	}
host_done:
	path = p;
	q = p + strcspn(p, "?#");
	pend = q;
	while (pend > path && pend[-1] == '/')
		pend--;
	n = (size_t)(pend - path);
	if (n >= 12 && strncasecmp(pend - 12, "/ftr/ftr.htm", 12) == 0) {
		out->search_form = 1;
		return 0;
	}
	if (!(n == 0 && *q == '?') && !(n >= 7 && strncasecmp(pend - 7, "mse.exe", 7) == 0 &&
					(n == 7 || pend[-8] == '/')))
		return fz_fail(err, FZ_EINPUT, "the old site answered only at /bin/mse.exe?...; "
					       "this address names another page");
	if (*q == '?')
		store_legacy_parse_query(q + 1, ar, out);
	return 0;
}

/* Whether the address names a record (rec given) or a list (A only). */
static int
run_of(const struct legacy_addr *a)
{
	if (a->run == 11 || a->run == 12 || a->run == 13)
		return a->run;
	if (a->words != NULL && a->rec == 0)
		return 11;
	return a->rec > 0 ? 13 : a->a > 0 || a->k ? 12 : 0;
}

/*
 * Where an old address leads here: a record to its entry (or, if it was
 * listed but never captured, to the place it is listed), a list to its
 * book or chapter, a library to its region, a search to ours.
 */
int
store_legacy_resolve(struct store *s, const struct legacy_addr *addr, struct arena *ar,
		     struct legacy_target *out, struct fz_err *err)
{
	const char *k = addr->k ? addr->k : "";
	sqlite3_stmt *st;
	int rc, run = run_of(addr);

	memset(out, 0, sizeof(*out));
	if (addr->search_form || run == 11) {
		out->kind = LEGACY_SEARCH;
		out->words = addr->words ? addr->words : "";
		return 0;
	}
	if (run == 13 && addr->a > 0 && addr->rec > 0) {
		if ((st = store_stmt(s, STMT_LEGACY_RECORD, err)) == NULL)
			return -1;
		store_bind_text(st, 1, k);
		sqlite3_bind_int64(st, 2, addr->a);
		sqlite3_bind_int64(st, 3, addr->rec);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			out->entry_id = store_col_text(st, 0, ar);
			out->book_id = store_col_text(st, 1, ar);
			out->chapter = (long)sqlite3_column_int64(st, 2);
			out->title = store_col_text(st, 3, ar);
			out->url = store_col_text(st, 4, ar);
			out->kind = out->entry_id ? LEGACY_ENTRY : LEGACY_MISSING;
			return 0;
		}
		if (rc != SQLITE_DONE)
			return store_fail(s, err, "resolving an old address");
	} else if (run == 12 && addr->a > 0 && *k) {
		if ((st = store_stmt(s, STMT_LEGACY_NODE, err)) == NULL)
			return -1;
		store_bind_text(st, 1, k);
		sqlite3_bind_int64(st, 2, addr->a);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			long rec = (long)sqlite3_column_int64(st, 0), heads = (long)sqlite3_column_int64(st, 3);
			out->entry_id = store_col_text(st, 1, ar);
			out->book_id = store_col_text(st, 2, ar);
			out->chapter = heads ? heads : (long)sqlite3_column_int64(st, 4);
			out->title = store_col_text(st, 5, ar);
			out->url = store_col_text(st, 6, ar);
			out->kind = rec == 0 ? LEGACY_BOOK : heads ? LEGACY_CHAPTER
					     : out->entry_id ? LEGACY_ENTRY : LEGACY_MISSING;
			return 0;
		}
		if (rc != SQLITE_DONE)
			return store_fail(s, err, "resolving an old address");
		/* a node we do not know, inside a book we do: the book */
		if ((st = store_stmt(s, STMT_LEGACY_BOOK, err)) == NULL)
			return -1;
		store_bind_text(st, 1, k);
		sqlite3_bind_int64(st, 2, addr->a);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			out->kind = LEGACY_BOOK;
			out->book_id = store_col_text(st, 0, ar);
			return 0;
		}
		if (rc != SQLITE_DONE)
			return store_fail(s, err, "resolving an old address");
	} else if (run == 12 && *k) {
		if ((st = store_stmt(s, STMT_LIBRARY_OF, err)) == NULL)
			return -1;
		store_bind_text(st, 1, k);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			out->kind = LEGACY_LIBRARY;
			out->title = store_col_text(st, 1, ar);
			out->region_code = store_col_text(st, 3, ar);
			return 0;
		}
		if (rc != SQLITE_DONE)
			return store_fail(s, err, "resolving an old address");
	}
	out->kind = LEGACY_NONE;
	return fz_fail(err, FZ_ENOTFOUND, "this archive holds nothing the old address names");
}

/*
 * Called for every record imported: one whose source URL is an old
 * record address (JSON Lines dumps carry them) answers that address too.
 * The library is the longest known code that begins K; when none is known
 * yet, K itself stands for it (resolution also matches that way round).
 */
int
store_legacy_note_record(struct store *s, const struct fz_record *r, struct fz_err *err)
{
	struct legacy_addr a;
	struct arena ar;
	struct fz_legacy l = { 0 };
	struct fz_err perr;
	sqlite3_stmt *st;
	int rc = 0;

	if (r->url == NULL || strcasestr(r->url, "mse.exe") == NULL)
		return 0;
	arena_init(&ar, 1024);
	if (store_legacy_parse(r->url, &ar, &a, &perr) < 0 || a.k == NULL || a.a <= 0 ||
	    a.rec <= 0 || (a.run != 0 && a.run != 13))
		goto out;
	l.lib = a.k;
	if ((st = store_stmt(s, STMT_LIBRARY_OF, err)) == NULL) {
		rc = -1;
		goto out;
	}
	store_bind_text(st, 1, a.k);
	if (sqlite3_step(st) == SQLITE_ROW)
		l.lib = store_col_text(st, 0, &ar);
	l.book = a.a;
	l.rec = a.rec;
	l.node = a.k;
	l.title = r->title;
	l.url = r->url;
	l.book_id = r->book.id;
	l.ord = r->order;
	l.entry_id = r->id;
	rc = store_legacy_put(s, &l, err);
out:
	arena_free(&ar);
	return rc;
}
