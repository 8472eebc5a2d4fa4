/* SPDX-License-Identifier: MIT */
/*
 * tests/check_topology.c — machine topology, memory map, presets, config
 * errors, dmesg import, execution contexts and DRAM timing.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cpu.h"
#include "machine/dma.h"
#include "machine/dram.h"
#include "machine/machine.h"
#include "sim/config.h"
#include "sim/engine.h"
#include "sim/log.h"
#include "tests/suites.h"
#include "tests/testutil.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static void setup(void)
{
	sim_log_set_level(SIM_LOG_ERROR);
	ck_assert_int_eq(sim_init(NULL), 0);
}

static void build_yaml_ok(const char *yaml)
{
	char err[512] = "";
	int r = machine_build_yaml(yaml, err, sizeof(err));

	ck_assert_msg(r == 0, "build failed: %s", err);
	ck_assert_int_eq(machine_check(), 0);
}

static void build_yaml_fails(const char *yaml, const char *want1, const char *want2)
{
	char err[512] = "";
	int r = machine_build_yaml(yaml, err, sizeof(err));

	ck_assert_msg(r != 0, "build of bad machine succeeded:\n%s", yaml);
	ck_assert_msg(strstr(err, want1), "error '%s' lacks '%s'", err, want1);
	if (want2)
		ck_assert_msg(strstr(err, want2), "error '%s' lacks '%s'", err, want2);
	ck_assert(!machine_built());
}

/* --- presets ------------------------------------------------------------------ */

START_TEST(test_preset_tiny)
{
	setup();
	ck_assert_int_eq(machine_build_preset("tiny"), 0);
	ck_assert_int_eq(machine_check(), 0);
	ck_assert_str_eq(machine_name(), "tiny");
	ck_assert_int_eq(machine_nr_nodes(), 1);
	ck_assert_int_eq(machine_nr_cpus(), 2);
	ck_assert_uint_eq(cpu_freq_hz(1), 3000000000ULL);
	/* 512 MiB minus the legacy hole 640 KiB..1 MiB */
	ck_assert_uint_eq(machine_total_ram(), 512 * MiB - 384 * 1024);
	ck_assert_uint_eq(machine_max_phys(), 512 * MiB);
	ck_assert_int_eq(dma_nr_devices(), 3);
}
END_TEST

START_TEST(test_preset_two_socket)
{
	setup();
	ck_assert_int_eq(machine_build_preset("two-socket"), 0);
	ck_assert_int_eq(machine_check(), 0);
	ck_assert_int_eq(machine_nr_nodes(), 2);
	ck_assert_int_eq(machine_nr_cpus(), 32);
	ck_assert_int_eq(node_nr_cpus(0), 16);
	ck_assert_int_eq(cpu_to_node(15), 0);
	ck_assert_int_eq(cpu_to_node(16), 1);
	ck_assert_int_eq(node_distance(0, 1), 21);
	ck_assert_int_eq(node_distance(1, 1), LOCAL_DISTANCE);
	ck_assert_uint_eq(node_ram_bytes(0), 32 * GiB - 384 * 1024);
	ck_assert_uint_eq(node_ram_bytes(1), 32 * GiB);
	ck_assert_uint_eq(dram_latency(0, 1), 154 * SIM_NS);
	ck_assert_uint_eq(dram_latency(1, 1), 82 * SIM_NS);
}
END_TEST

START_TEST(test_preset_ring_and_1tib)
{
	setup();
	ck_assert_int_eq(machine_build_preset("four-node-ring"), 0);
	ck_assert_int_eq(machine_check(), 0);
	ck_assert_int_eq(machine_nr_nodes(), 4);
	ck_assert_int_eq(node_distance(0, 2), 31);
	ck_assert_int_eq(node_distance(3, 0), 21);
	/* no latency matrix: SLIT-scaled, 82 ns × 31 / 10 */
	ck_assert_uint_eq(dram_latency(0, 2), 82 * SIM_NS * 31 / 10);
	ck_assert_int_eq(machine_build_preset("four-node-1tib"), 0);
	ck_assert_int_eq(machine_check(), 0);
	ck_assert_uint_eq(machine_total_ram(), 1024 * GiB - 384 * 1024);
	ck_assert_int_eq(phys_to_nid(1024 * GiB + GiB - 1), 3);       /* moved above 4 GiB */
	ck_assert_int_eq(phys_to_nid(1025 * GiB), NUMA_NO_NODE);
}
END_TEST

START_TEST(test_preset_missing)
{
	char path[512];

	setup();
	ck_assert_int_eq(machine_preset_path("no-such-box", path, sizeof(path)), -ENOENT);
	build_yaml_fails("preset: no-such-box\n", "no preset 'no-such-box'", "machine:1:");
}
END_TEST

START_TEST(test_preset_overrides)
{
	setup();
	build_yaml_ok("preset: two-socket\nmemory_per_node: 64MiB\ncpus_per_node: 2\n");
	ck_assert_int_eq(machine_nr_cpus(), 4);
	ck_assert_uint_eq(node_ram_bytes(1), 64 * MiB);
	ck_assert_int_eq(node_distance(1, 0), 21);             /* kept from the preset */
	ck_assert_int_eq(phys_to_nid(64 * MiB), 1);
}
END_TEST

