/* cmd_verify_bag.c: `fangzhi verify-bag`, any BagIt bag checked per RFC 8493 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <jansson.h>

#include "../export/export.h"
#include "cli.h"
#include "util.h"

const char usage_verify_bag[] =
	"usage: fangzhi verify-bag [--json] [--quiet] DIR\n\n"
	"Validates the BagIt bag in DIR (RFC 8493), whoever made it: the bag\n"
	"declaration, every payload and tag manifest (each file present with the\n"
	"digest listed; md5, sha1, sha256, sha512 and others OpenSSL knows), no\n"
	"payload file missing from a manifest, fetch.txt's files present, and the\n"
	"Payload-Oxum. Names each file that fails. Exits 0 for a valid bag, 1 if not.\n\n"
	"      --json    print {\"valid\", \"files\", \"bytes\", \"problems\": [...]}\n"
	"      --quiet   no progress\n";

struct bcli {
	int json, bar;
	json_t *problems;
};

static void
on_problem(void *ctx, const struct fz_problem *p)
{
	struct bcli *c = ctx;

	if (c->json) {
		json_t *o = json_object();
		json_object_set_new(o, "file", json_string(p->id));
		json_object_set_new(o, "what", json_string(p->what));
		json_object_set_new(o, "expected", p->expected ? json_string(p->expected) : json_null());
		json_object_set_new(o, "found", p->found ? json_string(p->found) : json_null());
		json_array_append_new(c->problems, o);
		return;
	}
	if (c->bar)
		fprintf(stderr, "\r\033[K");
	printf("INVALID %s: %s\n", p->id, p->what);
	if (p->expected != NULL)
		printf("    expected: %s\n", p->expected);
	if (p->found != NULL)
		printf("    found:    %s\n", p->found);
}

static void
on_progress(void *ctx, const char *phase, long long done, long long total)
{
	struct bcli *c = ctx;

	if (c->bar) {
		fprintf(stderr, "\r\033[Kverify-bag: %s: %lld files", phase, done);
		fflush(stderr);
	}
	(void)total;
}

int
cmd_verify_bag(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { "quiet", no_argument, NULL, 'q' }, { 0 } };
	struct bcli c = { 0 };
	struct verify_sink sink = { on_problem, on_progress, &c };
	struct bag_result r;
	struct fz_err err;
	int ch, quiet = 0;

	while ((ch = getopt_long(argc, argv, "q", opts, NULL)) != -1) {
		if (ch == 'j')
			c.json = 1;
		else if (ch == 'q')
			quiet = 1;
		else
			return cli_usage_error("verify-bag", usage_verify_bag, "unknown option");
	}
	if (optind + 1 != argc)
		return cli_usage_error("verify-bag", usage_verify_bag, "give the bag's directory");
	c.bar = !quiet && !c.json && isatty(STDERR_FILENO);
	c.problems = json_array();
	if (bagit_verify(argv[optind], &sink, &r, &err) < 0) {
		json_decref(c.problems);
		return cli_die("verify-bag", &err);
	}
	if (c.bar)
		fprintf(stderr, "\r\033[K");
	if (c.json) {
		json_t *o = json_object();
		char *text;
		json_object_set_new(o, "valid", json_boolean(r.problems == 0));
		json_object_set_new(o, "version", json_string(r.version));
		json_object_set_new(o, "algorithms", json_string(r.algs));
		json_object_set_new(o, "files", json_integer(r.files));
		json_object_set_new(o, "bytes", json_integer(r.bytes));
		json_object_set_new(o, "problems", c.problems);
		text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(text);
		free(text);
		json_decref(o);
	} else {
		printf("%s: BagIt %s, %ld payload files, %.1f MB, manifests: %s\n",
		       r.problems ? "INVALID" : "valid", r.version[0] ? r.version : "?", r.files,
		       r.bytes / 1e6, r.algs[0] ? r.algs : "none");
		json_decref(c.problems);
	}
	return r.problems ? EXIT_FAILED : EXIT_OK_;
}
