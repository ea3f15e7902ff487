/* util.c: what every subcommand shares: exit statuses, help, number parsing */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include "cli.h"
#include "util.h"

int
cli_die(const char *cmd, const struct fz_err *err)
{
	static const int status[FZ__MAX] = {
		[FZ_OK] = EXIT_INTERNAL, [FZ_EINPUT] = EXIT_INPUT,
		[FZ_ENOTFOUND] = EXIT_NOTFOUND, [FZ_ECONFLICT] = EXIT_STORE,
		[FZ_EIO] = EXIT_STORE, [FZ_ESTORE] = EXIT_STORE, [FZ_EINTERNAL] = EXIT_INTERNAL,
	};

	fprintf(stderr, "fangzhi %s: %s\n", cmd, err->msg);
	return err->code < FZ__MAX ? status[err->code] : EXIT_INTERNAL;
}

int
cli_help(int argc, char **argv, const char *usage)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage, stdout);
			return EXIT_OK_;
		}
	}
	return -1;
}

int
cli_usage_error(const char *cmd, const char *usage, const char *what)
{
	fprintf(stderr, "fangzhi %s: %s\n\n%s", cmd, what, usage);
	return EXIT_USAGE;
}

/* strtol with the whole string checked, for options like --limit. */
int
cli_parse_long(const char *opt, const char *s, long min, long max, long *out,
	       struct fz_err *err)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return fz_fail(err, FZ_EINPUT, "%s \"%s\" is not a number from %ld to %ld", opt, s, min,
			       max);
	*out = v;
	return 0;
}
