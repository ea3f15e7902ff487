/* export_zim.c: the static copy packed as a ZIM file (Kiwix) by zimwriterfs */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <zlib.h>

#include "export.h"

extern char **environ;

#define ICON_SIZE 48
#define ICON_FILE "illustration-48.png"

static void
be32(unsigned char *p, unsigned long v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* One PNG chunk: length, type, data, CRC of type and data. */
static void
chunk(struct buf *b, const char *type, const unsigned char *data, size_t n)
{
	unsigned char w[4];
	unsigned long crc;

	be32(w, (unsigned long)n);
	buf_add(b, w, 4);
	buf_add(b, type, 4);
	buf_add(b, data, n);
	crc = crc32(0L, (const Bytef *)type, 4);
	crc = crc32(crc, data, (uInt)n);
	be32(w, crc);
	buf_add(b, w, 4);
}

/*
 * The 48x48 PNG a ZIM file must carry as its illustration: a vermilion
 * seal with a paper-coloured frame, drawn here (8-bit RGB, one zlib
 * stream), so that no image file has to be shipped.
 */
static int
write_icon(const char *path, struct fz_err *err)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	unsigned char ihdr[13], raw[ICON_SIZE * (1 + 3 * ICON_SIZE)], z[8192];
	uLongf zlen = sizeof(z);
	struct buf b;
	int x, y, rc;

	for (y = 0; y < ICON_SIZE; y++) {
		unsigned char *row = raw + (size_t)y * (1 + 3 * ICON_SIZE);
		row[0] = 0; /* filter: none */
		for (x = 0; x < ICON_SIZE; x++) {
			int in = x, paper;
			unsigned char *px = row + 1 + 3 * x;

			if (y < in)
				in = y;
			if (ICON_SIZE - 1 - x < in)
				in = ICON_SIZE - 1 - x;
			if (ICON_SIZE - 1 - y < in)
				in = ICON_SIZE - 1 - y;
			/* a frame inside the edge, and three lines like a seal's text */
			paper = (in >= 4 && in < 7) || (in >= 7 && y % 10 == 3 && x > 12 && x < 35);
			px[0] = paper ? 0xf5 : 0xc0;
			px[1] = paper ? 0xec : 0x2c;
			px[2] = paper ? 0xd9 : 0x1e;
		}
	}
	if (compress2(z, &zlen, raw, sizeof(raw), 9) != Z_OK)
		return fz_fail(err, FZ_EINTERNAL, "the illustration would not compress");
	be32(ihdr, ICON_SIZE);
	be32(ihdr + 4, ICON_SIZE);
	ihdr[8] = 8;  /* bits per sample */
	ihdr[9] = 2;  /* RGB */
	ihdr[10] = 0; /* deflate */
	ihdr[11] = 0; /* adaptive filtering */
	ihdr[12] = 0; /* no interlace */
	buf_init(&b, NULL);
	buf_add(&b, sig, sizeof(sig));
	chunk(&b, "IHDR", ihdr, sizeof(ihdr));
	chunk(&b, "IDAT", z, zlen);
	chunk(&b, "IEND", (const unsigned char *)"", 0);
	rc = export_write_file(path, b.p, b.len, err);
	buf_free(&b);
	return rc;
}

static int
add_icon(void *ctx, const char *dir, struct fz_err *err)
{
	struct buf p;
	int rc;

	(void)ctx;
	buf_init(&p, NULL);
	buf_addf(&p, "%s/%s", dir, ICON_FILE);
	rc = write_icon(p.p, err);
	buf_free(&p);
	return rc;
}

/* The last lines of a tool's output, for the error message. */
static const char *
tail_of(const char *path, struct arena *a)
{
	FILE *f = fopen(path, "rb");
	char buf[600];
	size_t n;
	long sz;

	if (f == NULL)
		return "";
	fseek(f, 0, SEEK_END);
	sz = ftell(f);
	fseek(f, sz > (long)sizeof(buf) - 1 ? sz - (long)sizeof(buf) + 1 : 0, SEEK_SET);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return arena_strdup(a, buf);
}

/*
 * Runs zimwriterfs on the copy in html, writing zim. Its output goes to
 * log (quoted when it fails). XAPIAN_CJK_NGRAM=1 is set for it: without
 * it Xapian indexes Chinese as whole runs between punctuation and Kiwix
 * finds almost nothing (docs/peers.md); kiwix-serve wants it set too.
 */
