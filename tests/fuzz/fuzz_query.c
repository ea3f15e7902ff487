/* fuzz_query.c: the query parser and its FTS5 rendering, on any bytes */
#include <stdint.h>
#include <string.h>

#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct query q;
	struct fz_err err;
	struct buf out;
	char *s;

	arena_init(&a, 0);
	s = arena_strndup(&a, (const char *)data, size);
	if (text_query_parse(s, &a, &q, &err) == 0) {
		buf_init(&out, &a);
		text_query_to_fts5(&q, &out);
		/* a parsed query always has a positive term to search for */
		size_t i, pos = 0;
		for (i = 0; i < q.nterms; i++)
			pos += !q.terms[i].negated;
		if (pos == 0)
			__builtin_trap();
	}
	arena_free(&a);
	return 0;
}
