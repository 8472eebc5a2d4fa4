/* SPDX-License-Identifier: MIT */
/*
 * traces/check.c — `mmsim check-trace`: analyse a trace without simulating.
 *
 * One pass over the trace in file order with two pointer tables (traces/
 * internal.h): slab pointers and pfns. Each entry holds the state of the
 * traced object (live or freed), its kind and size, so that:
 *  - a free of an address never allocated in the trace is "unmatched" (the
 *    object predates the trace), not an error;
 *  - a free of an address already freed is a double free;
 *  - an allocation returning an address still live means a free was lost
 *    (or the trace buffer overflowed);
 *  - kmem_cache_free of a kmalloc'd object is a free mismatch (kfree of a
 *    cache object is legal SLUB usage and not reported);
 *  - an allocation whose GFP mask allows direct reclaim (__GFP_DIRECT_RECLAIM,
 *    i.e. it may sleep) issued in hardirq, softirq, NMI or with irqs disabled
 *    according to the flags column is a sleeping allocation in atomic context
 *    (the kernel's "BUG: sleeping function called from invalid context").
 * Limitations: with hashed pointers (%p, 32-bit hash) two objects can share a
 * value; lines without a flags column (perf, old trace-cmd) count as task
 * context with irqs on. Percpu areas are tracked like slab objects.
 */
#include <string.h>
#include "traces/internal.h"
#include "traces/trace.h"

enum { OBJ_LIVE = 1, OBJ_FREED = 2 };
enum { KIND_KMALLOC = 0, KIND_CACHE = 1 };

static void finding(struct trace_check_result *res, enum tcheck_kind k, uint64_t lineno,
		    enum tev type, uint64_t key)
{
	res->findings[k]++;
	if (res->nr_kept[k] < TRACE_MAX_BAD_KEPT) {
		struct tcheck_finding *f = &res->kept[k][res->nr_kept[k]++];

		f->lineno = lineno;
		f->type = type;
		f->key = key;
	}
}

static void check_atomic(struct trace_check_result *res, const struct trace_rec *rec, uint64_t lineno)
{
	bool atomic = rec->ctx != TREC_TASK || rec->irqs_off;

	res->per_ctx_allocs[rec->ctx & 3]++;
	if (rec->irqs_off)
		res->atomic_irqs_off_allocs++;
	if (atomic && (rec->gfp & __GFP_DIRECT_RECLAIM))
		finding(res, TCK_SLEEP_IN_ATOMIC, lineno, rec->type, rec->ptr ? rec->ptr : rec->pfn);
}

