// SPDX-License-Identifier: MIT
/*
 * mm/mempool.c — memory pools of Linux 6.1 (mm/mempool.c).
 *
 * What it models
 *   - A pool keeps min_nr elements in a LIFO stack; creation pre-fills it with
 *     alloc_fn(GFP_KERNEL) and fails (freeing everything) if one allocation
 *     fails. The kernel footprint (kzalloc'd mempool_t of 72 bytes and the
 *     kmalloc_array'd element array) is allocated in the simulated kernel.
 *   - mempool_alloc() is the 6.1 algorithm: NOMEMALLOC|NORETRY|NOWARN are
 *     added; the first round drops DIRECT_RECLAIM|IO; then the reserve; then a
 *     round with the full mask; non-sleeping callers get NULL; sleeping callers
 *     wait (TASK_UNINTERRUPTIBLE) for a mempool_free or 5 s of simulated time
 *     (io_schedule_timeout(5*HZ)) and start over, forever.
 *   - mempool_free() pushes the element back if curr_nr < min_nr and wakes
 *     every waiter (wake_up on a non-exclusive wait), else calls free_fn.
 * Simplified: no element poisoning (CONFIG_DEBUG_SLAB/SLUB_DEBUG_ON); the pool
 * lock is implicit (a process yields only inside the wait, DESIGN §2); a wait
 * outside any sim process cannot block and returns NULL with a warning.
 * Invariant (mempool_check): 0 <= curr_nr <= min_nr, elements non-NULL.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cpu.h"          /* before mm/page_alloc.h: numa_node_id */
#include "machine/cost.h"
#include "mm/mempool.h"
#include "mm/page_alloc.h"
#include "mm/sched.h"
#include "mm/slab.h"
#include "mm/util.h"
#include "sim/engine.h"
#include "sim/log.h"
#include "sim/stats.h"

#define MEMPOOL_T_SIZE      72       /* sizeof(mempool_t) on x86-64 */
#define MEMPOOL_BASE_CYCLES 30       /* [U] lock + stack push/pop */

static const char *const path_names[NR_MEMPOOL_PATHS] = {
	"fast", "reserve", "retry", "waited", "fail",
};

static struct {
	bool stats;
	uint64_t local_paths[NR_MEMPOOL_PATHS];
	uint64_t *paths[NR_MEMPOOL_PATHS];
	struct hist *lat[NR_MEMPOOL_PATHS];
	uint64_t timeouts;
	uint64_t *timeouts_ctr;
	bool warned_zero;
} P;

void mempool_init_stats(void)
{
	char name[64];

	memset(&P, 0, sizeof(P));
	for (int i = 0; i < NR_MEMPOOL_PATHS; i++) {
		snprintf(name, sizeof(name), "mm.latency.mempool_alloc.%s", path_names[i]);
		P.lat[i] = stat_hist(name, "ps", "mempool_alloc latency by path");
		snprintf(name, sizeof(name), "mm.mempool.alloc_%s", path_names[i]);
		P.paths[i] = stat_counter(name, "calls", "mempool_alloc outcomes", STAT_SUMMARY);
	}
	P.timeouts_ctr = stat_counter("mm.mempool.wait_timeouts", "events",
				      "mempool waits ended by the 5 s io_schedule_timeout", STAT_SUMMARY);
	P.stats = true;
}

unsigned long mempool_path_count(enum mempool_path p)
{
	return (unsigned)p < NR_MEMPOOL_PATHS ? P.local_paths[p] : 0;
}

unsigned long mempool_wait_timeouts(void)
{
	return P.timeouts;
}

static void *path_done(enum mempool_path p, sim_time_t t0, void *e)
{
	P.local_paths[p]++;
	if (P.paths[p])
		++*P.paths[p];
	if (P.lat[p])
		hist_add(P.lat[p], sim_now() - t0);
	return e;
}

static void add_element(mempool_t *pool, void *element)
{
	if (pool->elements_va)
		mem_write(pool->elements_va + (unsigned long)pool->curr_nr * 8, 8);
	pool->elements[pool->curr_nr++] = element;
}

static void *remove_element(mempool_t *pool)
{
	void *e = pool->elements[--pool->curr_nr];

	if (pool->elements_va)
		mem_read(pool->elements_va + (unsigned long)pool->curr_nr * 8, 8);
	return e;
}

static void mempool_exit(mempool_t *pool)
{
	while (pool->curr_nr) {
		void *e = remove_element(pool);
		pool->free(e, pool->pool_data);
	}
	if (pool->elements_va)
		kfree((void *)pool->elements_va);
	free(pool->elements);
	pool->elements = NULL;
	pool->elements_va = 0;
}

