/* SPDX-License-Identifier: MIT */
/*
 * tests/check_config.c — sim/config: YAML tree with positions, typed accessors,
 * exact error messages, overrides, merge, resolved dump round trip.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/config.h"
#include "sim/units.h"
#include "tests/suites.h"
#include "tests/testutil.h"

static struct cfg *load(const char *text)
{
	struct cfg *c = cfg_load_string("scen.yaml", text);

	ck_assert_msg(c != NULL, "load failed: %s", cfg_last_load_error());
	return c;
}

static char *dump(const struct cfg *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(cfg_write(c, f), 0);
	fclose(f);
	return buf;
}

static bool tree_eq(const struct cfg_node *a, const struct cfg_node *b)
{
	if (cfg_kind(a) != cfg_kind(b))
		return false;
	if (cfg_kind(a) == CFG_SCALAR)
		return strcmp(cfg_scalar(a), cfg_scalar(b)) == 0;
	if (cfg_len(a) != cfg_len(b))
		return false;
	for (size_t i = 0; i < cfg_len(a); i++) {
		if (cfg_kind(a) == CFG_MAP) {
			if (strcmp(cfg_key_at(a, i), cfg_key_at(b, i)))
				return false;
			if (!tree_eq(cfg_val_at((struct cfg_node *)a, i), cfg_val_at((struct cfg_node *)b, i)))
				return false;
		} else if (!tree_eq(cfg_at((struct cfg_node *)a, i), cfg_at((struct cfg_node *)b, i))) {
			return false;
		}
	}
	return true;
}

/* Writes @c, reads it back and checks the trees are equal; returns the text. */
static char *roundtrip(const struct cfg *c)
{
	char *text = dump(c);
	struct cfg *back = cfg_load_string("dump.yaml", text);

	ck_assert_int_eq(cfg_check(c), 0);
	ck_assert_msg(back != NULL, "reload failed: %s\n%s", cfg_last_load_error(), text);
	ck_assert_int_eq(cfg_check(back), 0);
	ck_assert_msg(tree_eq(cfg_root((struct cfg *)c), cfg_root(back)), "trees differ:\n%s", text);
	cfg_free(back);
	return text;
}

START_TEST(test_load_navigate)
{
	struct cfg *c = load("# a scenario\n"
			     "name: \"tiny: box\"   # comment\n"
			     "machine:\n"
			     "  nodes: 2\n"
			     "  cpus: [0, 1, 'two']\n"
			     "  flow: {a: 1, b: x}\n"
			     "tasks:\n"
			     "  - kind: burst\n"
			     "    rate: 5k/s\n"
			     "  - kind: idle\n");
	struct cfg_node *r = cfg_root(c), *m, *cpus, *tasks, *n;

	ck_assert_int_eq(cfg_kind(r), CFG_MAP);
	ck_assert_str_eq(cfg_str(r, "name", NULL), "tiny: box");
	m = cfg_map(r, "machine");
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(cfg_line(m), 4);
	ck_assert_int_eq(cfg_col(m), 3);
	n = cfg_get(m, "nodes");
	ck_assert_str_eq(cfg_scalar(n), "2");
	ck_assert_str_eq(cfg_file(n), "scen.yaml");
	ck_assert_int_eq(cfg_line(n), 4);
	ck_assert_int_eq(cfg_col(n), 10);
	cpus = cfg_seq(m, "cpus");
	ck_assert_uint_eq(cfg_len(cpus), 3);
	ck_assert_str_eq(cfg_scalar(cfg_at(cpus, 2)), "two");
	ck_assert_int_eq(cfg_col(cfg_at(cpus, 2)), 16);
	ck_assert_ptr_null(cfg_at(cpus, 3));
	ck_assert_str_eq(cfg_key_at(m, 2), "flow");
	ck_assert_uint_eq(cfg_len(cfg_val_at(m, 2)), 2);
	ck_assert(cfg_has(m, "flow"));
	ck_assert(!cfg_has(m, "nope"));
	tasks = cfg_seq(r, "tasks");
	ck_assert_uint_eq(cfg_len(tasks), 2);
	ck_assert_uint_eq(cfg_u64(cfg_at(tasks, 0), "rate", CFG_UNIT_RATE, 0, 0, UINT64_MAX), 5000);
	ck_assert_ptr_eq(cfg_doc(n), c);
	ck_assert(!cfg_failed(c));
	ck_assert_ptr_null(cfg_error(c));
	cfg_free(c);
}
END_TEST

