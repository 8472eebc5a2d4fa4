/* SPDX-License-Identifier: MIT */
/*
 * machine/dram.c — DRAM controllers, one per NUMA node.
 *
 * What it models (see machine/dram.h for the formulas):
 *  - latency: an unloaded row-miss latency per (requesting node, home node)
 *    pair, from an explicit matrix or the SLIT distance (ACPI defines SLIT
 *    entries as latencies relative to local = 10, so remote = local × d / 10);
 *  - row buffers: each node tracks the open row of `banks` banks; the bank is
 *    chosen by the address bits just above the row (consecutive rows go to
 *    consecutive banks, like an open-page address map), a hit saves
 *    row_hit_saving (≈ tRCD);
 *  - bandwidth: each node is one FIFO server. busy_until is when it finishes
 *    the work already accepted; a request arriving at t waits
 *    busy_until − t. Because processes run temporally decoupled (their local
 *    clocks may be up to a quantum apart), the arrival time used is
 *    max(t, latest arrival seen): a process that lags behind sees only the
 *    real backlog, never the other process's clock skew. With timing off
 *    (functional mode) nothing queues: time does not advance there.
 *
 * Invariants (dram_check): one controller per node of the topology, banks and
 * row size powers of two, ps_per_byte > 0, row_hits + row_misses == reads +
 * writes per node.
 *
 * Simplified: no channels/ranks/bank groups, no refresh, no read/write
 * turnaround, no write queue draining; writebacks consume bandwidth like
 * reads; a stream is accounted to the node of its first byte.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/dram.h"
#include "machine/machine.h"
#include "machine/machine_int.h"
#include "sim/log.h"
#include "sim/stats.h"

#define DRAM_LINE 64u

struct dram_node {
	uint64_t bandwidth;             /* bytes/s */
	double ps_per_byte;             /* 1e12 / bandwidth */
	double remote_ps_per_byte;      /* with the interconnect cap */
	sim_time_t busy_until;
	sim_time_t last_arrival;
	uint64_t *open_row;             /* [banks]; UINT64_MAX = closed */
	struct dram_stats st;
};

static struct {
	bool ready;
	bool queueing;                  /* timing on: model bandwidth queueing */
	int nr_nodes;
	struct dram_params p;
	unsigned row_shift, bank_mask;
	double core_ps_per_byte;
	struct dram_node node[MACHINE_MAX_NODES];
	sim_time_t lat[MACHINE_MAX_NODES][MACHINE_MAX_NODES];
} dram;

/**
 * dram_default_params() - defaults with their sources (timing-defaults.md §5).
 */
void dram_default_params(struct dram_params *p)
{
	memset(p, 0, sizeof(*p));
	p->latency = 82 * SIM_NS;               /* MLC idle latency, Xeon Silver 4110, DDR4-2666 [S] */
	p->row_hit_saving = 14 * SIM_NS;        /* tRCD of DDR4-2666 CL19 ≈ 19 / 1.333 GHz [K] */
	p->banks = 16;                          /* DDR4: 4 bank groups × 4 banks [K] */
	p->row_bytes = 8192;                    /* 8 KiB row per rank (x8 devices × 1 KiB page) [K] */
	p->bandwidth = 85333000000ULL;          /* 4 × DDR4-2666 channels: 4 × 2666 MT/s × 8 B [K] */
	p->core_bandwidth = 13700000000ULL;     /* rep stos of 4 KiB pages: 13.7 GB/s [S] */
	p->interconnect_bandwidth = 0;
}

static unsigned ilog2u(uint64_t v)
{
	unsigned r = 0;

	while (v >>= 1)
		r++;
	return r;
}

void dram_destroy(void)
{
	for (int n = 0; n < MACHINE_MAX_NODES; n++) {
		free(dram.node[n].open_row);
		dram.node[n].open_row = NULL;
	}
	dram.ready = false;
}

static double gauge_u64(void *ctx)
{
	return (double)*(const uint64_t *)ctx;
}

static double gauge_ps_to_ns(void *ctx)
{
	return (double)*(const sim_time_t *)ctx / 1000.0;
}

/*
 * Per-node counters as live gauges "node<N>.dram.<name>" (re-registering on a
 * rebuild replaces the callbacks; dram_reset() zeroes them).
 */
