#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "banned.h"

/* Access key ids, secrets and session tokens are base64 or
 * alphanumeric: anything outside the visible ASCII range is a mistake
 * or an attack on the request headers. */
int cw_keys_valid(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

static int check(const char *v, const char *name, const char *what,
	struct cw_err *err)
{
	if (v && !cw_keys_valid(v))
		return cw_err_set(err, "%s: the %s holds a control character, "
			"space or non-ASCII byte", what, name);
	return 0;
}

int cw_keys_check(const struct cw_keys *k, const char *what,
	struct cw_err *err)
{
	if (check(k->access_key, "access key id", what, err) < 0
			|| check(k->secret_key, "secret access key", what, err) < 0
			|| check(k->token, "session token", what, err) < 0)
		return -1;
	return 0;
}

void cw_keys_release(struct cw_keys *k)
{
	if (!k)
		return;
	if (k->access_key)
		explicit_bzero(k->access_key, strlen(k->access_key));
	if (k->secret_key)
		explicit_bzero(k->secret_key, strlen(k->secret_key));
	if (k->token)
		explicit_bzero(k->token, strlen(k->token));
	free(k->access_key);
	free(k->secret_key);
	free(k->token);
	k->access_key = k->secret_key = k->token = NULL;
	k->expires_ms = 0;
}

int cw_keys_set(struct cw_keys *out, const char *ak, const char *sk,
	const char *token, int64_t expires_ms, const char *what,
	struct cw_err *err)
{
	struct cw_keys k = { NULL, NULL, NULL, expires_ms, "" };

	if (!token || !*token)
		token = NULL;
	k.access_key = (char *)ak;
	k.secret_key = (char *)sk;
	k.token = (char *)token;
	if (cw_keys_check(&k, what, err) < 0)
		return -1;
	cw_keys_release(out);
	out->access_key = strdup(ak);
	out->secret_key = strdup(sk);
	out->token = token ? strdup(token) : NULL;
	out->expires_ms = expires_ms;
	if (!out->access_key || !out->secret_key || (token && !out->token)) {
		cw_keys_release(out);
		return cw_err_set(err, "%s: out of memory", what);
	}
	return 0;
}
