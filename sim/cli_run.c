/* SPDX-License-Identifier: MIT */
/*
 * sim/cli_run.c — `mmsim run SCENARIO`: the end-to-end driver of one run.
 *
 *   load scenario (+ --set overrides) → engine → machine → kernel model →
 *   workloads → reject unknown keys → results folder (config.yaml first) →
 *   run in slices (progress on a TTY, SIGINT/SIGTERM stop cleanly) →
 *   summary.json, stats.jsonl, latency.csv, dmesg.log, events.trace.
 *
 * Scenario top-level keys read here: name, description, seed, duration,
 * warmup, sample_interval, engine {quantum, timing}, trace {events}, tasks.
 * Other layers read their own sections (machine, vm).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "machine/machine.h"
#include "mm/compaction.h"
#include "mm/memory.h"
#include "mm/mm.h"
#include "mm/oom_kill.h"
#include "sim/cli.h"
#include "sim/config.h"
#include "sim/engine.h"
#include "sim/log.h"
#include "sim/results.h"
#include "sim/run_summary.h"
#include "sim/scenario_mm.h"
#include "sim/scenario_pressure.h"
#include "sim/stats.h"
#include "sim/sweep.h"
#include "sim/trace.h"
#include "sim/units.h"
#include "workloads/workload.h"

#define MAX_SETS 64

struct run_opts {
	const char *scenario;
	const char *outdir;
	const char *sets[MAX_SETS];
	int nr_sets;
	const char *seed;
	const char *timing;             /* "on" / "off" / NULL = scenario */
	const char *trace_out;
	const char *sweep;              /* --sweep CSV */
	long sweep_index;               /* --index N */
	struct sweep_row row;
	bool quiet;
};

struct run_state {
	struct cfg *cfg;
	struct results *res;
	FILE *stats_file;
	uint64_t seed;
	sim_time_t duration, warmup, sample_interval;
	double host_start;
	bool trace_open;
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
	sim_stop();
}

static double host_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void run_usage(FILE *out)
{
	fprintf(out,
		"Usage: mmsim run SCENARIO [OPTIONS]\n"
		"\n"
		"Run SCENARIO (a YAML file, see workloads/scenarios/) and write its results folder.\n"
		"\n"
		"Options:\n"
		"  -o, --output DIR       results folder (default results/<scenario>-<UTC time>)\n"
		"      --seed N           run seed (overrides the scenario's `seed`)\n"
		"      --set KEY=VALUE    override a scenario key, e.g. --set machine.nodes.0.memory=1GiB\n"
		"                         or --set tasks.0.rate=5k/s (repeatable)\n"
		"      --timing on|off    charge simulated time for costs (off: functional only)\n"
		"      --sweep CSV        apply row --index N of CSV as overrides (header: scenario keys,\n"
		"                         optional 'name' column); the default folder becomes\n"
		"                         results/<scenario>-<name>, so finished runs can be skipped\n"
		"      --index N          the sweep row, 0-based (e.g. $SLURM_ARRAY_TASK_ID)\n"
		"      --trace-out FILE   write events in Linux ftrace text format to FILE\n"
		"                         (default events.trace in the results folder when trace.events is set)\n"
		"  -q, --quiet            no progress line, warnings only\n"
		"  -h, --help             this help\n");
}

