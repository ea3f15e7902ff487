/* bag_verify.c: validating a BagIt bag (RFC 8493), ours or anyone's */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "export.h"

#define MAX_MANIFESTS 16 /* one bit each in struct listed */

/* A path named by the payload manifests, and by which of them. */
struct listed {
	char *path;       /* relative to the bag, decoded */
	unsigned in;      /* bit i: listed in payload manifest i */
	int seen;         /* found on disk under data/ */
};

/* Everything one validation shares. */
struct bv {
	const char *dir;
	struct verify_sink *sink;
	struct bag_result *out;
	struct listed *tab;   /* open addressing, cap a power of two */
	size_t cap, n;
	char alg[MAX_MANIFESTS][16];
	int nman;
	struct buf path;      /* scratch */
};

static void problem(struct bv *v, const char *file, const char *expected, const char *found,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void
problem(struct bv *v, const char *file, const char *expected, const char *found,
	const char *fmt, ...)
{
	struct fz_problem p = { "bag", file, NULL, expected, found };
	struct buf what;
	va_list ap;

	buf_init(&what, NULL);
	va_start(ap, fmt);
	buf_vaddf(&what, fmt, ap);
	va_end(ap);
	p.what = what.p;
	v->out->problems++;
	if (v->sink->problem != NULL)
		v->sink->problem(v->sink->ctx, &p);
	buf_free(&what);
}

static size_t
hash_str(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

/* The slot for path: where it is, or the empty slot where it would go. */
static struct listed *
slot(struct bv *v, const char *path)
{
	size_t i = hash_str(path) & (v->cap - 1);

	while (v->tab[i].path != NULL && strcmp(v->tab[i].path, path) != 0)
		i = (i + 1) & (v->cap - 1);
	return &v->tab[i];
}

static struct listed *
listed_get(struct bv *v, const char *path, int add)
{
	struct listed *l, *old;
	size_t i, oldcap;

	if (v->cap == 0 || (add && 2 * (v->n + 1) > v->cap)) {
		old = v->tab;
		oldcap = v->cap;
		v->cap = v->cap ? 2 * v->cap : 1024;
		v->tab = xcalloc(v->cap, sizeof(*v->tab));
		for (i = 0; i < oldcap; i++)
			if (old[i].path != NULL)
				*slot(v, old[i].path) = old[i];
		free(old);
	}
	l = slot(v, path);
	if (l->path == NULL && add) {
		l->path = xstrdup(path);
		v->n++;
	}
	return l->path != NULL ? l : NULL;
}

/*
 * The digest of a file with the named algorithm (md5, sha1, sha256, sha512,
 * ...), as lowercase hex, read in chunks. -1 with err when it cannot be read.
 */
int
export_hash_file(const char *path, const char *alg, char *hex, size_t hexcap,
		 long long *len, struct fz_err *err)
{
	static const char d[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE], *chunk;
	const EVP_MD *type = EVP_get_digestbyname(alg);
	EVP_MD_CTX *ctx;
	unsigned int n = 0, i;
	size_t got;
	FILE *f;

	if (type == NULL)
		return fz_fail(err, FZ_EINPUT, "unknown digest algorithm \"%s\"", alg);
	if ((f = fopen(path, "rb")) == NULL)
		return fz_fail(err, errno == ENOENT ? FZ_ENOTFOUND : FZ_EIO, "%s: %s", path,
			       strerror(errno));
	chunk = xmalloc(1 << 16);
	ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, type, NULL);
	*len = 0;
	while ((got = fread(chunk, 1, 1 << 16, f)) > 0) {
		EVP_DigestUpdate(ctx, chunk, got);
		*len += (long long)got;
	}
	if (ferror(f)) {
		fz_fail(err, FZ_EIO, "%s: %s", path, strerror(errno));
		fclose(f);
		free(chunk);
		EVP_MD_CTX_free(ctx);
		return -1;
	}
	fclose(f);
	free(chunk);
	EVP_DigestFinal_ex(ctx, md, &n);
	EVP_MD_CTX_free(ctx);
	for (i = 0; i < n && 2 * i + 2 < hexcap; i++) {
		hex[2 * i] = d[md[i] >> 4];
		hex[2 * i + 1] = d[md[i] & 15];
	}
	hex[2 * i] = '\0';
	return 0;
}

/* Removes a directory tree we made (a half-written export). */
void
export_remove_tree(const char *path)
{
	struct dirent *de;
	struct stat sb;
	struct buf p;
	DIR *d;

	if (lstat(path, &sb) != 0)
		return;
	if (!S_ISDIR(sb.st_mode)) {
		unlink(path);
		return;
	}
	if ((d = opendir(path)) != NULL) {
		buf_init(&p, NULL);
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			buf_reset(&p);
			buf_addf(&p, "%s/%s", path, de->d_name);
			export_remove_tree(p.p);
		}
		buf_free(&p);
		closedir(d);
	}
	rmdir(path);
}

