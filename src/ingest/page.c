/* page.c: an old page decoded from its declared charset and read with libxml2's HTML parser */
#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>

#include "ingest_int.h"

#define META_SCAN 4096 /* the meta charset is looked for in this many bytes */
#define BAD_LISTED 100 /* undecodable bytes listed one by one, at most */

/* The charset a <meta> declares in the first bytes of a page, or NULL. */
static const char *
meta_charset(const unsigned char *p, size_t len, struct arena *a)
{
	size_t n = len < META_SCAN ? len : META_SCAN, i, k;

	for (i = 0; i + 8 < n; i++) {
		size_t j;
		for (j = 0; j < 7 && (p[i + j] | 32) == (unsigned char)"charset"[j]; j++)
			;
		if (j < 7)
			continue;
		i += 7;
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (i >= n || p[i] != '=')
			continue;
		i++;
		while (i < n && (p[i] == ' ' || p[i] == '"' || p[i] == '\''))
			i++;
		for (k = i; k < n && (p[k] == '-' || p[k] == '_' || (p[k] >= '0' && p[k] <= '9') ||
				      ((p[k] | 32) >= 'a' && (p[k] | 32) <= 'z'));
		     k++)
			;
		if (k > i)
			return arena_strndup(a, (const char *)p + i, k - i);
	}
	return NULL;
}

/*
 * Which converter reads a declared charset. Pages that say gb2312 (or gbk)
 * hold GBK and beyond: GB18030 reads them all (peers.md). NULL: not
 * declared, guess.
 */
static const char *
converter(const char *cs)
{
	static const char *const gb[] = { "gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "ms936",
					  "windows-936", "gb18030", "euc-cn", "x-euc-cn", "csgb2312" };
	size_t i;

	if (cs == NULL)
		return NULL;
	for (i = 0; i < sizeof(gb) / sizeof(gb[0]); i++)
		if (strcasecmp(cs, gb[i]) == 0)
			return "GB18030";
	if (strcasecmp(cs, "utf-8") == 0 || strcasecmp(cs, "utf8") == 0)
		return "UTF-8";
	return cs;
}

static void
mark_bad(struct buf *out, struct buf *bad, long *nbad, size_t off, const unsigned char *p,
	 size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		buf_addstr(out, "\xEF\xBF\xBD"); /* U+FFFD marks the byte */
		if (*nbad < BAD_LISTED)
			buf_addf(bad, "%s[%zu, \"%02x\"]", *nbad ? ", " : "", off + i, p[i]);
		(*nbad)++;
	}
}

/* UTF-8 as it comes, each invalid byte (and NUL) marked. */
static void
from_utf8(const unsigned char *p, size_t len, struct buf *out, struct buf *bad, long *nbad)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < len) {
		k = utf8_decode((const char *)p + i, len - i, &cp);
		if (k == 0 || cp == 0) {
			mark_bad(out, bad, nbad, i, p + i, 1);
			i++;
			continue;
		}
		buf_add(out, p + i, k);
		i += k;
	}
}

/* Through iconv; -1 when iconv does not know the charset. */
static int
from_iconv(const char *cs, const unsigned char *p, size_t len, struct buf *out, struct buf *bad,
	   long *nbad)
{
	iconv_t cd = iconv_open("UTF-8", cs);
	char *ip = (char *)p;
	size_t il = len;

	if (cd == (iconv_t)-1)
		return -1;
	while (il > 0) {
		char *op;
		size_t ol, r;
		buf_grow(out, il * 2 + 16);
		op = out->p + out->len;
		ol = out->cap - out->len - 1;
		r = iconv(cd, &ip, &il, &op, &ol);
		out->len = (size_t)(op - out->p);
		out->p[out->len] = '\0';
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG)
			continue;
		/* EILSEQ: one bad byte; EINVAL: the text ends inside a character */
		size_t nb = errno == EINVAL ? il : 1;
		mark_bad(out, bad, nbad, (size_t)(ip - (char *)p), (const unsigned char *)ip, nb);
		ip += nb;
		il -= nb;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	iconv_close(cd);
	/* NUL would end the text early for the parser: mark it too */
	for (size_t i = 0; i < out->len; i++)
		if (out->p[i] == '\0')
			out->p[i] = '?';
	return 0;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

/* Appends text with HTML whitespace (newlines too) as plain spaces. */
static void
add_text(struct buf *b, const char *s)
{
	for (; *s; s++)
		buf_addch(b, is_space(*s) ? ' ' : *s);
}

static int
name_is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcasecmp((const char *)n->name, name) == 0;
}