START_TEST(test_preset_indexed_set)
{
	struct cfg *c;

	setup();
	/* --set applied before the preset is expanded */
	c = cfg_load_string("scenario", "preset: two-socket\n");
	ck_assert_int_eq(cfg_override(c, "nodes.1.memory=64MiB"), 0);
	ck_assert_int_eq(cfg_override(c, "nodes.0.memory=128MiB"), 0);
	ck_assert_msg(machine_build(cfg_root(c)) == 0, "%s", cfg_error(c));
	ck_assert_int_eq(cfg_check_unused(c), 0);
	ck_assert_uint_eq(node_ram_bytes(0), 128 * MiB - 384 * 1024);
	ck_assert_uint_eq(node_ram_bytes(1), 64 * MiB);
	ck_assert_int_eq(machine_nr_cpus(), 32);
	cfg_free(c);
	/* ... and after machine_expand_preset() */
	c = cfg_load_string("scenario", "preset: two-socket\n");
	ck_assert_int_eq(machine_expand_preset(cfg_root(c)), 0);
	ck_assert_int_eq(cfg_override(c, "nodes.0.cpus=2"), 0);
	ck_assert_int_eq(cfg_override(c, "memory_per_node=32MiB"), 0);
	ck_assert_msg(machine_build(cfg_root(c)) == 0, "%s", cfg_error(c));
	ck_assert_int_eq(machine_nr_cpus(), 18);
	ck_assert_int_eq(cpu_to_node(2), 1);
	cfg_free(c);
	/* an index the preset does not have */
	c = cfg_load_string("scenario", "preset: tiny\n");
	ck_assert_int_eq(cfg_override(c, "nodes.3.memory=64MiB"), 0);
	ck_assert_int_ne(machine_build(cfg_root(c)), 0);
	ck_assert_ptr_nonnull(strstr(cfg_error(c), "only 1 nodes"));
	cfg_free(c);
}
END_TEST

/* --- memory map ----------------------------------------------------------------- */

START_TEST(test_e820_low_holes)
{
	const struct e820_entry *e;
	int n;

	setup();
	build_yaml_ok("preset: tiny\nmemory_per_node: 16MiB\n");
	n = machine_e820(&e);
	ck_assert_int_ge(n, 3);
	ck_assert_uint_eq(e[0].addr, 0);
	ck_assert_uint_eq(e[0].size, 0xa0000);
	ck_assert_int_eq(e[0].type, E820_TYPE_RAM);
	ck_assert_uint_eq(e[1].addr, 0xa0000);
	ck_assert_uint_eq(e[1].size, 0x60000);
	ck_assert_int_eq(e[1].type, E820_TYPE_RESERVED);
	ck_assert_uint_eq(e[2].addr, 0x100000);
	ck_assert_uint_eq(e[2].addr + e[2].size, 16 * MiB);
	ck_assert_int_eq(e[2].type, E820_TYPE_RAM);
	/* firmware entries in the PCI hole */
	ck_assert_uint_eq(e[n - 1].addr, 0xfffc0000ULL);
	ck_assert_int_eq(e[n - 1].type, E820_TYPE_RESERVED);
	for (int i = 1; i < n; i++)
		ck_assert_uint_le(e[i - 1].addr + e[i - 1].size, e[i].addr);
}
END_TEST

START_TEST(test_e820_pci_hole)
{
	const struct node_mem_range *r;
	int n;

	setup();
	/* 5 GiB on one node: [0, 3G) + [4G, 6G) */
	build_yaml_ok("nodes: [{cpus: 1, memory: 5GiB}]\n");
	n = machine_node_ranges(&r);
	ck_assert_int_eq(n, 2);
	ck_assert_uint_eq(r[0].end, 3 * GiB);
	ck_assert_uint_eq(r[1].start, 4 * GiB);
	ck_assert_uint_eq(r[1].end, 6 * GiB);
	ck_assert_int_eq(phys_to_nid(3 * GiB + 5), NUMA_NO_NODE);
	ck_assert_uint_eq(machine_max_phys(), 6 * GiB);
	ck_assert_uint_eq(machine_total_ram(), 5 * GiB - 384 * 1024);

	/* pci_hole: 0 — RAM runs through 4 GiB, no firmware entries collide with it */
	build_yaml_ok("nodes: [{cpus: 1, memory: 5GiB}]\nmemmap: {pci_hole: 0}\n");
	ck_assert_int_eq(machine_node_ranges(&r), 1);
	ck_assert_int_eq(phys_to_nid(0xfee00000ULL), 0);
	ck_assert_uint_eq(machine_total_ram(), 5 * GiB - 384 * 1024);

	/* reserved ranges are carved out of RAM */
	build_yaml_ok("nodes: [{cpus: 1, memory: 64MiB}]\n"
		      "memmap: {reserved: [{start: 0x2000000, size: 4MiB}]}\n");
	ck_assert_uint_eq(machine_total_ram(), 60 * MiB - 384 * 1024);
}
END_TEST

static int slow_nid(phys_addr_t pa)
{
	const struct node_mem_range *r;
	int n = machine_node_ranges(&r);

	for (int i = 0; i < n; i++)
		if (pa >= r[i].start && pa < r[i].end)
			return r[i].nid;
	return NUMA_NO_NODE;
}

