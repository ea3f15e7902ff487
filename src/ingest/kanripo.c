/* kanripo.c: the Kanseki Repository importer (Readme.org + <ID>_<NNN>.txt, mandoku text) */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ingest.h"
#include "kanripo_int.h"

#define PILCROW 0xB6        /* ¶: the end of a printed line */
#define IDEO_SPACE 0x3000   /* 　: indentation and spacing, layout only */
#define FILE_MAX (1L << 30) /* a juan file larger than this is not a text */

void
kanripo_bad(struct kbook *b, const char *path, long line)
{
	if (b->sink->bad != NULL)
		b->sink->bad(b->sink->ctx, path, line, b->why.p);
	buf_reset(&b->why);
}

/* A heap copy of [s, s+len) with ASCII blanks trimmed at both ends. */
char *
kanripo_trimdup(const char *s, size_t len)
{
	while (len > 0 && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	return xstrndup(s, len);
}

/* If line starts with key, the trimmed rest as a heap string; else NULL. */
char *
kanripo_header_value(const char *line, size_t len, const char *key)
{
	size_t k = strlen(key);

	if (len < k || memcmp(line, key, k) != 0)
		return NULL;
	return kanripo_trimdup(line + k, len - k);
}

int
ingest_kanripo_juan_name(const char *name, long *juan)
{
	size_t len = strlen(name), i, us;
	long n = 0;

	if (len < 7 || strcmp(name + len - 4, ".txt") != 0)
		return 0;
	us = len - 4;
	while (us > 0 && name[us - 1] >= '0' && name[us - 1] <= '9')
		us--;
	if (us < 2 || name[us - 1] != '_' || len - 4 - us == 0 || len - 4 - us > 6)
		return 0;
	for (i = us; i < len - 4; i++)
		n = n * 10 + (name[i] - '0');
	if (juan != NULL)
		*juan = n;
	return 1;
}

/*
 * Reads a whole file and appends it to out. Returns -1 with err when it
 * cannot be read.
 */
static int
slurp(const char *path, struct buf *out, struct fz_err *err)
{
	char chunk[65536];
	size_t n, start = out->len;
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return fz_fail(err, errno == ENOENT ? FZ_ENOTFOUND : FZ_EIO, "%s: %s", path,
			       strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (out->len - start + n > (size_t)FILE_MAX) {
			fclose(f);
			return fz_fail(err, FZ_EINPUT, "%s: larger than %ld bytes", path,
				       FILE_MAX);
		}
		buf_add(out, chunk, n);
	}
	if (ferror(f)) {
		fclose(f);
		return fz_fail(err, FZ_EIO, "%s: %s", path, strerror(errno));
	}
	fclose(f);
	return 0;
}

/* Appends a page marker, growing the array. */
static void
add_marker(struct kbook *b, const struct marker *m)
{
	if (b->nmarkers == b->markcap) {
		b->markcap = b->markcap ? 2 * b->markcap : 1024;
		b->markers = xrealloc(b->markers, b->markcap * sizeof(*b->markers));
	}
	b->markers[b->nmarkers++] = *m;
}

/*
 * If a page marker <pb:...> starts at s (n bytes to the end of the line),
 * returns its length and sets the label (the part after the last '_', e.g.
 * "010-2a" of <pb:KR2k0048_WYG_010-2a>) relative to s. Else 0.
 */
static size_t
page_marker(const char *s, size_t n, size_t *label, size_t *labellen)
{
	const char *gt, *us;

	if (n < 5 || memcmp(s, "<pb:", 4) != 0 || (gt = memchr(s + 4, '>', n - 4)) == NULL)
		return 0;
	us = gt;
	while (us > s + 4 && us[-1] != '_')
		us--;
	*label = (size_t)(us - s);
	*labellen = (size_t)(gt - us);
	return (size_t)(gt - s) + 1;
}

/*
 * Scans juan j once loaded: UTF-8 line by line, its header (title, id,
 * base edition) and its page markers.
 */
static void
scan_juan(struct kbook *b, size_t j)
{
	struct juan *jn = &b->juans[j];
	const char *all = b->all.p;
	size_t ls, le, i, end = jn->off + jn->len, bad_at;
	long line = 0;
	char *v;

	for (ls = jn->off; ls < end; ls = le + 1) {
		le = ls;
		while (le < end && all[le] != '\n')
			le++;
		line++;
		if (!utf8_valid(all + ls, le - ls, &bad_at) && jn->bad_line == 0) {
			jn->bad_line = line;
			jn->bad_byte = bad_at;
		}
		if (all[ls] == '#') {
			if (b->title == NULL &&
			    (v = kanripo_header_value(all + ls, le - ls, "#+TITLE:")) != NULL)
				b->title = v;
			else if (b->id == NULL &&
				 (v = kanripo_header_value(all + ls, le - ls, "#+PROPERTY: ID")) != NULL)
				b->id = v;
			else if (b->baseedition == NULL &&
				 (v = kanripo_header_value(all + ls, le - ls, "#+PROPERTY: BASEEDITION")) !=
					 NULL)
				b->baseedition = v;
			continue;
		}
		for (i = ls; i + 4 < le; i++) {
			struct marker m;
			size_t k;

			if (all[i] != '<' || (k = page_marker(all + i, le - i, &m.label,
							      &m.labellen)) == 0)
				continue;
			m.off = i;
			m.juan = j;
			m.line = line;
			m.label += i;
			add_marker(b, &m);
			i += k - 1;
		}
	}
}

static int
juan_cmp(const void *a, const void *b)
{
	const struct juan *x = a, *y = b;

	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * Lists the juan files of the directory in book order and loads them into
 * b->all, one after the other. Returns -1 with err when the directory or a
 * file cannot be read.
 */
static int
load_juans(struct kbook *b, struct fz_err *err)
{
	DIR *d = opendir(b->dir);
	struct dirent *de;
	size_t cap = 0, j;
	long num;

	if (d == NULL)
		return fz_fail(err, errno == ENOENT ? FZ_ENOTFOUND : FZ_EIO, "%s: %s", b->dir,
			       strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!ingest_kanripo_juan_name(de->d_name, &num))
			continue;
		if (b->njuans == cap) {
			cap = cap ? 2 * cap : 128;
			b->juans = xrealloc(b->juans, cap * sizeof(*b->juans));
		}
		memset(&b->juans[b->njuans], 0, sizeof(*b->juans));
		b->juans[b->njuans].name = xstrdup(de->d_name);
		b->juans[b->njuans].num = num;
		b->njuans++;
	}
	closedir(d);
	if (b->njuans > 0)
		qsort(b->juans, b->njuans, sizeof(*b->juans), juan_cmp);
	for (j = 0; j < b->njuans; j++) {
		struct juan *jn = &b->juans[j];
		struct buf p;

		buf_init(&p, NULL);
		buf_addf(&p, "%s/%s", b->dir, jn->name);
		jn->path = buf_detach(&p);
		jn->off = b->all.len;
		if (slurp(jn->path, &b->all, err) < 0)
			return -1;
		/* Files are joined line-wise: a missing last newline is supplied. */
		if (b->all.len > jn->off && b->all.p[b->all.len - 1] != '\n')
			buf_addch(&b->all, '\n');
		jn->len = b->all.len - jn->off;
		scan_juan(b, j);
	}
	return 0;
}

/* Places the pages waiting for a position at the body's current end. */
static void
place_pages(struct kbook *b, struct conv *c)
{
	for (; b->deferred < b->npages; b->deferred++)
		b->pages[b->deferred].pos = c->body->len;
}

/* Before ordinary text: closes a finished note, opens a paragraph, places pages. */
static void
before_text(struct kbook *b, struct conv *c)
{
	if (c->close_pending) {
		buf_addstr(c->body, TEXT_NOTE_CLOSE);
		c->close_pending = 0;
	}
	if (c->para_pending && c->body->len > 0)
		buf_addch(c->body, '\n');
	c->para_pending = 0;
	place_pages(b, c);
}

/*
 * Turns the mandoku lines in [from, to) of the concatenation into body
 * text, recording page starts in b->pages (labels in arena a). The rules,
 * from the corpus README:
 *  - lines starting with '#' are a header, not text;
 *  - <pb:..._010-2a> starts page "010-2a"; its position is the offset of
 *    the next text byte (so a page never starts on a note's closing mark);
 *  - '¶' and line ends vanish: printed lines are joined with nothing
 *    between them, so a sentence reads on across a line, a page and a
 *    抬頭 break (我¶ / 國朝 → 我國朝);
 *  - U+3000 is layout wherever it stands (indentation, and the spacing
 *    inside names such as 岳　濬) and is dropped;
 *  - (a/b) is an interlinear note in two columns read a then b: it becomes
 *    TEXT_NOTE_OPEN a b TEXT_NOTE_CLOSE, without '/' and the ASCII spaces
 *    that pad the columns; a group that follows a group with only layout
 *    (line ends, indentation, page markers) between them continues the
 *    same note, as a note longer than one printed line is printed;
 *  - stray parentheses (a ')' outside a note, a '(' inside one) are note
 *    syntax gone wrong and are dropped;
 *  - paragraphs: the text has no paragraph mark, and a short line may be a
 *    抬頭 break in mid-sentence, so no '\n' is ever guessed from lines. The
 *    only '\n' is at a "#+PROPERTY: JUAN" header inside the span (a new
 *    juan), when text came before it.
 *  - everything else (&KR1220; references, □) is kept as it is.
 */
static void
convert(struct kbook *b, struct conv *c, struct arena *a, size_t from, size_t to)
{
	const char *all = b->all.p;
	size_t ls, le, i, k, label, labellen;
	uint32_t cp;

	for (ls = from; ls < to; ls = le + 1) {
		le = ls;
		while (le < to && all[le] != '\n')
			le++;
		if (all[ls] == '#') {
			if (le - ls >= 16 && memcmp(all + ls, "#+PROPERTY: JUAN", 16) == 0) {
				if (c->in_note)
					c->in_note = 0, c->close_pending = 1;
				if (c->body->len > 0)
					c->para_pending = 1;
			}
			continue;
		}
		for (i = ls; i < le; i += k) {
			if (all[i] == '<' &&
			    (k = page_marker(all + i, le - i, &label, &labellen)) > 0) {
				if (b->npages == b->pagecap) {
					b->pagecap = b->pagecap ? 2 * b->pagecap : 64;
					b->pages = xrealloc(b->pages,
							    b->pagecap * sizeof(*b->pages));
				}
				b->pages[b->npages].pos = c->body->len;
				b->pages[b->npages++].label =
					arena_strndup(a, all + i + label, labellen);
				continue;
			}
			k = utf8_decode(all + i, le - i, &cp);
			if (k == 0) /* only in text outside every entry: copied as is */
				k = 1, cp = (unsigned char)all[i];
			if (cp == PILCROW || cp == IDEO_SPACE || cp == '\r')
				continue;
			if (cp == '(') {
				if (c->in_note)
					continue;
				c->in_note = 1;
				if (c->close_pending && !c->para_pending) {
					c->close_pending = 0; /* the same note, continued */
					place_pages(b, c);
				} else {
					before_text(b, c);
					buf_addstr(c->body, TEXT_NOTE_OPEN);
				}
				continue;
			}
			if (cp == ')') {
				if (c->in_note)
					c->in_note = 0, c->close_pending = 1;
				continue;
			}
			if (c->in_note && (cp == '/' || cp == ' ' || cp == '\t'))
				continue;
			if (c->in_note)
				place_pages(b, c);
			else
				before_text(b, c);
			buf_add(c->body, all + i, k);
		}
	}
}

/* Ends a body: closes an open note and places the pages left over. */
static void
convert_end(struct kbook *b, struct conv *c)
{
	if (c->in_note || c->close_pending)
		buf_addstr(c->body, TEXT_NOTE_CLOSE);
	c->in_note = c->close_pending = c->para_pending = 0;
	place_pages(b, c);
}

/* The juan file holding offset off. */
static size_t
juan_at(const struct kbook *b, size_t off)
{
	size_t j = 0;

	while (j + 1 < b->njuans && b->juans[j + 1].off <= off)
		j++;
	return j;
}

/*
 * Moves end back over header lines that close the span [start, end): they
 * are the next juan's header and belong with the item that follows.
 */
static size_t
trim_headers(const char *all, size_t start, size_t end)
{
	size_t ls;

	while (end > start && all[end - 1] == '\n') {
		ls = end - 1;
		while (ls > start && all[ls - 1] != '\n')
			ls--;
		if (all[ls] != '#')
			break;
		end = ls;
	}
	return end;
}

/*
 * Finds each item's file and page marker and the span of text it owns:
 * from its marker to the next item's marker (less the header lines just
 * before that), the last to the end of the text. Items that cannot be placed are reported and left out.
 */
static void
place_items(struct kbook *b)
{
	size_t i, j, m;
	struct stat st;

	for (i = 0; i < b->nitems; i++) {
		struct item *it = &b->items[i];
		struct buf id;
		const char *why;

		for (j = 0; j < b->njuans; j++)
			if (strcmp(b->juans[j].name, it->file) == 0)
				break;
		if (j == b->njuans) {
			struct buf p;
			buf_init(&p, NULL);
			buf_addf(&p, "%s/%s", b->dir, it->file);
			buf_addf(&b->why, "file \"%s\" named in the table of contents %s", it->file,
				 stat(p.p, &st) == 0 ? "is not a juan file (<ID>_<NNN>.txt)"
						     : "does not exist");
			buf_free(&p);
			kanripo_bad(b, b->readme_path, it->line);
			continue;
		}
		for (m = 0; m < b->nmarkers; m++) {
			const struct marker *mk = &b->markers[m];
			if (mk->juan != j)
				continue;
			if (it->page == NULL || (mk->labellen == strlen(it->page) &&
						 memcmp(b->all.p + mk->label, it->page,
							mk->labellen) == 0))
				break;
		}
		if (m == b->nmarkers) {
			buf_addf(&b->why, "page \"%s\" named in the table of contents is not in %s "
					  "(no <pb:…_%s> marker)",
				 it->page ? it->page : "", it->file, it->page ? it->page : "");
			kanripo_bad(b, b->readme_path, it->line);
			continue;
		}
		if (it->page == NULL)
			it->page = xstrndup(b->all.p + b->markers[m].label, b->markers[m].labellen);
		buf_init(&id, NULL);
		buf_addf(&id, "%s/%s", b->id, it->page);
		why = ingest_id_problem(id.p, 0);
		if (why != NULL) {
			buf_addf(&b->why, "entry id \"%s\" %s", id.p, why);
			buf_free(&id);
			kanripo_bad(b, b->readme_path, it->line);
			continue;
		}
		buf_free(&id);
		if (it->title[0] == '\0') {
			buf_addstr(&b->why, "table of contents item has no title");
			kanripo_bad(b, b->readme_path, it->line);
			continue;
		}
		for (j = 0; j < i; j++)
			if (b->items[j].ok && b->items[j].start == b->markers[m].off)
				break;
		if (j < i) {
			buf_addf(&b->why, "page \"%s\" of %s already starts the item on line %ld",
				 it->page, it->file, b->items[j].line);
			kanripo_bad(b, b->readme_path, it->line);
			continue;
		}
		it->ok = 1;
		it->juan = b->markers[m].juan;
		it->start = b->markers[m].off;
		it->src_line = b->markers[m].line;
	}
	for (i = 0; i < b->nitems; i++) {
		if (!b->items[i].ok)
			continue;
		b->items[i].end = b->all.len;
		for (j = 0; j < b->nitems; j++)
			if (b->items[j].ok && b->items[j].start > b->items[i].start &&
			    b->items[j].start < b->items[i].end)
				b->items[i].end = b->items[j].start;
		b->items[i].end = trim_headers(b->all.p, b->items[i].start, b->items[i].end);
	}
}

/*
 * Builds and emits the entries in the order of the table of contents.
 * Returns -1 when emit fails (its err), else 0.
 */
static int
emit_items(struct kbook *b, const struct ingest_meta *meta, struct fz_err *err)
{
	struct fz_book book = {0};
	struct arena a;
	size_t i, j, first = (size_t)-1;
	long emitted = 0;
	int rc = 0;

	book.id = b->id;
	book.title = meta && meta->book_title ? meta->book_title : b->title;
	book.edition = kanripo_edition_name(b);
	book.kind = meta && meta->kind ? meta->kind : "旧志";
	book.region = meta ? meta->region : NULL;
	book.region_code = meta ? meta->region_code : NULL;
	arena_init(&a, 0);

	for (i = 0; i < b->nitems; i++)
		if (b->items[i].ok && (first == (size_t)-1 || b->items[i].start < first))
			first = b->items[i].start;
	if (first != (size_t)-1 && first > 0) {
		/* Text before the first item would belong to no entry: say so. */
		struct conv c = {0};
		struct buf body;
		buf_init(&body, &a);
		c.body = &body;
		convert(b, &c, &a, 0, first);
		if (body.len > 0) {
			j = juan_at(b, 0);
			buf_addstr(&b->why, "text before the first item of the table of contents "
					    "is in no entry");
			kanripo_bad(b, b->juans[j].path, 1);
		}
		b->npages = b->deferred = 0;
		arena_reset(&a);
	}

	for (i = 0; i < b->nitems && rc == 0; i++) {
		struct item *it = &b->items[i];
		struct fz_record r;
		struct conv c = {0};
		struct buf body;

		if (!it->ok)
			continue;
		for (j = juan_at(b, it->start); j < b->njuans && b->juans[j].off < it->end; j++)
			if (b->juans[j].bad_line != 0)
				break;
		if (j < b->njuans && b->juans[j].off < it->end) {
			buf_addf(&b->why, "item \"%s\" not imported: %s line %ld is not valid UTF-8",
				 it->title, b->juans[j].name, b->juans[j].bad_line);
			kanripo_bad(b, b->readme_path, it->line);
			continue;
		}
		buf_init(&body, &a);
		c.body = &body;
		b->npages = b->deferred = 0;
		convert(b, &c, &a, it->start, it->end);
		convert_end(b, &c);

		memset(&r, 0, sizeof(r));
		r.id = arena_printf(&a, "%s/%s", b->id, it->page);
		r.title = it->title;
		r.body = body.p;
		r.book = book;
		r.order = (long)i;
		r.pages = b->pages;
		r.npages = b->npages;
		r.source_file = b->juans[it->juan].path;
		r.source_line = it->src_line;
		r.source_page = it->page;
		r.raw = b->all.p + it->start;
		r.rawlen = it->end - it->start;
		if (b->sink->emit(b->sink->ctx, &r, err) != 0)
			rc = -1;
		emitted++;
		if (b->sink->progress != NULL)
			b->sink->progress(b->sink->ctx, emitted, it->end, b->all.len);
		arena_reset(&a);
	}
	arena_free(&a);
	return rc;
}

/* The last component of a path, without trailing slashes, as a heap string. */
static char *
base_name(const char *path)
{
	size_t len = strlen(path), s;

	while (len > 1 && path[len - 1] == '/')
		len--;
	s = len;
	while (s > 0 && path[s - 1] != '/')
		s--;
	return xstrndup(path + s, len - s);
}

/*
 * The importer: reads Readme.org for the table of contents, loads every
 * juan file, and emits one entry per item. A missing Readme.org, an item
 * naming a missing file or page, and text that is not UTF-8 are reported
 * through sink->bad; -1 with err only when the directory or a file cannot
 * be read, or emit fails.
 */
int
ingest_kanripo(const char *dir, const struct ingest_meta *meta, struct ingest_sink *sink,
	       struct fz_err *err)
{
	struct kbook b = {0};
	struct buf readme, p;
	struct stat st;
	const char *why;
	size_t i;
	int rc = -1;

	b.dir = dir;
	b.sink = sink;
	buf_init(&b.all, NULL);
	buf_init(&b.why, NULL);
	buf_init(&readme, NULL);
	buf_init(&p, NULL);
	if (stat(dir, &st) != 0)
		return fz_fail(err, errno == ENOENT ? FZ_ENOTFOUND : FZ_EIO, "%s: %s", dir,
			       strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return fz_fail(err, FZ_EINPUT, "%s: not a directory (a Kanseki Repository book "
					       "is a directory with Readme.org and <ID>_<NNN>.txt)",
			       dir);
	buf_addf(&p, "%s/Readme.org", dir);
	b.readme_path = buf_detach(&p);
	if (stat(b.readme_path, &st) != 0 && errno == ENOENT) {
		buf_addstr(&b.why, "Readme.org is missing: without its table of contents the "
				   "book cannot be divided into entries");
		kanripo_bad(&b, b.readme_path, 0);
		rc = 0;
		goto out;
	}
	if (slurp(b.readme_path, &readme, err) < 0)
		goto out;
	kanripo_read_readme(&b, readme.p, readme.len);
	if (load_juans(&b, err) < 0)
		goto out;
	for (i = 0; i < b.njuans; i++) {
		if (b.juans[i].bad_line == 0)
			continue;
		buf_addf(&b.why, "invalid UTF-8 at byte %zu", b.juans[i].bad_byte);
		kanripo_bad(&b, b.juans[i].path, b.juans[i].bad_line);
	}

	if (b.id == NULL)
		b.id = b.readme_id ? xstrdup(b.readme_id) : base_name(dir);
	if ((why = ingest_id_problem(b.id, 1)) != NULL) {
		buf_addf(&b.why, "book id \"%s\" %s", b.id, why);
		kanripo_bad(&b, b.readme_path, 0);
		rc = 0;
		goto out;
	}
	if (b.title == NULL && b.readme_title != NULL) {
		/* Readme.org's title carries the edition: 山東通志 / WYG. */
		char *slash = strstr(b.readme_title, " / ");
		if (slash != NULL)
			*slash = '\0';
		b.title = xstrdup(b.readme_title);
	}
	if (b.title == NULL)
		b.title = xstrdup(b.id);
	if (b.nitems == 0) {
		buf_addstr(&b.why, "Readme.org has no table of contents items "
				   "([[file:NAME.txt::PAGE][TITLE]])");
		kanripo_bad(&b, b.readme_path, 0);
		rc = 0;
		goto out;
	}
	place_items(&b);
	rc = emit_items(&b, meta, err);
out:
	for (i = 0; i < b.nitems; i++) {
		free(b.items[i].file);
		free(b.items[i].page);
		free(b.items[i].title);
	}
	for (i = 0; i < b.njuans; i++) {
		free(b.juans[i].name);
		free(b.juans[i].path);
	}
	for (i = 0; i < b.neditions; i++)
		free(b.editions[i]);
	free(b.editions);
	free(b.items);
	free(b.juans);
	free(b.markers);
	free(b.pages);
	free(b.id);
	free(b.title);
	free(b.readme_title);
	free(b.readme_id);
	free(b.baseedition);
	free(b.readme_path);
	buf_free(&b.all);
	buf_free(&b.why);
	buf_free(&readme);
	return rc;
}
