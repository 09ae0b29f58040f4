/*
 * cputime FILE CMD: runs the shell command CMD (by /bin/sh -c, "exec"
 * in front when it holds no pipe) and writes to FILE the CPU time it and
 * every process it started took, user plus system, then its wall time,
 * in seconds. The command is started by posix_spawn, so the copy of a
 * large parent (a shell) is not counted, and neither is anything before
 * it. The exit status is the command's.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static double secs(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	char *cmd, *args[4];
	FILE *out;
	pid_t pid;
	int st;

	if (argc != 3) {
		fprintf(stderr, "usage: cputime FILE CMD\n");
		return 2;
	}
	cmd = malloc(strlen(argv[2]) + 6);
	if (!cmd)
		return 2;
	snprintf(cmd, strlen(argv[2]) + 6, "%s%s",
		strchr(argv[2], '|') ? "" : "exec ", argv[2]);
	args[0] = "sh";
	args[1] = "-c";
	args[2] = cmd;
	args[3] = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (posix_spawn(&pid, "/bin/sh", NULL, NULL, args, environ) != 0) {
		perror("cputime: /bin/sh");
		return 2;
	}
	if (wait4(pid, &st, 0, &ru) < 0) {
		perror("cputime: wait4");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	out = fopen(argv[1], "w");
	if (!out)
		return 2;
	fprintf(out, "%.6f %.6f\n", secs(ru.ru_utime) + secs(ru.ru_stime),
		(double)(t1.tv_sec - t0.tv_sec) +
		(double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	fclose(out);
	free(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