/* Reads a whole small tag file; NULL when absent. Caller frees. */
static char *
slurp(const char *path, size_t *len)
{
	struct buf b;
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return NULL;
	buf_init(&b, NULL);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	*len = b.len;
	if (b.cap == 0)
		return xstrdup("");
	return buf_detach(&b);
}

/* Next line of a tag file (LF, CRLF or CR end it); NULL at the end. The
 * line is cut in place. */
static char *
next_line(char **cur, char *end)
{
	char *s = *cur, *p;

	if (s >= end)
		return NULL;
	for (p = s; p < end && *p != '\n' && *p != '\r'; p++)
		;
	if (p < end && *p == '\r' && p + 1 < end && p[1] == '\n')
		*p++ = '\0';
	if (p < end)
		*p++ = '\0';
	*cur = p;
	return s;
}

/* A manifest's path: %0A %0D %25 decoded (RFC 8493, 2.1.3); NULL when it
 * would leave the bag. */
static char *
decode_path(const char *s)
{
	struct buf b;
	const char *seg;

	buf_init(&b, NULL);
	for (; *s; s++) {
		if (s[0] == '%' && s[1] == '0' && (s[2] == 'A' || s[2] == 'a'))
			buf_addch(&b, '\n'), s += 2;
		else if (s[0] == '%' && s[1] == '0' && (s[2] == 'D' || s[2] == 'd'))
			buf_addch(&b, '\r'), s += 2;
		else if (s[0] == '%' && s[1] == '2' && s[2] == '5')
			buf_addch(&b, '%'), s += 2;
		else
			buf_addch(&b, *s);
	}
	if (b.len == 0 || b.p[0] == '/') {
		buf_free(&b);
		return NULL;
	}
	for (seg = b.p; seg != NULL; seg = strchr(seg, '/') ? strchr(seg, '/') + 1 : NULL) {
		if (strncmp(seg, "../", 3) == 0 || strcmp(seg, "..") == 0) {
			buf_free(&b);
			return NULL;
		}
	}
	return buf_detach(&b);
}

/*
 * One manifest (payload or tag): every line is "digest whitespace path";
 * each file must exist and have that digest. Payload manifests record what
 * they list, so that files on disk no manifest names are found after.
 */
static void
check_manifest(struct bv *v, const char *name, const char *alg, int idx, int payload)
{
	char *text, *cur, *end, *line, *path, *sp;
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	struct fz_err err;
	long long len;
	size_t tlen, lineno = 0;

	buf_reset(&v->path);
	buf_addf(&v->path, "%s/%s", v->dir, name);
	if ((text = slurp(v->path.p, &tlen)) == NULL) {
		problem(v, name, NULL, NULL, "cannot be read");
		return;
	}
	cur = text;
	end = text + tlen;
	while ((line = next_line(&cur, end)) != NULL) {
		lineno++;
		if (*line == '\0')
			continue;
		for (sp = line; *sp && *sp != ' ' && *sp != '\t'; sp++)
			;
		path = sp;
		while (*path == ' ' || *path == '\t')
			path++;
		if (*sp == '\0' || *path == '\0') {
			problem(v, name, "digest and path", line, "line %zu is not \"digest path\"", lineno);
			continue;
		}
		*sp = '\0';
		if ((path = decode_path(path)) == NULL) {
			problem(v, name, NULL, NULL, "line %zu names a path outside the bag", lineno);
			continue;
		}
		if (payload != (strncmp(path, "data/", 5) == 0)) {
			problem(v, path, NULL, NULL, payload ? "%s lists a file outside data/"
						      : "%s lists a payload file", name);
		} else if (payload) {
			struct listed *l = listed_get(v, path, 1);
			if (l->in & (1u << idx))
				problem(v, path, NULL, NULL, "%s lists it twice", name);
			l->in |= 1u << idx;
		}
		buf_reset(&v->path);
		buf_addf(&v->path, "%s/%s", v->dir, path);
		if (export_hash_file(v->path.p, alg, hex, sizeof(hex), &len, &err) < 0) {
			problem(v, path, "a file", "none", "listed in %s but missing", name);
		} else if (strcasecmp(hex, line) != 0) {
			problem(v, path, line, hex, "the digest (%s) is not the one %s gives", alg, name);
		}
		if (payload && v->sink->progress != NULL && lineno % 256 == 0)
			v->sink->progress(v->sink->ctx, name, (long long)lineno, 0);
		free(path);
	}
	free(text);
}

