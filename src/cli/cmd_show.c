/* cmd_show.c: `fangzhi show`, one entry with its metadata, provenance and versions */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "../store/store.h"
#include "cli.h"
#include "util.h"

const char usage_show[] =
	"usage: fangzhi show -a DIR [--json] [--version N] ID\n\n"
	"Prints an entry: its title, book, chapter path, author, text, where it came\n"
	"from (file, line or page, original address, capture time, SHA-256) and its\n"
	"versions. --version N shows an older version.\n";

static void
print_text(const struct fz_entry *e)
{
	size_t i;

	printf("%s\n", e->title);
	printf("id:        %s\n", e->id);
	printf("book:      %s (%s)%s%s\n", e->book.title, e->book.id, e->book.edition ? " " : "",
	       e->book.edition ? e->book.edition : "");
	if (e->nchapters) {
		printf("chapter:   ");
		for (i = 0; i < e->nchapters; i++)
			printf("%s%s", i ? " / " : "", e->chapters[i].title);
		printf("\n");
	}
	if (e->author)
		printf("author:    %s\n", e->author);
	if (e->year)
		printf("year:      %d\n", e->year);
	printf("source:    %s", e->source_file ? e->source_file : "?");
	if (e->source_line)
		printf(":%ld", e->source_line);
	if (e->source_page)
		printf(" page %s", e->source_page);
	printf("\n");
	if (e->url)
		printf("url:       %s\n", e->url);
	if (e->captured_at)
		printf("captured:  %s\n", e->captured_at);
	printf("imported:  %s\nsha256:    %s\n", e->imported_at, e->sha256);
	printf("version:   %d of %zu\n", e->version, e->nversions);
	for (i = 0; i < e->nversions; i++)
		printf("  v%d imported %s%s%s\n", e->versions[i].n, e->versions[i].imported_at,
		       e->versions[i].superseded_at ? ", superseded " : " (current)",
		       e->versions[i].superseded_at ? e->versions[i].superseded_at : "");
	printf("\n");
	fwrite(e->body, 1, e->bodylen, stdout);
	printf("\n");
}

int
cmd_show(int argc, char **argv)
{
	static const struct option opts[] = { { "archive", required_argument, NULL, 'a' },
					      { "json", no_argument, NULL, 'j' },
					      { "version", required_argument, NULL, 'v' },
					      { 0 } };
	const char *dir = NULL;
	struct fz_entry e;
	struct fz_err err;
	struct arena a;
	struct store *s;
	long version = 0;
	int c, json = 0, rc = EXIT_OK_;

	while ((c = getopt_long(argc, argv, "a:", opts, NULL)) != -1) {
		if (c == 'a')
			dir = optarg;
		else if (c == 'j')
			json = 1;
		else if (c == 'v') {
			if (cli_parse_long("--version", optarg, 1, 1000000, &version, &err) < 0)
				return cli_usage_error("show", usage_show, err.msg);
		} else
			return cli_usage_error("show", usage_show, "unknown option");
	}
	if (dir == NULL || optind != argc - 1)
		return cli_usage_error("show", usage_show, "give the archive with -a DIR and one ID");
	if (store_open(dir, STORE_READONLY, &s, &err) < 0)
		return cli_die("show", &err);
	arena_init(&a, 0);
	if (store_entry_get(s, argv[optind], (int)version, &a, &e, &err) < 0) {
		rc = cli_die("show", &err);
	} else if (json) {
		char *j = store_entry_json(&e);
		puts(j);
		free(j);
	} else {
		print_text(&e);
	}
	arena_free(&a);
	store_close(s);
	return rc;
}