static int parse_run_opts(int argc, char **argv, struct run_opts *o)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "seed", required_argument, NULL, 'S' },
		{ "set", required_argument, NULL, 's' },
		{ "timing", required_argument, NULL, 't' },
		{ "trace-out", required_argument, NULL, 'T' },
		{ "sweep", required_argument, NULL, 'W' },
		{ "index", required_argument, NULL, 'I' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->outdir = optarg; break;
		case 'S': o->seed = optarg; break;
		case 's':
			if (o->nr_sets == MAX_SETS) {
				cli_usage_error("run", "too many --set options (at most %d)", MAX_SETS);
				return -1;
			}
			o->sets[o->nr_sets++] = optarg;
			break;
		case 't':
			if (strcmp(optarg, "on") && strcmp(optarg, "off")) {
				cli_usage_error("run", "--timing expects 'on' or 'off', got '%s'", optarg);
				return -1;
			}
			o->timing = optarg;
			break;
		case 'T': o->trace_out = optarg; break;
		case 'W': o->sweep = optarg; break;
		case 'I': {
			char *end;

			errno = 0;
			o->sweep_index = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || o->sweep_index < 0) {
				cli_usage_error("run", "--index expects a row number >= 0, got '%s'", optarg);
				return -1;
			}
			break;
		}
		case 'q': o->quiet = true; break;
		case 'h': run_usage(stdout); exit(MMSIM_EXIT_OK);
		case ':':
			cli_usage_error("run", "option '%s' needs a value", argv[optind - 1]);
			return -1;
		default:
			cli_usage_error("run", "unknown option '%s'", argv[optind - 1]);
			return -1;
		}
	}
	if (optind >= argc) {
		cli_usage_error("run", "missing SCENARIO");
		return -1;
	}
	o->scenario = argv[optind++];
	if (optind < argc) {
		cli_usage_error("run", "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	o->sweep_index = o->sweep ? o->sweep_index : -1;
	return 0;
}

/* Load the scenario and apply the command line's overrides. */
static int load_scenario(const struct run_opts *o, struct run_state *st)
{
	char buf[128];

	if (access(o->scenario, R_OK) != 0) {
		fprintf(stderr, "mmsim: %s: %s\n", o->scenario, strerror(errno));
		return MMSIM_EXIT_NOINPUT;
	}
	st->cfg = cfg_load_file(o->scenario);
	if (!st->cfg) {
		fprintf(stderr, "mmsim: %s\n", cfg_last_load_error());
		return MMSIM_EXIT_CONFIG;
	}
	/* Expand a machine preset first so overrides can address its lists. */
	if (cfg_has(cfg_root(st->cfg), "machine") &&
	    machine_expand_preset(cfg_map(cfg_root(st->cfg), "machine")) < 0)
		return MMSIM_EXIT_CONFIG;
	if (o->seed) {
		snprintf(buf, sizeof(buf), "seed=%s", o->seed);
		cfg_override(st->cfg, buf);
	}
	if (o->timing) {
		snprintf(buf, sizeof(buf), "engine.timing=%s", o->timing);
		cfg_override(st->cfg, buf);
	}
	for (int i = 0; i < o->row.nr && !cfg_failed(st->cfg); i++)
		cfg_override(st->cfg, o->row.assign[i]);
	for (int i = 0; i < o->nr_sets && !cfg_failed(st->cfg); i++)
		cfg_override(st->cfg, o->sets[i]);
	return cfg_failed(st->cfg) ? MMSIM_EXIT_CONFIG : 0;
}

/* Build every layer from the config; the config error, if any, is reported by the caller. */
static int build_model(struct run_state *st)
{
	struct cfg_node *root = cfg_root(st->cfg);
	struct cfg_node *engine, *trace;
	struct sim_params sp;
	const char *base = strrchr(cfg_file(root), '/');
	char defname[256];

	snprintf(defname, sizeof(defname), "%s", base ? base + 1 : cfg_file(root));
	if (strrchr(defname, '.'))
		*strrchr(defname, '.') = 0;
	cfg_str(root, "name", defname);
	cfg_str(root, "description", NULL);
	st->seed = cfg_u64(root, "seed", CFG_UNIT_NONE, 1, 0, UINT64_MAX);
	st->duration = cfg_u64(root, "duration", CFG_UNIT_TIME, 10 * SIM_MS, 1, 3600 * SIM_SEC);
	st->warmup = cfg_u64(root, "warmup", CFG_UNIT_TIME, 0, 0, st->duration);
	st->sample_interval = cfg_u64(root, "sample_interval", CFG_UNIT_TIME,
				      st->duration / 100 ? st->duration / 100 : 1, 1, st->duration);
	engine = cfg_map(root, "engine");
	sp.quantum = cfg_u64(engine, "quantum", CFG_UNIT_TIME, SIM_DEFAULT_QUANTUM, 0, SIM_SEC);
	sp.timing = cfg_bool(engine, "timing", true);
	trace = cfg_map(root, "trace");
	if (cfg_failed(st->cfg))
		return -1;

	if (sim_init(&sp) < 0) {
		sim_error("cannot initialise the simulation engine");
		return -2;
	}

	/*
	 * The hardware and the kernel model on it, if the scenario has a machine
	 * (the engine exerciser needs neither). Boot messages are kept in memory
	 * until dmesg.log can be written.
	 */
	sim_dmesg_buffer();
	if (cfg_has(root, "machine")) {
		struct mm_params mp;
		char err[512];

		if (machine_build(cfg_map(root, "machine")) < 0)
			return -1;
		if (scenario_mm_params(root, &mp) < 0)
			return -1;
		if (mm_boot(&mp, err, sizeof(err)) < 0) {
			cfg_fail(st->cfg, cfg_get(root, "machine"), NULL, "the kernel model cannot boot: %s", err);
			return -1;
		}
		/* User memory, page cache, swap, LRU and kswapd on the booted zones. */
		struct pressure_params pp;

		if (scenario_pressure_params(root, &pp) < 0)
			return -1;
		if (reclaim_init(&pp, err, sizeof(err)) < 0) {
			cfg_fail(st->cfg, cfg_has(root, "swap") ? cfg_get(root, "swap") : cfg_get(root, "machine"),
				 NULL, "%s", err);
			return -1;
		}
		/* Compaction (kcompactd per node, proactive compaction) and the OOM killer. */
		compaction_init();
		oom_init();
		if (kcompactd_start_all() < 0) {
			cfg_fail(st->cfg, cfg_get(root, "machine"), NULL, "cannot start kcompactd");
			return -1;
		}
	} else if (cfg_has(root, "vm") || cfg_has(root, "kernel")) {
		cfg_fail(st->cfg, cfg_get(root, cfg_has(root, "vm") ? "vm" : "kernel"), NULL,
			 "kernel tunables need a `machine:` section to boot on");
		return -1;
	}

	/* Trace events: a string ("kmem,vmscan") or a sequence of specs. */
	struct cfg_node *ev = cfg_get(trace, "events");
	if (ev) {
		size_t n = cfg_kind(ev) == CFG_SEQ ? cfg_len(ev) : 1;

		for (size_t i = 0; i < n; i++) {
			struct cfg_node *item = cfg_kind(ev) == CFG_SEQ ? cfg_at(ev, i) : ev;
			const char *spec = cfg_scalar(item);
			char tmp[256], *save = NULL;

			if (!spec) {
				cfg_fail(st->cfg, item, "trace.events", "expected an event spec like kmem or kmem:kmalloc");
				return -1;
			}
			snprintf(tmp, sizeof(tmp), "%s", spec);
			for (char *tok = strtok_r(tmp, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save))
				if (trace_enable(tok) < 0) {
					cfg_fail(st->cfg, item, "trace.events",
						 "expected 'all', a system like kmem or an event like kmem:kmalloc, got '%s'", tok);
					return -1;
				}
		}
		st->trace_open = true;
	}

	if (workloads_setup(st->cfg, cfg_seq(root, "tasks"), st->seed, st->duration) < 0)
		return -1;
	return cfg_failed(st->cfg) ? -1 : 0;
}

static sim_time_t last_sample = SIM_TIME_MAX;

static void sample(sim_time_t now)
{
	last_sample = now;
	stats_sample(now);
}

static void sample_cb(void *ctx, sim_time_t now)
{
	(void)ctx;
	sample(now);
}

static void warmup_cb(void *ctx, sim_time_t now)
{
	bool *done = ctx;

	if (!*done) {
		*done = true;
		stats_reset();
		sim_printk("mmsim: warm-up over at %llu ps, statistics reset", (unsigned long long)now);
	}
}

static int open_outputs(const struct run_opts *o, struct run_state *st)
{
	char dir[512];
	FILE *f;

	if (o->outdir) {
		snprintf(dir, sizeof(dir), "%s", o->outdir);
	} else if (o->sweep) {
		const char *base = strrchr(o->scenario, '/');
		char stem[256];

		snprintf(stem, sizeof(stem), "%s", base ? base + 1 : o->scenario);
		if (strrchr(stem, '.'))
			*strrchr(stem, '.') = 0;
		snprintf(dir, sizeof(dir), "results/%s-%s", stem, o->row.name);
	} else
		results_default_dir(cfg_file(cfg_root(st->cfg)), dir, sizeof(dir));
	st->res = results_open(dir);
	if (!st->res) {
		fprintf(stderr, "mmsim: cannot create results folder %s: %s\n", dir, strerror(errno));
		return MMSIM_EXIT_CANTCREAT;
	}
	f = results_fopen(st->res, "config.yaml");
	if (!f || cfg_write(st->cfg, f) < 0 || results_fclose(st->res, f) < 0) {
		fprintf(stderr, "mmsim: cannot write %s/config.yaml: %s\n", dir, strerror(errno));
		return MMSIM_EXIT_IOERR;
	}
	st->stats_file = results_fopen(st->res, "stats.jsonl");
	if (!st->stats_file) {
		fprintf(stderr, "mmsim: cannot write %s/stats.jsonl: %s\n", dir, strerror(errno));
		return MMSIM_EXIT_CANTCREAT;
	}
	stats_sample_to(st->stats_file);
	if (sim_dmesg_open(results_path(st->res, "dmesg.log", dir, sizeof(dir))) < 0) {
		fprintf(stderr, "mmsim: cannot write %s: %s\n", dir, strerror(errno));
		return MMSIM_EXIT_CANTCREAT;
	}
	if (st->trace_open || o->trace_out) {
		const char *path = o->trace_out ? o->trace_out
						: results_path(st->res, "events.trace", dir, sizeof(dir));
		if (!st->trace_open)
			trace_enable("all");
		if (trace_open(path, machine_built() ? machine_nr_cpus() : 1) < 0) {
			fprintf(stderr, "mmsim: cannot write %s: %s\n", path, strerror(errno));
			return MMSIM_EXIT_CANTCREAT;
		}
		st->trace_open = true;
	}
	return 0;
}

static void progress(const struct run_state *st, sim_time_t now, bool final)
{
	struct sim_engine_stats es;
	double host = host_seconds() - st->host_start;
	uint64_t events;

	sim_engine_stats(&es);
	events = es.advances + es.context_switches + es.notifies;
	fprintf(stderr, "\rmmsim: %5.1f%%  simulated %10.6f s  host %7.2f s  %6.2f M events/s%s",
		100.0 * (double)now / (double)st->duration, (double)now / SIM_SEC, host,
		host > 0 ? events / host / 1e6 : 0.0, final ? "\n" : "");
}

/* Run the simulation in slices so progress and interruption are responsive. */
static int run_loop(const struct run_opts *o, struct run_state *st, sim_time_t *reached)
{
	bool show = !o->quiet && isatty(STDERR_FILENO);
	sim_time_t slice = st->duration / 200 ? st->duration / 200 : 1;
	sim_time_t t = 0;
	int rc = 0;

	while (t < st->duration) {
		t = t + slice < st->duration ? t + slice : st->duration;
		rc = sim_run(t);
		if (show)
			progress(st, sim_now(), false);
		if (rc != 0)
			break;
	}
	*reached = rc == 2 ? st->duration : sim_now();
	if (show)
		progress(st, *reached, true);
	return rc < 0 ? -1 : 0;
}

/* The kernel's /proc and debugfs views at the end of the run, in results/proc/. */
static int write_proc_snapshots(struct run_state *st)
{
	static const char *const views[] = {
		"zoneinfo", "buddyinfo", "pagetypeinfo", "vmstat", "meminfo",
		"extfrag_index", "unusable_index", "slabinfo", "vmallocinfo",
	};
	char rel[64];
	FILE *f;

	if (!mm_booted())
		return 0;
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		snprintf(rel, sizeof(rel), "proc/%s", views[i]);
		f = results_fopen(st->res, rel);
		if (!f)
			return -1;
		mm_show(views[i], f);
		if (results_fclose(st->res, f) < 0)
			return -1;
	}
	return 0;
}

