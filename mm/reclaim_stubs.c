// SPDX-License-Identifier: MIT
/*
 * mm/reclaim_stubs.c — INTERFACES AWAITING ISSUE 6 (reclaim, compaction, OOM).
 *
 * ************************************************************************
 *  Everything here reports "no progress" so the page allocator's slow path
 *  runs its real control flow (§5) today and keeps it when issue 6 lands:
 *   - try_to_free_pages() / zone_reclaimable_pages(): now real, in mm/vmscan.c;
 *   - try_to_compact_pages(): COMPACT_SKIPPED (nothing to migrate);
 *   - compaction_zonelist_suitable(): false;
 *   - out_of_memory(): kills nothing, returns false;
 *   - wakeup_kcompactd(): no-op.
 *  wakeup_kswapd() is implemented for real (§6.1 decisions, the
 *  mm_vmscan_wakeup_kswapd event, kswapd_order / highest_zoneidx) and calls
 *  kswapd_wake_hook, which issue 6 sets to run kswapd.
 *  Issue 6 replaces this file (keep the signatures in mm/vmscan.h). Notes for it:
 *  try_to_compact_pages() must return COMPACT_SKIPPED itself when the mask
 *  lacks __GFP_IO (6.1.y gfp_compaction_allowed; the slow path calls it at
 *  step 9 regardless); try_to_free_pages() counts allocstall_<zone> like
 *  do_try_to_free_pages; model counters mmsim_compact_calls / mmsim_oom_calls
 *  count every call.
 * ************************************************************************
 */
#include "mm/internal.h"
#include "mm/vmscan.h"

void (*kswapd_wake_hook)(struct pglist_data *pgdat);

enum compact_result try_to_compact_pages(gfp_t gfp_mask, unsigned order, unsigned alloc_flags,
					 struct zonelist *zonelist, nodemask_t *nodemask,
					 int highest_zoneidx, enum compact_priority prio,
					 struct page **capture)
{
	(void)gfp_mask; (void)order; (void)alloc_flags; (void)zonelist; (void)nodemask;
	(void)highest_zoneidx; (void)prio;
	count_vm_event(COMPACT_CALLS);
	*capture = NULL;
	return COMPACT_SKIPPED;
}

bool compaction_zonelist_suitable(struct zonelist *zl, int order, int alloc_flags, int highest_zoneidx)
{
	(void)zl; (void)order; (void)alloc_flags; (void)highest_zoneidx;
	return false;
}

bool out_of_memory(struct oom_control *oc)
{
	(void)oc;
	count_vm_event(OOM_CALLS);
	return false;
}

void wakeup_kcompactd(struct pglist_data *pgdat, int order, int highest_zoneidx)
{
	(void)pgdat; (void)order; (void)highest_zoneidx;
}

/* pgdat_balanced(): any managed zone ≤ idx passes the high watermark (order, safe check). */
static bool pgdat_balanced(struct pglist_data *pgdat, int order, int highest_zoneidx)
{
	bool any_managed = false;

	for (int i = 0; i <= highest_zoneidx && i < MAX_NR_ZONES; i++) {
		struct zone *z = &pgdat->node_zones[i];
		if (!managed_zone(z))
			continue;
		any_managed = true;
		if (zone_watermark_ok(z, (unsigned)order, high_wmark_pages(z), highest_zoneidx, 0))
			return true;
	}
	return !any_managed;
}

static bool pgdat_watermark_boosted(struct pglist_data *pgdat, int highest_zoneidx)
{
	for (int i = highest_zoneidx; i >= 0; i--)
		if (pgdat->node_zones[i].watermark_boost)
			return true;
	return false;
}

void wakeup_kswapd(struct zone *zone, gfp_t gfp_flags, int order, int highest_zoneidx)
{
	struct pglist_data *pgdat;

	if (!managed_zone(zone))
		return;
	pgdat = zone->zone_pgdat;
	if (pgdat->kswapd_highest_zoneidx == MAX_NR_ZONES || pgdat->kswapd_highest_zoneidx < highest_zoneidx)
		pgdat->kswapd_highest_zoneidx = highest_zoneidx;
	if (pgdat->kswapd_order < order)
		pgdat->kswapd_order = order;
	if (!pgdat->kswapd_sleeping)
		return;
	if (pgdat->kswapd_failures >= 16 ||
	    (pgdat_balanced(pgdat, order, highest_zoneidx) && !pgdat_watermark_boosted(pgdat, highest_zoneidx))) {
		if (!(gfp_flags & __GFP_DIRECT_RECLAIM))
			wakeup_kcompactd(pgdat, order, highest_zoneidx);
		return;
	}
	if (trace_on(mm_ev.wakeup_kswapd))
		trace_mm_vmscan_wakeup_kswapd(pgdat->node_id, (int)zone->idx, order, gfp_flags);
	if (kswapd_wake_hook)
		kswapd_wake_hook(pgdat);
}
