/* SPDX-License-Identifier: MIT */
/*
 * sim/engine.h — the simulation kernel: time, processes, events, quantum keeper.
 *
 * SystemC 2.3.4 is the scheduler underneath (sim/engine.cc is the only C++ file);
 * this header is plain C and exposes opaque handles only.
 *
 * Time is an integer count of picoseconds. Every simulated activity that runs code
 * (a workload task, kswapd, an interrupt handler, a device engine) is a process:
 * a C function with a context pointer, run as a SystemC thread (coroutine).
 *
 * Temporal decoupling: a process keeps a local time offset. sim_advance() adds to
 * it without touching the scheduler and never yields. The process synchronises
 * with SystemC (a wait of its offset) only at a preemption point:
 *   - before it blocks (sim_sleep, sim_wait, sim_wait_timeout, sim_sync);
 *   - at sim_cond_resched() (the kernel's cond_resched()) when the offset
 *     reached the quantum;
 *   - at the end of an outermost atomic section (sim_atomic_end(), the model
 *     of releasing a lock) when the offset reached the quantum.
 * So model code is never interrupted in the middle of an update, as in a
 * PREEMPT_VOLUNTARY kernel (DESIGN §2), while loops that call into the model
 * still let other processes run about once per quantum. sim_now() inside a
 * process is global time plus its local offset. Events notified at a
 * process's local time are scheduled at that absolute time, so ordering in
 * simulated time is correct to within one quantum, never reversed across a
 * blocking point.
 *
 * Lifecycle (one simulation per host process, a SystemC rule):
 *   sim_init() → sim_spawn()... → sim_run(until) [may be called repeatedly with
 *   growing limits] → sim_shutdown().
 */
#ifndef MMSIM_SIM_ENGINE_H
#define MMSIM_SIM_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t sim_time_t;            /* picoseconds */

#define SIM_PS  ((sim_time_t)1)
#define SIM_NS  ((sim_time_t)1000)
#define SIM_US  ((sim_time_t)1000000)
#define SIM_MS  ((sim_time_t)1000000000)
#define SIM_SEC ((sim_time_t)1000000000000ULL)
#define SIM_TIME_MAX UINT64_MAX

struct sim_proc;                        /* opaque: a simulated thread of control */
struct sim_event;                       /* opaque: a notifiable event */

typedef void (*sim_proc_fn)(void *ctx);

struct sim_params {
	sim_time_t quantum;             /* temporal-decoupling quantum; 0 = sync on every advance */
	bool timing;                    /* false: sim_advance() is a no-op (functional mode) */
};

#define SIM_DEFAULT_QUANTUM (1 * SIM_US)

/**
 * sim_init() - create the simulation kernel.
 * @p: parameters (NULL for defaults: 1 µs quantum, timing on).
 * Return: 0, or -errno. Call once per host process.
 */
int sim_init(const struct sim_params *p);

/**
 * sim_spawn() - create a process that starts running @fn(@ctx) at absolute time @start.
 * @name: unique-ish name for logs (copied).
 * May be called before sim_run() or from inside a running process.
 * Return: the process handle (owned by the engine), or NULL on error.
 */
struct sim_proc *sim_spawn(const char *name, sim_proc_fn fn, void *ctx, sim_time_t start);

/** sim_current() - the running process, or NULL outside any process (boot, main). */
struct sim_proc *sim_current(void);
void *sim_proc_ctx(const struct sim_proc *p);
void sim_proc_set_ctx(struct sim_proc *p, void *ctx);
const char *sim_proc_name(const struct sim_proc *p);
int sim_proc_id(const struct sim_proc *p);      /* 1, 2, ... in spawn order */
bool sim_proc_done(const struct sim_proc *p);   /* its function returned */

/** sim_proc_offset() - @p's local time offset (ahead of the global time). */
sim_time_t sim_proc_offset(const struct sim_proc *p);
/**
 * sim_proc_set_quantum() - give @p its own quantum (default: sim_params()->quantum).
 * Used to decouple some processes more loosely than others; 0 = sync on every advance.
 */
void sim_proc_set_quantum(struct sim_proc *p, sim_time_t q);

/** sim_now() - current simulated time, including the caller's local offset. */
sim_time_t sim_now(void);

