/* SPDX-License-Identifier: MIT */
/*
 * sim/cli_report.c — `mmsim report RUN`: what a run's allocators did, in the
 * shapes mm people already read.
 *
 *   SLAB    perf kmem stat --slab --caller style tables, per cache and per call
 *           site (Total_alloc/Per, Total_req/Per, Hit, Ping-pong, Frag), then
 *           the "SUMMARY (SLAB allocator)" block exactly as perf prints it;
 *   PAGES   perf kmem stat --page style: the GFP flags legend, a table per
 *           (order, migratetype, GFP flags), the "SUMMARY (page allocator)"
 *           block with its order × migratetype table ('.' for zero cells);
 *   LATENCY p50/p90/p99/p99.9/max per histogram (API and path) of summary.json;
 *   PRESSURE kswapd, reclaim, compaction and OOM counters of summary.json
 *           (/proc/vmstat names), with the trace's vmscan/compaction/oom events.
 *
 * SLAB and PAGES come from RUN/events.trace (written when the scenario sets
 * trace.events to kmem or all), read with the traces/ parser. Events are put
 * in timestamp order first (per-CPU streams of a simulated run interleave),
 * as perf orders samples, then replayed into the tables:
 *   - an allocation event counts into totals, its call site and its cache;
 *     a free matched by ptr (slab) or pfn (pages) to a live allocation counts
 *     as freed; a free on another CPU than the allocation is a ping-pong;
 *   - "Cross CPU allocations" counts allocations whose node= is not -1 and is
 *     not the node of the allocating CPU (CPU→node from RUN/config.yaml);
 *   - a page allocation with page=0 is a failure (counted, not live).
 * Numbers use ',' thousands grouping (perf's %' in an en_US locale).
 *
 * Departures from perf (documented in the README):
 *   - perf has no per-cache table. Here kmalloc objects go to the kmalloc
 *     cache of their size and GFP type (kmalloc-, kmalloc-cg-, kmalloc-rcl-,
 *     dma-kmalloc-, as 6.1's kmalloc_type() picks); a kmem_cache_alloc event
 *     names no cache, so its object is counted under the name= of the
 *     kmem_cache_free that frees it. Objects never freed in the trace go to the
 *     cache that frees named for the same call site and size (if only one),
 *     else to the only non-kmalloc cache of that object size in
 *     RUN/proc/slabinfo (a note says how many), else to
 *     "(never freed, N-byte objects)".
 *   - mm_page_free_batched counts as an order-0 free (perf only reads
 *     mm_page_free and so misses pages freed in batches).
 *   - perf indexes the order × migratetype columns by the raw migratetype
 *     number, which since Linux 4.4 puts MOVABLE under "Reclaimable"; here
 *     each count goes under its own heading (Reserved = MIGRATE_HIGHATOMIC,
 *     CMA/Isolated = MIGRATE_CMA + MIGRATE_ISOLATE).
 *   - page events carry no call site in the simulator, so the page table is
 *     keyed by order, migratetype and GFP flags.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mm/gfp.h"
#include "sim/cli.h"
#include "sim/config.h"
#include "traces/trace.h"

int cmd_report(int argc, char **argv);

#define REPORT_PAGE_SIZE 4096ULL
#define REPORT_MAX_ORDER 11
#define REPORT_MAX_CPUS  4096
static const char dashes[] =
	"--------------------------------------------------------------------------------"
	"--------------------------------------------------------------------------------";

/* --- small helpers -------------------------------------------------------------- */

/* 1234567 → "1,234,567". */
static const char *grp(uint64_t v, char *buf, size_t len)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v), o = 0;

	for (int i = 0; i < n && o < (int)len - 1; i++) {
		if (i && (n - i) % 3 == 0 && o < (int)len - 2)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = 0;
	return buf;
}

static double frag_pct(uint64_t req, uint64_t alloc)
{
	return alloc ? 100.0 - 100.0 * (double)req / (double)alloc : 0.0;
}

/* String interning: id → string, open addressing on a FNV-1a hash. */
struct strtab {
	char **s;
	uint32_t n, cap;
	int32_t *slot;
	uint32_t nslot;
};

static uint64_t fnv(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static int strtab_grow(struct strtab *t)
{
	uint32_t ns = t->nslot ? t->nslot * 2 : 256;
	int32_t *slot = malloc(ns * sizeof(*slot));

	if (!slot)
		return -1;
	for (uint32_t i = 0; i < ns; i++)
		slot[i] = -1;
	for (uint32_t id = 0; id < t->n; id++) {
		uint32_t h = (uint32_t)fnv(t->s[id], strlen(t->s[id])) & (ns - 1);

		while (slot[h] >= 0)
			h = (h + 1) & (ns - 1);
		slot[h] = (int32_t)id;
	}
	free(t->slot);
	t->slot = slot;
	t->nslot = ns;
	return 0;
}

/* The id of [s, s+len), added if new; -1 on allocation failure. */
static int32_t strtab_id(struct strtab *t, const char *s, size_t len)
{
	uint32_t h;

	if ((t->n + 1) * 2 > t->nslot && strtab_grow(t) < 0)
		return -1;
	h = (uint32_t)fnv(s, len) & (t->nslot - 1);
	while (t->slot[h] >= 0) {
		const char *o = t->s[t->slot[h]];

		if (strlen(o) == len && !memcmp(o, s, len))
			return t->slot[h];
		h = (h + 1) & (t->nslot - 1);
	}
	if (t->n == t->cap) {
		uint32_t nc = t->cap ? t->cap * 2 : 64;
		char **ns = realloc(t->s, nc * sizeof(*ns));

		if (!ns)
			return -1;
		t->s = ns;
		t->cap = nc;
	}
	t->s[t->n] = strndup(s, len);
	if (!t->s[t->n])
		return -1;
	t->slot[h] = (int32_t)t->n;
	return (int32_t)t->n++;
}

static void strtab_free(struct strtab *t)
{
	for (uint32_t i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

/* u64 key → u32 value map (live objects / pages); key 0 is never stored. */
struct u64map {
	uint64_t *key;
	uint32_t *val;
	size_t n, cap;
};

static size_t hash64(uint64_t k, size_t cap)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k & (cap - 1);
}

static int u64map_put(struct u64map *m, uint64_t k, uint32_t v)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap) {
		struct u64map nm = { .cap = m->cap ? m->cap * 2 : 1024 };

		nm.key = calloc(nm.cap, sizeof(*nm.key));
		nm.val = calloc(nm.cap, sizeof(*nm.val));
		if (!nm.key || !nm.val) {
			free(nm.key);
			free(nm.val);
			return -1;
		}
		for (size_t j = 0; j < m->cap; j++)
			if (m->key[j])
				u64map_put(&nm, m->key[j], m->val[j]);
		free(m->key);
		free(m->val);
		*m = nm;
	}
	for (i = hash64(k, m->cap); m->key[i] && m->key[i] != k; i = (i + 1) & (m->cap - 1))
		;
	if (!m->key[i])
		m->n++;
	m->key[i] = k;
	m->val[i] = v;
	return 0;
}

