// SPDX-License-Identifier: MIT
/*
 * sim/engine.cc — the C API of sim/engine.h over SystemC 2.3.4.
 *
 * What it models: simulated time (integer picoseconds, SystemC resolution
 * 1 ps), processes (dynamic SC_THREADs created with sc_spawn, one coroutine
 * each, default SystemC stack size: 256 KiB committed lazily), events
 * (sc_event), periodic callbacks (dynamic SC_METHODs using next_trigger) and a
 * loosely-timed quantum keeper (temporal decoupling, as TLM-2.0's
 * tlm_quantumkeeper does, without the TLM classes).
 *
 * Invariants:
 *  - g_cur points to the sim_proc whose coroutine is running, NULL when the
 *    scheduler, a periodic callback or the host main() runs. Every place where
 *    a process can resume (its first activation and the return of every
 *    wait() issued here) re-asserts g_cur, so sim_current() is one load.
 *  - A process's absolute simulated time is sc_time_stamp() + p->offset;
 *    the offset is < quantum except transiently inside sim_advance(), and is
 *    0 whenever the process is blocked (blocking calls consume it first).
 *  - No C++ exception crosses into C: every extern "C" entry point catches
 *    everything, logs it with sim_log() and returns an error value. The one
 *    exception is sc_unwind_exception (a process being killed or reset),
 *    which must unwind the coroutine; the engine never kills or resets a
 *    process, so it cannot happen.
 *  - Under AddressSanitizer the host thread's stack is re-declared to ASan
 *    after every sc_start() (see asan_restore_main_stack()), so LeakSanitizer
 *    works with no special ASAN_OPTIONS.
 *  - SystemC reports go to sim_log() (stderr); stdout stays clean.
 *
 * Simplifications / choices:
 *  - Boot clock: sim_advance() outside any process before the first sim_run()
 *    accumulates into a boot clock (the "epoch"). Simulation starts at the
 *    epoch: a process or periodic callback whose start is earlier starts at
 *    the epoch, and notifications from outside a process before sim_run() are
 *    relative to it, so sim_now() never goes backwards. After sim_run() has
 *    started, sim_advance() outside a process (e.g. in a sim_every callback)
 *    charges nothing.
 *  - A process whose function returns first synchronises its remaining local
 *    offset, so the global time at the end of a run includes all charged time.
 *  - sim_stop() only sets a volatile sig_atomic_t; the flag is polled at
 *    every process resumption, every quantum sync, every periodic callback and
 *    before every sc_start, and turns into sc_pause() (never sc_stop(), which
 *    would forbid restarting).
 *  - sim_shutdown() frees the names the engine copied and makes every later
 *    call fail; process and event records and the SystemC objects behind them
 *    (coroutines of blocked processes may still point at them) stay reachable
 *    until the host process exits: SystemC cannot be torn down and restarted
 *    in one host process.
 *  - sim_run(until) leaves activity scheduled exactly at @until to the next
 *    sim_run() (SystemC's sc_start(duration) semantics).
 */
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <vector>

#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <systemc>

#if defined(__SANITIZE_ADDRESS__)
#include <pthread.h>
#include <sanitizer/common_interface_defs.h>
#endif

extern "C" {
#include "sim/engine.h"
#include "sim/log.h"
}

using namespace sc_core;

#if defined(__GNUC__)
#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#else
#define likely(x)   (x)
#define unlikely(x) (x)
#endif

struct sim_proc {
	int id;
	bool done;
	sim_time_t offset;      /* local time ahead of sc_time_stamp() */
	sim_time_t quantum;     /* sync when offset >= quantum (>= 1) */
	int atomic;             /* sim_atomic_begin() depth: no quantum sync while > 0 */
	sim_time_t start;       /* requested absolute start */
	sim_proc_fn fn;
	void *ctx;
	char *name;
};

struct sim_event {
	sc_event ev;
	char *name;
};

struct sim_periodic {
	sim_time_t start;
	sim_time_t period;
	void (*fn)(void *ctx, sim_time_t now);
	void *ctx;
	char *name;
	bool started;
};

enum engine_state { ENG_NONE, ENG_READY, ENG_SHUT };

