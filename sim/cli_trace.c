/* SPDX-License-Identifier: MIT */
/*
 * sim/cli_trace.c — `mmsim check-trace TRACE` and `mmsim replay TRACE`.
 *
 * check-trace parses a Linux ftrace / trace-cmd / perf script text trace and
 * prints counts per event, unmatched frees and misuse (double frees,
 * sleeping allocations in atomic context) without simulating.
 *
 * replay is a shortcut for a replay-only scenario: it writes a scenario with
 * one `workload: replay` task (the replay engine of traces/replay.c,
 * registered as a workload generator) and hands it to `mmsim run`, so the
 * results folder is exactly the one `mmsim run` writes. The trace is
 * pre-scanned first: malformed lines are reported with their line numbers
 * (fatal with exit 65 under --strict) and the scenario's duration is derived
 * from the trace's time span and --speed (with --asap the replay stops the
 * simulation itself when every stream has finished).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sim/cli.h"
#include "sim/results.h"
#include "traces/trace.h"

static void check_usage(FILE *out)
{
	fprintf(out,
		"Usage: mmsim check-trace TRACE [OPTIONS]\n"
		"\n"
		"Parse TRACE (Linux ftrace text from /sys/kernel/tracing/trace or trace_pipe,\n"
		"`trace-cmd report` or `perf script` output; \"-\" reads stdin) and report the\n"
		"events per type, unmatched frees, misuse (double frees, sleeping allocations\n"
		"in atomic context per the flags column) and malformed lines. Nothing is simulated.\n"
		"\n"
		"Options:\n"
		"      --strict           stop at the first malformed line (exit 65)\n"
		"  -h, --help             this help\n"
		"\n"
		"Exit status: 0 checked (malformed lines are listed in the report), 65 a malformed\n"
		"line with --strict, 66 TRACE unreadable.\n");
}

int cmd_check_trace(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "strict", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct trace_check_result *res;
	struct trace_reader *r;
	bool strict = false;
	const char *path;
	char err[512];
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'S': strict = true; break;
		case 'h': check_usage(stdout); return MMSIM_EXIT_OK;
		default:
			cli_usage_error("check-trace", "unknown option '%s'", argv[optind - 1]);
			return MMSIM_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		cli_usage_error("check-trace", "missing TRACE");
		return MMSIM_EXIT_USAGE;
	}
	path = argv[optind++];
	if (optind < argc) {
		cli_usage_error("check-trace", "unexpected argument '%s'", argv[optind]);
		return MMSIM_EXIT_USAGE;
	}
	r = trace_reader_open(path, err, sizeof(err));
	if (!r) {
		fprintf(stderr, "mmsim: %s\n", err);
		return MMSIM_EXIT_NOINPUT;
	}
	res = calloc(1, sizeof(*res));
	if (!res) {
		trace_reader_close(r);
		return MMSIM_EXIT_SOFTWARE;
	}
	rc = trace_check_file(r, strict, res);
	if (rc < 0) {
		fprintf(stderr, "mmsim: %s: %s\n", path, trace_reader_error(r));
		rc = MMSIM_EXIT_IOERR;
	} else if (rc == 1) {
		trace_print_malformed(stderr, path, &res->parse);
		fprintf(stderr, "mmsim: %s: stopped at the first malformed line (--strict)\n", path);
		rc = MMSIM_EXIT_DATAERR;
	} else {
		trace_check_print(stdout, path, res);
		rc = MMSIM_EXIT_OK;
	}
	free(res);
	trace_reader_close(r);
	return rc;
}

/* --- mmsim replay --------------------------------------------------------------- */

#define MAX_PASS 160

static void replay_usage(FILE *out)
{
	fprintf(out,
		"Usage: mmsim replay TRACE [OPTIONS]\n"
		"\n"
		"Replay the allocations of TRACE (Linux ftrace text, `trace-cmd report` or\n"
		"`perf script` output of the kmem events) on a simulated machine and write the\n"
		"same results folder as `mmsim run`. Each traced CPU's events run on a simulated\n"
		"CPU (traced modulo simulated by default) in the context the flags column shows\n"
		"(h hardirq, s softirq, d irqs off).\n"
		"\n"
		"Options:\n"
		"  -m, --machine PRESET   machine preset (machine/presets/PRESET.yaml; default tiny)\n"
		"  -o, --output DIR       results folder (default results/<trace>-<UTC time>)\n"
		"      --trace-out FILE   record what the simulator did, in the same ftrace format\n"
		"      --mode MODE        slab: kmalloc/kmem_cache_* only; pages: mm_page_* only;\n"
		"                         both (default): slab events plus page events not\n"
		"                         attributed to slab refills (a mm_page_alloc directly\n"
		"                         followed by a slab allocation on the same CPU is skipped)\n"
		"      --speed X          replay X times faster than recorded (default 1)\n"
		"      --asap             ignore timestamps: replay as fast as the model allows\n"
		"      --cpu-map LIST     traced:simulated CPU pairs, e.g. 0:1,1:0\n"
		"      --strict           the first malformed line is fatal (exit 65)\n"
		"      --seed N           run seed\n"
		"      --set KEY=VALUE    override a scenario key (repeatable), e.g.\n"
		"                         --set machine.nodes.0.memory=1GiB\n"
		"      --timing on|off    charge simulated time for costs\n"
		"  -q, --quiet            no progress line, warnings only\n"
		"  -h, --help             this help\n"
		"\n"
		"Frees of objects allocated before the trace began are counted as unmatched.\n"
		"Malformed lines are skipped and reported with their line numbers.\n");
}