/* The text under n: <br> ends a line, block elements end paragraphs,
 * scripts and styles are not text. */
static void
walk_text(const xmlNode *n, struct buf *b)
{
	static const char *const blocks[] = { "p", "div", "li", "tr", "table", "h1", "h2", "h3",
					      "h4", "h5", "h6", "blockquote", "center", "pre" };
	const xmlNode *c;
	size_t i;

	for (c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			if (c->content)
				add_text(b, (const char *)c->content);
		} else if (c->type == XML_ELEMENT_NODE) {
			int block = 0;
			if (name_is(c, "br")) {
				buf_addch(b, '\n');
				continue;
			}
			if (name_is(c, "script") || name_is(c, "style"))
				continue;
			for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
				block |= name_is(c, blocks[i]);
			if (block)
				buf_addch(b, '\n');
			walk_text(c, b);
			if (block)
				buf_addch(b, '\n');
		}
	}
}

/* Trims ASCII spaces, U+3000 and U+00A0 from both ends of [*s, *e). */
static void
trim(const char **s, const char **e)
{
	for (;;) {
		if (*s < *e && **s == ' ')
			(*s)++;
		else if (*e - *s >= 3 && memcmp(*s, "\xE3\x80\x80", 3) == 0)
			*s += 3;
		else if (*e - *s >= 2 && memcmp(*s, "\xC2\xA0", 2) == 0)
			*s += 2;
		else
			break;
	}
	for (;;) {
		if (*e > *s && (*e)[-1] == ' ')
			(*e)--;
		else if (*e - *s >= 3 && memcmp(*e - 3, "\xE3\x80\x80", 3) == 0)
			*e -= 3;
		else if (*e - *s >= 2 && memcmp(*e - 2, "\xC2\xA0", 2) == 0)
			*e -= 2;
		else
			break;
	}
}

void
page_norm_paragraphs(struct buf *b)
{
	struct buf out;
	const char *p = b->p ? b->p : "", *end = p + b->len;

	buf_init(&out, b->arena);
	buf_addstr(&out, "");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *s = p, *e;
		size_t start = out.len;
		if (nl == NULL)
			nl = end;
		e = nl;
		trim(&s, &e);
		if (s < e) {
			if (out.len)
				buf_addch(&out, '\n'), start++;
			for (; s < e; s++)
				if (*s != ' ' || out.len == start || out.p[out.len - 1] != ' ')
					buf_addch(&out, *s);
		}
		p = nl + 1;
	}
	if (b->arena == NULL)
		buf_free(b);
	*b = out;
}

static const xmlNode *
find_txt(const xmlNode *n)
{
	const xmlNode *c, *r;

	for (c = n; c; c = c->next) {
		if (name_is(c, "div")) {
			xmlChar *cls = xmlGetProp((xmlNode *)c, (const xmlChar *)"class");
			int hit = 0;
			if (cls != NULL) {
				const char *t = (const char *)cls;
				while (*t && !hit) {
					size_t k;
					while (*t == ' ' || *t == '\t')
						t++;
					for (k = 0; t[k] && t[k] != ' ' && t[k] != '\t'; k++)
						;
					hit = k == 3 && strncasecmp(t, "txt", 3) == 0;
					t += k;
				}
				xmlFree(cls);
			}
			if (hit)
				return c;
		}
		if (c->type == XML_ELEMENT_NODE && (r = find_txt(c->children)) != NULL)
			return r;
	}
	return NULL;
}

