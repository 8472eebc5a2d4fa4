/* SPDX-License-Identifier: MIT */
/*
 * machine/memmap.c — the physical memory map: an x86 e820 table and the
 * SRAT-like memory ranges of each node.
 *
 * What it models: what the firmware hands Linux at boot. Two sources:
 *  - a generated layout (presets): node 0 starts at physical 0, nodes follow in
 *    id order; the legacy area 640 KiB–1 MiB is e820 "reserved"; RAM that
 *    would fall into the PCI hole [4 GiB - pci_hole, 4 GiB) is moved above
 *    4 GiB (the hole is a gap in the e820 table, as on real boards, apart from
 *    the IOAPIC / LAPIC / BIOS-flash reserved entries); extra reserved ranges
 *    are carved out of RAM;
 *  - explicit ranges and/or an explicit e820 table (dmesg import, tests).
 * Overlapping e820 entries are resolved like e820__update_table(): where
 * entries overlap, the one with the higher type number wins (reserved over RAM).
 *
 * Invariants (memmap_check): the e820 table is sorted, non-overlapping, with
 * adjacent entries of the same type merged; RAM entries start and end on
 * 4 KiB boundaries (partial pages at the edges of a captured BIOS table are
 * made "reserved", as memblock would not use them); node ranges are sorted,
 * non-overlapping, each with a valid node id; every byte of E820 RAM lies in
 * exactly one node range (RAM the SRAT does not cover is turned into
 * "reserved" with a warning, as Linux would not use it either); node_ram[]
 * sums to total_ram.
 *
 * phys_to_nid() is a hot-ish path (cost.c asks it per DRAM access): a table
 * indexed by (pa >> granule_shift) answers for granules inside one range;
 * granules that straddle a boundary fall back to a binary search.
 *
 * Simplified vs Linux 6.1: no memory hotplug, no "e820: update" / memmap=
 * edits after boot, no EFI memory map; the first page is not reserved here
 * (memblock in mm/ does that like the kernel does).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/machine.h"
#include "machine/machine_int.h"
#include "sim/log.h"

#define SZ_1M      (1ULL << 20)
#define SZ_4G      (1ULL << 32)
#define LEGACY_START 0xa0000ULL
#define LEGACY_END   0x100000ULL
#define NID_TABLE_MAX 4096
#define NID_MIXED   (-2)

static struct {
	int nr_e820;
	struct e820_entry e820[MACHINE_MAX_E820];
	int nr_ranges;
	struct node_mem_range ranges[MACHINE_MAX_RANGES];
	uint64_t node_ram[MACHINE_MAX_NODES];
	phys_addr_t max_phys;
	uint64_t total_ram;
	uint64_t pci_hole;
	unsigned granule_shift;
	unsigned nid_table_len;
	signed char nid_table[NID_TABLE_MAX];
} mm_map;

const char *e820_type_name(enum e820_type t)
{
	switch (t) {
	case E820_TYPE_RAM: return "usable";
	case E820_TYPE_RESERVED: return "reserved";
	case E820_TYPE_ACPI: return "ACPI data";
	case E820_TYPE_NVS: return "ACPI NVS";
	case E820_TYPE_UNUSABLE: return "unusable";
	}
	return "unknown";
}

void memmap_reset(void)
{
	memset(&mm_map, 0, sizeof(mm_map));
}

uint64_t memmap_pci_hole(void)
{
	return mm_map.pci_hole;
}

/* --- e820 construction ----------------------------------------------------- */

struct raw_entry { phys_addr_t start, end; int type; };

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/*
 * Resolve @n possibly overlapping entries into the sorted, merged table:
 * each elementary interval between boundaries takes the highest type of the
 * entries covering it.
 */
