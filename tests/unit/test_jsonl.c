/* test_jsonl.c: the JSON Lines importer against hostile and well-formed input */
#include "testlib.h"

#include <errno.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/ingest.h"

/* ---- a sink that remembers what it was given ---- */

struct got_rec {
	char *id, *title, *author, *extra, *raw, *book_title, *book_kind, *region, *url;
	size_t bodylen, rawlen, npath;
	char *path0;
	long line, order;
	int year, published;
	char body_head[64];
};

struct got_bad {
	long line;
	char *path, *reason;
};

struct got {
	struct got_rec rec[64];
	size_t nrec;
	struct got_bad bad[64];
	size_t nbad;
	long progress_calls;
	int fail_emit; /* emit fails on this record (1-based), 0: never */
};

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int
on_emit(void *ctx, const struct fz_record *r, struct fz_err *err)
{
	struct got *g = ctx;
	struct got_rec *x;

	if (g->fail_emit && (size_t)g->fail_emit == g->nrec + 1)
		return fz_fail(err, FZ_ESTORE, "emit refused record %zu", g->nrec + 1);
	assert_true(g->nrec < 64);
	x = &g->rec[g->nrec++];
	memset(x, 0, sizeof(*x));
	x->id = xstrdup(r->id);
	x->title = xstrdup(r->title);
	x->author = dup_or_null(r->author);
	x->extra = dup_or_null(r->extra);
	x->bodylen = strlen(r->body);
	snprintf(x->body_head, sizeof(x->body_head), "%s", r->body);
	x->rawlen = r->rawlen;
	x->raw = r->rawlen < 4096 ? xstrndup(r->raw, r->rawlen) : NULL;
	x->line = r->source_line;
	x->order = r->order;
	x->year = r->year;
	x->npath = r->npath;
	x->path0 = r->npath ? xstrdup(r->path[0]) : NULL;
	x->book_title = xstrdup(r->book.title);
	x->book_kind = dup_or_null(r->book.kind);
	x->region = dup_or_null(r->book.region);
	x->published = r->book.published;
	x->url = dup_or_null(r->url);
	return 0;
}

static void
on_bad(void *ctx, const char *path, long line, const char *reason)
{
	struct got *g = ctx;

	assert_true(g->nbad < 64);
	g->bad[g->nbad].line = line;
	g->bad[g->nbad].path = xstrdup(path);
	g->bad[g->nbad].reason = xstrdup(reason);
	g->nbad++;
}

static void
on_progress(void *ctx, long records, size_t bytes, size_t total)
{
	struct got *g = ctx;

	assert_true(bytes <= total);
	(void)records;
	g->progress_calls++;
}

static void
got_free(struct got *g)
{
	size_t i;

	for (i = 0; i < g->nrec; i++) {
		struct got_rec *x = &g->rec[i];
		free(x->id), free(x->title), free(x->author), free(x->extra), free(x->raw);
		free(x->path0), free(x->book_title), free(x->book_kind), free(x->region);
		free(x->url);
	}
	for (i = 0; i < g->nbad; i++)
		free(g->bad[i].path), free(g->bad[i].reason);
	memset(g, 0, sizeof(*g));
}

/* ---- a temporary directory for the files the tests write ---- */

static char tmpdir[256];

static int
setup_dir(void **state)
{
	(void)state;
	return test_tmpdir_make(tmpdir, sizeof(tmpdir), "test_jsonl");
}

static int
teardown_dir(void **state)
{
	(void)state;
	return test_tmpdir_remove(tmpdir);
}

/* Writes len bytes to a file in the temp dir; returns its path (static). */
static const char *
write_file(const char *name, const char *data, size_t len)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

static int
run(const char *data, size_t line_max, const struct ingest_meta *meta, struct got *g,
    struct fz_err *err)
{
	const char *path = write_file("t.jsonl", data, strlen(data));
	struct ingest_sink sink = { .emit = on_emit, .bad = on_bad, .ctx = g, .progress = on_progress };

	return ingest_jsonl_max(path, meta, line_max, &sink, err);
}

