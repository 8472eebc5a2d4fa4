/* SPDX-License-Identifier: MIT */
/*
 * sim/cli_cachesim.c — `mmsim cachesim`: replay a valgrind lackey trace
 * through caches configured like cachegrind's and print its nine counters.
 *
 *   valgrind --tool=lackey --trace-mem=yes --log-file=trace.txt ./prog
 *   mmsim cachesim --I1 32768,8,64 --D1 32768,8,64 --LL 1048576,16,64 trace.txt
 *
 * The counts equal `valgrind --tool=cachegrind --cache-sim=yes` with the same
 * --I1/--D1/--LL (machine/cachesim.c). Cachegrind takes omitted geometries
 * from the host CPU; mmsim uses fixed defaults instead (I1 and D1
 * 32768,8,64, LL 8388608,16,64), so pass all three flags to compare.
 * Exit codes: 0, 2 (usage / bad geometry), 65 (malformed trace line, reported
 * as file:line: expected ...), 66 (trace unreadable).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "machine/cache.h"
#include "sim/cli.h"

static void cachesim_usage(FILE *out)
{
	fprintf(out,
		"Usage: mmsim cachesim [--I1 SIZE,ASSOC,LINE] [--D1 SIZE,ASSOC,LINE]\n"
		"                      [--LL SIZE,ASSOC,LINE] TRACE|-\n"
		"\n"
		"Replay a valgrind lackey trace (valgrind --tool=lackey --trace-mem=yes)\n"
		"through cachegrind's cache model and print its counters\n"
		"(Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw). Sizes are in bytes.\n"
		"Defaults: --I1 32768,8,64 --D1 32768,8,64 --LL 8388608,16,64 (cachegrind\n"
		"would take the host CPU's values: give all three to compare with it).\n");
}

int cmd_cachesim(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "I1", required_argument, NULL, 'i' },
		{ "D1", required_argument, NULL, 'd' },
		{ "LL", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cache_geom i1 = { 32768, 8, 64, 0 }, d1 = { 32768, 8, 64, 0 },
			  ll = { 8388608, 16, 64, 0 };
	struct cachesim s;
	char err[512];
	const char *path, *name;
	FILE *f;
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		struct cache_geom *g = c == 'i' ? &i1 : c == 'd' ? &d1 : c == 'l' ? &ll : NULL;

		if (c == 'h') {
			cachesim_usage(stdout);
			return MMSIM_EXIT_OK;
		}
		if (!g) {
			cli_usage_error("cachesim", "unknown or incomplete option '%s'", argv[optind - 1]);
			return MMSIM_EXIT_USAGE;
		}
		if (cachesim_parse_geom(optarg, g, err, sizeof(err))) {
			cli_usage_error("cachesim", "--%s: %s", c == 'i' ? "I1" : c == 'd' ? "D1" : "LL", err);
			return MMSIM_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		cli_usage_error("cachesim", optind >= argc ? "missing TRACE (a lackey trace file or -)"
				: "only one TRACE expected");
		return MMSIM_EXIT_USAGE;
	}
	path = argv[optind];
	if (cachesim_init(&s, &i1, &d1, &ll, err, sizeof(err))) {
		cli_usage_error("cachesim", "%s", err);
		return MMSIM_EXIT_USAGE;
	}
	if (!strcmp(path, "-")) {
		f = stdin;
		name = "<stdin>";
	} else {
		f = fopen(path, "r");
		name = path;
		if (!f) {
			fprintf(stderr, "mmsim cachesim: %s: cannot open: %s\n", path, strerror(errno));
			cachesim_free(&s);
			return MMSIM_EXIT_NOINPUT;
		}
	}
	rc = cachesim_run_file(&s, f, name, err, sizeof(err));
	if (f != stdin)
		fclose(f);
	if (rc) {
		fprintf(stderr, "mmsim cachesim: %s\n", err);
		cachesim_free(&s);
		return MMSIM_EXIT_DATAERR;
	}
	printf("I1 cache:         %llu B, %u B, %u-way associative\n",
	       (unsigned long long)i1.size, i1.line, i1.ways);
	printf("D1 cache:         %llu B, %u B, %u-way associative\n",
	       (unsigned long long)d1.size, d1.line, d1.ways);
	printf("LL cache:         %llu B, %u B, %u-way associative\n\n",
	       (unsigned long long)ll.size, ll.line, ll.ways);
	cachesim_print(&s, stdout);
	cachesim_free(&s);
	return fflush(stdout) ? MMSIM_EXIT_IOERR : MMSIM_EXIT_OK;
}
