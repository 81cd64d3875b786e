// Stand-in for libFuzzer's main in ordinary builds (no --config=fuzz), shared by every fuzz
// target: replays the files and corpus directories given on the command line; otherwise runs the
// target's seeds (fuzz_seeds(), optional) and FUZZ_ITERATIONS inputs (default 3000) made by
// mutating them or, a quarter of the time and for targets without seeds, fresh random bytes. The
// same seed always gives the same run, so every fuzz target is an ordinary deterministic test too.
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/fuzz/fuzz_seeds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t buf[1 << 17];

// Targets with seeds override this; weak so a target without any links as is.
__attribute__((weak)) const struct fuzz_seed *fuzz_seeds(size_t *count) {
  *count = 0;
  return NULL;
}

// SplitMix64: deterministic input generation (not for anything security related).
static uint64_t rng_state = 12345;
static uint64_t rng_next(void) {
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
static uint64_t rng_below(uint64_t n) { return rng_next() % n; }

// Replays one file; returns false if it cannot be read.
static bool replay_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return false;
  size_t n = fread(buf, 1, sizeof(buf), f);
  fclose(f);
  LLVMFuzzerTestOneInput(buf, n);
  return true;
}

// Replays every regular file in a directory (a corpus), like libFuzzer does with its arguments.
static int replay_dir(const char *path) {
  DIR *d = opendir(path);
  if (!d) return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    char file[4096];
    snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
    if (replay_file(file)) n++;
  }
  closedir(d);
  return n;
}

int main(int argc, char **argv) {
  // libFuzzer-style arguments: flags (-name=value) are ignored here; files and corpus
  // directories are replayed.
  int replayed = 0;
  bool had_paths = false;
  for (int a = 1; a < argc; a++) {
    if (argv[a][0] == '-') continue;
    had_paths = true;
    int n = replay_dir(argv[a]);
    if (n >= 0) {
      replayed += n;
    } else if (replay_file(argv[a])) {
      replayed++;
    } else {
      fprintf(stderr, "cannot open %s\n", argv[a]);
      return 2;
    }
  }
  if (had_paths) {
    printf("ran %d inputs\n", replayed);
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
  size_t nseeds = 0;
  const struct fuzz_seed *seeds = fuzz_seeds(&nseeds);
  for (size_t i = 0; i < nseeds; i++) LLVMFuzzerTestOneInput(seeds[i].data, seeds[i].len);
  for (long it = 0; it < iters; it++) {
    size_t n;
    if (nseeds && rng_below(4) != 0) {
      const struct fuzz_seed *s = &seeds[rng_below(nseeds)];
      n = s->len < sizeof(buf) ? s->len : sizeof(buf);
      memcpy(buf, s->data, n);
      // A few random edits: byte flips, truncation, extension.
      unsigned edits = 1 + (unsigned)rng_below(4);
      for (unsigned e = 0; e < edits && n; e++) {
        switch (rng_below(4)) {
          case 0:
          case 1:
            buf[rng_below(n)] = (uint8_t)rng_next();
            break;
          case 2:
            n = (size_t)rng_below(n + 1);
            break;
          default: {
            size_t extra = (size_t)rng_below(64);
            for (size_t k = 0; k < extra && n < sizeof(buf); k++) buf[n++] = (uint8_t)rng_next();
          }
        }
      }
    } else {
      n = (size_t)rng_below(2048);
      for (size_t i = 0; i < n; i++) buf[i] = (uint8_t)rng_next();
    }
    LLVMFuzzerTestOneInput(buf, n);
  }
  printf("ran %zu seeds and %ld mutated inputs\n", nseeds, iters);
  return 0;
}
