// SPDX-License-Identifier: MIT
/*
 * mm/page_alloc.c — the buddy allocator of Linux 6.1.y: free lists per order
 * and migratetype, split/merge, fallback stealing with watermark boosting, the
 * highatomic reserve, per-cpu page lists, watermarks and lowmem_reserve,
 * zonelists, the fast path and the slow path (§3–5 of the fact sheet).
 *
 * Invariants (checked by mm_check / buddy_check):
 *  - a free block head has PG_buddy, its order, and sits on exactly the list
 *    free_area[order].list[mt] where mt is stored in its flags; nr counts match;
 *  - NR_FREE_PAGES of a zone = Σ buddy blocks << order (pcp pages are
 *    "allocated" from the buddy's point of view, as in Linux);
 *  - pcp pages carry PG_pcp and sit on list 3×order+mt of one CPU; count = Σ;
 *  - a block is aligned to its order and lies inside its zone.
 * Simplified vs 6.1: no CMA/ISOLATE users, no THP pcp list, no cpusets
 * (ALLOC_CPUSET is carried but every node is allowed), no dirty-limit
 * spreading for __GFP_WRITE, no node_reclaim (zone_reclaim_mode = 0), no
 * page poisoning / debug checks except a "Bad page state" report on double
 * free. __GFP_NOFAIL outside a simulated process cannot wait for memory and
 * fails after one loop with an error (the kernel would loop forever).
 * Watermark boosts are only cleared by kswapd (issue 6); until then they stay.
 * Boot-time max-order MOVABLE blocks are kept as untouched ranges (struct
 * zone::lazy) and written to mem_map when first taken; blocks later moved to
 * the tail of that list land before them (ordering nuance only).
 * Costs: CYC_* base cycles are [U] placeholders (timing-defaults.md gives
 * ~100-200 ns for the pcp fast path); accesses go to the simulated struct page
 * (vmemmap), the zone's free_area inside the node's reserved pgdat, and the
 * pcp structure inside the percpu first chunk; __GFP_ZERO clears the pages
 * through mem_zero_phys.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cost.h"
#include "machine/cpu.h"
#include "mm/internal.h"
#include "mm/compaction.h"
#include "mm/memory.h"
#include "mm/percpu.h"
#include "mm/sched.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "mm/vmscan.h"
#include "sim/engine.h"
#include "sim/log.h"
#include "sim/stats.h"

/* --- base costs in cycles (machine/cost.h). [U] = placeholder, see timing-defaults.md:
 * "page allocator order-0 PCP fast path: use ~100–200 ns as a placeholder [U]". */
#define CYC_ALLOC_ENTRY      40    /* [U] __alloc_pages: gfp context, zonelist, wmark fast check */
#define CYC_PCP_ALLOC        60    /* [U] rmqueue_pcplist: irq save, list pop, stats */
#define CYC_PCP_FREE         60    /* [U] free_unref_page: prepare + commit */
#define CYC_ZONE_LOCK        50    /* [U] uncontended spin_lock_irqsave/unlock pair */
#define CYC_BUDDY_STEP       30    /* [U] one order of __rmqueue_smallest / expand / merge */
#define CYC_SLOWPATH         400   /* [U] __alloc_pages_slowpath entry + gfp_to_alloc_flags */
#define CYC_WMARK_CHECK      20    /* [U] __zone_watermark_ok */

/* --- latency histograms: api × order class × path ------------------------------ */
enum { API_ALLOC_PAGES, API_GET_FREE_PAGES, NR_API };
enum { PATH_PCP, PATH_BUDDY, PATH_SLOW, PATH_FAILED, NR_PATH };
#define NR_OCLASS 4
static struct hist *lat_hist[NR_API][NR_OCLASS][NR_PATH];
static const char *const api_names[NR_API] = { "alloc_pages", "__get_free_pages" };
static const char *const oclass_names[NR_OCLASS] = { "order0", "order1-3", "order4-8", "order9-10" };
static const char *const path_names[NR_PATH] = { "pcp", "buddy", "slowpath", "failed" };
static int last_path;               /* path of the allocation in progress */
static bool slow_taken;             /* the allocation in progress entered the slow path */

static inline int order_class(unsigned order)
{
	return order == 0 ? 0 : order <= 3 ? 1 : order <= 8 ? 2 : 3;
}

void page_alloc_init_stats(void)
{
	char name[128];

	for (int a = 0; a < NR_API; a++)
		for (int o = 0; o < NR_OCLASS; o++)
			for (int p = 0; p < NR_PATH; p++) {
				snprintf(name, sizeof(name), "mm.page_alloc.latency.%s.%s.%s",
					 api_names[a], oclass_names[o], path_names[p]);
				lat_hist[a][o][p] = stat_hist(name, "ps",
					"simulated latency of page allocations by API, order and path");
			}
}

void page_alloc_shutdown(void)
{
	memset(lat_hist, 0, sizeof(lat_hist));
}

/* --- helpers -------------------------------------------------------------------- */

static inline void charge(unsigned cycles)
{
	if (mm.timing)
		cost_cycles(cycles);
}

static inline void touch_page(unsigned long pfn, bool write)
{
	if (mm.timing)
		mem_access(pfn_to_vmemmap(pfn), 64, write);
}

static inline void touch_free_area(struct zone *z, unsigned order, int mt, bool write)
{
	if (mm.timing)
		mem_access(z->va_free_area + order * 128UL + (unsigned long)mt * 16, 16, write);
}

static inline void zone_lock(struct zone *z)
{
	if (mm.timing) {
		cost_cycles(CYC_ZONE_LOCK);
		mem_access(z->va_zone, 8, true);
	}
}

static inline int page_list_mt(const struct page *p) { return (int)((p->flags & PG_MT_MASK) >> PG_MT_SHIFT); }
static inline void set_page_list_mt(struct page *p, int mt)
{ p->flags = (p->flags & ~PG_MT_MASK) | ((uint32_t)mt << PG_MT_SHIFT); }

void set_pageblock_migratetype(unsigned long pfn, int mt)
{
	if (page_group_by_mobility_disabled && mt < MIGRATE_PCPTYPES)
		mt = MIGRATE_UNMOVABLE;
	pfn_pageblock(pfn)->mt = (uint8_t)mt;
}

int mm_numa_node_id(void)
{
	int cpu = smp_processor_id();
	return (cpu >= 0 && cpu < mm.nr_cpus) ? mm.cpu_node[cpu] : 0;
}

int numa_mem_id(void)
{
	int nid = mm_numa_node_id();
	struct pglist_data *pg = NODE_DATA(nid);

	if (pg && pg->node_present_pages)
		return nid;
	if (pg && pg->node_zonelists[ZONELIST_FALLBACK].nr)
		return pg->node_zonelists[ZONELIST_FALLBACK].zones[0]->node;
	return 0;
}

/* --- free lists ------------------------------------------------------------------ */

static inline void list_add_pfn(uint32_t *head, uint32_t *tail, unsigned long pfn, bool to_tail)
{
	struct page *p = pfn_to_page(pfn);

	if (*head == PFN_NONE) {
		p->a = p->b = PFN_NONE;
		*head = *tail = (uint32_t)pfn;
	} else if (to_tail) {
		p->a = PFN_NONE;
		p->b = *tail;
		pfn_to_page(*tail)->a = (uint32_t)pfn;
		*tail = (uint32_t)pfn;
	} else {
		p->b = PFN_NONE;
		p->a = *head;
		pfn_to_page(*head)->b = (uint32_t)pfn;
		*head = (uint32_t)pfn;
	}
}

static inline void list_del_pfn(uint32_t *head, uint32_t *tail, unsigned long pfn)
{
	struct page *p = pfn_to_page(pfn);

	if (p->b != PFN_NONE)
		pfn_to_page(p->b)->a = p->a;
	else
		*head = p->a;
	if (p->a != PFN_NONE)
		pfn_to_page(p->a)->b = p->b;
	else
		*tail = p->b;
	p->a = p->b = 0;
}

static inline void add_to_free_list(unsigned long pfn, struct zone *z, unsigned order, int mt, bool to_tail)
{
	struct free_area *area = &z->free_area[order];
	struct page *p = pfn_to_page(pfn);

	p->flags = PG_buddy | order | ((uint32_t)PGTY_BUDDY << PG_TYPE_SHIFT) | ((uint32_t)mt << PG_MT_SHIFT);
	list_add_pfn(&area->head[mt], &area->tail[mt], pfn, to_tail);
	area->nr[mt]++;
	area->nr_free++;
	z->vm_stat[NR_FREE_PAGES] += 1L << order;
	touch_free_area(z, order, mt, true);
	touch_page(pfn, true);
}

static inline void del_page_from_free_list(unsigned long pfn, struct zone *z, unsigned order)
{
	struct free_area *area = &z->free_area[order];
	struct page *p = pfn_to_page(pfn);
	int mt = page_list_mt(p);

	list_del_pfn(&area->head[mt], &area->tail[mt], pfn);
	area->nr[mt]--;
	area->nr_free--;
	z->vm_stat[NR_FREE_PAGES] -= 1L << order;
	p->flags = 0;
	touch_free_area(z, order, mt, true);
}

static inline void move_to_free_list(unsigned long pfn, struct zone *z, unsigned order, int mt)
{
	struct free_area *area = &z->free_area[order];
	struct page *p = pfn_to_page(pfn);
	int old = page_list_mt(p);

	list_del_pfn(&area->head[old], &area->tail[old], pfn);
	area->nr[old]--;
	list_add_pfn(&area->head[mt], &area->tail[mt], pfn, true);
	area->nr[mt]++;
	set_page_list_mt(p, mt);
}

/* --- lazily materialised boot blocks (see struct zone) --- */
static inline bool lazy_slot(unsigned order, int mt) { return order == MAX_ORDER - 1 && mt == MIGRATE_MOVABLE; }

static uint32_t lazy_materialize(struct zone *z)
{
	struct lazy_range *r = &z->lazy[z->lazy_cur];
	uint32_t pfn = r->start;
	struct free_area *area = &z->free_area[MAX_ORDER - 1];
	struct page *p = pfn_to_page(pfn);

	r->start += MAX_ORDER_NR_PAGES;
	if (r->start >= r->end)
		z->lazy_cur++;
	z->lazy_blocks--;
	p->flags = PG_buddy | (MAX_ORDER - 1) | ((uint32_t)PGTY_BUDDY << PG_TYPE_SHIFT) |
		   ((uint32_t)MIGRATE_MOVABLE << PG_MT_SHIFT);
	list_add_pfn(&area->head[MIGRATE_MOVABLE], &area->tail[MIGRATE_MOVABLE], pfn, true);
	return pfn;
}

/* free_area_empty() negated: is list (@order, @mt) non-empty? */
static inline bool area_has(struct zone *z, unsigned order, int mt)
{
	return z->free_area[order].head[mt] != PFN_NONE || (lazy_slot(order, mt) && z->lazy_blocks);
}

/* The first block of list (@order, @mt), materialising a boot block if needed. */
static inline uint32_t area_head(struct zone *z, unsigned order, int mt)
{
	uint32_t h = z->free_area[order].head[mt];

	if (h == PFN_NONE && lazy_slot(order, mt) && z->lazy_blocks)
		h = lazy_materialize(z);
	return h;
}