/* ---- 1.1: one bad line each; the reason is asserted word for word ---- */

#define B "\"book\":{\"id\":\"bk\",\"title\":\"Book\"}"
#define OK1 "{\"id\":\"ok/1\",\"title\":\"T\",\"body\":\"x\"," B "}"

static const struct {
	const char *name;
	const char *line;
	const char *reason;
} bad_lines[] = {
	{"1.1.1", "{\"id\":\"a\",\"title\":\"\xff\",\"body\":\"x\"," B "}",
	 "invalid UTF-8 at byte 19"},
	{"1.1.2", "{\"id\":\"a\",\"title\":\"\xe4\xb8\",\"body\":\"x\"," B "}",
	 "invalid UTF-8 at byte 19"},
	{"1.1.3", "{\"title\":\"T\",\"body\":\"x\"," B "}", "field \"id\" is missing"},
	{"1.1.4", "{\"id\":\"a\",\"body\":\"x\"," B "}", "field \"title\" is missing"},
	{"1.1.5", "{\"id\":\"a\",\"title\":\"T\"," B "}", "field \"body\" is missing"},
	{"1.1.6", "{\"id\":\"a\",\"title\":\"T\",\"body\":\"x\"}", "field \"book\" is missing"},
	{"1.1.7", "{\"id\":\"a\",\"title\":\"T\",\"body\":\"x\",\"book\":{\"title\":\"B\"}}",
	 "field \"book.id\" is missing"},
	{"1.1.8", "{\"id\":\"a\",\"title\":\"T\",\"body\":\"x\",\"book\":{\"id\":\"b\"}}",
	 "field \"book.title\" is missing"},
	{"1.1.9", "{\"id\":7,\"title\":\"T\",\"body\":\"x\"," B "}",
	 "field \"id\" must be a string"},
	{"1.1.10", "{\"id\":\"a\",\"title\":[],\"body\":\"x\"," B "}",
	 "field \"title\" must be a string"},
	{"1.1.11", "{\"id\":\"a\",\"title\":\"T\",\"body\":null," B "}",
	 "field \"body\" must be a string"},
	{"1.1.12", "{\"id\":\"a\",\"title\":\"T\",\"body\":\"x\",\"book\":\"bk\"}",
	 "field \"book\" must be an object"},
	{"1.1.13", "{\"id\":\"a\",\"title\":\"T\",\"body\":\"x\",\"year\":\"2017\"," B "}",
	 "field \"year\" must be an integer"},
	{"1.1.14", "{\"id\":\"a\",\"title\":\"T\",\"body\":\"x\",\"year\":2017.5," B "}",
	 "field \"year\" must be an integer"},
	{"1.1.15", "{\"id\":\"a\",\"title\":\"T\",\"body\":\"x\",\"order\":-2," B "}",
	 "field \"order\" must be between 0 and 9223372036854775807"},
	{"1.1.16", "{\"id\":\"a\",\"title\":\"T\",\"body\":\"x\",\"path\":\"a/b\"," B "}",
	 "field \"path\" must be an array of strings"},
	{"1.1.17", "{\"id\":\"a\",\"title\":\"T\",\"body\":\"x\",\"path\":[\"a\",3]," B "}",
	 "field \"path[1]\" must be a non-empty string"},
	{"1.1.18", "{\"id\":\"a\",\"title\":\"T\",\"body\":\"x\",\"author\":5," B "}",
	 "field \"author\" must be a string"},
	{"1.1.19", "{\"id\":\"a\",\"title\":\"T\",\"body\":\"x\",\"book\":{\"id\":\"b\",\"title\":"
		   "\"B\",\"published\":\"1736\"}}",
	 "field \"book.published\" must be an integer"},
	{"1.1.20", "{\"id\":\"a\",\"title\":\"T\",\"body\":\"x\",\"source\":[]," B "}",
	 "field \"source\" must be an object"},
	{"1.1.21", "{\"id\":\"a\",\"title\":\"T\",\"body\":\"x\",\"source\":{\"sha256\":\"xyz\"},"
		   B "}",
	 "field \"source.sha256\" must be 64 hexadecimal digits"},
	{"1.1.22", "{\"id\":\"a\",\"title\":\"T\",\"body\":\"x\",\"source\":{\"captured_at\":"
		   "\"yesterday\"}," B "}",
	 "field \"source.captured_at\" must be an RFC 3339 time such as 2017-05-01T08:00:00Z"},
	{"1.1.23", "{\"id\":\"a/../b\",\"title\":\"T\",\"body\":\"x\"," B "}",
	 "id \"a/../b\" has a \"..\" segment"},
	{"1.1.24", "{\"id\":\"..\",\"title\":\"T\",\"body\":\"x\"," B "}",
	 "id \"..\" has a \"..\" segment"},
	{"1.1.25", "{\"id\":\"/a\",\"title\":\"T\",\"body\":\"x\"," B "}",
	 "id \"/a\" starts with \"/\""},
	{"1.1.26", "{\"id\":\"a b\",\"title\":\"T\",\"body\":\"x\"," B "}",
	 "id \"a b\" contains a character other than A-Z a-z 0-9 . _ ~ - /"},
	{"1.1.27", "{\"id\":\"信访\",\"title\":\"T\",\"body\":\"x\"," B "}",
	 "id \"信访\" contains a character other than A-Z a-z 0-9 . _ ~ - /"},
	{"1.1.28", "{\"id\":\"\",\"title\":\"T\",\"body\":\"x\"," B "}", "field \"id\" is empty"},
	{"1.1.29", "{\"id\":\"a//b\",\"title\":\"T\",\"body\":\"x\"," B "}",
	 "id \"a//b\" has an empty segment (\"//\" or a \"/\" at the end)"},
	{"1.1.30", "{\"id\":\"a/\",\"title\":\"T\",\"body\":\"x\"," B "}",
	 "id \"a/\" has an empty segment (\"//\" or a \"/\" at the end)"},
	{"1.1.31", "{\"id\":\"a\",\"title\":\"T\",\"body\":\"x\",\"book\":{\"id\":\"b/c\",\"title\":"
		   "\"B\"}}",
	 "book id \"b/c\" contains \"/\", which a book id may not"},
	{"1.1.32", "{\"id\":\"a\\nb\",\"title\":\"T\",\"body\":\"x\"," B "}",
	 "id \"a\\x0ab\" contains a character other than A-Z a-z 0-9 . _ ~ - /"},
	{"1.1.33", "{\"id\":\"a\",\"title\":\"T\",\"body\":\"x\",\"id\":\"b\"," B "}",
	 "not valid JSON: duplicate object key near '\"id\"' at column 37"},
	{"1.1.34", "[1,2]", "not a JSON object"},
	{"1.1.35", "hello", "not valid JSON: '[' or '{' expected near 'hello' at column 5"},
	{"1.1.36", "{\"id\":\"a\",\"title\":\"T\\u0000\",\"body\":\"x\"," B "}",
	 "a string holds \\u0000 (NUL), which the archive cannot keep, at column 27"},
	{"1.1.37", "{\"id\":\"a\",\"title\":\"\",\"body\":\"x\"," B "}", "field \"title\" is empty"},
	{"1.1.38", "{\"id\":\"a\",\"title\":\"T\",\"body\":\"x\",\"year\":123456," B "}",
	 "field \"year\" must be between -9999 and 9999"},
	{"1.1.39", "{\"id\":\"a\",\"title\":\"T\",\"body\":\"x\"," B "} trailing",
	 "not valid JSON: end of file expected near 'trailing' at column 76"},
};

