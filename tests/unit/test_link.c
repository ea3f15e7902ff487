/* test_link.c: files of a static copy and relative links (src/web/link.c) */
#include "testlib.h"

#include "web/web_int.h"

/* 1.1.n: link_file, the file each site URL's page has in a static copy. */
static const struct {
	const char *id, *url, *want; /* want NULL: the copy has no such page */
} files[] = {
	{ "1.1.1", "/", "index.html" },
	{ "1.1.2", "/about", "about.html" },
	{ "1.1.3", "/browse", "browse.html" },
	{ "1.1.4", "/browse?kind=%E5%B9%B4%E9%89%B4", "browse@kind=年鉴.html" },
	{ "1.1.5", "/browse?region=370900&kind=%E5%BF%97&page=2", "browse@kind=志@region=370900@page=2.html" },
	{ "1.1.6", "/book/KR2k0048", "book/KR2k0048.html" },
	{ "1.1.7", "/book/ch9-1?ch=12&page=3", "book/ch9-1@ch=12@page=3.html" },
	{ "1.1.8", "/entry/taian-nianjian-2018/xinfang-gongzuo", "entry/taian-nianjian-2018/xinfang-gongzuo.html" },
	{ "1.1.9", "/entry/ch9-3/3?v=1", "entry/ch9-3/3@v=1.html" },
	{ "1.1.10", "/entry/a/./b", "entry/a/@./b.html" },    /* "." would fold into a/b */
	{ "1.1.11", "/entry/x.html", "entry/x.html.html" },
	{ "1.1.12", "/static/style.css?v=aa15a6b3", "static/style.css" },
	{ "1.1.13", "/browse?kind=a%2Fb%40c~d", "browse@kind=a~2Fb~40c~7Ed.html" }, /* '/', '@', '~' */
	{ "1.1.14", "/browse?kind=a+b", "browse@kind=a~20b.html" },
	{ "1.1.15", "/entry/a#p010-2a", "entry/a.html" },
	{ "1.1.16", "/search?q=x", NULL },
	{ "1.1.17", "/search", NULL },
	{ "1.1.18", "/original/a/b", NULL },
	{ "1.1.19", "/capture/3", NULL },
	{ "1.1.20", "/resolve", NULL },
	{ "1.1.21", "/api/entry/a", NULL },
	{ "1.1.22", "/browse?q=1", NULL },        /* a key the page does not read */
	{ "1.1.23", "/entry/a/../b", NULL },      /* not an id */
	{ "1.1.24", "/book/a/b", NULL },          /* book ids have no '/' */
	{ "1.1.25", "/static/../x", NULL },
	{ "1.1.26", "/static/", NULL },
	{ "1.1.27", "/entry/a@b", NULL },         /* no id holds '@' */
	{ "1.1.28", "/book/x?ch=", "book/x.html" }, /* empty values are absent */
};

static void
test_file(void **state)
{
	struct arena a;
	size_t i;

	(void)state;
	arena_init(&a, 0);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		const char *got = link_file(&a, files[i].url);
		if (files[i].want == NULL ? got != NULL : got == NULL || strcmp(got, files[i].want) != 0)
			fail_msg("%s: link_file(\"%s\") = \"%s\", want \"%s\"", files[i].id, files[i].url,
				 got ? got : "(none)", files[i].want ? files[i].want : "(none)");
	}
	arena_free(&a);
}

/* 1.2.n: link_href from a page of a static copy (self), and as served. */
static const struct {
	const char *id, *self, *url, *want;
} hrefs[] = {
	{ "1.2.1", NULL, "/book/x?ch=2", "/book/x?ch=2" }, /* served: as it is */
	{ "1.2.2", "index.html", "/book/x", "book/x.html" },
	{ "1.2.3", "entry/a/b.html", "/book/x", "../../book/x.html" },
	{ "1.2.4", "book/x.html", "/browse?kind=%E5%B9%B4%E9%89%B4",
	  "../browse@kind=%E5%B9%B4%E9%89%B4.html" },
	{ "1.2.5", "entry/a/b.html", "/entry/a/b#p010-2a", "../../entry/a/b.html#p010-2a" },
	{ "1.2.6", "entry/a/b.html", "#p010-2a", "#p010-2a" },
	{ "1.2.7", "index.html", "http://lib.sdsqw.cn/", "http://lib.sdsqw.cn/" },
	{ "1.2.8", "index.html", "/search", NULL },
	{ "1.2.9", "browse.html", "/static/style.css?v=1", "static/style.css" },
	{ "1.2.10", "index.html", "/entry/a b", NULL },
};

static void
test_href(void **state)
{
	struct arena a;
	size_t i;

	(void)state;
	arena_init(&a, 0);
	for (i = 0; i < sizeof(hrefs) / sizeof(hrefs[0]); i++) {
		const char *got;

		link_scope(hrefs[i].self);
		got = link_href(&a, hrefs[i].url);
		link_scope(NULL);
		if (hrefs[i].want == NULL ? got != NULL : got == NULL || strcmp(got, hrefs[i].want) != 0)
			fail_msg("%s: from %s, link_href(\"%s\") = \"%s\", want \"%s\"", hrefs[i].id,
				 hrefs[i].self ? hrefs[i].self : "(served)", hrefs[i].url,
				 got ? got : "(none)", hrefs[i].want ? hrefs[i].want : "(none)");
	}
	arena_free(&a);
}

/* 1.3.1: no two site URLs share a file (a sample of the shapes above). */
static void
test_injective(void **state)
{
	static const char *const urls[] = {
		"/entry/a", "/entry/a?v=1", "/entry/a/v", "/entry/a.v", "/entry/a.html", "/entry/a/b",
		"/entry/a/./b", "/book/a", "/book/a?ch=1", "/book/a?page=1", "/book/a?ch=1&page=2",
		"/browse?kind=a", "/browse?region=370000", "/browse?kind=a~40", "/browse?kind=a%40",
	};
	struct arena a;
	const char *f[sizeof(urls) / sizeof(urls[0])];
	size_t i, k, n = sizeof(urls) / sizeof(urls[0]);

	(void)state;
	arena_init(&a, 0);
	for (i = 0; i < n; i++)
		assert_non_null(f[i] = link_file(&a, urls[i]));
	for (i = 0; i < n; i++)
		for (k = i + 1; k < n; k++)
			if (strcmp(f[i], f[k]) == 0)
				fail_msg("1.3.1: %s and %s share %s", urls[i], urls[k], f[i]);
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_href),
		cmocka_unit_test(test_injective),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
