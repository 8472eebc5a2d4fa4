/* SPDX-License-Identifier: MIT */
/*
 * workloads/dist.c — random distributions of workload parameters.
 *
 * Models: the sizes, lifetimes and gaps a generator draws. A parameter is a
 * plain constant in its unit ("256", "4KiB", "2ms": fixed) or a mapping with
 * `dist:` fixed | uniform | exponential | lognormal | pareto | empirical (see
 * workloads/workload.h for the keys). Parsing happens once at set-up and
 * reports errors through the config layer, so they read
 * "scenario.yaml:12:15: tasks.0.size.sigma: expected ..."; an empirical
 * histogram read from a file reports "file:line" of the bad line.
 *
 * Sampling uses the caller's sim/rng.h stream (deterministic per seed and
 * stream name), allocates nothing, and clamps to [lo, hi] — the parameter's
 * legal range narrowed by optional `min:` / `max:` keys. Lognormal `mu` is
 * the natural log of the median in base units (bytes, picoseconds, 1/s);
 * `median:` gives the same in the parameter's unit.
 *
 * Invariants: lo <= hi; empirical cum[] is non-decreasing with cum[n-1] == 1
 * and every value inside [lo, hi].
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim/units.h"
#include "workloads/workload.h"

const char *const dist_kind_names[NR_DIST_KINDS] = {
	"fixed", "uniform", "exponential", "lognormal", "pareto", "empirical",
};

static const char *dist_choices = "fixed, uniform, exponential, lognormal, pareto, empirical";

/* A required numeric key of the mapping @m. */
static double need(struct cfg_node *m, const char *kind, const char *key, enum cfg_unit unit,
		   double min, double max)
{
	if (!cfg_has(m, key)) {
		cfg_fail(cfg_doc(m), m, key, "a %s distribution needs `%s:`", kind, key);
		return min;
	}
	return cfg_double(m, key, unit, min, min, max);
}

/* Append one empirical point (set-up only). */
static int emp_add(struct dist *d, unsigned *cap, double v, double w)
{
	if (d->n == *cap) {
		unsigned nc = *cap ? *cap * 2 : 16;
		double *nv = realloc(d->value, nc * sizeof(*nv));

		if (!nv)
			return -1;
		d->value = nv;
		nv = realloc(d->cum, nc * sizeof(*nv));
		if (!nv)
			return -1;
		d->cum = nv;
		*cap = nc;
	}
	d->value[d->n] = v;
	d->cum[d->n] = w;
	d->n++;
	return 0;
}

/* Read "value [weight]" lines of @path (relative to the scenario's folder). */
static int emp_file(struct cfg_node *fnode, struct dist *d, unsigned *cap, double min, double max)
{
	const char *name = cfg_scalar(fnode), *base = cfg_file(fnode), *slash;
	char path[1024], line[512], err[256];
	FILE *f;
	int lineno = 0;

	if (!name || !*name) {
		cfg_fail(cfg_doc(fnode), fnode, NULL, "expected a file name");
		return -1;
	}
	slash = base ? strrchr(base, '/') : NULL;
	if (name[0] == '/' || !slash)
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - base), base, name);
	f = fopen(path, "r");
	if (!f) {
		cfg_fail(cfg_doc(fnode), fnode, NULL, "cannot read empirical file %s: %s", path,
			 strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *tok[3];
		int nt = 0;
		double v, w = 1;

		lineno++;
		if (strchr(p, '#'))
			*strchr(p, '#') = 0;
		for (char *save = NULL, *t = strtok_r(p, " \t\r\n,", &save); t && nt < 3;
		     t = strtok_r(NULL, " \t\r\n,", &save))
			tok[nt++] = t;
		if (nt == 0)
			continue;
		if (nt > 2) {
			cfg_fail(cfg_doc(fnode), fnode, NULL, "%s:%d: expected 'value [weight]', got more fields",
				 path, lineno);
			break;
		}
		if (unit_parse(tok[0], d->unit, &v, err, sizeof(err)) < 0) {
			if (d->unit == CFG_UNIT_NONE)
				snprintf(err, sizeof(err), "expected a number, got '%s'", tok[0]);
			cfg_fail(cfg_doc(fnode), fnode, NULL, "%s:%d: %s", path, lineno, err);
			break;
		}
		if (v < min || v > max) {
			cfg_fail(cfg_doc(fnode), fnode, NULL, "%s:%d: value '%s' out of range [%g, %g]",
				 path, lineno, tok[0], min, max);
			break;
		}
		if (nt == 2) {
			char *end;

			w = strtod(tok[1], &end);
			if (*end || !(w >= 0) || !isfinite(w)) {
				cfg_fail(cfg_doc(fnode), fnode, NULL,
					 "%s:%d: expected a weight >= 0, got '%s'", path, lineno, tok[1]);
				break;
			}
		}
		if (emp_add(d, cap, v, w) < 0) {
			cfg_fail(cfg_doc(fnode), fnode, NULL, "out of memory");
			break;
		}
	}
	fclose(f);
	if (!cfg_failed(cfg_doc(fnode)) && d->n == 0)
		cfg_fail(cfg_doc(fnode), fnode, NULL, "%s: no values", path);
	return cfg_failed(cfg_doc(fnode)) ? -1 : 0;
}