int trace_check_file(struct trace_reader *r, bool strict, struct trace_check_result *out)
{
	struct ptab slab = { 0 }, pages = { 0 }, pcpu = { 0 };
	struct trace_rec rec;
	int rc = 0, k;

	memset(out, 0, sizeof(*out));
	if (ptab_init(&slab, 16) < 0 || ptab_init(&pages, 14) < 0 || ptab_init(&pcpu, 8) < 0) {
		ptab_free(&slab);
		ptab_free(&pages);
		return -1;
	}
	while ((k = trace_reader_next(r, &rec)) != 0) {
		uint64_t ln = trace_reader_lineno(r);
		struct ptab_ent *e;
		bool fresh;

		if (k == -1) {
			if (strict) {
				rc = 1;
				break;
			}
			continue;
		}
		if (k < 0) {
			rc = -1;
			break;
		}
		switch (rec.type) {
		case TEV_KMALLOC: case TEV_KMALLOC_NODE: case TEV_KMEM_CACHE_ALLOC: case TEV_KMEM_CACHE_ALLOC_NODE:
			check_atomic(out, &rec, ln);
			if (!rec.ptr) {
				out->failed_allocs++;
				break;
			}
			out->bytes_req += rec.bytes_req;
			out->bytes_alloc += rec.bytes_alloc;
			out->slab_allocs++;
			e = ptab_get(&slab, rec.ptr, &fresh);
			if (!e)
				goto nomem;
			if (!fresh && (e->val & 3) == OBJ_LIVE) {
				finding(out, TCK_ALLOC_LIVE, ln, rec.type, rec.ptr);
				out->live_objects--;
				out->live_bytes -= e->aux;
			}
			e->val = OBJ_LIVE | (tev_is_cache_alloc(rec.type) ? KIND_CACHE : KIND_KMALLOC) << 2 |
				 (uint32_t)(rec.cpu & 0xffffff) << 3;
			e->aux = (uint32_t)(rec.bytes_alloc > UINT32_MAX ? UINT32_MAX : rec.bytes_alloc);
			out->live_objects++;
			out->live_bytes += e->aux;
			break;
		case TEV_KFREE: case TEV_KMEM_CACHE_FREE:
			if (rec.ptr <= 16)               /* kfree(NULL) / ZERO_SIZE_PTR: legal no-ops */
				break;
			e = ptab_find(&slab, rec.ptr);
			if (!e) {
				out->unmatched_frees++;
				break;
			}
			if ((e->val & 3) == OBJ_FREED) {
				finding(out, TCK_DOUBLE_FREE, ln, rec.type, rec.ptr);
				break;
			}
			if (rec.type == TEV_KMEM_CACHE_FREE && ((e->val >> 2) & 1) == KIND_KMALLOC)
				finding(out, TCK_FREE_MISMATCH, ln, rec.type, rec.ptr);
			if ((int)(e->val >> 3) != (rec.cpu & 0xffffff))
				out->slab_cross_cpu++;
			out->slab_bytes_freed += e->aux;
			e->val = OBJ_FREED | (e->val & ~3u);
			out->live_objects--;
			out->live_bytes -= e->aux;
			break;
		case TEV_MM_PAGE_ALLOC:
			check_atomic(out, &rec, ln);
			if (!rec.pfn && !rec.page) {
				out->failed_allocs++;
				out->page_failed++;
				out->page_failed_kb += 4ull << rec.order;
				break;
			}
			out->page_allocs++;
			out->page_alloc_kb += 4ull << rec.order;
			if (rec.order >= 0 && rec.order < 11) {
				/* perf's columns by meaning: 6.1 numbers MOVABLE 1, RECLAIMABLE 2 */
				static const int col[6] = { 0, 2, 1, 3, 4, 4 };

				out->page_order_mt[rec.order][rec.migratetype >= 0 && rec.migratetype < 6 ?
							      col[rec.migratetype] : 4]++;
			}
			e = ptab_get(&pages, rec.pfn + 1, &fresh);
			if (!e)
				goto nomem;
			if (!fresh && (e->val & 3) == OBJ_LIVE) {
				finding(out, TCK_ALLOC_LIVE, ln, rec.type, rec.pfn);
				out->live_pages -= 1ull << e->aux;
			}
			e->val = OBJ_LIVE;
			e->aux = (uint32_t)rec.order;
			out->live_pages += 1ull << rec.order;
			break;
		case TEV_MM_PAGE_FREE: case TEV_MM_PAGE_FREE_BATCHED:
			out->page_frees++;
			out->page_free_kb += 4ull << rec.order;
			e = ptab_find(&pages, rec.pfn + 1);
			if (!e) {
				out->unmatched_page_frees++;
				out->page_free_only++;
				out->page_free_only_kb += 4ull << rec.order;
				break;
			}
			if ((e->val & 3) == OBJ_FREED) {
				finding(out, TCK_DOUBLE_FREE, ln, rec.type, rec.pfn);
				break;
			}
			e->val = OBJ_FREED;
			out->live_pages -= 1ull << e->aux;
			out->page_alloc_freed++;
			out->page_alloc_freed_kb += 4ull << e->aux;
			break;
		case TEV_PERCPU_ALLOC_PERCPU:
			check_atomic(out, &rec, ln);
			if (!rec.ptr) {
				out->failed_allocs++;
				break;
			}
			e = ptab_get(&pcpu, rec.ptr, &fresh);
			if (!e)
				goto nomem;
			if (!fresh && e->val == OBJ_LIVE)
				finding(out, TCK_ALLOC_LIVE, ln, rec.type, rec.ptr);
			e->val = OBJ_LIVE;
			out->live_percpu++;
			break;
		case TEV_PERCPU_FREE_PERCPU:
			if (!rec.ptr)
				break;
			e = ptab_find(&pcpu, rec.ptr);
			if (!e) {
				out->unmatched_percpu_frees++;
				break;
			}
			if (e->val == OBJ_FREED) {
				finding(out, TCK_DOUBLE_FREE, ln, rec.type, rec.ptr);
				break;
			}
			e->val = OBJ_FREED;
			out->live_percpu--;
			break;
		default:
			break;
		}
	}
	out->parse = *trace_reader_stats(r);
	ptab_free(&slab);
	ptab_free(&pages);
	ptab_free(&pcpu);
	return rc;
nomem:
	out->parse = *trace_reader_stats(r);
	ptab_free(&slab);
	ptab_free(&pages);
	ptab_free(&pcpu);
	return -1;
}

