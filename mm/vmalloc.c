// SPDX-License-Identifier: MIT
/*
 * mm/vmalloc.c — vmalloc, vmap, ioremap and the vmap-area allocator of
 * Linux 6.1 (x86-64, 4-level paging).
 *
 * What it models
 *   - The VA space [VMALLOC_START, VMALLOC_END) is split into ranges that are
 *     each in exactly one of three trees: free, busy (live areas) and lazy
 *     (freed, not yet purged). Trees are treaps over a pool of
 *     host records with stable addresses (blocks of 1024), keyed by start.
 *     The free tree is augmented with the largest range size of each subtree
 *     (the kernel's subtree_max_size), so the lowest-address fit is found in
 *     O(log n) for page-aligned requests (descend left while the left subtree
 *     can hold the request), like find_vmap_lowest_match().
 *   - An area = VA of size + one guard page (unless VM_NO_GUARD), a vm_struct
 *     (kzalloc'd, 64 bytes), a vmap_area object (its own slab cache), a page
 *     pointer array (kmalloc_node ≤ 4 KiB, else a nested vmalloc: "vpages"),
 *     order-0 pages (batches of 100 like alloc_pages_bulk_array, then one by
 *     one), 4 KiB PTEs written through mmu_map(); the MMU takes PTE/PMD pages
 *     from the page-table hook installed here (page-allocator pages,
 *     PGTY_PGTABLE, GFP_PGTABLE_KERNEL under the caller's NOFS/NOIO scope).
 *   - vfree clears the PTEs and frees the pages at once; the VA goes to the
 *     lazy tree and vmap_lazy_nr grows by its pages (guard included). When it
 *     exceeds lazy_max_pages() = fls(ncpus) × 8192, the lazy areas are purged:
 *     one flush_tlb_kernel_range(min start, max end) (a full flush + IPI
 *     shootdown when > 33 pages) and their VA returns to the free tree,
 *     coalescing with neighbours. An allocation that finds no VA purges once
 *     and retries, then warns "vmap allocation for size %lu failed".
 *   - vfree in interrupt context (and vfree_atomic always) is deferred to a
 *     per-CPU list drained by a kworker process spawned on that CPU (or, when
 *     no simulation is running, by the next task-context vmalloc, or
 *     vfree_deferred_run()).
 *   - Misuse is reported in the kernel's words and counted (see vmalloc.h).
 * Simplified vs 6.1
 *   - the lazy purge runs synchronously in the freeing context instead of in
 *     the drain_vmap_work kworker; vmap blocks (vm_map_ram) are not modelled;
 *   - vmalloc_huge / VM_ALLOW_HUGE_VMAP map 4 KiB pages: the machine's MMU
 *     maps vmalloc space with 4 KiB PTEs only, like an arch without huge vmap;
 *   - free-tree nodes are not slab objects (vmap_area objects are freed when
 *     their area is purged); KASAN, kmemleak and memcg charging are absent;
 *   - page pointers are not kept on the host: the page tables are the truth
 *     (vmalloc_to_page walks them), the simulated array is still allocated and
 *     written so it costs and is accounted.
 * Invariants (vmalloc_check): the three trees partition the space exactly,
 * free ranges are coalesced, subtree maxima are right, vmap_lazy_nr = Σ lazy
 * pages, every page of a vmalloc area is mapped, PGTY_VMALLOC and counted.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cpu.h"          /* before mm/page_alloc.h: numa_node_id */
#include "machine/cost.h"
#include "machine/dma.h"
#include "machine/machine.h"
#include "mm/mempool.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/sched.h"
#include "mm/slab.h"
#include "mm/util.h"
#include "mm/vmalloc.h"
#include "sim/engine.h"
#include "sim/log.h"
#include "sim/stats.h"
#include "sim/trace.h"

/* Base costs [U]: tree walk + locks of alloc_vmap_area / setup_vmalloc_vm;
 * per-page loop overhead of vm_area_alloc_pages + vmap_pages_range (the PTE
 * store itself is charged by mmu_map); free-path equivalents. */
#define VMALLOC_BASE_CYCLES     400
#define VMALLOC_PAGE_CYCLES     60
#define VFREE_BASE_CYCLES       300
#define VFREE_PAGE_CYCLES       50
#define PURGE_AREA_CYCLES       120
#define VM_STRUCT_SIZE          64       /* sizeof(struct vm_struct), kmalloc-64 */
#define VMAP_AREA_SIZE          64       /* sizeof(struct vmap_area) */
#define VMAP_BULK_BATCH         100
/* GFP_RECLAIM_MASK (mm/internal.h of the kernel). */
#define GFP_RECLAIM_MASK (__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | __GFP_NOWARN | \
			  __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | __GFP_NORETRY | __GFP_MEMALLOC | \
			  __GFP_NOMEMALLOC)
#define GFP_PGTABLE_KERNEL (GFP_KERNEL | __GFP_ZERO)

#define VSPACE_START VMALLOC_START
#define VSPACE_END   (VMALLOC_END & PAGE_MASK)        /* exclusive */

enum va_state { VA_UNUSED, VA_FREE, VA_BUSY, VA_LAZY };

struct vmap_area {
	unsigned long va_start, va_end;
	unsigned long subtree_max;       /* largest (end - start) in the subtree */
	uint32_t left, right, prio, next;
	uint8_t state;
	bool has_vm;
	unsigned long va_obj;            /* simulated vmap_area object, 0 if none */
	struct vm_struct vm;
};

#define BLK_SHIFT 10
#define BLK_SIZE  (1u << BLK_SHIFT)
#define MAX_BLKS  65536

enum vm_lat {
	LAT_VMALLOC, LAT_VMALLOC_PURGE, LAT_VMALLOC_FAIL,
	LAT_VFREE, LAT_VFREE_PURGE, LAT_VFREE_DEFERRED,
	LAT_VMAP, LAT_IOREMAP,
	NR_VM_LAT
};
static const char *const vm_lat_names[NR_VM_LAT] = {
	"mm.latency.vmalloc.ok", "mm.latency.vmalloc.purged", "mm.latency.vmalloc.fail",
	"mm.latency.vfree.ok", "mm.latency.vfree.purge", "mm.latency.vfree.deferred",
	"mm.latency.vmap.ok", "mm.latency.ioremap.ok",
};
static const char *const misuse_names[NR_VMALLOC_MISUSE] = {
	"bad_addr", "nonexistent", "double_free", "direct_map", "nmi", "dma", "ioremap_ram",
};

struct deferred {
	unsigned long *addr;
	size_t nr, cap;
	bool worker;                     /* a kworker process is scheduled */
};

static struct {
	bool ready;
	struct vmap_area *blk[MAX_BLKS];
	uint32_t nr_blks, free_head, used;
	uint32_t free_root, busy_root, lazy_root;
	uint64_t rng;
	unsigned long lazy_nr;
	unsigned long nr_vmalloc_pages;
	unsigned long nr_busy;
	struct kmem_cache *vmap_area_cachep;
	bool hook_installed;
	unsigned long *scratch;          /* pfns of an allocation in progress */
	size_t scratch_cap;
	uint32_t *purge_buf;
	size_t purge_cap;
	struct deferred *defer;          /* [nr_cpus] */
	int nr_cpus;
	bool warned_zero_size, warned_ioremap_ram;
	uint64_t last_warn_ps;
	bool warned_any;
	uint64_t local_misuse[NR_VMALLOC_MISUSE];
	uint64_t local_purges;
	uint64_t *misuse[NR_VMALLOC_MISUSE];
	uint64_t *purges, *pages_alloc, *pages_freed, *pgtable_pages;
	struct hist *lat[NR_VM_LAT];
} V;

static inline struct vmap_area *N(uint32_t i)
{
	return &V.blk[i >> BLK_SHIFT][i & (BLK_SIZE - 1)];
}

/* --- record pool ------------------------------------------------------------------ */