static int e820_sanitize(const struct raw_entry *in, int n, char *err, size_t errlen)
{
	uint64_t *pts = malloc(sizeof(*pts) * (size_t)(2 * n + 1));
	int np = 0, out = 0;

	if (!pts) {
		MERR(err, errlen, "out of memory");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		pts[np++] = in[i].start;
		pts[np++] = in[i].end;
	}
	qsort(pts, (size_t)np, sizeof(*pts), cmp_u64);
	for (int k = 0; k + 1 < np; k++) {
		uint64_t a = pts[k], b = pts[k + 1];
		int type = 0;

		if (a == b)
			continue;
		for (int i = 0; i < n; i++)
			if (in[i].start <= a && in[i].end >= b && in[i].type > type)
				type = in[i].type;
		if (!type)
			continue;
		if (out && mm_map.e820[out - 1].type == (enum e820_type)type &&
		    mm_map.e820[out - 1].addr + mm_map.e820[out - 1].size == a) {
			mm_map.e820[out - 1].size += b - a;
			continue;
		}
		if (out >= MACHINE_MAX_E820) {
			free(pts);
			MERR(err, errlen, "more than %d e820 entries", MACHINE_MAX_E820);
			return -1;
		}
		mm_map.e820[out].addr = a;
		mm_map.e820[out].size = b - a;
		mm_map.e820[out].type = (enum e820_type)type;
		out++;
	}
	free(pts);
	mm_map.nr_e820 = out;
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct node_mem_range *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

static int add_range(phys_addr_t start, phys_addr_t end, int nid, char *err, size_t errlen)
{
	if (mm_map.nr_ranges >= MACHINE_MAX_RANGES) {
		MERR(err, errlen, "more than %d memory ranges", MACHINE_MAX_RANGES);
		return -1;
	}
	mm_map.ranges[mm_map.nr_ranges++] = (struct node_mem_range){ start, end, nid };
	return 0;
}

/* The generated x86-like layout: stack the nodes, skipping the PCI hole. */
static int generate_ranges(const struct machine_desc *d, char *err, size_t errlen)
{
	phys_addr_t cur = 0;
	phys_addr_t hole_lo = d->pci_hole ? SZ_4G - d->pci_hole : 0;

	for (int nid = 0; nid < d->nr_nodes; nid++) {
		uint64_t left = d->node_mem[nid];

		if (left & 0xfff) {
			MERR(err, errlen, "node %d: memory %" PRIu64 " bytes is not a multiple of 4 KiB",
			     nid, left);
			return -1;
		}
		while (left) {
			phys_addr_t limit = UINT64_MAX;
			uint64_t chunk;

			if (d->pci_hole && cur >= hole_lo && cur < SZ_4G)
				cur = SZ_4G;
			if (d->pci_hole && cur < hole_lo)
				limit = hole_lo;
			chunk = limit - cur < left ? limit - cur : left;
			if (add_range(cur, cur + chunk, nid, err, errlen))
				return -1;
			cur += chunk;
			left -= chunk;
		}
	}
	return 0;
}

static bool overlaps(phys_addr_t a0, phys_addr_t a1, phys_addr_t b0, phys_addr_t b1)
{
	return a0 < b1 && b0 < a1;
}

static int range_nid_slow(phys_addr_t pa)
{
	int lo = 0, hi = mm_map.nr_ranges - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		const struct node_mem_range *r = &mm_map.ranges[mid];

		if (pa < r->start)
			hi = mid - 1;
		else if (pa >= r->end)
			lo = mid + 1;
		else
			return r->nid;
	}
	return NUMA_NO_NODE;
}

