/* SPDX-License-Identifier: MIT */
/*
 * workloads/workload.h — the workload generator registry.
 *
 * A scenario's `tasks:` list names generators; each generator is one file in
 * workloads/ that registers a struct workload_type in workloads/registry.c's
 * table. The type documents its parameters (name, unit, default, description),
 * so `mmsim list-workloads` is generated from the same table the config
 * reader uses, and `setup` reads exactly those keys from the task's mapping
 * (unknown keys are then reported by the config layer).
 */
#ifndef MMSIM_WORKLOADS_WORKLOAD_H
#define MMSIM_WORKLOADS_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "sim/config.h"
#include "sim/engine.h"
#include "sim/rng.h"

#define WORKLOAD_MAX_CPUS 1024

struct workload_param {
	const char *name;
	enum cfg_unit unit;
	const char *def;                 /* default as written in YAML, NULL = required */
	const char *desc;
	unsigned flags;                  /* WP_DIST: a distribution (constant or {dist: ...}) */
};
#define WP_DIST 1u

/* What every task gets besides its own mapping. */
struct workload_env {
	uint64_t seed;                   /* run seed; derive streams with rng_seed_named */
	const char *task_name;           /* "tasks.N" name or the task's `name:` */
	sim_time_t start, stop;          /* absolute simulated times */
	/* Placement (common keys `cpus`, `node`, `context`; read by the registry). */
	int nr_cpus;                     /* CPUs the task's processes run on, round robin */
	int cpus[WORKLOAD_MAX_CPUS];
	int node;                        /* memory node for allocations; -1 (NUMA_NO_NODE) = local */
	int context;                     /* enum ctx_kind: CTX_TASK, CTX_SOFTIRQ or CTX_HARDIRQ */
};

struct workload_type {
	const char *name;
	const char *desc;
	const struct workload_param *params;     /* terminated by a {NULL} entry */
	/* Read parameters from @task (a mapping), spawn processes. 0 or -1 (error kept in cfg). */
	int (*setup)(struct cfg_node *task, const struct workload_env *env);
	/* Optional: add a few lines to the end-of-run summary (stdout). */
	void (*report)(FILE *out);
	int context;                     /* default `context:` (enum ctx_kind; 0 = task) */
};

const struct workload_type *workload_find(const char *name);
int workload_nr_types(void);
const struct workload_type *workload_type_at(int i);
/** workload_list() - print every generator with its parameters (mmsim list-workloads). */
void workload_list(FILE *out);
/**
 * workloads_setup() - read the scenario's `tasks:` sequence and set each task up.
 * @tasks: the sequence node (NULL: no tasks). @duration: run length (default stop).
 */
int workloads_setup(struct cfg *c, struct cfg_node *tasks, uint64_t seed, sim_time_t duration);
void workloads_report(FILE *out);

/**
 * workload_u64() - read parameter @key of @type from @task, its default taken
 * from the type's parameter table (so documentation and behaviour agree).
 */
uint64_t workload_u64(struct cfg_node *task, const struct workload_type *type, const char *key,
		      uint64_t min, uint64_t max);
double workload_double(struct cfg_node *task, const struct workload_type *type, const char *key,
		       double min, double max);

/* --- distributions (workloads/dist.c) -------------------------------------- */
/*
 * A task parameter that is a distribution is written either as a plain
 * constant in the parameter's unit (`size: 256`, `lifetime: 2ms`: fixed) or
 * as a mapping with a `dist:` key:
 *   {dist: fixed, value: V}
 *   {dist: uniform, min: A, max: B}
 *   {dist: exponential, mean: M}
 *   {dist: lognormal, mu: MU, sigma: S}      MU = ln of the median in base units
 *   {dist: lognormal, median: M, sigma: S}   (bytes, picoseconds, per second)
 *   {dist: pareto, xm: X, alpha: A}          scale X (the minimum), shape A > 0
 *   {dist: empirical, values: [[V, W], ...]} a histogram: value/weight pairs
 *   {dist: empirical, file: PATH}            one value per line ("V" or "V W",
 *                                            # comments; PATH relative to the scenario)
 * Every form also takes optional `min:` / `max:` bounds: samples are clamped.
 * Values carry the parameter's unit ("4KiB", "2ms"). Errors name file:line:col.
 */
enum dist_kind { DIST_FIXED, DIST_UNIFORM, DIST_EXPONENTIAL, DIST_LOGNORMAL, DIST_PARETO,
		 DIST_EMPIRICAL, NR_DIST_KINDS };

struct dist {
	enum dist_kind kind;
	enum cfg_unit unit;
	/* fixed: a = v; uniform: a, b = lo, hi; exponential: a = mean; lognormal: a, b = mu, sigma;
	 * pareto: a, b = xm, alpha */
	double a, b;
	double lo, hi;                   /* clamp bounds (always set; the parameter's range at least) */
	unsigned n;                      /* empirical: points */
	double *value, *cum;             /* empirical: values and cumulative weights (last = 1) */
};

extern const char *const dist_kind_names[NR_DIST_KINDS];

/**
 * dist_parse_node() - parse @n (a scalar constant or a `dist:` mapping) in @unit;
 * samples are clamped to [@min, @max], which also bound every value given.
 * Return: 0, or -1 with the error (file:line:col) kept in @n's document.
 */
