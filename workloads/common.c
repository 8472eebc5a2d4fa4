/* SPDX-License-Identifier: MIT */
/*
 * workloads/common.c — what every generator needs besides its own model:
 * per-task statistic names, task_structs for `current`, spawning processes on
 * the task's CPUs in its context, and the lifetime heap.
 *
 * The lifetime heap is a binary min-heap of (expiry, object) with a capacity
 * fixed at set-up, so the allocate → hold → free cycle of a generator does no
 * host allocation on its hot path. Invariant (wl_heap_check): every parent
 * expires no later than its children, n <= cap.
 *
 * Generator processes model kernel code that runs until its next sleeping
 * point (DESIGN §2): the engine never switches processes inside sim_advance,
 * only where they sleep or at the end of an allocator call (sim/engine.h),
 * and every generator sleeps between two events.
 *
 * Pids of generators' own tasks (kernel-side contexts) start at 200: below
 * the user tasks mm/memory.h creates (1000 on), above the model's kernel
 * threads (oom_reaper, kcompactd, kswapd).
 */
#include <stdlib.h>
#include <string.h>
#include "machine/cpu.h"
#include "machine/machine.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/sched.h"
#include "mm/slab.h"
#include "sim/stats.h"
#include "workloads/workload.h"

static int next_pid = 200;

int wl_require_kernel(struct cfg_node *task, const struct workload_type *type)
{
	if (!machine_built()) {
		cfg_fail(cfg_doc(task), task, "workload",
			 "workload '%s' drives the kernel model: the scenario needs a `machine:` section "
			 "(and a build of mmsim that boots machine and mm)", type->name);
		return -1;
	}
	if (!mm_booted()) {
		cfg_fail(cfg_doc(task), task, "workload",
			 "workload '%s' needs the booted kernel model (mm_boot has not run)", type->name);
		return -1;
	}
	return 0;
}

int wl_require_slab(struct cfg_node *task, const struct workload_type *type)
{
	if (!slab_is_available()) {
		cfg_fail(cfg_doc(task), task, "workload",
			 "workload '%s' needs the slab allocator (kmem_cache_init has not run: kernel.slab is off?)",
			 type->name);
		return -1;
	}
	return 0;
}

bool wl_user_memory_ready(void)
{
	/*
	 * mm/memory.h has no "initialised" query: reclaim_init() registers the
	 * user-memory vmstat counters, and task_touch_anon() needs them.
	 */
	return mm_booted() && stat_find_counter("mm.vmstat.pgfault") != NULL;
}

const char *wl_stat_name(const struct workload_env *env, const char *what, char *buf, size_t len)
{
	snprintf(buf, len, "workload.%s.%s", env->task_name, what);
	return buf;
}

uint64_t *wl_counter(const struct workload_env *env, const char *what, const char *unit,
		     const char *desc)
{
	char name[192];

	return stat_counter(wl_stat_name(env, what, name, sizeof(name)), unit, desc, STAT_SAMPLED | STAT_SUMMARY);
}

struct hist *wl_hist(const struct workload_env *env, const char *what, const char *unit,
		     const char *desc)
{
	char name[192];

	return stat_hist(wl_stat_name(env, what, name, sizeof(name)), unit, desc);
}

struct task_struct *wl_task_new(const struct workload_env *env, int idx)
{
	struct task_struct *t = calloc(1, sizeof(*t));
	char comm[TASK_COMM_LEN + 8];

	if (!t)
		return NULL;
	if (idx)
		snprintf(comm, sizeof(comm), "%.11s/%d", env->task_name, idx);
	else
		snprintf(comm, sizeof(comm), "%s", env->task_name);
	task_init(t, comm, next_pid++);
	return t;
}

struct sim_proc *wl_spawn(const struct workload_env *env, int idx, int kind, void (*fn)(void *arg),
			  void *arg, struct task_struct *tsk)
{
	char name[160];
	int cpu = env->nr_cpus > 0 ? env->cpus[idx % env->nr_cpus] : 0;

	snprintf(name, sizeof(name), "%s/%d", env->task_name, idx);
	return cpu_spawn(name, cpu, (enum ctx_kind)kind, fn, arg, kind == CTX_TASK ? tsk : NULL, env->start);
}

void wl_rng(struct rng *r, const struct workload_env *env, int idx)
{
	char name[160];

	snprintf(name, sizeof(name), "workload/%s/%d", env->task_name, idx);
	rng_seed_named(r, env->seed, name);
}

