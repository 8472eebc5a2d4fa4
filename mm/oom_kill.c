// SPDX-License-Identifier: MIT
/*
 * mm/oom_kill.c — the OOM killer of Linux 6.1 (fact sheet §7, §15.3, §14.3).
 *
 * Models:
 *  - out_of_memory(): an exiting / fatally signalled current is only marked;
 *    global OOM with a gfp mask lacking __GFP_FS returns true without a kill
 *    (the IO-less allocation loops "making progress"); constrained_alloc()
 *    (CONSTRAINT_NONE, or MEMORY_POLICY for a nodemask not covering every
 *    node with memory); panic_on_oom; oom_kill_allocating_task;
 *    select_bad_process() over the task list in list order (a live victim not
 *    yet reaped aborts the scan: wait for it; ties go to the later task);
 *    "Out of memory and no killable processes..." + panic when none.
 *  - oom_badness() and /proc/<pid>/oom_score with the kernel's arithmetic.
 *  - oom_kill_process(): the report (ratelimited 10 per 5 s like oom_rs):
 *    "<comm> invoked oom-killer: gfp_mask=0x..(..), order=.., oom_score_adj=..",
 *    the dump_stack lines, show_mem() (Mem-Info), the task table, the
 *    oom-kill summary line, then SIGKILL (fatal_signal), mark_oom_victim()
 *    (oom_victim → ALLOC_OOM access in the slow path, trace mark_victim in the
 *    long 6.1.y form) and "Out of memory: Killed process ...".
 *  - the oom_reaper: a kernel-thread process; oom_reaper_delay (2 s,
 *    OOM_REAPER_DELAY) after the kill, a victim that has not exited has its
 *    anonymous memory unmapped (oom_reap_task_mm() of mm/memory.h), the
 *    "oom_reaper: reaped process ..." line is printed and the mm gets
 *    MMF_OOM_SKIP, so the next OOM may choose another victim.
 *
 * Invariants (oom_check): every queued victim has oom_victim set and a
 * reference held; reaped (MMF_OOM_SKIP) entries are not queued twice.
 *
 * Simplified vs 6.1: no memcg OOM, no cpusets (every task is eligible,
 * cpuset "/"), no oom notifiers, no processes sharing an mm, no
 * oom_lock (one allocation at a time reaches here between yields), the reaper
 * succeeds on its first attempt (no mmap_lock contention). MMF_OOM_SKIP /
 * MMF_OOM_REAP_QUEUED live in this file's victim table (keyed by mm), not in
 * the mm. A panic stops the simulation (sim_stop) and parks the panicking
 * process forever; outside a process out_of_memory() then returns false.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cpu.h"
#include "mm/internal.h"
#include "mm/memory.h"
#include "mm/oom_kill.h"
#include "mm/sched.h"
#include "sim/engine.h"
#include "sim/log.h"
#include "sim/stats.h"
#include "sim/trace.h"

int sysctl_panic_on_oom;
int sysctl_oom_kill_allocating_task;
int sysctl_oom_dump_tasks = 1;
sim_time_t oom_reaper_delay = 2 * SIM_SEC;

#define MAX_OOM_VICTIMS 64
#define K(x) ((unsigned long)(x) << (PAGE_SHIFT - 10))

static const char *const oom_constraint_text[] = {
	[CONSTRAINT_NONE] = "CONSTRAINT_NONE",
	[CONSTRAINT_CPUSET] = "CONSTRAINT_CPUSET",
	[CONSTRAINT_MEMORY_POLICY] = "CONSTRAINT_MEMORY_POLICY",
	[CONSTRAINT_MEMCG] = "CONSTRAINT_MEMCG",
};

struct oom_victim {
	struct task_struct *task;        /* reference held while queued */
	struct mm_struct *mm;            /* NULL once the task exited */
	bool queued;                     /* MMF_OOM_REAP_QUEUED */
	bool oom_skip;                   /* MMF_OOM_SKIP */
	bool exited;
	sim_time_t reap_at;
	int pid;
};

struct oom_ctl {
	struct oom_control *oc;
	enum oom_constraint constraint;
	nodemask_t *nodemask;
	unsigned long totalpages;
	struct task_struct *chosen;      /* (void *)-1: abort, wait for a victim */
	long chosen_points;
};

