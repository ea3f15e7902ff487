/* test_snippet.c: snippets (src/text/snippet.c) */
#include "testlib.h"

#include "text/text.h"

/* Renders a snippet as text with "…" at cuts and [marked] runs. */
static void
render(const struct snippet *s, struct buf *b)
{
	size_t i;

	buf_reset(b);
	if (s->cut_start)
		buf_addstr(b, "…");
	for (i = 0; i < s->nparts; i++) {
		assert_true(s->parts[i].len > 0);
		if (i > 0)
			assert_true(s->parts[i].mark != s->parts[i - 1].mark);
		if (s->parts[i].mark)
			buf_addch(b, '[');
		buf_add(b, s->parts[i].p, s->parts[i].len);
		if (s->parts[i].mark)
			buf_addch(b, ']');
	}
	if (s->cut_end)
		buf_addstr(b, "…");
}

static char *
rep(const char *s, size_t n)
{
	struct buf b;

	buf_init(&b, NULL);
	while (n--)
		buf_addstr(&b, s);
	return buf_detach(&b);
}

/* 4.1.n: text, query, width and the snippet. */
struct scase {
	const char *id;
	const char *text;
	const char *q;
	size_t width;
	const char *want;
};

static void
check(const struct scase *c)
{
	struct arena a;
	struct query q;
	struct fz_err err;
	struct snippet s;
	struct buf b;

	arena_init(&a, 0);
	buf_init(&b, NULL);
	if (text_query_parse(c->q, &a, &q, &err) != 0)
		fail_msg("%s: query \"%s\": %s", c->id, c->q, err.msg);
	text_snippet(c->text, strlen(c->text), &q, c->width, &a, &s);
	render(&s, &b);
	if (strcmp(b.p, c->want) != 0)
		fail_msg("%s: snippet of \"%s\" for \"%s\" is\n  %s\nwant\n  %s", c->id, c->text,
			 c->q, b.p, c->want);
	buf_free(&b);
	arena_free(&a);
}

static void
test_cases(void **state)
{
	char *a30 = rep("甲", 30), *b30 = rep("乙", 30), *a40 = rep("甲", 40), *b40 = rep("乙", 40);
	char *x50 = rep("x", 50);
	struct buf t[8];
	size_t i;

	(void)state;
	for (i = 0; i < 8; i++)
		buf_init(&t[i], NULL);
	buf_addf(&t[0], "%s信访%s", a30, b30);
	buf_addf(&t[1], "信访%s信访工作%s", a40, b40);
	buf_addf(&t[2], "%s信访", a30);
	buf_addf(&t[3], "甲%s甲乙%s", x50, x50);
	buf_addf(&t[4], "%s信\n访%s", a30, b30);
	buf_addf(&t[5], "%s信访%s信访", a30, b30);

	const struct scase cases[] = {
		{"4.1.1", "山东通志卷八", "卷八", 10, "山东通志[卷八]"},
		{"4.1.2", "齊乗巻八", "齐乘", 10, "[齊乗]巻八"}, /* the text's own characters */
		{"4.1.3", t[0].p, "信访", 10, "…甲甲甲甲[信访]乙乙乙乙…"},
		{"4.1.4", "甲乙丙丁戊己庚辛", "无", 5, "甲乙丙丁戊…"},
		{"4.1.5", "信\n访 信访", "信访", 20, "信 访 [信访]"}, /* no match over \n */
		{"4.1.6", "甲\xEF\xBF\xB9注\xEF\xBF\xBB乙", "注", 10, "甲[注]乙"}, /* markers go */
		{"4.1.7", "甲\xEF\xBF\xB9乙\xEF\xBF\xBB", "甲乙", 10, "甲乙"}, /* nor over a note */
		{"4.1.8", "a\n\n\nb", "a", 10, "[a] b"},        /* breaks become one space */
		{"4.1.9", t[1].p, "信访 工作", 10, "…甲甲甲[信访工作]乙乙乙…"}, /* most terms */
		{"4.1.10", "甲乙", "甲 -乙", 10, "[甲]乙"},       /* exclusions are not marked */
		{"4.1.11", "信访信访信访", "信访", 4, "[信访信访]…"},
		{"4.1.12", "信访 工作", "\"信访 工作\"", 20, "[信访 工作]"},
		{"4.1.13", "信访工作", "\"信访 工作\"", 20, "信访工作"},
		{"4.1.14", "xx ABC yy", "abc", 20, "xx [ABC] yy"},
		{"4.1.15", t[2].p, "信访", 10, "…甲甲甲甲甲甲甲甲[信访]"}, /* window at the end */
		{"4.1.16", "一二甲乙丙丁三四", "甲乙丙丁", 2, "…[甲乙丙丁]…"}, /* match > width */
		{"4.1.17", "", "甲", 10, ""},
		{"4.1.18", "㍻元年", "平成", 10, "[㍻]元年"},   /* the whole code point */
		{"4.1.19", t[3].p, "甲 乙", 6, "…xx[甲乙]xx…"},
		{"4.1.20", t[4].p, "信访", 10, "甲甲甲甲甲甲甲甲甲甲…"}, /* \n: no match at all */
		{"4.1.21", t[5].p, "信访", 10, "…甲甲甲甲[信访]乙乙乙乙…"}, /* earliest on a tie */
		{"4.1.22", "abcdefghij", "b OR i", 4, "a[b]cd…"},
		{"4.1.23", "甲 乙", "甲 乙", 1, "[甲]…"},
		{"4.1.24", "卷八 巻八", "卷八", 20, "[卷八] [巻八]"}, /* every match in the window */
		{"4.1.25", "甲乙丙", "甲", 0, "[甲]…"},          /* width 0 counts as 1 */
	};
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check(&cases[i]);
	for (i = 0; i < 8; i++)
		buf_free(&t[i]);
	free(a30);
	free(b30);
	free(a40);
	free(b40);
	free(x50);
}

