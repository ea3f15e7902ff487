/* cmd_export.c: `fangzhi export`, copies of the archive in standard formats */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../export/export.h"
#include "cli.h"
#include "util.h"

const char usage_export[] =
	"usage: fangzhi export -a DIR --format FORMAT [--current] [--base-url URL] [--site FILE]\n"
	"                      [--quiet] OUT\n\n"
	"Writes a copy of the archive in a standard format, streamed (memory stays\n"
	"flat), and records the export in the event log.\n\n"
	"  jsonl   OUT is a file (- for standard output): every version in the\n"
	"          interchange format, oldest first, with its provenance in \"source\"\n"
	"          and page positions in \"pages\". Imported into an empty archive it\n"
	"          gives the same entries, versions and fingerprint.\n"
	"  bagit   OUT is a new directory: a BagIt bag (RFC 8493) holding the JSON\n"
	"          Lines export and the bytes every version was imported from.\n"
	"  warc    OUT is a file (.warc.gz): WARC/1.1, gzip per record; each entry's\n"
	"          page as the site serves it at URL/entry/ID (a response record)\n"
	"          and its provenance (a metadata record, JSON).\n"
	"  html    OUT is a new directory: a static copy of the whole site (relative\n"
	"          links: opens from disk or any web server; no search).\n"
	"  zim     OUT is a file (.zim) for Kiwix: the static copy packed by\n"
	"          zimwriterfs (Debian package zim-tools).\n\n"
	"  -a, --archive DIR   the archive\n"
	"  -f, --format F      jsonl, bagit, warc, html or zim\n"
	"      --current       current versions only (jsonl)\n"
	"      --base-url URL  where the site is served, for warc (default: the site\n"
	"                      file's base_url, else http://127.0.0.1:8080)\n"
	"      --site FILE     the site's identity and about text, as for serve\n"
	"                      (warc, html, zim)\n"
	"      --quiet         no progress bar\n";

/* Reports versions that no longer match their digest: written all the same. */
static int
finish(const char *what, const struct export_stats *st, struct store *s, const char *detail)
{
	struct fz_err err;

	if (store_event_log(s, "export", detail, st->fingerprint, &err) < 0)
		fprintf(stderr, "fangzhi export: not recorded in the event log: %s\n", err.msg);
	if (st->damaged) {
		fprintf(stderr, "fangzhi export: %s: %ld version%s no longer match their digest "
				"(run fangzhi verify); written as stored\n",
			what, st->damaged, st->damaged == 1 ? "" : "s");
		return EXIT_FAILED;
	}
	return EXIT_OK_;
}

static int
run_jsonl(struct store *s, const char *out, const struct export_opts *o)
{
	struct export_stats st;
	struct fz_err err;
	struct buf tmp, detail;
	FILE *f = stdout;
	int rc;

	buf_init(&tmp, NULL);
	buf_init(&detail, NULL);
	if (strcmp(out, "-") != 0) {
		/* written beside, renamed when whole: no half export under OUT */
		buf_addf(&tmp, "%s.part", out);
		if ((f = fopen(tmp.p, "wb")) == NULL) {
			fz_fail(&err, FZ_EIO, "%s: %s", tmp.p, strerror(errno));
			goto fail;
		}
	}
	if (export_jsonl(s, f, o, &st, &err) < 0)
		goto fail;
	if (f != stdout) {
		if (fclose(f) != 0) {
			f = NULL;
			fz_fail(&err, FZ_EIO, "%s: %s", tmp.p, strerror(errno));
			goto fail;
		}
		f = NULL;
		if (rename(tmp.p, out) != 0) {
			fz_fail(&err, FZ_EIO, "%s: %s", out, strerror(errno));
			goto fail;
		}
	} else if (fflush(stdout) != 0) {
		fz_fail(&err, FZ_EIO, "standard output: %s", strerror(errno));
		goto fail;
	}
	buf_addf(&detail, "jsonl to %s: %ld versions of %ld entries%s, %lld bytes", out,
		 st.records, st.entries, o->current_only ? " (current only)" : "", st.bytes);
	rc = finish(out, &st, s, detail.p);
	if (!o->quiet)
		fprintf(stderr, "%s: %ld versions of %ld entries, fingerprint %s\n", out, st.records,
			st.entries, st.fingerprint);
	buf_free(&tmp);
	buf_free(&detail);
	return rc;
fail:
	if (f != NULL && f != stdout)
		fclose(f);
	if (tmp.len)
		unlink(tmp.p);
	buf_free(&tmp);
	buf_free(&detail);
	return cli_die("export", &err);
}

