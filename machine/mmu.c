/* SPDX-License-Identifier: MIT */
/*
 * machine/mmu.c — x86-64 4-level kernel page tables and the hardware walker.
 *
 * What it models
 *   - One kernel PML4 page (init_top_pgt) in simulated physical memory. The
 *     tables below it for vmalloc/ioremap space (4 KiB pages) are real pages
 *     too: they come from mm's hook (mmu_set_pgtable_ops) or, before mm
 *     installs it, from a boot-time bump allocator that takes pages downwards
 *     from the top of node 0's highest RAM range, at most
 *     MMU_BOOT_PGTABLE_PAGES; mm reserves that window in memblock
 *     (mmu_boot_pgtable_window / mmu_boot_pgtable_range in memsys.h).
 *   - Physical memory is not backed (DESIGN §3), so the contents of table
 *     pages live in a host hash map: table pa → 512 entries, created on first
 *     write. Every PTE *load* of a walk still goes through the caches at
 *     table_pa + index*8 and, on a miss, to DRAM.
 *   - Implicit mappings, whose entries are computed, not stored:
 *       direct map  PAGE_OFFSET + pa → pa, 1 GiB pages (2 loads: PML4E,
 *                   PDPTE) or 2 MiB pages (3 loads: + PDE);
 *       vmemmap     VMEMMAP_START + pfn*64 → MEMMAP_PHYS_BASE + pfn*64,
 *                   2 MiB pages (3 loads), as x86 maps vmemmap with PMDs.
 *     Their PML4E is in the real PML4 page; their PDPT / PD pages sit at
 *     stable synthetic addresses above RAM (SYNTH_PT_BASE, memsys_int.h):
 *       direct map PDPT k (k = offset >> 39): SYNTH_PT_BASE + k*4K
 *       direct map PD g   (g = offset >> 30): SYNTH_PT_BASE + 4GiB + g*4K
 *       vmemmap    PDPT k:                    SYNTH_PT_BASE + 8GiB + k*4K
 *       vmemmap    PD g:                      SYNTH_PT_BASE + 12GiB + g*4K
 *     They are cached like any line; their DRAM home is node 0. They are not
 *     accounted as page-table pages (at most 2 MiB per TiB with 2 MiB pages).
 *   - Walk: paging-structure caches (if enabled) skip the levels whose entry
 *     they hold; the remaining loads are dependent, their latencies add up,
 *     plus walk_base_cycles.
 * Simplified: kernel tables are never freed (Linux keeps vmalloc PTE pages
 * too); no user address spaces; no A/D bit updates (no store on a walk).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cost.h"
#include "machine/cpu.h"
#include "machine/memsys_int.h"
#include "machine/tlb.h"
#include "sim/log.h"

#define PTE_PRESENT 1ULL
#define PTE_ADDR    0x000ffffffffff000ULL
#define PGD_SHIFT   39
#define IDX(va, sh) (((va) >> (sh)) & 511)

#define DM_PDPT(k)  (SYNTH_PT_BASE + (uint64_t)(k) * PAGE_SIZE)
#define DM_PD(g)    (SYNTH_PT_BASE + (4ULL << 30) + (uint64_t)(g) * PAGE_SIZE)
#define VMM_PDPT(k) (SYNTH_PT_BASE + (8ULL << 30) + (uint64_t)(k) * PAGE_SIZE)
#define VMM_PD(g)   (SYNTH_PT_BASE + (12ULL << 30) + (uint64_t)(g) * PAGE_SIZE)

struct pt_slot {
	uint64_t pa;                    /* 0 = empty */
	uint64_t *ent;                  /* 512 entries */
};

static struct {
	bool ready;
	unsigned dm_shift;
	phys_addr_t pml4;
	phys_addr_t win_lo, win_hi, bump;       /* boot window [lo, hi), next = bump - 4K */
	struct pgtable_ops ops;
	bool have_ops;
	uint64_t pages;                         /* table pages in use (real ones) */
	struct pt_slot *tab;
	size_t tab_size, tab_used;
	unsigned walk_base;
} M;

