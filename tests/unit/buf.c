#include <stdlib.h>

#include "buf.h"
#include "err.h"
#include "tap.h"
#include "banned.h"

int main(void)
{
	struct cw_buf b = CW_BUF_INIT;
	struct cw_err e;
	char *s;
	size_t n;

	is_str(cw_buf_str(&b), "", "empty buffer reads as empty string");
	cw_buf_adds(&b, "abc");
	cw_buf_addc(&b, '-');
	cw_buf_addf(&b, "%d/%s", 42, "x");
	is_str(cw_buf_str(&b), "abc-42/x", "adds, addc and addf append");
	is_int((long long)b.len, 8, "length follows the content");
	cw_buf_drop(&b, 4);
	is_str(cw_buf_str(&b), "42/x", "drop takes bytes off the front");
	is_int((long long)b.len, 4, "...and shortens it");
	cw_buf_drop(&b, 9);
	is_str(cw_buf_str(&b), "", "dropping more than it holds empties it");
	cw_buf_adds(&b, "abc-42/x");
	cw_buf_reset(&b);
	is_str(cw_buf_str(&b), "", "reset empties");
	cw_buf_release(&b);

	cw_buf_init(&b, 4);
	ok(cw_buf_adds(&b, "1234") == 0, "append up to the cap succeeds");
	ok(cw_buf_adds(&b, "5") < 0, "append past the cap fails");
	is_str(cw_buf_str(&b), "1234", "a failed append leaves the content");
	s = cw_buf_detach(&b, &n);
	is_str(s, "1234", "detach hands over the string");
	is_int((long long)n, 4, "detach reports the length");
	ok(b.p == NULL && b.len == 0, "detach empties the buffer");
	free(s);

	cw_err_clear(&e);
	ok(cw_err_set(&e, "open %s", "x") == -1, "cw_err_set returns -1");
	cw_err_wrap(&e, "profile %s", "dev");
	is_str(e.msg, "profile dev: open x", "cw_err_wrap prefixes");
	return tap_done();
}