/* Boot: a max-order MOVABLE block freed without touching mem_map. */
static bool lazy_add(struct zone *z, unsigned long pfn)
{
	if (z->nr_lazy && z->lazy[z->nr_lazy - 1].end == pfn) {
		z->lazy[z->nr_lazy - 1].end += MAX_ORDER_NR_PAGES;
	} else {
		if (z->nr_lazy == z->lazy_cap) {
			int cap = z->lazy_cap ? z->lazy_cap * 2 : 16;
			struct lazy_range *n = realloc(z->lazy, (size_t)cap * sizeof(*n));
			if (!n)
				return false;
			z->lazy = n;
			z->lazy_cap = cap;
		}
		z->lazy[z->nr_lazy].start = (uint32_t)pfn;
		z->lazy[z->nr_lazy].end = (uint32_t)(pfn + MAX_ORDER_NR_PAGES);
		z->nr_lazy++;
	}
	z->lazy_blocks++;
	z->free_area[MAX_ORDER - 1].nr[MIGRATE_MOVABLE]++;
	z->free_area[MAX_ORDER - 1].nr_free++;
	z->vm_stat[NR_FREE_PAGES] += (long)MAX_ORDER_NR_PAGES;
	return true;
}

static bool pfn_in_lazy(struct zone *z, unsigned long pfn)
{
	for (int i = z->lazy_cur; i < z->nr_lazy; i++)
		if (pfn >= z->lazy[i].start && pfn < z->lazy[i].end)
			return true;
	return false;
}

/* page_is_buddy(): @bpfn is a free block of @order in zone @z. */
static inline bool pfn_is_buddy(struct zone *z, unsigned long bpfn, unsigned order)
{
	if (!zone_spans_pfn(z, bpfn))
		return false;
	const struct page *b = pfn_to_page(bpfn);
	return (b->flags & PG_buddy) && (b->flags & PG_ORDER_MASK) == order;
}

static inline bool mt_mergeable(int mt) { return mt < MIGRATE_PCPTYPES; }

/* __free_one_page(): merge with free buddies, then head or tail of the list. */
static void __free_one_page(unsigned long pfn, struct zone *z, unsigned order, int mt, bool fpi_to_tail)
{
	unsigned long buddy_pfn = 0;
	bool to_tail;

	charge(CYC_BUDDY_STEP);
	while (order < MAX_ORDER - 1) {
		buddy_pfn = pfn ^ (1UL << order);
		touch_page(buddy_pfn, false);
		if (!pfn_is_buddy(z, buddy_pfn, order))
			break;
		if (order >= pageblock_order) {
			int bmt = get_pageblock_migratetype(buddy_pfn);
			if (mt != bmt && (!mt_mergeable(mt) || !mt_mergeable(bmt)))
				break;
		}
		del_page_from_free_list(buddy_pfn, z, order);
		pfn &= buddy_pfn;
		order++;
		charge(CYC_BUDDY_STEP);
	}
	if (fpi_to_tail) {
		to_tail = true;
	} else if (!buddy_pfn || order >= MAX_ORDER - 2) {
		to_tail = false;
	} else {
		unsigned long higher = buddy_pfn & pfn;
		unsigned long hbuddy = higher ^ (1UL << (order + 1));
		to_tail = pfn_is_buddy(z, hbuddy, order + 1);
	}
	add_to_free_list(pfn, z, order, mt, to_tail);
}

/* expand(): split a 2^high block down to 2^low, upper halves back on the lists. */
static inline void expand(struct zone *z, unsigned long pfn, unsigned low, unsigned high, int mt)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		add_to_free_list(pfn + size, z, high, mt, false);
		charge(CYC_BUDDY_STEP);
	}
}

static inline bool pcp_allowed_order(unsigned order) { return order <= PAGE_ALLOC_COSTLY_ORDER; }

static struct page *__rmqueue_smallest(struct zone *z, unsigned order, int mt)
{
	for (unsigned o = order; o < MAX_ORDER; o++) {
		uint32_t pfn = area_head(z, o, mt);
		touch_free_area(z, o, mt, false);
		if (pfn == PFN_NONE)
			continue;
		del_page_from_free_list(pfn, z, o);
		expand(z, pfn, order, o, mt);
		struct page *page = pfn_to_page(pfn);
		set_page_list_mt(page, mt);
		if (trace_on(mm_ev.page_alloc_zone_locked))
			trace_mm_page_alloc_zone_locked(page, order, mt,
							pcp_allowed_order(order) && mt < MIGRATE_PCPTYPES);
		return page;
	}
	return NULL;
}

static const int fallbacks[MIGRATE_TYPES][2] = {
	[MIGRATE_UNMOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE },
	[MIGRATE_MOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE },
};

static bool can_steal_fallback(unsigned order, int start_mt)
{
	if (order >= pageblock_order)
		return true;
	if (order >= pageblock_order / 2 || start_mt == MIGRATE_RECLAIMABLE ||
	    start_mt == MIGRATE_UNMOVABLE || page_group_by_mobility_disabled)
		return true;
	return false;
}

static int find_suitable_fallback(struct zone *z, unsigned order, int mt, bool only_stealable,
				  bool *can_steal)
{
	*can_steal = false;
	if (mt >= MIGRATE_PCPTYPES || z->free_area[order].nr_free == 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		int fmt = fallbacks[mt][i];
		if (!area_has(z, order, fmt))
			continue;
		if (can_steal_fallback(order, mt))
			*can_steal = true;
		if (!only_stealable)
			return fmt;
		if (*can_steal)
			return fmt;
	}
	return -1;
}

/* A movable page in use: LRU (anon/file) pages in the model. */
static inline bool page_in_use_movable(const struct page *p)
{
	enum page_type t = page_type(p);
	return !(p->flags & (PG_buddy | PG_pcp | PG_reserved)) && (t == PGTY_ANON || t == PGTY_FILE);
}

/* move_freepages_block(): move the block's free pages to @mt; count movable pages in use. */
static unsigned long move_freepages_block(struct zone *z, unsigned long pfn, int mt, unsigned long *movable)
{
	unsigned long start = pfn & ~(pageblock_nr_pages - 1);
	unsigned long end = start + pageblock_nr_pages;
	unsigned long moved = 0;

	if (movable)
		*movable = 0;
	if (start < z->zone_start_pfn)
		start = z->zone_start_pfn;     /* partial block at a zone boundary */
	if (end > zone_end_pfn(z))
		end = zone_end_pfn(z);
	for (unsigned long p = start; p < end;) {
		struct page *pg = pfn_to_page(p);
		touch_page(p, false);
		if (!(pg->flags & PG_buddy)) {
			if (movable && page_in_use_movable(pg))
				(*movable)++;
			p++;
			continue;
		}
		unsigned order = buddy_order(pg);
		move_to_free_list(p, z, order, mt);
		p += 1UL << order;
		moved += 1UL << order;
	}
	return moved;
}

static bool boost_watermark(struct zone *z)
{
	unsigned long max_boost;

	if (!mm.watermark_boost_factor)
		return false;
	if (pageblock_nr_pages * 4 > z->managed_pages)
		return false;
	unsigned long high = z->_watermark[WMARK_HIGH];
	max_boost = (high / 10000) * (unsigned long)mm.watermark_boost_factor +
		    ((high % 10000) * (unsigned long)mm.watermark_boost_factor) / 10000;
	if (max_boost < pageblock_nr_pages)
		max_boost = pageblock_nr_pages;
	z->watermark_boost = z->watermark_boost + pageblock_nr_pages < max_boost ?
			     z->watermark_boost + pageblock_nr_pages : max_boost;
	return true;
}

static void steal_suitable_fallback(struct zone *z, unsigned long pfn, unsigned alloc_flags,
				    int start_type, bool whole_block)
{
	struct page *page = pfn_to_page(pfn);
	unsigned current_order = buddy_order(page);
	int old_block_type = get_pageblock_migratetype(pfn);
	unsigned long free_pages, movable_pages, alike;

	if (old_block_type == MIGRATE_HIGHATOMIC)
		goto single_page;
	if (current_order >= pageblock_order) {
		unsigned long n = 1UL << (current_order - pageblock_order);
		for (unsigned long i = 0; i < n; i++)
			set_pageblock_migratetype(pfn + i * pageblock_nr_pages, start_type);
		goto single_page;
	}
	if (boost_watermark(z) && (alloc_flags & ALLOC_KSWAPD))
		z->flags |= ZONE_BOOSTED_WATERMARK;
	if (!whole_block)
		goto single_page;
	free_pages = move_freepages_block(z, pfn, start_type, &movable_pages);
	if (!free_pages)
		goto single_page;
	if (start_type == MIGRATE_MOVABLE)
		alike = movable_pages;
	else if (old_block_type == MIGRATE_MOVABLE)
		alike = pageblock_nr_pages - (free_pages + movable_pages);
	else
		alike = 0;
	if (free_pages + alike >= (1UL << (pageblock_order - 1)) || page_group_by_mobility_disabled)
		set_pageblock_migratetype(pfn, start_type);
	return;
single_page:
	move_to_free_list(pfn, z, current_order, start_type);
}

static bool __rmqueue_fallback(struct zone *z, int order, int start_mt, unsigned alloc_flags)
{
	int current_order, min_order = order, fallback_mt = -1;
	bool can_steal;

	if (order < (int)pageblock_order && (alloc_flags & ALLOC_NOFRAGMENT))
		min_order = pageblock_order;
	for (current_order = MAX_ORDER - 1; current_order >= min_order; --current_order) {
		fallback_mt = find_suitable_fallback(z, (unsigned)current_order, start_mt, false, &can_steal);
		if (fallback_mt == -1)
			continue;
		if (!can_steal && start_mt == MIGRATE_MOVABLE && current_order > order)
			goto find_smallest;
		goto do_steal;
	}
	return false;
find_smallest:
	for (current_order = order; current_order < MAX_ORDER; current_order++) {
		fallback_mt = find_suitable_fallback(z, (unsigned)current_order, start_mt, false, &can_steal);
		if (fallback_mt != -1)
			break;
	}
	if (current_order >= MAX_ORDER)
		return false;
do_steal:;
	unsigned long pfn = area_head(z, (unsigned)current_order, fallback_mt);
	steal_suitable_fallback(z, pfn, alloc_flags, start_mt, can_steal);
	if (trace_on(mm_ev.page_alloc_extfrag))
		trace_mm_page_alloc_extfrag(pfn_to_page(pfn), order, current_order, start_mt, fallback_mt);
	return true;
}

static struct page *__rmqueue(struct zone *z, unsigned order, int mt, unsigned alloc_flags)
{
	struct page *page;
retry:
	page = __rmqueue_smallest(z, order, mt);
	if (!page && mt < MIGRATE_PCPTYPES && __rmqueue_fallback(z, (int)order, mt, alloc_flags))
		goto retry;
	return page;
}

/* --- per-cpu lists ---------------------------------------------------------------- */

static inline int order_to_pindex(int mt, unsigned order) { return (int)(MIGRATE_PCPTYPES * order) + mt; }
static inline unsigned pindex_to_order(int pindex) { return (unsigned)(pindex / MIGRATE_PCPTYPES); }

