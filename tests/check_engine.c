/* SPDX-License-Identifier: MIT */
/*
 * tests/check_engine.c — suite "engine": time, quantum keeper, events,
 * processes and run control of sim/engine. Every test builds its own
 * SystemC kernel, so the suite relies on Check's fork mode (the default).
 */
#include <check.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sim/engine.h"
#include "tests/suites.h"

static void init_q(sim_time_t quantum, bool timing)
{
	struct sim_params p = { .quantum = quantum, .timing = timing };

	ck_assert_int_eq(sim_init(&p), 0);
}

/* ------------------------------------------------------------------------ */

struct adv_rec {
	sim_time_t now_before_sync, off_before_sync, syncs_before;
	sim_time_t now_after_sync, off_after_sync, global_after;
	uint64_t syncs_after;
	struct sim_proc *self;
	int ran;
};

static void adv_fn(void *ctx)
{
	struct adv_rec *r = ctx;
	struct sim_engine_stats st;

	r->self = sim_current();
	for (int i = 0; i < 9; i++)
		sim_advance(100 * SIM_NS);
	r->now_before_sync = sim_now();
	r->off_before_sync = sim_proc_offset(r->self);
	sim_engine_stats(&st);
	r->syncs_before = st.syncs;
	sim_advance(100 * SIM_NS);      /* reaches the 1 us quantum: no yield yet */
	sim_engine_stats(&st);
	ck_assert_uint_eq(st.syncs, 0);
	sim_cond_resched();             /* the preemption point syncs */
	r->now_after_sync = sim_now();
	r->off_after_sync = sim_proc_offset(r->self);
	sim_engine_stats(&st);
	r->syncs_after = st.syncs;
	r->ran = 1;
}

START_TEST(test_advance_quantum)
{
	static struct adv_rec r;
	struct sim_proc *p;

	init_q(SIM_US, true);
	p = sim_spawn("adv", adv_fn, &r, 0);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_null(sim_current());
	ck_assert_int_eq(sim_run(SIM_MS), 2);
	ck_assert_int_eq(r.ran, 1);
	ck_assert_ptr_eq(r.self, p);
	ck_assert_uint_eq(r.now_before_sync, 900 * SIM_NS);
	ck_assert_uint_eq(r.off_before_sync, 900 * SIM_NS);
	ck_assert_uint_eq(r.syncs_before, 0);
	ck_assert_uint_eq(r.now_after_sync, SIM_US);
	ck_assert_uint_eq(r.off_after_sync, 0);
	ck_assert_uint_eq(r.syncs_after, 1);
	ck_assert(sim_proc_done(p));
	ck_assert_uint_eq(sim_now(), SIM_US);
	struct sim_engine_stats st;
	sim_engine_stats(&st);
	ck_assert_uint_eq(st.advances, 10);
	ck_assert_uint_eq(st.procs_spawned, 1);
	sim_shutdown();
}
END_TEST

/* quantum 0: every preemption point synchronises */
static void adv0_fn(void *ctx)
{
	sim_time_t *off = ctx;

	for (int i = 0; i < 5; i++) {
		sim_advance(7 * SIM_NS);
		sim_cond_resched();
		*off += sim_proc_offset(sim_current());
	}
}