START_TEST(test_phys_to_nid)
{
	const struct node_mem_range *r;
	int n;
	uint64_t x = 88172645463325252ULL;

	setup();
	ck_assert_int_eq(machine_build_preset("two-socket"), 0);
	ck_assert_int_eq(phys_to_nid(0), 0);
	ck_assert_int_eq(phys_to_nid(3 * GiB - 1), 0);
	ck_assert_int_eq(phys_to_nid(3 * GiB), NUMA_NO_NODE);
	ck_assert_int_eq(phys_to_nid(4 * GiB), 0);
	ck_assert_int_eq(phys_to_nid(33 * GiB - 1), 0);
	ck_assert_int_eq(phys_to_nid(33 * GiB), 1);
	ck_assert_int_eq(phys_to_nid(65 * GiB - 1), 1);
	ck_assert_int_eq(phys_to_nid(65 * GiB), NUMA_NO_NODE);
	ck_assert_int_eq(phys_to_nid(~0ULL), NUMA_NO_NODE);

	/* unaligned node boundaries exercise the mixed-granule fallback */
	build_yaml_ok("nodes: [{cpus: 1, memory: 100MiB}, {cpus: 1, memory: 7MiB}, "
		      "{cpus: 1, memory: 13MiB}]\n");
	n = machine_node_ranges(&r);
	ck_assert_int_eq(n, 3);
	for (int i = 0; i < n; i++) {
		ck_assert_int_eq(phys_to_nid(r[i].start), r[i].nid);
		ck_assert_int_eq(phys_to_nid(r[i].end - 1), r[i].nid);
	}
	for (int i = 0; i < 100000; i++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		phys_addr_t pa = x % (130 * MiB);
		ck_assert_int_eq(phys_to_nid(pa), slow_nid(pa));
	}
}
END_TEST

START_TEST(test_memoryless_cpuless_nodes)
{
	int cpus[8];

	setup();
	build_yaml_ok("nodes:\n"
		      "  - {cpus: 2, memory: 64MiB}\n"
		      "  - {cpus: 2, memory: 0}\n"
		      "  - {cpus: 0, memory: 32MiB}\n"
		      "distances: [[10, 21, 31], [21, 10, 21], [31, 21, 10]]\n");
	ck_assert_int_eq(machine_nr_nodes(), 3);
	ck_assert(!node_has_memory(1));
	ck_assert(node_has_cpus(1));
	ck_assert(node_has_memory(2));
	ck_assert(!node_has_cpus(2));
	ck_assert_int_eq(machine_nr_memory_nodes(), 2);
	ck_assert_int_eq(phys_to_nid(64 * MiB), 2);
	ck_assert_int_eq(node_cpus(1, cpus, 8), 2);
	ck_assert_int_eq(cpus[0], 2);
	ck_assert_int_eq(cpu_to_node(3), 1);
	ck_assert_int_eq(cpu_to_node(4), NUMA_NO_NODE);
}
END_TEST

START_TEST(test_explicit_ranges)
{
	setup();
	build_yaml_ok("nodes: 2\n"
		      "memory_ranges:\n"
		      "  - {node: 1, start: 0x4000000, size: 64MiB}\n"
		      "  - {node: 0, start: 0, size: 64MiB}\n");
	ck_assert_int_eq(phys_to_nid(0x4000000), 1);
	ck_assert_int_eq(phys_to_nid(0x3ffffff), 0);
	ck_assert_uint_eq(node_ram_bytes(1), 64 * MiB);
	build_yaml_fails("nodes: 2\n"
			 "memory_ranges:\n"
			 "  - {node: 0, start: 0, size: 64MiB}\n"
			 "  - {node: 1, start: 0x3000000, size: 64MiB}\n",
			 "overlaps", "machine:4:");
}
END_TEST

/* --- bad input ------------------------------------------------------------------ */

START_TEST(test_slit_validation)
{
	setup();
	build_yaml_fails("nodes: 2\nmemory_per_node: 16MiB\ndistances:\n  - [11, 21]\n  - [21, 10]\n",
			 "diagonal must be 10", "machine:4:6");
	build_yaml_fails("nodes: 2\nmemory_per_node: 16MiB\ndistances:\n  - [10, 255]\n  - [21, 10]\n",
			 "must be 11..254", "machine:4:10");
	build_yaml_fails("nodes: 2\ndistances:\n  - [10, 5]\n  - [5, 10]\n",
			 "distance[0][1] is 5", NULL);
	build_yaml_fails("nodes: 2\ndistances:\n  - [10, 21]\n", "1 rows for 2 nodes", NULL);
	build_yaml_fails("nodes: 2\ndistances:\n  - [10, 21]\n  - [21]\n", "row 1", NULL);
	/* asymmetric: accepted (with a warning) */
	build_yaml_ok("nodes: 2\nmemory_per_node: 16MiB\ndistances:\n  - [10, 21]\n  - [31, 10]\n");
	ck_assert(!machine_distances_symmetric());
	ck_assert_int_eq(node_distance(1, 0), 31);
	ck_assert_int_eq(node_distance(0, 1), 21);
}
END_TEST

START_TEST(test_slit_validate_function)
{
	int ok[] = { 10, 21, 21, 10 }, bad[] = { 10, 21, 21, 12 }, asym[] = { 10, 21, 40, 10 };
	int bi, bj;
	char err[200];

	ck_assert_int_eq(machine_validate_distances(2, ok, &bi, &bj, err, sizeof(err)), 0);
	ck_assert_int_eq(machine_validate_distances(2, asym, &bi, &bj, err, sizeof(err)), 1);
	ck_assert_int_eq(machine_validate_distances(2, bad, &bi, &bj, err, sizeof(err)), -1);
	ck_assert_int_eq(bi, 1);
	ck_assert_int_eq(bj, 1);
	ck_assert_ptr_nonnull(strstr(err, "distance[1][1] is 12"));
}
END_TEST

