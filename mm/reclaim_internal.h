/* SPDX-License-Identifier: MIT */
/*
 * mm/reclaim_internal.h — cross-file internals of the memory-pressure model
 * (memory.c, filemap.c, swap.c, lru.c, vmscan.c), grouped by defining file.
 * Nothing outside mm/ includes this header. (Kept apart from mm/internal.h,
 * which belongs to the page allocator.)
 */
#ifndef MMSIM_MM_RECLAIM_INTERNAL_H
#define MMSIM_MM_RECLAIM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "mm/internal.h"
#include "mm/memory.h"
#include "sim/engine.h"

#define UP_NONE 0xffffffffu
#define SWAP_CLUSTER_MAX 32UL
#define DEF_PRIORITY 12
#define MAX_RECLAIM_RETRIES_K 16        /* MAX_RECLAIM_RETRIES (kswapd hopeless) */
#define HZ 250
#define JIFFY (SIM_SEC / HZ)

enum lru_list {
	LRU_INACTIVE_ANON, LRU_ACTIVE_ANON, LRU_INACTIVE_FILE, LRU_ACTIVE_FILE, LRU_UNEVICTABLE,
	NR_LRU_LISTS
};
static inline bool is_file_lru(int lru) { return lru == LRU_INACTIVE_FILE || lru == LRU_ACTIVE_FILE; }
static inline bool is_active_lru(int lru) { return lru == LRU_ACTIVE_ANON || lru == LRU_ACTIVE_FILE; }

/* upage flags (the model's page flags of user pages) */
#define UP_ANON        0x0001u          /* PageAnon / PageSwapBacked */
#define UP_ACTIVE      0x0002u          /* PG_active */
#define UP_REFERENCED  0x0004u          /* PG_referenced */
#define UP_YOUNG       0x0008u          /* accessed bit of the pte(s) */
#define UP_DIRTY       0x0010u          /* PG_dirty (or pte dirty) */
#define UP_WRITEBACK   0x0020u          /* PG_writeback */
#define UP_RECLAIM     0x0040u          /* PG_reclaim: rotate to the tail when writeback ends */
#define UP_ISOLATED    0x0080u          /* off the LRU, held by reclaim or compaction */
#define UP_SWAPCACHE   0x0100u          /* in the swap cache (slot valid) */
#define UP_MAPPED      0x0200u          /* anon: the owner's pte points at it */
#define UP_ORPHAN      0x0400u          /* owner gone while isolated / under writeback: free when done */
#define UP_LRU         0x0800u          /* on an LRU list */

/* --- lru.c: owner table and LRU lists ------------------------------------------- */
struct upage {
	uint32_t pfn;
	uint32_t prev, next;            /* LRU links (owner-table indices); free list uses next */
	uint32_t owner;                 /* mm id (anon) or file id */
	uint32_t index;                 /* vpn (anon) or page index in the file */
	uint32_t slot;                  /* swap slot while UP_SWAPCACHE */
	uint16_t flags;
	uint8_t lru;
	uint8_t nid;
};

struct lruvec {
	uint32_t head[NR_LRU_LISTS], tail[NR_LRU_LISTS];
	unsigned long nr[NR_LRU_LISTS];
	unsigned long nr_zone[NR_LRU_LISTS][MAX_NR_ZONES];
	unsigned long anon_cost, file_cost;
	bool congested;                 /* LRUVEC_CONGESTED */
	bool pgdat_writeback;           /* PGDAT_WRITEBACK */
};

struct reclaim_state_g {
	bool inited;
	struct pressure_params p;
	struct upage *up;               /* owner table */
	uint32_t nr_up, cap_up, free_up;
	unsigned long used_up;
	struct lruvec lruvec[MACHINE_MAX_NODES];
	struct sim_event *writeback_ev[MACHINE_MAX_NODES];   /* writeback completions (reclaim_throttle) */
	struct sim_event *pfmemalloc_ev[MACHINE_MAX_NODES];  /* pfmemalloc_wait */
	struct sim_event *kswapd_ev[MACHINE_MAX_NODES];
	bool kswapd_running[MACHINE_MAX_NODES];
	struct task_struct *kswapd_task[MACHINE_MAX_NODES];
	struct sim_event *dirty_ev;     /* balance_dirty_pages waiters */
};
extern struct reclaim_state_g rs;

static inline struct upage *up_of(uint32_t i) { return &rs.up[i]; }
static inline struct upage *page_up(const struct page *p) { return &rs.up[page_owner_data(p)]; }
static inline uint32_t page_up_idx(const struct page *p) { return page_owner_data(p); }
static inline struct page *up_page(const struct upage *u) { return pfn_to_page(u->pfn); }