/* Each bad line sits between two good ones: the reason and line number are
 * exact, and the good lines around it still come through. */
static void
test_bad_lines(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		struct got g = {0};
		struct fz_err err = {0};
		struct buf data;

		buf_init(&data, NULL);
		buf_addf(&data, "%s\n%s\n%s\n", OK1, bad_lines[i].line, OK1);
		print_message("case %s\n", bad_lines[i].name);
		assert_int_equal(run(data.p, INGEST_LINE_MAX, NULL, &g, &err), 0);
		assert_int_equal(g.nrec, 2);
		assert_int_equal(g.rec[1].line, 3);
		assert_int_equal(g.nbad, 1);
		assert_int_equal(g.bad[0].line, 2);
		assert_string_equal(g.bad[0].reason, bad_lines[i].reason);
		got_free(&g);
		buf_free(&data);
	}
}

/* 1.2.1 A record with every field: each one arrives where it belongs. */
static void
test_full_record(void **state)
{
	struct got g = {0};
	struct fz_err err = {0};
	const char *data =
		"{\"id\":\"taian-2018/xinfang\",\"title\":\"信访工作\",\"body\":\"【概况】 年内\","
		"\"author\":\"王建伟\",\"path\":[\"政治\",\"政法\"],\"order\":3,\"year\":2017,"
		"\"book\":{\"id\":\"taian-2018\",\"title\":\"泰安年鉴\",\"edition\":\"2018\","
		"\"kind\":\"年鉴\",\"region\":\"山东省泰安市\",\"region_code\":\"370900\","
		"\"published\":2018},\"source\":{\"url\":\"http://x/y\",\"id\":\"123\","
		"\"captured_at\":\"2019-01-02T03:04:05+08:00\",\"sha256\":"
		"\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}}\n";

	(void)state;
	assert_int_equal(run(data, INGEST_LINE_MAX, NULL, &g, &err), 0);
	assert_int_equal(g.nbad, 0);
	assert_int_equal(g.nrec, 1);
	assert_string_equal(g.rec[0].id, "taian-2018/xinfang");
	assert_string_equal(g.rec[0].title, "信访工作");
	assert_string_equal(g.rec[0].body_head, "【概况】 年内");
	assert_string_equal(g.rec[0].author, "王建伟");
	assert_int_equal(g.rec[0].npath, 2);
	assert_string_equal(g.rec[0].path0, "政治");
	assert_int_equal(g.rec[0].order, 3);
	assert_int_equal(g.rec[0].year, 2017);
	assert_int_equal(g.rec[0].published, 2018);
	assert_string_equal(g.rec[0].book_kind, "年鉴");
	assert_string_equal(g.rec[0].url, "http://x/y");
	assert_null(g.rec[0].extra);
	assert_int_equal(g.rec[0].rawlen, strlen(data) - 1);
	assert_memory_equal(g.rec[0].raw, data, strlen(data) - 1);
	got_free(&g);
}

