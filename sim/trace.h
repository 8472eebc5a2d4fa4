/* SPDX-License-Identifier: MIT */
/*
 * sim/trace.h — the event log, in Linux ftrace text layout.
 *
 *   "%16s-%-7d [%03d] %5s %5lu.%06lu: %s: <fields>"
 *    comm  pid   cpu  flags  secs usecs  event
 *
 * Events are registered once (system + name, e.g. "kmem", "kmalloc") and
 * enabled per system ("kmem"), per event ("kmem:kmalloc") or "all". Emitting
 * an event checks one bool first (trace_on(ev)), so disabled tracing costs a
 * load and a branch. The line prefix (comm, pid, cpu, flag characters) comes
 * from a callback the machine/mm layers install, since only they know the
 * current CPU and context. Output is buffered and written to one file.
 */
#ifndef MMSIM_SIM_TRACE_H
#define MMSIM_SIM_TRACE_H

#include <stdbool.h>
#include <stdint.h>

struct trace_event {
	const char *system;                      /* "kmem" */
	const char *name;                        /* "kmalloc" */
	bool enabled;
	uint64_t emitted;
	struct trace_event *next;
};

/* Prefix of a line: filled by the context callback. */
struct trace_ctx {
	const char *comm;                        /* task name, "<idle>", "kswapd0" ... */
	int pid;
	int cpu;
	char flags[6];                           /* 5 flag characters + NUL, e.g. "d.s1." */
};
typedef void (*trace_ctx_fn)(struct trace_ctx *out);

struct trace_event *trace_event_register(const char *system, const char *name);
void trace_set_ctx_fn(trace_ctx_fn fn);

/** trace_enable() - "all", "kmem", "kmem:kmalloc"; returns number of events matched, -1 if none. */
int trace_enable(const char *spec);
void trace_disable_all(void);

/** trace_open() - write events to @path (ftrace header with #P:@nr_cpus). */
int trace_open(const char *path, int nr_cpus);
int trace_close(void);                            /* fixes up entries-written in the header */

static inline bool trace_on(const struct trace_event *ev) { return ev->enabled; }

/** trace_emit() - one line; call only if trace_on(ev). @fmt formats the fields. */
void trace_emit(struct trace_event *ev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** trace_hash_ptr() - what %p prints: a 32-bit keyed hash shown as 16 hex digits (0 → 0). */
uint64_t trace_hash_ptr(uint64_t ptr);
/** trace_set_hash_key() - change the (default fixed) key of trace_hash_ptr, e.g. from the seed. */
void trace_set_hash_key(uint64_t k0, uint64_t k1);

/** trace_set_clock() - time source in picoseconds (default sim_now; NULL restores it). */
typedef uint64_t (*trace_clock_fn)(void);
void trace_set_clock(trace_clock_fn fn);

/** trace_entries() - lines written since trace_open(). */
uint64_t trace_entries(void);
bool trace_is_open(void);
/** trace_find() - a registered event, or NULL. */
struct trace_event *trace_find(const char *system, const char *name);
/** trace_shutdown() - close the file and free every registered event. */
void trace_shutdown(void);

#endif /* MMSIM_SIM_TRACE_H */
