/* SPDX-License-Identifier: MIT */
/*
 * mm/mm.h — booting and inspecting the kernel model: parameters (the vm:/
 * kernel: tunables a scenario may set), mm_boot / mm_shutdown, the invariant
 * checker, sysctl-style setters, and the /proc and debugfs printers.
 *
 * mm/ never parses config: sim/scenario_mm.c translates the scenario into
 * struct mm_params.
 */
#ifndef MMSIM_MM_MM_H
#define MMSIM_MM_MM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "machine/machine.h"

#define MM_MAX_RESERVED 32

struct mm_range {
	phys_addr_t start;
	uint64_t size;
};

/*
 * An explicit machine description for boot, used instead of machine/ when
 * non-NULL (tests with exact zone sizes, or mm-only tools). Unset fields: one
 * node, one CPU, distance 10/20.
 */
struct mm_layout {
	int nr_nodes;
	int nr_cpus;
	int cpu_node[MACHINE_MAX_CPUS];
	unsigned char distance[MACHINE_MAX_NODES][MACHINE_MAX_NODES];   /* 0 = default */
	int nr_e820;
	struct e820_entry e820[64];
	int nr_ranges;                  /* 0: every RAM range belongs to node 0 */
	struct node_mem_range ranges[64];
};

struct mm_params {
	/* vm.* sysctls */
	int min_free_kbytes;            /* 0 = auto (calculate_min_free_kbytes) */
	int watermark_scale_factor;     /* 10 (range 1..3000) */
	int watermark_boost_factor;     /* 15000 */
	int lowmem_reserve_ratio[4];    /* {256, 256, 32, 0} */
	int percpu_pagelist_high_fraction;   /* 0 */
	bool numa_stat;                 /* true */
	int page_group_by_mobility;     /* -1 auto (off when memory is tiny), 0 off, 1 on */
	bool thp;                       /* THP enabled: recommended min_free_kbytes */
	/* kernel / boot */
	uint64_t kernel_image_size;     /* bytes at 16 MiB (CONFIG_PHYSICAL_START) */
	uint64_t reserve_low;           /* bytes reserved from 0 (x86 reserves the first 1 MiB) */
	uint64_t percpu_unit_size;      /* 0 = from the static/reserved/dynamic sizes */
	uint64_t percpu_static_size;    /* kernel .data..percpu */
	uint64_t movablecore;           /* bytes, 0 = none */
	uint64_t kernelcore;            /* bytes, 0 = none */
	bool direct_map_gbpages;        /* true: 1 GiB direct-map pages */
	uint64_t swiotlb_size;          /* bounce buffer below 4 GiB when RAM extends above (64 MiB) */
	int nr_reserved;
	struct mm_range reserved[MM_MAX_RESERVED];
	int timing;                     /* -1 follow cost_timing_on(), 0 off, 1 on */
	bool init_slab;                 /* run kmem_cache_init() after the buddy is up (default true) */
	const struct mm_layout *layout; /* NULL: read machine/ */
};

/** mm_params_default() - fill @p with Linux 6.1 defaults. */
void mm_params_default(struct mm_params *p);

/**
 * mm_boot() - memblock → zones → buddy, watermarks, pcp, stats, events.
 * Needs machine_build() first (unless @p->layout). May be called again after
 * mm_shutdown().
 * Return: 0, or a negative errno with a message in @err.
 */
int mm_boot(const struct mm_params *p, char *err, size_t len);
void mm_shutdown(void);
bool mm_booted(void);

/**
 * mm_check() - invariant checker: free counts per order/type equal the lists,
 * no page both free and allocated, buddy heads aligned and within their zone,
 * NR_FREE_PAGES equal to the buddy + pcp totals, pageblock counts add up.
 * Return: 0, or a negative code after printing what is wrong to stderr.
 */
int mm_check(void);

/* sysctl-style setters (recompute what the kernel recomputes). Return 0 or -EINVAL. */
int mm_set_min_free_kbytes(int kbytes);
int mm_set_watermark_scale_factor(int factor);
/** mm_min_free_kbytes() - vm.min_free_kbytes in effect. */
int mm_min_free_kbytes(void);
/** zone_adjust_managed() - adjust_managed_page_count() for zone (@nid, @zt); recomputes. */
int zone_adjust_managed(int nid, int zt, long delta);

/* Calculations with the kernel's formulas, exposed for tests. */
int calculate_min_free_kbytes_for(unsigned long lowmem_pages);
int zone_batchsize_for(unsigned long managed_pages);
int int_sqrt_ul(unsigned long x);

/* memblock accounting, as printed at boot. */
uint64_t memblock_reserved_bytes(void);
uint64_t memblock_memory_bytes(void);
int memblock_dump(FILE *f);

/* --- /proc and debugfs printers (exact kernel text) -------------------------- */
int proc_zoneinfo(FILE *f);
int proc_buddyinfo(FILE *f);
int proc_pagetypeinfo(FILE *f);
int proc_vmstat(FILE *f);
int proc_meminfo(FILE *f);
int debugfs_extfrag_index(FILE *f);
int debugfs_unusable_index(FILE *f);
/** show_mem() - the Mem-Info block of OOM / warn_alloc reports into the kernel log. */
void show_mem(void);
/** mm_show() - print the view named @what ("zoneinfo", "buddyinfo", ...); -ENOENT if unknown. */
int mm_show(const char *what, FILE *f);

/* Fragmentation metrics of §9 on zone (@nid, @zt); -ENOENT for no such zone. */
int zone_fragmentation_index(int nid, int zt, unsigned order);
int zone_unusable_index(int nid, int zt, unsigned order);

#endif /* MMSIM_MM_MM_H */
