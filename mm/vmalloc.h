/* SPDX-License-Identifier: MIT */
/*
 * mm/vmalloc.h — virtually contiguous kernel memory (Linux 6.1 names and
 * signatures): vmalloc and its wrappers, vfree / vfree_atomic, vmap / vunmap,
 * ioremap / iounmap, the vmap-area allocator they share (also used by the
 * percpu allocator for its chunks), /proc/vmallocinfo and the meminfo lines.
 *
 * Addresses are simulated kernel virtual addresses in [VMALLOC_START,
 * VMALLOC_END) carried in `void *` like the kernel API; never dereferenced on
 * the host. Accesses to them (mem_access) go through 4 KiB TLB entries and
 * page walks of the page tables mm/vmalloc.c writes with mmu_map().
 *
 * Context: vmalloc / vmap / ioremap may sleep (task context); vfree may be
 * called from interrupt context (deferred to a work list), never from NMI.
 * Facts: reference/linux-mm-facts.md §11, §15.2, §16.17–18.
 */
#ifndef MMSIM_MM_VMALLOC_H
#define MMSIM_MM_VMALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "machine/cost.h"          /* VMALLOC_START / VMALLOC_END, PAGE_SIZE */
#include "mm/gfp.h"

struct page;
struct dma_device;

/* vm_struct flags (include/linux/vmalloc.h, 6.1 values). */
#define VM_IOREMAP          0x00000001u
#define VM_ALLOC            0x00000002u
#define VM_MAP              0x00000004u
#define VM_USERMAP          0x00000008u
#define VM_DMA_COHERENT     0x00000010u
#define VM_UNINITIALIZED    0x00000020u
#define VM_NO_GUARD         0x00000040u
#define VM_KASAN            0x00000080u
#define VM_FLUSH_RESET_PERMS 0x00000100u
#define VM_MAP_PUT_PAGES    0x00000200u
#define VM_ALLOW_HUGE_VMAP  0x00000400u
#define VM_DEFER_KMEMLEAK   0x00000800u

/* x86-64: ioremap areas are aligned to their size up to 1 GiB ([U] PUD_SHIFT). */
#define IOREMAP_MAX_ORDER   PUD_SHIFT
/* /proc/meminfo VmallocTotal in kB: (VMALLOC_END - VMALLOC_START) >> 10 = 34359738367. */
#define VMALLOC_TOTAL_KB    ((VMALLOC_END - VMALLOC_START) >> 10)

/**
 * struct vm_struct - one mapped area as /proc/vmallocinfo shows it (read-only
 * for callers). @size includes the guard page (like the kernel's vm->size);
 * @nr_pages: pages backing a vmalloc area; @phys_addr: ioremap target;
 * @caller: the call site printed as %pS; @pages_va: the simulated address of
 * the page-pointer array (kmalloc'd, or vmalloc'd when > 4 KiB: "vpages").
 */
struct vm_struct {
	unsigned long addr;
	unsigned long size;
	unsigned int flags;
	unsigned int nr_pages;
	unsigned int page_order;
	int node;                        /* requested node (NUMA_NO_NODE = local) */
	uint64_t phys_addr;
	const char *caller;
	unsigned long pages_va;
	unsigned long vm_va;             /* simulated address of the kzalloc'd vm_struct */
};

/* --- boot --------------------------------------------------------------------- */
/**
 * vmalloc_init() - set up the vmap-area allocator over [VMALLOC_START,
 * VMALLOC_END), the "vmap_area" slab cache, the deferred-free lists, stats and
 * the MMU page-table hook (page-allocator pages tagged PGTY_PGTABLE), and the
 * kvmalloc (util_init) and mempool (mempool_init_stats) statistics. Call after
 * kmem_cache_init() and before percpu_init(). Once per boot (a second call is
 * a no-op until vmalloc_shutdown()).
 * Return: 0 or -ENOMEM.
 */
int vmalloc_init(void);
/** vmalloc_shutdown() - forget every area (mm_shutdown); uninstalls the page-table hook. */
void vmalloc_shutdown(void);

