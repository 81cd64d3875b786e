// UDP sockets: a fixed table of NET_UDP_SOCKETS, bind (explicit or random ephemeral port),
// optional connect (peer filter + default destination + ICMP error reporting), bounded receive
// queues, broadcast send/receive.
#ifndef NET_UDP_UDP_H_
#define NET_UDP_UDP_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/core.h"
#include "net/core/net_opts.h"
#include "net/core/pbuf.h"
#include "net/icmp/icmp.h"
#include "net/ipv4/ipv4.h"

struct udp_sock;
// Called after a datagram was queued on s (e.g. to wake a reader). May call udp_recvfrom.
typedef void (*udp_recv_cb)(void *ctx, struct udp_sock *s);

struct udp_sock {
  bool used;
  bool bound;
  bool connected;
  ipv4_addr_t local_addr;  // IPV4_ANY: any local address
  uint16_t local_port;
  ipv4_addr_t remote_addr;
  uint16_t remote_port;
  int pending_err;        // from ICMP (connected sockets); reported once by recv/send
  struct pbuf_queue rxq;  // each pbuf: data = payload; meta[0] = src addr, meta[1] = src port
  udp_recv_cb on_recv;
  void *cb_ctx;
};

struct udp {
  struct net_core *core;
  struct ipv4 *ip;
  struct icmp *icmp;
  struct udp_sock socks[NET_UDP_SOCKETS];
};

void udp_init(struct udp *u, struct net_core *core, struct ipv4 *ip, struct icmp *icmp);

// A new unbound socket, or NULL when all NET_UDP_SOCKETS are in use.
struct udp_sock *udp_open(struct udp *u);

// port 0 picks a random free ephemeral port. NET_ERR_ADDRINUSE, NET_ERR_ADDRNOTAVAIL,
// NET_ERR_INVAL (already bound).
int udp_bind(struct udp *u, struct udp_sock *s, ipv4_addr_t addr, uint16_t port);

// Restricts receive to one peer and sets the default destination; binds if needed.
int udp_connect(struct udp *u, struct udp_sock *s, ipv4_addr_t addr, uint16_t port);

// Sends one datagram (binds an ephemeral port first if needed). Returns len or an error.
// Broadcast destinations are allowed.
int udp_sendto(struct udp *u, struct udp_sock *s, ipv4_addr_t dst, uint16_t port, const void *data,
               size_t len);
int udp_send(struct udp *u, struct udp_sock *s, const void *data, size_t len);

// Copies the next datagram (truncated to cap) and returns its full length; NET_ERR_WOULDBLOCK
// when empty; a pending ICMP error is returned (once) before anything else.
int udp_recvfrom(struct udp *u, struct udp_sock *s, void *buf, size_t cap, ipv4_addr_t *src,
                 uint16_t *port);

static inline bool udp_readable(const struct udp_sock *s) {
  return !pbuf_queue_empty(&s->rxq) || s->pending_err != 0;
}

void udp_set_callback(struct udp_sock *s, udp_recv_cb cb, void *ctx);

// Frees queued datagrams and the table slot.
void udp_close(struct udp *u, struct udp_sock *s);

#endif  // NET_UDP_UDP_H_
