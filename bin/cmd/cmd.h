#ifndef CW_BIN_CMD_H
#define CW_BIN_CMD_H

/*
 * What the commands share outside lib/: one main() for all of them
 * (cmd_main, as git's run_builtin), the usage text of the common
 * options, and the terminal.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "ctx.h"
#include "err.h"

/* The common options of cli.h (CW_CLI_LONG_OPTIONS), for usage(). */
#define CW_CLI_USAGE_COMMON "[common-options]"
#define CW_CLI_USAGE_COMMON_LIST \
	"common options: [--profile NAME] [--region REGION] " \
	"[--endpoint-url URL]\n" \
	"       [--cli-read-timeout S] [--cli-connect-timeout S] [--debug] " \
	"[--no-color] [--version]\n"

/*
 * A command, for cmd_main. self is the command's own state. option and
 * operands return 0, or -1 to stop with exit 2: err says why, and the
 * usage follows when err is empty or cli->show_usage is set. run gets the
 * operands and returns the exit status; with CW_EXIT_ERROR, err (when
 * filled) is printed as "prog: message". release frees what self holds,
 * whether run ran or not.
 */
struct cmd {
	const char *name;
	const char *optstring;		/* -h is the skeleton's */
	const struct option *longopts;
	void (*usage)(FILE *fp);
	int (*option)(void *self, int opt, const char *arg,
		struct cw_err *err);
	int (*operands)(void *self, int argc, char **argv,
		struct cw_err *err);
	int (*run)(void *self, int argc, char **argv, struct cw_err *err);
	void (*release)(void *self);
};

/*
 * The whole life of a command: cli set up on the terminal, the options,
 * the cancellation flag, run, 130 after SIGINT or SIGTERM, the error
 * message, and stdout checked once whatever the status: a write that
 * failed is cli->fail_status (2) with a message (quiet for a reader that
 * went away).
 * Returns the exit status.
 */
int cmd_main(const struct cmd *cmd, struct cw_cli *cli, void *self,
	int argc, char **argv);

/* What --help prints after the usage: a line for each option of the
 * command called name, then for each common option (bin/help.c). */
void cmd_help(FILE *fp, const char *name);

/* 1 once SIGINT or SIGTERM came. */
int cmd_interrupted(void);

/* Asks for an MFA code on the terminal when stdin is one. */
void cmd_tty_setup(struct cw_ctx *ctx);

#endif
