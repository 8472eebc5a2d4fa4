/* SPDX-License-Identifier: MIT */
/*
 * tests/check_vmalloc.c — vmalloc / vmap / ioremap / kvmalloc (suite "vmalloc"):
 * VA placement with guard pages, lazy purge at lazy_max_pages, page arrays,
 * /proc/vmallocinfo and meminfo, kvmalloc fallbacks and refusals (§16.17,
 * §16.18), misuse reports, access costs, invariants after random sequences.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cpu.h"
#include "machine/cost.h"
#include "machine/dma.h"
#include "machine/machine.h"
#include "machine/memsys.h"
#include "machine/tlb.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/percpu.h"
#include "mm/slab.h"
#include "mm/util.h"
#include "mm/vmalloc.h"
#include "sim/engine.h"
#include "sim/log.h"
#include "sim/rng.h"
#include "sim/stats.h"
#include "tests/suites.h"
#include "tests/testutil.h"

#define VS VMALLOC_START

/* Boot @nodes nodes, @cpus CPUs, @mib MiB per node; slab, vmalloc and percpu up. */
static void boot(int nodes, int cpus, unsigned mib, bool timing)
{
	struct sim_params sp = { SIM_DEFAULT_QUANTUM, timing };
	struct machine_desc d;
	struct memsys_params mp;
	struct mm_params p;
	char err[256];

	ck_assert_int_eq(sim_init(&sp), 0);
	machine_desc_init(&d);
	d.nr_nodes = nodes;
	d.nr_cpus = cpus;
	for (int c = 0; c < cpus; c++)
		d.cpu_node[c] = c * nodes / cpus;
	for (int n = 0; n < nodes; n++)
		d.node_mem[n] = (uint64_t)mib << 20;
	d.pci_hole = 0;
	ck_assert_msg(machine_build_desc(&d, err, sizeof(err)) == 0, "%s", err);
	memsys_default_params(&mp);
	mp.timing = timing;
	ck_assert_msg(memsys_init(&mp, err, sizeof(err)) == 0, "%s", err);
	mm_params_default(&p);
	p.timing = timing ? 1 : 0;
	p.kernel_image_size = 4 << 20;
	ck_assert_msg(mm_boot(&p, err, sizeof(err)) == 0, "%s", err);
	if (!slab_is_available())
		ck_assert_int_eq(kmem_cache_init(), 0);
	ck_assert_int_eq(vmalloc_init(), 0);
	ck_assert_int_eq(percpu_init(&p), 0);
	boot_ctx()->cpu = 0;
}

static char *dmesg_path;

static void open_dmesg(void)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/dmesg.log", test_tmpdir());
	ck_assert_int_eq(sim_dmesg_open(path), 0);
	dmesg_path = path;
}

static bool dmesg_has(const char *needle)
{
	FILE *f = sim_dmesg_file();
	size_t len;

	if (f)
		fflush(f);
	char *s = test_read_file(dmesg_path, &len);
	bool r = s && strstr(s, needle);
	free(s);
	return r;
}

static char *vmallocinfo(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(proc_vmallocinfo(f), 0);
	fclose(f);
	return buf;
}

/* §16.18: two vmalloc(4096) on an empty area: VMALLOC_START and +8192 (guard page). */
START_TEST(test_va_placement_guard)
{
	boot(1, 4, 64, false);
	void *a = vmalloc(4096), *b = vmalloc(4096);

	ck_assert_uint_eq((unsigned long)a, VS);
	ck_assert_uint_eq((unsigned long)b, VS + 8192);
	ck_assert_uint_eq(find_vm_area(a)->size, 8192);
	ck_assert_uint_eq(find_vm_area(a)->nr_pages, 1);
	/* the freed range is not reused before a purge */
	vfree(a);
	ck_assert_uint_eq(vmap_lazy_nr(), 2);
	void *c = vmalloc(1);
	ck_assert_uint_eq((unsigned long)c, VS + 16384);
	/* lowest fit: a 3-page hole below is used by a 2-page (1 + guard) request after purge */
	vm_unmap_aliases();
	ck_assert_uint_eq(vmap_lazy_nr(), 0);
	void *d = vmalloc(4096);
	ck_assert_uint_eq((unsigned long)d, VS);
	void *e = vmalloc(4097);                  /* 2 pages + guard: above the busy ones */
	ck_assert_uint_eq((unsigned long)e, VS + 24576);
	ck_assert_uint_eq(find_vm_area(e)->size, 12288);
	ck_assert_uint_eq(find_vm_area(e)->nr_pages, 2);
	ck_assert_int_eq(vmalloc_check(), 0);
}
END_TEST

