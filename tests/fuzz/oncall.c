/*
 * libFuzzer target: what the on-call commands take from servers and
 * users. The first byte picks: server text made visible for a terminal
 * (the rest of the byte is the column limit; no control byte may come
 * out), a --stat value, or an alarm (JSON) turned into metric queries.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "metric.h"
#include "vis.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void visible(const char *s, size_t cols)
{
	struct cw_buf b = CW_BUF_INIT;
	size_t i;

	cw_vis_line(&b, s, cols, cols & 1);
	for (i = 0; i < b.len; i++)
		if ((unsigned char)b.p[i] < 0x20 || b.p[i] == 0x7f)
			abort();
	cw_buf_release(&b);
}

static void alarm_queries(const char *s)
{
	struct cw_metric_series ms;
	struct cw_err err;
	cJSON *a = cJSON_Parse(s);

	memset(&ms, 0, sizeof(ms));
	cw_metric_series_alarm(&ms, a, &err);
	cw_metric_breach(&ms, 1.0);
	cw_metric_series_release(&ms);
	cJSON_Delete(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size < 1)
		return 0;
	s = strndup((const char *)data + 1, size - 1);
	if (!s)
		return 0;
	switch (data[0] % 3) {
	case 0: visible(s, data[0] / 3); break;
	case 1: cw_metric_stat_valid(s); break;
	default: alarm_queries(s); break;
	}
	free(s);
	return 0;
}
