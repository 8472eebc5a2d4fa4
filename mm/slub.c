/* SPDX-License-Identifier: MIT */
/*
 * mm/slub.c — the SLUB allocator of Linux 6.1 (mm/slub.c), as a model.
 *
 * What it models
 *   - Cache geometry: calculate_alignment, calculate_sizes (free pointer in
 *     the middle of the object, or after it for ctor / TYPESAFE_BY_RCU /
 *     POISON / small RED_ZONE objects, debug padding), calculate_order with
 *     the CPU count, s->min fallback order, min_partial, cpu_partial(_slabs).
 *   - Per-CPU active slab ("c->slab" with its freelist), per-CPU partial chain
 *     (LIFO, slab->slabs counting its length, drained wholesale when a free
 *     would push it past cpu_partial_slabs), per-node partial lists.
 *   - Allocation sources in the kernel's order (___slab_alloc): cpu freelist →
 *     cpu partial slabs → node partial list of the requested/local node
 *     (taking extra slabs for the cpu partial chain up to cpu_partial_slabs/2)
 *     → other nodes' partial lists when no node was requested (only those
 *     above min_partial, by distance) → a new slab (order s->oo with
 *     NOWARN|NORETRY, fallback s->min). Node mismatch deactivates the cpu slab.
 *   - Free (do_slab_free / __slab_free): to the cpu slab (fast path); to a
 *     frozen slab (another CPU's cpu slab: onto slab->freelist, which its owner
 *     takes with get_freelist once c->freelist is empty); a full slab gaining a free object is frozen onto the
 *     freeing CPU's partial chain; an empty non-frozen slab is discarded if the
 *     node already has min_partial partial slabs.
 *   - deactivate_slab / unfreeze_partials / flush, kmem_cache_shrink (empty
 *     slabs freed, partial lists sorted by free objects ≤ 32),
 *     kmem_cache_destroy with the kernel's "objects remaining" report.
 *   - Slab pages from the page allocator with s->allocflags (__GFP_COMP for
 *     order > 0, GFP_DMA / GFP_DMA32, __GFP_RECLAIMABLE for RECLAIM_ACCOUNT),
 *     only the reclaim/constraint bits of the caller's gfp, GFP_SLAB_BUG_MASK
 *     stripped with "Unexpected gfp"; SLAB_TYPESAFE_BY_RCU slab pages freed
 *     after a grace period (mm/rcu.c).
 *   - Cache merging (find_mergeable) and aliases; might_alloc() reporting a
 *     blocking mask from atomic context (mm_might_sleep).
 *   - Misuse the kernel detects or would corrupt on: double free ("Object
 *     already free"), pointers inside objects ("Invalid object pointer"),
 *     kmem_cache_free to the wrong cache, frees of non-slab addresses,
 *     __GFP_ZERO on a ctor cache; each counted and logged, the run goes on.
 *
 * Memory contents are not stored (DESIGN §3): each slab keeps its free objects
 * as a LIFO stack of indices in host memory — the same order as the kernel's
 * freelist (alloc takes the most recently freed object) — and the model
 * charges the accesses the kernel makes: the kmem_cache_cpu structure, the
 * free pointer inside the object at s->offset, the struct page of the slab.
 *
 * Invariants (kmem_cache_check): per slab nfree + in-use bits = objects and
 * the stack holds exactly the clear bits; per node Σ objects of its slabs =
 * total_objects, count = nr_slabs, partial list length = nr_partial and every
 * listed slab is SLAB_NODE_PARTIAL with 0 < nfree ≤ objects; cpu partial chain
 * lengths match slab->slabs; per cache Σ in use = objects_inuse.
 *
 * Simplified vs Linux 6.1
 *   - Misuse checks (double free, invalid pointer) run on every free, as if
 *     slub_debug=F were on, but cost nothing; the kernel without slub_debug
 *     catches only some (freelist hardening) and corrupts memory otherwise.
 *   - WARN_ON_ONCE sites (__GFP_ZERO with a ctor) print once per cache.
 *   - No slub_debug processing (debug flags only change the layout and disable
 *     cpu partials); no freelist randomisation; no memcg charging (ACCOUNT only
 *     selects caches and trace fields); pfmemalloc slabs are not distinguished.
 *   - kmem_cache_cpu structures live in a per-CPU page allocated at boot (the
 *     percpu allocator is modelled separately).
 *   - get_any_partial ignores remote_node_defrag_ratio's cycle-counter
 *     randomness (always tries other nodes).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cpu.h"          /* before mm/page_alloc.h: numa_node_id */
#include "mm/slab_internal.h"
#include "mm/rcu.h"
#include "mm/internal.h"
#include "mm/page_alloc.h"
#include "mm/sched.h"
#include "mm/util.h"
#include "machine/cost.h"
#include "machine/machine.h"
#include "sim/engine.h"
#include "sim/log.h"

/* --- costs (cycles) -------------------------------------------------------- */
/* SLUB alloc+free fast path pair ≈ 42 cycles (Brouer's slub bulk commits,
 * timing-defaults §5): half each. */
#define SLUB_ALLOC_FAST_CYCLES   20
#define SLUB_FREE_FAST_CYCLES    20
/* ___slab_alloc / __slab_free entry: local_irq_save/restore ≈ 37 (§5) + checks. [U] */
#define SLUB_SLOW_CYCLES         80
/* Taking a slab off a partial list (list_lock, cmpxchg_double). [U] */
#define SLUB_PARTIAL_CYCLES      60
/* new_slab bookkeeping besides the page allocation; per object setup. [U] */
#define SLUB_NEW_SLAB_CYCLES     200
#define SLUB_SETUP_OBJ_CYCLES    4
#define SLUB_CTOR_CALL_CYCLES    10
#define SLUB_DISCARD_CYCLES      100

#define SHRINK_PROMOTE_MAX 32

/* --- global state ---------------------------------------------------------- */
#define SLAB_CHUNK_SHIFT 12
#define SLAB_CHUNK       (1u << SLAB_CHUNK_SHIFT)
#define SLAB_MAX_CHUNKS  (1u << 16)              /* 268 M descriptors */

static struct slab **slab_chunks;
static uint32_t slab_nr_chunks, slab_hwm, slab_free_head = SLAB_NIL;

/* Free-stack storage pools, by log2 of the object count. */
#define NR_STACK_CLASSES 16
static void *stack_pool[NR_STACK_CLASSES];

static struct kmem_cache *slab_caches;           /* newest first */
static unsigned int cache_ids;
static bool slab_up;
static int nr_cpus = 1, nr_nodes = 1;
static bool slab_node_ok[MACHINE_MAX_NODES];     /* slab_nodes: nodes with memory */
static unsigned long *cpu_area;                  /* per-CPU page for kmem_cache_cpu */
static struct kmem_cache *kmem_cache_cache, *kmem_cache_node_cache;

static long slab_pages[MACHINE_MAX_NODES][2];    /* [nid][reclaimable] */
static unsigned long misuse_counts[NR_SLAB_MISUSE];
static uint64_t *misuse_stat[NR_SLAB_MISUSE];

struct hist *slab_lat[NR_SAPI][NR_SPATH];
bool slab_timing;
struct trace_event *ev_kmalloc, *ev_kmem_cache_alloc, *ev_kfree, *ev_kmem_cache_free;

/* SLUB stat items (the kernel's /sys/kernel/slab/<cache>/<item>): per cache and
 * summed over caches in the stats registry (enum in mm/slab_internal.h). */
static const char *const stat_names[NR_SLUB_STAT_ITEMS] = {
	"alloc_fastpath", "alloc_slowpath", "free_fastpath", "free_slowpath", "free_frozen",
	"free_add_partial", "free_remove_partial", "alloc_from_partial", "alloc_slab",
	"alloc_refill", "alloc_node_mismatch", "free_slab", "cpuslab_flush", "deactivate_full",
	"deactivate_empty", "deactivate_to_head", "deactivate_to_tail",
	"deactivate_remote_frees", "deactivate_bypass", "order_fallback", "cpu_partial_alloc",
	"cpu_partial_free", "cpu_partial_node", "cpu_partial_drain",
};
static uint64_t stat_dummy[NR_SLUB_STAT_ITEMS];
static uint64_t *slub_stat[NR_SLUB_STAT_ITEMS];
#define stat(item) (++*slub_stat[item], ++s->stats[item])

static const char *const misuse_names[NR_SLAB_MISUSE] = {
	"double_free", "invalid_free", "wrong_cache", "not_slab", "vmalloc_free",
	"zero_with_ctor", "unexpected_gfp", "destroy_busy", "too_large",
};

static void stats_init_dummy(void) __attribute__((constructor));
static void stats_init_dummy(void)
{
	for (int i = 0; i < NR_SLUB_STAT_ITEMS; i++)
		slub_stat[i] = &stat_dummy[i];
}

void slab_misuse(enum slab_misuse kind)
{
	misuse_counts[kind]++;
	if (misuse_stat[kind])
		(*misuse_stat[kind])++;
}

unsigned long slab_misuse_count(enum slab_misuse kind)
{
	return (unsigned)kind < NR_SLAB_MISUSE ? misuse_counts[kind] : 0;
}

/* --- geometry (pure) ----------------------------------------------------------- */
static unsigned int fls_u(unsigned int x) { return x ? 32u - (unsigned)__builtin_clz(x) : 0; }
static unsigned int align_up(unsigned int x, unsigned int a) { return (x + a - 1) / a * a; }

unsigned int calculate_alignment(slab_flags_t flags, unsigned int align, unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = CACHE_LINE_SIZE;

		while (size <= ralign / 2)
			ralign /= 2;
		if (ralign > align)
			align = ralign;
	}
	if (align < ARCH_SLAB_MINALIGN)
		align = ARCH_SLAB_MINALIGN;
	return align_up(align, sizeof(void *));
}

static unsigned int order_objects(unsigned int order, unsigned int size)
{
	return (unsigned int)((PAGE_SIZE << order) / size);
}