/* --- allocation ----------------------------------------------------------------- */
/**
 * __vmalloc_node_range() - the common allocator: reserve [start, end) VA of
 * @size (+ guard page unless VM_NO_GUARD) aligned to @align, allocate order-0
 * pages on @node (bulk batches of 100, then one by one), map them with 4 KiB
 * PTEs. @caller is printed in /proc/vmallocinfo (NULL: "__vmalloc_node_range").
 * Context: task context, may sleep. Return: the address or NULL (warn_alloc
 * wording "vmalloc error: size %lu, ..." unless __GFP_NOWARN).
 */
void *__vmalloc_node_range(unsigned long size, unsigned long align, unsigned long start,
			   unsigned long end, gfp_t gfp, unsigned long vm_flags, int node,
			   const char *caller);
void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t gfp, int node, const char *caller);
void *__vmalloc(unsigned long size, gfp_t gfp);
void *vmalloc(unsigned long size);
void *vzalloc(unsigned long size);
void *vmalloc_node(unsigned long size, int node);
void *vzalloc_node(unsigned long size, int node);
void *vmalloc_32(unsigned long size);
void *vmalloc_user(unsigned long size);
/** vmalloc_huge() - VM_ALLOW_HUGE_VMAP; the machine maps only 4 KiB pages, so this falls back to 4 KiB. */
void *vmalloc_huge(unsigned long size, gfp_t gfp);
/** vmalloc_caller() - vmalloc with a call site (trace replay, workloads). */
void *vmalloc_caller(unsigned long size, gfp_t gfp, int node, const char *caller);

/**
 * vfree() - free a vmalloc/vmap area: NULL is ignored; in NMI a BUG is
 * reported and nothing is freed; in interrupt context the free is deferred to
 * a per-CPU work list (run by a kworker process); otherwise the PTEs are
 * cleared and the pages freed at once, while the VA goes to the lazy purge
 * list (TLB flush + reuse once more than lazy_max_pages() are lazy).
 * Misuse (unaligned, unknown, already freed, direct-map address) is reported
 * with the kernel's WARN text and counted.
 */
void vfree(const void *addr);
/** vfree_atomic() - always deferred (may be called with preemption/irqs disabled). */
void vfree_atomic(const void *addr);
/** vfree_deferred_run() - run every CPU's deferred-free list now (what the work item does). */
void vfree_deferred_run(void);
/** vfree_deferred_pending() - frees waiting on the deferred lists. */
unsigned long vfree_deferred_pending(void);

/** vmap() - map @count host-held @pages contiguously (VM_MAP). NULL on failure. */
void *vmap(struct page **pages, unsigned int count, unsigned long flags);
/** vunmap() - unmap a vmap() area (pages are not freed unless VM_MAP_PUT_PAGES). */
void vunmap(const void *addr);

/**
 * ioremap() - map [@phys, @phys+@size) (device MMIO, not RAM) uncached. The
 * area is VM_IOREMAP, aligned to its size up to IOREMAP_MAX_ORDER. RAM is
 * refused ("ioremap on RAM at ..." WARN) with NULL. Return: address of @phys.
 */
void *ioremap(uint64_t phys, unsigned long size);
void iounmap(void *addr);
/** ioremap_device() - ioremap of @d's whole MMIO window (machine/dma.h). */
void *ioremap_device(struct dma_device *d);

/* --- lookups ------------------------------------------------------------------- */
/** is_vmalloc_addr() - VMALLOC_START <= addr < VMALLOC_END. */
static inline bool is_vmalloc_addr(const void *addr)
{
	unsigned long a = (unsigned long)addr;

	return a >= VMALLOC_START && a < VMALLOC_END;
}
/** vmalloc_to_page() - the page mapped at @addr (walks the page tables), or NULL. */
struct page *vmalloc_to_page(const void *addr);
unsigned long vmalloc_to_pfn(const void *addr);
/** find_vm_area() - the live area containing @addr, or NULL. */
struct vm_struct *find_vm_area(const void *addr);

/* --- areas without pages (vmap users, percpu) --------------------------------------- */
/** get_vm_area_caller() - reserve VA only (@flags VM_*), + guard page. */
struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long flags, const char *caller);
/** free_vm_area() - unmap (noflush) and lazily free an area from get_vm_area*. */
void free_vm_area(struct vm_struct *area);
/**
 * pcpu_get_vm_areas() - @nr_vms congruent areas for a percpu chunk: area i at
 * base + @offsets[i] of @sizes[i] bytes, base aligned to @align, searched from
 * the top of the vmalloc space downward (as 6.1). VM_ALLOC, no guard pages.
 * Return: 0 with @vms filled, or -ENOMEM.
 */
