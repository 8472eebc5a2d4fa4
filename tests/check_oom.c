// SPDX-License-Identifier: MIT
/*
 * tests/check_oom.c — suite "oom": §16 item 20 with the kernel's numbers
 * (oom_badness, /proc/<pid>/oom_score, victim choice, ties), the slow-path
 * outcomes (order-4 failure without a kill, GFP_NOFS / DMA32 / RETRY_MAYFAIL /
 * THISNODE never kill), the report's lines in the kernel's format, the
 * oom_reaper, the panic when nothing can be killed, and an end-to-end run where
 * an oom_score_adj 1000 task dies before the memory hog.
 *
 * Machines: the tiny preset shrunk to 32 MiB, timing off, kswapd off.
 */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cpu.h"
#include "machine/machine.h"
#include "mm/compaction.h"
#include "mm/internal.h"
#include "mm/memory.h"
#include "mm/mm.h"
#include "mm/oom_kill.h"
#include "mm/page_alloc.h"
#include "mm/sched.h"
#include "sim/engine.h"
#include "sim/log.h"
#include "sim/stats.h"
#include "sim/trace.h"
#include "tests/suites.h"
#include "tests/testmm.h"
#include "tests/testutil.h"
#include "tests/testutil.h"

static struct mm_params P;
static char dmesg_path[512], trace_path[512];

static bool with_kswapd;

static void boot_yaml(const char *yaml)
{
	struct sim_params sp;
	struct pressure_params pp;
	char err[512];

	memset(&sp, 0, sizeof(sp));
	sp.timing = false;
	sp.quantum = SIM_US;
	ck_assert_int_eq(sim_init(&sp), 0);
	ck_assert_msg(machine_build_yaml(yaml, err, sizeof(err)) == 0, "%s", err);
	mm_params_default(&P);
	P.init_slab = false;
	P.kernel_image_size = 2ULL << 20;
	P.timing = sp.timing ? 1 : 0;
	ck_assert_msg(mm_boot(&P, err, sizeof(err)) == 0, "mm_boot: %s", err);
	pressure_params_default(&pp);
	pp.kswapd = with_kswapd;
	ck_assert_msg(reclaim_init(&pp, err, sizeof(err)) == 0, "reclaim_init: %s", err);
	compaction_init();
	oom_init();
	snprintf(dmesg_path, sizeof(dmesg_path), "%s/dmesg.log", test_tmpdir());
	snprintf(trace_path, sizeof(trace_path), "%s/events.trace", test_tmpdir());
	ck_assert_int_eq(sim_dmesg_open(dmesg_path), 0);
	ck_assert_int_eq(trace_open(trace_path, 2), 0);
	trace_enable("oom");
}

static void setup(void) { boot_yaml("preset: tiny\nmemory_per_node: 32MiB\n"); }
static void setup_kswapd(void)
{
	with_kswapd = true;
	boot_yaml("preset: tiny\nmemory_per_node: 32MiB\n");
}
static void setup_2node(void) { boot_yaml("preset: two-socket\nmemory_per_node: 32MiB\n"); }

static void teardown(void)
{
	oom_shutdown();
	compaction_shutdown();
	reclaim_shutdown();
	mm_shutdown();
	sim_shutdown();
}

/* The kernel log so far, without the "[    0.000000] " prefixes. */
static char *dmesg_text(void)
{
	size_t len;
	char *raw, *out, *o;

	fflush(sim_dmesg_file());
	raw = test_read_file(dmesg_path, &len);
	ck_assert_ptr_nonnull(raw);
	out = malloc(len + 1);
	o = out;
	for (char *line = raw; *line;) {
		char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line + 1) : strlen(line);
		char *body = line;
		if (line[0] == '[') {
			char *rb = memchr(line, ']', n);
			if (rb && rb[1] == ' ')
				body = rb + 2;
		}
		memcpy(o, body, n - (size_t)(body - line));
		o += n - (size_t)(body - line);
		line += n;
	}
	*o = '\0';
	free(raw);
	return out;
}

static char *trace_text(void)
{
	size_t len;
	char *t;

	trace_close();
	t = test_read_file(trace_path, &len);
	ck_assert_ptr_nonnull(t);
	return t;
}

