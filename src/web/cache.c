/* cache.c: rendered pages kept by path while serving (the archive is read-only then) */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "web_int.h"

#define NBUCKETS 8192 /* power of two */

static struct reply_ent *buckets[NBUCKETS];
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static size_t budget, used;

void
cache_init(size_t budget_bytes)
{
	budget = budget_bytes;
	used = 0;
}

/* A shared read lock: lookups from all workers run side by side. */
const struct reply_ent *
cache_get(const char *key, uint64_t hash)
{
	const struct reply_ent *e;

	if (budget == 0)
		return NULL;
	pthread_rwlock_rdlock(&lock);
	for (e = buckets[hash & (NBUCKETS - 1)]; e != NULL; e = e->next)
		if (e->hash == hash && strcmp(e->key, key) == 0)
			break;
	pthread_rwlock_unlock(&lock);
	return e;
}

/*
 * Entries are never evicted: the responses in them may be queued on
 * connections at any moment, and the archive does not change while we
 * serve, so an entry never goes stale. When the budget is spent, pages are
 * simply rendered per request from then on.
 */
const struct reply_ent *
cache_put(struct reply_ent *ent)
{
	struct reply_ent *e;
	size_t cost = ent->plain_len + ent->gz_len + strlen(ent->key) + sizeof(*ent);
	size_t b = ent->hash & (NBUCKETS - 1);

	pthread_rwlock_wrlock(&lock);
	for (e = buckets[b]; e != NULL; e = e->next)
		if (e->hash == ent->hash && strcmp(e->key, ent->key) == 0)
			break;
	if (e == NULL && used + cost <= budget) {
		ent->next = buckets[b];
		buckets[b] = ent;
		used += cost;
		e = ent;
	} else if (e != NULL && e != ent) {
		/* another thread rendered the same page first: keep theirs */
	}
	pthread_rwlock_unlock(&lock);
	return e;
}

/* Called after the daemon has stopped: no response is in use any more. */
void
cache_free(void)
{
	size_t i;

	for (i = 0; i < NBUCKETS; i++) {
		struct reply_ent *e = buckets[i];
		while (e != NULL) {
			struct reply_ent *next = e->next;
			reply_release(e);
			free(e->key);
			free(e);
			e = next;
		}
		buckets[i] = NULL;
	}
	used = 0;
}
