// Stand-in for libFuzzer's main when not building with --config=fuzz: runs the target over the
// files named on the command line, or over a fixed number of deterministic pseudo-random inputs
// (mutations of a few seeds), so every plain test run exercises the fuzz target.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t next(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

int main(int argc, char **argv) {
  if (argc > 1) {
    for (int i = 1; i < argc; i++) {
      FILE *f = fopen(argv[i], "rb");
      if (!f) {
        fprintf(stderr, "cannot open %s\n", argv[i]);
        return 2;
      }
      static uint8_t buf[1 << 20];
      size_t n = fread(buf, 1, sizeof(buf), f);
      fclose(f);
      LLVMFuzzerTestOneInput(buf, n);
    }
    return 0;
  }
  // Seeds that reach deep into each parser: FDT header, ELF header, cpio header.
  static const uint8_t fdt_seed[] = {0xd0, 0x0d, 0xfe, 0xed, 0, 0, 0, 0x60, 0, 0, 0, 0x38,
                                     0,    0,    0,    0x58, 0, 0, 0, 0x28, 0, 0, 0, 17,
                                     0,    0,    0,    16,   0, 0, 0, 0,    0, 0, 0, 8,
                                     0,    0,    0,    0x20, 0, 0, 0, 0,    0, 0, 0, 0};
  static const uint8_t elf_seed[] = {0x7f, 'E', 'L', 'F', 2, 1, 1,   0, 0, 0, 0, 0,
                                     0,    0,   0,   0,   2, 0, 183, 0, 1, 0, 0, 0};
  static const char cpio_seed[] =
      "070701000000010000816400000000000000000000000100000000000000030000000000000000"
      "000000000000000000000006000000006e616d6500abc";
  const uint8_t *seeds[] = {fdt_seed, elf_seed, (const uint8_t *)cpio_seed};
  const size_t seed_len[] = {sizeof(fdt_seed), sizeof(elf_seed), sizeof(cpio_seed) - 1};
  static uint8_t buf[4096];
  for (int round = 0; round < 200000; round++) {
    int s = round % 3;
    size_t len = seed_len[s] + next() % 256;
    if (len > sizeof(buf)) len = sizeof(buf);
    memset(buf, 0, len);
    memcpy(buf, seeds[s], seed_len[s] < len ? seed_len[s] : len);
    int flips = 1 + (int)(next() % 8);
    for (int i = 0; i < flips; i++) buf[next() % len] = (uint8_t)next();
    LLVMFuzzerTestOneInput(buf, len);
  }
  printf("parsers_fuzz: 200000 inputs, no crash\n");
  return 0;
}
