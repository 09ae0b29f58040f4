#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "ini.h"
#include "tap.h"
#include "banned.h"

static struct cw_ini *parse(const char *text, struct cw_err *err)
{
	cw_err_clear(err);
	return cw_ini_parse("conf", text, strlen(text), err);
}

static void syntax(void)
{
	struct cw_err err;
	struct cw_ini *ini = parse(
		"\xEF\xBB\xBF# full-line comment\n"
		"; another\n"
		"[default]\n"
		"region = eu-west-1   \n"
		"output=json # inline comment\n"
		"  \n"
		"[profile dev]\r\n"
		"role_arn = arn:aws:iam::123456789012:role/r\r\n"
		"source_profile=default ; why\n"
		"Mixed_Case = v\n"
		"url = http://x/#frag\n"
		"colon: yes\n"
		"empty =\n"
		"s3 =\n"
		"  max_concurrent_requests = 10\n"
		"  addressing_style = path\n"
		"after = 1\n"
		"[ sso-session corp ]  # comment\n"
		"sso_region = us-east-1\n"
		"multi = first\n"
		"   second line\n"
		"[default]\n"
		"region = us-east-2\n", &err);

	ok(ini != NULL, "a file with every construct parses");
	if (!ini) {
		diag("%s", err.msg);
		return;
	}
	is_str(cw_ini_get(ini, "default", "region"), "us-east-2",
		"a repeated section continues; later value wins");
	is_str(cw_ini_get(ini, "default", "output"), "json", "inline # comment cut");
	is_str(cw_ini_get(ini, "profile dev", "role_arn"),
		"arn:aws:iam::123456789012:role/r", "first delimiter splits; CRLF trimmed");
	is_str(cw_ini_get(ini, "profile dev", "source_profile"), "default",
		"inline ; comment cut");
	is_str(cw_ini_get(ini, "profile dev", "Mixed_Case"), "v", "keys keep their case");
	ok(cw_ini_get(ini, "profile dev", "mixed_case") == NULL, "keys are case-sensitive");
	is_str(cw_ini_get(ini, "profile dev", "url"), "http://x/#frag",
		"'#' without whitespace before it is not a comment");
	is_str(cw_ini_get(ini, "profile dev", "colon"), "yes", "':' delimiter");
	is_str(cw_ini_get(ini, "profile dev", "empty"), "", "empty value");
	is_str(cw_ini_get(ini, "profile dev", "s3.max_concurrent_requests"), "10",
		"indented sub-key stored as parent.key");
	is_str(cw_ini_get(ini, "profile dev", "s3.addressing_style"), "path",
		"second sub-key");
	is_str(cw_ini_get(ini, "profile dev", "after"), "1", "sub-section ends at a plain line");
	ok(cw_ini_has_section(ini, "sso-session corp"), "section name trimmed");
	is_str(cw_ini_get(ini, "sso-session corp", "multi"), "first\nsecond line",
		"indented line continues a value");
	ok(cw_ini_get(ini, "nosuch", "x") == NULL && !cw_ini_has_section(ini, "nosuch"),
		"unknown section");
	cw_ini_free(ini);
}

static void errors(void)
{
	static const char *bad[][2] = {
		{ "key = v\n", "conf:1: key outside a section" },
		{ "[a]\nx = 1\njunk\n", "conf:3: expected 'key = value'" },
		{ "[a\n", "conf:1: section header without ']'" },
		{ "[]\n", "conf:1: empty section name" },
		{ "[a] b\n", "conf:1: text after section header" },
		{ "[a]\n = v\n", "conf:2: empty key" },
	};
	struct cw_err err;
	struct cw_ini *ini;
	size_t i;
	char nul[] = "[a]\nx = 1\0\n";

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ini = parse(bad[i][0], &err);
		ok(ini == NULL, "malformed input %zu is refused", i);
		is_str(err.msg, bad[i][1], "error names file and line");
		cw_ini_free(ini);
	}
	cw_err_clear(&err);
	ini = cw_ini_parse("conf", nul, sizeof(nul) - 1, &err);
	ok(ini == NULL && strcmp(err.msg, "conf:2: NUL byte") == 0, "NUL byte refused");
	cw_ini_free(ini);
}

