/* SPDX-License-Identifier: MIT */
/*
 * tests/bench.h — `make bench`: each bench prints its figures to stdout.
 * tests/bench.c runs every bench in a forked child (one SystemC kernel per
 * process) so a bench may build its own engine and machine.
 */
#ifndef MMSIM_TESTS_BENCH_H
#define MMSIM_TESTS_BENCH_H

#include <stdint.h>

void bench_engine(void);     /* tests/bench_engine.c */
void bench_machine(void);    /* tests/bench_machine.c */
void bench_mm(void);         /* tests/bench_mm.c */
void bench_slab(void);       /* tests/bench_slab.c */
void bench_traces(void);     /* tests/bench_traces.c */
void bench_vmalloc(void);    /* tests/bench_vmalloc.c */
void bench_pressure(void);   /* tests/bench_pressure.c */

double bench_now(void);      /* host monotonic seconds */
/* Run @fn in a child process (fresh SystemC); returns its exit status. */
int bench_fork(void (*fn)(void *), void *arg);
void bench_report(const char *what, double value, const char *unit);

#endif
