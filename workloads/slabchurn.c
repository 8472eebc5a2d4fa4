/* SPDX-License-Identifier: MIT */
/*
 * workloads/slabchurn.c — kernel object churn through SLUB.
 *
 * Model: `caches` object caches (kmem_cache_create, object sizes drawn once
 * from `size`, optionally with a constructor that initialises each object
 * when its slab is populated) plus plain kmalloc of `kmalloc_size` bytes for
 * a share `kmalloc` of the requests. `procs` processes allocate at `rate`
 * per second in total (Poisson) with `gfp` and free each object after a
 * `lifetime`. Dentry/inode-like reclaimable caches ("<task>_dentry" of
 * `reclaimable_size` bytes and "<task>_inode" of `inode_size` bytes,
 * SLAB_RECLAIM_ACCOUNT: their slabs are __GFP_RECLAIMABLE and count as
 * SReclaimable) receive `reclaimable_rate` dentries per second, a share
 * `inode_share` of them with an inode (a new file rather than a lookup of a
 * cached one). Their owner never frees them: they sit on an LRU (oldest
 * first) until the shrinker registered for them — what vmscan calls from
 * kswapd and direct reclaim, like super_cache_scan for a superblock's
 * dcache and icache — frees them, or until `max_reclaimable` is reached
 * (then the oldest is pruned, as the dcache prunes itself).
 *
 * Reported: allocations and failures per API, ctor calls, objects freed by
 * the shrinker, allocation latency.
 *
 * Simplified: the LRU is FIFO (no referenced bit / second chance as in
 * list_lru); objects have no contents, the ctor charges one cache-line write.
 */
#include <stdlib.h>
#include <string.h>
#include "machine/cost.h"
#include "machine/cpu.h"
#include "mm/gfp.h"
#include "mm/slab.h"
#include "sim/stats.h"
#include "workloads/workload.h"

#define SC_MAX_CACHES 64
#define SC_KMALLOC    0xffffu            /* aux of a kmalloc'd object */
#define SC_INODE      1ul                /* LRU entry bit 0: an inode (objects are 8-aligned) */

struct sc_shared {
	const char *name;
	int nr_caches;
	struct kmem_cache *cache[SC_MAX_CACHES];
	unsigned obj_size[SC_MAX_CACHES];
	struct kmem_cache *rcl, *inode;  /* the reclaimable caches (inode may be NULL) */
	/* LRU ring of reclaimable objects, oldest at head */
	void **lru;
	unsigned long lru_head, lru_n, lru_cap;
	struct slab_shrinker shrinker;
	uint64_t *allocs, *fails, *kmallocs, *kmalloc_fails, *rcl_allocs, *rcl_fails, *shrunk, *pruned;
	struct hist *lat;
	struct sc_shared *next;
};

struct sc_proc {
	struct sc_shared *sh;
	struct rng rng;
	sim_time_t stop, mean_gap;
	double p_rcl, p_kmalloc;         /* event shares */
	double inode_share;              /* dentries that come with an inode */
	gfp_t gfp;
	int node;
	struct dist life, ksize;
	struct wl_heap heap;             /* ptr = object, aux = cache index or SC_KMALLOC */
};

static struct sc_shared *sc_list;
static uint64_t *ctor_calls;

static void sc_ctor(void *obj)
{
	if (ctor_calls)
		(*ctor_calls)++;
	mem_write((unsigned long)obj, 64);
}

static void lru_free_oldest(struct sc_shared *sh)
{
	unsigned long obj = (unsigned long)sh->lru[sh->lru_head];

	sh->lru_head = (sh->lru_head + 1) % sh->lru_cap;
	sh->lru_n--;
	if (obj & SC_INODE)
		kmem_cache_free_caller(sh->inode, (void *)(obj & ~SC_INODE), "free_inode_nonrcu");
	else
		kmem_cache_free_caller(sh->rcl, (void *)obj, "__d_free");
}

static void lru_add(struct sc_shared *sh, unsigned long obj)
{
	if (sh->lru_n == sh->lru_cap) {
		lru_free_oldest(sh);
		(*sh->pruned)++;
	}
	sh->lru[(sh->lru_head + sh->lru_n) % sh->lru_cap] = (void *)obj;
	sh->lru_n++;
}

static unsigned long sc_count(struct slab_shrinker *s, int nid)
{
	struct sc_shared *sh = s->priv;

	(void)nid;
	return sh->lru_n;
}

