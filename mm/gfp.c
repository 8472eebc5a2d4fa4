// SPDX-License-Identifier: MIT
/*
 * mm/gfp.c — GFP helpers: gfp_zone, printing in the ftrace order
 * (show_gfp_flags, §14.2), parsing of the same names plus older spellings,
 * and the per-task scope API (§1.4).
 *
 * Printing walks a fixed table: when every bit of an entry is present the name
 * is printed and the bits cleared; leftovers print as hex; 0 prints "none".
 * Parsing accepts every printed name, the names without the "__" prefix
 * ("GFP_ZERO", "GFP_NOWARN", "GFP_NOMEMALLOC" ...), hex/decimal numbers and
 * "none". Not a hot path.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mm/gfp.h"
#include "mm/sched.h"

gfp_t gfp_allowed_mask = __GFP_BITS_MASK;
bool page_group_by_mobility_disabled;

struct gfp_name {
	gfp_t mask;
	const char *name;
};

/* The show_gfp_flags table, in order (6.1, no KASAN_HW_TAGS). */
static const struct gfp_name gfp_table[] = {
	{ GFP_TRANSHUGE, "GFP_TRANSHUGE" },
	{ GFP_TRANSHUGE_LIGHT, "GFP_TRANSHUGE_LIGHT" },
	{ GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE" },
	{ GFP_HIGHUSER, "GFP_HIGHUSER" },
	{ GFP_USER, "GFP_USER" },
	{ GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT" },
	{ GFP_KERNEL, "GFP_KERNEL" },
	{ GFP_NOFS, "GFP_NOFS" },
	{ GFP_ATOMIC, "GFP_ATOMIC" },
	{ GFP_NOIO, "GFP_NOIO" },
	{ GFP_NOWAIT, "GFP_NOWAIT" },
	{ GFP_DMA, "GFP_DMA" },
	{ __GFP_HIGHMEM, "__GFP_HIGHMEM" },
	{ GFP_DMA32, "GFP_DMA32" },
	{ __GFP_HIGH, "__GFP_HIGH" },
	{ __GFP_ATOMIC, "__GFP_ATOMIC" },
	{ __GFP_IO, "__GFP_IO" },
	{ __GFP_FS, "__GFP_FS" },
	{ __GFP_NOWARN, "__GFP_NOWARN" },
	{ __GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL" },
	{ __GFP_NOFAIL, "__GFP_NOFAIL" },
	{ __GFP_NORETRY, "__GFP_NORETRY" },
	{ __GFP_COMP, "__GFP_COMP" },
	{ __GFP_ZERO, "__GFP_ZERO" },
	{ __GFP_NOMEMALLOC, "__GFP_NOMEMALLOC" },
	{ __GFP_MEMALLOC, "__GFP_MEMALLOC" },
	{ __GFP_HARDWALL, "__GFP_HARDWALL" },
	{ __GFP_THISNODE, "__GFP_THISNODE" },
	{ __GFP_RECLAIMABLE, "__GFP_RECLAIMABLE" },
	{ __GFP_MOVABLE, "__GFP_MOVABLE" },
	{ __GFP_ACCOUNT, "__GFP_ACCOUNT" },
	{ __GFP_WRITE, "__GFP_WRITE" },
	{ __GFP_RECLAIM, "__GFP_RECLAIM" },
	{ __GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM" },
	{ __GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM" },
	{ __GFP_ZEROTAGS, "__GFP_ZEROTAGS" },
};
#define GFP_TABLE_N (sizeof(gfp_table) / sizeof(gfp_table[0]))

/* Names accepted by the parser only (not printed by 6.1's table). */
static const struct gfp_name gfp_extra[] = {
	{ __GFP_DMA, "__GFP_DMA" },
	{ __GFP_DMA32, "__GFP_DMA32" },
	{ __GFP_RECLAIMABLE, "GFP_RECLAIMABLE" },
	{ GFP_DMA, "GFP_DMA" },
	{ 0, "GFP_NOLOCKDEP" },
	{ 0, "__GFP_NOLOCKDEP" },
	{ 0, "__GFP_SKIP_ZERO" },
	{ 0, "__GFP_SKIP_KASAN_POISON" },
	{ 0, "__GFP_SKIP_KASAN_UNPOISON" },
	{ 0, "GFP_NOTRACK" },           /* removed in 4.15, always 0 since */
	{ 0, "__GFP_NOTRACK" },
	{ __GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM" },
	{ __GFP_RECLAIM, "__GFP_WAIT" },          /* pre-4.4 spelling of "may sleep" */
	{ __GFP_RECLAIM, "GFP_WAIT" },
	{ __GFP_RETRY_MAYFAIL, "__GFP_REPEAT" },  /* pre-4.13 name */
	{ __GFP_RETRY_MAYFAIL, "GFP_REPEAT" },
	{ __GFP_COMP, "__GFP_COMP" },
	{ __GFP_THISNODE, "GFP_THISNODE" },
	{ __GFP_ZERO, "__GFP_ZERO" },
};

int gfp_zone(gfp_t flags)
{
	static const signed char table[16] = {
		[0] = ZONE_NORMAL,
		[__GFP_DMA] = ZONE_DMA,
		[__GFP_HIGHMEM] = ZONE_NORMAL,
		[__GFP_DMA32] = ZONE_DMA32,
		[__GFP_MOVABLE] = ZONE_NORMAL,
		[__GFP_MOVABLE | __GFP_DMA] = ZONE_DMA,
		[__GFP_MOVABLE | __GFP_HIGHMEM] = ZONE_MOVABLE,
		[__GFP_MOVABLE | __GFP_DMA32] = ZONE_DMA32,
		[__GFP_DMA | __GFP_HIGHMEM] = ZONE_BAD,
		[__GFP_DMA | __GFP_DMA32] = ZONE_BAD,
		[__GFP_DMA32 | __GFP_HIGHMEM] = ZONE_BAD,
		[__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM] = ZONE_BAD,
		[__GFP_MOVABLE | __GFP_DMA | __GFP_HIGHMEM] = ZONE_BAD,
		[__GFP_MOVABLE | __GFP_DMA | __GFP_DMA32] = ZONE_BAD,
		[__GFP_MOVABLE | __GFP_DMA32 | __GFP_HIGHMEM] = ZONE_BAD,
		[__GFP_MOVABLE | __GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM] = ZONE_BAD,
	};
	return table[flags & GFP_ZONEMASK];
}

static char *gfp_format_common(gfp_t gfp, char *buf, size_t len, const char *zero)
{
	size_t pos = 0;
	bool first = true;

	if (!len)
		return buf;
	buf[0] = '\0';
	if (!gfp) {
		snprintf(buf, len, "%s", zero);
		return buf;
	}
	for (size_t i = 0; i < GFP_TABLE_N && gfp; i++) {
		gfp_t m = gfp_table[i].mask;
		if ((gfp & m) != m)
			continue;
		gfp &= ~m;
		int n = snprintf(buf + pos, pos < len ? len - pos : 0, "%s%s",
				 first ? "" : "|", gfp_table[i].name);
		if (n > 0)
			pos += (size_t)n;
		first = false;
	}
	if (gfp) {
		int n = snprintf(buf + pos, pos < len ? len - pos : 0, "%s%#x",
				 first ? "" : "|", gfp);
		if (n > 0)
			pos += (size_t)n;
	}
	if (pos >= len)
		buf[len - 1] = '\0';
	return buf;
}

char *gfp_format(gfp_t gfp, char *buf, size_t len)
{
	return gfp_format_common(gfp, buf, len, "none");
}

char *gfp_format_pGg(gfp_t gfp, char *buf, size_t len)
{
	return gfp_format_common(gfp, buf, len, "");
}

static bool name_eq(const char *a, const char *s, size_t len)
{
	return strlen(a) == len && strncmp(a, s, len) == 0;
}

long gfp_name_lookup(const char *s, size_t len)
{
	for (size_t i = 0; i < GFP_TABLE_N; i++)
		if (name_eq(gfp_table[i].name, s, len))
			return (long)gfp_table[i].mask;
	for (size_t i = 0; i < sizeof(gfp_extra) / sizeof(gfp_extra[0]); i++)
		if (name_eq(gfp_extra[i].name, s, len))
			return (long)gfp_extra[i].mask;
	/* Older spelling without the leading "__": GFP_ZERO → __GFP_ZERO. */
	if (len > 4 && strncmp(s, "GFP_", 4) == 0 && len < 64) {
		char tmp[80];
		snprintf(tmp, sizeof(tmp), "__%.*s", (int)len, s);
		for (size_t i = 0; i < GFP_TABLE_N; i++)
			if (strcmp(gfp_table[i].name, tmp) == 0)
				return (long)gfp_table[i].mask;
		for (size_t i = 0; i < sizeof(gfp_extra) / sizeof(gfp_extra[0]); i++)
			if (strcmp(gfp_extra[i].name, tmp) == 0)
				return (long)gfp_extra[i].mask;
	}
	return -1;
}

int gfp_parse(const char *s, gfp_t *out, char *err, size_t errlen)
{
	gfp_t v = 0;
	const char *p = s;

	if (!s) {
		if (err && errlen)
			snprintf(err, errlen, "empty GFP mask");
		return -EINVAL;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (!*p) {
		if (err && errlen)
			snprintf(err, errlen, "empty GFP mask");
		return -EINVAL;
	}
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		const char *tok = p;
		while (*p && *p != '|' && !isspace((unsigned char)*p))
			p++;
		size_t len = (size_t)(p - tok);
		while (isspace((unsigned char)*p))
			p++;
		if (len == 0) {
			if (err && errlen)
				snprintf(err, errlen, "expected a GFP flag name, got '%s'", s);
			return -EINVAL;
		}
		if (isdigit((unsigned char)tok[0])) {
			char num[32], *end;
			if (len >= sizeof(num))
				goto bad;
			memcpy(num, tok, len);
			num[len] = '\0';
			errno = 0;
			unsigned long n = strtoul(num, &end, 0);
			if (*end || errno || n > 0xffffffffUL)
				goto bad;
			v |= (gfp_t)n;
		} else if (name_eq("none", tok, len)) {
			/* 0 */
		} else {
			long m = gfp_name_lookup(tok, len);
			if (m < 0)
				goto bad;
			v |= (gfp_t)m;
		}
		if (!*p)
			break;
		if (*p != '|') {
			if (err && errlen)
				snprintf(err, errlen, "expected '|' between GFP flags in '%s'", s);
			return -EINVAL;
		}
		p++;
		continue;
bad:
		if (err && errlen)
			snprintf(err, errlen, "unknown GFP flag '%.*s' (expected names like GFP_KERNEL|__GFP_ZERO or 0x...)",
				 (int)len, tok);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

/* --- scope API ------------------------------------------------------------ */

static unsigned int scope_save(unsigned int bit)
{
	struct task_struct *t = current;
	unsigned int old = t->flags & bit;

	t->flags |= bit;
	return old;
}

static void scope_restore(unsigned int bit, unsigned int old)
{
	struct task_struct *t = current;

	t->flags = (t->flags & ~bit) | (old & bit);
}

unsigned int memalloc_noio_save(void) { return scope_save(PF_MEMALLOC_NOIO); }
void memalloc_noio_restore(unsigned int f) { scope_restore(PF_MEMALLOC_NOIO, f); }
unsigned int memalloc_nofs_save(void) { return scope_save(PF_MEMALLOC_NOFS); }
void memalloc_nofs_restore(unsigned int f) { scope_restore(PF_MEMALLOC_NOFS, f); }
unsigned int memalloc_noreclaim_save(void) { return scope_save(PF_MEMALLOC); }
void memalloc_noreclaim_restore(unsigned int f) { scope_restore(PF_MEMALLOC, f); }
unsigned int memalloc_pin_save(void) { return scope_save(PF_MEMALLOC_PIN); }
void memalloc_pin_restore(unsigned int f) { scope_restore(PF_MEMALLOC_PIN, f); }

gfp_t current_gfp_context(gfp_t flags)
{
	unsigned int pf = current->flags;

	if (pf & (PF_MEMALLOC_NOIO | PF_MEMALLOC_NOFS | PF_MEMALLOC_PIN)) {
		if (pf & PF_MEMALLOC_NOIO)
			flags &= ~(__GFP_IO | __GFP_FS);
		else if (pf & PF_MEMALLOC_NOFS)
			flags &= ~__GFP_FS;
		if (pf & PF_MEMALLOC_PIN)
			flags &= ~__GFP_MOVABLE;
	}
	return flags;
}
