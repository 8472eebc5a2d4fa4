/* SPDX-License-Identifier: MIT */
/*
 * traces/replay.c — replay a Linux allocation trace onto the kernel model.
 *
 * Load (replay_setup, boot context): the trace is parsed once, in file
 * order, into compact records (24 bytes) split into streams, one per
 * (simulated CPU, context): traced CPU c runs on simulated CPU
 * map[c] (default c mod nr_cpus), and the flags column chooses the context
 * (h/H hardirq, s softirq, z/Z NMI → hardirq, else task; 'd'/'D' replays
 * the call with local irqs disabled). Each stream becomes one sim process
 * started with cpu_spawn() on its CPU and context.
 *
 * Objects: every traced allocation gets a slot (index into one array) at
 * load time; frees are resolved to their slot at load time through an
 * open-addressing table on the traced 64-bit pointer (slab) or pfn + 1
 * (pages) — never by string — so the replay hot path only indexes arrays.
 * A free whose address was never allocated in the trace is an *unmatched*
 * free (the object predates the trace): counted, not replayed, not an
 * error. A free of an address already freed is a double free (counted,
 * skipped). A free may run before its allocation when the two are on
 * different streams and the allocating stream lags (costs, quantum): the
 * free is then deferred and executed right after the allocation.
 *
 * Attribution rule (allocations internal to the traced kernel must not be
 * allocated twice):
 *  - mm_page_alloc_zone_locked and mm_page_pcpu_drain are buddy/pcp
 *    internals (refills and drains): never replayed; the model makes its
 *    own refills.
 *  - --mode slab: kmalloc, kmalloc_node, kmem_cache_alloc[_node], kfree,
 *    kmem_cache_free (and percpu_alloc_percpu / percpu_free_percpu) only.
 *    Slab pages come from the model's own SLUB.
 *  - --mode pages: mm_page_alloc, mm_page_free, mm_page_free_batched only
 *    (slab pages included, as plain pages).
 *  - --mode both (default): slab and percpu events, plus page events *not*
 *    attributed to them. A mm_page_alloc is attributed to slab (skipped, and
 *    so is the later mm_page_free of the same pfn) when the next event on the
 *    same traced CPU is a slab allocation: in 6.1 a slab refill
 *    (allocate_slab) and a large kmalloc (> 8 KiB, kmalloc_large) emit
 *    mm_page_alloc immediately before their kmalloc / kmem_cache_alloc
 *    event. A whole run of consecutive mm_page_alloc events (pcp refill
 *    events in between do not break it) directly followed by a
 *    percpu_alloc_percpu is attributed to percpu (chunk population). Page
 *    frees of such pages allocated before the trace are unmatched frees.
 *  Failed allocations in the trace (ptr=0, page=0 pfn=0) are not replayed.
 *
 * kmem_cache_alloc events of 6.1 name no cache (only kmem_cache_free has
 * name=): objects are allocated from one replay cache per bytes_alloc,
 * "replay-<bytes_alloc>" (object size bytes_alloc, default alignment),
 * created at load time; SLUB may merge it with a kmalloc cache of the same
 * size, as the kernel would. kmalloc replays kmalloc(bytes_req, gfp) (or
 * kmalloc_node when node= ≥ 0, node taken modulo the simulated nodes).
 * mm_page_alloc replays alloc_pages(gfp, order) on the stream's CPU.
 * percpu_alloc_percpu replays __alloc_percpu_gfp(size, align, gfp) (or
 * __alloc_reserved_percpu when reserved=1; without gfp_flags=, older
 * kernels: GFP_NOWAIT if is_atomic=1, else GFP_KERNEL); percpu events are
 * skipped (counted as other) when the model's percpu allocator is not up.
 *
 * Timing: record times are relative to the first event; as recorded
 * (speed 1), scaled (speed X: times divided by X) or --asap (ignored: each
 * stream runs back to back, only the model's costs advance time). Gaps
 * shorter than the quantum are charged with sim_advance (no context
 * switch); longer ones sleep. Streams keep file order; a stream whose
 * timestamps go backwards keeps its previous time.
 *
 * Task identity: each stream has its own task_struct whose comm and pid are
 * switched to the traced ones (a table indexed by pid, filled at load time)
 * before each call, so a recorded replay shows the original comm-pid.
 *
 * vmscan, compaction and oom events are counted for comparison
 * (the model produces its own kswapd wakes, reclaim, compaction and OOM
 * kills); they are not replayed. Memory: 32 bytes per replayed event plus
 * 16 bytes per object.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cpu.h"
#include "machine/machine.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/percpu.h"
#include "mm/sched.h"
#include "mm/slab.h"
#include "sim/engine.h"
#include "sim/stats.h"
#include "traces/internal.h"
#include "traces/trace.h"

enum rp_op {
	OP_NOP = 0,
	OP_KMALLOC,
	OP_CACHE_ALLOC,
	OP_FREE,                       /* kfree / kmem_cache_free by the slot's kind */
	OP_PAGE_ALLOC,
	OP_PAGE_FREE,
	OP_PCPU_ALLOC,                 /* arg: size | log2(align) << 16 | reserved << 24 */
};