static inline struct per_cpu_pages *this_pcp(struct zone *z)
{
	int cpu = smp_processor_id();
	if (cpu < 0 || cpu >= mm.nr_cpus)
		cpu = 0;
	return &z->per_cpu_pageset[cpu];
}

unsigned long zone_pcp_count(struct zone *z, int cpu)
{
	return (unsigned long)z->per_cpu_pageset[cpu].count;
}

static int rmqueue_bulk(struct zone *z, unsigned order, int count, struct per_cpu_pages *pcp,
			int pindex, int mt, unsigned alloc_flags)
{
	int i;

	zone_lock(z);
	for (i = 0; i < count; i++) {
		struct page *page = __rmqueue(z, order, mt, alloc_flags);
		if (!page)
			break;
		unsigned long pfn = page_to_pfn(page);
		page->flags = PG_pcp | order | ((uint32_t)page_list_mt(page) << PG_MT_SHIFT);
		list_add_pfn(&pcp->head[pindex], &pcp->tail[pindex], pfn, true);
	}
	return i;
}

static void free_pcppages_bulk(struct zone *z, int count, struct per_cpu_pages *pcp, int pindex)
{
	int min_pindex = 0, max_pindex = NR_PCP_LISTS - 1;

	if (count > pcp->count)
		count = pcp->count;
	if (count <= 0)
		return;
	zone_lock(z);
	pindex = pindex - 1;
	while (count > 0) {
		do {
			if (++pindex > max_pindex)
				pindex = min_pindex;
			if (pcp->head[pindex] != PFN_NONE)
				break;
			if (pindex == max_pindex)
				max_pindex--;
			if (pindex == min_pindex)
				min_pindex++;
		} while (1);
		unsigned order = pindex_to_order(pindex);
		int nr = 1 << order;
		do {
			unsigned long pfn = pcp->tail[pindex];
			struct page *page = pfn_to_page(pfn);
			int mt = page_list_mt(page);
			list_del_pfn(&pcp->head[pindex], &pcp->tail[pindex], pfn);
			page->flags = 0;
			count -= nr;
			pcp->count -= nr;
			__free_one_page(pfn, z, order, mt, false);
			if (trace_on(mm_ev.page_pcpu_drain))
				trace_mm_page_pcpu_drain(page, order, mt);
		} while (count > 0 && pcp->head[pindex] != PFN_NONE);
	}
}

static inline int nr_pcp_high(struct per_cpu_pages *pcp, struct zone *z, bool free_high)
{
	int high = pcp->high;

	if (!high || free_high)
		return 0;
	if (!(z->flags & ZONE_RECLAIM_ACTIVE))
		return high;
	return (pcp->batch << 2) < high ? pcp->batch << 2 : high;
}

#define PCP_BATCH_SCALE_MAX 5

static inline int nr_pcp_free(struct per_cpu_pages *pcp, int high, int batch, bool free_high)
{
	int min_nr_free, max_nr_free;

	if (free_high)
		return pcp->count;
	if (high < batch)
		return 1;
	min_nr_free = batch;
	max_nr_free = high - batch;
	batch <<= pcp->free_factor;
	if (batch < max_nr_free && pcp->free_factor < PCP_BATCH_SCALE_MAX)
		pcp->free_factor++;
	if (batch < min_nr_free)
		batch = min_nr_free;
	if (batch > max_nr_free)
		batch = max_nr_free;
	return batch;
}

static void free_unref_page_commit(struct zone *z, struct per_cpu_pages *pcp, unsigned long pfn,
				   int pcpmt, int mt, unsigned order)
{
	struct page *page = pfn_to_page(pfn);
	int pindex = order_to_pindex(pcpmt, order);

	count_vm_events(PGFREE, 1UL << order);
	page->flags = PG_pcp | order | ((uint32_t)mt << PG_MT_SHIFT);
	list_add_pfn(&pcp->head[pindex], &pcp->tail[pindex], pfn, false);
	pcp->count += 1 << order;
	if (mm.timing) {
		cost_cycles(CYC_PCP_FREE);
		mem_access(pcp->va, 64, true);
		mem_access(pfn_to_vmemmap(pfn), 64, true);
	}
	bool free_high = pcp->free_factor && order && order <= PAGE_ALLOC_COSTLY_ORDER;
	int high = nr_pcp_high(pcp, z, free_high);
	if (pcp->count >= high)
		free_pcppages_bulk(z, nr_pcp_free(pcp, high, pcp->batch, free_high), pcp, pindex);
}

/* --- freeing ------------------------------------------------------------------------- */

static unsigned long bad_page_count;

static void bad_page(struct page *page, const char *reason)
{
	struct task_struct *t = current;

	bad_page_count++;
	sim_printk("BUG: Bad page state in process %s  pfn:%05lx\n", t->comm, page_to_pfn(page));
	sim_printk("page:%016llx refcount:%d mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x%lx\n",
		   (unsigned long long)mm_trace_page_ptr(page), page_ref_count(page), page_to_pfn(page));
	sim_printk("page dumped because: %s\n", reason);
}

/* free_pages_prepare(): trace, clear compound state and owner. False: do not free. */
static bool free_pages_prepare(struct page *page, unsigned order)
{
	if (page->flags & (PG_buddy | PG_pcp | PG_reserved)) {
		bad_page(page, (page->flags & PG_reserved) ? "PAGE_FLAGS_CHECK_AT_FREE flag(s) set" :
			 "nonzero _refcount");
		return false;
	}
	if (trace_on(mm_ev.page_free))
		trace_mm_page_free(page, order);
	if (page->flags & PG_head) {
		for (unsigned long i = 1; i < (1UL << order); i++) {
			struct page *t = page + i;
			t->flags = 0;
			t->a = t->b = 0;
		}
	}
	page->flags = 0;
	page->a = page->b = 0;
	return true;
}

static void free_one_page(struct zone *z, unsigned long pfn, unsigned order, int mt)
{
	zone_lock(z);
	__free_one_page(pfn, z, order, mt, false);
}

static void free_unref_page(struct page *page, unsigned order)
{
	unsigned long pfn = page_to_pfn(page);
	struct zone *z;
	int mt, pcpmt;

	if (!free_pages_prepare(page, order))
		return;
	mt = pcpmt = get_pageblock_migratetype(pfn);
	z = page_zone(page);
	if (mt >= MIGRATE_PCPTYPES) {
		if (mt == MIGRATE_ISOLATE) {
			count_vm_events(PGFREE, 1UL << order);
			free_one_page(z, pfn, order, mt);
			return;
		}
		pcpmt = MIGRATE_MOVABLE;
	}
	free_unref_page_commit(z, this_pcp(z), pfn, pcpmt, mt, order);
}

static void __free_pages_ok(struct page *page, unsigned order)
{
	unsigned long pfn = page_to_pfn(page);
	struct zone *z = page_zone(page);

	if (!free_pages_prepare(page, order))
		return;
	count_vm_events(PGFREE, 1UL << order);
	free_one_page(z, pfn, order, get_pageblock_migratetype(pfn));
}

static inline void free_the_page(struct page *page, unsigned order)
{
	if (pcp_allowed_order(order))
		free_unref_page(page, order);
	else
		__free_pages_ok(page, order);
}

/* Boot: memblock_free_all → __free_pages_core (to the list tail, FPI_TO_TAIL). */
void __free_pages_core(struct page *page, unsigned order)
{
	unsigned long pfn = page_to_pfn(page);
	struct zone *z = page_zone(page);

	z->managed_pages += 1UL << order;
	if (order == MAX_ORDER - 1 && get_pageblock_migratetype(pfn) == MIGRATE_MOVABLE &&
	    get_pageblock_migratetype(pfn + pageblock_nr_pages) == MIGRATE_MOVABLE && lazy_add(z, pfn))
		return;
	__free_one_page(pfn, z, order, get_pageblock_migratetype(pfn), true);
}

static bool page_out_of_range(struct page *page)
{
	if (page >= mem_map && (unsigned long)(page - mem_map) < max_pfn)
		return false;
	sim_printk("BUG: Bad page state: struct page %p is outside mem_map (max_pfn %#lx)\n", (void *)page, max_pfn);
	bad_page_count++;
	return true;
}

static void __free_pages_locked(struct page *page, unsigned order);

void __free_pages(struct page *page, unsigned order)
{
	sim_atomic_begin();
	__free_pages_locked(page, order);
	sim_atomic_end();
}

static void __free_pages_locked(struct page *page, unsigned order)
{
	if (!page || page_out_of_range(page))
		return;
	if (order >= MAX_ORDER || (page->flags & (PG_buddy | PG_pcp)) || page_ref_count(page) <= 0) {
		bad_page(page, "nonzero _refcount");
		return;
	}
	if (--page->a == 0) {
		free_the_page(page, order);
	} else if (!(page->flags & PG_head)) {
		while (order-- > 0) {
			struct page *piece = page + (1UL << order);
			free_the_page(piece, order);
		}
		page->flags = (page->flags & ~PG_ORDER_MASK);
	}
}

/*
 * release_pages() - drop a reference on each of @nr order-0 pages; those that
 * reach zero are freed through the pcp lists as free_unref_page_list does,
 * tracing mm_page_free_batched (not mm_page_free) for each.
 */
static void __release_pages(struct page **pages, int nr);

void release_pages(struct page **pages, int nr)
{
	sim_atomic_begin();
	__release_pages(pages, nr);
	sim_atomic_end();
}

static void __release_pages(struct page **pages, int nr)
{
	for (int i = 0; i < nr; i++) {
		struct page *page = pages[i];
		if (!page)
			continue;
		page = compound_head(page);
		if (page_ref_count(page) <= 0 || (page->flags & (PG_buddy | PG_pcp))) {
			bad_page(page, "nonzero _refcount");
			continue;
		}
		if (--page->a)
			continue;
		if (compound_order(page)) {
			free_the_page(page, compound_order(page));
			continue;
		}
		if (trace_on(mm_ev.page_free_batched))
			trace_mm_page_free_batched(page);
		page->flags = 0;
		page->b = 0;
		unsigned long pfn = page_to_pfn(page);
		struct zone *z = page_zone(page);
		int mt = get_pageblock_migratetype(pfn), pcpmt = mt;
		if (mt >= MIGRATE_PCPTYPES) {
			if (mt == MIGRATE_ISOLATE) {
				count_vm_events(PGFREE, 1);
				free_one_page(z, pfn, 0, mt);
				continue;
			}
			pcpmt = MIGRATE_MOVABLE;
		}
		free_unref_page_commit(z, this_pcp(z), pfn, pcpmt, mt, 0);
	}
}

void put_page(struct page *page)
{
	if (page_out_of_range(page))
		return;
	page = compound_head(page);
	if (page_ref_count(page) <= 0) {
		bad_page(page, "nonzero _refcount");
		return;
	}
	if (--page->a == 0)
		free_the_page(page, compound_order(page));
}

void free_pages(unsigned long addr, unsigned order)
{
	if (addr)
		__free_pages(virt_to_page(addr), order);
}

