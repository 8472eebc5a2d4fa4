/* SPDX-License-Identifier: MIT */
/* tests/testmm.c — see testmm.h. */
#include "tests/testmm.h"

#include "mm/gfp.h"
#include "mm/page_alloc.h"
#include "mm/sched.h"

struct page *test_held[TEST_HELD_MAX];
unsigned long test_nheld;

void test_hold_all_pages(void)
{
	unsigned flags = memalloc_noreclaim_save();
	struct page *p;

	test_nheld = 0;
	while (test_nheld < TEST_HELD_MAX && (p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0)))
		test_held[test_nheld++] = p;
	memalloc_noreclaim_restore(flags);
	drain_all_pages(NULL);
}

void test_release_held(void)
{
	for (unsigned long i = 0; i < test_nheld; i++)
		if (test_held[i])
			__free_pages(test_held[i], 0);
	test_nheld = 0;
}
