// SPDX-License-Identifier: MIT
/*
 * mm/percpu.c — the dynamic percpu allocator of Linux 6.1 (mm/percpu.c).
 *
 * What it models
 *   - Units and groups: one group per node with CPUs (CPUs at LOCAL_DISTANCE),
 *     units-per-alloc (upa) chosen as pcpu_build_alloc_info does (alloc/upa
 *     page aligned, at most 1/3 of units wasted, fewest allocations), each
 *     group rounded up to upa units; unit offsets are group offset + index ×
 *     unit size, __per_cpu_offset[cpu] = pcpu_base_addr + unit offset
 *     (__per_cpu_start = 0 on x86-64), so per_cpu_ptr(p, cpu) = p + offset.
 *   - The embedded first chunk (atom 2 MiB): static | reserved 8 KiB (its own
 *     chunk, served only to reserved requests) | dynamic 28 KiB + page slack,
 *     in the direct map on each group's node, always populated. Later chunks
 *     take congruent VA areas from the top of vmalloc space
 *     (pcpu_get_vm_areas) and are populated page by page: one order-0 page
 *     per possible CPU from that CPU's node (PGTY_PERCPU, owner = chunk id),
 *     mapped with 4 KiB PTEs.
 *   - Allocation map: one bit per 4 bytes (alloc_map), a bound_map marking
 *     area starts, and per-4 KiB-block hints (nr_free, contig_hint,
 *     left_free, right_free) from which the chunk's contig hint is derived;
 *     chunks sit in slots by contig hint (free slot for fully free chunks) and
 *     are searched slot(size) upward, first fit within a chunk. Atomic
 *     requests (no __GFP_DIRECT_RECLAIM after current_gfp_context, as the
 *     fact sheet states) only use populated pages and never create chunks;
 *     they schedule the balance work on failure.
 *   - Balance work (pcpu_balance_workfn): free all fully free chunks but one,
 *     then populate to PCPU_EMPTY_POP_PAGES_HIGH empty populated pages (HIGH
 *     unconditionally after an atomic failure), creating a chunk if needed.
 *     It runs in a kworker process spawned when scheduled from a process,
 *     under memalloc_noio like the kernel's work item.
 *   - Trace events percpu_alloc_percpu / percpu_free_percpu (+ _fail,
 *     create/destroy chunk) in the 6.1 formats; bytes_alloc includes the memcg
 *     obj_cgroup array (MEMCG_KMEM): size × nr_possible_cpus + size/4 × 8.
 * Simplified vs 6.1
 *   - first fit by bitmap scan (block hints are kept and checked but the
 *     scan_hint / first_free hints that steer 6.1's search are not);
 *   - no depopulation of sparse chunks (pcpu_reclaim_populated), no chunk
 *     isolation, no memcg-aware chunk type;
 *   - is_atomic follows the fact sheet (!gfpflags_allow_blocking); some 6.1.y
 *     releases used (gfp & GFP_KERNEL) != GFP_KERNEL [U];
 *   - the boot code does not export where it reserved each node's first-chunk
 *     units: without the optional pcpu_fc_group_base() hook the groups are
 *     placed inside their node's RAM for cost purposes only.
 * Invariants (pcpu_check): free bytes, block hints, contig hints, populated
 * and empty-populated counts all recomputed from the bitmaps and compared.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cpu.h"          /* before mm/page_alloc.h: numa_node_id */
#include "machine/cost.h"
#include "machine/machine.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/percpu.h"
#include "mm/sched.h"
#include "mm/slab.h"
#include "mm/util.h"
#include "mm/vmalloc.h"
#include "sim/engine.h"
#include "sim/log.h"
#include "sim/stats.h"
#include "sim/trace.h"

#pragma weak pcpu_fc_group_base

#define PCPU_ALLOC_CYCLES   250          /* [U] mutex + slot walk + hint updates */
#define PCPU_FREE_CYCLES    150          /* [U] spinlock + bitmap clear + hints */
#define PCPU_PAGE_CYCLES    80           /* [U] per populated page per unit (alloc + map loop) */
#define PCPU_CHUNK_STRUCT   192          /* [U] sizeof(struct pcpu_chunk) */
#define PCPU_MD_SIZE        28           /* sizeof(struct pcpu_block_md) */
#define PCPU_SLOT_FAIL_THRESHOLD 3
#define MAX_GROUPS          MACHINE_MAX_NODES

struct pcpu_block_md {
	int nr_free, contig_hint, left_free, right_free;
};

struct pcpu_chunk {
	int id;
	unsigned long base_addr;
	int start_offset, end_offset;        /* hidden bytes (first / reserved chunk) */
	int nr_pages, map_bits;
	uint64_t *alloc_map, *bound_map, *populated;
	struct pcpu_block_md *md;
	int nr_populated, nr_empty_pop_pages;
	int free_bytes, contig_bits, nr_alloc;
	bool immutable, is_reserved;
	struct vm_struct *vms[MAX_GROUPS];
	unsigned long meta_va, alloc_map_va, bound_map_va, md_va;
	uint64_t seq;
	int slot;
};

enum pcpu_lat { LAT_POPULATED, LAT_POPULATE, LAT_NEW_CHUNK, LAT_FAIL, LAT_FREE, NR_PCPU_LAT };
static const char *const lat_names[NR_PCPU_LAT] = {
	"mm.latency.alloc_percpu.populated", "mm.latency.alloc_percpu.populate",
	"mm.latency.alloc_percpu.new_chunk", "mm.latency.alloc_percpu.fail",
	"mm.latency.free_percpu.ok",
};
static const char *const misuse_names[NR_PCPU_MISUSE] = { "illegal", "unknown_free", "sleep_atomic" };

static struct {
	bool ready;
	int nr_cpus, nr_groups, nr_units, upa;
	size_t unit_size, static_size, reserved_size, dyn_size, size_sum;
	int unit_pages;
	int group_nid[MAX_GROUPS], group_units[MAX_GROUPS];
	unsigned long group_offset[MAX_GROUPS], group_size[MAX_GROUPS];
	unsigned long *unit_off;              /* [nr_cpus] */
	unsigned long base_addr;              /* pcpu_base_addr */
	struct pcpu_chunk *first, *reserved;
	struct pcpu_chunk **chunks;           /* by id; NULL when destroyed */
	int nr_ids, cap_ids;
	uint64_t seq;
	int nr_slots, free_slot;
	long nr_empty_pop_pages;              /* excludes the reserved chunk */
	long nr_populated;
	bool atomic_alloc_failed, balance_pending, balance_worker;
	int warn_limit;
	uint64_t local_misuse[NR_PCPU_MISUSE];
	uint64_t *misuse[NR_PCPU_MISUSE];
	uint64_t *chunks_created, *chunks_destroyed;
	struct hist *lat[NR_PCPU_LAT];
	struct trace_event *ev_alloc, *ev_free, *ev_fail, *ev_create, *ev_destroy;
	struct pcpu_chunk **sorted;
	int sorted_cap;
} C;

