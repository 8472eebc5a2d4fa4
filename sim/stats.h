/* SPDX-License-Identifier: MIT */
/*
 * sim/stats.h — statistics registry: counters, gauges, latency histograms,
 * and the time series sampled every interval of simulated time.
 *
 * Names are dotted paths ("mm.pgalloc_normal", "node0.Normal.nr_free_pages");
 * kernel counters keep the kernel's names as their last component. Registration
 * happens at set-up; the hot path touches only the returned uint64_t or struct
 * hist directly (no lookup, no formatting, no allocation).
 *
 * Histograms are log-linear: values below 64 are exact; above, each power-of-two
 * range is split into 64 linear sub-buckets, so a bucket's midpoint is within
 * 0.8 % of any value in it. Rows are allocated on first use of their power of two.
 * Values are unsigned 64-bit (latencies in picoseconds by convention).
 */
#ifndef MMSIM_SIM_STATS_H
#define MMSIM_SIM_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define HIST_SUB_BITS 6                          /* 64 sub-buckets per power of two */
#define HIST_SUB      (1u << HIST_SUB_BITS)
#define HIST_ROWS     (64 - HIST_SUB_BITS + 1)

struct hist {
	uint64_t count;
	uint64_t sum_lo;                         /* sum of values, modulo 2^64 ... */
	double sum;                              /* ... and as a double for the mean */
	uint64_t min, max;
	uint64_t *row[HIST_ROWS];                /* row[0]: values 0..63 exactly; row r>0: [2^(r+5), 2^(r+6)) */
	const char *name, *unit, *desc;
};

void hist_init(struct hist *h);                  /* for stand-alone histograms */
void hist_free(struct hist *h);
void hist_reset(struct hist *h);
void hist_add(struct hist *h, uint64_t v);       /* hot path */
void hist_add_n(struct hist *h, uint64_t v, uint64_t n);
uint64_t hist_percentile(const struct hist *h, double p);   /* p in [0,100]; 0 if empty */
double hist_mean(const struct hist *h);
void hist_merge(struct hist *dst, const struct hist *src);
/* Iterate non-empty buckets in increasing order: returns false when done. */
struct hist_iter { int row; unsigned sub; };
bool hist_next_bucket(const struct hist *h, struct hist_iter *it,
		      uint64_t *lo, uint64_t *hi, uint64_t *count);  /* [lo, hi] inclusive */
/** hist_check() - validate invariants (bucket sum == count, min/max in range): 0 or -1. */
int hist_check(const struct hist *h);

/* --- registry ------------------------------------------------------------ */

enum stat_flags {
	STAT_SAMPLED = 1 << 0,                   /* include in every stats.jsonl interval */
	STAT_SUMMARY = 1 << 1,                   /* include in summary.json (default for all) */
};

/** stat_counter() - register (or find) a counter; returns its storage. */
uint64_t *stat_counter(const char *name, const char *unit, const char *desc, unsigned flags);

/** stat_gauge() - register a gauge read through @fn when sampled / summarised. */
typedef double (*stat_gauge_fn)(void *ctx);
int stat_gauge(const char *name, const char *unit, const char *desc, unsigned flags,
	       stat_gauge_fn fn, void *ctx);

/** stat_vector() - a gauge whose value is an array of @n doubles (e.g. free blocks per order). */
typedef void (*stat_vector_fn)(void *ctx, double *out, unsigned n);
int stat_vector(const char *name, unsigned n, const char *unit, const char *desc, unsigned flags,
		stat_vector_fn fn, void *ctx);

/** stat_hist() - register (or find) a histogram; returns its storage. */
struct hist *stat_hist(const char *name, const char *unit, const char *desc);

struct hist *stat_find_hist(const char *name);
uint64_t *stat_find_counter(const char *name);

/** stats_reset() - zero counters and histograms (end of warm-up). Gauges are live. */
void stats_reset(void);

/** stats_sample_to() - write one JSON object per sample to @f (stats.jsonl); NULL stops. */
void stats_sample_to(FILE *f);
/**
 * stats_sample() - write one interval line {"t":seconds,"name":value,...,"vec":[...]}
 * of STAT_SAMPLED counters, gauges and vectors in registration order. "t" is the exact
 * decimal of @now_ps in seconds; non-finite gauges print as null. Deterministic bytes.
 */
void stats_sample(uint64_t now_ps);

/* For summary.json: iterate everything registered (the results writer uses these). */
struct json_t;
/*
 * stats_to_json() - a new jansson object (caller json_decref's it):
 * {"counters":{name:n}, "gauges":{name:x}, "vectors":{name:[..]},
 *  "histograms":{name:{"unit","count","mean","p50","p90","p99","p99.9","max","min"}}}
 */
void *stats_to_json(void);

/** stats_foreach_hist() - call @fn for every registered histogram, in registration order. */
void stats_foreach_hist(void (*fn)(struct hist *h, void *ctx), void *ctx);

/**
 * stats_write_latency_csv() - latency.csv: header "hist,unit,lo,hi,count", then one
 * row per non-empty bucket ([lo, hi] inclusive) of every registered histogram.
 * Return: 0 or -errno.
 */
int stats_write_latency_csv(FILE *f);

/** stats_check() - validate the registry and every histogram: 0 or -1. */
int stats_check(void);

void stats_shutdown(void);                        /* free the registry */

#endif /* MMSIM_SIM_STATS_H */