START_TEST(test_quantum_zero)
{
	static sim_time_t off;
	struct sim_engine_stats st;

	init_q(0, true);
	sim_spawn("q0", adv0_fn, &off, 0);
	ck_assert_int_eq(sim_run(SIM_MS), 2);
	sim_engine_stats(&st);
	ck_assert_uint_eq(off, 0);
	ck_assert_uint_eq(st.syncs, 5);
	ck_assert_uint_eq(sim_now(), 35 * SIM_NS);
	sim_shutdown();
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Causality across processes with different quanta. */

/* Events scheduled exactly at the sim_run() limit are left for the next run. */
#define EDGE_AT_LIMIT 1

#define ROUNDS 50
static struct sim_event *ping, *pong;
static sim_time_t notify_at[ROUNDS], wake_at[ROUNDS], back_at[ROUNDS], seen_back[ROUNDS];

static void pinger(void *ctx)
{
	sim_proc_set_quantum(sim_current(), 10 * SIM_US);
	for (int i = 0; i < ROUNDS; i++) {
		sim_advance((sim_time_t)(i % 7 + 1) * 130 * SIM_NS);
		notify_at[i] = sim_now();
		sim_event_notify(ping, 0);
		sim_wait(pong);
		seen_back[i] = sim_now();
	}
}

static void ponger(void *ctx)
{
	sim_proc_set_quantum(sim_current(), 100 * SIM_NS);
	for (int i = 0; i < ROUNDS; i++) {
		sim_wait(ping);
		wake_at[i] = sim_now();
		sim_advance((sim_time_t)(i % 5 + 1) * 90 * SIM_NS);
		back_at[i] = sim_now();
		sim_event_notify(pong, 10 * SIM_NS);
	}
}

START_TEST(test_event_causality)
{
	init_q(SIM_US, true);
	ping = sim_event_new("ping");
	pong = sim_event_new("pong");
	/* the waiter is spawned first so it is waiting before the first notify */
	sim_spawn("ponger", ponger, NULL, 0);
	sim_spawn("pinger", pinger, NULL, 0);
	ck_assert_int_eq(sim_run(SIM_SEC), 2);
	for (int i = 0; i < ROUNDS; i++) {
		ck_assert_uint_eq(wake_at[i], notify_at[i]);
		ck_assert_uint_ge(back_at[i], wake_at[i]);
		ck_assert_uint_eq(seen_back[i], back_at[i] + 10 * SIM_NS);
		if (i)
			ck_assert_uint_gt(notify_at[i], seen_back[i - 1]);
	}
	sim_shutdown();
}
END_TEST

/* Ordering in simulated time of events notified by several processes. */
static struct sim_event *ord_ev[3];
static int ord_log[3], ord_n;
static sim_time_t ord_t[3];

static void ord_notifier(void *ctx)
{
	int k = (int)(intptr_t)ctx;

	sim_advance((sim_time_t)(3 - k) * 200 * SIM_NS);  /* stays below the quantum */
	sim_event_notify(ord_ev[k], 0);
}

static void ord_waiter(void *ctx)
{
	int k = (int)(intptr_t)ctx;

	sim_wait(ord_ev[k]);
	ord_t[k] = sim_now();
	ord_log[ord_n++] = k;
}

START_TEST(test_event_order)
{
	init_q(SIM_US, true);
	for (int k = 0; k < 3; k++) {
		ord_ev[k] = sim_event_new("ord");
		sim_spawn("waiter", ord_waiter, (void *)(intptr_t)k, 0);
	}
	for (int k = 0; k < 3; k++)
		sim_spawn("notifier", ord_notifier, (void *)(intptr_t)k, 0);
	ck_assert_int_eq(sim_run(SIM_MS), 2);
	ck_assert_int_eq(ord_n, 3);
	ck_assert_int_eq(ord_log[0], 2);
	ck_assert_int_eq(ord_log[1], 1);
	ck_assert_int_eq(ord_log[2], 0);
	ck_assert_uint_eq(ord_t[2], 200 * SIM_NS);
	ck_assert_uint_eq(ord_t[0], 600 * SIM_NS);
	sim_shutdown();
}
END_TEST

/* ------------------------------------------------------------------------ */

static struct sim_event *to_ev;
static int to_fired[2];
static sim_time_t to_t[2];

static void to_waiter(void *ctx)
{
	to_fired[0] = sim_wait_timeout(to_ev, 5 * SIM_US);   /* notified at 2 us */
	to_t[0] = sim_now();
	to_fired[1] = sim_wait_timeout(to_ev, 5 * SIM_US);   /* nobody notifies */
	to_t[1] = sim_now();
}

static void to_notifier(void *ctx)
{
	sim_sleep(2 * SIM_US);
	sim_event_notify(to_ev, 0);
}

START_TEST(test_wait_timeout)
{
	init_q(SIM_US, true);
	to_ev = sim_event_new("to");
	to_fired[0] = to_fired[1] = -1;
	sim_spawn("waiter", to_waiter, NULL, 0);
	sim_spawn("notifier", to_notifier, NULL, 0);
	ck_assert_int_eq(sim_run(SIM_MS), 2);
	ck_assert_int_eq(to_fired[0], 1);
	ck_assert_uint_eq(to_t[0], 2 * SIM_US);
	ck_assert_int_eq(to_fired[1], 0);
	ck_assert_uint_eq(to_t[1], 7 * SIM_US);
	sim_shutdown();
}
END_TEST

static sim_time_t sl_t[2];

static void sleeper(void *ctx)
{
	sim_advance(300 * SIM_NS);
	sim_sleep(5 * SIM_US);          /* consumes the offset, then sleeps */
	sl_t[0] = sim_now();
	sim_sleep(0);
	sl_t[1] = sim_now();
}

START_TEST(test_sleep)
{
	init_q(SIM_US, true);
	sim_spawn("sleeper", sleeper, NULL, 3 * SIM_US);
	ck_assert_int_eq(sim_run(SIM_MS), 2);
	ck_assert_uint_eq(sl_t[0], 3 * SIM_US + 300 * SIM_NS + 5 * SIM_US);
	ck_assert_uint_eq(sl_t[1], sl_t[0]);
	sim_shutdown();
}
END_TEST

/* ------------------------------------------------------------------------ */

static int ticks;

static void ticker(void *ctx)
{
	for (;;) {
		sim_sleep(SIM_US);
		ticks++;
	}
}

START_TEST(test_run_until_twice)
{
	init_q(SIM_US, true);
	sim_spawn("ticker", ticker, NULL, 0);
	ck_assert_int_eq(sim_run(10 * SIM_US + 500 * SIM_NS), 0);
	ck_assert_uint_eq(sim_now(), 10 * SIM_US + 500 * SIM_NS);
	ck_assert_int_eq(ticks, 10);
	ck_assert_int_eq(sim_run(20 * SIM_US + 500 * SIM_NS), 0);
	ck_assert_uint_eq(sim_now(), 20 * SIM_US + 500 * SIM_NS);
	ck_assert_int_eq(ticks, 20);
	ck_assert(!sim_stop_requested());
	sim_shutdown();
}
END_TEST

static sim_time_t stop_t;

static void stopper(void *ctx)
{
	for (int i = 1;; i++) {
		sim_sleep(SIM_US);
		if (i == 3) {
			stop_t = sim_now();
			sim_stop();
		}
	}
}

/* Activity exactly at the limit: run up to and including it, or not? Pin it. */
static int edge_n;
static void edge_fn(void *ctx)
{
	for (;;) {
		sim_sleep(5 * SIM_US);
		edge_n++;
	}
}

START_TEST(test_run_edge)
{
	init_q(SIM_US, true);
	sim_spawn("edge", edge_fn, NULL, 0);
	ck_assert_int_eq(sim_run(10 * SIM_US), 0);
	ck_assert_uint_eq(sim_now(), 10 * SIM_US);
	ck_assert_int_eq(edge_n, EDGE_AT_LIMIT);
	ck_assert_int_eq(sim_run(12 * SIM_US), 0);
	ck_assert_uint_eq(sim_now(), 12 * SIM_US);
	ck_assert_int_eq(edge_n, 2);
	ck_assert_int_eq(sim_run(10 * SIM_US), 0);              /* in the past: no-op */
	ck_assert_uint_eq(sim_now(), 12 * SIM_US);
	sim_shutdown();
}
END_TEST

START_TEST(test_stop_request)
{
	init_q(SIM_US, true);
	sim_spawn("stopper", stopper, NULL, 0);
	ck_assert_int_eq(sim_run(SIM_MS), 1);
	ck_assert(sim_stop_requested());
	ck_assert_uint_eq(stop_t, 3 * SIM_US);
	ck_assert_uint_eq(sim_now(), 3 * SIM_US);
	/* the run can be resumed */
	ck_assert_int_eq(sim_run(10 * SIM_US), 0);
	ck_assert(!sim_stop_requested());
	ck_assert_uint_eq(sim_now(), 10 * SIM_US);
	/* a stop requested outside the run is honoured by the next run */
	sim_stop();
	ck_assert_int_eq(sim_run(20 * SIM_US), 1);
	ck_assert_uint_eq(sim_now(), 10 * SIM_US);
	sim_shutdown();
}
END_TEST

/* sim_stop() from a signal handler (raised synchronously by a process). */
static void on_usr1(int sig)
{
	(void)sig;
	sim_stop();
}

static sim_time_t signal_at;

static void signaller(void *ctx)
{
	sim_sleep(2 * SIM_US);
	signal_at = sim_now();
	raise(SIGUSR1);
	for (;;)
		sim_sleep(SIM_US);
}

START_TEST(test_stop_signal)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	init_q(SIM_US, true);
	sim_spawn("signaller", signaller, NULL, 0);
	ck_assert_int_eq(sim_run(SIM_SEC), 1);
	ck_assert_uint_eq(signal_at, 2 * SIM_US);
	ck_assert_uint_eq(sim_now(), 2 * SIM_US);
	sim_shutdown();
}
END_TEST