static int emp_values(struct cfg_node *vals, struct dist *d, unsigned *cap, double min, double max)
{
	struct cfg *c = cfg_doc(vals);

	if (cfg_kind(vals) != CFG_SEQ || cfg_len(vals) == 0) {
		cfg_fail(c, vals, NULL, "expected a list of [value, weight] pairs like [[64, 3], [4KiB, 1]]");
		return -1;
	}
	for (size_t i = 0; i < cfg_len(vals) && !cfg_failed(c); i++) {
		struct cfg_node *it = cfg_at(vals, i);
		double v, w = 1;

		if (cfg_kind(it) == CFG_SEQ) {
			if (cfg_len(it) != 2) {
				cfg_fail(c, it, NULL, "expected a [value, weight] pair, got %zu items", cfg_len(it));
				return -1;
			}
			v = cfg_node_double(cfg_at(it, 0), d->unit, 0, min, max);
			w = cfg_node_double(cfg_at(it, 1), CFG_UNIT_NONE, 1, 0, 1e300);
		} else {
			v = cfg_node_double(it, d->unit, 0, min, max);
		}
		if (!cfg_failed(c) && emp_add(d, cap, v, w) < 0)
			cfg_fail(c, it, NULL, "out of memory");
	}
	return cfg_failed(c) ? -1 : 0;
}

/* Turn weights into a normalised cumulative table. */
static int emp_finish(struct cfg_node *at, struct dist *d)
{
	double sum = 0;

	for (unsigned i = 0; i < d->n; i++)
		sum += d->cum[i];
	if (!(sum > 0)) {
		cfg_fail(cfg_doc(at), at, NULL, "empirical weights add up to 0");
		return -1;
	}
	double acc = 0;
	for (unsigned i = 0; i < d->n; i++) {
		acc += d->cum[i];
		d->cum[i] = acc / sum;
	}
	d->cum[d->n - 1] = 1.0;
	return 0;
}

