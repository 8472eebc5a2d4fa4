/* SPDX-License-Identifier: MIT */
/*
 * tests/check_traces.c — trace parsing, check-trace, replay (suite "traces").
 *
 * Parser fixtures are single lines written from the documented formats
 * (formats-and-conventions §1, linux-mm-facts §14): ftrace 6.1 and older,
 * trace-cmd report, perf script. Replay tests boot a tiny machine and the
 * kernel model; tests that need two independent simulations fork (one
 * SystemC kernel per process).
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "machine/cpu.h"
#include "machine/machine.h"
#include "machine/memsys.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/percpu.h"
#include "mm/vmalloc.h"
#include "mm/sched.h"
#include "mm/slab.h"
#include "sim/cli.h"
#include "sim/engine.h"
#include "sim/trace.h"
#include "tests/suites.h"
#include "tests/testutil.h"
#include "traces/trace.h"

static int parse(const char *line, struct trace_rec *r)
{
	const char *why = NULL;
	int skip = -1;
	/* Exact-size heap copy: ASan catches any read past the end. */
	size_t n = strlen(line);
	char *copy = malloc(n ? n : 1);
	int rc;

	memcpy(copy, line, n);
	rc = trace_parse_line(copy, n, r, &why, &skip);
	if (rc == TP_MALFORMED)
		ck_assert_ptr_nonnull(why);
	free(copy);                      /* slices dangle from here: tests compare before */
	return rc;
}

/* Parse keeping the buffer (slices stay valid): the caller frees *keep. */
static int parse_keep(const char *line, struct trace_rec *r, char **keep)
{
	size_t n = strlen(line);

	*keep = malloc(n + 1);
	memcpy(*keep, line, n + 1);
	return trace_parse_line(*keep, n, r, NULL, NULL);
}

static bool slice_eq(struct tslice s, const char *lit)
{
	return s.len == strlen(lit) && memcmp(s.s, lit, s.len) == 0;
}

/* --- parser fixtures -------------------------------------------------------- */

START_TEST(test_ftrace_61_kmalloc)
{
	struct trace_rec r;
	char *k;

	ck_assert_int_eq(parse_keep("            bash-1234    [002] .....   123.456789: kmalloc: "
				    "call_site=load_elf_binary+0x1f4/0x1760 ptr=00000000b8b8c2f3 bytes_req=640 "
				    "bytes_alloc=1024 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO node=-1 accounted=true",
				    &r, &k), TP_EVENT);
	ck_assert_int_eq(r.type, TEV_KMALLOC);
	ck_assert(slice_eq(r.comm, "bash"));
	ck_assert_int_eq(r.pid, 1234);
	ck_assert_int_eq(r.cpu, 2);
	ck_assert(r.has_flags);
	ck_assert_int_eq(r.ctx, TREC_TASK);
	ck_assert(!r.irqs_off);
	ck_assert_uint_eq(r.ts_ns, 123456789000ull);
	ck_assert(slice_eq(r.call_sym, "load_elf_binary+0x1f4/0x1760"));
	ck_assert_uint_eq(r.call_site, 0);
	ck_assert_uint_eq(r.ptr, 0xb8b8c2f3ull);
	ck_assert_uint_eq(r.bytes_req, 640);
	ck_assert_uint_eq(r.bytes_alloc, 1024);
	ck_assert_uint_eq(r.gfp, 0x400dc0);      /* §14.2 example */
	ck_assert_int_eq(r.node, -1);
	ck_assert(r.accounted);
	free(k);
}
END_TEST

START_TEST(test_ftrace_variants)
{
	struct trace_rec r;
	char *k;

	/* 4-character flags, decimal pfn, old GFP spelling without "__" */
	ck_assert_int_eq(parse_keep("<...>-22275 [006] ....   889.213383: mm_page_alloc: page=00000000d2be5665 "
				    "pfn=970744 order=0 migratetype=0 nr_free=3650 gfp_flags=GFP_HIGHUSER|__GFP_ZERO",
				    &r, &k), TP_EVENT);
	ck_assert_int_eq(r.type, TEV_MM_PAGE_ALLOC);
	ck_assert(slice_eq(r.comm, "<...>"));
	ck_assert_int_eq(r.pid, 22275);
	ck_assert_uint_eq(r.pfn, 970744);
	ck_assert_uint_eq(r.gfp, 0x100cc2 | 0x100);
	free(k);
	ck_assert_int_eq(parse("x-1 [000] .... 1.000001: mm_page_alloc: page=0000000000000001 pfn=5 order=0 "
			       "migratetype=0 gfp_flags=GFP_HIGHUSER|GFP_ZERO", &r), TP_EVENT);
	ck_assert_uint_eq(r.gfp, 0x100cc2 | 0x100);
	/* 5-character flags, hex pfn */
	ck_assert_int_eq(parse("kworker/10:1-440 [010] ..... 355.369905: mm_page_free: page=00000000dc8c03bd "
			       "pfn=0x182190 order=2", &r), TP_EVENT);
	ck_assert_int_eq(r.type, TEV_MM_PAGE_FREE);
	ck_assert_int_eq(r.pid, 440);
	ck_assert_uint_eq(r.pfn, 0x182190);
	ck_assert_int_eq(r.order, 2);
	/* raw hex call site and raw (unhashed) pointer, 32-bit kernel */
	ck_assert_int_eq(parse_keep("cat-382 [000] ...1 2935.586706: kmalloc: call_site=c0554644 ptr=de515a00 "
				    "bytes_req=384 bytes_alloc=512 gfp_flags=GFP_ATOMIC|GFP_NOWARN|GFP_NOMEMALLOC",
				    &r, &k), TP_EVENT);
	ck_assert_uint_eq(r.call_site, 0xc0554644);
	ck_assert_uint_eq(r.ptr, 0xde515a00);
	ck_assert_uint_eq(r.gfp, 0xa20 | 0x2000 | 0x80000);
	ck_assert(!(r.have & TF_NODE));
	ck_assert(slice_eq(r.comm, "cat"));
	free(k);
	/* task names with ':' and '-' */
	ck_assert_int_eq(parse_keep("test:.sh-1299 [004] ..... 2886.040608: kmem_cache_free: "
				    "call_site=putname+0xa4/0xc8 ptr=000000000f4d22f4 name=names_cache", &r, &k), TP_EVENT);
	ck_assert(slice_eq(r.comm, "test:.sh"));
	ck_assert_int_eq(r.pid, 1299);
	ck_assert(slice_eq(r.name, "names_cache"));
	ck_assert_int_eq(r.type, TEV_KMEM_CACHE_FREE);
	free(k);
	ck_assert_int_eq(parse_keep(" Web Content-9001   [003] d.h1.   5.000000: kfree: call_site=x+0x1/0x2 ptr=0x0",
				    &r, &k), TP_EVENT);
	ck_assert(slice_eq(r.comm, "Web Content"));
	ck_assert_int_eq(r.pid, 9001);
	ck_assert_int_eq(r.ctx, TREC_HARDIRQ);
	ck_assert(r.irqs_off);
	ck_assert_uint_eq(r.ptr, 0);
	free(k);
	/* softirq, NMI, BH-off+irqs-off 'D' */
	ck_assert_int_eq(parse("<idle>-0 [003] ..s. 312444.111637: kmem_cache_alloc: call_site=__build_skb+0x24/0x60 "
			       "ptr=0000000003218205 bytes_req=224 bytes_alloc=256 gfp_flags=GFP_ATOMIC", &r), TP_EVENT);
	ck_assert_int_eq(r.ctx, TREC_SOFTIRQ);
	ck_assert_int_eq(r.type, TEV_KMEM_CACHE_ALLOC);
	ck_assert_uint_eq(r.gfp, 0xa20);
	ck_assert_int_eq(parse("a-1 [000] Dnz1. 1.5: kfree: call_site=f ptr=1", &r), TP_EVENT);
	ck_assert_int_eq(r.ctx, TREC_NMI);
	ck_assert(r.irqs_off);
	ck_assert_uint_eq(r.ts_ns, 1500000000ull);
	/* nanosecond timestamps, record-tgid column */
	ck_assert_int_eq(parse("bash-1234 (   1234) [001] ..... 10.123456789: kfree: call_site=f ptr=1", &r), TP_EVENT);
	ck_assert_int_eq(r.pid, 1234);
	ck_assert_int_eq(r.cpu, 1);
	ck_assert_uint_eq(r.ts_ns, 10123456789ull);
	/* ≤ 6.0 _node events */
	ck_assert_int_eq(parse("c-1 [000] .... 1.0: kmem_cache_alloc_node: call_site=c0 ptr=de516000 bytes_req=200 "
			       "bytes_alloc=256 gfp_flags=GFP_KERNEL node=1", &r), TP_EVENT);
	ck_assert_int_eq(r.type, TEV_KMEM_CACHE_ALLOC_NODE);
	ck_assert_int_eq(r.node, 1);
	ck_assert_int_eq(parse("c-1 [000] .... 1.0: kmalloc_node: call_site=c0 ptr=de516000 bytes_req=200 "
			       "bytes_alloc=256 gfp_flags=0xcc0 node=0", &r), TP_EVENT);
	ck_assert_int_eq(r.type, TEV_KMALLOC_NODE);
	ck_assert_uint_eq(r.gfp, 0xcc0);
}
END_TEST

