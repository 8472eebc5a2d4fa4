/* SPDX-License-Identifier: MIT */
/*
 * machine/topology.c — NUMA nodes, CPUs and the ACPI SLIT distance matrix.
 *
 * What it models: the node/CPU topology the kernel discovers at boot (SRAT
 * processor affinity, SLIT). Node ids are 0..nr_nodes-1 and CPU ids
 * 0..nr_cpus-1 (nr_cpu_ids); every CPU belongs to exactly one node. Nodes may
 * have no CPUs (CPU-less memory nodes, e.g. CXL / HBM) or no memory
 * (memory-less nodes); the memory side lives in memmap.c.
 *
 * SLIT rules (as Linux's slit_valid() applies them to ACPI tables): the
 * diagonal is LOCAL_DISTANCE (10), off-diagonal entries are 11..254 (0..9 are
 * reserved by ACPI, 255 means "unreachable"). An asymmetric matrix is legal in
 * ACPI and accepted by Linux; we accept it with a warning because the zonelist
 * order then depends on which node looks.
 *
 * Invariants (topology_check): cpu_node[] in range, node_nr_cpus[] equals the
 * count of CPUs per node, distances valid as above, frequency > 0.
 *
 * Simplified vs Linux 6.1: no CPU hotplug (possible == present == online), no
 * SMT siblings / packages beyond "node", one frequency for all CPUs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "machine/machine.h"
#include "machine/machine_int.h"
#include "sim/log.h"

static struct {
	bool built;
	char name[64];
	int nr_nodes, nr_cpus;
	int cpu_node[MACHINE_MAX_CPUS];
	uint64_t cpu_freq[MACHINE_MAX_CPUS];
	int node_nr_cpus[MACHINE_MAX_NODES];
	unsigned char distance[MACHINE_MAX_NODES][MACHINE_MAX_NODES];
	bool symmetric;
} topo = { .nr_nodes = 1, .nr_cpus = 1, .symmetric = true, .cpu_freq = { 2500000000ULL },
	    .node_nr_cpus = { 1 }, .distance = { { LOCAL_DISTANCE } } };

void topology_reset(void)
{
	memset(&topo, 0, sizeof(topo));
	topo.nr_nodes = 1;
	topo.nr_cpus = 1;
	topo.symmetric = true;
	topo.cpu_freq[0] = 2500000000ULL;
	topo.distance[0][0] = LOCAL_DISTANCE;
	topo.node_nr_cpus[0] = 1;
}

void topology_set_built(bool built)
{
	topo.built = built;
}

void topology_set_name(const char *name)
{
	snprintf(topo.name, sizeof(topo.name), "%s", name ? name : "");
}

/**
 * machine_validate_distances() - see machine.h.
 */
int machine_validate_distances(int n, const int *d, int *bi, int *bj, char *err, size_t errlen)
{
	int asym = 0;

	for (int i = 0; i < n; i++) {
		for (int j = 0; j < n; j++) {
			int v = d[i * n + j];

			if (bi)
				*bi = i;
			if (bj)
				*bj = j;
			if (i == j && v != LOCAL_DISTANCE) {
				MERR(err, errlen, "distance[%d][%d] is %d: the diagonal must be %d "
				     "(LOCAL_DISTANCE)", i, j, v, LOCAL_DISTANCE);
				return -1;
			}
			if (i != j && (v <= LOCAL_DISTANCE || v > 254)) {
				MERR(err, errlen, "distance[%d][%d] is %d: off-diagonal SLIT entries "
				     "must be 11..254", i, j, v);
				return -1;
			}
			if (v != d[j * n + i])
				asym = 1;
		}
	}
	if (bi)
		*bi = -1;
	if (bj)
		*bj = -1;
	return asym;
}

