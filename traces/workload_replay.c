/* SPDX-License-Identifier: MIT */
/*
 * traces/workload_replay.c — the `replay` workload generator: a scenario task
 * that replays a Linux ftrace / trace-cmd / perf script allocation trace
 * (traces/replay.c) on the simulated CPUs.
 *
 *   tasks:
 *     - workload: replay
 *       trace: traces/samples/ftrace-6.1.trace
 *       mode: both            # slab | pages | both
 *       speed: 1              # recorded times divided by this
 *       asap: false           # ignore timestamps
 *
 * The task's `start` is the simulated time of the trace's first event.
 * Keys are read with the cfg accessors directly (the defaults below are the
 * ones in the parameter table, which `mmsim list-workloads` prints).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "sim/config.h"
#include "traces/trace.h"
#include "workloads/workload.h"

static const struct workload_param replay_params[] = {
	{ "trace", CFG_UNIT_NONE, NULL, "trace file: ftrace text (trace, trace_pipe), trace-cmd report or perf script" },
	{ "mode", CFG_UNIT_NONE, "both", "slab (kmalloc/kmem_cache_*/percpu), pages (mm_page_*) or both (page events not attributed to slab/percpu)" },
	{ "speed", CFG_UNIT_NONE, "1", "time scale: recorded inter-event times are divided by this" },
	{ "asap", CFG_UNIT_NONE, "false", "ignore timestamps: every CPU stream runs back to back" },
	{ "strict", CFG_UNIT_NONE, "false", "a malformed trace line is an error (otherwise skipped and counted)" },
	{ "cpu_map", CFG_UNIT_NONE, "", "traced:simulated CPU pairs, e.g. 0:1,1:0 (others: traced modulo simulated CPUs)" },
	{ "stop_when_done", CFG_UNIT_NONE, "false", "stop the simulation when the whole trace has been replayed" },
	{ NULL, 0, NULL, NULL },
};

static int replay_task_setup(struct cfg_node *task, const struct workload_env *env)
{
	static const char *const modes[] = { "both", "slab", "pages", NULL };
	struct cfg *c = cfg_doc(task);
	struct replay_opts o;
	char err[512];
	int rc;

	replay_opts_default(&o);
	o.path = cfg_str(task, "trace", NULL);
	o.mode = (enum replay_mode)cfg_enum(task, "mode", modes, REPLAY_BOTH);
	o.speed = cfg_double(task, "speed", CFG_UNIT_NONE, 1.0, 1e-9, 1e12);
	o.asap = cfg_bool(task, "asap", false);
	o.strict = cfg_bool(task, "strict", false);
	o.cpu_map = cfg_str(task, "cpu_map", "");
	o.stop_when_done = cfg_bool(task, "stop_when_done", false);
	o.start_ps = env->start;
	if (cfg_failed(c))
		return -1;
	if (!o.path) {
		cfg_fail(c, task, "trace", "a replay task needs `trace:` (a trace file path)");
		return -1;
	}
	rc = replay_setup(&o, err, sizeof(err));
	if (rc < 0) {
		cfg_fail(c, cfg_get(task, rc == -EINVAL && strstr(err, "cpu map") ? "cpu_map" : "trace"),
			 NULL, "%s", err);
		return -1;
	}
	return 0;
}

static void replay_task_report(FILE *out)
{
	replay_report(out);
}

const struct workload_type workload_replay = {
	.name = "replay",
	.desc = "replay a Linux kmem trace (ftrace, trace-cmd report, perf script) on the simulated CPUs",
	.params = replay_params,
	.setup = replay_task_setup,
	.report = replay_task_report,
};
