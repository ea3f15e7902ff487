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
	"Repository book directories (Readme.org with <ID>_<NNN>.txt files), and "      \
	"crawls of lib.sdsqw.cn: WARC files (*.warc, *.warc.gz) and directories of "    \
	"pages saved by wget (lib.sdsqw.cn/bin/mse.exe?...)"

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

/* 1 if name is the old site's program as wget saves it: mse.exe?... or
 * mse.exe@... */
static int
is_mse(const char *name)
{
	return strncasecmp(name, "mse.exe", 7) == 0 && (name[7] == '?' || name[7] == '@');
}

/* 1 if dir holds pages saved by wget from the old site: a lib.sdsqw.cn
 * directory (wget's host directory), or bin/ (wget -nH) or itself holding
 * mse.exe?... files. */
static int
is_saved_site(const char *dir)
{
	static const char *const sub[] = { "", "/bin", "/lib.sdsqw.cn/bin" };
	struct dirent *de;
	struct buf p;
	size_t i;
	int found = 0;
	DIR *d;

	buf_init(&p, NULL);
	for (i = 0; i < sizeof(sub) / sizeof(sub[0]) && !found; i++) {
		buf_reset(&p);
		buf_addf(&p, "%s%s", dir, sub[i]);
		if ((d = opendir(p.p)) == NULL)
			continue;
		while (!found && (de = readdir(d)) != NULL)
			found = is_mse(de->d_name) || (i == 0 && strcasecmp(de->d_name, "lib.sdsqw.cn") == 0);
		closedir(d);
	}
	buf_free(&p);
	return found;
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
		if (is_saved_site(path)) {
			*out = INGEST_SAVED;
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
	if (ends_with(path, ".warc") || ends_with(path, ".warc.gz")) {
		*out = INGEST_WARC;
		return 0;
	}
	return fz_fail(err, FZ_EINPUT, "%s: format not recognised; " FORMATS_KNOWN, path);
}
