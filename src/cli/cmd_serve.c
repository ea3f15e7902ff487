/* cmd_serve.c: `fangzhi serve`, the archive as a read-only website */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../web/web.h"
#include "cli.h"

const char usage_serve[] =
	"usage: fangzhi serve -a DIR [--listen ADDR:PORT] [--site FILE]\n"
	"                     [--access-log FILE] [--threads N] [--cache-mb N]\n"
	"                     [--port-file F] [--pid-file P] [--user NAME]\n\n"
	"Serves the archive in DIR as a website, reading only: entries, the archive\n"
	"browser, full-text search, and the same JSON as `search --json` and\n"
	"`show --json` under /api/. Stops cleanly on SIGINT or SIGTERM.\n\n"
	"  --listen ADDR:PORT  where to listen (default 127.0.0.1:8080; [::1]:8080 for\n"
	"                      IPv6, :8080 for every address, port 0 for any free port)\n"
	"  --site FILE         the site's identity and about text: \"key: value\" lines\n"
	"                      (name, brand, description, contact, licence, base_url),\n"
	"                      a blank line, then the about page's text (paragraphs split\n"
	"                      by blank lines, \"## \" starts a heading). Without it the\n"
	"                      site is 山东地方志资料归档 / 山东地情档案.\n"
	"  --access-log FILE   combined log format, one line per request (default: stdout)\n"
	"  --threads N         worker threads (default: two per processor, at least 4)\n"
	"  --cache-mb N        memory for rendered pages (default 128; 0 turns it off)\n"
	"  --port-file F       write the port listened on to F once serving (for port 0)\n"
	"  --pid-file P        write the process id to P\n"
	"  --user NAME         when started as root, run as NAME once the archive and\n"
	"                      the socket are open\n";

static int
number(const char *opt, const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "fangzhi serve: %s \"%s\" is not a number from %ld to %ld\n\n%s", opt,
			s, lo, hi, usage_serve);
		return -1;
	}
	*out = v;
	return 0;
}

/* Parses the options, then hands over to web_serve until a signal. */
int
cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "archive", required_argument, NULL, 'a' },
		{ "listen", required_argument, NULL, 'l' },
		{ "site", required_argument, NULL, 's' },
		{ "access-log", required_argument, NULL, 'L' },
		{ "threads", required_argument, NULL, 't' },
		{ "cache-mb", required_argument, NULL, 'c' },
		{ "port-file", required_argument, NULL, 'P' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ "user", required_argument, NULL, 'u' },
		{ 0 },
	};
	struct web_config cfg;
	struct fz_err err;
	long v;
	int c;

	memset(&cfg, 0, sizeof(cfg));
	cfg.listen = "127.0.0.1:8080";
	fz_err_clear(&err);
	optind = 1;
	while ((c = getopt_long(argc, argv, "a:", opts, NULL)) != -1) {
		switch (c) {
		case 'a': cfg.archive = optarg; break;
		case 'l': cfg.listen = optarg; break;
		case 's': cfg.site_file = optarg; break;
		case 'L': cfg.access_log = optarg; break;
		case 'P': cfg.port_file = optarg; break;
		case 'p': cfg.pid_file = optarg; break;
		case 'u': cfg.user = optarg; break;
		case 't':
			if (number("--threads", optarg, 1, 1024, &v) < 0)
				return EXIT_USAGE;
			cfg.threads = (int)v;
			break;
		case 'c':
			if (number("--cache-mb", optarg, 0, 1 << 20, &v) < 0)
				return EXIT_USAGE;
			cfg.cache_mb = v ? v : -1;
			break;
		default:
			fprintf(stderr, "\n%s", usage_serve);
			return EXIT_USAGE;
		}
	}
	if (cfg.archive == NULL || optind != argc) {
		fprintf(stderr, "fangzhi serve: give the archive with -a DIR (and nothing else)\n\n%s",
			usage_serve);
		return EXIT_USAGE;
	}
	if (web_serve(&cfg, &err) < 0)
		return cli_die("serve", &err);
	return EXIT_OK_;
}
