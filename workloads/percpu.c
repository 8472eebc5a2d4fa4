/* SPDX-License-Identifier: MIT */
/*
 * workloads/percpu.c — alloc_percpu / free_percpu churn of counters.
 *
 * Model: a task-context process creates per-CPU counters at `rate` per
 * second (Poisson) — the per-CPU statistics of sockets, block queues,
 * cgroups or net devices: __alloc_percpu_gfp(size, align) with `size` drawn
 * from its distribution, align the natural alignment of the size (up to 8),
 * and GFP_KERNEL, or GFP_NOWAIT for a share `atomic` of them (atomic percpu
 * allocations only use already-populated chunk pages and fail rather than
 * create a chunk). Each counter is bumped once on the local CPU
 * (this_cpu_add: one write to this_cpu_ptr) and, when freed after
 * `lifetime`, summed over every possible CPU (percpu_counter_sum: one read
 * per CPU's unit) before free_percpu.
 *
 * Reported: allocations, failures (separately for atomic ones), latency.
 */
#include <stdlib.h>
#include <string.h>
#include "machine/cost.h"
#include "machine/cpu.h"
#include "machine/machine.h"
#include "mm/gfp.h"
#include "mm/percpu.h"
#include "sim/stats.h"
#include "workloads/workload.h"

struct pcw {
	const char *name;
	struct rng rng;
	sim_time_t stop, mean_gap;
	unsigned atomic_pct;
	gfp_t gfp;
	int nr_cpus;
	struct dist size, life;
	struct wl_heap heap;             /* ptr = percpu pointer, aux = size */
	uint64_t *allocs, *fails, *atomic_allocs, *atomic_fails, *frees;
	struct hist *lat;
	struct pcw *next;
};

static struct pcw *pcw_list;

static void pcw_free(struct pcw *w, const struct wl_obj *o)
{
	for (int cpu = 0; cpu < w->nr_cpus; cpu++)            /* percpu_counter_sum */
		mem_read(per_cpu_ptr(o->ptr, cpu), (unsigned)(o->aux < 64 ? o->aux : 64));
	free_percpu(o->ptr);
	(*w->frees)++;
}

static void pcw_alloc(struct pcw *w)
{
	size_t size = (size_t)dist_sample_u64(&w->size, &w->rng);
	size_t align = size >= 8 ? 8 : size >= 4 ? 4 : size >= 2 ? 2 : 1;
	bool atomic = rng_below(&w->rng, 100) < w->atomic_pct;
	sim_time_t t0 = sim_now();
	void *p = __alloc_percpu_gfp(size, align, atomic ? GFP_NOWAIT : w->gfp);

	hist_add(w->lat, sim_now() - t0);
	(*w->allocs)++;
	(*w->atomic_allocs) += atomic;
	if (!p) {
		(*w->fails)++;
		(*w->atomic_fails) += atomic;
		return;
	}
	mem_write(this_cpu_ptr(p), (unsigned)(size < 64 ? size : 64));   /* this_cpu_add */
	if (!wl_heap_push(&w->heap, sim_now() + (sim_time_t)dist_sample_u64(&w->life, &w->rng), p, size)) {
		struct wl_obj o = { 0, p, size };

		pcw_free(w, &o);
	}
}

static void pcw_proc(void *arg)
{
	struct pcw *w = arg;
	struct wl_obj o;

	while (wl_running(w->stop)) {
		sim_time_t next = sim_now() + (sim_time_t)rng_exponential(&w->rng, (double)w->mean_gap) + 1;

		while (wl_heap_next(&w->heap) < next) {
			wl_sleep_until(wl_heap_next(&w->heap));
			while (wl_heap_pop_due(&w->heap, sim_now(), &o))
				pcw_free(w, &o);
		}
		wl_sleep_until(next);
		pcw_alloc(w);
	}
}

