/* SPDX-License-Identifier: MIT */
/*
 * machine/cpu.c — execution contexts: task, softirq, hardirq on a CPU.
 *
 * What it models: the part of the kernel's "current" that says where code
 * runs — smp_processor_id(), the context kind (in_task / in_softirq /
 * in_hardirq), preempt_count and the irqs-disabled flag. Each sim process that
 * runs kernel code has a struct exec_ctx as its process context pointer
 * (cpu_spawn passes it to sim_spawn); code outside any process runs in the
 * boot context (CPU 0, task). Only processes started through cpu_spawn() /
 * raise_irq() may call this_ctx(): a bare sim_spawn() process has a context
 * pointer of another type.
 *
 * Interrupts: raise_irq() starts one process on the chosen CPU at now+delay
 * that runs the handler in hardirq context (irqs disabled), then — like
 * irq_exit() invoking pending softirqs — switches the same context to softirq
 * (irqs enabled) and runs the softirq function.
 *
 * Invariants: preempt_count >= 0 (preempt_enable below zero is reported and
 * clamped, as a kernel "scheduling while atomic"-style bug would be); contexts
 * of finished processes are recycled only through the free list here.
 *
 * Simplified vs Linux 6.1: the kernel encodes hardirq/softirq nesting in
 * preempt_count bits; here the kind is a field and preempt_count counts only
 * preempt_disable() depth. CPUs are not exclusive resources: a hardirq
 * process does not stop the task process of the same CPU (the model's
 * processes never interleave within a non-sleeping section anyway, DESIGN §2).
 * in_softirq() means "serving a softirq" (the kernel's in_serving_softirq()),
 * not "bottom halves disabled".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cpu.h"
#include "machine/machine.h"
#include "machine/machine_int.h"
#include "sim/engine.h"
#include "sim/log.h"

struct ctx_block {
	struct ctx_block *next;
	struct exec_ctx ctx;
	void (*fn)(void *arg);
	/* raise_irq */
	void (*softirq)(void *arg);
	bool is_irq;
	bool free;
	struct ctx_block *free_next;
};

static struct exec_ctx boot = { .cpu = 0, .kind = CTX_TASK };
static struct ctx_block *all_blocks;
static struct ctx_block *free_blocks;
static unsigned long irqs_raised;

struct exec_ctx *boot_ctx(void)
{
	return &boot;
}

/*
 * Processes are looked up by their engine id (1, 2, ... in spawn order) in a
 * table of the contexts this file created, so a process started with a bare
 * sim_spawn() (whose context pointer is something else) safely reads as the
 * boot context instead of being misread as a struct exec_ctx.
 */
static struct exec_ctx **by_id;
static size_t by_id_cap;

