/* SPDX-License-Identifier: MIT */
/*
 * sim/stats.c — the statistics registry, interval sampling (stats.jsonl) and
 * the summary as JSON.
 *
 * Model: every statistic is an entry with a unique dotted name, kept in
 * registration order (the order of stats.jsonl fields and summary.json keys,
 * so output bytes are deterministic). Entries are allocated one by one and
 * never move, so the uint64_t of a counter and the struct hist of a histogram
 * can be held by hot-path code for the whole run. Names are found through an
 * open-addressing hash table (FNV-1a), used only at set-up and by tests.
 *
 * Invariants (stats_check): every entry is reachable from the table under its
 * own name; names are unique; each histogram passes hist_check().
 *
 * Sampling writes one compact JSON object per line with fprintf; the quoted
 * key of every entry is escaped once at registration. Doubles are printed as
 * integers when integral, else with the shortest of %.15g/%.16g/%.17g that
 * reads back exactly; non-finite values print as null (valid JSON).
 * The time stamp "t" is exact: simulated picoseconds printed as decimal
 * seconds with trailing zeros removed.
 */
#include "sim/stats.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/log.h"

enum stat_kind { STAT_COUNTER, STAT_GAUGE, STAT_VECTOR, STAT_HIST };

struct stat_entry {
	enum stat_kind kind;
	unsigned flags;
	char *name, *unit, *desc;
	char *jkey;                               /* "\"name\":" escaped, for sampling */
	uint64_t value;                           /* counter storage */
	struct hist hist;                         /* histogram storage */
	stat_gauge_fn gfn;
	stat_vector_fn vfn;
	void *ctx;
	unsigned n;                               /* vector length */
	double *vbuf;                             /* vector scratch (n doubles) */
};

static struct stat_entry **entries;
static unsigned nr_entries, cap_entries;
static struct stat_entry **table;                 /* open addressing, size power of two */
static unsigned table_size;
static FILE *sample_file;

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct stat_entry *lookup(const char *name)
{
	if (!table_size)
		return NULL;
	for (uint32_t i = name_hash(name) & (table_size - 1);; i = (i + 1) & (table_size - 1)) {
		if (!table[i])
			return NULL;
		if (!strcmp(table[i]->name, name))
			return table[i];
	}
}

static void table_insert(struct stat_entry *e)
{
	uint32_t i = name_hash(e->name) & (table_size - 1);

	while (table[i])
		i = (i + 1) & (table_size - 1);
	table[i] = e;
}

static int table_grow(void)
{
	unsigned nsize = table_size ? table_size * 2 : 256;
	struct stat_entry **nt = calloc(nsize, sizeof(*nt));

	if (!nt)
		return -ENOMEM;
	free(table);
	table = nt;
	table_size = nsize;
	for (unsigned i = 0; i < nr_entries; i++)
		table_insert(entries[i]);
	return 0;
}

/* JSON string body escaping (RFC 8259) into a malloc'd "\"...\":". */
static char *json_key(const char *name)
{
	size_t len = strlen(name);
	char *out = malloc(len * 6 + 4), *p = out;

	if (!out)
		return NULL;
	*p++ = '"';
	for (const unsigned char *s = (const unsigned char *)name; *s; s++) {
		if (*s == '"' || *s == '\\') {
			*p++ = '\\';
			*p++ = (char)*s;
		} else if (*s < 0x20) {
			p += sprintf(p, "\\u%04x", *s);
		} else {
			*p++ = (char)*s;
		}
	}
	*p++ = '"';
	*p++ = ':';
	*p = 0;
	return out;
}

