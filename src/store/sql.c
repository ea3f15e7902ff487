/* sql.c: every SQL statement of the archive, in one table indexed by enum */
#include "store_int.h"

/*
 * All data from outside is bound, never formatted into SQL. Entries are
 * ordered within a book by (ord, seq): ord is the position among siblings,
 * seq the order of arrival, which breaks ties and defines prev/next.
 */
const char *const store_sql[STMT__MAX] = {
	[STMT_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_COMMIT] = "COMMIT",
	[STMT_ROLLBACK] = "ROLLBACK",
	[STMT_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[STMT_META_SET] = "INSERT INTO meta(key, value) VALUES (?1, ?2) "
			  "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[STMT_BOOK_GET] = "SELECT title, edition, kind, region, region_code, published "
			  "FROM book WHERE id = ?1",
	[STMT_BOOK_INSERT] = "INSERT INTO book(id, seq, title, edition, kind, region, "
			     "region_code, published, added_at) "
			     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[STMT_BOOK_UPDATE] = "UPDATE book SET title = ?2, edition = coalesce(?3, edition), "
			     "kind = coalesce(?4, kind), region = coalesce(?5, region), "
			     "region_code = coalesce(?6, region_code), "
			     "published = coalesce(?7, published) WHERE id = ?1",
	[STMT_BOOK_NEXT_SEQ] = "SELECT coalesce(max(seq), 0) + 1 FROM book",
	[STMT_CHAPTER_FIND] = "SELECT id FROM chapter WHERE book_id = ?1 AND parent = ?2 "
			      "AND title = ?3",
	[STMT_CHAPTER_INSERT] = "INSERT INTO chapter(book_id, parent, title, ord) "
				"VALUES (?1, ?2, ?3, ?4)",
	[STMT_SIBLING_NEXT_ORD] =
		"SELECT max(coalesce((SELECT max(ord) FROM chapter WHERE book_id = ?1 AND parent = ?2), -1),"
		" coalesce((SELECT max(ord) FROM entry WHERE book_id = ?1 AND chapter = ?2), -1)) + 1",
	[STMT_ENTRY_CURRENT] = "SELECT v.id, v.n, v.content_sha256, v.title, v.body "
			       "FROM entry e JOIN version v ON v.id = e.current WHERE e.id = ?1",
	[STMT_ENTRY_INSERT] = "INSERT INTO entry(id, book_id, chapter, ord, seq, current) "
			      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[STMT_ENTRY_UPDATE] = "UPDATE entry SET book_id = ?2, chapter = ?3, ord = ?4, current = ?5 "
			      "WHERE id = ?1",
	[STMT_ENTRY_NEXT_SEQ] = "SELECT coalesce(max(seq), 0) + 1 FROM entry",
	[STMT_VERSION_INSERT] =
		"INSERT INTO version(entry_id, n, title, body, author, year, extra, nchar, "
		"content_sha256, sha256, source_file, source_line, source_page, url, orig_id, "
		"captured_at, orig_sha256, imported_at, book_id, chapter, ord) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
		"?19, ?20, ?21)",
	[STMT_VERSION_SUPERSEDE] = "UPDATE version SET superseded_at = ?2 WHERE id = ?1",
	[STMT_BLOB_INSERT] = "INSERT OR IGNORE INTO blob(sha256, size, codec, data) "
			     "VALUES (?1, ?2, ?3, ?4)",
	[STMT_PAGE_INSERT] = "INSERT INTO page(version, pos, label) VALUES (?1, ?2, ?3)",
	[STMT_SECTION_INSERT] = "INSERT INTO section(version, pos, heading) VALUES (?1, ?2, ?3)",
	[STMT_FTS_INSERT] = "INSERT INTO fts(rowid, title, body) VALUES (?1, ?2, ?3)",
	[STMT_FTS_DELETE] = "INSERT INTO fts(fts, rowid, title, body) VALUES ('delete', ?1, ?2, ?3)",
	[STMT_EVENT_INSERT] = "INSERT INTO event(at, kind, detail, added, unchanged, versioned, refused, "
			      "fingerprint) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[STMT_STATS] = "SELECT (SELECT count(*) FROM book), (SELECT count(*) FROM entry), "
		       "(SELECT count(*) FROM version), (SELECT count(*) FROM chapter), "
		       "(SELECT coalesce(sum(v.nchar), 0) FROM entry e JOIN version v ON v.id = e.current), "
		       "(SELECT coalesce(sum(length(CAST(v.body AS BLOB))), 0) FROM entry e "
		       " JOIN version v ON v.id = e.current)",
	[STMT_ENTRY_GET] =
		"SELECT v.id, v.n, v.title, v.body, v.author, v.year, e.ord, e.book_id, e.chapter, "
		"v.sha256, v.imported_at, v.source_file, v.source_line, v.source_page, v.url, "
		"v.orig_id, v.captured_at, v.orig_sha256, e.seq "
		"FROM entry e JOIN version v ON v.entry_id = e.id "
		"WHERE e.id = ?1 AND (CASE WHEN ?2 = 0 THEN v.id = e.current ELSE v.n = ?2 END)",
	[STMT_VERSION_LIST] = "SELECT n, sha256, imported_at, superseded_at FROM version "
			      "WHERE entry_id = ?1 ORDER BY n",
	[STMT_PAGE_LIST] = "SELECT pos, label FROM page WHERE version = ?1 ORDER BY pos, rowid",
	[STMT_SECTION_LIST] = "SELECT pos, heading FROM section WHERE version = ?1 ORDER BY pos",
	[STMT_ENTRY_PREV] = "SELECT id FROM entry WHERE book_id = ?1 AND seq < ?2 "
			    "ORDER BY seq DESC LIMIT 1",
	[STMT_ENTRY_NEXT] = "SELECT id FROM entry WHERE book_id = ?1 AND seq > ?2 "
			    "ORDER BY seq LIMIT 1",
	[STMT_BOOK_LIST] =
		"SELECT b.id, b.title, b.edition, b.kind, b.region, b.region_code, b.published, "
		"b.added_at, (SELECT count(*) FROM entry e WHERE e.book_id = b.id) "
		"FROM book b WHERE (?1 IS NULL OR b.kind = ?1) AND "
		"(?2 IS NULL OR substr(b.region_code, 1, length(?2)) = ?2) ORDER BY b.seq",
	[STMT_BOOK_ONE] =
		"SELECT b.id, b.title, b.edition, b.kind, b.region, b.region_code, b.published, "
		"b.added_at, (SELECT count(*) FROM entry e WHERE e.book_id = b.id) "
		"FROM book b WHERE b.id = ?1",
	[STMT_CHILD_CHAPTERS] =
		"WITH RECURSIVE sub(id, top) AS ("
		" SELECT c.id, c.id FROM chapter c WHERE c.book_id = ?1 AND c.parent = ?2"
		" UNION ALL SELECT c.id, sub.top FROM chapter c JOIN sub ON c.parent = sub.id) "
		"SELECT c.id, c.title, c.ord, (SELECT count(*) FROM entry e JOIN sub "
		" ON e.chapter = sub.id WHERE sub.top = c.id AND e.book_id = ?1) "
		"FROM chapter c WHERE c.book_id = ?1 AND c.parent = ?2 ORDER BY c.ord, c.id",
	[STMT_CHILD_ENTRIES] = "SELECT e.id, v.title, e.ord FROM entry e JOIN version v "
			       "ON v.id = e.current WHERE e.book_id = ?1 AND e.chapter = ?2 "
			       "ORDER BY e.ord, e.seq",
	[STMT_CHAPTER_ONE] = "SELECT id, parent, title, book_id FROM chapter WHERE id = ?1",
	[STMT_COUNT_KIND] = "SELECT coalesce(b.kind, ''), count(DISTINCT b.id), count(e.id) "
			    "FROM book b LEFT JOIN entry e ON e.book_id = b.id "
			    "GROUP BY 1 ORDER BY min(b.seq)",
	[STMT_COUNT_REGION] = "SELECT coalesce(b.region_code, ''), max(b.region), "
			      "count(DISTINCT b.id), count(e.id) "
			      "FROM book b LEFT JOIN entry e ON e.book_id = b.id "
			      "GROUP BY 1 ORDER BY 1",
	/*
	 * Narrow rows only: bodies are fetched for the page of hits shown.
	 * Without filters, only rows that can be on the page are joined: the
	 * order is by score first, so no row scoring above the page's last
	 * score can be on it (ties at that score are all kept and ordered as
	 * before), and the total is every match. For a common character that
	 * saves joining some 16,000 rows at 1 GB (bench/search: 之 120 → 93 ms).
	 * With a filter every row is joined, to be filtered and counted.
	 */
	[STMT_SEARCH] =
		"WITH m AS MATERIALIZED (SELECT rowid AS r, bm25(fts, 5.0, 1.0) AS score "
		" FROM fts WHERE fts MATCH ?1) "
		"SELECT m.r, CASE WHEN ?2 IS NULL AND ?3 IS NULL AND ?4 IS NULL AND ?5 = 0 AND ?6 = 0 "
		" THEN (SELECT count(*) FROM m) ELSE count(*) OVER () END FROM m "
		"JOIN version v ON v.id = m.r JOIN entry e ON e.id = v.entry_id "
		"JOIN book b ON b.id = e.book_id "
		"WHERE (?2 IS NULL OR b.id = ?2) AND (?3 IS NULL OR b.kind = ?3) "
		"AND (?4 IS NULL OR substr(b.region_code, 1, length(?4)) = ?4) "
		"AND (?5 = 0 OR coalesce(v.year, b.published, 0) >= ?5) "
		"AND (?6 = 0 OR coalesce(v.year, b.published, 99999) <= ?6) "
		"AND (?2 IS NOT NULL OR ?3 IS NOT NULL OR ?4 IS NOT NULL OR ?5 != 0 OR ?6 != 0 "
		" OR ?7 < 0 OR m.score <= coalesce((SELECT score FROM m ORDER BY score "
		" LIMIT 1 OFFSET ?7 + ?8 - 1), m.score)) "
		"ORDER BY m.score, b.seq, e.seq LIMIT ?7 OFFSET ?8",
	/* How many entries a query matches, before ranking (search.c). */
	[STMT_SEARCH_COUNT] = "SELECT count(*) FROM fts WHERE fts MATCH ?1",
	[STMT_ENTRY_COUNT] = "SELECT count(*) FROM entry",
	/*
	 * A query matching most of the archive (search.c): no bm25, which reads
	 * every position of every hit, but entries whose title matches (?9,
	 * the query restricted to the title column) first, then book order.
	 * Same parameters, filters and total as STMT_SEARCH.
	 */
	[STMT_SEARCH_COMMON] =
		"WITH m AS MATERIALIZED (SELECT rowid AS r FROM fts WHERE fts MATCH ?1), "
		"t AS MATERIALIZED (SELECT rowid AS r FROM fts WHERE fts MATCH ?9) "
		"SELECT m.r, count(*) OVER () FROM m "
		"JOIN version v ON v.id = m.r JOIN entry e ON e.id = v.entry_id "
		"JOIN book b ON b.id = e.book_id "
		"WHERE (?2 IS NULL OR b.id = ?2) AND (?3 IS NULL OR b.kind = ?3) "
		"AND (?4 IS NULL OR substr(b.region_code, 1, length(?4)) = ?4) "
		"AND (?5 = 0 OR coalesce(v.year, b.published, 0) >= ?5) "
		"AND (?6 = 0 OR coalesce(v.year, b.published, 99999) <= ?6) "
		"ORDER BY m.r NOT IN (SELECT r FROM t), b.seq, e.seq LIMIT ?7 OFFSET ?8",
	/* Whether the index is of this binary's format (db.c). */
	[STMT_INDEX_STATE] = "SELECT (SELECT value FROM meta WHERE key = 'index_format'), "
			     "EXISTS (SELECT 1 FROM entry)",
	[STMT_HIT_TEXT] = "SELECT v.entry_id, v.title, v.body, b.id, b.title FROM version v "
			  "JOIN entry e ON e.id = v.entry_id JOIN book b ON b.id = e.book_id "
			  "WHERE v.id = ?1",
	[STMT_FTS_CLEAR] = "INSERT INTO fts(fts) VALUES ('delete-all')",
	[STMT_FTS_FILL] = "INSERT INTO fts(rowid, title, body) SELECT v.id, v.title, v.body "
			  "FROM entry e JOIN version v ON v.id = e.current",
	/* ---- fixity (digest.c, event.c, verify.c) and exports (walk.c) ---- */
	/* The fingerprint's leaves, in its canonical order (ids compare bytewise). */
	[STMT_FP_LEAVES] = "SELECT e.id, v.content_sha256 FROM entry e "
			   "LEFT JOIN version v ON v.id = e.current ORDER BY e.id",
	[STMT_SNAPSHOT_COUNTS] =
		"SELECT (SELECT count(*) FROM entry), (SELECT count(*) FROM version), "
		"(SELECT count(*) FROM blob), (SELECT count(*) FROM page), "
		"(SELECT count(*) FROM section), (SELECT count(*) FROM chapter), "
		"(SELECT count(*) FROM book)",
	[STMT_EVENT_COUNT] = "SELECT count(*), coalesce(min(id), 0), coalesce(max(id), 0) FROM event",
	[STMT_EVENT_LIST] = "SELECT id, at, kind, detail, added, unchanged, versioned, refused, "
			    "fingerprint FROM event ORDER BY id",
	[STMT_EVENT_LAST_WRITE] = "SELECT id, at, fingerprint FROM event "
				  "WHERE kind IN ('import', 'reindex') ORDER BY id DESC LIMIT 1",
	[STMT_BEGIN_READ] = "BEGIN",
	[STMT_EVENT_GUARDS] = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
			      "AND name IN ('event_no_update', 'event_no_delete')",
	[STMT_INTEGRITY] = "PRAGMA integrity_check(100)",
	[STMT_FTS_CHECK] = "INSERT INTO fts(fts, rank) VALUES ('integrity-check', 1)",
	[STMT_VERIFY_BLOBS] = "SELECT sha256, size, codec, data FROM blob ORDER BY rowid",
	[STMT_VERIFY_VERSIONS] =
		"SELECT v.id, v.entry_id, v.n, v.title, v.body, v.author, v.year, v.extra, v.nchar, "
		"v.content_sha256, v.sha256, v.book_id, v.chapter, v.ord, v.superseded_at, "
		"EXISTS (SELECT 1 FROM blob b WHERE b.sha256 = v.sha256), e.id IS NOT NULL, "
		"e.current, e.ord, e.book_id, e.chapter, "
		"EXISTS (SELECT 1 FROM book k WHERE k.id = coalesce(v.book_id, e.book_id)) "
		"FROM version v LEFT JOIN entry e ON e.id = v.entry_id ORDER BY v.id",
	[STMT_VERIFY_ENTRIES] =
		"SELECT e.id, e.current, cv.entry_id, cv.superseded_at, "
		"(SELECT count(*) FROM version x WHERE x.entry_id = e.id), "
		"(SELECT max(n) FROM version x WHERE x.entry_id = e.id), cv.n, "
		"EXISTS (SELECT 1 FROM book k WHERE k.id = e.book_id), e.book_id "
		"FROM entry e LEFT JOIN version cv ON cv.id = e.current ORDER BY e.id",
	[STMT_VERIFY_STRAYS] =
		"SELECT 'page', version, count(*) FROM page WHERE version NOT IN (SELECT id FROM version) "
		"GROUP BY version UNION ALL "
		"SELECT 'section', version, count(*) FROM section "
		"WHERE version NOT IN (SELECT id FROM version) GROUP BY version UNION ALL "
		"SELECT 'chapter', id, book_id FROM chapter WHERE book_id NOT IN (SELECT id FROM book)",
	[STMT_BLOB_GET] = "SELECT size, codec, data FROM blob WHERE sha256 = ?1",
	/* Versions in the order they came in (a re-import in this order rebuilds
	 * the same tree); ?1 = 1: current versions only. */
	[STMT_WALK] =
		"SELECT v.id, v.entry_id, v.n, v.title, v.body, v.author, v.year, v.extra, v.ord, "
		"coalesce(v.book_id, e.book_id), coalesce(v.chapter, e.chapter), v.sha256, "
		"v.content_sha256, v.source_file, v.source_line, v.source_page, v.url, v.orig_id, "
		"v.captured_at, v.orig_sha256, v.imported_at, v.superseded_at, v.id = e.current, "
		"e.ord FROM version v JOIN entry e ON e.id = v.entry_id "
		"WHERE ?1 = 0 OR v.id = e.current ORDER BY v.id",
	[STMT_WALK_COUNT] = "SELECT count(*) FROM version v JOIN entry e ON e.id = v.entry_id "
			    "WHERE ?1 = 0 OR v.id = e.current",
	/* the old site: captures, libraries, old addresses (capture.c, legacy.c) */
	[STMT_CAPTURE_FIND] = "SELECT id FROM capture WHERE url = ?1 AND captured_at IS ?2 "
			      "AND sha256 = ?3",
	[STMT_CAPTURE_INSERT] =
		"INSERT INTO capture(url, captured_at, sha256, size, http, kind, run, k, a, rec, "
		"problem, source_file, source_offset, imported_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	[STMT_CAPTURE_LINK] = "UPDATE capture SET entry_id = ?2 WHERE id = ?1",
#define CAPTURE_COLS "id, url, captured_at, sha256, size, http, kind, run, k, a, rec, problem, " \
		     "source_file, source_offset, entry_id FROM capture "
	[STMT_CAPTURE_SINCE] = "SELECT " CAPTURE_COLS "WHERE id >= ?1 ORDER BY captured_at, id",
	[STMT_CAPTURE_BY_KIND] = "SELECT " CAPTURE_COLS "WHERE kind = ?1 ORDER BY captured_at, id",
	[STMT_CAPTURE_BY_ITEM] = "SELECT " CAPTURE_COLS "WHERE kind = ?1 AND a = ?2 "
				 "AND k LIKE ?3 || '%' ORDER BY rec, captured_at, id",
	[STMT_CAPTURE_GET] = "SELECT " CAPTURE_COLS "WHERE id = ?1",
	[STMT_CAPTURE_OF_ENTRY] = "SELECT " CAPTURE_COLS "WHERE entry_id = ?1 "
				  "ORDER BY captured_at DESC, id DESC",
#undef CAPTURE_COLS
	[STMT_LIBRARY_PUT] = "INSERT INTO legacy_library(code, name, region, region_code) "
			     "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(code) DO UPDATE SET "
			     "name = coalesce(excluded.name, name), region = coalesce(excluded.region, "
			     "region), region_code = coalesce(excluded.region_code, region_code)",
	[STMT_LIBRARY_LIST] = "SELECT code, name, region, region_code FROM legacy_library ORDER BY code",
	/* the library whose code begins K, the longest when several do */
	[STMT_LIBRARY_OF] = "SELECT code, name, region, region_code FROM legacy_library "
			    "WHERE ?1 LIKE code || '%' ORDER BY length(code) DESC LIMIT 1",
	[STMT_LEGACY_PUT] =
		"INSERT INTO legacy(lib, book, rec, node, title, url, book_id, heads, parent, ord, "
		"entry_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
		"ON CONFLICT(lib, book, rec) DO UPDATE SET node = coalesce(excluded.node, node), "
		"title = coalesce(excluded.title, title), url = coalesce(url, excluded.url), "
		"book_id = excluded.book_id, heads = coalesce(excluded.heads, heads), "
		"parent = coalesce(excluded.parent, parent), ord = coalesce(excluded.ord, ord), "
		"entry_id = coalesce(excluded.entry_id, entry_id)",
	/* a record: the library is a prefix of K (or, for addresses known only
	 * from JSON Lines, K a prefix of what was recorded) */
	[STMT_LEGACY_RECORD] =
		"SELECT entry_id, book_id, parent, title, url FROM legacy "
		"WHERE book = ?2 AND rec = ?3 AND (?1 LIKE lib || '%' OR lib LIKE ?1 || '%') "
		"ORDER BY (?1 LIKE lib || '%') DESC, length(lib) DESC LIMIT 1",
	[STMT_LEGACY_NODE] =
		"SELECT rec, entry_id, book_id, heads, parent, title, url FROM legacy "
		"WHERE book = ?2 AND node = ?1 AND ?1 LIKE lib || '%' "
		"ORDER BY length(lib) DESC, rec LIMIT 1",
	[STMT_LEGACY_BOOK] = "SELECT book_id FROM legacy WHERE book = ?2 AND rec = 0 "
			     "AND ?1 LIKE lib || '%' ORDER BY length(lib) DESC LIMIT 1",
	[STMT_LEGACY_MISSING] =
		"SELECT lib, book, rec, node, title, url, ord FROM legacy WHERE book_id = ?1 "
		"AND parent = ?2 AND rec > 0 AND entry_id IS NULL ORDER BY ord, rec",
	[STMT_LEGACY_STATS] =
		"SELECT (SELECT count(*) FROM capture), "
		"(SELECT count(*) FROM capture WHERE problem IS NOT NULL), "
		"(SELECT count(*) FROM legacy WHERE rec > 0 AND entry_id IS NULL)",
	/* a chapter takes its place from the old table of contents */
	[STMT_CHAPTER_SET_ORD] = "UPDATE chapter SET ord = ?2 WHERE id = ?1",
};

sqlite3_stmt *
store_stmt(struct store *s, enum stmt_id id, struct fz_err *err)
{
	sqlite3_stmt *st = s->stmt[id];

	if (st == NULL) {
		if (sqlite3_prepare_v3(s->db, store_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &st,
				       NULL) != SQLITE_OK) {
			store_fail(s, err, "preparing a statement");
			return NULL;
		}
		s->stmt[id] = st;
	} else {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
	return st;
}
