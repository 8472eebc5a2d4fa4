// SPDX-License-Identifier: MIT
/*
 * mm/compaction.c — memory compaction of Linux 6.1 (fact sheet §8, §9).
 *
 * Models:
 *  - compact_zone(): the migrate scanner walks pageblocks up from the cached
 *    (or zone start) pfn isolating LRU pages (≤ COMPACT_CLUSTER_MAX per batch,
 *    a whole block on a rescan); the free scanner walks pageblocks down from
 *    the cached (or last) pageblock isolating free buddy blocks of MOVABLE
 *    blocks (below pageblock order) and splitting them to order-0 pages;
 *    isolated pages migrate low → high. The scanners meet → COMPLETE (whole
 *    zone) or PARTIAL_SKIPPED; SUCCESS when, at a pageblock boundary, a free
 *    block ≥ order of the wanted migratetype (or a stealable fallback) exists.
 *    Per-pageblock skip hints (struct pageblock.skip) and cached scanner
 *    positions per zone; async direct compaction scans only blocks of the
 *    request's migratetype and gives up a cc->order block on the first page it
 *    cannot isolate.
 *  - Migration goes through mm/memory.h: isolate_movable_page(),
 *    migrate_movable_page(old, new) — which charges the copy (mem_copy_phys),
 *    the rmap/pte update and the TLB flush of a mapped page, and frees @old —
 *    and putback_movable_page() for pages that could not move.
 *  - compaction_suitable() with the watermark + compact_gap check and the
 *    fragmentation index against extfrag_threshold (500) for costly orders;
 *    deferral (compaction_deferred / defer_compaction / compaction_defer_reset /
 *    compaction_restarting, defer_shift ≤ 6); priorities (ASYNC → MIGRATE_ASYNC;
 *    SYNC_LIGHT; SYNC_FULL scans the whole zone ignoring skip hints and block
 *    suitability); try_to_compact_pages() and compaction_zonelist_suitable()
 *    for the slow path; capture of a freed block of the requested order
 *    (capture_control) handed to the allocation.
 *  - kcompactd per node (a kernel-thread process): woken by wakeup_kcompactd()
 *    for order > 0 when a zone is compaction_suitable, compacts zones 0..idx at
 *    SYNC_LIGHT; every 500 ms (compaction_proactiveness 20) it computes the
 *    node's fragmentation score and compacts proactively above 90 until zones
 *    are ≤ 80, backing off 500 ms << 6 when that made no progress.
 *
 * Invariants (compaction_check): cached positions lie in their zone, the free
 * position is pageblock aligned, defer_shift ≤ COMPACT_MAX_DEFER_SHIFT and
 * considered ≤ 1 << defer_shift; outside compact_zone no page is held
 * isolated by compaction.
 *
 * Simplified vs 6.1:
 *  - no fast_find_migrateblock / fast_isolate_freepages (the linear scanners
 *    only), no lock contention (async compaction is never CONTENDED except on a
 *    fatal signal), migrate_pages() makes one pass (no 10 retries of -EAGAIN:
 *    nothing changes in simulated time between them);
 *  - capture: the kernel captures a block while it merges in __free_one_page;
 *    here, after each migration batch (and the pcp drain the kernel does at the
 *    same place), a free block of exactly the requested order inside the range
 *    just vacated is taken off the free list. The buddy free-list removal used
 *    by the free scanner and the capture mirrors del_page_from_free_list() of
 *    mm/page_alloc.c (which is static there);
 *  - __reset_isolation_suitable() clears every skip hint of the zone and resets
 *    the cached positions to the zone ends (the kernel looks for the first
 *    suitable blocks);
 *  - boot-time free max-order blocks not yet materialised in mem_map (struct
 *    zone lazy ranges) are skipped by both scanners (they are order-10 free
 *    blocks: nothing to migrate, and the free scanner never splits blocks ≥
 *    pageblock order anyway);
 *  - scanning costs a fixed number of cycles per page examined, charged per
 *    pageblock (where the kernel may cond_resched), not a modelled cache access
 *    per struct page.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cost.h"
#include "machine/cpu.h"
#include "mm/compaction.h"
#include "mm/internal.h"
#include "mm/memory.h"
#include "mm/sched.h"
#include "sim/engine.h"
#include "sim/log.h"
#include "sim/stats.h"
#include "sim/trace.h"

int sysctl_extfrag_threshold = 500;
int sysctl_compaction_proactiveness = 20;
int sysctl_compact_unevictable_allowed = 1;

/* --- base costs in cycles [U] = placeholder (timing-defaults.md gives none for compaction) */
#define CYC_COMPACT_ENTRY    300   /* [U] compact_zone set-up, suitability checks */
#define CYC_SCAN_PAGE        12    /* [U] one struct page examined by a scanner */
#define CYC_ISOLATE_PAGE     80    /* [U] isolate one LRU page (lru lock, list move) */
#define CYC_ISOLATE_FREE     60    /* [U] take one free block off the buddy lists (zone lock) */

enum migrate_mode { MIGRATE_ASYNC, MIGRATE_SYNC_LIGHT, MIGRATE_SYNC };

enum isolate_migrate_t { ISOLATE_ABORT, ISOLATE_NONE, ISOLATE_SUCCESS };

#define MIGRATE_LIST_MAX (pageblock_nr_pages + COMPACT_CLUSTER_MAX)
#define FREE_LIST_MAX    (2 * pageblock_nr_pages + COMPACT_CLUSTER_MAX)

struct compact_control {
	struct zone *zone;
	unsigned long migrate_pfn, free_pfn;
	unsigned long nr_freepages, nr_migratepages;
	unsigned long total_migrate_scanned, total_free_scanned;
	int order;                       /* -1: compact everything (manual, proactive) */
	gfp_t gfp_mask;
	unsigned alloc_flags;
	int highest_zoneidx;
	int migratetype;
	enum migrate_mode mode;
	bool ignore_skip_hint, ignore_block_suitable, whole_zone, direct_compaction;
	bool proactive_compaction, rescan, finish_pageblock, contended;
	unsigned long pending_cycles;    /* scan cost not yet charged */
	/* isolated pages: buffers from a small reusable pool (no host allocation per call) */
	struct page **migratepages;
	struct page **freepages;
	struct cc_buffers *buf;
};

struct capture_control {
	struct compact_control *cc;
	struct page *page;
};

struct cc_buffers {
	struct page *migrate[MIGRATE_LIST_MAX];
	struct page *free[FREE_LIST_MAX];
	struct cc_buffers *next;
};

/* Per-zone compaction state (the kernel keeps it in struct zone). */
struct zone_compact {
	unsigned long cached_migrate_pfn[2];
	unsigned long cached_free_pfn;
	unsigned long init_migrate_pfn, init_free_pfn;
	unsigned int considered, defer_shift;
	int order_failed;
	bool blockskip_flush;
};

/* Per-node kcompactd state (the kernel keeps it in pglist_data). */
struct kcompactd {
	int nid;
	int max_order;
	int highest_zoneidx;
	bool running, sleeping, stop, proactive_trigger;
	struct sim_event *wait;
	struct sim_proc *proc;
	struct task_struct task;
};

enum {
	C_MIGRATE_SCANNED, C_FREE_SCANNED, C_ISOLATED, C_DAEMON_WAKE, C_DAEMON_MIGRATE_SCANNED,
	C_DAEMON_FREE_SCANNED, C_PGMIGRATE_SUCCESS, C_PGMIGRATE_FAIL, NR_C
};
static const char *const counter_names[NR_C] = {
	"compact_migrate_scanned", "compact_free_scanned", "compact_isolated", "compact_daemon_wake",
	"compact_daemon_migrate_scanned", "compact_daemon_free_scanned", "pgmigrate_success",
	"pgmigrate_fail",
};

static struct {
	bool inited;
	const void *booted_for;          /* NODE_DATA(0) of the boot this state belongs to */
	struct zone_compact zc[MACHINE_MAX_NODES * MAX_NR_ZONES];
	struct kcompactd *kcd[MACHINE_MAX_NODES];
	uint64_t *cnt[NR_C];
	uint64_t dummy[NR_C];
	struct hist *stall_hist;
	struct cc_buffers *pool;
	unsigned long held;              /* pages isolated by compactions in progress */
	struct {
		struct trace_event *begin, *end, *try_to_compact, *suitable, *finished, *iso_migrate,
			*iso_free, *migratepages, *deferred, *defer_compaction, *defer_reset,
			*kcd_sleep, *wakeup_kcd, *kcd_wake;
	} ev;
} cs;

