/* util.h: helpers private to the command line */
#ifndef FZ_CLI_UTIL_H
#define FZ_CLI_UTIL_H
#include "../base/base.h"

/* Prints what is wrong and the usage; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *usage, const char *what);
int cli_parse_long(const char *opt, const char *s, long min, long max, long *out,
		   struct fz_err *err);
#endif
