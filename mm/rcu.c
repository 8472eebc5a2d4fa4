/* SPDX-License-Identifier: MIT */
/*
 * mm/rcu.c — grace-period model for deferred frees (see mm/rcu.h).
 *
 * Per CPU: a "next" list (callbacks queued since the current GP began), a
 * "wait" list (callbacks the current GP will release) and a kfree_rcu batch
 * (kfree_rcu_cpu: pointers waiting for the monitor work). One "rcu_gp" sim
 * process (softirq context) drives the state machine:
 *   - a kfree batch whose monitor deadline passed moves to that CPU's "next"
 *     (kfree_rcu_monitor → queue_rcu_work);
 *   - at the end of a GP every "wait" list is invoked on its CPU, then if any
 *     "next" list is non-empty, next → wait and a new GP of gp_len starts.
 * Monitor deadline (6.1.y schedule_delayed_monitor_work): first add arms
 * now + KFREE_DRAIN_JIFFIES; when the batch reaches KVFREE_BULK_MAX_ENTR the
 * deadline is pulled in to now + 1 jiffy.
 *
 * Invariants: wait lists are non-empty only while a GP is active; pending =
 * Σ(next + wait + batch). Host memory for the lists grows by doubling and is
 * reused (no allocation in steady state).
 * Simplified: GP length is a parameter rather than the result of quiescent
 * states; all CPUs share one GP; the kfree batch is one list per CPU (the
 * kernel keeps per-type page-sized blocks and channels).
 */
#include "mm/rcu.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cpu.h"
#include "machine/cost.h"
#include "machine/machine.h"
#include "mm/internal.h"
#include "sim/log.h"

/* Queuing costs [U]: call_rcu's enqueue (irq save/restore + list append) and
 * kvfree_call_rcu's store into the per-CPU page block. */
#define CALL_RCU_CYCLES   50
#define KFREE_RCU_CYCLES  40

struct rcu_cb {
	void (*fn)(void *arg, unsigned long val);
	void *arg;
	unsigned long val;
};

struct cb_vec {
	struct rcu_cb *v;
	size_t n, cap;
};

struct rcu_cpu {
	struct cb_vec next, wait, batch;
	sim_time_t batch_deadline;       /* valid when batch.n > 0 */
};

static struct rcu_params params;
static struct rcu_cpu *cpus;
static int nr_cpus;
static bool gp_active;
static sim_time_t gp_end;
static unsigned long completed, invoked, pending;
static struct sim_event *wake_ev;
static struct sim_proc *gp_proc;
static sim_time_t thread_wake = SIM_TIME_MAX;   /* when the process will next look */

void rcu_default_params(struct rcu_params *p)
{
	p->gp_len = 10 * SIM_MS;                 /* [U] a few jiffies on a lightly loaded box */
	p->kfree_drain_delay = 5 * SIM_SEC;      /* KFREE_DRAIN_JIFFIES = 5 * HZ (6.1.y) */
	p->kfree_drain_fast = 4 * SIM_MS;        /* 1 jiffy at HZ=250 */
	p->kfree_batch_max = 510;                /* (PAGE_SIZE - 16) / sizeof(void *) */
}

const struct rcu_params *rcu_get_params(void)
{
	return &params;
}

static int vec_push(struct cb_vec *v, const struct rcu_cb *cb)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		struct rcu_cb *nv = realloc(v->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = *cb;
	return 0;
}

/* Append all of @src to @dst, leaving @src empty (its buffer kept). */
static void vec_move(struct cb_vec *dst, struct cb_vec *src)
{
	for (size_t i = 0; i < src->n; i++)
		if (vec_push(dst, &src->v[i]) < 0) {
			sim_error("rcu: out of host memory, callbacks dropped");
			break;
		}
	src->n = 0;
}

static void gp_thread(void *arg);

