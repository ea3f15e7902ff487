/* server.c: fangzhi serve on libmicrohttpd: threads, stores, requests, access log */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "web_int.h"

#define CACHE_MB_DEFAULT 128
#define PATH_MAX_BYTES 1024 /* longer request paths name nothing we have */
#define LOG_FIELD_MAX 2048  /* bytes of one logged field (URI, referer, agent) */

static struct web web;          /* read-only while serving */
static struct arena web_arena;  /* strings of `web` */
static const char *archive_dir; /* for stores opened late */
static int log_fd = STDOUT_FILENO;
static int cache_on;

/*
 * One read-only store connection per worker thread, opened before we serve
 * (and before dropping root); a thread claims one on its first request.
 * Threads beyond those counted at start open their own and are tracked in
 * `late` so they can be closed at exit.
 */
static struct store **stores;
static int nstores;
static atomic_int next_store;
static pthread_mutex_t late_lock = PTHREAD_MUTEX_INITIALIZER;
static struct store **late;
static size_t nlate;

/* Per request: created when the URI arrives, freed when the reply is done. */
struct rq {
	struct arena arena;
	const char *uri;   /* as sent, for the log */
	char addr[INET6_ADDRSTRLEN];
	const char *method, *version, *referer, *agent;
	int status;
	size_t bytes;
	int seen;     /* the handler has been called once (headers are in) */
	int answered;
};

void
web_log(const char *fmt, ...)
{
	char msg[1200];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(msg) - 2)
		n = sizeof(msg) - 2;
	msg[n++] = '\n';
	fputs("fangzhi serve: ", stderr);
	fwrite(msg, 1, (size_t)n, stderr);
}

static struct store *
thread_store(struct fz_err *err)
{
	static _Thread_local struct store *mine;
	int i;

	if (mine != NULL)
		return mine;
	i = atomic_fetch_add(&next_store, 1);
	if (i < nstores)
		return mine = stores[i];
	if (store_open(archive_dir, STORE_READONLY, &mine, err) < 0) {
		mine = NULL;
		return NULL;
	}
	pthread_mutex_lock(&late_lock);
	late = xrealloc(late, (nlate + 1) * sizeof(*late));
	late[nlate++] = mine;
	pthread_mutex_unlock(&late_lock);
	return mine;
}

/* ---- the access log (combined log format) ---- */

/* Appends s to the line as Apache does inside quotes: '"' and '\' escaped,
 * control and non-ASCII-unsafe bytes as \xHH; UTF-8 is kept as is. */
static void
log_quoted(struct buf *b, const char *s)
{
	size_t n = 0;

	if (s == NULL || *s == '\0') {
		buf_addch(b, '-');
		return;
	}
	for (; *s && n < LOG_FIELD_MAX; s++, n++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			buf_addch(b, '\\');
			buf_addch(b, (char)c);
		} else if (c < 0x20 || c == 0x7f) {
			buf_addf(b, "\\x%02x", c);
		} else {
			buf_addch(b, (char)c);
		}
	}
}

/* "[04/Dec/2026:20:05:08 +0000]", formatted once a second per thread. */
static const char *
log_stamp(void)
{
	static const char mons[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	static _Thread_local time_t last;
	static _Thread_local char stamp[40];
	time_t now = time(NULL);
	struct tm tm;

	if (now != last) {
		gmtime_r(&now, &tm);
		snprintf(stamp, sizeof(stamp), "[%02d/%s/%04d:%02d:%02d:%02d +0000]", tm.tm_mday,
			 mons[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
		last = now;
	}
	return stamp;
}

/* One line per answered request, written with a single write(2) so lines
 * from different threads never interleave. */
static void
log_request(struct rq *q)
{
	struct buf b;

	buf_init(&b, &q->arena);
	buf_addstr(&b, q->addr[0] ? q->addr : "-");
	buf_addstr(&b, " - - ");
	buf_addstr(&b, log_stamp());
	buf_addstr(&b, " \"");
	log_quoted(&b, q->method);
	buf_addch(&b, ' ');
	log_quoted(&b, q->uri);
	buf_addch(&b, ' ');
	log_quoted(&b, q->version);
	buf_addf(&b, "\" %d ", q->status);
	if (q->bytes)
		buf_addf(&b, "%zu", q->bytes);
	else
		buf_addch(&b, '-');
	buf_addstr(&b, " \"");
	log_quoted(&b, q->referer);
	buf_addstr(&b, "\" \"");
	log_quoted(&b, q->agent);
	buf_addstr(&b, "\"\n");
	if (write(log_fd, b.p, b.len) < 0) {
		/* nowhere left to say so; serving matters more than the log */
	}
}

/* ---- the request's life ---- */

/* libmicrohttpd's first look at a request, before headers: our per-request
 * state starts here, with the URI exactly as sent (for the log). */
static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	struct rq *q = xcalloc(1, sizeof(*q));
	size_t n = strlen(uri);

	(void)cls;
	arena_init(&q->arena, 8192);
	q->uri = arena_strndup(&q->arena, uri, n > LOG_FIELD_MAX ? LOG_FIELD_MAX : n);
	if (ci != NULL && ci->client_addr != NULL) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
				  q->addr, sizeof(q->addr));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
				  q->addr, sizeof(q->addr));
	}
	return q;
}

