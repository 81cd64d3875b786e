// Seed inputs of a fuzz target (valid messages that reach deep paths) for the replay driver
// (//tools/fuzz:replay_main). A target without seeds need not define fuzz_seeds() at all.
#ifndef TOOLS_FUZZ_FUZZ_SEEDS_H_
#define TOOLS_FUZZ_FUZZ_SEEDS_H_

#include <stddef.h>
#include <stdint.h>

struct fuzz_seed {
  const uint8_t *data;
  size_t len;
};

const struct fuzz_seed *fuzz_seeds(size_t *count);

#define FUZZ_SEED(arr) \
  { arr, sizeof(arr) }

#endif  // TOOLS_FUZZ_FUZZ_SEEDS_H_
