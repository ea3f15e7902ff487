/* test_legacy.c: old addresses of lib.sdsqw.cn taken apart, words decoded, resolved */
#include "testlib.h"

#include <unistd.h>

#include "store/store.h"

/* 4.1.n: addresses in the variants old links carry. */
static const struct {
	const char *url;
	int ok, run;
	const char *k;
	long a, rec;
	const char *words;
} cases[] = {
	{ "http://lib.sdsqw.cn/bin/mse.exe?K=CH91&A=3&rec=1&run=13", 1, 13, "CH91", 3, 1, NULL },
	{ "http://lib.sdsqw.cn/bin/mse.exe?seachword=&K=CH91&A=3&rec=1&run=13", 1, 13, "CH91", 3, 1, NULL },
	{ "http://lib.sdsqw.cn/bin/mse.exe?COLLCC=4108678863&K=CH91&A=3&rec=1&run=13", 1, 13, "CH91", 3, 1, NULL },
	{ "lib.sdsqw.cn/bin/mse.exe?&run=13&rec=1&A=3&k=ch91", 1, 13, "CH91", 3, 1, NULL },
	{ "HTTP://LIB.SDSQW.CN:80/BIN/MSE.EXE?k=ch9&a=3&REC=1&RUN=13#top", 1, 13, "CH9", 3, 1, NULL },
	{ "/bin/mse.exe?K=ch9&K=CH97&A=3&A=4&rec=29&run=13", 1, 13, "CH9", 3, 29, NULL },
	{ "mse.exe?K=&K=CH97&A=3&rec=29", 1, 0, "CH97", 3, 29, NULL },
	{ "?K=ch9&A=14&run=12", 1, 12, "CH9", 14, 0, NULL },
	{ "bin/mse.exe?K=ch9&run=12", 1, 12, "CH9", 0, 0, NULL },
	{ " <http://lib.sdsqw.cn/bin/mse.exe?K=CH9&A=1&rec=2&run=13> ", 1, 13, "CH9", 1, 2, NULL },
	{ "http://lib.sdsqw.cn/bin/mse.exe?seachword=%u4FE1%u8BBF&K=d00&run=11", 1, 11, "D00", 0, 0, "信访" },
	{ "http://lib.sdsqw.cn/bin/mse.exe?run=11&seachword=%D0%C5%B7%C3", 1, 11, NULL, 0, 0, "信访" },
	{ "http://lib.sdsqw.cn/bin/mse.exe?run=11&seachword=%E4%BF%A1%E8%AE%BF", 1, 11, NULL, 0, 0, "信访" },
	{ "http://lib.sdsqw.cn/bin/mse.exe?run=11&seachword=+%u4E1C%u660E+%E5%8E%BF+", 1, 11, NULL, 0, 0, "东明 县" },
	{ "http://lib.sdsqw.cn/bin/mse.exe?run=11&seachword=%uD840%uDC00", 1, 11, NULL, 0, 0, "𠀀" },
	{ "http://lib.sdsqw.cn/bin/mse.exe?run=11&seachword=%u4E1", 1, 11, NULL, 0, 0, "%u4E1" },
	{ "http://lib.sdsqw.cn/bin/mse.exe?run=11&seachword=%FF%FF", 1, 11, NULL, 0, 0, "\xEF\xBF\xBD\xEF\xBF\xBD" },
	{ "http://lib.sdsqw.cn/bin/mse.exe?K=CH9;DROP&A=x&rec=-1&run=13", 1, 13, NULL, 0, 0, NULL },
	{ "http://lib.sdsqw.cn/bin/mse.exe?A=99999999999&rec=1", 1, 0, NULL, 0, 1, NULL },
	{ "http://lib.sdsqw.cn/ftr/ftr.htm", 1, 0, NULL, 0, 0, NULL },
	{ "http://example.org/bin/mse.exe?K=ch9&A=1&rec=1&run=13", 0, 0, NULL, 0, 0, NULL },
	{ "http://lib.sdsqw.cn.evil.org/bin/mse.exe?K=ch9", 0, 0, NULL, 0, 0, NULL },
	{ "http://lib.sdsqw.cn/bin/other.asp?K=ch9", 0, 0, NULL, 0, 0, NULL },
	{ "http://lib.sdsqw.cn/bin/notmse.exe?K=ch9", 0, 0, NULL, 0, 0, NULL },
	{ "", 0, 0, NULL, 0, 0, NULL },
};

