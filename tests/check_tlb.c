/* SPDX-License-Identifier: MIT */
/*
 * tests/check_tlb.c — suite "tlb": page walks through the caches, the direct
 * map's large pages, paging-structure caches, range flushes (33-page
 * ceiling), shootdowns, the page-table hook and the cost API.
 */
#include <check.h>
#include <errno.h>
#include <string.h>
#include "machine/cache.h"
#include "machine/cost.h"
#include "machine/cpu.h"
#include "machine/dram.h"
#include "machine/machine.h"
#include "machine/memsys.h"
#include "machine/tlb.h"
#include "sim/rng.h"
#include "tests/suites.h"

static void build(int cpus, bool pscache, unsigned dm_shift, bool timing)
{
	struct machine_desc d;
	struct memsys_params mp;
	char err[256];

	machine_desc_init(&d);
	d.nr_nodes = 1;
	d.nr_cpus = cpus;
	d.node_mem[0] = 64ULL << 20;
	d.pci_hole = 0;
	ck_assert_msg(machine_build_desc(&d, err, sizeof(err)) == 0, "%s", err);
	memsys_default_params(&mp);
	mp.llc = (struct cache_geom){ 1 << 20, 16, 64, 77 };
	mp.pscache = pscache;
	mp.direct_map_shift = dm_shift;
	mp.timing = timing;
	ck_assert_msg(memsys_init(&mp, err, sizeof(err)) == 0, "%s", err);
	boot_ctx()->cpu = 0;
}

#define VA(n) (VMALLOC_START + ((unsigned long)(n) << PAGE_SHIFT))
#define PA(n) ((phys_addr_t)(16 << 20) + ((phys_addr_t)(n) << PAGE_SHIFT))

START_TEST(test_vmalloc_walk_through_caches)
{
	struct tlb_counts t0, t1;
	struct cache_counts c0, c1;
	sim_time_t cold, warm;
	bool mapped;

	build(1, false, PUD_SHIFT, true);
	ck_assert_int_eq(mmu_map(VA(1), PA(1)), 0);
	ck_assert_uint_eq(mmu_translate(VA(1) + 12, &mapped), PA(1) + 12);
	ck_assert(mapped);
	cache_flush_all();
	tlb_flush_cpu(0);

	tlb_get_counts(&t0);
	cache_level_counts(CACHE_L1D, &c0);
	cold = mem_read(VA(1) + 8, 8);
	tlb_get_counts(&t1);
	cache_level_counts(CACHE_L1D, &c1);
	ck_assert_uint_eq(t1.misses - t0.misses, 1);
	ck_assert_uint_eq(t1.walks - t0.walks, 1);
	ck_assert_uint_eq(t1.walk_loads - t0.walk_loads, 4);    /* PML4E, PDPTE, PDE, PTE */
	ck_assert_uint_eq(c1.misses - c0.misses, 5);            /* 4 cold PTE lines + the data */
	ck_assert_uint_eq(c1.hits - c0.hits, 0);
	ck_assert(tlb_present(0, VA(1), TLB_4K));

	/* TLB hit: one L1 hit, no walk */
	tlb_get_counts(&t0);
	ck_assert_uint_gt(mem_read(VA(1) + 16, 8), 0);
	tlb_get_counts(&t1);
	ck_assert_uint_eq(t1.dtlb_hits - t0.dtlb_hits, 1);
	ck_assert_uint_eq(t1.walks - t0.walks, 0);

	/* TLB flushed, tables cached: the walk's 4 loads hit L1D */
	tlb_flush_cpu(0);
	cache_level_counts(CACHE_L1D, &c0);
	warm = mem_read(VA(1) + 8, 8);
	cache_level_counts(CACHE_L1D, &c1);
	ck_assert_uint_eq(c1.hits - c0.hits, 5);
	ck_assert_uint_eq(c1.misses - c0.misses, 0);
	ck_assert_uint_gt(cold, warm + dram_latency(0, 0));
	ck_assert_int_eq(memsys_check(), 0);
}
END_TEST

