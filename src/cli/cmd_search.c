/* cmd_search.c: `fangzhi search`, full-text search from the command line */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../store/store.h"
#include "cli.h"
#include "util.h"

const char usage_search[] =
	"usage: fangzhi search -a DIR [--json] [--limit N] [--offset N] [--book ID]\n"
	"                      [--kind K] [--region CODE] [--year A-B] QUERY\n\n"
	"Finds every entry whose text contains the query, whatever the character\n"
	"forms (simplified, traditional, variants: 卷/巻, 乘/乗), across printed line\n"
	"and page breaks.\n\n"
	"  信访 工作       entries containing both\n"
	"  \"信访 工作\"     the exact phrase (the space inside matters)\n"
	"  信访 OR 上访    either\n"
	"  信访 -上访      the first but not the second\n\n"
	"  --limit N       hits to print (default 20; 0 prints every hit)\n"
	"  --offset N      skip the first N hits\n"
	"  --book ID       only in this book\n"
	"  --kind K        only books of this kind (年鉴, 志, 旧志, 专题)\n"
	"  --region CODE   only this region and those below it (GB/T 2260, e.g. 370900)\n"
	"  --year A-B      only entries about these years (A-, -B and A also work)\n"
	"  --json          {\"query\", \"total\", \"hits\": [{\"id\", \"title\", \"book\", \"snippet\", \"marks\"}]}\n";

/* Parses "A-B", "A-", "-B" or "A" into a year range. */
static int
parse_years(const char *s, int *from, int *to, struct fz_err *err)
{
	const char *dash = strchr(s, '-');
	char a[16] = "", b[16] = "";
	long v;

	if (dash == NULL) {
		if (cli_parse_long("--year", s, 1, 9999, &v, err) < 0)
			return -1;
		*from = *to = (int)v;
		return 0;
	}
	if ((size_t)(dash - s) >= sizeof(a) || strlen(dash + 1) >= sizeof(b))
		return fz_fail(err, FZ_EINPUT, "--year \"%s\" is not a range like 1990-2000", s);
	memcpy(a, s, (size_t)(dash - s));
	memcpy(b, dash + 1, strlen(dash + 1) + 1);
	if (a[0] == '\0' && b[0] == '\0')
		return fz_fail(err, FZ_EINPUT, "--year \"%s\" is not a range like 1990-2000", s);
	if (a[0] && cli_parse_long("--year", a, 1, 9999, &v, err) < 0)
		return -1;
	*from = a[0] ? (int)v : 0;
	if (b[0] && cli_parse_long("--year", b, 1, 9999, &v, err) < 0)
		return -1;
	*to = b[0] ? (int)v : 0;
	return 0;
}

static void
print_text(const struct search_opts *o, const struct search_result *r)
{
	int tty = isatty(STDOUT_FILENO);
	size_t i, j;

	printf("%ld hit%s for %s\n", r->total, r->total == 1 ? "" : "s", o->query);
	for (i = 0; i < r->nhits; i++) {
		const struct search_hit *h = &r->hits[i];
		printf("\n%s  %s · %s\n  ", h->id, h->title, h->book_title);
		if (h->snippet.cut_start)
			printf("…");
		for (j = 0; j < h->snippet.nparts; j++) {
			const struct snippet_part *p = &h->snippet.parts[j];
			if (p->mark && tty)
				printf("\033[1;31m%.*s\033[0m", (int)p->len, p->p);
			else if (p->mark)
				printf("[%.*s]", (int)p->len, p->p);
			else
				printf("%.*s", (int)p->len, p->p);
		}
		if (h->snippet.cut_end)
			printf("…");
		printf("\n");
	}
}

int
cmd_search(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "archive", required_argument, NULL, 'a' }, { "json", no_argument, NULL, 'j' },
		{ "limit", required_argument, NULL, 'l' },   { "offset", required_argument, NULL, 'o' },
		{ "book", required_argument, NULL, 'b' },    { "kind", required_argument, NULL, 'k' },
		{ "region", required_argument, NULL, 'r' },  { "year", required_argument, NULL, 'y' },
		{ 0 } };
	struct search_opts o = { .limit = 20 };
	struct search_result r;
	const char *dir = NULL;
	struct fz_err err;
	struct arena a;
	struct store *s;
	int c, json = 0, rc = EXIT_OK_;

	while ((c = getopt_long(argc, argv, "a:", opts, NULL)) != -1) {
		switch (c) {
		case 'a': dir = optarg; break;
		case 'j': json = 1; break;
		case 'b': o.book = optarg; break;
		case 'k': o.kind = optarg; break;
		case 'r': o.region = optarg; break;
		case 'l':
			if (cli_parse_long("--limit", optarg, 0, 1000000000, &o.limit, &err) < 0)
				return cli_usage_error("search", usage_search, err.msg);
			break;
		case 'o':
			if (cli_parse_long("--offset", optarg, 0, 1000000000, &o.offset, &err) < 0)
				return cli_usage_error("search", usage_search, err.msg);
			break;
		case 'y':
			if (parse_years(optarg, &o.year_from, &o.year_to, &err) < 0)
				return cli_usage_error("search", usage_search, err.msg);
			break;
		default:
			return cli_usage_error("search", usage_search, "unknown option");
		}
	}
	if (dir == NULL || optind != argc - 1)
		return cli_usage_error("search", usage_search,
				       "give the archive with -a DIR and one QUERY (quote it)");
	o.query = argv[optind];
	if (store_open(dir, STORE_READONLY, &s, &err) < 0)
		return cli_die("search", &err);
	arena_init(&a, 0);
	if (store_search(s, &o, &a, &r, &err) < 0) {
		rc = cli_die("search", &err);
	} else if (json) {
		char *j = store_search_json(&o, &r);
		puts(j);
		free(j);
	} else {
		print_text(&o, &r);
	}
	arena_free(&a);
	store_close(s);
	return rc;
}