static void
test_parse(void **state)
{
	size_t i;
	struct arena a;

	arena_init(&a, 4096);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct legacy_addr ad;
		struct fz_err err;
		int ok = store_legacy_parse(cases[i].url, &a, &ad, &err) == 0;
		if (ok != cases[i].ok)
			fail_msg("4.1.%zu: %s: parsed %d, wanted %d (%s)", i, cases[i].url, ok, cases[i].ok,
				 ok ? "" : err.msg);
		if (!ok) {
			assert_int_equal(err.code, FZ_EINPUT);
			continue;
		}
		if (ad.run != cases[i].run || ad.a != cases[i].a || ad.rec != cases[i].rec)
			fail_msg("4.1.%zu: %s: run %d A %ld rec %ld", i, cases[i].url, ad.run, ad.a, ad.rec);
		if ((cases[i].k == NULL) != (ad.k == NULL) || (ad.k && strcmp(ad.k, cases[i].k)))
			fail_msg("4.1.%zu: %s: K %s", i, cases[i].url, ad.k ? ad.k : "(none)");
		if ((cases[i].words == NULL) != (ad.words == NULL) ||
		    (ad.words && strcmp(ad.words, cases[i].words)))
			fail_msg("4.1.%zu: %s: words \"%s\"", i, cases[i].url, ad.words ? ad.words : "(none)");
	}
	arena_free(&a);
}

/* 4.2: the message for another site names it. */
static void
test_parse_message(void **state)
{
	struct legacy_addr ad;
	struct fz_err err;
	struct arena a;

	arena_init(&a, 1024);
	assert_int_equal(store_legacy_parse("http://example.org/x", &a, &ad, &err), -1);
	assert_string_equal(err.msg, "example.org is not the old site (lib.sdsqw.cn)");
	arena_free(&a);
}

/* 4.3: resolution against a small archive: a library, a book, a chapter,
 * its records (one never captured), and an address known only from a
 * JSON Lines record's source.url. */
