/* gen_hostile.c: a small crawl whose WARC records are broken in the ways real ones are */
/*
 * Library hx (测试资料库), book 1 (测试县志), five records HX1..HX5, written
 * twice: OUT/hostile.warc.gz (a gzip member per record) and OUT/hostile.warc
 * (plain). What is wrong, and what an import must make of it:
 *
 *   rec 1  nothing: an entry
 *   rec 2  the WARC Content-Length claims 100 bytes more than the record has:
 *          an entry all the same, and a warning
 *   rec 3  the HTTP response is cut off mid-body (its Content-Length says
 *          more): an entry with the text that arrived, and a warning
 *   rec 4  the WARC Content-Length claims 40 bytes fewer: an entry, a warning
 *   rec 5  the file ends inside this record (a truncated gzip member, or a
 *          plain file cut inside the header): nothing usable, so rec 5 is
 *          listed but never captured
 *
 * The texts are in OUT/hostile.tsv (rec, title, text, as imported).
 */
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/base.h"

void gen_hostile(const char *out);

static const char *const titles[] = { "概述", "建置沿革", "自然环境", "人口", "交通" };
static const char *const texts[] = {
	"测试县位于鲁西南。",
	"测试县古称测邑，明初置县。\n清因之。",
	"境内地势平坦，黄河故道横贯东西。\n年平均气温十三点六度，无霜期二百一十天。",
	"全县总人口八十万。",
	"境内有铁路一条。",
};

static void
gbk(struct buf *b, const char *s)
{
	iconv_t cd = iconv_open("GBK", "UTF-8");
	size_t in = strlen(s), cap = in * 2 + 4, left = cap;
	char *o = xmalloc(cap), *op = o, *ip = (char *)s;

	if (cd == (iconv_t)-1 || iconv(cd, &ip, &in, &op, &left) == (size_t)-1) {
		fprintf(stderr, "gen_hostile: cannot convert to GBK\n");
		exit(1);
	}
	buf_add(b, o, cap - left);
	iconv_close(cd);
	free(o);
}

static void
page(struct buf *b, const char *title, const char *body)
{
	buf_addstr(b, "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
		      "charset=gb2312\"><title>");
	gbk(b, title);
	buf_addstr(b, "</title></head>\r\n<body>\r\n");
	buf_addstr(b, body);
	buf_addstr(b, "</body></html>\r\n");
}

/* One WARC response record; `lie` is added to the declared length and
 * `cut`, when non-zero, is the HTTP body length actually kept. */
static void
record(struct buf *out, const char *query, int n, const struct buf *body, long lie, size_t cut)
{
	struct buf http;
	char date[32], d[65];

	buf_init(&http, NULL);
	snprintf(date, sizeof(date), "2023-06-01T09:00:%02dZ", n);
	buf_addf(&http, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %zu\r\n\r\n",
		 body->len);
	buf_add(&http, body->p, cut ? cut : body->len);
	fz_sha256_hex(query, strlen(query), d);
	buf_addf(out, "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s>\r\n"
		      "WARC-Date: %s\r\nWARC-Target-URI: http://lib.sdsqw.cn/bin/mse.exe?%s\r\n"
		      "Content-Type: application/http; msgtype=response\r\nContent-Length: %ld\r\n\r\n",
		 d, d + 8, d + 12, d + 16, d + 20, date, query, (long)http.len + lie);
	buf_add(out, http.p, http.len);
	buf_addstr(out, "\r\n\r\n");
	buf_free(&http);
}

static void
member(struct buf *out, const struct buf *in, size_t keep)
{
	z_stream z;
	size_t cap = deflateBound(NULL, in->len) + 64, start = out->len;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		exit(1);
	buf_grow(out, cap);
	z.next_in = (unsigned char *)in->p;
	z.avail_in = (unsigned)in->len;
	z.next_out = (unsigned char *)out->p + out->len;
	z.avail_out = (unsigned)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		exit(1);
	out->len += z.total_out;
	deflateEnd(&z);
	if (keep && out->len - start > keep)
		out->len = start + keep;
}

