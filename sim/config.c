/* SPDX-License-Identifier: MIT */
/*
 * sim/config.c — scenario configuration tree over libyaml.
 *
 * Model: the libyaml event stream is turned into a tree of nodes (mapping,
 * sequence, scalar); every node and every mapping key carries file:line:col
 * (1-based). Mappings keep their pairs in insertion order, which is also the
 * order cfg_write() prints, so output is deterministic. Every node belongs to
 * one document and is kept on the document's allocation list: nodes replaced
 * by cfg_override()/cfg_merge() stay allocated until cfg_free(), so pointers
 * handed out earlier never dangle.
 *
 * Invariants: a mapping never holds two pairs with the same key; a node's
 * parent points to the mapping or sequence that holds it (NULL for the root);
 * the first error is kept (sticky) and typed accessors do nothing after it.
 *
 * Positions: nodes from cfg_override() get the pseudo file "--set <text>",
 * line 1 and the column of the value inside <text>; messages print such a
 * position as just "--set <text>". Default values inserted by accessors take
 * the position of the mapping they are inserted into.
 *
 * Simplifications: anchors, aliases and multi-document streams are rejected;
 * tags are ignored (every scalar is a string until an accessor converts it).
 * A plain empty scalar, "~" or "null" counts as absent for typed accessors.
 */
#define _GNU_SOURCE
#include "sim/config.h"
#include "sim/units.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#define CFG_MAX_DEPTH 200

struct cfg_pos {
	const char *file;
	int line, col;
};

struct cfg_pair {
	char *key;
	struct cfg_pos kpos;
	bool kquoted;
	struct cfg_node *val;
};

struct cfg_node {
	enum cfg_kind kind;
	struct cfg *doc;
	struct cfg_node *parent;
	struct cfg_pos pos;
	bool used;
	bool quoted;              /* scalar was not plain in the source */
	char *scalar;
	struct cfg_pair *pairs;   /* CFG_MAP */
	struct cfg_node **items;  /* CFG_SEQ */
	size_t n, cap;
	char **asked;             /* keys requested through accessors (suggestions) */
	size_t nasked, capasked;
	struct cfg_node *next_alloc;
};

struct cfg {
	char *name;
	struct cfg_node *root;
	char *error;
	char **files;
	size_t nfiles;
	struct cfg_node *all;
};

static char last_load_error[1024];

/* ------------------------------------------------------------------------ */
/* small helpers */

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		abort();
	return q;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d)
		abort();
	return d;
}

static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

static const char *intern(struct cfg *c, const char *file)
{
	for (size_t i = 0; i < c->nfiles; i++)
		if (strcmp(c->files[i], file) == 0)
			return c->files[i];
	c->files = xrealloc(c->files, (c->nfiles + 1) * sizeof(*c->files));
	c->files[c->nfiles] = xstrdup(file);
	return c->files[c->nfiles++];
}

static struct cfg_node *node_new(struct cfg *c, enum cfg_kind kind, struct cfg_pos pos)
{
	struct cfg_node *n = calloc(1, sizeof(*n));

	if (!n)
		abort();
	n->kind = kind;
	n->doc = c;
	n->pos = pos;
	n->pos.file = intern(c, pos.file ? pos.file : c->name);
	n->next_alloc = c->all;
	c->all = n;
	return n;
}

static struct cfg_node *scalar_new(struct cfg *c, const char *text, bool quoted, struct cfg_pos pos)
{
	struct cfg_node *n = node_new(c, CFG_SCALAR, pos);

	n->scalar = xstrdup(text);
	n->quoted = quoted;
	return n;
}

/* Drop a node's content (children stay on the allocation list). */
static void node_clear(struct cfg_node *n)
{
	for (size_t i = 0; i < n->n && n->kind == CFG_MAP; i++)
		free(n->pairs[i].key);
	free(n->pairs);
	free(n->items);
	free(n->scalar);
	n->pairs = NULL;
	n->items = NULL;
	n->scalar = NULL;
	n->n = n->cap = 0;
}

static void node_free(struct cfg_node *n)
{
	node_clear(n);
	for (size_t i = 0; i < n->nasked; i++)
		free(n->asked[i]);
	free(n->asked);
	free(n);
}

static void map_add(struct cfg_node *m, const char *key, struct cfg_pos kpos, bool kq,
		    struct cfg_node *val)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 4;
		m->pairs = xrealloc(m->pairs, m->cap * sizeof(*m->pairs));
	}
	m->pairs[m->n].key = xstrdup(key);
	m->pairs[m->n].kpos = kpos;
	m->pairs[m->n].kpos.file = intern(m->doc, kpos.file ? kpos.file : m->doc->name);
	m->pairs[m->n].kquoted = kq;
	m->pairs[m->n].val = val;
	m->n++;
	val->parent = m;
}

static void seq_add(struct cfg_node *s, struct cfg_node *val)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 4;
		s->items = xrealloc(s->items, s->cap * sizeof(*s->items));
	}
	s->items[s->n++] = val;
	val->parent = s;
}

static struct cfg_pair *map_find(const struct cfg_node *m, const char *key)
{
	if (!m || m->kind != CFG_MAP)
		return NULL;
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->pairs[i].key, key) == 0)
			return &m->pairs[i];
	return NULL;
}

static void note_asked(struct cfg_node *m, const char *key)
{
	for (size_t i = 0; i < m->nasked; i++)
		if (strcmp(m->asked[i], key) == 0)
			return;
	if (m->nasked == m->capasked) {
		m->capasked = m->capasked ? 2 * m->capasked : 8;
		m->asked = xrealloc(m->asked, m->capasked * sizeof(*m->asked));
	}
	m->asked[m->nasked++] = xstrdup(key);
}

static bool is_null(const struct cfg_node *n)
{
	return n && n->kind == CFG_SCALAR && !n->quoted &&
	       (!n->scalar[0] || !strcmp(n->scalar, "~") || !strcmp(n->scalar, "null") ||
		!strcmp(n->scalar, "Null") || !strcmp(n->scalar, "NULL"));
}