static const char *const compact_status[] = {
	[COMPACT_NOT_SUITABLE_ZONE] = "not_suitable_zone", [COMPACT_SKIPPED] = "skipped",
	[COMPACT_DEFERRED] = "deferred", [COMPACT_NO_SUITABLE_PAGE] = "no_suitable_page",
	[COMPACT_CONTINUE] = "continue", [COMPACT_COMPLETE] = "complete",
	[COMPACT_PARTIAL_SKIPPED] = "partial_skipped", [COMPACT_CONTENDED] = "contended",
	[COMPACT_SUCCESS] = "success",
};

const char *compact_result_name(enum compact_result r)
{
	if ((unsigned)r < sizeof(compact_status) / sizeof(compact_status[0]))
		return compact_status[r];
	return "?";
}

static void ensure_init(void);

static inline struct zone_compact *zc_of(const struct zone *z)
{
	return &cs.zc[zone_id(z)];
}

static inline void count_compact(int c, unsigned long n)
{
	*cs.cnt[c] += n;
}

static inline void charge(unsigned long cycles)
{
	if (mm.timing && cycles)
		cost_cycles((unsigned)(cycles > 0xffffffffUL ? 0xffffffffUL : cycles));
}

static inline void cc_charge_pending(struct compact_control *cc)
{
	charge(cc->pending_cycles);
	cc->pending_cycles = 0;
}

/* --- pfn / pageblock helpers ------------------------------------------------------- */

static inline unsigned long pageblock_start_pfn(unsigned long pfn) { return pfn & ~(pageblock_nr_pages - 1); }
static inline unsigned long pageblock_end_pfn(unsigned long pfn) { return pageblock_start_pfn(pfn) + pageblock_nr_pages; }
static inline bool pageblock_aligned(unsigned long pfn) { return !(pfn & (pageblock_nr_pages - 1)); }
static inline unsigned long block_start_pfn(unsigned long pfn, int order) { return pfn & ~((1UL << order) - 1); }
static inline unsigned long block_end_pfn(unsigned long pfn, int order) { return (pfn + (1UL << order)) & ~((1UL << order) - 1); }

static inline bool get_pageblock_skip(unsigned long pfn) { return pfn_pageblock(pfn)->skip; }
static inline void set_pageblock_skip(unsigned long pfn) { pfn_pageblock(pfn)->skip = 1; }
static inline void clear_pageblock_skip(unsigned long pfn) { pfn_pageblock(pfn)->skip = 0; }

static inline int page_list_mt(const struct page *p) { return (int)((p->flags & PG_MT_MASK) >> PG_MT_SHIFT); }

/* Boot-time max-order free blocks not yet written to mem_map (see struct zone). */
static bool pfn_in_lazy(const struct zone *z, unsigned long pfn)
{
	for (int i = z->lazy_cur; i < z->nr_lazy; i++)
		if (pfn >= z->lazy[i].start && pfn < z->lazy[i].end)
			return true;
	return false;
}

/* free_area_empty() negated, aware of the lazily materialised boot blocks. */
static inline bool area_nonempty(const struct zone *z, unsigned order, int mt)
{
	if (z->free_area[order].head[mt] != PFN_NONE)
		return true;
	return order == MAX_ORDER - 1 && mt == MIGRATE_MOVABLE && z->lazy_blocks;
}

/*
 * pageblock_pfn_to_page(): the first page of [@start, @end) if the whole range
 * belongs to @z (and is not a lazily held boot block), else NULL.
 */
static struct page *pageblock_pfn_to_page(unsigned long start, unsigned long end, struct zone *z)
{
	unsigned id = zone_id(z);

	if (start >= end || !pfn_valid(end - 1))
		return NULL;
	if (pfn_pageblock(start)->zone_id != id || pfn_pageblock(end - 1)->zone_id != id)
		return NULL;
	if (z->lazy_blocks && pfn_in_lazy(z, start))
		return NULL;
	return pfn_to_page(start);
}

/*
 * Take the free block at @pfn (order @order) off its buddy list, as
 * del_page_from_free_list() does in mm/page_alloc.c (static there): list links,
 * per-type and per-order counts, NR_FREE_PAGES, the buddy flags.
 */
static void take_free_block(struct zone *z, unsigned long pfn, unsigned order)
{
	struct free_area *area = &z->free_area[order];
	struct page *p = pfn_to_page(pfn);
	int mt = page_list_mt(p);

	if (p->b != PFN_NONE)
		pfn_to_page(p->b)->a = p->a;
	else
		area->head[mt] = p->a;
	if (p->a != PFN_NONE)
		pfn_to_page(p->a)->b = p->b;
	else
		area->tail[mt] = p->b;
	area->nr[mt]--;
	area->nr_free--;
	z->vm_stat[NR_FREE_PAGES] -= 1L << order;
	p->flags = 0;
	p->a = p->b = 0;
	if (mm.timing) {
		cost_cycles(CYC_ISOLATE_FREE);
		mem_access(z->va_free_area + order * 128UL + (unsigned long)mt * 16, 16, true);
	}
}

/*
 * __isolate_free_page(): take a free block for the free scanner if the zone
 * stays above min + the block at order 0; blocks of at least half a pageblock
 * turn their pageblocks MOVABLE. Return: pages isolated (0 = watermark).
 */
static unsigned long __isolate_free_page(struct zone *z, unsigned long pfn, unsigned order)
{
	int mt = get_pageblock_migratetype(pfn);

	if (mt != MIGRATE_ISOLATE) {
		unsigned long wmark = z->_watermark[WMARK_MIN] + (1UL << order);
		if (!zone_watermark_ok(z, 0, wmark, 0, ALLOC_CMA))
			return 0;
	}
	take_free_block(z, pfn, order);
	if (order >= pageblock_order - 1) {
		unsigned long end = pfn + (1UL << order);
		for (unsigned long b = pfn; b < end; b += pageblock_nr_pages)
			if (get_pageblock_migratetype(b) < MIGRATE_PCPTYPES)
				set_pageblock_migratetype(b, MIGRATE_MOVABLE);
	}
	return 1UL << order;
}

/* split_map_pages(): the isolated block becomes 2^order allocated order-0 pages. */
static void split_free_block(struct compact_control *cc, unsigned long pfn, unsigned order)
{
	for (unsigned long i = 0; i < (1UL << order); i++) {
		struct page *p = pfn_to_page(pfn + i);
		p->flags = (uint32_t)PGTY_KERNEL << PG_TYPE_SHIFT;
		p->a = 1;
		p->b = 0;
		cc->freepages[cc->nr_freepages++] = p;
	}
	cs.held += 1UL << order;
}

/* --- buffers ------------------------------------------------------------------------ */

static int cc_get_buffers(struct compact_control *cc)
{
	struct cc_buffers *b = cs.pool;

	if (b) {
		cs.pool = b->next;
	} else {
		b = malloc(sizeof(*b));
		if (!b)
			return -ENOMEM;
	}
	b->next = NULL;
	cc->buf = b;
	cc->migratepages = b->migrate;
	cc->freepages = b->free;
	return 0;
}

static void cc_put_buffers(struct compact_control *cc)
{
	if (!cc->buf)
		return;
	cc->buf->next = cs.pool;
	cs.pool = cc->buf;
	cc->buf = NULL;
}

/* --- trace events ----------------------------------------------------------------------- */

static void trace_begin_end(struct trace_event *ev, struct compact_control *cc, unsigned long start,
			    unsigned long end, bool sync, int status)
{
	if (status < 0)
		trace_emit(ev, "zone_start=0x%lx migrate_pfn=0x%lx free_pfn=0x%lx zone_end=0x%lx, mode=%s",
			   start, cc->migrate_pfn, cc->free_pfn, end, sync ? "sync" : "async");
	else
		trace_emit(ev, "zone_start=0x%lx migrate_pfn=0x%lx free_pfn=0x%lx zone_end=0x%lx, mode=%s status=%s",
			   start, cc->migrate_pfn, cc->free_pfn, end, sync ? "sync" : "async",
			   compact_result_name((enum compact_result)status));
}

static void trace_suitable_template(struct trace_event *ev, struct zone *z, int order, int ret)
{
	trace_emit(ev, "node=%d zone=%-8s order=%d ret=%s", z->node, zone_names[z->idx], order,
		   compact_result_name((enum compact_result)ret));
}

static void trace_defer_template(struct trace_event *ev, struct zone *z, int order)
{
	struct zone_compact *s = zc_of(z);

	trace_emit(ev, "node=%d zone=%-8s order=%d order_failed=%d consider=%u limit=%lu", z->node,
		   zone_names[z->idx], order, s->order_failed, s->considered, 1UL << s->defer_shift);
}

