/* SPDX-License-Identifier: MIT */
/*
 * sim/units.h — parsing and printing quantities with units.
 *
 * Sizes: binary suffixes KiB MiB GiB TiB (also K M G T, k, and KB/MB/GB as
 * the *decimal* SI units), plain numbers are bytes. Times: ps ns us µs ms s
 * (plain numbers rejected: a time needs a unit). Frequencies: Hz kHz MHz GHz.
 * Rates: N/s with k/M/G prefixes. Bandwidth: B/s, KB/s, MB/s, GB/s (decimal),
 * KiB/s, MiB/s, GiB/s. Percent: "30%" or "30". Fractions allowed ("2.5GHz",
 * "1.5us") where the result is an integer in the base unit.
 *
 * Details: suffixes are case-sensitive; P/PiB/PB also exist for sizes; a plain
 * number is Hz, per second or bytes/s for frequencies, rates and bandwidths
 * (but "200k" without "/s" is not a rate); spaces around the number and before
 * the unit are allowed; "1e3ns" exponents are accepted. unit_parse_u64() is
 * exact (no floating point): a value that is not a whole number of base units
 * ("0.5ps", "1.5B") or does not fit in 64 bits is an error that says which.
 * Error texts read "expected a size like 512MiB, got 'x'", "expected a time
 * with a unit (ps, ns, us, ms or s) like 80ns, got '80'", "expected a size that
 * is a whole number of bytes, got '1.5'", "expected a size that fits in 64
 * bits, got '...'", "expected a non-negative size, got '-1K'".
 */
#ifndef MMSIM_SIM_UNITS_H
#define MMSIM_SIM_UNITS_H

#include <stddef.h>
#include <stdint.h>
#include "sim/config.h"

/**
 * unit_parse() - parse @s as a quantity of @unit into base units.
 * @err: on failure, a message "expected a size like 512MiB, got 'x'" (size @errlen).
 * Return: 0, or -1 (bad syntax, unknown suffix, overflow).
 */
int unit_parse(const char *s, enum cfg_unit unit, double *out, char *err, size_t errlen);
int unit_parse_u64(const char *s, enum cfg_unit unit, uint64_t *out, char *err, size_t errlen);
/** unit_format() - shortest exact human form: 536870912 bytes → "512MiB", 80000 ps → "80ns". */
void unit_format(uint64_t v, enum cfg_unit unit, char *buf, size_t len);
const char *unit_example(enum cfg_unit unit);     /* "512MiB", "80ns", ... for messages */
/** unit_what() - noun phrase for messages: "a size", "a time", "an integer", ... */
const char *unit_what(enum cfg_unit unit);
/** unit_base_suffix() - suffix of the base unit ("ps", "Hz", "/s", "B/s", "%", "" for bytes). */
const char *unit_base_suffix(enum cfg_unit unit);

#endif /* MMSIM_SIM_UNITS_H */
