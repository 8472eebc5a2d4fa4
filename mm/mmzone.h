/* SPDX-License-Identifier: MIT */
/*
 * mm/mmzone.h — internal: zones, nodes, free areas, per-cpu page lists and
 * pageblocks (include/linux/mmzone.h of 6.1, compacted). Only mm/ includes it.
 *
 * Free lists are doubly linked through struct page (a = next pfn, b = prev
 * pfn, PFN_NONE ends) with a head and a tail per list so blocks can be added
 * at either end like list_add / list_add_tail. Pageblock state (owning zone and
 * migratetype) lives in a separate array indexed by pfn >> pageblock_order.
 */
#ifndef MMSIM_MM_MMZONE_H
#define MMSIM_MM_MMZONE_H

#include <stdbool.h>
#include <stdint.h>
#include "mm/page_alloc.h"

#define PFN_NONE 0xffffffffu

enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, WMARK_PROMO, NR_WMARK };

/* Zone vm_stat items we keep (names in vmstat.c). */
enum zone_stat_item {
	NR_FREE_PAGES,
	NR_ZONE_LRU_BASE,
	NR_ZONE_INACTIVE_ANON = NR_ZONE_LRU_BASE,
	NR_ZONE_ACTIVE_ANON,
	NR_ZONE_INACTIVE_FILE,
	NR_ZONE_ACTIVE_FILE,
	NR_ZONE_UNEVICTABLE,
	NR_ZONE_WRITE_PENDING,
	NR_MLOCK,
	NR_BOUNCE,
	NR_ZSPAGES,
	NR_FREE_CMA_PAGES,
	NR_VM_ZONE_STAT_ITEMS
};

enum numa_stat_item {
	NUMA_HIT, NUMA_MISS, NUMA_FOREIGN, NUMA_INTERLEAVE_HIT, NUMA_LOCAL, NUMA_OTHER,
	NR_VM_NUMA_EVENT_ITEMS
};

/* Node stat items (printed as "per-node stats" in zoneinfo). */
enum node_stat_item {
	NR_INACTIVE_ANON, NR_ACTIVE_ANON, NR_INACTIVE_FILE, NR_ACTIVE_FILE, NR_UNEVICTABLE,
	NR_SLAB_RECLAIMABLE_B, NR_SLAB_UNRECLAIMABLE_B,
	NR_ISOLATED_ANON, NR_ISOLATED_FILE,
	WORKINGSET_NODES, WORKINGSET_REFAULT_ANON, WORKINGSET_REFAULT_FILE,
	WORKINGSET_ACTIVATE_ANON, WORKINGSET_ACTIVATE_FILE, WORKINGSET_RESTORE_ANON,
	WORKINGSET_RESTORE_FILE, WORKINGSET_NODERECLAIM,
	NR_ANON_MAPPED, NR_FILE_MAPPED, NR_FILE_PAGES, NR_FILE_DIRTY, NR_WRITEBACK,
	NR_WRITEBACK_TEMP, NR_SHMEM, NR_SHMEM_THPS, NR_SHMEM_PMDMAPPED, NR_FILE_THPS,
	NR_FILE_PMDMAPPED, NR_ANON_THPS, NR_VMSCAN_WRITE, NR_VMSCAN_IMMEDIATE, NR_DIRTIED,
	NR_WRITTEN, NR_THROTTLED_WRITTEN, NR_KERNEL_MISC_RECLAIMABLE, NR_FOLL_PIN_ACQUIRED,
	NR_FOLL_PIN_RELEASED, NR_KERNEL_STACK_KB, NR_PAGETABLE, NR_SECONDARY_PAGETABLE,
	NR_SWAPCACHE,
	PGPROMOTE_SUCCESS, PGPROMOTE_CANDIDATE,     /* CONFIG_NUMA_BALANCING */
	NR_VM_NODE_STAT_ITEMS
};

struct free_area {
	uint32_t head[MIGRATE_TYPES];
	uint32_t tail[MIGRATE_TYPES];
	uint32_t nr[MIGRATE_TYPES];     /* blocks on each list (model's addition, for pagetypeinfo) */
	unsigned long nr_free;          /* blocks on all lists */
};

#define NR_PCP_LISTS (MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1))   /* 12: THP list not modelled */

