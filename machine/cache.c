/* SPDX-License-Identifier: MIT */
/*
 * machine/cache.c — set-associative caches and the machine's cache hierarchy.
 *
 * What it models
 *   - A generic array: sets × ways, set index = block & (sets-1), the tag is
 *     the whole block number (as cachegrind), true LRU through a per-array
 *     use clock (the victim is an invalid way, else the smallest stamp — the
 *     same victims as an MRU-ordered list), write-back and write-allocate.
 *   - The hierarchy: per-CPU L1D and L2, one LLC per node shared by the node's
 *     CPUs; any CPU caches any physical line (local or remote home) in its own
 *     node's LLC.
 *   - Coherence, MESI-like: a private line is either shared (S) or owned
 *     (CL_EXCL: E, or M with CL_DIRTY). The node's LLC line records which of
 *     the node's CPUs hold the line privately (a 64-bit sharer mask over the
 *     CPU's index within its node) and whether any other node may hold it
 *     (CL_EXCL clear). A write needs ownership: copies in other cores of the
 *     node are invalidated through the sharer mask, copies in other nodes by
 *     probing their LLCs (machines have few nodes). A read of a line owned
 *     elsewhere downgrades the owner to shared (its dirty data moves to its
 *     node's LLC). The result of an access says where the line came from;
 *     machine/cost.c turns that into latency.
 *
 * Invariants (cache_hier_check)
 *   - no duplicate tag in a set; stamps of valid lines unique and <= clock;
 *   - inclusion: L1D ⊆ L2 ⊆ own node's LLC; a CPU's sharer bit is set in the
 *     LLC line iff its L2 holds the line (nodes of <= 64 CPUs);
 *   - an owned private line: owned in L1D and L2 alike, its LLC line is
 *     node-exclusive and has exactly that CPU as sharer, and no other node's
 *     LLC holds the block.
 *
 * Simplified versus real Skylake-SP
 *   - The LLC is inclusive and doubles as the snoop filter; Skylake-SP's L3 is
 *     non-inclusive with a separate snoop filter. Evicting an LLC line
 *     back-invalidates the private copies.
 *   - All levels of the hierarchy use one line size (memsys_validate checks).
 *   - Writebacks from the LLC are handed to the cost model
 *     (cache_take_writeback), which sends them to DRAM as posted writes: they
 *     consume bandwidth and open rows but add no latency to the access.
 *   - Nodes of more than 64 CPUs alias sharer bits (idx & 63): invalidation
 *     probes every aliased CPU, and bits are never cleared on eviction.
 *   - No cache-line hashing across LLC slices: one set-indexed array per node.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cache.h"
#include "machine/machine.h"
#include "sim/log.h"
#include "sim/stats.h"

/* ---- the generic array ---------------------------------------------------- */

static bool is_pow2(uint64_t x) { return x && !(x & (x - 1)); }

static unsigned ilog2_u64(uint64_t x)
{
	unsigned r = 0;

	while (x >>= 1)
		r++;
	return r;
}

int cache_geom_check(const struct cache_geom *g, const char *what, char *err, size_t errlen)
{
	uint64_t sets;

	if (!g->line || !is_pow2(g->line) || g->line < 16) {
		snprintf(err, errlen, "%s: line size %u is not a power of two >= 16", what, g->line);
		return -EINVAL;
	}
	if (!g->size || g->size % g->line) {
		snprintf(err, errlen, "%s: size %llu is not a multiple of the line size %u",
			 what, (unsigned long long)g->size, g->line);
		return -EINVAL;
	}
	if (!g->ways || g->ways > g->size / g->line) {
		snprintf(err, errlen, "%s: associativity %u is not in 1..%llu (size/line)", what,
			 g->ways, (unsigned long long)(g->size / g->line));
		return -EINVAL;
	}
	if ((g->size / g->line) % g->ways) {
		snprintf(err, errlen, "%s: %llu lines do not divide into %u ways", what,
			 (unsigned long long)(g->size / g->line), g->ways);
		return -EINVAL;
	}
	sets = g->size / ((uint64_t)g->line * g->ways);
	if (!is_pow2(sets)) {
		snprintf(err, errlen, "%s: set count %llu is not a power of two "
			 "(size/(line*ways); keep the capacity with other ways, e.g. 36MiB as 18-way)",
			 what, (unsigned long long)sets);
		return -EINVAL;
	}
	if (sets > (1ULL << 32)) {
		snprintf(err, errlen, "%s: %llu sets is too many", what, (unsigned long long)sets);
		return -EINVAL;
	}
	return 0;
}