static void rcu_reset(void)
{
	if (cpus) {
		for (int i = 0; i < nr_cpus; i++) {
			free(cpus[i].next.v);
			free(cpus[i].wait.v);
			free(cpus[i].batch.v);
		}
		free(cpus);
	}
	cpus = NULL;
	nr_cpus = 0;
	gp_active = false;
	completed = invoked = pending = 0;
	thread_wake = SIM_TIME_MAX;
	wake_ev = NULL;
	gp_proc = NULL;
}

void rcu_shutdown(void)
{
	rcu_reset();
}

int rcu_init(const struct rcu_params *p)
{
	int n = mm.booted ? mm.nr_cpus : (machine_built() ? machine_nr_cpus() : 1);

	rcu_reset();
	if (p)
		params = *p;
	else
		rcu_default_params(&params);
	if (n < 1)
		n = 1;
	cpus = calloc((size_t)n, sizeof(*cpus));
	if (!cpus)
		return -ENOMEM;
	nr_cpus = n;
	return 0;
}

/* The process is started lazily on the first deferred callback, so a run that
 * never uses RCU has no extra process. */
static void ensure_thread(void)
{
	if (gp_proc || !machine_built() || nr_cpus > machine_nr_cpus())
		return;
	wake_ev = sim_event_new("rcu_gp");
	if (!wake_ev)
		return;
	gp_proc = cpu_spawn("rcu_gp", 0, CTX_SOFTIRQ, gp_thread, wake_ev, NULL, sim_now());
}

static void kick(sim_time_t when)
{
	sim_time_t now = sim_now();

	ensure_thread();
	if (!wake_ev || when >= thread_wake)
		return;
	thread_wake = when;
	sim_event_notify(wake_ev, when > now ? when - now : 0);
}

static struct rcu_cpu *this_rcu_cpu(int *cpu)
{
	int c = smp_processor_id();

	if (c < 0 || c >= nr_cpus)
		c = 0;
	*cpu = c;
	return &cpus[c];
}

void rcu_call_fn(void (*fn)(void *arg, unsigned long val), void *arg, unsigned long val)
{
	struct rcu_cb cb = { fn, arg, val };
	struct rcu_cpu *rc;
	int cpu;

	if (!cpus && rcu_init(NULL) < 0)
		return;
	rc = this_rcu_cpu(&cpu);
	cost_cycles(CALL_RCU_CYCLES);
	if (vec_push(&rc->next, &cb) < 0) {
		sim_error("rcu: out of host memory, callback dropped");
		return;
	}
	pending++;
	if (!gp_active)
		kick(sim_now());
}

static void head_trampoline(void *arg, unsigned long val)
{
	struct rcu_head *head = arg;

	(void)val;
	head->func(head);
}

void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	head->func = func;
	head->next = NULL;
	rcu_call_fn(head_trampoline, head, 0);
}

static void kfree_trampoline(void *arg, unsigned long val)
{
	void (*free_fn)(const void *) = (void (*)(const void *))arg;

	free_fn((const void *)val);
}

void rcu_kfree_batch_add(unsigned long ptr, void (*free_fn)(const void *p))
{
	struct rcu_cb cb = { kfree_trampoline, (void *)free_fn, ptr };
	struct rcu_cpu *rc;
	sim_time_t now, dl;
	int cpu;

	if (!cpus && rcu_init(NULL) < 0)
		return;
	rc = this_rcu_cpu(&cpu);
	cost_cycles(KFREE_RCU_CYCLES);
	now = sim_now();
	if (vec_push(&rc->batch, &cb) < 0) {
		sim_error("rcu: out of host memory, kfree_rcu dropped");
		return;
	}
	pending++;
	dl = now + (rc->batch.n >= params.kfree_batch_max ? params.kfree_drain_fast
							   : params.kfree_drain_delay);
	if (rc->batch.n == 1 || dl < rc->batch_deadline)
		rc->batch_deadline = dl;
	kick(rc->batch_deadline);
}

