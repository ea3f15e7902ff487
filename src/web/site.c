/* site.c: the site's identity and about text (fangzhi serve --site FILE) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web_int.h"

#define SITE_FILE_MAX (256 * 1024)

/* The reference page's identity. */
static const char def_name[] = "山东地方志资料归档";
static const char def_brand[] = "山东地情档案";
static const char def_description[] = "停运省级地情数据库的公开镜像与长期存档";

static char *
trimdup(const char *s, size_t len)
{
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	return xstrndup(s, len);
}

static void
set(char **field, char *value)
{
	free(*field);
	*field = value;
}

/*
 * Reads the whole site file. Its head is "key: value" lines (name, brand,
 * description, contact, licence, base_url; '#' starts a comment line); a
 * blank line ends the head and the rest is the about text. An unknown key
 * is an error, so a typo does not silently leave the default in place.
 */
static int
parse_file(const char *path, struct site *s, struct fz_err *err)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[4096];
	size_t n, lineno = 0;
	const char *p, *end;

	if (f == NULL)
		return fz_fail(err, FZ_EIO, "%s: %s", path, strerror(errno));
	buf_init(&b, NULL);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf_add(&b, chunk, n);
		if (b.len > SITE_FILE_MAX) {
			fclose(f);
			buf_free(&b);
			return fz_fail(err, FZ_EINPUT, "%s: larger than %d bytes", path, SITE_FILE_MAX);
		}
	}
	fclose(f);
	if (!utf8_valid(b.p, b.len, NULL)) {
		buf_free(&b);
		return fz_fail(err, FZ_EINPUT, "%s: not valid UTF-8", path);
	}
	p = b.p;
	end = b.p + b.len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *colon;
		size_t klen;

		lineno++;
		if (le == p || (le == p + 1 && *p == '\r')) { /* blank: the about text follows */
			p = le + (nl != NULL);
			break;
		}
		if (*p == '#')
			goto next;
		colon = memchr(p, ':', (size_t)(le - p));
		if (colon == NULL) {
			fz_fail(err, FZ_EINPUT, "%s:%zu: expected \"key: value\"", path, lineno);
			goto fail;
		}
		klen = (size_t)(colon - p);
#define KEY(k) (klen == sizeof(k) - 1 && memcmp(p, k, klen) == 0)
		if (KEY("name"))
			set(&s->name, trimdup(colon + 1, (size_t)(le - colon - 1)));
		else if (KEY("brand"))
			set(&s->brand, trimdup(colon + 1, (size_t)(le - colon - 1)));
		else if (KEY("description"))
			set(&s->description, trimdup(colon + 1, (size_t)(le - colon - 1)));
		else if (KEY("contact"))
			set(&s->contact, trimdup(colon + 1, (size_t)(le - colon - 1)));
		else if (KEY("licence") || KEY("license"))
			set(&s->licence, trimdup(colon + 1, (size_t)(le - colon - 1)));
		else if (KEY("base_url"))
			set(&s->base_url, trimdup(colon + 1, (size_t)(le - colon - 1)));
		else {
			fz_fail(err, FZ_EINPUT,
				"%s:%zu: unknown key \"%.*s\" (known: name, brand, description, "
				"contact, licence, base_url)", path, lineno, (int)klen, p);
			goto fail;
		}
#undef KEY
	next:
		p = le + (nl != NULL);
	}
	if (p < end) {
		char *about = trimdup(p, (size_t)(end - p));
		if (*about)
			set(&s->about, about);
		else
			free(about);
	}
	if (!*s->name || !*s->brand) {
		fz_fail(err, FZ_EINPUT, "%s: name and brand may not be empty", path);
		goto fail;
	}
	buf_free(&b);
	return 0;
fail:
	buf_free(&b);
	return -1;
}

int
site_load(const char *path, struct site *s, struct fz_err *err)
{
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(def_name);
	s->brand = xstrdup(def_brand);
	s->description = xstrdup(def_description);
	if (path != NULL && parse_file(path, s, err) < 0) {
		site_free(s);
		return -1;
	}
	return 0;
}

void
site_free(struct site *s)
{
	free(s->name);
	free(s->brand);
	free(s->description);
	free(s->contact);
	free(s->licence);
	free(s->about);
	free(s->base_url);
	memset(s, 0, sizeof(*s));
}