static void
save(const char *dir, const char *name, const struct buf *b)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL || fwrite(b->p, 1, b->len, f) != b->len || fclose(f)) {
		fprintf(stderr, "gen_hostile: cannot write %s\n", path);
		exit(1);
	}
}

void
gen_hostile(const char *out)
{
	struct buf recs[7], gz, plain, body, tsv;
	char q[128];
	int i;

	buf_init(&body, NULL);
	for (i = 0; i < 7; i++)
		buf_init(&recs[i], NULL);
	buf_addstr(&body, "<a href=\"mse.exe?K=hx&A=1&run=12\">");
	gbk(&body, "测试县志");
	buf_addstr(&body, "</a>\r\n");
	{
		struct buf p;
		buf_init(&p, NULL);
		page(&p, "测试资料库", body.p);
		record(&recs[0], "K=hx&run=12", 0, &p, 0, 0);
		buf_reset(&body);
		for (i = 0; i < 5; i++) {
			buf_addf(&body, "<A HREF=javascript:sf(1,%d,'HX%d') NAME='HX%d'>", i + 1, i + 1, i + 1);
			gbk(&body, titles[i]);
			buf_addstr(&body, "</A><br>\r\n");
		}
		buf_reset(&p);
		page(&p, "测试县志", body.p);
		record(&recs[1], "K=hx&A=1&run=12", 1, &p, 0, 0);
		buf_free(&p);
	}
	buf_init(&tsv, NULL);
	for (i = 0; i < 5; i++) {
		struct buf p, t;
		const char *s = texts[i];
		buf_init(&p, NULL);
		buf_init(&t, NULL);
		buf_reset(&body);
		buf_addstr(&body, "<div class=\"txt\">");
		for (;;) {
			const char *e = strchr(s, '\n');
			char *para = xstrndup(s, e ? (size_t)(e - s) : strlen(s));
			gbk(&body, para);
			buf_addstr(&body, "<br>\r\n");
			free(para);
			if (!e)
				break;
			s = e + 1;
		}
		buf_addstr(&body, "</div>\r\n");
		page(&p, titles[i], body.p);
		snprintf(q, sizeof(q), "K=HX%d&A=1&rec=%d&run=13", i + 1, i + 1);
		if (i == 2) {
			/* cut inside the second paragraph, on a character boundary */
			const char *second = strstr(p.p, "<br>") + 6;
			record(&recs[2 + i], q, i + 2, &p, 0, (size_t)(second - p.p) + 4);
			buf_addf(&t, "%d\t%s\t%.*s\\n%.6s\n", i + 1, titles[i],
				 (int)(strchr(texts[i], '\n') - texts[i]), texts[i], strchr(texts[i], '\n') + 1);
		} else {
			record(&recs[2 + i], q, i + 2, &p, i == 1 ? 100 : i == 3 ? -40 : 0, 0);
			if (i < 4) {
				const char *c;
				buf_addf(&t, "%d\t%s\t", i + 1, titles[i]);
				for (c = texts[i]; *c; c++)
					if (*c == '\n')
						buf_addstr(&t, "\\n");
					else
						buf_addch(&t, *c);
				buf_addch(&t, '\n');
			}
		}
		buf_add(&tsv, t.p, t.len);
		buf_free(&p);
		buf_free(&t);
	}
	buf_init(&gz, NULL);
	buf_init(&plain, NULL);
	for (i = 0; i < 7; i++) {
		member(&gz, &recs[i], i == 6 ? 20 : 0);
		buf_add(&plain, recs[i].p, i == 6 ? 120 : recs[i].len);
	}
	save(out, "hostile.warc.gz", &gz);
	save(out, "hostile.warc", &plain);
	save(out, "hostile.tsv", &tsv);
	for (i = 0; i < 7; i++)
		buf_free(&recs[i]);
	buf_free(&gz);
	buf_free(&plain);
	buf_free(&body);
	buf_free(&tsv);
}
