/* cmd_import.c: `fangzhi import`, rescued files into the archive in one transaction */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../ingest/ingest.h"
#include "cli.h"
#include "util.h"

const char usage_import[] =
	"usage: fangzhi import -a DIR [--skip-invalid] [--quiet] [--kind K]\n"
	"                      [--region NAME] [--region-code CODE]\n"
	"                      [--library CODE=REGION_CODE[,REGION[,KIND]]] PATH...\n\n"
	"Imports each PATH into the archive DIR (created if missing). The format is\n"
	"recognised from the path: a .jsonl file (the interchange format), or a\n"
	"Kanseki Repository book directory (Readme.org and <ID>_NNN.txt files), or a\n"
	"crawl of the old site lib.sdsqw.cn: a WARC file (.warc, .warc.gz) or a\n"
	"directory of pages saved by wget. A crawl's captures are all kept as they\n"
	"came; its libraries, books, chapter trees and records are rebuilt, and\n"
	"what was odd (cut-off responses, bytes that do not decode) is reported.\n\n"
	"The same record again changes nothing; a known id with new content becomes\n"
	"a new version and the old one is kept. A file with any bad record imports\n"
	"nothing (each problem is listed with its file and line) unless\n"
	"--skip-invalid is given. The import is one transaction: interrupted, the\n"
	"archive is as before.\n\n"
	"  -a, --archive DIR    the archive\n"
	"  --skip-invalid       import the good records of a file with bad ones\n"
	"  --quiet              no progress bar\n"
	"  --kind K             the books' kind (年鉴, 志, 旧志, 专题), for formats that lack it\n"
	"  --region NAME        the books' region, e.g. 山东省\n"
	"  --region-code CODE   its GB/T 2260 code, e.g. 370000\n"
	"  --library CODE=REGION_CODE[,REGION[,KIND]]\n"
	"                       crawls: the region (and kind) of a library of the old\n"
	"                       site, e.g. ch9=371728,山东省菏泽市东明县 (repeatable)\n";

struct import_run {
	struct store *store;
	const char *path;
	long counts[STORE__MAX]; /* this file's */
	long bad;                /* this file's bad records */
	int progress;            /* draw a progress bar */
	struct timespec start;
	double last_draw;        /* seconds since start at the last redraw */
};

static int
emit(void *ctx, const struct fz_record *r, struct fz_err *err)
{
	struct import_run *run = ctx;
	enum store_outcome out;

	if (store_import_record(run->store, r, &out, err) < 0)
		return fz_wrap(err, "%s:%ld: record \"%s\"", run->path, r->source_line, r->id);
	run->counts[out]++;
	return 0;
}

/* Something kept but not as it should be: reported, never refused. */
static void
warn(void *ctx, const char *path, long line, const char *msg)
{
	struct import_run *run = ctx;

	if (run->progress)
		fprintf(stderr, "\r\033[K");
	fprintf(stderr, "fangzhi import: %s: warning: %s\n", path, msg);
}

/* --library CODE=REGION_CODE[,REGION[,KIND]] into lib (strings in spec). */
static int
parse_library(char *spec, struct ingest_library *lib)
{
	char *eq = strchr(spec, '='), *f[3] = { 0 }, *p;
	int i;

	if (eq == NULL || eq == spec)
		return -1;
	*eq = '\0';
	memset(lib, 0, sizeof(*lib));
	lib->code = spec;
	p = eq + 1;
	for (i = 0; i < 3 && p; i++) {
		f[i] = p;
		if ((p = strchr(p, ',')) != NULL)
			*p++ = '\0';
	}
	lib->region_code = f[0] && *f[0] ? f[0] : NULL;
	lib->region = f[1] && *f[1] ? f[1] : NULL;
	lib->kind = f[2] && *f[2] ? f[2] : NULL;
	return 0;
}

static void
bad(void *ctx, const char *path, long line, const char *reason)
{
	struct import_run *run = ctx;

	run->bad++;
	if (run->progress)
		fprintf(stderr, "\r\033[K");
	if (line > 0)
		fprintf(stderr, "fangzhi import: %s:%ld: %s\n", path, line, reason);
	else
		fprintf(stderr, "fangzhi import: %s: %s\n", path, reason);
}

/* A one-line progress bar on stderr: records, megabytes, rate. Redrawn at
 * most ten times a second, so a slow terminal never slows the import. */
