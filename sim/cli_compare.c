/* SPDX-License-Identifier: MIT */
/*
 * sim/cli_compare.c — `mmsim compare RUN1 RUN2 ...`: key metrics side by side.
 *
 * Reads each run's summary.json and prints one row per metric and one column
 * per run, with the relative change against the first run, the way mmtests'
 * compare-kernels reports look:
 *
 *   metric                                   base               run2
 *   counter  mm.pgalloc_normal            12,345       13,000 (  5.31%)
 *   p99      kmalloc (ns)                   41.2         55.0 ( 33.50%)
 *
 * Metrics: every counter, and p50/p99/max of every histogram, present in any
 * run (missing cells print "-"); `--metrics a,b` keeps names starting with any
 * of the given prefixes. `--format csv` prints machine-readable rows.
 * `--plot FILE.png [--hist NAME]` overlays the runs' latency CDFs of one
 * histogram (the first common one by default) with gnuplot.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sim/cli.h"

#define MAX_RUNS 32

struct run_summary {
	const char *dir;
	char label[64];
	json_t *root;
	json_t *counters, *hists;
};

static bool wanted(const char *name, char **prefixes, int n)
{
	if (!n)
		return true;
	for (int i = 0; i < n; i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/* 1234567 → "1,234,567" (the thousands grouping perf and mmtests print). */
static void group_digits(double v, char *buf, size_t len)
{
	char tmp[64];
	int n, o = 0;

	if (fabs(v) >= 1e15 || v != floor(v)) {
		snprintf(buf, len, "%.3f", v);
		return;
	}
	n = snprintf(tmp, sizeof(tmp), "%.0f", fabs(v));
	if (v < 0 && o < (int)len - 1)
		buf[o++] = '-';
	for (int i = 0; i < n && o < (int)len - 1; i++) {
		if (i && (n - i) % 3 == 0 && o < (int)len - 1)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = 0;
}

static void print_row(struct run_summary *runs, int nr, const char *kind, const char *name,
		      double *vals, bool *have, bool csv)
{
	char cell[64];

	if (csv) {
		printf("%s,%s", kind, name);
		for (int i = 0; i < nr; i++) {
			if (have[i])
				printf(",%.17g", vals[i]);
			else
				printf(",");
		}
		printf("\n");
		return;
	}
	printf("%-8s %-46s", kind, name);
	for (int i = 0; i < nr; i++) {
		if (!have[i]) {
			printf(" %24s", "-");
			continue;
		}
		group_digits(vals[i], cell, sizeof(cell));
		if (i == 0 || !have[0]) {
			printf(" %24s", cell);
		} else {
			double rel = vals[0] != 0 ? 100.0 * (vals[i] - vals[0]) / fabs(vals[0])
						  : (vals[i] == 0 ? 0.0 : INFINITY);
			char pct[32];

			if (isinf(rel))
				snprintf(pct, sizeof(pct), "(   new )");
			else
				snprintf(pct, sizeof(pct), "(%7.2f%%)", rel);
			printf(" %14s %9s", cell, pct);
		}
	}
	printf("\n");
	(void)runs;
}

/* Union of keys of one object across runs, in first-seen order. */
static int collect_keys(struct run_summary *runs, int nr, bool hists, const char **keys, int max)
{
	int n = 0;

	for (int r = 0; r < nr; r++) {
		json_t *obj = hists ? runs[r].hists : runs[r].counters;
		const char *k;
		json_t *v;

		json_object_foreach(obj, k, v) {
			int j;

			for (j = 0; j < n && strcmp(keys[j], k); j++)
				;
			if (j == n && n < max)
				keys[n++] = k;
		}
	}
	return n;
}

static int plot_cdfs(struct run_summary *runs, int nr, const char *out, const char *hist)
{
	char expr[8192], plotdir[PATH_MAX], exe[PATH_MAX - 32];
	size_t used;
	ssize_t n;
	int status;
	pid_t pid;

	if (getenv("MMSIM_PLOTS")) {
		snprintf(plotdir, sizeof(plotdir), "%s", getenv("MMSIM_PLOTS"));
	} else if (access("plots/common.gp", R_OK) == 0) {
		snprintf(plotdir, sizeof(plotdir), "plots");
	} else if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[n] = 0;
		for (int up = 0; up < 2 && strrchr(exe, '/'); up++)
			*strrchr(exe, '/') = 0;
		snprintf(plotdir, sizeof(plotdir), "%s/plots", exe);
	}
	used = (size_t)snprintf(expr, sizeof(expr), "out='%s'; plotdir='%s'; hist='%s'; runs='", out, plotdir, hist);
	for (int i = 0; i < nr && used < sizeof(expr); i++) {
		if (strchr(runs[i].dir, ' ') || strchr(runs[i].dir, '\'')) {
			fprintf(stderr, "mmsim compare: --plot needs run folders without spaces or quotes: %s\n",
				runs[i].dir);
			return MMSIM_EXIT_USAGE;
		}
		used += (size_t)snprintf(expr + used, sizeof(expr) - used, "%s%s", i ? " " : "", runs[i].dir);
	}
	if (used + 2 >= sizeof(expr))
		return MMSIM_EXIT_USAGE;
	strcat(expr, "'");
	char script[PATH_MAX + 32];
	snprintf(script, sizeof(script), "%s/compare-cdf.gp", plotdir);
	pid = fork();
	if (pid == 0) {
		execlp("gnuplot", "gnuplot", "-e", expr, script, (char *)NULL);
		fprintf(stderr, "mmsim compare: cannot run gnuplot: %s\n", strerror(errno));
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "mmsim compare: gnuplot failed for %s\n", script);
		return MMSIM_EXIT_SOFTWARE;
	}
	printf("plot: %s (CDF of %s)\n", out, hist);
	return MMSIM_EXIT_OK;
}

