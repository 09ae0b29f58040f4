/* lib/checkpoint: the --checkpoint file, written atomically and read
 * back with strict validation. */
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "checkpoint.h"
#include "crc32.h"
#include "tap.h"
#include "banned.h"

static char dir[64];

static void build(struct cw_checkpoint *cp)
{
	struct cw_err e;
	long g;

	cw_checkpoint_init(cp);
	g = cw_checkpoint_add_group(cp, "/app/web", 1700000000500, &e);
	cw_checkpoint_add_id(cp, (size_t)g, 1700000000400, "3796", &e);
	cw_checkpoint_add_id(cp, (size_t)g, 1700000000500, "3797", &e);
	g = cw_checkpoint_add_group(cp, "odd name%\xc3\xa9", 0, &e);
	cw_checkpoint_add_id(cp, (size_t)g, 5, "id with space", &e);
}

static const char want_text[] =
	"cwkit-checkpoint 3\n"
	"group /app/web 1700000000500\n"
	"id 1700000000400 3796\n"
	"id 1700000000500 3797\n"
	"group odd%20name%25%C3%A9 0\n"
	"id 5 id%20with%20space\n";

static void test_format(void)
{
	struct cw_checkpoint cp, back;
	struct cw_buf b = CW_BUF_INIT;
	struct cw_err e;
	char end[64];
	const struct cw_checkpoint_group *g;

	build(&cp);
	ok(cw_checkpoint_format(&cp, &b, &e) == 0, "format");
	snprintf(end, sizeof(end), "end 2 3 %08" PRIx32 "\n",
		cw_crc32(0, want_text, sizeof(want_text) - 1));
	ok(strncmp(cw_buf_str(&b), want_text, sizeof(want_text) - 1) == 0 &&
		strcmp(cw_buf_str(&b) + sizeof(want_text) - 1, end) == 0,
		"the text: magic, groups, escaped names, ids, end line");
	cw_checkpoint_init(&back);
	ok(cw_checkpoint_parse(&back, b.p, b.len, "f", &e) == 0,
		"it parses back");
	is_int((long long)back.n, 2, "two groups");
	g = cw_checkpoint_find(&back, "odd name%\xc3\xa9");
	ok(g && g->nids == 1 && strcmp(g->ids[0].id, "id with space") == 0 &&
		g->ids[0].ts == 5, "escapes decode");
	g = cw_checkpoint_find(&back, "/app/web");
	ok(g && g->last_ts == 1700000000500 && g->nids == 2 &&
		strcmp(g->ids[1].id, "3797") == 0, "timestamps and ids");
	ok(cw_checkpoint_find(&back, "/none") == NULL, "unknown group: NULL");
	ok(cw_checkpoint_add_group(&back, "/app/web", 1, &e) < 0 &&
		strstr(e.msg, "twice") != NULL, "a group cannot be added twice");
	ok(cw_checkpoint_add_group(&back, "", 1, &e) < 0,
		"an empty group name is refused");
	ok(cw_checkpoint_add_id(&back, 0, -1, "x", &e) < 0,
		"a negative timestamp is refused");
	cw_checkpoint_release(&back);
	cw_checkpoint_release(&cp);

	cw_buf_reset(&b);
	ok(cw_checkpoint_format(&cp, &b, &e) == 0 &&
		cw_checkpoint_parse(&cp, b.p, b.len, "f", &e) == 0 && cp.n == 0,
		"an empty checkpoint round-trips");
	cw_buf_release(&b);
}

/* Parses text with a correct end line appended. */
static int parse_sealed(const char *body, size_t groups, size_t ids,
	struct cw_err *e)
{
	struct cw_checkpoint cp;
	struct cw_buf b = CW_BUF_INIT;
	int r;

	cw_buf_adds(&b, body);
	cw_buf_addf(&b, "end %zu %zu %08" PRIx32 "\n", groups, ids,
		cw_crc32(0, body, strlen(body)));
	cw_checkpoint_init(&cp);
	r = cw_checkpoint_parse(&cp, b.p, b.len, "cp", e);
	ok(r < 0 || cp.n == groups, "parsed groups stay or are freed");
	cw_checkpoint_release(&cp);
	cw_buf_release(&b);
	return r;
}

static void bad_text(const char *text_, size_t len, const char *want,
	const char *name)
{
	struct cw_checkpoint cp;
	struct cw_err e;
	int r;

	cw_checkpoint_init(&cp);
	e.msg[0] = '\0';
	r = cw_checkpoint_parse(&cp, text_, len, "cp", &e);
	ok(r == -1 && strstr(e.msg, want) && cp.n == 0, "%s", name);
	if (r != -1 || !strstr(e.msg, want))
		diag("got '%s', expected '%s'", e.msg, want);
	cw_checkpoint_release(&cp);
}