/* One bad-input case: load @yaml, run @fn on it, expect exactly @msg. */
static void expect_error(const char *yaml, void (*fn)(struct cfg_node *root), const char *msg)
{
	struct cfg *c = load(yaml);

	fn(cfg_root(c));
	ck_assert(cfg_failed(c));
	ck_assert_str_eq(cfg_error(c), msg);
	ck_assert_int_eq(cfg_check_unused(c), -1);
	ck_assert_str_eq(cfg_error(c), msg);    /* sticky */
	cfg_free(c);
}

static void read_nodes(struct cfg_node *r)
{
	ck_assert_int_eq(cfg_i64(cfg_map(r, "machine"), "nodes", 1, 1, 64), 1);
}

static void read_min_free(struct cfg_node *r)
{
	ck_assert_uint_eq(cfg_u64(cfg_map(r, "tunables"), "min_free_kbytes", CFG_UNIT_BYTES,
				  4096, 0, UINT64_MAX), 4096);
}

static void read_nodes_u64(struct cfg_node *r)
{
	ck_assert_uint_eq(cfg_u64(cfg_map(r, "machine"), "nodes", CFG_UNIT_NONE, 1, 1, 64), 1);
}

static void read_mem_range(struct cfg_node *r)
{
	cfg_u64(cfg_map(r, "machine"), "memory", CFG_UNIT_BYTES, 1 << 20, 4096, 1ULL << 40);
}

static void read_latency(struct cfg_node *r)
{
	cfg_u64(cfg_map(r, "machine"), "latency", CFG_UNIT_TIME, 80000, 0, UINT64_MAX);
}

START_TEST(test_range_and_unit_errors)
{
	expect_error("machine:\n  name: x\n  nodes: 0\n", read_nodes,
		     "scen.yaml:3:10: machine.nodes: expected an integer in [1, 64], got '0'");
	expect_error("machine:\n  nodes: 65\n", read_nodes_u64,
		     "scen.yaml:2:10: machine.nodes: expected an integer in [1, 64], got '65'");
	expect_error("machine:\n  nodes: two\n", read_nodes,
		     "scen.yaml:2:10: machine.nodes: expected an integer, got 'two'");
	expect_error("tunables:\n  min_free_kbytes: lots\n", read_min_free,
		     "scen.yaml:2:20: tunables.min_free_kbytes: expected a size like 512MiB, got 'lots'");
	expect_error("machine:\n  memory: 1KiB\n", read_mem_range,
		     "scen.yaml:2:11: machine.memory: expected a size in [4KiB, 1TiB], got '1KiB'");
	expect_error("machine:\n  latency: 80\n", read_latency,
		     "scen.yaml:2:12: machine.latency: expected a time with a unit (ps, ns, us, ms or s)"
		     " like 80ns, got '80'");
	expect_error("machine:\n  latency: 0.5ps\n", read_latency,
		     "scen.yaml:2:12: machine.latency: expected a time that is a whole number of"
		     " picoseconds, got '0.5ps'");
}
END_TEST

static void read_nodes_scalar(struct cfg_node *r) { read_nodes(r); }

static void read_machine_map(struct cfg_node *r)
{
	ck_assert_ptr_null(cfg_map(r, "machine"));
}

static void read_tasks_seq(struct cfg_node *r)
{
	ck_assert_ptr_null(cfg_seq(r, "tasks"));
}

static void read_seq_item(struct cfg_node *r)
{
	struct cfg_node *s = cfg_seq(r, "rates");

	ck_assert_uint_eq(cfg_node_u64(cfg_at(s, 0), CFG_UNIT_RATE, 7, 0, UINT64_MAX), 100);
	ck_assert_uint_eq(cfg_node_u64(cfg_at(s, 1), CFG_UNIT_RATE, 7, 0, UINT64_MAX), 7);
}

START_TEST(test_wrong_types)
{
	expect_error("machine:\n  nodes:\n    a: 1\n", read_nodes_scalar,
		     "scen.yaml:3:5: machine.nodes: expected a scalar, got a mapping");
	expect_error("machine:\n  nodes: [1, 2]\n", read_nodes_scalar,
		     "scen.yaml:2:10: machine.nodes: expected a scalar, got a sequence");
	expect_error("machine: 3\n", read_machine_map,
		     "scen.yaml:1:10: machine: expected a mapping, got '3'");
	expect_error("tasks:\n  a: b\n", read_tasks_seq,
		     "scen.yaml:2:3: tasks: expected a sequence, got a mapping");
	expect_error("rates: [100/s, {x: 1}]\n", read_seq_item,
		     "scen.yaml:1:16: rates.1: expected a rate, got a mapping");
}
END_TEST