void mempool_destroy(mempool_t *pool)
{
	if (!pool)
		return;
	mempool_exit(pool);
	if (pool->pool_va)
		kfree((void *)pool->pool_va);
	free(pool);
}

mempool_t *mempool_create_node(int min_nr, mempool_alloc_t *alloc_fn, mempool_free_t *free_fn,
			       void *pool_data, gfp_t gfp_mask, int node_id)
{
	mempool_t *pool;

	if (min_nr <= 0 || !alloc_fn || !free_fn)
		return NULL;
	if (!P.stats)
		mempool_init_stats();
	pool = calloc(1, sizeof(*pool));
	if (!pool)
		return NULL;
	pool->pool_va = (unsigned long)kzalloc_node(MEMPOOL_T_SIZE, gfp_mask, node_id);
	if (!pool->pool_va) {
		free(pool);
		return NULL;
	}
	pool->elements_va = (unsigned long)kmalloc_array_node((size_t)min_nr, sizeof(void *), gfp_mask, node_id);
	pool->elements = calloc((size_t)min_nr, sizeof(void *));
	if (!pool->elements_va || !pool->elements) {
		if (pool->elements_va)
			kfree((void *)pool->elements_va);
		free(pool->elements);
		kfree((void *)pool->pool_va);
		free(pool);
		return NULL;
	}
	pool->min_nr = min_nr;
	pool->pool_data = pool_data;
	pool->alloc = alloc_fn;
	pool->free = free_fn;
	pool->node = node_id;
	pool->wait = sim_event_new("mempool.wait");
	while (pool->curr_nr < pool->min_nr) {
		void *e = pool->alloc(gfp_mask, pool->pool_data);

		if (!e) {
			mempool_destroy(pool);
			return NULL;
		}
		add_element(pool, e);
	}
	return pool;
}

mempool_t *mempool_create(int min_nr, mempool_alloc_t *alloc_fn, mempool_free_t *free_fn, void *pool_data)
{
	return mempool_create_node(min_nr, alloc_fn, free_fn, pool_data, GFP_KERNEL, NUMA_NO_NODE);
}

int mempool_resize(mempool_t *pool, int new_min_nr)
{
	if (!pool || new_min_nr <= 0) {
		sim_printk("kernel BUG at mm/mempool.c:289!\n");
		return -EINVAL;
	}
	mm_might_sleep("mm/mempool.c:290");
	if (new_min_nr <= pool->min_nr) {
		while (new_min_nr < pool->curr_nr) {
			void *e = remove_element(pool);
			pool->free(e, pool->pool_data);
		}
		pool->min_nr = new_min_nr;
		return 0;
	}
	unsigned long new_va = (unsigned long)kmalloc_array((size_t)new_min_nr, sizeof(void *), GFP_KERNEL);
	if (!new_va)
		return -ENOMEM;
	void **ne = realloc(pool->elements, (size_t)new_min_nr * sizeof(void *));
	if (!ne) {
		kfree((void *)new_va);
		return -ENOMEM;
	}
	kva_charge_copy(new_va, pool->elements_va, (size_t)pool->curr_nr * sizeof(void *));
	kfree((void *)pool->elements_va);
	pool->elements = ne;
	pool->elements_va = new_va;
	pool->min_nr = new_min_nr;
	while (pool->curr_nr < pool->min_nr) {
		void *e = pool->alloc(GFP_KERNEL, pool->pool_data);

		if (!e)
			break;
		add_element(pool, e);
	}
	return 0;
}

static void *__mempool_alloc_locked(mempool_t *pool, gfp_t gfp_mask);

/* one atomic section of the simulation: no other CPU interleaves mid-update (sim/engine.h) */
void *mempool_alloc(mempool_t *pool, gfp_t gfp_mask)
{
	void *ret;

	sim_atomic_begin();
	ret = __mempool_alloc_locked(pool, gfp_mask);
	sim_atomic_end();
	return ret;
}

