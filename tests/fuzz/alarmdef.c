/*
 * libFuzzer target: alarm definition files on any bytes. The input is
 * one definition file, loaded, validated and planned against an empty
 * account; the same bytes as a saved describe-alarms file are
 * normalized and exported.
 */
#include <stddef.h>
#include <stdint.h>

#include "alarmdef.h"
#include "alarmdiff.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char env[] = "{\"Region\":\"eu-west-2\",\"Prefixes\":[\"a\",\"b\"],"
	"\"Vars\":{\"n\":5,\"s\":\"x\",\"l\":[\"arn:aws:sns:r:1:t\"]}}";

static void as_live(const char *text, size_t size)
{
	struct cw_jsonpos pos = { 0 };
	struct cw_alarmdiff_live live;
	struct cw_err err;
	const cJSON *a;
	cJSON *doc = cw_jsonpos_parse(&pos, "live", text, size, &err), *x;

	if (doc && cw_alarmdiff_live_init(&live) == 0
			&& cw_alarmdiff_live_add(&live, doc, NULL) == 0) {
		cJSON_ArrayForEach(a, live.metric) {
			x = cw_alarmdiff_export(CW_ALARMDEF_METRIC, a);
			cJSON_Delete(x);
		}
		cJSON_ArrayForEach(a, live.composite) {
			x = cw_alarmdiff_export(CW_ALARMDEF_COMPOSITE, a);
			cJSON_Delete(x);
		}
	}
	if (doc)
		cw_alarmdiff_live_release(&live);
	cJSON_Delete(doc);
	cw_jsonpos_release(&pos);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cw_alarmset set;
	struct cw_alarmdef_errors errs = { CW_BUF_INIT, 0 };
	struct cw_alarmdiff_live live;
	struct cw_alarmdiff_plan plan = { NULL, 0, 0 };
	struct cw_buf out = CW_BUF_INIT;
	struct cw_err err;

	if (cw_alarmset_load_mem(&set, "production", env, sizeof(env) - 1,
			(const char *)data, size, &errs, &err) == 0
			&& cw_alarmdiff_live_init(&live) == 0) {
		if (cw_alarmdiff_plan(&plan, &set, 1, &live) == 0) {
			cw_alarmdiff_format_text(&plan, &out, 1);
			cw_alarmdiff_format_json(&plan, &out);
		}
		cw_alarmdiff_plan_release(&plan);
		cw_alarmdiff_live_release(&live);
	}
	cw_buf_release(&out);
	cw_alarmset_release(&set);
	cw_alarmdef_errors_release(&errs);
	as_live((const char *)data, size);
	return 0;
}
