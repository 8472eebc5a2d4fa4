/* SPDX-License-Identifier: MIT */
/*
 * tests/check_dma.c — DMA-limited devices: masks, contiguity, faults,
 * bandwidth-bound transfer times, completion interrupts, MMIO windows.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/cpu.h"
#include "machine/dma.h"
#include "machine/dram.h"
#include "machine/machine.h"
#include "sim/engine.h"
#include "sim/log.h"
#include "tests/suites.h"
#include "tests/testutil.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* tiny, shrunk, with RAM above 4 GiB so a 64-bit device has something to reach */
static const char *box =
	"preset: tiny\n"
	"nodes: [{cpus: 2, memory: 5GiB}]\n"
	"devices:\n"
	"  - {name: isa-dma, dma_bits: 24, bandwidth: 4MB/s, irq_cpu: 0, latency: 0ns}\n"
	"  - {name: eth0, dma_bits: 32, bandwidth: 125MB/s, irq_cpu: 1, mmio: 128KiB}\n"
	"  - {name: nvme0, dma_bits: 64, bandwidth: 3.5GB/s, irq_cpu: 0, latency: 1us, mmio: 16KiB}\n"
	"  - {name: fast, mask: 0xffffffffffffffff, bandwidth: 1000GB/s, latency: 0ns}\n";

static const char *dmesg_path;

static void setup(void)
{
	char err[512] = "";
	static char path[600];

	sim_log_set_level(SIM_LOG_ERROR);
	ck_assert_int_eq(sim_init(NULL), 0);
	ck_assert_msg(machine_build_yaml(box, err, sizeof(err)) == 0, "%s", err);
	snprintf(path, sizeof(path), "%s/dmesg.log", test_tmpdir());
	ck_assert_int_eq(sim_dmesg_open(path), 0);
	dmesg_path = path;
}

static char *dmesg_text(void)
{
	fflush(sim_dmesg_file());
	return test_read_file(dmesg_path, NULL);
}

START_TEST(test_devices_built)
{
	struct dma_device *isa, *eth, *nvme;

	setup();
	ck_assert_int_eq(dma_nr_devices(), 4);
	isa = dma_device_find("isa-dma");
	eth = dma_device_find("eth0");
	nvme = dma_device_find("nvme0");
	ck_assert_ptr_nonnull(isa);
	ck_assert_ptr_nonnull(eth);
	ck_assert_ptr_eq(dma_device(2), nvme);
	ck_assert_ptr_null(dma_device_find("nope"));
	ck_assert_uint_eq(dma_mask(isa), 0xffffffULL);
	ck_assert_uint_eq(dma_mask(eth), 0xffffffffULL);
	ck_assert_uint_eq(dma_mask(nvme), ~0ULL);
	ck_assert_int_eq(dma_irq_cpu(eth), 1);
	ck_assert_int_eq(dma_node(eth), 0);
	ck_assert_uint_eq(dma_bandwidth(eth), 125000000ULL);
	/* MMIO windows sit in the PCI hole, never in RAM, naturally aligned */
	ck_assert_uint_eq(dma_mmio_size(eth), 128 * 1024);
	ck_assert_uint_ge(dma_mmio_base(eth), 3 * GiB);
	ck_assert_uint_lt(dma_mmio_base(eth), 4 * GiB);
	ck_assert_uint_eq(dma_mmio_base(eth) % (128 * 1024), 0);
	ck_assert_int_eq(phys_to_nid(dma_mmio_base(nvme)), NUMA_NO_NODE);
	ck_assert_int_eq(dma_check(), 0);
	ck_assert_int_eq(machine_check(), 0);
}
END_TEST

START_TEST(test_isa_refuses_above_16m)
{
	struct dma_device *isa;
	struct dma_seg ok = { 1 * MiB, 4096 }, high = { 20 * MiB, 4096 },
		       straddle = { 16 * MiB - 2048, 4096 };
	char *log;

	setup();
	isa = dma_device_find("isa-dma");
	ck_assert_int_eq(dma_transfer(isa, &ok, 1, true, false), 0);
	ck_assert_uint_eq(dma_faults(isa), 0);
	ck_assert_int_eq(dma_transfer(isa, &high, 1, true, false), -EFAULT);
	ck_assert_uint_eq(dma_faults(isa), 1);
	ck_assert_int_eq(dma_transfer(isa, &straddle, 1, false, false), -EFAULT);
	ck_assert_uint_eq(dma_faults(isa), 2);
	ck_assert_uint_eq(dma_total_faults(), 2);
	log = dmesg_text();
	ck_assert_ptr_nonnull(log);
	ck_assert_msg(strstr(log, "isa-dma: DMA addr 0x0000000001400000+4096 overflow (mask ffffff, "
			     "bus limit ffffff)."), "kernel log: %s", log);
	free(log);
}
END_TEST

