/*
 * The parser base every pattern kind builds on: error positions, blanks,
 * copies, and the node and leaf tables. Below the comparisons
 * (pattern_cond.c) and the regexes (pattern_regex.c), which both use it.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern_int.h"
#include "banned.h"

int pat_fail(struct pat_parse *ps, size_t pos, const char *fmt, ...)
{
	va_list ap;

	if (ps->err) {
		va_start(ap, fmt);
		vsnprintf(ps->err->msg, sizeof(ps->err->msg), fmt, ap);
		va_end(ap);
	}
	ps->errpos = pos;
	return -1;
}

void pat_skip_ws(struct pat_parse *ps)
{
	while (ps->i < ps->n && isspace((unsigned char)ps->s[ps->i]))
		ps->i++;
}

/* n bytes and a NUL: patterns may hold NUL bytes, which pat_memdup() would
 * stop at. */
char *pat_memdup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

int pat_add_node(struct pat_parse *ps, enum pat_node_kind kind, int a, int b)
{
	struct cw_pattern *p = ps->p;
	struct pat_node *nodes;

	nodes = realloc(p->nodes, (p->nnodes + 1) * sizeof(*nodes));
	if (!nodes)
		return pat_fail(ps, ps->i, "out of memory");
	p->nodes = nodes;
	nodes[p->nnodes].kind = kind;
	nodes[p->nnodes].a = a;
	nodes[p->nnodes].b = b;
	return p->nnodes++;
}

/* Appends a zeroed leaf; returns its index. */
int pat_add_leaf(struct pat_parse *ps)
{
	struct cw_pattern *p = ps->p;
	struct pat_leaf *leaves;

	leaves = realloc(p->leaves, (p->nleaves + 1) * sizeof(*leaves));
	if (!leaves)
		return pat_fail(ps, ps->i, "out of memory");
	p->leaves = leaves;
	memset(&leaves[p->nleaves], 0, sizeof(*leaves));
	leaves[p->nleaves].field = -1;
	return p->nleaves++;
}
