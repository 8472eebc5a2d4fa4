// SPDX-License-Identifier: MIT
/*
 * tests/check_compaction.c — suite "compaction": compaction_suitable() and the
 * fragmentation index deciding compaction vs reclaim (§8, §9), deferral with
 * the kernel's numbers, direct compaction turning a fragmented zone into one
 * that satisfies an order-4 request (migration of anon pages, capture),
 * kcompactd woken for an order and proactive compaction, trace formats.
 *
 * Machines: the tiny preset shrunk to 32 MiB (DMA 0–16 MiB, DMA32 16–32 MiB),
 * timing off, kswapd off (reclaim_init with kswapd = false) so that only
 * compaction changes the free lists.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cpu.h"
#include "machine/machine.h"
#include "mm/compaction.h"
#include "mm/internal.h"
#include "mm/memory.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/sched.h"
#include "sim/engine.h"
#include "sim/log.h"
#include "sim/stats.h"
#include "sim/trace.h"
#include "tests/suites.h"
#include "tests/testmm.h"
#include "tests/testutil.h"

static struct mm_params P;

static void boot_mem(const char *mem, bool timing)
{
	struct sim_params sp;
	struct pressure_params pp;
	char err[512], yaml[128];

	memset(&sp, 0, sizeof(sp));
	sp.timing = timing;
	sp.quantum = SIM_US;
	ck_assert_int_eq(sim_init(&sp), 0);
	snprintf(yaml, sizeof(yaml), "preset: tiny\nmemory_per_node: %s\n", mem);
	ck_assert_msg(machine_build_yaml(yaml, err, sizeof(err)) == 0, "%s", err);
	mm_params_default(&P);
	P.init_slab = false;
	P.kernel_image_size = 2ULL << 20;     /* keep DMA32 (16–32 MiB) mostly managed */
	P.timing = timing ? 1 : 0;
	ck_assert_msg(mm_boot(&P, err, sizeof(err)) == 0, "mm_boot: %s", err);
	pressure_params_default(&pp);
	pp.kswapd = false;
	ck_assert_msg(reclaim_init(&pp, err, sizeof(err)) == 0, "reclaim_init: %s", err);
	compaction_init();
}

/* Debugging aids: CO_DMESG=1 sends the kernel log, CO_TRACE=<events> the trace, to stderr. */
static void debug_outputs(void)
{
	if (getenv("CO_DMESG"))
		sim_dmesg_open("/dev/stderr");
	if (getenv("CO_TRACE")) {
		trace_open("/dev/stderr", 2);
		trace_enable(getenv("CO_TRACE"));
	}
}

static void setup(void)
{
	boot_mem("32MiB", false);
	debug_outputs();
}

static void setup_timing(void)
{
	boot_mem("32MiB", true);
	debug_outputs();
}

static void teardown(void)
{
	compaction_shutdown();
	reclaim_shutdown();
	mm_shutdown();
	sim_shutdown();
}

static struct zone *zone_of(int zt) { return &NODE_DATA(0)->node_zones[zt]; }

/* Every free page of the machine (tests/testmm.c), and nothing left free. */
static void grab_all(void)
{
	test_hold_all_pages();
	ck_assert_uint_eq(nr_free_pages(), 0);
}

/* Free the held pages of @z whose pfn offset in 2*@stride-page groups is < @stride, merge. */
static unsigned long free_pattern(struct zone *z, unsigned stride)
{
	unsigned long freed = 0;

	for (unsigned long i = 0; i < test_nheld; i++) {
		unsigned long pfn;
		if (!test_held[i])
			continue;
		pfn = page_to_pfn(test_held[i]);
		if (!zone_spans_pfn(z, pfn) || (pfn % (2UL * stride)) >= stride)
			continue;
		__free_pages(test_held[i], 0);
		test_held[i] = NULL;
		freed++;
	}
	drain_all_pages(NULL);
	return freed;
}

static void free_rest(void)
{
	test_release_held();
	drain_all_pages(NULL);
}

