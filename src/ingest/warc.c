/* warc.c: our WARC record reader: plain, gzip per record or whole, lying lengths survived */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "ingest_int.h"

#define CHUNK 65536                     /* bytes read or inflated at a time */
#define HEADER_MAX 65536                /* a record header longer than this is not one */
#define RECORD_MAX ((size_t)1 << 30)    /* no record is read past this many bytes */
#define KEEP_BEHIND ((size_t)1 << 20)   /* consumed bytes kept before compacting */

/* A gzip member: where it starts in the file and which stream bytes it made. */
struct member {
	long long coff; /* offset of its first byte in the file */
	size_t dstart;  /* stream offset of its first decompressed byte */
	size_t dend;    /* and one past its last, once ended */
	int ended;
};

struct warc_reader {
	FILE *f;                   /* NULL when reading memory */
	const unsigned char *mem;  /* the memory, when f is NULL */
	size_t memlen, memread;
	unsigned char in[CHUNK];   /* raw input not yet used */
	size_t inlen, inpos;
	long long inoff;           /* file offset of in[0] */
	int gz, eof, in_member;
	z_stream z;
	int zinit;
	struct buf win;            /* the (decompressed) stream, from wbase on */
	size_t wbase, pos;         /* stream offset of win.p[0]; next unread index */
	struct member *m;          /* members not yet behind wbase */
	size_t nm, mcap;
	warc_warn_fn warn;
	void *ctx;
	struct arena arena;        /* the current record's header strings */
	char problem[256];
};

static void
warn(struct warc_reader *w, long long off, const char *msg)
{
	if (w->warn != NULL)
		w->warn(w->ctx, off, msg);
}

/* More raw input into w->in; 0 at the end of the file, -1 on a read error. */
static int
refill(struct warc_reader *w, struct fz_err *err)
{
	size_t n;

	if (w->inpos > 0) {
		memmove(w->in, w->in + w->inpos, w->inlen - w->inpos);
		w->inoff += (long long)w->inpos;
		w->inlen -= w->inpos;
		w->inpos = 0;
	}
	if (w->inlen == sizeof(w->in))
		return 1;
	if (w->f != NULL) {
		n = fread(w->in + w->inlen, 1, sizeof(w->in) - w->inlen, w->f);
		if (n == 0 && ferror(w->f))
			return fz_fail(err, FZ_EIO, "reading: %s", strerror(errno));
	} else {
		n = w->memlen - w->memread;
		if (n > sizeof(w->in) - w->inlen)
			n = sizeof(w->in) - w->inlen;
		memcpy(w->in + w->inlen, w->mem + w->memread, n);
		w->memread += n;
	}
	w->inlen += n;
	return n > 0;
}

static void
member_end(struct warc_reader *w)
{
	if (w->nm > 0 && !w->m[w->nm - 1].ended) {
		w->m[w->nm - 1].ended = 1;
		w->m[w->nm - 1].dend = w->wbase + w->win.len;
	}
	w->in_member = 0;
}

/*
 * Starts the next gzip member, skipping (and reporting) bytes that do not
 * begin one. Returns 1 when a member starts, 0 at the end, -1 on error.
 */
static int
member_start(struct warc_reader *w, struct fz_err *err)
{
	long long skipped_at = -1;
	size_t skipped = 0;
	int rc;

	for (;;) {
		if (w->inlen - w->inpos < 3 && (rc = refill(w, err)) <= 0 && w->inlen - w->inpos < 3) {
			if (rc < 0)
				return -1;
			skipped += w->inlen - w->inpos;
			if (skipped_at < 0 && skipped)
				skipped_at = w->inoff + (long long)w->inpos;
			w->inpos = w->inlen;
			break;
		}
		if (w->in[w->inpos] == 0x1f && w->in[w->inpos + 1] == 0x8b && w->in[w->inpos + 2] == 8)
			break;
		if (skipped_at < 0)
			skipped_at = w->inoff + (long long)w->inpos;
		w->inpos++;
		skipped++;
	}
	if (skipped) {
		char msg[160];
		snprintf(msg, sizeof(msg), "%zu bytes that begin no gzip member were skipped", skipped);
		warn(w, skipped_at, msg);
	}
	if (w->inlen == w->inpos)
		return 0;
	if (inflateReset(&w->z) != Z_OK)
		return fz_fail(err, FZ_EINTERNAL, "zlib cannot start a member");
	if (w->nm == w->mcap) {
		w->mcap = w->mcap ? 2 * w->mcap : 16;
		w->m = xrealloc(w->m, w->mcap * sizeof(*w->m));
	}
	w->m[w->nm++] = (struct member){ w->inoff + (long long)w->inpos, w->wbase + w->win.len, 0, 0 };
	w->in_member = 1;
	return 1;
}