#define RF_IRQS_OFF 0x80u
#define RF_OP_MASK  0x0fu

struct rp_rec {
	uint64_t t_ns;                 /* since the first event of the trace */
	uint32_t slot;
	uint32_t arg;                  /* kmalloc: bytes_req; cache alloc: cache index; page alloc: order */
	gfp_t gfp;
	uint16_t who;                  /* index into the comm-pid table */
	uint16_t site;                 /* index into the call-site table, 0 = none */
	int8_t node;                   /* -1: any */
	uint8_t op;                    /* enum rp_op | RF_IRQS_OFF */
};

enum slot_state { S_EMPTY = 0, S_LIVE, S_FREED, S_FAILED, S_PENDING_FREE };
enum slot_kind { K_KMALLOC = 0, K_CACHE, K_PAGES, K_PERCPU };

struct rp_obj {
	void *sim;                     /* object pointer, or struct page * */
	uint16_t cache;                /* cache index (K_CACHE) */
	uint8_t order;                 /* K_PAGES */
	uint8_t state;
	uint8_t kind;
	uint8_t internal;              /* page allocation attributed to slab (never replayed) */
	uint8_t pad[2];
};

/* Load-time states kept in the pointer tables' aux word. */
enum { L_LIVE = 1, L_FREED = 2, L_INTERNAL = 3 };

struct rp_who {
	int pid;
	char comm[TASK_COMM_LEN];
};

struct rp_stream {
	int cpu;
	enum ctx_kind kind;
	struct rp_rec *recs;
	size_t n, cap, pos;
	struct task_struct task;
	int cur_who;
	bool done;
	struct sim_proc *proc;
};

#define MAX_REPLAY_CACHES 512

static struct replay {
	bool active;
	struct replay_opts o;
	struct replay_stats st;
	struct rp_stream **streams;    /* [sim_cpu * 3 + kind] */
	int nr_slots_streams;
	struct rp_obj *objs;
	size_t nr_objs, cap_objs;
	struct rp_who *whos;
	size_t nr_whos, cap_whos;
	char **sites;                  /* interned call sites, [0] unused */
	size_t nr_sites, cap_sites;
	struct kmem_cache *caches[MAX_REPLAY_CACHES];
	uint32_t cache_size[MAX_REPLAY_CACHES];
	int nr_caches;
	int nr_done;
	uint64_t seq_hash;
	double time_scale;             /* ps per traced ns */
	uint64_t *c_events, *c_unmatched, *c_simfail, *c_deferred;
} R;

/* ---------------------------------------------------------------------------- */

void replay_opts_default(struct replay_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->mode = REPLAY_BOTH;
	o->speed = 1.0;
	o->stop_when_done = true;
}

int replay_parse_mode(const char *s)
{
	if (!strcmp(s, "both"))
		return REPLAY_BOTH;
	if (!strcmp(s, "slab"))
		return REPLAY_SLAB;
	if (!strcmp(s, "pages"))
		return REPLAY_PAGES;
	return -1;
}

const struct replay_stats *replay_get_stats(void)
{
	return &R.st;
}

bool replay_done(void)
{
	return R.st.done;
}

uint64_t replay_sequence_hash(void)
{
	return R.seq_hash;
}

/* Parse "T:S,T:S" into @map (pre-filled with -1). */
static int parse_cpu_map(const char *s, int *map, int nr_sim, char *err, size_t errlen)
{
	const char *p = s;

	while (*p) {
		char *end;
		long t = strtol(p, &end, 10), c;

		if (end == p || *end != ':' || t < 0 || t >= REPLAY_MAX_CPUS)
			goto bad;
		p = end + 1;
		c = strtol(p, &end, 10);
		if (end == p || c < 0 || c >= nr_sim)
			goto bad;
		map[t] = (int)c;
		p = end;
		if (*p == ',')
			p++;
		else if (*p)
			goto bad;
	}
	return 0;
bad:
	snprintf(err, errlen, "cpu map '%s': expected TRACED:SIMULATED pairs separated by commas, "
		 "traced CPUs < %d and simulated CPUs < %d", s, REPLAY_MAX_CPUS, nr_sim);
	return -EINVAL;
}

static struct rp_stream *get_stream(int cpu, enum ctx_kind kind)
{
	int i = cpu * 3 + (kind == CTX_TASK ? 0 : kind == CTX_SOFTIRQ ? 1 : 2);
	struct rp_stream *s = R.streams[i];

	if (s)
		return s;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->cpu = cpu;
	s->kind = kind;
	s->cur_who = -1;
	R.streams[i] = s;
	R.st.nr_streams++;
	return s;
}

static struct rp_rec *stream_push(struct rp_stream *s)
{
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 1024;
		struct rp_rec *n = realloc(s->recs, nc * sizeof(*n));

		if (!n)
			return NULL;
		s->recs = n;
		s->cap = nc;
	}
	return &s->recs[s->n++];
}

