/* SPDX-License-Identifier: MIT */
/*
 * mm/slab_common.c — kmalloc of Linux 6.1 (mm/slab_common.c, include/linux/slab.h).
 *
 * What it models
 *   - The kmalloc caches: four families (kmalloc-N, kmalloc-cg-N,
 *     kmalloc-rcl-N, dma-kmalloc-N) for 8..8192 bytes plus 96 and 192,
 *     created at boot in the kernel's order (per family 8, 16, 32, 64, 96,
 *     128, 192, 256 ... 8k), the size → index table (size_index[] up to 192,
 *     fls(size-1) above) and kmalloc_type() (DMA > RECLAIMABLE > ACCOUNT).
 *   - kmalloc / kmalloc_node / kmalloc_array / krealloc / ksize / kfree /
 *     kfree_sensitive / kmalloc_size_roundup; ZERO_SIZE_PTR for size 0;
 *     > 8 KiB straight from the page allocator with __GFP_COMP, accounted as
 *     unreclaimable slab (NR_SLAB_UNRECLAIMABLE_B), > 4 MiB refused with the
 *     page allocator's WARN; GFP_SLAB_BUG_MASK bits stripped with
 *     "Unexpected gfp" when pages are needed.
 *   - kfree() misuse: vmalloc-space addresses, non-slab pages, free pages.
 *   - The kmalloc / kfree trace events (6.1 layout with node= and accounted=).
 *
 * Invariants: a large kmalloc's head page is tagged PGTY_KERNEL with owner
 * datum KMALLOC_LARGE_TAG while live, and its pages are counted in the
 * node's unreclaimable slab pages.
 * Simplified vs Linux 6.1: kmalloc caches are all unmergeable (in 6.1 they
 * carry usersize = size, which forbids merging; KMALLOC_NORMAL also has
 * refcount -1); no memcg charging; init_on_alloc off.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cpu.h"          /* before mm/page_alloc.h: numa_node_id */
#include "mm/slab_internal.h"
#include "mm/rcu.h"
#include "mm/page_alloc.h"
#include "mm/sched.h"
#include "machine/cost.h"
#include "sim/log.h"

#define KMALLOC_LARGE_TAG 0x6b6d6c67u          /* 'kmlg' */
#define KMALLOC_INDEX_CYCLES 5                 /* size → cache lookup [U] */

static struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];

/* size_index[(size - 1) / 8] for sizes 1..192 */
static const uint8_t size_index[24] = {
	3, 4, 5, 5, 6, 6, 6, 6,     /* 8 16 24 32 40 48 56 64 */
	1, 1, 1, 1, 7, 7, 7, 7,     /* 72..96 → 96, 104..128 → 128 */
	2, 2, 2, 2, 2, 2, 2, 2,     /* 136..192 → 192 */
};

static const char *const kmalloc_size_name[KMALLOC_SHIFT_HIGH + 1] = {
	NULL, "96", "192", "8", "16", "32", "64", "128", "256", "512", "1k", "2k", "4k", "8k",
};

int kmalloc_index(size_t size)
{
	if (!size)
		return 0;
	if (size <= 192)
		return size_index[(size - 1) / 8];
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return -1;
	return 64 - __builtin_clzl(size - 1);
}

unsigned int kmalloc_size(int i)
{
	if (i == 1)
		return 96;
	if (i == 2)
		return 192;
	if (i >= KMALLOC_SHIFT_LOW && i <= KMALLOC_SHIFT_HIGH)
		return 1u << i;
	return 0;
}

enum kmalloc_cache_type kmalloc_type(gfp_t flags)
{
	if (!(flags & (__GFP_DMA | __GFP_RECLAIMABLE | __GFP_ACCOUNT)))
		return KMALLOC_NORMAL;
	if (flags & __GFP_DMA)
		return KMALLOC_DMA;
	if (flags & __GFP_RECLAIMABLE)
		return KMALLOC_RECLAIM;
	return KMALLOC_CGROUP;
}

struct kmem_cache *kmalloc_cache(enum kmalloc_cache_type type, int i)
{
	if ((unsigned)type >= NR_KMALLOC_TYPES || i < 0 || i > KMALLOC_SHIFT_HIGH)
		return NULL;
	return kmalloc_caches[type][i];
}

struct kmem_cache *kmalloc_slab(size_t size, gfp_t flags)
{
	int i;

