// SPDX-License-Identifier: MIT
/*
 * mm/memblock.c — boot: memblock from the machine's memory map, the
 * reservations Linux makes, zone sizing per node and freeing everything else
 * into the buddy allocator (mm_boot / mm_shutdown).
 *
 * Models (x86-64, 6.1):
 *  - memblock.memory = E820 RAM, page aligned inward, with the first page
 *    removed (trim_bios_range), split by node (SRAT ranges);
 *  - memblock.reserved: the first 1 MiB (x86 always reserves it since 5.13),
 *    the kernel image at 16 MiB (CONFIG_PHYSICAL_START), config ranges, and
 *    top-down per node: pglist_data, the vmemmap (64 bytes per page of every
 *    present 128 MiB section), the percpu first chunk (embed, 2 MiB atoms,
 *    units of roundup(cpus, upa) × unit_size); early direct-map page tables on
 *    node 0;
 *  - zones: DMA [.., 16 MiB), DMA32 [16 MiB, 4 GiB), Normal [4 GiB, ..) clipped
 *    per node; spanned = end − start, present = memory pages, managed = pages
 *    freed to the buddy; ZONE_MOVABLE from kernelcore= / movablecore=
 *    (find_zone_movable_pfns_for_nodes, simplified: the kernelcore share is
 *    spread evenly over nodes and counted from each node's lowest pfn);
 *  - memblock_free_all: free ranges ascending in the largest aligned blocks,
 *    to the free-list tail (FPI_TO_TAIL), with merging.
 * Host memory: mem_map is an mmap'd, lazily touched array of 12-byte struct
 * pages; boot writes only reserved pages and free block heads.
 * Invariants: every pfn of memory is either reserved (PG_reserved) or free in
 * exactly one zone; Σ managed = memory − reserved pages.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "machine/cost.h"
#include "machine/machine.h"
#include "mm/internal.h"
#include "mm/mm.h"
#include "mm/percpu.h"
#include "mm/sched.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "mm/vmscan.h"
#include "sim/log.h"

struct mm_state mm;
struct page *mem_map;
unsigned long max_pfn;

#define SZ_1M  (1ULL << 20)
#define SZ_2M  (2ULL << 20)
#define SZ_16M (16ULL << 20)
#define SECTION_PAGES (1UL << (27 - PAGE_SHIFT))     /* 128 MiB sections */
#define PCPU_MODULE_RESERVE   (8 << 10)
#define PCPU_DYNAMIC_RESERVE  (28 << 10)
#define PCPU_MIN_UNIT_SIZE    (32 << 10)
#define PGDAT_BYTES           (2 * PAGE_SIZE)   /* [U] sizeof(pg_data_t) rounded */

struct mb_region {
	uint64_t base, size;
	int nid;
};
#define MB_MAX 512
static struct mb_region mb_mem[MB_MAX];
static int mb_nmem;
static struct mb_region mb_res[MB_MAX];
static int mb_nres;

static unsigned long arch_zone_lo[MAX_NR_ZONES], arch_zone_hi[MAX_NR_ZONES];
static unsigned long zone_movable_pfn[MACHINE_MAX_NODES];

const char *const zone_names[MAX_NR_ZONES] = { "DMA", "DMA32", "Normal", "Movable", "Device" };
const char *const migratetype_names[MIGRATE_TYPES] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "CMA", "Isolate"
};

void mm_params_default(struct mm_params *p)
{
	memset(p, 0, sizeof(*p));
	p->min_free_kbytes = 0;
	p->watermark_scale_factor = 10;
	p->watermark_boost_factor = 15000;
	p->lowmem_reserve_ratio[0] = 256;
	p->lowmem_reserve_ratio[1] = 256;
	p->lowmem_reserve_ratio[2] = 32;
	p->lowmem_reserve_ratio[3] = 0;
	p->numa_stat = true;
	p->page_group_by_mobility = -1;
	p->thp = false;
	p->kernel_image_size = 48ULL << 20;      /* [U] text+data+bss+brk of a distro kernel */
	p->reserve_low = SZ_1M;
	p->percpu_static_size = 200ULL << 10;    /* [U] .data..percpu of a distro kernel */
	p->direct_map_gbpages = true;
	p->swiotlb_size = 64ULL << 20;            /* IO_TLB_DEFAULT_SIZE */
	p->timing = -1;
	p->init_slab = true;
}

bool mm_booted(void) { return mm.booted; }

/* --- memblock ----------------------------------------------------------------- */

static int mb_cmp(const void *a, const void *b)
{
	const struct mb_region *x = a, *y = b;
	return x->base < y->base ? -1 : x->base > y->base;
}

static void mb_normalize_reserved(void);

static void mb_reserve(uint64_t base, uint64_t size)
{
	if (!size)
		return;
	if (mb_nres >= MB_MAX)
		mb_normalize_reserved();
	if (mb_nres >= MB_MAX) {
		sim_error("memblock: too many reserved regions (%d)", MB_MAX);
		return;
	}
	mb_res[mb_nres++] = (struct mb_region){ base, size, -1 };
}

