/* SPDX-License-Identifier: MIT */
/*
 * tests/check_workloads.c — workload generators produce what they are
 * configured to produce.
 */
#include <check.h>
#include <math.h>
#include <string.h>
#include "sim/config.h"
#include "sim/engine.h"
#include "sim/stats.h"
#include "tests/suites.h"
#include "workloads/workload.h"

/* Run a scenario's tasks in-process for @duration. */
static struct cfg *run_tasks(const char *yaml, sim_time_t duration, sim_time_t quantum)
{
	struct cfg *c = cfg_load_string("test.yaml", yaml);
	struct sim_params sp = { .quantum = quantum, .timing = true };

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(sim_init(&sp), 0);
	ck_assert_int_eq(workloads_setup(c, cfg_seq(cfg_root(c), "tasks"), 5, duration), 0);
	ck_assert_msg(!cfg_failed(c), "%s", cfg_error(c));
	ck_assert_int_eq(cfg_check_unused(c), 0);
	sim_run(duration);
	return c;
}

/*
 * The ticker is an M/D/1 queue: Poisson arrivals λ = procs × rate, service S.
 * Mean wait W = λS² / (2(1 − λS)): 16 × 200k/s and 250 ns give ρ = 0.8, W = 500 ns.
 * 200 ms gives ~640k items; the standard error of the mean is well under 1 %.
 */
static void check_mdl(sim_time_t quantum)
{
	run_tasks("tasks:\n  - workload: ticker\n    name: q\n    procs: 16\n    rate: 200k/s\n"
		  "    work: 0ns\n    service: 250ns\n", 200 * SIM_MS, quantum);
	struct hist *h = stat_find_hist("workload.q.queue_delay");
	uint64_t items = *stat_find_counter("workload.q.items");
	double lambda = 16 * 200e3, S = 250e-9, W = lambda * S * S / (2 * (1 - lambda * S));

	ck_assert_ptr_nonnull(h);
	/* Arrivals: 3.2 M/s over 0.2 s = 640k ± 0.4 % (Poisson, 3 sigma). */
	ck_assert_msg(fabs((double)items - 640000.0) < 2400, "items %llu", (unsigned long long)items);
	ck_assert_msg(fabs(hist_mean(h) * 1e-12 - W) < 0.03 * W, "mean wait %.1f ns, theory %.1f ns",
		      hist_mean(h) / 1e3, W * 1e9);
	ck_assert_uint_eq(*stat_find_counter("workload.q.drops"), 0);
}

START_TEST(test_ticker_md1_decoupled)
{
	check_mdl(SIM_US);
}
END_TEST

START_TEST(test_ticker_md1_lockstep)
{
	check_mdl(0);
}
END_TEST

START_TEST(test_unknown_parameter_rejected)
{
	struct cfg *c = cfg_load_string("t.yaml", "tasks:\n  - workload: ticker\n    rat: 5/s\n");
	struct sim_params sp = { .quantum = SIM_US, .timing = true };

	ck_assert_int_eq(sim_init(&sp), 0);
	ck_assert_int_eq(workloads_setup(c, cfg_seq(cfg_root(c), "tasks"), 1, SIM_MS), 0);
	ck_assert_int_eq(cfg_check_unused(c), -1);
	ck_assert_ptr_nonnull(strstr(cfg_error(c), "t.yaml:3:5: unknown key 'tasks.0.rat'"));
}
END_TEST

Suite *workloads_suite(void)
{
	Suite *s = suite_create("workloads");
	TCase *tc = tcase_create("ticker");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_ticker_md1_decoupled);
	tcase_add_test(tc, test_ticker_md1_lockstep);
	tcase_add_test(tc, test_unknown_parameter_rejected);
	suite_add_tcase(s, tc);
	return s;
}