static unsigned long sc_scan(struct slab_shrinker *s, int nid, unsigned long nr, gfp_t gfp)
{
	struct sc_shared *sh = s->priv;
	unsigned long freed = 0;

	(void)nid;
	if (!(gfp & __GFP_FS))           /* dcache/icache shrinkers bail out without __GFP_FS */
		return SHRINK_STOP;
	while (freed < nr && sh->lru_n) {
		lru_free_oldest(sh);
		freed++;
	}
	(*sh->shrunk) += freed;
	return freed;
}

static void sc_free(struct sc_proc *p, const struct wl_obj *o)
{
	if (o->aux == SC_KMALLOC)
		kfree(o->ptr);
	else
		kmem_cache_free(p->sh->cache[o->aux], o->ptr);
}

static void sc_event(struct sc_proc *p)
{
	struct sc_shared *sh = p->sh;
	double u = rng_double(&p->rng);
	sim_time_t t0 = sim_now();
	unsigned idx;
	void *obj;

	if (u < p->p_rcl) {
		obj = kmem_cache_alloc_caller(sh->rcl, p->gfp, p->node, "__d_alloc");
		hist_add(sh->lat, sim_now() - t0);
		(*sh->rcl_allocs)++;
		if (!obj) {
			(*sh->rcl_fails)++;
			return;
		}
		lru_add(sh, (unsigned long)obj);
		if (sh->inode && rng_double(&p->rng) < p->inode_share) {      /* new_inode */
			t0 = sim_now();
			obj = kmem_cache_alloc_caller(sh->inode, p->gfp, p->node, "alloc_inode");
			hist_add(sh->lat, sim_now() - t0);
			(*sh->rcl_allocs)++;
			if (!obj) {
				(*sh->rcl_fails)++;
				return;
			}
			lru_add(sh, (unsigned long)obj | SC_INODE);
		}
		return;
	}
	if (u < p->p_rcl + p->p_kmalloc || !sh->nr_caches) {
		obj = kmalloc_node((size_t)dist_sample_u64(&p->ksize, &p->rng), p->gfp, p->node);
		idx = SC_KMALLOC;
		(*sh->kmallocs)++;
		if (!obj)
			(*sh->kmalloc_fails)++;
	} else {
		idx = (unsigned)rng_below(&p->rng, (uint64_t)sh->nr_caches);
		obj = kmem_cache_alloc_node(sh->cache[idx], p->gfp, p->node);
		(*sh->allocs)++;
		if (!obj)
			(*sh->fails)++;
	}
	hist_add(sh->lat, sim_now() - t0);
	if (!obj)
		return;
	if (!wl_heap_push(&p->heap, sim_now() + (sim_time_t)dist_sample_u64(&p->life, &p->rng), obj, idx)) {
		struct wl_obj o = { 0, obj, idx };

		sc_free(p, &o);
	}
}

static void sc_proc_fn(void *arg)
{
	struct sc_proc *p = arg;
	struct wl_obj o;

	while (wl_running(p->stop)) {
		sim_time_t next = sim_now() + (sim_time_t)rng_exponential(&p->rng, (double)p->mean_gap) + 1;

		while (wl_heap_next(&p->heap) < next) {
			wl_sleep_until(wl_heap_next(&p->heap));
			while (wl_heap_pop_due(&p->heap, sim_now(), &o))
				sc_free(p, &o);
		}
		wl_sleep_until(next);
		sc_event(p);
	}
}

