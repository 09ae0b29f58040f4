#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "json.h"
#include "jsonpos.h"
#include "banned.h"

static size_t slot_of(const struct cw_jsonpos *pos, const cJSON *node)
{
	uintptr_t h = (uintptr_t)node;

	h ^= h >> 17;
	h *= (uintptr_t)0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> 7) & (pos->cap - 1);
}

static int grow(struct cw_jsonpos *pos)
{
	struct cw_jsonpos old = *pos;
	size_t i, j;

	pos->cap = old.cap ? old.cap * 2 : 256;
	pos->slots = calloc(pos->cap, sizeof(*pos->slots));
	if (!pos->slots) {
		*pos = old;
		return -1;
	}
	for (i = 0; i < old.cap; i++) {
		if (!old.slots[i].node)
			continue;
		for (j = slot_of(pos, old.slots[i].node); pos->slots[j].node;
				j = (j + 1) & (pos->cap - 1))
			;
		pos->slots[j] = old.slots[i];
	}
	free(old.slots);
	return 0;
}

static int put(struct cw_jsonpos *pos, const cJSON *node, const char *file,
	int line, int col)
{
	size_t j;

	if ((pos->n + 1) * 2 > pos->cap && grow(pos) < 0)
		return -1;
	for (j = slot_of(pos, node); pos->slots[j].node
			&& pos->slots[j].node != node; j = (j + 1) & (pos->cap - 1))
		;
	if (!pos->slots[j].node)
		pos->n++;
	pos->slots[j].node = node;
	pos->slots[j].file = file;
	pos->slots[j].line = line;
	pos->slots[j].col = col;
	return 0;
}

const struct cw_jsonpos_loc *cw_jsonpos_get(const struct cw_jsonpos *pos,
	const cJSON *node)
{
	size_t j;

	if (!pos->cap || !node)
		return NULL;
	for (j = slot_of(pos, node); pos->slots[j].node;
			j = (j + 1) & (pos->cap - 1))
		if (pos->slots[j].node == node)
			return &pos->slots[j];
	return NULL;
}

int cw_jsonpos_copy(struct cw_jsonpos *pos, const cJSON *node,
	const cJSON *like)
{
	const struct cw_jsonpos_loc *l = cw_jsonpos_get(pos, like);

	if (!l)
		return 0;
	return put(pos, node, l->file, l->line, l->col);
}

static int copy_tree(struct cw_jsonpos *pos, const cJSON *from,
	const cJSON *to)
{
	const cJSON *a, *b;

	if (cw_jsonpos_copy(pos, to, from) < 0)
		return -1;
	for (a = from->child, b = to->child; a && b; a = a->next, b = b->next)
		if (copy_tree(pos, a, b) < 0)
			return -1;
	return 0;
}

cJSON *cw_jsonpos_dup(struct cw_jsonpos *pos, const cJSON *node)
{
	cJSON *d = cJSON_Duplicate(node, 1);

	if (d && copy_tree(pos, node, d) < 0) {
		cJSON_Delete(d);
		return NULL;
	}
	return d;
}

void cw_jsonpos_release(struct cw_jsonpos *pos)
{
	free(pos->slots);
	memset(pos, 0, sizeof(*pos));
}

/* ---- the parser */

struct parser {
	struct cw_jsonpos *pos;
	const char *file;
	const char *p, *end, *line_start;
	int line, depth;
	struct cw_err *err;
	int failed;
	struct cw_buf str;
};

static int col_of(const struct parser *ps, const char *at)
{
	return (int)(at - ps->line_start) + 1;
}

static void fail_at(struct parser *ps, const char *at, const char *why)
{
	if (ps->failed)
		return;
	ps->failed = 1;
	cw_err_set(ps->err, "%s:%d:%d: malformed JSON: %s", ps->file, ps->line,
		col_of(ps, at), why);
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end) {
		char c = *ps->p;

		if (c == '\n') {
			ps->line++;
			ps->line_start = ps->p + 1;
		} else if (c != ' ' && c != '\t' && c != '\r')
			return;
		ps->p++;
	}
}

/* Why a string is malformed, told by where the scanner stopped. */
static void string_error(struct parser *ps, const char *bad)
{
	if (bad >= ps->end)
		fail_at(ps, ps->end, "unterminated string");
	else if ((unsigned char)*bad < 0x20)
		fail_at(ps, bad, "control character in string");
	else if (bad[1] == 'u')
		fail_at(ps, bad, "bad \\u escape");
	else
		fail_at(ps, bad, "bad escape");
}

/*
 * A string into ps->str, decoded by the one rule (json.h); ps->p is on
 * the opening quote. cJSON holds C strings, so one that decodes to hold
 * U+0000 is refused here rather than cut short.
 */
