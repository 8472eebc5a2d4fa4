/* SPDX-License-Identifier: MIT */
/*
 * tests/check_stats.c — histograms (accuracy, exact small values, merge,
 * iteration, reset) and the statistics registry (idempotent registration,
 * sampling lines, determinism, reset, summary JSON).
 */
#include <check.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/stats.h"
#include "tests/suites.h"
#include "tests/testutil.h"

/* Deterministic xorshift64* and Box-Muller, local to the test. */
static uint64_t rs = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return rs * 0x2545f4914f6cdd1dULL;
}
static double unif(void)
{
	return ((rnd() >> 11) + 0.5) / 9007199254740992.0;
}
static double gauss(void)
{
	return sqrt(-2 * log(unif())) * cos(2 * M_PI * unif());
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted array. */
static uint64_t exact_pct(const uint64_t *v, size_t n, double p)
{
	size_t rank = (size_t)ceil(p / 100.0 * (double)n);

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return v[rank - 1];
}

START_TEST(hist_lognormal_accuracy)
{
	enum { N = 200000 };
	static uint64_t v[N];
	struct hist h;
	const double ps[] = { 1, 10, 50, 90, 99, 99.9, 99.99, 100 };

	hist_init(&h);
	/* Latencies around 2 µs in ps, sigma 1.5: spans many powers of two. */
	for (int i = 0; i < N; i++) {
		v[i] = (uint64_t)exp(log(2e6) + 1.5 * gauss());
		hist_add(&h, v[i]);
	}
	qsort(v, N, sizeof(v[0]), cmp_u64);
	ck_assert_uint_eq(h.count, N);
	ck_assert_int_eq(hist_check(&h), 0);
	for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
		uint64_t e = exact_pct(v, N, ps[i]), a = hist_percentile(&h, ps[i]);
		double err = fabs((double)a - (double)e) / (double)e;

		ck_assert_msg(err <= 0.01, "p%g: hist %llu exact %llu err %.4f", ps[i],
			      (unsigned long long)a, (unsigned long long)e, err);
	}
	ck_assert_uint_eq(hist_percentile(&h, 100), v[N - 1]);
	ck_assert_uint_eq(hist_percentile(&h, 0), v[0]);
	ck_assert_uint_eq(h.min, v[0]);
	ck_assert_uint_eq(h.max, v[N - 1]);
	double sum = 0;
	for (int i = 0; i < N; i++)
		sum += (double)v[i];
	ck_assert(fabs(hist_mean(&h) - sum / N) / (sum / N) < 1e-9);
	hist_free(&h);
}
END_TEST

START_TEST(hist_worst_case_error)
{
	struct hist h;

	hist_init(&h);
	/* Values at the bottom, middle and top of buckets over all powers of two:
	 * the reported percentile stays within 1/128 of the value. Bracketing the
	 * value with 1 and UINT64_MAX keeps min/max clamping out of the way. */
	for (unsigned m = 6; m < 63; m++) {
		uint64_t w = 1ULL << (m - 6);

		for (uint64_t k = 0; k < 64; k += 7) {
			uint64_t lo = (1ULL << m) + k * w;
			uint64_t vals[3] = { lo, lo + w / 2, lo + w - 1 };

			for (int i = 0; i < 3; i++) {
				hist_reset(&h);
				hist_add(&h, 1);
				hist_add(&h, vals[i]);
				hist_add(&h, UINT64_MAX);
				uint64_t got = hist_percentile(&h, 50);
				double err = fabs((double)got - (double)vals[i]) / (double)vals[i];

				ck_assert_msg(err <= 1.0 / 128 + 1e-12, "v=%llu got=%llu err=%g",
					      (unsigned long long)vals[i],
					      (unsigned long long)got, err);
			}
		}
	}
	hist_free(&h);
}
END_TEST

