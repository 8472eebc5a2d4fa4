/* SPDX-License-Identifier: MIT */
/*
 * machine/build.c — building the machine from the scenario's "machine" section.
 *
 * Order: topology (topology.c) → memory map (memmap.c) → DRAM controllers
 * (dram.c) → caches, TLBs, page tables (memsys_init, machine-B's half) →
 * DMA devices (dma.c). A failure at any step leaves no machine behind.
 *
 * Configuration schema (every key optional; defaults in brackets):
 *
 *   machine:
 *     preset: two-socket         # load machine/presets/<name>.yaml underneath;
 *                                # keys given here win (cfg_merge_defaults)
 *     name: STR                  # [preset name, else "custom"]
 *     cpu_freq: 2.1GHz           # every CPU [2.5GHz]
 *     nodes:                     # one entry per node; the node id is the index
 *       - cpus: 16               # CPUs of this node, 0 = CPU-less node [1]
 *         memory: 32GiB          # RAM of this node, 0 = memory-less node [0]
 *         bandwidth: 85GB/s      # this node's DRAM bandwidth [dram.bandwidth]
 *                                # (or `nodes: 2` = that many nodes with defaults)
 *     cpus_per_node: N           # overrides every node's cpus
 *     memory_per_node: SIZE      # overrides every node's memory (tiny test boxes)
 *     cpu_nodes: [0, 0, 1, 1]    # the node of each CPU, replacing the counts
 *     distances:                 # SLIT rows (diagonal 10, others 11..254),
 *       - [10, 21]               # or a file laid out like
 *       - [21, 10]               # /sys/devices/system/node/node*\/distance
 *                                # [10 local, 20 remote]
 *     memory_ranges:             # explicit SRAT layout instead of the generated
 *       - {node: 0, start: 0x0, size: 2GiB}       # one (may not overlap)
 *     memmap:
 *       legacy_hole: true        # 640 KiB–1 MiB e820-reserved [true]
 *       pci_hole: 1GiB           # below 4 GiB, RAM moved above 4 GiB; 0 = none [1GiB]
 *       firmware_reserved: true  # IOAPIC/LAPIC/BIOS-flash entries [true]
 *       reserved:                # extra reserved ranges carved out of RAM
 *         - {start: 0x7f000000, size: 16MiB}
 *     dram:
 *       latency: 82ns            # local, row miss [82ns]
 *       row_hit_saving: 14ns     # [14ns]
 *       banks: 16                # per node [16]
 *       row_size: 8KiB           # [8KiB]
 *       bandwidth: 85.3GB/s      # per node [85.333GB/s]
 *       core_bandwidth: 13.7GB/s # one core streaming [13.7GB/s]
 *       interconnect_bandwidth: 0   # cap on remote streams, 0 = none [0]
 *       latency_matrix: [[82ns, 154ns], [154ns, 82ns]]   # [latency × SLIT / 10]
 *     caches:                    # machine/memsys.h, latencies in core cycles
 *       l1d: {size: 32KiB, ways: 8, line: 64, latency: 4}
 *       l2:  {size: 1MiB, ways: 16, line: 64, latency: 12}
 *       llc: {size: 22MiB, ways: 11, line: 64, latency: 77}   # per node
 *       snoop_cycles: N
 *     tlb:
 *       dtlb_4k: {entries: 64, ways: 4}      # also dtlb_2m, dtlb_1g, stlb, stlb_1g,
 *       stlb_hit_cycles: 12                  # pml4e_cache, pdpte_cache, pde_cache
 *       walk_base_cycles: 20
 *       pscache: true
 *       direct_map: 1GiB                     # or 2MiB
 *       invlpg: 100ns
 *       full_flush: 1us
 *       ipi: 2us
 *       flush_ceiling: 33
 *     devices:
 *       - name: floppy
 *         dma_bits: 24           # DMA_BIT_MASK(24); or mask: 0xffffff (<= 64 bits)
 *         node: 0                # [0]
 *         bandwidth: 1MB/s       # required
 *         irq_cpu: 0             # [first CPU of the node]
 *         mmio: 4KiB             # MMIO window [4KiB], 0 = none
 *         latency: 1us           # per-transfer setup [1us]
 *     from_dmesg: FILE           # build nodes / memory / CPUs from a Linux boot log
 *     cpus: N                    # with from_dmesg: the CPU count
 *
 * Relative file names (from_dmesg, distances) are tried as given, then
 * relative to the directory of the file that names them.
 *
 * Preset lookup (machine_preset_path): $MMSIM_PRESETS/<name>.yaml, then
 * machine/presets/<name>.yaml under the current directory, then under the
 * directory two levels above /proc/self/exe (build/mmsim → the source tree).
 */
#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "machine/cpu.h"
#include "machine/dma.h"
#include "machine/dram.h"
#include "machine/machine.h"
#include "machine/machine_int.h"
#include "machine/memsys.h"
#include "sim/config.h"
#include "sim/engine.h"
#include "sim/log.h"

#define SZ_4K 4096ULL

/* ---------------------------------------------------------------------------
 * Building from a description
 */

void machine_desc_init(struct machine_desc *d)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "custom");
	d->nr_nodes = 1;
	d->nr_cpus = 1;
	d->cpu_freq_hz = 2500000000ULL;
	d->low_reserved = true;
	d->pci_hole = 1ULL << 30;
	d->firmware_reserved = true;
}

