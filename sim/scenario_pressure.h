/* SPDX-License-Identifier: MIT */
/*
 * sim/scenario_pressure.h — translate a scenario's memory-pressure settings
 * (vm.swappiness, vm.dirty_ratio, vm.dirty_background_ratio, the `swap:`
 * device and the `pressure:` block device) into struct pressure_params.
 */
#ifndef MMSIM_SIM_SCENARIO_PRESSURE_H
#define MMSIM_SIM_SCENARIO_PRESSURE_H

struct cfg_node;
struct pressure_params;

/**
 * scenario_pressure_params() - fill @p from @root (missing keys get the Linux
 * defaults, inserted into the resolved config). p->block_device points into
 * the config tree: keep the cfg alive until reclaim_init().
 * Return: 0, or -1 with the error (file:line:col) kept in the cfg.
 */
int scenario_pressure_params(struct cfg_node *root, struct pressure_params *p);

#endif
