// SPDX-License-Identifier: MIT
/*
 * mm/lru.c — user pages' owner table (the model's rmap) and the per-node LRU
 * lists (lruvecs), the page-flag transitions reclaim relies on, and the page
 * migration interface compaction uses.
 *
 * Model: every user page (anon or page cache) is an order-0 page tagged
 * PGTY_ANON / PGTY_FILE whose owner datum indexes struct upage: the page's
 * owner ((mm id, vpn) or (file id, index)), LRU links, flags (PG_active,
 * PG_referenced, PG_dirty, PG_writeback, PG_reclaim, swap cache, pte young)
 * and its swap slot. One pgdat has one lruvec (no memcg) with the five LRU
 * lists of 6.1; the head is the young end, the tail the old end (reclaim
 * isolates from the tail, like list_add + lru_to_folio).
 *
 * Invariants (lru_check): list lengths equal the counters, node and zone
 * NR_*_ANON/FILE equal the list contents, every LRU page's upage points back
 * at a page of the right type, isolated pages are on no list.
 *
 * Reference counting: the owner (pte or page-cache slot, or the swap cache for
 * an unmapped anon page) holds one reference; isolation takes another. An
 * owner that lets go of an isolated page or one under writeback marks it
 * UP_ORPHAN and drops its reference; whoever holds the page frees it.
 *
 * Simplified vs 6.1: no MGLRU (off by default in 6.1), no memcg, no
 * pagevecs (pages reach the LRU at once), no unevictable/mlock users.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "mm/reclaim_internal.h"
#include "machine/cost.h"

struct reclaim_state_g rs;

#define CYC_MIGRATE 1200        /* [U] migrate_folio_unmap + move_to_new_folio + remove_migration_ptes */
#define CYC_TLB_SHOOTDOWN 800   /* [U] flush_tlb_page with a remote IPI for a user mapping */

int lru_init(void)
{
	for (int n = 0; n < MACHINE_MAX_NODES; n++) {
		struct lruvec *l = &rs.lruvec[n];
		memset(l, 0, sizeof(*l));
		for (int i = 0; i < NR_LRU_LISTS; i++)
			l->head[i] = l->tail[i] = UP_NONE;
	}
	rs.nr_up = 0;
	rs.free_up = UP_NONE;
	rs.used_up = 0;
	return 0;
}

void lru_shutdown(void)
{
	free(rs.up);
	rs.up = NULL;
	rs.nr_up = rs.cap_up = 0;
	rs.free_up = UP_NONE;
	rs.used_up = 0;
}

uint32_t upage_alloc(struct page *page, bool anon, uint32_t owner, uint32_t index)
{
	uint32_t i;
	struct upage *u;

	if (rs.free_up != UP_NONE) {
		i = rs.free_up;
		rs.free_up = rs.up[i].next;
	} else {
		if (rs.nr_up == rs.cap_up) {
			/* amortised growth: not a hot-path cost in the steady state */
			uint32_t cap = rs.cap_up ? rs.cap_up * 2 : 4096;
			struct upage *n = realloc(rs.up, (size_t)cap * sizeof(*n));
			if (!n)
				return UP_NONE;
			rs.up = n;
			rs.cap_up = cap;
		}
		i = rs.nr_up++;
	}
	u = &rs.up[i];
	memset(u, 0, sizeof(*u));
	u->pfn = (uint32_t)page_to_pfn(page);
	u->prev = u->next = UP_NONE;
	u->owner = owner;
	u->index = index;
	u->slot = UP_NONE;
	u->flags = anon ? UP_ANON : 0;
	u->lru = NR_LRU_LISTS;
	u->nid = (uint8_t)page_to_nid(page);
	page_set_owner(page, anon ? PGTY_ANON : PGTY_FILE, i);
	rs.used_up++;
	return i;
}

void upage_free(uint32_t idx)
{
	struct upage *u = &rs.up[idx];

	u->flags = 0;
	u->pfn = UP_NONE;
	u->owner = UP_NONE;
	u->next = rs.free_up;
	rs.free_up = idx;
	rs.used_up--;
}

int lru_of(const struct upage *u)
{
	int lru = (u->flags & UP_ANON) ? LRU_INACTIVE_ANON : LRU_INACTIVE_FILE;
	return lru + ((u->flags & UP_ACTIVE) ? 1 : 0);
}

