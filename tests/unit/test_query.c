/* test_query.c: the query language (src/text/query.c) */
#include "testlib.h"

#include "text/text.h"

/* 3.1.n: queries that parse, and their FTS5 rendering. */
static const struct {
	const char *id, *q, *fts5;
	size_t nterms;
} good[] = {
	{"3.1.1", "信访", "\"信访\"", 1},
	{"3.1.2", "信访 工作", "\"信访\" AND \"工作\"", 2},
	{"3.1.3", "\"信访 工作\"", "\"信访 工作\"", 1},
	{"3.1.4", "信访 OR 上访", "\"信访\" OR \"上访\"", 2},
	{"3.1.5", "信访 -上访", "\"信访\" NOT \"上访\"", 2},
	{"3.1.6", "a b -c", "(\"a\" AND \"b\") NOT \"c\"", 3},
	{"3.1.7", "a OR b c", "(\"a\" OR \"b\") AND \"c\"", 3},
	{"3.1.8", "c a OR b", "\"c\" AND (\"a\" OR \"b\")", 3},
	{"3.1.9", "a OR b -c", "(\"a\" OR \"b\") NOT \"c\"", 3},
	{"3.1.10", "a OR b c -d", "((\"a\" OR \"b\") AND \"c\") NOT \"d\"", 4},
	{"3.1.11", "a OR b OR c d", "(\"a\" OR \"b\" OR \"c\") AND \"d\"", 4},
	{"3.1.12", "a -b -c", "\"a\" NOT \"b\" NOT \"c\"", 3},
	{"3.1.13", "信访\xE3\x80\x80工作", "\"信访\" AND \"工作\"", 2}, /* U+3000 separates */
	{"3.1.14", "  a\t\n b\xC2\xA0 ", "\"a\" AND \"b\"", 2},
	{"3.1.15", "-\"a b\" c", "\"c\" NOT \"a b\"", 2},
	{"3.1.16", "a\"b c\"d", "\"a\" AND \"b c\" AND \"d\"", 3}, /* a quote ends a word */
	{"3.1.17", "\xE2\x80\x9C信访 工作\xE2\x80\x9D", "\"信访 工作\"", 1}, /* “…” */
	{"3.1.18", "\xEF\xBC\x82信访 工作\xEF\xBC\x82", "\"信访 工作\"", 1}, /* ＂…＂ */
	{"3.1.19", "or", "\"or\"", 1},                 /* only capital OR is OR */
	{"3.1.20", "\"OR\"", "\"OR\"", 1},
	{"3.1.21", "a -OR", "\"a\" NOT \"OR\"", 2},
	{"3.1.22", "a-b", "\"a-b\"", 1},
	{"3.1.23", "，", "\"，\"", 1},                 /* punctuation is a token */
	{"3.1.24", "\"a\nb\"", "\"a b\"", 1},          /* a break inside a phrase is a space */
	{"3.1.25", "\"a\xEF\xBF\xB9" "b\"", "\"a b\"", 1},
	{"3.1.26", "a\xEF\xBF\xBB" "b", "\"a\" AND \"b\"", 2}, /* markers separate words */
	{"3.1.27", "\"a\x01 b\"", "\"a\x01 b\"", 1},   /* a control beside a word is fine */
	{"3.1.28", "巻八 齊乗", "\"巻八\" AND \"齊乗\"", 2}, /* as typed; FTS5 folds */
	{"3.1.29", "\" a \"", "\" a \"", 1},           /* phrase spaces are kept */
	{"3.1.30", "\xE2\x80\x9D", "\"\xE2\x80\x9D\"", 1}, /* a lone closing quote is a word */
};

static void
test_good(void **state)
{
	struct arena a;
	struct query q;
	struct fz_err err;
	struct buf b;
	size_t i;

	(void)state;
	arena_init(&a, 0);
	buf_init(&b, NULL);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		fz_err_clear(&err);
		if (text_query_parse(good[i].q, &a, &q, &err) != 0)
			fail_msg("%s: \"%s\" failed: %s", good[i].id, good[i].q, err.msg);
		if (q.nterms != good[i].nterms)
			fail_msg("%s: \"%s\" has %zu terms, want %zu", good[i].id, good[i].q,
				 q.nterms, good[i].nterms);
		buf_reset(&b);
		text_query_to_fts5(&q, &b);
		if (strcmp(b.p, good[i].fts5) != 0)
			fail_msg("%s: \"%s\" renders as\n  %s\nwant\n  %s", good[i].id, good[i].q,
				 b.p, good[i].fts5);
		arena_reset(&a);
	}
	buf_free(&b);
	arena_free(&a);
}

/* 3.2.1: the terms themselves. */
static void
test_terms(void **state)
{
	struct arena a;
	struct query q;
	struct fz_err err;

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(text_query_parse("甲 OR \"乙 丙\" -丁", &a, &q, &err), 0);
	assert_int_equal(q.nterms, 3);
	assert_string_equal(q.terms[0].text, "甲");
	assert_int_equal(q.terms[0].or_next, 1);
	assert_int_equal(q.terms[0].negated, 0);
	assert_string_equal(q.terms[1].text, "乙 丙");
	assert_int_equal(q.terms[1].or_next, 0);
	assert_string_equal(q.terms[2].text, "丁");
	assert_int_equal(q.terms[2].negated, 1);
	assert_int_equal(q.terms[2].or_next, 0);
	arena_free(&a);
}

