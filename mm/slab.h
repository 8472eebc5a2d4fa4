/* SPDX-License-Identifier: MIT */
/*
 * mm/slab.h — the slab allocator (SLUB) and the kmalloc families of Linux 6.1,
 * plus RCU-deferred frees of slab objects.
 *
 * Addresses: every object pointer handed out or taken back is a *simulated*
 * kernel virtual address (the direct map, PAGE_OFFSET + phys) carried in a
 * `void *` for fidelity with the kernel API (kmalloc returns void *). It is
 * never dereferenced on the host: memory contents are not modelled (DESIGN §3).
 * Convert with (unsigned long)p when an address is needed.
 *
 * Call sites: the kernel records _RET_IP_ in the kmalloc / kfree trace events.
 * The plain API records its own name ("kmalloc", "kfree" ...); the *_caller
 * variants take a call-site string printed as-is (e.g. "__build_skb+0x24/0x60",
 * what ftrace's %pS shows), which is how trace replay reproduces the original
 * lines. The string must outlive the call (string literals, or interned).
 *
 * Context: callable from any simulated context (task, softirq, hardirq);
 * blocking GFP masks from atomic context are the page allocator's to report.
 * Facts: reference/linux-mm-facts.md §10, §14.3, §15.2.
 */
#ifndef MMSIM_MM_SLAB_H
#define MMSIM_MM_SLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "mm/gfp.h"

typedef unsigned int slab_flags_t;

/* --- kmem_cache_create flags (include/linux/slab.h, 6.1 values) ------------ */
#define SLAB_CONSISTENCY_CHECKS 0x00000100u   /* debug: check on free */
#define SLAB_RED_ZONE           0x00000400u   /* debug: guard words around objects */
#define SLAB_POISON             0x00000800u   /* debug: poison free objects */
#define SLAB_HWCACHE_ALIGN      0x00002000u   /* align objects on cache lines */
#define SLAB_CACHE_DMA          0x00004000u   /* slab pages with GFP_DMA */
#define SLAB_CACHE_DMA32        0x00008000u   /* slab pages with GFP_DMA32 */
#define SLAB_STORE_USER         0x00010000u   /* debug: store last owner */
#define SLAB_RECLAIM_ACCOUNT    0x00020000u   /* pages __GFP_RECLAIMABLE, SReclaimable */
#define SLAB_TEMPORARY          SLAB_RECLAIM_ACCOUNT
#define SLAB_PANIC              0x00040000u   /* panic if creation fails */
#define SLAB_TYPESAFE_BY_RCU    0x00080000u   /* slab pages freed after a grace period */
#define SLAB_MEM_SPREAD         0x00100000u   /* cpuset memory spreading (no effect here) */
#define SLAB_TRACE              0x00200000u   /* debug: trace allocs and frees */
#define SLAB_DEBUG_OBJECTS      0x00400000u
#define SLAB_NOLEAKTRACE        0x00800000u   /* kmemleak off for this cache */
#define SLAB_FAILSLAB           0x02000000u
#define SLAB_ACCOUNT            0x04000000u   /* every object charged to memcg */
#define SLAB_NO_USER_FLAGS      0x10000000u   /* slub_debug= does not apply (kmalloc) */

/* Flags merging never crosses / flags that forbid merging (mm/slab_common.c). */
#define SLAB_MERGE_SAME  (SLAB_RECLAIM_ACCOUNT | SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | SLAB_ACCOUNT)
#define SLAB_NEVER_MERGE (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_TRACE | \
			  SLAB_TYPESAFE_BY_RCU | SLAB_NOLEAKTRACE | SLAB_FAILSLAB)
#define SLAB_DEBUG_FLAGS (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_TRACE | \
			  SLAB_CONSISTENCY_CHECKS)
/* What kmem_cache_create accepts (SLAB_FLAGS_PERMITTED of 6.1 SLUB); else -EINVAL. */
#define SLAB_FLAGS_PERMITTED (SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | \
			      SLAB_PANIC | SLAB_TYPESAFE_BY_RCU | SLAB_DEBUG_OBJECTS | \
			      SLAB_DEBUG_FLAGS | SLAB_MEM_SPREAD | SLAB_NOLEAKTRACE | \
			      SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT | SLAB_NO_USER_FLAGS)

