/* export.h: copies of the archive in standard formats (JSON Lines, BagIt, WARC, HTML, ZIM) */
#ifndef FZ_EXPORT_H
#define FZ_EXPORT_H

#include <stdio.h>

#include "../store/store.h"
#include "../web/web.h"

/* What every export was asked for. */
struct export_opts {
	int current_only; /* current versions only (default: every version, oldest first) */
	int progress;     /* draw a progress bar on stderr */
	int quiet;        /* no summary either */
	const char *label; /* for the progress bar, e.g. "export jsonl" */
};

/* What an export wrote. */
struct export_stats {
	long records;          /* versions written */
	long entries;          /* of which current versions */
	long damaged;          /* versions whose fields no longer hash to their digest */
	long long bytes;       /* bytes written */
	char fingerprint[65];  /* the archive's, at the export */
};

/*
 * One version as a line of the interchange format (no newline): what
 * content_digest hashes (with the `pages` extension for page positions and
 * fields kept as they came back at the top level), and its provenance in
 * `source`. Appended to b.
 */
void export_record_json(const struct fz_stored *v, struct buf *b);

/*
 * Every version (or the current ones) as JSON Lines to out, in the order
 * they came in, so that importing the file into an empty archive gives the
 * same entries, versions and fingerprint. Memory stays flat. A version
 * whose fields no longer hash to its digest is still written and counted
 * in st->damaged (verify says more).
 */
int export_jsonl(struct store *s, FILE *out, const struct export_opts *o,
		 struct export_stats *st, struct fz_err *err);

/*
 * A BagIt bag (RFC 8493, version 1.0) in a new directory: data/entries.jsonl
 * (the JSON Lines export), data/sources/ (the bytes every version was
 * imported from, named by SHA-256), data/sources.tsv (which version came
 * from which bytes and file), manifest-sha256.txt, tagmanifest-sha256.txt
 * and bag-info.txt with the fingerprint, dates and counts. archive names
 * the archive in bag-info.txt.
 */
int export_bagit(struct store *s, const char *archive, const char *dir,
		 const struct export_opts *o, struct export_stats *st, struct fz_err *err);

/*
 * A WARC/1.1 file (gzip per record): a warcinfo record, then for each entry
 * the response the site gives for /entry/ID (HTTP/1.1: status line, header
 * fields, body) at base_url/entry/ID (NULL: the site file's base_url, else
 * http://127.0.0.1:8080), with WARC-Payload-Digest and WARC-Block-Digest
 * (SHA-1, base32), and a metadata record (application/json) with the
 * version's provenance that refers to it. Written as out.part, renamed.
 */
int export_warc(struct web_site *site, const char *out, const char *base_url,
		const struct export_opts *o, struct export_stats *st, struct fz_err *err);

/*
 * A static copy of the whole site in a new directory: every page the site
 * links from its front page (browser, books, chapters, entries and their
 * versions, about, the stylesheet) as a file, links relative so that it
 * opens from disk or any web server; no search. export_html_to calls extra
 * (when not NULL) with the unfinished directory before it is renamed.
 */
int export_html(struct web_site *site, const char *dir, const struct export_opts *o,
		struct export_stats *st, struct fz_err *err);
int export_html_to(struct web_site *site, const char *dir, const struct export_opts *o,
		   int (*extra)(void *ctx, const char *partdir, struct fz_err *err), void *ctx,
		   struct export_stats *st, struct fz_err *err);

/* A ZIM file (Kiwix): the static copy with an illustration, packed by
 * zimwriterfs (Debian package zim-tools) with the site's identity. */
int export_zim(struct web_site *site, const char *out, const struct export_opts *o,
	       struct export_stats *st, struct fz_err *err);

/* Writes a whole small file. */
int export_write_file(const char *path, const void *p, size_t n, struct fz_err *err);

/* What bagit_verify found. */
struct bag_result {
	long problems;
	long files;         /* payload files on disk */
	long long bytes;    /* their octets */
	char version[16];   /* BagIt-Version */
	char algs[64];      /* payload manifests' algorithms */
};
/* Validates any bag per RFC 8493; each failure goes to sink (check "bag",
 * id the file). -1 only when dir cannot be read at all. */
int bagit_verify(const char *dir, struct verify_sink *sink, struct bag_result *out,
		 struct fz_err *err);
/* A file's digest in hex (alg as OpenSSL names it: sha256, sha512, md5...). */
int export_hash_file(const char *path, const char *alg, char *hex, size_t hexcap,
		     long long *len, struct fz_err *err);
/* Removes a tree this process wrote (a half-made export). */
void export_remove_tree(const char *path);

/* A progress bar on stderr: label, done of total, megabytes, rate. */
struct meter {
	const char *label;
	int on;
	long total;
	double start;
	double last;
};
void meter_start(struct meter *m, const char *label, int on, long total);
void meter_tick(struct meter *m, long done, long long bytes);
void meter_end(struct meter *m);

#endif
