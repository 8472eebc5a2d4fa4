/* SPDX-License-Identifier: MIT */
/*
 * machine/dma.c — DMA-limited devices without an IOMMU.
 *
 * What it models: a bus-mastering device that can only address physical
 * memory below its DMA mask (DMA_BIT_MASK(24) for ISA, 32 for old PCI, 64 for
 * modern devices) — the reason ZONE_DMA and ZONE_DMA32 exist. Without an
 * IOMMU (and without swiotlb bouncing) the bus address is the physical
 * address, so a buffer above the mask, or a multi-segment buffer that is not
 * physically contiguous on a device without scatter-gather, cannot be
 * transferred: that is a DMA fault. The fault is counted per device, logged
 * with sim_warn() and printed to the kernel log in dma-direct's wording
 * ("<dev>: DMA addr 0x...+N overflow (mask ..., bus limit ...)."), and the
 * transfer is refused with -EFAULT.
 *
 * Timing: a transfer costs the setup latency plus the larger of the device's
 * own rate and the home node's DRAM stream time (dram_stream_bw: the node's
 * bandwidth is shared and queued with CPU streams).
 *
 * Each device also gets an MMIO window (a physical range in the PCI hole, or
 * above RAM when there is none) that mm's ioremap() can map.
 *
 * Invariants (dma_check via machine_check): masks are 2^n − 1, nodes and irq
 * CPUs exist, MMIO windows overlap neither RAM, e820 entries nor each other.
 *
 * Simplified vs Linux 6.1: no IOMMU, no swiotlb bounce buffers, no
 * dma_map_* API (mm/ or workloads call dma_transfer with physical segments).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cpu.h"
#include "machine/dma.h"
#include "machine/dram.h"
#include "machine/machine.h"
#include "machine/machine_int.h"
#include "sim/log.h"
#include "sim/stats.h"

#define DMA_MAX_DEVICES 64
#define MMIO_ALIGN 0x1000ULL

struct dma_device {
	char name[32];
	uint64_t mask;
	int node;
	uint64_t bandwidth;
	int irq_cpu;
	phys_addr_t mmio_base;
	uint64_t mmio_size;
	sim_time_t setup_latency;
	uint64_t faults;
	uint64_t transfers, bytes;
};

static struct dma_device devices[DMA_MAX_DEVICES];
static int nr_devices;
static phys_addr_t mmio_next;

void dma_reset_devices(void)
{
	memset(devices, 0, sizeof(devices));
	nr_devices = 0;
	mmio_next = 0;
}

static double gauge_u64(void *ctx)
{
	return (double)*(const uint64_t *)ctx;
}

static bool mask_ok(uint64_t m)
{
	return m && (m & (m + 1)) == 0;       /* 2^n - 1 (all ones included: m + 1 == 0) */
}

struct dma_device *dma_add_device(const struct dma_device_desc *desc, char *err, size_t errlen)
{
	struct dma_device *d;