static const char *
prop(const xmlNode *n, const char *name, struct arena *a)
{
	xmlChar *v = xmlGetProp((xmlNode *)n, (const xmlChar *)name);
	const char *s;

	if (v == NULL)
		return NULL;
	s = arena_strdup(a, (const char *)v);
	xmlFree(v);
	return s;
}

/* Text of a title or link: whitespace characters as spaces, ends trimmed,
 * the inside kept as written. */
static const char *
label(const xmlNode *n, struct arena *a)
{
	xmlChar *v = xmlNodeGetContent(n);
	struct buf b;
	const char *s, *e;

	buf_init(&b, a);
	buf_addstr(&b, "");
	if (v != NULL)
		add_text(&b, (const char *)v);
	xmlFree(v);
	s = b.p, e = b.p + b.len;
	trim(&s, &e);
	return arena_strndup(a, s, (size_t)(e - s));
}

static void
collect(const xmlNode *n, struct page *pg, struct arena *a, size_t *cap)
{
	const xmlNode *c;

	for (c = n; c; c = c->next) {
		if (name_is(c, "title") && pg->title == NULL)
			pg->title = label(c, a);
		if (name_is(c, "a")) {
			if (pg->nlinks == *cap) {
				struct page_link *nl;
				*cap = *cap ? 2 * *cap : 64;
				nl = arena_alloc(a, *cap * sizeof(*nl));
				if (pg->nlinks)
					memcpy(nl, pg->links, pg->nlinks * sizeof(*nl));
				pg->links = nl;
			}
			pg->links[pg->nlinks++] = (struct page_link){ prop(c, "href", a),
								      prop(c, "name", a), label(c, a) };
		}
		if (c->type == XML_ELEMENT_NODE)
			collect(c->children, pg, a, cap);
	}
}

/*
 * Decodes a page and reads what the crawl importer needs from it. Bytes
 * that do not decode become U+FFFD, and are counted and listed, so nothing
 * is silently dropped; the raw bytes stay with the capture.
 */
void
page_parse(const void *body, size_t len, const char *http_charset, struct arena *a,
	   struct page *out)
{
	const unsigned char *p = body;
	struct buf text, bad;
	const char *conv;
	htmlDocPtr doc;
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	out->charset = http_charset ? http_charset : meta_charset(p, len, a);
	conv = converter(out->charset);
	buf_init(&text, NULL);
	buf_init(&bad, NULL);
	buf_addstr(&text, "");
	buf_addstr(&bad, "");
	if (conv == NULL)
		conv = utf8_valid(body, len, NULL) ? "UTF-8" : "GB18030";
	if (strcmp(conv, "UTF-8") == 0 ||
	    from_iconv(conv, p, len, &text, &bad, &out->nbad) < 0) {
		if (strcmp(conv, "UTF-8") != 0) /* iconv knows no such charset: guess */
			conv = utf8_valid(body, len, NULL) ? "UTF-8" : "GB18030";
		buf_reset(&text);
		buf_reset(&bad);
		buf_addstr(&text, "");
		out->nbad = 0;
		if (strcmp(conv, "UTF-8") == 0)
			from_utf8(p, len, &text, &bad, &out->nbad);
		else
			from_iconv(conv, p, len, &text, &bad, &out->nbad);
	}
	out->decoded_as = conv;
	if (out->nbad)
		out->bad = arena_printf(a, "[%s%s]", bad.p, out->nbad > BAD_LISTED ? ", \"...\"" : "");
	doc = htmlReadMemory(text.p, (int)text.len, NULL, "UTF-8",
			     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
				     HTML_PARSE_NONET);
	if (doc != NULL) {
		const xmlNode *root = xmlDocGetRootElement(doc), *txt;
		if (root != NULL) {
			collect(root, out, a, &cap);
			if ((txt = find_txt(root)) != NULL) {
				struct buf t;
				buf_init(&t, a);
				buf_addstr(&t, "");
				walk_text(txt, &t);
				page_norm_paragraphs(&t);
				out->txt = t.p;
			}
		}
		xmlFreeDoc(doc);
	}
	buf_free(&text);
	buf_free(&bad);
}
