/* fold.c: folding code points for matching, from the generated table */
#include <pthread.h>
#include <stdatomic.h>

#include "text.h"

/* build/gen/fold_table.c, written by tools/gen_fold.c: sorted by code point. */
extern const uint32_t text_fold_single[][2]; /* {cp, folded}: one for one */
extern const size_t text_fold_nsingle;
extern const uint32_t text_fold_multi[][3]; /* {cp, offset, count}: 0 or >1 */
extern const size_t text_fold_nmulti;
extern const uint32_t text_fold_expand[]; /* the code points of text_fold_multi */
extern const char *text_fold_table_version;

/*
 * The Basic Multilingual Plane, where nearly all text lives, is looked up
 * directly: bmp[cp] is the folded code point itself, or MULTI | i where i
 * indexes text_fold_multi (the code point vanishes or expands). 256 KiB,
 * built once on first use. Supplementary planes (CJK extensions B-H, mostly
 * folding to themselves) go through a binary search of the sorted tables.
 */
#define MULTI 0x80000000u

static uint32_t bmp[0x10000];
static size_t single_supp; /* first text_fold_single entry past the BMP */
static size_t multi_supp;  /* first text_fold_multi entry past the BMP */
static pthread_once_t bmp_once = PTHREAD_ONCE_INIT;
static atomic_int bmp_ready;

static void
bmp_build(void)
{
	size_t i;
	uint32_t c;

	for (c = 0; c < 0x10000; c++)
		bmp[c] = c;
	for (i = 0; i < text_fold_nsingle && text_fold_single[i][0] < 0x10000; i++)
		bmp[text_fold_single[i][0]] = text_fold_single[i][1];
	single_supp = i;
	for (i = 0; i < text_fold_nmulti && text_fold_multi[i][0] < 0x10000; i++)
		bmp[text_fold_multi[i][0]] = MULTI | (uint32_t)i;
	multi_supp = i;
	atomic_store_explicit(&bmp_ready, 1, memory_order_release);
}

/* The atomic flag spares the tokenizer's inner loop a call into libc. */
static inline void
ensure_built(void)
{
	if (!atomic_load_explicit(&bmp_ready, memory_order_acquire))
		pthread_once(&bmp_once, bmp_build);
}

static size_t
expand(size_t i, uint32_t out[TEXT_FOLD_MAX])
{
	size_t n = text_fold_multi[i][2], k;
	const uint32_t *p = text_fold_expand + text_fold_multi[i][1];

	for (k = 0; k < n && k < TEXT_FOLD_MAX; k++)
		out[k] = p[k];
	return k;
}

/* Binary search of rows [lo, hi) of a table whose rows start with a code
 * point; returns the row or hi when cp is absent. */
static size_t
search(const uint32_t *rows, size_t stride, size_t lo, size_t hi, uint32_t cp)
{
	size_t end = hi;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t v = rows[mid * stride];
		if (v == cp)
			return mid;
		if (v < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return end;
}

/*
 * The folding of one code point (see text.h). Surrogates and values past
 * U+10FFFF, which the UTF-8 decoder never yields, vanish.
 */
size_t
text_fold_cp(uint32_t cp, uint32_t out[TEXT_FOLD_MAX])
{
	size_t i;

	ensure_built();
	if (cp < 0x10000) {
		uint32_t v = bmp[cp];
		if (v & MULTI)
			return expand(v & ~MULTI, out);
		if (cp >= 0xD800 && cp <= 0xDFFF)
			return 0;
		out[0] = v;
		return 1;
	}
	if (cp > 0x10FFFF)
		return 0;
	i = search(&text_fold_single[0][0], 2, single_supp, text_fold_nsingle, cp);
	if (i < text_fold_nsingle) {
		out[0] = text_fold_single[i][1];
		return 1;
	}
	i = search(&text_fold_multi[0][0], 3, multi_supp, text_fold_nmulti, cp);
	if (i < text_fold_nmulti)
		return expand(i, out);
	out[0] = cp;
	return 1;
}

/*
 * Folds a UTF-8 string, appending to out. Invalid bytes are skipped one at
 * a time, as the tokenizer skips them, so text_fold of a string is exactly
 * the concatenation of its tokens' folded bytes (white space aside, which
 * the tokenizer also merges into runs).
 */
void
text_fold(const char *s, size_t len, struct buf *out)
{
	uint32_t f[TEXT_FOLD_MAX];
	size_t i = 0, k, nf;

	buf_grow(out, len);
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		char enc[4 * TEXT_FOLD_MAX];
		size_t elen = 0;

		if (n == 0) {
			i++;
			continue;
		}
		i += n;
		nf = text_fold_cp(cp, f);
		for (k = 0; k < nf; k++)
			elen += utf8_encode(f[k], enc + elen);
		buf_add(out, enc, elen);
	}
}

const char *
text_fold_version(void)
{
	return text_fold_table_version;
}
