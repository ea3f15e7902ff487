/* meter.c: the progress bar exports draw on a terminal */
#include <stdio.h>
#include <time.h>

#include "export.h"

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void
meter_start(struct meter *m, const char *label, int on, long total)
{
	m->label = label;
	m->on = on;
	m->total = total;
	m->start = m->last = now();
}

/* Redraws at most ten times a second, so that a fast export is not slowed. */
void
meter_tick(struct meter *m, long done, long long bytes)
{
	double t, secs;

	if (!m->on)
		return;
	t = now();
	if (t - m->last < 0.1 && done != m->total)
		return;
	m->last = t;
	secs = t - m->start;
	fprintf(stderr, "\r\033[K%s: %ld", m->label, done);
	if (m->total > 0)
		fprintf(stderr, " of %ld (%d%%)", m->total, (int)(100.0 * done / m->total));
	fprintf(stderr, ", %.1f MB", bytes / 1e6);
	if (secs > 0.1)
		fprintf(stderr, ", %.1f MB/s", bytes / 1e6 / secs);
	fflush(stderr);
}

void
meter_end(struct meter *m)
{
	if (m->on)
		fprintf(stderr, "\r\033[K");
}
