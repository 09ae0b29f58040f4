#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checkpoint.h"
#include "crc32.h"
#include "banned.h"

void cw_checkpoint_init(struct cw_checkpoint *cp)
{
	memset(cp, 0, sizeof(*cp));
}

void cw_checkpoint_release(struct cw_checkpoint *cp)
{
	size_t i, j;

	for (i = 0; i < cp->n; i++) {
		for (j = 0; j < cp->groups[i].nids; j++)
			free(cp->groups[i].ids[j].id);
		free(cp->groups[i].ids);
		free(cp->groups[i].name);
	}
	free(cp->groups);
	cw_checkpoint_init(cp);
}

const struct cw_checkpoint_group *cw_checkpoint_find(
	const struct cw_checkpoint *cp, const char *name)
{
	size_t i;

	for (i = 0; i < cp->n; i++)
		if (strcmp(cp->groups[i].name, name) == 0)
			return &cp->groups[i];
	return NULL;
}

static int check_value(const char *what, const char *s, struct cw_err *err)
{
	size_t n = strlen(s);

	if (n == 0)
		return cw_err_set(err, "checkpoint: empty %s", what);
	if (n > CW_CHECKPOINT_MAX_NAME)
		return cw_err_set(err, "checkpoint: %s longer than %d bytes",
			what, CW_CHECKPOINT_MAX_NAME);
	return 0;
}

long cw_checkpoint_add_group(struct cw_checkpoint *cp, const char *name,
	int64_t last_ts, struct cw_err *err)
{
	struct cw_checkpoint_group *g;

	if (check_value("group name", name, err) < 0)
		return -1;
	if (last_ts < 0)
		return cw_err_set(err, "checkpoint: negative timestamp");
	if (cw_checkpoint_find(cp, name))
		return cw_err_set(err, "checkpoint: group %s twice", name);
	if (cp->n == cp->cap) {
		g = realloc(cp->groups, (cp->cap * 2 + 4) * sizeof(*g));
		if (!g)
			return cw_err_set(err, "checkpoint: out of memory");
		cp->groups = g;
		cp->cap = cp->cap * 2 + 4;
	}
	g = &cp->groups[cp->n];
	memset(g, 0, sizeof(*g));
	g->name = strdup(name);
	if (!g->name)
		return cw_err_set(err, "checkpoint: out of memory");
	g->last_ts = last_ts;
	return (long)cp->n++;
}

int cw_checkpoint_add_id(struct cw_checkpoint *cp, size_t gi, int64_t ts,
	const char *id, struct cw_err *err)
{
	struct cw_checkpoint_group *g = &cp->groups[gi];
	struct cw_checkpoint_id *ids;

	if (check_value("eventId", id, err) < 0)
		return -1;
	if (ts < 0)
		return cw_err_set(err, "checkpoint: negative timestamp");
	if (g->nids == g->cap) {
		ids = realloc(g->ids, (g->cap * 2 + 16) * sizeof(*ids));
		if (!ids)
			return cw_err_set(err, "checkpoint: out of memory");
		g->ids = ids;
		g->cap = g->cap * 2 + 16;
	}
	g->ids[g->nids].id = strdup(id);
	if (!g->ids[g->nids].id)
		return cw_err_set(err, "checkpoint: out of memory");
	g->ids[g->nids++].ts = ts;
	return 0;
}

static int plain(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '%';
}

static int add_escaped(struct cw_buf *b, const char *s)
{
	int r = 0;

	for (; *s && r == 0; s++) {
		if (plain((unsigned char)*s))
			r = cw_buf_addc(b, *s);
		else
			r = cw_buf_addf(b, "%%%02X", (unsigned char)*s);
	}
	return r;
}

/* Appends the group's lines; the order of the calls is the order of
 * the text, hence || and not |. */
static int add_group(struct cw_buf *out, const struct cw_checkpoint_group *g)
{
	size_t j;

	if (cw_buf_adds(out, "group ") < 0 || add_escaped(out, g->name) < 0 ||
	    cw_buf_addf(out, " %" PRId64 "\n", g->last_ts) < 0)
		return -1;
	for (j = 0; j < g->nids; j++)
		if (cw_buf_addf(out, "id %" PRId64 " ", g->ids[j].ts) < 0 ||
		    add_escaped(out, g->ids[j].id) < 0 ||
		    cw_buf_addc(out, '\n') < 0)
			return -1;
	return 0;
}

