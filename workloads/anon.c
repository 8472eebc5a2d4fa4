/* SPDX-License-Identifier: MIT */
/*
 * workloads/anon.c — processes growing and touching anonymous memory.
 *
 * Model: `procs` user processes (task context), each with `oom_score_adj`,
 * fault in anonymous pages at `rate` pages per second until each holds
 * `working_set` bytes (0: no limit — the memory hog), pausing for `think`
 * after every `batch` faults. Once the working set is complete a process
 * keeps touching random pages of it at `touch_rate`. `release` chooses what
 * happens to the memory: `exit` frees everything at `stop` (exit_mmap),
 * `cycle` unmaps it once complete and starts over (a batch job), `never`
 * keeps it. A fault that fails (VM_FAULT_OOM) is retried after `think` (at
 * least 1 ms); a process chosen by the OOM killer (fatal_signal_pending)
 * exits and its memory is freed.
 *
 * Two backends (`api`, default `mm` when the model's user memory is
 * initialised — reclaim_init() has run — else `pages`):
 *   - `mm`: real user memory of the kernel model (mm/memory.h): a
 *     task with an mm in the task list (what the OOM killer scans), one
 *     mapping of the working set (task_mmap), faults through
 *     task_touch_anon() — zeroed GFP_HIGHUSER_MOVABLE pages on the local
 *     node, user page tables accounted, pages on the anon LRU, swapped out
 *     by reclaim and back in when touched. `gfp` and `node` do not apply
 *     (the default local mempolicy; use `cpus`/`node` to choose where the
 *     task runs).
 *   - `pages`: a kernel-side or bound consumer modelled directly on the page
 *     allocator: each fault takes alloc_pages_node(`node`, `gfp`, 0)
 *     (default GFP_HIGHUSER_MOVABLE|__GFP_ZERO; add __GFP_THISNODE for a
 *     task bound to its node) plus one page-table page per 512 pages
 *     (GFP_PGTABLE_USER), counted in the task_struct's rss/pgtables fields.
 *     These pages are not on the LRU: reclaim cannot take them back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cost.h"
#include "machine/cpu.h"
#include "mm/gfp.h"
#include "mm/memory.h"
#include "mm/page_alloc.h"
#include "mm/sched.h"
#include "sim/stats.h"
#include "workloads/workload.h"

#define PTRS_PER_PTE 512
#define GFP_PGTABLE_USER (GFP_KERNEL_ACCOUNT | __GFP_ZERO)

enum { RELEASE_EXIT, RELEASE_CYCLE, RELEASE_NEVER };
enum { API_MM, API_PAGES };

struct anon_proc;

struct anon_shared {
	const char *name;
	int api;
	uint64_t *faults, *fail, *touches, *killed, *freed, *pgtables;
	struct hist *lat;
	int nr_procs;
	struct anon_proc **procs;
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
	bool exited;
	gfp_t gfp;
	unsigned long cap, n;            /* pages of the working set, pages faulted in */
	/* api mm */
	unsigned long base;              /* user address of the mapping */
	/* api pages */
	struct page **pages;
	unsigned long nr_pt;
	struct page **pt;                /* page-table pages */
};

static struct anon_shared *anon_list;

/* Free the working set: exit_mmap for `exit` / OOM kills, munmap + a new mapping for `cycle`. */
static void anon_release(struct anon_proc *p, bool exiting)
{
	if (p->sh->api == API_MM) {
		struct mm_struct *mm = task_mm(p->tsk);

		(*p->sh->freed) += mm ? get_mm_counter(mm, MM_ANONPAGES) : 0;
		if (exiting) {
			task_exit(p->tsk);
			p->exited = true;
		} else {
			task_munmap(p->tsk, p->base, p->cap * PAGE_SIZE);
			p->base = task_mmap(p->tsk, p->cap * PAGE_SIZE);
		}
		p->n = 0;
		return;
	}
	for (unsigned long i = 0; i < p->n; i++)
		__free_pages(p->pages[i], 0);
	for (unsigned long i = 0; i < p->nr_pt; i++)
		__free_pages(p->pt[i], 0);
	(*p->sh->freed) += p->n;
	p->tsk->rss_anon = 0;
	p->tsk->pgtables_bytes = 0;
	p->tsk->total_vm = 0;
	p->n = p->nr_pt = 0;
	p->exited = exiting;
}

