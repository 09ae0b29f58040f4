#include <string.h>

#include "near.h"
#include "tap.h"
#include "banned.h"

static const char *nearest(const char *word, const char *const *names)
{
	struct cw_near n;

	cw_near_init(&n, word, strlen(word));
	for (; *names; names++)
		cw_near_try(&n, *names);
	return n.best ? n.best : "(none)";
}

int main(void)
{
	static const char *const opts[] = { "since", "until", "stream",
		"limit", "utc", "help", NULL };
	static const char *const regions[] = { "us-east-1", "us-east-2",
		"eu-west-1", "eu-west-2", "eu-central-1", NULL };
	static const char *const envs[] = { "production", "staging", NULL };
	static const char *const members[] = { "AlarmName", "Period",
		"EvaluationPeriods", "DatapointsToAlarm", NULL };

	is_str(nearest("sinse", opts), "since", "one letter changed");
	is_str(nearest("snice", opts), "since", "two letters swapped");
	is_str(nearest("untill", opts), "until", "one letter too many");
	is_str(nearest("eu-west1", regions), "eu-west-1", "a dash left out");
	is_str(nearest("eu-wset-2", regions), "eu-west-2", "a swap in a region");
	is_str(nearest("prod", envs), "production", "the beginning of a name");
	is_str(nearest("stagign", envs), "staging", "a swap at the end");
	is_str(nearest("EvalutionPeriods", members), "EvaluationPeriods",
		"a definition member missing a letter");
	is_str(nearest("evaluationperiods", members), "EvaluationPeriods",
		"case ignored");
	is_str(nearest("xyz", opts), "(none)", "nothing near");
	is_str(nearest("Threshold", members), "(none)", "a long word far from all");
	is_str(nearest("since", opts), "(none)", "the word itself is no suggestion");
	is_str(nearest("", opts), "(none)", "an empty word suggests nothing");
	ok(cw_near_distance("kitten", 6, "sitting", 7) == 3, "kitten, sitting: 3");
	ok(cw_near_distance("ab", 2, "ba", 2) == 1, "a swap counts one");
	ok(cw_near_distance("a", 1, "abcdefghijklmnopqrstuvwxyz", 26) == 8,
		"far is counted up to 8");
	return tap_done();
}
