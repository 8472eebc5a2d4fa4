/* SPDX-License-Identifier: MIT */
/*
 * sim/sweep.c — read one row of a sweep CSV (see sim/sweep.h).
 *
 * A small RFC 4180 reader: fields separated by commas, optionally quoted with
 * double quotes (a quoted field may contain commas and "" for a quote; it may
 * not span lines — sweep values are scalars). Whitespace around unquoted
 * fields is trimmed.
 */
#include "sim/sweep.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Split @line into at most @max fields, in place. Return the count, or -1 on a quote error. */
static int split_csv(char *line, char **fields, int max, const char **why)
{
	int n = 0;
	char *p = line;

	for (;;) {
		char *out, *start;

		while (*p == ' ' || *p == '\t')
			p++;
		if (n == max) {
			*why = "too many columns";
			return -1;
		}
		if (*p == '"') {
			start = out = ++p;
			for (;;) {
				if (!*p) {
					*why = "an unterminated quoted field";
					return -1;
				}
				if (*p == '"' && p[1] == '"') {
					*out++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					*out++ = *p++;
				}
			}
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p && *p != ',') {
				*why = "a comma after a quoted field";
				return -1;
			}
			*out = 0;
		} else {
			start = p;
			while (*p && *p != ',')
				p++;
			out = p;
			while (out > start && (out[-1] == ' ' || out[-1] == '\t'))
				out--;
			if (*p == ',') {
				*out = 0;
				fields[n++] = start;
				p++;
				continue;
			}
			*out = 0;
		}
		fields[n++] = start;
		if (*p == ',') {
			p++;
			continue;
		}
		return n;
	}
}

int sweep_load_row(const char *path, long index, struct sweep_row *row, char *err, size_t errlen)
{
	char *line = NULL, *hdr_line = NULL, *hdr[SWEEP_MAX_COLS], *val[SWEEP_MAX_COLS];
	size_t cap = 0;
	int lineno = 0, ncols = -1, rc = -2;
	long data = 0;
	const char *why = NULL;
	FILE *f;

	memset(row, 0, sizeof(*row));
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) > 0) {
		size_t len = strcspn(line, "\r\n");
		char *p = line;

		lineno++;
		line[len] = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		if (ncols < 0) {
			hdr_line = strdup(p);
			ncols = split_csv(hdr_line, hdr, SWEEP_MAX_COLS, &why);
			if (ncols < 0) {
				snprintf(err, errlen, "%s:%d: expected a header row of scenario keys: %s", path,
					 lineno, why);
				rc = -1;
				break;
			}
			for (int i = 0; i < ncols; i++)
				if (!*hdr[i] || strchr(hdr[i], '=') || strchr(hdr[i], ' ')) {
					snprintf(err, errlen, "%s:%d: column %d: expected a scenario key like "
						 "vm.min_free_kbytes, got '%s'", path, lineno, i + 1, hdr[i]);
					rc = -1;
					goto out;
				}
			continue;
		}
		int n = split_csv(p, val, SWEEP_MAX_COLS, &why);
		if (n < 0 || n != ncols) {
			if (n >= 0)
				snprintf(err, errlen, "%s:%d: expected %d fields like the header, got %d", path,
					 lineno, ncols, n);
			else
				snprintf(err, errlen, "%s:%d: malformed CSV: %s", path, lineno, why);
			rc = -1;
			break;
		}
		if (data++ != index)
			continue;
		snprintf(row->name, sizeof(row->name), "row%ld", index);
		for (int i = 0; i < ncols; i++) {
			if (!strcmp(hdr[i], "name")) {
				if (*val[i])
					snprintf(row->name, sizeof(row->name), "%s", val[i]);
				continue;
			}
			if (!*val[i])
				continue;
			size_t sz = strlen(hdr[i]) + strlen(val[i]) + 2;
			row->assign[row->nr] = malloc(sz);
			snprintf(row->assign[row->nr++], sz, "%s=%s", hdr[i], val[i]);
		}
		rc = 0;
	}
	if (rc == -2 && ncols < 0) {
		snprintf(err, errlen, "%s: expected a header row of scenario keys, the file is empty", path);
		rc = -1;
	}
out:
	/* Count the remaining rows so an out-of-range message can say how many there are. */
	if (rc != -1) {
		while (getline(&line, &cap, f) > 0) {
			char *p = line + strspn(line, " \t");
			if (*p && *p != '#' && *p != '\n' && *p != '\r')
				data++;
		}
		row->nr_rows = data;
		if (rc == -2)
			snprintf(err, errlen, "%s: row %ld does not exist (the file has %ld data rows, 0..%ld)",
				 path, index, data, data - 1);
	}
	free(line);
	free(hdr_line);
	fclose(f);
	if (rc)
		sweep_row_free(row);
	return rc;
}

void sweep_row_free(struct sweep_row *row)
{
	for (int i = 0; i < row->nr; i++)
		free(row->assign[i]);
	row->nr = 0;
}
