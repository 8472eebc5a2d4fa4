/* SPDX-License-Identifier: MIT */
/*
 * workloads/registry.c — the table of generators and the `tasks:` reader.
 *
 * Every task mapping has common keys: `workload` (generator name), `name`,
 * `start`, `stop`, and the placement keys `cpus`, `node`, `context` (see
 * read_placement); the generator reads the rest. Task names default to
 * "<workload>-<index>".
 */
#include "workloads/workload.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/machine.h"
#include "sim/units.h"

static const struct workload_type *const types[] = {
	&workload_ticker,
	&workload_anon,
	&workload_pagecache,
	&workload_netrx,
	&workload_blockio,
	&workload_dmadriver,
	&workload_slabchurn,
	&workload_vmalloc,
	&workload_percpu,
	&workload_fragmenter,
	&workload_replay,
};
#define NR_TYPES ((int)(sizeof(types) / sizeof(types[0])))

const struct workload_type *workload_find(const char *name)
{
	for (int i = 0; i < NR_TYPES; i++)
		if (strcmp(types[i]->name, name) == 0)
			return types[i];
	return NULL;
}

int workload_nr_types(void)
{
	return NR_TYPES;
}

const struct workload_type *workload_type_at(int i)
{
	return i >= 0 && i < NR_TYPES ? types[i] : NULL;
}

static const char *unit_name(enum cfg_unit u)
{
	switch (u) {
	case CFG_UNIT_BYTES: return "size";
	case CFG_UNIT_TIME: return "time";
	case CFG_UNIT_FREQ: return "frequency";
	case CFG_UNIT_RATE: return "rate";
	case CFG_UNIT_BANDWIDTH: return "bandwidth";
	case CFG_UNIT_PERCENT: return "percent";
	default: return "number";
	}
}

void workload_list(FILE *out)
{
	fprintf(out, "Workload generators (keys of a `tasks:` entry; common keys: workload, name, start, stop,\n"
		     "cpus ([0, 1] or \"0-3\"; default all CPUs, or those of `node`), node (memory node of the\n"
		     "task's allocations; default local), context (task|softirq|hardirq; default per generator)).\n"
		     "Parameters of kind `dist` take a constant or {dist: fixed|uniform|exponential|lognormal|\n"
		     "pareto|empirical, ...}: see README \"Distributions\".\n");
	for (int i = 0; i < NR_TYPES; i++) {
		const struct workload_type *t = types[i];

		fprintf(out, "\n%s — %s\n", t->name, t->desc);
		for (const struct workload_param *p = t->params; p && p->name; p++) {
			char kind[32];

			const char *def = p->def ? p->def : "(required)";
			bool text = p->unit == CFG_UNIT_NONE && p->def &&
				    !(p->def[0] == '-' || (p->def[0] >= '0' && p->def[0] <= '9'));

			snprintf(kind, sizeof(kind), "%s%s", text ? "text" : unit_name(p->unit),
				 p->flags & WP_DIST ? " dist" : "");
			if (strlen(def) <= 10)
				fprintf(out, "  %-18s %-10s default %-10s %s\n", p->name, kind, def, p->desc);
			else
				fprintf(out, "  %-18s %-10s default %s\n%51s%s\n", p->name, kind, def, "", p->desc);
		}
	}
}

static const char *workload_names_joined(char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = 0;
	for (int i = 0; i < NR_TYPES && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "", types[i]->name);
	return buf;
}

static int read_placement(struct cfg *c, struct cfg_node *t, const struct workload_type *type,
			  struct workload_env *env);

int workloads_setup(struct cfg *c, struct cfg_node *tasks, uint64_t seed, sim_time_t duration)
{
	char names[256], defname[64];

	if (!tasks)
		return 0;
	for (size_t i = 0; i < cfg_len(tasks); i++) {
		struct cfg_node *t = cfg_at(tasks, i);
		const char *wname;
		const struct workload_type *type;
		static struct workload_env env;

		memset(&env, 0, sizeof(env));
		env.seed = seed;

		if (cfg_kind(t) != CFG_MAP) {
			cfg_fail(c, t, NULL, "expected a task mapping with a `workload:` key");
			return -1;
		}
		wname = cfg_str(t, "workload", NULL);
		if (!wname) {
			cfg_fail(c, t, NULL, "a task needs `workload:`, one of: %s",
				 workload_names_joined(names, sizeof(names)));
			return -1;
		}
		type = workload_find(wname);
		if (!type) {
			cfg_fail(c, cfg_get(t, "workload"), NULL, "expected one of: %s, got '%s'",
				 workload_names_joined(names, sizeof(names)), wname);
			return -1;
		}
		snprintf(defname, sizeof(defname), "%s-%zu", wname, i);
		env.task_name = cfg_str(t, "name", defname);
		env.start = cfg_u64(t, "start", CFG_UNIT_TIME, 0, 0, UINT64_MAX);
		env.stop = cfg_u64(t, "stop", CFG_UNIT_TIME, duration, 0, UINT64_MAX);
		if (cfg_failed(c) || read_placement(c, t, type, &env) < 0)
			return -1;
		if (type->setup(t, &env) < 0 || cfg_failed(c))
			return -1;
	}
	return 0;
}

