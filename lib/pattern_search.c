/*
 * Substring search over a whole buffer, the hot path of every pattern
 * kind. Two bytes of each needle, the rarest by a table of how common
 * bytes are in log text, are compared at 16 (SSE2) or 32 (AVX2)
 * positions at once; only where both agree is the needle compared. That
 * is the "generic SIMD" search of grep-like tools, and it takes several
 * needles in one pass, for ?OR terms.
 */
#include <stdint.h>
#include <string.h>

#include "pattern_int.h"
#include "banned.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define PAT_SIMD 1
#endif

/* Lower is rarer, in the logs we filter: text, JSON, access logs. */
static int rank(unsigned char c)
{
	if (c == ' ')
		return 255;
	if (strchr("etaoinsrl", c) && c)
		return 220;
	if (c >= 'a' && c <= 'z')
		return 180;
	if (c >= '0' && c <= '9')
		return 200;
	if (c && strchr("\"/.:-,=_", c))
		return 190;
	if (c >= 'A' && c <= 'Z')
		return strchr("ETAOINSR", c) ? 110 : 90;
	if (c >= 0x80)
		return 40;
	if (c < 0x20)
		return 20;
	return 60;
}

void pat_needle_init(struct pat_needle *nd, const char *s, size_t len)
{
	size_t k;

	nd->s = s;
	nd->len = len;
	nd->i1 = nd->i2 = 0;
	for (k = 1; k < len; k++)
		if (rank((unsigned char)s[k]) < rank((unsigned char)s[nd->i1]))
			nd->i1 = k;
	nd->i2 = nd->i1 == 0 && len > 1 ? 1 : 0;
	for (k = 0; k < len; k++)
		if (k != nd->i1 && rank((unsigned char)s[k]) <
		    rank((unsigned char)s[nd->i2]))
			nd->i2 = k;
}

/* The bytes of a needle compared by a tuning pass: the rest only count
 * in the final memcmp. */
#define TUNE_SPAN 16

/*
 * How often s[i] and s[j] stand at their distance apart in the sample,
 * for every pair of the needle's first TUNE_SPAN bytes: from each place
 * the first byte of a pair occurs, the others are compared.
 */
static void pair_counts(const char *s, size_t len, const char *h, size_t n,
	size_t counts[TUNE_SPAN][TUNE_SPAN])
{
	const char *p, *e = h + n;
	size_t i, j;

	for (i = 0; i + 1 < len; i++) {
		for (p = h + i; p < e && (p = memchr(p, s[i], e - p)); p++) {
			/* the needle, placed so s[i] is at p, must fit */
			if ((size_t)(e - p) < len - i)
				break;
			for (j = i + 1; j < len; j++)
				counts[i][j] += p[j - i] == s[j];
		}
	}
}

void pat_needle_tune(struct pat_needle *nd, const char *sample, size_t n)
{
	size_t counts[TUNE_SPAN][TUNE_SPAN] = { { 0 } };
	size_t len = nd->len < TUNE_SPAN ? nd->len : TUNE_SPAN, i, j, best;
	size_t a = nd->i1 < nd->i2 ? nd->i1 : nd->i2;
	size_t b = nd->i1 < nd->i2 ? nd->i2 : nd->i1;

	/* A ranked pair past the bytes counted could not be compared. */
	if (len < 2 || b >= len)
		return;
	pair_counts(nd->s, len, sample, n, counts);
	/* The ranked pair stays unless another is strictly rarer. */
	best = counts[a][b];
	for (i = 0; i + 1 < len; i++)
		for (j = i + 1; j < len; j++)
			if (counts[i][j] < best) {
				best = counts[i][j];
				nd->i1 = i;
				nd->i2 = j;
			}
}

static int here(const struct pat_needle *nd, const char *p)
{
	return p[nd->i1] == nd->s[nd->i1] && p[nd->i2] == nd->s[nd->i2] &&
		memcmp(p, nd->s, nd->len) == 0;
}

/* Position by position, for the tail of a buffer. */
static const char *slow(const struct pat_needle *nd, int k, const char *h,
	size_t from, size_t n, int *which)
{
	size_t pos;
	int j;

	for (pos = from; pos < n; pos++)
		for (j = 0; j < k; j++)
			if (nd[j].len <= n - pos && here(&nd[j], h + pos)) {
				*which = j;
				return h + pos;
			}
	return NULL;
}

