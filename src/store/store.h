/* store.h: the archive on disk (SQLite): books, chapters, entries, versions, search */
#ifndef FZ_STORE_H
#define FZ_STORE_H

#include "../base/base.h"
#include "../text/text.h"

struct store;

#define STORE_CREATE 1   /* make the directory and database if missing */
#define STORE_READONLY 2 /* open for reading only (serve, search, show) */
#define STORE_IMMUTABLE 4 /* with STORE_READONLY: a copy on read-only media (SQLite's
			   * immutable=1: no locks, no -shm; a -wal beside it is not read) */
#define STORE_KEEP_INDEX 8 /* writing: leave a stale search index as it is (reindex
			    * rebuilds it anyway, once) */

/*
 * What the search index holds (README "Search"): unigrams and bigrams of
 * folded characters. Stored with the folding version in meta index_format;
 * an archive whose index differs is reindexed when opened for writing, and
 * refuses searches when opened for reading. Change it when the tokens change.
 */
#define STORE_INDEX_FORMAT "bigram1"

/* Opens the archive in directory dir. Migrates an older schema when opened
 * for writing, and rebuilds a search index of another format (unless
 * STORE_KEEP_INDEX); refuses a schema newer than this binary knows. */
int store_open(const char *dir, int flags, struct store **out, struct fz_err *err);
void store_close(struct store *s);

/* ---- what importers hand to the store ---- */

struct fz_book {
	const char *id;
	const char *title;
	const char *edition;     /* NULL when unknown */
	const char *kind;        /* 年鉴 志 旧志 专题 ... */
	const char *region;
	const char *region_code; /* GB/T 2260 */
	int published;           /* year, 0 when unknown */
	long nentries;           /* filled by reads */
	const char *added_at;    /* filled by reads */
};

struct fz_page {
	size_t pos;        /* byte offset into the body where the printed page starts */
	const char *label; /* e.g. "010-2a" */
};

struct fz_record {
	const char *id;
	const char *title;
	const char *body;      /* paragraphs split by '\n'; notes between TEXT_NOTE_OPEN/CLOSE */
	const char *author;    /* NULL when none */
	struct fz_book book;
	const char **path;     /* chapter titles, outermost first */
	size_t npath;
	long order;            /* position among siblings; -1: by arrival */
	int year;              /* 0 when unknown */
	const char *extra;     /* JSON object of fields kept as they came, or NULL */
	struct fz_page *pages; /* page starts, in body order */
	size_t npages;
	/* provenance */
	const char *source_file; /* path as given to import */
	long source_line;        /* 1-based line, 0 when not line-based */
	const char *source_page; /* e.g. "010-1a", NULL when none */
	const char *url;         /* original address, when known */
	const char *orig_id;     /* id in the original database */
	const char *captured_at; /* RFC 3339 */
	const char *orig_sha256; /* digest of the original capture, as given */
	const void *raw;         /* the bytes the record was imported from */
	size_t rawlen;
};

enum store_outcome { STORE_ADDED, STORE_UNCHANGED, STORE_VERSIONED, STORE__MAX };

/* An import is one transaction: begin, records, then commit or rollback.
 * `what` is recorded in the event log (e.g. the paths given). */
int store_import_begin(struct store *s, const char *what, struct fz_err *err);
int store_import_record(struct store *s, const struct fz_record *r,
			enum store_outcome *outcome /* OUT */, struct fz_err *err);
/* Records counts in the event log and commits. */
int store_import_commit(struct store *s, const long counts[STORE__MAX], long refused,
			struct fz_err *err);
void store_import_rollback(struct store *s);
/* Inside an import: a mark to undo back to (one file's records), so that a
 * file with a bad record imports nothing while other files go in. */
int store_import_mark(struct store *s, struct fz_err *err);
int store_import_keep(struct store *s, struct fz_err *err);
int store_import_undo(struct store *s, struct fz_err *err);

/* ---- reading ---- */

struct fz_stats {
	long books, entries, versions, chapters;
	long long chars; /* characters (code points) in current bodies */
	long long bytes; /* bytes in current bodies */
	char fingerprint[65]; /* the archive's fingerprint (README "Fixity") */
	long captures;        /* pages of the old site's crawls, kept as they came */
	long uncaptured;      /* items its tables of contents list, never captured */
};
int store_stats(struct store *s, struct fz_stats *out, struct fz_err *err);

struct fz_section {
	size_t pos;          /* byte offset of the paragraph that opens the section */
	const char *heading; /* the bracketed text, without 【】 */
};

struct fz_version {
	int n;                 /* 1, 2, ... */
	const char *sha256;    /* of the bytes imported */
	const char *imported_at;
	const char *superseded_at; /* NULL for the current version */
};

struct fz_chapter_ref {
	long id;
	const char *title;
};