/* §9 bonus: the fragmentation index formula on a zone's real free lists. */
START_TEST(test_fragmentation_index_numbers)
{
	struct zone *z = zone_of(ZONE_DMA32);
	unsigned long freed;

	grab_all();
	freed = free_pattern(z, 1);            /* every other page: order-0 blocks only */
	ck_assert_uint_gt(freed, 1000);
	ck_assert_uint_eq(z->free_area[0].nr_free, freed);
	/* 1000 − (1000 + F×1000/16) / F */
	ck_assert_int_eq(fragmentation_index(z, 4), (int)(1000 - (1000 + freed * 1000 / 16) / freed));
	ck_assert_int_eq(fragmentation_index(z, 0), -1000);
	free_rest();
}
END_TEST

/* The extfrag index decides compaction (fragmentation) vs reclaim (lack of memory) for order 4. */
START_TEST(test_extfrag_decides_compaction_vs_reclaim)
{
	struct zone *z = zone_of(ZONE_DMA32);
	unsigned long freed;
	int idx;

	trace_enable("compaction:mm_compaction_suitable");
	grab_all();
	/* (a) free memory scattered in order-0 blocks: index ~940 > 500 → compaction */
	freed = free_pattern(z, 1);
	idx = fragmentation_index(z, 4);
	ck_assert_int_gt(idx, sysctl_extfrag_threshold);
	ck_assert_uint_gt(freed, low_wmark_pages(z) + 32);
	ck_assert_int_eq(compaction_suitable(z, 4, ALLOC_WMARK_MIN, ZONE_NORMAL), COMPACT_CONTINUE);
	/* order 3 is not costly: never judged by the index */
	ck_assert_int_eq(compaction_suitable(z, 3, ALLOC_WMARK_MIN, ZONE_NORMAL), COMPACT_CONTINUE);
	free_rest();

	/* (b) free memory in order-3 blocks: index = 500 − 1000/blocks ≤ 500 → not suitable (reclaim) */
	grab_all();
	freed = free_pattern(z, 8);
	ck_assert_uint_eq(z->free_area[3].nr_free * 8, freed);
	idx = fragmentation_index(z, 4);
	ck_assert_int_ge(idx, 0);
	ck_assert_int_le(idx, sysctl_extfrag_threshold);
	ck_assert_int_eq(compaction_suitable(z, 4, ALLOC_WMARK_MIN, ZONE_NORMAL), COMPACT_SKIPPED);
	/* lowering the threshold below the index flips the decision */
	sysctl_extfrag_threshold = idx - 1;
	ck_assert_int_eq(compaction_suitable(z, 4, ALLOC_WMARK_MIN, ZONE_NORMAL), COMPACT_CONTINUE);
	sysctl_extfrag_threshold = 500;
	free_rest();

	/* (c) too little free memory for the compact gap: skipped whatever the index */
	grab_all();
	for (unsigned long i = 0, n = 0; i < test_nheld && n < 10; i++)
		if (test_held[i] && zone_spans_pfn(z, page_to_pfn(test_held[i])) && page_to_pfn(test_held[i]) % 2 == 0) {
			__free_pages(test_held[i], 0);
			test_held[i] = NULL;
			n++;
		}
	drain_all_pages(NULL);
	ck_assert_int_eq(compaction_suitable(z, 4, ALLOC_WMARK_MIN, ZONE_NORMAL), COMPACT_SKIPPED);
	free_rest();
	/* (d) an order-4 block that passes the watermark: compaction not needed */
	ck_assert_int_eq(compaction_suitable(z, 4, ALLOC_WMARK_MIN, ZONE_NORMAL), COMPACT_SUCCESS);
}
END_TEST

/* should_compact_retry() on SKIPPED asks whether reclaimable + free memory could compact. */
START_TEST(test_zonelist_suitable)
{
	struct zonelist *zl = &NODE_DATA(0)->node_zonelists[ZONELIST_FALLBACK];

	grab_all();
	/* nothing free, nothing reclaimable: no */
	ck_assert(!compaction_zonelist_suitable(zl, 4, ALLOC_WMARK_MIN, ZONE_NORMAL));
	free_pattern(zone_of(ZONE_DMA32), 1);
	ck_assert(compaction_zonelist_suitable(zl, 4, ALLOC_WMARK_MIN, ZONE_NORMAL));
	/* a zone above the request's highest zone does not count */
	ck_assert(!compaction_zonelist_suitable(zl, 4, ALLOC_WMARK_MIN, ZONE_DMA));
	free_rest();
}
END_TEST

