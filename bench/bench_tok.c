/* bench_tok.c: throughput of text_tokenize over the kanripo corpus */
/*
 * make build/libfangzhi.a && cc -O2 -std=c11 -D_GNU_SOURCE -Isrc -o build/bench_tok \
 *     bench/bench_tok.c build/libfangzhi.a -lcrypto -lpthread
 * build/bench_tok [glob of files] [MB to tokenize, default 1024]
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text/text.h"

struct count {
	size_t ntok;
	uint32_t h;
};

/* A callback as cheap as FTS5's: count and touch the token. */
static int
count(void *ctx, const char *tok, size_t toklen, size_t start, size_t end)
{
	struct count *c = ctx;

	c->ntok++;
	c->h = c->h * 31 + (unsigned char)tok[toklen - 1] + (uint32_t)(end - start);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *pat = argc > 1 ? argv[1] : "../shared/corpus/kanripo/KR2k0048/*.txt";
	size_t target = (argc > 2 ? strtoul(argv[2], NULL, 10) : 1024) << 20;
	struct buf all;
	struct count c = {0, 0};
	struct timespec t0, t1;
	glob_t g;
	size_t i, done = 0;
	double secs;

	buf_init(&all, NULL);
	if (glob(pat, 0, NULL, &g) != 0) {
		fprintf(stderr, "bench_tok: no files match %s\n", pat);
		return 1;
	}
	for (i = 0; i < g.gl_pathc; i++) {
		FILE *f = fopen(g.gl_pathv[i], "rb");
		char chunk[65536];
		size_t n;
		if (f == NULL)
			continue;
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_add(&all, chunk, n);
		fclose(f);
	}
	globfree(&g);
	text_tokenize("warm", 4, count, &c); /* builds the table */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (done < target) {
		text_tokenize(all.p, all.len, count, &c);
		done += all.len;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%zu MB corpus x %zu = %.0f MB in %.2f s: %.0f MB/s, %.1f M tokens/s (h=%u)\n",
	       all.len >> 20, done / all.len, done / 1e6, secs, done / 1e6 / secs,
	       c.ntok / 1e6 / secs, c.h);
	buf_free(&all);
	return 0;
}