static void compare_usage(FILE *f)
{
	fprintf(f,
		"Usage: mmsim compare RUN1 RUN2 ... [--metrics PREFIX,...] [--format text|csv]\n"
		"                     [--plot FILE.png [--hist NAME]]\n"
		"\n"
		"Print the runs' counters and latency percentiles side by side, with the relative\n"
		"change against RUN1. --plot overlays the runs' latency CDFs of one histogram.\n");
}

int cmd_compare(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "metrics", required_argument, NULL, 'm' },
		{ "format", required_argument, NULL, 'f' },
		{ "plot", required_argument, NULL, 'p' },
		{ "hist", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct run_summary runs[MAX_RUNS] = { 0 };
	char *prefixes[32], *metrics = NULL;
	const char *plot = NULL, *hist = NULL, *keys[4096];
	int nprefix = 0, nr = 0, c, rc = MMSIM_EXIT_OK;
	bool csv = false;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': metrics = optarg; break;
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "csv")) {
				cli_usage_error("compare", "--format expects text or csv, got '%s'", optarg);
				return MMSIM_EXIT_USAGE;
			}
			csv = !strcmp(optarg, "csv");
			break;
		case 'p': plot = optarg; break;
		case 'H': hist = optarg; break;
		case 'h': compare_usage(stdout); return MMSIM_EXIT_OK;
		case ':':
			cli_usage_error("compare", "option '%s' needs a value", argv[optind - 1]);
			return MMSIM_EXIT_USAGE;
		default:
			cli_usage_error("compare", "unknown option '%s'", argv[optind - 1]);
			return MMSIM_EXIT_USAGE;
		}
	}
	if (argc - optind < 1) {
		cli_usage_error("compare", "expected one or more results folders");
		return MMSIM_EXIT_USAGE;
	}
	if (argc - optind > MAX_RUNS) {
		cli_usage_error("compare", "at most %d runs", MAX_RUNS);
		return MMSIM_EXIT_USAGE;
	}
	for (char *save = NULL, *tok = metrics ? strtok_r(metrics, ",", &save) : NULL; tok && nprefix < 32;
	     tok = strtok_r(NULL, ",", &save))
		prefixes[nprefix++] = tok;

	for (int i = optind; i < argc; i++, nr++) {
		char path[PATH_MAX];
		json_error_t jerr;
		const char *base;

		runs[nr].dir = argv[i];
		snprintf(path, sizeof(path), "%s/summary.json", argv[i]);
		if (access(path, R_OK) != 0) {
			fprintf(stderr, "mmsim compare: %s: %s\n", path, strerror(errno));
			rc = MMSIM_EXIT_NOINPUT;
			goto out;
		}
		runs[nr].root = json_load_file(path, 0, &jerr);
		if (!runs[nr].root) {
			fprintf(stderr, "mmsim compare: %s:%d: expected a summary.json object: %s\n", path, jerr.line,
				jerr.text);
			rc = MMSIM_EXIT_DATAERR;
			goto out;
		}
		json_t *stats = json_object_get(runs[nr].root, "stats");
		runs[nr].counters = json_object_get(stats, "counters");
		runs[nr].hists = json_object_get(stats, "histograms");
		snprintf(path, sizeof(path), "%s", argv[i]);
		while (strlen(path) > 1 && path[strlen(path) - 1] == '/')
			path[strlen(path) - 1] = 0;
		base = strrchr(path, '/');
		snprintf(runs[nr].label, sizeof(runs[nr].label), "%.63s", base ? base + 1 : path);
	}

	if (!csv) {
		printf("%-8s %-46s", "", "metric");
		for (int i = 0; i < nr; i++)
			printf(" %24s", runs[i].label);
		printf("\n");
	} else {
		printf("kind,metric");
		for (int i = 0; i < nr; i++)
			printf(",%s", runs[i].label);
		printf("\n");
	}
	{
		double v[MAX_RUNS];
		bool have[MAX_RUNS];
		int nk = collect_keys(runs, nr, false, keys, 4096);

		for (int k = 0; k < nk; k++) {
			if (!wanted(keys[k], prefixes, nprefix))
				continue;
			for (int i = 0; i < nr; i++) {
				json_t *j = json_object_get(runs[i].counters, keys[k]);
				have[i] = json_is_number(j);
				v[i] = have[i] ? json_number_value(j) : 0;
			}
			print_row(runs, nr, "counter", keys[k], v, have, csv);
		}
		nk = collect_keys(runs, nr, true, keys, 4096);
		static const char *const pcts[] = { "p50", "p99", "max" };
		for (int k = 0; k < nk; k++) {
			if (!wanted(keys[k], prefixes, nprefix))
				continue;
			for (int p = 0; p < 3; p++) {
				const char *unit = NULL;
				char name[320];

				for (int i = 0; i < nr; i++) {
					json_t *h = json_object_get(runs[i].hists, keys[k]);
					json_t *j = json_object_get(h, pcts[p]);

					have[i] = json_is_number(j) && json_integer_value(json_object_get(h, "count")) > 0;
					v[i] = have[i] ? json_number_value(j) : 0;
					if (h && !unit)
						unit = json_string_value(json_object_get(h, "unit"));
					/* Latencies are recorded in ps; show ns. */
					if (have[i] && unit && !strcmp(unit, "ps"))
						v[i] /= 1000.0;
				}
				snprintf(name, sizeof(name), "%s (%s)", keys[k],
					 unit && !strcmp(unit, "ps") ? "ns" : unit ? unit : "");
				print_row(runs, nr, pcts[p], name, v, have, csv);
			}
		}
		if (plot) {
			if (!hist && nk > 0)
				hist = keys[0];
			if (!hist) {
				fprintf(stderr, "mmsim compare: --plot: the runs have no latency histograms\n");
				rc = MMSIM_EXIT_DATAERR;
				goto out;
			}
			fflush(stdout);
			rc = plot_cdfs(runs, nr, plot, hist);
		}
	}
out:
	for (int i = 0; i < nr; i++)
		json_decref(runs[i].root);
	return rc;
}
