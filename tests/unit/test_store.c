/* test_store.c: versions, re-imports, rollback and schema migration */
#include "testlib.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store_int.h"

static char root[200], dir[256];

/* Each test gets a fresh directory; its archive is root/a, made by the test. */
static int
setup(void **state)
{
	assert_int_equal(test_tmpdir_make(root, sizeof(root), "fz-test-store"), 0);
	snprintf(dir, sizeof(dir), "%s/a", root);
	return 0;
}

static int
teardown(void **state)
{
	return test_tmpdir_remove(root);
}

static struct fz_record
record(const char *id, const char *title, const char *body)
{
	struct fz_record r = { 0 };
	r.id = id;
	r.title = title;
	r.body = body;
	r.book.id = "book1";
	r.book.title = "泰安年鉴";
	r.book.kind = "年鉴";
	r.book.region_code = "370900";
	r.order = -1;
	r.raw = body;
	r.rawlen = strlen(body);
	r.source_file = "t.jsonl";
	r.source_line = 1;
	return r;
}

static enum store_outcome
put(struct store *s, struct fz_record r)
{
	long counts[STORE__MAX] = { 0 };
	enum store_outcome out = STORE__MAX;
	struct fz_err err;

	assert_int_equal(store_import_begin(s, "test", &err), 0);
	if (store_import_record(s, &r, &out, &err) < 0)
		fail_msg("%s", err.msg);
	counts[out]++;
	assert_int_equal(store_import_commit(s, counts, 0, &err), 0);
	return out;
}

/* 2.1: the same record twice changes nothing; new content is version 2 and
 * version 1 stays readable, marked superseded; search sees only the new. */
static void
test_versions(void **state)
{
	const char *path[] = { "政治", "政法" };
	struct fz_record r = record("b/x", "信访工作", "【概况】年内信访秩序明显好转。\n【案件处理】接待。");
	struct search_opts so = { .query = "好转", .limit = 10 };
	struct search_result res;
	struct fz_entry e;
	struct fz_stats st;
	struct fz_err err;
	struct store *s;
	struct arena a;

	r.path = path;
	r.npath = 2;
	assert_int_equal(store_open(dir, STORE_CREATE, &s, &err), 0);
	assert_int_equal(put(s, r), STORE_ADDED);
	assert_int_equal(put(s, r), STORE_UNCHANGED);
	r.source_line = 7; /* provenance alone is not content */
	assert_int_equal(put(s, r), STORE_UNCHANGED);
	r.body = "【概况】年内信访秩序有所好转。";
	assert_int_equal(put(s, r), STORE_VERSIONED);

	assert_int_equal(store_stats(s, &st, &err), 0);
	assert_int_equal(st.entries, 1);
	assert_int_equal(st.versions, 2);
	assert_int_equal(st.books, 1);
	assert_int_equal(st.chapters, 2);

	arena_init(&a, 0);
	assert_int_equal(store_entry_get(s, "b/x", 0, &a, &e, &err), 0);
	assert_int_equal(e.version, 2);
	assert_int_equal(e.nversions, 2);
	assert_string_equal(e.body, "【概况】年内信访秩序有所好转。");
	assert_null(e.versions[1].superseded_at);
	assert_non_null(e.versions[0].superseded_at);
	assert_int_equal(e.nchapters, 2);
	assert_string_equal(e.chapters[1].title, "政法");
	assert_int_equal(e.nsections, 1);
	assert_string_equal(e.sections[0].heading, "概况");

	assert_int_equal(store_entry_get(s, "b/x", 1, &a, &e, &err), 0);
	assert_int_equal(e.version, 1);
	assert_int_equal(e.nsections, 2);
	assert_string_equal(e.sections[1].heading, "案件处理");
	assert_int_equal(store_entry_get(s, "b/x", 3, &a, &e, &err), -1);
	assert_int_equal(err.code, FZ_ENOTFOUND);
	assert_int_equal(store_entry_get(s, "nope", 0, &a, &e, &err), -1);
	assert_string_equal(err.msg, "no entry with id \"nope\"");

	/* the old text left the index, the new one is in it */
	assert_int_equal(store_search(s, &so, &a, &res, &err), 0);
	assert_int_equal(res.total, 1);
	so.query = "明显";
	assert_int_equal(store_search(s, &so, &a, &res, &err), 0);
	assert_int_equal(res.total, 0);
	so.query = "有所";
	assert_int_equal(store_search(s, &so, &a, &res, &err), 0);
	assert_int_equal(res.total, 1);
	arena_free(&a);
	store_close(s);
}

