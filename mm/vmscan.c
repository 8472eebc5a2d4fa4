// SPDX-License-Identifier: MIT
/*
 * mm/vmscan.c — page reclaim (§6): LRU scanning with get_scan_count, the
 * inactive/active balance, shrink_folio_list (activation, swap-out, dirty
 * page writeback, freeing), shrinkers, kswapd per node (balance_pgdat, boost
 * reclaim, kswapd_failures, the short nap and sleep), direct reclaim
 * (try_to_free_pages with priorities 12..0, throttle_direct_reclaim,
 * reclaim_throttle), zone_reclaimable_pages, reclaim's vmstat counters,
 * events and latency histograms, and the set-up of the pressure model.
 *
 * Model: one lruvec per node (no memcg). A scan control (struct scan_control)
 * carries the kernel's fields. Pages are processed in batches of at most
 * SWAP_CLUSTER_MAX isolated into a local array; simulated time is charged
 * only between pages (a process may be switched out whenever it is charged),
 * so every structure is consistent whenever another process can run, and
 * each page's flags are re-read when it is processed.
 *
 * kswapd is a kernel-thread process (PF_KSWAPD|PF_MEMALLOC|PF_KTHREAD) on the
 * first CPU of its node, woken through kswapd_wake_hook by wakeup_kswapd().
 *
 * Simplified vs 6.1: no MGLRU, no memcg (so no memory.low / protection), no
 * workingset shadow entries (refaults are counted but do not activate), no
 * compaction_ready() shortcut in direct reclaim, no per-bdi congestion (a
 * node is "congested" when every dirty page kswapd met was already queued),
 * dirty file pages met by direct reclaim are handed to a modelled flusher at
 * once, shrinkers are not memcg- or NUMA-aware beyond the nid argument.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cost.h"
#include "machine/cpu.h"
#include "mm/reclaim_internal.h"
#include "mm/slab.h"
#include "mm/vmscan.h"
#include "sim/log.h"
#include "sim/stats.h"
#include "sim/trace.h"

#define CYC_ISOLATE     60     /* [U] isolate_lru_folios per page (lru_lock held) */
#define CYC_SHRINK_PAGE 350    /* [U] shrink_folio_list per page: trylock, references, mapping checks */
#define CYC_UNMAP       400    /* [U] try_to_unmap: rmap walk + ptep_clear_flush */
#define CYC_TLB_FLUSH   800    /* [U] flush_tlb_page of a user mapping incl. remote IPI */
#define CYC_FREE_PAGE   100    /* [U] __remove_mapping + free_unref_page_list share */
#define CYC_SHRINKER    500    /* [U] do_shrink_slab overhead per batch */
#define CYC_BALANCE     2000   /* [U] one balance_pgdat iteration's bookkeeping */
#define SHRINK_BATCH    128

struct vmscan_counters vc;
static uint64_t vc_dummy[32];

static struct {
	struct trace_event *kswapd_wake, *kswapd_sleep, *direct_begin, *direct_end;
} ev;
static struct hist *h_direct, *h_throttle;
struct hist *h_fault_latency;
static struct task_struct kswapd_tasks[MACHINE_MAX_NODES];

struct shrinker_defer {
	struct slab_shrinker *sh;
	long nr_deferred[MACHINE_MAX_NODES];
};
static struct shrinker_defer *defers;
static int nr_defers, cap_defers;

struct scan_control {
	unsigned long nr_to_reclaim;
	gfp_t gfp_mask;
	int order;
	int priority;
	int reclaim_idx;
	nodemask_t *nodemask;
	bool may_writepage, may_unmap, may_swap;
	bool may_deactivate_anon, may_deactivate_file, force_deactivate, skipped_deactivate;
	bool cache_trim_mode, file_is_tiny, compaction_ready;
	unsigned long anon_cost, file_cost;
	unsigned long nr_scanned, nr_reclaimed;
	struct { unsigned long dirty, unqueued_dirty, congested, writeback, immediate, file_taken, taken; } nr;
};

enum scan_balance { SCAN_EQUAL, SCAN_FRACT, SCAN_ANON, SCAN_FILE };

/*
 * mm/compaction.c's entry points, referenced weakly so reclaim links (and
 * simply skips them) in a build without compaction.
 */
enum compact_result compaction_suitable(struct zone *zone, int order, unsigned alloc_flags,
					int highest_zoneidx) __attribute__((weak));
void reset_isolation_suitable(struct pglist_data *pgdat) __attribute__((weak));

bool current_is_kswapd(void)
{
	return (current->flags & PF_KSWAPD) != 0;
}

int vm_swappiness(void)
{
	return rs.p.swappiness;
}

int set_vm_swappiness(int v)
{
	if (v < 0 || v > 200)
		return -EINVAL;
	rs.p.swappiness = v;
	return 0;
}

void pressure_params_default(struct pressure_params *p)
{
	memset(p, 0, sizeof(*p));
	p->swappiness = 60;
	p->swap_size = 0;
	p->swap_latency = 100 * SIM_US;
	p->swap_bandwidth = 500ULL * 1000 * 1000;
	p->block_device = NULL;
	p->disk_latency = 100 * SIM_US;
	p->disk_bandwidth = 500ULL * 1000 * 1000;
	p->dirty_ratio = 20;
	p->dirty_background_ratio = 10;
	p->kswapd = true;
}

static inline int int_sqrt_l(unsigned long x)
{
	return int_sqrt_ul(x);
}

/* --- sizes ----------------------------------------------------------------------- */

/* lruvec_lru_size(): pages of @lru in zones ≤ @zone_idx. */
static unsigned long lru_size(struct lruvec *l, int lru, int zone_idx)
{
	unsigned long n = 0;

	for (int z = 0; z <= zone_idx && z < MAX_NR_ZONES; z++)
		n += l->nr_zone[lru][z];
	return n;
}

static bool can_reclaim_anon_pages(void)
{
	return get_nr_swap_pages() > 0;
}

/* inactive_is_low(): inactive × int_sqrt(10 × GB) < active. */
static bool inactive_is_low(struct lruvec *l, int inactive_lru)
{
	unsigned long inactive = l->nr[inactive_lru], active = l->nr[inactive_lru + 1];
	unsigned long gb = (inactive + active) >> (30 - PAGE_SHIFT);
	unsigned long ratio = gb ? (unsigned long)int_sqrt_l(10 * gb) : 1;

	return inactive * ratio < active;
}

unsigned long zone_reclaimable_pages(struct zone *zone)
{
	unsigned long nr = zone_page_state(zone, NR_ZONE_INACTIVE_FILE) + zone_page_state(zone, NR_ZONE_ACTIVE_FILE);

	if (can_reclaim_anon_pages())
		nr += zone_page_state(zone, NR_ZONE_INACTIVE_ANON) + zone_page_state(zone, NR_ZONE_ACTIVE_ANON);
	return nr;
}

/* --- isolation and putback --------------------------------------------------------- */