void machine_destroy(void)
{
	if (memsys_ready())
		memsys_destroy();
	dma_reset_devices();
	dram_destroy();
	memmap_reset();
	topology_reset();
	cpu_contexts_reset();
}

static int build_core(const struct machine_desc *d, const struct dram_params *dp,
		      const uint64_t *node_bw, const struct memsys_params *mp,
		      char *err, size_t errlen)
{
	int r;

	machine_destroy();
	if (topology_build(d, err, errlen) || memmap_build(d, err, errlen))
		goto fail;
	topology_set_built(true);
	if (dram_init(dp, node_bw)) {
		MERR(err, errlen, "dram: bad parameters (see the log)");
		goto fail;
	}
	r = memsys_init(mp, err, errlen);
	if (r) {
		if (err && errlen && !*err)
			MERR(err, errlen, "memsys_init failed (%d)", r);
		goto fail;
	}
	return 0;
fail:
	machine_destroy();
	return -1;
}

int machine_build_desc(const struct machine_desc *d, char *err, size_t errlen)
{
	struct dram_params dp;
	struct memsys_params mp;

	if (err && errlen)
		*err = 0;
	dram_default_params(&dp);
	memsys_default_params(&mp);
	mp.timing = sim_params()->timing;
	return build_core(d, &dp, NULL, &mp, err, errlen);
}

int machine_check(void)
{
	if (topology_check() || memmap_check() || dram_check() || dma_check())
		return -1;
	if (memsys_ready() && memsys_check())
		return -1;
	return 0;
}

/* ---------------------------------------------------------------------------
 * Preset lookup
 */

static bool readable(const char *p)
{
	return access(p, R_OK) == 0;
}

int machine_preset_path(const char *name, char *buf, size_t len)
{
	const char *env = getenv("MMSIM_PRESETS");
	char exe[PATH_MAX], first[PATH_MAX];
	ssize_t n;

	if (!name || !*name || strchr(name, '/')) {
		snprintf(buf, len, "%s", name ? name : "");
		return readable(buf) ? 0 : -ENOENT;
	}
	if (env && *env) {
		snprintf(buf, len, "%s/%s.yaml", env, name);
		if (readable(buf))
			return 0;
	}
	snprintf(first, sizeof(first), "machine/presets/%s.yaml", name);
	if (readable(first)) {
		snprintf(buf, len, "%s", first);
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *dir;

		exe[n] = 0;
		dir = dirname(exe);             /* .../build or .../build/tests */
		for (int up = 0; up < 3; up++) {
			char cand[PATH_MAX + 64];

			snprintf(cand, sizeof(cand), "%s/machine/presets/%s.yaml", dir, name);
			if (readable(cand)) {
				snprintf(buf, len, "%s", cand);
				return 0;
			}
			dir = dirname(dir);
		}
	}
	snprintf(buf, len, "%s", first);
	return -ENOENT;
}

/* ---------------------------------------------------------------------------
 * Config helpers
 */

/* Resolve a file name relative to the directory of the config file naming it. */
static void resolve_rel(const struct cfg_node *n, const char *name, char *out, size_t len)
{
	const char *file = cfg_file(n);
	char tmp[PATH_MAX];

	snprintf(out, len, "%s", name);
	if (name[0] == '/' || readable(name) || !file || !strchr(file, '/'))
		return;
	snprintf(tmp, sizeof(tmp), "%s", file);
	snprintf(out, len, "%s/%s", dirname(tmp), name);
	if (!readable(out))
		snprintf(out, len, "%s", name);
}

/* An address: "0x..." hex, or a size with units ("4GiB"). */
static bool node_addr(struct cfg_node *n, const char *what, uint64_t *out)
{
	const char *s = cfg_scalar(n);

	if (!s) {
		cfg_fail(cfg_doc(n), n, what, "expected an address like 0x100000000 or 4GiB");
		return false;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		char *end;
		errno = 0;
		unsigned long long v = strtoull(s + 2, &end, 16);
		if (errno || *end || end == s + 2) {
			cfg_fail(cfg_doc(n), n, what, "expected a 64-bit hex address, got '%s'", s);
			return false;
		}
		cfg_mark_used(n);
		*out = v;
		return true;
	}
	*out = cfg_node_u64(n, CFG_UNIT_BYTES, 0, 0, UINT64_MAX);
	return !cfg_failed(cfg_doc(n));
}

static uint64_t map_addr(struct cfg_node *map, const char *key, uint64_t def, bool *ok)
{
	struct cfg_node *n = cfg_get(map, key);
	uint64_t v = def;

	if (n && !node_addr(n, key, &v))
		*ok = false;
	return v;
}

/* ---------------------------------------------------------------------------
 * The machine section
 */

static struct machine_desc g_desc;       /* large: keep it off the stack */

