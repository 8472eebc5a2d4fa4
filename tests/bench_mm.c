// SPDX-License-Identifier: MIT
/*
 * tests/bench_mm.c — page allocator figures (`make bench`):
 *  - order-0 alloc+free pairs per host second, timing off and on;
 *  - mixed-order random alloc/free ops per host second;
 *  - boot time and host RSS of the 4-node 1 TiB preset; host bytes per simulated page.
 * Each figure runs in a forked child (fresh SystemC, fresh machine).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include "machine/machine.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "sim/engine.h"
#include "sim/rng.h"
#include "tests/bench.h"

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmRSS:", 6))
			kb = strtol(line + 6, NULL, 10);
	fclose(f);
	return kb;
}

static int boot(const char *preset, bool timing)
{
	struct sim_params sp;
	struct mm_params p;
	char err[512];

	memset(&sp, 0, sizeof(sp));
	sp.timing = timing;
	sp.quantum = SIM_US;
	if (sim_init(&sp) < 0 || machine_build_preset(preset))
		return -1;
	mm_params_default(&p);
	p.init_slab = false;
	p.timing = timing;
	if (mm_boot(&p, err, sizeof(err))) {
		fprintf(stderr, "bench_mm: %s\n", err);
		return -1;
	}
	return 0;
}

static void bench_pairs(void *arg)
{
	bool timing = arg != NULL;
	const long n = timing ? 2000000 : 20000000;

	if (boot("tiny", timing))
		exit(1);
	double t0 = bench_now();
	for (long i = 0; i < n; i++) {
		struct page *pg = alloc_pages(GFP_KERNEL, 0);
		__free_pages(pg, 0);
	}
	double dt = bench_now() - t0;
	bench_report(timing ? "page_alloc order-0 alloc+free pairs, timing on" :
		     "page_alloc order-0 alloc+free pairs, timing off", n / dt, "pairs/s");
	exit(0);
}

#define NSLOTS 4096
static void bench_mixed(void *arg)
{
	static struct page *slot[NSLOTS];
	static unsigned char order[NSLOTS];
	const long n = 3000000;
	static const gfp_t gfps[] = { GFP_KERNEL, GFP_HIGHUSER_MOVABLE, GFP_KERNEL | __GFP_RECLAIMABLE,
				      GFP_ATOMIC | __GFP_NOWARN };
	uint64_t x = 88172645463325252ULL;
	(void)arg;

	if (boot("tiny", false))
		exit(1);
	double t0 = bench_now();
	for (long i = 0; i < n; i++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		unsigned s = (unsigned)(x % NSLOTS);
		if (slot[s]) {
			__free_pages(slot[s], order[s]);
			slot[s] = NULL;
		} else {
			unsigned o = (unsigned)((x >> 20) % 16);
			o = o < 10 ? 0 : o - 9;        /* mostly order 0, some 1..6 */
			slot[s] = alloc_pages(gfps[(x >> 40) & 3] | __GFP_NOWARN, o);
			order[s] = (unsigned char)o;
		}
	}
	double dt = bench_now() - t0;
	bench_report("page_alloc mixed-order random ops (tiny, 4096 slots)", n / dt, "ops/s");
	exit(0);
}

static void bench_boot(void *arg)
{
	struct sim_params sp;
	struct mm_params p;
	char err[512];
	(void)arg;

	memset(&sp, 0, sizeof(sp));
	if (sim_init(&sp) < 0 || machine_build_preset("four-node-1tib"))
		exit(1);
	long rss0 = rss_kb();
	mm_params_default(&p);
	p.init_slab = false;
	double t0 = bench_now();
	if (mm_boot(&p, err, sizeof(err))) {
		fprintf(stderr, "bench_mm: %s\n", err);
		exit(1);
	}
	double dt = bench_now() - t0;
	long rss1 = rss_kb();
	bench_report("mm_boot four-node-1tib host time", dt, "s");
	bench_report("mm_boot four-node-1tib host RSS (process)", rss1 / 1024.0, "MiB");
	bench_report("mm_boot four-node-1tib host RSS added by mm", (rss1 - rss0) / 1024.0, "MiB");
	bench_report("host bytes per simulated 4 KiB page (after boot)",
		     (rss1 - rss0) * 1024.0 / (double)(machine_total_ram() >> 12), "B/page");
	bench_report("struct page size (mem_map, lazily touched)", (double)sizeof(struct page), "B/page");
	/* touch: allocate 1 GiB of order-0 pages and measure again */
	double t1 = bench_now();
	for (long i = 0; i < 262144; i++)
		alloc_pages(GFP_KERNEL, 0);
	bench_report("1 GiB of order-0 allocations on four-node-1tib", bench_now() - t1, "s");
	exit(0);
}

void bench_mm(void)
{
	bench_fork(bench_pairs, NULL);
	bench_fork(bench_pairs, (void *)1);
	bench_fork(bench_mixed, NULL);
	bench_fork(bench_boot, NULL);
	/* ---- kmalloc benches (slab engineer): add below this line ---- */
}
