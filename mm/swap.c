// SPDX-License-Identifier: MIT
/*
 * mm/swap.c — the swap device (slots, swap cache) and the block-device I/O
 * model shared by swap and file writeback.
 *
 * Model: a swap device of swap_size bytes has one slot per page (slot 0 is
 * the header page, as mkswap writes it, and is never handed out). Slots are
 * found with a rotating cursor over a bitmap (scan_swap_map_slots without
 * clusters). swap_cache[slot] names the owner-table entry of the page that
 * is in the swap cache for the slot, or UP_NONE.
 *
 * A block device (the swap device, and the disk that holds files) is a FIFO
 * queue: each request occupies the device's bandwidth for len/bandwidth and
 * completes `latency` later (latencies of queued requests overlap, transfers
 * do not). Writes are asynchronous: a completion process (softirq context on
 * the device's irq CPU) runs end_page_writeback for each page at its
 * completion time. Reads are synchronous: the caller sleeps until its data
 * arrive. When the scenario names a machine DMA device for file I/O, its
 * bandwidth is used; the data movement itself is not simulated.
 *
 * Invariants (swap_check): the bitmap population equals the used count, a
 * swap-cache entry points at an anon upage whose slot is this slot.
 * Simplified vs 6.1: no swap clusters, no frontswap/zswap, one swap device,
 * no swap priorities, no readahead (swap-in is page by page).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cpu.h"
#include "machine/dma.h"
#include "mm/reclaim_internal.h"

struct io_req {
	sim_time_t done;
	uint32_t idx;
};

struct blkdev {
	const char *name;
	sim_time_t latency;
	uint64_t bandwidth;
	sim_time_t bw_free;             /* when the device's bandwidth is next free */
	struct io_req *q;
	size_t qhead, qtail, qcap;      /* ring */
	struct sim_event *ev;
	struct sim_proc *proc;
	uint64_t reads, writes;
};

static struct blkdev swapdev, filedev;
struct blkdev *swap_bdev, *file_bdev;

static uint64_t *swap_bitmap;
static uint32_t *swap_cache;
static unsigned long nr_slots, nr_used, cursor, nr_swapcache;

static sim_time_t xfer_time(const struct blkdev *d, size_t bytes)
{
	return d->bandwidth ? (sim_time_t)((double)bytes * (double)SIM_SEC / (double)d->bandwidth) : 0;
}

static sim_time_t blk_schedule(struct blkdev *d, size_t bytes)
{
	sim_time_t now = sim_now();
	sim_time_t start = d->bw_free > now ? d->bw_free : now;

	d->bw_free = start + xfer_time(d, bytes);
	return d->bw_free + d->latency;
}

static void blk_proc(void *arg)
{
	struct blkdev *d = arg;

	for (;;) {
		if (d->qhead == d->qtail) {
			sim_wait(d->ev);
			continue;
		}
		struct io_req *r = &d->q[d->qhead % d->qcap];
		sim_time_t now = sim_now();
		if (r->done > now) {
			sim_sleep(r->done - now);
			continue;
		}
		uint32_t idx = r->idx;
		d->qhead++;
		sim_atomic_begin();
		writeback_done(idx);
		sim_atomic_end();
	}
}

void blk_submit_write(struct blkdev *d, uint32_t idx)
{
	if (d->qtail - d->qhead == d->qcap) {
		size_t ncap = d->qcap ? d->qcap * 2 : 256;
		struct io_req *n = malloc(ncap * sizeof(*n));
		if (!n) {
			/* cannot queue: complete at once (never expected) */
			writeback_done(idx);
			return;
		}
		for (size_t i = d->qhead; i < d->qtail; i++)
			n[i - d->qhead] = d->q[i % d->qcap];
		d->qtail -= d->qhead;
		d->qhead = 0;
		free(d->q);
		d->q = n;
		d->qcap = ncap;
	}
	d->q[d->qtail % d->qcap] = (struct io_req){ blk_schedule(d, PAGE_SIZE), idx };
	d->qtail++;
	d->writes++;
	if (d->qtail - d->qhead == 1)
		sim_event_notify(d->ev, 0);
}

void blk_read_sync(struct blkdev *d, size_t bytes)
{
	sim_time_t done = blk_schedule(d, bytes);
	sim_time_t now = sim_now();

	d->reads++;
	if (done > now)
		sim_sleep(done - now);
}

static int blk_setup(struct blkdev *d, const char *name, sim_time_t lat, uint64_t bw, int cpu)
{
	memset(d, 0, sizeof(*d));
	d->name = name;
	d->latency = lat;
	d->bandwidth = bw;
	d->ev = sim_event_new(name);
	d->proc = cpu_spawn(name, cpu, CTX_SOFTIRQ, blk_proc, d, NULL, 0);
	return d->proc ? 0 : -ENOMEM;
}

