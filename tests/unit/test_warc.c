/* test_warc.c: the WARC reader, HTTP responses and page decoding, on hostile input */
#include "testlib.h"

#include <zlib.h>

#include "ingest/ingest_int.h"

/* A record as a writer would put it; lie is added to Content-Length. */
static void
record(struct buf *b, const char *uri, const char *block, long lie)
{
	buf_addf(b, "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: %s\r\n"
		    "WARC-Date: 2023-05-01T08:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
		    "Content-Length: %ld\r\n\r\n%s\r\n\r\n",
		 uri, (long)strlen(block) + lie, block);
}

static void
gzip_member(struct buf *out, const char *p, size_t len, size_t keep)
{
	z_stream z;
	size_t cap = compressBound((uLong)len) + 64, start = out->len;

	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
	buf_grow(out, cap);
	z.next_in = (unsigned char *)p;
	z.avail_in = (unsigned)len;
	z.next_out = (unsigned char *)out->p + out->len;
	z.avail_out = (unsigned)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	out->len += z.total_out;
	deflateEnd(&z);
	if (keep && out->len - start > keep)
		out->len = start + keep;
}

struct got {
	int n, nwarn;
	char uri[8][128];
	char block[8][256];
	int problem[8];
	char warn[512];
};

static void
on_warn(void *ctx, long long off, const char *msg)
{
	struct got *g = ctx;
	g->nwarn++;
	snprintf(g->warn, sizeof(g->warn), "%s", msg);
}

static int
read_all(const struct buf *in, struct got *g)
{
	struct warc_reader *w;
	struct warc_record r;
	struct fz_err err;
	int rc;

	memset(g, 0, sizeof(*g));
	g->nwarn = 0;
	w = warc_open_mem(in->p, in->len, on_warn, g);
	while ((rc = warc_next(w, &r, &err)) == 1 && g->n < 8) {
		snprintf(g->uri[g->n], 128, "%s", r.target_uri ? r.target_uri : "");
		snprintf(g->block[g->n], 256, "%.*s", (int)r.block_len, (const char *)r.block);
		g->problem[g->n] = r.problem != NULL;
		g->n++;
	}
	warc_close(w);
	return rc;
}

enum how { PLAIN, PER_RECORD, WHOLE };

/* Three records, the middle one as given, in each of the three layouts. */
static void
build(struct buf *out, enum how how, long lie, size_t cut_last)
{
	struct buf r[3], all;
	int i;

	buf_init(&all, NULL);
	for (i = 0; i < 3; i++) {
		buf_init(&r[i], NULL);
		record(&r[i], i == 0 ? "u:a" : i == 1 ? "u:b" : "u:c",
		       i == 0 ? "HTTP/1.1 200 OK\r\n\r\nalpha" : i == 1 ? "HTTP/1.1 200 OK\r\n\r\nbravo bravo"
								  : "HTTP/1.1 200 OK\r\n\r\ncharlie",
		       i == 1 ? lie : 0);
	}
	buf_init(out, NULL);
	for (i = 0; i < 3; i++) {
		size_t keep = i == 2 ? cut_last : 0;
		if (how == PER_RECORD)
			gzip_member(out, r[i].p, r[i].len, keep);
		else
			buf_add(&all, r[i].p, keep && keep < r[i].len ? keep : r[i].len);
	}
	if (how == PLAIN)
		buf_add(out, all.p, all.len);
	else if (how == WHOLE)
		gzip_member(out, all.p, all.len, 0);
	for (i = 0; i < 3; i++)
		buf_free(&r[i]);
	buf_free(&all);
}

/* 3.1.n: every layout reads the same three records; lying lengths (too
 * long, too short) are survived and flagged; nothing else is. */