/* --- deferral (§8) -------------------------------------------------------------------- */

void defer_compaction(struct zone *zone, int order)
{
	struct zone_compact *s;

	ensure_init();
	s = zc_of(zone);
	s->considered = 0;
	s->defer_shift++;
	if (order < s->order_failed)
		s->order_failed = order;
	if (s->defer_shift > COMPACT_MAX_DEFER_SHIFT)
		s->defer_shift = COMPACT_MAX_DEFER_SHIFT;
	if (trace_on(cs.ev.defer_compaction))
		trace_defer_template(cs.ev.defer_compaction, zone, order);
}

bool compaction_deferred(struct zone *zone, int order)
{
	struct zone_compact *s;
	unsigned long limit;

	ensure_init();
	s = zc_of(zone);
	limit = 1UL << s->defer_shift;
	if (order < s->order_failed)
		return false;
	if (++s->considered >= limit) {
		s->considered = (unsigned)limit;
		return false;
	}
	if (trace_on(cs.ev.deferred))
		trace_defer_template(cs.ev.deferred, zone, order);
	return true;
}

void compaction_defer_reset(struct zone *zone, int order, bool alloc_success)
{
	struct zone_compact *s;

	ensure_init();
	s = zc_of(zone);
	if (alloc_success) {
		s->considered = 0;
		s->defer_shift = 0;
		/* __alloc_pages_direct_compact() also clears compact_blockskip_flush on success */
		s->blockskip_flush = false;
	}
	if (order >= s->order_failed)
		s->order_failed = order + 1;
	if (trace_on(cs.ev.defer_reset))
		trace_defer_template(cs.ev.defer_reset, zone, order);
}

bool compaction_restarting(struct zone *zone, int order)
{
	struct zone_compact *s;

	ensure_init();
	s = zc_of(zone);
	if (order < s->order_failed)
		return false;
	return s->defer_shift == COMPACT_MAX_DEFER_SHIFT && s->considered >= 1UL << s->defer_shift;
}

/* --- skip hints and cached positions ---------------------------------------------------- */

static void reset_cached_positions(struct zone *z)
{
	struct zone_compact *s = zc_of(z);

	s->cached_migrate_pfn[0] = s->cached_migrate_pfn[1] = z->zone_start_pfn;
	s->cached_free_pfn = pageblock_start_pfn(zone_end_pfn(z) - 1);
}

static void __reset_isolation_suitable(struct zone *z)
{
	struct zone_compact *s = zc_of(z);

	s->blockskip_flush = false;
	if (!z->spanned_pages)
		return;
	for (unsigned long pfn = pageblock_start_pfn(z->zone_start_pfn); pfn < zone_end_pfn(z);
	     pfn += pageblock_nr_pages)
		if (pfn_pageblock(pfn)->zone_id == zone_id(z))
			clear_pageblock_skip(pfn);
	reset_cached_positions(z);
	s->init_migrate_pfn = z->zone_start_pfn;
	s->init_free_pfn = s->cached_free_pfn;
}

void reset_isolation_suitable(struct pglist_data *pgdat)
{
	ensure_init();
	for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
		struct zone *z = &pgdat->node_zones[zt];
		if (!populated_zone(z))
			continue;
		if (zc_of(z)->blockskip_flush)
			__reset_isolation_suitable(z);
	}
}

static inline bool isolation_suitable(struct compact_control *cc, unsigned long pfn)
{
	return cc->ignore_skip_hint || !get_pageblock_skip(pfn);
}

static void update_cached_migrate(struct compact_control *cc, unsigned long pfn)
{
	struct zone_compact *s = zc_of(cc->zone);

	pfn = pageblock_end_pfn(pfn - 1);
	if (pfn > s->cached_migrate_pfn[0])
		s->cached_migrate_pfn[0] = pfn;
	if (cc->mode != MIGRATE_ASYNC && pfn > s->cached_migrate_pfn[1])
		s->cached_migrate_pfn[1] = pfn;
}

static void update_pageblock_skip_free(struct compact_control *cc, unsigned long pfn)
{
	struct zone_compact *s = zc_of(cc->zone);

	set_pageblock_skip(pfn);
	if (pfn < s->cached_free_pfn)
		s->cached_free_pfn = pfn;
}

/* --- compaction_suitable (§8) ------------------------------------------------------------ */

static enum compact_result __compaction_suitable(struct zone *z, int order, unsigned alloc_flags,
						 int highest_zoneidx, long wmark_target)
{
	unsigned long watermark;

	if (order == -1)
		return COMPACT_CONTINUE;
	watermark = wmark_pages(z, alloc_flags & ALLOC_WMARK_MASK);
	if (zone_watermark_ok(z, (unsigned)order, watermark, highest_zoneidx, alloc_flags))
		return COMPACT_SUCCESS;
	watermark = order > PAGE_ALLOC_COSTLY_ORDER ? low_wmark_pages(z) : min_wmark_pages(z);
	watermark += 2UL << order;      /* compact_gap() */
	if (!__zone_watermark_ok(z, 0, watermark, highest_zoneidx, ALLOC_CMA, wmark_target))
		return COMPACT_SKIPPED;
	return COMPACT_CONTINUE;
}

enum compact_result compaction_suitable(struct zone *zone, int order, unsigned alloc_flags,
					int highest_zoneidx)
{
	enum compact_result ret;

	ensure_init();
	ret = __compaction_suitable(zone, order, alloc_flags, highest_zoneidx,
				    zone->vm_stat[NR_FREE_PAGES]);
	if (ret == COMPACT_CONTINUE && order > PAGE_ALLOC_COSTLY_ORDER) {
		int fragindex = fragmentation_index(zone, (unsigned)order);
		if (fragindex >= 0 && fragindex <= sysctl_extfrag_threshold)
			ret = COMPACT_NOT_SUITABLE_ZONE;
	}
	if (trace_on(cs.ev.suitable))
		trace_suitable_template(cs.ev.suitable, zone, order, ret);
	if (ret == COMPACT_NOT_SUITABLE_ZONE)
		ret = COMPACT_SKIPPED;
	return ret;
}

bool compaction_zonelist_suitable(struct zonelist *zl, int order, int alloc_flags, int highest_zoneidx)
{
	ensure_init();
	for (int i = 0; i < zl->nr; i++) {
		struct zone *z = zl->zones[i];
		if ((int)z->idx > highest_zoneidx)
			continue;
		long available = (long)zone_reclaimable_pages(z) + z->vm_stat[NR_FREE_PAGES];
		if (__compaction_suitable(z, order, (unsigned)alloc_flags, highest_zoneidx, available) ==
		    COMPACT_CONTINUE)
			return true;
	}
	return false;
}

/* --- fragmentation score (proactive compaction) -------------------------------------------- */

unsigned fragmentation_score_zone(struct zone *zone)
{
	struct contig_page_info info;

	fill_contig_page_info(zone, COMPACTION_HPAGE_ORDER, &info);
	if (!info.free_pages)
		return 0;
	return (unsigned)((info.free_pages - (info.free_blocks_suitable << COMPACTION_HPAGE_ORDER)) * 100 /
			  info.free_pages);
}

static unsigned fragmentation_score_zone_weighted(struct zone *zone)
{
	unsigned long score = zone->present_pages * fragmentation_score_zone(zone);

	return (unsigned)(score / (zone->zone_pgdat->node_present_pages + 1));
}

unsigned fragmentation_score_node(struct pglist_data *pgdat)
{
	unsigned score = 0;

	for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
		struct zone *z = &pgdat->node_zones[zt];
		if (populated_zone(z))
			score += fragmentation_score_zone_weighted(z);
	}
	return score;
}

unsigned fragmentation_score_wmark(bool low)
{
	int p = sysctl_compaction_proactiveness;
	unsigned wmark_low = (p < 0 ? 100 : p > 95 ? 5 : 100 - p);

	return low ? wmark_low : (wmark_low + 10 < 100U ? wmark_low + 10 : 100U);
}

/* --- the scanners --------------------------------------------------------------------------- */

static inline bool compact_scanners_met(const struct compact_control *cc)
{
	return (cc->free_pfn >> pageblock_order) <= (cc->migrate_pfn >> pageblock_order);
}

static bool suitable_migration_source(struct compact_control *cc, struct page *page)
{
	int block_mt;

	if (PageHead(page) && compound_order(page) >= pageblock_order)
		return false;
	if (cc->mode != MIGRATE_ASYNC || !cc->direct_compaction)
		return true;
	block_mt = get_pageblock_migratetype(page_to_pfn(page));
	if (cc->migratetype == MIGRATE_MOVABLE)
		return block_mt == MIGRATE_MOVABLE || block_mt == MIGRATE_CMA;
	return block_mt == cc->migratetype;
}