/* Huge delays are clamped to the end of time instead of overflowing. */
static int huge_fired = -1;
static struct sim_event *huge_ev;

static void huge_fn(void *ctx)
{
	sim_advance(10 * SIM_NS);
	sim_event_notify(huge_ev, SIM_TIME_MAX);
	huge_fired = sim_wait_timeout(huge_ev, 5 * SIM_US);
	ck_assert_int_eq(sim_engine_check(), 0);
	sim_advance(20 * SIM_NS);
	ck_assert_int_eq(sim_engine_check(), 0);
}

START_TEST(test_huge_delays_and_check)
{
	init_q(SIM_US, true);
	huge_ev = sim_event_new("huge");
	sim_spawn("huge", huge_fn, NULL, 0);
	ck_assert_int_eq(sim_engine_check(), 0);
	ck_assert_int_eq(sim_run(SIM_MS), 0);
	ck_assert_int_eq(huge_fired, 0);
	ck_assert_uint_eq(sim_now(), SIM_MS);
	ck_assert_int_eq(sim_engine_check(), 0);
	sim_shutdown();
}
END_TEST

/* ------------------------------------------------------------------------ */

static struct sim_proc *child_p[2];
static sim_time_t child_start[2];
static int child_id[2];

static void child_fn(void *ctx)
{
	int k = (int)(intptr_t)ctx;

	child_start[k] = sim_now();
	child_id[k] = sim_proc_id(sim_current());
}