START_TEST(test_paging_structure_caches)
{
	struct tlb_counts t0, t1;

	build(1, true, PUD_SHIFT, true);
	ck_assert_int_eq(mmu_map(VA(1), PA(1)), 0);
	ck_assert_int_eq(mmu_map(VA(2), PA(2)), 0);
	tlb_flush_cpu(0);
	tlb_get_counts(&t0);
	mem_read(VA(1), 8);
	mem_read(VA(2), 8);                                      /* same PT page: PDE cache hit */
	tlb_get_counts(&t1);
	ck_assert_uint_eq(t1.walks - t0.walks, 2);
	ck_assert_uint_eq(t1.walk_loads - t0.walk_loads, 4 + 1);
	/* invlpg drops the PSC too */
	flush_tlb_local_page(VA(1));
	tlb_get_counts(&t0);
	mem_read(VA(1), 8);
	tlb_get_counts(&t1);
	ck_assert_uint_eq(t1.walk_loads - t0.walk_loads, 4);
}
END_TEST

START_TEST(test_direct_map_1g_no_miss_after_warmup)
{
	struct tlb_counts t0, t1;
	struct rng r;

	build(1, true, PUD_SHIFT, true);
	rng_seed(&r, 3, 0);
	tlb_flush_cpu(0);
	tlb_get_counts(&t0);
	mem_read(phys_to_virt_addr(0x100000), 8);
	tlb_get_counts(&t1);
	ck_assert_uint_eq(t1.walks - t0.walks, 1);
	ck_assert_uint_eq(t1.walk_loads - t0.walk_loads, 2);    /* PML4E + PDPTE (1 GiB leaf) */
	tlb_get_counts(&t0);
	for (int i = 0; i < 5000; i++) {
		phys_addr_t pa = (rng_next(&r) % (60ULL << 20)) & ~7ULL;

		mem_write(phys_to_virt_addr(pa + (1 << 20)), 8);
	}
	tlb_get_counts(&t1);
	ck_assert_uint_eq(t1.misses - t0.misses, 0);
	ck_assert_uint_eq(t1.dtlb_hits - t0.dtlb_hits, 5000);
}
END_TEST

START_TEST(test_direct_map_2m_walk)
{
	struct tlb_counts t0, t1;

	build(1, false, PMD_SHIFT, true);
	tlb_flush_cpu(0);
	tlb_get_counts(&t0);
	mem_read(phys_to_virt_addr(0x300000), 8);
	mem_read(phys_to_virt_addr(0x300000 + 4096), 8);         /* same 2 MiB page */
	mem_read(phys_to_virt_addr(0x500000), 8);                /* another */
	tlb_get_counts(&t1);
	ck_assert_uint_eq(t1.walks - t0.walks, 2);
	ck_assert_uint_eq(t1.walk_loads - t0.walk_loads, 6);
	ck_assert(tlb_present(0, phys_to_virt_addr(0x300000), TLB_2M));
	ck_assert(!tlb_present(0, phys_to_virt_addr(0x300000), TLB_1G));
	/* vmemmap: 2 MiB pages too */
	tlb_get_counts(&t0);
	mem_read(pfn_to_vmemmap(100), 8);
	tlb_get_counts(&t1);
	ck_assert_uint_eq(t1.walk_loads - t0.walk_loads, 3);
	ck_assert_uint_eq(t1.faults - t0.faults, 0);
}
END_TEST

START_TEST(test_range_flush_ceiling)
{
	struct tlb_counts t0, t1;

	build(1, true, PUD_SHIFT, true);
	tlb_get_counts(&t0);
	flush_tlb_kernel_range(VA(0), VA(33));                  /* 33 pages: invlpg each */
	tlb_get_counts(&t1);
	ck_assert_uint_eq(t1.invlpg - t0.invlpg, 33);
	ck_assert_uint_eq(t1.full_flushes - t0.full_flushes, 0);
	tlb_get_counts(&t0);
	flush_tlb_kernel_range(VA(0), VA(34));                  /* 34 pages: full flush */
	tlb_get_counts(&t1);
	ck_assert_uint_eq(t1.invlpg - t0.invlpg, 0);
	ck_assert_uint_eq(t1.full_flushes - t0.full_flushes, 1);
	ck_assert_uint_eq(t1.shootdowns - t0.shootdowns, 0);    /* one CPU: no IPI */
}
END_TEST

