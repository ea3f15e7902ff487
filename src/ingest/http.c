/* http.c: an HTTP response as a crawler kept it: status, headers, the body as sent */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "ingest_int.h"

#define INFLATE_MAX ((size_t)256 << 20) /* a compressed body is not inflated past this */

/* The value of header `name` in [p, end) (header lines only), or NULL. */
static const char *
header(const char *p, const char *end, const char *name, struct arena *a)
{
	size_t k = strlen(name);

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *v, *e;
		if (nl == NULL)
			nl = end;
		if ((size_t)(nl - p) > k && strncasecmp(p, name, k) == 0 && p[k] == ':') {
			v = p + k + 1;
			e = nl;
			while (v < e && (*v == ' ' || *v == '\t'))
				v++;
			while (e > v && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
				e--;
			return arena_strndup(a, v, (size_t)(e - v));
		}
		p = nl + 1;
	}
	return NULL;
}

/* The charset parameter of a Content-Type value, or NULL. */
static const char *
charset_param(const char *ct, struct arena *a)
{
	const char *c = ct ? strcasestr(ct, "charset=") : NULL;
	size_t n = 0;

	if (c == NULL)
		return NULL;
	c += 8;
	if (*c == '"' || *c == '\'')
		c++;
	while (c[n] && (c[n] == '-' || c[n] == '_' || c[n] == '.' || c[n] == ':' ||
			(c[n] >= '0' && c[n] <= '9') || ((c[n] | 32) >= 'a' && (c[n] | 32) <= 'z')))
		n++;
	return n ? arena_strndup(a, c, n) : NULL;
}

/* Undoes chunked transfer coding; *cut is set when the chunks stop short. */
static void
dechunk(const unsigned char *p, size_t len, struct buf *out, int *cut)
{
	size_t i = 0;

	*cut = 1;
	while (i < len) {
		size_t size = 0, digits = 0;
		while (i < len && digits < 15) {
			unsigned char c = p[i];
			int d = c >= '0' && c <= '9' ? c - '0' : (c | 32) >= 'a' && (c | 32) <= 'f' ? (c | 32) - 'a' + 10 : -1;
			if (d < 0)
				break;
			size = size * 16 + (size_t)d;
			i++, digits++;
		}
		if (digits == 0)
			return;
		while (i < len && p[i] != '\n') /* chunk extensions */
			i++;
		i++;
		if (size == 0) {
			*cut = 0;
			return;
		}
		if (i >= len)
			return;
		if (size > len - i) {
			buf_add(out, p + i, len - i);
			return;
		}
		buf_add(out, p + i, size);
		i += size;
		if (i < len && p[i] == '\r')
			i++;
		if (i < len && p[i] == '\n')
			i++;
	}
}

/* Inflates gzip or zlib data; 0, or -1 when it is damaged or too large
 * (out then holds what came out). */
static int
inflate_all(const unsigned char *p, size_t len, struct buf *out)
{
	z_stream z;
	int rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 32) != Z_OK)
		return -1;
	z.next_in = (unsigned char *)p;
	z.avail_in = (unsigned)len;
	do {
		buf_grow(out, 65536);
		z.next_out = (unsigned char *)out->p + out->len;
		z.avail_out = 65536;
		rc = inflate(&z, Z_NO_FLUSH);
		out->len += 65536 - z.avail_out;
		out->p[out->len] = '\0';
	} while (rc == Z_OK && out->len < INFLATE_MAX && (z.avail_in > 0 || z.avail_out == 0));
	inflateEnd(&z);
	return rc == Z_STREAM_END ? 0 : -1;
}

/*
 * A response as captured. The body is what the server meant to send:
 * chunks joined and gzip undone; a body shorter than its Content-Length
 * (the capture was cut off) is kept as it is, with a problem noted.
 */
void
http_parse(const void *data, size_t len, struct arena *a, struct http_response *out)
{
	const char *p = data, *hend, *te, *ce, *cl;
	size_t hl, blen;
	int status = 0, cut = 0;

	memset(out, 0, sizeof(*out));
	out->body = data;
	out->body_len = len;
	if (len < 12 || memcmp(p, "HTTP/", 5) != 0)
		return;
	hend = memmem(p, len, "\r\n\r\n", 4);
	hl = 4;
	if (hend == NULL) {
		hend = memmem(p, len, "\n\n", 2);
		hl = 2;
	}
	if (hend == NULL) {
		out->body_len = 0;
		out->problem = "the response ends inside its headers";
		hend = p + len, hl = 0;
	}
	{
		const char *sp = memchr(p, ' ', (size_t)(hend - p));
		int i;
		for (i = 1; sp && i <= 3 && sp + i < hend && sp[i] >= '0' && sp[i] <= '9'; i++)
			status = status * 10 + (sp[i] - '0');
		if (status < 100 || status > 999)
			status = 0;
	}
	out->status = status ? status : 1;
	out->content_type = header(p, hend, "Content-Type", a);
	out->charset = charset_param(out->content_type, a);
	if (hl == 0)
		return;
	out->body = (const unsigned char *)hend + hl;
	blen = len - (size_t)(hend + hl - p);
	out->body_len = blen;
	te = header(p, hend, "Transfer-Encoding", a);
	ce = header(p, hend, "Content-Encoding", a);
	cl = header(p, hend, "Content-Length", a);
	if (te && strcasestr(te, "chunked")) {
		struct buf b;
		buf_init(&b, a);
		buf_addstr(&b, "");
		dechunk(out->body, blen, &b, &cut);
		out->body = (const unsigned char *)b.p;
		out->body_len = b.len;
		if (cut)
			out->problem = "cut off: the chunked body stops before its last chunk";
	} else if (cl) {
		unsigned long long n = 0;
		const char *c = cl;
		while (*c >= '0' && *c <= '9' && n < (1ULL << 50))
			n = n * 10 + (unsigned long long)(*c++ - '0');
		if (c > cl && *c == '\0' && n > blen)
			out->problem = arena_printf(a, "cut off: Content-Length says %llu bytes, %zu arrived",
						    n, blen);
		else if (c > cl && *c == '\0' && n < blen)
			out->body_len = (size_t)n; /* a keep-alive tail is not the body */
	}
	if (ce && (strcasecmp(ce, "gzip") == 0 || strcasecmp(ce, "x-gzip") == 0 ||
		   strcasecmp(ce, "deflate") == 0)) {
		struct buf b;
		buf_init(&b, a);
		buf_addstr(&b, "");
		if (inflate_all(out->body, out->body_len, &b) < 0 && out->problem == NULL)
			out->problem = "the compressed body is damaged or cut off";
		out->body = (const unsigned char *)b.p;
		out->body_len = b.len;
	}
}
