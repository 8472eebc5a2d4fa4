// SPDX-License-Identifier: MIT
/*
 * mm/memory.c — user tasks and their anonymous memory: mm_struct, rss
 * counters, the user page tables (accounted in simulated memory), anonymous
 * faults, swap-in, munmap, exit_mmap and the oom_reaper's unmap.
 *
 * Model: a task's address space is a bump-allocated range of anonymous
 * private mappings from 0x400000 up. PTEs live in host arrays, one per 2 MiB
 * (a PTE table); each PTE table, each PMD table (1 GiB) and each PUD table
 * (512 GiB) is backed by a real page allocated with GFP_PGTABLE_USER and
 * counted in mm->pgtables_bytes and NR_PAGETABLE, like pte_alloc /
 * __pmd_alloc / __pud_alloc (the pgd is not counted, as in the kernel).
 * A pte holds a pfn (present), a swap slot (swapped out) or nothing.
 *
 * Faults (handle_mm_fault → do_anonymous_page / do_swap_page): a first touch
 * allocates a zeroed GFP_HIGHUSER_MOVABLE page on the local node and puts it
 * on the inactive anon LRU; a swap pte reads the page back (or finds it in
 * the swap cache) and frees the slot; a present page gets its accessed bit
 * set (and dirty bit on write). Every allocation may sleep in reclaim, so
 * the pte is looked up again after it.
 *
 * Invariants (memory_check): rss counters equal the ptes, every present pte
 * points at an anon upage owned by (mm, vpn), every swap pte holds a used slot.
 * Simplified vs 6.1: one anonymous VMA list per task without merging, no fork
 * / COW / shared anon, no THP, no mapped file pages (MM_FILEPAGES stays 0),
 * no NUMA policy (local node), the pte accessed bit is kept per page.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cost.h"
#include "mm/reclaim_internal.h"
#include "sim/stats.h"

#define USER_BASE       0x400000UL
#define PTRS_PER_PTE    512
#define GFP_PGTABLE_USER (GFP_KERNEL_ACCOUNT | __GFP_ZERO)
#define CYC_ANON_FAULT  1500   /* [U] exception entry + handle_mm_fault + do_anonymous_page */
#define CYC_SWAP_FAULT  3000   /* [U] do_swap_page bookkeeping (swap cache lookup, rmap) */
#define CYC_PTE_ZAP     40     /* [U] zap_pte_range per pte */
#define CYC_TOUCH       20     /* [U] a user access that hits a present pte */

struct pte_table {
	uint32_t pte[PTRS_PER_PTE];
	uint32_t pfn;                   /* the page-table page */
};

struct vma { unsigned long start, end; };

struct mm_pt {
	struct pte_table **tabs;        /* index (vpn - base) >> 9 */
	unsigned long ntabs;
	uint32_t *pmd_pfn;              /* PMD tables, index addr >> 30 */
	unsigned long npmd;
	uint32_t *pud_pfn;              /* PUD tables, index addr >> 39 */
	unsigned long npud;
	struct vma *vmas;
	int nr_vmas, cap_vmas;
};

struct task_ext {
	struct task_struct t;
	struct mm_struct mm;
	int refs;
	bool listed;
	struct task_ext *prev, *next;
};

static struct task_ext *task_head, *task_tail;
static int nr_tasks;
static int next_pid = 1000;
static struct mm_struct **mms;
static uint32_t nr_mms, cap_mms;
void (*mm_task_exit_hook)(struct task_struct *t);

static struct task_ext *ext_of(const struct task_struct *t)
{
	return (struct task_ext *)((char *)t - offsetof(struct task_ext, t));
}

struct mm_struct *mm_of_id(uint32_t id)
{
	return id < nr_mms ? mms[id] : NULL;
}