/* isolate_lru_folios(): up to @nr pages from the tail of @lru in zones ≤ reclaim_idx. */
static unsigned long isolate_lru(struct lruvec *l, int nid, int lru, unsigned long nr, struct scan_control *sc,
				 uint32_t *out, unsigned long *scanned)
{
	unsigned long taken = 0, scan = 0, skipped = 0;
	uint32_t i = l->tail[lru];

	while (i != UP_NONE && scan < nr && skipped < 4 * SWAP_CLUSTER_MAX * 16) {
		struct upage *u = up_of(i);
		uint32_t prev = u->prev;
		struct page *pg = up_page(u);
		if ((int)page_zonenum(pg) > sc->reclaim_idx) {
			skipped++;
			i = prev;
			continue;
		}
		scan++;
		lru_del(i);
		u->flags |= UP_ISOLATED;
		get_page(pg);
		out[taken++] = i;
		i = prev;
	}
	if (taken)
		mod_node_page_state(NODE_DATA(nid), is_file_lru(lru) ? NR_ISOLATED_FILE : NR_ISOLATED_ANON, (long)taken);
	*scanned = scan;
	return taken;
}

/* end of isolation: back to the LRU (or freed if the owner went away). */
static void putback_one(uint32_t idx)
{
	struct upage *u = up_of(idx);
	struct page *pg = up_page(u);

	mod_node_page_state(NODE_DATA(u->nid), (u->flags & UP_ANON) ? NR_ISOLATED_ANON : NR_ISOLATED_FILE, -1);
	u->flags &= (uint16_t)~UP_ISOLATED;
	if (u->flags & UP_ORPHAN) {
		if (!(u->flags & UP_WRITEBACK))
			upage_free(idx);
		put_page(pg);
		return;
	}
	lru_add(idx, lru_of(u), false);
	put_page(pg);
}

/* free an isolated page reclaim took from its owner. */
static void free_isolated(uint32_t idx)
{
	struct upage *u = up_of(idx);
	struct page *pg = up_page(u);
	bool orphan = u->flags & UP_ORPHAN;

	mod_node_page_state(NODE_DATA(u->nid), (u->flags & UP_ANON) ? NR_ISOLATED_ANON : NR_ISOLATED_FILE, -1);
	upage_free(idx);
	if (!orphan)
		put_page(pg);           /* the owner's reference */
	put_page(pg);                   /* the isolation's: frees the page */
}

/* --- shrink_folio_list -------------------------------------------------------------- */

enum folio_references { FOLIOREF_RECLAIM, FOLIOREF_RECLAIM_CLEAN, FOLIOREF_KEEP, FOLIOREF_ACTIVATE };

static enum folio_references check_references(struct upage *u)
{
	bool young = u->flags & UP_YOUNG;
	bool referenced = u->flags & UP_REFERENCED;

	u->flags &= (uint16_t)~(UP_YOUNG | UP_REFERENCED);
	if (young) {
		u->flags |= UP_REFERENCED;
		if (referenced)
			return FOLIOREF_ACTIVATE;
		return FOLIOREF_KEEP;
	}
	if (referenced && !(u->flags & UP_ANON))
		return FOLIOREF_RECLAIM_CLEAN;
	return FOLIOREF_RECLAIM;
}

static void activate_isolated(uint32_t idx)
{
	up_of(idx)->flags |= UP_ACTIVE;
	count_vm_event(PGACTIVATE);
}

/* add_to_swap + try_to_unmap. Return: false if no swap slot (caller activates). */
static bool swap_out_unmap(uint32_t idx)
{
	struct upage *u = up_of(idx);

	if (!(u->flags & UP_SWAPCACHE)) {
		uint32_t slot = get_swap_slot();
		if (slot == UP_NONE)
			return false;
		u->slot = slot;
		u->flags |= UP_SWAPCACHE | UP_DIRTY;
		swap_cache_set(slot, idx);
		mod_node_page_state(NODE_DATA(u->nid), NR_SWAPCACHE, 1);
		mod_node_page_state(NODE_DATA(u->nid), NR_FILE_PAGES, 1);
	}
	if (u->flags & UP_MAPPED) {
		struct mm_struct *mm = mm_of_id(u->owner);
		uint32_t *pte = mm ? pte_of(mm, u->index) : NULL;
		if (pte && (*pte & PTE_PRESENT) && pte_val_pfn(*pte) == u->pfn) {
			*pte = mk_swp_pte(u->slot);
			add_mm_counter(mm, MM_ANONPAGES, -1);
			add_mm_counter(mm, MM_SWAPENTS, 1);
		}
		mod_node_page_state(NODE_DATA(u->nid), NR_ANON_MAPPED, -1);
		u->flags &= (uint16_t)~UP_MAPPED;
	}
	return true;
}

static unsigned long shrink_folio_list(uint32_t *list, unsigned long n, struct pglist_data *pgdat,
				       struct scan_control *sc, unsigned long *nr_pageout)
{
	struct lruvec *l = &rs.lruvec[pgdat->node_id];
	unsigned long reclaimed = 0;
	bool kswapd = current_is_kswapd();

	for (unsigned long k = 0; k < n; k++) {
		uint32_t idx = list[k];
		struct upage *u = up_of(idx);
		unsigned cycles = CYC_SHRINK_PAGE;
		bool anon = u->flags & UP_ANON;

		sim_atomic_begin();     /* the page's state is updated under the lru/page locks */
		mem_read(page_vmemmap_addr(up_page(u)), 64);
		if (u->flags & UP_ORPHAN) {
			if (u->flags & UP_WRITEBACK) {
				putback_one(idx);
			} else {
				free_isolated(idx);
				reclaimed++;
			}
			goto next;
		}
		if (u->flags & UP_WRITEBACK) {
			/* case 1: kswapd meets PG_reclaim pages again while the node is in writeback */
			if (kswapd && (u->flags & UP_RECLAIM) && l->pgdat_writeback) {
				sc->nr.immediate++;
			} else {
				u->flags |= UP_RECLAIM;
				sc->nr.writeback++;
			}
			if (u->flags & UP_RECLAIM)
				sc->nr.congested++;
			sc->nr.dirty++;
			putback_one(idx);
			goto next;
		}
		switch (check_references(u)) {
		case FOLIOREF_ACTIVATE:
			activate_isolated(idx);
			putback_one(idx);
			goto next;
		case FOLIOREF_KEEP:
			putback_one(idx);
			goto next;
		default:
			break;
		}
		if (anon && (u->flags & (UP_MAPPED | UP_SWAPCACHE)) != UP_SWAPCACHE) {
			if (!sc->may_swap && !(u->flags & UP_SWAPCACHE)) {
				putback_one(idx);
				goto next;
			}
			if (!swap_out_unmap(idx)) {
				activate_isolated(idx);
				putback_one(idx);
				goto next;
			}
			cycles += CYC_UNMAP + CYC_TLB_FLUSH;
		}
		if (u->flags & UP_DIRTY) {
			if (!anon) {
				sc->nr.dirty++;
				sc->nr.unqueued_dirty++;
				if (!kswapd || !(u->flags & UP_RECLAIM) || !l->pgdat_writeback) {
					/* immediate reclaim later: activate, the flusher writes it */
					mod_node_page_state(pgdat, NR_VMSCAN_IMMEDIATE, 1);
					u->flags |= UP_RECLAIM;
					start_writeback(idx);
					activate_isolated(idx);
					putback_one(idx);
					goto next;
				}
				if (!sc->may_writepage) {
					putback_one(idx);
					goto next;
				}
				/* kswapd pageout() of a file page */
				u->flags |= UP_RECLAIM;
				start_writeback(idx);
				mod_node_page_state(pgdat, NR_VMSCAN_WRITE, 1);
				(*nr_pageout)++;
				putback_one(idx);
				goto next;
			}
			if (!sc->may_writepage) {
				putback_one(idx);
				goto next;
			}
			/* pageout() to swap: async write, rotate when done */
			up_set_dirty(idx, false);
			up_set_writeback(idx, true);
			u->flags |= UP_RECLAIM;
			++*vc.pswpout;
			*vc.pgpgout += PAGE_SIZE / 1024;
			mod_node_page_state(pgdat, NR_VMSCAN_WRITE, 1);
			(*nr_pageout)++;
			blk_submit_write(swap_bdev, idx);
			putback_one(idx);
			goto next;
		}
		/* clean and unmapped: __remove_mapping */
		if (anon) {
			uint32_t slot = u->slot;
			swap_cache_set(slot, UP_NONE);
			u->flags &= (uint16_t)~UP_SWAPCACHE;
			u->slot = UP_NONE;
			mod_node_page_state(pgdat, NR_SWAPCACHE, -1);
			mod_node_page_state(pgdat, NR_FILE_PAGES, -1);
		} else {
			filemap_remove(idx);
		}
		if (anon)
			++*vc.pgsteal_anon;
		else
			++*vc.pgsteal_file;
		free_isolated(idx);
		reclaimed++;
		cycles += CYC_FREE_PAGE;
next:
		cost_cycles(cycles);
		sim_atomic_end();
	}
	return reclaimed;
}