static struct task_struct *task_with_pages(const char *comm, short adj, unsigned long pages)
{
	struct task_struct *t = task_create(comm, adj);
	unsigned long addr;

	ck_assert_ptr_nonnull(t);
	addr = task_mmap(t, (pages + 1) * PAGE_SIZE);
	ck_assert_int_eq(task_touch_range(t, addr, pages * PAGE_SIZE, true), 0);
	return t;
}

/* --- badness and selection (§7, §16 item 20) ---------------------------------------- */

static void fake_task(struct task_struct *t, struct mm_struct *m, const char *comm, int pid, short adj,
		      long rss)
{
	task_init(t, comm, pid);
	memset(m, 0, sizeof(*m));
	m->owner = t;
	m->rss_stat[MM_ANONPAGES] = rss;
	t->mm_private = m;
	t->oom_score_adj = adj;
}

START_TEST(test_badness_kernel_numbers)
{
	struct task_struct a, b, k, init, imm, nomm;
	struct mm_struct ma, mb, mk, mi, mimm;

	fake_task(&a, &ma, "A", 2000, 0, 200000);
	fake_task(&b, &mb, "B", 2001, 500, 100000);
	ck_assert_int_eq(oom_badness(&a, 1000000), 200000);
	ck_assert_int_eq(oom_badness(&b, 1000000), 600000);
	ck_assert_uint_eq(oom_score(&a, 1000000), 800);
	ck_assert_uint_eq(oom_score(&b, 1000000), 1066);
	/* rss (anon + file + shmem) + swap entries + page-table bytes / 4096 */
	ma.rss_stat[MM_FILEPAGES] = 10;
	ma.rss_stat[MM_SHMEMPAGES] = 5;
	ma.rss_stat[MM_SWAPENTS] = 7;
	ma.pgtables_bytes = 3 * 4096 + 100;
	ck_assert_int_eq(oom_badness(&a, 1000000), 200000 + 10 + 5 + 7 + 3);
	/* adj scales by totalpages / 1000 with integer division first */
	b.oom_score_adj = -300;
	ck_assert_int_eq(oom_badness(&b, 1999), 100000 - 300);
	ck_assert_int_eq(oom_badness(&b, 999), 100000);
	/* unkillable: kernel threads, init, OOM_SCORE_ADJ_MIN, no mm */
	fake_task(&k, &mk, "kthreadd", 2, 0, 1000);
	k.flags = PF_KTHREAD;
	fake_task(&init, &mi, "systemd", 1, 0, 1000);
	fake_task(&imm, &mimm, "sshd", 2002, OOM_SCORE_ADJ_MIN, 1000);
	task_init(&nomm, "nomm", 2003);
	ck_assert(oom_badness(&k, 1000000) == LONG_MIN);
	ck_assert(oom_badness(&init, 1000000) == LONG_MIN);
	ck_assert(oom_badness(&imm, 1000000) == LONG_MIN);
	ck_assert(oom_badness(&nomm, 1000000) == LONG_MIN);
	ck_assert_uint_eq(oom_score(&imm, 1000000), 0);
	/* adj +1000: the whole memory, oom_score 1333 with nothing resident */
	fake_task(&a, &ma, "A", 2000, 1000, 0);
	ck_assert_uint_eq(oom_score(&a, 1000000), 1333);
}
END_TEST

START_TEST(test_select_victim_and_ties)
{
	struct task_struct *a = task_create("A", 0), *b = task_create("B", 500), *c;
	long points;

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	task_mm(a)->rss_stat[MM_ANONPAGES] = 200000;
	task_mm(b)->rss_stat[MM_ANONPAGES] = 100000;
	ck_assert_ptr_eq(oom_select_bad_process(1000000, &points), b);
	ck_assert_int_eq(points, 600000);
	/* a later task with the same badness wins the tie */
	c = task_create("C", 0);
	task_mm(c)->rss_stat[MM_ANONPAGES] = 600000;
	ck_assert_ptr_eq(oom_select_bad_process(1000000, &points), c);
	/* one point less: B again */
	task_mm(c)->rss_stat[MM_ANONPAGES] = 599999;
	ck_assert_ptr_eq(oom_select_bad_process(1000000, &points), b);
	/* OOM_SCORE_ADJ_MIN exempts B */
	b->oom_score_adj = OOM_SCORE_ADJ_MIN;
	ck_assert_ptr_eq(oom_select_bad_process(1000000, &points), c);
	/* a live victim that is not reaped yet makes the selection wait */
	a->oom_victim = true;
	ck_assert_ptr_eq(oom_select_bad_process(1000000, &points), (struct task_struct *)-1L);
	a->oom_victim = false;
	for (struct task_struct *t = a; t; t = t == a ? b : t == b ? c : NULL)
		task_mm(t)->rss_stat[MM_ANONPAGES] = 0;
	task_exit(a);
	task_exit(b);
	task_exit(c);
	ck_assert_ptr_null(oom_select_bad_process(1000000, &points));
}
END_TEST