START_TEST(test_unknown_keys)
{
	struct cfg *c = load("machine:\n  nodes: 2\n  nodez: 3\n");
	struct cfg_node *m = cfg_map(cfg_root(c), "machine");

	cfg_i64(m, "nodes", 1, 1, 64);
	ck_assert_int_eq(cfg_check_unused(c), -1);
	ck_assert_str_eq(cfg_error(c),
			 "scen.yaml:3:3: unknown key 'machine.nodez' (did you mean 'machine.nodes'?)");
	cfg_free(c);

	/* no close sibling: no suggestion; keys requested but absent count too */
	c = load("machine:\n  cpus: 2\n  colour: red\n");
	m = cfg_map(cfg_root(c), "machine");
	cfg_i64(m, "cpus", 1, 1, 64);
	cfg_str(m, "color", NULL);
	ck_assert_int_eq(cfg_check_unused(c), -1);
	ck_assert_str_eq(cfg_error(c),
			 "scen.yaml:3:3: unknown key 'machine.colour' (did you mean 'machine.color'?)");
	cfg_free(c);

	c = load("machine:\n  cpus: 2\nextra:\n  x: 1\n");
	cfg_i64(cfg_map(cfg_root(c), "machine"), "cpus", 1, 1, 64);
	ck_assert_int_eq(cfg_check_unused(c), -1);
	ck_assert_str_eq(cfg_error(c), "scen.yaml:3:1: unknown key 'extra'");
	cfg_free(c);

	/* keys probed with cfg_has() are known too */
	c = load("machine:\n  distance: [10]\n");
	ck_assert(!cfg_has(cfg_map(cfg_root(c), "machine"), "distances"));
	ck_assert_int_eq(cfg_check_unused(c), -1);
	ck_assert_str_eq(cfg_error(c),
			 "scen.yaml:2:3: unknown key 'machine.distance' (did you mean 'machine.distances'?)");
	cfg_free(c);

	/* in a sequence item */
	c = load("tasks:\n  - rate: 1/s\n  - rtae: 2/s\n");
	struct cfg_node *t = cfg_seq(cfg_root(c), "tasks");
	for (size_t i = 0; i < cfg_len(t); i++)
		cfg_u64(cfg_at(t, i), "rate", CFG_UNIT_RATE, 10, 0, UINT64_MAX);
	ck_assert_int_eq(cfg_check_unused(c), -1);
	ck_assert_str_eq(cfg_error(c),
			 "scen.yaml:3:5: unknown key 'tasks.1.rtae' (did you mean 'tasks.1.rate'?)");
	cfg_free(c);

	/* all read, or marked used: fine */
	c = load("machine:\n  cpus: 2\ndoc:\n  note: free text\n");
	cfg_i64(cfg_map(cfg_root(c), "machine"), "cpus", 1, 1, 64);
	cfg_mark_used(cfg_get(cfg_root(c), "doc"));
	ck_assert_int_eq(cfg_check_unused(c), 0);
	ck_assert(!cfg_failed(c));
	cfg_free(c);
}
END_TEST

START_TEST(test_yaml_errors)
{
	const char *e;

	ck_assert_ptr_null(cfg_load_string("scen.yaml", "machine:\n  nodes: 2\n bad: [1, 2\n"));
	e = cfg_last_load_error();
	ck_assert_ptr_nonnull(e);
	ck_assert_msg(strncmp(e, "scen.yaml:3:", 12) == 0 || strncmp(e, "scen.yaml:4:", 12) == 0, "%s", e);
	ck_assert_msg(strstr(e, "YAML syntax error: ") != NULL, "%s", e);

	ck_assert_ptr_null(cfg_load_string("scen.yaml", "a: 1\nb: [x\n"));
	e = cfg_last_load_error();
	ck_assert_msg(strstr(e, "YAML syntax error") && !strncmp(e, "scen.yaml:", 10), "%s", e);

	ck_assert_ptr_null(cfg_load_string("scen.yaml", "machine:\n  nodes: 2\n  cpus: 4\n  nodes: 3\n"));
	ck_assert_str_eq(cfg_last_load_error(),
			 "scen.yaml:4:3: duplicate key 'machine.nodes' (first at scen.yaml:2:3)");

	ck_assert_ptr_null(cfg_load_string("scen.yaml", "base: &b {x: 1}\nother: *b\n"));
	ck_assert_str_eq(cfg_last_load_error(), "scen.yaml:1:7: anchors and aliases are not supported");

	ck_assert_ptr_null(cfg_load_string("scen.yaml", "a: 1\n---\nb: 2\n"));
	ck_assert_str_eq(cfg_last_load_error(), "scen.yaml:2:1: expected a single YAML document");

	ck_assert_ptr_null(cfg_load_string("scen.yaml", "? [a, b]\n: 1\n"));
	ck_assert_str_eq(cfg_last_load_error(), "scen.yaml:1:3: expected a scalar mapping key");
}
END_TEST

