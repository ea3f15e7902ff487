/* cmd_reindex.c: `fangzhi reindex`, the search index rebuilt from the data */
#include <getopt.h>
#include <stdio.h>

#include "../store/store.h"
#include "cli.h"
#include "util.h"

const char usage_reindex[] =
	"usage: fangzhi reindex -a DIR\n\n"
	"Rebuilds the search index from the archive's entries (current versions).\n"
	"Needed when an archive's index was built by an older fangzhi (another\n"
	"folding table or index format: search then says so); an import does it\n"
	"by itself. Safe at any time.\n";

int
cmd_reindex(int argc, char **argv)
{
	static const struct option opts[] = { { "archive", required_argument, NULL, 'a' }, { 0 } };
	const char *dir = NULL;
	struct fz_err err;
	struct store *s;
	int c;

	while ((c = getopt_long(argc, argv, "a:", opts, NULL)) != -1) {
		if (c == 'a')
			dir = optarg;
		else
			return cli_usage_error("reindex", usage_reindex, "unknown option");
	}
	if (dir == NULL || optind != argc)
		return cli_usage_error("reindex", usage_reindex, "give the archive with -a DIR");
	if (store_open(dir, STORE_KEEP_INDEX, &s, &err) < 0)
		return cli_die("reindex", &err);
	if (store_reindex(s, &err) < 0) {
		store_close(s);
		return cli_die("reindex", &err);
	}
	store_close(s);
	return EXIT_OK_;
}
