/* kanripo_int.h: what the Kanseki Repository importer's two files share */
#ifndef FZ_KANRIPO_INT_H
#define FZ_KANRIPO_INT_H

#include "ingest.h"

/* One juan file, in the order of the book. */
struct juan {
	char *name;      /* e.g. KR2k0048_010.txt */
	char *path;      /* dir/name, as reported */
	long num;        /* 10 */
	size_t off;      /* where its bytes start in the concatenation */
	size_t len;      /* its bytes (plus a '\n' we add when it lacks one) */
	long bad_line;   /* first line that is not UTF-8, 0 when all are */
	size_t bad_byte; /* offset of the bad byte in that line */
};

/* A page marker, <pb:KR2k0048_WYG_010-2a>. */
struct marker {
	size_t off;   /* of '<' in the concatenation */
	size_t juan;  /* index into juans */
	long line;    /* 1-based, in its file */
	size_t label; /* offset of "010-2a" in the concatenation */
	size_t labellen;
};

/* One item of the table of contents, which becomes one entry. */
struct item {
	char *file, *page, *title;
	long line;     /* in Readme.org */
	int ok;        /* file and page found */
	size_t juan;   /* where it starts */
	size_t start;  /* offset of its page marker in the concatenation */
	size_t end;    /* the next item's start, or the end of the text */
	long src_line; /* line of the marker in its file */
};

/* The whole book while it is being read: freed at the end. */
struct kbook {
	const char *dir;
	struct ingest_sink *sink;
	char *readme_path;
	struct buf all;           /* every juan file, concatenated in order */
	struct juan *juans;
	size_t njuans;
	struct marker *markers;
	size_t nmarkers, markcap;
	struct item *items;
	size_t nitems, itemcap;
	char *id, *title, *readme_title, *readme_id, *baseedition, *edition;
	char **editions;          /* version table of Readme.org: code, name, code, name... */
	size_t neditions;
	struct fz_page *pages;    /* the entry being built, reused */
	size_t npages, pagecap;
	size_t deferred;          /* pages[deferred..] wait for their position */
	struct buf why;
};

/* The state of turning mandoku lines into an entry body. */
struct conv {
	struct buf *body;
	int in_note;       /* inside (...) */
	int close_pending; /* a note ended with ')': close it unless '(' follows */
	int para_pending;  /* a juan boundary: '\n' before the next text */
};

/* ---- kanripo.c ---- */
/* Reports b->why for path:line through the sink, then empties it. */
void kanripo_bad(struct kbook *b, const char *path, long line);
/* A heap copy of [s, s+len) with ASCII blanks trimmed at both ends. */
char *kanripo_trimdup(const char *s, size_t len);
/* If line starts with key, the trimmed rest as a heap string; else NULL. */
char *kanripo_header_value(const char *line, size_t len, const char *key);

/* ---- kanripo_toc.c ---- */
/* Readme.org: the title, the version table and the table of contents. */
void kanripo_read_readme(struct kbook *b, const char *text, size_t len);
/* The edition's name for the book (see the function). */
const char *kanripo_edition_name(const struct kbook *b);

#endif