void add_mm_counter(struct mm_struct *mm, int member, long d)
{
	struct task_struct *t = mm->owner;

	mm->rss_stat[member] += d;
	switch (member) {
	case MM_FILEPAGES: t->rss_file = get_mm_counter(mm, member); break;
	case MM_ANONPAGES: t->rss_anon = get_mm_counter(mm, member); break;
	case MM_SWAPENTS: t->swapents = get_mm_counter(mm, member); break;
	case MM_SHMEMPAGES: t->rss_shmem = get_mm_counter(mm, member); break;
	default: break;
	}
}

/* --- tasks ------------------------------------------------------------------------ */

struct task_struct *task_create(const char *comm, short oom_score_adj)
{
	struct task_ext *e;

	if (reclaim_lazy_init())
		return NULL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->mm.pt = calloc(1, sizeof(struct mm_pt));
	if (!e->mm.pt) {
		free(e);
		return NULL;
	}
	if (nr_mms == cap_mms) {
		uint32_t cap = cap_mms ? cap_mms * 2 : 64;
		struct mm_struct **n = realloc(mms, cap * sizeof(*n));
		if (!n) {
			free(e->mm.pt);
			free(e);
			return NULL;
		}
		mms = n;
		cap_mms = cap;
	}
	task_init(&e->t, comm, next_pid++);
	e->t.oom_score_adj = oom_score_adj;
	e->t.mm_private = &e->mm;
	e->mm.owner = &e->t;
	e->mm.mmap_base = USER_BASE;
	e->mm.id = (int)nr_mms;
	mms[nr_mms++] = &e->mm;
	e->refs = 1;
	e->listed = true;
	e->prev = task_tail;
	if (task_tail)
		task_tail->next = e;
	else
		task_head = e;
	task_tail = e;
	nr_tasks++;
	return &e->t;
}

void get_task_struct(struct task_struct *t)
{
	ext_of(t)->refs++;
}

void put_task_struct(struct task_struct *t)
{
	struct task_ext *e = ext_of(t);

	if (--e->refs > 0)
		return;
	free(e);
}

struct task_struct *task_first(void)
{
	return task_head ? &task_head->t : NULL;
}

struct task_struct *task_next(const struct task_struct *t)
{
	struct task_ext *e = ext_of(t)->next;
	return e ? &e->t : NULL;
}

int nr_user_tasks(void)
{
	return nr_tasks;
}

/* --- page tables ------------------------------------------------------------------- */

static uint32_t pgtable_alloc(struct mm_struct *mm)
{
	struct page *pg = alloc_pages(GFP_PGTABLE_USER, 0);

	if (!pg)
		return 0;
	page_set_owner(pg, PGTY_PGTABLE, (uint32_t)mm->id);
	mod_node_page_state(NODE_DATA(page_to_nid(pg)), NR_PAGETABLE, 1);
	mm->pgtables_bytes += PAGE_SIZE;
	mm->owner->pgtables_bytes = mm->pgtables_bytes;
	return (uint32_t)page_to_pfn(pg);
}

static void pgtable_free(struct mm_struct *mm, uint32_t pfn)
{
	struct page *pg = pfn_to_page(pfn);

	mod_node_page_state(NODE_DATA(page_to_nid(pg)), NR_PAGETABLE, -1);
	mm->pgtables_bytes -= PAGE_SIZE;
	mm->owner->pgtables_bytes = mm->pgtables_bytes;
	page_set_owner(pg, PGTY_KERNEL, 0);
	put_page(pg);
}

static int grow_u32(uint32_t **a, unsigned long *n, unsigned long need)
{
	unsigned long nn;
	uint32_t *p;

	if (need <= *n)
		return 0;
	nn = *n ? *n : 4;
	while (nn < need)
		nn *= 2;
	p = realloc(*a, nn * sizeof(uint32_t));
	if (!p)
		return -ENOMEM;
	memset(p + *n, 0, (nn - *n) * sizeof(uint32_t));
	*a = p;
	*n = nn;
	return 0;
}