/* --- the report --------------------------------------------------------------------------- */

START_TEST(test_report_lines)
{
	struct task_struct *v = task_with_pages("victim", 1000, 10);
	struct task_struct *h = task_with_pages("hog", 0, 300);
	struct oom_control oc;
	char line[512], *log, *tr;
	struct mm_struct *m;

	memset(&oc, 0, sizeof(oc));
	oc.zonelist = &NODE_DATA(0)->node_zonelists[ZONELIST_FALLBACK];
	oc.gfp_mask = GFP_KERNEL;
	oc.order = 0;
	ck_assert(out_of_memory(&oc));
	ck_assert_int_eq(oc.chosen_pid, v->pid);
	ck_assert_uint_eq(oom_kills(), 1);
	ck_assert(v->oom_victim);
	ck_assert(fatal_signal_pending(v));
	ck_assert(!h->oom_victim);
	log = dmesg_text();
	ck_assert_ptr_nonnull(strstr(log, "swapper/0 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, "
				     "oom_score_adj=0\n"));
	ck_assert_ptr_nonnull(strstr(log, "\nMem-Info:\nactive_anon:"));
	ck_assert_ptr_nonnull(strstr(log, "\nNode 0 DMA32 free:"));
	ck_assert_ptr_nonnull(strstr(log, "\nNode 0 DMA32: "));
	ck_assert_ptr_nonnull(strstr(log, "\nTasks state (memory values in pages):\n"
				     "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"));
	m = task_mm(v);
	snprintf(line, sizeof(line), "\n[%7d] %5d %5d %8lu %8lu %8ld %8lu         %5hd %s\n", v->pid, 0, v->pid,
		 m->total_vm, 10UL, (long)m->pgtables_bytes, 0UL, (short)1000, "victim");
	ck_assert_msg(strstr(log, line), "missing row: %s", line);
	/* total_vm counts the 11 mapped pages; rss the 10 touched */
	ck_assert_uint_eq(m->total_vm, 11);
	ck_assert_ptr_nonnull(strstr(log, "\n[   1000]     0  1000       11       10 "));
	snprintf(line, sizeof(line), "\noom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,"
		 "global_oom,task_memcg=/,task=victim,pid=%d,uid=0\n", v->pid);
	ck_assert_msg(strstr(log, line), "missing: %s", line);
	snprintf(line, sizeof(line), "\nOut of memory: Killed process %d (victim) total-vm:%lukB, anon-rss:40kB, "
		 "file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:%lukB oom_score_adj:1000\n", v->pid,
		 m->total_vm * 4, m->pgtables_bytes >> 10);
	ck_assert_msg(strstr(log, line), "missing: %s", line);
	/* order: header, Mem-Info, tasks, summary, kill */
	ck_assert(strstr(log, "invoked oom-killer") < strstr(log, "Mem-Info:"));
	ck_assert(strstr(log, "Mem-Info:") < strstr(log, "Tasks state"));
	ck_assert(strstr(log, "Tasks state") < strstr(log, "oom-kill:"));
	ck_assert(strstr(log, "oom-kill:") < strstr(log, "Out of memory: Killed"));
	free(log);

	/* the victim has not exited: the next OOM waits for it (no second kill) */
	ck_assert(out_of_memory(&oc));
	ck_assert_uint_eq(oom_kills(), 1);
	ck_assert_int_eq(oom_check(), 0);

	tr = trace_text();
	snprintf(line, sizeof(line), "mark_victim: pid=%d comm=victim total-vm=%lukB anon-rss=40kB file-rss:0kB "
		 "shmem-rss:0kB uid=0 pgtables=%lukB oom_score_adj=1000\n", v->pid, m->total_vm * 4,
		 m->pgtables_bytes >> 10);
	ck_assert_msg(strstr(tr, line), "missing event: %s", line);
	free(tr);
	task_exit(v);
	task_exit(h);
}
END_TEST

