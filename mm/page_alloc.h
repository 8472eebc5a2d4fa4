/* SPDX-License-Identifier: MIT */
/*
 * mm/page_alloc.h — the public page API of the kernel model (Linux 6.1 names
 * and signatures): struct page and its accessors, alloc_pages / free_pages and
 * friends, page <-> pfn <-> direct-map address conversions, reference counts,
 * and the owner/type tag other allocators (slab, vmalloc, percpu, page tables,
 * LRU) use to find their metadata from an address.
 *
 * struct page is the model's compact per-page state (12 bytes per simulated
 * 4 KiB page; the kernel's is 64 bytes and is still *accounted* in memblock at
 * that size, and its simulated address pfn_to_vmemmap(pfn) is what costs are
 * charged against). Fields are private to mm/page_alloc*: use the accessors.
 *
 * Context: every function here runs in the current simulated context
 * (this_ctx()); allocation may charge simulated time.
 */
#ifndef MMSIM_MM_PAGE_ALLOC_H
#define MMSIM_MM_PAGE_ALLOC_H

#include <stdbool.h>
#include <stdint.h>
#include "machine/cost.h"          /* PAGE_SHIFT, PAGE_SIZE, PAGE_OFFSET, NUMA_NO_NODE */
#include "mm/gfp.h"

/* --- orders (6.1: MAX_ORDER exclusive) ------------------------------------ */
#define MAX_ORDER               11
#define MAX_ORDER_NR_PAGES      (1UL << (MAX_ORDER - 1))
#define PAGE_ALLOC_COSTLY_ORDER 3
#define pageblock_order         9
#define pageblock_nr_pages      (1UL << pageblock_order)
#define NR_PAGE_ORDERS          MAX_ORDER

/* zone_type / migratetype enums live in mm/gfp.h (ZONE_DMA.., MIGRATE_..). */
#define NR_ZONES                MAX_NR_ZONES
extern const char *const zone_names[MAX_NR_ZONES];        /* "DMA","DMA32","Normal","Movable","Device" */
extern const char *const migratetype_names[MIGRATE_TYPES]; /* "Unmovable",... "Isolate" */

/* --- nodemask ------------------------------------------------------------- */
#define MAX_NUMNODES 64
typedef struct { uint64_t bits; } nodemask_t;
static inline bool node_isset(int nid, const nodemask_t *m) { return (m->bits >> nid) & 1; }
static inline void node_set(int nid, nodemask_t *m) { m->bits |= 1ULL << nid; }
static inline void nodes_clear(nodemask_t *m) { m->bits = 0; }

/* --- struct page ---------------------------------------------------------- */
/* What an allocated (or free) page is used for. */
enum page_type {
	PGTY_NONE = 0,       /* not allocated and not a buddy head: pcp-cached, tail of a free block, hole */
	PGTY_BUDDY,          /* head of a free block in the buddy free lists */
	PGTY_SLAB,
	PGTY_VMALLOC,
	PGTY_PERCPU,
	PGTY_PGTABLE,
	PGTY_ANON,
	PGTY_FILE,
	PGTY_KERNEL,         /* default for a freshly allocated page */
	PGTY_RESERVED,       /* memblock-reserved at boot, never freed to the buddy */
	PGTY_NR
};

/*
 * Private layout (12 bytes):
 *   flags: bits 0-3 order, 4-7 page_type, 8-10 migratetype of the list it is
 *          on (pcp/buddy), 11 PG_buddy, 12 PG_head, 13 PG_tail, 14 PG_pcp,
 *          15 PG_reserved, 16 PG_compound (allocated with __GFP_COMP),
 *          17 PG_zeroed-on-free hint (unused), 18-31 spare.
 *   a/b:   free: next/prev pfn of the free list (PFN_NONE ends);
 *          allocated head: a = refcount, b = owner data;
 *          compound tail: a = head pfn, b = 0.
 */
struct page {
	uint32_t flags;
	uint32_t a;
	uint32_t b;
};

