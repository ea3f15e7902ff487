/* cmd_resolve.c: `fangzhi resolve`, old addresses of lib.sdsqw.cn to what this archive holds */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../store/store.h"
#include "cli.h"
#include "util.h"

#define LINE_MAX_ 8192 /* an address longer than this is cut (and will not resolve) */

const char usage_resolve[] =
	"usage: fangzhi resolve -a DIR [--json] URL...\n\n"
	"For each old address of lib.sdsqw.cn (http://lib.sdsqw.cn/bin/mse.exe?..., in any\n"
	"of its variants), prints where it leads in this archive, a tab, and the address:\n"
	"an entry id for a record; /book/ID, /book/ID?ch=N, /browse?region=CODE or\n"
	"/search?q=WORDS for the other pages; \"-\" when it leads nowhere (why goes to\n"
	"stderr: never captured, not the old site, unknown). URL \"-\" reads addresses\n"
	"from standard input, one a line. Exit status 0 when all resolve, 1 when some\n"
	"do not.\n\n"
	"  -a, --archive DIR   the archive\n"
	"      --json          one JSON object per address: {\"url\", \"kind\", \"entry\",\n"
	"                      \"book\", \"chapter\", \"path\", \"title\", \"old_url\"}\n";

/* Appends s percent-encoded for a query value. */
static void
add_arg(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~')
			buf_addch(b, (char)c);
		else
			buf_addf(b, "%%%c%c", hex[c >> 4], hex[c & 15]);
	}
}

/* The site path a target has (NULL for an entry: its id is printed). */
static char *
target_path(const struct legacy_target *t)
{
	struct buf b;

	buf_init(&b, NULL);
	switch (t->kind) {
	case LEGACY_BOOK: buf_addf(&b, "/book/%s", t->book_id); break;
	case LEGACY_CHAPTER: buf_addf(&b, "/book/%s?ch=%ld", t->book_id, t->chapter); break;
	case LEGACY_LIBRARY:
		buf_addstr(&b, "/browse");
		if (t->region_code)
			buf_addf(&b, "?region=%s", t->region_code);
		break;
	case LEGACY_SEARCH:
		buf_addstr(&b, "/search?q=");
		add_arg(&b, t->words);
		break;
	default: buf_free(&b); return NULL;
	}
	return buf_detach(&b);
}

static const char *const kind_names[LEGACY__MAX] = {
	[LEGACY_NONE] = "none",       [LEGACY_ENTRY] = "entry",     [LEGACY_BOOK] = "book",
	[LEGACY_CHAPTER] = "chapter", [LEGACY_LIBRARY] = "library", [LEGACY_SEARCH] = "search",
	[LEGACY_MISSING] = "missing",
};

/* One address; returns 1 when it resolved. */
static int
resolve_one(struct store *s, const char *url, int json, struct arena *a)
{
	struct legacy_target t = { 0 };
	struct legacy_addr addr;
	struct fz_err err = { 0 };
	char *path = NULL;
	int ok = 0;

	if (store_legacy_parse(url, a, &addr, &err) == 0 &&
	    store_legacy_resolve(s, &addr, a, &t, &err) == 0)
		ok = t.kind != LEGACY_MISSING && t.kind != LEGACY_NONE;
	path = target_path(&t);
	if (json) {
		json_t *o = json_object();
		char *j;
		json_object_set_new(o, "url", json_string(url));
		json_object_set_new(o, "kind", json_string(kind_names[t.kind]));
		json_object_set_new(o, "entry", t.entry_id ? json_string(t.entry_id) : json_null());
		json_object_set_new(o, "book", t.book_id ? json_string(t.book_id) : json_null());
		json_object_set_new(o, "chapter", t.chapter ? json_integer(t.chapter) : json_null());
		json_object_set_new(o, "path", path ? json_string(path) : json_null());
		json_object_set_new(o, "title", t.title ? json_string(t.title) : json_null());
		json_object_set_new(o, "old_url", t.url ? json_string(t.url) : json_null());
		if (!ok)
			json_object_set_new(o, "why", json_string(t.kind == LEGACY_MISSING
									 ? "listed, but never captured (未能抓取)"
									 : err.msg));
		j = json_dumps(o, JSON_COMPACT);
		puts(j);
		free(j);
		json_decref(o);
	} else {
		printf("%s\t%s\n", ok ? (t.kind == LEGACY_ENTRY ? t.entry_id : path) : "-", url);
		if (t.kind == LEGACY_MISSING)
			fprintf(stderr, "fangzhi resolve: %s: listed in book %s as \"%s\" but never "
					"captured (未能抓取)\n", url, t.book_id, t.title ? t.title : "");
		else if (!ok)
			fprintf(stderr, "fangzhi resolve: %s: %s\n", url, err.msg);
	}
	free(path);
	return ok;
}

int
cmd_resolve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "archive", required_argument, NULL, 'a' }, { "json", no_argument, NULL, 'j' }, { 0 } };
	const char *dir = NULL;
	struct fz_err err;
	struct store *s;
	struct arena a;
	long total = 0, found = 0;
	int c, json = 0, i;

	while ((c = getopt_long(argc, argv, "a:", opts, NULL)) != -1) {
		if (c == 'a')
			dir = optarg;
		else if (c == 'j')
			json = 1;
		else
			return cli_usage_error("resolve", usage_resolve, "unknown option");
	}
	if (dir == NULL || optind >= argc)
		return cli_usage_error("resolve", usage_resolve, "give the archive with -a DIR and a URL");
	if (store_open(dir, STORE_READONLY, &s, &err) < 0)
		return cli_die("resolve", &err);
	arena_init(&a, 1 << 14);
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			char line[LINE_MAX_];
			while (fgets(line, sizeof(line), stdin) != NULL) {
				line[strcspn(line, "\r\n")] = '\0';
				if (line[0] == '\0')
					continue;
				found += resolve_one(s, line, json, &a);
				total++;
				arena_reset(&a);
			}
			continue;
		}
		found += resolve_one(s, argv[i], json, &a);
		total++;
		arena_reset(&a);
	}
	arena_free(&a);
	store_close(s);
	fflush(stdout);
	return found == total ? EXIT_OK_ : EXIT_FAILED;
}
