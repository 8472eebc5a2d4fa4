/* SPDX-License-Identifier: MIT */
/*
 * workloads/netrx.c — network packet receive in softirq context.
 *
 * Model: `queues` NET_RX softirq processes (one per RX queue, on the task's
 * CPUs) receive packets as a Markov-modulated Poisson stream: `rate` packets
 * per second in total, multiplied by `burst_factor` during bursts whose
 * lengths and gaps are exponential (`burst_len`, `burst_gap`). For each
 * packet the driver builds an skb like napi_alloc_skb() in 6.1:
 *   - the head (struct sk_buff, 232 bytes) from the "skbuff_head_cache"
 *     kmem_cache (created SLAB_HWCACHE_ALIGN like skb_init() if absent);
 *   - the data buffer of SKB_DATA_ALIGN(len + NET_SKB_PAD) +
 *     SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) bytes (NET_SKB_PAD 64,
 *     shared info 320) either from kmalloc (`data: kmalloc`) or carved from
 *     the queue's page-fragment cache (`data: frag`): order-3 compound pages
 *     (32 KiB, NETDEV_FRAG_PAGE_MAX_ORDER) tried with
 *     __GFP_COMP|__GFP_NOWARN|__GFP_NORETRY|__GFP_NOMEMALLOC and without
 *     direct reclaim, falling back to one order-0 page; each fragment holds
 *     a page reference (get_page / put_page). `data: auto` follows 6.1's
 *     napi_alloc_skb rule: kmalloc when len + NET_SKB_PAD <= 704 or > 3776
 *     (SKB_WITH_OVERHEAD of 1 KiB and of a page), fragments otherwise.
 * Both use `gfp` (GFP_ATOMIC); a failure drops the packet (rx_dropped), as a
 * driver does. A delivered skb lives for `lifetime` (until the socket reader
 * consumes it), then kfree_skb frees data and head. At most `max_live` skbs
 * are queued per RX queue (the receive buffer); beyond it the skb due first is freed early.
 *
 * Call sites in the kmem events are the kernel's (__alloc_skb, kfree_skbmem, ...).
 *
 * Simplified vs Linux: no NAPI skb cache (napi_skb_cache_get bulk-allocates
 * 16 heads at a time), no GRO, no page_pool recycling, and the NIC's DMA into
 * the buffer is charged as a cache-line write, not a device transfer.
 */
#include <stdlib.h>
#include <string.h>
#include "machine/cost.h"
#include "machine/cpu.h"
#include "mm/gfp.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "sim/stats.h"
#include "workloads/workload.h"

#define SKB_HEAD_SIZE       232u             /* sizeof(struct sk_buff), 6.1 x86-64 */
#define NET_SKB_PAD         64u
#define SKB_SHINFO_SIZE     320u             /* sizeof(struct skb_shared_info) */
#define SKB_DATA_ALIGN(x)   (((x) + 63u) & ~63u)
#define SKB_WITH_OVERHEAD(x) ((x) - SKB_DATA_ALIGN(SKB_SHINFO_SIZE))
#define FRAG_ORDER          3                /* NETDEV_FRAG_PAGE_MAX_ORDER */
#define DATA_IS_FRAG        1ul              /* low bit of the heap's aux */

enum { DATA_AUTO, DATA_KMALLOC, DATA_FRAG };

struct netrx_shared {
	const char *name;
	uint64_t *packets, *bytes, *drops, *head_fail, *data_fail, *frag_refills, *frag_fallbacks, *evicted;
	struct hist *lat;
	struct kmem_cache *skb_cache;
	unsigned long live;
	struct netrx_shared *next;
};

struct netrx_queue {
	struct netrx_shared *sh;
	struct rng rng;
	sim_time_t stop, mean_gap, burst_len, burst_gap;
	double burst_factor;
	int data_mode, node;
	gfp_t gfp;
	struct dist size, life;
	struct wl_heap heap;             /* live skbs: ptr = head, aux = data | DATA_IS_FRAG */
	/* page-fragment cache (struct page_frag_cache) */
	struct page *frag_page;
	unsigned frag_offset, frag_size;
};