static void build_nid_table(void)
{
	unsigned shift = 30;
	phys_addr_t top = 0;

	for (int i = 0; i < mm_map.nr_ranges; i++)
		if (mm_map.ranges[i].end > top)
			top = mm_map.ranges[i].end;
	while (shift < 63 && (top >> shift) >= NID_TABLE_MAX)
		shift++;
	/* small machines: finer granules so tiny nodes still hit the table */
	while (shift > 21 && ((top >> (shift - 1)) + 1) < NID_TABLE_MAX / 2)
		shift--;
	mm_map.granule_shift = shift;
	mm_map.nid_table_len = (unsigned)((top >> shift) + 1);
	if (mm_map.nid_table_len > NID_TABLE_MAX)
		mm_map.nid_table_len = NID_TABLE_MAX;
	for (unsigned g = 0; g < mm_map.nid_table_len; g++) {
		phys_addr_t a = (phys_addr_t)g << shift, b = a + (1ULL << shift) - 1;
		int na = range_nid_slow(a), nb = range_nid_slow(b);
		int v = na;

		/* uniform only if one range covers both ends (or neither end and no range inside) */
		for (int i = 0; i < mm_map.nr_ranges && v != NID_MIXED; i++) {
			const struct node_mem_range *r = &mm_map.ranges[i];
			if (overlaps(a, b + 1, r->start, r->end) && !(r->start <= a && r->end > b))
				v = NID_MIXED;
		}
		if (na != nb)
			v = NID_MIXED;
		mm_map.nid_table[g] = (signed char)v;
	}
}

