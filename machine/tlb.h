/* SPDX-License-Identifier: MIT */
/*
 * machine/tlb.h — per-CPU TLBs and paging-structure caches.
 *
 * Per CPU: an L1 dTLB made of three arrays (4 KiB, 2 MiB, 1 GiB pages), a
 * second-level TLB (STLB) shared by 4 KiB and 2 MiB translations, STLB
 * entries for 1 GiB pages, and optional paging-structure caches (PML4E,
 * PDPTE, PDE) that let a walk skip upper levels. All arrays are
 * set-associative with true LRU (same stamp scheme as machine/cache.c).
 * Kernel mappings are global: a full flush here drops everything (as
 * flush_tlb_all / __flush_tlb_all do for kernel ranges).
 *
 * Counters (aggregated over CPUs): tlb.dtlb_hits, tlb.stlb_hits, tlb.misses,
 * tlb.invlpg, tlb.full_flushes, tlb.shootdowns (shootdown rounds initiated),
 * tlb.shootdown_ipis (IPIs sent), mmu.walks, mmu.walk_loads, mmu.faults.
 */
#ifndef MMSIM_MACHINE_TLB_H
#define MMSIM_MACHINE_TLB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "machine/memsys.h"

enum tlb_size { TLB_4K, TLB_2M, TLB_1G };
enum tlb_result { TLB_HIT_L1, TLB_HIT_STLB, TLB_MISS };
/* Paging-structure cache levels (what the cached entry points to). */
enum tlb_psc { PSC_PML4E, PSC_PDPTE, PSC_PDE };

static inline unsigned tlb_size_shift(enum tlb_size s)
{
	return s == TLB_4K ? 12 : s == TLB_2M ? 21 : 30;
}

int tlb_init(const struct memsys_params *p, char *err, size_t errlen);
void tlb_destroy(void);

/**
 * tlb_lookup() - translate @va (page size @sz) on @cpu's TLBs: L1 dTLB of that
 * size, then the STLB (a hit there refills the L1 array). Updates LRU.
 * @pfn: on a hit, the physical frame (in 4 KiB units) of the page start.
 */
enum tlb_result tlb_lookup(int cpu, unsigned long va, enum tlb_size sz, uint64_t *pfn);
/** tlb_insert() - install a translation after a walk (L1 dTLB and STLB). */
void tlb_insert(int cpu, unsigned long va, enum tlb_size sz, uint64_t pfn);
/** tlb_psc_lookup()/tlb_psc_insert() - paging-structure caches (no-ops when disabled). */
bool tlb_psc_lookup(int cpu, enum tlb_psc lvl, unsigned long va, uint64_t *table_pa);
void tlb_psc_insert(int cpu, enum tlb_psc lvl, unsigned long va, uint64_t table_pa);
bool tlb_psc_enabled(void);

/** tlb_invlpg_cpu() - invlpg on @cpu: the entries of any size mapping @va, and all PSC entries. */
void tlb_invlpg_cpu(int cpu, unsigned long va);
/** tlb_flush_cpu() - drop every entry of @cpu (global ones included). */
void tlb_flush_cpu(int cpu);
/** tlb_present() - does @cpu's L1 dTLB or STLB hold @va at size @sz? (no LRU change) */
bool tlb_present(int cpu, unsigned long va, enum tlb_size sz);

struct tlb_counts {
	uint64_t dtlb_hits, stlb_hits, misses;
	uint64_t invlpg, full_flushes, shootdowns, shootdown_ipis;
	uint64_t walks, walk_loads, faults;
};
/** tlb_get_counts() - the aggregated counters (same values as the registry). */
void tlb_get_counts(struct tlb_counts *out);
/* For mmu.c: count a walk, its loads and a fault. */
void tlb_count_walk(unsigned loads, bool fault);

/** tlb_check() - no duplicates in a set, stamps unique. 0 or -1. */
int tlb_check(void);

#endif /* MMSIM_MACHINE_TLB_H */
