/* SPDX-License-Identifier: MIT */
/*
 * machine/cost.c — the cost API of machine/cost.h: what an access, a code
 * path or a bulk operation costs the current CPU.
 *
 * What it models
 *   - mem_access(va): per 4 KiB page touched, a TLB lookup (L1 dTLB →
 *     STLB (+stlb_hit_cycles) → page walk through the caches); per cache line
 *     touched, the hierarchy of machine/cache.c, whose answer becomes:
 *       L1 / L2 / LLC hit: that level's hit_cycles;
 *       snoop (line in another core of the node): LLC + snoop_cycles;
 *       remote cache (owned by another node): 0.8 × the DRAM latency from
 *         this node to the other node [U: cross-socket cache-to-cache ≈ 0.8 of
 *         remote DRAM on 2-socket Skylake-SP], at least an LLC hit;
 *       miss: dram_access() on the home node (queueing, row buffer), at least
 *         an LLC hit. DRAM latencies are load-to-use figures (MLC idle
 *         latency, pointer chase): they already include the trip through the
 *         cache hierarchy, so the LLC latency is not added on top.
 *     An access spanning several lines pays the slowest line plus one cycle
 *     per extra line (the lines are fetched in parallel).
 *   - mem_zero_phys / mem_copy_phys: bandwidth-bound through dram_stream();
 *     functionally the last min(len, 64 KiB) of the destination is written
 *     through the caches (what clear_page/copy_page leave cached), the rest
 *     is only streamed — cheap on the host and close to what stays cached.
 *   - cost_cycles: cycles at the current CPU's frequency (fixed-point ps).
 * With timing off every functional update still happens (TLB, caches, page
 * walks, LRU) but DRAM is not consulted and nothing is charged.
 * Addresses in the synthetic memmap window are served by the node of the
 * pfn they describe (a struct page lives on its page's node).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cache.h"
#include "machine/cost.h"
#include "machine/cpu.h"
#include "machine/dram.h"
#include "machine/memsys_int.h"
#include "machine/tlb.h"
#include "sim/log.h"

#define TOUCH_MAX (64 * 1024)
#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

static struct {
	bool ready, timing;
	int nr_cpus, nr_nodes;
	uint64_t *ps_per_cycle_x1k;     /* per CPU: ps per cycle × 1024 */
	int *cpu_node;
	int *near_remote;               /* per node: nearest other node (itself if none) */
	unsigned lvl_cycles[CACHE_NR_LEVELS];
	unsigned stlb_cycles;
	unsigned line_shift;
	enum tlb_size dm_sz;
} C;

int cost_init(const struct memsys_params *p, char *err, size_t errlen)
{
	cost_destroy();
	C.nr_cpus = machine_nr_cpus();
	C.nr_nodes = machine_nr_nodes();
	C.ps_per_cycle_x1k = calloc((size_t)C.nr_cpus, sizeof(*C.ps_per_cycle_x1k));
	C.cpu_node = calloc((size_t)C.nr_cpus, sizeof(*C.cpu_node));
	C.near_remote = calloc((size_t)C.nr_nodes, sizeof(*C.near_remote));
	if (!C.ps_per_cycle_x1k || !C.cpu_node || !C.near_remote) {
		snprintf(err, errlen, "cost: out of host memory");
		cost_destroy();
		return -ENOMEM;
	}
	for (int c = 0; c < C.nr_cpus; c++) {
		uint64_t hz = cpu_freq_hz(c);

		if (!hz)
			hz = 2500000000ULL;
		C.ps_per_cycle_x1k[c] = (uint64_t)(1024.0 * 1e12 / (double)hz + 0.5);
		C.cpu_node[c] = cpu_to_node(c) < 0 ? 0 : cpu_to_node(c);
	}
	for (int n = 0; n < C.nr_nodes; n++) {
		int best = n, bd = 1 << 30;

		for (int m = 0; m < C.nr_nodes; m++)
			if (m != n && node_has_memory(m) && node_distance(n, m) < bd) {
				bd = node_distance(n, m);
				best = m;
			}
		C.near_remote[n] = best;
	}
	C.lvl_cycles[CACHE_HIT_L1] = p->l1d.hit_cycles;
	C.lvl_cycles[CACHE_HIT_L2] = p->l2.hit_cycles;
	C.lvl_cycles[CACHE_HIT_LLC] = p->llc.hit_cycles;
	C.lvl_cycles[CACHE_HIT_SNOOP] = p->llc.hit_cycles + p->snoop_cycles;
	C.lvl_cycles[CACHE_HIT_REMOTE] = p->llc.hit_cycles;
	C.lvl_cycles[CACHE_MISS] = p->llc.hit_cycles;
	C.stlb_cycles = p->stlb_hit_cycles;
	C.line_shift = (unsigned)__builtin_ctz(p->l1d.line);
	C.timing = p->timing;
	C.dm_sz = p->direct_map_shift == PUD_SHIFT ? TLB_1G : TLB_2M;
	C.ready = true;
	return 0;
}