START_TEST(test_trace_cmd_and_perf)
{
	struct trace_rec r;
	char *k;
	int skip;

	/* trace-cmd report: no flags column, 0x pointers, padded event name */
	ck_assert_int_eq(parse("trace-cmd-13543 [001] 106260.693809: kmalloc: call_site=81128dd4 "
			       "ptr=0xffff88003dd83800 bytes_req=768 bytes_alloc=1024 gfp_flags=GFP_KERNEL|GFP_ZERO",
			       &r), TP_EVENT);
	ck_assert(!r.has_flags);
	ck_assert_int_eq(r.pid, 13543);
	ck_assert_uint_eq(r.ptr, 0xffff88003dd83800ull);
	ck_assert_uint_eq(r.gfp, 0xdc0);
	ck_assert_int_eq(parse("       ls-13545 [002] 106260.693815: kfree:                call_site=810a7abb "
			       "ptr=0xffff88003dd83800", &r), TP_EVENT);
	ck_assert_int_eq(r.type, TEV_KFREE);
	ck_assert_uint_eq(r.ptr, 0xffff88003dd83800ull);
	ck_assert_int_eq(parse("hackbench-159   [002]   136.973122: ipi_send_cpumask:     cpumask=0 "
			       "callsite=generic_exec_single+0x33 callback=nohz_csd_func+0x0", &r), TP_EVENT);
	ck_assert_int_eq(r.type, TEV_OTHER);
	ck_assert_int_eq(trace_parse_line("version = 6", 11, &r, NULL, &skip), TP_SKIP);
	ck_assert_int_eq(skip, TPS_PREAMBLE);
	ck_assert_int_eq(trace_parse_line("cpus=4", 6, &r, NULL, &skip), TP_SKIP);
	ck_assert_int_eq(skip, TPS_PREAMBLE);
	ck_assert_int_eq(trace_parse_line("CPU 3 is empty", 14, &r, NULL, &skip), TP_SKIP);
	ck_assert_int_eq(skip, TPS_PREAMBLE);
	ck_assert_int_eq(trace_parse_line("# tracer: nop", 13, &r, NULL, &skip), TP_SKIP);
	ck_assert_int_eq(skip, TPS_COMMENT);
	ck_assert_int_eq(trace_parse_line("CPU:2 [LOST 1234 EVENTS]", 24, &r, NULL, &skip), TP_SKIP);
	ck_assert_int_eq(skip, TPS_LOST);

	/* perf script: "comm pid [cpu] ts: sys:event:" */
	ck_assert_int_eq(parse_keep("perf  6429 [000]    22.498450:             kmem:mm_page_alloc: page=0x176a17 "
				    "pfn=1534487 order=0 migratetype=0 gfp_flags=GFP_KERNEL", &r, &k), TP_EVENT);
	ck_assert_int_eq(r.type, TEV_MM_PAGE_ALLOC);
	ck_assert(slice_eq(r.comm, "perf"));
	ck_assert_int_eq(r.pid, 6429);
	ck_assert_uint_eq(r.pfn, 1534487);
	ck_assert(slice_eq(r.event, "mm_page_alloc"));
	free(k);
	ck_assert_int_eq(parse_keep("jbd2/dm-3-8  7666 [000]  4666.621521: kmem:kmalloc: call_site=c0000000003ce108 "
				    "ptr=0xc000000fcd646360 bytes_req=96 bytes_alloc=96 gfp_flags=GFP_NOFS|GFP_ZERO",
				    &r, &k), TP_EVENT);
	ck_assert(slice_eq(r.comm, "jbd2/dm-3-8"));
	ck_assert_int_eq(r.pid, 7666);
	ck_assert_uint_eq(r.gfp, 0xc40 | 0x100);
	free(k);
	ck_assert_int_eq(parse_keep("Web Content  9001 [003]  4666.621600: kmem:kfree: call_site=ffffffff81234567 "
				    "ptr=0xc000000fcd646360", &r, &k), TP_EVENT);
	ck_assert(slice_eq(r.comm, "Web Content"));
	free(k);
	ck_assert_int_eq(trace_parse_line("                  27f1dc .__kmalloc (/boot/vmlinux)", 51, &r, NULL, &skip),
			 TP_SKIP);
	ck_assert_int_eq(skip, TPS_CALLCHAIN);
	ck_assert_int_eq(parse("\tffffffff812e4f10 kfree+0x0 ([kernel.kallsyms])", &r), TP_SKIP);
}
END_TEST

