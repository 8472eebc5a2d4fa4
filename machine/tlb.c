/* SPDX-License-Identifier: MIT */
/*
 * machine/tlb.c — per-CPU TLBs, paging-structure caches, TLB maintenance and
 * shootdowns (flush_tlb_kernel_range / flush_tlb_all / flush_tlb_local_page).
 *
 * What it models
 *   - L1 dTLB: one array per page size (Skylake: 64×4-way 4K, 32×4-way 2M,
 *     4 fully-associative 1G); STLB: 1536×12-way holding 4K and 2M
 *     translations (indexed by the page number of their own size, tag
 *     includes the size), plus 16×4-way 1G entries. An L1 miss that hits the
 *     STLB costs stlb_hit_cycles and refills the L1 array.
 *   - Paging-structure caches: PML4E / PDPTE / PDE caches keyed by the upper
 *     virtual-address bits, holding the next table's physical address.
 *   - invlpg drops the translations of every size covering the address and,
 *     as the SDM allows, all paging-structure-cache entries.
 *   - flush_tlb_kernel_range(): more than tlb_single_page_flush_ceiling (33)
 *     pages → full flush, else one invlpg per 4 KiB page; done on this CPU
 *     and, through IPIs, on every other CPU (kernel mappings are global and
 *     live on all CPUs). The initiator is charged its own flush, plus one
 *     shootdown round (ipi_time) and the remote flush it waits for; the
 *     remote CPUs' state is flushed functionally but their time is not
 *     charged (simplification: no interrupt is injected into their process).
 * Invariants: see tlb_check (no duplicate tags in a set, unique stamps).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cost.h"
#include "machine/cpu.h"
#include "machine/memsys_int.h"
#include "machine/tlb.h"
#include "sim/log.h"
#include "sim/stats.h"

#define TE_VALID 1ULL
#define TE_SHIFT 3                      /* tag = key << 3 | size << 1 | valid */

struct tlb_entry {
	uint64_t tag;
	uint64_t val;                   /* pfn (TLB) or table pa (PSC) */
	uint64_t stamp;
};

struct tlb_array {
	unsigned sets, ways;
	uint64_t set_mask;
	uint64_t clock;
	struct tlb_entry *e;            /* NULL: the array does not exist */
	struct tlb_entry *last;         /* the entry hit or filled last (a search hint) */
};

enum { A_L1_4K, A_L1_2M, A_L1_1G, A_STLB, A_STLB_1G, A_PML4E, A_PDPTE, A_PDE, A_NR };

struct tlb_cpu {
	struct tlb_array a[A_NR];
};

static uint64_t dummy[12];

static struct {
	bool ready, psc;
	int nr_cpus;
	struct tlb_cpu *cpu;
	struct memsys_params p;
	uint64_t *dtlb_hits, *stlb_hits, *misses, *invlpg, *full_flushes, *shootdowns, *ipis;
	uint64_t *walks, *walk_loads, *faults;
} T;

static bool pow2(uint64_t x) { return x && !(x & (x - 1)); }

static int geom_check(const struct tlb_geom *g, const char *what, char *err, size_t errlen)
{
	if (!g->entries)
		return 0;
	if (!g->ways || g->ways > g->entries || g->entries % g->ways || !pow2(g->entries / g->ways)) {
		snprintf(err, errlen, "%s: %u entries in %u ways: the set count must be a power of two",
			 what, g->entries, g->ways);
		return -EINVAL;
	}
	return 0;
}

static int array_init(struct tlb_array *a, const struct tlb_geom *g)
{
	memset(a, 0, sizeof(*a));
	if (!g->entries)
		return 0;
	a->ways = g->ways;
	a->sets = g->entries / g->ways;
	a->set_mask = a->sets - 1;
	a->e = calloc(g->entries, sizeof(*a->e));
	return a->e ? 0 : -ENOMEM;
}