static int scan_string(struct parser *ps)
{
	const char *at = ps->p, *end, *bad;
	size_t len;
	int esc = 0;

	end = cw_json_string_scan(at, ps->end, &esc, &bad);
	if (!end)
		return string_error(ps, bad), -1;
	cw_buf_reset(&ps->str);
	if (cw_json_string_token(&ps->str, at, end, &len) < 0)
		return fail_at(ps, at, "out of memory"), -1;
	if (memchr(ps->str.p, '\0', len))
		return fail_at(ps, at, "\\u0000 is not allowed"), -1;
	ps->p = end;
	return 0;
}

static cJSON *scan_number(struct parser *ps)
{
	const char *s = ps->p, *p, *digit = s + (s < ps->end && *s == '-');
	char tmp[80];

	if (digit >= ps->end || *digit < '0' || *digit > '9')
		return fail_at(ps, s, "expected a value"), NULL;
	if (!(p = cw_json_number_end(s, ps->end)))
		return fail_at(ps, s, "bad number"), NULL;
	if ((size_t)(p - s) >= sizeof(tmp))
		return fail_at(ps, s, "number too long"), NULL;
	memcpy(tmp, s, (size_t)(p - s));
	tmp[p - s] = '\0';
	ps->p = p;
	return cJSON_CreateNumber(strtod(tmp, NULL));
}

static cJSON *scan_value(struct parser *ps);

static int literal(struct parser *ps, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
		return fail_at(ps, ps->p, "expected a value"), -1;
	ps->p += n;
	return 0;
}

static int scan_members(struct parser *ps, cJSON *obj)
{
	cJSON *v;
	char *key;
	int count = 0, line, col;

	for (;;) {
		skip_ws(ps);
		line = ps->line;
		col = col_of(ps, ps->p);
		if (ps->p >= ps->end || *ps->p != '"')
			return fail_at(ps, ps->p, "expected a member name in "
				"double quotes"), -1;
		if (scan_string(ps) < 0)
			return -1;
		if (++count > CW_JSONPOS_MAX_MEMBERS)
			return fail_at(ps, ps->p, "too many members"), -1;
		if (!(key = strdup(cw_buf_str(&ps->str))))
			return -1;
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != ':') {
			free(key);
			return fail_at(ps, ps->p, "expected ':'"), -1;
		}
		ps->p++;
		v = scan_value(ps);
		if (!v || !cJSON_AddItemToObject(obj, key, v)) {
			free(key);
			cJSON_Delete(v);
			return -1;
		}
		free(key);
		/* A member is where its name is. */
		if (put(ps->pos, v, ps->file, line, col) < 0)
			return -1;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == '}')
			return ps->p++, 0;
		return fail_at(ps, ps->p, "expected ',' or '}'"), -1;
	}
}

static int scan_items(struct parser *ps, cJSON *arr)
{
	cJSON *v;

	for (;;) {
		v = scan_value(ps);
		if (!v || !cJSON_AddItemToArray(arr, v)) {
			cJSON_Delete(v);
			return -1;
		}
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == ']')
			return ps->p++, 0;
		return fail_at(ps, ps->p, "expected ',' or ']'"), -1;
	}
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp((*(cJSON *const *)a)->string,
		(*(cJSON *const *)b)->string);
}

/* 1 when a comes after b in the file. */
static int later(const struct cw_jsonpos_loc *a,
	const struct cw_jsonpos_loc *b)
{
	return a && b && (a->line > b->line
		|| (a->line == b->line && a->col > b->col));
}

/* A member name given twice: sorted, the names are neighbours. The
 * error points at the later one. */
static int check_duplicates(struct parser *ps, cJSON *obj)
{
	const struct cw_jsonpos_loc *a, *b, *l;
	cJSON **v, *c, *dup = NULL;
	size_t n = 0, i;

	for (c = obj->child; c; c = c->next)
		n++;
	if (n < 2)
		return 0;
	if (!(v = malloc(n * sizeof(*v))))
		return fail_at(ps, ps->p, "out of memory"), -1;
	for (n = 0, c = obj->child; c; c = c->next)
		v[n++] = c;
	qsort(v, n, sizeof(*v), cmp_key);
	for (i = 1; i < n && !dup; i++)
		if (strcmp(v[i]->string, v[i - 1]->string) == 0) {
			a = cw_jsonpos_get(ps->pos, v[i - 1]);
			b = cw_jsonpos_get(ps->pos, v[i]);
			dup = later(a, b) ? v[i - 1] : v[i];
		}
	free(v);
	if (!dup)
		return 0;
	l = cw_jsonpos_get(ps->pos, dup);
	ps->failed = 1;
	cw_err_set(ps->err, "%s:%d:%d: malformed JSON: duplicate member name",
		ps->file, l ? l->line : 0, l ? l->col : 0);
	return -1;
}