struct fz_entry {
	const char *id;
	const char *title;
	const char *body;
	size_t bodylen;
	const char *author;
	int year;
	long order;
	struct fz_book book;
	struct fz_chapter_ref *chapters; /* path from the book's root */
	size_t nchapters;
	struct fz_section *sections;
	size_t nsections;
	struct fz_page *pages;
	size_t npages;
	int version;             /* the version shown */
	struct fz_version *versions; /* all, oldest first */
	size_t nversions;
	/* provenance of the version shown */
	const char *sha256, *imported_at, *source_file, *source_page;
	long source_line;
	const char *url, *orig_id, *captured_at, *orig_sha256;
	const char *prev_id, *next_id; /* neighbours in book order, NULL at the ends */
};

/* Fills e (strings in arena a). version 0 means the current one.
 * FZ_ENOTFOUND when there is no such entry or version. */
int store_entry_get(struct store *s, const char *id, int version, struct arena *a,
		    struct fz_entry *e /* OUT */, struct fz_err *err);

/* Books, in book order, optionally only of one kind and/or region code
 * prefix (NULL: all). */
int store_books(struct store *s, const char *kind, const char *region_prefix,
		struct arena *a, struct fz_book **out, size_t *n, struct fz_err *err);
int store_book_get(struct store *s, const char *id, struct arena *a, struct fz_book *out,
		   struct fz_err *err);

/* One level of a book's tree: chapters and entries under `chapter`
 * (0: the book's top), in order. For a chapter, `nentries` counts all
 * entries below it. */
struct fz_node {
	int is_chapter;
	long chapter_id;      /* when is_chapter */
	const char *entry_id; /* otherwise */
	const char *title;
	long nentries;
};
int store_book_children(struct store *s, const char *book_id, long chapter, struct arena *a,
			struct fz_node **out, size_t *n, struct fz_err *err);
/* A chapter's title and its path from the root (for breadcrumbs). */
int store_chapter_path(struct store *s, long chapter, struct arena *a,
		       struct fz_chapter_ref **out, size_t *n, struct fz_err *err);

/* Counts for the home page: entries per kind and per region. */
struct fz_count {
	const char *key;   /* kind, or region code */
	const char *label; /* region name for regions */
	long books, entries;
};
int store_counts_by_kind(struct store *s, struct arena *a, struct fz_count **out, size_t *n,
			 struct fz_err *err);
int store_counts_by_region(struct store *s, struct arena *a, struct fz_count **out, size_t *n,
			   struct fz_err *err);

/* ---- search ---- */

struct search_opts {
	const char *query;
	const char *book;   /* book id, or NULL */
	const char *kind;   /* or NULL */
	const char *region; /* GB/T 2260 code; includes the regions below it */
	int year_from, year_to; /* 0: open */
	long limit;         /* 0: every hit */
	long offset;
};

struct search_hit {
	const char *id, *title, *book_id, *book_title;
	struct snippet snippet;
};

struct search_result {
	long total;
	struct search_hit *hits;
	size_t nhits;
};

/* FZ_EINPUT for a malformed query, with a message for the reader. */
int store_search(struct store *s, const struct search_opts *o, struct arena *a,
		 struct search_result *out, struct fz_err *err);

/* Rebuilds the search index from the archive's data. */
int store_reindex(struct store *s, struct fz_err *err);
/* 1 if the archive has entries and its index is not of this binary's format
 * (STORE_INDEX_FORMAT and folding version), 0 if current, -1 on error. */
int store_index_stale(struct store *s, struct fz_err *err);

/* ---- fixity: fingerprint, snapshot, event log, verification (README "Fixity") ---- */

/* The archive's fingerprint: an RFC 6962 Merkle root over (entry id, content
 * digest of its current version), in id order, as 64 hex digits. One scan of
 * the entries; nentries (may be NULL) gets how many went in. */
int store_fingerprint(struct store *s, char out[65], long *nentries, struct fz_err *err);

/* What the archive held at its last write (meta "snapshot"). */
enum snap_count {
	SNAP_ENTRIES, SNAP_VERSIONS, SNAP_BLOBS, SNAP_PAGES, SNAP_SECTIONS, SNAP_CHAPTERS,
	SNAP_BOOKS, SNAP__MAX
};
struct fz_snapshot {
	int present;                /* 0: not written since schema 3 */
	char at[32];                /* RFC 3339 */
	char fingerprint[65];
	long long count[SNAP__MAX]; /* rows per table; -1 when not recorded */
};
int store_snapshot_get(struct store *s, struct fz_snapshot *out, struct fz_err *err);
/* The table a count is of: "entries", "versions", ... */
const char *store_snapshot_key(enum snap_count c);

