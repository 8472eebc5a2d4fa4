/* SPDX-License-Identifier: MIT */
/*
 * sim/log.h — diagnostics on stderr and the simulated kernel log (dmesg.log).
 *
 * sim_log*() is for the simulator's own messages (stderr, never stdout: stdout
 * carries data). sim_printk() is what the simulated kernel prints: lines are
 * prefixed "[%5lu.%06lu] " with the simulated time, like dmesg, and go to the
 * run's dmesg.log (or nowhere when no file is open). Neither is for hot paths.
 */
#ifndef MMSIM_SIM_LOG_H
#define MMSIM_SIM_LOG_H

#include <stdarg.h>
#include <stdio.h>

enum sim_log_level { SIM_LOG_DEBUG, SIM_LOG_INFO, SIM_LOG_WARN, SIM_LOG_ERROR };

void sim_log_set_level(enum sim_log_level lvl);     /* default INFO; --quiet sets WARN */
void sim_log(enum sim_log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sim_vlog(enum sim_log_level lvl, const char *fmt, va_list ap);

#define sim_debug(...) sim_log(SIM_LOG_DEBUG, __VA_ARGS__)
#define sim_info(...)  sim_log(SIM_LOG_INFO, __VA_ARGS__)
#define sim_warn(...)  sim_log(SIM_LOG_WARN, __VA_ARGS__)
#define sim_error(...) sim_log(SIM_LOG_ERROR, __VA_ARGS__)

/*
 * Kernel log. The file is owned by the log module; NULL path closes it.
 * sim_dmesg_buffer() keeps lines in memory (boot happens before the results
 * folder exists); the next sim_dmesg_open() writes them to the file first.
 */
int sim_dmesg_buffer(void);
int sim_dmesg_open(const char *path);
void sim_dmesg_close(void);
FILE *sim_dmesg_file(void);                         /* NULL if none */
void sim_printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sim_vprintk(const char *fmt, va_list ap);
unsigned long sim_printk_count(void);              /* lines printed so far */

#endif /* MMSIM_SIM_LOG_H */
