# mmsim — one non-recursive GNU Makefile.
#
#   make            build build/mmsim (and the test runner)
#   make run        install what is missing, build, run the default scenario, render plots
#   make check      install, build and run every Check suite (SUITE=name runs one)
#   make bench      engine / machine / allocator throughput figures
#   make plots RUN=results/<run>   render a run's figures
#   make sanitize   ASan+UBSan build in build/sanitize running the whole suite
#   make deps       install the Debian packages we need (only those pkg-config can't find)
#   make clean
#
# V=1 shows full commands; CI=1 (or CI=true) adds -Werror.
# Objects go to $(BUILD)/<folder>/<file>.o; each layer is a static library so a test
# binary links only what it uses and link order follows the layering
# (sim <- machine <- mm <- workloads, traces).

BUILD    ?= build
CC       ?= gcc
CXX      ?= g++
ifeq ($(origin CC),default)
CC := gcc
endif
ifeq ($(origin CXX),default)
CXX := g++
endif

# Debian packages and the pkg-config names that prove they are installed.
PKG_NAMES := systemc check jansson yaml-0.1
DEB_PKGS  := libsystemc-dev check libjansson-dev libyaml-dev gnuplot-nox pkg-config valgrind

OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
CXXFLAGS ?= $(OPT) -g
WARN     := -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
ifneq ($(filter 1 true yes,$(CI)),)
WARN     += -Werror
endif
ifeq ($(SAN),1)
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif
GIT_DESCRIBE := $(shell git describe --always --dirty --tags 2>/dev/null || echo unknown)
VERSION  := 0.1.0

ALL_CFLAGS   = -std=gnu11 $(WARN) $(CFLAGS) $(SANFLAGS) $(PKG_CFLAGS) -I. \
               -DMMSIM_VERSION='"$(VERSION)"' -MMD -MP
ALL_CXXFLAGS = -std=c++17 $(WARN) $(CXXFLAGS) $(SANFLAGS) $(PKG_CFLAGS) -I. -MMD -MP
LDLIBS       = $(PKG_LIBS) -lm

# ---------------------------------------------------------------------------
# Explicit object lists, one per folder (paths relative to the source tree).

SIM_OBJS := \
	sim/engine.o \
	sim/log.o \
	sim/rng.o \
	sim/units.o \
	sim/config.o \
	sim/stats.o \
	sim/hist.o \
	sim/trace.o \
	sim/results.o \
	sim/sweep.o \
	sim/version.o

MACHINE_OBJS := \
	machine/topology.o \
	machine/memmap.o \
	machine/build.o \
	machine/cpu.o \
	machine/dram.o \
	machine/dma.o \
	machine/dmesg.o \
	machine/cache.o \
	machine/tlb.o \
	machine/mmu.o \
	machine/cost.o \
	machine/cachesim.o \
	machine/memsys.o

MM_OBJS := \
	mm/slub.o \
	mm/slab_common.o \
	mm/rcu.o \
	mm/gfp.o \
	mm/sched.o \
	mm/memblock.o \
	mm/page_alloc.o \
	mm/vmstat.o \
	mm/proc.o \
	mm/events.o \
	mm/kswapd_wake.o \
	mm/lru.o \
	mm/memory.o \
	mm/filemap.o \
	mm/swap.o \
	mm/vmscan.o \
	mm/compaction.o \
	mm/oom_kill.o \
	mm/vmalloc.o \
	mm/util.o \
	mm/mempool.o \
	mm/percpu.o

WORKLOADS_OBJS := \
	workloads/registry.o \
	workloads/ticker.o \
	workloads/dist.o \
	workloads/common.o \
	workloads/anon.o \
	workloads/pagecache.o \
	workloads/netrx.o \
	workloads/blockio.o \
	workloads/dmadriver.o \
	workloads/slabchurn.o \
	workloads/vmalloc.o \
	workloads/percpu.o \
	workloads/fragmenter.o

TRACES_OBJS := \
	traces/parse.o \
	traces/check.o \
	traces/replay.o \
	traces/workload_replay.o

