/* jsonl.c: the JSON Lines importer (formats/records.md), one record per line */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "ingest.h"

#define CHUNK 65536            /* bytes read from the file at a time */
#define ID_MAX 200             /* longest id, in characters (all ASCII) */
#define PROGRESS_EVERY 1000    /* lines between progress calls */
#define KEEP_LINE_BUF (1u << 24) /* a line buffer larger than this is freed after use */
#define CUT_SHORT " (the file ends inside this line: was it cut short?)"


/* Reads a file in chunks so that a line is never held past the limit. */
struct reader {
	FILE *f;
	char *chunk;   /* CHUNK bytes */
	size_t pos;    /* next unread byte in chunk */
	size_t end;    /* bytes in chunk */
	size_t done;   /* bytes consumed from the file, for progress */
};

/* Everything one parse shares, so helpers take one pointer. */
struct jparse {
	const char *path;
	const struct ingest_meta *meta;
	struct ingest_sink *sink;
	struct arena arena;   /* reset after each record */
	struct buf why;       /* the reason for a bad record */
	long lineno;
};

/*
 * The id rules of formats/records.md: A-Z a-z 0-9 . _ ~ - and (not in a
 * book id) /, 1 to 200 of them, no leading '/', no ".." segment. We also
 * refuse empty and "." segments: a URL with "//" or "/./" is rewritten by
 * browsers and proxies, so such a permalink would not stay put.
 */
const char *
ingest_id_problem(const char *id, int book)
{
	size_t i, len = strlen(id), seg = 0;

	if (len == 0)
		return "is empty";
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)id[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '_' || c == '~' || c == '-')
			continue;
		if (c == '/' && !book)
			continue;
		if (c == '/')
			return "contains \"/\", which a book id may not";
		return book ? "contains a character other than A-Z a-z 0-9 . _ ~ -"
			    : "contains a character other than A-Z a-z 0-9 . _ ~ - /";
	}
	/* Every allowed character is one byte, so bytes count characters. */
	if (len > ID_MAX)
		return "is longer than 200 characters";
	if (id[0] == '/')
		return "starts with \"/\"";
	/* Segments between slashes; seg is where the current one starts. */
	for (i = 0; i <= len; i++) {
		if (i < len && id[i] != '/')
			continue;
		if (i - seg == 2 && id[seg] == '.' && id[seg + 1] == '.')
			return "has a \"..\" segment";
		if (i - seg == 1 && id[seg] == '.')
			return "has a \".\" segment";
		if (i == seg)
			return "has an empty segment (\"//\" or a \"/\" at the end)";
		seg = i + 1;
	}
	return NULL;
}

/*
 * Appends s in double quotes for a message: control characters, quotes and
 * backslashes are escaped and a long value is cut (at a character boundary)
 * so one hostile value cannot flood the terminal.
 */
static void
add_quoted(struct buf *b, const char *s, size_t len)
{
	size_t i, max = 80;

	buf_addch(b, '"');
	for (i = 0; i < len && i < max; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			buf_addf(b, "\\x%02x", c);
		else if (c == '"' || c == '\\')
			buf_addf(b, "\\%c", c);
		else
			buf_addch(b, (char)c);
	}
	if (i < len) {
		while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
			i--, b->len--;
		b->p[b->len] = '\0';
		buf_addstr(b, "…");
	}
	buf_addch(b, '"');
}

/* Reports the current line as bad with the reason built in p->why. */
static void
report(struct jparse *p)
{
	if (p->sink->bad != NULL)
		p->sink->bad(p->sink->ctx, p->path, p->lineno, p->why.p);
}

/*
 * A string field. Absent (or null, for an optional field) leaves *out NULL
 * and returns 0. Returns -1 with the reason in p->why when the field is
 * missing but required, not a string, or empty. The string lives in obj.
 */
