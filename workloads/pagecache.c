/* SPDX-License-Identifier: MIT */
/*
 * workloads/pagecache.c — file readers and writers through the page cache.
 *
 * Model: `procs` user processes (task context) work on `files` files whose
 * sizes are drawn once from `file_size`. At `rate` operations per second in
 * total (Poisson) a process reads (`read` percent) or writes `io_size` bytes
 * at a random page-aligned offset of a random file:
 *   - read: cached pages are hits (one read each); the missing pages are
 *     allocated with the readahead mask (mapping gfp GFP_HIGHUSER_MOVABLE |
 *     __GFP_NORETRY | __GFP_NOWARN, readahead_gfp_mask) and filled by one
 *     scatter-gather read from the block device `device` (dma_transfer,
 *     the reader waits for it);
 *   - write: missing pages are allocated with the mapping gfp plus
 *     __GFP_WRITE (FGP_WRITE in grab_cache_page_write_begin: the fast path
 *     then avoids nodes over their dirty limit), every page is written and
 *     marked dirty; a share `fsync` of the writes then writes back the
 *     file's dirty pages; while more than `dirty_limit` pages are dirty the
 *     writer first writes back whole files itself, round robin
 *     (balance_dirty_pages throttling);
 *   - a failed page allocation fails the operation (-ENOMEM counted).
 *
 * Two backends (`api`, default `mm` when the model's user memory is
 * initialised — reclaim_init() has run — else `pages`):
 *   - `mm`: the kernel model's page cache (mm/memory.h: file_create,
 *     file_read, file_write, file_fsync): pages on the file LRU, reclaimed
 *     by kswapd and direct reclaim, dirty throttling at vm.dirty_ratio,
 *     I/O to the block device of the scenario's pressure parameters. The
 *     `device`, `gfp`, `dirty_limit` and `cache_limit` keys do not apply;
 *     hits and misses are derived from the file's cached-page count.
 *   - `pages` (the model above): this generator's own table of page
 *     pointers and a FIFO of cached pages, I/O to `device`. It holds at most
 *     `cache_limit` percent of memory: beyond that the oldest page is
 *     evicted (written back first if dirty), a crude stand-in for LRU
 *     reclaim. These pages are not on the kernel's LRU: kswapd and direct
 *     reclaim do not see them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cost.h"
#include "machine/cpu.h"
#include "machine/dma.h"
#include "mm/gfp.h"
#include "mm/memory.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "sim/stats.h"
#include "workloads/workload.h"

#define PC_MAX_IO_PAGES 256              /* one bio: BIO_MAX_VECS */

struct pc_file {
	struct file_model *fm;           /* api mm */
	unsigned long nr_pages;
	struct page **page;              /* NULL: not cached */
	uint8_t *dirty;
};

struct pc_ref {                          /* a FIFO entry: which page of which file */
	uint32_t file;
	uint32_t index;
};

struct pc_shared {
	const char *name;
	bool use_mm;
	struct dma_device *dev;
	int nr_files, wb_cursor;
	struct pc_file *files;
	struct pc_ref *fifo;             /* cached pages, oldest at head */
	unsigned long fifo_head, fifo_n, fifo_cap;
	unsigned long cache_max, dirty, dirty_limit;
	gfp_t gfp;
	int node;
	uint64_t *reads, *writes, *hits, *misses, *enomem, *fsyncs, *writeback, *evicted, *dma_faults;
	struct hist *read_lat, *write_lat;
	struct pc_shared *next;
};

struct pc_proc {
	struct pc_shared *sh;
	struct rng rng;
	sim_time_t stop, mean_gap;
	unsigned read_pct, fsync_pct;
	struct dist io;
	struct dma_seg seg[PC_MAX_IO_PAGES];
};

static struct pc_shared *pc_list;

/* Write back @nr pages (synchronously, one transfer). */
static void pc_write_back(struct pc_shared *sh, struct dma_seg *seg, int nr)
{
	if (!nr)
		return;
	if (dma_transfer(sh->dev, seg, nr, true, true) < 0)
		(*sh->dma_faults)++;
	(*sh->writeback) += (uint64_t)nr;
}

