/* SPDX-License-Identifier: MIT */
/*
 * traces/internal.h — internals shared by the traces/ C files (nothing outside traces/
 * includes this).
 *
 * ptab: open-addressing hash table from a traced 64-bit value (a slab pointer,
 * or pfn + 1 for pages) to a 32-bit value and a 32-bit aux word. Linear
 * probing, Fibonacci hashing of the 64-bit key (no string hashing), key 0
 * marks an empty bucket, so callers never insert 0. Entries are never
 * deleted: a freed object keeps its entry with a "freed" state so a second
 * free is recognised as a double free; a new allocation at the same address
 * overwrites it. The table doubles at 60 % load.
 */
#ifndef MMSIM_TRACES_INTERNAL_H
#define MMSIM_TRACES_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include "traces/trace.h"

struct ptab_ent {
	uint64_t key;
	uint32_t val;
	uint32_t aux;
};

struct ptab {
	struct ptab_ent *ent;
	uint64_t mask;                 /* buckets - 1 */
	uint64_t used;
	int shift;                     /* 64 - log2(buckets) */
};

static inline uint64_t ptab_bucket(const struct ptab *t, uint64_t key)
{
	return (key * 0x9e3779b97f4a7c15ull) >> t->shift;
}

/** ptab_init() - @log2 buckets to start with (≥ 4). Return 0 or -ENOMEM. */
static inline int ptab_init(struct ptab *t, int log2)
{
	if (log2 < 4)
		log2 = 4;
	t->ent = calloc((size_t)1 << log2, sizeof(*t->ent));
	t->mask = ((uint64_t)1 << log2) - 1;
	t->used = 0;
	t->shift = 64 - log2;
	return t->ent ? 0 : -12;
}

static inline void ptab_free(struct ptab *t)
{
	free(t->ent);
	t->ent = NULL;
	t->used = 0;
}

/** ptab_find() - the entry of @key, or NULL. */
static inline struct ptab_ent *ptab_find(const struct ptab *t, uint64_t key)
{
	uint64_t i = ptab_bucket(t, key);

	for (;;) {
		struct ptab_ent *e = &t->ent[i];

		if (e->key == key)
			return e;
		if (!e->key)
			return NULL;
		i = (i + 1) & t->mask;
	}
}

static inline int ptab_grow(struct ptab *t)
{
	struct ptab old = *t;

	if (ptab_init(t, 64 - old.shift + 1) < 0) {
		*t = old;
		return -12;
	}
	for (uint64_t i = 0; i <= old.mask; i++) {
		if (!old.ent[i].key)
			continue;
		uint64_t j = ptab_bucket(t, old.ent[i].key);

		while (t->ent[j].key)
			j = (j + 1) & t->mask;
		t->ent[j] = old.ent[i];
		t->used++;
	}
	free(old.ent);
	return 0;
}

/**
 * ptab_get() - the entry of @key, inserted (val = aux = 0, *@fresh = true) if
 * absent. Return NULL only when growing the table failed.
 */
static inline struct ptab_ent *ptab_get(struct ptab *t, uint64_t key, bool *fresh)
{
	uint64_t i;

	if ((t->used + 1) * 10 > (t->mask + 1) * 6 && ptab_grow(t) < 0)
		return NULL;
	i = ptab_bucket(t, key);
	for (;;) {
		struct ptab_ent *e = &t->ent[i];

		if (e->key == key) {
			*fresh = false;
			return e;
		}
		if (!e->key) {
			e->key = key;
			e->val = 0;
			e->aux = 0;
			t->used++;
			*fresh = true;
			return e;
		}
		i = (i + 1) & t->mask;
	}
}

/** ptab_check() - every key reachable from its bucket without crossing an empty one. */
static inline int ptab_check(const struct ptab *t)
{
	uint64_t n = 0;

	for (uint64_t i = 0; i <= t->mask; i++) {
		if (!t->ent[i].key)
			continue;
		n++;
		if (ptab_find(t, t->ent[i].key) != &t->ent[i])
			return -1;
	}
	return n == t->used ? 0 : -1;
}

/* Slab-allocation events (any spelling) and frees. */
static inline bool tev_is_slab_alloc(enum tev t)
{
	return t == TEV_KMALLOC || t == TEV_KMALLOC_NODE || t == TEV_KMEM_CACHE_ALLOC ||
	       t == TEV_KMEM_CACHE_ALLOC_NODE;
}

static inline bool tev_is_cache_alloc(enum tev t)
{
	return t == TEV_KMEM_CACHE_ALLOC || t == TEV_KMEM_CACHE_ALLOC_NODE;
}

#endif /* MMSIM_TRACES_INTERNAL_H */
