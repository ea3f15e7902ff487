/* cmd_stats.c: `fangzhi stats`, what an archive holds */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "../store/store.h"
#include "cli.h"
#include "util.h"

const char usage_stats[] =
	"usage: fangzhi stats -a DIR [--json]\n\n"
	"Counts books, entries, versions, chapters and characters in the archive, and\n"
	"prints its fingerprint: two archives with the same one hold the same entries.\n"
	"  -a, --archive DIR   the archive\n"
	"      --json          print {\"books\": N, \"entries\": N, \"versions\": N, ...}\n";

int
cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "archive", required_argument, NULL, 'a' }, { "json", no_argument, NULL, 'j' }, { 0 } };
	const char *dir = NULL;
	struct fz_stats st;
	struct fz_err err;
	struct store *s;
	int c, json = 0;

	while ((c = getopt_long(argc, argv, "a:", opts, NULL)) != -1) {
		if (c == 'a')
			dir = optarg;
		else if (c == 'j')
			json = 1;
		else
			return cli_usage_error("stats", usage_stats, "unknown option");
	}
	if (dir == NULL || optind != argc)
		return cli_usage_error("stats", usage_stats, "give the archive with -a DIR");
	if (store_open(dir, STORE_READONLY, &s, &err) < 0)
		return cli_die("stats", &err);
	if (store_stats(s, &st, &err) < 0) {
		store_close(s);
		return cli_die("stats", &err);
	}
	if (json) {
		char *j = store_stats_json(&st);
		puts(j);
		free(j);
	} else {
		printf("books       %ld\nentries     %ld\nversions    %ld\nchapters    %ld\n"
		       "characters  %lld\nbytes       %lld\nfingerprint %s\n",
		       st.books, st.entries, st.versions, st.chapters, st.chars, st.bytes,
		       st.fingerprint);
		if (st.captures || st.uncaptured)
			printf("captures    %ld (pages of the old site, kept as captured)\n"
			       "uncaptured  %ld (listed in a table of contents, never captured: 未能抓取)\n",
			       st.captures, st.uncaptured);
	}
	store_close(s);
	return EXIT_OK_;
}