int dist_parse_node(struct cfg_node *n, enum cfg_unit unit, double min, double max, struct dist *d);
/**
 * workload_dist() - read distribution parameter @key of @type from @task; the
 * default (the parameter table's YAML text, e.g. "{dist: exponential, mean: 1ms}")
 * is inserted when the key is absent, so the resolved config shows it.
 */
int workload_dist(struct cfg_node *task, const struct workload_type *type, const char *key,
		  double min, double max, struct dist *d);
/** dist_sample() - one sample (hot path: no allocation; O(log n) for empirical). */
double dist_sample(const struct dist *d, struct rng *r);
/** dist_sample_u64() - a sample rounded to the nearest integer (≥ 0). */
uint64_t dist_sample_u64(const struct dist *d, struct rng *r);
/** dist_mean() - the mean of the (unclamped) distribution; +inf for pareto alpha <= 1. */
double dist_mean(const struct dist *d);
/** dist_describe() - "lognormal(mu=6, sigma=1)" for reports. */
void dist_describe(const struct dist *d, char *buf, size_t len);
/** dist_check() - invariants: lo <= hi; empirical cumulative weights rise to 1, values in range. 0 or -1. */
int dist_check(const struct dist *d);
void dist_free(struct dist *d);

/* --- helpers shared by the generators (workloads/common.c) ------------------ */
struct task_struct;
struct hist;
/**
 * wl_require_kernel() - fail (message at @task) unless the machine is built and
 * the kernel model booted: generators drive the mm API like kernel code.
 */
int wl_require_kernel(struct cfg_node *task, const struct workload_type *type);
/**
 * wl_user_memory_ready() - the kernel model's user memory (mm/memory.h: tasks,
 * anonymous faults, page cache) is initialised (reclaim_init() has run).
 */
bool wl_user_memory_ready(void);
/** wl_require_slab() - fail (message at @task) unless kmem_cache_init() has run. */
int wl_require_slab(struct cfg_node *task, const struct workload_type *type);
/** wl_stat_name() - "workload.<task>.<what>" into @buf. */
const char *wl_stat_name(const struct workload_env *env, const char *what, char *buf, size_t len);
uint64_t *wl_counter(const struct workload_env *env, const char *what, const char *unit,
		     const char *desc);
struct hist *wl_hist(const struct workload_env *env, const char *what, const char *unit,
		     const char *desc);
/** wl_task_new() - a kernel-side task_struct named after the task (comm, pids from 200). */
struct task_struct *wl_task_new(const struct workload_env *env, int idx);
/**
 * wl_spawn() - start process @idx of the task on CPU env->cpus[@idx % nr_cpus]
 * in @kind context (usually env->context) at env->start, with @tsk as `current`.
 */
struct sim_proc *wl_spawn(const struct workload_env *env, int idx, int kind, void (*fn)(void *arg),
			  void *arg, struct task_struct *tsk);
/** wl_rng() - seed @r for process @idx of the task (stable per task name). */
void wl_rng(struct rng *r, const struct workload_env *env, int idx);
/** wl_sleep_until() - sleep to absolute time @t (at least 1 ps, so time moves). */
void wl_sleep_until(sim_time_t t);
/** wl_running() - before @stop and no stop request. */
bool wl_running(sim_time_t stop);
/** wl_gfp() - parameter @key as GFP flags ("GFP_KERNEL|__GFP_NOWARN", "0xcc0"). 0 or -1. */
int wl_gfp(struct cfg_node *task, const struct workload_type *type, const char *key, unsigned int *out);
/** wl_orders() - an order or a list of orders (at most @max) into @orders; count or -1. */
int wl_orders(struct cfg_node *task, const char *key, const char *def, int *orders, int max);

/*
 * A min-heap of live objects ordered by expiry time: what a generator
 * allocated and will free after its lifetime. Capacity fixed at set-up.
 */
struct wl_obj {
	sim_time_t expire;
	void *ptr;
	uint64_t aux;
};
struct wl_heap {
	struct wl_obj *a;
	unsigned n, cap;
};
int wl_heap_init(struct wl_heap *h, unsigned cap);
/** wl_heap_push() - false when full. */
bool wl_heap_push(struct wl_heap *h, sim_time_t expire, void *ptr, uint64_t aux);
/** wl_heap_pop_due() - pop the earliest object if it expires at or before @now. */
bool wl_heap_pop_due(struct wl_heap *h, sim_time_t now, struct wl_obj *out);
/** wl_heap_pop() - pop the earliest object regardless of time (false when empty). */
bool wl_heap_pop(struct wl_heap *h, struct wl_obj *out);
/** wl_heap_next() - expiry of the earliest object, SIM_TIME_MAX when empty. */
sim_time_t wl_heap_next(const struct wl_heap *h);
/** wl_heap_check() - heap order and bounds: 0 or -1. */
int wl_heap_check(const struct wl_heap *h);

/* Generators (one file each). */
extern const struct workload_type workload_ticker;
extern const struct workload_type workload_anon;
extern const struct workload_type workload_pagecache;
extern const struct workload_type workload_netrx;
extern const struct workload_type workload_blockio;
extern const struct workload_type workload_dmadriver;
extern const struct workload_type workload_slabchurn;
extern const struct workload_type workload_vmalloc;
extern const struct workload_type workload_percpu;
extern const struct workload_type workload_fragmenter;
extern const struct workload_type workload_replay;      /* traces/workload_replay.c */

#endif /* MMSIM_WORKLOADS_WORKLOAD_H */