/* An object or array; ps->p is on its opening bracket. */
static cJSON *scan_container(struct parser *ps)
{
	int is_obj = *ps->p == '{';
	cJSON *c = is_obj ? cJSON_CreateObject() : cJSON_CreateArray();
	int rc = 0;

	if (!c)
		return NULL;
	if (++ps->depth > CW_JSONPOS_MAX_DEPTH) {
		fail_at(ps, ps->p, "nested too deeply");
		cJSON_Delete(c);
		return NULL;
	}
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == (is_obj ? '}' : ']'))
		ps->p++;
	else
		rc = is_obj ? scan_members(ps, c) : scan_items(ps, c);
	ps->depth--;
	if (rc == 0 && is_obj)
		rc = check_duplicates(ps, c);
	if (rc < 0) {
		cJSON_Delete(c);
		return NULL;
	}
	return c;
}

static cJSON *scan_value(struct parser *ps)
{
	const char *at;
	int line, col;
	cJSON *v = NULL;

	skip_ws(ps);
	at = ps->p;
	line = ps->line;
	col = col_of(ps, at);
	if (ps->p >= ps->end)
		return fail_at(ps, ps->p, "unexpected end of input"), NULL;
	switch (*ps->p) {
	case '{': case '[':
		v = scan_container(ps);
		break;
	case '"':
		if (scan_string(ps) == 0)
			v = cJSON_CreateString(cw_buf_str(&ps->str));
		break;
	case 't':
		if (literal(ps, "true") == 0)
			v = cJSON_CreateTrue();
		break;
	case 'f':
		if (literal(ps, "false") == 0)
			v = cJSON_CreateFalse();
		break;
	case 'n':
		if (literal(ps, "null") == 0)
			v = cJSON_CreateNull();
		break;
	default:
		v = scan_number(ps);
		break;
	}
	if (!v) {
		fail_at(ps, at, "out of memory");
		return NULL;
	}
	if (put(ps->pos, v, ps->file, line, col) < 0) {
		cJSON_Delete(v);
		fail_at(ps, at, "out of memory");
		return NULL;
	}
	return v;
}

cJSON *cw_jsonpos_parse(struct cw_jsonpos *pos, const char *file,
	const char *text, size_t len, struct cw_err *err)
{
	struct parser ps;
	cJSON *root;

	if (len > CW_JSONPOS_MAX_BYTES)
		return cw_err_set(err, "%s: too large (%zu bytes, at most %zu)",
			file, len, CW_JSONPOS_MAX_BYTES), NULL;
	memset(&ps, 0, sizeof(ps));
	ps.pos = pos;
	ps.file = file;
	ps.p = ps.line_start = text;
	ps.end = text + len;
	ps.line = 1;
	ps.err = err;
	cw_buf_init(&ps.str, CW_JSONPOS_MAX_BYTES);
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		ps.p = ps.line_start = text + 3;
	root = scan_value(&ps);
	if (root) {
		skip_ws(&ps);
		if (ps.p < ps.end) {
			fail_at(&ps, ps.p, "text after the end of the value");
			cJSON_Delete(root);
			root = NULL;
		}
	}
	cw_buf_release(&ps.str);
	return root;
}

cJSON *cw_jsonpos_load(struct cw_jsonpos *pos, const char *file,
	struct cw_err *err)
{
	struct cw_buf b;
	struct stat st;
	char chunk[65536];
	size_t n;
	cJSON *root = NULL;
	FILE *fp = fopen(file, "rb");

	if (!fp)
		return cw_err_set(err, "%s: %s", file, strerror(errno)), NULL;
	if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode)
			&& (size_t)st.st_size > CW_JSONPOS_MAX_BYTES) {
		fclose(fp);
		return cw_err_set(err, "%s: too large (%lld bytes, at most %zu)",
			file, (long long)st.st_size, CW_JSONPOS_MAX_BYTES), NULL;
	}
	cw_buf_init(&b, CW_JSONPOS_MAX_BYTES + 1);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (cw_buf_add(&b, chunk, n) < 0) {
			cw_err_set(err, "%s: too large (more than %zu bytes)",
				file, CW_JSONPOS_MAX_BYTES);
			goto out;
		}
	if (ferror(fp)) {
		cw_err_set(err, "%s: read failed", file);
		goto out;
	}
	root = cw_jsonpos_parse(pos, file, b.p ? b.p : "", b.len, err);
out:
	fclose(fp);
	cw_buf_release(&b);
	return root;
}
