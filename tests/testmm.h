/* SPDX-License-Identifier: MIT */
/*
 * tests/testmm.h — helpers for suites that drive a booted kernel model.
 */
#ifndef MMSIM_TESTS_TESTMM_H
#define MMSIM_TESTS_TESTMM_H

struct page;

#define TEST_HELD_MAX 65536
/* Pages taken by test_hold_all_pages(); entries a test frees itself must be set to NULL. */
extern struct page *test_held[TEST_HELD_MAX];
extern unsigned long test_nheld;

/* Take every free page (order 0, PF_MEMALLOC: no watermarks), then drain the pcp lists. */
void test_hold_all_pages(void);
/* Free every page still in test_held[] (NULL entries are skipped). */
void test_release_held(void);

#endif
