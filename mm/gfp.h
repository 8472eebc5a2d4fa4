/* SPDX-License-Identifier: MIT */
/*
 * mm/gfp.h — GFP flags of Linux 6.1 (x86-64, no KASAN_HW_TAGS, no LOCKDEP):
 * the __GFP_* bits and composite masks with the kernel's values, the zone /
 * migratetype / blocking helpers, printing and parsing in the ftrace
 * (show_gfp_flags) spelling, and the per-task scope API
 * (memalloc_noio/nofs/noreclaim_save/restore, current_gfp_context).
 *
 * Facts: reference/linux-mm-facts.md §1, §14.2.
 */
#ifndef MMSIM_MM_GFP_H
#define MMSIM_MM_GFP_H

#include <stdbool.h>
#include <stddef.h>

typedef unsigned int gfp_t;

/* --- bits (include/linux/gfp_types.h, 6.1) ------------------------------- */
#define __GFP_DMA              0x01u
#define __GFP_HIGHMEM          0x02u
#define __GFP_DMA32            0x04u
#define __GFP_MOVABLE          0x08u
#define __GFP_RECLAIMABLE      0x10u
#define __GFP_HIGH             0x20u
#define __GFP_IO               0x40u
#define __GFP_FS               0x80u
#define __GFP_ZERO             0x100u
#define __GFP_ATOMIC           0x200u
#define __GFP_DIRECT_RECLAIM   0x400u
#define __GFP_KSWAPD_RECLAIM   0x800u
#define __GFP_WRITE            0x1000u
#define __GFP_NOWARN           0x2000u
#define __GFP_RETRY_MAYFAIL    0x4000u
#define __GFP_NOFAIL           0x8000u
#define __GFP_NORETRY          0x10000u
#define __GFP_MEMALLOC         0x20000u
#define __GFP_COMP             0x40000u
#define __GFP_NOMEMALLOC       0x80000u
#define __GFP_HARDWALL         0x100000u
#define __GFP_THISNODE         0x200000u
#define __GFP_ACCOUNT          0x400000u
#define __GFP_ZEROTAGS         0x800000u
/* Only with KASAN_HW_TAGS / LOCKDEP: 0 in this configuration (as in the kernel). */
#define __GFP_SKIP_ZERO        0u
#define __GFP_SKIP_KASAN_UNPOISON 0u
#define __GFP_SKIP_KASAN_POISON 0u
#define __GFP_NOLOCKDEP        0u

#define __GFP_RECLAIM          (__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)   /* 0xc00 */
#define __GFP_BITS_SHIFT       27
#define __GFP_BITS_MASK        ((gfp_t)((1u << __GFP_BITS_SHIFT) - 1))
#define GFP_ZONEMASK           (__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE)
#define GFP_MOVABLE_MASK       (__GFP_RECLAIMABLE | __GFP_MOVABLE)
#define GFP_MOVABLE_SHIFT      3

/* --- composite masks (6.1 values) ---------------------------------------- */
#define GFP_ATOMIC             (__GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM)     /* 0xa20 */
#define GFP_KERNEL             (__GFP_RECLAIM | __GFP_IO | __GFP_FS)                  /* 0xcc0 */
#define GFP_KERNEL_ACCOUNT     (GFP_KERNEL | __GFP_ACCOUNT)                           /* 0x400cc0 */
#define GFP_NOWAIT             (__GFP_KSWAPD_RECLAIM)                                 /* 0x800 */
#define GFP_NOIO               (__GFP_RECLAIM)                                        /* 0xc00 */
#define GFP_NOFS               (__GFP_RECLAIM | __GFP_IO)                             /* 0xc40 */
#define GFP_USER               (__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL) /* 0x100cc0 */
#define GFP_DMA                __GFP_DMA
#define GFP_DMA32              __GFP_DMA32
#define GFP_HIGHUSER           (GFP_USER | __GFP_HIGHMEM)                             /* 0x100cc2 */
#define GFP_HIGHUSER_MOVABLE   (GFP_HIGHUSER | __GFP_MOVABLE | __GFP_SKIP_KASAN_POISON | \
				__GFP_SKIP_KASAN_UNPOISON)                            /* 0x100cca */
#define GFP_TRANSHUGE_LIGHT    ((GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | \
				 __GFP_NOWARN) & ~__GFP_RECLAIM)                      /* 0x1c20ca */
#define GFP_TRANSHUGE          (GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM)           /* 0x1c24ca */

/* gfp_allowed_mask during early boot strips these (GFP_BOOT_MASK). */
#define GFP_BOOT_MASK          (__GFP_BITS_MASK & ~(__GFP_RECLAIM | __GFP_IO | __GFP_FS))
extern gfp_t gfp_allowed_mask;

