/* cmd_verify.c: `fangzhi verify`, every digest recomputed, every problem named */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "../store/store.h"
#include "cli.h"
#include "util.h"

const char usage_verify[] =
	"usage: fangzhi verify -a DIR [--json] [--quiet] [--fingerprint HEX]\n\n"
	"Recomputes the SHA-256 of every stored source and the content digest of\n"
	"every entry version, runs SQLite's and the search index's integrity checks,\n"
	"checks that no row is missing (against the counts and fingerprint recorded\n"
	"at the last write), and names each thing that fails with what was expected\n"
	"and what was found. The outcome is written to the event log.\n"
	"Exits 0 when everything holds, 1 when anything failed.\n\n"
	"  -a, --archive DIR      the archive\n"
	"      --fingerprint HEX  also check that the archive has this fingerprint\n"
	"                         (as `fangzhi stats` prints it on another copy)\n"
	"      --json             print {\"ok\", \"fingerprint\", \"problems\": [...], ...}\n"
	"      --quiet            no progress bar\n";

struct vcli {
	int json, bar;
	long shown;            /* problems printed (text) */
	json_t *problems;      /* (json) */
	char first[300];       /* the first problem, for the event log */
	struct timespec start;
};

static double
since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
on_problem(void *ctx, const struct fz_problem *p)
{
	struct vcli *c = ctx;

	if (c->first[0] == '\0')
		snprintf(c->first, sizeof(c->first), "%s: %s", p->id, p->what);
	if (c->json) {
		json_t *o = json_object();
		json_object_set_new(o, "check", json_string(p->check));
		json_object_set_new(o, "id", json_string(p->id));
		json_object_set_new(o, "what", json_string(p->what));
		json_object_set_new(o, "expected", p->expected ? json_string(p->expected) : json_null());
		json_object_set_new(o, "found", p->found ? json_string(p->found) : json_null());
		json_array_append_new(c->problems, o);
		return;
	}
	if (c->bar)
		fprintf(stderr, "\r\033[K");
	printf("FAILED %s %s: %s\n", p->check, p->id, p->what);
	if (p->expected != NULL)
		printf("    expected: %s\n", p->expected);
	if (p->found != NULL)
		printf("    found:    %s\n", p->found);
	fflush(stdout);
	c->shown++;
}

/* One line on stderr: the phase and how far it is. */
static void
on_progress(void *ctx, const char *phase, long long done, long long total)
{
	struct vcli *c = ctx;

	if (!c->bar)
		return;
	fprintf(stderr, "\r\033[Kverify: %s", phase);
	if (total > 0)
		fprintf(stderr, " %lld/%lld (%d%%)", done, total, (int)(100.0 * done / total));
	fprintf(stderr, ", %.1f s", since(&c->start));
	fflush(stderr);
}

/* 1 if s is 64 hex digits (any case); lowers it in place. */
static int
hex64(char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] >= 'A' && s[i] <= 'F')
			s[i] = (char)(s[i] - 'A' + 'a');
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	}
	return i == 64;
}

/*
 * Opens for writing when it can (the outcome goes to the event log, and an
 * older archive is upgraded first), else read-only (a copy on read-only
 * media). Returns the store, or NULL with err when neither opens.
 */
static struct store *
open_any(const char *dir, int *readonly, struct fz_err *err)
{
	struct store *s;
	struct fz_err e2;

	*readonly = 0;
	if (store_open(dir, 0, &s, err) == 0)
		return s;
	if (err->code == FZ_ENOTFOUND)
		return NULL;
	if (store_open(dir, STORE_READONLY, &s, &e2) == 0 ||
	    store_open(dir, STORE_READONLY | STORE_IMMUTABLE, &s, &e2) == 0) {
		*readonly = 1;
		return s;
	}
	if (e2.code != FZ_ECONFLICT) /* "has schema N": the first message says more */
		*err = e2;
	return NULL;
}

static void
print_json(struct vcli *c, const struct verify_result *r, const char *expect, double secs,
	   const char *logged)
{
	json_t *o = json_object(), *sn = json_null();
	char *text;

	json_object_set_new(o, "ok", json_boolean(r->problems == 0));
	json_object_set_new(o, "fingerprint", json_string(r->fingerprint));
	json_object_set_new(o, "expected_fingerprint", expect ? json_string(expect) : json_null());
	json_object_set_new(o, "entries", json_integer(r->entries));
	json_object_set_new(o, "versions", json_integer(r->versions));
	json_object_set_new(o, "sources", json_integer(r->blobs));
	json_object_set_new(o, "bytes", json_integer(r->bytes));
	json_object_set_new(o, "seconds", json_real(secs));
	if (r->snapshot.present) {
		sn = json_object();
		json_object_set_new(sn, "at", json_string(r->snapshot.at));
		json_object_set_new(sn, "fingerprint", json_string(r->snapshot.fingerprint));
	}
	json_object_set_new(o, "last_write", sn);
	json_object_set_new(o, "logged", logged ? json_string(logged) : json_null());
	json_object_set_new(o, "index_checked", json_boolean(!r->index_unchecked));
	json_object_set_new(o, "problems", c->problems);
	c->problems = NULL;
	text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(text);
	free(text);
	json_decref(o);
}