/* 2.2: a rolled-back import leaves nothing behind. */
static void
test_rollback(void **state)
{
	struct fz_record r = record("b/y", "t", "甲乙丙");
	enum store_outcome out;
	struct fz_stats st;
	struct fz_err err;
	struct store *s;

	assert_int_equal(store_open(dir, STORE_CREATE, &s, &err), 0);
	assert_int_equal(store_import_begin(s, "test", &err), 0);
	assert_int_equal(store_import_record(s, &r, &out, &err), 0);
	store_import_rollback(s);
	assert_int_equal(store_stats(s, &st, &err), 0);
	assert_int_equal(st.entries, 0);
	assert_int_equal(st.books, 0);
	store_close(s);
}

/* 2.3: an archive written with schema 1 (before the event log) opens, is
 * upgraded, and keeps its records. */
static void
test_migration(void **state)
{
	struct fz_record r = record("b/z", "旧", "旧志之文");
	struct fz_entry e;
	struct fz_err err;
	struct store *s;
	struct arena a;
	sqlite3 *db;
	char path[300];
	int v = 0;

	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/archive.sqlite", dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(store_fts_register(db, &err), 0);
	assert_int_equal(store_migrate(db, 1, &err), 0);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO book VALUES('b',1,'書',NULL,'旧志',NULL,NULL,NULL,'2020-01-01T00:00:00Z');"
		"INSERT INTO version(id,entry_id,n,title,body,nchar,content_sha256,sha256,imported_at) VALUES(1,'b/old',1,'舊','舊文',2,'x','y','2020-01-01T00:00:00Z');"
		"INSERT INTO entry VALUES('b/old','b',0,0,1,1);", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	/* a reader refuses to upgrade; a writer does */
	assert_int_equal(store_open(dir, STORE_READONLY, &s, &err), -1);
	assert_non_null(strstr(err.msg, "schema 1"));
	assert_int_equal(store_open(dir, 0, &s, &err), 0);
	assert_int_equal(put(s, r), STORE_ADDED);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	assert_int_equal(v, STORE_SCHEMA_VERSION);
	arena_init(&a, 0);
	assert_int_equal(store_entry_get(s, "b/old", 0, &a, &e, &err), 0);
	assert_string_equal(e.body, "舊文");
	/* the event log is append-only */
	assert_int_not_equal(sqlite3_exec(s->db, "DELETE FROM event", NULL, NULL, NULL), SQLITE_OK);
	arena_free(&a);
	store_close(s);
}

/*
 * An index of another format (an older fangzhi's) answers wrongly rather
 * than failing: a reader refuses to search it in plain words, the first
 * writer rebuilds it, and then every query finds what it should: one
 * character (unigram), two and more (bigrams), across a white space run,
 * never across a paragraph break.
 */