static const struct workload_param sc_params[] = {
	{ "caches", CFG_UNIT_NONE, "4", "object caches to create (0-64)" },
	{ "size", CFG_UNIT_BYTES, "{dist: lognormal, median: 128, sigma: 1, min: 8, max: 4KiB}",
	  "object size of each cache (drawn once per cache)", WP_DIST },
	{ "ctor", CFG_UNIT_NONE, "true", "give the caches a constructor" },
	{ "rate", CFG_UNIT_RATE, "200k/s", "object allocations per second, all procs (Poisson)" },
	{ "procs", CFG_UNIT_NONE, "1", "allocating processes (on the task's CPUs)" },
	{ "lifetime", CFG_UNIT_TIME, "{dist: exponential, mean: 1ms}", "object lifetime", WP_DIST },
	{ "kmalloc", CFG_UNIT_PERCENT, "30%", "share of allocations that are kmalloc instead of a cache" },
	{ "kmalloc_size", CFG_UNIT_BYTES, "{dist: lognormal, median: 256, sigma: 1.2, min: 8, max: 8KiB}",
	  "kmalloc request size", WP_DIST },
	{ "gfp", CFG_UNIT_NONE, "GFP_KERNEL", "GFP mask of all allocations" },
	{ "reclaimable_rate", CFG_UNIT_RATE, "50k/s", "dentry-like reclaimable objects per second (0: none)" },
	{ "reclaimable_size", CFG_UNIT_BYTES, "192", "object size of the dentry-like cache (dentry: 192)" },
	{ "inode_size", CFG_UNIT_BYTES, "600", "object size of the inode-like cache (ext4_inode_cache ~1 KiB; 0: none)" },
	{ "inode_share", CFG_UNIT_PERCENT, "50%", "dentries allocated together with an inode" },
	{ "max_reclaimable", CFG_UNIT_NONE, "1M", "reclaimable objects kept before the oldest is pruned" },
	{ "max_live", CFG_UNIT_NONE, "1M", "live non-reclaimable objects per process (bounds host memory)" },
	{ NULL },
};