struct fz_event {
	long id;
	const char *at, *kind, *detail;
	long added, unchanged, versioned, refused; /* -1: not recorded for this kind */
	const char *fingerprint; /* of the archive after the event; NULL if not recorded */
};
/* Appends an event of its own (verify, export) in a small transaction. */
int store_event_log(struct store *s, const char *kind, const char *detail,
		    const char *fingerprint, struct fz_err *err);
/* Calls fn for each event, oldest first; a non-zero return stops and is returned. */
int store_events(struct store *s, int (*fn)(void *ctx, const struct fz_event *ev), void *ctx,
		 struct fz_err *err);

/* One thing verify found wrong. Strings live until the callback returns. */
struct fz_problem {
	const char *check;    /* "database", "index", "source", "content", "entry", ... */
	const char *id;       /* what: an entry id and version, a blob digest, a table */
	const char *what;     /* plain words */
	const char *expected; /* NULL when there is nothing to compare */
	const char *found;
};
struct verify_sink {
	void (*problem)(void *ctx, const struct fz_problem *p);
	/* now and then: the phase, and how far it is (total 0: unknown) */
	void (*progress)(void *ctx, const char *phase, long long done, long long total);
	void *ctx;
};
struct verify_result {
	long problems;
	long entries, versions, blobs;
	long long bytes;          /* source bytes decompressed and hashed */
	char fingerprint[65];     /* recomputed from the data, not from stored digests */
	struct fz_snapshot snapshot;
	int index_unchecked;      /* read-only: FTS5's integrity-check could not run */
};
/*
 * Recomputes every digest and checks the database, the index, the links
 * between rows and the snapshot of the last write. Each problem goes to the
 * sink and is counted in out. Returns -1 only when verify itself cannot
 * proceed; damage is reported, never returned as an error.
 */
int store_verify(struct store *s, struct verify_sink *sink, struct verify_result *out,
		 struct fz_err *err);
/* Before opening: archive.sqlite present, an SQLite file, as long as its
 * header says. 1 when SQLite may be tried on it, 0 when not (the problem
 * went to the sink and is counted in out). */
int store_verify_file(const char *dir, struct verify_sink *sink, struct verify_result *out);

/* ---- walking the archive, for exports ---- */

struct fz_stored {
	struct fz_record r;  /* as it would be imported again; r.raw: the bytes it came
			      * from (with STORE_WALK_RAW), r.source_*: where from */
	long vid;            /* version row */
	int n;               /* version number */
	int current;         /* 1 for the entry's current version */
	int digest_ok;       /* the fields still hash to content_sha256 */
	const char *sha256, *content_sha256, *imported_at, *superseded_at;
};
#define STORE_WALK_CURRENT 1 /* current versions only */
#define STORE_WALK_RAW 2     /* decompress the source bytes into r.raw */
struct store_walk;
/* Versions in the order they came in; total gets how many there are. */
int store_walk_open(struct store *s, int flags, struct store_walk **out, long *total,
		    struct fz_err *err);
/* 1 with the next version (strings in arena a), 0 at the end, -1 on error. */
int store_walk_next(struct store_walk *w, struct arena *a, struct fz_stored *out,
		    struct fz_err *err);
void store_walk_close(struct store_walk *w);

/* ---- the old site (lib.sdsqw.cn): captures of its crawl, its addresses ---- */

/* One capture of a crawl, kept as it came (bytes stored once per digest). */
struct fz_capture {
	long id;                 /* set by store_capture_put and reads */
	const char *url;         /* as captured */
	const char *captured_at; /* RFC 3339, or NULL */
	const void *bytes;       /* the HTTP response (or the page, from a saved file) */
	size_t len;
	int http;                /* bytes start with HTTP headers */
	const char *kind;        /* library, toc, record, search, other */
	int run;                 /* what the address names: run, K (upper case), A, rec */
	const char *k;
	long a, rec;
	const char *problem;     /* e.g. cut off; NULL when whole */
	const char *source_file; /* the crawl it came in */
	long long source_offset; /* where in it (a WARC record's offset) */
	const char *sha256;      /* of bytes; set by reads */
	const char *entry_id;    /* the entry it became; set by reads */
};
/* Keeps a capture; the same URL, time and bytes again is the same capture
 * (*is_new 0, c->id set to the old one). */
int store_capture_put(struct store *s, struct fz_capture *c, int *is_new /* OUT */,
		      struct fz_err *err);
int store_capture_link(struct store *s, long id, const char *entry_id, struct fz_err *err);
/* Captures, oldest first: those since id `since` when since > 0, else
 * those of `kind` whose address names book a (0: any) with K starting with
 * kprefix (NULL: any). Without bytes. */
int store_captures(struct store *s, const char *kind, long a, const char *kprefix, long since,
		   struct arena *ar, struct fz_capture **out, size_t *n, struct fz_err *err);
/* One capture with its bytes (FZ_ENOTFOUND when there is none). */
int store_capture_get(struct store *s, long id, struct arena *ar, struct fz_capture *out,
		      struct fz_err *err);
