/* SPDX-License-Identifier: MIT */
/*
 * tests/check_slab.c — SLUB, kmalloc and RCU frees (suite "slab").
 * Facts: reference/linux-mm-facts.md §10, §14.3, §16 items 13–16, 22.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cpu.h"
#include "machine/machine.h"
#include "machine/memsys.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/rcu.h"
#include "mm/slab.h"
#include "mm/util.h"
#include "sim/engine.h"
#include "sim/log.h"
#include "sim/rng.h"
#include "sim/trace.h"
#include "tests/suites.h"
#include "tests/testutil.h"

/* Boot a machine of @nodes nodes, @cpus CPUs (spread over the nodes), @mib MiB per node. */
static void boot(int nodes, int cpus, unsigned mib, bool timing)
{
	struct sim_params sp = { SIM_DEFAULT_QUANTUM, timing };
	struct machine_desc d;
	struct memsys_params mp;
	struct mm_params p;
	char err[256];

	ck_assert_int_eq(sim_init(&sp), 0);
	machine_desc_init(&d);
	d.nr_nodes = nodes;
	d.nr_cpus = cpus;
	for (int c = 0; c < cpus; c++)
		d.cpu_node[c] = c * nodes / cpus;
	for (int n = 0; n < nodes; n++)
		d.node_mem[n] = (uint64_t)mib << 20;
	d.pci_hole = 0;
	ck_assert_msg(machine_build_desc(&d, err, sizeof(err)) == 0, "%s", err);
	memsys_default_params(&mp);
	mp.timing = timing;
	ck_assert_msg(memsys_init(&mp, err, sizeof(err)) == 0, "%s", err);
	mm_params_default(&p);
	p.timing = timing ? 1 : 0;
	ck_assert_msg(mm_boot(&p, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(kmem_cache_init(), 0);
	ck_assert(slab_is_available());
	boot_ctx()->cpu = 0;
}

static void set_cpu(int cpu)
{
	boot_ctx()->cpu = cpu;
}

/* The slabinfo row of @name, parsed. */
struct row {
	unsigned long active, num, objsize, objperslab, pages, slabs;
};

static bool slabinfo_row(const char *name, struct row *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	char *line, *save = NULL;
	bool found = false;

	slab_print_slabinfo(f);
	fclose(f);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char nm[64];
		unsigned long a, b, c, d2, e, s1, s2, sh;

		if (sscanf(line, "%63s %lu %lu %lu %lu %lu : tunables %*u %*u %*u : slabdata %lu %lu %lu",
			   nm, &a, &b, &c, &d2, &e, &s1, &s2, &sh) == 9 && !strcmp(nm, name)) {
			*r = (struct row){ a, b, c, d2, e, s1 };
			found = true;
		}
	}
	free(buf);
	return found;
}

static unsigned long meminfo_kb(const char *label)
{
	char *buf = NULL, *l;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	unsigned long v = ~0UL;

	proc_meminfo(f);
	fclose(f);
	l = strstr(buf, label);
	if (l)
		sscanf(l + strlen(label), " %lu", &v);
	free(buf);
	return v;
}

static char *dmesg_path;

static void dmesg_start(void)
{
	dmesg_path = strdup(test_write_file("dmesg.log", ""));
	ck_assert_int_eq(sim_dmesg_open(dmesg_path), 0);
}

static char *dmesg_text(void)
{
	FILE *f = sim_dmesg_file();

	if (f)
		fflush(f);
	return test_read_file(dmesg_path, NULL);
}

/* ------------------------------------------------------------------------- */

START_TEST(test_kmalloc_classes)
{
	/* §16 item 13: sizes → class */
	static const struct { size_t lo, hi; int idx; unsigned size; } t[] = {
		{ 1, 8, 3, 8 }, { 9, 16, 4, 16 }, { 17, 32, 5, 32 }, { 33, 64, 6, 64 },
		{ 65, 96, 1, 96 }, { 97, 128, 7, 128 }, { 129, 192, 2, 192 },
		{ 193, 256, 8, 256 }, { 257, 512, 9, 512 }, { 513, 1024, 10, 1024 },
		{ 1025, 2048, 11, 2048 }, { 2049, 4096, 12, 4096 }, { 4097, 8192, 13, 8192 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		for (size_t s = t[i].lo; s <= t[i].hi; s++) {
			ck_assert_int_eq(kmalloc_index(s), t[i].idx);
			ck_assert_uint_eq(kmalloc_size(kmalloc_index(s)), t[i].size);
		}
	ck_assert_int_eq(kmalloc_index(0), 0);
	ck_assert_int_eq(kmalloc_index(8193), -1);
	ck_assert_int_eq(kmalloc_index(200), 8);
	ck_assert_int_eq(kmalloc_type(GFP_KERNEL), KMALLOC_NORMAL);
	ck_assert_int_eq(kmalloc_type(GFP_KERNEL_ACCOUNT), KMALLOC_CGROUP);
	ck_assert_int_eq(kmalloc_type(GFP_KERNEL | __GFP_RECLAIMABLE | __GFP_ACCOUNT), KMALLOC_RECLAIM);
	ck_assert_int_eq(kmalloc_type(GFP_DMA | __GFP_RECLAIMABLE), KMALLOC_DMA);
	ck_assert_int_eq(kmalloc_type(GFP_KERNEL | GFP_DMA32), KMALLOC_NORMAL);
}
END_TEST

/* objs/slab and pages/slab of kmalloc-8 ... 8k (indices 3..13, then 96 and 192). */
static const int cpu_counts[] = { 1, 4, 8, 16, 64 };
static const unsigned geo_sizes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192 };
static const unsigned geo[5][13][2] = {
	/* 1 CPU: min_objects 8 */
	{ {512,1}, {256,1}, {128,1}, {64,1}, {42,1}, {32,1}, {21,1}, {16,1}, {8,1}, {8,2}, {8,4}, {8,8}, {4,8} },
	/* 4 CPUs (§10.2) */
	{ {512,1}, {256,1}, {128,1}, {64,1}, {42,1}, {32,1}, {21,1}, {16,1}, {16,2}, {16,4}, {16,8}, {8,8}, {4,8} },
	/* 8 CPUs: 256 32/2, 512 32/4, 1k 32/8 */
	{ {512,1}, {256,1}, {128,1}, {64,1}, {42,1}, {32,1}, {21,1}, {32,2}, {32,4}, {32,8}, {16,8}, {8,8}, {4,8} },
	/* 16 CPUs: also 192 42/2 */
	{ {512,1}, {256,1}, {128,1}, {64,1}, {42,1}, {32,1}, {42,2}, {32,2}, {32,4}, {32,8}, {16,8}, {8,8}, {4,8} },
	/* 64 CPUs */
	{ {512,1}, {256,1}, {128,1}, {64,1}, {42,1}, {32,1}, {42,2}, {32,2}, {32,4}, {32,8}, {16,8}, {8,8}, {4,8} },
};

START_TEST(test_geometry_pure)
{
	for (int c = 0; c < 5; c++)
		for (int i = 0; i < 13; i++) {
			struct slab_geometry g;

			ck_assert_int_eq(slab_calculate_geometry(geo_sizes[i], 0, 0, false, (unsigned)cpu_counts[c], &g), 0);
			ck_assert_msg(g.objects == geo[c][i][0] && (1u << g.order) == geo[c][i][1],
				      "%d cpus size %u: %u/%u, want %u/%u", cpu_counts[c], geo_sizes[i],
				      g.objects, 1u << g.order, geo[c][i][0], geo[c][i][1]);
			ck_assert_uint_eq(g.size, geo_sizes[i]);
		}
}
END_TEST

START_TEST(test_geometry_params)
{
	struct slab_geometry g;

	/* §10.2 alignment examples */
	ck_assert_uint_eq(calculate_alignment(SLAB_HWCACHE_ALIGN, 0, 20), 32);
	ck_assert_uint_eq(calculate_alignment(SLAB_HWCACHE_ALIGN, 0, 100), 64);
	ck_assert_uint_eq(calculate_alignment(0, 0, 100), 8);
	ck_assert_uint_eq(calculate_alignment(0, 3, 100), 8);
	/* min_partial = clamp(ilog2(size)/2, 5, 10); cpu_partial by size */
	ck_assert_int_eq(slab_calculate_geometry(64, 0, 0, false, 4, &g), 0);
	ck_assert_uint_eq(g.min_partial, 5);
	ck_assert_uint_eq(g.cpu_partial, 120);
	ck_assert_uint_eq(g.cpu_partial_slabs, 4);            /* ceil(240 / 64) */
	ck_assert_uint_eq(g.offset, 32);                      /* free pointer mid-object */
	ck_assert_int_eq(slab_calculate_geometry(8192, 0, 0, false, 4, &g), 0);
	ck_assert_uint_eq(g.cpu_partial, 6);
	ck_assert_uint_eq(g.cpu_partial_slabs, 3);
	ck_assert_uint_eq(g.min_partial, 6);
	ck_assert_uint_eq(g.min_order, 1);
	ck_assert_int_eq(slab_calculate_geometry(1024, 0, 0, false, 4, &g), 0);
	ck_assert_uint_eq(g.cpu_partial, 24);
	ck_assert_int_eq(slab_calculate_geometry(256, 0, 0, false, 4, &g), 0);
	ck_assert_uint_eq(g.cpu_partial, 52);
	/* ctor / TYPESAFE_BY_RCU: free pointer after the object */
	ck_assert_int_eq(slab_calculate_geometry(64, 0, 0, true, 4, &g), 0);
	ck_assert_uint_eq(g.offset, 64);
	ck_assert_uint_eq(g.size, 72);
	ck_assert_int_eq(slab_calculate_geometry(64, 0, SLAB_TYPESAFE_BY_RCU, false, 4, &g), 0);
	ck_assert_uint_eq(g.size, 72);
	/* §16 item 14 */
	ck_assert_int_eq(slab_calculate_geometry(100, 0, SLAB_HWCACHE_ALIGN, false, 4, &g), 0);
	ck_assert_uint_eq(g.size, 128);
	ck_assert_uint_eq(g.objects, 32);
	ck_assert_int_eq(slab_calculate_geometry(100, 0, 0, false, 4, &g), 0);
	ck_assert_uint_eq(g.size, 104);
	ck_assert_uint_eq(g.objects, 39);
	ck_assert_uint_eq(g.order, 0);
	/* debug caches: no cpu partial */
	ck_assert_int_eq(slab_calculate_geometry(64, 0, SLAB_RED_ZONE, false, 4, &g), 0);
	ck_assert_uint_eq(g.cpu_partial_slabs, 0);
	ck_assert_int_lt(slab_calculate_geometry(0, 0, 0, false, 4, &g), 0);
	ck_assert_int_eq(calculate_order(8192, 4), 3);
}
END_TEST

START_TEST(test_geometry_booted)
{
	int c = _i;
	char name[32];

	boot(1, cpu_counts[c], 128, false);
	for (int i = 0; i < 13; i++) {
		static const char *const sn[13] = { "8", "16", "32", "64", "96", "128", "192", "256",
						    "512", "1k", "2k", "4k", "8k" };
		static const char *const fam[4] = { "kmalloc-", "kmalloc-cg-", "kmalloc-rcl-", "dma-kmalloc-" };

		for (int f = 0; f < 4; f++) {
			struct row r;

			snprintf(name, sizeof(name), "%s%s", fam[f], sn[i]);
			ck_assert_msg(slabinfo_row(name, &r), "no slabinfo row %s", name);
			ck_assert_msg(r.objperslab == geo[c][i][0] && r.pages == geo[c][i][1],
				      "%d cpus %s: %lu/%lu", cpu_counts[c], name, r.objperslab, r.pages);
			ck_assert_uint_eq(r.objsize, geo_sizes[i]);
			ck_assert_uint_eq(r.num, 0);
		}
	}
	ck_assert_int_eq(slab_check(), 0);
}
END_TEST

START_TEST(test_slabinfo_format)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	struct row r;

	boot(1, 4, 128, true);
	f = open_memstream(&buf, &len);
	slab_print_slabinfo(f);
	fclose(f);
	ck_assert(!strncmp(buf, "slabinfo - version: 2.1\n# name            <active_objs> <num_objs> "
		  "<objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> "
		  "<sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n", 200));
	ck_assert_ptr_nonnull(strstr(buf, "\nkmalloc-96             0      0     96   42    1 : tunables    0    0    0 : slabdata      0      0      0\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\nkmalloc-8k             0      0   8192    4    8 : tunables    0    0    0 : slabdata      0      0      0\n"));
	/* newest first: dma-kmalloc-8k first of the kmalloc rows, kmem_cache last */
	ck_assert((uintptr_t)(strstr(buf, "dma-kmalloc-8k")) < (uintptr_t)(strstr(buf, "kmalloc-rcl-8k")));
	ck_assert((uintptr_t)(strstr(buf, "\nkmalloc-8 ")) < (uintptr_t)(strstr(buf, "\nkmem_cache_node")));
	ck_assert((uintptr_t)(strstr(buf, "\nkmem_cache_node")) < (uintptr_t)(strstr(buf, "\nkmem_cache ")));
	ck_assert(slabinfo_row("kmem_cache", &r));
	ck_assert_uint_eq(r.objsize, 256);
	ck_assert_uint_ge(r.active, 2);
	free(buf);
}
END_TEST

START_TEST(test_new_cache_geometry)
{
	struct kmem_cache *foo, *bar, *baz, *qux;
	struct row r;
	void *p;

	boot(1, 4, 128, true);
	/* §16 item 14 */
	foo = kmem_cache_create("foo", 100, 0, SLAB_HWCACHE_ALIGN, NULL);
	ck_assert_ptr_nonnull(foo);
	ck_assert(slabinfo_row("foo", &r));
	ck_assert_uint_eq(r.objsize, 128);
	ck_assert_uint_eq(r.objperslab, 32);
	ck_assert_uint_eq(r.pages, 1);
	bar = kmem_cache_create("bar", 100, 0, 0, NULL);
	ck_assert(slabinfo_row("bar", &r));
	ck_assert_uint_eq(r.objsize, 104);
	ck_assert_uint_eq(r.objperslab, 39);
	ck_assert_uint_eq(r.pages, 1);
	/* a compatible cache is an alias of bar: not in slabinfo */
	baz = kmem_cache_create("baz", 97, 0, 0, NULL);
	ck_assert_ptr_eq(baz, bar);
	ck_assert_int_eq(kmem_cache_refcount(bar), 2);
	ck_assert(!slabinfo_row("baz", &r));
	/* different MERGE_SAME flags, a ctor, or a size 8+ smaller: no merge */
	qux = kmem_cache_create("qux", 100, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	ck_assert_ptr_ne(qux, bar);
	ck_assert_ptr_ne(kmem_cache_create("quux", 96, 0, 0, NULL), bar);
	/* a usercopy region makes a cache unmergeable */
	ck_assert_ptr_ne(kmem_cache_create_usercopy("uc", 100, 0, 0, 0, 16, NULL), bar);
	/* kmalloc caches never take aliases */
	ck_assert_ptr_ne(kmem_cache_create("k64", 64, 0, 0, NULL), kmalloc_cache(KMALLOC_NORMAL, 6));
	p = kmem_cache_alloc(baz, GFP_KERNEL);
	ck_assert_ptr_eq(kmem_obj_cache(p), bar);
	kmem_cache_free(baz, p);
	kmem_cache_destroy(baz);
	ck_assert(slabinfo_row("bar", &r));
	kmem_cache_destroy(bar);
	ck_assert(!slabinfo_row("bar", &r));
	/* bad flags → NULL + message */
	dmesg_start();
	ck_assert_ptr_null(kmem_cache_create("bad", 64, 0, 0x1u, NULL));
	{
		char *t = dmesg_text();

		ck_assert_ptr_nonnull(strstr(t, "kmem_cache_create(bad) failed with error -22"));
		free(t);
	}
	ck_assert_int_eq(slab_check(), 0);
}
END_TEST

START_TEST(test_slabinfo_flush)
{
	struct kmem_cache *s;
	struct row r;
	void *p;

	boot(1, 4, 128, true);
	s = kmalloc_cache(KMALLOC_NORMAL, 6);
	p = kmalloc(64, GFP_KERNEL);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_eq(kmem_obj_cache(p), s);
	/* §16 item 15: free objects of the cpu slab count as active */
	ck_assert(slabinfo_row("kmalloc-64", &r));
	ck_assert_uint_eq(r.active, 64);
	ck_assert_uint_eq(r.num, 64);
	ck_assert_uint_eq(r.slabs, 1);
	slab_flush_cpu_slab(s, 0);
	ck_assert(slabinfo_row("kmalloc-64", &r));
	ck_assert_uint_eq(r.active, 1);
	ck_assert_uint_eq(r.num, 64);
	ck_assert_uint_eq(kmem_cache_objects_inuse(s), 1);
	kfree(p);
	ck_assert_uint_eq(kmem_cache_objects_inuse(s), 0);
	/* empty slab on the node partial list (nr_partial < min_partial): kept */
	ck_assert(slabinfo_row("kmalloc-64", &r));
	ck_assert_uint_eq(r.active, 0);
	ck_assert_uint_eq(r.num, 64);
	kmem_cache_shrink(s);
	ck_assert(slabinfo_row("kmalloc-64", &r));
	ck_assert_uint_eq(r.num, 0);
	ck_assert_int_eq(slab_check(), 0);
}
END_TEST

START_TEST(test_alignment)
{
	boot(1, 2, 128, false);
	for (int i = 0; i < 13; i++) {
		unsigned sz = geo_sizes[i];
		unsigned al = sz == 96 ? 32 : sz == 192 ? 64 : sz;

		for (int k = 0; k < 50; k++) {
			void *p = kmalloc(sz, GFP_KERNEL);

			ck_assert_ptr_nonnull(p);
			ck_assert_msg((unsigned long)p % al == 0, "kmalloc(%u) = %p", sz, p);
			ck_assert_uint_eq(ksize(p), sz);
		}
	}
	ck_assert_int_eq(slab_check(), 0);
}
END_TEST

START_TEST(test_zero_and_large)
{
	unsigned long un;
	unsigned long before_printk;
	void *p;

	boot(1, 2, 128, true);
	/* §16 item 13 */
	ck_assert_ptr_eq(kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	ck_assert_uint_eq(ksize(ZERO_SIZE_PTR), 0);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	un = slab_unreclaimable_pages();
	ck_assert_uint_eq(meminfo_kb("\nSUnreclaim:"), un * 4);
	ck_assert_uint_eq(meminfo_kb("\nSlab:"), (un + slab_reclaimable_pages()) * 4);
	p = kmalloc(8193, GFP_KERNEL);
	ck_assert_uint_eq(meminfo_kb("\nSUnreclaim:"), (un + 4) * 4);
	ck_assert_ptr_nonnull(p);
	ck_assert(is_kmalloc_large(p));
	ck_assert_uint_eq(ksize(p), 16384);
	ck_assert_uint_eq((unsigned long)p % 16384, 0);
	ck_assert_uint_eq(page_alloc_order(virt_to_page((unsigned long)p)), 2);
	ck_assert_uint_eq(slab_unreclaimable_pages(), un + 4);
	kfree(p);
	ck_assert_uint_eq(slab_unreclaimable_pages(), un);
	p = kmalloc(100 * 1024, GFP_KERNEL);
	ck_assert_uint_eq(ksize(p), 128 * 1024);
	kfree(p);
	ck_assert_uint_eq(kmalloc_size_roundup(50), 64);
	ck_assert_uint_eq(kmalloc_size_roundup(8193), 16384);
	ck_assert_uint_eq(kmalloc_size_roundup(0), 0);
	/* > 4 MiB: NULL with a WARN; silent with __GFP_NOWARN */
	dmesg_start();
	before_printk = sim_printk_count();
	ck_assert_ptr_null(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL));
	ck_assert_uint_gt(sim_printk_count(), before_printk);
	before_printk = sim_printk_count();
	ck_assert_ptr_null(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN));
	ck_assert_uint_eq(sim_printk_count(), before_printk);
	ck_assert_uint_eq(slab_misuse_count(SLAB_MISUSE_TOO_LARGE), 2);
	p = kmalloc(1 << 20, GFP_KERNEL);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(ksize(p), 1 << 20);
	kfree(p);
	ck_assert_int_eq(slab_check(), 0);
}
END_TEST

START_TEST(test_helpers_overflow_krealloc)
{
	unsigned long freep, inuse;
	struct kmem_cache *k64 , *k96;
	void *p, *q;

	boot(1, 2, 128, true);
	drain_all_pages(NULL);
	freep = nr_free_pages();
	inuse = slab_total_objects_inuse();
	/* §16 item 16 */
	ck_assert_ptr_null(kcalloc(SIZE_MAX / 2 + 1, 2, GFP_KERNEL));
	ck_assert_ptr_null(kmalloc_array(SIZE_MAX, 3, GFP_KERNEL));
	drain_all_pages(NULL);
	ck_assert_uint_eq(nr_free_pages(), freep);
	ck_assert_uint_eq(slab_total_objects_inuse(), inuse);
	p = kcalloc(4, 16, GFP_KERNEL);
	k64 = kmalloc_cache(KMALLOC_NORMAL, 6);
	k96 = kmalloc_cache(KMALLOC_NORMAL, 1);
	ck_assert_ptr_eq(kmem_obj_cache(p), k64);
	ck_assert_ptr_eq(krealloc(p, 50, GFP_KERNEL), p);
	ck_assert_ptr_eq(krealloc(p, 64, GFP_KERNEL), p);
	q = krealloc(p, 65, GFP_KERNEL);
	ck_assert_ptr_ne(q, p);
	ck_assert_ptr_eq(kmem_obj_cache(q), k96);
	ck_assert_uint_eq(kmem_cache_objects_inuse(k64), 0);
	ck_assert_ptr_eq(krealloc(q, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	ck_assert_uint_eq(kmem_cache_objects_inuse(k96), 0);
	ck_assert_ptr_null(krealloc_array(NULL, SIZE_MAX / 4, 8, GFP_KERNEL));
	p = krealloc(NULL, 10, GFP_KERNEL);
	ck_assert_uint_eq(ksize(p), 16);
	q = krealloc(p, 10000, GFP_KERNEL);
	ck_assert(is_kmalloc_large(q));
	kfree_sensitive(q);
	ck_assert_uint_eq(slab_total_objects_inuse(), inuse);
	ck_assert_int_eq(slab_check(), 0);
}
END_TEST

START_TEST(test_trace_format)
{
	const char *path = test_write_file("trace.txt", "");
	struct kmem_cache *s;
	char *t, *l;
	void *p;

	boot(1, 2, 128, true);
	ck_assert_int_eq(trace_open(path, 2), 0);
	ck_assert_int_ge(trace_enable("kmem:kmalloc"), 1);
	ck_assert_int_ge(trace_enable("kmem:kfree"), 1);
	ck_assert_int_ge(trace_enable("kmem:kmem_cache_alloc"), 1);
	ck_assert_int_ge(trace_enable("kmem:kmem_cache_free"), 1);
	/* §16 item 22 */
	p = kmalloc_track_caller(640, GFP_KERNEL_ACCOUNT | __GFP_ZERO, "__build_skb+0x24/0x60");
	kfree(p);
	ck_assert_ptr_eq(kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);    /* no event */
	p = kmalloc_node(8193, GFP_KERNEL, 0);
	kfree(p);
	s = kmem_cache_create("foo", 100, 0, SLAB_ACCOUNT, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, p);
	p = kmalloc(32, GFP_KERNEL);
	kfree_rcu(p);                    /* freed by kfree_bulk after the GP: no kfree event */
	rcu_barrier();
	ck_assert_int_eq(trace_close(), 0);
	t = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(t);
	l = strstr(t, "kmalloc: call_site=__build_skb+0x24/0x60 ptr=");
	ck_assert_ptr_nonnull(l);
	ck_assert_ptr_nonnull(strstr(l, " bytes_req=640 bytes_alloc=1024 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO node=-1 accounted=true\n"));
	ck_assert_int_eq((int)strspn(l + strlen("kmalloc: call_site=__build_skb+0x24/0x60 ptr="), "0123456789abcdef"), 16);
	ck_assert_ptr_nonnull(strstr(t, "kfree: call_site=kfree ptr="));
	ck_assert_ptr_nonnull(strstr(t, "bytes_req=8193 bytes_alloc=16384 gfp_flags=GFP_KERNEL node=0 accounted=false"));
	ck_assert_ptr_nonnull(strstr(t, "kmem_cache_alloc: call_site=kmem_cache_alloc ptr="));
	ck_assert_ptr_nonnull(strstr(t, "bytes_req=100 bytes_alloc=104 gfp_flags=GFP_KERNEL node=-1 accounted=true"));
	ck_assert_ptr_nonnull(strstr(t, "kmem_cache_free: call_site=kmem_cache_free ptr="));
	ck_assert_ptr_nonnull(strstr(t, " name=foo\n"));
	ck_assert_ptr_null(strstr(t, "bytes_req=0 "));
	{
		int nk = 0;

		for (char *q = t; (q = strstr(q, " kfree: ")); q++)
			nk++;
		ck_assert_int_eq(nk, 2);
	}
	free(t);
}
END_TEST

static int ctor_calls;
static void ctor(void *obj)
{
	(void)obj;
	ctor_calls++;
}

START_TEST(test_misuse)
{
	struct kmem_cache *a, *b, *c;
	struct page *pg;
	char *t;
	void *p, *q;

	boot(1, 2, 128, true);
	dmesg_start();
	a = kmem_cache_create("cache_a", 128, 0, 0, NULL);
	b = kmem_cache_create("cache_b", 200, 0, 0, NULL);
	c = kmem_cache_create("cache_c", 64, 0, 0, ctor);
	ck_assert_ptr_ne(a, b);
	/* double free */
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	kfree(p);
	ck_assert_uint_eq(slab_misuse_count(SLAB_MISUSE_DOUBLE_FREE), 1);
	/* pointer inside an object */
	p = kmalloc(64, GFP_KERNEL);
	kfree((char *)p + 8);
	ck_assert_uint_eq(slab_misuse_count(SLAB_MISUSE_INVALID_FREE), 1);
	kfree(p);
	/* unknown address (neither direct map nor vmalloc) */
	kfree((void *)0xffffffff81000000UL);
	ck_assert_uint_eq(slab_misuse_count(SLAB_MISUSE_INVALID_FREE), 2);
	/* wrong cache: warned, freed to the right one */
	p = kmem_cache_alloc(a, GFP_KERNEL);
	kmem_cache_free(b, p);
	ck_assert_uint_eq(slab_misuse_count(SLAB_MISUSE_WRONG_CACHE), 1);
	ck_assert_uint_eq(kmem_cache_objects_inuse(a), 0);
	/* __GFP_ZERO with a constructor cache */
	ctor_calls = 0;
	p = kmem_cache_zalloc(c, GFP_KERNEL);
	ck_assert_uint_eq(slab_misuse_count(SLAB_MISUSE_ZERO_CTOR), 1);
	ck_assert_int_eq(ctor_calls, 56);                  /* 4096 / 72: once per object */
	q = kmem_cache_alloc(c, GFP_KERNEL);
	ck_assert_int_eq(ctor_calls, 56);                  /* not on each alloc */
	kmem_cache_free(c, p);
	kmem_cache_free(c, q);
	/* GFP_DMA32 / __GFP_HIGHMEM to kmalloc: stripped when a slab is needed */
	p = kmalloc(512, GFP_KERNEL | GFP_DMA32);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(slab_misuse_count(SLAB_MISUSE_UNEXPECTED_GFP), 1);
	ck_assert_ptr_eq(kmem_obj_cache(p), kmalloc_cache(KMALLOC_NORMAL, 9));
	q = kmalloc(2048, GFP_KERNEL | __GFP_HIGHMEM);
	ck_assert_uint_eq(slab_misuse_count(SLAB_MISUSE_UNEXPECTED_GFP), 2);
	kfree(p);
	kfree(q);
	p = kmalloc(20000, GFP_KERNEL | __GFP_HIGHMEM);
	ck_assert_uint_eq(slab_misuse_count(SLAB_MISUSE_UNEXPECTED_GFP), 3);
	kfree(p);
	/* kfree of a vmalloc address */
	kfree((void *)(VMALLOC_START + 0x2000));
	ck_assert_uint_eq(slab_misuse_count(SLAB_MISUSE_VMALLOC_FREE), 1);
	/* kfree of a page from the page allocator: not slab, left allocated */
	pg = alloc_pages(GFP_KERNEL, 0);
	ck_assert_ptr_nonnull(pg);
	kfree((void *)page_address(pg));
	ck_assert_uint_eq(slab_misuse_count(SLAB_MISUSE_NOT_SLAB), 1);
	ck_assert_int_eq(page_count(pg), 1);
	__free_pages(pg, 0);
	/* kmem_cache_free of a non-slab address */
	kmem_cache_free(a, (void *)(VMALLOC_START + 0x4000));
	ck_assert_uint_eq(slab_misuse_count(SLAB_MISUSE_VMALLOC_FREE), 2);
	/* destroy with objects in use */
	p = kmem_cache_alloc(a, GFP_KERNEL);
	kmem_cache_destroy(a);
	ck_assert_uint_eq(slab_misuse_count(SLAB_MISUSE_DESTROY_BUSY), 1);
	ck_assert_ptr_nonnull(kmem_cache_find("cache_a"));  /* left in place */
	ck_assert_int_eq(slab_check(), 0);

	t = dmesg_text();
	ck_assert_ptr_nonnull(strstr(t, "BUG kmalloc-64 (Not tainted): Object already free"));
	ck_assert_ptr_nonnull(strstr(t, "BUG kmalloc-64 (Not tainted): Invalid object pointer"));
	ck_assert_ptr_nonnull(strstr(t, "kmem_cache_free: Wrong slab cache. cache_b but object is from cache_a"));
	ck_assert_ptr_nonnull(strstr(t, "__GFP_ZERO with constructor (cache cache_c)"));
	ck_assert_ptr_nonnull(strstr(t, "Unexpected gfp: 0x4 (GFP_DMA32). Fixing up to gfp: 0xcc0 (GFP_KERNEL). Fix your code!"));
	ck_assert_ptr_nonnull(strstr(t, "Unexpected gfp: 0x2 (__GFP_HIGHMEM)"));
	ck_assert_ptr_nonnull(strstr(t, "virt_to_phys used for non-linear address"));
	ck_assert_ptr_nonnull(strstr(t, "object pointer: 0x"));
	ck_assert_ptr_nonnull(strstr(t, "Objects remaining in cache_a on __kmem_cache_shutdown()"));
	ck_assert_ptr_nonnull(strstr(t, "kmem_cache_destroy cache_a: Slab cache still has objects"));
	free(t);
}
END_TEST

START_TEST(test_families_and_zones)
{
	unsigned long r0;
	void *p;

	boot(1, 2, 128, true);
	p = kmalloc(64, GFP_KERNEL | GFP_DMA);
	ck_assert_str_eq(kmem_cache_name(kmem_obj_cache(p)), "dma-kmalloc-64");
	ck_assert_int_eq(page_zonenum(virt_to_page((unsigned long)p)), ZONE_DMA);
	kfree(p);
	r0 = slab_reclaimable_pages();
	p = kmalloc(100, GFP_KERNEL | __GFP_RECLAIMABLE);
	ck_assert_str_eq(kmem_cache_name(kmem_obj_cache(p)), "kmalloc-rcl-128");
	ck_assert_uint_eq(slab_reclaimable_pages(), r0 + 1);
	ck_assert_int_eq(page_pageblock_mt(virt_to_page((unsigned long)p)) == MIGRATE_RECLAIMABLE ||
			 page_group_by_mobility_disabled, 1);
	kfree(p);
	p = kmalloc(100, GFP_KERNEL_ACCOUNT);
	ck_assert_str_eq(kmem_cache_name(kmem_obj_cache(p)), "kmalloc-cg-128");
	kfree(p);
	{
		struct kmem_cache *s = kmem_cache_create("dma32c", 300, 0, SLAB_CACHE_DMA32, NULL);

		p = kmem_cache_alloc(s, GFP_KERNEL);
		ck_assert_int_le(page_zonenum(virt_to_page((unsigned long)p)), ZONE_DMA32);
		kmem_cache_free(s, p);
	}
	ck_assert_int_eq(slab_check(), 0);
}
END_TEST

START_TEST(test_numa)
{
	struct kmem_cache *s;
	void *p, *q;

	boot(2, 4, 128, true);
	s = kmalloc_cache(KMALLOC_NORMAL, 6);
	set_cpu(0);                                      /* a CPU of node 0 */
	p = kmalloc(64, GFP_KERNEL);
	ck_assert_int_eq(page_to_nid(virt_to_page((unsigned long)p)), 0);
	q = kmalloc_node(64, GFP_KERNEL, 1);             /* node mismatch: cpu slab replaced */
	ck_assert_int_eq(page_to_nid(virt_to_page((unsigned long)q)), 1);
	set_cpu(3);                                      /* node 1 */
	kfree(p);                                        /* remote free into node 0's slab */
	ck_assert_int_eq(page_to_nid(virt_to_page((unsigned long)kmalloc(64, GFP_KERNEL))), 1);
	set_cpu(0);
	kfree(q);
	ck_assert_int_eq(kmem_cache_check(s), 0);
	ck_assert_int_eq(slab_check(), 0);
}
END_TEST

START_TEST(test_min_partial_and_cpu_partial)
{
	struct kmem_cache *s;
	struct row r;
	void *obj[64 * 20];
	int n = 64 * 20;

	boot(1, 2, 128, true);
	s = kmalloc_cache(KMALLOC_NORMAL, 6);
	for (int i = 0; i < n; i++)
		obj[i] = kmalloc(64, GFP_KERNEL);
	ck_assert(slabinfo_row("kmalloc-64", &r));
	ck_assert_uint_eq(r.slabs, 20);
	ck_assert_uint_eq(r.active, (unsigned long)n);
	/* free one object per slab from CPU 1: full slabs go to CPU 1's partial chain,
	 * and when it would exceed cpu_partial_slabs (4) the chain is drained */
	set_cpu(1);
	for (int i = 0; i < n; i += 64)
		kfree(obj[i]);
	ck_assert_int_eq(kmem_cache_check(s), 0);
	for (int i = 0; i < n; i++)
		if (i % 64)
			kfree(obj[i]);
	ck_assert_int_eq(kmem_cache_check(s), 0);
	slab_flush_cpu_slab(s, 1);
	slab_flush_cpu_slab(s, 0);
	/* all empty: min_partial (5) slabs kept on the node list */
	ck_assert(slabinfo_row("kmalloc-64", &r));
	ck_assert_uint_eq(r.slabs, 5);
	ck_assert_uint_eq(r.active, 0);
	kmem_cache_shrink(s);
	ck_assert(slabinfo_row("kmalloc-64", &r));
	ck_assert_uint_eq(r.slabs, 0);
	ck_assert_int_eq(slab_check(), 0);
}
END_TEST

START_TEST(test_bulk)
{
	struct kmem_cache *s;
	static void *p[40000];
	unsigned long inuse;

	boot(1, 2, 128, true);
	s = kmem_cache_create("bulk", 4000, 0, 0, NULL);
	ck_assert_int_eq(kmem_cache_alloc_bulk(s, GFP_KERNEL, 100, p), 100);
	ck_assert_uint_eq(kmem_cache_objects_inuse(s), 100);
	kmem_cache_free_bulk(s, 100, p);
	ck_assert_uint_eq(kmem_cache_objects_inuse(s), 0);
	/* more than memory holds: all or nothing */
	inuse = slab_total_objects_inuse();
	ck_assert_int_eq(kmem_cache_alloc_bulk(s, GFP_NOWAIT | __GFP_NOWARN, 40000, p), 0);
	ck_assert_uint_eq(slab_total_objects_inuse(), inuse);
	ck_assert_uint_eq(kmem_cache_objects_inuse(s), 0);
	/* kfree_bulk: mixed caches */
	p[0] = kmalloc(32, GFP_KERNEL);
	p[1] = kmalloc(3000, GFP_KERNEL);
	p[2] = kmalloc(30000, GFP_KERNEL);
	kfree_bulk(3, p);
	ck_assert_uint_eq(slab_total_objects_inuse(), inuse);
	ck_assert_int_eq(slab_check(), 0);
}
END_TEST

START_TEST(test_typesafe_rcu_and_kfree_rcu)
{
	struct kmem_cache *s;
	unsigned long un0, inuse;
	void *p[200];

	boot(1, 2, 128, true);
	s = kmem_cache_create("rcu_cache", 256, 0, SLAB_TYPESAFE_BY_RCU, NULL);
	un0 = slab_unreclaimable_pages();
	for (int i = 0; i < 200; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	ck_assert_uint_gt(slab_unreclaimable_pages(), un0);
	for (int i = 0; i < 200; i++)
		kmem_cache_free(s, p[i]);
	kmem_cache_shrink(s);
	/* slabs left the cache, their pages wait for a grace period */
	ck_assert_uint_gt(slab_unreclaimable_pages(), un0);
	ck_assert_uint_gt(rcu_pending_callbacks(), 0);
	ck_assert_int_eq(slab_check(), 0);
	rcu_barrier();
	ck_assert_uint_eq(slab_unreclaimable_pages(), un0);
	ck_assert_uint_eq(rcu_pending_callbacks(), 0);
	/* kfree_rcu: freed only after the grace period */
	inuse = slab_total_objects_inuse();
	p[0] = kmalloc(128, GFP_KERNEL);
	kfree_rcu(p[0]);
	ck_assert_uint_eq(slab_total_objects_inuse(), inuse + 1);
	rcu_barrier();
	ck_assert_uint_eq(slab_total_objects_inuse(), inuse);
	ck_assert_int_eq(slab_check(), 0);
}
END_TEST

/* kfree_rcu in simulated time: KFREE_DRAIN_JIFFIES (5 s) then a grace period. */
static void *rcu_obj;
static unsigned long rcu_inuse0;
static sim_time_t freed_at;

static void rcu_task(void *arg)
{
	(void)arg;
	rcu_obj = kmalloc(64, GFP_KERNEL);
	rcu_inuse0 = slab_total_objects_inuse();
	kfree_rcu(rcu_obj);
	for (int i = 0; i < 80 && !freed_at; i++) {
		sim_sleep(100 * SIM_MS);
		if (slab_total_objects_inuse() < rcu_inuse0)
			freed_at = sim_now();
	}
}

/* A full batch (KVFREE_BULK_MAX_ENTR = 510) is handed to RCU after 1 jiffy. */
static sim_time_t bulk_freed_at;
static unsigned long bulk_inuse0;

static void rcu_bulk_task(void *arg)
{
	static void *o[600];

	(void)arg;
	bulk_inuse0 = slab_total_objects_inuse();
	for (int i = 0; i < 600; i++)
		o[i] = kmalloc(32, GFP_KERNEL);
	for (int i = 0; i < 600; i++)
		kfree_rcu(o[i]);
	for (int i = 0; i < 200 && !bulk_freed_at; i++) {
		sim_sleep(SIM_MS);
		if (slab_total_objects_inuse() == bulk_inuse0)
			bulk_freed_at = sim_now();
	}
}

START_TEST(test_kfree_rcu_full_batch)
{
	struct rcu_params rp;

	boot(1, 2, 128, false);
	rcu_default_params(&rp);
	rcu_init(&rp);
	ck_assert_ptr_nonnull(cpu_spawn("bulk", 0, CTX_TASK, rcu_bulk_task, NULL, NULL, 0));
	sim_run(2 * SIM_SEC);
	ck_assert_msg(bulk_freed_at >= rp.kfree_drain_fast + rp.gp_len &&
		      bulk_freed_at <= rp.kfree_drain_fast + 2 * rp.gp_len + 2 * SIM_MS,
		      "freed at %llu ps", (unsigned long long)bulk_freed_at);
	ck_assert_uint_eq(rcu_pending_callbacks(), 0);
	ck_assert_int_eq(rcu_check(), 0);
}
END_TEST

START_TEST(test_kfree_rcu_timing)
{
	struct rcu_params rp;

	boot(1, 2, 128, false);
	rcu_default_params(&rp);
	rcu_init(&rp);
	ck_assert_ptr_nonnull(cpu_spawn("task", 1, CTX_TASK, rcu_task, NULL, NULL, 0));
	sim_run(20 * SIM_SEC);
	ck_assert_msg(freed_at >= 5 * SIM_SEC && freed_at <= 5 * SIM_SEC + rp.gp_len * 2 + 100 * SIM_MS,
		      "freed at %llu ps", (unsigned long long)freed_at);
	ck_assert_uint_ge(rcu_completed_gps(), 1);
	ck_assert_int_eq(slab_check(), 0);
}
END_TEST

START_TEST(test_random_invariants)
{
	enum { NLIVE = 3000 };
	static void *live[NLIVE];
	static struct kmem_cache *owner[NLIVE];
	struct kmem_cache *c1, *c2;
	unsigned long freep;
	struct rng r;

	boot(2, 4, 128, _i == 1);
	drain_all_pages(NULL);
	c1 = kmem_cache_create("rnd_ctor", 120, 0, SLAB_HWCACHE_ALIGN, ctor);
	c2 = kmem_cache_create("rnd_rcl", 700, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	rng_seed(&r, 42 + (uint64_t)_i, 7);
	for (int op = 0; op < 30000; op++) {
		int i = (int)rng_below(&r, NLIVE);

		set_cpu((int)rng_below(&r, 4));
		if (live[i]) {
			if (owner[i])
				kmem_cache_free(owner[i], live[i]);
			else
				kfree(live[i]);
			live[i] = NULL;
			continue;
		}
		switch (rng_below(&r, 4)) {
		case 0:
			owner[i] = c1;
			live[i] = kmem_cache_alloc_node(c1, GFP_KERNEL, (int)rng_below(&r, 3) - 1);
			break;
		case 1:
			owner[i] = c2;
			live[i] = kmem_cache_alloc(c2, GFP_KERNEL);
			break;
		default: {
			static const size_t sz[] = { 8, 24, 64, 100, 200, 500, 1000, 3000, 6000, 9000 };

			owner[i] = NULL;
			live[i] = kmalloc_node(sz[rng_below(&r, 10)], GFP_KERNEL,
					       rng_below(&r, 4) ? NUMA_NO_NODE : 1);
			break;
		}
		}
		ck_assert_ptr_nonnull(live[i]);
		if (op % 5000 == 0)
			ck_assert_int_eq(slab_check(), 0);
	}
	ck_assert_int_eq(slab_check(), 0);
	for (int i = 0; i < NLIVE; i++)
		if (live[i]) {
			if (owner[i])
				kmem_cache_free(owner[i], live[i]);
			else
				kfree(live[i]);
		}
	ck_assert_int_eq(slab_check(), 0);
	ck_assert_uint_eq(kmem_cache_objects_inuse(c1), 0);
	ck_assert_uint_eq(kmem_cache_objects_inuse(c2), 0);
	kmem_cache_destroy(c1);
	kmem_cache_destroy(c2);
	for (int t = 0; t < NR_KMALLOC_TYPES; t++)
		for (int k = 1; k <= KMALLOC_SHIFT_HIGH; k++)
			if (kmalloc_cache(t, k)) {
				ck_assert_uint_eq(kmem_cache_objects_inuse(kmalloc_cache(t, k)), 0);
				kmem_cache_shrink(kmalloc_cache(t, k));
			}
	ck_assert_int_eq(slab_check(), 0);
	ck_assert_int_eq(mm_check(), 0);
	/* every slab page back: only the boot caches' slabs remain */
	drain_all_pages(NULL);
	freep = nr_free_pages();
	ck_assert_uint_le(slab_reclaimable_pages(), 0);
	(void)freep;
}
END_TEST

START_TEST(test_cpu_partial_drain)
{
	struct kmem_cache *s;
	enum { N = 64 * 12 };
	static void *o[N];
	struct row r;

	boot(1, 2, 128, false);
	s = kmalloc_cache(KMALLOC_NORMAL, 6);       /* cpu_partial_slabs 4 */
	for (int i = 0; i < N; i++)
		o[i] = kmalloc(64, GFP_KERNEL);
	set_cpu(1);
	/* 5 full slabs gain a free object: the 5th free drains the 4-slab chain
	 * to the node partial list */
	for (int k = 0; k < 5; k++)
		kfree(o[k * 64]);
	ck_assert(slabinfo_row("kmalloc-64", &r));
	ck_assert_uint_eq(r.num - r.active, 4);      /* 4 free objects on the node list */
	ck_assert_uint_eq(kmem_cache_stat(s, "cpu_partial_free"), 5);
	ck_assert_uint_eq(kmem_cache_stat(s, "cpu_partial_drain"), 1);
	ck_assert_int_eq(kmem_cache_check(s), 0);
	/* CPU 1 allocates: cpu partial slab first (its only free object) */
	set_cpu(1);
	ck_assert_ptr_eq(kmalloc(64, GFP_KERNEL), o[4 * 64]);
	ck_assert_int_eq(kmem_cache_check(s), 0);
}
END_TEST

/* The checker can fail: a slab page whose owner tag was overwritten. */
START_TEST(test_checker_detects_corruption)
{
	struct page *pg;
	void *p;

	boot(1, 2, 128, false);
	p = kmalloc(256, GFP_KERNEL);
	ck_assert_int_eq(slab_check(), 0);
	pg = virt_to_head_page((unsigned long)p);
	page_set_owner(pg, PGTY_SLAB, page_owner_data(pg) + 1);
	ck_assert_int_ne(slab_check(), 0);
}
END_TEST

/* GFP_KERNEL from a hardirq handler: might_alloc() reports, the allocation proceeds. */
static void *irq_obj[2];

static void irq_handler(void *arg)
{
	(void)arg;
	irq_obj[0] = kmalloc(64, GFP_KERNEL);
	irq_obj[1] = kmalloc(64, GFP_ATOMIC);
}

START_TEST(test_atomic_context)
{
	unsigned long bugs;

	boot(1, 2, 128, true);
	bugs = mm_might_sleep_bugs();
	ck_assert_int_eq(raise_irq(1, "eth0", irq_handler, NULL, NULL, 0), 0);
	sim_run(SIM_MS);
	ck_assert_ptr_nonnull(irq_obj[0]);
	ck_assert_ptr_nonnull(irq_obj[1]);
	ck_assert_uint_ge(mm_might_sleep_bugs(), bugs + 1);
	kfree(irq_obj[0]);
	kfree(irq_obj[1]);
	ck_assert_int_eq(slab_check(), 0);
}
END_TEST

/* Remote frees go to slab->freelist: the owner CPU keeps using c->freelist,
 * then refills from the remote frees (ALLOC_REFILL), most recent first. */
START_TEST(test_remote_free_order)
{
	void *p[64], *q;

	boot(1, 2, 128, true);
	for (int i = 0; i < 10; i++)
		p[i] = kmalloc(64, GFP_KERNEL);
	set_cpu(1);
	kfree(p[3]);
	set_cpu(0);
	q = kmalloc(64, GFP_KERNEL);
	ck_assert_uint_eq((unsigned long)q, (unsigned long)p[9] + 64);   /* next on c->freelist */
	p[10] = q;
	for (int i = 11; i < 64; i++)
		p[i] = kmalloc(64, GFP_KERNEL);
	ck_assert_int_eq(slab_check(), 0);
	set_cpu(1);
	kfree(p[5]);
	kfree(p[9]);
	set_cpu(0);
	ck_assert_uint_eq(kmem_cache_stat(kmalloc_cache(KMALLOC_NORMAL, 6), "free_frozen"), 3);
	ck_assert_ptr_eq(kmalloc(64, GFP_KERNEL), p[9]);
	ck_assert_uint_eq(kmem_cache_stat(kmalloc_cache(KMALLOC_NORMAL, 6), "alloc_refill"), 1);
	ck_assert_ptr_eq(kmalloc(64, GFP_KERNEL), p[5]);
	ck_assert_ptr_eq(kmalloc(64, GFP_KERNEL), p[3]);
	ck_assert_int_eq(slab_check(), 0);
	/* the slab is full again: the next object comes from a new slab */
	q = kmalloc(64, GFP_KERNEL);
	ck_assert_uint_ne((unsigned long)q & PAGE_MASK, (unsigned long)p[0] & PAGE_MASK);
	/* a remote free then a flush: deactivate splices both lists */
	set_cpu(1);
	kfree(q);
	set_cpu(0);
	slab_flush_cpu_slab(kmalloc_cache(KMALLOC_NORMAL, 6), 0);
	ck_assert_int_eq(slab_check(), 0);
}
END_TEST

Suite *slab_suite(void)
{
	Suite *s = suite_create("slab");
	TCase *tc = tcase_create("geometry");

	tcase_add_test(tc, test_kmalloc_classes);
	tcase_add_test(tc, test_geometry_pure);
	tcase_add_test(tc, test_geometry_params);
	tcase_add_loop_test(tc, test_geometry_booted, 0, 5);
	tcase_add_test(tc, test_slabinfo_format);
	tcase_add_test(tc, test_new_cache_geometry);
	suite_add_tcase(s, tc);

	tc = tcase_create("kmalloc");
	tcase_add_test(tc, test_slabinfo_flush);
	tcase_add_test(tc, test_alignment);
	tcase_add_test(tc, test_zero_and_large);
	tcase_add_test(tc, test_helpers_overflow_krealloc);
	tcase_add_test(tc, test_trace_format);
	tcase_add_test(tc, test_families_and_zones);
	tcase_add_test(tc, test_numa);
	tcase_add_test(tc, test_bulk);
	suite_add_tcase(s, tc);

	tc = tcase_create("slub");
	tcase_add_test(tc, test_misuse);
	tcase_add_test(tc, test_min_partial_and_cpu_partial);
	tcase_add_test(tc, test_cpu_partial_drain);
	tcase_add_test(tc, test_remote_free_order);
	tcase_add_test(tc, test_atomic_context);
	tcase_add_test(tc, test_checker_detects_corruption);
	tcase_add_test(tc, test_typesafe_rcu_and_kfree_rcu);
	tcase_add_test(tc, test_kfree_rcu_timing);
	tcase_add_test(tc, test_kfree_rcu_full_batch);
	tcase_add_loop_test(tc, test_random_invariants, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}