static int
get_str(struct jparse *p, json_t *obj, const char *key, const char *name, int required,
	const char **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL || (json_is_null(v) && !required)) {
		if (!required)
			return 0;
		buf_addf(&p->why, "field \"%s\" is missing", name);
		return -1;
	}
	if (!json_is_string(v)) {
		buf_addf(&p->why, "field \"%s\" must be a string", name);
		return -1;
	}
	if (json_string_length(v) == 0) {
		buf_addf(&p->why, "field \"%s\" is empty", name);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

/*
 * An optional integer field within [min, max]. Absent or null leaves *out
 * as it was. Returns -1 with the reason in p->why otherwise.
 */
static int
get_int(struct jparse *p, json_t *obj, const char *key, const char *name, long long min,
	long long max, long long *out)
{
	json_t *v = json_object_get(obj, key);
	long long n;

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_integer(v)) {
		buf_addf(&p->why, "field \"%s\" must be an integer", name);
		return -1;
	}
	n = json_integer_value(v);
	if (n < min || n > max) {
		buf_addf(&p->why, "field \"%s\" must be between %lld and %lld", name, min, max);
		return -1;
	}
	*out = n;
	return 0;
}

/* Checks an id field's value against the rules; -1 with the reason. */
static int
check_id(struct jparse *p, const char *id, int book)
{
	const char *why = ingest_id_problem(id, book);

	if (why == NULL)
		return 0;
	buf_addstr(&p->why, book ? "book id " : "id ");
	add_quoted(&p->why, id, strlen(id));
	buf_addf(&p->why, " %s", why);
	return -1;
}

/* 1 if s is 64 hexadecimal digits. */
static int
is_sha256(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return 0;
	return i == 64;
}

/* Matches digits and literal characters: 'd' in pat stands for one digit. */
static int
shape(const char *s, const char *pat)
{
	for (; *pat != '\0'; pat++, s++) {
		if (*pat == 'd' ? !(*s >= '0' && *s <= '9') : *s != *pat)
			return 0;
	}
	return 1;
}

/* 1 if s looks like an RFC 3339 date-time: 2017-05-01T08:00:00[.123](Z|+08:00). */
static int
is_rfc3339(const char *s)
{
	if (!shape(s, "dddd-dd-dd") || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    !shape(s + 11, "dd:dd:dd"))
		return 0;
	s += 19;
	if (*s == '.') {
		if (!(s[1] >= '0' && s[1] <= '9'))
			return 0;
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	}
	if ((*s == 'Z' || *s == 'z') && s[1] == '\0')
		return 1;
	return (*s == '+' || *s == '-') && shape(s + 1, "dd:dd") && s[6] == '\0';
}

/*
 * Copies the members of obj whose names are not in known[] into a new
 * object; returns it, or NULL when there are none. The caller owns it.
 */
static json_t *
unknown_fields(json_t *obj, const char *const *known)
{
	json_t *out = NULL, *v;
	const char *key;
	size_t i;

	json_object_foreach(obj, key, v) {
		for (i = 0; known[i] != NULL; i++)
			if (strcmp(key, known[i]) == 0)
				break;
		if (known[i] != NULL)
			continue;
		if (out == NULL)
			out = json_object();
		json_object_set(out, key, v);
	}
	return out;
}

static const char *const top_fields[] = {"id", "title", "body", "author", "book", "path",
					 "order", "year", "source", "pages", NULL};
static const char *const book_fields[] = {"id", "title", "edition", "kind", "region",
					  "region_code", "published", NULL};
/* url .. sha256 are the format's; the rest is what `fangzhi export` adds
 * about its own archive (README, "export"): read past, not kept as extra. */
static const char *const source_fields[] = {"url", "id", "captured_at", "sha256", "file",
					    "line", "page", "imported_at", "imported_sha256",
					    "content_sha256", "version", "superseded_at", NULL};

/*
 * The `pages` extension (README, "export"): page starts as byte offsets
 * into the body, [{"offset": N, "page": "010-2a"}, ...], in body order, each
 * at a character boundary. Absent or null leaves r without pages. Returns
 * -1 with the reason in p->why.
 */
