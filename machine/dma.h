/* SPDX-License-Identifier: MIT */
/*
 * machine/dma.h — DMA-limited devices (no IOMMU).
 *
 * A device has a DMA address mask (24-bit ISA, 32-bit PCI, 64-bit), a home
 * node, a bandwidth, an interrupt CPU and an MMIO window. A transfer to a
 * buffer above the mask, or one that is not physically contiguous, is a DMA
 * fault: counted, logged with device, address and mask, and refused.
 */
#ifndef MMSIM_MACHINE_DMA_H
#define MMSIM_MACHINE_DMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "machine/machine.h"
#include "sim/engine.h"

struct dma_device;

int dma_nr_devices(void);
struct dma_device *dma_device(int i);
struct dma_device *dma_device_find(const char *name);
const char *dma_name(const struct dma_device *d);
uint64_t dma_mask(const struct dma_device *d);       /* e.g. 0xffffff for 24-bit */
int dma_node(const struct dma_device *d);
int dma_irq_cpu(const struct dma_device *d);
uint64_t dma_bandwidth(const struct dma_device *d);  /* bytes/s */
phys_addr_t dma_mmio_base(const struct dma_device *d);
uint64_t dma_mmio_size(const struct dma_device *d);

/**
 * dma_transfer() - the device reads (@to_device) or writes a buffer made of
 * @nr physical segments. Each segment must lie under the mask; a multi-segment
 * buffer must be physically contiguous unless @sg is true (scatter-gather).
 * Charges the transfer time to the caller (bandwidth-bound, home-node DRAM).
 * Return: 0, or -EFAULT for a DMA fault (counted and logged, nothing transferred).
 */
struct dma_seg { phys_addr_t addr; size_t len; };
int dma_transfer(struct dma_device *d, const struct dma_seg *segs, int nr, bool to_device, bool sg);
uint64_t dma_faults(const struct dma_device *d);

/* --- set-up (machine_build() does this from the config) -------------------- */
struct dma_device_desc {
	const char *name;                /* copied */
	uint64_t mask;                   /* DMA_BIT_MASK(n): (1 << n) - 1, all ones for 64 */
	int node;
	uint64_t bandwidth;              /* bytes/s, > 0 */
	int irq_cpu;
	uint64_t mmio_size;              /* bytes of MMIO window (0: none), rounded up to 4 KiB */
	sim_time_t setup_latency;        /* per transfer (descriptor fetch, doorbell) */
};
#define DMA_BIT_MASK(n) (((n) >= 64) ? ~0ULL : ((1ULL << (n)) - 1))
/**
 * dma_add_device() - register a device on the built machine; its MMIO window
 * is placed in the PCI hole (or above RAM when there is none).
 * Return: the device, or NULL with a message in @err (bad node/cpu/mask, duplicate name).
 */
struct dma_device *dma_add_device(const struct dma_device_desc *desc, char *err, size_t errlen);
/** dma_reset_devices() - forget all devices (machine_destroy, rebuild). */
void dma_reset_devices(void);
/** dma_check() - device invariants (masks, nodes, irq CPUs, MMIO windows). Return 0 or -1. */
int dma_check(void);
/** dma_total_faults() - faults of every device. */
uint64_t dma_total_faults(void);
/** dma_transfer_time() - unloaded duration of a transfer of @len bytes (no charge). */
sim_time_t dma_transfer_time(const struct dma_device *d, size_t len);
/**
 * dma_transfer_async() - start the transfer as the device would, without
 * charging the caller: on success @done(@arg) runs on the device's irq CPU in
 * hardirq context when the transfer completes (raise_irq).
 * Return: 0, or -EFAULT (DMA fault; @done is not called).
 */
int dma_transfer_async(struct dma_device *d, const struct dma_seg *segs, int nr, bool to_device,
		       bool sg, void (*done)(void *arg), void *arg);

#endif /* MMSIM_MACHINE_DMA_H */
