// The built-in TLS trust store: Mozilla's roots for TLS server authentication, generated at build
// time from Debian's ca-certificates package (pinned by version and sha256 in WORKSPACE), never
// from the build machine's /etc/ssl. Plain data, usable by the host, the kernel and EL0 programs.
#ifndef CRYPTO_ROOTS_ROOTS_H_
#define CRYPTO_ROOTS_ROOTS_H_

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

// One root: its name (the Debian file name without ".crt") and where its PEM block sits in
// viper_roots_pem.
struct viper_root {
  const char *name;
  size_t pem_offset;
  size_t pem_len;
};

// The ca-certificates version the store was generated from, e.g. "20250419~deb12u2".
extern const char viper_roots_version[];
// All roots as one PEM bundle (for wolfSSL_CTX_load_verify_buffer in a single call). Not
// NUL-terminated as far as viper_roots_pem_len is concerned.
extern const unsigned char viper_roots_pem[];
extern const size_t viper_roots_pem_len;
extern const unsigned viper_roots_count;
// viper_roots_count entries, sorted by name.
extern const struct viper_root viper_roots[];

#ifdef __cplusplus
}
#endif

#endif  // CRYPTO_ROOTS_ROOTS_H_