void drain_local_pages(struct zone *zone)
{
	int cpu = smp_processor_id();

	for (int nid = 0; nid < mm.nr_nodes; nid++)
		for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
			struct zone *z = &NODE_DATA(nid)->node_zones[zt];
			if (zone && z != zone)
				continue;
			if (z->per_cpu_pageset && cpu >= 0 && cpu < mm.nr_cpus)
				free_pcppages_bulk(z, z->per_cpu_pageset[cpu].count, &z->per_cpu_pageset[cpu], 0);
		}
}

void drain_all_pages(struct zone *zone)
{
	for (int nid = 0; nid < mm.nr_nodes; nid++)
		for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
			struct zone *z = &NODE_DATA(nid)->node_zones[zt];
			if ((zone && z != zone) || !z->per_cpu_pageset)
				continue;
			for (int c = 0; c < mm.nr_cpus; c++)
				if (z->per_cpu_pageset[c].count)
					free_pcppages_bulk(z, z->per_cpu_pageset[c].count, &z->per_cpu_pageset[c], 0);
		}
}

/* --- allocation from a zone ------------------------------------------------------------ */

static inline void zone_statistics(struct zone *preferred, struct zone *z, long nr)
{
	if (!mm.params.numa_stat)
		return;
	int local_stat = z->node != mm_numa_node_id() ? NUMA_OTHER : NUMA_LOCAL;
	if (z->node == preferred->node) {
		z->numa_stat[NUMA_HIT] += (unsigned long)nr;
	} else {
		z->numa_stat[NUMA_MISS] += (unsigned long)nr;
		preferred->numa_stat[NUMA_FOREIGN] += (unsigned long)nr;
	}
	z->numa_stat[local_stat] += (unsigned long)nr;
}

static struct page *rmqueue_pcplist(struct zone *preferred, struct zone *z, unsigned order, int mt,
				    unsigned alloc_flags)
{
	struct per_cpu_pages *pcp = this_pcp(z);
	int pindex = order_to_pindex(mt, order);

	pcp->free_factor >>= 1;
	if (pcp->head[pindex] == PFN_NONE) {
		int batch = pcp->batch;
		if (batch > 1)
			batch = (batch >> order) > 2 ? batch >> order : 2;
		int n = rmqueue_bulk(z, order, batch, pcp, pindex, mt, alloc_flags);
		pcp->count += n << order;
		if (!n)
			return NULL;
	} else {
		last_path = PATH_PCP;
	}
	unsigned long pfn = pcp->head[pindex];
	list_del_pfn(&pcp->head[pindex], &pcp->tail[pindex], pfn);
	pcp->count -= 1 << order;
	if (mm.timing) {
		cost_cycles(CYC_PCP_ALLOC);
		mem_access(pcp->va, 64, true);
	}
	count_vm_events((enum vm_event_item)(PGALLOC_DMA + z->idx), 1UL << order);
	zone_statistics(preferred, z, 1);
	return pfn_to_page(pfn);
}

static struct page *rmqueue_buddy(struct zone *preferred, struct zone *z, unsigned order,
				  unsigned alloc_flags, int mt)
{
	struct page *page = NULL;

	zone_lock(z);
	if (order > 0 && (alloc_flags & ALLOC_HIGHATOMIC))
		page = __rmqueue_smallest(z, order, MIGRATE_HIGHATOMIC);
	if (!page) {
		page = __rmqueue(z, order, mt, alloc_flags);
		if (!page && (alloc_flags & (ALLOC_OOM | ALLOC_NON_BLOCK)))
			page = __rmqueue_smallest(z, order, MIGRATE_HIGHATOMIC);
		if (!page)
			return NULL;
	}
	count_vm_events((enum vm_event_item)(PGALLOC_DMA + z->idx), 1UL << order);
	zone_statistics(preferred, z, 1);
	return page;
}

static struct page *rmqueue(struct zone *preferred, struct zone *z, unsigned order, gfp_t gfp,
			    unsigned alloc_flags, int mt)
{
	struct page *page = NULL;

	last_path = PATH_BUDDY;
	if (pcp_allowed_order(order))
		page = rmqueue_pcplist(preferred, z, order, mt, alloc_flags);
	if (!page)
		page = rmqueue_buddy(preferred, z, order, alloc_flags, mt);
	if (z->flags & ZONE_BOOSTED_WATERMARK) {
		z->flags &= ~ZONE_BOOSTED_WATERMARK;
		wakeup_kswapd(z, 0, 0, z->idx);
	}
	return page;
}

/* --- watermarks --------------------------------------------------------------------------- */

static inline long __zone_watermark_unusable_free(struct zone *z, unsigned order, unsigned alloc_flags)
{
	long unusable = (1L << order) - 1;

	if (!(alloc_flags & ALLOC_RESERVES))
		unusable += (long)z->nr_reserved_highatomic;
	if (!(alloc_flags & ALLOC_CMA))
		unusable += z->vm_stat[NR_FREE_CMA_PAGES];
	return unusable;
}

bool __zone_watermark_ok(struct zone *z, unsigned order, unsigned long mark, int highest_zoneidx,
			 unsigned alloc_flags, long free_pages)
{
	long min = (long)mark;

	charge(CYC_WMARK_CHECK);
	free_pages -= __zone_watermark_unusable_free(z, order, alloc_flags);
	if (alloc_flags & ALLOC_RESERVES) {
		if (alloc_flags & ALLOC_MIN_RESERVE) {
			min -= min / 2;
			if (alloc_flags & ALLOC_NON_BLOCK)
				min -= min / 4;
		}
		if (alloc_flags & ALLOC_OOM)
			min -= min / 2;
	}
	if (free_pages <= min + z->lowmem_reserve[highest_zoneidx])
		return false;
	if (!order)
		return true;
	for (unsigned o = order; o < MAX_ORDER; o++) {
		struct free_area *area = &z->free_area[o];
		if (!area->nr_free)
			continue;
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			if (area_has(z, o, mt))
				return true;
		if ((alloc_flags & ALLOC_CMA) && area->head[MIGRATE_CMA] != PFN_NONE)
			return true;
		if ((alloc_flags & (ALLOC_HIGHATOMIC | ALLOC_OOM)) && area->head[MIGRATE_HIGHATOMIC] != PFN_NONE)
			return true;
	}
	return false;
}

bool zone_watermark_ok(struct zone *z, unsigned order, unsigned long mark, int highest_zoneidx,
		       unsigned alloc_flags)
{
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags,
				   z->vm_stat[NR_FREE_PAGES]);
}

static inline bool zone_watermark_fast(struct zone *z, unsigned order, unsigned long mark,
				       int highest_zoneidx, unsigned alloc_flags)
{
	long free_pages = z->vm_stat[NR_FREE_PAGES];

	if (!order) {
		long reserved = __zone_watermark_unusable_free(z, 0, alloc_flags);
		long usable = free_pages - (free_pages < reserved ? free_pages : reserved);
		if (usable > (long)mark + z->lowmem_reserve[highest_zoneidx])
			return true;
	}
	if (__zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags, free_pages))
		return true;
	if (!order && (alloc_flags & ALLOC_MIN_RESERVE) && z->watermark_boost &&
	    (alloc_flags & ALLOC_WMARK_MASK) == WMARK_MIN) {
		mark = z->_watermark[WMARK_MIN];
		return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags, free_pages);
	}
	return false;
}

/* --- highatomic reserve ------------------------------------------------------------------ */

static void reserve_highatomic_pageblock(struct page *page, struct zone *z)
{
	unsigned long max_managed = z->managed_pages / 100 + pageblock_nr_pages;
	unsigned long pfn = page_to_pfn(page);

	if (z->nr_reserved_highatomic >= max_managed)
		return;
	int mt = get_pageblock_migratetype(pfn);
	if (mt_mergeable(mt)) {
		z->nr_reserved_highatomic += pageblock_nr_pages;
		set_pageblock_migratetype(pfn, MIGRATE_HIGHATOMIC);
		move_freepages_block(z, pfn, MIGRATE_HIGHATOMIC, NULL);
	}
}

static bool zone_in_ac(struct zone *z, const struct alloc_context *ac)
{
	return (int)z->idx <= ac->highest_zoneidx && (!ac->nodemask || node_isset(z->node, ac->nodemask));
}

static bool unreserve_highatomic_pageblock(const struct alloc_context *ac, bool force)
{
	struct zonelist *zl = ac->zonelist;

	for (int i = 0; i < zl->nr; i++) {
		struct zone *z = zl->zones[i];
		if (!zone_in_ac(z, ac))
			continue;
		if (!force && z->nr_reserved_highatomic <= pageblock_nr_pages)
			continue;
		for (unsigned o = 0; o < MAX_ORDER; o++) {
			uint32_t pfn = z->free_area[o].head[MIGRATE_HIGHATOMIC];
			if (pfn == PFN_NONE)
				continue;
			if (get_pageblock_migratetype(pfn) == MIGRATE_HIGHATOMIC)
				z->nr_reserved_highatomic -= z->nr_reserved_highatomic < pageblock_nr_pages ?
					z->nr_reserved_highatomic : pageblock_nr_pages;
			set_pageblock_migratetype(pfn, ac->migratetype);
			if (move_freepages_block(z, pfn, ac->migratetype, NULL))
				return true;
		}
	}
	return false;
}

/* --- zonelists ------------------------------------------------------------------------------- */

static int node_load[MAX_NUMNODES];
#define PENALTY_FOR_NODE_WITH_CPUS 1
#define KERNEL_MAX_NUMNODES 1024      /* 1 << CONFIG_NODES_SHIFT (10) of distro kernels */

static int find_next_best_node(int node, nodemask_t *used)
{
	int min_val = 0x7fffffff, best = NUMA_NO_NODE;

	if (!node_isset(node, used)) {
		node_set(node, used);
		return node;
	}
	for (int n = 0; n < mm.nr_nodes; n++) {
		if (node_isset(n, used) || !NODE_DATA(n)->node_present_pages)
			continue;
		int val = mm.distance[node][n];
		val += (n < node);
		if (mm.node_cpus[n])
			val += PENALTY_FOR_NODE_WITH_CPUS;
		val *= KERNEL_MAX_NUMNODES;
		val += node_load[n];
		if (val < min_val) {
			min_val = val;
			best = n;
		}
	}
	if (best >= 0)
		node_set(best, used);
	return best;
}

static void zonelist_add_node(struct zonelist *zl, int nid)
{
	struct pglist_data *pg = NODE_DATA(nid);

	for (int zt = MAX_NR_ZONES - 1; zt >= 0; zt--)
		if (populated_zone(&pg->node_zones[zt]))
			zl->zones[zl->nr++] = &pg->node_zones[zt];
	zl->zones[zl->nr] = NULL;
}

