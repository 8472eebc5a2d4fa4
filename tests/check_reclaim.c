// SPDX-License-Identifier: MIT
/*
 * tests/check_reclaim.c — suite "reclaim": user memory, the page cache, LRU
 * reclaim, kswapd, direct reclaim, shrinkers and swap on tiny machines
 * (§6 of the fact sheet): kswapd wakes at the low watermark and sleeps at
 * high, boost reclaim, swappiness 0 vs 200, dirty writeback delaying reclaim,
 * swap-out / swap-in of a hog, exit freeing everything, the shrinker
 * scan-count formula with deferred work, migration and the oom_reaper unmap.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cpu.h"
#include "machine/machine.h"
#include "machine/memsys.h"
#include "mm/internal.h"
#include "mm/memory.h"
#include "mm/mm.h"
#include "mm/reclaim_internal.h"
#include "mm/slab.h"
#include "mm/vmscan.h"
#include "sim/config.h"
#include "sim/engine.h"
#include "sim/log.h"
#include "sim/scenario_pressure.h"
#include "sim/stats.h"
#include "sim/trace.h"
#include "tests/suites.h"
#include "tests/testutil.h"

#define MiB (1ULL << 20)


static struct pressure_params PP;

static void boot_box(unsigned mib, int cpus)
{
	struct sim_params sp = { SIM_DEFAULT_QUANTUM, true };
	struct machine_desc d;
	struct memsys_params mp;
	struct mm_params p;
	char err[256];

	sim_log_set_level(SIM_LOG_ERROR);
	ck_assert_int_eq(sim_init(&sp), 0);
	machine_desc_init(&d);
	d.nr_nodes = 1;
	d.nr_cpus = cpus;
	d.node_mem[0] = (uint64_t)mib << 20;
	d.pci_hole = 0;
	ck_assert_msg(machine_build_desc(&d, err, sizeof(err)) == 0, "%s", err);
	memsys_default_params(&mp);
	mp.timing = true;
	ck_assert_msg(memsys_init(&mp, err, sizeof(err)) == 0, "%s", err);
	mm_params_default(&p);
	p.timing = 1;
	p.kernel_image_size = 2 << 20;
	ck_assert_msg(mm_boot(&p, err, sizeof(err)) == 0, "%s", err);
	boot_ctx()->cpu = 0;
	pressure_params_default(&PP);
}

static void start_reclaim(void)
{
	char err[256];
	ck_assert_msg(reclaim_init(&PP, err, sizeof(err)) == 0, "%s", err);
}

static struct zone *normal_zone(void)
{
	struct pglist_data *pg = NODE_DATA(0);
	for (int z = MAX_NR_ZONES - 1; z >= 0; z--)
		if (managed_zone(&pg->node_zones[z]))
			return &pg->node_zones[z];
	return NULL;
}

static uint64_t ctrv(const char *name)
{
	char full[96];
	uint64_t *p;
	snprintf(full, sizeof(full), "mm.vmstat.%s", name);
	p = stat_find_counter(full);
	return p ? *p : 0;
}

/* pgdat_balanced(order 0): some managed zone is at or above its high watermark */
static bool node_balanced(void)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &NODE_DATA(0)->node_zones[z];
		if (managed_zone(zone) && zone_page_state(zone, NR_FREE_PAGES) >= high_wmark_pages(zone))
			return true;
	}
	return false;
}

static void checks_ok(void)
{
	ck_assert_int_eq(reclaim_check(), 0);
	ck_assert_int_eq(mm_check(), 0);
}

/* --- a hog process ---------------------------------------------------------------- */
struct hog {
	struct task_struct *t;
	size_t bytes;
	unsigned long addr;
	int rc;
	int passes;
	bool exit_at_end;
	bool done;
};

static void hog_fn(void *arg)
{
	struct hog *h = arg;

	h->addr = task_mmap(h->t, h->bytes);
	for (int p = 0; p < h->passes && !h->rc; p++)
		h->rc = task_touch_range(h->t, h->addr, h->bytes, true);
	if (h->exit_at_end)
		task_exit(h->t);
	h->done = true;
}