/* Remove @k, returning its value in *@v; false if absent. Backward-shift deletion. */
static bool u64map_take(struct u64map *m, uint64_t k, uint32_t *v)
{
	size_t i, j;

	if (!m->cap || !k)
		return false;
	for (i = hash64(k, m->cap); m->key[i]; i = (i + 1) & (m->cap - 1))
		if (m->key[i] == k)
			break;
	if (!m->key[i])
		return false;
	*v = m->val[i];
	m->key[i] = 0;
	m->n--;
	for (j = (i + 1) & (m->cap - 1); m->key[j]; j = (j + 1) & (m->cap - 1)) {
		size_t h = hash64(m->key[j], m->cap);

		/* Move j back to the hole at i unless its home lies cyclically in (i, j]. */
		if ((j > i && (h <= i || h > j)) || (j < i && (h <= i && h > j))) {
			m->key[i] = m->key[j];
			m->val[i] = m->val[j];
			m->key[j] = 0;
			i = j;
		}
	}
	return true;
}

static void u64map_free(struct u64map *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}

/* --- events: read, order by time ----------------------------------------------- */

enum rev_kind { R_SLAB_ALLOC, R_CACHE_ALLOC, R_SLAB_FREE, R_PAGE_ALLOC, R_PAGE_FREE };

struct rev {
	uint64_t ts_ns;
	uint64_t key;                  /* ptr (slab) or pfn (pages) */
	uint32_t seq;                  /* file order, for a stable sort */
	uint8_t kind;
	int8_t order, mt;
	bool failed;                   /* page=0 / ptr=0 */
	int16_t cpu;
	int16_t node;                  /* node= (-1 absent or NUMA_NO_NODE) */
	uint32_t req, alloc;
	int32_t site, name;            /* strtab ids (-1: none) */
	gfp_t gfp;
};

struct evlist {
	struct rev *v;
	size_t n, cap;
};

