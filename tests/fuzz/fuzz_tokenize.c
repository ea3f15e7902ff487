/* fuzz_tokenize.c: the tokenizer and snippets, on any bytes */
#include <stdint.h>
#include <string.h>

#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct check {
	size_t len, last_end;
};

/* Token ranges stay inside the text and never go backwards. */
static int
token(void *ctx, const char *tok, size_t toklen, size_t start, size_t end)
{
	struct check *c = ctx;

	if (start > end || end > c->len || toklen == 0 || start < c->last_end)
		__builtin_trap();
	c->last_end = start;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct check c = { size, 0 };
	struct arena a;
	struct query q;
	struct snippet sn;
	struct fz_err err;

	text_tokenize((const char *)data, size, token, &c);
	if (size > 2) {
		/* the first few bytes as a query over the rest */
		size_t qlen = (size_t)(data[0] % 8) + 1;
		if (qlen >= size - 1)
			qlen = 1;
		arena_init(&a, 0);
		char *qs = arena_strndup(&a, (const char *)data + 1, qlen);
		if (text_query_parse(qs, &a, &q, &err) == 0)
			text_snippet((const char *)data + 1 + qlen, size - 1 - qlen, &q, 40, &a, &sn);
		arena_free(&a);
	}
	return 0;
}
