/* SPDX-License-Identifier: MIT */
/*
 * tests/check_cli.c — the mmsim command line end to end: help, exit codes,
 * bad input messages, a complete results folder, determinism, interruption.
 *
 * These tests run the built binary ($MMSIM, set by `make check`).
 */
#include <check.h>
#include <jansson.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sim/cli.h"
#include "tests/suites.h"
#include "tests/testutil.h"

static const char *tiny_scenario =
	"name: tiny\n"
	"seed: 7\n"
	"duration: 2ms\n"
	"sample_interval: 100us\n"
	"tasks:\n"
	"  - workload: ticker\n"
	"    procs: 3\n"
	"    rate: 100k/s\n";

/* Run mmsim; *out / *err stay valid until the next call (which frees them). */
static int run(const char *const *args, char **out, char **err)
{
	static char *last_out, *last_err;
	int rc;

	free(last_out);
	free(last_err);
	last_out = last_err = NULL;
	rc = test_run_mmsim(args, &last_out, &last_err);
	ck_assert_msg(rc >= 0, "could not run mmsim");
	*out = last_out;
	*err = last_err;
	return rc;
}

START_TEST(test_help_and_version)
{
	char *out, *err;

	ck_assert_int_eq(run((const char *[]){ "--help", NULL }, &out, &err), 0);
	ck_assert_ptr_nonnull(strstr(out, "Usage: mmsim COMMAND"));
	ck_assert_ptr_nonnull(strstr(out, "78   bad scenario"));
	ck_assert_ptr_nonnull(strstr(out, "  run "));
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(run((const char *[]){ "--version", NULL }, &out, &err), 0);
	ck_assert_ptr_nonnull(strstr(out, "mmsim "));
	ck_assert_int_eq(run((const char *[]){ "run", "--help", NULL }, &out, &err), 0);
	ck_assert_ptr_nonnull(strstr(out, "--set KEY=VALUE"));
}
END_TEST

START_TEST(test_usage_errors)
{
	char *out, *err;
	const char *scen = test_write_file("u.yaml", tiny_scenario);

	ck_assert_int_eq(run((const char *[]){ "frobnicate", NULL }, &out, &err), MMSIM_EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(err, "unknown command 'frobnicate'"));
	ck_assert_int_eq(run((const char *[]){ NULL }, &out, &err), MMSIM_EXIT_USAGE);
	ck_assert_int_eq(run((const char *[]){ "run", NULL }, &out, &err), MMSIM_EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(err, "missing SCENARIO"));
	ck_assert_int_eq(run((const char *[]){ "run", scen, "--timing", "maybe", NULL }, &out, &err),
			 MMSIM_EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(err, "--timing expects 'on' or 'off', got 'maybe'"));
	ck_assert_int_eq(run((const char *[]){ "run", scen, "--bogus", NULL }, &out, &err), MMSIM_EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(err, "unknown option '--bogus'"));
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(test_missing_scenario)
{
	char *out, *err;

	ck_assert_int_eq(run((const char *[]){ "run", "/nonexistent/x.yaml", NULL }, &out, &err),
			 MMSIM_EXIT_NOINPUT);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/x.yaml: No such file or directory"));
}
END_TEST

/* Each bad scenario must name file:line:col, the key and what was expected. */
START_TEST(test_config_errors)
{
	char *out, *err, *dir;
	const char *p;

	p = test_write_file("unknown.yaml", "duration: 1ms\ndurtion: 2ms\n");
	ck_assert_int_eq(run((const char *[]){ "run", p, "-o", "/tmp/x", NULL }, &out, &err), MMSIM_EXIT_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "unknown.yaml:2:1: unknown key 'durtion'"));

	p = test_write_file("badunit.yaml", "duration: 10 parsecs\n");
	ck_assert_int_eq(run((const char *[]){ "run", p, NULL }, &out, &err), MMSIM_EXIT_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "badunit.yaml:1:11: duration:"));

	p = test_write_file("badtask.yaml", "tasks:\n  - workload: nope\n");
	ck_assert_int_eq(run((const char *[]){ "run", p, NULL }, &out, &err), MMSIM_EXIT_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "badtask.yaml:2:15: tasks.0.workload: expected one of: ticker,"));
	ck_assert_ptr_nonnull(strstr(err, ", got 'nope'"));

	p = test_write_file("range.yaml", "tasks:\n  - workload: ticker\n    procs: 0\n");
	ck_assert_int_eq(run((const char *[]){ "run", p, NULL }, &out, &err), MMSIM_EXIT_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "range.yaml:3:12: tasks.0.procs: expected"));

	p = test_write_file("syntax.yaml", "tasks: [\n  - a\n");
	ck_assert_int_eq(run((const char *[]){ "run", p, NULL }, &out, &err), MMSIM_EXIT_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "syntax.yaml:"));

	p = test_write_file("set.yaml", tiny_scenario);
	ck_assert_int_eq(run((const char *[]){ "run", p, "--set", "tasks.0.rate=fast", NULL }, &out, &err),
			 MMSIM_EXIT_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "tasks.0.rate: expected"));
	ck_assert_int_eq(run((const char *[]){ "run", p, "--set", "novalue", NULL }, &out, &err),
			 MMSIM_EXIT_CONFIG);

	/* A config error must not leave a results folder behind. */
	dir = (char *)test_write_file("placeholder", "");
	strcpy(strrchr(dir, '/'), "/noresults");
	ck_assert_int_eq(run((const char *[]){ "run", p, "--set", "seed=-3", "-o", dir, NULL }, &out, &err),
			 MMSIM_EXIT_CONFIG);
	ck_assert_int_ne(access(dir, F_OK), 0);
}
END_TEST