int memmap_build(const struct machine_desc *d, char *err, size_t errlen)
{
	struct raw_entry *raw;
	int nraw = 0, cap;

	memmap_reset();
	mm_map.pci_hole = d->pci_hole;
	if (d->pci_hole & (SZ_1M - 1) || d->pci_hole > 3 * (1ULL << 30)) {
		MERR(err, errlen, "pci_hole: %" PRIu64 " bytes, expected a multiple of 1 MiB "
		     "up to 3 GiB", d->pci_hole);
		return -1;
	}

	/* 1. node ranges */
	if (d->nr_ranges > 0) {
		for (int i = 0; i < d->nr_ranges; i++) {
			const struct node_mem_range *r = &d->ranges[i];
			if (r->nid < 0 || r->nid >= d->nr_nodes) {
				MERR(err, errlen, "memory range [mem 0x%016" PRIx64 "-0x%016" PRIx64
				     "] is on node %d, which does not exist (nodes: 0..%d)",
				     r->start, r->end - 1, r->nid, d->nr_nodes - 1);
				return -1;
			}
			if (r->end <= r->start) {
				MERR(err, errlen, "memory range %d of node %d is empty or reversed "
				     "(start %#" PRIx64 ", end %#" PRIx64 ")", i, r->nid, r->start, r->end);
				return -1;
			}
			if (add_range(r->start, r->end, r->nid, err, errlen))
				return -1;
		}
	} else if (d->nr_e820 == 0) {
		if (generate_ranges(d, err, errlen))
			return -1;
	}
	qsort(mm_map.ranges, (size_t)mm_map.nr_ranges, sizeof(mm_map.ranges[0]), cmp_range);
	for (int i = 1; i < mm_map.nr_ranges; i++) {
		const struct node_mem_range *a = &mm_map.ranges[i - 1], *b = &mm_map.ranges[i];
		if (b->start < a->end) {
			MERR(err, errlen, "memory ranges overlap: node %d [mem 0x%016" PRIx64 "-0x%016"
			     PRIx64 "] and node %d [mem 0x%016" PRIx64 "-0x%016" PRIx64 "]",
			     a->nid, a->start, a->end - 1, b->nid, b->start, b->end - 1);
			return -1;
		}
	}

	/* 2. e820 */
	cap = d->nr_e820 + mm_map.nr_ranges + d->nr_reserved + 8;
	raw = calloc((size_t)cap, sizeof(*raw));
	if (!raw) {
		MERR(err, errlen, "out of memory");
		return -1;
	}
	if (d->nr_e820 > 0) {
		for (int i = 0; i < d->nr_e820; i++) {
			const struct e820_entry *e = &d->e820[i];
			if (!e->size || e->addr + e->size < e->addr || e->type < E820_TYPE_RAM ||
			    e->type > E820_TYPE_UNUSABLE) {
				MERR(err, errlen, "e820 entry %d: bad range or type", i);
				free(raw);
				return -1;
			}
			raw[nraw++] = (struct raw_entry){ e->addr, e->addr + e->size, (int)e->type };
		}
	} else {
		for (int i = 0; i < mm_map.nr_ranges; i++)
			raw[nraw++] = (struct raw_entry){ mm_map.ranges[i].start, mm_map.ranges[i].end,
							  E820_TYPE_RAM };
		if (d->low_reserved)
			raw[nraw++] = (struct raw_entry){ LEGACY_START, LEGACY_END, E820_TYPE_RESERVED };
		if (d->firmware_reserved) {
			static const struct { uint64_t a, s; } fw[] = {
				{ 0xfec00000ULL, 0x1000 },      /* IOAPIC */
				{ 0xfee00000ULL, 0x1000 },      /* local APIC */
				{ 0xfffc0000ULL, 0x40000 },     /* BIOS flash */
			};
			for (size_t k = 0; k < sizeof(fw) / sizeof(fw[0]); k++) {
				bool ram = false;
				for (int i = 0; i < mm_map.nr_ranges; i++)
					if (overlaps(fw[k].a, fw[k].a + fw[k].s, mm_map.ranges[i].start,
						     mm_map.ranges[i].end))
						ram = true;
				if (!ram)
					raw[nraw++] = (struct raw_entry){ fw[k].a, fw[k].a + fw[k].s,
									  E820_TYPE_RESERVED };
			}
		}
	}
	for (int i = 0; i < d->nr_reserved; i++) {
		if (!d->reserved[i].size || d->reserved[i].addr + d->reserved[i].size < d->reserved[i].addr) {
			MERR(err, errlen, "reserved range %d is empty or wraps", i);
			free(raw);
			return -1;
		}
		raw[nraw++] = (struct raw_entry){ d->reserved[i].addr,
						  d->reserved[i].addr + d->reserved[i].size,
						  E820_TYPE_RESERVED };
	}
	if (e820_sanitize(raw, nraw, err, errlen)) {
		free(raw);
		return -1;
	}
	free(raw);

	/* 2b. RAM entries become whole pages: partial pages at their edges are reserved
	 * (memblock would never hand them out either) */
	{
		struct raw_entry *al = calloc((size_t)mm_map.nr_e820 * 3 + 1, sizeof(*al));
		int na = 0;
		bool changed = false;

		if (!al) {
			MERR(err, errlen, "out of memory");
			return -1;
		}
		for (int i = 0; i < mm_map.nr_e820; i++) {
			const struct e820_entry *e = &mm_map.e820[i];
			phys_addr_t a = e->addr, b = e->addr + e->size;

			al[na++] = (struct raw_entry){ a, b, (int)e->type };
			if (e->type != E820_TYPE_RAM)
				continue;
			if (a & 0xfff) {
				phys_addr_t up = (a + 0xfff) & ~0xfffULL;
				al[na++] = (struct raw_entry){ a, up < b ? up : b, E820_TYPE_RESERVED };
				changed = true;
			}
			if ((b & 0xfff) && (b & ~0xfffULL) > a) {
				al[na++] = (struct raw_entry){ b & ~0xfffULL, b, E820_TYPE_RESERVED };
				changed = true;
			}
		}
		if (changed && e820_sanitize(al, na, err, errlen)) {
			free(al);
			return -1;
		}
		free(al);
	}

	/* 3. no SRAT: all RAM belongs to node 0 */
	if (mm_map.nr_ranges == 0) {
		for (int i = 0; i < mm_map.nr_e820; i++) {
			const struct e820_entry *e = &mm_map.e820[i];
			if (e->type == E820_TYPE_RAM && add_range(e->addr, e->addr + e->size, 0, err, errlen))
				return -1;
		}
	}

	/* 4. RAM outside every node range is not used (Linux drops it too): mark it reserved */
	{
		int cap4 = mm_map.nr_e820 * 2 + mm_map.nr_ranges * 2 + 4, nf = 0;
		struct raw_entry *fix = calloc((size_t)cap4 + (size_t)mm_map.nr_e820 * (size_t)mm_map.nr_ranges,
					       sizeof(*fix));
		uint64_t lost = 0;

		if (!fix) {
			MERR(err, errlen, "out of memory");
			return -1;
		}
		for (int i = 0; i < mm_map.nr_e820; i++) {
			const struct e820_entry *e = &mm_map.e820[i];
			phys_addr_t pos = e->addr, end = e->addr + e->size;

			fix[nf++] = (struct raw_entry){ e->addr, end, (int)e->type };
			if (e->type != E820_TYPE_RAM)
				continue;
			for (int k = 0; k < mm_map.nr_ranges && pos < end; k++) {
				const struct node_mem_range *r = &mm_map.ranges[k];
				if (r->end <= pos)
					continue;
				if (r->start >= end)
					break;
				if (r->start > pos) {
					fix[nf++] = (struct raw_entry){ pos, r->start, E820_TYPE_RESERVED };
					lost += r->start - pos;
				}
				pos = r->end;
			}
			if (pos < end) {
				fix[nf++] = (struct raw_entry){ pos, end, E820_TYPE_RESERVED };
				lost += end - pos;
			}
		}
		if (lost) {
			sim_warn("NUMA: %" PRIu64 " KiB of e820 RAM lies outside every node's SRAT "
				 "range; not used", lost >> 10);
			if (e820_sanitize(fix, nf, err, errlen)) {
				free(fix);
				return -1;
			}
		}
		free(fix);
	}

	/* 5. sums */
	for (int i = 0; i < mm_map.nr_e820; i++) {
		const struct e820_entry *e = &mm_map.e820[i];
		if (e->type != E820_TYPE_RAM)
			continue;
		mm_map.total_ram += e->size;
		for (int k = 0; k < mm_map.nr_ranges; k++) {
			const struct node_mem_range *r = &mm_map.ranges[k];
			phys_addr_t a = e->addr > r->start ? e->addr : r->start;
			phys_addr_t b = e->addr + e->size < r->end ? e->addr + e->size : r->end;
			if (a < b) {
				mm_map.node_ram[r->nid] += b - a;
				if (b > mm_map.max_phys)
					mm_map.max_phys = b;
			}
		}
	}
	if (!mm_map.total_ram) {
		MERR(err, errlen, "the machine has no usable RAM");
		return -1;
	}
	build_nid_table();
	return 0;
}

