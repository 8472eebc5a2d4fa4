/* SPDX-License-Identifier: MIT */
/*
 * tests/check_mempool.c — mempool (suite "mempool"): pre-fill, the 6.1
 * mempool_alloc algorithm (gfp rounds, reserve, NULL for atomic callers),
 * blocking and waking in simulated time (woken by a free, 5 s timeouts),
 * mempool_free refilling, resize, the slab / kmalloc / page helpers (§16.19).
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cpu.h"
#include "machine/machine.h"
#include "machine/memsys.h"
#include "mm/mempool.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mm/util.h"
#include "mm/vmalloc.h"
#include "sim/engine.h"
#include "sim/log.h"
#include "sim/rng.h"
#include "tests/suites.h"
#include "tests/testutil.h"

static void boot(void)
{
	struct sim_params sp = { SIM_DEFAULT_QUANTUM, false };
	struct machine_desc d;
	struct memsys_params mp;
	struct mm_params p;
	char err[256];

	ck_assert_int_eq(sim_init(&sp), 0);
	machine_desc_init(&d);
	d.nr_nodes = 1;
	d.nr_cpus = 2;
	d.node_mem[0] = 32ULL << 20;
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
	mempool_init_stats();
	boot_ctx()->cpu = 0;
}

/* A kmalloc(64) pool allocator that can be told to fail, recording the gfp it saw. */
static struct {
	bool fail;
	int fail_after;          /* > 0: fail once this many calls succeeded */
	int calls, frees;
	gfp_t seen[64];
} A;

static void *test_alloc(gfp_t gfp, void *data)
{
	if (A.calls < 64)
		A.seen[A.calls] = gfp;
	A.calls++;
	if (A.fail || (A.fail_after && A.calls > A.fail_after))
		return NULL;
	return mempool_kmalloc(gfp, data);
}

static void test_free(void *e, void *data)
{
	A.frees++;
	mempool_kfree(e, data);
}

static mempool_t *P;
static void *got[8];
static sim_time_t got_at[8];

START_TEST(test_create_prefilled)
{
	boot();
	memset(&A, 0, sizeof(A));
	P = mempool_create(2, test_alloc, test_free, (void *)64);
	ck_assert_ptr_nonnull(P);
	ck_assert_int_eq(P->curr_nr, 2);
	ck_assert_int_eq(P->min_nr, 2);
	ck_assert_int_eq(A.calls, 2);
	ck_assert_uint_eq(A.seen[0], GFP_KERNEL);
	ck_assert_uint_ne(P->pool_va, 0);
	ck_assert_uint_ne(P->elements_va, 0);
	ck_assert_uint_eq(ksize((void *)P->pool_va), 96);        /* mempool_t, 72 bytes */
	ck_assert_int_eq(mempool_check(P), 0);
	/* a failing pre-fill destroys the pool */
	memset(&A, 0, sizeof(A));
	A.fail_after = 2;
	ck_assert_ptr_null(mempool_create(3, test_alloc, test_free, (void *)64));
	ck_assert_int_eq(A.frees, 2);
	mempool_destroy(P);
	mempool_destroy(NULL);
}
END_TEST