static const char *const tck_names[TCK__NR] = {
	[TCK_DOUBLE_FREE] = "double free",
	[TCK_SLEEP_IN_ATOMIC] = "sleeping allocation in atomic context",
	[TCK_ALLOC_LIVE] = "allocation of a live address (lost free)",
	[TCK_FREE_MISMATCH] = "kmem_cache_free of a kmalloc object",
};

static const char *const tps_names[TPS__NR] = {
	[TPS_BLANK] = "blank", [TPS_COMMENT] = "comment/header", [TPS_PREAMBLE] = "trace-cmd preamble",
	[TPS_CALLCHAIN] = "perf call chain", [TPS_LOST] = "lost-events marker",
};

/* perf's %'lu: thousands grouped with commas. */
static const char *grouped(uint64_t v, char *buf, size_t len)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v), o = 0;

	for (int i = 0; i < n && (size_t)o + 2 < len; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = 0;
	return buf;
}

/*
 * The SUMMARY blocks of `perf kmem stat --slab` and `--page`
 * (tools/perf/builtin-kmem.c), computed from the trace: users compare them
 * with what perf printed on the real machine. Cross-CPU allocations are
 * objects freed on another CPU than the one that allocated them. The
 * order × migratetype table counts allocation requests; columns follow the
 * type names (6.1 numbers MOVABLE 1 and RECLAIMABLE 2 go to their columns).
 */
static void print_perf_kmem(FILE *f, const struct trace_check_result *r)
{
	char a[32], b[32];

	if (r->slab_allocs) {
		fprintf(f, "\nSUMMARY (SLAB allocator)\n========================\n");
		fprintf(f, "Total bytes requested: %s\n", grouped(r->bytes_req, a, sizeof(a)));
		fprintf(f, "Total bytes allocated: %s\n", grouped(r->bytes_alloc, a, sizeof(a)));
		fprintf(f, "Total bytes freed:     %s\n", grouped(r->slab_bytes_freed, a, sizeof(a)));
		fprintf(f, "Net total bytes allocated: %s\n",
			grouped(r->bytes_alloc - r->slab_bytes_freed, a, sizeof(a)));
		fprintf(f, "Total bytes wasted on internal fragmentation: %s\n",
			grouped(r->bytes_alloc - r->bytes_req, a, sizeof(a)));
		fprintf(f, "Internal fragmentation: %f%%\n",
			r->bytes_alloc ? 100.0 - 100.0 * (double)r->bytes_req / (double)r->bytes_alloc : 0.0);
		fprintf(f, "Cross CPU allocations: %s/%s\n", grouped(r->slab_cross_cpu, a, sizeof(a)),
			grouped(r->slab_allocs, b, sizeof(b)));
	}
	if (r->page_allocs || r->page_frees || r->page_failed) {
		static const char *const rows[] = {
			"Total allocation requests", "Total free requests", "Total alloc+freed requests",
			"Total alloc-only requests", "Total free-only requests", "Total allocation failures",
		};
		uint64_t v[6][2] = {
			{ r->page_allocs, r->page_alloc_kb }, { r->page_frees, r->page_free_kb },
			{ r->page_alloc_freed, r->page_alloc_freed_kb },
			{ r->page_allocs - r->page_alloc_freed, r->page_alloc_kb - r->page_alloc_freed_kb },
			{ r->page_free_only, r->page_free_only_kb }, { r->page_failed, r->page_failed_kb },
		};

		fprintf(f, "\nSUMMARY (page allocator)\n========================\n");
		for (int i = 0; i < 6; i++)
			fprintf(f, "%-30s: %16s   [ %16s KB ]\n", rows[i], grouped(v[i][0], a, sizeof(a)),
				grouped(v[i][1], b, sizeof(b)));
		fprintf(f, "\n%5s  %12s  %12s  %12s  %12s  %12s\n", "Order", "Unmovable", "Reclaimable",
			"Movable", "Reserved", "CMA/Isolated");
		fprintf(f, "-----  ------------  ------------  ------------  ------------  ------------\n");
		for (int o = 0; o < 11; o++) {
			fprintf(f, "%5d", o);
			for (int c = 0; c < 5; c++)
				fprintf(f, "  %12s", r->page_order_mt[o][c] ?
					grouped(r->page_order_mt[o][c], a, sizeof(a)) : ".");
			fputc('\n', f);
		}
	}
}