static void
test_resolve(void **state)
{
	char dir[] = "/tmp/fz-test-legacy-XXXXXX", path[64];
	const char *p1[] = { "第一编" };
	struct fz_record r = { 0 };
	struct fz_library lib = { "ch9", "东明县情资料库", "山东省菏泽市东明县", "371728" };
	struct fz_legacy g = { 0 };
	long counts[STORE__MAX] = { 0 }, ch;
	enum store_outcome out;
	struct store *s;
	struct fz_err err;
	struct arena a;
	size_t depth;
	static const struct {
		const char *url;
		enum legacy_kind kind;
		const char *id;
	} want[] = {
		{ "http://lib.sdsqw.cn/bin/mse.exe?K=CH97&A=3&rec=29&run=13", LEGACY_ENTRY, "ch9-3/29" },
		{ "http://lib.sdsqw.cn/bin/mse.exe?K=ch9&A=3&rec=29&run=13", LEGACY_ENTRY, "ch9-3/29" },
		{ "http://lib.sdsqw.cn/bin/mse.exe?K=CH971&A=3&rec=30", LEGACY_MISSING, NULL },
		{ "http://lib.sdsqw.cn/bin/mse.exe?K=CH97&A=3&run=12", LEGACY_CHAPTER, NULL },
		{ "http://lib.sdsqw.cn/bin/mse.exe?K=ch9&A=3&run=12", LEGACY_BOOK, NULL },
		{ "http://lib.sdsqw.cn/bin/mse.exe?K=CH9ZZ&A=3&run=12", LEGACY_BOOK, NULL },
		{ "http://lib.sdsqw.cn/bin/mse.exe?K=ch9&run=12", LEGACY_LIBRARY, NULL },
		{ "http://lib.sdsqw.cn/bin/mse.exe?K=CH91&A=3&rec=1&run=13", LEGACY_ENTRY, "j/1" },
		{ "http://lib.sdsqw.cn/bin/mse.exe?K=ch9&A=3&rec=1&run=13", LEGACY_ENTRY, "j/1" },
		{ "http://lib.sdsqw.cn/bin/mse.exe?K=ch9&A=4&rec=1&run=13", LEGACY_NONE, NULL },
		{ "http://lib.sdsqw.cn/bin/mse.exe?K=zz&A=3&rec=29&run=13", LEGACY_NONE, NULL },
	};
	size_t i;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a", dir);
	assert_int_equal(store_open(path, STORE_CREATE, &s, &err), 0);
	assert_int_equal(store_import_begin(s, "test", &err), 0);
	assert_int_equal(store_library_put(s, &lib, &err), 0);
	r.id = "ch9-3/29";
	r.title = "第一编";
	r.body = "概述。";
	r.book.id = "ch9-3";
	r.book.title = "东明县志";
	r.path = p1;
	r.npath = 1;
	r.order = 0;
	if (store_import_record(s, &r, &out, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(store_chapter_lookup(s, "ch9-3", p1, 1, &ch, &depth, &err), 0);
	assert_int_equal(depth, 1);
	g = (struct fz_legacy){ .lib = "ch9", .book = 3, .rec = 29, .node = "CH97", .title = "第一编",
				.book_id = "ch9-3", .heads = ch, .entry_id = "ch9-3/29" };
	assert_int_equal(store_legacy_put(s, &g, &err), 0);
	g = (struct fz_legacy){ .lib = "ch9", .book = 3, .rec = 30, .node = "CH971", .title = "第一章",
				.book_id = "ch9-3", .parent = ch, .ord = 1,
				.url = "http://lib.sdsqw.cn/bin/mse.exe?K=CH971&A=3&rec=30&run=13" };
	assert_int_equal(store_legacy_put(s, &g, &err), 0);
	g = (struct fz_legacy){ .lib = "ch9", .book = 3, .node = "ch9", .book_id = "ch9-3" };
	assert_int_equal(store_legacy_put(s, &g, &err), 0);
	/* a JSON Lines record carrying its old address */
	memset(&r, 0, sizeof(r));
	r.id = "j/1";
	r.title = "t";
	r.body = "b";
	r.book.id = "j";
	r.book.title = "J";
	r.order = -1;
	r.url = "http://lib.sdsqw.cn/bin/mse.exe?seachword=&K=CH91&A=3&rec=1&run=13";
	if (store_import_record(s, &r, &out, &err) < 0)
		fail_msg("%s", err.msg);
	counts[STORE_ADDED] = 2;
	assert_int_equal(store_import_commit(s, counts, 0, &err), 0);

	arena_init(&a, 4096);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct legacy_addr ad;
		struct legacy_target t;
		int rc;
		assert_int_equal(store_legacy_parse(want[i].url, &a, &ad, &err), 0);
		rc = store_legacy_resolve(s, &ad, &a, &t, &err);
		if (t.kind != want[i].kind || (want[i].id && (!t.entry_id || strcmp(t.entry_id, want[i].id))))
			fail_msg("4.3.%zu: %s: kind %d entry %s", i, want[i].url, t.kind,
				 t.entry_id ? t.entry_id : "-");
		assert_int_equal(rc, want[i].kind == LEGACY_NONE ? -1 : 0);
		if (t.kind == LEGACY_CHAPTER)
			assert_int_equal(t.chapter, ch);
		if (t.kind == LEGACY_MISSING) {
			assert_string_equal(t.title, "第一章");
			assert_int_equal(t.chapter, ch);
		}
		if (t.kind == LEGACY_LIBRARY)
			assert_string_equal(t.region_code, "371728");
	}
	{
		struct fz_legacy *m;
		size_t n;
		struct fz_legacy_stats ls;
		assert_int_equal(store_book_missing(s, "ch9-3", ch, &a, &m, &n, &err), 0);
		assert_int_equal(n, 1);
		assert_string_equal(m[0].title, "第一章");
		assert_int_equal(store_legacy_stats(s, &ls, &err), 0);
		assert_int_equal(ls.uncaptured, 1);
	}
	arena_free(&a);
	store_close(s);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	assert_int_equal(system(path), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_message),
		cmocka_unit_test(test_resolve),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