static struct {
	bool inited;
	const void *booted_for;
	struct oom_victim victims[MAX_OOM_VICTIMS];
	uint64_t *oom_kill;
	uint64_t dummy;
	bool panicked;
	const char *panic_reason;
	struct sim_event *panic_ev;
	/* oom_reaper thread */
	struct task_struct reaper_task;
	struct sim_proc *reaper;
	struct sim_event *reaper_wait;
	/* dump_header ratelimit (DEFAULT_RATELIMIT_INTERVAL 5 s, burst 10) */
	sim_time_t rs_begin;
	int rs_printed;
	bool rs_started;
	struct trace_event *mark_victim, *wake_reaper, *start_reaping, *finish_reaping, *skip_reaping;
} os;

static void ensure_init(void);

/* --- victims table ------------------------------------------------------------ */

static struct oom_victim *victim_of_mm(const struct mm_struct *mm)
{
	if (!mm)
		return NULL;
	for (int i = 0; i < MAX_OOM_VICTIMS; i++)
		if (os.victims[i].task && os.victims[i].mm == mm)
			return &os.victims[i];
	return NULL;
}

static struct oom_victim *victim_of_task(const struct task_struct *t)
{
	for (int i = 0; i < MAX_OOM_VICTIMS; i++)
		if (os.victims[i].task == t)
			return &os.victims[i];
	return NULL;
}

static bool mm_oom_skip(const struct mm_struct *mm)
{
	struct oom_victim *v = victim_of_mm(mm);
	return v && v->oom_skip;
}

/* --- badness -------------------------------------------------------------------- */

static bool oom_unkillable_task(const struct task_struct *p)
{
	return p->tgid == 1 || p->pid == 1 || (p->flags & PF_KTHREAD);
}

long oom_badness(struct task_struct *p, unsigned long totalpages)
{
	struct mm_struct *mm;
	long points, adj;

	ensure_init();
	if (oom_unkillable_task(p))
		return LONG_MIN;
	mm = task_mm(p);
	if (!mm)
		return LONG_MIN;
	adj = p->oom_score_adj;
	if (adj == OOM_SCORE_ADJ_MIN || mm_oom_skip(mm))
		return LONG_MIN;
	points = (long)(get_mm_rss(mm) + get_mm_counter(mm, MM_SWAPENTS) + mm_pgtables_bytes(mm) / PAGE_SIZE);
	adj *= (long)(totalpages / 1000);
	return points + adj;
}

static unsigned long total_swap_pages(void)
{
	struct reclaim_meminfo mi;

	memset(&mi, 0, sizeof(mi));
	reclaim_meminfo(-1, &mi);
	return mi.swap_total;
}

unsigned long oom_totalpages(void)
{
	return totalram_pages() + total_swap_pages();
}

unsigned long oom_score(struct task_struct *p, unsigned long totalpages)
{
	long badness = oom_badness(p, totalpages);

	if (badness == LONG_MIN || !totalpages)
		return 0;
	return (unsigned long)((1000 + badness * 1000 / (long)totalpages) * 2 / 3);
}

/* --- selection ---------------------------------------------------------------------- */

static int oom_evaluate_task(struct task_struct *task, struct oom_ctl *ctl)
{
	long points;

	if (oom_unkillable_task(task))
		return 0;
	if (tsk_is_oom_victim(task)) {
		if (mm_oom_skip(task_mm(task)))
			return 0;
		ctl->chosen = (struct task_struct *)-1L;    /* abort: wait for that victim */
		return 1;
	}
	points = oom_badness(task, ctl->totalpages);
	if (points == LONG_MIN || points < ctl->chosen_points)
		return 0;
	ctl->chosen = task;
	ctl->chosen_points = points;
	return 0;
}

static void select_bad_process(struct oom_ctl *ctl)
{
	struct task_struct *p;

	ctl->chosen_points = LONG_MIN;
	for_each_process(p)
		if (oom_evaluate_task(p, ctl))
			break;
}

struct task_struct *oom_select_bad_process(unsigned long totalpages, long *points)
{
	struct oom_ctl ctl;

	ensure_init();
	memset(&ctl, 0, sizeof(ctl));
	ctl.totalpages = totalpages;
	select_bad_process(&ctl);
	if (points)
		*points = ctl.chosen_points;
	return ctl.chosen;
}