/* The request is over (sent, or the client went away): log it, then free
 * everything it allocated in one go. */
static void
on_done(void *cls, struct MHD_Connection *conn, void **con_cls,
	enum MHD_RequestTerminationCode toe)
{
	struct rq *q = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (q == NULL)
		return;
	if (q->answered)
		log_request(q);
	arena_free(&q->arena);
	free(q);
	*con_cls = NULL;
}

static const char *
header(struct MHD_Connection *conn, struct arena *a, const char *name)
{
	const char *v = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
	return v ? arena_strndup(a, v, strnlen(v, LOG_FIELD_MAX)) : NULL;
}

/*
 * Sends r's reply. A page of a cacheable route with status 200 is kept in
 * the page cache (rendered and compressed once); anything else is built
 * for this request alone.
 */
static enum MHD_Result
send_reply(struct MHD_Connection *conn, struct rq *q, struct req *r, const char *key,
	   uint64_t hash, int accept_gz)
{
	struct reply_ent one, *ent;
	const struct reply_ent *kept;
	enum MHD_Result ret;

	if (key != NULL && (r->status == 0 || r->status == 200)) {
		ent = xmalloc(sizeof(*ent));
		reply_build(r, -1, ent);
		ent->key = xstrdup(key);
		ent->hash = hash;
		kept = cache_put(ent);
		ret = reply_queue(conn, kept ? kept : ent, accept_gz, &q->status, &q->bytes);
		if (kept != ent) { /* not kept, or another thread's copy was */
			reply_release(ent);
			free(ent->key);
			free(ent);
		}
		return ret;
	}
	reply_build(r, accept_gz, &one);
	ret = reply_queue(conn, &one, accept_gz, &q->status, &q->bytes);
	reply_release(&one);
	return ret;
}

/*
 * Every request: method, path and parameters are checked before anything
 * else (405, 404, 400); then the page cache is asked, and only on a miss
 * does the page run, with this thread's store connection.
 */
static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
	   const char *version, const char *upload_data, size_t *upload_data_size,
	   void **con_cls)
{
	struct rq *q = *con_cls;
	struct req r;
	struct fz_err err;
	const struct route *rt = NULL;
	const char *tail = NULL, *key = NULL;
	uint64_t hash = 0;
	int accept_gz, is_get;

	(void)cls;
	(void)upload_data;
	if (q == NULL)
		*con_cls = q = on_uri(NULL, url, conn);
	/*
	 * Answer on the second call, once the request is complete: a response
	 * queued on the first call makes libmicrohttpd 0.9.75 close the
	 * connection afterwards, which costs every client a new TCP
	 * connection per request. A body (we take none) is skipped.
	 */
	if (!q->seen) {
		q->seen = 1;
		return MHD_YES;
	}
	if (*upload_data_size != 0 || q->answered) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	q->answered = 1;
	q->method = arena_strdup(&q->arena, method);
	q->version = arena_strdup(&q->arena, version);
	q->referer = header(conn, &q->arena, MHD_HTTP_HEADER_REFERER);
	q->agent = header(conn, &q->arena, MHD_HTTP_HEADER_USER_AGENT);

	memset(&r, 0, sizeof(r));
	fz_err_clear(&err);
	r.arena = &q->arena;
	r.web = &web;
	r.site = &web.site;
	r.path = url;
	r.raw_query = strchr(q->uri, '?') ? strchr(q->uri, '?') + 1 : "";
	r.cache = CACHE_SHORT;
	html_init(&r.body, r.arena);
	accept_gz = reply_accepts_gzip(conn);
	is_get = strcmp(method, MHD_HTTP_METHOD_GET) == 0 ||
		 strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;

	if (!is_get) {
		page_error(&r, MHD_HTTP_METHOD_NOT_ALLOWED, "本站只读：只接受 GET 和 HEAD 请求。");
		return send_reply(conn, q, &r, NULL, 0, accept_gz);
	}
	if (url[0] != '/' || strlen(url) > PATH_MAX_BYTES || !utf8_valid(url, strlen(url), NULL) ||
	    (rt = route_find(url, &tail)) == NULL) {
		page_not_found(&r);
		return send_reply(conn, q, &r, NULL, 0, accept_gz);
	}
	r.tail = tail;
	if (req_params(&r, conn, rt->params, &err) < 0) {
		page_error(&r, MHD_HTTP_BAD_REQUEST, err.msg);
		return send_reply(conn, q, &r, NULL, 0, accept_gz);
	}
	if ((rt->flags & R_CACHE) && cache_on) {
		const struct reply_ent *hit;

		key = arena_printf(r.arena, "%s%s", url, req_canonical_query(&r));
		hash = reply_hash(key, strlen(key));
		if ((hit = cache_get(key, hash)) != NULL)
			return reply_queue(conn, hit, accept_gz, &q->status, &q->bytes);
	}
	if ((rt->flags & R_STORE) && (r.store = thread_store(&err)) == NULL) {
		page_fail(&r, &err);
		return send_reply(conn, q, &r, NULL, 0, accept_gz);
	}
	rt->page(&r);
	return send_reply(conn, q, &r, key, hash, accept_gz);
}

