// cpio "newc" archive reader (the initrd format), bounded and pure.
#ifndef KERNEL_FS_CPIO_H_
#define KERNEL_FS_CPIO_H_

#include <stddef.h>
#include <stdint.h>

struct cpio_entry {
  const char *name;  // NUL-terminated inside the archive
  size_t name_len;   // without the NUL
  uint32_t mode;
  const uint8_t *data;
  size_t size;
};

// Reads the entry at *offset and advances it. Returns 1 for an entry, 0 at the trailer,
// negative for malformed input (bad magic, bad hex, out-of-bounds name or data).
int cpio_next(const uint8_t *archive, size_t len, size_t *offset, struct cpio_entry *out);

#endif  // KERNEL_FS_CPIO_H_