/* The gfp rounds: without DIRECT_RECLAIM|IO first, then the reserve, then the full mask. */
START_TEST(test_alloc_rounds)
{
	boot();
	memset(&A, 0, sizeof(A));
	P = mempool_create(2, test_alloc, test_free, (void *)64);
	A.calls = 0;
	void *e = mempool_alloc(P, GFP_NOIO);                  /* allocator works: fast path */
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(A.calls, 1);
	ck_assert_uint_eq(A.seen[0], __GFP_KSWAPD_RECLAIM | __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN);
	ck_assert_int_eq(P->curr_nr, 2);
	ck_assert_uint_eq(mempool_path_count(MEMPOOL_PATH_FAST), 1);
	/* free with a full reserve goes back to the allocator */
	mempool_free(e, P);
	ck_assert_int_eq(A.frees, 1);
	/* §16.19: allocator failing: reserve 2 → 1 → 0 */
	A.fail = true;
	A.calls = 0;
	void *r1 = mempool_alloc(P, GFP_NOIO);
	ck_assert_int_eq(P->curr_nr, 1);
	void *r2 = mempool_alloc(P, GFP_NOIO);
	ck_assert_int_eq(P->curr_nr, 0);
	ck_assert_ptr_nonnull(r1);
	ck_assert_ptr_nonnull(r2);
	ck_assert_ptr_ne(r1, r2);
	ck_assert_uint_eq(mempool_path_count(MEMPOOL_PATH_RESERVE), 2);
	/* a sleeping mask: one round without DIRECT_RECLAIM|IO, one with the full mask, then it
	 * would sleep (outside a process there is nobody to wake it: NULL) */
	A.calls = 0;
	ck_assert_ptr_null(mempool_alloc(P, GFP_NOIO));
	ck_assert_int_eq(A.calls, 2);
	ck_assert_uint_eq(A.seen[0], __GFP_KSWAPD_RECLAIM | __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN);
	ck_assert_uint_eq(A.seen[1], GFP_NOIO | __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN);
	/* GFP_ATOMIC with an empty pool: it has no DIRECT_RECLAIM|IO to drop, so one round, then NULL */
	A.calls = 0;
	ck_assert_ptr_null(mempool_alloc(P, GFP_ATOMIC));
	ck_assert_int_eq(A.calls, 1);
	ck_assert_uint_eq(A.seen[0], (GFP_ATOMIC | __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN));
	ck_assert_uint_eq(mempool_path_count(MEMPOOL_PATH_FAIL), 2);
	A.calls = 0;
	ck_assert_ptr_null(mempool_alloc(P, GFP_NOWAIT));
	ck_assert_int_eq(A.calls, 1);
	/* frees refill the reserve before anything goes back to the allocator */
	int frees = A.frees;
	mempool_free(r1, P);
	mempool_free(r2, P);
	ck_assert_int_eq(P->curr_nr, 2);
	ck_assert_int_eq(A.frees, frees);
	mempool_free(NULL, P);
	ck_assert_int_eq(mempool_check(P), 0);
	mempool_destroy(P);
	ck_assert_int_eq(A.frees, frees + 2);
}
END_TEST

static void waiter(void *arg)
{
	int i = (int)(intptr_t)arg;

	got[i] = mempool_alloc(P, GFP_NOIO);
	got_at[i] = sim_now();
}

static void freer(void *arg)
{
	mempool_free(arg, P);
}

/* Empty reserve, failing allocator: the sleeper is woken by mempool_free at 1 s. */
START_TEST(test_block_until_free)
{
	boot();
	memset(&A, 0, sizeof(A));
	memset(got, 0, sizeof(got));
	P = mempool_create(2, test_alloc, test_free, (void *)64);
	A.fail = true;
	void *r1 = mempool_alloc(P, GFP_NOIO), *r2 = mempool_alloc(P, GFP_NOIO);
	ck_assert_int_eq(P->curr_nr, 0);
	cpu_spawn("waiter", 0, CTX_TASK, waiter, (void *)0, NULL, 0);
	cpu_spawn("freer", 1, CTX_TASK, freer, r1, NULL, SIM_SEC);
	sim_run(SIM_SEC / 2);
	ck_assert_ptr_null(got[0]);                             /* still asleep */
	ck_assert_int_eq(P->nr_waiters, 1);
	sim_run(3 * SIM_SEC);
	ck_assert_ptr_eq(got[0], r1);
	ck_assert_uint_ge(got_at[0], SIM_SEC);
	ck_assert_uint_lt(got_at[0], SIM_SEC + SIM_MS);
	ck_assert_uint_eq(mempool_wait_timeouts(), 0);
	ck_assert_uint_eq(mempool_path_count(MEMPOOL_PATH_WAITED), 1);
	mempool_free(r2, P);
	mempool_free(got[0], P);
	ck_assert_int_eq(mempool_check(P), 0);
}
END_TEST

static void unfail(void *arg)
{
	(void)arg;
	A.fail = false;                 /* the allocator recovers, but nobody wakes the pool */
}

