/* SPDX-License-Identifier: MIT */
/*
 * sim/results.c — the results folder of a run: atomic files and summary.json.
 *
 * Model: results_open() creates the folder (like mkdir -p). Every file is
 * opened as "<dir>/<rel>.tmp" (sub-folders such as proc/ created on demand)
 * and renamed to "<dir>/<rel>" by results_fclose(), so a reader never sees a
 * half-written file under its final name. The open files are kept in a list;
 * results_flush_all() closes and renames all of them, which is what the CLI
 * does after SIGINT/SIGTERM (from its main loop, not from the signal handler:
 * stdio is not async-signal-safe), so an interrupted run keeps what it wrote.
 *
 * summary.json is written with jansson, keys in insertion order and indent 2,
 * so two runs with the same seed give identical bytes except under "host"
 * (host seconds, events per host second, start time), which tests strip.
 *
 * Invariants: each open-file record names a distinct FILE*; its tmp path is
 * its final path plus ".tmp".
 */
#define _GNU_SOURCE
#include "sim/results.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "sim/cli.h"
#include "sim/log.h"
#include "sim/stats.h"

struct open_file {
	FILE *f;
	char *path;                               /* final */
	char *tmp;                                /* path + ".tmp" */
	struct open_file *next;
};

struct results {
	char *dir;
	char start_time[32];                      /* UTC, ISO 8601 */
	struct open_file *files;
};