static int
get_pages(struct jparse *p, json_t *root, struct fz_record *r)
{
	json_t *arr = json_object_get(root, "pages"), *x;
	size_t i, blen = strlen(r->body), last = 0;

	if (arr == NULL || json_is_null(arr))
		return 0;
	if (!json_is_array(arr)) {
		buf_addstr(&p->why, "field \"pages\" must be an array");
		return -1;
	}
	r->npages = json_array_size(arr);
	r->pages = arena_alloc(&p->arena, (r->npages + 1) * sizeof(*r->pages));
	json_array_foreach(arr, i, x) {
		json_t *off = json_object_get(x, "offset"), *lab = json_object_get(x, "page");
		json_int_t pos;

		if (!json_is_object(x) || json_object_size(x) != 2 || !json_is_integer(off) ||
		    !json_is_string(lab) || json_string_length(lab) == 0) {
			buf_addf(&p->why, "field \"pages[%zu]\" must be {\"offset\": N, "
					  "\"page\": \"...\"}", i);
			return -1;
		}
		pos = json_integer_value(off);
		if (pos < 0 || (size_t)pos > blen || (size_t)pos < last ||
		    ((size_t)pos < blen && ((unsigned char)r->body[pos] & 0xC0) == 0x80)) {
			buf_addf(&p->why, "field \"pages[%zu].offset\" must be a byte offset into "
					  "the body, at a character, not before the page above it", i);
			return -1;
		}
		r->pages[i].pos = last = (size_t)pos;
		r->pages[i].label = json_string_value(lab);
	}
	return 0;
}

/*
 * Fills r from a parsed object. Strings point into root (or the arena), so
 * r is good until root is released. Returns -1 with the reason in p->why at
 * the first field that breaks the format.
 */
static int
fill_record(struct jparse *p, json_t *root, struct fz_record *r)
{
	json_t *book, *source, *path, *extra, *x;
	long long n;
	size_t i;

	if (get_str(p, root, "id", "id", 1, &r->id) < 0 || check_id(p, r->id, 0) < 0 ||
	    get_str(p, root, "title", "title", 1, &r->title) < 0)
		return -1;
	x = json_object_get(root, "body");
	if (x == NULL || !json_is_string(x)) {
		buf_addf(&p->why, x == NULL ? "field \"body\" is missing"
					    : "field \"body\" must be a string");
		return -1;
	}
	r->body = json_string_value(x); /* an empty body is allowed: a title-only entry */
	if (get_str(p, root, "author", "author", 0, &r->author) < 0)
		return -1;

	book = json_object_get(root, "book");
	if (book == NULL) {
		buf_addstr(&p->why, "field \"book\" is missing");
		return -1;
	}
	if (!json_is_object(book)) {
		buf_addstr(&p->why, "field \"book\" must be an object");
		return -1;
	}
	if (get_str(p, book, "id", "book.id", 1, &r->book.id) < 0 ||
	    check_id(p, r->book.id, 1) < 0 ||
	    get_str(p, book, "title", "book.title", 1, &r->book.title) < 0 ||
	    get_str(p, book, "edition", "book.edition", 0, &r->book.edition) < 0 ||
	    get_str(p, book, "kind", "book.kind", 0, &r->book.kind) < 0 ||
	    get_str(p, book, "region", "book.region", 0, &r->book.region) < 0 ||
	    get_str(p, book, "region_code", "book.region_code", 0, &r->book.region_code) < 0)
		return -1;
	n = 0;
	if (get_int(p, book, "published", "book.published", -9999, 9999, &n) < 0)
		return -1;
	r->book.published = (int)n;

	path = json_object_get(root, "path");
	if (path != NULL && !json_is_null(path)) {
		if (!json_is_array(path)) {
			buf_addstr(&p->why, "field \"path\" must be an array of strings");
			return -1;
		}
		r->npath = json_array_size(path);
		r->path = arena_alloc(&p->arena, (r->npath + 1) * sizeof(*r->path));
		json_array_foreach(path, i, x) {
			if (!json_is_string(x) || json_string_length(x) == 0) {
				buf_addf(&p->why, "field \"path[%zu]\" must be a non-empty string",
					 i);
				return -1;
			}
			r->path[i] = json_string_value(x);
		}
	}
	n = -1;
	if (get_int(p, root, "order", "order", 0, LONG_MAX, &n) < 0)
		return -1;
	r->order = (long)n;
	n = 0;
	if (get_int(p, root, "year", "year", -9999, 9999, &n) < 0)
		return -1;
	r->year = (int)n;
	if (get_pages(p, root, r) < 0)
		return -1;

	source = json_object_get(root, "source");
	if (source != NULL && !json_is_null(source)) {
		if (!json_is_object(source)) {
			buf_addstr(&p->why, "field \"source\" must be an object");
			return -1;
		}
		if (get_str(p, source, "url", "source.url", 0, &r->url) < 0 ||
		    get_str(p, source, "id", "source.id", 0, &r->orig_id) < 0 ||
		    get_str(p, source, "captured_at", "source.captured_at", 0,
			    &r->captured_at) < 0 ||
		    get_str(p, source, "sha256", "source.sha256", 0, &r->orig_sha256) < 0)
			return -1;
		if (r->captured_at != NULL && !is_rfc3339(r->captured_at)) {
			buf_addstr(&p->why, "field \"source.captured_at\" must be an RFC 3339 "
					    "time such as 2017-05-01T08:00:00Z");
			return -1;
		}
		if (r->orig_sha256 != NULL && !is_sha256(r->orig_sha256)) {
			buf_addstr(&p->why,
				   "field \"source.sha256\" must be 64 hexadecimal digits");
			return -1;
		}
	}

	/* Whatever the format does not name is kept as it came: unknown
	 * top-level fields, and unknown fields of book and source under
	 * their own keys ("book", "source" are never unknown themselves). */
	extra = unknown_fields(root, top_fields);
	x = unknown_fields(book, book_fields);
	if (x != NULL) {
		if (extra == NULL)
			extra = json_object();
		json_object_set_new(extra, "book", x);
	}
	if (source != NULL && json_is_object(source) &&
	    (x = unknown_fields(source, source_fields)) != NULL) {
		if (extra == NULL)
			extra = json_object();
		json_object_set_new(extra, "source", x);
	}
	if (extra != NULL) {
		char *s = json_dumps(extra, JSON_COMPACT | JSON_SORT_KEYS);
		r->extra = arena_strdup(&p->arena, s);
		free(s);
		json_decref(extra);
	}

	if (p->meta != NULL) {
		if (p->meta->book_title != NULL)
			r->book.title = p->meta->book_title;
		if (p->meta->kind != NULL)
			r->book.kind = p->meta->kind;
		if (p->meta->region != NULL)
			r->book.region = p->meta->region;
		if (p->meta->region_code != NULL)
			r->book.region_code = p->meta->region_code;
	}
	return 0;
}

