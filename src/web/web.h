/* web.h: the public web server (fangzhi serve) */
#ifndef FZ_WEB_H
#define FZ_WEB_H

#include "../base/base.h"

/* What `fangzhi serve` was asked for; strings belong to the caller. */
struct web_config {
	const char *archive;    /* directory of the archive, opened read-only */
	const char *listen;     /* "127.0.0.1:8080", "[::1]:8080", ":8080"; port 0: any */
	const char *site_file;  /* site identity and about text, or NULL for the default */
	const char *port_file;  /* write the bound port here, or NULL */
	const char *pid_file;   /* write our process id here, or NULL */
	const char *access_log; /* combined log format; NULL or "-": standard output */
	const char *user;       /* drop root to this user after opening, or NULL */
	int threads;            /* worker threads; 0: two per processor, at least 4 */
	long cache_mb;          /* rendered-page cache budget; 0: default, -1: off */
};

/*
 * Serves the archive until SIGINT or SIGTERM. Returns 0 after a clean stop,
 * or -1 with err set when the archive cannot be opened, the site file is
 * bad or the address cannot be bound (nothing is served then).
 */
int web_serve(const struct web_config *cfg, struct fz_err *err);

#endif