static int rev_cmp(const void *a, const void *b)
{
	const struct rev *x = a, *y = b;

	if (x->ts_ns != y->ts_ns)
		return x->ts_ns < y->ts_ns ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Other events the pressure summary counts. */
struct trace_counts {
	bool have_trace;
	uint64_t slab_events, page_events;
	uint64_t kswapd_wake, wakeup_kswapd, direct_reclaim, compaction, mark_victim, extfrag;
	uint64_t malformed;
};

/*
 * Read @path into @el (kmem events only). Return 0, or an exit code with a
 * message on stderr.
 */
static int read_trace(const char *path, struct evlist *el, struct strtab *sites, struct strtab *names,
		      struct trace_counts *tc)
{
	char err[512];
	struct trace_reader *r = trace_reader_open(path, err, sizeof(err));
	struct trace_rec rec;
	uint32_t seq = 0;
	int rc;

	if (!r) {
		fprintf(stderr, "mmsim report: %s\n", err);
		return MMSIM_EXIT_NOINPUT;
	}
	tc->have_trace = true;
	while ((rc = trace_reader_next(r, &rec)) != 0) {
		struct rev e = { .seq = seq++, .site = -1, .name = -1, .node = -1 };

		if (rc == -2) {
			fprintf(stderr, "mmsim report: %s: %s\n", path, trace_reader_error(r));
			trace_reader_close(r);
			return MMSIM_EXIT_IOERR;
		}
		if (rc < 0)
			continue;
		e.ts_ns = rec.ts_ns;
		e.cpu = (int16_t)(rec.cpu >= 0 && rec.cpu < REPORT_MAX_CPUS ? rec.cpu : 0);
		switch (rec.type) {
		case TEV_KMALLOC:
		case TEV_KMALLOC_NODE:
		case TEV_KMEM_CACHE_ALLOC:
		case TEV_KMEM_CACHE_ALLOC_NODE:
			e.kind = rec.type == TEV_KMALLOC || rec.type == TEV_KMALLOC_NODE ? R_SLAB_ALLOC : R_CACHE_ALLOC;
			e.key = rec.ptr;
			e.failed = rec.ptr == 0;
			e.req = (uint32_t)rec.bytes_req;
			e.alloc = (uint32_t)rec.bytes_alloc;
			e.gfp = rec.gfp;
			e.node = (int16_t)((rec.have & TF_NODE) ? rec.node : -1);
			e.site = strtab_id(sites, rec.call_sym.s, rec.call_sym.len);
			break;
		case TEV_KFREE:
		case TEV_KMEM_CACHE_FREE:
			e.kind = R_SLAB_FREE;
			e.key = rec.ptr;
			if (rec.have & TF_NAME)
				e.name = strtab_id(names, rec.name.s, rec.name.len);
			break;
		case TEV_MM_PAGE_ALLOC:
			e.kind = R_PAGE_ALLOC;
			e.key = rec.pfn + 1;     /* +1: pfn 0 is valid, key 0 is not */
			e.failed = (rec.have & TF_PAGE) ? rec.page == 0 : false;
			e.order = (int8_t)rec.order;
			e.mt = (int8_t)rec.migratetype;
			e.gfp = rec.gfp;
			if (rec.order < 0 || rec.order >= REPORT_MAX_ORDER || rec.migratetype < 0 ||
			    rec.migratetype >= MIGRATE_TYPES) {
				tc->malformed++;
				continue;
			}
			break;
		case TEV_MM_PAGE_FREE:
		case TEV_MM_PAGE_FREE_BATCHED:
			e.kind = R_PAGE_FREE;
			e.key = rec.pfn + 1;
			e.order = (int8_t)(rec.type == TEV_MM_PAGE_FREE_BATCHED ? 0 : rec.order);
			if (e.order < 0 || e.order >= REPORT_MAX_ORDER) {
				tc->malformed++;
				continue;
			}
			break;
		case TEV_VMSCAN_KSWAPD_WAKE: tc->kswapd_wake++; continue;
		case TEV_VMSCAN_WAKEUP_KSWAPD: tc->wakeup_kswapd++; continue;
		case TEV_VMSCAN_DIRECT_RECLAIM_BEGIN: tc->direct_reclaim++; continue;
		case TEV_COMPACTION_BEGIN: tc->compaction++; continue;
		case TEV_MARK_VICTIM: tc->mark_victim++; continue;
		case TEV_MM_PAGE_ALLOC_EXTFRAG: tc->extfrag++; continue;
		default:
			continue;
		}
		if (el->n == el->cap) {
			size_t nc = el->cap ? el->cap * 2 : 4096;
			struct rev *nv = realloc(el->v, nc * sizeof(*nv));

			if (!nv) {
				trace_reader_close(r);
				fprintf(stderr, "mmsim report: out of memory reading %s\n", path);
				return MMSIM_EXIT_SOFTWARE;
			}
			el->v = nv;
			el->cap = nc;
		}
		el->v[el->n++] = e;
		if (e.kind == R_PAGE_ALLOC || e.kind == R_PAGE_FREE)
			tc->page_events++;
		else
			tc->slab_events++;
	}
	if (tc->malformed)
		fprintf(stderr, "mmsim report: %s: %llu page events with an order or migratetype out of range "
			"were skipped\n", path, (unsigned long long)tc->malformed);
	tc->malformed += trace_reader_stats(r)->malformed;
	if (trace_reader_stats(r)->malformed)
		trace_print_malformed(stderr, path, trace_reader_stats(r));
	trace_reader_close(r);
	qsort(el->v, el->n, sizeof(*el->v), rev_cmp);
	return 0;
}

/* CPU → node from the resolved config: machine.cpu_nodes, or machine.nodes[i].cpus in order. */
static int load_cpu_nodes(const char *run, int16_t *cpu_node, int max)
{
	char path[PATH_MAX];
	struct cfg *c;
	struct cfg_node *m, *seq;
	int n = 0;

	snprintf(path, sizeof(path), "%s/config.yaml", run);
	if (access(path, R_OK) != 0)
		return 0;
	c = cfg_load_file(path);
	if (!c)
		return 0;
	m = cfg_get(cfg_root(c), "machine");
	if (m && (seq = cfg_get(m, "cpu_nodes")) && cfg_kind(seq) == CFG_SEQ) {
		for (size_t i = 0; i < cfg_len(seq) && n < max; i++) {
			const char *v = cfg_scalar(cfg_at(seq, i));
			cpu_node[n++] = (int16_t)(v ? atoi(v) : 0);
		}
	} else if (m && (seq = cfg_get(m, "nodes")) && cfg_kind(seq) == CFG_SEQ) {
		for (size_t i = 0; i < cfg_len(seq); i++) {
			struct cfg_node *nd = cfg_at(seq, i);
			const char *v = cfg_kind(nd) == CFG_MAP ? cfg_scalar(cfg_get(nd, "cpus")) : NULL;

			for (int k = 0; v && k < atoi(v) && n < max; k++)
				cpu_node[n++] = (int16_t)i;
		}
	}
	cfg_free(c);
	return n;
}

/* --- slab ------------------------------------------------------------------------- */

struct sstat {
	int32_t id;                    /* strtab id of the call site or cache name */
	uint64_t bytes_alloc, bytes_req, hit, pingpong;
};

struct sstats {
	struct sstat *v;
	size_t n, cap;
	int32_t *by_id;                /* id → index in v, -1 */
	size_t nid;
};

static struct sstat *sstat_get(struct sstats *s, int32_t id)
{
	if (id < 0)
		return NULL;
	if ((size_t)id >= s->nid) {
		size_t nn = (size_t)id * 2 + 64;
		int32_t *nb = realloc(s->by_id, nn * sizeof(*nb));

		if (!nb)
			return NULL;
		for (size_t i = s->nid; i < nn; i++)
			nb[i] = -1;
		s->by_id = nb;
		s->nid = nn;
	}
	if (s->by_id[id] < 0) {
		if (s->n == s->cap) {
			size_t nc = s->cap ? s->cap * 2 : 64;
			struct sstat *nv = realloc(s->v, nc * sizeof(*nv));

			if (!nv)
				return NULL;
			s->v = nv;
			s->cap = nc;
		}
		memset(&s->v[s->n], 0, sizeof(s->v[0]));
		s->v[s->n].id = id;
		s->by_id[id] = (int32_t)s->n++;
	}
	return &s->v[s->by_id[id]];
}

/* perf's default slab order: fragmentation, then hits, then bytes, all descending. */
static int sstat_cmp(const void *a, const void *b)
{
	const struct sstat *x = a, *y = b;
	double fx = frag_pct(x->bytes_req, x->bytes_alloc), fy = frag_pct(y->bytes_req, y->bytes_alloc);

	if (fx != fy)
		return fx > fy ? -1 : 1;
	if (x->hit != y->hit)
		return x->hit > y->hit ? -1 : 1;
	if (x->bytes_alloc != y->bytes_alloc)
		return x->bytes_alloc > y->bytes_alloc ? -1 : 1;
	return x->id - y->id;
}

static void print_slab_table(struct sstats *s, const struct strtab *tab, const char *what, int lines)
{
	qsort(s->v, s->n, sizeof(*s->v), sstat_cmp);
	printf("%.105s\n", dashes);
	printf(" %-34s | Total_alloc/Per | Total_req/Per   | Hit      | Ping-pong | Frag\n", what);
	printf("%.105s\n", dashes);
	for (size_t i = 0; i < s->n && (lines < 0 || (int)i < lines); i++) {
		const struct sstat *d = &s->v[i];

		printf(" %-34.34s | %9llu/%-5llu | %9llu/%-5llu | %8llu | %9llu | %6.3f%%\n", tab->s[d->id],
		       (unsigned long long)d->bytes_alloc, (unsigned long long)(d->hit ? d->bytes_alloc / d->hit : 0),
		       (unsigned long long)d->bytes_req, (unsigned long long)(d->hit ? d->bytes_req / d->hit : 0),
		       (unsigned long long)d->hit, (unsigned long long)d->pingpong,
		       frag_pct(d->bytes_req, d->bytes_alloc));
	}
	if (lines >= 0 && s->n > (size_t)lines)
		printf(" ...                                | ...             | ...             | ...      | ...       | ...   \n");
	printf("%.105s\n", dashes);
}

/* The kmalloc cache a kmalloc event's object came from (6.1 kmalloc_type() and size names). */
static void kmalloc_cache_name(gfp_t gfp, uint32_t size, char *buf, size_t len)
{
	static const uint32_t sizes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192 };
	static const char *const names[] = { "8", "16", "32", "64", "96", "128", "192", "256", "512",
					     "1k", "2k", "4k", "8k" };
	const char *prefix = "kmalloc-";

	if (gfp & __GFP_DMA)
		prefix = "dma-kmalloc-";
	else if (gfp & __GFP_RECLAIMABLE)
		prefix = "kmalloc-rcl-";
	else if (gfp & __GFP_ACCOUNT)
		prefix = "kmalloc-cg-";
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (sizes[i] == size) {
			snprintf(buf, len, "%s%s", prefix, names[i]);
			return;
		}
	snprintf(buf, len, "(kmalloc large, order %d)", size > 4096 ? 63 - __builtin_clzll((uint64_t)size / 4096) : 0);
}

