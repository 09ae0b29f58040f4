#ifndef CW_BIN_CMD_H
#define CW_BIN_CMD_H

/*
 * What the commands share outside lib/: the usage text of the common
 * options, and the terminal. The library asks for an MFA code through
 * ctx.prompt; a command that has a terminal sets it with
 * cmd_tty_setup(&cli.ctx) after cw_cli_init().
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "ctx.h"

/* The common options of lib/cli.h (CW_CLI_LONG_OPTIONS), for usage(). */
#define CW_CLI_USAGE_COMMON "[common-options]"
#define CW_CLI_USAGE_COMMON_LIST \
	"common options: [--profile NAME] [--region REGION] " \
	"[--endpoint-url URL]\n" \
	"       [--cli-read-timeout S] [--cli-connect-timeout S] [--debug] " \
	"[--no-color] [--version]\n"

/* Reads the code from the terminal, not from stdin, which may be data. */
static int cmd_tty_prompt(void *arg, const char *question, char *answer,
	size_t size)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	ssize_t n;

	(void)arg;
	if (fd < 0)
		return -1;
	if (write(fd, question, strlen(question)) < 0
			|| (n = read(fd, answer, size - 1)) <= 0) {
		close(fd);
		return -1;
	}
	close(fd);
	answer[n] = '\0';
	answer[strcspn(answer, "\r\n")] = '\0';
	return 0;
}

static inline void cmd_tty_setup(struct cw_ctx *ctx)
{
	ctx->prompt = isatty(STDIN_FILENO) ? cmd_tty_prompt : NULL;
}

#endif
