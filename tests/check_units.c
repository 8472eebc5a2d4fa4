/* SPDX-License-Identifier: MIT */
/* tests/check_units.c — sim/units: parse and format tables, every error class. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "sim/units.h"
#include "tests/suites.h"

struct ok_case {
	const char *in;
	enum cfg_unit unit;
	uint64_t want;
};

static const struct ok_case ok_cases[] = {
	{ "512MiB", CFG_UNIT_BYTES, 512ULL << 20 },
	{ "4GiB", CFG_UNIT_BYTES, 4ULL << 30 },
	{ "64KiB", CFG_UNIT_BYTES, 64ULL << 10 },
	{ "1TiB", CFG_UNIT_BYTES, 1ULL << 40 },
	{ "4K", CFG_UNIT_BYTES, 4096 },
	{ "4k", CFG_UNIT_BYTES, 4096 },
	{ "2M", CFG_UNIT_BYTES, 2ULL << 20 },
	{ "3G", CFG_UNIT_BYTES, 3ULL << 30 },
	{ "2MB", CFG_UNIT_BYTES, 2000000 },
	{ "1GB", CFG_UNIT_BYTES, 1000000000 },
	{ "4096", CFG_UNIT_BYTES, 4096 },
	{ "4096B", CFG_UNIT_BYTES, 4096 },
	{ "1.5KiB", CFG_UNIT_BYTES, 1536 },
	{ "0.5GiB", CFG_UNIT_BYTES, 512ULL << 20 },
	{ " 8 MiB ", CFG_UNIT_BYTES, 8ULL << 20 },
	{ "0", CFG_UNIT_BYTES, 0 },
	{ "15PiB", CFG_UNIT_BYTES, 15ULL << 50 },
	{ "80ns", CFG_UNIT_TIME, 80000 },
	{ "1.5us", CFG_UNIT_TIME, 1500000 },
	{ "1.5\xc2\xb5s", CFG_UNIT_TIME, 1500000 },
	{ "10s", CFG_UNIT_TIME, 10000000000000ULL },
	{ "2ms", CFG_UNIT_TIME, 2000000000ULL },
	{ "250ps", CFG_UNIT_TIME, 250 },
	{ "0.001ns", CFG_UNIT_TIME, 1 },
	{ "1e3ns", CFG_UNIT_TIME, 1000000 },
	{ "2.5GHz", CFG_UNIT_FREQ, 2500000000ULL },
	{ "800MHz", CFG_UNIT_FREQ, 800000000ULL },
	{ "100kHz", CFG_UNIT_FREQ, 100000 },
	{ "50Hz", CFG_UNIT_FREQ, 50 },
	{ "200k/s", CFG_UNIT_RATE, 200000 },
	{ "5M/s", CFG_UNIT_RATE, 5000000 },
	{ "100/s", CFG_UNIT_RATE, 100 },
	{ "25.6GB/s", CFG_UNIT_BANDWIDTH, 25600000000ULL },
	{ "12GiB/s", CFG_UNIT_BANDWIDTH, 12ULL << 30 },
	{ "800MB/s", CFG_UNIT_BANDWIDTH, 800000000ULL },
	{ "30%", CFG_UNIT_PERCENT, 30 },
	{ "30", CFG_UNIT_PERCENT, 30 },
	{ "200k", CFG_UNIT_NONE, 200000 },
	{ "1.5k", CFG_UNIT_NONE, 1500 },
	{ "42", CFG_UNIT_NONE, 42 },
	{ "18446744073709551615", CFG_UNIT_NONE, UINT64_MAX },
	{ "0.10000000000000000000000ms", CFG_UNIT_TIME, 100000000ULL },
	{ "12345678901234567891", CFG_UNIT_NONE, 12345678901234567891ULL },
	{ "0.0000000000000000000000KiB", CFG_UNIT_BYTES, 0 },
};

START_TEST(test_parse_ok)
{
	for (size_t i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++) {
		const struct ok_case *c = &ok_cases[i];
		char err[256] = "";
		uint64_t v = 12345;

		ck_assert_msg(unit_parse_u64(c->in, c->unit, &v, err, sizeof(err)) == 0,
			      "'%s': %s", c->in, err);
		ck_assert_msg(v == c->want, "'%s': got %llu want %llu", c->in,
			      (unsigned long long)v, (unsigned long long)c->want);
	}
}
END_TEST

struct bad_case {
	const char *in;
	enum cfg_unit unit;
	const char *msg;
};

static const struct bad_case bad_cases[] = {
	{ "lots", CFG_UNIT_BYTES, "expected a size like 512MiB, got 'lots'" },
	{ "", CFG_UNIT_BYTES, "expected a size like 512MiB, got ''" },
	{ "5XB", CFG_UNIT_BYTES, "expected a size like 512MiB, got '5XB'" },
	{ "MiB", CFG_UNIT_BYTES, "expected a size like 512MiB, got 'MiB'" },
	{ "1.2.3", CFG_UNIT_BYTES, "expected a size like 512MiB, got '1.2.3'" },
	{ "-4KiB", CFG_UNIT_BYTES, "expected a non-negative size, got '-4KiB'" },
	{ "1.5", CFG_UNIT_BYTES, "expected a size that is a whole number of bytes, got '1.5'" },
	{ "0.3KiB", CFG_UNIT_BYTES, "expected a size that is a whole number of bytes, got '0.3KiB'" },
	{ "16777216TiB", CFG_UNIT_BYTES, "expected a size that fits in 64 bits, got '16777216TiB'" },
	{ "18446744073709551616", CFG_UNIT_NONE,
	  "expected an integer that fits in 64 bits, got '18446744073709551616'" },
	{ "100000000000000000000", CFG_UNIT_NONE,
	  "expected an integer that fits in 64 bits, got '100000000000000000000'" },
	{ "1.234567890123456789012k", CFG_UNIT_NONE,
	  "expected an integer with at most 19 significant digits, got '1.234567890123456789012k'" },
	{ "0.000000000000000000000001TiB", CFG_UNIT_BYTES,
	  "expected a size that is a whole number of bytes, got '0.000000000000000000000001TiB'" },
	{ "80", CFG_UNIT_TIME,
	  "expected a time with a unit (ps, ns, us, ms or s) like 80ns, got '80'" },
	{ "3min", CFG_UNIT_TIME, "expected a time like 80ns, got '3min'" },
	{ "0.5ps", CFG_UNIT_TIME, "expected a time that is a whole number of picoseconds, got '0.5ps'" },
	{ "80NS", CFG_UNIT_TIME, "expected a time like 80ns, got '80NS'" },
	{ "2.5THz", CFG_UNIT_FREQ, "expected a frequency like 2.5GHz, got '2.5THz'" },
	{ "200k", CFG_UNIT_RATE, "expected a rate like 200k/s, got '200k'" },
	{ "25.6GB", CFG_UNIT_BANDWIDTH, "expected a bandwidth like 25.6GB/s, got '25.6GB'" },
	{ "30%%", CFG_UNIT_PERCENT, "expected a percentage like 30%, got '30%%'" },
	{ "12.5%", CFG_UNIT_PERCENT, "expected a percentage that is a whole number of percent, got '12.5%'" },
	{ "1.5", CFG_UNIT_NONE, "expected a whole number, got '1.5'" },
	{ "-3", CFG_UNIT_NONE, "expected a non-negative integer, got '-3'" },
	{ "abc", CFG_UNIT_NONE, "expected an integer like 200k, got 'abc'" },
	{ "1e", CFG_UNIT_NONE, "expected an integer like 200k, got '1e'" },
};

START_TEST(test_parse_errors)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		char err[256] = "";
		uint64_t v = 777;

		ck_assert_msg(unit_parse_u64(c->in, c->unit, &v, err, sizeof(err)) == -1,
			      "'%s' parsed as %llu", c->in, (unsigned long long)v);
		ck_assert_str_eq(err, c->msg);
		ck_assert_uint_eq(v, 777);    /* untouched on error */
	}
}
END_TEST

