/* fuzz_warc.c: the WARC reader, and what the crawl importer does with each record */
#include <stdint.h>
#include <string.h>

#include "ingest/ingest_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
warn(void *ctx, long long off, const char *msg)
{
	if (off < 0 || msg == NULL || *msg == '\0')
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct warc_reader *w = warc_open_mem(data, size, warn, NULL);
	struct warc_record r;
	struct fz_err err;
	struct arena a;
	int n = 0;

	arena_init(&a, 4096);
	while (warc_next(w, &r, &err) == 1 && n++ < 1000) {
		struct http_response h;
		struct legacy_addr ad;
		struct page pg;
		/* a record's block lies inside the input's decompressed stream */
		if (r.block == NULL && r.block_len > 0)
			__builtin_trap();
		if (r.target_uri)
			store_legacy_parse(r.target_uri, &a, &ad, &err);
		http_parse(r.block, r.block_len, &a, &h);
		page_parse(h.body, h.body_len, h.charset, &a, &pg);
		if (pg.txt && strlen(pg.txt) > 0 && !utf8_valid(pg.txt, strlen(pg.txt), NULL))
			__builtin_trap();
		arena_reset(&a);
	}
	warc_close(w);
	arena_free(&a);
	return 0;
}
