/* main.c: `fangzhi CMD ...`, dispatched through a static table */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct cli_cmd cmds[] = {
	{ "import", cmd_import, "take rescued files into an archive", usage_import },
	{ "stats", cmd_stats, "count what an archive holds", usage_stats },
	{ "show", cmd_show, "print one entry with its provenance and versions", usage_show },
	{ "search", cmd_search, "full-text search, whatever the character forms", usage_search },
	{ "reindex", cmd_reindex, "rebuild the search index from the archive's data", usage_reindex },
	{ "serve", cmd_serve, "serve the archive as a website (read-only)", usage_serve },
	{ "verify", cmd_verify, "recompute every digest and name what is damaged", usage_verify },
	{ "log", cmd_log, "print the event log: imports, verifications, exports", usage_log },
	{ "export", cmd_export, "copy the archive out: JSON Lines, BagIt", usage_export },
	{ "verify-bag", cmd_verify_bag, "check any BagIt bag (RFC 8493)", usage_verify_bag },
	{ "resolve", cmd_resolve, "old addresses of lib.sdsqw.cn to entries, books, searches", usage_resolve },
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "fangzhi: a public mirror and long-term archive of local records (方志)\n\n"
		   "usage: fangzhi COMMAND [OPTIONS]\n\ncommands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\n`fangzhi COMMAND --help` tells more. Exit statuses: 0 done, 1 partly done,\n"
		   "2 bad command line, 3 bad input, 4 not found, 5 archive error, 70 internal error.\n");
}

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK_;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[1], cmds[i].name) == 0) {
			int rc = cli_help(argc - 1, argv + 1, cmds[i].usage);
			return rc >= 0 ? rc : cmds[i].run(argc - 1, argv + 1);
		}
	}
	fprintf(stderr, "fangzhi: unknown command \"%s\"\n\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