	if (!desc->name || !*desc->name || strlen(desc->name) >= sizeof(d->name)) {
		MERR(err, errlen, "device name must be 1..%zu characters", sizeof(d->name) - 1);
		return NULL;
	}
	if (dma_device_find(desc->name)) {
		MERR(err, errlen, "device %s is defined twice", desc->name);
		return NULL;
	}
	if (nr_devices >= DMA_MAX_DEVICES) {
		MERR(err, errlen, "more than %d devices", DMA_MAX_DEVICES);
		return NULL;
	}
	if (!mask_ok(desc->mask) || desc->mask < 0xffffffULL) {
		MERR(err, errlen, "device %s: DMA mask %#" PRIx64 " is not DMA_BIT_MASK(n) with "
		     "n in 24..64", desc->name, desc->mask);
		return NULL;
	}
	if (desc->node < 0 || desc->node >= machine_nr_nodes()) {
		MERR(err, errlen, "device %s is on node %d, which does not exist (nodes: 0..%d)",
		     desc->name, desc->node, machine_nr_nodes() - 1);
		return NULL;
	}
	if (desc->irq_cpu < 0 || desc->irq_cpu >= machine_nr_cpus()) {
		MERR(err, errlen, "device %s: irq_cpu %d does not exist (cpus: 0..%d)",
		     desc->name, desc->irq_cpu, machine_nr_cpus() - 1);
		return NULL;
	}
	if (!desc->bandwidth) {
		MERR(err, errlen, "device %s: bandwidth must be > 0", desc->name);
		return NULL;
	}
	d = &devices[nr_devices];
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", desc->name);
	d->mask = desc->mask;
	d->node = desc->node;
	d->bandwidth = desc->bandwidth;
	d->irq_cpu = desc->irq_cpu;
	d->setup_latency = desc->setup_latency;
	d->mmio_size = (desc->mmio_size + MMIO_ALIGN - 1) & ~(MMIO_ALIGN - 1);
	if (d->mmio_size) {
		uint64_t align = MMIO_ALIGN;
		phys_addr_t base;

		while (align < d->mmio_size && align < (1ULL << 30))
			align <<= 1;            /* BARs are naturally aligned */
		if (!mmio_next) {
			uint64_t hole = memmap_pci_hole();
			mmio_next = hole ? (1ULL << 32) - hole
					 : ((machine_max_phys() + (1ULL << 30) - 1) & ~((1ULL << 30) - 1));
		}
		base = memmap_find_mmio(d->mmio_size, align, mmio_next);
		if (!base) {
			MERR(err, errlen, "device %s: no room for a %" PRIu64 "-byte MMIO window",
			     desc->name, d->mmio_size);
			return NULL;
		}
		d->mmio_base = base;
		mmio_next = base + d->mmio_size;
	}
	nr_devices++;
	{
		char name[80];

		snprintf(name, sizeof(name), "dma.%s.faults", d->name);
		stat_gauge(name, "events", "DMA transfers refused (outside the mask or not contiguous)",
			   STAT_SUMMARY, gauge_u64, &d->faults);
		snprintf(name, sizeof(name), "dma.%s.bytes", d->name);
		stat_gauge(name, "bytes", "bytes transferred by the device", STAT_SUMMARY, gauge_u64,
			   &d->bytes);
	}
	return d;
}

int dma_nr_devices(void)
{
	return nr_devices;
}

struct dma_device *dma_device(int i)
{
	return i >= 0 && i < nr_devices ? &devices[i] : NULL;
}

struct dma_device *dma_device_find(const char *name)
{
	for (int i = 0; i < nr_devices; i++)
		if (!strcmp(devices[i].name, name))
			return &devices[i];
	return NULL;
}

const char *dma_name(const struct dma_device *d) { return d->name; }
uint64_t dma_mask(const struct dma_device *d) { return d->mask; }
int dma_node(const struct dma_device *d) { return d->node; }
int dma_irq_cpu(const struct dma_device *d) { return d->irq_cpu; }
uint64_t dma_bandwidth(const struct dma_device *d) { return d->bandwidth; }
phys_addr_t dma_mmio_base(const struct dma_device *d) { return d->mmio_base; }
uint64_t dma_mmio_size(const struct dma_device *d) { return d->mmio_size; }
uint64_t dma_faults(const struct dma_device *d) { return d->faults; }

uint64_t dma_total_faults(void)
{
	uint64_t n = 0;

	for (int i = 0; i < nr_devices; i++)
		n += devices[i].faults;
	return n;
}

/*
 * Faults are always counted; the first DMA_FAULT_LOG_MAX of each device are
 * logged (the kernel prints its overflow message once per device, we keep a
 * few for diagnosis), then one line says the rest are not.
 */
#define DMA_FAULT_LOG_MAX 10

static bool fault_log_ok(struct dma_device *d)
{
	if (d->faults <= DMA_FAULT_LOG_MAX)
		return true;
	if (d->faults == DMA_FAULT_LOG_MAX + 1) {
		sim_warn("DMA fault: device %s: further faults are counted but not logged", d->name);
		sim_printk("%s: further DMA faults not reported", d->name);
	}
	return false;
}