/* constrained_alloc(): only mempolicy-like nodemasks constrain the model (no memcg, no cpusets). */
static enum oom_constraint constrained_alloc(struct oom_ctl *ctl)
{
	struct oom_control *oc = ctl->oc;
	unsigned long swap = total_swap_pages();
	bool covers_all = true;

	ctl->totalpages = totalram_pages() + swap;
	if (!oc->zonelist || (oc->gfp_mask & __GFP_THISNODE))
		return CONSTRAINT_NONE;
	if (oc->nodemask) {
		for (int nid = 0; nid < mm.nr_nodes; nid++)
			if (NODE_DATA(nid)->node_present_pages && !node_isset(nid, oc->nodemask))
				covers_all = false;
		if (!covers_all) {
			ctl->totalpages = swap;
			for (int nid = 0; nid < mm.nr_nodes; nid++)
				if (node_isset(nid, oc->nodemask))
					ctl->totalpages += NODE_DATA(nid)->node_present_pages;
			return CONSTRAINT_MEMORY_POLICY;
		}
	}
	return CONSTRAINT_NONE;
}

/* --- report ------------------------------------------------------------------------------- */

static void mems_allowed(char *buf, size_t len)
{
	nodemask_t all = { 0 };

	for (int i = 0; i < mm.nr_nodes; i++)
		if (NODE_DATA(i)->node_present_pages)
			node_set(i, &all);
	nodemask_format(buf, len, &all);
}

static bool oom_ratelimit(void)
{
	sim_time_t now = sim_now();

	if (!os.rs_started || now - os.rs_begin >= 5 * SIM_SEC) {
		os.rs_started = true;
		os.rs_begin = now;
		os.rs_printed = 0;
	}
	if (os.rs_printed >= 10)
		return false;
	os.rs_printed++;
	return true;
}

static void dump_tasks(void)
{
	struct task_struct *p;

	sim_printk("Tasks state (memory values in pages):\n");
	sim_printk("[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n");
	for_each_process(p) {
		struct mm_struct *m = task_mm(p);
		if (oom_unkillable_task(p) || !m)
			continue;
		sim_printk("[%7d] %5d %5d %8lu %8lu %8ld %8lu         %5hd %s\n", p->pid, (int)p->uid, p->tgid,
			   m->total_vm, get_mm_rss(m), (long)mm_pgtables_bytes(m), get_mm_counter(m, MM_SWAPENTS),
			   p->oom_score_adj, p->comm);
	}
}

static void dump_oom_summary(struct oom_ctl *ctl, struct task_struct *victim)
{
	char nm[128], mems[128];

	nodemask_format(nm, sizeof(nm), ctl->nodemask);
	mems_allowed(mems, sizeof(mems));
	sim_printk("oom-kill:constraint=%s,nodemask=%s,cpuset=/,mems_allowed=%s,global_oom,task_memcg=/,"
		   "task=%s,pid=%d,uid=%d\n", oom_constraint_text[ctl->constraint], nm, mems, victim->comm,
		   victim->pid, (int)victim->uid);
}

static void dump_header(struct oom_ctl *ctl, struct task_struct *victim)
{
	struct oom_control *oc = ctl->oc;
	struct task_struct *t = current;
	char fl[GFP_STR_MAX];

	sim_printk("%s invoked oom-killer: gfp_mask=0x%x(%s), order=%d, oom_score_adj=%hd\n", t->comm,
		   oc->gfp_mask, gfp_format_pGg(oc->gfp_mask, fl, sizeof(fl)), oc->order, t->oom_score_adj);
	sim_printk("CPU: %d PID: %d Comm: %s Not tainted 6.1.0-mmsim #1\n", smp_processor_id(), t->pid, t->comm);
	sim_printk("Call Trace:\n");
	sim_printk(" <TASK>\n");
	sim_printk(" dump_stack_lvl+0x44/0x5c\n");
	sim_printk(" dump_header+0x4a/0x211\n");
	if (victim)
		sim_printk(" oom_kill_process.cold+0xb/0x10\n");
	sim_printk(" out_of_memory+0x1ed/0x2e0\n");
	sim_printk(" __alloc_pages_slowpath.constprop.0+0xc1b/0xd80\n");
	sim_printk(" __alloc_pages+0x2a4/0x2d0\n");
	sim_printk(" </TASK>\n");
	show_mem();
	if (sysctl_oom_dump_tasks)
		dump_tasks();
	if (victim)
		dump_oom_summary(ctl, victim);
}