/* --- kmalloc constants (x86-64, §10.1) ------------------------------------- */
#define ARCH_KMALLOC_MINALIGN   8
#define ARCH_SLAB_MINALIGN      8
#define KMALLOC_MIN_SIZE        8
#define KMALLOC_SHIFT_LOW       3
#define KMALLOC_SHIFT_HIGH      13                       /* PAGE_SHIFT + 1 */
#define KMALLOC_SHIFT_MAX       22                       /* MAX_ORDER + PAGE_SHIFT - 1 */
#define KMALLOC_MAX_CACHE_SIZE  (1UL << KMALLOC_SHIFT_HIGH)   /* 8192 */
#define KMALLOC_MAX_SIZE        (1UL << KMALLOC_SHIFT_MAX)    /* 4 MiB */
#define KMALLOC_MAX_ORDER       (KMALLOC_SHIFT_MAX - 12)
#define MAX_OBJS_PER_PAGE       32767
#define SLUB_MAX_ORDER_DEFAULT  3                        /* slub_max_order = PAGE_ALLOC_COSTLY_ORDER */
#define MIN_PARTIAL             5
#define MAX_PARTIAL             10
#define CACHE_LINE_SIZE         64

/* size 0: a unique non-NULL "pointer" that faults on dereference (16). */
#define ZERO_SIZE_PTR           ((void *)16)
#define ZERO_OR_NULL_PTR(x)     ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

enum kmalloc_cache_type {
	KMALLOC_NORMAL = 0,
	KMALLOC_CGROUP,          /* "kmalloc-cg-N" (__GFP_ACCOUNT) */
	KMALLOC_RECLAIM,         /* "kmalloc-rcl-N" (__GFP_RECLAIMABLE) */
	KMALLOC_DMA,             /* "dma-kmalloc-N" (__GFP_DMA) */
	NR_KMALLOC_TYPES
};

struct kmem_cache;             /* opaque; see kmem_cache_*() accessors below */

/* --- geometry (pure; usable without a booted machine) ---------------------- */
/**
 * struct slab_geometry - what calculate_sizes()/calculate_order() derive.
 * @object_size: requested size; @size: object stride; @align; @inuse: offset of
 * the metadata after the object; @offset: free pointer offset; @order/@objects:
 * preferred slab (s->oo); @min_order/@min_objects: fallback (s->min);
 * @min_partial, @cpu_partial (objects), @cpu_partial_slabs.
 */
struct slab_geometry {
	unsigned int object_size, size, align, inuse, offset, red_left_pad;
	unsigned int order, objects, min_order, min_objects;
	unsigned long min_partial;
	unsigned int cpu_partial, cpu_partial_slabs;
};

/** calculate_alignment() - §10.2: HWCACHE_ALIGN halving, at least 8, multiple of 8. */
unsigned int calculate_alignment(slab_flags_t flags, unsigned int align, unsigned int size);
/**
 * calculate_order() - slab order for objects of @size with @nr_cpus present CPUs
 * (min_objects = 4 × (fls(nr_cpus) + 1)), slub_max_order 3.
 * Return: order, or -ENOSYS if nothing fits below MAX_ORDER.
 */
int calculate_order(unsigned int size, unsigned int nr_cpus);
/**
 * slab_calculate_geometry() - the whole of calculate_sizes() for a cache of
 * @size/@align/@flags (with or without a constructor) on @nr_cpus CPUs.
 * Return: 0, or -EINVAL if the object cannot be placed.
 */
int slab_calculate_geometry(unsigned int size, unsigned int align, slab_flags_t flags,
			    bool has_ctor, unsigned int nr_cpus, struct slab_geometry *g);