START_TEST(test_fault_log_limited)
{
	struct dma_device *isa;
	struct dma_seg high = { 32 * MiB, 512 };
	char *log, *p;
	int lines = 0;

	setup();
	isa = dma_device_find("isa-dma");
	for (int i = 0; i < 25; i++)
		ck_assert_int_eq(dma_transfer(isa, &high, 1, true, false), -EFAULT);
	ck_assert_uint_eq(dma_faults(isa), 25);         /* all counted ... */
	log = dmesg_text();
	for (p = log; (p = strstr(p, "isa-dma: DMA addr")); p++)
		lines++;
	ck_assert_int_eq(lines, 10);                    /* ... the first 10 logged */
	ck_assert_ptr_nonnull(strstr(log, "isa-dma: further DMA faults not reported"));
	free(log);
}
END_TEST

START_TEST(test_eth_32bit)
{
	struct dma_device *eth = NULL;
	struct dma_seg low = { 3 * GiB - 8192, 8192 }, high = { 4 * GiB + 4096, 4096 };

	setup();
	eth = dma_device_find("eth0");
	ck_assert_int_eq(dma_transfer(eth, &low, 1, false, false), 0);
	ck_assert_int_eq(dma_transfer(eth, &high, 1, false, false), -EFAULT);
	ck_assert_uint_eq(dma_faults(eth), 1);
}
END_TEST

START_TEST(test_64bit_accepts)
{
	struct dma_device *nvme;
	struct dma_seg high = { 5 * GiB, 1 * MiB };

	setup();
	nvme = dma_device_find("nvme0");
	ck_assert_int_eq(phys_to_nid(high.addr), 0);
	ck_assert_int_eq(dma_transfer(nvme, &high, 1, true, false), 0);
	ck_assert_uint_eq(dma_faults(nvme), 0);
}
END_TEST

START_TEST(test_non_contiguous_refused)
{
	struct dma_device *nvme;
	struct dma_seg segs[2] = { { 1 * MiB, 4096 }, { 1 * MiB + 8192, 4096 } };
	struct dma_seg contig[2] = { { 1 * MiB, 4096 }, { 1 * MiB + 4096, 4096 } };
	char *log;

	setup();
	nvme = dma_device_find("nvme0");
	ck_assert_int_eq(dma_transfer(nvme, segs, 2, true, false), -EFAULT);
	ck_assert_uint_eq(dma_faults(nvme), 1);
	ck_assert_int_eq(dma_transfer(nvme, contig, 2, true, false), 0);
	ck_assert_int_eq(dma_transfer(nvme, segs, 2, true, true), 0);      /* scatter-gather */
	ck_assert_int_eq(dma_transfer(nvme, segs, 0, true, true), -EFAULT);
	ck_assert_uint_eq(dma_faults(nvme), 2);
	log = dmesg_text();
	ck_assert_ptr_nonnull(strstr(log, "nvme0: DMA buffer not physically contiguous"));
	free(log);
}
END_TEST

struct timing {
	sim_time_t nvme, isa, fast, fault;
	int rc;
};

static void timed_task(void *arg)
{
	struct timing *t = arg;
	struct dma_seg big = { 64 * MiB, 1 * MiB }, small = { 1 * MiB, 64 * 1024 },
		       huge = { 128 * MiB, 1 * GiB }, bad = { 20 * MiB, 4096 };
	sim_time_t t0;

	t0 = sim_now();
	t->rc |= dma_transfer(dma_device_find("nvme0"), &big, 1, true, false);
	t->nvme = sim_now() - t0;
	t0 = sim_now();
	t->rc |= dma_transfer(dma_device_find("isa-dma"), &small, 1, false, false);
	t->isa = sim_now() - t0;
	t0 = sim_now();
	t->rc |= dma_transfer(dma_device_find("fast"), &huge, 1, false, false);
	t->fast = sim_now() - t0;
	t0 = sim_now();
	if (dma_transfer(dma_device_find("isa-dma"), &bad, 1, false, false) != -EFAULT)
		t->rc |= 1;
	t->fault = sim_now() - t0;
}