static uint32_t va_new(void)
{
	uint32_t i;

	if (!V.free_head) {
		if (V.nr_blks >= MAX_BLKS)
			return 0;
		struct vmap_area *b = calloc(BLK_SIZE, sizeof(*b));
		if (!b)
			return 0;
		V.blk[V.nr_blks] = b;
		uint32_t base = V.nr_blks << BLK_SHIFT;
		V.nr_blks++;
		/* index 0 is "nil": never handed out */
		for (uint32_t k = BLK_SIZE; k-- > 0;) {
			if (base + k == 0)
				continue;
			b[k].next = V.free_head;
			V.free_head = base + k;
		}
	}
	i = V.free_head;
	struct vmap_area *v = N(i);
	V.free_head = v->next;
	memset(v, 0, sizeof(*v));
	V.rng ^= V.rng << 13;
	V.rng ^= V.rng >> 7;
	V.rng ^= V.rng << 17;
	v->prio = (uint32_t)(V.rng >> 11);
	V.used++;
	return i;
}

static void va_put(uint32_t i)
{
	struct vmap_area *v = N(i);

	v->state = VA_UNUSED;
	v->next = V.free_head;
	V.free_head = i;
	V.used--;
}

/* --- treap ---------------------------------------------------------------------- */

static inline unsigned long smax(uint32_t t) { return t ? N(t)->subtree_max : 0; }

static void upd(uint32_t t)
{
	struct vmap_area *n = N(t);
	unsigned long m = n->va_end - n->va_start;

	if (smax(n->left) > m)
		m = smax(n->left);
	if (smax(n->right) > m)
		m = smax(n->right);
	n->subtree_max = m;
}

/* @l: starts < key; @r: starts >= key. */
static void split(uint32_t t, unsigned long key, uint32_t *l, uint32_t *r)
{
	if (!t) {
		*l = *r = 0;
		return;
	}
	if (N(t)->va_start < key) {
		split(N(t)->right, key, &N(t)->right, r);
		*l = t;
	} else {
		split(N(t)->left, key, l, &N(t)->left);
		*r = t;
	}
	upd(t);
}

static uint32_t merge(uint32_t a, uint32_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	if (N(a)->prio > N(b)->prio) {
		N(a)->right = merge(N(a)->right, b);
		upd(a);
		return a;
	}
	N(b)->left = merge(a, N(b)->left);
	upd(b);
	return b;
}

static void tree_insert(uint32_t *root, uint32_t n)
{
	uint32_t l, r;

	N(n)->left = N(n)->right = 0;
	upd(n);
	split(*root, N(n)->va_start, &l, &r);
	*root = merge(merge(l, n), r);
}

static uint32_t erase_rec(uint32_t t, unsigned long key)
{
	if (!t)
		return 0;
	if (N(t)->va_start == key)
		return merge(N(t)->left, N(t)->right);
	if (key < N(t)->va_start)
		N(t)->left = erase_rec(N(t)->left, key);
	else
		N(t)->right = erase_rec(N(t)->right, key);
	upd(t);
	return t;
}

static void tree_erase(uint32_t *root, uint32_t n)
{
	*root = erase_rec(*root, N(n)->va_start);
	N(n)->left = N(n)->right = 0;
}

/* Node with the largest start <= key. */
static uint32_t find_le(uint32_t t, unsigned long key)
{
	uint32_t best = 0;

	while (t) {
		if (N(t)->va_start <= key) {
			best = t;
			t = N(t)->right;
		} else {
			t = N(t)->left;
		}
	}
	return best;
}

/* Node with the smallest start >= key. */
static uint32_t find_ge(uint32_t t, unsigned long key)
{
	uint32_t best = 0;

	while (t) {
		if (N(t)->va_start >= key) {
			best = t;
			t = N(t)->left;
		} else {
			t = N(t)->right;
		}
	}
	return best;
}

/* The node of @root containing @addr (start <= addr < end). */
static uint32_t find_containing(uint32_t root, unsigned long addr)
{
	uint32_t t = find_le(root, addr);

	return (t && addr < N(t)->va_end) ? t : 0;
}

static inline unsigned long align_up(unsigned long x, unsigned long a) { return (x + a - 1) & ~(a - 1); }
static inline unsigned long align_down(unsigned long x, unsigned long a) { return x & ~(a - 1); }

static bool va_fits(uint32_t t, unsigned long size, unsigned long align,
		    unsigned long vstart, unsigned long vend, unsigned long *nva)
{
	unsigned long s = N(t)->va_start > vstart ? N(t)->va_start : vstart;
	unsigned long e = N(t)->va_end < vend ? N(t)->va_end : vend;

	s = align_up(s, align);
	if (s < N(t)->va_start || s >= e || e - s < size)
		return false;
	*nva = s;
	return true;
}

/* Lowest free range that holds [nva, nva+size) inside [vstart, vend). */
static uint32_t find_lowest_fit(uint32_t t, unsigned long size, unsigned long align,
				unsigned long vstart, unsigned long vend, unsigned long *nva)
{
	uint32_t r;

	if (!t || N(t)->subtree_max < size)
		return 0;
	if (N(t)->va_end > vstart && (r = find_lowest_fit(N(t)->left, size, align, vstart, vend, nva)))
		return r;
	if (N(t)->va_start >= vend)
		return 0;
	if (va_fits(t, size, align, vstart, vend, nva))
		return t;
	return find_lowest_fit(N(t)->right, size, align, vstart, vend, nva);
}

/* Take [a, e) out of the free range that contains it. */
static int free_clip(unsigned long a, unsigned long e)
{
	uint32_t t = find_containing(V.free_root, a);

	if (!t || N(t)->va_end < e)
		return -ENOENT;
	unsigned long s0 = N(t)->va_start, e0 = N(t)->va_end;
	tree_erase(&V.free_root, t);
	if (s0 < a && e < e0) {
		uint32_t r = va_new();
		if (!r) {
			tree_insert(&V.free_root, t);
			return -ENOMEM;
		}
		N(t)->va_end = a;
		tree_insert(&V.free_root, t);
		N(r)->state = VA_FREE;
		N(r)->va_start = e;
		N(r)->va_end = e0;
		tree_insert(&V.free_root, r);
	} else if (s0 < a) {
		N(t)->va_end = a;
		tree_insert(&V.free_root, t);
	} else if (e < e0) {
		N(t)->va_start = e;
		tree_insert(&V.free_root, t);
	} else {
		va_put(t);
	}
	return 0;
}

/* merge_or_add_vmap_area: return [s, e) to the free tree, coalescing. */
static void free_insert(unsigned long s, unsigned long e)
{
	uint32_t prev = find_le(V.free_root, s);
	uint32_t next = find_ge(V.free_root, s);

	if (prev && N(prev)->va_end == s) {
		tree_erase(&V.free_root, prev);
		s = N(prev)->va_start;
		if (next && N(next)->va_start == e) {
			tree_erase(&V.free_root, next);
			e = N(next)->va_end;
			va_put(next);
		}
		N(prev)->va_start = s;
		N(prev)->va_end = e;
		tree_insert(&V.free_root, prev);
		return;
	}
	if (next && N(next)->va_start == e) {
		tree_erase(&V.free_root, next);
		N(next)->va_start = s;
		tree_insert(&V.free_root, next);
		return;
	}
	uint32_t n = va_new();
	if (!n) {
		sim_error("vmalloc: out of host memory for vmap-area records");
		return;
	}
	N(n)->state = VA_FREE;
	N(n)->va_start = s;
	N(n)->va_end = e;
	tree_insert(&V.free_root, n);
}

/* --- helpers ------------------------------------------------------------------------ */

static void count_misuse(enum vmalloc_misuse k)
{
	V.local_misuse[k]++;
	if (V.misuse[k])
		++*V.misuse[k];
}

static inline void lat_add(enum vm_lat l, sim_time_t t0)
{
	if (V.lat[l])
		hist_add(V.lat[l], sim_now() - t0);
}

static void warn_cut(const char *func, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void warn_cut(const char *func, const char *file, int line, const char *fmt, ...)
{
	struct task_struct *t = current;
	char buf[512];
	va_list ap;

	sim_printk("------------[ cut here ]------------\n");
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		sim_printk("%s", buf);
	}
	sim_printk("WARNING: CPU: %d PID: %d at %s:%d %s\n", smp_processor_id(), t->pid, file, line, func);
	sim_printk("---[ end trace 0000000000000000 ]---\n");
}

