/* SPDX-License-Identifier: MIT */
/*
 * tests/check_trace.c — the ftrace-format event log: header, line prefix
 * widths, time stamps, entry counts fixed at close, enable specs, %p hashing.
 */
#define _GNU_SOURCE
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/trace.h"
#include "tests/suites.h"
#include "tests/testutil.h"

static uint64_t fake_now;
static uint64_t fake_clock(void)
{
	return fake_now;
}

static struct trace_ctx next_ctx;
static void fake_ctx(struct trace_ctx *out)
{
	*out = next_ctx;
}

static const char *header_fmt =
	"# tracer: nop\n"
	"#\n"
	"# entries-in-buffer/entries-written: %s/%s   #P:%d\n"
	"#\n"
	"#                                _-----=> irqs-off/BH-disabled\n"
	"#                               / _----=> need-resched\n"
	"#                              | / _---=> hardirq/softirq\n"
	"#                              || / _--=> preempt-depth\n"
	"#                              ||| / _-=> migrate-disable\n"
	"#                              |||| /     delay\n"
	"#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
	"#              | |         |   |||||     |         |\n";

static char *expected_header(const char *n, int cpus)
{
	char *s;

	ck_assert(asprintf(&s, header_fmt, n, n, cpus) > 0);
	return s;
}

static const char *path_of(const char *name)
{
	static char p[512];

	snprintf(p, sizeof(p), "%s/%s", test_tmpdir(), name);
	return p;
}

START_TEST(empty_trace_header)
{
	const char *p = path_of("empty.trace");
	char *want = expected_header("0", 4), *got;

	trace_set_clock(fake_clock);
	ck_assert_int_eq(trace_open(p, 4), 0);
	ck_assert(trace_is_open());
	ck_assert_int_eq(trace_open(p, 4), -16);      /* -EBUSY */
	ck_assert_int_eq(trace_close(), 0);
	got = test_read_file(p, NULL);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
	trace_shutdown();
}
END_TEST

START_TEST(line_format)
{
	const char *p = path_of("lines.trace");
	struct trace_event *ev = trace_event_register("kmem", "kmalloc");
	struct trace_event *pf = trace_event_register("kmem", "mm_page_free");
	char *want, *got, *hdr = expected_header("3", 2);

	trace_set_clock(fake_clock);
	ck_assert_int_eq(trace_enable("kmem"), 10);
	ck_assert(trace_on(ev));
	ck_assert_int_eq(trace_open(p, 2), 0);

	/* default prefix */
	fake_now = 123456789123456ULL;                 /* 123.456789123456 s */
	trace_emit(ev, "call_site=%s ptr=%016" PRIx64 " bytes_req=%d", "foo+0x10/0x40",
		   trace_hash_ptr(0), 384);
	/* installed prefix */
	trace_set_ctx_fn(fake_ctx);
	next_ctx = (struct trace_ctx){ "bash", 1234, 2, "d.s1." };
	fake_now = 5 * 1000000000000ULL + 7000000;     /* 5.000007 s */
	trace_emit(pf, "page=%016" PRIx64 " pfn=0x%lx order=%d", (uint64_t)0, 0x182190ul, 2);
	next_ctx = (struct trace_ctx){ "kworker/10:1", 12345678, 110, "....." };
	fake_now = 999999 * 1000000000000ULL + 999999999999ULL;
	trace_emit(pf, "x=%d", 1);
	ck_assert_uint_eq(trace_entries(), 3);
	/* atomic: nothing under the final name until close */
	char body[600];
	snprintf(body, sizeof(body), "%s.body.tmp", p);
	ck_assert_int_ne(access(p, F_OK), 0);
	ck_assert_int_eq(access(body, F_OK), 0);
	ck_assert_int_eq(trace_close(), 0);
	ck_assert_int_ne(access(body, F_OK), 0);
	ck_assert(!trace_is_open());

	ck_assert(asprintf(&want, "%s"
			   "          <idle>-0       [000] .....   123.456789: kmalloc: call_site=foo+0x10/0x40 ptr=0000000000000000 bytes_req=384\n"
			   "            bash-1234    [002] d.s1.     5.000007: mm_page_free: page=0000000000000000 pfn=0x182190 order=2\n"
			   "    kworker/10:1-12345678 [110] ..... 999999.999999: mm_page_free: x=1\n",
			   hdr) > 0);
	got = test_read_file(p, NULL);
	ck_assert_str_eq(got, want);
	ck_assert_uint_eq(ev->emitted, 1);
	ck_assert_uint_eq(pf->emitted, 2);
	/* no temporary file left behind */
	char tmp[600];
	snprintf(tmp, sizeof(tmp), "%s.tmp", p);
	ck_assert_int_ne(access(tmp, F_OK), 0);
	free(want);
	free(got);
	free(hdr);
	trace_shutdown();
}
END_TEST