static int calc_slab_order(unsigned int size, unsigned int min_objects, unsigned int max_order,
			   unsigned int fract_leftover)
{
	unsigned int order;

	if (order_objects(0, size) > MAX_OBJS_PER_PAGE)
		return (int)get_order((unsigned long)size * MAX_OBJS_PER_PAGE) - 1;
	for (order = get_order((unsigned long)min_objects * size); order <= max_order; order++) {
		unsigned long slab_size = PAGE_SIZE << order;
		unsigned long rem = slab_size % size;

		if (rem <= slab_size / fract_leftover)
			break;
	}
	return (int)order;
}

int calculate_order(unsigned int size, unsigned int nr_cpus_present)
{
	unsigned int min_objects, max_objects, nrc = nr_cpus_present ? nr_cpus_present : 1;
	int order;

	min_objects = 4 * (fls_u(nrc) + 1);
	max_objects = order_objects(SLUB_MAX_ORDER_DEFAULT, size);
	if (min_objects > max_objects)
		min_objects = max_objects;
	while (min_objects > 1) {
		for (unsigned int fraction = 16; fraction >= 4; fraction /= 2) {
			order = calc_slab_order(size, min_objects, SLUB_MAX_ORDER_DEFAULT, fraction);
			if (order <= SLUB_MAX_ORDER_DEFAULT)
				return order;
		}
		min_objects--;
	}
	order = calc_slab_order(size, 1, SLUB_MAX_ORDER_DEFAULT, 1);
	if (order <= SLUB_MAX_ORDER_DEFAULT)
		return order;
	order = calc_slab_order(size, 1, MAX_ORDER, 1);
	if (order < MAX_ORDER)
		return order;
	return -ENOSYS;
}

int slab_calculate_geometry(unsigned int object_size, unsigned int align, slab_flags_t flags,
			    bool has_ctor, unsigned int nrc, struct slab_geometry *g)
{
	unsigned int size;
	int order;
	unsigned int ilog;

	memset(g, 0, sizeof(*g));
	if (object_size == 0 || object_size > KMALLOC_MAX_SIZE)
		return -EINVAL;
	g->object_size = object_size;
	/* kmem_cache_create: align computed on the pointer-aligned size. */
	g->align = calculate_alignment(flags, align, object_size);
	size = align_up(object_size, sizeof(void *));
	if ((flags & SLAB_RED_ZONE) && size == object_size)
		size += sizeof(void *);
	g->inuse = size;
	if ((flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)) ||
	    ((flags & SLAB_RED_ZONE) && object_size < sizeof(void *)) || has_ctor) {
		g->offset = size;
		size += sizeof(void *);
	} else {
		g->offset = (object_size / 2) / sizeof(void *) * sizeof(void *);
	}
	if (flags & SLAB_STORE_USER)
		size += 2 * 32;                  /* 2 × struct track (with STACKDEPOT) */
	if (flags & SLAB_RED_ZONE) {
		size += sizeof(void *);
		g->red_left_pad = align_up(sizeof(void *), g->align);
		size += g->red_left_pad;
	}
	size = align_up(size, g->align);
	g->size = size;
	order = calculate_order(size, nrc);
	if (order < 0)
		return -EINVAL;
	g->order = (unsigned)order;
	g->objects = order_objects((unsigned)order, size);
	g->min_order = get_order(size);
	g->min_objects = order_objects(g->min_order, size);
	if (g->objects == 0 || g->objects > MAX_OBJS_PER_PAGE)
		return -EINVAL;
	ilog = 31u - (unsigned)__builtin_clz(size);
	g->min_partial = ilog / 2;
	if (g->min_partial < MIN_PARTIAL)
		g->min_partial = MIN_PARTIAL;
	if (g->min_partial > MAX_PARTIAL)
		g->min_partial = MAX_PARTIAL;
	if (flags & SLAB_DEBUG_FLAGS)
		g->cpu_partial = 0;
	else if (size >= PAGE_SIZE)
		g->cpu_partial = 6;
	else if (size >= 1024)
		g->cpu_partial = 24;
	else if (size >= 256)
		g->cpu_partial = 52;
	else
		g->cpu_partial = 120;
	g->cpu_partial_slabs = (g->cpu_partial * 2 + g->objects - 1) / g->objects;
	return 0;
}

/* --- slab descriptors ------------------------------------------------------------ */
struct slab *slab_at(uint32_t id)
{
	return &slab_chunks[id >> SLAB_CHUNK_SHIFT][id & (SLAB_CHUNK - 1)];
}

static uint32_t slab_desc_get(void)
{
	uint32_t id;

	if (slab_free_head != SLAB_NIL) {
		id = slab_free_head;
		slab_free_head = slab_at(id)->next;
		return id;
	}
	if ((slab_hwm >> SLAB_CHUNK_SHIFT) >= slab_nr_chunks) {
		struct slab **nc, *chunk;

		if (slab_nr_chunks >= SLAB_MAX_CHUNKS)
			return SLAB_NIL;
		nc = realloc(slab_chunks, (slab_nr_chunks + 1) * sizeof(*nc));
		if (!nc)
			return SLAB_NIL;
		slab_chunks = nc;
		chunk = calloc(SLAB_CHUNK, sizeof(*chunk));
		if (!chunk)
			return SLAB_NIL;
		slab_chunks[slab_nr_chunks++] = chunk;
	}
	return slab_hwm++;
}

static void slab_desc_put(uint32_t id)
{
	struct slab *sl = slab_at(id);

	sl->state = SLAB_UNUSED;
	sl->cache = NULL;
	sl->next = slab_free_head;
	slab_free_head = id;
}

static unsigned int stack_class(unsigned int objects)
{
	unsigned int c = 3;

	while ((1u << c) < objects)
		c++;
	return c;
}

static size_t stack_bytes(unsigned int cls)
{
	size_t n = (size_t)1 << cls;

	return n * sizeof(uint16_t) + ((n + 63) / 64) * sizeof(uint64_t) + sizeof(uint64_t);
}

static int slab_stack_get(struct slab *sl)
{
	unsigned int cls = stack_class(sl->objects);
	void *mem = stack_pool[cls];
	size_t n = (size_t)1 << cls;

	if (mem) {
		stack_pool[cls] = *(void **)mem;
	} else {
		mem = malloc(stack_bytes(cls));
		if (!mem)
			return -ENOMEM;
	}
	sl->chunk_class = (uint8_t)cls;
	sl->used = mem;
	sl->stack = (uint16_t *)((uint64_t *)mem + (n + 63) / 64 + 1);
	memset(sl->used, 0, ((n + 63) / 64) * sizeof(uint64_t));
	return 0;
}

static void slab_stack_put(struct slab *sl)
{
	void *mem = sl->used;

	*(void **)mem = stack_pool[sl->chunk_class];
	stack_pool[sl->chunk_class] = mem;
	sl->used = NULL;
	sl->stack = NULL;
}

static inline unsigned int nmain(const struct slab *sl)
{
	return (unsigned)sl->nfree - sl->nremote;
}

/* get_freelist: c->freelist is empty; take slab->freelist (the remote frees). */
static void refill_from_remote(struct slab *sl)
{
	unsigned int o = sl->objects, r = sl->nremote;
	uint16_t *rs = sl->stack + (o - r);

	for (unsigned int a = 0, b = r - 1; a < b; a++, b--) {
		uint16_t t = rs[a];

		rs[a] = rs[b];
		rs[b] = t;
	}
	memmove(sl->stack, rs, r * sizeof(uint16_t));
	sl->nremote = 0;
}

/* deactivate_slab: c->freelist is spliced in front of slab->freelist. */
static void merge_remote(struct slab *sl)
{
	static uint16_t scratch[MAX_OBJS_PER_PAGE + 1];
	unsigned int o = sl->objects, r = sl->nremote, m = nmain(sl);

	if (!r)
		return;
	for (unsigned int k = 0; k < r; k++)      /* bottom = oldest remote free */
		scratch[k] = sl->stack[o - 1 - k];
	memmove(sl->stack + r, sl->stack, m * sizeof(uint16_t));
	memcpy(sl->stack, scratch, r * sizeof(uint16_t));
	sl->nremote = 0;
}

static inline bool obj_used(const struct slab *sl, unsigned int i)
{
	return (sl->used[i >> 6] >> (i & 63)) & 1;
}

struct slab *addr_to_slab(unsigned long addr)
{
	unsigned long pfn;
	struct page *page;

	if (!is_direct_map(addr))
		return NULL;
	pfn = virt_to_pfn(addr);
	if (!pfn_valid(pfn))
		return NULL;
	page = pfn_to_page(pfn);
	if (page_type(page) != PGTY_SLAB)
		return NULL;
	return slab_at(page_owner_data(page));
}

/* --- cost helpers -------------------------------------------------------------- */
static inline unsigned long obj_addr(const struct kmem_cache *s, const struct slab *sl, unsigned int i)
{
	return sl->base + (unsigned long)i * s->size;
}

uint64_t slab_lat_start(void)
{
	slab_timing = cost_timing_on();
	return slab_timing ? sim_now() : 0;
}

void slab_lat_end(enum slab_api api, enum slab_path path, uint64_t t0)
{
	if (slab_timing && slab_lat[api][path])
		hist_add(slab_lat[api][path], sim_now() - t0);
}

static inline int this_cpu(void)
{
	int c = smp_processor_id();

	return (c >= 0 && c < nr_cpus) ? c : 0;
}

/* --- node partial lists ---------------------------------------------------------- */
static void add_partial(struct kmem_cache *s, struct slab *sl, uint32_t id, bool tail)
{
	struct kmem_cache_node *n = &s->node[sl->node];

	sl->state = SLAB_NODE_PARTIAL;
	if (tail) {
		sl->next = SLAB_NIL;
		sl->prev = n->tail;
		if (n->tail != SLAB_NIL)
			slab_at(n->tail)->next = id;
		else
			n->head = id;
		n->tail = id;
	} else {
		sl->prev = SLAB_NIL;
		sl->next = n->head;
		if (n->head != SLAB_NIL)
			slab_at(n->head)->prev = id;
		else
			n->tail = id;
		n->head = id;
	}
	n->nr_partial++;
	if (slab_timing)
		mem_write(n->va, 24);
}

static void remove_partial(struct kmem_cache *s, struct slab *sl)
{
	struct kmem_cache_node *n = &s->node[sl->node];

	if (sl->prev != SLAB_NIL)
		slab_at(sl->prev)->next = sl->next;
	else
		n->head = sl->next;
	if (sl->next != SLAB_NIL)
		slab_at(sl->next)->prev = sl->prev;
	else
		n->tail = sl->prev;
	sl->next = sl->prev = SLAB_NIL;
	n->nr_partial--;
	if (slab_timing)
		mem_write(n->va, 24);
}