/* warn_alloc() as vmalloc calls it: "<comm>: vmalloc error: ..., mode:..., nodemask=(null)". */
static void vm_warn_alloc(gfp_t gfp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void vm_warn_alloc(gfp_t gfp, const char *fmt, ...)
{
	char msg[256], fl[GFP_STR_MAX];
	struct task_struct *t = current;
	va_list ap;

	if (gfp & __GFP_NOWARN)
		return;
	uint64_t now = sim_now();
	if (V.warned_any && now - V.last_warn_ps < 5 * SIM_SEC)     /* DEFAULT_RATELIMIT */
		return;
	V.warned_any = true;
	V.last_warn_ps = now;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	int last = -1, first = -1;
	for (int n = 0; n < machine_nr_nodes(); n++)
		if (node_has_memory(n)) {
			if (first < 0)
				first = n;
			last = n;
		}
	char mems[32];
	if (first < 0 || first == last)
		snprintf(mems, sizeof(mems), "%d", first < 0 ? 0 : first);
	else
		snprintf(mems, sizeof(mems), "%d-%d", first, last);
	sim_printk("%s: %s, mode:%#x(%s), nodemask=(null),cpuset=/,mems_allowed=%s\n",
		   t->comm, msg, gfp, gfp_format_pGg(gfp, fl, sizeof(fl)), mems);
	sim_printk("CPU: %d PID: %d Comm: %s Not tainted 6.1.0-mmsim #1\n", smp_processor_id(), t->pid, t->comm);
}

static unsigned long scratch_reserve(size_t n)
{
	if (n > V.scratch_cap) {
		size_t cap = V.scratch_cap ? V.scratch_cap : 1024;
		while (cap < n)
			cap *= 2;
		unsigned long *s = realloc(V.scratch, cap * sizeof(*s));
		if (!s)
			return 0;
		V.scratch = s;
		V.scratch_cap = cap;
	}
	return 1;
}

static bool vm_slab_ok(void)
{
	return slab_is_available();
}

/* --- page-table hook --------------------------------------------------------------------- */

static phys_addr_t pgtable_alloc(int nid, void *ctx)
{
	(void)ctx;
	if (!mm_booted())
		return 0;
	struct page *pg = alloc_pages_node(nid, GFP_PGTABLE_KERNEL, 0);
	if (!pg)
		return 0;
	page_set_owner(pg, PGTY_PGTABLE, 0);
	if (V.pgtable_pages)
		++*V.pgtable_pages;
	return page_to_phys(pg);
}

static void pgtable_free(phys_addr_t pa, void *ctx)
{
	(void)ctx;
	if (!mm_booted())
		return;
	__free_pages(phys_to_page(pa), 0);
	if (V.pgtable_pages)
		--*V.pgtable_pages;
}

/* --- lazy purge ---------------------------------------------------------------------- */

unsigned long lazy_max_pages(void)
{
	int n = V.nr_cpus > 0 ? V.nr_cpus : 1;
	int fls = 32 - __builtin_clz((unsigned)n);

	return (unsigned long)fls * ((32UL << 20) / PAGE_SIZE);
}

unsigned long vmap_lazy_nr(void) { return V.lazy_nr; }

static void collect_inorder(uint32_t t, size_t *n)
{
	if (!t)
		return;
	collect_inorder(N(t)->left, n);
	if (*n >= V.purge_cap) {
		size_t cap = V.purge_cap ? V.purge_cap * 2 : 1024;
		uint32_t *b = realloc(V.purge_buf, cap * sizeof(*b));
		if (!b)
			return;
		V.purge_buf = b;
		V.purge_cap = cap;
	}
	V.purge_buf[(*n)++] = t;
	collect_inorder(N(t)->right, n);
}

/* __purge_vmap_area_lazy(ULONG_MAX, 0). Return: true if anything was purged. */
static bool purge_vmap_area_lazy(void)
{
	size_t n = 0;

	if (!V.lazy_root)
		return false;
	collect_inorder(V.lazy_root, &n);
	V.lazy_root = 0;
	if (!n)
		return false;
	unsigned long start = N(V.purge_buf[0])->va_start, end = N(V.purge_buf[n - 1])->va_end;
	flush_tlb_kernel_range(start, end);
	for (size_t i = 0; i < n; i++) {
		uint32_t t = V.purge_buf[i];
		unsigned long s = N(t)->va_start, e = N(t)->va_end;

		cost_cycles(PURGE_AREA_CYCLES);
		if (N(t)->va_obj && V.vmap_area_cachep)
			kmem_cache_free(V.vmap_area_cachep, (void *)N(t)->va_obj);
		V.lazy_nr -= (e - s) >> PAGE_SHIFT;
		va_put(t);
		free_insert(s, e);
	}
	V.local_purges++;
	if (V.purges)
		++*V.purges;
	return true;
}

void vm_unmap_aliases(void)
{
	purge_vmap_area_lazy();
}

/* --- vmap areas --------------------------------------------------------------------- */

/* alloc_vmap_area(): a busy record of @size at the lowest fit, or 0. */
static uint32_t alloc_vmap_area(unsigned long size, unsigned long align, unsigned long vstart,
				unsigned long vend, int node, gfp_t gfp, bool *purged_out)
{
	unsigned long va_obj = 0, nva = 0;
	bool purged = false;
	uint32_t t;

	if (align < PAGE_SIZE)
		align = PAGE_SIZE;
	if (align & (align - 1))
		return 0;
	if (vstart < VSPACE_START)
		vstart = VSPACE_START;
	if (vend > VSPACE_END)
		vend = VSPACE_END;
	mm_might_sleep("mm/vmalloc.c:1589");
	cost_cycles(VMALLOC_BASE_CYCLES);
	if (V.vmap_area_cachep && vm_slab_ok()) {
		va_obj = (unsigned long)kmem_cache_alloc_node(V.vmap_area_cachep, gfp & GFP_RECLAIM_MASK, node);
		if (!va_obj)
			return 0;
	}
	if (vend <= vstart || size > vend - vstart || !size)
		goto overflow_nopurge;
retry:
	t = find_lowest_fit(V.free_root, size, align, vstart, vend, &nva);
	if (!t)
		goto overflow;
	if (free_clip(nva, nva + size))
		goto overflow;
	t = va_new();
	if (!t) {
		free_insert(nva, nva + size);
		goto overflow_nopurge;
	}
	N(t)->state = VA_BUSY;
	N(t)->va_start = nva;
	N(t)->va_end = nva + size;
	N(t)->va_obj = va_obj;
	tree_insert(&V.busy_root, t);
	V.nr_busy++;
	if (purged_out)
		*purged_out = purged;
	return t;
overflow:
	if (!purged) {
		purged = purge_vmap_area_lazy();
		if (purged)
			goto retry;
	}
overflow_nopurge:
	if (!(gfp & __GFP_NOWARN))
		sim_printk("vmap allocation for size %lu failed: use vmalloc=<size> to increase size\n", size);
	if (va_obj)
		kmem_cache_free(V.vmap_area_cachep, (void *)va_obj);
	if (purged_out)
		*purged_out = purged;
	return 0;
}

static unsigned long get_count_order_long(unsigned long x)
{
	if (x <= 1)
		return 0;
	return 64 - (unsigned long)__builtin_clzl(x - 1);
}

static bool bug_in_interrupt(int line)
{
	if (!in_interrupt())
		return false;
	sim_printk("kernel BUG at mm/vmalloc.c:%d!\n", line);
	mm_might_sleep("mm/vmalloc.c:2452");
	return true;
}

/* __get_vm_area_node(): vm_struct + vmap area (+ guard page). */
static uint32_t get_vm_area_node(unsigned long size, unsigned long align, unsigned long flags,
				 unsigned long start, unsigned long end, int node, gfp_t gfp,
				 const char *caller, bool *purged)
{
	unsigned long vm_va = 0;
	uint32_t t;

	if (bug_in_interrupt(2452))
		return 0;
	size = align_up(size, PAGE_SIZE);
	if (!size)
		return 0;
	if (flags & VM_IOREMAP) {
		unsigned long o = get_count_order_long(size);
		if (o < PAGE_SHIFT)
			o = PAGE_SHIFT;
		if (o > IOREMAP_MAX_ORDER)
			o = IOREMAP_MAX_ORDER;
		align = 1UL << o;
	}
	if (vm_slab_ok()) {
		vm_va = (unsigned long)kmalloc_node(VM_STRUCT_SIZE, (gfp & GFP_RECLAIM_MASK) | __GFP_ZERO, node);
		if (!vm_va)
			return 0;
	}
	if (!(flags & VM_NO_GUARD))
		size += PAGE_SIZE;
	t = alloc_vmap_area(size, align, start, end, node, gfp, purged);
	if (!t) {
		if (vm_va)
			kfree((void *)vm_va);
		return 0;
	}
	struct vmap_area *va = N(t);
	va->has_vm = true;
	va->vm.addr = va->va_start;
	va->vm.size = va->va_end - va->va_start;
	va->vm.flags = (unsigned)flags;
	va->vm.caller = caller;
	va->vm.node = node;
	va->vm.vm_va = vm_va;
	if (vm_va)
		mem_write(vm_va, VM_STRUCT_SIZE);
	return t;
}

static inline unsigned long vm_area_size(const struct vm_struct *vm)
{
	return (vm->flags & VM_NO_GUARD) ? vm->size : vm->size - PAGE_SIZE;
}

/* Unmap every mapped page of [start, end); with @free_pages free the pages behind them. */
static unsigned long unmap_range(unsigned long start, unsigned long end, bool free_pages_too)
{
	unsigned long nr = 0;

	for (unsigned long a = start; a < end; a += PAGE_SIZE) {
		bool mapped = false;
		phys_addr_t pa = mmu_translate(a, &mapped);

		if (!mapped)
			continue;
		mmu_unmap(a);
		if (free_pages_too) {
			cost_cycles(VFREE_PAGE_CYCLES);
			__free_pages(phys_to_page(pa), 0);
			nr++;
		}
	}
	return nr;
}

/*
 * remove_vm_area + free_unmap_vmap_area + page freeing (__vunmap): clears the
 * PTEs (no flush), frees the pages if @deallocate, moves the VA to the lazy
 * tree and purges past lazy_max_pages(). Return: true if a purge ran.
 */
static bool free_area(uint32_t t, bool deallocate)
{
	struct vmap_area *va = N(t);
	struct vm_struct *vm = &va->vm;
	unsigned long start = va->va_start, end = va->va_end;
	unsigned long pages_va = vm->pages_va;
	bool free_pages_too = deallocate && vm->nr_pages && (vm->flags & (VM_ALLOC | VM_MAP_PUT_PAGES));
	unsigned long map_end = va->has_vm ? start + vm_area_size(vm) : end;

	cost_cycles(VFREE_BASE_CYCLES);
	unsigned long freed = unmap_range(start, map_end, free_pages_too);
	if (free_pages_too && (vm->flags & VM_ALLOC)) {
		V.nr_vmalloc_pages -= vm->nr_pages;
		if (V.pages_freed)
			*V.pages_freed += freed;
	}
	if (vm->vm_va)
		kfree((void *)vm->vm_va);
	tree_erase(&V.busy_root, t);
	V.nr_busy--;
	va->has_vm = false;
	memset(&va->vm, 0, sizeof(va->vm));
	va->state = VA_LAZY;
	tree_insert(&V.lazy_root, t);
	V.lazy_nr += (end - start) >> PAGE_SHIFT;
	if (deallocate && pages_va)
		kvfree((void *)pages_va);
	if (V.lazy_nr > lazy_max_pages())
		return purge_vmap_area_lazy();
	return false;
}

/* --- vmalloc ------------------------------------------------------------------------- */

static void *____vmalloc_node_range_locked(unsigned long size, unsigned long align, unsigned long start,
			   unsigned long end, gfp_t gfp, unsigned long vm_flags, int node,
			   const char *caller);

/* one atomic section of the simulation: no other CPU interleaves mid-update (sim/engine.h) */
void *__vmalloc_node_range(unsigned long size, unsigned long align, unsigned long start,
			   unsigned long end, gfp_t gfp, unsigned long vm_flags, int node,
			   const char *caller)
{
	void *ret;

	sim_atomic_begin();
	ret = ____vmalloc_node_range_locked(size, align, start, end, gfp, vm_flags, node, caller);
	sim_atomic_end();
	return ret;
}

static void *____vmalloc_node_range_locked(unsigned long size, unsigned long align, unsigned long start,
			   unsigned long end, gfp_t gfp, unsigned long vm_flags, int node,
			   const char *caller)
{
	sim_time_t t0 = sim_now();
	unsigned long real_size = size;
	bool purged = false;
	uint32_t t;

	if (!V.ready)
		return NULL;
	if (!caller)
		caller = "__vmalloc_node_range";
	if (!size) {
		if (!V.warned_zero_size) {
			V.warned_zero_size = true;
			warn_cut("__vmalloc_node_range", "mm/vmalloc.c", 3146, NULL);
		}
		return NULL;
	}
	if ((size >> PAGE_SHIFT) > totalram_pages()) {
		vm_warn_alloc(gfp, "vmalloc error: size %lu, exceeds total pages", real_size);
		goto fail;
	}
	if (!in_interrupt() && !irqs_disabled())
		vfree_deferred_run();
	size = align_up(size, PAGE_SIZE);
	/* VM_ALLOW_HUGE_VMAP: no PMD mappings on this machine, so shift stays PAGE_SHIFT. */
	t = get_vm_area_node(size, align, VM_ALLOC | VM_UNINITIALIZED | vm_flags, start, end, node,
			     gfp, caller, &purged);
	if (!t) {
		vm_warn_alloc(gfp, "vmalloc error: size %lu, vm_struct allocation failed", real_size);
		goto fail;
	}

	/* __vmalloc_area_node */
	struct vm_struct *vm = &N(t)->vm;
	unsigned long addr = vm->addr;
	unsigned int nr_small = (unsigned)(vm_area_size(vm) >> PAGE_SHIFT);
	unsigned long array_size = (unsigned long)nr_small * 8;
	gfp_t nested_gfp = (gfp & GFP_RECLAIM_MASK) | __GFP_ZERO;
	gfp_t page_gfp = gfp | __GFP_NOWARN;

	if (!(gfp & (GFP_DMA | GFP_DMA32)))
		page_gfp |= __GFP_HIGHMEM;
	if (vm_slab_ok()) {
		if (array_size > PAGE_SIZE)
			vm->pages_va = (unsigned long)__vmalloc_node(array_size, 1, nested_gfp, node, caller);
		else
			vm->pages_va = (unsigned long)kmalloc_node(array_size, nested_gfp, node);
		vm = &N(t)->vm;
		if (!vm->pages_va) {
			vm_warn_alloc(gfp, "vmalloc error: size %lu, failed to allocated page array size %lu",
				      (unsigned long)nr_small * PAGE_SIZE, array_size);
			free_area(t, false);
			goto fail;
		}
	}
	if (!scratch_reserve(nr_small)) {
		free_area(t, true);
		goto fail;
	}
	/* vm_area_alloc_pages: bulk batches of 100 (no NOFAIL), then one page at a time. */
	unsigned int nr = 0;
	bool bulk = true;
	while (nr < nr_small) {
		struct page *pg;

		if (bulk) {
			gfp_t bulk_gfp = page_gfp & ~__GFP_NOFAIL;
			pg = node == NUMA_NO_NODE ? alloc_pages(bulk_gfp, 0) : alloc_pages_node(node, bulk_gfp, 0);
			if (!pg) {
				bulk = false;
				continue;
			}
		} else {
			if (fatal_signal_pending(current))
				break;
			pg = node == NUMA_NO_NODE ? alloc_pages(page_gfp, 0) : alloc_pages_node(node, page_gfp, 0);
			if (!pg)
				break;
		}
		page_set_owner(pg, PGTY_VMALLOC, t);
		V.scratch[nr] = page_to_pfn(pg);
		cost_cycles(VMALLOC_PAGE_CYCLES);
		if (vm->pages_va && (nr & 7) == 0)
			mem_write(vm->pages_va + (unsigned long)nr * 8, 64);
		nr++;
	}
	vm = &N(t)->vm;
	if (nr != nr_small) {
		vm_warn_alloc(gfp, "vmalloc error: size %lu, page order %u, failed to allocate pages",
			      (unsigned long)nr * PAGE_SIZE, 0u);
		for (unsigned i = 0; i < nr; i++)
			__free_pages(pfn_to_page(V.scratch[i]), 0);
		free_area(t, true);
		goto fail;
	}
	/* Page tables come from the hook under the caller's scope (GFP_PGTABLE_KERNEL). */
	unsigned int scope = 0;
	int scope_kind = 0;
	if ((gfp & (__GFP_FS | __GFP_IO)) == __GFP_IO) {
		scope = memalloc_nofs_save();
		scope_kind = 1;
	} else if ((gfp & (__GFP_FS | __GFP_IO)) == 0) {
		scope = memalloc_noio_save();
		scope_kind = 2;
	}
	int ret = 0;
	unsigned int mapped;
	for (mapped = 0; mapped < nr; mapped++) {
		ret = mmu_map(addr + (unsigned long)mapped * PAGE_SIZE, (phys_addr_t)V.scratch[mapped] << PAGE_SHIFT);
		if (ret)
			break;
	}
	if (scope_kind == 1)
		memalloc_nofs_restore(scope);
	else if (scope_kind == 2)
		memalloc_noio_restore(scope);
	vm = &N(t)->vm;
	if (ret) {
		vm_warn_alloc(gfp, "vmalloc error: size %lu, failed to map pages", (unsigned long)nr * PAGE_SIZE);
		for (unsigned i = 0; i < nr; i++) {
			if (i < mapped)
				mmu_unmap(addr + (unsigned long)i * PAGE_SIZE);
			__free_pages(pfn_to_page(V.scratch[i]), 0);
		}
		free_area(t, true);
		goto fail;
	}
	vm->nr_pages = nr;
	V.nr_vmalloc_pages += nr;
	if (V.pages_alloc)
		*V.pages_alloc += nr;
	vm->flags &= ~VM_UNINITIALIZED;
	lat_add(purged ? LAT_VMALLOC_PURGE : LAT_VMALLOC, t0);
	return (void *)addr;
fail:
	lat_add(LAT_VMALLOC_FAIL, t0);
	return NULL;
}

void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t gfp, int node, const char *caller)
{
	return __vmalloc_node_range(size, align, VMALLOC_START, VMALLOC_END, gfp, 0, node,
				    caller ? caller : "__vmalloc_node");
}