/* First address >= @from (aligned) where a window of @size overlaps nothing. */
phys_addr_t memmap_find_mmio(uint64_t size, uint64_t align, phys_addr_t from)
{
	phys_addr_t a = (from + align - 1) & ~(align - 1);

	for (int guard = 0; guard < 4 * (MACHINE_MAX_E820 + MACHINE_MAX_RANGES); guard++) {
		phys_addr_t bump = 0;

		for (int i = 0; i < mm_map.nr_e820; i++) {
			const struct e820_entry *e = &mm_map.e820[i];
			if (overlaps(a, a + size, e->addr, e->addr + e->size) && e->addr + e->size > bump)
				bump = e->addr + e->size;
		}
		for (int i = 0; i < mm_map.nr_ranges; i++) {
			const struct node_mem_range *r = &mm_map.ranges[i];
			if (overlaps(a, a + size, r->start, r->end) && r->end > bump)
				bump = r->end;
		}
		if (!bump)
			return a;
		a = (bump + align - 1) & ~(align - 1);
		if (a + size < a)
			return 0;
	}
	return 0;
}

int memmap_check(void)
{
	uint64_t sum = 0, ram = 0;

	for (int i = 0; i < mm_map.nr_e820; i++) {
		const struct e820_entry *e = &mm_map.e820[i];
		if (!e->size) {
			sim_error("memmap_check: e820 entry %d is empty", i);
			return -1;
		}
		if (i && mm_map.e820[i - 1].addr + mm_map.e820[i - 1].size > e->addr) {
			sim_error("memmap_check: e820 entries %d and %d overlap or are unsorted", i - 1, i);
			return -1;
		}
		if (e->type == E820_TYPE_RAM && ((e->addr | e->size) & 0xfff)) {
			sim_error("memmap_check: RAM entry %d at %#" PRIx64 " is not page-aligned", i, e->addr);
			return -1;
		}
		if (e->type == E820_TYPE_RAM) {
			uint64_t covered = 0;
			ram += e->size;
			for (int k = 0; k < mm_map.nr_ranges; k++) {
				const struct node_mem_range *r = &mm_map.ranges[k];
				phys_addr_t a = e->addr > r->start ? e->addr : r->start;
				phys_addr_t b = e->addr + e->size < r->end ? e->addr + e->size : r->end;
				if (a < b)
					covered += b - a;
			}
			if (covered != e->size) {
				sim_error("memmap_check: RAM at %#" PRIx64 " not covered by node ranges", e->addr);
				return -1;
			}
		}
	}
	for (int i = 0; i < mm_map.nr_ranges; i++) {
		const struct node_mem_range *r = &mm_map.ranges[i];
		if (r->nid < 0 || r->nid >= machine_nr_nodes() || r->end <= r->start ||
		    (i && mm_map.ranges[i - 1].end > r->start)) {
			sim_error("memmap_check: node range %d [%#" PRIx64 ", %#" PRIx64 ") nid %d invalid",
				  i, r->start, r->end, r->nid);
			return -1;
		}
	}
	for (int n = 0; n < MACHINE_MAX_NODES; n++)
		sum += mm_map.node_ram[n];
	if (sum != ram || ram != mm_map.total_ram) {
		sim_error("memmap_check: node RAM %" PRIu64 ", e820 RAM %" PRIu64 ", total %" PRIu64,
			  sum, ram, mm_map.total_ram);
		return -1;
	}
	for (unsigned g = 0; g < mm_map.nid_table_len; g++) {
		phys_addr_t a = (phys_addr_t)g << mm_map.granule_shift;
		if (mm_map.nid_table[g] != NID_MIXED && mm_map.nid_table[g] != range_nid_slow(a)) {
			sim_error("memmap_check: nid table granule %u says %d", g, mm_map.nid_table[g]);
			return -1;
		}
	}
	return 0;
}

