/* SPDX-License-Identifier: MIT */
/*
 * mm/rcu.h — a grace-period model of RCU, as far as the allocators need it:
 * call_rcu-style deferred callbacks (kfree_rcu, SLAB_TYPESAFE_BY_RCU slab
 * pages), per-CPU callback batching, synchronize_rcu and rcu_barrier.
 *
 * Model: grace periods run back to back while callbacks are pending, each
 * lasting rcu_params.gp_len of simulated time. A callback queued on CPU c
 * while GP k is in progress (or while idle) is invoked on CPU c after the end
 * of the next full grace period — between gp_len and 2×gp_len later, as with
 * the kernel's segmented callback lists (next → wait → done). Callbacks run in
 * an "rcu_gp" sim process in softirq context on the queuing CPU.
 * Not modelled: quiescent-state detection (GP length is a parameter), expedited
 * GPs, callback offloading, lazy (call_rcu_lazy) batching.
 */
#ifndef MMSIM_MM_RCU_H
#define MMSIM_MM_RCU_H

#include <stdbool.h>
#include <stdint.h>
#include "sim/engine.h"

struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
};
typedef void (*rcu_callback_t)(struct rcu_head *head);

struct rcu_params {
	sim_time_t gp_len;              /* grace-period length (default 10 ms [U]) */
	sim_time_t kfree_drain_delay;   /* KFREE_DRAIN_JIFFIES: 5 s in 6.1.y */
	sim_time_t kfree_drain_fast;    /* delay once a batch is full: 1 jiffy (4 ms at HZ=250) */
	unsigned int kfree_batch_max;   /* KVFREE_BULK_MAX_ENTR: 510 on 4 KiB pages */
};

/** rcu_default_params() - the defaults above. */
void rcu_default_params(struct rcu_params *p);
/**
 * rcu_init() - reset the model with @p (NULL: defaults) and start the grace-period
 * process when the engine is initialised. Called by kmem_cache_init().
 * Return: 0 or -ENOMEM.
 */
int rcu_init(const struct rcu_params *p);
const struct rcu_params *rcu_get_params(void);
/** rcu_shutdown() - drop every queued callback (mm shutdown; nothing is invoked). */
void rcu_shutdown(void);

/** call_rcu() - invoke @func(@head) after a grace period. @head is host memory. */
void call_rcu(struct rcu_head *head, rcu_callback_t func);
/** rcu_call_fn() - the same with a host function and two arguments (model-internal users). */
void rcu_call_fn(void (*fn)(void *arg, unsigned long val), void *arg, unsigned long val);
/** rcu_kfree_batch_add() - the kvfree_rcu path: batch @ptr per CPU, free with @free_fn. */
void rcu_kfree_batch_add(unsigned long ptr, void (*free_fn)(const void *p));

/** synchronize_rcu() - block the current process for a grace period (no-op outside processes). */
void synchronize_rcu(void);
/**
 * rcu_barrier() - drain every pending kfree_rcu batch and invoke every queued
 * callback (including those they queue). Inside a process it first sleeps a
 * grace period; outside (boot, tests) it runs them at once.
 */
void rcu_barrier(void);

unsigned long rcu_pending_callbacks(void);   /* queued, not yet invoked (incl. kfree batches) */
unsigned long rcu_completed_gps(void);
unsigned long rcu_invoked_callbacks(void);
/** rcu_check() - invariants of the callback lists: 0 or -1. */
int rcu_check(void);

#endif /* MMSIM_MM_RCU_H */
