/* testlib.h: what every unit test includes (cmocka and the paths of shared data) */
#ifndef FZ_TESTLIB_H
#define FZ_TESTLIB_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <ftw.h>
#include <stdlib.h>

/* ../shared beside the repository; tests run from the repository's root. */
static inline const char *
test_shared(void)
{
	const char *s = getenv("SHARED");
	return s ? s : "../shared";
}

/* Makes a fresh directory $TMPDIR/<name>.XXXXXX (or under /tmp) into dir,
 * for the files a test writes. 0, or -1 when it cannot. */
static inline int
test_tmpdir_make(char *dir, size_t size, const char *name)
{
	const char *t = getenv("TMPDIR");

	snprintf(dir, size, "%s/%s.XXXXXX", t && *t ? t : "/tmp", name);
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static inline int
test_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* Removes a directory tree a test made (without a shell). */
static inline int
test_tmpdir_remove(const char *dir)
{
	return nftw(dir, test_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
#endif
