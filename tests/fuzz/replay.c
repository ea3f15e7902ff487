/* replay.c: runs a fuzz target over its saved corpus, as a unit test, so
 * that `make check` replays every crasher ever found (SQLite's fuzzcheck) */
#include <dirent.h>

#include "../unit/testlib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef FUZZ_CORPUS
#error "FUZZ_CORPUS names the corpus directory"
#endif

static void
replay(void **state)
{
	DIR *d = opendir(FUZZ_CORPUS);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		char path[1024];
		FILE *f;
		static unsigned char buf[1 << 20];
		size_t len;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", FUZZ_CORPUS, de->d_name);
		f = fopen(path, "rb");
		assert_non_null(f);
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, len);
		n++;
	}
	closedir(d);
	assert_true(n > 0); /* an empty corpus replays nothing: a defect */
}

int
main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(replay) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