static const struct workload_param pcw_params[] = {
	{ "rate", CFG_UNIT_RATE, "50k/s", "per-CPU allocations per second (Poisson)" },
	{ "size", CFG_UNIT_BYTES, "{dist: empirical, values: [[4, 30], [8, 50], [16, 10], [64, 8], [1KiB, 2]]}",
	  "bytes per CPU (at most 32 KiB, PCPU_MIN_UNIT_SIZE)", WP_DIST },
	{ "lifetime", CFG_UNIT_TIME, "{dist: exponential, mean: 10ms}", "time until free_percpu", WP_DIST },
	{ "atomic", CFG_UNIT_PERCENT, "10%", "share allocated with GFP_NOWAIT (atomic: populated pages only)" },
	{ "gfp", CFG_UNIT_NONE, "GFP_KERNEL", "GFP mask of the other allocations" },
	{ "max_live", CFG_UNIT_NONE, "1M", "live allocations kept (bounds host memory)" },
	{ NULL },
};

static int pcw_setup(struct cfg_node *task, const struct workload_env *env)
{
	const struct workload_type *T = &workload_percpu;
	/* Nothing is allocated for a task the kernel model cannot run. */
	struct pcw *w = wl_require_kernel(task, T) < 0 ? NULL : calloc(1, sizeof(*w));
	uint64_t rate = workload_u64(task, T, "rate", 1, 100000000);
	uint64_t max_live = workload_u64(task, T, "max_live", 1, 1 << 26);

	if (!w || wl_gfp(task, T, "gfp", &w->gfp) < 0 ||
	    workload_dist(task, T, "size", 1, PCPU_MIN_UNIT_SIZE, &w->size) < 0 ||
	    workload_dist(task, T, "lifetime", 0, 1e18, &w->life) < 0 || cfg_failed(cfg_doc(task)))
		return -1;
	w->atomic_pct = (unsigned)workload_u64(task, T, "atomic", 0, 100);
	if (pcpu_nr_units() <= 0) {
		cfg_fail(cfg_doc(task), task, "workload",
			 "workload 'percpu' needs the percpu allocator: percpu_init has not run");
		return -1;
	}
	if (wl_heap_init(&w->heap, (unsigned)max_live) < 0)
		return -1;
	w->name = strdup(env->task_name);
	wl_rng(&w->rng, env, 0);
	w->stop = env->stop;
	w->mean_gap = SIM_SEC / rate;
	w->nr_cpus = machine_nr_cpus();
	w->allocs = wl_counter(env, "allocs", "calls", "alloc_percpu calls");
	w->fails = wl_counter(env, "alloc_fail", "calls", "alloc_percpu calls that failed");
	w->atomic_allocs = wl_counter(env, "atomic_allocs", "calls", "GFP_NOWAIT alloc_percpu calls");
	w->atomic_fails = wl_counter(env, "atomic_alloc_fail", "calls", "GFP_NOWAIT alloc_percpu calls that failed");
	w->frees = wl_counter(env, "frees", "calls", "free_percpu calls");
	w->lat = wl_hist(env, "alloc_latency", "ps", "latency of alloc_percpu");
	w->next = pcw_list;
	pcw_list = w;
	return wl_spawn(env, 0, env->context, pcw_proc, w, wl_task_new(env, 0)) ? 0 : -1;
}

static void pcw_report(FILE *out)
{
	for (struct pcw *w = pcw_list; w; w = w->next)
		fprintf(out, "%s: %llu alloc_percpu (%llu failed; atomic %llu, %llu failed), %llu freed, p99 %.2f us\n",
			w->name, (unsigned long long)*w->allocs, (unsigned long long)*w->fails,
			(unsigned long long)*w->atomic_allocs, (unsigned long long)*w->atomic_fails,
			(unsigned long long)*w->frees, (double)hist_percentile(w->lat, 99) / 1e6);
}

const struct workload_type workload_percpu = {
	.name = "percpu",
	.desc = "alloc_percpu / free_percpu churn of per-CPU counters (GFP_KERNEL and atomic GFP_NOWAIT)",
	.params = pcw_params,
	.setup = pcw_setup,
	.report = pcw_report,
};
