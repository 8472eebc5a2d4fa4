/* SPDX-License-Identifier: MIT */
/*
 * mm/util.h — mm/util.c of Linux 6.1: kvmalloc and friends (kmalloc first,
 * vmalloc fallback), kvfree, kvrealloc, kstrdup-like size helpers, plus the
 * small shared helpers of the allocators above the buddy (might_sleep
 * reporting, latency histograms of kvmalloc).
 *
 * Pointers are simulated kernel virtual addresses in `void *` (direct map for
 * kmalloc, vmalloc space for the fallback); never dereferenced on the host.
 * Facts: reference/linux-mm-facts.md §11, §16.17.
 */
#ifndef MMSIM_MM_UTIL_H
#define MMSIM_MM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mm/gfp.h"

#define KV_INT_MAX 2147483647UL

/**
 * kvmalloc_node() - 6.1: above PAGE_SIZE the kmalloc attempt gets
 * __GFP_NOWARN, __GFP_NORETRY (unless __GFP_RETRY_MAYFAIL) and loses
 * __GFP_NOFAIL. A kmalloc result, or any result for size <= PAGE_SIZE, is
 * returned as is. Non-blocking callers (no __GFP_DIRECT_RECLAIM) get NULL
 * instead of a vmalloc fallback; size > INT_MAX gets NULL and a WARN_ON_ONCE
 * (silent with __GFP_NOWARN); otherwise vmalloc with the original flags and
 * VM_ALLOW_HUGE_VMAP.
 * Context: may sleep when @flags allow it. Return: address or NULL.
 */
void *kvmalloc_node(size_t size, gfp_t flags, int node);
void *kvmalloc_node_caller(size_t size, gfp_t flags, int node, const char *caller);
void *kvmalloc(size_t size, gfp_t flags);
void *kvzalloc(size_t size, gfp_t flags);
void *kvzalloc_node(size_t size, gfp_t flags, int node);
/** kvmalloc_array() - NULL (no allocation, no warning) if @n × @size overflows. */
void *kvmalloc_array(size_t n, size_t size, gfp_t flags);
void *kvcalloc(size_t n, size_t size, gfp_t flags);
/** kvfree() - vfree for vmalloc addresses, kfree otherwise (NULL / ZERO_SIZE_PTR ignored). */
void kvfree(const void *addr);
/** kvfree_sensitive() - zero @len bytes (charged), then kvfree. */
void kvfree_sensitive(const void *addr, size_t len);
/**
 * kvrealloc() - 6.1 signature: @oldsize >= @newsize → @p; else kvmalloc(@newsize),
 * copy @oldsize bytes (charged), kvfree(@p). NULL on failure (@p untouched).
 */
void *kvrealloc(const void *p, size_t oldsize, size_t newsize, gfp_t flags);

/** kmemdup() - kmalloc(@len) plus a charged copy from @src (kmemdup). */
void *kmemdup(const void *src, size_t len, gfp_t gfp);

/* kvmalloc outcome counters (also in stats as mm.kvmalloc.*). */
enum kvmalloc_path {
	KVMALLOC_PATH_KMALLOC,           /* served by kmalloc */
	KVMALLOC_PATH_VMALLOC,           /* kmalloc failed, vmalloc fallback succeeded */
	KVMALLOC_PATH_NOBLOCK,           /* kmalloc failed, caller cannot block: NULL */
	KVMALLOC_PATH_TOO_BIG,           /* > INT_MAX: NULL (+ WARN) */
	KVMALLOC_PATH_FAIL,              /* both failed */
	NR_KVMALLOC_PATHS
};
unsigned long kvmalloc_path_count(enum kvmalloc_path p);

/* --- shared helpers of mm/vmalloc.c, mm/util.c, mm/mempool.c, mm/percpu.c ---------- */
/**
 * mm_might_sleep() - __might_sleep(): report "BUG: sleeping function called
 * from invalid context at @where" (+ in_atomic/irqs_disabled/preempt_count
 * lines) when the current context cannot sleep (interrupt, preemption or irqs
 * disabled). Counted every time, printed at most once per simulated second.
 * Return: true if the context was invalid.
 */
bool mm_might_sleep(const char *where);
/** mm_might_sleep_bugs() - invalid-context sleeps reported by the helper above. */
unsigned long mm_might_sleep_bugs(void);
/**
 * kva_charge_copy() / kva_charge_zero() - charge a copy / clear of kernel
 * virtual ranges (direct map or vmalloc), page by page on the physical pages.
 */
void kva_charge_copy(unsigned long dst, unsigned long src, size_t len);
void kva_charge_zero(unsigned long dst, size_t len);
/** kva_to_phys() - physical address behind a direct-map or mapped vmalloc address (0 if none). */
uint64_t kva_to_phys(unsigned long va);

/** util_init() - register the kvmalloc stats (called by vmalloc_init()). */
void util_init(void);

#endif /* MMSIM_MM_UTIL_H */