START_TEST(many_lines_count)
{
	const char *p = path_of("many.trace");
	struct trace_event *ev = trace_event_register("vmscan", "mm_vmscan_kswapd_wake");
	char *got, *hdr = expected_header("20000", 1);
	size_t len;

	trace_set_clock(fake_clock);
	ck_assert_int_eq(trace_enable("vmscan:mm_vmscan_kswapd_wake"), 1);
	ck_assert_int_eq(trace_open(p, 1), 0);
	for (int i = 0; i < 20000; i++) {
		fake_now = (uint64_t)i * 1000000;
		trace_emit(ev, "nid=%d order=%d", i % 4, 0);
	}
	ck_assert_int_eq(trace_close(), 0);
	got = test_read_file(p, &len);
	ck_assert(!strncmp(got, hdr, strlen(hdr)));
	int lines = 0;
	for (size_t i = strlen(hdr); i < len; i++)
		lines += got[i] == '\n';
	ck_assert_int_eq(lines, 20000);
	ck_assert(strstr(got, "          <idle>-0       [000] .....     0.019999: "
			      "mm_vmscan_kswapd_wake: nid=3 order=0\n") != NULL);
	free(got);
	free(hdr);
	trace_shutdown();
}
END_TEST

START_TEST(enable_specs)
{
	/* test-only systems, so counts don't depend on the built-in catalogue */
	struct trace_event *a = trace_event_register("tkmem", "talloc");
	struct trace_event *b = trace_event_register("tkmem", "tfree");
	struct trace_event *c = trace_event_register("tscan", "twake");

	ck_assert_ptr_eq(trace_event_register("tkmem", "talloc"), a);
	ck_assert_ptr_eq(trace_find("tkmem", "tfree"), b);
	ck_assert(!trace_on(a) && !trace_on(b) && !trace_on(c));
	ck_assert_int_eq(trace_enable("nosuch"), -1);
	ck_assert_int_eq(trace_enable("tkmem:nosuch"), -1);
	ck_assert_int_eq(trace_enable("nosuch:talloc"), -1);
	ck_assert_int_eq(trace_enable(""), -1);
	ck_assert_int_eq(trace_enable("tkmem:"), -1);
	ck_assert_int_eq(trace_enable(":talloc"), -1);
	ck_assert_int_eq(trace_enable("a:b:c"), -1);
	ck_assert(!trace_on(a) && !trace_on(b) && !trace_on(c));

	ck_assert_int_eq(trace_enable("tkmem:tfree"), 1);
	ck_assert(!trace_on(a) && trace_on(b) && !trace_on(c));
	ck_assert_int_eq(trace_enable("talloc"), 1);   /* bare event name */
	ck_assert(trace_on(a));
	trace_disable_all();
	ck_assert(!trace_on(a) && !trace_on(b) && !trace_on(c));
	ck_assert_int_eq(trace_enable("tscan"), 1);
	ck_assert(!trace_on(a) && !trace_on(b) && trace_on(c));
	trace_disable_all();
	ck_assert_int_eq(trace_enable("tkmem:*"), 2);
	ck_assert(trace_on(a) && trace_on(b) && !trace_on(c));
	/* a spec is remembered for events registered later */
	struct trace_event *d = trace_event_register("tkmem", "tcache_free");
	ck_assert(trace_on(d));
	trace_disable_all();
	int n = trace_enable("all");
	ck_assert_int_gt(n, 4);
	ck_assert(trace_on(a) && trace_on(b) && trace_on(c) && trace_on(d));
	struct trace_event *e = trace_event_register("toom", "tvictim");
	ck_assert(trace_on(e));
	trace_shutdown();
	ck_assert_ptr_null(trace_find("tkmem", "talloc"));
}
END_TEST