static bool suitable_migration_target(struct compact_control *cc, struct page *page)
{
	int mt;

	if (PageBuddy(page) && buddy_order(page) >= pageblock_order)
		return false;
	if (cc->ignore_block_suitable)
		return true;
	mt = get_pageblock_migratetype(page_to_pfn(page));
	return mt == MIGRATE_MOVABLE || mt == MIGRATE_CMA;
}

static void putback_movable_pages(struct compact_control *cc)
{
	for (unsigned long i = 0; i < cc->nr_migratepages; i++)
		putback_movable_page(cc->migratepages[i]);
	cs.held -= cc->nr_migratepages;
	cc->nr_migratepages = 0;
}

/*
 * isolate_migratepages_block(): scan [low_pfn, end_pfn) of one pageblock,
 * isolating LRU pages. Return: 0 (the kernel returns -EINTR / -EAGAIN on
 * contention, which the model never has).
 */
static int isolate_migratepages_block(struct compact_control *cc, unsigned long low_pfn, unsigned long end_pfn)
{
	unsigned long start_pfn = low_pfn, nr_scanned = 0, nr_isolated = 0;
	unsigned long next_skip_pfn = end_pfn;
	bool skip_on_failure = false;
	unsigned long block_pfn = pageblock_start_pfn(low_pfn);

	if (cc->direct_compaction && cc->mode == MIGRATE_ASYNC && cc->order > 0) {
		skip_on_failure = true;
		next_skip_pfn = block_end_pfn(low_pfn, cc->order);
	}
	for (; low_pfn < end_pfn; low_pfn++) {
		struct page *page;

		if (skip_on_failure && low_pfn >= next_skip_pfn) {
			/* an order-aligned block fully isolated: enough for this round */
			if (nr_isolated)
				break;
			next_skip_pfn = block_end_pfn(low_pfn, cc->order);
		}
		nr_scanned++;
		page = pfn_to_page(low_pfn);
		if (PageBuddy(page)) {
			unsigned order = buddy_order(page);
			if (order > 0 && order < MAX_ORDER) {
				low_pfn += (1UL << order) - 1;
				nr_scanned += (1UL << order) - 1;
			}
			continue;
		}
		if (PageHead(page)) {
			unsigned order = compound_order(page);
			if (order < MAX_ORDER)
				low_pfn += (1UL << order) - 1;
			goto isolate_fail;
		}
		if (!page_is_migratable(page) || isolate_movable_page(page) != 0)
			goto isolate_fail;
		cc->migratepages[cc->nr_migratepages++] = page;
		cs.held++;
		nr_isolated++;
		cc->pending_cycles += CYC_ISOLATE_PAGE;
		if ((cc->nr_migratepages >= COMPACT_CLUSTER_MAX && !cc->rescan) ||
		    cc->nr_migratepages >= MIGRATE_LIST_MAX) {
			++low_pfn;
			break;
		}
		continue;
isolate_fail:
		if (!skip_on_failure)
			continue;
		/* async direct compaction: give up this cc->order block, put its pages back */
		if (nr_isolated) {
			putback_movable_pages(cc);
			nr_isolated = 0;
		}
		if (low_pfn < next_skip_pfn) {
			low_pfn = next_skip_pfn - 1;
			next_skip_pfn += 1UL << cc->order;
		}
	}
	if (low_pfn > end_pfn)
		low_pfn = end_pfn;
	if (low_pfn == end_pfn && !nr_isolated) {
		set_pageblock_skip(block_pfn);
		update_cached_migrate(cc, low_pfn);
	}
	cc->pending_cycles += nr_scanned * CYC_SCAN_PAGE;
	if (trace_on(cs.ev.iso_migrate))
		trace_emit(cs.ev.iso_migrate, "range=(0x%lx ~ 0x%lx) nr_scanned=%lu nr_taken=%lu", start_pfn,
			   low_pfn, nr_scanned, nr_isolated);
	cc->total_migrate_scanned += nr_scanned;
	if (nr_isolated)
		count_compact(C_ISOLATED, nr_isolated);
	cc->migrate_pfn = low_pfn;
	return 0;
}

/* isolate_migratepages(): the next pageblock with something to migrate. */
static enum isolate_migrate_t isolate_migratepages(struct compact_control *cc)
{
	struct zone *z = cc->zone;
	unsigned long low_pfn = cc->migrate_pfn;
	unsigned long block_start = pageblock_start_pfn(low_pfn);
	unsigned long block_end = pageblock_end_pfn(low_pfn);

	if (block_start < z->zone_start_pfn)
		block_start = z->zone_start_pfn;
	for (; block_end <= cc->free_pfn;
	     cc->migrate_pfn = low_pfn = block_end, block_start = block_end, block_end += pageblock_nr_pages) {
		unsigned long end = block_end < zone_end_pfn(z) ? block_end : zone_end_pfn(z);
		struct page *page;

		cc_charge_pending(cc);          /* cond_resched() point between pageblocks */
		page = pageblock_pfn_to_page(block_start, end, z);
		if (!page)
			continue;
		if ((pageblock_aligned(low_pfn) || low_pfn == z->zone_start_pfn) &&
		    !isolation_suitable(cc, pageblock_start_pfn(low_pfn)))
			continue;
		if (!suitable_migration_source(cc, page)) {
			update_cached_migrate(cc, block_end);
			continue;
		}
		if (isolate_migratepages_block(cc, low_pfn, end))
			return ISOLATE_ABORT;
		break;
	}
	return cc->nr_migratepages ? ISOLATE_SUCCESS : ISOLATE_NONE;
}

/* isolate_freepages_block(): free blocks of [*start, end), every @stride-th pfn. */
static unsigned long isolate_freepages_block(struct compact_control *cc, unsigned long *start_pfn,
					     unsigned long end_pfn, unsigned stride)
{
	unsigned long nr_scanned = 0, total_isolated = 0;
	unsigned long blockpfn = *start_pfn;

	for (; blockpfn < end_pfn; blockpfn += stride) {
		struct page *page = pfn_to_page(blockpfn);
		unsigned long isolated;
		unsigned order;

		nr_scanned++;
		if (PageHead(page)) {
			order = compound_order(page);
			if (blockpfn + (1UL << order) <= end_pfn)
				blockpfn += (1UL << order) - 1;
			continue;
		}
		if (!PageBuddy(page))
			continue;
		order = buddy_order(page);
		if (cc->nr_freepages + (1UL << order) > FREE_LIST_MAX)
			break;
		isolated = __isolate_free_page(cc->zone, blockpfn, order);
		if (!isolated)
			break;
		split_free_block(cc, blockpfn, order);
		nr_scanned += isolated - 1;
		total_isolated += isolated;
		if (cc->nr_migratepages <= cc->nr_freepages) {
			blockpfn += isolated;
			break;
		}
		blockpfn += isolated - 1;
	}
	if (blockpfn > end_pfn)
		blockpfn = end_pfn;
	cc->pending_cycles += nr_scanned * CYC_SCAN_PAGE;
	if (trace_on(cs.ev.iso_free))
		trace_emit(cs.ev.iso_free, "range=(0x%lx ~ 0x%lx) nr_scanned=%lu nr_taken=%lu", *start_pfn,
			   blockpfn, nr_scanned, total_isolated);
	*start_pfn = blockpfn;
	cc->total_free_scanned += nr_scanned;
	if (total_isolated)
		count_compact(C_ISOLATED, total_isolated);
	return total_isolated;
}