static struct netrx_shared *netrx_list;

/* page_frag_alloc(): carve @sz bytes from the queue's cache, refilling it as needed. */
static unsigned long frag_alloc(struct netrx_queue *q, unsigned sz)
{
	if (!q->frag_page || q->frag_offset + sz > q->frag_size) {
		gfp_t g3 = (q->gfp & ~__GFP_DIRECT_RECLAIM) | __GFP_COMP | __GFP_NOWARN | __GFP_NORETRY |
			   __GFP_NOMEMALLOC;
		struct page *p = alloc_pages_node(q->node, g3, FRAG_ORDER);
		unsigned size = PAGE_SIZE << FRAG_ORDER;

		if (q->frag_page)
			put_page(q->frag_page);          /* the cache's own reference */
		q->frag_page = NULL;
		if (!p) {
			(*q->sh->frag_fallbacks)++;
			p = alloc_pages_node(q->node, q->gfp, 0);
			size = PAGE_SIZE;
		}
		if (!p)
			return 0;
		(*q->sh->frag_refills)++;
		q->frag_page = p;
		q->frag_offset = 0;
		q->frag_size = size;
		if (sz > size)
			return 0;
	}
	get_page(q->frag_page);
	q->frag_offset += sz;
	return page_address(q->frag_page) + q->frag_offset - sz;
}

static void skb_free(struct netrx_queue *q, void *head, uint64_t aux)
{
	unsigned long data = (unsigned long)(aux & ~DATA_IS_FRAG);

	if (aux & DATA_IS_FRAG)
		put_page(virt_to_page(data));                   /* skb_free_frag */
	else
		kfree_caller((void *)data, "skb_free_head");
	kmem_cache_free_caller(q->sh->skb_cache, head, "kfree_skbmem");
	q->sh->live--;
}

/* One received packet of @len bytes. */
static void netrx_packet(struct netrx_queue *q, unsigned len)
{
	struct netrx_shared *sh = q->sh;
	unsigned sz = SKB_DATA_ALIGN(len + NET_SKB_PAD) + SKB_DATA_ALIGN(SKB_SHINFO_SIZE);
	bool frag = q->data_mode == DATA_FRAG ||
		    (q->data_mode == DATA_AUTO && len + NET_SKB_PAD > SKB_WITH_OVERHEAD(1024) &&
		     len + NET_SKB_PAD <= SKB_WITH_OVERHEAD(PAGE_SIZE));
	sim_time_t t0 = sim_now();
	unsigned long data;
	void *head;
	struct wl_obj o;

	(*sh->packets)++;
	if (frag && sz > PAGE_SIZE << FRAG_ORDER)
		frag = false;
	data = frag ? frag_alloc(q, sz)
		    : (unsigned long)kmalloc_node_track_caller(sz, q->gfp, q->node, "__alloc_skb");
	if (!data) {
		(*sh->data_fail)++;
		(*sh->drops)++;
		return;
	}
	head = kmem_cache_alloc_caller(sh->skb_cache, q->gfp, q->node, frag ? "__napi_build_skb" : "__alloc_skb");
	hist_add(sh->lat, sim_now() - t0);
	if (!head) {
		(*sh->head_fail)++;
		(*sh->drops)++;
		if (frag)
			put_page(virt_to_page(data));
		else
			kfree_caller((void *)data, "skb_free_head");
		return;
	}
	(*sh->bytes) += len;
	sh->live++;
	mem_write((unsigned long)head, 192);          /* __build_skb_around clears the head */
	mem_read(data + NET_SKB_PAD, 64);             /* eth_type_trans reads the header */
	if (q->heap.n == q->heap.cap && wl_heap_pop(&q->heap, &o)) {
		(*sh->evicted)++;
		skb_free(q, o.ptr, o.aux);
	}
	wl_heap_push(&q->heap, sim_now() + (sim_time_t)dist_sample_u64(&q->life, &q->rng), head,
		     (uint64_t)data | (frag ? DATA_IS_FRAG : 0));
}

