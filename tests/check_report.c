/* SPDX-License-Identifier: MIT */
/*
 * tests/check_report.c — `mmsim report` and the figures of `mmsim plot`.
 *
 * report: a hand-made results folder (events.trace, summary.json, config.yaml)
 * whose perf-kmem-style numbers are worked out in the comments below, checked
 * line by line; cmd_report() is called in the (forked) test with stdout sent
 * to a file. plot: a short real run of the kernel model (fragmenter + slab
 * churn on the tiny machine) and a synthetic stats.jsonl with the series the
 * memory / reclaim / numa figures read; every figure must render as a PNG and,
 * on gnuplot's dumb terminal, show its title.
 */
#include <check.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sim/cli.h"
#include "tests/suites.h"
#include "tests/testutil.h"

int cmd_report(int argc, char **argv);

/* --- report fixture ---------------------------------------------------------------
 * CPU 0 is on node 0, CPU 1 on node 1 (config.yaml). Slab events (file order is
 * not time order: the report sorts by timestamp):
 *   a0 kmalloc 100/128 cpu0 node -1      freed by kfree on cpu0      → kmalloc-128
 *   b0 kmem_cache_alloc 200/256 cpu0 node 1 (cross: cpu0 is node 0), freed on cpu1
 *      as bar_cache (ping-pong)                                       → bar_cache
 *   c0 kmalloc 60/64 __GFP_ACCOUNT node 0, never freed               → kmalloc-cg-64
 *   d0 kmem_cache_alloc 200/256 from the same call site, never freed → bar_cache (learned)
 * requested 560, allocated 704, freed 256 + 128 = 384, net 320, wasted 144,
 * fragmentation 100 - 100*560/704 = 20.454545 %, cross CPU 1/4.
 * Page events: pfn 0x100 order 0 MOVABLE (freed, then allocated again),
 * pfn 0x200 order 2 UNMOVABLE, one failed order-9 request, a free of pfn 0x300
 * (order 1) never allocated in the trace:
 *   allocations 4 [4+16+2048+4 = 2,072 KB], frees 2 [4+8 = 12 KB],
 *   alloc+freed 1 [4 KB], alloc-only 3 [2,068 KB], free-only 1 [8 KB],
 *   failures 1 [2,048 KB]; order 0 Movable 2, order 2 Unmovable 1.
 */
static const char fixture_trace[] =
	"# tracer: nop\n"
	"#\n"
	"#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
	"#              | |         |   |||||     |         |\n"
	"          task-1     [000] .....     0.000100: kmalloc: call_site=foo_init+0x10/0x40 ptr=00000000000000a0 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL node=-1 accounted=false\n"
	"          task-1     [000] .....     0.000200: kmem_cache_alloc: call_site=bar_alloc+0x8/0x20 ptr=00000000000000b0 bytes_req=200 bytes_alloc=256 gfp_flags=GFP_KERNEL node=1 accounted=false\n"
	"          task-2     [001] .....     0.000400: kmem_cache_free: call_site=bar_free+0x4/0x10 ptr=00000000000000b0 name=bar_cache\n"
	"          task-1     [000] .....     0.000300: kmalloc: call_site=foo_init+0x10/0x40 ptr=00000000000000c0 bytes_req=60 bytes_alloc=64 gfp_flags=GFP_KERNEL|__GFP_ACCOUNT node=0 accounted=true\n"
	"          task-1     [000] .....     0.000500: kfree: call_site=foo_exit+0x4/0x10 ptr=00000000000000a0\n"
	"          task-1     [000] .....     0.000600: kmem_cache_alloc: call_site=bar_alloc+0x8/0x20 ptr=00000000000000d0 bytes_req=200 bytes_alloc=256 gfp_flags=GFP_KERNEL node=-1 accounted=false\n"
	"          task-1     [000] .....     0.000700: mm_page_alloc: page=0000000000001000 pfn=0x100 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE\n"
	"          task-1     [000] .....     0.000800: mm_page_alloc: page=0000000000002000 pfn=0x200 order=2 migratetype=0 gfp_flags=GFP_KERNEL\n"
	"          task-1     [000] .....     0.000900: mm_page_alloc: page=0000000000000000 pfn=0x0 order=9 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_NOWARN\n"
	"          task-2     [001] .....     0.001000: mm_page_free: page=0000000000001000 pfn=0x100 order=0\n"
	"          task-2     [001] .....     0.001100: mm_page_free: page=0000000000003000 pfn=0x300 order=1\n"
	"          task-1     [000] .....     0.001200: mm_page_alloc: page=0000000000001000 pfn=0x100 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE\n"
	"          task-1     [000] .....     0.001300: mm_vmscan_wakeup_kswapd: nid=0 order=0 gfp_flags=GFP_KERNEL\n";

