/* SPDX-License-Identifier: MIT */
/*
 * sim/run_summary.c — the few lines `mmsim run` prints at the end: what a
 * kernel engineer looks at first (allocations and failures, p99 latency per
 * API, reclaim/compaction/OOM activity, how fragmented memory ended up).
 *
 * Everything is read back from the statistics registry by name, so a layer
 * that is absent (no machine, no reclaim yet) simply leaves its line out.
 * Latency histograms registered per path (…​.pcp, …​.slowpath, …​.failed) are
 * merged per API before taking the percentile.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include "sim/run_summary.h"
#include "sim/stats.h"

struct merge_ctx {
	const char *prefix;
	struct hist *out;
};

static void merge_one(struct hist *h, void *arg)
{
	struct merge_ctx *m = arg;

	if (!strncmp(h->name, m->prefix, strlen(m->prefix)))
		hist_merge(m->out, h);
}

static void fmt_time(double ps, char *buf, size_t len)
{
	if (ps < 1e3)
		snprintf(buf, len, "%.0f ps", ps);
	else if (ps < 1e6)
		snprintf(buf, len, "%.0f ns", ps / 1e3);
	else if (ps < 1e9)
		snprintf(buf, len, "%.1f µs", ps / 1e6);
	else
		snprintf(buf, len, "%.2f ms", ps / 1e9);
}

static uint64_t counter(const char *name)
{
	uint64_t *c = stat_find_counter(name);

	return c ? *c : 0;
}

static bool have_counter(const char *name)
{
	return stat_find_counter(name) != NULL;
}

/* Sum of every counter whose name starts with @prefix (e.g. all pgalloc_<zone>). */
static uint64_t counter_sum(json_t *counters, const char *prefix)
{
	const char *k;
	json_t *v;
	uint64_t sum = 0;

	json_object_foreach(counters, k, v)
		if (!strncmp(k, prefix, strlen(prefix)))
			sum += (uint64_t)json_integer_value(v);
	return sum;
}

void run_summary_print(FILE *out)
{
	static const struct { const char *label, *prefix; } apis[] = {
		{ "alloc_pages", "mm.page_alloc.latency.alloc_pages." },
		{ "kmalloc", "slab.latency.kmalloc." },
		{ "kmem_cache_alloc", "slab.latency.kmem_cache_alloc." },
		{ "vmalloc", "mm.latency.vmalloc." },
		{ "kvmalloc", "mm.latency.kvmalloc." },
		{ "mempool_alloc", "mm.latency.mempool_alloc." },
		{ "alloc_percpu", "mm.latency.alloc_percpu." },
	};
	json_t *stats = stats_to_json();
	json_t *counters = json_object_get(stats, "counters");
	json_t *vectors = json_object_get(stats, "vectors");
	char buf[64];
	bool first = true;

	if (have_counter("mm.vmstat.pgfree")) {
		fprintf(out, "allocations: %llu pages allocated, %llu freed; %llu allocation failures\n",
			(unsigned long long)counter_sum(counters, "mm.vmstat.pgalloc_"),
			(unsigned long long)counter("mm.vmstat.pgfree"),
			(unsigned long long)counter("mm.vmstat.mmsim_alloc_fail"));
	}
	for (size_t i = 0; i < sizeof(apis) / sizeof(apis[0]); i++) {
		struct hist h;
		struct merge_ctx m = { apis[i].prefix, &h };

		hist_init(&h);
		stats_foreach_hist(merge_one, &m);
		if (h.count) {
			fmt_time((double)hist_percentile(&h, 99.0), buf, sizeof(buf));
			fprintf(out, "%s%s %s (%llu calls)", first ? "p99 latency: " : ", ", apis[i].label, buf,
				(unsigned long long)h.count);
			first = false;
		}
		hist_free(&h);
	}
	if (!first)
		fprintf(out, "\n");
	if (have_counter("mm.vmstat.pageoutrun") || have_counter("mm.vmstat.compact_stall") ||
	    have_counter("mm.vmstat.oom_kill")) {
		fprintf(out, "pressure: kswapd runs (pageoutrun) %llu, direct reclaim stalls %llu, "
			"compaction stalls %llu, OOM kills %llu\n",
			(unsigned long long)counter("mm.vmstat.pageoutrun"),
			(unsigned long long)counter_sum(counters, "mm.vmstat.allocstall_"),
			(unsigned long long)counter("mm.vmstat.compact_stall"),
			(unsigned long long)counter("mm.vmstat.oom_kill"));
	}
	/* Final unusable free space index at pageblock order (9), per populated zone. */
	first = true;
	{
		const char *k;
		json_t *v;

		json_object_foreach(vectors, k, v) {
			size_t n = strlen(k);

			if (strncmp(k, "mm.node", 7) || n < 15 || strcmp(k + n - 15, ".unusable_index") ||
			    json_array_size(v) < 10)
				continue;
			fprintf(out, "%s%.*s %.3f", first ? "unusable index at order 9: " : ", ", (int)(n - 18),
				k + 3, json_number_value(json_array_get(v, 9)));
			first = false;
		}
	}
	if (!first)
		fprintf(out, "\n");
	json_decref(stats);
}