static void parent_fn(void *ctx)
{
	sim_sleep(2 * SIM_US);
	sim_advance(100 * SIM_NS);
	child_p[0] = sim_spawn("early", child_fn, (void *)0, 0);      /* in the past */
	child_p[1] = sim_spawn("late", child_fn, (void *)1, 5 * SIM_US);
}

START_TEST(test_spawn_inside)
{
	init_q(SIM_US, true);
	struct sim_proc *par = sim_spawn("parent", parent_fn, NULL, 0);
	ck_assert_int_eq(sim_proc_id(par), 1);
	ck_assert_int_eq(sim_run(SIM_MS), 2);
	ck_assert_ptr_nonnull(child_p[0]);
	ck_assert_ptr_nonnull(child_p[1]);
	ck_assert_int_eq(child_id[0], 2);
	ck_assert_int_eq(child_id[1], 3);
	ck_assert_str_eq(sim_proc_name(child_p[1]), "late");
	ck_assert_uint_eq(child_start[0], 2 * SIM_US + 100 * SIM_NS);
	ck_assert_uint_eq(child_start[1], 5 * SIM_US);
	ck_assert(sim_proc_done(child_p[0]) && sim_proc_done(child_p[1]) && sim_proc_done(par));
	sim_shutdown();
}
END_TEST

static sim_time_t boot_seen;
static struct sim_proc *boot_cur;

static void after_boot(void *ctx)
{
	boot_seen = sim_now();
	boot_cur = sim_current();
}

START_TEST(test_boot_clock)
{
	init_q(SIM_US, true);
	ck_assert_ptr_null(sim_current());
	ck_assert_uint_eq(sim_now(), 0);
	sim_advance(3 * SIM_US);
	sim_advance(250 * SIM_NS);
	ck_assert_uint_eq(sim_now(), 3 * SIM_US + 250 * SIM_NS);
	struct sim_proc *p = sim_spawn("after_boot", after_boot, NULL, 0);
	ck_assert_int_eq(sim_run(SIM_MS), 2);
	ck_assert_ptr_eq(boot_cur, p);
	ck_assert_uint_eq(boot_seen, 3 * SIM_US + 250 * SIM_NS);
	ck_assert_uint_ge(sim_now(), boot_seen);
	sim_shutdown();
}
END_TEST

static sim_time_t untimed_t[3];

static void untimed(void *ctx)
{
	untimed_t[0] = sim_now();
	sim_advance(5 * SIM_US);
	untimed_t[1] = sim_now();
	sim_sleep(2 * SIM_US);
	untimed_t[2] = sim_now();
}