static inline struct tlb_entry *array_find(struct tlb_array *a, uint64_t key, unsigned code, bool touch)
{
	struct tlb_entry *set;
	uint64_t want = key << TE_SHIFT | (uint64_t)code << 1 | TE_VALID;

	if (a->last && a->last->tag == want) {
		if (touch)
			a->last->stamp = ++a->clock;
		return a->last;
	}
	if (!a->e)
		return NULL;
	set = a->e + (size_t)(key & a->set_mask) * a->ways;
	for (unsigned w = 0; w < a->ways; w++) {
		if (set[w].tag == want) {
			if (touch) {
				set[w].stamp = ++a->clock;
				a->last = &set[w];
			}
			return &set[w];
		}
	}
	return NULL;
}

static void array_insert(struct tlb_array *a, uint64_t key, unsigned code, uint64_t val)
{
	struct tlb_entry *set, *v;

	if (!a->e)
		return;
	if ((v = array_find(a, key, code, true))) {
		v->val = val;
		return;
	}
	set = a->e + (size_t)(key & a->set_mask) * a->ways;
	v = &set[0];
	for (unsigned w = 0; w < a->ways; w++) {
		if (!(set[w].tag & TE_VALID)) {
			v = &set[w];
			break;
		}
		if (set[w].stamp < v->stamp)
			v = &set[w];
	}
	v->tag = key << TE_SHIFT | (uint64_t)code << 1 | TE_VALID;
	v->val = val;
	v->stamp = ++a->clock;
	a->last = v;
}

static void array_flush(struct tlb_array *a)
{
	if (a->e)
		memset(a->e, 0, (size_t)a->sets * a->ways * sizeof(*a->e));
}

static uint64_t *counter(const char *name, const char *desc, int slot)
{
	uint64_t *p = stat_counter(name, "events", desc, STAT_SUMMARY);

	return p ? p : &dummy[slot];
}

int tlb_init(const struct memsys_params *p, char *err, size_t errlen)
{
	static const char *const names[A_NR] = { "dtlb_4k", "dtlb_2m", "dtlb_1g", "stlb", "stlb_1g",
						 "pml4e_cache", "pdpte_cache", "pde_cache" };
	const struct tlb_geom *g[A_NR] = { &p->dtlb_4k, &p->dtlb_2m, &p->dtlb_1g, &p->stlb,
					   &p->stlb_1g, &p->pml4e_cache, &p->pdpte_cache,
					   &p->pde_cache };

	tlb_destroy();
	for (int i = 0; i < A_NR; i++)
		if (geom_check(g[i], names[i], err, errlen))
			return -EINVAL;
	T.p = *p;
	T.psc = p->pscache;
	T.nr_cpus = machine_nr_cpus();
	if (T.nr_cpus <= 0) {
		snprintf(err, errlen, "tlb: the machine has no CPUs");
		return -EINVAL;
	}
	T.cpu = calloc((size_t)T.nr_cpus, sizeof(*T.cpu));
	if (!T.cpu)
		goto nomem;
	for (int c = 0; c < T.nr_cpus; c++)
		for (int i = 0; i < A_NR; i++) {
			if (i >= A_PML4E && !T.psc)
				continue;
			if (array_init(&T.cpu[c].a[i], g[i]))
				goto nomem;
		}
	T.dtlb_hits = counter("tlb.dtlb_hits", "L1 dTLB hits", 0);
	T.stlb_hits = counter("tlb.stlb_hits", "L1 dTLB misses that hit the STLB", 1);
	T.misses = counter("tlb.misses", "STLB misses (page walks)", 2);
	T.invlpg = counter("tlb.invlpg", "single-page invalidations (all CPUs)", 3);
	T.full_flushes = counter("tlb.full_flushes", "full TLB flushes (all CPUs)", 4);
	T.shootdowns = counter("tlb.shootdowns", "TLB shootdown rounds initiated", 5);
	T.ipis = counter("tlb.shootdown_ipis", "TLB shootdown IPIs sent", 6);
	T.walks = counter("mmu.walks", "page walks", 7);
	T.walk_loads = counter("mmu.walk_loads", "paging-structure entries loaded by walks", 8);
	T.faults = counter("mmu.faults", "walks that found no translation", 9);
	T.ready = true;
	return 0;
nomem:
	snprintf(err, errlen, "tlb: out of host memory");
	tlb_destroy();
	return -ENOMEM;
}