/* 3.3.n: queries that fail, with their messages. */
static const struct {
	const char *id, *q, *msg;
} bad[] = {
	{"3.3.1", "", "the query is empty: type a word to search for"},
	{"3.3.2", "  \xE3\x80\x80\t", "the query is empty: type a word to search for"},
	{"3.3.3", "-上访", "a query needs at least one word to find, not only -exclusions"},
	{"3.3.4", "-a -\"b c\"", "a query needs at least one word to find, not only -exclusions"},
	{"3.3.5", "\"abc", "the quote at character 1 is never closed: add a closing quote or "
			   "remove it"},
	{"3.3.6", "信访 \"工作", "the quote at character 4 is never closed: add a closing "
				 "quote or remove it"},
	{"3.3.7", "a \xE2\x80\x9C" "b", "the quote at character 3 is never closed: add a "
				       "closing quote or remove it"}, /* “ */
	{"3.3.8", "OR a", "OR at character 1 has no word before it: write it between two "
			  "words, like 信访 OR 上访"},
	{"3.3.9", "信访 OR", "OR at character 4 has no word after it: write it between two "
			     "words, like 信访 OR 上访"},
	{"3.3.10", "a OR OR b", "OR at character 6 follows another OR: write one OR between "
				"two words, like 信访 OR 上访"},
	{"3.3.11", "-a OR b", "OR at character 4 follows an excluded -word: OR can only join "
			      "words to find"},
	{"3.3.12", "a OR -b", "OR at character 3 is followed by an excluded -word: OR can only "
			      "join words to find"},
	{"3.3.13", "a - b", "a lone \"-\" at character 3: write it right before a word to leave "
			    "out, like -上访"},
	{"3.3.14", "信访 -", "a lone \"-\" at character 4: write it right before a word to leave "
			     "out, like -上访"},
	{"3.3.15", "a\xFF" "b", "the query is not valid UTF-8: byte 2 (0xFF) is not part of a "
				"character"},
	{"3.3.16", "信\xE8\xAE", "the query is not valid UTF-8: byte 4 (0xE8) is not part of a "
				 "character"},
	{"3.3.17", "a \"\"", "an empty phrase \"\" at character 3: put the words to find between "
			     "the quotes"},
	{"3.3.18", "\x01\x02", "the word at character 1 has nothing to search for: it holds only "
			       "invisible or control characters"},
	{"3.3.19", "a \"  \"", "the phrase at character 3 has nothing to search for: it holds "
			       "only spaces or invisible characters"},
	{"3.3.20", "a -\"\xE2\x80\x8B\"", "the phrase at character 4 has nothing to search for: "
					  "it holds only spaces or invisible characters"},
	{"3.3.21", "-", "a lone \"-\" at character 1: write it right before a word to leave out, "
			"like -上访"},
	{"3.3.22", "OR", "OR at character 1 has no word before it: write it between two words, "
			 "like 信访 OR 上访"},
};

static void
test_bad(void **state)
{
	struct arena a;
	struct query q;
	struct fz_err err;
	size_t i;

	(void)state;
	arena_init(&a, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fz_err_clear(&err);
		q.nterms = 99;
		if (text_query_parse(bad[i].q, &a, &q, &err) == 0)
			fail_msg("%s: \"%s\" parsed; want the error: %s", bad[i].id, bad[i].q,
				 bad[i].msg);
		if (strstr(err.msg, bad[i].msg) == NULL)
			fail_msg("%s: \"%s\" says\n  %s\nwant\n  %s", bad[i].id, bad[i].q, err.msg,
				 bad[i].msg);
		assert_int_equal(err.code, FZ_EINPUT);
		assert_int_equal(q.nterms, 0);
		assert_null(q.terms);
	}
	arena_free(&a);
}

/* 3.4.1: the length limit is in bytes, and exactly TEXT_QUERY_MAX is fine. */
static void
test_length(void **state)
{
	char q[TEXT_QUERY_MAX + 2];
	struct arena a;
	struct query out;
	struct fz_err err;

	(void)state;
	arena_init(&a, 0);
	memset(q, 'a', TEXT_QUERY_MAX);
	q[TEXT_QUERY_MAX] = '\0';
	assert_int_equal(text_query_parse(q, &a, &out, &err), 0);
	assert_int_equal(out.nterms, 1);
	q[TEXT_QUERY_MAX] = 'a';
	q[TEXT_QUERY_MAX + 1] = '\0';
	assert_int_equal(text_query_parse(q, &a, &out, &err), -1);
	assert_string_equal(err.msg, "检索式太长：1025 字节，上限是 1024 字节（约 341 个汉字） "
				     "(the query is too long: 1025 bytes, and the limit is 1024 "
				     "bytes (about 341 Chinese characters))");
	/* many short terms */
	for (size_t i = 0; i < TEXT_QUERY_MAX; i++)
		q[i] = i % 2 ? ' ' : 'a';
	q[TEXT_QUERY_MAX] = '\0';
	assert_int_equal(text_query_parse(q, &a, &out, &err), 0);
	assert_int_equal(out.nterms, TEXT_QUERY_MAX / 2);
	arena_free(&a);
}

/* 3.5.1: a quote inside a term is doubled for FTS5 (the parser cannot make
 * such a term, but a caller may build the struct itself). */
static void
test_escape(void **state)
{
	struct query_term t[3] = {
		{"say \"hi\"", 0, 1},
		{"\"", 0, 0},
		{"x\"", 1, 0},
	};
	struct query q = {t, 3};
	struct buf b;

	(void)state;
	buf_init(&b, NULL);
	text_query_to_fts5(&q, &b);
	assert_string_equal(b.p, "(\"say \"\"hi\"\"\" OR \"\"\"\") NOT \"x\"\"\"");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_terms),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_escape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