/* 1.2.2 Unknown fields are kept in extra, sorted and compact; those of book
 * and source under their own keys. Absent order is -1. */
static void
test_extra(void **state)
{
	struct got g = {0};
	struct fz_err err = {0};

	(void)state;
	assert_int_equal(run("{\"zz\":1,\"id\":\"a\",\"title\":\"T\",\"body\":\"x\",\"aa\":{\"k\": "
			     "[1, \"二\"]},\"book\":{\"id\":\"b\",\"title\":\"B\",\"foo\":\"x\"},"
			     "\"source\":{\"bar\":null}}\n" OK1 "\n",
			     INGEST_LINE_MAX, NULL, &g, &err),
			 0);
	assert_int_equal(g.nbad, 0);
	assert_int_equal(g.nrec, 2);
	assert_string_equal(g.rec[0].extra, "{\"aa\":{\"k\":[1,\"二\"]},\"book\":{\"foo\":\"x\"},"
					    "\"source\":{\"bar\":null},\"zz\":1}");
	assert_int_equal(g.rec[0].order, -1);
	assert_null(g.rec[1].extra);
	got_free(&g);
}

/* 1.2.3 Blank lines (also of spaces, and CRLF) are skipped but counted. */
static void
test_blank_lines(void **state)
{
	struct got g = {0};
	struct fz_err err = {0};

	(void)state;
	assert_int_equal(run("\n  \n" OK1 "\r\n\t\r\n\n" OK1 "\n\n", INGEST_LINE_MAX, NULL, &g,
			     &err),
			 0);
	assert_int_equal(g.nbad, 0);
	assert_int_equal(g.nrec, 2);
	assert_int_equal(g.rec[0].line, 3);
	assert_int_equal(g.rec[1].line, 6);
	assert_int_equal(g.rec[0].rawlen, strlen(OK1)); /* no \r */
	got_free(&g);
}