void zone_lru_mod(struct page *page, int lru, long d)
{
	struct zone *z = page_zone(page);

	__mod_zone_page_state(z, (enum zone_stat_item)(NR_ZONE_LRU_BASE + lru), d);
	mod_node_page_state(z->zone_pgdat, (enum node_stat_item)(NR_INACTIVE_ANON + lru), d);
	rs.lruvec[z->node].nr_zone[lru][z->idx] += (unsigned long)d;
}

void lru_add(uint32_t idx, int lru, bool tail)
{
	struct upage *u = &rs.up[idx];
	struct lruvec *l = &rs.lruvec[u->nid];

	u->lru = (uint8_t)lru;
	u->flags |= UP_LRU;
	if (tail) {
		u->next = UP_NONE;
		u->prev = l->tail[lru];
		if (l->tail[lru] != UP_NONE)
			rs.up[l->tail[lru]].next = idx;
		else
			l->head[lru] = idx;
		l->tail[lru] = idx;
	} else {
		u->prev = UP_NONE;
		u->next = l->head[lru];
		if (l->head[lru] != UP_NONE)
			rs.up[l->head[lru]].prev = idx;
		else
			l->tail[lru] = idx;
		l->head[lru] = idx;
	}
	l->nr[lru]++;
	zone_lru_mod(up_page(u), lru, 1);
}

void lru_del(uint32_t idx)
{
	struct upage *u = &rs.up[idx];
	struct lruvec *l = &rs.lruvec[u->nid];
	int lru = u->lru;

	if (u->prev != UP_NONE)
		rs.up[u->prev].next = u->next;
	else
		l->head[lru] = u->next;
	if (u->next != UP_NONE)
		rs.up[u->next].prev = u->prev;
	else
		l->tail[lru] = u->prev;
	u->prev = u->next = UP_NONE;
	u->flags &= (uint16_t)~UP_LRU;
	u->lru = NR_LRU_LISTS;
	l->nr[lru]--;
	zone_lru_mod(up_page(u), lru, -1);
}

void lru_cache_add(uint32_t idx)
{
	struct upage *u = &rs.up[idx];

	u->flags &= (uint16_t)~UP_ACTIVE;
	lru_add(idx, lru_of(u), false);
}

void mark_page_accessed(uint32_t idx)
{
	struct upage *u = &rs.up[idx];

	if (!(u->flags & UP_REFERENCED)) {
		u->flags |= UP_REFERENCED;
		return;
	}
	if ((u->flags & UP_LRU) && !(u->flags & UP_ACTIVE)) {
		/* folio_activate: second reference of an inactive page */
		lru_del(idx);
		u->flags |= UP_ACTIVE;
		u->flags &= (uint16_t)~UP_REFERENCED;
		lru_add(idx, lru_of(u), false);
		count_vm_event(PGACTIVATE);
	}
}

void up_set_dirty(uint32_t idx, bool dirty)
{
	struct upage *u = &rs.up[idx];
	struct page *pg = up_page(u);
	struct zone *z = page_zone(pg);

	if (!!(u->flags & UP_DIRTY) == dirty)
		return;
	if (dirty)
		u->flags |= UP_DIRTY;
	else
		u->flags &= (uint16_t)~UP_DIRTY;
	if (!(u->flags & UP_ANON)) {
		long d = dirty ? 1 : -1;
		mod_node_page_state(z->zone_pgdat, NR_FILE_DIRTY, d);
		__mod_zone_page_state(z, NR_ZONE_WRITE_PENDING, d);
		if (dirty)
			mod_node_page_state(z->zone_pgdat, NR_DIRTIED, 1);
	}
}

void up_set_writeback(uint32_t idx, bool wb)
{
	struct upage *u = &rs.up[idx];
	struct page *pg = up_page(u);
	struct zone *z = page_zone(pg);
	long d = wb ? 1 : -1;

	if (wb) {
		u->flags |= UP_WRITEBACK;
		get_page(pg);           /* writeback holds the page (dropped in writeback_done) */
	} else {
		u->flags &= (uint16_t)~UP_WRITEBACK;
	}
	mod_node_page_state(z->zone_pgdat, NR_WRITEBACK, d);
	__mod_zone_page_state(z, NR_ZONE_WRITE_PENDING, d);
	if (!wb)
		mod_node_page_state(z->zone_pgdat, NR_WRITTEN, 1);
}

/* Free an owner-less page: drop the table entry and the last reference. */
static void free_orphan(uint32_t idx)
{
	struct page *pg = up_page(&rs.up[idx]);

	upage_free(idx);
	put_page(pg);
}