/* isolate_freepages(): walk pageblocks down from cc->free_pfn collecting free pages. */
static void isolate_freepages(struct compact_control *cc)
{
	struct zone *z = cc->zone;
	unsigned long isolate_start_pfn = cc->free_pfn;
	unsigned long block_start = pageblock_start_pfn(isolate_start_pfn);
	unsigned long block_end = block_start + pageblock_nr_pages < zone_end_pfn(z) ?
				  block_start + pageblock_nr_pages : zone_end_pfn(z);
	unsigned long low_pfn = pageblock_end_pfn(cc->migrate_pfn);
	unsigned stride = cc->mode == MIGRATE_ASYNC ? COMPACT_CLUSTER_MAX : 1;

	for (; block_start >= low_pfn;
	     block_end = block_start, block_start -= pageblock_nr_pages, isolate_start_pfn = block_start) {
		unsigned long nr_isolated, first = block_start < z->zone_start_pfn ? z->zone_start_pfn : block_start;
		struct page *page;

		cc_charge_pending(cc);          /* cond_resched() point between pageblocks */
		if (isolate_start_pfn < first)
			isolate_start_pfn = first;
		page = pageblock_pfn_to_page(first, block_end, z);
		if (!page)
			continue;
		if (!suitable_migration_target(cc, page))
			continue;
		if (!isolation_suitable(cc, block_start))
			continue;
		nr_isolated = isolate_freepages_block(cc, &isolate_start_pfn, block_end, stride);
		if (isolate_start_pfn == block_end)
			update_pageblock_skip_free(cc, block_start);
		if (cc->nr_freepages >= cc->nr_migratepages) {
			if (isolate_start_pfn >= block_end)
				isolate_start_pfn = block_start - pageblock_nr_pages;
			break;
		} else if (isolate_start_pfn < block_end) {
			break;
		}
		if (nr_isolated) {
			stride = 1;
			continue;
		}
		stride = stride << 1 < COMPACT_CLUSTER_MAX ? stride << 1 : COMPACT_CLUSTER_MAX;
		if (block_start < pageblock_nr_pages)
			break;
	}
	cc->free_pfn = isolate_start_pfn;
}

static struct page *compaction_alloc(struct compact_control *cc)
{
	if (!cc->nr_freepages) {
		isolate_freepages(cc);
		if (!cc->nr_freepages)
			return NULL;
	}
	return cc->freepages[--cc->nr_freepages];
}

static void compaction_free(struct compact_control *cc, struct page *page)
{
	cc->freepages[cc->nr_freepages++] = page;
}

/* release_freepages(): unused free pages go back (to the pcp lists). Return: highest pfn. */
static unsigned long release_freepages(struct compact_control *cc)
{
	unsigned long high = 0;

	for (unsigned long i = 0; i < cc->nr_freepages; i++) {
		unsigned long pfn = page_to_pfn(cc->freepages[i]);
		if (pfn > high)
			high = pfn;
		__free_pages(cc->freepages[i], 0);
	}
	cs.held -= cc->nr_freepages;
	cc->nr_freepages = 0;
	return high;
}

/*
 * migrate_pages(): move every isolated page to a page from the free scanner.
 * Pages that could not move are left at the front of cc->migratepages for
 * putback. Return: pages not migrated, or -ENOMEM when the free scanner ran dry.
 */
static int migrate_pages(struct compact_control *cc, unsigned long *nr_succeeded)
{
	unsigned long failed = 0, i;
	int err = 0;

	*nr_succeeded = 0;
	for (i = 0; i < cc->nr_migratepages; i++) {
		struct page *old = cc->migratepages[i];
		struct page *newpage = compaction_alloc(cc);

		if (!newpage) {
			err = -ENOMEM;
			break;
		}
		cs.held--;              /* the new page leaves the free list; the old one is handled below */
		if (migrate_movable_page(old, newpage) == 0) {
			(*nr_succeeded)++;
			cs.held--;      /* @old freed by migrate_movable_page() */
			continue;
		}
		cs.held++;
		compaction_free(cc, newpage);
		cc->migratepages[failed++] = old;
	}
	/* not attempted (-ENOMEM) pages stay isolated with the failed ones */
	for (; i < cc->nr_migratepages; i++)
		cc->migratepages[failed++] = cc->migratepages[i];
	cc->nr_migratepages = failed;
	count_compact(C_PGMIGRATE_SUCCESS, *nr_succeeded);
	if (failed)
		count_compact(C_PGMIGRATE_FAIL, failed);
	if (trace_on(cs.ev.migratepages))
		trace_emit(cs.ev.migratepages, "nr_migrated=%lu nr_failed=%lu", *nr_succeeded, failed);
	return err ? err : (int)failed;
}

/* --- finishing and capture ------------------------------------------------------------------ */

static const int fallbacks[MIGRATE_TYPES][2] = {
	[MIGRATE_UNMOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE },
	[MIGRATE_MOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE },
};

static bool can_steal_fallback(unsigned order, int start_mt)
{
	if (order >= pageblock_order)
		return true;
	return order >= pageblock_order / 2 || start_mt == MIGRATE_RECLAIMABLE ||
	       start_mt == MIGRATE_UNMOVABLE || page_group_by_mobility_disabled;
}

/* find_suitable_fallback(only_stealable = true) != -1 */
static bool stealable_fallback(struct zone *z, unsigned order, int mt)
{
	if (mt >= MIGRATE_PCPTYPES || !z->free_area[order].nr_free)
		return false;
	for (int i = 0; i < 2; i++)
		if (area_nonempty(z, order, fallbacks[mt][i]) && can_steal_fallback(order, mt))
			return true;
	return false;
}

static enum compact_result __compact_finished(struct compact_control *cc)
{
	struct zone_compact *s = zc_of(cc->zone);
	int mt = cc->migratetype;

	if (cc->contended || fatal_signal_pending(current))
		return COMPACT_CONTENDED;
	if (compact_scanners_met(cc)) {
		reset_cached_positions(cc->zone);
		if (cc->direct_compaction)
			s->blockskip_flush = true;
		return cc->whole_zone ? COMPACT_COMPLETE : COMPACT_PARTIAL_SKIPPED;
	}
	if (cc->proactive_compaction)
		return fragmentation_score_zone(cc->zone) > fragmentation_score_wmark(true) ?
		       COMPACT_CONTINUE : COMPACT_SUCCESS;
	if (cc->order == -1)
		return COMPACT_CONTINUE;
	if (!pageblock_aligned(cc->migrate_pfn))
		return COMPACT_CONTINUE;
	for (unsigned o = (unsigned)cc->order; o < MAX_ORDER; o++) {
		if (mt < MIGRATE_TYPES && area_nonempty(cc->zone, o, mt))
			return COMPACT_SUCCESS;
		if (mt == MIGRATE_MOVABLE && area_nonempty(cc->zone, o, MIGRATE_CMA))
			return COMPACT_SUCCESS;
		if (stealable_fallback(cc->zone, o, mt))
			return COMPACT_SUCCESS;
	}
	return COMPACT_NO_SUITABLE_PAGE;
}

static enum compact_result compact_finished(struct compact_control *cc)
{
	enum compact_result ret = __compact_finished(cc);

	if (trace_on(cs.ev.finished))
		trace_suitable_template(cs.ev.finished, cc->zone, cc->order, ret);
	return ret == COMPACT_NO_SUITABLE_PAGE ? COMPACT_CONTINUE : ret;
}

/* The inverse of take_free_block() for the remainder of a captured block (add_to_free_list, head). */
static void put_free_block(struct zone *z, unsigned long pfn, unsigned order, int mt)
{
	struct free_area *area = &z->free_area[order];
	struct page *p = pfn_to_page(pfn);

	p->flags = PG_buddy | order | ((uint32_t)PGTY_BUDDY << PG_TYPE_SHIFT) | ((uint32_t)mt << PG_MT_SHIFT);
	p->b = PFN_NONE;
	p->a = area->head[mt];
	if (area->head[mt] == PFN_NONE)
		area->tail[mt] = (uint32_t)pfn;
	else
		pfn_to_page(area->head[mt])->b = (uint32_t)pfn;
	area->head[mt] = (uint32_t)pfn;
	area->nr[mt]++;
	area->nr_free++;
	z->vm_stat[NR_FREE_PAGES] += 1L << order;
}

/*
 * Capture (compaction_capture()): the kernel takes a block for the requesting
 * allocation at the moment a freed page merges up to cc->order. Here, after the
 * pcp drain that follows a migration batch, the first free block of order ≥
 * cc->order inside the vacated range [@from, @to) is taken, its lower 2^order
 * pages captured and the rest split back onto the free lists (expand()) — the
 * state the kernel's merge-time capture leaves. A MOVABLE pageblock's fragment
 * is not handed to a non-movable request (and never CMA / ISOLATE blocks).
 */
static void try_capture(struct capture_control *capc, unsigned long from, unsigned long to)
{
	struct compact_control *cc = capc->cc;
	struct zone *z = cc->zone;
	unsigned order = (unsigned)cc->order;

	if (cc->order <= 0)
		return;
	if (from < z->zone_start_pfn)
		from = z->zone_start_pfn;
	if (to > zone_end_pfn(z))
		to = zone_end_pfn(z);
	for (unsigned long pfn = from; pfn < to;) {
		struct page *p = pfn_to_page(pfn);
		unsigned bo;
		int mt, list_mt;

		if (!PageBuddy(p)) {
			pfn++;
			continue;
		}
		bo = buddy_order(p);
		if (bo < order) {
			pfn += 1UL << bo;
			continue;
		}
		mt = get_pageblock_migratetype(pfn);
		if (mt == MIGRATE_CMA || mt == MIGRATE_ISOLATE ||
		    (order < pageblock_order && mt == MIGRATE_MOVABLE && cc->migratetype != MIGRATE_MOVABLE))
			return;
		list_mt = page_list_mt(p);
		take_free_block(z, pfn, bo);
		while (bo > order) {         /* expand(): upper halves back */
			bo--;
			put_free_block(z, pfn + (1UL << bo), bo, list_mt);
		}
		capc->page = p;
		return;
	}
}

