/* test_kanripo.c: the Kanseki Repository importer on the shared books and hand-made ones */
#include "testlib.h"

#include <sys/stat.h>
#include <unistd.h>

#include "ingest/ingest.h"

#define NOTE_OPEN TEXT_NOTE_OPEN
#define NOTE_CLOSE TEXT_NOTE_CLOSE

/* ---- a sink that keeps copies of everything ---- */

struct got_page {
	size_t pos;
	char *label;
};

struct got_rec {
	char *id, *title, *body, *raw, *source_file, *source_page;
	char *book_id, *book_title, *edition, *kind, *region;
	size_t rawlen, npages;
	struct got_page *pages;
	long order, source_line;
};

struct got_bad {
	char *path, *reason;
	long line;
};

struct got {
	struct got_rec rec[128];
	size_t nrec;
	struct got_bad bad[32];
	size_t nbad;
	long progress_calls;
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
	size_t i;

	(void)err;
	assert_true(g->nrec < 128);
	x = &g->rec[g->nrec++];
	x->id = xstrdup(r->id);
	x->title = xstrdup(r->title);
	x->body = xstrdup(r->body);
	x->raw = xstrndup(r->raw, r->rawlen);
	x->rawlen = r->rawlen;
	x->source_file = xstrdup(r->source_file);
	x->source_page = dup_or_null(r->source_page);
	x->source_line = r->source_line;
	x->order = r->order;
	x->book_id = xstrdup(r->book.id);
	x->book_title = xstrdup(r->book.title);
	x->edition = dup_or_null(r->book.edition);
	x->kind = dup_or_null(r->book.kind);
	x->region = dup_or_null(r->book.region);
	x->npages = r->npages;
	x->pages = xcalloc(r->npages, sizeof(*x->pages));
	for (i = 0; i < r->npages; i++) {
		x->pages[i].pos = r->pages[i].pos;
		x->pages[i].label = xstrdup(r->pages[i].label);
	}
	return 0;
}

static void
on_bad(void *ctx, const char *path, long line, const char *reason)
{
	struct got *g = ctx;

	assert_true(g->nbad < 32);
	g->bad[g->nbad].path = xstrdup(path);
	g->bad[g->nbad].reason = xstrdup(reason);
	g->bad[g->nbad].line = line;
	g->nbad++;
}

static void
on_progress(void *ctx, long records, size_t bytes, size_t total)
{
	struct got *g = ctx;

	(void)records;
	assert_true(bytes <= total);
	g->progress_calls++;
}

static void
got_free(struct got *g)
{
	size_t i, j;

	for (i = 0; i < g->nrec; i++) {
		struct got_rec *x = &g->rec[i];
		free(x->id), free(x->title), free(x->body), free(x->raw);
		free(x->source_file), free(x->source_page), free(x->book_id);
		free(x->book_title), free(x->edition), free(x->kind), free(x->region);
		for (j = 0; j < x->npages; j++)
			free(x->pages[j].label);
		free(x->pages);
	}
	for (i = 0; i < g->nbad; i++)
		free(g->bad[i].path), free(g->bad[i].reason);
	memset(g, 0, sizeof(*g));
}

static int
import(const char *dir, const struct ingest_meta *meta, struct got *g)
{
	struct ingest_sink sink = { .emit = on_emit, .bad = on_bad, .ctx = g, .progress = on_progress };
	struct fz_err err = {0};
	int rc = ingest_kanripo(dir, meta, &sink, &err);

	if (rc != 0)
		print_message("ingest_kanripo: %s\n", err.msg);
	return rc;
}

static const struct got_rec *
find(const struct got *g, const char *id)
{
	size_t i;

	for (i = 0; i < g->nrec; i++)
		if (strcmp(g->rec[i].id, id) == 0)
			return &g->rec[i];
	fail_msg("no entry %s", id);
	return NULL;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0, k = strlen(needle);

	while ((hay = strstr(hay, needle)) != NULL)
		n++, hay += k;
	return n;
}

