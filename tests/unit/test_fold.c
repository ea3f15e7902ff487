/* test_fold.c: folding (src/text/fold.c and the generated table) */
#include <pthread.h>

#include "testlib.h"

#include "text/text.h"

static char *
fold(const char *s, size_t len)
{
	struct buf b;

	buf_init(&b, NULL);
	text_fold(s, len, &b);
	return buf_detach(&b);
}

/* 1.1.n: strings and their folding. */
static const struct {
	const char *id, *in, *want;
} pairs[] = {
	{"1.1.1", "巻", "卷"},              /* Japanese variant (JPVariantsRev) */
	{"1.1.2", "乗", "乘"},
	{"1.1.3", "顔", "颜"},              /* a chain: 顔 → 顏 → 颜 */
	{"1.1.4", "顏", "颜"},
	{"1.1.5", "齊", "齐"},              /* traditional → simplified */
	{"1.1.6", "東", "东"},
	{"1.1.7", "濟", "济"},
	{"1.1.8", "訪", "访"},
	{"1.1.9", "萊蕪", "莱芜"},
	{"1.1.10", "ＡＢＣ１２３", "abc123"}, /* full width (NFKC) */
	{"1.1.11", "Latin CASE Ünïcode", "latin case ünïcode"},
	{"1.1.12", "\xE3\x80\x80", " "},   /* U+3000 ideographic space */
	{"1.1.13", "甲\xE3\x80\x80乙", "甲 乙"},
	{"1.1.14", "\xC2\xA0", " "},       /* NBSP */
	{"1.1.15", "卷乘颜齐", "卷乘颜齐"},   /* simplified stays */
	{"1.1.16", "齊乗 巻八", "齐乘 卷八"},  /* what a reader types finds the text */
	{"1.1.16a", "連緒", "连绪"},         /* Chinese traditional forms skip the Japanese step */
	{"1.1.16b", "连绪", "连绪"},
	{"1.1.17", "ß", "ss"},             /* full case folding */
	{"1.1.18", "ﬁ", "fi"},
	{"1.1.19", "㍻", "平成"},           /* one code point, several */
	{"1.1.20", "①Ⅻ", "1xii"},
	{"1.1.21", "\xEF\xA4\x80", "岂"},   /* U+F900 compatibility ideograph → 豈 → 岂 */
	{"1.1.22", "a\x01" "b\x7F" "c", "abc"}, /* controls vanish */
	{"1.1.23", "a\nb", "a\nb"},        /* '\n' stays for the tokenizer */
	{"1.1.24", "a\r\nb", "a\nb"},      /* '\r' vanishes */
	{"1.1.25", "a\tb\vc\fd", "a b c d"}, /* white-space controls become ' ' */
	{"1.1.26", "a\xE2\x80\x8B" "b", "ab"}, /* U+200B zero width space vanishes */
	{"1.1.27", "a\xC2\xAD" "b", "ab"},     /* U+00AD soft hyphen vanishes */
	{"1.1.28", "\xEF\xBF\xB9注\xEF\xBF\xBB", "\xEF\xBF\xB9注\xEF\xBF\xBB"}, /* note markers */
	{"1.1.29", "a\xFF" "b\xE4\xB8", "ab"}, /* invalid bytes skipped */
	{"1.1.30", "\xF0\xA0\xAB\xAD", "\xF0\xA0\xAB\xAD"}, /* U+20AED 𠫭 stays itself */
	{"1.1.31", "臺灣", "台湾"},
	{"1.1.32", "説說", "说说"},           /* Japanese and traditional forms */
	{"1.1.33", "", ""},
	{"1.1.34", "葉", "叶"},
	{"1.1.35", "\xE2\x80\x83", " "},   /* U+2003 em space */
	{"1.1.36", "，。、", ",。、"},      /* full-width comma is NFKC's ",", 。 stays */
	{"1.1.37", "!\"#", "!\"#"},
	{"1.1.38", "ΣΑΣ", "σασ"},
};

static void
test_pairs(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		char *got = fold(pairs[i].in, strlen(pairs[i].in));
		if (strcmp(got, pairs[i].want) != 0)
			fail_msg("%s: fold(\"%s\") = \"%s\", want \"%s\"", pairs[i].id, pairs[i].in,
				 got, pairs[i].want);
		free(got);
	}
}

/* 1.2.n: single code points through text_fold_cp. */
static const struct {
	const char *id;
	uint32_t cp;
	size_t n;
	uint32_t want[3];
} cps[] = {
	{"1.2.1", 0x5DFB, 1, {0x5377}},     /* 巻 → 卷 */
	{"1.2.2", 0x4E57, 1, {0x4E58}},     /* 乗 → 乘 */
	{"1.2.3", 'A', 1, {'a'}},
	{"1.2.4", 0x3000, 1, {' '}},
	{"1.2.5", 0, 0, {0}},              /* NUL vanishes */
	{"1.2.6", 0x01, 0, {0}},           /* the boundary byte can never be a token */
	{"1.2.7", '\n', 1, {'\n'}},
	{"1.2.8", 0xFFF9, 1, {0xFFF9}},
	{"1.2.9", 0xFFFB, 1, {0xFFFB}},
	{"1.2.10", 0x20AED, 1, {0x20AED}},  /* supplementary, unchanged */
	{"1.2.11", 0x2F800, 1, {0x4E3D}},   /* supplementary compatibility ideograph 丽 */
	{"1.2.12", 0x1D400, 1, {'a'}},      /* MATHEMATICAL BOLD CAPITAL A */
	{"1.2.13", 0xE0001, 0, {0}},        /* LANGUAGE TAG, default-ignorable */
	{"1.2.14", 0xD800, 0, {0}},         /* a surrogate (never decoded) vanishes */
	{"1.2.15", 0x110000, 0, {0}},       /* past Unicode */
	{"1.2.16", 0x337B, 2, {0x5E73, 0x6210}}, /* ㍻ */
	{"1.2.17", 0x10FFFF, 1, {0x10FFFF}},
	{"1.2.18", 0xFE0F, 0, {0}},         /* variation selector */
};

