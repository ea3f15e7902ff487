/* json.c: entries, search results and counts as JSON, one shape for CLI and web */
#include <jansson.h>
#include <string.h>

#include "store_int.h"

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static char *
dump(json_t *o)
{
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

static json_t *
book_json(const struct fz_book *b)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_string(b->id));
	json_object_set_new(o, "title", json_string(b->title));
	json_object_set_new(o, "edition", str_or_null(b->edition));
	json_object_set_new(o, "kind", str_or_null(b->kind));
	json_object_set_new(o, "region", str_or_null(b->region));
	json_object_set_new(o, "region_code", str_or_null(b->region_code));
	json_object_set_new(o, "published", b->published ? json_integer(b->published) : json_null());
	return o;
}

/* `fangzhi show --json` and /api/entry/{id}. `versions` is a count, as the
 * issue asks; the list is in `version_list`. */
char *
store_entry_json(const struct fz_entry *e)
{
	json_t *o = json_object(), *arr, *src;
	size_t i;

	json_object_set_new(o, "id", json_string(e->id));
	json_object_set_new(o, "title", json_string(e->title));
	json_object_set_new(o, "author", str_or_null(e->author));
	json_object_set_new(o, "year", e->year ? json_integer(e->year) : json_null());
	json_object_set_new(o, "book", book_json(&e->book));
	arr = json_array();
	for (i = 0; i < e->nchapters; i++)
		json_array_append_new(arr, json_string(e->chapters[i].title));
	json_object_set_new(o, "path", arr);
	json_object_set_new(o, "version", json_integer(e->version));
	json_object_set_new(o, "versions", json_integer((json_int_t)e->nversions));
	arr = json_array();
	for (i = 0; i < e->nversions; i++) {
		json_t *v = json_object();
		json_object_set_new(v, "n", json_integer(e->versions[i].n));
		json_object_set_new(v, "sha256", json_string(e->versions[i].sha256));
		json_object_set_new(v, "imported_at", json_string(e->versions[i].imported_at));
		json_object_set_new(v, "superseded_at", str_or_null(e->versions[i].superseded_at));
		json_array_append_new(arr, v);
	}
	json_object_set_new(o, "version_list", arr);
	arr = json_array();
	for (i = 0; i < e->nsections; i++) {
		json_t *v = json_object();
		json_object_set_new(v, "heading", json_string(e->sections[i].heading));
		json_object_set_new(v, "offset", json_integer((json_int_t)e->sections[i].pos));
		json_array_append_new(arr, v);
	}
	json_object_set_new(o, "sections", arr);
	arr = json_array();
	for (i = 0; i < e->npages; i++) {
		json_t *v = json_object();
		json_object_set_new(v, "page", json_string(e->pages[i].label));
		json_object_set_new(v, "offset", json_integer((json_int_t)e->pages[i].pos));
		json_array_append_new(arr, v);
	}
	json_object_set_new(o, "pages", arr);
	src = json_object();
	json_object_set_new(src, "file", str_or_null(e->source_file));
	json_object_set_new(src, "line", e->source_line ? json_integer(e->source_line) : json_null());
	json_object_set_new(src, "page", str_or_null(e->source_page));
	json_object_set_new(src, "url", str_or_null(e->url));
	json_object_set_new(src, "id", str_or_null(e->orig_id));
	json_object_set_new(src, "captured_at", str_or_null(e->captured_at));
	json_object_set_new(src, "sha256", str_or_null(e->orig_sha256));
	json_object_set_new(src, "imported_at", json_string(e->imported_at));
	json_object_set_new(src, "imported_sha256", json_string(e->sha256));
	json_object_set_new(o, "source", src);
	json_object_set_new(o, "prev", str_or_null(e->prev_id));
	json_object_set_new(o, "next", str_or_null(e->next_id));
	json_object_set_new(o, "body", json_stringn(e->body, e->bodylen));
	return dump(o);
}

/*
 * `fangzhi search --json` and /api/search. A snippet is plain text (no
 * markup in JSON); `marks` lists the matched runs as [start, end) character
 * offsets into it, so any client can highlight without parsing HTML.
 */
char *
store_search_json(const struct search_opts *opts, const struct search_result *r)
{
	json_t *o = json_object(), *hits = json_array();
	size_t i, j;

	json_object_set_new(o, "query", json_string(opts->query ? opts->query : ""));
	json_object_set_new(o, "total", json_integer(r->total));
	json_object_set_new(o, "offset", json_integer(opts->offset));
	for (i = 0; i < r->nhits; i++) {
		const struct search_hit *h = &r->hits[i];
		json_t *hit = json_object(), *book = json_object(), *marks = json_array();
		struct buf snip;
		size_t nchar = 0;

		buf_init(&snip, NULL);
		if (h->snippet.cut_start) {
			buf_addstr(&snip, "…");
			nchar++;
		}
		for (j = 0; j < h->snippet.nparts; j++) {
			const struct snippet_part *p = &h->snippet.parts[j];
			size_t n = utf8_nchar(p->p, p->len);
			if (p->mark) {
				json_t *m = json_array();
				json_array_append_new(m, json_integer((json_int_t)nchar));
				json_array_append_new(m, json_integer((json_int_t)(nchar + n)));
				json_array_append_new(marks, m);
			}
			buf_add(&snip, p->p, p->len);
			nchar += n;
		}
		if (h->snippet.cut_end)
			buf_addstr(&snip, "…");
		json_object_set_new(hit, "id", json_string(h->id));
		json_object_set_new(hit, "title", json_string(h->title));
		json_object_set_new(book, "id", json_string(h->book_id));
		json_object_set_new(book, "title", json_string(h->book_title));
		json_object_set_new(hit, "book", book);
		json_object_set_new(hit, "snippet", json_stringn(snip.p, snip.len));
		json_object_set_new(hit, "marks", marks);
		json_array_append_new(hits, hit);
		buf_free(&snip);
	}
	json_object_set_new(o, "hits", hits);
	return dump(o);
}

char *
store_stats_json(const struct fz_stats *st)
{
	json_t *o = json_object();

	json_object_set_new(o, "books", json_integer(st->books));
	json_object_set_new(o, "entries", json_integer(st->entries));
	json_object_set_new(o, "versions", json_integer(st->versions));
	json_object_set_new(o, "chapters", json_integer(st->chapters));
	json_object_set_new(o, "characters", json_integer(st->chars));
	json_object_set_new(o, "bytes", json_integer(st->bytes));
	json_object_set_new(o, "fingerprint", json_string(st->fingerprint));
	json_object_set_new(o, "captures", json_integer(st->captures));
	json_object_set_new(o, "uncaptured", json_integer(st->uncaptured));
	return dump(o);
}
