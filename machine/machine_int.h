/* SPDX-License-Identifier: MIT */
/*
 * machine/machine_int.h — internals shared by the topology / memory-map /
 * CPU / DRAM / DMA / builder files of machine/ (machine-A's half). Nothing
 * outside machine/ includes it. Grouped by defining file.
 */
#ifndef MMSIM_MACHINE_MACHINE_INT_H
#define MMSIM_MACHINE_MACHINE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "machine/machine.h"

/* "topology.c" */
int topology_build(const struct machine_desc *d, char *err, size_t errlen);
void topology_reset(void);
int topology_check(void);
void topology_set_built(bool built);
void topology_set_name(const char *name);

/* "memmap.c" */
int memmap_build(const struct machine_desc *d, char *err, size_t errlen);
void memmap_reset(void);
int memmap_check(void);
/* The lowest address >= @from, aligned to @align, of a window of @size bytes
 * that overlaps no e820 entry and no RAM (for MMIO windows); 0 if none. */
phys_addr_t memmap_find_mmio(uint64_t size, uint64_t align, phys_addr_t from);
const char *e820_type_name(enum e820_type t);
uint64_t memmap_pci_hole(void);

/* "cpu.c" */
void cpu_contexts_reset(void);

/* "dram.c" */
void dram_destroy(void);

/* "dmesg.c" */
/* Read a SLIT from a sysfs-style file (rows of numbers, optionally "path:" prefixed):
 * @dist row-major n×n (MACHINE_MAX_NODES² ints), *@n_out rows. 0 or -1 + "file:line: msg". */
int machine_read_distances(const char *path, int *dist, int *n_out, char *err, size_t errlen);

/* A small helper used by several files: snprintf into err if non-NULL. */
#define MERR(err, len, ...) do { if ((err) && (len)) snprintf((err), (len), __VA_ARGS__); } while (0)

#endif /* MMSIM_MACHINE_MACHINE_INT_H */