/* ---- start and stop ---- */

/*
 * Binds the listening socket ourselves, so that port 0 works, IPv6
 * literals work ("[::1]:8080"), and the actual port can be read back for
 * --port-file. Returns the socket or -1.
 */
static int
listen_on(const char *spec, int *port, struct fz_err *err)
{
	char host[256] = "", portstr[16];
	const char *colon;
	struct addrinfo hints, *ai = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd = -1, one = 1, rc;

	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');
		if (close == NULL || close[1] != ':' || (size_t)(close - spec - 1) >= sizeof(host))
			return fz_fail(err, FZ_EINPUT, "--listen %s: expected [ADDRESS]:PORT", spec);
		memcpy(host, spec + 1, (size_t)(close - spec - 1));
		host[close - spec - 1] = '\0';
		colon = close + 1;
	} else {
		colon = strrchr(spec, ':');
		if (colon == NULL || (size_t)(colon - spec) >= sizeof(host))
			return fz_fail(err, FZ_EINPUT, "--listen %s: expected ADDRESS:PORT", spec);
		memcpy(host, spec, (size_t)(colon - spec));
		host[colon - spec] = '\0';
	}
	if (strlen(colon + 1) == 0 || strlen(colon + 1) >= sizeof(portstr) ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1))
		return fz_fail(err, FZ_EINPUT, "--listen %s: the port must be a number", spec);
	memcpy(portstr, colon + 1, strlen(colon + 1) + 1);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host[0] ? host : NULL, portstr, &hints, &ai)) != 0)
		return fz_fail(err, FZ_EINPUT, "--listen %s: %s", spec, gai_strerror(rc));
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    ai->ai_protocol);
	if (fd < 0)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 1024) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) < 0)
		goto fail;
	*port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
					       : ((struct sockaddr_in *)&ss)->sin_port);
	freeaddrinfo(ai);
	return fd;
fail:
	fz_fail(err, FZ_EIO, "--listen %s: %s", spec, strerror(errno));
	if (fd >= 0)
		close(fd);
	freeaddrinfo(ai);
	return -1;
}

/* Writes "text\n" to path through a temporary file and rename, so a test
 * waiting for the file never reads it half written. */
static int
write_small(const char *path, const char *text, struct fz_err *err)
{
	struct buf b;
	FILE *f;

	buf_init(&b, NULL);
	buf_addf(&b, "%s.tmp.%ld", path, (long)getpid());
	f = fopen(b.p, "w");
	if (f == NULL || fprintf(f, "%s\n", text) < 0 || fclose(f) != 0 ||
	    rename(b.p, path) < 0) {
		fz_fail(err, FZ_EIO, "%s: %s", path, strerror(errno));
		buf_free(&b);
		return -1;
	}
	buf_free(&b);
	return 0;
}

/* --user: give up root once everything privileged (files, port) is open. */
static int
drop_root(const char *user, struct fz_err *err)
{
	struct passwd *pw = getpwnam(user);

	if (pw == NULL)
		return fz_fail(err, FZ_EINPUT, "--user %s: no such user", user);
	if (getuid() != 0)
		return fz_fail(err, FZ_EINPUT, "--user %s: only root can change user", user);
	if (setgroups(0, NULL) < 0 || setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0)
		return fz_fail(err, FZ_EIO, "--user %s: %s", user, strerror(errno));
	return 0;
}

