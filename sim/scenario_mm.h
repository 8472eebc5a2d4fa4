/* SPDX-License-Identifier: MIT */
/*
 * sim/scenario_mm.h — translate a scenario's `vm:` and `kernel:` mappings into
 * struct mm_params (mm/ never reads config).
 */
#ifndef MMSIM_SIM_SCENARIO_MM_H
#define MMSIM_SIM_SCENARIO_MM_H

struct cfg_node;
struct mm_params;

/**
 * scenario_mm_params() - fill @p from the mappings `vm` and `kernel` under
 * @root (missing keys get the Linux defaults, inserted into the resolved
 * config). Errors are recorded in the config with file:line:col.
 * Return: 0, or -1 with the error kept in the cfg (cfg_error()).
 */
int scenario_mm_params(struct cfg_node *root, struct mm_params *p);

#endif
