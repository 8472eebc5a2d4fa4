// SPDX-License-Identifier: MIT
/*
 * mm/proc.c — /proc/zoneinfo, /proc/buddyinfo, /proc/pagetypeinfo,
 * /proc/vmstat, /proc/meminfo, debugfs extfrag/{extfrag,unusable}_index and
 * show_mem, in the exact text of Linux 6.1 (mm/vmstat.c, fs/proc/meminfo.c,
 * mm/page_alloc.c; §9, §15).
 *
 * Simplified: meminfo fields the model does not track yet (LRU, swap, page
 * cache, hugetlb) print 0; DirectMap sizes assume the first 2 MiB mapped with
 * 4 KiB pages, the rest of the first GiB (and any tail not GiB aligned) with
 * 2 MiB pages and the remaining GiB-aligned RAM with 1 GiB pages (gbpages).
 * /proc/pagetypeinfo has no mixed-block table (PAGE_OWNER is off).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "machine/cost.h"
#include "mm/internal.h"
#include "mm/memory.h"
#include "mm/mm.h"
#include "mm/percpu.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "sim/log.h"
#include "sim/stats.h"

#define K(x) ((x) << (PAGE_SHIFT - 10))

static bool section_has_memory(unsigned long pfn)
{
	struct zone *z = page_zone(pfn_to_page(pfn));
	return z != NULL;
}

int proc_zoneinfo(FILE *f)
{
	if (!mm.booted)
		return -ENODEV;
	for (int nid = 0; nid < mm.nr_nodes; nid++) {
		struct pglist_data *pg = NODE_DATA(nid);
		bool first = true;
		for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
			struct zone *z = &pg->node_zones[zt];
			fprintf(f, "Node %d, zone %8s", nid, z->name);
			if (first && populated_zone(z)) {
				first = false;
				fprintf(f, "\n  per-node stats");
				for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
					fprintf(f, "\n      %-12s %lu", node_stat_names[i],
						pg->vm_stat[i] < 0 ? 0UL : (unsigned long)pg->vm_stat[i]);
			}
			fprintf(f, "\n  pages free     %lu"
				"\n        boost    %lu"
				"\n        min      %lu"
				"\n        low      %lu"
				"\n        high     %lu"
				"\n        spanned  %lu"
				"\n        present  %lu"
				"\n        managed  %lu"
				"\n        cma      %lu",
				zone_page_state(z, NR_FREE_PAGES), z->watermark_boost,
				min_wmark_pages(z), low_wmark_pages(z), high_wmark_pages(z),
				z->spanned_pages, z->present_pages, z->managed_pages, z->cma_pages);
			fprintf(f, "\n        protection: (%ld", z->lowmem_reserve[0]);
			for (int i = 1; i < MAX_NR_ZONES; i++)
				fprintf(f, ", %ld", z->lowmem_reserve[i]);
			fputc(')', f);
			if (!populated_zone(z)) {
				fputc('\n', f);
				continue;
			}
			for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
				fprintf(f, "\n      %-12s %lu", zone_stat_names[i], zone_page_state(z, (enum zone_stat_item)i));
			for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
				fprintf(f, "\n      %-12s %lu", numa_stat_names[i], z->numa_stat[i]);
			fprintf(f, "\n  pagesets");
			for (int c = 0; c < mm.nr_cpus; c++) {
				struct per_cpu_pages *pcp = &z->per_cpu_pageset[c];
				fprintf(f, "\n    cpu: %i"
					"\n              count: %i"
					"\n              high:  %i"
					"\n              batch: %i", c, pcp->count, pcp->high, pcp->batch);
				fprintf(f, "\n  vm stats threshold: %d", z->stat_threshold);
			}
			fprintf(f, "\n  node_unreclaimable:  %u"
				"\n  start_pfn:           %lu", pg->kswapd_failures >= 16 ? 1u : 0u, z->zone_start_pfn);
			fputc('\n', f);
		}
	}
	return ferror(f) ? -EIO : 0;
}

int proc_buddyinfo(FILE *f)
{
	if (!mm.booted)
		return -ENODEV;
	for (int nid = 0; nid < mm.nr_nodes; nid++)
		for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
			struct zone *z = &NODE_DATA(nid)->node_zones[zt];
			if (!populated_zone(z))
				continue;
			fprintf(f, "Node %d, zone %8s ", nid, z->name);
			for (int o = 0; o < MAX_ORDER; o++)
				fprintf(f, "%6lu ", z->free_area[o].nr_free);
			fputc('\n', f);
		}
	return ferror(f) ? -EIO : 0;
}

int proc_pagetypeinfo(FILE *f)
{
	if (!mm.booted)
		return -ENODEV;
	for (int nid = 0; nid < mm.nr_nodes; nid++) {
		struct pglist_data *pg = NODE_DATA(nid);
		if (!pg->node_present_pages)
			continue;
		fprintf(f, "Page block order: %d\n", pageblock_order);
		fprintf(f, "Pages per block:  %lu\n", pageblock_nr_pages);
		fputc('\n', f);
		fprintf(f, "%-43s ", "Free pages count per migrate type at order");
		for (int o = 0; o < MAX_ORDER; o++)
			fprintf(f, "%6d ", o);
		fputc('\n', f);
		for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
			struct zone *z = &pg->node_zones[zt];
			if (!populated_zone(z))
				continue;
			for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
				fprintf(f, "Node %4d, zone %8s, type %12s ", nid, z->name, migratetype_names[mt]);
				for (int o = 0; o < MAX_ORDER; o++) {
					unsigned long n = z->free_area[o].nr[mt];
					bool overflow = n > 100000;
					fprintf(f, "%s%6lu ", overflow ? ">" : "", overflow ? 100000UL : n);
				}
				fputc('\n', f);
			}
		}
		fprintf(f, "\n%-23s", "Number of blocks type ");
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			fprintf(f, "%12s ", migratetype_names[mt]);
		fputc('\n', f);
		for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
			struct zone *z = &pg->node_zones[zt];
			unsigned long count[MIGRATE_TYPES] = { 0 };
			if (!populated_zone(z))
				continue;
			for (unsigned long pfn = z->zone_start_pfn; pfn < zone_end_pfn(z); pfn += pageblock_nr_pages) {
				if (!section_has_memory(pfn) || page_zone(pfn_to_page(pfn)) != z)
					continue;
				int mt = get_pageblock_migratetype(pfn);
				if (mt < MIGRATE_TYPES)
					count[mt]++;
			}
			fprintf(f, "Node %d, zone %8s ", nid, z->name);
			for (int mt = 0; mt < MIGRATE_TYPES; mt++)
				fprintf(f, "%12lu ", count[mt]);
			fputc('\n', f);
		}
	}
	return ferror(f) ? -EIO : 0;
}

static int frag_debugfs(FILE *f, bool extfrag)
{
	if (!mm.booted)
		return -ENODEV;
	for (int nid = 0; nid < mm.nr_nodes; nid++)
		for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
			struct zone *z = &NODE_DATA(nid)->node_zones[zt];
			if (!populated_zone(z))
				continue;
			fprintf(f, "Node %d, zone %8s ", nid, z->name);
			for (unsigned o = 0; o < MAX_ORDER; o++) {
				struct contig_page_info info;
				fill_contig_page_info(z, o, &info);
				if (extfrag) {
					int idx = __fragmentation_index(o, &info);
					fprintf(f, "%2d.%03d ", idx / 1000, (idx < 0 ? -idx : idx) % 1000);
				} else {
					int idx = unusable_free_index(o, &info);
					fprintf(f, "%d.%03d ", idx / 1000, idx % 1000);
				}
			}
			fputc('\n', f);
		}
	return ferror(f) ? -EIO : 0;
}

int debugfs_extfrag_index(FILE *f) { return frag_debugfs(f, true); }
int debugfs_unusable_index(FILE *f) { return frag_debugfs(f, false); }

int proc_vmstat(FILE *f)
{
	if (!mm.booted)
		return -ENODEV;
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		fprintf(f, "%s %lu\n", zone_stat_names[i], global_zone_page_state((enum zone_stat_item)i));
	for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
		fprintf(f, "%s %lu\n", numa_stat_names[i], global_numa_event_state((enum numa_stat_item)i));
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		fprintf(f, "%s %lu\n", node_stat_names[i], global_node_page_state((enum node_stat_item)i));
	/* writeback thresholds (dirty_ratio 20, dirty_background_ratio 10 of available memory) */
	unsigned long avail = global_zone_page_state(NR_FREE_PAGES);
	avail = avail > mm.totalreserve_pages ? avail - mm.totalreserve_pages : 0;
	fprintf(f, "nr_dirty_threshold %lu\n", avail * 20 / 100);
	fprintf(f, "nr_dirty_background_threshold %lu\n", avail * 10 / 100);
	/*
	 * Events in 6.1's vm_event_item order (the subset the model counts; the
	 * THP, NUMA-balancing, swap-readahead ... counters it has no model for are
	 * left out). Each subsystem registers its counters as "mm.vmstat.<name>".
	 */
	static const char *const events[] = {
		"pgpgin", "pgpgout", "pswpin", "pswpout",
		"pgalloc_dma", "pgalloc_dma32", "pgalloc_normal", "pgalloc_movable", "pgalloc_device",
		"allocstall_dma", "allocstall_dma32", "allocstall_normal", "allocstall_movable",
		"allocstall_device",
		"pgfree", "pgactivate", "pgdeactivate", "pglazyfree", "pgfault", "pgmajfault", "pglazyfreed",
		"pgrefill", "pgreuse", "pgsteal_kswapd", "pgsteal_direct", "pgdemote_kswapd",
		"pgdemote_direct", "pgscan_kswapd", "pgscan_direct", "pgscan_direct_throttle",
		"pgscan_anon", "pgscan_file", "pgsteal_anon", "pgsteal_file", "zone_reclaim_failed",
		"pginodesteal", "slabs_scanned", "kswapd_inodesteal", "kswapd_low_wmark_hit_quickly",
		"kswapd_high_wmark_hit_quickly", "pageoutrun", "pgrotated", "drop_pagecache", "drop_slab",
		"oom_kill", "pgmigrate_success", "pgmigrate_fail", "compact_migrate_scanned",
		"compact_free_scanned", "compact_isolated", "compact_stall", "compact_fail",
		"compact_success", "compact_daemon_wake", "compact_daemon_migrate_scanned",
		"compact_daemon_free_scanned",
	};
	char name[96];

	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		uint64_t *c;

		snprintf(name, sizeof(name), "mm.vmstat.%s", events[i]);
		c = stat_find_counter(name);
		if (c)
			fprintf(f, "%s %llu\n", events[i], (unsigned long long)*c);
	}
	return ferror(f) ? -EIO : 0;
}