/* Invoke one CPU's wait list on that CPU (softirq context). */
static void invoke_wait(int cpu)
{
	struct rcu_cpu *rc = &cpus[cpu];
	struct exec_ctx *ctx = this_ctx();
	int saved_cpu = ctx->cpu;

	if (!rc->wait.n)
		return;
	ctx->cpu = cpu;
	/* Callbacks may queue more (onto "next"): "wait" is stable while we walk it. */
	for (size_t i = 0; i < rc->wait.n; i++) {
		struct rcu_cb cb = rc->wait.v[i];

		cb.fn(cb.arg, cb.val);
		invoked++;
		pending--;
	}
	rc->wait.n = 0;
	ctx->cpu = saved_cpu;
}

static bool any_next(void)
{
	for (int c = 0; c < nr_cpus; c++)
		if (cpus[c].next.n)
			return true;
	return false;
}

/* One pass of the state machine at @now; returns the next time it must run. */
static sim_time_t rcu_process(sim_time_t now)
{
	sim_time_t wake = SIM_TIME_MAX;

	for (int c = 0; c < nr_cpus; c++) {
		struct rcu_cpu *rc = &cpus[c];

		if (rc->batch.n && rc->batch_deadline <= now)
			vec_move(&rc->next, &rc->batch);
	}
	if (gp_active && now >= gp_end) {
		gp_active = false;
		completed++;
		for (int c = 0; c < nr_cpus; c++)
			invoke_wait(c);
	}
	if (!gp_active && any_next()) {
		for (int c = 0; c < nr_cpus; c++)
			vec_move(&cpus[c].wait, &cpus[c].next);
		gp_active = true;
		gp_end = now + params.gp_len;
	}
	if (gp_active)
		wake = gp_end;
	for (int c = 0; c < nr_cpus; c++)
		if (cpus[c].batch.n && cpus[c].batch_deadline < wake)
			wake = cpus[c].batch_deadline;
	return wake;
}

static void gp_thread(void *arg)
{
	struct sim_event *ev = arg;

	/* A reset (rcu_init / rcu_shutdown) orphans this thread: it then ends. */
	while (ev == wake_ev) {
		sim_time_t now = sim_now();
		sim_time_t wake = rcu_process(now);

		thread_wake = wake;
		if (wake == SIM_TIME_MAX)
			sim_wait(ev);
		else if (wake > now)
			sim_wait_timeout(ev, wake - now);
		if (ev == wake_ev)
			thread_wake = SIM_TIME_MAX;
	}
}

void synchronize_rcu(void)
{
	if (sim_current())
		sim_sleep(params.gp_len);
}

void rcu_barrier(void)
{
	bool work;

	if (!cpus)
		return;
	if (sim_current() && pending)
		sim_sleep(params.gp_len);
	do {
		work = false;
		for (int c = 0; c < nr_cpus; c++) {
			struct rcu_cpu *rc = &cpus[c];

			vec_move(&rc->wait, &rc->batch);
			vec_move(&rc->wait, &rc->next);
			if (rc->wait.n) {
				work = true;
				invoke_wait(c);
			}
		}
		if (work)
			completed++;
	} while (work);
	gp_active = false;
}

unsigned long rcu_pending_callbacks(void) { return pending; }
unsigned long rcu_completed_gps(void) { return completed; }
unsigned long rcu_invoked_callbacks(void) { return invoked; }

int rcu_check(void)
{
	unsigned long n = 0;

	for (int c = 0; c < nr_cpus; c++) {
		n += cpus[c].next.n + cpus[c].wait.n + cpus[c].batch.n;
		if (!gp_active && cpus[c].wait.n) {
			sim_error("rcu_check: cpu %d has %zu waiting callbacks with no GP active",
				  c, cpus[c].wait.n);
			return -1;
		}
	}
	if (n != pending) {
		sim_error("rcu_check: %lu callbacks queued but pending count %lu", n, pending);
		return -1;
	}
	return 0;
}