#ifdef PAT_SIMD
/* The earliest candidate bit of the block, verified; -1 when none. */
static long verify(const struct pat_needle *nd, int k, const char *h,
	const unsigned *masks, unsigned all, int *which)
{
	int b, j;

	while (all) {
		b = __builtin_ctz(all);
		for (j = 0; j < k; j++)
			if ((masks[j] >> b & 1) &&
			    memcmp(h + b, nd[j].s, nd[j].len) == 0) {
				*which = j;
				return b;
			}
		all &= all - 1;
	}
	return -1;
}

static const char *sse2(const struct pat_needle *nd, int k, const char *h,
	size_t n, size_t maxlen, int *which)
{
	__m128i b1[PAT_MAX_NEEDLES], b2[PAT_MAX_NEEDLES];
	unsigned masks[PAT_MAX_NEEDLES], all;
	size_t pos;
	long b;
	int j;

	for (j = 0; j < k; j++) {
		b1[j] = _mm_set1_epi8(nd[j].s[nd[j].i1]);
		b2[j] = _mm_set1_epi8(nd[j].s[nd[j].i2]);
	}
	for (pos = 0; pos + 16 + maxlen - 1 <= n; pos += 16) {
		all = 0;
		for (j = 0; j < k; j++) {
			__m128i x = _mm_loadu_si128((const __m128i *)
				(const void *)(h + pos + nd[j].i1));
			__m128i y = _mm_loadu_si128((const __m128i *)
				(const void *)(h + pos + nd[j].i2));

			masks[j] = (unsigned)_mm_movemask_epi8(_mm_and_si128(
				_mm_cmpeq_epi8(x, b1[j]), _mm_cmpeq_epi8(y, b2[j])));
			all |= masks[j];
		}
		if (all && (b = verify(nd, k, h + pos, masks, all, which)) >= 0)
			return h + pos + b;
	}
	return slow(nd, k, h, pos, n, which);
}

__attribute__((target("avx2")))
static const char *avx2(const struct pat_needle *nd, int k, const char *h,
	size_t n, size_t maxlen, int *which)
{
	__m256i b1[PAT_MAX_NEEDLES], b2[PAT_MAX_NEEDLES];
	unsigned masks[PAT_MAX_NEEDLES], all;
	size_t pos;
	long b;
	int j;

	for (j = 0; j < k; j++) {
		b1[j] = _mm256_set1_epi8(nd[j].s[nd[j].i1]);
		b2[j] = _mm256_set1_epi8(nd[j].s[nd[j].i2]);
	}
	for (pos = 0; pos + 32 + maxlen - 1 <= n; pos += 32) {
		all = 0;
		for (j = 0; j < k; j++) {
			__m256i x = _mm256_loadu_si256((const __m256i *)
				(const void *)(h + pos + nd[j].i1));
			__m256i y = _mm256_loadu_si256((const __m256i *)
				(const void *)(h + pos + nd[j].i2));

			masks[j] = (unsigned)_mm256_movemask_epi8(
				_mm256_and_si256(_mm256_cmpeq_epi8(x, b1[j]),
				_mm256_cmpeq_epi8(y, b2[j])));
			all |= masks[j];
		}
		if (all && (b = verify(nd, k, h + pos, masks, all, which)) >= 0)
			return h + pos + b;
	}
	return slow(nd, k, h, pos, n, which);
}

/* Where the needle's two bytes stand at their distance in the 32 places
 * from p1 - nd->i1: 0xff a place. */
__attribute__((target("avx2")))
static inline __m256i pairs32(__m256i b1, __m256i b2, const char *p1,
	const char *p2)
{
	return _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_loadu_si256(
		(const __m256i *)(const void *)p1), b1), _mm256_cmpeq_epi8(
		_mm256_loadu_si256((const __m256i *)(const void *)p2), b2));
}

/* The 64 places of two halves as one bit a place. */
__attribute__((target("avx2")))
static inline uint64_t bits64(__m256i lo, __m256i hi)
{
	return (uint64_t)(unsigned)_mm256_movemask_epi8(hi) << 32 |
		(unsigned)_mm256_movemask_epi8(lo);
}

/* pairs32 over 64 places: one bit a place. */
__attribute__((target("avx2")))
static inline uint64_t pairs64(__m256i b1, __m256i b2, const char *p1,
	const char *p2)
{
	__m256i m0 = pairs32(b1, b2, p1, p2),
		m1 = pairs32(b1, b2, p1 + 32, p2 + 32);

	if (_mm256_testz_si256(_mm256_or_si256(m0, m1),
	    _mm256_or_si256(m0, m1)))
		return 0;
	return bits64(m0, m1);
}

