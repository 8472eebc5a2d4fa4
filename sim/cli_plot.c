/* SPDX-License-Identifier: MIT */
/*
 * sim/cli_plot.c — `mmsim plot RUN`: render a run's figures with gnuplot.
 *
 * Steps:
 *   1. RUN/stats.jsonl → RUN/plots/timeseries.csv (a format conversion only:
 *      column "t" in seconds, then every sampled scalar; a vector stat "v" of
 *      n values becomes columns "v.0" … "v.(n-1)"). Columns follow the first
 *      sample's key order; later samples must have the same keys.
 *   2. RUN/plots/meta.gp: gnuplot assignments describing the columns, so scripts
 *      can pick the series they draw without parsing headers (also a format
 *      conversion, nothing computed):
 *        cols = "t a b.0 b.1 ..."        every timeseries.csv column
 *        zones = "node0.DMA node0.DMA32"  zones with sampled mm.<zone>.* stats
 *        nodes = "0 1"                    nodes seen in those names
 *        norders = 11                     length of the per-order vectors
 *        extfrag_threshold = 500          vm.extfrag_threshold of config.yaml
 *   3. For every plots/<name>.gp except common.gp and compare-*.gp: read its "# needs:" line
 *      (words: a timeseries column prefix, or "latency" for latency.csv rows;
 *      "a|b" is met by either), skip it with a note if the run lacks them, else run
 *        gnuplot -e "run='RUN'; out='RUN/plots/<name>.png'; plotdir='plots'; meta='RUN/plots/meta.gp'; ..."
 *           plots/<name>.gp
 *      directly with fork/exec — never through a shell string.
 * The plots folder is found from $MMSIM_PLOTS, ./plots, or next to the binary.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sim/cli.h"

#define MAX_COLS 4096

struct columns {
	int n;
	char *name[MAX_COLS];
};

static void add_col(struct columns *c, const char *name)
{
	if (c->n < MAX_COLS)
		c->name[c->n++] = strdup(name);
}

/* Expand one sample object into columns (first line) or values (every line). */
static int emit_sample(json_t *obj, struct columns *cols, FILE *out, bool header, const char *path,
		       int lineno)
{
	const char *key;
	json_t *val;
	int col = 0;
	char name[512];

	json_object_foreach(obj, key, val) {
		if (json_is_array(val)) {
			size_t i;
			json_t *v;

			json_array_foreach(val, i, v) {
				snprintf(name, sizeof(name), "%s.%zu", key, i);
				if (header) {
					add_col(cols, name);
				} else if (col >= cols->n || strcmp(cols->name[col], name)) {
					fprintf(stderr, "mmsim plot: %s:%d: expected column '%s', got '%s'\n", path,
						lineno, col < cols->n ? cols->name[col] : "(none)", name);
					return -1;
				}
				if (!header)
					fprintf(out, "%s%.12g", col ? "," : "", json_number_value(v));
				col++;
			}
		} else if (json_is_number(val)) {
			if (header) {
				add_col(cols, key);
			} else if (col >= cols->n || strcmp(cols->name[col], key)) {
				fprintf(stderr, "mmsim plot: %s:%d: expected column '%s', got '%s'\n", path, lineno,
					col < cols->n ? cols->name[col] : "(none)", key);
				return -1;
			}
			if (!header)
				fprintf(out, "%s%.12g", col ? "," : "", json_number_value(val));
			col++;
		}
	}
	if (!header) {
		if (col != cols->n) {
			fprintf(stderr, "mmsim plot: %s:%d: expected %d columns, got %d\n", path, lineno, cols->n, col);
			return -1;
		}
		fputc('\n', out);
	}
	return 0;
}