/* A page fault OOM (gfp 0) kills too; GFP_NOFS returns "progress" without a kill. */
START_TEST(test_nofs_and_pagefault_masks)
{
	struct task_struct *h = task_with_pages("hog", 0, 100);
	struct oom_control oc;
	char *log;

	memset(&oc, 0, sizeof(oc));
	oc.zonelist = &NODE_DATA(0)->node_zonelists[ZONELIST_FALLBACK];
	oc.gfp_mask = GFP_NOFS;
	ck_assert(out_of_memory(&oc));
	ck_assert_uint_eq(oom_kills(), 0);
	oc.gfp_mask = GFP_NOIO;
	ck_assert(out_of_memory(&oc));
	ck_assert_uint_eq(oom_kills(), 0);
	log = dmesg_text();
	ck_assert_ptr_null(strstr(log, "invoked oom-killer"));
	free(log);
	oc.gfp_mask = 0;             /* pagefault_out_of_memory() */
	ck_assert(out_of_memory(&oc));
	ck_assert_uint_eq(oom_kills(), 1);
	log = dmesg_text();
	ck_assert_ptr_nonnull(strstr(log, "invoked oom-killer: gfp_mask=0x0(), order=0, oom_score_adj=0\n"));
	free(log);
	task_exit(h);
}
END_TEST

/* §16 item 20 through the page allocator with nothing reclaimable. */
START_TEST(test_slowpath_outcomes)
{
	struct task_struct *h = task_with_pages("hog", 0, 100);
	uint64_t calls;
	char *log;

	test_hold_all_pages();
	/* GFP_KERNEL order 4: NULL after one reclaim + compaction round, no kill */
	ck_assert_ptr_null(alloc_pages(GFP_KERNEL, 4));
	ck_assert_uint_eq(oom_kills(), 0);
	log = dmesg_text();
	ck_assert_ptr_nonnull(strstr(log, "page allocation failure: order:4, mode:0xcc0(GFP_KERNEL), nodemask=(null)"));
	free(log);
	/* GFP_DMA32: the OOM killer is not even called */
	calls = *vm_events[OOM_CALLS];
	ck_assert_ptr_null(alloc_pages(GFP_KERNEL | __GFP_DMA32 | __GFP_NOWARN, 0));
	ck_assert_uint_eq(*vm_events[OOM_CALLS], calls);
	/* RETRY_MAYFAIL and THISNODE: NULL without a kill */
	ck_assert_ptr_null(alloc_pages(GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN, 0));
	ck_assert_ptr_null(alloc_pages_node(0, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 0));
	ck_assert_uint_eq(*vm_events[OOM_CALLS], calls);
	ck_assert_uint_eq(oom_kills(), 0);
	/* GFP_NOFS: out_of_memory() is called and "makes progress" without killing */
	ck_assert_ptr_null(alloc_pages(GFP_NOFS | __GFP_NOWARN, 0));   /* outside a process it gives up */
	ck_assert_uint_gt(*vm_events[OOM_CALLS], calls);
	ck_assert_uint_eq(oom_kills(), 0);
	ck_assert(!h->oom_victim);
	/* GFP_KERNEL order 0: the hog is killed */
	ck_assert_ptr_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0));
	ck_assert_uint_eq(oom_kills(), 1);
	ck_assert(h->oom_victim);
	test_release_held();
	task_exit(h);
}
END_TEST

/* GFP_NOFS in a process: "too small to fail" — it keeps retrying (no kill) until memory comes back. */
static struct page *nofs_page;
static sim_time_t nofs_done;
static void nofs_alloc(void *arg)
{
	(void)arg;
	nofs_page = alloc_pages(GFP_NOFS, 0);
	nofs_done = sim_now();
}

static void release_later(void *arg)
{
	(void)arg;
	sim_sleep(500 * SIM_MS);
	test_release_held();
}

