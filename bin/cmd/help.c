/*
 * What --help says of each option, one line each, as git's -h does: the
 * synopsis (each command's usage()) says what goes together, this says
 * what each does. The texts of every command are here, beside those of
 * the common options, so one table is read when an option is added.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "banned.h"

struct help_line {
	const char *opt, *what;
};

struct help_page {
	const char *name;
	const struct help_line *lines;
};

#define TIME_FORMS "30s, 10m, 2h, 3d, 1w, now, ISO 8601 or epoch"

static const struct help_line tail[] = {
	{ "-f, --follow", "print new events as they arrive, by polling" },
	{ "--live", "follow through Live Tail (a session, no polling)" },
	{ "-o, --output short|long|raw|json", "time and a source column "
		"fitted to the width, full time and names, message only, or "
		"one JSON object an event (default short on a terminal, raw "
		"in a pipe)" },
	{ "--no-prefix", "no group/stream column, only the time" },
	{ "--fields NAME,...", "of a JSON message, only these fields "
		"(a.b reaches into objects)" },
	{ "--highlight TERM", "mark TERM on a terminal (up to 5 times)" },
	{ "-s, --since TIME", "the oldest event (default 10m; "
		TIME_FORMS ")" },
	{ "-u, --until TIME", "the newest event (default now)" },
	{ "-n N", "only the last N events of the window" },
	{ "--stream PREFIX", "only streams whose names start with PREFIX" },
	{ "--filter PATTERN", "only events matching a CloudWatch filter "
		"pattern" },
	{ "--limit N", "stop after N events" },
	{ "--utc", "times in UTC, not the local zone" },
	{ "--lookback DURATION", "with -f: how far back each poll reads "
		"again (default 5m)" },
	{ "--checkpoint FILE", "with -f: keep the position in FILE, to "
		"restart with no gap" },
	{ "--list-groups", "list the log groups (under PREFIX)" },
	{ NULL, NULL }
};

static const struct help_line filter[] = {
	{ "-c, --count", "print the number of lines selected" },
	{ "-H, --with-filename", "put the file name before each line" },
	{ "--no-filename", "never put the file name before a line" },
	{ "-q, --quiet", "print nothing; stop at the first match" },
	{ "-v, --invert-match", "select the lines that do not match" },
	{ "--events", "read cw-tail -o json: match the messages" },
	{ "-o, --output raw|json", "the lines, or one JSON object each "
		"(short and long too with -g)" },
	{ "--explain", "print the parsed pattern as a tree and exit" },
	{ "-g, --group GROUP", "search the log group on the service "
		"(FilterLogEvents)" },
	{ "--since TIME", "with -g: the oldest event (default 10m; "
		TIME_FORMS ")" },
	{ "--until TIME", "with -g: the newest event (default now)" },
	{ "--stream PREFIX", "with -g: only streams starting with PREFIX" },
	{ "--limit N", "with -g: stop after N events" },
	{ "--utc", "with -g: times in UTC, not the local zone" },
	{ NULL, NULL }
};

static const struct help_line query[] = {
	{ "-g, --group GROUP", "a log group to query; repeat for several "
		"(50 at most)" },
	{ "-s, --since TIME", "the start of the window (default 1h; "
		TIME_FORMS ")" },
	{ "-u, --until TIME", "the end of the window (default now)" },
	{ "--limit N", "at most N rows" },
	{ "-o, --output table|tsv|json|csv", "aligned, tab-separated, one "
		"JSON object a row, or CSV" },
	{ "--csv-raw", "with csv: values as they are, no quote before a "
		"formula" },
	{ "-f, --file FILE", "read the query from FILE (- for stdin)" },
	{ "-x, --expanded", "one name | value line per field, for wide rows" },
	{ "--timing", "add the time the query took to the statistics" },
	{ "-m, --multiline", "at the prompt, Enter continues; ';' or an "
		"empty line runs" },
	{ "--null STRING", "show a missing field as STRING" },
	{ "--continue-on-error", "in a script, go on after a failed "
		"statement (the exit is still 2)" },
	{ NULL, NULL }
};

static const struct help_line diff[] = {
	{ "-e, --env ENV", "the environment (default production); repeat "
		"for several" },
	{ "--all-environments", "every environment the sets have a file for" },
	{ "-o, --output text|json", "the plan as a diff, or as JSON" },
	{ "--offline FILE", "compare with describe-alarms output, not the "
		"account" },
	{ "--prune", "propose deleting owned alarms no longer defined" },
	{ "--detailed-exitcode", "0 in sync, 2 differences, 1 an error" },
	{ "--export PREFIX", "print a definition file of the live alarms "
		"under PREFIX" },
	{ "--test-filters LOGFILE", "run the sets' metric filters over "
		"LOGFILE's lines" },
	{ "--check-metrics", "tell whether the metrics the alarms read "
		"exist" },
	{ "--check-actions", "tell whether every alarm action can deliver" },
	{ "--check", "both checks" },
	{ "--list-environments", "print the environments of the sets (or "
		"of the sets in ./alarms), one a line, for completion" },
	{ NULL, NULL }
};

static const struct help_line apply[] = {
	{ "-e, --env ENV", "the environment (default production); repeat "
		"for several" },
	{ "--all-environments", "every environment the sets have a file for" },
	{ "--prune", "delete owned alarms that are no longer defined" },
	{ "--allow-mass-delete", "allow a prune of more than half the "
		"alarms" },
	{ "--dry-run", "print the plan and the tag calls; write nothing" },
	{ "--yes", "write without asking" },
	{ "--rate [OP=]TPS", "calls a second, for OP or for every call; "
		"repeatable" },
	{ NULL, NULL }
};

static const struct help_line status[] = {
	{ "-r, --region REGION", "a region to ask; repeat for several at "
		"once" },
	{ "--state alarm|ok|insufficient|any", "the alarms to show "
		"(default alarm)" },
	{ "--prefix P", "only alarms whose names start with P" },
	{ "-o, --output table|json", "a table, or one JSON object an alarm" },
	{ "--watch SECONDS", "ask again every SECONDS (a pipe gets the "
		"changes)" },
	{ "--history NAME", "print the alarm's history" },
	{ "--test", "set each NAME to ALARM to test its actions" },
	{ "--yes", "with --test: do not ask" },
	{ "-e, --env ENV", "with PATH: the environment (default "
		"production)" },
	{ NULL, NULL }
};

static const struct help_line metric[] = {
	{ "-s, --since TIME", "the start of the window (default 3h; "
		TIME_FORMS ")" },
	{ "-u, --until TIME", "the end of the window (default now)" },
	{ "--period N", "seconds a point (default: fits the window)" },
	{ "--stat STAT", "Average, Sum, Minimum, Maximum, SampleCount or "
		"pNN" },
	{ "--alarm NAME", "draw the alarm's metric; repeat for more" },
	{ "-e, --env ENV", "with PATH: the environment (default "
		"production)" },
	{ "-o, --output spark|tsv|json", "a sparkline, or the points as "
		"TSV or JSON" },
	{ "--utc", "the time axis in UTC, not the local zone" },
	{ NULL, NULL }
};

static const struct help_line common[] = {
	{ "--profile NAME", "the profile of ~/.aws/config and credentials" },
	{ "--region REGION", "the region (default AWS_REGION, the "
		"profile's)" },
	{ "--endpoint-url URL", "send the calls to URL instead of AWS" },
	{ "--cli-read-timeout S", "give up on a silent connection after S "
		"seconds" },
	{ "--cli-connect-timeout S", "give up connecting after S seconds" },
	{ "--debug", "trace requests and answers on stderr (no secrets)" },
	{ "--no-color", "no colour even on a terminal" },
	{ "--version", "print the version" },
	{ "--list-regions", "print the regions --region takes, one a line "
		"(for completion)" },
	{ "-h, --help", "print this help" },
	{ NULL, NULL }
};

static const struct help_page pages[] = {
	{ "cw-tail", tail },
	{ "cw-filter", filter },
	{ "cw-query", query },
	{ "cw-alarm-diff", diff },
	{ "cw-alarm-apply", apply },
	{ "cw-alarm-status", status },
	{ "cw-metric", metric },
	{ NULL, NULL }
};

/* Descriptions line up after the widest option, as far as 28 columns;
 * a longer option has its description on the next line. */
#define HELP_COL 28

static void print_lines(FILE *fp, const struct help_line *l)
{
	for (; l->opt; l++) {
		if (strlen(l->opt) + 4 > HELP_COL)
			fprintf(fp, "    %s\n%*s%s\n", l->opt, HELP_COL + 2, "",
				l->what);
		else
			fprintf(fp, "    %-*s  %s\n", HELP_COL - 4, l->opt,
				l->what);
	}
}

void cmd_help(FILE *fp, const char *name)
{
	const struct help_page *p;

	for (p = pages; p->name && strcmp(p->name, name) != 0; p++)
		;
	if (p->name) {
		fputs("\noptions:\n", fp);
		print_lines(fp, p->lines);
	}
	fputs("\ncommon options:\n", fp);
	print_lines(fp, common);
}
