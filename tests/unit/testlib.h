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

/* ../shared beside the repository; tests run from the repository's root. */
static inline const char *
test_shared(void)
{
	const char *s = getenv("SHARED");
	return s ? s : "../shared";
}
#endif