START_TEST(test_nofs_loops_until_memory)
{
	struct task_struct *h = task_with_pages("hog", 0, 100);
	struct task_struct *me = task_create("fs-writer", 0);

	test_hold_all_pages();
	ck_assert_ptr_nonnull(cpu_spawn("fs-writer", 0, CTX_TASK, nofs_alloc, NULL, me, 0));
	ck_assert_ptr_nonnull(cpu_spawn("releaser", 1, CTX_TASK, release_later, NULL, NULL, 0));
	sim_run(2 * SIM_SEC);
	ck_assert_ptr_nonnull(nofs_page);
	ck_assert_uint_ge(nofs_done, 500 * SIM_MS);
	ck_assert_uint_gt(*vm_events[OOM_CALLS], 10);      /* it asked the OOM killer over and over */
	ck_assert_uint_eq(oom_kills(), 0);
	ck_assert(!h->oom_victim);
	__free_pages(nofs_page, 0);
	task_exit(h);
	task_exit(me);
}
END_TEST

START_TEST(test_no_killable_panics)
{
	struct task_struct *s = task_with_pages("sshd", OOM_SCORE_ADJ_MIN, 10);
	struct oom_control oc;
	const char *reason = NULL;
	char *log;

	ck_assert(!mm_panicked(&reason));
	memset(&oc, 0, sizeof(oc));
	oc.zonelist = &NODE_DATA(0)->node_zonelists[ZONELIST_FALLBACK];
	oc.gfp_mask = GFP_KERNEL;
	ck_assert(!out_of_memory(&oc));
	ck_assert(mm_panicked(&reason));
	ck_assert_str_eq(reason, "System is deadlocked on memory");
	log = dmesg_text();
	ck_assert_ptr_nonnull(strstr(log, "\nOut of memory and no killable processes...\n"
				     "Kernel panic - not syncing: System is deadlocked on memory\n"));
	ck_assert_ptr_nonnull(strstr(log, "invoked oom-killer"));
	ck_assert_ptr_null(strstr(log, "oom-kill:"));
	free(log);
	ck_assert_uint_eq(oom_kills(), 0);
	task_exit(s);
}
END_TEST

/* The oom_reaper unmaps a victim that does not exit after 2 s; the next OOM picks another task. */
START_TEST(test_reaper)
{
	struct task_struct *v = task_with_pages("victim", 1000, 50);
	struct task_struct *h = task_with_pages("hog", 0, 300);
	struct oom_control oc;
	char line[256], *log, *tr;

	memset(&oc, 0, sizeof(oc));
	oc.zonelist = &NODE_DATA(0)->node_zonelists[ZONELIST_FALLBACK];
	oc.gfp_mask = GFP_KERNEL;
	ck_assert(out_of_memory(&oc));
	ck_assert_int_eq(oc.chosen_pid, v->pid);
	sim_run(1900 * SIM_MS);
	ck_assert_uint_eq(get_mm_counter(task_mm(v), MM_ANONPAGES), 50);
	sim_run(2100 * SIM_MS);
	ck_assert_uint_eq(get_mm_counter(task_mm(v), MM_ANONPAGES), 0);
	log = dmesg_text();
	snprintf(line, sizeof(line), "oom_reaper: reaped process %d (victim), now anon-rss:0kB, file-rss:0kB, "
		 "shmem-rss:0kB\n", v->pid);
	ck_assert_msg(strstr(log, line), "missing: %s", line);
	free(log);
	/* MMF_OOM_SKIP: the reaped victim no longer blocks selection; the hog goes next */
	ck_assert(out_of_memory(&oc));
	ck_assert_int_eq(oc.chosen_pid, h->pid);
	ck_assert_uint_eq(oom_kills(), 2);
	tr = trace_text();
	snprintf(line, sizeof(line), "wake_reaper: pid=%d\n", v->pid);
	ck_assert_ptr_nonnull(strstr(tr, line));
	snprintf(line, sizeof(line), "start_task_reaping: pid=%d\n", v->pid);
	ck_assert_ptr_nonnull(strstr(tr, line));
	snprintf(line, sizeof(line), "finish_task_reaping: pid=%d\n", v->pid);
	ck_assert_ptr_nonnull(strstr(tr, line));
	free(tr);
	task_exit(v);
	task_exit(h);
	ck_assert_int_eq(oom_check(), 0);
}
END_TEST

