/* SPDX-License-Identifier: MIT */
/*
 * traces/parse.c — one zero-copy line parser for the three text layouts
 * Linux memory-allocator traces come in:
 *
 *   ftrace   "<comm>-<pid> [cpu] <flags> <secs>.<usecs>: <event>: k=v ..."
 *   trace-cmd report  same, flags column optional, event name padded
 *   perf script       "<comm> <pid> [cpu] <secs>.<usecs>: <sys>:<event>: k=v ..."
 *
 * Layout rules (formats-and-conventions §1, linux-mm-facts §14):
 *  - comm may contain spaces, ':' and '-': the [cpu] column is found first
 *    (the first "[digits]" preceded by blank), then the pid is the run of
 *    digits just before it, after '-' (ftrace) or a blank (perf). An optional
 *    record-tgid column "(1234)" / "(-------)" before [cpu] is skipped.
 *  - the flags column has 4 or 5 characters: irqs (d/D off, b BH off, X, .),
 *    need-resched, context (h/H hardirq, s softirq, z/Z NMI), preempt depth,
 *    migrate-disable. It may be absent (old trace-cmd, perf).
 *  - timestamp "secs.frac:" with 6 (µs) or 9 (ns) fraction digits.
 *  - event name optionally prefixed by its system ("kmem:") and padded.
 *  - fields are key=value (mark_victim also uses key:value and "kB"
 *    suffixes); keys unknown to us and tokens without '=' are ignored,
 *    values of known keys must parse. pfn is decimal or 0x hex; pointers
 *    are hashed (16 hex digits), 0x-prefixed or bare hex; call_site is hex
 *    or "sym+0xoff/0xlen"; GFP masks accept every spelling mm/gfp.h parses
 *    (old "GFP_ZERO" as well as "__GFP_ZERO", raw 0x masks).
 *  - skipped lines: blank, '#' headers, trace-cmd preamble ("version = 6",
 *    "cpus=4", "CPU 3 is empty"), perf -g call-chain frames (indented lines
 *    starting with a hex address), "CPU:n [LOST n EVENTS]" markers.
 *
 * Nothing is copied or allocated per line: string fields are slices of the
 * input. Event names and keys are identified by switching on their length
 * and comparing bytes. GFP strings are decoded once and remembered in a
 * small table compared by length and bytes (traces use a handful of
 * distinct masks), so the common case is one memcmp.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "traces/trace.h"

/* --- event table ------------------------------------------------------------ */

static const struct {
	const char *name, *system;
} tev_tab[TEV__NR] = {
	[TEV_NONE] = { "none", "" },
	[TEV_KMALLOC] = { "kmalloc", "kmem" },
	[TEV_KMALLOC_NODE] = { "kmalloc_node", "kmem" },
	[TEV_KMEM_CACHE_ALLOC] = { "kmem_cache_alloc", "kmem" },
	[TEV_KMEM_CACHE_ALLOC_NODE] = { "kmem_cache_alloc_node", "kmem" },
	[TEV_KFREE] = { "kfree", "kmem" },
	[TEV_KMEM_CACHE_FREE] = { "kmem_cache_free", "kmem" },
	[TEV_MM_PAGE_ALLOC] = { "mm_page_alloc", "kmem" },
	[TEV_MM_PAGE_FREE] = { "mm_page_free", "kmem" },
	[TEV_MM_PAGE_FREE_BATCHED] = { "mm_page_free_batched", "kmem" },
	[TEV_MM_PAGE_ALLOC_ZONE_LOCKED] = { "mm_page_alloc_zone_locked", "kmem" },
	[TEV_MM_PAGE_PCPU_DRAIN] = { "mm_page_pcpu_drain", "kmem" },
	[TEV_MM_PAGE_ALLOC_EXTFRAG] = { "mm_page_alloc_extfrag", "kmem" },
	[TEV_PERCPU_ALLOC_PERCPU] = { "percpu_alloc_percpu", "percpu" },
	[TEV_PERCPU_FREE_PERCPU] = { "percpu_free_percpu", "percpu" },
	[TEV_VMSCAN_KSWAPD_WAKE] = { "mm_vmscan_kswapd_wake", "vmscan" },
	[TEV_VMSCAN_KSWAPD_SLEEP] = { "mm_vmscan_kswapd_sleep", "vmscan" },
	[TEV_VMSCAN_WAKEUP_KSWAPD] = { "mm_vmscan_wakeup_kswapd", "vmscan" },
	[TEV_VMSCAN_DIRECT_RECLAIM_BEGIN] = { "mm_vmscan_direct_reclaim_begin", "vmscan" },
	[TEV_VMSCAN_DIRECT_RECLAIM_END] = { "mm_vmscan_direct_reclaim_end", "vmscan" },
	[TEV_COMPACTION_BEGIN] = { "mm_compaction_begin", "compaction" },
	[TEV_COMPACTION_END] = { "mm_compaction_end", "compaction" },
	[TEV_MARK_VICTIM] = { "mark_victim", "oom" },
	[TEV_RECLAIM_RETRY_ZONE] = { "reclaim_retry_zone", "oom" },
	[TEV_OTHER] = { "other", "-" },
};

