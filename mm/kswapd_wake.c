// SPDX-License-Identifier: MIT
/*
 * mm/kswapd_wake.c — waking kswapd from the allocator (§6.1, wakeup_kswapd).
 *
 * The decisions the kernel makes before waking a node's kswapd: nothing to do
 * for unpopulated zones or when the node is balanced for the order and zone
 * (and not boosted); raise kswapd_order / kswapd_highest_zoneidx; trace
 * mm_vmscan_wakeup_kswapd; wake kcompactd instead when kswapd is hopeless.
 * kswapd itself lives in mm/vmscan.c, which installs kswapd_wake_hook.
 * (This file once held the "no progress" stand-ins for reclaim, compaction
 * and the OOM killer; they are now mm/vmscan.c, mm/compaction.c, mm/oom_kill.c.)
 */
#include "mm/internal.h"
#include "mm/vmscan.h"

void (*kswapd_wake_hook)(struct pglist_data *pgdat);

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