START_TEST(test_missing_file)
{
	char want[512];
	const char *path = "/nonexistent/dir/scen.yaml";

	ck_assert_ptr_null(cfg_load_file(path));
	snprintf(want, sizeof(want), "%s: %s", path, strerror(ENOENT));
	ck_assert_str_eq(cfg_last_load_error(), want);
}
END_TEST

START_TEST(test_load_file)
{
	const char *p = test_write_file("s.yaml", "machine:\n  nodes: 0\n");
	struct cfg *c = cfg_load_file(p);
	char want[600];

	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_null(cfg_last_load_error());
	cfg_i64(cfg_map(cfg_root(c), "machine"), "nodes", 1, 1, 64);
	snprintf(want, sizeof(want), "%s:2:10: machine.nodes: expected an integer in [1, 64], got '0'", p);
	ck_assert_str_eq(cfg_error(c), want);
	cfg_free(c);
}
END_TEST

START_TEST(test_override)
{
	struct cfg *c = load("machine:\n  nodes: 2\ntasks:\n  - rate: 1/s\n  - rate: 2/s\n");
	struct cfg_node *r = cfg_root(c), *m, *n;

	ck_assert_int_eq(cfg_override(c, "machine.nodes=4"), 0);
	ck_assert_int_eq(cfg_override(c, "machine.cache.l2.size=1MiB"), 0);
	ck_assert_int_eq(cfg_override(c, "tasks.1.rate=5k/s"), 0);
	ck_assert_int_eq(cfg_override(c, "tasks.2={rate: 7/s}"), 0);        /* append */
	ck_assert_int_eq(cfg_override(c, "list=[a, b]"), 0);
	m = cfg_map(r, "machine");
	n = cfg_get(m, "nodes");
	ck_assert_str_eq(cfg_file(n), "--set machine.nodes=4");
	ck_assert_int_eq(cfg_line(n), 1);
	ck_assert_int_eq(cfg_col(n), 15);
	ck_assert_int_eq(cfg_i64(m, "nodes", 1, 1, 64), 4);
	ck_assert_uint_eq(cfg_u64(cfg_map(cfg_map(cfg_map(r, "machine"), "cache"), "l2"), "size",
				  CFG_UNIT_BYTES, 0, 0, UINT64_MAX), 1 << 20);
	struct cfg_node *t = cfg_seq(r, "tasks");
	ck_assert_uint_eq(cfg_len(t), 3);
	ck_assert_uint_eq(cfg_u64(cfg_at(t, 1), "rate", CFG_UNIT_RATE, 0, 0, UINT64_MAX), 5000);
	ck_assert_uint_eq(cfg_u64(cfg_at(t, 2), "rate", CFG_UNIT_RATE, 0, 0, UINT64_MAX), 7);
	ck_assert_uint_eq(cfg_len(cfg_seq(r, "list")), 2);
	ck_assert(!cfg_failed(c));
	ck_assert_int_eq(cfg_check(c), 0);
	cfg_free(c);

	/* an error in an overridden value names the --set */
	c = load("machine:\n  nodes: 2\n");
	ck_assert_int_eq(cfg_override(c, "machine.nodes=abc"), 0);
	cfg_i64(cfg_map(cfg_root(c), "machine"), "nodes", 1, 1, 64);
	ck_assert_str_eq(cfg_error(c), "--set machine.nodes=abc: machine.nodes: expected an integer, got 'abc'");
	cfg_free(c);

	c = load("machine:\n  nodes: 2\n");
	ck_assert_int_eq(cfg_override(c, "machine.nodes=99"), 0);
	cfg_i64(cfg_map(cfg_root(c), "machine"), "nodes", 1, 1, 64);
	ck_assert_str_eq(cfg_error(c),
			 "--set machine.nodes=99: machine.nodes: expected an integer in [1, 64], got '99'");
	cfg_free(c);
}
END_TEST

static void expect_bad_set(const char *assign, const char *msg)
{
	struct cfg *c = load("machine:\n  nodes: 2\ntasks:\n  - rate: 1/s\n");

	ck_assert_int_eq(cfg_override(c, assign), -1);
	ck_assert_str_eq(cfg_error(c), msg);
	cfg_free(c);
}

