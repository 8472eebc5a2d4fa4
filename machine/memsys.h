/* SPDX-License-Identifier: MIT */
/*
 * machine/memsys.h — the memory system of the machine: caches, TLBs, the MMU
 * page walker and the cost API behind machine/cost.h.
 *
 * machine/build.c fills struct memsys_params (memsys_default_params() then the
 * preset / scenario overrides) and calls memsys_init() once the topology and
 * the memory map exist (memsys queries them through machine/machine.h:
 * machine_nr_cpus, cpu_to_node, machine_node_ranges, cpu_freq_hz ...).
 * memsys_destroy() from machine_destroy().
 *
 * Shape of the model:
 *   - per CPU: L1D, L2 (private), L1 dTLB (4K / 2M / 1G arrays), STLB
 *     (4K + 2M), 1G STLB entries, optional paging-structure caches;
 *   - per node: one shared LLC (it caches any physical line the node's CPUs
 *     touch, local or remote home);
 *   - DRAM behind the LLC: machine/dram.h (dram_access), home node from the
 *     physical address.
 * Latencies are in core cycles of the accessing CPU (cpu_freq_hz()).
 */
#ifndef MMSIM_MACHINE_MEMSYS_H
#define MMSIM_MACHINE_MEMSYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "machine/machine.h"
#include "sim/engine.h"

/* Geometry of one cache level. Set count = size / (line * ways): a power of two. */
struct cache_geom {
	uint64_t size;                  /* bytes */
	unsigned ways;                  /* associativity, 1 ..  size/line */
	unsigned line;                  /* bytes, power of two, >= 16 */
	unsigned hit_cycles;            /* load-to-use latency on a hit at this level */
};

/* Geometry of one TLB array. Set count = entries / ways: a power of two. */
struct tlb_geom {
	unsigned entries;               /* 0 = this array does not exist */
	unsigned ways;                  /* ways == entries: fully associative */
};

struct memsys_params {
	/* caches */
	struct cache_geom l1d;          /* per CPU */
	struct cache_geom l2;           /* per CPU */
	struct cache_geom llc;          /* per node (shared by the node's CPUs) */
	unsigned snoop_cycles;          /* extra cycles when a line comes from another core's cache */

	/* TLBs (per CPU) */
	struct tlb_geom dtlb_4k;        /* L1 dTLB, 4 KiB pages */
	struct tlb_geom dtlb_2m;        /* L1 dTLB, 2 MiB pages */
	struct tlb_geom dtlb_1g;        /* L1 dTLB, 1 GiB pages */
	struct tlb_geom stlb;           /* second-level TLB, 4 KiB and 2 MiB pages */
	struct tlb_geom stlb_1g;        /* second-level TLB entries for 1 GiB pages */
	unsigned stlb_hit_cycles;       /* added on an L1 dTLB miss that hits the STLB */
	unsigned walk_base_cycles;      /* fixed page-walker overhead per walk (plus the PTE loads) */

	/* paging-structure caches (skip upper levels of a walk) */
	bool pscache;
	struct tlb_geom pml4e_cache;    /* keyed by va[47:39] */
	struct tlb_geom pdpte_cache;    /* keyed by va[47:30] */
	struct tlb_geom pde_cache;      /* keyed by va[47:21] */

	/* direct map page size: PUD_SHIFT (1 GiB) or PMD_SHIFT (2 MiB) */
	unsigned direct_map_shift;

	/* TLB maintenance */
	sim_time_t invlpg_time;         /* per page invalidated with invlpg */
	sim_time_t full_flush_time;     /* one full (non-global) TLB flush, CR3 write */
	sim_time_t ipi_time;            /* a shootdown round: send IPIs + wait for the ACKs */
	unsigned flush_ceiling;         /* tlb_single_page_flush_ceiling: > this many pages = full flush */

	bool timing;                    /* false: functional only, nothing charged */
};

/**
 * memsys_default_params() - Skylake-SP defaults (timing-defaults.md §5):
 * L1D 32 KiB/8-way/4 cyc, L2 1 MiB/16-way/12 cyc, LLC 22 MiB/11-way/77 cyc per
 * node (16 cores × 1.375 MiB), dTLB 64×4-way (4K), 32×4-way (2M), 4 (1G),
 * STLB 1536×12-way/12 cyc, 16×4-way (1G), invlpg 100 ns, flush ceiling 33,
 * 1 GiB direct map. Every number's source is cited next to it in memsys.c.
 */
void memsys_default_params(struct memsys_params *p);

/**
 * memsys_validate() - check @p: set counts powers of two, line >= 16 and a power
 * of two, ways in 1..size/line, direct_map_shift 21 or 30, ...
 * @err: receives "l2: set count 12000 is not a power of two" style messages.
 * Return: 0 or -EINVAL.
 */
int memsys_validate(const struct memsys_params *p, char *err, size_t errlen);

/**
 * memsys_init() - build caches, TLBs and the kernel page tables for the
 * machine that machine_build() described (topology + memory map must exist).
 * Registers the cache./tlb./mmu. counters in the stats registry.
 * Context: boot, once (memsys_destroy() first to rebuild).
 * Return: 0, or -EINVAL (bad geometry, message in @err) / -ENOMEM.
 */
int memsys_init(const struct memsys_params *p, char *err, size_t errlen);
void memsys_destroy(void);
bool memsys_ready(void);
const struct memsys_params *memsys_get_params(void);

/**
 * memsys_check() - invariants of every cache, TLB and the page tables
 * (no duplicate tags in a set, LRU stamps unique, inclusion L1 ⊆ L2 ⊆ LLC,
 * sharer masks consistent). Return: 0, or -1 after logging the first violation.
 */
int memsys_check(void);

/**
 * mmu_boot_pgtable_range() - the physical range the boot-time bump allocator
 * has handed out for page-table pages before mm installed its pgtable_ops.
 * The bump allocator takes pages downwards from the top of node 0's highest
 * RAM range, at most MMU_BOOT_PGTABLE_PAGES pages; mm/ must reserve
 * [*start, *end) in memblock (it may reserve the whole window up front:
 * mmu_boot_pgtable_window()). Empty range (start == end) if nothing taken.
 */
#define MMU_BOOT_PGTABLE_PAGES 256
void mmu_boot_pgtable_range(phys_addr_t *start, phys_addr_t *end);
void mmu_boot_pgtable_window(phys_addr_t *start, phys_addr_t *end);

#endif /* MMSIM_MACHINE_MEMSYS_H */
