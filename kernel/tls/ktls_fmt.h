// Pure helpers of the kernel TLS client: turning what wolfSSL reports about the peer into the
// text of struct vdos_tls_info, checking a program's ALPN list, and naming why a handshake
// failed. No kernel or wolfSSL state, so they are unit-tested and fuzzed on the host.
#ifndef KERNEL_TLS_KTLS_FMT_H_
#define KERNEL_TLS_KTLS_FMT_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// raw is wolfSSL's date blob (wolfSSL_X509_notBefore/notAfter): [ASN.1 tag, length, text...],
// rawlen the bytes available. UTCTime (tag 0x17, YYMMDDHHMMSSZ) and GeneralizedTime (0x18,
// YYYYMMDDHHMMSSZ) become "YYYY-MM-DD HH:MM:SS UTC". Returns 0, or -1 (out gets "?") when the
// blob is not such a date or out is too small (needs 24 bytes).
int ktls_fmt_time(const uint8_t *raw, size_t rawlen, char *out, size_t cap);

// wolfSSL's one-line name "/C=US/O=Org/CN=host" (at most inlen bytes, stops at NUL) becomes
// RFC 4514 order and style, "CN=host, O=Org, C=US". Always NUL-terminates out (cap > 0);
// truncates what does not fit.
void ktls_fmt_name(const char *in, size_t inlen, char *out, size_t cap);

// 1 when list is a valid ALPN request: comma-separated protocol names, each 1..255 printable
// non-space bytes, the whole list at most max bytes.
int ktls_alpn_valid(const char *list, size_t max);

// The VDOS_ETLS_* reason (positive) for a failed handshake or record operation:
//   wolf_err     wolfSSL_get_error() result (wolfSSL's negative codes);
//   verify_err   the first certificate error wolfSSL's verify callback saw (0 if none);
//   alert_rx     the last alert received from the peer (-1 if none).
int ktls_reason(int wolf_err, int verify_err, int alert_rx);

// IANA name of a TLS 1.3 suite (0x13, suite), or NULL.
const char *ktls_suite_name(uint8_t suite0, uint8_t suite);
// "X25519", "P-256", "P-384", or NULL for other TLS named groups.
const char *ktls_group_name(unsigned group);

#ifdef __cplusplus
}
#endif

#endif  // KERNEL_TLS_KTLS_FMT_H_