static void lru_note_cost(struct lruvec *l, bool file, unsigned long nr_io, unsigned long nr_rotated)
{
	unsigned long cost = nr_io * SWAP_CLUSTER_MAX + nr_rotated;
	unsigned long lrusize = l->nr[LRU_INACTIVE_ANON] + l->nr[LRU_ACTIVE_ANON] + l->nr[LRU_INACTIVE_FILE] +
				l->nr[LRU_ACTIVE_FILE];

	if (file)
		l->file_cost += cost;
	else
		l->anon_cost += cost;
	if (l->anon_cost + l->file_cost > lrusize / 4) {
		l->anon_cost /= 2;
		l->file_cost /= 2;
	}
}

static unsigned long shrink_inactive_list(unsigned long nr_to_scan, struct pglist_data *pgdat,
					  struct scan_control *sc, int lru)
{
	struct lruvec *l = &rs.lruvec[pgdat->node_id];
	uint32_t list[SWAP_CLUSTER_MAX];
	unsigned long scanned, taken, reclaimed, pageout = 0;
	bool file = is_file_lru(lru);

	if (nr_to_scan > SWAP_CLUSTER_MAX)
		nr_to_scan = SWAP_CLUSTER_MAX;
	sim_atomic_begin();
	taken = isolate_lru(l, pgdat->node_id, lru, nr_to_scan, sc, list, &scanned);
	cost_cycles((unsigned)(scanned * CYC_ISOLATE));
	sim_atomic_end();
	sc->nr_scanned += scanned;
	if (current_is_kswapd())
		*vc.pgscan_kswapd += scanned;
	else
		*vc.pgscan_direct += scanned;
	if (file)
		*vc.pgscan_file += scanned;
	else
		*vc.pgscan_anon += scanned;
	if (!taken)
		return 0;
	reclaimed = shrink_folio_list(list, taken, pgdat, sc, &pageout);
	if (current_is_kswapd())
		*vc.pgsteal_kswapd += reclaimed;
	else
		*vc.pgsteal_direct += reclaimed;
	lru_note_cost(l, file, pageout, scanned - reclaimed);
	sc->nr.taken += taken;
	if (file)
		sc->nr.file_taken += taken;
	return reclaimed;
}

/* shrink_active_list(): deactivate from the tail of the active list. */
static void shrink_active_list(unsigned long nr_to_scan, struct pglist_data *pgdat, struct scan_control *sc,
			       int lru)
{
	struct lruvec *l = &rs.lruvec[pgdat->node_id];
	uint32_t list[SWAP_CLUSTER_MAX];
	unsigned long scanned, taken;

	if (nr_to_scan > SWAP_CLUSTER_MAX)
		nr_to_scan = SWAP_CLUSTER_MAX;
	sim_atomic_begin();
	taken = isolate_lru(l, pgdat->node_id, lru, nr_to_scan, sc, list, &scanned);
	*vc.pgrefill += scanned;
	for (unsigned long k = 0; k < taken; k++) {
		struct upage *u = up_of(list[k]);
		if (!(u->flags & UP_ORPHAN)) {
			u->flags &= (uint16_t)~(UP_YOUNG | UP_ACTIVE);   /* folio_referenced clears young */
			count_vm_event(PGDEACTIVATE);
		}
		putback_one(list[k]);
	}
	cost_cycles((unsigned)(taken * (CYC_ISOLATE + 100)));
	sim_atomic_end();
}

/* --- get_scan_count and shrink_lruvec ---------------------------------------------------- */

static void prepare_scan_count(struct pglist_data *pgdat, struct scan_control *sc)
{
	struct lruvec *l = &rs.lruvec[pgdat->node_id];
	unsigned long file, free = 0, total_high = 0, anon;

	sc->anon_cost = l->anon_cost;
	sc->file_cost = l->file_cost;
	sc->may_deactivate_anon = sc->force_deactivate || inactive_is_low(l, LRU_INACTIVE_ANON);
	sc->may_deactivate_file = sc->force_deactivate || inactive_is_low(l, LRU_INACTIVE_FILE);
	file = l->nr[LRU_INACTIVE_FILE];
	sc->cache_trim_mode = (file >> sc->priority) && !sc->may_deactivate_file;
	/* file_is_tiny: the node's file pages and free memory don't cover the high watermarks */
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		if (!managed_zone(zone))
			continue;
		total_high += high_wmark_pages(zone);
		free += zone_page_state(zone, NR_FREE_PAGES);
	}
	file = l->nr[LRU_INACTIVE_FILE] + l->nr[LRU_ACTIVE_FILE];
	anon = l->nr[LRU_INACTIVE_ANON];
	sc->file_is_tiny = file + free <= total_high && !sc->may_deactivate_anon &&
			   (anon >> sc->priority) && can_reclaim_anon_pages();
}