static void read_cache(struct cfg_node *caches, const char *key, struct cache_geom *g)
{
	struct cfg_node *m;
	uint64_t sets;

	if (!cfg_has(caches, key))
		return;
	m = cfg_map(caches, key);
	if (!m)
		return;
	g->size = cfg_u64(m, "size", CFG_UNIT_BYTES, g->size, 256, 1ULL << 40);
	g->ways = (unsigned)cfg_u64(m, "ways", CFG_UNIT_NONE, g->ways, 1, 1024);
	g->line = (unsigned)cfg_u64(m, "line", CFG_UNIT_BYTES, g->line, 16, 4096);
	g->hit_cycles = (unsigned)cfg_u64(m, "latency", CFG_UNIT_NONE, g->hit_cycles, 0, 10000);
	if (cfg_failed(cfg_doc(m)))
		return;
	if (g->line & (g->line - 1)) {
		cfg_fail(cfg_doc(m), m, key, "line size %u is not a power of two", g->line);
		return;
	}
	if ((uint64_t)g->line * g->ways > g->size || g->size % ((uint64_t)g->line * g->ways)) {
		cfg_fail(cfg_doc(m), m, key, "size %" PRIu64 " is not a multiple of line × ways = %u",
			 g->size, g->line * g->ways);
		return;
	}
	sets = g->size / ((uint64_t)g->line * g->ways);
	if (sets & (sets - 1))
		cfg_fail(cfg_doc(m), m, key, "set count %" PRIu64 " (size / (line × ways)) is not "
			 "a power of two", sets);
}

static void read_tlb(struct cfg_node *tlb, const char *key, struct tlb_geom *g)
{
	struct cfg_node *m;

	if (!cfg_has(tlb, key))
		return;
	m = cfg_map(tlb, key);
	if (!m)
		return;
	g->entries = (unsigned)cfg_u64(m, "entries", CFG_UNIT_NONE, g->entries, 0, 1 << 20);
	g->ways = (unsigned)cfg_u64(m, "ways", CFG_UNIT_NONE, g->ways, 0, 1 << 20);
	if (cfg_failed(cfg_doc(m)) || !g->entries)
		return;
	if (!g->ways || g->ways > g->entries || g->entries % g->ways ||
	    ((g->entries / g->ways) & (g->entries / g->ways - 1)))
		cfg_fail(cfg_doc(m), m, key, "%u entries / %u ways: the set count must be a power "
			 "of two", g->entries, g->ways);
}

static void read_memsys(struct cfg_node *mc, struct memsys_params *p)
{
	struct cfg_node *c, *t;
	char err[256] = "";

	memsys_default_params(p);
	p->timing = sim_params()->timing;
	if (cfg_has(mc, "caches")) {
		c = cfg_map(mc, "caches");
		if (c) {
			read_cache(c, "l1d", &p->l1d);
			read_cache(c, "l2", &p->l2);
			read_cache(c, "llc", &p->llc);
			p->snoop_cycles = (unsigned)cfg_u64(c, "snoop_cycles", CFG_UNIT_NONE,
							    p->snoop_cycles, 0, 10000);
		}
	}
	if (cfg_has(mc, "tlb")) {
		t = cfg_map(mc, "tlb");
		if (t) {
			static const char *const dm[] = { "1GiB", "2MiB", NULL };
			read_tlb(t, "dtlb_4k", &p->dtlb_4k);
			read_tlb(t, "dtlb_2m", &p->dtlb_2m);
			read_tlb(t, "dtlb_1g", &p->dtlb_1g);
			read_tlb(t, "stlb", &p->stlb);
			read_tlb(t, "stlb_1g", &p->stlb_1g);
			read_tlb(t, "pml4e_cache", &p->pml4e_cache);
			read_tlb(t, "pdpte_cache", &p->pdpte_cache);
			read_tlb(t, "pde_cache", &p->pde_cache);
			p->stlb_hit_cycles = (unsigned)cfg_u64(t, "stlb_hit_cycles", CFG_UNIT_NONE,
							       p->stlb_hit_cycles, 0, 10000);
			p->walk_base_cycles = (unsigned)cfg_u64(t, "walk_base_cycles", CFG_UNIT_NONE,
								p->walk_base_cycles, 0, 10000);
			p->pscache = cfg_bool(t, "pscache", p->pscache);
			p->direct_map_shift = cfg_enum(t, "direct_map", dm,
						       p->direct_map_shift == 21 ? 1 : 0) == 1 ? 21 : 30;
			p->invlpg_time = cfg_u64(t, "invlpg", CFG_UNIT_TIME, p->invlpg_time, 0, SIM_SEC);
			p->full_flush_time = cfg_u64(t, "full_flush", CFG_UNIT_TIME, p->full_flush_time,
						     0, SIM_SEC);
			p->ipi_time = cfg_u64(t, "ipi", CFG_UNIT_TIME, p->ipi_time, 0, SIM_SEC);
			p->flush_ceiling = (unsigned)cfg_u64(t, "flush_ceiling", CFG_UNIT_NONE,
							     p->flush_ceiling, 0, 1 << 20);
		}
	}
	if (!cfg_failed(cfg_doc(mc)) && memsys_validate(p, err, sizeof(err)))
		cfg_fail(cfg_doc(mc), cfg_has(mc, "caches") ? cfg_get(mc, "caches") : mc,
			 "caches", "%s", err);
}

