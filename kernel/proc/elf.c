#include "kernel/proc/elf.h"

#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define EM_AARCH64 183
#define ET_EXEC 2

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static uint32_t le32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static uint64_t le64(const uint8_t *p) { return le32(p) | ((uint64_t)le32(p + 4) << 32); }

int elf_parse(const uint8_t *d, size_t len, uint64_t lo, uint64_t hi, struct elf_image *out) {
  if (!d || len < 64) return ELF_ETOOSMALL;
  if (d[0] != 0x7f || d[1] != 'E' || d[2] != 'L' || d[3] != 'F') return ELF_EMAGIC;
  if (d[4] != 2 || d[5] != 1 || d[6] != 1) return ELF_ECLASS;
  if (le16(d + 16) != ET_EXEC || le16(d + 18) != EM_AARCH64) return ELF_ETYPE;
  uint64_t entry = le64(d + 24);
  uint64_t phoff = le64(d + 32);
  uint16_t phentsize = le16(d + 54);
  uint16_t phnum = le16(d + 56);
  if (phentsize != 56 || phnum == 0 || phnum > 64) return ELF_EPHDR;
  if (phoff > len || (uint64_t)phnum * 56 > len - phoff) return ELF_EPHDR;
  out->entry = entry;
  out->end = 0;
  out->nseg = 0;
  for (unsigned i = 0; i < phnum; i++) {
    const uint8_t *ph = d + phoff + 56ull * i;
    if (le32(ph) != PT_LOAD) continue;
    uint32_t flags = le32(ph + 4);
    uint64_t offset = le64(ph + 8), vaddr = le64(ph + 16), filesz = le64(ph + 32),
             memsz = le64(ph + 40);
    if (memsz == 0) continue;
    if (filesz > memsz || offset > len || filesz > len - offset) return ELF_ESEGMENT;
    if (vaddr < lo || vaddr >= hi || memsz > hi - vaddr) return ELF_ESEGMENT;
    if (out->nseg >= ELF_MAX_SEGMENTS) return ELF_ETOOMANY;
    for (int j = 0; j < out->nseg; j++) {
      const struct elf_segment *s = &out->seg[j];
      // Page granularity: two segments may share a page only if neither is writable+exec mix.
      if (vaddr < s->vaddr + s->memsz && s->vaddr < vaddr + memsz) return ELF_EOVERLAP;
    }
    struct elf_segment *s = &out->seg[out->nseg++];
    s->vaddr = vaddr;
    s->memsz = memsz;
    s->offset = offset;
    s->filesz = filesz;
    s->writable = (flags & PF_W) != 0;
    s->executable = (flags & PF_X) != 0;
    if (s->writable && s->executable) return ELF_ESEGMENT;  // W^X for programs too
    uint64_t end = (vaddr + memsz + 4095) & ~4095ull;
    if (end > out->end) out->end = end;
  }
  if (out->nseg == 0) return ELF_ENOSEG;
  for (int j = 0; j < out->nseg; j++) {
    const struct elf_segment *s = &out->seg[j];
    if (s->executable && entry >= s->vaddr && entry < s->vaddr + s->memsz) return ELF_OK;
  }
  return ELF_ENTRY;
}

const char *elf_strerror(int err) {
  switch (err) {
    case ELF_OK:
      return "ok";
    case ELF_ETOOSMALL:
      return "file too small";
    case ELF_EMAGIC:
      return "not an ELF file";
    case ELF_ECLASS:
      return "not a 64-bit little-endian ELF";
    case ELF_ETYPE:
      return "not an AArch64 executable";
    case ELF_EPHDR:
      return "bad program header table";
    case ELF_ESEGMENT:
      return "bad segment";
    case ELF_EOVERLAP:
      return "overlapping segments";
    case ELF_ENTRY:
      return "entry point outside executable code";
    case ELF_ENOSEG:
      return "no loadable segment";
    case ELF_ETOOMANY:
      return "too many segments";
    default:
      return "unknown error";
  }
}