static void
test_index_format(void **state)
{
	static const struct {
		const char *q;
		long total;
	} cases[] = { { "志", 2 }, { "泰山", 1 }, { "東二百", 1 }, { "山 在", 1 },
		      { "山之", 0 }, { "之", 1 }, { "泰山在東", 0 } };
	struct search_opts o = { 0 };
	struct search_result r;
	struct fz_err err;
	struct store *s;
	struct arena a;
	size_t i;

	assert_int_equal(store_open(dir, STORE_CREATE, &s, &err), 0);
	put(s, record("b/1", "山志", "泰山 在東二百里\n之"));
	put(s, record("b/2", "水志", "黄河"));
	assert_int_equal(sqlite3_exec(s->db, "UPDATE meta SET value = 'unigram0' "
				      "WHERE key = 'index_format'", NULL, NULL, NULL), SQLITE_OK);
	store_close(s);

	arena_init(&a, 0);
	o.query = "泰山";
	assert_int_equal(store_open(dir, STORE_READONLY, &s, &err), 0);
	assert_int_equal(store_search(s, &o, &a, &r, &err), -1);
	assert_int_equal(err.code, FZ_ECONFLICT);
	assert_non_null(strstr(err.msg, "fangzhi reindex -a"));
	store_close(s);

	assert_int_equal(store_open(dir, 0, &s, &err), 0); /* reindexes */
	store_close(s);
	assert_int_equal(store_open(dir, STORE_READONLY, &s, &err), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		o.query = cases[i].q;
		if (store_search(s, &o, &a, &r, &err) < 0)
			fail_msg("%s: %s", cases[i].q, err.msg);
		if (r.total != cases[i].total)
			fail_msg("%s: %ld hits, expected %ld", cases[i].q, r.total, cases[i].total);
	}
	store_close(s);
	arena_free(&a);
}

/*
 * A query matching more than max(1000, entries / 4) entries skips bm25:
 * title matches first, then book order; total, offset, limit and filters
 * as on the ranked path.
 */
static void
test_common_ranking(void **state)
{
	long counts[STORE__MAX] = { 0 };
	struct search_opts o = { 0 };
	struct search_result r;
	enum store_outcome out;
	struct fz_err err;
	struct store *s;
	struct arena a;
	char ids[1200][16], titles[1200][32];
	int i;

	assert_int_equal(store_open(dir, STORE_CREATE, &s, &err), 0);
	assert_int_equal(store_import_begin(s, "test", &err), 0);
	for (i = 0; i < 1200; i++) {
		struct fz_record rec;
		snprintf(ids[i], sizeof(ids[i]), "b/%04d", i);
		snprintf(titles[i], sizeof(titles[i]), i == 700 ? "之卷%d" : "卷%d", i);
		rec = record(ids[i], titles[i], i % 2 ? "山之南" : "水之北");
		if (i >= 1100) {
			rec.book.id = "book2";
			rec.book.kind = "方志";
		}
		if (store_import_record(s, &rec, &out, &err) < 0)
			fail_msg("%s", err.msg);
		counts[out]++;
	}
	assert_int_equal(store_import_commit(s, counts, 0, &err), 0);
	store_close(s);

	arena_init(&a, 0);
	assert_int_equal(store_open(dir, STORE_READONLY, &s, &err), 0);
	o.query = "之";
	o.limit = 3;
	assert_int_equal(store_search(s, &o, &a, &r, &err), 0);
	assert_int_equal(r.total, 1200);
	assert_int_equal(r.nhits, 3);
	assert_string_equal(r.hits[0].id, "b/0700");
	assert_string_equal(r.hits[1].id, "b/0000");
	assert_string_equal(r.hits[2].id, "b/0001");
	o.offset = 1199;
	assert_int_equal(store_search(s, &o, &a, &r, &err), 0);
	assert_int_equal(r.total, 1200);
	assert_int_equal(r.nhits, 1);
	assert_string_equal(r.hits[0].id, "b/1199");
	o.offset = 0;
	o.query = "山之";
	assert_int_equal(store_search(s, &o, &a, &r, &err), 0);
	assert_int_equal(r.total, 600);
	assert_string_equal(r.hits[0].id, "b/0001");
	o.query = "之";
	o.kind = "方志";
	assert_int_equal(store_search(s, &o, &a, &r, &err), 0);
	assert_int_equal(r.total, 100);
	assert_string_equal(r.hits[0].id, "b/1100");
	store_close(s);
	arena_free(&a);
}

/* 2.4: a newer schema than we know is refused in plain words. */
static void
test_newer_schema(void **state)
{
	struct fz_err err;
	struct store *s;
	sqlite3 *db;
	char path[300];

	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/archive.sqlite", dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(dir, 0, &s, &err), -1);
	assert_non_null(strstr(err.msg, "newer than this fangzhi"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_versions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migration, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_common_ranking, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