int pcpu_get_vm_areas(const unsigned long *offsets, const size_t *sizes, int nr_vms,
		      size_t align, struct vm_struct **vms);
void pcpu_free_vm_areas(struct vm_struct **vms, int nr_vms);

/* --- lazy purge ------------------------------------------------------------------------ */
/** lazy_max_pages() - fls(num_online_cpus()) * (32 MiB / PAGE_SIZE). */
unsigned long lazy_max_pages(void);
/** vmap_lazy_nr() - pages of VA freed but not yet purged (guard pages included). */
unsigned long vmap_lazy_nr(void);
/** vm_unmap_aliases() / purge: flush the TLB over the lazy areas and release their VA. */
void vm_unmap_aliases(void);

/* --- views ---------------------------------------------------------------------------- */
/** vmalloc_nr_pages() - pages backing vmalloc areas (meminfo VmallocUsed, in pages). */
unsigned long vmalloc_nr_pages(void);
/** vmalloc_print_meminfo() - the VmallocTotal / VmallocUsed / VmallocChunk lines. */
void vmalloc_print_meminfo(FILE *f);
/**
 * proc_vmallocinfo() - /proc/vmallocinfo (6.1 s_show): areas in address order,
 * "0x<start>-0x<end> <size> <caller> pages=N phys=0x.. ioremap|vmalloc|vmap|user
 * vpages N<nid>=<pages>", then "unpurged vm_area" lines for lazily freed VA.
 * Addresses are printed raw (what root sees with kptr_restrict=1).
 */
int proc_vmallocinfo(FILE *f);

/* --- DMA misuse helper ---------------------------------------------------------------- */
/**
 * kva_dma_transfer() - what a driver does with dma_map_single(dev, va, len)
 * followed by a transfer: for a direct-map buffer the device transfers the one
 * physically contiguous segment (dma_transfer); for a vmalloc buffer the DMA
 * API debug check fires ("DMA-API: ... device driver maps memory from vmalloc
 * area [addr=%p] [len=%lu]"), the misuse is counted and -EFAULT returned with
 * nothing transferred (the kernel would DMA to a bogus physical address).
 */
int kva_dma_transfer(struct dma_device *d, unsigned long va, size_t len, bool to_device);

/* --- statistics and checks ------------------------------------------------------------ */
enum vmalloc_misuse {
	VMALLOC_MISUSE_BAD_ADDR,         /* "Trying to vfree() bad address" (not page aligned) */
	VMALLOC_MISUSE_NONEXISTENT,      /* "Trying to vfree() nonexistent vm area" (unknown VA) */
	VMALLOC_MISUSE_DOUBLE_FREE,      /* nonexistent, and the VA is a lazily freed area */
	VMALLOC_MISUSE_DIRECT_MAP,       /* nonexistent, and a direct-map (kmalloc/page) address */
	VMALLOC_MISUSE_NMI,              /* vfree in NMI: kernel BUG */
	VMALLOC_MISUSE_DMA,              /* device DMA into vmalloc memory */
	VMALLOC_MISUSE_IOREMAP_RAM,      /* ioremap of RAM */
	NR_VMALLOC_MISUSE
};
unsigned long vmalloc_misuse_count(enum vmalloc_misuse kind);
/** vmalloc_purge_count() - lazy purges run (each one TLB flush + shootdown). */
unsigned long vmalloc_purge_count(void);
/** vmalloc_nr_areas() - live (busy) vmap areas. */
unsigned long vmalloc_nr_areas(void);
/**
 * vmalloc_check() - invariants: free/busy/lazy ranges disjoint, sorted, inside
 * [VMALLOC_START, VMALLOC_END), covering the space exactly; free ranges
 * coalesced; augmented subtree maxima right; lazy count = Σ lazy pages;
 * every vmalloc page mapped, PGTY_VMALLOC, and counted in vmalloc_nr_pages().
 * Return: 0, or -1 after logging the first violation.
 */
int vmalloc_check(void);

#endif /* MMSIM_MM_VMALLOC_H */
