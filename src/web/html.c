/* html.c: escaping and the only ways markup gets out */
#include <string.h>

#include "web_int.h"

void
html_init(struct html *h, struct arena *a)
{
	buf_init(&h->b, a);
}

/* Only reached through HTML_LIT, which admits string literals alone. */
void
html_lit_(struct html *h, const char *lit, size_t len)
{
	buf_add(&h->b, lit, len);
}

/*
 * Escapes text for HTML text and quoted attributes. Everything shown that
 * came from the archive or the request passes here. C0 controls (other than
 * tab and newline) and DEL cannot appear in a well-formed page, so they
 * become U+FFFD rather than vanish silently. Bytes are copied in runs.
 */
void
html_textn(struct html *h, const char *s, size_t len)
{
	size_t i, run = 0;

	if (s == NULL)
		return;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *rep;

		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default:
			if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
				rep = "\xEF\xBF\xBD";
			else
				continue;
		}
		buf_add(&h->b, s + run, i - run);
		buf_addstr(&h->b, rep);
		run = i + 1;
	}
	buf_add(&h->b, s + run, len - run);
}

void
html_text(struct html *h, const char *s)
{
	if (s != NULL)
		html_textn(h, s, strlen(s));
}

/* Percent-encodes every byte outside the unreserved set (and '/' when
 * keep_slash), so the result is safe inside a quoted attribute. */
static void
pct(struct html *h, const char *s, int keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	if (s == NULL)
		return;
	for (p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/')) {
			buf_addch(&h->b, (char)c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			buf_add(&h->b, e, 3);
		}
	}
}

void
html_url_path(struct html *h, const char *s)
{
	pct(h, s, 1);
}

void
html_url_arg(struct html *h, const char *s)
{
	pct(h, s, 0);
}

void
html_long(struct html *h, long n)
{
	buf_addf(&h->b, "%ld", n);
}

void
html_frag(struct html *h, const struct html *frag)
{
	buf_add(&h->b, frag->b.p, frag->b.len);
}