static void limits(void)
{
	struct cw_err err;
	struct cw_ini *ini;
	size_t n = (64 << 10) + 16;
	char *big = malloc(n + 8);

	memcpy(big, "[a]\nk=", 6);
	memset(big + 6, 'x', n);
	big[n + 6] = '\0';
	ini = parse(big, &err);
	ok(ini == NULL && strstr(err.msg, "conf:2: line too long"), "long line refused");
	cw_ini_free(ini);
	free(big);
	cw_err_clear(&err);
	ini = cw_ini_parse("conf", "", ((size_t)32 << 20) + 1, &err);
	ok(ini == NULL && strstr(err.msg, "file too large (limit 32 MiB)"),
		"file over 32 MiB refused");
	cw_ini_free(ini);
}

/* profiles SSO profiles as a config file, about 162 bytes each. */
static void sso_config(struct cw_buf *b, int profiles)
{
	int i;

	cw_buf_reset(b);
	for (i = 0; i < profiles; i++)
		cw_buf_addf(b, "[profile team-%05d-ReadOnlyAccess]\n"
			"sso_session = corp\nsso_account_id = %012d\n"
			"sso_role_name = ReadOnlyAccess\nregion = eu-west-1\n"
			"output = json\ncli_pager =\n\n", i, 100000 + i);
}

static double parse_seconds(const struct cw_buf *b)
{
	struct cw_err err;
	struct cw_ini *ini;
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ini = cw_ini_parse("config", b->p, b->len, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cw_ini_free(ini);
	return (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
}

/* A company-wide SSO config: 40000 profiles, about 6.5 MiB, past the old
 * 1 MiB cap. Sections are hashed: four times the profiles cost about
 * four times the time, not sixteen (a ratio, so that valgrind's pace
 * does not matter). */
static void large(void)
{
	struct cw_buf b = CW_BUF_INIT;
	struct cw_err err;
	struct cw_ini *ini;
	double small, big;
	int i;

	sso_config(&b, 10000);
	small = parse_seconds(&b);
	sso_config(&b, 40000);
	big = parse_seconds(&b);
	ok(big < 10 * small + 0.05, "parsing stays linear: 10000 profiles %.3f s, "
		"40000 %.3f s", small, big);
	cw_buf_adds(&b, "[profile team-00007-ReadOnlyAccess]\nextra = yes\n");
	ok(b.len > ((size_t)5 << 20), "the config is over 5 MiB (%zu bytes)", b.len);
	ini = cw_ini_parse("config", b.p, b.len, &err);
	ok(ini != NULL, "it parses");
	is_str(cw_ini_get(ini, "profile team-39999-ReadOnlyAccess", "sso_account_id"),
		"000000139999", "the last profile is found");
	is_str(cw_ini_get(ini, "profile team-00007-ReadOnlyAccess", "extra"), "yes",
		"a repeated section still continues the first");
	is_str(cw_ini_get(ini, "profile team-00007-ReadOnlyAccess", "region"),
		"eu-west-1", "and keeps its keys");
	ok(!cw_ini_has_section(ini, "profile team-40000-ReadOnlyAccess"),
		"a missing profile is missing");
	cw_ini_free(ini);

	cw_buf_reset(&b);
	cw_buf_adds(&b, "[big]\n");
	for (i = 0; i < 4097; i++)
		cw_buf_addf(&b, "k%d = v\n", i);
	ini = cw_ini_parse("conf", b.p, b.len, &err);
	ok(ini == NULL && strstr(err.msg, "conf:4098: too many keys in the section"),
		"a section of 4097 keys is refused: %s", err.msg);
	cw_ini_free(ini);
	cw_buf_release(&b);
}

static void files(void)
{
	char dir[] = "/tmp/cwkit-ini.XXXXXX", path[64];
	struct cw_err err;
	struct cw_ini *ini;
	FILE *f;

	if (!mkdtemp(dir))
		return;
	snprintf(path, sizeof(path), "%s/missing", dir);
	cw_err_clear(&err);
	ini = cw_ini_load(path, &err);
	ok(ini && !cw_ini_has_section(ini, "default"), "missing file is empty, not an error");
	cw_ini_free(ini);
	ini = cw_ini_load(dir, &err);
	ok(ini == NULL && strstr(err.msg, "is a directory"), "a directory is an error");
	snprintf(path, sizeof(path), "%s/config", dir);
	f = fopen(path, "w");
	fputs("[default]\nregion=x\n[bad\n", f);
	fclose(f);
	cw_err_clear(&err);
	ini = cw_ini_load(path, &err);
	ok(ini == NULL && strstr(err.msg, ":3: section header without ']'") &&
	   strncmp(err.msg, path, strlen(path)) == 0, "load error is PATH:LINE: why");
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	syntax();
	errors();
	limits();
	large();
	files();
	return tap_done();
}