#define BAD(s, want, name) bad_text(s, sizeof(s) - 1, want, name)
#define HEAD "cwkit-checkpoint 1\n"

/* The reader says which version it read: version 1 ids are the ids,
 * version 2 ones the keys lib/follow makes of them, version 3 ones the
 * hashes of those. */
static void version_read(void)
{
	static const char *const heads[] = { "cwkit-checkpoint 1\n",
		"cwkit-checkpoint 2\n", "cwkit-checkpoint 3\n" };
	struct cw_checkpoint cp;
	struct cw_buf b = CW_BUF_INIT;
	struct cw_err e;
	int v;

	for (v = 1; v <= 3; v++) {
		cw_buf_reset(&b);
		cw_buf_adds(&b, heads[v - 1]);
		cw_buf_addf(&b, "end 0 0 %08" PRIx32 "\n",
			cw_crc32(0, heads[v - 1], strlen(heads[v - 1])));
		cw_checkpoint_init(&cp);
		ok(cw_checkpoint_parse(&cp, b.p, b.len, "cp", &e) == 0 &&
			cp.version == v, "a version %d file reads as such", v);
		cw_checkpoint_release(&cp);
	}
	cw_buf_release(&b);
}

static void test_bad(void)
{
	struct cw_err e;

	BAD("", "checkpoint cp: empty file", "an empty file");
	BAD("hello\n", "checkpoint cp: not a cwkit checkpoint file",
		"a foreign text file");
	BAD("{\"groups\": []}\n", "not a cwkit checkpoint file",
		"a JSON file");
	BAD("cwkit-checkpoint\n", "not a cwkit checkpoint file",
		"a magic without version");
	BAD("cwkit-checkpoint 4\n", "version 4 is not supported (this cwkit "
		"reads versions 1 to 3)", "a later version");
	BAD("cwkit-checkpoint 0\n", "version 0 is not supported",
		"version 0");
	BAD("cwkit-checkpoint 01\n", "line 1: bad version", "version 01");
	BAD(HEAD "\x00\n", "binary data", "a NUL byte");
	BAD(HEAD "group /a 1", "line 2: no newline: the file is truncated",
		"a last line without newline");
	BAD(HEAD "group /a 1\n", "no end line: the file is truncated",
		"no end line");
	BAD(HEAD "id 1 x\n", "line 2: an id before any group", "orphan id");
	BAD(HEAD "grp /a 1\n", "line 2: unknown keyword", "unknown keyword");
	BAD(HEAD "\n", "line 2: missing keyword", "an empty line");
	BAD(HEAD "group /a\n", "line 2: missing timestamp", "no timestamp");
	BAD(HEAD "group  1\n", "line 2: empty group name", "empty name");
	BAD(HEAD "group /a -1\n", "line 2: bad timestamp", "negative time");
	BAD(HEAD "group /a 01\n", "bad timestamp", "leading zero");
	BAD(HEAD "group /a 1x\n", "bad timestamp", "letters in a number");
	BAD(HEAD "group /a 1000000000000000000\n", "bad timestamp",
		"19 digits");
	BAD(HEAD "group /a 1 2\n", "unexpected text at the end",
		"an extra field");
	BAD(HEAD "group /a 1 \n", "unexpected text", "a trailing space");
	BAD(HEAD "group /a 1\r\n", "bad timestamp", "CRLF line ends");
	BAD(HEAD "group /%zz 1\n", "line 2: bad group name", "bad escape");
	BAD(HEAD "group /%2f 1\n", "bad group name", "lower-case escape");
	BAD(HEAD "group /%00 1\n", "bad group name", "an escaped NUL");
	BAD(HEAD "group /%41 1\n", "bad group name", "an escaped plain byte");
	BAD(HEAD "group /% 1\n", "bad group name", "a short escape");
	BAD(HEAD "group /\xc3\xa9 1\n", "bad group name", "raw UTF-8");
	BAD(HEAD "group /a 1\ngroup /a 2\n", "line 3: the same group twice",
		"a group twice");
	BAD(HEAD "group /a 1\nid 1\n", "line 3: missing eventId", "no id");
	BAD(HEAD "end 0 0 00000000\n", "line 2: checksum mismatch",
		"a wrong checksum");
	BAD(HEAD "end 0 0 00000000 1\n", "unexpected text", "end + text");
	BAD(HEAD "end 0 0\n", "missing checksum", "end without checksum");

	ok(parse_sealed(HEAD "group /a 1\nid 1 x\n", 1, 1, &e) == 0,
		"a sealed file parses");
	ok(parse_sealed(HEAD "group /a 1\nid 1 x\n", 1, 2, &e) < 0 &&
		strstr(e.msg, "line 4: the counts do not match") != NULL,
		"an id count that does not match");
	ok(parse_sealed(HEAD "group /a 1\n", 2, 0, &e) < 0 &&
		strstr(e.msg, "counts do not match") != NULL,
		"a group count that does not match");
	ok(parse_sealed(HEAD, 0, 0, &e) == 0, "no groups is valid");
	ok(parse_sealed("cwkit-checkpoint 2\ngroup /a 1\nid 1 x\n", 1, 1,
		&e) == 0, "version 2 parses as well");
	version_read();
}

