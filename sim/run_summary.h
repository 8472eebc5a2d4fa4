/* SPDX-License-Identifier: MIT */
/* sim/run_summary.h — the end-of-run summary lines of `mmsim run` (see run_summary.c). */
#ifndef MMSIM_SIM_RUN_SUMMARY_H
#define MMSIM_SIM_RUN_SUMMARY_H

#include <stdio.h>

void run_summary_print(FILE *out);

#endif
