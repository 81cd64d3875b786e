// Pure conversions behind the socket API of user/libc: IPv4 text <-> number, ports, getaddrinfo's
// numeric path, timeval <-> milliseconds, VDOS_E* -> errno and error texts. No syscalls and no
// POSIX socket types, so the same file builds for ViperDOS programs and for host unit tests and
// fuzzers.
//
// Addresses here are host-byte-order integers, as in the syscall ABI (10.0.2.2 = 0x0A000202);
// the POSIX layer (socket.c) converts to and from network byte order.
#ifndef USER_LIBC_NETCONV_H_
#define USER_LIBC_NETCONV_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Longest dotted quad plus its terminator ("255.255.255.255").
#define VDOS_IPV4_TEXT_MAX 16

// inet_pton(AF_INET) rules: exactly four decimal parts 0..255 separated by dots, no leading
// zeros except "0" itself, nothing else. 1 on success, 0 when `s` is not such an address.
int vdos_ipv4_parse(const char *s, uint32_t *out);

// inet_aton/inet_addr rules: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x), the last
// part filling the remaining bytes ("10.1" = 10.0.0.1, "0x7f.1" = 127.0.0.1). 1 or 0.
int vdos_ipv4_parse_legacy(const char *s, uint32_t *out);

// Writes the dotted quad with its terminator; returns its length, or 0 when `cap` is too small
// (the buffer then holds "" if cap > 0).
size_t vdos_ipv4_format(uint32_t addr, char *buf, size_t cap);

// A decimal port 0..65535 with nothing else around it. 1 or 0.
int vdos_port_parse(const char *s, uint16_t *out);

// getaddrinfo's error codes (the values glibc uses, so portable code's checks agree).
#define VDOS_EAI_BADFLAGS (-1)
#define VDOS_EAI_NONAME (-2)
#define VDOS_EAI_AGAIN (-3)
#define VDOS_EAI_FAIL (-4)
#define VDOS_EAI_FAMILY (-6)
#define VDOS_EAI_SOCKTYPE (-7)
#define VDOS_EAI_SERVICE (-8)
#define VDOS_EAI_MEMORY (-10)
#define VDOS_EAI_SYSTEM (-11)
#define VDOS_EAI_OVERFLOW (-12)

// getaddrinfo flags (glibc values).
#define VDOS_AI_PASSIVE 0x0001
#define VDOS_AI_CANONNAME 0x0002
#define VDOS_AI_NUMERICHOST 0x0004
#define VDOS_AI_NUMERICSERV 0x0400
#define VDOS_AI_KNOWN_FLAGS \
  (VDOS_AI_PASSIVE | VDOS_AI_CANONNAME | VDOS_AI_NUMERICHOST | VDOS_AI_NUMERICSERV)

enum vdos_gai_plan {
  VDOS_GAI_DONE = 0,  // *addr is the answer (numeric host, or no host)
  VDOS_GAI_DNS = 1,   // `node` is a name: ask SYS_DNS_RESOLVE
};

// The numeric part of getaddrinfo: checks flags, parses the service (a port number; names are not
// supported: there is no services database) and the host. With no host, the address is the
// wildcard (AI_PASSIVE) or loopback. Returns enum vdos_gai_plan or a VDOS_EAI_* code.
int vdos_gai_numeric(const char *node, const char *service, int flags, uint32_t *addr,
                     uint16_t *port);

// SYS_DNS_RESOLVE's failure (negative VDOS_E*) as a getaddrinfo code: "no such name" is
// permanent, a silent server is worth retrying.
int vdos_gai_from_dns_error(long err);

// Text for a VDOS_EAI_* code.
const char *vdos_gai_text(int code);

// SO_RCVTIMEO/SO_SNDTIMEO: a struct timeval as the ABI's milliseconds (0 = wait forever).
// Rounds up, so a non-zero timeout never becomes "forever"; clamps to UINT32_MAX ms. 0 on
// success, -1 for a negative time or tv_usec outside 0..999999.
int vdos_timeval_to_ms(long long sec, long long usec, uint32_t *ms);
void vdos_ms_to_timeval(uint32_t ms, long long *sec, long long *usec);

// The C library's errno for a VDOS_E* error (positive, as in -result). Unknown codes map to EIO.
int vdos_errno_from(long vdos_err);

// Text for an errno value of this C library, including the TLS ones: vdos_errno_from keeps
// VDOS_ETLS_* (200..) as they are, above every errno the C library defines. NULL when unknown.
const char *vdos_errno_text(int errnum);

// Text for a VDOS_E* error (positive), NULL when unknown.
const char *vdos_error_text(long vdos_err);

#ifdef __cplusplus
}
#endif

#endif  // USER_LIBC_NETCONV_H_
