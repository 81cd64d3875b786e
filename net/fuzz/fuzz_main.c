// Stand-in for libFuzzer's main in ordinary builds (no --config=fuzz): replays the files given
// on the command line, otherwise runs a fixed number of inputs made by mutating the target's
// seed inputs (so the deep paths behind checksums and lengths are reached too). That makes every
// fuzz target an ordinary, deterministic test as well.
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/fuzz/fuzz_seeds.h"
#include "net/testing/prng.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t buf[1 << 17];

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