/* Every body is free of the layout and markup of the source. */
static void
assert_clean(const struct got *g)
{
	size_t i;

	for (i = 0; i < g->nrec; i++) {
		const char *b = g->rec[i].body;
		if (strstr(b, "¶") || strstr(b, "<pb:") || strstr(b, "\xE3\x80\x80") ||
		    strchr(b, '(') || strchr(b, ')') || strchr(b, '/') || strchr(b, '\r'))
			fail_msg("%s: layout left in the body", g->rec[i].id);
		/* notes balance and never nest */
		{
			int depth = 0;
			const char *p;
			for (p = b; *p; p++) {
				if (strncmp(p, NOTE_OPEN, 3) == 0)
					depth++;
				else if (strncmp(p, NOTE_CLOSE, 3) == 0)
					depth--;
				assert_true(depth == 0 || depth == 1);
			}
			assert_int_equal(depth, 0);
		}
		assert_int_equal(count(b, NOTE_OPEN NOTE_CLOSE), 0); /* no empty note */
	}
}

/* The number of items in a Readme.org, counted plainly. */
static size_t
toc_items(const char *dir)
{
	char line[4096];
	struct buf path;
	size_t n = 0;
	FILE *f;

	buf_init(&path, NULL);
	buf_addf(&path, "%s/Readme.org", dir);
	f = fopen(path.p, "r");
	buf_free(&path);
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		n += strstr(line, "[[file:") != NULL;
	fclose(f);
	return n;
}

/* How often needle occurs in the book's juan files. */
static size_t
count_in_files(const char *dir, const char *needle)
{
	char line[65536];
	struct buf path;
	size_t n = 0;
	int j;
	FILE *f;

	buf_init(&path, NULL);
	for (j = 0; j < 1000; j++) {
		buf_reset(&path);
		buf_addf(&path, "%s/%s_%03d.txt", dir, strrchr(dir, '/') + 1, j);
		if ((f = fopen(path.p, "r")) == NULL)
			break;
		while (fgets(line, sizeof(line), f))
			n += count(line, needle);
		fclose(f);
	}
	buf_free(&path);
	return n;
}

/* 2.1.1 山東通志: one entry per item of the table of contents, clean text. */
static void
test_kr2k0048(void **state)
{
	struct got g = {0};
	struct ingest_meta meta = { .region = "山东省", .region_code = "370000", .kind = NULL, .book_title = NULL };
	const struct got_rec *r;
	char dir[512];
	size_t i, refs = 0;
	static const char *const labels[] = {"000-1a", "000-1b", "000-2a",
					     "000-2b", "000-3a", "000-3b"};

	(void)state;
	snprintf(dir, sizeof(dir), "%s/corpus/kanripo/KR2k0048", test_shared());
	assert_int_equal(import(dir, &meta, &g), 0);
	assert_int_equal(g.nbad, 0);
	assert_int_equal(toc_items(dir), 80);
	assert_int_equal(g.nrec, 80);
	assert_true(g.progress_calls >= 80);

	r = &g.rec[0];
	assert_string_equal(r->id, "KR2k0048/000-1a");
	assert_string_equal(r->title, "山東通志 序");
	assert_string_equal(r->book_id, "KR2k0048");
	assert_string_equal(r->book_title, "山東通志");
	assert_string_equal(r->edition, "四庫全書・文淵閣");
	assert_string_equal(r->kind, "旧志");
	assert_string_equal(r->region, "山东省");
	assert_int_equal(r->order, 0);
	assert_string_equal(r->source_page, "000-1a");
	assert_int_equal(r->source_line, 7);
	assert_non_null(strstr(r->source_file, "KR2k0048/KR2k0048_000.txt"));
	assert_int_equal(strncmp(r->raw, "<pb:KR2k0048_WYG_000-1a>¶\n", 27), 0);
	/* its raw text runs to the next item's page, less the next juan's header */
	assert_non_null(strstr(r->raw, "右都御史(臣/)岳濬謹題¶\n"));
	assert_null(strstr(r->raw, "#+PROPERTY: JUAN 表"));
	assert_int_equal(r->npages, 6);
	for (i = 0; i < 6; i++)
		assert_string_equal(r->pages[i].label, labels[i]);
	assert_int_equal(r->pages[0].pos, 0);
	/* page 1b starts at 有裨政治 */
	assert_int_equal(strncmp(r->body + r->pages[1].pos, "有裨政治", 12), 0);
	for (i = 1; i < 6; i++)
		assert_true(r->pages[i].pos > r->pages[i - 1].pos);
	/* the title line runs into the text; a sentence across a page break,
	 * a 抬頭 break, a note, an entity reference */
	assert_int_equal(strncmp(r->body, "山東通志序虞書禹貢志之所由昉也", 45), 0);
	assert_non_null(strstr(r->body, "多識博聞有裨政治"));
	assert_non_null(strstr(r->body, "規模我國朝正域四方"));
	assert_non_null(strstr(r->body, "各省通志" NOTE_OPEN "臣" NOTE_CLOSE "承乏二東"));
	assert_non_null(strstr(r->body, "玉海&KR1193;運"));
	assert_null(strchr(r->body, '\n'));
	assert_true(r->body[strlen(r->body) - 1] != '\n');

	r = &g.rec[15];
	assert_string_equal(r->id, "KR2k0048/010-1a");
	assert_string_equal(r->title, "山東通志 卷八");
	assert_int_equal(r->order, 15);
	assert_string_equal(g.rec[79].id, "KR2k0048/074-1a");
	assert_string_equal(g.rec[79].title, "山東通志 卷三十六");

	/* a note over three printed lines is one note, its columns in order */
	r = find(&g, "KR2k0048/004-1a");
	assert_non_null(strstr(r->body, "星野" NOTE_OPEN "保章氏星土之說鄭康成以其書已亡祗取十二"
					"次分野釋之後世推步之法各有專家然經星分十二次屬十二州"));
	assert_non_null(strstr(r->body, "首列而取諸占於後蓋於各說稍具輕重云" NOTE_CLOSE
					"十二次分野"));

	assert_clean(&g);
	for (i = 0; i < g.nrec; i++) {
		refs += count(g.rec[i].body, "&KR");
		assert_int_equal(g.rec[i].pages[0].pos, 0);
		assert_string_equal(g.rec[i].pages[0].label, g.rec[i].source_page);
	}
	assert_int_equal(refs, count_in_files(dir, "&KR"));
	assert_int_equal(refs, 269);
	got_free(&g);
}

