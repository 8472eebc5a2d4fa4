/* SPDX-License-Identifier: MIT */
/*
 * sim/trace.c — the event log, written as Linux ftrace text (the layout of
 * /sys/kernel/tracing/trace with the nop tracer and default options:
 * irq-info on, record-tgid off, 5 flag columns as in 6.1).
 *
 * Model: events are registered once by the layer that emits them and enabled
 * by spec: "all" (also "*" and "*:*"), a system ("kmem", "kmem:*"), one event
 * ("kmem:kmalloc"), or a bare event name in any system ("kmalloc"), like the
 * kernel's set_event file. The 6.1 mm events (kmem, percpu, vmscan, oom,
 * compaction) are known from a built-in catalogue, so specs naming them are
 * valid before their emitter registers them; specs are also remembered, so an
 * event registered after trace_enable() (e.g. a test's own) is enabled too.
 * A disabled event costs the caller one load and a branch (trace_on()).
 *
 * Every line is  "%16s-%-7d [%03d] %s %5lu.%06lu: %s: %s\n"
 *                 comm pid   cpu  flags secs usecs event fields
 * with the time from sim_now() (picoseconds, truncated to microseconds like the
 * kernel's default "local" clock printed in µs) and the prefix from the context
 * callback the machine layer installs (default "<idle>", pid 0, cpu 0, ".....").
 *
 * The header's "entries-in-buffer/entries-written: N/N" is only known at the
 * end, so lines are buffered (large stdio buffer) into "<path>.body.tmp";
 * trace_close() writes the exact header to "<path>.tmp", appends the body
 * (copy_file_range, falling back to read/write), renames it to @path and
 * removes the body file. Like every results file, the trace therefore never
 * exists half-written under its final name. A path that is not a regular file
 * (pipe, /dev/stdout) is streamed to directly with "?" as the counts.
 *
 * %p: the kernel prints a pointer as the low 32 bits of SipHash-2-4 of its
 * value under a boot-time random key, zero-padded to 16 hex digits. We use
 * the same construction with a fixed (settable) key so runs are reproducible.
 */
#define _GNU_SOURCE
#include "sim/trace.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/engine.h"
#include "sim/log.h"

#define TRACE_BUFSZ (4u << 20)

struct trace_spec {
	char *system, *name;                      /* NULL = any */
	struct trace_spec *next;
};

static struct trace_event *events, **events_tail = &events;
static struct trace_spec *specs;
static trace_ctx_fn ctx_fn;
static trace_clock_fn clock_fn;
static FILE *trace_file;
static char *trace_path;
static char *trace_buf;
static int trace_cpus;
static char *body_path;                           /* "<path>.body.tmp"; NULL when streaming */
static uint64_t nr_entries;
static uint64_t hash_k0 = 0x6d6d73696d2d7472ULL, hash_k1 = 0x6163652d6b657921ULL;

/*
 * The Linux 6.1 mm events mmsim can emit (include/trace/events/{kmem,percpu,
 * vmscan,oom,compaction}.h). They are registered up front so that a spec can
 * be checked and enabled before the layer that emits an event has registered
 * it (the CLI parses the config before mm boots).
 */