static size_t pt_hash(uint64_t pa)
{
	uint64_t x = (pa >> 12) * 0x9e3779b97f4a7c15ULL;

	return (size_t)(x >> 17);
}

static uint64_t *pt_lookup(uint64_t pa)
{
	size_t mask = M.tab_size - 1, i = pt_hash(pa) & mask;

	while (M.tab[i].pa) {
		if (M.tab[i].pa == pa)
			return M.tab[i].ent;
		i = (i + 1) & mask;
	}
	return NULL;
}

static int pt_grow(void)
{
	size_t nsize = M.tab_size ? M.tab_size * 2 : 1024;
	struct pt_slot *nt = calloc(nsize, sizeof(*nt));

	if (!nt)
		return -ENOMEM;
	for (size_t i = 0; i < M.tab_size; i++) {
		size_t j;

		if (!M.tab[i].pa)
			continue;
		j = pt_hash(M.tab[i].pa) & (nsize - 1);
		while (nt[j].pa)
			j = (j + 1) & (nsize - 1);
		nt[j] = M.tab[i];
	}
	free(M.tab);
	M.tab = nt;
	M.tab_size = nsize;
	return 0;
}

/* The entries of table page @pa, created (all zero) if needed. */
static uint64_t *pt_get(uint64_t pa)
{
	uint64_t *e = pt_lookup(pa);
	size_t i;

	if (e)
		return e;
	if ((M.tab_used + 1) * 2 > M.tab_size && pt_grow())
		return NULL;
	e = calloc(512, sizeof(*e));
	if (!e)
		return NULL;
	i = pt_hash(pa) & (M.tab_size - 1);
	while (M.tab[i].pa)
		i = (i + 1) & (M.tab_size - 1);
	M.tab[i].pa = pa;
	M.tab[i].ent = e;
	M.tab_used++;
	return e;
}

/* Forget table page @pa (linear probing: backward-shift deletion). */
static void pt_remove(uint64_t pa)
{
	size_t mask = M.tab_size - 1, i = pt_hash(pa) & mask, j;

	while (M.tab[i].pa && M.tab[i].pa != pa)
		i = (i + 1) & mask;
	if (!M.tab[i].pa)
		return;
	free(M.tab[i].ent);
	M.tab[i].pa = 0;
	M.tab[i].ent = NULL;
	M.tab_used--;
	for (j = (i + 1) & mask; M.tab[j].pa; j = (j + 1) & mask) {
		size_t home = pt_hash(M.tab[j].pa) & mask;

		/* move j back into the hole at i unless its home lies in (i, j] */
		if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
			M.tab[i] = M.tab[j];
			M.tab[j].pa = 0;
			M.tab[j].ent = NULL;
			i = j;
		}
	}
}

/* Give back a table page pt_alloc() returned. */
static void pt_release(phys_addr_t pa)
{
	pt_remove(pa);
	M.pages--;
	if (M.have_ops && M.ops.free)
		M.ops.free(pa, M.ops.ctx);
	else if (!M.have_ops && pa == M.bump)
		M.bump += PAGE_SIZE;
}

static phys_addr_t pt_alloc(int nid)
{
	phys_addr_t pa = 0;

	if (M.have_ops) {
		pa = M.ops.alloc(nid, M.ops.ctx);
	} else if (M.bump - PAGE_SIZE >= M.win_lo && M.bump > M.win_lo) {
		M.bump -= PAGE_SIZE;
		pa = M.bump;
	}
	if (!pa)
		return 0;
	if (!pt_get(pa)) {
		if (M.have_ops && M.ops.free)
			M.ops.free(pa, M.ops.ctx);
		return 0;
	}
	memset(pt_lookup(pa), 0, 512 * sizeof(uint64_t));   /* "zeroed" table page */
	M.pages++;
	return pa;
}

void mmu_boot_pgtable_window(phys_addr_t *start, phys_addr_t *end)
{
	*start = M.win_lo;
	*end = M.win_hi;
}