static void dram_register_stats(void)
{
	char name[64];

	for (int n = 0; n < dram.nr_nodes; n++) {
		struct dram_stats *st = &dram.node[n].st;
		static const struct { const char *name, *unit, *desc; size_t off; } f[] = {
			{ "reads", "lines", "cache-line reads served by this node's DRAM",
			  offsetof(struct dram_stats, reads) },
			{ "writes", "lines", "cache-line writebacks to this node's DRAM",
			  offsetof(struct dram_stats, writes) },
			{ "row_hits", "events", "accesses that found their row open",
			  offsetof(struct dram_stats, row_hits) },
			{ "row_misses", "events", "accesses that opened a row",
			  offsetof(struct dram_stats, row_misses) },
			{ "stream_bytes", "bytes", "bytes moved by streams (zeroing, copies, DMA)",
			  offsetof(struct dram_stats, stream_bytes) },
			{ "remote_requests", "events", "requests from CPUs or devices of other nodes",
			  offsetof(struct dram_stats, remote_requests) },
		};
		for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
			snprintf(name, sizeof(name), "node%d.dram.%s", n, f[i].name);
			stat_gauge(name, f[i].unit, f[i].desc, STAT_SAMPLED | STAT_SUMMARY, gauge_u64,
				   (char *)st + f[i].off);
		}
		snprintf(name, sizeof(name), "node%d.dram.queue_wait", n);
		stat_gauge(name, "ns", "total time requests waited for the node's bandwidth",
			   STAT_SUMMARY, gauge_ps_to_ns, &st->queue_wait);
	}
}

int dram_init(const struct dram_params *p, const uint64_t *node_bw)
{
	int nn = machine_nr_nodes();

	if (!p->banks || (p->banks & (p->banks - 1)) || p->banks > 4096 ||
	    p->row_bytes < DRAM_LINE || (p->row_bytes & (p->row_bytes - 1)) ||
	    !p->bandwidth || !p->core_bandwidth || !p->latency || p->row_hit_saving >= p->latency) {
		sim_error("dram: bad parameters (banks %u, row %u bytes, bandwidth %llu B/s, "
			  "latency %llu ps, row-hit saving %llu ps)", p->banks, p->row_bytes,
			  (unsigned long long)p->bandwidth, (unsigned long long)p->latency,
			  (unsigned long long)p->row_hit_saving);
		return -EINVAL;
	}
	if (p->has_matrix)
		for (int f = 0; f < nn; f++)
			for (int h = 0; h < nn; h++)
				if (p->latency_matrix[f][h] <= p->row_hit_saving) {
					sim_error("dram: latency_matrix[%d][%d] must exceed the row-hit "
						  "saving", f, h);
					return -EINVAL;
				}
	dram_destroy();
	memset(&dram, 0, sizeof(dram));
	dram.p = *p;
	dram.nr_nodes = nn;
	dram.row_shift = ilog2u(p->row_bytes);
	dram.bank_mask = p->banks - 1;
	dram.core_ps_per_byte = 1e12 / (double)p->core_bandwidth;
	for (int n = 0; n < nn; n++) {
		struct dram_node *d = &dram.node[n];
		uint64_t bw = node_bw && node_bw[n] ? node_bw[n] : p->bandwidth;
		uint64_t rbw = bw;

		if (p->interconnect_bandwidth && p->interconnect_bandwidth < rbw)
			rbw = p->interconnect_bandwidth;
		d->bandwidth = bw;
		d->ps_per_byte = 1e12 / (double)bw;
		d->remote_ps_per_byte = 1e12 / (double)rbw;
		d->open_row = malloc(sizeof(uint64_t) * p->banks);
		if (!d->open_row) {
			dram_destroy();
			return -ENOMEM;
		}
		memset(d->open_row, 0xff, sizeof(uint64_t) * p->banks);
	}
	for (int f = 0; f < nn; f++)
		for (int h = 0; h < nn; h++) {
			if (p->has_matrix)
				dram.lat[f][h] = p->latency_matrix[f][h];
			else
				dram.lat[f][h] = p->latency * (sim_time_t)node_distance(f, h) / LOCAL_DISTANCE;
		}
	/* functional mode: time does not advance, so a queue would only grow */
	dram.queueing = sim_params()->timing;
	dram.ready = true;
	dram_register_stats();
	return 0;
}

const struct dram_params *dram_params(void)
{
	return &dram.p;
}

static inline int home_of(phys_addr_t pa)
{
	int nid = phys_to_nid(pa);

	return (nid < 0 || nid >= dram.nr_nodes) ? 0 : nid;
}

static inline int from_of(int from, int home)
{
	return (from < 0 || from >= dram.nr_nodes) ? home : from;
}

sim_time_t dram_latency(int from_node, int home_node)
{
	if (!dram.ready || home_node < 0 || home_node >= dram.nr_nodes)
		return dram.p.latency;
	return dram.lat[from_of(from_node, home_node)][home_node];
}