static engine_state g_state = ENG_NONE;
static struct sim_params g_params = { SIM_DEFAULT_QUANTUM, true };
static sim_time_t g_quantum_eff = SIM_DEFAULT_QUANTUM;  /* max(quantum, 1) */
static bool g_timing = true;
static struct sim_proc *g_cur;
static sim_time_t g_boot;               /* boot clock (outside processes) */
static sim_time_t g_epoch;              /* boot clock frozen at first sim_run */
static bool g_run_started;
static bool g_in_run;
static volatile sig_atomic_t g_stop_req;
static bool g_last_stopped;
static int g_next_id = 1;
static struct sim_engine_stats g_stats;
static std::vector<sim_proc *> *g_procs;
static std::vector<sim_event *> *g_events;
static std::vector<sim_periodic *> *g_periodics;

/* ------------------------------------------------------------------------ */
/* helpers */

static inline sim_time_t now_global(void)
{
	return (sim_time_t)sc_time_stamp().value();
}

static inline sc_time ps(sim_time_t t)
{
	return sc_time::from_value((sc_dt::uint64)t);
}

/* Make room for one more element (push_back cannot throw after this). */
template <typename T> static void grow(std::vector<T> *v)
{
	if (v->size() == v->capacity())
		v->reserve(v->size() * 2 + 16);
}

/* @d from now, clamped so that global time + @d does not overflow. */
static inline sim_time_t clamp_delay(sim_time_t d)
{
	sim_time_t room = SIM_TIME_MAX - now_global();

	return d < room ? d : room;
}