static const char *const catalogue[][2] = {
	{ "kmem", "kmalloc" }, { "kmem", "kmem_cache_alloc" }, { "kmem", "kfree" },
	{ "kmem", "kmem_cache_free" }, { "kmem", "mm_page_alloc" }, { "kmem", "mm_page_free" },
	{ "kmem", "mm_page_free_batched" }, { "kmem", "mm_page_alloc_zone_locked" },
	{ "kmem", "mm_page_pcpu_drain" }, { "kmem", "mm_page_alloc_extfrag" },
	{ "percpu", "percpu_alloc_percpu" }, { "percpu", "percpu_free_percpu" },
	{ "percpu", "percpu_alloc_percpu_fail" }, { "percpu", "percpu_create_chunk" },
	{ "percpu", "percpu_destroy_chunk" },
	{ "vmscan", "mm_vmscan_kswapd_sleep" }, { "vmscan", "mm_vmscan_kswapd_wake" },
	{ "vmscan", "mm_vmscan_wakeup_kswapd" }, { "vmscan", "mm_vmscan_direct_reclaim_begin" },
	{ "vmscan", "mm_vmscan_direct_reclaim_end" }, { "vmscan", "mm_shrink_slab_start" },
	{ "vmscan", "mm_shrink_slab_end" }, { "vmscan", "mm_vmscan_lru_isolate" },
	{ "vmscan", "mm_vmscan_lru_shrink_inactive" }, { "vmscan", "mm_vmscan_lru_shrink_active" },
	{ "oom", "oom_score_adj_update" }, { "oom", "reclaim_retry_zone" },
	{ "oom", "mark_victim" }, { "oom", "wake_reaper" }, { "oom", "start_task_reaping" },
	{ "oom", "finish_task_reaping" }, { "oom", "skip_task_reaping" },
	{ "oom", "compact_retry" },
	{ "compaction", "mm_compaction_isolate_migratepages" },
	{ "compaction", "mm_compaction_isolate_freepages" },
	{ "compaction", "mm_compaction_fast_isolate_freepages" },
	{ "compaction", "mm_compaction_migratepages" }, { "compaction", "mm_compaction_begin" },
	{ "compaction", "mm_compaction_end" },
	{ "compaction", "mm_compaction_try_to_compact_pages" },
	{ "compaction", "mm_compaction_finished" }, { "compaction", "mm_compaction_suitable" },
	{ "compaction", "mm_compaction_deferred" },
	{ "compaction", "mm_compaction_defer_compaction" },
	{ "compaction", "mm_compaction_defer_reset" },
	{ "compaction", "mm_compaction_kcompactd_sleep" },
	{ "compaction", "mm_compaction_wakeup_kcompactd" },
	{ "compaction", "mm_compaction_kcompactd_wake" },
};
static bool catalogue_done;

static struct trace_event *do_register(const char *system, const char *name);

static void ensure_catalogue(void)
{
	if (catalogue_done)
		return;
	catalogue_done = true;
	for (size_t i = 0; i < sizeof(catalogue) / sizeof(catalogue[0]); i++)
		do_register(catalogue[i][0], catalogue[i][1]);
}

/* ------------------------------------------------------------------------ */

static bool spec_matches(const char *ssys, const char *sname, const struct trace_event *ev)
{
	return (!ssys || !strcmp(ssys, ev->system)) && (!sname || !strcmp(sname, ev->name));
}

/* Apply remembered specs to a newly registered event. */
static void apply_specs(struct trace_event *ev)
{
	for (struct trace_spec *s = specs; s; s = s->next)
		if (spec_matches(s->system, s->name, ev))
			ev->enabled = true;
}

/**
 * trace_find() - the event @system:@name, or NULL if it was never registered.
 */
struct trace_event *trace_find(const char *system, const char *name)
{
	ensure_catalogue();
	for (struct trace_event *ev = events; ev; ev = ev->next)
		if (!strcmp(ev->system, system) && !strcmp(ev->name, name))
			return ev;
	return NULL;
}

/**
 * trace_event_register() - register event @system:@name (strings are copied).
 * Registering it again returns the same event.
 * Return: the event (enabled if a remembered spec matches), NULL on OOM.
 */
struct trace_event *trace_event_register(const char *system, const char *name)
{
	ensure_catalogue();
	return do_register(system, name);
}

static struct trace_event *do_register(const char *system, const char *name)
{
	struct trace_event *ev;
	char *sys, *nm;

	for (ev = events; ev; ev = ev->next)
		if (!strcmp(ev->system, system) && !strcmp(ev->name, name))
			return ev;
	ev = calloc(1, sizeof(*ev));
	sys = strdup(system);
	nm = strdup(name);
	if (!ev || !sys || !nm) {
		free(ev);
		free(sys);
		free(nm);
		return NULL;
	}
	ev->system = sys;
	ev->name = nm;
	apply_specs(ev);
	*events_tail = ev;
	events_tail = &ev->next;
	return ev;
}

/** trace_set_ctx_fn() - install the line-prefix callback (NULL: default idle prefix). */
void trace_set_ctx_fn(trace_ctx_fn fn)
{
	ctx_fn = fn;
}

/** trace_set_clock() - picosecond time source for line stamps (NULL: sim_now). */
void trace_set_clock(trace_clock_fn fn)
{
	clock_fn = fn;
}

/**
 * trace_enable() - enable events matching @spec: "all", "*", "*:*", "<system>",
 * "<system>:*", "<system>:<event>", or "<event>" (any system).
 * Return: number of known (catalogue or registered) events matched,
 * -1 if the spec names nothing registered (it is then not remembered).
 */