static void pc_clean(struct pc_shared *sh, struct pc_file *f, unsigned long i)
{
	if (f->dirty[i]) {
		f->dirty[i] = 0;
		sh->dirty--;
	}
}

/* Evict the oldest cached page (interim reclaim). */
static void pc_evict_one(struct pc_shared *sh)
{
	struct pc_ref r = sh->fifo[sh->fifo_head];
	struct pc_file *f = &sh->files[r.file];

	sh->fifo_head = (sh->fifo_head + 1) % sh->fifo_cap;
	sh->fifo_n--;
	if (!f->page[r.index])
		return;
	if (f->dirty[r.index]) {
		struct dma_seg s = { page_to_phys(f->page[r.index]), PAGE_SIZE };

		pc_write_back(sh, &s, 1);
		pc_clean(sh, f, r.index);
	}
	__free_pages(f->page[r.index], 0);
	f->page[r.index] = NULL;
	(*sh->evicted)++;
}

static struct page *pc_add(struct pc_shared *sh, uint32_t file, unsigned long idx, gfp_t gfp)
{
	struct page *pg;

	while (sh->fifo_n >= sh->cache_max)
		pc_evict_one(sh);
	pg = alloc_pages_node(sh->node, gfp, 0);
	if (!pg)
		return NULL;
	sh->files[file].page[idx] = pg;
	sh->fifo[(sh->fifo_head + sh->fifo_n) % sh->fifo_cap] = (struct pc_ref){ file, (uint32_t)idx };
	sh->fifo_n++;
	return pg;
}

/* Write back every dirty page of @f (fsync), in bios of at most PC_MAX_IO_PAGES. */
static void pc_fsync(struct pc_proc *p, struct pc_file *f)
{
	struct pc_shared *sh = p->sh;
	int nr = 0;

	for (unsigned long i = 0; i < f->nr_pages; i++) {
		if (!f->dirty[i])
			continue;
		p->seg[nr].addr = page_to_phys(f->page[i]);
		p->seg[nr].len = PAGE_SIZE;
		pc_clean(sh, f, i);
		if (++nr == PC_MAX_IO_PAGES) {
			pc_write_back(sh, p->seg, nr);
			nr = 0;
		}
	}
	pc_write_back(sh, p->seg, nr);
}

/* One operation through the kernel model's page cache (api mm). */
static void pc_op_mm(struct pc_proc *p, struct pc_file *f, unsigned long start, unsigned long len, bool is_read)
{
	struct pc_shared *sh = p->sh;
	sim_time_t t0 = sim_now();
	unsigned long before = file_cached_pages(f->fm), after;
	int rc;

	if (is_read) {
		(*sh->reads)++;
		rc = file_read(f->fm, (uint64_t)start * PAGE_SIZE, len * PAGE_SIZE);
		after = file_cached_pages(f->fm);
		after = after > before ? after - before : 0;        /* pages read in */
		(*sh->misses) += after < len ? after : len;
		(*sh->hits) += after < len ? len - after : 0;
		hist_add(sh->read_lat, sim_now() - t0);
	} else {
		(*sh->writes)++;
		rc = file_write(f->fm, (uint64_t)start * PAGE_SIZE, len * PAGE_SIZE);
		if (rc == 0 && rng_below(&p->rng, 100) < p->fsync_pct) {
			unsigned long dirty = file_dirty_pages(f->fm);

			(*sh->fsyncs)++;
			if (file_fsync(f->fm) == 0)
				(*sh->writeback) += dirty;
		}
		hist_add(sh->write_lat, sim_now() - t0);
	}
	if (rc == -ENOMEM)
		(*sh->enomem)++;
}