START_TEST(hist_exact_small_values)
{
	struct hist h;

	hist_init(&h);
	/* values 0..63, value k added k+1 times */
	uint64_t n = 0;
	for (uint64_t k = 0; k < 64; k++) {
		hist_add_n(&h, k, k + 1);
		n += k + 1;
	}
	ck_assert_uint_eq(h.count, n);
	/* exact nearest rank by walking the known distribution */
	for (int p = 1; p <= 100; p++) {
		uint64_t rank = (uint64_t)ceil(p / 100.0 * (double)n), seen = 0, want = 0;

		for (uint64_t k = 0; k < 64; k++) {
			seen += k + 1;
			if (seen >= rank) {
				want = k;
				break;
			}
		}
		ck_assert_uint_eq(hist_percentile(&h, p), want);
	}
	ck_assert_uint_eq(h.min, 0);
	ck_assert_uint_eq(h.max, 63);
	/* every small value is its own bucket */
	struct hist_iter it = { 0, 0 };
	uint64_t lo, hi, c, k = 0;
	while (hist_next_bucket(&h, &it, &lo, &hi, &c)) {
		ck_assert_uint_eq(lo, k);
		ck_assert_uint_eq(hi, k);
		ck_assert_uint_eq(c, k + 1);
		k++;
	}
	ck_assert_uint_eq(k, 64);
	hist_free(&h);
}
END_TEST

START_TEST(hist_empty_and_extremes)
{
	struct hist h;

	hist_init(&h);
	ck_assert_uint_eq(hist_percentile(&h, 50), 0);
	ck_assert_uint_eq(hist_percentile(&h, 99.9), 0);
	ck_assert_uint_eq(hist_percentile(&h, 100), 0);
	ck_assert(hist_mean(&h) == 0);
	ck_assert_int_eq(hist_check(&h), 0);
	struct hist_iter it = { 0, 0 };
	uint64_t lo, hi, c;
	ck_assert(!hist_next_bucket(&h, &it, &lo, &hi, &c));

	hist_add(&h, UINT64_MAX);
	hist_add(&h, 64);
	hist_add(&h, 1ULL << 40);
	ck_assert_int_eq(hist_check(&h), 0);
	ck_assert_uint_eq(hist_percentile(&h, 100), UINT64_MAX);
	ck_assert_uint_eq(hist_percentile(&h, 1), 64);
	ck_assert(fabs((double)hist_percentile(&h, 50) / (double)(1ULL << 40) - 1) < 0.01);
	/* single value: every percentile is that value */
	hist_reset(&h);
	ck_assert_uint_eq(h.count, 0);
	hist_add(&h, 123456789);
	ck_assert_uint_eq(hist_percentile(&h, 50), 123456789);
	ck_assert_uint_eq(hist_percentile(&h, 99.9), 123456789);
	hist_free(&h);
}
END_TEST

START_TEST(hist_buckets_cover_values)
{
	struct hist h;

	hist_init(&h);
	for (int i = 0; i < 20000; i++) {
		uint64_t v = rnd() >> (rnd() % 64);
		struct hist_iter it = { 0, 0 };
		uint64_t lo, hi, c;

		hist_reset(&h);
		hist_add(&h, v);
		ck_assert(hist_next_bucket(&h, &it, &lo, &hi, &c));
		ck_assert_msg(lo <= v && v <= hi, "v=%llu lo=%llu hi=%llu",
			      (unsigned long long)v, (unsigned long long)lo,
			      (unsigned long long)hi);
		ck_assert_uint_eq(c, 1);
		/* bucket width relative to its lower bound <= 1/64 */
		ck_assert(lo < 64 || (double)(hi - lo + 1) / (double)lo <= 1.0 / 64 + 1e-12);
		ck_assert(!hist_next_bucket(&h, &it, &lo, &hi, &c));
	}
	hist_free(&h);
}
END_TEST

START_TEST(hist_merge_equals_union)
{
	struct hist a, b, u;

	hist_init(&a);
	hist_init(&b);
	hist_init(&u);
	for (int i = 0; i < 5000; i++) {
		uint64_t v = rnd() % 1000000, w = rnd() % 100;

		hist_add(&a, v);
		hist_add(&b, w);
		hist_add(&u, v);
		hist_add(&u, w);
	}
	hist_merge(&a, &b);
	ck_assert_int_eq(hist_check(&a), 0);
	ck_assert_uint_eq(a.count, u.count);
	ck_assert_uint_eq(a.min, u.min);
	ck_assert_uint_eq(a.max, u.max);
	ck_assert_uint_eq(a.sum_lo, u.sum_lo);
	for (double p = 0; p <= 100; p += 0.5)
		ck_assert_uint_eq(hist_percentile(&a, p), hist_percentile(&u, p));
	/* merge into an empty histogram */
	struct hist e;
	hist_init(&e);
	hist_merge(&e, &b);
	ck_assert_uint_eq(e.min, b.min);
	ck_assert_uint_eq(e.count, b.count);
	hist_free(&a);
	hist_free(&b);
	hist_free(&u);
	hist_free(&e);
}
END_TEST