int swap_init(const struct pressure_params *p, char *err, size_t len)
{
	uint64_t bw = p->disk_bandwidth;
	int cpu = 0;

	nr_slots = p->swap_size >> PAGE_SHIFT;
	nr_used = 0;
	cursor = 1;
	nr_swapcache = 0;
	if (nr_slots) {
		swap_bitmap = calloc((nr_slots + 63) / 64, sizeof(uint64_t));
		swap_cache = malloc(nr_slots * sizeof(uint32_t));
		if (!swap_bitmap || !swap_cache) {
			snprintf(err, len, "swap: cannot allocate the swap map of %lu slots", nr_slots);
			return -ENOMEM;
		}
		for (unsigned long i = 0; i < nr_slots; i++)
			swap_cache[i] = UP_NONE;
		swap_bitmap[0] |= 1;            /* the swap header */
		nr_used = 1;
	}
	if (p->block_device) {
		struct dma_device *d = dma_device_find(p->block_device);
		if (!d) {
			snprintf(err, len, "pressure: block device \"%s\" is not a device of the machine",
				 p->block_device);
			return -ENOENT;
		}
		bw = dma_bandwidth(d);
		cpu = dma_irq_cpu(d);
	}
	swap_bdev = &swapdev;
	file_bdev = &filedev;
	if (blk_setup(&swapdev, "swap0", p->swap_latency, p->swap_bandwidth, 0) ||
	    blk_setup(&filedev, "bdev0", p->disk_latency, bw, cpu)) {
		snprintf(err, len, "swap: cannot start the I/O completion processes");
		return -ENOMEM;
	}
	return 0;
}

void swap_shutdown(void)
{
	free(swap_bitmap);
	free(swap_cache);
	free(swapdev.q);
	free(filedev.q);
	memset(&swapdev, 0, sizeof(swapdev));
	memset(&filedev, 0, sizeof(filedev));
	swap_bitmap = NULL;
	swap_cache = NULL;
	nr_slots = nr_used = nr_swapcache = 0;
	swap_bdev = file_bdev = NULL;
}

long get_nr_swap_pages(void)
{
	return nr_slots ? (long)(nr_slots - nr_used) : 0;
}

unsigned long total_swap_pages_count(void)
{
	return nr_slots ? nr_slots - 1 : 0;
}

uint32_t get_swap_slot(void)
{
	if (!nr_slots || nr_used >= nr_slots)
		return UP_NONE;
	for (unsigned long n = 0; n < nr_slots; n++) {
		unsigned long s = cursor;
		cursor = cursor + 1 >= nr_slots ? 1 : cursor + 1;
		if (!(swap_bitmap[s / 64] & (1ULL << (s % 64)))) {
			swap_bitmap[s / 64] |= 1ULL << (s % 64);
			nr_used++;
			return (uint32_t)s;
		}
	}
	return UP_NONE;
}

void swap_free_slot(uint32_t slot)
{
	if (slot == UP_NONE || slot == 0 || slot >= nr_slots)
		return;
	if (swap_bitmap[slot / 64] & (1ULL << (slot % 64))) {
		swap_bitmap[slot / 64] &= ~(1ULL << (slot % 64));
		nr_used--;
	}
	swap_cache_set(slot, UP_NONE);
}

uint32_t swap_cache_lookup(uint32_t slot)
{
	return slot < nr_slots ? swap_cache[slot] : UP_NONE;
}

void swap_cache_set(uint32_t slot, uint32_t idx)
{
	if (slot >= nr_slots)
		return;
	if (swap_cache[slot] == UP_NONE && idx != UP_NONE)
		nr_swapcache++;
	else if (swap_cache[slot] != UP_NONE && idx == UP_NONE)
		nr_swapcache--;
	swap_cache[slot] = idx;
}

unsigned long swapcache_pages(void)
{
	return nr_swapcache;
}

int swap_check(void)
{
	unsigned long used = 0;

	for (unsigned long i = 0; i < nr_slots; i++) {
		bool set = swap_bitmap[i / 64] & (1ULL << (i % 64));
		used += set;
		if (swap_cache[i] != UP_NONE) {
			struct upage *u = up_of(swap_cache[i]);
			if (!set || !(u->flags & UP_ANON) || !(u->flags & UP_SWAPCACHE) || u->slot != i) {
				fprintf(stderr, "swap_check: slot %lu: bad swap cache entry %u\n", i, swap_cache[i]);
				return -1;
			}
		}
	}
	if (used != nr_used) {
		fprintf(stderr, "swap_check: bitmap has %lu slots, counter %lu\n", used, nr_used);
		return -1;
	}
	return 0;
}