void release_user_page(uint32_t idx)
{
	struct upage *u = &rs.up[idx];
	struct page *pg = up_page(u);

	if (u->flags & (UP_ISOLATED | UP_WRITEBACK)) {
		/* somebody else holds it: they free it when done */
		u->flags |= UP_ORPHAN;
		u->flags &= (uint16_t)~(UP_MAPPED | UP_SWAPCACHE);
		if (u->flags & UP_LRU)
			lru_del(idx);
		put_page(pg);
		return;
	}
	if (u->flags & UP_LRU)
		lru_del(idx);
	free_orphan(idx);
}

/*
 * writeback_done() - end_page_writeback: clear PG_writeback; a page marked
 * PG_reclaim rotates to the tail of its inactive list for immediate reclaim
 * (pgrotated); an orphan is freed.
 */
void writeback_done(uint32_t idx)
{
	struct upage *u = &rs.up[idx];
	struct page *pg = up_page(u);
	int nid = u->nid;

	up_set_writeback(idx, false);
	if (u->flags & UP_ORPHAN) {
		if (!(u->flags & UP_ISOLATED))
			upage_free(idx);
	} else if ((u->flags & UP_RECLAIM) && (u->flags & UP_LRU) && !(u->flags & UP_ACTIVE)) {
		u->flags &= (uint16_t)~UP_RECLAIM;
		lru_del(idx);
		lru_add(idx, lru_of(u), true);
		++*vc.pgrotated;
	} else if (!(u->flags & UP_ACTIVE)) {
		u->flags &= (uint16_t)~UP_RECLAIM;
	}
	put_page(pg);                   /* the writeback reference */
	if (rs.writeback_ev[nid])
		sim_event_notify(rs.writeback_ev[nid], 0);
	if (rs.dirty_ev)
		sim_event_notify(rs.dirty_ev, 0);
}

/* --- compaction interface ---------------------------------------------------------- */

static bool is_user_page(struct page *page)
{
	enum page_type t;

	if (PageBuddy(page) || PageTail(page) || page_ref_count(page) <= 0)
		return false;
	t = page_type(page);
	if (t != PGTY_ANON && t != PGTY_FILE)
		return false;
	return page_owner_data(page) < rs.nr_up && rs.up[page_owner_data(page)].pfn == page_to_pfn(page);
}

bool page_is_migratable(struct page *page)
{
	struct upage *u;

	if (!rs.inited || !is_user_page(page))
		return false;
	u = page_up(page);
	return (u->flags & UP_LRU) && !(u->flags & (UP_WRITEBACK | UP_ISOLATED | UP_ORPHAN));
}

int isolate_movable_page(struct page *page)
{
	uint32_t idx;
	struct upage *u;

	if (!page_is_migratable(page))
		return -EBUSY;
	idx = page_up_idx(page);
	u = &rs.up[idx];
	lru_del(idx);
	u->flags |= UP_ISOLATED;
	get_page(page);
	mod_node_page_state(NODE_DATA(u->nid), (u->flags & UP_ANON) ? NR_ISOLATED_ANON : NR_ISOLATED_FILE, 1);
	return 0;
}

void putback_movable_page(struct page *page)
{
	uint32_t idx = page_up_idx(page);
	struct upage *u = &rs.up[idx];

	mod_node_page_state(NODE_DATA(u->nid), (u->flags & UP_ANON) ? NR_ISOLATED_ANON : NR_ISOLATED_FILE, -1);
	u->flags &= (uint16_t)~UP_ISOLATED;
	if (u->flags & UP_ORPHAN) {
		if (!(u->flags & UP_WRITEBACK))
			upage_free(idx);
		put_page(page);
		return;
	}
	lru_add(idx, lru_of(u), false);
	put_page(page);
}