#define PG_ORDER_MASK   0x0000000fu
#define PG_TYPE_SHIFT   4
#define PG_TYPE_MASK    0x000000f0u
#define PG_MT_SHIFT     8
#define PG_MT_MASK      0x00000700u
#define PG_buddy        (1u << 11)
#define PG_head         (1u << 12)
#define PG_tail         (1u << 13)
#define PG_pcp          (1u << 14)
#define PG_reserved     (1u << 15)
#define PG_compound     (1u << 16)

extern struct page *mem_map;          /* indexed by pfn, lazily touched host memory */
extern unsigned long max_pfn;         /* one past the highest RAM pfn */

static inline unsigned long page_to_pfn(const struct page *page) { return (unsigned long)(page - mem_map); }
static inline struct page *pfn_to_page(unsigned long pfn) { return mem_map + pfn; }
/** pfn_valid() - @pfn lies below max_pfn (it may still be a hole: check PageReserved). */
static inline bool pfn_valid(unsigned long pfn) { return mem_map && pfn < max_pfn; }
static inline phys_addr_t page_to_phys(const struct page *page) { return (phys_addr_t)page_to_pfn(page) << PAGE_SHIFT; }
/** page_address() - direct-map kernel virtual address of @page. */
static inline unsigned long page_address(const struct page *page) { return PAGE_OFFSET + (page_to_pfn(page) << PAGE_SHIFT); }
static inline unsigned long virt_to_pfn(unsigned long va) { return (va - PAGE_OFFSET) >> PAGE_SHIFT; }
/** virt_to_page() - page of a direct-map address (not vmalloc: use vmalloc_to_page). */
static inline struct page *virt_to_page(unsigned long va) { return pfn_to_page(virt_to_pfn(va)); }
static inline unsigned long pfn_to_virt(unsigned long pfn) { return PAGE_OFFSET + (pfn << PAGE_SHIFT); }
static inline struct page *phys_to_page(phys_addr_t pa) { return pfn_to_page(pa >> PAGE_SHIFT); }
/** page_vmemmap_addr() - simulated address of the kernel's struct page (for costs). */
static inline unsigned long page_vmemmap_addr(const struct page *page) { return pfn_to_vmemmap(page_to_pfn(page)); }

static inline bool PageBuddy(const struct page *p) { return p->flags & PG_buddy; }
static inline bool PageHead(const struct page *p) { return p->flags & PG_head; }
static inline bool PageTail(const struct page *p) { return p->flags & PG_tail; }
static inline bool PageCompound(const struct page *p) { return p->flags & (PG_head | PG_tail); }
static inline bool PageReserved(const struct page *p) { return p->flags & PG_reserved; }
/** buddy_order() - order of a free buddy block head (valid only if PageBuddy). */
static inline unsigned buddy_order(const struct page *p) { return p->flags & PG_ORDER_MASK; }

/** compound_head() - the head page of a compound page (itself if not a tail). */
static inline struct page *compound_head(struct page *p)
{
	return (p->flags & PG_tail) ? pfn_to_page(p->a) : p;
}
static inline struct page *virt_to_head_page(unsigned long va) { return compound_head(virt_to_page(va)); }
/** compound_order() - order of a compound head (0 for non-compound pages). */
static inline unsigned compound_order(const struct page *p)
{
	return (p->flags & PG_head) ? (p->flags & PG_ORDER_MASK) : 0;
}
/** page_alloc_order() - order an allocated head page was allocated with (compound or not). */
static inline unsigned page_alloc_order(const struct page *p) { return p->flags & PG_ORDER_MASK; }

/* --- owner / type of allocated pages ----------------------------------------- */
/** page_type() - what @page is used for (the head's type for compound tails). */
static inline enum page_type page_type(const struct page *p)
{
	if (p->flags & PG_tail)
		p = pfn_to_page(p->a);
	return (enum page_type)((p->flags & PG_TYPE_MASK) >> PG_TYPE_SHIFT);
}
/**
 * page_set_owner() - tag an allocated (head) page with its user and a 32-bit
 * datum the owner interprets (e.g. an index into the slab descriptor table).
 * Only valid while the page is allocated; freeing resets it.
 */
