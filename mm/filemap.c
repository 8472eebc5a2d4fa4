// SPDX-License-Identifier: MIT
/*
 * mm/filemap.c — the page cache: files, buffered reads and writes, dirty
 * pages, writeback to the block device, fsync and truncation.
 *
 * Model: a file is an array of page-cache slots (owner-table indices). A read
 * finds cached pages (mark_page_accessed: the second access activates) and
 * reads missing ones from the block device in batches of up to 32 pages (the
 * caller sleeps for the I/O); a write dirties pages (no read-before-write of
 * partial pages) and then runs a simplified balance_dirty_pages: above
 * vm.dirty_background_ratio of dirtyable memory the writer starts writeback
 * of its file's dirty pages (standing in for the flusher), above
 * vm.dirty_ratio it sleeps on writeback completions (200 ms maximum pause)
 * until dirty + writeback falls under the limit. Writeback is asynchronous
 * (mm/swap.c's block-device queue); completion clears PG_writeback and
 * rotates PG_reclaim pages to the tail of the inactive list.
 *
 * Invariants (filemap_check): every cached slot names a file upage with
 * (file, index) = the slot; per-file and node NR_FILE_PAGES/NR_FILE_DIRTY agree.
 * Simplified vs 6.1: no readahead, no mmap of files (Mapped stays 0), no
 * shadow entries / workingset refault detection, no per-bdi writeback
 * bandwidth estimation, dirty limits global only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cost.h"
#include "mm/reclaim_internal.h"

#define CYC_PAGECACHE_LOOKUP 150   /* [U] filemap_get_pages / xarray walk per page */
#define CYC_PAGECACHE_ADD    400   /* [U] filemap_add_folio + lru_cache_add */
#define READ_BATCH 32

struct file_model {
	char name[32];
	uint64_t size;
	uint32_t id;
	uint32_t *cache;                /* upage index per page, UP_NONE */
	unsigned long npages, cached, dirty;
	unsigned long wb_cursor;        /* where the modelled flusher resumes (writeback_index) */
};

static struct file_model **files;
static uint32_t nr_files, cap_files;

struct file_model *file_create(const char *name, uint64_t size)
{
	struct file_model *f;

	if (reclaim_lazy_init())
		return NULL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	if (nr_files == cap_files) {
		uint32_t cap = cap_files ? cap_files * 2 : 16;
		struct file_model **n = realloc(files, cap * sizeof(*n));
		if (!n) {
			free(f);
			return NULL;
		}
		files = n;
		cap_files = cap;
	}
	snprintf(f->name, sizeof(f->name), "%s", name ? name : "");
	f->size = size;
	f->npages = (unsigned long)((size + PAGE_SIZE - 1) >> PAGE_SHIFT);
	f->cache = malloc((f->npages ? f->npages : 1) * sizeof(uint32_t));
	if (!f->cache) {
		free(f);
		return NULL;
	}
	for (unsigned long i = 0; i < f->npages; i++)
		f->cache[i] = UP_NONE;
	f->id = nr_files;
	files[nr_files++] = f;
	return f;
}

unsigned long file_cached_pages(const struct file_model *f) { return f->cached; }
unsigned long file_dirty_pages(const struct file_model *f) { return f->dirty; }

static uint32_t cache_insert(struct file_model *f, unsigned long index, struct page *pg)
{
	uint32_t idx = upage_alloc(pg, false, f->id, (uint32_t)index);

	if (idx == UP_NONE)
		return UP_NONE;
	f->cache[index] = idx;
	f->cached++;
	mod_node_page_state(NODE_DATA(up_of(idx)->nid), NR_FILE_PAGES, 1);
	lru_cache_add(idx);
	return idx;
}

void filemap_remove(uint32_t idx)
{
	struct upage *u = up_of(idx);
	struct file_model *f = files[u->owner];

	if (u->flags & UP_DIRTY) {
		up_set_dirty(idx, false);
		f->dirty--;
	}
	f->cache[u->index] = UP_NONE;
	f->cached--;
	mod_node_page_state(NODE_DATA(u->nid), NR_FILE_PAGES, -1);
}

