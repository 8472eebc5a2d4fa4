/* SPDX-License-Identifier: MIT */
/*
 * tests/check_percpu.c — the percpu allocator (suite "percpu"): first-chunk
 * geometry and the dmesg line, per_cpu_ptr addresses per CPU and node, chunk
 * creation when the first chunk fills, atomic vs sleeping allocations and the
 * balance work, reserved allocations, misuse, trace formats, meminfo, and
 * invariants after random sequences.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cpu.h"
#include "machine/cost.h"
#include "machine/machine.h"
#include "machine/memsys.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/percpu.h"
#include "mm/slab.h"
#include "mm/util.h"
#include "mm/vmalloc.h"
#include "sim/engine.h"
#include "sim/log.h"
#include "sim/rng.h"
#include "sim/trace.h"
#include "tests/suites.h"
#include "tests/testutil.h"

static char dmesg_path[512];

static void boot(int nodes, int cpus, unsigned mib)
{
	struct sim_params sp = { SIM_DEFAULT_QUANTUM, false };
	struct machine_desc d;
	struct memsys_params mp;
	struct mm_params p;
	char err[256];

	ck_assert_int_eq(sim_init(&sp), 0);
	snprintf(dmesg_path, sizeof(dmesg_path), "%s/dmesg.log", test_tmpdir());
	ck_assert_int_eq(sim_dmesg_open(dmesg_path), 0);
	machine_desc_init(&d);
	d.nr_nodes = nodes;
	d.nr_cpus = cpus;
	for (int c = 0; c < cpus; c++)
		d.cpu_node[c] = c * nodes / cpus;
	for (int n = 0; n < nodes; n++)
		d.node_mem[n] = (uint64_t)mib << 20;
	d.pci_hole = 0;
	ck_assert_msg(machine_build_desc(&d, err, sizeof(err)) == 0, "%s", err);
	memsys_default_params(&mp);
	mp.timing = false;
	ck_assert_msg(memsys_init(&mp, err, sizeof(err)) == 0, "%s", err);
	mm_params_default(&p);
	p.timing = 0;
	p.kernel_image_size = 4 << 20;
	ck_assert_msg(mm_boot(&p, err, sizeof(err)) == 0, "%s", err);
	if (!slab_is_available())
		ck_assert_int_eq(kmem_cache_init(), 0);
	ck_assert_int_eq(vmalloc_init(), 0);
	ck_assert_int_eq(percpu_init(&p), 0);
	boot_ctx()->cpu = 0;
}

static bool file_has(const char *path, const char *needle)
{
	size_t len;
	char *s = test_read_file(path, &len);
	bool r = s && strstr(s, needle);

	free(s);
	return r;
}

static bool dmesg_has(const char *needle)
{
	if (sim_dmesg_file())
		fflush(sim_dmesg_file());
	return file_has(dmesg_path, needle);
}

static bool in_first_chunk(unsigned long a) { return is_direct_map(a); }

START_TEST(test_first_chunk_2cpus)
{
	size_t s, r, d;

	boot(1, 2, 32);
	pcpu_first_chunk_layout(&s, &r, &d);
	ck_assert_uint_eq(s, 200 << 10);
	ck_assert_uint_eq(r, 8 << 10);
	ck_assert_uint_eq(d, 28 << 10);
	/* 236 KiB per CPU; ≤ 1/3 wasted units → 2 units per 2 MiB atom */
	ck_assert_uint_eq(pcpu_unit_size(), 1 << 20);
	ck_assert_int_eq(pcpu_nr_units(), 2);
	ck_assert(dmesg_has("percpu: Embedded 59 pages/cpu s204800 r8192 d28672 u1048576\n"));
	ck_assert_int_eq(pcpu_nr_chunks(), 1);
	ck_assert_int_eq(pcpu_nr_empty_pop_pages(), 7);
	ck_assert_uint_eq(pcpu_nr_pages(), 59 * 2);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	percpu_print_meminfo(f);
	fclose(f);
	ck_assert_str_eq(buf, "Percpu:              472 kB\n");
	free(buf);
	ck_assert_int_eq(pcpu_check(), 0);
}
END_TEST

