/* SPDX-License-Identifier: MIT */
/*
 * mm/internal.h — cross-file internals of mm/, grouped by defining file.
 * Nothing outside mm/ includes this header.
 */
#ifndef MMSIM_MM_INTERNAL_H
#define MMSIM_MM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/mmzone.h"
#include "mm/page_alloc.h"
#include "sim/trace.h"

/* alloc_flags (§3.5, 6.1.y) */
#define ALLOC_WMARK_MIN      WMARK_MIN
#define ALLOC_WMARK_LOW      WMARK_LOW
#define ALLOC_WMARK_HIGH     WMARK_HIGH
#define ALLOC_NO_WATERMARKS  0x04
#define ALLOC_WMARK_MASK     (ALLOC_NO_WATERMARKS - 1)
#define ALLOC_OOM            0x08
#define ALLOC_NON_BLOCK      0x10
#define ALLOC_MIN_RESERVE    0x20
#define ALLOC_CPUSET         0x40
#define ALLOC_CMA            0x80
#define ALLOC_NOFRAGMENT     0x100
#define ALLOC_HIGHATOMIC     0x200
#define ALLOC_KSWAPD         0x800
#define ALLOC_RESERVES       (ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC | ALLOC_OOM)

struct alloc_context {
	struct zonelist *zonelist;
	nodemask_t *nodemask;
	int preferred_nid;
	int highest_zoneidx;
	int migratetype;
	bool spread_dirty_pages;
};

/* --- memblock.c: boot-time state ------------------------------------------------ */
struct mm_state {
	bool booted;
	bool timing;
	struct mm_params params;
	int nr_nodes, nr_cpus;
	int cpu_node[MACHINE_MAX_CPUS];
	int node_cpus[MACHINE_MAX_NODES];
	unsigned char distance[MACHINE_MAX_NODES][MACHINE_MAX_NODES];
	struct pglist_data *node_data[MACHINE_MAX_NODES];
	struct pageblock *pageblocks;   /* [max_pfn >> pageblock_order (+1)] */
	unsigned long nr_pageblocks;
	size_t mem_map_bytes;           /* mmap'd length */
	unsigned long totalreserve_pages;
	unsigned long nr_kernel_pages, nr_all_pages;
	int min_free_kbytes;
	int user_min_free_kbytes;       /* -1 unset */
	int watermark_scale_factor;
	int watermark_boost_factor;
	int lowmem_reserve_ratio[MAX_NR_ZONES];
	uint64_t reserved_bytes, memory_bytes;
	uint64_t percpu_unit_size, percpu_bytes;
	unsigned long pcpu_va_base;     /* simulated address of CPU 0's percpu unit */
	unsigned long pcpu_group_base[MACHINE_MAX_NODES];   /* each node's first-chunk units (direct map) */
	unsigned long memmap_pages;     /* memblock-accounted struct page arrays */
	unsigned long pgtable_boot_pages;
	unsigned long kernel_code_pages;
	/* kernel log rate limits */
	uint64_t last_warn_alloc_ps;
	bool warned_alloc;
	uint64_t last_might_sleep_ps;
	bool warned_might_sleep;
};
extern struct mm_state mm;

static inline struct pglist_data *NODE_DATA(int nid) { return mm.node_data[nid]; }
static inline struct zone *zone_of_id(unsigned id)
{ return &mm.node_data[id / MAX_NR_ZONES]->node_zones[id % MAX_NR_ZONES]; }
static inline unsigned zone_id(const struct zone *z) { return (unsigned)(z->node * MAX_NR_ZONES + z->idx); }
static inline struct pageblock *pfn_pageblock(unsigned long pfn) { return &mm.pageblocks[pfn >> pageblock_order]; }
static inline int get_pageblock_migratetype(unsigned long pfn) { return pfn_pageblock(pfn)->mt; }
struct zone *page_zone(const struct page *page);
void set_pageblock_migratetype(unsigned long pfn, int mt);

/* --- page_alloc.c ----------------------------------------------------------------- */
int mm_numa_node_id(void);        /* node of the current CPU (boot topology, works with a layout) */
void setup_per_zone_wmarks(void);
void setup_per_zone_lowmem_reserve(void);
void zone_pcp_update_all(void);
void build_all_zonelists(void);
int init_per_zone_wmark_min(void);
bool __zone_watermark_ok(struct zone *z, unsigned order, unsigned long mark, int highest_zoneidx,
			 unsigned alloc_flags, long free_pages);
bool zone_watermark_ok(struct zone *z, unsigned order, unsigned long mark, int highest_zoneidx,
		       unsigned alloc_flags);