/* Room kept for the end line, whatever its counts. */
#define END_LINE_MAX 64

int cw_checkpoint_format(const struct cw_checkpoint *cp, struct cw_buf *out,
	struct cw_err *err)
{
	size_t start = out->len, i, mark, ngroups = 0, nids = 0;
	int r;

	r = cw_buf_addf(out, "%s %d\n", CW_CHECKPOINT_MAGIC,
		CW_CHECKPOINT_VERSION);
	for (i = 0; i < cp->n && r == 0; i++) {
		mark = out->len;
		r = add_group(out, &cp->groups[i]);
		if (cp->groups[i].spare && (r < 0 || out->len - start >
		    CW_CHECKPOINT_MAX_FILE - END_LINE_MAX)) {
			out->len = mark;
			out->p[mark] = '\0';
			r = 0;
			continue;
		}
		ngroups++;
		nids += cp->groups[i].nids;
	}
	if (r == 0)
		r = cw_buf_addf(out, "end %zu %zu %08" PRIx32 "\n", ngroups,
			nids, cw_crc32(0, out->p + start, out->len - start));
	if (r < 0 || out->len - start > CW_CHECKPOINT_MAX_FILE)
		return cw_err_set(err, "checkpoint: larger than %zu bytes or "
			"out of memory", CW_CHECKPOINT_MAX_FILE);
	return 0;
}

/* Parser state: the text, the line being read, where errors point. */
struct parse {
	const char *start, *p, *end;	/* the line, the rest of it */
	const char *file;
	size_t line;
	struct cw_err *err;
};

static int bad(struct parse *ps, const char *why)
{
	return cw_err_set(ps->err, "checkpoint %s: line %zu: %s", ps->file,
		ps->line, why);
}

/* The next space-separated field of the line: [*s, *s + *n). */
static int field(struct parse *ps, const char **s, size_t *n,
	const char *what)
{
	const char *e;

	if (ps->p >= ps->end) {
		cw_err_set(ps->err, "checkpoint %s: line %zu: missing %s",
			ps->file, ps->line, what);
		return -1;
	}
	if (ps->p > ps->start)
		ps->p++;	/* the one space after the field before */
	e = memchr(ps->p, ' ', (size_t)(ps->end - ps->p));
	if (!e)
		e = ps->end;
	*s = ps->p;
	*n = (size_t)(e - ps->p);
	ps->p = e;
	if (*n == 0) {
		cw_err_set(ps->err, "checkpoint %s: line %zu: empty %s",
			ps->file, ps->line, what);
		return -1;
	}
	return 0;
}

/* A decimal number without sign or leading zeros, below 10^18. */
static int number(struct parse *ps, uint64_t *v, const char *what)
{
	const char *s;
	size_t n, i;
	char why[64];

	if (field(ps, &s, &n, what) < 0)
		return -1;
	*v = 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			break;
	if (i < n || n > 18 || (n > 1 && s[0] == '0')) {
		snprintf(why, sizeof(why), "bad %s", what);
		return bad(ps, why);
	}
	for (i = 0; i < n; i++)
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* An escaped field, decoded into out (CW_CHECKPOINT_MAX_NAME + 1). */
static int text(struct parse *ps, char *out, const char *what)
{
	const char *s;
	size_t n, i, j = 0;
	int hi, lo;
	char why[64];

	if (field(ps, &s, &n, what) < 0)
		return -1;
	snprintf(why, sizeof(why), "bad %s", what);
	for (i = 0; i < n; i++) {
		if (j == CW_CHECKPOINT_MAX_NAME)
			return bad(ps, why);
		if (plain((unsigned char)s[i])) {
			out[j++] = s[i];
			continue;
		}
		if (s[i] != '%' || n - i < 3)
			return bad(ps, why);
		hi = hexval(s[i + 1]);
		lo = hexval(s[i + 2]);
		/* Only the one spelling the writer uses: no %00, no escaped
		 * plain bytes. */
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0) ||
		    plain((unsigned char)(hi << 4 | lo)))
			return bad(ps, why);
		out[j++] = (char)(hi << 4 | lo);
		i += 2;
	}
	out[j] = '\0';
	return 0;
}

