/* SPDX-License-Identifier: MIT */
/*
 * machine/cachesim.c — cachegrind-compatible replay of valgrind lackey traces.
 *
 * What it models: exactly cachegrind's simulator (timing-defaults.md §6), on
 * top of the generic arrays of machine/cache.c, so that the LRU and set
 * indexing of the machine's caches are validated bit-exactly against
 * `valgrind --tool=cachegrind --cache-sim=yes`:
 *   - I1, D1 and one unified LL; LL is looked up only on an L1 miss;
 *   - an access that straddles two lines is one access and a miss if either
 *     line misses (both lines are looked up, in L1 and then in LL);
 *   - write-allocate, no writebacks, only misses counted;
 *   - lackey's M (modify) counts as a read (Dr / D1mr / DLmr);
 *   - data sizes above the smallest configured line size are clamped to it,
 *     as cachegrind clamps large (dirty-helper) accesses so none touches more
 *     than two lines.
 * Lackey trace lines: "I  addr,size", " L addr,size", " S addr,size",
 * " M addr,size" (hex address, decimal size); "==pid==" / "--pid--" lines and
 * blank lines are skipped.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cache.h"

int cachesim_init(struct cachesim *s, const struct cache_geom *i1, const struct cache_geom *d1,
		  const struct cache_geom *ll, char *err, size_t errlen)
{
	int rc;

	memset(s, 0, sizeof(*s));
	if ((rc = cache_geom_check(i1, "I1", err, errlen)) ||
	    (rc = cache_geom_check(d1, "D1", err, errlen)) ||
	    (rc = cache_geom_check(ll, "LL", err, errlen)))
		return rc;
	if (cache_init(&s->i1, i1, false) || cache_init(&s->d1, d1, false) ||
	    cache_init(&s->ll, ll, false)) {
		cachesim_free(s);
		snprintf(err, errlen, "out of memory for the caches");
		return -ENOMEM;
	}
	return 0;
}

void cachesim_free(struct cachesim *s)
{
	cache_free(&s->i1);
	cache_free(&s->d1);
	cache_free(&s->ll);
}

/* cachegrind's cachesim_ref_is_miss(): one or two lines, miss if either misses. */
static bool ref_is_miss(struct cache *c, uint64_t a, unsigned size, uint64_t *straddle)
{
	uint64_t b1 = a >> c->line_shift, b2 = (a + size - 1) >> c->line_shift;
	bool miss;

	if (b1 == b2)
		return cache_ref_is_miss(c, b1);
	if (b1 + 1 != b2)
		(*straddle)++;          /* cannot happen with clamped sizes */
	miss = cache_ref_is_miss(c, b1);
	if (cache_ref_is_miss(c, b2))
		miss = true;
	return miss;
}

void cachesim_ref(struct cachesim *s, enum cachesim_op op, uint64_t addr, unsigned size)
{
	unsigned min_line = 1u << s->i1.line_shift;

	if (s->d1.line_shift < s->i1.line_shift)
		min_line = 1u << s->d1.line_shift;
	if ((1u << s->ll.line_shift) < min_line)
		min_line = 1u << s->ll.line_shift;
	if (!size)
		size = 1;
	if (size > min_line)
		size = min_line;
	switch (op) {
	case CACHESIM_INSTR:
		s->ir++;
		if (ref_is_miss(&s->i1, addr, size, &s->straddle_warnings)) {
			s->i1mr++;
			if (ref_is_miss(&s->ll, addr, size, &s->straddle_warnings))
				s->ilmr++;
		}
		break;
	case CACHESIM_LOAD:
	case CACHESIM_MODIFY:
		s->dr++;
		if (ref_is_miss(&s->d1, addr, size, &s->straddle_warnings)) {
			s->d1mr++;
			if (ref_is_miss(&s->ll, addr, size, &s->straddle_warnings))
				s->dlmr++;
		}
		break;
	case CACHESIM_STORE:
		s->dw++;
		if (ref_is_miss(&s->d1, addr, size, &s->straddle_warnings)) {
			s->d1mw++;
			if (ref_is_miss(&s->ll, addr, size, &s->straddle_warnings))
				s->dlmw++;
		}
		break;
	}
}

int cachesim_parse_line(const char *line, enum cachesim_op *op, uint64_t *addr,
			unsigned *size, char *err, size_t errlen)
{
	const char *p = line;
	char *end;
	unsigned long long a;
	unsigned long sz;

	if ((p[0] == '=' && p[1] == '=') || (p[0] == '-' && p[1] == '-'))
		return 0;
	while (*p == '\n' || *p == '\r')
		p++;
	if (!*p)
		return 0;
	if (p[0] == 'I' && p[1] == ' ') {
		*op = CACHESIM_INSTR;
		p += 1;
	} else if (p[0] == ' ' && (p[1] == 'L' || p[1] == 'S' || p[1] == 'M') && p[2] == ' ') {
		*op = p[1] == 'L' ? CACHESIM_LOAD : p[1] == 'S' ? CACHESIM_STORE : CACHESIM_MODIFY;
		p += 2;
	} else {
		snprintf(err, errlen, "expected a lackey access 'I  addr,size' or ' L|S|M addr,size'");
		return -1;
	}
	while (*p == ' ')
		p++;
	if (!isxdigit((unsigned char)*p)) {
		snprintf(err, errlen, "expected a hexadecimal address");
		return -1;
	}
	errno = 0;
	a = strtoull(p, &end, 16);
	if (errno || *end != ',') {
		snprintf(err, errlen, "expected 'addr,size' (hexadecimal address, comma)");
		return -1;
	}
	p = end + 1;
	if (!isdigit((unsigned char)*p)) {
		snprintf(err, errlen, "expected a decimal size after the comma");
		return -1;
	}
	sz = strtoul(p, &end, 10);
	if (errno || sz == 0 || sz > 65536) {
		snprintf(err, errlen, "expected a size in 1..65536");
		return -1;
	}
	while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
		end++;
	if (*end) {
		snprintf(err, errlen, "expected end of line after the size");
		return -1;
	}
	*addr = a;
	*size = (unsigned)sz;
	return 1;
}