	if (!size)
		return (struct kmem_cache *)ZERO_SIZE_PTR;
	i = kmalloc_index(size);
	if (i < 0)
		return NULL;
	return kmalloc_caches[kmalloc_type(flags)][i];
}

static int new_kmalloc_cache(int idx, enum kmalloc_cache_type type)
{
	static const char *const fmt[NR_KMALLOC_TYPES] = {
		"kmalloc-%s", "kmalloc-cg-%s", "kmalloc-rcl-%s", "dma-kmalloc-%s",
	};
	static const slab_flags_t tflags[NR_KMALLOC_TYPES] = {
		0, SLAB_ACCOUNT, SLAB_RECLAIM_ACCOUNT, SLAB_CACHE_DMA,
	};
	char name[32];
	struct kmem_cache *s;
	int err;

	snprintf(name, sizeof(name), fmt[type], kmalloc_size_name[idx]);
	s = slab_create_cache(name, kmalloc_size(idx), 0, tflags[type] | SLAB_NO_USER_FLAGS,
			      NULL, &err);
	if (!s) {
		sim_printk("Kernel panic - not syncing: Creation of kmalloc slab %s size=%u failed. "
			   "Reason %d", name, kmalloc_size(idx), err);
		return err;
	}
	/* kmalloc-N: natural alignment for powers of two (align = size). */
	s->unmergeable = true;
	s->is_kmalloc = true;
	kmalloc_caches[type][idx] = s;
	return 0;
}

int create_kmalloc_caches(void)
{
	memset(kmalloc_caches, 0, sizeof(kmalloc_caches));
	for (int type = KMALLOC_NORMAL; type < NR_KMALLOC_TYPES; type++) {
		for (int i = KMALLOC_SHIFT_LOW; i <= KMALLOC_SHIFT_HIGH; i++) {
			int err = new_kmalloc_cache(i, (enum kmalloc_cache_type)type);

			if (err)
				return err;
			if (i == 6 && (err = new_kmalloc_cache(1, (enum kmalloc_cache_type)type)))
				return err;
			if (i == 7 && (err = new_kmalloc_cache(2, (enum kmalloc_cache_type)type)))
				return err;
		}
	}
	return 0;
}

/* --- trace --------------------------------------------------------------------- */
void trace_kmalloc_ev(const char *caller, unsigned long ptr, size_t req, size_t alloc,
		      gfp_t gfp, int node, bool accounted_cache, struct trace_event *ev)
{
	char buf[GFP_STR_MAX];

	trace_emit(ev, "call_site=%s ptr=%016llx bytes_req=%zu bytes_alloc=%zu gfp_flags=%s "
		   "node=%d accounted=%s", caller, (unsigned long long)trace_hash_ptr(ptr), req,
		   alloc, gfp_format(gfp, buf, sizeof(buf)), node,
		   ((gfp & __GFP_ACCOUNT) || accounted_cache) ? "true" : "false");
}

/* --- large kmalloc ---------------------------------------------------------------- */
static unsigned long kmalloc_large_node(size_t size, gfp_t flags, int node)
{
	unsigned int order = get_order(size);
	struct page *page;

	if (flags & GFP_SLAB_BUG_MASK)
		flags = kmalloc_fix_flags(flags);
	flags |= __GFP_COMP;
	if (order >= MAX_ORDER) {
		/* alloc_pages: WARN_ON_ONCE_GFP(order >= MAX_ORDER, gfp) */
		slab_misuse(SLAB_MISUSE_TOO_LARGE);
		if (!(flags & __GFP_NOWARN))
			sim_printk("WARNING: CPU: %d PID: %d at mm/page_alloc.c __alloc_pages: "
				   "order %u >= MAX_ORDER (kmalloc of %zu bytes)",
				   smp_processor_id(), current->pid, order, size);
		return 0;
	}
	page = alloc_pages_node(node, flags, order);
	if (!page)
		return 0;
	page_set_owner(page, PGTY_KERNEL, KMALLOC_LARGE_TAG);
	slab_account_pages(page_to_nid(page), false, 1L << order);
	return page_address(page);
}

static struct page *large_kmalloc_page(unsigned long addr)
{
	struct page *page;

	if (!is_direct_map(addr) || !pfn_valid(virt_to_pfn(addr)) || (addr & ~PAGE_MASK))
		return NULL;
	page = virt_to_page(addr);
	if (!PageHead(page) || page_type(page) != PGTY_KERNEL ||
	    page_owner_data(page) != KMALLOC_LARGE_TAG)
		return NULL;
	return page;
}