static int
run_zimwriterfs(const char *html, const char *zim, const char *log,
		const struct web_identity *id, struct arena *a, struct fz_err *err)
{
	const char *argv[] = {
		"zimwriterfs",
		"--welcome=index.html",
		"--illustration=" ICON_FILE,
		"--language=zho",
		arena_printf(a, "--title=%s", id->name),
		arena_printf(a, "--description=%s", id->description),
		arena_printf(a, "--creator=%s", id->brand),
		"--publisher=fangzhi",
		"--name=fangzhi_zho_archive",
		"--scraper=fangzhi",
		"--tags=_category:other;_pictures:no;_videos:no;_details:yes;_ftindex:yes",
		html,
		zim,
		NULL,
	};
	posix_spawn_file_actions_t fa;
	char **env;
	size_t n = 0, i;
	pid_t pid;
	int status = 0, rc;

	while (environ[n] != NULL)
		n++;
	env = arena_alloc(a, (n + 2) * sizeof(*env));
	for (i = 0; i < n; i++)
		env[i] = environ[i];
	env[n] = (char *)"XAPIAN_CJK_NGRAM=1";
	env[n + 1] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, log, O_WRONLY | O_CREAT | O_TRUNC,
					 0644);
	posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
	posix_spawn_file_actions_addclose(&fa, STDIN_FILENO);
	rc = posix_spawnp(&pid, "zimwriterfs", &fa, NULL, (char *const *)(uintptr_t)argv, env);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return fz_fail(err, FZ_EIO,
			       "zimwriterfs could not be run (%s): install the Debian package zim-tools",
			       strerror(rc));
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return fz_fail(err, FZ_EIO, "waiting for zimwriterfs: %s", strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return fz_fail(err, FZ_EIO, "zimwriterfs is not installed (Debian package zim-tools)");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return fz_fail(err, FZ_EIO, "zimwriterfs failed (%s %d): %s",
			       WIFEXITED(status) ? "exit" : "signal",
			       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
			       tail_of(log, a));
	return 0;
}

/*
 * Builds the static copy (export_html) with a 48x48 illustration in a
 * working directory beside out (out.work-XXXXXX), packs it with
 * zimwriterfs into a file there, renames that to out when whole, and
 * removes the working directory, whatever happened.
 * The ZIM's metadata comes from the site's identity: title (its name),
 * description, creator (its brand), publisher fangzhi, language zho, name
 * fangzhi_zho_archive; the front page is the welcome page.
 */
int
export_zim(struct web_site *site, const char *out, const struct export_opts *o,
	   struct export_stats *st, struct fz_err *err)
{
	struct web_identity id;
	struct arena a;
	struct buf work, html, part, log;
	char *w;
	int rc = -1;

	arena_init(&a, 0);
	buf_init(&work, NULL);
	buf_init(&html, NULL);
	buf_init(&part, NULL);
	buf_init(&log, NULL);
	web_site_identity(site, &id);
	buf_addf(&work, "%s.work-XXXXXX", out);
	if ((w = mkdtemp(work.p)) == NULL) {
		fz_fail(err, FZ_EIO, "%s: %s", work.p, strerror(errno));
		buf_reset(&work);
		goto out;
	}
	buf_addf(&html, "%s/html", work.p);
	buf_addf(&log, "%s/zimwriterfs.log", work.p);
	/* inside the working directory: libzim puts its own temporary files
	 * beside the file it writes, and they go with the directory */
	buf_addf(&part, "%s/out.zim", work.p);
	if (export_html_to(site, html.p, o, add_icon, NULL, st, err) < 0)
		goto out;
	if (o->progress)
		fprintf(stderr, "\r\033[K%s: packing %ld pages with zimwriterfs", o->label, st->records);
	rc = run_zimwriterfs(html.p, part.p, log.p, &id, &a, err);
	if (o->progress)
		fprintf(stderr, "\r\033[K");
	if (rc < 0)
		goto out;
	rc = -1;
	if (rename(part.p, out) != 0) {
		fz_fail(err, FZ_EIO, "%s: %s", out, strerror(errno));
		goto out;
	}
	{
		struct stat sb;
		if (stat(out, &sb) == 0)
			st->bytes = (long long)sb.st_size;
	}
	rc = 0;
out:
	if (work.len)
		export_remove_tree(work.p);
	buf_free(&work);
	buf_free(&html);
	buf_free(&part);
	buf_free(&log);
	arena_free(&a);
	return rc;
}