void wl_sleep_until(sim_time_t t)
{
	sim_time_t now = sim_now();

	sim_sleep(t > now ? t - now : 1);
}

bool wl_running(sim_time_t stop)
{
	return sim_now() < stop && !sim_stop_requested();
}

/* --- lifetime heap ----------------------------------------------------------- */

int wl_heap_init(struct wl_heap *h, unsigned cap)
{
	h->n = 0;
	h->cap = cap ? cap : 1;
	h->a = calloc(h->cap, sizeof(*h->a));
	return h->a ? 0 : -1;
}

bool wl_heap_push(struct wl_heap *h, sim_time_t expire, void *ptr, uint64_t aux)
{
	unsigned i;

	if (h->n == h->cap)
		return false;
	i = h->n++;
	while (i) {
		unsigned p = (i - 1) / 2;

		if (h->a[p].expire <= expire)
			break;
		h->a[i] = h->a[p];
		i = p;
	}
	h->a[i] = (struct wl_obj){ expire, ptr, aux };
	return true;
}

bool wl_heap_pop(struct wl_heap *h, struct wl_obj *out)
{
	struct wl_obj last;
	unsigned i = 0;

	if (!h->n)
		return false;
	*out = h->a[0];
	last = h->a[--h->n];
	for (;;) {
		unsigned c = 2 * i + 1;

		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->a[c + 1].expire < h->a[c].expire)
			c++;
		if (last.expire <= h->a[c].expire)
			break;
		h->a[i] = h->a[c];
		i = c;
	}
	if (h->n)
		h->a[i] = last;
	return true;
}

bool wl_heap_pop_due(struct wl_heap *h, sim_time_t now, struct wl_obj *out)
{
	if (!h->n || h->a[0].expire > now)
		return false;
	return wl_heap_pop(h, out);
}

sim_time_t wl_heap_next(const struct wl_heap *h)
{
	return h->n ? h->a[0].expire : SIM_TIME_MAX;
}

int wl_heap_check(const struct wl_heap *h)
{
	if (h->n > h->cap)
		return -1;
	for (unsigned i = 1; i < h->n; i++)
		if (h->a[(i - 1) / 2].expire > h->a[i].expire)
			return -1;
	return 0;
}

/* --- parameter helpers ------------------------------------------------------- */

int wl_gfp(struct cfg_node *task, const struct workload_type *type, const char *key, gfp_t *out)
{
	const char *def = NULL, *s;
	char err[256];

	for (const struct workload_param *p = type->params; p && p->name; p++)
		if (!strcmp(p->name, key))
			def = p->def;
	s = cfg_str(task, key, def);
	if (!s || gfp_parse(s, out, err, sizeof(err)) < 0) {
		cfg_fail(cfg_doc(task), task, key, "expected GFP flags like GFP_KERNEL|__GFP_NOWARN: %s",
			 s ? err : "missing");
		return -1;
	}
	return 0;
}

int wl_orders(struct cfg_node *task, const char *key, const char *def, int *orders, int max)
{
	struct cfg *c = cfg_doc(task);
	struct cfg_node *n;
	int nr = 0;

	if (!cfg_has(task, key)) {
		char text[128];
		struct cfg *d;

		snprintf(text, sizeof(text), "%s: %s\n", key, def);
		d = cfg_load_string("(default)", text);
		if (!d || cfg_merge(c, task, d, NULL) < 0) {
			cfg_free(d);
			return -1;
		}
		cfg_free(d);
	}
	n = cfg_get(task, key);
	if (cfg_kind(n) == CFG_SCALAR) {
		orders[nr++] = (int)cfg_node_u64(n, CFG_UNIT_NONE, 0, 0, MAX_ORDER - 1);
	} else if (cfg_kind(n) == CFG_SEQ && cfg_len(n) > 0 && cfg_len(n) <= (size_t)max) {
		for (size_t i = 0; i < cfg_len(n); i++)
			orders[nr++] = (int)cfg_node_u64(cfg_at(n, i), CFG_UNIT_NONE, 0, 0, MAX_ORDER - 1);
	} else {
		cfg_fail(c, n, NULL, "expected an order (0-%d) or a list of 1 to %d orders like [4, 9]",
			 MAX_ORDER - 1, max);
		return -1;
	}
	return cfg_failed(c) ? -1 : nr;
}