void mmu_boot_pgtable_range(phys_addr_t *start, phys_addr_t *end)
{
	*start = M.bump;
	*end = M.win_hi;
}

void mmu_set_pgtable_ops(const struct pgtable_ops *ops)
{
	if (ops && ops->alloc) {
		M.ops = *ops;
		M.have_ops = true;
	} else {
		memset(&M.ops, 0, sizeof(M.ops));
		M.have_ops = false;
	}
}

uint64_t mmu_pgtable_pages(void)
{
	return M.pages;
}

int mmu_init(const struct memsys_params *p, char *err, size_t errlen)
{
	const struct node_mem_range *r;
	int n = machine_node_ranges(&r), best = -1;
	struct pgtable_ops keep = M.ops;
	bool had_ops = M.have_ops;

	mmu_destroy();
	M.ops = keep;                   /* the hook survives a rebuild */
	M.have_ops = had_ops;
	for (int i = 0; i < n; i++)
		if (r[i].nid == 0 && r[i].end > r[i].start)
			best = i;
	if (best < 0)
		for (int i = 0; i < n; i++)
			if (r[i].end > r[i].start)
				best = i;
	if (best < 0) {
		snprintf(err, errlen, "mmu: the machine has no RAM for page tables");
		return -EINVAL;
	}
	M.win_hi = r[best].end & PAGE_MASK;
	M.win_lo = M.win_hi - (phys_addr_t)MMU_BOOT_PGTABLE_PAGES * PAGE_SIZE;
	if (M.win_lo < ((r[best].start + PAGE_SIZE - 1) & PAGE_MASK))
		M.win_lo = (r[best].start + PAGE_SIZE - 1) & PAGE_MASK;
	M.bump = M.win_hi;
	M.dm_shift = p->direct_map_shift;
	M.walk_base = p->walk_base_cycles;
	if (pt_grow()) {
		snprintf(err, errlen, "mmu: out of host memory");
		return -ENOMEM;
	}
	M.ready = true;
	/* The PML4 always comes from the boot window (it exists before mm). */
	{
		bool save = M.have_ops;

		M.have_ops = false;
		M.pml4 = pt_alloc(0);
		M.have_ops = save;
	}
	if (!M.pml4) {
		snprintf(err, errlen, "mmu: no room for the PML4 page at the top of node 0");
		mmu_destroy();
		return -ENOMEM;
	}
	return 0;
}

void mmu_destroy(void)
{
	for (size_t i = 0; i < M.tab_size; i++)
		free(M.tab[i].ent);
	free(M.tab);
	memset(&M, 0, sizeof(M));
}

static bool implicit_va(unsigned long va)
{
	return is_direct_map(va) || (va >= VMEMMAP_START && va < VMEMMAP_START + (1UL << 40));
}

/* Walk to the PTE slot of a 4 KiB mapping; create tables if @create. */
static uint64_t *pte_slot(unsigned long va, bool create, phys_addr_t *pte_pa, int *rc)
{
	static const unsigned shifts[3] = { PGD_SHIFT, PUD_SHIFT, PMD_SHIFT };
	phys_addr_t table = M.pml4;
	uint64_t *ent;
	int nid = 0;

	if (create) {
		nid = cpu_to_node(this_ctx()->cpu);
		if (nid < 0)
			nid = 0;
	}
	for (int l = 0; l < 3; l++) {
		unsigned i = IDX(va, shifts[l]);

		ent = pt_lookup(table);
		if (!ent) {
			*rc = -EFAULT;
			return NULL;
		}
		if (!(ent[i] & PTE_PRESENT)) {
			phys_addr_t nt;

			if (!create) {
				*rc = -ENOENT;
				return NULL;
			}
			nt = pt_alloc(nid);
			if (!nt) {
				*rc = -ENOMEM;
				return NULL;
			}
			ent = pt_lookup(table);         /* the map may have grown */
			if (ent[i] & PTE_PRESENT) {
				/* the allocator let another process map it meanwhile */
				pt_release(nt);
				ent = pt_lookup(table);
			} else {
				ent[i] = nt | PTE_PRESENT;
			}
		}
		table = ent[i] & PTE_ADDR;
	}
	ent = pt_lookup(table);
	if (!ent) {
		*rc = -EFAULT;
		return NULL;
	}
	*pte_pa = table + IDX(va, PAGE_SHIFT) * 8;
	return &ent[IDX(va, PAGE_SHIFT)];
}