/* 2.1.2 居濟一得: ten items, two of them in the front matter file. */
static void
test_kr2k0075(void **state)
{
	struct got g = {0};
	char dir[512];
	size_t i, notes = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/corpus/kanripo/KR2k0075", test_shared());
	assert_int_equal(import(dir, NULL, &g), 0);
	assert_int_equal(g.nbad, 0);
	assert_int_equal(g.nrec, 10);
	assert_string_equal(g.rec[0].id, "KR2k0075/000-1a");
	assert_string_equal(g.rec[0].title, "居濟一得 提要");
	assert_string_equal(g.rec[1].id, "KR2k0075/000-3a");
	assert_string_equal(g.rec[1].title, "居濟一得 原序");
	assert_string_equal(g.rec[2].id, "KR2k0075/001-1a");
	assert_string_equal(g.rec[2].title, "居濟一得 卷一");
	assert_string_equal(g.rec[9].id, "KR2k0075/008-1a");
	assert_string_equal(g.rec[9].book_title, "居濟一得");
	assert_string_equal(g.rec[9].edition, "四庫全書・文淵閣");
	/* the 提要 ends where the 原序 begins */
	assert_int_equal(g.rec[0].npages, 3);
	assert_string_equal(g.rec[0].pages[2].label, "000-2a");
	assert_non_null(strstr(g.rec[0].body, "地理𩔖四" NOTE_OPEN "河渠之屬" NOTE_CLOSE "提要"));
	assert_clean(&g);
	for (i = 0; i < g.nrec; i++)
		notes += count(g.rec[i].body, NOTE_OPEN);
	assert_true(notes > 0);
	assert_int_equal(count(g.rec[0].body, "&KR") + count(g.rec[1].body, "&KR") +
				 count(g.rec[2].body, "&KR") + count(g.rec[3].body, "&KR") +
				 count(g.rec[4].body, "&KR") + count(g.rec[5].body, "&KR") +
				 count(g.rec[6].body, "&KR") + count(g.rec[7].body, "&KR") +
				 count(g.rec[8].body, "&KR") + count(g.rec[9].body, "&KR"),
			 count_in_files(dir, "&KR"));
	got_free(&g);
}

/* ---- hand-made books in a temporary directory ---- */

static char tmpdir[256];

static int
setup_dir(void **state)
{
	(void)state;
	return test_tmpdir_make(tmpdir, sizeof(tmpdir), "test_kanripo");
}

static int
teardown_dir(void **state)
{
	(void)state;
	return test_tmpdir_remove(tmpdir);
}

