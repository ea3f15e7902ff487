/* reply.c: a rendered page as HTTP responses: validators, caching headers, gzip */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

#include "web_int.h"

static const char *const cache_control[CACHE__MAX] = {
	[CACHE_NONE] = "no-cache",
	[CACHE_SHORT] = "public, max-age=300",
	[CACHE_VERSION] = "public, max-age=86400",
	[CACHE_STATIC] = "public, max-age=31536000, immutable",
};

/* Sent with every page: nothing on our pages needs scripts, frames or
 * foreign origins, so a stray injection could not run even if escaping
 * failed somewhere. */
static const char csp[] = "default-src 'none'; style-src 'self'; img-src 'self'; "
			  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

uint64_t
reply_hash(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* IMF-fixdate, independent of the process's locale. */
static void
http_date(time_t t, char out[40])
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char mons[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7], tm.tm_mday,
		 mons[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static time_t
parse_http_date(const char *s)
{
	static const char mons[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char mon[4] = "";
	struct tm tm;
	const char *m;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%*3s, %d %3s %d %d:%d:%d GMT", &tm.tm_mday, mon, &tm.tm_year, &tm.tm_hour,
		   &tm.tm_min, &tm.tm_sec) != 6)
		return 0;
	m = strstr(mons, mon);
	if (strlen(mon) != 3 || m == NULL || (m - mons) % 3 != 0)
		return 0;
	tm.tm_mon = (int)((m - mons) / 3);
	tm.tm_year -= 1900;
	return timegm(&tm);
}

/*
 * gzip of n bytes into out (heap when a is NULL, else the arena). Returns
 * the compressed length, or 0 when compressing failed or would not save
 * anything worth a header.
 */
static size_t
gzip(const void *p, size_t n, int level, struct arena *a, unsigned char **out)
{
	z_stream z;
	size_t cap;
	unsigned char *o;

	*out = NULL;
	if (n < 200)
		return 0;
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return 0;
	cap = deflateBound(&z, (uLong)n);
	o = a ? arena_alloc(a, cap) : xmalloc(cap);
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	z.next_out = o;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END || z.total_out + 64 >= n) {
		deflateEnd(&z);
		if (a == NULL)
			free(o);
		return 0;
	}
	deflateEnd(&z);
	*out = o;
	return z.total_out;
}

/*
 * The header fields of a reply, in the order they are sent: those every
 * page carries (type, lifetime, validators, Vary, and the policies that
 * keep a browser from running or sniffing anything), then the page's own
 * (Location, Content-Disposition) and Allow for a 405. Shared by the
 * server and web_render (a WARC export records them), so both say the
 * same. Strings belong to ent, r and static tables. Returns the count.
 */