/* §8 deferral with the kernel's numbers. */
START_TEST(test_deferral_counts)
{
	struct zone *z = zone_of(ZONE_DMA32);
	struct compaction_zone_state st;
	int deferred;

	ck_assert(!compaction_deferred(z, 4));           /* shift 0: limit 1 */
	defer_compaction(z, 4);
	compaction_zone_state(z, &st);
	ck_assert_uint_eq(st.defer_shift, 1);
	ck_assert_uint_eq(st.considered, 0);
	ck_assert_int_eq(st.order_failed, 0);
	ck_assert(compaction_deferred(z, 4));            /* 1 < 2 */
	ck_assert(!compaction_deferred(z, 4));           /* 2 ≥ 2 */
	for (int i = 0; i < 10; i++)
		defer_compaction(z, 4);
	compaction_zone_state(z, &st);
	ck_assert_uint_eq(st.defer_shift, COMPACT_MAX_DEFER_SHIFT);   /* capped at 6 */
	deferred = 0;
	while (compaction_deferred(z, 4))
		deferred++;
	ck_assert_int_eq(deferred, 63);                   /* skip 63, the 64th runs */
	ck_assert(compaction_restarting(z, 4));
	compaction_defer_reset(z, 4, true);
	compaction_zone_state(z, &st);
	ck_assert_uint_eq(st.defer_shift, 0);
	ck_assert_uint_eq(st.considered, 0);
	ck_assert_int_eq(st.order_failed, 5);
	defer_compaction(z, 6);
	ck_assert(!compaction_deferred(z, 4));            /* below order_failed: never deferred */
	ck_assert(compaction_deferred(z, 6));
	ck_assert_int_eq(compaction_check(), 0);
}
END_TEST

/*
 * Fill memory with anon pages of a task (GFP_HIGHUSER_MOVABLE fills DMA32, then
 * DMA), take the rest as kernel pages, then unmap every other page: the free
 * memory is scattered in singletons between movable pages.
 */
static struct task_struct *fragment_with_anon(unsigned long *mapped)
{
	struct task_struct *t = task_create("frag", 0);
	unsigned long npages = 16384, addr, n = 0;

	ck_assert_ptr_nonnull(t);
	addr = task_mmap(t, npages * PAGE_SIZE);
	for (unsigned long i = 0; i < npages && nr_free_pages() > 1600; i++) {
		int r = task_touch_anon(t, addr + i * PAGE_SIZE, true);
		ck_assert_msg(r == 0, "touch %lu: %d (free %lu)", i, r, nr_free_pages());
		n++;
	}
	grab_all();
	for (unsigned long i = 1; i < n; i += 2)
		ck_assert_int_eq(task_munmap(t, addr + i * PAGE_SIZE, PAGE_SIZE), 0);
	drain_all_pages(NULL);
	*mapped = n;
	return t;
}

static unsigned long free_blocks_from(struct zone *z, unsigned order)
{
	unsigned long n = 0;
	for (unsigned o = order; o < MAX_ORDER; o++)
		n += z->free_area[o].nr_free;
	return n;
}