static char *outdir(const char *name)
{
	static char buf[4][512];
	static int slot;
	char *b = buf[slot++ & 3];

	snprintf(b, 512, "%s/%s", test_tmpdir(), name);
	return b;
}

static json_t *load_summary_without_host(const char *dir)
{
	char path[600];
	json_error_t jerr;
	json_t *j;

	snprintf(path, sizeof(path), "%s/summary.json", dir);
	j = json_load_file(path, 0, &jerr);
	ck_assert_msg(j != NULL, "summary.json: %s", jerr.text);
	json_object_del(j, "host");
	return j;
}

START_TEST(test_run_writes_results)
{
	char *out, *err, path[600], *text;
	const char *scen = test_write_file("run.yaml", tiny_scenario);
	const char *dir = outdir("run1");
	static const char *const files[] = {
		"config.yaml", "summary.json", "stats.jsonl", "latency.csv", "dmesg.log",
	};

	ck_assert_int_eq(run((const char *[]){ "run", scen, "-o", dir, "--quiet", NULL }, &out, &err), 0);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		ck_assert_msg(access(path, R_OK) == 0, "%s missing", path);
		snprintf(path, sizeof(path), "%s/%s.tmp", dir, files[i]);
		ck_assert_msg(access(path, F_OK) != 0, "%s left behind", path);
	}
	/* The resolved config has the defaults filled in. */
	snprintf(path, sizeof(path), "%s/config.yaml", dir);
	text = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(strstr(text, "quantum"));
	ck_assert_ptr_nonnull(strstr(text, "timeout"));
	free(text);
	/* One sample per interval: 2 ms / 100 us = 20 intervals plus t=0. */
	snprintf(path, sizeof(path), "%s/stats.jsonl", dir);
	text = test_read_file(path, NULL);
	int lines = 0;
	for (char *c = text; *c; c++)
		lines += *c == '\n';
	ck_assert_int_eq(lines, 21);
	free(text);

	json_t *s = load_summary_without_host(dir);
	json_t *runobj = json_object_get(s, "run");
	ck_assert_str_eq(json_string_value(json_object_get(runobj, "status")), "completed");
	json_t *ctr = json_object_get(json_object_get(s, "stats"), "counters");
	ck_assert(json_integer_value(json_object_get(ctr, "workload.ticker-0.items")) > 0);
	json_decref(s);
}
END_TEST

