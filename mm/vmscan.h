/* SPDX-License-Identifier: MIT */
/*
 * mm/vmscan.h — the interfaces the page allocator's slow path calls for
 * reclaim, compaction, the OOM killer and kswapd/kcompactd wake-ups.
 *
 * Implemented by mm/vmscan.c (reclaim, kswapd), mm/compaction.c (direct
 * compaction, kcompactd), mm/oom_kill.c (the OOM killer) and mm/kswapd_wake.c.
 */
#ifndef MMSIM_MM_VMSCAN_H
#define MMSIM_MM_VMSCAN_H

#include <stdbool.h>
#include "mm/gfp.h"
#include "mm/page_alloc.h"

struct zone;
struct zonelist;
struct alloc_context;

enum compact_priority {
	COMPACT_PRIO_SYNC_FULL = 0,
	MIN_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_FULL,
	COMPACT_PRIO_SYNC_LIGHT = 1,
	MIN_COMPACT_COSTLY_PRIORITY = COMPACT_PRIO_SYNC_LIGHT,
	DEF_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_LIGHT,
	COMPACT_PRIO_ASYNC = 2,
	INIT_COMPACT_PRIORITY = COMPACT_PRIO_ASYNC
};

enum compact_result {
	COMPACT_NOT_SUITABLE_ZONE,
	COMPACT_SKIPPED,
	COMPACT_DEFERRED,
	COMPACT_NO_SUITABLE_PAGE,
	COMPACT_CONTINUE,
	COMPACT_COMPLETE,
	COMPACT_PARTIAL_SKIPPED,
	COMPACT_CONTENDED,
	COMPACT_SUCCESS,
};

struct oom_control {
	struct zonelist *zonelist;
	nodemask_t *nodemask;
	gfp_t gfp_mask;
	int order;
	unsigned long totalpages;
	int chosen_pid;
};

/** try_to_free_pages() - direct reclaim (§6.3). Return: pages reclaimed. */
unsigned long try_to_free_pages(struct zonelist *zonelist, int order, gfp_t gfp_mask,
				nodemask_t *nodemask, int highest_zoneidx);
/**
 * try_to_compact_pages() - direct compaction (§8). May capture a page into
 * *@capture. Return: the compaction result.
 */
enum compact_result try_to_compact_pages(gfp_t gfp_mask, unsigned order, unsigned alloc_flags,
					 struct zonelist *zonelist, nodemask_t *nodemask,
					 int highest_zoneidx, enum compact_priority prio,
					 struct page **capture);
/** compaction_zonelist_suitable() - could compaction make progress on any zone? */
bool compaction_zonelist_suitable(struct zonelist *zl, int order, int alloc_flags, int highest_zoneidx);
/** out_of_memory() - the OOM killer (§7). Return: true if progress (a kill or a reason to retry). */
bool out_of_memory(struct oom_control *oc);
/** zone_reclaimable_pages() - LRU pages reclaimable from @zone (for should_reclaim_retry). */
unsigned long zone_reclaimable_pages(struct zone *zone);
/** wakeup_kswapd() - §6.1; traces mm_vmscan_wakeup_kswapd when kswapd is woken. */
void wakeup_kswapd(struct zone *zone, gfp_t gfp_flags, int order, int highest_zoneidx);
/** wakeup_kcompactd() - kcompactd of @pgdat for @order (no-op until issue 6). */
struct pglist_data;
void wakeup_kcompactd(struct pglist_data *pgdat, int order, int highest_zoneidx);
/** kswapd_wake_hook - issue 6 installs the function that makes kswapd run (NULL: nobody). */
extern void (*kswapd_wake_hook)(struct pglist_data *pgdat);

#endif /* MMSIM_MM_VMSCAN_H */
