/* base.h: errors as values, the one string type, arenas, UTF-8 helpers */
#ifndef FZ_BASE_H
#define FZ_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Errors. Fallible functions return 0 or -1 and take `struct fz_err *err`
 * last; the message is for a person and names the file, line or parameter.
 * Each layer may prepend context with fz_wrap().
 */
enum fz_code {
	FZ_OK,
	FZ_EINPUT,     /* the user's input is malformed */
	FZ_ENOTFOUND,  /* the thing asked for does not exist */
	FZ_ECONFLICT,  /* the archive is in a state that forbids this */
	FZ_EIO,        /* the operating system said no */
	FZ_ESTORE,     /* SQLite said no */
	FZ_EINTERNAL,  /* a bug of ours */
	FZ__MAX
};

struct fz_err {
	enum fz_code code;
	char msg[1024];
};

/* Sets err (if non-NULL) and returns -1, so callers can `return fz_fail(...)`. */
int fz_fail(struct fz_err *err, enum fz_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prepends "context: " to the message already in err; returns -1. */
int fz_wrap(struct fz_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void fz_err_clear(struct fz_err *err);

/* Allocation that cannot fail: out of memory aborts (an import is one
 * transaction, so the archive is untouched). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);

/*
 * Arena: a bump allocator for things that die together (a request, a record
 * during import). arena_reset keeps the first block so a loop reuses it.
 */
struct arena_block;
struct arena {
	struct arena_block *head; /* newest block first */
	size_t block_size;        /* default size of a fresh block */
};
void arena_init(struct arena *a, size_t block_size);
void *arena_alloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Makes room for one more element in an arena array of n elements of
 * size bytes (capacity *cap, doubled as needed; the old copy is left to
 * the arena). Returns the array to use from now on. */
void *arena_grow(struct arena *a, void *arr, size_t n, size_t *cap, size_t size);
void arena_reset(struct arena *a);
void arena_free(struct arena *a);

/*
 * buf: the one growable string type. Binary-safe, always NUL-terminated.
 * With arena == NULL it lives on the heap (buf_free releases it); with an
 * arena it grows inside that arena and is never freed on its own.
 */
struct buf {
	char *p;
	size_t len;
	size_t cap;
	struct arena *arena;
};
void buf_init(struct buf *b, struct arena *arena);
void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t len);
void buf_addstr(struct buf *b, const char *s);
void buf_addch(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
/* Hands the heap string to the caller (who frees it); b is left empty. */
char *buf_detach(struct buf *b);

/* str: a view, not owned. */
struct str {
	const char *p;
	size_t len;
};

/*
 * UTF-8. utf8_decode reads one code point at s (n bytes available) and
 * returns its length in bytes, or 0 for an invalid or truncated sequence
 * (overlongs, surrogates and values past U+10FFFF are invalid).
 */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp /* OUT */);
/* Writes cp as UTF-8 into out (at least 4 bytes); returns bytes written. */
size_t utf8_encode(uint32_t cp, char *out);
/* 1 if all n bytes are valid UTF-8; else 0 and *bad_at is the first bad byte. */
int utf8_valid(const char *s, size_t n, size_t *bad_at /* OUT, may be NULL */);
/* Number of code points in valid UTF-8. */
size_t utf8_nchar(const char *s, size_t n);

/* SHA-256 of n bytes as 64 lowercase hex digits plus NUL. */
void fz_sha256_hex(const void *p, size_t n, char out[65]);

/* Current time as RFC 3339 UTC, e.g. 2026-12-04T20:05:08Z. */
void fz_now_rfc3339(char out[32]);

#endif