/* Dotted path of @n from the root ("tasks.2.rate"); malloc'd, "" for the root. */
static char *node_path(const struct cfg_node *n)
{
	const char *parts[CFG_MAX_DEPTH + 8];
	char idx[CFG_MAX_DEPTH + 8][24];
	int np = 0;
	size_t len = 1;
	char *out;

	for (const struct cfg_node *p = n; p && p->parent && np < CFG_MAX_DEPTH + 8; p = p->parent) {
		const struct cfg_node *par = p->parent;
		const char *part = "?";

		if (par->kind == CFG_MAP) {
			for (size_t i = 0; i < par->n; i++)
				if (par->pairs[i].val == p)
					part = par->pairs[i].key;
		} else if (par->kind == CFG_SEQ) {
			for (size_t i = 0; i < par->n; i++)
				if (par->items[i] == p) {
					snprintf(idx[np], sizeof(idx[np]), "%zu", i);
					part = idx[np];
				}
		}
		parts[np++] = part;
		len += strlen(part) + 1;
	}
	out = xrealloc(NULL, len);
	out[0] = 0;
	for (int i = np - 1; i >= 0; i--) {
		strcat(out, parts[i]);
		if (i)
			strcat(out, ".");
	}
	return out;
}

static char *join_path(const struct cfg_node *map, const char *key)
{
	char *p = node_path(map);
	char *r = p[0] ? xasprintf("%s.%s", p, key) : xstrdup(key);

	free(p);
	return r;
}

static char *pos_str(struct cfg_pos pos)
{
	if (!pos.file)
		return xstrdup("?");
	if (pos.line <= 0 || strncmp(pos.file, "--set ", 6) == 0)
		return xstrdup(pos.file);
	return xasprintf("%s:%d:%d", pos.file, pos.line, pos.col);
}

/* Keep @msg (takes ownership) as the document's error unless one exists. */
static void set_error(struct cfg *c, char *msg)
{
	if (c && !c->error)
		c->error = msg;
	else
		free(msg);
}

/* Record "pos: path: what" for a value @n reached through @path. */
static void fail_at(struct cfg *c, struct cfg_pos pos, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void fail_at(struct cfg *c, struct cfg_pos pos, const char *path, const char *fmt, ...)
{
	va_list ap;
	char *body, *p;

	if (!c || c->error)
		return;
	va_start(ap, fmt);
	if (vasprintf(&body, fmt, ap) < 0)
		abort();
	va_end(ap);
	p = pos_str(pos);
	if (path && path[0])
		set_error(c, xasprintf("%s: %s: %s", p, path, body));
	else
		set_error(c, xasprintf("%s: %s", p, body));
	free(p);
	free(body);
}

static const char *kind_name(const struct cfg_node *n)
{
	switch (n->kind) {
	case CFG_MAP: return "a mapping";
	case CFG_SEQ: return "a sequence";
	default: return "a scalar";
	}
}

/* "got 'x'" text for a value: the scalar, or the kind of collection. */
static void got_text(const struct cfg_node *n, char *buf, size_t len)
{
	if (n->kind == CFG_SCALAR)
		snprintf(buf, len, "'%.200s'", n->scalar);
	else
		snprintf(buf, len, "%s", kind_name(n));
}

/* ------------------------------------------------------------------------ */
/* document */

static struct cfg *cfg_alloc(const char *name)
{
	struct cfg *c = calloc(1, sizeof(*c));

	if (!c)
		abort();
	c->name = xstrdup(name ? name : "<config>");
	return c;
}

struct cfg *cfg_new_empty(const char *name)
{
	struct cfg *c = cfg_alloc(name);

	c->root = node_new(c, CFG_MAP, (struct cfg_pos){ c->name, 1, 1 });
	c->root->used = true;
	return c;
}

void cfg_free(struct cfg *c)
{
	struct cfg_node *n, *next;

	if (!c)
		return;
	for (n = c->all; n; n = next) {
		next = n->next_alloc;
		node_free(n);
	}
	for (size_t i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	free(c->error);
	free(c->name);
	free(c);
}

struct cfg_node *cfg_root(struct cfg *c)
{
	return c ? c->root : NULL;
}

const char *cfg_error(const struct cfg *c)
{
	return c ? c->error : NULL;
}

bool cfg_failed(const struct cfg *c)
{
	return !c || c->error;
}

const char *cfg_last_load_error(void)
{
	return last_load_error[0] ? last_load_error : NULL;
}

/* Does dotted @path contain @key as whole components ("a.b.c" contains "b", "a.b")? */
static bool path_has(const char *path, const char *key)
{
	size_t kl = strlen(key);

	for (const char *p = path; (p = strstr(p, key)) != NULL; p++) {
		if ((p == path || p[-1] == '.') && (p[kl] == 0 || p[kl] == '.'))
			return true;
	}
	return false;
}

void cfg_fail(struct cfg *c, const struct cfg_node *n, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *body, *path = NULL;
	struct cfg_pos pos;

	if (!c && n)
		c = n->doc;
	if (!c || c->error)
		return;
	va_start(ap, fmt);
	if (vasprintf(&body, fmt, ap) < 0)
		abort();
	va_end(ap);
	/* A key of mapping @n: point at its value. */
	if (n && key && n->kind == CFG_MAP) {
		const struct cfg_pair *p = map_find(n, key);

		if (p)
			n = p->val;
	}
	pos = n ? n->pos : (struct cfg_pos){ c->name, 0, 0 };
	if (n) {
		path = node_path(n);
		if (key && !path_has(path, key)) {
			char *full = n->kind == CFG_MAP ? join_path(n, key) : NULL;

			if (full) {
				free(path);
				path = full;
			}
		}
	}
	fail_at(c, pos, path ? path : key, "%s", body);
	free(path);
	free(body);
}

/* ------------------------------------------------------------------------ */
/* YAML → tree */

struct loader {
	yaml_parser_t parser;
	struct cfg *c;
	const char *file;
	char *err;
	int col_offset;            /* added to columns (--set values) */
	int line_override;         /* >0: every node gets this line */
};

static struct cfg_pos mark_pos(struct loader *L, yaml_mark_t m)
{
	struct cfg_pos p = { L->file, (int)m.line + 1, (int)m.column + 1 + L->col_offset };

	if (L->line_override)
		p.line = L->line_override;
	return p;
}

static void load_fail(struct loader *L, yaml_mark_t m, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void load_fail(struct loader *L, yaml_mark_t m, const char *fmt, ...)
{
	va_list ap;
	char *body, *p;

	if (L->err)
		return;
	va_start(ap, fmt);
	if (vasprintf(&body, fmt, ap) < 0)
		abort();
	va_end(ap);
	p = pos_str(mark_pos(L, m));
	L->err = xasprintf("%s: %s", p, body);
	free(p);
	free(body);
}

static bool next_event(struct loader *L, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&L->parser, ev)) {
		yaml_parser_t *P = &L->parser;
		const char *prob = P->problem ? P->problem : "unknown error";

		if (P->context)
			load_fail(L, P->problem_mark, "YAML syntax error: %s (%s)", prob, P->context);
		else
			load_fail(L, P->problem_mark, "YAML syntax error: %s", prob);
		return false;
	}
	return true;
}

static bool has_anchor(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT: return ev->data.scalar.anchor != NULL;
	case YAML_SEQUENCE_START_EVENT: return ev->data.sequence_start.anchor != NULL;
	case YAML_MAPPING_START_EVENT: return ev->data.mapping_start.anchor != NULL;
	default: return false;
	}
}