/* Check every segment; on a fault count it, report it and return -EFAULT. */
static int dma_validate(struct dma_device *d, const struct dma_seg *segs, int nr, bool sg)
{
	if (nr <= 0 || !segs) {
		d->faults++;
		if (fault_log_ok(d)) {
			sim_warn("DMA fault: device %s: empty transfer", d->name);
			sim_printk("%s: DMA transfer with no segments refused", d->name);
		}
		return -EFAULT;
	}
	for (int i = 0; i < nr; i++) {
		phys_addr_t a = segs[i].addr;
		size_t len = segs[i].len;
		phys_addr_t last = a + (len ? len - 1 : 0);

		if (!len || last < a || last > d->mask) {
			d->faults++;
			if (!fault_log_ok(d))
				return -EFAULT;
			sim_warn("DMA fault: device %s: buffer %#" PRIx64 "+%zu is outside its "
				 "DMA mask %#" PRIx64, d->name, a, len, d->mask);
			sim_printk("%s: DMA addr 0x%016" PRIx64 "+%zu overflow (mask %" PRIx64
				   ", bus limit %" PRIx64 ").", d->name, a, len, d->mask, d->mask);
			return -EFAULT;
		}
		if (!sg && i > 0 && segs[i - 1].addr + segs[i - 1].len != a) {
			d->faults++;
			if (!fault_log_ok(d))
				return -EFAULT;
			sim_warn("DMA fault: device %s: segment %d at %#" PRIx64 " does not follow "
				 "%#" PRIx64 "+%zu (buffer not physically contiguous, no "
				 "scatter-gather)", d->name, i, a, segs[i - 1].addr, segs[i - 1].len);
			sim_printk("%s: DMA buffer not physically contiguous: segment %d at "
				   "0x%016" PRIx64 " after 0x%016" PRIx64 "+%zu (mask %" PRIx64 ")",
				   d->name, i, a, segs[i - 1].addr, segs[i - 1].len, d->mask);
			return -EFAULT;
		}
	}
	return 0;
}

/* Transfer time for the segments (queues on the DRAM of each segment's node). */
static sim_time_t dma_time(struct dma_device *d, const struct dma_seg *segs, int nr, bool to_device)
{
	sim_time_t t = d->setup_latency;

	for (int i = 0; i < nr; i++) {
		/* to_device: the device reads memory; otherwise it writes it */
		t += dram_stream_bw(d->node, segs[i].addr, segs[i].len, !to_device, d->bandwidth);
		d->bytes += segs[i].len;
	}
	d->transfers++;
	return t;
}

int dma_transfer(struct dma_device *d, const struct dma_seg *segs, int nr, bool to_device, bool sg)
{
	if (!d)
		return -EINVAL;
	if (dma_validate(d, segs, nr, sg))
		return -EFAULT;
	sim_advance(dma_time(d, segs, nr, to_device));
	return 0;
}

sim_time_t dma_transfer_time(const struct dma_device *d, size_t len)
{
	sim_time_t dev = (sim_time_t)((double)len * 1e12 / (double)d->bandwidth);
	uint64_t bw = dram_node_bandwidth(d->node);
	sim_time_t mem = bw ? (sim_time_t)((double)len * 1e12 / (double)bw) : 0;

	return d->setup_latency + (dev > mem ? dev : mem);
}

int dma_transfer_async(struct dma_device *d, const struct dma_seg *segs, int nr, bool to_device,
		       bool sg, void (*done)(void *arg), void *arg)
{
	sim_time_t t;

	if (!d)
		return -EINVAL;
	if (dma_validate(d, segs, nr, sg))
		return -EFAULT;
	t = dma_time(d, segs, nr, to_device);
	if (done)
		return raise_irq(d->irq_cpu, d->name, done, NULL, arg, t);
	return 0;
}

/** dma_check() - device invariants. Return 0 or -1 (sim_error). */
int dma_check(void)
{
	for (int i = 0; i < nr_devices; i++) {
		const struct dma_device *d = &devices[i];
		if (!mask_ok(d->mask) || d->node < 0 || d->node >= machine_nr_nodes() ||
		    d->irq_cpu < 0 || d->irq_cpu >= machine_nr_cpus()) {
			sim_error("dma_check: device %s is inconsistent", d->name);
			return -1;
		}
		for (int j = 0; j < i && d->mmio_size; j++) {
			const struct dma_device *e = &devices[j];
			if (e->mmio_size && d->mmio_base < e->mmio_base + e->mmio_size &&
			    e->mmio_base < d->mmio_base + d->mmio_size) {
				sim_error("dma_check: MMIO of %s and %s overlap", d->name, e->name);
				return -1;
			}
		}
		if (d->mmio_size && phys_to_nid(d->mmio_base) != NUMA_NO_NODE) {
			sim_error("dma_check: MMIO of %s is in RAM", d->name);
			return -1;
		}
	}
	return 0;
}