/* Issue 6: compaction turns a fragmented zone into one that satisfies an order-4 request. */
START_TEST(test_direct_compaction_order4)
{
	struct zone *z32 = zone_of(ZONE_DMA32), *z16 = zone_of(ZONE_DMA);
	struct compaction_counters c0, c1;
	unsigned long mapped;
	struct task_struct *t;
	struct page *page;

	char path[512], *tr, *a, *b;
	size_t len;

	snprintf(path, sizeof(path), "%s/events.trace", test_tmpdir());
	ck_assert_int_eq(trace_open(path, 2), 0);
	trace_enable("compaction");
	t = fragment_with_anon(&mapped);
	ck_assert_uint_gt(mapped, 4000);
	ck_assert_uint_eq(free_blocks_from(z32, 4) + free_blocks_from(z16, 4), 0);
	ck_assert_int_gt(fragmentation_index(z32, 4), sysctl_extfrag_threshold);
	/* no order-4 block: a request that cannot compact fails */
	ck_assert_ptr_null(alloc_pages(GFP_NOWAIT | __GFP_NOWARN, 4));
	compaction_counters(&c0);
	uint64_t stall0 = *vm_events[COMPACTSTALL], success0 = *vm_events[COMPACTSUCCESS];

	page = alloc_pages(GFP_KERNEL, 4);
	ck_assert_ptr_nonnull(page);
	compaction_counters(&c1);
	ck_assert_uint_gt(c1.compact_migrate_scanned, c0.compact_migrate_scanned);
	ck_assert_uint_gt(c1.compact_free_scanned, c0.compact_free_scanned);
	ck_assert_uint_gt(c1.compact_isolated, c0.compact_isolated);
	ck_assert_uint_ge(c1.pgmigrate_success - c0.pgmigrate_success, 8);
	ck_assert_uint_ge(*vm_events[COMPACTSTALL] - stall0, 1);
	ck_assert_uint_eq(*vm_events[COMPACTSUCCESS] - success0, 1);
	ck_assert_int_eq(compaction_check(), 0);
	ck_assert_int_eq(mm_check(), 0);
	ck_assert_int_eq(reclaim_check(), 0);
	/* the task's memory is intact: every other page still resident */
	ck_assert_uint_eq(get_mm_counter(task_mm(t), MM_ANONPAGES), (mapped + 1) / 2);
	/* §5: async first (an UNMOVABLE request scans only UNMOVABLE blocks: nothing to do),
	 * then, after reclaim, sync light compaction of the MOVABLE blocks succeeds */
	trace_close();
	tr = test_read_file(path, &len);
	ck_assert_ptr_nonnull(tr);
	a = strstr(tr, "mm_compaction_try_to_compact_pages: order=4 gfp_mask=GFP_KERNEL priority=2\n");
	b = strstr(tr, "mm_compaction_try_to_compact_pages: order=4 gfp_mask=GFP_KERNEL priority=1\n");
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert(a < b);
	ck_assert_ptr_nonnull(strstr(a, "zone_end=0x2000, mode=async status=complete\n"));
	ck_assert(strstr(a, "mode=async status=complete") < b);
	ck_assert_ptr_nonnull(strstr(b, "mode=sync status=success\n"));
	ck_assert_ptr_nonnull(strstr(tr, "mm_compaction_begin: zone_start=0x1000 migrate_pfn=0x1000 free_pfn=0x1e00 "
				     "zone_end=0x2000, mode=async\n"));
	ck_assert_ptr_nonnull(strstr(b, "mm_compaction_migratepages: nr_migrated=32 nr_failed=0\n"));
	free(tr);
	__free_pages(page, 4);
	task_exit(t);
	free_rest();
}
END_TEST

/* The same with timing on: migration costs simulated time (copy + remap + TLB flush). */
START_TEST(test_compaction_costs_time)
{
	unsigned long mapped;
	struct task_struct *t;
	struct page *page;
	sim_time_t t0;
	char path[512], *tr, *end;
	size_t len;
	unsigned long mpfn;

	snprintf(path, sizeof(path), "%s/events.trace", test_tmpdir());
	ck_assert_int_eq(trace_open(path, 2), 0);
	trace_enable("compaction:mm_compaction_end");
	t = fragment_with_anon(&mapped);
	t0 = sim_now();
	page = alloc_pages(GFP_HIGHUSER_MOVABLE, 4);
	ck_assert_ptr_nonnull(page);
	ck_assert_uint_gt(sim_now() - t0, 8 * SIM_US);    /* ≥ 8 page copies + scanning */
	struct hist *h = stat_find_hist("mm.compaction.stall_latency");
	ck_assert_ptr_nonnull(h);
	ck_assert_uint_ge(h->count, 1);
	/* a movable request captures the first order-4 block it frees: compaction stops
	 * inside a pageblock (without capture it only finishes at a pageblock boundary) */
	trace_close();
	tr = test_read_file(path, &len);
	ck_assert_ptr_nonnull(tr);
	end = strstr(tr, "mm_compaction_end: ");
	ck_assert_ptr_nonnull(end);
	ck_assert_ptr_nonnull(strstr(end, "mode=async status=success\n"));
	ck_assert_ptr_nonnull(strstr(end, "migrate_pfn=0x"));
	mpfn = strtoul(strstr(end, "migrate_pfn=0x") + 14, NULL, 16);
	ck_assert_uint_ne(mpfn % pageblock_nr_pages, 0);
	ck_assert_uint_eq(page_to_pfn(page) % 16, 0);
	ck_assert_uint_lt(page_to_pfn(page), mpfn);
	free(tr);
	__free_pages(page, 4);
	task_exit(t);
	free_rest();
}
END_TEST

