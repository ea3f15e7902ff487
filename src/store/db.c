/* db.c: opening an archive, its schema and migrations */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store_int.h"

/*
 * The schema, as steps. An archive records in PRAGMA user_version how many
 * steps it has taken; opening it for writing takes the rest, in one
 * transaction, so an archive written by an older fangzhi opens in a newer
 * one. Steps are never edited once released: a change is a new step.
 */
static const char *const migrations[] = {
	/* 1: books, chapters, entries and their versions, stored bytes, search */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
	"CREATE TABLE book("
	" id TEXT PRIMARY KEY, seq INTEGER NOT NULL, title TEXT NOT NULL, edition TEXT,"
	" kind TEXT, region TEXT, region_code TEXT, published INTEGER, added_at TEXT NOT NULL);"
	"CREATE TABLE chapter("
	" id INTEGER PRIMARY KEY, book_id TEXT NOT NULL REFERENCES book(id),"
	" parent INTEGER NOT NULL DEFAULT 0, title TEXT NOT NULL, ord INTEGER NOT NULL,"
	" UNIQUE(book_id, parent, title));"
	"CREATE TABLE entry("
	" id TEXT PRIMARY KEY, book_id TEXT NOT NULL REFERENCES book(id),"
	" chapter INTEGER NOT NULL DEFAULT 0, ord INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE,"
	" current INTEGER NOT NULL);"
	"CREATE INDEX entry_tree ON entry(book_id, chapter, ord, seq);"
	"CREATE INDEX entry_book_seq ON entry(book_id, seq);"
	"CREATE TABLE version("
	" id INTEGER PRIMARY KEY, entry_id TEXT NOT NULL, n INTEGER NOT NULL,"
	" title TEXT NOT NULL, body TEXT NOT NULL, author TEXT, year INTEGER, extra TEXT,"
	" nchar INTEGER NOT NULL, content_sha256 TEXT NOT NULL, sha256 TEXT NOT NULL,"
	" source_file TEXT, source_line INTEGER, source_page TEXT, url TEXT, orig_id TEXT,"
	" captured_at TEXT, orig_sha256 TEXT, imported_at TEXT NOT NULL, superseded_at TEXT,"
	" UNIQUE(entry_id, n));"
	"CREATE TABLE blob("
	" sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, codec TEXT NOT NULL, data BLOB NOT NULL);"
	"CREATE TABLE page(version INTEGER NOT NULL, pos INTEGER NOT NULL, label TEXT NOT NULL);"
	"CREATE INDEX page_version ON page(version, pos);"
	"CREATE TABLE section(version INTEGER NOT NULL, pos INTEGER NOT NULL, heading TEXT NOT NULL);"
	"CREATE INDEX section_version ON section(version, pos);"
	"CREATE VIRTUAL TABLE fts USING fts5(title, body, content='version', content_rowid='id',"
	" tokenize='fangzhi');",
	/* 2: the event log, append-only: triggers refuse changes to past events */
	"CREATE TABLE event("
	" id INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, detail TEXT,"
	" added INTEGER, unchanged INTEGER, versioned INTEGER, refused INTEGER);"
	"CREATE TRIGGER event_no_update BEFORE UPDATE ON event"
	" BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;"
	"CREATE TRIGGER event_no_delete BEFORE DELETE ON event"
	" BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;",
	/* 3: fixity. Each version keeps what its content digest hashed (book,
	 * chapter, the order as given: NULL when by arrival), so that verify can
	 * recompute it; rows older than this step are marked in meta. Each event
	 * records the archive's fingerprint. The index takes its content from
	 * current versions only, so that FTS5's integrity-check can compare the
	 * two (it is rebuilt here, once). */
	"ALTER TABLE version ADD COLUMN book_id TEXT;"
	"ALTER TABLE version ADD COLUMN chapter INTEGER;"
	"ALTER TABLE version ADD COLUMN ord INTEGER;"
	"ALTER TABLE event ADD COLUMN fingerprint TEXT;"
	"UPDATE version SET"
	" book_id = (SELECT e.book_id FROM entry e WHERE e.id = version.entry_id),"
	" chapter = (SELECT e.chapter FROM entry e WHERE e.id = version.entry_id);"
	"INSERT OR REPLACE INTO meta(key, value)"
	" SELECT 'legacy_versions', coalesce(max(id), 0) FROM version;"
	"DROP TABLE fts;"
	"CREATE VIEW current_text AS SELECT v.id AS id, v.title AS title, v.body AS body"
	" FROM entry e JOIN version v ON v.id = e.current;"
	"CREATE VIRTUAL TABLE fts USING fts5(title, body, content='current_text',"
	" content_rowid='id', tokenize='fangzhi');"
	"INSERT INTO fts(fts) VALUES ('rebuild');",
	/* 4: the old site. Every capture of a crawl as it came (bytes in blob,
	 * by SHA-256), what its address names, and the entry it became; the old
	 * site's map (library, book number A, record rec, node code) to our
	 * books, chapters and entries, with items listed but never captured
	 * (entry_id NULL), so that old links keep working. */
	"CREATE TABLE capture("
	" id INTEGER PRIMARY KEY, url TEXT NOT NULL, captured_at TEXT, sha256 TEXT NOT NULL,"
	" size INTEGER NOT NULL, http INTEGER NOT NULL, kind TEXT NOT NULL, run INTEGER,"
	" k TEXT, a INTEGER, rec INTEGER, problem TEXT, source_file TEXT, source_offset INTEGER,"
	" entry_id TEXT, imported_at TEXT NOT NULL, UNIQUE(url, captured_at, sha256));"
	"CREATE INDEX capture_item ON capture(run, a, rec);"
	"CREATE INDEX capture_entry ON capture(entry_id);"
	"CREATE TABLE legacy_library("
	" code TEXT PRIMARY KEY COLLATE NOCASE, name TEXT, region TEXT, region_code TEXT);"
	"CREATE TABLE legacy("
	" lib TEXT NOT NULL COLLATE NOCASE, book INTEGER NOT NULL, rec INTEGER NOT NULL,"
	" node TEXT COLLATE NOCASE, title TEXT, url TEXT, book_id TEXT NOT NULL,"
	" heads INTEGER, parent INTEGER, ord INTEGER, entry_id TEXT,"
	" PRIMARY KEY(lib, book, rec));"
	"CREATE INDEX legacy_rec ON legacy(book, rec);"
	"CREATE INDEX legacy_node ON legacy(book, node);"
	"CREATE INDEX legacy_entry ON legacy(entry_id);"
	"CREATE INDEX legacy_place ON legacy(book_id, parent);",
};