static void get_scan_count(struct pglist_data *pgdat, struct scan_control *sc, unsigned long *nr)
{
	struct lruvec *l = &rs.lruvec[pgdat->node_id];
	int swappiness = rs.p.swappiness;
	unsigned long long fraction[2] = { 0, 0 }, denominator = 0;
	enum scan_balance balance;

	if (!sc->may_swap || !can_reclaim_anon_pages()) {
		balance = SCAN_FILE;
	} else if (!sc->priority && swappiness) {
		balance = SCAN_EQUAL;
	} else if (sc->file_is_tiny) {
		balance = SCAN_ANON;
	} else if (sc->cache_trim_mode) {
		balance = SCAN_FILE;
	} else {
		unsigned long long total_cost = sc->anon_cost + sc->file_cost;
		unsigned long long anon_cost = total_cost + sc->anon_cost;
		unsigned long long file_cost = total_cost + sc->file_cost;
		unsigned long long ap, fp;
		total_cost = anon_cost + file_cost;
		ap = (unsigned long long)swappiness * (total_cost + 1) / (anon_cost + 1);
		fp = (unsigned long long)(200 - swappiness) * (total_cost + 1) / (file_cost + 1);
		fraction[0] = ap;
		fraction[1] = fp;
		denominator = ap + fp;
		balance = SCAN_FRACT;
	}
	for (int lru = 0; lru < LRU_UNEVICTABLE; lru++) {
		bool file = is_file_lru(lru);
		unsigned long size = lru_size(l, lru, sc->reclaim_idx);
		unsigned long long scan = size >> sc->priority;

		switch (balance) {
		case SCAN_EQUAL:
			break;
		case SCAN_FRACT:
			scan = denominator ? scan * fraction[file] / denominator : 0;
			break;
		case SCAN_FILE:
		case SCAN_ANON:
			if ((balance == SCAN_FILE) != file)
				scan = 0;
			break;
		}
		nr[lru] = (unsigned long)scan;
	}
}

static unsigned long shrink_list(int lru, unsigned long nr_to_scan, struct pglist_data *pgdat,
				 struct scan_control *sc)
{
	struct lruvec *l = &rs.lruvec[pgdat->node_id];

	if (is_active_lru(lru)) {
		bool may = is_file_lru(lru) ? sc->may_deactivate_file : sc->may_deactivate_anon;
		if (may)
			shrink_active_list(nr_to_scan, pgdat, sc, lru);
		else
			sc->skipped_deactivate = true;
		return 0;
	}
	(void)l;
	return shrink_inactive_list(nr_to_scan, pgdat, sc, lru);
}

static void shrink_lruvec(struct pglist_data *pgdat, struct scan_control *sc)
{
	struct lruvec *l = &rs.lruvec[pgdat->node_id];
	unsigned long nr[NR_LRU_LISTS] = { 0 }, targets[NR_LRU_LISTS];
	unsigned long nr_reclaimed = 0, nr_to_reclaim = sc->nr_to_reclaim;
	bool proportional = !current_is_kswapd() && sc->priority == DEF_PRIORITY;

	get_scan_count(pgdat, sc, nr);
	memcpy(targets, nr, sizeof(nr));
	while (nr[LRU_INACTIVE_ANON] || nr[LRU_ACTIVE_FILE] || nr[LRU_INACTIVE_FILE]) {
		unsigned long nr_anon, nr_file, percentage, scanned;
		int lru;

		for (lru = 0; lru < LRU_UNEVICTABLE; lru++) {
			if (nr[lru]) {
				unsigned long n = nr[lru] < SWAP_CLUSTER_MAX ? nr[lru] : SWAP_CLUSTER_MAX;
				nr[lru] -= n;
				nr_reclaimed += shrink_list(lru, n, pgdat, sc);
			}
		}
		if (nr_reclaimed < nr_to_reclaim || proportional)
			continue;
		/*
		 * Target met: stop scanning the type with less left to scan and
		 * cut the other to the share of its target not yet scanned, so
		 * the anon/file ratio of get_scan_count holds.
		 */
		nr_file = nr[LRU_INACTIVE_FILE] + nr[LRU_ACTIVE_FILE];
		nr_anon = nr[LRU_INACTIVE_ANON] + nr[LRU_ACTIVE_ANON];
		if (!nr_file || !nr_anon)
			break;
		if (nr_file > nr_anon) {
			percentage = nr_anon * 100 / (targets[LRU_INACTIVE_ANON] + targets[LRU_ACTIVE_ANON] + 1);
			lru = LRU_INACTIVE_ANON;
		} else {
			percentage = nr_file * 100 / (targets[LRU_INACTIVE_FILE] + targets[LRU_ACTIVE_FILE] + 1);
			lru = LRU_INACTIVE_FILE;
		}
		nr[lru] = nr[lru + 1] = 0;
		lru = lru == LRU_INACTIVE_FILE ? LRU_INACTIVE_ANON : LRU_INACTIVE_FILE;
		for (int k = 0; k < 2; k++, lru++) {
			scanned = targets[lru] - nr[lru];
			nr[lru] = targets[lru] * (100 - percentage) / 100;
			nr[lru] -= nr[lru] < scanned ? nr[lru] : scanned;
		}
	}
	sc->nr_reclaimed += nr_reclaimed;
	if (can_reclaim_anon_pages() && inactive_is_low(l, LRU_INACTIVE_ANON))
		shrink_active_list(SWAP_CLUSTER_MAX, pgdat, sc, LRU_ACTIVE_ANON);
}

/* --- shrinkers --------------------------------------------------------------------------- */

static struct shrinker_defer *defer_of(struct slab_shrinker *sh)
{
	for (int i = 0; i < nr_defers; i++)
		if (defers[i].sh == sh)
			return &defers[i];
	if (nr_defers == cap_defers) {
		int cap = cap_defers ? cap_defers * 2 : 8;
		struct shrinker_defer *n = realloc(defers, (size_t)cap * sizeof(*n));
		if (!n)
			return NULL;
		defers = n;
		cap_defers = cap;
	}
	memset(&defers[nr_defers], 0, sizeof(defers[0]));
	defers[nr_defers].sh = sh;
	return &defers[nr_defers++];
}

/**
 * do_shrink_slab() - the kernel's scan-count formula with deferred work (§6.4).
 * Return: objects freed.
 */
static unsigned long do_shrink_slab(struct slab_shrinker *sh, int nid, gfp_t gfp, int priority)
{
	struct shrinker_defer *d = defer_of(sh);
	unsigned long freeable, freed = 0, scanned = 0, batch = SHRINK_BATCH;
	long nr, delta, total_scan, next;

	if (!d)
		return 0;
	freeable = sh->count_objects(sh, nid);
	if (!freeable)
		return 0;
	nr = d->nr_deferred[nid];
	d->nr_deferred[nid] = 0;
	if (sh->seeks) {
		delta = (long)(freeable >> priority);
		delta *= 4;
		delta /= sh->seeks;
	} else {
		delta = (long)(freeable / 2);
	}
	total_scan = (nr >> priority) + delta;
	if (total_scan > (long)(2 * freeable))
		total_scan = (long)(2 * freeable);
	while (total_scan >= (long)batch || total_scan >= (long)freeable) {
		unsigned long nr_to_scan = (unsigned long)total_scan < batch ? (unsigned long)total_scan : batch;
		unsigned long ret = sh->scan_objects(sh, nid, nr_to_scan, gfp);
		if (ret == SHRINK_STOP)
			break;
		freed += ret;
		*vc.slabs_scanned += nr_to_scan;
		total_scan -= (long)nr_to_scan;
		scanned += nr_to_scan;
		cost_cycles(CYC_SHRINKER);
		if (!nr_to_scan)
			break;
	}
	next = nr + delta - (long)scanned;
	if (next < 0)
		next = 0;
	if (next > (long)(2 * freeable))
		next = (long)(2 * freeable);
	d->nr_deferred[nid] += next;
	return freed;
}

