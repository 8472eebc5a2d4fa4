// SPDX-License-Identifier: MIT
/*
 * tests/check_gfp.c — suite "gfp": 6.1 bit values and composite masks,
 * gfp_zone / gfp_migratetype (§16.1), ftrace printing (§14.2), parsing and
 * round trips, and the scope API (§1.4).
 */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include "mm/gfp.h"
#include "mm/sched.h"
#include "tests/suites.h"

START_TEST(test_values)
{
	ck_assert_uint_eq(GFP_ATOMIC, 0xa20);
	ck_assert_uint_eq(GFP_KERNEL, 0xcc0);
	ck_assert_uint_eq(GFP_KERNEL_ACCOUNT, 0x400cc0);
	ck_assert_uint_eq(GFP_NOWAIT, 0x800);
	ck_assert_uint_eq(GFP_NOIO, 0xc00);
	ck_assert_uint_eq(GFP_NOFS, 0xc40);
	ck_assert_uint_eq(GFP_USER, 0x100cc0);
	ck_assert_uint_eq(GFP_HIGHUSER, 0x100cc2);
	ck_assert_uint_eq(GFP_HIGHUSER_MOVABLE, 0x100cca);
	ck_assert_uint_eq(GFP_TRANSHUGE_LIGHT, 0x1c20ca);
	ck_assert_uint_eq(GFP_TRANSHUGE, 0x1c24ca);
	ck_assert_uint_eq(GFP_DMA, 1);
	ck_assert_uint_eq(GFP_DMA32, 4);
	ck_assert_uint_eq(__GFP_RECLAIM, 0xc00);
	ck_assert_uint_eq(__GFP_NOFAIL, 0x8000);
	ck_assert_uint_eq(__GFP_THISNODE, 0x200000);
	ck_assert_uint_eq(__GFP_ZEROTAGS, 0x800000);
	ck_assert_uint_eq(GFP_ZONEMASK, 0x0f);
	ck_assert_int_eq(__GFP_BITS_SHIFT, 27);
}
END_TEST

START_TEST(test_zone_migratetype)
{
	/* §16.1 */
	ck_assert_int_eq(gfp_zone(GFP_KERNEL), ZONE_NORMAL);
	ck_assert_int_eq(gfp_zone(GFP_DMA), ZONE_DMA);
	ck_assert_int_eq(gfp_zone(GFP_DMA32), ZONE_DMA32);
	ck_assert_int_eq(gfp_zone(GFP_HIGHUSER_MOVABLE), ZONE_MOVABLE);
	ck_assert_int_eq(gfp_zone(__GFP_MOVABLE), ZONE_NORMAL);
	ck_assert_int_eq(gfp_zone(__GFP_HIGHMEM), ZONE_NORMAL);
	ck_assert_int_eq(gfp_zone(__GFP_MOVABLE | __GFP_DMA), ZONE_DMA);
	ck_assert_int_eq(gfp_zone(__GFP_MOVABLE | __GFP_DMA32), ZONE_DMA32);
	ck_assert_int_eq(gfp_zone(__GFP_DMA | __GFP_DMA32), ZONE_BAD);
	ck_assert_int_eq(gfp_zone(__GFP_DMA32 | __GFP_HIGHMEM), ZONE_BAD);
	ck_assert_int_eq(gfp_migratetype(GFP_KERNEL), MIGRATE_UNMOVABLE);
	ck_assert_int_eq(gfp_migratetype(GFP_HIGHUSER_MOVABLE), MIGRATE_MOVABLE);
	ck_assert_int_eq(gfp_migratetype(GFP_KERNEL | __GFP_RECLAIMABLE), MIGRATE_RECLAIMABLE);
	ck_assert(gfpflags_allow_blocking(GFP_KERNEL));
	ck_assert(!gfpflags_allow_blocking(GFP_ATOMIC));
	ck_assert(!gfpflags_allow_blocking(GFP_NOWAIT));
	page_group_by_mobility_disabled = true;
	ck_assert_int_eq(gfp_migratetype(GFP_HIGHUSER_MOVABLE), MIGRATE_UNMOVABLE);
	page_group_by_mobility_disabled = false;
}
END_TEST