/*
 * Makes more of the stream: 1 when bytes were added, 0 at the end, -1 on
 * a read error. A damaged or truncated gzip member is reported and ends
 * there; reading resumes at the next member.
 */
static int
produce(struct warc_reader *w, struct fz_err *err)
{
	int rc;

	if (!w->gz) {
		if (w->inpos == w->inlen && (rc = refill(w, err)) <= 0)
			return rc;
		buf_add(&w->win, w->in + w->inpos, w->inlen - w->inpos);
		w->inpos = w->inlen;
		return 1;
	}
	for (;;) {
		size_t before = w->win.len, used;
		if (!w->in_member && (rc = member_start(w, err)) <= 0)
			return rc;
		if (w->inpos == w->inlen && (rc = refill(w, err)) <= 0) {
			if (rc < 0)
				return -1;
			warn(w, w->m[w->nm - 1].coff, "the file ends inside a gzip member (truncated)");
			member_end(w);
			return 0;
		}
		buf_grow(&w->win, CHUNK);
		w->z.next_in = w->in + w->inpos;
		w->z.avail_in = (unsigned)(w->inlen - w->inpos);
		w->z.next_out = (unsigned char *)w->win.p + w->win.len;
		w->z.avail_out = CHUNK;
		rc = inflate(&w->z, Z_NO_FLUSH);
		used = (w->inlen - w->inpos) - w->z.avail_in;
		w->inpos += used;
		w->win.len += CHUNK - w->z.avail_out;
		w->win.p[w->win.len] = '\0';
		if (rc == Z_STREAM_END) {
			member_end(w);
		} else if (rc == Z_BUF_ERROR && used == 0 && w->z.avail_out > 0) {
			/* needs input: the refill above happens on the next turn */
			if ((rc = refill(w, err)) < 0)
				return -1;
			if (rc == 0 && w->inpos == w->inlen) {
				warn(w, w->m[w->nm - 1].coff, "the file ends inside a gzip member (truncated)");
				member_end(w);
				if (w->win.len == before)
					return 0;
			}
		} else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			warn(w, w->m[w->nm - 1].coff, "a damaged gzip member ends here; reading goes on at the next");
			member_end(w);
		}
		if (w->win.len > before)
			return 1;
	}
}

/* Ensures n unread bytes if the stream has them; returns how many it has. */
static size_t
need(struct warc_reader *w, size_t n, struct fz_err *err, int *failed)
{
	while (w->win.len - w->pos < n) {
		int rc = produce(w, err);
		if (rc < 0)
			*failed = 1;
		if (rc <= 0)
			break;
	}
	return w->win.len - w->pos;
}

static struct member *
member_starting(struct warc_reader *w, size_t off)
{
	size_t i;

	for (i = 0; i < w->nm; i++)
		if (w->m[i].dstart == off)
			return &w->m[i];
	return NULL;
}

/* Stream offset where the first member ending after off ends, or 0. */
static size_t
member_end_after(struct warc_reader *w, size_t off)
{
	size_t i;

	for (i = 0; i < w->nm; i++)
		if (w->m[i].ended && w->m[i].dend > off)
			return w->m[i].dend;
	return 0;
}

/* Stream offset of the first member starting after off, or 0. */
static size_t
member_start_after(struct warc_reader *w, size_t off)
{
	size_t i;

	for (i = 0; i < w->nm; i++)
		if (w->m[i].dstart > off)
			return w->m[i].dstart;
	return 0;
}

