// SPDX-License-Identifier: MIT
/*
 * mm/vmstat.c — vm counters with the kernel's names (zone, NUMA, node stats
 * and vm events), their registration in sim/stats.h, and the fragmentation
 * metrics of §9 (fill_contig_page_info, __fragmentation_index,
 * unusable_free_index) sampled per zone and order as stat vectors.
 *
 * Counters are exact (the model has no per-cpu deltas); the "vm stats
 * threshold" printed in zoneinfo is computed with the kernel's formula.
 * vm events live in the stats registry ("mm.vmstat.<name>") so the hot path
 * increments a plain uint64_t.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "mm/internal.h"
#include "sim/stats.h"

uint64_t *vm_events[NR_VM_EVENT_ITEMS];
static uint64_t vm_events_dummy[NR_VM_EVENT_ITEMS];

const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	"pgalloc_dma", "pgalloc_dma32", "pgalloc_normal", "pgalloc_movable", "pgalloc_device",
	"allocstall_dma", "allocstall_dma32", "allocstall_normal", "allocstall_movable", "allocstall_device",
	"pgfree", "pgactivate", "pgdeactivate",
	"compact_stall", "compact_fail", "compact_success",
	"pageoutrun",
	"mmsim_alloc_fail", "mmsim_might_sleep_bug", "mmsim_compact_calls", "mmsim_oom_calls",
};

const char *const zone_stat_names[NR_VM_ZONE_STAT_ITEMS] = {
	"nr_free_pages", "nr_zone_inactive_anon", "nr_zone_active_anon", "nr_zone_inactive_file",
	"nr_zone_active_file", "nr_zone_unevictable", "nr_zone_write_pending", "nr_mlock",
	"nr_bounce", "nr_zspages", "nr_free_cma",
};

const char *const numa_stat_names[NR_VM_NUMA_EVENT_ITEMS] = {
	"numa_hit", "numa_miss", "numa_foreign", "numa_interleave", "numa_local", "numa_other",
};

const char *const node_stat_names[NR_VM_NODE_STAT_ITEMS] = {
	"nr_inactive_anon", "nr_active_anon", "nr_inactive_file", "nr_active_file", "nr_unevictable",
	"nr_slab_reclaimable", "nr_slab_unreclaimable", "nr_isolated_anon", "nr_isolated_file",
	"workingset_nodes", "workingset_refault_anon", "workingset_refault_file",
	"workingset_activate_anon", "workingset_activate_file", "workingset_restore_anon",
	"workingset_restore_file", "workingset_nodereclaim",
	"nr_anon_pages", "nr_mapped", "nr_file_pages", "nr_dirty", "nr_writeback",
	"nr_writeback_temp", "nr_shmem", "nr_shmem_hugepages", "nr_shmem_pmdmapped", "nr_file_hugepages",
	"nr_file_pmdmapped", "nr_anon_transparent_hugepages", "nr_vmscan_write", "nr_vmscan_immediate_reclaim",
	"nr_dirtied", "nr_written", "nr_throttled_written", "nr_kernel_misc_reclaimable",
	"nr_foll_pin_acquired", "nr_foll_pin_released", "nr_kernel_stack", "nr_page_table_pages",
	"nr_sec_page_table_pages", "nr_swapcached", "pgpromote_success", "pgpromote_candidate",
};

unsigned long global_zone_page_state(enum zone_stat_item item)
{
	long v = 0;
	for (int nid = 0; nid < mm.nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			v += NODE_DATA(nid)->node_zones[z].vm_stat[item];
	return v < 0 ? 0 : (unsigned long)v;
}

unsigned long global_node_page_state(enum node_stat_item item)
{
	long v = 0;
	for (int nid = 0; nid < mm.nr_nodes; nid++)
		v += NODE_DATA(nid)->vm_stat[item];
	return v < 0 ? 0 : (unsigned long)v;
}

unsigned long global_numa_event_state(enum numa_stat_item item)
{
	unsigned long v = 0;
	for (int nid = 0; nid < mm.nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			v += NODE_DATA(nid)->node_zones[z].numa_stat[item];
	return v;
}

static inline int fls_ul(unsigned long x) { return x ? 64 - __builtin_clzl(x) : 0; }

int calculate_normal_threshold(struct zone *zone)
{
	unsigned long mem = zone->managed_pages >> (27 - PAGE_SHIFT);
	int threshold = 2 * fls_ul((unsigned long)mm.nr_cpus) * (1 + fls_ul(mem));

	return threshold > 125 ? 125 : threshold;
}

void fill_contig_page_info(struct zone *zone, unsigned order, struct contig_page_info *info)
{
	memset(info, 0, sizeof(*info));
	for (unsigned o = 0; o < MAX_ORDER; o++) {
		unsigned long blocks = zone->free_area[o].nr_free;
		info->free_blocks_total += blocks;
		info->free_pages += blocks << o;
		if (o >= order)
			info->free_blocks_suitable += blocks << (o - order);
	}
}

int __fragmentation_index(unsigned order, const struct contig_page_info *info)
{
	unsigned long requested = 1UL << order;

	if (order >= MAX_ORDER)
		return 0;
	if (!info->free_blocks_total)
		return 0;
	if (info->free_blocks_suitable)
		return -1000;
	return (int)(1000 - (1000 + info->free_pages * 1000 / requested) / info->free_blocks_total);
}

int unusable_free_index(unsigned order, const struct contig_page_info *info)
{
	if (!info->free_pages)
		return 1000;
	return (int)((info->free_pages - (info->free_blocks_suitable << order)) * 1000 / info->free_pages);
}

int fragmentation_index(struct zone *zone, unsigned order)
{
	struct contig_page_info info;

	fill_contig_page_info(zone, order, &info);
	return __fragmentation_index(order, &info);
}

static struct zone *zone_lookup(int nid, int zt)
{
	if (!mm.booted || nid < 0 || nid >= mm.nr_nodes || zt < 0 || zt >= MAX_NR_ZONES)
		return NULL;
	return &NODE_DATA(nid)->node_zones[zt];
}

int zone_fragmentation_index(int nid, int zt, unsigned order)
{
	struct zone *z = zone_lookup(nid, zt);
	return z ? fragmentation_index(z, order) : -2;
}

int zone_unusable_index(int nid, int zt, unsigned order)
{
	struct zone *z = zone_lookup(nid, zt);
	struct contig_page_info info;

	if (!z)
		return -2;
	fill_contig_page_info(z, order, &info);
	return unusable_free_index(order, &info);
}

/* --- stats registration ------------------------------------------------------------ */