START_TEST(test_lazy_max_pages)
{
	boot(1, 4, 32, false);
	ck_assert_uint_eq(lazy_max_pages(), 24576);
}
END_TEST

START_TEST(test_lazy_max_pages_16)
{
	boot(2, 16, 32, false);
	ck_assert_uint_eq(lazy_max_pages(), 5 * 8192);
}
END_TEST

/* §16.18: the range is not reused until lazy pages exceed 24576 and a purge runs (one shootdown). */
START_TEST(test_lazy_purge_threshold)
{
	struct tlb_counts t0, t1;

	boot(1, 4, 64, false);
	void *a = vmalloc(4096);
	ck_assert_uint_eq((unsigned long)a, VS);
	vfree(a);
	for (int i = 0; i < 5; i++) {
		void *p = vmalloc(16 << 20);               /* 4096 pages + guard */
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_ne((unsigned long)p, VS);
		vfree(p);
	}
	/* each 16 MiB area: 4096 pages + guard, and its 32 KiB page array: 8 pages + guard */
	ck_assert_uint_eq(vmap_lazy_nr(), 2 + 5 * (4097 + 9));     /* 20532 <= 24576 */
	ck_assert_uint_eq(vmalloc_purge_count(), 0);
	tlb_get_counts(&t0);
	void *p = vmalloc(16 << 20);
	ck_assert_ptr_nonnull(p);
	vfree(p);                                        /* 24638 > 24576: purge */
	tlb_get_counts(&t1);
	ck_assert_uint_eq(vmalloc_purge_count(), 1);
	ck_assert_uint_eq(vmap_lazy_nr(), 0);
	ck_assert_uint_eq(t1.shootdowns - t0.shootdowns, 1);
	ck_assert_uint_eq(t1.full_flushes - t0.full_flushes, 4);   /* > 33 pages: full flush on every CPU */
	void *b = vmalloc(4096);
	ck_assert_uint_eq((unsigned long)b, VS);
	ck_assert_int_eq(vmalloc_check(), 0);
	ck_assert_int_eq(mm_check(), 0);
}
END_TEST

/* An allocation that finds no VA purges the lazy areas once and retries. */
START_TEST(test_overflow_purges_then_warns)
{
	boot(1, 2, 32, false);
	open_dmesg();
	unsigned long start = VS + (1UL << 30), end = start + 3 * PAGE_SIZE;
	void *a = __vmalloc_node_range(4096, 1, start, end, GFP_KERNEL, 0, NUMA_NO_NODE, "t");
	ck_assert_uint_eq((unsigned long)a, start);
	void *b = __vmalloc_node_range(4096, 1, start, end, GFP_KERNEL, 0, NUMA_NO_NODE, "t");
	ck_assert_ptr_null(b);
	ck_assert(dmesg_has("vmap allocation for size 8192 failed: use vmalloc=<size> to increase size"));
	ck_assert(dmesg_has("vmalloc error: size 4096, vm_struct allocation failed"));
	vfree(a);
	ck_assert_uint_eq(vmalloc_purge_count(), 0);
	b = __vmalloc_node_range(4096, 1, start, end, GFP_KERNEL, 0, NUMA_NO_NODE, "t");
	ck_assert_uint_eq((unsigned long)b, start);            /* reused after the purge */
	ck_assert_uint_eq(vmalloc_purge_count(), 1);
	ck_assert_int_eq(vmalloc_check(), 0);
}
END_TEST

