/* SPDX-License-Identifier: MIT */
/*
 * machine/dmesg.c — a machine from a Linux boot log, and the machine printed
 * in the same wording.
 *
 * Lines recognised (anywhere in the line, so "[    0.000000] " timestamps,
 * journalctl prefixes and syslog prefixes are all fine):
 *   BIOS-e820: [mem 0x<start>-0x<end>] usable | reserved | ACPI data |
 *              ACPI NVS | unusable | persistent (type N) | soft reserved | type N
 *   ACPI: SRAT: Node N PXM M [mem 0x<start>-0x<end>][ hotplug][ non-volatile]
 *     node   N: [mem 0x<start>-0x<end>]      ("Early memory node ranges", without SRAT)
 *   Initmem setup node N [mem 0x..-0x..]     (node spans, without the above)
 *   NUMA: Node N [mem 0x..-0x..] [+ [mem ..]] [-> [mem ..]]  (last resort)
 *   ... nr_cpu_ids:N ... nr_node_ids:M       (setup_percpu)
 *   smpboot: Allowing N CPUs, K hotplug CPUs
 *   smp: Brought up N nodes, M CPUs
 *   .... node  #N, CPUs:   #1  #2 ...        (x86 SMP bring-up; CPU→node map)
 *   tsc: Detected 2100.000 MHz processor
 * A recognised line that does not parse is an error naming the file and line.
 * `<end>` is inclusive, as the kernel prints it.
 *
 * Distances come from a separate file laid out like the concatenation of
 * /sys/devices/system/node/node<N>/distance: one row per node, numbers
 * separated by blanks; a "path:" prefix (from `grep . node*\/distance`) is
 * skipped; blank lines and '#' comments are ignored. Without a file: 10 local,
 * 20 (REMOTE_DISTANCE) remote, Linux's default without a SLIT.
 *
 * Decisions: CPU 0 is on node 0 unless another source says otherwise; CPUs
 * whose node the log does not show are spread in blocks over the nodes that
 * have CPUs (or memory); SRAT "hotplug" ranges that contain no e820 RAM are
 * ignored (they describe empty hotplug slots).
 *
 * Simplified: the e820 "update"/"remove" edits, memmap= and EFI maps are not
 * replayed; the machine is what the BIOS table and SRAT say.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/dma.h"
#include "machine/dram.h"
#include "machine/machine.h"
#include "machine/machine_int.h"
#include "sim/log.h"

#define LINE_MAX_LEN 4096

/* --- small parsers ------------------------------------------------------------ */

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* "[mem 0xA-0xB]" at @s: returns the char after ']' or NULL. */
static const char *parse_mem(const char *s, uint64_t *a, uint64_t *b)
{
	char *end;

	s = skip_ws(s);
	if (strncmp(s, "[mem ", 5))
		return NULL;
	s += 5;
	errno = 0;
	*a = strtoull(s, &end, 16);
	if (errno || end == s || *end != '-' || strncmp(s, "0x", 2))
		return NULL;
	s = end + 1;
	if (strncmp(s, "0x", 2))
		return NULL;
	*b = strtoull(s, &end, 16);
	if (errno || end == s || *end != ']' || *b < *a)
		return NULL;
	return end + 1;
}

static bool parse_int_after(const char *line, const char *key, long *out)
{
	const char *p = strstr(line, key);
	char *end;

	if (!p)
		return false;
	p += strlen(key);
	errno = 0;
	*out = strtol(p, &end, 10);
	return !errno && end != p;
}

