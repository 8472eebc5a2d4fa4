/* SPDX-License-Identifier: MIT */
/*
 * tests/bench_traces.c — trace parsing and replay throughput for `make bench`.
 *
 * A synthetic Linux 6.1 ftrace text trace of bench_events events (kmalloc /
 * kfree pairs on 4 traced CPUs; sizes drawn from a kernel-like mix of
 * 8 B – 4 KiB; lifetimes from a pool of up to 2048 live objects per CPU;
 * hashed pointers reused LIFO per CPU and size class as SLUB reuses
 * addresses, symbolic call sites, node=/accounted= fields; one event every
 * 250 ns) is generated in memory, then measured:
 *   1. parsing alone (trace_reader over the buffer): lines per host second;
 *   2. parsing + replay onto the model with timing on (machine preset
 *      "tiny", 2 CPUs, as fast as possible): lines per host second, and the
 *      load and simulation parts separately;
 *   3. the same allocation sequence through glibc malloc/free in this
 *      process, and the slowdown ratio of (2) against it.
 * Each simulation runs in a forked child (one SystemC kernel per process).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "machine/machine.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "sim/engine.h"
#include "tests/bench.h"
#include "traces/trace.h"

#define BENCH_EVENTS_DEFAULT 5000000ull
#define BENCH_CPUS    4
#define POOL          2048

static uint64_t bench_events = BENCH_EVENTS_DEFAULT;   /* MMSIM_BENCH_TRACE_EVENTS overrides */
static char *trace_buf;
static size_t trace_len;

/* The sequence for the native comparison: op (0 alloc, 1 free), size, slot. */
struct nat_op {
	uint32_t slot;
	uint32_t size;                 /* 0 = free */
};
static struct nat_op *nat;
static uint64_t nat_n, nat_slots;