/* Nobody frees: the sleeper retries every 5 s (io_schedule_timeout) until a free at 12 s. */
START_TEST(test_timeouts_then_free)
{
	boot();
	memset(&A, 0, sizeof(A));
	memset(got, 0, sizeof(got));
	P = mempool_create(1, test_alloc, test_free, (void *)64);
	A.fail = true;
	void *r = mempool_alloc(P, GFP_KERNEL);
	cpu_spawn("waiter", 0, CTX_TASK, waiter, (void *)0, NULL, 0);
	cpu_spawn("freer", 1, CTX_TASK, freer, r, NULL, 12 * SIM_SEC);
	sim_run(30 * SIM_SEC);
	ck_assert_ptr_eq(got[0], r);
	ck_assert_uint_ge(got_at[0], 12 * SIM_SEC);
	ck_assert_uint_lt(got_at[0], 12 * SIM_SEC + SIM_MS);
	ck_assert_uint_eq(mempool_wait_timeouts(), 2);          /* at 5 s and 10 s */
	/* allocator recovers at 3 s: the sleeper only notices at the 5 s timeout */
	void *g0 = got[0];
	memset(got, 0, sizeof(got));
	A.fail = true;
	mempool_free(g0, P);
	r = mempool_alloc(P, GFP_KERNEL);
	ck_assert_ptr_nonnull(r);
	sim_time_t t0 = sim_now();
	cpu_spawn("waiter2", 0, CTX_TASK, waiter, (void *)1, NULL, t0);
	cpu_spawn("unfail", 1, CTX_TASK, unfail, NULL, NULL, t0 + 3 * SIM_SEC);
	sim_run(t0 + 20 * SIM_SEC);
	ck_assert_ptr_nonnull(got[1]);
	ck_assert_uint_ge(got_at[1] - t0, 5 * SIM_SEC);
	ck_assert_uint_lt(got_at[1] - t0, 5 * SIM_SEC + SIM_MS);
	ck_assert_uint_eq(mempool_wait_timeouts(), 3);
}
END_TEST

/* Several sleepers: each free wakes them all, one wins, the others sleep again. */
START_TEST(test_many_waiters)
{
	boot();
	memset(&A, 0, sizeof(A));
	memset(got, 0, sizeof(got));
	P = mempool_create(3, test_alloc, test_free, (void *)64);
	A.fail = true;
	void *r[3];
	for (int i = 0; i < 3; i++)
		r[i] = mempool_alloc(P, GFP_NOIO);
	for (int i = 0; i < 3; i++)
		cpu_spawn("waiter", i % 2, CTX_TASK, waiter, (void *)(intptr_t)i, NULL, 0);
	for (int i = 0; i < 3; i++)
		cpu_spawn("freer", 1, CTX_TASK, freer, r[i], NULL, (sim_time_t)(i + 1) * SIM_SEC);
	sim_run(4 * SIM_SEC);
	for (int i = 0; i < 3; i++)
		ck_assert_ptr_nonnull(got[i]);
	ck_assert_int_eq(P->curr_nr, 0);
	ck_assert_int_eq(P->nr_waiters, 0);
	ck_assert_uint_eq(mempool_wait_timeouts(), 0);
}
END_TEST

START_TEST(test_sleeping_alloc_in_atomic_context)
{
	boot();
	memset(&A, 0, sizeof(A));
	P = mempool_create(1, test_alloc, test_free, (void *)64);
	unsigned long bugs = mm_might_sleep_bugs();
	preempt_disable();
	void *e = mempool_alloc(P, GFP_KERNEL);
	preempt_enable();
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(mm_might_sleep_bugs(), bugs + 1);
	mempool_free(e, P);
	preempt_disable();
	e = mempool_alloc(P, GFP_ATOMIC);                      /* fine */
	preempt_enable();
	ck_assert_uint_eq(mm_might_sleep_bugs(), bugs + 1);
	mempool_free(e, P);
	mempool_destroy(P);
}
END_TEST

