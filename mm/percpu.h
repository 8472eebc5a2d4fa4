/* SPDX-License-Identifier: MIT */
/*
 * mm/percpu.h — the dynamic percpu allocator (mm/percpu.c, Linux 6.1):
 * chunks of one unit per possible CPU, the embedded first chunk (static |
 * reserved | dynamic), vmalloc-backed chunks with NUMA-local units, atomic and
 * sleeping allocations, population and the balance work; per_cpu_ptr /
 * this_cpu_ptr / get_cpu / put_cpu.
 *
 * Pointers: a percpu pointer is what the kernel returns, an offset relative to
 * __per_cpu_start (0 on x86-64), i.e. chunk base + off − pcpu_base_addr; it is
 * carried in `void __percpu *` and only becomes an address through
 * per_cpu_ptr(p, cpu) = p + __per_cpu_offset[cpu], a simulated kernel virtual
 * address (direct map for the first chunk, vmalloc space for the others).
 * Facts: reference/linux-mm-facts.md §13, §14.3, §15.2.
 */
#ifndef MMSIM_MM_PERCPU_H
#define MMSIM_MM_PERCPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "mm/gfp.h"

#define __percpu

struct mm_params;

#define PCPU_MIN_ALLOC_SHIFT        2
#define PCPU_MIN_ALLOC_SIZE         (1 << PCPU_MIN_ALLOC_SHIFT)     /* 4 bytes = 1 map bit */
#define PCPU_BITMAP_BLOCK_SIZE      4096                            /* = PAGE_SIZE */
#define PCPU_BITMAP_BLOCK_BITS      (PCPU_BITMAP_BLOCK_SIZE >> PCPU_MIN_ALLOC_SHIFT)
#define PCPU_MIN_UNIT_SIZE          (32 << 10)                      /* also the max allocation */
#define PERCPU_MODULE_RESERVE       (8 << 10)
#define PERCPU_DYNAMIC_RESERVE      (28 << 10)
#define PERCPU_DYNAMIC_EARLY_SIZE   (12 << 10)
#define PCPU_ATOM_SIZE              (2UL << 20)                     /* x86-64 embed: PMD_SIZE */
#define PCPU_EMPTY_POP_PAGES_LOW    2
#define PCPU_EMPTY_POP_PAGES_HIGH   4
#define PCPU_SLOT_BASE_SHIFT        5

/**
 * percpu_init() - build the first chunk from the boot reservation (unit size
 * from @p->percpu_static_size / percpu_unit_size exactly as memblock sized
 * it; NULL: 6.1 defaults with a 200 KiB static area), print "percpu: Embedded
 * N pages/cpu sS rR dD uU", set __per_cpu_offset[], register stats and trace
 * events. Call after vmalloc_init(). Once per boot (a second call is a no-op
 * until percpu_shutdown()).
 * Return: 0 or -ENOMEM / -EINVAL.
 */
int percpu_init(const struct mm_params *p);
void percpu_shutdown(void);

/**
 * __alloc_percpu_gfp() - pcpu_alloc(size, align, false, gfp): sizes rounded
 * up to 4, align < 4 → 4; size 0, > 32 KiB or align > PAGE_SIZE / not a power
 * of two is refused with "illegal size (%zu) or align (%zu) for percpu
 * allocation". Atomic (no __GFP_DIRECT_RECLAIM) requests use populated pages
 * only and never create chunks; sleeping requests may create a chunk and
 * populate pages (a sleeping request with preemption disabled is reported).
 * The area is zeroed in every unit. Return: percpu pointer or NULL.
 */
void __percpu *__alloc_percpu_gfp(size_t size, size_t align, gfp_t gfp);
void __percpu *__alloc_percpu(size_t size, size_t align);
void __percpu *__alloc_reserved_percpu(size_t size, size_t align);
void __percpu *__alloc_percpu_caller(size_t size, size_t align, gfp_t gfp, const char *caller);
#define alloc_percpu_gfp(type, gfp) __alloc_percpu_gfp(sizeof(type), __alignof__(type), (gfp))
#define alloc_percpu(type)          __alloc_percpu(sizeof(type), __alignof__(type))
/** free_percpu() - free an area (NULL ignored); unknown pointers are reported and counted. */
void free_percpu(void __percpu *ptr);

/** per_cpu_offset() - __per_cpu_offset[cpu]. */
unsigned long per_cpu_offset(int cpu);
/** per_cpu_ptr() - simulated address of @cpu's copy of @ptr. */
unsigned long per_cpu_ptr(void __percpu *ptr, int cpu);
/** this_cpu_ptr() - the current CPU's copy. */
unsigned long this_cpu_ptr(void __percpu *ptr);
/** get_cpu() - preempt_disable() + the current CPU id; put_cpu() - preempt_enable(). */
int get_cpu(void);
void put_cpu(void);
/** per_cpu_ptr_to_phys() - physical address of a percpu copy (first chunk or mapped vmalloc chunk). */
uint64_t per_cpu_ptr_to_phys(unsigned long addr);

/**
 * pcpu_balance_workfn() - the balance work: free fully free chunks beyond
 * one, then populate until PCPU_EMPTY_POP_PAGES_HIGH empty populated pages
 * exist (all HIGH if an atomic allocation failed), creating a chunk if
 * needed. Runs in a kworker process when scheduled from a process, or at the
 * next sleeping percpu call otherwise; tests may call it directly.
 */
void pcpu_balance_workfn(void);
bool pcpu_balance_pending(void);

/* --- views and stats ------------------------------------------------------------ */
/** pcpu_nr_pages() - meminfo "Percpu" in pages: populated pages × units (6.1 formula). */
unsigned long pcpu_nr_pages(void);
void percpu_print_meminfo(FILE *f);
/** pcpu_nr_chunks() - chunks other than the reserved chunk (first chunk included). */
int pcpu_nr_chunks(void);
int pcpu_nr_empty_pop_pages(void);
size_t pcpu_unit_size(void);
int pcpu_nr_units(void);
/** pcpu_first_chunk_layout() - static / reserved / dynamic sizes of the first chunk. */
void pcpu_first_chunk_layout(size_t *static_size, size_t *reserved_size, size_t *dyn_size);
/** pcpu_stats_print() - /sys/kernel/debug/percpu_stats-like summary. */
void pcpu_stats_print(FILE *f);

enum pcpu_misuse {
	PCPU_MISUSE_ILLEGAL,            /* illegal size or align */
	PCPU_MISUSE_UNKNOWN_FREE,       /* free_percpu of a pointer that is not an allocated area */
	PCPU_MISUSE_SLEEP_ATOMIC,       /* sleeping allocation with preemption disabled */
	NR_PCPU_MISUSE
};
unsigned long pcpu_misuse_count(enum pcpu_misuse kind);

/** pcpu_check() - bitmaps vs block hints vs free bytes vs populated/empty counts. 0 or -1. */
int pcpu_check(void);

/*
 * Optional hook the boot code may define: the direct-map address of node
 * @nid's first-chunk unit group (memblock reservation). Without it percpu
 * places the group inside the node's RAM for cost purposes only.
 */
unsigned long pcpu_fc_group_base(int nid);

#endif /* MMSIM_MM_PERCPU_H */
