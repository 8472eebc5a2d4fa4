/* SPDX-License-Identifier: MIT */
/*
 * tests/check_results.c — results folder: mkdir -p, atomic files (.tmp then
 * rename), flush on interruption, summary.json contents and determinism,
 * default folder name.
 */
#include <check.h>
#include <errno.h>
#include <jansson.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/results.h"
#include "sim/stats.h"
#include "tests/suites.h"
#include "tests/testutil.h"

static bool exists(const char *p)
{
	return access(p, F_OK) == 0;
}

static const char *sub(const char *a, const char *b)
{
	static char bufs[4][600];
	static int slot;
	char *p = bufs[slot++ & 3];

	snprintf(p, 600, "%s/%s", a, b);
	return p;
}

START_TEST(open_creates_parents)
{
	const char *dir = sub(test_tmpdir(), "a/b/c/");
	struct results *r = results_open(dir);
	char buf[700];

	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(results_dir(r), sub(test_tmpdir(), "a/b/c"));
	struct stat st;
	ck_assert_int_eq(stat(results_dir(r), &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_str_eq(results_path(r, "proc/zoneinfo", buf, sizeof(buf)),
			 sub(results_dir(r), "proc/zoneinfo"));
	results_close(r);
	/* reopening an existing folder is fine */
	r = results_open(dir);
	ck_assert_ptr_nonnull(r);
	results_close(r);
	/* a file in the way is an error */
	const char *file = test_write_file("plainfile", "x");
	errno = 0;
	ck_assert_ptr_null(results_open(file));
	ck_assert_int_eq(errno, ENOTDIR);
}
END_TEST

START_TEST(atomic_write)
{
	struct results *r = results_open(sub(test_tmpdir(), "run1"));
	char fin[700], tmp[720];
	FILE *f;

	ck_assert_ptr_nonnull(r);
	f = results_fopen(r, "proc/buddyinfo");
	ck_assert_ptr_nonnull(f);
	results_path(r, "proc/buddyinfo", fin, sizeof(fin));
	snprintf(tmp, sizeof(tmp), "%s.tmp", fin);
	fputs("Node 0, zone   Normal\n", f);
	fflush(f);
	ck_assert(!exists(fin));
	ck_assert(exists(tmp));
	ck_assert_int_eq(results_fclose(r, f), 0);
	ck_assert(exists(fin));
	ck_assert(!exists(tmp));
	char *c = test_read_file(fin, NULL);
	ck_assert_str_eq(c, "Node 0, zone   Normal\n");
	free(c);
	ck_assert_int_eq(results_fclose(r, NULL), 0);
	FILE *other = fopen(sub(test_tmpdir(), "stray"), "w");
	ck_assert_int_eq(results_fclose(r, other), -EINVAL);
	fclose(other);
	ck_assert_ptr_null(results_fopen(r, "/abs"));
	FILE *g = results_fopen(r, "x.txt");
	errno = 0;
	ck_assert_ptr_null(results_fopen(r, "x.txt"));
	ck_assert_int_eq(errno, EBUSY);
	ck_assert_int_eq(results_fclose(r, g), 0);
	results_close(r);
}
END_TEST

START_TEST(flush_all_on_interrupt)
{
	struct results *r = results_open(sub(test_tmpdir(), "run2"));
	FILE *a = results_fopen(r, "stats.jsonl");
	FILE *b = results_fopen(r, "dmesg.log");
	FILE *c = results_fopen(r, "latency.csv");
	char p[700];

	ck_assert(a && b && c);
	fputs("{\"t\":0}\n", a);
	fputs("[    0.000000] hello\n", b);
	ck_assert_int_eq(results_fclose(r, c), 0);
	results_flush_all(r);
	ck_assert(exists(results_path(r, "stats.jsonl", p, sizeof(p))));
	ck_assert(!exists(strcat(p, ".tmp")));
	ck_assert(exists(results_path(r, "dmesg.log", p, sizeof(p))));
	ck_assert(exists(results_path(r, "latency.csv", p, sizeof(p))));
	char *s = test_read_file(results_path(r, "dmesg.log", p, sizeof(p)), NULL);
	ck_assert_str_eq(s, "[    0.000000] hello\n");
	free(s);
	/* closing after a flush is harmless */
	results_flush_all(r);
	results_close(r);
}
END_TEST

static double g5(void *ctx)
{
	return 5;
}

static char *summary_for(const char *name, bool interrupted)
{
	struct results *r = results_open(sub(test_tmpdir(), name));
	struct run_info ri = {
		.scenario = "workloads/scenarios/default.yaml",
		.command_line = "mmsim run workloads/scenarios/default.yaml --seed 7",
		.seed = 7,
		.sim_time_ps = 2500000000000ULL,
		.host_seconds = 0.25,
		.events = 1000,
		.interrupted = interrupted,
		.status = interrupted ? "interrupted" : "completed",
		.exit_code = interrupted ? 130 : 0,
	};
	json_t *extra = json_pack("{s:{s:i}}", "machine", "nodes", 2);
	char p[700];

	*stat_counter("mm.pgalloc_normal", "pages", NULL, 0) = 11;
	stat_gauge("node0.nr_free_pages", "pages", NULL, 0, g5, NULL);
	struct hist *h = stat_hist("lat.alloc", "ps", NULL);
	hist_reset(h);
	for (int i = 1; i <= 1000; i++)
		hist_add(h, (uint64_t)i * 100);
	ck_assert_int_eq(results_write_summary(r, &ri, extra), 0);
	json_decref(extra);
	char *s = test_read_file(results_path(r, "summary.json", p, sizeof(p)), NULL);
	ck_assert(!exists(strcat(p, ".tmp")));
	results_close(r);
	return s;
}

START_TEST(summary_contents)
{
	char *s = summary_for("sum1", false);
	json_error_t err;
	json_t *j = json_loads(s, 0, &err);

	ck_assert_msg(j != NULL, "%s", err.text);
	json_t *m = json_object_get(j, "mmsim");
	ck_assert(json_is_string(json_object_get(m, "version")));
	ck_assert(json_is_string(json_object_get(m, "git")));
	ck_assert_str_eq(json_string_value(json_object_get(m, "scenario")),
			 "workloads/scenarios/default.yaml");
	ck_assert_str_eq(json_string_value(json_object_get(m, "command_line")),
			 "mmsim run workloads/scenarios/default.yaml --seed 7");
	ck_assert_int_eq(json_integer_value(json_object_get(m, "seed")), 7);
	json_t *run = json_object_get(j, "run");
	ck_assert_str_eq(json_string_value(json_object_get(run, "status")), "completed");
	ck_assert(json_is_false(json_object_get(run, "interrupted")));
	ck_assert(json_number_value(json_object_get(run, "sim_seconds")) == 2.5);
	ck_assert_int_eq(json_integer_value(json_object_get(run, "events")), 1000);
	ck_assert_int_eq(json_integer_value(json_object_get(run, "exit_code")), 0);
	json_t *host = json_object_get(j, "host");
	ck_assert(json_number_value(json_object_get(host, "host_seconds")) == 0.25);
	ck_assert(json_number_value(json_object_get(host, "events_per_host_second")) == 4000);
	ck_assert(json_is_string(json_object_get(host, "start_time")));
	json_t *st = json_object_get(j, "stats");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(st, "counters"),
							    "mm.pgalloc_normal")), 11);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(st, "gauges"),
							    "node0.nr_free_pages")), 5);
	json_t *h = json_object_get(json_object_get(st, "histograms"), "lat.alloc");
	ck_assert_int_eq(json_integer_value(json_object_get(h, "count")), 1000);
	ck_assert_int_eq(json_integer_value(json_object_get(h, "max")), 100000);
	json_int_t p99 = json_integer_value(json_object_get(h, "p99"));
	ck_assert_msg(llabs(p99 - 99000) <= 990, "p99=%lld", (long long)p99);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "machine"),
							    "nodes")), 2);
	/* key order: mmsim, run, host, stats, extras */
	const char *order[] = { "mmsim", "run", "host", "stats", "machine" };
	const char *prev = s;
	for (int i = 0; i < 5; i++) {
		char key[32];
		snprintf(key, sizeof(key), "\n  \"%s\":", order[i]);
		const char *at = strstr(s, key);
		ck_assert_msg(at && at > prev, "key %s out of order", order[i]);
		prev = at;
	}
	ck_assert(s[strlen(s) - 1] == '\n');
	json_decref(j);
	free(s);
}
END_TEST