struct per_cpu_pages {
	int count;                      /* pages on all lists */
	int high;
	int batch;
	short free_factor;
	uint32_t head[NR_PCP_LISTS];
	uint32_t tail[NR_PCP_LISTS];
	unsigned long va;               /* simulated address of this pcp structure */
};

/* zone->flags */
#define ZONE_BOOSTED_WATERMARK  (1u << 0)
#define ZONE_RECLAIM_ACTIVE     (1u << 1)

struct pglist_data;

struct zone {
	unsigned long _watermark[NR_WMARK];
	unsigned long watermark_boost;
	unsigned long nr_reserved_highatomic;
	long lowmem_reserve[MAX_NR_ZONES];
	int node;
	enum zone_type idx;
	struct pglist_data *zone_pgdat;
	struct per_cpu_pages *per_cpu_pageset;  /* [nr_cpus] */
	int pageset_high, pageset_batch;
	unsigned long zone_start_pfn;
	unsigned long spanned_pages;
	unsigned long present_pages;
	unsigned long managed_pages;
	unsigned long cma_pages;
	const char *name;
	unsigned flags;
	int stat_threshold;
	struct free_area free_area[MAX_ORDER];
	long vm_stat[NR_VM_ZONE_STAT_ITEMS];
	unsigned long numa_stat[NR_VM_NUMA_EVENT_ITEMS];
	/*
	 * Boot-time MOVABLE max-order blocks not yet written to mem_map (host RSS:
	 * only block heads that are used get touched). Conceptually they sit at the
	 * tail of free_area[MAX_ORDER-1].list[MOVABLE] in ascending pfn order; they
	 * are counted in nr/nr_free/NR_FREE_PAGES and materialised on demand.
	 */
	struct lazy_range { uint32_t start, end; } *lazy;
	int nr_lazy, lazy_cur, lazy_cap;
	unsigned long lazy_blocks;
	/* simulated addresses (inside the node's reserved pgdat memory) */
	unsigned long va_zone;          /* zone->lock, watermarks */
	unsigned long va_free_area;     /* free_area[0]; each order 128 bytes */
};

static inline bool populated_zone(const struct zone *z) { return z->present_pages != 0; }
static inline bool managed_zone(const struct zone *z) { return z->managed_pages != 0; }
static inline unsigned long zone_end_pfn(const struct zone *z) { return z->zone_start_pfn + z->spanned_pages; }
static inline bool zone_spans_pfn(const struct zone *z, unsigned long pfn)
{ return pfn >= z->zone_start_pfn && pfn < zone_end_pfn(z); }
static inline unsigned long zone_page_state(const struct zone *z, enum zone_stat_item i)
{ long v = z->vm_stat[i]; return v < 0 ? 0 : (unsigned long)v; }

#define min_wmark_pages(z)  ((z)->_watermark[WMARK_MIN] + (z)->watermark_boost)
#define low_wmark_pages(z)  ((z)->_watermark[WMARK_LOW] + (z)->watermark_boost)
#define high_wmark_pages(z) ((z)->_watermark[WMARK_HIGH] + (z)->watermark_boost)
#define wmark_pages(z, i)   ((z)->_watermark[i] + (z)->watermark_boost)

enum { ZONELIST_FALLBACK, ZONELIST_NOFALLBACK, MAX_ZONELISTS };

struct zonelist {
	struct zone **zones;            /* NULL-terminated */
	int nr;
};

struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	struct zonelist node_zonelists[MAX_ZONELISTS];
	int nr_zones;                   /* highest populated zone index + 1 */
	int node_id;
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
	int kswapd_order;
	int kswapd_highest_zoneidx;     /* MAX_NR_ZONES = unset */
	int kswapd_failures;
	bool kswapd_sleeping;
	long vm_stat[NR_VM_NODE_STAT_ITEMS];
	unsigned long va;               /* simulated address of pglist_data */
};

/* Pageblock state: owning zone (global id nid*MAX_NR_ZONES+zt) and migratetype. */
#define PB_ZONE_NONE 0xffffu
struct pageblock {
	uint16_t zone_id;
	uint8_t mt;
	uint8_t skip;
};

#endif /* MMSIM_MM_MMZONE_H */