static unsigned long shrink_slab(gfp_t gfp, int nid, int priority)
{
	unsigned long freed = 0;

	for (struct slab_shrinker *sh = slab_shrinkers(); sh; sh = sh->next)
		freed += do_shrink_slab(sh, nid, gfp, priority);
	return freed;
}

long reclaim_shrinker_deferred(struct slab_shrinker *sh, int nid)
{
	for (int i = 0; i < nr_defers; i++)
		if (defers[i].sh == sh)
			return defers[i].nr_deferred[nid];
	return 0;
}
unsigned long reclaim_shrink_slab(gfp_t gfp, int nid, int priority)
{
	return shrink_slab(gfp, nid, priority);
}

/* --- throttling ----------------------------------------------------------------------------- */

enum vmscan_throttle_state { VMSCAN_THROTTLE_WRITEBACK, VMSCAN_THROTTLE_ISOLATED, VMSCAN_THROTTLE_NOPROGRESS,
			     VMSCAN_THROTTLE_CONGESTED };

static void reclaim_throttle(struct pglist_data *pgdat, enum vmscan_throttle_state reason)
{
	sim_time_t timeout, t0 = sim_now();

	switch (reason) {
	case VMSCAN_THROTTLE_WRITEBACK: timeout = SIM_SEC / 10; break;
	case VMSCAN_THROTTLE_ISOLATED: timeout = SIM_SEC / 50; break;
	default: timeout = JIFFY; break;
	}
	++*vc.reclaim_throttle_waits;
	if (reason == VMSCAN_THROTTLE_WRITEBACK && rs.writeback_ev[pgdat->node_id])
		sim_wait_timeout(rs.writeback_ev[pgdat->node_id], timeout);
	else
		sim_sleep(timeout);
	if (h_throttle)
		hist_add(h_throttle, sim_now() - t0);
}

static bool allow_direct_reclaim(struct pglist_data *pgdat)
{
	unsigned long reserve = 0, free = 0;

	if (pgdat->kswapd_failures >= MAX_RECLAIM_RETRIES_K)
		return true;
	for (int z = 0; z <= ZONE_NORMAL; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		if (!managed_zone(zone) || !zone_reclaimable_pages(zone))
			continue;
		reserve += min_wmark_pages(zone);
		free += zone_page_state(zone, NR_FREE_PAGES);
	}
	if (!reserve)
		return true;
	if (free > reserve / 2)
		return true;
	if (pgdat->kswapd_highest_zoneidx > ZONE_NORMAL)
		pgdat->kswapd_highest_zoneidx = ZONE_NORMAL;
	if (pgdat->kswapd_sleeping && kswapd_wake_hook)
		kswapd_wake_hook(pgdat);
	return false;
}

/* throttle_direct_reclaim(): Return true if a fatal signal ended the wait (skip reclaim). */
static bool throttle_direct_reclaim(gfp_t gfp, struct zonelist *zl, nodemask_t *nodemask)
{
	struct pglist_data *pgdat = NULL;
	struct task_struct *t = current;
	sim_time_t t0;

	if (t->flags & PF_KTHREAD)
		return false;
	if (fatal_signal_pending(t))
		return true;
	for (int i = 0; i < zl->nr; i++) {
		struct zone *z = zl->zones[i];
		if ((int)z->idx > gfp_zone(gfp) || (int)z->idx > ZONE_NORMAL)
			continue;
		if (nodemask && !node_isset(z->node, nodemask))
			continue;
		pgdat = z->zone_pgdat;
		break;
	}
	if (!pgdat || !rs.kswapd_running[pgdat->node_id] || allow_direct_reclaim(pgdat))
		return false;
	++*vc.pgscan_direct_throttle;
	t0 = sim_now();
	for (;;) {
		sim_time_t left;
		if (!(gfp & __GFP_FS)) {
			if (sim_now() - t0 >= SIM_SEC)
				break;
			left = SIM_SEC - (sim_now() - t0);
		} else {
			left = SIM_SEC;
		}
		sim_wait_timeout(rs.pfmemalloc_ev[pgdat->node_id], left);
		if (fatal_signal_pending(t) || allow_direct_reclaim(pgdat))
			break;
	}
	if (h_throttle)
		hist_add(h_throttle, sim_now() - t0);
	return fatal_signal_pending(t);
}

/* --- shrink_node ------------------------------------------------------------------------------ */

static void shrink_node(struct pglist_data *pgdat, struct scan_control *sc)
{
	struct lruvec *l = &rs.lruvec[pgdat->node_id];
	unsigned long reclaimed0 = sc->nr_reclaimed;
	long slab0 = pgdat->vm_stat[NR_SLAB_RECLAIMABLE_B];

	memset(&sc->nr, 0, sizeof(sc->nr));
	prepare_scan_count(pgdat, sc);
	shrink_lruvec(pgdat, sc);
	shrink_slab(sc->gfp_mask, pgdat->node_id, sc->priority);
	if (pgdat->vm_stat[NR_SLAB_RECLAIMABLE_B] < slab0)
		sc->nr_reclaimed += (unsigned long)(slab0 - pgdat->vm_stat[NR_SLAB_RECLAIMABLE_B]);
	if (sc->nr_reclaimed - reclaimed0)
		pgdat->kswapd_failures = 0;
	if (current_is_kswapd()) {
		if (sc->nr.writeback && sc->nr.writeback == sc->nr.taken)
			l->pgdat_writeback = true;
		if (sc->nr.dirty && sc->nr.dirty == sc->nr.congested)
			l->congested = true;
		if (sc->nr.immediate)
			reclaim_throttle(pgdat, VMSCAN_THROTTLE_WRITEBACK);
	} else if (l->congested) {
		reclaim_throttle(pgdat, VMSCAN_THROTTLE_CONGESTED);
	}
}

/* --- direct reclaim ---------------------------------------------------------------------------- */

static void consider_reclaim_throttle(struct pglist_data *pgdat, struct scan_control *sc)
{
	if (sc->nr_reclaimed > (sc->nr_scanned >> 3))
		return;
	if (current_is_kswapd())
		return;
	if (sc->priority == 1 && !sc->nr_reclaimed)
		reclaim_throttle(pgdat, VMSCAN_THROTTLE_NOPROGRESS);
}

/* compaction_ready(): enough free memory that compaction should run instead of more reclaim. */
static bool compaction_ready(struct zone *zone, struct scan_control *sc)
{
	enum compact_result r;

	if (!compaction_suitable)
		return false;
	r = compaction_suitable(zone, sc->order, 0, sc->reclaim_idx);
	if (r == COMPACT_SUCCESS)
		return true;
	if (r == COMPACT_SKIPPED)
		return false;
	return zone_watermark_ok(zone, 0, high_wmark_pages(zone) + (2UL << sc->order), sc->reclaim_idx, 0);
}

static void shrink_zones(struct zonelist *zl, struct scan_control *sc)
{
	struct pglist_data *last = NULL, *first = NULL;

	for (int i = 0; i < zl->nr; i++) {
		struct zone *z = zl->zones[i];
		if ((int)z->idx > sc->reclaim_idx || !populated_zone(z))
			continue;
		if (sc->nodemask && !node_isset(z->node, sc->nodemask))
			continue;
		if (!first)
			first = z->zone_pgdat;
		if (sc->order > PAGE_ALLOC_COSTLY_ORDER && compaction_ready(z, sc)) {
			sc->compaction_ready = true;
			continue;
		}
		if (z->zone_pgdat == last)
			continue;
		last = z->zone_pgdat;
		shrink_node(z->zone_pgdat, sc);
	}
	if (first)
		consider_reclaim_throttle(first, sc);
}

