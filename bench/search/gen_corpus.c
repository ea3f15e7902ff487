/* gen_corpus.c: a large corpus made reproducibly from the shared one, for bench/search */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"

/*
 *   gen_corpus SMALL_ARCHIVE OUT.jsonl MIN_MB
 *
 * Writes JSON Lines (formats/records.md): copy 0 of every entry of
 * SMALL_ARCHIVE as it is, then copies 1, 2, ... whose bodies are the
 * entry's pieces (cut after each note and paragraph, so notes stay whole)
 * in an order shuffled by a generator seeded with the copy and record
 * number, until the bodies hold MIN_MB megabytes. Copy N's ids end in
 * "~N" (KR2k0048/010-1a~17). The output depends only on the archive's
 * texts: the same corpus comes out on every run.
 */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "gen_corpus: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static unsigned long long rng_state;

/* splitmix64 */
static unsigned long long
rnd(void)
{
	unsigned long long z = (rng_state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static sqlite3_stmt *
prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die("%s: %s", sql, sqlite3_errmsg(db));
	return st;
}

/* Appends s as a JSON string. */
static void
json_str(struct buf *b, const char *s, size_t len)
{
	size_t i;

	buf_addch(b, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			buf_addch(b, '\\'), buf_addch(b, (char)c);
		else if (c == '\n')
			buf_addstr(b, "\\n");
		else if (c < 0x20)
			buf_addf(b, "\\u%04x", c);
		else
			buf_addch(b, (char)c);
	}
	buf_addch(b, '"');
}

/*
 * The pieces of a body: cut after each note's closing mark and after each
 * '\n', so that a shuffled body keeps every note whole. Returns how many;
 * cuts[i] is where piece i ends.
 */
static size_t
pieces(const char *body, size_t len, size_t **cuts)
{
	size_t n = 0, cap = 64, i = 0;

	*cuts = xmalloc(cap * sizeof(**cuts));
	while (i < len) {
		int end = body[i] == '\n';

		if (!end && len - i >= 3 && memcmp(body + i, TEXT_NOTE_CLOSE, 3) == 0)
			end = 1, i += 2;
		i++;
		if (!end && i != len)
			continue;
		if (n == cap)
			*cuts = xrealloc(*cuts, (cap *= 2) * sizeof(**cuts));
		(*cuts)[n++] = i;
	}
	return n;
}

/*
 * Reads the current entries of the small archive and writes copies
 * until the bodies hold min_mb megabytes. The output depends only on the
 * archive's texts, so the same corpus comes out on every run.
 */
static int
gen(const char *archive, const char *out, long min_mb)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	struct buf path, line, id, b;
	FILE *f;
	long long bytes = 0, target = (long long)min_mb * 1000000LL;
	long copy, nrec = 0;
	char tmp[4096];

	buf_init(&path, NULL);
	buf_addf(&path, "%s/archive.sqlite", archive);
	if (sqlite3_open_v2(path.p, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("%s: %s", path.p, sqlite3_errmsg(db));
	snprintf(tmp, sizeof(tmp), "%s.tmp", out);
	if ((f = fopen(tmp, "wb")) == NULL)
		die("%s: %s", tmp, strerror(errno));
	buf_init(&line, NULL);
	buf_init(&id, NULL);
	buf_init(&b, NULL);
	for (copy = 0; bytes < target; copy++) {
		st = prep(db, "SELECT e.id, v.title, v.body, b.id, b.title, b.kind, b.edition "
			      "FROM entry e JOIN version v ON v.id = e.current "
			      "JOIN book b ON b.id = e.book_id ORDER BY e.seq");
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *body = (const char *)sqlite3_column_text(st, 2);
			size_t len = (size_t)sqlite3_column_bytes(st, 2), *cuts, n, i, *order;

			buf_reset(&line);
			buf_addstr(&line, "{\"id\":");
			buf_reset(&id);
			buf_addstr(&id, (const char *)sqlite3_column_text(st, 0));
			if (copy > 0)
				buf_addf(&id, "~%ld", copy);
			json_str(&line, id.p, id.len);
			buf_addstr(&line, ",\"title\":");
			json_str(&line, (const char *)sqlite3_column_text(st, 1),
				 (size_t)sqlite3_column_bytes(st, 1));
			buf_addstr(&line, ",\"body\":");
			n = pieces(body, len, &cuts);
			order = xmalloc((n ? n : 1) * sizeof(*order));
			for (i = 0; i < n; i++)
				order[i] = i;
			rng_state = 0x9E3779B97F4A7C15ULL * (unsigned long long)(copy + 1) +
				    (unsigned long long)nrec;
			for (i = n; copy > 0 && i > 1; i--) { /* Fisher-Yates */
				size_t j = (size_t)(rnd() % i), t = order[i - 1];
				order[i - 1] = order[j];
				order[j] = t;
			}
			buf_reset(&b);
			for (i = 0; i < n; i++) {
				size_t from = order[i] ? cuts[order[i] - 1] : 0;
				buf_add(&b, body + from, cuts[order[i]] - from);
			}
			/* a '\n' moved to the very end would be an empty paragraph */
			while (b.len > 0 && b.p[b.len - 1] == '\n')
				b.len--;
			json_str(&line, b.p, b.len);
			bytes += (long long)b.len;
			free(order);
			free(cuts);
			buf_addstr(&line, ",\"book\":{\"id\":");
			json_str(&line, (const char *)sqlite3_column_text(st, 3),
				 (size_t)sqlite3_column_bytes(st, 3));
			buf_addstr(&line, ",\"title\":");
			json_str(&line, (const char *)sqlite3_column_text(st, 4),
				 (size_t)sqlite3_column_bytes(st, 4));
			if (sqlite3_column_type(st, 5) != SQLITE_NULL) {
				buf_addstr(&line, ",\"kind\":");
				json_str(&line, (const char *)sqlite3_column_text(st, 5),
					 (size_t)sqlite3_column_bytes(st, 5));
			}
			buf_addstr(&line, "}}\n");
			if (fwrite(line.p, 1, line.len, f) != line.len)
				die("%s: %s", tmp, strerror(errno));
			nrec++;
		}
		sqlite3_finalize(st);
	}
	if (fclose(f) != 0 || rename(tmp, out) != 0)
		die("%s: %s", out, strerror(errno));
	fprintf(stderr, "%s: %ld records, %ld copies, %.1f MB of body text\n", out, nrec, copy,
		(double)bytes / 1e6);
	sqlite3_close(db);
	buf_free(&line);
	buf_free(&path);
	buf_free(&id);
	buf_free(&b);
	return 0;
}

int
main(int argc, char **argv)
{
	char *end;
	long mb;

	if (argc != 4)
		die("usage: gen_corpus SMALL_ARCHIVE OUT.jsonl MIN_MB");
	errno = 0;
	mb = strtol(argv[3], &end, 10);
	if (errno || *end != '\0' || mb <= 0)
		die("MIN_MB is a positive number, not \"%s\"", argv[3]);
	return gen(argv[1], argv[2], mb);
}