/* 1.2.4 A file cut inside its last line: that line is bad, the rest is in. */
static void
test_truncated(void **state)
{
	struct got g = {0};
	struct fz_err err = {0};

	(void)state;
	assert_int_equal(run(OK1 "\n" OK1 "\n{\"id\":\"c\",\"title\":\"T\",\"bo", INGEST_LINE_MAX,
			     NULL, &g, &err),
			 0);
	assert_int_equal(g.nrec, 2);
	assert_int_equal(g.nbad, 1);
	assert_int_equal(g.bad[0].line, 3);
	assert_string_equal(g.bad[0].reason,
			    "not valid JSON: premature end of input near '\"bo' at column 25 "
			    "(the file ends inside this line: was it cut short?)");
	got_free(&g);

	/* 1.2.5 Cut inside a character. */
	assert_int_equal(run(OK1 "\n{\"id\":\"c\",\"title\":\"\xe4\xb8", INGEST_LINE_MAX, NULL,
			     &g, &err),
			 0);
	assert_int_equal(g.nrec, 1);
	assert_int_equal(g.nbad, 1);
	assert_int_equal(g.bad[0].line, 2);
	assert_string_equal(g.bad[0].reason, "invalid UTF-8 at byte 19 (the file ends inside "
					     "this line: was it cut short?)");
	got_free(&g);

	/* 1.2.6 A complete last line without its newline is whole: accepted. */
	assert_int_equal(run(OK1 "\n" OK1, INGEST_LINE_MAX, NULL, &g, &err), 0);
	assert_int_equal(g.nrec, 2);
	assert_int_equal(g.nbad, 0);
	got_free(&g);
}

/* 1.2.7 Duplicate ids, the same or different content: all are emitted (the
 * store makes the different one a new version). */
static void
test_duplicates(void **state)
{
	struct got g = {0};
	struct fz_err err = {0};

	(void)state;
	assert_int_equal(run(OK1 "\n" OK1 "\n{\"id\":\"ok/1\",\"title\":\"T\",\"body\":\"y\"," B
				 "}\n",
			     INGEST_LINE_MAX, NULL, &g, &err),
			 0);
	assert_int_equal(g.nbad, 0);
	assert_int_equal(g.nrec, 3);
	assert_string_equal(g.rec[2].id, "ok/1");
	assert_string_equal(g.rec[2].body_head, "y");
	got_free(&g);
}

/* 1.2.8 A line over the limit is reported with its number and skipped; the
 * lines after it still come through. */
static void
test_over_limit(void **state)
{
	struct got g = {0};
	struct fz_err err = {0};
	struct buf data;
	size_t i;

	(void)state;
	buf_init(&data, NULL);
	buf_addstr(&data, OK1 "\n{\"id\":\"big\",\"title\":\"T\",\"body\":\"");
	for (i = 0; i < 300000; i++)
		buf_addch(&data, 'x');
	buf_addstr(&data, "\"," B "}\n" OK1 "\n");
	assert_int_equal(run(data.p, 200, NULL, &g, &err), 0);
	assert_int_equal(g.nrec, 2);
	assert_int_equal(g.rec[1].line, 3);
	assert_int_equal(g.nbad, 1);
	assert_int_equal(g.bad[0].line, 2);
	assert_string_equal(g.bad[0].reason,
			    "line is longer than 200 bytes, the limit for one record");
	got_free(&g);

	/* 1.2.9 Exactly at the limit is fine. */
	assert_int_equal(run(OK1 "\n", strlen(OK1), NULL, &g, &err), 0);
	assert_int_equal(g.nrec, 1);
	assert_int_equal(g.nbad, 0);
	got_free(&g);
	buf_free(&data);
}