static int sc_setup(struct cfg_node *task, const struct workload_env *env)
{
	const struct workload_type *T = &workload_slabchurn;
	/* Nothing is allocated for a task the kernel model cannot run. */
	struct sc_shared *sh = wl_require_kernel(task, T) < 0 ? NULL : calloc(1, sizeof(*sh));
	uint64_t nr_caches = workload_u64(task, T, "caches", 0, SC_MAX_CACHES);
	bool ctor = cfg_bool(task, "ctor", true);
	uint64_t rate = workload_u64(task, T, "rate", 0, 1000000000);
	uint64_t procs = workload_u64(task, T, "procs", 1, 1024);
	uint64_t kpct = workload_u64(task, T, "kmalloc", 0, 100);
	uint64_t rrate = workload_u64(task, T, "reclaimable_rate", 0, 1000000000);
	uint64_t rsize = workload_u64(task, T, "reclaimable_size", 8, 8192);
	uint64_t isize = workload_u64(task, T, "inode_size", 0, 8192);
	uint64_t ishare = workload_u64(task, T, "inode_share", 0, 100);
	uint64_t max_rcl = workload_u64(task, T, "max_reclaimable", 1, 1 << 26);
	uint64_t max_live = workload_u64(task, T, "max_live", 1, 1 << 26);
	struct dist size, life, ksize;
	char name[160];
	gfp_t gfp;

	if (!sh || wl_gfp(task, T, "gfp", &gfp) < 0 ||
	    workload_dist(task, T, "size", 8, 65536, &size) < 0 ||
	    workload_dist(task, T, "lifetime", 0, 1e18, &life) < 0 ||
	    workload_dist(task, T, "kmalloc_size", 1, (double)KMALLOC_MAX_SIZE, &ksize) < 0)
		return -1;
	if (cfg_failed(cfg_doc(task)))
		return -1;
	if (wl_require_slab(task, T) < 0)
		return -1;
	if (rate + rrate == 0) {
		cfg_fail(cfg_doc(task), task, "rate", "rate and reclaimable_rate are both 0: nothing to do");
		return -1;
	}
	sh->name = strdup(env->task_name);
	if (!ctor_calls)
		ctor_calls = stat_counter("workload.slabchurn.ctor_calls", "objects",
					  "constructor calls of slabchurn caches (all tasks)", STAT_SAMPLED | STAT_SUMMARY);
	{
		struct rng r;

		wl_rng(&r, env, 1000);
		for (uint64_t i = 0; i < nr_caches; i++) {
			snprintf(name, sizeof(name), "%s_c%llu", env->task_name, (unsigned long long)i);
			sh->obj_size[i] = (unsigned)dist_sample_u64(&size, &r);
			sh->cache[i] = kmem_cache_create(name, sh->obj_size[i], 0, SLAB_HWCACHE_ALIGN,
							 ctor ? sc_ctor : NULL);
			if (!sh->cache[i]) {
				cfg_fail(cfg_doc(task), task, "caches", "kmem_cache_create(%s, %u) failed", name,
					 sh->obj_size[i]);
				return -1;
			}
		}
	}
	sh->nr_caches = (int)nr_caches;
	if (rrate) {
		snprintf(name, sizeof(name), "%s_dentry", env->task_name);
		sh->rcl = kmem_cache_create(name, (unsigned)rsize, 0, SLAB_RECLAIM_ACCOUNT | SLAB_HWCACHE_ALIGN, NULL);
		if (isize) {
			snprintf(name, sizeof(name), "%s_inode", env->task_name);
			sh->inode = kmem_cache_create(name, (unsigned)isize, 0,
						      SLAB_RECLAIM_ACCOUNT | SLAB_HWCACHE_ALIGN, NULL);
		}
		sh->lru_cap = max_rcl;
		sh->lru = calloc(max_rcl, sizeof(*sh->lru));
		if (!sh->rcl || !sh->lru || (isize && !sh->inode)) {
			cfg_fail(cfg_doc(task), task, "reclaimable_rate", "cannot create the reclaimable cache %s", name);
			return -1;
		}
		sh->shrinker.count_objects = sc_count;
		sh->shrinker.scan_objects = sc_scan;
		sh->shrinker.seeks = DEFAULT_SEEKS;
		sh->shrinker.priv = sh;
		sh->shrinker.cache = sh->rcl;
		slab_register_shrinker(&sh->shrinker);
	}
	sh->allocs = wl_counter(env, "cache_allocs", "objects", "kmem_cache_alloc calls on the object caches");
	sh->fails = wl_counter(env, "cache_alloc_fail", "objects", "kmem_cache_alloc calls that failed");
	sh->kmallocs = wl_counter(env, "kmallocs", "objects", "kmalloc calls");
	sh->kmalloc_fails = wl_counter(env, "kmalloc_fail", "objects", "kmalloc calls that failed");
	sh->rcl_allocs = wl_counter(env, "reclaimable_allocs", "objects",
				    "allocations from the reclaimable caches (dentries and inodes)");
	sh->rcl_fails = wl_counter(env, "reclaimable_alloc_fail", "objects", "reclaimable allocations that failed");
	sh->shrunk = wl_counter(env, "shrinker_freed", "objects", "reclaimable objects freed by the shrinker");
	sh->pruned = wl_counter(env, "pruned", "objects", "reclaimable objects pruned at max_reclaimable");
	sh->lat = wl_hist(env, "alloc_latency", "ps", "latency of each allocation");
	for (uint64_t i = 0; i < procs; i++) {
		struct sc_proc *p = calloc(1, sizeof(*p));

		if (!p || wl_heap_init(&p->heap, (unsigned)max_live) < 0)
			return -1;
		p->sh = sh;
		wl_rng(&p->rng, env, (int)i);
		p->stop = env->stop;
		p->mean_gap = SIM_SEC * procs / (rate + rrate);
		p->p_rcl = (double)rrate / (double)(rate + rrate);
		p->p_kmalloc = (1 - p->p_rcl) * (double)kpct / 100.0;
		p->inode_share = (double)ishare / 100.0;
		p->gfp = gfp;
		p->node = env->node;
		p->life = life;
		p->ksize = ksize;
		if (!wl_spawn(env, (int)i, env->context, sc_proc_fn, p,
			      env->context == CTX_TASK ? wl_task_new(env, (int)i) : NULL))
			return -1;
	}
	sh->next = sc_list;
	sc_list = sh;
	return 0;
}

static void sc_report(FILE *out)
{
	for (struct sc_shared *sh = sc_list; sh; sh = sh->next)
		fprintf(out, "%s: %llu cache allocs (%llu failed), %llu kmallocs (%llu failed), "
			"%llu reclaimable (%lu live, %llu freed by the shrinker), alloc p99 %.2f us\n",
			sh->name, (unsigned long long)*sh->allocs, (unsigned long long)*sh->fails,
			(unsigned long long)*sh->kmallocs, (unsigned long long)*sh->kmalloc_fails,
			(unsigned long long)*sh->rcl_allocs, sh->lru_n, (unsigned long long)*sh->shrunk,
			(double)hist_percentile(sh->lat, 99) / 1e6);
}

const struct workload_type workload_slabchurn = {
	.name = "slabchurn",
	.desc = "object caches with constructors and lifetimes, kmalloc churn, and a dentry-like "
		"SLAB_RECLAIM_ACCOUNT cache under a shrinker",
	.params = sc_params,
	.setup = sc_setup,
	.report = sc_report,
};
