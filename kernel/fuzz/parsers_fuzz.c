// libFuzzer target for the kernel's parsers of untrusted bytes: device tree, ELF programs,
// cpio archives. Every call must return cleanly; under ASan any out-of-bounds read is fatal.
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/dtb/fdt.h"
#include "kernel/fs/cpio.h"
#include "kernel/proc/elf.h"
#include "tools/fuzz/fuzz_seeds.h"

// Seeds that reach deep into each parser: FDT header, ELF header, cpio "newc" header.
static const uint8_t kFdtSeed[] = {
    0xd0, 0x0d, 0xfe, 0xed, 0, 0, 0, 0x60, 0, 0, 0, 0x38, 0, 0, 0, 0x58, 0, 0, 0, 0x28, 0, 0, 0, 17,
    0,    0,    0,    16,   0, 0, 0, 0,    0, 0, 0, 8,    0, 0, 0, 0x20, 0, 0, 0, 0,    0, 0, 0, 0};
static const uint8_t kElfSeed[] = {0x7f, 'E', 'L', 'F', 2, 1, 1,   0, 0, 0, 0, 0,
                                   0,    0,   0,   0,   2, 0, 183, 0, 1, 0, 0, 0};
static const uint8_t kCpioSeed[] =
    "070701000000010000816400000000000000000000000100000000000000030000000000000000"
    "000000000000000000000006000000006e616d6500abc";
static const struct fuzz_seed kSeeds[] = {
    FUZZ_SEED(kFdtSeed), FUZZ_SEED(kElfSeed), {kCpioSeed, sizeof(kCpioSeed) - 1}};
const struct fuzz_seed *fuzz_seeds(size_t *count) {
  *count = sizeof(kSeeds) / sizeof(kSeeds[0]);
  return kSeeds;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // A private, exactly-sized copy so ASan sees the real end of the input.
  uint8_t *copy = malloc(size ? size : 1);
  if (!copy) return 0;
  memcpy(copy, data, size);

  struct fdt f;
  if (fdt_init(&f, copy, size) == 0) {
    size_t len;
    uint64_t a, s;
    uint32_t v;
    int n = fdt_node_by_compatible(&f, -1, "arm,pl011");
    fdt_getprop(&f, n, "reg", &len);
    fdt_reg(&f, n, 0, 2, 2, &a, &s);
    fdt_prop_u32(&f, 0, "#address-cells", &v);
    fdt_node_name(&f, n);
    fdt_path_offset(&f, "/chosen");
    int node = -1;
    for (int i = 0; i < 64 && (node = fdt_node_by_name(&f, node, "virtio_mmio")) >= 0; i++) {
    }
  }

  struct elf_image img;
  if (elf_parse(copy, size, 0x100000000ull, 0x140000000ull, &img) == ELF_OK) {
    // The loader relies on these; a violation is a parser bug.
    for (int i = 0; i < img.nseg; i++) {
      if (img.seg[i].offset + img.seg[i].filesz > size || img.seg[i].filesz > img.seg[i].memsz)
        abort();
    }
  }

  size_t off = 0;
  struct cpio_entry e;
  for (int i = 0; i < 1024 && cpio_next(copy, size, &off, &e) == 1; i++) {
    if (e.data + e.size > copy + size || e.name[e.name_len] != 0) abort();
  }
  free(copy);
  return 0;
}
