/* SPDX-License-Identifier: MIT */
/*
 * traces/trace.h — Linux ftrace text input: one zero-copy line parser for
 * /sys/kernel/tracing/trace and trace_pipe, `trace-cmd report` and
 * `perf script` output of the kmem, percpu, vmscan, compaction and oom
 * events; the check-trace analysis; and trace replay onto the kernel model.
 *
 * Parsing (traces/parse.c): a line is classified as an event, a line to skip
 * (blank, '#' header, trace-cmd preamble, perf call-chain frame, lost-events
 * marker) or malformed. An event line fills a struct trace_rec whose string
 * fields point into the line (no copy, no allocation); numbers, pointers,
 * pfns and GFP masks are decoded in place. Event names are identified by
 * length + memcmp; field keys likewise.
 *
 * Replay (traces/replay.c) and check (traces/check.c) are described in their
 * files' headers and in the README ("Replaying traces").
 */
#ifndef MMSIM_TRACES_TRACE_H
#define MMSIM_TRACES_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "mm/gfp.h"

/* --- events ---------------------------------------------------------------- */
enum tev {
	TEV_NONE = 0,
	/* kmem: slab */
	TEV_KMALLOC,
	TEV_KMALLOC_NODE,              /* ≤ 6.0 (merged into kmalloc in 6.1) */
	TEV_KMEM_CACHE_ALLOC,
	TEV_KMEM_CACHE_ALLOC_NODE,     /* ≤ 6.0 */
	TEV_KFREE,
	TEV_KMEM_CACHE_FREE,
	/* kmem: pages */
	TEV_MM_PAGE_ALLOC,
	TEV_MM_PAGE_FREE,
	TEV_MM_PAGE_FREE_BATCHED,
	TEV_MM_PAGE_ALLOC_ZONE_LOCKED,
	TEV_MM_PAGE_PCPU_DRAIN,
	TEV_MM_PAGE_ALLOC_EXTFRAG,
	/* percpu */
	TEV_PERCPU_ALLOC_PERCPU,
	TEV_PERCPU_FREE_PERCPU,
	/* vmscan */
	TEV_VMSCAN_KSWAPD_WAKE,
	TEV_VMSCAN_KSWAPD_SLEEP,
	TEV_VMSCAN_WAKEUP_KSWAPD,
	TEV_VMSCAN_DIRECT_RECLAIM_BEGIN,
	TEV_VMSCAN_DIRECT_RECLAIM_END,
	/* compaction */
	TEV_COMPACTION_BEGIN,
	TEV_COMPACTION_END,
	/* oom */
	TEV_MARK_VICTIM,
	TEV_RECLAIM_RETRY_ZONE,
	/* a well-formed line of an event this parser does not interpret */
	TEV_OTHER,
	TEV__NR
};

/** tev_name() - the ftrace name of @t ("kmalloc"; "other" for TEV_OTHER). */
const char *tev_name(enum tev t);
/** tev_system() - its subsystem ("kmem", "percpu", "vmscan", "compaction", "oom"). */
const char *tev_system(enum tev t);

/* Execution context decoded from the flags column. */
enum trec_ctx { TREC_TASK = 0, TREC_SOFTIRQ = 1, TREC_HARDIRQ = 2, TREC_NMI = 3 };

/* Which fields a record carries (bits of trace_rec.have). */
enum {
	TF_CALL_SITE = 1u << 0, TF_PTR = 1u << 1, TF_BYTES_REQ = 1u << 2, TF_BYTES_ALLOC = 1u << 3,
	TF_GFP = 1u << 4, TF_NODE = 1u << 5, TF_ACCOUNTED = 1u << 6, TF_NAME = 1u << 7,
	TF_PAGE = 1u << 8, TF_PFN = 1u << 9, TF_ORDER = 1u << 10, TF_MIGRATETYPE = 1u << 11,
	TF_NID = 1u << 12, TF_NR_RECLAIMED = 1u << 13, TF_PID = 1u << 14, TF_SIZE = 1u << 15,
	TF_BASE_ADDR = 1u << 16, TF_OFF = 1u << 17, TF_STATUS = 1u << 18, TF_ALIGN = 1u << 19,
};