uint32_t *pte_of(struct mm_struct *mm, unsigned long vpn)
{
	unsigned long ti;
	struct pte_table *tab;

	if (vpn < (USER_BASE >> PAGE_SHIFT))
		return NULL;
	ti = (vpn - (USER_BASE >> PAGE_SHIFT)) / PTRS_PER_PTE;
	if (ti >= mm->pt->ntabs || !(tab = mm->pt->tabs[ti]))
		return NULL;
	return &tab->pte[(vpn - (USER_BASE >> PAGE_SHIFT)) % PTRS_PER_PTE];
}

/*
 * pte_alloc_map() - the pte slot of @addr, allocating PUD/PMD/PTE tables as
 * needed (each may enter reclaim and sleep). NULL: -ENOMEM.
 */
static uint32_t *pte_alloc_map(struct mm_struct *mm, unsigned long addr)
{
	struct mm_pt *pt = mm->pt;
	unsigned long vpn = addr >> PAGE_SHIFT;
	unsigned long pud_i = addr >> 39, pmd_i = addr >> 30;
	unsigned long ti = (vpn - (USER_BASE >> PAGE_SHIFT)) / PTRS_PER_PTE;
	uint32_t pfn;

	if (grow_u32(&pt->pud_pfn, &pt->npud, pud_i + 1) || grow_u32(&pt->pmd_pfn, &pt->npmd, pmd_i + 1))
		return NULL;
	if (!pt->pud_pfn[pud_i]) {
		if (!(pfn = pgtable_alloc(mm)))
			return NULL;
		if (pt->pud_pfn[pud_i])            /* raced while we slept: keep the first */
			pgtable_free(mm, pfn);
		else
			pt->pud_pfn[pud_i] = pfn;
	}
	if (!pt->pmd_pfn[pmd_i]) {
		if (!(pfn = pgtable_alloc(mm)))
			return NULL;
		if (pt->pmd_pfn[pmd_i])
			pgtable_free(mm, pfn);
		else
			pt->pmd_pfn[pmd_i] = pfn;
	}
	if (ti >= pt->ntabs) {
		unsigned long nn = pt->ntabs ? pt->ntabs : 4;
		struct pte_table **n;
		while (nn <= ti)
			nn *= 2;
		n = realloc(pt->tabs, nn * sizeof(*n));
		if (!n)
			return NULL;
		memset(n + pt->ntabs, 0, (nn - pt->ntabs) * sizeof(*n));
		pt->tabs = n;
		pt->ntabs = nn;
	}
	if (!pt->tabs[ti]) {
		struct pte_table *tab;
		if (!(pfn = pgtable_alloc(mm)))
			return NULL;
		if (pt->tabs[ti]) {
			pgtable_free(mm, pfn);
		} else {
			tab = calloc(1, sizeof(*tab));
			if (!tab) {
				pgtable_free(mm, pfn);
				return NULL;
			}
			tab->pfn = pfn;
			pt->tabs[ti] = tab;
		}
	}
	return pte_of(mm, vpn);
}

/* --- mappings ---------------------------------------------------------------------- */

unsigned long task_mmap(struct task_struct *t, size_t len)
{
	struct mm_struct *mm = task_mm(t);
	struct mm_pt *pt;
	unsigned long start;

	if (!mm || !len)
		return 0;
	pt = mm->pt;
	len = (len + PAGE_SIZE - 1) & PAGE_MASK;
	if (pt->nr_vmas == pt->cap_vmas) {
		int cap = pt->cap_vmas ? pt->cap_vmas * 2 : 8;
		struct vma *n = realloc(pt->vmas, (size_t)cap * sizeof(*n));
		if (!n)
			return 0;
		pt->vmas = n;
		pt->cap_vmas = cap;
	}
	start = mm->mmap_base;
	mm->mmap_base += len + PAGE_SIZE;          /* a guard gap between mappings */
	pt->vmas[pt->nr_vmas++] = (struct vma){ start, start + len };
	mm->total_vm += len >> PAGE_SHIFT;
	t->total_vm = mm->total_vm;
	return start;
}

