/* SPDX-License-Identifier: MIT */
/*
 * sim/results.h — the results folder of a run and atomic file writing.
 *
 * Every file is written to "<name>.tmp" and renamed into place on close, so an
 * interrupted run never leaves a half file. summary.json carries provenance
 * (version, git describe, command line, seed, simulated and host seconds,
 * events/s) next to the final counters and histogram percentiles.
 */
#ifndef MMSIM_SIM_RESULTS_H
#define MMSIM_SIM_RESULTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct results;

/** results_open() - create @dir (and parents); NULL + errno on failure. */
struct results *results_open(const char *dir);
const char *results_dir(const struct results *r);
/** results_path() - "<dir>/<rel>" into @buf. */
const char *results_path(const struct results *r, const char *rel, char *buf, size_t len);

/* Atomic files: fopen of "<dir>/<rel>.tmp"; results_fclose renames it to "<dir>/<rel>". */
FILE *results_fopen(struct results *r, const char *rel);
int results_fclose(struct results *r, FILE *f);          /* 0 or -errno; NULL f ok */
/** results_abort_all() - close and keep (rename) every open file: used on interruption. */
void results_flush_all(struct results *r);
void results_close(struct results *r);

/* Provenance and summary. */
struct run_info {
	const char *scenario;                 /* path */
	const char *command_line;             /* joined argv */
	uint64_t seed;
	uint64_t sim_time_ps;                 /* simulated time reached */
	double host_seconds;
	uint64_t events;                      /* engine events (advances + switches + notifies) */
	bool interrupted;                     /* SIGINT/SIGTERM or sim_stop before the end */
	const char *status;                   /* "completed", "interrupted", "panic: ..." */
	int exit_code;
};
/** results_write_summary() - summary.json with provenance, all stats, hist percentiles. */
int results_write_summary(struct results *r, const struct run_info *ri, void *extra_json);

/** results_default_dir() - "results/<scenario basename>-<UTC yyyymmddThhmmssZ>". */
void results_default_dir(const char *scenario, char *buf, size_t len);

#endif /* MMSIM_SIM_RESULTS_H */