/* Writes dir/name (under tmpdir) with the given text. */
static void
put(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", tmpdir, dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

#define HEAD(juan)                                                                         \
	"# -*- mode: mandoku-view; -*-\n#+TITLE: 測試志\n#+DATE: 2015-08-24\n"             \
	"#+PROPERTY: ID KR9z0001\n#+PROPERTY: BASEEDITION WYG    \n#+PROPERTY: JUAN " juan "\n"

/* 2.2.1 Edge cases: notes over lines and pages, an item over two files, a
 * missing file, a missing page, a malformed item. */
static void
test_handmade(void **state)
{
	struct got g = {0};
	const struct got_rec *r;
	char dir[512];

	(void)state;
	put("KR9z0001", "Readme.org",
	    "#+TITLE: 測試志 / WYG\n"
	    "#+DATE: 2015-08-24 22:42:09.683593\n"
	    "* 版本\n"
	    " |       WYG|【四庫全書・文淵閣】|\n"
	    "目次\n"
	    " - [[file:KR9z0001_000.txt::000-1a][測試志 序]]\n"
	    " - [[file:KR9z0001_001.txt::001-1a][測試志 卷一]]\n"
	    " - [[file:KR9z0001_003.txt::003-1a][測試志 卷三]]\n"
	    " - [[file:KR9z0001_001.txt::001-9a][測試志 卷一下]]\n"
	    " - [[file:KR9z0001_004.txt 測試志 卷四]]\n");
	put("KR9z0001", "KR9z0001_000.txt",
	    HEAD("序") "<pb:KR9z0001_WYG_000-1a>¶\n"
		       "　　　序文甲乙(小注/兩行)丙丁¶\n"
		       "　　　戊己(跨行之/注文)¶\n"
		       "　　　(續注/完)庚辛&KR0001;□¶\n"
		       "<pb:KR9z0001_WYG_000-1b>¶\n"
		       "　　壬癸我¶\n"
		       "　國朝(臣/)子　丑¶\n"
		       "　　(一/)¶\n");
	put("KR9z0001", "KR9z0001_001.txt",
	    HEAD("卷一") "<pb:KR9z0001_WYG_001-1a>¶\n"
			 "　甲(注一/注二)¶\n"
			 "<pb:KR9z0001_WYG_001-1b>¶\n"
			 "　(注三/  )乙¶\n");
	put("KR9z0001", "KR9z0001_002.txt",
	    HEAD("卷二") "<pb:KR9z0001_WYG_002-1a>¶\n"
			 "　丙丁¶\n"
			 "　戊");
	snprintf(dir, sizeof(dir), "%s/KR9z0001", tmpdir);
	assert_int_equal(import(dir, NULL, &g), 0);

	assert_int_equal(g.nbad, 3);
	assert_int_equal(g.bad[0].line, 10);
	assert_non_null(strstr(g.bad[0].path, "KR9z0001/Readme.org"));
	assert_string_equal(g.bad[0].reason, "table of contents item is not of the form "
					     "[[file:NAME.txt::PAGE][TITLE]]");
	assert_int_equal(g.bad[1].line, 8);
	assert_string_equal(g.bad[1].reason, "file \"KR9z0001_003.txt\" named in the table of "
					     "contents does not exist");
	assert_int_equal(g.bad[2].line, 9);
	assert_string_equal(g.bad[2].reason, "page \"001-9a\" named in the table of contents is "
					     "not in KR9z0001_001.txt (no <pb:…_001-9a> marker)");

	assert_int_equal(g.nrec, 2);
	r = &g.rec[0];
	assert_string_equal(r->id, "KR9z0001/000-1a");
	assert_string_equal(r->book_title, "測試志");
	assert_string_equal(r->edition, "四庫全書・文淵閣");
	assert_string_equal(r->body, "序文甲乙" NOTE_OPEN "小注兩行" NOTE_CLOSE "丙丁戊己" NOTE_OPEN
				     "跨行之注文續注完" NOTE_CLOSE "庚辛&KR0001;□壬癸我國朝" NOTE_OPEN
				     "臣" NOTE_CLOSE "子丑" NOTE_OPEN "一" NOTE_CLOSE);
	assert_int_equal(r->npages, 2);
	assert_int_equal(r->pages[0].pos, 0);
	assert_string_equal(r->pages[1].label, "000-1b");
	assert_int_equal(strncmp(r->body + r->pages[1].pos, "壬癸", 6), 0);
	assert_int_equal(r->source_line, 7);

	/* 卷一 runs on through 002 (not in the table of contents): a new juan
	 * is the one place a paragraph break is put. A page inside a note
	 * starts inside it. */
	r = &g.rec[1];
	assert_string_equal(r->id, "KR9z0001/001-1a");
	assert_string_equal(r->title, "測試志 卷一");
	assert_int_equal(r->order, 1);
	assert_string_equal(r->body, "甲" NOTE_OPEN "注一注二注三" NOTE_CLOSE "乙\n丙丁戊");
	assert_int_equal(r->npages, 3);
	assert_string_equal(r->pages[1].label, "001-1b");
	assert_int_equal(strncmp(r->body + r->pages[1].pos, "注三", 6), 0);
	assert_string_equal(r->pages[2].label, "002-1a");
	assert_int_equal(strncmp(r->body + r->pages[2].pos, "丙丁", 6), 0);
	assert_non_null(strstr(r->source_file, "KR9z0001_001.txt"));
	assert_int_equal(r->source_line, 7);
	assert_int_equal(strncmp(r->raw, "<pb:KR9z0001_WYG_001-1a>", 24), 0);
	assert_non_null(strstr(r->raw, "#+PROPERTY: JUAN 卷二\n"));
	assert_true(r->rawlen > 0 && r->raw[r->rawlen - 1] == '\n');
	assert_clean(&g);
	got_free(&g);
}

/* 2.2.2 Text that is not UTF-8: the file and line are reported, and the
 * item over it is left out while the others come in. */
static void
test_bad_utf8(void **state)
{
	struct got g = {0};
	char dir[512];

	(void)state;
	put("KR9z0002", "Readme.org",
	    "#+TITLE: 乙志 / WYG\n"
	    " - [[file:KR9z0002_000.txt::000-1a][乙志 序]]\n"
	    " - [[file:KR9z0002_001.txt::001-1a][乙志 卷一]]\n");
	put("KR9z0002", "KR9z0002_000.txt",
	    "#+TITLE: 乙志\n<pb:KR9z0002_WYG_000-1a>¶\n　甲乙¶\n");
	put("KR9z0002", "KR9z0002_001.txt",
	    "#+TITLE: 乙志\n<pb:KR9z0002_WYG_001-1a>¶\n　甲乙¶\n　丙\xe4\xb8¶\n");
	snprintf(dir, sizeof(dir), "%s/KR9z0002", tmpdir);
	assert_int_equal(import(dir, NULL, &g), 0);
	assert_int_equal(g.nrec, 1);
	assert_string_equal(g.rec[0].body, "甲乙");
	assert_string_equal(g.rec[0].book_id, "KR9z0002"); /* from the directory's name */
	assert_null(g.rec[0].edition);
	assert_int_equal(g.nbad, 2);
	assert_non_null(strstr(g.bad[0].path, "KR9z0002/KR9z0002_001.txt"));
	assert_int_equal(g.bad[0].line, 4);
	assert_string_equal(g.bad[0].reason, "invalid UTF-8 at byte 6");
	assert_non_null(strstr(g.bad[1].path, "Readme.org"));
	assert_int_equal(g.bad[1].line, 3);
	assert_string_equal(g.bad[1].reason, "item \"乙志 卷一\" not imported: KR9z0002_001.txt "
					     "line 4 is not valid UTF-8");
	got_free(&g);
}

/* 2.2.3 A directory without Readme.org: reported, nothing imported. */
static void
test_no_readme(void **state)
{
	struct got g = {0};
	char dir[512];
	struct ingest_sink sink = { .emit = on_emit, .bad = on_bad, .ctx = &g, .progress = NULL };
	struct fz_err err = {0};

	(void)state;
	put("KR9z0003", "KR9z0003_000.txt", "<pb:KR9z0003_WYG_000-1a>¶\n甲¶\n");
	snprintf(dir, sizeof(dir), "%s/KR9z0003", tmpdir);
	assert_int_equal(import(dir, NULL, &g), 0);
	assert_int_equal(g.nrec, 0);
	assert_int_equal(g.nbad, 1);
	assert_int_equal(g.bad[0].line, 0);
	assert_non_null(strstr(g.bad[0].path, "KR9z0003/Readme.org"));
	assert_string_equal(g.bad[0].reason, "Readme.org is missing: without its table of "
					     "contents the book cannot be divided into entries");
	got_free(&g);

	/* 2.2.4 No such directory: an error value. */
	snprintf(dir, sizeof(dir), "%s/nonexistent", tmpdir);
	assert_int_equal(ingest_kanripo(dir, NULL, &sink, &err), -1);
	assert_int_equal(err.code, FZ_ENOTFOUND);
	assert_non_null(strstr(err.msg, "nonexistent: No such file or directory"));
}

/* 2.2.5 Metadata given at import wins over the files'. */
static void
test_meta(void **state)
{
	struct got g = {0};
	struct ingest_meta meta = { .region = "山东省济宁市", .region_code = "370800", .kind = "志", .book_title = "居济一得" };
	char dir[512];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/corpus/kanripo/KR2k0075", test_shared());
	assert_int_equal(import(dir, &meta, &g), 0);
	assert_string_equal(g.rec[0].kind, "志");
	assert_string_equal(g.rec[0].book_title, "居济一得");
	assert_string_equal(g.rec[0].region, "山东省济宁市");
	got_free(&g);
}

/* 3.1 Detection by path: books, JSON Lines, and clear refusals. */
static void
test_detect(void **state)
{
	enum ingest_format fmt;
	struct fz_err err = {0};
	char path[512];

	(void)state;
	snprintf(path, sizeof(path), "%s/corpus/kanripo/KR2k0048", test_shared());
	assert_int_equal(ingest_detect(path, &fmt, &err), 0);
	assert_int_equal(fmt, INGEST_KANRIPO);
	snprintf(path, sizeof(path), "%s/corpus/yearbook/taian-2018.jsonl", test_shared());
	assert_int_equal(ingest_detect(path, &fmt, &err), 0);
	assert_int_equal(fmt, INGEST_JSONL);

	put("det", "a.NDJSON", "");
	put("det", "b.json", "");
	put("det", "c.txt", "");
	snprintf(path, sizeof(path), "%s/det/a.NDJSON", tmpdir);
	assert_int_equal(ingest_detect(path, &fmt, &err), 0);
	assert_int_equal(fmt, INGEST_JSONL);
	snprintf(path, sizeof(path), "%s/det/b.json", tmpdir);
	assert_int_equal(ingest_detect(path, &fmt, &err), 0);

	snprintf(path, sizeof(path), "%s/det/c.txt", tmpdir);
	assert_int_equal(ingest_detect(path, &fmt, &err), -1);
	assert_int_equal(err.code, FZ_EINPUT);
	assert_non_null(strstr(err.msg, "c.txt: format not recognised; fangzhi imports JSON "
					"Lines files (*.jsonl, *.ndjson, *.json) and Kanseki "
					"Repository book directories"));

	snprintf(path, sizeof(path), "%s/det", tmpdir);
	assert_int_equal(ingest_detect(path, &fmt, &err), -1);
	assert_int_equal(err.code, FZ_EINPUT);
	assert_non_null(strstr(err.msg, "it has neither Readme.org nor <ID>_<NNN>.txt files"));

	snprintf(path, sizeof(path), "%s/KR9z0003", tmpdir); /* from test_no_readme */
	put("KR9z0003", "x", "");
	assert_int_equal(ingest_detect(path, &fmt, &err), -1);
	assert_non_null(strstr(err.msg, "it has <ID>_<NNN>.txt files but no Readme.org"));

	snprintf(path, sizeof(path), "%s/nope.jsonl", tmpdir);
	assert_int_equal(ingest_detect(path, &fmt, &err), -1);
	assert_int_equal(err.code, FZ_ENOTFOUND);

	{
		long n = 0;
		assert_int_equal(ingest_kanripo_juan_name("KR2k0048_010.txt", &n), 1);
		assert_int_equal(n, 10);
		assert_int_equal(ingest_kanripo_juan_name("Readme.org", NULL), 0);
		assert_int_equal(ingest_kanripo_juan_name("_010.txt", NULL), 0);
		assert_int_equal(ingest_kanripo_juan_name("KR2k0048_.txt", NULL), 0);
		assert_int_equal(ingest_kanripo_juan_name("KR2k0048_01a.txt", NULL), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kr2k0048), cmocka_unit_test(test_kr2k0075),
		cmocka_unit_test(test_handmade), cmocka_unit_test(test_bad_utf8),
		cmocka_unit_test(test_no_readme), cmocka_unit_test(test_meta),
		cmocka_unit_test(test_detect),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