START_TEST(test_pages_and_meminfo)
{
	boot(1, 2, 64, false);
	unsigned long before = nr_free_pages();
	void *p = vzalloc(10 * PAGE_SIZE + 1);

	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(vmalloc_nr_pages(), 11);
	for (int i = 0; i < 11; i++) {
		struct page *pg = vmalloc_to_page((char *)p + i * PAGE_SIZE);
		ck_assert_ptr_nonnull(pg);
		ck_assert_int_eq(page_type(pg), PGTY_VMALLOC);
		ck_assert_uint_eq(vmalloc_to_pfn((char *)p + i * PAGE_SIZE), page_to_pfn(pg));
	}
	ck_assert_ptr_null(vmalloc_to_page((char *)p + 11 * PAGE_SIZE));   /* guard page */
	ck_assert_uint_lt(nr_free_pages(), before - 11);
	ck_assert_uint_gt(*stat_find_counter("mm.vmalloc.pgtable_pages"), 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	vmalloc_print_meminfo(f);
	fclose(f);
	ck_assert_str_eq(buf, "VmallocTotal:   34359738367 kB\nVmallocUsed:          44 kB\n"
			 "VmallocChunk:          0 kB\n");
	free(buf);
	vfree(p);
	ck_assert_uint_eq(vmalloc_nr_pages(), 0);
	ck_assert_ptr_null(vmalloc_to_page(p));
	ck_assert_int_eq(vmalloc_check(), 0);
	ck_assert_int_eq(mm_check(), 0);
}
END_TEST

/* Page arrays above 4 KiB are vmalloc'd ("vpages"); vmallocinfo format. */
START_TEST(test_vmallocinfo)
{
	boot(2, 4, 64, false);
	void *a = vmalloc(4096);
	void *b = vmalloc_node(8 << 20, 1);              /* 2048 pages: 16 KiB page array */
	void *c = ioremap(0x7e000000ULL + 0x10, 0x100);

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq((unsigned long)c & ~PAGE_MASK, 0x10);
	char *s = vmallocinfo();
	char line[256];
	snprintf(line, sizeof(line), "0x%016lx-0x%016lx    8192 vmalloc pages=1 vmalloc N0=1\n", VS, VS + 8192);
	ck_assert_msg(strstr(s, line), "%s", s);
	ck_assert_msg(strstr(s, " vmalloc_node pages=2048 vmalloc vpages N1=2048\n"), "%s", s);
	ck_assert_msg(strstr(s, "    8192 ioremap phys=0x000000007e000000 ioremap\n"), "%s", s);
	ck_assert_msg(strstr(s, "   20480 vmalloc_node pages=4 vmalloc N1=4\n"), "%s", s);  /* the nested array */
	free(s);
	iounmap(c);
	vfree(a);
	s = vmallocinfo();
	snprintf(line, sizeof(line), "0x%016lx-0x%016lx    8192 unpurged vm_area\n", VS, VS + 8192);
	ck_assert_msg(strstr(s, line), "%s", s);
	free(s);
	vfree(b);
	ck_assert_uint_eq(vmalloc_nr_areas(), 0);
	ck_assert_int_eq(vmalloc_check(), 0);
}
END_TEST

START_TEST(test_node_local_pages)
{
	boot(2, 4, 64, false);
	void *p = vmalloc_node(64 << 10, 1), *q;

	for (int i = 0; i < 16; i++)
		ck_assert_int_eq(page_to_nid(vmalloc_to_page((char *)p + i * PAGE_SIZE)), 1);
	boot_ctx()->cpu = 3;                              /* CPU 3 is on node 1 */
	q = vmalloc(16 << 10);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(page_to_nid(vmalloc_to_page((char *)q + i * PAGE_SIZE)), 1);
	boot_ctx()->cpu = 0;
	q = vmalloc(16 << 10);
	ck_assert_int_eq(page_to_nid(vmalloc_to_page(q)), 0);
}
END_TEST

START_TEST(test_zero_and_too_big)
{
	boot(1, 2, 32, false);
	open_dmesg();
	ck_assert_ptr_null(vmalloc(0));
	ck_assert(dmesg_has("__vmalloc_node_range"));
	ck_assert_ptr_null(vmalloc(64UL << 20));             /* > totalram_pages */
	ck_assert(dmesg_has("vmalloc error: size 67108864, exceeds total pages, mode:0xcc0(GFP_KERNEL)"));
	ck_assert_uint_eq(vmalloc_nr_areas(), 0);
}
END_TEST

START_TEST(test_vfree_misuse)
{
	boot(1, 2, 32, false);
	open_dmesg();
	void *k = kmalloc(128, GFP_KERNEL), *v = vmalloc(8192);

	vfree(k);
	ck_assert_uint_eq(vmalloc_misuse_count(VMALLOC_MISUSE_DIRECT_MAP), 1);
	ck_assert(dmesg_has("Trying to vfree() nonexistent vm area ("));
	vfree((char *)v + 8);
	ck_assert_uint_eq(vmalloc_misuse_count(VMALLOC_MISUSE_BAD_ADDR), 1);
	ck_assert(dmesg_has("Trying to vfree() bad address ("));
	vfree(v);
	vfree(v);
	ck_assert_uint_eq(vmalloc_misuse_count(VMALLOC_MISUSE_DOUBLE_FREE), 1);
	vfree((void *)(VS + (5UL << 30)));
	ck_assert_uint_eq(vmalloc_misuse_count(VMALLOC_MISUSE_NONEXISTENT), 1);
	/* kfree of a vmalloc address is the slab's to detect */
	void *w = vmalloc(4096);
	unsigned long before = slab_misuse_count(SLAB_MISUSE_VMALLOC_FREE);
	kfree(w);
	ck_assert_uint_eq(slab_misuse_count(SLAB_MISUSE_VMALLOC_FREE), before + 1);
	ck_assert_ptr_nonnull(find_vm_area(w));
	kfree(k);
	ck_assert_int_eq(vmalloc_check(), 0);
	ck_assert_int_eq(mm_check(), 0);
}
END_TEST

static void *ctx_arg;
static void nmi_fn(void *arg)
{
	(void)arg;
	vfree(ctx_arg);
}

START_TEST(test_vfree_nmi)
{
	boot(1, 2, 32, false);
	open_dmesg();
	ctx_arg = vmalloc(4096);
	cpu_spawn("nmi", 1, CTX_NMI, nmi_fn, NULL, NULL, 0);
	sim_run(SIM_MS);
	ck_assert_uint_eq(vmalloc_misuse_count(VMALLOC_MISUSE_NMI), 1);
	ck_assert(dmesg_has("kernel BUG at mm/vmalloc.c:"));
	ck_assert_ptr_nonnull(find_vm_area(ctx_arg));          /* nothing freed */
}
END_TEST

static void irq_fn(void *arg)
{
	(void)arg;
	vfree(ctx_arg);
	ck_assert_uint_eq(vfree_deferred_pending(), 1);
	ck_assert_ptr_nonnull(find_vm_area(ctx_arg));          /* deferred */
}

START_TEST(test_vfree_irq_deferred)
{
	boot(1, 2, 32, false);
	ctx_arg = vmalloc(3 * 4096);
	ck_assert_uint_eq(vmalloc_nr_pages(), 3);
	raise_irq(1, "eth0", irq_fn, NULL, NULL, SIM_US);
	sim_run(SIM_MS);
	ck_assert_uint_eq(vfree_deferred_pending(), 0);       /* a kworker ran the list */
	ck_assert_ptr_null(find_vm_area(ctx_arg));
	ck_assert_uint_eq(vmalloc_nr_pages(), 0);
	ck_assert_uint_eq(mm_might_sleep_bugs(), 0);
}
END_TEST

START_TEST(test_vfree_atomic)
{
	boot(1, 2, 32, false);
	void *p = vmalloc(4096);

	preempt_disable();
	vfree_atomic(p);
	preempt_enable();
	ck_assert_uint_eq(vfree_deferred_pending(), 1);
	ck_assert_uint_eq(mm_might_sleep_bugs(), 0);
	vfree_deferred_run();
	ck_assert_uint_eq(vfree_deferred_pending(), 0);
	ck_assert_ptr_null(find_vm_area(p));
	/* a sleeping vmalloc with preemption disabled is reported */
	preempt_disable();
	void *q = vmalloc(4096);
	preempt_enable();
	ck_assert_ptr_nonnull(q);
	ck_assert_uint_ge(mm_might_sleep_bugs(), 1);
}
END_TEST

START_TEST(test_vmap_vunmap)
{
	struct page *pages[4];

	boot(1, 2, 32, false);
	for (int i = 0; i < 4; i++)
		ck_assert_ptr_nonnull(pages[i] = alloc_pages(GFP_KERNEL, 0));
	void *v = vmap(pages, 4, 0);
	ck_assert_ptr_nonnull(v);
	for (int i = 0; i < 4; i++)
		ck_assert_ptr_eq(vmalloc_to_page((char *)v + i * PAGE_SIZE), pages[i]);
	ck_assert_int_eq(find_vm_area(v)->flags & VM_MAP, VM_MAP);
	ck_assert_uint_eq(vmalloc_nr_pages(), 0);             /* vmap pages are not VmallocUsed */
	vunmap(v);
	ck_assert_ptr_null(vmalloc_to_page(v));
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(page_count(pages[i]), 1);
		__free_pages(pages[i], 0);
	}
	ck_assert_int_eq(vmalloc_check(), 0);
	ck_assert_int_eq(mm_check(), 0);
}
END_TEST