START_TEST(test_other_events)
{
	struct trace_rec r;
	char *k;

	ck_assert_int_eq(parse_keep("hog-4242 [002] ..... 123.459000: mark_victim: pid=4242 comm=hog total-vm=1048576kB "
				    "anon-rss=1000000kB file-rss:1024kB shmem-rss:0kB uid=1000 pgtables=2048kB "
				    "oom_score_adj=500", &r, &k), TP_EVENT);
	ck_assert_int_eq(r.type, TEV_MARK_VICTIM);
	ck_assert_int_eq(r.vpid, 4242);
	ck_assert(slice_eq(r.name, "hog"));
	free(k);
	ck_assert_int_eq(parse("k-1 [000] ..... 1.0: mark_victim: pid=17", &r), TP_EVENT);   /* v6.1.0 form */
	ck_assert_int_eq(r.vpid, 17);
	ck_assert_int_eq(parse("kswapd0-85 [000] ..... 1.0: mm_vmscan_kswapd_wake: nid=1 order=3", &r), TP_EVENT);
	ck_assert_int_eq(r.type, TEV_VMSCAN_KSWAPD_WAKE);
	ck_assert_int_eq(r.nid, 1);
	ck_assert_int_eq(r.order, 3);
	ck_assert_int_eq(parse("b-1 [000] ..... 1.0: mm_vmscan_direct_reclaim_end: nr_reclaimed=32", &r), TP_EVENT);
	ck_assert_uint_eq(r.nr_reclaimed, 32);
	ck_assert_int_eq(parse_keep("k-86 [001] ..... 1.0: mm_compaction_end: zone_start=0x1000 migrate_pfn=0x2000 "
				    "free_pfn=0x3f000 zone_end=0x40000, mode=sync status=complete", &r, &k), TP_EVENT);
	ck_assert_int_eq(r.type, TEV_COMPACTION_END);
	ck_assert(slice_eq(r.status, "complete"));
	free(k);
	ck_assert_int_eq(parse("b-1 [002] ..... 1.0: percpu_alloc_percpu: call_site=alloc_vfsmnt+0x8a/0x1b0 reserved=0 "
			       "is_atomic=0 size=8 align=8 base_addr=00000000a1b2c3d4 off=4096 ptr=00000000e5f6a7b8 "
			       "bytes_alloc=32 gfp_flags=GFP_KERNEL", &r), TP_EVENT);
	ck_assert_int_eq(r.type, TEV_PERCPU_ALLOC_PERCPU);
	ck_assert_uint_eq(r.size, 8);
	ck_assert_int_eq(r.off, 4096);
	ck_assert_uint_eq(r.base_addr, 0xa1b2c3d4);
	ck_assert_int_eq(parse("<idle>-0 [006] d.s. 1110.217281: mm_page_alloc_extfrag: page=ffffea0064142000 "
			       "pfn=26235008 alloc_order=3 fallback_order=3 pageblock_order=9 alloc_migratetype=0 "
			       "fallback_migratetype=2 fragmenting=1 change_ownership=1", &r), TP_EVENT);
	ck_assert_int_eq(r.type, TEV_MM_PAGE_ALLOC_EXTFRAG);
	ck_assert_int_eq(r.order, 3);
	ck_assert_int_eq(parse("k-1 [001] ..... 1.0: mm_page_alloc_zone_locked: page=0000000000000001 pfn=0x40010 "
			       "order=0 migratetype=0 percpu_refill=1", &r), TP_EVENT);
	ck_assert_int_eq(r.type, TEV_MM_PAGE_ALLOC_ZONE_LOCKED);
	ck_assert_int_eq(parse("k-1 [001] ..... 1.0: mm_page_free_batched: page=0000000000000001 pfn=0x40010 order=0",
			       &r), TP_EVENT);
	ck_assert_int_eq(r.type, TEV_MM_PAGE_FREE_BATCHED);
}
END_TEST

START_TEST(test_malformed)
{
	static const char *const bad[] = {
		"hello world",
		"bash-1234 [abc] ..... 1.0: kfree: call_site=f ptr=1",
		"bash-1234 [002]",
		"bash-1234 [002] .....",
		"bash-1234 [002] ..... 12x.5: kfree: call_site=f ptr=1",
		"bash-1234 [002] ...... 1.0: kfree: call_site=f ptr=1",
		"bash-1234 [002] ..... 1.0 kfree: call_site=f ptr=1",
		"bash-1234 [002] ..... 1.0: kfree call_site=f ptr=1",
		"bash-1234 [002] ..... 1.0: kfree: call_site=f",
		"bash-1234 [002] ..... 1.0: kfree: call_site=f ptr=xyz",
		"bash-1234 [002] ..... 1.0: kmalloc: call_site=f ptr=1 bytes_req=8 bytes_alloc=8",
		"bash-1234 [002] ..... 1.0: kmalloc: call_site=f ptr=1 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_BOGUS",
		"bash-1234 [002] ..... 1.0: kmalloc: call_site=f ptr=1 bytes_req=-8 bytes_alloc=8 gfp_flags=GFP_KERNEL",
		"bash-1234 [002] ..... 1.0: kmalloc: call_site=f ptr=1 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL|",
		"bash-1234 [002] ..... 1.0: mm_page_alloc: page=1 pfn=0x order=0 gfp_flags=GFP_KERNEL",
		"bash-1234 [002] ..... 1.0: mm_page_alloc: page=1 pfn=1 order=99 gfp_flags=GFP_KERNEL",
		"bash-1234 [002] ..... 1.0: mm_page_free: pfn=1",
		"bash-1234 [002] ..... 1.0: mm_vmscan_kswapd_wake: order=1",
		"bash-1234 [002] ..... 1.0: kmalloc: call_site=f ptr=1 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL accounted=maybe",
		"bash-x [002] ..... 1.0: kfree: call_site=f ptr=1",
		"  [002] ..... 1.0: kfree: call_site=f ptr=1 ptr",
	};
	struct trace_rec r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = parse(bad[i], &r);

		ck_assert_msg(rc == TP_MALFORMED || (i == 20 && rc == TP_EVENT), "line %zu '%s' gave %d", i, bad[i], rc);
	}
	/* the last one has no comm-pid: allowed (pid -1), the dangling token is ignored */
	ck_assert_int_eq(parse(bad[20], &r), TP_EVENT);
	ck_assert_int_eq(r.pid, -1);
}
END_TEST