void cost_destroy(void)
{
	free(C.ps_per_cycle_x1k);
	free(C.cpu_node);
	free(C.near_remote);
	memset(&C, 0, sizeof(C));
}

bool cost_timing_on(void)
{
	return C.ready ? C.timing : true;
}

void memsys_charge(sim_time_t t)
{
	if (C.timing && t)
		sim_advance(t);
}

static inline int cur_cpu(void)
{
	int c = this_ctx()->cpu;

	return c >= 0 && c < C.nr_cpus ? c : 0;
}

sim_time_t memsys_cycles_ps(int cpu, unsigned cycles)
{
	if (!C.ready)
		return (sim_time_t)cycles * 400;        /* 2.5 GHz before the machine exists */
	return ((sim_time_t)cycles * C.ps_per_cycle_x1k[cpu]) >> 10;
}

void cost_cycles(unsigned cycles)
{
	if (!C.ready) {                 /* no machine yet: a 2.5 GHz CPU */
		sim_advance(memsys_cycles_ps(0, cycles));
		return;
	}
	if (C.timing)
		sim_advance(memsys_cycles_ps(cur_cpu(), cycles));
}

void cost_time(sim_time_t t)
{
	if (!C.ready || C.timing)
		sim_advance(t);
}

/* The physical address DRAM sees: memmap lines are served by their page's node. */
static inline phys_addr_t dram_pa(phys_addr_t pa)
{
	if (pa >= MEMMAP_PHYS_BASE && pa < SYNTH_PT_BASE)
		return ((pa - MEMMAP_PHYS_BASE) / STRUCT_PAGE_SIZE) << PAGE_SHIFT;
	return pa;
}

sim_time_t memsys_line_ps(int cpu, phys_addr_t pa, bool write)
{
	enum cache_level lvl = cache_access(cpu, pa, write);
	phys_addr_t wb;
	sim_time_t t;

	if (unlikely(cache_take_writeback(&wb)) && C.timing)      /* posted: bandwidth only */
		dram_access(C.cpu_node[cpu], dram_pa(wb), 1u << C.line_shift, true);
	if (!C.timing)
		return 0;
	t = memsys_cycles_ps(cpu, C.lvl_cycles[lvl]);
	if (lvl == CACHE_MISS) {
		/* DRAM latencies are load-to-use: they include the way through the caches */
		sim_time_t d = dram_access(C.cpu_node[cpu], dram_pa(pa), 1u << C.line_shift, false);

		if (d > t)
			t = d;
	} else if (lvl == CACHE_HIT_REMOTE) {
		int me = C.cpu_node[cpu], home = phys_to_nid(dram_pa(pa));
		sim_time_t d;

		if (home < 0 || home == me)
			home = C.near_remote[me];
		d = dram_latency(me, home) * 4 / 5;
		if (d > t)
			t = d;
	}
	return t;
}

/* Translate @va on @cpu: TLB, then a walk. Return -EFAULT if unmapped. */
static int translate(int cpu, unsigned long va, phys_addr_t *pa, sim_time_t *t)
{
	enum tlb_size sz;
	uint64_t pfn;
	enum tlb_result r;

	if (is_direct_map(va))
		sz = C.dm_sz;
	else if (va >= VMEMMAP_START && va < VMEMMAP_START + (1UL << 40))
		sz = TLB_2M;
	else
		sz = TLB_4K;
	r = tlb_lookup(cpu, va, sz, &pfn);
	if (r == TLB_MISS) {
		if (mmu_walk(cpu, va, &pfn, &sz, t)) {
			static unsigned warned;

			/* a kernel oops in real life: the model counts it and goes on */
			if (warned < 5 && ++warned)
				sim_warn("mmu: cpu %d: no translation for %#lx (counted in mmu.faults)%s",
					 cpu, va, warned == 5 ? "; not reporting more" : "");
			return -EFAULT;
		}
		tlb_insert(cpu, va, sz, pfn);
	} else if (r == TLB_HIT_STLB && C.timing) {
		*t += memsys_cycles_ps(cpu, C.stlb_cycles);
	}
	*pa = (pfn << PAGE_SHIFT) + (va & ((1UL << tlb_size_shift(sz)) - 1));
	return 0;
}