START_TEST(test_parse_double)
{
	char err[256];
	double v;

	ck_assert_int_eq(unit_parse("12.5%", CFG_UNIT_PERCENT, &v, err, sizeof(err)), 0);
	ck_assert(v == 12.5);
	ck_assert_int_eq(unit_parse("0.5ps", CFG_UNIT_TIME, &v, err, sizeof(err)), 0);
	ck_assert(v == 0.5);
	ck_assert_int_eq(unit_parse("-0.25", CFG_UNIT_NONE, &v, err, sizeof(err)), 0);
	ck_assert(v == -0.25);
	ck_assert_int_eq(unit_parse("2.5GHz", CFG_UNIT_FREQ, &v, err, sizeof(err)), 0);
	ck_assert(v == 2.5e9);
	ck_assert_int_eq(unit_parse("1e-3", CFG_UNIT_NONE, &v, err, sizeof(err)), 0);
	ck_assert(fabs(v - 0.001) < 1e-18);
	ck_assert_int_eq(unit_parse("1e400", CFG_UNIT_NONE, &v, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "expected an integer within the range of a double, got '1e400'");
	ck_assert_int_eq(unit_parse("80", CFG_UNIT_TIME, &v, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "expected a time with a unit (ps, ns, us, ms or s) like 80ns, got '80'");
	ck_assert_int_eq(unit_parse("x1", CFG_UNIT_BANDWIDTH, &v, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "expected a bandwidth like 25.6GB/s, got 'x1'");
}
END_TEST

struct fmt_case {
	uint64_t v;
	enum cfg_unit unit;
	const char *out;
};

static const struct fmt_case fmt_cases[] = {
	{ 536870912, CFG_UNIT_BYTES, "512MiB" },
	{ 1536, CFG_UNIT_BYTES, "1536" },
	{ 4096, CFG_UNIT_BYTES, "4KiB" },
	{ 1ULL << 40, CFG_UNIT_BYTES, "1TiB" },
	{ 3ULL << 50, CFG_UNIT_BYTES, "3PiB" },
	{ 1000000, CFG_UNIT_BYTES, "1000000" },
	{ 0, CFG_UNIT_BYTES, "0" },
	{ UINT64_MAX, CFG_UNIT_BYTES, "18446744073709551615" },
	{ 80000, CFG_UNIT_TIME, "80ns" },
	{ 1500000, CFG_UNIT_TIME, "1500ns" },
	{ 10000000000000ULL, CFG_UNIT_TIME, "10s" },
	{ 2000000000ULL, CFG_UNIT_TIME, "2ms" },
	{ 250, CFG_UNIT_TIME, "250ps" },
	{ 0, CFG_UNIT_TIME, "0ns" },
	{ 2500000000ULL, CFG_UNIT_FREQ, "2500MHz" },
	{ 2000000000ULL, CFG_UNIT_FREQ, "2GHz" },
	{ 200000, CFG_UNIT_RATE, "200k/s" },
	{ 100, CFG_UNIT_RATE, "100/s" },
	{ 25600000000ULL, CFG_UNIT_BANDWIDTH, "25600MB/s" },
	{ 12ULL << 30, CFG_UNIT_BANDWIDTH, "12GiB/s" },
	{ 30, CFG_UNIT_PERCENT, "30%" },
	{ 200000, CFG_UNIT_NONE, "200k" },
	{ 64, CFG_UNIT_NONE, "64" },
};

START_TEST(test_format)
{
	for (size_t i = 0; i < sizeof(fmt_cases) / sizeof(fmt_cases[0]); i++) {
		const struct fmt_case *c = &fmt_cases[i];
		char buf[64], err[256];
		uint64_t back;

		unit_format(c->v, c->unit, buf, sizeof(buf));
		ck_assert_str_eq(buf, c->out);
		/* every formatted value parses back to itself */
		ck_assert_msg(unit_parse_u64(buf, c->unit, &back, err, sizeof(err)) == 0, "%s", err);
		ck_assert_uint_eq(back, c->v);
	}
}
END_TEST

START_TEST(test_format_roundtrip_sweep)
{
	static const enum cfg_unit units[] = {
		CFG_UNIT_NONE, CFG_UNIT_BYTES, CFG_UNIT_TIME, CFG_UNIT_FREQ,
		CFG_UNIT_RATE, CFG_UNIT_BANDWIDTH, CFG_UNIT_PERCENT,
	};
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	for (int i = 0; i < 2000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		uint64_t v = x >> (x % 64);   /* all magnitudes */
		if (i % 3 == 0)
			v = (v % 1000) << (10 * (i % 5));
		for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
			char buf[64], err[256];
			uint64_t back;

			unit_format(v, units[u], buf, sizeof(buf));
			ck_assert_msg(unit_parse_u64(buf, units[u], &back, err, sizeof(err)) == 0,
				      "%s", err);
			ck_assert_uint_eq(back, v);
		}
	}
}
END_TEST

START_TEST(test_examples)
{
	ck_assert_str_eq(unit_example(CFG_UNIT_BYTES), "512MiB");
	ck_assert_str_eq(unit_example(CFG_UNIT_TIME), "80ns");
	ck_assert_str_eq(unit_what(CFG_UNIT_NONE), "an integer");
	ck_assert_str_eq(unit_base_suffix(CFG_UNIT_TIME), "ps");
}
END_TEST

Suite *units_suite(void)
{
	Suite *s = suite_create("units");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse_ok);
	tcase_add_test(tc, test_parse_errors);
	tcase_add_test(tc, test_parse_double);
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_format_roundtrip_sweep);
	tcase_add_test(tc, test_examples);
	suite_add_tcase(s, tc);
	return s;
}