bool is_kmalloc_large(const void *p)
{
	return large_kmalloc_page((unsigned long)p) != NULL;
}

static void free_large_kmalloc(struct page *page)
{
	unsigned int order = page_alloc_order(page);

	slab_account_pages(page_to_nid(page), false, -(1L << order));
	page_set_owner(page, PGTY_KERNEL, 0);
	__free_pages(page, order);
}

/* --- kmalloc ------------------------------------------------------------------------ */
static void *do_kmalloc_node(size_t size, gfp_t flags, int node, const char *caller)
{
	uint64_t t0 = slab_lat_start();
	enum slab_path path = SPATH_LARGE;
	struct kmem_cache *s;
	unsigned long obj;

	if (size > KMALLOC_MAX_CACHE_SIZE) {
		obj = kmalloc_large_node(size, flags, node);
		if (ev_kmalloc && trace_on(ev_kmalloc))
			trace_kmalloc_ev(caller, obj, size, PAGE_SIZE << get_order(size), flags,
					 node, false, ev_kmalloc);
		slab_lat_end(SAPI_KMALLOC, obj ? SPATH_LARGE : SPATH_FAILED, t0);
		return (void *)obj;
	}
	if (!size)
		return ZERO_SIZE_PTR;
	cost_cycles(KMALLOC_INDEX_CYCLES);
	s = kmalloc_caches[kmalloc_type(flags)][size <= 192 ? size_index[(size - 1) / 8]
							     : 64 - __builtin_clzl(size - 1)];
	if (!s)
		return NULL;                     /* before kmem_cache_init */
	obj = slab_alloc_node(s, flags, node, &path);
	if (ev_kmalloc && trace_on(ev_kmalloc))
		trace_kmalloc_ev(caller, obj, size, s->size, flags, node, false, ev_kmalloc);
	slab_lat_end(SAPI_KMALLOC, path, t0);
	return (void *)obj;
}

void *kmalloc(size_t size, gfp_t flags)
{
	return do_kmalloc_node(size, flags, NUMA_NO_NODE, "kmalloc");
}

void *kmalloc_node(size_t size, gfp_t flags, int node)
{
	return do_kmalloc_node(size, flags, node, "kmalloc_node");
}

void *kmalloc_track_caller(size_t size, gfp_t flags, const char *caller)
{
	return do_kmalloc_node(size, flags, NUMA_NO_NODE, caller ? caller : "kmalloc");
}

void *kmalloc_node_track_caller(size_t size, gfp_t flags, int node, const char *caller)
{
	return do_kmalloc_node(size, flags, node, caller ? caller : "kmalloc_node");
}

void *kmalloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return do_kmalloc_node(bytes, flags, NUMA_NO_NODE, "kmalloc_array");
}

void *kmalloc_array_node(size_t n, size_t size, gfp_t flags, int node)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return do_kmalloc_node(bytes, flags, node, "kmalloc_array_node");
}

size_t kmalloc_size_roundup(size_t size)
{
	if (size && size <= KMALLOC_MAX_CACHE_SIZE) {
		struct kmem_cache *s = kmalloc_slab(size, GFP_KERNEL);

		return s ? kmem_cache_size(s) : 0;
	}
	if (size && size <= KMALLOC_MAX_SIZE)
		return PAGE_SIZE << get_order(size);
	return size;
}

size_t ksize(const void *p)
{
	unsigned long addr = (unsigned long)p;
	struct slab *sl;
	struct page *page;
	struct kmem_cache *s;

	if (ZERO_OR_NULL_PTR(p))
		return 0;
	sl = addr_to_slab(addr);
	if (sl && sl->cache) {
		s = sl->cache;
		if (s->flags & (SLAB_RED_ZONE | SLAB_POISON))
			return s->object_size;
		if (s->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_STORE_USER))
			return s->inuse;
		return s->size;
	}
	page = large_kmalloc_page(addr);
	if (page)
		return PAGE_SIZE << page_alloc_order(page);
	return 0;
}

void *krealloc(const void *p, size_t new_size, gfp_t flags)
{
	size_t ks = 0;
	void *ret;

	if (!new_size) {
		kfree_caller(p, "krealloc");
		return ZERO_SIZE_PTR;
	}
	if (!ZERO_OR_NULL_PTR(p))
		ks = ksize(p);
	if (ks >= new_size)
		return (void *)p;
	ret = do_kmalloc_node(new_size, flags, NUMA_NO_NODE, "krealloc");
	if (ret && !ZERO_OR_NULL_PTR(p)) {
		if (cost_timing_on())
			mem_copy_phys(virt_to_phys_addr((unsigned long)ret),
				      virt_to_phys_addr((unsigned long)p), ks);
		kfree_caller(p, "krealloc");
	}
	return ret;
}