struct attach {
	struct cfg_node *parent;   /* NULL for the root */
	const char *key;           /* when parent is a mapping */
	struct cfg_pos kpos;
	bool kquoted;
};

/* Hook a fresh node into its parent at once, so paths work while it is built. */
static struct cfg_node *attached(struct cfg_node *n, const struct attach *at)
{
	if (at && at->parent && at->parent->kind == CFG_MAP)
		map_add(at->parent, at->key, at->kpos, at->kquoted, n);
	else if (at && at->parent)
		seq_add(at->parent, n);
	return n;
}

/* Build the node that starts with @ev (consumed by the caller) and attach it per @at. */
static struct cfg_node *load_node(struct loader *L, yaml_event_t *ev, int depth,
				  const struct attach *at)
{
	struct cfg_node *n = NULL;
	yaml_event_t e;

	if (ev->type == YAML_ALIAS_EVENT || has_anchor(ev)) {
		load_fail(L, ev->start_mark, "anchors and aliases are not supported");
		return NULL;
	}
	if (depth > CFG_MAX_DEPTH) {
		load_fail(L, ev->start_mark, "nesting deeper than %d levels", CFG_MAX_DEPTH);
		return NULL;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return attached(scalar_new(L->c, (const char *)ev->data.scalar.value,
					   ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE,
					   mark_pos(L, ev->start_mark)), at);
	case YAML_SEQUENCE_START_EVENT:
		n = attached(node_new(L->c, CFG_SEQ, mark_pos(L, ev->start_mark)), at);
		for (;;) {
			struct attach sub = { .parent = n };
			struct cfg_node *item;

			if (!next_event(L, &e))
				return NULL;
			if (e.type == YAML_SEQUENCE_END_EVENT) {
				yaml_event_delete(&e);
				return n;
			}
			item = load_node(L, &e, depth + 1, &sub);
			yaml_event_delete(&e);
			if (!item)
				return NULL;
		}
	case YAML_MAPPING_START_EVENT:
		n = attached(node_new(L->c, CFG_MAP, mark_pos(L, ev->start_mark)), at);
		for (;;) {
			struct attach sub;
			struct cfg_node *val;
			struct cfg_pos kpos;
			struct cfg_pair *dup;
			char *key;
			bool kq;

			if (!next_event(L, &e))
				return NULL;
			if (e.type == YAML_MAPPING_END_EVENT) {
				yaml_event_delete(&e);
				return n;
			}
			if (e.type != YAML_SCALAR_EVENT || has_anchor(&e)) {
				load_fail(L, e.start_mark, e.type == YAML_SCALAR_EVENT ||
					  e.type == YAML_ALIAS_EVENT ?
					  "anchors and aliases are not supported" :
					  "expected a scalar mapping key");
				yaml_event_delete(&e);
				return NULL;
			}
			key = xstrdup((const char *)e.data.scalar.value);
			kq = e.data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
			kpos = mark_pos(L, e.start_mark);
			dup = map_find(n, key);
			if (dup) {
				char *path = join_path(n, key), *first = pos_str(dup->kpos);

				load_fail(L, e.start_mark, "duplicate key '%s' (first at %s)", path, first);
				free(path);
				free(first);
				free(key);
				yaml_event_delete(&e);
				return NULL;
			}
			yaml_event_delete(&e);
			if (!next_event(L, &e)) {
				free(key);
				return NULL;
			}
			sub = (struct attach){ n, key, kpos, kq };
			val = load_node(L, &e, depth + 1, &sub);
			yaml_event_delete(&e);
			free(key);
			if (!val)
				return NULL;
		}
	default:
		load_fail(L, ev->start_mark, "unexpected YAML event");
		return NULL;
	}
}

/*
 * Parse @text into @c's tree; return the root (an empty map for an empty
 * document) or NULL with *@err set (malloc'd).
 */
