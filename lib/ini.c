#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "ini.h"
#include "banned.h"

/* Most files are small, but a company-wide SSO config runs to several
 * MiB; the bounds sit well past that and keep a hostile or corrupt file
 * from costing more than a moment: sections are found through a hash,
 * keys within a section (a few each) by a bounded scan. */
#define MAX_FILE ((size_t)32 << 20)
#define MAX_FILE_TEXT "32 MiB"
#define MAX_LINE ((size_t)64 << 10)
#define MAX_SECTIONS ((size_t)1 << 18)
#define MAX_KEYS ((size_t)1 << 21)
#define MAX_SECTION_KEYS 4096

struct kv {
	char *key;
	char *value;
};

struct section {
	char *name;
	struct kv *kv;
	size_t n, cap;
};

struct cw_ini {
	struct section *sec;
	size_t n, cap;
	size_t nkeys;
	size_t *index;		/* section number + 1 by name hash; 0 free */
	size_t icap;		/* a power of two, at least twice n */
};

/* Parser state for one file. */
struct parse {
	struct cw_ini *ini;
	const char *name;
	size_t lineno;
	struct section *cur;
	struct kv *last;	/* the key an indented line continues */
	char parent[256];	/* "s3" while reading its indented sub-keys */
	struct cw_err *err;
};

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Trims [*s, *e) in place. */
static void trim(const char **s, const char **e)
{
	while (*s < *e && is_blank(**s))
		(*s)++;
	while (*e > *s && is_blank((*e)[-1]))
		(*e)--;
}

static char *dup_range(const char *s, const char *e)
{
	size_t n = (size_t)(e - s);
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static int fail(struct parse *ps, const char *why)
{
	return cw_err_set(ps->err, "%s:%zu: %s", ps->name, ps->lineno, why);
}

static size_t name_hash(const char *s)
{
	size_t h = 5381;

	for (; *s; s++)
		h = h * 33 ^ (unsigned char)*s;
	return h;
}

/* The index slot for name: where it is, or the free slot it would take. */
static size_t *slot(const struct cw_ini *ini, const char *name)
{
	size_t i = name_hash(name) & (ini->icap - 1);

	while (ini->index[i] && strcmp(ini->sec[ini->index[i] - 1].name, name))
		i = (i + 1) & (ini->icap - 1);
	return &ini->index[i];
}

static struct section *find_section(const struct cw_ini *ini, const char *name)
{
	size_t *at;

	if (!ini || !ini->icap)
		return NULL;
	at = slot(ini, name);
	return *at ? &ini->sec[*at - 1] : NULL;
}

/* Makes the index hold one more section. */
static int grow_index(struct cw_ini *ini)
{
	struct cw_ini tmp = *ini;
	size_t i;

	if (2 * (ini->n + 1) <= ini->icap)
		return 0;
	tmp.icap = ini->icap ? ini->icap * 2 : 16;
	if (!(tmp.index = calloc(tmp.icap, sizeof(*tmp.index))))
		return -1;
	for (i = 0; i < ini->n; i++)
		*slot(&tmp, ini->sec[i].name) = i + 1;
	free(ini->index);
	ini->index = tmp.index;
	ini->icap = tmp.icap;
	return 0;
}

static struct kv *find_key(const struct section *s, const char *key)
{
	size_t i;

	for (i = 0; s && i < s->n; i++)
		if (strcmp(s->kv[i].key, key) == 0)
			return &s->kv[i];
	return NULL;
}

/* A repeated section continues the first one, as the AWS CLI reads it. */
static int open_section(struct parse *ps, const char *s, const char *e)
{
	struct cw_ini *ini = ps->ini;
	struct section *sec;
	char *name = dup_range(s, e);

	if (!name)
		return fail(ps, "out of memory");
	ps->last = NULL;
	ps->parent[0] = '\0';
	if ((sec = find_section(ini, name))) {
		free(name);
		ps->cur = sec;
		return 0;
	}
	if (ini->n == MAX_SECTIONS) {
		free(name);
		return fail(ps, "too many sections");
	}
	if (ini->n == ini->cap) {
		size_t cap = ini->cap ? ini->cap * 2 : 8;
		struct section *v = realloc(ini->sec, cap * sizeof(*v));

		if (!v) {
			free(name);
			return fail(ps, "out of memory");
		}
		ini->sec = v;
		ini->cap = cap;
	}
	if (grow_index(ini) < 0) {
		free(name);
		return fail(ps, "out of memory");
	}
	sec = &ini->sec[ini->n];
	memset(sec, 0, sizeof(*sec));
	sec->name = name;
	*slot(ini, name) = ++ini->n;
	ps->cur = sec;
	return 0;
}

/* Sets key in the current section; a later value replaces an earlier. */
static int set_key(struct parse *ps, char *key, char *value)
{
	struct section *s = ps->cur;
	struct kv *kv = find_key(s, key);

	if (kv) {
		free(key);
		free(kv->value);
		kv->value = value;
		ps->last = kv;
		return 0;
	}
	if (ps->ini->nkeys == MAX_KEYS || s->n == MAX_SECTION_KEYS)
		goto fail;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		struct kv *v = realloc(s->kv, cap * sizeof(*v));

		if (!v)
			goto fail;
		s->kv = v;
		s->cap = cap;
	}
	s->kv[s->n].key = key;
	s->kv[s->n].value = value;
	ps->last = &s->kv[s->n++];
	ps->ini->nkeys++;
	return 0;
fail:
	free(key);
	free(value);
	return fail(ps, ps->ini->nkeys == MAX_KEYS ? "too many keys" :
		s->n == MAX_SECTION_KEYS ? "too many keys in the section" :
		"out of memory");
}