static unsigned long do_try_to_free_pages(struct zonelist *zl, struct scan_control *sc)
{
	int initial = sc->priority;

	count_vm_event((enum vm_event_item)(ALLOCSTALL_DMA + sc->reclaim_idx));
retry:
	do {
		sc->nr_scanned = 0;
		shrink_zones(zl, sc);
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
		if (sc->compaction_ready)
			break;
		if (sc->priority < DEF_PRIORITY - 2)
			sc->may_writepage = true;
	} while (--sc->priority >= 0);
	if (sc->nr_reclaimed)
		return sc->nr_reclaimed;
	if (sc->compaction_ready)
		return 1;
	if (sc->skipped_deactivate) {
		sc->priority = initial;
		sc->force_deactivate = true;
		sc->skipped_deactivate = false;
		goto retry;
	}
	return 0;
}

unsigned long try_to_free_pages(struct zonelist *zonelist, int order, gfp_t gfp_mask,
				       nodemask_t *nodemask, int highest_zoneidx)
{
	struct scan_control sc;
	unsigned long nr;
	sim_time_t t0 = sim_now();
	char buf[GFP_STR_MAX];

	memset(&sc, 0, sizeof(sc));
	sc.nr_to_reclaim = SWAP_CLUSTER_MAX;
	sc.gfp_mask = current_gfp_context(gfp_mask);
	sc.reclaim_idx = highest_zoneidx < 0 ? gfp_zone(gfp_mask) : highest_zoneidx;
	sc.order = order;
	sc.nodemask = nodemask;
	sc.priority = DEF_PRIORITY;
	sc.may_writepage = true;
	sc.may_unmap = true;
	sc.may_swap = true;
	if (!rs.inited) {
		count_vm_event((enum vm_event_item)(ALLOCSTALL_DMA + sc.reclaim_idx));
		return 0;
	}
	if (throttle_direct_reclaim(sc.gfp_mask, zonelist, nodemask))
		return 1;
	if (trace_on(ev.direct_begin))
		trace_emit(ev.direct_begin, "order=%d gfp_flags=%s", order, gfp_format(sc.gfp_mask, buf, sizeof(buf)));
	nr = do_try_to_free_pages(zonelist, &sc);
	if (trace_on(ev.direct_end))
		trace_emit(ev.direct_end, "nr_reclaimed=%lu", nr);
	if (h_direct)
		hist_add(h_direct, sim_now() - t0);
	return nr;
}

/* --- kswapd ------------------------------------------------------------------------------------- */

static bool pgdat_balanced(struct pglist_data *pgdat, int order, int highest_zoneidx)
{
	bool any = false;

	for (int i = 0; i <= highest_zoneidx && i < MAX_NR_ZONES; i++) {
		struct zone *z = &pgdat->node_zones[i];
		if (!managed_zone(z))
			continue;
		any = true;
		if (zone_watermark_ok(z, (unsigned)order, high_wmark_pages(z), highest_zoneidx, 0))
			return true;
	}
	return !any;
}

static bool kswapd_shrink_node(struct pglist_data *pgdat, struct scan_control *sc)
{
	sc->nr_to_reclaim = 0;
	for (int z = 0; z <= sc->reclaim_idx && z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		if (!managed_zone(zone))
			continue;
		sc->nr_to_reclaim += high_wmark_pages(zone) > SWAP_CLUSTER_MAX ? high_wmark_pages(zone) : SWAP_CLUSTER_MAX;
	}
	shrink_node(pgdat, sc);
	if (sc->order && sc->nr_reclaimed >= (2UL << sc->order))
		sc->order = 0;
	return sc->nr_scanned >= sc->nr_to_reclaim;
}

static int balance_pgdat(struct pglist_data *pgdat, int order, int highest_zoneidx)
{
	struct scan_control sc;
	unsigned long nr_boost_reclaim = 0, zone_boosts[MAX_NR_ZONES] = { 0 };
	bool boosted;

	memset(&sc, 0, sizeof(sc));
	sc.gfp_mask = GFP_KERNEL;
	sc.order = order;
	sc.may_unmap = true;
	count_vm_event(PAGEOUTRUN);
	for (int i = 0; i <= highest_zoneidx && i < MAX_NR_ZONES; i++) {
		struct zone *z = &pgdat->node_zones[i];
		if (!managed_zone(z))
			continue;
		nr_boost_reclaim += z->watermark_boost;
		zone_boosts[i] = z->watermark_boost;
	}
	boosted = nr_boost_reclaim != 0;
restart:
	for (int i = 0; i <= highest_zoneidx && i < MAX_NR_ZONES; i++)
		if (managed_zone(&pgdat->node_zones[i]))
			pgdat->node_zones[i].flags |= ZONE_RECLAIM_ACTIVE;
	sc.priority = DEF_PRIORITY;
	do {
		unsigned long before = sc.nr_reclaimed, nr_reclaimed;
		bool raise_priority = true, balanced;

		sc.reclaim_idx = highest_zoneidx;
		balanced = pgdat_balanced(pgdat, sc.order, highest_zoneidx);
		if (!balanced && nr_boost_reclaim) {
			nr_boost_reclaim = 0;
			goto restart;
		}
		if (!nr_boost_reclaim && balanced)
			goto out;
		if (nr_boost_reclaim && sc.priority == DEF_PRIORITY - 2)
			raise_priority = false;
		sc.may_writepage = !nr_boost_reclaim;
		sc.may_swap = !nr_boost_reclaim;
		sc.nr_scanned = 0;
		/* kswapd_age_node */
		if (can_reclaim_anon_pages() && inactive_is_low(&rs.lruvec[pgdat->node_id], LRU_INACTIVE_ANON))
			shrink_active_list(SWAP_CLUSTER_MAX, pgdat, &sc, LRU_ACTIVE_ANON);
		if (kswapd_shrink_node(pgdat, &sc))
			raise_priority = false;
		if (allow_direct_reclaim(pgdat))
			sim_event_notify(rs.pfmemalloc_ev[pgdat->node_id], 0);
		cost_cycles(CYC_BALANCE);
		nr_reclaimed = sc.nr_reclaimed - before;
		nr_boost_reclaim -= nr_boost_reclaim < nr_reclaimed ? nr_boost_reclaim : nr_reclaimed;
		if (nr_boost_reclaim && !nr_reclaimed)
			break;
		if (raise_priority || !nr_reclaimed)
			sc.priority--;
	} while (sc.priority >= 1);
	if (!sc.nr_reclaimed)
		pgdat->kswapd_failures++;
out:
	for (int i = 0; i <= highest_zoneidx && i < MAX_NR_ZONES; i++)
		pgdat->node_zones[i].flags &= ~ZONE_RECLAIM_ACTIVE;
	if (boosted) {
		for (int i = 0; i <= highest_zoneidx && i < MAX_NR_ZONES; i++) {
			struct zone *z = &pgdat->node_zones[i];
			if (!zone_boosts[i])
				continue;
			z->watermark_boost -= z->watermark_boost < zone_boosts[i] ? z->watermark_boost : zone_boosts[i];
			if (!z->watermark_boost)
				z->flags &= ~ZONE_BOOSTED_WATERMARK;
		}
		wakeup_kcompactd(pgdat, pageblock_order, highest_zoneidx);
	}
	rs.lruvec[pgdat->node_id].pgdat_writeback = false;
	rs.lruvec[pgdat->node_id].congested = false;
	return sc.order;
}

