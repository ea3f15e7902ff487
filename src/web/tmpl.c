/* tmpl.c: a tiny template engine: {{name}} escaped, {{>name}} a fragment */
#include <stdlib.h>
#include <string.h>

#include "web_int.h"

struct seg {
	int kind;         /* SEG_* */
	const char *p;    /* literal bytes, or the variable's name */
	size_t len;
};
enum { SEG_LIT, SEG_TEXT, SEG_HTML };

struct tmpl {
	struct seg *segs;
	size_t nsegs;
};

static const char *const tmpl_file[TMPL__MAX] = {
	[TMPL_LAYOUT] = "templates/layout.html",
	[TMPL_HOME] = "templates/home.html",
	[TMPL_BROWSE] = "templates/browse.html",
	[TMPL_BOOK] = "templates/book.html",
	[TMPL_ENTRY] = "templates/entry.html",
	[TMPL_SEARCH] = "templates/search.html",
	[TMPL_ABOUT] = "templates/about.html",
	[TMPL_ERROR] = "templates/error.html",
};

static struct tmpl tmpls[TMPL__MAX]; /* parsed once at start, read-only after */

const struct embedded_file *
embedded_find(const char *name)
{
	const struct embedded_file *f;

	for (f = embedded_files; f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

static int
name_ok(const char *p, size_t len)
{
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') || p[i] == '_'))
			return 0;
	return 1;
}

/*
 * Splits one embedded template into literal runs and variables, so that
 * rendering is a walk over segments. A malformed tag is a build mistake of
 * ours, reported at start-up (the server then refuses to run) rather than
 * shown to readers.
 */
static int
parse(const char *file, const char *s, size_t len, struct tmpl *t, struct fz_err *err)
{
	size_t i = 0, cap = 16;

	t->segs = xmalloc(cap * sizeof(*t->segs));
	t->nsegs = 0;
	while (i < len) {
		const char *open = memmem(s + i, len - i, "{{", 2);
		size_t lit_end = open ? (size_t)(open - s) : len;
		struct seg sg[2];
		size_t nsg = 0, k;

		if (lit_end > i)
			sg[nsg++] = (struct seg){ SEG_LIT, s + i, lit_end - i };
		i = lit_end;
		if (open != NULL) {
			const char *close = memmem(open + 2, len - (size_t)(open + 2 - s), "}}", 2);
			const char *name = open + 2;
			int kind = SEG_TEXT;

			if (close == NULL)
				return fz_fail(err, FZ_EINTERNAL, "%s: unclosed {{", file);
			if (*name == '>') {
				kind = SEG_HTML;
				name++;
			}
			if (!name_ok(name, (size_t)(close - name)))
				return fz_fail(err, FZ_EINTERNAL, "%s: bad tag {{%.*s}}", file,
					       (int)(close - open - 2), open + 2);
			sg[nsg++] = (struct seg){ kind, name, (size_t)(close - name) };
			i = (size_t)(close + 2 - s);
		}
		for (k = 0; k < nsg; k++) {
			if (t->nsegs == cap) {
				cap *= 2;
				t->segs = xrealloc(t->segs, cap * sizeof(*t->segs));
			}
			t->segs[t->nsegs++] = sg[k];
		}
	}
	return 0;
}

/* Parses every page kind's template once at start; the parsed forms are
 * read-only while serving, so threads share them without locks. */
int
tmpl_load_all(struct fz_err *err)
{
	int i;

	for (i = 0; i < TMPL__MAX; i++) {
		const struct embedded_file *f = embedded_find(tmpl_file[i]);
		if (f == NULL)
			return fz_fail(err, FZ_EINTERNAL, "template %s is not embedded", tmpl_file[i]);
		if (parse(f->name, (const char *)f->data, f->len, &tmpls[i], err) < 0)
			return -1;
	}
	return 0;
}

void
tmpl_free_all(void)
{
	int i;

	for (i = 0; i < TMPL__MAX; i++) {
		free(tmpls[i].segs);
		tmpls[i].segs = NULL;
		tmpls[i].nsegs = 0;
	}
}

/*
 * Renders template id with vars into out. A variable the page did not pass
 * renders as nothing: pages pass what they have, and a missing optional
 * part (an author, a table of contents) simply is not there.
 */
void
tmpl_render(enum tmpl_id id, const struct tmpl_var *vars, size_t nvars, struct html *out)
{
	const struct tmpl *t = &tmpls[id];
	size_t i, k;

	for (i = 0; i < t->nsegs; i++) {
		const struct seg *sg = &t->segs[i];

		if (sg->kind == SEG_LIT) {
			buf_add(&out->b, sg->p, sg->len);
			continue;
		}
		for (k = 0; k < nvars; k++) {
			if (strncmp(vars[k].name, sg->p, sg->len) != 0 || vars[k].name[sg->len] != '\0')
				continue;
			if (sg->kind == SEG_HTML && vars[k].html != NULL)
				html_frag(out, vars[k].html);
			else if (sg->kind == SEG_TEXT)
				html_text(out, vars[k].text);
			break;
		}
	}
}
