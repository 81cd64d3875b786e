// IPv4: validation and demultiplexing of received datagrams, routing and fragmentation of sent
// ones. Upper protocols (ICMP, UDP, TCP) register a handler per protocol number; they send with
// ipv4_output().
#ifndef NET_IPV4_IPV4_H_
#define NET_IPV4_IPV4_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/core.h"
#include "net/core/net_opts.h"
#include "net/core/pbuf.h"
#include "net/ipv4/ipv4_addr.h"
#include "net/ipv4/reass.h"

#define IPV4_PROTO_ICMP 1
#define IPV4_PROTO_TCP 6
#define IPV4_PROTO_UDP 17

struct arp;

// What the receive path knows about a datagram, handed to the protocol handler.
struct ipv4_rx_info {
  ipv4_addr_t src;
  ipv4_addr_t dst;
  uint8_t proto;
  uint8_t ttl;
  uint8_t tos;
  bool broadcast;  // dst was limited or directed broadcast
  bool multicast;
  // The IP header as received (options included). It lies in the pbuf's headroom and stays valid
  // until the pbuf is freed or pushed into; ICMP errors quote it.
  const uint8_t *hdr;
  uint16_t hdr_len;
};

// An ICMP error about a datagram WE sent, routed to the protocol that sent it.
struct ipv4_icmp_error {
  uint8_t type;
  uint8_t code;
  int err;                // the matching net_err_t, e.g. NET_ERR_CONNREFUSED for port unreachable
  uint16_t next_hop_mtu;  // for "fragmentation needed" (type 3 code 4), else 0
  ipv4_addr_t reporter;   // source of the ICMP message
  ipv4_addr_t orig_src;   // from the quoted header
  ipv4_addr_t orig_dst;
  uint8_t orig_proto;
  // The quoted transport bytes (at least 8: both ports, and for TCP the sequence number).
  const uint8_t *orig_payload;
  size_t orig_payload_len;
};

struct ipv4_proto_ops {
  // Takes ownership of p: data points at the transport header, len is the transport length
  // (IP padding already trimmed). Must pbuf_free(p) or keep it.
  void (*input)(void *ctx, struct pbuf *p, const struct ipv4_rx_info *info);
  // Optional (NULL allowed): an ICMP error quoting one of our datagrams of this protocol.
  void (*icmp_error)(void *ctx, const struct ipv4_icmp_error *e);
  void *ctx;
};

struct ipv4_tx {
  ipv4_addr_t src;  // IPV4_ANY: the interface address
  ipv4_addr_t dst;
  uint8_t proto;
  uint8_t ttl;  // 0: NET_IP_DEFAULT_TTL
  uint8_t tos;
  bool df;  // set Don't Fragment (TCP does, for PMTU discovery); never fragmented then
};

// Called for a received unicast datagram of an unregistered protocol (ICMP installs it to send
// "protocol unreachable"). p's data is the transport payload; the hook must not free p.
typedef void (*ipv4_unreach_fn)(void *ctx, struct pbuf *p, const struct ipv4_rx_info *info,
                                uint8_t code);

struct ipv4 {
  struct net_core *core;
  struct arp *arp;
  uint16_t next_id;
  struct {
    uint8_t proto;
    struct ipv4_proto_ops ops;
  } handlers[NET_IP_MAX_PROTO_HANDLERS];
  unsigned handler_count;
  ipv4_unreach_fn unreach;
  void *unreach_ctx;
  struct net_timer reass_timer;
  struct ipv4_reass reass;
  // Datagrams to our own address, delivered by ipv4_loopback_run (net_stack_poll): handing them
  // to the receiver inside the sender's call would re-enter TCP/UDP in the middle of an
  // operation, and a bulk transfer to ourselves would recurse without bound.
  struct pbuf_queue loopq;
};

// Loopback datagrams waiting at most; more are dropped (NET_ERR_NOMEM to the sender, which
// treats it like a loss).
#ifndef NET_IP_LOOPBACK_QUEUE
#define NET_IP_LOOPBACK_QUEUE 128
#endif

// Registers with Ethernet (EtherType 0x0800, through arp->eth) on init; arp resolves next hops.
// With arp == NULL (unit tests) nothing is registered and only loopback output works.
void ipv4_init(struct ipv4 *ip, struct net_core *core, struct arp *arp);

// Installs the handler for one protocol number (replacing an earlier one).
// NET_ERR_NOMEM when NET_IP_MAX_PROTO_HANDLERS distinct protocols are registered.
int ipv4_register(struct ipv4 *ip, uint8_t proto, const struct ipv4_proto_ops *ops);

void ipv4_set_unreach_hook(struct ipv4 *ip, ipv4_unreach_fn fn, void *ctx);

// Sends p (data = transport header + payload) to tx->dst. ALWAYS consumes p. Prepends the IP
// header in p's headroom (at least 20 bytes + 14 for Ethernet are needed; pbuf_alloc_tx gives
// enough), routes on-link or via the gateway, fragments when larger than the MTU unless df,
// and queues behind ARP resolution if needed. Returns NET_OK when handed on (delivery is not
// guaranteed), NET_ERR_NETUNREACH, NET_ERR_MSGSIZE (df and too big, or > 65535), NET_ERR_NOMEM.
int ipv4_output(struct ipv4 *ip, struct pbuf *p, const struct ipv4_tx *tx);

// Largest transport payload (transport header included) that fits one unfragmented datagram.
static inline uint16_t ipv4_mtu_payload(const struct ipv4 *ip) {
  return (uint16_t)(ip->core->netif.mtu - 20);
}

// Receive path from Ethernet: data = IP header. Consumes p.
void ipv4_input(struct ipv4 *ip, struct pbuf *p);

// Used by ICMP: hands an error about one of our datagrams to its protocol's icmp_error.
void ipv4_deliver_icmp_error(struct ipv4 *ip, const struct ipv4_icmp_error *e);

// Delivers the datagrams looped back to our own address so far (not the ones their delivery
// sends in turn: those wait for the next call, so this always ends). Returns how many.
unsigned ipv4_loopback_run(struct ipv4 *ip);
static inline bool ipv4_loopback_pending(const struct ipv4 *ip) {
  return !pbuf_queue_empty(&ip->loopq);
}

// Runs the reassembly timeouts (also driven by the core timer armed in ipv4_init).
void ipv4_poll(struct ipv4 *ip, uint64_t now_ms);

#endif  // NET_IPV4_IPV4_H_