START_TEST(test_shootdown)
{
	struct tlb_counts t0, t1;
	sim_time_t before;

	build(4, true, PUD_SHIFT, true);
	ck_assert_int_eq(mmu_map(VA(7), PA(7)), 0);
	boot_ctx()->cpu = 2;
	mem_read(VA(7), 8);
	ck_assert(tlb_present(2, VA(7), TLB_4K));
	boot_ctx()->cpu = 0;
	ck_assert_int_eq(mmu_unmap(VA(7)), 0);
	ck_assert(tlb_present(2, VA(7), TLB_4K));               /* stale until flushed */
	tlb_get_counts(&t0);
	before = sim_now();
	flush_tlb_kernel_range(VA(7), VA(8));
	tlb_get_counts(&t1);
	ck_assert_uint_ge(sim_now() - before, memsys_get_params()->ipi_time);
	ck_assert_uint_eq(t1.shootdowns - t0.shootdowns, 1);
	ck_assert_uint_eq(t1.shootdown_ipis - t0.shootdown_ipis, 3);
	ck_assert(!tlb_present(2, VA(7), TLB_4K));
	tlb_get_counts(&t0);
	flush_tlb_all();
	tlb_get_counts(&t1);
	ck_assert_uint_eq(t1.shootdowns - t0.shootdowns, 1);
	ck_assert_uint_eq(t1.full_flushes - t0.full_flushes, 4);
	/* a local flush sends nothing */
	flush_tlb_local_page(VA(7));
	tlb_get_counts(&t0);
	ck_assert_uint_eq(t0.shootdowns, t1.shootdowns);
}
END_TEST

START_TEST(test_map_errors_and_faults)
{
	struct tlb_counts t0, t1;
	phys_addr_t lo, hi, wlo, whi;
	bool mapped = true;

	build(1, true, PUD_SHIFT, true);
	ck_assert_uint_eq(mmu_pgtable_pages(), 1);              /* the PML4 */
	ck_assert_int_eq(mmu_map(VA(3), PA(3)), 0);
	ck_assert_uint_eq(mmu_pgtable_pages(), 4);              /* + PDPT, PD, PT */
	ck_assert_int_eq(mmu_map(VA(3), PA(4)), -EEXIST);
	ck_assert_int_eq(mmu_map(VA(3) + 8, PA(4)), -EINVAL);
	ck_assert_int_eq(mmu_map(phys_to_virt_addr(0), PA(4)), -EINVAL);
	mmu_boot_pgtable_range(&lo, &hi);
	mmu_boot_pgtable_window(&wlo, &whi);
	ck_assert_uint_eq(hi - lo, 4 * PAGE_SIZE);
	ck_assert_uint_eq(hi, machine_max_phys());
	ck_assert_uint_le(wlo, lo);
	ck_assert_int_eq(phys_to_nid(lo), 0);
	ck_assert_int_eq(mmu_unmap(VA(3)), 0);
	ck_assert_int_eq(mmu_unmap(VA(3)), -ENOENT);
	ck_assert_uint_eq(mmu_translate(VA(3), &mapped), 0);
	ck_assert(!mapped);
	tlb_get_counts(&t0);
	mem_read(VA(3), 8);                                      /* unmapped: a fault, counted */
	mem_read(VA(1000000), 8);
	tlb_get_counts(&t1);
	ck_assert_uint_eq(t1.faults - t0.faults, 2);
	ck_assert_int_eq(memsys_check(), 0);
}
END_TEST

static phys_addr_t next_pt = 32 << 20;
static int pt_allocs;

static phys_addr_t fake_alloc(int nid, void *ctx)
{
	(void)nid;
	(void)ctx;
	pt_allocs++;
	next_pt += PAGE_SIZE;
	return next_pt;
}