START_TEST(test_ioremap)
{
	boot(1, 2, 32, false);
	open_dmesg();
	void *a = ioremap(0xfed00000ULL, 0x400);
	bool mapped;

	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(mmu_translate((unsigned long)a, &mapped), 0xfed00000ULL);
	ck_assert(mapped);
	ck_assert(find_vm_area(a)->flags & VM_IOREMAP);
	/* 64 KiB ioremap: aligned to its size */
	void *b = ioremap(0xfe000000ULL, 64 << 10);
	ck_assert_uint_eq((unsigned long)b & ((64 << 10) - 1), 0);
	/* RAM is refused */
	ck_assert_ptr_null(ioremap(16 << 20, PAGE_SIZE));
	ck_assert_uint_eq(vmalloc_misuse_count(VMALLOC_MISUSE_IOREMAP_RAM), 1);
	ck_assert(dmesg_has("ioremap on RAM at 0x0000000001000000 - 0x0000000001000fff"));
	iounmap(a);
	iounmap(b);
	ck_assert_uint_eq(vmalloc_nr_areas(), 0);
	iounmap((void *)(VS + 12345));
	ck_assert(dmesg_has("iounmap: bad address"));
}
END_TEST

START_TEST(test_dma_into_vmalloc)
{
	struct dma_device_desc dd = { .name = "nic0", .mask = DMA_BIT_MASK(64), .node = 0,
				      .bandwidth = 1000000000, .irq_cpu = 0, .mmio_size = 16384 };
	char err[128];

	boot(1, 2, 32, false);
	open_dmesg();
	struct dma_device *d = dma_add_device(&dd, err, sizeof(err));
	ck_assert_msg(d != NULL, "%s", err);
	void *v = vmalloc(8192), *k = kmalloc(2048, GFP_KERNEL);
	ck_assert_int_eq(kva_dma_transfer(d, (unsigned long)v, 8192, false), -EFAULT);
	ck_assert_uint_eq(vmalloc_misuse_count(VMALLOC_MISUSE_DMA), 1);
	ck_assert(dmesg_has("device driver maps memory from vmalloc area"));
	ck_assert_int_eq(kva_dma_transfer(d, (unsigned long)k, 2048, true), 0);
	void *m = ioremap_device(d);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(find_vm_area(m)->phys_addr, dma_mmio_base(d));
}
END_TEST

