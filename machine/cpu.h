/* SPDX-License-Identifier: MIT */
/*
 * machine/cpu.h — CPUs and execution contexts.
 *
 * Every sim process that runs kernel code is bound to a CPU and a context kind
 * (task, softirq, hardirq) and carries a preempt count and an irqs-disabled
 * flag: struct exec_ctx, whose address is the sim process's context pointer.
 * Code outside any process (boot) runs in the boot context: CPU 0, task.
 * The `task` field belongs to mm/ (its struct task_struct); the machine never
 * looks inside it.
 */
#ifndef MMSIM_MACHINE_CPU_H
#define MMSIM_MACHINE_CPU_H

#include <stdbool.h>
#include <stdint.h>
#include "sim/engine.h"

enum ctx_kind { CTX_TASK, CTX_SOFTIRQ, CTX_HARDIRQ, CTX_NMI };

struct exec_ctx {
	int cpu;                         /* the CPU this context runs on */
	enum ctx_kind kind;
	int preempt_count;               /* preempt_disable() depth (task level) */
	bool irqs_disabled;
	bool bh_disabled;
	void *task;                      /* mm's struct task_struct, opaque here */
	void *arg;                       /* the process function's own argument */
	struct sim_proc *proc;
};

/** this_ctx() - the current execution context (the boot context outside processes). */
struct exec_ctx *this_ctx(void);
struct exec_ctx *boot_ctx(void);
static inline int smp_processor_id(void) { return this_ctx()->cpu; }

/**
 * cpu_spawn() - start a process running @fn(@arg) on @cpu in context @kind at
 * absolute time @start, with @task as its task (may be NULL: the CPU's idle /
 * interrupt context). The exec_ctx is allocated and owned by the machine.
 */
struct sim_proc *cpu_spawn(const char *name, int cpu, enum ctx_kind kind,
			   void (*fn)(void *arg), void *arg, void *task, sim_time_t start);

/* Context tests as the kernel spells them. */
bool in_hardirq(void);
bool in_softirq(void);                           /* serving softirq (not just BH disabled) */
bool in_interrupt(void);                         /* hardirq || softirq || nmi */
bool in_nmi(void);
bool in_task(void);
bool irqs_disabled(void);
/** preemptible() - false in interrupt, with preemption or irqs disabled. */
bool preemptible(void);
void preempt_disable(void);
void preempt_enable(void);
void local_irq_disable(void);
void local_irq_enable(void);

/**
 * raise_irq() - a device interrupt: run @handler(@arg) on @cpu in hardirq
 * context at time now + @delay, then @softirq(@arg) (if non-NULL) in softirq context.
 */
int raise_irq(int cpu, const char *name, void (*handler)(void *arg),
	      void (*softirq)(void *arg), void *arg, sim_time_t delay);

/* --- additions ------------------------------------------------------------- */
/** numa_node_id() - the node of the current CPU. */
int cpu_to_node(int cpu);
static inline int numa_node_id(void) { return cpu_to_node(smp_processor_id()); }
/* local_irq_save(flags) / local_irq_restore(flags) as the kernel spells them. */
unsigned long local_irq_save_flags(void);
void local_irq_restore(unsigned long flags);
#define local_irq_save(flags) do { (flags) = local_irq_save_flags(); } while (0)
/* Bottom halves: sets exec_ctx.bh_disabled (nesting not counted). */
void local_bh_disable(void);
void local_bh_enable(void);
/** preempt_count() - the current preempt_disable() depth. */
int preempt_count(void);
/** cpu_irqs_raised() - interrupts raised so far with raise_irq(). */
unsigned long cpu_irqs_raised(void);

#endif /* MMSIM_MACHINE_CPU_H */