/* Truncations of every sample line at every length, byte mutations and random lines. */
START_TEST(test_fuzz)
{
	static const char *const lines[] = {
		"            bash-1234    [002] .....   123.456789: kmalloc: call_site=load_elf_binary+0x1f4/0x1760 "
		"ptr=00000000b8b8c2f3 bytes_req=96 bytes_alloc=96 gfp_flags=GFP_KERNEL node=-1 accounted=false",
		"perf  6429 [000]    22.498450:             kmem:mm_page_alloc: page=0x176a17 pfn=1534487 order=0 "
		"migratetype=0 gfp_flags=GFP_KERNEL",
		"hog-4242 [002] ..... 123.459000: mark_victim: pid=4242 comm=hog total-vm=1048576kB file-rss:1024kB",
		"bash-1234 (1234) [001] d.h1. 10.123456789: kmem_cache_free: call_site=f ptr=1 name=x",
		"k-86 [001] ..... 1.0: mm_compaction_end: zone_start=0x1000 zone_end=0x40000, mode=sync status=complete",
	};
	struct trace_rec r;
	unsigned seed = 12345;
	int counts[3] = { 0 };

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		size_t n = strlen(lines[i]);

		for (size_t cut = 0; cut <= n; cut++) {
			char *b = malloc(cut ? cut : 1);
			int rc;

			memcpy(b, lines[i], cut);
			rc = trace_parse_line(b, cut, &r, NULL, NULL);
			ck_assert(rc >= -1 && rc <= 1);
			counts[rc + 1]++;
			free(b);
		}
		for (int m = 0; m < 2000; m++) {
			char *b = malloc(n);

			memcpy(b, lines[i], n);
			for (int j = 0; j < 3; j++) {
				seed = seed * 1103515245u + 12345u;
				b[(seed >> 8) % n] = (char)(seed >> 20);
			}
			int rc = trace_parse_line(b, n, &r, NULL, NULL);
			ck_assert(rc >= -1 && rc <= 1);
			counts[rc + 1]++;
			free(b);
		}
	}
	for (int m = 0; m < 5000; m++) {
		size_t n = (size_t)(m % 200);
		char *b = malloc(n ? n : 1);

		for (size_t j = 0; j < n; j++) {
			seed = seed * 1103515245u + 12345u;
			b[j] = (char)(" [].:-=0123456789abcdefxkmalloc_GFP|"[(seed >> 16) % 36]);
		}
		int rc = trace_parse_line(b, n, &r, NULL, NULL);
		ck_assert(rc >= -1 && rc <= 1);
		counts[rc + 1]++;
		free(b);
	}
	/* all three outcomes occur, so the fuzz reaches deep into the parser */
	ck_assert_int_gt(counts[0], 100);
	ck_assert_int_gt(counts[1], 10);
	ck_assert_int_gt(counts[2], 100);
}
END_TEST

static const char *sample(const char *name)
{
	static char buf[4][512];
	static int k;
	const char *src = getenv("MMSIM_SRC");

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/traces/samples/%s", src ? src : ".", name);
	return buf[k];
}

START_TEST(test_reader_samples)
{
	static const struct { const char *file; int events, other; } t[] = {
		{ "ftrace-6.1.trace", 26, 0 }, { "ftrace-old.trace", 8, 0 },
		{ "trace-cmd.trace", 7, 1 }, { "perf-script.trace", 4, 0 },
	};
	char err[256];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct trace_reader *r = trace_reader_open(sample(t[i].file), err, sizeof(err));
		struct trace_rec rec;
		int k;

		ck_assert_msg(r != NULL, "%s", err);
		while ((k = trace_reader_next(r, &rec)) != 0)
			ck_assert_int_eq(k, 1);
		const struct trace_parse_stats *st = trace_reader_stats(r);
		ck_assert_uint_eq(st->malformed, 0);
		ck_assert_uint_eq(st->events, (uint64_t)t[i].events);
		ck_assert_uint_eq(st->per_event[TEV_OTHER], (uint64_t)t[i].other);
		trace_reader_close(r);
	}
	ck_assert_ptr_null(trace_reader_open("/nonexistent/trace", err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/trace"));
}
END_TEST

/* A pipe (FIFO) is streamed through a refilled buffer: many lines and one very long line. */
START_TEST(test_reader_pipe)
{
	char fifo[512], err[256];
	struct trace_reader *r;
	struct trace_rec rec;
	uint64_t events = 0;
	pid_t pid;
	int k, status;

	snprintf(fifo, sizeof(fifo), "%s/pipe", test_tmpdir());
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		FILE *f = fopen(fifo, "w");

		for (int i = 0; i < 30000; i++)
			fprintf(f, "  kworker/0:1-17 [%03d] ..... %d.%06d: kfree: call_site=f ptr=%x\n", i % 4,
				1 + i / 1000000, i % 1000000, i + 1000);
		fprintf(f, "x-1 [000] ..... 9.000000: kfree: call_site=f ptr=1 pad=");
		for (int i = 0; i < 3 << 20; i++)
			fputc('a', f);
		fprintf(f, "\nlast-2 [001] ..... 9.000001: kfree: call_site=f ptr=2");   /* no final newline */
		fclose(f);
		_exit(0);
	}
	r = trace_reader_open(fifo, err, sizeof(err));
	ck_assert_msg(r != NULL, "%s", err);
	while ((k = trace_reader_next(r, &rec)) != 0) {
		ck_assert_int_eq(k, 1);
		events++;
	}
	ck_assert_uint_eq(events, 30002);
	ck_assert_uint_eq(rec.ptr, 2);
	ck_assert_uint_eq(trace_reader_stats(r)->max_cpu, 3);
	ck_assert_int_eq(trace_reader_rewind(r), -1);
	trace_reader_close(r);
	waitpid(pid, &status, 0);
}
END_TEST

static const char misuse_trace[] =
	"# tracer: nop\n"
	"a-1 [000] ..... 1.000000: kmalloc: call_site=f ptr=100 bytes_req=10 bytes_alloc=16 gfp_flags=GFP_KERNEL\n"
	"a-1 [000] ..... 1.000001: kfree: call_site=f ptr=100\n"
	"a-1 [000] ..... 1.000002: kfree: call_site=f ptr=100\n"                   /* 4: double free */
	"a-1 [000] ..... 1.000003: kfree: call_site=f ptr=200\n"                   /* unmatched */
	"<idle>-0 [001] ..s.. 1.000004: kmalloc: call_site=f ptr=300 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL\n"
	"this line is garbage\n"                                                     /* 7: malformed */
	"a-1 [000] d.... 1.000005: mm_page_alloc: page=1 pfn=0x10 order=1 migratetype=0 gfp_flags=GFP_ATOMIC\n"
	"a-1 [000] ..... 1.000006: mm_page_free: page=1 pfn=0x10 order=1\n"
	"a-1 [000] ..... 1.000007: mm_page_free: page=1 pfn=0x99 order=0\n"        /* unmatched page */
	"a-1 [000] ..... 1.000008: kmem_cache_free: call_site=f ptr=300 name=x\n"  /* 11: mismatch */
	"a-1 [000] ..... 1.000009: kmalloc: call_site=f ptr=0 bytes_req=10 bytes_alloc=16 gfp_flags=GFP_KERNEL\n"
	"a-1 [000] ..... 1.000010: kfree: call_site=f ptr=0\n";

