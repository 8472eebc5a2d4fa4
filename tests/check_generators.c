/* SPDX-License-Identifier: MIT */
/*
 * tests/check_generators.c — distributions, the common task keys, the
 * workload generators against the kernel model, and the shipped scenarios.
 *
 * Statistical tolerances: each sampling test states its sample size and the
 * standard error it implies; bounds are at least 4 standard errors wide, so a
 * correct implementation fails with probability < 1e-4 — and since the RNG
 * streams are seeded, a given build either always passes or always fails.
 *
 * Generator tests boot a tiny machine (1 node, 2 CPUs, 64 MiB) in-process;
 * the shipped scenarios run through the built binary (`mmsim run`, 20 ms).
 */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "machine/machine.h"
#include "mm/memory.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "sim/config.h"
#include "sim/engine.h"
#include "sim/log.h"
#include "sim/rng.h"
#include "sim/stats.h"
#include "tests/suites.h"
#include "tests/testutil.h"
#include "workloads/workload.h"

/* --- distributions ------------------------------------------------------------ */

/* Parse "x: <text>" and return the distribution of key x (test fails on error). */
static struct cfg *parse_dist(const char *text, enum cfg_unit unit, double min, double max, struct dist *d,
			      int *rc)
{
	static struct cfg *last;
	char buf[1024];

	cfg_free(last);                  /* one document alive at a time (LSan-clean) */
	dist_free(d);
	snprintf(buf, sizeof(buf), "x: %s\n", text);
	last = cfg_load_string("d.yaml", buf);
	ck_assert_ptr_nonnull(last);
	*rc = dist_parse_node(cfg_get(cfg_root(last), "x"), unit, min, max, d);
	if (*rc == 0)
		ck_assert_int_eq(dist_check(d), 0);
	return last;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void sample_stats(const struct dist *d, int n, double *mean, double *median)
{
	double *v = malloc(sizeof(double) * (size_t)n), s = 0;
	struct rng r;

	rng_seed(&r, 42, 7);
	for (int i = 0; i < n; i++) {
		v[i] = dist_sample(d, &r);
		ck_assert(v[i] >= d->lo && v[i] <= d->hi);
		s += v[i];
	}
	*mean = s / n;
	if (median) {
		qsort(v, (size_t)n, sizeof(double), cmp_double);
		*median = v[n / 2];
	}
	free(v);
}

START_TEST(test_dist_constant_and_fixed)
{
	struct dist d = { 0 };
	int rc;
	struct rng r;

	parse_dist("4KiB", CFG_UNIT_BYTES, 0, 1e12, &d, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(d.kind, DIST_FIXED);
	rng_seed(&r, 1, 1);
	ck_assert_uint_eq(dist_sample_u64(&d, &r), 4096);
	parse_dist("{dist: fixed, value: 2ms}", CFG_UNIT_TIME, 0, 1e18, &d, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(dist_sample_u64(&d, &r), 2 * SIM_MS);
	ck_assert(dist_mean(&d) == 2e9);
}
END_TEST

/* 200k samples of exponential(mean 1000): standard error 2.2 (0.22 %); bound 1 %. */
START_TEST(test_dist_exponential)
{
	struct dist d = { 0 };
	double mean, med;
	int rc;

	parse_dist("{dist: exponential, mean: 1000}", CFG_UNIT_NONE, 0, 1e12, &d, &rc);
	ck_assert_int_eq(rc, 0);
	sample_stats(&d, 200000, &mean, &med);
	ck_assert_msg(fabs(mean - 1000) < 10, "mean %f", mean);
	/* median = mean × ln 2; its standard error is ~ 1/(2 f(m) sqrt(n)) = 2.2. */
	ck_assert_msg(fabs(med - 1000 * M_LN2) < 10, "median %f", med);
}
END_TEST

/*
 * lognormal(mu 6, sigma 1): median e^6 = 403.4, mean e^6.5 = 665.1; sd of the
 * value 872 → standard error of the mean over 200k samples 1.95 (0.3 %); bound 2 %.
 * The `median:` spelling gives the same distribution.
 */
START_TEST(test_dist_lognormal)
{
	struct dist d = { 0 }, d2 = { 0 };
	double mean, med;
	int rc;

	parse_dist("{dist: lognormal, mu: 6, sigma: 1}", CFG_UNIT_BYTES, 0, 1e12, &d, &rc);
	ck_assert_int_eq(rc, 0);
	sample_stats(&d, 200000, &mean, &med);
	ck_assert_msg(fabs(mean - exp(6.5)) < 0.02 * exp(6.5), "mean %f", mean);
	ck_assert_msg(fabs(med - exp(6)) < 0.02 * exp(6), "median %f", med);
	parse_dist("{dist: lognormal, median: 403.428793, sigma: 1}", CFG_UNIT_BYTES, 0, 1e12, &d2, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert(fabs(d2.a - 6) < 1e-6);
	ck_assert(fabs(dist_mean(&d) - exp(6.5)) < 1e-6);
}
END_TEST

/* pareto(xm 64, alpha 3): mean 96, sd 55.4 → standard error 0.12 over 200k; bound 1 %. */
START_TEST(test_dist_pareto_and_clamp)
{
	struct dist d = { 0 };
	double mean;
	int rc;

	parse_dist("{dist: pareto, xm: 64, alpha: 3}", CFG_UNIT_BYTES, 0, 1e12, &d, &rc);
	ck_assert_int_eq(rc, 0);
	sample_stats(&d, 200000, &mean, NULL);
	ck_assert_msg(fabs(mean - 96) < 0.96, "mean %f", mean);
	/* clamping: every sample inside [min, max], and the max is reached */
	parse_dist("{dist: pareto, xm: 64, alpha: 0.5, max: 1KiB}", CFG_UNIT_BYTES, 0, 1e12, &d, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert(d.hi == 1024);
	sample_stats(&d, 10000, &mean, NULL);
	ck_assert(mean > 64 && mean < 1024);
}
END_TEST

/* uniform(100, 300): mean 200, sd 57.7 → standard error 0.13 over 200k; bound 1. */
START_TEST(test_dist_uniform)
{
	struct dist d = { 0 };
	double mean;
	int rc;

	parse_dist("{dist: uniform, min: 100, max: 300}", CFG_UNIT_NONE, 0, 1e9, &d, &rc);
	ck_assert_int_eq(rc, 0);
	sample_stats(&d, 200000, &mean, NULL);
	ck_assert_msg(fabs(mean - 200) < 1, "mean %f", mean);
}
END_TEST

/*
 * empirical [[64, 3], [1500, 1]]: P(64) = 0.75; over 100k samples the count's
 * standard error is 137 (0.14 %); bound 1 % of n.
 */
START_TEST(test_dist_empirical_inline_and_file)
{
	struct dist d = { 0 };
	struct rng r;
	int rc, n64 = 0;
	char text[512];
	const char *path;

	parse_dist("{dist: empirical, values: [[64, 3], [1500, 1]]}", CFG_UNIT_BYTES, 0, 1e12, &d, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(d.n, 2);
	rng_seed(&r, 3, 3);
	for (int i = 0; i < 100000; i++) {
		uint64_t v = dist_sample_u64(&d, &r);

		ck_assert(v == 64 || v == 1500);
		n64 += v == 64;
	}
	ck_assert_msg(abs(n64 - 75000) < 1000, "n64 %d", n64);
	d.cum[0] = 1.5;                                   /* the checker sees a broken table */
	ck_assert_int_eq(dist_check(&d), -1);
	d.cum[0] = 0.75;
	ck_assert_int_eq(dist_check(&d), 0);
	ck_assert(fabs(dist_mean(&d) - (0.75 * 64 + 0.25 * 1500)) < 1e-9);

	path = test_write_file("sizes.txt", "# packet sizes\n64 3\n\n1500 1   # MTU\n");
	snprintf(text, sizeof(text), "{dist: empirical, file: %s}", path);
	parse_dist(text, CFG_UNIT_BYTES, 0, 1e12, &d, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(d.n, 2);
	ck_assert(fabs(dist_mean(&d) - (0.75 * 64 + 0.25 * 1500)) < 1e-9);
	/* a file of plain values (a captured trace of sizes), with units */
	path = test_write_file("plain.txt", "4KiB\n8KiB\n4KiB\n4KiB\n");
	snprintf(text, sizeof(text), "{dist: empirical, file: %s}", path);
	parse_dist(text, CFG_UNIT_BYTES, 0, 1e12, &d, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert(fabs(dist_mean(&d) - 5120) < 1e-9);
	dist_free(&d);
}
END_TEST

static void expect_error(const char *text, enum cfg_unit unit, const char *want)
{
	struct dist d = { 0 };
	int rc;
	struct cfg *c = parse_dist(text, unit, 0, 1e12, &d, &rc);

	ck_assert_int_eq(rc, -1);
	ck_assert_msg(strstr(cfg_error(c), want), "error '%s' lacks '%s'", cfg_error(c), want);
}

START_TEST(test_dist_errors_have_positions)
{
	const char *path;
	char text[512];

	expect_error("{dist: lognormal, mu: 6}", CFG_UNIT_NONE,
		     "d.yaml:1:4: x.sigma: a lognormal distribution needs `sigma:`");
	expect_error("{dist: gauss, mean: 3}", CFG_UNIT_NONE, "d.yaml:1:11: x.dist: expected one of: fixed, uniform");
	expect_error("{mean: 3}", CFG_UNIT_NONE, "d.yaml:1:4: x.dist: a distribution mapping needs `dist:`");
	expect_error("{dist: exponential, mean: 3 parsecs}", CFG_UNIT_TIME, "d.yaml:1:30: x.mean: expected a time");
	expect_error("{dist: empirical, values: [[64, 1], [abc, 2]]}", CFG_UNIT_BYTES,
		     "d.yaml:1:41: x.values.1.0: expected a size");
	expect_error("{dist: empirical, values: [[64, 1, 3]]}", CFG_UNIT_BYTES,
		     "d.yaml:1:31: x.values.0: expected a [value, weight] pair");
	expect_error("{dist: empirical, values: [[64, 0]]}", CFG_UNIT_BYTES, "weights add up to 0");
	expect_error("{dist: uniform, min: 5}", CFG_UNIT_NONE, "needs `min:` and `max:`");
	expect_error("{dist: uniform, min: 5, max: 1}", CFG_UNIT_NONE, "expected max >= min");
	expect_error("[1, 2]", CFG_UNIT_BYTES, "d.yaml:1:4: x: expected a size like");
	path = test_write_file("bad.txt", "64\n128 x\n");
	snprintf(text, sizeof(text), "{dist: empirical, file: %s}", path);
	expect_error(text, CFG_UNIT_BYTES, "bad.txt:2: expected a weight >= 0, got 'x'");
	path = test_write_file("bad2.txt", "64\n\n12 parsecs\n");
	snprintf(text, sizeof(text), "{dist: empirical, file: %s}", path);
	expect_error(text, CFG_UNIT_BYTES, "bad2.txt:3:");
	expect_error("{dist: empirical, file: /nonexistent/sizes.txt}", CFG_UNIT_BYTES, "cannot read empirical file");
}
END_TEST

/* --- lifetime heap -------------------------------------------------------------- */

START_TEST(test_heap_orders_by_expiry)
{
	struct wl_heap h;
	struct wl_obj o;
	struct rng r;
	sim_time_t last = 0;

	ck_assert_int_eq(wl_heap_init(&h, 1000), 0);
	rng_seed(&r, 9, 9);
	for (int i = 0; i < 1000; i++)
		ck_assert(wl_heap_push(&h, rng_below(&r, 1000000), NULL, (uint64_t)i));
	ck_assert(!wl_heap_push(&h, 5, NULL, 0));                 /* full */
	ck_assert_int_eq(wl_heap_check(&h), 0);
	ck_assert(!wl_heap_pop_due(&h, 0, &o) || o.expire == 0);
	for (int i = 0; wl_heap_pop(&h, &o); i++) {
		ck_assert(o.expire >= last);
		last = o.expire;
		ck_assert_int_eq(wl_heap_check(&h), 0);
	}
	ck_assert_uint_eq(h.n, 0);
	ck_assert_uint_eq(wl_heap_next(&h), SIM_TIME_MAX);
	free(h.a);
}
END_TEST

/* --- generators on a booted tiny machine --------------------------------------- */

static const char *machine_yaml = "preset: tiny\nmemory_per_node: 64MiB\n";
static struct cfg *cur_cfg;              /* freed by teardown */
static bool with_user_memory;            /* boot_and_setup() also runs reclaim_init() */

static void teardown(void)
{
	cfg_free(cur_cfg);
	cur_cfg = NULL;
}

/*
 * Boot a tiny machine (small kernel image) and set @yaml's tasks up; the
 * returned document is freed by teardown().
 */
static struct cfg *boot_and_setup(const char *yaml, sim_time_t duration)
{
	struct sim_params sp = { .quantum = SIM_US, .timing = true };
	struct mm_params p;
	char err[512] = "";
	struct cfg *c = cur_cfg = cfg_load_string("gen.yaml", yaml);

	sim_log_set_level(SIM_LOG_ERROR);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(sim_init(&sp), 0);
	ck_assert_msg(machine_build_yaml(machine_yaml, err, sizeof(err)) == 0, "%s", err);
	mm_params_default(&p);
	p.kernel_image_size = 4 << 20;                   /* leave most of 64 MiB to the test */
	ck_assert_msg(mm_boot(&p, err, sizeof(err)) == 0, "%s", err);
	if (with_user_memory) {
		struct pressure_params pp;

		pressure_params_default(&pp);
		ck_assert_msg(reclaim_init(&pp, err, sizeof(err)) == 0, "%s", err);
	}
	ck_assert_msg(workloads_setup(c, cfg_seq(cfg_root(c), "tasks"), 11, duration) == 0, "setup failed: %s",
		      cfg_error(c));
	ck_assert_int_eq(cfg_check_unused(c), 0);
	return c;
}

static uint64_t counter(const char *name)
{
	uint64_t *c = stat_find_counter(name);

	ck_assert_msg(c != NULL, "no counter %s", name);
	return *c;
}

/* Poisson count over n expected events: within 5 standard errors (5 sqrt(n)). */
static void assert_poisson(uint64_t got, double expect, const char *what)
{
	ck_assert_msg(fabs((double)got - expect) <= 5 * sqrt(expect) + 1, "%s: %llu, expected %.0f ± %.0f",
		      what, (unsigned long long)got, expect, 5 * sqrt(expect));
}

/*
 * netrx without bursts at 100k/s for 50 ms: 5000 packets (Poisson: sd 71).
 * Mean packet size of the default mix 0.45×64 + 0.1×576 + 0.45×1500 = 761.4 B,
 * sd ≈ 700 → standard error over 5000 packets ≈ 10 B (1.3 %); bound 6 %.
 * Every allocation on a 64 MiB box succeeds, and the latency histogram saw
 * every delivered packet.
 */
START_TEST(test_netrx_rate_and_sizes)
{
	uint64_t pk, bytes;

	boot_and_setup("tasks:\n  - workload: netrx\n    name: rx\n    rate: 100k/s\n"
		       "    burst_factor: 1\n    cpus: [1]\n", 50 * SIM_MS);
	sim_run(50 * SIM_MS);
	pk = counter("workload.rx.packets");
	bytes = counter("workload.rx.bytes");
	assert_poisson(pk, 5000, "packets");
	ck_assert_uint_eq(counter("workload.rx.rx_dropped"), 0);
	ck_assert_msg(fabs((double)bytes / (double)pk - 761.4) < 0.06 * 761.4, "mean size %f",
		      (double)bytes / (double)pk);
	ck_assert_uint_eq(stat_find_hist("workload.rx.alloc_latency")->count, pk);
	ck_assert_uint_gt(counter("workload.rx.frag_refills"), 0);          /* 576/1500 use fragments */
}
END_TEST

/*
 * Bursts: on/off with mean on 200 us at ×10 and mean off 2 ms give a mean rate
 * of rate × (2 + 10 × 0.2) / 2.2 = 1.82 × rate. Over 200 ms (≈ 90 cycles) the
 * count's relative sd is about 10 % (dominated by the number of bursts); bound 35 %.
 */
START_TEST(test_netrx_bursts_raise_rate)
{
	double expect = 20e3 * 0.2 * (2.0 + 10 * 0.2) / 2.2;
	uint64_t pk;

	boot_and_setup("tasks:\n  - workload: netrx\n    name: rx\n    rate: 20k/s\n"
		       "    size: 64\n    lifetime: 10us\n", 200 * SIM_MS);
	sim_run(200 * SIM_MS);
	pk = counter("workload.rx.packets");
	ck_assert_msg(fabs((double)pk - expect) < 0.35 * expect, "packets %llu, expected %.0f",
		      (unsigned long long)pk, expect);
	ck_assert_uint_eq(counter("workload.rx.bytes"), pk * 64);
}
END_TEST

/*
 * slabchurn: 100k/s for 50 ms = 5000 events; reclaimable share 20k/(80k+20k) = 20 %
 * (half of those dentries come with an inode); of the rest 30 % kmalloc. Each count
 * is binomial-thinned Poisson: bound 5 sd.
 */
START_TEST(test_slabchurn_mix)
{
	boot_and_setup("tasks:\n  - workload: slabchurn\n    name: sc\n    rate: 80k/s\n"
		       "    reclaimable_rate: 20k/s\n    kmalloc: 30%\n", 50 * SIM_MS);
	sim_run(50 * SIM_MS);
	/* dentries D ~ Poisson(1000), half with an inode: D + I has mean 1500, sd 50; bound 5 sd */
	ck_assert_msg(fabs((double)counter("workload.sc.reclaimable_allocs") - 1500) < 250, "reclaimable %llu",
		      (unsigned long long)counter("workload.sc.reclaimable_allocs"));
	assert_poisson(counter("workload.sc.kmallocs"), 1200, "kmalloc");
	assert_poisson(counter("workload.sc.cache_allocs"), 2800, "cache");
	ck_assert_uint_eq(counter("workload.sc.cache_alloc_fail") + counter("workload.sc.kmalloc_fail"), 0);
	ck_assert_uint_gt(counter("workload.slabchurn.ctor_calls"), 0);
}
END_TEST

/*
 * The reclaimable caches' shrinker, called as vmscan would: it counts the LRU,
 * frees the oldest objects on a scan with __GFP_FS and refuses without it.
 */
START_TEST(test_slabchurn_shrinker)
{
	struct kmem_cache *dentry;
	struct slab_shrinker *sh;
	unsigned long n, inuse;

	boot_and_setup("tasks:\n  - workload: slabchurn\n    name: fs\n    rate: 10k/s\n"
		       "    reclaimable_rate: 50k/s\n", 20 * SIM_MS);
	sim_run(20 * SIM_MS);
	dentry = kmem_cache_find("fs_dentry");
	ck_assert_ptr_nonnull(dentry);
	for (sh = slab_shrinkers(); sh && sh->cache != dentry; sh = sh->next)
		;
	ck_assert_ptr_nonnull(sh);
	n = sh->count_objects(sh, 0);
	ck_assert_uint_eq(n, counter("workload.fs.reclaimable_allocs"));
	ck_assert_uint_gt(n, 500);
	ck_assert_uint_eq(sh->scan_objects(sh, 0, 100, GFP_NOFS), SHRINK_STOP);
	inuse = kmem_cache_objects_inuse(dentry);
	ck_assert_uint_eq(sh->scan_objects(sh, 0, 100, GFP_KERNEL), 100);
	ck_assert_uint_eq(sh->count_objects(sh, 0), n - 100);
	ck_assert_uint_eq(counter("workload.fs.shrinker_freed"), 100);
	ck_assert_uint_lt(kmem_cache_objects_inuse(dentry), inuse);     /* the oldest dentries went */
	ck_assert_int_eq(slab_check(), 0);
}
END_TEST

/*
 * fragmenter: bursts every 2 ms from 10 ms, 4 attempts of order 9 and of order 3
 * per burst; over 30 ms that is bursts at 10, 12, ..., 28 ms = 10 bursts.
 */
START_TEST(test_fragmenter_counts_attempts)
{
	uint64_t a9, s9, a3;

	boot_and_setup("tasks:\n  - workload: fragmenter\n    name: fr\n    rate: 2M/s\n"
		       "    fill: 80%\n    orders: [3, 9]\n    burst: 4\n", 30 * SIM_MS);
	sim_run(30 * SIM_MS);
	a9 = counter("workload.fr.order9.attempts");
	s9 = counter("workload.fr.order9.successes");
	a3 = counter("workload.fr.order3.attempts");
	ck_assert_uint_eq(a9, 40);
	ck_assert_uint_eq(a3, 40);
	ck_assert_uint_le(s9, a9);
	ck_assert_uint_gt(counter("workload.fr.allocs"), 10000);
	ck_assert_uint_eq(stat_find_hist("workload.fr.order9.latency")->count, a9);
}
END_TEST

/* dmadriver on eth0 (32-bit): 20k/s for 50 ms = 1000 frames; below 4 GiB no DMA fault. */
START_TEST(test_dmadriver_frames)
{
	uint64_t f;

	boot_and_setup("tasks:\n  - workload: dmadriver\n    name: dd\n    rate: 20k/s\n"
		       "    ring: 64\n", 50 * SIM_MS);
	sim_run(50 * SIM_MS);
	f = counter("workload.dd.frames") + counter("workload.dd.rx_missed");
	assert_poisson(f, 1000, "frames");
	ck_assert_uint_eq(counter("workload.dd.dma_faults"), 0);
	ck_assert_uint_eq(counter("workload.dd.probe_fail"), 0);
}
END_TEST

/* anon, api pages: 8 MiB at 1M faults/s is complete after 2048 faults, 4 PTE pages. */
START_TEST(test_anon_working_set)
{
	boot_and_setup("tasks:\n  - workload: anon\n    name: hog\n    api: pages\n    rate: 1M/s\n"
		       "    working_set: 8MiB\n    oom_score_adj: 500\n    release: never\n", 10 * SIM_MS);
	sim_run(10 * SIM_MS);
	ck_assert_uint_eq(counter("workload.hog.faults"), 2048);
	ck_assert_uint_eq(counter("workload.hog.pgtable_pages"), 4);
	ck_assert_uint_eq(counter("workload.hog.fault_fail"), 0);
	ck_assert_uint_gt(counter("workload.hog.touches"), 0);
}
END_TEST

/*
 * anon on the model's user memory (api: mm, after reclaim_init): 2048 faults
 * through task_touch_anon, user page tables accounted (at least one PTE page
 * per 512 pages), one task in the task list until it exits at `stop`, when
 * exit_mmap frees its pages.
 */
START_TEST(test_anon_user_memory)
{
	with_user_memory = true;
	boot_and_setup("tasks:\n  - workload: anon\n    name: app\n    api: mm\n    rate: 1M/s\n"
		       "    working_set: 8MiB\n    oom_score_adj: 300\n    stop: 6ms\n", 10 * SIM_MS);
	ck_assert_int_eq(nr_user_tasks(), 1);
	ck_assert_int_eq(task_first()->oom_score_adj, 300);
	sim_run(10 * SIM_MS);
	ck_assert_uint_eq(counter("workload.app.faults"), 2048);
	ck_assert_uint_eq(counter("workload.app.fault_fail"), 0);
	ck_assert_uint_ge(counter("workload.app.pgtable_pages"), 4);
	ck_assert_uint_gt(counter("workload.app.touches"), 0);
	ck_assert_uint_eq(counter("workload.app.freed"), 2048);
	ck_assert_int_eq(nr_user_tasks(), 0);
	ck_assert_int_eq(reclaim_check(), 0);
	ck_assert_int_eq(mm_check(), 0);
}
END_TEST

/* Without the model's user memory, `api: mm` is refused with a message; the default falls back to pages. */
START_TEST(test_anon_api_mm_needs_user_memory)
{
	struct sim_params sp = { .quantum = SIM_US, .timing = true };
	struct mm_params p;
	char err[256];
	struct cfg *c;

	ck_assert_int_eq(sim_init(&sp), 0);
	ck_assert_msg(machine_build_yaml(machine_yaml, err, sizeof(err)) == 0, "%s", err);
	mm_params_default(&p);
	p.kernel_image_size = 4 << 20;
	ck_assert_msg(mm_boot(&p, err, sizeof(err)) == 0, "%s", err);
	c = cfg_load_string("a.yaml", "tasks:\n  - workload: anon\n    api: mm\n");
	ck_assert_int_eq(workloads_setup(c, cfg_seq(cfg_root(c), "tasks"), 1, SIM_MS), -1);
	ck_assert_msg(strstr(cfg_error(c), "a.yaml:3:10: tasks.0.api: api: mm needs the kernel model's user memory"),
		      "%s", cfg_error(c));
	cfg_free(c);
	c = cfg_load_string("a.yaml", "tasks:\n  - workload: anon\n");
	ck_assert_int_eq(workloads_setup(c, cfg_seq(cfg_root(c), "tasks"), 1, SIM_MS), 0);
	ck_assert_str_eq(cfg_str(cfg_at(cfg_seq(cfg_root(c), "tasks"), 0), "api", "?"), "pages");
	cfg_free(c);
}
END_TEST

/* vmalloc: 2k/s + 8k/s for 50 ms = 100 + 400 calls. */
START_TEST(test_vmalloc_mix)
{
	boot_and_setup("tasks:\n  - workload: vmalloc\n    name: vm\n    rate: 2k/s\n"
		       "    kv_rate: 8k/s\n    size: 64KiB\n", 50 * SIM_MS);
	sim_run(50 * SIM_MS);
	assert_poisson(counter("workload.vm.vmallocs"), 100, "vmalloc");
	assert_poisson(counter("workload.vm.kvmallocs"), 400, "kvmalloc");
	ck_assert_uint_eq(counter("workload.vm.vmalloc_bytes"), 65536 * counter("workload.vm.vmallocs"));
}
END_TEST

/* percpu: 20k/s for 50 ms = 1000 allocations; lifetime 1 ms so most are freed. */
START_TEST(test_percpu_churn)
{
	uint64_t a;

	boot_and_setup("tasks:\n  - workload: percpu\n    name: pc\n    rate: 20k/s\n"
		       "    lifetime: 1ms\n", 50 * SIM_MS);
	sim_run(50 * SIM_MS);
	a = counter("workload.pc.allocs");
	assert_poisson(a, 1000, "alloc_percpu");
	ck_assert_uint_eq(counter("workload.pc.alloc_fail"), 0);
	ck_assert_uint_ge(counter("workload.pc.frees"), a - 100);
}
END_TEST

/* blockio: 10k/s for 50 ms = 500 I/Os, all completed well before the end (NVMe). */
START_TEST(test_blockio_ios)
{
	uint64_t n;

	boot_and_setup("tasks:\n  - workload: blockio\n    name: bio\n    rate: 10k/s\n"
		       "    size: 16KiB\n", 50 * SIM_MS);
	sim_run(50 * SIM_MS);
	n = counter("workload.bio.ios");
	assert_poisson(n, 500, "ios");
	ck_assert_uint_ge(counter("workload.bio.completed"), n - 5);
	ck_assert_uint_eq(counter("workload.bio.bytes"), 16384 * n);
}
END_TEST

/* pagecache: 10k ops/s for 50 ms = 500 operations, 70 % reads. */
START_TEST(test_pagecache_ops)
{
	uint64_t r, w;

	boot_and_setup("tasks:\n  - workload: pagecache\n    name: pc\n    api: pages\n    rate: 10k/s\n"
		       "    files: 8\n    file_size: 256KiB\n    io_size: 16KiB\n", 50 * SIM_MS);
	sim_run(50 * SIM_MS);
	r = counter("workload.pc.reads");
	w = counter("workload.pc.writes");
	assert_poisson(r + w, 500, "operations");
	assert_poisson(r, 350, "reads");
	ck_assert_uint_eq(counter("workload.pc.enomem"), 0);
	/* 2 MiB of files and 16 KiB reads: later reads hit pages cached earlier */
	ck_assert_uint_gt(counter("workload.pc.cache_hits"), 0);
}
END_TEST

/*
 * The DMA mask decides: on a 64 MiB box (all memory in ZONE_DMA + ZONE_DMA32)
 * the 24-bit ISA controller's driver with `zone: none` gets buffers above
 * 16 MiB and every transfer faults; with the zone modifier GFP_DMA chosen
 * from the mask (`zone: auto`) none does.
 */
START_TEST(test_dmadriver_misconfigured_faults)
{
	boot_and_setup("tasks:\n  - workload: dmadriver\n    name: bad\n    device: isa-dma\n"
		       "    zone: none\n    ring: 8\n    buf_size: 4KiB\n    rate: 10k/s\n"
		       "  - workload: dmadriver\n    name: good\n    device: isa-dma\n    ring: 8\n"
		       "    buf_size: 4KiB\n    rate: 10k/s\n", 10 * SIM_MS);
	sim_run(10 * SIM_MS);
	ck_assert_uint_gt(counter("workload.bad.dma_faults"), 50);
	ck_assert_uint_eq(counter("workload.bad.frames"), 0);
	ck_assert_uint_eq(counter("workload.good.dma_faults"), 0);
	ck_assert_uint_gt(counter("workload.good.frames"), 50);
}
END_TEST

/*
 * Interrupt and task contexts allocating and freeing on the same CPUs (skbs
 * in softirq, bio completions in hardirq, a task faulting pages) leave the
 * allocator's lists consistent: generator processes only yield where they sleep.
 */
START_TEST(test_mixed_contexts_keep_mm_consistent)
{
	boot_and_setup("tasks:\n  - workload: anon\n    name: app\n    cpus: [0]\n"
		       "    working_set: 40MiB\n    rate: 2M/s\n"
		       "  - workload: netrx\n    name: rx\n    queues: 2\n    cpus: [0, 1]\n"
		       "    rate: 400k/s\n    lifetime: 1ms\n"
		       "  - workload: blockio\n    name: io\n    cpus: [0]\n    rate: 20k/s\n"
		       "  - workload: dmadriver\n    name: nic\n    rate: 50k/s\n", 40 * SIM_MS);
	sim_run(40 * SIM_MS);
	ck_assert_uint_gt(counter("workload.rx.packets"), 10000);
	ck_assert_uint_gt(counter("workload.io.completed"), 400);
	ck_assert_int_eq(mm_check(), 0);
	ck_assert_int_eq(slab_check(), 0);
}
END_TEST

/* Run @yaml with @seed in a child process; return its counters @names via a pipe. */
static void run_child(const char *yaml, uint64_t seed, const char *const *names, int n, uint64_t *out)
{
	int fd[2];
	pid_t pid;

	ck_assert_int_eq(pipe(fd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct sim_params sp = { .quantum = SIM_US, .timing = true };
		struct mm_params p;
		char err[256];
		struct cfg *c = cfg_load_string("det.yaml", yaml);

		sim_log_set_level(SIM_LOG_ERROR);
		if (sim_init(&sp) < 0 || machine_build_yaml(machine_yaml, err, sizeof(err)) < 0)
			_exit(2);
		mm_params_default(&p);
		p.kernel_image_size = 4 << 20;
		if (mm_boot(&p, err, sizeof(err)) < 0)
			_exit(3);
		if (workloads_setup(c, cfg_seq(cfg_root(c), "tasks"), seed, 20 * SIM_MS) < 0)
			_exit(5);
		sim_run(20 * SIM_MS);
		for (int i = 0; i < n; i++) {
			uint64_t *v = stat_find_counter(names[i]);
			uint64_t x = v ? *v : UINT64_MAX;

			if (write(fd[1], &x, sizeof(x)) != sizeof(x))
				_exit(6);
		}
		_exit(0);
	}
	close(fd[1]);
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(read(fd[0], &out[i], sizeof(out[i])), sizeof(out[i]));
	close(fd[0]);
	{
		int st;

		ck_assert_int_eq(waitpid(pid, &st, 0), pid);
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d", st);
	}
}

/* Same seed → the same counts; another seed → different ones. */
START_TEST(test_generators_deterministic)
{
	static const char *yaml = "tasks:\n  - workload: netrx\n    name: rx\n    rate: 200k/s\n"
				  "  - workload: slabchurn\n    name: sc\n"
				  "  - workload: fragmenter\n    name: fr\n    burst_start: 5ms\n    burst: 4\n";
	static const char *const names[] = {
		"workload.rx.packets", "workload.rx.bytes", "workload.sc.kmallocs", "workload.sc.cache_allocs",
		"workload.fr.allocs", "workload.fr.order9.successes",
	};
	enum { N = sizeof(names) / sizeof(names[0]) };
	uint64_t a[N], b[N], d[N];

	run_child(yaml, 7, names, N, a);
	run_child(yaml, 7, names, N, b);
	run_child(yaml, 8, names, N, d);
	for (int i = 0; i < N; i++) {
		ck_assert_msg(a[i] != UINT64_MAX, "%s missing", names[i]);
		ck_assert_msg(a[i] == b[i], "%s: %llu vs %llu", names[i], (unsigned long long)a[i],
			      (unsigned long long)b[i]);
	}
	ck_assert_msg(a[0] != d[0] || a[1] != d[1], "another seed gave the same packets and bytes");
}
END_TEST

/* pagecache on the model's page cache (api: mm): the same operation mix, hits after the first reads. */
START_TEST(test_pagecache_user_memory)
{
	uint64_t r, w;

	with_user_memory = true;
	boot_and_setup("tasks:\n  - workload: pagecache\n    name: pc\n    api: mm\n    rate: 10k/s\n"
		       "    files: 8\n    file_size: 256KiB\n    io_size: 16KiB\n    fsync: 20%\n", 50 * SIM_MS);
	sim_run(50 * SIM_MS);
	r = counter("workload.pc.reads");
	w = counter("workload.pc.writes");
	assert_poisson(r + w, 500, "operations");
	assert_poisson(r, 350, "reads");
	ck_assert_uint_eq(counter("workload.pc.enomem"), 0);
	ck_assert_uint_gt(counter("workload.pc.cache_hits"), 0);
	ck_assert_uint_gt(counter("workload.pc.cache_misses"), 0);
	ck_assert_uint_gt(counter("workload.pc.fsyncs"), 0);
	ck_assert_int_eq(reclaim_check(), 0);
}
END_TEST

/* The common keys: a bad CPU list, an unknown context, a node that does not exist. */
START_TEST(test_common_keys_errors)
{
	struct sim_params sp = { .quantum = SIM_US, .timing = true };
	char err[256];
	struct cfg *c;

	ck_assert_int_eq(sim_init(&sp), 0);
	ck_assert_msg(machine_build_yaml(machine_yaml, err, sizeof(err)) == 0, "%s", err);
	c = cfg_load_string("k.yaml", "tasks:\n  - workload: ticker\n    cpus: \"0-x\"\n");
	ck_assert_int_eq(workloads_setup(c, cfg_seq(cfg_root(c), "tasks"), 1, SIM_MS), -1);
	ck_assert_ptr_nonnull(strstr(cfg_error(c), "k.yaml:3:11: tasks.0.cpus: expected CPU ids"));
	cfg_free(c);
	c = cfg_load_string("k.yaml", "tasks:\n  - workload: ticker\n    cpus: [0, 5]\n");
	ck_assert_int_eq(workloads_setup(c, cfg_seq(cfg_root(c), "tasks"), 1, SIM_MS), -1);
	ck_assert_msg(strstr(cfg_error(c), "k.yaml:3:15: tasks.0.cpus.1: expected a CPU id in [0, 1], got 5"),
		      "%s", cfg_error(c));
	cfg_free(c);
	c = cfg_load_string("k.yaml", "tasks:\n  - workload: ticker\n    context: nmi\n");
	ck_assert_int_eq(workloads_setup(c, cfg_seq(cfg_root(c), "tasks"), 1, SIM_MS), -1);
	ck_assert_msg(strstr(cfg_error(c), "k.yaml:3:14: tasks.0.context: expected one of"), "%s", cfg_error(c));
	cfg_free(c);
	c = cfg_load_string("k.yaml", "tasks:\n  - workload: ticker\n    node: 3\n");
	ck_assert_int_eq(workloads_setup(c, cfg_seq(cfg_root(c), "tasks"), 1, SIM_MS), -1);
	ck_assert_msg(strstr(cfg_error(c), "k.yaml:3:11: tasks.0.node"), "%s", cfg_error(c));
	cfg_free(c);
	c = cfg_load_string("k.yaml", "tasks:\n  - workload: ticker\n    cpus: \"0-1\"\n    node: 0\n"
			    "    context: softirq\n");
	ck_assert_int_eq(workloads_setup(c, cfg_seq(cfg_root(c), "tasks"), 1, SIM_MS), 0);
	cfg_free(c);
}
END_TEST

/* Without a machine a kernel-model generator says what is missing. */
START_TEST(test_generator_needs_machine)
{
	struct cfg *c = cfg_load_string("m.yaml", "tasks:\n  - workload: netrx\n");

	ck_assert_int_eq(sim_init(NULL), 0);
	ck_assert_int_eq(workloads_setup(c, cfg_seq(cfg_root(c), "tasks"), 1, SIM_MS), -1);
	ck_assert_msg(strstr(cfg_error(c), "m.yaml:2:15: tasks.0.workload: workload 'netrx' drives the kernel model"),
		      "%s", cfg_error(c));
	cfg_free(c);
}
END_TEST

/* Defaults of distribution parameters land in the resolved config. */
START_TEST(test_dist_default_resolved)
{
	struct cfg *c = boot_and_setup("tasks:\n  - workload: netrx\n    name: rx\n", SIM_MS);
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&text, &len);
	cfg_write(c, f);
	fclose(f);
	ck_assert_msg(strstr(text, "    lifetime:\n      dist: exponential\n      mean: 100us\n"), "%s", text);
	ck_assert_msg(strstr(text, "    size:\n      dist: empirical\n"), "%s", text);
	ck_assert_ptr_nonnull(strstr(text, "context: softirq"));
	free(text);
}
END_TEST

/* `mmsim list-workloads` documents every generator and every parameter it reads. */
START_TEST(test_list_is_self_documenting)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	workload_list(f);
	fclose(f);
	ck_assert_int_ge(workload_nr_types(), 10);
	for (int i = 0; i < workload_nr_types(); i++) {
		const struct workload_type *t = workload_type_at(i);
		char head[128];

		snprintf(head, sizeof(head), "\n%s — ", t->name);
		ck_assert_msg(strstr(text, head), "%s missing", t->name);
		ck_assert_ptr_eq(workload_find(t->name), t);
		for (const struct workload_param *p = t->params; p && p->name; p++) {
			char line[128];

			snprintf(line, sizeof(line), "\n  %-18s ", p->name);
			ck_assert_msg(strstr(text, line), "%s.%s missing", t->name, p->name);
			ck_assert_ptr_nonnull(p->desc);
		}
	}
	ck_assert_ptr_nonnull(strstr(text, "size dist"));
	free(text);
}
END_TEST

/* --- shipped scenarios through the binary -------------------------------------- */

static const char *const scenarios[] = {
	"atomic-storm", "dma32-starvation", "highorder-fragmentation", "oom-hog",
	"numa-imbalance", "mempool-blockio", "default", "engine-ticker",
};

/* Each scenario runs a short simulated time and exits 0. */
START_TEST(test_scenario_runs)
{
	const char *name = scenarios[_i];
	char path[256], outdir[512], dur[64];
	char *out = NULL, *err = NULL;
	int rc;

	snprintf(path, sizeof(path), "workloads/scenarios/%s.yaml", name);
	snprintf(outdir, sizeof(outdir), "%s/%s", test_tmpdir(), name);
	snprintf(dur, sizeof(dur), "duration=%s", "20ms");
	rc = test_run_mmsim((const char *[]){ "run", path, "-q", "-o", outdir, "--set", dur, NULL }, &out, &err);
	ck_assert_msg(rc >= 0, "could not run mmsim");
	ck_assert_msg(rc == 0, "%s exited %d\nstdout:\n%s\nstderr:\n%s", name, rc, out, err);
	free(out);
	free(err);
}
END_TEST

/* Every scenario file in the folder is in the list above (so none is left untested). */
START_TEST(test_scenario_list_complete)
{
	DIR *d = opendir("workloads/scenarios");
	struct dirent *e;
	int found = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		bool listed = false;

		if (n < 6 || strcmp(e->d_name + n - 5, ".yaml"))
			continue;
		for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
			if (!strncmp(e->d_name, scenarios[i], n - 5) && strlen(scenarios[i]) == n - 5)
				listed = true;
		ck_assert_msg(listed, "scenario %s is not run by test_scenario_runs", e->d_name);
		{
			char path[600], *text;

			snprintf(path, sizeof(path), "workloads/scenarios/%s", e->d_name);
			text = test_read_file(path, NULL);
			ck_assert_ptr_nonnull(text);
			ck_assert_msg(text[0] == '#' && strstr(text, "# What it shows:") &&
				      strstr(text, "# What to look at:"),
				      "%s lacks its header comment (what it shows, what to look at)", e->d_name);
			free(text);
		}
		found++;
	}
	closedir(d);
	ck_assert_int_ge(found, 6);
}
END_TEST

Suite *generators_suite(void)
{
	Suite *s = suite_create("generators");
	TCase *tc = tcase_create("dist");

	tcase_add_test(tc, test_dist_constant_and_fixed);
	tcase_add_test(tc, test_dist_exponential);
	tcase_add_test(tc, test_dist_lognormal);
	tcase_add_test(tc, test_dist_pareto_and_clamp);
	tcase_add_test(tc, test_dist_uniform);
	tcase_add_test(tc, test_dist_empirical_inline_and_file);
	tcase_add_test(tc, test_dist_errors_have_positions);
	tcase_add_test(tc, test_heap_orders_by_expiry);
	tcase_add_test(tc, test_list_is_self_documenting);
	suite_add_tcase(s, tc);

	tc = tcase_create("generators");
	tcase_set_timeout(tc, 10);
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_netrx_rate_and_sizes);
	tcase_add_test(tc, test_netrx_bursts_raise_rate);
	tcase_add_test(tc, test_slabchurn_mix);
	tcase_add_test(tc, test_slabchurn_shrinker);
	tcase_add_test(tc, test_fragmenter_counts_attempts);
	tcase_add_test(tc, test_dmadriver_frames);
	tcase_add_test(tc, test_anon_working_set);
	tcase_add_test(tc, test_anon_user_memory);
	tcase_add_test(tc, test_anon_api_mm_needs_user_memory);
	tcase_add_test(tc, test_vmalloc_mix);
	tcase_add_test(tc, test_percpu_churn);
	tcase_add_test(tc, test_blockio_ios);
	tcase_add_test(tc, test_pagecache_ops);
	tcase_add_test(tc, test_pagecache_user_memory);
	tcase_add_test(tc, test_dmadriver_misconfigured_faults);
	tcase_add_test(tc, test_mixed_contexts_keep_mm_consistent);
	tcase_add_test(tc, test_generators_deterministic);
	tcase_add_test(tc, test_common_keys_errors);
	tcase_add_test(tc, test_generator_needs_machine);
	tcase_add_test(tc, test_dist_default_resolved);
	suite_add_tcase(s, tc);

	tc = tcase_create("scenarios");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_scenario_runs, 0, (int)(sizeof(scenarios) / sizeof(scenarios[0])));
	tcase_add_test(tc, test_scenario_list_complete);
	suite_add_tcase(s, tc);
	return s;
}