/* 4.2.1: widths count characters, not bytes, in mixed text. */
static void
test_width(void **state)
{
	const char *text = "a信b访c𠫭d工e作f"; /* 11 characters, 1-4 bytes */
	struct arena a;
	struct query q;
	struct fz_err err;
	struct snippet s;
	size_t w, i, nchar;

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(text_query_parse("zzz", &a, &q, &err), 0);
	for (w = 1; w <= 14; w++) {
		text_snippet(text, strlen(text), &q, w, &a, &s);
		nchar = 0;
		for (i = 0; i < s.nparts; i++)
			nchar += utf8_nchar(s.parts[i].p, s.parts[i].len);
		assert_int_equal(nchar, w < 11 ? w : 11);
		assert_int_equal(s.cut_end, w < 11);
		assert_int_equal(s.cut_start, 0);
	}
	arena_free(&a);
}

/* 4.3.1: a query with no positive term (as a caller may build) gives the
 * start of the text. */
static void
test_no_terms(void **state)
{
	struct query_term t = {"甲", 1, 0};
	struct query q = {&t, 1}, none = {NULL, 0};
	struct arena a;
	struct snippet s;
	struct buf b;

	(void)state;
	arena_init(&a, 0);
	buf_init(&b, NULL);
	text_snippet("甲乙丙", strlen("甲乙丙"), &q, 2, &a, &s);
	render(&s, &b);
	assert_string_equal(b.p, "甲乙…");
	text_snippet("甲乙丙", strlen("甲乙丙"), &none, 5, &a, &s);
	render(&s, &b);
	assert_string_equal(b.p, "甲乙丙");
	buf_free(&b);
	arena_free(&a);
}

/* 4.4.1: a whole juan: a term near the end is found, and the passage is
 * cut at character boundaries. */
static void
test_corpus(void **state)
{
	char path[1024];
	struct arena a;
	struct query q;
	struct fz_err err;
	struct snippet s;
	struct buf b;
	size_t len, i;
	FILE *f;
	char *text;

	(void)state;
	snprintf(path, sizeof(path), "%s/corpus/kanripo/KR2k0048/KR2k0048_010.txt",
		 test_shared());
	f = fopen(path, "rb");
	if (f == NULL)
		skip();
	text = malloc(1 << 22);
	len = fread(text, 1, (1 << 22) - 1, f);
	fclose(f);
	text[len] = '\0';
	arena_init(&a, 0);
	buf_init(&b, NULL);
	assert_int_equal(text_query_parse("卷八 山东通志", &a, &q, &err), 0);
	text_snippet(text, len, &q, 60, &a, &s);
	render(&s, &b);
	assert_true(utf8_valid(b.p, b.len, NULL));
	assert_true(s.nparts >= 2);
	for (i = 0; i < s.nparts; i++)
		assert_true(utf8_valid(s.parts[i].p, s.parts[i].len, NULL));
	buf_free(&b);
	arena_free(&a);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_no_terms),
		cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