/*
 * One non-blank line: checks it, builds the record and hands it to emit.
 * Returns 1 when a record went out, 0 for a bad line (reported), or -1
 * when emit failed.
 */
static int
do_line(struct jparse *p, const char *line, size_t len, int had_nl, struct fz_err *err)
{
	struct fz_record r;
	json_error_t jerr;
	json_t *root;
	size_t bad_at;
	int rc = 0;

	buf_reset(&p->why);
	if (!utf8_valid(line, len, &bad_at)) {
		buf_addf(&p->why, "invalid UTF-8 at byte %zu", bad_at);
		if (!had_nl)
			buf_addstr(&p->why, CUT_SHORT);
		report(p);
		return 0;
	}
	root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL && json_error_code(&jerr) == json_error_null_character) {
		buf_addf(&p->why, "a string holds \\u0000 (NUL), which the archive cannot keep, "
				  "at column %d", jerr.column);
		report(p);
		return 0;
	}
	if (root == NULL) {
		buf_addf(&p->why, "not valid JSON: %s at column %d", jerr.text, jerr.column);
		if (!had_nl)
			buf_addstr(&p->why, CUT_SHORT);
		report(p);
		return 0;
	}
	if (!json_is_object(root)) {
		buf_addstr(&p->why, "not a JSON object");
		report(p);
		json_decref(root);
		return 0;
	}
	memset(&r, 0, sizeof(r));
	r.order = -1;
	r.source_file = p->path;
	r.source_line = p->lineno;
	r.raw = line;
	r.rawlen = len;
	if (fill_record(p, root, &r) < 0)
		report(p);
	else
		rc = p->sink->emit(p->sink->ctx, &r, err) != 0 ? -1 : 1;
	json_decref(root);
	arena_reset(&p->arena);
	return rc;
}

/*
 * Reads the next line into line (without its '\n'). At most max bytes are
 * kept: past that the rest of the line is read and dropped, and *over is
 * set. *nl says whether the line ended with '\n' (a last line without one
 * may be cut short). Returns 1 with a line, 0 at the end, -1 on a read error.
 */