START_TEST(test_pgtable_hook)
{
	struct pgtable_ops ops = { fake_alloc, NULL, NULL };
	bool mapped;

	build(1, true, PUD_SHIFT, true);
	mmu_set_pgtable_ops(&ops);
	ck_assert_int_eq(mmu_map(VA(5), PA(5)), 0);
	ck_assert_int_eq(pt_allocs, 3);
	ck_assert_int_eq(mmu_map(VA(6), PA(6)), 0);               /* same tables */
	ck_assert_int_eq(pt_allocs, 3);
	ck_assert_uint_eq(mmu_translate(VA(6), &mapped), PA(6));
	ck_assert_int_eq(memsys_check(), 0);
	mmu_set_pgtable_ops(NULL);
}
END_TEST

/* An allocator that maps a neighbour while it runs (another process at a yield point). */
static int reentered;
static phys_addr_t frees[8];
static int nr_frees;

static phys_addr_t reentrant_alloc(int nid, void *ctx)
{
	(void)nid;
	(void)ctx;
	if (!reentered++)
		ck_assert_int_eq(mmu_map(VA(513), PA(2)), 0);   /* other PT page, same PD */
	next_pt += PAGE_SIZE;
	return next_pt;
}

static void record_free(phys_addr_t pa, void *ctx)
{
	(void)ctx;
	frees[nr_frees++ & 7] = pa;
}

START_TEST(test_pgtable_alloc_race)
{
	struct pgtable_ops ops = { reentrant_alloc, record_free, NULL };
	uint64_t before;
	bool mapped;

	build(1, true, PUD_SHIFT, true);
	ck_assert_int_eq(mmu_map(VA(0), PA(0)), 0);              /* PDPT, PD, PT from the boot window */
	before = mmu_pgtable_pages();
	mmu_set_pgtable_ops(&ops);
	/* VA(512) needs a new PT page; the allocation maps VA(513), which needs the
	 * same PT page and wins; our page goes back to the allocator. */
	ck_assert_int_eq(mmu_map(VA(512), PA(1)), 0);
	ck_assert_int_eq(nr_frees, 1);
	ck_assert_uint_eq(mmu_pgtable_pages(), before + 1);
	ck_assert_uint_eq(mmu_translate(VA(512), &mapped), PA(1));
	ck_assert_uint_eq(mmu_translate(VA(513), &mapped), PA(2));
	ck_assert_int_eq(memsys_check(), 0);
	for (int i = 0; i < 2000; i++)                           /* many tables: the map grows */
		ck_assert_int_eq(mmu_map(VA(1024 + i * 512), PA(3)), 0);
	ck_assert_int_eq(memsys_check(), 0);
	mmu_set_pgtable_ops(NULL);
}
END_TEST

START_TEST(test_costs)
{
	sim_time_t l1, zero, t;

	build(1, true, PUD_SHIFT, true);
	mem_read(phys_to_virt_addr(0x200000), 8);
	l1 = mem_read(phys_to_virt_addr(0x200000), 8);
	ck_assert_uint_eq(l1, 4 * 400);                         /* 4 cycles at 2.5 GHz */
	zero = mem_zero_phys(0x400000, 4096);
	ck_assert_uint_gt(zero, 100 * SIM_NS);                  /* ~0.3 us at 13.7 GB/s */
	ck_assert_uint_lt(zero, 3 * SIM_US);
	ck_assert(cache_probe(0, 0x400000 + 4032) & CACHE_PROBE_L1);
	t = sim_now();
	cost_cycles(250);
	ck_assert_uint_eq(sim_now() - t, 100 * SIM_NS);
	/* a line split costs the slowest line + 1 cycle */
	mem_read(phys_to_virt_addr(0x200040), 8);
	ck_assert_uint_eq(mem_read(phys_to_virt_addr(0x20003c), 8), 5 * 400);
}
END_TEST

