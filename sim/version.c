/* SPDX-License-Identifier: MIT */
/* sim/version.c — version and git describe, compiled in by the Makefile. */
#include "sim/cli.h"

#ifndef MMSIM_VERSION
#define MMSIM_VERSION "0.0.0"
#endif
#ifndef MMSIM_GIT
#define MMSIM_GIT "unknown"
#endif

const char *mmsim_version(void)
{
	return MMSIM_VERSION;
}

const char *mmsim_git(void)
{
	return MMSIM_GIT;
}