static struct vma *find_vma(struct mm_struct *mm, unsigned long addr)
{
	for (int i = 0; i < mm->pt->nr_vmas; i++)
		if (addr >= mm->pt->vmas[i].start && addr < mm->pt->vmas[i].end)
			return &mm->pt->vmas[i];
	return NULL;
}

/* zap one pte: free the page or the swap entry. Return: 1 if a resident page was freed. */
static int zap_pte(struct mm_struct *mm, uint32_t *pte)
{
	uint32_t v = *pte;

	if (!v)
		return 0;
	*pte = 0;
	if (v & PTE_PRESENT) {
		struct page *pg = pfn_to_page(pte_val_pfn(v));
		uint32_t idx = page_up_idx(pg);
		struct upage *u = up_of(idx);
		mod_node_page_state(NODE_DATA(u->nid), NR_ANON_MAPPED, -1);
		add_mm_counter(mm, MM_ANONPAGES, -1);
		u->flags &= (uint16_t)~UP_MAPPED;
		if (u->flags & UP_SWAPCACHE) {
			uint32_t slot = u->slot;
			mod_node_page_state(NODE_DATA(u->nid), NR_SWAPCACHE, -1);
			mod_node_page_state(NODE_DATA(u->nid), NR_FILE_PAGES, -1);
			u->flags &= (uint16_t)~UP_SWAPCACHE;
			u->slot = UP_NONE;
			swap_free_slot(slot);
		}
		release_user_page(idx);
		return 1;
	}
	/* swap entry: free the slot and any swap-cache page */
	uint32_t slot = pte_val_pfn(v);
	uint32_t idx = swap_cache_lookup(slot);
	add_mm_counter(mm, MM_SWAPENTS, -1);
	if (idx != UP_NONE) {
		struct upage *u = up_of(idx);
		mod_node_page_state(NODE_DATA(u->nid), NR_SWAPCACHE, -1);
		mod_node_page_state(NODE_DATA(u->nid), NR_FILE_PAGES, -1);
		u->flags &= (uint16_t)~UP_SWAPCACHE;
		u->slot = UP_NONE;
		swap_cache_set(slot, UP_NONE);
		release_user_page(idx);
	}
	swap_free_slot(slot);
	return 0;
}

static unsigned long zap_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	unsigned long freed = 0, n = 0;

	sim_atomic_begin();             /* under the page-table lock */
	for (unsigned long a = start; a < end; a += PAGE_SIZE) {
		uint32_t *pte = pte_of(mm, a >> PAGE_SHIFT);
		if (!pte) {
			/* skip to the next PTE table */
			a = ((a >> PMD_SHIFT) + 1) << PMD_SHIFT;
			a -= PAGE_SIZE;
			continue;
		}
		if (*pte) {
			freed += (unsigned long)zap_pte(mm, pte);
			n++;
		}
	}
	cost_cycles((unsigned)(n * CYC_PTE_ZAP));
	sim_atomic_end();
	return freed;
}

int task_munmap(struct task_struct *t, unsigned long addr, size_t len)
{
	struct mm_struct *mm = task_mm(t);
	struct vma *v;
	unsigned long end;

	if (!mm || !len)
		return -EINVAL;
	end = addr + ((len + PAGE_SIZE - 1) & PAGE_MASK);
	v = find_vma(mm, addr);
	if (!v || end > v->end || (addr & ~PAGE_MASK))
		return -EINVAL;
	zap_range(mm, addr, end);
	mm->total_vm -= (end - addr) >> PAGE_SHIFT;
	t->total_vm = mm->total_vm;
	if (addr == v->start && end == v->end) {
		*v = mm->pt->vmas[--mm->pt->nr_vmas];
	} else if (addr == v->start) {
		v->start = end;
	} else if (end == v->end) {
		v->end = addr;
	} else {
		/* split: keep [start, addr) here, add [end, old end) */
		unsigned long old_end = v->end;
		v->end = addr;
		if (mm->pt->nr_vmas == mm->pt->cap_vmas) {
			int cap = mm->pt->cap_vmas * 2;
			struct vma *n = realloc(mm->pt->vmas, (size_t)cap * sizeof(*n));
			if (!n)
				return -ENOMEM;
			mm->pt->vmas = n;
			mm->pt->cap_vmas = cap;
		}
		mm->pt->vmas[mm->pt->nr_vmas++] = (struct vma){ end, old_end };
	}
	return 0;
}