static int
run_bagit(struct store *s, const char *archive, const char *out, const struct export_opts *o)
{
	struct export_stats st;
	struct fz_err err;
	struct buf detail;
	int rc;

	if (export_bagit(s, archive, out, o, &st, &err) < 0)
		return cli_die("export", &err);
	buf_init(&detail, NULL);
	buf_addf(&detail, "bagit to %s: %ld versions of %ld entries, %lld payload bytes", out,
		 st.records, st.entries, st.bytes);
	rc = finish(out, &st, s, detail.p);
	buf_free(&detail);
	if (!o->quiet)
		fprintf(stderr, "%s: a bag of %ld versions of %ld entries, fingerprint %s\n", out,
			st.records, st.entries, st.fingerprint);
	return rc;
}

/* warc, html and zim: pages of the site, rendered by web/ without a server. */
static int
run_site(struct store *s, const char *archive, const char *format, const char *out,
	 const char *site_file, const char *base_url, const struct export_opts *o)
{
	struct web_site *site;
	struct export_stats st;
	struct fz_err err;
	struct buf detail;
	int rc;

	if (web_site_open(archive, site_file, &site, &err) < 0)
		return cli_die("export", &err);
	if (strcmp(format, "warc") == 0)
		rc = export_warc(site, out, base_url, o, &st, &err);
	else if (strcmp(format, "html") == 0)
		rc = export_html(site, out, o, &st, &err);
	else
		rc = export_zim(site, out, o, &st, &err);
	web_site_close(site);
	if (rc < 0)
		return cli_die("export", &err);
	buf_init(&detail, NULL);
	if (strcmp(format, "warc") == 0)
		buf_addf(&detail, "%ld entries, %lld bytes", st.entries, st.bytes);
	else
		buf_addf(&detail, "%ld pages (%ld entries), %lld bytes", st.records, st.entries,
			 st.bytes);
	if (!o->quiet)
		fprintf(stderr, "%s: %s, fingerprint %s\n", out, detail.p, st.fingerprint);
	buf_reset(&detail);
	if (strcmp(format, "warc") == 0)
		buf_addf(&detail, "warc to %s: %ld entries, %lld bytes", out, st.entries, st.bytes);
	else
		buf_addf(&detail, "%s to %s: %ld pages (%ld entries), %lld bytes", format, out,
			 st.records, st.entries, st.bytes);
	rc = finish(out, &st, s, detail.p);
	buf_free(&detail);
	return rc;
}

int
cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "archive", required_argument, NULL, 'a' }, { "format", required_argument, NULL, 'f' },
		{ "current", no_argument, NULL, 'c' },       { "quiet", no_argument, NULL, 'q' },
		{ "base-url", required_argument, NULL, 'b' }, { "site", required_argument, NULL, 's' },
		{ 0 } };
	struct export_opts o = { 0 };
	const char *dir = NULL, *format = NULL, *base_url = NULL, *site_file = NULL;
	struct fz_err err;
	struct store *s;
	struct arena labels;
	int c, quiet = 0, rc;

	while ((c = getopt_long(argc, argv, "a:f:q", opts, NULL)) != -1) {
		switch (c) {
		case 'a': dir = optarg; break;
		case 'f': format = optarg; break;
		case 'c': o.current_only = 1; break;
		case 'q': quiet = 1; break;
		case 'b': base_url = optarg; break;
		case 's': site_file = optarg; break;
		default: return cli_usage_error("export", usage_export, "unknown option");
		}
	}
	if (dir == NULL || format == NULL || optind + 1 != argc)
		return cli_usage_error("export", usage_export,
				       "give the archive with -a DIR, --format and OUT");
	if (strcmp(format, "jsonl") != 0 && strcmp(format, "bagit") != 0 &&
	    strcmp(format, "warc") != 0 && strcmp(format, "html") != 0 && strcmp(format, "zim") != 0)
		return cli_usage_error("export", usage_export,
				       "--format must be jsonl, bagit, warc, html or zim");
	o.progress = !quiet && isatty(STDERR_FILENO);
	o.quiet = quiet;
	/* writable for the event log; read-only media still export */
	if (store_open(dir, 0, &s, &err) < 0 && store_open(dir, STORE_READONLY, &s, &err) < 0)
		return cli_die("export", &err);
	arena_init(&labels, 0);
	o.label = arena_printf(&labels, "export %s", format);
	if (strcmp(format, "jsonl") == 0)
		rc = run_jsonl(s, argv[optind], &o);
	else if (strcmp(format, "bagit") == 0)
		rc = run_bagit(s, dir, argv[optind], &o);
	else
		rc = run_site(s, dir, format, argv[optind], site_file, base_url, &o);
	arena_free(&labels);
	store_close(s);
	return rc;
}
