/* page_error.c: 400, 404, 405 and 500 pages in the site's style */
#include <string.h>

#include "web_int.h"

static const char *
heading_for(int status)
{
	switch (status) {
	case 400: return "请求有误";
	case 404: return "找不到这个页面";
	case 405: return "不支持的请求方法";
	default: return "服务器内部错误";
	}
}

/*
 * Renders the error page with its real status. The message is shown to the
 * reader for 4xx (it names what was wrong: the parameter, the id); a 500
 * shows only a generic text, because its details are ours, not theirs.
 */
int
page_error(struct req *r, int status, const char *msg)
{
	struct html main;
	const char *heading = heading_for(status);

	if (status >= 500)
		msg = "处理这个请求时出了问题。问题已记录，请稍后再试。";
	html_init(&main, r->arena);
	struct tmpl_var vars[] = {
		{ "heading", heading, NULL },
		{ "message", msg, NULL },
	};
	tmpl_render(TMPL_ERROR, vars, sizeof(vars) / sizeof(vars[0]), &main);
	r->status = status;
	r->cache = CACHE_NONE;
	r->ctype = NULL;
	r->raw_static = 0;
	layout_page(r, heading, &main);
	return 0;
}

int
page_not_found(struct req *r)
{
	return page_error(r, 404,
			  arena_printf(r->arena, "本站没有 %s 这个地址。它可能拼写有误，或所指的条目不在本档案中。",
				       r->path));
}

int
page_fail(struct req *r, const struct fz_err *err)
{
	switch (err->code) {
	case FZ_EINPUT:
		return page_error(r, 400, err->msg);
	case FZ_ENOTFOUND:
		return page_error(r, 404, err->msg);
	default:
		web_log("%s: %s", r->path, err->msg);
		return page_error(r, 500, err->msg);
	}
}