void start_writeback(uint32_t idx)
{
	struct upage *u = up_of(idx);
	struct file_model *f;

	if (!(u->flags & UP_DIRTY) || (u->flags & (UP_WRITEBACK | UP_ANON)))
		return;
	f = files[u->owner];
	up_set_dirty(idx, false);
	f->dirty--;
	up_set_writeback(idx, true);
	*vc.pgpgout += PAGE_SIZE / 1024;
	blk_submit_write(file_bdev, idx);
}

/* Read the missing pages among [first, first+n) with one I/O. */
static int read_batch(struct file_model *f, unsigned long first, unsigned long n)
{
	struct page *pages[READ_BATCH];
	unsigned long got = 0;

	for (unsigned long i = 0; i < n; i++) {
		struct page *pg = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
		if (!pg)
			break;
		pages[got++] = pg;
	}
	if (got) {
		*vc.pgpgin += got * PAGE_SIZE / 1024;
		blk_read_sync(file_bdev, got * PAGE_SIZE);
	}
	for (unsigned long i = 0; i < got; i++) {
		unsigned long index = first + i;
		if (f->cache[index] != UP_NONE || cache_insert(f, index, pages[i]) == UP_NONE)
			put_page(pages[i]);
	}
	cost_cycles((unsigned)(got * CYC_PAGECACHE_ADD));
	return got == n ? 0 : -ENOMEM;
}

int file_read(struct file_model *f, uint64_t off, size_t len)
{
	unsigned long first, last;

	if (!len)
		return 0;
	if (off + len > f->size)
		return -EINVAL;
	first = (unsigned long)(off >> PAGE_SHIFT);
	last = (unsigned long)((off + len - 1) >> PAGE_SHIFT);
	for (unsigned long i = first; i <= last;) {
		if (f->cache[i] != UP_NONE) {
			mark_page_accessed(f->cache[i]);
			cost_cycles(CYC_PAGECACHE_LOOKUP);
			i++;
			continue;
		}
		unsigned long n = 0;
		while (i + n <= last && n < READ_BATCH && f->cache[i + n] == UP_NONE)
			n++;
		int r = read_batch(f, i, n);
		if (r)
			return r;
		/* the newly read pages count one access (folio_mark_accessed in filemap_read) */
		for (unsigned long k = i; k < i + n; k++)
			if (f->cache[k] != UP_NONE)
				mark_page_accessed(f->cache[k]);
		i += n;
	}
	return 0;
}

/* Simplified balance_dirty_pages (global limits only). */
static void balance_dirty_pages(struct file_model *f)
{
	unsigned long free = global_zone_page_state(NR_FREE_PAGES);
	unsigned long filelru = global_node_page_state(NR_INACTIVE_FILE) + global_node_page_state(NR_ACTIVE_FILE);
	unsigned long dirtyable = (free > mm.totalreserve_pages ? free - mm.totalreserve_pages : 0) + filelru;
	unsigned long bg = dirtyable * (unsigned long)rs.p.dirty_background_ratio / 100;
	unsigned long thresh = dirtyable * (unsigned long)rs.p.dirty_ratio / 100;
	unsigned long dirty = global_node_page_state(NR_FILE_DIRTY);

	if (dirty > bg) {
		/* the flusher: write back this file's dirty pages from writeback_index on, cyclically */
		unsigned long want = dirty - bg + SWAP_CLUSTER_MAX;
		for (unsigned long n = 0; n < f->npages && want && f->dirty; n++) {
			unsigned long i = f->wb_cursor;
			f->wb_cursor = i + 1 >= f->npages ? 0 : i + 1;
			if (f->cache[i] != UP_NONE && (up_of(f->cache[i])->flags & UP_DIRTY)) {
				start_writeback(f->cache[i]);
				want--;
			}
		}
	}
	for (int pauses = 0; pauses < 50; pauses++) {
		dirty = global_node_page_state(NR_FILE_DIRTY) + global_node_page_state(NR_WRITEBACK);
		if (dirty <= thresh || !rs.dirty_ev || fatal_signal_pending(current))
			break;
		sim_wait_timeout(rs.dirty_ev, 200 * SIM_MS);
	}
}