void *__vmalloc(unsigned long size, gfp_t gfp)
{
	return __vmalloc_node(size, 1, gfp, NUMA_NO_NODE, "__vmalloc");
}

void *vmalloc(unsigned long size)
{
	return __vmalloc_node(size, 1, GFP_KERNEL, NUMA_NO_NODE, "vmalloc");
}

void *vzalloc(unsigned long size)
{
	return __vmalloc_node(size, 1, GFP_KERNEL | __GFP_ZERO, NUMA_NO_NODE, "vzalloc");
}

void *vmalloc_node(unsigned long size, int node)
{
	return __vmalloc_node(size, 1, GFP_KERNEL, node, "vmalloc_node");
}

void *vzalloc_node(unsigned long size, int node)
{
	return __vmalloc_node(size, 1, GFP_KERNEL | __GFP_ZERO, node, "vzalloc_node");
}

void *vmalloc_32(unsigned long size)
{
	return __vmalloc_node(size, 1, GFP_KERNEL | GFP_DMA32, NUMA_NO_NODE, "vmalloc_32");
}

void *vmalloc_user(unsigned long size)
{
	return __vmalloc_node_range(size, PAGE_SIZE, VMALLOC_START, VMALLOC_END, GFP_KERNEL | __GFP_ZERO,
				    VM_USERMAP, NUMA_NO_NODE, "vmalloc_user");
}