/* Every file under data/ must be in every payload manifest. */
static void
walk_payload(struct bv *v, const char *rel)
{
	struct dirent *de;
	struct stat sb;
	struct buf full, sub;
	DIR *d;
	int i;

	buf_init(&full, NULL);
	buf_init(&sub, NULL);
	buf_addf(&full, "%s/%s", v->dir, rel);
	if ((d = opendir(full.p)) == NULL) {
		problem(v, rel, NULL, NULL, "cannot be read: %s", strerror(errno));
		buf_free(&full);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		buf_reset(&sub);
		buf_addf(&sub, "%s/%s", rel, de->d_name);
		buf_reset(&full);
		buf_addf(&full, "%s/%s", v->dir, sub.p);
		if (lstat(full.p, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode)) {
			walk_payload(v, sub.p);
		} else if (!S_ISREG(sb.st_mode)) {
			problem(v, sub.p, "a regular file", NULL, "is not a regular file");
		} else {
			struct listed *l = listed_get(v, sub.p, 0);
			for (i = 0; i < v->nman; i++)
				if (l == NULL || !(l->in & (1u << i)))
					problem(v, sub.p, NULL, NULL,
						"is in the payload but not in manifest-%s.txt",
						v->alg[i]);
			if (l != NULL)
				l->seen = 1;
			v->out->files++;
			v->out->bytes += (long long)sb.st_size;
		}
	}
	closedir(d);
	buf_free(&full);
	buf_free(&sub);
}

/* bagit.txt: exactly the version and the encoding, nothing else. */
static void
check_declaration(struct bv *v)
{
	char *text, *cur, *line;
	size_t len;
	int ok = 0, lines = 0;

	buf_reset(&v->path);
	buf_addf(&v->path, "%s/bagit.txt", v->dir);
	if ((text = slurp(v->path.p, &len)) == NULL) {
		problem(v, "bagit.txt", "a file", "none", "the bag declaration is missing");
		return;
	}
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		problem(v, "bagit.txt", NULL, NULL, "starts with a byte order mark");
	cur = text;
	while ((line = next_line(&cur, text + len)) != NULL) {
		lines++;
		if (strncmp(line, "BagIt-Version: ", 15) == 0 && lines == 1) {
			snprintf(v->out->version, sizeof(v->out->version), "%s", line + 15);
			ok |= 1;
		} else if (strncmp(line, "Tag-File-Character-Encoding: ", 29) == 0 && lines == 2) {
			ok |= 2;
		}
	}
	if (ok != 3 || lines != 2)
		problem(v, "bagit.txt", "BagIt-Version and Tag-File-Character-Encoding", NULL,
			"is not a bag declaration");
	free(text);
}

/* bag-info.txt: "Label: value" lines (continued by indented lines); the
 * Payload-Oxum, when given, must count the payload. */
static void
check_info(struct bv *v)
{
	char *text, *cur, *line, got[64];
	size_t len, lineno = 0;

	buf_reset(&v->path);
	buf_addf(&v->path, "%s/bag-info.txt", v->dir);
	if ((text = slurp(v->path.p, &len)) == NULL)
		return; /* optional */
	cur = text;
	while ((line = next_line(&cur, text + len)) != NULL) {
		lineno++;
		if (*line == ' ' || *line == '\t' || *line == '\0')
			continue;
		if (strchr(line, ':') == NULL)
			problem(v, "bag-info.txt", "Label: value", line, "line %zu has no label", lineno);
		else if (strncmp(line, "Payload-Oxum:", 13) == 0) {
			snprintf(got, sizeof(got), "%lld.%ld", v->out->bytes, v->out->files);
			const char *want = line + 13;
			while (*want == ' ' || *want == '\t')
				want++;
			if (strcmp(want, got) != 0)
				problem(v, "bag-info.txt", want, got,
					"Payload-Oxum (bytes.files) does not count the payload");
		}
	}
	free(text);
}