/* Single-quoted YAML scalar of @s into @buf. */
static const char *yaml_quote(const char *s, char *buf, size_t len)
{
	size_t n = 0;

	buf[n++] = '\'';
	for (; *s && n + 3 < len; s++) {
		if (*s == '\'')
			buf[n++] = '\'';
		buf[n++] = *s;
	}
	buf[n++] = '\'';
	buf[n] = 0;
	return buf;
}

int cmd_replay(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "machine", required_argument, NULL, 'm' },
		{ "output", required_argument, NULL, 'o' },
		{ "trace-out", required_argument, NULL, 'T' },
		{ "mode", required_argument, NULL, 'M' },
		{ "speed", required_argument, NULL, 'x' },
		{ "asap", no_argument, NULL, 'a' },
		{ "cpu-map", required_argument, NULL, 'c' },
		{ "strict", no_argument, NULL, 'S' },
		{ "seed", required_argument, NULL, 's' },
		{ "set", required_argument, NULL, 'k' },
		{ "timing", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *machine = "tiny", *outdir = NULL, *trace_out = NULL, *mode = "both", *cpu_map = NULL;
	const char *seed = NULL, *timing = NULL, *path;
	const char *sets[64];
	int nr_sets = 0;
	bool asap = false, strict = false, quiet = false;
	double speed = 1.0;
	char *pass[MAX_PASS];
	int npass = 0, c, rc;
	char err[512], q1[1200], q2[1200], dir[512], yaml_path[64], absbuf[4096];
	struct trace_reader *r;
	struct trace_rec rec;
	const struct trace_parse_stats *ps;
	double span_s;
	FILE *f;
	int fd;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":m:o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': machine = optarg; break;
		case 'o': outdir = optarg; break;
		case 'T': trace_out = optarg; break;
		case 'M':
			if (replay_parse_mode(optarg) < 0) {
				cli_usage_error("replay", "--mode expects slab, pages or both, got '%s'", optarg);
				return MMSIM_EXIT_USAGE;
			}
			mode = optarg;
			break;
		case 'x': {
			char *end;

			speed = strtod(optarg, &end);
			if (end == optarg || *end || !(speed > 0) || speed > 1e12) {
				cli_usage_error("replay", "--speed expects a positive number, got '%s'", optarg);
				return MMSIM_EXIT_USAGE;
			}
			break;
		}
		case 'a': asap = true; break;
		case 'c': cpu_map = optarg; break;
		case 'S': strict = true; break;
		case 's': seed = optarg; break;
		case 'k':
			if (nr_sets == 64) {
				cli_usage_error("replay", "too many --set options (at most 64)");
				return MMSIM_EXIT_USAGE;
			}
			sets[nr_sets++] = optarg;
			break;
		case 't':
			if (strcmp(optarg, "on") && strcmp(optarg, "off")) {
				cli_usage_error("replay", "--timing expects 'on' or 'off', got '%s'", optarg);
				return MMSIM_EXIT_USAGE;
			}
			timing = optarg;
			break;
		case 'q': quiet = true; break;
		case 'h': replay_usage(stdout); return MMSIM_EXIT_OK;
		case ':':
			cli_usage_error("replay", "option '%s' needs a value", argv[optind - 1]);
			return MMSIM_EXIT_USAGE;
		default:
			cli_usage_error("replay", "unknown option '%s'", argv[optind - 1]);
			return MMSIM_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		cli_usage_error("replay", "missing TRACE");
		return MMSIM_EXIT_USAGE;
	}
	path = argv[optind++];
	if (optind < argc) {
		cli_usage_error("replay", "unexpected argument '%s'", argv[optind]);
		return MMSIM_EXIT_USAGE;
	}
	if (!strcmp(path, "-")) {
		cli_usage_error("replay", "TRACE must be a file (it is read twice); save the pipe to a file first");
		return MMSIM_EXIT_USAGE;
	}

	/* Pre-scan: malformed lines (fatal with --strict) and the time span. */
	r = trace_reader_open(path, err, sizeof(err));
	if (!r) {
		fprintf(stderr, "mmsim: %s\n", err);
		return MMSIM_EXIT_NOINPUT;
	}
	while ((rc = trace_reader_next(r, &rec)) != 0) {
		if (rc == -1 && strict)
			break;
		if (rc < -1)
			break;
	}
	ps = trace_reader_stats(r);
	if (rc < -1) {
		fprintf(stderr, "mmsim: %s: %s\n", path, trace_reader_error(r));
		trace_reader_close(r);
		return MMSIM_EXIT_NOINPUT;
	}
	if (ps->malformed)
		trace_print_malformed(stderr, path, ps);
	if (rc == -1) {
		fprintf(stderr, "mmsim: %s: stopped at the first malformed line (--strict)\n", path);
		trace_reader_close(r);
		return MMSIM_EXIT_DATAERR;
	}
	span_s = ps->events ? (double)(ps->last_ts_ns - ps->first_ts_ns) / 1e9 / speed : 0.0;
	trace_reader_close(r);

	/* The replay-only scenario. */
	snprintf(yaml_path, sizeof(yaml_path), "/tmp/mmsim-replay-XXXXXX.yaml");
	fd = mkstemps(yaml_path, 5);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		fprintf(stderr, "mmsim: cannot create a temporary scenario: %s\n", strerror(errno));
		if (fd >= 0)
			close(fd);
		return MMSIM_EXIT_CANTCREAT;
	}
	{
		const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		char nm[256];
		/* Timed: the trace's span plus slack; asap: up to the limit (the replay stops the run). */
		double dur = asap ? 3600.0 : span_s * 1.5 + 1.0;
		double si = asap ? 0.001 : (span_s > 0 ? span_s / 100 : 0.001);

		if (dur > 3600.0)
			dur = 3600.0;
		if (si < 1e-6)
			si = 1e-6;
		if (si > dur)
			si = dur;
		snprintf(nm, sizeof(nm), "replay-%s", base);
		if (!realpath(path, absbuf))
			snprintf(absbuf, sizeof(absbuf), "%s", path);
		fprintf(f, "# written by mmsim replay: a replay-only scenario\n");
		fprintf(f, "name: %s\n", yaml_quote(nm, q1, sizeof(q1)));
		fprintf(f, "description: %s\n", yaml_quote(absbuf, q2, sizeof(q2)));
		fprintf(f, "duration: %lluus\n", (unsigned long long)(dur * 1e6 + 0.5));
		fprintf(f, "sample_interval: %lluns\n", (unsigned long long)(si * 1e9 + 0.5));
		fprintf(f, "machine:\n  preset: %s\n", yaml_quote(machine, q1, sizeof(q1)));
		fprintf(f, "tasks:\n  - workload: replay\n    name: replay\n");
		fprintf(f, "    trace: %s\n", yaml_quote(absbuf, q1, sizeof(q1)));
		fprintf(f, "    mode: %s\n", mode);
		fprintf(f, "    speed: %.17g\n", speed);
		fprintf(f, "    asap: %s\n", asap ? "true" : "false");
		if (cpu_map)
			fprintf(f, "    cpu_map: %s\n", yaml_quote(cpu_map, q1, sizeof(q1)));
		fprintf(f, "    stop_when_done: true\n");
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "mmsim: cannot write %s: %s\n", yaml_path, strerror(errno));
		unlink(yaml_path);
		return MMSIM_EXIT_CANTCREAT;
	}

	/* Hand it to `mmsim run` so the results folder is the same. */
	if (!outdir) {
		results_default_dir(path, dir, sizeof(dir));
		outdir = dir;
	}
	pass[npass++] = "run";
	pass[npass++] = yaml_path;
	pass[npass++] = "-o";
	pass[npass++] = (char *)outdir;
	if (seed) {
		pass[npass++] = "--seed";
		pass[npass++] = (char *)seed;
	}
	if (timing) {
		pass[npass++] = "--timing";
		pass[npass++] = (char *)timing;
	}
	if (trace_out) {
		pass[npass++] = "--trace-out";
		pass[npass++] = (char *)trace_out;
	}
	for (int i = 0; i < nr_sets; i++) {
		pass[npass++] = "--set";
		pass[npass++] = (char *)sets[i];
	}
	if (quiet)
		pass[npass++] = "--quiet";
	pass[npass] = NULL;
	rc = cmd_run(npass, pass);
	if (rc == MMSIM_EXIT_CONFIG)
		fprintf(stderr, "mmsim replay: %s is the scenario generated from the command line "
			"(--machine, --mode, --speed, --cpu-map, --set)\n", yaml_path);
	unlink(yaml_path);
	return rc;
}