static bool prepare_kswapd_sleep(struct pglist_data *pgdat, int order, int highest_zoneidx)
{
	sim_event_notify(rs.pfmemalloc_ev[pgdat->node_id], 0);
	if (pgdat->kswapd_failures >= MAX_RECLAIM_RETRIES_K)
		return true;
	return pgdat_balanced(pgdat, order, highest_zoneidx);
}

static int kswapd_highest_zoneidx(struct pglist_data *pgdat, int prev)
{
	int idx = pgdat->kswapd_highest_zoneidx;
	return idx == MAX_NR_ZONES ? prev : idx;
}

static void kswapd_try_to_sleep(struct pglist_data *pgdat, int alloc_order, int reclaim_order,
				int highest_zoneidx)
{
	int nid = pgdat->node_id;
	bool remaining = false;

	if (prepare_kswapd_sleep(pgdat, reclaim_order, highest_zoneidx)) {
		if (reset_isolation_suitable)
			reset_isolation_suitable(pgdat);
		wakeup_kcompactd(pgdat, alloc_order, highest_zoneidx);
		pgdat->kswapd_sleeping = true;
		remaining = sim_wait_timeout(rs.kswapd_ev[nid], SIM_SEC / 10);   /* HZ/10 nap */
		pgdat->kswapd_sleeping = false;
		if (remaining) {
			pgdat->kswapd_highest_zoneidx = kswapd_highest_zoneidx(pgdat, highest_zoneidx);
			if (pgdat->kswapd_order < reclaim_order)
				pgdat->kswapd_order = reclaim_order;
		}
	}
	if (!remaining && prepare_kswapd_sleep(pgdat, reclaim_order, highest_zoneidx)) {
		if (trace_on(ev.kswapd_sleep))
			trace_emit(ev.kswapd_sleep, "nid=%d", nid);
		pgdat->kswapd_sleeping = true;
		sim_wait(rs.kswapd_ev[nid]);
		pgdat->kswapd_sleeping = false;
	} else if (remaining) {
		++*vc.kswapd_low_wmark_hit_quickly;
	} else {
		++*vc.kswapd_high_wmark_hit_quickly;
	}
}

static void kswapd_fn(void *arg)
{
	struct pglist_data *pgdat = arg;
	int alloc_order, reclaim_order = 0, highest_zoneidx = MAX_NR_ZONES - 1;

	pgdat->kswapd_order = 0;
	pgdat->kswapd_highest_zoneidx = MAX_NR_ZONES;
	for (;;) {
		alloc_order = reclaim_order = pgdat->kswapd_order;
		highest_zoneidx = kswapd_highest_zoneidx(pgdat, highest_zoneidx);
try_sleep:
		kswapd_try_to_sleep(pgdat, alloc_order, reclaim_order, highest_zoneidx);
		alloc_order = pgdat->kswapd_order;
		highest_zoneidx = kswapd_highest_zoneidx(pgdat, highest_zoneidx);
		pgdat->kswapd_order = 0;
		pgdat->kswapd_highest_zoneidx = MAX_NR_ZONES;
		if (trace_on(ev.kswapd_wake))
			trace_emit(ev.kswapd_wake, "nid=%d order=%d", pgdat->node_id, alloc_order);
		reclaim_order = balance_pgdat(pgdat, alloc_order, highest_zoneidx);
		if (reclaim_order < alloc_order)
			goto try_sleep;
	}
}

static void kswapd_wake(struct pglist_data *pgdat)
{
	int nid = pgdat->node_id;

	if (!rs.inited || !rs.kswapd_running[nid])
		return;
	pgdat->kswapd_sleeping = false;       /* wake_up_interruptible empties the wait queue */
	sim_event_notify(rs.kswapd_ev[nid], 0);
}

/* --- statistics ---------------------------------------------------------------------------------- */

static uint64_t *ctr(const char *name, const char *desc, int slot)
{
	char full[96];
	uint64_t *p;

	snprintf(full, sizeof(full), "mm.vmstat.%s", name);
	p = stat_counter(full, "events", desc, STAT_SAMPLED | STAT_SUMMARY);
	if (!p)
		p = &vc_dummy[slot];
	*p = 0;
	return p;
}

static double g_node_stat(void *ctx)
{
	return mm.booted ? (double)global_node_page_state((enum node_stat_item)(uintptr_t)ctx) : 0;
}

static double g_swap_free(void *ctx)
{
	(void)ctx;
	return rs.inited ? (double)get_nr_swap_pages() : 0;
}