static int new_obj(uint8_t kind)
{
	if (R.nr_objs == R.cap_objs) {
		size_t nc = R.cap_objs ? R.cap_objs * 2 : 4096;
		struct rp_obj *n = realloc(R.objs, nc * sizeof(*n));

		if (!n || nc > UINT32_MAX)
			return -1;
		R.objs = n;
		R.cap_objs = nc;
	}
	memset(&R.objs[R.nr_objs], 0, sizeof(R.objs[0]));
	R.objs[R.nr_objs].kind = kind;
	return (int)R.nr_objs++;
}

/* The replay cache for objects of @size bytes (created in boot context). */
static int cache_for(uint64_t size, char *err, size_t errlen)
{
	char name[32];

	for (int i = 0; i < R.nr_caches; i++)
		if (R.cache_size[i] == size)
			return i;
	if (R.nr_caches == MAX_REPLAY_CACHES || size == 0 || size > KMALLOC_MAX_CACHE_SIZE * 64) {
		snprintf(err, errlen, "kmem_cache_alloc of %llu bytes: cannot create a replay cache "
			 "(at most %d sizes, 1 .. %lu bytes)", (unsigned long long)size,
			 MAX_REPLAY_CACHES, KMALLOC_MAX_CACHE_SIZE * 64);
		return -1;
	}
	snprintf(name, sizeof(name), "replay-%llu", (unsigned long long)size);
	R.caches[R.nr_caches] = kmem_cache_create(name, (unsigned int)size, 0, 0, NULL);
	if (!R.caches[R.nr_caches]) {
		snprintf(err, errlen, "kmem_cache_create(%s) failed", name);
		return -1;
	}
	R.cache_size[R.nr_caches] = (uint32_t)size;
	R.st.caches_created++;
	return R.nr_caches++;
}

/* comm-pid → who index (pid table keyed by pid + 2 so -1 is representable). */
static uint16_t who_index(struct ptab *pids, const struct trace_rec *rec)
{
	struct ptab_ent *e;
	bool fresh;

	e = ptab_get(pids, (uint64_t)(int64_t)rec->pid + 2, &fresh);
	if (!e)
		return 0;
	if (!fresh)
		return (uint16_t)e->val;
	if (R.nr_whos >= 65535)
		return 0;
	if (R.nr_whos == R.cap_whos) {
		size_t nc = R.cap_whos ? R.cap_whos * 2 : 64;
		struct rp_who *n = realloc(R.whos, nc * sizeof(*n));

		if (!n)
			return 0;
		R.whos = n;
		R.cap_whos = nc;
	}
	struct rp_who *w = &R.whos[R.nr_whos];
	size_t n = rec->comm.len < TASK_COMM_LEN - 1 ? rec->comm.len : TASK_COMM_LEN - 1;

	w->pid = rec->pid < 0 ? 0 : rec->pid;
	memcpy(w->comm, rec->comm.s ? rec->comm.s : "", n);
	w->comm[n] = 0;
	if (!n)
		snprintf(w->comm, sizeof(w->comm), "replay");
	e->val = (uint32_t)R.nr_whos;
	return (uint16_t)R.nr_whos++;
}

/*
 * Call sites are interned at load time so the replay can pass them to the
 * *_caller APIs (a recording of the replay then shows the original call
 * sites). Key: length and the first and last 8 bytes of the symbol, mixed
 * (no loop over the string); equal keys are told apart by comparing bytes.
 * At most 65535 distinct sites; later ones replay with the plain API.
 */
static uint16_t site_index(struct ptab *t, struct tslice sym)
{
	uint64_t a = 0, b = 0, key;
	size_t n = sym.len, k = n < 8 ? n : 8;

	if (!n)
		return 0;
	memcpy(&a, sym.s, k);
	memcpy(&b, sym.s + n - k, k);
	key = ((a * 0x9e3779b97f4a7c15ull) ^ (b * 0xc2b2ae3d27d4eb4full) ^ ((uint64_t)n << 1)) | 1;
	for (;;) {
		bool fresh;
		struct ptab_ent *e = ptab_get(t, key, &fresh);

		if (!e)
			return 0;
		if (!fresh) {
			if (!e->val)
				return 0;                        /* table was full when this key came */
			if (e->aux == n && memcmp(R.sites[e->val], sym.s, n) == 0)
				return (uint16_t)e->val;
			key += 0x9e3779b97f4a7c16ull;           /* another string with the same key */
			continue;
		}
		if (R.nr_sites >= 65535)
			return e->val = 0, 0;
		if (R.nr_sites == R.cap_sites) {
			size_t nc = R.cap_sites ? R.cap_sites * 2 : 64;
			char **ns = realloc(R.sites, nc * sizeof(*ns));

			if (!ns)
				return e->val = 0, 0;
			R.sites = ns;
			R.cap_sites = nc;
			if (!R.nr_sites)
				R.sites[R.nr_sites++] = NULL;
		}
		R.sites[R.nr_sites] = strndup(sym.s, n);
		if (!R.sites[R.nr_sites])
			return e->val = 0, 0;
		e->val = (uint32_t)R.nr_sites;
		e->aux = (uint32_t)n;                    /* length, compared before the bytes */
		return (uint16_t)R.nr_sites++;
	}
}