static char *dup_name(const char *name, const char *dflt)
{
	const char *s = name ? name : dflt;
	size_t n = strlen(s) + 1;
	char *d = (char *)malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

static void log_exception(const char *where)
{
	try {
		throw;
	} catch (const sc_report &r) {
		sim_error("engine: %s: SystemC: %s", where, r.what());
	} catch (const std::exception &e) {
		sim_error("engine: %s: %s", where, e.what());
	} catch (...) {
		sim_error("engine: %s: unknown C++ exception", where);
	}
}

#if defined(__SANITIZE_ADDRESS__)
/*
 * libsystemc annotates its coroutine switches for ASan (weak
 * __sanitizer_{start,finish}_switch_fiber), but the main context has no
 * stack of its own in sc_cor_qt, so after sc_start() returns ASan still
 * believes the host thread runs on the last coroutine's stack. LeakSanitizer
 * then scans that (possibly unmapped, guard-paged) stack instead of main's:
 * it crashes ("Tracer caught signal 11") or reports what main's locals hold
 * as leaked. We record the real stack at sim_init() and re-declare it after
 * every sc_start().
 */
static void *g_main_stack_lo;
static size_t g_main_stack_sz;

static void asan_note_main_stack(void)
{
	pthread_attr_t a;

	if (pthread_getattr_np(pthread_self(), &a) == 0) {
		if (pthread_attr_getstack(&a, &g_main_stack_lo, &g_main_stack_sz) != 0)
			g_main_stack_sz = 0;
		pthread_attr_destroy(&a);
	}
}

static void asan_restore_main_stack(void)
{
	void *fake = NULL;
	const void *old_lo;
	size_t old_sz;

	if (!g_main_stack_sz)
		return;
	__sanitizer_start_switch_fiber(&fake, g_main_stack_lo, g_main_stack_sz);
	__sanitizer_finish_switch_fiber(fake, &old_lo, &old_sz);
}
#else
static inline void asan_note_main_stack(void) { }
static inline void asan_restore_main_stack(void) { }
#endif

/* Poll the async stop flag; only called in simulation context. */
static inline void poll_stop(void)
{
	if (unlikely(g_stop_req))
		sc_pause();
}

/* Called every time process @p gets the CPU back. */
static inline void resumed(struct sim_proc *p)
{
	g_cur = p;
	g_stats.context_switches++;
	poll_stop();
}

/*
 * Wait helpers: the only places a process yields. They run inside a process,
 * never throw into C (an unwind exception from a process kill is rethrown:
 * the engine never kills processes, so that would be a SystemC bug).
 */
static void proc_wait_time(struct sim_proc *p, sim_time_t dt)
{
	poll_stop();            /* a stop requested by this process takes effect now */
	wait(ps(dt));
	resumed(p);
}

/* Consume the local offset: after this, sc_time_stamp() is the process's time. */
static inline void consume_offset(struct sim_proc *p)
{
	if (p->offset) {
		sim_time_t o = p->offset;

		p->offset = 0;
		g_stats.syncs++;
		proc_wait_time(p, o);
	}
}

static void report_handler(const sc_report &rep, const sc_actions &actions)
{
	if (actions & SC_DISPLAY) {
		enum sim_log_level lvl;

		switch (rep.get_severity()) {
		case SC_INFO: lvl = SIM_LOG_DEBUG; break;
		case SC_WARNING: lvl = SIM_LOG_WARN; break;
		default: lvl = SIM_LOG_ERROR; break;
		}
		sim_log(lvl, "systemc: %s", sc_report_compose_message(rep).c_str());
	}
	if (actions & SC_STOP)
		g_stop_req = 1;         /* never sc_stop(): it forbids a restart */
	if (actions & SC_ABORT)
		abort();
	if (actions & SC_THROW)
		throw rep;
}

/* ------------------------------------------------------------------------ */
/* process and periodic bodies */

struct proc_body {
	struct sim_proc *p;
	void operator()() const
	{
		struct sim_proc *self = p;
		sim_time_t target, now;

		resumed(self);
		target = self->start > g_epoch ? self->start : g_epoch;
		now = now_global();
		if (target > now)
			proc_wait_time(self, target - now);
		self->fn(self->ctx);
		g_cur = self;
		consume_offset(self);
		self->done = true;
		g_cur = NULL;
		poll_stop();
	}
};

struct periodic_body {
	struct sim_periodic *t;
	void operator()() const
	{
		struct sim_periodic *pt = t;
		sim_time_t now = now_global();

		g_cur = NULL;
		if (!pt->started) {
			sim_time_t target = pt->start > g_epoch ? pt->start : g_epoch;

			pt->started = true;
			if (target > now) {
				next_trigger(ps(target - now));
				return;
			}
		}
		pt->fn(pt->ctx, now);
		g_cur = NULL;
		poll_stop();
		next_trigger(ps(pt->period));
	}
};

/* ------------------------------------------------------------------------ */
/* C API */

extern "C" {

/* Never called: our C main() takes precedence over libsystemc's. */
int sc_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	sim_error("engine: sc_main called: the engine is driven through sim_init/sim_run");
	return 1;
}

int sim_init(const struct sim_params *p)
{
	if (g_state != ENG_NONE) {
		sim_error("engine: sim_init: already initialised (one simulation per host process)");
		return -EALREADY;
	}
	try {
		setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
		sc_report_handler::set_handler(report_handler);
		sc_set_time_resolution(1, SC_PS);
		asan_note_main_stack();
		if (p)
			g_params = *p;
		g_quantum_eff = g_params.quantum ? g_params.quantum : 1;
		g_timing = g_params.timing;
		g_procs = new std::vector<sim_proc *>();
		g_events = new std::vector<sim_event *>();
		g_periodics = new std::vector<sim_periodic *>();
		g_state = ENG_READY;
		return 0;
	} catch (...) {
		log_exception("sim_init");
		return -EINVAL;
	}
}

struct sim_proc *sim_spawn(const char *name, sim_proc_fn fn, void *ctx, sim_time_t start)
{
	struct sim_proc *p;
	char scname[32];

	if (g_state != ENG_READY || !fn) {
		sim_error("engine: sim_spawn(%s): %s", name ? name : "?",
			  fn ? "engine not initialised" : "NULL function");
		return NULL;
	}
	p = (struct sim_proc *)calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->name = dup_name(name, "proc");
	if (!p->name) {
		free(p);
		return NULL;
	}
	p->fn = fn;
	p->ctx = ctx;
	p->quantum = g_quantum_eff;
	p->start = start;
	if (g_cur) {            /* never start before the spawner's local time */
		sim_time_t t = sim_now();

		if (p->start < t)
			p->start = t;
	} else if (!g_run_started && p->start < g_boot) {
		p->start = g_boot;
	}
	try {
		sc_spawn_options opts;

		grow(g_procs);
		p->id = g_next_id++;
		snprintf(scname, sizeof(scname), "sim_proc_%d", p->id);
		sc_spawn(proc_body{ p }, scname, &opts);
		g_procs->push_back(p);
		g_stats.procs_spawned++;
		return p;
	} catch (...) {
		log_exception("sim_spawn");
		free(p->name);
		free(p);
		return NULL;
	}
}

struct sim_proc *sim_current(void)
{
	return g_cur;
}

void *sim_proc_ctx(const struct sim_proc *p)
{
	return p ? p->ctx : NULL;
}

void sim_proc_set_ctx(struct sim_proc *p, void *ctx)
{
	if (p)
		p->ctx = ctx;
}

const char *sim_proc_name(const struct sim_proc *p)
{
	return p && p->name ? p->name : "(none)";
}

int sim_proc_id(const struct sim_proc *p)
{
	return p ? p->id : 0;
}

bool sim_proc_done(const struct sim_proc *p)
{
	return p ? p->done : false;
}

sim_time_t sim_proc_offset(const struct sim_proc *p)
{
	return p ? p->offset : 0;
}

void sim_proc_set_quantum(struct sim_proc *p, sim_time_t q)
{
	if (p)
		p->quantum = q ? q : 1;
}

sim_time_t sim_now(void)
{
	struct sim_proc *p = g_cur;

	if (p)
		return now_global() + p->offset;
	if (!g_run_started)
		return g_boot;
	if (g_state == ENG_NONE)
		return 0;
	return now_global();
}

/* Slow path of sim_advance(): the offset reached the quantum. */
static void __attribute__((noinline)) advance_sync(struct sim_proc *p)
{
	try {
		consume_offset(p);
	} catch (const sc_unwind_exception &) {
		throw;         /* a killed process must unwind (the engine never kills) */
	} catch (...) {
		log_exception("sim_advance");
	}
}

void sim_advance(sim_time_t dt)
{
	struct sim_proc *p = g_cur;

	g_stats.advances++;
	if (unlikely(!g_timing))
		return;
	if (likely(p != NULL)) {
		/* Never yields: see the preemption points in engine.h. */
		p->offset += dt;
		return;
	}
	if (!g_run_started)
		g_boot += dt;
}

void sim_atomic_begin(void)
{
	if (g_cur)
		g_cur->atomic++;
}

void sim_cond_resched(void)
{
	struct sim_proc *p = g_cur;

	if (p && g_timing && p->offset >= p->quantum && !p->atomic)
		advance_sync(p);
}

void sim_atomic_end(void)
{
	struct sim_proc *p = g_cur;

	if (!p || p->atomic <= 0)
		return;
	if (--p->atomic == 0 && g_timing && p->offset >= p->quantum)
		advance_sync(p);
}

void sim_sync(void)
{
	struct sim_proc *p = g_cur;

	if (!p)
		return;
	try {
		if (p->offset) {
			consume_offset(p);
		} else {
			/* Nothing to consume: still let same-time processes run. */
			g_stats.syncs++;
			poll_stop();
			wait(SC_ZERO_TIME);
			resumed(p);
		}
	} catch (const sc_unwind_exception &) {
		throw;         /* a killed process must unwind (the engine never kills) */
	} catch (...) {
		log_exception("sim_sync");
	}
}

void sim_sleep(sim_time_t dt)
{
	struct sim_proc *p = g_cur;

	if (!p) {
		sim_error("engine: sim_sleep called outside a process");
		return;
	}
	try {
		/* One wait covers both the local offset and the sleep. */
		sim_time_t total = dt < SIM_TIME_MAX - p->offset ? p->offset + dt : SIM_TIME_MAX;

		total = clamp_delay(total);
		if (p->offset)
			g_stats.syncs++;
		p->offset = 0;
		if (total)
			proc_wait_time(p, total);
		else {
			poll_stop();
			wait(SC_ZERO_TIME);
			resumed(p);
		}
	} catch (const sc_unwind_exception &) {
		throw;         /* a killed process must unwind (the engine never kills) */
	} catch (...) {
		log_exception("sim_sleep");
	}
}

struct sim_event *sim_event_new(const char *name)
{
	struct sim_event *e = NULL;

	if (g_state != ENG_READY) {
		sim_error("engine: sim_event_new(%s): engine not initialised", name ? name : "?");
		return NULL;
	}
	try {
		grow(g_events);
		e = new sim_event();
		e->name = dup_name(name, "event");
		g_events->push_back(e);
		return e;
	} catch (...) {
		log_exception("sim_event_new");
		delete e;
		return NULL;
	}
}

void sim_event_notify(struct sim_event *ev, sim_time_t delay)
{
	struct sim_proc *p = g_cur;

	if (!ev)
		return;
	try {
		sim_time_t d = delay;

		sim_time_t base = p ? p->offset : !g_run_started ? g_boot : 0;

		d = base + (delay < SIM_TIME_MAX - base ? delay : SIM_TIME_MAX - base);
		g_stats.notifies++;
		ev->ev.notify(ps(clamp_delay(d)));   /* ps(0) is a delta notification */
	} catch (...) {
		log_exception("sim_event_notify");
	}
}

void sim_wait(struct sim_event *ev)
{
	struct sim_proc *p = g_cur;

	if (!p || !ev) {
		sim_error("engine: sim_wait called %s", p ? "on a NULL event" : "outside a process");
		return;
	}
	try {
		consume_offset(p);
		poll_stop();
		wait(ev->ev);
		resumed(p);
	} catch (const sc_unwind_exception &) {
		throw;         /* a killed process must unwind (the engine never kills) */
	} catch (...) {
		log_exception("sim_wait");
	}
}

bool sim_wait_timeout(struct sim_event *ev, sim_time_t timeout)
{
	struct sim_proc *p = g_cur;

	if (!p || !ev) {
		sim_error("engine: sim_wait_timeout called %s",
			  p ? "on a NULL event" : "outside a process");
		return false;
	}
	try {
		bool fired;

		consume_offset(p);
		poll_stop();
		wait(ps(clamp_delay(timeout)), ev->ev);
		fired = !timed_out();
		resumed(p);
		return fired;
	} catch (const sc_unwind_exception &) {
		throw;         /* a killed process must unwind (the engine never kills) */
	} catch (...) {
		log_exception("sim_wait_timeout");
		return false;
	}
}

int sim_run(sim_time_t until)
{
	if (g_state != ENG_READY) {
		sim_error("engine: sim_run: engine not initialised");
		return -EINVAL;
	}
	if (g_cur || g_in_run) {
		sim_error("engine: sim_run called from inside the simulation");
		return -EDEADLK;
	}
	g_last_stopped = false;
	if (g_stop_req) {               /* a stop requested before the run */
		g_stop_req = 0;
		g_last_stopped = true;
		return 1;
	}
	try {
		sim_time_t now;

		if (!g_run_started) {
			g_run_started = true;
			g_epoch = g_boot;
		}
		now = now_global();
		if (until <= now && sc_start_of_simulation_invoked())
			return 0;
		/* Starved already: stepping again would only make SystemC warn (W571). */
		if (sc_start_of_simulation_invoked() && !sc_pending_activity())
			return 2;
		g_in_run = true;
		/*
		 * Nothing to do before @until: move time there directly (an
		 * exit-on-starvation start without activity only makes SystemC
		 * warn, W571).
		 */
		if (sc_start_of_simulation_invoked() &&
		    sc_time_to_pending_activity() >= ps(until - (until < now ? until : now)))
			sc_start(ps(until - (until < now ? until : now)), SC_RUN_TO_TIME);
		else
			sc_start(ps(until - (until < now ? until : now)), SC_EXIT_ON_STARVATION);
		asan_restore_main_stack();
		g_in_run = false;
		g_cur = NULL;
		if (g_stop_req) {
			g_stop_req = 0;
			g_last_stopped = true;
			return 1;
		}
		now = now_global();
		if (now >= until)
			return 0;
		if (!sc_pending_activity())
			return 2;
		/*
		 * Exit-on-starvation stops at the last activity before @until
		 * when the next one lies beyond it: move time to @until (no
		 * process runs, the next activity is later).
		 */
		g_in_run = true;
		sc_start(ps(until - now), SC_RUN_TO_TIME);
		asan_restore_main_stack();
		g_in_run = false;
		g_cur = NULL;
		if (g_stop_req) {
			g_stop_req = 0;
			g_last_stopped = true;
			return 1;
		}
		return 0;
	} catch (...) {
		asan_restore_main_stack();
		g_in_run = false;
		g_cur = NULL;
		log_exception("sim_run");
		return -EIO;
	}
}

void sim_stop(void)
{
	g_stop_req = 1;
}

bool sim_stop_requested(void)
{
	return g_stop_req || g_last_stopped;
}

int sim_every(const char *name, sim_time_t start, sim_time_t period,
	      void (*fn)(void *ctx, sim_time_t now), void *ctx)
{
	struct sim_periodic *t;
	char scname[32];

	if (g_state != ENG_READY || !fn || !period) {
		sim_error("engine: sim_every(%s): %s", name ? name : "?",
			  g_state != ENG_READY ? "engine not initialised" :
			  !fn ? "NULL function" : "zero period");
		return -EINVAL;
	}
	t = (struct sim_periodic *)calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->name = dup_name(name, "every");
	if (!t->name) {
		free(t);
		return -ENOMEM;
	}
	t->start = start;
	t->period = period;
	t->fn = fn;
	t->ctx = ctx;
	if (g_cur) {
		sim_time_t n = sim_now();

		if (t->start < n)
			t->start = n;
	} else if (!g_run_started && t->start < g_boot) {
		t->start = g_boot;
	}
	try {
		sc_spawn_options opts;

		opts.spawn_method();
		grow(g_periodics);
		snprintf(scname, sizeof(scname), "sim_every_%zu", g_periodics->size());
		sc_spawn(periodic_body{ t }, scname, &opts);
		g_periodics->push_back(t);
		return 0;
	} catch (...) {
		log_exception("sim_every");
		free(t->name);
		free(t);
		return -EINVAL;
	}
}

void sim_shutdown(void)
{
	if (g_state != ENG_READY)
		return;
	/*
	 * Processes still blocked are abandoned: their coroutines and the
	 * sc_events they may wait on stay with SystemC until the host exits
	 * (SystemC cannot delete a kernel). Names are ours and can go.
	 */
	for (sim_proc *p : *g_procs) {
		free(p->name);
		p->name = NULL;
	}
	for (sim_event *e : *g_events) {
		free(e->name);
		e->name = NULL;
	}
	g_cur = NULL;
	g_state = ENG_SHUT;
}

int sim_engine_check(void)
{
	int id = 1;

	if (g_state != ENG_READY)
		return 0;
	if (g_cur && !g_in_run) {
		sim_error("engine check: current process %d outside sim_run", g_cur->id);
		return -EINVAL;
	}
	for (const sim_proc *p : *g_procs) {
		if (p->id != id++) {
			sim_error("engine check: process ids not 1, 2, ... (%d at %d)", p->id, id - 1);
			return -EINVAL;
		}
		if (!p->quantum) {
			sim_error("engine check: process %d has a zero effective quantum", p->id);
			return -EINVAL;
		}
		/* Only the running process may hold a local offset. */
		if (p != g_cur && p->offset) {
			sim_error("engine check: blocked process %d (%s) holds a local offset of %llu ps",
				  p->id, p->name ? p->name : "?", (unsigned long long)p->offset);
			return -EINVAL;
		}
	}
	if ((uint64_t)g_procs->size() != g_stats.procs_spawned) {
		sim_error("engine check: %zu processes recorded, %llu spawned", g_procs->size(),
			  (unsigned long long)g_stats.procs_spawned);
		return -EINVAL;
	}
	return 0;
}

void sim_engine_stats(struct sim_engine_stats *out)
{
	if (out)
		*out = g_stats;
}

const struct sim_params *sim_params(void)
{
	return &g_params;
}

} /* extern "C" */
