/* SPDX-License-Identifier: MIT */
/*
 * tests/testutil.h — helpers shared by the Check suites.
 */
#ifndef MMSIM_TESTS_TESTUTIL_H
#define MMSIM_TESTS_TESTUTIL_H

#include <stddef.h>

/* A fresh temporary directory for this test (removed by the OS tmp cleaner; tests run forked). */
const char *test_tmpdir(void);
/* Write @text to "<tmpdir>/<name>" and return the path (static buffer per call slot). */
const char *test_write_file(const char *name, const char *text);
/* Read a whole file into a malloc'd NUL-terminated buffer (NULL on error). */
char *test_read_file(const char *path, size_t *len);
/*
 * Run the mmsim binary ($MMSIM, default build/mmsim) with @args (a shell-free
 * argv, NULL-terminated), capture stdout and stderr into malloc'd strings.
 * Return: the exit status (or -1 if it could not run).
 */
int test_run_mmsim(const char *const *args, char **out, char **err);
/* Number of (possibly overlapping) occurrences of @needle in @hay. */
int test_count_str(const char *hay, const char *needle);

#endif