int cachesim_run_file(struct cachesim *s, FILE *f, const char *name, char *err, size_t errlen)
{
	char buf[512], msg[160];
	unsigned long lineno = 0;

	while (fgets(buf, sizeof(buf), f)) {
		enum cachesim_op op;
		uint64_t addr;
		unsigned size;
		size_t len = strlen(buf);
		int rc;

		lineno++;
		if (len == sizeof(buf) - 1 && buf[len - 1] != '\n') {
			/* An over-long line: only "==pid==" noise may be that long. */
			int ch;
			bool noise = buf[0] == '=' || buf[0] == '-';

			while ((ch = fgetc(f)) != EOF && ch != '\n')
				;
			if (noise)
				continue;
			snprintf(err, errlen, "%s:%lu: expected a lackey access line (line too long)",
				 name, lineno);
			return -1;
		}
		rc = cachesim_parse_line(buf, &op, &addr, &size, msg, sizeof(msg));
		if (rc < 0) {
			snprintf(err, errlen, "%s:%lu: %s", name, lineno, msg);
			return -1;
		}
		if (rc > 0)
			cachesim_ref(s, op, addr, size);
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s:%lu: read error", name, lineno);
		return -1;
	}
	return 0;
}

static void commas(uint64_t v, char *buf, size_t len)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%" PRIu64, v), o = 0;

	for (int i = 0; i < n && (size_t)o + 2 < len; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = 0;
}

static void row(FILE *out, const char *label, uint64_t v)
{
	char b[32];

	commas(v, b, sizeof(b));
	fprintf(out, "%-16s%15s\n", label, b);
}

static void rate(FILE *out, const char *label, uint64_t m, uint64_t r)
{
	fprintf(out, "%-16s%14.2f%%\n", label, r ? 100.0 * (double)m / (double)r : 0.0);
}

void cachesim_print(const struct cachesim *s, FILE *out)
{
	char a[32], b[32], c[32];

	row(out, "I   refs:", s->ir);
	row(out, "I1  misses:", s->i1mr);
	row(out, "LLi misses:", s->ilmr);
	rate(out, "I1  miss rate:", s->i1mr, s->ir);
	rate(out, "LLi miss rate:", s->ilmr, s->ir);
	fputc('\n', out);
	commas(s->dr + s->dw, a, sizeof(a));
	commas(s->dr, b, sizeof(b));
	commas(s->dw, c, sizeof(c));
	fprintf(out, "%-16s%15s  (%s rd   + %s wr)\n", "D   refs:", a, b, c);
	commas(s->d1mr + s->d1mw, a, sizeof(a));
	commas(s->d1mr, b, sizeof(b));
	commas(s->d1mw, c, sizeof(c));
	fprintf(out, "%-16s%15s  (%s rd   + %s wr)\n", "D1  misses:", a, b, c);
	commas(s->dlmr + s->dlmw, a, sizeof(a));
	commas(s->dlmr, b, sizeof(b));
	commas(s->dlmw, c, sizeof(c));
	fprintf(out, "%-16s%15s  (%s rd   + %s wr)\n", "LLd misses:", a, b, c);
	rate(out, "D1  miss rate:", s->d1mr + s->d1mw, s->dr + s->dw);
	rate(out, "LLd miss rate:", s->dlmr + s->dlmw, s->dr + s->dw);
	fputc('\n', out);
	commas(s->i1mr + s->d1mr + s->d1mw, a, sizeof(a));
	commas(s->i1mr + s->d1mr, b, sizeof(b));
	commas(s->d1mw, c, sizeof(c));
	fprintf(out, "%-16s%15s  (%s rd   + %s wr)\n", "LL refs:", a, b, c);
	commas(s->ilmr + s->dlmr + s->dlmw, a, sizeof(a));
	commas(s->ilmr + s->dlmr, b, sizeof(b));
	commas(s->dlmw, c, sizeof(c));
	fprintf(out, "%-16s%15s  (%s rd   + %s wr)\n", "LL misses:", a, b, c);
	fputc('\n', out);
	/* The same two lines as a cachegrind.out file, for scripts. */
	fprintf(out, "events: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw\n");
	fprintf(out, "summary: %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
		" %" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
		s->ir, s->i1mr, s->ilmr, s->dr, s->d1mr, s->dlmr, s->dw, s->d1mw, s->dlmw);
}

int cachesim_parse_geom(const char *s, struct cache_geom *g, char *err, size_t errlen)
{
	unsigned long long v[3];
	const char *p = s;
	char *end;

	for (int i = 0; i < 3; i++) {
		if (!isdigit((unsigned char)*p))
			goto bad;
		errno = 0;
		v[i] = strtoull(p, &end, 10);
		if (errno || (i < 2 && *end != ',') || (i == 2 && *end))
			goto bad;
		p = end + 1;
	}
	if (v[1] > UINT32_MAX || v[2] > UINT32_MAX)
		goto bad;
	g->size = v[0];
	g->ways = (unsigned)v[1];
	g->line = (unsigned)v[2];
	g->hit_cycles = 0;
	return 0;
bad:
	snprintf(err, errlen, "expected <size>,<assoc>,<line_size> in bytes (e.g. 32768,8,64), got '%s'", s);
	return -1;
}