/* §16.17: kvmalloc(100 KiB) with no order-5 block: quiet kmalloc failure, vmalloc fallback. */
START_TEST(test_kvmalloc_fallback)
{
	boot(1, 4, 32, false);
	open_dmesg();
	size_t cap = 16384, n = 0;
	struct page **pg = malloc(cap * sizeof(*pg));
	struct page *p;

	while (n < cap && (p = alloc_pages(GFP_NOWAIT | __GFP_MEMALLOC | __GFP_NOWARN, 0)))
		pg[n++] = p;
	ck_assert_uint_gt(n, 1000);
	/* free every page with an even pfn: plenty of memory, no order >= 1 block */
	size_t freed = 0;
	for (size_t i = 0; i < n; i++)
		if (!(page_to_pfn(pg[i]) & 1)) {
			__free_pages(pg[i], 0);
			pg[i] = NULL;
			freed++;
		}
	drain_all_pages(NULL);
	ck_assert_uint_gt(freed, 200);
	unsigned long msgs = sim_printk_count();
	void *v = kvmalloc(100 << 10, GFP_KERNEL);
	ck_assert_ptr_nonnull(v);
	ck_assert(is_vmalloc_addr(v));
	ck_assert_uint_eq(sim_printk_count(), msgs);                  /* the kmalloc try is NOWARN */
	ck_assert_uint_eq(kvmalloc_path_count(KVMALLOC_PATH_VMALLOC), 1);
	ck_assert_uint_eq(find_vm_area(v)->nr_pages, 25);
	ck_assert_uint_eq(find_vm_area(v)->size, 26 * PAGE_SIZE);
	ck_assert(find_vm_area(v)->flags & VM_ALLOW_HUGE_VMAP);
	/* non-blocking caller: no vmalloc fallback */
	unsigned long areas = vmalloc_nr_areas();
	ck_assert_ptr_null(kvmalloc(100 << 10, GFP_NOWAIT));
	ck_assert_ptr_null(kvmalloc(100 << 10, GFP_ATOMIC));
	ck_assert_uint_eq(kvmalloc_path_count(KVMALLOC_PATH_NOBLOCK), 2);
	ck_assert_uint_eq(vmalloc_nr_areas(), areas);
	/* sub-page sizes never fall back */
	void *k = kvmalloc(4096, GFP_KERNEL);
	ck_assert_ptr_nonnull(k);
	ck_assert(!is_vmalloc_addr(k));
	kvfree(k);
	kvfree(v);
	ck_assert_ptr_null(find_vm_area(v));
	for (size_t i = 0; i < n; i++)
		if (pg[i])
			__free_pages(pg[i], 0);
	free(pg);
	ck_assert_int_eq(mm_check(), 0);
}
END_TEST

