/* export_jsonl.c: the archive as JSON Lines in the interchange format, streamed */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "export.h"

/* A JSON string even from damaged bytes (which the importer will refuse). */
static json_t *
jstr(const char *s)
{
	json_t *v = json_string(s);

	return v != NULL ? v : json_string_nocheck(s);
}

static void
set_str(json_t *o, const char *key, const char *v)
{
	if (v != NULL)
		json_object_set_new(o, key, jstr(v));
}

/* Puts the members of from into to, where to has no such key yet. */
static void
merge(json_t *to, json_t *from)
{
	const char *key;
	json_t *v;

	if (!json_is_object(from))
		return;
	json_object_foreach(from, key, v) {
		if (json_object_get(to, key) == NULL)
			json_object_set(to, key, v);
	}
}

/*
 * The line for one version. Keys come in the order of formats/records.md,
 * the body last (it is long). Fields the importer kept as they came
 * (version.extra) go back where they were: top level, under book, under
 * source; re-imported they give the same extra, so the same digest.
 */
void
export_record_json(const struct fz_stored *v, struct buf *b)
{
	const struct fz_record *r = &v->r;
	json_t *o = json_object(), *book = json_object(), *src = json_object(), *extra = NULL;
	json_t *arr;
	const char *key;
	json_t *x;
	char *text;
	size_t i;

	if (r->extra != NULL)
		extra = json_loads(r->extra, 0, NULL);
	json_object_set_new(o, "id", jstr(r->id));
	json_object_set_new(o, "title", jstr(r->title));
	set_str(o, "author", r->author);
	if (r->year != 0)
		json_object_set_new(o, "year", json_integer(r->year));

	set_str(book, "id", r->book.id);
	set_str(book, "title", r->book.title);
	set_str(book, "edition", r->book.edition);
	set_str(book, "kind", r->book.kind);
	set_str(book, "region", r->book.region);
	set_str(book, "region_code", r->book.region_code);
	if (r->book.published != 0)
		json_object_set_new(book, "published", json_integer(r->book.published));
	if (json_is_object(extra))
		merge(book, json_object_get(extra, "book"));
	json_object_set_new(o, "book", book);

	if (r->npath > 0) {
		arr = json_array();
		for (i = 0; i < r->npath; i++)
			json_array_append_new(arr, jstr(r->path[i]));
		json_object_set_new(o, "path", arr);
	}
	if (r->order >= 0)
		json_object_set_new(o, "order", json_integer(r->order));
	if (r->npages > 0) {
		arr = json_array();
		for (i = 0; i < r->npages; i++) {
			json_t *pg = json_object();
			json_object_set_new(pg, "offset", json_integer((json_int_t)r->pages[i].pos));
			json_object_set_new(pg, "page", jstr(r->pages[i].label));
			json_array_append_new(arr, pg);
		}
		json_object_set_new(o, "pages", arr);
	}

	/* the original database's provenance, then this archive's */
	set_str(src, "url", r->url);
	set_str(src, "id", r->orig_id);
	set_str(src, "captured_at", r->captured_at);
	set_str(src, "sha256", r->orig_sha256);
	if (json_is_object(extra))
		merge(src, json_object_get(extra, "source"));
	set_str(src, "file", r->source_file);
	if (r->source_line > 0)
		json_object_set_new(src, "line", json_integer(r->source_line));
	set_str(src, "page", r->source_page);
	set_str(src, "imported_at", v->imported_at);
	set_str(src, "imported_sha256", v->sha256);
	set_str(src, "content_sha256", v->content_sha256);
	json_object_set_new(src, "version", json_integer(v->n));
	set_str(src, "superseded_at", v->superseded_at);
	json_object_set_new(o, "source", src);

	if (json_is_object(extra)) {
		json_object_foreach(extra, key, x) {
			if (strcmp(key, "book") != 0 && strcmp(key, "source") != 0 &&
			    json_object_get(o, key) == NULL)
				json_object_set(o, key, x);
		}
	}
	json_object_set_new(o, "body", jstr(r->body));
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	buf_addstr(b, text);
	free(text);
	json_decref(o);
	json_decref(extra);
}

/*
 * Streams the walk into out: one line per version, the arena reset after
 * each, so memory follows the largest entry, not the archive.
 */
int
export_jsonl(struct store *s, FILE *out, const struct export_opts *o, struct export_stats *st,
	     struct fz_err *err)
{
	struct store_walk *w = NULL;
	struct fz_stored v;
	struct meter m;
	struct arena a;
	struct buf line;
	long total;
	int rc;

	memset(st, 0, sizeof(*st));
	if (store_walk_open(s, o->current_only ? STORE_WALK_CURRENT : 0, &w, &total, err) < 0)
		return -1;
	/* inside the walk's read transaction: the fingerprint of what is written */
	if (store_fingerprint(s, st->fingerprint, NULL, err) < 0) {
		store_walk_close(w);
		return -1;
	}
	arena_init(&a, 0);
	buf_init(&line, NULL);
	meter_start(&m, o->label ? o->label : "export", o->progress, total);
	while ((rc = store_walk_next(w, &a, &v, err)) > 0) {
		buf_reset(&line);
		export_record_json(&v, &line);
		buf_addch(&line, '\n');
		if (fwrite(line.p, 1, line.len, out) != line.len) {
			rc = fz_fail(err, FZ_EIO, "writing: %s", strerror(errno));
			break;
		}
		st->records++;
		st->entries += v.current;
		st->damaged += !v.digest_ok;
		st->bytes += (long long)line.len;
		meter_tick(&m, st->records, st->bytes);
		arena_reset(&a);
		if (line.cap > (1u << 24))
			buf_free(&line);
	}
	meter_end(&m);
	buf_free(&line);
	arena_free(&a);
	store_walk_close(w);
	return rc < 0 ? -1 : 0;
}
