/* SPDX-License-Identifier: MIT */
/*
 * workloads/fragmenter.c — external fragmentation and high-order success,
 * in the spirit of mmtests' stress-highalloc.
 *
 * Model: one kernel-side process interleaves order-0 allocations at `rate`:
 * a fraction `unmovable` of them are long-lived unmovable pages (GFP_KERNEL:
 * driver and kernel data that never moves) and the rest short-lived movable
 * pages (GFP_HIGHUSER_MOVABLE: user memory), each freed after a lifetime
 * drawn from its distribution. Allocation pauses while the live pages reach
 * `fill` percent of the memory free when the task started, so memory stays
 * nearly full and churns: freed movable pages leave holes, and the
 * unmovable pages — scattered among them once the allocator must fall back
 * between migratetypes — pin pageblocks. From `burst_start` on, every
 * `burst_interval` the task tries `burst` allocations of each order in
 * `orders` with `highorder_gfp` (hugetlb-like: __GFP_RETRY_MAYFAIL|
 * __GFP_NOWARN), keeps the blocks it gets for `hold`, then frees them.
 *
 * What it reports: per order, sampled counters `orderN.attempts` /
 * `orderN.successes` and the gauge `orderN.success_pct` (success rate of
 * the latest burst, for plots of success over time), the allocation latency
 * of each high-order request, and the order-0 failures of the fill phase.
 *
 * Simplified vs stress-highalloc: the "movable" pages are allocated directly
 * with the user-page mask rather than through page cache / anonymous faults,
 * so they are not on the LRU and compaction cannot migrate them (only their
 * own frees help). The model's user memory (mm/memory.h) has no way yet to
 * free one anonymous page without splitting its mapping (no
 * madvise(MADV_DONTNEED)) nor one page-cache page (no truncate of a range),
 * which the per-page lifetimes here need.
 */
#include <stdlib.h>
#include <string.h>
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "sim/stats.h"
#include "workloads/workload.h"

#define FRAG_MAX_ORDERS 4
#define FRAG_MAX_LIVE (4UL << 20)

struct frag_order {
	int order;
	uint64_t *attempts, *successes;
	struct hist *lat;
	double last_pct;                 /* success rate of the latest burst, % */
};

struct frag {
	const char *name;
	struct rng rng;
	sim_time_t stop, mean_gap, burst_start, burst_interval, hold;
	unsigned burst, unmovable_pct;
	gfp_t gfp_unmov, gfp_mov, gfp_high;
	int node;
	unsigned long target, live;      /* order-0 pages: goal and currently held */
	struct dist mov_life, unmov_life;
	struct wl_heap heap;             /* live pages: ptr = page, aux = order */
	int nr_orders;
	struct frag_order ord[FRAG_MAX_ORDERS];
	uint64_t *allocs, *fails, *frees, *paused;
	struct frag *next;               /* report list */
};

static struct frag *frag_list;

static void frag_free_due(struct frag *f, sim_time_t now)
{
	struct wl_obj o;

	while (wl_heap_pop_due(&f->heap, now, &o)) {
		__free_pages(o.ptr, (unsigned)o.aux);
		if (o.aux == 0)
			f->live--;
		(*f->frees)++;
	}
}

/* One burst: `burst` attempts of every order, blocks held for `hold`. */
static void frag_burst(struct frag *f)
{
	for (int i = 0; i < f->nr_orders; i++) {
		struct frag_order *o = &f->ord[i];
		unsigned ok = 0;

		for (unsigned k = 0; k < f->burst; k++) {
			sim_time_t t0 = sim_now();
			struct page *p = alloc_pages_node(f->node, f->gfp_high, (unsigned)o->order);

			hist_add(o->lat, sim_now() - t0);
			(*o->attempts)++;
			if (!p)
				continue;
			ok++;
			(*o->successes)++;
			if (!wl_heap_push(&f->heap, sim_now() + f->hold, p, (uint64_t)o->order))
				__free_pages(p, (unsigned)o->order);
		}
		o->last_pct = f->burst ? 100.0 * ok / f->burst : 0;
	}
}