START_TEST(test_kvmalloc_refusals)
{
	boot(1, 2, 32, false);
	open_dmesg();
	unsigned long msgs = sim_printk_count();

	ck_assert_ptr_null(kvmalloc(KV_INT_MAX + 1UL, GFP_KERNEL | __GFP_NOWARN));
	ck_assert_uint_eq(sim_printk_count(), msgs);
	ck_assert_uint_eq(kvmalloc_path_count(KVMALLOC_PATH_TOO_BIG), 1);
	ck_assert_ptr_null(kvmalloc(KV_INT_MAX + 1UL, GFP_KERNEL));
	ck_assert(dmesg_has("at mm/util.c:"));
	ck_assert_uint_eq(kvmalloc_path_count(KVMALLOC_PATH_TOO_BIG), 2);
	/* overflowing arrays: NULL, nothing attempted */
	ck_assert_ptr_null(kvmalloc_array(SIZE_MAX / 2 + 1, 2, GFP_KERNEL));
	ck_assert_ptr_null(kvcalloc(SIZE_MAX / 4, 8, GFP_KERNEL));
	unsigned long total = 0;
	for (int i = 0; i < NR_KVMALLOC_PATHS; i++)
		total += kvmalloc_path_count((enum kvmalloc_path)i);
	ck_assert_uint_eq(total, 2);
	/* small sizes come from kmalloc */
	void *a = kvzalloc(512, GFP_KERNEL);
	ck_assert_ptr_nonnull(a);
	ck_assert(!is_vmalloc_addr(a));
	ck_assert_uint_eq(kvmalloc_path_count(KVMALLOC_PATH_KMALLOC), 1);
	/* kvrealloc: shrink keeps the pointer, growth moves */
	ck_assert_ptr_eq(kvrealloc(a, 512, 100, GFP_KERNEL), a);
	void *b = kvrealloc(a, 512, 1 << 20, GFP_KERNEL);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_ne(b, a);
	kvfree(b);
	kvfree(NULL);
	ck_assert_int_eq(vmalloc_check(), 0);
	ck_assert_uint_eq(slab_misuse_count(SLAB_MISUSE_DOUBLE_FREE), 0);
}
END_TEST