void build_all_zonelists(void)
{
	memset(node_load, 0, sizeof(node_load));
	for (int nid = 0; nid < mm.nr_nodes; nid++) {
		struct pglist_data *pg = NODE_DATA(nid);
		int order[MAX_NUMNODES], nr = 0, prev = nid, load = 0;
		nodemask_t used = { 0 };

		for (int n = 0; n < mm.nr_nodes; n++)
			if (NODE_DATA(n)->node_present_pages)
				load++;
		for (int l = 0; l < MAX_ZONELISTS; l++) {
			free(pg->node_zonelists[l].zones);
			pg->node_zonelists[l].zones = calloc((size_t)mm.nr_nodes * MAX_NR_ZONES + 1, sizeof(struct zone *));
			pg->node_zonelists[l].nr = 0;
		}
		int node;
		while ((node = find_next_best_node(nid, &used)) >= 0) {
			if (mm.distance[nid][node] != mm.distance[nid][prev])
				node_load[node] += load;
			order[nr++] = node;
			prev = node;
			load--;
		}
		for (int i = 0; i < nr; i++)
			zonelist_add_node(&pg->node_zonelists[ZONELIST_FALLBACK], order[i]);
		zonelist_add_node(&pg->node_zonelists[ZONELIST_NOFALLBACK], nid);
	}
}

static inline struct zonelist *node_zonelist(int nid, gfp_t gfp)
{
	return &NODE_DATA(nid)->node_zonelists[(gfp & __GFP_THISNODE) ? ZONELIST_NOFALLBACK : ZONELIST_FALLBACK];
}

/* first_zones_zonelist(): index of the first eligible zone (or -1). */
static inline int first_zone_idx(const struct alloc_context *ac, int from)
{
	struct zonelist *zl = ac->zonelist;

	for (int i = from; i < zl->nr; i++)
		if (zone_in_ac(zl->zones[i], ac))
			return i;
	return -1;
}

/* --- watermark set-up ----------------------------------------------------------------------- */

int int_sqrt_ul(unsigned long x)
{
	unsigned long r = 0, bit = 1UL << 62;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return (int)r;
}

int calculate_min_free_kbytes_for(unsigned long lowmem_pages)
{
	unsigned long lowmem_kbytes = lowmem_pages * (PAGE_SIZE >> 10);
	int v = int_sqrt_ul(lowmem_kbytes * 16);

	if (v < 128)
		v = 128;
	if (v > 262144)
		v = 262144;
	return v;
}

#define for_each_zone(z) \
	for (int _nid = 0; _nid < mm.nr_nodes; _nid++) \
		for (struct zone *z = NODE_DATA(_nid)->node_zones; \
		     z < NODE_DATA(_nid)->node_zones + MAX_NR_ZONES; z++)

static unsigned long nr_free_buffer_pages(void)
{
	struct zonelist *zl = &NODE_DATA(numa_mem_id())->node_zonelists[ZONELIST_FALLBACK];
	unsigned long sum = 0;

	for (int i = 0; i < zl->nr; i++) {
		struct zone *z = zl->zones[i];
		if (z->idx > ZONE_NORMAL)
			continue;
		unsigned long high = high_wmark_pages(z);
		if (z->managed_pages > high)
			sum += z->managed_pages - high;
	}
	return sum;
}

static void calculate_totalreserve_pages(void)
{
	unsigned long total = 0;

	for_each_zone(z) {
		long max = 0;
		for (int j = z->idx; j < MAX_NR_ZONES; j++)
			if (z->lowmem_reserve[j] > max)
				max = z->lowmem_reserve[j];
		unsigned long m = (unsigned long)max + high_wmark_pages(z);
		if (m > z->managed_pages)
			m = z->managed_pages;
		total += m;
	}
	mm.totalreserve_pages = total;
}

int zone_batchsize_for(unsigned long managed)
{
	unsigned long batch = managed >> 10;

	if (batch > (1UL << 20) / PAGE_SIZE)
		batch = (1UL << 20) / PAGE_SIZE;
	batch /= 4;
	if (batch < 1)
		batch = 1;
	unsigned long x = batch + batch / 2;
	unsigned long p = 1;
	while (p * 2 <= x)
		p *= 2;
	return (int)(p - 1);
}

static void zone_set_pageset_high_and_batch(struct zone *z)
{
	int batch = zone_batchsize_for(z->managed_pages);
	unsigned long total = mm.params.percpu_pagelist_high_fraction ?
		z->managed_pages / (unsigned long)mm.params.percpu_pagelist_high_fraction : low_wmark_pages(z);
	int split = mm.node_cpus[z->node];

	if (batch < 1)
		batch = 1;
	if (!split)
		split = mm.nr_cpus;
	long high = (long)(total / (unsigned long)split);
	if (high < (long)batch << 2)
		high = (long)batch << 2;
	z->pageset_high = (int)high;
	z->pageset_batch = batch;
	if (!z->per_cpu_pageset)
		return;
	for (int c = 0; c < mm.nr_cpus; c++) {
		z->per_cpu_pageset[c].high = (int)high;
		z->per_cpu_pageset[c].batch = batch;
	}
}

void zone_pcp_update_all(void)
{
	for_each_zone(z)
		zone_set_pageset_high_and_batch(z);
}

void setup_per_zone_wmarks(void)
{
	unsigned long pages_min = (unsigned long)mm.min_free_kbytes >> (PAGE_SHIFT - 10);
	unsigned long lowmem = 0;

	for_each_zone(z)
		lowmem += z->managed_pages;
	for_each_zone(z) {
		unsigned long tmp = lowmem ? (unsigned long)((unsigned __int128)pages_min * z->managed_pages / lowmem) : 0;
		z->_watermark[WMARK_MIN] = tmp;
		unsigned long m = z->managed_pages;
		unsigned long f = (unsigned long)mm.watermark_scale_factor;
		unsigned long scaled = (m / 10000) * f + ((m % 10000) * f) / 10000;
		tmp = (tmp >> 2) > scaled ? tmp >> 2 : scaled;
		z->watermark_boost = 0;
		z->_watermark[WMARK_LOW] = z->_watermark[WMARK_MIN] + tmp;
		z->_watermark[WMARK_HIGH] = z->_watermark[WMARK_LOW] + tmp;
		z->_watermark[WMARK_PROMO] = z->_watermark[WMARK_HIGH] + tmp;
	}
	calculate_totalreserve_pages();
	zone_pcp_update_all();
}

void setup_per_zone_lowmem_reserve(void)
{
	for (int nid = 0; nid < mm.nr_nodes; nid++) {
		struct pglist_data *pg = NODE_DATA(nid);
		for (int i = 0; i < MAX_NR_ZONES - 1; i++) {
			struct zone *z = &pg->node_zones[i];
			int ratio = mm.lowmem_reserve_ratio[i];
			bool clear = !ratio || !z->managed_pages;
			unsigned long managed = 0;
			z->lowmem_reserve[i] = 0;
			for (int j = i + 1; j < MAX_NR_ZONES; j++) {
				managed += pg->node_zones[j].managed_pages;
				z->lowmem_reserve[j] = clear ? 0 : (long)(managed / (unsigned long)ratio);
			}
		}
	}
	calculate_totalreserve_pages();
}

static void set_recommended_min_free_kbytes(void)
{
	unsigned long nr_zones = 0, rec;

	for_each_zone(z)
		if (populated_zone(z) && z->idx <= ZONE_NORMAL)
			nr_zones++;
	rec = pageblock_nr_pages * nr_zones * 2;
	rec += pageblock_nr_pages * nr_zones * MIGRATE_PCPTYPES * MIGRATE_PCPTYPES;
	if (rec > nr_free_buffer_pages() / 20)
		rec = nr_free_buffer_pages() / 20;
	rec <<= (PAGE_SHIFT - 10);
	if (rec > (unsigned long)mm.min_free_kbytes)
		mm.min_free_kbytes = (int)rec;
	setup_per_zone_wmarks();
}

int init_per_zone_wmark_min(void)
{
	int v = calculate_min_free_kbytes_for(nr_free_buffer_pages());

	if (v > mm.user_min_free_kbytes)
		mm.min_free_kbytes = v;
	else
		mm.min_free_kbytes = mm.user_min_free_kbytes;
	if (mm.user_min_free_kbytes > 0)
		mm.min_free_kbytes = mm.user_min_free_kbytes;   /* sysctl written after boot */
	setup_per_zone_wmarks();
	for_each_zone(z)
		z->stat_threshold = calculate_normal_threshold(z);
	setup_per_zone_lowmem_reserve();
	if (mm.params.thp)
		set_recommended_min_free_kbytes();
	return 0;
}

int mm_set_min_free_kbytes(int kbytes)
{
	if (!mm.booted || kbytes < 0)
		return -EINVAL;
	mm.user_min_free_kbytes = kbytes;
	mm.min_free_kbytes = kbytes;
	setup_per_zone_wmarks();
	return 0;
}

int mm_min_free_kbytes(void)
{
	return mm.booted ? mm.min_free_kbytes : 0;
}

int mm_set_watermark_scale_factor(int factor)
{
	if (!mm.booted || factor < 1 || factor > 3000)
		return -EINVAL;
	mm.watermark_scale_factor = factor;
	setup_per_zone_wmarks();
	return 0;
}

int zone_adjust_managed(int nid, int zt, long delta)
{
	if (!mm.booted || nid < 0 || nid >= mm.nr_nodes || zt < 0 || zt >= MAX_NR_ZONES)
		return -EINVAL;
	struct zone *z = &NODE_DATA(nid)->node_zones[zt];
	if (delta < 0 && (unsigned long)-delta > z->managed_pages)
		return -EINVAL;
	z->managed_pages = (unsigned long)((long)z->managed_pages + delta);
	mm.nr_all_pages = (unsigned long)((long)mm.nr_all_pages + delta);
	/* Recompute as at boot (high watermarks still 0 when min_free_kbytes is derived). */
	for_each_zone(zz) {
		memset(zz->_watermark, 0, sizeof(zz->_watermark));
		zz->watermark_boost = 0;
	}
	init_per_zone_wmark_min();
	return 0;
}

/* --- get_page_from_freelist and the fast path -------------------------------------------------- */

static void prep_new_page(struct page *page, unsigned order, gfp_t gfp, unsigned alloc_flags)
{
	unsigned long pfn = page_to_pfn(page);

	page->flags = order | ((uint32_t)PGTY_KERNEL << PG_TYPE_SHIFT);
	page->a = 1;
	page->b = 0;
	touch_page(pfn, true);
	if (gfp & __GFP_ZERO) {
		if (mm.timing)
			mem_zero_phys((phys_addr_t)pfn << PAGE_SHIFT, PAGE_SIZE << order);
	}
	if (order && (gfp & __GFP_COMP)) {
		page->flags |= PG_head | PG_compound;
		for (unsigned long i = 1; i < (1UL << order); i++) {
			struct page *t = page + i;
			t->flags = PG_tail;
			t->a = (uint32_t)pfn;
			t->b = 0;
		}
		if (mm.timing)
			for (unsigned long i = 1; i < (1UL << order); i++)
				mem_access(pfn_to_vmemmap(pfn + i), 16, true);
	}
	(void)alloc_flags;
}