START_TEST(test_config_errors)
{
	setup();
	/* CPU on a node that does not exist */
	build_yaml_fails("nodes: [{cpus: 1, memory: 64MiB}, {cpus: 1, memory: 64MiB}]\n"
			 "cpu_nodes: [0, 1, 2]\n", "CPU 2 is on node 2, which does not exist",
			 "machine:2:");
	/* non-power-of-two set count: 1536 KiB / (64 × 16) = 1536 sets */
	build_yaml_fails("nodes: [{cpus: 1, memory: 64MiB}]\n"
			 "caches:\n  l2: {size: 1536KiB, ways: 16, line: 64, latency: 12}\n",
			 "set count 1536", "not a power of two");
	build_yaml_fails("nodes: [{cpus: 1, memory: 64MiB}]\n"
			 "tlb:\n  stlb: {entries: 1000, ways: 10}\n", "power of two", "machine:3:");
	/* DMA masks wider than 64 bits */
	build_yaml_fails("nodes: [{cpus: 1, memory: 64MiB}]\n"
			 "devices: [{name: wide, dma_bits: 65, bandwidth: 1GB/s}]\n",
			 "wider than 64 bits", "machine:2:");
	build_yaml_fails("nodes: [{cpus: 1, memory: 64MiB}]\n"
			 "devices: [{name: wide, mask: 0x1ffffffffffffffff, bandwidth: 1GB/s}]\n",
			 "wider than 64 bits", NULL);
	/* memory not a multiple of 4 KiB; unknown key; no RAM at all */
	build_yaml_fails("nodes: [{cpus: 1, memory: 1000000}]\n", "multiple of 4KiB", NULL);
	build_yaml_fails("nodes: [{cpus: 1, memory: 64MiB}]\nbogus: 1\n", "bogus", NULL);
	build_yaml_fails("nodes: [{cpus: 1, memory: 0}]\n", "has no memory", "machine:1:");
	build_yaml_fails("nodes: [{cpus: 1, memory: 64KiB}]\nmemmap: {reserved: [{start: 0, size: 64KiB}]}\n",
			 "no usable RAM", NULL);
	build_yaml_fails("nodes: [{cpus: 0, memory: 64MiB}]\n", "CPUs in total", NULL);
}
END_TEST

/* --- dmesg import ------------------------------------------------------------- */

/* A 2-socket server's boot log (Dell R640-like), trimmed to the lines that matter
 * plus some that must be ignored. */
static const char dmesg_2node[] =
	"[    0.000000] Linux version 6.1.0-13-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1 (2023-09-29)\n"
	"[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-13-amd64 root=/dev/sda1 ro quiet\n"
	"[    0.000000] BIOS-provided physical RAM map:\n"
	"[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009bfff] usable\n"
	"[    0.000000] BIOS-e820: [mem 0x000000000009c000-0x000000000009ffff] reserved\n"
	"[    0.000000] BIOS-e820: [mem 0x00000000000e0000-0x00000000000fffff] reserved\n"
	"[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000006f5c7fff] usable\n"
	"[    0.000000] BIOS-e820: [mem 0x000000006f5c8000-0x000000007a288fff] reserved\n"
	"[    0.000000] BIOS-e820: [mem 0x000000007a289000-0x000000007af0afff] ACPI NVS\n"
	"[    0.000000] BIOS-e820: [mem 0x000000007af0b000-0x000000007b93afff] ACPI data\n"
	"[    0.000000] BIOS-e820: [mem 0x000000007b93b000-0x000000007b9fffff] usable\n"
	"[    0.000000] BIOS-e820: [mem 0x000000007ba00000-0x000000008fffffff] reserved\n"
	"[    0.000000] BIOS-e820: [mem 0x00000000fed20000-0x00000000fed44fff] reserved\n"
	"[    0.000000] BIOS-e820: [mem 0x00000000ff000000-0x00000000ffffffff] reserved\n"
	"[    0.000000] BIOS-e820: [mem 0x0000000100000000-0x000000107fffffff] usable\n"
	"[    0.000000] NX (Execute Disable) protection: active\n"
	"[    0.000000] DMI: Dell Inc. PowerEdge R640/0H28RR, BIOS 2.11.2 004/21/2021\n"
	"[    0.000000] tsc: Detected 2100.000 MHz processor\n"
	"[    0.000000] e820: update [mem 0x00000000-0x00000fff] usable ==> reserved\n"
	"[    0.000000] e820: remove [mem 0x000a0000-0x000fffff] usable\n"
	"[    0.000000] last_pfn = 0x1080000 max_arch_pfn = 0x400000000\n"
	"[    0.000000] ACPI: SRAT 0x000000007B0F2000 0004D0 (v03 DELL   PE_SC3   00000001 DELL 00000001)\n"
	"[    0.000000] ACPI: SLIT 0x000000007B0F2AD0 00003C (v01 DELL   PE_SC3   00000001 DELL 00000001)\n"
	"[    0.000000] SRAT: PXM 0 -> APIC 0x00 -> Node 0\n"
	"[    0.000000] SRAT: PXM 1 -> APIC 0x20 -> Node 1\n"
	"[    0.000000] ACPI: SRAT: Node 0 PXM 0 [mem 0x00000000-0x7fffffff]\n"
	"[    0.000000] ACPI: SRAT: Node 0 PXM 0 [mem 0x100000000-0x87fffffff]\n"
	"[    0.000000] ACPI: SRAT: Node 1 PXM 1 [mem 0x880000000-0x107fffffff]\n"
	"[    0.000000] ACPI: SRAT: Node 1 PXM 1 [mem 0x2000000000-0x3fffffffff] hotplug\n"
	"[    0.000000] NUMA: Initialized distance table, cnt=2\n"
	"[    0.000000] NUMA: Node 0 [mem 0x00000000-0x7fffffff] + [mem 0x100000000-0x87fffffff] -> [mem 0x00000000-0x87fffffff]\n"
	"[    0.000000] NODE_DATA(0) allocated [mem 0x87ffd5000-0x87fffffff]\n"
	"[    0.000000] NODE_DATA(1) allocated [mem 0x107ffd4000-0x107fffefff]\n"
	"[    0.000000] Zone ranges:\n"
	"[    0.000000]   DMA      [mem 0x0000000000001000-0x0000000000ffffff]\n"
	"[    0.000000]   DMA32    [mem 0x0000000001000000-0x00000000ffffffff]\n"
	"[    0.000000]   Normal   [mem 0x0000000100000000-0x000000107fffffff]\n"
	"[    0.000000] Early memory node ranges\n"
	"[    0.000000]   node   0: [mem 0x0000000000001000-0x000000000009bfff]\n"
	"[    0.000000] Initmem setup node 0 [mem 0x0000000000001000-0x000000087fffffff]\n"
	"[    0.000000] Initmem setup node 1 [mem 0x0000000880000000-0x000000107fffffff]\n"
	"[    0.000000] smpboot: Allowing 8 CPUs, 0 hotplug CPUs\n"
	"[    0.000000] setup_percpu: NR_CPUS:8192 nr_cpumask_bits:8 nr_cpu_ids:8 nr_node_ids:2\n"
	"[    0.210451] smp: Bringing up secondary CPUs ...\n"
	"[    0.210451] x86: Booting SMP configuration:\n"
	"[    0.210455] .... node  #0, CPUs:      #1 #2 #3\n"
	"[    0.221118] .... node  #1, CPUs:   #4 #5\n"
	"[    0.221119]  #6 #7\n"
	"[    0.235091] smp: Brought up 2 nodes, 8 CPUs\n"
	"[    0.235091] smpboot: Max logical packages: 2\n";