static void read_dram(struct cfg_node *mc, struct dram_params *p, int nr_nodes)
{
	struct cfg_node *m, *lm;

	dram_default_params(p);
	if (!cfg_has(mc, "dram"))
		return;
	m = cfg_map(mc, "dram");
	if (!m)
		return;
	p->latency = cfg_u64(m, "latency", CFG_UNIT_TIME, p->latency, SIM_NS, SIM_MS);
	p->row_hit_saving = cfg_u64(m, "row_hit_saving", CFG_UNIT_TIME, p->row_hit_saving, 0, SIM_MS);
	p->banks = (unsigned)cfg_u64(m, "banks", CFG_UNIT_NONE, p->banks, 1, 4096);
	p->row_bytes = (unsigned)cfg_u64(m, "row_size", CFG_UNIT_BYTES, p->row_bytes, 64, 1 << 20);
	p->bandwidth = cfg_u64(m, "bandwidth", CFG_UNIT_BANDWIDTH, p->bandwidth, 1000000, UINT64_MAX);
	p->core_bandwidth = cfg_u64(m, "core_bandwidth", CFG_UNIT_BANDWIDTH, p->core_bandwidth,
				    1000000, UINT64_MAX);
	p->interconnect_bandwidth = cfg_u64(m, "interconnect_bandwidth", CFG_UNIT_BANDWIDTH,
					    p->interconnect_bandwidth, 0, UINT64_MAX);
	if (cfg_failed(cfg_doc(m)))
		return;
	if (p->banks & (p->banks - 1))
		cfg_fail(cfg_doc(m), cfg_get(m, "banks"), "banks", "%u banks: expected a power of two",
			 p->banks);
	else if (p->row_bytes & (p->row_bytes - 1))
		cfg_fail(cfg_doc(m), cfg_get(m, "row_size"), "row_size",
			 "%u bytes: expected a power of two", p->row_bytes);
	else if (p->row_hit_saving >= p->latency)
		cfg_fail(cfg_doc(m), cfg_get(m, "row_hit_saving"), "row_hit_saving",
			 "must be smaller than latency");
	lm = cfg_seq(m, "latency_matrix");
	if (!lm || cfg_failed(cfg_doc(m)))
		return;
	if ((int)cfg_len(lm) != nr_nodes) {
		cfg_fail(cfg_doc(m), lm, "latency_matrix", "%zu rows for %d nodes", cfg_len(lm), nr_nodes);
		return;
	}
	for (int i = 0; i < nr_nodes; i++) {
		struct cfg_node *row = cfg_at(lm, (size_t)i);
		if (cfg_kind(row) != CFG_SEQ || (int)cfg_len(row) != nr_nodes) {
			cfg_fail(cfg_doc(m), row, "latency_matrix", "row %d: expected %d latencies", i,
				 nr_nodes);
			return;
		}
		for (int j = 0; j < nr_nodes; j++)
			p->latency_matrix[i][j] = cfg_node_u64(cfg_at(row, (size_t)j), CFG_UNIT_TIME,
							       p->latency, p->row_hit_saving + 1, SIM_MS);
	}
	p->has_matrix = true;
}

static void read_distances(struct cfg_node *mc, struct machine_desc *d)
{
	static int dist[MACHINE_MAX_NODES * MACHINE_MAX_NODES];
	struct cfg_node *dn = cfg_get(mc, "distances");
	struct cfg *doc = cfg_doc(mc);
	int n = d->nr_nodes, bi, bj, r;
	char err[256];

	if (!dn)
		return;
	if (cfg_kind(dn) == CFG_SCALAR) {
		char path[PATH_MAX];
		int fn;

		resolve_rel(dn, cfg_scalar(dn), path, sizeof(path));
		cfg_mark_used(dn);
		if (machine_read_distances(path, dist, &fn, err, sizeof(err))) {
			cfg_fail(doc, dn, "distances", "%s", err);
			return;
		}
		if (fn != n) {
			cfg_fail(doc, dn, "distances", "%s has %d rows, the machine has %d nodes",
				 path, fn, n);
			return;
		}
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++)
				d->distance[i][j] = dist[i * n + j];
		return;
	}
	if (cfg_kind(dn) != CFG_SEQ) {
		cfg_fail(doc, dn, "distances", "expected a list of rows or a file name");
		return;
	}
	if ((int)cfg_len(dn) != n) {
		cfg_fail(doc, dn, "distances", "%zu rows for %d nodes: expected an %d×%d matrix",
			 cfg_len(dn), n, n, n);
		return;
	}
	for (int i = 0; i < n; i++) {
		struct cfg_node *row = cfg_at(dn, (size_t)i);
		if (cfg_kind(row) != CFG_SEQ || (int)cfg_len(row) != n) {
			cfg_fail(doc, row, "distances", "row %d: expected %d distances", i, n);
			return;
		}
		for (int j = 0; j < n; j++)
			dist[i * n + j] = (int)cfg_node_u64(cfg_at(row, (size_t)j), CFG_UNIT_NONE, 0, 0,
							    100000);
	}
	if (cfg_failed(doc))
		return;
	r = machine_validate_distances(n, dist, &bi, &bj, err, sizeof(err));
	if (r < 0) {
		cfg_fail(doc, cfg_at(cfg_at(dn, (size_t)bi), (size_t)bj), "distances", "%s", err);
		return;
	}
	if (r > 0)
		sim_warn("%s:%d:%d: machine.distances: the SLIT is asymmetric (allowed, but the "
			 "fallback order differs per node)", cfg_file(dn), cfg_line(dn), cfg_col(dn));
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			d->distance[i][j] = dist[i * n + j];
}

