// Attaches a TCP instance to the IPv4 layer of a net_stack: protocol 6 delivery, ipv4_output for
// segments, the core's clock and randomness, and one core timer that follows TCP's next deadline.
#ifndef NET_TCP_TCP_IPV4_H_
#define NET_TCP_TCP_IPV4_H_

#include <stdint.h>

#include "net/core/core.h"
#include "net/ipv4/ipv4.h"
#include "net/tcp/tcp.h"

struct tcp_ipv4 {
  tcp_stack_t* tcp;
  struct ipv4* ip;
  struct net_core* core;
  struct net_timer timer;
  uint64_t armed_ms;  // deadline the core timer is armed for (NET_TIME_NEVER: not armed)
  uint64_t tx_errors;
  void* (*alloc)(void* ctx, size_t n);
  void (*free_fn)(void* ctx, void* p);
  void* alloc_ctx;
};

// Creates the TCP instance (cfg NULL: defaults; cfg->mtu is replaced by the interface MTU) and
// registers it with ip. alloc/free provide buffer memory (malloc/free on the host).
int tcp_ipv4_attach(struct tcp_ipv4* g, struct ipv4* ip, const tcp_config_t* cfg,
                    void* (*alloc)(void* ctx, size_t n), void (*free_fn)(void* ctx, void* p),
                    void* alloc_ctx);

// Call after using the TCP API directly (send, recv, close, ...): re-arms the core timer for
// TCP's next deadline.
void tcp_ipv4_kick(struct tcp_ipv4* g);

#endif  // NET_TCP_TCP_IPV4_H_