START_TEST(test_transfer_time_bandwidth_bound)
{
	struct timing t = { 0 };
	double nvme_expect = 1e12 * (double)MiB / 3.5e9 + 1e6;         /* + 1 µs setup */
	double isa_expect = 1e12 * 65536.0 / 4e6;
	double fast_expect = 1e12 * (double)GiB / 42.67e9;            /* tiny: node DRAM-bound */

	setup();
	ck_assert_ptr_nonnull(cpu_spawn("dma-user", 0, CTX_TASK, timed_task, &t, NULL, 0));
	sim_run(10 * SIM_SEC);
	ck_assert_int_eq(t.rc, 0);
	ck_assert_msg(t.nvme > nvme_expect * 0.99 && t.nvme < nvme_expect * 1.01,
		      "nvme 1 MiB took %llu ps, expected %.0f", (unsigned long long)t.nvme, nvme_expect);
	ck_assert_msg(t.isa > isa_expect * 0.99 && t.isa < isa_expect * 1.01,
		      "isa 64 KiB took %llu ps, expected %.0f", (unsigned long long)t.isa, isa_expect);
	ck_assert_msg(t.fast > fast_expect * 0.99 && t.fast < fast_expect * 1.02,
		      "fast 1 GiB took %llu ps, expected %.0f", (unsigned long long)t.fast, fast_expect);
	ck_assert_uint_eq(t.fault, 0);                 /* a refused transfer costs nothing */
	ck_assert_uint_eq(dma_transfer_time(dma_device_find("isa-dma"), 65536),
			  (sim_time_t)isa_expect);
}
END_TEST

struct irq_obs {
	int cpu;
	bool hard;
	sim_time_t at;
	int calls;
};

static void dma_done(void *arg)
{
	struct irq_obs *o = arg;

	o->cpu = smp_processor_id();
	o->hard = in_hardirq();
	o->at = sim_now();
	o->calls++;
}

START_TEST(test_async_completion_irq)
{
	struct irq_obs o = { -1, false, 0, 0 };
	struct dma_seg seg = { 1 * MiB, 125000 }, bad = { 5 * GiB, 4096 };

	setup();
	/* eth0: 125 MB/s → 125000 bytes take 1 ms (+1 µs default setup), irq on CPU 1 */
	ck_assert_int_eq(dma_transfer_async(dma_device_find("eth0"), &seg, 1, true, false,
					    dma_done, &o), 0);
	ck_assert_int_eq(dma_transfer_async(dma_device_find("eth0"), &bad, 1, true, false,
					    dma_done, &o), -EFAULT);
	sim_run(10 * SIM_MS);
	ck_assert_int_eq(o.calls, 1);
	ck_assert_int_eq(o.cpu, 1);
	ck_assert(o.hard);
	ck_assert_uint_ge(o.at, 1001 * SIM_US);
	ck_assert_uint_le(o.at, 1002 * SIM_US);
	ck_assert_uint_eq(dma_faults(dma_device_find("eth0")), 1);
}
END_TEST

START_TEST(test_add_device_errors)
{
	char err[256];
	struct dma_device_desc d = { .name = "x", .mask = 0xfff, .bandwidth = 1 };

	setup();
	ck_assert_ptr_null(dma_add_device(&d, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "DMA_BIT_MASK"));
	d.mask = 0xfffffff0ULL;
	ck_assert_ptr_null(dma_add_device(&d, err, sizeof(err)));
	d.mask = DMA_BIT_MASK(32);
	d.node = 3;
	ck_assert_ptr_null(dma_add_device(&d, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "node 3"));
	d.node = 0;
	d.name = "eth0";
	ck_assert_ptr_null(dma_add_device(&d, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "twice"));
	d.name = "ok";
	ck_assert_ptr_nonnull(dma_add_device(&d, err, sizeof(err)));
	ck_assert_uint_eq(DMA_BIT_MASK(64), ~0ULL);
	ck_assert_uint_eq(DMA_BIT_MASK(24), 0xffffffULL);
}
END_TEST

Suite *dma_suite(void)
{
	Suite *s = suite_create("dma");
	TCase *tc = tcase_create("devices");

	tcase_add_test(tc, test_devices_built);
	tcase_add_test(tc, test_isa_refuses_above_16m);
	tcase_add_test(tc, test_fault_log_limited);
	tcase_add_test(tc, test_eth_32bit);
	tcase_add_test(tc, test_64bit_accepts);
	tcase_add_test(tc, test_non_contiguous_refused);
	tcase_add_test(tc, test_transfer_time_bandwidth_bound);
	tcase_add_test(tc, test_async_completion_irq);
	tcase_add_test(tc, test_add_device_errors);
	suite_add_tcase(s, tc);
	return s;
}