static const char distances_2node[] =
	"/sys/devices/system/node/node0/distance:10 21\n"
	"/sys/devices/system/node/node1/distance:21 10\n";

START_TEST(test_dmesg_import)
{
	const char *dm = test_write_file("dmesg.txt", dmesg_2node);
	const char *ds = test_write_file("distance", distances_2node);
	char err[512] = "";
	const struct e820_entry *e;
	int n;

	setup();
	ck_assert_msg(machine_build_from_dmesg(dm, ds, 0, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(machine_check(), 0);
	ck_assert_int_eq(machine_nr_nodes(), 2);
	ck_assert_int_eq(machine_nr_cpus(), 8);
	ck_assert_int_eq(cpu_to_node(0), 0);
	ck_assert_int_eq(cpu_to_node(3), 0);
	ck_assert_int_eq(cpu_to_node(4), 1);
	ck_assert_int_eq(cpu_to_node(7), 1);             /* from the continuation line */
	ck_assert_uint_eq(cpu_freq_hz(0), 2100000000ULL);
	ck_assert_int_eq(node_distance(0, 1), 21);
	n = machine_e820(&e);
	ck_assert_int_eq(n, 12);
	ck_assert_int_eq(e[6].type, E820_TYPE_ACPI);
	ck_assert_int_eq(e[5].type, E820_TYPE_NVS);
	ck_assert_int_eq(phys_to_nid(0x880000000ULL), 1);
	ck_assert_int_eq(phys_to_nid(0x87fffffffULL), 0);
	ck_assert_int_eq(phys_to_nid(0x2000000000ULL), NUMA_NO_NODE);  /* empty hotplug slot */
	ck_assert_uint_eq(node_ram_bytes(1), 32 * GiB);
	ck_assert_uint_eq(node_ram_bytes(0), 30 * GiB + 0x9c000 + (0x6f5c8000 - 0x100000) +
			  (0x7ba00000 - 0x7b93b000));

	/* --cpus override and no distances file: defaults 10/20 */
	ck_assert_int_eq(machine_build_from_dmesg(dm, NULL, 12, err, sizeof(err)), 0);
	ck_assert_int_eq(machine_nr_cpus(), 12);
	ck_assert_int_eq(node_distance(0, 1), REMOTE_DISTANCE);
	ck_assert_int_ge(cpu_to_node(11), 0);
}
END_TEST

/* A QEMU-style log without SRAT lines: nodes come from "Early memory node ranges". */
static const char dmesg_qemu[] =
	"[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n"
	"[    0.000000] BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved\n"
	"[    0.000000] BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff] reserved\n"
	"[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000007ffdffff] usable\n"
	"[    0.000000] BIOS-e820: [mem 0x000000007ffe0000-0x000000007fffffff] reserved\n"
	"[    0.000000] BIOS-e820: [mem 0x00000000feffc000-0x00000000feffffff] reserved\n"
	"[    0.000000] BIOS-e820: [mem 0x00000000fffc0000-0x00000000ffffffff] reserved\n"
	"[    0.000000] BIOS-e820: [mem 0x0000000100000000-0x000000017fffffff] usable\n"
	"[    0.000000] Early memory node ranges\n"
	"[    0.000000]   node   0: [mem 0x0000000000001000-0x000000000009efff]\n"
	"[    0.000000]   node   0: [mem 0x0000000000100000-0x000000007ffdffff]\n"
	"[    0.000000]   node   1: [mem 0x0000000100000000-0x000000017fffffff]\n"
	"[    0.000000] Initmem setup node 0 [mem 0x0000000000001000-0x000000007ffdffff]\n"
	"[    0.000000] Initmem setup node 1 [mem 0x0000000100000000-0x000000017fffffff]\n"
	"[    0.000000] smpboot: Allowing 4 CPUs, 0 hotplug CPUs\n";

START_TEST(test_dmesg_no_srat)
{
	const char *dm = test_write_file("qemu.txt", dmesg_qemu);
	const struct e820_entry *e;
	char err[512] = "", *nonuma;
	int n;

	setup();
	ck_assert_msg(machine_build_from_dmesg(dm, NULL, 0, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(machine_check(), 0);
	ck_assert_int_eq(machine_nr_nodes(), 2);
	ck_assert_int_eq(phys_to_nid(0x100000000ULL), 1);
	ck_assert_uint_eq(node_ram_bytes(1), 2 * GiB);
	/* the partial page 0x9f000-0x9fbff is not RAM any more */
	ck_assert_uint_eq(node_ram_bytes(0), 0x9f000 + (0x7ffe0000 - 0x100000));
	n = machine_e820(&e);
	ck_assert_uint_eq(e[0].size, 0x9f000);
	ck_assert_int_eq(e[1].type, E820_TYPE_RESERVED);
	ck_assert_uint_eq(e[1].addr, 0x9f000);
	ck_assert_int_ge(n, 6);
	/* CPUs not shown in the log are spread over the memory nodes in blocks */
	ck_assert_int_eq(cpu_to_node(1), 0);
	ck_assert_int_eq(cpu_to_node(2), 1);
	ck_assert_int_eq(cpu_to_node(3), 1);

	/* "No NUMA configuration found": one node with all RAM */
	nonuma = malloc(sizeof(dmesg_qemu) + 100);
	snprintf(nonuma, sizeof(dmesg_qemu) + 100, "%s[    0.000000] No NUMA configuration found\n",
		 dmesg_qemu);
	dm = test_write_file("nonuma.txt", nonuma);
	ck_assert_msg(machine_build_from_dmesg(dm, NULL, 0, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(machine_nr_nodes(), 1);
	ck_assert_int_eq(phys_to_nid(0x100000000ULL), 0);
	ck_assert_int_eq(machine_nr_cpus(), 4);
	free(nonuma);
}
END_TEST

START_TEST(test_dmesg_malformed)
{
	char *bad = strdup(dmesg_2node);
	char *p = strstr(bad, "0x0000000000100000-0x000000006f5c7fff]");
	char err[512] = "";
	const char *dm;

	setup();
	ck_assert_ptr_nonnull(p);
	p[37] = ' ';                                   /* drop the ']' */
	dm = test_write_file("bad.txt", bad);
	ck_assert_int_ne(machine_build_from_dmesg(dm, NULL, 0, err, sizeof(err)), 0);
	ck_assert_msg(strstr(err, "bad.txt:7: malformed BIOS-e820"), "%s", err);

	dm = test_write_file("srat.txt", "BIOS-e820: [mem 0x0-0x3fffffff] usable\n"
			     "ACPI: SRAT: Node x PXM 0 [mem 0x0-0x3fffffff]\n");
	ck_assert_int_ne(machine_build_from_dmesg(dm, NULL, 0, err, sizeof(err)), 0);
	ck_assert_msg(strstr(err, "srat.txt:2: malformed SRAT"), "%s", err);

	dm = test_write_file("empty.txt", "hello\n");
	ck_assert_int_ne(machine_build_from_dmesg(dm, NULL, 0, err, sizeof(err)), 0);
	ck_assert_msg(strstr(err, "no 'BIOS-e820"), "%s", err);

	/* distances: a malformed row, and a wrong size */
	dm = test_write_file("ok.txt", dmesg_2node);
	const char *ds = test_write_file("dist-bad", "10 21\n21 x10\n");
	ck_assert_int_ne(machine_build_from_dmesg(dm, ds, 0, err, sizeof(err)), 0);
	ck_assert_msg(strstr(err, "dist-bad:2: expected a row of node distances"), "%s", err);
	ds = test_write_file("dist-1", "10\n");
	ck_assert_int_ne(machine_build_from_dmesg(dm, ds, 0, err, sizeof(err)), 0);
	ck_assert_msg(strstr(err, "1 rows"), "%s", err);
	ds = test_write_file("dist-diag", "10 21\n21 11\n");
	ck_assert_int_ne(machine_build_from_dmesg(dm, ds, 0, err, sizeof(err)), 0);
	ck_assert_msg(strstr(err, "diagonal"), "%s", err);
	free(bad);
}
END_TEST

START_TEST(test_dmesg_roundtrip)
{
	char path[600];
	FILE *f;
	int map[64];
	uint64_t ram0, ram1, total;
	char err[512] = "";

	setup();
	build_yaml_ok("preset: two-socket\nmemory_per_node: 6GiB\ncpus_per_node: 20\n");
	snprintf(path, sizeof(path), "%s/print.txt", test_tmpdir());
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	machine_print(f);
	fclose(f);
	for (int c = 0; c < 40; c++)
		map[c] = cpu_to_node(c);
	ram0 = node_ram_bytes(0);
	ram1 = node_ram_bytes(1);
	total = machine_total_ram();
	ck_assert_msg(machine_build_from_dmesg(path, NULL, 0, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(machine_nr_cpus(), 40);
	for (int c = 0; c < 40; c++)
		ck_assert_int_eq(cpu_to_node(c), map[c]);
	ck_assert_uint_eq(node_ram_bytes(0), ram0);
	ck_assert_uint_eq(node_ram_bytes(1), ram1);
	ck_assert_uint_eq(machine_total_ram(), total);
	ck_assert_uint_eq(cpu_freq_hz(0), 2500000000ULL);
}
END_TEST

START_TEST(test_from_dmesg_config)
{
	char yaml[1200];
	const char *dm = test_write_file("dmesg.txt", dmesg_2node);
	const char *ds = test_write_file("distance", distances_2node);

	setup();
	snprintf(yaml, sizeof(yaml), "from_dmesg: %s\ndistances: %s\ncpus: 4\n"
		 "dram: {latency: 90ns}\n", dm, ds);
	build_yaml_ok(yaml);
	ck_assert_int_eq(machine_nr_cpus(), 4);
	ck_assert_int_eq(node_distance(1, 0), 21);
	ck_assert_uint_eq(dram_latency(0, 0), 90 * SIM_NS);
	ck_assert_ptr_nonnull(strstr(machine_name(), "dmesg"));
}
END_TEST

/* --- contexts -------------------------------------------------------------------- */

struct ctx_obs {
	int hard_cpu, soft_cpu;
	bool hard_in_hardirq, hard_in_interrupt, hard_irqs_off, hard_preemptible, hard_in_task;
	bool soft_in_softirq, soft_in_interrupt, soft_irqs_off, soft_in_hardirq;
	sim_time_t hard_at, soft_at;
	bool task_ok;
	int task_cpu;
	bool t_pre, t_after_disable, t_after_enable, t_irq_save, t_irq_restore, t_in_task;
	int t_count;
};

static void hard_handler(void *arg)
{
	struct ctx_obs *o = arg;

	o->hard_cpu = smp_processor_id();
	o->hard_in_hardirq = in_hardirq();
	o->hard_in_interrupt = in_interrupt();
	o->hard_irqs_off = irqs_disabled();
	o->hard_preemptible = preemptible();
	o->hard_in_task = in_task();
	o->hard_at = sim_now();
	sim_advance(100 * SIM_NS);
}

static void soft_handler(void *arg)
{
	struct ctx_obs *o = arg;

	o->soft_cpu = smp_processor_id();
	o->soft_in_softirq = in_softirq();
	o->soft_in_interrupt = in_interrupt();
	o->soft_irqs_off = irqs_disabled();
	o->soft_in_hardirq = in_hardirq();
	o->soft_at = sim_now();
}

static void task_fn(void *arg)
{
	struct ctx_obs *o = arg;
	unsigned long flags;

	o->task_cpu = smp_processor_id();
	o->t_in_task = in_task() && !in_interrupt();
	o->t_pre = preemptible();
	preempt_disable();
	preempt_disable();
	o->t_count = preempt_count();
	o->t_after_disable = !preemptible();
	preempt_enable();
	preempt_enable();
	o->t_after_enable = preemptible();
	local_irq_save(flags);
	o->t_irq_save = irqs_disabled() && !preemptible();
	local_irq_restore(flags);
	o->t_irq_restore = !irqs_disabled();
	o->task_ok = true;
	ck_assert_int_eq(raise_irq(1, "test", hard_handler, soft_handler, o, 50 * SIM_NS), 0);
}

static void foreign_fn(void *arg)
{
	*(bool *)arg = this_ctx() == boot_ctx() && smp_processor_id() == 0;
}

START_TEST(test_contexts)
{
	struct ctx_obs o;
	bool foreign_ok = false;           /* also the foreign process's (non-exec_ctx) context */

	memset(&o, 0, sizeof(o));
	o.hard_cpu = o.soft_cpu = -1;
	setup();
	build_yaml_ok("preset: tiny\nmemory_per_node: 16MiB\n");
	/* boot context */
	ck_assert_ptr_eq(this_ctx(), boot_ctx());
	ck_assert_int_eq(smp_processor_id(), 0);
	ck_assert(in_task());
	ck_assert(preemptible());
	ck_assert_int_eq(numa_node_id(), 0);
	ck_assert_ptr_nonnull(cpu_spawn("task", 1, CTX_TASK, task_fn, &o, NULL, 10 * SIM_NS));
	ck_assert_ptr_null(cpu_spawn("bad", 7, CTX_TASK, task_fn, &o, NULL, 0));
	ck_assert_int_eq(raise_irq(5, "bad", hard_handler, NULL, &o, 0), -EINVAL);
	ck_assert_ptr_nonnull(sim_spawn("foreign", foreign_fn, &foreign_ok, 0));
	sim_run(10 * SIM_US);
	ck_assert(foreign_ok);
	ck_assert(o.task_ok);
	ck_assert_int_eq(o.task_cpu, 1);
	ck_assert(o.t_in_task);
	ck_assert(o.t_pre);
	ck_assert_int_eq(o.t_count, 2);
	ck_assert(o.t_after_disable);
	ck_assert(o.t_after_enable);
	ck_assert(o.t_irq_save);
	ck_assert(o.t_irq_restore);
	ck_assert_int_eq(o.hard_cpu, 1);
	ck_assert(o.hard_in_hardirq);
	ck_assert(o.hard_in_interrupt);
	ck_assert(o.hard_irqs_off);
	ck_assert(!o.hard_preemptible);
	ck_assert(!o.hard_in_task);
	ck_assert_int_eq(o.soft_cpu, 1);
	ck_assert(o.soft_in_softirq);
	ck_assert(o.soft_in_interrupt);
	ck_assert(!o.soft_irqs_off);
	ck_assert(!o.soft_in_hardirq);
	ck_assert_uint_ge(o.hard_at, 60 * SIM_NS);
	ck_assert_uint_ge(o.soft_at, o.hard_at + 100 * SIM_NS);   /* softirq after the handler */
	ck_assert_uint_eq(cpu_irqs_raised(), 1);
}
END_TEST

/* --- DRAM ------------------------------------------------------------------------ */

START_TEST(test_dram_latency_and_rows)
{
	sim_time_t a, b, c;
	struct dram_stats st;

	setup();
	ck_assert_int_eq(machine_build_preset("two-socket"), 0);
	dram_reset();
	/* local miss, then a row hit in the same 8 KiB row, then a conflict in the bank */
	a = dram_access(0, 0x100000, 64, false);
	b = dram_access(0, 0x100040, 64, false);
	c = dram_access(0, 0x100000 + 16 * 8192, 64, false);
	ck_assert_uint_eq(a, 82 * SIM_NS);
	/* a row hit saves tRCD; it may wait for the previous line's transfer (0.5 ns) */
	ck_assert_uint_ge(b, 82 * SIM_NS - 14 * SIM_NS);
	ck_assert_uint_le(b, 82 * SIM_NS - 14 * SIM_NS + SIM_NS);
	ck_assert_uint_ge(c, 82 * SIM_NS);
	/* remote: node 0's CPU reading node 1's memory */
	ck_assert_uint_ge(dram_access(0, 40 * GiB, 64, false), 154 * SIM_NS);
	ck_assert_int_eq(dram_stats(0, &st), 0);
	ck_assert_uint_eq(st.row_hits, 1);
	ck_assert_uint_eq(st.row_misses, 2);
	ck_assert_int_eq(dram_check(), 0);
}
END_TEST

START_TEST(test_dram_stream_bandwidth)
{
	sim_time_t t1, t2, t3;
	struct dram_stats st;

	setup();
	ck_assert_int_eq(machine_build_preset("two-socket"), 0);
	dram_reset();
	/* one core zeroing 4 KiB: core-bound at 13.7 GB/s ≈ 0.3 µs */
	t1 = dram_stream(0, 0x200000, 4096, true);
	ck_assert_uint_ge(t1, 298 * SIM_NS);
	ck_assert_uint_le(t1, 300 * SIM_NS);
	dram_reset();
	/* a fast agent (1 TB/s) is node-bound: 128 MiB at 128 GB/s ≈ 1.05 ms */
	t2 = dram_stream_bw(0, 0x200000, 128 << 20, true, 1000000000000ULL);
	ck_assert_uint_ge(t2, 1048 * SIM_US);
	ck_assert_uint_le(t2, 1049 * SIM_US);
	/* a second stream issued at the same time queues behind the first */
	t3 = dram_stream_bw(0, 0x200000, 128 << 20, true, 1000000000000ULL);
	ck_assert_uint_ge(t3, 2 * 1048 * SIM_US);
	ck_assert_int_eq(dram_stats(0, &st), 0);
	ck_assert_uint_gt(st.queue_wait, 1000 * SIM_US);
	/* a stream on the other node does not queue */
	ck_assert_uint_le(dram_stream_bw(1, 40 * GiB, 128 << 20, true, 1000000000000ULL),
			  1049 * SIM_US);
}
END_TEST

START_TEST(test_machine_print)
{
	char path[600];
	FILE *f;
	char *text;

	setup();
	ck_assert_int_eq(machine_build_preset("two-socket"), 0);
	snprintf(path, sizeof(path), "%s/m.txt", test_tmpdir());
	f = fopen(path, "w");
	machine_print(f);
	fclose(f);
	text = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(strstr(text, "BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable"));
	ck_assert_ptr_nonnull(strstr(text, "BIOS-e820: [mem 0x00000000000a0000-0x00000000000fffff] reserved"));
	ck_assert_ptr_nonnull(strstr(text, "ACPI: SRAT: Node 1 PXM 1 [mem 0x840000000-0x103fffffff]"));
	ck_assert_ptr_nonnull(strstr(text, "  1:   21  10"));
	ck_assert_ptr_nonnull(strstr(text, "nr_cpu_ids:32 nr_node_ids:2"));
	ck_assert_ptr_nonnull(strstr(text, "mmsim: device nvme0: DMA mask 0xffffffffffffffff (64 bits), node 1"));
	free(text);

	/* the same lines into the simulated kernel log, with dmesg timestamps */
	snprintf(path, sizeof(path), "%s/dmesg.log", test_tmpdir());
	ck_assert_int_eq(sim_dmesg_open(path), 0);
	machine_printk();
	sim_dmesg_close();
	text = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(strstr(text, "] BIOS-e820: [mem 0x0000000100000000-0x000000103fffffff] usable"));
	ck_assert_int_eq(text[0], '[');
	free(text);
}
END_TEST

Suite *topology_suite(void)
{
	Suite *s = suite_create("topology");
	TCase *tc = tcase_create("machine");

	tcase_add_test(tc, test_preset_tiny);
	tcase_add_test(tc, test_preset_two_socket);
	tcase_add_test(tc, test_preset_ring_and_1tib);
	tcase_add_test(tc, test_preset_missing);
	tcase_add_test(tc, test_preset_overrides);
	tcase_add_test(tc, test_preset_indexed_set);
	tcase_add_test(tc, test_e820_low_holes);
	tcase_add_test(tc, test_e820_pci_hole);
	tcase_add_test(tc, test_phys_to_nid);
	tcase_add_test(tc, test_memoryless_cpuless_nodes);
	tcase_add_test(tc, test_explicit_ranges);
	tcase_add_test(tc, test_slit_validation);
	tcase_add_test(tc, test_slit_validate_function);
	tcase_add_test(tc, test_config_errors);
	tcase_add_test(tc, test_dmesg_import);
	tcase_add_test(tc, test_dmesg_no_srat);
	tcase_add_test(tc, test_dmesg_malformed);
	tcase_add_test(tc, test_dmesg_roundtrip);
	tcase_add_test(tc, test_from_dmesg_config);
	tcase_add_test(tc, test_contexts);
	tcase_add_test(tc, test_dram_latency_and_rows);
	tcase_add_test(tc, test_dram_stream_bandwidth);
	tcase_add_test(tc, test_machine_print);
	suite_add_tcase(s, tc);
	return s;
}