START_TEST(test_timing_off_is_functional)
{
	struct tlb_counts t0, t1;
	sim_time_t before;

	build(1, true, PUD_SHIFT, false);
	ck_assert(!cost_timing_on());
	ck_assert_int_eq(mmu_map(VA(9), PA(9)), 0);
	tlb_get_counts(&t0);
	before = sim_now();
	ck_assert_uint_eq(mem_read(VA(9), 8), 0);
	ck_assert_uint_eq(sim_now(), before);
	tlb_get_counts(&t1);
	ck_assert_uint_eq(t1.walks - t0.walks, 1);
	ck_assert(cache_probe(0, PA(9)) & CACHE_PROBE_L1);
	ck_assert(tlb_present(0, VA(9), TLB_4K));
}
END_TEST

/* Reference: a fully associative LRU list (most recent first). */
static bool ref_lru(uint64_t *list, int n, int *used, uint64_t key, bool fill)
{
	int i;

	for (i = 0; i < *used; i++)
		if (list[i] == key)
			break;
	if (i == *used) {
		if (!fill)
			return false;
		if (*used < n)
			(*used)++;
		i = *used - 1;
	}
	memmove(&list[1], &list[0], (size_t)i * sizeof(*list));
	list[0] = key;
	return true;
}

/* The two-level TLB equals two fully associative LRU lists, the STLB consulted on L1 misses. */
START_TEST(test_tlb_matches_reference_lru)
{
	struct machine_desc d;
	struct memsys_params mp;
	uint64_t l1[8], l2[32];
	int n1 = 0, n2 = 0;
	char err[256];
	struct rng r;

	machine_desc_init(&d);
	d.node_mem[0] = 64ULL << 20;
	ck_assert_msg(machine_build_desc(&d, err, sizeof(err)) == 0, "%s", err);
	memsys_default_params(&mp);
	mp.dtlb_4k = (struct tlb_geom){ 8, 8 };
	mp.stlb = (struct tlb_geom){ 32, 32 };
	ck_assert_msg(memsys_init(&mp, err, sizeof(err)) == 0, "%s", err);
	rng_seed(&r, 5, 0);
	for (int i = 0; i < 50000; i++) {
		uint64_t page = rng_next(&r) % 48, pfn;
		unsigned long va = VA(page);
		enum tlb_result want, got;

		if (ref_lru(l1, 8, &n1, page, false)) {
			want = TLB_HIT_L1;
		} else if (ref_lru(l2, 32, &n2, page, false)) {
			want = TLB_HIT_STLB;
			ref_lru(l1, 8, &n1, page, true);
		} else {
			want = TLB_MISS;
			ref_lru(l2, 32, &n2, page, true);
			ref_lru(l1, 8, &n1, page, true);
		}
		got = tlb_lookup(0, va, TLB_4K, &pfn);
		ck_assert_msg(got == want, "access %d (page %llu): got %d, reference %d", i,
			      (unsigned long long)page, got, want);
		if (got == TLB_MISS)
			tlb_insert(0, va, TLB_4K, page + 100);
		else
			ck_assert_uint_eq(pfn, page + 100);
	}
	ck_assert_int_eq(tlb_check(), 0);
}
END_TEST

Suite *tlb_suite(void)
{
	Suite *s = suite_create("tlb");
	TCase *tc = tcase_create("tlb");

	tcase_add_test(tc, test_tlb_matches_reference_lru);
	tcase_add_test(tc, test_vmalloc_walk_through_caches);
	tcase_add_test(tc, test_paging_structure_caches);
	tcase_add_test(tc, test_direct_map_1g_no_miss_after_warmup);
	tcase_add_test(tc, test_direct_map_2m_walk);
	tcase_add_test(tc, test_range_flush_ceiling);
	tcase_add_test(tc, test_shootdown);
	tcase_add_test(tc, test_map_errors_and_faults);
	tcase_add_test(tc, test_pgtable_hook);
	tcase_add_test(tc, test_pgtable_alloc_race);
	tcase_add_test(tc, test_costs);
	tcase_add_test(tc, test_timing_off_is_functional);
	suite_add_tcase(s, tc);
	return s;
}
