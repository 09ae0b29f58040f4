#ifndef CW_BIN_TTY_H
#define CW_BIN_TTY_H

/*
 * The terminal side of the commands, kept out of lib/: the library asks
 * for an MFA code through ctx.prompt, and a command that has a terminal
 * sets it with cmd_tty_setup(&cli.ctx) after cw_cli_init().
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "ctx.h"

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
