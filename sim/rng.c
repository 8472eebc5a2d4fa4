/* SPDX-License-Identifier: MIT */
/*
 * sim/rng.c — xoshiro256** streams seeded by splitmix64.
 *
 * A stream's state is four splitmix64 outputs of (seed ^ stream * golden),
 * so streams are independent of each other and of creation order. The
 * distributions use inversion (exponential, Pareto) and Box–Muller (normal);
 * all are deterministic functions of the stream.
 */
#include "sim/rng.h"

#include <math.h>

uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t rng_hash_name(const char *name)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 0x100000001b3ULL;
	return h;
}

void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t st = seed ^ (stream * 0xd1b54a32d192ed03ULL);

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&st);
	if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
		r->s[0] = 1;
}

void rng_seed_named(struct rng *r, uint64_t seed, const char *stream_name)
{
	rng_seed(r, seed, rng_hash_name(stream_name));
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Lemire's multiply-shift with rejection: unbiased. */
uint64_t rng_below(struct rng *r, uint64_t n)
{
	unsigned __int128 m = (unsigned __int128)rng_next(r) * n;
	uint64_t lo = (uint64_t)m;

	if (lo < n) {
		uint64_t thresh = -n % n;

		while (lo < thresh) {
			m = (unsigned __int128)rng_next(r) * n;
			lo = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

double rng_double(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

double rng_exponential(struct rng *r, double mean)
{
	return -mean * log1p(-rng_double(r));
}

double rng_normal(struct rng *r, double mu, double sigma)
{
	double u1 = 1.0 - rng_double(r);   /* (0, 1] */
	double u2 = rng_double(r);

	return mu + sigma * sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

double rng_lognormal(struct rng *r, double mu, double sigma)
{
	return exp(rng_normal(r, mu, sigma));
}

double rng_pareto(struct rng *r, double xm, double alpha)
{
	return xm / pow(1.0 - rng_double(r), 1.0 / alpha);
}
