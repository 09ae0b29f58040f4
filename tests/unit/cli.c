/* lib/cli: what the library takes from the environment through the
 * context, and that the option names stay in the command layer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tap.h"
#include "banned.h"

static int64_t fixed_now(void *arg)
{
	(void)arg;
	return 1795000000000LL;
}

int main(void)
{
	struct cw_cli_events ev;
	struct cw_cli cli;
	struct cw_err err;

	unsetenv("NO_COLOR");
	cw_cli_init(&cli, "t", stdout, stderr);
	ok(!cli.no_color, "no NO_COLOR: color allowed");
	ok(cli.ctx.prompt == NULL, "the library sets no terminal prompt; the command does");
	setenv("NO_COLOR", "1", 1);
	cw_cli_init(&cli, "t", stdout, stderr);
	ok(cli.no_color, "NO_COLOR reaches cli.no_color through the context");
	setenv("NO_COLOR", "", 1);
	cw_cli_init(&cli, "t", stdout, stderr);
	ok(!cli.no_color, "an empty NO_COLOR is unset");

	cli.ctx.now_ms = fixed_now;
	memset(&ev, 0, sizeof(ev));
	ev.since = "2026-02-30";
	cw_err_clear(&err);
	ok(cw_cli_event_window(&cli, &ev, &err) < 0, "a bad --since fails");
	is_str(err.msg, "--since: time '2026-02-30': not a valid date and time",
		"the option is named by the command layer, the time by timespec");
	ev.since = "1h";
	ev.until = "2h";
	ok(cw_cli_event_window(&cli, &ev, &err) < 0, "--until before --since fails");
	is_str(err.msg, "--until is before --since", "and says so");
	ev.until = NULL;
	ok(cw_cli_event_window(&cli, &ev, &err) == 0
		&& ev.filter.start_ms == 1795000000000LL - 3600000
		&& ev.filter.end_ms == 0, "1h: a window an hour back, open-ended");
	cw_cli_release(&cli);
	return tap_done();
}