int cache_init(struct cache *c, const struct cache_geom *g, bool with_sharers)
{
	char err[160];
	size_t n;

	memset(c, 0, sizeof(*c));
	if (cache_geom_check(g, "cache", err, sizeof(err)))
		return -EINVAL;
	c->ways = g->ways;
	c->sets = (unsigned)(g->size / ((uint64_t)g->line * g->ways));
	c->set_mask = c->sets - 1;
	c->line_shift = ilog2_u64(g->line);
	c->hit_cycles = g->hit_cycles;
	n = (size_t)c->sets * c->ways;
	c->lines = calloc(n, sizeof(*c->lines));
	c->mru = calloc(c->sets, sizeof(*c->mru));
	if (!c->lines || !c->mru) {
		free(c->lines);
		free(c->mru);
		c->lines = NULL;
		c->mru = NULL;
		return -ENOMEM;
	}
	if (with_sharers) {
		c->sharers = calloc(n, sizeof(*c->sharers));
		if (!c->sharers) {
			free(c->lines);
			free(c->mru);
			c->lines = NULL;
			c->mru = NULL;
			return -ENOMEM;
		}
	}
	return 0;
}

void cache_free(struct cache *c)
{
	free(c->lines);
	free(c->sharers);
	free(c->mru);
	c->lines = NULL;
	c->sharers = NULL;
	c->mru = NULL;
}

void cache_flush(struct cache *c)
{
	size_t n = (size_t)c->sets * c->ways;

	if (!c->lines)
		return;
	memset(c->lines, 0, n * sizeof(*c->lines));
	memset(c->mru, 0, c->sets * sizeof(*c->mru));
	if (c->sharers)
		memset(c->sharers, 0, n * sizeof(*c->sharers));
	c->clock = 0;
}