int migrate_movable_page(struct page *old, struct page *newpage)
{
	uint32_t idx = page_up_idx(old);
	struct upage *u = &rs.up[idx];
	bool anon = u->flags & UP_ANON;
	int isolated_item = anon ? NR_ISOLATED_ANON : NR_ISOLATED_FILE;

	if (!(u->flags & UP_ISOLATED) || (u->flags & (UP_WRITEBACK | UP_ORPHAN)) ||
	    (!anon && (u->flags & UP_DIRTY)))
		return -EAGAIN;
	sim_atomic_begin();
	/* move the mapping: pte (anon) or the page-cache slot (the slot stores idx) */
	if (anon && (u->flags & UP_MAPPED)) {
		struct mm_struct *mm = mm_of_id(u->owner);
		uint32_t *pte = mm ? pte_of(mm, u->index) : NULL;
		if (pte)
			*pte = mk_pte(page_to_pfn(newpage));
	}
	mod_node_page_state(NODE_DATA(u->nid), (enum node_stat_item)isolated_item, -1);
	/* per-node / per-zone counters follow the page */
	{
		struct zone *oz = page_zone(old), *nz = page_zone(newpage);
		if (anon) {
			if (u->flags & UP_MAPPED) {
				mod_node_page_state(oz->zone_pgdat, NR_ANON_MAPPED, -1);
				mod_node_page_state(nz->zone_pgdat, NR_ANON_MAPPED, 1);
			}
		} else {
			mod_node_page_state(oz->zone_pgdat, NR_FILE_PAGES, -1);
			mod_node_page_state(nz->zone_pgdat, NR_FILE_PAGES, 1);
		}
		if (u->flags & UP_SWAPCACHE) {
			mod_node_page_state(oz->zone_pgdat, NR_SWAPCACHE, -1);
			mod_node_page_state(nz->zone_pgdat, NR_SWAPCACHE, 1);
			mod_node_page_state(oz->zone_pgdat, NR_FILE_PAGES, -1);
			mod_node_page_state(nz->zone_pgdat, NR_FILE_PAGES, 1);
		}
	}
	u->pfn = (uint32_t)page_to_pfn(newpage);
	u->nid = (uint8_t)page_to_nid(newpage);
	u->flags &= (uint16_t)~UP_ISOLATED;
	page_set_owner(newpage, anon ? PGTY_ANON : PGTY_FILE, idx);
	lru_add(idx, lru_of(u), false);
	/* the old page: drop the isolation and the owner's references (the last frees it) */
	page_set_owner(old, PGTY_KERNEL, 0);
	put_page(old);
	put_page(old);
	cost_cycles(CYC_MIGRATE);
	mem_copy_phys(page_to_phys(newpage), page_to_phys(old), PAGE_SIZE);
	if (anon)
		cost_cycles(CYC_TLB_SHOOTDOWN);
	sim_atomic_end();
	return 0;
}

int lru_check(void)
{
	unsigned long seen = 0;

	for (int n = 0; n < mm.nr_nodes; n++) {
		struct lruvec *l = &rs.lruvec[n];
		for (int lru = 0; lru < NR_LRU_LISTS; lru++) {
			unsigned long cnt = 0;
			uint32_t prev = UP_NONE;
			for (uint32_t i = l->head[lru]; i != UP_NONE; i = rs.up[i].next) {
				struct upage *u = &rs.up[i];
				struct page *pg;
				if (u->prev != prev || u->lru != lru || !(u->flags & UP_LRU) || u->nid != n) {
					fprintf(stderr, "lru_check: node %d lru %d: bad links at %u\n", n, lru, i);
					return -1;
				}
				pg = up_page(u);
				if (page_owner_data(pg) != i || (page_type(pg) != PGTY_ANON && page_type(pg) != PGTY_FILE) ||
				    lru_of(u) != lru || (u->flags & UP_ISOLATED)) {
					fprintf(stderr, "lru_check: node %d lru %d: page %u inconsistent\n", n, lru, i);
					return -1;
				}
				prev = i;
				if (++cnt > rs.nr_up)
					break;
			}
			if (cnt != l->nr[lru] || (long)cnt != NODE_DATA(n)->vm_stat[NR_INACTIVE_ANON + lru]) {
				fprintf(stderr, "lru_check: node %d lru %d: %lu pages, counter %lu, vmstat %ld\n", n, lru,
					cnt, l->nr[lru], NODE_DATA(n)->vm_stat[NR_INACTIVE_ANON + lru]);
				return -1;
			}
			long zsum = 0;
			for (int z = 0; z < MAX_NR_ZONES; z++) {
				zsum += NODE_DATA(n)->node_zones[z].vm_stat[NR_ZONE_LRU_BASE + lru];
				if ((long)l->nr_zone[lru][z] != NODE_DATA(n)->node_zones[z].vm_stat[NR_ZONE_LRU_BASE + lru]) {
					fprintf(stderr, "lru_check: node %d zone %d lru %d: zone counter mismatch\n", n, z, lru);
					return -1;
				}
			}
			if (zsum != (long)cnt) {
				fprintf(stderr, "lru_check: node %d lru %d: zone sum %ld != %lu\n", n, lru, zsum, cnt);
				return -1;
			}
			seen += cnt;
		}
	}
	(void)seen;
	return 0;
}
