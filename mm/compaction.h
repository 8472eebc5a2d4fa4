/* SPDX-License-Identifier: MIT */
/*
 * mm/compaction.h — memory compaction of Linux 6.1 (mm/compaction.c,
 * include/linux/compaction.h; fact sheet §8, §9): the migrate and free
 * scanners, compaction_suitable() with the fragmentation index, deferral,
 * direct compaction for the slow path (try_to_compact_pages and
 * compaction_zonelist_suitable, declared in mm/vmscan.h), kcompactd per node
 * with proactive compaction, and compact_node() (/proc/sys/vm/compact_memory).
 *
 * Context: mm/ internal (it takes struct zone / pglist_data from mm/mmzone.h).
 * Compaction runs in the calling simulated context and charges its time there;
 * kcompactd is a kernel-thread process per node (kcompactd_run()).
 */
#ifndef MMSIM_MM_COMPACTION_H
#define MMSIM_MM_COMPACTION_H

#include <stdbool.h>
#include <stdint.h>
#include "mm/mmzone.h"
#include "mm/vmscan.h"

#define COMPACT_CLUSTER_MAX        32      /* SWAP_CLUSTER_MAX: pages isolated per migrate batch */
#define COMPACT_MAX_DEFER_SHIFT    6       /* defer up to 1 << 6 = 64 attempts */
#define COMPACTION_HPAGE_ORDER     9       /* proactive compaction's target order (HPAGE_PMD_ORDER) */
#define HPAGE_FRAG_CHECK_INTERVAL_MSEC 500

/* sysctls (defaults of 6.1) */
extern int sysctl_extfrag_threshold;        /* vm.extfrag_threshold = 500 */
extern int sysctl_compaction_proactiveness; /* vm.compaction_proactiveness = 20 */
extern int sysctl_compact_unevictable_allowed; /* 1 (0 on PREEMPT_RT) */

/**
 * compaction_set_proactiveness() - write vm.compaction_proactiveness (0..100);
 * a non-zero value triggers a proactive check on every kcompactd now, as the
 * sysctl handler does. Return: 0 or -EINVAL.
 */
int compaction_set_proactiveness(int value);
/** compaction_set_extfrag_threshold() - write vm.extfrag_threshold (0..1000). Return: 0 or -EINVAL. */
int compaction_set_extfrag_threshold(int value);

/** compact_result_name() - the trace string of @r ("skipped", "success", ...). */
const char *compact_result_name(enum compact_result r);

/**
 * compaction_init() - after mm_boot(): forget every zone's compaction state
 * (cached scanner positions, deferral, kcompactd requests), register the
 * counters (compact_migrate_scanned, compact_free_scanned, compact_isolated,
 * compact_daemon_wake, compact_daemon_migrate_scanned,
 * compact_daemon_free_scanned, pgmigrate_success, pgmigrate_fail), the
 * compaction trace events and the compaction stall latency histogram.
 * Called lazily by every entry point if the caller forgot.
 */
void compaction_init(void);
/** compaction_shutdown() - stop using the booted model (before mm_shutdown). */
void compaction_shutdown(void);

/**
 * kcompactd_run() - spawn kcompactd<@nid> as a kernel-thread process on the
 * first CPU of its node (idempotent); until then wakeup_kcompactd() is a
 * no-op. It sleeps until wakeup_kcompactd() or, with compaction_proactiveness
 * > 0, every 500 ms to check the node's fragmentation score (proactive
 * compaction).
 * Return: 0, -EINVAL for a node without memory, -ENOMEM.
 */
int kcompactd_run(int nid);
/** kcompactd_start_all() - kcompactd_run() for every node with memory. Return 0 or -errno. */
int kcompactd_start_all(void);

/**
 * compaction_suitable() - §8: SUCCESS if the watermark for @order already
 * holds, SKIPPED if there is not enough order-0 memory (+ compact_gap) or, for
 * costly orders, the fragmentation index is in [0, extfrag_threshold]
 * (failure from lack of memory: reclaim, not compaction), else CONTINUE.
 * Traces mm_compaction_suitable.
 */
enum compact_result compaction_suitable(struct zone *zone, int order, unsigned alloc_flags,
					int highest_zoneidx);
/** compaction_deferred() - should compaction of @order be skipped on @zone (counts an attempt)? */
bool compaction_deferred(struct zone *zone, int order);
/** defer_compaction() - a sync compaction failed: skip the next 1 << ++defer_shift attempts. */
void defer_compaction(struct zone *zone, int order);
/**
 * compaction_defer_reset() - compaction of @order succeeded on @zone. With
 * @alloc_success (the allocation got its page) the deferral is cleared too and
 * the zone's skip-hint flush request dropped, as __alloc_pages_direct_compact()
 * does: the page allocator should call it with true when it gets a page after
 * direct compaction.
 */
void compaction_defer_reset(struct zone *zone, int order, bool alloc_success);
/** compaction_restarting() - deferred to the maximum and the limit reached: restart from scratch. */
bool compaction_restarting(struct zone *zone, int order);
/** reset_isolation_suitable() - kswapd going to sleep: clear skip hints of zones that asked for it. */
void reset_isolation_suitable(struct pglist_data *pgdat);

/** fragmentation_score_zone() - extfrag_for_order(zone, 9): % of free memory in blocks < order 9. */
unsigned fragmentation_score_zone(struct zone *zone);
/** fragmentation_score_node() - Σ zone score × zone present / (node present + 1). */
unsigned fragmentation_score_node(struct pglist_data *pgdat);
/** fragmentation_score_wmark() - proactive compaction's thresholds (low 80, high 90 at proactiveness 20). */
unsigned fragmentation_score_wmark(bool low);

/**
 * compact_node() - /proc/sys/vm/compact_memory for node @nid: every populated
 * zone compacted whole (order -1, MIGRATE_SYNC, skip hints ignored).
 * Return: 0 or -EINVAL.
 */
int compact_node(int nid);

/** Deferral state of a zone, for tests and debugfs-style dumps. */
struct compaction_zone_state {
	unsigned int considered;
	unsigned int defer_shift;
	int order_failed;
	unsigned long cached_migrate_pfn[2];   /* [0] async, [1] sync */
	unsigned long cached_free_pfn;
	bool blockskip_flush;
};
void compaction_zone_state(struct zone *zone, struct compaction_zone_state *out);

/** Counters of compaction (the kernel's vmstat names). */
struct compaction_counters {
	uint64_t compact_migrate_scanned, compact_free_scanned, compact_isolated;
	uint64_t compact_daemon_wake, compact_daemon_migrate_scanned, compact_daemon_free_scanned;
	uint64_t pgmigrate_success, pgmigrate_fail;
};
void compaction_counters(struct compaction_counters *out);

/**
 * compaction_check() - invariants: cached scanner positions inside their zone
 * and pageblock aligned (free), defer_shift ≤ 6, considered ≤ 1 << defer_shift,
 * no pages left isolated by compaction. Return: 0, or -1 after printing the
 * first violation to stderr.
 */
int compaction_check(void);

#endif /* MMSIM_MM_COMPACTION_H */
