/* export_html.c: a static copy of the whole site, pages as files with relative links */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export.h"

/* One copy being written. */
struct copy {
	struct web_site *site;
	const char *dir;      /* DIR.part while being written */
	struct arena a;       /* one page's, reset after it */
	struct buf path;      /* the file being written */
	struct buf made;      /* the last directory known to exist */
	struct meter m;
	struct export_stats *st;
	long counted;         /* pages before the entries (the first pass) */
};

/* Makes every directory of path up to its last '/', once per directory
 * run (pages come grouped by directory). */
static int
mkparents(struct copy *c, const char *path, struct fz_err *err)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) : 0, i;

	if (dlen == 0 || (c->made.len == dlen && memcmp(c->made.p, path, dlen) == 0))
		return 0;
	buf_reset(&c->made);
	buf_add(&c->made, path, dlen);
	for (i = strlen(c->dir) + 1; i <= dlen; i++) {
		if (i < dlen && path[i] != '/')
			continue;
		c->made.p[i] = '\0';
		if (mkdir(c->made.p, 0755) != 0 && errno != EEXIST) {
			fz_fail(err, FZ_EIO, "%s: %s", c->made.p, strerror(errno));
			buf_reset(&c->made);
			return -1;
		}
		c->made.p[i] = i < dlen ? '/' : '\0';
	}
	return 0;
}

int
export_write_file(const char *path, const void *p, size_t n, struct fz_err *err)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		return fz_fail(err, FZ_EIO, "%s: %s", path, strerror(errno));
	if (fwrite(p, 1, n, f) != n) {
		fz_fail(err, FZ_EIO, "%s: %s", path, strerror(errno));
		fclose(f);
		return -1;
	}
	if (fclose(f) != 0)
		return fz_fail(err, FZ_EIO, "%s: %s", path, strerror(errno));
	return 0;
}

static int
count(void *ctx, const char *path, struct fz_err *err)
{
	(void)path;
	(void)err;
	((struct copy *)ctx)->counted++;
	return 0;
}

/* One page: rendered with links relative to its own file, written there. */
static int
page(void *ctx, const char *url, struct fz_err *err)
{
	struct copy *c = ctx;
	struct web_page pg;
	const char *file = web_file_name(&c->a, url);
	int rc = -1;

	if (file == NULL) {
		rc = fz_fail(err, FZ_EINTERNAL, "%s: no file for this page", url);
		goto out;
	}
	if (web_render(c->site, url, WEB_RENDER_RELATIVE, &c->a, &pg, err) < 0)
		goto out;
	if (pg.status != 200) {
		rc = fz_fail(err, FZ_ESTORE, "%s: the site answers %d (run fangzhi verify)", url,
			     pg.status);
		goto out;
	}
	buf_reset(&c->path);
	buf_addf(&c->path, "%s/%s", c->dir, file);
	if (mkparents(c, c->path.p, err) < 0 ||
	    export_write_file(c->path.p, pg.body.p, pg.body.len, err) < 0)
		goto out;
	c->st->records++;
	c->st->entries += strncmp(url, "/entry/", 7) == 0 && strchr(url, '?') == NULL;
	c->st->bytes += (long long)pg.body.len;
	meter_tick(&c->m, c->st->records, c->st->bytes);
	rc = 0;
out:
	arena_reset(&c->a);
	return rc;
}

/*
 * Writes every page of the site (web_site_paths) into dir, which must not
 * exist yet, through dir.part renamed when whole: index.html, about.html,
 * browse*.html, book/, entry/, static/. Links are relative, so the copy
 * opens from disk and from any web server's directory; it has no search
 * (its pages say so). extra, when given, is called with the .part
 * directory before the rename (the ZIM export adds its illustration).
 */
int
export_html_to(struct web_site *site, const char *dir, const struct export_opts *o,
	       int (*extra)(void *ctx, const char *partdir, struct fz_err *err), void *ctx,
	       struct export_stats *st, struct fz_err *err)
{
	struct copy c;
	struct fz_stats fs;
	struct stat sb;
	struct buf part;
	int rc = -1;

	memset(st, 0, sizeof(*st));
	if (stat(dir, &sb) == 0)
		return fz_fail(err, FZ_EINPUT, "%s already exists: give a new directory", dir);
	memset(&c, 0, sizeof(c));
	buf_init(&part, NULL);
	buf_addf(&part, "%s.part", dir);
	if (stat(part.p, &sb) == 0) {
		fz_fail(err, FZ_EINPUT, "%s is there from an export that did not finish: remove it",
			part.p);
		buf_free(&part);
		return -1;
	}
	if (mkdir(part.p, 0755) != 0) {
		fz_fail(err, FZ_EIO, "%s: %s", part.p, strerror(errno));
		buf_free(&part);
		return -1;
	}
	c.site = site;
	c.dir = part.p;
	c.st = st;
	arena_init(&c.a, 0);
	buf_init(&c.path, NULL);
	buf_init(&c.made, NULL);
	if (store_stats(web_site_store(site), &fs, err) < 0 ||
	    store_fingerprint(web_site_store(site), st->fingerprint, NULL, err) < 0)
		goto out;
	/* pages other than entries are counted first (cheap: titles only); each
	 * version of each entry is one page */
	if (web_site_paths(site, WEB_PATHS_PAGES, count, &c, err) < 0)
		goto out;
	meter_start(&c.m, o->label ? o->label : "export html", o->progress,
		    c.counted + fs.versions);
	if (web_site_paths(site, WEB_PATHS_PAGES | WEB_PATHS_ENTRIES, page, &c, err) < 0)
		goto out;
	meter_end(&c.m);
	if (extra != NULL && extra(ctx, part.p, err) < 0)
		goto out;
	if (rename(part.p, dir) != 0) {
		fz_fail(err, FZ_EIO, "%s: %s", dir, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (rc < 0) {
		meter_end(&c.m);
		export_remove_tree(part.p);
	}
	arena_free(&c.a);
	buf_free(&c.path);
	buf_free(&c.made);
	buf_free(&part);
	return rc;
}

int
export_html(struct web_site *site, const char *dir, const struct export_opts *o,
	    struct export_stats *st, struct fz_err *err)
{
	return export_html_to(site, dir, o, NULL, NULL, st, err);
}