/* kmalloc memory sits under 1 GiB direct-map TLB entries; vmalloc needs one 4 KiB entry per page. */
START_TEST(test_access_cost_kmalloc_vs_vmalloc)
{
	boot(1, 2, 128, true);
	unsigned long k = (unsigned long)kmalloc_node_track_caller(4 << 20, GFP_KERNEL, NUMA_NO_NODE, "t");
	unsigned long v = (unsigned long)vmalloc(4 << 20);
	sim_time_t tk = 0, tv = 0;
	struct tlb_counts c0, c1, c2;

	ck_assert_uint_ne(k, 0);
	ck_assert_uint_ne(v, 0);
	flush_tlb_all();
	tlb_get_counts(&c0);
	for (unsigned long o = 0; o < (4 << 20); o += PAGE_SIZE)
		tk += mem_read(k + o, 8);
	tlb_get_counts(&c1);
	for (unsigned long o = 0; o < (4 << 20); o += PAGE_SIZE)
		tv += mem_read(v + o, 8);
	tlb_get_counts(&c2);
	ck_assert_uint_le(c1.walks - c0.walks, 2);
	ck_assert_uint_ge(c2.walks - c1.walks, 1024);
	ck_assert_msg(tv > tk, "vmalloc %lu ps, kmalloc %lu ps", (unsigned long)tv, (unsigned long)tk);
}
END_TEST

/* Not enough pages: warn_alloc "failed to allocate pages", everything given back. */
START_TEST(test_short_allocation)
{
	boot(1, 2, 32, false);
	open_dmesg();
	unsigned long free0 = nr_free_pages();
	unsigned long pages = free0 + 64 < totalram_pages() ? free0 + 64 : totalram_pages();
	void *p = vmalloc(pages * PAGE_SIZE);

	ck_assert_ptr_null(p);
	ck_assert(dmesg_has("failed to allocate pages, mode:0xcc0(GFP_KERNEL)"));
	ck_assert_uint_eq(vmalloc_nr_areas(), 0);
	ck_assert_uint_eq(vmalloc_nr_pages(), 0);
	drain_all_pages(NULL);
	ck_assert_uint_ge(nr_free_pages() + 64, free0);     /* only page tables / metadata kept */
	ck_assert_int_eq(vmalloc_check(), 0);
	ck_assert_int_eq(mm_check(), 0);
	/* and a normal allocation still works afterwards */
	p = vmalloc(1 << 20);
	ck_assert_ptr_nonnull(p);
	vfree(p);
}
END_TEST