void tlb_destroy(void)
{
	if (T.cpu)
		for (int c = 0; c < T.nr_cpus; c++)
			for (int i = 0; i < A_NR; i++)
				free(T.cpu[c].a[i].e);
	free(T.cpu);
	memset(&T, 0, sizeof(T));
}

static inline int l1_array(enum tlb_size sz)
{
	return sz == TLB_4K ? A_L1_4K : sz == TLB_2M ? A_L1_2M : A_L1_1G;
}

static inline int l2_array(enum tlb_size sz)
{
	return sz == TLB_1G ? A_STLB_1G : A_STLB;
}

enum tlb_result tlb_lookup(int cpu, unsigned long va, enum tlb_size sz, uint64_t *pfn)
{
	struct tlb_cpu *tc = &T.cpu[cpu];
	uint64_t key = va >> tlb_size_shift(sz);
	struct tlb_entry *e = array_find(&tc->a[l1_array(sz)], key, sz, true);

	if (e) {
		(*T.dtlb_hits)++;
		*pfn = e->val;
		return TLB_HIT_L1;
	}
	e = array_find(&tc->a[l2_array(sz)], key, sz, true);
	if (e) {
		(*T.stlb_hits)++;
		*pfn = e->val;
		array_insert(&tc->a[l1_array(sz)], key, sz, e->val);
		return TLB_HIT_STLB;
	}
	(*T.misses)++;
	return TLB_MISS;
}

void tlb_insert(int cpu, unsigned long va, enum tlb_size sz, uint64_t pfn)
{
	struct tlb_cpu *tc = &T.cpu[cpu];
	uint64_t key = va >> tlb_size_shift(sz);

	array_insert(&tc->a[l2_array(sz)], key, sz, pfn);
	array_insert(&tc->a[l1_array(sz)], key, sz, pfn);
}

bool tlb_present(int cpu, unsigned long va, enum tlb_size sz)
{
	struct tlb_cpu *tc;
	uint64_t key = va >> tlb_size_shift(sz);

	if (!T.ready || cpu < 0 || cpu >= T.nr_cpus)
		return false;
	tc = &T.cpu[cpu];
	return array_find(&tc->a[l1_array(sz)], key, sz, false) ||
	       array_find(&tc->a[l2_array(sz)], key, sz, false);
}

static const unsigned psc_shift[3] = { 39, 30, 21 };

bool tlb_psc_lookup(int cpu, enum tlb_psc lvl, unsigned long va, uint64_t *table_pa)
{
	struct tlb_entry *e;

	if (!T.psc)
		return false;
	e = array_find(&T.cpu[cpu].a[A_PML4E + lvl], va >> psc_shift[lvl], 3, true);
	if (!e)
		return false;
	*table_pa = e->val;
	return true;
}

void tlb_psc_insert(int cpu, enum tlb_psc lvl, unsigned long va, uint64_t table_pa)
{
	if (T.psc)
		array_insert(&T.cpu[cpu].a[A_PML4E + lvl], va >> psc_shift[lvl], 3, table_pa);
}

bool tlb_psc_enabled(void)
{
	return T.psc;
}

void tlb_invlpg_cpu(int cpu, unsigned long va)
{
	struct tlb_cpu *tc = &T.cpu[cpu];

	for (int s = TLB_4K; s <= TLB_1G; s++) {
		uint64_t key = va >> tlb_size_shift((enum tlb_size)s);
		struct tlb_entry *e;

		if ((e = array_find(&tc->a[l1_array((enum tlb_size)s)], key, (unsigned)s, false)))
			e->tag = 0;
		if ((e = array_find(&tc->a[l2_array((enum tlb_size)s)], key, (unsigned)s, false)))
			e->tag = 0;
	}
	if (T.psc)
		for (int i = A_PML4E; i <= A_PDE; i++)
			array_flush(&tc->a[i]);
	(*T.invlpg)++;
}