int dist_parse_node(struct cfg_node *n, enum cfg_unit unit, double min, double max, struct dist *d)
{
	struct cfg *c = cfg_doc(n);
	const char *kind;
	unsigned cap = 0;
	int k;

	memset(d, 0, sizeof(*d));
	d->unit = unit;
	d->lo = min;
	d->hi = max;
	if (cfg_kind(n) == CFG_SCALAR) {
		d->kind = DIST_FIXED;
		d->a = cfg_node_double(n, unit, min, min, max);
		return cfg_failed(c) ? -1 : 0;
	}
	if (cfg_kind(n) != CFG_MAP) {
		cfg_fail(c, n, NULL, "expected %s like %s or a mapping like {dist: lognormal, median: %s, sigma: 1}",
			 unit == CFG_UNIT_NONE ? "a number" : unit_what(unit), unit_example(unit),
			 unit_example(unit));
		return -1;
	}
	kind = cfg_str(n, "dist", NULL);
	if (!kind) {
		cfg_fail(c, n, "dist", "a distribution mapping needs `dist:`, one of: %s", dist_choices);
		return -1;
	}
	for (k = 0; k < NR_DIST_KINDS; k++)
		if (!strcmp(kind, dist_kind_names[k]))
			break;
	if (k == NR_DIST_KINDS) {
		cfg_fail(c, n, "dist", "expected one of: %s, got '%s'", dist_choices, kind);
		return -1;
	}
	d->kind = (enum dist_kind)k;
	/* Optional clamp bounds first: they narrow what the other keys may say. */
	if (cfg_has(n, "min"))
		d->lo = cfg_double(n, "min", unit, min, min, max);
	if (cfg_has(n, "max"))
		d->hi = cfg_double(n, "max", unit, max, min, max);
	if (cfg_failed(c))
		return -1;
	if (d->lo > d->hi) {
		cfg_fail(c, n, "max", "expected max >= min");
		return -1;
	}
	switch (d->kind) {
	case DIST_FIXED:
		d->a = need(n, kind, "value", unit, min, max);
		break;
	case DIST_UNIFORM:
		d->a = d->lo;
		d->b = d->hi;
		if (!cfg_has(n, "min") || !cfg_has(n, "max")) {
			cfg_fail(c, n, cfg_has(n, "min") ? "max" : "min", "a uniform distribution needs `min:` and `max:`");
			return -1;
		}
		break;
	case DIST_EXPONENTIAL:
		d->a = need(n, kind, "mean", unit, min, max);
		break;
	case DIST_LOGNORMAL:
		if (cfg_has(n, "median") == cfg_has(n, "mu")) {
			cfg_fail(c, n, "mu", "a lognormal distribution needs exactly one of `mu:` "
				 "(ln of the median in base units) or `median:`");
			return -1;
		}
		if (cfg_has(n, "median")) {
			double med = cfg_double(n, "median", unit, 1, 1e-300, max);
			d->a = log(med);
		} else {
			d->a = cfg_double(n, "mu", CFG_UNIT_NONE, 0, -700, 700);
		}
		d->b = need(n, kind, "sigma", CFG_UNIT_NONE, 0, 20);
		break;
	case DIST_PARETO:
		d->a = need(n, kind, "xm", unit, min > 0 ? min : 1e-300, max);
		d->b = need(n, kind, "alpha", CFG_UNIT_NONE, 1e-3, 1e6);
		break;
	case DIST_EMPIRICAL: {
		struct cfg_node *vals = cfg_get(n, "values"), *file = cfg_get(n, "file");

		if (!vals == !file) {
			cfg_fail(c, n, "values", "an empirical distribution needs exactly one of `values:` "
				 "([[value, weight], ...]) or `file:`");
			return -1;
		}
		if (vals ? emp_values(vals, d, &cap, d->lo, d->hi) : emp_file(file, d, &cap, d->lo, d->hi))
			break;
		emp_finish(vals ? vals : file, d);
		break;
	}
	default:
		break;
	}
	if (cfg_failed(c)) {
		dist_free(d);
		return -1;
	}
	return 0;
}

int workload_dist(struct cfg_node *task, const struct workload_type *type, const char *key,
		  double min, double max, struct dist *d)
{
	const struct workload_param *p = NULL;
	struct cfg *c = cfg_doc(task);

	for (const struct workload_param *q = type->params; q && q->name; q++)
		if (!strcmp(q->name, key))
			p = q;
	if (!p) {
		cfg_fail(c, task, key, "internal: workload '%s' has no parameter '%s'", type->name, key);
		return -1;
	}
	if (!cfg_has(task, key) && p->def) {
		char text[512];
		struct cfg *def;

		/* Insert the documented default so config.yaml shows the resolved value. */
		snprintf(text, sizeof(text), "%s: %s\n", key, p->def);
		def = cfg_load_string("(default)", text);
		if (!def || cfg_merge(c, task, def, NULL) < 0) {       /* key absent: appended */
			cfg_free(def);
			cfg_fail(c, task, key, "internal: workload '%s': bad default '%s'", type->name, p->def);
			return -1;
		}
		cfg_free(def);
	}
	if (!cfg_has(task, key)) {
		cfg_fail(c, task, key, "workload '%s' needs `%s:`", type->name, key);
		return -1;
	}
	return dist_parse_node(cfg_get(task, key), p->unit, min, max, d);
}

