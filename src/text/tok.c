/* tok.c: the tokenizer: one token per folded code point, boundaries at breaks and notes */
#include "text.h"

/* Hands the pending run of white space, if any, to cb as one " " token. */
static int
flush_space(int *in_space, size_t start, size_t end, text_tok_cb cb, void *ctx)
{
	if (!*in_space)
		return 0;
	*in_space = 0;
	return cb(ctx, " ", 1, start, end);
}

/*
 * See text.h. The tokens of a code point that folds to several code points
 * all carry that code point's byte range; a code point that folds to
 * nothing (a control, an invisible format character) or an invalid byte
 * makes no token and does not end a run of white space, so "a \u200B b"
 * has one " " token between its letters. The run's range runs from its
 * first white-space character to the end of its last.
 *
 * Each token is encoded into a small buffer on the stack: nothing is
 * allocated, so the loop's cost is the decoding, one table lookup and cb.
 */
int
text_tokenize(const char *s, size_t len, text_tok_cb cb, void *ctx)
{
	uint32_t f[TEXT_FOLD_MAX];
	char tok[5];
	size_t i = 0, sp_start = 0, sp_end = 0;
	int in_space = 0, rc;

	while (i < len) {
		size_t start = i, n, nf, k;
		unsigned char b = (unsigned char)s[i];
		uint32_t cp;

		if (b < 0x80) {
			cp = b;
			n = 1;
		} else if ((n = utf8_decode(s + i, len - i, &cp)) == 0) {
			i++; /* an invalid byte: skip it alone and resynchronise */
			continue;
		}
		i += n;
		if (cp == '\n' || cp == TEXT_NOTE_OPEN_CP || cp == TEXT_NOTE_CLOSE_CP) {
			if ((rc = flush_space(&in_space, sp_start, sp_end, cb, ctx)) != 0)
				return rc;
			if ((rc = cb(ctx, TEXT_TOK_BOUNDARY, 1, start, i)) != 0)
				return rc;
			continue;
		}
		nf = text_fold_cp(cp, f);
		for (k = 0; k < nf; k++) {
			size_t toklen;

			if (f[k] == ' ') {
				if (!in_space) {
					in_space = 1;
					sp_start = start;
				}
				sp_end = i;
				continue;
			}
			if ((rc = flush_space(&in_space, sp_start, sp_end, cb, ctx)) != 0)
				return rc;
			if (f[k] < 0x80) {
				tok[0] = (char)f[k];
				toklen = 1;
			} else {
				toklen = utf8_encode(f[k], tok);
			}
			tok[toklen] = '\0';
			if ((rc = cb(ctx, tok, toklen, start, i)) != 0)
				return rc;
		}
	}
	return flush_space(&in_space, sp_start, sp_end, cb, ctx);
}