START_TEST(test_determinism)
{
	char *out, *err;
	const char *scen = test_write_file("det.yaml", tiny_scenario);
	const char *a = outdir("detA"), *b = outdir("detB");
	char pa[600], pb[600];

	ck_assert_int_eq(run((const char *[]){ "run", scen, "-o", a, "-q", NULL }, &out, &err), 0);
	ck_assert_int_eq(run((const char *[]){ "run", scen, "-o", b, "-q", NULL }, &out, &err), 0);
	json_t *ja = load_summary_without_host(a), *jb = load_summary_without_host(b);
	json_object_del(json_object_get(ja, "mmsim"), "command_line");
	json_object_del(json_object_get(jb, "mmsim"), "command_line");
	char *sa = json_dumps(ja, JSON_SORT_KEYS), *sb = json_dumps(jb, JSON_SORT_KEYS);
	ck_assert_str_eq(sa, sb);
	static const char *const same[] = { "stats.jsonl", "latency.csv", "config.yaml" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(pa, sizeof(pa), "%s/%s", a, same[i]);
		snprintf(pb, sizeof(pb), "%s/%s", b, same[i]);
		char *ta = test_read_file(pa, NULL), *tb = test_read_file(pb, NULL);
		ck_assert_ptr_nonnull(ta);
		ck_assert_msg(strcmp(ta, tb) == 0, "%s differs between identical runs", same[i]);
		free(ta);
		free(tb);
	}
	/* A different seed gives a different run. */
	const char *c = outdir("detC");
	ck_assert_int_eq(run((const char *[]){ "run", scen, "-o", c, "--seed", "8", "-q", NULL }, &out, &err), 0);
	json_t *jc = load_summary_without_host(c);
	json_object_del(json_object_get(jc, "mmsim"), "command_line");
	char *sc = json_dumps(jc, JSON_SORT_KEYS);
	ck_assert_str_ne(sa, sc);
	free(sa);
	free(sb);
	free(sc);
	json_decref(ja);
	json_decref(jb);
	json_decref(jc);
}
END_TEST

START_TEST(test_interrupt_keeps_results)
{
	const char *bin = getenv("MMSIM") ? getenv("MMSIM") : "build/mmsim";
	const char *scen = test_write_file("long.yaml",
		"duration: 100s\nsample_interval: 1ms\ntasks:\n  - workload: ticker\n    procs: 8\n");
	const char *dir = outdir("intr");
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open("/dev/null", 1);
		dup2(fd, 1);
		dup2(fd, 2);
		execl(bin, bin, "run", scen, "-o", dir, "-q", (char *)NULL);
		_exit(127);
	}
	usleep(400 * 1000);
	kill(pid, SIGINT);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), MMSIM_EXIT_INTERRUPTED);
	json_t *s = load_summary_without_host(dir);
	json_t *r = json_object_get(s, "run");
	ck_assert(json_is_true(json_object_get(r, "interrupted")));
	ck_assert_str_eq(json_string_value(json_object_get(r, "status")), "interrupted");
	json_decref(s);
	char path[600];
	snprintf(path, sizeof(path), "%s/stats.jsonl", dir);
	ck_assert_int_eq(access(path, R_OK), 0);
}
END_TEST

START_TEST(test_list_workloads)
{
	char *out, *err;

	ck_assert_int_eq(run((const char *[]){ "list-workloads", NULL }, &out, &err), 0);
	ck_assert_ptr_nonnull(strstr(out, "ticker"));
	ck_assert_ptr_nonnull(strstr(out, "rate"));
	ck_assert_ptr_nonnull(strstr(out, "100k/s"));
}
END_TEST