/* fetch.txt: a bag whose listed files are not all here is incomplete. */
static void
check_fetch(struct bv *v)
{
	char *text, *cur, *line, *path;
	size_t len;
	struct stat sb;

	buf_reset(&v->path);
	buf_addf(&v->path, "%s/fetch.txt", v->dir);
	if ((text = slurp(v->path.p, &len)) == NULL)
		return;
	cur = text;
	while ((line = next_line(&cur, text + len)) != NULL) {
		char *p = line;
		int field;
		for (field = 0; field < 2 && *p; field++) {
			p += strcspn(p, " \t");
			p += strspn(p, " \t");
		}
		if (*p == '\0' || (path = decode_path(p)) == NULL)
			continue;
		buf_reset(&v->path);
		buf_addf(&v->path, "%s/%s", v->dir, path);
		if (stat(v->path.p, &sb) != 0)
			problem(v, path, "a file", "none",
				"the bag is incomplete: fetch.txt lists it and it is not here");
		free(path);
	}
	free(text);
}

/* The algorithm in "manifest-ALG.txt" or "tagmanifest-ALG.txt", or NULL. */
static const char *
manifest_alg(const char *name, const char *prefix, char *alg, size_t cap)
{
	size_t plen = strlen(prefix), len = strlen(name);

	if (len <= plen + 4 || strncmp(name, prefix, plen) != 0 ||
	    strcmp(name + len - 4, ".txt") != 0 || len - plen - 4 >= cap)
		return NULL;
	memcpy(alg, name + plen, len - plen - 4);
	alg[len - plen - 4] = '\0';
	return alg;
}

/*
 * Validates the bag at dir per RFC 8493: the declaration; every payload
 * manifest (at least one) lists every payload file with the right digest,
 * and no file it lists is missing; every tag manifest's files are there
 * with their digests; fetch.txt's files are present; Payload-Oxum counts
 * the payload. Each failure goes to the sink; -1 only when dir cannot be
 * read at all.
 */
int
bagit_verify(const char *dir, struct verify_sink *sink, struct bag_result *out,
	     struct fz_err *err)
{
	struct bv v = { 0 };
	struct dirent *de;
	char alg[16], names[MAX_MANIFESTS][256];
	int ntag = 0, i;
	struct stat sb;
	size_t k;
	DIR *d;

	memset(out, 0, sizeof(*out));
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return fz_fail(err, FZ_ENOTFOUND, "%s: not a directory", dir);
	if ((d = opendir(dir)) == NULL)
		return fz_fail(err, FZ_EIO, "%s: %s", dir, strerror(errno));
	v.dir = dir;
	v.sink = sink;
	v.out = out;
	buf_init(&v.path, NULL);
	check_declaration(&v);
	while ((de = readdir(d)) != NULL) {
		if (manifest_alg(de->d_name, "manifest-", alg, sizeof(alg)) != NULL) {
			if (v.nman == MAX_MANIFESTS || EVP_get_digestbyname(alg) == NULL) {
				problem(&v, de->d_name, NULL, NULL,
					"uses an algorithm this validator does not know");
				continue;
			}
			snprintf(v.alg[v.nman++], sizeof(v.alg[0]), "%s", alg);
		} else if (manifest_alg(de->d_name, "tagmanifest-", alg, sizeof(alg)) != NULL &&
			   ntag < MAX_MANIFESTS) {
			snprintf(names[ntag++], sizeof(names[0]), "%s", de->d_name);
		}
	}
	closedir(d);
	buf_reset(&v.path);
	buf_addf(&v.path, "%s/data", dir);
	if (stat(v.path.p, &sb) != 0 || !S_ISDIR(sb.st_mode))
		problem(&v, "data", "a directory", "none", "the payload directory is missing");
	if (v.nman == 0)
		problem(&v, "manifest-ALG.txt", "a payload manifest", "none",
			"the bag has no payload manifest");
	for (i = 0; i < v.nman; i++) {
		char name[64];
		snprintf(name, sizeof(name), "manifest-%s.txt", v.alg[i]);
		check_manifest(&v, name, v.alg[i], i, 1);
		snprintf(out->algs + strlen(out->algs), sizeof(out->algs) - strlen(out->algs),
			 "%s%s", i ? " " : "", v.alg[i]);
	}
	for (i = 0; i < ntag; i++) {
		manifest_alg(names[i], "tagmanifest-", alg, sizeof(alg));
		if (EVP_get_digestbyname(alg) == NULL)
			problem(&v, names[i], NULL, NULL,
				"uses an algorithm this validator does not know");
		else
			check_manifest(&v, names[i], alg, 0, 0);
	}
	buf_reset(&v.path);
	buf_addf(&v.path, "%s/data", dir);
	if (stat(v.path.p, &sb) == 0 && S_ISDIR(sb.st_mode))
		walk_payload(&v, "data");
	check_info(&v);
	check_fetch(&v);
	for (k = 0; k < v.cap; k++)
		free(v.tab[k].path);
	free(v.tab);
	buf_free(&v.path);
	return 0;
}