static struct cfg_node *load_text(struct cfg *c, const char *file, const char *text,
				  int col_offset, int line_override, char **err)
{
	struct loader L = { .c = c, .file = intern(c, file), .col_offset = col_offset,
			    .line_override = line_override };
	struct cfg_node *root = NULL;
	yaml_event_t e;
	bool done = false;

	if (!yaml_parser_initialize(&L.parser))
		abort();
	yaml_parser_set_input_string(&L.parser, (const unsigned char *)text, strlen(text));
	while (!L.err && !done && next_event(&L, &e)) {
		switch (e.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (root)
				load_fail(&L, e.start_mark, "expected a single YAML document");
			break;
		default:
			if (root) {
				load_fail(&L, e.start_mark, "expected a single YAML document");
				break;
			}
			root = load_node(&L, &e, 0, NULL);
			break;
		}
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&L.parser);
	if (L.err) {
		*err = L.err;
		return NULL;
	}
	if (!root)
		root = node_new(c, CFG_MAP, (struct cfg_pos){ L.file, 1, 1 + col_offset });
	return root;
}

struct cfg *cfg_load_string(const char *name, const char *text)
{
	struct cfg *c = cfg_alloc(name);
	char *err = NULL;

	c->root = load_text(c, c->name, text ? text : "", 0, 0, &err);
	if (!c->root) {
		snprintf(last_load_error, sizeof(last_load_error), "%s", err);
		free(err);
		cfg_free(c);
		return NULL;
	}
	c->root->used = true;
	last_load_error[0] = 0;
	return c;
}