# The driver: sim/main.c is the only file that knows every layer.
MAIN_OBJS := \
	sim/main.o \
	sim/cli_run.o \
	sim/cli_trace.o \
	sim/cli_plot.o \
	sim/cli_cachesim.o \
	sim/cli_compare.o \
	sim/cli_report.o \
	sim/scenario_mm.o \
	sim/scenario_pressure.o \
	sim/cli_boot.o \
	sim/run_summary.o

TEST_OBJS := \
	tests/runner.o \
	tests/testutil.o \
	tests/testmm.o \
	tests/check_engine.o \
	tests/check_rng.o \
	tests/check_units.o \
	tests/check_config.o \
	tests/check_stats.o \
	tests/check_trace.o \
	tests/check_results.o \
	tests/check_cli.o \
	tests/check_report.o \
	sim/cli_report.o \
	tests/check_workloads.o \
	tests/check_generators.o \
	tests/check_topology.o \
	tests/check_dma.o \
	tests/check_cache.o \
	tests/check_tlb.o \
	tests/check_gfp.o \
	sim/scenario_mm.o \
	sim/scenario_pressure.o \
	tests/check_page_alloc.o \
	tests/check_slab.o \
	tests/check_vmalloc.o \
	tests/check_mempool.o \
	tests/check_percpu.o \
	tests/check_reclaim.o \
	tests/check_compaction.o \
	tests/check_oom.o \
	tests/check_traces.o

BENCH_OBJS := \
	tests/bench.o \
	tests/bench_engine.o \
	tests/bench_machine.o \
	tests/bench_slab.o \
	tests/bench_vmalloc.o \
	tests/bench_mm.o \
	tests/bench_traces.o \
	tests/bench_pressure.o

# ---------------------------------------------------------------------------

LIBSIM       := $(BUILD)/libsim.a
LIBMACHINE   := $(BUILD)/libmachine.a
LIBMM        := $(BUILD)/libmm.a
LIBWORKLOADS := $(BUILD)/libworkloads.a
LIBTRACES    := $(BUILD)/libtraces.a
LIBS_ORDERED := $(LIBWORKLOADS) $(LIBTRACES) $(LIBMM) $(LIBMACHINE) $(LIBSIM)

MMSIM  := $(BUILD)/mmsim
RUNNER := $(BUILD)/tests/check_all
BENCH  := $(BUILD)/tests/bench

obj = $(addprefix $(BUILD)/,$(1))
ALL_OBJS := $(call obj,$(SIM_OBJS) $(MACHINE_OBJS) $(MM_OBJS) $(WORKLOADS_OBJS) \
              $(TRACES_OBJS) $(MAIN_OBJS) $(TEST_OBJS) $(BENCH_OBJS))

ifeq ($(V),1)
Q :=
quiet = @:
else
Q := @
quiet = @printf '  %-6s %s\n' $(1) $(2)
endif

.PHONY: all run check bench plots sanitize clean deps FORCE
.DEFAULT_GOAL := all

all: $(MMSIM) $(RUNNER)

# ---------------------------------------------------------------------------
# Dependencies: install Debian packages only when pkg-config (or gnuplot) is missing.
# Compile flags come from pkg-config and are cached in $(BUILD)/pkg.mk, which is
# generated after `deps` has run, so a fresh machine needs nothing but `make run`.

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

deps:
	@missing=""; \
	for p in $(PKG_NAMES); do pkg-config --exists $$p 2>/dev/null || missing=1; done; \
	command -v pkg-config >/dev/null 2>&1 || missing=1; \
	command -v gnuplot >/dev/null 2>&1 || missing=1; \
	command -v valgrind >/dev/null 2>&1 || missing=1; \
	if [ -n "$$missing" ]; then \
	  echo "  DEPS   installing $(DEB_PKGS)"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    $(DEB_PKGS) g++ make >/dev/null || { echo "make deps: apt-get failed" >&2; exit 1; }; \
	fi

NEEDS_PKG := $(filter-out clean deps,$(or $(MAKECMDGOALS),all))
ifneq ($(NEEDS_PKG),)
-include $(BUILD)/pkg.mk
endif