static int jsonl_to_csv(const char *run, struct columns *cols)
{
	char in_path[PATH_MAX], out_path[PATH_MAX], tmp_path[PATH_MAX + 8];
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, rc = 0;
	FILE *in, *out;

	snprintf(in_path, sizeof(in_path), "%s/stats.jsonl", run);
	snprintf(out_path, sizeof(out_path), "%s/plots/timeseries.csv", run);
	snprintf(tmp_path, sizeof(tmp_path), "%s.tmp", out_path);
	in = fopen(in_path, "r");
	if (!in) {
		fprintf(stderr, "mmsim plot: %s: %s\n", in_path, strerror(errno));
		return MMSIM_EXIT_NOINPUT;
	}
	out = fopen(tmp_path, "w");
	if (!out) {
		fprintf(stderr, "mmsim plot: %s: %s\n", tmp_path, strerror(errno));
		fclose(in);
		return MMSIM_EXIT_CANTCREAT;
	}
	while (getline(&line, &cap, in) > 0) {
		json_error_t jerr;
		json_t *obj;

		lineno++;
		obj = json_loads(line, JSON_PRESERVE_ORDER, &jerr);
		if (!obj || !json_is_object(obj)) {
			fprintf(stderr, "mmsim plot: %s:%d: expected one JSON object per line: %s\n", in_path,
				lineno, obj ? "not an object" : jerr.text);
			json_decref(obj);
			rc = MMSIM_EXIT_DATAERR;
			break;
		}
		if (lineno == 1) {
			emit_sample(obj, cols, out, true, in_path, lineno);
			for (int i = 0; i < cols->n; i++)
				fprintf(out, "%s%s", i ? "," : "", cols->name[i]);
			fputc('\n', out);
		}
		if (emit_sample(obj, cols, out, false, in_path, lineno) < 0)
			rc = MMSIM_EXIT_DATAERR;
		json_decref(obj);
		if (rc)
			break;
	}
	free(line);
	fclose(in);
	if (fclose(out) != 0 && !rc)
		rc = MMSIM_EXIT_IOERR;
	if (!rc && rename(tmp_path, out_path) != 0)
		rc = MMSIM_EXIT_IOERR;
	if (rc)
		unlink(tmp_path);
	return rc;
}

static bool has_column_prefix(const struct columns *c, const char *prefix)
{
	size_t n = strlen(prefix);

	for (int i = 0; i < c->n; i++)
		if (!strncmp(c->name[i], prefix, n))
			return true;
	return false;
}

static bool latency_has_rows(const char *run)
{
	char path[PATH_MAX], buf[256];
	FILE *f;
	int lines = 0;

	snprintf(path, sizeof(path), "%s/latency.csv", run);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (lines < 2 && fgets(buf, sizeof(buf), f))
		lines++;
	fclose(f);
	return lines >= 2;
}

/* The first missing requirement of a script's "# needs:" line, or NULL if all are met. */
static const char *missing_need(const char *script, const char *run, const struct columns *cols)
{
	static char missing[256];
	char line[512];
	FILE *f = fopen(script, "r");

	if (!f)
		return "script unreadable";
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL;

		if (strncmp(line, "# needs:", 8))
			continue;
		for (char *w = strtok_r(line + 8, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
			bool ok = false;
			char alt[256], *asave = NULL;

			/* "a|b": either alternative will do. */
			snprintf(alt, sizeof(alt), "%s", w);
			for (char *a = strtok_r(alt, "|", &asave); a && !ok; a = strtok_r(NULL, "|", &asave))
				ok = !strcmp(a, "latency") ? latency_has_rows(run) : has_column_prefix(cols, a);

			if (!ok) {
				snprintf(missing, sizeof(missing), "%s", w);
				fclose(f);
				return missing;
			}
		}
	}
	fclose(f);
	return NULL;
}

static const char *find_plots_dir(char *buf, size_t len)
{
	char exe[PATH_MAX - 16];
	ssize_t n;
	struct stat sb;

	if (getenv("MMSIM_PLOTS")) {
		snprintf(buf, len, "%s", getenv("MMSIM_PLOTS"));
		return buf;
	}
	if (stat("plots/common.gp", &sb) == 0) {
		snprintf(buf, len, "plots");
		return buf;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = 0;
		/* build/mmsim → <tree>/plots */
		for (int up = 0; up < 2 && strrchr(exe, '/'); up++)
			*strrchr(exe, '/') = 0;
		snprintf(buf, len, "%s/plots", exe);
		if (stat(buf, &sb) == 0)
			return buf;
	}
	return NULL;
}

/* Names of the histograms in latency.csv, space-separated, in file order. */
static void latency_hist_names(const char *run, char *buf, size_t len)
{
	char path[PATH_MAX], line[1024];
	size_t used = 0;
	FILE *f;

	buf[0] = 0;
	snprintf(path, sizeof(path), "%s/latency.csv", run);
	f = fopen(path, "r");
	if (!f)
		return;
	if (!fgets(line, sizeof(line), f)) {     /* header */
		fclose(f);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char *comma = strchr(line, ',');
		char word[512];

		if (!comma || comma == line || strchr(line, '\'') || (size_t)(comma - line) >= sizeof(word) - 2)
			continue;
		snprintf(word, sizeof(word), " %.*s ", (int)(comma - line), line);
		/* Rows of one histogram are contiguous: compare with the last name only. */
		if (used >= strlen(word) - 1 && !strcmp(buf + used - (strlen(word) - 1), word + 1))
			continue;
		if (used + strlen(word) + 1 < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%.*s", used ? " " : "",
						 (int)(comma - line), line);
	}
	fclose(f);
}