void *vmalloc_huge(unsigned long size, gfp_t gfp)
{
	return __vmalloc_node_range(size, 1, VMALLOC_START, VMALLOC_END, gfp, VM_ALLOW_HUGE_VMAP,
				    NUMA_NO_NODE, "vmalloc_huge");
}

void *vmalloc_caller(unsigned long size, gfp_t gfp, int node, const char *caller)
{
	return __vmalloc_node(size, 1, gfp, node, caller ? caller : "vmalloc");
}

/* --- vfree ---------------------------------------------------------------------------- */

/* __vunmap(): Return: true if a lazy purge ran. */
static bool vunmap_common(const void *addr, bool deallocate)
{
	unsigned long a = (unsigned long)addr;
	uint32_t t;

	if (!addr)
		return false;
	if (a & ~PAGE_MASK) {
		count_misuse(VMALLOC_MISUSE_BAD_ADDR);
		warn_cut("__vunmap", "mm/vmalloc.c", 2624, "Trying to vfree() bad address (%016" PRIx64 ")\n",
			 trace_hash_ptr(a));
		return false;
	}
	t = V.ready ? find_containing(V.busy_root, a) : 0;
	if (!t || !N(t)->has_vm) {
		if (V.ready && find_containing(V.lazy_root, a))
			count_misuse(VMALLOC_MISUSE_DOUBLE_FREE);
		else if (is_direct_map(a))
			count_misuse(VMALLOC_MISUSE_DIRECT_MAP);
		else
			count_misuse(VMALLOC_MISUSE_NONEXISTENT);
		warn_cut("__vunmap", "mm/vmalloc.c", 2629, "Trying to vfree() nonexistent vm area (%016" PRIx64 ")\n",
			 trace_hash_ptr(a));
		return false;
	}
	return free_area(t, deallocate);
}

static void defer_worker(void *arg)
{
	(void)arg;
	int cpu = smp_processor_id();

	if (V.defer && cpu < V.nr_cpus)
		V.defer[cpu].worker = false;
	vfree_deferred_run();
}

static void vfree_deferred(const void *addr)
{
	int cpu = smp_processor_id();

	if (!V.defer || cpu < 0 || cpu >= V.nr_cpus)
		return;
	struct deferred *d = &V.defer[cpu];
	if (d->nr == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		unsigned long *n = realloc(d->addr, cap * sizeof(*n));
		if (!n)
			return;
		d->addr = n;
		d->cap = cap;
	}
	d->addr[d->nr++] = (unsigned long)addr;
	if (!d->worker && sim_current()) {
		char name[32];

		snprintf(name, sizeof(name), "kworker/%d:vfree", cpu);
		d->worker = cpu_spawn(name, cpu, CTX_TASK, defer_worker, NULL, NULL, sim_now()) != NULL;
	}
}

unsigned long vfree_deferred_pending(void)
{
	unsigned long n = 0;

	for (int c = 0; V.defer && c < V.nr_cpus; c++)
		n += V.defer[c].nr;
	return n;
}

void vfree_deferred_run(void)
{
	for (int c = 0; V.defer && c < V.nr_cpus; c++) {
		struct deferred *d = &V.defer[c];

		while (d->nr) {
			sim_time_t t0 = sim_now();
			unsigned long a = d->addr[--d->nr];

			vunmap_common((const void *)a, true);
			lat_add(LAT_VFREE_DEFERRED, t0);
		}
	}
}

static void __vfree_locked(const void *addr);

/* one atomic section of the simulation: no other CPU interleaves mid-update (sim/engine.h) */
void vfree(const void *addr)
{
	sim_atomic_begin();
	__vfree_locked(addr);
	sim_atomic_end();
}

static void __vfree_locked(const void *addr)
{
	sim_time_t t0 = sim_now();

	if (in_nmi()) {
		count_misuse(VMALLOC_MISUSE_NMI);
		sim_printk("kernel BUG at mm/vmalloc.c:2691!\n");
		sim_printk("invalid opcode: 0000 [#1] PREEMPT SMP NOPTI\n");
		return;
	}
	if (!in_interrupt())
		mm_might_sleep("mm/vmalloc.c:2694");
	if (!addr)
		return;
	if (in_interrupt()) {
		vfree_deferred(addr);
		return;
	}
	uint64_t purges = V.local_purges;

	vunmap_common(addr, true);
	lat_add(V.local_purges != purges ? LAT_VFREE_PURGE : LAT_VFREE, t0);
}

static void __vfree_atomic_locked(const void *addr);

/* one atomic section of the simulation: no other CPU interleaves mid-update (sim/engine.h) */
void vfree_atomic(const void *addr)
{
	sim_atomic_begin();
	__vfree_atomic_locked(addr);
	sim_atomic_end();
}

static void __vfree_atomic_locked(const void *addr)
{
	if (in_nmi()) {
		count_misuse(VMALLOC_MISUSE_NMI);
		sim_printk("kernel BUG at mm/vmalloc.c:2668!\n");
		sim_printk("invalid opcode: 0000 [#1] PREEMPT SMP NOPTI\n");
		return;
	}
	if (!addr)
		return;
	vfree_deferred(addr);
}

