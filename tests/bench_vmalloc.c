/* SPDX-License-Identifier: MIT */
/*
 * tests/bench_vmalloc.c — vmalloc+vfree(64 KiB) pairs per host second (timing
 * off and on) and the simulated latency of vmalloc(64 KiB) and
 * kvmalloc(1 MiB) on the 2-socket preset (p50 / p99). Printed, never asserted.
 */
#include <stdio.h>
#include "machine/cpu.h"
#include "machine/machine.h"
#include "machine/memsys.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/percpu.h"
#include "mm/slab.h"
#include "mm/util.h"
#include "mm/vmalloc.h"
#include "sim/engine.h"
#include "sim/stats.h"
#include "tests/bench.h"

static int boot_small(bool timing)
{
	struct sim_params sp = { SIM_DEFAULT_QUANTUM, timing };
	struct machine_desc d;
	struct memsys_params mp;
	struct mm_params p;
	char err[256] = "";

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
	if (!slab_is_available() && kmem_cache_init() < 0)
		goto fail;
	if (vmalloc_init() < 0 || percpu_init(&p) < 0)
		goto fail;
	boot_ctx()->cpu = 0;
	return 0;
fail:
	fprintf(stderr, "bench_vmalloc: boot failed: %s\n", err);
	return -1;
}

static void run_pairs(void *arg)
{
	bool timing = arg != NULL;
	const long n = timing ? 50000 : 100000;
	char what[128];

	if (boot_small(timing) < 0)
		return;
	double t0 = bench_now();
	for (long i = 0; i < n; i++)
		vfree(vmalloc(64 << 10));
	double dt = bench_now() - t0;
	snprintf(what, sizeof(what), "vmalloc+vfree(64 KiB) pairs/s, timing %s", timing ? "on" : "off");
	bench_report(what, n / dt / 1e3, "k/s");
}

static void report(struct hist *h, const char *what)
{
	char buf[160];

	if (!h->count)
		return;
	snprintf(buf, sizeof(buf), "two-socket: %s p50 (simulated)", what);
	bench_report(buf, hist_percentile(h, 50) / 1000.0, "ns");
	snprintf(buf, sizeof(buf), "two-socket: %s p99 (simulated)", what);
	bench_report(buf, hist_percentile(h, 99) / 1000.0, "ns");
}

static void run_latency(void *arg)
{
	struct mm_params p;
	struct hist hv, hk;
	char err[256] = "";
	enum { N = 2000, LIVE = 64 };
	static void *live[LIVE];

	(void)arg;
	if (sim_init(NULL) < 0 || machine_build_preset("two-socket") < 0)
		return;
	mm_params_default(&p);
	if (mm_boot(&p, err, sizeof(err)) < 0 || (!slab_is_available() && kmem_cache_init() < 0) ||
	    vmalloc_init() < 0 || percpu_init(&p) < 0) {
		fprintf(stderr, "bench_vmalloc: %s\n", err);
		return;
	}
	boot_ctx()->cpu = 0;
	hist_init(&hv);
	hist_init(&hk);
	/* a window of 64 live areas, the oldest freed each step (lazy purges included) */
	for (int i = 0; i < N; i++) {
		int k = i % LIVE;
		vfree(live[k]);
		sim_time_t t0 = sim_now();
		live[k] = vmalloc(64 << 10);
		hist_add(&hv, sim_now() - t0);
	}
	for (int i = 0; i < LIVE; i++)
		vfree(live[i]);
	for (int i = 0; i < N; i++) {
		int k = i % LIVE;
		kvfree(live[k]);
		sim_time_t t0 = sim_now();
		live[k] = kvmalloc(1 << 20, GFP_KERNEL);
		hist_add(&hk, sim_now() - t0);
	}
	report(&hv, "vmalloc(64 KiB)");
	report(&hk, "kvmalloc(1 MiB)");
	bench_report("two-socket: kvmalloc(1 MiB) served by vmalloc",
		     (double)kvmalloc_path_count(KVMALLOC_PATH_VMALLOC), "calls");
	bench_report("two-socket: lazy vmap purges", (double)vmalloc_purge_count(), "purges");
	hist_free(&hv);
	hist_free(&hk);
}

void bench_vmalloc(void)
{
	bench_fork(run_pairs, NULL);
	bench_fork(run_pairs, (void *)1);
	bench_fork(run_latency, NULL);
}
