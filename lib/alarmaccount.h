#ifndef CW_ALARMACCOUNT_H
#define CW_ALARMACCOUNT_H

#include <stddef.h>

#include "alarmdef.h"
#include "client.h"
#include "creds.h"
#include "err.h"

/*
 * The accounts alarm definition sets are meant for (AccountId in their
 * environment files) and the keys that reach each: the command's own,
 * a profile's (Profile), or a role assumed with the command's keys
 * (RoleArn, ExternalId). Each distinct way to keys asks STS
 * GetCallerIdentity once, and a set whose AccountId is not the account
 * the keys lead to is refused before anything else is called.
 */

#define CW_ALARMACCOUNT_MAX 32

struct cw_alarmaccount {
	char *profile, *role_arn, *external_id;	/* NULL: not named */
	struct cw_creds_provider *creds;	/* NULL: the command's */
	char account[32];			/* "" until asked */
};

/* How the library reaches the command's keys, set by the command. */
struct cw_alarmaccounts_io {
	/* An STS client in region ("": the command's default) with the
	 * command's keys, released with cw_client_release; -1 with err. */
	int (*sts)(void *arg, const char *region, struct cw_client *out,
		struct cw_err *err);
	/* A provider for o's profile or role over the command's keys
	 * (o->base and o->files are the command's to fill); NULL with
	 * err. Called after sts. */
	struct cw_creds_provider *(*creds)(void *arg, struct cw_creds_opts *o,
		struct cw_err *err);
	void *arg;
};

struct cw_alarmaccounts {
	struct cw_alarmaccounts_io io;
	size_t n;
	struct cw_alarmaccount v[CW_ALARMACCOUNT_MAX];
};

/*
 * The account every one of sets[0..n) is for, checked: *out is the
 * entry of a (owned by a) whose keys the sets' calls use. -1 with err
 * when the keys lead to another account than a set's AccountId (err
 * names both, the environment and its file), when the keys cannot be
 * had, or when the sets of one run name different accounts.
 */
int cw_alarmaccounts_check(struct cw_alarmaccounts *a,
	const struct cw_alarmset *sets, size_t n,
	struct cw_alarmaccount **out, struct cw_err *err);
void cw_alarmaccounts_release(struct cw_alarmaccounts *a);

#endif
