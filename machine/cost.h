/* SPDX-License-Identifier: MIT */
/*
 * machine/cost.h — what the kernel model pays: the cost API of the machine.
 *
 * mm/ charges time three ways (DESIGN §4):
 *   1. cost_cycles(): a base cost of a code path, in cycles of the current CPU;
 *   2. mem_read()/mem_write(): an access to a simulated kernel virtual (or
 *      physical) address, through TLB → page walk → L1/L2/LLC → DRAM on the
 *      home node with SLIT-scaled remote latency;
 *   3. mem_zero_phys()/mem_copy_phys(): bulk operations bound by bandwidth.
 * Each charges the current process's local time (sim_advance). With timing off
 * the functional state (cache tags, TLB entries, LRU) still updates; only the
 * time is not charged.
 *
 * Address space (x86-64, 4-level paging): the direct map at PAGE_OFFSET maps
 * all RAM with 1 GiB or 2 MiB pages; vmalloc/ioremap space uses 4 KiB pages
 * whose page tables live in simulated physical memory, allocated through the
 * hook mm/ installs (mmu_set_pgtable_ops); vmemmap holds struct page at 64
 * bytes per pfn (the simulated address of the kernel's struct page, even
 * though the model keeps its own compact state).
 */
#ifndef MMSIM_MACHINE_COST_H
#define MMSIM_MACHINE_COST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "machine/machine.h"
#include "sim/engine.h"

#define PAGE_SHIFT      12
#define PAGE_SIZE       (1UL << PAGE_SHIFT)
#define PAGE_MASK       (~(PAGE_SIZE - 1))
#define PMD_SHIFT       21
#define PUD_SHIFT       30
#define PAGE_OFFSET     0xffff888000000000UL     /* direct map base */
#define VMALLOC_START   0xffffc90000000000UL
#define VMALLOC_END     0xffffe8ffffffffffUL
#define VMEMMAP_START   0xffffea0000000000UL
#define STRUCT_PAGE_SIZE 64UL

static inline unsigned long phys_to_virt_addr(phys_addr_t pa) { return PAGE_OFFSET + pa; }
static inline phys_addr_t virt_to_phys_addr(unsigned long va) { return va - PAGE_OFFSET; }
static inline bool is_direct_map(unsigned long va)
{ return va >= PAGE_OFFSET && va < PAGE_OFFSET + (1UL << 46); }
static inline bool is_vmalloc_addr_range(unsigned long va)
{ return va >= VMALLOC_START && va <= VMALLOC_END; }
/* Simulated address of struct page for @pfn (what the kernel would touch). */
static inline unsigned long pfn_to_vmemmap(uint64_t pfn) { return VMEMMAP_START + pfn * STRUCT_PAGE_SIZE; }

/* --- base costs ---------------------------------------------------------- */
/** cost_cycles() - charge @cycles at the current CPU's frequency. */
void cost_cycles(unsigned cycles);
/** cost_time() - charge a fixed time (device latencies, waits that do not block). */
void cost_time(sim_time_t t);
bool cost_timing_on(void);

/* --- memory accesses ----------------------------------------------------- */
/**
 * mem_access() - the current CPU reads/writes @size bytes at kernel virtual
 * address @va (direct map, vmalloc, vmemmap). Charges TLB/walk/cache/DRAM time.
 * Return: the latency charged (ps), for callers that record it.
 */
sim_time_t mem_access(unsigned long va, unsigned size, bool write);
static inline sim_time_t mem_read(unsigned long va, unsigned size) { return mem_access(va, size, false); }
static inline sim_time_t mem_write(unsigned long va, unsigned size) { return mem_access(va, size, true); }
/** mem_access_phys() - an access by physical address (caches + DRAM, no TLB). */
sim_time_t mem_access_phys(phys_addr_t pa, unsigned size, bool write);

/* --- bulk, bandwidth-bound ----------------------------------------------- */
/** mem_zero_phys() - clear @len bytes (page zeroing): bandwidth of the home node. */
sim_time_t mem_zero_phys(phys_addr_t pa, size_t len);
/** mem_copy_phys() - copy @len bytes (compaction, krealloc): reads src node, writes dst node. */
sim_time_t mem_copy_phys(phys_addr_t dst, phys_addr_t src, size_t len);

/* --- MMU: kernel page tables --------------------------------------------- */
struct pgtable_ops {
	/* Allocate one zeroed 4 KiB page-table page on @nid; return its physical address or 0. */
	phys_addr_t (*alloc)(int nid, void *ctx);
	void (*free)(phys_addr_t pa, void *ctx);
	void *ctx;
};
/** mmu_set_pgtable_ops() - mm/ provides page-table pages (until then a boot bump allocator). */
void mmu_set_pgtable_ops(const struct pgtable_ops *ops);
/** mmu_map() - map one 4 KiB page @va → @pa in the kernel page tables (vmalloc/ioremap). -ENOMEM/-EEXIST. */
int mmu_map(unsigned long va, phys_addr_t pa);
/** mmu_unmap() - remove the 4 KiB mapping at @va (no TLB flush: callers flush). */
int mmu_unmap(unsigned long va);
/** mmu_translate() - walk the tables functionally (no cost); 0 if unmapped, else pa. */
phys_addr_t mmu_translate(unsigned long va, bool *mapped);
/** mmu_pgtable_pages() - page-table pages in use (for meminfo PageTables/SecPageTables). */
uint64_t mmu_pgtable_pages(void);

/* --- TLB maintenance ----------------------------------------------------- */
/** flush_tlb_kernel_range() - invlpg each page (>33 pages: full flush) on this CPU and
 *  shoot down every other CPU with an IPI; charges both. */
void flush_tlb_kernel_range(unsigned long start, unsigned long end);
void flush_tlb_all(void);
void flush_tlb_local_page(unsigned long va);

#endif /* MMSIM_MACHINE_COST_H */