static struct page *get_page_from_freelist(gfp_t gfp, unsigned order, unsigned alloc_flags,
					   const struct alloc_context *ac, int pref)
{
	struct zonelist *zl = ac->zonelist;
	bool no_fallback;
	struct zone *preferred = zl->zones[pref];

retry:
	no_fallback = alloc_flags & ALLOC_NOFRAGMENT;
	for (int i = pref; i < zl->nr; i++) {
		struct zone *z = zl->zones[i];
		if (!zone_in_ac(z, ac))
			continue;
		if (no_fallback && mm.nr_nodes > 1 && z != preferred && z->node != preferred->node) {
			alloc_flags &= ~ALLOC_NOFRAGMENT;
			goto retry;
		}
		unsigned long mark = wmark_pages(z, alloc_flags & ALLOC_WMARK_MASK);
		if (!zone_watermark_fast(z, order, mark, ac->highest_zoneidx, alloc_flags)) {
			if (!(alloc_flags & ALLOC_NO_WATERMARKS))
				continue;      /* node_reclaim disabled (zone_reclaim_mode 0) */
		}
		struct page *page = rmqueue(preferred, z, order, gfp, alloc_flags, ac->migratetype);
		if (page) {
			prep_new_page(page, order, gfp, alloc_flags);
			if (order && (alloc_flags & ALLOC_HIGHATOMIC))
				reserve_highatomic_pageblock(page, z);
			return page;
		}
	}
	if (no_fallback) {
		alloc_flags &= ~ALLOC_NOFRAGMENT;
		goto retry;
	}
	return NULL;
}

static unsigned alloc_flags_nofragment(struct zone *z, gfp_t gfp)
{
	unsigned alloc_flags = gfp & __GFP_KSWAPD_RECLAIM;

	if (!z || z->idx != ZONE_NORMAL)
		return alloc_flags;
	if (mm.nr_nodes > 1 && !populated_zone(&z->zone_pgdat->node_zones[ZONE_DMA32]))
		return alloc_flags;
	return alloc_flags | ALLOC_NOFRAGMENT;
}

static inline unsigned gfp_to_alloc_flags_cma(gfp_t gfp, unsigned alloc_flags)
{
	if (gfp_migratetype(gfp) == MIGRATE_MOVABLE)
		alloc_flags |= ALLOC_CMA;
	return alloc_flags;
}

/* "BUG: sleeping function called from invalid context" (__might_sleep). */
static void might_sleep_check(void)
{
	struct exec_ctx *c = this_ctx();

	if (!c || (c->kind == CTX_TASK && !c->irqs_disabled && c->preempt_count <= 0 && !c->bh_disabled))
		return;
	count_vm_event(MIGHT_SLEEP_BUGS);
	uint64_t now = sim_now();
	if (mm.warned_might_sleep && now - mm.last_might_sleep_ps < SIM_SEC)
		return;
	mm.warned_might_sleep = true;
	mm.last_might_sleep_ps = now;
	struct task_struct *t = current;
	int in_atomic = c->kind != CTX_TASK || c->preempt_count > 0 || c->bh_disabled;
	unsigned pc = (unsigned)(c->preempt_count > 0 ? c->preempt_count : 0);
	if (c->kind == CTX_SOFTIRQ)
		pc |= 0x100;
	if (c->bh_disabled)
		pc |= 0x200;
	if (c->kind == CTX_HARDIRQ)
		pc |= 0x10000;
	if (c->kind == CTX_NMI)
		pc |= 0x100000;
	sim_printk("BUG: sleeping function called from invalid context at mm/page_alloc.c:5290\n");
	sim_printk("in_atomic(): %d, irqs_disabled(): %d, non_block: 0, pid: %d, name: %s\n",
		   in_atomic, c->irqs_disabled ? 1 : 0, t->pid, t->comm);
	sim_printk("preempt_count: %x, expected: 0\n", pc);
	sim_printk("CPU: %d PID: %d Comm: %s Not tainted 6.1.0-mmsim #1\n", c->cpu, t->pid, t->comm);
	sim_printk("Call Trace:\n");
	sim_printk(" <TASK>\n");
	sim_printk(" dump_stack_lvl+0x44/0x5c\n");
	sim_printk(" __might_resched.cold+0xcc/0xdf\n");
	sim_printk(" prepare_alloc_pages+0x167/0x190\n");
	sim_printk(" __alloc_pages+0x8a/0x2a0\n");
	sim_printk(" </TASK>\n");
}

/* --- slow path ----------------------------------------------------------------------------------- */

#define MAX_RECLAIM_RETRIES 16
#define MAX_COMPACT_RETRIES 16

static unsigned gfp_to_alloc_flags(gfp_t gfp, unsigned order)
{
	unsigned alloc_flags = ALLOC_WMARK_MIN | ALLOC_CPUSET;

	alloc_flags |= gfp & (__GFP_HIGH | __GFP_KSWAPD_RECLAIM);
	if (!(gfp & __GFP_DIRECT_RECLAIM)) {
		if (!(gfp & __GFP_NOMEMALLOC))
			alloc_flags |= ALLOC_NON_BLOCK;
		if (order > 0 && (alloc_flags & ALLOC_MIN_RESERVE))
			alloc_flags |= ALLOC_HIGHATOMIC;
		if (alloc_flags & ALLOC_MIN_RESERVE)
			alloc_flags &= ~ALLOC_CPUSET;
	} else if (rt_task(current) && in_task()) {
		alloc_flags |= ALLOC_MIN_RESERVE;
	}
	return gfp_to_alloc_flags_cma(gfp, alloc_flags);
}

static unsigned __gfp_pfmemalloc_flags(gfp_t gfp)
{
	struct task_struct *t = current;

	if (gfp & __GFP_NOMEMALLOC)
		return 0;
	if (gfp & __GFP_MEMALLOC)
		return ALLOC_NO_WATERMARKS;
	if (in_softirq() && (t->flags & PF_MEMALLOC))
		return ALLOC_NO_WATERMARKS;
	if (!in_interrupt()) {
		if (t->flags & PF_MEMALLOC)
			return ALLOC_NO_WATERMARKS;
		if (tsk_is_oom_victim(t))
			return ALLOC_OOM;
	}
	return 0;
}

static void wake_all_kswapds(unsigned order, gfp_t gfp, const struct alloc_context *ac)
{
	struct zonelist *zl = ac->zonelist;
	nodemask_t done = { 0 };

	for (int i = 0; i < zl->nr; i++) {
		struct zone *z = zl->zones[i];
		if (!zone_in_ac(z, ac) || node_isset(z->node, &done))
			continue;
		node_set(z->node, &done);
		wakeup_kswapd(z, gfp, (int)order, ac->highest_zoneidx);
	}
}

static void cond_resched_wait(void)
{
	if (sim_current())
		sim_sleep(4 * SIM_MS);       /* one jiffy at HZ=250 */
}

/* nodemask_format() - a nodemask as the kernel's %*pbl prints it ("0-1,3"; NULL → "(null)"). */
void nodemask_format(char *buf, size_t len, const nodemask_t *m)
{
	size_t pos = 0;
	int n = 0;

	if (!m) {
		snprintf(buf, len, "(null)");
		return;
	}
	buf[0] = '\0';
	for (int i = 0; i < mm.nr_nodes; i++) {
		if (!node_isset(i, m))
			continue;
		int j = i;
		while (j + 1 < mm.nr_nodes && node_isset(j + 1, m))
			j++;
		int w = j > i ? snprintf(buf + pos, len - pos, "%s%d-%d", n ? "," : "", i, j)
			      : snprintf(buf + pos, len - pos, "%s%d", n ? "," : "", i);
		if (w > 0 && (size_t)w < len - pos)
			pos += (size_t)w;
		n++;
		i = j;
	}
}

static void warn_alloc(gfp_t gfp, const nodemask_t *nodemask, unsigned order)
{
	char fl[GFP_STR_MAX], nm[128], mems[128];
	nodemask_t all = { 0 };
	struct task_struct *t = current;

	count_vm_event(ALLOC_FAIL_EVENTS);
	if (gfp & __GFP_NOWARN)
		return;
	uint64_t now = sim_now();
	if (mm.warned_alloc && now - mm.last_warn_alloc_ps < 10 * SIM_SEC)
		return;
	mm.warned_alloc = true;
	mm.last_warn_alloc_ps = now;
	for (int i = 0; i < mm.nr_nodes; i++)
		if (NODE_DATA(i)->node_present_pages)
			node_set(i, &all);
	nodemask_format(nm, sizeof(nm), nodemask);
	nodemask_format(mems, sizeof(mems), &all);
	sim_printk("%s: page allocation failure: order:%u, mode:%#x(%s), nodemask=%s,cpuset=/,mems_allowed=%s\n",
		   t->comm, order, gfp, gfp_format_pGg(gfp, fl, sizeof(fl)), nm, mems);
	sim_printk("CPU: %d PID: %d Comm: %s Not tainted 6.1.0-mmsim #1\n", smp_processor_id(), t->pid, t->comm);
	sim_printk("Call Trace:\n");
	sim_printk(" <TASK>\n");
	sim_printk(" dump_stack_lvl+0x44/0x5c\n");
	sim_printk(" warn_alloc+0x138/0x160\n");
	sim_printk(" __alloc_pages_slowpath.constprop.0+0xd3a/0xd80\n");
	sim_printk(" __alloc_pages+0x2a4/0x2d0\n");
	sim_printk(" </TASK>\n");
	show_mem();
}

static struct page *__alloc_pages_cpuset_fallback(gfp_t gfp, unsigned order, unsigned alloc_flags,
						  struct alloc_context *ac, int pref)
{
	return get_page_from_freelist(gfp, order, alloc_flags | ALLOC_CPUSET, ac, pref);
}

static struct page *__alloc_pages_may_oom(gfp_t gfp, unsigned order, struct alloc_context *ac,
					  int pref, unsigned long *did_some_progress)
{
	struct oom_control oc = {
		.zonelist = ac->zonelist, .nodemask = ac->nodemask, .gfp_mask = gfp, .order = (int)order,
	};
	struct page *page;

	*did_some_progress = 0;
	page = get_page_from_freelist((gfp | __GFP_HARDWALL) & ~__GFP_DIRECT_RECLAIM, order,
				      ALLOC_WMARK_HIGH | ALLOC_CPUSET, ac, pref);
	if (page)
		return page;
	if (current->flags & PF_DUMPCORE)
		return NULL;
	if (order > PAGE_ALLOC_COSTLY_ORDER)
		return NULL;
	if (gfp & (__GFP_RETRY_MAYFAIL | __GFP_THISNODE))
		return NULL;
	if (ac->highest_zoneidx < ZONE_NORMAL)
		return NULL;
	if (out_of_memory(&oc) || (gfp & __GFP_NOFAIL)) {
		*did_some_progress = 1;
		if (gfp & __GFP_NOFAIL)
			page = __alloc_pages_cpuset_fallback(gfp, order, ALLOC_NO_WATERMARKS, ac, pref);
	}
	return page;
}

static struct page *__alloc_pages_direct_compact(gfp_t gfp, unsigned order, unsigned alloc_flags,
						 struct alloc_context *ac, int pref,
						 enum compact_priority prio, enum compact_result *result)
{
	struct page *page = NULL;

