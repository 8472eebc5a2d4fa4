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
 *      (words: a timeseries column prefix or glob ("mm.node*.free_blocks.*"),
 *      or "latency" for latency.csv rows; "a|b" is met by either), skip it with a note if the run lacks them, else run
 *        gnuplot -e "run='RUN'; out='RUN/plots/<name>.png'; plotdir='plots'; meta='RUN/plots/meta.gp'; ..."
 *           plots/<name>.gp
 *      directly with fork/exec — never through a shell string.
 * The plots folder is found from $MMSIM_PLOTS, ./plots, or next to the binary.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
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

/* vm.extfrag_threshold from the resolved config (500, the kernel default, if absent). */
static int config_extfrag_threshold(const char *run)
{
	char path[PATH_MAX], line[512];
	bool in_vm = false;
	int v = 500;
	FILE *f;

	snprintf(path, sizeof(path), "%s/config.yaml", run);
	f = fopen(path, "r");
	if (!f)
		return v;
	while (fgets(line, sizeof(line), f)) {
		char *p = line;

		if (line[0] != ' ' && line[0] != '\n' && line[0] != '#')
			in_vm = !strncmp(line, "vm:", 3);
		if (!in_vm)
			continue;
		while (*p == ' ')
			p++;
		if (!strncmp(p, "extfrag_threshold:", 18)) {
			v = atoi(p + 18);
			break;
		}
	}
	fclose(f);
	return v;
}

/* Append " word" to a space-separated list unless it is already there. */
static void list_add(char *list, size_t len, const char *word, size_t wlen)
{
	size_t used = strlen(list);
	char w[256];
	const char *p = list;

	if (wlen >= sizeof(w))
		return;
	memcpy(w, word, wlen);
	w[wlen] = 0;
	while ((p = strstr(p, w)) != NULL) {
		if ((p == list || p[-1] == ' ') && (p[wlen] == ' ' || p[wlen] == 0))
			return;
		p++;
	}
	if (used + wlen + 2 < len)
		snprintf(list + used, len - used, "%s%s", used ? " " : "", w);
}

/*
 * RUN/plots/meta.gp: the column names and the zones and nodes they mention, as
 * gnuplot assignments (see the header). Names with quotes are left out.
 */
static int write_meta(const char *run, const struct columns *cols)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	static char zones[8192], nodes[1024];
	char first_vec[256] = "";
	int norders = 0;
	FILE *f;

	zones[0] = nodes[0] = 0;
	for (int i = 0; i < cols->n; i++) {
		const char *c = cols->name[i], *p, *z, *dot;

		if (strncmp(c, "mm.node", 7) || !(c[7] >= '0' && c[7] <= '9'))
			continue;
		for (p = c + 7; *p >= '0' && *p <= '9'; p++)
			;
		if (*p != '.')
			continue;
		list_add(nodes, sizeof(nodes), c + 7, (size_t)(p - (c + 7)));
		z = p + 1;
		/* Zone names are capitalised (DMA, DMA32, Normal, Movable, Device). */
		dot = strchr(z, '.');
		if (*z < 'A' || *z > 'Z' || !dot)
			continue;
		list_add(zones, sizeof(zones), c + 3, (size_t)(dot - (c + 3)));
		if (!strncmp(dot, ".free_blocks.", 13)) {
			if (!first_vec[0])
				snprintf(first_vec, sizeof(first_vec), "%.*s", (int)(dot - c), c);
			if (!strncmp(c, first_vec, strlen(first_vec)) && c[strlen(first_vec)] == '.')
				norders++;
		}
	}
	snprintf(path, sizeof(path), "%s/plots/meta.gp", run);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "mmsim plot: %s: %s\n", tmp, strerror(errno));
		return MMSIM_EXIT_CANTCREAT;
	}
	fprintf(f, "# written by `mmsim plot`: what %s/plots/timeseries.csv holds\ncols = \"", run);
	for (int i = 0, n = 0; i < cols->n; i++)
		if (!strchr(cols->name[i], '"') && !strchr(cols->name[i], '\\'))
			fprintf(f, "%s%s", n++ ? " " : "", cols->name[i]);
	fprintf(f, "\"\nzones = \"%s\"\nnodes = \"%s\"\nnorders = %d\nextfrag_threshold = %d\n", zones, nodes,
		norders ? norders : 11, config_extfrag_threshold(run));
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return MMSIM_EXIT_IOERR;
	}
	return 0;
}

/* A column whose name starts with @prefix, or matches it as a glob if it has '*' or '?'. */
static bool has_column_prefix(const struct columns *c, const char *prefix)
{
	size_t n = strlen(prefix);
	bool glob = strpbrk(prefix, "*?") != NULL;

	for (int i = 0; i < c->n; i++)
		if (glob ? !fnmatch(prefix, c->name[i], 0) : !strncmp(c->name[i], prefix, n))
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
		size_t n = comma ? (size_t)(comma - line) : 0;

		if (!comma || !n || memchr(line, '\'', n) || memchr(line, ' ', n) || n >= 512)
			continue;
		/* Rows of one histogram are contiguous: compare with the last name only. */
		if (used >= n && !strncmp(buf + used - n, line, n) && (used == n || buf[used - n - 1] == ' '))
			continue;
		if (used + n + 2 < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%.*s", used ? " " : "", (int)n, line);
	}
	fclose(f);
}

static int run_gnuplot(const char *plotdir, const char *script, const char *run, const char *out,
		       int ncols)
{
	static char hists[16384];
	char expr[6 * PATH_MAX + sizeof(hists)];
	int status;
	pid_t pid;

	/* Quotes in paths would break the gnuplot string literal: refuse them. */
	if (strchr(run, '\'') || strchr(plotdir, '\'')) {
		fprintf(stderr, "mmsim plot: paths with a single quote are not supported: %s\n", run);
		return -1;
	}
	latency_hist_names(run, hists, sizeof(hists));
	snprintf(expr, sizeof(expr), "run='%s'; out='%s'; plotdir='%s'; hists='%s'; ncols=%d; meta='%s/plots/meta.gp'",
		 run, out, plotdir, hists, ncols, run);
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
	if (!rc)
		rc = write_meta(argv[1], &cols);
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