/* --- vmap / ioremap / raw areas ------------------------------------------------------------ */

struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long flags, const char *caller)
{
	uint32_t t;

	if (!V.ready)
		return NULL;
	t = get_vm_area_node(size, 1, flags, VMALLOC_START, VMALLOC_END, NUMA_NO_NODE, GFP_KERNEL,
			     caller ? caller : "get_vm_area_caller", NULL);
	return t ? &N(t)->vm : NULL;
}

static uint32_t vm_to_idx(const struct vm_struct *vm)
{
	if (!vm || !V.ready)
		return 0;
	uint32_t t = find_containing(V.busy_root, vm->addr);
	return (t && &N(t)->vm == vm) ? t : 0;
}

void free_vm_area(struct vm_struct *area)
{
	uint32_t t = vm_to_idx(area);

	if (!t) {
		warn_cut("free_vm_area", "mm/vmalloc.c", 2587, "free_vm_area: area not found\n");
		return;
	}
	free_area(t, false);
}

static void *__vmap_locked(struct page **pages, unsigned int count, unsigned long flags);

/* one atomic section of the simulation: no other CPU interleaves mid-update (sim/engine.h) */
void *vmap(struct page **pages, unsigned int count, unsigned long flags)
{
	void *ret;

	sim_atomic_begin();
	ret = __vmap_locked(pages, count, flags);
	sim_atomic_end();
	return ret;
}

static void *__vmap_locked(struct page **pages, unsigned int count, unsigned long flags)
{
	sim_time_t t0 = sim_now();

	mm_might_sleep("mm/vmalloc.c:2791");
	if (!V.ready || !pages || !count || count > totalram_pages())
		return NULL;
	struct vm_struct *vm = get_vm_area_caller((unsigned long)count << PAGE_SHIFT, flags | VM_MAP, "vmap");
	if (!vm)
		return NULL;
	unsigned long addr = vm->addr;
	for (unsigned i = 0; i < count; i++) {
		cost_cycles(VMALLOC_PAGE_CYCLES);
		if (!pages[i] || mmu_map(addr + (unsigned long)i * PAGE_SIZE, page_to_phys(pages[i]))) {
			vunmap((void *)addr);
			return NULL;
		}
	}
	if (flags & VM_MAP_PUT_PAGES)
		vm->nr_pages = count;
	lat_add(LAT_VMAP, t0);
	return (void *)addr;
}

static void __vunmap_locked(const void *addr);

/* one atomic section of the simulation: no other CPU interleaves mid-update (sim/engine.h) */
void vunmap(const void *addr)
{
	sim_atomic_begin();
	__vunmap_locked(addr);
	sim_atomic_end();
}

static void __vunmap_locked(const void *addr)
{
	if (bug_in_interrupt(2762))
		return;
	mm_might_sleep("mm/vmalloc.c:2763");
	if (addr)
		vunmap_common(addr, false);
}

static bool range_is_ram(uint64_t start, uint64_t end)
{
	const struct node_mem_range *r;
	int n = machine_node_ranges(&r);

	for (int i = 0; i < n; i++)
		if (start < r[i].end && r[i].start < end)
			return true;
	return false;
}

static void *__ioremap_locked(uint64_t phys, unsigned long size);

/* one atomic section of the simulation: no other CPU interleaves mid-update (sim/engine.h) */
void *ioremap(uint64_t phys, unsigned long size)
{
	void *ret;

	sim_atomic_begin();
	ret = __ioremap_locked(phys, size);
	sim_atomic_end();
	return ret;
}

static void *__ioremap_locked(uint64_t phys, unsigned long size)
{
	sim_time_t t0 = sim_now();
	uint64_t last = phys + size - 1;

	if (!V.ready || !size || last < phys)
		return NULL;
	if (range_is_ram(phys, last + 1)) {
		count_misuse(VMALLOC_MISUSE_IOREMAP_RAM);
		if (!V.warned_ioremap_ram) {
			V.warned_ioremap_ram = true;
			warn_cut("__ioremap_caller", "arch/x86/mm/ioremap.c", 219,
				 "ioremap on RAM at 0x%016" PRIx64 " - 0x%016" PRIx64 "\n",
				 phys, last);
		}
		return NULL;
	}
	unsigned long offset = (unsigned long)(phys & ~PAGE_MASK);
	uint64_t base = phys & PAGE_MASK;
	unsigned long len = (unsigned long)(align_up((unsigned long)(last + 1), PAGE_SIZE) - base);
	struct vm_struct *vm = get_vm_area_caller(len, VM_IOREMAP, "ioremap");
	if (!vm)
		return NULL;
	vm->phys_addr = base;
	unsigned long addr = vm->addr;
	for (unsigned long o = 0; o < len; o += PAGE_SIZE) {
		cost_cycles(VMALLOC_PAGE_CYCLES);
		if (mmu_map(addr + o, base + o)) {
			free_vm_area(vm);
			return NULL;
		}
	}
	lat_add(LAT_IOREMAP, t0);
	return (void *)(addr + offset);
}

void *ioremap_device(struct dma_device *d)
{
	if (!d || !dma_mmio_size(d))
		return NULL;
	return ioremap(dma_mmio_base(d), (unsigned long)dma_mmio_size(d));
}

static void __iounmap_locked(void *addr);

/* one atomic section of the simulation: no other CPU interleaves mid-update (sim/engine.h) */
void iounmap(void *addr)
{
	sim_atomic_begin();
	__iounmap_locked(addr);
	sim_atomic_end();
}

static void __iounmap_locked(void *addr)
{
	unsigned long a = (unsigned long)addr & PAGE_MASK;
	uint32_t t;

	if (!addr || !is_vmalloc_addr(addr))
		return;
	t = V.ready ? find_containing(V.busy_root, a) : 0;
	if (!t || !N(t)->has_vm || !(N(t)->vm.flags & VM_IOREMAP)) {
		sim_printk("iounmap: bad address %016" PRIx64 "\n", trace_hash_ptr((unsigned long)addr));
		return;
	}
	free_area(t, false);
}

/* --- percpu areas ---------------------------------------------------------------------------- */

int pcpu_get_vm_areas(const unsigned long *offsets, const size_t *sizes, int nr_vms,
		      size_t align, struct vm_struct **vms)
{
	unsigned long vstart = VSPACE_START, vend = VSPACE_END;
	unsigned long first = ~0UL, last_end = 0, base;
	bool purged = false;

	if (!V.ready || nr_vms <= 0 || !align || (align & (align - 1)))
		return -EINVAL;
	for (int i = 0; i < nr_vms; i++) {
		if ((offsets[i] | sizes[i]) & ~PAGE_MASK || !sizes[i])
			return -EINVAL;
		if (offsets[i] < first)
			first = offsets[i];
		if (offsets[i] + sizes[i] > last_end)
			last_end = offsets[i] + sizes[i];
		for (int j = 0; j < i; j++)
			if (offsets[i] < offsets[j] + sizes[j] && offsets[j] < offsets[i] + sizes[i])
				return -EINVAL;
	}
	if (last_end - first > vend - vstart)
		return -EINVAL;
	mm_might_sleep("mm/vmalloc.c:3915");
	cost_cycles(VMALLOC_BASE_CYCLES * (unsigned)nr_vms);
retry:
	if (vend - last_end < vstart) {
		sim_error("pcpu_get_vm_areas: group span too large");
		return -ENOMEM;
	}
	base = align_down(vend - last_end, align);
	for (;;) {
		int bad = -1;
		uint32_t p = 0;

		if (base + first < vstart || base > vend)
			goto overflow;
		for (int i = 0; i < nr_vms && bad < 0; i++) {
			unsigned long a = base + offsets[i], e = a + sizes[i];

			p = find_le(V.free_root, e - 1);
			if (!p || N(p)->va_start > a || N(p)->va_end < e)
				bad = i;
		}
		if (bad < 0)
			break;
		/* Move the base down so area @bad ends inside a lower free range. */
		unsigned long end_off = offsets[bad] + sizes[bad];
		unsigned long a = base + offsets[bad], e = a + sizes[bad];
		uint32_t q = p;
		if (q && N(q)->va_end >= e)            /* q holds the end but starts too high */
			q = N(q)->va_start ? find_le(V.free_root, N(q)->va_start - 1) : 0;
		if (!q || N(q)->va_end < vstart + end_off)
			goto overflow;
		unsigned long nb = align_down(N(q)->va_end - end_off, align);
		if (nb >= base)
			goto overflow;
		base = nb;
	}
	for (int i = 0; i < nr_vms; i++) {
		unsigned long a = base + offsets[i], e = a + sizes[i];
		uint32_t t;

		if (free_clip(a, e) || !(t = va_new())) {
			for (int j = 0; j < i; j++)
				if (vm_to_idx(vms[j]))
					free_area(vm_to_idx(vms[j]), false);
			return -ENOMEM;
		}
		N(t)->state = VA_BUSY;
		N(t)->va_start = a;
		N(t)->va_end = e;
		N(t)->has_vm = true;
		N(t)->vm.addr = a;
		N(t)->vm.size = e - a;
		N(t)->vm.flags = VM_ALLOC | VM_NO_GUARD;
		N(t)->vm.caller = "pcpu_get_vm_areas";
		N(t)->vm.node = NUMA_NO_NODE;
		if (vm_slab_ok()) {
			N(t)->va_obj = V.vmap_area_cachep ?
				(unsigned long)kmem_cache_alloc(V.vmap_area_cachep, GFP_KERNEL) : 0;
			N(t)->vm.vm_va = (unsigned long)kmalloc(VM_STRUCT_SIZE, GFP_KERNEL | __GFP_ZERO);
		}
		tree_insert(&V.busy_root, t);
		V.nr_busy++;
		vms[i] = &N(t)->vm;
	}
	return 0;
overflow:
	if (!purged) {
		purged = purge_vmap_area_lazy();
		if (purged)
			goto retry;
	}
	sim_printk("pcpu_get_vm_areas: vmalloc space exhausted\n");
	return -ENOMEM;
}