static int
next_line(struct reader *rd, struct buf *line, size_t max, int *over, int *nl)
{
	int any = 0;

	buf_reset(line);
	*over = 0;
	*nl = 0;
	for (;;) {
		const char *s, *q;
		size_t avail, take;

		if (rd->pos == rd->end) {
			size_t n = fread(rd->chunk, 1, CHUNK, rd->f);
			if (n == 0)
				return ferror(rd->f) ? -1 : any;
			rd->pos = 0;
			rd->end = n;
		}
		any = 1;
		s = rd->chunk + rd->pos;
		avail = rd->end - rd->pos;
		q = memchr(s, '\n', avail);
		take = q != NULL ? (size_t)(q - s) : avail;
		if (!*over && line->len + take > max) {
			*over = 1;
			buf_free(line);
		}
		if (!*over)
			buf_add(line, s, take);
		take += q != NULL;
		rd->pos += take;
		rd->done += take;
		if (q != NULL) {
			*nl = 1;
			return 1;
		}
	}
}

/* 1 if the line holds only white space. */
static int
blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

int
ingest_jsonl(const char *path, const struct ingest_meta *meta, struct ingest_sink *sink,
	     struct fz_err *err)
{
	return ingest_jsonl_max(path, meta, INGEST_LINE_MAX, sink, err);
}

/*
 * The importer proper. The file is read in chunks and one line at a time is
 * held (up to line_max bytes), so memory follows the longest line, not the
 * file. Returns -1 with err when the file cannot be read or emit fails;
 * every bad line is reported through sink->bad and skipped.
 */
int
ingest_jsonl_max(const char *path, const struct ingest_meta *meta, size_t line_max,
		 struct ingest_sink *sink, struct fz_err *err)
{
	struct reader rd = {0};
	struct jparse p = {0};
	struct buf line;
	struct stat st;
	size_t total = 0;
	long records = 0;
	int over, nl, got, rc = -1;

	rd.f = fopen(path, "rb");
	if (rd.f == NULL)
		return fz_fail(err, errno == ENOENT ? FZ_ENOTFOUND : FZ_EIO, "%s: %s", path,
			       strerror(errno));
	if (fstat(fileno(rd.f), &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			fclose(rd.f);
			return fz_fail(err, FZ_EINPUT, "%s: is a directory, not a JSON Lines file",
				       path);
		}
		if (S_ISREG(st.st_mode))
			total = (size_t)st.st_size;
	}
	rd.chunk = xmalloc(CHUNK);
	p.path = path;
	p.meta = meta;
	p.sink = sink;
	arena_init(&p.arena, 0);
	buf_init(&p.why, NULL);
	buf_init(&line, NULL);

	while ((got = next_line(&rd, &line, line_max, &over, &nl)) > 0) {
		const char *s = line.p;
		size_t len = line.len;

		p.lineno++;
		if (p.lineno % PROGRESS_EVERY == 0 && sink->progress != NULL)
			sink->progress(sink->ctx, records, rd.done, total);
		if (over) {
			buf_reset(&p.why);
			buf_addf(&p.why, "line is longer than %zu bytes, the limit for one record",
				 line_max);
			report(&p);
			continue;
		}
		if (len > 0 && s[len - 1] == '\r')
			len--;
		/* A byte order mark is not allowed, but harmless: skip it. */
		if (p.lineno == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
			s += 3, len -= 3;
		if (blank(s, len))
			continue;
		got = do_line(&p, s, len, nl, err);
		if (got < 0)
			goto out;
		records += got;
		if (line.cap > KEEP_LINE_BUF)
			buf_free(&line);
	}
	if (got < 0) {
		fz_fail(err, FZ_EIO, "%s: line %ld: %s", path, p.lineno + 1, strerror(errno));
		goto out;
	}
	if (sink->progress != NULL)
		sink->progress(sink->ctx, records, rd.done, total);
	rc = 0;
out:
	buf_free(&line);
	buf_free(&p.why);
	arena_free(&p.arena);
	free(rd.chunk);
	fclose(rd.f);
	return rc;
}
