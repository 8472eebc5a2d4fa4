/* SPDX-License-Identifier: MIT */
/*
 * mm/oom_kill.h — the OOM killer of Linux 6.1 (mm/oom_kill.c, fs/proc/base.c;
 * fact sheet §7): oom_badness(), victim selection, the kill with its kernel
 * log report, victim marking (ALLOC_OOM access through tsk_is_oom_victim()),
 * the oom_reaper, and the panic when nothing can be killed.
 * out_of_memory() itself is declared in mm/vmscan.h (the slow path calls it).
 */
#ifndef MMSIM_MM_OOM_KILL_H
#define MMSIM_MM_OOM_KILL_H

#include <stdbool.h>
#include "mm/sched.h"
#include "mm/vmscan.h"
#include "sim/engine.h"

enum oom_constraint {
	CONSTRAINT_NONE,
	CONSTRAINT_CPUSET,
	CONSTRAINT_MEMORY_POLICY,
	CONSTRAINT_MEMCG,
};

/* sysctls (6.1 defaults) */
extern int sysctl_panic_on_oom;               /* vm.panic_on_oom = 0 */
extern int sysctl_oom_kill_allocating_task;   /* vm.oom_kill_allocating_task = 0 */
extern int sysctl_oom_dump_tasks;             /* vm.oom_dump_tasks = 1 */
/**
 * oom_reaper_delay - how long after the kill the oom_reaper unmaps a victim
 * that has not exited yet (6.1: OOM_REAPER_DELAY = 2 * HZ = 2 s).
 */
extern sim_time_t oom_reaper_delay;

/**
 * oom_badness() - §7: LONG_MIN for unkillable tasks (init, kernel threads, no
 * mm, oom_score_adj -1000, already reaped), else rss + swap entries +
 * page-table pages, plus oom_score_adj × (@totalpages / 1000).
 */
long oom_badness(struct task_struct *p, unsigned long totalpages);
/** oom_totalpages() - totalram_pages() + total swap pages (an unconstrained OOM's total). */
unsigned long oom_totalpages(void);
/** oom_score() - /proc/<pid>/oom_score: (1000 + badness × 1000 / total) × 2 / 3, 0 if unkillable. */
unsigned long oom_score(struct task_struct *p, unsigned long totalpages);
/**
 * oom_select_bad_process() - select_bad_process() over the task list: the task
 * with the highest badness (ties → the later task), or NULL; (void *)-1 when a
 * previous victim is still alive and not yet reaped (wait for it).
 * @points: the chosen task's badness.
 */
struct task_struct *oom_select_bad_process(unsigned long totalpages, long *points);

/** exit_oom_victim() - task_exit() hook: a victim is gone, the reaper skips it. */
void exit_oom_victim(struct task_struct *t);

/**
 * mm_panicked() - did the simulated kernel panic ("Out of memory and no
 * killable processes...")? @reason (may be NULL) gets the panic message, e.g.
 * "System is deadlocked on memory". The run should stop with status
 * "panic: <reason>".
 */
bool mm_panicked(const char **reason);

/** oom_init() - after mm_boot(): counters (oom_kill), events, reaper state. Called lazily. */
void oom_init(void);
void oom_shutdown(void);
/** oom_kills() - the oom_kill vm event count. */
unsigned long oom_kills(void);
/** oom_check() - invariants of the victim queue. 0 or -1 with a message on stderr. */
int oom_check(void);

#endif /* MMSIM_MM_OOM_KILL_H */
