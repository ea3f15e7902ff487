/* bench_search.c: fangzhi's search against SQLite FTS5 trigram and rg -F -l, side by side */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"

/*
 *   bench_search run --label L --fz BIN --archive DIR --work DIR --out FILE
 *                    [--queries N] [--like-max N] [--seed S] [--reuse] PATH...
 *
 * Imports PATH... with `BIN import` (timed), rebuilds the index alone
 * (timed), builds an FTS5 trigram table and one file per entry from the
 * same texts, draws the query mix from the texts, times each query on
 * every engine in turn, checks fangzhi's hits against rg's, and prints the
 * table (also to FILE). run.sh drives it; gen_corpus.c makes the 1 GB
 * corpus.
 *
 * Every figure is wall-clock time on this machine; the ratios matter more
 * than the figures, since the machine is shared and noisy.
 */

extern char **environ;

enum cls { C_1, C_2, C_34, C_58, C_AND, C__MAX };
enum eng { E_FZ, E_CLI, E_TRI, E_RG, E__MAX };
static const char *const eng_name[E__MAX] = { "fangzhi", "fangzhi CLI", "FTS5 trigram",
					      "rg -F -l" };

struct qry {
	enum cls cls;
	char *term[2];
	int nterms;
	char *typed;        /* as given to fangzhi: terms joined by a space */
	double ms[E__MAX];  /* -1: not run */
	long fz_total, rg_total, tri_total;
	long missing;       /* entries rg found that fangzhi did not */
	int tri_like;       /* trigram answered by a LIKE scan */
};

struct bench {
	const char *label, *fz, *archive, *work, *out;
	int nq, like_max, reuse;
	unsigned long long seed;
	char **paths;
	int npaths;
	struct qry *q;
	double import_s, reindex_s, tri_build_s;
	long long text_bytes, fz_index, fz_file, tri_index, tri_file;
	long nentries;
	struct store *s;
	sqlite3 *tri, *arc;
	char files[4096];
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "bench_search: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static unsigned long long rng_state;

/* splitmix64: the query mix and the shuffles are fixed by the seed. */
static unsigned long long
rnd(void)
{
	unsigned long long z = (rng_state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static size_t
rnd_below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

static void
sql_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		die("%s: %s", sql, msg ? msg : sqlite3_errmsg(db));
}

static sqlite3_stmt *
prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die("%s: %s", sql, sqlite3_errmsg(db));
	return st;
}

static long long
sql_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = prep(db, sql);
	long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;

	sqlite3_finalize(st);
	return v;
}

/* ---- run: processes ---- */

/*
 * Runs argv and waits. With out != NULL its standard output is collected
 * there, else it goes to /dev/null; standard error is kept. Returns the
 * exit status (-1 when it could not start or was killed).
 */
