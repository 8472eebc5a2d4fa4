/* SPDX-License-Identifier: MIT */
/*
 * mm/memory.h — user memory of the kernel model: tasks with an mm (anonymous
 * memory faulted in page by page, user page tables accounted), the page cache
 * (files, reads, dirtying writes, fsync, writeback to a block device), swap,
 * and the interfaces reclaim shares with compaction (page migration) and the
 * OOM killer (rss counters, the task list, the oom_reaper's unmap).
 *
 * Every user page (anon or page cache) is an order-0 page tagged PGTY_ANON or
 * PGTY_FILE whose page_owner_data() indexes the model's owner table (an
 * rmap-like entry: (mm, virtual address) or (file, index), LRU links and the
 * page's flags PG_referenced/active/dirty/writeback/swapbacked/...).
 *
 * Context: the task_ and file_ functions run in the current simulated context (normally the
 * task's own process, see cpu_spawn()); they allocate with
 * GFP_HIGHUSER_MOVABLE and may enter direct reclaim and sleep (device waits).
 */
#ifndef MMSIM_MM_MEMORY_H
#define MMSIM_MM_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mm/page_alloc.h"
#include "mm/sched.h"
#include "sim/engine.h"

/* --- parameters (sim/scenario_pressure.c fills them from the scenario) --------- */
struct pressure_params {
	int swappiness;                 /* vm.swappiness, 0..200 (default 60) */
	uint64_t swap_size;             /* bytes of swap (0: no swap) */
	sim_time_t swap_latency;        /* per I/O (default 100 µs) */
	uint64_t swap_bandwidth;        /* bytes/s (default 500 MB/s) */
	const char *block_device;       /* machine/dma.h device for file writeback/reads, NULL: none */
	sim_time_t disk_latency;        /* per file I/O (default 100 µs) */
	uint64_t disk_bandwidth;        /* bytes/s (default 500 MB/s) when no device is named */
	int dirty_ratio;                /* vm.dirty_ratio (20) */
	int dirty_background_ratio;     /* vm.dirty_background_ratio (10) */
	bool kswapd;                    /* run kswapd threads (default true) */
};

/** pressure_params_default() - Linux 6.1 defaults (swappiness 60, no swap). */
void pressure_params_default(struct pressure_params *p);

/**
 * reclaim_init() - after mm_boot(): swap device, LRU state, vmstat counters and
 * events of reclaim, kswapd per node (spawned on the first CPU of its node).
 * Without it, user memory still works and direct reclaim still reclaims; only
 * kswapd does not run.
 * Return: 0, or a negative errno with a message in @err.
 */
int reclaim_init(const struct pressure_params *p, char *err, size_t len);
/** reclaim_shutdown() - forget every task, file, swap slot and kswapd (before mm_shutdown). */
void reclaim_shutdown(void);
/** reclaim_check() - invariants: LRU lists vs counters, owner table, rss, swap map. 0 or -1. */
int reclaim_check(void);
/** vm_swappiness() / set_vm_swappiness() - the sysctl (-EINVAL outside 0..200). */
int vm_swappiness(void);
int set_vm_swappiness(int v);

/* --- mm_struct ---------------------------------------------------------------- */
enum {
	MM_FILEPAGES,                   /* resident file-mapped pages */
	MM_ANONPAGES,                   /* resident anonymous pages */
	MM_SWAPENTS,                    /* anonymous swap entries */
	MM_SHMEMPAGES,                  /* resident shared memory pages */
	NR_MM_COUNTERS
};

struct mm_pt;                           /* the model's user page tables (private) */

struct mm_struct {
	struct task_struct *owner;
	long rss_stat[NR_MM_COUNTERS];
	unsigned long pgtables_bytes;   /* PTE/PMD/PUD table pages (not the pgd), like the kernel */
	unsigned long total_vm;         /* pages of mapped VMAs */
	unsigned long mmap_base;        /* next free user address of the bump mmap */
	struct mm_pt *pt;
	int id;                         /* index in the model's mm table */
};

static inline struct mm_struct *task_mm(const struct task_struct *t) { return (struct mm_struct *)t->mm_private; }
/** get_mm_counter() - rss counter @member (MM_*), never negative. */
static inline unsigned long get_mm_counter(const struct mm_struct *mm, int member)
{ long v = mm->rss_stat[member]; return v < 0 ? 0 : (unsigned long)v; }
/** get_mm_rss() - file + anon + shmem resident pages (what oom_badness adds). */
static inline unsigned long get_mm_rss(const struct mm_struct *mm)
{ return get_mm_counter(mm, MM_FILEPAGES) + get_mm_counter(mm, MM_ANONPAGES) + get_mm_counter(mm, MM_SHMEMPAGES); }
static inline unsigned long mm_pgtables_bytes(const struct mm_struct *mm) { return mm->pgtables_bytes; }

/* --- tasks ------------------------------------------------------------------------ */
/**
 * task_create() - a user task with an empty mm (pid assigned 1000, 1001, ...),
 * added to the task list. Its task_struct carries rss/swapents/pgtables mirrors
 * of the mm counters (mm/sched.h fields).
 * Return: the task, or NULL (host allocation failure).
 */
struct task_struct *task_create(const char *comm, short oom_score_adj);
/**
 * task_exit() - exit_mmap(): free every anon page, swap entry and page-table
 * page; remove from the task list; calls mm_task_exit_hook (the OOM killer's
 * exit_oom_victim) and drops the list's reference (the task_struct is freed
 * when the last get_task_struct() reference is put).
 */
