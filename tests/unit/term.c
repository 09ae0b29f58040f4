#include <stdlib.h>
#include <string.h>

#include "term.h"
#include "tap.h"
#include "vis.h"
#include "banned.h"

static const char *vis(const char *s, size_t cols, int utf8)
{
	static struct cw_buf b = CW_BUF_INIT;

	cw_buf_reset(&b);
	cw_vis_line(&b, s, cols, utf8);
	return cw_buf_str(&b);
}

int main(void)
{
	char age[16];

	is_str(vis("plain text", 0, 1), "plain text", "plain text as it is");
	is_str(vis("a\033[2Jb", 0, 1), "a\\033[2Jb", "ESC made visible");
	is_str(vis("l1\nl2\tx\r", 0, 1), "l1\\012l2\\011x\\015", "newline, tab, CR");
	is_str(vis("\x7f\x01", 0, 1), "\\177\\001", "DEL and C0");
	is_str(vis("a\xc2\x9b" "b", 0, 1), "a\\302\\233b", "C1 CSI made visible");
	is_str(vis("caf\xc3\xa9", 0, 1), "caf\xc3\xa9", "valid UTF-8 kept");
	is_str(vis("a\xff" "b", 0, 1), "a\\377b", "invalid UTF-8 made visible");
	is_str(vis("\xe2\x82", 0, 1), "\\342\\202", "truncated sequence");
	is_str(vis("abcdef", 4, 1), "abc\xe2\x80\xa6", "cut to 4 columns with an ellipsis");
	is_str(vis("abcd", 4, 1), "abcd", "exactly 4 columns: not cut");
	is_str(vis("abcdef", 4, 0), "abc~", "cut without UTF-8");
	is_str(vis("ab\033cdef", 4, 1), "ab\xe2\x80\xa6", "an escape is as wide as it is long");
	is_str(vis("\xc3\xa9\xc3\xa9\xc3\xa9", 2, 1), "\xc3\xa9\xe2\x80\xa6", "a character counts one column");
	is_str(vis(NULL, 0, 1), "", "NULL is empty");

	cw_term_age(age, sizeof(age), 45000);
	is_str(age, "45s", "seconds");
	cw_term_age(age, sizeof(age), 12 * 60000 + 5000);
	is_str(age, "12m", "minutes");
	cw_term_age(age, sizeof(age), 5 * 3600000LL);
	is_str(age, "5h", "hours");
	cw_term_age(age, sizeof(age), 50 * 3600000LL);
	is_str(age, "2d", "days after 48 hours");
	cw_term_age(age, sizeof(age), -5);
	is_str(age, "0s", "a clock ahead of the server: 0s");
	ok(cw_term_width(-1) == 0, "no terminal: width 0");
	return tap_done();
}