/* Drops consumed bytes and members that ended before them. */
static void
compact(struct warc_reader *w)
{
	size_t i, k = 0;

	if (w->pos > KEEP_BEHIND) {
		memmove(w->win.p, w->win.p + w->pos, w->win.len - w->pos + 1);
		w->win.len -= w->pos;
		w->wbase += w->pos;
		w->pos = 0;
	}
	for (i = 0; i < w->nm; i++)
		if (!w->m[i].ended || w->m[i].dend > w->wbase || w->m[i].dstart >= w->wbase)
			w->m[k++] = w->m[i];
	w->nm = k;
}

static struct warc_reader *
reader_new(warc_warn_fn warnfn, void *ctx)
{
	struct warc_reader *w = xcalloc(1, sizeof(*w));

	buf_init(&w->win, NULL);
	buf_grow(&w->win, 1);
	arena_init(&w->arena, 4096);
	w->warn = warnfn;
	w->ctx = ctx;
	return w;
}

/* Whole-file and per-record gzip look the same at the start: both are
 * read as a sequence of members. */
static int
reader_start(struct warc_reader *w, struct fz_err *err)
{
	if (refill(w, err) < 0)
		return -1;
	w->gz = w->inlen >= 2 && w->in[0] == 0x1f && w->in[1] == 0x8b;
	if (w->gz) {
		if (inflateInit2(&w->z, 15 + 16) != Z_OK)
			return fz_fail(err, FZ_EINTERNAL, "zlib cannot start");
		w->zinit = 1;
	}
	return 0;
}

int
warc_open(const char *path, warc_warn_fn warnfn, void *ctx, struct warc_reader **out,
	  struct fz_err *err)
{
	struct warc_reader *w;
	FILE *f = fopen(path, "rb");

	*out = NULL;
	if (f == NULL)
		return fz_fail(err, errno == ENOENT ? FZ_ENOTFOUND : FZ_EIO, "%s: %s", path,
			       strerror(errno));
	w = reader_new(warnfn, ctx);
	w->f = f;
	if (reader_start(w, err) < 0) {
		warc_close(w);
		return fz_wrap(err, "%s", path);
	}
	*out = w;
	return 0;
}

struct warc_reader *
warc_open_mem(const void *p, size_t len, warc_warn_fn warnfn, void *ctx)
{
	struct warc_reader *w = reader_new(warnfn, ctx);

	w->mem = p;
	w->memlen = len;
	reader_start(w, NULL);
	return w;
}

size_t
warc_tell(const struct warc_reader *w)
{
	return w->f != NULL ? (size_t)(w->inoff + (long long)w->inlen) : w->memread;
}

void
warc_close(struct warc_reader *w)
{
	if (w == NULL)
		return;
	if (w->f != NULL)
		fclose(w->f);
	if (w->zinit)
		inflateEnd(&w->z);
	buf_free(&w->win);
	free(w->m);
	arena_free(&w->arena);
	free(w);
}

/* Index of the first pat at or after index from, reading on as needed;
 * (size_t)-1 when the stream ends first. */
static size_t
scan_for(struct warc_reader *w, size_t from, const char *pat, struct fz_err *err, int *failed)
{
	const size_t plen = strlen(pat);
	size_t at = from, had;
	char *hit;
	int rc;

	for (;;) {
		if (w->win.len >= at + plen) {
			hit = memmem(w->win.p + at, w->win.len - at, pat, plen);
			if (hit != NULL)
				return (size_t)(hit - w->win.p);
			at = w->win.len - plen + 1;
		}
		if (w->win.len - w->pos > RECORD_MAX)
			return (size_t)-1;
		had = w->win.len;
		if ((rc = produce(w, err)) < 0)
			*failed = 1;
		if (rc < 0 || (rc == 0 && w->win.len == had))
			return (size_t)-1;
	}
}

/* The next "\r\n\r\nWARC/1.": a record's end followed by the next header. */
static size_t
scan_next(struct warc_reader *w, size_t from, struct fz_err *err, int *failed)
{
	return scan_for(w, from, "\r\n\r\nWARC/1.", err, failed);
}

/* 1 when, after CR and LF bytes, the stream at index i ends or starts a
 * record: the sign that a record ended just before i. */
