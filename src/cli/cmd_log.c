/* cmd_log.c: `fangzhi log`, the archive's event log, oldest first */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "../store/store.h"
#include "cli.h"
#include "util.h"

const char usage_log[] =
	"usage: fangzhi log -a DIR [--json]\n\n"
	"Prints the archive's event log, oldest first: every import (what, when,\n"
	"how many records were added, versioned, unchanged or refused), reindex,\n"
	"verification (and its outcome) and export, each with the archive's\n"
	"fingerprint at that moment. The log is append-only.\n\n"
	"  -a, --archive DIR   the archive\n"
	"      --json          one JSON array of {\"id\", \"at\", \"kind\", \"detail\", ...}\n";

static json_t *
num_or_null(long n)
{
	return n < 0 ? json_null() : json_integer(n);
}

static int
print_json(void *ctx, const struct fz_event *ev)
{
	long *n = ctx;
	json_t *o = json_object();
	char *text;

	json_object_set_new(o, "id", json_integer(ev->id));
	json_object_set_new(o, "at", json_string(ev->at ? ev->at : ""));
	json_object_set_new(o, "kind", json_string(ev->kind ? ev->kind : ""));
	json_object_set_new(o, "detail", ev->detail ? json_string(ev->detail) : json_null());
	json_object_set_new(o, "added", num_or_null(ev->added));
	json_object_set_new(o, "versioned", num_or_null(ev->versioned));
	json_object_set_new(o, "unchanged", num_or_null(ev->unchanged));
	json_object_set_new(o, "refused", num_or_null(ev->refused));
	json_object_set_new(o, "fingerprint",
			    ev->fingerprint ? json_string(ev->fingerprint) : json_null());
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	printf("%s\n  %s", *n ? "," : "", text);
	free(text);
	json_decref(o);
	(*n)++;
	return 0;
}

static int
print_text(void *ctx, const struct fz_event *ev)
{
	(void)ctx;
	printf("%-4ld %s  %-8s", ev->id, ev->at ? ev->at : "", ev->kind ? ev->kind : "");
	if (ev->added >= 0)
		printf(" %ld added, %ld new versions, %ld unchanged, %ld refused;", ev->added,
		       ev->versioned, ev->unchanged, ev->refused);
	if (ev->detail != NULL)
		printf(" %s", ev->detail);
	if (ev->fingerprint != NULL)
		printf("\n     fingerprint %s", ev->fingerprint);
	putchar('\n');
	return 0;
}

int
cmd_log(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "archive", required_argument, NULL, 'a' }, { "json", no_argument, NULL, 'j' }, { 0 } };
	const char *dir = NULL;
	struct fz_err err;
	struct store *s;
	int c, json = 0, rc;
	long n = 0;

	while ((c = getopt_long(argc, argv, "a:", opts, NULL)) != -1) {
		if (c == 'a')
			dir = optarg;
		else if (c == 'j')
			json = 1;
		else
			return cli_usage_error("log", usage_log, "unknown option");
	}
	if (dir == NULL || optind != argc)
		return cli_usage_error("log", usage_log, "give the archive with -a DIR");
	if (store_open(dir, STORE_READONLY, &s, &err) < 0)
		return cli_die("log", &err);
	if (json)
		fputs("[", stdout);
	rc = store_events(s, json ? print_json : print_text, &n, &err);
	if (json)
		fputs(n ? "\n]\n" : "]\n", stdout);
	store_close(s);
	return rc < 0 ? cli_die("log", &err) : EXIT_OK_;
}