static const char *fmt(gfp_t g)
{
	static char buf[GFP_STR_MAX];
	return gfp_format(g, buf, sizeof(buf));
}

START_TEST(test_print)
{
	/* §14.2 examples */
	ck_assert_str_eq(fmt(0xdc0), "GFP_KERNEL|__GFP_ZERO");
	ck_assert_str_eq(fmt(0x400dc0), "GFP_KERNEL_ACCOUNT|__GFP_ZERO");
	ck_assert_str_eq(fmt(0x2a20), "GFP_ATOMIC|__GFP_NOWARN");
	ck_assert_str_eq(fmt(0x820), "GFP_NOWAIT|__GFP_HIGH");
	ck_assert_str_eq(fmt(0xc00), "GFP_NOIO");
	ck_assert_str_eq(fmt(0x42dc0), "GFP_KERNEL|__GFP_NOWARN|__GFP_COMP|__GFP_ZERO");
	ck_assert_str_eq(fmt(0), "none");
	ck_assert_str_eq(fmt(GFP_TRANSHUGE), "GFP_TRANSHUGE");
	ck_assert_str_eq(fmt(GFP_HIGHUSER_MOVABLE), "GFP_HIGHUSER_MOVABLE");
	ck_assert_str_eq(fmt(0x400), "__GFP_DIRECT_RECLAIM");
	ck_assert_str_eq(fmt(0x4000000 | GFP_KERNEL), "GFP_KERNEL|0x4000000");
	ck_assert_str_eq(fmt(__GFP_DMA32 | __GFP_NOFAIL), "GFP_DMA32|__GFP_NOFAIL");
	char b[GFP_STR_MAX];
	ck_assert_str_eq(gfp_format_pGg(0, b, sizeof(b)), "");
	/* truncation is safe */
	char small[8];
	gfp_format(GFP_KERNEL, small, sizeof(small));
	ck_assert_uint_eq(strlen(small), 7);
}
END_TEST

START_TEST(test_round_trip)
{
	static const gfp_t masks[] = {
		GFP_ATOMIC, GFP_KERNEL, GFP_KERNEL_ACCOUNT, GFP_NOWAIT, GFP_NOIO, GFP_NOFS, GFP_USER,
		GFP_DMA, GFP_DMA32, GFP_HIGHUSER, GFP_HIGHUSER_MOVABLE, GFP_TRANSHUGE_LIGHT, GFP_TRANSHUGE,
		GFP_KERNEL | __GFP_ZERO, GFP_ATOMIC | __GFP_NOWARN, GFP_KERNEL | __GFP_RETRY_MAYFAIL,
		GFP_NOFS | __GFP_NOFAIL, GFP_KERNEL | __GFP_THISNODE | __GFP_NORETRY, 0x7ffffff, 0x4000000,
	};
	char err[256];
	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		gfp_t out = 0;
		const char *s = fmt(masks[i]);
		ck_assert_msg(gfp_parse(s, &out, err, sizeof(err)) == 0, "%s: %s", s, err);
		ck_assert_msg(out == masks[i], "%s parsed as %#x, want %#x", s, out, masks[i]);
	}
	for (int bit = 0; bit < 27; bit++) {
		gfp_t out = 0, g = 1u << bit;
		const char *s = fmt(g);
		ck_assert_msg(gfp_parse(s, &out, err, sizeof(err)) == 0, "%s: %s", s, err);
		ck_assert_uint_eq(out, g);
	}
}
END_TEST

