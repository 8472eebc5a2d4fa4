// SPDX-License-Identifier: MIT
/*
 * mm/util.c — kvmalloc and friends of Linux 6.1 (mm/util.c), and helpers the
 * allocators above the buddy share.
 *
 * What it models
 *   - kvmalloc_node(): above PAGE_SIZE the kmalloc attempt is made quiet and
 *     cheap (NOWARN, NORETRY unless RETRY_MAYFAIL, no NOFAIL); sub-page
 *     requests and kmalloc successes return at once; non-blocking callers get
 *     no vmalloc fallback; > INT_MAX is refused with WARN_ON_ONCE; otherwise
 *     __vmalloc_node_range with the caller's original flags and
 *     VM_ALLOW_HUGE_VMAP. Since 5.17 any gfp mask is accepted (NOFS/NOIO are
 *     honoured through the scope API inside vmalloc).
 *   - kvfree() dispatches on is_vmalloc_addr(); kvrealloc() uses the 6.1
 *     (p, oldsize, newsize, flags) signature and charges the copy.
 *   - mm_might_sleep(): __might_sleep's report, rate-limited to one print per
 *     simulated second (the kernel's prev_jiffy + HZ), counted every time.
 * Latency of kvmalloc goes into histograms keyed by the path taken.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include "machine/cpu.h"          /* before mm/page_alloc.h: numa_node_id */
#include "machine/cost.h"
#include "mm/page_alloc.h"
#include "mm/sched.h"
#include "mm/slab.h"
#include "mm/util.h"
#include "mm/vmalloc.h"
#include "sim/engine.h"
#include "sim/log.h"
#include "sim/stats.h"

static const char *const kv_path_names[NR_KVMALLOC_PATHS] = {
	"kmalloc", "vmalloc", "noblock", "too_big", "fail",
};

static struct {
	uint64_t local_paths[NR_KVMALLOC_PATHS];
	uint64_t *paths[NR_KVMALLOC_PATHS];
	struct hist *lat[NR_KVMALLOC_PATHS];
	bool warned_int_max;
	uint64_t might_sleep_bugs;
	uint64_t *might_sleep_ctr;
	bool warned_sleep;
	sim_time_t last_sleep_ps;
} U;

void util_init(void)
{
	char name[64];

	memset(&U, 0, sizeof(U));
	for (int i = 0; i < NR_KVMALLOC_PATHS; i++) {
		snprintf(name, sizeof(name), "mm.latency.kvmalloc.%s", kv_path_names[i]);
		U.lat[i] = stat_hist(name, "ps", "kvmalloc latency by path");
		snprintf(name, sizeof(name), "mm.kvmalloc.%s", kv_path_names[i]);
		U.paths[i] = stat_counter(name, "calls", "kvmalloc outcomes", STAT_SUMMARY);
	}
	U.might_sleep_ctr = stat_counter("mm.might_sleep_bugs_above_buddy", "events",
					 "sleeping allocations in atomic context (vmalloc, percpu, mempool)",
					 STAT_SUMMARY);
}

unsigned long kvmalloc_path_count(enum kvmalloc_path p)
{
	return (unsigned)p < NR_KVMALLOC_PATHS ? U.local_paths[p] : 0;
}

static void *kv_done(enum kvmalloc_path p, sim_time_t t0, void *ret)
{
	U.local_paths[p]++;
	if (U.paths[p])
		++*U.paths[p];
	if (U.lat[p])
		hist_add(U.lat[p], sim_now() - t0);
	return ret;
}

void *kvmalloc_node_caller(size_t size, gfp_t flags, int node, const char *caller)
{
	sim_time_t t0 = sim_now();
	gfp_t kmalloc_flags = flags;
	void *ret;

	if (size > PAGE_SIZE) {
		kmalloc_flags |= __GFP_NOWARN;
		if (!(kmalloc_flags & __GFP_RETRY_MAYFAIL))
			kmalloc_flags |= __GFP_NORETRY;
		kmalloc_flags &= ~__GFP_NOFAIL;
	}
	ret = kmalloc_node_track_caller(size, kmalloc_flags, node, caller ? caller : "kvmalloc_node");
	if (ret || size <= PAGE_SIZE)
		return kv_done(ret ? KVMALLOC_PATH_KMALLOC : KVMALLOC_PATH_FAIL, t0, ret);
	if (!gfpflags_allow_blocking(flags))
		return kv_done(KVMALLOC_PATH_NOBLOCK, t0, NULL);
	if (size > KV_INT_MAX) {
		if (!(flags & __GFP_NOWARN) && !U.warned_int_max) {
			U.warned_int_max = true;
			sim_printk("------------[ cut here ]------------\n");
			sim_printk("WARNING: CPU: %d PID: %d at mm/util.c:596 kvmalloc_node+0x15c/0x170\n",
				   smp_processor_id(), current->pid);
			sim_printk("---[ end trace 0000000000000000 ]---\n");
		}
		return kv_done(KVMALLOC_PATH_TOO_BIG, t0, NULL);
	}
	ret = __vmalloc_node_range(size, 1, VMALLOC_START, VMALLOC_END, flags, VM_ALLOW_HUGE_VMAP, node,
				   caller ? caller : "kvmalloc_node");
	return kv_done(ret ? KVMALLOC_PATH_VMALLOC : KVMALLOC_PATH_FAIL, t0, ret);
}