static void frag_proc(void *arg)
{
	struct frag *f = arg;
	sim_time_t next_alloc = sim_now(), next_burst = f->burst_start;

	while (wl_running(f->stop)) {
		sim_time_t now = sim_now(), wake;

		frag_free_due(f, now);
		if (now >= next_burst && f->nr_orders) {
			frag_burst(f);
			next_burst = now + f->burst_interval;
		}
		if (now >= next_alloc) {
			if (f->live < f->target) {
				bool unmov = rng_below(&f->rng, 100) < f->unmovable_pct;
				struct page *p = alloc_pages_node(f->node, unmov ? f->gfp_unmov : f->gfp_mov, 0);

				(*f->allocs)++;
				if (p) {
					sim_time_t life = (sim_time_t)dist_sample_u64(unmov ? &f->unmov_life : &f->mov_life,
										    &f->rng);
					if (wl_heap_push(&f->heap, now + life, p, 0))
						f->live++;
					else
						__free_pages(p, 0);
				} else {
					(*f->fails)++;
				}
			} else {
				(*f->paused)++;
			}
			next_alloc = now + (sim_time_t)rng_exponential(&f->rng, (double)f->mean_gap) + 1;
		}
		wake = next_alloc;
		if (f->nr_orders && next_burst < wake)
			wake = next_burst;
		if (wl_heap_next(&f->heap) < wake)
			wake = wl_heap_next(&f->heap);
		wl_sleep_until(wake);
	}
}

static double gauge_pct(void *ctx)
{
	return ((struct frag_order *)ctx)->last_pct;
}

static double gauge_live(void *ctx)
{
	return (double)((struct frag *)ctx)->live;
}

static const struct workload_param frag_params[] = {
	{ "rate", CFG_UNIT_RATE, "1M/s", "order-0 allocations per second (Poisson) while below `fill`" },
	{ "fill", CFG_UNIT_PERCENT, "90%", "hold at most this share of the memory free at start" },
	{ "unmovable", CFG_UNIT_PERCENT, "20%", "share of order-0 allocations that are long-lived unmovable" },
	{ "unmovable_gfp", CFG_UNIT_NONE, "GFP_KERNEL", "GFP mask of the unmovable pages" },
	{ "movable_gfp", CFG_UNIT_NONE, "GFP_HIGHUSER_MOVABLE", "GFP mask of the movable pages" },
	{ "unmovable_lifetime", CFG_UNIT_TIME, "{dist: exponential, mean: 1s}", "lifetime of unmovable pages", WP_DIST },
	{ "movable_lifetime", CFG_UNIT_TIME, "{dist: exponential, mean: 5ms}", "lifetime of movable pages", WP_DIST },
	{ "orders", CFG_UNIT_NONE, "[9]", "orders of the high-order bursts (a list, at most 4)" },
	{ "highorder_gfp", CFG_UNIT_NONE, "GFP_HIGHUSER_MOVABLE|__GFP_RETRY_MAYFAIL|__GFP_NOWARN",
	  "GFP mask of the high-order requests (hugetlb-like)" },
	{ "burst", CFG_UNIT_NONE, "16", "high-order attempts per order per burst" },
	{ "burst_start", CFG_UNIT_TIME, "10ms", "time of the first burst (after the task starts)" },
	{ "burst_interval", CFG_UNIT_TIME, "2ms", "time between bursts" },
	{ "hold", CFG_UNIT_TIME, "500us", "how long a high-order block is kept before it is freed" },
	{ NULL },
};

