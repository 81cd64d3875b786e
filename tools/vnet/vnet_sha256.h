// SHA-256 (FIPS 180-4) for vnet's transfer checksums.
#ifndef TOOLS_VNET_VNET_SHA256_H_
#define TOOLS_VNET_VNET_SHA256_H_

#include <stddef.h>
#include <stdint.h>

struct vnet_sha256 {
  uint32_t h[8];
  uint64_t total;
  uint8_t buf[64];
  size_t used;
};

void vnet_sha256_init(struct vnet_sha256* s);
void vnet_sha256_update(struct vnet_sha256* s, const void* data, size_t len);
// Writes 64 lowercase hex digits and a NUL into hex.
void vnet_sha256_hex(struct vnet_sha256* s, char hex[65]);

#endif  // TOOLS_VNET_VNET_SHA256_H_