static int
record_follows(struct warc_reader *w, size_t i, struct fz_err *err, int *failed)
{
	for (;;) {
		while (i < w->win.len && (w->win.p[i] == '\r' || w->win.p[i] == '\n'))
			i++;
		if (w->win.len >= i + 5)
			return memcmp(w->win.p + i, "WARC/", 5) == 0;
		if (need(w, i + 5 - w->pos, err, failed) < i + 5 - w->pos)
			return !*failed && (i == w->win.len);
	}
}

/* Parses header lines [p, end) into rec; returns 0, or -1 when the first
 * line is no WARC version. */
static int
parse_header(struct warc_reader *w, const char *p, const char *end, struct warc_record *rec)
{
	const char *nl, *colon;
	const char **slot = NULL;

	nl = memchr(p, '\n', (size_t)(end - p));
	if (nl == NULL || end - p < 6 || memcmp(p, "WARC/", 5) != 0)
		return -1;
	rec->version = arena_strndup(&w->arena, p, (size_t)(nl - p - (nl > p && nl[-1] == '\r')));
	for (p = nl + 1; p < end; p = nl + 1) {
		size_t len;
		const char *v;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		len = (size_t)(nl - p) - (nl > p && nl[-1] == '\r');
		if (len == 0)
			break;
		if ((*p == ' ' || *p == '\t') && slot != NULL && *slot != NULL) {
			*slot = arena_printf(&w->arena, "%s %.*s", *slot, (int)len - 1, p + 1);
			continue;
		}
		slot = NULL;
		colon = memchr(p, ':', len);
		if (colon == NULL)
			continue;
		v = colon + 1;
		while (v < p + len && (*v == ' ' || *v == '\t'))
			v++;
#define FIELD(name, member)                                                              \
	if ((size_t)(colon - p) == sizeof(name) - 1 && strncasecmp(p, name, sizeof(name) - 1) == 0) \
		slot = &rec->member;
		FIELD("WARC-Type", type)
		FIELD("WARC-Target-URI", target_uri)
		FIELD("WARC-Date", date)
		FIELD("WARC-Record-ID", record_id)
		FIELD("Content-Type", content_type)
		FIELD("WARC-Payload-Digest", payload_digest)
#undef FIELD
		if ((size_t)(colon - p) == 14 && strncasecmp(p, "Content-Length", 14) == 0) {
			long long n = 0;
			size_t i, digits = 0;
			for (i = (size_t)(v - p); i < len && p[i] >= '0' && p[i] <= '9' && digits < 18; i++, digits++)
				n = n * 10 + (p[i] - '0');
			while (i < len && (p[i] == ' ' || p[i] == '\t'))
				i++;
			rec->declared = digits > 0 && i == len ? n : -1;
		}
		if (slot != NULL)
			*slot = arena_strndup(&w->arena, v, (size_t)(p + len - v));
	}
	return 0;
}

/*
 * One record. The declared Content-Length is trusted when the record ends
 * where it says (the "\r\n\r\n" trailer, then the next record, a member's
 * end or the file's end); otherwise the record is taken to end at the next
 * record header or member end, and rec->problem says what the length
 * claimed. A header cut off or unreadable is skipped with a warning.
 */