static uint64_t xs(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static const unsigned sizes[] = { 8, 16, 32, 32, 64, 64, 64, 96, 128, 128, 192, 256, 256, 512, 1024, 2048, 4096 };
static const char *const sites[] = {
	"__alloc_skb+0x8b/0x1d0", "load_elf_binary+0x1f4/0x1760", "alloc_pipe_info+0x9d/0x1c0",
	"kernfs_fop_open+0x24e/0x3c0", "seq_open+0x2a/0x80", "__kmalloc_node_track_caller+0x50/0x160",
};

static void generate(void)
{
	struct { uint32_t ptr, slot, size; } pool[BENCH_CPUS][POOL];
	int live[BENCH_CPUS] = { 0 };
	/* freed addresses per CPU and size class, reused LIFO as SLUB does */
	enum { NCLS = sizeof(sizes) / sizeof(sizes[0]), REUSE = 4096 };
	static uint32_t freed[BENCH_CPUS][NCLS][REUSE];
	static int nfreed[BENCH_CPUS][NCLS];
	uint64_t s = 0x9e3779b97f4a7c15ull, t_ns = 5000000000ull;
	size_t cap = bench_events * 190, n = 0;
	char gfp[] = "GFP_KERNEL";

	trace_buf = malloc(cap);
	nat = malloc(bench_events * sizeof(*nat));
	n += (size_t)snprintf(trace_buf, cap, "# tracer: nop\n#\n# entries-in-buffer/entries-written: %llu/%llu   #P:%d\n#\n",
			      (unsigned long long)bench_events, (unsigned long long)bench_events, BENCH_CPUS);
	for (uint64_t e = 0; e < bench_events; e++) {
		uint64_t r = xs(&s);
		int cpu = (int)(r % BENCH_CPUS);
		bool do_free = live[cpu] == POOL || (live[cpu] > 0 && ((r >> 8) & 1));
		unsigned long secs = (unsigned long)(t_ns / 1000000000ull), usecs = (unsigned long)(t_ns / 1000 % 1000000);

		if (do_free) {
			int i = (int)((r >> 16) % (uint64_t)live[cpu]);

			n += (size_t)snprintf(trace_buf + n, cap - n,
				"     kworker/%d:1-%-7d [%03d] ..... %5lu.%06lu: kfree: call_site=%s ptr=%016llx\n",
				cpu, 100 + cpu, cpu, secs, usecs, sites[(r >> 40) % 6], (unsigned long long)pool[cpu][i].ptr);
			nat[nat_n++] = (struct nat_op){ pool[cpu][i].slot, 0 };
			{
				int cls = (int)(pool[cpu][i].size >> 24);

				if (nfreed[cpu][cls] < REUSE)
					freed[cpu][cls][nfreed[cpu][cls]++] = pool[cpu][i].ptr;
			}
			pool[cpu][i] = pool[cpu][--live[cpu]];
		} else {
			int cls = (int)((r >> 16) % NCLS);
			unsigned size = sizes[cls];
			unsigned req = size - (unsigned)((r >> 24) % (size / 4 + 1));
			uint32_t ptr = nfreed[cpu][cls] ? freed[cpu][cls][--nfreed[cpu][cls]] : (uint32_t)(r >> 32) | 1;

			pool[cpu][live[cpu]].ptr = ptr;
			pool[cpu][live[cpu]].slot = (uint32_t)nat_slots;
			pool[cpu][live[cpu]++].size = (uint32_t)cls << 24 | size;
			n += (size_t)snprintf(trace_buf + n, cap - n,
				"     kworker/%d:1-%-7d [%03d] ..... %5lu.%06lu: kmalloc: call_site=%s ptr=%016llx "
				"bytes_req=%u bytes_alloc=%u gfp_flags=%s node=-1 accounted=false\n",
				cpu, 100 + cpu, cpu, secs, usecs, sites[(r >> 40) % 6], (unsigned long long)ptr,
				req ? req : 1, size, gfp);
			nat[nat_n++] = (struct nat_op){ (uint32_t)nat_slots++, req ? req : 1 };
		}
		t_ns += 250;
	}
	trace_len = n;
}

static void bench_parse(void)
{
	struct trace_reader *r = trace_reader_open_mem(trace_buf, trace_len, "bench");
	struct trace_rec rec;
	uint64_t ev = 0;
	double t0 = bench_now(), dt;

	while (trace_reader_next(r, &rec) > 0)
		ev += rec.ptr != 0;
	dt = bench_now() - t0;
	bench_report("parse only: lines/s", (double)trace_reader_stats(r)->lines / dt, "lines/s");
	bench_report("parse only: MB/s", (double)trace_len / dt / 1e6, "MB/s");
	trace_reader_close(r);
	if (ev != bench_events)
		printf("  (warning: %llu events parsed, expected %llu)\n", (unsigned long long)ev, (unsigned long long)bench_events);
}

static double native_seconds;

static void bench_native(void)
{
	void **slots = calloc(nat_slots, sizeof(void *));
	double t0 = bench_now();

	for (uint64_t i = 0; i < nat_n; i++) {
		if (nat[i].size) {
			slots[nat[i].slot] = malloc(nat[i].size);
			*(volatile char *)slots[nat[i].slot] = 1;
		} else {
			free(slots[nat[i].slot]);
		}
	}
	native_seconds = bench_now() - t0;
	for (uint64_t i = 0; i < nat_n; i++)            /* the ones still live (not timed) */
		if (!nat[i].size)
			slots[nat[i].slot] = NULL;
	for (uint64_t i = 0; i < nat_slots; i++)
		free(slots[i]);
	free(slots);
	bench_report("native glibc malloc/free of the same sequence", (double)nat_n / native_seconds, "events/s");
}

static void replay_child(void *arg)
{
	struct sim_params sp = { SIM_DEFAULT_QUANTUM, true };
	struct replay_opts o;
	struct mm_params p;
	char err[256];
	double t0, t1, t2;
	uint64_t lines;
	FILE *ratio = arg;

	if (getenv("MMSIM_BENCH_QUANTUM_PS"))
		sp.quantum = strtoull(getenv("MMSIM_BENCH_QUANTUM_PS"), NULL, 10);
	if (sim_init(&sp) < 0 || machine_build_preset("tiny") < 0) {
		printf("  replay bench: cannot build machine preset tiny\n");
		return;
	}
	mm_params_default(&p);
	if (mm_boot(&p, err, sizeof(err)) < 0 || (!slab_is_available() && kmem_cache_init() < 0)) {
		printf("  replay bench: boot failed: %s\n", err);
		return;
	}
	replay_opts_default(&o);
	o.path = "bench";
	o.buf = trace_buf;
	o.len = trace_len;
	o.asap = true;
	o.stop_when_done = true;
	t0 = bench_now();
	if (replay_setup(&o, err, sizeof(err)) < 0) {
		printf("  replay bench: %s\n", err);
		return;
	}
	t1 = bench_now();
	while (!replay_done() && sim_run(SIM_TIME_MAX / 2) == 0)
		;
	t2 = bench_now();
	lines = replay_get_stats()->parse.lines;
	bench_report("parse+replay (timing on, asap): lines/s", (double)lines / (t2 - t0), "lines/s");
	bench_report("  of which load (parse, split, match): s", t1 - t0, "s");
	bench_report("  of which simulation: s", t2 - t1, "s");
	bench_report("  simulated time of the replay",
		     (double)(replay_get_stats()->last_ps - replay_get_stats()->first_ps) / SIM_SEC, "s");
	bench_report("  events replayed as model calls", (double)(replay_get_stats()->replayed[TEV_KMALLOC] +
								  replay_get_stats()->replayed[TEV_KFREE]), "events");
	bench_report("  simulated allocations refused", (double)replay_get_stats()->sim_failed_allocs, "");
	if (ratio)
		fprintf(ratio, "%.9f\n", t2 - t0), fflush(ratio);
	if (!replay_done())
		printf("  (warning: replay did not finish)\n");
}

void bench_traces(void)
{
	char tmp[] = "/tmp/mmsim-bench-XXXXXX";
	double replay_s = 0;
	int fd;
	FILE *f;

	if (getenv("MMSIM_BENCH_TRACE_EVENTS"))
		bench_events = strtoull(getenv("MMSIM_BENCH_TRACE_EVENTS"), NULL, 10);
	if (bench_events < 1)
		bench_events = 1;
	generate();
	printf("  trace: %llu events, %.1f MB of ftrace text (kmalloc/kfree pairs, 4 CPUs)\n",
	       (unsigned long long)bench_events, (double)trace_len / 1e6);
	bench_parse();
	bench_native();
	fd = mkstemp(tmp);
	f = fd >= 0 ? fdopen(fd, "w+") : NULL;
	{
		int st = bench_fork(replay_child, f);

		/* A failed replay child is a bug: say so rather than hide it. */
		if (st != 0)
			printf("  replay child ended abnormally: status %d (no replay figure)\n", st);
	}
	if (f) {
		rewind(f);
		if (fscanf(f, "%lf", &replay_s) != 1)
			replay_s = 0;
		fclose(f);
		unlink(tmp);
	}
	if (replay_s > 0 && native_seconds > 0)
		bench_report("slowdown of parse+replay vs native malloc/free", replay_s / native_seconds, "x");
	free(trace_buf);
	free(nat);
}