START_TEST(test_bad_override)
{
	expect_bad_set("machine.nodes", "--set machine.nodes: expected an assignment key.path=value,"
		       " got 'machine.nodes'");
	expect_bad_set("=3", "--set =3: expected an assignment key.path=value, got '=3'");
	expect_bad_set("machine..nodes=3", "--set machine..nodes=3: expected a dotted key path like"
		       " machine.nodes, got 'machine..nodes'");
	expect_bad_set("machine.=3", "--set machine.=3: expected a dotted key path like machine.nodes,"
		       " got 'machine.'");
	expect_bad_set("tasks.5.rate=1/s", "--set tasks.5.rate=1/s: tasks: expected a sequence index"
		       " in [0, 1], got '5'");
	expect_bad_set("tasks.x=1", "--set tasks.x=1: tasks: expected a sequence index in [0, 1], got 'x'");
	expect_bad_set("machine.nodes.x=1", "--set machine.nodes.x=1: machine.nodes: expected a mapping"
		       " or sequence to set 'x' in, got '2'");
	struct cfg *c = load("a: 1\n");
	ck_assert_int_eq(cfg_override(c, "a=[1, 2"), -1);
	ck_assert_msg(!strncmp(cfg_error(c), "--set a=[1, 2: YAML syntax error", 32), "%s", cfg_error(c));
	cfg_free(c);
}
END_TEST

START_TEST(test_defaults_and_roundtrip)
{
	static const char *const policies[] = { "first", "fifo", "random", NULL };
	struct cfg *c = load("machine:\n  nodes: 2\n  empty:\n");
	struct cfg_node *r = cfg_root(c), *m = cfg_map(r, "machine"), *s;
	char *text;

	ck_assert_int_eq(cfg_i64(m, "nodes", 1, 1, 64), 2);
	ck_assert_uint_eq(cfg_u64(m, "memory", CFG_UNIT_BYTES, 512ULL << 20, 0, UINT64_MAX), 512ULL << 20);
	ck_assert_uint_eq(cfg_u64(m, "empty", CFG_UNIT_TIME, 80000, 0, UINT64_MAX), 80000);
	ck_assert(cfg_double(m, "ratio", CFG_UNIT_NONE, 0.25, 0, 1) == 0.25);
	ck_assert(cfg_double(m, "clock", CFG_UNIT_FREQ, 2.5e9, 0, 1e12) == 2.5e9);
	ck_assert(cfg_bool(m, "thp", true));
	ck_assert_int_eq(cfg_enum(m, "policy", policies, 2), 2);
	ck_assert_str_eq(cfg_str(m, "label", "box"), "box");
	ck_assert_ptr_null(cfg_str(m, "optional", NULL));
	ck_assert(!cfg_has(m, "optional"));
	s = cfg_map(r, "stats");
	ck_assert_int_eq(cfg_i64(s, "interval", -5, INT64_MIN, INT64_MAX), -5);
	ck_assert_int_eq(cfg_check_unused(c), 0);
	text = roundtrip(c);
	ck_assert_str_eq(text,
			 "machine:\n"
			 "  nodes: 2\n"
			 "  empty: 80ns\n"
			 "  memory: 512MiB\n"
			 "  ratio: 0.25\n"
			 "  clock: 2500MHz\n"
			 "  thp: true\n"
			 "  policy: random\n"
			 "  label: box\n"
			 "stats:\n"
			 "  interval: -5\n");
	free(text);
	cfg_free(c);

	/* the resolved dump reads back to the same values */
	c = cfg_load_string("resolved.yaml", "machine:\n  memory: 512MiB\n  clock: 2500MHz\n");
	m = cfg_map(cfg_root(c), "machine");
	ck_assert_uint_eq(cfg_u64(m, "memory", CFG_UNIT_BYTES, 0, 0, UINT64_MAX), 512ULL << 20);
	ck_assert(cfg_double(m, "clock", CFG_UNIT_FREQ, 0, 0, 1e12) == 2.5e9);
	cfg_free(c);
}
END_TEST

START_TEST(test_write_quoting)
{
	struct cfg *c = load("plain: hello world\n"
			     "colon: \"a: b\"\n"
			     "hash: \"x #y\"\n"
			     "lead: \"-\"\n"
			     "dash: -1\n"
			     "empty: ''\n"
			     "null:\n"
			     "nl: \"two\\nlines\\t\\\"q\\\" \\\\\"\n"
			     "brace: '{not a map}'\n"
			     "sp: ' padded '\n"
			     "yes_str: 'yes'\n"
			     "'key: odd': 1\n"
			     "micro: 1.5\xc2\xb5s\n"
			     "nested:\n  - [1, [2, 3]]\n  - {a: {b: c}}\n  - []\n  - {}\n  - - x\n    - y\n"
			     "emptymap: {}\n");
	char *text = roundtrip(c);

	ck_assert_msg(strstr(text, "colon: \"a: b\"\n") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "dash: -1\n") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "\"key: odd\": 1\n") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "null:\n") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "emptymap: {}\n") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "  - a:\n      b: c\n") != NULL, "%s", text);
	free(text);
	cfg_free(c);

	c = cfg_new_empty("new");
	text = dump(c);
	ck_assert_str_eq(text, "{}\n");
	free(text);
	cfg_free(c);
}
END_TEST