static void show_kb(FILE *f, const char *label, unsigned long kb)
{
	char l[32];
	snprintf(l, sizeof(l), "%s:", label);
	fprintf(f, "%-16s%8lu kB\n", l, kb);
}

int proc_meminfo(FILE *f)
{
	if (!mm.booted)
		return -ENODEV;
	unsigned long totalram = mm.nr_all_pages;
	unsigned long freeram = global_zone_page_state(NR_FREE_PAGES);
	unsigned long wmark_low = 0;
	for (int nid = 0; nid < mm.nr_nodes; nid++)
		for (int zt = 0; zt < MAX_NR_ZONES; zt++)
			wmark_low += low_wmark_pages(&NODE_DATA(nid)->node_zones[zt]);
	long available = (long)freeram - (long)mm.totalreserve_pages;
	long pagecache = (long)(global_node_page_state(NR_ACTIVE_FILE) + global_node_page_state(NR_INACTIVE_FILE));
	pagecache -= pagecache / 2 < (long)wmark_low ? pagecache / 2 : (long)wmark_low;
	available += pagecache;
	long reclaimable = (long)(global_node_page_state(NR_SLAB_RECLAIMABLE_B) +
				  global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE));
	available += reclaimable - (reclaimable / 2 < (long)wmark_low ? reclaimable / 2 : (long)wmark_low);
	if (available < 0)
		available = 0;
	unsigned long sr = global_node_page_state(NR_SLAB_RECLAIMABLE_B);
	unsigned long su = global_node_page_state(NR_SLAB_UNRECLAIMABLE_B);
	unsigned long aa = global_node_page_state(NR_ACTIVE_ANON), ia = global_node_page_state(NR_INACTIVE_ANON);
	unsigned long af = global_node_page_state(NR_ACTIVE_FILE), inf = global_node_page_state(NR_INACTIVE_FILE);

	show_kb(f, "MemTotal", K(totalram));
	show_kb(f, "MemFree", K(freeram));
	show_kb(f, "MemAvailable", K((unsigned long)available));
	show_kb(f, "Buffers", 0);
	struct reclaim_meminfo rm;

	reclaim_meminfo(-1, &rm);
	/* Like the kernel: the swap cache is in NR_FILE_PAGES but not in "Cached". */
	show_kb(f, "Cached", K(global_node_page_state(NR_FILE_PAGES) - global_node_page_state(NR_SWAPCACHE)));
	show_kb(f, "SwapCached", K(global_node_page_state(NR_SWAPCACHE)));
	show_kb(f, "Active", K(aa + af));
	show_kb(f, "Inactive", K(ia + inf));
	show_kb(f, "Active(anon)", K(aa));
	show_kb(f, "Inactive(anon)", K(ia));
	show_kb(f, "Active(file)", K(af));
	show_kb(f, "Inactive(file)", K(inf));
	show_kb(f, "Unevictable", K(global_node_page_state(NR_UNEVICTABLE)));
	show_kb(f, "Mlocked", K(global_zone_page_state(NR_MLOCK)));
	show_kb(f, "SwapTotal", K(rm.swap_total));
	show_kb(f, "SwapFree", K(rm.swap_free));
	show_kb(f, "Dirty", K(global_node_page_state(NR_FILE_DIRTY)));
	show_kb(f, "Writeback", K(global_node_page_state(NR_WRITEBACK)));
	show_kb(f, "AnonPages", K(global_node_page_state(NR_ANON_MAPPED)));
	show_kb(f, "Mapped", K(global_node_page_state(NR_FILE_MAPPED)));
	show_kb(f, "Shmem", K(global_node_page_state(NR_SHMEM)));
	show_kb(f, "KReclaimable", K(sr + global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE)));
	show_kb(f, "Slab", K(sr + su));
	show_kb(f, "SReclaimable", K(sr));
	show_kb(f, "SUnreclaim", K(su));
	show_kb(f, "KernelStack", global_node_page_state(NR_KERNEL_STACK_KB));
	show_kb(f, "PageTables", K(global_node_page_state(NR_PAGETABLE)));
	show_kb(f, "SecPageTables", K(global_node_page_state(NR_SECONDARY_PAGETABLE)));
	show_kb(f, "NFS_Unstable", 0);
	show_kb(f, "Bounce", K(global_zone_page_state(NR_BOUNCE)));
	show_kb(f, "WritebackTmp", K(global_node_page_state(NR_WRITEBACK_TEMP)));
	show_kb(f, "CommitLimit", K(totalram * 50 / 100));
	show_kb(f, "Committed_AS", 0);
	show_kb(f, "VmallocTotal", (VMALLOC_END - VMALLOC_START) >> 10);
	show_kb(f, "VmallocUsed", vmalloc_nr_pages() << (PAGE_SHIFT - 10));
	show_kb(f, "VmallocChunk", 0);
	show_kb(f, "Percpu", pcpu_nr_pages() << (PAGE_SHIFT - 10));
	fprintf(f, "HardwareCorrupted: %5lu kB\n", 0UL);
	show_kb(f, "AnonHugePages", 0);
	show_kb(f, "ShmemHugePages", 0);
	show_kb(f, "ShmemPmdMapped", 0);
	show_kb(f, "FileHugePages", 0);
	show_kb(f, "FilePmdMapped", 0);
	show_kb(f, "CmaTotal", 0);
	show_kb(f, "CmaFree", 0);
	fprintf(f, "HugePages_Total:   %5lu\nHugePages_Free:    %5lu\nHugePages_Rsvd:    %5lu\n"
		"HugePages_Surp:    %5lu\n", 0UL, 0UL, 0UL, 0UL);
	show_kb(f, "Hugepagesize", 2048);
	show_kb(f, "Hugetlb", 0);
	/* Direct map split (see the header comment). */
	uint64_t ram = mm.memory_bytes;
	uint64_t gib = 1ULL << 30;
	uint64_t dm4k = ram < (2ULL << 20) ? ram : (2ULL << 20);
	uint64_t dm1g = 0;
	if (mm.params.direct_map_gbpages && ram > gib)
		dm1g = ((ram - gib) / gib) * gib;
	uint64_t dm2m = ram - dm4k - dm1g;
	show_kb(f, "DirectMap4k", (unsigned long)(dm4k >> 10));
	show_kb(f, "DirectMap2M", (unsigned long)(dm2m >> 10));
	if (mm.params.direct_map_gbpages)
		show_kb(f, "DirectMap1G", (unsigned long)(dm1g >> 10));
	return ferror(f) ? -EIO : 0;
}