START_TEST(test_first_chunk_4cpus)
{
	boot(1, 4, 32);
	ck_assert_uint_eq(pcpu_unit_size(), 512 << 10);
	ck_assert(dmesg_has("u524288"));
}
END_TEST

START_TEST(test_first_chunk_16cpus_2nodes)
{
	boot(2, 16, 32);
	ck_assert_uint_eq(pcpu_unit_size(), 256 << 10);
	ck_assert_int_eq(pcpu_nr_units(), 16);
	/* units of node 1's CPUs are backed by node 1 memory */
	for (int c = 0; c < 16; c++) {
		unsigned long a = per_cpu_offset(c);
		ck_assert_int_eq(phys_to_nid(virt_to_phys_addr(a)), cpu_to_node(c));
	}
}
END_TEST

START_TEST(test_per_cpu_ptr)
{
	boot(2, 4, 32);
	void *p = alloc_percpu(long);

	ck_assert_ptr_nonnull(p);
	/* same node: consecutive units */
	ck_assert_uint_eq(per_cpu_ptr(p, 1) - per_cpu_ptr(p, 0), pcpu_unit_size());
	ck_assert_uint_eq(per_cpu_ptr(p, 3) - per_cpu_ptr(p, 2), pcpu_unit_size());
	for (int c = 0; c < 4; c++) {
		unsigned long a = per_cpu_ptr(p, c);
		ck_assert(in_first_chunk(a));
		ck_assert_int_eq(phys_to_nid(per_cpu_ptr_to_phys(a)), cpu_to_node(c));
		ck_assert_uint_eq(a - per_cpu_offset(c), (unsigned long)p);
	}
	boot_ctx()->cpu = 3;
	ck_assert_uint_eq(this_cpu_ptr(p), per_cpu_ptr(p, 3));
	boot_ctx()->cpu = 0;
	/* first dynamic allocation sits right after static + reserved */
	ck_assert_uint_eq(per_cpu_ptr(p, 0) - per_cpu_offset(0), (unsigned long)p);
	free_percpu(p);
	ck_assert_int_eq(pcpu_check(), 0);
}
END_TEST

/* The first chunk's 28 KiB dynamic area fills; the next allocation creates a vmalloc chunk. */
START_TEST(test_new_chunk_when_first_fills)
{
	void *p[8];

	boot(2, 4, 32);
	for (int i = 0; i < 7; i++) {
		p[i] = __alloc_percpu(4096, 4096);
		ck_assert_ptr_nonnull(p[i]);
		ck_assert(in_first_chunk(per_cpu_ptr(p[i], 0)));
	}
	ck_assert_int_eq(pcpu_nr_chunks(), 1);
	ck_assert_int_eq(pcpu_nr_empty_pop_pages(), 0);
	unsigned long pages = pcpu_nr_pages();
	p[7] = __alloc_percpu(4096, 4096);
	ck_assert_ptr_nonnull(p[7]);
	ck_assert_int_eq(pcpu_nr_chunks(), 2);
	for (int c = 0; c < 4; c++) {
		unsigned long a = per_cpu_ptr(p[7], c);
		struct page *pg;

		ck_assert(is_vmalloc_addr((void *)a));
		pg = vmalloc_to_page((void *)a);
		ck_assert_ptr_nonnull(pg);
		ck_assert_int_eq(page_type(pg), PGTY_PERCPU);
		ck_assert_int_eq(page_to_nid(pg), cpu_to_node(c));
	}
	ck_assert_uint_eq(per_cpu_ptr(p[7], 1) - per_cpu_ptr(p[7], 0), pcpu_unit_size());
	ck_assert_uint_eq(pcpu_nr_pages(), pages + 4);            /* 1 page × 4 units */
	/* the chunk's VA came from the top of vmalloc space, vmalloc itself still starts at the bottom */
	ck_assert_uint_gt(per_cpu_ptr(p[7], 0), VMALLOC_START + (16UL << 40));
	ck_assert_uint_eq((unsigned long)vmalloc(4096) >> 30, VMALLOC_START >> 30);
	for (int i = 0; i < 8; i++)
		free_percpu(p[i]);
	ck_assert_int_eq(pcpu_check(), 0);
	ck_assert_int_eq(vmalloc_check(), 0);
}
END_TEST

