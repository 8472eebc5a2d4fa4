/* SPDX-License-Identifier: MIT */
/*
 * sim/hist.c — log-linear histograms (latencies, sizes).
 *
 * Model: a value v < 64 is counted exactly in row 0 at index v. A larger value
 * with most significant bit m (m >= 6) goes to row r = m - 5, sub-bucket
 * (v >> (m - 6)) & 63: each power-of-two range [2^m, 2^(m+1)) is split into 64
 * linear sub-buckets of width 2^(m-6). A bucket's lower bound is at least
 * 64 * width, so reporting its midpoint is within 1/128 (0.78 %) of any value
 * in it. Rows are calloc'ed on the first value that falls into them, so a
 * latency histogram that only ever sees values between 1 µs and 1 ms (in ps)
 * costs about ten rows of 512 bytes.
 *
 * Invariants (hist_check): count == sum of all bucket counts; count == 0 or
 * min <= max and both lie in the first / last non-empty bucket.
 *
 * Percentiles use the nearest-rank definition (rank = ceil(p/100 * count)),
 * answer the bucket midpoint clamped to [min, max], and are exact for values
 * below 64, for p = 0 (min) and p = 100 (max).
 *
 * Not a model of anything in Linux: this is the simulator's own measurement.
 */
#include "sim/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Row and sub-bucket of a value; row 0 covers 0..63 exactly. */
static inline void hist_index(uint64_t v, unsigned *row, unsigned *sub)
{
	if (v < HIST_SUB) {
		*row = 0;
		*sub = (unsigned)v;
	} else {
		unsigned m = 63u - (unsigned)__builtin_clzll(v);

		*row = m - (HIST_SUB_BITS - 1);
		*sub = (unsigned)(v >> (m - HIST_SUB_BITS)) & (HIST_SUB - 1);
	}
}

/* Inclusive bounds of bucket (@row, @sub). */
static inline void hist_bounds(unsigned row, unsigned sub, uint64_t *lo, uint64_t *hi)
{
	if (row == 0) {
		*lo = *hi = sub;
	} else {
		unsigned shift = row - 1;                /* width = 2^(row-1) */
		uint64_t base = (uint64_t)1 << (row + HIST_SUB_BITS - 1);

		*lo = base + ((uint64_t)sub << shift);
		*hi = *lo + (((uint64_t)1 << shift) - 1);
	}
}

/**
 * hist_init() - prepare a stand-alone histogram (empty, no rows allocated).
 * @h: the histogram; name/unit/desc are left NULL.
 */
