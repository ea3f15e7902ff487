/* test_verify.c: what verify finds, case by case, on an archive made here */
#include "testlib.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include "store/store_int.h"

static char root[200], dir[256];

struct seen {
	char text[8192]; /* "check|id|what\n" per problem */
	long n;
};

static void
on_problem(void *ctx, const struct fz_problem *p)
{
	struct seen *s = ctx;
	size_t len = strlen(s->text);

	snprintf(s->text + len, sizeof(s->text) - len, "%s|%s|%s\n", p->check, p->id, p->what);
	s->n++;
}

/* Each test gets a fresh directory; its archive is root/a, made by the test. */
static int
setup(void **state)
{
	assert_int_equal(test_tmpdir_make(root, sizeof(root), "fz-test-verify"), 0);
	snprintf(dir, sizeof(dir), "%s/a", root);
	return 0;
}

static int
teardown(void **state)
{
	return test_tmpdir_remove(root);
}

/* Three entries in two chapters, one with two versions and page positions. */
static struct store *
make_archive(void)
{
	const char *path[] = { "政治", "政法" };
	struct fz_page pages[] = { { 0, "001-1a" }, { 9, "001-1b" } };
	long counts[STORE__MAX] = { 0 };
	struct fz_record r = { 0 };
	enum store_outcome out;
	struct fz_err err;
	struct store *s;
	int i;

	assert_int_equal(store_open(dir, STORE_CREATE, &s, &err), 0);
	assert_int_equal(store_import_begin(s, "test", &err), 0);
	r.book.id = "b";
	r.book.title = "泰安年鉴";
	r.path = path;
	r.npath = 2;
	r.order = -1;
	r.source_file = "t.jsonl";
	for (i = 0; i < 4; i++) {
		static const char *const ids[] = { "b/one", "b/two", "b/three", "b/two" };
		static const char *const bodies[] = { "【概况】甲乙丙\n丁戊", "庚辛壬", "癸子丑",
						       "庚辛壬癸" };
		r.id = ids[i];
		r.title = ids[i];
		r.body = bodies[i];
		r.raw = bodies[i];
		r.rawlen = strlen(bodies[i]);
		r.source_line = i + 1;
		r.pages = i == 0 ? pages : NULL;
		r.npages = i == 0 ? 2 : 0;
		r.npath = (size_t)(i % 3);
		if (store_import_record(s, &r, &out, &err) < 0)
			fail_msg("%s", err.msg);
		counts[out]++;
	}
	assert_int_equal(store_import_commit(s, counts, 0, &err), 0);
	return s;
}