static int by_id_set(struct sim_proc *p, struct exec_ctx *c)
{
	int id = sim_proc_id(p);

	if (id < 0)
		return -EINVAL;
	if ((size_t)id >= by_id_cap) {
		size_t cap = by_id_cap ? by_id_cap : 256;
		struct exec_ctx **n;

		while (cap <= (size_t)id)
			cap *= 2;
		n = realloc(by_id, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		memset(n + by_id_cap, 0, (cap - by_id_cap) * sizeof(*n));
		by_id = n;
		by_id_cap = cap;
	}
	by_id[id] = c;
	return 0;
}

struct exec_ctx *this_ctx(void)
{
	struct sim_proc *p = sim_current();
	int id;

	if (!p)
		return &boot;
	id = sim_proc_id(p);
	if (id >= 0 && (size_t)id < by_id_cap && by_id[id])
		return by_id[id];
	return &boot;
}

static struct ctx_block *block_get(void)
{
	struct ctx_block *b = free_blocks;

	if (b) {
		free_blocks = b->free_next;
	} else {
		b = calloc(1, sizeof(*b));
		if (!b)
			return NULL;
		b->next = all_blocks;
		all_blocks = b;
	}
	struct ctx_block *keep_next = b->next;
	memset(b, 0, sizeof(*b));
	b->next = keep_next;
	return b;
}

static void block_put(struct ctx_block *b)
{
	if (b->ctx.proc) {
		int id = sim_proc_id(b->ctx.proc);
		if (id >= 0 && (size_t)id < by_id_cap && by_id[id] == &b->ctx)
			by_id[id] = NULL;
	}
	b->free = true;
	b->free_next = free_blocks;
	free_blocks = b;
}

static void trampoline(void *arg)
{
	struct exec_ctx *c = arg;
	struct ctx_block *b = (struct ctx_block *)((char *)c - offsetof(struct ctx_block, ctx));

	b->fn(c->arg);
	if (b->is_irq) {
		if (c->preempt_count)
			sim_warn("irq %s on cpu %d returned with preempt_count %d",
				 c->proc ? sim_proc_name(c->proc) : "?", c->cpu, c->preempt_count);
		if (b->softirq) {
			c->kind = CTX_SOFTIRQ;
			c->irqs_disabled = false;
			c->preempt_count = 0;
			b->softirq(c->arg);
		}
		block_put(b);
	}
}

struct sim_proc *cpu_spawn(const char *name, int cpu, enum ctx_kind kind,
			   void (*fn)(void *arg), void *arg, void *task, sim_time_t start)
{
	struct ctx_block *b;
	struct sim_proc *p;

	if (!fn || cpu < 0 || cpu >= machine_nr_cpus()) {
		sim_error("cpu_spawn(%s): no CPU %d (nr_cpu_ids %d)", name ? name : "?", cpu,
			  machine_nr_cpus());
		return NULL;
	}
	b = block_get();
	if (!b)
		return NULL;
	b->fn = fn;
	b->ctx.cpu = cpu;
	b->ctx.kind = kind;
	b->ctx.irqs_disabled = kind == CTX_HARDIRQ || kind == CTX_NMI;
	b->ctx.task = task;
	b->ctx.arg = arg;
	p = sim_spawn(name ? name : "cpu", trampoline, &b->ctx, start);
	if (!p) {
		block_put(b);
		return NULL;
	}
	b->ctx.proc = p;
	if (by_id_set(p, &b->ctx)) {
		sim_error("cpu_spawn(%s): out of memory", name ? name : "?");
		return NULL;
	}
	return p;
}

int raise_irq(int cpu, const char *name, void (*handler)(void *arg),
	      void (*softirq)(void *arg), void *arg, sim_time_t delay)
{
	struct ctx_block *b;
	struct sim_proc *p;
	char pname[64];

	if (!handler || cpu < 0 || cpu >= machine_nr_cpus()) {
		sim_error("raise_irq(%s): no CPU %d (nr_cpu_ids %d)", name ? name : "?", cpu,
			  machine_nr_cpus());
		return -EINVAL;
	}
	b = block_get();
	if (!b)
		return -ENOMEM;
	b->fn = handler;
	b->softirq = softirq;
	b->is_irq = true;
	b->ctx.cpu = cpu;
	b->ctx.kind = CTX_HARDIRQ;
	b->ctx.irqs_disabled = true;
	b->ctx.arg = arg;
	snprintf(pname, sizeof(pname), "irq/%s/%d", name ? name : "dev", cpu);
	p = sim_spawn(pname, trampoline, &b->ctx, sim_now() + delay);
	if (!p) {
		block_put(b);
		return -ENOMEM;
	}
	b->ctx.proc = p;
	if (by_id_set(p, &b->ctx))
		return -ENOMEM;
	irqs_raised++;
	return 0;
}

/** cpu_irqs_raised() - interrupts raised so far (for tests and stats). */
unsigned long cpu_irqs_raised(void)
{
	return irqs_raised;
}

void cpu_contexts_reset(void)
{
	/*
	 * Blocks may still be referenced by processes the engine has not freed;
	 * only reset bookkeeping of free ones and the boot context. The memory is
	 * released at exit (one machine per host process).
	 */
	boot = (struct exec_ctx){ .cpu = 0, .kind = CTX_TASK };
	irqs_raised = 0;
}

/* --- context tests ----------------------------------------------------------- */

bool in_hardirq(void)
{
	return this_ctx()->kind == CTX_HARDIRQ;
}

bool in_softirq(void)
{
	return this_ctx()->kind == CTX_SOFTIRQ;
}

bool in_nmi(void)
{
	return this_ctx()->kind == CTX_NMI;
}

bool in_interrupt(void)
{
	return this_ctx()->kind != CTX_TASK;
}

bool in_task(void)
{
	return this_ctx()->kind == CTX_TASK;
}

bool irqs_disabled(void)
{
	return this_ctx()->irqs_disabled;
}

bool preemptible(void)
{
	const struct exec_ctx *c = this_ctx();

	return c->kind == CTX_TASK && c->preempt_count == 0 && !c->irqs_disabled;
}

void preempt_disable(void)
{
	this_ctx()->preempt_count++;
}

void preempt_enable(void)
{
	struct exec_ctx *c = this_ctx();

	if (c->preempt_count <= 0) {
		sim_warn("preempt_enable on cpu %d with preempt_count %d (unbalanced)",
			 c->cpu, c->preempt_count);
		c->preempt_count = 0;
		return;
	}
	c->preempt_count--;
}

void local_irq_disable(void)
{
	this_ctx()->irqs_disabled = true;
}

void local_irq_enable(void)
{
	this_ctx()->irqs_disabled = false;
}

unsigned long local_irq_save_flags(void)
{
	struct exec_ctx *c = this_ctx();
	unsigned long was = c->irqs_disabled;

	c->irqs_disabled = true;
	return was;
}

void local_irq_restore(unsigned long flags)
{
	this_ctx()->irqs_disabled = flags != 0;
}

void local_bh_disable(void)
{
	this_ctx()->bh_disabled = true;
}

void local_bh_enable(void)
{
	this_ctx()->bh_disabled = false;
}

int preempt_count(void)
{
	return this_ctx()->preempt_count;
}