/* --- victims and the reaper -------------------------------------------------------------------- */

static void trace_pid(struct trace_event *ev, int pid)
{
	if (trace_on(ev))
		trace_emit(ev, "pid=%d", pid);
}

static void mark_oom_victim(struct task_struct *t)
{
	struct mm_struct *m = task_mm(t);

	if (t->oom_victim)
		return;
	t->oom_victim = true;
	mm_task_exit_hook = exit_oom_victim;
	if (trace_on(os.mark_victim) && m)
		trace_emit(os.mark_victim, "pid=%d comm=%s total-vm=%lukB anon-rss=%lukB file-rss:%lukB "
			   "shmem-rss:%lukB uid=%u pgtables=%lukB oom_score_adj=%hd", t->pid, t->comm,
			   K(m->total_vm), K(get_mm_counter(m, MM_ANONPAGES)), K(get_mm_counter(m, MM_FILEPAGES)),
			   K(get_mm_counter(m, MM_SHMEMPAGES)), t->uid, mm_pgtables_bytes(m) >> 10, t->oom_score_adj);
}

static void oom_reaper_fn(void *arg);

static int spawn_reaper(void)
{
	if (os.reaper)
		return 0;
	task_init(&os.reaper_task, "oom_reaper", 38);
	os.reaper_task.flags = PF_KTHREAD;
	os.reaper_wait = sim_event_new("oom_reaper");
	os.reaper = cpu_spawn("oom_reaper", 0, CTX_TASK, oom_reaper_fn, NULL, &os.reaper_task, sim_now());
	return os.reaper ? 0 : -ENOMEM;
}

/* queue_oom_reaper(): reap @t after oom_reaper_delay unless it exits first. */
static void queue_oom_reaper(struct task_struct *t)
{
	struct mm_struct *m = task_mm(t);
	struct oom_victim *v;

	if (!m)
		return;
	v = victim_of_mm(m);
	if (v && v->queued)
		return;
	if (!v) {
		for (int i = 0; i < MAX_OOM_VICTIMS && !v; i++)
			if (!os.victims[i].task)
				v = &os.victims[i];
		if (!v) {
			sim_warn("oom: more than %d victims pending; pid %d is not reaped", MAX_OOM_VICTIMS, t->pid);
			return;
		}
		memset(v, 0, sizeof(*v));
		get_task_struct(t);
		v->task = t;
		v->mm = m;
		v->pid = t->pid;
	}
	v->queued = true;
	v->reap_at = sim_now() + oom_reaper_delay;
	if (spawn_reaper() == 0)
		sim_event_notify(os.reaper_wait, 0);
}

static void release_victim(struct oom_victim *v)
{
	struct task_struct *t = v->task;

	memset(v, 0, sizeof(*v));
	if (t)
		put_task_struct(t);
}

void exit_oom_victim(struct task_struct *t)
{
	struct oom_victim *v;

	if (!os.inited)
		return;
	v = victim_of_task(t);
	if (!v)
		return;
	/* exit_mmap() sets MMF_OOM_SKIP; the mm is about to go away */
	v->exited = true;
	v->oom_skip = true;
	v->mm = NULL;
	if (os.reaper_wait)
		sim_event_notify(os.reaper_wait, 0);    /* let the reaper drop its reference */
}

/* oom_reap_task(): one victim whose delay expired. */
static void oom_reap_task(struct oom_victim *v)
{
	struct task_struct *t = v->task;
	struct mm_struct *m;

	if (v->exited || v->oom_skip || !(m = task_mm(t))) {
		trace_pid(os.skip_reaping, v->pid);
		release_victim(v);
		return;
	}
	trace_pid(os.start_reaping, v->pid);
	oom_reap_task_mm(t);
	sim_printk("oom_reaper: reaped process %d (%s), now anon-rss:%lukB, file-rss:%lukB, shmem-rss:%lukB\n",
		   t->pid, t->comm, K(get_mm_counter(m, MM_ANONPAGES)), K(get_mm_counter(m, MM_FILEPAGES)),
		   K(get_mm_counter(m, MM_SHMEMPAGES)));
	trace_pid(os.finish_reaping, v->pid);
	/* the mm stays listed as MMF_OOM_SKIP until the task exits */
	v->oom_skip = true;
	v->queued = false;
}