/* A sync compaction that cannot succeed (no movable pages) completes and defers. */
START_TEST(test_failed_compaction_defers)
{
	struct zone *z = zone_of(ZONE_DMA32);
	struct compaction_zone_state st;
	struct page *cap = NULL;
	struct zonelist *zl = &NODE_DATA(0)->node_zonelists[ZONELIST_FALLBACK];
	enum compact_result r;

	grab_all();
	free_pattern(z, 1);
	free_pattern(zone_of(ZONE_DMA), 1);
	r = try_to_compact_pages(GFP_KERNEL, 4, ALLOC_WMARK_MIN, zl, NULL, ZONE_NORMAL,
				 COMPACT_PRIO_SYNC_LIGHT, &cap);
	ck_assert_ptr_null(cap);
	ck_assert_int_eq(r, COMPACT_COMPLETE);
	compaction_zone_state(z, &st);
	ck_assert_uint_eq(st.defer_shift, 1);
	ck_assert(st.blockskip_flush);
	/* next attempt at a priority above SYNC_FULL is deferred */
	r = try_to_compact_pages(GFP_KERNEL, 4, ALLOC_WMARK_MIN, zl, NULL, ZONE_NORMAL,
				 COMPACT_PRIO_SYNC_LIGHT, &cap);
	ck_assert_int_eq(r, COMPACT_DEFERRED);
	/* SYNC_FULL ignores deferral; async never defers */
	r = try_to_compact_pages(GFP_KERNEL, 4, ALLOC_WMARK_MIN, zl, NULL, ZONE_NORMAL,
				 COMPACT_PRIO_SYNC_FULL, &cap);
	ck_assert_int_eq(r, COMPACT_COMPLETE);
	compaction_zone_state(z, &st);
	ck_assert_uint_eq(st.defer_shift, 2);
	/* kswapd going to sleep resets the skip hints of zones that finished a full scan */
	reset_isolation_suitable(NODE_DATA(0));
	compaction_zone_state(z, &st);
	ck_assert(!st.blockskip_flush);
	/* without __GFP_IO compaction is not allowed at all */
	r = try_to_compact_pages(GFP_NOIO, 4, ALLOC_WMARK_MIN, zl, NULL, ZONE_NORMAL,
				 COMPACT_PRIO_SYNC_FULL, &cap);
	ck_assert_int_eq(r, COMPACT_SKIPPED);
	ck_assert_int_eq(compaction_check(), 0);
	ck_assert_int_eq(mm_check(), 0);
	free_rest();
}
END_TEST

/* compact_node() (/proc/sys/vm/compact_memory) makes a whole free pageblock out of holes. */
START_TEST(test_compact_node)
{
	struct zone *z32 = zone_of(ZONE_DMA32);
	unsigned long mapped;
	struct task_struct *t = fragment_with_anon(&mapped);
	unsigned before = fragmentation_score_zone(z32);

	ck_assert_uint_ge(before, 95);
	ck_assert_int_eq(compact_node(0), 0);
	ck_assert_uint_lt(fragmentation_score_zone(z32), before);
	ck_assert_uint_gt(free_blocks_from(z32, 4), 0);
	ck_assert_int_eq(compact_node(5), -EINVAL);
	ck_assert_int_eq(mm_check(), 0);
	ck_assert_int_eq(compaction_check(), 0);
	task_exit(t);
	free_rest();
}
END_TEST

static void run_until(sim_time_t t)
{
	sim_run(t);
}

/* kcompactd: proactive compaction every 500 ms when the node score exceeds 90. */
START_TEST(test_kcompactd_proactive)
{
	struct pglist_data *pgdat = NODE_DATA(0);
	struct compaction_counters c;
	unsigned long mapped;
	struct task_struct *t = fragment_with_anon(&mapped);
	unsigned before = fragmentation_score_node(pgdat);

	ck_assert_uint_eq(fragmentation_score_wmark(false), 90);
	ck_assert_uint_eq(fragmentation_score_wmark(true), 80);
	ck_assert_uint_gt(before, 90);
	trace_enable("compaction:mm_compaction_kcompactd_sleep");
	ck_assert_int_eq(kcompactd_start_all(), 0);
	run_until(400 * SIM_MS);
	compaction_counters(&c);
	ck_assert_uint_eq(c.compact_daemon_migrate_scanned, 0);   /* not before 500 ms */
	run_until(1200 * SIM_MS);
	compaction_counters(&c);
	ck_assert_uint_gt(c.compact_daemon_migrate_scanned, 0);
	ck_assert_uint_lt(fragmentation_score_node(pgdat), before);
	ck_assert_int_eq(mm_check(), 0);
	task_exit(t);
	free_rest();
}
END_TEST