static void
close_stores(void)
{
	int i;
	size_t k;

	for (i = 0; i < nstores; i++)
		if (stores[i] != NULL)
			store_close(stores[i]);
	free(stores);
	stores = NULL;
	nstores = 0;
	for (k = 0; k < nlate; k++)
		store_close(late[k]);
	free(late);
	late = NULL;
	nlate = 0;
}

/*
 * Everything that can fail is done before the first request is accepted:
 * site file, templates, the archive (one read-only connection per worker),
 * the log, the socket. Then the main thread only waits for a signal; the
 * pool threads do the serving, each with its own epoll loop, so one slow
 * connection or query holds up only the connections of its own thread.
 */
int
web_serve(const struct web_config *cfg, struct fz_err *err)
{
	struct MHD_Daemon *d = NULL;
	sigset_t sigs;
	char portbuf[16];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int nthreads = cfg->threads > 0 ? cfg->threads : (int)(ncpu > 2 ? 2 * ncpu : 4);
	int fd = -1, port = 0, sig, i, rc = -1;
	long cache_mb = cfg->cache_mb ? cfg->cache_mb : CACHE_MB_DEFAULT;

	memset(&web, 0, sizeof(web));
	arena_init(&web_arena, 0);
	archive_dir = cfg->archive;
	if (site_load(cfg->site_file, &web.site, err) < 0)
		return fz_wrap(err, "--site");
	if (tmpl_load_all(err) < 0)
		goto out;
	stores = xcalloc((size_t)nthreads, sizeof(*stores));
	for (i = 0; i < nthreads; i++) {
		if (store_open(cfg->archive, STORE_READONLY, &stores[i], err) < 0) {
			fz_wrap(err, "%s", cfg->archive);
			goto out;
		}
		nstores = i + 1;
	}
	if (web_state_init(&web, &web_arena, cfg->archive, stores[0], err) < 0)
		goto out;

	if (cfg->access_log != NULL && strcmp(cfg->access_log, "-") != 0) {
		log_fd = open(cfg->access_log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (log_fd < 0) {
			fz_fail(err, FZ_EIO, "--access-log %s: %s", cfg->access_log, strerror(errno));
			log_fd = STDOUT_FILENO;
			goto out;
		}
	}
	if ((fd = listen_on(cfg->listen ? cfg->listen : "127.0.0.1:8080", &port, err)) < 0)
		goto out;
	if (cfg->user != NULL && drop_root(cfg->user, err) < 0)
		goto out;
	cache_on = cache_mb > 0;
	cache_init(cache_on ? (size_t)cache_mb * 1024 * 1024 : 0);

	/* Signals are taken by sigwait below; every thread inherits the mask. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	d = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_TURBO, 0,
			     NULL, NULL, on_request, NULL,
			     MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
			     MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)nthreads,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
			     MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
			     MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
			     MHD_OPTION_END);
	if (d == NULL) {
		fz_fail(err, FZ_EIO, "libmicrohttpd could not start on %s",
			cfg->listen ? cfg->listen : "127.0.0.1:8080");
		goto out;
	}
	fd = -1; /* the daemon's now */
	if (cfg->pid_file != NULL) {
		char pidbuf[24];
		snprintf(pidbuf, sizeof(pidbuf), "%ld", (long)getpid());
		if (write_small(cfg->pid_file, pidbuf, err) < 0)
			goto out;
	}
	snprintf(portbuf, sizeof(portbuf), "%d", port);
	if (cfg->port_file != NULL && write_small(cfg->port_file, portbuf, err) < 0)
		goto out;
	web_log("serving %s on port %d with %d threads (%ld books, %ld entries)", cfg->archive,
		port, nthreads, web.stats.books, web.stats.entries);

	do
		sig = 0;
	while (sigwait(&sigs, &sig) != 0 || (sig != SIGINT && sig != SIGTERM));
	web_log("stopping on signal %d", sig);
	rc = 0;
out:
	if (d != NULL)
		MHD_stop_daemon(d);
	if (fd >= 0)
		close(fd);
	cache_free();
	close_stores();
	tmpl_free_all();
	site_free(&web.site);
	arena_free(&web_arena);
	if (log_fd != STDOUT_FILENO)
		close(log_fd);
	log_fd = STDOUT_FILENO;
	if (cfg->pid_file != NULL && rc == 0)
		unlink(cfg->pid_file);
	if (cfg->port_file != NULL && rc == 0)
		unlink(cfg->port_file);
	return rc;
}