static int line_end(struct parse *ps)
{
	return ps->p < ps->end ? bad(ps, "unexpected text at the end") : 0;
}

static int parse_group(struct parse *ps, struct cw_checkpoint *cp,
	char *buf)
{
	uint64_t ts;

	if (text(ps, buf, "group name") < 0 ||
	    number(ps, &ts, "timestamp") < 0 || line_end(ps) < 0)
		return -1;
	if (cw_checkpoint_find(cp, buf))
		return bad(ps, "the same group twice");
	if (cw_checkpoint_add_group(cp, buf, (int64_t)ts, ps->err) < 0)
		return cw_err_wrap(ps->err, "checkpoint %s: line %zu",
			ps->file, ps->line);
	return 0;
}

static int parse_id(struct parse *ps, struct cw_checkpoint *cp, char *buf)
{
	uint64_t ts;

	if (!cp->n)
		return bad(ps, "an id before any group");
	if (number(ps, &ts, "timestamp") < 0 ||
	    text(ps, buf, "eventId") < 0 || line_end(ps) < 0)
		return -1;
	if (cw_checkpoint_add_id(cp, cp->n - 1, (int64_t)ts, buf,
	    ps->err) < 0)
		return cw_err_wrap(ps->err, "checkpoint %s: line %zu",
			ps->file, ps->line);
	return 0;
}

/* The last line: counts and the CRC of everything before it. */
static int parse_end(struct parse *ps, const struct cw_checkpoint *cp,
	uint32_t crc)
{
	uint64_t ngroups, nids, total = 0;
	const char *s;
	size_t n, i;
	char want[9];

	if (number(ps, &ngroups, "group count") < 0 ||
	    number(ps, &nids, "id count") < 0 ||
	    field(ps, &s, &n, "checksum") < 0 || line_end(ps) < 0)
		return -1;
	for (i = 0; i < cp->n; i++)
		total += cp->groups[i].nids;
	if (ngroups != cp->n || nids != total)
		return bad(ps, "the counts do not match the lines above");
	snprintf(want, sizeof(want), "%08" PRIx32, crc);
	if (n != 8 || memcmp(s, want, 8) != 0)
		return bad(ps, "checksum mismatch: the file was changed or "
			"damaged");
	return 0;
}

static int parse_magic(struct parse *ps, struct cw_checkpoint *cp)
{
	uint64_t v;

	ps->p += strlen(CW_CHECKPOINT_MAGIC);
	if (number(ps, &v, "version") < 0 || line_end(ps) < 0)
		return -1;
	if (v < 1 || v > CW_CHECKPOINT_VERSION)
		return cw_err_set(ps->err, "checkpoint %s: version %" PRIu64
			" is not supported (this cwkit reads versions 1 to %d)",
			ps->file, v, CW_CHECKPOINT_VERSION);
	cp->version = (int)v;
	return 0;
}

static int parse_line(struct parse *ps, struct cw_checkpoint *cp,
	char *buf, uint32_t crc, int *done)
{
	const char *kw;
	size_t n;

	if (ps->line == 1)
		return parse_magic(ps, cp);
	if (*done)
		return bad(ps, "text after the end line");
	if (field(ps, &kw, &n, "keyword") < 0)
		return -1;
	if (n == 5 && memcmp(kw, "group", 5) == 0)
		return parse_group(ps, cp, buf);
	if (n == 2 && memcmp(kw, "id", 2) == 0)
		return parse_id(ps, cp, buf);
	if (n == 3 && memcmp(kw, "end", 3) == 0) {
		*done = 1;
		return parse_end(ps, cp, crc);
	}
	return bad(ps, "unknown keyword");
}