static void read_nodes(struct cfg_node *mc, struct machine_desc *d, uint64_t *node_bw)
{
	struct cfg *doc = cfg_doc(mc);
	struct cfg_node *nn = cfg_get(mc, "nodes"), *cn;
	int cpus[MACHINE_MAX_NODES] = { 0 }, total = 0;

	d->nr_nodes = 1;
	cpus[0] = 1;
	if (nn && cfg_kind(nn) == CFG_SCALAR) {
		d->nr_nodes = (int)cfg_node_u64(nn, CFG_UNIT_NONE, 1, 1, MACHINE_MAX_NODES);
		for (int i = 0; i < d->nr_nodes; i++)
			cpus[i] = 1;
	} else if (nn && cfg_kind(nn) == CFG_SEQ) {
		if (cfg_len(nn) < 1 || cfg_len(nn) > MACHINE_MAX_NODES) {
			cfg_fail(doc, nn, "nodes", "%zu nodes, expected 1..%d", cfg_len(nn),
				 MACHINE_MAX_NODES);
			return;
		}
		d->nr_nodes = (int)cfg_len(nn);
		for (int i = 0; i < d->nr_nodes; i++) {
			struct cfg_node *m = cfg_at(nn, (size_t)i);
			if (cfg_kind(m) != CFG_MAP) {
				cfg_fail(doc, m, "nodes", "node %d: expected a mapping {cpus: N, memory: SIZE}", i);
				return;
			}
			cpus[i] = (int)cfg_u64(m, "cpus", CFG_UNIT_NONE, 1, 0, MACHINE_MAX_CPUS);
			d->node_mem[i] = cfg_u64(m, "memory", CFG_UNIT_BYTES, 0, 0, 1ULL << 52);
			if (cfg_has(m, "bandwidth"))
				node_bw[i] = cfg_u64(m, "bandwidth", CFG_UNIT_BANDWIDTH, 0, 1000000, UINT64_MAX);
			if (d->node_mem[i] % SZ_4K) {
				cfg_fail(doc, cfg_get(m, "memory"), "memory", "%" PRIu64 " bytes is not a "
					 "multiple of 4KiB", d->node_mem[i]);
				return;
			}
		}
	} else if (nn) {
		cfg_fail(doc, nn, "nodes", "expected a node count or a list of {cpus, memory}");
		return;
	}
	if (cfg_has(mc, "cpus_per_node")) {
		int c = (int)cfg_u64(mc, "cpus_per_node", CFG_UNIT_NONE, 1, 0, MACHINE_MAX_CPUS);
		for (int i = 0; i < d->nr_nodes; i++)
			cpus[i] = c;
	}
	if (cfg_has(mc, "memory_per_node")) {
		uint64_t m = cfg_u64(mc, "memory_per_node", CFG_UNIT_BYTES, 0, 0, 1ULL << 52);
		if (m % SZ_4K)
			cfg_fail(doc, cfg_get(mc, "memory_per_node"), "memory_per_node",
				 "%" PRIu64 " bytes is not a multiple of 4KiB", m);
		for (int i = 0; i < d->nr_nodes; i++)
			d->node_mem[i] = m;
	}
	if (cfg_failed(doc))
		return;
	cn = cfg_get(mc, "cpu_nodes");
	if (cn) {
		if (cfg_kind(cn) != CFG_SEQ || cfg_len(cn) < 1 || cfg_len(cn) > MACHINE_MAX_CPUS) {
			cfg_fail(doc, cn, "cpu_nodes", "expected a list of node ids, one per CPU");
			return;
		}
		d->nr_cpus = (int)cfg_len(cn);
		for (int c = 0; c < d->nr_cpus; c++) {
			struct cfg_node *x = cfg_at(cn, (size_t)c);
			uint64_t v = cfg_node_u64(x, CFG_UNIT_NONE, 0, 0, 1u << 20);
			if (cfg_failed(doc))
				return;
			if ((int)v >= d->nr_nodes) {
				cfg_fail(doc, x, "cpu_nodes", "CPU %d is on node %d, which does not exist "
					 "(nodes: 0..%d)", c, (int)v, d->nr_nodes - 1);
				return;
			}
			d->cpu_node[c] = (int)v;
		}
		return;
	}
	for (int i = 0; i < d->nr_nodes; i++)
		total += cpus[i];
	if (total < 1 || total > MACHINE_MAX_CPUS) {
		cfg_fail(doc, nn ? nn : mc, "nodes", "%d CPUs in total, expected 1..%d", total,
			 MACHINE_MAX_CPUS);
		return;
	}
	d->nr_cpus = 0;
	for (int i = 0; i < d->nr_nodes; i++)
		for (int k = 0; k < cpus[i]; k++)
			d->cpu_node[d->nr_cpus++] = i;
}

