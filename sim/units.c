/* SPDX-License-Identifier: MIT */
/*
 * sim/units.c — parsing and printing quantities with units.
 *
 * Grammar: [sign] digits [. digits] [e[sign]digits] [spaces] [suffix], with
 * surrounding spaces ignored. The mantissa is kept as an exact integer (at
 * most 19 significant digits) plus a decimal exponent, so integer parsing is
 * exact: "1.5us" is 1500000 ps without any floating point, and a value that
 * is not a whole number of base units ("0.5ps", "1.5B") is rejected rather
 * than rounded. Overflow past 2^64-1 base units is detected with 128-bit
 * intermediates. Suffixes are case-sensitive and listed in the tables below;
 * K/M/G/T alone on sizes are binary (the kernel's convention for memparse),
 * KB/MB/GB/TB are decimal SI. Times need a unit: a bare "80" is ambiguous.
 *
 * unit_format() prints the exact integer with the largest unit that divides
 * it (536870912 → "512MiB", 1536 → "1536", 80000 ps → "80ns"); for bandwidth
 * both decimal and binary units are tried and the shorter text wins.
 *
 * Not a hot path: used while loading configs and writing results.
 */
#include "sim/units.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct unit_suffix {
	const char *sfx;
	uint64_t mult;
};

#define KI (1ULL << 10)
#define MI (1ULL << 20)
#define GI (1ULL << 30)
#define TI (1ULL << 40)
#define PI_ (1ULL << 50)
#define E3 1000ULL
#define E6 1000000ULL
#define E9 1000000000ULL
#define E12 1000000000000ULL
#define E15 1000000000000000ULL

static const struct unit_suffix sfx_none[] = {
	{ "", 1 }, { "k", E3 }, { "K", E3 }, { "M", E6 }, { "G", E9 }, { "T", E12 }, { NULL, 0 },
};
static const struct unit_suffix sfx_bytes[] = {
	{ "", 1 }, { "B", 1 },
	{ "K", KI }, { "k", KI }, { "KiB", KI }, { "KB", E3 }, { "kB", E3 },
	{ "M", MI }, { "MiB", MI }, { "MB", E6 },
	{ "G", GI }, { "GiB", GI }, { "GB", E9 },
	{ "T", TI }, { "TiB", TI }, { "TB", E12 },
	{ "P", PI_ }, { "PiB", PI_ }, { "PB", E15 },
	{ NULL, 0 },
};
static const struct unit_suffix sfx_time[] = {
	{ "ps", 1 }, { "ns", E3 }, { "us", E6 }, { "\xc2\xb5s", E6 }, { "\xce\xbcs", E6 },
	{ "ms", E9 }, { "s", E12 }, { NULL, 0 },
};
static const struct unit_suffix sfx_freq[] = {
	{ "", 1 }, { "Hz", 1 }, { "kHz", E3 }, { "KHz", E3 }, { "MHz", E6 }, { "GHz", E9 },
	{ NULL, 0 },
};
static const struct unit_suffix sfx_rate[] = {
	{ "", 1 }, { "/s", 1 }, { "k/s", E3 }, { "K/s", E3 }, { "M/s", E6 }, { "G/s", E9 },
	{ NULL, 0 },
};
static const struct unit_suffix sfx_bw[] = {
	{ "", 1 }, { "B/s", 1 },
	{ "KB/s", E3 }, { "kB/s", E3 }, { "MB/s", E6 }, { "GB/s", E9 }, { "TB/s", E12 },
	{ "KiB/s", KI }, { "MiB/s", MI }, { "GiB/s", GI }, { "TiB/s", TI },
	{ NULL, 0 },
};
static const struct unit_suffix sfx_pct[] = {
	{ "", 1 }, { "%", 1 }, { NULL, 0 },
};