/*
 * Common placement keys: `cpus:` (a list [0, 1], one CPU, or a string "0-3,8"),
 * `node:` (memory node of the task's allocations; its CPUs are the default
 * `cpus:`), `context:` (task, softirq or hardirq; default per generator).
 * Without `cpus:` the task may use every CPU (of `node:` if given).
 */
static int add_cpu(struct cfg *c, struct cfg_node *at, struct workload_env *env, long cpu)
{
	if (cpu < 0 || (machine_built() && cpu >= machine_nr_cpus()) || cpu >= WORKLOAD_MAX_CPUS) {
		cfg_fail(c, at, NULL, "expected a CPU id in [0, %d], got %ld",
			 (machine_built() ? machine_nr_cpus() : WORKLOAD_MAX_CPUS) - 1, cpu);
		return -1;
	}
	if (env->nr_cpus < WORKLOAD_MAX_CPUS)
		env->cpus[env->nr_cpus++] = (int)cpu;
	return 0;
}

static int cpu_list_string(struct cfg *c, struct cfg_node *n, struct workload_env *env)
{
	const char *s = cfg_scalar(n);

	while (s && *s) {
		char *end;
		long a = strtol(s, &end, 10), b;

		if (end == s)
			goto bad;
		b = a;
		if (*end == '-') {
			s = end + 1;
			b = strtol(s, &end, 10);
			if (end == s || b < a)
				goto bad;
		}
		for (long i = a; i <= b; i++)
			if (add_cpu(c, n, env, i) < 0)
				return -1;
		s = end;
		while (*s == ' ')
			s++;
		if (*s == ',')
			s++;
		else if (*s)
			goto bad;
	}
	return 0;
bad:
	cfg_fail(c, n, NULL, "expected CPU ids like [0, 1] or \"0-3,8\", got '%s'", cfg_scalar(n));
	return -1;
}

static int read_placement(struct cfg *c, struct cfg_node *t, const struct workload_type *type,
			  struct workload_env *env)
{
	static const char *const contexts[] = { "task", "softirq", "hardirq", NULL };
	struct cfg_node *cpus = cfg_get(t, "cpus");

	env->node = NUMA_NO_NODE;
	if (cfg_has(t, "node"))
		env->node = (int)cfg_i64(t, "node", 0, 0,
					 machine_built() ? machine_nr_nodes() - 1 : MACHINE_MAX_NODES - 1);
	env->context = cfg_enum(t, "context", contexts, type->context);
	if (cfg_failed(c))
		return -1;
	if (cpus && cfg_kind(cpus) == CFG_SEQ) {
		for (size_t i = 0; i < cfg_len(cpus); i++) {
			struct cfg_node *it = cfg_at(cpus, i);
			uint64_t v = cfg_node_u64(it, CFG_UNIT_NONE, 0, 0, WORKLOAD_MAX_CPUS - 1);

			if (cfg_failed(c) || add_cpu(c, it, env, (long)v) < 0)
				return -1;
		}
		if (!env->nr_cpus) {
			cfg_fail(c, cpus, NULL, "expected at least one CPU");
			return -1;
		}
	} else if (cpus) {
		if (cpu_list_string(c, cpus, env) < 0)
			return -1;
	} else if (machine_built() && env->node != NUMA_NO_NODE) {
		env->nr_cpus = node_cpus(env->node, env->cpus, WORKLOAD_MAX_CPUS);
		if (env->nr_cpus > WORKLOAD_MAX_CPUS)
			env->nr_cpus = WORKLOAD_MAX_CPUS;
		if (env->nr_cpus <= 0) {
			cfg_fail(c, t, "node", "node %d has no CPUs: give `cpus:` for this task", env->node);
			return -1;
		}
	} else if (machine_built()) {
		for (int i = 0; i < machine_nr_cpus() && i < WORKLOAD_MAX_CPUS; i++)
			env->cpus[env->nr_cpus++] = i;
	} else {
		env->cpus[env->nr_cpus++] = 0;
	}
	return 0;
}

static const struct workload_param *param_of(const struct workload_type *type, const char *key)
{
	for (const struct workload_param *p = type->params; p && p->name; p++)
		if (strcmp(p->name, key) == 0)
			return p;
	return NULL;
}

uint64_t workload_u64(struct cfg_node *task, const struct workload_type *type, const char *key,
		      uint64_t min, uint64_t max)
{
	const struct workload_param *p = param_of(type, key);
	uint64_t def = 0;
	char err[160];

	/* A parameter missing from the table, or a bad default, is a programming error. */
	if (!p || (p->def && unit_parse_u64(p->def, p->unit, &def, err, sizeof(err)) < 0)) {
		cfg_fail(cfg_doc(task), task, key, "internal: workload '%s' has no valid default", type->name);
		return 0;
	}
	return cfg_u64(task, key, p->unit, def, min, max);
}

double workload_double(struct cfg_node *task, const struct workload_type *type, const char *key,
		       double min, double max)
{
	const struct workload_param *p = param_of(type, key);
	double def = 0;
	char err[160];

	if (!p || (p->def && unit_parse(p->def, p->unit, &def, err, sizeof(err)) < 0)) {
		cfg_fail(cfg_doc(task), task, key, "internal: workload '%s' has no valid default", type->name);
		return 0;
	}
	return cfg_double(task, key, p->unit, def, min, max);
}

void workloads_report(FILE *out)
{
	for (int i = 0; i < NR_TYPES; i++)
		if (types[i]->report)
			types[i]->report(out);
}