void task_exit(struct task_struct *t);
void get_task_struct(struct task_struct *t);
void put_task_struct(struct task_struct *t);
/** mm_task_exit_hook - called by task_exit() before the mm is torn down (NULL: none). */
extern void (*mm_task_exit_hook)(struct task_struct *t);

/* The task list (tasks with an mm, creation order). Kernel threads are not listed. */
struct task_struct *task_first(void);
struct task_struct *task_next(const struct task_struct *t);
#define for_each_process(t) for ((t) = task_first(); (t); (t) = task_next(t))
int nr_user_tasks(void);

/**
 * task_mmap() - reserve @len bytes (page-rounded) of anonymous private memory
 * in @t's address space (no pages yet; total_vm grows).
 * Return: the user virtual address, or 0 for an empty length.
 */
unsigned long task_mmap(struct task_struct *t, size_t len);
/**
 * task_munmap() - unmap [@addr, @addr+@len): free resident pages and swap
 * entries in the range (page-table pages stay until exit, like a partial unmap).
 * Return: 0, or -EINVAL if the range is not inside a mapping.
 */
int task_munmap(struct task_struct *t, unsigned long addr, size_t len);
/**
 * task_touch_anon() - the task accesses the page at @addr: a first touch
 * faults in a zeroed page (GFP_HIGHUSER_MOVABLE, page-table pages allocated
 * and accounted as needed), a swapped page is read back from swap (pswpin,
 * device latency), a resident page is marked referenced (activation on the
 * second reference is reclaim's job). @write marks the pte dirty.
 * Return: 0; -EFAULT outside a mapping; -ENOMEM when the allocation failed
 * (VM_FAULT_OOM); -EINTR when the task has a fatal signal (OOM victim).
 */
int task_touch_anon(struct task_struct *t, unsigned long addr, bool write);
/** task_touch_range() - task_touch_anon() on every page of a range; first error stops. */
int task_touch_range(struct task_struct *t, unsigned long addr, size_t len, bool write);
/** task_page_resident() - is the page at @addr present (not swapped, not absent)? */
bool task_page_resident(struct task_struct *t, unsigned long addr);
/** task_page_swapped() - does the pte at @addr hold a swap entry? */
bool task_page_swapped(struct task_struct *t, unsigned long addr);

/* --- files and the page cache --------------------------------------------------- */
struct file_model;
/** file_create() - a regular file of @size bytes (nothing cached). NULL on host failure. */
struct file_model *file_create(const char *name, uint64_t size);
/**
 * file_read() - read [@off, @off+@len): cached pages are marked accessed
 * (mark_page_accessed), missing pages are allocated into the page cache and
 * read from the block device (the caller waits for the I/O).
 * Return: 0, -EINVAL past EOF, -ENOMEM when a page-cache page cannot be allocated.
 */
int file_read(struct file_model *f, uint64_t off, size_t len);
/** file_write() - like file_read() without the read I/O for full pages, then dirty the pages
 *  (NR_FILE_DIRTY); the writer is throttled above vm.dirty_ratio (balance_dirty_pages). */
int file_write(struct file_model *f, uint64_t off, size_t len);
/** file_fsync() - write back every dirty page of @f and wait. Return 0 or -EIO. */
int file_fsync(struct file_model *f);
/** file_drop() - truncate the page cache of @f and free the file (pages under writeback
 *  are waited for). */
void file_drop(struct file_model *f);
unsigned long file_cached_pages(const struct file_model *f);
unsigned long file_dirty_pages(const struct file_model *f);

/* --- interface with compaction (mm/compaction.c) ----------------------------------- */
/** page_is_migratable() - an LRU user page (anon or file) that is not under writeback. */
bool page_is_migratable(struct page *page);
/**
 * isolate_movable_page() - take a migratable page off its LRU list (NR_ISOLATED_*).
 * Return: 0, or -EBUSY (not an LRU page, already isolated, under writeback).
 */
int isolate_movable_page(struct page *page);
/** putback_movable_page() - return an isolated page to its LRU list. */
void putback_movable_page(struct page *page);
/**
 * migrate_movable_page() - move isolated @old's contents and owner to @new (an
 * allocated order-0 page with refcount 1, e.g. from the compaction free
 * scanner): pte or page-cache slot now points at @new, @new takes @old's LRU
 * list (put back), mem_copy_phys() charges the copy, a TLB flush is charged for
 * mapped anon pages. On success @old is freed to the buddy allocator.
 * Return: 0; -EAGAIN for a dirty file page or a page under writeback (@old stays
 * isolated, @new untouched: the caller frees it and puts @old back).
 */
int migrate_movable_page(struct page *old, struct page *newpage);

/* --- interface with the OOM killer ---------------------------------------------------- */
/**
 * oom_reap_task_mm() - the oom_reaper: unmap the victim's anonymous memory
 * (resident pages freed, swap entries released); page tables stay until exit.
 * Return: pages freed.
 */
unsigned long oom_reap_task_mm(struct task_struct *t);

/* --- /proc/meminfo helpers (pages) --------------------------------------------------- */
struct reclaim_meminfo {
	unsigned long active_anon, inactive_anon, active_file, inactive_file, unevictable;
	unsigned long dirty, writeback, anon_pages, mapped, file_pages, shmem;
	unsigned long swap_total, swap_free, swap_cached, page_tables;
};
/** reclaim_meminfo() - the LRU/file/swap fields of /proc/meminfo for node @nid (-1: all). */
void reclaim_meminfo(int nid, struct reclaim_meminfo *out);

#endif /* MMSIM_MM_MEMORY_H */