static void touch_fn(void *arg)
{
	struct hog *h = arg;
	h->rc = task_touch_anon(h->t, h->addr, false);
}

/* A hog bigger than RAM swaps out; the first page is swapped and comes back on touch; exit frees all. */
START_TEST(test_anon_swapout_and_exit)
{
	struct hog h = { 0 };
	unsigned long free0;

	boot_box(32, 2);
	PP.swap_size = 64 * MiB;
	start_reclaim();
	free0 = nr_free_pages();
	h.t = task_create("hog", 0);
	h.bytes = 40 * MiB;
	h.passes = 1;
	ck_assert_ptr_nonnull(cpu_spawn("hog", 1, CTX_TASK, hog_fn, &h, h.t, 0));
	sim_run(20 * SIM_SEC);
	ck_assert(h.done);
	ck_assert_int_eq(h.rc, 0);
	ck_assert_uint_gt(ctrv("pswpout"), 0);
	ck_assert_uint_gt(get_mm_counter(task_mm(h.t), MM_SWAPENTS), 0);
	ck_assert_uint_eq(get_mm_counter(task_mm(h.t), MM_ANONPAGES) + get_mm_counter(task_mm(h.t), MM_SWAPENTS),
			  40 * MiB / PAGE_SIZE);
	ck_assert_uint_eq(h.t->rss_anon, get_mm_counter(task_mm(h.t), MM_ANONPAGES));
	ck_assert_uint_gt(mm_pgtables_bytes(task_mm(h.t)), 0);
	ck_assert(task_page_swapped(h.t, h.addr));
	ck_assert_uint_gt(ctrv("pgsteal_kswapd") + ctrv("pgsteal_direct"), 0);
	checks_ok();
	/* swap-in on the next access (from a process: the task sleeps for the read) */
	ck_assert_ptr_nonnull(cpu_spawn("touch", 1, CTX_TASK, touch_fn, &h, h.t, 21 * SIM_SEC));
	sim_run(22 * SIM_SEC);
	ck_assert_int_eq(h.rc, 0);
	ck_assert(task_page_resident(h.t, h.addr));
	ck_assert_uint_eq(ctrv("pswpin"), 1);
	checks_ok();
	task_exit(h.t);
	sim_run(25 * SIM_SEC);          /* writebacks in flight complete */
	checks_ok();
	ck_assert_uint_eq(global_node_page_state(NR_ANON_MAPPED), 0);
	ck_assert_uint_eq(global_node_page_state(NR_PAGETABLE), 0);
	ck_assert_uint_eq(global_node_page_state(NR_SWAPCACHE), 0);
	ck_assert_int_eq(get_nr_swap_pages(), (long)total_swap_pages_count());
	ck_assert_uint_eq(global_node_page_state(NR_INACTIVE_ANON) + global_node_page_state(NR_ACTIVE_ANON), 0);
	drain_all_pages(NULL);
	/* everything came back (slab / pcp noise of a few pages aside) */
	ck_assert_uint_ge(nr_free_pages() + 64, free0);
}
END_TEST

/* --- kswapd wakes at low and sleeps at high --------------------------------------------- */
struct reader {
	struct task_struct *t;
	struct file_model *f;
	uint64_t size;
	int rc;
	bool done;
	unsigned long free_min_seen;
};

static void reader_fn(void *arg)
{
	struct reader *r = arg;

	for (uint64_t off = 0; off < r->size && !r->rc; off += 64 * 1024) {
		r->rc = file_read(r->f, off, 64 * 1024);
		unsigned long f = nr_free_pages();
		if (f < r->free_min_seen)
			r->free_min_seen = f;
	}
	r->done = true;
}