int file_write(struct file_model *f, uint64_t off, size_t len)
{
	unsigned long first, last;

	if (!len)
		return 0;
	if (off + len > f->size)
		return -EINVAL;
	first = (unsigned long)(off >> PAGE_SHIFT);
	last = (unsigned long)((off + len - 1) >> PAGE_SHIFT);
	for (unsigned long i = first; i <= last; i++) {
		uint32_t idx = f->cache[i];
		if (idx == UP_NONE) {
			struct page *pg = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
			if (!pg)
				return -ENOMEM;
			idx = f->cache[i];
			if (idx == UP_NONE)
				idx = cache_insert(f, i, pg);
			else
				put_page(pg);
			if (idx == UP_NONE) {
				put_page(pg);
				return -ENOMEM;
			}
			cost_cycles(CYC_PAGECACHE_ADD);
		}
		mark_page_accessed(idx);
		if (!(up_of(idx)->flags & UP_DIRTY)) {
			up_set_dirty(idx, true);
			f->dirty++;
		}
		cost_cycles(CYC_PAGECACHE_LOOKUP);
	}
	balance_dirty_pages(f);
	return 0;
}

static unsigned long file_writeback_pages(const struct file_model *f)
{
	unsigned long n = 0;

	for (unsigned long i = 0; i < f->npages; i++)
		if (f->cache[i] != UP_NONE && (up_of(f->cache[i])->flags & UP_WRITEBACK))
			n++;
	return n;
}

int file_fsync(struct file_model *f)
{
	for (unsigned long i = 0; i < f->npages; i++)
		if (f->cache[i] != UP_NONE)
			start_writeback(f->cache[i]);
	while (file_writeback_pages(f)) {
		if (!rs.dirty_ev)
			return -EIO;
		sim_wait_timeout(rs.dirty_ev, 200 * SIM_MS);
	}
	return 0;
}

void file_drop(struct file_model *f)
{
	if (!f)
		return;
	sim_atomic_begin();
	for (unsigned long i = 0; i < f->npages; i++) {
		uint32_t idx = f->cache[i];
		if (idx == UP_NONE)
			continue;
		filemap_remove(idx);
		release_user_page(idx);
	}
	files[f->id] = NULL;
	free(f->cache);
	free(f);
	sim_atomic_end();
}

void filemap_shutdown(void)
{
	for (uint32_t i = 0; i < nr_files; i++)
		if (files[i]) {
			free(files[i]->cache);
			free(files[i]);
		}
	free(files);
	files = NULL;
	nr_files = cap_files = 0;
}

int filemap_check(void)
{
	for (uint32_t fi = 0; fi < nr_files; fi++) {
		struct file_model *f = files[fi];
		unsigned long cached = 0, dirty = 0;
		if (!f)
			continue;
		for (unsigned long i = 0; i < f->npages; i++) {
			uint32_t idx = f->cache[i];
			struct upage *u;
			if (idx == UP_NONE)
				continue;
			u = up_of(idx);
			if ((u->flags & UP_ANON) || u->owner != fi || u->index != i || (u->flags & UP_ORPHAN)) {
				fprintf(stderr, "filemap_check: %s[%lu]: bad page-cache entry %u\n", f->name, i, idx);
				return -1;
			}
			cached++;
			dirty += !!(u->flags & UP_DIRTY);
		}
		if (cached != f->cached || dirty != f->dirty) {
			fprintf(stderr, "filemap_check: %s: %lu cached / %lu dirty, counters %lu / %lu\n", f->name,
				cached, dirty, f->cached, f->dirty);
			return -1;
		}
	}
	return 0;
}
