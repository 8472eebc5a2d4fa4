/* SPDX-License-Identifier: MIT */
/*
 * workloads/dmadriver.c — a driver for a DMA-limited device (no IOMMU).
 *
 * Model: at probe (task context, `probe_gfp` = GFP_KERNEL) the driver
 * allocates a coherent descriptor ring (`ring` × 16-byte descriptors, pages
 * of get_order(size), zeroed) and one receive buffer per descriptor
 * (`buf_size`, pages of get_order(buf_size)), all with the zone modifier the
 * device's DMA mask needs, as dma_alloc_coherent / dma_direct_alloc choose
 * it: mask <= 24 bits → GFP_DMA, <= 32 bits → GFP_DMA32 (`zone: auto`).
 * The device then receives at `rate` per second (Poisson): it DMA-writes
 * the next ring buffer (dma_transfer_async); the completion interrupt
 * (hardirq on the device's irq CPU) hands the filled buffer to the stack,
 * which keeps it for `lifetime`, and refills the slot with a fresh buffer
 * allocated with `refill_gfp` (GFP_ATOMIC) plus the zone modifier. A slot
 * whose refill failed is retried at its next use; an arrival finding its
 * slot empty or still busy is a missed frame (rx_missed).
 *
 * Misconfiguration: `zone: none` allocates without a zone modifier (plain
 * GFP_KERNEL / GFP_ATOMIC), as a driver that forgot dma_set_mask handling
 * would; buffers above the mask then make dma_transfer fault (counted here
 * and by the device, logged by machine/dma.c) — on a machine with memory
 * above 4 GiB for 32-bit devices, above 16 MiB for 24-bit ones.
 *
 * What to look at: ZONE_DMA32 (or ZONE_DMA) free pages and allocation
 * failures of this task, while ZONE_Normal still has plenty: the zone
 * modifier, not total memory, decides.
 *
 * Simplified: no swiotlb bounce buffers and no dma_map_single streaming
 * mappings; descriptor fetches are not separate transfers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cost.h"
#include "machine/cpu.h"
#include "machine/dma.h"
#include "mm/gfp.h"
#include "mm/page_alloc.h"
#include "sim/stats.h"
#include "workloads/workload.h"

#define DESC_SIZE 16u

enum { ZONE_AUTO, ZONE_MOD_DMA, ZONE_MOD_DMA32, ZONE_MOD_NONE };

struct dmadrv;

struct dd_slot {
	struct dmadrv *d;
	struct page *page;               /* NULL: refill failed */
	bool busy;                       /* a transfer into it is in flight */
};

struct dmadrv {
	const char *name;
	struct dma_device *dev;
	struct rng rng;
	sim_time_t stop, mean_gap;
	gfp_t zone, probe_gfp, refill_gfp;
	unsigned ring, buf_size, buf_order, ring_order, next_slot;
	int node;
	struct page *ring_page;
	struct dd_slot *slots;
	struct dist life;
	struct wl_heap held;             /* buffers held by the stack: ptr = page */
	uint64_t *frames, *missed, *faults, *refill_fail, *probe_fail, *held_dropped, *bytes;
	struct hist *lat;
	struct dmadrv *next;
};

static struct dmadrv *dd_list;

static struct page *dd_alloc_buf(struct dmadrv *d, gfp_t gfp)
{
	sim_time_t t0 = sim_now();
	struct page *p = alloc_pages_node(d->node, gfp | d->zone, d->buf_order);

	hist_add(d->lat, sim_now() - t0);
	return p;
}

/* Completion interrupt: pass the buffer up, refill the slot atomically. */
static void dd_irq(void *arg)
{
	struct dd_slot *s = arg;
	struct dmadrv *d = s->d;

	s->busy = false;
	(*d->frames)++;
	(*d->bytes) += d->buf_size;
	if (!wl_heap_push(&d->held, sim_now() + (sim_time_t)dist_sample_u64(&d->life, &d->rng), s->page, 0)) {
		(*d->held_dropped)++;
		__free_pages(s->page, d->buf_order);
	}
	s->page = dd_alloc_buf(d, d->refill_gfp);
	if (!s->page)
		(*d->refill_fail)++;
}

