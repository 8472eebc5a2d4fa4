/* SPDX-License-Identifier: MIT */
/*
 * workloads/blockio.c — block I/O through mempools with GFP_NOIO.
 *
 * Model: `procs` submitter processes (task context) issue I/Os at `rate`
 * per second in total (Poisson), `write` percent of them writes, of `size`
 * bytes (scatter-gather of order-0 pages), keeping at most `queue_depth` in
 * flight per process (a full queue makes the submitter sleep, as a blk-mq
 * tag wait does). For each I/O, as the block layer does on its way to the
 * driver, everything comes from mempools with `gfp` (GFP_NOIO: reclaim may
 * run but must not issue I/O, or writeback could deadlock on itself):
 *   - the bio from a slab pool of "bio-0" (bioset_init: BIO_POOL_SIZE 2),
 *   - the bio_vec array from a "biovec-max" slab pool when the I/O has more
 *     than BIO_INLINE_VECS (4) pages,
 *   - the data pages from a page pool (`page_pool` elements, like the bounce
 *     pool's POOL_SIZE 64),
 *   - the request from a kmalloc pool (BLKDEV_MIN_RQ 4, the legacy request
 *     list's pool).
 * The device (`device`, default nvme0) transfers the pages
 * (dma_transfer_async, scatter-gather); its completion interrupt (hardirq on
 * the device's irq CPU) returns every element to its pool — refilling the
 * reserves and waking a submitter sleeping in mempool_alloc — and records
 * the I/O latency.
 *
 * What to look at: mempool paths (fast / reserve / retry / waited) and the
 * submitters' allocation latency when a memory hog drives the zones below
 * their watermarks: GFP_NOIO allocations cannot write back, so progress
 * comes from the reserves refilled by completions.
 *
 * Simplified vs 6.1: blk-mq preallocates requests with the tag set (no
 * request mempool); smaller bvec arrays come from biovec-16/64/128 caches
 * before falling back to the biovec-max pool; the data pages would be page
 * cache pages rather than pool pages (see the pagecache generator).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cpu.h"
#include "machine/dma.h"
#include "mm/gfp.h"
#include "mm/mempool.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "sim/stats.h"
#include "workloads/workload.h"

#define BIO_SLAB_SIZE     200u           /* struct bio + BIO_INLINE_VECS bio_vecs */
#define BIO_INLINE_VECS   4
#define BIO_MAX_VECS      256
#define BVEC_SIZE         16u
#define BIO_POOL_SIZE     2
#define BLKDEV_MIN_RQ     4
#define RQ_SIZE           384u           /* struct request + driver pdu */
#define BIO_MAX_BYTES     (BIO_MAX_VECS * PAGE_SIZE)

struct blk_pools {
	mempool_t *bio, *bvec, *pages, *rq;
};

struct blk_proc;

struct blk_io {
	struct blk_proc *p;
	void *bio, *bvec, *rq;
	int nr;
	void *page[BIO_MAX_VECS];
	struct dma_seg seg[BIO_MAX_VECS];
	sim_time_t submitted;
	struct blk_io *next_free;
};

struct blk_shared {
	const char *name;
	struct dma_device *dev;
	struct blk_pools pools;
	uint64_t *ios, *bytes, *writes, *faults, *qfull, *completed;
	struct hist *io_lat, *alloc_lat;
	struct blk_shared *next;
};

struct blk_proc {
	struct blk_shared *sh;
	struct rng rng;
	sim_time_t stop, mean_gap;
	unsigned write_pct, inflight;
	gfp_t gfp;
	struct dist size;
	struct sim_event *slot;          /* notified by completions */
	struct blk_io *free_ios;
};

static struct blk_shared *blk_list;

static void blk_release(struct blk_io *io)
{
	struct blk_pools *po = &io->p->sh->pools;

	for (int i = 0; i < io->nr; i++)
		mempool_free(io->page[i], po->pages);
	if (io->bvec)
		mempool_free(io->bvec, po->bvec);
	if (io->rq)
		mempool_free(io->rq, po->rq);
	if (io->bio)
		mempool_free(io->bio, po->bio);
	io->bio = io->bvec = io->rq = NULL;
	io->nr = 0;
	io->next_free = io->p->free_ios;
	io->p->free_ios = io;
	io->p->inflight--;
	sim_event_notify(io->p->slot, 0);
}

/* Completion interrupt (hardirq): end the request, free to the pools. */
static void blk_complete(void *arg)
{
	struct blk_io *io = arg;
	struct blk_shared *sh = io->p->sh;

	hist_add(sh->io_lat, sim_now() - io->submitted);
	(*sh->completed)++;
	blk_release(io);
}

