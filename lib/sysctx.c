#include <errno.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>

#include "ctx.h"
#include "banned.h"

static const char *sys_getenv(void *arg, const char *name)
{
	(void)arg;
	return getenv(name);
}

static int64_t sys_now_ms(void *arg)
{
	struct timespec ts;

	(void)arg;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Ends early on SIGINT or SIGTERM once the command installed them. */
static void sys_sleep_ms(void *arg, int64_t ms)
{
	(void)arg;
	cw_cancel_sleep_ms(cw_cancel_process(), ms);
}

static uint32_t sys_random(void *arg)
{
	uint32_t r = 0;

	(void)arg;
	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (uint32_t)sys_now_ms(NULL);
	return r;
}

void cw_ctx_init_system(struct cw_ctx *c)
{
	c->getenv = sys_getenv;
	c->now_ms = sys_now_ms;
	c->sleep_ms = sys_sleep_ms;
	c->random = sys_random;
	c->trace = NULL;
	c->prompt = NULL;
	c->arg = NULL;
	c->cancel = cw_cancel_process();
}