const char *tev_name(enum tev t)
{
	return (unsigned)t < TEV__NR ? tev_tab[t].name : "?";
}

const char *tev_system(enum tev t)
{
	return (unsigned)t < TEV__NR ? tev_tab[t].system : "?";
}

#define EQ(p, lit) (memcmp((p), lit, sizeof(lit) - 1) == 0)

/* Identify an event name: switch on its length, then compare bytes. */
static enum tev event_lookup(const char *s, size_t n)
{
	switch (n) {
	case 5: if (EQ(s, "kfree")) return TEV_KFREE; break;
	case 7: if (EQ(s, "kmalloc")) return TEV_KMALLOC; break;
	case 11: if (EQ(s, "mark_victim")) return TEV_MARK_VICTIM; break;
	case 12:
		if (EQ(s, "mm_page_free")) return TEV_MM_PAGE_FREE;
		if (EQ(s, "kmalloc_node")) return TEV_KMALLOC_NODE;
		break;
	case 13: if (EQ(s, "mm_page_alloc")) return TEV_MM_PAGE_ALLOC; break;
	case 15: if (EQ(s, "kmem_cache_free")) return TEV_KMEM_CACHE_FREE; break;
	case 16: if (EQ(s, "kmem_cache_alloc")) return TEV_KMEM_CACHE_ALLOC; break;
	case 17: if (EQ(s, "mm_compaction_end")) return TEV_COMPACTION_END; break;
	case 18:
		if (EQ(s, "mm_page_pcpu_drain")) return TEV_MM_PAGE_PCPU_DRAIN;
		if (EQ(s, "percpu_free_percpu")) return TEV_PERCPU_FREE_PERCPU;
		if (EQ(s, "reclaim_retry_zone")) return TEV_RECLAIM_RETRY_ZONE;
		break;
	case 19:
		if (EQ(s, "percpu_alloc_percpu")) return TEV_PERCPU_ALLOC_PERCPU;
		if (EQ(s, "mm_compaction_begin")) return TEV_COMPACTION_BEGIN;
		break;
	case 20: if (EQ(s, "mm_page_free_batched")) return TEV_MM_PAGE_FREE_BATCHED; break;
	case 21:
		if (EQ(s, "kmem_cache_alloc_node")) return TEV_KMEM_CACHE_ALLOC_NODE;
		if (EQ(s, "mm_page_alloc_extfrag")) return TEV_MM_PAGE_ALLOC_EXTFRAG;
		if (EQ(s, "mm_vmscan_kswapd_wake")) return TEV_VMSCAN_KSWAPD_WAKE;
		break;
	case 22: if (EQ(s, "mm_vmscan_kswapd_sleep")) return TEV_VMSCAN_KSWAPD_SLEEP; break;
	case 23: if (EQ(s, "mm_vmscan_wakeup_kswapd")) return TEV_VMSCAN_WAKEUP_KSWAPD; break;
	case 25: if (EQ(s, "mm_page_alloc_zone_locked")) return TEV_MM_PAGE_ALLOC_ZONE_LOCKED; break;
	case 28: if (EQ(s, "mm_vmscan_direct_reclaim_end")) return TEV_VMSCAN_DIRECT_RECLAIM_END; break;
	case 30: if (EQ(s, "mm_vmscan_direct_reclaim_begin")) return TEV_VMSCAN_DIRECT_RECLAIM_BEGIN; break;
	}
	return TEV_OTHER;
}

/* Field keys we interpret. */
enum fkey {
	K_IGNORE, K_CALL_SITE, K_PTR, K_BYTES_REQ, K_BYTES_ALLOC, K_GFP, K_NODE, K_ACCOUNTED,
	K_NAME, K_PAGE, K_PFN, K_ORDER, K_MIGRATETYPE, K_NID, K_NR_RECLAIMED, K_PID, K_COMM,
	K_SIZE, K_ALIGN, K_BASE_ADDR, K_OFF, K_STATUS, K_RESERVED, K_IS_ATOMIC,
};