/* --- slab pages -------------------------------------------------------------------- */
void slab_account_pages(int nid, bool reclaimable, long pages)
{
	if (nid < 0 || nid >= MACHINE_MAX_NODES)
		nid = 0;
	slab_pages[nid][reclaimable ? 1 : 0] += pages;
	/* NR_SLAB_{RECLAIMABLE,UNRECLAIMABLE}_B of the node. The kernel keeps these in
	 * bytes and reads them back in pages; mm/proc.c reads pages, so pages here. */
	if (mm.booted && nid < mm.nr_nodes && NODE_DATA(nid))
		NODE_DATA(nid)->vm_stat[reclaimable ? NR_SLAB_RECLAIMABLE_B : NR_SLAB_UNRECLAIMABLE_B] +=
			pages;
}

gfp_t kmalloc_fix_flags(gfp_t flags)
{
	gfp_t invalid = flags & GFP_SLAB_BUG_MASK;
	char b1[GFP_STR_MAX], b2[GFP_STR_MAX];

	flags &= ~GFP_SLAB_BUG_MASK;
	slab_misuse(SLAB_MISUSE_UNEXPECTED_GFP);
	sim_printk("Unexpected gfp: %#x (%s). Fixing up to gfp: %#x (%s). Fix your code!",
		   invalid, gfp_format_pGg(invalid, b1, sizeof(b1)), flags,
		   gfp_format_pGg(flags, b2, sizeof(b2)));
	sim_printk("CPU: %d PID: %d Comm: %s", smp_processor_id(), current->pid, current->comm);
	return flags;
}

#define GFP_RECLAIM_MASK (__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | __GFP_NOWARN | \
			  __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | __GFP_NORETRY | __GFP_MEMALLOC | \
			  __GFP_NOMEMALLOC | __GFP_ATOMIC)
#define GFP_CONSTRAINT_MASK (__GFP_HARDWALL | __GFP_THISNODE)

static struct page *alloc_slab_page(gfp_t gfp, int node, unsigned int order)
{
	return alloc_pages_node(node, gfp, order);
}

/* new_slab + allocate_slab: a fresh slab, not on any list. SLAB_NIL on failure. */
static uint32_t new_slab(struct kmem_cache *s, gfp_t flags, int node)
{
	struct page *page;
	unsigned int order = s->oo_order, objects = s->oo_objects;
	gfp_t alloc_gfp;
	uint32_t id;
	struct slab *sl;

	if (flags & GFP_SLAB_BUG_MASK)
		flags = kmalloc_fix_flags(flags);
	if (s->ctor && (flags & __GFP_ZERO)) {
		slab_misuse(SLAB_MISUSE_ZERO_CTOR);
		if (!s->warned_zero_ctor) {
			s->warned_zero_ctor = true;
			sim_printk("WARNING: CPU: %d PID: %d at mm/slub.c new_slab: "
				   "__GFP_ZERO with constructor (cache %s)",
				   smp_processor_id(), current->pid, s->name);
		}
	}
	flags &= GFP_RECLAIM_MASK | GFP_CONSTRAINT_MASK;
	flags &= gfp_allowed_mask;
	flags |= s->allocflags;
	cost_cycles(SLUB_NEW_SLAB_CYCLES);

	alloc_gfp = (flags | __GFP_NOWARN | __GFP_NORETRY) & ~__GFP_NOFAIL;
	if ((alloc_gfp & __GFP_DIRECT_RECLAIM) && s->oo_order > s->min_order)
		alloc_gfp = (alloc_gfp | __GFP_NOMEMALLOC) & ~__GFP_RECLAIM;
	page = alloc_slab_page(alloc_gfp, node, order);
	if (!page && s->oo_order != s->min_order) {
		order = s->min_order;
		objects = s->min_objects;
		page = alloc_slab_page(flags, node, order);
		if (page)
			stat(ORDER_FALLBACK);
	} else if (!page) {
		/* Same order: the kernel retries with the caller's flags. */
		page = alloc_slab_page(flags, node, order);
	}
	if (!page)
		return SLAB_NIL;
	id = slab_desc_get();
	if (id == SLAB_NIL) {
		__free_pages(page, order);
		return SLAB_NIL;
	}
	sl = slab_at(id);
	memset(sl, 0, sizeof(*sl));
	sl->cache = s;
	sl->objects = (uint16_t)objects;
	sl->order = (uint8_t)order;
	sl->pfn = (uint32_t)page_to_pfn(page);
	sl->base = page_address(page);
	sl->node = (uint8_t)page_to_nid(page);
	sl->next = sl->prev = SLAB_NIL;
	if (slab_stack_get(sl) < 0) {
		slab_desc_put(id);
		__free_pages(page, order);
		return SLAB_NIL;
	}
	page_set_owner(page, PGTY_SLAB, id);
	slab_account_pages(sl->node, s->flags & SLAB_RECLAIM_ACCOUNT, 1L << order);
	/* Freelist in address order: object 0 first (top of the stack). */
	for (unsigned int i = 0; i < objects; i++)
		sl->stack[i] = (uint16_t)(objects - 1 - i);
	sl->nfree = (uint16_t)objects;
	if (slab_timing) {
		mem_write(page_vmemmap_addr(page), 64);
		for (unsigned int i = 0; i < objects; i++)
			mem_write(obj_addr(s, sl, i) + s->offset, 8);
	}
	cost_cycles(SLUB_SETUP_OBJ_CYCLES * objects);
	if (s->ctor) {
		for (unsigned int i = 0; i < objects; i++) {
			cost_cycles(SLUB_CTOR_CALL_CYCLES);
			s->ctor((void *)obj_addr(s, sl, i));
		}
	}
	s->node[sl->node].nr_slabs++;
	s->node[sl->node].total_objects += objects;
	stat(ALLOC_SLAB);
	return id;
}

static void free_slab_pages(struct kmem_cache *s, struct slab *sl, uint32_t id)
{
	struct page *page = pfn_to_page(sl->pfn);

	slab_account_pages(sl->node, s->flags & SLAB_RECLAIM_ACCOUNT, -(1L << sl->order));
	page_set_owner(page, PGTY_KERNEL, 0);
	__free_pages(page, sl->order);
	slab_stack_put(sl);
	slab_desc_put(id);
}

static void rcu_free_slab(void *arg, unsigned long id)
{
	struct slab *sl = slab_at((uint32_t)id);

	free_slab_pages(arg, sl, (uint32_t)id);
}

/* discard_slab: leave the node counts, free pages (after a GP for TYPESAFE_BY_RCU). */
static void discard_slab(struct kmem_cache *s, struct slab *sl, uint32_t id)
{
	struct kmem_cache_node *n = &s->node[sl->node];

	n->nr_slabs--;
	n->total_objects -= sl->objects;
	stat(FREE_SLAB);
	cost_cycles(SLUB_DISCARD_CYCLES);
	if (s->flags & SLAB_TYPESAFE_BY_RCU) {
		sl->state = SLAB_RCU_PENDING;
		rcu_call_fn(rcu_free_slab, s, id);
		return;
	}
	free_slab_pages(s, sl, id);
}

/* --- cpu slab handling ------------------------------------------------------------- */
/* deactivate_slab: a cpu slab goes back to its node (partial / full / freed). */
static void deactivate_slab(struct kmem_cache *s, uint32_t id)
{
	struct slab *sl = slab_at(id);
	struct kmem_cache_node *n = &s->node[sl->node];
	bool tail = false;

	if (sl->nremote) {
		stat(DEACTIVATE_REMOTE_FREES);
		tail = true;
		merge_remote(sl);
	}
	if (slab_timing)
		mem_write(page_vmemmap_addr(pfn_to_page(sl->pfn)), 16);
	if (sl->nfree == sl->objects && n->nr_partial >= s->min_partial) {
		stat(DEACTIVATE_EMPTY);
		discard_slab(s, sl, id);
	} else if (sl->nfree) {
		stat(tail ? DEACTIVATE_TO_TAIL : DEACTIVATE_TO_HEAD);
		add_partial(s, sl, id, tail);
	} else {
		stat(DEACTIVATE_FULL);
		sl->state = SLAB_FULL;
	}
}

/* __unfreeze_partials: move a cpu partial chain to the node lists. */
static void unfreeze_partials_chain(struct kmem_cache *s, uint32_t head)
{
	uint32_t discard = SLAB_NIL;

	while (head != SLAB_NIL) {
		struct slab *sl = slab_at(head);
		uint32_t id = head;
		struct kmem_cache_node *n = &s->node[sl->node];

		head = sl->next;
		if (sl->nfree == sl->objects && n->nr_partial >= s->min_partial) {
			sl->next = discard;
			discard = id;
		} else {
			add_partial(s, sl, id, true);
			stat(FREE_ADD_PARTIAL);
		}
	}
	while (discard != SLAB_NIL) {
		struct slab *sl = slab_at(discard);
		uint32_t id = discard;

		discard = sl->next;
		stat(DEACTIVATE_EMPTY);
		discard_slab(s, sl, id);
	}
}

static void unfreeze_partials(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	uint32_t head = c->partial;

	c->partial = SLAB_NIL;
	unfreeze_partials_chain(s, head);
}

/* put_cpu_partial: push a frozen slab on this CPU's partial chain. */
static void put_cpu_partial(struct kmem_cache *s, struct kmem_cache_cpu *c, int cpu,
			    uint32_t id, bool drain)
{
	struct slab *sl = slab_at(id);
	uint32_t old = c->partial, to_unfreeze = SLAB_NIL;
	unsigned int slabs = 0;

	if (old != SLAB_NIL) {
		if (drain && slab_at(old)->slabs >= s->cpu_partial_slabs) {
			to_unfreeze = old;
			old = SLAB_NIL;
		} else {
			slabs = slab_at(old)->slabs;
		}
	}
	slabs++;
	sl->slabs = (uint16_t)slabs;
	sl->next = old;
	sl->prev = SLAB_NIL;
	sl->state = SLAB_CPU_PARTIAL;
	sl->cpu = (uint16_t)cpu;
	c->partial = id;
	if (slab_timing)
		mem_write(c->va + 24, 8);
	if (to_unfreeze != SLAB_NIL) {
		unfreeze_partials_chain(s, to_unfreeze);
		stat(CPU_PARTIAL_DRAIN);
	}
}