START_TEST(catalogue_before_register)
{
	/* The CLI enables specs before mm registers its events. */
	ck_assert_int_eq(trace_enable("kmem:kmalloc"), 1);
	ck_assert_int_eq(trace_enable("oom"), 8);
	ck_assert_int_ge(trace_enable("vmscan"), 5);
	ck_assert_int_ge(trace_enable("compaction:*"), 10);
	ck_assert_int_eq(trace_enable("mm_page_alloc_extfrag"), 1);
	ck_assert_int_eq(trace_enable("kmem:kmalloc_node"), -1);   /* merged into kmalloc in 6.1 */
	struct trace_event *k = trace_event_register("kmem", "kmalloc");
	struct trace_event *f = trace_event_register("kmem", "kfree");
	struct trace_event *x = trace_event_register("kmem", "mm_page_alloc_extfrag");
	struct trace_event *v = trace_event_register("oom", "mark_victim");
	ck_assert(trace_on(k) && !trace_on(f) && trace_on(x) && trace_on(v));
	ck_assert_ptr_eq(trace_find("kmem", "kmalloc"), k);
	trace_shutdown();
}
END_TEST

START_TEST(hash_ptr)
{
	uint64_t h1 = trace_hash_ptr(0xffff888000001000ULL);
	uint64_t h2 = trace_hash_ptr(0xffff888000001040ULL);
	char buf[32];

	ck_assert_uint_eq(trace_hash_ptr(0), 0);
	ck_assert_uint_eq(trace_hash_ptr(0xffff888000001000ULL), h1);   /* deterministic */
	ck_assert_uint_ne(h1, h2);
	ck_assert_uint_le(h1, 0xffffffffULL);
	ck_assert_uint_le(h2, 0xffffffffULL);
	snprintf(buf, sizeof(buf), "%016" PRIx64, h1);
	ck_assert_int_eq(strlen(buf), 16);
	ck_assert(!strncmp(buf, "00000000", 8));
	/* the key changes the hash */
	trace_set_hash_key(1, 2);
	ck_assert_uint_ne(trace_hash_ptr(0xffff888000001000ULL), h1);
	/* spread: 1000 page-aligned pointers give 1000 distinct values */
	uint64_t seen[1000];
	for (int i = 0; i < 1000; i++) {
		seen[i] = trace_hash_ptr(0xffffea0000000000ULL + 64ULL * (uint64_t)i);
		for (int j = 0; j < i; j++)
			ck_assert_uint_ne(seen[i], seen[j]);
	}
}
END_TEST

START_TEST(emit_without_file)
{
	struct trace_event *ev = trace_event_register("kmem", "kfree");

	ck_assert_int_gt(trace_enable("all"), 1);
	trace_emit(ev, "ptr=%d", 1);                  /* no file: counted, not written */
	ck_assert_uint_eq(ev->emitted, 1);
	ck_assert_int_eq(trace_close(), 0);
	ck_assert_int_lt(trace_open("/nonexistent-dir/x/y.trace", 1), 0);
	ck_assert(!trace_is_open());
	/* a non-regular file is streamed to directly */
	ck_assert_int_eq(trace_open("/dev/null", 1), 0);
	trace_emit(ev, "ptr=%d", 2);
	ck_assert_int_eq(trace_close(), 0);
	ck_assert_int_ne(access("/dev/null.body.tmp", F_OK), 0);
	trace_shutdown();
}
END_TEST

Suite *trace_suite(void)
{
	Suite *s = suite_create("trace");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, empty_trace_header);
	tcase_add_test(tc, line_format);
	tcase_add_test(tc, many_lines_count);
	tcase_add_test(tc, enable_specs);
	tcase_add_test(tc, catalogue_before_register);
	tcase_add_test(tc, hash_ptr);
	tcase_add_test(tc, emit_without_file);
	suite_add_tcase(s, tc);
	return s;
}