/*
 * Per traced CPU: the run of consecutive mm_page_alloc records just before
 * the current event (both mode), records [first, last] of stream @s.
 */
struct pending_page {
	struct rp_stream *s;
	size_t first, last;
	bool valid;
};

/* The page allocations of a run (@whole) or its last one were internal to an allocator. */
static void attribute_run(struct pending_page *pp, bool whole)
{
	for (size_t i = whole ? pp->first : pp->last; i <= pp->last; i++) {
		struct rp_rec *pr = &pp->s->recs[i];

		if ((pr->op & RF_OP_MASK) != OP_PAGE_ALLOC)
			continue;
		pr->op = OP_NOP | (pr->op & RF_IRQS_OFF);
		R.objs[pr->slot].internal = 1;
		R.st.skipped_internal++;
		R.st.replayed[TEV_MM_PAGE_ALLOC]--;
	}
	pp->valid = false;
}

static inline bool keeps_page_run(enum tev t)
{
	return tev_is_slab_alloc(t) || t == TEV_PERCPU_ALLOC_PERCPU || t == TEV_MM_PAGE_ALLOC ||
	       t == TEV_MM_PAGE_ALLOC_ZONE_LOCKED || t == TEV_MM_PAGE_PCPU_DRAIN;
}

static unsigned ilog2_u64(uint64_t v)
{
	return v ? 63u - (unsigned)__builtin_clzll(v) : 0;
}