/* ---- registry ---------------------------------------------------------- */

static double gauge_val = 2.5;
static double g_read(void *ctx)
{
	return *(double *)ctx;
}
static void v_fill(void *ctx, double *out, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		out[i] = (double)(i * 10) + *(double *)ctx;
}

START_TEST(counter_idempotent)
{
	uint64_t *a = stat_counter("mm.pgalloc_normal", "pages", "allocations", 0);
	uint64_t *b = stat_counter("mm.pgalloc_normal", "pages", "allocations", STAT_SAMPLED);

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_eq(a, b);
	ck_assert_ptr_eq(stat_find_counter("mm.pgalloc_normal"), a);
	ck_assert_ptr_null(stat_find_counter("mm.nope"));
	/* storage is stable while many more are registered */
	char name[64];
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "c.%d", i);
		*stat_counter(name, NULL, NULL, 0) = (uint64_t)i;
	}
	ck_assert_ptr_eq(stat_find_counter("mm.pgalloc_normal"), a);
	ck_assert_uint_eq(*stat_find_counter("c.4321"), 4321);
	/* kind clash */
	ck_assert_ptr_null(stat_hist("mm.pgalloc_normal", "ps", NULL));
	struct hist *h = stat_hist("lat.alloc", "ps", "latency");
	ck_assert_ptr_eq(stat_hist("lat.alloc", "ps", "latency"), h);
	ck_assert_ptr_eq(stat_find_hist("lat.alloc"), h);
	ck_assert_ptr_null(stat_counter("lat.alloc", NULL, NULL, 0));
	ck_assert_int_eq(stats_check(), 0);
	stats_shutdown();
	ck_assert_ptr_null(stat_find_counter("mm.pgalloc_normal"));
}
END_TEST

static void register_set(void)
{
	uint64_t *c1 = stat_counter("mm.pgalloc_normal", "pages", NULL, STAT_SAMPLED);
	uint64_t *c2 = stat_counter("mm.hidden", "pages", NULL, 0);
	stat_gauge("node0.Normal.nr_free_pages", "pages", NULL, STAT_SAMPLED, g_read, &gauge_val);
	stat_vector("node0.Normal.free_per_order", 4, "blocks", NULL, STAT_SAMPLED, v_fill,
		    &gauge_val);
	struct hist *h = stat_hist("lat.alloc", "ps", NULL);

	*c1 = 42;
	*c2 = 7;
	for (int i = 0; i < 100; i++)
		hist_add(h, 1000 * (uint64_t)i);
}

static char *sample_run(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	register_set();
	stats_sample_to(f);
	gauge_val = 2.5;
	stats_sample(0);
	gauge_val = 1.0 / 3;
	*stat_find_counter("mm.pgalloc_normal") += 1;
	stats_sample(1500000000000ULL);            /* 1.5 s */
	gauge_val = NAN;
	stats_sample(1);                           /* 1 ps */
	stats_sample_to(NULL);
	fclose(f);
	stats_shutdown();
	return buf;
}

START_TEST(sample_lines)
{
	char *out = sample_run(), *save = NULL;
	int lines = 0;

	const char *first = "{\"t\":0,\"mm.pgalloc_normal\":42,\"node0.Normal.nr_free_pages\":2.5,"
			    "\"node0.Normal.free_per_order\":[2.5,12.5,22.5,32.5]}\n";
	ck_assert_msg(!strncmp(out, first, strlen(first)), "got %s", out);
	for (char *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_error_t err;
		json_t *j = json_loads(line, 0, &err);

		ck_assert_msg(j != NULL, "line %d not JSON: %s (%s)", lines, line, err.text);
		ck_assert(json_is_number(json_object_get(j, "t")));
		ck_assert_ptr_null(json_object_get(j, "mm.hidden"));
		ck_assert_ptr_null(json_object_get(j, "lat.alloc"));
		if (lines == 1) {
			ck_assert(json_number_value(json_object_get(j, "t")) == 1.5);
			ck_assert_int_eq(json_integer_value(json_object_get(j, "mm.pgalloc_normal")),
					 43);
			ck_assert(json_real_value(json_object_get(j, "node0.Normal.nr_free_pages"))
				  == 1.0 / 3);
		}
		if (lines == 2) {
			ck_assert(json_is_null(json_object_get(j, "node0.Normal.nr_free_pages")));
			ck_assert(json_number_value(json_object_get(j, "t")) == 1e-12);
		}
		json_decref(j);
		lines++;
	}
	ck_assert_int_eq(lines, 3);
	free(out);
}
END_TEST