static int frag_setup(struct cfg_node *task, const struct workload_env *env)
{
	const struct workload_type *T = &workload_fragmenter;
	/* Nothing is allocated for a task the kernel model cannot run. */
	struct frag *f = wl_require_kernel(task, T) < 0 ? NULL : calloc(1, sizeof(*f));
	uint64_t rate = workload_u64(task, T, "rate", 1, 1000000000);
	uint64_t fill = workload_u64(task, T, "fill", 0, 100);
	int orders[FRAG_MAX_ORDERS], nr;
	unsigned long free_pages;
	char what[64];

	if (!f)
		return -1;
	f->unmovable_pct = (unsigned)workload_u64(task, T, "unmovable", 0, 100);
	f->burst = (unsigned)workload_u64(task, T, "burst", 0, 1 << 20);
	f->burst_start = env->start + workload_u64(task, T, "burst_start", 0, UINT64_MAX / 4);
	f->burst_interval = workload_u64(task, T, "burst_interval", 1, UINT64_MAX / 4);
	f->hold = workload_u64(task, T, "hold", 0, UINT64_MAX / 4);
	if (wl_gfp(task, T, "unmovable_gfp", &f->gfp_unmov) < 0 || wl_gfp(task, T, "movable_gfp", &f->gfp_mov) < 0 ||
	    wl_gfp(task, T, "highorder_gfp", &f->gfp_high) < 0 ||
	    workload_dist(task, T, "unmovable_lifetime", 0, 1e18, &f->unmov_life) < 0 ||
	    workload_dist(task, T, "movable_lifetime", 0, 1e18, &f->mov_life) < 0)
		return -1;
	nr = wl_orders(task, "orders", "[9]", orders, FRAG_MAX_ORDERS);
	if (nr < 0 || cfg_failed(cfg_doc(task)))
		return -1;
	f->name = strdup(env->task_name);
	f->stop = env->stop;
	f->node = env->node;
	f->mean_gap = SIM_SEC / rate;
	free_pages = env->node >= 0 ? node_free_pages(env->node) : nr_free_pages();
	f->target = free_pages * fill / 100;
	if (f->target > FRAG_MAX_LIVE)             /* bound host memory: 24 bytes per live page */
		f->target = FRAG_MAX_LIVE;
	if (wl_heap_init(&f->heap, (unsigned)(f->target + (unsigned long)nr * f->burst * 8 + 16)) < 0)
		return -1;
	wl_rng(&f->rng, env, 0);
	f->allocs = wl_counter(env, "allocs", "pages", "order-0 allocations of the fill / churn phase");
	f->fails = wl_counter(env, "alloc_fail", "pages", "order-0 allocations that failed");
	f->frees = wl_counter(env, "frees", "blocks", "blocks freed after their lifetime or hold time");
	f->paused = wl_counter(env, "paused", "events", "allocation slots skipped because `fill` was reached");
	{
		char name[192];

		stat_gauge(wl_stat_name(env, "live_pages", name, sizeof(name)), "pages",
			   "order-0 pages held by the churn phase", STAT_SAMPLED, gauge_live, f);
	}
	f->nr_orders = nr;
	for (int i = 0; i < nr; i++) {
		struct frag_order *o = &f->ord[i];
		char name[192];

		o->order = orders[i];
		snprintf(what, sizeof(what), "order%d.attempts", o->order);
		o->attempts = wl_counter(env, what, "allocs", "high-order allocation attempts");
		snprintf(what, sizeof(what), "order%d.successes", o->order);
		o->successes = wl_counter(env, what, "allocs", "high-order allocations that succeeded");
		snprintf(what, sizeof(what), "order%d.latency", o->order);
		o->lat = wl_hist(env, what, "ps", "latency of each high-order allocation attempt");
		snprintf(what, sizeof(what), "order%d.success_pct", o->order);
		stat_gauge(wl_stat_name(env, what, name, sizeof(name)), "%",
			   "high-order success rate of the latest burst", STAT_SAMPLED, gauge_pct, o);
	}
	f->next = frag_list;
	frag_list = f;
	return wl_spawn(env, 0, env->context, frag_proc, f, wl_task_new(env, 0)) ? 0 : -1;
}

static void frag_report(FILE *out)
{
	for (struct frag *f = frag_list; f; f = f->next) {
		fprintf(out, "%s: %llu order-0 allocations (%llu failed), target %lu pages",
			f->name, (unsigned long long)*f->allocs, (unsigned long long)*f->fails, f->target);
		for (int i = 0; i < f->nr_orders; i++) {
			struct frag_order *o = &f->ord[i];

			fprintf(out, "; order-%d success %llu/%llu (%.1f%%)", o->order,
				(unsigned long long)*o->successes, (unsigned long long)*o->attempts,
				*o->attempts ? 100.0 * (double)*o->successes / (double)*o->attempts : 0.0);
		}
		fputc('\n', out);
	}
}

const struct workload_type workload_fragmenter = {
	.name = "fragmenter",
	.desc = "interleaved long-lived unmovable / short-lived movable pages, then bursts of high-order "
		"requests (stress-highalloc); reports the high-order success rate over time",
	.params = frag_params,
	.setup = frag_setup,
	.report = frag_report,
};
