// SHA-256 (FIPS 180-4) for vnet's transfer checksums.
#ifndef TOOLS_VNET_VNET_SHA256_H_
#define TOOLS_VNET_VNET_SHA256_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

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
// The CPU's SHA instructions (x86 SHA-NI) are used when present unless VNET_SHA256_PORTABLE is
// set in the environment. Tests switch explicitly: returns whether the accelerated path is now
// in use (false when asked for it on a CPU without it).
bool vnet_sha256_use_accel(bool on);

#ifdef __cplusplus
}
#endif

#endif  // TOOLS_VNET_VNET_SHA256_H_
