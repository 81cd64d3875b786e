// Stand-in for libFuzzer's main in ordinary builds (without --config=fuzz): runs the fuzz entry
// point over the files named on the command line, or, with none, over a fixed number of
// deterministic pseudo-random inputs, so the target also runs as a normal test.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng_next(void) {
  // xorshift64*: enough to spread inputs; not used for anything security related.
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ull;
}

int main(int argc, char** argv) {
  if (argc > 1) {
    for (int a = 1; a < argc; a++) {
      FILE* f = fopen(argv[a], "rb");
      if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", argv[a]);
        return 2;
      }
      static uint8_t buf[1 << 20];
      size_t n = fread(buf, 1, sizeof(buf), f);
      fclose(f);
      LLVMFuzzerTestOneInput(buf, n);
    }
    return 0;
  }
  const char* iters_env = getenv("FUZZ_ITERATIONS");
  long iters = iters_env ? strtol(iters_env, NULL, 10) : 20000;
  static uint8_t buf[4096];
  for (long it = 0; it < iters; it++) {
    size_t n = (size_t)(rng_next() % sizeof(buf));
    for (size_t i = 0; i < n; i++) buf[i] = (uint8_t)rng_next();
    LLVMFuzzerTestOneInput(buf, n);
  }
  printf("ran %ld inputs\n", iters);
  return 0;
}