double dist_sample(const struct dist *d, struct rng *r)
{
	double v;

	switch (d->kind) {
	case DIST_FIXED:
		return d->a;
	case DIST_UNIFORM:
		v = d->a + (d->b - d->a) * rng_double(r);
		break;
	case DIST_EXPONENTIAL:
		v = rng_exponential(r, d->a);
		break;
	case DIST_LOGNORMAL:
		v = rng_lognormal(r, d->a, d->b);
		break;
	case DIST_PARETO:
		v = rng_pareto(r, d->a, d->b);
		break;
	case DIST_EMPIRICAL: {
		double u = rng_double(r);
		unsigned lo = 0, hi = d->n - 1;

		while (lo < hi) {                /* first point whose cumulative weight exceeds u */
			unsigned mid = (lo + hi) / 2;

			if (d->cum[mid] > u)
				hi = mid;
			else
				lo = mid + 1;
		}
		v = d->value[lo];
		break;
	}
	default:
		v = d->lo;
		break;
	}
	if (!(v >= d->lo))
		v = d->lo;
	if (v > d->hi)
		v = d->hi;
	return v;
}

uint64_t dist_sample_u64(const struct dist *d, struct rng *r)
{
	double v = dist_sample(d, r);

	if (v < 0)
		return 0;
	if (v >= 18446744073709549568.0)
		return UINT64_MAX;
	return (uint64_t)(v + 0.5);
}

double dist_mean(const struct dist *d)
{
	double m = 0;

	switch (d->kind) {
	case DIST_FIXED: return d->a;
	case DIST_UNIFORM: return (d->a + d->b) / 2;
	case DIST_EXPONENTIAL: return d->a;
	case DIST_LOGNORMAL: return exp(d->a + d->b * d->b / 2);
	case DIST_PARETO: return d->b > 1 ? d->b * d->a / (d->b - 1) : INFINITY;
	case DIST_EMPIRICAL:
		for (unsigned i = 0; i < d->n; i++)
			m += d->value[i] * (d->cum[i] - (i ? d->cum[i - 1] : 0));
		return m;
	default: return 0;
	}
}

void dist_describe(const struct dist *d, char *buf, size_t len)
{
	switch (d->kind) {
	case DIST_FIXED: snprintf(buf, len, "fixed(%g)", d->a); break;
	case DIST_UNIFORM: snprintf(buf, len, "uniform(%g, %g)", d->a, d->b); break;
	case DIST_EXPONENTIAL: snprintf(buf, len, "exponential(mean=%g)", d->a); break;
	case DIST_LOGNORMAL: snprintf(buf, len, "lognormal(mu=%g, sigma=%g)", d->a, d->b); break;
	case DIST_PARETO: snprintf(buf, len, "pareto(xm=%g, alpha=%g)", d->a, d->b); break;
	case DIST_EMPIRICAL: snprintf(buf, len, "empirical(%u points, mean=%g)", d->n, dist_mean(d)); break;
	default: snprintf(buf, len, "?"); break;
	}
}

int dist_check(const struct dist *d)
{
	if ((int)d->kind < 0 || d->kind >= NR_DIST_KINDS || !(d->lo <= d->hi))
		return -1;
	if (d->kind != DIST_EMPIRICAL)
		return d->n == 0 ? 0 : -1;
	if (!d->n || !d->value || !d->cum || d->cum[d->n - 1] != 1.0)
		return -1;
	for (unsigned i = 0; i < d->n; i++)
		if ((i && d->cum[i] < d->cum[i - 1]) || d->cum[i] < 0 || d->value[i] < d->lo || d->value[i] > d->hi)
			return -1;
	return 0;
}

void dist_free(struct dist *d)
{
	free(d->value);
	free(d->cum);
	d->value = d->cum = NULL;
	d->n = 0;
}