static void flush_cpu(struct kmem_cache *s, int cpu)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[cpu];

	if (c->slab != SLAB_NIL) {
		uint32_t id = c->slab;

		c->slab = SLAB_NIL;
		deactivate_slab(s, id);
		stat(CPUSLAB_FLUSH);
	}
	unfreeze_partials(s, c);
}

void slab_flush_cpu_slab(struct kmem_cache *s, int cpu)
{
	if (!s || cpu < 0 || cpu >= nr_cpus)
		return;
	flush_cpu(s, cpu);
}

static void flush_all(struct kmem_cache *s)
{
	for (int cpu = 0; cpu < nr_cpus; cpu++)
		flush_cpu(s, cpu);
}

/* --- allocation -------------------------------------------------------------------- */
static inline bool node_match(const struct slab *sl, int node)
{
	return node == NUMA_NO_NODE || sl->node == node;
}

/* Pop the freelist head of a slab we own (cpu slab). */
static inline unsigned long take_object(struct kmem_cache *s, struct slab *sl)
{
	unsigned int i = sl->stack[nmain(sl) - 1];

	sl->nfree--;

	sl->used[i >> 6] |= 1ULL << (i & 63);
	s->objects_inuse++;
	return obj_addr(s, sl, i);
}

/* get_partial_node: first slab becomes the cpu slab, more go to the cpu partial chain. */
static uint32_t get_partial_node(struct kmem_cache *s, int nid, struct kmem_cache_cpu *c, int cpu)
{
	struct kmem_cache_node *n = &s->node[nid];
	uint32_t got = SLAB_NIL, id, next;
	unsigned int partial_slabs = 0;

	if (!n->nr_partial)
		return SLAB_NIL;
	if (slab_timing)
		mem_read(n->va, 32);
	for (id = n->head; id != SLAB_NIL; id = next) {
		struct slab *sl = slab_at(id);

		next = sl->next;
		remove_partial(s, sl);
		cost_cycles(SLUB_PARTIAL_CYCLES);
		if (slab_timing)
			mem_write(page_vmemmap_addr(pfn_to_page(sl->pfn)), 16);
		if (got == SLAB_NIL) {
			got = id;
			sl->state = SLAB_CPU;
			sl->cpu = (uint16_t)cpu;
			stat(ALLOC_FROM_PARTIAL);
		} else {
			put_cpu_partial(s, c, cpu, id, false);
			stat(CPU_PARTIAL_NODE);
			partial_slabs++;
		}
		if (!s->cpu_partial_slabs || partial_slabs > s->cpu_partial_slabs / 2)
			break;
	}
	return got;
}

static int node_dist(int a, int b)
{
	if (mm.booted && mm.distance[a][b])
		return mm.distance[a][b];
	return a == b ? LOCAL_DISTANCE : REMOTE_DISTANCE;
}

static uint32_t get_any_partial(struct kmem_cache *s, struct kmem_cache_cpu *c, int cpu, int local)
{
	bool tried[MACHINE_MAX_NODES] = { false };

	tried[local] = true;
	for (int k = 1; k < nr_nodes; k++) {
		int best = -1;

		for (int nid = 0; nid < nr_nodes; nid++) {
			if (tried[nid] || !slab_node_ok[nid])
				continue;
			if (best < 0 || node_dist(local, nid) < node_dist(local, best))
				best = nid;
		}
		if (best < 0)
			break;
		tried[best] = true;
		if (s->node[best].nr_partial > s->min_partial) {
			uint32_t id = get_partial_node(s, best, c, cpu);

			if (id != SLAB_NIL)
				return id;
		}
	}
	return SLAB_NIL;
}

static void slab_out_of_memory(struct kmem_cache *s, gfp_t gfp, int nid)
{
	char buf[GFP_STR_MAX];

	static sim_time_t rs_begin;
	static int rs_printed;
	sim_time_t now = sim_now();

	if (gfp & __GFP_NOWARN)
		return;
	/* slub_oom_rs: DEFAULT_RATELIMIT_BURST (10) per DEFAULT_RATELIMIT_INTERVAL (5 s) */
	if (!rs_printed || now - rs_begin >= 5 * SIM_SEC) {
		rs_begin = now;
		rs_printed = 0;
	}
	if (++rs_printed > 10)
		return;
	sim_printk("SLUB: Unable to allocate memory on node %d, gfp=%#x(%s)", nid, gfp,
		   gfp_format_pGg(gfp, buf, sizeof(buf)));
	sim_printk("  cache: %s, object size: %u, buffer size: %u, default order: %u, min order: %u",
		   s->name, s->object_size, s->size, s->oo_order, s->min_order);
	for (int n = 0; n < nr_nodes; n++) {
		unsigned long nfree = 0;

		if (!s->node[n].nr_slabs)
			continue;
		for (uint32_t id = s->node[n].head; id != SLAB_NIL; id = slab_at(id)->next)
			nfree += slab_at(id)->nfree;
		sim_printk("  node %d: slabs: %lu, objs: %lu, free: %lu", n, s->node[n].nr_slabs,
			   s->node[n].total_objects, nfree);
	}
}

/* ___slab_alloc */
static unsigned long slab_alloc_slow(struct kmem_cache *s, gfp_t gfp, int node,
				     enum slab_path *path)
{
	int cpu = this_cpu();
	struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
	uint32_t id;
	struct slab *sl;

	stat(ALLOC_SLOWPATH);
	cost_cycles(SLUB_SLOW_CYCLES);
	*path = SPATH_SLOW;
	if (node != NUMA_NO_NODE && (node < 0 || node >= nr_nodes || !slab_node_ok[node]))
		node = NUMA_NO_NODE;
	if (c->slab != SLAB_NIL) {
		sl = slab_at(c->slab);
		if (!node_match(sl, node)) {
			stat(ALLOC_NODE_MISMATCH);
			id = c->slab;
			c->slab = SLAB_NIL;
			deactivate_slab(s, id);
		} else if (!sl->nfree) {
			/* get_freelist found nothing: the slab is full and unfrozen. */
			sl->state = SLAB_FULL;
			c->slab = SLAB_NIL;
			stat(DEACTIVATE_BYPASS);
		} else {
			/* c->freelist empty, remote frees on slab->freelist: take them */
			if (!nmain(sl))
				refill_from_remote(sl);
			stat(ALLOC_REFILL);
			if (slab_timing)
				mem_write(page_vmemmap_addr(pfn_to_page(sl->pfn)), 16);
			return take_object(s, sl);
		}
	}
	/* cpu partial slabs */
	while (c->partial != SLAB_NIL) {
		id = c->partial;
		sl = slab_at(id);
		c->partial = sl->next;
		sl->next = SLAB_NIL;
		sl->state = SLAB_CPU;
		c->slab = id;
		stat(CPU_PARTIAL_ALLOC);
		if (slab_timing)
			mem_read(page_vmemmap_addr(pfn_to_page(sl->pfn)), 16);
		if (!node_match(sl, node)) {
			stat(ALLOC_NODE_MISMATCH);
			c->slab = SLAB_NIL;
			deactivate_slab(s, id);
			continue;
		}
		if (!sl->nfree) {
			sl->state = SLAB_FULL;
			c->slab = SLAB_NIL;
			continue;
		}
		return take_object(s, sl);
	}
	/* node partial lists */
	{
		int local = node == NUMA_NO_NODE ? numa_mem_id() : node;

		if (local < 0 || local >= nr_nodes)
			local = 0;
		id = get_partial_node(s, local, c, cpu);
		if (id == SLAB_NIL && node == NUMA_NO_NODE && nr_nodes > 1)
			id = get_any_partial(s, c, cpu, local);
		if (id != SLAB_NIL) {
			c->slab = id;
			return take_object(s, slab_at(id));
		}
	}
	/* a new slab (the page allocator may sleep: re-read the cpu state after) */
	id = new_slab(s, gfp, node);
	if (id == SLAB_NIL) {
		*path = SPATH_FAILED;
		slab_out_of_memory(s, gfp, node);
		return 0;
	}
	*path = SPATH_NEW_SLAB;
	cpu = this_cpu();
	c = &s->cpu_slab[cpu];
	if (c->slab != SLAB_NIL) {
		uint32_t old = c->slab;

		c->slab = SLAB_NIL;
		deactivate_slab(s, old);
	}
	sl = slab_at(id);
	sl->state = SLAB_CPU;
	sl->cpu = (uint16_t)cpu;
	c->slab = id;
	return take_object(s, sl);
}

static unsigned long __slab_alloc_node(struct kmem_cache *s, gfp_t gfp, int node, enum slab_path *path);

/*
 * The allocation and free paths run as one atomic section of the simulation
 * (sim_atomic_begin): in the kernel they run with the cpu slab pinned and
 * list_lock held across partial-list walks, so no other CPU's process may
 * interleave with them just because the local time ran past the quantum.
 * They still block where the kernel sleeps (page allocation with reclaim).
 */
unsigned long slab_alloc_node(struct kmem_cache *s, gfp_t gfp, int node, enum slab_path *path)
{
	unsigned long obj;

	sim_atomic_begin();
	obj = __slab_alloc_node(s, gfp, node, path);
	sim_atomic_end();
	return obj;
}

static unsigned long __slab_alloc_node(struct kmem_cache *s, gfp_t gfp, int node, enum slab_path *path)
{
	struct kmem_cache_cpu *c;
	unsigned long obj;
	int cpu;

	gfp &= gfp_allowed_mask;
	/* slab_pre_alloc_hook → might_alloc(): a blocking mask from atomic context */
	if (gfp & __GFP_DIRECT_RECLAIM)
		mm_might_sleep("include/linux/sched/mm.h:274");
	cpu = this_cpu();
	c = &s->cpu_slab[cpu];
	if (c->slab != SLAB_NIL) {
		struct slab *sl = slab_at(c->slab);

		if (nmain(sl) && node_match(sl, node)) {
			obj = take_object(s, sl);
			stat(ALLOC_FASTPATH);
			cost_cycles(SLUB_ALLOC_FAST_CYCLES);
			if (slab_timing) {
				mem_read(c->va, 16);
				mem_read(obj + s->offset, 8);
			}
			*path = SPATH_FAST;
			goto out;
		}
	}
	obj = slab_alloc_slow(s, gfp, node, path);
	if (!obj)
		return 0;
	if (slab_timing) {
		mem_read(c->va, 32);
		mem_read(obj + s->offset, 8);
	}
out:
	if ((gfp & __GFP_ZERO) && slab_timing)
		mem_zero_phys(virt_to_phys_addr(obj), s->object_size);
	return obj;
}