unsigned long oom_reap_task_mm(struct task_struct *t)
{
	struct mm_struct *mm = task_mm(t);
	unsigned long freed = 0;

	if (!mm)
		return 0;
	for (int i = 0; i < mm->pt->nr_vmas; i++)
		freed += zap_range(mm, mm->pt->vmas[i].start, mm->pt->vmas[i].end);
	return freed;
}

static void free_pgtables(struct mm_struct *mm)
{
	struct mm_pt *pt = mm->pt;

	for (unsigned long i = 0; i < pt->ntabs; i++)
		if (pt->tabs[i]) {
			pgtable_free(mm, pt->tabs[i]->pfn);
			free(pt->tabs[i]);
		}
	for (unsigned long i = 0; i < pt->npmd; i++)
		if (pt->pmd_pfn[i])
			pgtable_free(mm, pt->pmd_pfn[i]);
	for (unsigned long i = 0; i < pt->npud; i++)
		if (pt->pud_pfn[i])
			pgtable_free(mm, pt->pud_pfn[i]);
	free(pt->tabs);
	free(pt->pmd_pfn);
	free(pt->pud_pfn);
	free(pt->vmas);
	memset(pt, 0, sizeof(*pt));
}

void task_exit(struct task_struct *t)
{
	struct task_ext *e = ext_of(t);
	struct mm_struct *mm = task_mm(t);

	if (!e->listed)
		return;
	t->flags |= PF_EXITING;
	if (mm_task_exit_hook)
		mm_task_exit_hook(t);
	if (mm) {
		oom_reap_task_mm(t);
		sim_atomic_begin();
		free_pgtables(mm);
		sim_atomic_end();
		mm->total_vm = 0;
		t->total_vm = 0;
		free(mm->pt);
		mm->pt = NULL;
		mms[mm->id] = NULL;
		t->mm_private = NULL;
	}
	e->listed = false;
	if (e->prev)
		e->prev->next = e->next;
	else
		task_head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		task_tail = e->prev;
	e->prev = e->next = NULL;
	nr_tasks--;
	put_task_struct(t);
}

/* --- faults ------------------------------------------------------------------------ */