START_TEST(test_timing_off)
{
	init_q(SIM_US, false);
	ck_assert(!sim_params()->timing);
	sim_advance(SIM_US);                    /* boot clock untouched too */
	ck_assert_uint_eq(sim_now(), 0);
	sim_spawn("untimed", untimed, NULL, SIM_US);
	ck_assert_int_eq(sim_run(SIM_MS), 2);
	ck_assert_uint_eq(untimed_t[0], SIM_US);
	ck_assert_uint_eq(untimed_t[1], SIM_US);
	ck_assert_uint_eq(untimed_t[2], 3 * SIM_US);
	sim_shutdown();
}
END_TEST

/* ------------------------------------------------------------------------ */

static int every_n;
static sim_time_t every_t[32];

static void every_cb(void *ctx, sim_time_t now)
{
	if (every_n < 32)
		every_t[every_n] = now;
	every_n++;
	ck_assert_ptr_null(sim_current());
}

START_TEST(test_every)
{
	init_q(SIM_US, true);
	ck_assert_int_eq(sim_every("tick", 2 * SIM_US, SIM_US, every_cb, NULL), 0);
	ck_assert_int_lt(sim_every("bad", 0, 0, every_cb, NULL), 0);
	ck_assert_int_eq(sim_run(10 * SIM_US + 1), 0);
	ck_assert_int_eq(every_n, 9);           /* 2, 3, ..., 10 us */
	for (int i = 0; i < 9; i++)
		ck_assert_uint_eq(every_t[i], (sim_time_t)(i + 2) * SIM_US);
	ck_assert_int_eq(sim_run(20 * SIM_US + 1), 0);
	ck_assert_int_eq(every_n, 19);
	sim_shutdown();
}
END_TEST

/* ------------------------------------------------------------------------ */

#define NPROC 256
static int many_done;
static struct sim_event *many_ev;

static void many_fn(void *ctx)
{
	uintptr_t k = (uintptr_t)ctx;

	for (unsigned i = 0; i < 100; i++) {
		sim_advance((k * 7 + i * 13) % 100 * SIM_NS + SIM_NS);
		if (i % 25 == 0)
			sim_sleep(SIM_NS * (k % 3));
	}
	if (k % 2)
		sim_wait_timeout(many_ev, SIM_US);
	many_done++;
}

START_TEST(test_many_procs)
{
	struct sim_proc *p[NPROC];

	init_q(SIM_US, true);
	many_ev = sim_event_new("many");
	for (int i = 0; i < NPROC; i++) {
		p[i] = sim_spawn("worker", many_fn, (void *)(uintptr_t)i, (sim_time_t)i * SIM_NS);
		ck_assert_ptr_nonnull(p[i]);
		ck_assert_int_eq(sim_proc_id(p[i]), i + 1);
	}
	ck_assert_int_eq(sim_run(SIM_SEC), 2);
	ck_assert_int_eq(many_done, NPROC);
	for (int i = 0; i < NPROC; i++)
		ck_assert(sim_proc_done(p[i]));
	struct sim_engine_stats st;
	sim_engine_stats(&st);
	ck_assert_uint_eq(st.advances, NPROC * 100);
	ck_assert_uint_eq(st.procs_spawned, NPROC);
	ck_assert_uint_ge(st.context_switches, NPROC);
	sim_shutdown();
}
END_TEST

/* Determinism: two fresh kernels running the same program interleave identically. */
static uint64_t det_hash = 1469598103934665603ULL;

static void det_fn(void *ctx)
{
	uint64_t x = (uintptr_t)ctx * 0x9e3779b97f4a7c15ULL + 1;

	for (int i = 0; i < 200; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		sim_advance(x % 300 * SIM_NS + 1);
		if (x % 11 == 0)
			sim_sleep(x % 50 * SIM_NS);
		det_hash = (det_hash ^ (uint64_t)sim_proc_id(sim_current())) * 1099511628211ULL;
		det_hash = (det_hash ^ sim_now()) * 1099511628211ULL;
	}
}