void __free_pages_core(struct page *page, unsigned order);
void page_alloc_init_stats(void);
void page_alloc_shutdown(void);
int buddy_check(void);
/* test hooks (tests link libmm; declared here and in the tests) */
unsigned long zone_pcp_count(struct zone *z, int cpu);

/* --- vmstat.c ---------------------------------------------------------------------- */
enum vm_event_item {
	PGALLOC_DMA, PGALLOC_DMA32, PGALLOC_NORMAL, PGALLOC_MOVABLE, PGALLOC_DEVICE,
	ALLOCSTALL_DMA, ALLOCSTALL_DMA32, ALLOCSTALL_NORMAL, ALLOCSTALL_MOVABLE, ALLOCSTALL_DEVICE,
	PGFREE, PGACTIVATE, PGDEACTIVATE,
	COMPACTSTALL, COMPACTFAIL, COMPACTSUCCESS,
	PAGEOUTRUN,
	ALLOC_FAIL_EVENTS,              /* model: failed allocations (not a kernel counter) */
	MIGHT_SLEEP_BUGS,               /* model: "sleeping function called from invalid context" */
	COMPACT_CALLS,                  /* model: direct compaction attempts (incl. skipped) */
	OOM_CALLS,                      /* model: out_of_memory() invocations */
	NR_VM_EVENT_ITEMS
};
extern uint64_t *vm_events[NR_VM_EVENT_ITEMS];
extern const char *const vm_event_names[NR_VM_EVENT_ITEMS];
extern const char *const zone_stat_names[NR_VM_ZONE_STAT_ITEMS];
extern const char *const numa_stat_names[NR_VM_NUMA_EVENT_ITEMS];
extern const char *const node_stat_names[NR_VM_NODE_STAT_ITEMS];
static inline void count_vm_event(enum vm_event_item i) { ++*vm_events[i]; }
static inline void count_vm_events(enum vm_event_item i, unsigned long n) { *vm_events[i] += n; }
static inline void __mod_zone_page_state(struct zone *z, enum zone_stat_item i, long d) { z->vm_stat[i] += d; }
/** mod_node_page_state() - node counters (slab, LRU, page tables ...), in pages (or kB for
 *  NR_KERNEL_STACK_KB; NR_SLAB_*_B are kept in pages here, as node_page_state_pages() reports). */
static inline void mod_node_page_state(struct pglist_data *pg, enum node_stat_item i, long d) { pg->vm_stat[i] += d; }
void vmstat_init(void);
void vmstat_shutdown(void);
unsigned long global_zone_page_state(enum zone_stat_item i);
unsigned long global_node_page_state(enum node_stat_item i);
unsigned long global_numa_event_state(enum numa_stat_item i);
struct contig_page_info {
	unsigned long free_pages;
	unsigned long free_blocks_total;
	unsigned long free_blocks_suitable;
};
void fill_contig_page_info(struct zone *zone, unsigned order, struct contig_page_info *info);
int __fragmentation_index(unsigned order, const struct contig_page_info *info);
int unusable_free_index(unsigned order, const struct contig_page_info *info);
int fragmentation_index(struct zone *zone, unsigned order);
int calculate_normal_threshold(struct zone *zone);

/* --- page_alloc.c (report helpers) -------------------------------------------------- */
void nodemask_format(char *buf, size_t len, const nodemask_t *m);

/* --- events.c ------------------------------------------------------------------------ */
struct mm_trace_events {
	struct trace_event *page_alloc, *page_free, *page_free_batched, *page_alloc_zone_locked,
		*page_pcpu_drain, *page_alloc_extfrag, *wakeup_kswapd;
};
extern struct mm_trace_events mm_ev;
void mm_events_init(void);
void trace_mm_page_alloc(struct page *page, unsigned order, gfp_t gfp, int mt);
void trace_mm_page_free(struct page *page, unsigned order);
void trace_mm_page_free_batched(struct page *page);
void trace_mm_page_alloc_zone_locked(struct page *page, unsigned order, int mt, bool refill);
void trace_mm_page_pcpu_drain(struct page *page, unsigned order, int mt);
void trace_mm_page_alloc_extfrag(struct page *page, int alloc_order, int fallback_order,
				 int alloc_mt, int fallback_mt);
void trace_mm_vmscan_wakeup_kswapd(int nid, int zid, int order, gfp_t gfp);
/** mm_trace_page_ptr() - the %p of a struct page: hash of its vmemmap address. */
static inline uint64_t mm_trace_page_ptr(const struct page *p)
{ return p ? trace_hash_ptr(page_vmemmap_addr(p)) : 0; }

/* --- proc.c ---------------------------------------------------------------------------- */
void show_free_areas(void);

#endif /* MMSIM_MM_INTERNAL_H */