START_TEST(test_check_misuse)
{
	struct trace_check_result *res = calloc(1, sizeof(*res));
	struct trace_reader *r = trace_reader_open_mem(misuse_trace, sizeof(misuse_trace) - 1, "m.trace");
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	ck_assert_int_eq(trace_check_file(r, false, res), 0);
	ck_assert_uint_eq(res->findings[TCK_DOUBLE_FREE], 1);
	ck_assert_uint_eq(res->kept[TCK_DOUBLE_FREE][0].lineno, 4);
	ck_assert_uint_eq(res->findings[TCK_SLEEP_IN_ATOMIC], 1);
	ck_assert_uint_eq(res->kept[TCK_SLEEP_IN_ATOMIC][0].lineno, 6);
	ck_assert_uint_eq(res->findings[TCK_FREE_MISMATCH], 1);
	ck_assert_uint_eq(res->kept[TCK_FREE_MISMATCH][0].lineno, 11);
	ck_assert_uint_eq(res->unmatched_frees, 1);
	ck_assert_uint_eq(res->unmatched_page_frees, 1);
	ck_assert_uint_eq(res->failed_allocs, 1);
	ck_assert_uint_eq(res->live_objects, 0);
	ck_assert_uint_eq(res->live_pages, 0);
	ck_assert_uint_eq(res->parse.malformed, 1);
	ck_assert_uint_eq(res->parse.bad[0].lineno, 7);
	f = open_memstream(&out, &len);
	trace_check_print(f, "m.trace", res);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(out, "double free                                         1  4"));
	ck_assert_ptr_nonnull(strstr(out, "m.trace:7: malformed trace line"));
	/* perf kmem stat's summaries */
	ck_assert_ptr_nonnull(strstr(out, "SUMMARY (SLAB allocator)\n========================\n"
					  "Total bytes requested: 74\nTotal bytes allocated: 80\n"
					  "Total bytes freed:     80\nNet total bytes allocated: 0\n"
					  "Total bytes wasted on internal fragmentation: 6\n"
					  "Internal fragmentation: 7.500000%\nCross CPU allocations: 1/2\n"));
	ck_assert_ptr_nonnull(strstr(out, "Total allocation requests     :                1   [                8 KB ]\n"
					  "Total free requests           :                2   [               12 KB ]\n"
					  "Total alloc+freed requests    :                1   [                8 KB ]\n"
					  "Total alloc-only requests     :                0   [                0 KB ]\n"
					  "Total free-only requests      :                1   [                4 KB ]\n"));
	ck_assert_ptr_nonnull(strstr(out, "Order     Unmovable   Reclaimable       Movable      Reserved  CMA/Isolated\n"));
	ck_assert_ptr_nonnull(strstr(out, "\n    1             1             .             .             .             .\n"));
	free(out);
	/* strict: stops at line 7 */
	trace_reader_rewind(r);
	ck_assert_int_eq(trace_check_file(r, true, res), 1);
	ck_assert_uint_eq(trace_reader_lineno(r), 7);
	trace_reader_close(r);
	free(res);
}
END_TEST

/* --- replay on the model ------------------------------------------------------- */

static void boot(int cpus, unsigned mib);

static void boot_percpu(int cpus, unsigned mib)
{
	struct mm_params p;

	boot(cpus, mib);
	mm_params_default(&p);
	if (pcpu_nr_units() == 0) {                  /* mm_boot sets percpu up unless told not to */
		ck_assert_int_eq(vmalloc_init(), 0);
		ck_assert_int_eq(percpu_init(&p), 0);
	}
	ck_assert_int_gt(pcpu_nr_units(), 0);
}

static void boot(int cpus, unsigned mib)
{
	struct sim_params sp = { SIM_DEFAULT_QUANTUM, true };
	struct machine_desc d;
	struct memsys_params mp;
	struct mm_params p;
	char err[256];

	ck_assert_int_eq(sim_init(&sp), 0);
	machine_desc_init(&d);
	d.nr_nodes = 1;
	d.nr_cpus = cpus;
	d.node_mem[0] = (uint64_t)mib << 20;
	d.pci_hole = 0;
	ck_assert_msg(machine_build_desc(&d, err, sizeof(err)) == 0, "%s", err);
	memsys_default_params(&mp);
	ck_assert_msg(memsys_init(&mp, err, sizeof(err)) == 0, "%s", err);
	mm_params_default(&p);
	ck_assert_msg(mm_boot(&p, err, sizeof(err)) == 0, "%s", err);
	if (!slab_is_available())                    /* mm_boot does it unless told not to */
		ck_assert_int_eq(kmem_cache_init(), 0);
	sched_install_trace_ctx();
}

static void run_until_done(void)
{
	for (int i = 0; i < 1000 && !replay_done(); i++)
		sim_run(sim_now() + 10 * SIM_MS);
	ck_assert(replay_done());
}

static const char replay_trace[] =
	"# a hand-written 6.1 trace\n"
	"a-10 [000] ..... 1.000000: kmalloc: call_site=load_elf_binary+0x1f4/0x1760 ptr=00000000000000a1 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL node=-1 accounted=false\n"
	"a-10 [000] ..... 1.000010: kmem_cache_alloc: call_site=getname_flags+0x4f/0x1f0 ptr=00000000000000a2 bytes_req=200 bytes_alloc=256 gfp_flags=GFP_KERNEL node=-1 accounted=false\n"
	"b-11 [001] ..s.. 1.000020: kmalloc: call_site=f ptr=00000000000000a3 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_ATOMIC node=-1 accounted=false\n"
	"a-10 [000] ..... 1.000030: mm_page_alloc: page=00000000000000b1 pfn=0x1234 order=2 migratetype=0 gfp_flags=GFP_KERNEL\n"
	"b-11 [001] ..... 1.000040: kfree: call_site=load_elf_binary+0x8f1/0x1760 ptr=00000000000000a1\n"
	"b-11 [001] ..... 1.000050: kfree: call_site=f ptr=00000000000000ff\n"
	"a-10 [000] ..... 1.000060: kmem_cache_free: call_site=putname+0x4e/0x60 ptr=00000000000000a2 name=foo\n"
	"a-10 [000] ..... 1.000070: mm_page_free: page=00000000000000b1 pfn=0x1234 order=2\n"
	"a-10 [000] ..... 1.000080: mm_page_free: page=00000000000000b9 pfn=0x9999 order=0\n"
	/* a slab refill: page alloc directly followed by the slab allocation on CPU 0 */
	"a-10 [000] ..... 1.000090: mm_page_alloc: page=00000000000000c1 pfn=0x2000 order=1 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP\n"
	"a-10 [000] ..... 1.000091: kmalloc: call_site=f ptr=00000000000000a4 bytes_req=1000 bytes_alloc=1024 gfp_flags=GFP_KERNEL node=-1 accounted=false\n"
	"a-10 [000] ..... 1.000095: mm_page_free: page=00000000000000c1 pfn=0x2000 order=1\n"
	"a-10 [000] ..... 1.000100: kfree: call_site=f ptr=00000000000000a1\n";

