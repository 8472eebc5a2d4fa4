/* SPDX-License-Identifier: MIT */
/*
 * mm/sched.h — the kernel model's tasks: struct task_struct as far as the mm
 * code reads it (comm, pid, PF_* flags, oom_score_adj, memory accounting),
 * `current`, and the ftrace line-prefix callback.
 *
 * `current` is this_ctx()->task (machine/cpu.h) or init_task when the context
 * carries no task (boot, or an interrupt context spawned without one).
 * Interrupt contexts have no task of their own in the trace prefix: like the
 * kernel they show the interrupted task, here "<idle>"-0 when none.
 */
#ifndef MMSIM_MM_SCHED_H
#define MMSIM_MM_SCHED_H

#include <stdbool.h>
#include <stdint.h>
#include "sim/engine.h"

/* PF_* values (include/linux/sched.h, 6.1). */
#define PF_IDLE            0x00000002u
#define PF_EXITING         0x00000004u
#define PF_VCPU            0x00000010u
#define PF_WQ_WORKER       0x00000020u
#define PF_MEMALLOC        0x00000800u
#define PF_NPROC_EXCEEDED  0x00001000u
#define PF_DUMPCORE        0x00000200u
#define PF_KSWAPD          0x00020000u
#define PF_MEMALLOC_NOFS   0x00040000u
#define PF_MEMALLOC_NOIO   0x00080000u
#define PF_KTHREAD         0x00200000u
#define PF_MEMALLOC_PIN    0x10000000u

#define TASK_COMM_LEN      16
#define OOM_SCORE_ADJ_MIN  (-1000)
#define OOM_SCORE_ADJ_MAX  1000

/* Scheduling policy: only the RT distinction matters to the allocator. */
enum task_policy { SCHED_NORMAL = 0, SCHED_FIFO = 1, SCHED_RR = 2 };

struct task_struct {
	char comm[TASK_COMM_LEN];
	int pid;
	int tgid;
	unsigned int uid;
	unsigned int flags;              /* PF_* */
	int policy;                      /* SCHED_* (rt_task() for ALLOC_MIN_RESERVE) */
	short oom_score_adj;
	bool oom_victim;                 /* tsk_is_oom_victim(): TIF_MEMDIE / ALLOC_OOM access */
	bool fatal_signal;               /* fatal_signal_pending() */
	int mems_allowed_node;           /* -1: all nodes (no cpuset) */
	/* memory accounting (in pages) — extended by the pressure / OOM issue */
	unsigned long rss_anon, rss_file, rss_shmem;
	unsigned long swapents;
	unsigned long pgtables_bytes;
	unsigned long total_vm;
	void *mm_private;                /* for later subsystems (mm_struct model) */
};

extern struct task_struct init_task;     /* "swapper/0", pid 0 */

/** get_current() - the task of the current context (init_task outside any task). */
struct task_struct *get_current(void);
#define current (get_current())

/** task_init() - initialise a task (name truncated to 15 chars, pid). */
void task_init(struct task_struct *t, const char *comm, int pid);
static inline bool rt_task(const struct task_struct *t) { return t->policy != SCHED_NORMAL; }
static inline bool tsk_is_oom_victim(const struct task_struct *t) { return t->oom_victim; }
static inline bool fatal_signal_pending(const struct task_struct *t) { return t->fatal_signal; }

/**
 * sched_install_trace_ctx() - register the ftrace prefix callback (comm, pid,
 * cpu, flag characters of the current exec_ctx) with sim/trace.h.
 */
void sched_install_trace_ctx(void);

/**
 * cond_resched() - a voluntary preemption point: lets other simulated CPUs run
 * if this context's local time ran a quantum ahead (not inside an atomic
 * section, see sim_atomic_begin). Call it where the kernel does (reclaim and
 * compaction loops), only with the model's structures consistent.
 */
static inline void cond_resched(void) { sim_cond_resched(); }

#endif /* MMSIM_MM_SCHED_H */
