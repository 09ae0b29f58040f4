/* libFuzzer target: a Live Tail session whose sessionUpdate payload is
 * any bytes (framed with good CRCs), through lib/livetail: the JSON,
 * U+0000 in messages, unknown groups, the dedup keys. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crc32.h"
#include "livetail.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	const uint8_t *data;
	size_t size;
	int calls;
};

static void put32(struct cw_buf *b, uint32_t v)
{
	char p[4] = { (char)(v >> 24), (char)(v >> 16), (char)(v >> 8),
		(char)v };

	cw_buf_add(b, p, 4);
}

static void header(struct cw_buf *b, const char *name, const char *v)
{
	cw_buf_addc(b, (char)strlen(name));
	cw_buf_adds(b, name);
	cw_buf_addc(b, 7);
	cw_buf_addc(b, 0);
	cw_buf_addc(b, (char)strlen(v));
	cw_buf_adds(b, v);
}

static void frame(struct cw_buf *out, const char *type, const void *p,
	size_t n)
{
	struct cw_buf h = CW_BUF_INIT, m = CW_BUF_INIT;

	header(&h, ":message-type", "event");
	header(&h, ":event-type", type);
	put32(&m, (uint32_t)(12 + h.len + n + 4));
	put32(&m, (uint32_t)h.len);
	put32(&m, cw_crc32(0, m.p, 8));
	cw_buf_add(&m, h.p, h.len);
	cw_buf_add(&m, p, n);
	put32(&m, cw_crc32(0, m.p, m.len));
	cw_buf_add(out, m.p, m.len);
	cw_buf_release(&h);
	cw_buf_release(&m);
}

/* The first request streams sessionStart and the input; the next is
 * refused, which ends the run. */
static int wire(void *arg, const struct cw_http_request *rq,
	struct cw_http_response *resp, struct cw_err *err)
{
	static const char denied[] = "{\"__type\":\"AccessDeniedException\"}";
	struct input *in = arg;
	struct cw_buf b = CW_BUF_INIT;

	(void)err;
	cw_http_response_reset(resp);
	if (in->calls++) {
		resp->status = 403;
		return cw_http_deliver(rq, resp, denied, strlen(denied)) < 0
			? -1 : 0;
	}
	resp->status = 200;
	frame(&b, "sessionStart", "{}", 2);
	frame(&b, "sessionUpdate", in->data, in->size);
	cw_http_deliver(rq, resp, b.p, b.len);
	cw_buf_release(&b);
	return 0;
}

static int fetch(void *arg, const char *group, int64_t from,
	cw_logs_event_fn *ev, void *ev_arg, struct cw_err *err)
{
	(void)arg, (void)group, (void)from, (void)ev, (void)ev_arg, (void)err;
	return 0;
}

static int emit(void *arg, const struct cw_logs_event *e, struct cw_err *err)
{
	(void)arg, (void)err;
	if (!e->group || !e->stream || !e->message ||
	    e->message[e->message_len])
		abort();
	return 0;
}

static int64_t now(void *arg)
{
	(void)arg;
	return 1768471200000LL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const groups[] = { "/a", "/b" };
	static const char *const arns[] = {
		"arn:aws:logs:us-east-1:1:log-group:/a",
		"arn:aws:logs:us-east-1:1:log-group:/b" };
	static struct cw_keys keys = { "AKIAIOSFODNN7EXAMPLE",
		"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", NULL, 0, "fuzz" };
	struct input in = { data, size, 0 };
	struct cw_livetail_cfg cfg;
	struct cw_client c;
	struct cw_ctx ctx;
	struct cw_err err;

	if (size > 65536)
		return 0;
	memset(&ctx, 0, sizeof(ctx));
	ctx.now_ms = now;
	memset(&c, 0, sizeof(c));
	c.ctx = &ctx;
	c.fixed = &keys;
	c.wire = wire;
	c.wire_arg = &in;
	c.max_attempts = 1;
	memcpy(c.region, "us-east-1", 10);
	memcpy(c.endpoint, "http://127.0.0.1:1", 19);
	memcpy(c.service, "logs", 5);
	memset(&cfg, 0, sizeof(cfg));
	cfg.groups = groups;
	cfg.arns = arns;
	cfg.ngroups = 2;
	cfg.client = &c;
	cfg.fetch = fetch;
	cfg.emit = emit;
	cw_err_clear(&err);
	(void)cw_livetail_run(&cfg, &err);
	return 0;
}
