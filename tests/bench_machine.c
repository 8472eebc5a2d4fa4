/* SPDX-License-Identifier: MIT */
/*
 * tests/bench_machine.c — `make bench` figures of the memory system:
 *   - cache+TLB lookups (mem_read calls) per host second, random and
 *     streaming address patterns, timing on (DRAM model included);
 *   - per preset, the latency the model charges for an L1 hit, an LLC hit,
 *     local and remote DRAM, a full page walk (cold and warm caches) and
 *     zeroing a 4 KiB page.
 * Figures are printed, never asserted.
 */
#include <stdio.h>
#include <string.h>
#include "machine/cache.h"
#include "machine/cost.h"
#include "machine/cpu.h"
#include "machine/machine.h"
#include "machine/memsys.h"
#include "machine/tlb.h"
#include "sim/rng.h"
#include "tests/bench.h"

static const char *const presets[] = { "tiny", "two-socket", "four-node-ring", "four-node-1tib" };

/* A RAM address of @nid, @off bytes into its first range (0 if none fits). */
static phys_addr_t node_addr(int nid, uint64_t off)
{
	const struct node_mem_range *r;
	int n = machine_node_ranges(&r);

	for (int i = 0; i < n; i++)
		if (r[i].nid == nid && r[i].end - r[i].start > off + 4096) {
			phys_addr_t a = r[i].start + off;

			return a < (1 << 20) ? a + (1 << 20) : a;      /* skip the legacy hole */
		}
	return 0;
}

static void bench_throughput(void *arg)
{
	const char *name = arg;
	phys_addr_t base;
	uint64_t span;
	struct rng r;
	double t0, dt;
	const int n = 4000000;
	char what[128];

	if (machine_build_preset(name))
		return;
	boot_ctx()->cpu = 0;
	base = node_addr(0, 0);
	span = 256ULL << 20;
	rng_seed(&r, 1, 0);
	t0 = bench_now();
	for (int i = 0; i < n; i++)
		mem_read(phys_to_virt_addr(base + (rng_next(&r) % span & ~7ULL)), 8);
	dt = bench_now() - t0;
	snprintf(what, sizeof(what), "%s: lookups/s, random 8 B reads over 256 MiB", name);
	bench_report(what, n / dt / 1e6, "M/s");
	t0 = bench_now();
	for (int i = 0; i < n; i++)
		mem_read(phys_to_virt_addr(base + (uint64_t)i * 8 % span), 8);
	dt = bench_now() - t0;
	snprintf(what, sizeof(what), "%s: lookups/s, streaming 8 B reads", name);
	bench_report(what, n / dt / 1e6, "M/s");
	t0 = bench_now();
	for (int i = 0; i < n; i++)
		mem_read(phys_to_virt_addr(base + (uint64_t)(i & 1023) * 8), 8);
	dt = bench_now() - t0;
	snprintf(what, sizeof(what), "%s: lookups/s, 8 KiB working set (L1D hits)", name);
	bench_report(what, n / dt / 1e6, "M/s");
}

static void report_ns(const char *preset, const char *what, sim_time_t t)
{
	char buf[160];

	snprintf(buf, sizeof(buf), "%s: %s", preset, what);
	bench_report(buf, (double)t / 1000.0, "ns");
}

static void bench_latencies(void *arg)
{
	const char *name = arg;
	const struct memsys_params *p;
	phys_addr_t x, y;
	unsigned long va;
	sim_time_t t;
	int remote = -1;

	if (machine_build_preset(name))
		return;
	p = memsys_get_params();
	boot_ctx()->cpu = 0;
	x = node_addr(cpu_to_node(0), 64 << 20);
	if (!x)
		x = node_addr(cpu_to_node(0), 4 << 20);

	mem_read(phys_to_virt_addr(x), 8);
	report_ns(name, "L1D hit", mem_read(phys_to_virt_addr(x), 8));
	/* push x out of L1D and L2 (not out of the LLC): sweep 2 × L2 of other lines */
	for (uint64_t off = 0; off < 2 * p->l2.size; off += p->l2.line)
		mem_read(phys_to_virt_addr(x + 4096 + off), 8);
	report_ns(name, "LLC hit", mem_read(phys_to_virt_addr(x), 8));
	y = x + (32 << 20);
	report_ns(name, "local DRAM (TLB warm)", mem_read(phys_to_virt_addr(y), 8));
	for (int n = 0; n < machine_nr_nodes(); n++)
		if (n != cpu_to_node(0) && node_has_memory(n)) {
			remote = n;
			break;
		}
	if (remote >= 0 && node_addr(remote, 64 << 20)) {
		phys_addr_t z = node_addr(remote, 64 << 20);

		mem_read(phys_to_virt_addr(z + (1 << 20)), 8);  /* warm its TLB entry, another row */
		report_ns(name, "remote DRAM (TLB warm)", mem_read(phys_to_virt_addr(z), 8));
	}
	va = VMALLOC_START + (1UL << 30);
	if (mmu_map(va, x + (8 << 20)) == 0) {
		mem_read(va, 8);
		cache_flush_all();
		tlb_flush_cpu(0);
		report_ns(name, "4 KiB vmalloc read, TLB miss, cold caches (walk + data)", mem_read(va, 8));
		tlb_flush_cpu(0);
		report_ns(name, "4 KiB vmalloc read, TLB miss, tables in L1D", mem_read(va, 8));
		report_ns(name, "4 KiB vmalloc read, TLB hit", mem_read(va, 8));
	}
	t = mem_zero_phys(x + (16 << 20), 4096);
	report_ns(name, "zero a 4 KiB page (mem_zero_phys)", t);
}

void bench_machine(void)
{
	for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++) {
		char path[512];

		if (machine_preset_path(presets[i], path, sizeof(path)))
			continue;
		bench_fork(bench_latencies, (void *)presets[i]);
	}
	bench_fork(bench_throughput, (void *)"tiny");
	bench_fork(bench_throughput, (void *)"two-socket");
}