static long
maxrss_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

/* 1.2.10 A 100 MB body (in Chinese, three bytes a character) parses, and the
 * peak memory stays within a few times the line. */
static void
test_100mb_line(void **state)
{
	const size_t body = (100u << 20) / 3 * 3; /* whole characters */
	struct got g = {0};
	struct fz_err err = {0};
	struct ingest_sink sink = { .emit = on_emit, .bad = on_bad, .ctx = &g, .progress = on_progress };
	const char *head = "{\"id\":\"huge\",\"title\":\"T\",\"body\":\"";
	const char *tail = "\"," B "}\n";
	char path[512];
	char *chunk;
	size_t i, n;
	long before, after;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/huge.jsonl", tmpdir);
	f = fopen(path, "wb");
	assert_non_null(f);
	chunk = xmalloc(3 << 16);
	for (i = 0; i < (3u << 16); i += 3)
		memcpy(chunk + i, "志", 3);
	fputs(OK1 "\n", f);
	fputs(head, f);
	for (n = 0; n < body; n += i) {
		i = body - n < (3u << 16) ? body - n : 3u << 16;
		assert_int_equal(fwrite(chunk, 1, i, f), i);
	}
	fputs(tail, f);
	fputs(OK1 "\n", f);
	assert_int_equal(fclose(f), 0);
	free(chunk);

	before = maxrss_mb();
	assert_int_equal(ingest_jsonl(path, NULL, &sink, &err), 0);
	after = maxrss_mb();
	print_message("100 MB line: peak RSS %ld MB before, %ld MB after\n", before, after);
	assert_int_equal(g.nbad, 0);
	assert_int_equal(g.nrec, 3);
	assert_string_equal(g.rec[1].id, "huge");
	assert_int_equal(g.rec[1].bodylen, body);
	assert_int_equal(g.rec[1].rawlen, strlen(head) + body + strlen(tail) - 1);
	assert_int_equal(g.rec[2].line, 3);
	/* The line, jansson's copy of the token and the decoded string: each
	 * at most about 128 MB. Sanitizers add their own overhead. */
	assert_true(after < 1500);
	got_free(&g);
	unlink(path);
}

/* 1.2.11 The archivist's metadata overrides the file's. */
static void
test_meta(void **state)
{
	struct got g = {0};
	struct fz_err err = {0};
	struct ingest_meta meta = { .region = "山东省泰安市", .region_code = "370900", .kind = "年鉴", .book_title = "泰安年鉴" };

	(void)state;
	assert_int_equal(run(OK1 "\n", INGEST_LINE_MAX, &meta, &g, &err), 0);
	assert_int_equal(g.nrec, 1);
	assert_string_equal(g.rec[0].book_title, "泰安年鉴");
	assert_string_equal(g.rec[0].book_kind, "年鉴");
	assert_string_equal(g.rec[0].region, "山东省泰安市");
	got_free(&g);
}

/* 1.2.12 A byte order mark on the first line is skipped. */
static void
test_bom(void **state)
{
	struct got g = {0};
	struct fz_err err = {0};

	(void)state;
	assert_int_equal(run("\xEF\xBB\xBF" OK1 "\n", INGEST_LINE_MAX, NULL, &g, &err), 0);
	assert_int_equal(g.nrec, 1);
	assert_int_equal(g.nbad, 0);
	got_free(&g);
}

