// SPDX-License-Identifier: MIT
/*
 * sim/scenario_pressure.c — the memory-pressure part of a scenario:
 *
 *   vm:
 *     swappiness: 60                # 0..200
 *     dirty_ratio: 20               # % of dirtyable memory
 *     dirty_background_ratio: 10
 *   swap:
 *     size: 0                       # bytes of swap, 0 = no swap
 *     latency: 100us                # per I/O
 *     bandwidth: 500MB/s
 *   pressure:
 *     block_device: ""              # a machine DMA device for file I/O ("" = a plain disk model)
 *     disk_latency: 100us
 *     disk_bandwidth: 500MB/s       # used when no device is named
 *     kswapd: true                  # run a kswapd per node
 */
#include "mm/memory.h"
#include "sim/config.h"
#include "sim/scenario_pressure.h"

int scenario_pressure_params(struct cfg_node *root, struct pressure_params *p)
{
	struct cfg *doc = cfg_doc(root);
	struct cfg_node *vm, *swap, *pr;
	const char *dev;

	pressure_params_default(p);
	vm = cfg_map(root, "vm");
	swap = cfg_map(root, "swap");
	pr = cfg_map(root, "pressure");
	if (!vm || !swap || !pr)
		return -1;
	p->swappiness = (int)cfg_u64(vm, "swappiness", CFG_UNIT_NONE, 60, 0, 200);
	p->dirty_ratio = (int)cfg_u64(vm, "dirty_ratio", CFG_UNIT_NONE, 20, 1, 100);
	p->dirty_background_ratio = (int)cfg_u64(vm, "dirty_background_ratio", CFG_UNIT_NONE, 10, 0, 100);
	if (p->dirty_background_ratio >= p->dirty_ratio)
		cfg_fail(doc, cfg_get(vm, "dirty_background_ratio"), "dirty_background_ratio",
			 "expected less than dirty_ratio (%d), got %d", p->dirty_ratio, p->dirty_background_ratio);
	p->swap_size = cfg_u64(swap, "size", CFG_UNIT_BYTES, 0, 0, 1ULL << 50);
	if (p->swap_size && p->swap_size < 2 * 4096)
		cfg_fail(doc, cfg_get(swap, "size"), "size",
			 "expected 0 (no swap) or at least 8KiB (header + one slot), got %llu",
			 (unsigned long long)p->swap_size);
	p->swap_latency = cfg_u64(swap, "latency", CFG_UNIT_TIME, p->swap_latency, 0, 10 * 1000000000000ULL);
	p->swap_bandwidth = cfg_u64(swap, "bandwidth", CFG_UNIT_BANDWIDTH, p->swap_bandwidth, 1, 1ULL << 50);
	dev = cfg_str(pr, "block_device", "");
	p->block_device = (dev && *dev) ? dev : NULL;
	p->disk_latency = cfg_u64(pr, "disk_latency", CFG_UNIT_TIME, p->disk_latency, 0, 10 * 1000000000000ULL);
	p->disk_bandwidth = cfg_u64(pr, "disk_bandwidth", CFG_UNIT_BANDWIDTH, p->disk_bandwidth, 1, 1ULL << 50);
	p->kswapd = cfg_bool(pr, "kswapd", true);
	return cfg_failed(doc) ? -1 : 0;
}
