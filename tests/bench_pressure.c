// SPDX-License-Identifier: MIT
/*
 * tests/bench_pressure.c — memory-pressure figures (`make bench`): a hog
 * growing until it is OOM-killed (or its fault fails) on the 2-socket preset
 * shrunk to 192 MiB per node, next to a reader cycling through a file
 * (page cache) and with 64 MiB of swap. Reports simulated seconds per host
 * second and reclaim operations (pages scanned by kswapd and direct reclaim)
 * per host second, plus the reclaim and swap totals of the run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cpu.h"
#include "machine/machine.h"
#include "mm/memory.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "sim/engine.h"
#include "sim/log.h"
#include "sim/stats.h"
#include "tests/bench.h"

#define MiB (1ULL << 20)

struct hog_state {
	struct task_struct *t;
	int rc;
	bool done;
	unsigned long pages;
};

static void hog_fn(void *arg)
{
	struct hog_state *h = arg;
	unsigned long addr = task_mmap(h->t, 2048 * MiB);

	for (unsigned long a = addr; !h->rc; a += PAGE_SIZE) {
		h->rc = task_touch_anon(h->t, a, true);
		if (!h->rc)
			h->pages++;
		if ((h->pages & 255) == 0)
			sim_sleep(50 * SIM_US);         /* think time every 1 MiB */
	}
	task_exit(h->t);
	h->done = true;
}

struct reader_state {
	struct task_struct *t;
	struct file_model *f;
	bool *stop;
};

static void reader_fn(void *arg)
{
	struct reader_state *r = arg;

	while (!*r->stop) {
		for (uint64_t off = 0; off < 96 * MiB && !*r->stop; off += 256 * 1024) {
			if (file_read(r->f, off, 256 * 1024))
				break;
			sim_sleep(100 * SIM_US);
		}
	}
	task_exit(r->t);
}

static uint64_t ctr(const char *name)
{
	uint64_t *p = stat_find_counter(name);
	return p ? *p : 0;
}

static void run(void *arg)
{
	struct sim_params sp = { SIM_DEFAULT_QUANTUM, true };
	struct mm_params mp;
	struct pressure_params pp;
	struct hog_state h = { 0 };
	struct reader_state r = { 0 };
	bool stop = false;
	char err[512];
	double t0, t1;
	sim_time_t now = 0;

	(void)arg;
	sim_log_set_level(SIM_LOG_ERROR);
	if (sim_init(&sp) || machine_build_yaml("preset: two-socket\nmemory_per_node: 192MiB\n", err, sizeof(err))) {
		fprintf(stderr, "bench_pressure: %s\n", err);
		return;
	}
	mm_params_default(&mp);
	mp.timing = 1;
	if (mm_boot(&mp, err, sizeof(err))) {
		fprintf(stderr, "bench_pressure: %s\n", err);
		return;
	}
	pressure_params_default(&pp);
	pp.swap_size = 64 * MiB;
	if (reclaim_init(&pp, err, sizeof(err))) {
		fprintf(stderr, "bench_pressure: %s\n", err);
		return;
	}
	h.t = task_create("hog", 0);
	r.t = task_create("reader", 0);
	r.f = file_create("data", 96 * MiB);
	r.stop = &stop;
	cpu_spawn("hog", 1, CTX_TASK, hog_fn, &h, h.t, 0);
	cpu_spawn("reader", 2, CTX_TASK, reader_fn, &r, r.t, 0);
	t0 = bench_now();
	while (!h.done && now < 600 * SIM_SEC) {
		now += 100 * SIM_MS;
		sim_run(now);
	}
	stop = true;
	sim_run(now + SIM_SEC);
	t1 = bench_now();
	uint64_t scans = ctr("mm.vmstat.pgscan_kswapd") + ctr("mm.vmstat.pgscan_direct");
	bench_report("pressure: hog to OOM, 2-socket 2x192MiB + 64MiB swap: sim s / host s",
		     (double)sim_now() / (double)SIM_SEC / (t1 - t0), "x");
	bench_report("pressure: reclaim operations (pages scanned) per host second", (double)scans / (t1 - t0), "pages/s");
	bench_report("pressure: simulated seconds until the hog ended", (double)sim_now() / (double)SIM_SEC, "s");
	bench_report("pressure: hog pages faulted", (double)h.pages, "pages");
	bench_report("pressure: pgscan_kswapd", (double)ctr("mm.vmstat.pgscan_kswapd"), "pages");
	bench_report("pressure: pgscan_direct", (double)ctr("mm.vmstat.pgscan_direct"), "pages");
	bench_report("pressure: pswpout", (double)ctr("mm.vmstat.pswpout"), "pages");
	bench_report("pressure: oom_kill", (double)ctr("mm.vmstat.oom_kill"), "kills");
	bench_report("pressure: host seconds", t1 - t0, "s");
}

void bench_pressure(void)
{
	bench_fork(run, NULL);
}