/* Accept @svc ps of work at node @d; return how long the request waits first. */
static inline sim_time_t enqueue(struct dram_node *d, sim_time_t svc)
{
	sim_time_t now, arr, wait;

	if (!dram.queueing)
		return 0;
	now = sim_now();
	arr = now > d->last_arrival ? now : d->last_arrival;
	wait = d->busy_until > arr ? d->busy_until - arr : 0;

	d->last_arrival = arr;
	d->busy_until = arr + wait + svc;
	d->st.queue_wait += wait;
	return wait;
}

sim_time_t dram_access(int from_node, phys_addr_t pa, unsigned bytes, bool write)
{
	int home, from;
	struct dram_node *d;
	uint64_t row;
	unsigned bank;
	sim_time_t lat, wait;

	if (!dram.ready)
		return 0;
	home = home_of(pa);
	from = from_of(from_node, home);
	d = &dram.node[home];
	if (bytes < DRAM_LINE)
		bytes = DRAM_LINE;
	wait = enqueue(d, (sim_time_t)((double)bytes * d->ps_per_byte));
	row = pa >> dram.row_shift;
	bank = (unsigned)row & dram.bank_mask;
	lat = dram.lat[from][home];
	if (d->open_row[bank] == row) {
		d->st.row_hits++;
		lat -= dram.p.row_hit_saving;
	} else {
		d->st.row_misses++;
		d->open_row[bank] = row;
	}
	if (write)
		d->st.writes++;
	else
		d->st.reads++;
	d->st.bytes += bytes;
	if (from != home)
		d->st.remote_requests++;
	return lat + wait;
}

sim_time_t dram_stream_bw(int from_node, phys_addr_t pa, size_t bytes, bool write,
			  uint64_t agent_bw)
{
	int home, from;
	struct dram_node *d;
	sim_time_t node_t, wait, agent_t, t;

	if (!dram.ready || !bytes)
		return 0;
	home = home_of(pa);
	from = from_of(from_node, home);
	d = &dram.node[home];
	wait = enqueue(d, (sim_time_t)((double)bytes * d->ps_per_byte));
	node_t = (sim_time_t)((double)bytes * (from == home ? d->ps_per_byte : d->remote_ps_per_byte));
	agent_t = agent_bw ? (sim_time_t)((double)bytes * 1e12 / (double)agent_bw) : 0;
	t = wait + node_t;
	if (agent_t > t)
		t = agent_t;
	if (!write)
		t += dram.lat[from][home];
	d->st.stream_bytes += bytes;
	d->st.bytes += bytes;
	if (from != home)
		d->st.remote_requests++;
	/* the stream leaves its last row open in the banks it swept */
	{
		uint64_t row = (pa + bytes - 1) >> dram.row_shift;
		d->open_row[row & dram.bank_mask] = row;
	}
	return t;
}

sim_time_t dram_stream(int from_node, phys_addr_t pa, size_t bytes, bool write)
{
	return dram_stream_bw(from_node, pa, bytes, write, dram.p.core_bandwidth);
}

uint64_t dram_node_bandwidth(int nid)
{
	if (!dram.ready || nid < 0 || nid >= dram.nr_nodes)
		return 0;
	return dram.node[nid].bandwidth;
}

int dram_stats(int nid, struct dram_stats *out)
{
	if (!dram.ready || nid < 0 || nid >= dram.nr_nodes)
		return -EINVAL;
	*out = dram.node[nid].st;
	return 0;
}

void dram_reset(void)
{
	for (int n = 0; n < dram.nr_nodes; n++) {
		struct dram_node *d = &dram.node[n];
		memset(&d->st, 0, sizeof(d->st));
		d->busy_until = d->last_arrival = 0;
		if (d->open_row)
			memset(d->open_row, 0xff, sizeof(uint64_t) * dram.p.banks);
	}
}

int dram_check(void)
{
	if (!dram.ready)
		return 0;
	if (dram.nr_nodes != machine_nr_nodes()) {
		sim_error("dram_check: %d controllers for %d nodes", dram.nr_nodes, machine_nr_nodes());
		return -1;
	}
	for (int n = 0; n < dram.nr_nodes; n++) {
		const struct dram_node *d = &dram.node[n];
		if (!d->open_row || d->ps_per_byte <= 0 || !d->bandwidth) {
			sim_error("dram_check: node %d controller not set up", n);
			return -1;
		}
		if (d->st.row_hits + d->st.row_misses != d->st.reads + d->st.writes) {
			sim_error("dram_check: node %d: %llu row hits + %llu misses != %llu accesses", n,
				  (unsigned long long)d->st.row_hits, (unsigned long long)d->st.row_misses,
				  (unsigned long long)(d->st.reads + d->st.writes));
			return -1;
		}
		for (int m = 0; m < dram.nr_nodes; m++)
			if (dram.lat[n][m] <= dram.p.row_hit_saving) {
				sim_error("dram_check: latency %d->%d too small", n, m);
				return -1;
			}
	}
	return 0;
}
