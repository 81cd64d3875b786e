// TCP-level socket options (setsockopt level IPPROTO_TCP).
#ifndef VDOS_NETINET_TCP_H_
#define VDOS_NETINET_TCP_H_

#define TCP_NODELAY 1
#define TCP_KEEPIDLE 4   // seconds
#define TCP_KEEPINTVL 5  // seconds
#define TCP_KEEPCNT 6

#endif  // VDOS_NETINET_TCP_H_