START_TEST(test_merge)
{
	struct cfg *preset = cfg_load_string("preset.yaml",
					     "nodes: 2\ncpus: 8\ndram:\n  latency: 80ns\n  channels: 2\n");
	struct cfg *scen = load("machine:\n  preset: tiny\n  cpus: 4\n  dram:\n    channels: 4\n");
	struct cfg_node *m;
	char *text;

	ck_assert_ptr_nonnull(preset);
	m = cfg_map(cfg_root(scen), "machine");
	ck_assert_int_eq(cfg_merge_defaults(scen, m, preset, NULL), 0);
	cfg_free(preset);          /* positions survive the source document */
	ck_assert_int_eq(cfg_check(scen), 0);
	ck_assert_int_eq(cfg_i64(m, "nodes", 1, 1, 64), 2);
	ck_assert_int_eq(cfg_i64(m, "cpus", 1, 1, 64), 4);
	struct cfg_node *d = cfg_map(m, "dram");
	ck_assert_int_eq(cfg_i64(d, "channels", 1, 1, 64), 4);
	ck_assert_str_eq(cfg_file(cfg_get(m, "nodes")), "preset.yaml");
	ck_assert_int_eq(cfg_line(cfg_get(m, "nodes")), 1);
	ck_assert_str_eq(cfg_file(cfg_get(m, "cpus")), "scen.yaml");
	ck_assert_int_eq(cfg_line(cfg_get(d, "channels")), 5);
	ck_assert_str_eq(cfg_file(cfg_get(d, "latency")), "preset.yaml");
	ck_assert_int_eq(cfg_line(cfg_get(d, "latency")), 4);
	text = dump(scen);
	ck_assert_str_eq(text, "machine:\n"
			 "  nodes: 2\n"
			 "  cpus: 4\n"
			 "  dram:\n"
			 "    latency: 80ns\n"
			 "    channels: 4\n"
			 "  preset: tiny\n");
	free(text);
	/* an error in a merged value points into the preset file */
	cfg_i64(d, "latency", 1, 1, 64);
	ck_assert_str_eq(cfg_error(scen), "preset.yaml:4:12: machine.dram.latency: expected an integer, got '80ns'");
	cfg_free(scen);

	/* cfg_merge: src wins, dst order kept, new keys appended, non-maps replaced */
	struct cfg *a = load("x: 1\ny:\n  p: 1\n  q: [1]\nz: 3\n");
	struct cfg *b = cfg_load_string("b.yaml", "y:\n  q: [2, 3]\n  r: 4\nx: {k: v}\nw: 5\n");
	ck_assert_int_eq(cfg_merge(a, NULL, b, NULL), 0);
	cfg_free(b);
	ck_assert_int_eq(cfg_check(a), 0);
	text = dump(a);
	ck_assert_str_eq(text, "x:\n  k: v\ny:\n  p: 1\n  q:\n    - 2\n    - 3\n  r: 4\nz: 3\nw: 5\n");
	free(text);
	ck_assert_str_eq(cfg_file(cfg_get(cfg_map(cfg_root(a), "y"), "r")), "b.yaml");
	ck_assert_str_eq(cfg_file(cfg_get(cfg_map(cfg_root(a), "y"), "p")), "scen.yaml");
	cfg_free(a);
}
END_TEST