int topology_build(const struct machine_desc *d, char *err, size_t errlen)
{
	static int dist[MACHINE_MAX_NODES * MACHINE_MAX_NODES];
	int n = d->nr_nodes, bi, bj, r;

	if (n < 1 || n > MACHINE_MAX_NODES) {
		MERR(err, errlen, "nodes: %d nodes, expected 1..%d", n, MACHINE_MAX_NODES);
		return -1;
	}
	if (d->nr_cpus < 1 || d->nr_cpus > MACHINE_MAX_CPUS) {
		MERR(err, errlen, "cpus: %d CPUs, expected 1..%d", d->nr_cpus, MACHINE_MAX_CPUS);
		return -1;
	}
	if (d->cpu_freq_hz < 1000000ULL || d->cpu_freq_hz > 100000000000ULL) {
		MERR(err, errlen, "cpu_freq: %llu Hz, expected 1MHz..100GHz",
		     (unsigned long long)d->cpu_freq_hz);
		return -1;
	}
	for (int c = 0; c < d->nr_cpus; c++) {
		if (d->cpu_node[c] < 0 || d->cpu_node[c] >= n) {
			MERR(err, errlen, "CPU %d is on node %d, which does not exist (nodes: 0..%d)",
			     c, d->cpu_node[c], n - 1);
			return -1;
		}
	}
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			int v = d->distance[i][j];
			if (!v)
				v = i == j ? LOCAL_DISTANCE : REMOTE_DISTANCE;
			dist[i * n + j] = v;
		}
	r = machine_validate_distances(n, dist, &bi, &bj, err, errlen);
	if (r < 0)
		return -1;

	topology_reset();
	snprintf(topo.name, sizeof(topo.name), "%s", d->name);
	topo.nr_nodes = n;
	topo.nr_cpus = d->nr_cpus;
	topo.symmetric = r == 0;
	for (int c = 0; c < d->nr_cpus; c++) {
		topo.cpu_node[c] = d->cpu_node[c];
		topo.cpu_freq[c] = d->cpu_freq_hz;
	}
	memset(topo.node_nr_cpus, 0, sizeof(topo.node_nr_cpus));
	for (int c = 0; c < d->nr_cpus; c++)
		topo.node_nr_cpus[d->cpu_node[c]]++;
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			topo.distance[i][j] = (unsigned char)dist[i * n + j];
	if (!topo.symmetric) {
		for (int i = 0; i < n; i++)
			for (int j = i + 1; j < n; j++)
				if (dist[i * n + j] != dist[j * n + i]) {
					sim_warn("machine %s: asymmetric SLIT: distance[%d][%d]=%d but "
						 "distance[%d][%d]=%d", topo.name, i, j, dist[i * n + j],
						 j, i, dist[j * n + i]);
					i = j = n;
				}
	}
	return 0;
}

int topology_check(void)
{
	int cnt[MACHINE_MAX_NODES] = { 0 };

	if (topo.nr_nodes < 1 || topo.nr_nodes > MACHINE_MAX_NODES ||
	    topo.nr_cpus < 1 || topo.nr_cpus > MACHINE_MAX_CPUS) {
		sim_error("topology_check: %d nodes, %d cpus", topo.nr_nodes, topo.nr_cpus);
		return -1;
	}
	for (int c = 0; c < topo.nr_cpus; c++) {
		if (topo.cpu_node[c] < 0 || topo.cpu_node[c] >= topo.nr_nodes) {
			sim_error("topology_check: cpu %d on node %d", c, topo.cpu_node[c]);
			return -1;
		}
		if (!topo.cpu_freq[c]) {
			sim_error("topology_check: cpu %d has no frequency", c);
			return -1;
		}
		cnt[topo.cpu_node[c]]++;
	}
	for (int n = 0; n < topo.nr_nodes; n++) {
		if (cnt[n] != topo.node_nr_cpus[n]) {
			sim_error("topology_check: node %d counts %d cpus, has %d", n,
				  topo.node_nr_cpus[n], cnt[n]);
			return -1;
		}
		for (int m = 0; m < topo.nr_nodes; m++) {
			int v = topo.distance[n][m];
			if ((n == m && v != LOCAL_DISTANCE) || (n != m && (v <= LOCAL_DISTANCE || v > 254))) {
				sim_error("topology_check: distance[%d][%d] = %d", n, m, v);
				return -1;
			}
		}
	}
	return 0;
}

/* --- queries (machine.h) --------------------------------------------------- */

bool machine_built(void)
{
	return topo.built;
}

const char *machine_name(void)
{
	return topo.name;
}

int machine_nr_nodes(void)
{
	return topo.nr_nodes;
}

int machine_nr_cpus(void)
{
	return topo.nr_cpus;
}

int cpu_to_node(int cpu)
{
	if (cpu < 0 || cpu >= topo.nr_cpus)
		return NUMA_NO_NODE;
	return topo.cpu_node[cpu];
}

int node_distance(int from, int to)
{
	if (from < 0 || to < 0 || from >= topo.nr_nodes || to >= topo.nr_nodes)
		return from == to ? LOCAL_DISTANCE : REMOTE_DISTANCE;
	return topo.distance[from][to];
}

bool machine_distances_symmetric(void)
{
	return topo.symmetric;
}

bool node_has_cpus(int nid)
{
	return nid >= 0 && nid < topo.nr_nodes && topo.node_nr_cpus[nid] > 0;
}

int node_nr_cpus(int nid)
{
	if (nid < 0 || nid >= topo.nr_nodes)
		return 0;
	return topo.node_nr_cpus[nid];
}

int node_cpus(int nid, int *out, int max)
{
	int n = 0;

	if (nid < 0 || nid >= topo.nr_nodes)
		return 0;
	for (int c = 0; c < topo.nr_cpus; c++) {
		if (topo.cpu_node[c] != nid)
			continue;
		if (out && n < max)
			out[n] = c;
		n++;
	}
	return n;
}

uint64_t cpu_freq_hz(int cpu)
{
	if (cpu < 0 || cpu >= topo.nr_cpus)
		return topo.cpu_freq[0] ? topo.cpu_freq[0] : 2500000000ULL;
	return topo.cpu_freq[cpu];
}
