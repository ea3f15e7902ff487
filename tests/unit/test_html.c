/* test_html.c: escaping and URL encoding (src/web/html.c), and templates built on them */
#include "testlib.h"

#include "web/web_int.h"

static const char *
text(struct arena *a, const char *s, size_t len)
{
	struct html h;

	html_init(&h, a);
	html_textn(&h, s, len);
	return h.b.p;
}

/* 1.1.n: html_text, byte for byte. */
static const struct {
	const char *id, *in;
	size_t len; /* 0: strlen */
	const char *want;
} texts[] = {
	{ "1.1.1", "<script>alert(1)</script>", 0, "&lt;script&gt;alert(1)&lt;/script&gt;" },
	{ "1.1.2", "a & b", 0, "a &amp; b" },
	{ "1.1.3", "\"quoted\" 'single'", 0, "&quot;quoted&quot; &#39;single&#39;" },
	{ "1.1.4", "&amp;", 0, "&amp;amp;" }, /* already escaped text is text */
	{ "1.1.5", "信访工作", 0, "信访工作" },
	{ "1.1.6", "【概况】 年内,全市", 0, "【概况】 年内,全市" },
	{ "1.1.7", "", 0, "" },
	{ "1.1.8", "a\tb\nc", 0, "a\tb\nc" },                  /* tab and newline stay */
	{ "1.1.9", "a\x01" "b\x7f" "c", 0, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c" }, /* controls */
	{ "1.1.10", "a\0b", 3, "a\xEF\xBF\xBD" "b" },            /* NUL inside a length */
	{ "1.1.11", "\r", 0, "\xEF\xBF\xBD" },
	{ "1.1.12", "<<>>", 0, "&lt;&lt;&gt;&gt;" },
	{ "1.1.13", "x\" onmouseover=\"alert(1)", 0, "x&quot; onmouseover=&quot;alert(1)" },
	{ "1.1.14", "&KR1830;", 0, "&amp;KR1830;" },
	{ "1.1.15", "\xF0\xA0\xAB\xAD", 0, "\xF0\xA0\xAB\xAD" }, /* 4-byte UTF-8 untouched */
};

static void
test_text(void **state)
{
	struct arena a;
	size_t i;

	(void)state;
	arena_init(&a, 0);
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		size_t len = texts[i].len ? texts[i].len : strlen(texts[i].in);
		const char *got = text(&a, texts[i].in, len);
		if (strcmp(got, texts[i].want) != 0)
			fail_msg("%s: html_text(\"%s\") = \"%s\", want \"%s\"", texts[i].id, texts[i].in,
				 got, texts[i].want);
	}
	arena_free(&a);
}

/* 1.2.n: URL encoding for paths (keeps '/') and query values. */
static const struct {
	const char *id, *in, *path, *arg;
} urls[] = {
	{ "1.2.1", "KR2k0048/010-1a", "KR2k0048/010-1a", "KR2k0048%2F010-1a" },
	{ "1.2.2", "旧志", "%E6%97%A7%E5%BF%97", "%E6%97%A7%E5%BF%97" },
	{ "1.2.3", "a b&c=d?e#f", "a%20b%26c%3Dd%3Fe%23f", "a%20b%26c%3Dd%3Fe%23f" },
	{ "1.2.4", "\"<'>", "%22%3C%27%3E", "%22%3C%27%3E" },
	{ "1.2.5", "A-Z_a.z~0", "A-Z_a.z~0", "A-Z_a.z~0" },
	{ "1.2.6", "", "", "" },
	{ "1.2.7", "%", "%25", "%25" },
};

static void
test_url(void **state)
{
	struct arena a;
	struct html p, q;
	size_t i;

	(void)state;
	arena_init(&a, 0);
	for (i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		html_init(&p, &a);
		html_init(&q, &a);
		html_url_path(&p, urls[i].in);
		html_url_arg(&q, urls[i].in);
		if (strcmp(p.b.p, urls[i].path) != 0)
			fail_msg("%s: html_url_path(\"%s\") = \"%s\"", urls[i].id, urls[i].in, p.b.p);
		if (strcmp(q.b.p, urls[i].arg) != 0)
			fail_msg("%s: html_url_arg(\"%s\") = \"%s\"", urls[i].id, urls[i].in, q.b.p);
	}
	arena_free(&a);
}

/* 1.3.n: literals, numbers, fragments and NULL. */
static void
test_building(void **state)
{
	struct arena a;
	struct html h, frag;

	(void)state;
	arena_init(&a, 0);
	html_init(&h, &a);
	html_init(&frag, &a);
	HTML_LIT(&frag, "<em>");
	html_text(&frag, "<x>");
	HTML_LIT(&frag, "</em>");
	HTML_LIT(&h, "<p>");
	html_long(&h, -42);
	html_text(&h, NULL); /* 1.3.1: NULL writes nothing */
	html_frag(&h, &frag);
	HTML_LIT(&h, "</p>");
	assert_string_equal(h.b.p, "<p>-42<em>&lt;x&gt;</em></p>"); /* 1.3.2 */
	assert_int_equal(h.b.len, strlen(h.b.p));                     /* 1.3.3 */
	arena_free(&a);
}

/* 1.4.n: templates escape {{text}} and insert {{>fragments}} as built. */
static void
test_template(void **state)
{
	struct fz_err err;
	struct arena a;
	struct html main, out;

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(tmpl_load_all(&err), 0); /* 1.4.1: every template parses */
	html_init(&main, &a);
	html_init(&out, &a);
	HTML_LIT(&main, "<p>body</p>");
	struct tmpl_var vars[] = {
		{ "heading", "<script>alert(1)</script>", NULL },
		{ "message", "a \"b\" & c", NULL },
	};
	tmpl_render(TMPL_ERROR, vars, 2, &out);
	assert_non_null(strstr(out.b.p, "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>")); /* 1.4.2 */
	assert_non_null(strstr(out.b.p, "a &quot;b&quot; &amp; c"));                     /* 1.4.3 */
	assert_null(strstr(out.b.p, "<script"));                                          /* 1.4.4 */
	assert_null(strstr(out.b.p, "{{"));                                               /* 1.4.5 */
	tmpl_free_all();
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_building),
		cmocka_unit_test(test_template),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