void hist_init(struct hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

/** hist_free() - release the rows of @h; it is empty (and reusable) afterwards. */
void hist_free(struct hist *h)
{
	for (unsigned r = 0; r < HIST_ROWS; r++) {
		free(h->row[r]);
		h->row[r] = NULL;
	}
	h->count = 0;
	h->sum_lo = 0;
	h->sum = 0;
	h->min = UINT64_MAX;
	h->max = 0;
}

/** hist_reset() - forget every value; rows stay allocated for reuse. */
void hist_reset(struct hist *h)
{
	for (unsigned r = 0; r < HIST_ROWS; r++)
		if (h->row[r])
			memset(h->row[r], 0, HIST_SUB * sizeof(uint64_t));
	h->count = 0;
	h->sum_lo = 0;
	h->sum = 0;
	h->min = UINT64_MAX;
	h->max = 0;
}

/* Slow path: allocate a row on first use. Returns NULL on host OOM (value dropped). */
static __attribute__((noinline, cold)) uint64_t *hist_alloc_row(struct hist *h, unsigned row)
{
	h->row[row] = calloc(HIST_SUB, sizeof(uint64_t));
	return h->row[row];
}

/**
 * hist_add_n() - count value @v @n times.
 * Context: hot path; allocates only the first time a power of two is seen.
 */
void hist_add_n(struct hist *h, uint64_t v, uint64_t n)
{
	unsigned row, sub;
	uint64_t *r;

	if (!n)
		return;
	hist_index(v, &row, &sub);
	r = h->row[row];
	if (__builtin_expect(!r, 0)) {
		r = hist_alloc_row(h, row);
		if (!r)
			return;
	}
	r[sub] += n;
	if (h->count == 0 || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->count += n;
	h->sum_lo += v * n;
	h->sum += (double)v * (double)n;
}

/** hist_add() - count one value @v (hot path). */
void hist_add(struct hist *h, uint64_t v)
{
	hist_add_n(h, v, 1);
}

/** hist_mean() - arithmetic mean of the values, 0 if empty. */
double hist_mean(const struct hist *h)
{
	return h->count ? h->sum / (double)h->count : 0.0;
}

/**
 * hist_percentile() - nearest-rank percentile @p (0..100) of @h.
 * Return: a value within 0.8 % of the exact percentile (exact below 64,
 * exact min for p <= 0 and max for p >= 100); 0 if @h is empty.
 */
uint64_t hist_percentile(const struct hist *h, double p)
{
	uint64_t rank, seen = 0;

	if (!h->count)
		return 0;
	if (!(p > 0))                                   /* also NaN */
		return h->min;
	if (p >= 100)
		return h->max;
	rank = (uint64_t)ceil(p / 100.0 * (double)h->count);
	if (rank < 1)
		rank = 1;
	if (rank > h->count)
		rank = h->count;
	for (unsigned r = 0; r < HIST_ROWS; r++) {
		const uint64_t *row = h->row[r];

		if (!row)
			continue;
		for (unsigned s = 0; s < HIST_SUB; s++) {
			uint64_t lo, hi, mid;

			seen += row[s];
			if (seen < rank)
				continue;
			hist_bounds(r, s, &lo, &hi);
			mid = lo + (hi - lo) / 2 + ((hi - lo) & 1);
			if (mid < h->min)
				mid = h->min;
			if (mid > h->max)
				mid = h->max;
			return mid;
		}
	}
	return h->max;                                  /* unreachable when consistent */
}

/**
 * hist_merge() - add every value counted in @src to @dst.
 * Rows are allocated in @dst as needed; @src is unchanged.
 */
void hist_merge(struct hist *dst, const struct hist *src)
{
	if (!src->count)
		return;
	for (unsigned r = 0; r < HIST_ROWS; r++) {
		if (!src->row[r])
			continue;
		if (!dst->row[r] && !hist_alloc_row(dst, r))
			continue;
		for (unsigned s = 0; s < HIST_SUB; s++)
			dst->row[r][s] += src->row[r][s];
	}
	if (dst->count == 0 || src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	dst->count += src->count;
	dst->sum_lo += src->sum_lo;
	dst->sum += src->sum;
}

/**
 * hist_next_bucket() - iterate the non-empty buckets of @h in increasing order.
 * @it: start with {0, 0}.
 * @lo, @hi: inclusive bounds of the bucket; @count: values in it.
 * Return: false when there are no more buckets.
 */
bool hist_next_bucket(const struct hist *h, struct hist_iter *it,
		      uint64_t *lo, uint64_t *hi, uint64_t *count)
{
	while (it->row >= 0 && it->row < HIST_ROWS) {
		const uint64_t *row = h->row[it->row];

		if (row) {
			while (it->sub < HIST_SUB) {
				unsigned s = it->sub++;

				if (row[s]) {
					hist_bounds((unsigned)it->row, s, lo, hi);
					*count = row[s];
					return true;
				}
			}
		}
		it->row++;
		it->sub = 0;
	}
	return false;
}

/**
 * hist_check() - validate the invariants of @h.
 * Return: 0 if consistent, -1 otherwise.
 */
int hist_check(const struct hist *h)
{
	uint64_t total = 0, first = UINT64_MAX, last = 0;

	for (unsigned r = 0; r < HIST_ROWS; r++) {
		if (!h->row[r])
			continue;
		for (unsigned s = 0; s < HIST_SUB; s++) {
			uint64_t lo, hi;

			if (!h->row[r][s])
				continue;
			total += h->row[r][s];
			hist_bounds(r, s, &lo, &hi);
			if (first == UINT64_MAX)
				first = lo;
			last = hi;
		}
	}
	if (total != h->count)
		return -1;
	if (!h->count)
		return 0;
	if (h->min > h->max || h->min < first || h->max > last)
		return -1;
	return 0;
}