struct cfg *cfg_load_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, got;
	struct cfg *c;

	if (!f) {
		snprintf(last_load_error, sizeof(last_load_error), "%s: %s",
			 path, strerror(errno));
		return NULL;
	}
	do {
		if (cap - len < 4096) {
			cap = cap ? 2 * cap : 16384;
			buf = xrealloc(buf, cap + 1);
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got);
	if (ferror(f)) {
		snprintf(last_load_error, sizeof(last_load_error), "%s: read error: %s",
			 path, strerror(errno));
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[len] = 0;
	if (strlen(buf) != len) {
		snprintf(last_load_error, sizeof(last_load_error),
			 "%s: expected a YAML text file, got a NUL byte", path);
		free(buf);
		return NULL;
	}
	c = cfg_load_string(path, buf);
	free(buf);
	return c;
}

/* ------------------------------------------------------------------------ */
/* navigation */

enum cfg_kind cfg_kind(const struct cfg_node *n) { return n ? n->kind : CFG_SCALAR; }
struct cfg *cfg_doc(const struct cfg_node *n) { return n ? n->doc : NULL; }
const char *cfg_file(const struct cfg_node *n) { return n ? n->pos.file : NULL; }
int cfg_line(const struct cfg_node *n) { return n ? n->pos.line : 0; }
int cfg_col(const struct cfg_node *n) { return n ? n->pos.col : 0; }

const char *cfg_scalar(const struct cfg_node *n)
{
	return n && n->kind == CFG_SCALAR ? n->scalar : NULL;
}

/* @map must be a mapping: record an error and return false otherwise. */
static bool want_map(struct cfg_node *map)
{
	char got[256], *path;

	if (!map)
		return false;
	if (map->kind == CFG_MAP)
		return true;
	path = node_path(map);
	got_text(map, got, sizeof(got));
	fail_at(map->doc, map->pos, path, "expected a mapping, got %s", got);
	free(path);
	return false;
}

struct cfg_node *cfg_get(struct cfg_node *map, const char *key)
{
	struct cfg_pair *p;

	if (!want_map(map))
		return NULL;
	note_asked(map, key);
	p = map_find(map, key);
	if (!p)
		return NULL;
	p->val->used = true;
	return p->val;
}

struct cfg_node *cfg_map(struct cfg_node *map, const char *key)
{
	struct cfg_pair *p;
	struct cfg_node *n;
	char got[256], *path;

	if (!want_map(map))
		return NULL;
	note_asked(map, key);
	p = map_find(map, key);
	if (!p) {
		n = node_new(map->doc, CFG_MAP, map->pos);
		n->used = true;
		map_add(map, key, map->pos, false, n);
		return n;
	}
	n = p->val;
	n->used = true;
	if (n->kind == CFG_MAP)
		return n;
	if (is_null(n)) {
		node_clear(n);
		n->kind = CFG_MAP;
		return n;
	}
	path = node_path(n);
	got_text(n, got, sizeof(got));
	fail_at(map->doc, n->pos, path, "expected a mapping, got %s", got);
	free(path);
	return NULL;
}

struct cfg_node *cfg_seq(struct cfg_node *map, const char *key)
{
	struct cfg_node *n = cfg_get(map, key);
	char got[256], *path;

	if (!n || n->kind == CFG_SEQ)
		return n;
	if (is_null(n))
		return NULL;
	path = node_path(n);
	got_text(n, got, sizeof(got));
	fail_at(n->doc, n->pos, path, "expected a sequence, got %s", got);
	free(path);
	return NULL;
}

size_t cfg_len(const struct cfg_node *n)
{
	return n && n->kind != CFG_SCALAR ? n->n : 0;
}

struct cfg_node *cfg_at(struct cfg_node *seq, size_t i)
{
	if (!seq || seq->kind != CFG_SEQ || i >= seq->n)
		return NULL;
	seq->items[i]->used = true;
	return seq->items[i];
}

const char *cfg_key_at(const struct cfg_node *map, size_t i)
{
	if (!map || map->kind != CFG_MAP || i >= map->n)
		return NULL;
	return map->pairs[i].key;
}

struct cfg_node *cfg_val_at(struct cfg_node *map, size_t i)
{
	if (!map || map->kind != CFG_MAP || i >= map->n)
		return NULL;
	map->pairs[i].val->used = true;
	return map->pairs[i].val;
}

bool cfg_has(const struct cfg_node *map, const char *key)
{
	/* Asking counts as knowing the key (for "did you mean"); nodes are never const objects. */
	if (map && map->kind == CFG_MAP)
		note_asked((struct cfg_node *)map, key);
	return map_find(map, key) != NULL;
}

void cfg_mark_used(struct cfg_node *n)
{
	if (!n)
		return;
	n->used = true;
	for (size_t i = 0; i < n->n; i++)
		cfg_mark_used(n->kind == CFG_MAP ? n->pairs[i].val : n->items[i]);
}

/* ------------------------------------------------------------------------ */
/* typed accessors */

/*
 * Look @key up for a typed accessor. Return the scalar node to convert, or
 * NULL when the caller must return its default: absent/null (then @def_text,
 * if not NULL, is inserted), failed document, or wrong kind (error recorded).
 */
static struct cfg_node *lookup(struct cfg_node *map, const char *key, const char *def_text)
{
	struct cfg_pair *p;
	struct cfg_node *n;
	char *path;

	if (!map || map->doc->error || !want_map(map))
		return NULL;
	note_asked(map, key);
	p = map_find(map, key);
	if (!p || is_null(p->val)) {
		if (p)
			p->val->used = true;
		if (!def_text)
			return NULL;
		if (p) {
			n = p->val;
			free(n->scalar);
			n->scalar = xstrdup(def_text);
		} else {
			n = scalar_new(map->doc, def_text, false, map->pos);
			map_add(map, key, map->pos, false, n);
		}
		n->used = true;
		n->quoted = false;
		return NULL;
	}
	n = p->val;
	n->used = true;
	if (n->kind != CFG_SCALAR) {
		path = node_path(n);
		fail_at(map->doc, n->pos, path, "expected a scalar, got %s", kind_name(n));
		free(path);
		return NULL;
	}
	return n;
}

static void fail_node(struct cfg_node *n, const char *msg)
{
	char *path = node_path(n);

	fail_at(n->doc, n->pos, path, "%s", msg);
	free(path);
}

static void range_msg(char *buf, size_t len, const char *what, const char *lo, const char *hi,
		      bool has_lo, bool has_hi, const char *got)
{
	if (has_lo && has_hi)
		snprintf(buf, len, "expected %s in [%s, %s], got '%s'", what, lo, hi, got);
	else if (has_lo)
		snprintf(buf, len, "expected %s of at least %s, got '%s'", what, lo, got);
	else
		snprintf(buf, len, "expected %s of at most %s, got '%s'", what, hi, got);
}

static uint64_t conv_u64(struct cfg_node *n, enum cfg_unit unit, uint64_t def,
			 uint64_t min, uint64_t max)
{
	char err[512], lo[48], hi[48];
	uint64_t v;

	if (unit_parse_u64(n->scalar, unit, &v, err, sizeof(err)) < 0) {
		fail_node(n, err);
		return def;
	}
	if (v < min || v > max) {
		unit_format(min, unit, lo, sizeof(lo));
		unit_format(max, unit, hi, sizeof(hi));
		range_msg(err, sizeof(err), unit_what(unit), lo, hi, min > 0, max < UINT64_MAX,
			  n->scalar);
		fail_node(n, err);
		return def;
	}
	return v;
}

uint64_t cfg_u64(struct cfg_node *map, const char *key, enum cfg_unit unit,
		 uint64_t def, uint64_t min, uint64_t max)
{
	char buf[48];
	struct cfg_node *n;

	unit_format(def, unit, buf, sizeof(buf));
	n = lookup(map, key, buf);
	return n ? conv_u64(n, unit, def, min, max) : def;
}

uint64_t cfg_node_u64(struct cfg_node *n, enum cfg_unit unit, uint64_t def, uint64_t min, uint64_t max)
{
	if (!n || n->doc->error || is_null(n))
		return def;
	n->used = true;
	if (n->kind != CFG_SCALAR) {
		char *path = node_path(n);

		fail_at(n->doc, n->pos, path, "expected %s, got %s", unit_what(unit), kind_name(n));
		free(path);
		return def;
	}
	return conv_u64(n, unit, def, min, max);
}

int64_t cfg_i64(struct cfg_node *map, const char *key, int64_t def, int64_t min, int64_t max)
{
	char buf[32], err[512];
	struct cfg_node *n;
	const char *s;
	uint64_t mag;
	bool neg = false;
	int64_t v;

	snprintf(buf, sizeof(buf), "%" PRId64, def);
	n = lookup(map, key, buf);
	if (!n)
		return def;
	s = n->scalar;
	while (*s == ' ')
		s++;
	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s++;
	}
	if (*s == '-' || *s == '+' || unit_parse_u64(s, CFG_UNIT_NONE, &mag, err, sizeof(err)) < 0 ||
	    mag > (uint64_t)INT64_MAX + (neg ? 1 : 0)) {
		snprintf(err, sizeof(err), "expected an integer, got '%s'", n->scalar);
		fail_node(n, err);
		return def;
	}
	v = neg ? (int64_t)(0 - mag) : (int64_t)mag;
	if (v < min || v > max) {
		char lo[32], hi[32];

		snprintf(lo, sizeof(lo), "%" PRId64, min);
		snprintf(hi, sizeof(hi), "%" PRId64, max);
		range_msg(err, sizeof(err), "an integer", lo, hi, min > INT64_MIN, max < INT64_MAX,
			  n->scalar);
		fail_node(n, err);
		return def;
	}
	return v;
}

/* Shortest text that reads back as @v, with @unit's base suffix. */
static void format_double(double v, enum cfg_unit unit, char *buf, size_t len)
{
	if (unit != CFG_UNIT_NONE && v >= 0 && v < 9.2e18 && v == floor(v)) {
		unit_format((uint64_t)v, unit, buf, len);
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g%s", prec, v, unit_base_suffix(unit));
		if (strtod(buf, NULL) == v)
			return;
	}
}