/* --- bitmaps ------------------------------------------------------------------------ */

static inline bool test_bit(const uint64_t *m, int i) { return (m[i >> 6] >> (i & 63)) & 1; }
static inline void set_bit(uint64_t *m, int i) { m[i >> 6] |= 1ULL << (i & 63); }
static inline void clear_bit(uint64_t *m, int i) { m[i >> 6] &= ~(1ULL << (i & 63)); }

static void bitmap_set_range(uint64_t *m, int s, int n)
{
	for (int i = s; i < s + n;) {
		if ((i & 63) == 0 && i + 64 <= s + n) {
			m[i >> 6] = ~0ULL;
			i += 64;
		} else {
			set_bit(m, i++);
		}
	}
}

static void bitmap_clear_range(uint64_t *m, int s, int n)
{
	for (int i = s; i < s + n;) {
		if ((i & 63) == 0 && i + 64 <= s + n) {
			m[i >> 6] = 0;
			i += 64;
		} else {
			clear_bit(m, i++);
		}
	}
}

/* First set bit in [s, size), or size. */
static int find_next_bit(const uint64_t *m, int size, int s)
{
	while (s < size) {
		uint64_t w = m[s >> 6] >> (s & 63);
		if (w) {
			int r = s + __builtin_ctzll(w);
			return r < size ? r : size;
		}
		s = (s | 63) + 1;
	}
	return size;
}

/* First clear bit in [s, size), or size. */
static int find_next_zero_bit(const uint64_t *m, int size, int s)
{
	while (s < size) {
		uint64_t w = ~m[s >> 6] >> (s & 63);
		if (w) {
			int r = s + __builtin_ctzll(w);
			return r < size ? r : size;
		}
		s = (s | 63) + 1;
	}
	return size;
}

/* --- helpers ------------------------------------------------------------------------- */

static inline int fls_int(unsigned long x) { return x ? 64 - __builtin_clzl(x) : 0; }

static int size_to_slot_raw(size_t size)
{
	int s = fls_int(size) - PCPU_SLOT_BASE_SHIFT + 2;
	return s > 1 ? s : 1;
}

static int size_to_slot(size_t size)
{
	if (size == C.unit_size)
		return C.free_slot;
	return size_to_slot_raw(size);
}

static int chunk_slot(const struct pcpu_chunk *c)
{
	if (c->free_bytes < PCPU_MIN_ALLOC_SIZE || c->contig_bits == 0)
		return 0;
	return size_to_slot((size_t)c->contig_bits * PCPU_MIN_ALLOC_SIZE);
}

static void chunk_relocate(struct pcpu_chunk *c)
{
	int s = chunk_slot(c);

	if (s != c->slot || !c->seq) {
		c->slot = s;
		c->seq = ++C.seq;
	}
}

static void count_misuse(enum pcpu_misuse k)
{
	C.local_misuse[k]++;
	if (C.misuse[k])
		++*C.misuse[k];
}

static inline void lat_add(enum pcpu_lat l, sim_time_t t0)
{
	if (C.lat[l])
		hist_add(C.lat[l], sim_now() - t0);
}

static inline unsigned long unit_addr(const struct pcpu_chunk *c, int cpu, int page)
{
	return c->base_addr + C.unit_off[cpu] + (unsigned long)page * PAGE_SIZE;
}

/* --- block hints ----------------------------------------------------------------------- */

static void block_update(struct pcpu_chunk *c, int b)
{
	struct pcpu_block_md *md = &c->md[b];
	int s = b * PCPU_BITMAP_BLOCK_BITS, e = s + PCPU_BITMAP_BLOCK_BITS;
	bool was_empty = md->nr_free == PCPU_BITMAP_BLOCK_BITS;
	int nr_free = 0, contig = 0, left = 0, right = 0;

	for (int i = find_next_zero_bit(c->alloc_map, e, s); i < e;) {
		int j = find_next_bit(c->alloc_map, e, i);
		int run = j - i;

		nr_free += run;
		if (run > contig)
			contig = run;
		if (i == s)
			left = run;
		if (j == e)
			right = run;
		i = find_next_zero_bit(c->alloc_map, e, j);
	}
	md->nr_free = nr_free;
	md->contig_hint = contig;
	md->left_free = left;
	md->right_free = right;
	bool now_empty = nr_free == PCPU_BITMAP_BLOCK_BITS;
	if (was_empty != now_empty && test_bit(c->populated, b)) {
		int d = now_empty ? 1 : -1;

		c->nr_empty_pop_pages += d;
		if (!c->is_reserved)
			C.nr_empty_pop_pages += d;
	}
}

static int chunk_contig(const struct pcpu_chunk *c)
{
	int best = 0, run = 0;

	for (int b = 0; b < c->nr_pages; b++) {
		const struct pcpu_block_md *md = &c->md[b];

		if (md->nr_free == PCPU_BITMAP_BLOCK_BITS) {
			run += PCPU_BITMAP_BLOCK_BITS;
			continue;
		}
		run += md->left_free;
		if (run > best)
			best = run;
		if (md->contig_hint > best)
			best = md->contig_hint;
		run = md->right_free;
	}
	return run > best ? run : best;
}

static void chunk_update_range(struct pcpu_chunk *c, int s, int bits)
{
	int b0 = s / PCPU_BITMAP_BLOCK_BITS, b1 = (s + bits - 1) / PCPU_BITMAP_BLOCK_BITS;

	for (int b = b0; b <= b1; b++)
		block_update(c, b);
	c->contig_bits = chunk_contig(c);
	chunk_relocate(c);
}

/* --- chunks ---------------------------------------------------------------------------- */

static unsigned long pcpu_mem_zalloc(size_t size, gfp_t gfp)
{
	if (!slab_is_available())
		return 0;
	if (size <= PAGE_SIZE)
		return (unsigned long)kzalloc(size, gfp);
	return (unsigned long)__vmalloc_node(size, 1, gfp | __GFP_ZERO, NUMA_NO_NODE, "pcpu_mem_zalloc");
}

static void pcpu_mem_free(unsigned long va)
{
	if (va)
		kvfree((void *)va);
}

