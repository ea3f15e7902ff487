/* crawl.c: a crawl of lib.sdsqw.cn taken in: WARC records or wget's saved pages become captures */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <time.h>

#include "ingest_int.h"

#define SAVED_FILE_MAX (256L << 20) /* a saved page larger than this is not one */
#define PROGRESS_EVERY 200          /* captures between progress calls */

void
crawl_warn(struct crawl *c, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	c->nwarn++;
	if (c->opts == NULL || c->opts->warn == NULL)
		return;
	buf_init(&b, NULL);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	c->opts->warn(c->sink->ctx, c->path, 0, b.p);
	buf_free(&b);
}

/* What an address names, as the capture's kind. */
static const char *
kind_of(const struct legacy_addr *a, int ok)
{
	if (!ok || a->search_form)
		return "other";
	switch (a->run ? a->run : a->rec ? 13 : a->a ? 12 : 0) {
	case 11: return "search";
	case 12: return a->a > 0 ? "toc" : a->k ? "library" : "other";
	case 13: return a->a > 0 && a->rec > 0 ? "record" : "other";
	default: return "other";
	}
}

/* Remembers which (K, A) this crawl touched, so that only those books
 * are rebuilt. */
static void
touch(struct crawl *c, const char *k, long a, int toc)
{
	size_t i;

	for (i = 0; i < c->ntouched; i++)
		if (c->touched[i].a == a && strcmp(c->touched[i].k, k) == 0) {
			c->touched[i].toc |= toc;
			return;
		}
	if (c->ntouched == c->touchcap) {
		c->touchcap = c->touchcap ? 2 * c->touchcap : 32;
		c->touched = xrealloc(c->touched, c->touchcap * sizeof(*c->touched));
	}
	c->touched[c->ntouched].k = xstrdup(k);
	c->touched[c->ntouched].toc = toc;
	c->touched[c->ntouched++].a = a;
}

/*
 * One capture: what its address names, whether the response is whole,
 * then kept in the store (once: the same URL, time and bytes again is the
 * same capture). Everything else happens in the rebuild, from the store.
 */
static int
take(struct crawl *c, struct fz_capture *cap, const char *warc_problem, struct fz_err *err)
{
	struct legacy_addr a;
	struct http_response h;
	struct fz_err perr;
	struct buf problem;
	int ok, is_new, rc;

	arena_reset(&c->tmp);
	ok = store_legacy_parse(cap->url, &c->tmp, &a, &perr) == 0;
	cap->kind = kind_of(&a, ok);
	cap->run = ok ? a.run : 0;
	cap->k = ok ? a.k : NULL;
	cap->a = ok ? a.a : 0;
	cap->rec = ok ? a.rec : 0;
	buf_init(&problem, &c->tmp);
	buf_addstr(&problem, "");
	if (warc_problem)
		buf_addstr(&problem, warc_problem);
	if (cap->http) {
		http_parse(cap->bytes, cap->len, &c->tmp, &h);
		if (h.problem)
			buf_addf(&problem, "%s%s", problem.len ? "; " : "", h.problem);
		if (h.status < 200 || h.status > 299) {
			buf_addf(&problem, "%sHTTP status %d", problem.len ? "; " : "", h.status);
			cap->kind = "other";
		}
	}
	cap->problem = problem.len ? problem.p : NULL;
	cap->source_file = c->path;
	if (store_capture_put(c->s, cap, &is_new, err) < 0)
		return -1;
	c->ncaptures++;
	c->nnew += is_new;
	if (is_new && (c->first_new == 0 || cap->id < c->first_new))
		c->first_new = cap->id;
	if (cap->problem && is_new)
		crawl_warn(c, "%s (captured %s): kept, but %s", cap->url,
			   cap->captured_at ? cap->captured_at : "at an unknown time", cap->problem);
	if (cap->k != NULL && (strcmp(cap->kind, "toc") == 0 || strcmp(cap->kind, "record") == 0))
		touch(c, cap->k, cap->a, strcmp(cap->kind, "toc") == 0);
	if (cap->k != NULL && strcmp(cap->kind, "library") == 0)
		touch(c, cap->k, 0, 0);
	rc = 0;
	if (c->sink->progress && c->ncaptures % PROGRESS_EVERY == 0)
		c->sink->progress(c->sink->ctx, c->ncaptures, c->done_bytes, c->total_bytes);
	return rc;
}