/* Output units, largest first (for unit_format). */
static const struct unit_suffix out_bytes[] = {
	{ "PiB", PI_ }, { "TiB", TI }, { "GiB", GI }, { "MiB", MI }, { "KiB", KI }, { "", 1 }, { NULL, 0 },
};
static const struct unit_suffix out_time[] = {
	{ "s", E12 }, { "ms", E9 }, { "us", E6 }, { "ns", E3 }, { "ps", 1 }, { NULL, 0 },
};
static const struct unit_suffix out_freq[] = {
	{ "GHz", E9 }, { "MHz", E6 }, { "kHz", E3 }, { "Hz", 1 }, { NULL, 0 },
};
static const struct unit_suffix out_rate[] = {
	{ "G/s", E9 }, { "M/s", E6 }, { "k/s", E3 }, { "/s", 1 }, { NULL, 0 },
};
static const struct unit_suffix out_bw_dec[] = {
	{ "TB/s", E12 }, { "GB/s", E9 }, { "MB/s", E6 }, { "KB/s", E3 }, { "B/s", 1 }, { NULL, 0 },
};
static const struct unit_suffix out_bw_bin[] = {
	{ "TiB/s", TI }, { "GiB/s", GI }, { "MiB/s", MI }, { "KiB/s", KI }, { "B/s", 1 }, { NULL, 0 },
};
static const struct unit_suffix out_none[] = {
	{ "T", E12 }, { "G", E9 }, { "M", E6 }, { "k", E3 }, { "", 1 }, { NULL, 0 },
};

static const struct unit_suffix *in_table(enum cfg_unit u)
{
	switch (u) {
	case CFG_UNIT_BYTES: return sfx_bytes;
	case CFG_UNIT_TIME: return sfx_time;
	case CFG_UNIT_FREQ: return sfx_freq;
	case CFG_UNIT_RATE: return sfx_rate;
	case CFG_UNIT_BANDWIDTH: return sfx_bw;
	case CFG_UNIT_PERCENT: return sfx_pct;
	case CFG_UNIT_NONE:
	default: return sfx_none;
	}
}

/**
 * unit_what() - the noun phrase for a quantity of @unit ("a size", "a time").
 */
const char *unit_what(enum cfg_unit unit)
{
	switch (unit) {
	case CFG_UNIT_BYTES: return "a size";
	case CFG_UNIT_TIME: return "a time";
	case CFG_UNIT_FREQ: return "a frequency";
	case CFG_UNIT_RATE: return "a rate";
	case CFG_UNIT_BANDWIDTH: return "a bandwidth";
	case CFG_UNIT_PERCENT: return "a percentage";
	case CFG_UNIT_NONE:
	default: return "an integer";
	}
}

static const char *base_name(enum cfg_unit unit)
{
	switch (unit) {
	case CFG_UNIT_BYTES: return "bytes";
	case CFG_UNIT_TIME: return "picoseconds";
	case CFG_UNIT_FREQ: return "Hz";
	case CFG_UNIT_RATE: return "events per second";
	case CFG_UNIT_BANDWIDTH: return "bytes/s";
	case CFG_UNIT_PERCENT: return "percent";
	case CFG_UNIT_NONE:
	default: return "units";
	}
}

const char *unit_example(enum cfg_unit unit)
{
	switch (unit) {
	case CFG_UNIT_BYTES: return "512MiB";
	case CFG_UNIT_TIME: return "80ns";
	case CFG_UNIT_FREQ: return "2.5GHz";
	case CFG_UNIT_RATE: return "200k/s";
	case CFG_UNIT_BANDWIDTH: return "25.6GB/s";
	case CFG_UNIT_PERCENT: return "30%";
	case CFG_UNIT_NONE:
	default: return "200k";
	}
}

const char *unit_base_suffix(enum cfg_unit unit)
{
	switch (unit) {
	case CFG_UNIT_TIME: return "ps";
	case CFG_UNIT_FREQ: return "Hz";
	case CFG_UNIT_RATE: return "/s";
	case CFG_UNIT_BANDWIDTH: return "B/s";
	case CFG_UNIT_PERCENT: return "%";
	default: return "";
	}
}

enum perr { P_OK, P_SYNTAX, P_NOUNIT, P_NEG, P_OVERFLOW, P_FRACTION, P_DIGITS };