static int chunk_register(struct pcpu_chunk *c)
{
	if (C.nr_ids == C.cap_ids) {
		int cap = C.cap_ids ? C.cap_ids * 2 : 16;
		struct pcpu_chunk **n = realloc(C.chunks, (size_t)cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		C.chunks = n;
		C.cap_ids = cap;
	}
	c->id = C.nr_ids;
	C.chunks[C.nr_ids++] = c;
	return 0;
}

static void chunk_free_host(struct pcpu_chunk *c)
{
	if (!c)
		return;
	free(c->alloc_map);
	free(c->bound_map);
	free(c->populated);
	free(c->md);
	free(c);
}

/* pcpu_alloc_chunk(): host state + the simulated metadata (kzalloc / vzalloc). */
static struct pcpu_chunk *chunk_alloc(int region_bytes, gfp_t gfp, bool simulate_meta)
{
	struct pcpu_chunk *c = calloc(1, sizeof(*c));
	int nr_pages = region_bytes / (int)PAGE_SIZE;
	int bits = nr_pages * PCPU_BITMAP_BLOCK_BITS;

	if (!c)
		return NULL;
	c->nr_pages = nr_pages;
	c->map_bits = bits;
	c->alloc_map = calloc((size_t)(bits + 64) / 64, 8);
	c->bound_map = calloc((size_t)(bits + 1 + 64) / 64, 8);
	c->populated = calloc((size_t)(nr_pages + 64) / 64, 8);
	c->md = calloc((size_t)nr_pages, sizeof(*c->md));
	if (!c->alloc_map || !c->bound_map || !c->populated || !c->md) {
		chunk_free_host(c);
		return NULL;
	}
	for (int b = 0; b < nr_pages; b++)
		c->md[b] = (struct pcpu_block_md){ PCPU_BITMAP_BLOCK_BITS, PCPU_BITMAP_BLOCK_BITS,
						   PCPU_BITMAP_BLOCK_BITS, PCPU_BITMAP_BLOCK_BITS };
	c->free_bytes = region_bytes;
	c->contig_bits = bits;
	if (simulate_meta && slab_is_available()) {
		c->meta_va = (unsigned long)kzalloc(PCPU_CHUNK_STRUCT, gfp);
		c->alloc_map_va = pcpu_mem_zalloc((size_t)bits / 8, gfp);
		c->bound_map_va = pcpu_mem_zalloc((size_t)(bits + 8) / 8, gfp);
		c->md_va = pcpu_mem_zalloc((size_t)nr_pages * PCPU_MD_SIZE, gfp);
		if (!c->meta_va || !c->alloc_map_va || !c->bound_map_va || !c->md_va) {
			if (c->meta_va)
				kfree((void *)c->meta_va);
			pcpu_mem_free(c->alloc_map_va);
			pcpu_mem_free(c->bound_map_va);
			pcpu_mem_free(c->md_va);
			chunk_free_host(c);
			return NULL;
		}
	}
	return c;
}

static void trace_chunk(struct trace_event *ev, struct pcpu_chunk *c)
{
	if (ev && trace_on(ev))
		trace_emit(ev, "base_addr=%016" PRIx64, trace_hash_ptr(c->base_addr));
}

/* pcpu_create_chunk(): metadata, congruent vmalloc areas, nothing populated. */
static struct pcpu_chunk *create_chunk(gfp_t gfp)
{
	struct pcpu_chunk *c = chunk_alloc((int)C.unit_size, gfp, true);
	size_t sizes[MAX_GROUPS];

	if (!c)
		return NULL;
	for (int g = 0; g < C.nr_groups; g++)
		sizes[g] = C.group_size[g];
	if (pcpu_get_vm_areas(C.group_offset, sizes, C.nr_groups, PCPU_ATOM_SIZE, c->vms)) {
		if (c->meta_va)
			kfree((void *)c->meta_va);
		pcpu_mem_free(c->alloc_map_va);
		pcpu_mem_free(c->bound_map_va);
		pcpu_mem_free(c->md_va);
		chunk_free_host(c);
		return NULL;
	}
	c->base_addr = c->vms[0]->addr - C.group_offset[0];
	if (chunk_register(c)) {
		pcpu_free_vm_areas(c->vms, C.nr_groups);
		chunk_free_host(c);
		return NULL;
	}
	chunk_relocate(c);
	if (C.chunks_created)
		++*C.chunks_created;
	trace_chunk(C.ev_create, c);
	return c;
}

/* pcpu_populate_chunk + pcpu_chunk_populated for pages [rs, re). */
static int populate(struct pcpu_chunk *c, int rs, int re, gfp_t gfp)
{
	gfp |= __GFP_HIGHMEM;
	for (int p = rs; p < re; p++) {
		if (test_bit(c->populated, p))
			continue;
		int cpu;
		for (cpu = 0; cpu < C.nr_cpus; cpu++) {
			int nid = cpu_to_node(cpu);
			struct page *pg = alloc_pages_node(nid < 0 ? NUMA_NO_NODE : nid, gfp, 0);

			cost_cycles(PCPU_PAGE_CYCLES);
			if (!pg)
				break;
			page_set_owner(pg, PGTY_PERCPU, (uint32_t)c->id);
			if (mmu_map(unit_addr(c, cpu, p), page_to_phys(pg))) {
				__free_pages(pg, 0);
				break;
			}
		}
		if (cpu < C.nr_cpus) {
			for (int k = 0; k < cpu; k++) {
				bool mapped = false;
				phys_addr_t pa = mmu_translate(unit_addr(c, k, p), &mapped);

				if (mapped) {
					mmu_unmap(unit_addr(c, k, p));
					__free_pages(phys_to_page(pa), 0);
				}
			}
			return -ENOMEM;
		}
		set_bit(c->populated, p);
		c->nr_populated++;
		C.nr_populated++;
		if (c->md[p].nr_free == PCPU_BITMAP_BLOCK_BITS) {
			c->nr_empty_pop_pages++;
			if (!c->is_reserved)
				C.nr_empty_pop_pages++;
		}
	}
	return 0;
}

static void depopulate_all(struct pcpu_chunk *c)
{
	for (int p = 0; p < c->nr_pages; p++) {
		if (!test_bit(c->populated, p))
			continue;
		for (int cpu = 0; cpu < C.nr_cpus; cpu++) {
			bool mapped = false;
			unsigned long a = unit_addr(c, cpu, p);
			phys_addr_t pa = mmu_translate(a, &mapped);

			if (mapped) {
				mmu_unmap(a);
				__free_pages(phys_to_page(pa), 0);
			}
		}
		clear_bit(c->populated, p);
		c->nr_populated--;
		C.nr_populated--;
		if (c->md[p].nr_free == PCPU_BITMAP_BLOCK_BITS) {
			c->nr_empty_pop_pages--;
			C.nr_empty_pop_pages--;
		}
	}
	for (int g = 0; g < C.nr_groups; g++)
		if (c->vms[g])
			flush_tlb_kernel_range(c->vms[g]->addr, c->vms[g]->addr + c->vms[g]->size);
}

static void destroy_chunk(struct pcpu_chunk *c)
{
	trace_chunk(C.ev_destroy, c);
	depopulate_all(c);
	pcpu_free_vm_areas(c->vms, C.nr_groups);
	if (c->meta_va)
		kfree((void *)c->meta_va);
	pcpu_mem_free(c->alloc_map_va);
	pcpu_mem_free(c->bound_map_va);
	pcpu_mem_free(c->md_va);
	C.chunks[c->id] = NULL;
	if (C.chunks_destroyed)
		++*C.chunks_destroyed;
	chunk_free_host(c);
}

/* Chunks (not the reserved one) ordered by (slot, relocation order): the slot lists. */
static int sorted_chunks(void)
{
	int n = 0;

	if (C.sorted_cap < C.nr_ids) {
		struct pcpu_chunk **s = realloc(C.sorted, (size_t)C.nr_ids * sizeof(*s));
		if (!s)
			return 0;
		C.sorted = s;
		C.sorted_cap = C.nr_ids;
	}
	for (int i = 0; i < C.nr_ids; i++)
		if (C.chunks[i] && !C.chunks[i]->is_reserved)
			C.sorted[n++] = C.chunks[i];
	/* insertion sort: few chunks */
	for (int i = 1; i < n; i++) {
		struct pcpu_chunk *x = C.sorted[i];
		int j = i - 1;

		while (j >= 0 && (C.sorted[j]->slot > x->slot ||
				  (C.sorted[j]->slot == x->slot && C.sorted[j]->seq > x->seq))) {
			C.sorted[j + 1] = C.sorted[j];
			j--;
		}
		C.sorted[j + 1] = x;
	}
	return n;
}

/* --- areas ------------------------------------------------------------------------------ */

static bool range_populated(const struct pcpu_chunk *c, int bit, int bits, int *next)
{
	int ps = bit * PCPU_MIN_ALLOC_SIZE / (int)PAGE_SIZE;
	int pe = ((bit + bits) * PCPU_MIN_ALLOC_SIZE - 1) / (int)PAGE_SIZE;

	for (int p = ps; p <= pe; p++)
		if (!test_bit(c->populated, p)) {
			*next = (p + 1) * PCPU_BITMAP_BLOCK_BITS;
			return false;
		}
	return true;
}

/* First fit of @bits aligned to @align_bits (populated pages only if @atomic). */
static int find_fit(const struct pcpu_chunk *c, int bits, int align_bits, bool atomic)
{
	int pos = c->start_offset / PCPU_MIN_ALLOC_SIZE;

	if (c->contig_bits < bits)
		return -1;
	while (pos < c->map_bits) {
		int s = find_next_zero_bit(c->alloc_map, c->map_bits, pos);
		if (s >= c->map_bits)
			break;
		int e = find_next_bit(c->alloc_map, c->map_bits, s);
		int as = (s + align_bits - 1) & ~(align_bits - 1);
		int next;

		if (as + bits <= e) {
			if (!atomic || range_populated(c, as, bits, &next))
				return as;
			pos = next > as ? next : as + 1;
			continue;
		}
		pos = e;
	}
	return -1;
}

/* The bitmap words an area update writes (simulated alloc_map). */
static void touch_map(const struct pcpu_chunk *c, int off, int bits)
{
	unsigned long first = (unsigned long)(off >> 6) * 8, last = (unsigned long)((off + bits - 1) >> 6) * 8;

	mem_write(c->alloc_map_va + first, (unsigned)(last - first + 8));
}

static void alloc_area(struct pcpu_chunk *c, int off, int bits)
{
	bitmap_set_range(c->alloc_map, off, bits);
	set_bit(c->bound_map, off);
	if (bits > 1)
		bitmap_clear_range(c->bound_map, off + 1, bits - 1);
	set_bit(c->bound_map, off + bits);
	c->free_bytes -= bits * PCPU_MIN_ALLOC_SIZE;
	c->nr_alloc++;
	if (c->alloc_map_va)
		touch_map(c, off, bits);
	chunk_update_range(c, off, bits);
}

/* Return: bytes freed. */
static int free_area(struct pcpu_chunk *c, int off)
{
	int end = find_next_bit(c->bound_map, c->map_bits + 1, off + 1);
	int bits = end - off;

	bitmap_clear_range(c->alloc_map, off, bits);
	c->free_bytes += bits * PCPU_MIN_ALLOC_SIZE;
	c->nr_alloc--;
	if (c->alloc_map_va)
		touch_map(c, off, bits);
	chunk_update_range(c, off, bits);
	return bits * PCPU_MIN_ALLOC_SIZE;
}

/* Mark [s, s+bits) hidden (allocated, one area) at set-up. */
static void hide_range(struct pcpu_chunk *c, int s, int bits)
{
	if (bits <= 0)
		return;
	bitmap_set_range(c->alloc_map, s, bits);
	set_bit(c->bound_map, s);
	set_bit(c->bound_map, s + bits);
	for (int b = s / PCPU_BITMAP_BLOCK_BITS; b <= (s + bits - 1) / PCPU_BITMAP_BLOCK_BITS; b++)
		block_update(c, b);
	c->contig_bits = chunk_contig(c);
}

/* --- balance work ----------------------------------------------------------------------- */

static void balance_worker(void *arg)
{
	(void)arg;
	C.balance_worker = false;
	if (C.balance_pending)
		pcpu_balance_workfn();
}

static void schedule_balance_work(void)
{
	C.balance_pending = true;
	if (!C.balance_worker && sim_current()) {
		int cpu = smp_processor_id();
		C.balance_worker = cpu_spawn("kworker/u:pcpu_balance", cpu, CTX_TASK, balance_worker,
					     NULL, NULL, sim_now()) != NULL;
	}
}

bool pcpu_balance_pending(void) { return C.balance_pending; }

void pcpu_balance_workfn(void)
{
	gfp_t gfp = GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN;
	bool kept = false;

	if (!C.ready)
		return;
	C.balance_pending = false;
	/* the work item allocates under memalloc_noio (it may run for a NOIO caller) */
	unsigned int noio = memalloc_noio_save();
	/* pcpu_balance_free(false): keep one fully free chunk */
	for (int i = 0; i < C.nr_ids; i++) {
		struct pcpu_chunk *c = C.chunks[i];

		if (!c || c->immutable || c->free_bytes != (int)C.unit_size)
			continue;
		if (!kept)
			kept = true;
		else
			destroy_chunk(c);
	}
	/* pcpu_balance_populated */
	long nr_to_pop;
	if (C.atomic_alloc_failed) {
		nr_to_pop = PCPU_EMPTY_POP_PAGES_HIGH;
		C.atomic_alloc_failed = false;
	} else {
		nr_to_pop = PCPU_EMPTY_POP_PAGES_HIGH - C.nr_empty_pop_pages;
		if (nr_to_pop < 0)
			nr_to_pop = 0;
		if (nr_to_pop > PCPU_EMPTY_POP_PAGES_HIGH)
			nr_to_pop = PCPU_EMPTY_POP_PAGES_HIGH;
	}
	for (int round = 0; nr_to_pop && round < 2; round++) {
		int n = sorted_chunks(), min_slot = size_to_slot(PAGE_SIZE);

		for (int i = 0; i < n && nr_to_pop; i++) {
			struct pcpu_chunk *c = C.sorted[i];

			if (c->slot < min_slot || c->nr_populated == c->nr_pages)
				continue;
			for (int p = 0; p < c->nr_pages && nr_to_pop; p++) {
				if (test_bit(c->populated, p))
					continue;
				if (populate(c, p, p + 1, gfp)) {
					nr_to_pop = 0;
					break;
				}
				nr_to_pop--;
			}
		}
		if (!nr_to_pop || !create_chunk(gfp))
			break;
	}
	memalloc_noio_restore(noio);
}

/* --- allocation -------------------------------------------------------------------------- */

static void trace_alloc(const char *caller, bool reserved, bool atomic, size_t size, size_t align,
			struct pcpu_chunk *c, int off, unsigned long ptr, gfp_t gfp)
{
	char fl[GFP_STR_MAX];
	size_t full = size * (size_t)C.nr_cpus + size / PCPU_MIN_ALLOC_SIZE * 8;

	trace_emit(C.ev_alloc, "call_site=%s reserved=%d is_atomic=%d size=%zu align=%zu base_addr=%016" PRIx64
		   " off=%d ptr=%016" PRIx64 " bytes_alloc=%zu gfp_flags=%s", caller, reserved, atomic, size,
		   align, trace_hash_ptr(c->base_addr), off, trace_hash_ptr(ptr), full,
		   gfp_format(gfp, fl, sizeof(fl)));
}

static void *__pcpu_alloc_locked(size_t size, size_t align, bool reserved, gfp_t gfp, const char *caller);

/* one atomic section of the simulation: no other CPU interleaves mid-update (sim/engine.h) */
static void *pcpu_alloc(size_t size, size_t align, bool reserved, gfp_t gfp, const char *caller)
{
	void *ret;

	sim_atomic_begin();
	ret = __pcpu_alloc_locked(size, align, reserved, gfp, caller);
	sim_atomic_end();
	return ret;
}

static void *__pcpu_alloc_locked(size_t size, size_t align, bool reserved, gfp_t gfp, const char *caller)
{
	sim_time_t t0 = sim_now();
	struct pcpu_chunk *c = NULL;
	const char *err = NULL;
	bool created = false, populated_now = false;
	int bits, bit_align, off = -1;

	if (!C.ready)
		return NULL;
	gfp = current_gfp_context(gfp);
	gfp_t pcpu_gfp = gfp & (GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN);
	bool is_atomic = !gfpflags_allow_blocking(gfp);
	bool do_warn = !(gfp & __GFP_NOWARN);

	if (align < PCPU_MIN_ALLOC_SIZE)
		align = PCPU_MIN_ALLOC_SIZE;
	size = (size + PCPU_MIN_ALLOC_SIZE - 1) & ~(size_t)(PCPU_MIN_ALLOC_SIZE - 1);
	if (!size || size > PCPU_MIN_UNIT_SIZE || align > PAGE_SIZE || (align & (align - 1))) {
		count_misuse(PCPU_MISUSE_ILLEGAL);
		if (do_warn) {
			sim_printk("------------[ cut here ]------------\n");
			sim_printk("illegal size (%zu) or align (%zu) for percpu allocation\n", size, align);
			sim_printk("WARNING: CPU: %d PID: %d at mm/percpu.c:1745 pcpu_alloc+0x4a1/0x7b0\n",
				   smp_processor_id(), current->pid);
		}
		return NULL;
	}
	bits = (int)(size >> PCPU_MIN_ALLOC_SHIFT);
	bit_align = (int)(align >> PCPU_MIN_ALLOC_SHIFT);
	if (!is_atomic && mm_might_sleep("kernel/locking/mutex.c:580"))
		count_misuse(PCPU_MISUSE_SLEEP_ATOMIC);
	cost_cycles(PCPU_ALLOC_CYCLES);

	if (reserved && C.reserved) {
		c = C.reserved;
		off = find_fit(c, bits, bit_align, is_atomic);
		if (off < 0) {
			err = "alloc from reserved chunk failed";
			goto fail;
		}
		alloc_area(c, off, bits);
		goto area_found;
	}
	for (int restart = 0; restart < 3; restart++) {
		int n = sorted_chunks(), min_slot = size_to_slot(size);

		for (int i = 0; i < n; i++) {
			struct pcpu_chunk *x = C.sorted[i];

			if (x->slot < min_slot || x->slot > C.free_slot)
				continue;
			off = find_fit(x, bits, bit_align, is_atomic);
			if (off >= 0) {
				c = x;
				alloc_area(c, off, bits);
				goto area_found;
			}
		}
		if (is_atomic) {
			err = "atomic alloc failed, no space left";
			goto fail;
		}
		bool have_free = false;
		for (int i = 0; i < n; i++)
			if (C.sorted[i]->slot == C.free_slot)
				have_free = true;
		if (!have_free) {
			if (!create_chunk(pcpu_gfp)) {
				err = "failed to allocate new chunk";
				goto fail;
			}
			created = true;
		}
	}
	err = "no space after creating a chunk";
	goto fail;

area_found:
	if (!is_atomic) {
		int ps = off * PCPU_MIN_ALLOC_SIZE / (int)PAGE_SIZE;
		int pe = ((off + bits) * PCPU_MIN_ALLOC_SIZE + (int)PAGE_SIZE - 1) / (int)PAGE_SIZE;

		for (int p = ps; p < pe; p++) {
			if (test_bit(c->populated, p))
				continue;
			if (populate(c, p, p + 1, pcpu_gfp)) {
				free_area(c, off);
				err = "failed to populate";
				goto fail;
			}
			populated_now = true;
		}
	}
	if (C.nr_empty_pop_pages < PCPU_EMPTY_POP_PAGES_LOW)
		schedule_balance_work();
	unsigned long offb = (unsigned long)off * PCPU_MIN_ALLOC_SIZE;
	for (int cpu = 0; cpu < C.nr_cpus; cpu++)
		kva_charge_zero(c->base_addr + C.unit_off[cpu] + offb, size);
	unsigned long ptr = c->base_addr + offb - C.base_addr;
	if (C.ev_alloc && trace_on(C.ev_alloc))
		trace_alloc(caller, reserved, is_atomic, size, align, c, (int)offb, ptr, gfp);
	lat_add(created ? LAT_NEW_CHUNK : populated_now ? LAT_POPULATE : LAT_POPULATED, t0);
	return (void *)ptr;

fail:
	if (C.ev_fail && trace_on(C.ev_fail))
		trace_emit(C.ev_fail, "reserved=%d is_atomic=%d size=%zu align=%zu", reserved, is_atomic, size, align);
	if (!is_atomic && do_warn && C.warn_limit) {
		sim_printk("percpu: allocation failed, size=%zu align=%zu atomic=%d, %s\n", size, align,
			   is_atomic, err);
		if (!--C.warn_limit)
			sim_printk("percpu: limit reached, disable warning\n");
	}
	if (is_atomic) {
		C.atomic_alloc_failed = true;
		schedule_balance_work();
	}
	lat_add(LAT_FAIL, t0);
	return NULL;
}

void __percpu *__alloc_percpu_caller(size_t size, size_t align, gfp_t gfp, const char *caller)
{
	return pcpu_alloc(size, align, false, gfp, caller ? caller : "__alloc_percpu");
}

void __percpu *__alloc_percpu_gfp(size_t size, size_t align, gfp_t gfp)
{
	return pcpu_alloc(size, align, false, gfp, "__alloc_percpu_gfp");
}

void __percpu *__alloc_percpu(size_t size, size_t align)
{
	return pcpu_alloc(size, align, false, GFP_KERNEL, "__alloc_percpu");
}

void __percpu *__alloc_reserved_percpu(size_t size, size_t align)
{
	return pcpu_alloc(size, align, true, GFP_KERNEL, "__alloc_reserved_percpu");
}

static bool addr_in_chunk(const struct pcpu_chunk *c, unsigned long addr)
{
	unsigned long s, e;

	if (!c)
		return false;
	s = c->base_addr + (unsigned long)c->start_offset;
	e = c->base_addr + (unsigned long)c->nr_pages * PAGE_SIZE - (unsigned long)c->end_offset;
	return addr >= s && addr < e;
}

/* pcpu_chunk_addr_search(). */
static struct pcpu_chunk *chunk_addr_search(unsigned long addr)
{
	if (addr_in_chunk(C.first, addr))
		return C.first;
	if (addr_in_chunk(C.reserved, addr))
		return C.reserved;
	int cpu = smp_processor_id();
	if (cpu < 0 || cpu >= C.nr_cpus)
		cpu = 0;
	addr += C.unit_off[cpu];
	struct page *pg = vmalloc_to_page((const void *)addr);
	if (!pg || page_type(pg) != PGTY_PERCPU)
		return NULL;
	uint32_t id = page_owner_data(pg);
	return id < (uint32_t)C.nr_ids ? C.chunks[id] : NULL;
}

static void __free_percpu_locked(void __percpu *ptr);

/* one atomic section of the simulation: no other CPU interleaves mid-update (sim/engine.h) */
void free_percpu(void __percpu *ptr)
{
	sim_atomic_begin();
	__free_percpu_locked(ptr);
	sim_atomic_end();
}

static void __free_percpu_locked(void __percpu *ptr)
{
	sim_time_t t0 = sim_now();
	unsigned long addr;
	struct pcpu_chunk *c;

	if (!ptr || !C.ready)
		return;
	addr = (unsigned long)ptr + C.base_addr;
	c = chunk_addr_search(addr);
	long off = c ? (long)(addr - c->base_addr) : -1;
	if (!c || off < 0 || (off & (PCPU_MIN_ALLOC_SIZE - 1)) || off / PCPU_MIN_ALLOC_SIZE >= c->map_bits ||
	    !test_bit(c->alloc_map, (int)(off / PCPU_MIN_ALLOC_SIZE)) ||
	    !test_bit(c->bound_map, (int)(off / PCPU_MIN_ALLOC_SIZE)) ||
	    off < c->start_offset) {
		count_misuse(PCPU_MISUSE_UNKNOWN_FREE);
		sim_printk("------------[ cut here ]------------\n");
		sim_printk("free_percpu: %016" PRIx64 " is not an allocated percpu area\n",
			   trace_hash_ptr((unsigned long)ptr));
		sim_printk("WARNING: CPU: %d PID: %d at mm/percpu.c:2255 free_percpu+0x5f/0x3e0\n",
			   smp_processor_id(), current->pid);
		return;
	}
	cost_cycles(PCPU_FREE_CYCLES);
	free_area(c, (int)(off / PCPU_MIN_ALLOC_SIZE));
	bool need_balance = false;
	if (!c->immutable && c->free_bytes == (int)C.unit_size) {
		for (int i = 0; i < C.nr_ids; i++)
			if (C.chunks[i] && C.chunks[i] != c && !C.chunks[i]->immutable &&
			    C.chunks[i]->free_bytes == (int)C.unit_size)
				need_balance = true;
	}
	if (C.ev_free && trace_on(C.ev_free))
		trace_emit(C.ev_free, "base_addr=%016" PRIx64 " off=%ld ptr=%016" PRIx64,
			   trace_hash_ptr(c->base_addr), off, trace_hash_ptr((unsigned long)ptr));
	if (need_balance)
		schedule_balance_work();
	lat_add(LAT_FREE, t0);
}

/* --- pointers ----------------------------------------------------------------------------- */

unsigned long per_cpu_offset(int cpu)
{
	if (!C.ready || cpu < 0 || cpu >= C.nr_cpus)
		return 0;
	return C.base_addr + C.unit_off[cpu];
}

unsigned long per_cpu_ptr(void __percpu *ptr, int cpu)
{
	return (unsigned long)ptr + per_cpu_offset(cpu);
}

unsigned long this_cpu_ptr(void __percpu *ptr)
{
	return per_cpu_ptr(ptr, smp_processor_id());
}

int get_cpu(void)
{
	preempt_disable();
	return smp_processor_id();
}

void put_cpu(void)
{
	preempt_enable();
}

uint64_t per_cpu_ptr_to_phys(unsigned long addr)
{
	return kva_to_phys(addr);
}

/* --- views ---------------------------------------------------------------------------------- */

unsigned long pcpu_nr_pages(void)
{
	return C.ready ? (unsigned long)C.nr_populated * (unsigned long)C.nr_units : 0;
}

void percpu_print_meminfo(FILE *f)
{
	fprintf(f, "%-16s%8lu kB\n", "Percpu:", pcpu_nr_pages() << (PAGE_SHIFT - 10));
}

int pcpu_nr_chunks(void)
{
	int n = 0;

	for (int i = 0; i < C.nr_ids; i++)
		if (C.chunks[i] && !C.chunks[i]->is_reserved)
			n++;
	return n;
}

int pcpu_nr_empty_pop_pages(void) { return (int)C.nr_empty_pop_pages; }
size_t pcpu_unit_size(void) { return C.unit_size; }
int pcpu_nr_units(void) { return C.nr_units; }

void pcpu_first_chunk_layout(size_t *static_size, size_t *reserved_size, size_t *dyn_size)
{
	if (static_size)
		*static_size = C.static_size;
	if (reserved_size)
		*reserved_size = C.reserved_size;
	if (dyn_size)
		*dyn_size = C.dyn_size;
}

unsigned long pcpu_misuse_count(enum pcpu_misuse kind)
{
	return (unsigned)kind < NR_PCPU_MISUSE ? C.local_misuse[kind] : 0;
}

void pcpu_stats_print(FILE *f)
{
	fprintf(f, "Percpu Memory Statistics\nAllocation Info:\n");
	fprintf(f, "  unit_size           : %8zu\n  static_size         : %8zu\n  reserved_size       : %8zu\n"
		"  dyn_size            : %8zu\n  atom_size           : %8lu\n",
		C.unit_size, C.static_size, C.reserved_size, C.dyn_size, PCPU_ATOM_SIZE);
	fprintf(f, "Global Stats:\n  nr_chunks           : %8d\n  empty_pop_pages     : %8ld\n"
		"  populated_pages     : %8ld\n", pcpu_nr_chunks(), C.nr_empty_pop_pages, C.nr_populated);
	for (int i = 0; i < C.nr_ids; i++) {
		struct pcpu_chunk *c = C.chunks[i];

		if (!c)
			continue;
		fprintf(f, "Chunk: %s\n  nr_alloc            : %8d\n  free_bytes          : %8d\n"
			"  contig_bytes        : %8d\n  nr_pages            : %8d\n  populated           : %8d\n"
			"  empty_pop_pages     : %8d\n",
			c == C.first ? "<- First Chunk" : c->is_reserved ? "<- Reserved Chunk" : "",
			c->nr_alloc, c->free_bytes, c->contig_bits * PCPU_MIN_ALLOC_SIZE, c->nr_pages,
			c->nr_populated, c->nr_empty_pop_pages);
	}
}

int pcpu_check(void)
{
	long empty = 0, populated = 0;

	if (!C.ready)
		return 0;
	for (int i = 0; i < C.nr_ids; i++) {
		struct pcpu_chunk *c = C.chunks[i];
		int free_bits = 0, pop = 0, emp = 0;

		if (!c)
			continue;
		for (int b = 0; b < c->nr_pages; b++) {
			struct pcpu_block_md saved = c->md[b];
			int s = b * PCPU_BITMAP_BLOCK_BITS, e = s + PCPU_BITMAP_BLOCK_BITS;
			int nf = 0;

			for (int k = s; k < e; k++)
				nf += !test_bit(c->alloc_map, k);
			if (nf != saved.nr_free) {
				sim_error("pcpu_check: chunk %d block %d nr_free %d, bitmap says %d", c->id, b,
					  saved.nr_free, nf);
				return -1;
			}
			/* recompute the run hints without touching counters */
			int contig = 0, left, right, run = 0, first_set = e, last_set = s - 1;
			for (int k = s; k < e; k++) {
				if (!test_bit(c->alloc_map, k)) {
					if (++run > contig)
						contig = run;
				} else {
					run = 0;
					if (first_set == e)
						first_set = k;
					last_set = k;
				}
			}
			left = first_set - s;
			right = e - 1 - last_set;
			if (first_set == e)
				left = right = PCPU_BITMAP_BLOCK_BITS;
			if (contig != saved.contig_hint || left != saved.left_free || right != saved.right_free) {
				sim_error("pcpu_check: chunk %d block %d hints %d/%d/%d, bitmap says %d/%d/%d",
					  c->id, b, saved.contig_hint, saved.left_free, saved.right_free, contig, left,
					  right);
				return -1;
			}
			free_bits += nf;
			if (test_bit(c->populated, b)) {
				pop++;
				if (nf == PCPU_BITMAP_BLOCK_BITS)
					emp++;
			}
		}
		if (free_bits * PCPU_MIN_ALLOC_SIZE != c->free_bytes) {
			sim_error("pcpu_check: chunk %d free_bytes %d, bitmap says %d", c->id, c->free_bytes,
				  free_bits * PCPU_MIN_ALLOC_SIZE);
			return -1;
		}
		if (chunk_contig(c) != c->contig_bits) {
			sim_error("pcpu_check: chunk %d contig %d, blocks say %d", c->id, c->contig_bits, chunk_contig(c));
			return -1;
		}
		if (pop != c->nr_populated || emp != c->nr_empty_pop_pages) {
			sim_error("pcpu_check: chunk %d populated %d/%d empty %d/%d", c->id, c->nr_populated, pop,
				  c->nr_empty_pop_pages, emp);
			return -1;
		}
		if (!c->is_reserved) {
			empty += emp;
			populated += pop;
		}
		if (chunk_slot(c) != c->slot) {
			sim_error("pcpu_check: chunk %d in slot %d, belongs in %d", c->id, c->slot, chunk_slot(c));
			return -1;
		}
	}
	if (empty != C.nr_empty_pop_pages || populated != C.nr_populated) {
		sim_error("pcpu_check: global empty %ld/%ld populated %ld/%ld", C.nr_empty_pop_pages, empty,
			  C.nr_populated, populated);
		return -1;
	}
	return 0;
}

/* --- init ------------------------------------------------------------------------------------ */

static double gauge_percpu(void *ctx) { (void)ctx; return (double)pcpu_nr_pages(); }

/* pcpu_build_alloc_info's choice of units per allocation. */
static int choose_upa(size_t min_unit, size_t alloc, const int *group_cnt, int nr_groups, int nr_cpus)
{
	int max_upa = (int)(alloc / min_unit), best = 0, last_allocs = 1 << 30;

	for (int upa = max_upa; upa > 0; upa--) {
		int allocs = 0, wasted = 0;

		if (alloc % (size_t)upa || ((alloc / (size_t)upa) & (PAGE_SIZE - 1)))
			continue;
		for (int g = 0; g < nr_groups; g++) {
			int a = (group_cnt[g] + upa - 1) / upa;
			allocs += a;
			wasted += a * upa - group_cnt[g];
		}
		if (wasted > nr_cpus / 3)
			continue;
		if (allocs > last_allocs)
			break;
		last_allocs = allocs;
		best = upa;
	}
	return best ? best : 1;
}

int percpu_init(const struct mm_params *p)
{
	int group_cnt[MAX_GROUPS] = { 0 };
	unsigned long group_base[MAX_GROUPS] = { 0 };

	if (C.ready)
		return 0;                       /* once per boot: percpu_shutdown() resets */
	memset(&C, 0, sizeof(C));
	C.nr_cpus = machine_nr_cpus() > 0 ? machine_nr_cpus() : 1;
	C.static_size = p && p->percpu_static_size ? (size_t)p->percpu_static_size : 200 << 10;
	C.reserved_size = PERCPU_MODULE_RESERVE;
	C.size_sum = (C.static_size + C.reserved_size + PERCPU_DYNAMIC_RESERVE + PAGE_SIZE - 1) & PAGE_MASK;
	C.dyn_size = C.size_sum - C.static_size - C.reserved_size;
	size_t min_unit = C.size_sum > PCPU_MIN_UNIT_SIZE ? C.size_sum : PCPU_MIN_UNIT_SIZE;

	/* groups: nodes with CPUs, in node order */
	int nr_nodes = machine_nr_nodes() > 0 ? machine_nr_nodes() : 1;
	int group_of_node[MACHINE_MAX_NODES];
	for (int n = 0; n < MACHINE_MAX_NODES; n++)
		group_of_node[n] = -1;
	for (int cpu = 0; cpu < C.nr_cpus; cpu++) {
		int nid = cpu_to_node(cpu);
		if (nid < 0 || nid >= nr_nodes)
			nid = 0;
		if (group_of_node[nid] < 0) {
			group_of_node[nid] = C.nr_groups;
			C.group_nid[C.nr_groups++] = nid;
		}
		group_cnt[group_of_node[nid]]++;
	}
	/* order groups by node id */
	for (int i = 1; i < C.nr_groups; i++)
		for (int j = i; j > 0 && C.group_nid[j - 1] > C.group_nid[j]; j--) {
			int t = C.group_nid[j];
			C.group_nid[j] = C.group_nid[j - 1];
			C.group_nid[j - 1] = t;
			t = group_cnt[j];
			group_cnt[j] = group_cnt[j - 1];
			group_cnt[j - 1] = t;
		}
	for (int g = 0; g < C.nr_groups; g++)
		group_of_node[C.group_nid[g]] = g;

	if (p && p->percpu_unit_size) {
		C.unit_size = (size_t)p->percpu_unit_size;
		if (C.unit_size < min_unit || (C.unit_size & (PAGE_SIZE - 1))) {
			sim_error("percpu: unit size %zu is below %zu or not page aligned", C.unit_size, min_unit);
			return -EINVAL;
		}
		C.upa = (int)(PCPU_ATOM_SIZE / C.unit_size);
		if (C.upa < 1)
			C.upa = 1;
	} else {
		size_t alloc = (min_unit + PCPU_ATOM_SIZE - 1) & ~(PCPU_ATOM_SIZE - 1);
		C.upa = choose_upa(min_unit, alloc, group_cnt, C.nr_groups, C.nr_cpus);
		C.unit_size = alloc / (size_t)C.upa;
	}
	C.unit_pages = (int)(C.unit_size >> PAGE_SHIFT);
	C.unit_off = calloc((size_t)C.nr_cpus, sizeof(*C.unit_off));
	if (!C.unit_off)
		return -ENOMEM;
	for (int g = 0; g < C.nr_groups; g++) {
		int nid = C.group_nid[g];
		C.group_units[g] = (group_cnt[g] + C.upa - 1) / C.upa * C.upa;
		C.nr_units += C.group_units[g];
		C.group_size[g] = (unsigned long)C.group_units[g] * C.unit_size;
		unsigned long b = pcpu_fc_group_base ? pcpu_fc_group_base(nid) : 0;
		if (!b) {
			uint64_t mid = node_start_phys(nid) + node_ram_bytes(nid) / 2;
			b = phys_to_virt_addr(mid & ~(uint64_t)(PCPU_ATOM_SIZE - 1));
		}
		group_base[g] = b;
	}
	C.base_addr = group_base[0];
	for (int g = 1; g < C.nr_groups; g++)
		if (group_base[g] < C.base_addr)
			C.base_addr = group_base[g];
	for (int g = 0; g < C.nr_groups; g++)
		C.group_offset[g] = group_base[g] - C.base_addr;
	{
		int idx[MAX_GROUPS] = { 0 };
		for (int cpu = 0; cpu < C.nr_cpus; cpu++) {
			int nid = cpu_to_node(cpu);
			if (nid < 0 || nid >= nr_nodes)
				nid = 0;
			int g = group_of_node[nid];
			C.unit_off[cpu] = C.group_offset[g] + (unsigned long)idx[g]++ * C.unit_size;
		}
	}
	/* slots */
	C.free_slot = size_to_slot_raw(C.unit_size) + 2;
	C.nr_slots = C.free_slot + 2;
	C.warn_limit = 10;

	/* reserved chunk: [static, static + reserved) */
	int rs_region = (int)((C.static_size + C.reserved_size + PAGE_SIZE - 1) & PAGE_MASK);
	C.reserved = chunk_alloc(rs_region, GFP_KERNEL, false);
	C.first = chunk_alloc((int)C.size_sum, GFP_KERNEL, false);
	if (!C.reserved || !C.first)
		goto nomem;
	C.reserved->is_reserved = C.reserved->immutable = true;
	C.first->immutable = true;
	C.reserved->base_addr = C.first->base_addr = C.base_addr;
	C.reserved->start_offset = (int)C.static_size;
	C.reserved->end_offset = rs_region - (int)(C.static_size + C.reserved_size);
	C.first->start_offset = (int)(C.static_size + C.reserved_size);
	C.first->end_offset = (int)C.size_sum - (int)(C.static_size + C.reserved_size + C.dyn_size);
	if (chunk_register(C.first) || chunk_register(C.reserved))
		goto nomem;
	for (int k = 0; k < 2; k++) {
		struct pcpu_chunk *c = k ? C.reserved : C.first;
		int region = c->nr_pages * (int)PAGE_SIZE;

		for (int pg = 0; pg < c->nr_pages; pg++)
			set_bit(c->populated, pg);
		c->nr_populated = c->nr_pages;
		c->free_bytes = region;
		hide_range(c, 0, c->start_offset / PCPU_MIN_ALLOC_SIZE);
		hide_range(c, (region - c->end_offset) / PCPU_MIN_ALLOC_SIZE, c->end_offset / PCPU_MIN_ALLOC_SIZE);
		c->free_bytes = region - c->start_offset - c->end_offset;
		c->nr_empty_pop_pages = 0;
		for (int b = 0; b < c->nr_pages; b++)
			if (c->md[b].nr_free == PCPU_BITMAP_BLOCK_BITS)
				c->nr_empty_pop_pages++;
		chunk_relocate(c);
	}
	C.nr_empty_pop_pages = C.first->nr_empty_pop_pages;
	C.nr_populated = (long)(C.size_sum >> PAGE_SHIFT);

	sim_printk("percpu: Embedded %zu pages/cpu s%zu r%zu d%zu u%zu\n", C.size_sum >> PAGE_SHIFT,
		   C.static_size, C.reserved_size, C.dyn_size, C.unit_size);

	for (int i = 0; i < NR_PCPU_LAT; i++)
		C.lat[i] = stat_hist(lat_names[i], "ps", "alloc_percpu / free_percpu latency by path");
	for (int i = 0; i < NR_PCPU_MISUSE; i++) {
		char name[64];
		snprintf(name, sizeof(name), "mm.percpu.misuse.%s", misuse_names[i]);
		C.misuse[i] = stat_counter(name, "events", "percpu misuse reported", STAT_SUMMARY);
	}
	C.chunks_created = stat_counter("mm.percpu.chunks_created", "chunks", "percpu chunks created", STAT_SUMMARY);
	C.chunks_destroyed = stat_counter("mm.percpu.chunks_destroyed", "chunks", "percpu chunks destroyed",
					  STAT_SUMMARY);
	stat_gauge("mm.percpu.Percpu", "pages", "meminfo Percpu (populated pages x units)",
		   STAT_SAMPLED | STAT_SUMMARY, gauge_percpu, NULL);
	C.ev_alloc = trace_event_register("percpu", "percpu_alloc_percpu");
	C.ev_free = trace_event_register("percpu", "percpu_free_percpu");
	C.ev_fail = trace_event_register("percpu", "percpu_alloc_percpu_fail");
	C.ev_create = trace_event_register("percpu", "percpu_create_chunk");
	C.ev_destroy = trace_event_register("percpu", "percpu_destroy_chunk");
	C.ready = true;
	return 0;
nomem:
	percpu_shutdown();
	return -ENOMEM;
}

void percpu_shutdown(void)
{
	for (int i = 0; i < C.nr_ids; i++)
		chunk_free_host(C.chunks[i]);
	if (C.nr_ids == 0) {
		chunk_free_host(C.first);
		chunk_free_host(C.reserved);
	}
	free(C.chunks);
	free(C.sorted);
	free(C.unit_off);
	memset(&C, 0, sizeof(C));
}
