/* SPDX-License-Identifier: MIT */
/* tests/testutil.c — see testutil.h. */
#include "tests/testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

const char *test_tmpdir(void)
{
	static char dir[64];

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/mmsim-test-XXXXXX");
		if (!mkdtemp(dir)) {
			perror("mkdtemp");
			abort();
		}
	}
	return dir;
}

const char *test_write_file(const char *name, const char *text)
{
	static char paths[8][512];
	static int slot;
	char *p = paths[slot++ & 7];
	FILE *f;

	snprintf(p, 512, "%s/%s", test_tmpdir(), name);
	f = fopen(p, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(p);
		abort();
	}
	return p;
}

char *test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
		}
		size_t r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}

static char *slurp_fd(int fd)
{
	size_t n = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t r;

	while ((r = read(fd, buf + n, cap - n - 1)) > 0) {
		n += (size_t)r;
		if (cap - n < 2048)
			buf = realloc(buf, cap *= 2);
	}
	buf[n] = 0;
	return buf;
}

int test_run_mmsim(const char *const *args, char **out, char **err)
{
	const char *bin = getenv("MMSIM") ? getenv("MMSIM") : "build/mmsim";
	char tmpl_o[] = "/tmp/mmsim-out-XXXXXX", tmpl_e[] = "/tmp/mmsim-err-XXXXXX";
	int fo = mkstemp(tmpl_o), fe = mkstemp(tmpl_e);
	const char *argv[64];
	int argc = 0, status;
	pid_t pid;

	argv[argc++] = bin;
	for (; args && *args && argc < 63; args++)
		argv[argc++] = *args;
	argv[argc] = NULL;
	pid = fork();
	if (pid == 0) {
		dup2(fo, 1);
		dup2(fe, 2);
		int devnull = open("/dev/null", O_RDONLY);
		dup2(devnull, 0);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	lseek(fo, 0, SEEK_SET);
	lseek(fe, 0, SEEK_SET);
	if (out)
		*out = slurp_fd(fo);
	if (err)
		*err = slurp_fd(fe);
	close(fo);
	close(fe);
	unlink(tmpl_o);
	unlink(tmpl_e);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int test_count_str(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}
