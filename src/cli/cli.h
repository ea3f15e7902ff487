/* cli.h: the subcommands, one cmd_<name>.c each */
#ifndef FZ_CLI_H
#define FZ_CLI_H

#include "../base/base.h"

/* Exit statuses, documented in the README. */
enum {
	EXIT_OK_ = 0,
	EXIT_FAILED = 1,   /* the command ran but something was not done (refused records) */
	EXIT_USAGE = 2,    /* bad command line */
	EXIT_INPUT = 3,    /* bad input file */
	EXIT_NOTFOUND = 4, /* no such archive, entry or book */
	EXIT_STORE = 5,    /* the archive could not be read or written */
	EXIT_INTERNAL = 70
};

/* Maps an error code to an exit status and prints the message to stderr. */
int cli_die(const char *cmd, const struct fz_err *err);

/* Option parsing shared by the subcommands: getopt_long with -a/--archive.
 * Prints CMD's usage (help text) to stdout. */
struct cli_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	const char *usage; /* full help for `fangzhi CMD --help` */
};

int cmd_import(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_reindex(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_verify_bag(int argc, char **argv);
int cmd_resolve(int argc, char **argv);

extern const char usage_import[], usage_stats[], usage_show[], usage_search[],
	usage_reindex[], usage_serve[], usage_verify[], usage_log[],
	usage_export[], usage_verify_bag[], usage_resolve[];

/* Prints usage and returns EXIT_OK_ when argv asks for --help, else -1. */
int cli_help(int argc, char **argv, const char *usage);

#endif