int
cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "archive", required_argument, NULL, 'a' }, { "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "fingerprint", required_argument, NULL, 'f' }, { 0 } };
	struct vcli c = { 0 };
	struct verify_sink sink = { on_problem, on_progress, &c };
	struct verify_result r;
	struct fz_problem p;
	struct fz_err err;
	struct buf detail;
	const char *dir = NULL, *logged = NULL;
	char *expect = NULL;
	struct store *s;
	int ch, quiet = 0, readonly = 0;
	double secs;

	while ((ch = getopt_long(argc, argv, "a:q", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': dir = optarg; break;
		case 'j': c.json = 1; break;
		case 'q': quiet = 1; break;
		case 'f': expect = optarg; break;
		default: return cli_usage_error("verify", usage_verify, "unknown option");
		}
	}
	if (dir == NULL || optind != argc)
		return cli_usage_error("verify", usage_verify, "give the archive with -a DIR");
	if (expect != NULL && !hex64(expect))
		return cli_usage_error("verify", usage_verify,
				       "--fingerprint takes 64 hexadecimal digits");
	c.bar = !quiet && isatty(STDERR_FILENO);
	c.problems = json_array();
	clock_gettime(CLOCK_MONOTONIC, &c.start);
	memset(&r, 0, sizeof(r));

	if (store_open(dir, STORE_READONLY, &s, &err) < 0 && err.code == FZ_ENOTFOUND) {
		json_decref(c.problems);
		return cli_die("verify", &err);
	}
	store_close(s);
	s = NULL;
	if (!store_verify_file(dir, &sink, &r)) {
		/* named by store_verify_file: nothing SQLite could read */
	} else if ((s = open_any(dir, &readonly, &err)) == NULL) {
		/* a file so damaged that SQLite will not open it is a finding */
		p = (struct fz_problem){ "database", "archive.sqlite", err.msg, NULL, NULL };
		r.problems++;
		on_problem(&c, &p);
	} else if (store_verify(s, &sink, &r, &err) < 0) {
		p = (struct fz_problem){ "database", "archive.sqlite", err.msg, NULL, NULL };
		r.problems++;
		on_problem(&c, &p);
	}
	if (expect != NULL && strcmp(expect, r.fingerprint) != 0) {
		p = (struct fz_problem){ "fingerprint", "archive",
					 "the archive's fingerprint is not the one given",
					 expect, r.fingerprint };
		r.problems++;
		on_problem(&c, &p);
	}
	secs = since(&c.start);
	if (c.bar)
		fprintf(stderr, "\r\033[K");

	buf_init(&detail, NULL);
	if (r.problems == 0)
		buf_addf(&detail, "ok: %ld entries, %ld versions, %ld sources (%lld bytes)",
			 r.entries, r.versions, r.blobs, r.bytes);
	else
		buf_addf(&detail, "FAILED: %ld problem%s; first: %s", r.problems,
			 r.problems == 1 ? "" : "s", c.first);
	if (expect != NULL)
		buf_addf(&detail, "; fingerprint %s the one given",
			 strcmp(expect, r.fingerprint) == 0 ? "matches" : "differs from");
	if (s != NULL && !readonly && store_event_log(s, "verify", detail.p, r.fingerprint, &err) == 0)
		logged = "event log";
	else if (s != NULL && !c.json)
		fprintf(stderr, "fangzhi verify: not recorded in the event log: %s\n",
			readonly ? "the archive is read-only here" : err.msg);

	if (c.json) {
		print_json(&c, &r, expect, secs, logged);
	} else {
		printf("%s: %ld entries, %ld versions, %ld sources (%.1f MB) in %.1f s\n",
		       r.problems ? "FAILED" : "ok", r.entries, r.versions, r.blobs, r.bytes / 1e6,
		       secs);
		printf("fingerprint %s\n",
		       r.fingerprint[0] ? r.fingerprint : "(none: the archive could not be read)");
		if (r.problems)
			printf("%ld problem%s found\n", r.problems, r.problems == 1 ? "" : "s");
		if (r.index_unchecked)
			printf("(the archive is read-only here: the search index was not checked)\n");
	}
	buf_free(&detail);
	json_decref(c.problems);
	store_close(s);
	return r.problems ? EXIT_FAILED : EXIT_OK_;
}