START_TEST(test_resize)
{
	boot();
	memset(&A, 0, sizeof(A));
	P = mempool_create(2, test_alloc, test_free, (void *)64);
	ck_assert_int_eq(mempool_resize(P, 5), 0);
	ck_assert_int_eq(P->min_nr, 5);
	ck_assert_int_eq(P->curr_nr, 5);
	ck_assert_int_eq(mempool_resize(P, 1), 0);
	ck_assert_int_eq(P->min_nr, 1);
	ck_assert_int_eq(P->curr_nr, 1);
	ck_assert_int_eq(A.frees, 4);
	A.fail = true;                                         /* top-up stops silently */
	ck_assert_int_eq(mempool_resize(P, 4), 0);
	ck_assert_int_eq(P->min_nr, 4);
	ck_assert_int_eq(P->curr_nr, 1);
	ck_assert_int_eq(mempool_check(P), 0);
	mempool_destroy(P);
	ck_assert_int_eq(A.frees, 5);
}
END_TEST

START_TEST(test_helpers)
{
	boot();
	mempool_t *k = mempool_create_kmalloc_pool(4, 256);
	ck_assert_ptr_nonnull(k);
	void *e = mempool_alloc(k, GFP_KERNEL);
	ck_assert_uint_eq(ksize(e), 256);
	mempool_free(e, k);

	mempool_t *pg = mempool_create_page_pool(2, 2);
	ck_assert_ptr_nonnull(pg);
	struct page *p = mempool_alloc(pg, GFP_KERNEL);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(page_alloc_order(p), 2);
	mempool_free(p, pg);

	struct kmem_cache *c = kmem_cache_create("mempool_test_obj", 200, 0, 0, NULL);
	ck_assert_ptr_nonnull(c);
	mempool_t *sp = mempool_create_slab_pool(8, c);
	ck_assert_ptr_nonnull(sp);
	ck_assert_uint_eq(kmem_cache_objects_inuse(c), 8);
	void *o = mempool_alloc(sp, GFP_KERNEL);
	ck_assert_ptr_eq(kmem_obj_cache(o), c);
	ck_assert_uint_eq(kmem_cache_objects_inuse(c), 9);
	mempool_free(o, sp);
	mempool_destroy(sp);
	ck_assert_uint_eq(kmem_cache_objects_inuse(c), 0);
	mempool_destroy(k);
	mempool_destroy(pg);
	ck_assert_int_eq(mm_check(), 0);
	ck_assert_int_eq(slab_check(), 0);
}
END_TEST

START_TEST(test_random_invariants)
{
	struct rng r;
	void *held[32] = { 0 };

	boot();
	memset(&A, 0, sizeof(A));
	rng_seed(&r, 7, 1);
	struct kmem_cache *k64 = kmalloc_slab(64, GFP_KERNEL);
	unsigned long inuse = kmem_cache_objects_inuse(k64);
	P = mempool_create(6, test_alloc, test_free, (void *)64);
	for (int it = 0; it < 2000; it++) {
		int i = (int)rng_below(&r, 32);

		A.fail = rng_below(&r, 3) == 0;
		if (held[i]) {
			mempool_free(held[i], P);
			held[i] = NULL;
		} else {
			held[i] = mempool_alloc(P, rng_below(&r, 2) ? GFP_ATOMIC : GFP_NOWAIT);
		}
		ck_assert_int_eq(mempool_check(P), 0);
	}
	for (int i = 0; i < 32; i++)
		mempool_free(held[i], P);
	mempool_destroy(P);
	ck_assert_uint_eq(kmem_cache_objects_inuse(k64), inuse);
	ck_assert_int_eq(slab_check(), 0);
	ck_assert_int_eq(mm_check(), 0);
}
END_TEST

Suite *mempool_suite(void)
{
	Suite *s = suite_create("mempool");
	TCase *tc = tcase_create("mempool");

	tcase_add_test(tc, test_create_prefilled);
	tcase_add_test(tc, test_alloc_rounds);
	tcase_add_test(tc, test_block_until_free);
	tcase_add_test(tc, test_timeouts_then_free);
	tcase_add_test(tc, test_many_waiters);
	tcase_add_test(tc, test_sleeping_alloc_in_atomic_context);
	tcase_add_test(tc, test_resize);
	tcase_add_test(tc, test_helpers);
	tcase_add_test(tc, test_random_invariants);
	suite_add_tcase(s, tc);
	return s;
}