int reclaim_stats_init(void)
{
	static const int gauges[] = { NR_INACTIVE_ANON, NR_ACTIVE_ANON, NR_INACTIVE_FILE, NR_ACTIVE_FILE,
				      NR_UNEVICTABLE, NR_ANON_MAPPED, NR_FILE_PAGES, NR_FILE_DIRTY, NR_WRITEBACK,
				      NR_PAGETABLE, NR_SWAPCACHE, NR_ISOLATED_ANON, NR_ISOLATED_FILE };
	char name[96];
	int s = 0;

	vc.pgscan_kswapd = ctr("pgscan_kswapd", "pages scanned by kswapd", s++);
	vc.pgscan_direct = ctr("pgscan_direct", "pages scanned by direct reclaim", s++);
	vc.pgscan_direct_throttle = ctr("pgscan_direct_throttle", "direct reclaimers throttled (pfmemalloc)", s++);
	vc.pgsteal_kswapd = ctr("pgsteal_kswapd", "pages reclaimed by kswapd", s++);
	vc.pgsteal_direct = ctr("pgsteal_direct", "pages reclaimed by direct reclaim", s++);
	vc.pgscan_anon = ctr("pgscan_anon", "anon pages scanned", s++);
	vc.pgscan_file = ctr("pgscan_file", "file pages scanned", s++);
	vc.pgsteal_anon = ctr("pgsteal_anon", "anon pages reclaimed", s++);
	vc.pgsteal_file = ctr("pgsteal_file", "file pages reclaimed", s++);
	vc.pswpin = ctr("pswpin", "pages swapped in", s++);
	vc.pswpout = ctr("pswpout", "pages swapped out", s++);
	vc.pgpgin = ctr("pgpgin", "KiB read from block devices", s++);
	vc.pgpgout = ctr("pgpgout", "KiB written to block devices", s++);
	vc.pgfault = ctr("pgfault", "user page faults", s++);
	vc.pgmajfault = ctr("pgmajfault", "major faults (I/O)", s++);
	vc.pgrotated = ctr("pgrotated", "pages rotated to the inactive tail after writeback", s++);
	vc.kswapd_low_wmark_hit_quickly = ctr("kswapd_low_wmark_hit_quickly", "kswapd woken during its nap", s++);
	vc.kswapd_high_wmark_hit_quickly = ctr("kswapd_high_wmark_hit_quickly", "kswapd nap ended unbalanced", s++);
	vc.slabs_scanned = ctr("slabs_scanned", "objects scanned by shrinkers", s++);
	vc.pgrefill = ctr("pgrefill", "pages scanned on active lists", s++);
	vc.workingset_refault = ctr("mmsim_swapin_refault", "swap-ins (model)", s++);
	vc.reclaim_throttle_waits = ctr("mmsim_reclaim_throttle", "reclaim_throttle waits (model)", s++);
	for (size_t i = 0; i < sizeof(gauges) / sizeof(gauges[0]); i++) {
		snprintf(name, sizeof(name), "mm.vmstat.%s", node_stat_names[gauges[i]]);
		stat_gauge(name, "pages", "node vm_stat summed over nodes", STAT_SAMPLED | STAT_SUMMARY, g_node_stat,
			   (void *)(uintptr_t)gauges[i]);
	}
	stat_gauge("mm.vmstat.mmsim_swap_free", "pages", "free swap slots", STAT_SAMPLED | STAT_SUMMARY, g_swap_free,
		   NULL);
	h_direct = stat_hist("mm.vmscan.direct_reclaim_latency", "ps", "duration of try_to_free_pages");
	h_throttle = stat_hist("mm.vmscan.throttle_latency", "ps", "reclaim throttling waits");
	h_fault_latency = stat_hist("mm.memory.fault_latency", "ps",
				    "anonymous faults that allocate or swap in (incl. reclaim stalls)");
	ev.kswapd_wake = trace_event_register("vmscan", "mm_vmscan_kswapd_wake");
	ev.kswapd_sleep = trace_event_register("vmscan", "mm_vmscan_kswapd_sleep");
	ev.direct_begin = trace_event_register("vmscan", "mm_vmscan_direct_reclaim_begin");
	ev.direct_end = trace_event_register("vmscan", "mm_vmscan_direct_reclaim_end");
	return 0;
}

void reclaim_stats_shutdown(void)
{
	uint64_t **p = (uint64_t **)&vc;
	for (size_t i = 0; i < sizeof(vc) / sizeof(uint64_t *); i++)
		p[i] = &vc_dummy[i];
	h_direct = h_throttle = h_fault_latency = NULL;
}

/* --- set-up ---------------------------------------------------------------------------------------- */

int reclaim_init(const struct pressure_params *p, char *err, size_t len)
{
	int r;

	if (!mm.booted) {
		snprintf(err, len, "reclaim_init: mm is not booted");
		return -EINVAL;
	}
	if (rs.inited)
		reclaim_shutdown();
	if (p->swappiness < 0 || p->swappiness > 200) {
		snprintf(err, len, "vm.swappiness: %d out of range 0..200", p->swappiness);
		return -EINVAL;
	}
	rs.p = *p;
	lru_init();
	reclaim_stats_init();
	r = swap_init(p, err, len);
	if (r)
		return r;
	rs.dirty_ev = sim_event_new("balance_dirty_pages");
	for (int nid = 0; nid < mm.nr_nodes; nid++) {
		char name[32];
		struct pglist_data *pgdat = NODE_DATA(nid);
		snprintf(name, sizeof(name), "writeback%d", nid);
		rs.writeback_ev[nid] = sim_event_new(name);
		snprintf(name, sizeof(name), "pfmemalloc_wait%d", nid);
		rs.pfmemalloc_ev[nid] = sim_event_new(name);
		snprintf(name, sizeof(name), "kswapd_wait%d", nid);
		rs.kswapd_ev[nid] = sim_event_new(name);
		if (!p->kswapd)
			continue;
		int cpu = 0;
		for (int c = 0; c < mm.nr_cpus; c++)
			if (mm.cpu_node[c] == nid) {
				cpu = c;
				break;
			}
		struct task_struct *t = &kswapd_tasks[nid];
		snprintf(name, sizeof(name), "kswapd%d", nid);
		task_init(t, name, 70 + nid);
		t->flags = PF_KTHREAD | PF_KSWAPD | PF_MEMALLOC;
		rs.kswapd_task[nid] = t;
		pgdat->kswapd_sleeping = false;
		if (!cpu_spawn(name, cpu, CTX_TASK, kswapd_fn, pgdat, t, 0)) {
			snprintf(err, len, "reclaim_init: cannot start %s", name);
			return -ENOMEM;
		}
		rs.kswapd_running[nid] = true;
	}
	kswapd_wake_hook = kswapd_wake;
	rs.inited = true;
	return 0;
}

int reclaim_lazy_init(void)
{
	struct pressure_params p;
	char err[256];
	int r;

	if (rs.inited)
		return 0;
	pressure_params_default(&p);
	r = reclaim_init(&p, err, sizeof(err));
	if (r)
		sim_error("reclaim: %s", err);
	return r;
}

void reclaim_shutdown(void)
{
	memory_shutdown();
	filemap_shutdown();
	swap_shutdown();
	lru_shutdown();
	reclaim_stats_shutdown();
	free(defers);
	defers = NULL;
	nr_defers = cap_defers = 0;
	kswapd_wake_hook = NULL;
	memset(rs.kswapd_running, 0, sizeof(rs.kswapd_running));
	memset(rs.writeback_ev, 0, sizeof(rs.writeback_ev));
	rs.dirty_ev = NULL;
	rs.inited = false;
}

int reclaim_check(void)
{
	if (!rs.inited)
		return 0;
	if (lru_check() || memory_check() || filemap_check() || swap_check())
		return -1;
	return 0;
}

void reclaim_meminfo(int nid, struct reclaim_meminfo *o)
{
	memset(o, 0, sizeof(*o));
	if (!mm.booted)
		return;
	for (int n = 0; n < mm.nr_nodes; n++) {
		long *v = NODE_DATA(n)->vm_stat;
		if (nid >= 0 && n != nid)
			continue;
		o->inactive_anon += (unsigned long)v[NR_INACTIVE_ANON];
		o->active_anon += (unsigned long)v[NR_ACTIVE_ANON];
		o->inactive_file += (unsigned long)v[NR_INACTIVE_FILE];
		o->active_file += (unsigned long)v[NR_ACTIVE_FILE];
		o->unevictable += (unsigned long)v[NR_UNEVICTABLE];
		o->dirty += (unsigned long)v[NR_FILE_DIRTY];
		o->writeback += (unsigned long)v[NR_WRITEBACK];
		o->anon_pages += (unsigned long)v[NR_ANON_MAPPED];
		o->mapped += (unsigned long)v[NR_FILE_MAPPED];
		o->file_pages += (unsigned long)v[NR_FILE_PAGES];
		o->shmem += (unsigned long)v[NR_SHMEM];
		o->swap_cached += (unsigned long)v[NR_SWAPCACHE];
		o->page_tables += (unsigned long)v[NR_PAGETABLE];
	}
	if (rs.inited) {
		o->swap_total = total_swap_pages_count();
		o->swap_free = (unsigned long)get_nr_swap_pages();
	}
}