int machine_read_distances(const char *path, int *dist, int *n_out, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[LINE_MAX_LEN];
	int rows = 0, cols = -1, ln = 0;

	if (!f) {
		MERR(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		const char *p = line, *colon;
		int n = 0;
		int vals[MACHINE_MAX_NODES];

		ln++;
		colon = strrchr(line, ':');
		if (colon)
			p = colon + 1;
		p = skip_ws(p);
		if (!*p || *p == '\n' || *p == '\r' || *p == '#')
			continue;
		while (*p && *p != '\n' && *p != '\r') {
			char *end;
			long v;

			errno = 0;
			v = strtol(p, &end, 10);
			if (end == p || errno || (*end && !isspace((unsigned char)*end))) {
				MERR(err, errlen, "%s:%d: expected a row of node distances like "
				     "\"10 21\", got '%.*s'", path, ln, (int)strcspn(line, "\r\n"), line);
				fclose(f);
				return -1;
			}
			if (n >= MACHINE_MAX_NODES) {
				MERR(err, errlen, "%s:%d: more than %d distances in a row", path, ln,
				     MACHINE_MAX_NODES);
				fclose(f);
				return -1;
			}
			vals[n++] = (int)v;
			p = skip_ws(end);
			while (*p == '\r' || *p == '\n')
				p++;
		}
		if (cols < 0)
			cols = n;
		if (n != cols || rows >= MACHINE_MAX_NODES) {
			MERR(err, errlen, "%s:%d: row %d has %d distances, expected %d (one per node)",
			     path, ln, rows, n, cols);
			fclose(f);
			return -1;
		}
		for (int j = 0; j < n; j++)
			dist[rows * MACHINE_MAX_NODES + j] = vals[j];
		rows++;
	}
	fclose(f);
	if (rows == 0) {
		MERR(err, errlen, "%s: no distance rows", path);
		return -1;
	}
	if (rows != cols) {
		MERR(err, errlen, "%s: %d rows of %d distances: expected a square matrix", path, rows, cols);
		return -1;
	}
	/* compact to row-major n×n */
	for (int i = 0; i < rows; i++)
		for (int j = 0; j < rows; j++)
			dist[i * rows + j] = dist[i * MACHINE_MAX_NODES + j];
	*n_out = rows;
	{
		int bi, bj;
		char e2[200];
		int r = machine_validate_distances(rows, dist, &bi, &bj, e2, sizeof(e2));
		if (r < 0) {
			MERR(err, errlen, "%s: %s", path, e2);
			return -1;
		}
		if (r > 0)
			sim_warn("%s: the SLIT is asymmetric (allowed)", path);
	}
	return 0;
}

/* --- the dmesg importer ----------------------------------------------------- */

struct dmesg_state {
	int srat_nodes_max, numa_nodes_max;
	long nr_cpu_ids, allowing, brought_up, nr_node_ids;
	int cpu_node_known[MACHINE_MAX_CPUS];     /* -1 unknown */
	int max_mapped_cpu;
	int cur_smp_node;                          /* inside a ".... node #N, CPUs:" block */
	double mhz;
	int nr_srat, nr_numa;
	struct node_mem_range srat[MACHINE_MAX_RANGES];
	bool srat_hotplug[MACHINE_MAX_RANGES];
	struct node_mem_range numa[MACHINE_MAX_RANGES];
	int nr_early, nr_initmem;
	struct node_mem_range early[MACHINE_MAX_RANGES];     /* "  node   0: [mem ...]" */
	struct node_mem_range initmem[MACHINE_MAX_NODES];    /* "Initmem setup node N [mem ...]" */
	bool no_numa;
};

static int e820_type_from(const char *t, enum e820_type *out)
{
	t = skip_ws(t);
	if (!strncmp(t, "usable", 6))
		*out = E820_TYPE_RAM;
	else if (!strncmp(t, "reserved", 8) || !strncmp(t, "soft reserved", 13) ||
		 !strncmp(t, "persistent", 10) || !strncmp(t, "type ", 5))
		*out = E820_TYPE_RESERVED;
	else if (!strncmp(t, "ACPI data", 9))
		*out = E820_TYPE_ACPI;
	else if (!strncmp(t, "ACPI NVS", 8))
		*out = E820_TYPE_NVS;
	else if (!strncmp(t, "unusable", 8))
		*out = E820_TYPE_UNUSABLE;
	else
		return -1;
	return 0;
}

/* A continuation line of the SMP bring-up list: only "#N" tokens after the prefix. */
static bool smp_continuation(const char *line, struct dmesg_state *st)
{
	const char *p = line;
	int found = 0;

	if (*p == '[') {                 /* timestamp */
		p = strchr(p, ']');
		if (!p)
			return false;
		p++;
	}
	p = skip_ws(p);
	if (*p != '#')
		return false;
	while (*p == '#') {
		char *end;
		long cpu = strtol(p + 1, &end, 10);
		if (end == p + 1)
			return false;
		if (cpu >= 0 && cpu < MACHINE_MAX_CPUS) {
			st->cpu_node_known[cpu] = st->cur_smp_node;
			if (cpu > st->max_mapped_cpu)
				st->max_mapped_cpu = (int)cpu;
		}
		found++;
		p = skip_ws(end);
	}
	return found && (!*p || *p == '\n' || *p == '\r');
}

static int parse_line(const char *file, int ln, const char *line, struct machine_desc *d,
		      struct dmesg_state *st, char *err, size_t errlen)
{
	const char *p;
	long v;
	uint64_t a, b;

	if ((p = strstr(line, "BIOS-e820: "))) {
		enum e820_type t;
		const char *q = parse_mem(p + 11, &a, &b);

		if (!q || e820_type_from(q, &t)) {
			MERR(err, errlen, "%s:%d: malformed BIOS-e820 line: expected "
			     "'BIOS-e820: [mem 0xSTART-0xEND] usable|reserved|ACPI data|ACPI NVS|"
			     "unusable', got '%s'", file, ln, line);
			return -1;
		}
		if (d->nr_e820 >= MACHINE_MAX_E820) {
			MERR(err, errlen, "%s:%d: more than %d BIOS-e820 entries", file, ln, MACHINE_MAX_E820);
			return -1;
		}
		d->e820[d->nr_e820++] = (struct e820_entry){ a, b - a + 1, t };
		st->cur_smp_node = -1;
		return 0;
	}
	if ((p = strstr(line, "SRAT: Node "))) {
		int nid, pxm, used = 0;
		const char *q;

		if (sscanf(p, "SRAT: Node %d PXM %d %n", &nid, &pxm, &used) < 2 || !used ||
		    !(q = parse_mem(p + used, &a, &b)) || nid < 0 || nid >= MACHINE_MAX_NODES) {
			MERR(err, errlen, "%s:%d: malformed SRAT line: expected 'SRAT: Node N PXM M "
			     "[mem 0xSTART-0xEND]' with N < %d, got '%s'", file, ln, MACHINE_MAX_NODES, line);
			return -1;
		}
		if (st->nr_srat >= MACHINE_MAX_RANGES) {
			MERR(err, errlen, "%s:%d: more than %d SRAT ranges", file, ln, MACHINE_MAX_RANGES);
			return -1;
		}
		st->srat_hotplug[st->nr_srat] = strstr(q, "hotplug") != NULL;
		st->srat[st->nr_srat++] = (struct node_mem_range){ a, b + 1, nid };
		if (nid > st->srat_nodes_max)
			st->srat_nodes_max = nid;
		return 0;
	}
	if ((p = strstr(line, "NUMA: Node ")) && strstr(p, "[mem ")) {
		int nid, used = 0;
		const char *q;

		if (sscanf(p, "NUMA: Node %d %n", &nid, &used) < 1 || !used || nid < 0 ||
		    nid >= MACHINE_MAX_NODES) {
			MERR(err, errlen, "%s:%d: malformed NUMA line: expected 'NUMA: Node N [mem "
			     "0xSTART-0xEND]', got '%s'", file, ln, line);
			return -1;
		}
		q = p + used;
		for (;;) {
			q = parse_mem(q, &a, &b);
			if (!q) {
				MERR(err, errlen, "%s:%d: malformed NUMA line: expected '[mem "
				     "0xSTART-0xEND]', got '%s'", file, ln, line);
				return -1;
			}
			if (st->nr_numa >= MACHINE_MAX_RANGES) {
				MERR(err, errlen, "%s:%d: too many NUMA ranges", file, ln);
				return -1;
			}
			st->numa[st->nr_numa++] = (struct node_mem_range){ a, b + 1, nid };
			q = skip_ws(q);
			if (*q != '+')
				break;
			q++;
		}
		if (nid > st->numa_nodes_max)
			st->numa_nodes_max = nid;
		return 0;
	}
	if ((p = strstr(line, "Initmem setup node "))) {
		int nid, used = 0;

		if (sscanf(p, "Initmem setup node %d %n", &nid, &used) < 1 || !used || nid < 0 ||
		    nid >= MACHINE_MAX_NODES || !parse_mem(p + used, &a, &b)) {
			MERR(err, errlen, "%s:%d: malformed line: expected 'Initmem setup node N [mem "
			     "0xSTART-0xEND]', got '%s'", file, ln, line);
			return -1;
		}
		if (st->nr_initmem < MACHINE_MAX_NODES)
			st->initmem[st->nr_initmem++] = (struct node_mem_range){ a, b + 1, nid };
		return 0;
	}
	if ((p = strstr(line, " node ")) && strstr(p, ": [mem ")) {
		int nid, used = 0;

		/* "Early memory node ranges" list: "  node   0: [mem 0x...-0x...]" */
		if (sscanf(p, " node %d: %n", &nid, &used) >= 1 && used) {
			if (nid < 0 || nid >= MACHINE_MAX_NODES || !parse_mem(p + used, &a, &b)) {
				MERR(err, errlen, "%s:%d: malformed line: expected '  node N: [mem "
				     "0xSTART-0xEND]', got '%s'", file, ln, line);
				return -1;
			}
			if (st->nr_early < MACHINE_MAX_RANGES)
				st->early[st->nr_early++] = (struct node_mem_range){ a, b + 1, nid };
			return 0;
		}
	}
	if (strstr(line, "No NUMA configuration found"))
		st->no_numa = true;
	if (parse_int_after(line, "nr_cpu_ids:", &v))
		st->nr_cpu_ids = v;
	if (parse_int_after(line, "nr_node_ids:", &v))
		st->nr_node_ids = v;
	if (parse_int_after(line, "smpboot: Allowing ", &v))
		st->allowing = v;
	if ((p = strstr(line, "smp: Brought up "))) {
		long nodes, cpus;
		if (sscanf(p, "smp: Brought up %ld node%*[s], %ld CPU", &nodes, &cpus) == 2 ||
		    sscanf(p, "smp: Brought up %ld node, %ld CPU", &nodes, &cpus) == 2)
			st->brought_up = cpus;
	}
	if ((p = strstr(line, "tsc: Detected "))) {
		double mhz;
		if (sscanf(p, "tsc: Detected %lf MHz", &mhz) == 1 && mhz > 0)
			st->mhz = mhz;
	}
	if ((p = strstr(line, ".... node "))) {
		int nid;
		const char *q = strchr(p, '#');

		if (!q || sscanf(q, "#%d, CPUs:", &nid) != 1 || nid < 0 || nid >= MACHINE_MAX_NODES) {
			MERR(err, errlen, "%s:%d: malformed SMP line: expected '.... node  #N, CPUs:  "
			     "#1 #2 ...', got '%s'", file, ln, line);
			return -1;
		}
		st->cur_smp_node = nid;
		q = strstr(q, "CPUs:");
		q = skip_ws(q + 5);
		while (*q == '#') {
			char *end;
			long cpu = strtol(q + 1, &end, 10);
			if (end == q + 1)
				break;
			if (cpu >= 0 && cpu < MACHINE_MAX_CPUS) {
				st->cpu_node_known[cpu] = nid;
				if (cpu > st->max_mapped_cpu)
					st->max_mapped_cpu = (int)cpu;
			}
			q = skip_ws(end);
		}
		return 0;
	}
	if (st->cur_smp_node >= 0 && !smp_continuation(line, st))
		st->cur_smp_node = -1;
	return 0;
}

static bool range_has_ram(const struct machine_desc *d, uint64_t s, uint64_t e)
{
	for (int i = 0; i < d->nr_e820; i++) {
		const struct e820_entry *x = &d->e820[i];
		if (x->type == E820_TYPE_RAM && x->addr < e && s < x->addr + x->size)
			return true;
	}
	return false;
}

int machine_parse_dmesg(struct machine_desc *d, const char *path, const char *distances_path,
			int cpus_override, char *err, size_t errlen)
{
	static struct dmesg_state st;
	static int dist[MACHINE_MAX_NODES * MACHINE_MAX_NODES];
	char line[LINE_MAX_LEN];
	FILE *f;
	int ln = 0, nodes = 1, ncpus, dn = 0;
	const char *base;

	if (err && errlen)
		*err = 0;
	machine_desc_init(d);
	base = strrchr(path, '/');
	snprintf(d->name, sizeof(d->name), "dmesg:%s", base ? base + 1 : path);
	memset(&st, 0, sizeof(st));
	st.srat_nodes_max = st.numa_nodes_max = -1;
	st.cur_smp_node = -1;
	st.max_mapped_cpu = -1;
	for (int i = 0; i < MACHINE_MAX_CPUS; i++)
		st.cpu_node_known[i] = -1;

	f = fopen(path, "r");
	if (!f) {
		MERR(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		ln++;
		line[strcspn(line, "\r\n")] = 0;
		if (parse_line(path, ln, line, d, &st, err, errlen)) {
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	if (d->nr_e820 == 0) {
		MERR(err, errlen, "%s: no 'BIOS-e820: [mem ...]' table found (is this a Linux x86 "
		     "boot log? capture it with `dmesg` right after boot)", path);
		return -1;
	}

	/* memory ranges: SRAT, else NUMA: Node, else everything on node 0 */
	if (st.nr_srat && !st.no_numa) {
		for (int i = 0; i < st.nr_srat; i++) {
			if (st.srat_hotplug[i] && !range_has_ram(d, st.srat[i].start, st.srat[i].end))
				continue;
			d->ranges[d->nr_ranges++] = st.srat[i];
			if (st.srat[i].nid + 1 > nodes)
				nodes = st.srat[i].nid + 1;
		}
	} else if ((st.nr_early || st.nr_initmem) && !st.no_numa) {
		/* per-node RAM blocks (exact) or node spans, whichever the log has */
		const struct node_mem_range *src = st.nr_early ? st.early : st.initmem;
		int cnt = st.nr_early ? st.nr_early : st.nr_initmem;

		for (int i = 0; i < cnt; i++) {
			struct node_mem_range r = src[i];
			if (r.start < 0x100000)
				r.start = 0;    /* pfn 0 and the legacy area are the kernel's own holes */
			d->ranges[d->nr_ranges++] = r;
			if (r.nid + 1 > nodes)
				nodes = r.nid + 1;
		}
	} else if (st.nr_numa && !st.no_numa) {
		for (int i = 0; i < st.nr_numa; i++) {
			d->ranges[d->nr_ranges++] = st.numa[i];
			if (st.numa[i].nid + 1 > nodes)
				nodes = st.numa[i].nid + 1;
		}
	}
	if (!st.no_numa && st.nr_node_ids > nodes && st.nr_node_ids <= MACHINE_MAX_NODES)
		nodes = (int)st.nr_node_ids;
	for (int c = 0; c <= st.max_mapped_cpu; c++)
		if (st.cpu_node_known[c] + 1 > nodes)
			nodes = st.cpu_node_known[c] + 1;
	if (nodes > MACHINE_MAX_NODES) {
		MERR(err, errlen, "%s: %d nodes, at most %d supported", path, nodes, MACHINE_MAX_NODES);
		return -1;
	}

	/* distances */
	if (distances_path) {
		if (machine_read_distances(distances_path, dist, &dn, err, errlen))
			return -1;
		if (dn < nodes) {
			MERR(err, errlen, "%s: %d rows, but %s describes %d nodes", distances_path, dn,
			     path, nodes);
			return -1;
		}
		nodes = dn;             /* extra rows: nodes without memory or CPUs in the log */
		for (int i = 0; i < dn; i++)
			for (int j = 0; j < dn; j++)
				d->distance[i][j] = dist[i * dn + j];
	}
	d->nr_nodes = nodes;

	/* CPUs */
	ncpus = cpus_override > 0 ? cpus_override
	      : st.nr_cpu_ids > 0 ? (int)st.nr_cpu_ids
	      : st.allowing > 0 ? (int)st.allowing
	      : st.brought_up > 0 ? (int)st.brought_up
	      : st.max_mapped_cpu + 1 > 0 ? st.max_mapped_cpu + 1 : 1;
	if (ncpus < 1 || ncpus > MACHINE_MAX_CPUS) {
		MERR(err, errlen, "%s: %d CPUs, expected 1..%d", path, ncpus, MACHINE_MAX_CPUS);
		return -1;
	}
	d->nr_cpus = ncpus;
	{
		int cand[MACHINE_MAX_NODES], nc = 0;
		bool any_known = st.max_mapped_cpu >= 0;

		/* nodes to spread unknown CPUs over: those with known CPUs, else with memory */
		for (int n = 0; n < nodes; n++) {
			bool has = false;
			if (any_known) {
				for (int c = 0; c <= st.max_mapped_cpu && !has; c++)
					has = st.cpu_node_known[c] == n;
				if (n == 0)
					has = true;     /* the boot CPU's node */
			} else {
				for (int i = 0; i < d->nr_ranges && !has; i++)
					has = d->ranges[i].nid == n;
				if (!d->nr_ranges)
					has = n == 0;
			}
			if (has)
				cand[nc++] = n;
		}
		if (!nc)
			cand[nc++] = 0;
		for (int c = 0; c < ncpus; c++) {
			if (c <= st.max_mapped_cpu && st.cpu_node_known[c] >= 0)
				d->cpu_node[c] = st.cpu_node_known[c];
			else if (c == 0)
				d->cpu_node[c] = 0;
			else
				d->cpu_node[c] = cand[(int)((long)c * nc / ncpus)];
		}
	}
	if (st.mhz > 0)
		d->cpu_freq_hz = (uint64_t)(st.mhz * 1e6 + 0.5);
	return 0;
}

/* --- printing ------------------------------------------------------------------ */

typedef void (*emit_fn)(void *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void emit_file(void *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(ctx, fmt, ap);
	va_end(ap);
	fputc('\n', ctx);
}

static void emit_printk(void *ctx, const char *fmt, ...)
{
	va_list ap;

	(void)ctx;
	va_start(ap, fmt);
	sim_vprintk(fmt, ap);
	va_end(ap);
}

static void print_machine(emit_fn out, void *ctx)
{
	const struct e820_entry *e;
	const struct node_mem_range *r;
	int ne = machine_e820(&e), nr = machine_node_ranges(&r);
	int nn = machine_nr_nodes(), nc = machine_nr_cpus();
	char buf[1024];
	size_t len;

	out(ctx, "mmsim machine: %s", machine_name());
	out(ctx, "tsc: Detected %.3f MHz processor", (double)cpu_freq_hz(0) / 1e6);
	out(ctx, "BIOS-provided physical RAM map:");
	for (int i = 0; i < ne; i++)
		out(ctx, "BIOS-e820: [mem 0x%016" PRIx64 "-0x%016" PRIx64 "] %s", e[i].addr,
		    e[i].addr + e[i].size - 1, e820_type_name(e[i].type));
	for (int i = 0; i < nr; i++)
		out(ctx, "ACPI: SRAT: Node %d PXM %d [mem 0x%08" PRIx64 "-0x%08" PRIx64 "]", r[i].nid,
		    r[i].nid, r[i].start, r[i].end - 1);
	out(ctx, "NUMA: Initialized distance table, cnt=%d", nn);
	for (int n = 0; n < nn; n++) {
		if (!node_has_memory(n))
			continue;
		out(ctx, "Initmem setup node %d [mem 0x%016" PRIx64 "-0x%016" PRIx64 "]", n,
		    node_start_phys(n), node_end_phys(n) - 1);
	}
	for (int n = 0; n < nn; n++)
		out(ctx, "mmsim: node %d: %" PRIu64 " MiB RAM, %d CPUs%s%s", n, node_ram_bytes(n) >> 20,
		    node_nr_cpus(n), node_has_memory(n) ? "" : " (memory-less)",
		    node_has_cpus(n) ? "" : " (CPU-less)");
	out(ctx, "smpboot: Allowing %d CPUs, 0 hotplug CPUs", nc);
	out(ctx, "setup_percpu: NR_CPUS:%d nr_cpumask_bits:%d nr_cpu_ids:%d nr_node_ids:%d",
	    MACHINE_MAX_CPUS, nc, nc, nn);
	if (nc > 1) {
		int cur = -1;

		out(ctx, "x86: Booting SMP configuration:");
		len = 0;
		for (int c = 1; c < nc; c++) {
			int n = cpu_to_node(c);
			if (n != cur) {
				if (len)
					out(ctx, "%s", buf);
				len = (size_t)snprintf(buf, sizeof(buf), ".... node  #%d, CPUs:  ", n);
				cur = n;
			}
			if (len > sizeof(buf) - 16) {
				out(ctx, "%s", buf);
				len = (size_t)snprintf(buf, sizeof(buf), " ");
			}
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, " #%d", c);
		}
		if (len)
			out(ctx, "%s", buf);
		out(ctx, "smp: Brought up %d node%s, %d CPUs", nn, nn > 1 ? "s" : "", nc);
	}
	out(ctx, "node distances:");
	len = (size_t)snprintf(buf, sizeof(buf), "node ");
	for (int j = 0; j < nn && len < sizeof(buf) - 8; j++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, " %3d", j);
	out(ctx, "%s", buf);
	for (int i = 0; i < nn; i++) {
		len = (size_t)snprintf(buf, sizeof(buf), "  %d: ", i);
		for (int j = 0; j < nn && len < sizeof(buf) - 8; j++)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, " %3d", node_distance(i, j));
		out(ctx, "%s", buf);
	}
	for (int i = 0; i < nn && dram_node_bandwidth(i); i++) {
		len = (size_t)snprintf(buf, sizeof(buf), "mmsim: DRAM node %d: %.1f GB/s, latency from "
				       "nodes (ns):", i, (double)dram_node_bandwidth(i) / 1e9);
		for (int j = 0; j < nn && len < sizeof(buf) - 12; j++)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, " %.1f",
						(double)dram_latency(j, i) / 1000.0);
		out(ctx, "%s", buf);
	}
	for (int i = 0; i < dma_nr_devices(); i++) {
		const struct dma_device *dv = dma_device(i);
		uint64_t m = dma_mask(dv);
		int bits = 0;

		while (bits < 64 && (m >> bits) & 1)
			bits++;
		if (dma_mmio_size(dv))
			snprintf(buf, sizeof(buf), ", MMIO [mem 0x%016" PRIx64 "-0x%016" PRIx64 "]",
				 dma_mmio_base(dv), dma_mmio_base(dv) + dma_mmio_size(dv) - 1);
		else
			buf[0] = 0;
		out(ctx, "mmsim: device %s: DMA mask %#" PRIx64 " (%d bits), node %d, %.1f MB/s, irq "
		    "CPU %d%s", dma_name(dv), m, bits, dma_node(dv), (double)dma_bandwidth(dv) / 1e6,
		    dma_irq_cpu(dv), buf);
	}
}

void machine_print(FILE *f)
{
	print_machine(emit_file, f);
}

void machine_printk(void)
{
	print_machine(emit_printk, NULL);
}