/** kmalloc_index() - kmalloc_caches index for @size (0 for 0, 1 = 96, 2 = 192, 3..13), -1 above 8 KiB. */
int kmalloc_index(size_t size);
/** kmalloc_size() - object size of kmalloc index @i (8..8192, 96, 192); 0 if unused. */
unsigned int kmalloc_size(int i);
/** kmalloc_type() - which family a kmalloc with @flags uses (DMA > RECLAIM > CGROUP). */
enum kmalloc_cache_type kmalloc_type(gfp_t flags);

/* --- boot -------------------------------------------------------------------- */
/**
 * kmem_cache_init() - create the boot caches ("kmem_cache_node", "kmem_cache")
 * and the four kmalloc families. Called once by mm boot after the page
 * allocator is up (mm_boot), before any user of slab. Also starts the RCU model.
 * Return: 0 or -ENOMEM.
 */
int kmem_cache_init(void);
/** kmem_cache_shutdown() - forget every cache (host memory only; for mm_shutdown). */
void kmem_cache_shutdown(void);
/** slab_is_available() - kmem_cache_init() has completed. */
bool slab_is_available(void);

/* --- caches ------------------------------------------------------------------ */
/**
 * kmem_cache_create() - create a cache (or alias a compatible one, as the
 * kernel merges). @name is copied. @ctor(obj) runs once per object when a slab
 * is populated, with the simulated address of the object.
 * Return: the cache, or NULL (unknown flags, bad size: "kmem_cache_create(<name>)
 * failed with error <n>" in dmesg; SLAB_PANIC prints the panic line instead).
 */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *));
/**
 * kmem_cache_create_usercopy() - as kmem_cache_create with a whitelisted
 * region [@useroffset, @useroffset + @usersize) for copy_to/from_user; a
 * non-zero @usersize makes the cache unmergeable (6.1). Bad regions are
 * ignored with a WARN, as in the kernel.
 */
struct kmem_cache *kmem_cache_create_usercopy(const char *name, unsigned int size,
					      unsigned int align, slab_flags_t flags,
					      unsigned int useroffset, unsigned int usersize,
					      void (*ctor)(void *));
/**
 * kmem_cache_destroy() - drop a reference; the last one flushes and frees every
 * empty slab. Objects still in use are reported like the kernel ("Objects
 * remaining in <name> on __kmem_cache_shutdown()", "kmem_cache_destroy <name>:
 * Slab cache still has objects") and the cache is left in place.
 */
void kmem_cache_destroy(struct kmem_cache *s);
/** kmem_cache_shrink() - flush cpu slabs, free empty slabs, sort partial lists. Return 0. */
int kmem_cache_shrink(struct kmem_cache *s);

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags);
void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t flags, int node);
void *kmem_cache_alloc_caller(struct kmem_cache *s, gfp_t flags, int node, const char *caller);
void kmem_cache_free(struct kmem_cache *s, void *obj);
static inline void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t flags)
{ return kmem_cache_alloc(s, flags | __GFP_ZERO); }
void kmem_cache_free_caller(struct kmem_cache *s, void *obj, const char *caller);
/** kmem_cache_alloc_bulk() - all-or-nothing: @size objects into @p, or 0 (nothing kept). */
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t size, void **p);
/** kmem_cache_free_bulk() - free @size objects; @s NULL = each object's own cache (kfree_bulk). */
void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p);
static inline void kfree_bulk(size_t size, void **p) { kmem_cache_free_bulk(NULL, size, p); }

/* Read-only accessors. */
const char *kmem_cache_name(const struct kmem_cache *s);
unsigned int kmem_cache_size(const struct kmem_cache *s);        /* object_size */
unsigned int kmem_cache_stride(const struct kmem_cache *s);      /* s->size */
void kmem_cache_geometry(const struct kmem_cache *s, struct slab_geometry *g);
slab_flags_t kmem_cache_flags(const struct kmem_cache *s);
int kmem_cache_refcount(const struct kmem_cache *s);             /* aliases + 1 */
/** kmem_cache_find() - a cache by name (not aliases); NULL if none. Not for hot paths. */
struct kmem_cache *kmem_cache_find(const char *name);
/** kmalloc_cache() - the kmalloc cache of @type for index @i (NULL if not created). */
struct kmem_cache *kmalloc_cache(enum kmalloc_cache_type type, int i);
/** kmalloc_slab() - the cache kmalloc(@size, @flags) uses; ZERO_SIZE_PTR for 0, NULL above 8 KiB. */
struct kmem_cache *kmalloc_slab(size_t size, gfp_t flags);

