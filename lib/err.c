#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "banned.h"

void cw_err_clear(struct cw_err *e)
{
	if (!e)
		return;
	e->msg[0] = '\0';
	e->code[0] = '\0';
	e->status = 0;
	e->at = 0;
}

int cw_err_set(struct cw_err *e, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int cw_err_wrap(struct cw_err *e, const char *fmt, ...)
{
	char prefix[512];
	size_t plen, olen, max;
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	max = sizeof(e->msg) - 1;
	plen = strlen(prefix);
	olen = strnlen(e->msg, max);
	if (olen > max - plen - 2)
		olen = max - plen - 2;
	memmove(e->msg + plen + 2, e->msg, olen);
	memcpy(e->msg, prefix, plen);
	e->msg[plen] = ':';
	e->msg[plen + 1] = ' ';
	e->msg[plen + 2 + olen] = '\0';
	return -1;
}
