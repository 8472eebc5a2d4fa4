/* SPDX-License-Identifier: MIT */
/*
 * mm/slab_internal.h — internals shared by mm/slub.c and mm/slab_common.c
 * (the kernel's mm/slab.h). Nothing outside mm/slub.c, mm/slab_common.c and
 * mm/rcu.c includes it.
 */
#ifndef MMSIM_MM_SLAB_INTERNAL_H
#define MMSIM_MM_SLAB_INTERNAL_H

#include <stdint.h>
#include "mm/slab.h"
#include "sim/stats.h"
#include "sim/trace.h"

#define SLAB_NIL 0xffffffffu

/* Where a slab is (the kernel encodes this in frozen + list membership). */
enum slab_state {
	SLAB_UNUSED = 0,        /* descriptor free */
	SLAB_CPU,               /* frozen: a CPU's active slab (c->slab) */
	SLAB_CPU_PARTIAL,       /* frozen: on a CPU's partial chain */
	SLAB_NODE_PARTIAL,      /* on kmem_cache_node->partial */
	SLAB_FULL,              /* no free object, on no list (non-debug SLUB) */
	SLAB_RCU_PENDING,       /* discarded, pages freed after a grace period */
};

/*
 * struct slab - one slab's descriptor, indexed by the page's owner_data.
 * The free objects are a LIFO stack of object indices (the kernel's freelist
 * chained through the objects: alloc pops the head, free pushes it), plus an
 * allocated-bit per object for double-free detection. While the slab is a
 * CPU's active slab the stack is the CPU freelist (c->freelist) and objects
 * freed by other CPUs go to a second stack growing down from the end of the
 * array (slab->freelist, taken by get_freelist when c->freelist runs dry):
 *   stack[0 .. nfree-nremote)         c->freelist (top = next object)
 *   stack[objects-nremote .. objects) slab->freelist (stack[objects-nremote] = head)
 */
struct slab {
	struct kmem_cache *cache;
	uint16_t *stack;                 /* free object indices, top = stack[nfree-1] */
	uint64_t *used;                  /* bit set = object allocated */
	unsigned long base;              /* simulated address of object 0 */
	uint32_t pfn;
	uint32_t next, prev;             /* node partial list / cpu partial chain */
	uint16_t objects, nfree;
	uint16_t slabs;                  /* cpu partial: chain length from here (slab->slabs) */
	uint16_t cpu;                    /* owner CPU while frozen */
	uint8_t order, node, state, chunk_class;
	uint16_t nremote;                /* SLAB_CPU only: remote frees (slab->freelist) */
};

struct kmem_cache_cpu {
	uint32_t slab;                   /* SLAB_NIL if none */
	uint32_t partial;                /* head of the cpu partial chain */
	unsigned long va;                /* simulated address of this kmem_cache_cpu (32 B) */
};

struct kmem_cache_node {
	uint32_t head, tail;             /* partial list */
	unsigned long nr_partial;
	unsigned long nr_slabs, total_objects;
	unsigned long va;                /* simulated address (object of "kmem_cache_node") */
};

/* SLUB stat items (CONFIG_SLUB_STATS names) */
enum stat_item {
	ALLOC_FASTPATH, ALLOC_SLOWPATH, FREE_FASTPATH, FREE_SLOWPATH, FREE_FROZEN,
	FREE_ADD_PARTIAL, FREE_REMOVE_PARTIAL, ALLOC_FROM_PARTIAL, ALLOC_SLAB, ALLOC_REFILL,
	ALLOC_NODE_MISMATCH, FREE_SLAB, CPUSLAB_FLUSH, DEACTIVATE_FULL, DEACTIVATE_EMPTY,
	DEACTIVATE_TO_HEAD, DEACTIVATE_TO_TAIL, DEACTIVATE_REMOTE_FREES, DEACTIVATE_BYPASS,
	ORDER_FALLBACK, CPU_PARTIAL_ALLOC, CPU_PARTIAL_FREE, CPU_PARTIAL_NODE, CPU_PARTIAL_DRAIN,
	NR_SLUB_STAT_ITEMS
};