static void oom_reaper_fn(void *arg)
{
	(void)arg;
	for (;;) {
		sim_time_t now = sim_now(), next = SIM_TIME_MAX;
		bool did = false;

		if (!mm.booted)
			return;
		for (int i = 0; i < MAX_OOM_VICTIMS; i++) {
			struct oom_victim *v = &os.victims[i];
			if (!v->task)
				continue;
			if (v->exited) {
				if (v->queued)
					trace_pid(os.skip_reaping, v->pid);
				release_victim(v);
				continue;
			}
			if (!v->queued)
				continue;
			if (v->reap_at <= now) {
				trace_pid(os.wake_reaper, v->pid);
				oom_reap_task(v);
				did = true;
			} else if (v->reap_at < next) {
				next = v->reap_at;
			}
		}
		if (did)
			continue;
		if (next == SIM_TIME_MAX)
			sim_wait(os.reaper_wait);
		else
			sim_wait_timeout(os.reaper_wait, next - now);
	}
}

static bool task_will_free_mem(struct task_struct *t)
{
	struct mm_struct *m = task_mm(t);

	if (!m || mm_oom_skip(m))
		return false;
	return fatal_signal_pending(t) || (t->flags & PF_EXITING);
}

static void __oom_kill_process(struct task_struct *victim, const char *message)
{
	struct mm_struct *m = task_mm(victim);

	if (!m) {
		sim_printk("%s: OOM victim %d (%s) is already exiting. Skip killing the task\n", message,
			   victim->pid, victim->comm);
		return;
	}
	++*os.oom_kill;
	victim->fatal_signal = true;            /* do_send_sig_info(SIGKILL) */
	mark_oom_victim(victim);
	sim_printk("%s: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, file-rss:%lukB, shmem-rss:%lukB, "
		   "UID:%u pgtables:%lukB oom_score_adj:%hd\n", message, victim->pid, victim->comm, K(m->total_vm),
		   K(get_mm_counter(m, MM_ANONPAGES)), K(get_mm_counter(m, MM_FILEPAGES)),
		   K(get_mm_counter(m, MM_SHMEMPAGES)), victim->uid, mm_pgtables_bytes(m) >> 10,
		   victim->oom_score_adj);
	queue_oom_reaper(victim);
}

static void oom_kill_process(struct oom_ctl *ctl, const char *message)
{
	struct task_struct *victim = ctl->chosen;

	ctl->oc->chosen_pid = victim->pid;
	if (task_will_free_mem(victim)) {
		mark_oom_victim(victim);
		queue_oom_reaper(victim);
		return;
	}
	if (oom_ratelimit())
		dump_header(ctl, victim);
	__oom_kill_process(victim, message);
}

static void panic(const char *reason)
{
	sim_printk("Kernel panic - not syncing: %s\n", reason);
	sim_printk("---[ end Kernel panic - not syncing: %s ]---\n", reason);
	os.panicked = true;
	os.panic_reason = reason;
	sim_stop();
	if (sim_current()) {
		if (!os.panic_ev)
			os.panic_ev = sim_event_new("panic");
		for (;;)
			sim_wait(os.panic_ev);   /* a panicked CPU never comes back */
	}
}

bool mm_panicked(const char **reason)
{
	if (reason)
		*reason = os.panicked ? os.panic_reason : NULL;
	return os.panicked;
}

/* --- out_of_memory ---------------------------------------------------------------------------- */

