// SPDX-License-Identifier: MIT
/*
 * sim/cli_boot.c — `mmsim boot`: build a machine, boot the kernel model and
 * print its state right after boot in the kernel's /proc formats.
 *
 *   mmsim boot SCENARIO|PRESET|--dmesg FILE [--distances FILE] [--cpus N]
 *              [--set KEY=VALUE]... [--show VIEW]...
 *
 * SCENARIO is a YAML file (its machine:, vm: and kernel: mappings are used);
 * PRESET a name from machine/presets. --set applies to the scenario document
 * ("machine.memory_per_node=8MiB", "vm.min_free_kbytes=8192"). VIEW is one of
 * zoneinfo (default), buddyinfo, pagetypeinfo, meminfo, vmstat,
 * extfrag_index, unusable_index, slabinfo, memblock, dmesg.
 * Exit codes: 0, 2 usage, 65 bad dmesg, 66 missing file, 78 bad config.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "machine/machine.h"
#include "mm/memory.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "sim/cli.h"
#include "sim/config.h"
#include "sim/engine.h"
#include "sim/log.h"
#include "sim/scenario_mm.h"
#include "sim/scenario_pressure.h"

int cmd_boot(int argc, char **argv);

static const char *const views[] = {
	"zoneinfo", "buddyinfo", "pagetypeinfo", "meminfo", "vmstat", "extfrag_index",
	"unusable_index", "slabinfo", "memblock", "dmesg", NULL
};

static char dmesg_tmp[64];

static bool is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int show_view(const char *v)
{
	if (!strcmp(v, "slabinfo")) {
		if (!slab_is_available()) {
			fprintf(stderr, "mmsim boot: slabinfo: the slab allocator is not initialised (kernel.slab: false)\n");
			return MMSIM_EXIT_CONFIG;
		}
		slab_print_slabinfo(stdout);
		return 0;
	}
	if (!strcmp(v, "dmesg")) {
		/* the boot log was written to a temporary file: copy it */
		char buf[4096];
		size_t n;
		FILE *f;
		sim_dmesg_close();
		f = fopen(dmesg_tmp, "r");
		if (!f)
			return MMSIM_EXIT_IOERR;
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, n, stdout);
		fclose(f);
		return 0;
	}
	if (!strcmp(v, "memblock"))
		return memblock_dump(stdout) ? MMSIM_EXIT_IOERR : 0;
	return mm_show(v, stdout) ? MMSIM_EXIT_IOERR : 0;
}