static const char *verify_one(const struct pat_needle *nd, const char *h,
	uint64_t m)
{
	for (; m; m &= m - 1)
		if (memcmp(h + __builtin_ctzll(m), nd->s, nd->len) == 0)
			return h + __builtin_ctzll(m);
	return NULL;
}

/* One needle, 64 bytes a turn: the loop's own cost halves, which is
 * what a search for one rare word spends most on. The rest, shorter
 * than a turn, is one more turn that ends where h does, its places
 * before pos already looked at: the search of a line's last bytes
 * costs no byte-by-byte tail. */
__attribute__((target("avx2")))
static const char *avx2_one(const struct pat_needle *nd, const char *h,
	size_t n, int *which)
{
	const __m256i b1 = _mm256_set1_epi8(nd->s[nd->i1]),
		b2 = _mm256_set1_epi8(nd->s[nd->i2]);
	const char *p1 = h + nd->i1, *p2 = h + nd->i2, *r;
	size_t pos, span = 64 + nd->len - 1;
	uint64_t m;

	for (pos = 0; pos + span <= n; pos += 64) {
		m = pairs64(b1, b2, p1 + pos, p2 + pos);
		if (m && (r = verify_one(nd, h + pos, m)))
			return r;
	}
	if (pos && pos + nd->len <= n) {
		m = pairs64(b1, b2, p1 + n - span, p2 + n - span);
		return verify_one(nd, h + n - span,
			m & ~(uint64_t)0 << (pos - (n - span)));
	}
	*which = 0;
	return memmem(h + pos, n - pos, nd->s, nd->len);
}

/* pairs64 for nd[0] at h, and in *esc where nd[1]'s first byte c stands
 * in the 64 places from h. Neither, the common case, costs one test. */
__attribute__((target("avx2")))
static inline uint64_t two64(const struct pat_needle *nd, __m256i b1,
	__m256i b2, __m256i c, const char *h, uint64_t *esc)
{
	const char *p1 = h + nd->i1, *p2 = h + nd->i2;
	__m256i m0 = pairs32(b1, b2, p1, p2),
		m1 = pairs32(b1, b2, p1 + 32, p2 + 32);
	__m256i e0 = _mm256_cmpeq_epi8(_mm256_loadu_si256(
		(const __m256i *)(const void *)h), c);
	__m256i e1 = _mm256_cmpeq_epi8(_mm256_loadu_si256(
		(const __m256i *)(const void *)(h + 32)), c);
	__m256i any = _mm256_or_si256(_mm256_or_si256(m0, m1),
		_mm256_or_si256(e0, e1));

	*esc = 0;
	if (_mm256_testz_si256(any, any))
		return 0;
	*esc = bits64(e0, e1);
	return bits64(m0, m1);
}

/* The earliest place of m (nd[0]'s candidates) or e (nd[1]'s) where
 * that needle is. */
static const char *verify_two(const struct pat_needle *nd, const char *h,
	uint64_t m, uint64_t e, int *which)
{
	uint64_t all;
	int b, j;

	for (all = m | e; all; all &= all - 1) {
		b = __builtin_ctzll(all);
		for (j = 0; j < 2; j++)
			if (((j ? e : m) >> b & 1) &&
			    memcmp(h + b, nd[j].s, nd[j].len) == 0) {
				*which = j;
				return h + b;
			}
	}
	return NULL;
}

/* avx2_one for two needles, the second found by its first byte. */
__attribute__((target("avx2")))
static const char *avx2_two(const struct pat_needle *nd, const char *h,
	size_t n, int *which)
{
	const __m256i b1 = _mm256_set1_epi8(nd[0].s[nd[0].i1]),
		b2 = _mm256_set1_epi8(nd[0].s[nd[0].i2]),
		c = _mm256_set1_epi8(nd[1].s[0]);
	size_t span = 64 + (nd[0].len > nd[1].len ? nd[0].len : nd[1].len) - 1;
	size_t pos, base;
	uint64_t m, e, keep;
	const char *r;

	for (pos = 0; pos + span <= n; pos += 64) {
		m = two64(nd, b1, b2, c, h + pos, &e);
		if ((m | e) && (r = verify_two(nd, h + pos, m, e, which)))
			return r;
	}
	base = n - span;
	if (pos && pos - base < 64) {
		m = two64(nd, b1, b2, c, h + base, &e);
		keep = ~(uint64_t)0 << (pos - base);
		if ((r = verify_two(nd, h + base, m & keep, e & keep, which)))
			return r;
		pos = base + 64;
	}
	/* the places too near the end for the longer needle */
	return slow(nd, 2, h, pos, n, which);
}
#endif

