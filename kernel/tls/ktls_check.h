// Checks of what a program hands the kernel TLS client that are not plain bounds: kept apart
// from ktls.c (no kernel or wolfSSL state) so they are unit-tested and fuzzed on the host.
#ifndef KERNEL_TLS_KTLS_CHECK_H_
#define KERNEL_TLS_KTLS_CHECK_H_

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

// 1 when list is a valid ALPN request: comma-separated protocol names, each 1..255 printable
// non-space bytes (RFC 7301 allows any bytes; we take what a command line can carry), the whole
// list NUL-terminated within max bytes.
int ktls_alpn_valid(const char *list, size_t max);

#ifdef __cplusplus
}
#endif

#endif  // KERNEL_TLS_KTLS_CHECK_H_