static int do_swap_page(struct task_struct *t, struct mm_struct *mm, unsigned long addr, uint32_t v, bool write)
{
	unsigned long vpn = addr >> PAGE_SHIFT;
	uint32_t slot = pte_val_pfn(v);
	uint32_t idx = swap_cache_lookup(slot);
	uint32_t *pte;
	struct upage *u;

	if (idx == UP_NONE) {
		/* read from the swap device into a new page (the task sleeps) */
		struct page *pg = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
		sim_time_t t0 = sim_now();
		if (!pg)
			return -ENOMEM;
		pte = pte_of(mm, vpn);
		if (!pte || *pte != v || swap_cache_lookup(slot) != UP_NONE) {
			put_page(pg);
			return -EAGAIN;
		}
		++*vc.pgmajfault;
		++*vc.pswpin;
		*vc.pgpgin += PAGE_SIZE / 1024;
		blk_read_sync(swap_bdev, PAGE_SIZE);
		(void)t0;
		pte = pte_of(mm, vpn);
		if (fatal_signal_pending(t) || !pte || *pte != v || swap_cache_lookup(slot) != UP_NONE) {
			put_page(pg);
			return fatal_signal_pending(t) ? -EINTR : -EAGAIN;
		}
		idx = upage_alloc(pg, true, (uint32_t)mm->id, (uint32_t)vpn);
		if (idx == UP_NONE) {
			put_page(pg);
			return -ENOMEM;
		}
		u = up_of(idx);
		u->flags |= UP_MAPPED | UP_YOUNG | UP_DIRTY;
		*pte = mk_pte(page_to_pfn(pg));
		lru_cache_add(idx);
		++*vc.workingset_refault;
		mod_node_page_state(NODE_DATA(u->nid), WORKINGSET_REFAULT_ANON, 1);
	} else {
		/* minor fault: the page is still in the swap cache */
		u = up_of(idx);
		pte = pte_of(mm, vpn);
		mod_node_page_state(NODE_DATA(u->nid), NR_SWAPCACHE, -1);
		mod_node_page_state(NODE_DATA(u->nid), NR_FILE_PAGES, -1);
		u->flags &= (uint16_t)~UP_SWAPCACHE;
		u->slot = UP_NONE;
		u->flags |= UP_MAPPED | UP_YOUNG | UP_DIRTY;
		*pte = mk_pte(u->pfn);
	}
	swap_free_slot(slot);
	mod_node_page_state(NODE_DATA(u->nid), NR_ANON_MAPPED, 1);
	add_mm_counter(mm, MM_SWAPENTS, -1);
	add_mm_counter(mm, MM_ANONPAGES, 1);
	(void)write;
	cost_cycles(CYC_SWAP_FAULT);
	return 0;
}

int task_touch_anon(struct task_struct *t, unsigned long addr, bool write)
{
	struct mm_struct *mm = task_mm(t);
	unsigned long vpn = addr >> PAGE_SHIFT;

	if (!mm)
		return -EFAULT;
	if (!find_vma(mm, addr))
		return -EFAULT;
	for (int tries = 0; tries < 8; tries++) {
		uint32_t *pte, v;
		if (fatal_signal_pending(t))
			return -EINTR;
		pte = pte_of(mm, vpn);
		v = pte ? *pte : 0;
		if (v & PTE_PRESENT) {
			struct upage *u = up_of(page_up_idx(pfn_to_page(pte_val_pfn(v))));
			u->flags |= UP_YOUNG;
			if (write)
				u->flags |= UP_DIRTY;
			cost_cycles(CYC_TOUCH);
			return 0;
		}
		++*vc.pgfault;
		if (v & PTE_SWAP) {
			sim_time_t t0 = sim_now();
			int r = do_swap_page(t, mm, addr, v, write);
			if (r == -EAGAIN)
				continue;
			if (!r && h_fault_latency)
				hist_add(h_fault_latency, sim_now() - t0);
			return r;
		}
		sim_time_t t0 = sim_now();
		/* do_anonymous_page */
		if (!pte && !(pte = pte_alloc_map(mm, addr)))
			return fatal_signal_pending(t) ? -EINTR : -ENOMEM;
		cost_cycles(CYC_ANON_FAULT);
		struct page *pg = alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, 0);
		if (!pg)
			return fatal_signal_pending(t) ? -EINTR : -ENOMEM;
		pte = pte_of(mm, vpn);
		if (!pte || *pte || !task_mm(t) || !find_vma(mm, addr)) {
			put_page(pg);
			if (!task_mm(t) || !find_vma(mm, addr))
				return -EFAULT;
			continue;
		}
		uint32_t idx = upage_alloc(pg, true, (uint32_t)mm->id, (uint32_t)vpn);
		if (idx == UP_NONE) {
			put_page(pg);
			return -ENOMEM;
		}
		struct upage *u = up_of(idx);
		u->flags |= UP_MAPPED | UP_YOUNG | (write ? UP_DIRTY : 0);
		*pte = mk_pte(page_to_pfn(pg));
		mod_node_page_state(NODE_DATA(u->nid), NR_ANON_MAPPED, 1);
		add_mm_counter(mm, MM_ANONPAGES, 1);
		lru_cache_add(idx);
		if (h_fault_latency)
			hist_add(h_fault_latency, sim_now() - t0);
		return 0;
	}
	return -EAGAIN;
}

