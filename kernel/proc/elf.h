// ELF64 executable validation for EL0 programs. Pure: checks a file image and describes its
// loadable segments; the loader (proc.c) maps and copies them.
#ifndef KERNEL_PROC_ELF_H_
#define KERNEL_PROC_ELF_H_

#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS 8

struct elf_segment {
  uint64_t vaddr, memsz, offset, filesz;
  int writable, executable;
};

struct elf_image {
  uint64_t entry;
  uint64_t end;  // highest vaddr + memsz (page-aligned up): start of the heap
  int nseg;
  struct elf_segment seg[ELF_MAX_SEGMENTS];
};

enum elf_error {
  ELF_OK = 0,
  ELF_ETOOSMALL = -1,
  ELF_EMAGIC = -2,
  ELF_ECLASS = -3,    // not 64-bit little-endian version 1
  ELF_ETYPE = -4,     // not ET_EXEC for AArch64
  ELF_EPHDR = -5,     // program header table out of bounds or wrong entry size
  ELF_ESEGMENT = -6,  // a segment lies outside the file or the user window, or overflows
  ELF_EOVERLAP = -7,
  ELF_ENTRY = -8,  // entry point not in an executable segment
  ELF_ENOSEG = -9,
  ELF_ETOOMANY = -10,
};

// Validates `data` (len bytes) against the user window [lo, hi). Returns ELF_OK or an error.
int elf_parse(const uint8_t *data, size_t len, uint64_t lo, uint64_t hi, struct elf_image *out);
const char *elf_strerror(int err);

#endif  // KERNEL_PROC_ELF_H_