static void dd_frame(struct dmadrv *d)
{
	struct dd_slot *s = &d->slots[d->next_slot];
	struct dma_seg seg;

	if (s->busy) {
		(*d->missed)++;
		return;
	}
	if (!s->page) {                          /* retry the failed refill */
		s->page = dd_alloc_buf(d, d->refill_gfp);
		if (!s->page) {
			(*d->refill_fail)++;
			(*d->missed)++;
			return;
		}
	}
	d->next_slot = (d->next_slot + 1) % d->ring;
	seg.addr = page_to_phys(s->page);
	seg.len = d->buf_size;
	s->busy = true;
	if (dma_transfer_async(d->dev, &seg, 1, false, false, dd_irq, s) < 0) {
		s->busy = false;
		(*d->faults)++;
		(*d->missed)++;
	}
}

static void dd_probe(struct dmadrv *d)
{
	struct dma_seg seg;
	unsigned ok = 0;

	d->ring_page = alloc_pages_node(d->node, d->probe_gfp | d->zone | __GFP_ZERO, d->ring_order);
	if (!d->ring_page) {
		(*d->probe_fail)++;
	} else {
		seg.addr = page_to_phys(d->ring_page);
		seg.len = (size_t)d->ring * DESC_SIZE;
		if (dma_transfer(d->dev, &seg, 1, true, false) == -EFAULT)   /* the device fetches the ring */
			(*d->faults)++;
	}
	for (unsigned i = 0; i < d->ring; i++) {
		d->slots[i].d = d;
		d->slots[i].page = dd_alloc_buf(d, d->probe_gfp);
		ok += d->slots[i].page != NULL;
	}
	if (ok < d->ring)
		(*d->probe_fail) += d->ring - ok;
}

static void dd_proc(void *arg)
{
	struct dmadrv *d = arg;
	struct wl_obj o;

	dd_probe(d);
	while (wl_running(d->stop)) {
		sim_time_t next = sim_now() + (sim_time_t)rng_exponential(&d->rng, (double)d->mean_gap) + 1;

		while (wl_heap_next(&d->held) < next) {
			wl_sleep_until(wl_heap_next(&d->held));
			while (wl_heap_pop_due(&d->held, sim_now(), &o))
				__free_pages(o.ptr, d->buf_order);
		}
		wl_sleep_until(next);
		dd_frame(d);
	}
}

static const struct workload_param dd_params[] = {
	{ "device", CFG_UNIT_NONE, "eth0", "the DMA device (machine `devices:` name)" },
	{ "zone", CFG_UNIT_NONE, "auto", "zone modifier: auto (from the DMA mask), dma, dma32, or none (misconfigured)" },
	{ "ring", CFG_UNIT_NONE, "256", "descriptors in the ring (one receive buffer each)" },
	{ "buf_size", CFG_UNIT_BYTES, "2KiB", "receive buffer size (pages of get_order(size))" },
	{ "rate", CFG_UNIT_RATE, "50k/s", "frames per second the device receives (Poisson)" },
	{ "lifetime", CFG_UNIT_TIME, "{dist: exponential, mean: 1ms}",
	  "how long the stack keeps a received buffer", WP_DIST },
	{ "probe_gfp", CFG_UNIT_NONE, "GFP_KERNEL", "GFP mask at probe (without the zone modifier)" },
	{ "refill_gfp", CFG_UNIT_NONE, "GFP_ATOMIC", "GFP mask of refills in the interrupt (without the zone modifier)" },
	{ "max_held", CFG_UNIT_NONE, "1M", "buffers the stack may hold (bounds host memory)" },
	{ NULL },
};