	if (!order)
		return NULL;
	unsigned noreclaim = memalloc_noreclaim_save();
	*result = try_to_compact_pages(gfp, order, alloc_flags, ac->zonelist, ac->nodemask,
				       ac->highest_zoneidx, prio, &page);
	memalloc_noreclaim_restore(noreclaim);
	if (*result == COMPACT_SKIPPED)
		return NULL;
	count_vm_event(COMPACTSTALL);
	if (page)
		prep_new_page(page, order, gfp, alloc_flags);
	if (!page)
		page = get_page_from_freelist(gfp, order, alloc_flags, ac, pref);
	if (page) {
		/* As 6.1: a success resets the zone's deferral for this order. */
		compaction_defer_reset(page_zone(page), (int)order, true);
		count_vm_event(COMPACTSUCCESS);
		return page;
	}
	count_vm_event(COMPACTFAIL);
	return NULL;
}

static struct page *__alloc_pages_direct_reclaim(gfp_t gfp, unsigned order, unsigned alloc_flags,
						 struct alloc_context *ac, int pref,
						 unsigned long *did_some_progress)
{
	struct page *page;
	bool drained = false;

	unsigned noreclaim = memalloc_noreclaim_save();
	*did_some_progress = try_to_free_pages(ac->zonelist, (int)order, gfp, ac->nodemask,
					       ac->highest_zoneidx);
	memalloc_noreclaim_restore(noreclaim);
	if (!*did_some_progress)
		return NULL;
retry:
	page = get_page_from_freelist(gfp, order, alloc_flags, ac, pref);
	if (!page && !drained) {
		unreserve_highatomic_pageblock(ac, false);
		drain_all_pages(NULL);
		drained = true;
		goto retry;
	}
	return page;
}

static bool should_reclaim_retry(gfp_t gfp, unsigned order, struct alloc_context *ac, unsigned alloc_flags,
				 bool did_some_progress, int *no_progress_loops)
{
	struct zonelist *zl = ac->zonelist;

	if (did_some_progress && order <= PAGE_ALLOC_COSTLY_ORDER)
		*no_progress_loops = 0;
	else
		(*no_progress_loops)++;
	if (*no_progress_loops > MAX_RECLAIM_RETRIES)
		return unreserve_highatomic_pageblock(ac, true);
	for (int i = 0; i < zl->nr; i++) {
		struct zone *z = zl->zones[i];
		if (!zone_in_ac(z, ac))
			continue;
		unsigned long reclaimable = zone_reclaimable_pages(z);
		long available = (long)reclaimable + z->vm_stat[NR_FREE_PAGES];
		if (__zone_watermark_ok(z, order, min_wmark_pages(z), ac->highest_zoneidx, alloc_flags, available))
			return true;
	}
	(void)gfp;
	return false;
}

static bool should_compact_retry(struct alloc_context *ac, unsigned order, unsigned alloc_flags,
				 enum compact_result result, enum compact_priority *prio, int *retries)
{
	int max_retries = MAX_COMPACT_RETRIES;
	int min_priority;

	if (!order)
		return false;
	if (fatal_signal_pending(current))
		return false;
	if (result == COMPACT_SUCCESS)
		(*retries)++;
	if (result == COMPACT_SKIPPED)
		return compaction_zonelist_suitable(ac->zonelist, (int)order, (int)alloc_flags,
						    ac->highest_zoneidx);
	if (result == COMPACT_COMPLETE || result == COMPACT_DEFERRED || result == COMPACT_CONTENDED ||
	    result == COMPACT_PARTIAL_SKIPPED)
		goto check_priority;
	if (order > PAGE_ALLOC_COSTLY_ORDER)
		max_retries /= 4;
	if (*retries <= max_retries)
		return true;
check_priority:
	min_priority = order > PAGE_ALLOC_COSTLY_ORDER ? MIN_COMPACT_COSTLY_PRIORITY : MIN_COMPACT_PRIORITY;
	if ((int)*prio > min_priority) {
		(*prio)--;
		*retries = 0;
		return true;
	}
	return false;
}

static struct page *__alloc_pages_slowpath(gfp_t gfp, unsigned order, struct alloc_context *ac)
{
	bool can_direct_reclaim = gfp & __GFP_DIRECT_RECLAIM;
	bool costly_order = order > PAGE_ALLOC_COSTLY_ORDER;
	bool can_compact = (gfp & __GFP_IO) != 0;
	struct page *page = NULL;
	unsigned alloc_flags;
	unsigned long did_some_progress;
	enum compact_priority compact_priority;
	enum compact_result compact_result = COMPACT_SKIPPED;
	int compaction_retries, no_progress_loops;
	int pref;
	unsigned reserve_flags;
	int nofail_loops = 0;

	charge(CYC_SLOWPATH);
	slow_taken = true;
	if ((gfp & (__GFP_ATOMIC | __GFP_DIRECT_RECLAIM)) == (__GFP_ATOMIC | __GFP_DIRECT_RECLAIM)) {
		sim_printk("WARNING: CPU: %d PID: %d at mm/page_alloc.c:5013 __alloc_pages_slowpath\n",
			   smp_processor_id(), current->pid);
		gfp &= ~__GFP_ATOMIC;
	}
	/* restart: (cpuset / zonelist changes never happen in the model) */
	compaction_retries = 0;
	no_progress_loops = 0;
	compact_priority = DEF_COMPACT_PRIORITY;
	alloc_flags = gfp_to_alloc_flags(gfp, order);
	pref = first_zone_idx(ac, 0);
	if (pref < 0)
		goto nopage;
	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(order, gfp, ac);
	page = get_page_from_freelist(gfp, order, alloc_flags, ac, pref);
	if (page)
		goto got_pg;
	if (can_direct_reclaim && can_compact && (costly_order || (order > 0 && ac->migratetype != MIGRATE_MOVABLE)) &&
	    !__gfp_pfmemalloc_flags(gfp)) {
		page = __alloc_pages_direct_compact(gfp, order, alloc_flags, ac, pref, INIT_COMPACT_PRIORITY,
						    &compact_result);
		if (page)
			goto got_pg;
		if (costly_order && (gfp & __GFP_NORETRY)) {
			if (compact_result == COMPACT_SKIPPED || compact_result == COMPACT_DEFERRED)
				goto nopage;
			if (gfp & __GFP_THISNODE)
				goto nopage;
			compact_priority = INIT_COMPACT_PRIORITY;
		}
	}
retry:
	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(order, gfp, ac);
	reserve_flags = __gfp_pfmemalloc_flags(gfp);
	if (reserve_flags)
		alloc_flags = gfp_to_alloc_flags_cma(gfp, reserve_flags) | (alloc_flags & ALLOC_KSWAPD);
	if (!(alloc_flags & ALLOC_CPUSET) || reserve_flags) {
		ac->nodemask = NULL;
		pref = first_zone_idx(ac, 0);
		if (pref < 0)
			goto nopage;
	}
	page = get_page_from_freelist(gfp, order, alloc_flags, ac, pref);
	if (page)
		goto got_pg;
	if (!can_direct_reclaim)
		goto nopage;
	if (current->flags & PF_MEMALLOC)
		goto nopage;
	page = __alloc_pages_direct_reclaim(gfp, order, alloc_flags, ac, pref, &did_some_progress);
	if (page)
		goto got_pg;
	page = __alloc_pages_direct_compact(gfp, order, alloc_flags, ac, pref, compact_priority, &compact_result);
	if (page)
		goto got_pg;
	if (gfp & __GFP_NORETRY)
		goto nopage;
	if (costly_order && (!can_compact || !(gfp & __GFP_RETRY_MAYFAIL)))
		goto nopage;
	if (should_reclaim_retry(gfp, order, ac, alloc_flags, did_some_progress > 0, &no_progress_loops))
		goto retry;
	if (did_some_progress > 0 && can_compact &&
	    should_compact_retry(ac, order, alloc_flags, compact_result, &compact_priority, &compaction_retries))
		goto retry;
	page = __alloc_pages_may_oom(gfp, order, ac, pref, &did_some_progress);
	if (page)
		goto got_pg;
	if (tsk_is_oom_victim(current) && ((alloc_flags & ALLOC_OOM) || (gfp & __GFP_NOMEMALLOC)))
		goto nopage;
	if (did_some_progress) {
		no_progress_loops = 0;
		if (!sim_current() && ++nofail_loops > 64)
			goto nopage;   /* nobody else can run: cannot make progress outside a process */
		cond_resched_wait();
		goto retry;
	}
nopage:
	if (gfp & __GFP_NOFAIL) {
		if (!can_direct_reclaim) {
			sim_printk("WARNING: CPU: %d PID: %d at mm/page_alloc.c:5299 __alloc_pages_slowpath\n",
				   smp_processor_id(), current->pid);
			goto fail;
		}
		page = __alloc_pages_cpuset_fallback(gfp, order, ALLOC_MIN_RESERVE, ac, pref < 0 ? 0 : pref);
		if (page)
			goto got_pg;
		if (!sim_current()) {
			sim_error("__GFP_NOFAIL allocation of order %u cannot wait for memory outside a simulated process",
				  order);
			goto fail;
		}
		cond_resched_wait();
		goto retry;
	}
fail:
	warn_alloc(gfp, ac->nodemask, order);
	return NULL;
got_pg:
	return page;
}

static struct page *__alloc_pages_api(gfp_t gfp, unsigned order, int preferred_nid, nodemask_t *nodemask,
				      int api);

/*
 * Every allocation and free runs as an atomic section of the simulation
 * (sim_atomic_begin): the kernel does this work under zone->lock and the pcp
 * lock with interrupts off, so another CPU's process must not interleave
 * just because this one's local time crossed the quantum. The slow path
 * still blocks where the kernel sleeps (reclaim, compaction, retries).
 */
static struct page *alloc_pages_api(gfp_t gfp, unsigned order, int preferred_nid, nodemask_t *nodemask,
				    int api)
{
	struct page *page;

	sim_atomic_begin();
	page = __alloc_pages_api(gfp, order, preferred_nid, nodemask, api);
	sim_atomic_end();
	return page;
}

static struct page *__alloc_pages_api(gfp_t gfp, unsigned order, int preferred_nid, nodemask_t *nodemask,
				      int api)
{
	struct alloc_context ac;
	struct page *page;
	unsigned alloc_flags = ALLOC_WMARK_LOW;
	gfp_t alloc_gfp;
	uint64_t t0 = 0;

	if (order >= MAX_ORDER) {
		if (!(gfp & __GFP_NOWARN))
			sim_printk("WARNING: CPU: %d PID: %d at mm/page_alloc.c:5534 __alloc_pages+0x2a4/0x2d0\n",
				   smp_processor_id(), current->pid);
		count_vm_event(ALLOC_FAIL_EVENTS);
		return NULL;
	}
	if (mm.timing) {
		t0 = sim_now();
		cost_cycles(CYC_ALLOC_ENTRY);
	}
	slow_taken = false;
	gfp &= gfp_allowed_mask;
	gfp = current_gfp_context(gfp);
	alloc_gfp = gfp;
	if (preferred_nid < 0 || preferred_nid >= mm.nr_nodes)
		preferred_nid = numa_mem_id();
	ac.highest_zoneidx = gfp_zone(gfp);
	if (ac.highest_zoneidx < 0)
		ac.highest_zoneidx = ZONE_NORMAL;    /* VM_BUG_ON in the kernel */
	ac.zonelist = node_zonelist(preferred_nid, gfp);
	ac.nodemask = nodemask;
	ac.preferred_nid = preferred_nid;
	ac.migratetype = gfp_migratetype(gfp);
	ac.spread_dirty_pages = false;
	if (gfp & __GFP_DIRECT_RECLAIM)
		might_sleep_check();
	alloc_flags = gfp_to_alloc_flags_cma(gfp, alloc_flags | ALLOC_CPUSET);
	int pref = first_zone_idx(&ac, 0);
	page = NULL;
	if (pref >= 0) {
		alloc_flags |= alloc_flags_nofragment(ac.zonelist->zones[pref], gfp);
		page = get_page_from_freelist(alloc_gfp, order, alloc_flags, &ac, pref);
	}
	if (!page) {
		alloc_gfp = gfp;
		ac.nodemask = nodemask;
		page = __alloc_pages_slowpath(alloc_gfp, order, &ac);
	}
	if (trace_on(mm_ev.page_alloc))
		trace_mm_page_alloc(page, order, alloc_gfp, ac.migratetype);
	if (mm.timing) {
		int path = !page ? PATH_FAILED : slow_taken ? PATH_SLOW : last_path;
		struct hist *h = lat_hist[api][order_class(order)][path];
		if (h)
			hist_add(h, sim_now() - t0);
	}
	return page;
}