struct kmem_cache {
	char *name;
	unsigned int object_size, size, align, inuse, offset, red_left_pad;
	slab_flags_t flags;
	gfp_t allocflags;
	void (*ctor)(void *obj);
	unsigned int oo_order, oo_objects, min_order, min_objects;
	unsigned long min_partial;
	unsigned int cpu_partial, cpu_partial_slabs;
	int refcount;
	bool unmergeable;                /* kmalloc-N with MEMCG_KMEM (6.1: refcount -1) */
	bool is_kmalloc;
	bool warned_zero_ctor;
	unsigned int useroffset, usersize;
	unsigned int id;                 /* creation order */
	unsigned long va;                /* simulated address (object of "kmem_cache") */
	struct kmem_cache_cpu *cpu_slab; /* [nr_cpu_ids] */
	struct kmem_cache_node *node;    /* [nr_nodes] */
	struct kmem_cache *list_next;    /* slab_caches, newest first */
	unsigned long objects_inuse;     /* exact count (model's own, for checks) */
	uint64_t stats[NR_SLUB_STAT_ITEMS];
};

/* Latency histograms: API × path, indexed on the hot path. */
enum slab_api { SAPI_KMALLOC, SAPI_KMEM_CACHE_ALLOC, SAPI_KFREE, SAPI_KMEM_CACHE_FREE, NR_SAPI };
enum slab_path {
	SPATH_FAST,          /* cpu freelist */
	SPATH_SLOW,          /* alloc: cpu/node partial or refill; free: __slab_free */
	SPATH_NEW_SLAB,      /* alloc: new slab from the page allocator; free: slab discarded */
	SPATH_FAILED,
	SPATH_LARGE,         /* > 8 KiB kmalloc / its kfree: page allocator */
	NR_SPATH
};
extern struct hist *slab_lat[NR_SAPI][NR_SPATH];
extern bool slab_timing;                 /* cost_timing_on() sampled per call */

/* Trace events (registered by kmem_cache_init; NULL before). */
extern struct trace_event *ev_kmalloc, *ev_kmem_cache_alloc, *ev_kfree, *ev_kmem_cache_free;

/* Misuse accounting (slub.c). */
void slab_misuse(enum slab_misuse kind);

/* slub.c services for slab_common.c */
struct slab *slab_at(uint32_t id);
/** addr_to_slab() - the slab holding direct-map address @addr (NULL if not a slab page). */
struct slab *addr_to_slab(unsigned long addr);
/** slab_alloc_node() - allocate one object; *@path says which path served it. 0 on failure. */
unsigned long slab_alloc_node(struct kmem_cache *s, gfp_t gfp, int node, enum slab_path *path);
/**
 * slab_free_obj() - free @addr (known to be in @slab of @s); detects invalid
 * pointers and double frees (reported, nothing freed). Return: path, or -1 on misuse.
 */
int slab_free_obj(struct kmem_cache *s, struct slab *slab, unsigned long addr, const char *caller);
/** kfree_notrace() - kfree without the kfree event (kfree_bulk, kfree_rcu batches). */
void kfree_notrace(const void *p, const char *caller);
/** kmalloc_fix_flags() - strip GFP_SLAB_BUG_MASK with the kernel's warning. */
gfp_t kmalloc_fix_flags(gfp_t flags);
#define GFP_SLAB_BUG_MASK (__GFP_DMA32 | __GFP_HIGHMEM | ~__GFP_BITS_MASK)

void trace_kmalloc_ev(const char *caller, unsigned long ptr, size_t req, size_t alloc,
		      gfp_t gfp, int node, bool accounted_cache, struct trace_event *ev);
void slab_account_pages(int nid, bool reclaimable, long pages);
/** kmalloc caches creation (slab_common.c), called by kmem_cache_init. */
int create_kmalloc_caches(void);
struct kmem_cache *slab_create_cache(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *), int *err);
/** Simulated-time stamp for latency (0 when timing is off). */
uint64_t slab_lat_start(void);
void slab_lat_end(enum slab_api api, enum slab_path path, uint64_t t0);
void slab_common_reset(void);

#endif /* MMSIM_MM_SLAB_INTERNAL_H */
