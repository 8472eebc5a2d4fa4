/* SPDX-License-Identifier: MIT */
/*
 * machine/cache.h — set-associative caches: the generic array (true LRU,
 * write-back, write-allocate), the machine's hierarchy (per-CPU L1D and L2,
 * per-node shared LLC with a MESI-like ownership protocol), and the
 * cachegrind-compatible trace simulator behind `mmsim cachesim`.
 *
 * Statistics: registered in the stats registry *aggregated per level* (over
 * all CPUs for L1D and L2, all nodes for the LLC): cache.L1D.{hits,misses,writebacks},
 * cache.L2.*, cache.LLC.*, plus cache.snoop_hits (a line supplied by another
 * core's private cache), cache.remote_hits (by another node's LLC) and
 * cache.invalidations (private or remote copies killed by a write).
 * Per-CPU figures are kept in the arrays too (cache_cpu_counts()).
 */
#ifndef MMSIM_MACHINE_CACHE_H
#define MMSIM_MACHINE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "machine/memsys.h"

/* ---- the generic array ---------------------------------------------------- */

/* Line flags, kept in the low bits of cache_line.tag (the block number is above). */
#define CL_VALID  1ULL
#define CL_DIRTY  2ULL                 /* modified relative to the next level */
#define CL_EXCL   4ULL                 /* private: owned (E/M); LLC: no other node holds it */
#define CL_FLAGS  7ULL
#define CL_SHIFT  3

struct cache_line {
	uint64_t tag;                   /* block << CL_SHIFT | flags; 0 = invalid */
	uint64_t stamp;                 /* LRU: last-use clock, unique within the cache */
};

struct cache_counts {
	uint64_t hits, misses, writebacks;
};

/*
 * One set-associative array. Set index = block & (sets - 1), the tag is the
 * whole block number (cachegrind's convention). True LRU: each line carries
 * the value of a per-cache clock at its last use; the victim is an invalid
 * way or the smallest stamp.
 */
struct cache {
	unsigned sets, ways, line_shift;
	uint64_t set_mask;
	unsigned hit_cycles;
	uint64_t clock;
	struct cache_line *lines;       /* sets * ways */
	uint32_t *mru;                  /* per set: the way used last (a search hint) */
	uint64_t *sharers;              /* LLC only: per line, CPUs (node-local index & 63) holding it */
	struct cache_counts cnt;        /* this array's own counts */
};

/**
 * cache_geom_check() - cachegrind's rules: line a power of two >= 16, ways in
 * 1..size/line, set count size/(line*ways) a power of two (and exact).
 * @what: name for the message ("l2", "--D1").
 * Return: 0, or -EINVAL with "what: reason" in @err.
 */
int cache_geom_check(const struct cache_geom *g, const char *what, char *err, size_t errlen);
/** cache_init() - allocate an empty array (host memory: 16 B per line, +8 with sharers). */
int cache_init(struct cache *c, const struct cache_geom *g, bool with_sharers);
void cache_free(struct cache *c);
/** cache_flush() - invalidate every line (no writebacks counted). */
void cache_flush(struct cache *c);

static inline uint64_t cache_block(const struct cache *c, uint64_t addr)
{
	return addr >> c->line_shift;
}

/**
 * cache_find() - the valid line holding @block, or NULL. @touch: make it MRU.
 * Hot path: a scan of one set.
 */
static inline struct cache_line *cache_find(struct cache *c, uint64_t block, bool touch)
{
	size_t s = (size_t)(block & c->set_mask);
	struct cache_line *set = c->lines + s * c->ways;
	uint64_t want = block << CL_SHIFT | CL_VALID;
	unsigned h = c->mru[s];

	if ((set[h].tag & ~(CL_DIRTY | CL_EXCL)) == want) {
		if (touch)
			set[h].stamp = ++c->clock;
		return &set[h];
	}
	for (unsigned w = 0; w < c->ways; w++) {
		if ((set[w].tag & ~(CL_DIRTY | CL_EXCL)) == want) {
			if (touch) {
				set[w].stamp = ++c->clock;
				c->mru[s] = w;
			}
			return &set[w];
		}
	}
	return NULL;
}

/**
 * cache_fill() - install @block (which must be absent) as MRU with @flags,
 * evicting the LRU way of its set if the set is full.
 * @victim: receives the evicted line's tag (0 if an invalid way was used);
 * @victim_sharers: its sharer mask (LLC), may be NULL.
 * Return: the new line.
 */
struct cache_line *cache_fill(struct cache *c, uint64_t block, uint64_t flags,
			      uint64_t *victim, uint64_t *victim_sharers);

/** cache_line_sharers() - the sharer mask word of @l (array with sharers only). */
static inline uint64_t *cache_line_sharers(struct cache *c, struct cache_line *l)
{
	return &c->sharers[l - c->lines];
}

/** cache_ref_is_miss() - cachegrind's set reference: look up, fill on miss. */
static inline bool cache_ref_is_miss(struct cache *c, uint64_t block)
{
	if (cache_find(c, block, true))
		return false;
	cache_fill(c, block, 0, NULL, NULL);
	return true;
}

/** cache_array_check() - no duplicate tags in a set, stamps unique and <= clock. 0 or -1. */
int cache_array_check(const struct cache *c, const char *what);

