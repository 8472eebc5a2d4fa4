/* SPDX-License-Identifier: MIT */
/*
 * sim/config.h — scenario configuration: a YAML tree with positions, typed
 * accessors with units and ranges, overrides, unknown-key detection and the
 * resolved dump.
 *
 * Model: a document is a tree of mappings, sequences and scalars, each node
 * remembering file:line:col. Components read their parameters with typed
 * accessors that take a default; a missing key gets its default *inserted*, so
 * dumping the tree afterwards yields the fully resolved config. Every key read
 * is marked used; cfg_check_unused() reports the first key nobody read as
 * "unknown key". Errors are sticky: the first one is kept with its position
 * ("file:line:col: key: expected a size like 512MiB, got 'abc'") and later
 * accessors return the default and do nothing, so set-up code can read all its
 * keys and test cfg_failed() once.
 *
 * Positions are 1-based. Values set by cfg_override() carry the pseudo file
 * "--set <assignment>" (line 1, column of the value), and messages about them
 * read "--set machine.nodes=abc: machine.nodes: expected ...". A plain empty
 * value, "~" or "null" counts as absent (the default is inserted). Anchors,
 * aliases and multi-document files are rejected; duplicate keys are errors
 * naming both positions. cfg_check_unused() adds "(did you mean 'a.b'?)" when
 * a key asked for at the same mapping is within edit distance 2.
 *
 * mm/ never includes this header: sim/main.c and machine/ builders translate
 * config into plain parameter structs.
 */
#ifndef MMSIM_SIM_CONFIG_H
#define MMSIM_SIM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct cfg;                                       /* a document (owns all nodes) */
struct cfg_node;                                  /* a mapping, sequence or scalar */

enum cfg_kind { CFG_MAP, CFG_SEQ, CFG_SCALAR };

/* Units understood by the accessors (see sim/units.h for the grammar). */
enum cfg_unit {
	CFG_UNIT_NONE,        /* plain integer, k/M/G decimal suffixes allowed ("200k") */
	CFG_UNIT_BYTES,       /* "512MiB", "4GiB", "64KiB", "1TiB", "4096", "2MB" (decimal) */
	CFG_UNIT_TIME,        /* → picoseconds: "80ns", "1.5us", "10s", "2ms", "250ps" */
	CFG_UNIT_FREQ,        /* → Hz: "2.5GHz", "800MHz" */
	CFG_UNIT_RATE,        /* → per second: "200k/s", "5M/s", "100/s" */
	CFG_UNIT_BANDWIDTH,   /* → bytes/s: "25.6GB/s", "12GiB/s" */
	CFG_UNIT_PERCENT,     /* "30%" → 30 */
};

/** cfg_load_file() - parse a YAML file. Return NULL on I/O or syntax error (see cfg_error). */
struct cfg *cfg_load_file(const char *path);
/** cfg_load_string() - parse YAML text; @name is used in messages as the file name. */
struct cfg *cfg_load_string(const char *name, const char *text);
struct cfg *cfg_new_empty(const char *name);
void cfg_free(struct cfg *c);

struct cfg_node *cfg_root(struct cfg *c);

/** The first error, formatted "file:line:col: key: message", or NULL. Survives cfg_free? no. */
const char *cfg_error(const struct cfg *c);
bool cfg_failed(const struct cfg *c);
/**
 * cfg_fail() - record an error at @n (or the document if NULL) unless one is already kept.
 * The message reads "file:line:col: path: message" where path is dotted from the
 * root: @n's own path when @key is NULL or already part of it (so @key may be
 * relative, "banks", or absolute, "machine.dram.banks"); when @n is a mapping and
 * @key one of its keys, the error points at that key's value; when @n is a mapping
 * without @key, the path is @n's path + "." + @key at @n's position. With @n NULL
 * the message is "file: key: message".
 */