struct live_obj {
	int32_t site, cache;           /* cache -1: not known yet (kmem_cache_alloc) */
	uint32_t req, alloc;
	int16_t cpu;
};

/* (call site, object size) → the cache that kmem_cache_free named for such objects. */
#define LEARN_AMBIGUOUS UINT32_MAX
static uint64_t learn_key(const struct live_obj *o)
{
	return ((uint64_t)(uint32_t)(o->site + 1) << 32) | o->alloc;
}

static void learn_cache(struct u64map *m, const struct live_obj *o, int32_t cache)
{
	uint64_t k = learn_key(o);
	uint32_t v;

	if (u64map_take(m, k, &v) && v != (uint32_t)cache + 1)
		v = LEARN_AMBIGUOUS;
	else
		v = (uint32_t)cache + 1;
	u64map_put(m, k, v);
}

static int32_t learned_cache(struct u64map *m, const struct live_obj *o)
{
	uint64_t k = learn_key(o);
	uint32_t v;

	if (!u64map_take(m, k, &v))
		return -1;
	u64map_put(m, k, v);
	return v == LEARN_AMBIGUOUS ? -1 : (int32_t)v - 1;
}

/* Remember a reusable live_obj slot (on allocation failure the slot is just not reused). */
static void push_slot(uint32_t **v, size_t *n, size_t *cap, uint32_t slot)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		uint32_t *nv = realloc(*v, nc * sizeof(**v));

		if (!nv)
			return;
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = slot;
}

/*
 * RUN/proc/slabinfo: object size → cache name, for sizes that exactly one
 * non-kmalloc cache has (the rest map to "").
 */
struct slabinfo_sizes {
	int n;
	uint32_t size[512];
	char name[512][64];
};

static void load_slabinfo(const char *run, struct slabinfo_sizes *si)
{
	char path[PATH_MAX], line[512], name[64];
	unsigned objsize, active, num;
	FILE *f;

	si->n = 0;
	snprintf(path, sizeof(path), "%s/proc/slabinfo", run);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		int k;

		if (sscanf(line, "%63s %u %u %u", name, &active, &num, &objsize) != 4 ||
		    strstr(name, "kmalloc-"))
			continue;
		for (k = 0; k < si->n && si->size[k] != objsize; k++)
			;
		if (k < si->n) {
			si->name[k][0] = 0;           /* two caches of this size: ambiguous */
		} else if (si->n < 512) {
			si->size[si->n] = objsize;
			snprintf(si->name[si->n++], sizeof(si->name[0]), "%s", name);
		}
	}
	fclose(f);
}

static int32_t slabinfo_cache(const struct slabinfo_sizes *si, uint32_t size, struct strtab *names)
{
	for (int k = 0; si && k < si->n; k++)
		if (si->size[k] == size && si->name[k][0])
			return strtab_id(names, si->name[k], strlen(si->name[k]));
	return -1;
}