static int load(struct trace_reader *r, const int *cpu_map, char *err, size_t errlen)
{
	struct ptab slab = { 0 }, pages = { 0 }, pids = { 0 }, pcpu = { 0 }, sites = { 0 };
	struct pending_page *pend;
	struct trace_rec rec;
	int nr_sim = machine_nr_cpus(), nr_nodes = machine_nr_nodes();
	bool want_slab = R.o.mode != REPLAY_PAGES, want_pages = R.o.mode != REPLAY_SLAB;
	bool have_pcpu = pcpu_nr_units() > 0;
	uint64_t first_ts = 0;
	bool have_first = false;
	int k, rc = 0;

	if (nr_sim < 1)
		nr_sim = 1;
	if (nr_nodes < 1)
		nr_nodes = 1;
	pend = calloc(REPLAY_MAX_CPUS, sizeof(*pend));
	if (!pend || ptab_init(&slab, 16) < 0 || ptab_init(&pages, 12) < 0 || ptab_init(&pids, 8) < 0 ||
	    ptab_init(&pcpu, 8) < 0 || ptab_init(&sites, 8) < 0) {
		free(pend);
		ptab_free(&slab);
		ptab_free(&pages);
		ptab_free(&pids);
		ptab_free(&pcpu);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	while ((k = trace_reader_next(r, &rec)) != 0) {
		struct rp_stream *s;
		struct rp_rec *x;
		struct ptab_ent *e;
		enum ctx_kind kind;
		bool fresh;
		int cpu, obj;
		uint8_t op;

		if (k == -1) {
			if (R.o.strict) {
				const struct trace_parse_stats *ps = trace_reader_stats(r);

				snprintf(err, errlen, "%s:%llu: malformed trace line (%s)", trace_reader_name(r),
					 (unsigned long long)trace_reader_lineno(r),
					 ps->nr_bad_kept ? ps->bad[ps->nr_bad_kept - 1].why : "?");
				rc = -EINVAL;
				break;
			}
			continue;
		}
		if (k < 0) {
			snprintf(err, errlen, "%s: %s", trace_reader_name(r), trace_reader_error(r));
			rc = -EIO;
			break;
		}
		if (!have_first) {
			first_ts = rec.ts_ns;
			have_first = true;
		}
		/* Only allocator events right after mm_page_alloc (same traced CPU) consume the run. */
		if (!keeps_page_run(rec.type) && rec.cpu < REPLAY_MAX_CPUS)
			pend[rec.cpu].valid = false;
		/* Events that are never replayed. */
		switch (rec.type) {
		case TEV_KMALLOC: case TEV_KMALLOC_NODE: case TEV_KMEM_CACHE_ALLOC: case TEV_KMEM_CACHE_ALLOC_NODE:
		case TEV_KFREE: case TEV_KMEM_CACHE_FREE:
			if (!want_slab) {
				R.st.skipped_mode++;
				continue;
			}
			break;
		case TEV_MM_PAGE_ALLOC: case TEV_MM_PAGE_FREE: case TEV_MM_PAGE_FREE_BATCHED:
			if (!want_pages) {
				R.st.skipped_mode++;
				continue;
			}
			break;
		case TEV_PERCPU_ALLOC_PERCPU: case TEV_PERCPU_FREE_PERCPU:
			if (!want_slab) {
				R.st.skipped_mode++;
				continue;
			}
			if (!have_pcpu) {                       /* the model has no percpu allocator up */
				R.st.skipped_other++;
				continue;
			}
			break;
		case TEV_MM_PAGE_ALLOC_ZONE_LOCKED: case TEV_MM_PAGE_PCPU_DRAIN:
			R.st.skipped_internal++;
			continue;
		case TEV_VMSCAN_KSWAPD_WAKE: R.st.traced_kswapd_wakes++; R.st.skipped_other++; goto other;
		case TEV_VMSCAN_DIRECT_RECLAIM_BEGIN: R.st.traced_direct_reclaims++; R.st.skipped_other++; goto other;
		case TEV_COMPACTION_BEGIN: R.st.traced_compactions++; R.st.skipped_other++; goto other;
		case TEV_MARK_VICTIM: R.st.traced_oom_kills++; R.st.skipped_other++; goto other;
		default:
			R.st.skipped_other++;
other:
			continue;
		}

		/* Stream of (simulated CPU, context). */
		cpu = rec.cpu < REPLAY_MAX_CPUS && cpu_map[rec.cpu] >= 0 ? cpu_map[rec.cpu] : rec.cpu % nr_sim;
		kind = rec.ctx == TREC_SOFTIRQ ? CTX_SOFTIRQ : rec.ctx == TREC_TASK ? CTX_TASK : CTX_HARDIRQ;
		op = OP_NOP;
		obj = 0;

		switch (rec.type) {
		case TEV_KMALLOC: case TEV_KMALLOC_NODE: case TEV_KMEM_CACHE_ALLOC: case TEV_KMEM_CACHE_ALLOC_NODE: {
			int tc = rec.cpu < REPLAY_MAX_CPUS ? rec.cpu : 0;
			bool cache = tev_is_cache_alloc(rec.type);
			int ci = 0;

			/* Attribution: a mm_page_alloc just before on this traced CPU was slab-internal. */
			if (pend[tc].valid)
				attribute_run(&pend[tc], false);
			if (!rec.ptr) {
				R.st.trace_failed_allocs++;
				continue;
			}
			if (cache && (ci = cache_for(rec.bytes_alloc, err, errlen)) < 0) {
				rc = -EINVAL;
				goto out;
			}
			obj = new_obj(cache ? K_CACHE : K_KMALLOC);
			if (obj < 0)
				goto nomem;
			R.objs[obj].cache = (uint16_t)ci;
			if (rec.ptr > 16) {                      /* not ZERO_SIZE_PTR (kmalloc(0)) */
				e = ptab_get(&slab, rec.ptr, &fresh);
				if (!e)
					goto nomem;
				e->val = (uint32_t)obj;
				e->aux = L_LIVE;
			}
			op = cache ? OP_CACHE_ALLOC : OP_KMALLOC;
			break;
		}
		case TEV_PERCPU_ALLOC_PERCPU: {
			int tc = rec.cpu < REPLAY_MAX_CPUS ? rec.cpu : 0;

			/* chunk population: every page of the run before it belongs to percpu */
			if (pend[tc].valid)
				attribute_run(&pend[tc], true);
			if (!rec.ptr) {
				R.st.trace_failed_allocs++;
				continue;
			}
			obj = new_obj(K_PERCPU);
			if (obj < 0)
				goto nomem;
			e = ptab_get(&pcpu, rec.ptr, &fresh);
			if (!e)
				goto nomem;
			e->val = (uint32_t)obj;
			e->aux = L_LIVE;
			if (!(rec.have & TF_GFP))               /* before gfp_flags= was added */
				rec.gfp = rec.is_atomic ? GFP_NOWAIT : GFP_KERNEL;
			op = OP_PCPU_ALLOC;
			break;
		}
		case TEV_PERCPU_FREE_PERCPU:
			if (!rec.ptr)
				continue;
			e = ptab_find(&pcpu, rec.ptr);
			if (!e) {
				R.st.unmatched_frees++;
				continue;
			}
			if (e->aux != L_LIVE) {
				R.st.double_frees++;
				continue;
			}
			e->aux = L_FREED;
			obj = (int)e->val;
			op = OP_FREE;
			break;
		case TEV_KFREE: case TEV_KMEM_CACHE_FREE:
			if (rec.ptr <= 16)
				continue;                        /* kfree(NULL) / ZERO_SIZE_PTR */
			e = ptab_find(&slab, rec.ptr);
			if (!e) {
				R.st.unmatched_frees++;
				continue;
			}
			if (e->aux != L_LIVE) {
				R.st.double_frees++;
				continue;
			}
			e->aux = L_FREED;
			obj = (int)e->val;
			op = OP_FREE;
			break;
		case TEV_MM_PAGE_ALLOC:
			if (!rec.pfn && !rec.page) {
				R.st.trace_failed_allocs++;
				continue;
			}
			obj = new_obj(K_PAGES);
			if (obj < 0)
				goto nomem;
			R.objs[obj].order = (uint8_t)rec.order;
			e = ptab_get(&pages, rec.pfn + 1, &fresh);
			if (!e)
				goto nomem;
			e->val = (uint32_t)obj;
			e->aux = L_LIVE;
			op = OP_PAGE_ALLOC;
			break;
		case TEV_MM_PAGE_FREE: case TEV_MM_PAGE_FREE_BATCHED:
			e = ptab_find(&pages, rec.pfn + 1);
			if (!e) {
				R.st.unmatched_frees++;
				break;
			}
			if (e->aux != L_LIVE) {
				R.st.double_frees++;
				e = NULL;
				break;
			}
			obj = (int)e->val;
			e->aux = L_FREED;
			if (R.objs[obj].internal) {              /* attributed to slab: internal */
				R.st.skipped_internal++;
				e = NULL;
				break;
			}
			op = OP_PAGE_FREE;
			break;
		default:
			continue;
		}
		if (op == OP_NOP)
			continue;

		s = get_stream(cpu, kind);
		if (!s || !(x = stream_push(s)))
			goto nomem;
		x->t_ns = rec.ts_ns >= first_ts ? rec.ts_ns - first_ts : 0;
		if (s->n > 1 && x->t_ns < s->recs[s->n - 2].t_ns)
			x->t_ns = s->recs[s->n - 2].t_ns;
		x->slot = (uint32_t)obj;
		x->gfp = rec.gfp;
		x->who = who_index(&pids, &rec);
		x->site = op == OP_PAGE_ALLOC || op == OP_PAGE_FREE ? 0 : site_index(&sites, rec.call_sym);
		x->node = (int8_t)(rec.node >= 0 ? rec.node % nr_nodes : -1);
		x->op = op | (rec.irqs_off ? RF_IRQS_OFF : 0);
		x->arg = op == OP_KMALLOC ? (uint32_t)(rec.bytes_req ? rec.bytes_req : rec.bytes_alloc)
		       : op == OP_CACHE_ALLOC ? R.objs[obj].cache
		       : op == OP_PAGE_ALLOC ? (uint32_t)rec.order
		       : op == OP_PCPU_ALLOC ? (uint32_t)(rec.size > 0xffff ? 0xffff : rec.size) |
					       ilog2_u64(rec.align) << 16 | (uint32_t)rec.reserved << 24
		       : 0;
		R.st.replayed[rec.type]++;
		if (op == OP_PAGE_ALLOC && R.o.mode == REPLAY_BOTH && rec.cpu < REPLAY_MAX_CPUS) {
			struct pending_page *pp = &pend[rec.cpu];

			if (pp->valid && pp->s == s && pp->last + 2 == s->n) {
				pp->last = s->n - 1;            /* the run goes on */
			} else {
				pp->s = s;
				pp->first = pp->last = s->n - 1;
				pp->valid = true;
			}
		}
	}
	goto out;
nomem:
	snprintf(err, errlen, "out of memory loading the trace");
	rc = -ENOMEM;
out:
	R.st.parse = *trace_reader_stats(r);
	free(pend);
	ptab_free(&slab);
	ptab_free(&pages);
	ptab_free(&pids);
	ptab_free(&pcpu);
	ptab_free(&sites);
	return rc;
}

/* ---------------------------------------------------------------------------- */

static inline void hash_step(uint64_t v)
{
	R.seq_hash = (R.seq_hash ^ v) * 0x100000001b3ull;
}

static void do_free(struct rp_obj *o, const char *site)
{
	switch (o->kind) {
	case K_KMALLOC: kfree_caller(o->sim, site ? site : "kfree"); break;
	case K_CACHE: kmem_cache_free_caller(R.caches[o->cache], o->sim, site ? site : "kmem_cache_free"); break;
	case K_PERCPU: free_percpu(o->sim); break;
	default: __free_pages(o->sim, o->order); break;
	}
	o->state = S_FREED;
}

static void exec_rec(struct rp_stream *s, const struct rp_rec *x)
{
	struct rp_obj *o = &R.objs[x->slot];
	const char *site = R.sites && x->site ? R.sites[x->site] : NULL;
	void *p;

	switch (x->op & RF_OP_MASK) {
	case OP_KMALLOC:
		p = kmalloc_node_track_caller(x->arg, x->gfp, x->node, site ? site : "kmalloc");
		goto allocated;
	case OP_CACHE_ALLOC:
		p = kmem_cache_alloc_caller(R.caches[x->arg], x->gfp, x->node, site ? site : "kmem_cache_alloc");
		goto allocated;
	case OP_PAGE_ALLOC:
		p = alloc_pages(x->gfp, x->arg);
		goto allocated;
	case OP_PCPU_ALLOC: {
		size_t size = x->arg & 0xffff, align = (size_t)1 << ((x->arg >> 16) & 0xff);

		p = (x->arg >> 24) & 1 ? __alloc_reserved_percpu(size, align)
				       : __alloc_percpu_caller(size, align, x->gfp, site ? site : "__alloc_percpu_gfp");
	}
allocated:
		hash_step((uint64_t)(uintptr_t)p ^ ((uint64_t)x->op << 56) ^ ((uint64_t)x->arg << 32));
		(*R.c_events)++;
		if (!p) {
			R.st.sim_failed_allocs++;
			(*R.c_simfail)++;
			o->state = S_FAILED;
			return;
		}
		o->sim = p;
		if ((x->op & RF_OP_MASK) != OP_PAGE_ALLOC && (x->op & RF_OP_MASK) != OP_PCPU_ALLOC &&
		    ZERO_OR_NULL_PTR(p)) {
			o->state = S_FREED;                      /* kmalloc(0): nothing to free later */
			return;
		}
		if (o->state == S_PENDING_FREE) {
			R.st.deferred_frees++;
			(*R.c_deferred)++;
			do_free(o, NULL);
			return;
		}
		o->state = S_LIVE;
		R.st.live_at_end++;
		return;
	case OP_FREE:
	case OP_PAGE_FREE:
		(*R.c_events)++;
		hash_step(((uint64_t)x->op << 56) ^ x->slot);
		if (o->state == S_LIVE) {
			R.st.live_at_end--;
			do_free(o, site);
		} else if (o->state == S_EMPTY) {
			o->state = S_PENDING_FREE;       /* allocation still to come on another stream */
		}
		return;
	}
	(void)s;
}

static void stream_fn(void *arg)
{
	struct rp_stream *s = arg;
	const struct sim_params *sp = sim_params();
	bool timing = sp ? sp->timing : true;
	sim_time_t quantum = sp ? sp->quantum : SIM_DEFAULT_QUANTUM;

	for (; s->pos < s->n; s->pos++) {
		const struct rp_rec *x = &s->recs[s->pos];
		unsigned long flags = 0;
		bool irqs = (x->op & RF_IRQS_OFF) != 0;

		if (!R.o.asap) {
			sim_time_t target = R.o.start_ps + (sim_time_t)((double)x->t_ns * R.time_scale);
			sim_time_t now = sim_now();

			if (target > now) {
				if (timing && target - now < quantum)
					sim_advance(target - now);
				else
					sim_sleep(target - now);
			}
		}
		if (x->who != s->cur_who) {
			const struct rp_who *w = &R.whos[x->who];

			memcpy(s->task.comm, w->comm, TASK_COMM_LEN);
			s->task.pid = w->pid;
			s->task.tgid = w->pid;
			s->cur_who = x->who;
		}
		if (irqs)
			local_irq_save(flags);
		exec_rec(s, x);
		if (irqs)
			local_irq_restore(flags);
	}
	s->done = true;
	if (++R.nr_done == R.st.nr_streams) {
		R.st.done = true;
		R.st.last_ps = sim_now();
		if (R.o.stop_when_done)
			sim_stop();
	}
}

int replay_setup(const struct replay_opts *o, char *err, size_t errlen)
{
	static int cpu_map[REPLAY_MAX_CPUS];
	struct trace_reader *r;
	int nr_sim = machine_nr_cpus(), rc;
	char name[64];

	if (!machine_built() || !mm_booted() || !slab_is_available()) {
		snprintf(err, errlen, "replay needs a built machine and a booted kernel model (slab included)");
		return -ENODEV;
	}
	if (R.active)
		replay_teardown();
	memset(&R, 0, sizeof(R));
	R.o = *o;
	if (R.o.start_ps < sim_now())            /* boot time already elapsed: start from now */
		R.o.start_ps = sim_now();
	R.seq_hash = 0xcbf29ce484222325ull;
	if (!(o->speed > 0) || !isfinite(o->speed)) {
		snprintf(err, errlen, "replay speed must be > 0, got %g", o->speed);
		return -EINVAL;
	}
	R.time_scale = 1000.0 / o->speed;
	if (nr_sim < 1)
		nr_sim = 1;
	for (int i = 0; i < REPLAY_MAX_CPUS; i++)
		cpu_map[i] = -1;
	if (o->cpu_map && *o->cpu_map && (rc = parse_cpu_map(o->cpu_map, cpu_map, nr_sim, err, errlen)) < 0)
		return rc;
	R.nr_slots_streams = nr_sim * 3;
	R.streams = calloc((size_t)R.nr_slots_streams, sizeof(*R.streams));
	if (!R.streams) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	R.active = true;
	r = o->buf ? trace_reader_open_mem(o->buf, o->len, o->path ? o->path : "(memory)")
		   : trace_reader_open(o->path, err, errlen);
	if (!r) {
		replay_teardown();
		return -ENOENT;
	}
	R.c_events = stat_counter("replay.events", "events", "trace events replayed as calls into the model", STAT_SAMPLED);
	R.c_simfail = stat_counter("replay.sim_failed_allocs", "allocations",
				   "replayed allocations the simulated kernel refused", STAT_SAMPLED);
	R.c_deferred = stat_counter("replay.deferred_frees", "frees",
				    "frees run after their allocation caught up (cross-CPU)", STAT_SUMMARY);
	R.c_unmatched = stat_counter("replay.unmatched_frees", "frees",
				     "frees of objects allocated before the trace began", STAT_SUMMARY);
	rc = load(r, cpu_map, err, errlen);
	trace_reader_close(r);
	if (rc < 0) {
		replay_teardown();
		return rc;
	}
	*R.c_unmatched = R.st.unmatched_frees;
	R.st.first_ps = R.o.start_ps;
	for (int i = 0; i < R.nr_slots_streams; i++) {
		struct rp_stream *s = R.streams[i];
		static const char *const kn[] = { "task", "softirq", "hardirq", "nmi" };

		if (!s)
			continue;
		task_init(&s->task, "replay", 0);
		snprintf(name, sizeof(name), "replay/%d/%s", s->cpu, kn[s->kind]);
		s->proc = cpu_spawn(name, s->cpu, s->kind, stream_fn, s, &s->task, R.o.start_ps);
		if (!s->proc) {
			snprintf(err, errlen, "cannot start replay process %s", name);
			replay_teardown();
			return -ENOMEM;
		}
	}
	if (R.st.nr_streams == 0) {
		R.st.done = true;
		if (o->stop_when_done)
			sim_stop();
	}
	return 0;
}

void replay_report(FILE *out)
{
	const struct replay_stats *st = &R.st;
	uint64_t rep = 0;

	if (!st->nr_streams && !st->parse.lines)
		return;                   /* no replay task in this run */
	for (int t = 0; t < TEV__NR; t++)
		rep += st->replayed[t];
	fprintf(out, "replay: %llu lines, %llu events, %llu replayed on %d streams%s\n",
		(unsigned long long)st->parse.lines, (unsigned long long)st->parse.events,
		(unsigned long long)rep, st->nr_streams, st->done ? "" : " (not finished)");
	fprintf(out, "replay: skipped %llu by mode, %llu internal (slab pages, pcp), %llu other events; "
		"%llu malformed lines\n",
		(unsigned long long)st->skipped_mode, (unsigned long long)st->skipped_internal,
		(unsigned long long)st->skipped_other, (unsigned long long)st->parse.malformed);
	fprintf(out, "replay: %llu unmatched frees, %llu double frees, %llu failed in trace, "
		"%llu refused by the model, %llu deferred frees, %llu objects live at end\n",
		(unsigned long long)st->unmatched_frees, (unsigned long long)st->double_frees,
		(unsigned long long)st->trace_failed_allocs, (unsigned long long)st->sim_failed_allocs,
		(unsigned long long)st->deferred_frees, (unsigned long long)st->live_at_end);
	if (st->traced_kswapd_wakes || st->traced_direct_reclaims || st->traced_compactions ||
	    st->traced_oom_kills)
		fprintf(out, "replay: traced kswapd wakes %llu, direct reclaims %llu, compactions %llu, "
			"OOM kills %llu (compare with the run's counters)\n",
			(unsigned long long)st->traced_kswapd_wakes,
			(unsigned long long)st->traced_direct_reclaims,
			(unsigned long long)st->traced_compactions, (unsigned long long)st->traced_oom_kills);
}

int replay_check(void)
{
	uint64_t live = 0;

	if (!R.active)
		return 0;
	for (int i = 0; i < R.nr_slots_streams; i++) {
		struct rp_stream *s = R.streams[i];

		if (!s)
			continue;
		if (s->pos > s->n || (s->done && s->pos != s->n)) {
			fprintf(stderr, "replay_check: stream %d position %zu of %zu\n", i, s->pos, s->n);
			return -1;
		}
		for (size_t j = 0; j < s->n; j++) {
			const struct rp_rec *x = &s->recs[j];

			if ((x->op & RF_OP_MASK) != OP_NOP && x->slot >= R.nr_objs) {
				fprintf(stderr, "replay_check: stream %d record %zu slot %u out of range\n",
					i, j, x->slot);
				return -1;
			}
			if (j && x->t_ns < s->recs[j - 1].t_ns) {
				fprintf(stderr, "replay_check: stream %d record %zu goes back in time\n", i, j);
				return -1;
			}
		}
	}
	for (size_t i = 0; i < R.nr_objs; i++) {
		if (R.objs[i].state > S_PENDING_FREE) {
			fprintf(stderr, "replay_check: object %zu has state %d\n", i, R.objs[i].state);
			return -1;
		}
		live += R.objs[i].state == S_LIVE;
	}
	if (live != R.st.live_at_end) {
		fprintf(stderr, "replay_check: %llu live objects, counter says %llu\n",
			(unsigned long long)live, (unsigned long long)R.st.live_at_end);
		return -1;
	}
	return 0;
}

void replay_teardown(void)
{
	if (R.streams) {
		for (int i = 0; i < R.nr_slots_streams; i++) {
			if (!R.streams[i])
				continue;
			free(R.streams[i]->recs);
			free(R.streams[i]);
		}
	}
	free(R.streams);
	free(R.objs);
	free(R.whos);
	for (size_t i = 1; i < R.nr_sites; i++)
		free(R.sites[i]);
	free(R.sites);
	R.sites = NULL;
	R.nr_sites = R.cap_sites = 0;
	R.streams = NULL;
	R.objs = NULL;
	R.whos = NULL;
	R.active = false;
}
