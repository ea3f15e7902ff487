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