static int count_files(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	if (d)
		closedir(d);
	return n;
}

static void slurp(const char *path, struct cw_buf *b)
{
	FILE *fp = fopen(path, "rb");
	char chunk[4096];
	size_t n;

	cw_buf_reset(b);
	while (fp && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		cw_buf_add(b, chunk, n);
	if (fp)
		fclose(fp);
}

static void spit(const char *path, const char *s, size_t n)
{
	FILE *fp = fopen(path, "wb");

	if (fp) {
		fwrite(s, 1, n, fp);
		fclose(fp);
	}
}

static void test_files(void)
{
	struct cw_checkpoint cp, back;
	struct cw_buf before = CW_BUF_INIT, after = CW_BUF_INIT;
	struct cw_err e;
	char path[128], sub[160];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/pos", dir);
	cw_checkpoint_init(&back);
	is_int(cw_checkpoint_load(&back, path, &e), 1,
		"no file yet: 1, a first run");
	build(&cp);
	ok(cw_checkpoint_save(&cp, path, &e) == 0, "save");
	is_int(count_files(), 1, "one file, no temporary left");
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600,
		"readable by its owner only");
	ok(cw_checkpoint_load(&back, path, &e) == 0 && back.n == 2 &&
		back.groups[0].nids == 2, "load reads it back");
	cw_checkpoint_release(&back);
	cw_checkpoint_add_id(&cp, 0, 1700000000600, "3798", &e);
	ok(cw_checkpoint_save(&cp, path, &e) == 0, "save again replaces it");
	ok(cw_checkpoint_load(&back, path, &e) == 0 &&
		back.groups[0].nids == 3, "the new position is read");
	cw_checkpoint_release(&back);

	slurp(path, &before);
	before.p[30] ^= 1;	/* one changed byte */
	spit(path, before.p, before.len);
	ok(cw_checkpoint_load(&back, path, &e) < 0 &&
		strstr(e.msg, "checkpoint ") && strstr(e.msg, "/pos: line"),
		"a damaged file is an error naming the file and line");
	slurp(path, &after);
	ok(before.len == after.len && memcmp(before.p, after.p, after.len) == 0,
		"and the file is left untouched");

	spit(path, "PK\3\4zipdata", 11);
	ok(cw_checkpoint_load(&back, path, &e) < 0 &&
		strstr(e.msg, "not a cwkit checkpoint file") != NULL,
		"a foreign file is an error");
	slurp(path, &after);
	ok(after.len == 11 && memcmp(after.p, "PK\3\4zipdata", 11) == 0,
		"and is left untouched");

	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd >= 0) {
		ok(ftruncate(fd, (off_t)CW_CHECKPOINT_MAX_FILE + 1) == 0,
			"a sparse file over the bound");
		close(fd);
	}
	ok(cw_checkpoint_load(&back, path, &e) < 0 &&
		strstr(e.msg, "larger than 16777216 bytes") != NULL,
		"a file over 16 MiB is refused");
	unlink(path);

	ok(cw_checkpoint_load(&back, dir, &e) < 0 &&
		strstr(e.msg, "not a regular file") != NULL,
		"a directory is refused");
	snprintf(sub, sizeof(sub), "%s/no/such/dir/pos", dir);
	ok(cw_checkpoint_save(&cp, sub, &e) < 0 &&
		strstr(e.msg, "cannot create a file beside it") != NULL,
		"save into a missing directory fails clearly");
	snprintf(sub, sizeof(sub), "%s/d", dir);
	mkdir(sub, 0700);
	ok(cw_checkpoint_save(&cp, sub, &e) < 0 &&
		strstr(e.msg, "rename") != NULL, "save over a directory fails");
	is_int(count_files(), 1, "and leaves no temporary behind");
	rmdir(sub);
	cw_checkpoint_release(&cp);
	cw_buf_release(&before);
	cw_buf_release(&after);
}