/* One anonymous page fault: 0, -ENOMEM (VM_FAULT_OOM) or -EINTR (killed). */
static int anon_fault(struct anon_proc *p)
{
	sim_time_t t0 = sim_now();
	struct page *pg;

	if (p->sh->api == API_MM) {
		unsigned long pt0 = task_mm(p->tsk)->pgtables_bytes;
		int rc = task_touch_anon(p->tsk, p->base + p->n * PAGE_SIZE, true);

		hist_add(p->sh->lat, sim_now() - t0);
		if (rc == 0) {
			p->n++;
			(*p->sh->faults)++;
			if (task_mm(p->tsk)->pgtables_bytes > pt0)
				(*p->sh->pgtables) += (task_mm(p->tsk)->pgtables_bytes - pt0) / PAGE_SIZE;
		} else if (rc != -EINTR) {
			(*p->sh->fail)++;
		}
		return rc == -EINTR ? -EINTR : rc ? -ENOMEM : 0;
	}
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
	p->tsk->rss_anon++;
	p->tsk->total_vm++;
	(*p->sh->faults)++;
	return 0;
fail:
	(*p->sh->fail)++;
	return -ENOMEM;
}

/* Touch a random page of the complete working set (may swap it back in). */
static int anon_touch(struct anon_proc *p)
{
	unsigned long i = (unsigned long)rng_below(&p->rng, p->n);

	(*p->sh->touches)++;
	if (p->sh->api == API_MM)
		return task_touch_anon(p->tsk, p->base + i * PAGE_SIZE, true) == -EINTR ? -EINTR : 0;
	mem_write(page_address(p->pages[i]), 64);
	return 0;
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
		int rc = 0;

		if (fatal_signal_pending(p->tsk))
			rc = -EINTR;
		else if (p->n < p->cap)
			rc = anon_fault(p);
		else if (p->release == RELEASE_CYCLE) {
			anon_release(p, false);
			continue;
		} else if (p->n)
			rc = anon_touch(p);
		if (rc == -EINTR) {                           /* OOM-killed: exit_mmap */
			(*p->sh->killed)++;
			anon_release(p, true);
			return;
		}
		if (rc == -ENOMEM) {
			anon_think(p, SIM_MS);
		} else if (p->n < p->cap || !p->n) {
			if (p->batch && ++in_batch >= p->batch) {
				in_batch = 0;
				anon_think(p, 1);
			} else {
				sim_sleep(p->gap);
			}
		} else {
			sim_sleep(p->touch_gap);
		}
	}
	if (p->release == RELEASE_EXIT && !p->exited)
		anon_release(p, true);
}

static double gauge_rss(void *ctx)
{
	struct anon_shared *sh = ctx;
	double rss = 0;

	for (int i = 0; i < sh->nr_procs; i++) {
		struct anon_proc *p = sh->procs[i];

		if (p->exited)
			continue;
		if (sh->api == API_MM)
			rss += task_mm(p->tsk) ? (double)get_mm_counter(task_mm(p->tsk), MM_ANONPAGES) : 0;
		else
			rss += (double)p->n;
	}
	return rss;
}

static const struct workload_param anon_params[] = {
	{ "api", CFG_UNIT_NONE, "mm", "mm: user memory of the kernel model (LRU, swap, OOM; the default when it "
	  "is initialised, else pages); pages: alloc_pages with `gfp` on `node`" },
	{ "procs", CFG_UNIT_NONE, "1", "processes (each its own task and working set)" },
	{ "rate", CFG_UNIT_RATE, "500k/s", "page faults per second per process while growing" },
	{ "working_set", CFG_UNIT_BYTES, "64MiB", "bytes each process grows to (0: no limit, a hog)" },
	{ "batch", CFG_UNIT_NONE, "0", "faults between think pauses (0: never think)" },
	{ "think", CFG_UNIT_TIME, "1ms", "pause after each batch", WP_DIST },
	{ "touch_rate", CFG_UNIT_RATE, "100k/s", "page touches per second once the working set is complete" },
	{ "release", CFG_UNIT_NONE, "exit", "exit: free at stop; cycle: free when complete and regrow; never" },
	{ "oom_score_adj", CFG_UNIT_NONE, "0", "the tasks' oom_score_adj (-1000..1000)" },
	{ "gfp", CFG_UNIT_NONE, "GFP_HIGHUSER_MOVABLE|__GFP_ZERO", "api pages: GFP mask of a fault" },
	{ NULL },
};