static double conv_double(struct cfg_node *n, enum cfg_unit unit, double def, double min, double max)
{
	char err[512], lo[48], hi[48];
	double v;

	if (unit_parse(n->scalar, unit, &v, err, sizeof(err)) < 0) {
		if (unit == CFG_UNIT_NONE)
			snprintf(err, sizeof(err), "expected a number like 0.5, got '%s'", n->scalar);
		fail_node(n, err);
		return def;
	}
	if (v < min || v > max) {
		const char *what = unit == CFG_UNIT_NONE ? "a number" : unit_what(unit);

		format_double(min, unit, lo, sizeof(lo));
		format_double(max, unit, hi, sizeof(hi));
		range_msg(err, sizeof(err), what, lo, hi, isfinite(min) && min > -1e308,
			  isfinite(max) && max < 1e308, n->scalar);
		fail_node(n, err);
		return def;
	}
	return v;
}

double cfg_double(struct cfg_node *map, const char *key, enum cfg_unit unit,
		  double def, double min, double max)
{
	char buf[64];
	struct cfg_node *n;

	format_double(def, unit, buf, sizeof(buf));
	n = lookup(map, key, buf);
	return n ? conv_double(n, unit, def, min, max) : def;
}

double cfg_node_double(struct cfg_node *n, enum cfg_unit unit, double def, double min, double max)
{
	if (!n || n->doc->error || is_null(n))
		return def;
	n->used = true;
	if (n->kind != CFG_SCALAR) {
		char *path = node_path(n);

		fail_at(n->doc, n->pos, path, "expected %s, got %s",
			unit == CFG_UNIT_NONE ? "a number" : unit_what(unit), kind_name(n));
		free(path);
		return def;
	}
	return conv_double(n, unit, def, min, max);
}

bool cfg_bool(struct cfg_node *map, const char *key, bool def)
{
	static const char *const yes[] = { "true", "yes", "on" };
	static const char *const no[] = { "false", "no", "off" };
	struct cfg_node *n = lookup(map, key, def ? "true" : "false");
	char err[512];

	if (!n)
		return def;
	for (int i = 0; i < 3; i++) {
		if (!strcasecmp(n->scalar, yes[i]))
			return true;
		if (!strcasecmp(n->scalar, no[i]))
			return false;
	}
	snprintf(err, sizeof(err), "expected a boolean (true/false, yes/no, on/off), got '%s'",
		 n->scalar);
	fail_node(n, err);
	return def;
}

const char *cfg_str(struct cfg_node *map, const char *key, const char *def)
{
	struct cfg_node *n = lookup(map, key, def);

	return n ? n->scalar : def;
}

int cfg_enum(struct cfg_node *map, const char *key, const char *const *choices, int def)
{
	int nch = 0;
	struct cfg_node *n;
	char err[1024];

	while (choices[nch])
		nch++;
	n = lookup(map, key, def >= 0 && def < nch ? choices[def] : NULL);
	size_t off;

	if (!n)
		return def;
	for (int i = 0; choices[i]; i++)
		if (!strcmp(n->scalar, choices[i]))
			return i;
	off = (size_t)snprintf(err, sizeof(err), "expected one of ");
	for (int i = 0; choices[i] && off < sizeof(err); i++)
		off += (size_t)snprintf(err + off, sizeof(err) - off, "%s%s", i ? ", " : "", choices[i]);
	if (off < sizeof(err))
		snprintf(err + off, sizeof(err) - off, ", got '%s'", n->scalar);
	fail_node(n, err);
	return def;
}

/* ------------------------------------------------------------------------ */
/* unknown keys */

/* Optimal-string-alignment edit distance, capped: returns 99 for long strings. */
static int edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int d[65][65];

	if (la > 64 || lb > 64)
		return 99;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			int v = d[i - 1][j] + 1;

			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

static bool report_unused(struct cfg_node *n)
{
	if (n->kind == CFG_SEQ) {
		for (size_t i = 0; i < n->n; i++)
			if (report_unused(n->items[i]))
				return true;
		return false;
	}
	if (n->kind != CFG_MAP)
		return false;
	for (size_t i = 0; i < n->n; i++) {
		struct cfg_pair *p = &n->pairs[i];

		if (p->val->used) {
			if (report_unused(p->val))
				return true;
			continue;
		}
		char *path = join_path(n, p->key), *pos = pos_str(p->kpos);
		const char *best = NULL;
		int bestd = 3;

		for (size_t k = 0; k < n->nasked; k++) {
			int dist = edit_distance(p->key, n->asked[k]);

			if (dist < bestd && strcmp(p->key, n->asked[k])) {
				bestd = dist;
				best = n->asked[k];
			}
		}
		if (best) {
			char *bp = join_path(n, best);

			set_error(n->doc, xasprintf("%s: unknown key '%s' (did you mean '%s'?)",
						    pos, path, bp));
			free(bp);
		} else {
			set_error(n->doc, xasprintf("%s: unknown key '%s'", pos, path));
		}
		free(path);
		free(pos);
		return true;
	}
	return false;
}

