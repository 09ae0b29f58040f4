#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alarmaccount.h"
#include "endpoint.h"
#include "sts.h"
#include "banned.h"

static int same(const char *x, const char *y)
{
	return x == y || (x && y && strcmp(x, y) == 0);
}

static char *dup_or_null(const char *s, int *oom)
{
	char *d;

	if (!s)
		return NULL;
	if (!(d = strdup(s)))
		*oom = 1;
	return d;
}

static void entry_release(struct cw_alarmaccount *e)
{
	cw_creds_provider_free(e->creds);
	free(e->profile);
	free(e->role_arn);
	free(e->external_id);
	memset(e, 0, sizeof(*e));
}

/* The keys of e: a profile's or a role's, over the command's keys. */
static int entry_creds(const struct cw_alarmaccounts_io *io,
	struct cw_alarmaccount *e, const char *region, struct cw_err *err)
{
	struct cw_creds_opts o = { .profile = e->profile, .region = region,
		.role_arn = e->role_arn, .external_id = e->external_id };

	if (!e->profile && !e->role_arn)
		return 0;
	e->creds = io->creds(io->arg, &o, err);
	return e->creds ? 0 : -1;
}

/* GetCallerIdentity with e's keys, in region (the command's when ""). */
static int ask(const struct cw_alarmaccounts_io *io,
	struct cw_alarmaccount *e, const char *region, struct cw_err *err)
{
	struct cw_sts_identity id;
	struct cw_client c;
	int rc;

	rc = io->sts(io->arg, region, &c, err);
	if (rc == 0 && !e->creds && entry_creds(io, e, c.region, err) < 0)
		rc = -1;
	if (rc == 0 && e->creds)
		c.keys = cw_creds_source(e->creds);
	if (rc == 0 && cw_sts_get_caller_identity(&c, &id, err) < 0)
		rc = cw_err_wrap(err, "sts GetCallerIdentity");
	cw_client_release(&c);
	if (rc < 0)
		return -1;
	snprintf(e->account, sizeof(e->account), "%s", id.account);
	return 0;
}

/* The entry for set's way to keys, added when new. */
static struct cw_alarmaccount *entry_for(struct cw_alarmaccounts *a,
	const struct cw_alarmset *set, struct cw_err *err)
{
	struct cw_alarmaccount *e;
	size_t i;
	int oom = 0;

	for (i = 0; i < a->n; i++) {
		e = &a->v[i];
		if (same(e->profile, set->profile)
				&& same(e->role_arn, set->role_arn)
				&& same(e->external_id, set->external_id))
			return e;
	}
	if (a->n == CW_ALARMACCOUNT_MAX) {
		cw_err_set(err, "more than %d accounts", CW_ALARMACCOUNT_MAX);
		return NULL;
	}
	e = &a->v[a->n];
	e->profile = dup_or_null(set->profile, &oom);
	e->role_arn = dup_or_null(set->role_arn, &oom);
	e->external_id = dup_or_null(set->external_id, &oom);
	if (oom) {
		entry_release(e);
		cw_err_set(err, "out of memory");
		return NULL;
	}
	a->n++;
	return e;
}

static const char *env_of(const struct cw_alarmset *set)
{
	const char *s = strrchr(set->name, '/');

	return s ? s + 1 : set->name;
}

static int check_one(struct cw_alarmaccounts *a, const struct cw_alarmset *set,
	struct cw_alarmaccount **out, struct cw_err *err)
{
	struct cw_alarmaccount *e = entry_for(a, set, err);

	if (!e)
		return -1;
	*out = e;
	if (!set->account_id)
		return 0;
	if (!e->account[0] && ask(&a->io, e, set->region, err) < 0)
		return cw_err_wrap(err, "environment %s", env_of(set));
	if (strcmp(e->account, set->account_id) == 0)
		return 0;
	return cw_err_set(err, "environment %s: account %s is not %s "
		"(AccountId in %s/env/%s.json)", env_of(set), e->account,
		set->account_id, set->dir, env_of(set));
}

int cw_alarmaccounts_check(struct cw_alarmaccounts *a,
	const struct cw_alarmset *sets, size_t n,
	struct cw_alarmaccount **out, struct cw_err *err)
{
	struct cw_alarmaccount *e;
	size_t i;

	*out = NULL;
	for (i = 0; i < n; i++) {
		if (check_one(a, &sets[i], &e, err) < 0)
			return -1;
		/* One run's clients have one set of keys. */
		if (*out && e != *out)
			return cw_err_set(err, "%s and %s: one environment, "
				"two ways to the account (AccountId, Profile, "
				"RoleArn differ); give them separately",
				sets[0].dir, sets[i].dir);
		*out = e;
	}
	return 0;
}

void cw_alarmaccounts_release(struct cw_alarmaccounts *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		entry_release(&a->v[i]);
	a->n = 0;
}