START_TEST(test_kswapd_wake_sleep)
{
	struct reader r = { 0 };
	char path[512];
	char *txt;
	struct zone *z;

	boot_box(32, 2);
	start_reclaim();
	snprintf(path, sizeof(path), "%s/trace.txt", test_tmpdir());
	ck_assert_int_eq(trace_open(path, 2), 0);
	ck_assert_int_gt(trace_enable("vmscan"), 0);
	z = normal_zone();
	r.t = task_create("reader", 0);
	r.size = 48 * MiB;
	r.f = file_create("big", r.size);
	r.free_min_seen = ~0UL;
	ck_assert_ptr_nonnull(cpu_spawn("reader", 1, CTX_TASK, reader_fn, &r, r.t, 0));
	sim_run(30 * SIM_SEC);
	ck_assert(r.done);
	ck_assert_int_eq(r.rc, 0);
	trace_close();
	ck_assert_uint_gt(ctrv("pgsteal_kswapd"), 0);
	ck_assert_uint_gt(ctrv("pgscan_kswapd"), 0);
	ck_assert_uint_eq(ctrv("pswpout"), 0);
	/* kswapd went back to sleep with the zone at or above its high watermark */
	ck_assert(NODE_DATA(0)->kswapd_sleeping);
	ck_assert(node_balanced());
	(void)z;
	txt = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(txt);
	char *wk = strstr(txt, "mm_vmscan_wakeup_kswapd: nid=0");
	char *kw = strstr(txt, "mm_vmscan_kswapd_wake: nid=0 order=0");
	ck_assert_ptr_nonnull(wk);
	ck_assert_ptr_nonnull(kw);
	ck_assert(wk < kw);
	char *sl = strstr(kw, "mm_vmscan_kswapd_sleep: nid=0");
	ck_assert_ptr_nonnull(sl);
	ck_assert_ptr_nonnull(strstr(txt, "kswapd0-70"));
	free(txt);
	checks_ok();
}
END_TEST

/* Boost reclaim: a boosted zone wakes kswapd, which reclaims without swap until the boost is gone. */
struct waker { int dummy; };
static void waker_fn(void *arg)
{
	struct zone *z = normal_zone();
	(void)arg;
	z->watermark_boost = 512;
	z->flags |= ZONE_BOOSTED_WATERMARK;
	wakeup_kswapd(z, GFP_KERNEL, 0, (int)z->idx);
}

START_TEST(test_boost_reclaim)
{
	struct hog h = { 0 };
	struct reader r = { 0 };
	struct zone *z;
	struct waker w;

	boot_box(64, 2);
	PP.swap_size = 32 * MiB;
	start_reclaim();
	z = normal_zone();
	/* fill with anon (swappable) and clean file pages, staying above the high watermark */
	h.t = task_create("anon", 0);
	h.bytes = 6 * MiB;
	h.passes = 1;
	r.t = h.t;
	r.size = 24 * MiB;  /* > 4096 pages: scanned even at priority 12 */
	r.f = file_create("f", r.size);
	r.free_min_seen = ~0UL;
	ck_assert_ptr_nonnull(cpu_spawn("anon", 1, CTX_TASK, hog_fn, &h, h.t, 0));
	ck_assert_ptr_nonnull(cpu_spawn("reader", 1, CTX_TASK, reader_fn, &r, r.t, 0));
	sim_run(5 * SIM_SEC);
	ck_assert(h.done && r.done);
	ck_assert_uint_eq(ctrv("pgsteal_kswapd"), 0);
	ck_assert(node_balanced());
	ck_assert_ptr_nonnull(cpu_spawn("waker", 0, CTX_TASK, waker_fn, &w, NULL, 6 * SIM_SEC));
	sim_run(8 * SIM_SEC);
	ck_assert_uint_eq(z->watermark_boost, 0);
	ck_assert_uint_gt(ctrv("pgsteal_kswapd"), 0);
	ck_assert_uint_eq(ctrv("pswpout"), 0);          /* boost reclaim does not swap or write */
	ck_assert_uint_eq(ctrv("pageoutrun"), 1);
	checks_ok();
}
END_TEST

/* Nothing reclaimable (anon, no swap): kswapd fails 16 times and the node becomes hopeless. */
static uint64_t pageoutruns[3];
static void poke_fn(void *arg)
{
	struct zone *z = normal_zone();
	(void)arg;
	for (int i = 0; i < 3; i++) {
		wakeup_kswapd(z, GFP_KERNEL, 0, (int)z->idx);
		sim_sleep(SIM_SEC);
		pageoutruns[i] = ctrv("pageoutrun");
	}
}