START_TEST(test_replay_basic)
{
	const char *path = test_write_file("r.trace", replay_trace);
	struct replay_opts o;
	char err[256];
	unsigned long free0;
	sim_time_t base;

	boot(2, 128);
	free0 = nr_free_pages();
	base = sim_now();
	replay_opts_default(&o);
	o.path = path;
	o.stop_when_done = false;
	ck_assert_msg(replay_setup(&o, err, sizeof(err)) == 0, "%s", err);
	run_until_done();
	const struct replay_stats *st = replay_get_stats();
	ck_assert_uint_eq(st->replayed[TEV_KMALLOC], 3);
	ck_assert_uint_eq(st->replayed[TEV_KMEM_CACHE_ALLOC], 1);
	ck_assert_uint_eq(st->replayed[TEV_MM_PAGE_ALLOC], 1);    /* the refill one is attributed to slab */
	ck_assert_uint_eq(st->replayed[TEV_KFREE], 1);
	ck_assert_uint_eq(st->replayed[TEV_MM_PAGE_FREE], 1);
	ck_assert_uint_eq(st->unmatched_frees, 2);                 /* ptr ff, pfn 0x9999 */
	ck_assert_uint_eq(st->double_frees, 1);                    /* the last kfree */
	ck_assert_uint_eq(st->skipped_internal, 2);                /* refill alloc + its free */
	ck_assert_uint_eq(st->live_at_end, 2);                     /* a3 (softirq) and a4 */
	ck_assert_uint_eq(st->sim_failed_allocs, 0);
	ck_assert_uint_eq(st->caches_created, 1);
	ck_assert_int_eq(st->nr_streams, 3);                       /* cpu0 task, cpu1 softirq, cpu1 task */
	ck_assert_uint_ge(st->last_ps, base + 91 * SIM_US);        /* as recorded: last replayed event at +91 µs */
	ck_assert_uint_lt(st->last_ps, base + 150 * SIM_US);
	ck_assert_int_eq(replay_check(), 0);
	ck_assert_uint_le(nr_free_pages(), free0);
	ck_assert_int_eq(mm_check(), 0);
	replay_teardown();
}
END_TEST

START_TEST(test_replay_modes)
{
	const char *path = test_write_file("r.trace", replay_trace);
	struct replay_opts o;
	char err[256];
	sim_time_t base;

	boot(2, 128);
	base = sim_now();
	replay_opts_default(&o);
	o.path = path;
	o.mode = REPLAY_PAGES;
	o.asap = true;
	o.stop_when_done = false;
	ck_assert_msg(replay_setup(&o, err, sizeof(err)) == 0, "%s", err);
	run_until_done();
	const struct replay_stats *st = replay_get_stats();
	ck_assert_uint_eq(st->replayed[TEV_KMALLOC], 0);
	ck_assert_uint_eq(st->replayed[TEV_MM_PAGE_ALLOC], 2);
	ck_assert_uint_eq(st->replayed[TEV_MM_PAGE_FREE], 2);
	ck_assert_uint_eq(st->skipped_mode, 8);
	ck_assert_uint_lt(st->last_ps, base + 50 * SIM_US);        /* asap: only the model's costs */
	ck_assert_uint_eq(st->live_at_end, 0);
	ck_assert_int_eq(replay_check(), 0);
	ck_assert_int_eq(replay_parse_mode("slab"), REPLAY_SLAB);
	ck_assert_int_eq(replay_parse_mode("bogus"), -1);
}
END_TEST

START_TEST(test_replay_strict)
{
	char *text = malloc(sizeof(replay_trace) + 64);
	struct replay_opts o;
	char err[256];

	snprintf(text, sizeof(replay_trace) + 64, "%sgarbage line here\n", replay_trace);
	boot(1, 128);
	replay_opts_default(&o);
	o.path = test_write_file("bad.trace", text);
	o.strict = true;
	ck_assert_int_eq(replay_setup(&o, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "bad.trace:15: malformed trace line"));
	o.strict = false;
	o.stop_when_done = false;
	ck_assert_msg(replay_setup(&o, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(replay_get_stats()->parse.malformed, 1);
	o.cpu_map = "0:7";
	ck_assert_int_eq(replay_setup(&o, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "cpu map"));
	free(text);
}
END_TEST

START_TEST(test_replay_speed)
{
	struct replay_opts o;
	char err[256];
	sim_time_t base;

	boot(2, 128);
	base = sim_now();
	replay_opts_default(&o);
	o.path = test_write_file("r.trace", replay_trace);
	o.speed = 10;
	o.stop_when_done = false;
	ck_assert_msg(replay_setup(&o, err, sizeof(err)) == 0, "%s", err);
	run_until_done();
	/* the last replayed event is 91 µs after the first: 9.1 µs at speed 10 */
	ck_assert_uint_ge(replay_get_stats()->last_ps, base + 9 * SIM_US);
	ck_assert_uint_lt(replay_get_stats()->last_ps, base + 40 * SIM_US);
	o.speed = 0;
	ck_assert_int_eq(replay_setup(&o, err, sizeof(err)), -EINVAL);
}
END_TEST

static const char percpu_trace[] =
	"a-10 [000] ..... 1.000000: percpu_alloc_percpu: call_site=alloc_vfsmnt+0x8a/0x1b0 reserved=0 is_atomic=0 "
	"size=8 align=8 base_addr=00000000a1b2c3d4 off=4096 ptr=00000000e5f6a7b8 bytes_alloc=32 gfp_flags=GFP_KERNEL\n"
	/* chunk population: two pages (with a pcp refill between) then the percpu event */
	"a-10 [000] ..... 1.000010: mm_page_alloc: page=0000000000000001 pfn=0x3000 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
	"a-10 [000] ..... 1.000011: mm_page_alloc_zone_locked: page=0000000000000002 pfn=0x3001 order=0 migratetype=0 percpu_refill=1\n"
	"a-10 [000] ..... 1.000012: mm_page_alloc: page=0000000000000002 pfn=0x3001 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
	"a-10 [000] ..... 1.000013: percpu_alloc_percpu: call_site=f reserved=0 is_atomic=1 size=64 align=64 "
	"base_addr=00000000a1b2c3d4 off=8192 ptr=00000000e5f6a7c0 bytes_alloc=256\n"
	"a-10 [000] ..... 1.000020: percpu_free_percpu: base_addr=00000000a1b2c3d4 off=4096 ptr=00000000e5f6a7b8\n"
	"a-10 [000] ..... 1.000021: percpu_free_percpu: base_addr=00000000a1b2c3d4 off=4096 ptr=00000000e5f6a7b8\n"
	"a-10 [000] ..... 1.000022: percpu_free_percpu: base_addr=00000000a1b2c3d4 off=0 ptr=0000000012345678\n";

START_TEST(test_replay_percpu)
{
	struct replay_opts o;
	char err[256];

	boot_percpu(2, 128);
	replay_opts_default(&o);
	o.path = test_write_file("p.trace", percpu_trace);
	o.stop_when_done = false;
	ck_assert_msg(replay_setup(&o, err, sizeof(err)) == 0, "%s", err);
	run_until_done();
	const struct replay_stats *st = replay_get_stats();
	ck_assert_uint_eq(st->replayed[TEV_PERCPU_ALLOC_PERCPU], 2);
	ck_assert_uint_eq(st->replayed[TEV_PERCPU_FREE_PERCPU], 1);
	ck_assert_uint_eq(st->replayed[TEV_MM_PAGE_ALLOC], 0);     /* both pages were chunk population */
	ck_assert_uint_eq(st->skipped_internal, 3);                /* 2 page allocs + the pcp refill */
	ck_assert_uint_eq(st->double_frees, 1);
	ck_assert_uint_eq(st->unmatched_frees, 1);
	ck_assert_uint_eq(st->live_at_end, 1);
	ck_assert_uint_eq(st->sim_failed_allocs, 0);
	ck_assert_int_eq(replay_check(), 0);
	ck_assert_int_eq(pcpu_check(), 0);
}
END_TEST

/*
 * A free on another CPU can run before its allocation (asap: streams do not
 * wait for each other): it is deferred and runs right after the allocation.
 */
START_TEST(test_replay_deferred_free)
{
	char *text = malloc(64 * 1024), *p = text;
	struct replay_opts o;
	char err[256];

	for (int i = 0; i < 300; i++)
		p += sprintf(p, "a-1 [000] ..... 1.%06d: kmalloc: call_site=f ptr=%x bytes_req=4000 bytes_alloc=4096 "
			     "gfp_flags=GFP_KERNEL\n", i, 0x1000 + i);
	p += sprintf(p, "a-1 [000] ..... 1.000300: kmalloc: call_site=f ptr=abc bytes_req=64 bytes_alloc=64 "
		     "gfp_flags=GFP_KERNEL\n");
	p += sprintf(p, "b-2 [001] ..... 1.000301: kfree: call_site=f ptr=abc\n");
	boot(2, 128);
	replay_opts_default(&o);
	o.path = test_write_file("d.trace", text);
	o.asap = true;
	o.stop_when_done = false;
	ck_assert_msg(replay_setup(&o, err, sizeof(err)) == 0, "%s", err);
	run_until_done();
	ck_assert_uint_eq(replay_get_stats()->deferred_frees, 1);
	ck_assert_uint_eq(replay_get_stats()->live_at_end, 300);
	ck_assert_int_eq(replay_check(), 0);
	free(text);
}
END_TEST

/* Run @fn in a child; read back a u64 it writes to the pipe. */
static uint64_t in_child(void (*fn)(int fd, const char *arg), const char *arg)
{
	int p[2];
	uint64_t v = 0;
	pid_t pid;
	int status;

	ck_assert_int_eq(pipe(p), 0);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		fn(p[1], arg);
		_exit(0);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &v, sizeof(v)), (ssize_t)sizeof(v));
	close(p[0]);
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return v;
}