int trace_enable(const char *spec)
{
	char *sys = NULL, *nm = NULL, *colon;
	struct trace_spec *s;
	int matched = 0;
	bool all;

	if (!spec || !*spec)
		return -1;
	ensure_catalogue();
	all = !strcmp(spec, "all") || !strcmp(spec, "*") || !strcmp(spec, "*:*");
	colon = strchr(spec, ':');
	if (!all && colon) {
		sys = strndup(spec, (size_t)(colon - spec));
		nm = strdup(colon + 1);
		if (!sys || !nm)
			goto fail;
		if (!*sys || !*nm || strchr(nm, ':'))
			goto fail;
		if (!strcmp(nm, "*")) {
			free(nm);
			nm = NULL;
		}
		if (!strcmp(sys, "*")) {
			free(sys);
			sys = NULL;
		}
	}
	if (all || colon) {
		for (struct trace_event *ev = events; ev; ev = ev->next)
			if (spec_matches(sys, nm, ev)) {
				ev->enabled = true;
				matched++;
			}
	} else {
		/* Bare word: a system, else an event name in any system. */
		for (struct trace_event *ev = events; ev; ev = ev->next)
			if (!strcmp(ev->system, spec))
				matched++;
		if (matched) {
			sys = strdup(spec);
		} else {
			nm = strdup(spec);
		}
		if (!sys && !nm)
			goto fail;
		matched = 0;
		for (struct trace_event *ev = events; ev; ev = ev->next)
			if (spec_matches(sys, nm, ev)) {
				ev->enabled = true;
				matched++;
			}
	}
	if (!matched && !all)
		goto fail;
	s = calloc(1, sizeof(*s));
	if (!s)
		goto fail;
	s->system = sys;
	s->name = nm;
	s->next = specs;
	specs = s;
	return matched;
fail:
	free(sys);
	free(nm);
	return -1;
}

/** trace_disable_all() - disable every event and forget the specs. */
void trace_disable_all(void)
{
	for (struct trace_event *ev = events; ev; ev = ev->next)
		ev->enabled = false;
	while (specs) {
		struct trace_spec *s = specs;

		specs = s->next;
		free(s->system);
		free(s->name);
		free(s);
	}
}

/* ------------------------------------------------------------------------ */

/* The header of /sys/kernel/tracing/trace (nop tracer, irq-info, no tgid). */
static int write_header(FILE *f, const char *count)
{
	return fprintf(f,
		"# tracer: nop\n"
		"#\n"
		"# entries-in-buffer/entries-written: %s/%s   #P:%d\n"
		"#\n"
		"#                                _-----=> irqs-off/BH-disabled\n"
		"#                               / _----=> need-resched\n"
		"#                              | / _---=> hardirq/softirq\n"
		"#                              || / _--=> preempt-depth\n"
		"#                              ||| / _-=> migrate-disable\n"
		"#                              |||| /     delay\n"
		"#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
		"#              | |         |   |||||     |         |\n",
		count, count, trace_cpus);
}

/**
 * trace_open() - start writing the event log to @path with "#P:@nr_cpus".
 * A regular file is written atomically: lines go to "<path>.body.tmp" and
 * trace_close() assembles header + body in "<path>.tmp" and renames it. Any
 * other existing file (a pipe, /dev/stdout) is streamed to directly, with "?"
 * for the entry counts that cannot be known up front.
 * Return: 0, -EBUSY if a log is already open, or -errno from the file system.
 */
int trace_open(const char *path, int nr_cpus)
{
	struct stat st;
	bool stream = stat(path, &st) == 0 && !S_ISREG(st.st_mode);
	char *body = NULL;
	FILE *f;
	int err;

	if (trace_file)
		return -EBUSY;
	if (!stream && asprintf(&body, "%s.body.tmp", path) < 0)
		return -ENOMEM;
	f = fopen(stream ? path : body, "w");
	if (!f) {
		err = errno;
		sim_error("trace: cannot create %s: %s", stream ? path : body, strerror(err));
		free(body);
		errno = err;
		return -err;
	}
	trace_buf = malloc(TRACE_BUFSZ);
	if (trace_buf)
		setvbuf(f, trace_buf, _IOFBF, TRACE_BUFSZ);
	trace_path = strdup(path);
	body_path = body;
	trace_cpus = nr_cpus;
	nr_entries = 0;
	if (!trace_path || (stream && write_header(f, "?") < 0)) {
		fclose(f);
		if (body)
			unlink(body);
		free(trace_buf);
		free(trace_path);
		free(body);
		trace_buf = NULL;
		trace_path = NULL;
		body_path = NULL;
		return -EIO;
	}
	trace_file = f;
	return 0;
}

