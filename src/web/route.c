/* route.c: the static route table (cgit's cmd.c, kcgi's disps[]) */
#include <string.h>

#include "web_int.h"

#define SEARCH_PARAMS                                                                         \
	(PBIT(PARAM_Q) | PBIT(PARAM_BOOK) | PBIT(PARAM_KIND) | PBIT(PARAM_REGION) |           \
	 PBIT(PARAM_YEAR) | PBIT(PARAM_PAGE))

/* Exact paths first, then prefixes; the first match wins. */
static const struct route routes[] = {
	{ "/", page_home, R_CACHE | R_STORE, 0 },
	{ "/browse", page_browse, R_CACHE | R_STORE,
	  PBIT(PARAM_KIND) | PBIT(PARAM_REGION) | PBIT(PARAM_PAGE) },
	{ "/search", page_search, R_STORE, SEARCH_PARAMS },
	{ "/about", page_about, R_CACHE | R_STORE, 0 },
	{ "/api/search", page_api_search, R_STORE, SEARCH_PARAMS },
	{ "/book/", page_book, R_PREFIX | R_WANT_BOOK | R_CACHE | R_STORE,
	  PBIT(PARAM_CH) | PBIT(PARAM_PAGE) },
	{ "/entry/", page_entry, R_PREFIX | R_WANT_ID | R_CACHE | R_STORE, PBIT(PARAM_V) },
	{ "/api/entry/", page_api_entry, R_PREFIX | R_WANT_ID | R_CACHE | R_STORE, PBIT(PARAM_V) },
	{ "/resolve", page_resolve, R_STORE, 0 },
	{ "/bin/", page_legacy, R_PREFIX | R_STORE, 0 },
	{ "/ftr/", page_legacy, R_PREFIX | R_STORE, 0 },
	{ "/original/", page_original, R_PREFIX | R_WANT_ID | R_CACHE | R_STORE, 0 },
	{ "/capture/", page_capture, R_PREFIX | R_STORE, 0 },
	{ "/static/", page_static, R_PREFIX | R_CACHE, 0 },
};

/*
 * Finds the page for a decoded path. Prefix routes hand the rest of the
 * path to the page as *tail, already checked against the id rules when the
 * route wants an id; a path that fits no route, or an id that cannot
 * exist, gets no route (and so a 404) before anything is looked up.
 */
const struct route *
route_find(const char *path, const char **tail)
{
	size_t i;

	*tail = NULL;
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const struct route *rt = &routes[i];
		size_t plen = strlen(rt->path);

		if (!(rt->flags & R_PREFIX)) {
			if (strcmp(path, rt->path) == 0)
				return rt;
			continue;
		}
		if (strncmp(path, rt->path, plen) != 0)
			continue;
		*tail = path + plen;
		if ((rt->flags & R_WANT_ID) && !req_valid_id(*tail, 1))
			return NULL;
		if ((rt->flags & R_WANT_BOOK) && !req_valid_id(*tail, 0))
			return NULL;
		return rt;
	}
	return NULL;
}
