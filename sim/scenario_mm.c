// SPDX-License-Identifier: MIT
/*
 * sim/scenario_mm.c — the kernel-model part of a scenario:
 *
 *   vm:
 *     min_free_kbytes: 0            # 0 = auto (calculate_min_free_kbytes)
 *     watermark_scale_factor: 10    # 1..3000
 *     watermark_boost_factor: 15000
 *     lowmem_reserve_ratio: [256, 256, 32, 0]
 *     percpu_pagelist_high_fraction: 0
 *     numa_stat: true
 *     page_group_by_mobility: auto  # auto | on | off
 *   kernel:
 *     image_size: 48MiB             # at 16 MiB (CONFIG_PHYSICAL_START)
 *     reserve_low: 1MiB
 *     percpu_static_size: 200KiB
 *     percpu_unit_size: 0           # 0 = derived (embed first chunk, 2 MiB atoms)
 *     movablecore: 0
 *     kernelcore: 0
 *     direct_map_gbpages: true
 *     swiotlb: 64MiB                # bounce buffer below 4 GiB (only when RAM is above 4 GiB)
 *     thp: false                    # THP enabled: recommended min_free_kbytes
 *     slab: true                    # kmem_cache_init at boot
 *     reserved: [{start: 0x40000000, size: 64MiB}, ...]
 */
#include <stdio.h>
#include "mm/mm.h"
#include "sim/config.h"
#include "sim/scenario_mm.h"

int scenario_mm_params(struct cfg_node *root, struct mm_params *p)
{
	struct cfg *doc = cfg_doc(root);
	struct cfg_node *vm, *k, *seq;
	static const char *const mobility[] = { "auto", "off", "on", NULL };

	mm_params_default(p);
	vm = cfg_map(root, "vm");
	k = cfg_map(root, "kernel");
	if (!vm || !k)
		return -1;
	p->min_free_kbytes = (int)cfg_u64(vm, "min_free_kbytes", CFG_UNIT_NONE, 0, 0, 4194304);
	p->watermark_scale_factor = (int)cfg_u64(vm, "watermark_scale_factor", CFG_UNIT_NONE, 10, 1, 3000);
	p->watermark_boost_factor = (int)cfg_u64(vm, "watermark_boost_factor", CFG_UNIT_NONE, 15000, 0, 1000000);
	p->percpu_pagelist_high_fraction = (int)cfg_u64(vm, "percpu_pagelist_high_fraction", CFG_UNIT_NONE,
							0, 0, 1000000);
	if (p->percpu_pagelist_high_fraction && p->percpu_pagelist_high_fraction < 8)
		cfg_fail(doc, cfg_get(vm, "percpu_pagelist_high_fraction"), "percpu_pagelist_high_fraction",
			 "expected 0 or at least 8 (MIN_PERCPU_PAGELIST_HIGH_FRACTION), got %d",
			 p->percpu_pagelist_high_fraction);
	p->numa_stat = cfg_bool(vm, "numa_stat", true);
	p->page_group_by_mobility = cfg_enum(vm, "page_group_by_mobility", mobility, 0) - 1;
	seq = cfg_seq(vm, "lowmem_reserve_ratio");
	if (seq) {
		if (cfg_len(seq) != 4) {
			cfg_fail(doc, seq, "lowmem_reserve_ratio",
				 "expected 4 ratios (DMA, DMA32, Normal, Movable), got %zu", cfg_len(seq));
		} else {
			for (size_t i = 0; i < 4; i++)
				p->lowmem_reserve_ratio[i] = (int)cfg_node_u64(cfg_at(seq, i), CFG_UNIT_NONE,
								       (uint64_t)p->lowmem_reserve_ratio[i], 0, 1u << 30);
		}
	}
	p->kernel_image_size = cfg_u64(k, "image_size", CFG_UNIT_BYTES, p->kernel_image_size, 0, 1ULL << 34);
	p->reserve_low = cfg_u64(k, "reserve_low", CFG_UNIT_BYTES, p->reserve_low, 0, 16ULL << 20);
	p->percpu_static_size = cfg_u64(k, "percpu_static_size", CFG_UNIT_BYTES, p->percpu_static_size, 0, 64ULL << 20);
	p->percpu_unit_size = cfg_u64(k, "percpu_unit_size", CFG_UNIT_BYTES, 0, 0, 64ULL << 20);
	if (p->percpu_unit_size && (p->percpu_unit_size & 4095))
		cfg_fail(doc, cfg_get(k, "percpu_unit_size"), "percpu_unit_size",
			 "expected a multiple of 4KiB, got %llu", (unsigned long long)p->percpu_unit_size);
	p->movablecore = cfg_u64(k, "movablecore", CFG_UNIT_BYTES, 0, 0, 1ULL << 52);
	p->kernelcore = cfg_u64(k, "kernelcore", CFG_UNIT_BYTES, 0, 0, 1ULL << 52);
	if (p->movablecore && p->kernelcore)
		cfg_fail(doc, cfg_get(k, "kernelcore"), "kernelcore",
			 "set either kernelcore or movablecore, not both");
	p->direct_map_gbpages = cfg_bool(k, "direct_map_gbpages", true);
	p->swiotlb_size = cfg_u64(k, "swiotlb", CFG_UNIT_BYTES, p->swiotlb_size, 0, 1ULL << 34);
	p->thp = cfg_bool(k, "thp", false);
	p->init_slab = cfg_bool(k, "slab", true);
	seq = cfg_seq(k, "reserved");
	if (seq) {
		size_t n = cfg_len(seq);
		if (n > MM_MAX_RESERVED) {
			cfg_fail(doc, seq, "reserved", "at most %d reserved ranges, got %zu", MM_MAX_RESERVED, n);
			n = 0;
		}
		for (size_t i = 0; i < n; i++) {
			struct cfg_node *r = cfg_at(seq, i);
			if (cfg_kind(r) != CFG_MAP) {
				cfg_fail(doc, r, "reserved", "expected a mapping {start: ADDRESS, size: SIZE}");
				break;
			}
			p->reserved[i].start = cfg_u64(r, "start", CFG_UNIT_BYTES, 0, 0, 1ULL << 52);
			p->reserved[i].size = cfg_u64(r, "size", CFG_UNIT_BYTES, 0, 4096, 1ULL << 52);
			p->nr_reserved = (int)i + 1;
		}
	}
	return cfg_failed(doc) ? -1 : 0;
}
