// Stand-in for libFuzzer's main in ordinary builds (no --config=fuzz): replays the files given
// on the command line, otherwise runs a fixed number of inputs made by mutating the target's
// seed inputs (so the deep paths behind checksums and lengths are reached too). That makes every
// fuzz target an ordinary, deterministic test as well.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/fuzz/fuzz_seeds.h"
#include "net/testing/prng.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
  static uint8_t buf[1 << 17];
  if (argc > 1) {
    for (int a = 1; a < argc; a++) {
      FILE *f = fopen(argv[a], "rb");
      if (!f) {
        fprintf(stderr, "cannot open %s\n", argv[a]);
        return 2;
      }
      size_t n = fread(buf, 1, sizeof(buf), f);
      fclose(f);
      LLVMFuzzerTestOneInput(buf, n);
    }
    return 0;
  }
  // FUZZ_DUMP_SEEDS=DIR writes the seeds as files (the corpus for libFuzzer runs) and exits.
  const char *dump = getenv("FUZZ_DUMP_SEEDS");
  if (dump) {
    size_t count = 0;
    const struct fuzz_seed *all = fuzz_seeds(&count);
    for (size_t i = 0; i < count; i++) {
      char path[4096];
      snprintf(path, sizeof(path), "%s/seed_%zu", dump, i);
      FILE *f = fopen(path, "wb");
      if (!f || fwrite(all[i].data, 1, all[i].len, f) != all[i].len) {
        fprintf(stderr, "cannot write %s\n", path);
        return 2;
      }
      fclose(f);
    }
    return 0;
  }
  const char *env = getenv("FUZZ_ITERATIONS");
  long iters = env ? strtol(env, NULL, 10) : 3000;
  struct net_prng rng;
  net_prng_seed(&rng, 12345);
  size_t nseeds = 0;
  const struct fuzz_seed *seeds = fuzz_seeds(&nseeds);
  for (size_t i = 0; i < nseeds; i++) LLVMFuzzerTestOneInput(seeds[i].data, seeds[i].len);
  for (long it = 0; it < iters; it++) {
    size_t n;
    if (nseeds && net_prng_below(&rng, 4) != 0) {
      const struct fuzz_seed *s = &seeds[net_prng_below(&rng, nseeds)];
      n = s->len < sizeof(buf) ? s->len : sizeof(buf);
      memcpy(buf, s->data, n);
      // A few random edits: byte flips, truncation, extension.
      unsigned edits = 1 + (unsigned)net_prng_below(&rng, 4);
      for (unsigned e = 0; e < edits && n; e++) {
        switch (net_prng_below(&rng, 4)) {
          case 0:
          case 1:
            buf[net_prng_below(&rng, n)] = (uint8_t)net_prng_next(&rng);
            break;
          case 2:
            n = (size_t)net_prng_below(&rng, n + 1);
            break;
          default: {
            size_t extra = (size_t)net_prng_below(&rng, 64);
            for (size_t k = 0; k < extra && n < sizeof(buf); k++)
              buf[n++] = (uint8_t)net_prng_next(&rng);
          }
        }
      }
    } else {
      n = (size_t)net_prng_below(&rng, 2048);
      for (size_t i = 0; i < n; i++) buf[i] = (uint8_t)net_prng_next(&rng);
    }
    LLVMFuzzerTestOneInput(buf, n);
  }
  printf("ran %zu seeds and %ld mutated inputs\n", nseeds, iters);
  return 0;
}