START_TEST(test_sticky_error)
{
	struct cfg *c = load("machine:\n  nodes: 0\n  cpus: x\n");
	struct cfg_node *m = cfg_map(cfg_root(c), "machine");

	ck_assert_int_eq(cfg_i64(m, "nodes", 3, 1, 64), 3);
	ck_assert_int_eq(cfg_i64(m, "cpus", 5, 1, 64), 5);    /* after the error: default */
	ck_assert_uint_eq(cfg_u64(m, "memory", CFG_UNIT_BYTES, 99, 0, UINT64_MAX), 99);
	ck_assert(!cfg_has(m, "memory"));                      /* and nothing inserted */
	ck_assert_str_eq(cfg_error(c), "scen.yaml:2:10: machine.nodes: expected an integer in [1, 64], got '0'");
	cfg_fail(c, m, NULL, "later");
	ck_assert_str_eq(cfg_error(c), "scen.yaml:2:10: machine.nodes: expected an integer in [1, 64], got '0'");
	ck_assert_int_eq(cfg_override(c, "a=1"), -1);
	cfg_free(c);

	c = load("machine:\n  nodes: 2\n");
	m = cfg_map(cfg_root(c), "machine");
	cfg_fail(c, cfg_get(m, "nodes"), NULL, "expected %s, got '%s'", "an even count", "2");
	ck_assert_str_eq(cfg_error(c), "scen.yaml:2:10: machine.nodes: expected an even count, got '2'");
	cfg_free(c);
	/* relative keys are completed to a path from the root */
	c = load("machine:\n  dram:\n    banks: 3\n  distances:\n    - [10, 20]\n    - [20]\n");
	m = cfg_map(cfg_root(c), "machine");
	cfg_fail(c, cfg_map(m, "dram"), "banks", "%d banks: expected a power of two", 3);
	ck_assert_str_eq(cfg_error(c), "scen.yaml:3:12: machine.dram.banks: 3 banks: expected a power of two");
	cfg_free(c);
	c = load("machine:\n  dram:\n    banks: 3\n  distances:\n    - [10, 20]\n    - [20]\n");
	m = cfg_map(cfg_root(c), "machine");
	cfg_fail(c, cfg_at(cfg_seq(m, "distances"), 1), "distances", "row 1: expected 2 distances");
	ck_assert_str_eq(cfg_error(c), "scen.yaml:6:7: machine.distances.1: row 1: expected 2 distances");
	cfg_free(c);
	c = load("machine:\n  dram:\n    banks: 3\n");
	m = cfg_map(cfg_root(c), "machine");
	cfg_fail(c, cfg_map(m, "dram"), "row_size", "expected a power of two");
	ck_assert_str_eq(cfg_error(c), "scen.yaml:3:5: machine.dram.row_size: expected a power of two");
	cfg_free(c);
	c = load("machine:\n  dram:\n    banks: 3\n");
	m = cfg_map(cfg_root(c), "machine");
	cfg_fail(c, cfg_get(cfg_map(m, "dram"), "banks"), "machine.dram.banks", "odd");
	ck_assert_str_eq(cfg_error(c), "scen.yaml:3:12: machine.dram.banks: odd");
	cfg_free(c);
	c = load("a: 1\n");
	cfg_fail(c, NULL, "machine", "expected a machine section");
	ck_assert_str_eq(cfg_error(c), "scen.yaml: machine: expected a machine section");
	cfg_free(c);
}
END_TEST

static void read_bool(struct cfg_node *r) { cfg_bool(r, "thp", false); }
static void read_enum(struct cfg_node *r)
{
	static const char *const ch[] = { "first", "fifo", "random", NULL };
	ck_assert_int_eq(cfg_enum(r, "policy", ch, 1), 1);
}
static void read_double(struct cfg_node *r) { cfg_double(r, "ratio", CFG_UNIT_NONE, 0.5, 0, 1); }
static void read_double_bad(struct cfg_node *r) { cfg_double(r, "ratio", CFG_UNIT_NONE, 0.5, 0, 1); }
static void read_str_map(struct cfg_node *r) { cfg_str(r, "name", "x"); }
static void read_i64_big(struct cfg_node *r) { cfg_i64(r, "n", 0, INT64_MIN, INT64_MAX); }

START_TEST(test_accessor_messages)
{
	struct cfg *c = load("a: yes\nb: Off\nc: 1.5\nd: -7\ne: fifo\nf: 12.5%\ng: 9223372036854775807\n"
			     "h: -9223372036854775808\n");
	static const char *const ch[] = { "first", "fifo", "random", NULL };
	struct cfg_node *r = cfg_root(c);

	ck_assert(cfg_bool(r, "a", false));
	ck_assert(!cfg_bool(r, "b", true));
	ck_assert(cfg_double(r, "c", CFG_UNIT_NONE, 0, 0, 10) == 1.5);
	ck_assert_int_eq(cfg_i64(r, "d", 0, -10, 10), -7);
	ck_assert_int_eq(cfg_enum(r, "e", ch, 0), 1);
	ck_assert(cfg_double(r, "f", CFG_UNIT_PERCENT, 0, 0, 100) == 12.5);
	ck_assert_int_eq(cfg_i64(r, "g", 0, INT64_MIN, INT64_MAX), INT64_MAX);
	ck_assert_int_eq(cfg_i64(r, "h", 0, INT64_MIN, INT64_MAX), INT64_MIN);
	ck_assert(!cfg_failed(c));
	ck_assert_int_eq(cfg_check_unused(c), 0);
	cfg_free(c);

	expect_error("thp: maybe\n", read_bool,
		     "scen.yaml:1:6: thp: expected a boolean (true/false, yes/no, on/off), got 'maybe'");
	expect_error("policy: lifo\n", read_enum,
		     "scen.yaml:1:9: policy: expected one of first, fifo, random, got 'lifo'");
	expect_error("ratio: 1.5\n", read_double,
		     "scen.yaml:1:8: ratio: expected a number in [0, 1], got '1.5'");
	expect_error("ratio: half\n", read_double_bad,
		     "scen.yaml:1:8: ratio: expected a number like 0.5, got 'half'");
	expect_error("name: {a: 1}\n", read_str_map,
		     "scen.yaml:1:7: name: expected a scalar, got a mapping");
	expect_error("n: 9223372036854775808\n", read_i64_big,
		     "scen.yaml:1:4: n: expected an integer, got '9223372036854775808'");
}
END_TEST

