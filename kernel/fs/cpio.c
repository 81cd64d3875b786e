#include "kernel/fs/cpio.h"

#include <string.h>

#define HDR 110

static int hex8(const uint8_t *p, uint32_t *out) {
  uint32_t v = 0;
  for (int i = 0; i < 8; i++) {
    uint8_t c = p[i];
    uint32_t d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return -1;
    }
    v = (v << 4) | d;
  }
  *out = v;
  return 0;
}

int cpio_next(const uint8_t *a, size_t len, size_t *offset, struct cpio_entry *out) {
  size_t off = *offset;
  if (off > len || len - off < HDR) return -1;
  const uint8_t *h = a + off;
  if (memcmp(h, "070701", 6) != 0 && memcmp(h, "070702", 6) != 0) return -2;
  uint32_t f[13];
  for (int i = 0; i < 13; i++) {
    if (hex8(h + 6 + 8 * i, &f[i]) != 0) return -3;
  }
  uint32_t mode = f[1], filesize = f[6], namesize = f[11];
  if (namesize == 0 || namesize > 4096) return -4;
  size_t name_off = off + HDR;
  if (namesize > len - name_off) return -4;
  const char *name = (const char *)a + name_off;
  if (name[namesize - 1] != 0) return -4;
  size_t data_off = (name_off + namesize + 3) & ~(size_t)3;
  if (data_off > len || filesize > len - data_off) return -5;
  out->name = name;
  out->name_len = namesize - 1;
  out->mode = mode;
  out->data = a + data_off;
  out->size = filesize;
  *offset = (data_off + filesize + 3) & ~(size_t)3;
  if (namesize == 11 && memcmp(name, "TRAILER!!!", 10) == 0) return 0;
  return 1;
}