/* Copy @len bytes from @in at @off to @out's current position. */
static int copy_body(int in, int out, off_t off, off_t len)
{
	while (len > 0) {
		ssize_t r = copy_file_range(in, &off, out, NULL, (size_t)len, 0);

		if (r <= 0) {
			char buf[1 << 16];

			if (r < 0 && errno != EXDEV && errno != ENOSYS && errno != EINVAL &&
			    errno != EOPNOTSUPP)
				return -errno;
			/* Fallback: plain read/write loop. */
			while (len > 0) {
				ssize_t n = pread(in, buf, len < (off_t)sizeof(buf) ? (size_t)len
								       : sizeof(buf), off);
				if (n <= 0)
					return n < 0 ? -errno : -EIO;
				for (ssize_t w = 0; w < n;) {
					ssize_t k = write(out, buf + w, (size_t)(n - w));

					if (k < 0)
						return -errno;
					w += k;
				}
				off += n;
				len -= n;
			}
			return 0;
		}
		len -= r;
	}
	return 0;
}

/**
 * trace_close() - flush the log and give its header the exact entry counts.
 * Return: 0 (also when no log is open) or -errno.
 */
int trace_close(void)
{
	char count[32], *tmp = NULL;
	int in = -1, out = -1, ret = 0;
	FILE *hf;
	struct stat st;

	if (!trace_file)
		return 0;
	if (fclose(trace_file) != 0)
		ret = -errno;
	trace_file = NULL;
	free(trace_buf);
	trace_buf = NULL;
	if (ret || !body_path)                            /* streamed: nothing to fix */
		goto out;
	snprintf(count, sizeof(count), "%" PRIu64, nr_entries);
	if (asprintf(&tmp, "%s.tmp", trace_path) < 0) {
		tmp = NULL;
		ret = -ENOMEM;
		goto out;
	}
	in = open(body_path, O_RDONLY);
	if (in < 0 || fstat(in, &st) < 0) {
		ret = -errno;
		goto out;
	}
	hf = fopen(tmp, "w");
	if (!hf) {
		ret = -errno;
		goto out;
	}
	if (write_header(hf, count) < 0 || fflush(hf) != 0) {
		ret = -EIO;
		fclose(hf);
		goto out;
	}
	out = dup(fileno(hf));
	fclose(hf);
	if (out < 0) {
		ret = -errno;
		goto out;
	}
	if (lseek(out, 0, SEEK_END) < 0) {
		ret = -errno;
		goto out;
	}
	ret = copy_body(in, out, 0, st.st_size);
	if (!ret && close(out) != 0)
		ret = -errno;
	out = -1;
	if (!ret && rename(tmp, trace_path) != 0)
		ret = -errno;
	if (!ret)
		unlink(body_path);
out:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (ret && tmp)
		unlink(tmp);
	if (ret)
		sim_error("trace: cannot finish %s: %s", trace_path, strerror(-ret));
	free(tmp);
	free(trace_path);
	free(body_path);
	trace_path = NULL;
	body_path = NULL;
	return ret;
}

/** trace_entries() - lines written to the current (or last) log. */
uint64_t trace_entries(void)
{
	return nr_entries;
}

/** trace_is_open() - whether a log file is open. */
bool trace_is_open(void)
{
	return trace_file != NULL;
}

/* Decimal digits of @v right-aligned in @w chars ending at @end (zero or space padded). */
static char *put_dec(char *end, uint64_t v, int w, char pad)
{
	char *p = end;

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (end - p < w)
		*--p = pad;
	return p;
}

/*
 * The line prefix "%16s-%-7d [%03d] %s %5lu.%06lu: %s: " formatted by hand
 * into @buf (fast path for the common widths). Return: its length.
 */
