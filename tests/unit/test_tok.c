/* test_tok.c: the tokenizer (src/text/tok.c) */
#include "testlib.h"

#include "text/text.h"

/* Renders tokens as "tok start end|...", a boundary as "#". */
static int
collect(void *ctx, const char *tok, size_t toklen, size_t start, size_t end)
{
	struct buf *b = ctx;

	assert_true(start < end);
	if (b->len)
		buf_addch(b, '|');
	if (toklen == 1 && tok[0] == TEXT_TOK_BOUNDARY[0])
		buf_addch(b, '#');
	else
		buf_add(b, tok, toklen);
	buf_addf(b, " %zu %zu", start, end);
	return 0;
}

static const struct {
	const char *id, *in, *want;
} cases[] = {
	{"2.1.1", "", ""},
	{"2.1.2", "a", "a 0 1"},
	{"2.1.3", "A\xC3\xA9信\xF0\xA0\x80\x80", /* 1, 2, 3 and 4 bytes */
	 "a 0 1|\xC3\xA9 1 3|信 3 6|\xF0\xA0\x80\x80 6 10"},
	{"2.1.4", "巻八", "卷 0 3|八 3 6"},
	{"2.1.5", "a  \t b", "a 0 1|  1 5|b 5 6"}, /* a run of white space is one token */
	{"2.1.6", "甲\xE3\x80\x80\xE3\x80\x80乙", "甲 0 3|  3 9|乙 9 12"},
	{"2.1.7", "a\nb", "a 0 1|# 1 2|b 2 3"},
	{"2.1.8", "a \n b", "a 0 1|  1 2|# 2 3|  3 4|b 4 5"},
	{"2.1.9", "\n\n", "# 0 1|# 1 2"},
	{"2.1.10", "甲\xEF\xBF\xB9注\xEF\xBF\xBB乙", "甲 0 3|# 3 6|注 6 9|# 9 12|乙 12 15"},
	{"2.1.11", "a\xFF" "b", "a 0 1|b 2 3"},  /* an invalid byte is skipped */
	{"2.1.12", "a\xE4\xB8", "a 0 1"},         /* a truncated character too */
	{"2.1.13", "\xC0\x80" "a\xED\xA0\x80", "a 2 3"}, /* overlong NUL, surrogate */
	{"2.1.14", "㍻元", "平 0 3|成 0 3|元 3 6"}, /* one code point, two tokens */
	{"2.1.15", "a\x01" "b", "a 0 1|b 2 3"},  /* controls vanish */
	{"2.1.16", "a \xE2\x80\x8B b", "a 0 1|  1 6|b 6 7"}, /* invisible inside a run */
	{"2.1.17", "\r\n", "# 1 2"},
	{"2.1.18", "ＡＢ，", "a 0 3|b 3 6|, 6 9"},
	{"2.1.19", " ", "  0 1"},
	{"2.1.20", "a ", "a 0 1|  1 2"},
	{"2.1.21", "濟南府 ", "济 0 3|南 3 6|府 6 9|  9 10"},
	{"2.1.22", "\xEF\xBF\xBA", "\xEF\xBF\xBA 0 3"}, /* U+FFFA is an ordinary token */
	{"2.1.23", "x\xC2\xA8", "x 0 1|  1 3|\xCC\x88 1 3"}, /* ¨ is " " + U+0308 */
};

static void
test_cases(void **state)
{
	struct buf b;
	size_t i;

	(void)state;
	buf_init(&b, NULL);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		assert_int_equal(text_tokenize(cases[i].in, strlen(cases[i].in), collect, &b), 0);
		if (strcmp(b.p, cases[i].want) != 0)
			fail_msg("%s: tokens of \"%s\" are\n  \"%s\", want\n  \"%s\"", cases[i].id,
				 cases[i].in, b.p, cases[i].want);
	}
	buf_free(&b);
}

static int
stop_at_3(void *ctx, const char *tok, size_t toklen, size_t start, size_t end)
{
	int *n = ctx;

	(void)tok;
	(void)toklen;
	(void)start;
	(void)end;
	return ++*n == 3 ? 42 : 0;
}

/* 2.2.1: a callback's non-zero return stops tokenizing and is returned,
 * also when it refuses a pending white-space token. */
static void
test_stop(void **state)
{
	int n = 0;

	(void)state;
	assert_int_equal(text_tokenize("甲乙丙丁戊", strlen("甲乙丙丁戊"), stop_at_3, &n), 42);
	assert_int_equal(n, 3);
	n = 0;
	assert_int_equal(text_tokenize("a b ", 4, stop_at_3, &n), 42);
	assert_int_equal(n, 3);
	n = 0;
	assert_int_equal(text_tokenize("a\n ", 3, stop_at_3, &n), 42);
}

/* Folded tokens, concatenated, are the folded text (white space aside). */
static int
concat(void *ctx, const char *tok, size_t toklen, size_t start, size_t end)
{
	struct buf *b = ctx;

	(void)start;
	(void)end;
	if (toklen == 1 && tok[0] == TEXT_TOK_BOUNDARY[0])
		buf_addch(b, '\n');
	else
		buf_add(b, tok, toklen);
	return 0;
}

/* 2.3.1: over a real text, tokens are the folded text and every range
 * lies inside the text, in order. */
static int
ranges(void *ctx, const char *tok, size_t toklen, size_t start, size_t end)
{
	size_t *last = ctx; /* {last start, text length} */

	(void)tok;
	(void)toklen;
	assert_true(start >= last[0]);
	assert_true(start < end && end <= last[1]);
	last[0] = start;
	return 0;
}

static void
test_corpus(void **state)
{
	char path[1024];
	struct buf toks, folded;
	size_t last[2], i, j;
	FILE *f;
	char *text;

	(void)state;
	snprintf(path, sizeof(path), "%s/corpus/kanripo/KR2k0075/KR2k0075_001.txt",
		 test_shared());
	f = fopen(path, "rb");
	if (f == NULL)
		skip();
	text = malloc(1 << 22);
	last[1] = fread(text, 1, (1 << 22) - 1, f);
	fclose(f);
	last[0] = 0;
	assert_int_equal(text_tokenize(text, last[1], ranges, last), 0);

	buf_init(&toks, NULL);
	buf_init(&folded, NULL);
	text_tokenize(text, last[1], concat, &toks);
	text_fold(text, last[1], &folded);
	/* squeeze runs of spaces in the folded text as the tokenizer does */
	for (i = j = 0; i < folded.len; i++)
		if (!(folded.p[i] == ' ' && j > 0 && folded.p[j - 1] == ' '))
			folded.p[j++] = folded.p[i];
	folded.len = j;
	folded.p[j] = '\0';
	assert_string_equal(toks.p, folded.p);
	buf_free(&toks);
	buf_free(&folded);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
