/* detect.c: which importer a path given to `import` calls for */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "ingest.h"

/* What the error message lists; extend it with each new importer. */
#define FORMATS_KNOWN                                                                   \
	"fangzhi imports JSON Lines files (*.jsonl, *.ndjson, *.json) and Kanseki "     \
	"Repository book directories (Readme.org with <ID>_<NNN>.txt files)"

/* 1 if name ends with suffix, ignoring ASCII case. */
static int
ends_with(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);

	return n > k && strcasecmp(name + n - k, suffix) == 0;
}

/*
 * 1 if dir is a Kanseki Repository book: it holds Readme.org and at least
 * one juan file. *why (a constant) says what is missing otherwise.
 */
static int
is_kanripo(const char *dir, const char **why)
{
	struct buf p;
	struct stat st;
	struct dirent *de;
	DIR *d;
	int readme, juan = 0;

	buf_init(&p, NULL);
	buf_addf(&p, "%s/Readme.org", dir);
	readme = stat(p.p, &st) == 0 && S_ISREG(st.st_mode);
	buf_free(&p);
	d = opendir(dir);
	if (d != NULL) {
		while (!juan && (de = readdir(d)) != NULL)
			juan = ingest_kanripo_juan_name(de->d_name, NULL);
		closedir(d);
	}
	if (readme && juan)
		return 1;
	*why = !readme && !juan ? "it has neither Readme.org nor <ID>_<NNN>.txt files"
	       : !readme        ? "it has <ID>_<NNN>.txt files but no Readme.org"
				: "it has Readme.org but no <ID>_<NNN>.txt files";
	return 0;
}

/*
 * Decides by the path alone (and a directory's listing), never by reading
 * a whole file. New importers (WARC files, saved site directories) add
 * their test here, before the error at the end.
 */
int
ingest_detect(const char *path, enum ingest_format *out, struct fz_err *err)
{
	struct stat st;
	const char *why = NULL;

	if (stat(path, &st) != 0)
		return fz_fail(err, errno == ENOENT ? FZ_ENOTFOUND : FZ_EIO, "%s: %s", path,
			       strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		if (is_kanripo(path, &why)) {
			*out = INGEST_KANRIPO;
			return 0;
		}
		return fz_fail(err, FZ_EINPUT, "%s: a directory, but not a book this program "
					       "knows: %s; " FORMATS_KNOWN,
			       path, why);
	}
	if (ends_with(path, ".jsonl") || ends_with(path, ".ndjson") ||
	    ends_with(path, ".json")) {
		*out = INGEST_JSONL;
		return 0;
	}
	return fz_fail(err, FZ_EINPUT, "%s: format not recognised; " FORMATS_KNOWN, path);
}
