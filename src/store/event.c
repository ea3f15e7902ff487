/* event.c: the event log, append-only: imports, reindexes, verifications, exports */
#include <stdio.h>
#include <string.h>

#include "store_int.h"

/*
 * Appends one event inside the caller's transaction and records how many
 * events the log holds (meta "events"), so that verify notices one taken
 * away at the end as well as in the middle. counts may be NULL (a
 * verification or an export adds nothing); fingerprint may be NULL.
 */
int
store_event_add(struct store *s, const char *kind, const char *detail,
		const long counts[STORE__MAX], long refused, const char *fingerprint,
		struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(s, STMT_EVENT_INSERT, err);
	char now[32], num[32];

	if (st == NULL)
		return -1;
	fz_now_rfc3339(now);
	sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
	store_bind_text(st, 2, kind);
	store_bind_text(st, 3, detail);
	if (counts != NULL) {
		sqlite3_bind_int64(st, 4, counts[STORE_ADDED]);
		sqlite3_bind_int64(st, 5, counts[STORE_UNCHANGED]);
		sqlite3_bind_int64(st, 6, counts[STORE_VERSIONED]);
		sqlite3_bind_int64(st, 7, refused);
	}
	store_bind_text(st, 8, fingerprint);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, err, "writing the event log");
	if ((st = store_stmt(s, STMT_EVENT_COUNT, err)) == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_fail(s, err, "counting events");
	snprintf(num, sizeof(num), "%lld", (long long)sqlite3_column_int64(st, 0));
	sqlite3_reset(st);
	return store_meta_set(s, "events", num, err);
}

/*
 * An event of its own (a verification, an export): one small transaction.
 * Fails on a read-only archive; the caller says so and goes on.
 */
int
store_event_log(struct store *s, const char *kind, const char *detail, const char *fingerprint,
		struct fz_err *err)
{
	sqlite3_stmt *st;

	if (s->readonly)
		return fz_fail(err, FZ_ECONFLICT, "the archive is open read-only");
	if ((st = store_stmt(s, STMT_BEGIN, err)) == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, err, "starting to write the event log");
	if (store_event_add(s, kind, detail, NULL, 0, fingerprint, err) < 0)
		goto fail;
	if ((st = store_stmt(s, STMT_COMMIT, err)) == NULL)
		goto fail;
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_fail(s, err, "writing the event log");
		goto fail;
	}
	return 0;
fail:
	if ((st = store_stmt(s, STMT_ROLLBACK, NULL)) != NULL && !sqlite3_get_autocommit(s->db))
		sqlite3_step(st);
	return -1;
}

static long
col_long(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : (long)sqlite3_column_int64(st, i);
}

/*
 * Calls fn for each event, oldest first, one row at a time (the log may be
 * long). The strings of ev live until fn returns. A non-zero return from
 * fn stops the walk and is returned.
 */
int
store_events(struct store *s, int (*fn)(void *ctx, const struct fz_event *ev), void *ctx,
	     struct fz_err *err)
{
	sqlite3_stmt *st = store_stmt(s, STMT_EVENT_LIST, err);
	struct fz_event ev;
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ev.id = (long)sqlite3_column_int64(st, 0);
		ev.at = (const char *)sqlite3_column_text(st, 1);
		ev.kind = (const char *)sqlite3_column_text(st, 2);
		ev.detail = (const char *)sqlite3_column_text(st, 3);
		ev.added = col_long(st, 4);
		ev.unchanged = col_long(st, 5);
		ev.versioned = col_long(st, 6);
		ev.refused = col_long(st, 7);
		ev.fingerprint = (const char *)sqlite3_column_text(st, 8);
		if ((rc = fn(ctx, &ev)) != 0) {
			sqlite3_reset(st);
			return rc;
		}
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, err, "reading the event log");
	return 0;
}