struct pnum {
	uint64_t mant;     /* significant digits as an integer */
	int exp10;         /* value = mant * 10^exp10 * mult */
	bool neg;
	uint64_t mult;
	bool unitless;     /* no suffix given */
	bool lost_int;     /* integer digits beyond 64 bits */
	bool lost_frac;    /* fraction digits beyond 64 bits */
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static enum perr parse_pnum(const char *s, enum cfg_unit unit, struct pnum *p)
{
	const struct unit_suffix *t;
	size_t len;
	bool any = false;

	memset(p, 0, sizeof(*p));
	if (!s)
		return P_SYNTAX;
	while (is_space(*s))
		s++;
	len = strlen(s);
	while (len && is_space(s[len - 1]))
		len--;
	if (*s == '+' || *s == '-') {
		p->neg = *s == '-';
		s++;
		len--;
	}
	/*
	 * Integer part. Digits that no longer fit the 64-bit mantissa scale the
	 * exponent instead; a non-zero one is lost (inexact for doubles, always
	 * an overflow for integers since the value is then at least 2^64).
	 */
	for (; len && *s >= '0' && *s <= '9'; s++, len--) {
		unsigned d = (unsigned)(*s - '0');

		any = true;
		if (p->exp10 > 0 || p->mant > (UINT64_MAX - d) / 10) {
			p->exp10++;
			p->lost_int |= d != 0;
			continue;
		}
		p->mant = p->mant * 10 + d;
	}
	if (len && *s == '.') {
		size_t n = 0, m;

		s++;
		len--;
		while (n < len && s[n] >= '0' && s[n] <= '9')
			n++;
		m = n;
		while (m && s[m - 1] == '0')   /* trailing zeros carry no value */
			m--;
		if (n)
			any = true;
		for (size_t i = 0; i < m; i++) {
			unsigned d = (unsigned)(s[i] - '0');

			if (p->exp10 > 0 || p->mant > (UINT64_MAX - d) / 10) {
				p->lost_frac = true;   /* digits beyond what 64 bits hold */
				break;
			}
			p->mant = p->mant * 10 + d;
			p->exp10--;
		}
		s += n;
		len -= n;
	}
	if (!any)
		return P_SYNTAX;
	if (len >= 2 && (*s == 'e' || *s == 'E') &&
	    ((s[1] >= '0' && s[1] <= '9') ||
	     (len >= 3 && (s[1] == '-' || s[1] == '+') && s[2] >= '0' && s[2] <= '9'))) {
		int sign = 1, e = 0;

		s++;
		len--;
		if (*s == '-' || *s == '+') {
			sign = *s == '-' ? -1 : 1;
			s++;
			len--;
		}
		for (; len && *s >= '0' && *s <= '9'; s++, len--) {
			if (e > 10000)
				return P_OVERFLOW;
			e = e * 10 + (*s - '0');
		}
		p->exp10 += sign * e;
	}
	while (len && is_space(*s)) {
		s++;
		len--;
	}
	for (t = in_table(unit); t->sfx; t++) {
		if (strlen(t->sfx) == len && memcmp(t->sfx, s, len) == 0) {
			p->mult = t->mult;
			p->unitless = len == 0;
			return P_OK;
		}
	}
	if (len == 0 && unit == CFG_UNIT_TIME)
		return P_NOUNIT;
	return P_SYNTAX;
}

static void perr_msg(enum perr e, const char *s, enum cfg_unit unit, char *err, size_t errlen)
{
	const char *what = unit_what(unit);

	if (!err || !errlen)
		return;
	switch (e) {
	case P_NOUNIT:
		snprintf(err, errlen, "expected a time with a unit (ps, ns, us, ms or s) like 80ns, got '%s'", s);
		break;
	case P_NEG:
		snprintf(err, errlen, "expected a non-negative %s, got '%s'",
			 unit == CFG_UNIT_NONE ? "integer" : what + 2, s);
		break;
	case P_OVERFLOW:
		snprintf(err, errlen, "expected %s that fits in 64 bits, got '%s'", what, s);
		break;
	case P_DIGITS:
		snprintf(err, errlen, "expected %s with at most 19 significant digits, got '%s'", what, s);
		break;
	case P_FRACTION:
		if (unit == CFG_UNIT_NONE) {
			snprintf(err, errlen, "expected a whole number, got '%s'", s);
			break;
		}
		snprintf(err, errlen, "expected %s that is a whole number of %s, got '%s'",
			 what, base_name(unit), s);
		break;
	case P_SYNTAX:
	default:
		if (unit == CFG_UNIT_NONE)
			snprintf(err, errlen, "expected an integer like 200k, got '%s'", s);
		else
			snprintf(err, errlen, "expected %s like %s, got '%s'", what, unit_example(unit), s);
		break;
	}
}

int unit_parse_u64(const char *s, enum cfg_unit unit, uint64_t *out, char *err, size_t errlen)
{
	struct pnum p;
	enum perr e = parse_pnum(s, unit, &p);
	unsigned __int128 v;

	if (e == P_OK && p.neg && p.mant != 0)
		e = P_NEG;
	else if (e == P_OK && p.lost_int)
		e = p.exp10 >= 0 ? P_OVERFLOW : P_DIGITS;
	else if (e == P_OK && p.lost_frac)
		e = P_DIGITS;
	if (e == P_OK) {
		v = (unsigned __int128)p.mant * p.mult;
		if (p.exp10 >= 0) {
			for (int i = 0; i < p.exp10 && v; i++) {
				v *= 10;
				if (v > UINT64_MAX) {
					e = P_OVERFLOW;
					break;
				}
			}
		} else if (v) {
			unsigned __int128 den = 1;

			if (-p.exp10 > 38) {
				e = P_FRACTION;
			} else {
				for (int i = 0; i < -p.exp10; i++)
					den *= 10;
				if (v % den)
					e = P_FRACTION;
				else
					v /= den;
			}
		}
		if (e == P_OK && v > UINT64_MAX)
			e = P_OVERFLOW;
		if (e == P_OK) {
			*out = (uint64_t)v;
			return 0;
		}
	}
	perr_msg(e, s ? s : "", unit, err, errlen);
	return -1;
}

int unit_parse(const char *s, enum cfg_unit unit, double *out, char *err, size_t errlen)
{
	struct pnum p;
	enum perr e = parse_pnum(s, unit, &p);
	double v;

	if (e == P_OK) {
		v = (double)p.mant;
		if (p.exp10 > 0)
			v *= pow(10.0, p.exp10);
		else if (p.exp10 < 0)
			v /= pow(10.0, -p.exp10);
		v *= (double)p.mult;
		if (isinf(v)) {
			e = P_OVERFLOW;
		} else {
			*out = p.neg ? -v : v;
			return 0;
		}
	}
	if (e == P_OVERFLOW)
		snprintf(err, errlen, "expected %s within the range of a double, got '%s'",
			 unit_what(unit), s);
	else
		perr_msg(e, s ? s : "", unit, err, errlen);
	return -1;
}

static void fmt_best(uint64_t v, const struct unit_suffix *t, char *buf, size_t len)
{
	if (v == 0) {
		snprintf(buf, len, "0%s", t->sfx ? "" : "");
		return;
	}
	for (; t->sfx; t++) {
		if (v % t->mult == 0) {
			snprintf(buf, len, "%llu%s", (unsigned long long)(v / t->mult), t->sfx);
			return;
		}
	}
	snprintf(buf, len, "%llu", (unsigned long long)v);
}

void unit_format(uint64_t v, enum cfg_unit unit, char *buf, size_t len)
{
	char a[48], b[48];

	if (!buf || !len)
		return;
	switch (unit) {
	case CFG_UNIT_BYTES:
		fmt_best(v, out_bytes, buf, len);
		break;
	case CFG_UNIT_TIME:
		if (v == 0)
			snprintf(buf, len, "0ns");
		else
			fmt_best(v, out_time, buf, len);
		break;
	case CFG_UNIT_FREQ:
		if (v == 0)
			snprintf(buf, len, "0Hz");
		else
			fmt_best(v, out_freq, buf, len);
		break;
	case CFG_UNIT_RATE:
		if (v == 0)
			snprintf(buf, len, "0/s");
		else
			fmt_best(v, out_rate, buf, len);
		break;
	case CFG_UNIT_BANDWIDTH:
		if (v == 0) {
			snprintf(buf, len, "0B/s");
			break;
		}
		fmt_best(v, out_bw_dec, a, sizeof(a));
		fmt_best(v, out_bw_bin, b, sizeof(b));
		snprintf(buf, len, "%s", strlen(b) < strlen(a) ? b : a);
		break;
	case CFG_UNIT_PERCENT:
		snprintf(buf, len, "%llu%%", (unsigned long long)v);
		break;
	case CFG_UNIT_NONE:
	default:
		fmt_best(v, out_none, buf, len);
		break;
	}
}
