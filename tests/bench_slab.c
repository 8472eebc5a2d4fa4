/* SPDX-License-Identifier: MIT */
/*
 * tests/bench_slab.c — kmalloc+kfree throughput (host) and simulated latencies.
 *
 * A ring of 256 live objects: each step kfree()s the oldest and kmalloc()s a
 * new one with a size from a fixed mix (16 B .. 2 KiB, kmalloc-96/192
 * included), on a 1-node 4-CPU machine, timing off and on. Figures are
 * printed, never asserted.
 */
#include <stdio.h>
#include "machine/cpu.h"
#include "machine/machine.h"
#include "machine/memsys.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "sim/engine.h"
#include "sim/stats.h"
#include "tests/bench.h"

static int bench_boot(bool timing)
{
	struct sim_params sp = { SIM_DEFAULT_QUANTUM, timing };
	struct machine_desc d;
	struct memsys_params mp;
	struct mm_params p;
	char err[256];

	if (sim_init(&sp) < 0)
		return -1;
	machine_desc_init(&d);
	d.nr_nodes = 1;
	d.nr_cpus = 4;
	d.node_mem[0] = 512ULL << 20;
	if (machine_build_desc(&d, err, sizeof(err)) < 0)
		goto fail;
	memsys_default_params(&mp);
	mp.timing = timing;
	if (memsys_init(&mp, err, sizeof(err)) < 0)
		goto fail;
	mm_params_default(&p);
	p.timing = timing ? 1 : 0;
	if (mm_boot(&p, err, sizeof(err)) < 0)
		goto fail;
	if (kmem_cache_init() < 0) {
		snprintf(err, sizeof(err), "kmem_cache_init failed");
		goto fail;
	}
	boot_ctx()->cpu = 0;
	return 0;
fail:
	fprintf(stderr, "bench_slab: %s\n", err);
	return -1;
}

static const size_t mix[16] = { 16, 32, 64, 64, 96, 128, 128, 192,
				256, 64, 512, 32, 1024, 64, 2048, 128 };

static void run_pairs(void *arg)
{
	bool timing = arg != NULL;
	enum { RING = 256 };
	static void *ring[RING];
	const long n = timing ? 3000000 : 10000000;
	double t0, dt;
	char what[128];

	if (bench_boot(timing) < 0)
		return;
	for (int i = 0; i < RING; i++)
		ring[i] = kmalloc(mix[i & 15], GFP_KERNEL);
	t0 = bench_now();
	for (long i = 0; i < n; i++) {
		unsigned k = (unsigned)i & (RING - 1);

		kfree(ring[k]);
		ring[k] = kmalloc(mix[(i * 7) & 15], GFP_KERNEL);
	}
	dt = bench_now() - t0;
	snprintf(what, sizeof(what), "kmalloc+kfree pairs/s, size mix, timing %s",
		 timing ? "on" : "off");
	bench_report(what, n / dt / 1e6, "M/s");
	if (timing) {
		struct hist *h = stat_find_hist("slab.latency.kmalloc.fast");

		if (h && h->count) {
			bench_report("kmalloc fast path p50 (simulated)", hist_percentile(h, 50) / 1000.0, "ns");
			bench_report("kmalloc fast path p99 (simulated)", hist_percentile(h, 99) / 1000.0, "ns");
		}
		h = stat_find_hist("slab.latency.kmalloc.new_slab");
		if (h && h->count)
			bench_report("kmalloc with new slab p50 (simulated)", hist_percentile(h, 50) / 1000.0, "ns");
		h = stat_find_hist("slab.latency.kmalloc.slow");
		if (h && h->count)
			bench_report("kmalloc slow (partial) p50 (simulated)", hist_percentile(h, 50) / 1000.0, "ns");
	}
}

static void report_hist(const char *name, const char *what)
{
	struct hist *h = stat_find_hist(name);
	char buf[160];

	if (!h || !h->count)
		return;
	snprintf(buf, sizeof(buf), "two-socket: %s p50", what);
	bench_report(buf, hist_percentile(h, 50) / 1000.0, "ns");
	snprintf(buf, sizeof(buf), "two-socket: %s p99", what);
	bench_report(buf, hist_percentile(h, 99) / 1000.0, "ns");
}

/* Simulated latencies on the 2-socket preset: kmalloc-64 fast path and refills. */
static void run_latency(void *arg)
{
	struct mm_params p;
	char err[256];
	enum { N = 200000 };
	static void *obj[N];

	(void)arg;
	if (sim_init(NULL) < 0 || machine_build_preset("two-socket") < 0)
		return;
	mm_params_default(&p);
	if (mm_boot(&p, err, sizeof(err)) < 0 || kmem_cache_init() < 0) {
		fprintf(stderr, "bench_slab: %s\n", err);
		return;
	}
	boot_ctx()->cpu = 0;
	stats_reset();
	/* fill: every 64th kmalloc(64) needs a new slab from the page allocator */
	for (int i = 0; i < N; i++)
		obj[i] = kmalloc(64, GFP_KERNEL);
	report_hist("slab.latency.kmalloc.new_slab", "kmalloc-64 with new slab");
	/* free half (every other object: slabs go partial), then reallocate */
	for (int i = 0; i < N; i += 2)
		kfree(obj[i]);
	stats_reset();
	for (int i = 0; i < N; i += 2)
		obj[i] = kmalloc(64, GFP_KERNEL);
	report_hist("slab.latency.kmalloc.slow", "kmalloc-64 refill from partial slabs");
	report_hist("slab.latency.kmalloc.fast", "kmalloc-64 fast path");
	report_hist("slab.latency.kfree.fast", "kfree fast path");
}

void bench_slab(void)
{
	bench_fork(run_pairs, NULL);
	bench_fork(run_pairs, (void *)1);
	bench_fork(run_latency, NULL);
}