START_TEST(test_sweep_rows)
{
	char *out, *err, path[600], *text;
	const char *scen = test_write_file("sw.yaml", tiny_scenario);
	const char *csv = test_write_file("sweep.csv",
		"# rate sweep\nname,tasks.0.rate,seed\nslow,50k/s,3\n\"fast\",\"150k/s\",\n");
	const char *dir = outdir("sweep1");

	ck_assert_int_eq(run((const char *[]){ "run", scen, "--sweep", csv, "--index", "1", "-o", dir, "-q", NULL },
			     &out, &err), 0);
	snprintf(path, sizeof(path), "%s/config.yaml", dir);
	text = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(strstr(text, "rate: 150k/s"));
	ck_assert_ptr_nonnull(strstr(text, "seed: 7"));         /* empty cell keeps the scenario's */
	free(text);
	/* --set wins over the sweep row. */
	ck_assert_int_eq(run((const char *[]){ "run", scen, "--sweep", csv, "--index", "0", "--set",
					      "tasks.0.rate=60k/s", "-o", dir, "-q", NULL }, &out, &err), 0);
	text = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(strstr(text, "rate: 60k/s"));
	ck_assert_ptr_nonnull(strstr(text, "seed: 3"));
	free(text);
	ck_assert_int_eq(run((const char *[]){ "run", scen, "--sweep", csv, "--index", "2", NULL }, &out, &err),
			 MMSIM_EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(err, "row 2 does not exist (the file has 2 data rows, 0..1)"));
	csv = test_write_file("bad.csv", "tasks.0.rate,seed\n1k/s\n");
	ck_assert_int_eq(run((const char *[]){ "run", scen, "--sweep", csv, "--index", "0", NULL }, &out, &err),
			 MMSIM_EXIT_DATAERR);
	ck_assert_ptr_nonnull(strstr(err, "bad.csv:2: expected 2 fields like the header, got 1"));
	ck_assert_int_eq(run((const char *[]){ "run", scen, "--sweep", "/nonexistent.csv", "--index", "0", NULL },
			     &out, &err), MMSIM_EXIT_NOINPUT);
	ck_assert_int_eq(run((const char *[]){ "run", scen, "--sweep", csv, "--index", "x", NULL }, &out, &err),
			 MMSIM_EXIT_USAGE);
}
END_TEST

START_TEST(test_compare_runs)
{
	char *out, *err;
	const char *scen = test_write_file("cmp.yaml", tiny_scenario);
	const char *a = outdir("cmpA"), *b = outdir("cmpB");

	ck_assert_int_eq(run((const char *[]){ "run", scen, "-o", a, "-q", NULL }, &out, &err), 0);
	ck_assert_int_eq(run((const char *[]){ "run", scen, "-o", b, "-q", "--set", "tasks.0.procs=6", NULL },
			     &out, &err), 0);
	ck_assert_int_eq(run((const char *[]){ "compare", a, b, "--metrics", "workload.ticker-0.items", NULL },
			     &out, &err), 0);
	/* Twice the producers: about twice the items, shown with a relative change. */
	ck_assert_ptr_nonnull(strstr(out, "counter  workload.ticker-0.items"));
	ck_assert_ptr_nonnull(strstr(out, "cmpA"));
	char *pct = strstr(out, "( ");
	ck_assert_ptr_nonnull(pct);
	double change = strtod(pct + 1, NULL);
	ck_assert_msg(change > 80 && change < 120, "change %.2f%%", change);
	ck_assert_ptr_null(strstr(out, "queue_delay"));   /* filtered out */
	ck_assert_int_eq(run((const char *[]){ "compare", a, b, "--format", "csv", NULL }, &out, &err), 0);
	ck_assert_ptr_nonnull(strstr(out, "kind,metric,cmpA,cmpB\n"));
	ck_assert_ptr_nonnull(strstr(out, "p99,workload.ticker-0.queue_delay (ns),"));
	ck_assert_int_eq(run((const char *[]){ "compare", a, "/nonexistent", NULL }, &out, &err), MMSIM_EXIT_NOINPUT);
	ck_assert_int_eq(run((const char *[]){ "compare", NULL }, &out, &err), MMSIM_EXIT_USAGE);
}
END_TEST

