#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cancel.h"
#include "exitcodes.h"
#include "banned.h"

/* Reads the code from the terminal, not from stdin, which may be data. */
static int tty_prompt(void *arg, const char *question, char *answer,
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

void cmd_tty_setup(struct cw_ctx *ctx)
{
	ctx->prompt = isatty(STDIN_FILENO) ? tty_prompt : NULL;
}

int cmd_interrupted(void)
{
	return cw_cancel_requested(cw_cancel_process()) != 0;
}

/* A refusal of the command line: the reason, then the usage when the
 * reason is not enough on its own. */
static int refuse(const struct cmd *cmd, struct cw_cli *cli,
	const struct cw_err *err)
{
	if (err->msg[0])
		cw_cli_error(cli, err);
	if (!err->msg[0] || cli->show_usage)
		cmd->usage(stderr);
	return CW_EXIT_ERROR;
}

/* The options, then the operands: -1 to go on, else the exit status. */
static int parse(const struct cmd *cmd, struct cw_cli *cli, void *self,
	int argc, char **argv, struct cw_err *err)
{
	int c;

	while ((c = cw_cli_getopt(cli, argc, argv, cmd->optstring,
			cmd->longopts, err)) != -1) {
		if (c == CW_CLI_DONE)
			return cli->status == CW_EXIT_OK ? CW_EXIT_OK
				: refuse(cmd, cli, err);
		if (c == 'h') {
			cmd->usage(stdout);
			cmd_help(stdout, cmd->name);
			return CW_EXIT_OK;
		}
		if (cmd->option(self, c, optarg, err) < 0)
			return refuse(cmd, cli, err);
	}
	if (cmd->operands && cmd->operands(self, argc - optind,
			argv + optind, err) < 0)
		return refuse(cmd, cli, err);
	return -1;
}

/* What was printed must have been written, whatever the status. A
 * failure was explained already; a reader that went away (head) is not
 * an error to report. */
static int check_stdout(const struct cw_cli *cli, int rc)
{
	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return rc;
	if (rc != cli->fail_status && errno != EPIPE)
		fprintf(stderr, "%s: stdout: write failed\n", cli->prog);
	return cli->fail_status;
}

int cmd_main(const struct cmd *cmd, struct cw_cli *cli, void *self,
	int argc, char **argv)
{
	struct cw_err err;
	int rc;

	cw_err_clear(&err);
	cw_cli_init(cli, cmd->name, stdout, stderr);
	cmd_tty_setup(&cli->ctx);
	rc = parse(cmd, cli, self, argc, argv, &err);
	if (rc < 0 && cw_cancel_install(&err) < 0)
		rc = refuse(cmd, cli, &err);
	if (rc < 0) {
		rc = cmd->run(self, argc - optind, argv + optind, &err);
		if (cmd_interrupted())
			rc = CW_EXIT_INTERRUPTED;
		else if (rc == CW_EXIT_ERROR && err.msg[0])
			cw_cli_error(cli, &err);
	}
	rc = check_stdout(cli, rc);
	cmd->release(self);
	cw_cli_release(cli);
	return rc;
}
