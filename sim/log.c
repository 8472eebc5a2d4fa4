/* SPDX-License-Identifier: MIT */
/*
 * sim/log.c — simulator diagnostics (stderr) and the simulated kernel log.
 *
 * The kernel log mimics dmesg: "[%5lu.%06lu] text" with the simulated time at
 * the moment of printing. A message may contain several lines; each gets the
 * prefix. Messages are also counted so the summary can say how many there were.
 */
#include "sim/log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim/engine.h"

static enum sim_log_level log_level = SIM_LOG_INFO;
static FILE *dmesg;
static unsigned long dmesg_lines;
/* Before the results folder exists (boot), lines are kept in memory. */
static char *early_buf;
static size_t early_len;
static bool early;

void sim_log_set_level(enum sim_log_level lvl)
{
	log_level = lvl;
}

void sim_vlog(enum sim_log_level lvl, const char *fmt, va_list ap)
{
	static const char *const tag[] = { "debug: ", "", "warning: ", "error: " };

	if (lvl < log_level)
		return;
	fprintf(stderr, "mmsim: %s", tag[lvl]);
	vfprintf(stderr, fmt, ap);
	if (!*fmt || fmt[strlen(fmt) - 1] != '\n')
		fputc('\n', stderr);
}

void sim_log(enum sim_log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sim_vlog(lvl, fmt, ap);
	va_end(ap);
}

int sim_dmesg_buffer(void)
{
	sim_dmesg_close();
	dmesg = open_memstream(&early_buf, &early_len);
	early = dmesg != NULL;
	return early ? 0 : -1;
}

int sim_dmesg_open(const char *path)
{
	char *kept = NULL;
	size_t kept_len = 0;

	if (early) {
		fclose(dmesg);            /* finalises early_buf / early_len */
		dmesg = NULL;
		early = false;
		kept = early_buf;
		kept_len = early_len;
		early_buf = NULL;
	}
	sim_dmesg_close();
	if (path) {
		dmesg = fopen(path, "w");
		if (dmesg && kept_len)
			fwrite(kept, 1, kept_len, dmesg);
	}
	free(kept);
	return !path || dmesg ? 0 : -1;
}

void sim_dmesg_close(void)
{
	if (dmesg)
		fclose(dmesg);
	dmesg = NULL;
	if (early) {
		free(early_buf);
		early_buf = NULL;
		early = false;
	}
}

FILE *sim_dmesg_file(void)
{
	return dmesg;
}

unsigned long sim_printk_count(void)
{
	return dmesg_lines;
}

void sim_vprintk(const char *fmt, va_list ap)
{
	char buf[4096];
	sim_time_t now = sim_now();
	unsigned long sec = (unsigned long)(now / SIM_SEC);
	unsigned long usec = (unsigned long)((now % SIM_SEC) / SIM_US);
	const char *line = buf;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		dmesg_lines++;
		if (dmesg)
			fprintf(dmesg, "[%5lu.%06lu] %.*s\n", sec, usec, (int)n, line);
		line += n + (nl ? 1 : 0);
	}
}

void sim_printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sim_vprintk(fmt, ap);
	va_end(ap);
}