START_TEST(test_nulls_and_limits)
{
	struct cfg *c = load("machine:\n  label:\n  nodes: ~\n  cache: null\n");
	struct cfg_node *m = cfg_map(cfg_root(c), "machine");
	char *text, deep[2000];
	size_t n = 0;

	ck_assert_ptr_null(cfg_str(m, "label", NULL));         /* null: optional, absent */
	ck_assert_int_eq(cfg_i64(m, "nodes", 4, 1, 64), 4);    /* null: default inserted */
	ck_assert_uint_eq(cfg_len(cfg_map(m, "cache")), 0);    /* null becomes a mapping */
	ck_assert_int_eq(cfg_check_unused(c), 0);
	text = dump(c);
	ck_assert_str_eq(text, "machine:\n  label:\n  nodes: 4\n  cache: {}\n");
	free(text);
	cfg_free(c);

	/* absurd nesting is an error, not a stack overflow */
	for (int i = 0; i < 300; i++)
		deep[n++] = '[';
	deep[n] = 0;
	ck_assert_ptr_null(cfg_load_string("deep.yaml", deep));
	ck_assert_str_eq(cfg_last_load_error(), "deep.yaml:1:202: nesting deeper than 200 levels");
}
END_TEST

/* Random awkward strings as plain keys and values must survive write → load. */
START_TEST(test_write_random_roundtrip)
{
	static const char *const pieces[] = {
		"a", "Z", "0", "9", " ", ":", "#", "-", "?", "[", "]", "{", "}", ",", "&", "*",
		"!", "|", ">", "'", "\"", "%", "@", "`", "\t", "\n", "\\", ".", "~", "=", "/",
		"\xc2\xb5", "\xc3\xa9", "\xc2\x85", "\xc2\x80", "\xe2\x80\xa8", "\xef\xbb\xbf",
		"\x01", "\x7f", "---", "...", "null", "true",
	};
	const size_t np = sizeof(pieces) / sizeof(pieces[0]);
	uint64_t x = 88172645463325252ULL;

	for (int doc = 0; doc < 40; doc++) {
		struct cfg *c = cfg_new_empty("rand");
		struct cfg_node *r = cfg_root(c), *sub = cfg_map(r, "sub");

		for (int i = 0; i < 30; i++) {
			char key[128] = "", val[128] = "";

			for (int j = 0, n = (int)(x % 6) + 1; j < n; j++) {
				x ^= x << 13; x ^= x >> 7; x ^= x << 17;
				strcat(key, pieces[x % np]);
			}
			for (int j = 0, n = (int)(x % 7); j < n; j++) {
				x ^= x << 13; x ^= x >> 7; x ^= x << 17;
				strcat(val, pieces[x % np]);
			}
			if (!cfg_has(i & 1 ? sub : r, key))
				cfg_str(i & 1 ? sub : r, key, val);
		}
		free(roundtrip(c));
		cfg_free(c);
	}
}
END_TEST

Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_load_navigate);
	tcase_add_test(tc, test_range_and_unit_errors);
	tcase_add_test(tc, test_wrong_types);
	tcase_add_test(tc, test_unknown_keys);
	tcase_add_test(tc, test_yaml_errors);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_load_file);
	tcase_add_test(tc, test_override);
	tcase_add_test(tc, test_bad_override);
	tcase_add_test(tc, test_defaults_and_roundtrip);
	tcase_add_test(tc, test_write_quoting);
	tcase_add_test(tc, test_merge);
	tcase_add_test(tc, test_sticky_error);
	tcase_add_test(tc, test_accessor_messages);
	tcase_add_test(tc, test_nulls_and_limits);
	tcase_add_test(tc, test_write_random_roundtrip);
	suite_add_tcase(s, tc);
	return s;
}