/* --- compact_zone ------------------------------------------------------------------------------ */

static enum compact_result compact_zone(struct compact_control *cc, struct capture_control *capc)
{
	struct zone *z = cc->zone;
	struct zone_compact *s = zc_of(z);
	unsigned long start_pfn = z->zone_start_pfn, end_pfn = zone_end_pfn(z);
	unsigned long last_migrated_pfn = 0;
	bool sync = cc->mode != MIGRATE_ASYNC;
	bool update_cached;
	enum compact_result ret;

	cc->total_migrate_scanned = cc->total_free_scanned = 0;
	cc->nr_migratepages = cc->nr_freepages = 0;
	cc->pending_cycles = 0;
	cc->migratetype = gfp_migratetype(cc->gfp_mask);
	charge(CYC_COMPACT_ENTRY);
	if (cc->order != -1) {
		ret = compaction_suitable(z, cc->order, cc->alloc_flags, cc->highest_zoneidx);
		if (ret == COMPACT_SUCCESS || ret == COMPACT_SKIPPED)
			return ret;
	}
	if (cc_get_buffers(cc))
		return COMPACT_SKIPPED;
	if (compaction_restarting(z, cc->order))
		__reset_isolation_suitable(z);
	if (cc->whole_zone) {
		cc->migrate_pfn = start_pfn;
		cc->free_pfn = pageblock_start_pfn(end_pfn - 1);
	} else {
		cc->migrate_pfn = s->cached_migrate_pfn[sync];
		cc->free_pfn = s->cached_free_pfn;
		if (cc->free_pfn < start_pfn || cc->free_pfn >= end_pfn) {
			cc->free_pfn = pageblock_start_pfn(end_pfn - 1);
			s->cached_free_pfn = cc->free_pfn;
		}
		if (cc->migrate_pfn < start_pfn || cc->migrate_pfn >= end_pfn) {
			cc->migrate_pfn = start_pfn;
			s->cached_migrate_pfn[0] = s->cached_migrate_pfn[1] = start_pfn;
		}
		if (cc->migrate_pfn <= s->init_migrate_pfn)
			cc->whole_zone = true;
	}
	update_cached = !sync && s->cached_migrate_pfn[0] == s->cached_migrate_pfn[1];
	if (trace_on(cs.ev.begin))
		trace_begin_end(cs.ev.begin, cc, start_pfn, end_pfn, sync, -1);

	while ((ret = compact_finished(cc)) == COMPACT_CONTINUE) {
		unsigned long iteration_start_pfn = cc->migrate_pfn;
		unsigned long nr_succeeded;
		int err;

		cc->rescan = last_migrated_pfn &&
			     pageblock_start_pfn(last_migrated_pfn) == pageblock_start_pfn(iteration_start_pfn);
		switch (isolate_migratepages(cc)) {
		case ISOLATE_ABORT:
			ret = COMPACT_CONTENDED;
			putback_movable_pages(cc);
			goto out;
		case ISOLATE_NONE:
			if (update_cached)
				s->cached_migrate_pfn[1] = s->cached_migrate_pfn[0];
			goto check_drain;
		case ISOLATE_SUCCESS:
			update_cached = false;
			last_migrated_pfn = iteration_start_pfn;
		}
		err = migrate_pages(cc, &nr_succeeded);
		cc_charge_pending(cc);
		if (err) {
			putback_movable_pages(cc);
			if (err == -ENOMEM && !compact_scanners_met(cc)) {
				ret = COMPACT_CONTENDED;
				goto out;
			}
			if (cc->direct_compaction && cc->mode == MIGRATE_ASYNC && cc->order > 0) {
				cc->migrate_pfn = block_end_pfn(cc->migrate_pfn - 1, cc->order);
				last_migrated_pfn = 0;
			}
		}
check_drain:
		if (cc->order > 0 && last_migrated_pfn) {
			unsigned long current_block_start = block_start_pfn(cc->migrate_pfn, cc->order);
			if (last_migrated_pfn < current_block_start) {
				/* lru_add_drain_cpu_zone(): the pcp pages freed by migration reach the buddy */
				drain_local_pages(z);
				if (capc)
					try_capture(capc, block_start_pfn(last_migrated_pfn, cc->order),
						    current_block_start);
				last_migrated_pfn = 0;
			}
		}
		if (capc && capc->page) {
			ret = COMPACT_SUCCESS;
			break;
		}
	}
out:
	cc_charge_pending(cc);
	if (cc->nr_freepages > 0) {
		unsigned long free_pfn = pageblock_start_pfn(release_freepages(cc));
		if (free_pfn > s->cached_free_pfn && free_pfn < end_pfn)
			s->cached_free_pfn = free_pfn;
	}
	if (cc->nr_migratepages)
		putback_movable_pages(cc);
	cc_put_buffers(cc);
	count_compact(C_MIGRATE_SCANNED, cc->total_migrate_scanned);
	count_compact(C_FREE_SCANNED, cc->total_free_scanned);
	if (trace_on(cs.ev.end))
		trace_begin_end(cs.ev.end, cc, start_pfn, end_pfn, sync, ret);
	return ret;
}

/* --- direct compaction --------------------------------------------------------------------------- */

static enum compact_result compact_zone_order(struct zone *zone, int order, gfp_t gfp_mask,
					      enum compact_priority prio, unsigned alloc_flags,
					      int highest_zoneidx, struct page **capture)
{
	struct compact_control cc;
	struct capture_control capc = { .cc = &cc, .page = NULL };
	enum compact_result ret;

	memset(&cc, 0, sizeof(cc));
	cc.order = order;
	cc.gfp_mask = gfp_mask;
	cc.zone = zone;
	cc.mode = prio == COMPACT_PRIO_ASYNC ? MIGRATE_ASYNC : MIGRATE_SYNC_LIGHT;
	cc.alloc_flags = alloc_flags;
	cc.highest_zoneidx = highest_zoneidx;
	cc.direct_compaction = true;
	cc.whole_zone = prio == MIN_COMPACT_PRIORITY;
	cc.ignore_skip_hint = prio == MIN_COMPACT_PRIORITY;
	cc.ignore_block_suitable = prio == MIN_COMPACT_PRIORITY;
	ret = compact_zone(&cc, capture ? &capc : NULL);
	if (capture) {
		*capture = capc.page;
		if (capc.page)
			ret = COMPACT_SUCCESS;
	}
	return ret;
}

enum compact_result try_to_compact_pages(gfp_t gfp_mask, unsigned order, unsigned alloc_flags,
					 struct zonelist *zonelist, nodemask_t *nodemask,
					 int highest_zoneidx, enum compact_priority prio,
					 struct page **capture)
{
	enum compact_result rc = COMPACT_SKIPPED;
	sim_time_t t0;

	ensure_init();
	count_vm_event(COMPACT_CALLS);
	*capture = NULL;
	/* 6.1.y gfp_compaction_allowed(): compaction needs __GFP_IO */
	if (!(gfp_mask & __GFP_IO))
		return COMPACT_SKIPPED;
	if (trace_on(cs.ev.try_to_compact)) {
		char buf[GFP_STR_MAX];
		trace_emit(cs.ev.try_to_compact, "order=%d gfp_mask=%s priority=%d", (int)order,
			   gfp_format(gfp_mask, buf, sizeof(buf)), (int)prio);
	}
	t0 = sim_now();
	for (int i = 0; i < zonelist->nr; i++) {
		struct zone *z = zonelist->zones[i];
		enum compact_result status;

		if ((int)z->idx > highest_zoneidx || (nodemask && !node_isset(z->node, nodemask)))
			continue;
		if (prio > MIN_COMPACT_PRIORITY && compaction_deferred(z, (int)order)) {
			if (rc < COMPACT_DEFERRED)
				rc = COMPACT_DEFERRED;
			continue;
		}
		status = compact_zone_order(z, (int)order, gfp_mask, prio, alloc_flags, highest_zoneidx, capture);
		if (status > rc)
			rc = status;
		if (status == COMPACT_SUCCESS) {
			/* the allocation is served from the captured block: reset as on allocation success */
			compaction_defer_reset(z, (int)order, *capture != NULL);
			break;
		}
		if (prio != COMPACT_PRIO_ASYNC && (status == COMPACT_COMPLETE || status == COMPACT_PARTIAL_SKIPPED))
			defer_compaction(z, (int)order);
		if (fatal_signal_pending(current))
			break;
	}
	if (rc != COMPACT_SKIPPED && cs.stall_hist)
		hist_add(cs.stall_hist, sim_now() - t0);
	return rc;
}