static int report_slab(const struct evlist *el, struct strtab *sites, struct strtab *names,
		       const int16_t *cpu_node, int nr_cpu_nodes, const struct slabinfo_sizes *sinfo, int lines)
{
	uint64_t by_size = 0;
	struct sstats by_site = { 0 }, by_cache = { 0 };
	struct u64map live = { 0 }, learned = { 0 };
	struct live_obj *obj = NULL;
	size_t nobj = 0, capobj = 0;
	uint32_t *free_slots = NULL;
	size_t nfree_slots = 0, capfree = 0;
	uint64_t total_req = 0, total_alloc = 0, total_freed = 0, nr_allocs = 0, nr_cross = 0;
	char buf[64], b2[32], b3[32];
	int rc = 0;

	for (size_t i = 0; i < el->n; i++) {
		const struct rev *e = &el->v[i];

		if (e->kind == R_SLAB_ALLOC || e->kind == R_CACHE_ALLOC) {
			struct sstat *st = sstat_get(&by_site, e->site);
			int32_t cache = -1;

			total_req += e->req;
			total_alloc += e->alloc;
			nr_allocs++;
			if (e->node >= 0 && e->cpu < nr_cpu_nodes && cpu_node[e->cpu] != e->node)
				nr_cross++;
			if (st) {
				st->hit++;
				st->bytes_req += e->req;
				st->bytes_alloc += e->alloc;
			}
			if (e->kind == R_SLAB_ALLOC) {
				kmalloc_cache_name(e->gfp, e->alloc, buf, sizeof(buf));
				cache = strtab_id(names, buf, strlen(buf));
				if ((st = sstat_get(&by_cache, cache)) != NULL) {
					st->hit++;
					st->bytes_req += e->req;
					st->bytes_alloc += e->alloc;
				}
			}
			if (e->failed)
				continue;
			/* A live object's record: reuse a freed slot. */
			uint32_t slot;
			if (nfree_slots) {
				slot = free_slots[--nfree_slots];
			} else {
				if (nobj == capobj) {
					size_t nc = capobj ? capobj * 2 : 1024;
					struct live_obj *no = realloc(obj, nc * sizeof(*no));

					if (!no) {
						rc = -1;
						break;
					}
					obj = no;
					capobj = nc;
				}
				slot = (uint32_t)nobj++;
			}
			obj[slot] = (struct live_obj){ e->site, cache, e->req, e->alloc, e->cpu };
			uint32_t old;
			if (u64map_take(&live, e->key, &old)) {
				/* Allocated again without a free in the trace: the old one is gone. */
				if (obj[old].cache < 0) {
					int32_t cache = learned_cache(&learned, &obj[old]);

					snprintf(buf, sizeof(buf), "(not freed in trace, %u-byte objects)", obj[old].alloc);
					struct sstat *cs = sstat_get(&by_cache, cache >= 0 ? cache
										      : strtab_id(names, buf, strlen(buf)));
					if (cs) {
						cs->hit++;
						cs->bytes_req += obj[old].req;
						cs->bytes_alloc += obj[old].alloc;
					}
				}
				push_slot(&free_slots, &nfree_slots, &capfree, old);
			}
			if (u64map_put(&live, e->key, slot) < 0) {
				rc = -1;
				break;
			}
		} else if (e->kind == R_SLAB_FREE) {
			uint32_t slot;
			struct live_obj *o;
			struct sstat *ss, *cs;

			if (!u64map_take(&live, e->key, &slot))
				continue;
			o = &obj[slot];
			total_freed += o->alloc;
			if (o->cache < 0) {
				if (e->name >= 0) {
					o->cache = e->name;
					learn_cache(&learned, o, e->name);
				} else {
					snprintf(buf, sizeof(buf), "(freed by kfree, %u-byte objects)", o->alloc);
					o->cache = strtab_id(names, buf, strlen(buf));
				}
				if ((cs = sstat_get(&by_cache, o->cache)) != NULL) {
					cs->hit++;
					cs->bytes_req += o->req;
					cs->bytes_alloc += o->alloc;
				}
			}
			if (e->cpu != o->cpu) {
				if ((ss = sstat_get(&by_site, o->site)) != NULL)
					ss->pingpong++;
				if ((cs = sstat_get(&by_cache, o->cache)) != NULL)
					cs->pingpong++;
			}
			push_slot(&free_slots, &nfree_slots, &capfree, slot);
		}
	}
	/*
	 * kmem_cache_alloc objects still live at the end: the cache that frees of
	 * objects from the same call site and size named, if only one did.
	 */
	for (size_t i = 0; rc == 0 && i < live.cap; i++) {
		struct live_obj *o;
		struct sstat *cs;
		int32_t cache;

		if (!live.key[i])
			continue;
		o = &obj[live.val[i]];
		if (o->cache >= 0)
			continue;
		cache = learned_cache(&learned, o);
		if (cache < 0 && (cache = slabinfo_cache(sinfo, o->alloc, names)) >= 0)
			by_size++;
		if (cache < 0) {
			snprintf(buf, sizeof(buf), "(never freed, %u-byte objects)", o->alloc);
			cache = strtab_id(names, buf, strlen(buf));
		}
		if ((cs = sstat_get(&by_cache, cache)) != NULL) {
			cs->hit++;
			cs->bytes_req += o->req;
			cs->bytes_alloc += o->alloc;
		}
	}
	if (rc == 0) {
		print_slab_table(&by_cache, names, "Cache", lines);
		if (by_size)
			printf(" (%s objects allocated and never freed in the trace were given to their cache by\n"
			       "  object size, from proc/slabinfo)\n", grp(by_size, buf, sizeof(buf)));
		printf("\n");
		print_slab_table(&by_site, sites, "Callsite", lines);
		printf("\nSUMMARY (SLAB allocator)");
		printf("\n========================\n");
		printf("Total bytes requested: %s\n", grp(total_req, buf, sizeof(buf)));
		printf("Total bytes allocated: %s\n", grp(total_alloc, buf, sizeof(buf)));
		printf("Total bytes freed:     %s\n", grp(total_freed, buf, sizeof(buf)));
		if (total_alloc > total_freed)
			printf("Net total bytes allocated: %s\n", grp(total_alloc - total_freed, buf, sizeof(buf)));
		printf("Total bytes wasted on internal fragmentation: %s\n",
		       grp(total_alloc - total_req, buf, sizeof(buf)));
		printf("Internal fragmentation: %f%%\n", frag_pct(total_req, total_alloc));
		printf("Cross CPU allocations: %s/%s\n", grp(nr_cross, b2, sizeof(b2)), grp(nr_allocs, b3, sizeof(b3)));
	} else {
		fprintf(stderr, "mmsim report: out of memory\n");
	}
	free(by_site.v);
	free(by_site.by_id);
	free(by_cache.v);
	free(by_cache.by_id);
	free(obj);
	free(free_slots);
	u64map_free(&live);
	u64map_free(&learned);
	return rc;
}

/* --- pages ------------------------------------------------------------------------ */

/* perf's abbreviations of GFP flag names (the --page tables' "GFP flags" column). */
static const struct {
	const char *name, *abbr;
} gfp_abbr[] = {
	{ "GFP_TRANSHUGE", "THP" }, { "GFP_TRANSHUGE_LIGHT", "THL" }, { "GFP_HIGHUSER_MOVABLE", "HUM" },
	{ "GFP_HIGHUSER", "HU" }, { "GFP_USER", "U" }, { "GFP_KERNEL_ACCOUNT", "KAC" },
	{ "GFP_KERNEL", "K" }, { "GFP_NOFS", "NF" }, { "GFP_ATOMIC", "A" }, { "GFP_NOIO", "NI" },
	{ "GFP_NOWAIT", "NW" }, { "GFP_DMA", "D" }, { "__GFP_HIGHMEM", "HM" }, { "GFP_DMA32", "D32" },
	{ "__GFP_HIGH", "H" }, { "__GFP_IO", "I" }, { "__GFP_FS", "F" }, { "__GFP_NOWARN", "NWR" },
	{ "__GFP_RETRY_MAYFAIL", "R" }, { "__GFP_NOFAIL", "NF" }, { "__GFP_NORETRY", "NR" },
	{ "__GFP_COMP", "C" }, { "__GFP_ZERO", "Z" }, { "__GFP_NOMEMALLOC", "NMA" },
	{ "__GFP_MEMALLOC", "MA" }, { "__GFP_HARDWALL", "HW" }, { "__GFP_THISNODE", "TN" },
	{ "__GFP_RECLAIMABLE", "RC" }, { "__GFP_MOVABLE", "M" }, { "__GFP_ACCOUNT", "AC" },
	{ "__GFP_WRITE", "WR" }, { "__GFP_RECLAIM", "R" }, { "__GFP_DIRECT_RECLAIM", "DR" },
	{ "__GFP_KSWAPD_RECLAIM", "KR" },
};

/* "GFP_KERNEL|__GFP_ZERO" → "K|Z" (unknown names are dropped, as perf does). */
static void gfp_compact(const char *full, char *out, size_t len)
{
	char tmp[GFP_STR_MAX], *save = NULL;
	size_t used = 0;

	snprintf(tmp, sizeof(tmp), "%s", full);
	out[0] = 0;
	for (char *t = strtok_r(tmp, "|", &save); t; t = strtok_r(NULL, "|", &save))
		for (size_t i = 0; i < sizeof(gfp_abbr) / sizeof(gfp_abbr[0]); i++)
			if (!strcmp(t, gfp_abbr[i].name) && used + strlen(gfp_abbr[i].abbr) + 2 < len) {
				used += (size_t)snprintf(out + used, len - used, "%s%s", used ? "|" : "", gfp_abbr[i].abbr);
				break;
			}
}