/* vmalloc_huge: no PMD mappings in this machine, so 4 KiB pages, still VM_ALLOW_HUGE_VMAP. */
START_TEST(test_vmalloc_huge_falls_back)
{
	boot(1, 2, 64, false);
	void *p = vmalloc_huge(4 << 20, GFP_KERNEL);

	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(find_vm_area(p)->page_order, 0);
	ck_assert_uint_eq(find_vm_area(p)->nr_pages, 1024);
	ck_assert(find_vm_area(p)->flags & VM_ALLOW_HUGE_VMAP);
	ck_assert_uint_eq((unsigned long)p, VS);              /* no 2 MiB alignment either */
	void *q = vmalloc_32(8192);
	ck_assert_ptr_nonnull(q);
	ck_assert_int_le(page_zonenum(vmalloc_to_page(q)), ZONE_DMA32);
	void *u = vmalloc_user(100);
	ck_assert(find_vm_area(u)->flags & VM_USERMAP);
	vfree(p);
	vfree(q);
	vfree(u);
	ck_assert_int_eq(vmalloc_check(), 0);
}
END_TEST

/* Random vmalloc / vzalloc / vmap / vfree sequences keep every invariant. */
START_TEST(test_random_invariants)
{
	struct rng r;
	void *live[64] = { 0 };

	boot(2, 4, 64, false);
	rng_seed(&r, 42, 5);
	for (int it = 0; it < 600; it++) {
		int i = (int)rng_below(&r, 64);

		if (live[i]) {
			vfree(live[i]);
			live[i] = NULL;
		} else {
			unsigned long size = 1 + rng_below(&r, 300 << 10);
			int kind = (int)rng_below(&r, 3);
			live[i] = kind == 0 ? vmalloc(size) : kind == 1 ? vzalloc_node(size, (int)rng_below(&r, 2)) :
				  kvmalloc(size, GFP_KERNEL);
			ck_assert_ptr_nonnull(live[i]);
		}
		if (it % 50 == 0) {
			ck_assert_int_eq(vmalloc_check(), 0);
		}
	}
	for (int i = 0; i < 64; i++)
		kvfree(live[i]);
	ck_assert_int_eq(vmalloc_check(), 0);
	ck_assert_uint_eq(vmalloc_nr_pages(), 0);
	ck_assert_int_eq(mm_check(), 0);
}
END_TEST

Suite *vmalloc_suite(void)
{
	Suite *s = suite_create("vmalloc");
	TCase *tc = tcase_create("vmalloc");

	tcase_add_test(tc, test_va_placement_guard);
	tcase_add_test(tc, test_lazy_max_pages);
	tcase_add_test(tc, test_lazy_max_pages_16);
	tcase_add_test(tc, test_lazy_purge_threshold);
	tcase_add_test(tc, test_overflow_purges_then_warns);
	tcase_add_test(tc, test_pages_and_meminfo);
	tcase_add_test(tc, test_vmallocinfo);
	tcase_add_test(tc, test_node_local_pages);
	tcase_add_test(tc, test_zero_and_too_big);
	tcase_add_test(tc, test_vfree_misuse);
	tcase_add_test(tc, test_vfree_nmi);
	tcase_add_test(tc, test_vfree_irq_deferred);
	tcase_add_test(tc, test_vfree_atomic);
	tcase_add_test(tc, test_vmap_vunmap);
	tcase_add_test(tc, test_ioremap);
	tcase_add_test(tc, test_dma_into_vmalloc);
	tcase_add_test(tc, test_kvmalloc_fallback);
	tcase_add_test(tc, test_kvmalloc_refusals);
	tcase_add_test(tc, test_access_cost_kmalloc_vs_vmalloc);
	tcase_add_test(tc, test_short_allocation);
	tcase_add_test(tc, test_vmalloc_huge_falls_back);
	tcase_add_test(tc, test_random_invariants);
	suite_add_tcase(s, tc);
	return s;
}
