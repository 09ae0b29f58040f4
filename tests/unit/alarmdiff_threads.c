/* Plans are made on several threads at once (the environments of one
 * run): normalizing on two threads, each sorting by its own member,
 * gives each the order it would get alone. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alarmdiff.h"
#include "tap.h"
#include "banned.h"

#define ROUNDS 200000

struct job {
	const char *in, *want;	/* the member sorted, first in order */
	const char *list, *key;
	int wrong;
};

/* Normalizes job's alarm ROUNDS times: how often the list came out in
 * another order. */
static void *normalize_all(void *arg)
{
	struct job *j = arg;
	cJSON *in = cJSON_Parse(j->in), *n;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		const char *first;

		n = cw_alarmdiff_normalize(CW_ALARMDEF_METRIC, in);
		first = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
			cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(n,
			j->list), 0), j->key));
		j->wrong += !first || strcmp(first, j->want) != 0;
		cJSON_Delete(n);
	}
	cJSON_Delete(in);
	return NULL;
}

int main(void)
{
	struct job dims = { "{\"AlarmName\":\"a\",\"Namespace\":\"N\","
		"\"MetricName\":\"M\",\"Dimensions\":[{\"Name\":\"z\","
		"\"Value\":\"1\"},{\"Name\":\"b\",\"Value\":\"2\"},{\"Name\":"
		"\"m\",\"Value\":\"3\"}]}", "b", "Dimensions", "Name", 0 };
	struct job metrics = { "{\"AlarmName\":\"b\",\"Metrics\":[{\"Id\":"
		"\"y\",\"Expression\":\"x*2\"},{\"Id\":\"c\",\"Expression\":"
		"\"x*3\"},{\"Id\":\"q\",\"Expression\":\"x*4\"}]}", "c",
		"Metrics", "Id", 0 };
	pthread_t t;

	if (!ok(pthread_create(&t, NULL, normalize_all, &metrics) == 0,
			"a second thread"))
		return tap_done();
	normalize_all(&dims);
	pthread_join(t, NULL);
	ok(dims.wrong == 0, "Dimensions sorted by Name on one thread "
		"(%d of %d wrong)", dims.wrong, ROUNDS);
	ok(metrics.wrong == 0, "Metrics sorted by Id on the other (%d of %d "
		"wrong)", metrics.wrong, ROUNDS);
	return tap_done();
}