struct cache_line *cache_fill(struct cache *c, uint64_t block, uint64_t flags,
			      uint64_t *victim, uint64_t *victim_sharers)
{
	size_t s = (size_t)(block & c->set_mask);
	struct cache_line *set = c->lines + s * c->ways;
	struct cache_line *v = &set[0];

	/* Invalid ways have stamp 0 (lines are invalidated with their stamp): the
	 * smallest stamp is the first invalid way, else the least recently used. */
	for (unsigned w = 1; w < c->ways; w++)
		if (set[w].stamp < v->stamp)
			v = &set[w];
	if (victim)
		*victim = v->tag & CL_VALID ? v->tag : 0;
	if (c->sharers) {
		uint64_t *sh = &c->sharers[v - c->lines];

		if (victim_sharers)
			*victim_sharers = v->tag & CL_VALID ? *sh : 0;
		*sh = 0;
	}
	v->tag = block << CL_SHIFT | CL_VALID | (flags & (CL_DIRTY | CL_EXCL));
	v->stamp = ++c->clock;
	c->mru[s] = (uint32_t)(v - set);
	return v;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int cache_array_check(const struct cache *c, const char *what)
{
	size_t n = (size_t)c->sets * c->ways, k = 0;
	uint64_t *stamps;

	if (!c->lines)
		return 0;
	for (unsigned s = 0; s < c->sets; s++) {
		const struct cache_line *set = c->lines + (size_t)s * c->ways;

		for (unsigned w = 0; w < c->ways; w++) {
			if (!(set[w].tag & CL_VALID)) {
				if (set[w].stamp) {
					sim_error("%s: set %u way %u invalid but stamped", what, s, w);
					return -1;
				}
				continue;
			}
			if (((set[w].tag >> CL_SHIFT) & c->set_mask) != s) {
				sim_error("%s: set %u way %u holds block %#llx of another set", what, s, w,
					  (unsigned long long)(set[w].tag >> CL_SHIFT));
				return -1;
			}
			if (set[w].stamp > c->clock || !set[w].stamp) {
				sim_error("%s: set %u way %u stamp beyond the clock", what, s, w);
				return -1;
			}
			for (unsigned x = w + 1; x < c->ways; x++) {
				if ((set[x].tag & CL_VALID) &&
				    (set[x].tag >> CL_SHIFT) == (set[w].tag >> CL_SHIFT)) {
					sim_error("%s: set %u holds block %#llx twice", what, s,
						  (unsigned long long)(set[w].tag >> CL_SHIFT));
					return -1;
				}
			}
		}
	}
	stamps = malloc(n * sizeof(*stamps));
	if (!stamps)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (c->lines[i].tag & CL_VALID)
			stamps[k++] = c->lines[i].stamp;
	qsort(stamps, k, sizeof(*stamps), cmp_u64);
	for (size_t i = 1; i < k; i++) {
		if (stamps[i] == stamps[i - 1]) {
			sim_error("%s: LRU stamp %llu used twice", what, (unsigned long long)stamps[i]);
			free(stamps);
			return -1;
		}
	}
	free(stamps);
	return 0;
}

/* ---- the hierarchy ----------------------------------------------------------- */

struct cpu_caches {
	struct cache l1, l2;
	int node;
	unsigned idx;                   /* index within the node */
	uint64_t bit;                   /* 1 << (idx & 63) */
};

struct node_caches {
	struct cache llc;
	int nr_cpus;
	int *cpus;                      /* by node-local index */
	bool aliased;                   /* more than 64 CPUs: sharer bits alias */
};

static uint64_t dummy_counter[16];

static struct {
	bool ready;
	int nr_cpus, nr_nodes;
	unsigned line_shift;
	struct cpu_caches *cpu;
	struct node_caches *node;
	unsigned hit_cycles[3];
	uint64_t *hits[3], *misses[3], *wbs[3];
	uint64_t *snoop_hits, *remote_hits, *invalidations, *upgrades;
	bool wb_pending;                /* an LLC writeback not yet sent to DRAM */
	uint64_t wb_block;
} H;

static uint64_t *counter(const char *name, const char *desc, int slot)
{
	uint64_t *p = stat_counter(name, "events", desc, STAT_SUMMARY);

	return p ? p : &dummy_counter[slot];
}

int cache_hier_init(const struct memsys_params *p, char *err, size_t errlen)
{
	static const char *const lvl[3] = { "L1D", "L2", "LLC" };
	char name[64];
	int rc = -ENOMEM;

	cache_hier_destroy();
	H.nr_cpus = machine_nr_cpus();
	H.nr_nodes = machine_nr_nodes();
	if (H.nr_cpus <= 0 || H.nr_nodes <= 0) {
		snprintf(err, errlen, "caches: the machine has no CPUs or nodes");
		return -EINVAL;
	}
	H.cpu = calloc((size_t)H.nr_cpus, sizeof(*H.cpu));
	H.node = calloc((size_t)H.nr_nodes, sizeof(*H.node));
	if (!H.cpu || !H.node)
		goto fail;
	H.line_shift = ilog2_u64(p->l1d.line);
	for (int n = 0; n < H.nr_nodes; n++) {
		struct node_caches *nd = &H.node[n];
		int cnt = node_cpus(n, NULL, 0);

		nd->nr_cpus = cnt;
		nd->aliased = cnt > 64;
		nd->cpus = calloc((size_t)(cnt > 0 ? cnt : 1), sizeof(int));
		if (!nd->cpus)
			goto fail;
		node_cpus(n, nd->cpus, cnt);
		for (int i = 0; i < cnt; i++) {
			int c = nd->cpus[i];

			if (c < 0 || c >= H.nr_cpus)
				continue;
			H.cpu[c].node = n;
			H.cpu[c].idx = (unsigned)i;
			H.cpu[c].bit = 1ULL << (i & 63);
		}
		/* Memory-only nodes have no CPU to use an LLC: skip the array. */
		if (cnt > 0 && cache_init(&nd->llc, &p->llc, true))
			goto fail;
	}
	for (int c = 0; c < H.nr_cpus; c++) {
		if (cpu_to_node(c) != H.cpu[c].node || !H.cpu[c].bit) {
			snprintf(err, errlen, "caches: cpu %d is not listed by its node %d", c,
				 cpu_to_node(c));
			rc = -EINVAL;
			goto fail;
		}
		if (cache_init(&H.cpu[c].l1, &p->l1d, false) || cache_init(&H.cpu[c].l2, &p->l2, false))
			goto fail;
	}
	H.hit_cycles[0] = p->l1d.hit_cycles;
	H.hit_cycles[1] = p->l2.hit_cycles;
	H.hit_cycles[2] = p->llc.hit_cycles;
	for (int l = 0; l < 3; l++) {
		snprintf(name, sizeof(name), "cache.%s.hits", lvl[l]);
		H.hits[l] = counter(name, "lookups that hit (all CPUs / nodes)", 3 * l);
		snprintf(name, sizeof(name), "cache.%s.misses", lvl[l]);
		H.misses[l] = counter(name, "lookups that missed", 3 * l + 1);
		snprintf(name, sizeof(name), "cache.%s.writebacks", lvl[l]);
		H.wbs[l] = counter(name, "dirty lines evicted to the next level", 3 * l + 2);
	}
	H.snoop_hits = counter("cache.snoop_hits", "lines supplied by another core's cache", 9);
	H.remote_hits = counter("cache.remote_hits", "lines found in another node's LLC", 10);
	H.invalidations = counter("cache.invalidations", "copies invalidated by a write elsewhere", 11);
	H.upgrades = counter("cache.upgrades", "writes to a shared line (ownership requests)", 12);
	H.ready = true;
	return 0;
fail:
	if (rc == -ENOMEM)
		snprintf(err, errlen, "caches: out of host memory");
	cache_hier_destroy();
	return rc;
}

void cache_hier_destroy(void)
{
	if (H.cpu)
		for (int c = 0; c < H.nr_cpus; c++) {
			cache_free(&H.cpu[c].l1);
			cache_free(&H.cpu[c].l2);
		}
	if (H.node)
		for (int n = 0; n < H.nr_nodes; n++) {
			cache_free(&H.node[n].llc);
			free(H.node[n].cpus);
		}
	free(H.cpu);
	free(H.node);
	memset(&H, 0, sizeof(H));
}

/* Invalidate @block in @cpu's L1D and L2. Return: whether a copy existed. */
static bool priv_kill(int cpu, uint64_t block, bool *dirty)
{
	struct cpu_caches *cc = &H.cpu[cpu];
	struct cache_line *l;
	bool found = false;

	if ((l = cache_find(&cc->l1, block, false))) {
		*dirty |= !!(l->tag & CL_DIRTY);
		l->tag = 0;
		l->stamp = 0;
		found = true;
	}
	if ((l = cache_find(&cc->l2, block, false))) {
		*dirty |= !!(l->tag & CL_DIRTY);
		l->tag = 0;
		l->stamp = 0;
		found = true;
	}
	return found;
}

/* Make @cpu's copy shared: clear owned and dirty. Return: whether it was owned. */
static bool priv_downgrade(int cpu, uint64_t block, bool *dirty)
{
	struct cpu_caches *cc = &H.cpu[cpu];
	struct cache_line *l;
	bool owned = false;

	if ((l = cache_find(&cc->l1, block, false))) {
		*dirty |= !!(l->tag & CL_DIRTY);
		owned |= !!(l->tag & CL_EXCL);
		l->tag &= ~(CL_DIRTY | CL_EXCL);
	}
	if ((l = cache_find(&cc->l2, block, false))) {
		*dirty |= !!(l->tag & CL_DIRTY);
		owned |= !!(l->tag & CL_EXCL);
		l->tag &= ~(CL_DIRTY | CL_EXCL);
	}
	return owned;
}

/*
 * Invalidate the private copies held by the node's CPUs in @mask except @self
 * (-1: none excepted). Dirty data moves into the LLC line @ll (if not NULL).
 * Return: the number of copies killed.
 */
static unsigned node_kill_mask(struct node_caches *nd, uint64_t mask, int self, uint64_t block,
			       bool *dirty)
{
	unsigned killed = 0;

	while (mask) {
		unsigned b = (unsigned)__builtin_ctzll(mask);

		mask &= mask - 1;
		for (int i = (int)b; i < nd->nr_cpus; i += 64) {
			int c = nd->cpus[i];

			if (c != self && priv_kill(c, block, dirty))
				killed++;
		}
	}
	return killed;
}

/* Write by @self: kill other copies of @block on its node. Return: any killed. */
static bool node_kill_others(struct node_caches *nd, struct cache_line *ll, int self, uint64_t block)
{
	uint64_t *sh = cache_line_sharers(&nd->llc, ll);
	uint64_t mask = nd->aliased ? *sh : *sh & ~H.cpu[self].bit;
	bool dirty = false;
	unsigned killed;

	if (!mask)
		return false;
	killed = node_kill_mask(nd, mask, self, block, &dirty);
	if (dirty)
		ll->tag |= CL_DIRTY;
	*sh &= H.cpu[self].bit;
	*H.invalidations += killed;
	return killed > 0;
}

/* Read by @self: downgrade an owner of @block on its node. Return: an owner existed. */
static bool node_downgrade_others(struct node_caches *nd, struct cache_line *ll, int self,
				  uint64_t block)
{
	uint64_t mask = *cache_line_sharers(&nd->llc, ll);
	bool dirty = false, owned = false;

	if (!nd->aliased && self >= 0)
		mask &= ~H.cpu[self].bit;
	while (mask) {
		unsigned b = (unsigned)__builtin_ctzll(mask);

		mask &= mask - 1;
		for (int i = (int)b; i < nd->nr_cpus; i += 64)
			if (nd->cpus[i] != self)
				owned |= priv_downgrade(nd->cpus[i], block, &dirty);
	}
	if (dirty)
		ll->tag |= CL_DIRTY;
	return owned;
}

/* Write by a CPU of @self_node: drop @block from every other node. Return: found. */
static bool remote_kill(int self_node, uint64_t block)
{
	bool found = false;

	for (int n = 0; n < H.nr_nodes; n++) {
		struct node_caches *nd = &H.node[n];
		struct cache_line *l;
		bool dirty = false;

		if (n == self_node || !nd->llc.lines)
			continue;
		l = cache_find(&nd->llc, block, false);
		if (!l)
			continue;
		*H.invalidations += 1 + node_kill_mask(nd, *cache_line_sharers(&nd->llc, l), -1,
						       block, &dirty);
		*cache_line_sharers(&nd->llc, l) = 0;
		l->tag = 0;
		l->stamp = 0;
		found = true;
	}
	return found;
}

/* Read by a CPU of @self_node: 0 no other node holds @block, 1 shared copies, 2 an owner. */
static int remote_downgrade(int self_node, uint64_t block)
{
	int found = 0;

	for (int n = 0; n < H.nr_nodes; n++) {
		struct node_caches *nd = &H.node[n];
		struct cache_line *l;

		if (n == self_node || !nd->llc.lines)
			continue;
		l = cache_find(&nd->llc, block, false);
		if (!l)
			continue;
		if (found < 1)
			found = 1;
		if (l->tag & CL_EXCL) {
			l->tag &= ~CL_EXCL;
			if (node_downgrade_others(nd, l, -1, block) || (l->tag & CL_DIRTY))
				found = 2;
		}
	}
	return found;
}

/* Ownership request for a line @cpu holds shared. Return: where it was served. */
static enum cache_level upgrade(int cpu, uint64_t block)
{
	struct cpu_caches *cc = &H.cpu[cpu];
	struct node_caches *nd = &H.node[cc->node];
	struct cache_line *ll = cache_find(&nd->llc, block, true);
	enum cache_level lvl = CACHE_HIT_LLC;

	(*H.upgrades)++;
	if (!ll)                        /* cannot happen with inclusion; be safe */
		return CACHE_HIT_LLC;
	if (node_kill_others(nd, ll, cpu, block))
		lvl = CACHE_HIT_SNOOP;
	if (!(ll->tag & CL_EXCL)) {
		if (remote_kill(cc->node, block))
			lvl = CACHE_HIT_REMOTE;
		ll->tag |= CL_EXCL;
	}
	*cache_line_sharers(&nd->llc, ll) = cc->bit;
	return lvl;
}

static void fill_l1(struct cpu_caches *cc, uint64_t block, uint64_t flags)
{
	uint64_t victim;

	cache_fill(&cc->l1, block, flags, &victim, NULL);
	if (victim & CL_DIRTY) {
		struct cache_line *l2 = cache_find(&cc->l2, victim >> CL_SHIFT, false);

		cc->l1.cnt.writebacks++;
		(*H.wbs[0])++;
		if (l2)
			l2->tag |= CL_DIRTY;
	}
}

static void fill_l2(struct cpu_caches *cc, uint64_t block, uint64_t flags)
{
	uint64_t victim, vblock;
	struct cache_line *l;
	bool dirty;

	cache_fill(&cc->l2, block, flags, &victim, NULL);
	if (!victim)
		return;
	vblock = victim >> CL_SHIFT;
	dirty = victim & CL_DIRTY;
	if ((l = cache_find(&cc->l1, vblock, false))) {         /* keep L1 ⊆ L2 */
		dirty |= !!(l->tag & CL_DIRTY);
		l->tag = 0;
		l->stamp = 0;
	}
	l = cache_find(&H.node[cc->node].llc, vblock, false);
	if (dirty) {
		cc->l2.cnt.writebacks++;
		(*H.wbs[1])++;
		if (l)
			l->tag |= CL_DIRTY;
	}
	if (l && !H.node[cc->node].aliased)
		*cache_line_sharers(&H.node[cc->node].llc, l) &= ~cc->bit;
}

static struct cache_line *fill_llc(struct node_caches *nd, uint64_t block, uint64_t flags)
{
	uint64_t victim, vsh;
	struct cache_line *l = cache_fill(&nd->llc, block, flags, &victim, &vsh);

	if (victim) {
		bool dirty = victim & CL_DIRTY;

		node_kill_mask(nd, vsh, -1, victim >> CL_SHIFT, &dirty);   /* back-invalidate */
		if (dirty) {
			nd->llc.cnt.writebacks++;
			(*H.wbs[2])++;
			H.wb_pending = true;
			H.wb_block = victim >> CL_SHIFT;
		}
	}
	return l;
}

enum cache_level cache_access(int cpu, phys_addr_t pa, bool write)
{
	struct cpu_caches *cc = &H.cpu[cpu];
	uint64_t block = pa >> H.line_shift;
	struct node_caches *nd;
	struct cache_line *l, *ll;
	enum cache_level lvl;
	uint64_t *sh;
	bool excl;

	l = cache_find(&cc->l1, block, true);
	if (l) {
		cc->l1.cnt.hits++;
		(*H.hits[0])++;
		if (!write)
			return CACHE_HIT_L1;
		if (l->tag & CL_EXCL) {
			l->tag |= CL_DIRTY;
			return CACHE_HIT_L1;
		}
		lvl = upgrade(cpu, block);
		l->tag |= CL_EXCL | CL_DIRTY;
		if ((l = cache_find(&cc->l2, block, false)))
			l->tag |= CL_EXCL;
		return lvl;
	}
	cc->l1.cnt.misses++;
	(*H.misses[0])++;

	l = cache_find(&cc->l2, block, true);
	if (l) {
		cc->l2.cnt.hits++;
		(*H.hits[1])++;
		lvl = CACHE_HIT_L2;
		if (write && !(l->tag & CL_EXCL)) {
			lvl = upgrade(cpu, block);
			l->tag |= CL_EXCL;
		}
		fill_l1(cc, block, (l->tag & CL_EXCL) | (write ? CL_DIRTY : 0));
		return lvl;
	}
	cc->l2.cnt.misses++;
	(*H.misses[1])++;

	nd = &H.node[cc->node];
	ll = cache_find(&nd->llc, block, true);
	if (ll) {
		nd->llc.cnt.hits++;
		(*H.hits[2])++;
		lvl = CACHE_HIT_LLC;
		sh = cache_line_sharers(&nd->llc, ll);
		if (write) {
			if (node_kill_others(nd, ll, cpu, block))
				lvl = CACHE_HIT_SNOOP;
			if (!(ll->tag & CL_EXCL)) {
				if (remote_kill(cc->node, block))
					lvl = CACHE_HIT_REMOTE;
				ll->tag |= CL_EXCL;
			}
			*sh = cc->bit;
			excl = true;
		} else {
			if (node_downgrade_others(nd, ll, cpu, block))
				lvl = CACHE_HIT_SNOOP;
			excl = (ll->tag & CL_EXCL) && !nd->aliased && !(*sh & ~cc->bit);
			*sh |= cc->bit;
		}
	} else {
		int found;

		nd->llc.cnt.misses++;
		(*H.misses[2])++;
		if (write) {
			found = remote_kill(cc->node, block) ? 2 : 0;
			excl = true;
		} else {
			found = remote_downgrade(cc->node, block);
			excl = found == 0;
		}
		lvl = found == 2 ? CACHE_HIT_REMOTE : CACHE_MISS;
		ll = fill_llc(nd, block, excl ? CL_EXCL : 0);
		*cache_line_sharers(&nd->llc, ll) = cc->bit;
	}
	if (lvl == CACHE_HIT_SNOOP)
		(*H.snoop_hits)++;
	else if (lvl == CACHE_HIT_REMOTE)
		(*H.remote_hits)++;
	fill_l2(cc, block, excl ? CL_EXCL : 0);
	fill_l1(cc, block, (excl ? CL_EXCL : 0) | (write ? CL_DIRTY : 0));
	return lvl;
}

bool cache_take_writeback(phys_addr_t *pa)
{
	if (!H.wb_pending)
		return false;
	H.wb_pending = false;
	*pa = H.wb_block << H.line_shift;
	return true;
}

unsigned cache_probe(int cpu, phys_addr_t pa)
{
	struct cpu_caches *cc;
	struct cache_line *l;
	uint64_t block;
	unsigned r = 0;

	if (!H.ready || cpu < 0 || cpu >= H.nr_cpus)
		return 0;
	cc = &H.cpu[cpu];
	block = pa >> H.line_shift;
	if ((l = cache_find(&cc->l1, block, false))) {
		r |= CACHE_PROBE_L1;
		if (l->tag & CL_EXCL)
			r |= CACHE_PROBE_EXCL;
		if (l->tag & CL_DIRTY)
			r |= CACHE_PROBE_DIRTY;
	}
	if ((l = cache_find(&cc->l2, block, false))) {
		r |= CACHE_PROBE_L2;
		if (l->tag & CL_EXCL)
			r |= CACHE_PROBE_EXCL;
		if (l->tag & CL_DIRTY)
			r |= CACHE_PROBE_DIRTY;
	}
	if (cache_find(&H.node[cc->node].llc, block, false))
		r |= CACHE_PROBE_LLC;
	return r;
}

void cache_cpu_counts(int cpu, enum cache_which which, struct cache_counts *out)
{
	memset(out, 0, sizeof(*out));
	if (!H.ready || cpu < 0 || cpu >= H.nr_cpus)
		return;
	if (which == CACHE_L1D)
		*out = H.cpu[cpu].l1.cnt;
	else if (which == CACHE_L2)
		*out = H.cpu[cpu].l2.cnt;
	else
		*out = H.node[H.cpu[cpu].node].llc.cnt;
}

void cache_level_counts(enum cache_which which, struct cache_counts *out)
{
	memset(out, 0, sizeof(*out));
	if (!H.ready || which > CACHE_LLC)
		return;
	out->hits = *H.hits[which];
	out->misses = *H.misses[which];
	out->writebacks = *H.wbs[which];
}

unsigned cache_hit_cycles(enum cache_which which)
{
	return which <= CACHE_LLC ? H.hit_cycles[which] : 0;
}

unsigned cache_line_size(void)
{
	return H.ready ? 1u << H.line_shift : 64;
}

void cache_flush_all(void)
{
	if (!H.ready)
		return;
	for (int c = 0; c < H.nr_cpus; c++) {
		cache_flush(&H.cpu[c].l1);
		cache_flush(&H.cpu[c].l2);
	}
	for (int n = 0; n < H.nr_nodes; n++)
		cache_flush(&H.node[n].llc);
}

static int check_cpu(int c)
{
	struct cpu_caches *cc = &H.cpu[c];
	struct node_caches *nd = &H.node[cc->node];
	struct cache *l1 = &cc->l1, *l2 = &cc->l2;

	for (size_t i = 0; i < (size_t)l1->sets * l1->ways; i++) {
		struct cache_line *a = &l1->lines[i], *b;

		if (!(a->tag & CL_VALID))
			continue;
		b = cache_find(l2, a->tag >> CL_SHIFT, false);
		if (!b) {
			sim_error("cache: cpu %d L1D line %#llx not in its L2 (inclusion)", c,
				  (unsigned long long)(a->tag >> CL_SHIFT));
			return -1;
		}
		if ((a->tag & CL_EXCL) != (b->tag & CL_EXCL)) {
			sim_error("cache: cpu %d line %#llx owned in one private level only", c,
				  (unsigned long long)(a->tag >> CL_SHIFT));
			return -1;
		}
	}
	for (size_t i = 0; i < (size_t)l2->sets * l2->ways; i++) {
		struct cache_line *a = &l2->lines[i], *ll;
		uint64_t block = a->tag >> CL_SHIFT, sh;

		if (!(a->tag & CL_VALID))
			continue;
		ll = cache_find(&nd->llc, block, false);
		if (!ll) {
			sim_error("cache: cpu %d L2 line %#llx not in node %d LLC (inclusion)", c,
				  (unsigned long long)block, cc->node);
			return -1;
		}
		sh = *cache_line_sharers(&nd->llc, ll);
		if (!(sh & cc->bit)) {
			sim_error("cache: cpu %d holds %#llx but is not a sharer", c,
				  (unsigned long long)block);
			return -1;
		}
		if (a->tag & CL_EXCL) {
			if (!(ll->tag & CL_EXCL) || (!nd->aliased && sh != cc->bit)) {
				sim_error("cache: cpu %d owns %#llx but the LLC line is shared", c,
					  (unsigned long long)block);
				return -1;
			}
		}
	}
	return 0;
}

int cache_hier_check(void)
{
	char what[48];

	if (!H.ready)
		return 0;
	for (int c = 0; c < H.nr_cpus; c++) {
		snprintf(what, sizeof(what), "cpu%d.L1D", c);
		if (cache_array_check(&H.cpu[c].l1, what))
			return -1;
		snprintf(what, sizeof(what), "cpu%d.L2", c);
		if (cache_array_check(&H.cpu[c].l2, what))
			return -1;
		if (check_cpu(c))
			return -1;
	}
	for (int n = 0; n < H.nr_nodes; n++) {
		struct node_caches *nd = &H.node[n];

		snprintf(what, sizeof(what), "node%d.LLC", n);
		if (cache_array_check(&nd->llc, what))
			return -1;
		for (size_t i = 0; nd->llc.lines && i < (size_t)nd->llc.sets * nd->llc.ways; i++) {
			struct cache_line *a = &nd->llc.lines[i];
			uint64_t block = a->tag >> CL_SHIFT, sh = nd->llc.sharers[i];

			if (!(a->tag & CL_VALID))
				continue;
			if (!nd->aliased) {
				for (int k = 0; k < nd->nr_cpus; k++) {
					bool has = cache_find(&H.cpu[nd->cpus[k]].l2, block, false);

					if (has != !!(sh & (1ULL << k))) {
						sim_error("%s: line %#llx sharer bit of cpu %d is %d, L2 copy %d",
							  what, (unsigned long long)block, nd->cpus[k],
							  !!(sh & (1ULL << k)), has);
						return -1;
					}
				}
			}
			if (!(a->tag & CL_EXCL))
				continue;
			for (int m = 0; m < H.nr_nodes; m++) {
				if (m != n && H.node[m].llc.lines &&
				    cache_find(&H.node[m].llc, block, false)) {
					sim_error("%s: line %#llx node-exclusive but node %d holds it",
						  what, (unsigned long long)block, m);
					return -1;
				}
			}
		}
	}
	return 0;
}