/* Remove the "host" object so two runs can be compared byte for byte. */
static char *strip_host(const char *s)
{
	json_t *j = json_loads(s, 0, NULL);
	char *out;

	ck_assert_ptr_nonnull(j);
	json_object_del(j, "host");
	out = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	return out;
}

START_TEST(summary_deterministic)
{
	char *a = summary_for("det1", false), *b = summary_for("det2", false);
	char *sa = strip_host(a), *sb = strip_host(b);

	ck_assert_str_eq(sa, sb);
	free(a);
	free(b);
	free(sa);
	free(sb);
	stats_shutdown();
}
END_TEST

START_TEST(summary_interrupted)
{
	char *s = summary_for("intr", true);
	json_t *j = json_loads(s, 0, NULL);
	json_t *run = json_object_get(j, "run");

	ck_assert(json_is_true(json_object_get(run, "interrupted")));
	ck_assert_str_eq(json_string_value(json_object_get(run, "status")), "interrupted");
	ck_assert_int_eq(json_integer_value(json_object_get(run, "exit_code")), 130);
	json_decref(j);
	free(s);
}
END_TEST

START_TEST(default_dir_name)
{
	char buf[256];
	regex_t re;

	ck_assert_int_eq(regcomp(&re, "^results/default-[0-9]{8}T[0-9]{6}Z$", REG_EXTENDED), 0);
	results_default_dir("workloads/scenarios/default.yaml", buf, sizeof(buf));
	ck_assert_msg(regexec(&re, buf, 0, NULL, 0) == 0, "%s", buf);
	results_default_dir("default.yml", buf, sizeof(buf));
	ck_assert_msg(regexec(&re, buf, 0, NULL, 0) == 0, "%s", buf);
	results_default_dir("default", buf, sizeof(buf));
	ck_assert_msg(regexec(&re, buf, 0, NULL, 0) == 0, "%s", buf);
	regfree(&re);
	results_default_dir(NULL, buf, sizeof(buf));
	ck_assert(!strncmp(buf, "results/run-", 12));
}
END_TEST

Suite *results_suite(void)
{
	Suite *s = suite_create("results");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, open_creates_parents);
	tcase_add_test(tc, atomic_write);
	tcase_add_test(tc, flush_all_on_interrupt);
	tcase_add_test(tc, summary_contents);
	tcase_add_test(tc, summary_deterministic);
	tcase_add_test(tc, summary_interrupted);
	tcase_add_test(tc, default_dir_name);
	suite_add_tcase(s, tc);
	return s;
}