/* sysctls: oom_kill_allocating_task kills current; panic_on_oom panics. */
struct alloc_task_arg { struct oom_control *oc; bool ret; };
static void oom_from_task(void *arg)
{
	struct alloc_task_arg *a = arg;
	a->ret = out_of_memory(a->oc);
}

START_TEST(test_sysctls)
{
	struct task_struct *big = task_with_pages("big", 0, 300);
	struct task_struct *me = task_with_pages("small", 0, 5);
	struct oom_control oc;
	struct alloc_task_arg arg = { &oc, false };
	const char *reason;
	char *log;

	memset(&oc, 0, sizeof(oc));
	oc.zonelist = &NODE_DATA(0)->node_zonelists[ZONELIST_FALLBACK];
	oc.gfp_mask = GFP_KERNEL;
	sysctl_oom_kill_allocating_task = 1;
	ck_assert_ptr_nonnull(cpu_spawn("small", 0, CTX_TASK, oom_from_task, &arg, me, 0));
	sim_run(SIM_MS);
	ck_assert(arg.ret);
	ck_assert_int_eq(oc.chosen_pid, me->pid);
	ck_assert(me->oom_victim && !big->oom_victim);
	log = dmesg_text();
	ck_assert_ptr_nonnull(strstr(log, "small invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0"));
	ck_assert_ptr_nonnull(strstr(log, "\nOut of memory (oom_kill_allocating_task): Killed process 1001 (small)"));
	free(log);
	sysctl_oom_kill_allocating_task = 0;
	sysctl_panic_on_oom = 1;
	ck_assert(!out_of_memory(&oc));
	ck_assert(mm_panicked(&reason));
	ck_assert_str_eq(reason, "Out of memory: system-wide panic_on_oom is enabled");
	sysctl_panic_on_oom = 0;
	task_exit(big);
	task_exit(me);
}
END_TEST

/* Two nodes: mems_allowed=0-1; a nodemask not covering both is CONSTRAINT_MEMORY_POLICY. */
START_TEST(test_two_nodes_constraint)
{
	struct task_struct *h = task_with_pages("hog", 0, 100);
	struct oom_control oc;
	nodemask_t nm = { 0 };
	char line[512], *log;

	memset(&oc, 0, sizeof(oc));
	oc.zonelist = &NODE_DATA(0)->node_zonelists[ZONELIST_FALLBACK];
	oc.gfp_mask = GFP_KERNEL;
	ck_assert(out_of_memory(&oc));
	ck_assert_uint_eq(oc.totalpages, totalram_pages());
	log = dmesg_text();
	snprintf(line, sizeof(line), "\noom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0-1,"
		 "global_oom,task_memcg=/,task=hog,pid=%d,uid=0\n", h->pid);
	ck_assert_msg(strstr(log, line), "missing: %s", line);
	free(log);
	task_exit(h);

	h = task_with_pages("hog2", 0, 100);
	node_set(1, &nm);
	oc.nodemask = &nm;
	ck_assert(out_of_memory(&oc));
	ck_assert_uint_eq(oc.totalpages, NODE_DATA(1)->node_present_pages);
	log = dmesg_text();
	snprintf(line, sizeof(line), "\noom-kill:constraint=CONSTRAINT_MEMORY_POLICY,nodemask=1,cpuset=/,"
		 "mems_allowed=0-1,global_oom,task_memcg=/,task=hog2,pid=%d,uid=0\n", h->pid);
	ck_assert_msg(strstr(log, line), "missing: %s", line);
	free(log);
	task_exit(h);
}
END_TEST

/* --- end to end: a hog on a tiny machine; the oom_score_adj 1000 task dies first ---------------- */

struct runner {
	struct task_struct *t;
	unsigned long pages;
	sim_time_t think;
	int result;
	bool exited;
};

