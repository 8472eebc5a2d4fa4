/* SPDX-License-Identifier: MIT */
/*
 * sim/rng.h — deterministic random streams.
 *
 * xoshiro256** seeded through splitmix64. Every component or process owns a
 * stream derived from (run seed, stream id); the id is a stable hash of the
 * stream's name computed once at set-up (never on a hot path), so adding a
 * stream does not perturb the others and the same seed gives the same run.
 */
#ifndef MMSIM_SIM_RNG_H
#define MMSIM_SIM_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t seed, uint64_t stream);
void rng_seed_named(struct rng *r, uint64_t seed, const char *stream_name);
uint64_t rng_next(struct rng *r);
uint64_t rng_below(struct rng *r, uint64_t n);      /* uniform in [0, n), unbiased; n > 0 */
double rng_double(struct rng *r);                   /* uniform in [0, 1) */
double rng_exponential(struct rng *r, double mean);
double rng_normal(struct rng *r, double mu, double sigma);
double rng_lognormal(struct rng *r, double mu, double sigma);
double rng_pareto(struct rng *r, double xm, double alpha);
uint64_t splitmix64(uint64_t *state);
uint64_t rng_hash_name(const char *name);           /* FNV-1a 64, for stream ids */

#endif /* MMSIM_SIM_RNG_H */
