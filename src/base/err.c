/* err.c: errors as values that carry a message for a person */
#include <stdio.h>
#include <string.h>

#include "base.h"

int
fz_fail(struct fz_err *err, enum fz_code code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Adds context in front of an existing message, the way SQLite's pzErr grows
 * on its way up: "import foo.jsonl: line 3: field "id" is missing".
 */
int
fz_wrap(struct fz_err *err, const char *fmt, ...)
{
	char prefix[512], old[sizeof(err->msg)];
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* prefix, ": ", then as much of the old message as fits */
	size_t plen = strnlen(prefix, sizeof(err->msg) - 3), olen = strnlen(old, sizeof(old) - 1);
	if (plen + 2 + olen > sizeof(err->msg) - 1)
		olen = sizeof(err->msg) - 1 - plen - 2;
	memcpy(err->msg, prefix, plen);
	memcpy(err->msg + plen, ": ", 2);
	memcpy(err->msg + plen + 2, old, olen);
	err->msg[plen + 2 + olen] = '\0';
	if (err->code == FZ_OK)
		err->code = FZ_EINTERNAL;
	return -1;
}

void
fz_err_clear(struct fz_err *err)
{
	err->code = FZ_OK;
	err->msg[0] = '\0';
}