static int anon_setup(struct cfg_node *task, const struct workload_env *env)
{
	static const char *const rel[] = { "exit", "cycle", "never", NULL };
	static const char *const apis[] = { "mm", "pages", NULL };
	const struct workload_type *T = &workload_anon;
	/* Nothing is allocated for a task the kernel model cannot run. */
	struct anon_shared *sh = wl_require_kernel(task, T) < 0 ? NULL : calloc(1, sizeof(*sh));
	/* Default: the model's user memory when it is up (reclaim_init), else direct pages. */
	int api = cfg_enum(task, "api", apis, wl_user_memory_ready() ? API_MM : API_PAGES);
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

	if (!sh || wl_gfp(task, T, "gfp", &gfp) < 0 || workload_dist(task, T, "think", 0, 1e18, &think) < 0 ||
	    cfg_failed(cfg_doc(task)))
		return -1;
	if (api == API_MM && !wl_user_memory_ready()) {
		cfg_fail(cfg_doc(task), task, "api", "api: mm needs the kernel model's user memory "
			 "(reclaim_init has not run: no memory-pressure model in this run); use api: pages");
		free(sh);
		return -1;
	}
	cap = ws ? (unsigned long)((ws + PAGE_SIZE - 1) / PAGE_SIZE) : totalram_pages();
	sh->name = strdup(env->task_name);
	sh->api = api;
	sh->procs = calloc(procs, sizeof(*sh->procs));
	if (!sh->procs)
		return -1;
	sh->faults = wl_counter(env, "faults", "pages", "anonymous pages faulted in");
	sh->fail = wl_counter(env, "fault_fail", "faults", "faults whose allocation failed (VM_FAULT_OOM)");
	sh->touches = wl_counter(env, "touches", "accesses", "accesses to pages of the complete working set");
	sh->killed = wl_counter(env, "oom_killed", "tasks", "processes that exited after an OOM kill");
	sh->freed = wl_counter(env, "freed", "pages", "resident pages freed at exit or cycle");
	sh->pgtables = wl_counter(env, "pgtable_pages", "pages", "user page-table pages allocated");
	sh->lat = wl_hist(env, "fault_latency", "ps", "time of one anonymous fault");
	stat_gauge(wl_stat_name(env, "rss_pages", name, sizeof(name)), "pages",
		   "resident anonymous pages of the task's processes", STAT_SAMPLED, gauge_rss, sh);
	for (uint64_t i = 0; i < procs; i++) {
		struct anon_proc *p = calloc(1, sizeof(*p));

		if (!p)
			return -1;
		p->sh = sh;
		sh->procs[sh->nr_procs++] = p;
		if (api == API_MM) {
			char comm[TASK_COMM_LEN + 8];

			snprintf(comm, sizeof(comm), i ? "%.11s/%d" : "%s", env->task_name, (int)i);
			p->tsk = task_create(comm, (short)adj);
			if (!p->tsk)
				return -1;
			get_task_struct(p->tsk);         /* our reference outlives task_exit() */
			p->base = task_mmap(p->tsk, cap * PAGE_SIZE);
		} else {
			p->tsk = wl_task_new(env, (int)i);
			p->pages = calloc(cap ? cap : 1, sizeof(*p->pages));
			p->pt = calloc(cap / PTRS_PER_PTE + 2, sizeof(*p->pt));
			if (!p->tsk || !p->pages || !p->pt)
				return -1;
			p->tsk->oom_score_adj = (short)adj;
		}
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
		fprintf(out, "%s: %llu pages faulted (%llu failed), %.0f resident, %llu OOM-killed, fault p99 %.2f us\n",
			sh->name, (unsigned long long)*sh->faults, (unsigned long long)*sh->fail, gauge_rss(sh),
			(unsigned long long)*sh->killed, (double)hist_percentile(sh->lat, 99) / 1e6);
}

const struct workload_type workload_anon = {
	.name = "anon",
	.desc = "processes growing and touching anonymous memory (the memory hog), with oom_score_adj; "
		"user memory of the kernel model (api: mm) or direct page allocations (api: pages)",
	.params = anon_params,
	.setup = anon_setup,
	.report = anon_report,
};