START_TEST(test_kswapd_hopeless)
{
	struct hog h = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	boot_box(32, 2);
	start_reclaim();
	h.t = task_create("hog", 0);
	h.bytes = 64 * MiB;
	h.passes = 1;
	ck_assert_ptr_nonnull(cpu_spawn("hog", 1, CTX_TASK, hog_fn, &h, h.t, 0));
	sim_run(5 * SIM_SEC);
	ck_assert(h.done);
	ck_assert_int_ne(h.rc, 0);                      /* the fault failed: nothing to reclaim */
	/* raise the watermarks out of reach, then keep waking kswapd */
	ck_assert_int_eq(mm_set_min_free_kbytes(4 * mm_min_free_kbytes()), 0);
	ck_assert_ptr_nonnull(cpu_spawn("poke", 0, CTX_TASK, poke_fn, NULL, NULL, 6 * SIM_SEC));
	sim_run(10 * SIM_SEC);
	ck_assert_int_ge(NODE_DATA(0)->kswapd_failures, 16);
	ck_assert(NODE_DATA(0)->kswapd_sleeping);
	ck_assert_uint_eq(pageoutruns[2], pageoutruns[1]);   /* hopeless: wake-ups are ignored */
	ck_assert_uint_eq(ctrv("pgsteal_kswapd"), 0);
	f = open_memstream(&buf, &len);
	ck_assert_int_eq(proc_zoneinfo(f), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "node_unreclaimable:  1"));
	free(buf);
	checks_ok();
}
END_TEST

/* --- swappiness ------------------------------------------------------------------------------ */
struct mix {
	struct task_struct *t;
	struct file_model *f;
	unsigned long addr;
	bool done;
	int rc;
};

static void mix_fn(void *arg)
{
	struct mix *m = arg;

	/* 12 MiB of file pages read twice (active), then 20 MiB of anon: ~6 MiB must be reclaimed */
	m->rc = file_read(m->f, 0, 12 * MiB);
	if (!m->rc)
		m->rc = file_read(m->f, 0, 12 * MiB);
	m->addr = task_mmap(m->t, 40 * MiB);
	if (!m->rc)
		m->rc = task_touch_range(m->t, m->addr, 20 * MiB, true);
	m->done = true;
}

static void run_mix(int swappiness)
{
	struct mix m = { 0 };

	boot_box(32, 2);
	PP.swap_size = 64 * MiB;
	PP.swappiness = swappiness;
	start_reclaim();
	m.t = task_create("mix", 0);
	m.f = file_create("data", 12 * MiB);
	ck_assert_ptr_nonnull(cpu_spawn("mix", 1, CTX_TASK, mix_fn, &m, m.t, 0));
	sim_run(30 * SIM_SEC);
	ck_assert(m.done);
	ck_assert_int_eq(m.rc, 0);
	checks_ok();
}

START_TEST(test_swappiness_0)
{
	run_mix(0);
	ck_assert_uint_gt(ctrv("pgsteal_file"), 0);
	ck_assert_uint_eq(ctrv("pgscan_anon"), 0);
	ck_assert_uint_eq(ctrv("pswpout"), 0);
}
END_TEST

START_TEST(test_swappiness_200)
{
	run_mix(200);
	ck_assert_uint_gt(ctrv("pswpout"), 0);
	ck_assert_uint_gt(ctrv("pgsteal_anon"), ctrv("pgsteal_file"));
}
END_TEST

/* --- dirty writeback delays reclaim ------------------------------------------------------ */
struct writer {
	struct task_struct *t;
	struct file_model *f;
	bool done;
	int rc;
	sim_time_t alloc_time;
	bool got;
};

static void writer_fn(void *arg)
{
	struct writer *w = arg;
	unsigned long addr;
	sim_time_t t0;

	w->rc = file_write(w->f, 0, 20 * MiB);
	/* now an anon fault needs memory the dirty pages hold */
	addr = task_mmap(w->t, 12 * MiB);
	t0 = sim_now();
	if (!w->rc)
		w->rc = task_touch_range(w->t, addr, 12 * MiB, true);
	w->alloc_time = sim_now() - t0;
	w->done = true;
}