void pcpu_free_vm_areas(struct vm_struct **vms, int nr_vms)
{
	for (int i = 0; i < nr_vms; i++)
		if (vms[i])
			free_vm_area(vms[i]);
}

/* --- lookups ------------------------------------------------------------------------------------ */

struct page *vmalloc_to_page(const void *addr)
{
	bool mapped = false;
	phys_addr_t pa;

	if (!is_vmalloc_addr(addr))
		return NULL;
	pa = mmu_translate((unsigned long)addr & PAGE_MASK, &mapped);
	if (!mapped || !pfn_valid(pa >> PAGE_SHIFT))
		return NULL;
	return phys_to_page(pa);
}

unsigned long vmalloc_to_pfn(const void *addr)
{
	struct page *p = vmalloc_to_page(addr);

	return p ? page_to_pfn(p) : 0;
}

struct vm_struct *find_vm_area(const void *addr)
{
	uint32_t t;

	if (!V.ready)
		return NULL;
	t = find_containing(V.busy_root, (unsigned long)addr);
	return (t && N(t)->has_vm) ? &N(t)->vm : NULL;
}

/* --- DMA misuse -------------------------------------------------------------------------------- */

int kva_dma_transfer(struct dma_device *d, unsigned long va, size_t len, bool to_device)
{
	if (!d || !len)
		return -EINVAL;
	if (is_vmalloc_addr((const void *)va)) {
		count_misuse(VMALLOC_MISUSE_DMA);
		sim_printk("------------[ cut here ]------------\n");
		sim_printk("DMA-API: %s %s: device driver maps memory from vmalloc area [addr=%016" PRIx64
			   "] [len=%zu]\n", dma_name(d), dma_name(d), trace_hash_ptr(va), len);
		sim_printk("WARNING: CPU: %d PID: %d at kernel/dma/debug.c:1068 check_for_illegal_area+0x6c/0x90\n",
			   smp_processor_id(), current->pid);
		return -EFAULT;
	}
	if (!is_direct_map(va))
		return -EFAULT;
	struct dma_seg seg = { .addr = virt_to_phys_addr(va), .len = len };
	return dma_transfer(d, &seg, 1, to_device, false);
}

/* --- views ------------------------------------------------------------------------------------- */

unsigned long vmalloc_nr_pages(void) { return V.nr_vmalloc_pages; }
unsigned long vmalloc_nr_areas(void) { return V.nr_busy; }
unsigned long vmalloc_purge_count(void) { return V.local_purges; }

unsigned long vmalloc_misuse_count(enum vmalloc_misuse kind)
{
	return (unsigned)kind < NR_VMALLOC_MISUSE ? V.local_misuse[kind] : 0;
}

void vmalloc_print_meminfo(FILE *f)
{
	fprintf(f, "%-16s%8lu kB\n", "VmallocTotal:", (unsigned long)VMALLOC_TOTAL_KB);
	fprintf(f, "%-16s%8lu kB\n", "VmallocUsed:", V.nr_vmalloc_pages << (PAGE_SHIFT - 10));
	fprintf(f, "%-16s%8lu kB\n", "VmallocChunk:", 0UL);
}

static void show_area(FILE *f, uint32_t t, int nr_nodes, unsigned *counters)
{
	struct vmap_area *va = N(t);
	struct vm_struct *v = &va->vm;

	if (!va->has_vm) {
		fprintf(f, "0x%016lx-0x%016lx %7ld vm_map_ram\n", va->va_start, va->va_end,
			(long)(va->va_end - va->va_start));
		return;
	}
	fprintf(f, "0x%016lx-0x%016lx %7ld", v->addr, v->addr + v->size, (long)v->size);
	if (v->caller)
		fprintf(f, " %s", v->caller);
	if (v->nr_pages)
		fprintf(f, " pages=%u", v->nr_pages);
	if (v->phys_addr)
		fprintf(f, " phys=0x%016" PRIx64, v->phys_addr);
	if (v->flags & VM_IOREMAP)
		fputs(" ioremap", f);
	if (v->flags & VM_ALLOC)
		fputs(" vmalloc", f);
	if (v->flags & VM_MAP)
		fputs(" vmap", f);
	if (v->flags & VM_USERMAP)
		fputs(" user", f);
	if (v->flags & VM_DMA_COHERENT)
		fputs(" dma-coherent", f);
	if (is_vmalloc_addr((const void *)v->pages_va))
		fputs(" vpages", f);
	if (counters && !(v->flags & (VM_UNINITIALIZED | VM_USERMAP)) && v->nr_pages) {
		memset(counters, 0, (size_t)nr_nodes * sizeof(*counters));
		for (unsigned i = 0; i < v->nr_pages; i++) {
			struct page *p = vmalloc_to_page((const void *)(v->addr + (unsigned long)i * PAGE_SIZE));
			int nid = p ? page_to_nid(p) : -1;
			if (nid >= 0 && nid < nr_nodes)
				counters[nid]++;
		}
		for (int n = 0; n < nr_nodes; n++)
			if (counters[n])
				fprintf(f, " N%d=%u", n, counters[n]);
	}
	fputc('\n', f);
}

static void show_tree(FILE *f, uint32_t t, bool lazy, int nr_nodes, unsigned *counters)
{
	if (!t)
		return;
	show_tree(f, N(t)->left, lazy, nr_nodes, counters);
	if (lazy)
		fprintf(f, "0x%016lx-0x%016lx %7ld unpurged vm_area\n", N(t)->va_start, N(t)->va_end,
			(long)(N(t)->va_end - N(t)->va_start));
	else
		show_area(f, t, nr_nodes, counters);
	show_tree(f, N(t)->right, lazy, nr_nodes, counters);
}

int proc_vmallocinfo(FILE *f)
{
	int nr_nodes = machine_nr_nodes() > 0 ? machine_nr_nodes() : 1;
	unsigned *counters = calloc((size_t)nr_nodes, sizeof(*counters));

	if (!f)
		return -EINVAL;
	show_tree(f, V.busy_root, false, nr_nodes, counters);
	show_tree(f, V.lazy_root, true, nr_nodes, counters);
	free(counters);
	return 0;
}

/* --- invariants ---------------------------------------------------------------------------- */

struct chk_range {
	unsigned long s, e;
	uint8_t kind;
};

struct chk {
	struct chk_range *r;
	size_t n, cap;
	int err;
	unsigned long lazy_pages, vmalloc_pages;
};

