#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "query.h"
#include "banned.h"

#define MAX_XML ((size_t)1 << 20)
#define MAX_TEXT ((size_t)64 << 10)
#define MAX_DEPTH 32

/* The element stack and the text of the innermost element. */
struct xml {
	XML_Parser parser;
	char stack[MAX_DEPTH][64];
	int depth;
	struct cw_buf text;
	cw_query_xml_fn *fn;
	void *arg;
	const char *why;	/* set when a callback stopped the parser */
};

static void stop(struct xml *x, const char *why)
{
	if (!x->why)
		x->why = why;
	XML_StopParser(x->parser, XML_FALSE);
}

static void clear_text(struct xml *x)
{
	if (x->text.p)
		explicit_bzero(x->text.p, x->text.len);
	cw_buf_reset(&x->text);
}

static void XMLCALL on_start(void *arg, const XML_Char *name,
	const XML_Char **attrs)
{
	struct xml *x = arg;

	(void)attrs;
	if (x->depth == MAX_DEPTH) {
		stop(x, "nested too deeply");
		return;
	}
	snprintf(x->stack[x->depth++], sizeof(x->stack[0]), "%s", name);
	clear_text(x);
}

static void XMLCALL on_text(void *arg, const XML_Char *s, int len)
{
	struct xml *x = arg;

	if (len > 0 && cw_buf_add(&x->text, s, (size_t)len) < 0)
		stop(x, "text too long");
}

static void XMLCALL on_end(void *arg, const XML_Char *name)
{
	struct xml *x = arg;
	const char *why = NULL;

	if (x->fn(x->arg, x->depth >= 2 ? x->stack[x->depth - 2] : "", name,
			cw_buf_str(&x->text), x->text.len, &why) < 0)
		stop(x, why ? why : "unexpected content");
	clear_text(x);
	x->depth--;
}

static void XMLCALL on_doctype(void *arg, const XML_Char *name,
	const XML_Char *sysid, const XML_Char *pubid, int has_internal)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal;
	stop(arg, "DOCTYPE not allowed");
}

int cw_query_xml(const char *what, const char *s, size_t len,
	cw_query_xml_fn *fn, void *arg, struct cw_err *err)
{
	struct xml x;
	int rc = 0;

	memset(&x, 0, sizeof(x));
	x.fn = fn;
	x.arg = arg;
	cw_buf_init(&x.text, MAX_TEXT);
	if (len > MAX_XML)
		return cw_err_set(err, "%s: too large (%zu bytes)", what, len);
	if (!(x.parser = XML_ParserCreate("UTF-8")))
		return cw_err_set(err, "%s: out of memory", what);
	XML_SetUserData(x.parser, &x);
	XML_SetElementHandler(x.parser, on_start, on_end);
	XML_SetCharacterDataHandler(x.parser, on_text);
	XML_SetStartDoctypeDeclHandler(x.parser, on_doctype);
	if (XML_Parse(x.parser, s, (int)len, XML_TRUE) != XML_STATUS_OK)
		rc = cw_err_set(err, "%s: malformed XML at line %lu: %s", what,
			(unsigned long)XML_GetCurrentLineNumber(x.parser),
			x.why ? x.why
			: XML_ErrorString(XML_GetErrorCode(x.parser)));
	cw_buf_wipe(&x.text);
	XML_ParserFree(x.parser);
	return rc;
}

static int form_encode(struct cw_buf *out, const char *s)
{
	return cw_http_urlencode(out, s, strlen(s), CW_URLENC_SPACE_PLUS);
}

static int pair_cmp(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;

	return strcmp(x[0], y[0]);
}

int cw_query_form(struct cw_buf *out, const char *const *pairs, size_t n)
{
	const char *v[2 * CW_QUERY_MAX_PAIRS];
	size_t i, m = 0;

	for (i = 0; i < n; i++) {
		if (!pairs[2 * i + 1])
			continue;
		if (m == CW_QUERY_MAX_PAIRS)
			return -1;
		v[2 * m] = pairs[2 * i];
		v[2 * m + 1] = pairs[2 * i + 1];
		m++;
	}
	qsort(v, m, 2 * sizeof(v[0]), pair_cmp);
	for (i = 0; i < m; i++)
		if ((i && cw_buf_addc(out, '&') < 0)
				|| form_encode(out, v[2 * i]) < 0
				|| cw_buf_addc(out, '=') < 0
				|| form_encode(out, v[2 * i + 1]) < 0)
			return -1;
	return 0;
}

int cw_query_call(struct cw_client *c, const char *const *pairs, size_t n,
	struct cw_http_response *resp, struct cw_err *err)
{
	struct cw_client_request rq = {
		.method = "POST", .path = "/",
		.content_type = "application/x-www-form-urlencoded",
	};
	struct cw_buf body = CW_BUF_INIT;
	int rc;

	memset(resp, 0, sizeof(*resp));
	if (cw_query_form(&body, pairs, n) < 0) {
		cw_buf_wipe(&body);
		return cw_err_set(err, "%s: request too large", c->service);
	}
	rq.body = cw_buf_str(&body);
	rq.body_len = body.len;
	rc = cw_client_send(c, &rq, resp, err);
	cw_buf_wipe(&body);
	return rc;
}
