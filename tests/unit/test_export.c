/* test_export.c: an exported line imports back to the same digest; bags judged per RFC 8493 */
#include "testlib.h"

#include <sys/stat.h>
#include <unistd.h>

#include "export/export.h"
#include "ingest/ingest.h"
#include "store/store_int.h"

static char dir[256];

static int
setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/fz-test-export-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int
teardown(void **state)
{
	export_remove_tree(dir);
	return 0;
}

struct got {
	char digest[65];
	long n;
};

static int
emit(void *ctx, const struct fz_record *r, struct fz_err *err)
{
	struct got *g = ctx;

	store_content_digest(r, g->digest);
	g->n++;
	return 0;
}

static void
bad(void *ctx, const char *path, long line, const char *reason)
{
	fail_msg("%s:%ld: %s", path, line, reason);
}

/* 6.1.1-4: a version written by export_record_json and read by ingest_jsonl
 * has the content digest it had, whatever it carries. */
static void
test_line_round_trip(void **state)
{
	const char *path[] = { "政治", "政法" };
	struct fz_page pages[] = { { 0, "001-1a" }, { 3, "001-1b" }, { 3, "001-2a" } };
	static const char *const extras[] = {
		NULL,
		"{\"pages_printed\":\"12\",\"tags\":[1,{\"a\":null}]}",
		"{\"book\":{\"volume\":3},\"source\":{\"agency\":\"档案馆\"},\"z\":true}",
		"{\"source\":{\"note\":\"\\u0001\\\"\"}}",
	};
	size_t i;

	for (i = 0; i < sizeof(extras) / sizeof(extras[0]); i++) {
		struct fz_stored v = { 0 };
		struct got g = { "", 0 };
		struct ingest_sink sink = { 0 };
		struct fz_err err;
		char want[65], file[300];
		struct buf b;
		FILE *f;

		v.r.id = "b/x";
		v.r.title = "题";
		v.r.body = "甲乙\n丙";
		v.r.author = i % 2 ? "某" : NULL;
		v.r.year = (int)i * 1000;
		v.r.book = (struct fz_book){ .id = "b", .title = "书", .kind = "志", .published = 1990 };
		v.r.path = path;
		v.r.npath = i % 3;
		v.r.order = i == 2 ? 0 : -1;
		v.r.extra = extras[i];
		v.r.pages = pages;
		v.r.npages = i == 3 ? 3 : 0;
		v.r.url = "http://example.org/x";
		v.r.source_file = "a.jsonl";
		v.r.source_line = 3;
		v.n = 1;
		v.sha256 = v.content_sha256 = "00";
		store_content_digest(&v.r, want);
		buf_init(&b, NULL);
		export_record_json(&v, &b);
		snprintf(file, sizeof(file), "%s/line.jsonl", dir);
		f = fopen(file, "w");
		fprintf(f, "%s\n", b.p);
		fclose(f);
		sink.emit = emit;
		sink.bad = bad;
		sink.ctx = &g;
		assert_int_equal(ingest_jsonl(file, NULL, &sink, &err), 0);
		assert_int_equal(g.n, 1);
		if (strcmp(g.digest, want) != 0)
			fail_msg("6.1.%zu: %s\nreads back to another digest", i + 1, b.p);
		buf_free(&b);
	}
}

struct seen {
	char text[4096];
	long n;
};

static void
on_problem(void *ctx, const struct fz_problem *p)
{
	struct seen *s = ctx;
	size_t len = strlen(s->text);

	snprintf(s->text + len, sizeof(s->text) - len, "%s: %s\n", p->id, p->what);
	s->n++;
}

static void
put(const char *name, const char *text)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/bag/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A small valid bag by hand: data/a.txt = "hello\n". */
static void
make_bag(void)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/bag", dir);
	export_remove_tree(p);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/bag/data", dir);
	mkdir(p, 0755);
	put("data/a.txt", "hello\n");
	put("bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n");
	put("manifest-sha256.txt",
	    "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03  data/a.txt\n");
}

/* 6.2.1-n: hostile bags, each found invalid with the file named. */
static void
test_bags(void **state)
{
	static const struct {
		const char *file, *text; /* written over the good bag */
		const char *want;        /* NULL: still valid */
	} cases[] = {
		/* 1 */ { NULL, NULL, NULL },
		/* 2 */ { "bagit.txt", "BagIt-Version: 1.0\r\nTag-File-Character-Encoding: UTF-8\r\n", NULL },
		/* 3 */ { "manifest-sha256.txt",
			  "5891B5B522D5DF086D0FF0B110FBD9D21BB4FC7163AF34D08286A2E846F6BE03 \tdata/a.txt\r", NULL },
		/* 4 */ { "data/b.txt", "x", "data/b.txt: is in the payload but not in manifest-sha256.txt" },
		/* 5 */ { "data/a.txt", "hellO\n", "data/a.txt: the digest (sha256) is not the one" },
		/* 6 */ { "manifest-sha256.txt", "00  data/../../x\n", "names a path outside the bag" },
		/* 7 */ { "manifest-sha256.txt", "justonefield\n", "line 1 is not \"digest path\"" },
		/* 8 */ { "manifest-sha256.txt", "00  /etc/passwd\n", "names a path outside the bag" },
		/* 9 */ { "manifest-sha256.txt", "00  bagit.txt\n", "lists a file outside data/" },
		/* 10 */ { "bagit.txt", "\xEF\xBB\xBF" "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
			   "starts with a byte order mark" },
		/* 11 */ { "bagit.txt", "BagIt-Version: 1.0\n", "is not a bag declaration" },
		/* 12 */ { "manifest-nosuchalg.txt", "", "uses an algorithm this validator does not know" },
		/* 13 */ { "bag-info.txt", "Payload-Oxum: 7.1\n", "Payload-Oxum (bytes.files) does not count" },
		/* 14 */ { "bag-info.txt", "Payload-Oxum: 6.1\nno label here\n", "line 2 has no label" },
		/* 15 */ { "fetch.txt", "http://example.org/x - data/x.txt\n", "data/x.txt: the bag is incomplete" },
		/* 16 */ { "tagmanifest-md5.txt", "00  bagit.txt\n", "bagit.txt: the digest (md5)" },
		/* 17 */ { "manifest-md5.txt", "b1946ac92492d2347c6235b4d2611184  data/a.txt\n", NULL },
		/* 18 */ { "manifest-md5.txt", "", "data/a.txt: is in the payload but not in manifest-md5.txt" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct seen seen = { "", 0 };
		struct verify_sink sink = { on_problem, NULL, &seen };
		struct bag_result r;
		struct fz_err err;
		char p[512];

		make_bag();
		if (cases[i].file != NULL)
			put(cases[i].file, cases[i].text);
		snprintf(p, sizeof(p), "%s/bag", dir);
		assert_int_equal(bagit_verify(p, &sink, &r, &err), 0);
		assert_int_equal(seen.n, r.problems);
		if (cases[i].want == NULL && seen.n != 0)
			fail_msg("6.2.%zu: a valid bag was refused:\n%s", i + 1, seen.text);
		if (cases[i].want != NULL && strstr(seen.text, cases[i].want) == NULL)
			fail_msg("6.2.%zu: wanted \"%s\", got:\n%s", i + 1, cases[i].want, seen.text);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_line_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bags, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
