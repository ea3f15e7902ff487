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
	STMT_SEARCH_COUNT,
	STMT_SEARCH_COMMON,
	STMT_ENTRY_COUNT,
	STMT_INDEX_STATE,
	STMT_HIT_TEXT,
	STMT_FTS_CLEAR,
	STMT_FTS_FILL,
	STMT_FP_LEAVES,
	STMT_SNAPSHOT_COUNTS,
	STMT_EVENT_COUNT,
	STMT_EVENT_LIST,
	STMT_EVENT_LAST_WRITE,
	STMT_EVENT_GUARDS,
	STMT_BEGIN_READ,
	STMT_INTEGRITY,
	STMT_FTS_CHECK,
	STMT_VERIFY_BLOBS,
	STMT_VERIFY_VERSIONS,
	STMT_VERIFY_ENTRIES,
	STMT_VERIFY_STRAYS,
	STMT_BLOB_GET,
	STMT_WALK,
	STMT_WALK_COUNT,
	/* capture.c, legacy.c: the old site */
	STMT_CAPTURE_FIND,
	STMT_CAPTURE_INSERT,
	STMT_CAPTURE_LINK,
	STMT_CAPTURE_SINCE,
	STMT_CAPTURE_BY_KIND,
	STMT_CAPTURE_BY_ITEM,
	STMT_CAPTURE_GET,
	STMT_CAPTURE_OF_ENTRY,
	STMT_LIBRARY_PUT,
	STMT_LIBRARY_LIST,
	STMT_LIBRARY_OF,
	STMT_LEGACY_PUT,
	STMT_LEGACY_RECORD,
	STMT_LEGACY_NODE,
	STMT_LEGACY_BOOK,
	STMT_LEGACY_MISSING,
	STMT_LEGACY_STATS,
	STMT_CHAPTER_SET_ORD,
	STMT__MAX
};

struct store {
	sqlite3 *db;
	int readonly;
	int index_ok; /* the index was found current: no need to look again */
	sqlite3_stmt *stmt[STMT__MAX];
	char *dir;
	long added, unchanged, versioned; /* during an import */
	char import_what[512];
};

/* Returns the statement, prepared on first use, reset and unbound. NULL
 * (with err set) only if the SQL does not prepare, a bug of ours. */
sqlite3_stmt *store_stmt(struct store *s, enum stmt_id id, struct fz_err *err);
extern const char *const store_sql[STMT__MAX];

/* ---- import.c ---- */
/* Steps a statement that returns no row; on failure err says `what`. */
int store_step_done(struct store *s, sqlite3_stmt *st, const char *what, struct fz_err *err);
/* Keeps bytes (a record's source, a capture) zstd-compressed in the blob
 * table, once per SHA-256. */
int store_blob_put(struct store *s, const char *sha, const void *p, size_t len,
		   struct fz_err *err);

/* ---- db.c ---- */
/* Fills err from the connection's last error, with context; returns -1. */
int store_fail(struct store *s, struct fz_err *err, const char *what);
/* Binds a string or NULL. */
int store_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Copies column i into the arena (NULL stays NULL). */
const char *store_col_text(sqlite3_stmt *st, int i, struct arena *a);
int store_meta_set(struct store *s, const char *key, const char *value, struct fz_err *err);
/* Writes meta fold_version and index_format: the index is now this binary's. */
int store_index_format_put(struct store *s, struct fz_err *err);
/* Builds the schema up to `version` (tests use it to make old archives). */
int store_migrate(sqlite3 *db, int to, struct fz_err *err);
#define STORE_SCHEMA_VERSION 4

/* ---- digest.c: the content digest, the fingerprint, the snapshot ---- */
/* Same content, same digest: the fields README "Fixity" lists. */
void store_content_digest(const struct fz_record *r, char out[65]);
/* The next 【section】 paragraph of body at or after *cur: 1 and its place. */
int store_section_next(const char *body, const char **cur, size_t *pos /* OUT */,
		       const char **heading /* OUT */, size_t *hlen /* OUT */);
/* RFC 6962 Merkle tree, fed leaf by leaf in order; memory is logarithmic. */
struct merkle {
	unsigned char h[64][32]; /* roots of perfect subtrees, largest first */
	uint64_t size[64];       /* their leaf counts */
	int n;                   /* subtrees on the stack */
	long leaves;
};
void merkle_init(struct merkle *m);
void merkle_leaf_data(struct merkle *m, const void *data, size_t len);
/* Leaf data: id, NUL, digest_hex. */
void merkle_leaf(struct merkle *m, const char *id, const char *digest_hex);
void merkle_root_hex(const struct merkle *m, char out[65]);
/* Inside a write: counts and fingerprint into meta "snapshot"; fp gets the
 * fingerprint. */
int store_snapshot_put(struct store *s, char fp[65] /* OUT */, struct fz_err *err);
int store_snapshot_count(struct store *s, long long out[SNAP__MAX], struct fz_err *err);

/* ---- event.c ---- */
/* Appends an event inside the caller's transaction; counts may be NULL. */
int store_event_add(struct store *s, const char *kind, const char *detail,
		    const long counts[STORE__MAX], long refused, const char *fingerprint,
		    struct fz_err *err);

/* ---- legacy.c ---- */
/* A record whose source URL is an old record address answers that
 * address too (called by store_import_record). */
int store_legacy_note_record(struct store *s, const struct fz_record *r, struct fz_err *err);

/* ---- fts.c ---- */
/* Registers our tokenizer ("fangzhi") with the connection's FTS5. */
int store_fts_register(sqlite3 *db, struct fz_err *err);

#endif