static void pc_op(struct pc_proc *p)
{
	struct pc_shared *sh = p->sh;
	uint32_t fi = (uint32_t)rng_below(&p->rng, (uint64_t)sh->nr_files);
	struct pc_file *f = &sh->files[fi];
	unsigned long len = (unsigned long)((dist_sample_u64(&p->io, &p->rng) + PAGE_SIZE - 1) / PAGE_SIZE);
	unsigned long start, end;
	bool is_read = rng_below(&p->rng, 100) < p->read_pct;
	sim_time_t t0 = sim_now();
	int nr = 0;

	if (len > f->nr_pages)
		len = f->nr_pages;
	if (len > PC_MAX_IO_PAGES)
		len = PC_MAX_IO_PAGES;
	start = rng_below(&p->rng, f->nr_pages - len + 1);
	end = start + len;
	if (sh->use_mm) {
		pc_op_mm(p, f, start, len, is_read);
		return;
	}
	if (is_read) {
		(*sh->reads)++;
		for (unsigned long i = start; i < end; i++) {
			if (f->page[i]) {
				(*sh->hits)++;
				mem_read(page_address(f->page[i]), 64);
				continue;
			}
			(*sh->misses)++;
			if (!pc_add(sh, fi, i, sh->gfp | __GFP_NORETRY | __GFP_NOWARN)) {
				(*sh->enomem)++;
				break;
			}
			p->seg[nr].addr = page_to_phys(f->page[i]);
			p->seg[nr].len = PAGE_SIZE;
			nr++;
		}
		if (nr && dma_transfer(sh->dev, p->seg, nr, false, true) < 0)
			(*sh->dma_faults)++;
		hist_add(sh->read_lat, sim_now() - t0);
		return;
	}
	(*sh->writes)++;
	/* balance_dirty_pages: over the limit, write back files (round robin) first. */
	for (int k = 0; sh->dirty > sh->dirty_limit && k < sh->nr_files; k++) {
		pc_fsync(p, &sh->files[sh->wb_cursor]);
		sh->wb_cursor = (sh->wb_cursor + 1) % sh->nr_files;
	}
	for (unsigned long i = start; i < end; i++) {
		if (!f->page[i] && !pc_add(sh, fi, i, sh->gfp | __GFP_WRITE)) {
			(*sh->enomem)++;
			break;
		}
		mem_write(page_address(f->page[i]), 64);
		if (!f->dirty[i]) {
			f->dirty[i] = 1;
			sh->dirty++;
		}
	}
	if (rng_below(&p->rng, 100) < p->fsync_pct) {
		(*sh->fsyncs)++;
		pc_fsync(p, f);
	}
	hist_add(sh->write_lat, sim_now() - t0);
}

static void pc_proc_fn(void *arg)
{
	struct pc_proc *p = arg;

	while (wl_running(p->stop)) {
		sim_sleep((sim_time_t)rng_exponential(&p->rng, (double)p->mean_gap) + 1);
		if (wl_running(p->stop))
			pc_op(p);
	}
}

static double gauge_cached(void *ctx)
{
	struct pc_shared *sh = ctx;
	double n = 0;

	if (!sh->use_mm)
		return (double)sh->fifo_n;
	for (int i = 0; i < sh->nr_files; i++)
		n += (double)file_cached_pages(sh->files[i].fm);
	return n;
}

static double gauge_dirty(void *ctx)
{
	struct pc_shared *sh = ctx;
	double n = 0;

	if (!sh->use_mm)
		return (double)sh->dirty;
	for (int i = 0; i < sh->nr_files; i++)
		n += (double)file_dirty_pages(sh->files[i].fm);
	return n;
}

static const struct workload_param pc_params[] = {
	{ "api", CFG_UNIT_NONE, "mm", "mm: the kernel model's page cache (the default when user memory is "
	  "initialised, else pages); pages: this generator's own cache table" },
	{ "procs", CFG_UNIT_NONE, "2", "reader/writer processes" },
	{ "files", CFG_UNIT_NONE, "64", "files" },
	{ "file_size", CFG_UNIT_BYTES, "{dist: lognormal, median: 1MiB, sigma: 1.5, min: 4KiB, max: 256MiB}",
	  "file size (drawn once per file)", WP_DIST },
	{ "rate", CFG_UNIT_RATE, "20k/s", "read/write operations per second, all processes (Poisson)" },
	{ "read", CFG_UNIT_PERCENT, "70%", "share of reads" },
	{ "io_size", CFG_UNIT_BYTES, "{dist: empirical, values: [[4KiB, 50], [64KiB, 40], [1MiB, 10]]}",
	  "bytes per operation (at most 1 MiB)", WP_DIST },
	{ "fsync", CFG_UNIT_PERCENT, "5%", "share of writes followed by fsync of the file" },
	{ "dirty_limit", CFG_UNIT_PERCENT, "10%", "api pages: dirty pages (of memory) above which writers write back" },
	{ "cache_limit", CFG_UNIT_PERCENT, "50%", "api pages: page cache size (of memory) before FIFO eviction" },
	{ "device", CFG_UNIT_NONE, "nvme0", "api pages: the block device holding the files" },
	{ "gfp", CFG_UNIT_NONE, "GFP_HIGHUSER_MOVABLE", "api pages: the mapping's gfp mask" },
	{ NULL },
};

