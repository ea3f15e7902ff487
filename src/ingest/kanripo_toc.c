/* kanripo_toc.c: a Kanseki Repository book's Readme.org: title, editions, table of contents */
#include <string.h>

#include "kanripo_int.h"

/*
 * If the line is a row of Readme.org's version table, |  WYG|【四庫全書・文淵閣】|,
 * keeps its code and its name (without 【】) in b->editions.
 */
static void
edition_row(struct kbook *b, const char *s, size_t n)
{
	const char *p = s, *q, *r, *e = s + n;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (p == e || *p != '|' || (q = memchr(p + 1, '|', (size_t)(e - p - 1))) == NULL ||
	    (r = memchr(q + 1, '|', (size_t)(e - q - 1))) == NULL)
		return;
	b->editions = xrealloc(b->editions, (b->neditions + 2) * sizeof(char *));
	b->editions[b->neditions++] = kanripo_trimdup(p + 1, (size_t)(q - p - 1));
	for (q++; q < r && *q == ' '; q++)
		;
	while (r > q && r[-1] == ' ')
		r--;
	if (r - q >= 6 && memcmp(q, "【", 3) == 0 && memcmp(r - 3, "】", 3) == 0)
		q += 3, r -= 3;
	b->editions[b->neditions++] = kanripo_trimdup(q, (size_t)(r - q));
}

/*
 * Readme.org: the title, the version table and the table of contents. A
 * line that is not UTF-8 or a malformed item is reported and skipped.
 */
void
kanripo_read_readme(struct kbook *b, const char *text, size_t len)
{
	size_t ls, le, bad_at;
	long line = 0;

	for (ls = 0; ls < len; ls = le + 1) {
		const char *s = text + ls, *f, *sep, *close, *end;
		char *v;
		size_t n;

		le = ls;
		while (le < len && text[le] != '\n')
			le++;
		n = le - ls;
		line++;
		if (!utf8_valid(s, n, &bad_at)) {
			buf_addf(&b->why, "invalid UTF-8 at byte %zu", bad_at);
			kanripo_bad(b, b->readme_path, line);
			continue;
		}
		if (b->readme_title == NULL && (v = kanripo_header_value(s, n, "#+TITLE:")) != NULL) {
			b->readme_title = v;
			continue;
		}
		if (b->readme_id == NULL && (v = kanripo_header_value(s, n, "#+PROPERTY: ID")) != NULL) {
			b->readme_id = v;
			continue;
		}
		f = memmem(s, n, "[[file:", 7);
		if (f == NULL) {
			edition_row(b, s, n);
			continue;
		}
		/* [[file:KR2k0048_010.txt::010-1a][山東通志 卷八]] */
		f += 7;
		end = memmem(f, (size_t)(s + n - f), "]]", 2);
		close = end ? memmem(f, (size_t)(end - f), "][", 2) : NULL;
		if (close == NULL) {
			buf_addstr(&b->why, "table of contents item is not of the form "
					    "[[file:NAME.txt::PAGE][TITLE]]");
			kanripo_bad(b, b->readme_path, line);
			continue;
		}
		if (b->nitems == b->itemcap) {
			b->itemcap = b->itemcap ? 2 * b->itemcap : 64;
			b->items = xrealloc(b->items, b->itemcap * sizeof(*b->items));
		}
		struct item *it = &b->items[b->nitems++];
		memset(it, 0, sizeof(*it));
		sep = memmem(f, (size_t)(close - f), "::", 2);
		it->file = kanripo_trimdup(f, (size_t)((sep ? sep : close) - f));
		it->page = sep ? kanripo_trimdup(sep + 2, (size_t)(close - sep - 2)) : NULL;
		it->title = kanripo_trimdup(close + 2, (size_t)(end - close - 2));
		it->line = line;
	}
}

/* The edition's name: the version table's row for the base edition (【】
 * dropped), the only row, or the base edition's code itself. */
const char *
kanripo_edition_name(const struct kbook *b)
{
	size_t i;

	for (i = 0; b->baseedition != NULL && i + 1 < b->neditions; i += 2)
		if (strcmp(b->editions[i], b->baseedition) == 0 && b->editions[i + 1][0])
			return b->editions[i + 1];
	if (b->neditions == 2 && b->editions[1][0] != '\0')
		return b->editions[1];
	return b->baseedition;
}