void *krealloc_array(void *p, size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return krealloc(p, bytes, flags);
}

/* --- kfree -------------------------------------------------------------------------- */
static void kfree_bad(unsigned long addr, const char *caller)
{
	if (is_vmalloc_addr_range(addr)) {
		slab_misuse(SLAB_MISUSE_VMALLOC_FREE);
		sim_printk("WARNING: CPU: %d PID: %d at arch/x86/mm/physaddr.c __phys_addr",
			   smp_processor_id(), current->pid);
		sim_printk("virt_to_phys used for non-linear address: 0x%016lx (%s)", addr, caller);
		sim_printk("kfree() of a vmalloc address: use vfree()/kvfree()");
		return;
	}
	if (!is_direct_map(addr) || !pfn_valid(virt_to_pfn(addr))) {
		slab_misuse(SLAB_MISUSE_INVALID_FREE);
		sim_printk("BUG: unable to handle page fault for address: %016lx", addr);
		sim_printk("kfree() of unknown address 0x%016lx from %s", addr, caller);
		return;
	}
	{
		struct page *page = compound_head(virt_to_page(addr));
		enum page_type t = page_type(page);

		if (t == PGTY_BUDDY || t == PGTY_NONE) {
			slab_misuse(SLAB_MISUSE_INVALID_FREE);
			sim_printk("BUG: Bad page state in process %s  pfn:%05lx", current->comm,
				   page_to_pfn(page));
			sim_printk("kfree() of free memory 0x%016lx from %s", addr, caller);
			return;
		}
		slab_misuse(SLAB_MISUSE_NOT_SLAB);
		sim_printk("WARNING: CPU: %d PID: %d at mm/slab_common.c free_large_kmalloc",
			   smp_processor_id(), current->pid);
		sim_printk("object pointer: 0x%016lx", addr);
		sim_printk("kfree() from %s of a page that is not from kmalloc (left allocated)",
			   caller);
	}
}

void kfree_caller(const void *p, const char *caller)
{
	if (ev_kfree && trace_on(ev_kfree))
		trace_emit(ev_kfree, "call_site=%s ptr=%016llx", caller,
			   (unsigned long long)trace_hash_ptr((unsigned long)p));
	kfree_notrace(p, caller);
}

void kfree_notrace(const void *p, const char *caller)
{
	uint64_t t0 = slab_lat_start();
	unsigned long addr = (unsigned long)p;
	struct slab *sl;
	struct page *page;
	int path;

	if (ZERO_OR_NULL_PTR(p))
		return;
	sl = addr_to_slab(addr);
	if (sl && sl->cache) {
		path = slab_free_obj(sl->cache, sl, addr, caller);
		if (path >= 0)
			slab_lat_end(SAPI_KFREE, (enum slab_path)path, t0);
		return;
	}
	page = large_kmalloc_page(addr);
	if (page) {
		free_large_kmalloc(page);
		slab_lat_end(SAPI_KFREE, SPATH_LARGE, t0);
		return;
	}
	kfree_bad(addr, caller);
}

void kfree(const void *p)
{
	kfree_caller(p, "kfree");
}

void kfree_sensitive(const void *p)
{
	size_t ks = ksize(p);

	if (ks && cost_timing_on())
		mem_zero_phys(virt_to_phys_addr((unsigned long)p), ks);
	kfree_caller(p, "kfree_sensitive");
}

/* --- RCU frees --------------------------------------------------------------------------- */
void kvfree_rcu_fn(const void *p, void (*free_fn)(const void *p))
{
	if (ZERO_OR_NULL_PTR(p))
		return;
	rcu_kfree_batch_add((unsigned long)p, free_fn);
}

/* kfree_rcu_work frees a batch with kfree_bulk(): no kfree events in 6.1. */
static void kfree_rcu_one(const void *p)
{
	kfree_notrace(p, "kfree_rcu_work");
}

void kfree_rcu(const void *p)
{
	kvfree_rcu_fn(p, kfree_rcu_one);
}

void slab_common_reset(void)
{
	memset(kmalloc_caches, 0, sizeof(kmalloc_caches));
}