/* mkdir -p @path (which is modified temporarily). Return 0 or -errno. */
static int mkdir_p(char *path)
{
	size_t len = strlen(path);

	for (size_t i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != 0)
			continue;
		char c = path[i];

		path[i] = 0;
		if (mkdir(path, 0777) != 0 && errno != EEXIST) {
			int err = errno;

			path[i] = c;
			return -err;
		}
		path[i] = c;
	}
	struct stat st;

	if (stat(path, &st) != 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

/**
 * results_open() - create the results folder @dir (and its parents).
 * Return: a handle, or NULL with errno set (message on stderr).
 */
struct results *results_open(const char *dir)
{
	struct results *r;
	time_t now = time(NULL);
	struct tm tm;
	int err;

	if (!dir || !*dir) {
		errno = EINVAL;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r || !(r->dir = strdup(dir))) {
		free(r);
		errno = ENOMEM;
		return NULL;
	}
	/* Strip trailing slashes (but keep "/"). */
	for (size_t n = strlen(r->dir); n > 1 && r->dir[n - 1] == '/'; n--)
		r->dir[n - 1] = 0;
	err = mkdir_p(r->dir);
	if (err) {
		sim_error("results: cannot create folder %s: %s", dir, strerror(-err));
		free(r->dir);
		free(r);
		errno = -err;
		return NULL;
	}
	gmtime_r(&now, &tm);
	strftime(r->start_time, sizeof(r->start_time), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return r;
}

/** results_dir() - the folder path given to results_open(). */
const char *results_dir(const struct results *r)
{
	return r->dir;
}

/** results_path() - "<dir>/<rel>" into @buf (truncated to @len). Return: @buf. */
const char *results_path(const struct results *r, const char *rel, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", r->dir, rel);
	return buf;
}

/**
 * results_fopen() - open "<dir>/<rel>.tmp" for writing, creating sub-folders.
 * Return: the stream, or NULL with errno set (EBUSY if @rel is already open;
 * message on stderr).
 */
FILE *results_fopen(struct results *r, const char *rel)
{
	struct open_file *of;
	char *dircopy;
	int err = 0;

	if (!rel || !*rel || rel[0] == '/') {
		errno = EINVAL;
		return NULL;
	}
	of = calloc(1, sizeof(*of));
	if (!of || asprintf(&of->path, "%s/%s", r->dir, rel) < 0) {
		free(of);
		errno = ENOMEM;
		return NULL;
	}
	for (struct open_file *o = r->files; o; o = o->next)
		if (!strcmp(o->path, of->path)) {
			free(of->path);
			free(of);
			sim_error("results: %s/%s is already open", r->dir, rel);
			errno = EBUSY;
			return NULL;
		}
	if (asprintf(&of->tmp, "%s.tmp", of->path) < 0) {
		of->tmp = NULL;
		err = -ENOMEM;
		goto fail;
	}
	if (strchr(rel, '/')) {
		dircopy = strdup(of->path);
		if (!dircopy) {
			err = -ENOMEM;
			goto fail;
		}
		err = mkdir_p(dirname(dircopy));
		free(dircopy);
		if (err)
			goto fail;
	}
	of->f = fopen(of->tmp, "w");
	if (!of->f) {
		err = -errno;
		goto fail;
	}
	of->next = r->files;
	r->files = of;
	return of->f;
fail:
	sim_error("results: cannot create %s: %s", of->tmp ? of->tmp : rel, strerror(-err));
	free(of->path);
	free(of->tmp);
	free(of);
	errno = -err;
	return NULL;
}

/* Close one record's stream and rename it into place. Return 0 or -errno. */
static int finish(struct open_file *of)
{
	int ret = 0;

	if (fclose(of->f) != 0)
		ret = -errno;
	if (!ret && rename(of->tmp, of->path) != 0)
		ret = -errno;
	if (ret)
		sim_error("results: cannot write %s: %s", of->path, strerror(-ret));
	free(of->path);
	free(of->tmp);
	free(of);
	return ret;
}

/**
 * results_fclose() - close @f (from results_fopen) and rename it to its final name.
 * Return: 0 (also for a NULL @f), -EINVAL if @f is not one of ours, or -errno.
 */
int results_fclose(struct results *r, FILE *f)
{
	if (!f)
		return 0;
	for (struct open_file **p = &r->files; *p; p = &(*p)->next) {
		if ((*p)->f == f) {
			struct open_file *of = *p;

			*p = of->next;
			return finish(of);
		}
	}
	return -EINVAL;
}

/**
 * results_flush_all() - close and rename every file still open (interruption).
 * Context: not async-signal-safe; call from the main loop after a signal.
 */
void results_flush_all(struct results *r)
{
	if (!r)
		return;
	while (r->files) {
		struct open_file *of = r->files;

		r->files = of->next;
		finish(of);
	}
}

/** results_close() - flush every open file and free @r (NULL ok). */
void results_close(struct results *r)
{
	if (!r)
		return;
	results_flush_all(r);
	free(r->dir);
	free(r);
}

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

/**
 * results_write_summary() - write summary.json:
 * {"mmsim":{version,git,command_line,scenario,seed},
 *  "run":{status,interrupted,sim_seconds,events,exit_code},
 *  "host":{host_seconds,events_per_host_second,start_time},
 *  "stats":stats_to_json(), ...keys of @extra_json}
 * @extra_json: a jansson object (borrowed, not consumed) or NULL.
 * Return: 0 or -errno.
 */
int results_write_summary(struct results *r, const struct run_info *ri, void *extra_json)
{
	json_t *root = json_object(), *m = json_object(), *run = json_object(),
	       *host = json_object(), *stats;
	json_t *extra = extra_json;
	const char *key;
	json_t *val;
	FILE *f;
	int ret;

	if (!root || !m || !run || !host) {
		json_decref(root);
		json_decref(m);
		json_decref(run);
		json_decref(host);
		return -ENOMEM;
	}
	json_object_set_new(m, "version", json_string(mmsim_version()));
	json_object_set_new(m, "git", jstr(mmsim_git()));
	json_object_set_new(m, "command_line", jstr(ri->command_line));
	json_object_set_new(m, "scenario", jstr(ri->scenario));
	if (ri->seed <= (uint64_t)INT64_MAX)
		json_object_set_new(m, "seed", json_integer((json_int_t)ri->seed));
	else {
		char s[24];

		snprintf(s, sizeof(s), "%" PRIu64, ri->seed);
		json_object_set_new(m, "seed", json_string(s));
	}
	json_object_set_new(root, "mmsim", m);

	json_object_set_new(run, "status", jstr(ri->status ? ri->status
					       : ri->interrupted ? "interrupted" : "completed"));
	json_object_set_new(run, "interrupted", json_boolean(ri->interrupted));
	json_object_set_new(run, "sim_seconds", json_real((double)ri->sim_time_ps / 1e12));
	json_object_set_new(run, "sim_time_ps", json_integer(ri->sim_time_ps > (uint64_t)INT64_MAX
							     ? INT64_MAX
							     : (json_int_t)ri->sim_time_ps));
	json_object_set_new(run, "events", json_integer(ri->events > (uint64_t)INT64_MAX
							? INT64_MAX : (json_int_t)ri->events));
	json_object_set_new(run, "exit_code", json_integer(ri->exit_code));
	json_object_set_new(root, "run", run);

	json_object_set_new(host, "host_seconds", json_real(ri->host_seconds));
	json_object_set_new(host, "events_per_host_second",
			    json_real(ri->host_seconds > 0 ? (double)ri->events / ri->host_seconds
							   : 0.0));
	json_object_set_new(host, "start_time", json_string(r->start_time));
	json_object_set_new(root, "host", host);

	stats = stats_to_json();
	json_object_set_new(root, "stats", stats ? stats : json_object());

	if (extra && json_is_object(extra)) {
		json_object_foreach(extra, key, val)
			json_object_set(root, key, val);
	}

	f = results_fopen(r, "summary.json");
	if (!f) {
		ret = -errno;
		json_decref(root);
		return ret;
	}
	ret = json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ? -EIO : 0;
	if (!ret && fputc('\n', f) == EOF)
		ret = -EIO;
	json_decref(root);
	if (ret) {
		results_fclose(r, f);
		return ret;
	}
	return results_fclose(r, f);
}

/**
 * results_default_dir() - "results/<scenario basename without .yaml>-<UTC yyyymmddThhmmssZ>".
 * A NULL scenario gives "results/run-<time>".
 */
void results_default_dir(const char *scenario, char *buf, size_t len)
{
	char name[256], stamp[32];
	const char *base = "run", *slash;
	size_t n;
	time_t now = time(NULL);
	struct tm tm;

	if (scenario && *scenario) {
		slash = strrchr(scenario, '/');
		base = slash ? slash + 1 : scenario;
	}
	snprintf(name, sizeof(name), "%s", *base ? base : "run");
	n = strlen(name);
	if (n > 5 && !strcmp(name + n - 5, ".yaml"))
		name[n - 5] = 0;
	else if (n > 4 && !strcmp(name + n - 4, ".yml"))
		name[n - 4] = 0;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(buf, len, "results/%s-%s", name, stamp);
}