/*
 * The first place in h[0..n) where one of the k needles (at most
 * PAT_MAX_NEEDLES, none empty) starts; *which says which one.
 */
const char *pat_search(const struct pat_needle *nd, int k, const char *h,
	size_t n, int *which)
{
	size_t maxlen = 0;
	int j;

	*which = 0;
	for (j = 0; j < k; j++)
		if (nd[j].len > maxlen)
			maxlen = nd[j].len;
	if (k == 1 && maxlen == 1)
		return memchr(h, nd[0].s[0], n);
#ifdef PAT_SIMD
	{
		static int has_avx2 = -1;

		if (has_avx2 < 0)
			has_avx2 = __builtin_cpu_supports("avx2") != 0;
		if (has_avx2 && k == 1)
			return avx2_one(nd, h, n, which);
		if (has_avx2)
			return avx2(nd, k, h, n, maxlen, which);
		return sse2(nd, k, h, n, maxlen, which);
	}
#else
	if (k == 1)
		return memmem(h, n, nd[0].s, nd[0].len);
	return slow(nd, k, h, 0, n, which);
#endif
}

/*
 * pat_search for two needles, nd[1] looked for by its first byte alone
 * before it is compared: a byte rare in the text, as a backslash is in
 * JSON logs. One pass over h finds both.
 */
const char *pat_search_two(const struct pat_needle *nd, const char *h,
	size_t n, int *which)
{
#ifdef PAT_SIMD
	static int has_avx2 = -1;

	if (has_avx2 < 0)
		has_avx2 = __builtin_cpu_supports("avx2") != 0;
	if (has_avx2) {
		*which = 0;
		return avx2_two(nd, h, n, which);
	}
#endif
	return pat_search(nd, 2, h, n, which);
}

/* --- a literal at the start of a space-delimited field --- */

/* What may stand before a field's value: a blank, the '"' or '[' that
 * opens the field, or the '"' or ']' that closes the one before (a
 * field starts right after it: "a"b is two fields). A line break is a
 * blank: it starts the line. */
static int field_edge(unsigned char c)
{
	return c == ' ' || c == '"' || c == '[' || c == ']' ||
		(c >= '\t' && c <= '\r');
}

static int field_here(const struct pat_needle *nd, const char *h,
	size_t pos)
{
	return (pos == 0 || field_edge((unsigned char)h[pos - 1])) &&
		memcmp(h + pos, nd->s, nd->len) == 0;
}

#ifdef PAT_SIMD
/*
 * Where x may stand before a field: all ones in those bytes. A byte is
 * looked up by each of its halves, in tables whose bits stand for the
 * three groups of such bytes: 0x09-0x0d, 0x20 and 0x22, 0x5b and 0x5d.
 * A high half of 8 or more finds 0, as do the halves of no group.
 */
__attribute__((target("avx2")))
static inline __m256i edges32(__m256i x)
{
	const __m256i lo = _mm256_setr_epi8(2, 0, 2, 0, 0, 0, 0, 0,
		0, 1, 1, 5, 1, 5, 0, 0, 2, 0, 2, 0, 0, 0, 0, 0,
		0, 1, 1, 5, 1, 5, 0, 0);
	const __m256i hi = _mm256_setr_epi8(1, 0, 2, 0, 0, 4, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 4, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0);
	const __m256i low4 = _mm256_set1_epi8(0x0f);
	__m256i a = _mm256_shuffle_epi8(lo, _mm256_and_si256(x, low4));
	__m256i b = _mm256_shuffle_epi8(hi,
		_mm256_and_si256(_mm256_srli_epi16(x, 4), low4));

	return _mm256_xor_si256(_mm256_cmpeq_epi8(_mm256_and_si256(a, b),
		_mm256_setzero_si256()), _mm256_set1_epi8(-1));
}

/* The places among 32 from h + pos where the first and last bytes are
 * and the byte before may stand before a field. */
__attribute__((target("avx2")))
static inline uint32_t field_mask32(__m256i first, __m256i last, size_t len,
	const char *h, size_t pos)
{
	__m256i w = _mm256_loadu_si256((const __m256i *)(const void *)
		(h + pos - 1));
	__m256i x = _mm256_loadu_si256((const __m256i *)(const void *)
		(h + pos));
	__m256i m = _mm256_and_si256(_mm256_cmpeq_epi8(x, first), edges32(w));

	if (len > 1)
		m = _mm256_and_si256(m, _mm256_cmpeq_epi8(last,
			_mm256_loadu_si256((const __m256i *)(const void *)
			(h + pos + len - 1))));
	return (uint32_t)_mm256_movemask_epi8(m);
}