int cfg_check_unused(struct cfg *c)
{
	if (!c || c->error)
		return -1;
	if (c->root && report_unused(c->root))
		return -1;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* copying, merging, overrides */

static struct cfg_node *copy_node(struct cfg *c, const struct cfg_node *s)
{
	struct cfg_node *n = node_new(c, s->kind, s->pos);

	n->quoted = s->quoted;
	if (s->kind == CFG_SCALAR)
		n->scalar = xstrdup(s->scalar);
	for (size_t i = 0; i < s->n; i++) {
		if (s->kind == CFG_MAP)
			map_add(n, s->pairs[i].key, s->pairs[i].kpos, s->pairs[i].kquoted,
				copy_node(c, s->pairs[i].val));
		else
			seq_add(n, copy_node(c, s->items[i]));
	}
	return n;
}

/* Make @dst (in place, keeping identity and parent) a copy of @src. */
static void assign_node(struct cfg_node *dst, const struct cfg_node *src)
{
	struct cfg_node *tmp = copy_node(dst->doc, src);

	node_clear(dst);
	dst->kind = tmp->kind;
	dst->pos = tmp->pos;
	dst->quoted = tmp->quoted;
	dst->scalar = tmp->scalar;
	dst->pairs = tmp->pairs;
	dst->items = tmp->items;
	dst->n = tmp->n;
	dst->cap = tmp->cap;
	for (size_t i = 0; i < dst->n; i++)
		(dst->kind == CFG_MAP ? dst->pairs[i].val : dst->items[i])->parent = dst;
	tmp->scalar = NULL;
	tmp->pairs = NULL;
	tmp->items = NULL;
	tmp->n = tmp->cap = 0;
}

static void merge_src_wins(struct cfg_node *dst, const struct cfg_node *src)
{
	if (dst->kind != CFG_MAP || src->kind != CFG_MAP) {
		assign_node(dst, src);
		return;
	}
	for (size_t i = 0; i < src->n; i++) {
		const struct cfg_pair *sp = &src->pairs[i];
		struct cfg_pair *dp = map_find(dst, sp->key);

		if (dp)
			merge_src_wins(dp->val, sp->val);
		else
			map_add(dst, sp->key, sp->kpos, sp->kquoted, copy_node(dst->doc, sp->val));
	}
}

static void merge_dst_wins(struct cfg_node *dst, const struct cfg_node *src)
{
	struct cfg_pair *old;
	size_t nold;

	if (is_null(dst)) {
		assign_node(dst, src);
		return;
	}
	if (dst->kind != CFG_MAP || src->kind != CFG_MAP)
		return;
	/* New order: src's keys first (preset order), then keys only in dst. */
	old = dst->pairs;
	nold = dst->n;
	dst->pairs = NULL;
	dst->n = dst->cap = 0;
	for (size_t i = 0; i < src->n; i++) {
		const struct cfg_pair *sp = &src->pairs[i];
		struct cfg_pair *dp = NULL;

		for (size_t k = 0; k < nold; k++)
			if (old[k].key && !strcmp(old[k].key, sp->key))
				dp = &old[k];
		if (dp) {
			merge_dst_wins(dp->val, sp->val);
			map_add(dst, dp->key, dp->kpos, dp->kquoted, dp->val);
			free(dp->key);
			dp->key = NULL;
		} else {
			map_add(dst, sp->key, sp->kpos, sp->kquoted, copy_node(dst->doc, sp->val));
		}
	}
	for (size_t k = 0; k < nold; k++) {
		if (!old[k].key)
			continue;
		map_add(dst, old[k].key, old[k].kpos, old[k].kquoted, old[k].val);
		free(old[k].key);
	}
	free(old);
}

int cfg_merge(struct cfg *c, struct cfg_node *dst_node, struct cfg *src, struct cfg_node *src_node)
{
	if (!c || !src || c->error)
		return -1;
	if (!dst_node)
		dst_node = c->root;
	if (!src_node)
		src_node = src->root;
	merge_src_wins(dst_node, src_node);
	return 0;
}

int cfg_merge_defaults(struct cfg *c, struct cfg_node *dst_node, struct cfg *src,
		       struct cfg_node *src_node)
{
	if (!c || !src || c->error)
		return -1;
	if (!dst_node)
		dst_node = c->root;
	if (!src_node)
		src_node = src->root;
	merge_dst_wins(dst_node, src_node);
	return 0;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int cfg_override(struct cfg *c, const char *assignment)
{
	const char *eq = assignment ? strchr(assignment, '=') : NULL;
	char *file, *keys, *save = NULL, *part, *next, *err = NULL;
	struct cfg_node *cur, *val;
	struct cfg_pos pos;
	int rc = -1;

	if (!c || c->error)
		return -1;
	file = xasprintf("--set %s", assignment ? assignment : "");
	pos = (struct cfg_pos){ intern(c, file), 1, 1 };
	if (!eq || eq == assignment) {
		fail_at(c, pos, NULL, "expected an assignment key.path=value, got '%s'",
			assignment ? assignment : "");
		free(file);
		return -1;
	}
	keys = xrealloc(NULL, (size_t)(eq - assignment) + 1);
	memcpy(keys, assignment, (size_t)(eq - assignment));
	keys[eq - assignment] = 0;
	/* Reject empty components ("a..b", ".a", "a.") and spaces around keys. */
	if (keys[0] == '.' || keys[strlen(keys) - 1] == '.' || strstr(keys, "..") ||
	    strchr(keys, ' ')) {
		fail_at(c, pos, NULL, "expected a dotted key path like machine.nodes, got '%s'", keys);
		goto out;
	}
	val = load_text(c, file, eq + 1, (int)(eq + 1 - assignment), 1, &err);
	if (!val) {
		set_error(c, err);
		goto out;
	}
	if (!eq[1] && val->kind == CFG_MAP && val->n == 0) {  /* "key=": an empty scalar */
		node_clear(val);
		val->kind = CFG_SCALAR;
		val->scalar = xstrdup("");
	}
	cur = c->root;
	for (part = strtok_r(keys, ".", &save); part; part = next) {
		struct cfg_node *child = NULL;
		bool last;

		next = strtok_r(NULL, ".", &save);
		last = next == NULL;
		if (is_null(cur)) {
			node_clear(cur);
			cur->kind = CFG_MAP;
		}
		if (cur->kind == CFG_SEQ) {
			size_t idx;
			char *path = node_path(cur);

			if (!all_digits(part) || (idx = strtoul(part, NULL, 10)) > cur->n) {
				fail_at(c, pos, path, "expected a sequence index in [0, %zu], got '%s'",
					cur->n, part);
				free(path);
				goto out;
			}
			free(path);
			if (idx == cur->n) {
				child = last ? val : node_new(c, CFG_MAP, pos);
				seq_add(cur, child);
			} else if (last) {
				val->parent = cur;
				cur->items[idx] = val;
				child = val;
			} else {
				child = cur->items[idx];
			}
		} else if (cur->kind == CFG_MAP) {
			struct cfg_pair *p = map_find(cur, part);

			if (!p) {
				child = last ? val : node_new(c, CFG_MAP, pos);
				map_add(cur, part, pos, false, child);
			} else if (last) {
				p->val = val;
				p->kpos = pos;
				val->parent = cur;
				child = val;
			} else {
				child = p->val;
			}
		} else {
			char *path = node_path(cur), got[256];

			got_text(cur, got, sizeof(got));
			fail_at(c, pos, path, "expected a mapping or sequence to set '%s' in, got %s",
				part, got);
			free(path);
			goto out;
		}
		cur = child;
	}
	rc = 0;
out:
	free(keys);
	free(file);
	return rc;
}

/* ------------------------------------------------------------------------ */
/* invariants */

static int node_check(const struct cfg *c, const struct cfg_node *n, const struct cfg_node *parent,
		      int depth)
{
	if (!n || n->doc != c || n->parent != parent || depth > 100000 || !n->pos.file)
		return -1;
	if (n->kind == CFG_SCALAR)
		return n->scalar && !n->n ? 0 : -1;
	if (n->kind == CFG_MAP) {
		for (size_t i = 0; i < n->n; i++) {
			if (!n->pairs[i].key || !n->pairs[i].kpos.file)
				return -1;
			for (size_t j = 0; j < i; j++)
				if (!strcmp(n->pairs[i].key, n->pairs[j].key))
					return -1;
			if (node_check(c, n->pairs[i].val, n, depth + 1))
				return -1;
		}
		return 0;
	}
	for (size_t i = 0; i < n->n; i++)
		if (node_check(c, n->items[i], n, depth + 1))
			return -1;
	return 0;
}

/**
 * cfg_check() - validate a document's invariants: every node belongs to @c and
 * points back to the collection holding it, scalars have text, no mapping holds
 * a key twice. Return 0 or -1.
 */
int cfg_check(const struct cfg *c)
{
	if (!c || !c->root)
		return -1;
	return node_check(c, c->root, NULL, 0);
}

/* ------------------------------------------------------------------------ */
/* writing */

/*
 * Length of a UTF-8 sequence at @p that YAML treats as a line break or as
 * non-printable (C1 controls, U+2028/9, U+FEFF, U+FFFE/F): such text must be
 * written as a \u escape inside double quotes. 0 for anything else.
 */
static int special_utf8(const unsigned char *p, unsigned *cp)
{
	if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
		*cp = p[1];
		return 2;
	}
	if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
		*cp = 0x2000u | (p[2] - 0x80u);
		return 3;
	}
	if (p[0] == 0xef && ((p[1] == 0xbb && p[2] == 0xbf) ||
			     (p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf)))) {
		*cp = 0xf000u | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu);
		return 3;
	}
	return 0;
}

