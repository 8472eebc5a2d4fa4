/* SPDX-License-Identifier: MIT */
/*
 * mm/mempool.h — memory pools (include/linux/mempool.h, Linux 6.1): a
 * reserve of pre-allocated elements that guarantees forward progress to
 * callers that can sleep, with slab / kmalloc / page pool helpers.
 *
 * Elements are opaque `void *` values produced by the pool's alloc function
 * (simulated addresses for slab/kmalloc pools, struct page * for page pools).
 * The pool structure lives on the host; its kernel footprint (the kzalloc'd
 * mempool_t and the kmalloc'd element array) is allocated in the simulated
 * kernel so it is accounted and costs what it costs.
 *
 * Blocking: mempool_alloc() with __GFP_DIRECT_RECLAIM and nothing available
 * waits on the pool's sim event for up to 5 s of simulated time
 * (io_schedule_timeout(5*HZ)); mempool_free() that refills the reserve
 * notifies it. Outside a sim process there is nobody to wake us, so a wait
 * that would block returns NULL instead (with a warning on stderr).
 * Facts: reference/linux-mm-facts.md §12, §16.19.
 */
#ifndef MMSIM_MM_MEMPOOL_H
#define MMSIM_MM_MEMPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include "mm/gfp.h"
#include "sim/engine.h"

struct kmem_cache;
struct sim_event;

typedef void *(mempool_alloc_t)(gfp_t gfp_mask, void *pool_data);
typedef void (mempool_free_t)(void *element, void *pool_data);

typedef struct mempool_s {
	int min_nr;                     /* nr of elements at *elements */
	int curr_nr;                    /* current nr of elements at *elements */
	void **elements;                /* host array (LIFO stack) */
	void *pool_data;
	mempool_alloc_t *alloc;
	mempool_free_t *free;
	struct sim_event *wait;         /* pool->wait */
	int nr_waiters;
	int node;
	unsigned long pool_va;          /* simulated kzalloc'd mempool_t */
	unsigned long elements_va;      /* simulated kmalloc'd element array */
} mempool_t;

/** MEMPOOL_WAIT_TIMEOUT - io_schedule_timeout(5*HZ). */
#define MEMPOOL_WAIT_TIMEOUT (5 * SIM_SEC)

/**
 * mempool_create_node() - allocate a pool and pre-fill it with @min_nr
 * elements from @alloc_fn(@gfp_mask). Any failure frees everything.
 * Return: the pool or NULL.
 */
mempool_t *mempool_create_node(int min_nr, mempool_alloc_t *alloc_fn, mempool_free_t *free_fn,
			       void *pool_data, gfp_t gfp_mask, int node_id);
/** mempool_create() - mempool_create_node(..., GFP_KERNEL, NUMA_NO_NODE). */
mempool_t *mempool_create(int min_nr, mempool_alloc_t *alloc_fn, mempool_free_t *free_fn,
			  void *pool_data);
/** mempool_destroy() - free every reserved element and the pool (NULL ignored). */
void mempool_destroy(mempool_t *pool);
/**
 * mempool_resize() - shrink (free surplus) or grow (new array with GFP_KERNEL,
 * top up from alloc_fn(GFP_KERNEL), stopping silently on failure).
 * Return: 0, or -ENOMEM if the new array cannot be allocated.
 */
int mempool_resize(mempool_t *pool, int new_min_nr);
/**
 * mempool_alloc() - 6.1 algorithm: gfp |= NOMEMALLOC|NORETRY|NOWARN; try
 * alloc_fn without DIRECT_RECLAIM|IO; else pop the reserve; else retry with
 * the full mask; else NULL if the caller cannot sleep; else wait up to 5 s for
 * a mempool_free and start over. Never fails for sleeping callers (in a process).
 * @gfp_mask must not contain __GFP_ZERO (warned once).
 */
void *mempool_alloc(mempool_t *pool, gfp_t gfp_mask);
/** mempool_free() - refill the reserve (and wake waiters) if below min_nr, else free_fn. */
void mempool_free(void *element, mempool_t *pool);

/* Pool helpers. */
void *mempool_alloc_slab(gfp_t gfp_mask, void *pool_data);
void mempool_free_slab(void *element, void *pool_data);
void *mempool_kmalloc(gfp_t gfp_mask, void *pool_data);    /* pool_data = (void *)size */
void mempool_kfree(void *element, void *pool_data);
void *mempool_alloc_pages(gfp_t gfp_mask, void *pool_data); /* pool_data = (void *)order */
void mempool_free_pages(void *element, void *pool_data);
mempool_t *mempool_create_slab_pool(int min_nr, struct kmem_cache *kc);
mempool_t *mempool_create_kmalloc_pool(int min_nr, size_t size);
mempool_t *mempool_create_page_pool(int min_nr, int order);

/** mempool_init_stats() - register latency histograms and counters (idempotent per boot). */
void mempool_init_stats(void);
/** mempool_check() - 0 <= curr_nr <= min_nr, no NULL element. 0 or -1 (logged). */
int mempool_check(const mempool_t *pool);

/* Where mempool_alloc's successful or failed calls ended up. */
enum mempool_path {
	MEMPOOL_PATH_FAST,              /* alloc_fn without DIRECT_RECLAIM|IO */
	MEMPOOL_PATH_RESERVE,           /* popped from the reserve */
	MEMPOOL_PATH_RETRY,             /* alloc_fn with the full mask */
	MEMPOOL_PATH_WAITED,            /* succeeded after at least one wait */
	MEMPOOL_PATH_FAIL,              /* non-sleeping caller got NULL */
	NR_MEMPOOL_PATHS
};
unsigned long mempool_path_count(enum mempool_path p);
/** mempool_wait_timeouts() - waits that ended by the 5 s timeout, not by a free. */
unsigned long mempool_wait_timeouts(void);

#endif /* MMSIM_MM_MEMPOOL_H */
