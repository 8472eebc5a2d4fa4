/* SPDX-License-Identifier: MIT */
/*
 * workloads/anon.c — a process growing and touching anonymous memory.
 *
 * Model: `procs` user processes (task context, each its own task_struct with
 * `oom_score_adj`) fault in anonymous pages at `rate` pages per second until
 * each holds `working_set` bytes (0: no limit — the memory hog), pausing
 * for `think` after every `batch` faults. A fault allocates one zeroed
 * movable page (GFP_HIGHUSER_MOVABLE|__GFP_ZERO, as the anonymous fault path
 * does for a private page) on the task's node, writes it, and counts it in
 * the task's rss_anon; every 512 faults also take a page-table page
 * (GFP_KERNEL_ACCOUNT|__GFP_ZERO, GFP_PGTABLE_USER) counted in
 * pgtables_bytes. Once the working set is complete the process keeps
 * touching random pages of it at `touch_rate`. `release` chooses what
 * happens to the memory: `exit` frees everything at `stop` (exit_mmap),
 * `cycle` frees everything once the working set is complete and starts over
 * (a batch job), `never` keeps it. A process whose fault fails retries after
 * `think` (at least 1 ms), as a task looping on VM_FAULT_OOM would; a
 * process chosen by the OOM killer (fatal_signal_pending) frees its memory
 * and exits.
 *
 * INTERIM (until the memory-pressure issue lands its user-memory API —
 * anonymous faults into an mm_struct with real PTEs, LRU lists, swap): pages
 * come straight from alloc_pages and are neither on an LRU nor swappable, so
 * kswapd and direct reclaim cannot take them back; only the OOM killer can.
 * Touches write the page's direct-map address rather than a user mapping.
 */
#include <stdlib.h>
#include <string.h>
#include "machine/cost.h"
#include "machine/cpu.h"
#include "mm/gfp.h"
#include "mm/page_alloc.h"
#include "mm/sched.h"
#include "sim/stats.h"
#include "workloads/workload.h"

#define PTRS_PER_PTE 512
#define GFP_PGTABLE_USER (GFP_KERNEL_ACCOUNT | __GFP_ZERO)

enum { RELEASE_EXIT, RELEASE_CYCLE, RELEASE_NEVER };

struct anon_shared {
	const char *name;
	uint64_t *faults, *fail, *touches, *killed, *freed, *pgtables;
	struct hist *lat;
	unsigned long rss;               /* pages held by all processes */
	struct anon_shared *next;
};

struct anon_proc {
	struct anon_shared *sh;
	struct task_struct *tsk;
	struct rng rng;
	sim_time_t stop, gap, touch_gap;
	struct dist think;
	unsigned batch;
	int release, node;
	gfp_t gfp;
	unsigned long cap, n;            /* page slots, pages held */
	struct page **pages;
	unsigned long nr_pt;
	struct page **pt;                /* page-table pages */
};

static struct anon_shared *anon_list;

static void anon_release(struct anon_proc *p)
{
	for (unsigned long i = 0; i < p->n; i++)
		__free_pages(p->pages[i], 0);
	for (unsigned long i = 0; i < p->nr_pt; i++)
		__free_pages(p->pt[i], 0);
	p->sh->rss -= p->n;
	(*p->sh->freed) += p->n;
	p->tsk->rss_anon = 0;
	p->tsk->pgtables_bytes = 0;
	p->tsk->total_vm = 0;
	p->n = p->nr_pt = 0;
}

/* One anonymous page fault. Return false if the allocation failed. */
static bool anon_fault(struct anon_proc *p)
{
	sim_time_t t0 = sim_now();
	struct page *pg;

	if (p->n % PTRS_PER_PTE == 0 && p->nr_pt < p->cap / PTRS_PER_PTE + 1) {
		struct page *pt = alloc_pages_node(p->node, GFP_PGTABLE_USER, 0);

		if (!pt)
			goto fail;
		p->pt[p->nr_pt++] = pt;
		p->tsk->pgtables_bytes += PAGE_SIZE;
		(*p->sh->pgtables)++;
	}
	pg = alloc_pages_node(p->node, p->gfp, 0);
	hist_add(p->sh->lat, sim_now() - t0);
	if (!pg)
		goto fail;
	mem_write(page_address(pg), 64);
	p->pages[p->n++] = pg;
	p->sh->rss++;
	p->tsk->rss_anon++;
	p->tsk->total_vm++;
	(*p->sh->faults)++;
	return true;
fail:
	(*p->sh->fail)++;
	return false;
}

static void anon_think(struct anon_proc *p, sim_time_t min)
{
	sim_time_t t = (sim_time_t)dist_sample_u64(&p->think, &p->rng);

	sim_sleep(t > min ? t : min);
}

static void anon_proc_fn(void *arg)
{
	struct anon_proc *p = arg;
	unsigned in_batch = 0;

	while (wl_running(p->stop)) {
		if (fatal_signal_pending(p->tsk)) {          /* OOM-killed: exit_mmap */
			(*p->sh->killed)++;
			anon_release(p);
			return;
		}
		if (p->n < p->cap) {
			if (!anon_fault(p)) {
				anon_think(p, SIM_MS);
				continue;
			}
			if (p->batch && ++in_batch >= p->batch) {
				in_batch = 0;
				anon_think(p, 1);
			} else {
				sim_sleep(p->gap);
			}
			continue;
		}
		if (p->release == RELEASE_CYCLE) {
			anon_release(p);
			continue;
		}
		if (p->n) {                                   /* keep the working set hot */
			mem_write(page_address(p->pages[rng_below(&p->rng, p->n)]), 64);
			(*p->sh->touches)++;
		}
		sim_sleep(p->touch_gap);
	}
	if (p->release == RELEASE_EXIT && !fatal_signal_pending(p->tsk))
		anon_release(p);
}

