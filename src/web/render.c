/* render.c: pages rendered without a connection (exports), through the server's routes and pages */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "web_int.h"

/* A site without a server: what `fangzhi serve` holds, for one thread. */
struct web_site {
	struct web web;     /* site identity, counts, stylesheet URL */
	struct arena arena; /* strings of web */
	struct store *store; /* read-only */
	char *dir;
};

/*
 * The archive's last change, for Last-Modified: the latest of the books'
 * arrival times and of the archive's files' modification times (a new
 * version of an entry adds no book, but it writes the database). The
 * shared-memory index is left out: readers touch it.
 */
static time_t
archive_mtime(struct store *s, const char *dir)
{
	struct arena a;
	struct fz_book *books = NULL;
	size_t n = 0, i;
	time_t best = 0;
	DIR *d;

	arena_init(&a, 0);
	if (store_books(s, NULL, NULL, &a, &books, &n, NULL) == 0)
		for (i = 0; i < n; i++) {
			time_t t = layout_parse_time(books[i].added_at);
			if (t > best)
				best = t;
		}
	arena_free(&a);
	if ((d = opendir(dir)) != NULL) {
		struct dirent *de;
		struct stat st;

		while ((de = readdir(d)) != NULL) {
			size_t len = strlen(de->d_name);
			if (de->d_name[0] == '.' || (len > 4 && strcmp(de->d_name + len - 4, "-shm") == 0))
				continue;
			if (fstatat(dirfd(d), de->d_name, &st, 0) == 0 && S_ISREG(st.st_mode) &&
			    st.st_mtime > best)
				best = st.st_mtime;
		}
		closedir(d);
	}
	return best ? best : time(NULL);
}

/*
 * What every page reads of the process-wide state, from the archive: the
 * stylesheet's URL (versioned by its digest, so it can be cached for a
 * year), the counts shown on / and /about, and the last change. Used by
 * `fangzhi serve` and by web_site_open alike.
 */
int
web_state_init(struct web *w, struct arena *a, const char *dir, struct store *s,
	       struct fz_err *err)
{
	const struct embedded_file *css = embedded_find("static/style.css");

	if (css == NULL)
		return fz_fail(err, FZ_EINTERNAL, "static/style.css is not embedded");
	w->css_href = arena_printf(a, "/static/style.css?v=%08llx",
				   (unsigned long long)(reply_hash(css->data, css->len) &
							0xffffffffULL));
	if (store_stats(s, &w->stats, err) < 0)
		return -1;
	w->archive_mtime = archive_mtime(s, dir);
	return 0;
}

/*
 * Opens the archive read-only with the site's identity (site_file, or the
 * reference one when NULL) and the templates, as `fangzhi serve` does, but
 * binds nothing. One thread at a time may render with it. Free with
 * web_site_close.
 */
int
web_site_open(const char *archive, const char *site_file, struct web_site **out,
	      struct fz_err *err)
{
	struct web_site *w = xcalloc(1, sizeof(*w));

	*out = NULL;
	arena_init(&w->arena, 0);
	w->dir = xstrdup(archive);
	if (site_load(site_file, &w->web.site, err) < 0) {
		fz_wrap(err, "--site");
		goto fail;
	}
	if (tmpl_load_all(err) < 0)
		goto fail;
	if (store_open(archive, STORE_READONLY, &w->store, err) < 0) {
		fz_wrap(err, "%s", archive);
		goto fail;
	}
	if (web_state_init(&w->web, &w->arena, archive, w->store, err) < 0)
		goto fail;
	*out = w;
	return 0;
fail:
	web_site_close(w);
	return -1;
}

void
web_site_close(struct web_site *w)
{
	if (w == NULL)
		return;
	if (w->store != NULL)
		store_close(w->store);
	tmpl_free_all();
	site_free(&w->web.site);
	arena_free(&w->arena);
	free(w->dir);
	free(w);
}

struct store *
web_site_store(struct web_site *w)
{
	return w->store;
}

void
web_site_identity(const struct web_site *w, struct web_identity *out)
{
	out->name = w->web.site.name;
	out->brand = w->web.site.brand;
	out->description = w->web.site.description;
	out->base_url = w->web.site.base_url;
	out->fingerprint = w->web.stats.fingerprint;
}

const char *
web_file_name(struct arena *a, const char *url)
{
	return link_file(a, url);
}

/*
 * GET path_and_query as the server would answer it: the same route table,
 * parameter checks, pages and templates (a bad path is the 404 page, a bad
 * parameter the 400 page, as served). With WEB_RENDER_RELATIVE the page's
 * links are written relative to its own file in a static copy
 * (link_href). Everything lives in arena a; out->body is the bytes a
 * client would get (not compressed). -1 only when the page could not be
 * made at all (a 500: err says why); a 404 or 400 is a page, returned 0.
 */
int
web_render(struct web_site *w, const char *path_and_query, int flags, struct arena *a,
	   struct web_page *out, struct fz_err *err)
{
	struct req r;
	struct reply_ent ent;
	const struct route *rt;
	const char *tail = NULL, *q = strchr(path_and_query, '?');
	const char *path = q ? arena_strndup(a, path_and_query, (size_t)(q - path_and_query))
			     : path_and_query;
	const char *f[REPLY_FIELDS_MAX][2];
	struct fz_err perr;
	size_t n, i;

	memset(&r, 0, sizeof(r));
	memset(out, 0, sizeof(*out));
	fz_err_clear(&perr);
	r.arena = a;
	r.web = &w->web;
	r.site = &w->web.site;
	r.path = path;
	r.raw_query = q ? q + 1 : "";
	r.cache = CACHE_SHORT;
	html_init(&r.body, a);
	if (flags & WEB_RENDER_RELATIVE) {
		const char *self = link_file(a, path_and_query);
		if (self == NULL)
			return fz_fail(err, FZ_EINPUT, "%s: a static copy has no such page",
				       path_and_query);
		link_scope(self);
	}
	if (path[0] != '/' || !utf8_valid(path, strlen(path), NULL) ||
	    (rt = route_find(path, &tail)) == NULL) {
		page_not_found(&r);
	} else {
		r.tail = tail;
		if (req_params_query(&r, r.raw_query, rt->params, &perr) < 0)
			page_error(&r, 400, perr.msg);
		else {
			if (rt->flags & R_STORE)
				r.store = w->store;
			rt->page(&r);
		}
	}
	link_scope(NULL);
	if (r.status >= 500)
		return fz_fail(err, FZ_EINTERNAL, "%s: the page could not be made (see above)",
			       path_and_query);
	reply_meta(&r, &ent);
	out->status = ent.status;
	out->reason = MHD_get_reason_phrase_for((unsigned)ent.status);
	out->ctype = r.ctype ? r.ctype : "text/html; charset=utf-8";
	out->mtime = ent.mtime;
	buf_init(&out->body, a);
	if (r.raw_static)
		buf_add(&out->body, r.raw, r.rawlen);
	else
		buf_add(&out->body, r.body.b.p, r.body.b.len);
	n = reply_fields(&r, &ent, 0, f);
	out->fields = arena_alloc(a, (n ? n : 1) * sizeof(*out->fields));
	for (i = 0; i < n; i++) { /* some live in ent, on this stack */
		out->fields[i][0] = arena_strdup(a, f[i][0]);
		out->fields[i][1] = arena_strdup(a, f[i][1]);
	}
	out->nfields = n;
	return 0;
}

void
web_http_date(time_t t, char out[40])
{
	reply_http_date(t, out);
}
