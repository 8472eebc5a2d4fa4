/* SPDX-License-Identifier: MIT */
/*
 * machine/machine.h — the simulated hardware as the kernel model sees it:
 * building the machine from a config, NUMA topology, the physical memory map.
 *
 * One machine per host process (like one SystemC kernel): the accessors below
 * read a global description built by machine_build(). Everything is fixed after
 * build; mm/ queries it during boot and on slow paths (never per access: the
 * cost API in machine/cost.h is the hot path).
 */
#ifndef MMSIM_MACHINE_MACHINE_H
#define MMSIM_MACHINE_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef uint64_t phys_addr_t;

#define MACHINE_MAX_NODES 64
#define MACHINE_MAX_CPUS  1024
#define NUMA_NO_NODE      (-1)
#define LOCAL_DISTANCE    10
#define REMOTE_DISTANCE   20

struct cfg_node;

/**
 * machine_build() - build the machine from the scenario's "machine" mapping:
 * topology, memory map, DRAM, caches/TLBs (memsys_init) and DMA devices. A
 * "preset: NAME" key is expanded first (machine_expand_preset), a
 * "from_dmesg: FILE" key builds nodes/memory/CPUs from a boot log. The schema
 * is documented at the top of machine/build.c.
 * Errors are recorded in the config (file:line:col: key: reason).
 * Return: 0, or -1 with the error kept in the cfg.
 */
int machine_build(struct cfg_node *machine_cfg);
void machine_destroy(void);
bool machine_built(void);

/* --- topology ------------------------------------------------------------ */
int machine_nr_nodes(void);                      /* node ids are 0..n-1 */
int machine_nr_cpus(void);                       /* cpu ids are 0..n-1 (nr_cpu_ids) */
int cpu_to_node(int cpu);
int node_distance(int from, int to);             /* SLIT value, 10 local */
bool node_has_cpus(int nid);
bool node_has_memory(int nid);
int node_nr_cpus(int nid);
uint64_t cpu_freq_hz(int cpu);
const char *machine_name(void);                  /* preset or dmesg source */

/* --- physical memory map (e820-like; sorted, non-overlapping) ------------ */
enum e820_type {
	E820_TYPE_RAM = 1,
	E820_TYPE_RESERVED = 2,
	E820_TYPE_ACPI = 3,
	E820_TYPE_NVS = 4,
	E820_TYPE_UNUSABLE = 5,
};
struct e820_entry {
	phys_addr_t addr;
	uint64_t size;
	enum e820_type type;
};
int machine_e820(const struct e820_entry **out);     /* returns number of entries */

/* The RAM of each node: [start, end) physical ranges (SRAT-like), sorted. */
struct node_mem_range {
	phys_addr_t start, end;
	int nid;
};
int machine_node_ranges(const struct node_mem_range **out);
int phys_to_nid(phys_addr_t pa);                     /* NUMA_NO_NODE if not RAM of any node */
phys_addr_t machine_max_phys(void);                  /* end of the highest RAM range */
uint64_t machine_total_ram(void);                    /* bytes of E820 RAM */

/* --- more topology queries ------------------------------------------------ */
uint64_t node_ram_bytes(int nid);                    /* E820 RAM inside the node's ranges */
phys_addr_t node_start_phys(int nid);                /* lowest address of its ranges (0 if none) */
phys_addr_t node_end_phys(int nid);                  /* end of its highest range (0 if none) */
/** node_cpus() - fill @out with up to @max CPU ids of @nid (ascending). Return: how many CPUs it has. */
int node_cpus(int nid, int *out, int max);
int machine_nr_memory_nodes(void);                   /* nodes with RAM */
bool machine_distances_symmetric(void);

/* --- building without a config ------------------------------------------- */
#define MACHINE_MAX_RANGES   256
#define MACHINE_MAX_E820     256
#define MACHINE_MAX_RESERVED 32

/*
 * struct machine_desc - everything needed to build a machine. Filled by the
 * config builder (build.c), the dmesg importer (dmesg.c) or a test directly.
 * Memory comes either from @node_mem (a generated x86-like layout: node 0 at
 * physical 0, nodes stacked in id order, the legacy hole and the PCI hole cut
 * out) or, if @nr_ranges > 0, from explicit SRAT-like @ranges; the e820 table
 * is generated from them unless @nr_e820 > 0 (a captured BIOS-e820 table).
 */
