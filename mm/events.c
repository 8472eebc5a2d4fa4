// SPDX-License-Identifier: MIT
/*
 * mm/events.c — the page allocator's trace events in the 6.1 text format
 * (include/trace/events/kmem.h, vmscan.h; §14.3). %p of a struct page is the
 * hashed simulated vmemmap address; a NULL page prints 16 zeros and pfn 0x0.
 */
#include "mm/internal.h"

struct mm_trace_events mm_ev;

void mm_events_init(void)
{
	mm_ev.page_alloc = trace_event_register("kmem", "mm_page_alloc");
	mm_ev.page_free = trace_event_register("kmem", "mm_page_free");
	mm_ev.page_free_batched = trace_event_register("kmem", "mm_page_free_batched");
	mm_ev.page_alloc_zone_locked = trace_event_register("kmem", "mm_page_alloc_zone_locked");
	mm_ev.page_pcpu_drain = trace_event_register("kmem", "mm_page_pcpu_drain");
	mm_ev.page_alloc_extfrag = trace_event_register("kmem", "mm_page_alloc_extfrag");
	mm_ev.wakeup_kswapd = trace_event_register("vmscan", "mm_vmscan_wakeup_kswapd");
}

void trace_mm_page_alloc(struct page *page, unsigned order, gfp_t gfp, int mt)
{
	char buf[GFP_STR_MAX];

	trace_emit(mm_ev.page_alloc, "page=%016llx pfn=0x%lx order=%u migratetype=%d gfp_flags=%s",
		   (unsigned long long)mm_trace_page_ptr(page), page ? page_to_pfn(page) : 0UL, order, mt,
		   gfp_format(gfp, buf, sizeof(buf)));
}

void trace_mm_page_free(struct page *page, unsigned order)
{
	trace_emit(mm_ev.page_free, "page=%016llx pfn=0x%lx order=%u",
		   (unsigned long long)mm_trace_page_ptr(page), page_to_pfn(page), order);
}

void trace_mm_page_free_batched(struct page *page)
{
	trace_emit(mm_ev.page_free_batched, "page=%016llx pfn=0x%lx order=0",
		   (unsigned long long)mm_trace_page_ptr(page), page_to_pfn(page));
}

void trace_mm_page_alloc_zone_locked(struct page *page, unsigned order, int mt, bool refill)
{
	trace_emit(mm_ev.page_alloc_zone_locked, "page=%016llx pfn=0x%lx order=%u migratetype=%d percpu_refill=%d",
		   (unsigned long long)mm_trace_page_ptr(page), page_to_pfn(page), order, mt, refill ? 1 : 0);
}

void trace_mm_page_pcpu_drain(struct page *page, unsigned order, int mt)
{
	trace_emit(mm_ev.page_pcpu_drain, "page=%016llx pfn=0x%lx order=%u migratetype=%d",
		   (unsigned long long)mm_trace_page_ptr(page), page_to_pfn(page), order, mt);
}

void trace_mm_page_alloc_extfrag(struct page *page, int alloc_order, int fallback_order,
				 int alloc_mt, int fallback_mt)
{
	int change = get_pageblock_migratetype(page_to_pfn(page)) == alloc_mt;

	trace_emit(mm_ev.page_alloc_extfrag,
		   "page=%016llx pfn=0x%lx alloc_order=%d fallback_order=%d pageblock_order=%d "
		   "alloc_migratetype=%d fallback_migratetype=%d fragmenting=%d change_ownership=%d",
		   (unsigned long long)mm_trace_page_ptr(page), page_to_pfn(page), alloc_order, fallback_order,
		   pageblock_order, alloc_mt, fallback_mt, fallback_order < pageblock_order, change);
}

void trace_mm_vmscan_wakeup_kswapd(int nid, int zid, int order, gfp_t gfp)
{
	char buf[GFP_STR_MAX];

	(void)zid;
	trace_emit(mm_ev.wakeup_kswapd, "nid=%d order=%d gfp_flags=%s", nid, order,
		   gfp_format(gfp, buf, sizeof(buf)));
}