int cmd_boot(int argc, char **argv)
{
	const char *target = NULL, *dmesg = NULL, *distances = NULL;
	const char *show[16];
	const char *sets[64];
	int nshow = 0, nsets = 0, cpus = 0;
	char err[1024];
	struct cfg *c = NULL;
	struct mm_params p;
	struct pressure_params pp;
	int rc = MMSIM_EXIT_OK;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has_next = i + 1 < argc;
		if (!strcmp(a, "--dmesg") && has_next) {
			dmesg = argv[++i];
		} else if (!strcmp(a, "--distances") && has_next) {
			distances = argv[++i];
		} else if (!strcmp(a, "--cpus") && has_next) {
			char *end;
			long n = strtol(argv[++i], &end, 10);
			if (*end || n < 1 || n > MACHINE_MAX_CPUS) {
				cli_usage_error("boot", "--cpus: expected 1..%d, got '%s'", MACHINE_MAX_CPUS, argv[i]);
				return MMSIM_EXIT_USAGE;
			}
			cpus = (int)n;
		} else if (!strcmp(a, "--set") && has_next) {
			if (nsets == 64) {
				cli_usage_error("boot", "too many --set options");
				return MMSIM_EXIT_USAGE;
			}
			sets[nsets++] = argv[++i];
		} else if (!strcmp(a, "--show") && has_next) {
			const char *v = argv[++i];
			bool ok = false;
			for (int j = 0; views[j]; j++)
				ok |= !strcmp(views[j], v);
			if (!ok) {
				cli_usage_error("boot", "--show: unknown view '%s' (zoneinfo, buddyinfo, pagetypeinfo, "
						"meminfo, vmstat, extfrag_index, unusable_index, slabinfo, memblock, dmesg)", v);
				return MMSIM_EXIT_USAGE;
			}
			if (nshow < 16)
				show[nshow++] = v;
		} else if (a[0] == '-' && a[1]) {
			cli_usage_error("boot", "unknown option '%s'%s", a,
					has_next ? "" : " (or missing argument)");
			return MMSIM_EXIT_USAGE;
		} else if (!target) {
			target = a;
		} else {
			cli_usage_error("boot", "unexpected argument '%s'", a);
			return MMSIM_EXIT_USAGE;
		}
	}
	if (!!target == !!dmesg) {
		cli_usage_error("boot", "expected a SCENARIO file, a PRESET name or --dmesg FILE");
		return MMSIM_EXIT_USAGE;
	}
	if (!nshow)
		show[nshow++] = "zoneinfo";

	if (target && is_file(target)) {
		c = cfg_load_file(target);
		if (!c) {
			fprintf(stderr, "mmsim boot: %s\n", cfg_last_load_error());
			return MMSIM_EXIT_CONFIG;
		}
	} else {
		char yaml[512];
		if (target && (strchr(target, '/') || strstr(target, ".yaml"))) {
			fprintf(stderr, "mmsim boot: %s: no such file\n", target);
			return MMSIM_EXIT_NOINPUT;
		}
		if (target)
			snprintf(yaml, sizeof(yaml), "machine:\n  preset: %s\n", target);
		else
			snprintf(yaml, sizeof(yaml), "vm: {}\n");
		c = cfg_load_string("<command line>", yaml);
		if (!c) {
			fprintf(stderr, "mmsim boot: %s\n", cfg_last_load_error());
			return MMSIM_EXIT_SOFTWARE;
		}
	}
	for (int i = 0; i < nsets; i++)
		if (cfg_override(c, sets[i])) {
			fprintf(stderr, "mmsim boot: --set %s: %s\n", sets[i], cfg_error(c));
			rc = MMSIM_EXIT_CONFIG;
			goto out;
		}

	struct sim_params sp;
	memset(&sp, 0, sizeof(sp));
	sp.timing = false;
	if (sim_init(&sp) < 0) {
		fprintf(stderr, "mmsim boot: cannot start the simulation engine\n");
		rc = MMSIM_EXIT_SOFTWARE;
		goto out;
	}
	if (dmesg) {
		FILE *f = fopen(dmesg, "r");
		if (!f) {
			fprintf(stderr, "mmsim boot: %s: %s\n", dmesg, strerror(errno));
			rc = MMSIM_EXIT_NOINPUT;
			goto out_sim;
		}
		fclose(f);
		if (machine_build_from_dmesg(dmesg, distances, cpus, err, sizeof(err))) {
			fprintf(stderr, "mmsim boot: %s\n", err);
			rc = MMSIM_EXIT_DATAERR;
			goto out_sim;
		}
	} else {
		struct cfg_node *m = cfg_map(cfg_root(c), "machine");
		if (cpus) {
			char set[64];
			snprintf(set, sizeof(set), "machine.cpus_per_node=%d", cpus);
			cfg_override(c, set);
			m = cfg_map(cfg_root(c), "machine");
		}
		if (!m || machine_build(m)) {
			fprintf(stderr, "mmsim boot: %s\n", cfg_error(c) ? cfg_error(c) : "machine build failed");
			rc = MMSIM_EXIT_CONFIG;
			goto out_sim;
		}
	}
	if (scenario_mm_params(cfg_root(c), &p) || scenario_pressure_params(cfg_root(c), &pp)) {
		fprintf(stderr, "mmsim boot: %s\n", cfg_error(c));
		rc = MMSIM_EXIT_CONFIG;
		goto out_machine;
	}
	if (!target || !is_file(target)) {
		if (cfg_check_unused(c)) {
			fprintf(stderr, "mmsim boot: %s\n", cfg_error(c));
			rc = MMSIM_EXIT_CONFIG;
			goto out_machine;
		}
	}
	for (int i = 0; i < nshow; i++)
		if (!strcmp(show[i], "dmesg") && !dmesg_tmp[0]) {
			int fd;
			snprintf(dmesg_tmp, sizeof(dmesg_tmp), "/tmp/mmsim-dmesg-XXXXXX");
			fd = mkstemp(dmesg_tmp);
			if (fd < 0 || (close(fd), sim_dmesg_open(dmesg_tmp) < 0)) {
				fprintf(stderr, "mmsim boot: cannot create a temporary kernel log\n");
				dmesg_tmp[0] = '\0';
				rc = MMSIM_EXIT_CANTCREAT;
				goto out_machine;
			}
		}
	if (mm_boot(&p, err, sizeof(err))) {
		fprintf(stderr, "mmsim boot: %s\n", err);
		rc = MMSIM_EXIT_CONFIG;
		goto out_machine;
	}
	if (reclaim_init(&pp, err, sizeof(err)) < 0) {
		fprintf(stderr, "mmsim boot: %s\n", err);
		mm_shutdown();
		rc = MMSIM_EXIT_CONFIG;
		goto out_machine;
	}
	for (int i = 0; i < nshow && !rc; i++)
		rc = show_view(show[i]);
	fflush(stdout);
	reclaim_shutdown();
	mm_shutdown();
	sim_dmesg_close();
	if (dmesg_tmp[0])
		unlink(dmesg_tmp);
out_machine:
	if (rc && dmesg_tmp[0]) {
		sim_dmesg_close();
		unlink(dmesg_tmp);
	}
	machine_destroy();
out_sim:
	sim_shutdown();
out:
	cfg_free(c);
	return rc;
}