static const char fixture_summary[] =
	"{\"mmsim\": {\"version\": \"0.1.0\"}, \"run\": {\"status\": \"completed\", \"sim_seconds\": 0.002},\n"
	" \"stats\": {\"counters\": {\"mm.vmstat.pgscan_kswapd\": 1000, \"mm.vmstat.pgsteal_kswapd\": 800,\n"
	"   \"mm.vmstat.allocstall_dma32\": 2, \"mm.vmstat.allocstall_normal\": 3,\n"
	"   \"mm.vmstat.compact_stall\": 4, \"mm.vmstat.compact_success\": 1, \"mm.vmstat.oom_kill\": 1},\n"
	"  \"histograms\": {\n"
	"   \"slab.latency.kmalloc.fast\": {\"unit\": \"ps\", \"count\": 1000, \"mean\": 13000, \"p50\": 12000,\n"
	"      \"p90\": 15000, \"p99\": 30000, \"p99.9\": 45000, \"max\": 60000, \"min\": 9000},\n"
	"   \"slab.latency.kmalloc.failed\": {\"unit\": \"ps\", \"count\": 0, \"mean\": 0, \"p50\": 0,\n"
	"      \"p90\": 0, \"p99\": 0, \"p99.9\": 0, \"max\": 0, \"min\": 0}}}}\n";

static const char fixture_config[] =
	"name: fixture\n"
	"machine:\n"
	"  nodes:\n"
	"    - cpus: 1\n"
	"      memory: 64MiB\n"
	"    - cpus: 1\n"
	"      memory: 64MiB\n";

/* A results folder under the test's tmpdir with the given files (NULL: left out). */
static const char *make_run(const char *name, const char *trace, const char *summary, const char *config)
{
	static char dir[512];
	char path[700];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/%s", test_tmpdir(), name);
	ck_assert_int_eq(mkdir(dir, 0777), 0);
	const char *const files[3][2] = { { "events.trace", trace }, { "summary.json", summary },
					  { "config.yaml", config } };
	for (int i = 0; i < 3; i++) {
		if (!files[i][1])
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, files[i][0]);
		f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		fputs(files[i][1], f);
		fclose(f);
	}
	return dir;
}