static void blk_submit(struct blk_proc *p)
{
	struct blk_shared *sh = p->sh;
	struct blk_pools *po = &sh->pools;
	size_t len = (size_t)dist_sample_u64(&p->size, &p->rng);
	int nr = (int)((len + PAGE_SIZE - 1) / PAGE_SIZE);
	bool write = rng_below(&p->rng, 100) < p->write_pct;
	struct blk_io *io;
	sim_time_t t0;

	while (!p->free_ios && wl_running(p->stop)) {        /* queue full: wait for a tag */
		(*sh->qfull)++;
		sim_wait_timeout(p->slot, SIM_MS);
	}
	if (!p->free_ios)
		return;
	io = p->free_ios;
	p->free_ios = io->next_free;
	p->inflight++;
	io->nr = 0;
	t0 = sim_now();
	/* mempool_alloc never fails for a sleeping caller: it waits for a free. */
	io->bio = mempool_alloc(po->bio, p->gfp);
	io->bvec = nr > BIO_INLINE_VECS ? mempool_alloc(po->bvec, p->gfp) : NULL;
	for (int i = 0; i < nr; i++) {
		void *pg = mempool_alloc(po->pages, p->gfp);

		if (!pg)
			break;
		io->page[io->nr] = pg;
		io->seg[io->nr].addr = page_to_phys((struct page *)pg);
		io->seg[io->nr].len = PAGE_SIZE;
		io->nr++;
	}
	io->rq = mempool_alloc(po->rq, p->gfp);
	hist_add(sh->alloc_lat, sim_now() - t0);
	(*sh->ios)++;
	(*sh->writes) += write;
	if (!io->bio || !io->rq || io->nr < nr || (nr > BIO_INLINE_VECS && !io->bvec)) {
		blk_release(io);                  /* only a non-sleeping mask gets here */
		return;
	}
	(*sh->bytes) += len;
	io->submitted = sim_now();
	if (dma_transfer_async(sh->dev, io->seg, io->nr, write, true, blk_complete, io) < 0) {
		(*sh->faults)++;
		blk_release(io);
	}
}

static void blk_proc_fn(void *arg)
{
	struct blk_proc *p = arg;

	while (wl_running(p->stop)) {
		sim_sleep((sim_time_t)rng_exponential(&p->rng, (double)p->mean_gap) + 1);
		if (wl_running(p->stop))
			blk_submit(p);
	}
}

static const struct workload_param blk_params[] = {
	{ "device", CFG_UNIT_NONE, "nvme0", "the block device (machine `devices:` name)" },
	{ "rate", CFG_UNIT_RATE, "50k/s", "I/Os per second, all submitters (Poisson)" },
	{ "procs", CFG_UNIT_NONE, "2", "submitter processes (on the task's CPUs)" },
	{ "size", CFG_UNIT_BYTES, "{dist: empirical, values: [[4KiB, 60], [64KiB, 30], [512KiB, 10]]}",
	  "I/O size (at most 1 MiB: BIO_MAX_VECS pages)", WP_DIST },
	{ "write", CFG_UNIT_PERCENT, "50%", "share of writes" },
	{ "queue_depth", CFG_UNIT_NONE, "32", "I/Os in flight per submitter" },
	{ "gfp", CFG_UNIT_NONE, "GFP_NOIO", "GFP mask of every mempool_alloc" },
	{ "bio_pool", CFG_UNIT_NONE, "2", "reserved bios (BIO_POOL_SIZE)" },
	{ "page_pool", CFG_UNIT_NONE, "64", "reserved data pages (the bounce pool's POOL_SIZE)" },
	{ "rq_pool", CFG_UNIT_NONE, "4", "reserved requests (BLKDEV_MIN_RQ)" },
	{ NULL },
};

static struct kmem_cache *find_or_create(const char *name, unsigned size)
{
	struct kmem_cache *s = kmem_cache_find(name);

	return s ? s : kmem_cache_create(name, size, 0, SLAB_HWCACHE_ALIGN, NULL);
}