static int run_gnuplot(const char *plotdir, const char *script, const char *run, const char *out,
		       int ncols)
{
	static char hists[16384];
	char expr[3 * PATH_MAX + sizeof(hists)];
	int status;
	pid_t pid;

	/* Quotes in paths would break the gnuplot string literal: refuse them. */
	if (strchr(run, '\'') || strchr(plotdir, '\'')) {
		fprintf(stderr, "mmsim plot: paths with a single quote are not supported: %s\n", run);
		return -1;
	}
	latency_hist_names(run, hists, sizeof(hists));
	snprintf(expr, sizeof(expr), "run='%s'; out='%s'; plotdir='%s'; hists='%s'; ncols=%d",
		 run, out, plotdir, hists, ncols);
	pid = fork();
	if (pid == 0) {
		execlp("gnuplot", "gnuplot", "-e", expr, script, (char *)NULL);
		fprintf(stderr, "mmsim plot: cannot run gnuplot: %s (install gnuplot-nox: make deps)\n",
			strerror(errno));
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cmd_plot(int argc, char **argv)
{
	char plotdir[PATH_MAX], dir[PATH_MAX], script[2 * PATH_MAX], out[2 * PATH_MAX];
	struct columns cols = { 0 };
	char *names[256];
	int nr = 0, rendered = 0, failed = 0, rc;
	bool quiet = false;
	struct dirent *de;
	DIR *d;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("Usage: mmsim plot RUN [--quiet]\n\n"
			       "Render every figure in plots/*.gp for the results folder RUN into RUN/plots/.\n"
			       "Figures whose data the run does not have are skipped with a note.\n");
			return MMSIM_EXIT_OK;
		}
	}
	if (argc >= 3 && (!strcmp(argv[2], "-q") || !strcmp(argv[2], "--quiet")))
		quiet = true;
	if (argc < 2 || argc > 3 || (argc == 3 && !quiet)) {
		cli_usage_error("plot", argc < 2 ? "missing RUN (a results folder)" : "unexpected argument '%s'",
				argc < 2 ? "" : argv[argc - 1]);
		return MMSIM_EXIT_USAGE;
	}
	snprintf(dir, sizeof(dir), "%s/plots", argv[1]);
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		fprintf(stderr, "mmsim plot: cannot create %s: %s\n", dir, strerror(errno));
		return errno == ENOENT ? MMSIM_EXIT_NOINPUT : MMSIM_EXIT_CANTCREAT;
	}
	rc = jsonl_to_csv(argv[1], &cols);
	if (rc)
		return rc;
	if (!find_plots_dir(plotdir, sizeof(plotdir))) {
		fprintf(stderr, "mmsim plot: cannot find the plots/ folder (set MMSIM_PLOTS)\n");
		return MMSIM_EXIT_NOINPUT;
	}
	d = opendir(plotdir);
	if (!d) {
		fprintf(stderr, "mmsim plot: %s: %s\n", plotdir, strerror(errno));
		return MMSIM_EXIT_NOINPUT;
	}
	while ((de = readdir(d)) && nr < 256) {
		size_t n = strlen(de->d_name);

		/* common.gp is the style; compare-*.gp belong to `mmsim compare --plot`. */
		if (n > 3 && !strcmp(de->d_name + n - 3, ".gp") && strcmp(de->d_name, "common.gp") &&
		    strncmp(de->d_name, "compare-", 8))
			names[nr++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, (size_t)nr, sizeof(names[0]), cmp_str);
	for (int i = 0; i < nr; i++) {
		const char *miss;

		snprintf(script, sizeof(script), "%s/%s", plotdir, names[i]);
		miss = missing_need(script, argv[1], &cols);
		names[i][strlen(names[i]) - 3] = 0;
		if (miss) {
			if (!quiet)
				printf("plot %-26s skipped (this run has no %s data)\n", names[i], miss);
			continue;
		}
		snprintf(out, sizeof(out), "%s/%s.png", dir, names[i]);
		if (run_gnuplot(plotdir, script, argv[1], out, cols.n) == 0) {
			rendered++;
			if (!quiet)
				printf("plot %-26s %s\n", names[i], out);
		} else {
			failed++;
			fprintf(stderr, "mmsim plot: %s failed\n", script);
		}
	}
	for (int i = 0; i < nr; i++)
		free(names[i]);
	for (int i = 0; i < cols.n; i++)
		free(cols.name[i]);
	return failed ? MMSIM_EXIT_SOFTWARE : MMSIM_EXIT_OK;
}