int mmu_map(unsigned long va, phys_addr_t pa)
{
	phys_addr_t pte_pa;
	uint64_t *pte;
	int rc = 0;

	if (!M.ready)
		return -ENODEV;
	if ((va & ~PAGE_MASK) || (pa & ~PAGE_MASK) || va < (0xffffUL << 48) || implicit_va(va) ||
	    (pa & ~PTE_ADDR))
		return -EINVAL;
	pte = pte_slot(va, true, &pte_pa, &rc);
	if (!pte)
		return rc;
	if (*pte & PTE_PRESENT)
		return -EEXIST;
	*pte = pa | PTE_PRESENT;
	mem_access_phys(pte_pa, 8, true);       /* the set_pte store */
	return 0;
}

int mmu_unmap(unsigned long va)
{
	phys_addr_t pte_pa;
	uint64_t *pte;
	int rc = 0;

	if (!M.ready)
		return -ENODEV;
	if (implicit_va(va))
		return -EINVAL;
	pte = pte_slot(va & PAGE_MASK, false, &pte_pa, &rc);
	if (!pte || !(*pte & PTE_PRESENT))
		return -ENOENT;
	*pte = 0;
	mem_access_phys(pte_pa, 8, true);       /* pte_clear */
	return 0;
}

phys_addr_t mmu_translate(unsigned long va, bool *mapped)
{
	phys_addr_t pte_pa;
	uint64_t *pte;
	int rc = 0;

	if (mapped)
		*mapped = false;
	if (!M.ready)
		return 0;
	if (is_direct_map(va)) {
		phys_addr_t pa = virt_to_phys_addr(va);

		if (pa < machine_max_phys()) {
			if (mapped)
				*mapped = true;
			return pa;
		}
		return 0;
	}
	if (va >= VMEMMAP_START && va < VMEMMAP_START + (1UL << 40)) {
		uint64_t off = va - VMEMMAP_START;

		if ((off / STRUCT_PAGE_SIZE) << PAGE_SHIFT < machine_max_phys()) {
			if (mapped)
				*mapped = true;
			return MEMMAP_PHYS_BASE + off;
		}
		return 0;
	}
	pte = pte_slot(va & PAGE_MASK, false, &pte_pa, &rc);
	if (!pte || !(*pte & PTE_PRESENT))
		return 0;
	if (mapped)
		*mapped = true;
	return (*pte & PTE_ADDR) | (va & ~PAGE_MASK);
}

/* One dependent load of a paging-structure entry. */
static inline void walk_load(int cpu, phys_addr_t pa, sim_time_t *lat, unsigned *loads)
{
	*lat += memsys_line_ps(cpu, pa, false);
	(*loads)++;
}