/* A string slice inside the parsed line (not NUL-terminated). */
struct tslice {
	const char *s;
	uint32_t len;
};

/*
 * struct trace_rec - one decoded event line. Slices point into the line that
 * was parsed and are valid only as long as that buffer.
 */
struct trace_rec {
	enum tev type;
	uint32_t have;                 /* TF_* present */
	int cpu;                       /* the [cpu] column */
	int pid;                       /* -1 when the line has no comm-pid */
	uint8_t ctx;                   /* enum trec_ctx */
	bool irqs_off;                 /* flags column: 'd' or 'D' */
	bool has_flags;                /* a flags column was present */
	uint64_t ts_ns;                /* timestamp in ns */
	struct tslice comm;            /* task name ("<idle>", "kworker/1:0", "Web Content") */
	struct tslice event;           /* event name as written (without "sys:") */
	struct tslice call_sym;        /* call_site as written ("__build_skb+0x24/0x60" or "c0554644") */
	uint64_t call_site;            /* numeric call site, 0 if symbolic */
	uint64_t ptr;                  /* ptr= (slab, percpu) */
	uint64_t page;                 /* page= */
	uint64_t pfn;                  /* pfn= (decimal or 0x hex) */
	uint64_t base_addr;            /* percpu base_addr= */
	uint64_t bytes_req, bytes_alloc, size, align;
	uint64_t nr_reclaimed;
	int64_t off;                   /* percpu off= */
	gfp_t gfp;
	int node;                      /* node= (-1 when absent) */
	int order;
	int migratetype;
	int nid;
	int vpid;                      /* mark_victim pid= */
	bool accounted;
	bool reserved, is_atomic;      /* percpu_alloc_percpu */
	struct tslice name;            /* kmem_cache_free name=, mark_victim comm= */
	struct tslice status;          /* mm_compaction_end status= */
};

/* Result of parsing one line. */
enum tp_result {
	TP_MALFORMED = -1,
	TP_SKIP = 0,                   /* blank, header, preamble, call chain, lost events */
	TP_EVENT = 1,
};

/* Why a line was skipped (counts in struct trace_parse_stats). */
enum tp_skip { TPS_BLANK, TPS_COMMENT, TPS_PREAMBLE, TPS_CALLCHAIN, TPS_LOST, TPS__NR };

/**
 * trace_parse_line() - parse one line [@line, @line+@len) (no newline) into @rec.
 * @why: on TP_MALFORMED, a static string saying what was expected; on
 *       TP_SKIP, the enum tp_skip reason is stored in *@skip (both may be NULL).
 * Context: any; no allocation, no formatting. Not thread-safe only in that the
 * GFP string cache is process-global (read-mostly, filled on first sight).
 * Return: TP_EVENT, TP_SKIP or TP_MALFORMED.
 */
int trace_parse_line(const char *line, size_t len, struct trace_rec *rec,
		     const char **why, int *skip);

/* --- reading a whole file ------------------------------------------------------ */
#define TRACE_MAX_BAD_KEPT 16          /* malformed lines remembered for the report */

struct trace_bad_line {
	uint64_t lineno;
	const char *why;               /* static string */
	char text[96];                 /* start of the line */
};

struct trace_parse_stats {
	uint64_t lines;
	uint64_t events;               /* TP_EVENT lines */
	uint64_t per_event[TEV__NR];
	uint64_t skipped[TPS__NR];
	uint64_t malformed;
	int nr_bad_kept;
	struct trace_bad_line bad[TRACE_MAX_BAD_KEPT];
	int max_cpu;                   /* highest [cpu] seen, -1 if none */
	uint64_t first_ts_ns, last_ts_ns;
	uint64_t ts_backwards;         /* events whose timestamp is earlier than the previous one */
};

struct trace_reader;