struct pstat {
	int order, mt;
	gfp_t gfp;
	uint64_t nr_alloc, alloc_bytes;
};

static int pstat_cmp(const void *a, const void *b)
{
	const struct pstat *x = a, *y = b;

	if (x->alloc_bytes != y->alloc_bytes)
		return x->alloc_bytes > y->alloc_bytes ? -1 : 1;
	if (x->nr_alloc != y->nr_alloc)
		return x->nr_alloc > y->nr_alloc ? -1 : 1;
	if (x->order != y->order)
		return x->order - y->order;
	if (x->mt != y->mt)
		return x->mt - y->mt;
	return x->gfp < y->gfp ? -1 : x->gfp > y->gfp;
}

static int gfp_cmp(const void *a, const void *b)
{
	gfp_t x = *(const gfp_t *)a, y = *(const gfp_t *)b;

	return x < y ? -1 : x > y;
}

/* Column of the summary table for a 6.1 migratetype (see the header). */
static int mt_column(int mt)
{
	switch (mt) {
	case MIGRATE_UNMOVABLE: return 0;
	case MIGRATE_RECLAIMABLE: return 1;
	case MIGRATE_MOVABLE: return 2;
	case MIGRATE_HIGHATOMIC: return 3;
	default: return 4;             /* CMA, ISOLATE */
	}
}

static const char *const mt_abbr[MIGRATE_TYPES] = {
	"UNMOVABL", "MOVABLE", "RECLAIM", "HIGHATOM", "CMA", "ISOLATE"
};

static int report_pages(const struct evlist *el, int lines)
{
	struct u64map live = { 0 };
	struct pstat *ps = NULL;
	size_t nps = 0, capps = 0;
	gfp_t gfps[256];
	int ngfp = 0;
	uint64_t order_stats[REPORT_MAX_ORDER][5] = { { 0 } };
	uint64_t nr_allocs = 0, alloc_bytes = 0, nr_frees = 0, free_bytes = 0, nr_nomatch = 0,
		 nomatch_bytes = 0, nr_fails = 0, fail_bytes = 0;
	char full[GFP_STR_MAX], compact[GFP_STR_MAX], b1[32], b2[32];
	size_t gfp_len = strlen("GFP flags");
	int rc = 0;

	for (size_t i = 0; i < el->n; i++) {
		const struct rev *e = &el->v[i];
		uint64_t bytes = REPORT_PAGE_SIZE << e->order;

		if (e->kind == R_PAGE_ALLOC) {
			size_t k;

			nr_allocs++;
			alloc_bytes += bytes;
			if (e->failed) {
				nr_fails++;
				fail_bytes += bytes;
				continue;
			}
			for (k = 0; k < nps; k++)
				if (ps[k].order == e->order && ps[k].mt == e->mt && ps[k].gfp == e->gfp)
					break;
			if (k == nps) {
				if (nps == capps) {
					size_t nc = capps ? capps * 2 : 32;
					struct pstat *np = realloc(ps, nc * sizeof(*np));

					if (!np) {
						rc = -1;
						break;
					}
					ps = np;
					capps = nc;
				}
				ps[nps++] = (struct pstat){ .order = e->order, .mt = e->mt, .gfp = e->gfp };
			}
			ps[k].nr_alloc++;
			ps[k].alloc_bytes += bytes;
			order_stats[e->order][mt_column(e->mt)]++;
			{
				int g;

				for (g = 0; g < ngfp && gfps[g] != e->gfp; g++)
					;
				if (g == ngfp && ngfp < 256)
					gfps[ngfp++] = e->gfp;
			}
			/* Value: order + 1 (the live page's order, for the free's bytes check). */
			if (u64map_put(&live, e->key, (uint32_t)e->order + 1) < 0) {
				rc = -1;
				break;
			}
		} else if (e->kind == R_PAGE_FREE) {
			uint32_t v;

			nr_frees++;
			free_bytes += bytes;
			if (!u64map_take(&live, e->key, &v)) {
				nr_nomatch++;
				nomatch_bytes += bytes;
			}
		}
	}
	if (rc) {
		fprintf(stderr, "mmsim report: out of memory\n");
		goto out;
	}
	qsort(gfps, (size_t)ngfp, sizeof(gfps[0]), gfp_cmp);
	for (int g = 0; g < ngfp; g++) {
		gfp_compact(gfp_format(gfps[g], full, sizeof(full)), compact, sizeof(compact));
		if (strlen(compact) > gfp_len)
			gfp_len = strlen(compact);
	}
	printf("#\n# GFP flags\n# ---------\n");
	for (int g = 0; g < ngfp; g++) {
		gfp_format(gfps[g], full, sizeof(full));
		gfp_compact(full, compact, sizeof(compact));
		printf("# %08x: %*s: %s\n", gfps[g], (int)gfp_len, compact, full);
	}
	qsort(ps, nps, sizeof(*ps), pstat_cmp);
	printf("\n%.105s\n", dashes);
	printf(" %5s alloc (KB) | Hits      | Order | Mig.type | GFP flags\n", "Total");
	printf("%.105s\n", dashes);
	for (size_t k = 0; k < nps && (lines < 0 || (int)k < lines); k++) {
		gfp_compact(gfp_format(ps[k].gfp, full, sizeof(full)), compact, sizeof(compact));
		printf(" %16s | %9s | %5d | %8s | %s\n", grp(ps[k].alloc_bytes / 1024, b1, sizeof(b1)),
		       grp(ps[k].nr_alloc, b2, sizeof(b2)), ps[k].order, mt_abbr[ps[k].mt], compact);
	}
	if (lines >= 0 && nps > (size_t)lines)
		printf(" ...              | ...       | ...   | ...      | ...\n");
	printf("%.105s\n", dashes);

	printf("\nSUMMARY (page allocator)");
	printf("\n========================\n");
#define PLINE(label, n, bytes) \
	printf("%-30s: %16s   [ %16s KB ]\n", label, grp(n, b1, sizeof(b1)), grp((bytes) / 1024, b2, sizeof(b2)))
	PLINE("Total allocation requests", nr_allocs, alloc_bytes);
	PLINE("Total free requests", nr_frees, free_bytes);
	printf("\n");
	PLINE("Total alloc+freed requests", nr_frees - nr_nomatch, free_bytes - nomatch_bytes);
	PLINE("Total alloc-only requests", nr_allocs - (nr_frees - nr_nomatch),
	      alloc_bytes - (free_bytes - nomatch_bytes));
	PLINE("Total free-only requests", nr_nomatch, nomatch_bytes);
	printf("\n");
	PLINE("Total allocation failures", nr_fails, fail_bytes);
	printf("\n");
#undef PLINE
	printf("%5s  %12s  %12s  %12s  %12s  %12s\n", "Order", "Unmovable", "Reclaimable", "Movable", "Reserved",
	       "CMA/Isolated");
	printf("%.5s  %.12s  %.12s  %.12s  %.12s  %.12s\n", dashes, dashes, dashes, dashes, dashes, dashes);
	for (int o = 0; o < REPORT_MAX_ORDER; o++) {
		printf("%5d", o);
		for (int m = 0; m < 5; m++) {
			if (order_stats[o][m])
				printf("  %12s", grp(order_stats[o][m], b1, sizeof(b1)));
			else
				printf("  %12c", '.');
		}
		printf("\n");
	}
out:
	free(ps);
	u64map_free(&live);
	return rc;
}