/* WARC-Date as RFC 3339 UTC, seconds only ("2023-05-01T08:00:00.123Z" →
 * "2023-05-01T08:00:00Z"); NULL when it is not a date. */
static const char *
warc_date(const char *d, struct arena *a)
{
	int i;

	if (d == NULL || strlen(d) < 19)
		return NULL;
	for (i = 0; i < 19; i++)
		if (i == 4 || i == 7 ? d[i] != '-' : i == 10 ? d[i] != 'T' : i == 13 || i == 16 ? d[i] != ':'
										   : (d[i] < '0' || d[i] > '9'))
			return NULL;
	return arena_printf(a, "%.19sZ", d);
}

static void
warc_warn(void *ctx, long long off, const char *msg)
{
	struct crawl *c = ctx;

	crawl_warn(c, "at byte %lld: %s", off, msg);
}

static int
read_warc(struct crawl *c, struct fz_err *err)
{
	struct warc_reader *w;
	struct warc_record r;
	struct stat st;
	long nrec = 0;
	int rc;

	if (stat(c->path, &st) == 0)
		c->total_bytes = (size_t)st.st_size;
	if (warc_open(c->path, warc_warn, c, &w, err) < 0)
		return -1;
	while ((rc = warc_next(w, &r, err)) == 1) {
		struct fz_capture cap = { 0 };
		const char *uri = r.target_uri;
		size_t n;
		nrec++;
		c->done_bytes = warc_tell(w);
		if (r.type == NULL || (strcasecmp(r.type, "response") != 0 &&
				       strcasecmp(r.type, "resource") != 0) || uri == NULL)
			continue;
		/* WARC/1.0 writers put the URI in <>; 1.1 does not */
		n = strlen(uri);
		if (n >= 2 && uri[0] == '<' && uri[n - 1] == '>')
			uri = arena_strndup(&c->keep, uri + 1, n - 2);
		cap.url = uri;
		cap.captured_at = warc_date(r.date, &c->keep);
		cap.bytes = r.block;
		cap.len = r.block_len;
		cap.http = strcasecmp(r.type, "response") == 0 &&
			   (r.block_len >= 5 && memcmp(r.block, "HTTP/", 5) == 0);
		cap.source_offset = r.offset;
		if (take(c, &cap, r.problem, err) < 0) {
			warc_close(w);
			return -1;
		}
		arena_reset(&c->keep);
	}
	warc_close(w);
	if (rc < 0)
		return fz_wrap(err, "%s", c->path);
	if (nrec == 0)
		return fz_fail(err, FZ_EINPUT, "%s: no WARC record in it", c->path);
	return 0;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The address wget saved a page under: host directory (unless -nH),
 * path, '?' (or '@' with --restrict-file-names=windows) and the query, and
 * ".html" appended by --adjust-extension.
 */
static const char *
saved_url(const char *rel, struct arena *a)
{
	const char *slash = strchr(rel, '/'), *host = "lib.sdsqw.cn", *path = rel;
	char *p, *base, *q;
	size_t n;

	if (slash != NULL && memchr(rel, '.', (size_t)(slash - rel)) != NULL) {
		host = arena_strndup(a, rel, (size_t)(slash - rel));
		path = slash + 1;
	}
	p = arena_strdup(a, path);
	base = strrchr(p, '/');
	base = base ? base + 1 : p;
	q = strchr(base, '?');
	if (q == NULL && strncasecmp(base, "mse.exe@", 8) == 0)
		*(q = base + 7) = '?';
	n = strlen(base);
	if (q != NULL && n > 5 && strcasecmp(base + n - 5, ".html") == 0)
		base[n - 5] = '\0';
	else if (q != NULL && n > 4 && strcasecmp(base + n - 4, ".htm") == 0)
		base[n - 4] = '\0';
	return arena_printf(a, "http://%s/%s", host, p);
}

static int
read_saved_file(struct crawl *c, const char *full, const char *rel, const struct stat *st,
		struct fz_err *err)
{
	struct fz_capture cap = { 0 };
	struct buf b;
	struct tm tm;
	char when[32];
	FILE *f;
	size_t n;
	char chunk[65536];
	int rc;

	if (st->st_size > SAVED_FILE_MAX) {
		crawl_warn(c, "%s: larger than %ld bytes: not a saved page, skipped", rel, SAVED_FILE_MAX);
		return 0;
	}
	if ((f = fopen(full, "rb")) == NULL)
		return fz_fail(err, FZ_EIO, "%s: %s", full, strerror(errno));
	buf_init(&b, NULL);
	buf_addstr(&b, "");
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(f)) {
		fclose(f);
		buf_free(&b);
		return fz_fail(err, FZ_EIO, "%s: %s", full, strerror(errno));
	}
	fclose(f);
	gmtime_r(&st->st_mtime, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	cap.url = saved_url(rel, &c->keep);
	cap.captured_at = when; /* wget gives a page the time it was fetched (or Last-Modified) */
	cap.bytes = b.p;
	cap.len = b.len;
	c->done_bytes += b.len;
	rc = take(c, &cap, NULL, err);
	buf_free(&b);
	arena_reset(&c->keep);
	return rc;
}

/* Walks a saved directory in name order, so that two imports of the same
 * tree keep the same captures in the same order. */
static int
read_saved_dir(struct crawl *c, const char *dir, const char *rel, int depth, struct fz_err *err)
{
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (depth > 32)
		return 0;
	if ((d = opendir(dir)) == NULL)
		return fz_fail(err, FZ_EIO, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap)
			names = xrealloc(names, (cap = cap ? 2 * cap : 64) * sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_name);
	for (i = 0; i < n && rc == 0; i++) {
		struct buf full, r;
		struct stat st;
		buf_init(&full, NULL);
		buf_init(&r, NULL);
		buf_addf(&full, "%s/%s", dir, names[i]);
		buf_addf(&r, "%s%s%s", rel, *rel ? "/" : "", names[i]);
		if (lstat(full.p, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				rc = read_saved_dir(c, full.p, r.p, depth + 1, err);
			else if (S_ISREG(st.st_mode))
				rc = read_saved_file(c, full.p, r.p, &st, err);
		}
		buf_free(&full);
		buf_free(&r);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int
ingest_crawl(const char *path, const struct ingest_meta *meta,
	     struct ingest_crawl_opts *opts, struct store *s, struct ingest_sink *sink,
	     struct fz_err *err)
{
	struct crawl c;
	struct stat st;
	size_t i;
	int rc;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.meta = meta;
	c.opts = opts;
	c.sink = sink;
	c.path = path;
	arena_init(&c.tmp, 1 << 16);
	arena_init(&c.keep, 1 << 12);
	if (stat(path, &st) != 0)
		rc = fz_fail(err, FZ_ENOTFOUND, "%s: %s", path, strerror(errno));
	else if (S_ISDIR(st.st_mode))
		rc = read_saved_dir(&c, path, "", 0, err);
	else
		rc = read_warc(&c, err);
	if (rc == 0 && c.ncaptures == 0)
		rc = fz_fail(err, FZ_EINPUT, "%s: no captured page in it", path);
	if (rc == 0)
		rc = crawl_rebuild(&c, err);
	if (rc == 0 && opts != NULL)
		opts->new_captures += c.nnew;
	for (i = 0; i < c.ntouched; i++)
		free(c.touched[i].k);
	free(c.touched);
	arena_free(&c.tmp);
	arena_free(&c.keep);
	return rc;
}