START_TEST(test_dirty_writeback_delays_reclaim)
{
	struct writer w = { 0 };

	boot_box(32, 2);
	PP.dirty_ratio = 90;              /* let the writer dirty most of memory */
	PP.dirty_background_ratio = 80;
	PP.disk_latency = 5 * SIM_MS;
	PP.disk_bandwidth = 50ULL * 1000 * 1000;
	start_reclaim();
	w.t = task_create("writer", 0);
	w.f = file_create("log", 20 * MiB);
	ck_assert_ptr_nonnull(cpu_spawn("writer", 1, CTX_TASK, writer_fn, &w, w.t, 0));
	sim_run(60 * SIM_SEC);
	ck_assert(w.done);
	ck_assert_int_eq(w.rc, 0);
	/* the pages had to be written before they could be freed: at least one disk latency */
	ck_assert_uint_ge(w.alloc_time, 5 * SIM_MS);
	ck_assert_uint_gt(ctrv("pgpgout"), 0);
	ck_assert_uint_gt(global_node_page_state(NR_VMSCAN_IMMEDIATE) + global_node_page_state(NR_VMSCAN_WRITE), 0);
	ck_assert_uint_gt(ctrv("pgsteal_file"), 0);
	checks_ok();
}
END_TEST

/* --- page cache: second access activates, fsync writes back, drop frees --------------------- */
struct pc { struct task_struct *t; bool done; int rc[5]; unsigned long active_after_2nd, dirty_before, wb_after; };

static void pc_fn(void *arg)
{
	struct pc *p = arg;
	struct file_model *f = file_create("pc", MiB), *g = file_create("w", MiB);

	p->rc[0] = file_read(f, 0, MiB);
	p->rc[1] = file_read(f, 0, MiB);
	p->active_after_2nd = global_node_page_state(NR_ACTIVE_FILE);
	p->rc[2] = file_write(g, 0, MiB);
	p->dirty_before = file_dirty_pages(g);
	p->rc[3] = file_fsync(g);
	p->wb_after = global_node_page_state(NR_WRITEBACK) + global_node_page_state(NR_FILE_DIRTY);
	p->rc[4] = file_read(f, MiB - 1, 2);         /* past EOF */
	file_drop(f);
	file_drop(g);
	p->done = true;
}

START_TEST(test_pagecache)
{
	struct pc p = { 0 };

	boot_box(32, 2);
	start_reclaim();
	p.t = task_create("pc", 0);
	ck_assert_ptr_nonnull(cpu_spawn("pc", 1, CTX_TASK, pc_fn, &p, p.t, 0));
	sim_run(5 * SIM_SEC);
	ck_assert(p.done);
	ck_assert_int_eq(p.rc[0], 0);
	ck_assert_int_eq(p.rc[1], 0);
	ck_assert_int_eq(p.rc[2], 0);
	ck_assert_int_eq(p.rc[3], 0);
	ck_assert_int_eq(p.rc[4], -EINVAL);
	ck_assert_uint_eq(p.active_after_2nd, 256);   /* mark_page_accessed twice → active */
	ck_assert_uint_eq(ctrv("pgactivate"), 256);
	ck_assert_uint_eq(p.dirty_before, 256);
	ck_assert_uint_eq(p.wb_after, 0);
	ck_assert_uint_eq(ctrv("pgpgout"), 1024);     /* KiB */
	ck_assert_uint_eq(ctrv("pgpgin"), 1024);
	ck_assert_uint_eq(global_node_page_state(NR_FILE_PAGES), 0);
	ck_assert_uint_eq(global_node_page_state(NR_ACTIVE_FILE) + global_node_page_state(NR_INACTIVE_FILE), 0);
	checks_ok();
}
END_TEST

/* --- shrinkers ------------------------------------------------------------------------------ */
static unsigned long fake_count(struct slab_shrinker *sh, int nid)
{
	(void)sh; (void)nid;
	return 1000;
}

static unsigned long scanned_total;
static unsigned long fake_scan(struct slab_shrinker *sh, int nid, unsigned long nr, gfp_t gfp)
{
	(void)sh; (void)nid; (void)gfp;
	scanned_total += nr;
	return nr / 2;
}