static int
run_cmd(char *const argv[], struct buf *out)
{
	posix_spawn_file_actions_t fa;
	int fd[2] = { -1, -1 }, status;
	pid_t pid;
	char chunk[65536];
	ssize_t n;

	posix_spawn_file_actions_init(&fa);
	if (out != NULL) {
		if (pipe(fd) != 0)
			die("pipe: %s", strerror(errno));
		posix_spawn_file_actions_adddup2(&fa, fd[1], STDOUT_FILENO);
		posix_spawn_file_actions_addclose(&fa, fd[0]);
		posix_spawn_file_actions_addclose(&fa, fd[1]);
	} else {
		posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	}
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0)
		die("cannot run %s", argv[0]);
	posix_spawn_file_actions_destroy(&fa);
	if (out != NULL) {
		close(fd[1]);
		while ((n = read(fd[0], chunk, sizeof(chunk))) > 0 || (n < 0 && errno == EINTR))
			if (n > 0)
				buf_add(out, chunk, (size_t)n);
		close(fd[0]);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static long long
file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

static char *
join(const char *dir, const char *name)
{
	struct buf b;

	buf_init(&b, NULL);
	buf_addf(&b, "%s/%s", dir, name);
	return buf_detach(&b);
}

/* ---- run: building the three ---- */

/* Imports the sources with the command line, timed, unless --reuse finds an archive. */
static void
build_fangzhi(struct bench *b)
{
	char *db = join(b->archive, "archive.sqlite");
	struct fz_err err;
	double t0;

	if (!b->reuse || file_size(db) == 0) {
		char *rm[] = { "rm", "-rf", (char *)b->archive, NULL };
		char **argv = xcalloc((size_t)b->npaths + 6, sizeof(*argv));
		int i;

		run_cmd(rm, NULL);
		argv[0] = (char *)b->fz;
		argv[1] = "import";
		argv[2] = "-a";
		argv[3] = (char *)b->archive;
		argv[4] = "--quiet";
		for (i = 0; i < b->npaths; i++)
			argv[5 + i] = b->paths[i];
		fprintf(stderr, "[%s] fangzhi import ...\n", b->label);
		t0 = now();
		if (run_cmd(argv, NULL) != 0)
			die("fangzhi import failed");
		b->import_s = now() - t0;
		free(argv);
		/* the index alone, rebuilt from the stored texts */
		fprintf(stderr, "[%s] fangzhi reindex ...\n", b->label);
		if (store_open(b->archive, 0, &b->s, &err) < 0)
			die("%s", err.msg);
		t0 = now();
		if (store_reindex(b->s, &err) < 0)
			die("%s", err.msg);
		b->reindex_s = now() - t0;
		store_close(b->s);
	}
	if (store_open(b->archive, STORE_READONLY, &b->s, &err) < 0)
		die("%s", err.msg);
	if (store_index_stale(b->s, &err) != 0) {
		/* --reuse kept an archive indexed by an older fangzhi: rebuild
		 * its index alone, timed (the only indexing figure of the run) */
		store_close(b->s);
		fprintf(stderr, "[%s] fangzhi reindex (the kept index is of an older format) ...\n",
			b->label);
		if (store_open(b->archive, STORE_KEEP_INDEX, &b->s, &err) < 0)
			die("%s", err.msg);
		t0 = now();
		if (store_reindex(b->s, &err) < 0)
			die("%s", err.msg);
		b->reindex_s = now() - t0;
		store_close(b->s);
		if (store_open(b->archive, STORE_READONLY, &b->s, &err) < 0)
			die("%s", err.msg);
	}
	if (sqlite3_open_v2(db, &b->arc, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("%s: %s", db, sqlite3_errmsg(b->arc));
	b->nentries = (long)sql_int(b->arc, "SELECT count(*) FROM entry");
	b->text_bytes = sql_int(b->arc, "SELECT sum(length(CAST(v.title AS BLOB)) + "
				"length(CAST(v.body AS BLOB))) FROM entry e JOIN version v "
				"ON v.id = e.current");
	b->fz_index = sql_int(b->arc, "SELECT sum(pgsize) FROM dbstat WHERE name IN "
			      "('fts_data', 'fts_idx', 'fts_docsize', 'fts_config')");
	b->fz_file = file_size(db);
	free(db);
}

/* The FTS5 trigram table over the same texts (rowid: the version's id). */
static void
build_trigram(struct bench *b)
{
	char *db = join(b->work, "trigram.sqlite");
	double t0;

	if (!b->reuse || file_size(db) == 0) {
		sqlite3_stmt *st;
		unlink(db);
		if (sqlite3_open(db, &b->tri) != SQLITE_OK)
			die("%s: %s", db, sqlite3_errmsg(b->tri));
		fprintf(stderr, "[%s] FTS5 trigram build ...\n", b->label);
		t0 = now();
		sql_exec(b->tri, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
				 "CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, title, text,"
				 " tokenize = 'trigram')");
		st = prep(b->tri, "ATTACH ?1 AS a");
		{
			char *src = join(b->archive, "archive.sqlite");
			sqlite3_bind_text(st, 1, src, -1, SQLITE_TRANSIENT);
			free(src);
		}
		if (sqlite3_step(st) != SQLITE_DONE)
			die("attach: %s", sqlite3_errmsg(b->tri));
		sqlite3_finalize(st);
		sql_exec(b->tri, "BEGIN; INSERT INTO t(rowid, id, title, text) SELECT v.id, e.id, "
				 "v.title, v.body FROM a.entry e JOIN a.version v ON v.id = e.current;"
				 "COMMIT; DETACH a; PRAGMA wal_checkpoint(TRUNCATE)");
		b->tri_build_s = now() - t0;
		sqlite3_close(b->tri);
	}
	if (sqlite3_open_v2(db, &b->tri, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("%s: %s", db, sqlite3_errmsg(b->tri));
	b->tri_index = sql_int(b->tri, "SELECT sum(pgsize) FROM dbstat WHERE name IN "
			       "('t_data', 't_idx', 't_docsize', 't_config')");
	b->tri_file = file_size(db);
	free(db);
}

/* One file per entry, title then body, named by its id with '/' as '+'. */
static void
build_files(struct bench *b)
{
	char *dir = join(b->work, "files"), *stamp = join(b->work, "files.done");
	sqlite3_stmt *st;
	struct buf path;

	snprintf(b->files, sizeof(b->files), "%s", dir);
	if (b->reuse && file_size(stamp) > 0)
		goto done;
	{
		char *rm[] = { "rm", "-rf", dir, NULL };
		run_cmd(rm, NULL);
	}
	unlink(stamp);
	if (mkdir(dir, 0755) != 0)
		die("%s: %s", dir, strerror(errno));
	fprintf(stderr, "[%s] writing one file per entry ...\n", b->label);
	buf_init(&path, NULL);
	st = prep(b->arc, "SELECT e.id, v.title, v.body FROM entry e JOIN version v "
			  "ON v.id = e.current");
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		FILE *f;
		size_t i;

		buf_reset(&path);
		buf_addf(&path, "%s/", dir);
		for (i = 0; id[i]; i++)
			buf_addch(&path, id[i] == '/' ? '+' : id[i]);
		buf_addstr(&path, ".txt");
		if ((f = fopen(path.p, "wb")) == NULL)
			die("%s: %s", path.p, strerror(errno));
		fwrite(sqlite3_column_text(st, 1), 1, (size_t)sqlite3_column_bytes(st, 1), f);
		fputc('\n', f);
		fwrite(sqlite3_column_text(st, 2), 1, (size_t)sqlite3_column_bytes(st, 2), f);
		if (fclose(f) != 0)
			die("%s: %s", path.p, strerror(errno));
	}
	sqlite3_finalize(st);
	buf_free(&path);
	{
		FILE *f = fopen(stamp, "w");
		if (f != NULL)
			fputs("done\n", f), fclose(f);
	}
done:
	free(dir);
	free(stamp);
}

/* ---- run: the query mix ---- */

/* A term can be typed as one word: no break, space, quote or control
 * character, no leading '-', not "OR". */
static int
typable(const char *t, size_t len)
{
	size_t i = 0;

	if (len == 0 || t[0] == '-' || (len == 2 && memcmp(t, "OR", 2) == 0))
		return 0;
	while (i < len) {
		uint32_t cp, f[TEXT_FOLD_MAX];
		size_t n = utf8_decode(t + i, len - i, &cp), nf;

		if (n == 0 || cp < 0x20 || cp == 0x7F || cp == '"' || cp == 0xFF02 ||
		    cp == 0x201C || cp == 0x201D || cp == TEXT_NOTE_OPEN_CP || cp == 0xFFFA ||
		    cp == TEXT_NOTE_CLOSE_CP)
			return 0;
		nf = text_fold_cp(cp, f);
		if (nf == 0 || (nf == 1 && f[0] == ' '))
			return 0;
		i += n;
	}
	return 1;
}

/* nchar characters from a random place of body; NULL when they are not typable. */
static char *
take(const char *body, size_t len, size_t nchar)
{
	size_t pos = rnd_below(len), end, k;

	while (pos > 0 && ((unsigned char)body[pos] & 0xC0) == 0x80)
		pos--;
	for (end = pos, k = 0; end < len && k < nchar; k++) {
		uint32_t cp;
		size_t n = utf8_decode(body + end, len - end, &cp);
		if (n == 0)
			return NULL;
		end += n;
	}
	if (k < nchar || !typable(body + pos, end - pos))
		return NULL;
	return xstrndup(body + pos, end - pos);
}

/*
 * The query mix, fixed by the seed: a fifth each of 1, 2, 3-4 and 5-8
 * character terms and of two 2-4 character terms, all taken from the
 * texts in their own forms (so rg finds what a reader would look for).
 * The first query is 之, the commonest character, the worst single term.
 */
static void
draw_queries(struct bench *b)
{
	sqlite3_stmt *st = prep(b->arc, "SELECT v.body FROM entry e JOIN version v "
					"ON v.id = e.current WHERE e.seq >= ?1 ORDER BY e.seq LIMIT 1");
	long long lo = sql_int(b->arc, "SELECT min(seq) FROM entry"),
		  hi = sql_int(b->arc, "SELECT max(seq) FROM entry");
	int i = 0;

	rng_state = b->seed;
	b->q = xcalloc((size_t)b->nq, sizeof(*b->q));
	while (i < b->nq) {
		struct qry *q = &b->q[i];
		const char *body;
		size_t len, n;
		int k;

		q->cls = (enum cls)(i % C__MAX);
		q->nterms = q->cls == C_AND ? 2 : 1;
		if (i == 0) {
			q->term[0] = xstrdup("之");
			goto drawn;
		}
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, lo + (long long)rnd_below((size_t)(hi - lo + 1)));
		if (sqlite3_step(st) != SQLITE_ROW)
			continue;
		body = (const char *)sqlite3_column_text(st, 0);
		len = (size_t)sqlite3_column_bytes(st, 0);
		for (k = 0; k < q->nterms; k++) {
			n = q->cls == C_1 ? 1 : q->cls == C_2 ? 2 : q->cls == C_34 ? 3 + rnd_below(2)
				: q->cls == C_58 ? 5 + rnd_below(4) : 2 + rnd_below(3);
			q->term[k] = take(body, len, n);
		}
		if (q->term[0] == NULL || (q->nterms == 2 && q->term[1] == NULL)) {
			free(q->term[0]);
			free(q->term[1]);
			q->term[0] = q->term[1] = NULL;
			continue;
		}
	drawn:
		{
			struct buf t;
			buf_init(&t, NULL);
			buf_addf(&t, "%s%s%s", q->term[0], q->nterms == 2 ? " " : "",
				 q->nterms == 2 ? q->term[1] : "");
			q->typed = buf_detach(&t);
		}
		for (k = 0; k < E__MAX; k++)
			q->ms[k] = -1;
		i++;
	}
	sqlite3_finalize(st);
}

/* ---- run: timing one query on each engine ---- */

enum tstmt { T_MATCH, T_LIKE, T_MIX, T_LIKE2, T__MAX };
static const char *const tri_sql[T__MAX] = {
	[T_MATCH] = "SELECT id, title, snippet(t, 2, '[', ']', '…', 16), "
		    "(SELECT count(*) FROM t WHERE t MATCH ?1) "
		    "FROM t WHERE t MATCH ?1 ORDER BY rank LIMIT 20",
	/* two columns ORed: a one-column LIKE of 1-2 characters silently finds nothing */
	[T_LIKE] = "SELECT id, title, count(*) OVER () FROM t "
		   "WHERE title LIKE ?1 ESCAPE '\\' OR text LIKE ?1 ESCAPE '\\' LIMIT 20",
	[T_MIX] = "SELECT id, title, snippet(t, 2, '[', ']', '…', 16), "
		  "(SELECT count(*) FROM t WHERE t MATCH ?1 AND "
		  " (title LIKE ?2 ESCAPE '\\' OR text LIKE ?2 ESCAPE '\\')) "
		  "FROM t WHERE t MATCH ?1 AND (title LIKE ?2 ESCAPE '\\' OR text LIKE ?2 ESCAPE '\\') "
		  "ORDER BY rank LIMIT 20",
	[T_LIKE2] = "SELECT id, title, count(*) OVER () FROM t "
		    "WHERE (title LIKE ?1 ESCAPE '\\' OR text LIKE ?1 ESCAPE '\\') "
		    "AND (title LIKE ?2 ESCAPE '\\' OR text LIKE ?2 ESCAPE '\\') LIMIT 20",
};
static sqlite3_stmt *tri_st[T__MAX];

static void
add_match(struct buf *m, const char *term)
{
	buf_addf(m, "%s\"%s\"", m->len ? " AND " : "", term);
}

static void
add_like(struct buf *l, const char *term)
{
	buf_addch(l, '%');
	for (; *term; term++) {
		if (*term == '%' || *term == '_' || *term == '\\')
			buf_addch(l, '\\');
		buf_addch(l, *term);
	}
	buf_addch(l, '%');
}

/*
 * The trigram table's answer to q as a reader's page would need it: the
 * first 20 (by rank, with snippets, when the index can answer) and the
 * total. Terms of 3+ characters go to MATCH, shorter ones to a LIKE scan.
 * Returns the total; -1 when the query was skipped (LIKE budget spent).
 */
static long
trigram(struct bench *b, struct qry *q, int *like_left)
{
	struct buf m, l1, l2;
	enum tstmt which;
	sqlite3_stmt *st;
	long total = 0;
	int k;

	buf_init(&m, NULL);
	buf_init(&l1, NULL);
	buf_init(&l2, NULL);
	for (k = 0; k < q->nterms; k++) {
		if (utf8_nchar(q->term[k], strlen(q->term[k])) >= 3)
			add_match(&m, q->term[k]);
		else
			add_like(l1.len ? &l2 : &l1, q->term[k]);
	}
	q->tri_like = l1.len > 0;
	if (q->tri_like && *like_left <= 0) {
		total = -1;
		goto out;
	}
	if (q->tri_like)
		(*like_left)--;
	which = m.len == 0 ? (l2.len ? T_LIKE2 : T_LIKE) : l1.len ? T_MIX : T_MATCH;
	if (tri_st[which] == NULL)
		tri_st[which] = prep(b->tri, tri_sql[which]);
	st = tri_st[which];
	sqlite3_reset(st);
	if (which == T_MATCH || which == T_MIX)
		sqlite3_bind_text(st, 1, m.p, (int)m.len, SQLITE_STATIC);
	else
		sqlite3_bind_text(st, 1, l1.p, (int)l1.len, SQLITE_STATIC);
	if (which == T_MIX)
		sqlite3_bind_text(st, 2, l1.p, (int)l1.len, SQLITE_STATIC);
	if (which == T_LIKE2)
		sqlite3_bind_text(st, 2, l2.p, (int)l2.len, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int c = which == T_MATCH || which == T_MIX ? 3 : 2;
		total = (long)sqlite3_column_int64(st, c);
		(void)sqlite3_column_text(st, 1);
		if (c == 3)
			(void)sqlite3_column_text(st, 2);
	}
	sqlite3_reset(st);
out:
	buf_free(&m);
	buf_free(&l1);
	buf_free(&l2);
	return total;
}

/* rg -F -l for each term in turn (the second over the files of the first);
 * the files' names, one a line, in out. */
static void
rg(struct bench *b, const struct qry *q, struct buf *out)
{
	char *argv[] = { "rg", "-F", "-l", "--no-ignore", "--", q->term[0], b->files, NULL };
	char **argv2;
	size_t n = 0, i, k;

	run_cmd(argv, out);
	if (q->nterms == 1 || out->len == 0)
		return;
	for (i = 0; i < out->len; i++)
		n += out->p[i] == '\n';
	argv2 = xcalloc(n + 7, sizeof(*argv2));
	argv2[0] = "rg", argv2[1] = "-F", argv2[2] = "-l", argv2[3] = "--no-ignore";
	argv2[4] = "--", argv2[5] = q->term[1];
	for (i = 0, k = 6; i < out->len; k++) {
		argv2[k] = out->p + i;
		while (out->p[i] != '\n')
			i++;
		out->p[i++] = '\0';
	}
	{
		struct buf second;
		buf_init(&second, NULL);
		run_cmd(argv2, &second);
		buf_reset(out);
		buf_add(out, second.p, second.len);
		buf_free(&second);
	}
	free(argv2);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Checks fangzhi against rg for one query: every entry whose file rg
 * lists must be among fangzhi's hits (all of them, limit 0). Entries
 * fangzhi finds beyond rg's come from folding (巻 for 卷) and are counted.
 */
static void
recall(struct bench *b, struct qry *q, struct buf *rgout, struct buf *report)
{
	struct search_opts o = { 0 };
	struct search_result r;
	struct fz_err err;
	struct arena a;
	char **ids;
	size_t i, plen = strlen(b->files) + 1;

	arena_init(&a, 0);
	o.query = q->typed;
	if (store_search(b->s, &o, &a, &r, &err) < 0)
		die("%s: %s", q->typed, err.msg);
	ids = xcalloc(r.nhits ? r.nhits : 1, sizeof(*ids));
	for (i = 0; i < r.nhits; i++)
		ids[i] = (char *)r.hits[i].id;
	qsort(ids, r.nhits, sizeof(*ids), cmp_str);
	q->fz_total = (long)r.nhits;
	q->rg_total = 0;
	for (i = 0; i < rgout->len;) {
		char *line = rgout->p + i, *nl = memchr(line, '\n', rgout->len - i), *id, *p;
		size_t len = nl ? (size_t)(nl - line) : rgout->len - i;

		i += len + 1;
		if (len <= plen + 4)
			continue;
		id = xstrndup(line + plen, len - plen - 4); /* less dir/ and .txt */
		for (p = id; *p; p++)
			if (*p == '+')
				*p = '/';
		q->rg_total++;
		if (bsearch(&id, ids, r.nhits, sizeof(*ids), cmp_str) == NULL) {
			if (q->missing++ < 3)
				buf_addf(report, "  missed: %s in %s\n", q->typed, id);
		}
		free(id);
	}
	free(ids);
	arena_free(&a);
}

/* Times q on every engine, one after the other, then checks recall. */
static void
run_query(struct bench *b, struct qry *q, int *like_left, struct buf *report)
{
	struct search_opts o = { 0 };
	struct search_result r;
	struct fz_err err;
	struct arena a;
	struct buf out;
	double t0;
	char *cli[] = { (char *)b->fz, "search", "-a", (char *)b->archive, "--limit", "20", "--",
			q->typed, NULL };

	arena_init(&a, 0);
	o.query = q->typed;
	o.limit = 20;
	t0 = now();
	if (store_search(b->s, &o, &a, &r, &err) < 0)
		die("%s: %s", q->typed, err.msg);
	q->ms[E_FZ] = (now() - t0) * 1e3;
	arena_free(&a);

	t0 = now();
	if (run_cmd(cli, NULL) != 0)
		die("fangzhi search %s failed", q->typed);
	q->ms[E_CLI] = (now() - t0) * 1e3;

	t0 = now();
	q->tri_total = trigram(b, q, like_left);
	if (q->tri_total >= 0)
		q->ms[E_TRI] = (now() - t0) * 1e3;

	buf_init(&out, NULL);
	t0 = now();
	rg(b, q, &out);
	q->ms[E_RG] = (now() - t0) * 1e3;
	recall(b, q, &out, report);
	buf_free(&out);
}

/* ---- run: the table ---- */

enum grp { G_ALL = C__MAX, G_LONG, G_SINGLE, G__MAX };

static int
in_group(const struct qry *q, int g)
{
	if (g < C__MAX)
		return (int)q->cls == g;
	if (g == G_ALL)
		return 1;
	if (g == G_LONG)
		return q->cls == C_34 || q->cls == C_58;
	return q->cls != C_AND;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile p (0-100) of engine e's times over group g;
 * -1 when none ran. *n gets how many ran. */
static double
pct(const struct bench *b, int e, int g, double p, int *n)
{
	double *v = xmalloc((size_t)b->nq * sizeof(*v)), r;
	int i, k = 0;

	for (i = 0; i < b->nq; i++)
		if (in_group(&b->q[i], g) && b->q[i].ms[e] >= 0)
			v[k++] = b->q[i].ms[e];
	if (n != NULL)
		*n = k;
	if (k == 0) {
		free(v);
		return -1;
	}
	qsort(v, (size_t)k, sizeof(*v), cmp_double);
	r = v[(int)ceil(p / 100.0 * k) - 1 < 0 ? 0 : (int)ceil(p / 100.0 * k) - 1];
	free(v);
	return r;
}

static void
cell(struct buf *t, double p50, double p99)
{
	char s[64];

	if (p50 < 0)
		snprintf(s, sizeof(s), "—");
	else
		snprintf(s, sizeof(s), "%.2f / %.2f", p50, p99);
	buf_addf(t, " %-16s", s);
}

static void
ratio_cell(struct buf *t, double a, double b)
{
	if (a < 0 || b <= 0)
		buf_addf(t, " %10s", "—");
	else
		buf_addf(t, " %10.3f", a / b);
}

static const char *
yes(int ok)
{
	return ok ? "met" : "MISSED";
}

/* Prints the results table into t. */
static void
report(const struct bench *b, const struct buf *misses, struct buf *t)
{
	static const char *const gname[G__MAX] = { "1 char", "2 chars", "3-4 chars", "5-8 chars",
						   "2 terms (AND)", "all", "3-8 chars (both index)",
						   "single terms 1-8" };
	double mb = (double)b->text_bytes / 1e6, worst = 0, p50f, p50t, p99s;
	long missed = 0, rgsum = 0, extra = 0;
	int g, e, i, tri_agree = 0, tri_ran = 0, n, ntri, worst_i = 0, failed_q = 0;
	char when[32], c1[64], c2[64];

	fz_now_rfc3339(when);
	buf_addf(t, "== %s: %ld entries, %.1f MB of text (titles + bodies), %d queries "
		    "(seed %llu), %ld cores, %s ==\n\n", b->label, b->nentries, mb, b->nq, b->seed,
		 sysconf(_SC_NPROCESSORS_ONLN), when);
	buf_addf(t, "%-26s %-30s %-30s %s\n", "build", "fangzhi", "FTS5 trigram", "rg -F -l");
	if (b->import_s > 0) {
		snprintf(c1, sizeof(c1), "%.1f (index alone, %.1f s)", mb / b->reindex_s,
			 b->reindex_s);
		snprintf(c2, sizeof(c2), "%.1f (%.1f s)", mb / b->tri_build_s, b->tri_build_s);
		buf_addf(t, "%-26s %-30s %-30s %s\n", "indexing, MB/s of text", c1, c2, "none");
		snprintf(c1, sizeof(c1), "%.1f (whole import, %.1f s)", mb / b->import_s,
			 b->import_s);
		buf_addf(t, "%-26s %-30s\n", "", c1);
	} else if (b->reindex_s > 0) {
		snprintf(c1, sizeof(c1), "%.1f (index alone, %.1f s)", mb / b->reindex_s,
			 b->reindex_s);
		buf_addf(t, "%-26s %-30s %s\n", "indexing, MB/s of text", c1,
			 "(--reuse: the kept index was of an older format, rebuilt)");
	} else {
		buf_addf(t, "%-26s (not measured: --reuse kept the built data)\n",
			 "indexing, MB/s of text");
	}
	snprintf(c1, sizeof(c1), "%.2f (archive file %.2f)", (double)b->fz_index / b->text_bytes,
		 (double)b->fz_file / b->text_bytes);
	snprintf(c2, sizeof(c2), "%.2f (database file %.2f)",
		 (double)b->tri_index / b->text_bytes, (double)b->tri_file / b->text_bytes);
	buf_addf(t, "%-26s %-30s %-30s %s\n\n", "index size / text", c1, c2, "1.00 (the files)");

	buf_addf(t, "%-24s %4s  %-16s %-16s %-16s %-16s %10s %10s\n", "latency ms, p50 / p99",
		 "n", eng_name[E_FZ], eng_name[E_CLI], eng_name[E_TRI], eng_name[E_RG],
		 "fz/tri p50", "fz/rg p50");
	for (g = 0; g < G__MAX; g++) {
		double p50[E__MAX], p99[E__MAX];
		int like = 0;

		pct(b, E_FZ, g, 50, &n);
		pct(b, E_TRI, g, 50, &ntri);
		for (i = 0; i < b->nq; i++)
			like |= in_group(&b->q[i], g) && b->q[i].tri_like;
		if (g == G_ALL)
			buf_addch(t, '\n');
		buf_addf(t, "%-24s %4d ", gname[g], n);
		for (e = 0; e < E__MAX; e++) {
			p50[e] = pct(b, e, g, 50, NULL);
			p99[e] = pct(b, e, g, 99, NULL);
			cell(t, p50[e], p99[e]);
		}
		ratio_cell(t, p50[E_FZ], p50[E_TRI]);
		ratio_cell(t, p50[E_FZ], p50[E_RG]);
		if (like)
			buf_addf(t, "  trigram: LIKE scan");
		if (ntri < n)
			buf_addf(t, ", %d of %d timed", ntri, n);
		buf_addch(t, '\n');
	}

	for (i = 0; i < b->nq; i++) {
		const struct qry *q = &b->q[i];
		missed += q->missing;
		failed_q += q->missing > 0;
		rgsum += q->rg_total;
		extra += q->fz_total - (q->rg_total - q->missing);
		if (q->tri_total >= 0) {
			tri_ran++;
			tri_agree += q->tri_total == q->rg_total;
		}
		if (q->cls != C_AND && q->ms[E_FZ] > worst)
			worst = q->ms[E_FZ], worst_i = i;
	}
	buf_addf(t, "\nslowest single term for fangzhi: %s, %.2f ms (%ld hits)\n",
		 b->q[worst_i].typed, worst, b->q[worst_i].fz_total);
	buf_addf(t, "recall against rg: %.4f (%ld of %ld entries rg lists were missed; %d of %d "
		    "queries missed any); fangzhi found %ld entries more through folding "
		    "(e.g. 巻 for 卷)\n",
		 rgsum ? 1.0 - (double)missed / (double)rgsum : 1.0, missed, rgsum, failed_q, b->nq,
		 extra);
	if (misses->len)
		buf_addf(t, "%s", misses->p);
	buf_addf(t, "trigram totals equal rg's on %d of %d queries it ran\n", tri_agree, tri_ran);

	p50f = pct(b, E_FZ, G_LONG, 50, NULL);
	p50t = pct(b, E_TRI, G_LONG, 50, NULL);
	p99s = pct(b, E_FZ, G_SINGLE, 99, NULL);
	buf_addf(t, "\ntargets: recall 1.0 on every query: %s | p50 under trigram's on 3-8 chars: "
		    "%s (%.3fx) | p99 of any single term under 50 ms: %s (%.1f ms; max %.1f ms) | "
		    "index at most 3x the text: %s (%.2fx)\n\n",
		 yes(missed == 0), yes(p50f < p50t), p50t > 0 ? p50f / p50t : 0, yes(p99s < 50),
		 p99s, worst, yes(b->fz_index <= 3 * b->text_bytes),
		 (double)b->fz_index / b->text_bytes);
}

static int
usage(void)
{
	fprintf(stderr, "usage: bench_search run --label L --fz BIN --archive DIR --work DIR --out FILE\n"
			"                        [--queries N] [--like-max N] [--seed S] [--reuse] PATH...\n");
	return 2;
}

/* Reads a positive number argument; exits with a message when it is not one. */
static long
number(const char *opt, const char *v)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end != '\0' || n <= 0)
		die("%s wants a positive number, not \"%s\"", opt, v);
	return n;
}

int
main(int argc, char **argv)
{
	struct bench b = { 0 };
	struct buf table, misses;
	int i, like_left;
	FILE *f;

	if (argc < 2 || strcmp(argv[1], "run") != 0)
		return usage();
	b.nq = 200;
	b.like_max = 1000000;
	b.seed = 1;
	for (i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--reuse") == 0) {
			b.reuse = 1;
			continue;
		}
		if (a[0] != '-') {
			b.paths = argv + i;
			b.npaths = argc - i;
			break;
		}
		if (v == NULL)
			return usage();
		i++;
		if (strcmp(a, "--label") == 0)
			b.label = v;
		else if (strcmp(a, "--fz") == 0)
			b.fz = v;
		else if (strcmp(a, "--archive") == 0)
			b.archive = v;
		else if (strcmp(a, "--work") == 0)
			b.work = v;
		else if (strcmp(a, "--out") == 0)
			b.out = v;
		else if (strcmp(a, "--queries") == 0)
			b.nq = (int)number(a, v);
		else if (strcmp(a, "--like-max") == 0)
			b.like_max = (int)number(a, v);
		else if (strcmp(a, "--seed") == 0)
			b.seed = (unsigned long long)number(a, v);
		else
			return usage();
	}
	if (!b.label || !b.fz || !b.archive || !b.work || !b.out || b.npaths == 0)
		return usage();
	mkdir(b.work, 0755);

	build_fangzhi(&b);
	build_trigram(&b);
	build_files(&b);
	draw_queries(&b);
	{
		/* the texts into the page cache, so the first queries are not disk reads */
		char *cat[] = { "sh", "-c", "cat \"$0\"/*.txt \"$1\" \"$2\" > /dev/null", b.files,
				join(b.archive, "archive.sqlite"), join(b.work, "trigram.sqlite"), NULL };
		run_cmd(cat, NULL);
		free(cat[4]);
		free(cat[5]);
	}
	fprintf(stderr, "[%s] %d queries on each engine ...\n", b.label, b.nq);
	buf_init(&misses, NULL);
	like_left = b.like_max;
	for (i = 0; i < b.nq; i++) {
		run_query(&b, &b.q[i], &like_left, &misses);
		if ((i + 1) % 25 == 0)
			fprintf(stderr, "[%s] %d of %d queries\n", b.label, i + 1, b.nq);
	}
	buf_init(&table, NULL);
	report(&b, &misses, &table);
	fputs(table.p, stdout);
	if ((f = fopen(b.out, "w")) == NULL || fputs(table.p, f) < 0 || fclose(f) != 0)
		die("%s: %s", b.out, strerror(errno));
	for (i = 0; i < T__MAX; i++)
		sqlite3_finalize(tri_st[i]);
	for (i = 0; i < b.nq; i++) {
		free(b.q[i].term[0]);
		free(b.q[i].term[1]);
		free(b.q[i].typed);
	}
	free(b.q);
	buf_free(&table);
	buf_free(&misses);
	store_close(b.s);
	sqlite3_close(b.arc);
	sqlite3_close(b.tri);
	return 0;
}