/**
 * trace_reader_open() - open @path ("-" = stdin) for reading; regular files
 * are mapped, pipes are read in chunks.
 * Return: the reader, or NULL with a message naming the file in @err.
 */
struct trace_reader *trace_reader_open(const char *path, char *err, size_t errlen);
/** trace_reader_open_mem() - read from a caller-owned buffer (kept while the reader lives). */
struct trace_reader *trace_reader_open_mem(const char *buf, size_t len, const char *name);
/**
 * trace_reader_next() - the next event line.
 * Return: 1 with @rec filled (valid until the next call), 0 at end of input,
 * -1 for a malformed line (counted and remembered; call again to continue),
 * -2 for a read error (message in trace_reader_error()).
 */
int trace_reader_next(struct trace_reader *r, struct trace_rec *rec);
/** trace_reader_lineno() - the line number of the line last returned (1-based). */
uint64_t trace_reader_lineno(const struct trace_reader *r);
const char *trace_reader_name(const struct trace_reader *r);
const char *trace_reader_error(const struct trace_reader *r);
const struct trace_parse_stats *trace_reader_stats(const struct trace_reader *r);
/** trace_reader_rewind() - start again from the first line (mapped/memory input only; -1 for pipes). */
int trace_reader_rewind(struct trace_reader *r);
void trace_reader_close(struct trace_reader *r);

/**
 * trace_print_malformed() - "FILE:LINE: malformed trace line (expected ...): text"
 * for each remembered malformed line, then "... and N more" if any were dropped.
 */
void trace_print_malformed(FILE *f, const char *name, const struct trace_parse_stats *st);

/* --- check-trace (traces/check.c) ------------------------------------------- */
struct trace_check;

/*
 * Findings of check-trace. Misuse is reported per line (the first
 * TRACE_MAX_BAD_KEPT of each kind are remembered with their line numbers).
 */
enum tcheck_kind {
	TCK_DOUBLE_FREE,               /* free of a pointer/pfn already freed in the trace */
	TCK_SLEEP_IN_ATOMIC,           /* allocation whose gfp allows direct reclaim in hardirq/softirq/irqs-off */
	TCK_ALLOC_LIVE,                /* allocation returned a pointer still live in the trace (a free was lost) */
	TCK_FREE_MISMATCH,             /* kmem_cache_free of a kmalloc object or kfree of a cache object */
	TCK__NR
};

struct tcheck_finding {
	uint64_t lineno;
	enum tev type;
	uint64_t key;                  /* pointer or pfn */
};

struct trace_check_result {
	struct trace_parse_stats parse;
	uint64_t unmatched_frees;      /* frees of objects allocated before the trace began */
	uint64_t unmatched_page_frees;
	uint64_t unmatched_percpu_frees;
	uint64_t failed_allocs;        /* ptr=0 / page=0 in the trace */
	uint64_t live_objects, live_bytes;   /* slab objects allocated and never freed */
	uint64_t live_pages;                 /* pages (in 4 KiB units) never freed */
	uint64_t live_percpu;                /* percpu areas never freed */
	uint64_t bytes_req, bytes_alloc;     /* totals over slab allocations */
	uint64_t findings[TCK__NR];
	int nr_kept[TCK__NR];
	struct tcheck_finding kept[TCK__NR][TRACE_MAX_BAD_KEPT];
	uint64_t per_ctx_allocs[4];          /* allocations per enum trec_ctx */
	/* perf kmem stat style summaries */
	uint64_t slab_allocs, slab_bytes_freed, slab_cross_cpu;
	uint64_t page_allocs, page_alloc_kb, page_frees, page_free_kb;
	uint64_t page_alloc_freed, page_alloc_freed_kb, page_free_only, page_free_only_kb;
	uint64_t page_failed, page_failed_kb;
	uint64_t page_order_mt[11][5];       /* order × Unmovable, Reclaimable, Movable, Reserved, CMA/Isolated */
	uint64_t atomic_irqs_off_allocs;     /* allocations with irqs disabled */
};

