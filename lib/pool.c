#include <pthread.h>

#include "pool.h"
#include "banned.h"

struct pool {
	pthread_mutex_t lock;
	size_t next, n;
	void (*fn)(void *arg, size_t i);
	void *arg;
};

/* Takes the next unit until none is left. */
static void *worker(void *arg)
{
	struct pool *p = arg;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&p->lock);
		i = p->next < p->n ? p->next++ : p->n;
		pthread_mutex_unlock(&p->lock);
		if (i == p->n)
			return NULL;
		p->fn(p->arg, i);
	}
}

void cw_pool_run(size_t n, size_t max, void (*fn)(void *arg, size_t i),
	void *arg)
{
	struct pool p = { PTHREAD_MUTEX_INITIALIZER, 0, n, fn, arg };
	pthread_t th[CW_POOL_MAX];
	size_t i, started = 0;

	if (max > CW_POOL_MAX)
		max = CW_POOL_MAX;
	/* the caller is one of the workers */
	for (i = 1; i < max && i < n; i++)
		if (pthread_create(&th[started], NULL, worker, &p) == 0)
			started++;
	worker(&p);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&p.lock);
}