bool out_of_memory(struct oom_control *oc)
{
	struct task_struct *t = current;
	struct oom_ctl ctl;

	ensure_init();
	count_vm_event(OOM_CALLS);
	memset(&ctl, 0, sizeof(ctl));
	ctl.oc = oc;
	oc->chosen_pid = 0;
	if (os.panicked)
		return false;
	/* the allocating task is dying anyway: let it use the reserves and go */
	if (task_will_free_mem(t)) {
		mark_oom_victim(t);
		queue_oom_reaper(t);
		return true;
	}
	/* IO-less reclaim cannot make progress; killing would be premature (global OOM only) */
	if (oc->gfp_mask && !(oc->gfp_mask & __GFP_FS))
		return true;
	ctl.constraint = constrained_alloc(&ctl);
	ctl.nodemask = ctl.constraint == CONSTRAINT_MEMORY_POLICY ? oc->nodemask : NULL;
	oc->totalpages = ctl.totalpages;
	if (sysctl_panic_on_oom == 2 || (sysctl_panic_on_oom == 1 && ctl.constraint == CONSTRAINT_NONE)) {
		dump_header(&ctl, NULL);
		panic(sysctl_panic_on_oom == 2 ? "Out of memory: compulsory panic_on_oom is enabled" :
			   "Out of memory: system-wide panic_on_oom is enabled");
		return false;
	}
	if (sysctl_oom_kill_allocating_task && task_mm(t) && !oom_unkillable_task(t) &&
	    t->oom_score_adj != OOM_SCORE_ADJ_MIN) {
		ctl.chosen = t;
		oom_kill_process(&ctl, "Out of memory (oom_kill_allocating_task)");
		return true;
	}
	select_bad_process(&ctl);
	if (!ctl.chosen) {
		dump_header(&ctl, NULL);
		sim_printk("Out of memory and no killable processes...\n");
		panic("System is deadlocked on memory");
		return false;
	}
	if (ctl.chosen != (struct task_struct *)-1L)
		oom_kill_process(&ctl, "Out of memory");
	return true;
}

/* --- set-up ---------------------------------------------------------------------------------- */

void oom_init(void)
{
	/* victims of a previous boot belonged to its task list: forget them */
	memset(os.victims, 0, sizeof(os.victims));
	os.inited = true;
	os.booted_for = mm.booted ? NODE_DATA(0) : NULL;
	os.panicked = false;
	os.panic_reason = NULL;
	os.panic_ev = NULL;
	os.reaper = NULL;
	os.reaper_wait = NULL;
	os.rs_started = false;
	os.oom_kill = stat_counter("mm.vmstat.oom_kill", "events", "vm event counter (/proc/vmstat)",
				   STAT_SUMMARY);
	if (!os.oom_kill)
		os.oom_kill = &os.dummy;
	*os.oom_kill = 0;
	os.mark_victim = trace_event_register("oom", "mark_victim");
	os.wake_reaper = trace_event_register("oom", "wake_reaper");
	os.start_reaping = trace_event_register("oom", "start_task_reaping");
	os.finish_reaping = trace_event_register("oom", "finish_task_reaping");
	os.skip_reaping = trace_event_register("oom", "skip_task_reaping");
	{
		static struct trace_event dummy_ev;
		struct trace_event **evs[] = { &os.mark_victim, &os.wake_reaper, &os.start_reaping,
					       &os.finish_reaping, &os.skip_reaping };
		for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++)
			if (!*evs[i])
				*evs[i] = &dummy_ev;
	}
}

static void ensure_init(void)
{
	if (!os.inited || os.booted_for != (mm.booted ? (const void *)NODE_DATA(0) : NULL))
		oom_init();
}

void oom_shutdown(void)
{
	for (int i = 0; i < MAX_OOM_VICTIMS; i++)
		if (os.victims[i].task)
			release_victim(&os.victims[i]);
	os.inited = false;
	os.booted_for = NULL;
	os.reaper = NULL;
	if (mm_task_exit_hook == exit_oom_victim)
		mm_task_exit_hook = NULL;
}

unsigned long oom_kills(void)
{
	ensure_init();
	return (unsigned long)*os.oom_kill;
}

int oom_check(void)
{
	for (int i = 0; i < MAX_OOM_VICTIMS; i++) {
		struct oom_victim *v = &os.victims[i];
		if (!v->task)
			continue;
		if (!v->task->oom_victim) {
			fprintf(stderr, "oom_check: queued victim pid %d is not marked oom_victim\n", v->pid);
			return -1;
		}
		if (v->exited && v->mm) {
			fprintf(stderr, "oom_check: exited victim pid %d still has an mm\n", v->pid);
			return -1;
		}
		for (int j = i + 1; j < MAX_OOM_VICTIMS; j++)
			if (os.victims[j].task == v->task) {
				fprintf(stderr, "oom_check: victim pid %d queued twice\n", v->pid);
				return -1;
			}
	}
	return 0;
}
