/* SPDX-License-Identifier: MIT */
/*
 * sim/main.c — the mmsim command: one table of subcommands, help, version.
 *
 * This is the only place that knows every layer. Each subcommand parses its
 * own options with getopt_long and returns an exit code (sim/cli.h); data goes
 * to stdout, diagnostics to stderr.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim/cli.h"
#include "workloads/workload.h"

static int cmd_list_workloads(int argc, char **argv)
{
	if (argc > 1) {
		cli_usage_error("list-workloads", "unexpected argument '%s'", argv[1]);
		return MMSIM_EXIT_USAGE;
	}
	workload_list(stdout);
	return MMSIM_EXIT_OK;
}

static const struct cli_command commands[] = {
	{ "run", cmd_run, "SCENARIO [-o DIR] [--seed N] [--set KEY=VALUE]... [--timing on|off] [--quiet]",
	  "run a scenario and write its results folder" },
	{ "replay", cmd_replay,
	  "TRACE [--machine PRESET] [-o DIR] [--trace-out FILE] [--mode slab|pages|both] [--speed X|--asap] "
	  "[--cpu-map LIST] [--strict] [--seed N] [--set KEY=VALUE]... [--timing on|off] [--quiet]",
	  "replay a Linux kmem trace (ftrace, trace-cmd report, perf script) on a simulated machine" },
	{ "check-trace", cmd_check_trace, "TRACE [--strict]",
	  "parse a trace: event counts, unmatched frees, double frees, sleeping allocations in atomic context" },
	{ "boot", cmd_boot,
	  "SCENARIO|PRESET|--dmesg FILE [--distances FILE] [--cpus N] [--set KEY=VALUE]... [--show VIEW]...",
	  "boot the kernel model and print /proc views (zoneinfo, buddyinfo, slabinfo, ...)" },
	{ "plot", cmd_plot, "RUN [--quiet]",
	  "render a results folder's figures (plots/*.gp) into RUN/plots/" },
	{ "report", cmd_report, "RUN [--slab] [--page] [--latency] [--pressure] [--lines N] [--trace FILE]",
	  "perf-kmem-stat-style slab/page summaries, latency table and pressure summary of a run" },
	{ "compare", cmd_compare, "RUN1 RUN2 ... [--metrics PREFIX,...] [--format text|csv] [--plot FILE.png]",
	  "key metrics of several runs side by side with relative change (mmtests style)" },
	{ "cachesim", cmd_cachesim, "[--I1 S,A,L] [--D1 S,A,L] [--LL S,A,L] TRACE|-",
	  "replay a valgrind lackey trace through the cache model, print cachegrind's counters" },
	{ "list-workloads", cmd_list_workloads, "",
	  "list the workload generators with their parameters, units and defaults" },
};
#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static char command_line[4096];

const char *cli_command_line(void)
{
	return command_line;
}

void cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mmsim%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'mmsim %s--help' for more information.\n", cmd ? "" : "");
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: mmsim COMMAND [ARGS]...\n"
		"       mmsim --help | --version\n"
		"\n"
		"mmsim simulates a multi-node NUMA machine running a model of the Linux 6.1\n"
		"memory-allocator stack, driven by workload generators and replayed traces.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < NR_COMMANDS; i++)
		fprintf(out, "  %-15s %s\n  %-15s   mmsim %s %s\n", commands[i].name, commands[i].help, "",
			commands[i].name, commands[i].args);
	fprintf(out,
		"\n"
		"Run 'mmsim COMMAND --help' for a command's options.\n"
		"\n"
		"Exit status:\n"
		"  0    success\n"
		"  1    the run completed abnormally (e.g. the simulated kernel panicked)\n"
		"  2    bad command line\n"
		"  65   malformed input data (trace, lackey or dmesg file)\n"
		"  66   an input file is missing or unreadable\n"
		"  70   internal error\n"
		"  73   cannot create the results folder or an output file\n"
		"  74   I/O error while writing results\n"
		"  78   bad scenario, preset or --set value (message names file:line:col and key)\n"
		"  130  interrupted (SIGINT/SIGTERM): results so far are flushed and marked interrupted\n"
		"\n"
		"Environment: MMSIM_PRESETS (machine preset folder), NO_COLOR.\n");
}

int main(int argc, char **argv)
{
	size_t n = 0;

	for (int i = 0; i < argc && n < sizeof(command_line) - 1; i++)
		n += (size_t)snprintf(command_line + n, sizeof(command_line) - n, "%s%s",
				      i ? " " : "", argv[i]);
	if (argc < 2) {
		usage(stderr);
		return MMSIM_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return MMSIM_EXIT_OK;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("mmsim %s (git %s)\n", mmsim_version(), mmsim_git());
		return MMSIM_EXIT_OK;
	}
	for (size_t i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	cli_usage_error(NULL, "unknown command '%s'", argv[1]);
	return MMSIM_EXIT_USAGE;
}