int task_touch_range(struct task_struct *t, unsigned long addr, size_t len, bool write)
{
	for (unsigned long a = addr & PAGE_MASK; a < addr + len; a += PAGE_SIZE) {
		int r = task_touch_anon(t, a, write);
		if (r)
			return r;
	}
	return 0;
}

bool task_page_resident(struct task_struct *t, unsigned long addr)
{
	struct mm_struct *mm = task_mm(t);
	uint32_t *pte = mm ? pte_of(mm, addr >> PAGE_SHIFT) : NULL;
	return pte && (*pte & PTE_PRESENT);
}

bool task_page_swapped(struct task_struct *t, unsigned long addr)
{
	struct mm_struct *mm = task_mm(t);
	uint32_t *pte = mm ? pte_of(mm, addr >> PAGE_SHIFT) : NULL;
	return pte && (*pte & PTE_SWAP);
}

/* --- shutdown / check ------------------------------------------------------------ */

void memory_shutdown(void)
{
	struct task_ext *e = task_head;

	while (e) {
		struct task_ext *n = e->next;
		if (e->mm.pt) {
			struct mm_pt *pt = e->mm.pt;
			for (unsigned long i = 0; i < pt->ntabs; i++)
				free(pt->tabs[i]);
			free(pt->tabs);
			free(pt->pmd_pfn);
			free(pt->pud_pfn);
			free(pt->vmas);
			free(pt);
		}
		free(e);
		e = n;
	}
	task_head = task_tail = NULL;
	nr_tasks = 0;
	free(mms);
	mms = NULL;
	nr_mms = cap_mms = 0;
	next_pid = 1000;
	mm_task_exit_hook = NULL;
}

int memory_check(void)
{
	for (struct task_ext *e = task_head; e; e = e->next) {
		struct mm_struct *mm = &e->mm;
		long anon = 0, swp = 0;
		if (!mm->pt)
			continue;
		for (unsigned long ti = 0; ti < mm->pt->ntabs; ti++) {
			struct pte_table *tab = mm->pt->tabs[ti];
			if (!tab)
				continue;
			for (int i = 0; i < PTRS_PER_PTE; i++) {
				uint32_t v = tab->pte[i];
				unsigned long vpn = (USER_BASE >> PAGE_SHIFT) + ti * PTRS_PER_PTE + (unsigned long)i;
				if (v & PTE_PRESENT) {
					struct page *pg = pfn_to_page(pte_val_pfn(v));
					struct upage *u;
					anon++;
					if (page_type(pg) != PGTY_ANON || page_owner_data(pg) >= rs.nr_up) {
						fprintf(stderr, "memory_check: %s vpn %#lx: pte points at a non-anon page\n",
							e->t.comm, vpn);
						return -1;
					}
					u = up_of(page_owner_data(pg));
					if (u->owner != (uint32_t)mm->id || u->index != vpn || !(u->flags & UP_MAPPED)) {
						fprintf(stderr, "memory_check: %s vpn %#lx: rmap mismatch\n", e->t.comm, vpn);
						return -1;
					}
				} else if (v & PTE_SWAP) {
					swp++;
				}
			}
		}
		if (anon != mm->rss_stat[MM_ANONPAGES] || swp != mm->rss_stat[MM_SWAPENTS]) {
			fprintf(stderr, "memory_check: %s: ptes anon %ld swap %ld, counters %ld %ld\n", e->t.comm,
				anon, swp, mm->rss_stat[MM_ANONPAGES], mm->rss_stat[MM_SWAPENTS]);
			return -1;
		}
	}
	return 0;
}