static void
test_layouts_and_lies(void **state)
{
	static const long lies[] = { 0, 100, -5, 5000 };
	struct got g;
	struct buf b;
	int how, i;

	for (how = PLAIN; how <= WHOLE; how++)
		for (i = 0; i < 4; i++) {
			build(&b, (enum how)how, lies[i], 0);
			assert_int_equal(read_all(&b, &g), 0);
			if (g.n != 3)
				fail_msg("3.1.%d: layout %d lie %ld: %d records", how * 4 + i, how, lies[i], g.n);
			assert_string_equal(g.block[0], "HTTP/1.1 200 OK\r\n\r\nalpha");
			assert_string_equal(g.block[1], "HTTP/1.1 200 OK\r\n\r\nbravo bravo");
			assert_string_equal(g.block[2], "HTTP/1.1 200 OK\r\n\r\ncharlie");
			assert_string_equal(g.uri[2], "u:c");
			assert_int_equal(g.problem[1], lies[i] != 0);
			assert_int_equal(g.problem[0] + g.problem[2], 0);
			buf_free(&b);
		}
}

/* 3.2: a gzip member cut short (the file ends inside it) is reported;
 * the records before it are whole. */
static void
test_truncated_member(void **state)
{
	struct got g;
	struct buf b;

	build(&b, PER_RECORD, 0, 25);
	assert_int_equal(read_all(&b, &g), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.block[1], "HTTP/1.1 200 OK\r\n\r\nbravo bravo");
	assert_true(g.nwarn >= 1);
	buf_free(&b);
}

/* 3.3: a plain file that ends inside a record's block: the record comes
 * back with what there is, flagged as truncated. */
static void
test_truncated_block(void **state)
{
	struct got g;
	struct buf b;
	struct warc_reader *w;
	struct warc_record r;
	struct fz_err err;
	int n = 0;

	buf_init(&b, NULL);
	record(&b, "u:a", "HTTP/1.1 200 OK\r\n\r\nalpha", 0);
	record(&b, "u:b", "HTTP/1.1 200 OK\r\n\r\nbravo bravo bravo", 0);
	b.len -= 12; /* into "bravo" */
	w = warc_open_mem(b.p, b.len, on_warn, &g);
	while (warc_next(w, &r, &err) == 1) {
		if (++n == 2) {
			assert_non_null(r.problem);
			assert_non_null(strstr(r.problem, "truncated"));
			assert_int_equal(r.block_len, strlen("HTTP/1.1 200 OK\r\n\r\nbravo bravo bravo") - 8);
		}
	}
	warc_close(w);
	assert_int_equal(n, 2);
	buf_free(&b);
}

/* 3.4: garbage before and between records, a missing Content-Length, a
 * header cut off, empty input: no crash, the good records survive. */
static void
test_garbage(void **state)
{
	struct got g;
	struct buf b;

	buf_init(&b, NULL);
	buf_addstr(&b, "junk junk\r\n");
	record(&b, "u:a", "one", 0);
	buf_addstr(&b, "more junk\r\n\r\n");
	record(&b, "u:b", "two", 0);
	buf_addstr(&b, "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: u:c\r\n\r\nno length\r\n\r\n");
	record(&b, "u:d", "four", 0);
	buf_addstr(&b, "WARC/1.1\r\nWARC-Type: resp");
	assert_int_equal(read_all(&b, &g), 0);
	assert_int_equal(g.n, 4);
	assert_string_equal(g.block[0], "one");
	assert_string_equal(g.block[1], "two");
	assert_string_equal(g.block[2], "no length");
	assert_int_equal(g.problem[2], 1);
	assert_string_equal(g.block[3], "four");
	assert_true(g.nwarn >= 2);
	buf_reset(&b);
	assert_int_equal(read_all(&b, &g), 0);
	assert_int_equal(g.n, 0);
	buf_free(&b);
}