static uint64_t det_child_hash(void)
{
	int fd[2];
	uint64_t h = 0;
	pid_t pid;

	ck_assert_int_eq(pipe(fd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fd[0]);
		sim_init(NULL);
		for (int i = 0; i < 16; i++)
			sim_spawn("det", det_fn, (void *)(uintptr_t)i, (sim_time_t)i * SIM_NS);
		sim_run(SIM_SEC);
		if (write(fd[1], &det_hash, sizeof(det_hash)) != (ssize_t)sizeof(det_hash))
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	ck_assert_int_eq(read(fd[0], &h, sizeof(h)), (ssize_t)sizeof(h));
	close(fd[0]);
	waitpid(pid, NULL, 0);
	return h;
}

START_TEST(test_deterministic)
{
	uint64_t a = det_child_hash(), b = det_child_hash();

	ck_assert_uint_ne(a, 1469598103934665603ULL);    /* processes ran */
	ck_assert_uint_eq(a, b);
}
END_TEST

START_TEST(test_errors)
{
	ck_assert_ptr_null(sim_spawn("x", NULL, NULL, 0));     /* not initialised */
	ck_assert_int_lt(sim_run(SIM_US), 0);
	init_q(SIM_US, true);
	ck_assert_int_lt(sim_init(NULL), 0);                   /* twice */
	ck_assert_ptr_null(sim_spawn("x", NULL, NULL, 0));
	ck_assert_int_eq(sim_run(SIM_US), 2);                  /* nothing to do */
	ck_assert_ptr_eq(sim_proc_ctx(NULL), NULL);
	sim_shutdown();
	ck_assert_int_lt(sim_run(2 * SIM_US), 0);
}
END_TEST

/*
 * Atomic sections: a process that charges 10 quanta of time inside one must
 * not let the other process run in between (it models code under a lock);
 * the sync happens at the end, and cond_resched() does not yield inside.
 */
static int at_ticks;
static int at_seen_inside[3];

static void at_ticker(void *arg)
{
	(void)arg;
	for (int i = 0; i < 200; i++) {
		sim_sleep(100 * SIM_NS);
		at_ticks++;
	}
}

static void at_worker(void *arg)
{
	(void)arg;
	sim_sleep(SIM_US);
	int before = at_ticks;

	sim_atomic_begin();
	sim_atomic_begin();                     /* nesting */
	for (int i = 0; i < 10; i++)
		sim_advance(SIM_US);
	sim_atomic_end();
	at_seen_inside[0] = at_ticks - before;  /* nobody ran: still inside the outer section */
	sim_atomic_end();                       /* deferred sync: 10 us pass for the others */
	at_seen_inside[1] = at_ticks - before;
	before = at_ticks;
	sim_atomic_begin();
	sim_advance(2 * SIM_US);
	sim_cond_resched();                     /* no preemption under a "lock" */
	at_seen_inside[2] = at_ticks - before;
	sim_atomic_end();
}

START_TEST(test_atomic_section)
{
	struct sim_params p = { .quantum = SIM_US, .timing = true };

	ck_assert_int_eq(sim_init(&p), 0);
	sim_spawn("ticker", at_ticker, NULL, 0);
	sim_spawn("worker", at_worker, NULL, 0);
	sim_run(100 * SIM_US);
	ck_assert_int_eq(at_seen_inside[0], 0);
	ck_assert_int_ge(at_seen_inside[1], 95);       /* ~10 us of 100 ns ticks */
	ck_assert_int_le(at_seen_inside[1], 101);
	ck_assert_int_eq(at_seen_inside[2], 0);
}
END_TEST

Suite *engine_suite(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_advance_quantum);
	tcase_add_test(tc, test_quantum_zero);
	tcase_add_test(tc, test_event_causality);
	tcase_add_test(tc, test_event_order);
	tcase_add_test(tc, test_wait_timeout);
	tcase_add_test(tc, test_sleep);
	tcase_add_test(tc, test_run_until_twice);
	tcase_add_test(tc, test_run_edge);
	tcase_add_test(tc, test_stop_request);
	tcase_add_test(tc, test_stop_signal);
	tcase_add_test(tc, test_huge_delays_and_check);
	tcase_add_test(tc, test_spawn_inside);
	tcase_add_test(tc, test_boot_clock);
	tcase_add_test(tc, test_timing_off);
	tcase_add_test(tc, test_every);
	tcase_add_test(tc, test_many_procs);
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_atomic_section);
	suite_add_tcase(s, tc);
	return s;
}