/* Registry entries outlive a boot: their ctx is the zone id, resolved at sample time. */
static struct zone *ctx_zone(void *ctx)
{
	unsigned id = (unsigned)(uintptr_t)ctx - 1;
	int nid = (int)(id / MAX_NR_ZONES);

	if (!mm.booted || nid >= mm.nr_nodes)
		return NULL;
	return &NODE_DATA(nid)->node_zones[id % MAX_NR_ZONES];
}

static void vec_free_blocks(void *ctx, double *out, unsigned n)
{
	struct zone *z = ctx_zone(ctx);
	for (unsigned o = 0; o < n && o < MAX_ORDER; o++)
		out[o] = z ? (double)z->free_area[o].nr_free : 0;
}

static void vec_unusable(void *ctx, double *out, unsigned n)
{
	struct zone *z = ctx_zone(ctx);
	for (unsigned o = 0; o < n && o < MAX_ORDER; o++) {
		struct contig_page_info info;
		if (!z) {
			out[o] = 0;
			continue;
		}
		fill_contig_page_info(z, o, &info);
		out[o] = unusable_free_index(o, &info) / 1000.0;
	}
}

static void vec_extfrag(void *ctx, double *out, unsigned n)
{
	struct zone *z = ctx_zone(ctx);
	for (unsigned o = 0; o < n && o < MAX_ORDER; o++)
		out[o] = z ? fragmentation_index(z, o) / 1000.0 : 0;
}

static double gauge_free(void *ctx)
{
	struct zone *z = ctx_zone(ctx);
	return z ? (double)zone_page_state(z, NR_FREE_PAGES) : 0;
}

static double gauge_boost(void *ctx)
{
	struct zone *z = ctx_zone(ctx);
	return z ? (double)z->watermark_boost : 0;
}

static double gauge_wmark_min(void *ctx)
{
	struct zone *z = ctx_zone(ctx);
	return z ? (double)z->_watermark[WMARK_MIN] : 0;
}

static double gauge_wmark_low(void *ctx)
{
	struct zone *z = ctx_zone(ctx);
	return z ? (double)z->_watermark[WMARK_LOW] : 0;
}