/* --- free ----------------------------------------------------------------------------- */
static void report_slab_err(struct kmem_cache *s, struct slab *sl, const char *what,
			    unsigned long addr, const char *caller)
{
	sim_printk("=============================================================================");
	sim_printk("BUG %s (Not tainted): %s", s->name, what);
	sim_printk("-----------------------------------------------------------------------------");
	sim_printk("Slab 0x%016lx objects=%u used=%u fp=0x%016lx flags=0x%x(slab|head)",
		   pfn_to_vmemmap(sl->pfn), sl->objects, (unsigned)(sl->objects - sl->nfree),
		   nmain(sl) ? obj_addr(s, sl, sl->stack[nmain(sl) - 1]) :
		   sl->nremote ? obj_addr(s, sl, sl->stack[sl->objects - sl->nremote]) : 0UL,
		   0x10200u);
	if (addr)
		sim_printk("Object 0x%016lx freed from %s on CPU %d PID %d Comm: %s", addr,
			   caller ? caller : "?", smp_processor_id(), current->pid, current->comm);
}

static int __slab_free_obj(struct kmem_cache *s, struct slab *sl, unsigned long addr, const char *caller);

int slab_free_obj(struct kmem_cache *s, struct slab *sl, unsigned long addr, const char *caller)
{
	int ret;

	sim_atomic_begin();
	ret = __slab_free_obj(s, sl, addr, caller);
	sim_atomic_end();
	return ret;
}

static int __slab_free_obj(struct kmem_cache *s, struct slab *sl, unsigned long addr, const char *caller)
{
	unsigned long off = addr - sl->base;
	unsigned int i = (unsigned int)(off / s->size);
	uint32_t id;
	int cpu = this_cpu();
	struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
	struct kmem_cache_node *n;
	bool prior, was_frozen;

	if (addr < sl->base || i >= sl->objects || off % s->size) {
		slab_misuse(SLAB_MISUSE_INVALID_FREE);
		report_slab_err(s, sl, "Invalid object pointer", addr, caller);
		return -1;
	}
	if (!obj_used(sl, i) || sl->state == SLAB_RCU_PENDING) {
		slab_misuse(SLAB_MISUSE_DOUBLE_FREE);
		report_slab_err(s, sl, "Object already free", addr, caller);
		return -1;
	}
	id = page_owner_data(pfn_to_page(sl->pfn));
	sl->used[i >> 6] &= ~(1ULL << (i & 63));
	s->objects_inuse--;
	if (sl->state == SLAB_CPU && c->slab != id) {
		/* a frozen cpu slab of another CPU: onto slab->freelist */
		sl->nremote++;
		sl->stack[sl->objects - sl->nremote] = (uint16_t)i;
		sl->nfree++;
	} else {
		sl->stack[nmain(sl)] = (uint16_t)i;
		sl->nfree++;
	}

	if (c->slab == id) {
		stat(FREE_FASTPATH);
		cost_cycles(SLUB_FREE_FAST_CYCLES);
		if (slab_timing) {
			mem_read(c->va, 16);
			mem_write(addr + s->offset, 8);
		}
		return SPATH_FAST;
	}
	/* __slab_free */
	stat(FREE_SLOWPATH);
	cost_cycles(SLUB_SLOW_CYCLES);
	if (slab_timing) {
		mem_write(addr + s->offset, 8);
		mem_write(page_vmemmap_addr(pfn_to_page(sl->pfn)), 16);
	}
	prior = sl->nfree > 1;
	was_frozen = sl->state == SLAB_CPU || sl->state == SLAB_CPU_PARTIAL;
	if (was_frozen) {
		stat(FREE_FROZEN);
		return SPATH_SLOW;
	}
	if (!prior) {
		/* A full slab: freeze it onto this CPU's partial chain. */
		if (s->cpu_partial_slabs) {
			put_cpu_partial(s, c, cpu, id, true);
			stat(CPU_PARTIAL_FREE);
			return SPATH_SLOW;
		}
		n = &s->node[sl->node];
		if (sl->nfree == sl->objects && n->nr_partial >= s->min_partial) {
			discard_slab(s, sl, id);
			return SPATH_NEW_SLAB;
		}
		add_partial(s, sl, id, true);
		stat(FREE_ADD_PARTIAL);
		return SPATH_SLOW;
	}
	n = &s->node[sl->node];
	if (sl->nfree == sl->objects && n->nr_partial >= s->min_partial) {
		remove_partial(s, sl);
		stat(FREE_REMOVE_PARTIAL);
		discard_slab(s, sl, id);
		return SPATH_NEW_SLAB;
	}
	return SPATH_SLOW;
}

/* --- caches ------------------------------------------------------------------------------- */
static unsigned int present_cpus(void)
{
	return (unsigned)nr_cpus;
}

static struct kmem_cache *find_mergeable(unsigned int size, unsigned int align,
					 slab_flags_t flags, void (*ctor)(void *))
{
	if (ctor || (flags & SLAB_NEVER_MERGE))
		return NULL;
	size = align_up(size, sizeof(void *));
	align = calculate_alignment(flags, align, size);
	size = align_up(size, align);
	for (struct kmem_cache *s = slab_caches; s; s = s->list_next) {
		if (s->unmergeable || s->ctor || (s->flags & SLAB_NEVER_MERGE) || s->refcount < 1)
			continue;
		if (size > s->size)
			continue;
		if ((flags & SLAB_MERGE_SAME) != (s->flags & SLAB_MERGE_SAME))
			continue;
		if ((s->size & ~(align - 1)) != s->size)
			continue;
		if (s->size - size >= sizeof(void *))
			continue;
		return s;
	}
	return NULL;
}

static unsigned long cpu_slot_va(int cpu, unsigned int id)
{
	unsigned long base = cpu_area ? cpu_area[cpu] : 0;

	if (!base)
		return PAGE_OFFSET + ((unsigned long)cpu << 12) + (id % 128) * 32;
	return base + (id % 128) * 32;
}

struct kmem_cache *slab_create_cache(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *), int *err)
{
	struct slab_geometry g;
	struct kmem_cache *s;
	int rc;

	*err = 0;
	rc = slab_calculate_geometry(size, align, flags, ctor != NULL, present_cpus(), &g);
	if (rc < 0) {
		*err = rc;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s || !(s->name = strdup(name)) ||
	    !(s->cpu_slab = calloc((size_t)nr_cpus, sizeof(*s->cpu_slab))) ||
	    !(s->node = calloc((size_t)nr_nodes, sizeof(*s->node)))) {
		if (s) {
			free(s->name);
			free(s->cpu_slab);
		}
		free(s);
		*err = -ENOMEM;
		return NULL;
	}
	s->object_size = g.object_size;
	s->size = g.size;
	s->align = g.align;
	s->inuse = g.inuse;
	s->offset = g.offset;
	s->red_left_pad = g.red_left_pad;
	s->flags = flags;
	s->ctor = ctor;
	s->oo_order = g.order;
	s->oo_objects = g.objects;
	s->min_order = g.min_order;
	s->min_objects = g.min_objects;
	s->min_partial = g.min_partial;
	s->cpu_partial = g.cpu_partial;
	s->cpu_partial_slabs = g.cpu_partial_slabs;
	s->allocflags = 0;
	if (g.order)
		s->allocflags |= __GFP_COMP;
	if (flags & SLAB_CACHE_DMA)
		s->allocflags |= GFP_DMA;
	if (flags & SLAB_CACHE_DMA32)
		s->allocflags |= GFP_DMA32;
	if (flags & SLAB_RECLAIM_ACCOUNT)
		s->allocflags |= __GFP_RECLAIMABLE;
	s->refcount = 1;
	s->id = cache_ids++;
	for (int cpu = 0; cpu < nr_cpus; cpu++) {
		s->cpu_slab[cpu].slab = SLAB_NIL;
		s->cpu_slab[cpu].partial = SLAB_NIL;
		s->cpu_slab[cpu].va = cpu_slot_va(cpu, s->id);
	}
	for (int n = 0; n < nr_nodes; n++) {
		s->node[n].head = s->node[n].tail = SLAB_NIL;
	}
	/* The kernel allocates struct kmem_cache and its kmem_cache_node objects from
	 * the boot caches; so do we (their slabs show in slabinfo). */
	if (kmem_cache_cache && kmem_cache_node_cache) {
		enum slab_path p;

		s->va = slab_alloc_node(kmem_cache_cache, GFP_KERNEL, NUMA_NO_NODE, &p);
		for (int n = 0; n < nr_nodes; n++)
			if (slab_node_ok[n])
				s->node[n].va = slab_alloc_node(kmem_cache_node_cache, GFP_KERNEL, n, &p);
	}
	s->list_next = slab_caches;
	slab_caches = s;
	return s;
}