/* Usage totals of one cache as /proc/slabinfo computes them. */
struct slabinfo {
	unsigned long active_objs, num_objs, active_slabs, num_slabs;
	unsigned int objsize, objperslab, pagesperslab;
};
void kmem_cache_get_slabinfo(struct kmem_cache *s, struct slabinfo *out);

/* --- kmalloc ------------------------------------------------------------------ */
void *kmalloc(size_t size, gfp_t flags);
void *kmalloc_node(size_t size, gfp_t flags, int node);
void *kmalloc_track_caller(size_t size, gfp_t flags, const char *caller);
void *kmalloc_node_track_caller(size_t size, gfp_t flags, int node, const char *caller);
static inline void *kzalloc(size_t size, gfp_t flags) { return kmalloc(size, flags | __GFP_ZERO); }
static inline void *kzalloc_node(size_t size, gfp_t flags, int node)
{ return kmalloc_node(size, flags | __GFP_ZERO, node); }
/** kmalloc_array() - NULL (no allocation, no warning) if @n × @size overflows. */
void *kmalloc_array(size_t n, size_t size, gfp_t flags);
void *kmalloc_array_node(size_t n, size_t size, gfp_t flags, int node);
static inline void *kcalloc(size_t n, size_t size, gfp_t flags)
{ return kmalloc_array(n, size, flags | __GFP_ZERO); }
static inline void *kcalloc_node(size_t n, size_t size, gfp_t flags, int node)
{ return kmalloc_array_node(n, size, flags | __GFP_ZERO, node); }
/** krealloc() - §10.4: in place if ksize fits, else allocate, copy ksize(p), free. */
void *krealloc(const void *p, size_t new_size, gfp_t flags);
/** krealloc_array() - krealloc(@p, @n × @size); NULL (p untouched) on overflow. */
void *krealloc_array(void *p, size_t n, size_t size, gfp_t flags);
/** ksize() - usable size of a kmalloc'd object (0 for NULL / ZERO_SIZE_PTR). */
size_t ksize(const void *p);
/** kmalloc_size_roundup() - the size kmalloc(@size) really allocates. */
size_t kmalloc_size_roundup(size_t size);
void kfree(const void *p);
void kfree_caller(const void *p, const char *caller);
/** kfree_sensitive() - zero ksize(p) bytes (charged), then kfree. */
void kfree_sensitive(const void *p);
/** is_kmalloc_large() - @p is a live >8 KiB kmalloc (page allocator, __GFP_COMP). */
bool is_kmalloc_large(const void *p);
/** kmem_obj_cache() - the cache owning slab object @p, or NULL if @p is not in a slab page. */
struct kmem_cache *kmem_obj_cache(const void *p);

/* --- RCU frees (mm/rcu.c) ------------------------------------------------------- */
/**
 * kfree_rcu() - kfree @p after an RCU grace period. Batched per CPU: a batch is
 * handed to RCU after KFREE_DRAIN_JIFFIES (5 s in 6.1.y) or at once when it
 * reaches KVFREE_BULK_MAX_ENTR (510) pointers, then freed after the grace period.
 */
void kfree_rcu(const void *p);
/** kvfree_rcu_fn() - as kfree_rcu with a custom free function (kvfree_rcu for kvmalloc). */
void kvfree_rcu_fn(const void *p, void (*free_fn)(const void *p));

/* --- views ----------------------------------------------------------------------- */
/** slab_print_slabinfo() - /proc/slabinfo (version 2.1), newest cache first like the kernel. */
void slab_print_slabinfo(FILE *f);
/** Pages in slabs (+ large kmalloc) for meminfo: SReclaimable / SUnreclaim (in pages). */
unsigned long slab_reclaimable_pages(void);
unsigned long slab_unreclaimable_pages(void);
unsigned long slab_node_reclaimable_pages(int nid);
unsigned long slab_node_unreclaimable_pages(int nid);
/**
 * slab_print_cache_stats() - per-cache SLUB stat items (CONFIG_SLUB_STATS names:
 * alloc_fastpath, alloc_slowpath, free_fastpath, ... cpu_partial_drain), one
 * row per cache, newest first.
 */