static enum fkey key_lookup(const char *s, size_t n)
{
	switch (n) {
	case 3:
		if (EQ(s, "ptr")) return K_PTR;
		if (EQ(s, "pfn")) return K_PFN;
		if (EQ(s, "nid")) return K_NID;
		if (EQ(s, "pid")) return K_PID;
		if (EQ(s, "off")) return K_OFF;
		break;
	case 4:
		if (EQ(s, "node")) return K_NODE;
		if (EQ(s, "name")) return K_NAME;
		if (EQ(s, "page")) return K_PAGE;
		if (EQ(s, "comm")) return K_COMM;
		if (EQ(s, "size")) return K_SIZE;
		break;
	case 5:
		if (EQ(s, "order")) return K_ORDER;
		if (EQ(s, "align")) return K_ALIGN;
		break;
	case 6: if (EQ(s, "status")) return K_STATUS; break;
	case 8: if (EQ(s, "reserved")) return K_RESERVED; break;
	case 9:
		if (EQ(s, "call_site")) return K_CALL_SITE;
		if (EQ(s, "bytes_req")) return K_BYTES_REQ;
		if (EQ(s, "gfp_flags")) return K_GFP;
		if (EQ(s, "accounted")) return K_ACCOUNTED;
		if (EQ(s, "base_addr")) return K_BASE_ADDR;
		if (EQ(s, "is_atomic")) return K_IS_ATOMIC;
		break;
	case 11:
		if (EQ(s, "bytes_alloc")) return K_BYTES_ALLOC;
		if (EQ(s, "migratetype")) return K_MIGRATETYPE;
		if (EQ(s, "alloc_order")) return K_ORDER;
		break;
	case 12: if (EQ(s, "nr_reclaimed")) return K_NR_RECLAIMED; break;
	case 17: if (EQ(s, "alloc_migratetype")) return K_MIGRATETYPE; break;
	}
	return K_IGNORE;
}

/* --- value decoders (bounded, no NUL needed) ----------------------------------- */

