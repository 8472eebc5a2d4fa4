/* SPDX-License-Identifier: MIT */
/*
 * workloads/vmalloc.c — vmalloc and kvmalloc users.
 *
 * Model: two Poisson streams in task context on the task's CPUs.
 *   - Module loads at `rate`: a module image of `size` bytes is vmalloc'd
 *     (vmalloc_node: GFP_KERNEL, order-0 pages, one guard page, 4 KiB PTEs),
 *     written once (relocation: the first cache line of every page), kept
 *     for `lifetime`, then vfree'd (pages freed at once, the virtual range
 *     left for the lazy purge).
 *   - Table allocations at `kv_rate`: kvmalloc_node(`kv_size`, `kv_gfp`),
 *     the hash tables and arrays that try kmalloc first and fall back to
 *     vmalloc above a page when the physically contiguous attempt fails;
 *     kvfree'd after `kv_lifetime`. The share that ended in vmalloc space
 *     (is_vmalloc_addr) shows how fragmentation pushes large kmalloc into
 *     vmalloc.
 * Reported: calls and failures per API, kvmalloc's vmalloc fallbacks,
 * latency histograms per API.
 *
 * Simplified: module_alloc's MODULES_VADDR window and text permissions
 * (set_memory_ro/x) are not modelled: images come from the vmalloc area.
 */
#include <stdlib.h>
#include <string.h>
#include "machine/cost.h"
#include "machine/cpu.h"
#include "mm/gfp.h"
#include "mm/util.h"
#include "mm/vmalloc.h"
#include "sim/stats.h"
#include "workloads/workload.h"

#define VM_KV 1u                         /* heap aux: a kvmalloc'd table */

struct vmw {
	const char *name;
	struct rng rng;
	sim_time_t stop, mean_gap;
	double p_kv;
	int node;
	gfp_t kv_gfp;
	struct dist size, life, kv_size, kv_life;
	struct wl_heap heap;             /* ptr = address, aux = VM_KV or 0 */
	uint64_t *vmallocs, *vfail, *kvmallocs, *kvfail, *kv_vmalloc, *vbytes, *kvbytes;
	struct hist *vlat, *kvlat;
	struct vmw *next;
};

static struct vmw *vmw_list;

static void vmw_free(const struct wl_obj *o)
{
	if (o->aux & VM_KV)
		kvfree(o->ptr);
	else
		vfree(o->ptr);
}

static void vmw_event(struct vmw *w)
{
	sim_time_t t0 = sim_now(), life;
	void *p;

	if (rng_double(&w->rng) < w->p_kv) {
		size_t sz = (size_t)dist_sample_u64(&w->kv_size, &w->rng);

		p = kvmalloc_node(sz, w->kv_gfp, w->node);
		hist_add(w->kvlat, sim_now() - t0);
		(*w->kvmallocs)++;
		if (!p) {
			(*w->kvfail)++;
			return;
		}
		(*w->kvbytes) += sz;
		if (is_vmalloc_addr(p))
			(*w->kv_vmalloc)++;
		life = (sim_time_t)dist_sample_u64(&w->kv_life, &w->rng);
		if (!wl_heap_push(&w->heap, sim_now() + life, p, VM_KV))
			kvfree(p);
		return;
	}
	{
		unsigned long sz = (unsigned long)dist_sample_u64(&w->size, &w->rng);

		p = vmalloc_node(sz, w->node);
		hist_add(w->vlat, sim_now() - t0);
		(*w->vmallocs)++;
		if (!p) {
			(*w->vfail)++;
			return;
		}
		(*w->vbytes) += sz;
		for (unsigned long off = 0; off < sz; off += PAGE_SIZE)   /* apply relocations */
			mem_write((unsigned long)p + off, 64);
		life = (sim_time_t)dist_sample_u64(&w->life, &w->rng);
		if (!wl_heap_push(&w->heap, sim_now() + life, p, 0))
			vfree(p);
	}
}

static void vmw_proc(void *arg)
{
	struct vmw *w = arg;
	struct wl_obj o;

	while (wl_running(w->stop)) {
		sim_time_t next = sim_now() + (sim_time_t)rng_exponential(&w->rng, (double)w->mean_gap) + 1;

		while (wl_heap_next(&w->heap) < next) {
			wl_sleep_until(wl_heap_next(&w->heap));
			while (wl_heap_pop_due(&w->heap, sim_now(), &o))
				vmw_free(&o);
		}
		wl_sleep_until(next);
		vmw_event(w);
	}
}