int
warc_next(struct warc_reader *w, struct warc_record *rec, struct fz_err *err)
{
	int failed = 0;
	size_t avail, start, hdr_end, end, bend, mend;
	struct member *mem;
	char *h;

	compact(w);
	arena_reset(&w->arena);
	memset(rec, 0, sizeof(*rec));
	w->problem[0] = '\0';
	for (;;) {
		while (need(w, 1, err, &failed) > 0 && (w->win.p[w->pos] == '\r' || w->win.p[w->pos] == '\n'))
			w->pos++;
		if (failed)
			return -1;
		avail = need(w, HEADER_MAX, err, &failed);
		if (failed)
			return -1;
		if (avail == 0)
			return 0;
		start = w->pos;
		h = memmem(w->win.p + start, avail < HEADER_MAX ? avail : HEADER_MAX, "\r\n\r\n", 4);
		if (h != NULL && memcmp(w->win.p + start, "WARC/", avail < 5 ? avail : 5) == 0 &&
		    avail >= 5)
			break;
		/* not a record header: skip to the next line that begins one */
		end = scan_for(w, start, "\nWARC/1.", err, &failed);
		if (failed)
			return -1;
		mend = member_start_after(w, w->wbase + start);
		if (mend && (end == (size_t)-1 || mend - w->wbase < end + 1))
			w->pos = mend - w->wbase; /* a member begins a record */
		else if (end == (size_t)-1)
			w->pos = w->win.len;
		else
			w->pos = end + 1;
		{
			char msg[160];
			snprintf(msg, sizeof(msg), "%s; %zu bytes skipped",
				 h == NULL ? "a record header is cut off or too long"
					   : "bytes that begin no WARC record",
				 w->pos - start);
			warn(w, (long long)(w->wbase + start), msg);
		}
		if (w->pos >= w->win.len && need(w, 1, err, &failed) == 0)
			return failed ? -1 : 0;
	}
	hdr_end = (size_t)(h - w->win.p) + 4;
	rec->declared = -1;
	if (parse_header(w, w->win.p + start, w->win.p + hdr_end, rec) < 0)
		return fz_fail(err, FZ_EINTERNAL, "a checked header did not parse");
	mem = member_starting(w, w->wbase + start);
	rec->offset = mem ? mem->coff : (long long)(w->wbase + start);

	if (rec->declared >= 0 && (size_t)rec->declared <= RECORD_MAX) {
		end = hdr_end + (size_t)rec->declared;
		need(w, end + 4 - w->pos, err, &failed);
		if (failed)
			return -1;
		/* the trailer where the length says; what follows it is the next
		 * call's business (junk there is skipped and reported then) */
		if (w->win.len >= end + 4 && memcmp(w->win.p + end, "\r\n\r\n", 4) == 0 &&
		    (record_follows(w, end + 4, err, &failed) || !mem)) {
			mend = mem ? member_end_after(w, w->wbase + hdr_end) : 0;
			/* compressed per record, a record ends with its member */
			if (!mem || mend == 0 || mend - w->wbase >= end + 4) {
				rec->block = (const unsigned char *)w->win.p + hdr_end;
				rec->block_len = (size_t)rec->declared;
				w->pos = end + 4;
				return 1;
			}
		}
		if (failed)
			return -1;
	}
	/* the length lies, is missing, or the file ends first: find the real end */
	end = scan_next(w, hdr_end > 4 ? hdr_end - 4 : hdr_end, err, &failed);
	if (failed)
		return -1;
	mend = mem ? member_end_after(w, w->wbase + hdr_end) : 0;
	mend = mend ? mend - w->wbase : 0;
	if (end != (size_t)-1 && (mend == 0 || end + 4 <= mend)) {
		bend = end; /* the next record's header */
		w->pos = end + 4;
	} else {
		bend = mend ? mend : w->win.len; /* the member's end, or the file's */
		w->pos = bend;
		if (bend >= hdr_end + 4 && memcmp(w->win.p + bend - 4, "\r\n\r\n", 4) == 0)
			bend -= 4;
	}
	if (bend < hdr_end) /* an empty block, the next header right after this one */
		bend = hdr_end;
	if (w->pos < hdr_end)
		w->pos = hdr_end;
	rec->block = (const unsigned char *)w->win.p + hdr_end;
	rec->block_len = bend - hdr_end;
	if (rec->declared < 0)
		snprintf(w->problem, sizeof(w->problem),
			 "no valid Content-Length: the record was taken to hold %zu bytes", rec->block_len);
	else if (end == (size_t)-1 && (size_t)rec->declared > rec->block_len &&
		 (mend == 0 || mend == w->win.len))
		snprintf(w->problem, sizeof(w->problem),
			 "the file ends %zu bytes into a record of %lld bytes (truncated)", rec->block_len,
			 rec->declared);
	else
		snprintf(w->problem, sizeof(w->problem),
			 "Content-Length says %lld bytes but the record holds %zu", rec->declared,
			 rec->block_len);
	rec->problem = w->problem;
	return 1;
}
