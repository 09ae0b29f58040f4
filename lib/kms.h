#ifndef CW_KMS_H
#define CW_KMS_H

#include <stddef.h>

#include "client.h"
#include "err.h"

/* AWS KMS over AWS JSON 1.1 (TrentService), for what an encrypted
 * topic needs. c is a client for cw_service_kms in the key's region. */

/* DescribeKey of key (an id, key ARN, alias name or alias ARN): the
 * key's ARN into arn and 1 in *aws_managed when AWS manages the key. */
int cw_kms_describe(struct cw_client *c, const char *key, char *arn,
	size_t size, int *aws_managed, struct cw_err *err);

/* GetKeyPolicy "default" of key (an id or key ARN, not an alias): the
 * policy's JSON text into *policy, freed by the caller. */
int cw_kms_key_policy(struct cw_client *c, const char *key, char **policy,
	struct cw_err *err);

#endif