static void netrx_proc(void *arg)
{
	struct netrx_queue *q = arg;
	bool burst = false;
	sim_time_t phase_end = sim_now() + (q->burst_factor > 1 && q->burst_gap
					    ? (sim_time_t)rng_exponential(&q->rng, (double)q->burst_gap)
					    : SIM_TIME_MAX / 2);
	struct wl_obj o;

	while (wl_running(q->stop)) {
		double gap = rng_exponential(&q->rng, (double)q->mean_gap / (burst ? q->burst_factor : 1));
		sim_time_t next = sim_now() + (sim_time_t)gap + 1;

		/* Free what the socket reader consumed before the next packet arrives. */
		while (wl_heap_next(&q->heap) < next) {
			wl_sleep_until(wl_heap_next(&q->heap));
			while (wl_heap_pop_due(&q->heap, sim_now(), &o))
				skb_free(q, o.ptr, o.aux);
		}
		if (next >= phase_end) {                  /* memoryless: redraw in the new phase */
			wl_sleep_until(phase_end);
			burst = !burst;
			phase_end = sim_now() + (sim_time_t)rng_exponential(&q->rng,
								     (double)(burst ? q->burst_len : q->burst_gap)) + 1;
			continue;
		}
		wl_sleep_until(next);
		netrx_packet(q, (unsigned)dist_sample_u64(&q->size, &q->rng));
	}
}

static double gauge_live(void *ctx)
{
	return (double)((struct netrx_shared *)ctx)->live;
}

static const struct workload_param netrx_params[] = {
	{ "rate", CFG_UNIT_RATE, "200k/s", "packets per second, all queues together (Poisson)" },
	{ "queues", CFG_UNIT_NONE, "1", "RX queues: one NET_RX softirq process each, on the task's CPUs" },
	{ "burst_factor", CFG_UNIT_NONE, "10", "rate multiplier during a burst (1: no bursts)" },
	{ "burst_len", CFG_UNIT_TIME, "200us", "mean burst length (exponential)" },
	{ "burst_gap", CFG_UNIT_TIME, "2ms", "mean time between bursts (exponential)" },
	{ "size", CFG_UNIT_BYTES, "{dist: empirical, values: [[64, 45], [576, 10], [1500, 45]]}",
	  "packet length (bytes, 60..9000)", WP_DIST },
	{ "lifetime", CFG_UNIT_TIME, "{dist: exponential, mean: 100us}",
	  "time until the socket reader consumes the skb", WP_DIST },
	{ "data", CFG_UNIT_NONE, "auto", "data buffers: auto (napi_alloc_skb rule), kmalloc, or frag" },
	{ "gfp", CFG_UNIT_NONE, "GFP_ATOMIC", "GFP mask of heads and data" },
	{ "max_live", CFG_UNIT_NONE, "65536", "skbs queued per RX queue before the one due first is freed early" },
	{ NULL },
};

