/* SPDX-License-Identifier: MIT */
/*
 * sim/sweep.h — parameter sweeps: one row of a CSV of --set overrides.
 *
 * The header row names scenario keys (dotted paths, e.g. vm.min_free_kbytes);
 * a column named "name" (optional) names the run. Row N (0-based, counting
 * data rows only) becomes "key=value" overrides applied like --set, so a Slurm
 * array task runs `mmsim run S.yaml --sweep sweep.csv --index $SLURM_ARRAY_TASK_ID`
 * with no wrapper script. Empty cells mean "leave the scenario's value".
 * Fields follow RFC 4180 (double quotes, "" inside quotes); '#' starts a
 * comment line.
 */
#ifndef MMSIM_SIM_SWEEP_H
#define MMSIM_SIM_SWEEP_H

#include <stddef.h>

#define SWEEP_MAX_COLS 64

struct sweep_row {
	int nr;                                  /* number of assignments */
	char *assign[SWEEP_MAX_COLS];            /* "key=value", malloc'd */
	char name[128];                          /* the "name" column, or "row<N>" */
	long nr_rows;                            /* data rows in the file */
};

/**
 * sweep_load_row() - read row @index of the sweep CSV @path into @row.
 * Return: 0; -1 with @err set ("file:line: expected ...") for I/O or syntax
 * errors (errno ENOENT for a missing file), -2 if @index is out of range.
 */
int sweep_load_row(const char *path, long index, struct sweep_row *row, char *err, size_t errlen);
void sweep_row_free(struct sweep_row *row);

#endif /* MMSIM_SIM_SWEEP_H */