static struct seen
run(struct store *s, struct verify_result *res)
{
	struct seen seen = { "", 0 };
	struct verify_sink sink = { on_problem, NULL, &seen };
	struct fz_err err;

	if (store_verify(s, &sink, res, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(seen.n, res->problems);
	return seen;
}

/* 5.2.1: a sound archive: no problem, counts, the fingerprint of the data
 * equals the one stored and the one the snapshot recorded. */
static void
test_sound(void **state)
{
	struct store *s = make_archive();
	struct verify_result res;
	struct seen seen = run(s, &res);
	struct fz_err err;
	char fp[65];

	assert_string_equal(seen.text, "");
	assert_int_equal(res.entries, 3);
	assert_int_equal(res.versions, 4);
	assert_int_equal(res.blobs, 4);
	assert_int_equal(store_fingerprint(s, fp, NULL, &err), 0);
	assert_string_equal(res.fingerprint, fp);
	assert_true(res.snapshot.present);
	assert_string_equal(res.snapshot.fingerprint, fp);
	assert_int_equal(res.snapshot.count[SNAP_PAGES], 2);
	store_close(s);
}

/* 5.2.2-n: one change behind fangzhi's back each; verify names it. */
static void
test_damage(void **state)
{
	static const struct {
		const char *sql;
		const char *want; /* a substring of the problems seen */
	} cases[] = {
		/* 2 */ { "UPDATE version SET body = '【概况】甲乙丙\n丁己' WHERE entry_id = 'b/one'",
			  "content|b/one version 1|the stored fields do not have the content digest" },
		/* 3 */ { "UPDATE version SET title = 'x' WHERE entry_id = 'b/two' AND n = 1",
			  "content|b/two version 1|" },
		/* 4 */ { "DELETE FROM version WHERE entry_id = 'b/two' AND n = 1",
			  "version|b/two|entry b/two lacks version 1 (its newest is 2)" },
		/* 5 */ { "DELETE FROM entry WHERE id = 'b/three'",
			  "entry|b/three|entry b/three is missing" },
		/* 6 */ { "DELETE FROM page WHERE label = '001-1b'",
			  "snapshot|pages|the archive held 2 pages at its last write" },
		/* 7 */ { "UPDATE page SET pos = 8 WHERE label = '001-1b'",
			  "content|b/one version 1|" },
		/* 8 */ { "DELETE FROM chapter WHERE title = '政法'",
			  "chapter|b/three version 1|chapter 2 of this version's path is missing" },
		/* 9 */ { "UPDATE blob SET data = X'00' WHERE size = 9",
			  "source|b/three version 1|the source bytes this version was imported from "
			  "are damaged" },
		/* 10 */ { "DELETE FROM blob WHERE sha256 = (SELECT sha256 FROM version WHERE entry_id = 'b/one')",
			   "source|b/one version 1|the source bytes this version was imported from are "
			   "missing" },
		/* 11 */ { "UPDATE version SET superseded_at = NULL WHERE entry_id = 'b/two' AND n = 1",
			   "version|b/two version 1|the version's superseded mark contradicts" },
		/* 12 */ { "DELETE FROM section",
			   "section|b/one version 1|the stored 【section】 headings do not match" },
		/* 13 */ { "UPDATE entry SET current = (SELECT id FROM version WHERE entry_id = 'b/one') "
			   "WHERE id = 'b/two'",
			   "version|b/two|the current version of entry b/two belongs to another entry" },
		/* 14 */ { "PRAGMA foreign_keys = OFF; DELETE FROM book", "book|b/one|the book of entry b/one is missing" },
		/* 15 */ { "UPDATE version SET nchar = 1 WHERE entry_id = 'b/three'",
			   "content|b/three version 1|the body's character count" },
		/* 16 */ { "INSERT INTO meta VALUES ('events', '9') ON CONFLICT(key) DO UPDATE SET "
			   "value = '9'", "events|event|the log held 9 events" },
		/* 17 */ { "UPDATE meta SET value = '{' WHERE key = 'snapshot'",
			   "snapshot|meta|the snapshot in meta does not parse" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct store *s;
		struct verify_result res;
		struct seen seen;

		teardown(state);
		setup(state);
		s = make_archive();
		if (sqlite3_exec(s->db, cases[i].sql, NULL, NULL, NULL) != SQLITE_OK)
			fail_msg("5.2.%zu: %s: %s", i + 2, cases[i].sql, sqlite3_errmsg(s->db));
		seen = run(s, &res);
		if (strstr(seen.text, cases[i].want) == NULL)
			fail_msg("5.2.%zu: %s\nwanted: %s\nseen:\n%s", i + 2, cases[i].sql,
				 cases[i].want, seen.text);
		store_close(s);
	}
}

/* 5.2.18: a changed current version changes the fingerprint of the data,
 * while the one from stored digests stays: verify reports both. */
static void
test_fingerprint_of_data(void **state)
{
	struct store *s = make_archive();
	struct verify_result res;
	struct seen seen;
	struct fz_err err;
	char fp[65];

	assert_int_equal(sqlite3_exec(s->db, "UPDATE version SET body = 'x' WHERE entry_id = 'b/three'",
				      NULL, NULL, NULL), SQLITE_OK);
	seen = run(s, &res);
	assert_int_equal(store_fingerprint(s, fp, NULL, &err), 0);
	assert_string_not_equal(res.fingerprint, fp);
	assert_non_null(strstr(seen.text, "fingerprint|archive|"));
	assert_non_null(strstr(seen.text, "index|fts|"));
	store_close(s);
}

/* 5.2.19: the event log API: verify and export events with fingerprints. */
static int
count_ev(void *ctx, const struct fz_event *ev)
{
	long *n = ctx;
	if (*n == 1) {
		assert_string_equal(ev->kind, "verify");
		assert_string_equal(ev->detail, "ok");
		assert_int_equal(ev->added, -1);
	}
	(*n)++;
	return 0;
}

static void
test_events(void **state)
{
	struct store *s = make_archive();
	struct fz_err err;
	long n = 0;

	assert_int_equal(store_event_log(s, "verify", "ok", "ab", &err), 0);
	assert_int_equal(store_events(s, count_ev, &n, &err), 0);
	assert_int_equal(n, 2);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fingerprint_of_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