struct machine_desc {
	char name[64];
	int nr_nodes;
	int nr_cpus;
	int cpu_node[MACHINE_MAX_CPUS];          /* node of each CPU */
	uint64_t cpu_freq_hz;
	int distance[MACHINE_MAX_NODES][MACHINE_MAX_NODES];  /* 0 = default (10 / 20) */
	uint64_t node_mem[MACHINE_MAX_NODES];    /* bytes of address space per node (generated layout) */
	int nr_ranges;
	struct node_mem_range ranges[MACHINE_MAX_RANGES];
	int nr_e820;
	struct e820_entry e820[MACHINE_MAX_E820];
	bool low_reserved;                       /* 640 KiB - 1 MiB reserved (x86 legacy): true */
	uint64_t pci_hole;                       /* bytes below 4 GiB given to PCI: 1 GiB; 0 = none */
	bool firmware_reserved;                  /* IOAPIC / LAPIC / BIOS flash e820 entries: true */
	int nr_reserved;
	struct { phys_addr_t addr; uint64_t size; } reserved[MACHINE_MAX_RESERVED];
};

/** machine_desc_init() - defaults: 1 node, 1 CPU, 2.5 GHz, holes on, no memory. */
void machine_desc_init(struct machine_desc *d);
/**
 * machine_build_desc() - validate @d and build the topology, the memory map,
 * DRAM controllers and the memory system with their default parameters (no
 * devices: see dma_add_device()). Replaces any machine. Asymmetric distances
 * are accepted with a sim_warn().
 * Return: 0, or -1 with a message in @err.
 */
int machine_build_desc(const struct machine_desc *d, char *err, size_t errlen);
/**
 * machine_validate_distances() - SLIT rules: diagonal 10, entries 10..254,
 * off-diagonal entries > 10. @d is row-major n×n. On error returns -1 with the
 * offending row/column in *@bi, *@bj and a message; asymmetry is not an error
 * (Return: 1 if asymmetric, else 0).
 */
int machine_validate_distances(int n, const int *d, int *bi, int *bj, char *err, size_t errlen);

/* --- building from files ---------------------------------------------------- */
/**
 * machine_expand_preset() - merge machine/presets/<preset>.yaml under the
 * "machine" section @machine_cfg (its own keys win); idempotent. Call before
 * applying --set overrides that address the preset's lists
 * ("machine.nodes.0.memory=1GiB"); machine_build() calls it anyway (and also
 * understands such an override applied before the expansion).
 * Return: 0 or -1 (error recorded in the cfg).
 */
int machine_expand_preset(struct cfg_node *machine_cfg);
/**
 * machine_build_preset() - build preset @name (machine/presets/<name>.yaml)
 * with its default everything (DRAM, caches, devices). For benches and tests.
 * Return: 0 or -1 (message logged with sim_error).
 */
int machine_build_preset(const char *name);
/**
 * machine_build_yaml() - build from YAML text holding a machine mapping (the
 * value of a scenario's "machine:" key, e.g. "preset: tiny\nmemory_per_node: 8MiB").
 * Return: 0 or -1 with "file:line:col: key: reason" in @err.
 */
int machine_build_yaml(const char *yaml, char *err, size_t errlen);
/**
 * machine_build_from_dmesg() - build from a Linux boot log: BIOS-e820 table,
 * SRAT / "NUMA: Node" ranges, CPU count (nr_cpu_ids, "Allowing N CPUs"),
 * optional distances file (rows like /sys/devices/system/node/node*\/distance).
 * @cpus_override: > 0 replaces the CPU count. DRAM/caches get their defaults.
 * Return: 0 or -1 with "file:line: reason" in @err.
 */
int machine_build_from_dmesg(const char *dmesg_path, const char *distances_path,
			     int cpus_override, char *err, size_t errlen);
/** machine_parse_dmesg() - as above but only fill @d (no build). */
int machine_parse_dmesg(struct machine_desc *d, const char *dmesg_path,
			const char *distances_path, int cpus_override, char *err, size_t errlen);
/**
 * machine_preset_path() - where preset @name lives: $MMSIM_PRESETS/<name>.yaml,
 * else machine/presets/<name>.yaml under the cwd, else under the directory
 * two levels above /proc/self/exe (build/mmsim → source tree).
 * Return: 0 with the path in @buf, or -ENOENT (then @buf holds the cwd candidate).
 */
int machine_preset_path(const char *name, char *buf, size_t len);

/* --- printing -------------------------------------------------------------- */
/** machine_print() - the machine in dmesg wording (e820 table, SRAT, nodes, distances, CPUs). */
void machine_print(FILE *f);
/** machine_printk() - the same lines through sim_printk() (the run's dmesg.log). */
void machine_printk(void);
/** machine_check() - invariants of the topology and memory map. Return 0 or -1 (sim_error). */
int machine_check(void);

#endif /* MMSIM_MACHINE_MACHINE_H */