void slab_print_cache_stats(FILE *f);
/** kmem_cache_stat() - one SLUB stat item of @s by name ("alloc_fastpath"); 0 if unknown. */
uint64_t kmem_cache_stat(const struct kmem_cache *s, const char *item);
/** slab_print_meminfo() - the "Slab:", "SReclaimable:", "SUnreclaim:" lines of /proc/meminfo. */
void slab_print_meminfo(FILE *f);

/* --- shrinker hooks (for vmscan): reclaimable caches ------------------------------ */
/**
 * struct slab_shrinker - a cache whose objects the owner can drop on request
 * (dentry/inode-like). @count returns freeable objects; @scan frees up to
 * @nr_to_scan of them (through kmem_cache_free) and returns how many it freed
 * (or SHRINK_STOP). Registered with slab_register_shrinker().
 */
#define SHRINK_STOP (~0UL)
struct slab_shrinker {
	unsigned long (*count_objects)(struct slab_shrinker *sh, int nid);
	unsigned long (*scan_objects)(struct slab_shrinker *sh, int nid, unsigned long nr_to_scan,
				      gfp_t gfp);
	int seeks;                        /* DEFAULT_SEEKS 2 */
	void *priv;
	struct kmem_cache *cache;         /* optional: the cache it frees into */
	struct slab_shrinker *next;
};
#define DEFAULT_SEEKS 2
int slab_register_shrinker(struct slab_shrinker *sh);
void slab_unregister_shrinker(struct slab_shrinker *sh);
/** slab_shrinkers() - head of the registered list (vmscan walks it). */
struct slab_shrinker *slab_shrinkers(void);

/* --- statistics and checks ---------------------------------------------------------- */
enum slab_misuse {
	SLAB_MISUSE_DOUBLE_FREE,          /* "Object already free" */
	SLAB_MISUSE_INVALID_FREE,         /* not an object start / unknown address */
	SLAB_MISUSE_WRONG_CACHE,          /* kmem_cache_free: Wrong slab cache */
	SLAB_MISUSE_NOT_SLAB,             /* kmem_cache_free / kfree of a non-slab page */
	SLAB_MISUSE_VMALLOC_FREE,         /* kfree of a vmalloc-space address */
	SLAB_MISUSE_ZERO_CTOR,            /* __GFP_ZERO on a cache with a constructor */
	SLAB_MISUSE_UNEXPECTED_GFP,       /* GFP_SLAB_BUG_MASK bits: "Unexpected gfp" */
	SLAB_MISUSE_DESTROY_BUSY,         /* kmem_cache_destroy with objects in use */
	SLAB_MISUSE_TOO_LARGE,            /* kmalloc above KMALLOC_MAX_SIZE */
	NR_SLAB_MISUSE
};
/** slab_misuse_count() - occurrences of one misuse kind since boot. */
unsigned long slab_misuse_count(enum slab_misuse kind);

/** slab_check() - validate every cache, slab and list (counts, states, links). 0 or -1 (logged). */
int slab_check(void);
/** kmem_cache_check() - the same for one cache. */
int kmem_cache_check(struct kmem_cache *s);
/** slab_total_objects_inuse() - objects handed out and not freed, over all caches. */
unsigned long slab_total_objects_inuse(void);
/** kmem_cache_objects_inuse() - of one cache (exact, unlike slabinfo's active_objs). */
unsigned long kmem_cache_objects_inuse(struct kmem_cache *s);

/**
 * slab_flush_cpu_slab() - deactivate @cpu's slab and cpu partial slabs of @s
 * (flush_slab + unfreeze_partials, what kmem_cache_shrink and cpu hotplug do).
 */
void slab_flush_cpu_slab(struct kmem_cache *s, int cpu);

#endif /* MMSIM_MM_SLAB_H */