static double gauge_rss(void *ctx)
{
	return (double)((struct anon_shared *)ctx)->rss;
}

static const struct workload_param anon_params[] = {
	{ "procs", CFG_UNIT_NONE, "1", "processes (each its own task and working set)" },
	{ "rate", CFG_UNIT_RATE, "500k/s", "page faults per second per process while growing" },
	{ "working_set", CFG_UNIT_BYTES, "64MiB", "bytes each process grows to (0: no limit, a hog)" },
	{ "batch", CFG_UNIT_NONE, "0", "faults between think pauses (0: never think)" },
	{ "think", CFG_UNIT_TIME, "1ms", "pause after each batch", WP_DIST },
	{ "touch_rate", CFG_UNIT_RATE, "100k/s", "page touches per second once the working set is complete" },
	{ "release", CFG_UNIT_NONE, "exit", "exit: free at stop; cycle: free when complete and regrow; never" },
	{ "oom_score_adj", CFG_UNIT_NONE, "0", "the tasks' oom_score_adj (-1000..1000)" },
	{ "gfp", CFG_UNIT_NONE, "GFP_HIGHUSER_MOVABLE|__GFP_ZERO", "GFP mask of a fault" },
	{ NULL },
};

static int anon_setup(struct cfg_node *task, const struct workload_env *env)
{
	static const char *const rel[] = { "exit", "cycle", "never", NULL };
	const struct workload_type *T = &workload_anon;
	/* Nothing is allocated for a task the kernel model cannot run. */
	struct anon_shared *sh = wl_require_kernel(task, T) < 0 ? NULL : calloc(1, sizeof(*sh));
	uint64_t procs = workload_u64(task, T, "procs", 1, 4096);
	uint64_t rate = workload_u64(task, T, "rate", 1, 1000000000);
	uint64_t ws = workload_u64(task, T, "working_set", 0, UINT64_MAX / 2);
	uint64_t batch = workload_u64(task, T, "batch", 0, 1u << 30);
	uint64_t trate = workload_u64(task, T, "touch_rate", 1, 1000000000);
	int release = cfg_enum(task, "release", rel, RELEASE_EXIT);
	int64_t adj = cfg_i64(task, "oom_score_adj", 0, OOM_SCORE_ADJ_MIN, OOM_SCORE_ADJ_MAX);
	struct dist think;
	unsigned long cap;
	gfp_t gfp;
	char name[192];

	if (!sh || wl_gfp(task, T, "gfp", &gfp) < 0 ||
	    workload_dist(task, T, "think", 0, 1e18, &think) < 0 || cfg_failed(cfg_doc(task)))
		return -1;
	cap = ws ? (unsigned long)((ws + PAGE_SIZE - 1) / PAGE_SIZE) : totalram_pages();
	sh->name = strdup(env->task_name);
	sh->faults = wl_counter(env, "faults", "pages", "anonymous pages faulted in");
	sh->fail = wl_counter(env, "fault_fail", "faults", "faults whose allocation failed (VM_FAULT_OOM)");
	sh->touches = wl_counter(env, "touches", "accesses", "writes to pages of the complete working set");
	sh->killed = wl_counter(env, "oom_killed", "tasks", "processes that exited after an OOM kill");
	sh->freed = wl_counter(env, "freed", "pages", "pages freed at exit or cycle");
	sh->pgtables = wl_counter(env, "pgtable_pages", "pages", "page-table pages allocated");
	sh->lat = wl_hist(env, "fault_latency", "ps", "page allocation time of one fault");
	stat_gauge(wl_stat_name(env, "rss_pages", name, sizeof(name)), "pages",
		   "anonymous pages held by the task's processes", STAT_SAMPLED, gauge_rss, sh);
	for (uint64_t i = 0; i < procs; i++) {
		struct anon_proc *p = calloc(1, sizeof(*p));

		if (!p)
			return -1;
		p->sh = sh;
		p->tsk = wl_task_new(env, (int)i);
		p->pages = calloc(cap ? cap : 1, sizeof(*p->pages));
		p->pt = calloc(cap / PTRS_PER_PTE + 2, sizeof(*p->pt));
		if (!p->tsk || !p->pages || !p->pt)
			return -1;
		p->tsk->oom_score_adj = (short)adj;
		wl_rng(&p->rng, env, (int)i);
		p->stop = env->stop;
		p->gap = SIM_SEC / rate;
		p->touch_gap = SIM_SEC / trate;
		p->think = think;
		p->batch = (unsigned)batch;
		p->release = release;
		p->node = env->node;
		p->gfp = gfp;
		p->cap = cap;
		if (!wl_spawn(env, (int)i, env->context, anon_proc_fn, p, p->tsk))
			return -1;
	}
	sh->next = anon_list;
	anon_list = sh;
	return 0;
}

static void anon_report(FILE *out)
{
	for (struct anon_shared *sh = anon_list; sh; sh = sh->next)
		fprintf(out, "%s: %llu pages faulted (%llu failed), %lu held, %llu OOM-killed, fault p99 %.2f us\n",
			sh->name, (unsigned long long)*sh->faults, (unsigned long long)*sh->fail, sh->rss,
			(unsigned long long)*sh->killed, (double)hist_percentile(sh->lat, 99) / 1e6);
}

const struct workload_type workload_anon = {
	.name = "anon",
	.desc = "processes growing and touching anonymous memory (the memory hog), with oom_score_adj "
		"[interim: pages from alloc_pages until the user-memory API lands]",
	.params = anon_params,
	.setup = anon_setup,
	.report = anon_report,
};