/** upage_alloc() - owner-table entry for newly allocated user @page (sets page owner). */
uint32_t upage_alloc(struct page *page, bool anon, uint32_t owner, uint32_t index);
/** upage_free() - release the entry (page not on an LRU); the caller then put_page()s. */
void upage_free(uint32_t idx);
int lru_of(const struct upage *u);
void lru_add(uint32_t idx, int lru, bool tail);     /* tail = list_add_tail (oldest end) */
void lru_del(uint32_t idx);
/** lru_cache_add() - a new page goes to the inactive list of its type (6.1 anon and file). */
void lru_cache_add(uint32_t idx);
/** mark_page_accessed() - the inactive,unreferenced → referenced → active ladder. */
void mark_page_accessed(uint32_t idx);
/** release_user_page() - drop the mapping's reference of a page whose owner let go of it. */
void release_user_page(uint32_t idx);
void lru_update_stats(uint32_t idx, int delta);
void zone_lru_mod(struct page *page, int lru, long d);
void up_set_dirty(uint32_t idx, bool dirty);
void up_set_writeback(uint32_t idx, bool wb);
int lru_check(void);
int lru_init(void);
void lru_shutdown(void);

/* --- memory.c: tasks and page tables ------------------------------------------- */
struct mm_struct *mm_of_id(uint32_t id);
/** pte_of() - the pte slot of @vpn in @mm (NULL if no page table). */
uint32_t *pte_of(struct mm_struct *mm, unsigned long vpn);
#define PTE_PRESENT 1u
#define PTE_SWAP    2u
static inline uint32_t mk_pte(unsigned long pfn) { return (uint32_t)(pfn << 2) | PTE_PRESENT; }
static inline uint32_t mk_swp_pte(uint32_t slot) { return (slot << 2) | PTE_SWAP; }
static inline uint32_t pte_val_pfn(uint32_t pte) { return pte >> 2; }
void add_mm_counter(struct mm_struct *mm, int member, long d);
void memory_shutdown(void);
int memory_check(void);

/* --- swap.c: swap device, block device, I/O queues ----------------------------- */
struct blkdev;
extern struct blkdev *swap_bdev, *file_bdev;
int swap_init(const struct pressure_params *p, char *err, size_t len);
void swap_shutdown(void);
long get_nr_swap_pages(void);
unsigned long total_swap_pages_count(void);
/** get_swap_slot() - a free slot or UP_NONE. */
uint32_t get_swap_slot(void);
void swap_free_slot(uint32_t slot);
uint32_t swap_cache_lookup(uint32_t slot);
void swap_cache_set(uint32_t slot, uint32_t idx);
/** blk_submit_write() - async write of one page; completion runs writeback_done(idx). */
void blk_submit_write(struct blkdev *d, uint32_t idx);
/** blk_read_sync() - the caller waits for a read of @bytes. */
void blk_read_sync(struct blkdev *d, size_t bytes);
void writeback_done(uint32_t idx);   /* lru.c */
unsigned long swapcache_pages(void);
int swap_check(void);

/* --- filemap.c ---------------------------------------------------------------- */
/** filemap_remove() - reclaim took a clean page-cache page away: clear the cache slot. */
void filemap_remove(uint32_t idx);
void filemap_shutdown(void);
int filemap_check(void);
/** wakeup_flusher_page() - the flusher writes back @idx (dirty file page). */
void start_writeback(uint32_t idx);

/* --- vmscan.c ------------------------------------------------------------------- */
struct vmscan_counters {
	uint64_t *pgscan_kswapd, *pgscan_direct, *pgscan_direct_throttle, *pgsteal_kswapd, *pgsteal_direct;
	uint64_t *pgscan_anon, *pgscan_file, *pgsteal_anon, *pgsteal_file;
	uint64_t *pswpin, *pswpout, *pgpgin, *pgpgout, *pgfault, *pgmajfault, *pgrotated;
	uint64_t *kswapd_low_wmark_hit_quickly, *kswapd_high_wmark_hit_quickly, *slabs_scanned;
	uint64_t *pgrefill, *workingset_refault;
	uint64_t *reclaim_throttle_waits;
};
extern struct vmscan_counters vc;
struct hist;
extern struct hist *h_fault_latency;     /* user faults that allocate or swap in (ps) */
bool current_is_kswapd(void);
int reclaim_stats_init(void);
/** reclaim_shrinker_deferred() - nr_deferred of @sh on @nid (tests). */
struct slab_shrinker;
long reclaim_shrinker_deferred(struct slab_shrinker *sh, int nid);
/** reclaim_shrink_slab() - run the shrinkers once at @priority (tests). */
unsigned long reclaim_shrink_slab(gfp_t gfp, int nid, int priority);
/** reclaim_lazy_init() - reclaim_init() with the defaults if nobody called it. Return 0 or -errno. */
int reclaim_lazy_init(void);
void reclaim_stats_shutdown(void);

#endif /* MMSIM_MM_RECLAIM_INTERNAL_H */
