/* page_api.c: /api/search and /api/entry/{id}: the same JSON as `fangzhi search|show --json` */
#include <stdlib.h>
#include <string.h>

#include "web_int.h"

#define API_HITS 20 /* as `fangzhi search` without --limit */

/*
 * JSON bodies are not HTML: they go into r->body as bytes, served as
 * application/json with nosniff. This is the one place bytes reach a
 * reply without html.c, and they come from jansson (store/json.c) or the
 * escaper below.
 */
static void
json_reply(struct req *r, char *json /* heap, freed here */)
{
	html_init(&r->body, r->arena);
	buf_addstr(&r->body.b, json);
	free(json);
	r->ctype = "application/json; charset=utf-8";
}

static int
json_error(struct req *r, int status, const char *msg)
{
	struct buf b;
	const unsigned char *p;

	buf_init(&b, NULL);
	buf_addf(&b, "{\n  \"status\": %d,\n  \"error\": \"", status);
	for (p = (const unsigned char *)msg; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_addf(&b, "\\%c", *p);
		else if (*p < 0x20)
			buf_addf(&b, "\\u%04x", *p);
		else
			buf_addch(&b, (char)*p);
	}
	buf_addstr(&b, "\"\n}");
	json_reply(r, buf_detach(&b));
	r->status = status;
	r->cache = CACHE_NONE;
	if (status >= 500)
		web_log("%s: %s", r->path, msg);
	return 0;
}

static int
json_fail(struct req *r, const struct fz_err *err)
{
	switch (err->code) {
	case FZ_EINPUT: return json_error(r, 400, err->msg);
	case FZ_ENOTFOUND: return json_error(r, 404, err->msg);
	default: return json_error(r, 500, err->msg);
	}
}

/* /api/search: store_search_json for the same options `fangzhi search`
 * uses (twenty hits; page=N skips 20×(N-1)), so both agree byte for byte. */
int
page_api_search(struct req *r)
{
	const struct param_val *p = r->param;
	struct search_opts o;
	struct search_result res;
	struct fz_err err;
	long page = p[PARAM_PAGE].set ? p[PARAM_PAGE].n : 1;

	if (!p[PARAM_Q].set)
		return json_error(r, 400, "参数 q（检索词）缺失");
	memset(&o, 0, sizeof(o));
	o.query = p[PARAM_Q].s;
	o.book = p[PARAM_BOOK].set ? p[PARAM_BOOK].s : NULL;
	o.kind = p[PARAM_KIND].set ? p[PARAM_KIND].s : NULL;
	o.region = p[PARAM_REGION].set ? p[PARAM_REGION].s : NULL;
	o.year_from = p[PARAM_YEAR].set ? (int)p[PARAM_YEAR].n : 0;
	o.year_to = p[PARAM_YEAR].set ? (int)p[PARAM_YEAR].n2 : 0;
	o.limit = API_HITS;
	o.offset = (page - 1) * API_HITS;
	if (store_search(r->store, &o, r->arena, &res, &err) < 0)
		return json_fail(r, &err);
	json_reply(r, store_search_json(&o, &res));
	r->status = 200;
	r->cache = CACHE_NONE;
	return 0;
}

/* /api/entry/{id}[?v=N]: store_entry_json, as `fangzhi show --json`. */
int
page_api_entry(struct req *r)
{
	struct fz_entry e;
	struct fz_err err;
	int v = r->param[PARAM_V].set ? (int)r->param[PARAM_V].n : 0;

	memset(&e, 0, sizeof(e));
	if (store_entry_get(r->store, r->tail, v, r->arena, &e, &err) < 0)
		return json_fail(r, &err);
	json_reply(r, store_entry_json(&e));
	r->status = 200;
	r->cache = v ? CACHE_VERSION : CACHE_SHORT;
	r->mtime = layout_parse_time(e.imported_at);
	return 0;
}