/* The captures an entry was made from, newest first, without bytes. */
int store_entry_captures(struct store *s, const char *entry_id, struct arena *ar,
			 struct fz_capture **out, size_t *n, struct fz_err *err);

/* A library of the old site (ch9 = 东明县情资料库) and the region it covers. */
struct fz_library {
	const char *code, *name, *region, *region_code;
};
int store_library_put(struct store *s, const struct fz_library *l, struct fz_err *err);
int store_libraries(struct store *s, struct arena *ar, struct fz_library **out, size_t *n,
		    struct fz_err *err);

/* What one old address stood for: a book (rec 0) or a table-of-contents
 * item, and where it is here. */
struct fz_legacy {
	const char *lib;      /* library code */
	long book, rec;       /* A, rec (0 for the book itself) */
	const char *node;     /* node code, or NULL */
	const char *title;    /* as listed */
	const char *url;      /* an old address of it */
	const char *book_id;  /* ours */
	long heads;           /* the chapter it heads, 0: none */
	long parent;          /* the chapter it sits in, 0: the book's top */
	long ord;             /* its place there */
	const char *entry_id; /* NULL: listed but never captured */
};
int store_legacy_put(struct store *s, const struct fz_legacy *l, struct fz_err *err);
/* The deepest chapter along path that exists (0: the book's top) and how
 * many levels of path exist. */
int store_chapter_lookup(struct store *s, const char *book_id, const char *const *path,
			 size_t npath, long *chapter /* OUT */, size_t *depth /* OUT */,
			 struct fz_err *err);
/* Items listed in a chapter (0: the book's top) but never captured, in order. */
int store_book_missing(struct store *s, const char *book_id, long chapter, struct arena *ar,
		       struct fz_legacy **out, size_t *n, struct fz_err *err);
struct fz_legacy_stats {
	long captures;   /* kept */
	long problems;   /* captures that were cut off or did not decode cleanly */
	long uncaptured; /* items listed in a table of contents, never captured */
};
int store_legacy_stats(struct store *s, struct fz_legacy_stats *out, struct fz_err *err);

/* An old address, parsed: parameter order, the case of K and of names,
 * extra parameters and a leading "?&" do not matter; the first non-empty
 * value of a parameter wins. */
struct legacy_addr {
	int run;           /* 11 search, 12 list, 13 record; 0 absent */
	const char *k;     /* K in upper case, or NULL */
	long a, rec;       /* 0 when absent */
	const char *words; /* seachword, decoded to UTF-8 (NULL when absent) */
	int search_form;   /* the address is the search form, /ftr/ftr.htm */
};
/* A whole address (http://lib.sdsqw.cn/bin/mse.exe?..., lib.sdsqw.cn/...,
 * /bin/mse.exe?..., mse.exe?...). FZ_EINPUT, with words saying why, when
 * it is no address of the old site. Strings go to arena ar. */
int store_legacy_parse(const char *url, struct arena *ar, struct legacy_addr *out,
		       struct fz_err *err);
/* The query part alone (with or without '?'), still percent-encoded. */
void store_legacy_parse_query(const char *query, struct arena *ar, struct legacy_addr *out);
/* A percent-encoded value as UTF-8: %uXXXX (JavaScript escape()), %XX
 * bytes as UTF-8 when they are, else as GBK (GB18030); '+' is a space. */
char *store_legacy_decode(const char *s, size_t len, struct arena *ar);

enum legacy_kind { LEGACY_NONE, LEGACY_ENTRY, LEGACY_BOOK, LEGACY_CHAPTER, LEGACY_LIBRARY,
		   LEGACY_SEARCH, LEGACY_MISSING, LEGACY__MAX };
struct legacy_target {
	enum legacy_kind kind;
	const char *entry_id;    /* ENTRY */
	const char *book_id;     /* BOOK, CHAPTER, MISSING */
	long chapter;            /* CHAPTER; MISSING: where it is listed (0: top) */
	const char *region_code; /* LIBRARY (may be NULL) */
	const char *words;       /* SEARCH: the words, "" for none */
	const char *title;       /* MISSING: as listed; LIBRARY: its name */
	const char *url;         /* MISSING: its old address */
};
/* Where an old address leads. FZ_ENOTFOUND (kind LEGACY_NONE) when it
 * names nothing this archive holds. */
int store_legacy_resolve(struct store *s, const struct legacy_addr *addr, struct arena *ar,
			 struct legacy_target *out, struct fz_err *err);

/* ---- JSON, one shape for the command line and the web API ---- */
/* Return heap strings (caller frees). */
char *store_entry_json(const struct fz_entry *e);
char *store_search_json(const struct search_opts *o, const struct search_result *r);
char *store_stats_json(const struct fz_stats *st);

#endif