static sim_time_t access_lines(int cpu, unsigned long va, phys_addr_t pa0, bool virt,
			       unsigned size, bool write)
{
	unsigned long a = va >> C.line_shift << C.line_shift;
	unsigned long end = va + (size ? size : 1) - 1;
	unsigned long cur_page = ~0UL;
	phys_addr_t page_pa = 0;
	sim_time_t xlate = 0, worst = 0;
	unsigned lines = 0;

	for (; a <= end; a += 1UL << C.line_shift) {
		phys_addr_t pa;
		sim_time_t t;

		if (virt) {
			if ((a >> PAGE_SHIFT) != cur_page) {
				cur_page = a >> PAGE_SHIFT;
				if (translate(cpu, a & PAGE_MASK, &page_pa, &xlate))
					return C.timing ? xlate : 0;       /* fault: nothing accessed */
			}
			pa = page_pa + (a & ~PAGE_MASK);
		} else {
			pa = pa0 + (a - va);
		}
		t = memsys_line_ps(cpu, pa, write);
		if (t > worst)
			worst = t;
		lines++;
		if (a + (1UL << C.line_shift) < a)
			break;
	}
	if (!C.timing)
		return 0;
	return xlate + worst + (lines > 1 ? memsys_cycles_ps(cpu, lines - 1) : 0);
}

sim_time_t mem_access(unsigned long va, unsigned size, bool write)
{
	sim_time_t t;
	int cpu;

	if (!C.ready)
		return 0;
	cpu = cur_cpu();
	/* Fast path: the access lies in one line (hence in one page). */
	if (size && ((va & ((1UL << C.line_shift) - 1)) + size) <= (1UL << C.line_shift)) {
		phys_addr_t pa;

		t = 0;
		if (translate(cpu, va & PAGE_MASK, &pa, &t)) {
			memsys_charge(t);
			return C.timing ? t : 0;
		}
		t += memsys_line_ps(cpu, pa + (va & ~PAGE_MASK), write);
		if (!C.timing)
			return 0;
		sim_advance(t);
		return t;
	}
	t = access_lines(cpu, va, 0, true, size, write);
	memsys_charge(t);
	return t;
}

sim_time_t mem_access_phys(phys_addr_t pa, unsigned size, bool write)
{
	sim_time_t t;

	if (!C.ready)
		return 0;
	t = access_lines(cur_cpu(), (unsigned long)pa, pa, false, size, write);
	memsys_charge(t);
	return t;
}

/* Write the last min(len, TOUCH_MAX) bytes of [pa, pa+len) through the caches. */
static void touch_tail(int cpu, phys_addr_t pa, size_t len)
{
	size_t n = len < TOUCH_MAX ? len : TOUCH_MAX;
	phys_addr_t a = (pa + len - n) >> C.line_shift << C.line_shift;

	for (; a < pa + len; a += 1ULL << C.line_shift) {
		phys_addr_t wb;

		cache_access(cpu, a, true);
		if (cache_take_writeback(&wb) && C.timing)
			dram_access(C.cpu_node[cpu], dram_pa(wb), 1u << C.line_shift, true);
	}
}

sim_time_t mem_zero_phys(phys_addr_t pa, size_t len)
{
	sim_time_t t = 0;
	int cpu;

	if (!C.ready || !len)
		return 0;
	cpu = cur_cpu();
	touch_tail(cpu, pa, len);
	if (C.timing)
		t = dram_stream(C.cpu_node[cpu], pa, len, true);
	memsys_charge(t);
	return t;
}

sim_time_t mem_copy_phys(phys_addr_t dst, phys_addr_t src, size_t len)
{
	sim_time_t t = 0;
	int cpu;

	if (!C.ready || !len)
		return 0;
	cpu = cur_cpu();
	touch_tail(cpu, dst, len);
	if (C.timing) {
		sim_time_t r = dram_stream(C.cpu_node[cpu], src, len, false);
		sim_time_t w = dram_stream(C.cpu_node[cpu], dst, len, true);

		t = r > w ? r : w;
	}
	memsys_charge(t);
	return t;
}
