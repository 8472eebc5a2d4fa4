/* SPDX-License-Identifier: MIT */
/*
 * tests/suites.h — every Check suite, one line each. Add a suite here and to
 * the table in tests/runner.c; its file is tests/check_<subsystem>.c.
 */
#ifndef MMSIM_TESTS_SUITES_H
#define MMSIM_TESTS_SUITES_H

#include <check.h>

/* sim/ */
Suite *engine_suite(void);
Suite *rng_suite(void);
Suite *units_suite(void);
Suite *config_suite(void);
Suite *stats_suite(void);
Suite *trace_suite(void);
Suite *results_suite(void);
Suite *cli_suite(void);
Suite *report_suite(void);
/* workloads/ */
Suite *workloads_suite(void);
Suite *generators_suite(void);
/* machine/ */
Suite *topology_suite(void);
Suite *dma_suite(void);
Suite *cache_suite(void);
Suite *tlb_suite(void);
/* mm/ */
Suite *gfp_suite(void);
Suite *page_alloc_suite(void);
Suite *slab_suite(void);
Suite *vmalloc_suite(void);
Suite *mempool_suite(void);
Suite *percpu_suite(void);
Suite *reclaim_suite(void);
Suite *compaction_suite(void);
Suite *oom_suite(void);
/* traces/ */
Suite *traces_suite(void);

#endif