/* --- latency and pressure (summary.json) ------------------------------------------ */

static void print_ns(double ps)
{
	double ns = ps / 1000.0;

	if (ns < 10)
		printf(" %10.2f", ns);
	else if (ns < 100000)
		printf(" %10.1f", ns);
	else
		printf(" %10.0f", ns);
}

static void report_latency(json_t *hists)
{
	const char *name;
	json_t *h;
	char b[32];
	int rows = 0;

	printf("\nLATENCY (simulated, ns)\n=======================\n");
	printf("%-56s %12s %10s %10s %10s %10s %10s\n", "histogram (API.path)", "count", "p50", "p90", "p99",
	       "p99.9", "max");
	printf("%.56s %.12s %.10s %.10s %.10s %.10s %.10s\n", dashes, dashes, dashes, dashes, dashes, dashes, dashes);
	json_object_foreach(hists, name, h) {
		const char *unit = json_string_value(json_object_get(h, "unit"));
		json_int_t count = json_integer_value(json_object_get(h, "count"));
		static const char *const pct[] = { "p50", "p90", "p99", "p99.9", "max" };

		if (count <= 0 || !unit || strcmp(unit, "ps"))
			continue;
		printf("%-56s %12s", name, grp((uint64_t)count, b, sizeof(b)));
		for (int i = 0; i < 5; i++)
			print_ns(json_number_value(json_object_get(h, pct[i])));
		printf("\n");
		rows++;
	}
	if (!rows)
		printf("(no latency histograms with samples in this run)\n");
}

/* Sum of the counters "mm.vmstat.<prefix>*"; false if none exists. */
static bool vmstat_sum(json_t *counters, const char *prefix, uint64_t *out)
{
	const char *name;
	json_t *v;
	size_t n = strlen(prefix);
	bool found = false;

	*out = 0;
	json_object_foreach(counters, name, v) {
		if (strncmp(name, "mm.vmstat.", 10) || strncmp(name + 10, prefix, n))
			continue;
		/* exact name, or a family: allocstall_dma, allocstall_normal ... */
		if (name[10 + n] && prefix[n - 1] != '_')
			continue;
		*out += (uint64_t)json_integer_value(v);
		found = true;
	}
	return found;
}

static void report_pressure(json_t *counters, const struct trace_counts *tc)
{
	static const struct {
		const char *label, *name;
	} rows[] = {
		{ "kswapd runs (pageoutrun)", "pageoutrun" },
		{ "kswapd low wmark hit quickly", "kswapd_low_wmark_hit_quickly" },
		{ "kswapd high wmark hit quickly", "kswapd_high_wmark_hit_quickly" },
		{ "pages scanned by kswapd", "pgscan_kswapd" },
		{ "pages scanned by direct reclaim", "pgscan_direct" },
		{ "pages reclaimed by kswapd", "pgsteal_kswapd" },
		{ "pages reclaimed by direct reclaim", "pgsteal_direct" },
		{ "direct reclaim stalls (allocstall_*)", "allocstall_" },
		{ "compaction stalls", "compact_stall" },
		{ "compaction successes", "compact_success" },
		{ "compaction failures", "compact_fail" },
		{ "compaction pages migrate-scanned", "compact_migrate_scanned" },
		{ "compaction pages free-scanned", "compact_free_scanned" },
		{ "kcompactd wake-ups", "compact_daemon_wake" },
		{ "pages swapped out", "pswpout" },
		{ "OOM kills", "oom_kill" },
		{ "allocation failures", "mmsim_alloc_fail" },
	};
	uint64_t v, scan = 0, steal = 0, stall = 0, succ = 0;
	bool have_scan = false, have_stall = false;
	char b[32];

	printf("\nPRESSURE SUMMARY\n================\n");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		bool have = vmstat_sum(counters, rows[i].name, &v);
		char key[64];

		snprintf(key, sizeof(key), "%s%s", rows[i].name, rows[i].name[strlen(rows[i].name) - 1] == '_' ? "*" : "");
		if (have)
			printf("%-38s: %16s   (%s)\n", rows[i].label, grp(v, b, sizeof(b)), key);
		else
			printf("%-38s: %16s   (%s: not in this run)\n", rows[i].label, "-", key);
		if (have && !strncmp(rows[i].name, "pgscan_", 7)) {
			scan += v;
			have_scan = true;
		}
		if (have && !strncmp(rows[i].name, "pgsteal_", 8))
			steal += v;
		if (have && !strcmp(rows[i].name, "compact_stall")) {
			stall = v;
			have_stall = true;
		}
		if (have && !strcmp(rows[i].name, "compact_success"))
			succ = v;
	}
	if (have_scan && scan)
		printf("%-38s: %15.1f%%\n", "reclaim efficiency (pgsteal/pgscan)", 100.0 * (double)steal / (double)scan);
	if (have_stall && stall)
		printf("%-38s: %15.1f%%\n", "compaction success rate", 100.0 * (double)succ / (double)stall);
	if (tc->have_trace) {
		printf("\nfrom events.trace:\n");
		printf("%-38s: %16s\n", "mm_vmscan_wakeup_kswapd", grp(tc->wakeup_kswapd, b, sizeof(b)));
		printf("%-38s: %16s\n", "mm_vmscan_kswapd_wake", grp(tc->kswapd_wake, b, sizeof(b)));
		printf("%-38s: %16s\n", "mm_vmscan_direct_reclaim_begin", grp(tc->direct_reclaim, b, sizeof(b)));
		printf("%-38s: %16s\n", "mm_compaction_begin", grp(tc->compaction, b, sizeof(b)));
		printf("%-38s: %16s\n", "mark_victim (OOM)", grp(tc->mark_victim, b, sizeof(b)));
		printf("%-38s: %16s\n", "mm_page_alloc_extfrag (fallbacks)", grp(tc->extfrag, b, sizeof(b)));
	}
}