static void entry_free(struct stat_entry *e)
{
	if (!e)
		return;
	hist_free(&e->hist);
	free(e->name);
	free(e->unit);
	free(e->desc);
	free(e->jkey);
	free(e->vbuf);
	free(e);
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

/* Find @name of @kind, or create it. NULL (with a message) on a kind clash or OOM. */
static struct stat_entry *get_entry(const char *name, enum stat_kind kind, const char *unit,
				    const char *desc, unsigned flags, bool *created)
{
	struct stat_entry *e;

	*created = false;
	if (!name || !*name) {
		sim_error("stats: empty statistic name");
		return NULL;
	}
	e = lookup(name);
	if (e) {
		if (e->kind != kind) {
			sim_error("stats: '%s' is already registered as another kind of statistic",
				  name);
			return NULL;
		}
		return e;
	}
	if ((nr_entries + 1) * 2 > table_size && table_grow())
		return NULL;
	if (nr_entries == cap_entries) {
		unsigned ncap = cap_entries ? cap_entries * 2 : 256;
		struct stat_entry **ne = realloc(entries, ncap * sizeof(*ne));

		if (!ne)
			return NULL;
		entries = ne;
		cap_entries = ncap;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->kind = kind;
	e->flags = flags;
	e->name = strdup(name);
	e->unit = dup_or_empty(unit);
	e->desc = dup_or_empty(desc);
	e->jkey = json_key(name);
	hist_init(&e->hist);
	if (!e->name || !e->unit || !e->desc || !e->jkey) {
		entry_free(e);
		return NULL;
	}
	e->hist.name = e->name;
	e->hist.unit = e->unit;
	e->hist.desc = e->desc;
	entries[nr_entries++] = e;
	table_insert(e);
	*created = true;
	return e;
}

/**
 * stat_counter() - register (or find) counter @name.
 * @unit, @desc: documentation (copied); @flags: STAT_SAMPLED to appear in stats.jsonl.
 * Return: stable storage for the counter's value; NULL if @name is another kind.
 * Registering the same name again returns the same storage (flags are OR-ed).
 */
uint64_t *stat_counter(const char *name, const char *unit, const char *desc, unsigned flags)
{
	bool created;
	struct stat_entry *e = get_entry(name, STAT_COUNTER, unit, desc, flags, &created);

	if (!e)
		return NULL;
	e->flags |= flags;
	return &e->value;
}

/**
 * stat_gauge() - register gauge @name read through @fn(@ctx).
 * Registering the same name again replaces the callback.
 * Return: 0, -EINVAL (no callback or a clash of kinds), -ENOMEM.
 */
int stat_gauge(const char *name, const char *unit, const char *desc, unsigned flags,
	       stat_gauge_fn fn, void *ctx)
{
	bool created;
	struct stat_entry *e;

	if (!fn)
		return -EINVAL;
	e = get_entry(name, STAT_GAUGE, unit, desc, flags, &created);
	if (!e)
		return lookup(name) ? -EINVAL : -ENOMEM;
	e->flags |= flags;
	e->gfn = fn;
	e->ctx = ctx;
	return 0;
}

/**
 * stat_vector() - register vector gauge @name of @n doubles filled by @fn(@ctx, out, n).
 * Registering the same name again replaces the callback (and the length).
 * Return: 0, -EINVAL, -ENOMEM.
 */
int stat_vector(const char *name, unsigned n, const char *unit, const char *desc, unsigned flags,
		stat_vector_fn fn, void *ctx)
{
	bool created;
	struct stat_entry *e;
	double *buf;

	if (!fn || !n)
		return -EINVAL;
	e = get_entry(name, STAT_VECTOR, unit, desc, flags, &created);
	if (!e)
		return lookup(name) ? -EINVAL : -ENOMEM;
	buf = calloc(n, sizeof(double));
	if (!buf)
		return -ENOMEM;
	free(e->vbuf);
	e->vbuf = buf;
	e->n = n;
	e->flags |= flags;
	e->vfn = fn;
	e->ctx = ctx;
	return 0;
}

/**
 * stat_hist() - register (or find) histogram @name.
 * Return: stable storage; NULL if @name is another kind of statistic.
 */
struct hist *stat_hist(const char *name, const char *unit, const char *desc)
{
	bool created;
	struct stat_entry *e = get_entry(name, STAT_HIST, unit, desc, STAT_SUMMARY, &created);

	return e ? &e->hist : NULL;
}

/** stat_find_hist() - the histogram named @name, or NULL. */
struct hist *stat_find_hist(const char *name)
{
	struct stat_entry *e = lookup(name);

	return e && e->kind == STAT_HIST ? &e->hist : NULL;
}

/** stat_find_counter() - the counter named @name, or NULL. */
uint64_t *stat_find_counter(const char *name)
{
	struct stat_entry *e = lookup(name);

	return e && e->kind == STAT_COUNTER ? &e->value : NULL;
}

/** stats_reset() - zero every counter and histogram (end of warm-up). */
void stats_reset(void)
{
	for (unsigned i = 0; i < nr_entries; i++) {
		if (entries[i]->kind == STAT_COUNTER)
			entries[i]->value = 0;
		else if (entries[i]->kind == STAT_HIST)
			hist_reset(&entries[i]->hist);
	}
}

/** stats_sample_to() - direct stats_sample() lines to @f (NULL stops sampling). */
void stats_sample_to(FILE *f)
{
	sample_file = f;
}

/* Shortest exact decimal form of @v (JSON number), or "null". */
static void fmt_double(char *buf, size_t len, double v)
{
	if (!isfinite(v)) {
		snprintf(buf, len, "null");
		return;
	}
	if (v == floor(v) && fabs(v) < 9007199254740992.0) {
		snprintf(buf, len, "%.0f", v == 0 ? 0.0 : v);  /* no "-0" */
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (prec == 17 || strtod(buf, NULL) == v)
			return;
	}
}

/* Seconds from picoseconds, exact: "12.5", "0.000001", "3". */
static void fmt_seconds(char *buf, size_t len, uint64_t ps)
{
	uint64_t sec = ps / 1000000000000ULL, frac = ps % 1000000000000ULL;
	int n;

	if (!frac) {
		snprintf(buf, len, "%" PRIu64, sec);
		return;
	}
	n = snprintf(buf, len, "%" PRIu64 ".%012" PRIu64, sec, frac);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = 0;
}

/**
 * stats_sample() - write one stats.jsonl line for simulated time @now_ps:
 * {"t":seconds,"<name>":value,...,"<vector>":[...]} with every STAT_SAMPLED
 * counter, gauge and vector in registration order. No-op without a file.
 */
void stats_sample(uint64_t now_ps)
{
	FILE *f = sample_file;
	char num[64];

	if (!f)
		return;
	fmt_seconds(num, sizeof(num), now_ps);
	fputs("{\"t\":", f);
	fputs(num, f);
	for (unsigned i = 0; i < nr_entries; i++) {
		struct stat_entry *e = entries[i];

		if (!(e->flags & STAT_SAMPLED))
			continue;
		switch (e->kind) {
		case STAT_COUNTER:
			fputc(',', f);
			fputs(e->jkey, f);
			fprintf(f, "%" PRIu64, e->value);
			break;
		case STAT_GAUGE:
			fmt_double(num, sizeof(num), e->gfn(e->ctx));
			fputc(',', f);
			fputs(e->jkey, f);
			fputs(num, f);
			break;
		case STAT_VECTOR:
			memset(e->vbuf, 0, e->n * sizeof(double));
			e->vfn(e->ctx, e->vbuf, e->n);
			fputc(',', f);
			fputs(e->jkey, f);
			fputc('[', f);
			for (unsigned k = 0; k < e->n; k++) {
				fmt_double(num, sizeof(num), e->vbuf[k]);
				if (k)
					fputc(',', f);
				fputs(num, f);
			}
			fputc(']', f);
			break;
		case STAT_HIST:
			break;
		}
	}
	fputs("}\n", f);
}

/* A JSON number for a double: integer when integral, null when not finite. */
static json_t *json_number(double v)
{
	if (!isfinite(v))
		return json_null();
	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		return json_integer((json_int_t)v);
	return json_real(v);
}

/* jansson integers are signed: clamp the (theoretical) counters above 2^63. */
static json_t *json_u64(uint64_t v)
{
	return json_integer(v > (uint64_t)INT64_MAX ? INT64_MAX : (json_int_t)v);
}

static json_t *hist_to_json(const struct hist *h)
{
	json_t *o = json_object();

	json_object_set_new(o, "unit", json_string(h->unit ? h->unit : ""));
	json_object_set_new(o, "count", json_u64(h->count));
	json_object_set_new(o, "mean", json_number(hist_mean(h)));
	json_object_set_new(o, "p50", json_u64(hist_percentile(h, 50)));
	json_object_set_new(o, "p90", json_u64(hist_percentile(h, 90)));
	json_object_set_new(o, "p99", json_u64(hist_percentile(h, 99)));
	json_object_set_new(o, "p99.9", json_u64(hist_percentile(h, 99.9)));
	json_object_set_new(o, "max", json_u64(h->count ? h->max : 0));
	json_object_set_new(o, "min", json_u64(h->count ? h->min : 0));
	return o;
}

/**
 * stats_to_json() - every statistic as a new jansson object:
 * {"counters":{..},"gauges":{..},"vectors":{name:[..]},"histograms":{name:{unit,count,
 * mean,p50,p90,p99,p99.9,max,min}}}, keys in registration order.
 * Return: a json_t* the caller owns (json_decref), NULL on OOM.
 */
void *stats_to_json(void)
{
	json_t *root = json_object(), *c = json_object(), *g = json_object(),
	       *v = json_object(), *h = json_object();

	if (!root || !c || !g || !v || !h) {
		json_decref(root);
		json_decref(c);
		json_decref(g);
		json_decref(v);
		json_decref(h);
		return NULL;
	}
	for (unsigned i = 0; i < nr_entries; i++) {
		struct stat_entry *e = entries[i];

		switch (e->kind) {
		case STAT_COUNTER:
			json_object_set_new(c, e->name, json_u64(e->value));
			break;
		case STAT_GAUGE:
			json_object_set_new(g, e->name, json_number(e->gfn(e->ctx)));
			break;
		case STAT_VECTOR: {
			json_t *a = json_array();

			memset(e->vbuf, 0, e->n * sizeof(double));
			e->vfn(e->ctx, e->vbuf, e->n);
			for (unsigned k = 0; k < e->n; k++)
				json_array_append_new(a, json_number(e->vbuf[k]));
			json_object_set_new(v, e->name, a);
			break;
		}
		case STAT_HIST:
			json_object_set_new(h, e->name, hist_to_json(&e->hist));
			break;
		}
	}
	json_object_set_new(root, "counters", c);
	json_object_set_new(root, "gauges", g);
	json_object_set_new(root, "vectors", v);
	json_object_set_new(root, "histograms", h);
	return root;
}

/** stats_foreach_hist() - @fn(hist, @ctx) for every registered histogram, in order. */
void stats_foreach_hist(void (*fn)(struct hist *h, void *ctx), void *ctx)
{
	for (unsigned i = 0; i < nr_entries; i++)
		if (entries[i]->kind == STAT_HIST)
			fn(&entries[i]->hist, ctx);
}

/** stats_write_latency_csv() - see stats.h. Return: 0 or -EIO. */
int stats_write_latency_csv(FILE *f)
{
	fputs("hist,unit,lo,hi,count\n", f);
	for (unsigned i = 0; i < nr_entries; i++) {
		struct stat_entry *e = entries[i];
		struct hist_iter it = { 0, 0 };
		uint64_t lo, hi, n;

		if (e->kind != STAT_HIST)
			continue;
		while (hist_next_bucket(&e->hist, &it, &lo, &hi, &n))
			fprintf(f, "%s,%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n",
				e->name, e->unit, lo, hi, n);
	}
	return ferror(f) ? -EIO : 0;
}

/** stats_check() - validate the registry (see the header comment): 0 or -1. */
int stats_check(void)
{
	for (unsigned i = 0; i < nr_entries; i++) {
		struct stat_entry *e = entries[i];

		if (lookup(e->name) != e)
			return -1;
		if (e->kind == STAT_HIST && hist_check(&e->hist))
			return -1;
		if ((e->kind == STAT_GAUGE && !e->gfn) ||
		    (e->kind == STAT_VECTOR && (!e->vfn || !e->vbuf)))
			return -1;
	}
	return 0;
}

/** stats_shutdown() - free the registry; held pointers become invalid. */
void stats_shutdown(void)
{
	for (unsigned i = 0; i < nr_entries; i++)
		entry_free(entries[i]);
	free(entries);
	free(table);
	entries = NULL;
	table = NULL;
	nr_entries = cap_entries = table_size = 0;
	sample_file = NULL;
}