START_TEST(test_shrinker_scan_counts)
{
	struct slab_shrinker sh;

	boot_box(16, 1);
	start_reclaim();
	memset(&sh, 0, sizeof(sh));
	sh.count_objects = fake_count;
	sh.scan_objects = fake_scan;
	sh.seeks = DEFAULT_SEEKS;
	ck_assert_int_eq(slab_register_shrinker(&sh), 0);
	/* priority 12: delta = (1000 >> 12) * 4 / 2 = 0 → nothing */
	scanned_total = 0;
	reclaim_shrink_slab(GFP_KERNEL, 0, 12);
	ck_assert_uint_eq(scanned_total, 0);
	ck_assert_int_eq(reclaim_shrinker_deferred(&sh, 0), 0);
	/* priority 0: delta 2000, total_scan min(2000, 2000) → 15 batches of 128, 80 deferred */
	reclaim_shrink_slab(GFP_KERNEL, 0, 0);
	ck_assert_uint_eq(scanned_total, 1920);
	ck_assert_int_eq(reclaim_shrinker_deferred(&sh, 0), 80);
	ck_assert_uint_eq(ctrv("slabs_scanned"), 1920);
	/* priority 2: total = 80 >> 2 + 250 * 4 / 2 = 520 → 512 scanned, deferred 80 + 500 - 512 = 68 */
	scanned_total = 0;
	reclaim_shrink_slab(GFP_KERNEL, 0, 2);
	ck_assert_uint_eq(scanned_total, 512);
	ck_assert_int_eq(reclaim_shrinker_deferred(&sh, 0), 68);
	slab_unregister_shrinker(&sh);
}
END_TEST

/* --- direct reclaim --------------------------------------------------------------------------- */
struct direct { struct task_struct *t; unsigned long got; bool done; };

static void direct_fn(void *arg)
{
	struct direct *d = arg;
	struct zonelist *zl = &NODE_DATA(0)->node_zonelists[ZONELIST_FALLBACK];
	unsigned noreclaim;

	file_read(file_create("cache", 8 * MiB), 0, 8 * MiB);
	noreclaim = memalloc_noreclaim_save();
	d->got = try_to_free_pages(zl, 0, GFP_KERNEL, NULL, ZONE_NORMAL);
	memalloc_noreclaim_restore(noreclaim);
	d->done = true;
}

START_TEST(test_direct_reclaim)
{
	struct direct d = { 0 };
	char path[512];
	char *txt;

	boot_box(32, 2);
	PP.kswapd = false;
	start_reclaim();
	snprintf(path, sizeof(path), "%s/trace.txt", test_tmpdir());
	ck_assert_int_eq(trace_open(path, 2), 0);
	ck_assert_int_gt(trace_enable("vmscan"), 0);
	d.t = task_create("dr", 0);
	ck_assert_ptr_nonnull(cpu_spawn("dr", 1, CTX_TASK, direct_fn, &d, d.t, 0));
	sim_run(5 * SIM_SEC);
	trace_close();
	ck_assert(d.done);
	ck_assert_uint_ge(d.got, SWAP_CLUSTER_MAX);
	ck_assert_uint_gt(ctrv("pgscan_direct"), 0);
	ck_assert_uint_eq(ctrv("pgsteal_direct"), d.got);
	ck_assert_uint_eq(ctrv("allocstall_normal"), 1);
	txt = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(strstr(txt, "mm_vmscan_direct_reclaim_begin: order=0 gfp_flags=GFP_KERNEL"));
	ck_assert_ptr_nonnull(strstr(txt, "mm_vmscan_direct_reclaim_end: nr_reclaimed="));
	free(txt);
	checks_ok();
}
END_TEST

/* --- compaction and OOM interfaces --------------------------------------------------------- */
struct small { struct task_struct *t; unsigned long addr; bool done; };
static void small_fn(void *arg)
{
	struct small *s = arg;
	s->addr = task_mmap(s->t, 16 * PAGE_SIZE);
	task_touch_range(s->t, s->addr, 16 * PAGE_SIZE, true);
	s->done = true;
}