struct kmem_cache *kmem_cache_create_usercopy(const char *name, unsigned int size,
					      unsigned int align, slab_flags_t flags,
					      unsigned int useroffset, unsigned int usersize,
					      void (*ctor)(void *))
{
	struct kmem_cache *s = NULL;
	int err = 0;

	if (!slab_up || !name) {
		err = -EINVAL;
		goto out;
	}
	if (flags & ~SLAB_FLAGS_PERMITTED) {
		err = -EINVAL;
		goto out;
	}
	if (usersize && (size < usersize || size - usersize < useroffset)) {
		sim_printk("WARNING: CPU: %d PID: %d at mm/slab_common.c kmem_cache_create_usercopy: "
			   "%s: bad usercopy region %u+%u in %u-byte objects", smp_processor_id(),
			   current->pid, name, useroffset, usersize, size);
		usersize = useroffset = 0;
	}
	if (!usersize)
		s = find_mergeable(size, align, flags, ctor);
	if (s) {
		s->refcount++;
		if (size > s->object_size)
			s->object_size = size;
		if (align_up(size, sizeof(void *)) > s->inuse)
			s->inuse = align_up(size, sizeof(void *));
		return s;
	}
	s = slab_create_cache(name, size, align, flags, ctor, &err);
	if (s && usersize) {
		s->useroffset = useroffset;
		s->usersize = usersize;
		s->unmergeable = true;
	}
out:
	if (!s) {
		if (flags & SLAB_PANIC) {
			sim_printk("Kernel panic - not syncing: kmem_cache_create: Failed to create "
				   "slab '%s'. Error %d", name ? name : "(null)", err);
		} else {
			sim_printk("kmem_cache_create(%s) failed with error %d",
				   name ? name : "(null)", err);
		}
	}
	return s;
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *))
{
	return kmem_cache_create_usercopy(name, size, align, flags, 0, 0, ctor);
}

static void unlink_cache(struct kmem_cache *s)
{
	for (struct kmem_cache **pp = &slab_caches; *pp; pp = &(*pp)->list_next)
		if (*pp == s) {
			*pp = s->list_next;
			return;
		}
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	bool busy = false;
	char msg[160];

	if (!s || ZERO_OR_NULL_PTR(s))
		return;
	if (--s->refcount > 0)
		return;
	if (s->refcount < 0) {
		s->refcount = 0;
		return;
	}
	if (s->flags & SLAB_TYPESAFE_BY_RCU)
		rcu_barrier();
	flush_all(s);
	for (int nid = 0; nid < nr_nodes; nid++) {
		struct kmem_cache_node *n = &s->node[nid];
		uint32_t id = n->head, next;

		for (; id != SLAB_NIL; id = next) {
			struct slab *sl = slab_at(id);

			next = sl->next;
			if (sl->nfree == sl->objects) {
				remove_partial(s, sl);
				discard_slab(s, sl, id);
				continue;
			}
			snprintf(msg, sizeof(msg), "Objects remaining in %s on __kmem_cache_shutdown()",
				 s->name);
			report_slab_err(s, sl, msg, 0, NULL);
			for (unsigned int i = 0; i < sl->objects; i++)
				if (obj_used(sl, i))
					sim_printk("Object 0x%016lx @offset=%lu", obj_addr(s, sl, i),
						   (unsigned long)i * s->size);
		}
		if (n->nr_slabs)
			busy = true;
	}
	if (s->flags & SLAB_TYPESAFE_BY_RCU)
		rcu_barrier();
	if (busy) {
		slab_misuse(SLAB_MISUSE_DESTROY_BUSY);
		sim_printk("kmem_cache_destroy %s: Slab cache still has objects when called from %s",
			   s->name, "kmem_cache_destroy");
		return;          /* the kernel leaves the cache in place */
	}
	unlink_cache(s);
	if (kmem_cache_cache && s->va) {
		struct slab *sl = addr_to_slab(s->va);

		if (sl)
			slab_free_obj(kmem_cache_cache, sl, s->va, "kmem_cache_destroy");
		for (int n = 0; n < nr_nodes; n++)
			if (s->node[n].va && (sl = addr_to_slab(s->node[n].va)))
				slab_free_obj(kmem_cache_node_cache, sl, s->node[n].va,
					      "kmem_cache_destroy");
	}
	free(s->name);
	free(s->cpu_slab);
	free(s->node);
	free(s);
}

int kmem_cache_shrink(struct kmem_cache *s)
{
	if (!s)
		return 0;
	flush_all(s);
	for (int nid = 0; nid < nr_nodes; nid++) {
		struct kmem_cache_node *n = &s->node[nid];
		uint32_t phead[SHRINK_PROMOTE_MAX], ptail[SHRINK_PROMOTE_MAX];
		uint32_t rest_head = SLAB_NIL, rest_tail = SLAB_NIL, discard = SLAB_NIL;
		uint32_t id, next;

		for (int i = 0; i < SHRINK_PROMOTE_MAX; i++)
			phead[i] = ptail[i] = SLAB_NIL;
		/* Pull every slab off the list, bucket by free count. */
		for (id = n->head; id != SLAB_NIL; id = next) {
			struct slab *sl = slab_at(id);
			unsigned int nfree = sl->nfree;

			next = sl->next;
			sl->next = sl->prev = SLAB_NIL;
			if (nfree == sl->objects) {
				sl->next = discard;
				discard = id;
			} else if (nfree <= SHRINK_PROMOTE_MAX) {
				if (ptail[nfree - 1] != SLAB_NIL)
					slab_at(ptail[nfree - 1])->next = id;
				else
					phead[nfree - 1] = id;
				ptail[nfree - 1] = id;
			} else {
				if (rest_tail != SLAB_NIL)
					slab_at(rest_tail)->next = id;
				else
					rest_head = id;
				rest_tail = id;
			}
		}
		n->head = n->tail = SLAB_NIL;
		n->nr_partial = 0;
		/* Rebuild: fewest free first, then the rest in their old order. */
		for (int i = 0; i < SHRINK_PROMOTE_MAX; i++)
			for (id = phead[i]; id != SLAB_NIL; id = next) {
				next = slab_at(id)->next;
				add_partial(s, slab_at(id), id, true);
			}
		for (id = rest_head; id != SLAB_NIL; id = next) {
			next = slab_at(id)->next;
			add_partial(s, slab_at(id), id, true);
		}
		while (discard != SLAB_NIL) {
			id = discard;
			discard = slab_at(id)->next;
			discard_slab(s, slab_at(id), id);
		}
	}
	return 0;
}

void *kmem_cache_alloc_caller(struct kmem_cache *s, gfp_t flags, int node, const char *caller)
{
	uint64_t t0 = slab_lat_start();
	enum slab_path path;
	unsigned long obj;

	if (!s)
		return NULL;
	obj = slab_alloc_node(s, flags, node, &path);
	if (ev_kmem_cache_alloc && trace_on(ev_kmem_cache_alloc))
		trace_kmalloc_ev(caller, obj, s->object_size, s->size, flags, node,
				 s->flags & SLAB_ACCOUNT, ev_kmem_cache_alloc);
	slab_lat_end(SAPI_KMEM_CACHE_ALLOC, path, t0);
	return (void *)obj;
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags)
{
	return kmem_cache_alloc_caller(s, flags, NUMA_NO_NODE, "kmem_cache_alloc");
}

void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t flags, int node)
{
	return kmem_cache_alloc_caller(s, flags, node, "kmem_cache_alloc_node");
}

void kmem_cache_free_caller(struct kmem_cache *s, void *obj, const char *caller)
{
	uint64_t t0 = slab_lat_start();
	unsigned long addr = (unsigned long)obj;
	struct slab *sl;
	int path;

	if (!s || !obj)
		return;
	sl = addr_to_slab(addr);
	if (!sl || !sl->cache) {
		if (is_vmalloc_addr_range(addr))
			slab_misuse(SLAB_MISUSE_VMALLOC_FREE);
		else
			slab_misuse(SLAB_MISUSE_NOT_SLAB);
		sim_printk("WARNING: CPU: %d PID: %d at mm/slab.h virt_to_cache", smp_processor_id(),
			   current->pid);
		sim_printk("virt_to_cache: Object is not a Slab page!");
		sim_printk("object 0x%016lx freed to %s from %s", addr, s->name, caller);
		return;
	}
	if (sl->cache != s) {
		slab_misuse(SLAB_MISUSE_WRONG_CACHE);
		sim_printk("kmem_cache_free: Wrong slab cache. %s but object is from %s",
			   s->name, sl->cache->name);
		sim_printk("object 0x%016lx freed from %s", addr, caller);
		s = sl->cache;
	}
	if (ev_kmem_cache_free && trace_on(ev_kmem_cache_free))
		trace_emit(ev_kmem_cache_free, "call_site=%s ptr=%016llx name=%s", caller,
			   (unsigned long long)trace_hash_ptr(addr), s->name);
	path = slab_free_obj(s, sl, addr, caller);
	if (path >= 0)
		slab_lat_end(SAPI_KMEM_CACHE_FREE, (enum slab_path)path, t0);
}

void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	kmem_cache_free_caller(s, obj, "kmem_cache_free");
}

int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t size, void **p)
{
	enum slab_path path;
	size_t i;

	if (!s)
		return 0;
	for (i = 0; i < size; i++) {
		unsigned long obj = slab_alloc_node(s, flags, NUMA_NO_NODE, &path);

		if (!obj)
			goto error;
		p[i] = (void *)obj;
	}
	return (int)size;
error:
	for (size_t j = 0; j < i; j++) {
		struct slab *sl = addr_to_slab((unsigned long)p[j]);

		if (sl)
			slab_free_obj(s, sl, (unsigned long)p[j], "kmem_cache_alloc_bulk");
		p[j] = NULL;
	}
	return 0;
}

void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p)
{
	for (size_t i = 0; i < size; i++) {
		unsigned long addr = (unsigned long)p[i];
		struct slab *sl;

		if (ZERO_OR_NULL_PTR(p[i]))
			continue;
		sl = addr_to_slab(addr);
		if (!sl || !sl->cache) {
			if (!s) {
				kfree_notrace(p[i], "kfree_bulk");  /* large kmalloc or misuse */
				continue;
			}
			slab_misuse(SLAB_MISUSE_NOT_SLAB);
			sim_printk("virt_to_cache: Object is not a Slab page!");
			continue;
		}
		if (s && sl->cache != s) {
			slab_misuse(SLAB_MISUSE_WRONG_CACHE);
			sim_printk("kmem_cache_free_bulk: Wrong slab cache. %s but object is from %s",
				   s->name, sl->cache->name);
		}
		slab_free_obj(sl->cache, sl, addr, "kmem_cache_free_bulk");
	}
}