/* 1.3.1 Errors of the file itself, and of emit, are values with messages. */
static void
test_errors(void **state)
{
	struct got g = {0};
	struct fz_err err = {0};
	struct ingest_sink sink = { .emit = on_emit, .bad = on_bad, .ctx = &g, .progress = NULL };
	char path[512];

	(void)state;
	snprintf(path, sizeof(path), "%s/nonexistent.jsonl", tmpdir);
	assert_int_equal(ingest_jsonl(path, NULL, &sink, &err), -1);
	assert_int_equal(err.code, FZ_ENOTFOUND);
	assert_non_null(strstr(err.msg, "nonexistent.jsonl: No such file or directory"));

	assert_int_equal(ingest_jsonl(tmpdir, NULL, &sink, &err), -1);
	assert_int_equal(err.code, FZ_EINPUT);
	assert_non_null(strstr(err.msg, "is a directory"));

	/* 1.3.2 emit's error stops the parse and comes back. */
	g.fail_emit = 2;
	assert_int_equal(run(OK1 "\n" OK1 "\n" OK1 "\n", INGEST_LINE_MAX, NULL, &g, &err), -1);
	assert_int_equal(err.code, FZ_ESTORE);
	assert_string_equal(err.msg, "emit refused record 2");
	assert_int_equal(g.nrec, 1);
	got_free(&g);
}

/* 1.3.3 Progress comes now and then: every 1000 lines and at the end. */
static void
test_progress(void **state)
{
	struct got g = {0};
	struct fz_err err = {0};
	struct buf data;
	size_t i;

	(void)state;
	buf_init(&data, NULL);
	for (i = 0; i < 2500; i++)
		buf_addstr(&data, "\n");
	buf_addstr(&data, OK1 "\n");
	assert_int_equal(run(data.p, INGEST_LINE_MAX, NULL, &g, &err), 0);
	assert_int_equal(g.progress_calls, 3);
	assert_int_equal(g.rec[0].line, 2501);
	got_free(&g);
	buf_free(&data);
}

/* 1.4.1 The shared yearbook record imports whole. */
static void
test_shared_yearbook(void **state)
{
	struct got g = {0};
	struct fz_err err = {0};
	struct ingest_sink sink = { .emit = on_emit, .bad = on_bad, .ctx = &g, .progress = NULL };
	struct buf path;

	(void)state;
	buf_init(&path, NULL);
	buf_addf(&path, "%s/corpus/yearbook/taian-2018.jsonl", test_shared());
	assert_int_equal(ingest_jsonl(path.p, NULL, &sink, &err), 0);
	assert_int_equal(g.nbad, 0);
	assert_int_equal(g.nrec, 1);
	assert_string_equal(g.rec[0].id, "taian-nianjian-2018/xinfang-gongzuo");
	assert_string_equal(g.rec[0].title, "信访工作");
	assert_string_equal(g.rec[0].author, "王建伟");
	assert_string_equal(g.rec[0].book_title, "泰安年鉴");
	assert_int_equal(g.rec[0].year, 2017);
	assert_int_equal(g.rec[0].published, 2018);
	assert_null(g.rec[0].extra);
	got_free(&g);
	buf_free(&path);
}

/* 1.5.1 The id rules by themselves. */
static void
test_id_rules(void **state)
{
	(void)state;
	assert_null(ingest_id_problem("a", 0));
	assert_null(ingest_id_problem("KR2k0048/010-1a", 0));
	assert_null(ingest_id_problem("a.b_c~d-e/f.g", 0));
	assert_null(ingest_id_problem("a..b/c...", 0));
	assert_non_null(ingest_id_problem("a/./b", 0));
	assert_non_null(ingest_id_problem("a/..", 0));
	assert_non_null(ingest_id_problem("KR2k0048/010-1a", 1));
	assert_null(ingest_id_problem("KR2k0048", 1));
	{
		char id[202];
		memset(id, 'a', 200);
		id[200] = '\0';
		assert_null(ingest_id_problem(id, 0));
		id[200] = 'a';
		id[201] = '\0';
		assert_string_equal(ingest_id_problem(id, 0), "is longer than 200 characters");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_lines),   cmocka_unit_test(test_full_record),
		cmocka_unit_test(test_extra),       cmocka_unit_test(test_blank_lines),
		cmocka_unit_test(test_truncated),   cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_over_limit),  cmocka_unit_test(test_100mb_line),
		cmocka_unit_test(test_meta),        cmocka_unit_test(test_bom),
		cmocka_unit_test(test_errors),      cmocka_unit_test(test_progress),
		cmocka_unit_test(test_shared_yearbook), cmocka_unit_test(test_id_rules),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