START_TEST(test_migrate_and_reap)
{
	struct small s = { 0 };
	struct page *old, *np;
	uint32_t *pte;

	boot_box(16, 1);
	PP.swap_size = 8 * MiB;
	start_reclaim();
	s.t = task_create("small", 0);
	ck_assert_ptr_nonnull(cpu_spawn("small", 0, CTX_TASK, small_fn, &s, s.t, 0));
	sim_run(SIM_SEC);
	ck_assert(s.done);
	pte = pte_of(task_mm(s.t), s.addr >> PAGE_SHIFT);
	old = pfn_to_page(pte_val_pfn(*pte));
	ck_assert(page_is_migratable(old));
	ck_assert_int_eq(isolate_movable_page(old), 0);
	ck_assert(!page_is_migratable(old));
	ck_assert_int_eq(isolate_movable_page(old), -EBUSY);
	np = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	ck_assert_ptr_nonnull(np);
	ck_assert_int_eq(migrate_movable_page(old, np), 0);
	ck_assert_uint_eq(pte_val_pfn(*pte), page_to_pfn(np));
	ck_assert_int_eq(page_type(np), PGTY_ANON);
	checks_ok();
	/* isolate + putback keeps the page */
	ck_assert_int_eq(isolate_movable_page(np), 0);
	putback_movable_page(np);
	checks_ok();
	/* the oom_reaper frees the anon memory; page tables stay until exit */
	ck_assert_uint_eq(get_mm_rss(task_mm(s.t)), 16);
	ck_assert_uint_eq(oom_reap_task_mm(s.t), 16);
	ck_assert_uint_eq(get_mm_rss(task_mm(s.t)), 0);
	ck_assert_uint_eq(mm_pgtables_bytes(task_mm(s.t)), 3 * PAGE_SIZE);
	checks_ok();
	{
		int n = 0;
		struct task_struct *t;
		for_each_process(t)
			n++;
		ck_assert_int_eq(n, 1);
	}
	task_exit(s.t);
	ck_assert_ptr_null(task_first());
	checks_ok();
}
END_TEST

/* --- scenario parsing ---------------------------------------------------------------------- */
START_TEST(test_scenario_params)
{
	struct pressure_params p;
	struct cfg *c = cfg_load_string("s.yaml", "vm:\n  swappiness: 200\nswap:\n  size: 64MiB\n  latency: 50us\n");

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(scenario_pressure_params(cfg_root(c), &p), 0);
	ck_assert_int_eq(p.swappiness, 200);
	ck_assert_uint_eq(p.swap_size, 64 * MiB);
	ck_assert_uint_eq(p.swap_latency, 50 * SIM_US);
	ck_assert_int_eq(p.dirty_ratio, 20);
	cfg_free(c);
	c = cfg_load_string("bad.yaml", "vm:\n  swappiness: 201\n");
	ck_assert_int_eq(scenario_pressure_params(cfg_root(c), &p), -1);
	ck_assert_ptr_nonnull(strstr(cfg_error(c), "bad.yaml:2:"));
	ck_assert_ptr_nonnull(strstr(cfg_error(c), "swappiness"));
	cfg_free(c);
}
END_TEST

static void add(Suite *s, const char *name, const TTest *t)
{
	TCase *tc = tcase_create(name);

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, t);
	suite_add_tcase(s, tc);
}

Suite *reclaim_suite(void)
{
	Suite *s = suite_create("reclaim");

	add(s, "scenario_params", test_scenario_params);
	add(s, "shrinker_scan_counts", test_shrinker_scan_counts);
	add(s, "pagecache", test_pagecache);
	add(s, "migrate_and_reap", test_migrate_and_reap);
	add(s, "direct_reclaim", test_direct_reclaim);
	add(s, "kswapd_wake_sleep", test_kswapd_wake_sleep);
	add(s, "boost_reclaim", test_boost_reclaim);
	add(s, "kswapd_hopeless", test_kswapd_hopeless);
	add(s, "anon_swapout_and_exit", test_anon_swapout_and_exit);
	add(s, "swappiness_0", test_swappiness_0);
	add(s, "swappiness_200", test_swappiness_200);
	add(s, "dirty_writeback_delays_reclaim", test_dirty_writeback_delays_reclaim);
	return s;
}