static int dd_setup(struct cfg_node *task, const struct workload_env *env)
{
	static const char *const zones[] = { "auto", "dma", "dma32", "none", NULL };
	const struct workload_type *T = &workload_dmadriver;
	/* Nothing is allocated for a task the kernel model cannot run. */
	struct dmadrv *d = wl_require_kernel(task, T) < 0 ? NULL : calloc(1, sizeof(*d));
	const char *dev = cfg_str(task, "device", "eth0");
	int zone = cfg_enum(task, "zone", zones, ZONE_AUTO);
	uint64_t ring = workload_u64(task, T, "ring", 1, 1 << 16);
	uint64_t buf = workload_u64(task, T, "buf_size", 1, PAGE_SIZE << (MAX_ORDER - 1));
	uint64_t rate = workload_u64(task, T, "rate", 1, 1000000000);
	uint64_t max_held = workload_u64(task, T, "max_held", 1, 1 << 26);

	if (!d || wl_gfp(task, T, "probe_gfp", &d->probe_gfp) < 0 ||
	    wl_gfp(task, T, "refill_gfp", &d->refill_gfp) < 0 ||
	    workload_dist(task, T, "lifetime", 0, 1e18, &d->life) < 0 || cfg_failed(cfg_doc(task)))
		return -1;
	d->dev = dma_device_find(dev);
	if (!d->dev) {
		char names[256] = "";
		size_t n = 0;

		for (int i = 0; i < dma_nr_devices() && n < sizeof(names); i++)
			n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s", i ? ", " : "",
					      dma_name(dma_device(i)));
		cfg_fail(cfg_doc(task), task, "device", "expected a device of the machine (%s), got '%s'",
			 n ? names : "none defined", dev);
		return -1;
	}
	if (zone == ZONE_AUTO)
		zone = dma_mask(d->dev) <= DMA_BIT_MASK(24) ? ZONE_MOD_DMA :
		       dma_mask(d->dev) <= DMA_BIT_MASK(32) ? ZONE_MOD_DMA32 : ZONE_MOD_NONE;
	d->zone = zone == ZONE_MOD_DMA ? GFP_DMA : zone == ZONE_MOD_DMA32 ? GFP_DMA32 : 0;
	d->name = strdup(env->task_name);
	d->ring = (unsigned)ring;
	d->buf_size = (unsigned)buf;
	d->buf_order = get_order(buf);
	d->ring_order = get_order(ring * DESC_SIZE);
	d->node = env->node != NUMA_NO_NODE ? env->node : dma_node(d->dev);
	d->stop = env->stop;
	d->mean_gap = SIM_SEC / rate;
	d->slots = calloc(ring, sizeof(*d->slots));
	if (!d->slots || wl_heap_init(&d->held, (unsigned)max_held) < 0)
		return -1;
	wl_rng(&d->rng, env, 0);
	d->frames = wl_counter(env, "frames", "frames", "frames DMA-written and handed to the stack");
	d->bytes = wl_counter(env, "bytes", "bytes", "bytes received");
	d->missed = wl_counter(env, "rx_missed", "frames", "frames lost: slot busy, empty, or DMA fault");
	d->faults = wl_counter(env, "dma_faults", "transfers", "transfers refused: buffer above the DMA mask");
	d->refill_fail = wl_counter(env, "refill_fail", "allocs", "atomic buffer refills that failed");
	d->probe_fail = wl_counter(env, "probe_fail", "allocs", "ring or buffer allocations that failed at probe");
	d->held_dropped = wl_counter(env, "held_dropped", "buffers",
				     "buffers freed at once because max_held was reached");
	d->lat = wl_hist(env, "alloc_latency", "ps", "latency of each buffer allocation");
	d->next = dd_list;
	dd_list = d;
	return wl_spawn(env, 0, env->context, dd_proc, d, wl_task_new(env, 0)) ? 0 : -1;
}

static void dd_report(FILE *out)
{
	for (struct dmadrv *d = dd_list; d; d = d->next)
		fprintf(out, "%s: %s (mask %#llx, %s): %llu frames, %llu missed, %llu DMA faults, "
			"%llu refill failures, %llu probe failures\n",
			d->name, dma_name(d->dev), (unsigned long long)dma_mask(d->dev),
			d->zone == GFP_DMA ? "GFP_DMA" : d->zone == GFP_DMA32 ? "GFP_DMA32" : "no zone modifier",
			(unsigned long long)*d->frames, (unsigned long long)*d->missed,
			(unsigned long long)*d->faults, (unsigned long long)*d->refill_fail,
			(unsigned long long)*d->probe_fail);
}

const struct workload_type workload_dmadriver = {
	.name = "dmadriver",
	.desc = "a driver for a 24/32-bit DMA device: coherent ring + buffers with GFP_DMA/GFP_DMA32, "
		"atomic refills in the interrupt (zone: none = misconfigured, DMA faults)",
	.params = dd_params,
	.setup = dd_setup,
	.report = dd_report,
};