static void read_ranges(struct cfg_node *mc, struct machine_desc *d)
{
	struct cfg *doc = cfg_doc(mc);
	struct cfg_node *rs = cfg_seq(mc, "memory_ranges");
	bool ok = true;

	if (!rs)
		return;
	if (cfg_len(rs) > MACHINE_MAX_RANGES) {
		cfg_fail(doc, rs, "memory_ranges", "more than %d ranges", MACHINE_MAX_RANGES);
		return;
	}
	d->nr_ranges = 0;
	for (size_t i = 0; i < cfg_len(rs) && ok; i++) {
		struct cfg_node *m = cfg_at(rs, i);
		struct node_mem_range *r = &d->ranges[d->nr_ranges];
		uint64_t size;

		if (cfg_kind(m) != CFG_MAP) {
			cfg_fail(doc, m, "memory_ranges", "expected {node: N, start: ADDR, size: SIZE}");
			return;
		}
		r->nid = (int)cfg_u64(m, "node", CFG_UNIT_NONE, 0, 0, 1u << 20);
		r->start = map_addr(m, "start", 0, &ok);
		size = cfg_u64(m, "size", CFG_UNIT_BYTES, 0, SZ_4K, UINT64_MAX);
		if (!ok || cfg_failed(doc))
			return;
		if (r->nid >= d->nr_nodes) {
			cfg_fail(doc, cfg_get(m, "node"), "node", "memory range on node %d, which does "
				 "not exist (nodes: 0..%d)", r->nid, d->nr_nodes - 1);
			return;
		}
		if ((r->start | size) % SZ_4K || r->start + size < r->start) {
			cfg_fail(doc, m, "memory_ranges", "start and size must be 4KiB-aligned and not wrap");
			return;
		}
		r->end = r->start + size;
		for (int k = 0; k < d->nr_ranges; k++) {
			const struct node_mem_range *o = &d->ranges[k];
			if (r->start < o->end && o->start < r->end) {
				cfg_fail(doc, m, "memory_ranges", "[mem 0x%016" PRIx64 "-0x%016" PRIx64
					 "] of node %d overlaps [mem 0x%016" PRIx64 "-0x%016" PRIx64
					 "] of node %d", r->start, r->end - 1, r->nid, o->start,
					 o->end - 1, o->nid);
				return;
			}
		}
		d->nr_ranges++;
	}
}

static void read_memmap(struct cfg_node *mc, struct machine_desc *d)
{
	struct cfg *doc = cfg_doc(mc);
	struct cfg_node *m, *rs;
	bool ok = true;

	m = cfg_map(mc, "memmap");
	if (!m)
		return;
	d->low_reserved = cfg_bool(m, "legacy_hole", d->low_reserved);
	d->pci_hole = cfg_u64(m, "pci_hole", CFG_UNIT_BYTES, d->pci_hole, 0, 3ULL << 30);
	if (!cfg_failed(doc) && d->pci_hole % (1ULL << 20))
		cfg_fail(doc, cfg_get(m, "pci_hole"), "pci_hole", "expected a multiple of 1MiB");
	d->firmware_reserved = cfg_bool(m, "firmware_reserved", d->firmware_reserved);
	rs = cfg_seq(m, "reserved");
	if (!rs || cfg_failed(doc))
		return;
	for (size_t i = 0; i < cfg_len(rs) && ok; i++) {
		struct cfg_node *e = cfg_at(rs, i);
		if (d->nr_reserved >= MACHINE_MAX_RESERVED) {
			cfg_fail(doc, e, "reserved", "more than %d reserved ranges", MACHINE_MAX_RESERVED);
			return;
		}
		if (cfg_kind(e) != CFG_MAP) {
			cfg_fail(doc, e, "reserved", "expected {start: ADDR, size: SIZE}");
			return;
		}
		d->reserved[d->nr_reserved].addr = map_addr(e, "start", 0, &ok);
		d->reserved[d->nr_reserved].size = cfg_u64(e, "size", CFG_UNIT_BYTES, 0, 1, UINT64_MAX);
		if (cfg_failed(doc))
			return;
		d->nr_reserved++;
	}
}

static void read_devices(struct cfg_node *mc, const struct machine_desc *d)
{
	struct cfg *doc = cfg_doc(mc);
	struct cfg_node *ds = cfg_seq(mc, "devices");
	char err[256];

	if (!ds)
		return;
	for (size_t i = 0; i < cfg_len(ds) && !cfg_failed(doc); i++) {
		struct cfg_node *m = cfg_at(ds, i), *mk;
		struct dma_device_desc dd = { 0 };
		int cpus[1];

		if (cfg_kind(m) != CFG_MAP) {
			cfg_fail(doc, m, "devices", "expected a mapping {name, dma_bits, node, bandwidth, ...}");
			return;
		}
		dd.name = cfg_str(m, "name", NULL);
		if (!dd.name) {
			cfg_fail(doc, m, "name", "every device needs a name");
			return;
		}
		mk = cfg_get(m, "mask");
		if (mk) {
			const char *s = cfg_scalar(mk);
			char *end;
			unsigned long long v;

			errno = 0;
			v = s ? strtoull(s, &end, 0) : 0;
			if (!s || errno == ERANGE) {
				cfg_fail(doc, mk, "mask", "DMA mask '%s' is wider than 64 bits", s ? s : "?");
				return;
			}
			if (*end || end == s) {
				cfg_fail(doc, mk, "mask", "expected a mask like 0xffffffff, got '%s'", s);
				return;
			}
			cfg_mark_used(mk);
			dd.mask = v;
		} else {
			struct cfg_node *bn = cfg_get(m, "dma_bits");
			uint64_t bits = bn ? cfg_node_u64(bn, CFG_UNIT_NONE, 64, 0, 1u << 20) : 64;
			if (cfg_failed(doc))
				return;
			if (bits > 64) {
				cfg_fail(doc, bn, "dma_bits", "a DMA mask of %" PRIu64 " bits is wider "
					 "than 64 bits", bits);
				return;
			}
			if (bits < 24) {
				cfg_fail(doc, bn, "dma_bits", "%" PRIu64 " bits: expected 24..64", bits);
				return;
			}
			dd.mask = DMA_BIT_MASK(bits);
		}
		dd.node = (int)cfg_u64(m, "node", CFG_UNIT_NONE, 0, 0, 1u << 20);
		dd.bandwidth = cfg_u64(m, "bandwidth", CFG_UNIT_BANDWIDTH, 100000000ULL, 1, UINT64_MAX);
		if (cfg_failed(doc))
			return;
		if (dd.node >= d->nr_nodes) {
			cfg_fail(doc, cfg_get(m, "node"), "node", "device %s on node %d, which does not "
				 "exist (nodes: 0..%d)", dd.name, dd.node, d->nr_nodes - 1);
			return;
		}
		dd.irq_cpu = node_cpus(dd.node, cpus, 1) ? cpus[0] : 0;
		dd.irq_cpu = (int)cfg_u64(m, "irq_cpu", CFG_UNIT_NONE, (uint64_t)dd.irq_cpu, 0,
					  (uint64_t)d->nr_cpus - 1);
		dd.mmio_size = cfg_u64(m, "mmio", CFG_UNIT_BYTES, SZ_4K, 0, 1ULL << 40);
		dd.setup_latency = cfg_u64(m, "latency", CFG_UNIT_TIME, SIM_US, 0, SIM_SEC);
		if (cfg_failed(doc))
			return;
		if (!dma_add_device(&dd, err, sizeof(err)))
			cfg_fail(doc, m, "devices", "%s", err);
	}
}