/* show_mem(): the Mem-Info block, into the kernel log. */
void show_mem(void)
{
	unsigned long free_pcp = 0;

	for (int nid = 0; nid < mm.nr_nodes; nid++)
		for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
			struct zone *z = &NODE_DATA(nid)->node_zones[zt];
			for (int c = 0; c < mm.nr_cpus && z->per_cpu_pageset; c++)
				free_pcp += (unsigned long)z->per_cpu_pageset[c].count;
		}
	sim_printk("Mem-Info:\n");
	sim_printk("active_anon:%lu inactive_anon:%lu isolated_anon:%lu\n",
		   global_node_page_state(NR_ACTIVE_ANON), global_node_page_state(NR_INACTIVE_ANON),
		   global_node_page_state(NR_ISOLATED_ANON));
	sim_printk(" active_file:%lu inactive_file:%lu isolated_file:%lu\n",
		   global_node_page_state(NR_ACTIVE_FILE), global_node_page_state(NR_INACTIVE_FILE),
		   global_node_page_state(NR_ISOLATED_FILE));
	sim_printk(" unevictable:%lu dirty:%lu writeback:%lu\n", global_node_page_state(NR_UNEVICTABLE),
		   global_node_page_state(NR_FILE_DIRTY), global_node_page_state(NR_WRITEBACK));
	sim_printk(" slab_reclaimable:%lu slab_unreclaimable:%lu\n",
		   global_node_page_state(NR_SLAB_RECLAIMABLE_B), global_node_page_state(NR_SLAB_UNRECLAIMABLE_B));
	sim_printk(" mapped:%lu shmem:%lu pagetables:%lu\n", global_node_page_state(NR_FILE_MAPPED),
		   global_node_page_state(NR_SHMEM), global_node_page_state(NR_PAGETABLE));
	sim_printk(" sec_pagetables:%lu bounce:%lu\n", global_node_page_state(NR_SECONDARY_PAGETABLE),
		   global_zone_page_state(NR_BOUNCE));
	sim_printk(" kernel_misc_reclaimable:%lu\n", global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE));
	sim_printk(" free:%lu free_pcp:%lu free_cma:%lu\n", global_zone_page_state(NR_FREE_PAGES), free_pcp,
		   global_zone_page_state(NR_FREE_CMA_PAGES));
	show_free_areas();
	sim_printk("%lu total pagecache pages\n", global_node_page_state(NR_FILE_PAGES));
	sim_printk("0 pages in swap cache\n");
	sim_printk("Free swap  = 0kB\n");
	sim_printk("Total swap = 0kB\n");
	unsigned long present = 0;
	for (int nid = 0; nid < mm.nr_nodes; nid++)
		present += NODE_DATA(nid)->node_present_pages;
	sim_printk("%lu pages RAM\n", present);
	sim_printk("0 pages HighMem/MovableOnly\n");
	sim_printk("%lu pages reserved\n", present - mm.nr_all_pages);
}