static void
progress(void *ctx, long records, size_t bytes, size_t total)
{
	struct import_run *run = ctx;
	struct timespec now;
	double secs;

	if (!run->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (double)(now.tv_sec - run->start.tv_sec) + (now.tv_nsec - run->start.tv_nsec) / 1e9;
	if (secs - run->last_draw < 0.1 && bytes != total)
		return;
	run->last_draw = secs;
	fprintf(stderr, "\r\033[K%s: %ld records, %.1f", run->path, records, bytes / 1e6);
	if (total)
		fprintf(stderr, " of %.1f MB (%d%%)", total / 1e6, (int)(100.0 * bytes / total));
	else
		fprintf(stderr, " MB");
	if (secs > 0.1)
		fprintf(stderr, ", %.1f MB/s", bytes / 1e6 / secs);
	fflush(stderr);
}

/* Removes an archive this run created, when nothing went into it: a failed
 * first import leaves the disk as it was. */
static void
remove_new_archive(const char *dir)
{
	static const char *const files[] = { "archive.sqlite", "archive.sqlite-wal",
					     "archive.sqlite-shm" };
	char path[4096];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

int
cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "archive", required_argument, NULL, 'a' }, { "skip-invalid", no_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },         { "kind", required_argument, NULL, 'k' },
		{ "region", required_argument, NULL, 'r' },  { "region-code", required_argument, NULL, 'c' },
		{ "library", required_argument, NULL, 'L' }, { 0 } };
	static struct ingest_library libs[64];
	struct ingest_crawl_opts copts = { NULL, 0, warn, 0 };
	struct ingest_meta meta = { 0 };
	long total[STORE__MAX] = { 0 }, refused = 0, files_refused = 0;
	int c, skip_invalid = 0, quiet = 0, created, rc = EXIT_OK_, i;
	const char *dir = NULL;
	struct import_run run;
	struct fz_err err;
	struct buf what;
	struct stat sb;
	struct store *s;

	while ((c = getopt_long(argc, argv, "a:q", opts, NULL)) != -1) {
		switch (c) {
		case 'a': dir = optarg; break;
		case 's': skip_invalid = 1; break;
		case 'q': quiet = 1; break;
		case 'k': meta.kind = optarg; break;
		case 'r': meta.region = optarg; break;
		case 'c': meta.region_code = optarg; break;
		case 'L':
			if (copts.nlibraries == sizeof(libs) / sizeof(libs[0]) ||
			    parse_library(optarg, &libs[copts.nlibraries]) < 0)
				return cli_usage_error("import", usage_import,
						       "--library wants CODE=REGION_CODE[,REGION[,KIND]]");
			copts.libraries = libs;
			copts.nlibraries++;
			break;
		default: return cli_usage_error("import", usage_import, "unknown option");
		}
	}
	if (dir == NULL || optind >= argc)
		return cli_usage_error("import", usage_import, "give the archive with -a DIR and a PATH");
	for (i = optind; i < argc; i++) {
		enum ingest_format f;
		if (ingest_detect(argv[i], &f, &err) < 0)
			return cli_die("import", &err);
	}

	created = stat(dir, &sb) != 0;
	if (store_open(dir, STORE_CREATE, &s, &err) < 0)
		return cli_die("import", &err);
	buf_init(&what, NULL);
	for (i = optind; i < argc; i++)
		buf_addf(&what, "%s%s", i > optind ? " " : "", argv[i]);
	if (store_import_begin(s, what.p, &err) < 0)
		goto fail;

	for (i = optind; i < argc; i++) {
		struct ingest_sink sink = { emit, bad, &run, progress };
		enum ingest_format f;
		int prc;

		memset(&run, 0, sizeof(run));
		run.store = s;
		run.path = argv[i];
		run.progress = !quiet && isatty(STDERR_FILENO);
		clock_gettime(CLOCK_MONOTONIC, &run.start);
		if (ingest_detect(argv[i], &f, &err) < 0 || store_import_mark(s, &err) < 0)
			goto fail;
		prc = f == INGEST_JSONL	    ? ingest_jsonl(argv[i], &meta, &sink, &err)
		      : f == INGEST_KANRIPO ? ingest_kanripo(argv[i], &meta, &sink, &err)
					    : ingest_crawl(argv[i], &meta, &copts, s, &sink, &err);
		if (run.progress)
			fprintf(stderr, "\r\033[K");
		if (prc < 0) {
			store_import_undo(s, NULL);
			goto fail;
		}
		if (run.bad && !skip_invalid) {
			fprintf(stderr, "fangzhi import: %s: %ld bad record%s: nothing from this file was "
					"imported (--skip-invalid imports the good ones)\n",
				argv[i], run.bad, run.bad == 1 ? "" : "s");
			if (store_import_undo(s, &err) < 0)
				goto fail;
			files_refused++;
			refused += run.bad + run.counts[STORE_ADDED] + run.counts[STORE_VERSIONED] +
				   run.counts[STORE_UNCHANGED];
			continue;
		}
		if (store_import_keep(s, &err) < 0)
			goto fail;
		refused += run.bad;
		for (c = 0; c < STORE__MAX; c++)
			total[c] += run.counts[c];
		if (!quiet)
			fprintf(stderr, "%s: %ld added, %ld new versions, %ld unchanged%s\n", argv[i],
				run.counts[STORE_ADDED], run.counts[STORE_VERSIONED],
				run.counts[STORE_UNCHANGED], run.bad ? ", some skipped as invalid" : "");
	}

	if (total[STORE_ADDED] + total[STORE_VERSIONED] + total[STORE_UNCHANGED] == 0 &&
	    copts.new_captures == 0) { /* a crawl's captures are kept even when no entry came of them */
		/* nothing went in: leave the archive exactly as it was */
		store_import_rollback(s);
		store_close(s);
		if (created)
			remove_new_archive(dir);
	} else {
		if (store_import_commit(s, total, refused, &err) < 0)
			goto fail;
		store_close(s);
	}
	buf_free(&what);
	if (refused)
		rc = EXIT_INPUT;
	if (!quiet)
		fprintf(stderr, "imported: %ld added, %ld new versions, %ld unchanged, %ld refused\n",
			total[STORE_ADDED], total[STORE_VERSIONED], total[STORE_UNCHANGED], refused);
	return rc;
fail:
	store_import_rollback(s);
	store_close(s);
	if (created)
		remove_new_archive(dir);
	buf_free(&what);
	return cli_die("import", &err);
}