static size_t format_prefix(char *buf, const struct trace_ctx *c, uint64_t us, const char *ev)
{
	char num[24], *q, *p = buf;
	size_t n = strlen(c->comm);

	if (n < 16) {
		memset(p, ' ', 16 - n);
		p += 16 - n;
	}
	memcpy(p, c->comm, n);
	p += n;
	*p++ = '-';
	if (c->pid < 0) {
		p += sprintf(p, "%-7d", c->pid);
	} else {
		q = put_dec(num + sizeof(num), (uint64_t)c->pid, 1, ' ');
		n = (size_t)(num + sizeof(num) - q);
		memcpy(p, q, n);
		p += n;
		for (; n < 7; n++)
			*p++ = ' ';
	}
	*p++ = ' ';
	*p++ = '[';
	if (c->cpu < 0) {
		p += sprintf(p, "%03d", c->cpu);
	} else {
		q = put_dec(num + sizeof(num), (uint64_t)c->cpu, 3, '0');
		n = (size_t)(num + sizeof(num) - q);
		memcpy(p, q, n);
		p += n;
	}
	*p++ = ']';
	*p++ = ' ';
	n = strlen(c->flags);
	memcpy(p, c->flags, n);
	p += n;
	*p++ = ' ';
	q = put_dec(num + sizeof(num), us / 1000000, 5, ' ');
	n = (size_t)(num + sizeof(num) - q);
	memcpy(p, q, n);
	p += n;
	*p++ = '.';
	q = put_dec(num + sizeof(num), us % 1000000, 6, '0');
	memcpy(p, q, 6);
	p += 6;
	*p++ = ':';
	*p++ = ' ';
	n = strlen(ev);
	memcpy(p, ev, n);
	p += n;
	*p++ = ':';
	*p++ = ' ';
	return (size_t)(p - buf);
}

/**
 * trace_emit() - write one line for @ev: prefix from the context callback,
 * time stamp, "<event>: " and the fields formatted from @fmt.
 * Context: call only when trace_on(@ev); no-op when no log is open.
 */
void trace_emit(struct trace_event *ev, const char *fmt, ...)
{
	struct trace_ctx c = { "<idle>", 0, 0, "....." };
	char line[1024];
	size_t n, room;
	uint64_t ps;
	va_list ap;
	int k;

	ev->emitted++;
	if (!trace_file)
		return;
	if (ctx_fn) {
		ctx_fn(&c);
		if (!c.comm)
			c.comm = "<idle>";
		c.flags[5] = 0;
	}
	ps = clock_fn ? clock_fn() : sim_now();
	if (strlen(c.comm) + strlen(ev->name) > 512) {    /* absurd names: slow path */
		fprintf(trace_file, "%16s-%-7d [%03d] %s %5" PRIu64 ".%06" PRIu64 ": %s: ",
			c.comm, c.pid, c.cpu, c.flags, ps / 1000000 / 1000000,
			ps / 1000000 % 1000000, ev->name);
		va_start(ap, fmt);
		vfprintf(trace_file, fmt, ap);
		va_end(ap);
		fputc('\n', trace_file);
		nr_entries++;
		return;
	}
	n = format_prefix(line, &c, ps / 1000000, ev->name);   /* ps → µs, truncated */
	room = sizeof(line) - n - 1;
	va_start(ap, fmt);
	k = vsnprintf(line + n, room + 1, fmt, ap);
	va_end(ap);
	if (k >= 0 && (size_t)k <= room - 1) {
		n += (size_t)k;
		line[n++] = '\n';
		fwrite_unlocked(line, 1, n, trace_file);
	} else {
		fwrite_unlocked(line, 1, n, trace_file);
		va_start(ap, fmt);
		vfprintf(trace_file, fmt, ap);
		va_end(ap);
		fputc('\n', trace_file);
	}
	nr_entries++;
}

/* ------------------------------------------------------------------------ */

#define ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND do { \
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2; \
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0; \
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); \
} while (0)

/* SipHash-2-4 of one little-endian 64-bit word. */
static uint64_t siphash_u64(uint64_t m, uint64_t k0, uint64_t k1)
{
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0, v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0, v3 = 0x7465646279746573ULL ^ k1;
	uint64_t b = (uint64_t)8 << 56;

	v3 ^= m;
	SIPROUND;
	SIPROUND;
	v0 ^= m;
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

/**
 * trace_hash_ptr() - the value %p prints for @ptr: the low 32 bits of a keyed
 * SipHash-2-4 (callers print it with "%016lx"); 0 stays 0.
 */
uint64_t trace_hash_ptr(uint64_t ptr)
{
	if (!ptr)
		return 0;
	return siphash_u64(ptr, hash_k0, hash_k1) & 0xffffffffULL;
}

/** trace_set_hash_key() - set the SipHash key used by trace_hash_ptr(). */
void trace_set_hash_key(uint64_t k0, uint64_t k1)
{
	hash_k0 = k0;
	hash_k1 = k1;
}

/** trace_shutdown() - close the log, forget specs and free every event. */
void trace_shutdown(void)
{
	trace_close();
	trace_disable_all();
	while (events) {
		struct trace_event *ev = events;

		events = ev->next;
		free((char *)ev->system);
		free((char *)ev->name);
		free(ev);
	}
	events_tail = &events;
	catalogue_done = false;
	ctx_fn = NULL;
	clock_fn = NULL;
}