$(BUILD)/pkg.mk: | deps
	@mkdir -p $(BUILD)
	@{ echo "PKG_CFLAGS := $$(pkg-config --cflags $(PKG_NAMES))"; \
	   echo "PKG_LIBS := $$(pkg-config --libs $(PKG_NAMES))"; } > $@.tmp && mv $@.tmp $@

# Rebuild everything when the flags change.
$(BUILD)/flags.stamp: FORCE
	@mkdir -p $(BUILD)
	@echo '$(CC) $(CXX) $(ALL_CFLAGS) $(ALL_CXXFLAGS) $(LDLIBS)' > $@.tmp; \
	if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/%.o: %.c $(BUILD)/flags.stamp
	@mkdir -p $(dir $@)
	$(call quiet,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.cc $(BUILD)/flags.stamp
	@mkdir -p $(dir $@)
	$(call quiet,CXX,$@)
	$(Q)$(CXX) $(ALL_CXXFLAGS) -c $< -o $@

# The version object carries git describe; rebuild it whenever that changes.
$(BUILD)/sim/version.o: ALL_CFLAGS += -DMMSIM_GIT='"$(GIT_DESCRIBE)"'
$(BUILD)/sim/version.o: $(BUILD)/git.stamp
$(BUILD)/git.stamp: FORCE
	@mkdir -p $(BUILD)
	@echo '$(GIT_DESCRIBE)' > $@.tmp; if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

define make_lib
$(1): $(call obj,$(2))
	$$(call quiet,AR,$$@)
	$$(Q)rm -f $$@ && ar rcs $$@ $$^
endef
$(eval $(call make_lib,$(LIBSIM),$(SIM_OBJS)))
$(eval $(call make_lib,$(LIBMACHINE),$(MACHINE_OBJS)))
$(eval $(call make_lib,$(LIBMM),$(MM_OBJS)))
$(eval $(call make_lib,$(LIBWORKLOADS),$(WORKLOADS_OBJS)))
$(eval $(call make_lib,$(LIBTRACES),$(TRACES_OBJS)))

# SystemC is C++: link with the C++ driver.
$(MMSIM): $(call obj,$(MAIN_OBJS)) $(LIBS_ORDERED)
	$(call quiet,LINK,$@)
	$(Q)$(CXX) $(SANFLAGS) -o $@ $(call obj,$(MAIN_OBJS)) $(LIBS_ORDERED) $(LDLIBS)

$(RUNNER): $(call obj,$(TEST_OBJS)) $(LIBS_ORDERED)
	$(call quiet,LINK,$@)
	$(Q)$(CXX) $(SANFLAGS) -o $@ $(call obj,$(TEST_OBJS)) $(LIBS_ORDERED) $(LDLIBS)

$(BENCH): $(call obj,$(BENCH_OBJS)) $(LIBS_ORDERED)
	$(call quiet,LINK,$@)
	$(Q)$(CXX) $(SANFLAGS) -o $@ $(call obj,$(BENCH_OBJS)) $(LIBS_ORDERED) $(LDLIBS)

# ---------------------------------------------------------------------------

export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE := 1
SCENARIO ?= workloads/scenarios/default.yaml
RUN_DIR  ?= results/default

run: deps $(MMSIM)
	$(MMSIM) run $(SCENARIO) -o $(RUN_DIR)
	@$(MAKE) --no-print-directory plots RUN=$(RUN_DIR)

check: deps $(RUNNER) $(MMSIM)
	@MMSIM=$(MMSIM) CK_RUN_SUITE=$(SUITE) $(RUNNER)

bench: deps $(BENCH) $(MMSIM)
	@$(BENCH)

RUN ?= $(RUN_DIR)
plots: deps $(MMSIM)
	$(MMSIM) plot $(RUN)

sanitize:
	@$(MAKE) --no-print-directory BUILD=build/sanitize SAN=1 OPT=-O1 check

clean:
	rm -rf $(BUILD) build/sanitize

-include $(ALL_OBJS:.o=.d)
