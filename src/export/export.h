/* export.h: copies of the archive in standard formats (JSON Lines, BagIt, WARC) */
#ifndef FZ_EXPORT_H
#define FZ_EXPORT_H

#include <stdio.h>

#include "../store/store.h"

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
