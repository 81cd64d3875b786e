// Each fuzz target defines its seed inputs (valid messages) for the non-libFuzzer driver.
#ifndef NET_FUZZ_FUZZ_SEEDS_H_
#define NET_FUZZ_FUZZ_SEEDS_H_

#include <stddef.h>
#include <stdint.h>

struct fuzz_seed {
  const uint8_t *data;
  size_t len;
};

const struct fuzz_seed *fuzz_seeds(size_t *count);

#define FUZZ_SEED(arr) \
  { arr, sizeof(arr) }

#endif  // NET_FUZZ_FUZZ_SEEDS_H_