struct page *__alloc_pages(gfp_t gfp, unsigned order, int preferred_nid, nodemask_t *nodemask)
{
	return alloc_pages_api(gfp, order, preferred_nid, nodemask, API_ALLOC_PAGES);
}

struct page *alloc_pages(gfp_t gfp, unsigned order)
{
	return alloc_pages_api(gfp, order, mm_numa_node_id(), NULL, API_ALLOC_PAGES);
}

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned order)
{
	if (nid == NUMA_NO_NODE)
		nid = numa_mem_id();
	return alloc_pages_api(gfp, order, nid, NULL, API_ALLOC_PAGES);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned order)
{
	struct page *page = alloc_pages_api(gfp & ~__GFP_HIGHMEM, order, mm_numa_node_id(), NULL,
					    API_GET_FREE_PAGES);
	return page ? page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

/* --- totals ------------------------------------------------------------------------------------------ */

unsigned long nr_free_pages(void) { return global_zone_page_state(NR_FREE_PAGES); }
unsigned long totalram_pages(void) { return mm.nr_all_pages; }

unsigned long node_free_pages(int nid)
{
	unsigned long n = 0;
	if (nid < 0 || nid >= mm.nr_nodes)
		return 0;
	for (int z = 0; z < MAX_NR_ZONES; z++)
		n += zone_page_state(&NODE_DATA(nid)->node_zones[z], NR_FREE_PAGES);
	return n;
}

unsigned long node_managed_pages(int nid)
{
	unsigned long n = 0;
	if (nid < 0 || nid >= mm.nr_nodes)
		return 0;
	for (int z = 0; z < MAX_NR_ZONES; z++)
		n += NODE_DATA(nid)->node_zones[z].managed_pages;
	return n;
}

/* --- invariant checker ---------------------------------------------------------------------------------- */

#define CHECK(cond, ...) do { if (!(cond)) { fprintf(stderr, "mm_check: " __VA_ARGS__); \
	fputc('\n', stderr); return -EUCLEAN; } } while (0)

static int check_list(struct zone *z, uint32_t head, uint32_t tail, unsigned order, int mt, bool pcp,
		      unsigned long *nblocks)
{
	uint32_t prev = PFN_NONE, pfn = head;
	unsigned long n = 0;

	while (pfn != PFN_NONE) {
		CHECK(pfn < max_pfn, "%s list order %u mt %d: pfn %#x beyond max_pfn", z->name, order, mt, pfn);
		struct page *p = pfn_to_page(pfn);
		CHECK(zone_spans_pfn(z, pfn) && zone_spans_pfn(z, pfn + (1UL << order) - 1),
		      "node %d %s: block pfn %#x order %u outside the zone", z->node, z->name, pfn, order);
		CHECK((pfn & ((1UL << order) - 1)) == 0, "pfn %#x not aligned to order %u", pfn, order);
		CHECK((p->flags & PG_ORDER_MASK) == order, "pfn %#x on order-%u list has order %u",
		      pfn, order, p->flags & PG_ORDER_MASK);
		if (pcp)
			CHECK((p->flags & PG_pcp) && !(p->flags & PG_buddy), "pfn %#x on a pcp list lacks PG_pcp", pfn);
		else
			CHECK((p->flags & PG_buddy) && !(p->flags & PG_pcp) && page_list_mt(p) == mt,
			      "pfn %#x on free list order %u mt %d: flags %#x", pfn, order, mt, p->flags);
		CHECK(p->b == prev, "pfn %#x: broken prev link", pfn);
		prev = pfn;
		pfn = p->a;
		CHECK(++n <= max_pfn, "free list loops");
	}
	CHECK(prev == tail, "%s order %u mt %d: tail %#x != last %#x", z->name, order, mt, tail, prev);
	*nblocks = n;
	return 0;
}

int buddy_check(void)
{
	if (!mm.booted)
		return 0;
	unsigned long managed_total = 0;
	for_each_zone(z) {
		long free_pages = 0;
		managed_total += z->managed_pages;
		CHECK(z->managed_pages <= z->present_pages && z->present_pages <= z->spanned_pages,
		      "node %d %s: managed %lu present %lu spanned %lu", z->node, z->name,
		      z->managed_pages, z->present_pages, z->spanned_pages);
		for (unsigned o = 0; o < MAX_ORDER; o++) {
			unsigned long tot = 0;
			for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
				unsigned long n;
				int r = check_list(z, z->free_area[o].head[mt], z->free_area[o].tail[mt], o, mt, false, &n);
				if (r)
					return r;
				if (lazy_slot(o, mt))
					n += z->lazy_blocks;
				CHECK(n == z->free_area[o].nr[mt], "node %d %s order %u mt %d: %lu listed, count %u",
				      z->node, z->name, o, mt, n, z->free_area[o].nr[mt]);
				tot += n;
			}
			CHECK(tot == z->free_area[o].nr_free, "node %d %s order %u: nr_free %lu != %lu listed",
			      z->node, z->name, o, z->free_area[o].nr_free, tot);
			free_pages += (long)(tot << o);
		}
		CHECK(free_pages == z->vm_stat[NR_FREE_PAGES], "node %d %s: NR_FREE_PAGES %ld != %ld in lists",
		      z->node, z->name, z->vm_stat[NR_FREE_PAGES], free_pages);
		for (int c = 0; c < mm.nr_cpus; c++) {
			struct per_cpu_pages *pcp = &z->per_cpu_pageset[c];
			long cnt = 0;
			for (int l = 0; l < NR_PCP_LISTS; l++) {
				unsigned long n;
				int r = check_list(z, pcp->head[l], pcp->tail[l], pindex_to_order(l), l % 3, true, &n);
				if (r)
					return r;
				cnt += (long)(n << pindex_to_order(l));
			}
			CHECK(cnt == pcp->count, "node %d %s cpu %d: pcp count %d != %ld listed",
			      z->node, z->name, c, pcp->count, cnt);
		}
		CHECK(z->nr_reserved_highatomic <= z->managed_pages / 100 + 2 * pageblock_nr_pages,
		      "highatomic reserve too large");
	}
	CHECK(managed_total == mm.nr_all_pages, "Σ managed %lu != totalram %lu", managed_total, mm.nr_all_pages);
	return 0;
}

/* Full scan: every pfn of every zone is in exactly one state; block-wise walk. */
static int check_pages(void)
{
	for_each_zone(z) {
		unsigned long free_seen = 0, pageblocks = 0;
		if (!z->spanned_pages)
			continue;
		for (unsigned long pfn = z->zone_start_pfn; pfn < zone_end_pfn(z);) {
			struct page *p = pfn_to_page(pfn);
			if (!(pfn & (MAX_ORDER_NR_PAGES - 1)) && z->lazy_blocks && pfn_in_lazy(z, pfn)) {
				for (unsigned long i = 0; i < MAX_ORDER_NR_PAGES; i++)
					CHECK(p[i].flags == 0 && p[i].a == 0, "pfn %#lx in an untouched boot block is in use",
					      pfn + i);
				free_seen += MAX_ORDER_NR_PAGES;
				pfn += MAX_ORDER_NR_PAGES;
				continue;
			}
			if (p->flags & PG_buddy) {
				unsigned o = buddy_order(p);
				for (unsigned long i = 1; i < (1UL << o); i++)
					CHECK(!(p[i].flags & (PG_buddy | PG_pcp)) && page_ref_count(&p[i]) == 0 &&
					      !(p[i].flags & PG_reserved),
					      "pfn %#lx inside free block %#lx order %u is in use (flags %#x)",
					      pfn + i, pfn, o, p[i].flags);
				free_seen += 1UL << o;
				pfn += 1UL << o;
				continue;
			}
			if ((p->flags & (PG_ORDER_MASK | PG_TYPE_MASK)) && !(p->flags & (PG_pcp | PG_reserved | PG_tail)))
				CHECK(page_ref_count(p) > 0, "allocated pfn %#lx has refcount %d", pfn, page_ref_count(p));
			pfn++;
		}
		CHECK(free_seen == (unsigned long)z->vm_stat[NR_FREE_PAGES],
		      "node %d %s: %lu free pages in the memmap, NR_FREE_PAGES %ld",
		      z->node, z->name, free_seen, z->vm_stat[NR_FREE_PAGES]);
		for (unsigned long b = z->zone_start_pfn >> pageblock_order; b <= (zone_end_pfn(z) - 1) >> pageblock_order; b++) {
			CHECK(mm.pageblocks[b].mt < MIGRATE_TYPES, "pageblock %lu: bad migratetype", b);
			pageblocks++;
		}
		CHECK(pageblocks == ((zone_end_pfn(z) - 1) >> pageblock_order) - (z->zone_start_pfn >> pageblock_order) + 1,
		      "pageblock count");
		unsigned long hiat = 0;
		for (unsigned long b = z->zone_start_pfn >> pageblock_order; b <= (zone_end_pfn(z) - 1) >> pageblock_order; b++)
			if (mm.pageblocks[b].mt == MIGRATE_HIGHATOMIC && mm.pageblocks[b].zone_id == zone_id(z))
				hiat += pageblock_nr_pages;
		CHECK(hiat == z->nr_reserved_highatomic, "node %d %s: %lu pages in HighAtomic pageblocks, "
		      "nr_reserved_highatomic %lu", z->node, z->name, hiat, z->nr_reserved_highatomic);
	}
	return 0;
}

int mm_check(void)
{
	int r = buddy_check();

	if (r)
		return r;
	/* The full memmap walk is bounded to keep checks cheap on huge machines. */
	if (max_pfn <= (1UL << 24))
		r = check_pages();
	/* The allocators above the buddy keep their own invariants. */
	if (!r && slab_is_available())
		r = slab_check() ? -EFAULT : 0;
	if (!r)
		r = vmalloc_check() ? -EFAULT : 0;
	if (!r)
		r = pcpu_check() ? -EFAULT : 0;
	if (!r)
		r = reclaim_check() ? -EFAULT : 0;
	return r;
}