size_t
reply_fields(const struct req *r, const struct reply_ent *ent, int gz,
	     const char *out[REPLY_FIELDS_MAX][2])
{
	size_t n = 0, i;

#define FIELD(k, v) (out[n][0] = (k), out[n][1] = (v), n++)
	FIELD(MHD_HTTP_HEADER_CONTENT_TYPE, r->ctype ? r->ctype : "text/html; charset=utf-8");
	FIELD(MHD_HTTP_HEADER_CACHE_CONTROL, cache_control[ent->cache]);
	FIELD(MHD_HTTP_HEADER_ETAG, gz ? ent->etag_gz : ent->etag);
	if (ent->last_modified[0])
		FIELD(MHD_HTTP_HEADER_LAST_MODIFIED, ent->last_modified);
	FIELD(MHD_HTTP_HEADER_VARY, "Accept-Encoding");
	FIELD("X-Content-Type-Options", "nosniff");
	FIELD("Content-Security-Policy", csp);
	FIELD("Referrer-Policy", "same-origin");
	if (gz)
		FIELD(MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	for (i = 0; i < r->nxhdr && n < REPLY_FIELDS_MAX - 1; i++)
		FIELD(r->xhdr[i][0], r->xhdr[i][1]);
	if (ent->status == MHD_HTTP_METHOD_NOT_ALLOWED)
		FIELD(MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
#undef FIELD
	return n;
}

static void
headers(struct MHD_Response *resp, const struct req *r, const struct reply_ent *ent, int gz)
{
	const char *f[REPLY_FIELDS_MAX][2];
	size_t n = reply_fields(r, ent, gz, f), i;

	for (i = 0; i < n; i++)
		MHD_add_response_header(resp, f[i][0], f[i][1]);
}

/* What a reply says about itself, before any response is made: status,
 * lifetime, ETags of both variants, Last-Modified. */
void
reply_meta(const struct req *r, struct reply_ent *ent)
{
	const char *body = r->raw_static ? (const char *)r->raw : r->body.b.p;
	size_t len = r->raw_static ? r->rawlen : r->body.b.len;
	uint64_t h = reply_hash(body, len);
	time_t mtime = r->mtime ? r->mtime : r->web->archive_mtime;

	memset(ent, 0, sizeof(*ent));
	ent->status = r->status ? r->status : 200;
	ent->cache = r->cache;
	if (ent->status != 200)
		ent->cache = CACHE_NONE;
	snprintf(ent->etag, sizeof(ent->etag), "\"%016llx\"", (unsigned long long)h);
	snprintf(ent->etag_gz, sizeof(ent->etag_gz), "\"%016llx-gz\"", (unsigned long long)h);
	ent->mtime = mtime > 0 ? mtime : 0;
	if (ent->mtime)
		http_date(ent->mtime, ent->last_modified);
}

/*
 * Turns r's reply into responses. For the cache (want_gz < 0) the bytes are
 * copied to the heap once and both variants are made, compressed hard; per
 * request only the variant the client takes is made, compressed lightly,
 * and libmicrohttpd copies it (the arena dies with the request).
 */
void
reply_build(const struct req *r, int want_gz, struct reply_ent *ent)
{
	const char *body = r->raw_static ? (const char *)r->raw : r->body.b.p;
	size_t len = r->raw_static ? r->rawlen : r->body.b.len;
	unsigned char *gzp = NULL;
	size_t gzlen = 0;
	int for_cache = want_gz < 0;

	reply_meta(r, ent);
	if (want_gz != 0)
		gzlen = gzip(body, len, for_cache ? 9 : 4, for_cache ? NULL : r->arena, &gzp);
	if (for_cache) {
		/* libmicrohttpd owns the bytes from here: a response stays alive
		 * while any connection still sends it, whatever we do with ent */
		ent->plain = MHD_create_response_from_buffer(
			len, (void *)(uintptr_t)body,
			r->raw_static ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_COPY);
		if (gzlen)
			ent->gz = MHD_create_response_from_buffer(gzlen, gzp, MHD_RESPMEM_MUST_FREE);
	} else if (gzlen) {
		ent->gz = MHD_create_response_from_buffer(gzlen, gzp, MHD_RESPMEM_MUST_COPY);
	}
	if (ent->plain == NULL && ent->gz == NULL)
		ent->plain = MHD_create_response_from_buffer(len, (void *)(uintptr_t)body,
							     MHD_RESPMEM_MUST_COPY);
	ent->plain_len = ent->plain ? len : 0;
	ent->gz_len = gzlen;
	if (ent->plain)
		headers(ent->plain, r, ent, 0);
	if (ent->gz)
		headers(ent->gz, r, ent, 1);
}

void
reply_release(struct reply_ent *ent)
{
	if (ent->plain)
		MHD_destroy_response(ent->plain);
	if (ent->gz)
		MHD_destroy_response(ent->gz);
	ent->plain = ent->gz = NULL;
}

/* Does an If-None-Match list name either variant of ent? Weak comparison
 * (W/ ignored), as RFC 9110 asks for If-None-Match. */
static int
etag_listed(const char *list, const struct reply_ent *ent)
{
	const char *p = list;

	while (*p) {
		const char *start, *end;
		size_t len;

		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (*p == '*')
			return 1;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		start = p;
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		len = (size_t)(end - start);
		while (len > 0 && (start[len - 1] == ' ' || start[len - 1] == '\t'))
			len--;
		if ((len == strlen(ent->etag) && memcmp(start, ent->etag, len) == 0) ||
		    (len == strlen(ent->etag_gz) && memcmp(start, ent->etag_gz, len) == 0))
			return 1;
		p = end;
	}
	return 0;
}

/* Whether Accept-Encoding admits gzip (or "*"), and not with q=0. */
int
reply_accepts_gzip(struct MHD_Connection *conn)
{
	const char *ae = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_ACCEPT_ENCODING);
	const char *p = ae;

	if (ae == NULL)
		return 0;
	while (*p) {
		size_t n;
		const char *q;

		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		n = strcspn(p, ",;");
		if ((n == 4 && strncasecmp(p, "gzip", 4) == 0) || (n == 1 && *p == '*')) {
			q = p + n;
			/* "gzip;q=0" or "gzip;q=0.000" refuses it */
			while (*q == ';' || *q == ' ')
				q++;
			if ((q[0] == 'q' || q[0] == 'Q') && q[1] == '=' && strtod(q + 2, NULL) <= 0.0)
				return 0;
			return 1;
		}
		p += n;
		while (*p && *p != ',')
			p++;
	}
	return 0;
}

/*
 * Answers from ent: 304 when the client's copy is current (If-None-Match
 * first, else If-Modified-Since; only for 200 pages), otherwise the gzip or
 * plain variant. Responses are shared and reference-counted by
 * libmicrohttpd, so the same cached response serves many connections.
 */
enum MHD_Result
reply_queue(struct MHD_Connection *conn, const struct reply_ent *ent, int accept_gz,
	    int *status, size_t *bytes)
{
	int gz = accept_gz && ent->gz != NULL;
	struct MHD_Response *resp = gz ? ent->gz : ent->plain;
	enum MHD_Result ret;

	if (resp == NULL) { /* a per-request build made only the gzip variant */
		resp = ent->gz;
		gz = 1;
	}
	if (ent->status == 200) {
		const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							      MHD_HTTP_HEADER_IF_NONE_MATCH);
		const char *ims = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							      MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
		int fresh = 0;

		if (inm != NULL)
			fresh = etag_listed(inm, ent);
		else if (ims != NULL && ent->mtime > 0)
			fresh = parse_http_date(ims) >= ent->mtime;
		if (fresh) {
			struct MHD_Response *nm =
				MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
			MHD_add_response_header(nm, MHD_HTTP_HEADER_CACHE_CONTROL,
						cache_control[ent->cache]);
			MHD_add_response_header(nm, MHD_HTTP_HEADER_ETAG,
						gz ? ent->etag_gz : ent->etag);
			if (ent->last_modified[0])
				MHD_add_response_header(nm, MHD_HTTP_HEADER_LAST_MODIFIED,
							ent->last_modified);
			MHD_add_response_header(nm, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
			ret = MHD_queue_response(conn, MHD_HTTP_NOT_MODIFIED, nm);
			MHD_destroy_response(nm);
			*status = MHD_HTTP_NOT_MODIFIED;
			*bytes = 0;
			return ret;
		}
	}
	*status = ent->status;
	*bytes = gz ? ent->gz_len : ent->plain_len;
	return MHD_queue_response(conn, (unsigned)ent->status, resp);
}

/* IMF-fixdate for others (web_render's Date). */
void
reply_http_date(time_t t, char out[40])
{
	http_date(t, out);
}