static void chk_add(struct chk *c, unsigned long s, unsigned long e, uint8_t kind)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		struct chk_range *nr = realloc(c->r, cap * sizeof(*nr));
		if (!nr) {
			c->err = -1;
			return;
		}
		c->r = nr;
		c->cap = cap;
	}
	c->r[c->n++] = (struct chk_range){ s, e, kind };
}

static int chk_tree(struct chk *c, uint32_t t, uint8_t kind, unsigned long lo, unsigned long hi)
{
	if (!t)
		return 0;
	struct vmap_area *v = N(t);
	if (v->state != kind) {
		sim_error("vmalloc_check: node [%#lx, %#lx) state %d in tree %d", v->va_start, v->va_end, v->state, kind);
		return -1;
	}
	if (v->va_start < lo || v->va_start > hi || v->va_end <= v->va_start) {
		sim_error("vmalloc_check: node [%#lx, %#lx) out of order", v->va_start, v->va_end);
		return -1;
	}
	unsigned long m = v->va_end - v->va_start;
	if (smax(v->left) > m)
		m = smax(v->left);
	if (smax(v->right) > m)
		m = smax(v->right);
	if (m != v->subtree_max) {
		sim_error("vmalloc_check: subtree_max of [%#lx, %#lx) is %lu, expected %lu",
			  v->va_start, v->va_end, v->subtree_max, m);
		return -1;
	}
	if (chk_tree(c, v->left, kind, lo, v->va_start))
		return -1;
	chk_add(c, v->va_start, v->va_end, kind);
	if (kind == VA_LAZY)
		c->lazy_pages += (v->va_end - v->va_start) >> PAGE_SHIFT;
	if (kind == VA_BUSY && v->has_vm && (v->vm.flags & VM_ALLOC) && v->vm.nr_pages &&
	    !(v->vm.flags & VM_UNINITIALIZED)) {
		if (v->vm.addr != v->va_start || v->vm.size != v->va_end - v->va_start) {
			sim_error("vmalloc_check: vm_struct of %#lx disagrees with its vmap area", v->va_start);
			return -1;
		}
		for (unsigned i = 0; i < v->vm.nr_pages; i++) {
			struct page *p = vmalloc_to_page((const void *)(v->va_start + (unsigned long)i * PAGE_SIZE));
			if (!p || page_type(p) != PGTY_VMALLOC || page_owner_data(p) != t) {
				sim_error("vmalloc_check: page %u of area %#lx is %s", i, v->va_start,
					  p ? "not a vmalloc page of this area" : "not mapped");
				return -1;
			}
		}
		c->vmalloc_pages += v->vm.nr_pages;
	}
	return chk_tree(c, v->right, kind, v->va_start, hi);
}

static int cmp_range(const void *a, const void *b)
{
	const struct chk_range *x = a, *y = b;

	return x->s < y->s ? -1 : x->s > y->s;
}

int vmalloc_check(void)
{
	struct chk c = { 0 };
	int ret = 0;

	if (!V.ready)
		return 0;
	if (chk_tree(&c, V.free_root, VA_FREE, 0, ~0UL) || chk_tree(&c, V.busy_root, VA_BUSY, 0, ~0UL) ||
	    chk_tree(&c, V.lazy_root, VA_LAZY, 0, ~0UL) || c.err) {
		ret = -1;
		goto out;
	}
	if (c.n)
		qsort(c.r, c.n, sizeof(*c.r), cmp_range);
	unsigned long at = VSPACE_START;
	for (size_t k = 0; k < c.n && !ret; k++) {
		if (c.r[k].s != at) {
			sim_error("vmalloc_check: %s at %#lx (expected a range starting at %#lx)",
				  c.r[k].s < at ? "overlap" : "hole", c.r[k].s, at);
			ret = -1;
		}
		if (k && c.r[k - 1].kind == VA_FREE && c.r[k].kind == VA_FREE) {
			sim_error("vmalloc_check: free ranges not coalesced at %#lx", c.r[k].s);
			ret = -1;
		}
		at = c.r[k].e;
	}
	if (!ret && at != VSPACE_END) {
		sim_error("vmalloc_check: ranges end at %#lx, not %#lx", at, VSPACE_END);
		ret = -1;
	}
	if (!ret && c.lazy_pages != V.lazy_nr) {
		sim_error("vmalloc_check: vmap_lazy_nr %lu, lazy areas hold %lu pages", V.lazy_nr, c.lazy_pages);
		ret = -1;
	}
	if (!ret && c.vmalloc_pages != V.nr_vmalloc_pages) {
		sim_error("vmalloc_check: nr_vmalloc_pages %lu, areas hold %lu", V.nr_vmalloc_pages, c.vmalloc_pages);
		ret = -1;
	}
out:
	free(c.r);
	return ret;
}

/* --- init ------------------------------------------------------------------------------------ */

static double gauge_used(void *ctx) { (void)ctx; return (double)V.nr_vmalloc_pages; }
static double gauge_lazy(void *ctx) { (void)ctx; return (double)V.lazy_nr; }

int vmalloc_init(void)
{
	static const struct pgtable_ops ops = { .alloc = pgtable_alloc, .free = pgtable_free };
	char name[64];

	if (V.ready)
		return 0;                       /* once per boot: vmalloc_shutdown() resets */
	V.rng = 0x9e3779b97f4a7c15ULL;
	V.nr_cpus = machine_nr_cpus() > 0 ? machine_nr_cpus() : 1;
	V.defer = calloc((size_t)V.nr_cpus, sizeof(*V.defer));
	if (!V.defer)
		return -ENOMEM;
	uint32_t t = va_new();
	if (!t)
		return -ENOMEM;
	N(t)->state = VA_FREE;
	N(t)->va_start = VSPACE_START;
	N(t)->va_end = VSPACE_END;
	tree_insert(&V.free_root, t);
	if (slab_is_available()) {
		V.vmap_area_cachep = kmem_cache_find("vmap_area");
		if (!V.vmap_area_cachep)
			V.vmap_area_cachep = kmem_cache_create("vmap_area", VMAP_AREA_SIZE, 0, SLAB_PANIC, NULL);
	}
	mmu_set_pgtable_ops(&ops);
	V.hook_installed = true;
	for (int i = 0; i < NR_VM_LAT; i++)
		V.lat[i] = stat_hist(vm_lat_names[i], "ps", "vmalloc/vfree latency by path");
	for (int i = 0; i < NR_VMALLOC_MISUSE; i++) {
		snprintf(name, sizeof(name), "mm.vmalloc.misuse.%s", misuse_names[i]);
		V.misuse[i] = stat_counter(name, "events", "vmalloc misuse reported", STAT_SUMMARY);
	}
	V.purges = stat_counter("mm.vmalloc.lazy_purges", "events", "lazy vmap purges (TLB flush + shootdown)",
				STAT_SUMMARY | STAT_SAMPLED);
	V.pages_alloc = stat_counter("mm.vmalloc.pages_allocated", "pages", "pages allocated for vmalloc",
				     STAT_SUMMARY);
	V.pages_freed = stat_counter("mm.vmalloc.pages_freed", "pages", "vmalloc pages freed", STAT_SUMMARY);
	V.pgtable_pages = stat_counter("mm.vmalloc.pgtable_pages", "pages",
				       "page-table pages allocated through the MMU hook", STAT_SUMMARY);
	stat_gauge("mm.vmalloc.VmallocUsed", "pages", "pages backing vmalloc areas", STAT_SAMPLED | STAT_SUMMARY,
		   gauge_used, NULL);
	stat_gauge("mm.vmalloc.lazy_pages", "pages", "vmap_lazy_nr", STAT_SAMPLED | STAT_SUMMARY, gauge_lazy, NULL);
	util_init();
	mempool_init_stats();
	V.ready = true;
	return 0;
}

void vmalloc_shutdown(void)
{
	if (V.hook_installed)
		mmu_set_pgtable_ops(NULL);
	for (uint32_t b = 0; b < V.nr_blks; b++)
		free(V.blk[b]);
	for (int c = 0; V.defer && c < V.nr_cpus; c++)
		free(V.defer[c].addr);
	free(V.defer);
	free(V.scratch);
	free(V.purge_buf);
	memset(&V, 0, sizeof(V));
}
