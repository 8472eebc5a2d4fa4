/* SPDX-License-Identifier: MIT */
/*
 * tests/bench.c — driver for `make bench`: runs each bench in its own process
 * and prints "name: value unit" lines. Timing figures are host-dependent and
 * never asserted (benchmarks are not tests).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "tests/bench.h"

double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int bench_fork(void (*fn)(void *), void *arg)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		fn(arg);
		fflush(stdout);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return status;
}

void bench_report(const char *what, double value, const char *unit)
{
	printf("  %-58s %14.3f %s\n", what, value, unit);
	fflush(stdout);
}

static const struct {
	const char *name;
	void (*fn)(void);
} benches[] = {
	{ "engine", bench_engine },
	{ "machine", bench_machine },
	{ "mm", bench_mm },
	{ "slab", bench_slab },
	{ "vmalloc", bench_vmalloc },
	{ "traces", bench_traces },
	{ "pressure", bench_pressure },
};

int main(int argc, char **argv)
{
	setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++) {
		if (argc > 1 && strcmp(argv[1], benches[i].name) != 0)
			continue;
		printf("== %s ==\n", benches[i].name);
		benches[i].fn();
	}
	return 0;
}