/* Cuts an inline comment: '#' or ';' preceded by whitespace. */
static const char *strip_comment(const char *s, const char *e)
{
	const char *p;

	for (p = s; p < e; p++)
		if ((*p == '#' || *p == ';') && p > s && is_blank(p[-1]))
			return p;
	return e;
}

/* "key = value" (or "key: value", as configparser allows); the first
 * '=' or ':' splits. */
static int parse_pair(struct parse *ps, const char *s, const char *e,
	const char *prefix)
{
	const char *d = s, *ks, *ke, *vs, *ve;
	char *key, *value;

	while (d < e && *d != '=' && *d != ':')
		d++;
	if (d == e)
		return fail(ps, "expected 'key = value'");
	ks = s;
	ke = d;
	vs = d + 1;
	ve = strip_comment(vs, e);
	trim(&ks, &ke);
	trim(&vs, &ve);
	if (ks == ke)
		return fail(ps, "empty key");
	if (prefix && *prefix) {
		struct cw_buf b = CW_BUF_INIT;

		if (cw_buf_addf(&b, "%s.", prefix) < 0 || cw_buf_add(&b, ks, (size_t)(ke - ks)) < 0) {
			cw_buf_release(&b);
			return fail(ps, "out of memory");
		}
		key = cw_buf_detach(&b, NULL);
	} else {
		key = dup_range(ks, ke);
	}
	value = dup_range(vs, ve);
	if (!key || !value) {
		free(key);
		free(value);
		return fail(ps, "out of memory");
	}
	return set_key(ps, key, value);
}

/* An indented line after "s3 =" is a sub-key, stored as "s3.key";
 * after a key with a value it continues that value on a new line. */
static int continuation(struct parse *ps, const char *s, const char *e)
{
	struct cw_buf b = CW_BUF_INIT;
	const char *ce = strip_comment(s, e);

	if (ps->parent[0] || !*ps->last->value) {
		if (!ps->parent[0]) {
			size_t n = strlen(ps->last->key);

			if (n >= sizeof(ps->parent))
				return fail(ps, "key too long");
			memcpy(ps->parent, ps->last->key, n + 1);
		}
		if (memchr(s, '=', (size_t)(e - s)))
			return parse_pair(ps, s, e, ps->parent);
		return 0;	/* nothing to store, nothing to fail on */
	}
	trim(&s, &ce);
	if (cw_buf_adds(&b, ps->last->value) < 0 || cw_buf_addc(&b, '\n') < 0 ||
	    cw_buf_add(&b, s, (size_t)(ce - s)) < 0) {
		cw_buf_release(&b);
		return fail(ps, "out of memory");
	}
	free(ps->last->value);
	ps->last->value = cw_buf_detach(&b, NULL);
	return ps->last->value ? 0 : fail(ps, "out of memory");
}