/* --- manual compaction ------------------------------------------------------------------------------ */

int compact_node(int nid)
{
	struct compact_control cc;

	ensure_init();
	if (nid < 0 || nid >= mm.nr_nodes || !NODE_DATA(nid))
		return -EINVAL;
	for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
		struct zone *z = &NODE_DATA(nid)->node_zones[zt];
		if (!populated_zone(z))
			continue;
		memset(&cc, 0, sizeof(cc));
		cc.order = -1;
		cc.mode = MIGRATE_SYNC;
		cc.ignore_skip_hint = true;
		cc.whole_zone = true;
		cc.gfp_mask = GFP_KERNEL;
		cc.zone = z;
		compact_zone(&cc, NULL);
	}
	return 0;
}

/* --- kcompactd ------------------------------------------------------------------------------------------- */

static bool kcompactd_work_requested(struct kcompactd *k)
{
	return k->max_order > 0 || k->stop || k->proactive_trigger;
}

static bool kcompactd_node_suitable(struct kcompactd *k)
{
	struct pglist_data *pgdat = NODE_DATA(k->nid);

	for (int zt = 0; zt <= k->highest_zoneidx && zt < MAX_NR_ZONES; zt++) {
		struct zone *z = &pgdat->node_zones[zt];
		if (!populated_zone(z))
			continue;
		if (compaction_suitable(z, k->max_order, 0, k->highest_zoneidx) == COMPACT_CONTINUE)
			return true;
	}
	return false;
}

static void trace_kcd_wake(struct trace_event *ev, int nid, int order, int zoneidx)
{
	trace_emit(ev, "nid=%d order=%d highest_zoneidx=%-8s", nid, order,
		   zone_names[zoneidx >= 0 && zoneidx < MAX_NR_ZONES ? zoneidx : 0]);
}

void wakeup_kcompactd(struct pglist_data *pgdat, int order, int highest_zoneidx)
{
	struct kcompactd *k;

	ensure_init();
	if (!order)
		return;
	k = cs.kcd[pgdat->node_id];
	if (!k || !k->running)
		return;         /* kcompactd not started (kcompactd_run): nothing to wake */
	if (k->max_order < order)
		k->max_order = order;
	if (k->highest_zoneidx > highest_zoneidx)
		k->highest_zoneidx = highest_zoneidx;
	if (!k->sleeping)
		return;
	if (!kcompactd_node_suitable(k))
		return;
	if (trace_on(cs.ev.wakeup_kcd))
		trace_kcd_wake(cs.ev.wakeup_kcd, k->nid, order, highest_zoneidx);
	sim_event_notify(k->wait, 0);
}

static void kcompactd_do_work(struct kcompactd *k)
{
	struct pglist_data *pgdat = NODE_DATA(k->nid);
	struct compact_control cc;
	int order = k->max_order, highest = k->highest_zoneidx;

	if (trace_on(cs.ev.kcd_wake))
		trace_kcd_wake(cs.ev.kcd_wake, k->nid, order, highest);
	count_compact(C_DAEMON_WAKE, 1);
	for (int zt = 0; zt <= highest && zt < MAX_NR_ZONES; zt++) {
		struct zone *z = &pgdat->node_zones[zt];
		enum compact_result status;

		if (!populated_zone(z))
			continue;
		if (compaction_deferred(z, order))
			continue;
		if (compaction_suitable(z, order, 0, zt) != COMPACT_CONTINUE)
			continue;
		if (k->stop)
			return;
		memset(&cc, 0, sizeof(cc));
		cc.order = order;
		cc.highest_zoneidx = highest;
		cc.mode = MIGRATE_SYNC_LIGHT;
		cc.gfp_mask = GFP_KERNEL;
		cc.zone = z;
		status = compact_zone(&cc, NULL);
		if (status == COMPACT_SUCCESS) {
			compaction_defer_reset(z, order, false);
		} else if (status == COMPACT_PARTIAL_SKIPPED || status == COMPACT_COMPLETE) {
			drain_all_pages(z);
			defer_compaction(z, order);
		}
		count_compact(C_DAEMON_MIGRATE_SCANNED, cc.total_migrate_scanned);
		count_compact(C_DAEMON_FREE_SCANNED, cc.total_free_scanned);
	}
	if (k->max_order <= order)
		k->max_order = 0;
	if (k->highest_zoneidx >= highest)
		k->highest_zoneidx = pgdat->nr_zones - 1;
}

static bool should_proactive_compact_node(struct kcompactd *k)
{
	struct pglist_data *pgdat = NODE_DATA(k->nid);

	if (!sysctl_compaction_proactiveness || !pgdat->kswapd_sleeping)
		return false;
	return fragmentation_score_node(pgdat) > fragmentation_score_wmark(false);
}

static void proactive_compact_node(struct kcompactd *k)
{
	struct pglist_data *pgdat = NODE_DATA(k->nid);
	struct compact_control cc;

	for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
		struct zone *z = &pgdat->node_zones[zt];
		if (!populated_zone(z))
			continue;
		memset(&cc, 0, sizeof(cc));
		cc.order = -1;
		cc.mode = MIGRATE_SYNC_LIGHT;
		cc.ignore_skip_hint = true;
		cc.whole_zone = true;
		cc.gfp_mask = GFP_KERNEL;
		cc.proactive_compaction = true;
		cc.zone = z;
		compact_zone(&cc, NULL);
		count_compact(C_DAEMON_MIGRATE_SCANNED, cc.total_migrate_scanned);
		count_compact(C_DAEMON_FREE_SCANNED, cc.total_free_scanned);
	}
}

static void kcompactd_fn(void *arg)
{
	struct kcompactd *k = arg;
	const sim_time_t default_timeout = (sim_time_t)HPAGE_FRAG_CHECK_INTERVAL_MSEC * SIM_MS;
	sim_time_t timeout = default_timeout;

	k->max_order = 0;
	k->highest_zoneidx = NODE_DATA(k->nid)->nr_zones - 1;
	while (!k->stop) {
		bool woken;

		if (trace_on(cs.ev.kcd_sleep))
			trace_emit(cs.ev.kcd_sleep, "nid=%d", k->nid);
		k->sleeping = true;
		woken = kcompactd_work_requested(k);
		if (!woken && !sysctl_compaction_proactiveness) {
			while (!kcompactd_work_requested(k))
				sim_wait(k->wait);
			woken = true;
		} else if (!woken) {
			sim_time_t deadline = sim_now() + timeout;
			while (!kcompactd_work_requested(k) && sim_now() < deadline)
				sim_wait_timeout(k->wait, deadline - sim_now());
			woken = kcompactd_work_requested(k);
		}
		k->sleeping = false;
		if (k->stop || !mm.booted)
			break;
		if (woken && !k->proactive_trigger) {
			kcompactd_do_work(k);
			timeout = default_timeout;
			continue;
		}
		timeout = default_timeout;
		if (should_proactive_compact_node(k)) {
			struct pglist_data *pgdat = NODE_DATA(k->nid);
			unsigned prev = fragmentation_score_node(pgdat), score;
			proactive_compact_node(k);
			score = fragmentation_score_node(pgdat);
			if (score >= prev)
				timeout = default_timeout << COMPACT_MAX_DEFER_SHIFT;
		}
		k->proactive_trigger = false;
	}
	k->running = false;
}

int kcompactd_run(int nid)
{
	struct kcompactd *k;
	char name[32];
	int cpu = 0;

	ensure_init();
	if (nid < 0 || nid >= mm.nr_nodes || !NODE_DATA(nid) || !NODE_DATA(nid)->node_present_pages)
		return -EINVAL;
	if (cs.kcd[nid] && cs.kcd[nid]->running)
		return 0;
	k = cs.kcd[nid];
	if (!k) {
		k = calloc(1, sizeof(*k));
		if (!k)
			return -ENOMEM;
		cs.kcd[nid] = k;
	}
	memset(k, 0, sizeof(*k));
	k->nid = nid;
	k->highest_zoneidx = NODE_DATA(nid)->nr_zones - 1;
	snprintf(name, sizeof(name), "kcompactd%d", nid);
	task_init(&k->task, name, 40 + nid);   /* pids of early kernel threads */
	k->task.flags = PF_KTHREAD;
	k->wait = sim_event_new(name);
	for (int c = 0; c < mm.nr_cpus; c++)
		if (mm.cpu_node[c] == nid) {
			cpu = c;
			break;
		}
	k->running = true;
	k->proc = cpu_spawn(name, cpu, CTX_TASK, kcompactd_fn, k, &k->task, sim_now());
	if (!k->proc) {
		k->running = false;
		return -ENOMEM;
	}
	return 0;
}