/* Sort and merge the reserved list. */
static void mb_normalize_reserved(void)
{
	int n = 0;

	qsort(mb_res, (size_t)mb_nres, sizeof(mb_res[0]), mb_cmp);
	for (int i = 0; i < mb_nres; i++) {
		if (n && mb_res[n - 1].base + mb_res[n - 1].size >= mb_res[i].base) {
			uint64_t end = mb_res[i].base + mb_res[i].size;
			if (end > mb_res[n - 1].base + mb_res[n - 1].size)
				mb_res[n - 1].size = end - mb_res[n - 1].base;
		} else {
			mb_res[n++] = mb_res[i];
		}
	}
	mb_nres = n;
}

static bool mb_overlaps_reserved(uint64_t base, uint64_t size, uint64_t *res_base)
{
	for (int i = 0; i < mb_nres; i++)
		if (mb_res[i].base < base + size && base < mb_res[i].base + mb_res[i].size) {
			*res_base = mb_res[i].base;
			return true;
		}
	return false;
}

/*
 * memblock_alloc_try_nid: top-down inside the node's memory (any node if
 * @nid < 0 or the node has no room), below @limit, avoiding reservations.
 */
static uint64_t mb_alloc_limit(uint64_t size, uint64_t align, int nid, uint64_t limit)
{
	size = (size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	for (int pass = nid < 0 ? 1 : 0; pass < 2; pass++) {
		for (int i = mb_nmem - 1; i >= 0; i--) {
			struct mb_region *r = &mb_mem[i];
			if (pass == 0 && r->nid != nid)
				continue;
			uint64_t rend = r->base + r->size < limit ? r->base + r->size : limit;
			if (rend <= r->base || rend - r->base < size)
				continue;
			uint64_t cand = (rend - size) & ~(align - 1);
			while (cand >= r->base && cand + size <= rend) {
				uint64_t rb;
				if (!mb_overlaps_reserved(cand, size, &rb)) {
					mb_reserve(cand, size);
					return cand;
				}
				if (rb < size)
					break;
				cand = (rb - size) & ~(align - 1);
			}
		}
	}
	return 0;
}

static uint64_t mb_alloc_nid(uint64_t size, uint64_t align, int nid)
{
	return mb_alloc_limit(size, align, nid, ~0ULL);
}

uint64_t memblock_reserved_bytes(void) { return mm.reserved_bytes; }
uint64_t memblock_memory_bytes(void) { return mm.memory_bytes; }

int memblock_dump(FILE *f)
{
	fprintf(f, "MEMBLOCK configuration:\n memory size = %#" PRIx64 " reserved size = %#" PRIx64 "\n",
		mm.memory_bytes, mm.reserved_bytes);
	fprintf(f, " memory.cnt  = %#x\n", mb_nmem);
	for (int i = 0; i < mb_nmem; i++)
		fprintf(f, " memory[%#x]\t[0x%016" PRIx64 "-0x%016" PRIx64 "], 0x%016" PRIx64 " bytes on node %d flags: 0x0\n",
			i, mb_mem[i].base, mb_mem[i].base + mb_mem[i].size - 1, mb_mem[i].size, mb_mem[i].nid);
	fprintf(f, " reserved.cnt  = %#x\n", mb_nres);
	for (int i = 0; i < mb_nres; i++)
		fprintf(f, " reserved[%#x]\t[0x%016" PRIx64 "-0x%016" PRIx64 "], 0x%016" PRIx64 " bytes flags: 0x0\n",
			i, mb_res[i].base, mb_res[i].base + mb_res[i].size - 1, mb_res[i].size);
	return 0;
}

/* --- topology ----------------------------------------------------------------- */

static int load_topology(const struct mm_params *p, char *err, size_t len)
{
	const struct mm_layout *l = p->layout;

	if (l) {
		mm.nr_nodes = l->nr_nodes > 0 ? l->nr_nodes : 1;
		mm.nr_cpus = l->nr_cpus > 0 ? l->nr_cpus : 1;
		if (mm.nr_nodes > MAX_NUMNODES || mm.nr_cpus > MACHINE_MAX_CPUS) {
			snprintf(err, len, "layout: too many nodes or CPUs");
			return -EINVAL;
		}
		for (int c = 0; c < mm.nr_cpus; c++)
			mm.cpu_node[c] = l->cpu_node[c] < mm.nr_nodes ? l->cpu_node[c] : 0;
		for (int a = 0; a < mm.nr_nodes; a++)
			for (int b = 0; b < mm.nr_nodes; b++)
				mm.distance[a][b] = l->distance[a][b] ? l->distance[a][b] :
					(a == b ? LOCAL_DISTANCE : REMOTE_DISTANCE);
	} else {
		if (!machine_built()) {
			snprintf(err, len, "mm_boot: the machine is not built");
			return -EINVAL;
		}
		mm.nr_nodes = machine_nr_nodes();
		mm.nr_cpus = machine_nr_cpus();
		if (mm.nr_nodes < 1 || mm.nr_nodes > MAX_NUMNODES || mm.nr_cpus < 1 ||
		    mm.nr_cpus > MACHINE_MAX_CPUS) {
			snprintf(err, len, "mm_boot: unsupported topology (%d nodes, %d CPUs)",
				 mm.nr_nodes, mm.nr_cpus);
			return -EINVAL;
		}
		for (int c = 0; c < mm.nr_cpus; c++)
			mm.cpu_node[c] = cpu_to_node(c);
		for (int a = 0; a < mm.nr_nodes; a++)
			for (int b = 0; b < mm.nr_nodes; b++)
				mm.distance[a][b] = (unsigned char)node_distance(a, b);
	}
	memset(mm.node_cpus, 0, sizeof(mm.node_cpus));
	for (int c = 0; c < mm.nr_cpus; c++)
		mm.node_cpus[mm.cpu_node[c]]++;
	return 0;
}

/* Build memblock.memory from E820 RAM ∩ node ranges. */
static int load_memory(const struct mm_params *p, char *err, size_t len)
{
	const struct e820_entry *e820;
	const struct node_mem_range *nr;
	int ne, nn;

	if (p->layout) {
		e820 = p->layout->e820;
		ne = p->layout->nr_e820;
		nr = p->layout->ranges;
		nn = p->layout->nr_ranges;
	} else {
		ne = machine_e820(&e820);
		nn = machine_node_ranges(&nr);
	}
	mb_nmem = 0;
	for (int i = 0; i < ne; i++) {
		if (e820[i].type != E820_TYPE_RAM)
			continue;
		uint64_t s = (e820[i].addr + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		uint64_t e = (e820[i].addr + e820[i].size) & ~(PAGE_SIZE - 1);
		if (s < PAGE_SIZE)
			s = PAGE_SIZE;                  /* trim_bios_range: page 0 is reserved */
		if (e <= s)
			continue;
		if (nn <= 0) {
			if (mb_nmem >= MB_MAX)
				break;
			mb_mem[mb_nmem++] = (struct mb_region){ s, e - s, 0 };
			continue;
		}
		for (int j = 0; j < nn; j++) {
			uint64_t a = s > nr[j].start ? s : nr[j].start;
			uint64_t b = e < nr[j].end ? e : nr[j].end;
			a = (a + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
			b &= ~(PAGE_SIZE - 1);
			if (a >= b || mb_nmem >= MB_MAX)
				continue;
			if (nr[j].nid < 0 || nr[j].nid >= mm.nr_nodes) {
				snprintf(err, len, "memory range %#" PRIx64 "-%#" PRIx64 " on unknown node %d",
					 nr[j].start, nr[j].end, nr[j].nid);
				return -EINVAL;
			}
			mb_mem[mb_nmem++] = (struct mb_region){ a, b - a, nr[j].nid };
		}
	}
	if (!mb_nmem) {
		snprintf(err, len, "mm_boot: the memory map has no RAM");
		return -EINVAL;
	}
	qsort(mb_mem, (size_t)mb_nmem, sizeof(mb_mem[0]), mb_cmp);
	mm.memory_bytes = 0;
	for (int i = 0; i < mb_nmem; i++)
		mm.memory_bytes += mb_mem[i].size;
	max_pfn = (unsigned long)((mb_mem[mb_nmem - 1].base + mb_mem[mb_nmem - 1].size) >> PAGE_SHIFT);
	if (max_pfn >= PFN_NONE) {
		snprintf(err, len, "mm_boot: memory above 16 TiB is not supported");
		return -EINVAL;
	}
	return 0;
}

/* Pages of memory on @nid in [lo, hi). */
static unsigned long mem_pages_in(int nid, unsigned long lo, unsigned long hi)
{
	unsigned long n = 0;

	for (int i = 0; i < mb_nmem; i++) {
		if (nid >= 0 && mb_mem[i].nid != nid)
			continue;
		unsigned long s = mb_mem[i].base >> PAGE_SHIFT, e = (mb_mem[i].base + mb_mem[i].size) >> PAGE_SHIFT;
		if (s < lo) s = lo;
		if (e > hi) e = hi;
		if (e > s)
			n += e - s;
	}
	return n;
}

static void node_pfn_range(int nid, unsigned long *start, unsigned long *end)
{
	*start = ~0UL;
	*end = 0;
	for (int i = 0; i < mb_nmem; i++) {
		if (mb_mem[i].nid != nid)
			continue;
		unsigned long s = mb_mem[i].base >> PAGE_SHIFT, e = (mb_mem[i].base + mb_mem[i].size) >> PAGE_SHIFT;
		if (s < *start) *start = s;
		if (e > *end) *end = e;
	}
	if (*start == ~0UL)
		*start = *end = 0;
}

static void reserve_boot_memory(const struct mm_params *p)
{
	mb_nres = 0;
	mb_reserve(0, p->reserve_low);
	mb_reserve(SZ_16M, p->kernel_image_size);
	for (int i = 0; i < p->nr_reserved && i < MM_MAX_RESERVED; i++)
		mb_reserve(p->reserved[i].start & ~(PAGE_SIZE - 1),
			   ((p->reserved[i].start + p->reserved[i].size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)) -
			   (p->reserved[i].start & ~(PAGE_SIZE - 1)));
	mb_normalize_reserved();
	mm.kernel_code_pages = (unsigned long)(p->kernel_image_size >> PAGE_SHIFT);

	/* Early page tables of the direct map (node 0, top-down). */
	uint64_t maxphys = (uint64_t)max_pfn << PAGE_SHIFT;
	unsigned long pt = 0;
	if (p->direct_map_gbpages)
		pt = (unsigned long)((maxphys + (512ULL << 30) - 1) >> 39) + 2;   /* PUD pages + first-GiB PMD/PTE */
	else
		pt = (unsigned long)((maxphys + (1ULL << 30) - 1) >> 30) +
		     (unsigned long)((maxphys + (512ULL << 30) - 1) >> 39) + 1;
	mm.pgtable_boot_pages = pt;

	/* Percpu first chunk unit (embed, 2 MiB atoms). */
	uint64_t min_unit = p->percpu_static_size + PCPU_MODULE_RESERVE + PCPU_DYNAMIC_RESERVE;
	min_unit = (min_unit + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (min_unit < PCPU_MIN_UNIT_SIZE)
		min_unit = PCPU_MIN_UNIT_SIZE;
	uint64_t unit = p->percpu_unit_size;
	unsigned upa = 1;
	if (!unit) {
		uint64_t alloc = (min_unit + SZ_2M - 1) & ~(SZ_2M - 1);
		upa = (unsigned)(alloc / min_unit);
		while (upa > 1 && ((alloc / upa) & (PAGE_SIZE - 1)))
			upa--;
		unit = alloc / upa;
	} else {
		upa = (unsigned)(SZ_2M / unit);
		if (!upa)
			upa = 1;
	}
	mm.percpu_unit_size = unit;
	mm.percpu_bytes = 0;

	for (int nid = 0; nid < mm.nr_nodes; nid++) {
		unsigned long s, e;
		node_pfn_range(nid, &s, &e);
		if (e <= s)
			continue;
		mb_alloc_nid(PGDAT_BYTES, PAGE_SIZE, nid);
		/* vmemmap: 2 MiB of struct pages per present 128 MiB section. */
		unsigned long sections = 0;
		for (unsigned long sec = s / SECTION_PAGES; sec * SECTION_PAGES < e; sec++)
			if (mem_pages_in(nid, sec * SECTION_PAGES, (sec + 1) * SECTION_PAGES))
				sections++;
		uint64_t memmap = (uint64_t)sections * SECTION_PAGES * STRUCT_PAGE_SIZE;
		mb_alloc_nid(memmap, SZ_2M, nid);     /* sparse-vmemmap sections, adjacent top-down */
		mm.memmap_pages += (unsigned long)(memmap >> PAGE_SHIFT);
		if (mm.node_cpus[nid]) {
			unsigned units = ((unsigned)mm.node_cpus[nid] + upa - 1) / upa * upa;
			uint64_t bytes = (uint64_t)units * unit;
			uint64_t base = mb_alloc_nid(bytes, SZ_2M, nid);
			if (!mm.pcpu_va_base && base)
				mm.pcpu_va_base = phys_to_virt_addr(base);
			mm.pcpu_group_base[nid] = base ? phys_to_virt_addr(base) : 0;
			mm.percpu_bytes += bytes;
		}
	}
	mb_alloc_nid(pt << PAGE_SHIFT, PAGE_SIZE, 0);
	/* swiotlb bounce buffer (pci_swiotlb_detect: RAM above 4 GiB), memblock_alloc_low */
	if (p->swiotlb_size && max_pfn > (1UL << (32 - PAGE_SHIFT)))
		mb_alloc_limit(p->swiotlb_size, PAGE_SIZE, -1, 1ULL << 32);
	mb_normalize_reserved();
	mm.reserved_bytes = 0;
	for (int i = 0; i < mb_nres; i++)
		mm.reserved_bytes += mb_res[i].size;
}

/* ZONE_MOVABLE start per node (find_zone_movable_pfns_for_nodes, simplified). */
static void find_zone_movable_pfns(const struct mm_params *p)
{
	unsigned long total = mem_pages_in(-1, 0, ~0UL);
	unsigned long kernelcore = 0;
	int nodes = 0;

	memset(zone_movable_pfn, 0, sizeof(zone_movable_pfn));
	if (p->movablecore) {
		unsigned long mc = (unsigned long)(p->movablecore >> PAGE_SHIFT);
		kernelcore = mc >= total ? 0 : total - mc;
	} else if (p->kernelcore) {
		kernelcore = (unsigned long)(p->kernelcore >> PAGE_SHIFT);
	} else {
		return;
	}
	if (kernelcore >= total)
		return;
	for (int nid = 0; nid < mm.nr_nodes; nid++)
		if (mem_pages_in(nid, 0, ~0UL))
			nodes++;
	unsigned long share = kernelcore / (unsigned long)(nodes ? nodes : 1);
	for (int nid = 0; nid < mm.nr_nodes; nid++) {
		unsigned long left = share;
		unsigned long s, e;
		node_pfn_range(nid, &s, &e);
		if (e <= s)
			continue;
		for (int i = 0; i < mb_nmem; i++) {
			if (mb_mem[i].nid != nid)
				continue;
			unsigned long rs = mb_mem[i].base >> PAGE_SHIFT;
			unsigned long re = (mb_mem[i].base + mb_mem[i].size) >> PAGE_SHIFT;
			unsigned long usable = arch_zone_lo[ZONE_NORMAL];
			if (re <= usable) {
				left = left > re - rs ? left - (re - rs) : 0;
				continue;
			}
			if (rs < usable) {
				left = left > usable - rs ? left - (usable - rs) : 0;
				rs = usable;
			}
			if (left >= re - rs) {
				left -= re - rs;
				continue;
			}
			zone_movable_pfn[nid] = (rs + left + MAX_ORDER_NR_PAGES - 1) & ~(MAX_ORDER_NR_PAGES - 1);
			if (zone_movable_pfn[nid] >= e)
				zone_movable_pfn[nid] = 0;
			break;
		}
	}
}

static int setup_nodes_and_zones(char *err, size_t len)
{
	/* zone_sizes_init: max pfns of DMA, DMA32, Normal. */
	unsigned long lowest = mb_mem[0].base >> PAGE_SHIFT;
	unsigned long maxz[3] = { 4096, 1048576, max_pfn };

	for (int z = 0; z < 3; z++) {
		if (maxz[z] > max_pfn)
			maxz[z] = max_pfn;
		arch_zone_lo[z] = z == 0 ? lowest : arch_zone_hi[z - 1];
		arch_zone_hi[z] = maxz[z];
		if (arch_zone_lo[z] > arch_zone_hi[z])
			arch_zone_lo[z] = arch_zone_hi[z];
	}
	find_zone_movable_pfns(&mm.params);

	for (int nid = 0; nid < mm.nr_nodes; nid++) {
		struct pglist_data *pg = calloc(1, sizeof(*pg));
		if (!pg) {
			snprintf(err, len, "out of host memory");
			return -ENOMEM;
		}
		mm.node_data[nid] = pg;
		pg->node_id = nid;
		pg->kswapd_highest_zoneidx = MAX_NR_ZONES;
		pg->kswapd_sleeping = true;
		unsigned long ns, ne;
		node_pfn_range(nid, &ns, &ne);
		pg->node_start_pfn = ns;
		pg->node_spanned_pages = ne - ns;
		pg->node_present_pages = mem_pages_in(nid, ns, ne);
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &pg->node_zones[z];
			zone->node = nid;
			zone->idx = (enum zone_type)z;
			zone->zone_pgdat = pg;
			zone->name = zone_names[z];
			for (int o = 0; o < MAX_ORDER; o++)
				for (int t = 0; t < MIGRATE_TYPES; t++)
					zone->free_area[o].head[t] = zone->free_area[o].tail[t] = PFN_NONE;
			unsigned long zs = 0, ze = 0;
			if (z < 3 && ne > ns) {
				zs = arch_zone_lo[z] > ns ? arch_zone_lo[z] : ns;
				ze = arch_zone_hi[z] < ne ? arch_zone_hi[z] : ne;
				if (z == ZONE_NORMAL && zone_movable_pfn[nid] && ze > zone_movable_pfn[nid])
					ze = zone_movable_pfn[nid] > zs ? zone_movable_pfn[nid] : zs;
			} else if (z == ZONE_MOVABLE && zone_movable_pfn[nid]) {
				zs = zone_movable_pfn[nid];
				ze = ne;
			}
			if (ze <= zs) {
				zs = ze = 0;
			}
			zone->zone_start_pfn = zs;
			zone->spanned_pages = ze - zs;
			zone->present_pages = ze > zs ? mem_pages_in(nid, zs, ze) : 0;
			if (zone->present_pages)
				pg->nr_zones = z + 1;
		}
		/* Simulated addresses: the pgdat lives in the node's reserved memory. */
		pg->va = PAGE_OFFSET + ((uint64_t)ns << PAGE_SHIFT);
		for (int i = 0; i < mb_nres; i++) {
			uint64_t b = mb_res[i].base;
			if ((b >> PAGE_SHIFT) >= ns && (b >> PAGE_SHIFT) < ne)
				pg->va = phys_to_virt_addr(b);
		}
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &pg->node_zones[z];
			zone->va_zone = pg->va + 0x100 + (unsigned long)z * 0x600;
			zone->va_free_area = zone->va_zone + 0x80;
		}
	}
	return 0;
}

static void init_pageblocks(void)
{
	for (unsigned long i = 0; i < mm.nr_pageblocks; i++) {
		mm.pageblocks[i].zone_id = PB_ZONE_NONE;
		mm.pageblocks[i].mt = MIGRATE_MOVABLE;
	}
	for (int nid = 0; nid < mm.nr_nodes; nid++) {
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &mm.node_data[nid]->node_zones[z];
			if (!zone->spanned_pages)
				continue;
			unsigned long first = zone->zone_start_pfn >> pageblock_order;
			unsigned long last = (zone_end_pfn(zone) - 1) >> pageblock_order;
			unsigned long cur_sec = ~0UL;
			bool sec_present = false;
			for (unsigned long b = first; b <= last; b++) {
				uint16_t id = (uint16_t)zone_id(zone);
				unsigned long sec = (b << pageblock_order) / SECTION_PAGES;
				if (sec != cur_sec) {
					cur_sec = sec;
					sec_present = mem_pages_in(nid, sec * SECTION_PAGES, (sec + 1) * SECTION_PAGES) != 0;
				}
				if (!sec_present)
					continue;      /* not an online section (pfn_to_online_page) */
				if (mm.pageblocks[b].zone_id != PB_ZONE_NONE && mm.pageblocks[b].zone_id != id)
					mm.pageblocks[b].zone_id = PB_ZONE_NONE - 1;   /* mixed */
				else
					mm.pageblocks[b].zone_id = id;
			}
		}
	}
}

struct zone *page_zone(const struct page *page)
{
	unsigned long pfn = page_to_pfn(page);
	uint16_t id = pfn_pageblock(pfn)->zone_id;

	if (id < PB_ZONE_NONE - 1)
		return zone_of_id(id);
	for (int nid = 0; nid < mm.nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &mm.node_data[nid]->node_zones[z];
			if (zone->spanned_pages && zone_spans_pfn(zone, pfn))
				return zone;
		}
	return NULL;
}

int page_to_nid(const struct page *page)
{
	struct zone *z = page_zone(page);
	return z ? z->node : NUMA_NO_NODE;
}

enum zone_type page_zonenum(const struct page *page)
{
	struct zone *z = page_zone(page);
	return z ? z->idx : ZONE_NORMAL;
}

int page_pageblock_mt(const struct page *page)
{
	return get_pageblock_migratetype(page_to_pfn(page));
}

/* Mark reserved pages and free the rest (memblock_free_all). */
static struct zone *zone_for_pfn_slow(unsigned long pfn)
{
	return page_zone(pfn_to_page(pfn));
}

static void free_range(unsigned long s, unsigned long e)
{
	while (s < e) {
		struct zone *z = zone_for_pfn_slow(s);
		unsigned long lim = e;
		if (z && zone_end_pfn(z) < lim)
			lim = zone_end_pfn(z);
		if (!z) {
			s++;
			continue;
		}
		while (s < lim) {
			unsigned order = MAX_ORDER - 1;
			while (order && ((s & ((1UL << order) - 1)) || s + (1UL << order) > lim))
				order--;
			__free_pages_core(pfn_to_page(s), order);
			s += 1UL << order;
		}
	}
}

static void memblock_free_all(void)
{
	for (int i = 0; i < mb_nmem; i++) {
		unsigned long s = mb_mem[i].base >> PAGE_SHIFT;
		unsigned long e = (mb_mem[i].base + mb_mem[i].size) >> PAGE_SHIFT;
		unsigned long cur = s;
		for (int r = 0; r < mb_nres && cur < e; r++) {
			unsigned long rs = mb_res[r].base >> PAGE_SHIFT;
			unsigned long re = (mb_res[r].base + mb_res[r].size + PAGE_SIZE - 1) >> PAGE_SHIFT;
			if (re <= cur || rs >= e)
				continue;
			if (rs > cur)
				free_range(cur, rs);
			unsigned long a = rs > cur ? rs : cur, b = re < e ? re : e;
			for (unsigned long pfn = a; pfn < b; pfn++) {
				struct page *pg = pfn_to_page(pfn);
				pg->flags = PG_reserved | ((uint32_t)PGTY_RESERVED << PG_TYPE_SHIFT);
				pg->a = 1;
			}
			cur = b;
		}
		if (cur < e)
			free_range(cur, e);
	}
}

/* The zone / node lines of a 6.1 boot log (free_area_init, build_all_zonelists). */
static unsigned long print_boot_zones(void)
{
	static const char *const zn[] = { "DMA", "DMA32", "Normal" };
	unsigned long total = 0;

	sim_printk("Zone ranges:\n");
	for (int z = 0; z < 3; z++) {
		if (arch_zone_hi[z] > arch_zone_lo[z])
			sim_printk("  %-8s [mem %#018llx-%#018llx]\n", zn[z],
				   (unsigned long long)arch_zone_lo[z] << PAGE_SHIFT,
				   ((unsigned long long)arch_zone_hi[z] << PAGE_SHIFT) - 1);
		else
			sim_printk("  %-8s empty\n", zn[z]);
	}
	sim_printk("  Device   empty\n");
	sim_printk("Movable zone start for each node\n");
	for (int nid = 0; nid < mm.nr_nodes; nid++)
		if (zone_movable_pfn[nid])
			sim_printk("  Node %d: %#018llx\n", nid, (unsigned long long)zone_movable_pfn[nid] << PAGE_SHIFT);
	sim_printk("Early memory node ranges\n");
	for (int i = 0; i < mb_nmem; i++)
		sim_printk("  node %3d: [mem %#018llx-%#018llx]\n", mb_mem[i].nid,
			   (unsigned long long)mb_mem[i].base,
			   (unsigned long long)(mb_mem[i].base + mb_mem[i].size - 1));
	for (int nid = 0; nid < mm.nr_nodes; nid++) {
		struct pglist_data *pg = mm.node_data[nid];
		if (!pg->node_spanned_pages)
			continue;
		sim_printk("Initmem setup node %d [mem %#018llx-%#018llx]\n", nid,
			   (unsigned long long)pg->node_start_pfn << PAGE_SHIFT,
			   ((unsigned long long)(pg->node_start_pfn + pg->node_spanned_pages) << PAGE_SHIFT) - 1);
	}
	for (int nid = 0; nid < mm.nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &mm.node_data[nid]->node_zones[z];
			if (zone->spanned_pages > zone->present_pages)
				sim_printk("On node %d, zone %s: %lu pages in unavailable ranges\n", nid, zone->name,
					   zone->spanned_pages - zone->present_pages);
			/* free_area_init_core's estimate: present minus the memmap */
			unsigned long memmap = (zone->present_pages * STRUCT_PAGE_SIZE + PAGE_SIZE - 1) >> PAGE_SHIFT;
			if (zone->present_pages > memmap)
				total += zone->present_pages - memmap;
		}
	sim_printk("Built %d zonelists, mobility grouping %s.  Total pages: %lu\n", mm.nr_nodes,
		   total < pageblock_nr_pages * MIGRATE_TYPES ? "off" : "on", total);
	sim_printk("Policy zone: %s\n", arch_zone_hi[ZONE_NORMAL] > arch_zone_lo[ZONE_NORMAL] ? "Normal" : "DMA32");
	return total;
}

int mm_boot(const struct mm_params *p, char *err, size_t len)
{
	char dummy[8];
	int ret;

	if (!err || !len) {
		err = dummy;
		len = sizeof(dummy);
	}
	err[0] = '\0';
	if (mm.booted)
		mm_shutdown();
	memset(&mm, 0, sizeof(mm));
	mm.params = *p;
	if (p->min_free_kbytes < 0 || p->min_free_kbytes > 262144 * 16) {
		snprintf(err, len, "min_free_kbytes: %d out of range (0 = auto, else 1..4194304)",
			 p->min_free_kbytes);
		return -EINVAL;
	}
	if (p->watermark_scale_factor < 1 || p->watermark_scale_factor > 3000) {
		snprintf(err, len, "watermark_scale_factor: %d out of range 1..3000", p->watermark_scale_factor);
		return -EINVAL;
	}
	if (p->watermark_boost_factor < 0) {
		snprintf(err, len, "watermark_boost_factor: %d must be >= 0", p->watermark_boost_factor);
		return -EINVAL;
	}
	ret = load_topology(p, err, len);
	if (ret)
		return ret;
	ret = load_memory(p, err, len);
	if (ret)
		return ret;
	if (p->timing < 0)
		mm.timing = !p->layout && cost_timing_on();
	else
		mm.timing = p->timing != 0;

	reserve_boot_memory(p);
	ret = setup_nodes_and_zones(err, len);
	if (ret)
		goto fail;

	mm.mem_map_bytes = ((size_t)max_pfn * sizeof(struct page) + 4095) & ~(size_t)4095;
	void *m = mmap(NULL, mm.mem_map_bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED) {
		snprintf(err, len, "mm_boot: cannot map mem_map of %lu pages", max_pfn);
		ret = -ENOMEM;
		goto fail;
	}
	mem_map = m;
	mm.nr_pageblocks = (max_pfn >> pageblock_order) + 1;
	mm.pageblocks = calloc(mm.nr_pageblocks, sizeof(*mm.pageblocks));
	if (!mm.pageblocks) {
		snprintf(err, len, "out of host memory");
		ret = -ENOMEM;
		goto fail;
	}
	init_pageblocks();
	/* vmstat + per-cpu pagesets must exist before pages are freed. */
	vmstat_init();
	mm_events_init();
	for (int nid = 0; nid < mm.nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &mm.node_data[nid]->node_zones[z];
			zone->per_cpu_pageset = calloc((size_t)mm.nr_cpus, sizeof(struct per_cpu_pages));
			if (!zone->per_cpu_pageset) {
				snprintf(err, len, "out of host memory");
				ret = -ENOMEM;
				goto fail;
			}
			for (int c = 0; c < mm.nr_cpus; c++) {
				struct per_cpu_pages *pcp = &zone->per_cpu_pageset[c];
				for (int l = 0; l < NR_PCP_LISTS; l++)
					pcp->head[l] = pcp->tail[l] = PFN_NONE;
				pcp->high = 0;
				pcp->batch = 1;
				pcp->va = (mm.pcpu_va_base ? mm.pcpu_va_base : PAGE_OFFSET + SZ_16M) +
					  (unsigned long)c * mm.percpu_unit_size + 0x1000 +
					  zone_id(zone) * 128UL;
			}
		}
	unsigned long vm_total_pages = print_boot_zones();
	memblock_free_all();

	mm.nr_all_pages = 0;
	for (int nid = 0; nid < mm.nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			mm.nr_all_pages += mm.node_data[nid]->node_zones[z].managed_pages;
	if (p->page_group_by_mobility >= 0)
		page_group_by_mobility_disabled = p->page_group_by_mobility == 0;
	else
		page_group_by_mobility_disabled = vm_total_pages < pageblock_nr_pages * MIGRATE_TYPES;

	mm.watermark_scale_factor = p->watermark_scale_factor;
	mm.watermark_boost_factor = p->watermark_boost_factor;
	for (int z = 0; z < 4; z++)
		mm.lowmem_reserve_ratio[z] = p->lowmem_reserve_ratio[z];
	mm.lowmem_reserve_ratio[ZONE_DEVICE] = 0;
	mm.user_min_free_kbytes = p->min_free_kbytes ? p->min_free_kbytes : -1;
	build_all_zonelists();
	mm.booted = true;
	init_per_zone_wmark_min();
	page_alloc_init_stats();
	sched_install_trace_ctx();
	for (int nid = 0; nid < mm.nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &mm.node_data[nid]->node_zones[z];
			if (populated_zone(zone) && !zone->managed_pages) {
				snprintf(err, len, "node %d zone %s: all %lu present pages are reserved, the zone has "
					 "no managed pages (reduce kernel.reserved / kernel.image_size or grow the node)",
					 nid, zone->name, zone->present_pages);
				ret = -EINVAL;
				goto fail;
			}
		}
	if (p->init_slab && kmem_cache_init()) {
		snprintf(err, len, "mm_boot: kmem_cache_init failed");
		ret = -ENOMEM;
		goto fail;
	}
	/* mm_core_init order: slab, then vmalloc, then the percpu first chunk (it may need vmalloc). */
	if (p->init_slab && vmalloc_init()) {
		snprintf(err, len, "mm_boot: vmalloc_init failed");
		ret = -ENOMEM;
		goto fail;
	}
	if (p->init_slab && percpu_init(p)) {
		snprintf(err, len, "mm_boot: percpu_init failed");
		ret = -ENOMEM;
		goto fail;
	}
	sim_printk("Memory: %luK/%luK available (%luK kernel code, 0K rwdata, 0K rodata, 0K init, 0K bss, "
		   "%luK reserved, 0K cma-reserved)\n",
		   mm.nr_all_pages << (PAGE_SHIFT - 10),
		   (unsigned long)(mm.memory_bytes >> 10),
		   mm.kernel_code_pages << (PAGE_SHIFT - 10),
		   (unsigned long)((mm.memory_bytes >> 10) - (mm.nr_all_pages << (PAGE_SHIFT - 10))));
	return 0;
fail:
	mm_shutdown();
	return ret;
}

/* The boot reservation of node @nid's percpu first-chunk units (percpu.c's hook). */
unsigned long pcpu_fc_group_base(int nid)
{
	return nid >= 0 && nid < MACHINE_MAX_NODES ? mm.pcpu_group_base[nid] : 0;
}

void mm_shutdown(void)
{
	percpu_shutdown();
	vmalloc_shutdown();
	if (slab_is_available())
		kmem_cache_shutdown();
	page_alloc_shutdown();
	vmstat_shutdown();
	for (int nid = 0; nid < MACHINE_MAX_NODES; nid++) {
		struct pglist_data *pg = mm.node_data[nid];
		if (!pg)
			continue;
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			free(pg->node_zones[z].per_cpu_pageset);
			free(pg->node_zones[z].lazy);
		}
		for (int l = 0; l < MAX_ZONELISTS; l++)
			free(pg->node_zonelists[l].zones);
		free(pg);
		mm.node_data[nid] = NULL;
	}
	if (mem_map)
		munmap(mem_map, mm.mem_map_bytes);
	mem_map = NULL;
	max_pfn = 0;
	free(mm.pageblocks);
	mm.pageblocks = NULL;
	mm.booted = false;
	page_group_by_mobility_disabled = false;
}