void tlb_flush_cpu(int cpu)
{
	for (int i = 0; i < A_NR; i++)
		array_flush(&T.cpu[cpu].a[i]);
	(*T.full_flushes)++;
}

void tlb_get_counts(struct tlb_counts *out)
{
	memset(out, 0, sizeof(*out));
	if (!T.ready)
		return;
	out->dtlb_hits = *T.dtlb_hits;
	out->stlb_hits = *T.stlb_hits;
	out->misses = *T.misses;
	out->invlpg = *T.invlpg;
	out->full_flushes = *T.full_flushes;
	out->shootdowns = *T.shootdowns;
	out->shootdown_ipis = *T.ipis;
	out->walks = *T.walks;
	out->walk_loads = *T.walk_loads;
	out->faults = *T.faults;
}

void tlb_count_walk(unsigned loads, bool fault)
{
	(*T.walks)++;
	*T.walk_loads += loads;
	if (fault)
		(*T.faults)++;
}

int tlb_check(void)
{
	if (!T.ready)
		return 0;
	for (int c = 0; c < T.nr_cpus; c++)
		for (int i = 0; i < A_NR; i++) {
			struct tlb_array *a = &T.cpu[c].a[i];

			for (unsigned s = 0; a->e && s < a->sets; s++) {
				struct tlb_entry *set = a->e + (size_t)s * a->ways;

				for (unsigned w = 0; w < a->ways; w++) {
					if (!(set[w].tag & TE_VALID))
						continue;
					if (((set[w].tag >> TE_SHIFT) & a->set_mask) != s ||
					    set[w].stamp > a->clock) {
						sim_error("tlb: cpu %d array %d set %u way %u misplaced", c, i, s, w);
						return -1;
					}
					for (unsigned x = w + 1; x < a->ways; x++)
						if (set[x].tag == set[w].tag ||
						    ((set[x].tag & TE_VALID) && set[x].stamp == set[w].stamp)) {
							sim_error("tlb: cpu %d array %d set %u: duplicate", c, i, s);
							return -1;
						}
				}
			}
		}
	return 0;
}

/* ---- TLB maintenance of machine/cost.h ------------------------------------ */

static int cur_cpu(void)
{
	int c = this_ctx()->cpu;

	return c >= 0 && c < T.nr_cpus ? c : 0;
}

/* Flush on one CPU; return the time it takes there. */
static sim_time_t flush_one(int cpu, unsigned long start, unsigned long end, bool all)
{
	if (all) {
		tlb_flush_cpu(cpu);
		return T.p.full_flush_time;
	}
	for (unsigned long va = start; va < end; va += PAGE_SIZE)
		tlb_invlpg_cpu(cpu, va);
	return (sim_time_t)((end - start) >> PAGE_SHIFT) * T.p.invlpg_time;
}

static void flush_everywhere(unsigned long start, unsigned long end, bool all)
{
	int self = cur_cpu();
	sim_time_t local, t;

	local = flush_one(self, start, end, all);
	t = local;
	if (T.nr_cpus > 1) {
		for (int c = 0; c < T.nr_cpus; c++)
			if (c != self)
				flush_one(c, start, end, all);
		(*T.shootdowns)++;
		*T.ipis += (uint64_t)(T.nr_cpus - 1);
		t += T.p.ipi_time + local;      /* remote CPUs flush in parallel; wait for them */
	}
	memsys_charge(t);
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	if (!T.ready || end <= start)
		return;
	start &= PAGE_MASK;
	end = (end + PAGE_SIZE - 1) & PAGE_MASK;
	flush_everywhere(start, end, ((end - start) >> PAGE_SHIFT) > T.p.flush_ceiling);
}

void flush_tlb_all(void)
{
	if (T.ready)
		flush_everywhere(0, 0, true);
}

void flush_tlb_local_page(unsigned long va)
{
	if (!T.ready)
		return;
	tlb_invlpg_cpu(cur_cpu(), va & PAGE_MASK);
	memsys_charge(T.p.invlpg_time);
}
