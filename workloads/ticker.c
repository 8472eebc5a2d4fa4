/* SPDX-License-Identifier: MIT */
/*
 * workloads/ticker.c — an engine exerciser: producers and one consumer.
 *
 * `procs` producer processes each create work items at Poisson arrivals of
 * `rate` per producer (exponential think time), charging `work` of simulated
 * time per item through sim_advance (so temporal decoupling is exercised),
 * queue the item with its creation time and notify a shared event. One
 * consumer waits on that event with a `timeout`, then drains the queue,
 * charging `service` per item; each item's queueing delay (creation to
 * service) goes into a histogram. With total arrival rate λ and service time
 * S the consumer is an M/D/1 queue, so the delay distribution has a known
 * shape (mean wait λS²/(2(1-λS))). It needs no machine or kernel model and is
 * the smallest scenario that touches processes, events, waits, stats and RNG.
 * The queue is a fixed ring; items beyond its capacity are counted as drops.
 */
#include <stdlib.h>
#include "sim/engine.h"
#include "sim/rng.h"
#include "sim/stats.h"
#include "workloads/workload.h"

struct ticker {
	struct rng rng;
	sim_time_t mean_gap, work, stop;
	struct ticker_shared *sh;
};

#define TICKER_RING 4096

struct ticker_shared {
	struct sim_event *ev;
	sim_time_t ring[TICKER_RING];   /* creation times of queued items */
	unsigned head, tail;            /* head - tail = queued items */
	sim_time_t timeout, stop, service;
	uint64_t *items, *wakeups, *timeouts, *drops;
	struct hist *delay;
};

static void producer(void *arg)
{
	struct ticker *t = arg;
	struct ticker_shared *sh = t->sh;

	while (sim_now() < t->stop && !sim_stop_requested()) {
		sim_time_t gap = (sim_time_t)rng_exponential(&t->rng, (double)t->mean_gap);

		sim_sleep(gap ? gap : 1);
		sim_advance(t->work);
		(*sh->items)++;
		if (sh->head - sh->tail < TICKER_RING)
			sh->ring[sh->head++ % TICKER_RING] = sim_now();
		else
			(*sh->drops)++;
		sim_event_notify(sh->ev, 0);
	}
}

static void consumer(void *arg)
{
	struct ticker_shared *sh = arg;

	while (sim_now() < sh->stop && !sim_stop_requested()) {
		if (sh->head == sh->tail && !sim_wait_timeout(sh->ev, sh->timeout)) {
			(*sh->timeouts)++;
			continue;
		}
		(*sh->wakeups)++;
		while (sh->head != sh->tail) {
			sim_time_t born = sh->ring[sh->tail++ % TICKER_RING];
			sim_time_t now = sim_now();

			hist_add(sh->delay, now > born ? now - born : 0);
			sim_sleep(sh->service);
		}
	}
}

static int ticker_setup(struct cfg_node *task, const struct workload_env *env)
{
	const struct workload_type *T = &workload_ticker;
	uint64_t procs = workload_u64(task, T, "procs", 1, 4096);
	uint64_t rate = workload_u64(task, T, "rate", 1, 1000000000);
	sim_time_t work = workload_u64(task, T, "work", 0, SIM_SEC);
	sim_time_t timeout = workload_u64(task, T, "timeout", 1, 1000 * SIM_SEC);
	sim_time_t service = workload_u64(task, T, "service", 1, SIM_SEC);
	struct ticker_shared *sh;
	char name[128];

	if (cfg_failed(cfg_doc(task)))
		return -1;
	sh = calloc(1, sizeof(*sh));
	sh->ev = sim_event_new(env->task_name);
	sh->timeout = timeout;
	sh->service = service;
	sh->stop = env->stop;
	snprintf(name, sizeof(name), "workload.%s.items", env->task_name);
	sh->items = stat_counter(name, "items", "work items completed by the producers", STAT_SAMPLED);
	snprintf(name, sizeof(name), "workload.%s.wakeups", env->task_name);
	sh->wakeups = stat_counter(name, "wakeups", "consumer wake-ups by event", STAT_SAMPLED);
	snprintf(name, sizeof(name), "workload.%s.timeouts", env->task_name);
	sh->timeouts = stat_counter(name, "timeouts", "consumer waits that timed out", STAT_SAMPLED);
	snprintf(name, sizeof(name), "workload.%s.drops", env->task_name);
	sh->drops = stat_counter(name, "items", "items dropped because the queue was full", STAT_SAMPLED);
	snprintf(name, sizeof(name), "workload.%s.queue_delay", env->task_name);
	sh->delay = stat_hist(name, "ps", "time an item waits from creation until the consumer serves it");

	for (uint64_t i = 0; i < procs; i++) {
		struct ticker *t = calloc(1, sizeof(*t));

		snprintf(name, sizeof(name), "%s/%llu", env->task_name, (unsigned long long)i);
		rng_seed_named(&t->rng, env->seed, name);
		t->mean_gap = SIM_SEC / rate;
		t->work = work;
		t->stop = env->stop;
		t->sh = sh;
		if (!sim_spawn(name, producer, t, env->start))
			return -1;
	}
	snprintf(name, sizeof(name), "%s/consumer", env->task_name);
	return sim_spawn(name, consumer, sh, env->start) ? 0 : -1;
}

static const struct workload_param ticker_params[] = {
	{ "procs", CFG_UNIT_NONE, "4", "producer processes" },
	{ "rate", CFG_UNIT_RATE, "100k/s", "work items per second per producer (Poisson)" },
	{ "work", CFG_UNIT_TIME, "200ns", "simulated time charged per work item" },
	{ "timeout", CFG_UNIT_TIME, "100us", "consumer wait timeout" },
	{ "service", CFG_UNIT_TIME, "150ns", "consumer time per item (M/D/1 service time)" },
	{ NULL },
};

const struct workload_type workload_ticker = {
	.name = "ticker",
	.desc = "engine exerciser: Poisson producers queue items for one consumer (M/D/1; no kernel model)",
	.params = ticker_params,
	.setup = ticker_setup,
};
