// Address text conversion (IPv4 only) plus the byte-order functions.
#ifndef VDOS_ARPA_INET_H_
#define VDOS_ARPA_INET_H_

#include <netinet/in.h>

#ifdef __cplusplus
extern "C" {
#endif

// AF_INET only; AF_INET6 sets errno EAFNOSUPPORT and returns -1 / NULL.
int inet_pton(int af, const char *src, void *dst);
const char *inet_ntop(int af, const void *src, char *dst, socklen_t size);
int inet_aton(const char *cp, struct in_addr *inp);
in_addr_t inet_addr(const char *cp);
char *inet_ntoa(struct in_addr in);  // static buffer

#ifdef __cplusplus
}
#endif

#endif  // VDOS_ARPA_INET_H_