/* --- accessors ------------------------------------------------------------------------------ */
const char *kmem_cache_name(const struct kmem_cache *s) { return s->name; }
unsigned int kmem_cache_size(const struct kmem_cache *s) { return s->object_size; }
unsigned int kmem_cache_stride(const struct kmem_cache *s) { return s->size; }
slab_flags_t kmem_cache_flags(const struct kmem_cache *s) { return s->flags; }
int kmem_cache_refcount(const struct kmem_cache *s) { return s->refcount; }
bool slab_is_available(void) { return slab_up; }
unsigned long kmem_cache_objects_inuse(struct kmem_cache *s) { return s->objects_inuse; }

void kmem_cache_geometry(const struct kmem_cache *s, struct slab_geometry *g)
{
	memset(g, 0, sizeof(*g));
	g->object_size = s->object_size;
	g->size = s->size;
	g->align = s->align;
	g->inuse = s->inuse;
	g->offset = s->offset;
	g->red_left_pad = s->red_left_pad;
	g->order = s->oo_order;
	g->objects = s->oo_objects;
	g->min_order = s->min_order;
	g->min_objects = s->min_objects;
	g->min_partial = s->min_partial;
	g->cpu_partial = s->cpu_partial;
	g->cpu_partial_slabs = s->cpu_partial_slabs;
}

struct kmem_cache *kmem_cache_find(const char *name)
{
	for (struct kmem_cache *s = slab_caches; s; s = s->list_next)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

struct kmem_cache *kmem_obj_cache(const void *p)
{
	struct slab *sl = addr_to_slab((unsigned long)p);

