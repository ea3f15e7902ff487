/* store_int.h: what the store's files share, one section per file */
#ifndef FZ_STORE_INT_H
#define FZ_STORE_INT_H

#include <sqlite3.h>

#include "store.h"

/* ---- sql.c: every statement, prepared once per connection ---- */
enum stmt_id {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_META_GET,
	STMT_META_SET,
	STMT_BOOK_GET,
	STMT_BOOK_INSERT,
	STMT_BOOK_UPDATE,
	STMT_BOOK_NEXT_SEQ,
	STMT_CHAPTER_FIND,
	STMT_CHAPTER_INSERT,
	STMT_SIBLING_NEXT_ORD,
	STMT_ENTRY_CURRENT,
	STMT_ENTRY_INSERT,
	STMT_ENTRY_UPDATE,
	STMT_ENTRY_NEXT_SEQ,
	STMT_VERSION_INSERT,
	STMT_VERSION_SUPERSEDE,
	STMT_BLOB_INSERT,
	STMT_PAGE_INSERT,
	STMT_SECTION_INSERT,
	STMT_FTS_INSERT,
	STMT_FTS_DELETE,
	STMT_EVENT_INSERT,
	STMT_STATS,
	STMT_ENTRY_GET,
	STMT_VERSION_LIST,
	STMT_PAGE_LIST,
	STMT_SECTION_LIST,
	STMT_ENTRY_PREV,
	STMT_ENTRY_NEXT,
	STMT_BOOK_LIST,
	STMT_BOOK_ONE,
	STMT_CHILD_CHAPTERS,
	STMT_CHILD_ENTRIES,
	STMT_CHAPTER_ONE,
	STMT_COUNT_KIND,
	STMT_COUNT_REGION,
	STMT_SEARCH,
	STMT_HIT_TEXT,
	STMT_FTS_CLEAR,
	STMT_FTS_FILL,
	STMT__MAX
};

struct store {
	sqlite3 *db;
	int readonly;
	sqlite3_stmt *stmt[STMT__MAX];
	char *dir;
	long added, unchanged, versioned; /* during an import */
	char import_what[512];
};

/* Returns the statement, prepared on first use, reset and unbound. NULL
 * (with err set) only if the SQL does not prepare, a bug of ours. */
sqlite3_stmt *store_stmt(struct store *s, enum stmt_id id, struct fz_err *err);
extern const char *const store_sql[STMT__MAX];

/* ---- db.c ---- */
/* Fills err from the connection's last error, with context; returns -1. */
int store_fail(struct store *s, struct fz_err *err, const char *what);
/* Binds a string or NULL. */
int store_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Copies column i into the arena (NULL stays NULL). */
const char *store_col_text(sqlite3_stmt *st, int i, struct arena *a);
int store_meta_set(struct store *s, const char *key, const char *value, struct fz_err *err);
/* Builds the schema up to `version` (tests use it to make old archives). */
int store_migrate(sqlite3 *db, int to, struct fz_err *err);
#define STORE_SCHEMA_VERSION 2

/* ---- fts.c ---- */
/* Registers our tokenizer ("fangzhi") with the connection's FTS5. */
int store_fts_register(sqlite3 *db, struct fz_err *err);

#endif