START_TEST(test_parse)
{
	gfp_t g;
	char err[256];

	ck_assert_int_eq(gfp_parse("GFP_KERNEL|GFP_ZERO", &g, err, sizeof(err)), 0);
	ck_assert_uint_eq(g, 0xdc0);
	ck_assert_int_eq(gfp_parse("GFP_ATOMIC | GFP_NOWARN", &g, err, sizeof(err)), 0);
	ck_assert_uint_eq(g, 0x2a20);
	ck_assert_int_eq(gfp_parse("GFP_KERNEL|GFP_NOMEMALLOC|__GFP_NORETRY", &g, err, sizeof(err)), 0);
	ck_assert_uint_eq(g, 0xcc0 | 0x80000 | 0x10000);
	ck_assert_int_eq(gfp_parse("GFP_NOFS|__GFP_REPEAT", &g, err, sizeof(err)), 0);
	ck_assert_uint_eq(g, 0xc40 | 0x4000);
	ck_assert_int_eq(gfp_parse("0xdc0", &g, err, sizeof(err)), 0);
	ck_assert_uint_eq(g, 0xdc0);
	ck_assert_int_eq(gfp_parse("none", &g, err, sizeof(err)), 0);
	ck_assert_uint_eq(g, 0);
	ck_assert_int_eq(gfp_parse("GFP_KERNEL|0x100", &g, err, sizeof(err)), 0);
	ck_assert_uint_eq(g, 0xdc0);
	ck_assert_int_eq(gfp_parse("GFP_KERNAL", &g, err, sizeof(err)), -22);
	ck_assert_ptr_nonnull(strstr(err, "GFP_KERNAL"));
	ck_assert_int_eq(gfp_parse("", &g, err, sizeof(err)), -22);
	ck_assert_int_eq(gfp_parse("GFP_KERNEL||__GFP_ZERO", &g, err, sizeof(err)), -22);
	ck_assert_int_eq(gfp_parse("GFP_KERNEL __GFP_ZERO", &g, err, sizeof(err)), -22);
	ck_assert_int_eq(gfp_parse("0xzz", &g, NULL, 0), -22);
	ck_assert_int_eq(gfp_parse("0x1ffffffff", &g, NULL, 0), -22);
}
END_TEST

START_TEST(test_scope)
{
	unsigned a, b;

	ck_assert_uint_eq(current_gfp_context(GFP_KERNEL), GFP_KERNEL);
	a = memalloc_nofs_save();
	ck_assert_uint_eq(current_gfp_context(GFP_KERNEL), GFP_NOFS);
	b = memalloc_noio_save();
	ck_assert_uint_eq(current_gfp_context(GFP_KERNEL), GFP_NOIO);
	ck_assert_uint_eq(current_gfp_context(GFP_KERNEL | __GFP_ZERO), GFP_NOIO | __GFP_ZERO);
	memalloc_noio_restore(b);
	ck_assert_uint_eq(current_gfp_context(GFP_KERNEL), GFP_NOFS);
	/* nesting: an inner save returns the bit already set, restore keeps it */
	b = memalloc_nofs_save();
	ck_assert_uint_eq(b, PF_MEMALLOC_NOFS);
	memalloc_nofs_restore(b);
	ck_assert_uint_eq(current_gfp_context(GFP_KERNEL), GFP_NOFS);
	memalloc_nofs_restore(a);
	ck_assert_uint_eq(current_gfp_context(GFP_KERNEL), GFP_KERNEL);
	a = memalloc_noreclaim_save();
	ck_assert(current->flags & PF_MEMALLOC);
	memalloc_noreclaim_restore(a);
	ck_assert(!(current->flags & PF_MEMALLOC));
	a = memalloc_pin_save();
	ck_assert_uint_eq(current_gfp_context(GFP_HIGHUSER_MOVABLE), GFP_HIGHUSER);
	memalloc_pin_restore(a);
	ck_assert_uint_eq(PF_MEMALLOC, 0x800);
	ck_assert_uint_eq(PF_KSWAPD, 0x20000);
	ck_assert_uint_eq(PF_MEMALLOC_NOFS, 0x40000);
	ck_assert_uint_eq(PF_MEMALLOC_NOIO, 0x80000);
}
END_TEST

Suite *gfp_suite(void)
{
	Suite *s = suite_create("gfp");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_zone_migratetype);
	tcase_add_test(tc, test_print);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_scope);
	suite_add_tcase(s, tc);
	return s;
}