/* Run cmd_report(@args) with stdout and stderr captured; returns the exit code. */
static int report(const char *const *args, char **out, char **err)
{
	char *argv[16], po[600], pe[600];
	int argc = 0, rc, so = dup(1), se = dup(2), fo, fe;

	argv[argc++] = (char *)"report";
	for (; *args && argc < 15; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	snprintf(po, sizeof(po), "%s/report.out", test_tmpdir());
	snprintf(pe, sizeof(pe), "%s/report.err", test_tmpdir());
	fo = open(po, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	fe = open(pe, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	fflush(stdout);
	fflush(stderr);
	dup2(fo, 1);
	dup2(fe, 2);
	rc = cmd_report(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(fo);
	close(fe);
	close(so);
	close(se);
	*out = test_read_file(po, NULL);
	*err = test_read_file(pe, NULL);
	return rc;
}

#define HAS(text, line) ck_assert_msg(strstr((text), (line)) != NULL, "missing line:\n%s\n--- in:\n%s", (line), (text))

START_TEST(test_report_slab_summary)
{
	const char *dir = make_run("r1", fixture_trace, fixture_summary, fixture_config);
	char *out, *err;

	ck_assert_int_eq(report((const char *[]){ dir, "--slab", NULL }, &out, &err), 0);
	HAS(out, "\nSUMMARY (SLAB allocator)\n"
		 "========================\n"
		 "Total bytes requested: 560\n"
		 "Total bytes allocated: 704\n"
		 "Total bytes freed:     384\n"
		 "Net total bytes allocated: 320\n"
		 "Total bytes wasted on internal fragmentation: 144\n"
		 "Internal fragmentation: 20.454545%\n"
		 "Cross CPU allocations: 1/4\n");
	/* Per cache, perf's order (fragmentation, then hits): bar_cache learned d0 from b0's free. */
	HAS(out, " Cache                              | Total_alloc/Per | Total_req/Per   | Hit      | Ping-pong | Frag\n");
	HAS(out, " bar_cache                          |       512/256   |       400/200   |        2 |         1 | 21.875%\n"
		 " kmalloc-128                        |       128/128   |       100/100   |        1 |         0 | 21.875%\n"
		 " kmalloc-cg-64                      |        64/64    |        60/60    |        1 |         0 |  6.250%\n");
	HAS(out, " bar_alloc+0x8/0x20                 |       512/256   |       400/200   |        2 |         1 | 21.875%\n"
		 " foo_init+0x10/0x40                 |       192/96    |       160/80    |        2 |         0 | 16.667%\n");
	ck_assert_ptr_null(strstr(out, "SUMMARY (page allocator)"));
	ck_assert_str_eq(err, "");
	free(out);
	free(err);
}
END_TEST

START_TEST(test_report_page_summary)
{
	const char *dir = make_run("r2", fixture_trace, fixture_summary, fixture_config);
	char *out, *err;

	ck_assert_int_eq(report((const char *[]){ dir, "--page", NULL }, &out, &err), 0);
	HAS(out, "#\n# GFP flags\n# ---------\n"
		 "# 00000cc0:         K: GFP_KERNEL\n"
		 "# 00100cca:       HUM: GFP_HIGHUSER_MOVABLE\n");
	HAS(out, " Total alloc (KB) | Hits      | Order | Mig.type | GFP flags\n");
	HAS(out, "               16 |         1 |     2 | UNMOVABL | K\n"
		 "                8 |         2 |     0 |  MOVABLE | HUM\n");
	HAS(out, "\nSUMMARY (page allocator)\n"
		 "========================\n"
		 "Total allocation requests     :                4   [            2,072 KB ]\n"
		 "Total free requests           :                2   [               12 KB ]\n"
		 "\n"
		 "Total alloc+freed requests    :                1   [                4 KB ]\n"
		 "Total alloc-only requests     :                3   [            2,068 KB ]\n"
		 "Total free-only requests      :                1   [                8 KB ]\n"
		 "\n"
		 "Total allocation failures     :                1   [            2,048 KB ]\n"
		 "\n"
		 "Order     Unmovable   Reclaimable       Movable      Reserved  CMA/Isolated\n"
		 "-----  ------------  ------------  ------------  ------------  ------------\n"
		 "    0             .             .             2             .             .\n"
		 "    1             .             .             .             .             .\n"
		 "    2             1             .             .             .             .\n");
	ck_assert_ptr_null(strstr(out, "SUMMARY (SLAB allocator)"));
	free(out);
	free(err);
}
END_TEST

START_TEST(test_report_latency_and_pressure)
{
	const char *dir = make_run("r3", fixture_trace, fixture_summary, fixture_config);
	char *out, *err;

	ck_assert_int_eq(report((const char *[]){ dir, "--latency", "--pressure", NULL }, &out, &err), 0);
	HAS(out, "slab.latency.kmalloc.fast                                       1,000       12.0       15.0       30.0"
		 "       45.0       60.0\n");
	ck_assert_ptr_null(strstr(out, "slab.latency.kmalloc.failed"));      /* empty histograms are left out */
	HAS(out, "pages scanned by kswapd               :            1,000   (pgscan_kswapd)\n");
	HAS(out, "pages scanned by direct reclaim       :                -   (pgscan_direct: not in this run)\n");
	HAS(out, "direct reclaim stalls (allocstall_*)  :                5   (allocstall_*)\n");
	HAS(out, "OOM kills                             :                1   (oom_kill)\n");
	HAS(out, "reclaim efficiency (pgsteal/pgscan)   :            80.0%\n");
	HAS(out, "compaction success rate               :            25.0%\n");
	HAS(out, "mm_vmscan_wakeup_kswapd               :                1\n");
	ck_assert_ptr_null(strstr(out, "SUMMARY ("));
	free(out);
	free(err);
}
END_TEST

START_TEST(test_report_without_trace_and_errors)
{
	const char *dir = make_run("r4", NULL, fixture_summary, NULL);
	char *out, *err;

	/* No events.trace: a note, then the sections summary.json can give. */
	ck_assert_int_eq(report((const char *[]){ dir, NULL }, &out, &err), 0);
	HAS(out, "no events.trace in ");
	HAS(out, "LATENCY (simulated, ns)");
	HAS(out, "PRESSURE SUMMARY");
	ck_assert_ptr_null(strstr(out, "SUMMARY (SLAB allocator)"));
	free(out);
	free(err);
	ck_assert_int_eq(report((const char *[]){ "/nonexistent-run", NULL }, &out, &err), MMSIM_EXIT_NOINPUT);
	HAS(err, "/nonexistent-run/summary.json");
	free(out);
	free(err);
	ck_assert_int_eq(report((const char *[]){ dir, "--bogus", NULL }, &out, &err), MMSIM_EXIT_USAGE);
	HAS(err, "unknown option '--bogus'");
	free(out);
	free(err);
	ck_assert_int_eq(report((const char *[]){ NULL }, &out, &err), MMSIM_EXIT_USAGE);
	free(out);
	free(err);
	ck_assert_int_eq(report((const char *[]){ dir, "--trace", "/nonexistent.trace", NULL }, &out, &err),
			 MMSIM_EXIT_NOINPUT);
	free(out);
	free(err);
	dir = make_run("r5", NULL, "{\"stats\": [1, 2", NULL);
	ck_assert_int_eq(report((const char *[]){ dir, NULL }, &out, &err), MMSIM_EXIT_DATAERR);
	HAS(err, "summary.json:");
	free(out);
	free(err);
}
END_TEST

/* --- figures ------------------------------------------------------------------------ */

static const char *plots_dir(void)
{
	return getenv("MMSIM_PLOTS") ? getenv("MMSIM_PLOTS") : "plots";
}

static bool have_gnuplot(void)
{
	return system("command -v gnuplot >/dev/null 2>&1") == 0;
}

static void assert_png(const char *dir, const char *fig)
{
	char path[700];
	unsigned char sig[8];
	FILE *f;

	snprintf(path, sizeof(path), "%s/plots/%s.png", dir, fig);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "%s was not rendered", path);
	ck_assert_int_eq(fread(sig, 1, 8, f), 8);
	fclose(f);
	ck_assert_msg(!memcmp(sig, "\x89PNG\r\n\x1a\n", 8), "%s is not a PNG", path);
}

/* Render plots/@fig.gp on the dumb terminal and check the text contains @title. */
static void assert_dumb_title(const char *dir, const char *fig, const char *hists, const char *title)
{
	char expr[16384], script[600], outp[700];
	int fd, status;
	pid_t pid;
	char *text;

	snprintf(expr, sizeof(expr), "run='%s'; plotdir='%s'; hists='%s'; ncols=2; meta='%s/plots/meta.gp'; term='dumb'",
		 dir, plots_dir(), hists, dir);
	snprintf(script, sizeof(script), "%s/%s.gp", plots_dir(), fig);
	snprintf(outp, sizeof(outp), "%s/%s.dumb", test_tmpdir(), fig);
	fd = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	pid = fork();
	if (pid == 0) {
		dup2(fd, 1);
		execlp("gnuplot", "gnuplot", "-e", expr, script, (char *)NULL);
		_exit(127);
	}
	close(fd);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "gnuplot failed on %s (dumb)", script);
	text = test_read_file(outp, NULL);
	ck_assert_msg(text && strstr(text, title), "%s: title '%s' not in the dumb rendering:\n%s", fig, title,
		      text ? text : "");
	free(text);
}

/* The histogram names of RUN/latency.csv, space-separated (what `mmsim plot` passes as hists). */
static char *hist_names(const char *dir)
{
	char path[700], *csv, *names, *line, *save = NULL;
	size_t used = 0;

	snprintf(path, sizeof(path), "%s/latency.csv", dir);
	csv = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(csv);
	names = calloc(1, strlen(csv) + 1);
	for (line = strtok_r(csv, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *comma = strchr(line, ',');
		size_t n = comma ? (size_t)(comma - line) : 0;

		if (!n || !strncmp(line, "hist,", 5))
			continue;
		*comma = 0;
		if (used >= n && !strcmp(names + used - n, line))
			continue;
		used += (size_t)sprintf(names + used, "%s%s", used ? " " : "", line);
	}
	free(csv);
	return names;
}

static const char *const real_scenario =
	"name: plots\n"
	"seed: 3\n"
	"duration: 30ms\n"
	"sample_interval: 1ms\n"
	"machine:\n"
	"  preset: tiny\n"
	"  memory_per_node: 64MiB\n"
	"kernel:\n"
	"  image_size: 8MiB\n"
	"tasks:\n"
	"  - workload: fragmenter\n"
	"    name: frag\n"
	"    cpus: [0]\n"
	"    rate: 2M/s\n"
	"    fill: 85%\n"
	"    unmovable: 5%\n"
	"    orders: [3, 9]\n"
	"    burst: 8\n"
	"    burst_start: 10ms\n"
	"    burst_interval: 4ms\n"
	"    hold: 1ms\n"
	"  - workload: slabchurn\n"
	"    name: slab\n"
	"    cpus: [1]\n"
	"    rate: 100k/s\n";

START_TEST(test_plot_real_run)
{
	static const struct {
		const char *fig, *title;
	} figs[] = {
		{ "fragmentation-unusable", "Unusable free space index per order" },
		{ "fragmentation-heatmap", "Free blocks per order over time" },
		{ "extfrag", "External fragmentation index per order" },
		{ "highorder-success", "High-order allocation success rate" },
		{ "latency-paths", "Simulated allocation latency by path" },
		{ "latency-cdf", "Simulated latency: cumulative distribution per API" },
		{ "memory", "Memory use per node" },
		{ "activity", "Workload activity per sampling interval" },
	};
	const char *scen = test_write_file("plots.yaml", real_scenario);
	char dir[600], *out, *err, *meta, path[700];

	ck_assert_msg(have_gnuplot(), "gnuplot is not installed (make deps)");
	snprintf(dir, sizeof(dir), "%s/real", test_tmpdir());
	ck_assert_int_eq(test_run_mmsim((const char *[]){ "run", scen, "-o", dir, "-q", NULL }, &out, &err), 0);
	free(out);
	free(err);
	ck_assert_int_eq(test_run_mmsim((const char *[]){ "plot", dir, NULL }, &out, &err), 0);
	ck_assert_msg(!strstr(err, "failed"), "%s", err);
	char *hists = hist_names(dir);
	ck_assert_ptr_nonnull(strstr(hists, "mm.page_alloc.latency.alloc_pages.order0.pcp"));
	for (size_t i = 0; i < sizeof(figs) / sizeof(figs[0]); i++) {
		assert_png(dir, figs[i].fig);
		assert_dumb_title(dir, figs[i].fig, hists, figs[i].title);
	}
	free(hists);
	free(out);
	free(err);
	snprintf(path, sizeof(path), "%s/plots/meta.gp", dir);
	meta = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(meta);
	HAS(meta, "zones = \"node0.DMA node0.DMA32\"\n");
	HAS(meta, "nodes = \"0\"\n");
	HAS(meta, "norders = 11\n");
	HAS(meta, "extfrag_threshold = 500\n");
	free(meta);
}
END_TEST

/*
 * The series memory, reclaim and numa read, for two nodes, 20 samples; @global_only: the memory
 * layers only as machine-wide counters (memory.png then adds an "All nodes" panel).
 */
static void write_synthetic_run(const char *dir, bool global_only)
{
	char path[700];
	FILE *f;

	ck_assert_int_eq(mkdir(dir, 0777), 0);
	snprintf(path, sizeof(path), "%s/stats.jsonl", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < 20; i++) {
		fprintf(f, "{\"t\":%g", i * 0.001);
		for (int n = 0; n < 2; n++) {
			fprintf(f, ",\"mm.node%d.Normal.nr_free_pages\":%d,\"mm.node%d.Normal.managed_pages\":60000", n,
				50000 - 2000 * i, n);
			fprintf(f, ",\"mm.node%d.Normal.watermark_min\":500,\"mm.node%d.Normal.watermark_low\":625,"
				   "\"mm.node%d.Normal.watermark_high\":750", n, n, n);
			fprintf(f, ",\"mm.node%d.Normal.free_blocks\":[%d,3,2,1,0,0,0,0,0,1,%d]", n, i, 20 - i);
			fprintf(f, ",\"mm.node%d.Normal.unusable_index\":[0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,%g]", n,
				i / 20.0);
			fprintf(f, ",\"mm.node%d.Normal.extfrag_index\":[-1,-1,-1,-1,-1,0.2,0.4,0.6,0.8,0.9,%g]", n,
				i < 10 ? -1.0 : 0.95);
			if (!global_only) {
				fprintf(f, ",\"mm.node%d.nr_anon_pages\":%d,\"mm.node%d.nr_file_pages\":4000", n, 1500 * i, n);
				fprintf(f, ",\"mm.node%d.nr_slab_reclaimable\":300,\"mm.node%d.nr_slab_unreclaimable\":200",
					n, n);
			}
			fprintf(f, ",\"mm.node%d.kswapd_runtime\":%d", n, i > 10 ? (i - 10) * 100000 : 0);
			fprintf(f, ",\"mm.node%d.numa\":[%d,0,0,0,%d,%d]", n, 100 * i, 100 * i, 10 * i * n);
		}
		if (global_only)
			fprintf(f, ",\"mm.vmstat.nr_free_pages\":%d,\"mm.vmstat.nr_anon_pages\":%d", 100000 - 4000 * i,
				3000 * i);
		fprintf(f, ",\"mm.vmstat.pgscan_kswapd\":%d,\"mm.vmstat.pgsteal_kswapd\":%d", 500 * i, 400 * i);
		fprintf(f, ",\"mm.vmstat.allocstall_normal\":%d,\"mm.vmstat.compact_stall\":%d", i / 3, i / 4);
		fprintf(f, ",\"mm.vmstat.pageoutrun\":%d,\"mm.vmstat.mmsim_alloc_fail\":%d,\"mm.vmstat.oom_kill\":%d}\n",
			i / 2, i > 15, i > 17);
	}
	fclose(f);
	snprintf(path, sizeof(path), "%s/latency.csv", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "hist,unit,lo,hi,count\n");
	for (int n = 0; n < 2; n++)
		for (int b = 0; b < 4; b++) {
			fprintf(f, "node%d.dram.access_latency.local,ps,%d,%d,%d\n", n, 80000 + 4000 * b,
				80000 + 4000 * b + 511, 100 - 20 * b);
			fprintf(f, "node%d.dram.access_latency.remote,ps,%d,%d,%d\n", n, 130000 + 8000 * b,
				130000 + 8000 * b + 1023, 50 - 10 * b);
		}
	fprintf(f, "mm.page_alloc.latency.alloc_pages.order0.pcp,ps,35840,36351,2000\n");
	fprintf(f, "mm.page_alloc.latency.alloc_pages.order0.direct_reclaim,ps,3584000,3600383,20\n");
	fclose(f);
}

START_TEST(test_plot_synthetic_pressure_figures)
{
	static const struct {
		const char *fig, *title;
	} figs[] = {
		{ "memory", "Memory use per node" },
		{ "reclaim", "Reclaim and compaction activity" },
		{ "numa", "NUMA: local vs remote page allocations" },
		{ "fragmentation-heatmap", "Free blocks per order over time" },
		{ "latency-paths", "direct reclaim (direct_reclaim)" },
	};
	char dir[600], *out, *err;
	const char *hists = "node0.dram.access_latency.local node0.dram.access_latency.remote "
			    "node1.dram.access_latency.local node1.dram.access_latency.remote "
			    "mm.page_alloc.latency.alloc_pages.order0.pcp "
			    "mm.page_alloc.latency.alloc_pages.order0.direct_reclaim";

	ck_assert_msg(have_gnuplot(), "gnuplot is not installed (make deps)");
	snprintf(dir, sizeof(dir), "%s/synthetic", test_tmpdir());
	write_synthetic_run(dir, false);
	ck_assert_int_eq(test_run_mmsim((const char *[]){ "plot", dir, NULL }, &out, &err), 0);
	ck_assert_msg(!strstr(err, "failed"), "%s", err);
	HAS(out, "plot activity                   skipped (this run has no workload. data)\n");
	HAS(out, "plot highorder-success          skipped (this run has no *.order*.successes data)\n");
	char path[700], *meta;
	snprintf(path, sizeof(path), "%s/plots/meta.gp", dir);
	meta = test_read_file(path, NULL);
	ck_assert_ptr_nonnull(meta);
	HAS(meta, "zones = \"node0.Normal node1.Normal\"\n");
	HAS(meta, "nodes = \"0 1\"\n");
	free(meta);
	for (size_t i = 0; i < sizeof(figs) / sizeof(figs[0]); i++) {
		assert_png(dir, figs[i].fig);
		assert_dumb_title(dir, figs[i].fig, hists, figs[i].title);
	}
	free(out);
	free(err);
	/* Machine-wide layers only: an "All nodes" panel first. */
	snprintf(dir, sizeof(dir), "%s/synthetic-global", test_tmpdir());
	write_synthetic_run(dir, true);
	ck_assert_int_eq(test_run_mmsim((const char *[]){ "plot", dir, NULL }, &out, &err), 0);
	assert_png(dir, "memory");
	assert_dumb_title(dir, "memory", hists, "All nodes (machine-wide counters)");
	free(out);
	free(err);
}
END_TEST

START_TEST(test_plot_skips_absent_data)
{
	char dir[600], path[700], *out, *err;
	FILE *f;

	ck_assert_msg(have_gnuplot(), "gnuplot is not installed (make deps)");
	/* An engine-only run: no kernel model series, no latency rows. */
	snprintf(dir, sizeof(dir), "%s/empty", test_tmpdir());
	ck_assert_int_eq(mkdir(dir, 0777), 0);
	snprintf(path, sizeof(path), "%s/stats.jsonl", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "{\"t\":0,\"workload.x.items\":0}\n{\"t\":0.001,\"workload.x.items\":5}\n");
	fclose(f);
	ck_assert_int_eq(test_run_mmsim((const char *[]){ "plot", dir, NULL }, &out, &err), 0);
	HAS(out, "plot fragmentation-unusable     skipped (this run has no mm.node*.unusable_index.* data)\n");
	HAS(out, "plot memory                     skipped");
	HAS(out, "plot numa                       skipped");
	HAS(out, "plot reclaim                    skipped");
	HAS(out, "plot latency-paths              skipped (this run has no latency data)\n");
	assert_png(dir, "activity");
	free(out);
	free(err);
}
END_TEST

Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");
	TCase *tp = tcase_create("plots");

	tcase_add_test(tc, test_report_slab_summary);
	tcase_add_test(tc, test_report_page_summary);
	tcase_add_test(tc, test_report_latency_and_pressure);
	tcase_add_test(tc, test_report_without_trace_and_errors);
	suite_add_tcase(s, tc);
	tcase_set_timeout(tp, 60);
	tcase_add_test(tp, test_plot_real_run);
	tcase_add_test(tp, test_plot_synthetic_pressure_figures);
	tcase_add_test(tp, test_plot_skips_absent_data);
	suite_add_tcase(s, tp);
	return s;
}
