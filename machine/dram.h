/* SPDX-License-Identifier: MIT */
/*
 * machine/dram.h — one DRAM controller per NUMA node.
 *
 * What it models: the latency of a cache-line miss served by the home node's
 * memory controller (local latency, remote latency scaled by the SLIT distance
 * or taken from an explicit latency matrix), an open-row approximation per bank
 * (a row-buffer hit saves the activate time), and the node's bandwidth as a
 * single server with a "busy until" time so that concurrent streams (page
 * zeroing, compaction copies, DMA) are bandwidth-bound and queue behind each
 * other.
 *
 * The functions return the latency the caller must charge; they never call
 * sim_advance() themselves (cost.c decides what to charge and when). They are
 * hot-path safe: no allocation, no formatting, a phys_to_nid() lookup and a
 * few arithmetic operations.
 *
 * Latency arithmetic (picoseconds):
 *   base(from, home)   = latency_matrix[from][home] if given, else
 *                        latency * node_distance(from, home) / 10
 *   access latency     = base - row_hit_saving (row hit) or base (row miss)
 *                        + queue wait at the home node
 *   stream time        = queue wait + max(bytes / node bandwidth,
 *                                         bytes / agent bandwidth)
 *                        (+ base latency for reads: the first line is waited for)
 * Remote streams are further capped by the interconnect bandwidth if set.
 */
#ifndef MMSIM_MACHINE_DRAM_H
#define MMSIM_MACHINE_DRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "machine/machine.h"
#include "sim/engine.h"

/* Parameters of every controller (one set per machine; per-node bandwidth may differ). */
struct dram_params {
	sim_time_t latency;             /* local load-to-use on a row miss: 82 ns (MLC idle, DDR4-2666) */
	sim_time_t row_hit_saving;      /* saved on an open-row hit (≈tRCD): 14 ns */
	unsigned banks;                 /* banks tracked per node (power of two): 16 */
	unsigned row_bytes;             /* bytes per row per bank (power of two): 8 KiB */
	uint64_t bandwidth;             /* bytes/s per node: 4 channels DDR4-2666 = 85.3 GB/s */
	uint64_t core_bandwidth;        /* one core's streaming rate (clear_page): 13.7 GB/s */
	uint64_t interconnect_bandwidth;/* cap on remote streams, bytes/s; 0 = no cap */
	bool has_matrix;                /* latency_matrix valid */
	sim_time_t latency_matrix[MACHINE_MAX_NODES][MACHINE_MAX_NODES];
};

/* Per-node counters (read with dram_stats). */
struct dram_stats {
	uint64_t reads, writes;         /* single-line accesses */
	uint64_t row_hits, row_misses;
	uint64_t stream_bytes;          /* bytes moved by dram_stream */
	uint64_t bytes;                 /* all bytes served (lines + streams) */
	sim_time_t queue_wait;          /* total time requests waited for the node */
	uint64_t remote_requests;       /* requests from another node */
};

/** dram_default_params() - the defaults above (timing-defaults.md §5). */
void dram_default_params(struct dram_params *p);

/**
 * dram_init() - set up one controller per node of the built topology.
 * @p: parameters (copied). @node_bw: per-node bandwidth overrides (bytes/s, 0 =
 * p->bandwidth), array of machine_nr_nodes() entries, or NULL.
 * Called by machine_build(); tests may call it again after a build.
 * Return: 0 or -EINVAL (bad geometry).
 */
int dram_init(const struct dram_params *p, const uint64_t *node_bw);
const struct dram_params *dram_params(void);

/**
 * dram_latency() - unloaded latency of a row miss from CPUs of @from_node to
 * memory on @home_node (no queueing, no row state). For reports and benches.
 */
sim_time_t dram_latency(int from_node, int home_node);

/**
 * dram_access() - one cache-line (or smaller) access of @bytes at @pa by a CPU
 * of @from_node: the line fill of a cache miss, or a writeback (@write).
 * Updates the bank's open row and the node's busy time.
 * Context: any; uses sim_now() for queueing.
 * Return: the latency to charge (ps). For a posted writeback the caller may
 * ignore it (the bandwidth is consumed either way). Addresses outside any
 * node's RAM are served by node 0 (counted as such).
 */
sim_time_t dram_access(int from_node, phys_addr_t pa, unsigned bytes, bool write);

/**
 * dram_stream() - a streaming transfer of @bytes at @pa (page zeroing, copy
 * half, DMA) by a CPU of @from_node: bandwidth-bound, limited by the node's
 * bandwidth (shared, queued) and by one core's streaming rate.
 * Return: the time to charge (ps).
 */
sim_time_t dram_stream(int from_node, phys_addr_t pa, size_t bytes, bool write);

/**
 * dram_stream_bw() - as dram_stream() but for an agent streaming at most
 * @agent_bw bytes/s (a DMA engine); 0 = unlimited (node-bound only).
 */
sim_time_t dram_stream_bw(int from_node, phys_addr_t pa, size_t bytes, bool write,
			  uint64_t agent_bw);

/** dram_node_bandwidth() - the node's bandwidth in bytes/s. */
uint64_t dram_node_bandwidth(int nid);
/** dram_stats() - a copy of node @nid's counters. Return 0 or -EINVAL. */
int dram_stats(int nid, struct dram_stats *out);
/** dram_reset() - forget open rows, busy times and counters (end of warm-up, tests). */
void dram_reset(void);
/** dram_check() - validate the controllers' state. Return 0 or -1 with a sim_error(). */
int dram_check(void);

#endif /* MMSIM_MACHINE_DRAM_H */