/* --- queries (machine.h) --------------------------------------------------- */

int machine_e820(const struct e820_entry **out)
{
	if (out)
		*out = mm_map.e820;
	return mm_map.nr_e820;
}

int machine_node_ranges(const struct node_mem_range **out)
{
	if (out)
		*out = mm_map.ranges;
	return mm_map.nr_ranges;
}

int phys_to_nid(phys_addr_t pa)
{
	uint64_t g = pa >> mm_map.granule_shift;

	if (g < mm_map.nid_table_len) {
		int v = mm_map.nid_table[g];
		if (v != NID_MIXED)
			return v;
	}
	return range_nid_slow(pa);
}

phys_addr_t machine_max_phys(void)
{
	return mm_map.max_phys;
}

uint64_t machine_total_ram(void)
{
	return mm_map.total_ram;
}

uint64_t node_ram_bytes(int nid)
{
	if (nid < 0 || nid >= MACHINE_MAX_NODES)
		return 0;
	return mm_map.node_ram[nid];
}

bool node_has_memory(int nid)
{
	return node_ram_bytes(nid) > 0;
}

int machine_nr_memory_nodes(void)
{
	int n = 0;

	for (int i = 0; i < machine_nr_nodes(); i++)
		n += node_has_memory(i);
	return n;
}

phys_addr_t node_start_phys(int nid)
{
	for (int i = 0; i < mm_map.nr_ranges; i++)
		if (mm_map.ranges[i].nid == nid)
			return mm_map.ranges[i].start;
	return 0;
}

phys_addr_t node_end_phys(int nid)
{
	for (int i = mm_map.nr_ranges - 1; i >= 0; i--)
		if (mm_map.ranges[i].nid == nid)
			return mm_map.ranges[i].end;
	return 0;
}