static void child_replay(int fd, const char *arg)
{
	struct replay_opts o;
	char err[256], path[512];
	uint64_t h;

	bool want_pages = arg[0] == '#';             /* report replayed page allocations, not the hash */

	boot(2, 128);
	snprintf(path, sizeof(path), "%s", arg + want_pages);
	char *out = strchr(path, '|');
	if (out) {
		*out++ = 0;
		trace_enable("kmem");
		if (trace_open(out, machine_nr_cpus()) < 0)
			_exit(3);
	}
	replay_opts_default(&o);
	o.path = path;
	o.stop_when_done = false;
	if (replay_setup(&o, err, sizeof(err)) < 0)
		_exit(2);
	for (int i = 0; i < 1000 && !replay_done(); i++)
		sim_run(sim_now() + 10 * SIM_MS);
	if (!replay_done() || replay_check() < 0)
		_exit(4);
	if (out)
		trace_close();
	h = want_pages ? replay_get_stats()->replayed[TEV_MM_PAGE_ALLOC] : replay_sequence_hash();
	if (write(fd, &h, sizeof(h)) != sizeof(h))
		_exit(5);
}

START_TEST(test_replay_deterministic)
{
	const char *path = test_write_file("r.trace", replay_trace);
	uint64_t a = in_child(child_replay, path), b = in_child(child_replay, path);

	ck_assert_uint_ne(a, 0);
	ck_assert_uint_eq(a, b);
}
END_TEST

/*
 * The slab calls of a recorded trace (event, sizes, GFP mask, call site), one
 * line each, grouped per CPU: each CPU's order is the replayed sequence. How
 * the CPUs interleave within a quantum (temporal decoupling) and hence which
 * addresses and pages come back is not part of the sequence; page events
 * are checked through the replay's counters instead.
 */
static char *alloc_sequence(const char *path, uint64_t *n)
{
	char err[256], *buf[4] = { NULL }, *all;
	size_t len[4] = { 0 }, tot = 0;
	FILE *f[4];
	struct trace_reader *r = trace_reader_open(path, err, sizeof(err));
	struct trace_rec rec;
	int k;

	ck_assert_msg(r != NULL, "%s", err);
	for (int i = 0; i < 4; i++)
		f[i] = open_memstream(&buf[i], &len[i]);
	*n = 0;
	while ((k = trace_reader_next(r, &rec)) != 0) {
		FILE *o;

		ck_assert_int_eq(k, 1);
		ck_assert_int_lt(rec.cpu, 4);
		o = f[rec.cpu];
		switch (rec.type) {
		case TEV_KMALLOC: case TEV_KMEM_CACHE_ALLOC:
			fprintf(o, "%s cpu=%d req=%llu alloc=%llu gfp=%x site=%.*s\n", tev_name(rec.type),
				rec.cpu, (unsigned long long)rec.bytes_req,
				(unsigned long long)rec.bytes_alloc, rec.gfp, (int)rec.call_sym.len, rec.call_sym.s);
			(*n)++;
			break;
		case TEV_KFREE: case TEV_KMEM_CACHE_FREE:
			fprintf(o, "%s cpu=%d site=%.*s\n", tev_name(rec.type), rec.cpu,
				(int)rec.call_sym.len, rec.call_sym.s);
			(*n)++;
			break;
		default:
			break;
		}
	}
	trace_reader_close(r);
	for (int i = 0; i < 4; i++) {
		fclose(f[i]);
		tot += len[i];
	}
	all = calloc(1, tot + 1);
	for (int i = 0; i < 4; i++) {
		strcat(all, buf[i]);
		free(buf[i]);
	}
	return all;
}