/**
 * sim_advance() - charge @dt of simulated time to the current process (never yields).
 * Outside a process (boot code) the time is accumulated into a boot clock that
 * sim_now() reports until sim_run() starts; the simulation then starts at that
 * boot time (processes and sim_every callbacks whose start is earlier start
 * there, so time never goes backwards). After sim_run() has started, advances
 * outside processes (e.g. in sim_every callbacks) charge nothing.
 * No-op when timing is off.
 * Hot path: a few instructions unless the quantum is crossed.
 */
void sim_advance(sim_time_t dt);

/**
 * sim_atomic_begin() / sim_atomic_end() - a region modelling code under a lock
 * (an allocator updating its lists): sim_cond_resched() inside it does not
 * yield, and the outermost sim_atomic_end() is a preemption point (it syncs
 * if the local offset reached the quantum). Regions nest. Blocking calls
 * (sim_sleep, sim_wait*, sim_sync) inside a region still block: model code
 * must only block where the kernel may sleep, with its structures consistent.
 * No-ops outside processes.
 */
void sim_atomic_begin(void);
void sim_atomic_end(void);
/**
 * sim_cond_resched() - a preemption point (the kernel's cond_resched()): sync
 * if the local offset reached the quantum (not inside an atomic section). Put
 * it in long loops at the places the kernel calls cond_resched(), and in
 * workload loops that never block.
 */
void sim_cond_resched(void);

/** sim_sync() - synchronise the current process with the scheduler now. */
void sim_sync(void);

/** sim_sleep() - block the current process for @dt (syncs first). Works with timing off. */
void sim_sleep(sim_time_t dt);

/** sim_event_new() - a new event (owned by the engine; lives until sim_shutdown). */
struct sim_event *sim_event_new(const char *name);

/**
 * sim_event_notify() - wake every process waiting on @ev, @delay after the
 * caller's current time (its local time inside a process). A later notify
 * replaces a pending one only if it is earlier (SystemC semantics).
 */
void sim_event_notify(struct sim_event *ev, sim_time_t delay);

/** sim_wait() - block until @ev is notified. */
void sim_wait(struct sim_event *ev);

/**
 * sim_wait_timeout() - block until @ev is notified or @timeout elapses.
 * Return: true if woken by the event, false on timeout.
 */
bool sim_wait_timeout(struct sim_event *ev, sim_time_t timeout);

/**
 * sim_run() - run the simulation until simulated time @until, until nothing is
 * left to do, or until sim_stop() is called.
 * Return: 0 when @until was reached, 1 when stopped by sim_stop(), 2 when
 * starved (no more activity), negative errno on an engine error.
 * Activity scheduled exactly at @until is left to the next call; when starved,
 * time stays at the last activity. A stop takes effect when the process that
 * requested it next blocks (end of the current delta cycle); a stop requested
 * between runs makes the next sim_run() return 1 at once.
 */
int sim_run(sim_time_t until);

/** sim_stop() - request a stop; safe from processes, callbacks and signal handlers. */
void sim_stop(void);
bool sim_stop_requested(void);

/**
 * sim_every() - call @fn(@ctx, now) every @period of simulated time from @start,
 * in scheduler context (not a process: it must not block). Used by the stats
 * sampler and periodic kernel work.
 */
int sim_every(const char *name, sim_time_t start, sim_time_t period,
	      void (*fn)(void *ctx, sim_time_t now), void *ctx);

/** sim_shutdown() - free the kernel; processes still blocked are abandoned. */
void sim_shutdown(void);

/* Counters the engine keeps about itself (for summary.json and make bench). */
struct sim_engine_stats {
	uint64_t advances;              /* sim_advance calls */
	uint64_t syncs;                 /* quantum / blocking synchronisations */
	uint64_t context_switches;      /* process resumptions */
	uint64_t notifies;
	uint64_t procs_spawned;
};
void sim_engine_stats(struct sim_engine_stats *out);

const struct sim_params *sim_params(void);

/**
 * sim_engine_check() - verify the engine's invariants (process ids 1, 2, ...;
 * only the running process holds a local offset;
 * no current process outside sim_run()). Callable from anywhere.
 * Return: 0, or -EINVAL after logging the first violation.
 */
int sim_engine_check(void);

#endif /* MMSIM_SIM_ENGINE_H */
