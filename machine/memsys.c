/* SPDX-License-Identifier: MIT */
/*
 * machine/memsys.c — parameters, validation and lifetime of the memory
 * system (caches, TLBs, MMU, cost model). See machine/memsys.h.
 *
 * Defaults: Skylake-SP, from ../shared/reference/timing-defaults.md §5; each
 * number carries its tag there ([S] cited source, [U] recalled placeholder).
 */
#include <errno.h>
#include <string.h>
#include "machine/cache.h"
#include "machine/cost.h"
#include "machine/memsys.h"
#include "machine/memsys_int.h"
#include "machine/tlb.h"
#include "sim/log.h"

static struct {
	bool ready;
	struct memsys_params p;
} S;

void memsys_default_params(struct memsys_params *p)
{
	memset(p, 0, sizeof(*p));
	/* Skylake-SP L1D: 32 KB, 8-way, 4 cycles [S: AnandTech SKL-X review] */
	p->l1d = (struct cache_geom){ 32 * 1024, 8, 64, 4 };
	/* Skylake-SP L2: 1 MB, 16-way, 11-13 cycles, private [S: same] */
	p->l2 = (struct cache_geom){ 1024 * 1024, 16, 64, 12 };
	/*
	 * Skylake-SP L3: 1.375 MB per core, 11-way, ~77 cycles [S: same]; one LLC
	 * per node sized for 16 cores = 22 MiB (32768 sets of 11 ways).
	 */
	p->llc = (struct cache_geom){ 22ULL * 1024 * 1024, 11, 64, 77 };
	/* Cache-to-cache transfer inside a socket beyond an LLC hit [U: placeholder]. */
	p->snoop_cycles = 30;

	/* Skylake L1 dTLB 4K: 64 entries, 4-way [S: AnandTech] */
	p->dtlb_4k = (struct tlb_geom){ 64, 4 };
	/* L1 dTLB 2M/4M: 32 entries, 4-way [U] */
	p->dtlb_2m = (struct tlb_geom){ 32, 4 };
	/* L1 dTLB 1G: 4 entries, fully associative [U] */
	p->dtlb_1g = (struct tlb_geom){ 4, 4 };
	/* STLB: 1536 entries, 12-way, 4K + 2M [S: AnandTech] */
	p->stlb = (struct tlb_geom){ 1536, 12 };
	/* STLB 1G: 16 entries, 4-way [U] */
	p->stlb_1g = (struct tlb_geom){ 16, 4 };
	/* STLB hit ≈ 12 cycles; a walk hitting the cache adds ≈ 20 cycles (Haswell) [S: mynavi] */
	p->stlb_hit_cycles = 12;
	p->walk_base_cycles = 8;        /* walker overhead beyond the loads [U] */

	/* Paging-structure caches [U: sizes not in the reference; small, as on Intel] */
	p->pscache = true;
	p->pml4e_cache = (struct tlb_geom){ 2, 2 };
	p->pdpte_cache = (struct tlb_geom){ 4, 4 };
	p->pde_cache = (struct tlb_geom){ 32, 4 };

	/* Linux x86-64 maps the direct map with 1 GiB pages when the CPU has gbpages. */
	p->direct_map_shift = 30;

	/* invlpg ~100 ns per page; above 33 pages a full flush [S: arch/x86/mm/tlb.c comment] */
	p->invlpg_time = 100 * SIM_NS;
	p->flush_ceiling = 33;
	/* Full flush (CR3/CR4 write, refills not included) [U: placeholder 500 ns] */
	p->full_flush_time = 500 * SIM_NS;
	/* Shootdown: "can take microseconds", remote ACK >= 1000 cycles [S: Amit ATC'17] */
	p->ipi_time = 2 * SIM_US;

	p->timing = true;
}

int memsys_validate(const struct memsys_params *p, char *err, size_t errlen)
{
	const struct { const struct tlb_geom *g; const char *n; } t[] = {
		{ &p->dtlb_4k, "dtlb_4k" }, { &p->dtlb_2m, "dtlb_2m" }, { &p->dtlb_1g, "dtlb_1g" },
		{ &p->stlb, "stlb" }, { &p->stlb_1g, "stlb_1g" }, { &p->pml4e_cache, "pml4e_cache" },
		{ &p->pdpte_cache, "pdpte_cache" }, { &p->pde_cache, "pde_cache" },
	};
	int rc;

	if ((rc = cache_geom_check(&p->l1d, "l1d", err, errlen)) ||
	    (rc = cache_geom_check(&p->l2, "l2", err, errlen)) ||
	    (rc = cache_geom_check(&p->llc, "llc", err, errlen)))
		return rc;
	if (p->l2.line != p->l1d.line || p->llc.line != p->l1d.line) {
		snprintf(err, errlen, "caches: l1d, l2 and llc must use one line size (%u, %u, %u)",
			 p->l1d.line, p->l2.line, p->llc.line);
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const struct tlb_geom *g = t[i].g;
		unsigned sets;

		if (!g->entries) {
			if (i < 4 && i != 2) {
				snprintf(err, errlen, "%s: needs at least one entry", t[i].n);
				return -EINVAL;
			}
			continue;
		}
		if (!g->ways || g->ways > g->entries || g->entries % g->ways) {
			snprintf(err, errlen, "%s: %u entries do not divide into %u ways", t[i].n,
				 g->entries, g->ways);
			return -EINVAL;
		}
		sets = g->entries / g->ways;
		if (sets & (sets - 1)) {
			snprintf(err, errlen, "%s: set count %u is not a power of two", t[i].n, sets);
			return -EINVAL;
		}
	}
	if (p->direct_map_shift != 21 && p->direct_map_shift != 30) {
		snprintf(err, errlen, "direct_map: page size must be 2MiB or 1GiB");
		return -EINVAL;
	}
	return 0;
}

int memsys_init(const struct memsys_params *p, char *err, size_t errlen)
{
	int rc;

	memsys_destroy();
	if ((rc = memsys_validate(p, err, errlen)))
		return rc;
	if (machine_nr_cpus() <= 0 || machine_nr_nodes() <= 0) {
		snprintf(err, errlen, "memsys: build the topology first");
		return -EINVAL;
	}
	S.p = *p;
	if ((rc = cache_hier_init(p, err, errlen)) || (rc = tlb_init(p, err, errlen)) ||
	    (rc = cost_init(p, err, errlen)) || (rc = mmu_init(p, err, errlen))) {
		memsys_destroy();
		return rc;
	}
	S.ready = true;
	return 0;
}

void memsys_destroy(void)
{
	mmu_destroy();
	cost_destroy();
	tlb_destroy();
	cache_hier_destroy();
	S.ready = false;
}

bool memsys_ready(void)
{
	return S.ready;
}

const struct memsys_params *memsys_get_params(void)
{
	return &S.p;
}

int memsys_check(void)
{
	if (!S.ready)
		return 0;
	if (cache_hier_check() || tlb_check() || mmu_check())
		return -1;
	return 0;
}