START_TEST(test_round_trip)
{
	const char *src = test_write_file("r.trace", replay_trace);
	char arg[1100], rec1[512], rec2[512];
	uint64_t n1, n2;

	snprintf(rec1, sizeof(rec1), "%s/rec1.trace", test_tmpdir());
	snprintf(rec2, sizeof(rec2), "%s/rec2.trace", test_tmpdir());
	snprintf(arg, sizeof(arg), "#%s|%s", src, rec1);
	ck_assert_uint_eq(in_child(child_replay, arg), 1);   /* the one page allocation outside slab */
	snprintf(arg, sizeof(arg), "#%s|%s", rec1, rec2);
	/* the recording holds slab refills and pcp refills too: none is replayed as a page */
	ck_assert_uint_eq(in_child(child_replay, arg), 1);
	char *s1 = alloc_sequence(rec1, &n1), *s2 = alloc_sequence(rec2, &n2);

	ck_assert_uint_ge(n1, 6);           /* 3 kmalloc, 1 cache alloc, 1 kfree, 1 cache free at least */
	ck_assert_uint_eq(n1, n2);
	ck_assert_str_eq(s1, s2);
	/* the replay passes the traced call sites on: the recording shows them */
	ck_assert_ptr_nonnull(strstr(s1, "kmalloc cpu=0 req=100 alloc=128 gfp=cc0 site=load_elf_binary+0x1f4/0x1760"));
	ck_assert_ptr_nonnull(strstr(s1, "site=load_elf_binary+0x1f4/0x1760"));
	ck_assert_ptr_nonnull(strstr(s1, "kmem_cache_free cpu=0 site=putname+0x4e/0x60"));
	ck_assert_ptr_nonnull(strstr(s1, "site=putname+0x4e/0x60"));
	free(s1);
	free(s2);
}
END_TEST

/* --- the command line ------------------------------------------------------------ */

static bool have_command(const char *cmd)
{
	char *out, *err;
	int rc = test_run_mmsim((const char *[]){ cmd, "--help", NULL }, &out, &err);
	bool ok = rc == 0;

	if (!ok)
		fprintf(stderr, "note: `mmsim %s` is not registered in sim/main.c yet: CLI test skipped\n", cmd);
	free(out);
	free(err);
	return ok;
}

START_TEST(test_cli_check_trace)
{
	const char *good = test_write_file("g.trace", replay_trace);
	const char *bad = test_write_file("m.trace", misuse_trace);
	char *out, *err;

	if (!have_command("check-trace"))
		return;
	ck_assert_int_eq(test_run_mmsim((const char *[]){ "check-trace", good, NULL }, &out, &err), 0);
	ck_assert_ptr_nonnull(strstr(out, "kmalloc"));
	ck_assert_ptr_nonnull(strstr(out, "unmatched slab frees                        1"));
	free(out);
	free(err);
	ck_assert_int_eq(test_run_mmsim((const char *[]){ "check-trace", bad, NULL }, &out, &err), 0);
	ck_assert_ptr_nonnull(strstr(out, "m.trace:7: malformed trace line"));
	free(out);
	free(err);
	ck_assert_int_eq(test_run_mmsim((const char *[]){ "check-trace", "--strict", bad, NULL }, &out, &err),
			 MMSIM_EXIT_DATAERR);
	ck_assert_ptr_nonnull(strstr(err, "m.trace:7: malformed trace line"));
	free(out);
	free(err);
	ck_assert_int_eq(test_run_mmsim((const char *[]){ "check-trace", "/nonexistent.trace", NULL }, &out, &err),
			 MMSIM_EXIT_NOINPUT);
	free(out);
	free(err);
	ck_assert_int_eq(test_run_mmsim((const char *[]){ "check-trace", NULL }, &out, &err), MMSIM_EXIT_USAGE);
	free(out);
	free(err);
}
END_TEST

START_TEST(test_cli_replay)
{
	const char *bad = test_write_file("m.trace", misuse_trace);
	const char *good = test_write_file("g.trace", replay_trace);
	char dir[512], *out, *err;
	int rc;

	if (!have_command("replay"))
		return;
	ck_assert_int_eq(test_run_mmsim((const char *[]){ "replay", bad, "--strict", NULL }, &out, &err),
			 MMSIM_EXIT_DATAERR);
	ck_assert_ptr_nonnull(strstr(err, "m.trace:7: malformed trace line"));
	free(out);
	free(err);
	ck_assert_int_eq(test_run_mmsim((const char *[]){ "replay", good, "--mode", "x", NULL }, &out, &err),
			 MMSIM_EXIT_USAGE);
	free(out);
	free(err);
	snprintf(dir, sizeof(dir), "%s/res", test_tmpdir());
	rc = test_run_mmsim((const char *[]){ "replay", good, "--machine", "tiny", "-o", dir, "--asap", "--quiet",
					      NULL }, &out, &err);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, err);
	free(out);
	free(err);
	snprintf(dir + strlen(dir), sizeof(dir) - strlen(dir), "/summary.json");
	ck_assert(access(dir, R_OK) == 0);

	/* round trip through the command line: replay → record → replay the recording → record */
	{
		char rec1[512], rec2[512], d1[512], d2[512];
		uint64_t n1, n2;

		snprintf(rec1, sizeof(rec1), "%s/rec1.trace", test_tmpdir());
		snprintf(rec2, sizeof(rec2), "%s/rec2.trace", test_tmpdir());
		snprintf(d1, sizeof(d1), "%s/rt1", test_tmpdir());
		snprintf(d2, sizeof(d2), "%s/rt2", test_tmpdir());
		rc = test_run_mmsim((const char *[]){ "replay", good, "--machine", "tiny", "-o", d1, "--quiet",
						      "--trace-out", rec1, NULL }, &out, &err);
		ck_assert_msg(rc == 0, "exit %d: %s", rc, err);
		free(out);
		free(err);
		rc = test_run_mmsim((const char *[]){ "replay", rec1, "--machine", "tiny", "-o", d2, "--quiet",
						      "--trace-out", rec2, NULL }, &out, &err);
		ck_assert_msg(rc == 0, "exit %d: %s", rc, err);
		free(out);
		free(err);
		char *s1 = alloc_sequence(rec1, &n1), *s2 = alloc_sequence(rec2, &n2);

		ck_assert_uint_ge(n1, 6);
		ck_assert_str_eq(s1, s2);
		free(s1);
		free(s2);
	}
}
END_TEST

Suite *traces_suite(void)
{
	Suite *s = suite_create("traces");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_ftrace_61_kmalloc);
	tcase_add_test(tc, test_ftrace_variants);
	tcase_add_test(tc, test_trace_cmd_and_perf);
	tcase_add_test(tc, test_other_events);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_fuzz);
	tcase_add_test(tc, test_reader_samples);
	tcase_add_test(tc, test_reader_pipe);
	tcase_add_test(tc, test_check_misuse);
	suite_add_tcase(s, tc);
	tc = tcase_create("replay");
	tcase_add_test(tc, test_replay_basic);
	tcase_add_test(tc, test_replay_modes);
	tcase_add_test(tc, test_replay_strict);
	tcase_add_test(tc, test_replay_speed);
	tcase_add_test(tc, test_replay_percpu);
	tcase_add_test(tc, test_replay_deferred_free);
	tcase_add_test(tc, test_replay_deterministic);
	tcase_add_test(tc, test_round_trip);
	suite_add_tcase(s, tc);
	tc = tcase_create("cli");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_cli_check_trace);
	tcase_add_test(tc, test_cli_replay);
	suite_add_tcase(s, tc);
	return s;
}