/* Writing vm.compaction_proactiveness triggers a proactive check at once (not after 500 ms). */
static void set_proactiveness_later(void *arg)
{
	(void)arg;
	sim_sleep(100 * SIM_MS);
	ck_assert_int_eq(compaction_set_proactiveness(30), 0);
}

START_TEST(test_proactiveness_sysctl_triggers)
{
	struct compaction_counters c;
	unsigned long mapped;
	struct task_struct *t = fragment_with_anon(&mapped);

	ck_assert_int_eq(kcompactd_start_all(), 0);
	ck_assert_ptr_nonnull(cpu_spawn("sysctl", 1, CTX_TASK, set_proactiveness_later, NULL, NULL, 0));
	run_until(90 * SIM_MS);
	compaction_counters(&c);
	ck_assert_uint_eq(c.compact_daemon_migrate_scanned, 0);
	run_until(200 * SIM_MS);
	compaction_counters(&c);
	ck_assert_uint_gt(c.compact_daemon_migrate_scanned, 0);
	ck_assert_uint_eq(fragmentation_score_wmark(false), 80);     /* 100 − 30 + 10 */
	sysctl_compaction_proactiveness = 20;
	task_exit(t);
	free_rest();
}
END_TEST

/* kcompactd woken for an order compacts; compact_daemon_wake counts it. */
static struct page *kcd_page;
static void waker(void *arg)
{
	(void)arg;
	sim_sleep(SIM_MS);
	wakeup_kcompactd(NODE_DATA(0), 4, ZONE_NORMAL);
	sim_sleep(100 * SIM_MS);
	kcd_page = alloc_pages(GFP_NOWAIT | __GFP_NOWARN, 4);
}

START_TEST(test_kcompactd_wakeup)
{
	struct compaction_counters c;
	unsigned long mapped;
	struct task_struct *t = fragment_with_anon(&mapped);

	ck_assert_int_eq(compaction_set_proactiveness(101), -EINVAL);
	ck_assert_int_eq(compaction_set_extfrag_threshold(1001), -EINVAL);
	ck_assert_int_eq(compaction_set_proactiveness(0), 0);
	ck_assert_int_eq(kcompactd_start_all(), 0);
	ck_assert_ptr_nonnull(cpu_spawn("waker", 1, CTX_TASK, waker, NULL, NULL, 0));
	run_until(200 * SIM_MS);
	compaction_counters(&c);
	ck_assert_uint_eq(c.compact_daemon_wake, 1);
	ck_assert_uint_gt(c.compact_daemon_migrate_scanned, 0);
	ck_assert_ptr_nonnull(kcd_page);       /* the order-4 block kcompactd made */
	__free_pages(kcd_page, 4);
	sysctl_compaction_proactiveness = 20;
	task_exit(t);
	free_rest();
}
END_TEST

Suite *compaction_suite(void)
{
	Suite *s = suite_create("compaction");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_fragmentation_index_numbers);
	tcase_add_test(tc, test_extfrag_decides_compaction_vs_reclaim);
	tcase_add_test(tc, test_deferral_counts);
	tcase_add_test(tc, test_zonelist_suitable);
	tcase_add_test(tc, test_direct_compaction_order4);
	tcase_add_test(tc, test_failed_compaction_defers);
	tcase_add_test(tc, test_compact_node);
	tcase_add_test(tc, test_kcompactd_proactive);
	tcase_add_test(tc, test_kcompactd_wakeup);
	tcase_add_test(tc, test_proactiveness_sysctl_triggers);
	suite_add_tcase(s, tc);
	tc = tcase_create("timing");
	tcase_add_checked_fixture(tc, setup_timing, teardown);
	tcase_add_test(tc, test_compaction_costs_time);
	suite_add_tcase(s, tc);
	return s;
}
