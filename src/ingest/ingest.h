/* ingest.h: importers that turn rescued files into records for the store */
#ifndef FZ_INGEST_H
#define FZ_INGEST_H

#include "../store/store.h"

/*
 * Each parser reads one input and calls `emit` once per good record. The
 * record and everything it points to live in the arena, which the parser
 * resets between records (so memory stays flat). A non-zero return from
 * emit stops the parse and is returned as -1 with emit's err.
 *
 * Bad records are reported through `bad` (path, 1-based line or 0, reason)
 * and parsing goes on, so that all problems of a file are listed at once;
 * the caller decides whether anything is imported.
 */
typedef int (*ingest_emit_fn)(void *ctx, const struct fz_record *r, struct fz_err *err);
typedef void (*ingest_bad_fn)(void *ctx, const char *path, long line, const char *reason);

struct ingest_sink {
	ingest_emit_fn emit;
	ingest_bad_fn bad;
	void *ctx;
	/* progress: called now and then with bytes read so far and total */
	void (*progress)(void *ctx, long records, size_t bytes, size_t total);
};

/* Metadata an archivist may give at import, for formats that lack it. */
struct ingest_meta {
	const char *region;
	const char *region_code;
	const char *kind;
	const char *book_title;
};

/* A library code of the old site and what its books cover; NULL fields
 * leave the built-in value (kind NULL: from each book's title). */
struct ingest_library {
	const char *code, *region, *region_code, *kind;
};

/* What a crawl import takes beyond the sink and metadata of the others. */
struct ingest_crawl_opts {
	const struct ingest_library *libraries; /* beyond the built-in table (ch9 = 东明县) */
	size_t nlibraries;
	/* something kept but not as it should be (a cut-off capture, a page that
	 * does not decode cleanly): reported, never refused; may be NULL */
	ingest_bad_fn warn;
	long new_captures; /* OUT: captures this archive did not hold before */
};

/* Hard limit for one JSON Lines record. */
#define INGEST_LINE_MAX (128u << 20)

/* JSON Lines in the interchange format (formats/records.md). Returns -1 with
 * err only when the file itself cannot be read or emit failed; bad records go
 * to sink->bad. */
int ingest_jsonl(const char *path, const struct ingest_meta *meta, struct ingest_sink *sink,
		 struct fz_err *err);
/* The same with another limit for one line (tests use a small one). */
int ingest_jsonl_max(const char *path, const struct ingest_meta *meta, size_t line_max,
		     struct ingest_sink *sink, struct fz_err *err);

/* Why `id` breaks the id rules of formats/records.md, as words that follow
 * "id ..." (e.g. "has a \"..\" segment"), or NULL when it keeps them. With
 * book set, the rules for a book id (no '/'). The reason is a constant. */
const char *ingest_id_problem(const char *id, int book);

/* A Kanseki Repository book directory (Readme.org + <ID>_<NNN>.txt). */
int ingest_kanripo(const char *dir, const struct ingest_meta *meta, struct ingest_sink *sink,
		   struct fz_err *err);

/* Which importer a path calls for; -1 with a message when none does. */
/* A crawl of the old site (lib.sdsqw.cn): a WARC file (plain or gzip) or
 * a directory of pages saved by wget. Every capture is kept in the store
 * as it came; books, chapter trees and entries are rebuilt from all the
 * captures the archive holds for the books this crawl touches. */
int ingest_crawl(const char *path, const struct ingest_meta *meta,
		 struct ingest_crawl_opts *opts, struct store *s, struct ingest_sink *sink,
		 struct fz_err *err);

enum ingest_format { INGEST_JSONL, INGEST_KANRIPO, INGEST_WARC, INGEST_SAVED, INGEST__MAX };
int ingest_detect(const char *path, enum ingest_format *out, struct fz_err *err);

/* 1 if a file name looks like a Kanseki Repository juan file, <ID>_<NNN>.txt;
 * the number is stored in *juan when juan is non-NULL. */
int ingest_kanripo_juan_name(const char *name, long *juan /* OUT */);

#endif
