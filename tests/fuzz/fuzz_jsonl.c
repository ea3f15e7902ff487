/* fuzz_jsonl.c: the JSON Lines importer, on any file */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
emit(void *ctx, const struct fz_record *r, struct fz_err *err)
{
	/* every emitted record has what the store needs */
	if (!r->id || !r->title || !r->body || !r->book.id || !r->book.title)
		__builtin_trap();
	return 0;
}

static void
bad(void *ctx, const char *path, long line, const char *reason)
{
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fz-fuzz-XXXXXX.jsonl";
	struct ingest_sink sink = { .emit = emit, .bad = bad };
	struct fz_err err;
	int fd = mkstemps(path, 6);
	FILE *f;

	if (fd < 0)
		return 0;
	f = fdopen(fd, "w");
	fwrite(data, 1, size, f);
	fclose(f);
	ingest_jsonl(path, NULL, &sink, &err);
	unlink(path);
	return 0;
}
