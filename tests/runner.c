/* SPDX-License-Identifier: MIT */
/*
 * tests/runner.c — the one Check runner.
 *
 * Runs every suite in fork mode (SystemC can be elaborated once per process,
 * so each test gets a fresh one). CK_RUN_SUITE / CK_RUN_CASE select (the
 * Makefile passes SUITE=...). Exit status is non-zero if any check failed or
 * if no check ran at all (a filter that matches nothing is an error, not a pass).
 */
#include <stdio.h>
#include <stdlib.h>
#include "tests/suites.h"

static Suite *(*const all_suites[])(void) = {
	engine_suite,
	rng_suite,
	units_suite,
	config_suite,
	stats_suite,
	trace_suite,
	results_suite,
	cli_suite,
	report_suite,
	workloads_suite,
	generators_suite,
	topology_suite,
	dma_suite,
	cache_suite,
	tlb_suite,
	gfp_suite,
	page_alloc_suite,
	slab_suite,
	vmalloc_suite,
	mempool_suite,
	percpu_suite,
	reclaim_suite,
	compaction_suite,
	oom_suite,
	traces_suite,
};

int main(void)
{
	const char *sel = getenv("CK_RUN_SUITE");
	SRunner *sr = NULL;

	if (sel && !*sel)
		unsetenv("CK_RUN_SUITE");
	setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
	for (size_t i = 0; i < sizeof(all_suites) / sizeof(all_suites[0]); i++) {
		if (!all_suites[i])
			continue;
		Suite *s = all_suites[i]();
		if (!sr)
			sr = srunner_create(s);
		else
			srunner_add_suite(sr, s);
	}
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_ENV);
	int run = srunner_ntests_run(sr);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (run == 0) {
		fprintf(stderr, "check_all: no checks ran (suite filter matched nothing?)\n");
		return EXIT_FAILURE;
	}
	printf("%d passed, %d failed\n", run - failed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