static void
test_cp(void **state)
{
	uint32_t out[TEXT_FOLD_MAX];
	size_t i, k, n;

	(void)state;
	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		n = text_fold_cp(cps[i].cp, out);
		if (n != cps[i].n)
			fail_msg("%s: U+%04X folds to %zu code points, want %zu", cps[i].id,
				 (unsigned)cps[i].cp, n, cps[i].n);
		for (k = 0; k < n; k++)
			if (out[k] != cps[i].want[k])
				fail_msg("%s: U+%04X folds to U+%04X at %zu, want U+%04X", cps[i].id,
					 (unsigned)cps[i].cp, (unsigned)out[k], k,
					 (unsigned)cps[i].want[k]);
	}
}

static int
is_surrogate(uint32_t c)
{
	return c >= 0xD800 && c <= 0xDFFF;
}

/*
 * 1.3.1: fold(fold(c)) == fold(c) for every code point, the property that
 * makes index-time and query-time folding agree; 1.3.2: nothing but '\n'
 * and the markers themselves fold to a control or boundary character.
 */
static void
test_idempotent(void **state)
{
	uint32_t a[TEXT_FOLD_MAX], b[TEXT_FOLD_MAX];
	uint32_t c;
	size_t na, nb, k;

	(void)state;
	for (c = 0; c <= 0x10FFFF; c++) {
		if (is_surrogate(c))
			continue;
		na = text_fold_cp(c, a);
		assert_true(na <= TEXT_FOLD_MAX);
		for (k = 0; k < na; k++) {
			uint32_t d = a[k];
			nb = text_fold_cp(d, b);
			if (nb != 1 || b[0] != d)
				fail_msg("1.3.1: U+%04X folds to U+%04X, which folds on to %zu code "
					 "points (U+%04X...)",
					 (unsigned)c, (unsigned)d, nb, (unsigned)(nb ? b[0] : 0));
			if ((d < 0x20 || (d >= 0x7F && d < 0xA0) || d == 0xFFF9 || d == 0xFFFB) &&
			    !(na == 1 && d == c))
				fail_msg("1.3.2: U+%04X folds to the special U+%04X", (unsigned)c,
					 (unsigned)d);
			assert_false(is_surrogate(d));
		}
	}
}

/* 1.4.1: text_fold over a string equals folding it again. */
static void
test_idempotent_text(void **state)
{
	char path[1024];
	FILE *f;
	char *text, *once, *twice;
	size_t len;

	(void)state;
	snprintf(path, sizeof(path), "%s/corpus/kanripo/KR2k0048/KR2k0048_001.txt",
		 test_shared());
	f = fopen(path, "rb");
	if (f == NULL)
		skip();
	text = malloc(1 << 22);
	len = fread(text, 1, (1 << 22) - 1, f);
	fclose(f);
	once = fold(text, len);
	twice = fold(once, strlen(once));
	assert_string_equal(once, twice);
	assert_null(strstr(once, "巻")); /* the texts' Japanese forms are gone */
	free(text);
	free(once);
	free(twice);
}

/* 1.5.1: a stable, non-empty digest names the table. */
static void
test_version(void **state)
{
	const char *v = text_fold_version();

	(void)state;
	assert_non_null(v);
	assert_true(strncmp(v, "fold1-", 6) == 0);
	assert_int_equal(strlen(v), 6 + 16);
	assert_ptr_equal(v, text_fold_version());
}

static void *
fold_thread(void *arg)
{
	uint32_t out[TEXT_FOLD_MAX];
	uintptr_t bad = 0;
	uint32_t c;

	(void)arg;
	for (c = 0x4E00; c < 0xA000; c++)
		if (text_fold_cp(c, out) != 1)
			bad++;
	if (text_fold_cp(0x5DFB, out) != 1 || out[0] != 0x5377)
		bad++;
	return (void *)bad;
}

/* 1.6.1: first use from several threads at once (the lazy table). Must run
 * before anything else folds, so it is the first test. */
static void
test_threads(void **state)
{
	pthread_t t[4];
	void *bad;
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, fold_thread, NULL), 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], &bad), 0);
		assert_true(bad == NULL);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_pairs),
		cmocka_unit_test(test_cp),
		cmocka_unit_test(test_idempotent),
		cmocka_unit_test(test_idempotent_text),
		cmocka_unit_test(test_version),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
