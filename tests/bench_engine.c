/* SPDX-License-Identifier: MIT */
/*
 * tests/bench_engine.c — engine throughput for `make bench`.
 *
 * An "event" is one sim_advance() of a pseudo-random 1–100 ns (xorshift per
 * process, fixed seeds). Each configuration (1, 16, 256 processes; quantum
 * 1 µs = temporal decoupling, or 0 = synchronise with SystemC on every
 * advance) runs in its own forked child, because SystemC can be elaborated
 * only once per host process. Figures: simulated events per host second and
 * process context switches per host second.
 */
#include <stdio.h>
#include <stdint.h>
#include "sim/engine.h"
#include "tests/bench.h"

struct bench_cfg {
	int nproc;
	sim_time_t quantum;
	uint64_t events;        /* total over all processes */
};

struct bench_proc {
	uint64_t n;
	uint64_t state;
};

static void bench_proc_fn(void *ctx)
{
	struct bench_proc *bp = ctx;
	uint64_t x = bp->state;

	for (uint64_t i = 0; i < bp->n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		sim_advance((x % 100 + 1) * SIM_NS);
		sim_cond_resched();     /* a preemption point per event: the quantum keeper decides */
	}
	bp->state = x;
}

static struct bench_proc procs[256];

static void bench_one(void *arg)
{
	const struct bench_cfg *c = arg;
	struct sim_params prm = { .quantum = c->quantum, .timing = true };
	struct sim_engine_stats st;
	char what[96];
	double t0, dt;

	if (sim_init(&prm) < 0)
		return;
	for (int i = 0; i < c->nproc; i++) {
		procs[i].n = c->events / (uint64_t)c->nproc;
		procs[i].state = 0x9e3779b97f4a7c15ULL ^ ((uint64_t)i * 0x2545f4914f6cdd1dULL) ^ 1;
		if (!sim_spawn("bench", bench_proc_fn, &procs[i], 0))
			return;
	}
	t0 = bench_now();
	sim_run(SIM_TIME_MAX);
	dt = bench_now() - t0;
	sim_engine_stats(&st);
	snprintf(what, sizeof(what), "engine: %3d procs, quantum %s: events/s",
		 c->nproc, c->quantum ? "1us" : "0  ");
	bench_report(what, (double)st.advances / dt, "ev/s");
	snprintf(what, sizeof(what), "engine: %3d procs, quantum %s: context switches/s",
		 c->nproc, c->quantum ? "1us" : "0  ");
	bench_report(what, (double)st.context_switches / dt, "sw/s");
	sim_shutdown();
}

void bench_engine(void)
{
	static const int nprocs[] = { 1, 16, 256 };

	printf("  (event = one sim_advance of a pseudo-random 1-100 ns; quantum 0 = sync every event)\n");
	for (unsigned i = 0; i < sizeof(nprocs) / sizeof(nprocs[0]); i++) {
		struct bench_cfg dec = { nprocs[i], SIM_US, 20000000ULL };
		struct bench_cfg sync = { nprocs[i], 0, 2000000ULL };

		bench_fork(bench_one, &dec);
		bench_fork(bench_one, &sync);
	}
}
