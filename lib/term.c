#include <langinfo.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "term.h"
#include "banned.h"

int cw_term_width(int fd)
{
	struct winsize ws;

	if (!isatty(fd) || ioctl(fd, TIOCGWINSZ, &ws) < 0)
		return 0;
	return ws.ws_col;
}

int cw_term_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (strcasecmp(cs, "UTF-8") == 0
		|| strcasecmp(cs, "utf8") == 0);
}

void cw_term_age(char *buf, size_t size, int64_t ms)
{
	int64_t s = ms > 0 ? ms / 1000 : 0;

	if (s < 60)
		snprintf(buf, size, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(buf, size, "%lldm", (long long)(s / 60));
	else if (s < 48 * 3600)
		snprintf(buf, size, "%lldh", (long long)(s / 3600));
	else
		snprintf(buf, size, "%lldd", (long long)(s / 86400));
}

int cw_term_controls(const struct cw_ctx *ctx, int fd)
{
	const char *term = cw_ctx_getenv(ctx, "TERM");

	if (term && strcmp(term, "dumb") == 0)
		return 0;
	return isatty(fd);
}

int cw_term_color(const struct cw_ctx *ctx, int fd, int no_color)
{
	return !no_color && cw_term_controls(ctx, fd);
}
