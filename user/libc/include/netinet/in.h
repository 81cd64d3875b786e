// IPv4 addresses for sockets: struct sockaddr_in in network byte order, as POSIX defines it.
#ifndef VDOS_NETINET_IN_H_
#define VDOS_NETINET_IN_H_

#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

// htonl/htons/ntohl/ntohs: picolibc's byte-order macros.
#include_next <arpa/inet.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef _IN_ADDR_T_DECLARED
typedef __uint32_t in_addr_t;
#define _IN_ADDR_T_DECLARED
#endif
#ifndef _IN_PORT_T_DECLARED
typedef __uint16_t in_port_t;
#define _IN_PORT_T_DECLARED
#endif

struct in_addr {
  in_addr_t s_addr;  // network byte order
};

struct sockaddr_in {
  sa_family_t sin_family;  // AF_INET
  in_port_t sin_port;      // network byte order
  struct in_addr sin_addr;
  unsigned char sin_zero[8];
};

#define IPPROTO_IP 0
#define IPPROTO_ICMP 1
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17

#define INADDR_ANY ((in_addr_t)0x00000000)
#define INADDR_BROADCAST ((in_addr_t)0xffffffff)
#define INADDR_NONE ((in_addr_t)0xffffffff)
#define INADDR_LOOPBACK ((in_addr_t)0x7f000001)  // host byte order, as in BSD and Linux

#define INET_ADDRSTRLEN 16

#ifdef __cplusplus
}
#endif

#endif  // VDOS_NETINET_IN_H_