/* From pos, 64 places a turn, to the first turn with a place where the
 * first and last bytes are and the byte before may stand before a
 * field: its mask in *m (0 when none is left whole in n). The turn never
 * calls out, so that what it compares with stays in registers. */
__attribute__((target("avx2"), noinline))
static size_t field_scan(const struct pat_needle *nd, const char *h,
	size_t n, size_t pos, uint64_t *m)
{
	const __m256i first = _mm256_set1_epi8(nd->s[0]),
		last = _mm256_set1_epi8(nd->s[nd->len - 1]);
	size_t len = nd->len;

	for (; pos + 64 + len - 1 <= n; pos += 64) {
		*m = field_mask32(first, last, len, h, pos) |
			(uint64_t)field_mask32(first, last, len, h,
			pos + 32) << 32;
		if (*m)
			return pos;
	}
	*m = 0;
	return pos;
}

/* field_scan with the 64 places in one register, where there is one. */
__attribute__((target("avx512bw"), noinline))
static size_t field_scan512(const struct pat_needle *nd, const char *h,
	size_t n, size_t pos, uint64_t *m)
{
	const __m512i first = _mm512_set1_epi8(nd->s[0]),
		last = _mm512_set1_epi8(nd->s[nd->len - 1]),
		lo = _mm512_broadcast_i32x4(_mm_setr_epi8(2, 0, 2, 0, 0, 0,
			0, 0, 0, 1, 1, 5, 1, 5, 0, 0)),
		hi = _mm512_broadcast_i32x4(_mm_setr_epi8(1, 0, 2, 0, 0, 4,
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
		low4 = _mm512_set1_epi8(0x0f);
	size_t len = nd->len;
	__m512i w;
	__mmask64 k;

	for (; pos + 64 + len - 1 <= n; pos += 64) {
		w = _mm512_loadu_si512((const void *)(h + pos - 1));
		k = _mm512_test_epi8_mask(
			_mm512_shuffle_epi8(lo, _mm512_and_si512(w, low4)),
			_mm512_shuffle_epi8(hi, _mm512_and_si512(
			_mm512_srli_epi16(w, 4), low4)));
		k &= _mm512_cmpeq_epi8_mask(_mm512_loadu_si512((const void *)
			(h + pos)), first);
		if (len > 1)
			k &= _mm512_cmpeq_epi8_mask(_mm512_loadu_si512(
				(const void *)(h + pos + len - 1)), last);
		if (k) {
			*m = k;
			return pos;
		}
	}
	*m = 0;
	return pos;
}

typedef size_t field_scan_fn(const struct pat_needle *nd, const char *h,
	size_t n, size_t pos, uint64_t *m);

/* The first byte and the last and the byte before, compared for 64
 * places before any branch (a first byte alone, a digit say, is too
 * common a thing to branch on). */
static size_t field_simd(field_scan_fn *scan, const struct pat_needle *nd,
	const char *h, size_t n, const char **hit)
{
	size_t pos = 1;
	uint64_t m;

	*hit = NULL;
	for (;;) {
		pos = scan(nd, h, n, pos, &m);
		if (!m)
			return pos;
		for (; m; m &= m - 1)
			if (memcmp(h + pos + __builtin_ctzll(m), nd->s,
			    nd->len) == 0) {
				*hit = h + pos + __builtin_ctzll(m);
				return pos;
			}
		pos += 64;
	}
}
#endif

/*
 * The first place in h[0..n) where the needle starts a field: at 0, or
 * after a blank, '"' or '['. The first byte of h starts a line.
 */
const char *pat_search_field(const struct pat_needle *nd, const char *h,
	size_t n)
{
	size_t pos = 0;

	if (nd->len > n)
		return NULL;
	if (field_here(nd, h, 0))
		return h;
#ifdef PAT_SIMD
	{
		static field_scan_fn *scan;
		static int known;
		const char *hit;

		if (!known) {
			if (__builtin_cpu_supports("avx512bw"))
				scan = field_scan512;
			else if (__builtin_cpu_supports("avx2"))
				scan = field_scan;
			known = 1;
		}
		if (scan) {
			pos = field_simd(scan, nd, h, n, &hit);
			if (hit)
				return hit;
		}
	}
#endif
	/* Elsewhere, and for the rest: where the first byte is. */
	for (pos = pos ? pos : 1; pos + nd->len <= n; pos++) {
		const char *q = memchr(h + pos, nd->s[0], n - nd->len + 1 - pos);

		if (!q)
			return NULL;
		pos = q - h;
		if (field_here(nd, h, pos))
			return q;
	}
	return NULL;
}
