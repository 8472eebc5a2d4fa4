/* SPDX-License-Identifier: MIT */
/*
 * sim/cli.h — the mmsim command line: subcommands and exit codes.
 *
 * sim/main.c holds the one table of subcommands; each subcommand is a
 * function `int cmd_x(int argc, char **argv)` (argv[0] is the subcommand name)
 * returning one of the exit codes below. Only the CLI exits; libraries return
 * errors.
 */
#ifndef MMSIM_SIM_CLI_H
#define MMSIM_SIM_CLI_H

#include <sysexits.h>

/* Exit codes (documented in `mmsim --help`). */
enum {
	MMSIM_EXIT_OK = 0,           /* success */
	MMSIM_EXIT_FAIL = 1,         /* ran, but the run ended abnormally (e.g. simulated panic) */
	MMSIM_EXIT_USAGE = 2,        /* bad command line */
	MMSIM_EXIT_DATAERR = EX_DATAERR,     /* 65: malformed input data (trace, lackey, dmesg) */
	MMSIM_EXIT_NOINPUT = EX_NOINPUT,     /* 66: input file missing or unreadable */
	MMSIM_EXIT_SOFTWARE = EX_SOFTWARE,   /* 70: internal error */
	MMSIM_EXIT_CANTCREAT = EX_CANTCREAT, /* 73: cannot create the results folder / output */
	MMSIM_EXIT_IOERR = EX_IOERR,         /* 74: I/O error while writing */
	MMSIM_EXIT_CONFIG = EX_CONFIG,       /* 78: bad scenario / preset / --set value */
	MMSIM_EXIT_INTERRUPTED = 130,        /* SIGINT/SIGTERM: results flushed and marked */
};

struct cli_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args;            /* synopsis of its arguments */
	const char *help;            /* one line */
};

/* Subcommands, defined across sim/cli_*.c and the layers that own them. */
int cmd_run(int argc, char **argv);          /* sim/cli_run.c */
int cmd_plot(int argc, char **argv);         /* sim/cli_plot.c */
int cmd_compare(int argc, char **argv);      /* sim/cli_compare.c */
int cmd_report(int argc, char **argv);       /* sim/cli_report.c */
int cmd_cachesim(int argc, char **argv);     /* sim/cli_cachesim.c */
int cmd_boot(int argc, char **argv);         /* sim/cli_boot.c */
int cmd_replay(int argc, char **argv);       /* sim/cli_trace.c */
int cmd_check_trace(int argc, char **argv);  /* sim/cli_trace.c */

/* Shared helpers for subcommands (sim/main.c). */
const char *cli_command_line(void);          /* the joined argv of this invocation */
void cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *mmsim_version(void);             /* sim/version.c: "0.1.0" */
const char *mmsim_git(void);                 /* sim/version.c: git describe at build time */

#endif /* MMSIM_SIM_CLI_H */