static void *__mempool_alloc_locked(mempool_t *pool, gfp_t gfp_mask)
{
	sim_time_t t0 = sim_now();
	bool waited = false;
	void *element;
	gfp_t gfp_temp;

	if ((gfp_mask & __GFP_ZERO) && !P.warned_zero) {
		P.warned_zero = true;
		sim_printk("------------[ cut here ]------------\n");
		sim_printk("WARNING: CPU: %d PID: %d at mm/mempool.c:379 mempool_alloc+0x16b/0x180\n",
			   smp_processor_id(), current->pid);
	}
	if (gfp_mask & __GFP_DIRECT_RECLAIM)
		mm_might_sleep("mm/mempool.c:380");
	gfp_mask |= __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN;
	gfp_temp = gfp_mask & ~(__GFP_DIRECT_RECLAIM | __GFP_IO);
	for (;;) {
		element = pool->alloc(gfp_temp, pool->pool_data);
		if (element)
			return path_done(waited ? MEMPOOL_PATH_WAITED :
					 gfp_temp == gfp_mask ? MEMPOOL_PATH_RETRY : MEMPOOL_PATH_FAST, t0, element);
		cost_cycles(MEMPOOL_BASE_CYCLES);
		if (pool->curr_nr) {
			element = remove_element(pool);
			return path_done(waited ? MEMPOOL_PATH_WAITED : MEMPOOL_PATH_RESERVE, t0, element);
		}
		if (gfp_temp != gfp_mask) {
			gfp_temp = gfp_mask;
			continue;
		}
		if (!(gfp_mask & __GFP_DIRECT_RECLAIM))
			return path_done(MEMPOOL_PATH_FAIL, t0, NULL);
		if (!sim_current()) {
			sim_warn("mempool_alloc: would wait for a free outside any sim process; returning NULL");
			return path_done(MEMPOOL_PATH_FAIL, t0, NULL);
		}
		/* prepare_to_wait + io_schedule_timeout(5*HZ) + finish_wait */
		pool->nr_waiters++;
		bool woken = sim_wait_timeout(pool->wait, MEMPOOL_WAIT_TIMEOUT);
		pool->nr_waiters--;
		if (!woken) {
			P.timeouts++;
			if (P.timeouts_ctr)
				++*P.timeouts_ctr;
		}
		waited = true;
	}
}

static void __mempool_free_locked(void *element, mempool_t *pool);

/* one atomic section of the simulation: no other CPU interleaves mid-update (sim/engine.h) */
void mempool_free(void *element, mempool_t *pool)
{
	sim_atomic_begin();
	__mempool_free_locked(element, pool);
	sim_atomic_end();
}

static void __mempool_free_locked(void *element, mempool_t *pool)
{
	if (!element)
		return;
	if (pool->curr_nr < pool->min_nr) {
		cost_cycles(MEMPOOL_BASE_CYCLES);
		add_element(pool, element);
		if (pool->nr_waiters)
			sim_event_notify(pool->wait, 0);
		return;
	}
	pool->free(element, pool->pool_data);
}

int mempool_check(const mempool_t *pool)
{
	if (!pool)
		return 0;
	if (pool->curr_nr < 0 || pool->curr_nr > pool->min_nr) {
		sim_error("mempool_check: curr_nr %d outside 0..min_nr %d", pool->curr_nr, pool->min_nr);
		return -1;
	}
	for (int i = 0; i < pool->curr_nr; i++)
		if (!pool->elements[i]) {
			sim_error("mempool_check: element %d is NULL", i);
			return -1;
		}
	if (pool->nr_waiters < 0) {
		sim_error("mempool_check: %d waiters", pool->nr_waiters);
		return -1;
	}
	return 0;
}

/* --- pool helpers ------------------------------------------------------------------------ */

void *mempool_alloc_slab(gfp_t gfp_mask, void *pool_data)
{
	return kmem_cache_alloc((struct kmem_cache *)pool_data, gfp_mask);
}

void mempool_free_slab(void *element, void *pool_data)
{
	kmem_cache_free((struct kmem_cache *)pool_data, element);
}

void *mempool_kmalloc(gfp_t gfp_mask, void *pool_data)
{
	return kmalloc((size_t)(uintptr_t)pool_data, gfp_mask);
}

void mempool_kfree(void *element, void *pool_data)
{
	(void)pool_data;
	kfree(element);
}

void *mempool_alloc_pages(gfp_t gfp_mask, void *pool_data)
{
	return alloc_pages(gfp_mask, (unsigned)(uintptr_t)pool_data);
}

void mempool_free_pages(void *element, void *pool_data)
{
	__free_pages((struct page *)element, (unsigned)(uintptr_t)pool_data);
}

mempool_t *mempool_create_slab_pool(int min_nr, struct kmem_cache *kc)
{
	return mempool_create(min_nr, mempool_alloc_slab, mempool_free_slab, kc);
}

mempool_t *mempool_create_kmalloc_pool(int min_nr, size_t size)
{
	return mempool_create(min_nr, mempool_kmalloc, mempool_kfree, (void *)(uintptr_t)size);
}

mempool_t *mempool_create_page_pool(int min_nr, int order)
{
	return mempool_create(min_nr, mempool_alloc_pages, mempool_free_pages, (void *)(uintptr_t)order);
}