static int parse_all(struct cw_checkpoint *cp, struct parse *ps,
	const char *text_, size_t len, char *buf)
{
	const char *p = text_, *end = text_ + len, *nl;
	uint32_t crc = 0;	/* of the lines before this one */
	size_t m = strlen(CW_CHECKPOINT_MAGIC);
	int done = 0;

	if (!len)
		return cw_err_set(ps->err, "checkpoint %s: empty file",
			ps->file);
	if (len <= m || memcmp(text_, CW_CHECKPOINT_MAGIC, m) != 0 ||
	    text_[m] != ' ')
		return cw_err_set(ps->err, "checkpoint %s: not a cwkit "
			"checkpoint file (no '%s' first line)", ps->file,
			CW_CHECKPOINT_MAGIC);
	if (len > CW_CHECKPOINT_MAX_FILE)
		return cw_err_set(ps->err, "checkpoint %s: larger than %zu "
			"bytes", ps->file, CW_CHECKPOINT_MAX_FILE);
	if (memchr(text_, '\0', len))
		return cw_err_set(ps->err, "checkpoint %s: not a cwkit "
			"checkpoint file (binary data)", ps->file);
	for (; p < end; p = nl + 1) {
		ps->line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return bad(ps, "no newline: the file is truncated");
		ps->start = ps->p = p;
		ps->end = nl;
		if (parse_line(ps, cp, buf, crc, &done) < 0)
			return -1;
		crc = cw_crc32(crc, p, (size_t)(nl + 1 - p));
	}
	if (!done)
		return cw_err_set(ps->err, "checkpoint %s: no end line: the "
			"file is truncated", ps->file);
	return 0;
}

int cw_checkpoint_parse(struct cw_checkpoint *cp, const char *text_,
	size_t len, const char *file, struct cw_err *err)
{
	struct parse ps = { NULL, NULL, NULL, file, 0, err };
	char *buf = malloc(CW_CHECKPOINT_MAX_NAME + 1);
	int r;

	if (!buf)
		return cw_err_set(err, "checkpoint: out of memory");
	r = parse_all(cp, &ps, text_, len, buf);
	free(buf);
	if (r < 0)
		cw_checkpoint_release(cp);
	return r;
}

/* Reads the whole regular file at fd, at most max bytes. */
static int slurp(int fd, const char *path, struct cw_buf *b,
	struct cw_err *err)
{
	struct stat st;
	char chunk[65536];
	ssize_t n;

	if (fstat(fd, &st) < 0)
		return cw_err_set(err, "checkpoint %s: %s", path,
			strerror(errno));
	if (!S_ISREG(st.st_mode))
		return cw_err_set(err, "checkpoint %s: not a regular file",
			path);
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return cw_err_set(err, "checkpoint %s: %s", path,
				strerror(errno));
		if (n == 0)
			return 0;
		if (cw_buf_add(b, chunk, (size_t)n) < 0)
			return cw_err_set(err, "checkpoint %s: larger than %zu "
				"bytes", path, CW_CHECKPOINT_MAX_FILE);
	}
}

int cw_checkpoint_load(struct cw_checkpoint *cp, const char *path,
	struct cw_err *err)
{
	struct cw_buf b;
	int fd, r;

	cw_buf_init(&b, CW_CHECKPOINT_MAX_FILE);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 && errno == ENOENT)
		return 1;
	if (fd < 0)
		return cw_err_set(err, "checkpoint %s: %s", path,
			strerror(errno));
	r = slurp(fd, path, &b, err);
	close(fd);
	if (r == 0)
		r = cw_checkpoint_parse(cp, cw_buf_str(&b), b.len, path, err);
	cw_buf_release(&b);
	return r;
}

static int write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Makes the rename itself durable. */
static int sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd, r;

	if (!slash)
		dir = strdup(".");
	else
		dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
	if (!dir)
		return -1;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	r = fsync(fd);
	close(fd);
	return r;
}

/* The file path names once its symbolic links are followed, as open()
 * follows them: a save replaces that file, not the link. A link owned by
 * another user (root aside) is refused: planted in a shared directory it
 * would send our writes anywhere. Returns a malloc'd path, or NULL. */