static inline void page_set_owner(struct page *p, enum page_type type, uint32_t owner_data)
{
	p->flags = (p->flags & ~PG_TYPE_MASK) | ((uint32_t)type << PG_TYPE_SHIFT);
	p->b = owner_data;
}
/** page_owner_data() - the owner's datum of @p (the head's, for compound tails). */
static inline uint32_t page_owner_data(const struct page *p)
{
	if (p->flags & PG_tail)
		p = pfn_to_page(p->a);
	return p->b;
}

/* --- reference counts (§4.4) ----------------------------------------------------- */
/* Refcounts are valid for allocated pages only (free pages reuse the field for list links). */
static inline int page_ref_count(const struct page *p) { return (int32_t)p->a; }
/** page_count() - refcount of the head page. */
static inline int page_count(struct page *p) { return page_ref_count(compound_head(p)); }
static inline void get_page(struct page *p) { p = compound_head(p); p->a++; }
/** put_page() - drop a reference; the last one frees the (compound) page. */
void put_page(struct page *page);
/** release_pages() - put_page() on @nr pages, freeing order-0 ones in a batch (mm_page_free_batched). */
void release_pages(struct page **pages, int nr);

/* --- node / zone of a page ------------------------------------------------------- */
int page_to_nid(const struct page *page);
enum zone_type page_zonenum(const struct page *page);
/** page_pageblock_mt() - migratetype of the pageblock containing @page. */
int page_pageblock_mt(const struct page *page);

/* --- allocation ----------------------------------------------------------------- */
/** get_order() - smallest order whose size is ≥ @size (size 0: 52, as the kernel's constant path). */
static inline unsigned get_order(unsigned long size)
{
	if (size == 0)
		return 64 - PAGE_SHIFT;
	size = (size - 1) >> PAGE_SHIFT;
	return size ? (unsigned)(64 - __builtin_clzl(size)) : 0;
}

/**
 * __alloc_pages() - the heart of the buddy allocator.
 * @gfp: GFP flags; @order: 0..MAX_ORDER-1; @preferred_nid: first node of the
 * zonelist; @nodemask: allowed nodes or NULL.
 * Context: any; blocking masks from atomic context are reported (BUG: sleeping
 * function called from invalid context) and proceed.
 * Return: the first page of 2^order pages with refcount 1, or NULL.
 */
struct page *__alloc_pages(gfp_t gfp, unsigned order, int preferred_nid, nodemask_t *nodemask);
/** alloc_pages() - default mempolicy: the local node of the current CPU. */
struct page *alloc_pages(gfp_t gfp, unsigned order);
/** alloc_pages_node() - on @nid (NUMA_NO_NODE = local node). */
struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned order);
/** __get_free_pages() - alloc_pages without __GFP_HIGHMEM; direct-map address or 0. */
unsigned long __get_free_pages(gfp_t gfp, unsigned order);
static inline unsigned long __get_free_page(gfp_t gfp) { return __get_free_pages(gfp, 0); }
/** get_zeroed_page() - one zeroed page's address or 0. */
unsigned long get_zeroed_page(gfp_t gfp);

/** __free_pages() - drop a reference to a 2^order block; frees it on the last one (§4.4). */
void __free_pages(struct page *page, unsigned order);
/** free_pages() - __free_pages(virt_to_page(addr), order); no-op for 0. */
void free_pages(unsigned long addr, unsigned order);
static inline void free_page(unsigned long addr) { free_pages(addr, 0); }
/** drain_all_pages() - return every CPU's pcp pages to the buddy (NULL zone = all zones). */
struct zone;
void drain_all_pages(struct zone *zone);
/** drain_local_pages() - the current CPU only. */
void drain_local_pages(struct zone *zone);

/* --- queries used by other subsystems ------------------------------------------- */
/* numa_node_id() is machine/cpu.h's. */
int numa_mem_id(void);                        /* nearest node with memory of the current CPU's node */
unsigned long nr_free_pages(void);            /* Σ NR_FREE_PAGES over zones */
unsigned long totalram_pages(void);           /* Σ managed pages */
unsigned long node_free_pages(int nid);
unsigned long node_managed_pages(int nid);

#endif /* MMSIM_MM_PAGE_ALLOC_H */