/* ---- the machine's hierarchy ------------------------------------------------ */

enum cache_level {
	CACHE_HIT_L1,                   /* private L1D */
	CACHE_HIT_L2,                   /* private L2 */
	CACHE_HIT_LLC,                  /* the node's LLC (also: ownership upgrade served there) */
	CACHE_HIT_SNOOP,                /* from another core's private cache on this node */
	CACHE_HIT_REMOTE,               /* from another node's LLC (cross-socket snoop) */
	CACHE_MISS,                     /* from DRAM on the home node */
	CACHE_NR_LEVELS
};

enum cache_which { CACHE_L1D, CACHE_L2, CACHE_LLC };

/**
 * cache_hier_init() - per-CPU L1D/L2 and per-node LLC for the built topology.
 * Registers the aggregated counters. Return 0, -EINVAL (message) or -ENOMEM.
 */
int cache_hier_init(const struct memsys_params *p, char *err, size_t errlen);
void cache_hier_destroy(void);

/**
 * cache_access() - CPU @cpu reads or writes the line holding physical address
 * @pa: functional update of every level (LRU, fills, evictions, writebacks,
 * ownership: a write invalidates copies in other cores and nodes, a read
 * downgrades an owner to shared). Does not charge time.
 * Return: where the line came from (the cost model turns it into latency).
 */
enum cache_level cache_access(int cpu, phys_addr_t pa, bool write);

/**
 * cache_take_writeback() - the LLC writeback the last cache_access() caused
 * (at most one: one LLC fill per access), for the DRAM model. Return: false if none.
 */
bool cache_take_writeback(phys_addr_t *pa);

/**
 * cache_probe() - where @cpu's hierarchy holds @pa, without changing anything:
 * bit 0 L1D, bit 1 L2, bit 2 its node's LLC; bit 3 if the private copy is owned
 * (E/M), bit 4 if it is dirty in L1D or L2.
 */
unsigned cache_probe(int cpu, phys_addr_t pa);
#define CACHE_PROBE_L1   1u
#define CACHE_PROBE_L2   2u
#define CACHE_PROBE_LLC  4u
#define CACHE_PROBE_EXCL 8u
#define CACHE_PROBE_DIRTY 16u

/** cache_cpu_counts() - counts of @cpu's L1D / L2, or of @cpu's node LLC. */
void cache_cpu_counts(int cpu, enum cache_which which, struct cache_counts *out);
/** cache_level_counts() - the aggregated counts of a level (as in the registry). */
void cache_level_counts(enum cache_which which, struct cache_counts *out);
unsigned cache_hit_cycles(enum cache_which which);
unsigned cache_line_size(void);
/** cache_flush_all() - empty every cache (tests, warm-up boundaries). */
void cache_flush_all(void);
/** cache_hier_check() - arrays valid, inclusion L1 ⊆ L2 ⊆ LLC, owners consistent. 0 or -1. */
int cache_hier_check(void);

/* ---- cachegrind-compatible trace simulator (mmsim cachesim) ------------------ */

/*
 * Cachegrind's model (timing-defaults.md §6): I1, D1 and a unified LL; LL is
 * looked up only on an L1 miss; an access straddling two lines is one access,
 * a miss if either line misses; write-allocate; modify counts as a read; no
 * writebacks are counted.
 */
struct cachesim {
	struct cache i1, d1, ll;
	uint64_t ir, i1mr, ilmr;
	uint64_t dr, d1mr, dlmr;
	uint64_t dw, d1mw, dlmw;
	uint64_t straddle_warnings;     /* accesses spanning more than two lines (ignored) */
};

enum cachesim_op { CACHESIM_INSTR, CACHESIM_LOAD, CACHESIM_STORE, CACHESIM_MODIFY };

int cachesim_init(struct cachesim *s, const struct cache_geom *i1, const struct cache_geom *d1,
		  const struct cache_geom *ll, char *err, size_t errlen);
void cachesim_free(struct cachesim *s);
void cachesim_ref(struct cachesim *s, enum cachesim_op op, uint64_t addr, unsigned size);
/**
 * cachesim_parse_line() - one lackey line: "I  addr,size", " L addr,size",
 * " S addr,size", " M addr,size"; "==pid==" lines and blank lines are skipped.
 * Return: 1 if an access was parsed (*op, *addr, *size), 0 for a skipped line,
 * -1 if malformed (a message "expected ..." in @err).
 */
int cachesim_parse_line(const char *line, enum cachesim_op *op, uint64_t *addr,
			unsigned *size, char *err, size_t errlen);
/**
 * cachesim_run_file() - replay a lackey trace from @f (@name for messages).
 * Return: 0, or -1 with "name:line: expected ..." in @err.
 */
int cachesim_run_file(struct cachesim *s, FILE *f, const char *name, char *err, size_t errlen);
/** cachesim_print() - the nine counters in cachegrind's summary layout. */
void cachesim_print(const struct cachesim *s, FILE *out);
/**
 * cachesim_parse_geom() - "size,assoc,line" as cachegrind's --I1/--D1/--LL take it.
 * Return: 0 or -1 with a message.
 */
int cachesim_parse_geom(const char *s, struct cache_geom *g, char *err, size_t errlen);

#endif /* MMSIM_MACHINE_CACHE_H */