/* Spare groups fill the file up to its bound, and no further. */
static void test_spare(void)
{
	struct cw_checkpoint cp, back;
	struct cw_buf b = CW_BUF_INIT;
	struct cw_err e;
	char id[1024], name[32];
	long g;
	int i, j, spares = 40;

	memset(id, '7', sizeof(id) - 1);
	id[sizeof(id) - 1] = '\0';
	cw_checkpoint_init(&cp);
	g = cw_checkpoint_add_group(&cp, "/followed", 1, &e);
	for (j = 0; j < 8000; j++)	/* about 8 MB */
		cw_checkpoint_add_id(&cp, (size_t)g, j, id, &e);
	for (i = 0; i < spares; i++) {
		snprintf(name, sizeof(name), "/kept/%02d", i);
		g = cw_checkpoint_add_group(&cp, name, 1, &e);
		cp.groups[g].spare = 1;
		for (j = 0; j < (i == 1 ? 9000 : 100); j++)
			cw_checkpoint_add_id(&cp, (size_t)g, j, id, &e);
	}
	ok(cw_checkpoint_format(&cp, &b, &e) == 0 &&
		b.len <= CW_CHECKPOINT_MAX_FILE,
		"spare groups past the bound are left out, no error (%zu "
		"bytes)", b.len);
	cw_checkpoint_init(&back);
	ok(cw_checkpoint_parse(&back, b.p, b.len, "f", &e) == 0 &&
		cw_checkpoint_find(&back, "/followed") &&
		cw_checkpoint_find(&back, "/kept/00") &&
		!cw_checkpoint_find(&back, "/kept/01") &&
		cw_checkpoint_find(&back, "/kept/02") &&
		cw_checkpoint_find(&back, "/kept/39"),
		"the one that does not fit is left out, the smaller ones after "
		"it are written");
	cw_checkpoint_release(&back);
	cp.groups[0].spare = 0;
	cw_checkpoint_add_id(&cp, 0, 9000, id, &e);
	for (i = 1; i <= spares; i++)
		cp.groups[i].spare = 0;
	cw_buf_reset(&b);
	ok(cw_checkpoint_format(&cp, &b, &e) < 0 &&
		strstr(e.msg, "larger than") != NULL,
		"groups that are not spare and do not fit are an error");
	cw_checkpoint_release(&cp);
	cw_buf_release(&b);
}

/* A checkpoint that is a symbolic link: the file it points to is
 * replaced, beside itself, and the link stays. */
static void test_links(void)
{
	struct cw_checkpoint cp, back;
	struct cw_err e;
	char link[128], target[128], sub[128], missing[160];
	struct stat st;

	snprintf(sub, sizeof(sub), "%s/real", dir);
	mkdir(sub, 0700);
	snprintf(target, sizeof(target), "%s/real/pos", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	ok(symlink("real/pos", link) == 0, "a link to a file not there yet");
	ok(cw_checkpoint_probe(link, &e) == 0, "probe: it can be saved");
	is_int(count_files(), 2, "and the probe leaves no file");
	build(&cp);
	ok(cw_checkpoint_save(&cp, link, &e) == 0, "save through the link");
	ok(lstat(link, &st) == 0 && S_ISLNK(st.st_mode),
		"the link is still a link");
	ok(lstat(target, &st) == 0 && S_ISREG(st.st_mode),
		"its target is the file, beside where the link points");
	cw_checkpoint_init(&back);
	ok(cw_checkpoint_save(&cp, link, &e) == 0 &&
		lstat(link, &st) == 0 && S_ISLNK(st.st_mode) &&
		cw_checkpoint_load(&back, target, &e) == 0 && back.n == 2,
		"a second save replaces the target again");
	cw_checkpoint_release(&back);
	if (geteuid() == 0 && lchown(link, 65534, 65534) == 0)
		ok(cw_checkpoint_save(&cp, link, &e) < 0 &&
			strstr(e.msg, "owned by another user: refused") &&
			cw_checkpoint_probe(link, &e) < 0,
			"a link owned by another user is refused");
	else
		ok(1, "# SKIP a link owned by another user needs root");
	unlink(link);
	ok(symlink("link", link) == 0 && cw_checkpoint_save(&cp, link, &e) < 0
		&& strstr(e.msg, "many levels") != NULL,
		"a link to itself is an error");
	unlink(link);
	unlink(target);
	rmdir(sub);
	snprintf(missing, sizeof(missing), "%s/no/such/dir/pos", dir);
	ok(cw_checkpoint_probe(missing, &e) < 0 &&
		strstr(e.msg, "cannot create a file beside it: No such file")
		!= NULL, "probe: a missing directory is an error");
	is_int(count_files(), 0, "nothing is left behind");
	cw_checkpoint_release(&cp);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/cw-checkpoint.XXXXXX");
	if (!mkdtemp(dir))
		return 2;
	test_format();
	test_bad();
	test_files();
	test_spare();
	test_links();
	rmdir(dir);
	return tap_done();
}