/* Atomic requests only use populated pages; the balance work populates 4 after a failure. */
START_TEST(test_atomic_and_balance)
{
	void *p[8];

	boot(1, 2, 32);
	for (int i = 0; i < 7; i++)
		ck_assert_ptr_nonnull(p[i] = __alloc_percpu(4096, 4096));
	ck_assert_ptr_null(__alloc_percpu_gfp(64, 8, GFP_ATOMIC));
	ck_assert_int_eq(pcpu_nr_chunks(), 1);
	ck_assert(pcpu_balance_pending());
	ck_assert(!dmesg_has("percpu: allocation failed"));          /* atomic failures are quiet */
	pcpu_balance_workfn();
	ck_assert(!pcpu_balance_pending());
	ck_assert_int_eq(pcpu_nr_chunks(), 2);
	ck_assert_int_eq(pcpu_nr_empty_pop_pages(), 4);
	void *a[5];
	for (int i = 0; i < 4; i++) {
		a[i] = __alloc_percpu_gfp(4096, 4096, GFP_ATOMIC);
		ck_assert_ptr_nonnull(a[i]);
	}
	a[4] = __alloc_percpu_gfp(4096, 4096, GFP_NOWAIT);
	ck_assert_ptr_null(a[4]);
	/* a sleeping request populates what it needs */
	void *s = __alloc_percpu_gfp(4096, 4096, GFP_KERNEL);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(pcpu_check(), 0);
}
END_TEST

static void proc_allocs(void *arg)
{
	(void)arg;
	for (int i = 0; i < 7; i++)
		__alloc_percpu(4096, 4096);
}

/* From a process the balance work runs in a kworker and refills to HIGH (4). */
START_TEST(test_balance_worker)
{
	boot(1, 2, 32);
	cpu_spawn("t", 0, CTX_TASK, proc_allocs, NULL, NULL, 0);
	sim_run(SIM_MS);
	ck_assert(!pcpu_balance_pending());
	ck_assert_int_eq(pcpu_nr_empty_pop_pages(), 4);
	ck_assert_int_eq(pcpu_nr_chunks(), 2);
	ck_assert_int_eq(pcpu_check(), 0);
}
END_TEST

START_TEST(test_sleep_under_get_cpu)
{
	boot(1, 2, 32);
	int cpu = get_cpu();
	ck_assert_int_eq(cpu, 0);
	ck_assert_int_eq(preempt_count(), 1);
	void *a = alloc_percpu_gfp(int, GFP_ATOMIC);
	ck_assert_uint_eq(pcpu_misuse_count(PCPU_MISUSE_SLEEP_ATOMIC), 0);
	void *b = alloc_percpu(int);
	put_cpu();
	ck_assert_int_eq(preempt_count(), 0);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(pcpu_misuse_count(PCPU_MISUSE_SLEEP_ATOMIC), 1);
	ck_assert(dmesg_has("BUG: sleeping function called from invalid context at kernel/locking/mutex.c"));
	ck_assert(dmesg_has("preempt_count: 1, expected: 0"));
	void *c = alloc_percpu(int);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(pcpu_misuse_count(PCPU_MISUSE_SLEEP_ATOMIC), 1);
}
END_TEST