void trace_check_print(FILE *f, const char *name, const struct trace_check_result *res)
{
	const struct trace_parse_stats *ps = &res->parse;

	fprintf(f, "check-trace: %s\n\n", name);
	fprintf(f, "%-34s %12llu\n", "lines", (unsigned long long)ps->lines);
	fprintf(f, "%-34s %12llu\n", "events", (unsigned long long)ps->events);
	fprintf(f, "%-34s %12llu\n", "malformed lines", (unsigned long long)ps->malformed);
	for (int i = 0; i < TPS__NR; i++)
		if (ps->skipped[i])
			fprintf(f, "%-34s %12llu\n", tps_names[i], (unsigned long long)ps->skipped[i]);
	if (ps->events) {
		fprintf(f, "%-34s %12d\n", "cpus (highest [cpu] + 1)", ps->max_cpu + 1);
		fprintf(f, "%-34s %12.6f s (%llu.%06llu .. %llu.%06llu)\n", "time span",
			(double)(ps->last_ts_ns - ps->first_ts_ns) / 1e9,
			(unsigned long long)(ps->first_ts_ns / 1000000000ull),
			(unsigned long long)(ps->first_ts_ns / 1000 % 1000000),
			(unsigned long long)(ps->last_ts_ns / 1000000000ull),
			(unsigned long long)(ps->last_ts_ns / 1000 % 1000000));
		if (ps->ts_backwards)
			fprintf(f, "%-34s %12llu\n", "timestamps going backwards",
				(unsigned long long)ps->ts_backwards);
	}

	fprintf(f, "\n%-34s %-12s %12s\n", "event", "system", "count");
	fprintf(f, "%-34s %-12s %12s\n", "----------------------------------", "------------", "------------");
	for (int t = 1; t < TEV__NR; t++)
		if (ps->per_event[t])
			fprintf(f, "%-34s %-12s %12llu\n", tev_name((enum tev)t), tev_system((enum tev)t),
				(unsigned long long)ps->per_event[t]);

	fprintf(f, "\nallocations and frees\n");
	fprintf(f, "  %-32s %12llu\n", "unmatched slab frees",
		(unsigned long long)res->unmatched_frees);
	fprintf(f, "  %-32s %12llu\n", "unmatched page frees",
		(unsigned long long)res->unmatched_page_frees);
	fprintf(f, "  %-32s %12llu\n", "unmatched percpu frees",
		(unsigned long long)res->unmatched_percpu_frees);
	fprintf(f, "  %-32s %12llu\n", "failed allocations (ptr=0)", (unsigned long long)res->failed_allocs);
	fprintf(f, "  %-32s %12llu (%llu bytes)\n", "slab objects live at end",
		(unsigned long long)res->live_objects, (unsigned long long)res->live_bytes);
	fprintf(f, "  %-32s %12llu\n", "pages live at end (4 KiB)", (unsigned long long)res->live_pages);
	fprintf(f, "  %-32s %12llu\n", "percpu areas live at end", (unsigned long long)res->live_percpu);
	if (res->bytes_alloc)
		fprintf(f, "  %-32s %11.3f%% (requested %llu, allocated %llu)\n", "internal fragmentation",
			100.0 - 100.0 * (double)res->bytes_req / (double)res->bytes_alloc,
			(unsigned long long)res->bytes_req, (unsigned long long)res->bytes_alloc);
	fprintf(f, "  %-32s task %llu, softirq %llu, hardirq %llu, nmi %llu, irqs-off %llu\n",
		"allocations by context", (unsigned long long)res->per_ctx_allocs[TREC_TASK],
		(unsigned long long)res->per_ctx_allocs[TREC_SOFTIRQ],
		(unsigned long long)res->per_ctx_allocs[TREC_HARDIRQ],
		(unsigned long long)res->per_ctx_allocs[TREC_NMI],
		(unsigned long long)res->atomic_irqs_off_allocs);

	print_perf_kmem(f, res);

	fprintf(f, "\n%-42s %10s  %s\n", "misuse", "count", "first lines");
	fprintf(f, "%-42s %10s  %s\n", "------------------------------------------", "----------", "-----------");
	for (int k = 0; k < TCK__NR; k++) {
		fprintf(f, "%-42s %10llu ", tck_names[k], (unsigned long long)res->findings[k]);
		for (int i = 0; i < res->nr_kept[k] && i < 8; i++)
			fprintf(f, " %llu", (unsigned long long)res->kept[k][i].lineno);
		fputc('\n', f);
	}
	if (ps->malformed) {
		fprintf(f, "\nmalformed lines\n");
		trace_print_malformed(f, name, ps);
	}
}