START_TEST(test_plot_renders)
{
	char *out, *err, path[600];
	const char *scen = test_write_file("plot.yaml", tiny_scenario);
	const char *dir = outdir("plot1");
	unsigned char sig[8];

	ck_assert_int_eq(run((const char *[]){ "run", scen, "-o", dir, "-q", NULL }, &out, &err), 0);
	ck_assert_int_eq(run((const char *[]){ "plot", dir, NULL }, &out, &err), 0);
	static const char *const figs[] = { "activity.png", "latency-cdf.png" };
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/plots/%s", dir, figs[i]);
		FILE *f = fopen(path, "rb");
		ck_assert_msg(f != NULL, "%s missing", path);
		ck_assert_int_eq(fread(sig, 1, 8, f), 8);
		fclose(f);
		ck_assert_msg(!memcmp(sig, "\x89PNG\r\n\x1a\n", 8), "%s is not a PNG", path);
	}
	snprintf(path, sizeof(path), "%s/plots/timeseries.csv", dir);
	char *csv = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(csv);
	ck_assert_int_eq(strncmp(csv, "t,workload.ticker-0.items,", 26), 0);
	free(csv);
	ck_assert_int_eq(run((const char *[]){ "plot", "/nonexistent-run", NULL }, &out, &err), MMSIM_EXIT_NOINPUT);
}
END_TEST

/* Nothing killable (the only task has oom_score_adj -1000): the kernel panics, the run ends. */
START_TEST(test_oom_panic_ends_run)
{
	char *out, *err, path[600];
	const char *scen = test_write_file("panic.yaml",
		"duration: 2s\nmachine: {preset: tiny, memory_per_node: 160MiB}\ntasks:\n"
		"  - {workload: anon, name: hog, rate: 1M/s, working_set: 0, oom_score_adj: -1000}\n");
	const char *dir = outdir("panic");

	ck_assert_int_eq(run((const char *[]){ "run", scen, "-o", dir, "-q", NULL }, &out, &err), MMSIM_EXIT_FAIL);
	ck_assert_ptr_nonnull(strstr(out, "status: panic: System is deadlocked on memory"));
	json_t *s = load_summary_without_host(dir);
	json_t *r = json_object_get(s, "run");
	ck_assert_str_eq(json_string_value(json_object_get(r, "status")), "panic: System is deadlocked on memory");
	ck_assert_int_eq(json_integer_value(json_object_get(r, "exit_code")), MMSIM_EXIT_FAIL);
	ck_assert(json_number_value(json_object_get(r, "sim_seconds")) < 1.0);   /* stopped early */
	json_decref(s);
	snprintf(path, sizeof(path), "%s/dmesg.log", dir);
	char *log = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(strstr(log, "Out of memory and no killable processes..."));
	ck_assert_ptr_nonnull(strstr(log, "Kernel panic - not syncing: System is deadlocked on memory"));
	free(log);
}
END_TEST

Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_help_and_version);
	tcase_add_test(tc, test_usage_errors);
	tcase_add_test(tc, test_missing_scenario);
	tcase_add_test(tc, test_config_errors);
	tcase_add_test(tc, test_run_writes_results);
	tcase_add_test(tc, test_determinism);
	tcase_add_test(tc, test_interrupt_keeps_results);
	tcase_add_test(tc, test_list_workloads);
	tcase_add_test(tc, test_sweep_rows);
	tcase_add_test(tc, test_compare_runs);
	tcase_add_test(tc, test_plot_renders);
	tcase_add_test(tc, test_oom_panic_ends_run);
	suite_add_tcase(s, tc);
	return s;
}