static int netrx_setup(struct cfg_node *task, const struct workload_env *env)
{
	static const char *const modes[] = { "auto", "kmalloc", "frag", NULL };
	const struct workload_type *T = &workload_netrx;
	/* Nothing is allocated for a task the kernel model cannot run. */
	struct netrx_shared *sh = wl_require_kernel(task, T) < 0 ? NULL : calloc(1, sizeof(*sh));
	uint64_t rate = workload_u64(task, T, "rate", 1, 1000000000);
	uint64_t queues = workload_u64(task, T, "queues", 1, 1024);
	double factor = workload_double(task, T, "burst_factor", 1, 1e6);
	sim_time_t blen = workload_u64(task, T, "burst_len", 1, UINT64_MAX / 4);
	sim_time_t bgap = workload_u64(task, T, "burst_gap", 1, UINT64_MAX / 4);
	uint64_t max_live = workload_u64(task, T, "max_live", 1, 1 << 24);
	int mode = cfg_enum(task, "data", modes, DATA_AUTO);
	gfp_t gfp;
	struct dist size, life;

	if (!sh || wl_gfp(task, T, "gfp", &gfp) < 0 ||
	    workload_dist(task, T, "size", 60, 9000, &size) < 0 ||
	    workload_dist(task, T, "lifetime", 0, 1e18, &life) < 0)
		return -1;
	if (cfg_failed(cfg_doc(task)))
		return -1;
	if (wl_require_slab(task, T) < 0)
		return -1;
	sh->skb_cache = kmem_cache_find("skbuff_head_cache");
	if (!sh->skb_cache)
		sh->skb_cache = kmem_cache_create("skbuff_head_cache", SKB_HEAD_SIZE, 0, SLAB_HWCACHE_ALIGN, NULL);
	if (!sh->skb_cache) {
		cfg_fail(cfg_doc(task), task, "workload", "netrx: cannot create skbuff_head_cache");
		return -1;
	}
	sh->name = strdup(env->task_name);
	sh->packets = wl_counter(env, "packets", "packets", "packets received");
	sh->bytes = wl_counter(env, "bytes", "bytes", "bytes of packets delivered");
	sh->drops = wl_counter(env, "rx_dropped", "packets", "packets dropped: skb allocation failed");
	sh->head_fail = wl_counter(env, "head_alloc_fail", "allocs", "skbuff_head_cache allocations that failed");
	sh->data_fail = wl_counter(env, "data_alloc_fail", "allocs", "data buffer allocations that failed");
	sh->frag_refills = wl_counter(env, "frag_refills", "pages", "page-fragment cache refills");
	sh->frag_fallbacks = wl_counter(env, "frag_order3_fail", "allocs",
					"order-3 fragment pages that failed (fell back to order 0)");
	sh->evicted = wl_counter(env, "rcvbuf_evicted", "skbs", "skbs freed early because max_live was reached");
	sh->lat = wl_hist(env, "alloc_latency", "ps", "time to allocate one skb (data + head)");
	{
		char name[192];

		stat_gauge(wl_stat_name(env, "live_skbs", name, sizeof(name)), "skbs",
			   "skbs allocated and not yet consumed", STAT_SAMPLED, gauge_live, sh);
	}
	for (uint64_t i = 0; i < queues; i++) {
		struct netrx_queue *q = calloc(1, sizeof(*q));

		if (!q || wl_heap_init(&q->heap, (unsigned)max_live) < 0)
			return -1;
		q->sh = sh;
		wl_rng(&q->rng, env, (int)i);
		q->stop = env->stop;
		q->mean_gap = SIM_SEC * queues / rate;
		q->burst_factor = factor;
		q->burst_len = blen;
		q->burst_gap = bgap;
		q->data_mode = mode;
		q->node = env->node;
		q->gfp = gfp;
		q->size = size;
		q->life = life;
		if (!wl_spawn(env, (int)i, env->context, netrx_proc, q,
			      env->context == CTX_TASK ? wl_task_new(env, (int)i) : NULL))
			return -1;
	}
	sh->next = netrx_list;
	netrx_list = sh;
	return 0;
}

static void netrx_report(FILE *out)
{
	for (struct netrx_shared *sh = netrx_list; sh; sh = sh->next)
		fprintf(out, "%s: %llu packets, %llu dropped (head %llu, data %llu failures), "
			"%llu fragment refills (%llu order-3 failures), alloc p99 %.2f us\n",
			sh->name, (unsigned long long)*sh->packets, (unsigned long long)*sh->drops,
			(unsigned long long)*sh->head_fail, (unsigned long long)*sh->data_fail,
			(unsigned long long)*sh->frag_refills, (unsigned long long)*sh->frag_fallbacks,
			(double)hist_percentile(sh->lat, 99) / 1e6);
}

const struct workload_type workload_netrx = {
	.name = "netrx",
	.desc = "packet receive in softirq: skb heads from skbuff_head_cache + data from kmalloc or page "
		"fragments with GFP_ATOMIC, bursty Poisson arrivals, freed after a lifetime",
	.params = netrx_params,
	.setup = netrx_setup,
	.report = netrx_report,
	.context = CTX_SOFTIRQ,
};