static int pc_setup(struct cfg_node *task, const struct workload_env *env)
{
	static const char *const apis[] = { "mm", "pages", NULL };
	const struct workload_type *T = &workload_pagecache;
	/* Nothing is allocated for a task the kernel model cannot run. */
	struct pc_shared *sh = wl_require_kernel(task, T) < 0 ? NULL : calloc(1, sizeof(*sh));
	uint64_t procs = workload_u64(task, T, "procs", 1, 1024);
	uint64_t nfiles = workload_u64(task, T, "files", 1, 1 << 20);
	uint64_t rate = workload_u64(task, T, "rate", 1, 100000000);
	uint64_t rpct = workload_u64(task, T, "read", 0, 100);
	uint64_t fpct = workload_u64(task, T, "fsync", 0, 100);
	uint64_t dpct = workload_u64(task, T, "dirty_limit", 0, 100);
	uint64_t cpct = workload_u64(task, T, "cache_limit", 1, 100);
	const char *dev = cfg_str(task, "device", "nvme0");
	int api = cfg_enum(task, "api", apis, wl_user_memory_ready() ? 0 : 1);
	struct dist fsize, io;
	unsigned long mem;
	struct rng r;
	char name[192];

	if (!sh || wl_gfp(task, T, "gfp", &sh->gfp) < 0 ||
	    workload_dist(task, T, "file_size", 1, 1ull << 40, &fsize) < 0 ||
	    workload_dist(task, T, "io_size", 1, (double)(PC_MAX_IO_PAGES * PAGE_SIZE), &io) < 0 ||
	    cfg_failed(cfg_doc(task)))
		return -1;
	sh->use_mm = api == 0;
	if (sh->use_mm && !wl_user_memory_ready()) {
		cfg_fail(cfg_doc(task), task, "api", "api: mm needs the kernel model's user memory "
			 "(reclaim_init has not run: no memory-pressure model in this run); use api: pages");
		free(sh);
		return -1;
	}
	sh->dev = dma_device_find(dev);
	if (!sh->dev && !sh->use_mm) {
		cfg_fail(cfg_doc(task), task, "device", "expected a device of the machine, got '%s'", dev);
		return -1;
	}
	mem = env->node >= 0 ? node_managed_pages(env->node) : totalram_pages();
	sh->cache_max = mem * cpct / 100;
	sh->dirty_limit = mem * dpct / 100;
	sh->node = env->node;
	sh->nr_files = (int)nfiles;
	sh->files = calloc(nfiles, sizeof(*sh->files));
	if (!sh->files)
		return -1;
	wl_rng(&r, env, 1000);
	for (uint64_t i = 0; i < nfiles; i++) {
		struct pc_file *f = &sh->files[i];

		f->nr_pages = (unsigned long)((dist_sample_u64(&fsize, &r) + PAGE_SIZE - 1) / PAGE_SIZE);
		if (!f->nr_pages)
			f->nr_pages = 1;
		if (sh->use_mm) {
			snprintf(name, sizeof(name), "%s/file%llu", env->task_name, (unsigned long long)i);
			f->fm = file_create(name, (uint64_t)f->nr_pages * PAGE_SIZE);
			if (!f->fm)
				return -1;
			continue;
		}
		f->page = calloc(f->nr_pages, sizeof(*f->page));
		f->dirty = calloc(f->nr_pages, 1);
		if (!f->page || !f->dirty)
			return -1;
		sh->fifo_cap += f->nr_pages;
	}
	if (sh->use_mm)
		sh->fifo_cap = 1;
	if (sh->cache_max > sh->fifo_cap)
		sh->cache_max = sh->fifo_cap;
	if (sh->cache_max < 2 * PC_MAX_IO_PAGES)        /* an operation never evicts its own pages */
		sh->cache_max = sh->fifo_cap < 2 * PC_MAX_IO_PAGES ? sh->fifo_cap : 2 * PC_MAX_IO_PAGES;
	sh->fifo = calloc(sh->fifo_cap, sizeof(*sh->fifo));
	if (!sh->fifo)
		return -1;
	sh->name = strdup(env->task_name);
	sh->reads = wl_counter(env, "reads", "ops", "read operations");
	sh->writes = wl_counter(env, "writes", "ops", "write operations");
	sh->hits = wl_counter(env, "cache_hits", "pages", "pages read from the cache");
	sh->misses = wl_counter(env, "cache_misses", "pages", "pages read from the device");
	sh->enomem = wl_counter(env, "enomem", "ops", "operations cut short by a failed page allocation");
	sh->fsyncs = wl_counter(env, "fsyncs", "calls", "fsync calls");
	sh->writeback = wl_counter(env, "writeback_pages", "pages", "dirty pages written back");
	sh->evicted = wl_counter(env, "evicted", "pages", "pages evicted by the interim cache limit");
	sh->dma_faults = wl_counter(env, "dma_faults", "transfers", "transfers refused by the device");
	sh->read_lat = wl_hist(env, "read_latency", "ps", "latency of a read operation (incl. device reads)");
	sh->write_lat = wl_hist(env, "write_latency", "ps", "latency of a write operation (incl. throttling, fsync)");
	stat_gauge(wl_stat_name(env, "cached_pages", name, sizeof(name)), "pages",
		   "pages in this task's page cache", STAT_SAMPLED, gauge_cached, sh);
	stat_gauge(wl_stat_name(env, "dirty_pages", name, sizeof(name)), "pages",
		   "dirty pages in this task's page cache", STAT_SAMPLED, gauge_dirty, sh);
	for (uint64_t i = 0; i < procs; i++) {
		struct pc_proc *p = calloc(1, sizeof(*p));

		if (!p)
			return -1;
		p->sh = sh;
		wl_rng(&p->rng, env, (int)i);
		p->stop = env->stop;
		p->mean_gap = SIM_SEC * procs / rate;
		p->read_pct = (unsigned)rpct;
		p->fsync_pct = (unsigned)fpct;
		p->io = io;
		if (!wl_spawn(env, (int)i, env->context, pc_proc_fn, p, wl_task_new(env, (int)i)))
			return -1;
	}
	sh->next = pc_list;
	pc_list = sh;
	return 0;
}

static void pc_report(FILE *out)
{
	for (struct pc_shared *sh = pc_list; sh; sh = sh->next) {
		uint64_t acc = *sh->hits + *sh->misses;

		fprintf(out, "%s: %llu reads (hit ratio %.1f%%), %llu writes, %llu fsyncs, %llu pages written back, "
			"%.0f cached, %llu ENOMEM, read p99 %.1f us\n",
			sh->name, (unsigned long long)*sh->reads, acc ? 100.0 * (double)*sh->hits / (double)acc : 0.0,
			(unsigned long long)*sh->writes, (unsigned long long)*sh->fsyncs,
			(unsigned long long)*sh->writeback, gauge_cached(sh), (unsigned long long)*sh->enomem,
			(double)hist_percentile(sh->read_lat, 99) / 1e6);
	}
}

const struct workload_type workload_pagecache = {
	.name = "pagecache",
	.desc = "file readers/writers: page-cache hits and misses, dirtying, fsync and writeback to a block "
		"device (the model's page cache, api: mm, or an own cache table, api: pages)",
	.params = pc_params,
	.setup = pc_setup,
	.report = pc_report,
};