/* 3.5: HTTP responses: chunked, cut off, gzip-encoded, not HTTP at all. */
static void
test_http(void **state)
{
	static const char chunked[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
				      "Content-Type: text/html; charset=GBK\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
	static const char cut[] = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort";
	struct http_response h;
	struct arena a;
	struct buf gz, resp;

	arena_init(&a, 4096);
	http_parse(chunked, strlen(chunked), &a, &h);
	assert_int_equal(h.status, 200);
	assert_string_equal(h.charset, "GBK");
	assert_int_equal(h.body_len, 11);
	assert_memory_equal(h.body, "hello world", 11);
	assert_null(h.problem);
	http_parse(chunked, strlen(chunked) - 8, &a, &h);
	assert_non_null(h.problem);
	http_parse(cut, strlen(cut), &a, &h);
	assert_non_null(h.problem);
	assert_non_null(strstr(h.problem, "cut off"));
	assert_int_equal(h.body_len, 5);
	buf_init(&gz, NULL);
	gzip_member(&gz, "zipped text", 11, 0);
	buf_init(&resp, NULL);
	buf_addf(&resp, "HTTP/1.1 404 Not Found\r\nContent-Encoding: gzip\r\nContent-Length: %zu\r\n\r\n", gz.len);
	buf_add(&resp, gz.p, gz.len);
	http_parse(resp.p, resp.len, &a, &h);
	assert_int_equal(h.status, 404);
	assert_int_equal(h.body_len, 11);
	assert_memory_equal(h.body, "zipped text", 11);
	http_parse("<html>", 6, &a, &h);
	assert_int_equal(h.status, 0);
	assert_int_equal(h.body_len, 6);
	buf_free(&gz);
	buf_free(&resp);
	arena_free(&a);
}

/* 3.6: a page declared gb2312 with GBK-only characters (镕 堃) decodes
 * through GB18030; bytes that are not GBK are marked, never dropped;
 * div.txt paragraphs come back trimmed, by <br> and <p>. */
static void
test_page(void **state)
{
	/* 朱镕基 王堃 in GBK, then 0xFF, then <br>, a <p> paragraph */
	static const char page[] =
		"<html><head><meta http-equiv=Content-Type content=\"text/html; charset=gb2312\">"
		"<title>\xb2\xe2\xca\xd4</title></head><body><div class=\"txt\">\xa1\xa1\xa1\xa1"
		"\xd6\xec\xe9\x46\xbb\xf9\xa1\xa2\xcd\xf5\x88\xd2\xff<br>\r\n<p>\xa1\xa1 two  spaces &amp; "
		"&#x20000;</p></div><a href=\"javascript:sf(3,29,'CH97')\" name='CH97'> \xb5\xda\xd2\xbb </a></body></html>";
	struct arena a;
	struct page pg;

	arena_init(&a, 4096);
	page_parse(page, sizeof(page) - 1, NULL, &a, &pg);
	assert_string_equal(pg.charset, "gb2312");
	assert_string_equal(pg.decoded_as, "GB18030");
	assert_string_equal(pg.title, "测试");
	assert_int_equal(pg.nbad, 1);
	assert_string_equal(pg.txt, "朱镕基、王堃\xEF\xBF\xBD\ntwo spaces & 𠀀");
	assert_non_null(strstr(pg.bad, "\"ff\""));
	assert_int_equal(pg.nlinks, 1);
	assert_string_equal(pg.links[0].href, "javascript:sf(3,29,'CH97')");
	assert_string_equal(pg.links[0].name, "CH97");
	assert_string_equal(pg.links[0].text, "第一");
	/* declared UTF-8 by HTTP, invalid bytes marked */
	page_parse("<div class=txt>ok\xc3</div>", 23, "utf-8", &a, &pg);
	assert_string_equal(pg.txt, "ok\xEF\xBF\xBD");
	assert_int_equal(pg.nbad, 1);
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layouts_and_lies), cmocka_unit_test(test_truncated_member),
		cmocka_unit_test(test_truncated_block),  cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_http),             cmocka_unit_test(test_page),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