int mmu_walk(int cpu, unsigned long va, uint64_t *pfn, enum tlb_size *sz, sim_time_t *lat)
{
	unsigned loads = 0;
	uint64_t tpa;
	sim_time_t t = memsys_cycles_ps(cpu, M.walk_base);
	int rc = 0;

	if (is_direct_map(va) || (va >= VMEMMAP_START && va < VMEMMAP_START + (1UL << 40))) {
		bool dm = is_direct_map(va);
		uint64_t off = dm ? va - PAGE_OFFSET : va - VMEMMAP_START;
		unsigned leaf = dm ? M.dm_shift : PMD_SHIFT;
		uint64_t k = off >> PGD_SHIFT, g = off >> PUD_SHIFT;
		phys_addr_t pdpt = dm ? DM_PDPT(k) : VMM_PDPT(k), pd = dm ? DM_PD(g) : VMM_PD(g);
		bool have_pd = false;

		if (leaf == PMD_SHIFT && tlb_psc_lookup(cpu, PSC_PDPTE, va, &tpa)) {
			have_pd = true;
		} else if (!tlb_psc_lookup(cpu, PSC_PML4E, va, &tpa)) {
			walk_load(cpu, M.pml4 + IDX(va, PGD_SHIFT) * 8, &t, &loads);
			tlb_psc_insert(cpu, PSC_PML4E, va, pdpt);
		}
		if (!have_pd) {
			walk_load(cpu, pdpt + IDX(va, PUD_SHIFT) * 8, &t, &loads);
			if (leaf == PMD_SHIFT)
				tlb_psc_insert(cpu, PSC_PDPTE, va, pd);
		}
		if (leaf == PMD_SHIFT)
			walk_load(cpu, pd + IDX(va, PMD_SHIFT) * 8, &t, &loads);
		if (dm) {
			*pfn = (off >> leaf << leaf) >> PAGE_SHIFT;
			if ((off >> leaf << leaf) >= machine_max_phys())
				rc = -EFAULT;
		} else {
			/* vmemmap: the frame of the synthetic memmap window */
			*pfn = (MEMMAP_PHYS_BASE + (off >> leaf << leaf)) >> PAGE_SHIFT;
		}
		*sz = leaf == PUD_SHIFT ? TLB_1G : TLB_2M;
	} else {
		static const unsigned shifts[4] = { PGD_SHIFT, PUD_SHIFT, PMD_SHIFT, PAGE_SHIFT };
		phys_addr_t table = M.pml4;
		int start = 0;

		if (tlb_psc_lookup(cpu, PSC_PDE, va, &tpa)) {
			table = tpa;
			start = 3;
		} else if (tlb_psc_lookup(cpu, PSC_PDPTE, va, &tpa)) {
			table = tpa;
			start = 2;
		} else if (tlb_psc_lookup(cpu, PSC_PML4E, va, &tpa)) {
			table = tpa;
			start = 1;
		}
		*sz = TLB_4K;
		for (int l = start; l < 4; l++) {
			unsigned i = IDX(va, shifts[l]);
			uint64_t *ent = pt_lookup(table), e;

			walk_load(cpu, table + i * 8, &t, &loads);
			e = ent ? ent[i] : 0;
			if (!(e & PTE_PRESENT)) {
				rc = -EFAULT;
				break;
			}
			table = e & PTE_ADDR;
			if (l < 3)
				tlb_psc_insert(cpu, (enum tlb_psc)l, va, table);
		}
		if (!rc)
			*pfn = table >> PAGE_SHIFT;
	}
	tlb_count_walk(loads, rc != 0);
	*lat += t;
	return rc;
}

int mmu_check(void)
{
	if (!M.ready)
		return 0;
	if (!pt_lookup(M.pml4)) {
		sim_error("mmu: the PML4 page %#llx has no entries", (unsigned long long)M.pml4);
		return -1;
	}
	if (M.tab_used != M.pages) {
		sim_error("mmu: %zu table pages stored but %llu accounted", M.tab_used,
			  (unsigned long long)M.pages);
		return -1;
	}
	for (size_t i = 0; i < M.tab_size; i++) {
		if (!M.tab[i].pa)
			continue;
		if (M.tab[i].pa & ~PAGE_MASK) {
			sim_error("mmu: table page %#llx not page aligned", (unsigned long long)M.tab[i].pa);
			return -1;
		}
		for (int k = 0; k < 512; k++) {
			uint64_t e = M.tab[i].ent[k];

			if (e & ~(PTE_ADDR | PTE_PRESENT)) {
				sim_error("mmu: table %#llx entry %d has stray bits %#llx",
					  (unsigned long long)M.tab[i].pa, k, (unsigned long long)e);
				return -1;
			}
		}
	}
	return 0;
}
