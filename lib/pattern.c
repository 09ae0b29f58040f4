/* Filter patterns: placeholder until the compiler lands. */
#include <stdlib.h>

#include "pattern.h"
#include "banned.h"

struct cw_pattern {
	enum cw_pattern_kind kind;
};

struct cw_pattern *cw_pattern_compile(const char *src, size_t len, int *col,
	struct cw_err *err)
{
	struct cw_pattern *p;

	(void)src;
	(void)len;
	if (col)
		*col = 0;
	p = calloc(1, sizeof(*p));
	if (!p)
		cw_err_set(err, "pattern: out of memory");
	return p;
}

int cw_pattern_match(const struct cw_pattern *p, const char *line, size_t len)
{
	(void)p;
	(void)line;
	(void)len;
	return 1;
}

const char *cw_pattern_find(const struct cw_pattern *p, const char *buf,
	size_t len, size_t *linelen)
{
	(void)p;
	(void)buf;
	(void)len;
	*linelen = 0;
	return NULL;
}

size_t cw_pattern_count(const struct cw_pattern *p, const char *buf,
	size_t len)
{
	(void)p;
	(void)buf;
	(void)len;
	return 0;
}

enum cw_pattern_kind cw_pattern_kind(const struct cw_pattern *p)
{
	return p->kind;
}

int cw_pattern_extract(const struct cw_pattern *p, const char *line,
	size_t len, cw_pattern_field_fn *fn, void *arg)
{
	(void)p;
	(void)line;
	(void)len;
	(void)fn;
	(void)arg;
	return 0;
}

int cw_pattern_explain(const struct cw_pattern *p, struct cw_buf *out)
{
	(void)p;
	return cw_buf_adds(out, "all\n");
}

void cw_pattern_free(struct cw_pattern *p)
{
	free(p);
}
