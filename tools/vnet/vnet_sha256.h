// SHA-256 for vnet's transfer checksums: OpenSSL's libcrypto (Debian's libssl-dev), which uses
// the CPU's SHA instructions where present — we never write our own hash.
#ifndef TOOLS_VNET_VNET_SHA256_H_
#define TOOLS_VNET_VNET_SHA256_H_

#include <openssl/sha.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vnet_sha256 {
  SHA256_CTX ctx;  // fixed size, no allocation: a connection that dies unfinished leaks nothing
};

void vnet_sha256_init(struct vnet_sha256* s);
void vnet_sha256_update(struct vnet_sha256* s, const void* data, size_t len);
// Writes 64 lowercase hex digits and a NUL into hex.
void vnet_sha256_hex(struct vnet_sha256* s, char hex[65]);

#ifdef __cplusplus
}
#endif

#endif  // TOOLS_VNET_VNET_SHA256_H_