static double gauge_wmark_high(void *ctx)
{
	struct zone *z = ctx_zone(ctx);
	return z ? (double)z->_watermark[WMARK_HIGH] : 0;
}

static double gauge_managed(void *ctx)
{
	struct zone *z = ctx_zone(ctx);
	return z ? (double)z->managed_pages : 0;
}

static void vec_numa(void *ctx, double *out, unsigned n)
{
	(void)ctx;
	for (unsigned i = 0; i < n && i < NR_VM_NUMA_EVENT_ITEMS; i++)
		out[i] = mm.booted ? (double)global_numa_event_state((enum numa_stat_item)i) : 0;
}

static double gauge_nr_free_pages(void *ctx)
{
	(void)ctx;
	return mm.booted ? (double)global_zone_page_state(NR_FREE_PAGES) : 0;
}

void vmstat_init(void)
{
	char name[128];

	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++) {
		snprintf(name, sizeof(name), "mm.vmstat.%s", vm_event_names[i]);
		vm_events[i] = stat_counter(name, "events", "vm event counter (/proc/vmstat)",
					    STAT_SAMPLED | STAT_SUMMARY);
		if (!vm_events[i])
			vm_events[i] = &vm_events_dummy[i];
		*vm_events[i] = 0;
	}
	stat_gauge("mm.vmstat.nr_free_pages", "pages", "free pages in the buddy allocator",
		   STAT_SAMPLED | STAT_SUMMARY, gauge_nr_free_pages, NULL);
	stat_vector("mm.vmstat.numa", NR_VM_NUMA_EVENT_ITEMS, "events",
		    "numa_hit, numa_miss, numa_foreign, numa_interleave, numa_local, numa_other",
		    STAT_SAMPLED | STAT_SUMMARY, vec_numa, NULL);
	for (int nid = 0; nid < mm.nr_nodes; nid++)
		for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
			struct zone *z = &NODE_DATA(nid)->node_zones[zt];
			void *zc = (void *)(uintptr_t)(zone_id(z) + 1);
			if (!z->present_pages)
				continue;
			snprintf(name, sizeof(name), "mm.node%d.%s.nr_free_pages", nid, z->name);
			stat_gauge(name, "pages", "free pages of the zone", STAT_SAMPLED | STAT_SUMMARY, gauge_free, zc);
			snprintf(name, sizeof(name), "mm.node%d.%s.watermark_boost", nid, z->name);
			stat_gauge(name, "pages", "watermark boost of the zone", STAT_SAMPLED, gauge_boost, zc);
			snprintf(name, sizeof(name), "mm.node%d.%s.watermark_min", nid, z->name);
			stat_gauge(name, "pages", "min watermark (without boost)", STAT_SAMPLED, gauge_wmark_min, zc);
			snprintf(name, sizeof(name), "mm.node%d.%s.watermark_low", nid, z->name);
			stat_gauge(name, "pages", "low watermark (without boost)", STAT_SAMPLED, gauge_wmark_low, zc);
			snprintf(name, sizeof(name), "mm.node%d.%s.watermark_high", nid, z->name);
			stat_gauge(name, "pages", "high watermark (without boost)", STAT_SAMPLED, gauge_wmark_high, zc);
			snprintf(name, sizeof(name), "mm.node%d.%s.managed_pages", nid, z->name);
			stat_gauge(name, "pages", "managed pages of the zone", STAT_SAMPLED | STAT_SUMMARY,
				   gauge_managed, zc);
			snprintf(name, sizeof(name), "mm.node%d.%s.free_blocks", nid, z->name);
			stat_vector(name, MAX_ORDER, "blocks", "free blocks per order (buddyinfo)",
				    STAT_SAMPLED | STAT_SUMMARY, vec_free_blocks, zc);
			snprintf(name, sizeof(name), "mm.node%d.%s.unusable_index", nid, z->name);
			stat_vector(name, MAX_ORDER, "ratio", "unusable free space index per order",
				    STAT_SAMPLED, vec_unusable, zc);
			snprintf(name, sizeof(name), "mm.node%d.%s.extfrag_index", nid, z->name);
			stat_vector(name, MAX_ORDER, "ratio", "external fragmentation index per order (-1 = fits)",
				    STAT_SAMPLED, vec_extfrag, zc);
		}
}

void vmstat_shutdown(void)
{
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		vm_events[i] = &vm_events_dummy[i];
}