static int parse_header(struct parse *ps, const char *s, const char *e)
{
	const char *close = e, *ns, *ne, *rest;

	while (close > s && close[-1] != ']')
		close--;
	if (close == s)
		return fail(ps, "section header without ']'");
	rest = close;
	trim(&rest, &e);
	if (rest < e && *rest != '#' && *rest != ';')
		return fail(ps, "text after section header");
	ns = s + 1;
	ne = close - 1;
	trim(&ns, &ne);
	if (ns == ne)
		return fail(ps, "empty section name");
	return open_section(ps, ns, ne);
}

static int parse_line(struct parse *ps, const char *s, const char *e)
{
	int indented = s < e && is_blank(*s);

	if (memchr(s, '\0', (size_t)(e - s)))
		return fail(ps, "NUL byte");
	if ((size_t)(e - s) > MAX_LINE)
		return fail(ps, "line too long");
	trim(&s, &e);
	if (s == e || *s == '#' || *s == ';')
		return 0;
	if (indented && ps->last)
		return continuation(ps, s, e);
	ps->last = NULL;
	ps->parent[0] = '\0';
	if (*s == '[')
		return parse_header(ps, s, e);
	if (!ps->cur)
		return fail(ps, "key outside a section");
	return parse_pair(ps, s, e, NULL);
}

struct cw_ini *cw_ini_parse(const char *name, const char *text, size_t len,
	struct cw_err *err)
{
	struct parse ps = { .name = name ? name : "-", .err = err };
	const char *p = text, *end = text + len;

	if (len > MAX_FILE) {
		cw_err_set(err, "%s: file too large (limit " MAX_FILE_TEXT ")", ps.name);
		return NULL;
	}
	if (!(ps.ini = calloc(1, sizeof(*ps.ini)))) {
		cw_err_set(err, "%s: out of memory", ps.name);
		return NULL;
	}
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		ps.lineno++;
		if (parse_line(&ps, p, le) < 0) {
			cw_ini_free(ps.ini);
			return NULL;
		}
		p = le + 1;
	}
	return ps.ini;
}

/* Stops at the cap (b->max), so an oversized file is refused without
 * reading it all: -2 when too large, -1 on a read error. */
static int read_bounded(FILE *f, struct cw_buf *b)
{
	char chunk[8192];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (cw_buf_add(b, chunk, n) < 0)
			return -2;
	return ferror(f) ? -1 : 0;
}

struct cw_ini *cw_ini_load(const char *path, struct cw_err *err)
{
	struct cw_buf b;
	struct cw_ini *ini = NULL;
	struct stat st;
	FILE *f;
	int rc;

	cw_buf_init(&b, MAX_FILE);
	f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT || errno == ENOTDIR)
			return calloc(1, sizeof(struct cw_ini));
		cw_err_set(err, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		cw_err_set(err, "%s: is a directory", path);
		goto out;
	}
	if ((rc = read_bounded(f, &b)) < 0) {
		cw_err_set(err, "%s: %s", path, rc == -2 ?
			"file too large (limit " MAX_FILE_TEXT ")" : "read error");
		goto out;
	}
	ini = cw_ini_parse(path, cw_buf_str(&b), b.len, err);
out:
	fclose(f);
	cw_buf_wipe(&b);	/* credentials files hold secrets */
	return ini;
}

const char *cw_ini_get(const struct cw_ini *ini, const char *section,
	const char *key)
{
	const struct kv *kv = find_key(find_section(ini, section), key);

	return kv ? kv->value : NULL;
}

int cw_ini_has_section(const struct cw_ini *ini, const char *section)
{
	return find_section(ini, section) != NULL;
}

void cw_ini_free(struct cw_ini *ini)
{
	size_t i, j;

	if (!ini)
		return;
	for (i = 0; i < ini->n; i++) {
		struct section *s = &ini->sec[i];

		for (j = 0; j < s->n; j++) {
			free(s->kv[j].key);
			if (s->kv[j].value) {
				explicit_bzero(s->kv[j].value, strlen(s->kv[j].value));
				free(s->kv[j].value);
			}
		}
		free(s->kv);
		free(s->name);
	}
	free(ini->sec);
	free(ini->index);
	free(ini);
}