	return sl ? sl->cache : NULL;
}

unsigned long slab_total_objects_inuse(void)
{
	unsigned long n = 0;

	for (struct kmem_cache *s = slab_caches; s; s = s->list_next)
		n += s->objects_inuse;
	return n;
}

/* --- /proc/slabinfo and meminfo ----------------------------------------------------------- */
void kmem_cache_get_slabinfo(struct kmem_cache *s, struct slabinfo *out)
{
	unsigned long nr_slabs = 0, nr_objs = 0, nr_free = 0;

	for (int nid = 0; nid < nr_nodes; nid++) {
		struct kmem_cache_node *n = &s->node[nid];

		nr_slabs += n->nr_slabs;
		nr_objs += n->total_objects;
		for (uint32_t id = n->head; id != SLAB_NIL; id = slab_at(id)->next)
			nr_free += slab_at(id)->nfree;
	}
	out->active_objs = nr_objs - nr_free;
	out->num_objs = nr_objs;
	out->active_slabs = nr_slabs;
	out->num_slabs = nr_slabs;
	out->objsize = s->size;
	out->objperslab = s->oo_objects;
	out->pagesperslab = 1u << s->oo_order;
}

void slab_print_slabinfo(FILE *f)
{
	fputs("slabinfo - version: 2.1\n", f);
	fputs("# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
	      " : tunables <limit> <batchcount> <sharedfactor>"
	      " : slabdata <active_slabs> <num_slabs> <sharedavail>\n", f);
	for (struct kmem_cache *s = slab_caches; s; s = s->list_next) {
		struct slabinfo si;

		kmem_cache_get_slabinfo(s, &si);
		fprintf(f, "%-17s %6lu %6lu %6u %4u %4d", s->name, si.active_objs, si.num_objs,
			si.objsize, si.objperslab, (int)si.pagesperslab);
		fprintf(f, " : tunables %4u %4u %4u", 0u, 0u, 0u);
		fprintf(f, " : slabdata %6lu %6lu %6lu\n", si.active_slabs, si.num_slabs, 0UL);
	}
}

unsigned long slab_node_reclaimable_pages(int nid)
{
	return (nid >= 0 && nid < MACHINE_MAX_NODES && slab_pages[nid][1] > 0) ?
		(unsigned long)slab_pages[nid][1] : 0;
}

unsigned long slab_node_unreclaimable_pages(int nid)
{
	return (nid >= 0 && nid < MACHINE_MAX_NODES && slab_pages[nid][0] > 0) ?
		(unsigned long)slab_pages[nid][0] : 0;
}

unsigned long slab_reclaimable_pages(void)
{
	unsigned long n = 0;

	for (int i = 0; i < MACHINE_MAX_NODES; i++)
		n += slab_node_reclaimable_pages(i);
	return n;
}

unsigned long slab_unreclaimable_pages(void)
{
	unsigned long n = 0;

	for (int i = 0; i < MACHINE_MAX_NODES; i++)
		n += slab_node_unreclaimable_pages(i);
	return n;
}

void slab_print_cache_stats(FILE *f)
{
	fprintf(f, "%-20s", "cache");
	for (int i = 0; i < NR_SLUB_STAT_ITEMS; i++)
		fprintf(f, " %s", stat_names[i]);
	fputc('\n', f);
	for (struct kmem_cache *s = slab_caches; s; s = s->list_next) {
		fprintf(f, "%-20s", s->name);
		for (int i = 0; i < NR_SLUB_STAT_ITEMS; i++)
			fprintf(f, " %llu", (unsigned long long)s->stats[i]);
		fputc('\n', f);
	}
}

uint64_t kmem_cache_stat(const struct kmem_cache *s, const char *item)
{
	for (int i = 0; i < NR_SLUB_STAT_ITEMS; i++)
		if (!strcmp(stat_names[i], item))
			return s->stats[i];
	return 0;
}

void slab_print_meminfo(FILE *f)
{
	unsigned long r = slab_reclaimable_pages() * 4, u = slab_unreclaimable_pages() * 4;

	fprintf(f, "%-16s%8lu kB\n", "Slab:", r + u);
	fprintf(f, "%-16s%8lu kB\n", "SReclaimable:", r);
	fprintf(f, "%-16s%8lu kB\n", "SUnreclaim:", u);
}

/* --- shrinkers ---------------------------------------------------------------------------- */
static struct slab_shrinker *shrinker_list;

int slab_register_shrinker(struct slab_shrinker *sh)
{
	if (!sh || !sh->count_objects || !sh->scan_objects)
		return -EINVAL;
	if (!sh->seeks)
		sh->seeks = DEFAULT_SEEKS;
	sh->next = shrinker_list;
	shrinker_list = sh;
	return 0;
}

void slab_unregister_shrinker(struct slab_shrinker *sh)
{
	for (struct slab_shrinker **pp = &shrinker_list; *pp; pp = &(*pp)->next)
		if (*pp == sh) {
			*pp = sh->next;
			return;
		}
}

struct slab_shrinker *slab_shrinkers(void) { return shrinker_list; }

/* --- checks ----------------------------------------------------------------------------------- */
#define CHECK(cond, ...) do { if (!(cond)) { sim_error(__VA_ARGS__); return -1; } } while (0)

int kmem_cache_check(struct kmem_cache *s)
{
	static uint64_t seen[(MAX_OBJS_PER_PAGE + 64) / 64];
	unsigned long inuse = 0;
	unsigned long slabs[MACHINE_MAX_NODES] = { 0 }, objs[MACHINE_MAX_NODES] = { 0 };

	for (int nid = 0; nid < nr_nodes; nid++) {
		struct kmem_cache_node *n = &s->node[nid];
		unsigned long cnt = 0;
		uint32_t prev = SLAB_NIL;

		for (uint32_t id = n->head; id != SLAB_NIL; id = slab_at(id)->next) {
			struct slab *sl = slab_at(id);

			CHECK(sl->cache == s && sl->state == SLAB_NODE_PARTIAL && sl->node == nid,
			      "slab_check: %s: slab %u on node %d partial list in state %d",
			      s->name, id, nid, sl->state);
			CHECK(sl->nfree > 0 && sl->nfree <= sl->objects,
			      "slab_check: %s: partial slab %u has %u/%u free", s->name, id,
			      sl->nfree, sl->objects);
			CHECK(sl->prev == prev, "slab_check: %s: broken prev link at %u", s->name, id);
			prev = id;
			CHECK(++cnt <= n->nr_partial + 1, "slab_check: %s: partial list loops", s->name);
		}
		CHECK(prev == n->tail, "slab_check: %s: node %d tail mismatch", s->name, nid);
		CHECK(cnt == n->nr_partial, "slab_check: %s: node %d nr_partial %lu but %lu listed",
		      s->name, nid, n->nr_partial, cnt);
	}
	for (int cpu = 0; cpu < nr_cpus; cpu++) {
		struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
		unsigned int len = 0;

		if (c->slab != SLAB_NIL) {
			struct slab *sl = slab_at(c->slab);

			CHECK(sl->cache == s && sl->state == SLAB_CPU,
			      "slab_check: %s: cpu %d slab %u in state %d", s->name, cpu, c->slab,
			      sl->state);
		}
		for (uint32_t id = c->partial; id != SLAB_NIL; id = slab_at(id)->next)
			len++;
		if (c->partial != SLAB_NIL)
			CHECK(slab_at(c->partial)->slabs == len,
			      "slab_check: %s: cpu %d partial chain %u long, head says %u",
			      s->name, cpu, len, slab_at(c->partial)->slabs);
		for (uint32_t id = c->partial; id != SLAB_NIL; id = slab_at(id)->next)
			CHECK(slab_at(id)->state == SLAB_CPU_PARTIAL && slab_at(id)->cache == s,
			      "slab_check: %s: cpu %d partial slab %u in state %d", s->name, cpu,
			      id, slab_at(id)->state);
	}
	for (uint32_t id = 0; id < slab_hwm; id++) {
		struct slab *sl = slab_at(id);
		unsigned int used = 0;

		if (sl->cache != s || sl->state == SLAB_UNUSED || sl->state == SLAB_RCU_PENDING)
			continue;
		for (unsigned int i = 0; i < sl->objects; i++)
			used += obj_used(sl, i);
		CHECK(used + sl->nfree == sl->objects,
		      "slab_check: %s: slab %u: %u used + %u free != %u objects", s->name, id, used,
		      sl->nfree, sl->objects);
		CHECK(sl->nremote <= sl->nfree && (!sl->nremote || sl->state == SLAB_CPU),
		      "slab_check: %s: slab %u in state %d has %u remote frees of %u free",
		      s->name, id, sl->state, sl->nremote, sl->nfree);
		memset(seen, 0, ((sl->objects + 63) / 64) * sizeof(uint64_t));
		for (unsigned int k = 0; k < sl->nfree; k++) {
			unsigned int pos = k < nmain(sl) ? k : sl->objects - 1 - (k - nmain(sl));
			unsigned int o = sl->stack[pos];

			CHECK(o < sl->objects && !obj_used(sl, o),
			      "slab_check: %s: slab %u: freelist entry %u is in use", s->name, id, o);
			CHECK(!((seen[o >> 6] >> (o & 63)) & 1),
			      "slab_check: %s: slab %u: object %u twice on the freelist", s->name, id, o);
			seen[o >> 6] |= 1ULL << (o & 63);
		}
		CHECK(sl->state != SLAB_FULL || sl->nfree == 0,
		      "slab_check: %s: full slab %u has %u free", s->name, id, sl->nfree);
		CHECK(page_type(pfn_to_page(sl->pfn)) == PGTY_SLAB &&
		      page_owner_data(pfn_to_page(sl->pfn)) == id,
		      "slab_check: %s: slab %u page not tagged", s->name, id);
		inuse += used;
		slabs[sl->node]++;
		objs[sl->node] += sl->objects;
	}
	for (int nid = 0; nid < nr_nodes; nid++)
		CHECK(slabs[nid] == s->node[nid].nr_slabs && objs[nid] == s->node[nid].total_objects,
		      "slab_check: %s: node %d counts %lu slabs/%lu objs, found %lu/%lu", s->name,
		      nid, s->node[nid].nr_slabs, s->node[nid].total_objects, slabs[nid], objs[nid]);
	CHECK(inuse == s->objects_inuse, "slab_check: %s: %lu objects in use, counter %lu",
	      s->name, inuse, s->objects_inuse);
	return 0;
}

int slab_check(void)
{
	long pages[MACHINE_MAX_NODES][2] = { { 0 } };

	for (struct kmem_cache *s = slab_caches; s; s = s->list_next)
		if (kmem_cache_check(s) < 0)
			return -1;
	for (uint32_t id = 0; id < slab_hwm; id++) {
		struct slab *sl = slab_at(id);

		if (sl->state == SLAB_UNUSED)
			continue;
		pages[sl->node][(sl->cache->flags & SLAB_RECLAIM_ACCOUNT) ? 1 : 0] += 1L << sl->order;
	}
	for (int nid = 0; nid < nr_nodes; nid++)
		CHECK(pages[nid][1] == slab_pages[nid][1] && pages[nid][0] <= slab_pages[nid][0],
		      "slab_check: node %d slab pages %ld/%ld, accounted %ld/%ld", nid,
		      pages[nid][1], pages[nid][0], slab_pages[nid][1], slab_pages[nid][0]);
	return rcu_check();
}

/* --- boot ---------------------------------------------------------------------------------------- */
static const char *const api_names[NR_SAPI] = { "kmalloc", "kmem_cache_alloc", "kfree",
						 "kmem_cache_free" };
static const char *const path_names[NR_SPATH] = { "fast", "slow", "new_slab", "failed", "large" };

static double gauge_rcl(void *ctx) { (void)ctx; return (double)slab_reclaimable_pages(); }
static double gauge_unrcl(void *ctx) { (void)ctx; return (double)slab_unreclaimable_pages(); }
static double gauge_objs(void *ctx) { (void)ctx; return (double)slab_total_objects_inuse(); }

static void slab_stats_register(void)
{
	static bool gauges_done;
	char name[96];

	if (!gauges_done) {
		gauges_done = true;
		stat_gauge("slab.nr_slab_reclaimable", "pages", "SReclaimable (slab pages)",
			   STAT_SAMPLED | STAT_SUMMARY, gauge_rcl, NULL);
		stat_gauge("slab.nr_slab_unreclaimable", "pages",
			   "SUnreclaim (slab pages + large kmalloc)", STAT_SAMPLED | STAT_SUMMARY,
			   gauge_unrcl, NULL);
		stat_gauge("slab.objects_in_use", "objects", "slab objects allocated, all caches",
			   STAT_SAMPLED | STAT_SUMMARY, gauge_objs, NULL);
	}

	for (int a = 0; a < NR_SAPI; a++)
		for (int p = 0; p < NR_SPATH; p++) {
			const char *pn = path_names[p];

			if (a >= SAPI_KFREE && p == SPATH_NEW_SLAB)
				pn = "slab_freed";
			if (a >= SAPI_KFREE && p == SPATH_FAILED)
				continue;
			if ((a == SAPI_KMEM_CACHE_ALLOC || a == SAPI_KMEM_CACHE_FREE) &&
			    p == SPATH_LARGE)
				continue;
			snprintf(name, sizeof(name), "slab.latency.%s.%s", api_names[a], pn);
			slab_lat[a][p] = stat_hist(name, "ps", "SLUB latency by API and path");
		}
	for (int i = 0; i < NR_SLUB_STAT_ITEMS; i++) {
		snprintf(name, sizeof(name), "slab.%s", stat_names[i]);
		slub_stat[i] = stat_counter(name, "events", "SLUB stat item, all caches", 0);
		if (!slub_stat[i])
			slub_stat[i] = &stat_dummy[i];
	}
	for (int i = 0; i < NR_SLAB_MISUSE; i++) {
		snprintf(name, sizeof(name), "slab.misuse.%s", misuse_names[i]);
		misuse_stat[i] = stat_counter(name, "events", "slab API misuse detected", 0);
	}
	if (!ev_kmalloc) {                /* once per host process (events are never unregistered) */
		ev_kmalloc = trace_event_register("kmem", "kmalloc");
		ev_kmem_cache_alloc = trace_event_register("kmem", "kmem_cache_alloc");
		ev_kfree = trace_event_register("kmem", "kfree");
		ev_kmem_cache_free = trace_event_register("kmem", "kmem_cache_free");
	}
}

/* sizeof(struct kmem_cache) in 6.1 (SLUB, NUMA, sysfs, memcg) ≈ 224 + 8 per node id [U]. */
#define KMEM_CACHE_STRUCT_SIZE(nodes) (224u + 8u * (unsigned)(nodes))
#define KMEM_CACHE_NODE_STRUCT_SIZE   64u

int kmem_cache_init(void)
{
	int err;
	enum slab_path p;

	if (slab_up)
		return 0;                /* already initialised (mm_boot and a test both call it) */
	slab_caches = NULL;
	cache_ids = 0;
	memset(slab_pages, 0, sizeof(slab_pages));
	memset(misuse_counts, 0, sizeof(misuse_counts));
	nr_cpus = mm.booted ? mm.nr_cpus : (machine_built() ? machine_nr_cpus() : 1);
	nr_nodes = mm.booted ? mm.nr_nodes : (machine_built() ? machine_nr_nodes() : 1);
	if (nr_cpus < 1)
		nr_cpus = 1;
	if (nr_nodes < 1)
		nr_nodes = 1;
	for (int n = 0; n < MACHINE_MAX_NODES; n++)
		slab_node_ok[n] = n < nr_nodes &&
			(!mm.booted || (NODE_DATA(n) && NODE_DATA(n)->node_present_pages));
	slab_timing = cost_timing_on();
	slab_stats_register();
	rcu_init(NULL);

	/* The kmem_cache_cpu structures: one page per CPU on its node. */
	cpu_area = calloc((size_t)nr_cpus, sizeof(*cpu_area));
	if (!cpu_area)
		return -ENOMEM;
	for (int cpu = 0; cpu < nr_cpus; cpu++) {
		struct page *pg = alloc_pages_node(mm.booted ? mm.cpu_node[cpu] : 0,
						   GFP_KERNEL | __GFP_ZERO, 0);

		cpu_area[cpu] = pg ? page_address(pg) : 0;
		if (pg)
			page_set_owner(pg, PGTY_PERCPU, 0);
	}

	kmem_cache_node_cache = slab_create_cache("kmem_cache_node", KMEM_CACHE_NODE_STRUCT_SIZE,
						  0, SLAB_HWCACHE_ALIGN, NULL, &err);
	if (!kmem_cache_node_cache)
		return err;
	kmem_cache_cache = slab_create_cache("kmem_cache", KMEM_CACHE_STRUCT_SIZE(nr_nodes), 0,
					     SLAB_HWCACHE_ALIGN, NULL, &err);
	if (!kmem_cache_cache)
		return err;
	kmem_cache_node_cache->unmergeable = kmem_cache_cache->unmergeable = true;
	/* bootstrap() lists kmem_cache first, then kmem_cache_node (newest first). */
	slab_caches = kmem_cache_node_cache;
	kmem_cache_node_cache->list_next = kmem_cache_cache;
	kmem_cache_cache->list_next = NULL;
	/* bootstrap(): the two boot caches get their own objects. */
	for (int k = 0; k < 2; k++) {
		struct kmem_cache *s = k ? kmem_cache_cache : kmem_cache_node_cache;

		s->va = slab_alloc_node(kmem_cache_cache, GFP_KERNEL, NUMA_NO_NODE, &p);
		for (int n = 0; n < nr_nodes; n++)
			if (slab_node_ok[n])
				s->node[n].va = slab_alloc_node(kmem_cache_node_cache, GFP_KERNEL,
								n, &p);
	}
	slab_up = true;
	err = create_kmalloc_caches();
	if (err < 0) {
		slab_up = false;
		return err;
	}
	return 0;
}


void kmem_cache_shutdown(void)
{
	struct kmem_cache *s = slab_caches, *next;

	for (; s; s = next) {
		next = s->list_next;
		free(s->name);
		free(s->cpu_slab);
		free(s->node);
		free(s);
	}
	slab_caches = NULL;
	for (uint32_t i = 0; i < slab_nr_chunks; i++) {
		for (uint32_t k = 0; k < SLAB_CHUNK; k++)
			if (slab_chunks[i][k].used)
				slab_stack_put(&slab_chunks[i][k]);
		free(slab_chunks[i]);
	}
	free(slab_chunks);
	slab_chunks = NULL;
	slab_nr_chunks = slab_hwm = 0;
	slab_free_head = SLAB_NIL;
	for (int c = 0; c < NR_STACK_CLASSES; c++)
		while (stack_pool[c]) {
			void *m = stack_pool[c];

			stack_pool[c] = *(void **)m;
			free(m);
		}
	free(cpu_area);
	cpu_area = NULL;
	kmem_cache_cache = kmem_cache_node_cache = NULL;
	slab_up = false;
	rcu_shutdown();
	slab_common_reset();
}