void cfg_fail(struct cfg *c, const struct cfg_node *n, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A global load error (file missing / YAML syntax) for when cfg_load_* returned NULL. */
const char *cfg_last_load_error(void);

/**
 * cfg_override() - apply "a.b.c=value" (the --set syntax). Sequence items are
 * addressed by index ("tasks.0.rate=5k/s"). Intermediate mappings are created.
 * The value is parsed as a YAML scalar (or flow collection). Return 0 or -1 (error kept).
 */
int cfg_override(struct cfg *c, const char *assignment);

/**
 * cfg_merge() - deep-merge @src's tree under @dst_node (src values win). Keeps positions.
 * Mappings merge key by key; anything else is replaced by a copy of the src value.
 * NULL @dst_node / @src_node mean the documents' roots. @src may be freed afterwards.
 */
int cfg_merge(struct cfg *c, struct cfg_node *dst_node, struct cfg *src, struct cfg_node *src_node);
/**
 * cfg_merge_defaults() - the same deep merge, but values already in @dst_node win:
 * @src only fills in what is missing (or null). Use it to put a preset under a
 * scenario's section: the result lists the preset's keys first, in its order,
 * then the keys only the scenario has. Positions stay those of each source file.
 */
int cfg_merge_defaults(struct cfg *c, struct cfg_node *dst_node, struct cfg *src,
		       struct cfg_node *src_node);

/* --- navigation ---------------------------------------------------------- */
enum cfg_kind cfg_kind(const struct cfg_node *n);
struct cfg *cfg_doc(const struct cfg_node *n);
const char *cfg_file(const struct cfg_node *n);
int cfg_line(const struct cfg_node *n);
int cfg_col(const struct cfg_node *n);
const char *cfg_scalar(const struct cfg_node *n);         /* NULL unless scalar */
/** cfg_get() - child of a mapping by key (marks it used); NULL if absent. */
struct cfg_node *cfg_get(struct cfg_node *map, const char *key);
/** cfg_map() - child mapping; created empty if absent (so defaults can be inserted). NULL + error if not a map. */
struct cfg_node *cfg_map(struct cfg_node *map, const char *key);
/** cfg_seq() - child sequence or NULL if absent (error if present but not a sequence). */
struct cfg_node *cfg_seq(struct cfg_node *map, const char *key);
size_t cfg_len(const struct cfg_node *seq_or_map);
struct cfg_node *cfg_at(struct cfg_node *seq, size_t i);   /* marks used */
/* Mapping iteration in file order: key of the i-th pair and its value. */
const char *cfg_key_at(const struct cfg_node *map, size_t i);
struct cfg_node *cfg_val_at(struct cfg_node *map, size_t i);   /* marks used */
bool cfg_has(const struct cfg_node *map, const char *key);

/* --- typed accessors: read @key of mapping @map, insert @def if absent ----- */
/* Each returns the value (or @def on error, with the error recorded). */
uint64_t cfg_u64(struct cfg_node *map, const char *key, enum cfg_unit unit,
		 uint64_t def, uint64_t min, uint64_t max);
int64_t cfg_i64(struct cfg_node *map, const char *key, int64_t def, int64_t min, int64_t max);
double cfg_double(struct cfg_node *map, const char *key, enum cfg_unit unit,
		  double def, double min, double max);
bool cfg_bool(struct cfg_node *map, const char *key, bool def);
const char *cfg_str(struct cfg_node *map, const char *key, const char *def);  /* NULL def: optional, not inserted */
/** cfg_enum() - one of @choices (NULL-terminated); returns its index. */
int cfg_enum(struct cfg_node *map, const char *key, const char *const *choices, int def);
/* Scalar node conversions (sequence items), with the same messages. */
uint64_t cfg_node_u64(struct cfg_node *n, enum cfg_unit unit, uint64_t def, uint64_t min, uint64_t max);
double cfg_node_double(struct cfg_node *n, enum cfg_unit unit, double def, double min, double max);

/** cfg_check_unused() - first never-read key becomes "unknown key" error. Return 0 or -1. */
int cfg_check_unused(struct cfg *c);
/** cfg_ignore() - mark a subtree used (e.g. documentation-only keys). */
void cfg_mark_used(struct cfg_node *n);

/** cfg_check() - validate the tree's invariants (parent links, unique keys). Return 0 or -1. */
int cfg_check(const struct cfg *c);

/** cfg_write() - dump the (resolved) tree as YAML. */
int cfg_write(const struct cfg *c, FILE *f);

#endif /* MMSIM_SIM_CONFIG_H */