START_TEST(test_illegal_requests)
{
	boot(1, 2, 32);
	ck_assert_ptr_null(__alloc_percpu(0, 4));
	ck_assert(dmesg_has("illegal size (0) or align (4) for percpu allocation"));
	ck_assert_ptr_null(__alloc_percpu(32 * 1024 + 1, 4));
	ck_assert(dmesg_has("illegal size (32772) or align (4) for percpu allocation"));
	ck_assert_ptr_null(__alloc_percpu(8, 12));
	ck_assert_ptr_null(__alloc_percpu(8, 8192));
	ck_assert_uint_eq(pcpu_misuse_count(PCPU_MISUSE_ILLEGAL), 4);
	/* align < 4 is raised to 4, size rounded up to 4: the maximum 32 KiB fits a new chunk */
	void *p = __alloc_percpu(3, 1), *q = __alloc_percpu(32 * 1024, 8);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(q);
	ck_assert_uint_eq((unsigned long)p & 3, 0);
	ck_assert_int_eq(pcpu_nr_chunks(), 2);
	ck_assert_int_eq(pcpu_check(), 0);
}
END_TEST

START_TEST(test_free_unknown)
{
	boot(1, 2, 32);
	void *p = __alloc_percpu(64, 8);

	free_percpu((char *)p + 4);                           /* interior */
	ck_assert_uint_eq(pcpu_misuse_count(PCPU_MISUSE_UNKNOWN_FREE), 1);
	free_percpu(p);
	free_percpu(p);                                       /* double */
	ck_assert_uint_eq(pcpu_misuse_count(PCPU_MISUSE_UNKNOWN_FREE), 2);
	free_percpu((void *)(VMALLOC_START + (3UL << 30)));  /* nowhere */
	ck_assert_uint_eq(pcpu_misuse_count(PCPU_MISUSE_UNKNOWN_FREE), 3);
	free_percpu((void *)16);                              /* inside the static area */
	ck_assert_uint_eq(pcpu_misuse_count(PCPU_MISUSE_UNKNOWN_FREE), 4);
	ck_assert(dmesg_has("is not an allocated percpu area"));
	free_percpu(NULL);
	ck_assert_uint_eq(pcpu_misuse_count(PCPU_MISUSE_UNKNOWN_FREE), 4);
	ck_assert_int_eq(pcpu_check(), 0);
}
END_TEST

START_TEST(test_reserved)
{
	boot(1, 2, 32);
	void *a = __alloc_reserved_percpu(4096, 8), *b = __alloc_reserved_percpu(4096, 8);

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq((unsigned long)a, 200 << 10);
	ck_assert_uint_eq((unsigned long)b, (200 << 10) + 4096);
	ck_assert_ptr_null(__alloc_reserved_percpu(4, 4));
	ck_assert(dmesg_has("percpu: allocation failed, size=4 align=4 atomic=0, alloc from reserved chunk failed"));
	free_percpu(a);
	ck_assert_ptr_eq(__alloc_reserved_percpu(8, 8), a);
	/* dynamic allocations never use the reserved area */
	void *d = __alloc_percpu(8, 8);
	ck_assert_uint_eq((unsigned long)d, 208 << 10);
	ck_assert_int_eq(pcpu_check(), 0);
}
END_TEST

START_TEST(test_trace_format)
{
	char path[512];

	boot(1, 2, 32);
	snprintf(path, sizeof(path), "%s/trace.txt", test_tmpdir());
	ck_assert_int_eq(trace_open(path, 2), 0);
	ck_assert_int_ge(trace_enable("percpu"), 2);
	void *p = __alloc_percpu(8, 8);
	free_percpu(p);
	ck_assert_ptr_null(__alloc_percpu_gfp(32768, 8, GFP_ATOMIC));
	trace_close();
	ck_assert(file_has(path, "percpu_alloc_percpu: call_site=__alloc_percpu reserved=0 is_atomic=0 size=8 "
			   "align=8 base_addr="));
	ck_assert(file_has(path, " off=212992 ptr="));
	ck_assert(file_has(path, " bytes_alloc=32 gfp_flags=GFP_KERNEL\n"));
	ck_assert(file_has(path, "percpu_free_percpu: base_addr="));
	ck_assert(file_has(path, "percpu_alloc_percpu_fail: reserved=0 is_atomic=1 size=32768 align=8\n"));
}
END_TEST