START_TEST(sample_deterministic)
{
	char *a = sample_run(), *b = sample_run();

	ck_assert_str_eq(a, b);
	ck_assert(strlen(a) > 100);
	free(a);
	free(b);
}
END_TEST

START_TEST(reset_zeroes)
{
	register_set();
	stats_reset();
	ck_assert_uint_eq(*stat_find_counter("mm.pgalloc_normal"), 0);
	ck_assert_uint_eq(*stat_find_counter("mm.hidden"), 0);
	struct hist *h = stat_find_hist("lat.alloc");
	ck_assert_uint_eq(h->count, 0);
	ck_assert_uint_eq(hist_percentile(h, 50), 0);
	hist_add(h, 5);
	ck_assert_uint_eq(h->min, 5);
	ck_assert_uint_eq(h->max, 5);
	ck_assert_int_eq(stats_check(), 0);
	stats_shutdown();
}
END_TEST

START_TEST(json_summary)
{
	register_set();
	json_t *j = stats_to_json();
	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "counters"),
							    "mm.hidden")), 7);
	ck_assert(json_number_value(json_object_get(json_object_get(j, "gauges"),
						    "node0.Normal.nr_free_pages")) == gauge_val);
	json_t *h = json_object_get(json_object_get(j, "histograms"), "lat.alloc");
	ck_assert_ptr_nonnull(h);
	ck_assert_str_eq(json_string_value(json_object_get(h, "unit")), "ps");
	ck_assert_int_eq(json_integer_value(json_object_get(h, "count")), 100);
	ck_assert_int_eq(json_integer_value(json_object_get(h, "min")), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(h, "max")), 99000);
	ck_assert(fabs(json_number_value(json_object_get(h, "mean")) - 49500) < 1e-6);
	json_int_t p50 = json_integer_value(json_object_get(h, "p50"));
	ck_assert_msg(llabs(p50 - 49000) <= 490, "p50 %lld", (long long)p50);
	ck_assert_ptr_nonnull(json_object_get(h, "p99.9"));
	json_t *v = json_object_get(json_object_get(j, "vectors"), "node0.Normal.free_per_order");
	ck_assert_int_eq(json_array_size(v), 4);
	/* key order = registration order */
	char *s = json_dumps(json_object_get(j, "counters"), JSON_PRESERVE_ORDER | JSON_COMPACT);
	ck_assert_str_eq(s, "{\"mm.pgalloc_normal\":42,\"mm.hidden\":7}");
	free(s);
	json_decref(j);

	/* latency.csv */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_int_eq(stats_write_latency_csv(f), 0);
	fclose(f);
	const char *head = "hist,unit,lo,hi,count\nlat.alloc,ps,0,0,1\nlat.alloc,ps,1000,1007,1\n";
	ck_assert_msg(!strncmp(buf, head, strlen(head)), "%s", buf);
	/* the counts of all rows add up to the 100 values */
	unsigned long long total = 0, lo, hi, n;
	int rows = 0;
	for (char *p = strchr(buf, '\n'); p && p[1]; p = strchr(p + 1, '\n')) {
		ck_assert_int_eq(sscanf(p + 1, "lat.alloc,ps,%llu,%llu,%llu", &lo, &hi, &n), 3);
		ck_assert(lo <= hi);
		total += n;
		rows++;
	}
	ck_assert_uint_eq(total, 100);
	ck_assert_int_ge(rows, 90);
	free(buf);
	stats_shutdown();
}
END_TEST

Suite *stats_suite(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("hist");

	tcase_add_test(tc, hist_lognormal_accuracy);
	tcase_add_test(tc, hist_worst_case_error);
	tcase_add_test(tc, hist_exact_small_values);
	tcase_add_test(tc, hist_empty_and_extremes);
	tcase_add_test(tc, hist_buckets_cover_values);
	tcase_add_test(tc, hist_merge_equals_union);
	suite_add_tcase(s, tc);
	tc = tcase_create("registry");
	tcase_add_test(tc, counter_idempotent);
	tcase_add_test(tc, sample_lines);
	tcase_add_test(tc, sample_deterministic);
	tcase_add_test(tc, reset_zeroes);
	tcase_add_test(tc, json_summary);
	suite_add_tcase(s, tc);
	return s;
}