static bool all_digits(const char *k)
{
	if (!k || !*k)
		return false;
	for (; *k; k++)
		if (*k < '0' || *k > '9')
			return false;
	return true;
}

/*
 * "--set machine.nodes.1.memory=1GiB" applied before the preset was merged
 * makes "nodes" a mapping {"1": {memory: 1GiB}}; apply such per-index edits
 * to the preset's node list and put the list in its place.
 */
static int merge_indexed_nodes(struct cfg_node *mc, struct cfg *pc, struct cfg_node *proot)
{
	struct cfg *doc = cfg_doc(mc);
	struct cfg_node *nn = cfg_get(mc, "nodes"), *pn = cfg_get(proot, "nodes");
	char buf[512];

	if (!nn || cfg_kind(nn) != CFG_MAP || !pn || cfg_kind(pn) != CFG_SEQ)
		return 0;
	for (size_t i = 0; i < cfg_len(nn); i++)
		if (!all_digits(cfg_key_at(nn, i)))
			return 0;
	for (size_t i = 0; i < cfg_len(nn); i++) {
		const char *idx = cfg_key_at(nn, i);
		struct cfg_node *m = cfg_val_at(nn, i);

		if (strtoul(idx, NULL, 10) >= cfg_len(pn)) {
			cfg_fail(doc, m, "nodes", "node %s: the preset has only %zu nodes", idx,
				 cfg_len(pn));
			return -1;
		}
		if (cfg_kind(m) != CFG_MAP) {
			cfg_fail(doc, m, "nodes", "node %s: expected {cpus: N, memory: SIZE}", idx);
			return -1;
		}
		for (size_t k = 0; k < cfg_len(m); k++) {
			struct cfg_node *v = cfg_val_at(m, k);
			if (cfg_kind(v) != CFG_SCALAR) {
				cfg_fail(doc, v, cfg_key_at(m, k), "expected a scalar");
				return -1;
			}
			snprintf(buf, sizeof(buf), "nodes.%s.%s=%s", idx, cfg_key_at(m, k), cfg_scalar(v));
			if (cfg_override(pc, buf)) {
				cfg_fail(doc, v, cfg_key_at(m, k), "%s", cfg_error(pc));
				return -1;
			}
		}
	}
	return cfg_merge(doc, nn, pc, cfg_get(proot, "nodes"));
}

/**
 * machine_expand_preset() - merge the preset named by @mc's "preset" key
 * under @mc (keys already in @mc win). Idempotent. Call it before applying
 * --set overrides if they should address the preset's lists
 * ("machine.nodes.0.memory=1GiB"); machine_build() calls it anyway.
 * Return: 0, or -1 with the error recorded in the config.
 */
int machine_expand_preset(struct cfg_node *mc)
{
	struct cfg *doc = cfg_doc(mc);
	const char *name;
	struct cfg_node *pn;
	char path[PATH_MAX];
	struct cfg *pc;
	struct cfg_node *proot;

	if (!mc || cfg_kind(mc) != CFG_MAP)
		return 0;
	name = cfg_str(mc, "preset", NULL);
	pn = cfg_get(mc, "preset");
	if (!name)
		return cfg_failed(doc) ? -1 : 0;
	if (machine_preset_path(name, path, sizeof(path))) {
		cfg_fail(doc, pn, "preset", "no preset '%s' (looked for %s; set MMSIM_PRESETS to "
			 "the presets folder)", name, path);
		return -1;
	}
	pc = cfg_load_file(path);
	if (!pc) {
		cfg_fail(doc, pn, "preset", "%s", cfg_last_load_error());
		return -1;
	}
	proot = cfg_root(pc);
	/* a preset file may hold the mapping directly or under "machine:" */
	if (cfg_kind(proot) == CFG_MAP && cfg_has(proot, "machine"))
		proot = cfg_get(proot, "machine");
	if (cfg_kind(proot) != CFG_MAP) {
		cfg_fail(doc, pn, "preset", "%s: expected a mapping", path);
		cfg_free(pc);
		return -1;
	}
	if (cfg_has(proot, "preset")) {
		cfg_fail(doc, pn, "preset", "%s: presets cannot name another preset", path);
		cfg_free(pc);
		return -1;
	}
	if (merge_indexed_nodes(mc, pc, proot) == 0)
		cfg_merge_defaults(doc, mc, pc, proot);
	cfg_free(pc);
	if (!cfg_has(mc, "name"))
		cfg_str(mc, "name", name);
	return cfg_failed(doc) ? -1 : 0;
}