/* Fully free chunks beyond one are destroyed by the balance work. */
START_TEST(test_balance_frees_chunks)
{
	void *p[32];
	int n = 0;

	boot(1, 2, 32);
	unsigned long pages0 = vmalloc_nr_areas();
	/* fill the first chunk, then 40 × 32 KiB: two 1 MiB-unit chunks */
	for (int i = 0; i < 7; i++)
		p[n++] = __alloc_percpu(4096, 4096);
	int chunks = pcpu_nr_chunks();
	void *big[40];
	for (int i = 0; i < 40; i++)
		ck_assert_ptr_nonnull(big[i] = __alloc_percpu(32768, 4096));
	ck_assert_int_eq(pcpu_nr_chunks(), chunks + 2);             /* 1 MiB units hold 32 each */
	for (int i = 0; i < 40; i++)
		free_percpu(big[i]);
	ck_assert(pcpu_balance_pending());
	pcpu_balance_workfn();
	ck_assert_int_eq(pcpu_nr_chunks(), chunks + 1);             /* one fully free chunk is kept */
	ck_assert_int_eq(pcpu_check(), 0);
	ck_assert_int_eq(vmalloc_check(), 0);
	for (int i = 0; i < n; i++)
		free_percpu(p[i]);
	ck_assert_uint_ge(vmalloc_nr_areas(), pages0);
	ck_assert_int_eq(mm_check(), 0);
}
END_TEST

START_TEST(test_random_invariants)
{
	struct rng r;
	void *live[128] = { 0 };

	boot(2, 4, 64);
	rng_seed(&r, 11, 3);
	for (int it = 0; it < 3000; it++) {
		int i = (int)rng_below(&r, 128);

		if (live[i]) {
			free_percpu(live[i]);
			live[i] = NULL;
		} else {
			size_t size = 1 + rng_below(&r, rng_below(&r, 4) ? 64 : 4096);
			size_t align = 1UL << rng_below(&r, 8);
			gfp_t gfp = rng_below(&r, 4) ? GFP_KERNEL : GFP_ATOMIC;

			live[i] = __alloc_percpu_gfp(size, align, gfp);
			if (gfp == GFP_KERNEL)
				ck_assert_ptr_nonnull(live[i]);
			if (live[i])
				ck_assert_uint_eq(per_cpu_ptr(live[i], 0) & (align - 1), 0);
		}
		if (it % 300 == 0) {
			if (pcpu_balance_pending())
				pcpu_balance_workfn();
			ck_assert_int_eq(pcpu_check(), 0);
		}
	}
	for (int i = 0; i < 128; i++)
		free_percpu(live[i]);
	pcpu_balance_workfn();
	ck_assert_int_eq(pcpu_check(), 0);
	ck_assert_int_eq(vmalloc_check(), 0);
	ck_assert_int_eq(mm_check(), 0);
}
END_TEST

Suite *percpu_suite(void)
{
	Suite *s = suite_create("percpu");
	TCase *tc = tcase_create("percpu");

	tcase_add_test(tc, test_first_chunk_2cpus);
	tcase_add_test(tc, test_first_chunk_4cpus);
	tcase_add_test(tc, test_first_chunk_16cpus_2nodes);
	tcase_add_test(tc, test_per_cpu_ptr);
	tcase_add_test(tc, test_new_chunk_when_first_fills);
	tcase_add_test(tc, test_atomic_and_balance);
	tcase_add_test(tc, test_balance_worker);
	tcase_add_test(tc, test_sleep_under_get_cpu);
	tcase_add_test(tc, test_illegal_requests);
	tcase_add_test(tc, test_free_unknown);
	tcase_add_test(tc, test_reserved);
	tcase_add_test(tc, test_trace_format);
	tcase_add_test(tc, test_balance_frees_chunks);
	tcase_add_test(tc, test_random_invariants);
	suite_add_tcase(s, tc);
	return s;
}