/* --- zones and migratetypes (values shared with mm/page_alloc.h) ---------- */
enum zone_type {
	ZONE_DMA = 0,
	ZONE_DMA32 = 1,
	ZONE_NORMAL = 2,
	ZONE_MOVABLE = 3,
	ZONE_DEVICE = 4,            /* never allocated from; printed in /proc/zoneinfo */
	__MAX_NR_ZONES
};
#define MAX_NR_ZONES __MAX_NR_ZONES       /* 5: with CONFIG_ZONE_DEVICE */
#define ZONE_BAD (-1)                     /* combinations the kernel VM_BUG_ONs */

enum migratetype {
	MIGRATE_UNMOVABLE = 0,
	MIGRATE_MOVABLE = 1,
	MIGRATE_RECLAIMABLE = 2,
	MIGRATE_PCPTYPES = 3,
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,
	MIGRATE_CMA = 4,
	MIGRATE_ISOLATE = 5,
	MIGRATE_TYPES = 6
};

/**
 * gfp_zone() - highest usable zone index of @flags (GFP_ZONE_TABLE, x86-64).
 * Return: enum zone_type, or ZONE_BAD for two of DMA/DMA32/HIGHMEM together.
 */
int gfp_zone(gfp_t flags);

/* Set by boot when memory is tiny (page_group_by_mobility_disabled). */
extern bool page_group_by_mobility_disabled;

/** gfp_migratetype() - (flags & (RECLAIMABLE|MOVABLE)) >> 3, or UNMOVABLE without grouping. */
static inline int gfp_migratetype(gfp_t flags)
{
	if (page_group_by_mobility_disabled)
		return MIGRATE_UNMOVABLE;
	return (int)((flags & GFP_MOVABLE_MASK) >> GFP_MOVABLE_SHIFT);
}

/** gfpflags_allow_blocking() - may the caller sleep (direct reclaim)? */
static inline bool gfpflags_allow_blocking(gfp_t flags)
{
	return (flags & __GFP_DIRECT_RECLAIM) != 0;
}

/** gfp_has_io_fs() - both __GFP_IO and __GFP_FS set. */
static inline bool gfp_has_io_fs(gfp_t gfp)
{
	return (gfp & (__GFP_IO | __GFP_FS)) == (__GFP_IO | __GFP_FS);
}

/* --- printing / parsing (show_gfp_flags order, §14.2) --------------------- */
#define GFP_STR_MAX 512                   /* enough for every bit spelled out */

/**
 * gfp_format() - print @gfp as ftrace does ("GFP_KERNEL|__GFP_ZERO", leftover
 * bits as "0x..", "none" for 0) into @buf (always NUL-terminated).
 * Return: @buf.
 */
char *gfp_format(gfp_t gfp, char *buf, size_t len);

/**
 * gfp_format_pGg() - the printk %pGg spelling: same as gfp_format() but the
 * empty string for 0.
 */
char *gfp_format_pGg(gfp_t gfp, char *buf, size_t len);

/**
 * gfp_parse() - parse "GFP_KERNEL|__GFP_ZERO", "0xdc0", "none", "0" and older
 * spellings without the leading underscores ("GFP_ZERO", "GFP_NOWARN",
 * "GFP_NOMEMALLOC" ...); separators '|' with optional spaces.
 * Return: 0 with *@out set, or -EINVAL with a message in @err naming the
 * offending token (err may be NULL).
 */
int gfp_parse(const char *s, gfp_t *out, char *err, size_t errlen);

/** gfp_name_lookup() - value of one name ("GFP_KERNEL", "__GFP_ZERO", "GFP_ZERO"); -1 if unknown. */
long gfp_name_lookup(const char *name, size_t len);

/* --- scope API (include/linux/sched/mm.h) --------------------------------- */
unsigned int memalloc_noio_save(void);
void memalloc_noio_restore(unsigned int flags);
unsigned int memalloc_nofs_save(void);
void memalloc_nofs_restore(unsigned int flags);
unsigned int memalloc_noreclaim_save(void);
void memalloc_noreclaim_restore(unsigned int flags);
unsigned int memalloc_pin_save(void);
void memalloc_pin_restore(unsigned int flags);

/**
 * current_gfp_context() - @flags as constrained by the current task's scope:
 * NOIO clears IO|FS, else NOFS clears FS; PIN clears MOVABLE.
 */
gfp_t current_gfp_context(gfp_t flags);

#endif /* MMSIM_MM_GFP_H */