static char *resolve(const char *path, struct cw_err *err)
{
	struct cw_buf next = CW_BUF_INIT;
	char *p = strdup(path), target[4096];
	const char *slash;
	struct stat st;
	ssize_t n;
	int hops;

	for (hops = 0; p; hops++) {
		if (lstat(p, &st) < 0 || !S_ISLNK(st.st_mode))
			return p;
		if (hops == 40) {
			cw_err_set(err, "checkpoint %s: %s", path,
				strerror(ELOOP));
			break;
		}
		if (st.st_uid != geteuid() && st.st_uid != 0) {
			cw_err_set(err, "checkpoint %s: %s is a symbolic link "
				"owned by another user: refused", path, p);
			break;
		}
		n = readlink(p, target, sizeof(target) - 1);
		if (n < 0) {
			cw_err_set(err, "checkpoint %s: readlink %s: %s", path,
				p, strerror(errno));
			break;
		}
		target[n] = '\0';
		slash = strrchr(p, '/');
		cw_buf_reset(&next);
		if ((target[0] == '/' || !slash ?
		    cw_buf_adds(&next, target) :
		    cw_buf_addf(&next, "%.*s/%s", (int)(slash - p), p,
			target)) < 0) {
			cw_err_set(err, "checkpoint %s: out of memory", path);
			break;
		}
		free(p);
		p = cw_buf_detach(&next, NULL);
	}
	if (!p)	/* else a break above said why */
		cw_err_set(err, "checkpoint %s: out of memory", path);
	free(p);
	cw_buf_release(&next);
	return NULL;
}

/* A new file beside real, its name in tmp; the fd, or -1. */
static int make_temp(const char *real, struct cw_buf *tmp,
	struct cw_err *err)
{
	int fd;

	if (cw_buf_addf(tmp, "%s.XXXXXX", real) < 0)
		return cw_err_set(err, "checkpoint %s: out of memory", real);
	fd = mkstemp(tmp->p);
	if (fd < 0) {
		cw_err_set(err, "checkpoint %s: cannot create a file beside "
			"it: %s", real, strerror(errno));
		cw_buf_reset(tmp);
	}
	return fd;
}

int cw_checkpoint_probe(const char *path, struct cw_err *err)
{
	struct cw_buf tmp = CW_BUF_INIT;
	char *real = resolve(path, err);
	int fd = -1;

	if (real)
		fd = make_temp(real, &tmp, err);
	if (fd >= 0) {
		close(fd);
		unlink(tmp.p);
	}
	cw_buf_release(&tmp);
	free(real);
	return fd >= 0 ? 0 : -1;
}

/* Writes text to a new file beside real and renames it over real. */
static int replace(const char *real, const struct cw_buf *text_,
	struct cw_err *err)
{
	struct cw_buf tmp = CW_BUF_INIT;
	int fd, r = -1;

	fd = make_temp(real, &tmp, err);
	if (fd < 0)
		goto out;
	if (write_all(fd, text_->p, text_->len) < 0 || fsync(fd) < 0) {
		cw_err_set(err, "checkpoint %s: write: %s", real,
			strerror(errno));
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		cw_err_set(err, "checkpoint %s: close: %s", real,
			strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp.p, real) < 0) {
		cw_err_set(err, "checkpoint %s: rename: %s", real,
			strerror(errno));
		goto out;
	}
	cw_buf_reset(&tmp);
	if (sync_dir(real) < 0) {
		cw_err_set(err, "checkpoint %s: sync of its directory: %s",
			real, strerror(errno));
		goto out;
	}
	r = 0;
out:
	if (fd >= 0)
		close(fd);
	if (tmp.len)
		unlink(tmp.p);
	cw_buf_release(&tmp);
	return r;
}

int cw_checkpoint_save(const struct cw_checkpoint *cp, const char *path,
	struct cw_err *err)
{
	struct cw_buf text_ = CW_BUF_INIT;
	char *real = NULL;
	int r = -1;

	if (cw_checkpoint_format(cp, &text_, err) == 0 &&
	    (real = resolve(path, err)) != NULL)
		r = replace(real, &text_, err);
	free(real);
	cw_buf_release(&text_);
	return r;
}