/* --- the command --------------------------------------------------------------------- */

/* Same wording as cli_usage_error() (sim/main.c), kept local so tests can link this file alone. */
static void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mmsim report: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'mmsim report --help' for more information.\n");
}

static void report_usage(FILE *f)
{
	fprintf(f,
		"Usage: mmsim report RUN [--slab] [--page] [--latency] [--pressure] [--lines N]\n"
		"                        [--trace FILE]\n"
		"\n"
		"Summarise a results folder the way `perf kmem stat` does: slab tables per cache and\n"
		"per call site with the SUMMARY (SLAB allocator) block, page allocations per order,\n"
		"migratetype and GFP flags with the SUMMARY (page allocator) block (both from\n"
		"RUN/events.trace: run with `trace: {events: kmem}`), then a latency table\n"
		"(p50/p90/p99/p99.9/max per histogram) and a pressure summary (kswapd, reclaim,\n"
		"compaction, OOM) from RUN/summary.json. With no section option, all four are printed.\n"
		"\n"
		"  --lines N     rows per table (default 20; -1 = all)\n"
		"  --trace FILE  read kmem events from FILE instead of RUN/events.trace\n"
		"\n"
		"Exit status: 0, 2 bad usage, 65 malformed summary.json, 66 RUN or its files missing.\n");
}

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "slab", no_argument, NULL, 's' },
		{ "page", no_argument, NULL, 'p' },
		{ "latency", no_argument, NULL, 'l' },
		{ "pressure", no_argument, NULL, 'P' },
		{ "lines", required_argument, NULL, 'n' },
		{ "trace", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool slab = false, page = false, latency = false, pressure = false;
	const char *trace = NULL, *run;
	char path[PATH_MAX], *end;
	int lines = 20, c, rc = MMSIM_EXIT_OK;
	struct evlist el = { 0 };
	struct strtab sites = { 0 }, names = { 0 };
	struct trace_counts tc = { 0 };
	json_t *root = NULL, *stats;
	json_error_t jerr;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 's': slab = true; break;
		case 'p': page = true; break;
		case 'l': latency = true; break;
		case 'P': pressure = true; break;
		case 'n':
			lines = (int)strtol(optarg, &end, 10);
			if (*end || lines < -1) {
				usage_error("--lines expects a number of rows (-1 = all), got '%s'", optarg);
				return MMSIM_EXIT_USAGE;
			}
			break;
		case 't': trace = optarg; break;
		case 'h': report_usage(stdout); return MMSIM_EXIT_OK;
		case ':':
			usage_error("option '%s' needs a value", argv[optind - 1]);
			return MMSIM_EXIT_USAGE;
		default:
			usage_error("unknown option '%s'", argv[optind - 1]);
			return MMSIM_EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		usage_error(argc - optind < 1 ? "missing RUN (a results folder)"
							    : "expected one results folder, got %d", argc - optind);
		return MMSIM_EXIT_USAGE;
	}
	run = argv[optind];
	if (!slab && !page && !latency && !pressure)
		slab = page = latency = pressure = true;

	snprintf(path, sizeof(path), "%s/summary.json", run);
	if (access(path, R_OK) != 0) {
		fprintf(stderr, "mmsim report: %s: %s\n", path, strerror(errno));
		return MMSIM_EXIT_NOINPUT;
	}
	root = json_load_file(path, 0, &jerr);
	if (!root || !json_is_object(root)) {
		fprintf(stderr, "mmsim report: %s:%d: expected a summary.json object: %s\n", path, jerr.line,
			root ? "not an object" : jerr.text);
		json_decref(root);
		return MMSIM_EXIT_DATAERR;
	}
	stats = json_object_get(root, "stats");
	{
		json_t *mm = json_object_get(root, "mmsim"), *ri = json_object_get(root, "run");
		const char *ver = json_string_value(json_object_get(mm, "version"));
		const char *status = json_string_value(json_object_get(ri, "status"));
		double secs = json_number_value(json_object_get(ri, "sim_seconds"));

		printf("mmsim report: %s (mmsim %s; %s; %.6f simulated s)\n", run, ver ? ver : "?",
		       status ? status : "?", secs);
	}

	if (slab || page || pressure) {
		char tpath[PATH_MAX];

		if (trace)
			snprintf(tpath, sizeof(tpath), "%s", trace);
		else
			snprintf(tpath, sizeof(tpath), "%s/events.trace", run);
		if (access(tpath, R_OK) != 0) {
			if (trace) {
				fprintf(stderr, "mmsim report: %s: %s\n", tpath, strerror(errno));
				rc = MMSIM_EXIT_NOINPUT;
				goto out;
			}
			if (slab || page)
				printf("\n(no events.trace in %s: the slab and page tables need a run with\n"
				       " `trace: {events: kmem}` in the scenario or --set trace.events=kmem)\n", run);
		} else {
			rc = read_trace(tpath, &el, &sites, &names, &tc);
			if (rc)
				goto out;
			if (slab && !tc.slab_events) {
				printf("\n(%s has no slab events: kmalloc, kmem_cache_alloc, kfree, kmem_cache_free)\n", tpath);
			} else if (slab) {
				int16_t *cpu_node = calloc(REPORT_MAX_CPUS, sizeof(*cpu_node));
				int ncn = cpu_node ? load_cpu_nodes(run, cpu_node, REPORT_MAX_CPUS) : 0;
				struct slabinfo_sizes *si = malloc(sizeof(*si));

				if (si)
					load_slabinfo(run, si);
				printf("\n");
				if (report_slab(&el, &sites, &names, cpu_node, ncn, si, lines) < 0)
					rc = MMSIM_EXIT_SOFTWARE;
				free(cpu_node);
				free(si);
			}
			if (page && !rc && !tc.page_events) {
				printf("\n(%s has no page events: mm_page_alloc, mm_page_free)\n", tpath);
			} else if (page && !rc) {
				printf("\n");
				if (report_pages(&el, lines) < 0)
					rc = MMSIM_EXIT_SOFTWARE;
			}
		}
	}
	if (latency && !rc)
		report_latency(json_object_get(stats, "histograms"));
	if (pressure && !rc)
		report_pressure(json_object_get(stats, "counters"), &tc);
out:
	free(el.v);
	strtab_free(&sites);
	strtab_free(&names);
	json_decref(root);
	return rc;
}