void *kvmalloc_node(size_t size, gfp_t flags, int node)
{
	return kvmalloc_node_caller(size, flags, node, "kvmalloc_node");
}

void *kvmalloc(size_t size, gfp_t flags)
{
	return kvmalloc_node_caller(size, flags, NUMA_NO_NODE, "kvmalloc");
}

void *kvzalloc(size_t size, gfp_t flags)
{
	return kvmalloc_node_caller(size, flags | __GFP_ZERO, NUMA_NO_NODE, "kvzalloc");
}

void *kvzalloc_node(size_t size, gfp_t flags, int node)
{
	return kvmalloc_node_caller(size, flags | __GFP_ZERO, node, "kvzalloc_node");
}

void *kvmalloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kvmalloc_node_caller(bytes, flags, NUMA_NO_NODE, "kvmalloc_array");
}

void *kvcalloc(size_t n, size_t size, gfp_t flags)
{
	return kvmalloc_array(n, size, flags | __GFP_ZERO);
}

void kvfree(const void *addr)
{
	if (is_vmalloc_addr(addr))
		vfree(addr);
	else
		kfree(addr);
}

void kvfree_sensitive(const void *addr, size_t len)
{
	if (!ZERO_OR_NULL_PTR(addr)) {
		kva_charge_zero((unsigned long)addr, len);
		kvfree(addr);
	}
}

void *kvrealloc(const void *p, size_t oldsize, size_t newsize, gfp_t flags)
{
	void *newp;

	if (oldsize >= newsize)
		return (void *)p;
	newp = kvmalloc_node_caller(newsize, flags, NUMA_NO_NODE, "kvrealloc");
	if (!newp)
		return NULL;
	if (!ZERO_OR_NULL_PTR(p))
		kva_charge_copy((unsigned long)newp, (unsigned long)p, oldsize);
	kvfree(p);
	return newp;
}

void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = kmalloc_track_caller(len, gfp, "kmemdup");

	if (p && !ZERO_OR_NULL_PTR(src))
		kva_charge_copy((unsigned long)p, (unsigned long)src, len);
	return p;
}

/* --- shared helpers ------------------------------------------------------------------- */

uint64_t kva_to_phys(unsigned long va)
{
	if (is_direct_map(va))
		return virt_to_phys_addr(va);
	if (is_vmalloc_addr((const void *)va)) {
		bool mapped = false;
		phys_addr_t pa = mmu_translate(va & PAGE_MASK, &mapped);

		return mapped ? pa + (va & ~PAGE_MASK) : 0;
	}
	return 0;
}

void kva_charge_copy(unsigned long dst, unsigned long src, size_t len)
{
	while (len) {
		size_t n = PAGE_SIZE - (dst & ~PAGE_MASK);
		size_t m = PAGE_SIZE - (src & ~PAGE_MASK);

		if (m < n)
			n = m;
		if (n > len)
			n = len;
		uint64_t pd = kva_to_phys(dst), ps = kva_to_phys(src);
		if (pd && ps)
			mem_copy_phys(pd, ps, n);
		dst += n;
		src += n;
		len -= n;
	}
}

void kva_charge_zero(unsigned long dst, size_t len)
{
	while (len) {
		size_t n = PAGE_SIZE - (dst & ~PAGE_MASK);

		if (n > len)
			n = len;
		uint64_t pd = kva_to_phys(dst);
		if (pd)
			mem_zero_phys(pd, n);
		dst += n;
		len -= n;
	}
}

bool mm_might_sleep(const char *where)
{
	struct exec_ctx *c = this_ctx();

	if (!c || (c->kind == CTX_TASK && !c->irqs_disabled && c->preempt_count <= 0 && !c->bh_disabled))
		return false;
	U.might_sleep_bugs++;
	if (U.might_sleep_ctr)
		++*U.might_sleep_ctr;
	sim_time_t now = sim_now();
	if (U.warned_sleep && now - U.last_sleep_ps < SIM_SEC)
		return true;
	U.warned_sleep = true;
	U.last_sleep_ps = now;
	struct task_struct *t = current;
	int in_atomic = c->kind != CTX_TASK || c->preempt_count > 0 || c->bh_disabled;
	unsigned pc = (unsigned)(c->preempt_count > 0 ? c->preempt_count : 0);
	if (c->kind == CTX_SOFTIRQ)
		pc |= 0x100;
	if (c->bh_disabled)
		pc |= 0x200;
	if (c->kind == CTX_HARDIRQ)
		pc |= 0x10000;
	if (c->kind == CTX_NMI)
		pc |= 0x100000;
	sim_printk("BUG: sleeping function called from invalid context at %s\n", where);
	sim_printk("in_atomic(): %d, irqs_disabled(): %d, non_block: 0, pid: %d, name: %s\n",
		   in_atomic, c->irqs_disabled ? 1 : 0, t->pid, t->comm);
	sim_printk("preempt_count: %x, expected: 0\n", pc);
	sim_printk("CPU: %d PID: %d Comm: %s Not tainted 6.1.0-mmsim #1\n", c->cpu, t->pid, t->comm);
	return true;
}

unsigned long mm_might_sleep_bugs(void)
{
	return U.might_sleep_bugs;
}
