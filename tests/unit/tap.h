#ifndef CW_TAP_H
#define CW_TAP_H

/* A tiny TAP producer for the C unit tests: one header, no library. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define TAP_UNUSED __attribute__((unused))

static int tap_n, tap_failed, tap_planned;

TAP_UNUSED static void tap_plan(int n)
{
	printf("1..%d\n", n);
	tap_planned = 1;
}

/* Prints the trailing plan unless one was given; returns main's status. */
TAP_UNUSED static int tap_done(void)
{
	if (!tap_planned)
		printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

TAP_UNUSED __attribute__((format(printf, 2, 3)))
static int ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!cond)
		tap_failed++;
	return cond;
}

TAP_UNUSED static void diag(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* String equality with a diagnostic showing both sides. */
TAP_UNUSED static int is_str(const char *got, const char *want, const char *name)
{
	int r = ok(got && want && strcmp(got, want) == 0, "%s", name);

	if (!r) {
		diag("     got: '%s'", got ? got : "(null)");
		diag("expected: '%s'", want ? want : "(null)");
	}
	return r;
}

TAP_UNUSED static int is_int(long long got, long long want, const char *name)
{
	int r = ok(got == want, "%s", name);

	if (!r)
		diag("got %lld, expected %lld", got, want);
	return r;
}

#endif
