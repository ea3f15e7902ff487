/* page_static.c: /static/NAME from the table embedded at build time */
#include <string.h>

#include "web_int.h"

static const struct {
	const char *suffix;
	const char *ctype;
} types[] = {
	{ ".css", "text/css; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".ico", "image/x-icon" },
	{ ".png", "image/png" },
};

/*
 * Only names in the embedded table exist: the request path never reaches
 * the file system, so "..", symlinks and the like mean nothing here. Files
 * are served with a year's lifetime; pages link them with ?v=<digest>, so
 * a changed file gets a new URL.
 */
int
page_static(struct req *r)
{
	const struct embedded_file *f;
	const char *name = r->tail;
	size_t i, nlen = strlen(name);

	if (strchr(name, '/') != NULL || nlen == 0 || nlen > 100)
		return page_not_found(r);
	f = embedded_find(arena_printf(r->arena, "static/%s", name));
	if (f == NULL)
		return page_not_found(r);
	r->ctype = "application/octet-stream";
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t slen = strlen(types[i].suffix);
		if (nlen > slen && strcmp(name + nlen - slen, types[i].suffix) == 0)
			r->ctype = types[i].ctype;
	}
	r->raw_static = 1;
	r->raw = f->data;
	r->rawlen = f->len;
	r->cache = CACHE_STATIC;
	r->mtime = -1;
	r->status = 200;
	return 0;
}
