// SPDX-License-Identifier: MIT
/*
 * mm/sched.c — `current` and the ftrace line prefix.
 *
 * Models: the task pointer the kernel reads through `current`, and the five
 * irq-info flag characters of the ftrace line (§14.1): irqs ('D' irqs off and
 * BH off, 'd' irqs off, 'b' BH off, '.'), need-resched (always '.': the model
 * has no preemption requests), context ('h' hardirq, 's' softirq, 'z'/'Z' NMI,
 * '.'), preempt depth (hex digit or '.'), migrate-disable ('.').
 * Simplified: an interrupt context spawned without a task prints "<idle>"-0
 * (the kernel would print the interrupted task).
 */
#include <string.h>
#include "machine/cpu.h"
#include "mm/sched.h"
#include "sim/trace.h"

struct task_struct init_task = {
	.comm = "swapper/0",
	.pid = 0,
	.flags = PF_KTHREAD,
	.mems_allowed_node = -1,
};

struct task_struct *get_current(void)
{
	struct exec_ctx *c = this_ctx();

	if (c && c->task)
		return (struct task_struct *)c->task;
	return &init_task;
}

void task_init(struct task_struct *t, const char *comm, int pid)
{
	memset(t, 0, sizeof(*t));
	strncpy(t->comm, comm ? comm : "", TASK_COMM_LEN - 1);
	t->pid = pid;
	t->tgid = pid;
	t->mems_allowed_node = -1;
}

static void sched_trace_ctx(struct trace_ctx *out)
{
	struct exec_ctx *c = this_ctx();
	int depth;

	if (!c) {
		out->comm = init_task.comm;
		out->pid = 0;
		out->cpu = 0;
		memcpy(out->flags, ".....", 6);
		return;
	}
	if (c->task) {
		struct task_struct *t = c->task;
		out->comm = t->comm;
		out->pid = t->pid;
	} else if (c->kind == CTX_TASK) {
		out->comm = init_task.comm;
		out->pid = 0;
	} else {
		out->comm = "<idle>";
		out->pid = 0;
	}
	out->cpu = c->cpu;
	if (c->irqs_disabled && c->bh_disabled)
		out->flags[0] = 'D';
	else if (c->irqs_disabled)
		out->flags[0] = 'd';
	else if (c->bh_disabled)
		out->flags[0] = 'b';
	else
		out->flags[0] = '.';
	out->flags[1] = '.';
	switch (c->kind) {
	case CTX_HARDIRQ: out->flags[2] = 'h'; break;
	case CTX_SOFTIRQ: out->flags[2] = 's'; break;
	case CTX_NMI:     out->flags[2] = 'z'; break;
	default:          out->flags[2] = '.'; break;
	}
	depth = c->preempt_count;
	out->flags[3] = depth <= 0 ? '.' : (depth > 15 ? 'f' : "0123456789abcdef"[depth]);
	out->flags[4] = '.';
	out->flags[5] = '\0';
}

void sched_install_trace_ctx(void)
{
	trace_set_ctx_fn(sched_trace_ctx);
}