static void run_task(void *arg)
{
	struct runner *r = arg;
	unsigned long addr = task_mmap(r->t, r->pages * PAGE_SIZE);

	for (unsigned long i = 0;; i = (i + 1) % r->pages) {
		int ret = task_touch_anon(r->t, addr + i * PAGE_SIZE, true);
		if (ret) {
			r->result = ret;
			break;
		}
		if (r->think)
			sim_sleep(r->think);
	}
	r->exited = true;
	task_exit(r->t);
}

START_TEST(test_hog_oom_adj1000_dies_first)
{
	static struct runner by, hog;
	char *log, *k1, *k2;

	by.t = task_create("bystander", 1000);
	by.pages = 64;
	by.think = 5 * SIM_MS;
	hog.t = task_create("hog", 0);
	hog.pages = 1UL << 16;               /* 256 MiB: more than the machine */
	hog.think = 0;
	ck_assert_ptr_nonnull(cpu_spawn("bystander", 0, CTX_TASK, run_task, &by, by.t, 0));
	ck_assert_ptr_nonnull(cpu_spawn("hog", 1, CTX_TASK, run_task, &hog, hog.t, SIM_MS));
	sim_run(10 * SIM_SEC);
	ck_assert(by.exited);
	ck_assert(hog.exited);
	ck_assert_int_eq(by.result, -EINTR);
	ck_assert_uint_eq(oom_kills(), 2);
	log = dmesg_text();
	k1 = strstr(log, "Out of memory: Killed process 1000 (bystander)");
	k2 = strstr(log, "Out of memory: Killed process 1001 (hog)");
	ck_assert_ptr_nonnull(k1);
	ck_assert_ptr_nonnull(k2);
	ck_assert(k1 < k2);
	ck_assert_ptr_nonnull(strstr(log, "hog invoked oom-killer: gfp_mask=0x100dca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO), "
				     "order=0, oom_score_adj=0\n"));
	ck_assert_int_eq(test_count_str(log, "invoked oom-killer"), 2);
	ck_assert(!mm_panicked(NULL));
	free(log);
	ck_assert_int_eq(nr_user_tasks(), 0);
	ck_assert_int_eq(oom_check(), 0);
	ck_assert_int_eq(mm_check(), 0);
}
END_TEST

/*
 * The whole chain on a tiny machine: a reader fills the page cache, a driver
 * keeps allocating order-4 GFP_KERNEL buffers, a fragmenter leaves holes
 * between its anon pages, a hog grows its anon memory: kswapd wakes and
 * reclaims, kswapd wakes kcompactd which compacts the holes, allocations stall
 * in direct reclaim, and finally the hog is OOM-killed.
 */
struct chain_arg { struct task_struct *t; struct file_model *f; int rc; bool done; };

static void chain_reader(void *arg)
{
	struct chain_arg *a = arg;
	for (int pass = 0; pass < 3 && !fatal_signal_pending(a->t); pass++)
		for (uint64_t off = 0; off < 8 * (1ULL << 20); off += 64 * 1024)
			if ((a->rc = file_read(a->f, off, 64 * 1024)))
				goto out;
out:
	a->done = true;
}

static void chain_fragmenter(void *arg)
{
	struct chain_arg *a = arg;
	unsigned long n = 3000, addr = task_mmap(a->t, n * PAGE_SIZE);

	if ((a->rc = task_touch_range(a->t, addr, n * PAGE_SIZE, true)))
		goto out;
	for (unsigned long i = 1; i < n; i += 2)
		task_munmap(a->t, addr + i * PAGE_SIZE, PAGE_SIZE);
	while (!fatal_signal_pending(a->t))
		sim_sleep(10 * SIM_MS);
out:
	a->done = true;
	task_exit(a->t);
}

static void chain_driver(void *arg)
{
	struct chain_arg *a = arg;
	struct page *ring[8] = { 0 };

	for (int i = 0; i < 2000; i++) {
		int slot = i % 8;
		if (ring[slot])
			__free_pages(ring[slot], 4);
		ring[slot] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 4);
		sim_sleep(SIM_MS);
	}
	for (int i = 0; i < 8; i++)
		if (ring[i])
			__free_pages(ring[i], 4);
	a->done = true;
}