int kcompactd_start_all(void)
{
	ensure_init();
	for (int nid = 0; nid < mm.nr_nodes; nid++) {
		if (!NODE_DATA(nid) || !NODE_DATA(nid)->node_present_pages)
			continue;
		int ret = kcompactd_run(nid);
		if (ret)
			return ret;
	}
	return 0;
}

int compaction_set_proactiveness(int value)
{
	if (value < 0 || value > 100)
		return -EINVAL;
	sysctl_compaction_proactiveness = value;
	if (!value)
		return 0;
	for (int nid = 0; nid < MACHINE_MAX_NODES; nid++) {
		struct kcompactd *k = cs.kcd[nid];
		if (!k || !k->running)
			continue;
		k->proactive_trigger = true;
		sim_event_notify(k->wait, 0);
	}
	return 0;
}

int compaction_set_extfrag_threshold(int value)
{
	if (value < 0 || value > 1000)
		return -EINVAL;
	sysctl_extfrag_threshold = value;
	return 0;
}

/* --- set-up, state, checks ----------------------------------------------------------------------------- */

void compaction_init(void)
{
	char name[128];

	cs.inited = true;
	cs.booted_for = mm.booted ? NODE_DATA(0) : NULL;
	memset(cs.zc, 0, sizeof(cs.zc));
	for (int nid = 0; nid < MACHINE_MAX_NODES; nid++) {
		if (cs.kcd[nid]) {
			/* a previous boot's thread is abandoned with its engine; forget it */
			cs.kcd[nid]->stop = true;
			cs.kcd[nid] = NULL;
		}
	}
	cs.held = 0;
	for (int c = 0; c < NR_C; c++) {
		snprintf(name, sizeof(name), "mm.vmstat.%s", counter_names[c]);
		cs.cnt[c] = stat_counter(name, "events", "vm event counter (/proc/vmstat)",
					 STAT_SUMMARY);
		if (!cs.cnt[c])
			cs.cnt[c] = &cs.dummy[c];
		*cs.cnt[c] = 0;
	}
	cs.stall_hist = stat_hist("mm.compaction.stall_latency", "ps",
				  "simulated time spent in direct compaction (compact_stall)");
	cs.ev.begin = trace_event_register("compaction", "mm_compaction_begin");
	cs.ev.end = trace_event_register("compaction", "mm_compaction_end");
	cs.ev.try_to_compact = trace_event_register("compaction", "mm_compaction_try_to_compact_pages");
	cs.ev.suitable = trace_event_register("compaction", "mm_compaction_suitable");
	cs.ev.finished = trace_event_register("compaction", "mm_compaction_finished");
	cs.ev.iso_migrate = trace_event_register("compaction", "mm_compaction_isolate_migratepages");
	cs.ev.iso_free = trace_event_register("compaction", "mm_compaction_isolate_freepages");
	cs.ev.migratepages = trace_event_register("compaction", "mm_compaction_migratepages");
	cs.ev.deferred = trace_event_register("compaction", "mm_compaction_deferred");
	cs.ev.defer_compaction = trace_event_register("compaction", "mm_compaction_defer_compaction");
	cs.ev.defer_reset = trace_event_register("compaction", "mm_compaction_defer_reset");
	cs.ev.kcd_sleep = trace_event_register("compaction", "mm_compaction_kcompactd_sleep");
	cs.ev.wakeup_kcd = trace_event_register("compaction", "mm_compaction_wakeup_kcompactd");
	cs.ev.kcd_wake = trace_event_register("compaction", "mm_compaction_kcompactd_wake");
	{
		static struct trace_event dummy_ev;
		struct trace_event **evs = (struct trace_event **)&cs.ev;
		for (size_t i = 0; i < sizeof(cs.ev) / sizeof(evs[0]); i++)
			if (!evs[i])
				evs[i] = &dummy_ev;
	}
	if (mm.booted)
		for (int nid = 0; nid < mm.nr_nodes; nid++)
			for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
				struct zone *z = &NODE_DATA(nid)->node_zones[zt];
				if (!z->spanned_pages)
					continue;
				reset_cached_positions(z);
				zc_of(z)->init_migrate_pfn = z->zone_start_pfn;
				zc_of(z)->init_free_pfn = zc_of(z)->cached_free_pfn;
			}
}

static void ensure_init(void)
{
	if (!cs.inited || cs.booted_for != (mm.booted ? (const void *)NODE_DATA(0) : NULL))
		compaction_init();
}

void compaction_shutdown(void)
{
	for (int nid = 0; nid < MACHINE_MAX_NODES; nid++)
		if (cs.kcd[nid]) {
			cs.kcd[nid]->stop = true;
			cs.kcd[nid] = NULL;   /* the thread's memory stays with its (abandoned) process */
		}
	while (cs.pool) {
		struct cc_buffers *b = cs.pool;
		cs.pool = b->next;
		free(b);
	}
	cs.inited = false;
	cs.booted_for = NULL;
}

void compaction_zone_state(struct zone *zone, struct compaction_zone_state *out)
{
	struct zone_compact *s;

	ensure_init();
	s = zc_of(zone);
	out->considered = s->considered;
	out->defer_shift = s->defer_shift;
	out->order_failed = s->order_failed;
	out->cached_migrate_pfn[0] = s->cached_migrate_pfn[0];
	out->cached_migrate_pfn[1] = s->cached_migrate_pfn[1];
	out->cached_free_pfn = s->cached_free_pfn;
	out->blockskip_flush = s->blockskip_flush;
}

void compaction_counters(struct compaction_counters *out)
{
	ensure_init();
	out->compact_migrate_scanned = *cs.cnt[C_MIGRATE_SCANNED];
	out->compact_free_scanned = *cs.cnt[C_FREE_SCANNED];
	out->compact_isolated = *cs.cnt[C_ISOLATED];
	out->compact_daemon_wake = *cs.cnt[C_DAEMON_WAKE];
	out->compact_daemon_migrate_scanned = *cs.cnt[C_DAEMON_MIGRATE_SCANNED];
	out->compact_daemon_free_scanned = *cs.cnt[C_DAEMON_FREE_SCANNED];
	out->pgmigrate_success = *cs.cnt[C_PGMIGRATE_SUCCESS];
	out->pgmigrate_fail = *cs.cnt[C_PGMIGRATE_FAIL];
}

int compaction_check(void)
{
	if (!mm.booted)
		return 0;
	ensure_init();
	for (int nid = 0; nid < mm.nr_nodes; nid++)
		for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
			struct zone *z = &NODE_DATA(nid)->node_zones[zt];
			struct zone_compact *s = zc_of(z);
			if (!populated_zone(z))
				continue;
			for (int i = 0; i < 2; i++)
				if (s->cached_migrate_pfn[i] < z->zone_start_pfn ||
				    s->cached_migrate_pfn[i] > zone_end_pfn(z) + pageblock_nr_pages) {
					fprintf(stderr, "compaction_check: node %d %s cached_migrate_pfn[%d]=0x%lx outside "
						"[0x%lx, 0x%lx)\n", nid, z->name, i, s->cached_migrate_pfn[i],
						z->zone_start_pfn, zone_end_pfn(z));
					return -1;
				}
			if (!pageblock_aligned(s->cached_free_pfn) ||
			    s->cached_free_pfn + pageblock_nr_pages < z->zone_start_pfn ||
			    s->cached_free_pfn >= zone_end_pfn(z)) {
				fprintf(stderr, "compaction_check: node %d %s cached_free_pfn=0x%lx bad\n", nid, z->name,
					s->cached_free_pfn);
				return -1;
			}
			if (s->defer_shift > COMPACT_MAX_DEFER_SHIFT || s->considered > (1U << s->defer_shift)) {
				fprintf(stderr, "compaction_check: node %d %s defer_shift=%u considered=%u\n", nid,
					z->name, s->defer_shift, s->considered);
				return -1;
			}
		}
	if (cs.held) {
		fprintf(stderr, "compaction_check: %lu pages still isolated by compaction\n", cs.held);
		return -1;
	}
	return 0;
}