int machine_build(struct cfg_node *mc)
{
	struct cfg *doc;
	struct machine_desc *d = &g_desc;
	static struct dram_params dp;
	static struct memsys_params mp;
	uint64_t node_bw[MACHINE_MAX_NODES] = { 0 };
	const char *dmesg_file;
	char err[512] = "";

	if (!mc)
		return -1;
	doc = cfg_doc(mc);
	if (cfg_kind(mc) != CFG_MAP) {
		cfg_fail(doc, mc, "machine", "expected a mapping (preset: NAME, nodes: ...)");
		return -1;
	}
	if (cfg_failed(doc) || machine_expand_preset(mc))
		return -1;

	machine_desc_init(d);
	dmesg_file = cfg_str(mc, "from_dmesg", NULL);
	if (dmesg_file) {
		struct cfg_node *dn = cfg_get(mc, "from_dmesg"), *dist = cfg_get(mc, "distances");
		char path[PATH_MAX], dpath[PATH_MAX];
		int cpus = (int)cfg_u64(mc, "cpus", CFG_UNIT_NONE, 0, 0, MACHINE_MAX_CPUS);

		resolve_rel(dn, dmesg_file, path, sizeof(path));
		if (dist && cfg_kind(dist) == CFG_SCALAR) {
			resolve_rel(dist, cfg_scalar(dist), dpath, sizeof(dpath));
			cfg_mark_used(dist);
		}
		if (cfg_failed(doc))
			return -1;
		if (machine_parse_dmesg(d, path, dist && cfg_kind(dist) == CFG_SCALAR ? dpath : NULL,
					cpus, err, sizeof(err))) {
			cfg_fail(doc, dn, "from_dmesg", "%s", err);
			return -1;
		}
		if (dist && cfg_kind(dist) == CFG_SEQ)
			read_distances(mc, d);
	} else {
		read_nodes(mc, d, node_bw);
		if (!cfg_failed(doc))
			read_distances(mc, d);
		if (!cfg_failed(doc))
			read_ranges(mc, d);
		if (!cfg_failed(doc) && !d->nr_ranges) {
			uint64_t total = 0;
			for (int i = 0; i < d->nr_nodes; i++)
				total += d->node_mem[i];
			if (!total)
				cfg_fail(doc, cfg_has(mc, "nodes") ? cfg_get(mc, "nodes") : mc, "nodes",
					 "the machine has no memory: give nodes: [{cpus: N, memory: SIZE}], "
					 "memory_per_node: SIZE or preset: NAME");
		}
	}
	if (cfg_has(mc, "name") || !dmesg_file)
		snprintf(d->name, sizeof(d->name), "%s", cfg_str(mc, "name", "custom"));
	if (cfg_has(mc, "cpu_freq") || !dmesg_file)
		d->cpu_freq_hz = cfg_u64(mc, "cpu_freq", CFG_UNIT_FREQ, d->cpu_freq_hz, 1000000,
					 100000000000ULL);
	if (!cfg_failed(doc))
		read_memmap(mc, d);
	if (!cfg_failed(doc))
		read_dram(mc, &dp, d->nr_nodes);
	if (!cfg_failed(doc))
		read_memsys(mc, &mp);
	if (cfg_failed(doc))
		return -1;
	if (build_core(d, &dp, node_bw, &mp, err, sizeof(err))) {
		cfg_fail(doc, mc, "machine", "%s", err);
		return -1;
	}
	read_devices(mc, d);
	if (cfg_failed(doc)) {
		machine_destroy();
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------------------
 * Convenience builders
 */

int machine_build_yaml(const char *yaml, char *err, size_t errlen)
{
	struct cfg *c = cfg_load_string("machine", yaml);
	int r;

	if (!c) {
		MERR(err, errlen, "%s", cfg_last_load_error());
		return -1;
	}
	r = machine_build(cfg_root(c));
	if (r == 0 && cfg_check_unused(c))
		r = -1;
	if (r) {
		MERR(err, errlen, "%s", cfg_error(c) ? cfg_error(c) : "machine build failed");
		machine_destroy();
	}
	cfg_free(c);
	return r;
}

int machine_build_preset(const char *name)
{
	char yaml[256], err[512];

	snprintf(yaml, sizeof(yaml), "preset: %s\n", name);
	if (machine_build_yaml(yaml, err, sizeof(err))) {
		sim_error("machine preset %s: %s", name, err);
		return -1;
	}
	return 0;
}

int machine_build_from_dmesg(const char *dmesg_path, const char *distances_path,
			     int cpus_override, char *err, size_t errlen)
{
	struct machine_desc *d = &g_desc;

	if (machine_parse_dmesg(d, dmesg_path, distances_path, cpus_override, err, errlen))
		return -1;
	return machine_build_desc(d, err, errlen);
}
