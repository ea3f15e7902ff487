/* buf.c: the one growable string type */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

static char empty[1];

void
buf_init(struct buf *b, struct arena *arena)
{
	b->p = empty;
	b->len = 0;
	b->cap = 0;
	b->arena = arena;
}

/* Makes room for extra more bytes plus the NUL. */
void
buf_grow(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	size_t cap;
	char *p;

	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap * 2 : 64;
	while (cap < need)
		cap *= 2;
	if (b->arena != NULL) {
		p = arena_alloc(b->arena, cap);
		memcpy(p, b->p, b->len + 1);
	} else {
		p = xrealloc(b->cap ? b->p : NULL, cap);
		if (b->cap == 0)
			p[0] = '\0';
	}
	b->p = p;
	b->cap = cap;
}

void
buf_add(struct buf *b, const void *p, size_t len)
{
	if (len == 0)
		return;
	buf_grow(b, len);
	memcpy(b->p + b->len, p, len);
	b->len += len;
	b->p[b->len] = '\0';
}

void
buf_addstr(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addch(struct buf *b, char c)
{
	buf_grow(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

void
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n <= 0)
		return;
	buf_grow(b, (size_t)n);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->cap)
		b->p[0] = '\0';
}

void
buf_free(struct buf *b)
{
	if (b->arena == NULL && b->cap)
		free(b->p);
	buf_init(b, b->arena);
}

char *
buf_detach(struct buf *b)
{
	char *p;

	if (b->arena != NULL || b->cap == 0) {
		p = xstrndup(b->p, b->len);
		buf_reset(b);
		return p;
	}
	p = b->p;
	buf_init(b, NULL);
	return p;
}
