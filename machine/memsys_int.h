/* SPDX-License-Identifier: MIT */
/*
 * machine/memsys_int.h — internals shared by the memory-system files
 * (memsys.c, cache.c, tlb.c, mmu.c, cost.c). Nothing outside machine/
 * includes this.
 */
#ifndef MMSIM_MACHINE_MEMSYS_INT_H
#define MMSIM_MACHINE_MEMSYS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include "machine/memsys.h"
#include "machine/tlb.h"

/*
 * Synthetic physical addresses (above any RAM: x86-64 has 52 physical address
 * bits, RAM of the largest preset ends far below 2^50):
 *   MEMMAP_PHYS_BASE + pfn*64: the struct page of pfn that vmemmap maps (its
 *     DRAM home is the node of pfn; mm keeps compact state and accounts the
 *     memmap's size itself);
 *   SYNTH_PT_BASE + ...: the page-table pages of the implicit mappings
 *     (direct map PDPT/PD pages, vmemmap PDPT/PD pages), home node 0 like
 *     boot-time page tables. See mmu.c.
 */
#define MEMMAP_PHYS_BASE (1ULL << 50)
#define SYNTH_PT_BASE    (1ULL << 51)

/* --- mmu.c --- */
int mmu_init(const struct memsys_params *p, char *err, size_t errlen);
void mmu_destroy(void);
int mmu_check(void);
/**
 * mmu_walk() - hardware page walk for @va on @cpu: every PTE load goes
 * through @cpu's caches (and DRAM); the latency of the dependent loads plus
 * the walker overhead is added to *@lat (ps). Fills the paging-structure caches.
 * Return: 0 with the page's frame in *@pfn and its size in *@sz, or -EFAULT.
 */
int mmu_walk(int cpu, unsigned long va, uint64_t *pfn, enum tlb_size *sz, sim_time_t *lat);

/* --- cost.c --- */
int cost_init(const struct memsys_params *p, char *err, size_t errlen);
void cost_destroy(void);
/** memsys_line_ps() - one line access by physical address: caches, then DRAM. */
sim_time_t memsys_line_ps(int cpu, phys_addr_t pa, bool write);
sim_time_t memsys_cycles_ps(int cpu, unsigned cycles);
/** memsys_charge() - sim_advance(@t) when timing is on. */
void memsys_charge(sim_time_t t);

#endif /* MMSIM_MACHINE_MEMSYS_INT_H */
