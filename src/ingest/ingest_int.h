/* ingest_int.h: what the importers' files share, one section per file */
#ifndef FZ_INGEST_INT_H
#define FZ_INGEST_INT_H

#include "ingest.h"

/* ---- warc.c: our WARC record reader (ISO 28500, WARC/1.0 and 1.1) ---- */

/* One record; the strings and the block live until the next warc_next. */
struct warc_record {
	const char *version;        /* "WARC/1.1" */
	const char *type;           /* WARC-Type, or NULL */
	const char *target_uri;     /* WARC-Target-URI, or NULL */
	const char *date;           /* WARC-Date, or NULL */
	const char *record_id;      /* WARC-Record-ID, or NULL */
	const char *content_type;   /* Content-Type of the block, or NULL */
	const char *payload_digest; /* WARC-Payload-Digest, or NULL */
	const unsigned char *block; /* the record's content block */
	size_t block_len;
	long long declared;         /* Content-Length as written, -1 when absent or bad */
	long long offset;           /* where the record starts: the gzip member's offset in
				       the file when compressed per record, else the
				       offset in the (decompressed) stream */
	const char *problem;        /* what was wrong with it, or NULL */
};

/* Called for trouble between records (garbage, damaged gzip): offset in
 * the file (compressed) or stream, and words for a person. */
typedef void (*warc_warn_fn)(void *ctx, long long offset, const char *msg);

struct warc_reader;

/* A WARC file, plain, gzip per record or gzip whole. -1 with err when it
 * cannot be opened. */
int warc_open(const char *path, warc_warn_fn warn, void *ctx, struct warc_reader **out,
	      struct fz_err *err);
/* The same over bytes in memory (tests, fuzzing); p must outlive the reader. */
struct warc_reader *warc_open_mem(const void *p, size_t len, warc_warn_fn warn, void *ctx);
/*
 * The next record: 1 with *rec filled, 0 at the end, -1 with err when the
 * file cannot be read. A record whose declared length lies, or that the
 * file cuts off, is returned with what it holds and rec->problem set.
 */
int warc_next(struct warc_reader *w, struct warc_record *rec, struct fz_err *err);
/* Bytes of the file read so far (for progress). */
size_t warc_tell(const struct warc_reader *w);
void warc_close(struct warc_reader *w);

/* ---- http.c: an HTTP response as captured ---- */

struct http_response {
	int status;                 /* 0 when the bytes are no HTTP response */
	const char *content_type;   /* the header, or NULL */
	const char *charset;        /* declared in Content-Type, or NULL */
	const unsigned char *body;  /* de-chunked and decompressed */
	size_t body_len;
	const char *problem;        /* e.g. cut off mid-body; NULL when whole */
};
/* Splits a response into headers and body. Never fails: bytes that are no
 * HTTP response are taken as a body (status 0). Copies go to arena a. */
void http_parse(const void *p, size_t len, struct arena *a, struct http_response *out);

/* ---- page.c: an old page as text and structure (libxml2's HTML parser) ---- */

struct page_link {
	const char *href; /* as written, or NULL */
	const char *name; /* NAME attribute, or NULL */
	const char *text; /* the link's text, whitespace kept, ends trimmed */
};

struct page {
	const char *charset;     /* as declared (HTTP header, else meta), or NULL */
	const char *decoded_as;  /* the converter used: GB18030, UTF-8, ... */
	long nbad;               /* undecodable bytes, each marked U+FFFD */
	const char *bad;         /* JSON array of [offset, "hex"] for them, or NULL */
	const char *title;       /* <title>, trimmed, or NULL */
	const char *txt;         /* div.txt as paragraphs split by '\n', or NULL */
	struct page_link *links;
	size_t nlinks;
};
/* Decodes body (declared charset from the HTTP header, or NULL) and
 * parses it. Strings are in arena a. */
void page_parse(const void *body, size_t len, const char *http_charset, struct arena *a,
		struct page *out);
/* The text of div.txt rules: paragraphs trimmed of ASCII and ideographic
 * spaces, whitespace runs as one space, empty ones dropped. In place. */
void page_norm_paragraphs(struct buf *b);

/* ---- crawl.c, rebuild.c: a crawl of lib.sdsqw.cn ---- */

struct crawl_touch {
	char *k;  /* K as captured (upper case) */
	long a;   /* 0 for a library's list */
	int toc;  /* seen on a table of contents (not only on records) */
};

/* One `import` of one crawl: captures first, then the rebuild. */
struct crawl {
	struct store *s;
	const struct ingest_meta *meta;
	const struct ingest_crawl_opts *opts;
	struct ingest_sink *sink;
	const char *path;          /* as given to import */
	struct arena tmp;          /* per capture */
	struct arena keep;         /* per WARC record or saved file */
	long ncaptures, nnew, nwarn;
	long first_new;            /* id of the first capture new to the archive, 0: none */
	long records;              /* entries emitted, for progress */
	size_t done_bytes, total_bytes;
	struct crawl_touch *touched; /* the books and libraries this crawl has pages of */
	size_t ntouched, touchcap;
};
/* Reports something kept but not as it should be (never refused). */
void crawl_warn(struct crawl *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Rebuilds the books the crawl touched from every capture the archive
 * holds for them, emitting their records (rebuild.c). */
int crawl_rebuild(struct crawl *c, struct fz_err *err);

#endif