static bool needs_quotes(const char *s)
{
	size_t len = strlen(s);

	if (!len)
		return true;
	if (strchr("[]{},#&*!|>'\"%@`", s[0]))
		return true;
	if (s[0] == '?' || s[0] == ':' || (s[0] == '-' && (len == 1 || s[1] == ' ')))
		return true;
	if (s[0] == ' ' || s[len - 1] == ' ' || s[len - 1] == ':')
		return true;
	if (!strncmp(s, "---", 3) || !strncmp(s, "...", 3))
		return true;
	if (strstr(s, ": ") || strstr(s, " #") || strstr(s, ":\t"))
		return true;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned cp;

		if (*p < 0x20 || *p == 0x7f || special_utf8(p, &cp))
			return true;
	}
	return false;
}

static void write_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned cp;
		int k = special_utf8(p, &cp);

		if (k) {
			fprintf(f, "\\u%04x", cp);
			p += k - 1;
			continue;
		}
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\t': fputs("\\t", f); break;
		case '\r': fputs("\\r", f); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\x%02x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void write_scalar(FILE *f, const char *s, bool quoted)
{
	if (!quoted && !s[0])
		return;                 /* plain empty: YAML null */
	if (quoted || needs_quotes(s))
		write_quoted(f, s);
	else
		fputs(s, f);
}

static void write_block(FILE *f, const struct cfg_node *n, int indent, bool inline_first);

/* Write the value part after "key:" or "-" (which is already printed). */
static void write_value(FILE *f, const struct cfg_node *v, int indent, bool after_dash)
{
	if (v->kind == CFG_SCALAR) {
		if (v->quoted || v->scalar[0])
			fputc(' ', f);
		write_scalar(f, v->scalar, v->quoted);
		fputc('\n', f);
	} else if (v->n == 0) {
		fputs(v->kind == CFG_MAP ? " {}\n" : " []\n", f);
	} else if (after_dash && v->kind == CFG_MAP) {
		fputc(' ', f);
		write_block(f, v, indent + 2, true);
	} else {
		fputc('\n', f);
		write_block(f, v, indent + 2, false);
	}
}

static void write_block(FILE *f, const struct cfg_node *n, int indent, bool inline_first)
{
	for (size_t i = 0; i < n->n; i++) {
		if (i || !inline_first)
			fprintf(f, "%*s", indent, "");
		if (n->kind == CFG_MAP) {
			write_scalar(f, n->pairs[i].key, n->pairs[i].kquoted || !n->pairs[i].key[0]);
			fputc(':', f);
			write_value(f, n->pairs[i].val, indent, false);
		} else {
			fputc('-', f);
			write_value(f, n->items[i], indent, true);
		}
	}
}

int cfg_write(const struct cfg *c, FILE *f)
{
	const struct cfg_node *r;

	if (!c || !f)
		return -1;
	r = c->root;
	if (!r || (r->kind != CFG_SCALAR && r->n == 0))
		fputs(r && r->kind == CFG_SEQ ? "[]\n" : "{}\n", f);
	else if (r->kind == CFG_SCALAR) {
		write_scalar(f, r->scalar, true);
		fputc('\n', f);
	} else {
		write_block(f, r, 0, false);
	}
	fflush(f);
	return ferror(f) ? -1 : 0;
}