int
store_fail(struct store *s, struct fz_err *err, const char *what)
{
	return fz_fail(err, FZ_ESTORE, "%s: %s", what, sqlite3_errmsg(s->db));
}

int
store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	return v ? sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

const char *
store_col_text(sqlite3_stmt *st, int i, struct arena *a)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	if (t == NULL)
		return NULL;
	return arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i));
}

static int
exec(sqlite3 *db, const char *sql, struct fz_err *err)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fz_fail(err, FZ_ESTORE, "%s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int
user_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Takes the schema from where it is to step `to`, in one transaction. */
int
store_migrate(sqlite3 *db, int to, struct fz_err *err)
{
	char pragma[64];
	int from = user_version(db), v;

	if (from < 0)
		return fz_fail(err, FZ_ESTORE, "cannot read the schema version: %s", sqlite3_errmsg(db));
	if (from >= to)
		return 0;
	if (exec(db, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	for (v = from; v < to; v++) {
		if (exec(db, migrations[v], err) < 0) {
			exec(db, "ROLLBACK", NULL);
			return fz_wrap(err, "upgrading the archive to schema %d", v + 1);
		}
	}
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", to);
	if (exec(db, pragma, err) < 0 || exec(db, "COMMIT", err) < 0) {
		exec(db, "ROLLBACK", NULL);
		return -1;
	}
	return 0;
}

int
store_meta_set(struct store *s, const char *key, const char *value, struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(s, STMT_META_SET, err);

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, key);
	store_bind_text(st, 2, value);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, err, "writing archive metadata");
	return 0;
}

/* The value of meta index_format this binary writes and expects. */
static void
index_format(char *out, size_t size)
{
	snprintf(out, size, "%s/%s", STORE_INDEX_FORMAT, text_fold_version());
}

/*
 * The fold version is kept apart too (older binaries read it); the index
 * format names both what the tokens are and how they were folded, so either
 * changing makes the index stale.
 */
int
store_index_format_put(struct store *s, struct fz_err *err)
{
	char fmt[128];

	index_format(fmt, sizeof(fmt));
	if (store_meta_set(s, "fold_version", text_fold_version(), err) < 0 ||
	    store_meta_set(s, "index_format", fmt, err) < 0)
		return -1;
	s->index_ok = 1;
	return 0;
}

/*
 * An index of another format gives wrong answers, not errors (a query's
 * bigrams are simply absent from a unigram index), so it is checked before
 * a search and on every writable open. An archive without entries has
 * nothing indexed: its index is current whatever meta says. A current
 * index is remembered; a stale one is looked at again each time, so that a
 * long-running reader sees a reindex done beside it.
 */
int
store_index_stale(struct store *s, struct fz_err *err)
{
	sqlite3_stmt *st;
	const char *have;
	char want[128];
	int stale;

	if (s->index_ok)
		return 0;
	if ((st = store_stmt(s, STMT_INDEX_STATE, err)) == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_fail(s, err, "reading the index format");
	index_format(want, sizeof(want));
	have = (const char *)sqlite3_column_text(st, 0);
	stale = sqlite3_column_int(st, 1) != 0 && (have == NULL || strcmp(have, want) != 0);
	sqlite3_reset(st);
	if (!stale)
		s->index_ok = 1;
	return stale;
}

/*
 * Opens (and with STORE_CREATE makes) the archive directory and its
 * database. Readers get a read-only, query-only connection; writers get WAL
 * and the schema migrated to this binary's version.
 */
int
store_open(const char *dir, int flags, struct store **out, struct fz_err *err)
{
	struct store *s;
	struct stat sb;
	char *path;
	int oflags, v;

	*out = NULL;
	if (stat(dir, &sb) != 0) {
		if (errno != ENOENT || !(flags & STORE_CREATE))
			return fz_fail(err, errno == ENOENT ? FZ_ENOTFOUND : FZ_EIO,
				       "archive %s: %s", dir,
				       errno == ENOENT ? "no such archive (an import creates it)"
						       : strerror(errno));
		if (mkdir(dir, 0755) != 0)
			return fz_fail(err, FZ_EIO, "cannot create archive directory %s: %s", dir,
				       strerror(errno));
	} else if (!S_ISDIR(sb.st_mode)) {
		return fz_fail(err, FZ_EINPUT, "archive %s is not a directory", dir);
	}
	path = xmalloc(strlen(dir) + 32);
	memcpy(path, dir, strlen(dir) + 1);
	strncat(path, "/archive.sqlite", 31);
	if (!(flags & STORE_CREATE) && stat(path, &sb) != 0) {
		fz_fail(err, FZ_ENOTFOUND, "%s is not a fangzhi archive (no archive.sqlite in it)", dir);
		free(path);
		return -1;
	}

	s = xcalloc(1, sizeof(*s));
	s->dir = xstrdup(dir);
	s->readonly = (flags & STORE_READONLY) != 0;
	oflags = s->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (s->readonly && (flags & STORE_IMMUTABLE)) {
		/* a WAL database where no -shm can be made (read-only media):
		 * only an immutable open reads it */
		static const char hex[] = "0123456789ABCDEF";
		struct buf uri;
		const char *p;

		buf_init(&uri, NULL);
		buf_addstr(&uri, "file:");
		for (p = path; *p; p++) {
			unsigned char c = (unsigned char)*p;
			if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			    c == '/' || c == '.' || c == '_' || c == '~' || c == '-')
				buf_addch(&uri, (char)c);
			else
				buf_addf(&uri, "%%%c%c", hex[c >> 4], hex[c & 15]);
		}
		buf_addstr(&uri, "?immutable=1");
		free(path);
		path = buf_detach(&uri);
		oflags |= SQLITE_OPEN_URI;
	}
	if (sqlite3_open_v2(path, &s->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		fz_fail(err, FZ_ESTORE, "cannot open %s: %s", path, sqlite3_errmsg(s->db));
		free(path);
		goto fail;
	}
	free(path);
	/* SQLite opens a file it may not write read-only without a word: say so */
	if (!s->readonly && sqlite3_db_readonly(s->db, "main") == 1)
		s->readonly = 1;
	sqlite3_busy_timeout(s->db, 10000);
	sqlite3_extended_result_codes(s->db, 1);
	if (store_fts_register(s->db, err) < 0)
		goto fail;
	/* A larger page cache (64 MiB a connection): a common character's
	 * lists span thousands of pages, and a server's long-lived connection
	 * otherwise copies them out of the OS's cache again on every query. A
	 * memory map was tried and was slower, for the page faults of a
	 * short-lived command. */
	if (exec(s->db, "PRAGMA cache_size = -65536", err) < 0)
		goto fail;
	/* schema 0 is an empty file (or not ours): only an import may build on
	 * it, lest a damaged archive be silently replaced by an empty one */
	if (!(flags & STORE_CREATE) && user_version(s->db) == 0) {
		fz_fail(err, FZ_ECONFLICT, "%s/archive.sqlite is empty or not a fangzhi archive", dir);
		goto fail;
	}
	if (s->readonly) {
		if (exec(s->db, "PRAGMA query_only = 1", err) < 0)
			goto fail;
		v = user_version(s->db);
		if (v < STORE_SCHEMA_VERSION) {
			fz_fail(err, FZ_ECONFLICT,
				"archive %s has schema %d; this fangzhi reads %d: run an import or "
				"`fangzhi reindex` once to upgrade it", dir, v, STORE_SCHEMA_VERSION);
			goto fail;
		}
	} else {
		if (exec(s->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
				"PRAGMA foreign_keys = ON", err) < 0)
			goto fail;
		if (store_migrate(s->db, STORE_SCHEMA_VERSION, err) < 0)
			goto fail;
	}
	/* an index of an older format is rebuilt by the first writer to open
	 * the archive (at 1 GB, minutes); readers refuse to search it */
	if (!s->readonly && !(flags & STORE_KEEP_INDEX) &&
	    user_version(s->db) <= STORE_SCHEMA_VERSION) {
		int stale = store_index_stale(s, err);
		if (stale < 0 || (stale && store_reindex(s, err) < 0))
			goto fail;
	}
	v = user_version(s->db);
	if (v > STORE_SCHEMA_VERSION) {
		fz_fail(err, FZ_ECONFLICT,
			"archive %s has schema %d, newer than this fangzhi (%d): use a newer fangzhi",
			dir, v, STORE_SCHEMA_VERSION);
		goto fail;
	}
	*out = s;
	return 0;
fail:
	store_close(s);
	return -1;
}

void
store_close(struct store *s)
{
	int i;

	if (s == NULL)
		return;
	for (i = 0; i < STMT__MAX; i++)
		sqlite3_finalize(s->stmt[i]);
	sqlite3_close(s->db);
	free(s->dir);
	free(s);
}