static int write_latency_csv(struct run_state *st)
{
	FILE *f = results_fopen(st->res, "latency.csv");

	if (!f)
		return -1;
	if (stats_write_latency_csv(f) < 0) {
		results_fclose(st->res, f);
		return -1;
	}
	return results_fclose(st->res, f);
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o = { 0 };
	struct run_state st = { 0 };
	struct run_info ri = { 0 };
	struct sim_engine_stats es;
	bool warm_done = false;
	sim_time_t reached = 0;
	int rc;

	if (parse_run_opts(argc, argv, &o) < 0)
		return MMSIM_EXIT_USAGE;
	if (o.sweep) {
		char err[512];
		int r = sweep_load_row(o.sweep, o.sweep_index, &o.row, err, sizeof(err));

		if (r < 0) {
			fprintf(stderr, "mmsim: %s\n", err);
			return r == -2 ? MMSIM_EXIT_USAGE : errno == ENOENT ? MMSIM_EXIT_NOINPUT : MMSIM_EXIT_DATAERR;
		}
	}
	if (o.quiet)
		sim_log_set_level(SIM_LOG_WARN);
	rc = load_scenario(&o, &st);
	if (rc) {
		if (st.cfg && cfg_error(st.cfg))
			fprintf(stderr, "mmsim: %s\n", cfg_error(st.cfg));
		cfg_free(st.cfg);
		return rc;
	}
	rc = build_model(&st);
	if (rc == 0 && cfg_check_unused(st.cfg) < 0)
		rc = -1;
	if (rc < 0) {
		if (cfg_error(st.cfg))
			fprintf(stderr, "mmsim: %s\n", cfg_error(st.cfg));
		cfg_free(st.cfg);
		return rc == -2 ? MMSIM_EXIT_SOFTWARE : MMSIM_EXIT_CONFIG;
	}
	rc = open_outputs(&o, &st);
	if (rc)
		return rc;

	sim_every("stats-sampler", st.sample_interval, st.sample_interval, sample_cb, NULL);
	if (st.warmup)
		sim_every("warmup", st.warmup, SIM_TIME_MAX / 2, warmup_cb, &warm_done);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	st.host_start = host_seconds();
	sample(0);
	rc = run_loop(&o, &st, &reached);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);

	sim_engine_stats(&es);
	ri.scenario = o.scenario;
	ri.command_line = cli_command_line();
	ri.seed = st.seed;
	ri.sim_time_ps = reached;
	ri.host_seconds = host_seconds() - st.host_start;
	ri.events = es.advances + es.context_switches + es.notifies;
	ri.interrupted = interrupted != 0;
	ri.status = interrupted ? "interrupted" : rc < 0 ? "engine error" : "completed";
	ri.exit_code = interrupted ? MMSIM_EXIT_INTERRUPTED : rc < 0 ? MMSIM_EXIT_SOFTWARE : MMSIM_EXIT_OK;
	/* The simulated kernel panicked (out of memory, nothing killable): the run ends there. */
	const char *panic_reason = NULL;
	static char panic_status[256];

	if (!interrupted && mm_panicked(&panic_reason)) {
		snprintf(panic_status, sizeof(panic_status), "panic: %s", panic_reason ? panic_reason : "");
		ri.status = panic_status;
		ri.exit_code = MMSIM_EXIT_FAIL;
	}

	/* SystemC does not run events at exactly the stop time: take the last sample here. */
	if (last_sample != reached)
		sample(reached);
	results_fclose(st.res, st.stats_file);
	stats_sample_to(NULL);
	if (st.trace_open)
		trace_close();
	sim_dmesg_close();
	if (write_latency_csv(&st) < 0 || write_proc_snapshots(&st) < 0 || results_write_summary(st.res, &ri, NULL) < 0) {
		fprintf(stderr, "mmsim: cannot write results in %s: %s\n", results_dir(st.res), strerror(errno));
		results_close(st.res);
		return MMSIM_EXIT_IOERR;
	}
	results_flush_all(st.res);

	if (!o.quiet || interrupted || ri.exit_code == MMSIM_EXIT_FAIL) {
		printf("results: %s\n", results_dir(st.res));
		printf("status: %s, simulated %.6f s in %.2f host s (%.2f M events/s)\n", ri.status,
		       (double)reached / SIM_SEC, ri.host_seconds,
		       ri.host_seconds > 0 ? ri.events / ri.host_seconds / 1e6 : 0.0);
		run_summary_print(stdout);
		workloads_report(stdout);
	}
	results_close(st.res);
	cfg_free(st.cfg);
	sweep_row_free(&o.row);
	sim_shutdown();
	return ri.exit_code;
}