static const struct workload_param vmw_params[] = {
	{ "rate", CFG_UNIT_RATE, "2k/s", "module loads (vmalloc) per second (Poisson; 0: none)" },
	{ "size", CFG_UNIT_BYTES, "{dist: lognormal, median: 64KiB, sigma: 1, min: 4KiB, max: 16MiB}",
	  "module image size", WP_DIST },
	{ "lifetime", CFG_UNIT_TIME, "{dist: exponential, mean: 20ms}", "time until the module is unloaded", WP_DIST },
	{ "kv_rate", CFG_UNIT_RATE, "20k/s", "kvmalloc table allocations per second (0: none)" },
	{ "kv_size", CFG_UNIT_BYTES, "{dist: lognormal, median: 16KiB, sigma: 1.5, min: 64, max: 4MiB}",
	  "kvmalloc size", WP_DIST },
	{ "kv_lifetime", CFG_UNIT_TIME, "{dist: exponential, mean: 5ms}", "kvmalloc table lifetime", WP_DIST },
	{ "kv_gfp", CFG_UNIT_NONE, "GFP_KERNEL", "GFP mask of kvmalloc" },
	{ "max_live", CFG_UNIT_NONE, "1M", "live allocations kept (bounds host memory)" },
	{ NULL },
};

static int vmw_setup(struct cfg_node *task, const struct workload_env *env)
{
	const struct workload_type *T = &workload_vmalloc;
	/* Nothing is allocated for a task the kernel model cannot run. */
	struct vmw *w = wl_require_kernel(task, T) < 0 ? NULL : calloc(1, sizeof(*w));
	uint64_t rate = workload_u64(task, T, "rate", 0, 100000000);
	uint64_t kv_rate = workload_u64(task, T, "kv_rate", 0, 100000000);
	uint64_t max_live = workload_u64(task, T, "max_live", 1, 1 << 26);

	if (!w || wl_gfp(task, T, "kv_gfp", &w->kv_gfp) < 0 ||
	    workload_dist(task, T, "size", 1, 1ull << 40, &w->size) < 0 ||
	    workload_dist(task, T, "lifetime", 0, 1e18, &w->life) < 0 ||
	    workload_dist(task, T, "kv_size", 1, (double)KV_INT_MAX, &w->kv_size) < 0 ||
	    workload_dist(task, T, "kv_lifetime", 0, 1e18, &w->kv_life) < 0 || cfg_failed(cfg_doc(task)))
		return -1;
	if (wl_require_slab(task, T) < 0)
		return -1;
	{
		void *probe = vmalloc(PAGE_SIZE);          /* vmalloc_init has run? */

		if (!probe) {
			cfg_fail(cfg_doc(task), task, "workload",
				 "workload 'vmalloc': vmalloc(4096) fails at set-up (vmalloc_init has not run?)");
			return -1;
		}
		vfree(probe);
	}
	if (rate + kv_rate == 0) {
		cfg_fail(cfg_doc(task), task, "rate", "rate and kv_rate are both 0: nothing to do");
		return -1;
	}
	if (wl_heap_init(&w->heap, (unsigned)max_live) < 0)
		return -1;
	w->name = strdup(env->task_name);
	wl_rng(&w->rng, env, 0);
	w->stop = env->stop;
	w->mean_gap = SIM_SEC / (rate + kv_rate);
	w->p_kv = (double)kv_rate / (double)(rate + kv_rate);
	w->node = env->node;
	w->vmallocs = wl_counter(env, "vmallocs", "calls", "vmalloc calls (module loads)");
	w->vfail = wl_counter(env, "vmalloc_fail", "calls", "vmalloc calls that failed");
	w->vbytes = wl_counter(env, "vmalloc_bytes", "bytes", "bytes vmalloc'd");
	w->kvmallocs = wl_counter(env, "kvmallocs", "calls", "kvmalloc calls");
	w->kvfail = wl_counter(env, "kvmalloc_fail", "calls", "kvmalloc calls that failed");
	w->kvbytes = wl_counter(env, "kvmalloc_bytes", "bytes", "bytes kvmalloc'd");
	w->kv_vmalloc = wl_counter(env, "kvmalloc_vmalloc", "calls",
				   "kvmalloc calls served by vmalloc (kmalloc failed or too big)");
	w->vlat = wl_hist(env, "vmalloc_latency", "ps", "latency of vmalloc");
	w->kvlat = wl_hist(env, "kvmalloc_latency", "ps", "latency of kvmalloc");
	w->next = vmw_list;
	vmw_list = w;
	return wl_spawn(env, 0, env->context, vmw_proc, w, wl_task_new(env, 0)) ? 0 : -1;
}

static void vmw_report(FILE *out)
{
	for (struct vmw *w = vmw_list; w; w = w->next)
		fprintf(out, "%s: %llu vmalloc (%llu failed, p99 %.1f us), %llu kvmalloc (%llu failed, "
			"%llu via vmalloc, p99 %.1f us)\n",
			w->name, (unsigned long long)*w->vmallocs, (unsigned long long)*w->vfail,
			(double)hist_percentile(w->vlat, 99) / 1e6, (unsigned long long)*w->kvmallocs,
			(unsigned long long)*w->kvfail, (unsigned long long)*w->kv_vmalloc,
			(double)hist_percentile(w->kvlat, 99) / 1e6);
}

const struct workload_type workload_vmalloc = {
	.name = "vmalloc",
	.desc = "module-load-like vmalloc/vfree of varied sizes and kvmalloc/kvfree tables",
	.params = vmw_params,
	.setup = vmw_setup,
	.report = vmw_report,
};
