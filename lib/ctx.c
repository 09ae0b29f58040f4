#include <stdarg.h>
#include <stdio.h>

#include "ctx.h"
#include "banned.h"

const char *cw_ctx_getenv(const struct cw_ctx *c, const char *name)
{
	const char *v;

	if (!c || !c->getenv)
		return NULL;
	v = c->getenv(c->arg, name);
	return v && *v ? v : NULL;
}

int64_t cw_ctx_now_ms(const struct cw_ctx *c)
{
	return c && c->now_ms ? c->now_ms(c->arg) : 0;
}

int cw_ctx_sleep_ms(const struct cw_ctx *c, int64_t ms)
{
	if (cw_ctx_cancelled(c))
		return -1;
	if (c && c->sleep_ms && ms > 0)
		c->sleep_ms(c->arg, ms);
	return cw_ctx_cancelled(c) ? -1 : 0;
}

int cw_ctx_cancelled(const struct cw_ctx *c)
{
	return c ? cw_cancel_requested(c->cancel) : 0;
}

uint32_t cw_ctx_random(const struct cw_ctx *c)
{
	return c && c->random ? c->random(c->arg) : 0;
}

void cw_ctx_trace(const struct cw_ctx *c, const char *fmt, ...)
{
	char line[4096];
	va_list ap;

	if (!c || !c->trace)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	c->trace(c->arg, line);
}