void show_free_areas(void)
{
	for (int nid = 0; nid < mm.nr_nodes; nid++)
		for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
			struct zone *z = &NODE_DATA(nid)->node_zones[zt];
			unsigned long free_pcp = 0, local_pcp = 0;
			if (!populated_zone(z))
				continue;
			for (int c = 0; c < mm.nr_cpus; c++)
				free_pcp += (unsigned long)z->per_cpu_pageset[c].count;
			local_pcp = (unsigned long)z->per_cpu_pageset[0].count;
			sim_printk("Node %d %s free:%lukB boost:%lukB min:%lukB low:%lukB high:%lukB "
				   "reserved_highatomic:%luKB active_anon:%lukB inactive_anon:%lukB active_file:%lukB "
				   "inactive_file:%lukB unevictable:%lukB writepending:%lukB present:%lukB managed:%lukB "
				   "mlocked:%lukB bounce:%lukB free_pcp:%lukB local_pcp:%lukB free_cma:%lukB\n",
				   nid, z->name, K(zone_page_state(z, NR_FREE_PAGES)), K(z->watermark_boost),
				   K(min_wmark_pages(z)), K(low_wmark_pages(z)), K(high_wmark_pages(z)),
				   K(z->nr_reserved_highatomic), K(zone_page_state(z, NR_ZONE_ACTIVE_ANON)),
				   K(zone_page_state(z, NR_ZONE_INACTIVE_ANON)), K(zone_page_state(z, NR_ZONE_ACTIVE_FILE)),
				   K(zone_page_state(z, NR_ZONE_INACTIVE_FILE)), K(zone_page_state(z, NR_ZONE_UNEVICTABLE)),
				   K(zone_page_state(z, NR_ZONE_WRITE_PENDING)), K(z->present_pages), K(z->managed_pages),
				   K(zone_page_state(z, NR_MLOCK)), K(zone_page_state(z, NR_BOUNCE)), K(free_pcp),
				   K(local_pcp), K(zone_page_state(z, NR_FREE_CMA_PAGES)));
			char buf[256];
			int pos = snprintf(buf, sizeof(buf), "lowmem_reserve[]:");
			for (int i = 0; i < MAX_NR_ZONES; i++)
				pos += snprintf(buf + pos, sizeof(buf) - (size_t)pos, " %ld", z->lowmem_reserve[i]);
			sim_printk("%s\n", buf);
		}
	for (int nid = 0; nid < mm.nr_nodes; nid++)
		for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
			struct zone *z = &NODE_DATA(nid)->node_zones[zt];
			char buf[1024];
			int pos;
			unsigned long total = 0;
			if (!populated_zone(z))
				continue;
			pos = snprintf(buf, sizeof(buf), "Node %d %s: ", nid, z->name);
			for (int o = 0; o < MAX_ORDER; o++) {
				unsigned long nr = z->free_area[o].nr_free;
				total += nr << o;
				pos += snprintf(buf + pos, sizeof(buf) - (size_t)pos, "%lu*%lukB ", nr, K(1UL << o));
				if (nr) {
					static const char letters[] = "UMEHCI";
					char t[8];
					int n = 0;
					for (int mt = 0; mt < MIGRATE_TYPES; mt++)
						if (z->free_area[o].nr[mt])
							t[n++] = letters[mt];
					t[n] = '\0';
					pos += snprintf(buf + pos, sizeof(buf) - (size_t)pos, "(%s) ", t);
				}
			}
			snprintf(buf + pos, sizeof(buf) - (size_t)pos, "= %lukB", K(total));
			sim_printk("%s\n", buf);
		}
}

int mm_show(const char *what, FILE *f)
{
	if (!strcmp(what, "zoneinfo")) return proc_zoneinfo(f);
	if (!strcmp(what, "buddyinfo")) return proc_buddyinfo(f);
	if (!strcmp(what, "pagetypeinfo")) return proc_pagetypeinfo(f);
	if (!strcmp(what, "vmstat")) return proc_vmstat(f);
	if (!strcmp(what, "meminfo")) return proc_meminfo(f);
	if (!strcmp(what, "extfrag_index")) return debugfs_extfrag_index(f);
	if (!strcmp(what, "unusable_index")) return debugfs_unusable_index(f);
	if (!strcmp(what, "slabinfo")) {
		if (!slab_is_available())
			return -ENOENT;
		slab_print_slabinfo(f);
		return 0;
	}
	if (!strcmp(what, "vmallocinfo")) return proc_vmallocinfo(f);
	return -ENOENT;
}