/**
 * trace_check_file() - parse the whole trace read by @r and analyse it.
 * @strict: stop at the first malformed line.
 * Return: 0, 1 if stopped on a malformed line (strict), -1 on a read error
 * (message in trace_reader_error()).
 */
int trace_check_file(struct trace_reader *r, bool strict, struct trace_check_result *out);
/** trace_check_print() - the check-trace report (tables) for @name. */
void trace_check_print(FILE *f, const char *name, const struct trace_check_result *res);

/* --- replay (traces/replay.c) --------------------------------------------------- */
enum replay_mode {
	REPLAY_BOTH = 0,               /* slab events + page events not attributed to slab/kmalloc */
	REPLAY_SLAB,                   /* kmalloc / kmem_cache_* / kfree only */
	REPLAY_PAGES,                  /* mm_page_alloc / mm_page_free[_batched] only */
};

#define REPLAY_MAX_CPUS 1024

struct replay_opts {
	const char *path;              /* trace file */
	const char *buf;               /* or: the trace text in memory (@path then only names it) */
	size_t len;
	enum replay_mode mode;
	double speed;                  /* 1.0 = as recorded; 2.0 = twice as fast */
	bool asap;                     /* ignore timestamps: as fast as possible */
	bool strict;                   /* first malformed line is fatal */
	const char *cpu_map;           /* "T:S,T:S..." traced→simulated CPU; NULL = modulo */
	uint64_t start_ps;             /* simulated time of the first event */
	bool stop_when_done;           /* sim_stop() when every stream has finished */
};

/** replay_opts_default() - both, speed 1, timed, modulo mapping, start 0, stop when done. */
void replay_opts_default(struct replay_opts *o);
/** replay_parse_mode() - "slab" / "pages" / "both"; -1 if unknown. */
int replay_parse_mode(const char *s);

struct replay_stats {
	struct trace_parse_stats parse;
	uint64_t replayed[TEV__NR];    /* events turned into simulated calls */
	uint64_t skipped_mode;         /* events of a kind the mode does not replay */
	uint64_t skipped_internal;     /* page events attributed to slab (both mode) or pcp internals */
	uint64_t skipped_other;        /* vmscan/compaction/oom/percpu and unknown events */
	uint64_t unmatched_frees;      /* frees of objects allocated before the trace began */
	uint64_t double_frees;         /* frees of objects already freed (skipped) */
	uint64_t trace_failed_allocs;  /* allocations that failed in the trace (not replayed) */
	uint64_t sim_failed_allocs;    /* allocations the simulated kernel refused */
	uint64_t deferred_frees;       /* frees that ran before their (cross-CPU) allocation */
	uint64_t live_at_end;          /* replayed objects never freed */
	uint64_t caches_created;       /* replay-N caches for kmem_cache_alloc */
	uint64_t traced_kswapd_wakes, traced_direct_reclaims, traced_compactions, traced_oom_kills;
	int nr_streams;
	bool done;                     /* every stream finished */
	uint64_t first_ps, last_ps;    /* simulated times of the first / last replayed event */
};

/**
 * replay_setup() - parse the trace (@o->path), build per-CPU streams and spawn
 * one sim process per (simulated CPU, context) on the machine with cpu_spawn().
 * Needs a built machine and a booted kernel model (slab included).
 * Return: 0, -EINVAL on a malformed line in strict mode (message in @err),
 * or another negative errno with a message in @err.
 */
int replay_setup(const struct replay_opts *o, char *err, size_t errlen);
/** replay_stats() - counters so far (final once replay_done()). */
const struct replay_stats *replay_get_stats(void);
bool replay_done(void);
/** replay_sequence_hash() - FNV-style hash of the replayed call sequence (for determinism tests). */
uint64_t replay_sequence_hash(void);
/** replay_report() - a few lines for the end-of-run summary. */
void replay_report(FILE *out);
/** replay_check() - invariants of the object table and streams; 0 or -1 (message on stderr). */
int replay_check(void);
/** replay_teardown() - free the streams and tables (objects still live are left to the model). */
void replay_teardown(void);

#endif /* MMSIM_TRACES_TRACE_H */
