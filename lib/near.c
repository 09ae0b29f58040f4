#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "near.h"
#include "banned.h"

/* Names longer than this are compared on their first letters only: a
 * name is a word someone typed, not a text. */
#define NEAR_MAX 64
#define NEAR_FAR 8

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

static int same(char x, char y)
{
	return tolower((unsigned char)x) == tolower((unsigned char)y);
}

/* Optimal string alignment: Levenshtein plus the swap of two neighbours,
 * the commonest slip of a typist. Three rows are all it needs. */
size_t cw_near_distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t rows[3][NEAR_MAX + 1], *prev2 = rows[0], *prev = rows[1],
		*cur = rows[2], *t, i, j, d;

	la = la > NEAR_MAX ? NEAR_MAX : la;
	lb = lb > NEAR_MAX ? NEAR_MAX : lb;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			d = min3(prev[j] + 1, cur[j - 1] + 1,
				prev[j - 1] + !same(a[i - 1], b[j - 1]));
			if (i > 1 && j > 1 && same(a[i - 1], b[j - 2])
					&& same(a[i - 2], b[j - 1])
					&& prev2[j - 2] + 1 < d)
				d = prev2[j - 2] + 1;
			cur[j] = d;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb] > NEAR_FAR ? NEAR_FAR : prev[lb];
}

void cw_near_init(struct cw_near *n, const char *word, size_t len)
{
	n->word = word;
	n->len = len;
	n->best = NULL;
	n->dist = NEAR_FAR;
}

/* How far a name may be from a word of len letters. */
static size_t allowed(size_t len)
{
	return len <= 3 ? 1 : len <= 6 ? 2 : len / 3;
}

void cw_near_try(struct cw_near *n, const char *name)
{
	size_t d, l = strlen(name);

	if (!n->len || (l == n->len && strncmp(name, n->word, l) == 0))
		return;		/* the word itself is no suggestion */
	if (n->len >= 2 && l > n->len && strncasecmp(name, n->word,
			n->len) == 0)
		d = 1;
	else
		d = cw_near_distance(n->word, n->len, name, l);
	if (d <= allowed(n->len) && d < n->dist) {
		n->best = name;
		n->dist = d;
	}
}