static const signed char hexval[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
	['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};
#define HEX(c) (hexval[(unsigned char)(c)] - 1)          /* -1 if not a hex digit */

static inline bool is_digit(char c) { return (unsigned char)(c - '0') < 10; }
static inline bool is_blank(char c) { return c == ' ' || c == '\t'; }

static bool dec_u64(const char *s, const char *e, uint64_t *out)
{
	uint64_t v = 0;

	if (s >= e || e - s > 20)
		return false;
	for (; s < e; s++) {
		if (!is_digit(*s))
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return true;
}

static bool hex_u64(const char *s, const char *e, uint64_t *out)
{
	uint64_t v = 0;

	if (e - s >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (s >= e || e - s > 16)
		return false;
	for (; s < e; s++) {
		int d = HEX(*s);

		if (d < 0)
			return false;
		v = (v << 4) | (uint64_t)d;
	}
	*out = v;
	return true;
}

/* Decimal, or hex with 0x. */
static bool num_u64(const char *s, const char *e, uint64_t *out)
{
	if (e - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return hex_u64(s, e, out);
	return dec_u64(s, e, out);
}

static bool num_int(const char *s, const char *e, int *out)
{
	bool neg = s < e && *s == '-';
	uint64_t v;

	if (!num_u64(s + neg, e, &v) || v > 0x7fffffffu)
		return false;
	*out = neg ? -(int)v : (int)v;
	return true;
}

/* Pointers: hashed 16 hex digits, 0x..., bare hex, "(null)" / "(nil)". */
static bool ptr_u64(const char *s, const char *e, uint64_t *out)
{
	if (e - s >= 5 && s[0] == '(') {           /* (null) / (nil) / (____ptrval____) */
		*out = 0;
		return true;
	}
	return hex_u64(s, e, out);
}

/* --- GFP strings: decode once, remember by bytes ------------------------------- */

#define GFP_CACHE_N      64
#define GFP_CACHE_STRLEN 200

static struct gfp_cache_ent {
	uint16_t len;
	gfp_t val;
	char str[GFP_CACHE_STRLEN];
} gfp_cache[GFP_CACHE_N];
static int gfp_cache_n;
static int gfp_cache_last;

static bool gfp_decode_slow(const char *s, const char *e, gfp_t *out)
{
	gfp_t v = 0;

	if (e - s == 4 && EQ(s, "none")) {
		*out = 0;
		return true;
	}
	while (s < e) {
		const char *t = s;
		uint64_t x;

		while (t < e && *t != '|')
			t++;
		while (s < t && is_blank(*s))
			s++;
		const char *te = t;
		while (te > s && is_blank(te[-1]))
			te--;
		if (te == s)
			return false;
		if (is_digit(*s)) {
			if (!num_u64(s, te, &x) || x > 0xffffffffu)
				return false;
			v |= (gfp_t)x;
		} else {
			long m = gfp_name_lookup(s, (size_t)(te - s));

			if (m < 0)
				return false;
			v |= (gfp_t)m;
		}
		s = t < e ? t + 1 : t;
		if (t < e && s == e)
			return false;           /* trailing '|' */
	}
	*out = v;
	return true;
}

static bool gfp_decode(const char *s, const char *e, gfp_t *out)
{
	size_t n = (size_t)(e - s);
	struct gfp_cache_ent *c = &gfp_cache[gfp_cache_last];

	if (c->len == n && n && memcmp(c->str, s, n) == 0) {
		*out = c->val;
		return true;
	}
	for (int i = 0; i < gfp_cache_n; i++) {
		c = &gfp_cache[i];
		if (c->len == n && memcmp(c->str, s, n) == 0) {
			gfp_cache_last = i;
			*out = c->val;
			return true;
		}
	}
	if (!gfp_decode_slow(s, e, out))
		return false;
	if (gfp_cache_n < GFP_CACHE_N && n && n < GFP_CACHE_STRLEN) {
		c = &gfp_cache[gfp_cache_n];
		memcpy(c->str, s, n);
		c->len = (uint16_t)n;
		c->val = *out;
		gfp_cache_last = gfp_cache_n++;
	}
	return true;
}

/* --- the line parser ------------------------------------------------------------- */

static const char *str_find(const char *s, const char *e, const char *lit, size_t n)
{
	for (; s + n <= e; s++)
		if (*s == *lit && memcmp(s, lit, n) == 0)
			return s;
	return NULL;
}

static int skip_as(int *skip, int why)
{
	if (skip)
		*skip = why;
	return TP_SKIP;
}

static int bad(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return TP_MALFORMED;
}

/* Is the token at [s, e) a call-chain frame address (hex digits only)? */
static bool is_hex_token(const char *s, const char *e)
{
	const char *t = s;

	while (t < e && !is_blank(*t))
		t++;
	if (t == s || t - s > 18)
		return false;
	for (const char *q = s; q < t; q++)
		if (HEX(*q) < 0)
			return false;
	return true;
}

/* Required fields per event (missing → malformed). */
static bool has_required(const struct trace_rec *r, const char **why)
{
	uint32_t h = r->have;

	switch (r->type) {
	case TEV_KMALLOC: case TEV_KMALLOC_NODE: case TEV_KMEM_CACHE_ALLOC: case TEV_KMEM_CACHE_ALLOC_NODE:
		if (!(h & TF_PTR)) { *why = "expected ptr= in a slab allocation event"; return false; }
		if (!(h & TF_BYTES_ALLOC)) { *why = "expected bytes_alloc="; return false; }
		if (!(h & TF_GFP)) { *why = "expected gfp_flags="; return false; }
		return true;
	case TEV_KFREE: case TEV_KMEM_CACHE_FREE: case TEV_PERCPU_ALLOC_PERCPU: case TEV_PERCPU_FREE_PERCPU:
		if (!(h & TF_PTR)) { *why = "expected ptr="; return false; }
		return true;
	case TEV_MM_PAGE_ALLOC:
		if (!(h & (TF_PFN | TF_PAGE))) { *why = "expected pfn= or page="; return false; }
		if (!(h & TF_ORDER)) { *why = "expected order="; return false; }
		if (!(h & TF_GFP)) { *why = "expected gfp_flags="; return false; }
		return true;
	case TEV_MM_PAGE_FREE: case TEV_MM_PAGE_ALLOC_ZONE_LOCKED: case TEV_MM_PAGE_PCPU_DRAIN:
		if (!(h & (TF_PFN | TF_PAGE))) { *why = "expected pfn= or page="; return false; }
		if (!(h & TF_ORDER)) { *why = "expected order="; return false; }
		return true;
	case TEV_MM_PAGE_FREE_BATCHED: case TEV_MM_PAGE_ALLOC_EXTFRAG:
		if (!(h & (TF_PFN | TF_PAGE))) { *why = "expected pfn= or page="; return false; }
		return true;
	case TEV_VMSCAN_KSWAPD_WAKE: case TEV_VMSCAN_KSWAPD_SLEEP:
		if (!(h & TF_NID)) { *why = "expected nid="; return false; }
		return true;
	case TEV_VMSCAN_WAKEUP_KSWAPD:
		if (!(h & TF_NID) || !(h & TF_GFP)) { *why = "expected nid= and gfp_flags="; return false; }
		return true;
	case TEV_VMSCAN_DIRECT_RECLAIM_BEGIN:
		if (!(h & TF_GFP)) { *why = "expected gfp_flags="; return false; }
		return true;
	case TEV_VMSCAN_DIRECT_RECLAIM_END:
		if (!(h & TF_NR_RECLAIMED)) { *why = "expected nr_reclaimed="; return false; }
		return true;
	case TEV_MARK_VICTIM:
		if (!(h & TF_PID)) { *why = "expected pid="; return false; }
		return true;
	default:
		return true;
	}
}

int trace_parse_line(const char *line, size_t len, struct trace_rec *rec,
		     const char **why, int *skip)
{
	const char *p = line, *e = line + len, *b, *q;
	const char *msg = NULL;

	while (e > p && (e[-1] == '\r' || e[-1] == '\n' || is_blank(e[-1])))
		e--;
	while (p < e && is_blank(*p))
		p++;
	if (p == e)
		return skip_as(skip, TPS_BLANK);
	if (*p == '#')
		return skip_as(skip, TPS_COMMENT);

	/* The [cpu] column: the first '[' + digits + ']' preceded by a blank (or at the start). */
	for (b = p; b < e; b++) {
		if (*b != '[' || (b > p && !is_blank(b[-1])))
			continue;
		q = b + 1;
		while (q < e && is_digit(*q))
			q++;
		if (q > b + 1 && q < e && *q == ']')
			break;
	}
	if (b >= e) {
		/* Not an event line: preamble, call chain, lost events, or garbage. */
		if (p > line && is_hex_token(p, e))
			return skip_as(skip, TPS_CALLCHAIN);
		if ((e - p >= 10 && EQ(p, "version = ")) || (e - p >= 5 && EQ(p, "cpus=")))
			return skip_as(skip, TPS_PREAMBLE);
		if (e - p >= 4 && EQ(p, "CPU") && str_find(p, e, "is empty", 8))
			return skip_as(skip, TPS_PREAMBLE);
		if (e - p >= 4 && EQ(p, "CPU") && str_find(p, e, "LOST", 4))
			return skip_as(skip, TPS_LOST);
		return bad(why, "expected 'comm-pid [cpu] flags secs.usecs: event: fields'");
	}

	memset(rec, 0, sizeof(*rec));
	rec->node = -1;
	rec->pid = -1;
	rec->vpid = -1;

	/* comm-pid before the [cpu] column. */
	{
		const char *ce = b;

		while (ce > p && is_blank(ce[-1]))
			ce--;
		if (ce > p && ce[-1] == ')') {                /* record-tgid "(1234)" */
			const char *o = ce - 1;

			while (o > p && *o != '(')
				o--;
			if (*o == '(') {
				ce = o;
				while (ce > p && is_blank(ce[-1]))
					ce--;
			}
		}
		if (ce > p) {
			const char *d = ce;
			uint64_t pid;

			while (d > p && is_digit(d[-1]))
				d--;
			if (d > p && d[-1] == '/') {           /* perf "pid/tid" */
				const char *d2 = d - 1;

				while (d2 > p && is_digit(d2[-1]))
					d2--;
				if (d2 < d - 1) {
					ce = d - 1;
					d = d2;
				}
			}
			if (d == ce || !dec_u64(d, ce, &pid) || pid > 0x7fffffff)
				return bad(why, "expected comm-pid before the [cpu] column");
			rec->pid = (int)pid;
			if (d > p && d[-1] == '-') {
				rec->comm.s = p;
				rec->comm.len = (uint32_t)(d - 1 - p);
			} else {
				const char *cend = d;

				while (cend > p && is_blank(cend[-1]))
					cend--;
				rec->comm.s = p;
				rec->comm.len = (uint32_t)(cend - p);
			}
		}
	}

	/* [cpu] */
	{
		uint64_t cpu;

		q = b + 1;
		while (*q != ']')
			q++;
		if (!dec_u64(b + 1, q, &cpu) || cpu > 1000000)
			return bad(why, "expected a CPU number in [cpu]");
		rec->cpu = (int)cpu;
		p = q + 1;
	}

	/* Optional flags column, then the timestamp. */
	while (p < e && is_blank(*p))
		p++;
	q = p;
	while (q < e && !is_blank(*q))
		q++;
	if (q == p)
		return bad(why, "expected a timestamp after [cpu]");
	if (q[-1] != ':') {
		size_t n = (size_t)(q - p);

		if (n != 4 && n != 5)
			return bad(why, "expected a 4 or 5 character flags column or a timestamp");
		rec->has_flags = true;
		rec->irqs_off = p[0] == 'd' || p[0] == 'D';
		switch (p[2]) {
		case 'h': case 'H': rec->ctx = TREC_HARDIRQ; break;
		case 's': rec->ctx = TREC_SOFTIRQ; break;
		case 'z': case 'Z': rec->ctx = TREC_NMI; break;
		default: rec->ctx = TREC_TASK; break;
		}
		p = q;
		while (p < e && is_blank(*p))
			p++;
		q = p;
		while (q < e && !is_blank(*q))
			q++;
		if (q == p || q[-1] != ':')
			return bad(why, "expected a timestamp 'secs.usecs:'");
	}
	{
		const char *te = q - 1, *dot = p;
		uint64_t secs, frac = 0;

		while (dot < te && *dot != '.')
			dot++;
		if (!dec_u64(p, dot, &secs) || secs > 1000000000000ull)
			return bad(why, "expected a timestamp 'secs.usecs:'");
		if (dot < te) {
			size_t nd = (size_t)(te - dot - 1);

			if (nd == 0 || nd > 9 || !dec_u64(dot + 1, te, &frac))
				return bad(why, "expected a timestamp 'secs.usecs:'");
			for (size_t i = nd; i < 9; i++)
				frac *= 10;
			rec->ts_ns = secs * 1000000000ull + frac;
		} else {
			rec->ts_ns = secs;                     /* raw counter clock */
		}
		p = q;
	}

	/* Event name, optionally "sys:" prefixed and padded. */
	while (p < e && is_blank(*p))
		p++;
	q = p;
	while (q < e && *q != ':' && !is_blank(*q))
		q++;
	if (q == p || q >= e || *q != ':')
		return bad(why, "expected 'event:' after the timestamp");
	if (q + 1 < e && !is_blank(q[1])) {                 /* perf "kmem:kmalloc:" */
		p = q + 1;
		q = p;
		while (q < e && *q != ':' && !is_blank(*q))
			q++;
		if (q == p || q >= e || *q != ':')
			return bad(why, "expected 'sys:event:' after the timestamp");
	}
	rec->event.s = p;
	rec->event.len = (uint32_t)(q - p);
	rec->type = event_lookup(p, (size_t)(q - p));
	p = q + 1;
	if (rec->type == TEV_OTHER)
		return TP_EVENT;

	/* key=value fields. */
	while (p < e) {
		const char *k, *ke, *v, *ve;
		enum fkey key;

		while (p < e && is_blank(*p))
			p++;
		if (p >= e)
			break;
		k = p;
		while (p < e && *p != '=' && *p != ':' && !is_blank(*p))
			p++;
		ke = p;
		if (p >= e || is_blank(*p))
			continue;                          /* a token without '=': ignore */
		v = ++p;
		while (p < e && !is_blank(*p))
			p++;
		ve = p;
		if (ve > v && ve[-1] == ',')
			ve--;
		key = key_lookup(k, (size_t)(ke - k));
		switch (key) {
		case K_IGNORE:
			break;
		case K_CALL_SITE:
			rec->call_sym.s = v;
			rec->call_sym.len = (uint32_t)(ve - v);
			if (!hex_u64(v, ve, &rec->call_site))
				rec->call_site = 0;
			if (ve == v)
				return bad(why, "expected a value after call_site=");
			rec->have |= TF_CALL_SITE;
			break;
		case K_PTR:
			if (!ptr_u64(v, ve, &rec->ptr))
				return bad(why, "expected a hex pointer after ptr=");
			rec->have |= TF_PTR;
			break;
		case K_PAGE:
			if (!ptr_u64(v, ve, &rec->page))
				return bad(why, "expected a hex pointer after page=");
			rec->have |= TF_PAGE;
			break;
		case K_BASE_ADDR:
			if (!ptr_u64(v, ve, &rec->base_addr))
				return bad(why, "expected a hex pointer after base_addr=");
			rec->have |= TF_BASE_ADDR;
			break;
		case K_BYTES_REQ:
			if (!dec_u64(v, ve, &rec->bytes_req))
				return bad(why, "expected a decimal byte count after bytes_req=");
			rec->have |= TF_BYTES_REQ;
			break;
		case K_BYTES_ALLOC:
			if (!dec_u64(v, ve, &rec->bytes_alloc))
				return bad(why, "expected a decimal byte count after bytes_alloc=");
			rec->have |= TF_BYTES_ALLOC;
			break;
		case K_SIZE:
			if (!dec_u64(v, ve, &rec->size))
				return bad(why, "expected a decimal size after size=");
			rec->have |= TF_SIZE;
			break;
		case K_ALIGN:
			if (!dec_u64(v, ve, &rec->align))
				return bad(why, "expected a decimal alignment after align=");
			rec->have |= TF_ALIGN;
			break;
		case K_NR_RECLAIMED:
			if (!dec_u64(v, ve, &rec->nr_reclaimed))
				return bad(why, "expected a number after nr_reclaimed=");
			rec->have |= TF_NR_RECLAIMED;
			break;
		case K_GFP:
			if (!gfp_decode(v, ve, &rec->gfp))
				return bad(why, "expected GFP flags like GFP_KERNEL|__GFP_ZERO after gfp_flags=");
			rec->have |= TF_GFP;
			break;
		case K_NODE:
			if (!num_int(v, ve, &rec->node))
				return bad(why, "expected a node number after node=");
			rec->have |= TF_NODE;
			break;
		case K_ACCOUNTED:
			if (ve - v == 4 && EQ(v, "true"))
				rec->accounted = true;
			else if (ve - v == 5 && EQ(v, "false"))
				rec->accounted = false;
			else if (ve - v == 1 && (*v == '0' || *v == '1'))
				rec->accounted = *v == '1';
			else
				return bad(why, "expected true or false after accounted=");
			rec->have |= TF_ACCOUNTED;
			break;
		case K_NAME:
		case K_COMM:
			rec->name.s = v;
			rec->name.len = (uint32_t)(ve - v);
			rec->have |= TF_NAME;
			break;
		case K_STATUS:
			rec->status.s = v;
			rec->status.len = (uint32_t)(ve - v);
			rec->have |= TF_STATUS;
			break;
		case K_PFN:
			if (!num_u64(v, ve, &rec->pfn))
				return bad(why, "expected a decimal or 0x pfn after pfn=");
			rec->have |= TF_PFN;
			break;
		case K_ORDER:
			if (!num_int(v, ve, &rec->order) || rec->order > 63)
				return bad(why, "expected an order after order=");
			rec->have |= TF_ORDER;
			break;
		case K_MIGRATETYPE:
			if (!num_int(v, ve, &rec->migratetype))
				return bad(why, "expected a number after migratetype=");
			rec->have |= TF_MIGRATETYPE;
			break;
		case K_NID:
			if (!num_int(v, ve, &rec->nid))
				return bad(why, "expected a node id after nid=");
			rec->have |= TF_NID;
			break;
		case K_PID:
			if (!num_int(v, ve, &rec->vpid))
				return bad(why, "expected a pid after pid=");
			rec->have |= TF_PID;
			break;
		case K_RESERVED:
		case K_IS_ATOMIC:
			if (ve - v != 1 || (*v != '0' && *v != '1'))
				return bad(why, "expected 0 or 1 after reserved= / is_atomic=");
			if (key == K_RESERVED)
				rec->reserved = *v == '1';
			else
				rec->is_atomic = *v == '1';
			break;
		case K_OFF: {
			int off;

			if (!num_int(v, ve, &off))
				return bad(why, "expected an offset after off=");
			rec->off = off;
			rec->have |= TF_OFF;
			break;
		}
		}
	}
	if (rec->type == TEV_MM_PAGE_FREE_BATCHED && !(rec->have & TF_ORDER))
		rec->have |= TF_ORDER;                  /* order=0 by definition */
	/* perf prints page= as the pfn in hex on old kernels; use it when pfn= is absent. */
	if (!(rec->have & TF_PFN) && (rec->have & TF_PAGE)) {
		rec->pfn = rec->page;
		rec->have |= TF_PFN;
	}
	if (!has_required(rec, &msg))
		return bad(why, msg);
	return TP_EVENT;
}

/* --- reader ------------------------------------------------------------------------ */

struct trace_reader {
	char name[256];
	const char *buf;
	size_t len, pos;
	void *map;                     /* munmap on close */
	size_t map_len;
	char *owned;                   /* streaming buffer (pipes) */
	size_t cap;
	int fd;                        /* pipes: read as we go; -1 otherwise */
	bool eof;
	uint64_t lineno;
	uint64_t prev_ts;
	char err[256];
	struct trace_parse_stats st;
};

static struct trace_reader *reader_new(const char *name)
{
	struct trace_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	snprintf(r->name, sizeof(r->name), "%s", name ? name : "(memory)");
	r->st.max_cpu = -1;
	r->fd = -1;
	return r;
}

struct trace_reader *trace_reader_open_mem(const char *buf, size_t len, const char *name)
{
	struct trace_reader *r = reader_new(name);

	if (!r)
		return NULL;
	r->buf = buf;
	r->len = len;
	return r;
}

struct trace_reader *trace_reader_open(const char *path, char *err, size_t errlen)
{
	struct trace_reader *r;
	struct stat sb;
	int fd;

	fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) < 0) {
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (S_ISDIR(sb.st_mode)) {
		if (err && errlen)
			snprintf(err, errlen, "%s: is a directory, expected a trace file", path);
		close(fd);
		return NULL;
	}
	r = reader_new(path);
	if (!r) {
		close(fd);
		return NULL;
	}
	if (S_ISREG(sb.st_mode) && sb.st_size > 0) {
		void *m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);

		if (m != MAP_FAILED) {
			madvise(m, (size_t)sb.st_size, MADV_SEQUENTIAL);
			r->map = m;
			r->map_len = (size_t)sb.st_size;
			r->buf = m;
			r->len = (size_t)sb.st_size;
			close(fd);
			return r;
		}
	}
	/* Pipe (or mmap failure): stream through a buffer refilled as lines are consumed. */
	r->cap = 1 << 20;
	r->owned = malloc(r->cap);
	if (!r->owned) {
		if (err && errlen)
			snprintf(err, errlen, "%s: out of memory", path);
		free(r);
		close(fd);
		return NULL;
	}
	r->buf = r->owned;
	r->fd = fd;
	return r;
}

/* Pipes: keep the unconsumed tail, read more behind it (the buffer grows for long lines). */
static int refill(struct trace_reader *r)
{
	size_t keep = r->len - r->pos;
	ssize_t k;

	if (r->pos) {
		memmove(r->owned, r->owned + r->pos, keep);
		r->pos = 0;
		r->len = keep;
	}
	if (r->len == r->cap) {
		char *nb = r->cap < ((size_t)1 << 30) ? realloc(r->owned, r->cap * 2) : NULL;

		if (!nb) {
			snprintf(r->err, sizeof(r->err), "line %llu longer than the read buffer",
				 (unsigned long long)r->lineno + 1);
			return -1;
		}
		r->owned = nb;
		r->buf = nb;
		r->cap *= 2;
	}
	do
		k = read(r->fd, r->owned + r->len, r->cap - r->len);
	while (k < 0 && errno == EINTR);
	if (k < 0) {
		snprintf(r->err, sizeof(r->err), "read error: %s", strerror(errno));
		return -1;
	}
	if (k == 0)
		r->eof = true;
	r->len += (size_t)k;
	return 0;
}

int trace_reader_next(struct trace_reader *r, struct trace_rec *rec)
{
	const char *why = NULL;
	int skip = 0;

	for (;;) {
		const char *s, *nl;
		size_t n;
		int res;

		if (r->pos >= r->len && (r->fd < 0 || r->eof))
			break;
		s = r->buf + r->pos;
		nl = memchr(s, '\n', r->len - r->pos);
		if (!nl && r->fd >= 0 && !r->eof) {
			int k = refill(r);

			if (k < 0)
				return -2;
			continue;
		}
		n = nl ? (size_t)(nl - s) : r->len - r->pos;

		r->pos += n + (nl != NULL);
		r->lineno++;
		r->st.lines++;
		res = trace_parse_line(s, n, rec, &why, &skip);
		if (res == TP_EVENT) {
			r->st.events++;
			r->st.per_event[rec->type]++;
			if (rec->cpu > r->st.max_cpu)
				r->st.max_cpu = rec->cpu;
			if (r->st.events == 1)
				r->st.first_ts_ns = rec->ts_ns;
			else if (rec->ts_ns < r->prev_ts)
				r->st.ts_backwards++;
			if (rec->ts_ns > r->st.last_ts_ns)
				r->st.last_ts_ns = rec->ts_ns;
			r->prev_ts = rec->ts_ns;
			return 1;
		}
		if (res == TP_SKIP) {
			r->st.skipped[skip]++;
			continue;
		}
		r->st.malformed++;
		if (r->st.nr_bad_kept < TRACE_MAX_BAD_KEPT) {
			struct trace_bad_line *bl = &r->st.bad[r->st.nr_bad_kept++];
			size_t k = n < sizeof(bl->text) - 1 ? n : sizeof(bl->text) - 1;

			bl->lineno = r->lineno;
			bl->why = why;
			memcpy(bl->text, s, k);
			bl->text[k] = 0;
			for (size_t i = 0; i < k; i++)
				if ((unsigned char)bl->text[i] < 0x20 || (unsigned char)bl->text[i] == 0x7f)
					bl->text[i] = '?';
		}
		return -1;
	}
	return 0;
}

uint64_t trace_reader_lineno(const struct trace_reader *r)
{
	return r->lineno;
}

const char *trace_reader_name(const struct trace_reader *r)
{
	return r->name;
}

const char *trace_reader_error(const struct trace_reader *r)
{
	return r->err;
}

const struct trace_parse_stats *trace_reader_stats(const struct trace_reader *r)
{
	return &r->st;
}

int trace_reader_rewind(struct trace_reader *r)
{
	if (r->fd >= 0)
		return -1;                               /* a pipe cannot go back */
	r->pos = 0;
	r->lineno = 0;
	r->prev_ts = 0;
	memset(&r->st, 0, sizeof(r->st));
	r->st.max_cpu = -1;
	return 0;
}

void trace_reader_close(struct trace_reader *r)
{
	if (!r)
		return;
	if (r->map)
		munmap(r->map, r->map_len);
	if (r->fd >= 0)
		close(r->fd);
	free(r->owned);
	free(r);
}

void trace_print_malformed(FILE *f, const char *name, const struct trace_parse_stats *st)
{
	for (int i = 0; i < st->nr_bad_kept; i++)
		fprintf(f, "%s:%llu: malformed trace line (%s): %s\n", name,
			(unsigned long long)st->bad[i].lineno, st->bad[i].why, st->bad[i].text);
	if (st->malformed > (uint64_t)st->nr_bad_kept)
		fprintf(f, "%s: ... and %llu more malformed lines\n", name,
			(unsigned long long)(st->malformed - (uint64_t)st->nr_bad_kept));
}