START_TEST(test_pressure_chain)
{
	static struct chain_arg rd, drv, fr;
	static struct runner hog;
	uint64_t *kswapd_wake, *oom;
	char *log;

	ck_assert_int_eq(kcompactd_start_all(), 0);
	trace_enable("vmscan:mm_vmscan_kswapd_wake");
	trace_enable("compaction:mm_compaction_begin");
	rd.t = task_create("reader", 0);
	rd.f = file_create("data", 8ULL << 20);
	ck_assert_ptr_nonnull(rd.f);
	hog.t = task_create("hog", 0);
	hog.pages = 1UL << 16;
	hog.think = 50 * SIM_US;
	ck_assert_ptr_nonnull(cpu_spawn("reader", 0, CTX_TASK, chain_reader, &rd, rd.t, 0));
	fr.t = task_create("fragmenter", 0);
	ck_assert_ptr_nonnull(cpu_spawn("fragmenter", 0, CTX_TASK, chain_fragmenter, &fr, fr.t, 0));
	ck_assert_ptr_nonnull(cpu_spawn("driver", 1, CTX_TASK, chain_driver, &drv, NULL, 50 * SIM_MS));
	ck_assert_ptr_nonnull(cpu_spawn("hog", 1, CTX_TASK, run_task, &hog, hog.t, 200 * SIM_MS));
	sim_run(10 * SIM_SEC);
	ck_assert(hog.exited);
	ck_assert(!mm_panicked(NULL));
	oom = stat_find_counter("mm.vmstat.oom_kill");
	ck_assert_ptr_nonnull(oom);
	ck_assert_uint_ge(*oom, 1);
	kswapd_wake = stat_find_counter("mm.vmstat.pageoutrun");
	ck_assert_ptr_nonnull(kswapd_wake);
	ck_assert_uint_gt(*kswapd_wake, 0);
	ck_assert_uint_gt(*vm_events[ALLOCSTALL_DMA32] + *vm_events[ALLOCSTALL_NORMAL] + *vm_events[ALLOCSTALL_DMA], 0);
	{
		/* compaction ran: kcompactd (woken by kswapd at the end of boost reclaim) and/or
		 * direct compaction stalls */
		struct compaction_counters cc;
		compaction_counters(&cc);
		ck_assert_uint_gt(cc.compact_daemon_wake + *vm_events[COMPACTSTALL], 0);
		ck_assert_uint_gt(cc.compact_migrate_scanned + cc.compact_daemon_migrate_scanned, 0);
	}
	log = dmesg_text();
	ck_assert_ptr_nonnull(strstr(log, "Out of memory: Killed process"));
	free(log);
	char *tr = trace_text();
	ck_assert_ptr_nonnull(strstr(tr, "mm_vmscan_kswapd_wake: nid=0"));
	ck_assert_ptr_nonnull(strstr(tr, "mm_compaction_begin: "));
	/* the OOM kill comes after kswapd and compaction had their go */
	ck_assert(strstr(tr, "mm_vmscan_kswapd_wake") < strstr(tr, "mark_victim: pid="));
	ck_assert(strstr(tr, "mm_compaction_begin") < strstr(tr, "mark_victim: pid="));
	free(tr);
	ck_assert_int_eq(mm_check(), 0);
	ck_assert_int_eq(compaction_check(), 0);
}
END_TEST

Suite *oom_suite(void)
{
	Suite *s = suite_create("oom");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_badness_kernel_numbers);
	tcase_add_test(tc, test_select_victim_and_ties);
	tcase_add_test(tc, test_report_lines);
	tcase_add_test(tc, test_nofs_and_pagefault_masks);
	tcase_add_test(tc, test_slowpath_outcomes);
	tcase_add_test(tc, test_no_killable_panics);
	tcase_add_test(tc, test_nofs_loops_until_memory);
	tcase_add_test(tc, test_reaper);
	tcase_add_test(tc, test_hog_oom_adj1000_dies_first);
	tcase_add_test(tc, test_sysctls);
	suite_add_tcase(s, tc);
	tc = tcase_create("pressure");
	tcase_add_checked_fixture(tc, setup_kswapd, teardown);
	tcase_add_test(tc, test_pressure_chain);
	suite_add_tcase(s, tc);
	tc = tcase_create("numa");
	tcase_add_checked_fixture(tc, setup_2node, teardown);
	tcase_add_test(tc, test_two_nodes_constraint);
	suite_add_tcase(s, tc);
	return s;
}