static int blk_setup(struct cfg_node *task, const struct workload_env *env)
{
	const struct workload_type *T = &workload_blockio;
	/* Nothing is allocated for a task the kernel model cannot run. */
	struct blk_shared *sh = wl_require_kernel(task, T) < 0 ? NULL : calloc(1, sizeof(*sh));
	const char *dev = cfg_str(task, "device", "nvme0");
	uint64_t rate = workload_u64(task, T, "rate", 1, 1000000000);
	uint64_t procs = workload_u64(task, T, "procs", 1, 1024);
	uint64_t wpct = workload_u64(task, T, "write", 0, 100);
	uint64_t qd = workload_u64(task, T, "queue_depth", 1, 4096);
	uint64_t bio_min = workload_u64(task, T, "bio_pool", 1, 1 << 20);
	uint64_t page_min = workload_u64(task, T, "page_pool", 1, 1 << 20);
	uint64_t rq_min = workload_u64(task, T, "rq_pool", 1, 1 << 20);
	struct kmem_cache *bio_slab, *bvec_slab;
	struct dist size;
	gfp_t gfp;

	if (!sh || wl_gfp(task, T, "gfp", &gfp) < 0 ||
	    workload_dist(task, T, "size", 512, (double)BIO_MAX_BYTES, &size) < 0 || cfg_failed(cfg_doc(task)))
		return -1;
	if (wl_require_slab(task, T) < 0)
		return -1;
	sh->dev = dma_device_find(dev);
	if (!sh->dev) {
		cfg_fail(cfg_doc(task), task, "device", "expected a device of the machine, got '%s'", dev);
		return -1;
	}
	bio_slab = find_or_create("bio-0", BIO_SLAB_SIZE);
	bvec_slab = find_or_create("biovec-max", BIO_MAX_VECS * BVEC_SIZE);
	if (bio_slab)
		sh->pools.bio = mempool_create_slab_pool((int)bio_min, bio_slab);
	if (bvec_slab)
		sh->pools.bvec = mempool_create_slab_pool((int)bio_min, bvec_slab);
	sh->pools.pages = mempool_create_page_pool((int)page_min, 0);
	sh->pools.rq = mempool_create_kmalloc_pool((int)rq_min, RQ_SIZE);
	if (!sh->pools.bio || !sh->pools.bvec || !sh->pools.pages || !sh->pools.rq) {
		cfg_fail(cfg_doc(task), task, "workload", "blockio: cannot create the mempools");
		return -1;
	}
	sh->name = strdup(env->task_name);
	sh->ios = wl_counter(env, "ios", "ios", "I/Os submitted");
	sh->completed = wl_counter(env, "completed", "ios", "I/Os completed by the device interrupt");
	sh->writes = wl_counter(env, "writes", "ios", "write I/Os submitted");
	sh->bytes = wl_counter(env, "bytes", "bytes", "bytes transferred");
	sh->faults = wl_counter(env, "dma_faults", "ios", "I/Os refused by the device (DMA fault)");
	sh->qfull = wl_counter(env, "queue_full_waits", "waits", "submitter waits for a free queue slot");
	sh->io_lat = wl_hist(env, "io_latency", "ps", "submission to completion interrupt");
	sh->alloc_lat = wl_hist(env, "alloc_latency", "ps",
				"time in mempool_alloc for one I/O (bio, bvecs, pages, request)");
	for (uint64_t i = 0; i < procs; i++) {
		struct blk_proc *p = calloc(1, sizeof(*p));
		char ev[160];

		if (!p)
			return -1;
		p->sh = sh;
		wl_rng(&p->rng, env, (int)i);
		p->stop = env->stop;
		p->mean_gap = SIM_SEC * procs / rate;
		p->write_pct = (unsigned)wpct;
		p->gfp = gfp;
		p->size = size;
		snprintf(ev, sizeof(ev), "%s/%llu/slot", env->task_name, (unsigned long long)i);
		p->slot = sim_event_new(ev);
		for (uint64_t k = 0; k < qd; k++) {
			struct blk_io *io = calloc(1, sizeof(*io));

			if (!io)
				return -1;
			io->p = p;
			io->next_free = p->free_ios;
			p->free_ios = io;
		}
		if (!wl_spawn(env, (int)i, env->context, blk_proc_fn, p, wl_task_new(env, (int)i)))
			return -1;
	}
	sh->next = blk_list;
	blk_list = sh;
	return 0;
}

static void blk_report(FILE *out)
{
	for (struct blk_shared *sh = blk_list; sh; sh = sh->next)
		fprintf(out, "%s: %s: %llu I/Os (%llu completed), %.1f MiB, I/O p99 %.1f us, "
			"mempool alloc p99 %.2f us, %llu queue-full waits, %llu DMA faults\n",
			sh->name, dma_name(sh->dev), (unsigned long long)*sh->ios,
			(unsigned long long)*sh->completed, (double)*sh->bytes / 1048576.0,
			(double)hist_percentile(sh->io_lat, 99) / 1e6,
			(double)hist_percentile(sh->alloc_lat, 99) / 1e6, (unsigned long long)*sh->qfull,
			(unsigned long long)*sh->faults);
}

const struct workload_type workload_blockio = {
	.name = "blockio",
	.desc = "block I/O: bios, bvecs, data pages and requests from mempools with GFP_NOIO, DMA to a "
		"device, completion in hardirq freeing to the pools",
	.params = blk_params,
	.setup = blk_setup,
	.report = blk_report,
};
