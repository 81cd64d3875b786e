// A whole IPv4 stack on one interface: the object the kernel, vnet and tests instantiate.
// TCP (net/tcp) is separate: create it next to a net_stack and attach it to `ip`
// (ipv4_register for protocol 6, ipv4_output to send, core timers for its clocks).
#ifndef NET_STACK_STACK_H_
#define NET_STACK_STACK_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/arp/arp.h"
#include "net/core/core.h"
#include "net/dns/dns.h"
#include "net/ethernet/ethernet.h"
#include "net/icmp/icmp.h"
#include "net/ipv4/ipv4.h"
#include "net/udp/udp.h"

struct net_stack_config {
  uint8_t mac[6];
  ipv4_addr_t addr;
  uint8_t prefix;
  ipv4_addr_t gw;  // IPV4_ANY: none
  ipv4_addr_t dns[NET_DNS_MAX_SERVERS];
  uint8_t dns_count;
  uint16_t mtu;  // 0: NET_MTU_DEFAULT
};

struct net_stack {
  struct net_core core;
  struct eth eth;
  struct arp arp;
  struct ipv4 ip;
  struct icmp icmp;
  struct udp udp;
  struct dns dns;
};

// Wires the layers together. The interface starts down: call net_stack_up.
void net_stack_init(struct net_stack *s, const struct net_platform *plat,
                    const struct net_stack_config *cfg);

// Marks the interface up and sends a gratuitous ARP.
int net_stack_up(struct net_stack *s);
void net_stack_down(struct net_stack *s);

// Receive path for drivers: copies the frame into a pbuf (NET_DROP_NO_PBUF if none is free).
void net_stack_input_frame(struct net_stack *s, const uint8_t *frame, size_t len);
// Zero-copy variant: p comes from s->core.pool, data = destination MAC. Consumes p.
void net_stack_input(struct net_stack *s, struct pbuf *p);

// Runs due timers. Returns the next deadline (ms on the platform clock) or NET_TIME_NEVER;
// a poll loop sleeps until then or until a frame arrives.
uint64_t net_stack_poll(struct net_stack *s);
// Whether net_stack_poll() now would do anything: a timer is due or datagrams to ourselves wait.
// Cheaper than the poll itself, for platforms that poll on a hot path (kernel/net/knet.c).
bool net_stack_poll_due(struct net_stack *s);

// Writes a human-readable stats report (one "name value" per line, drops by reason that are
// non-zero) into buf; returns the length that would have been written (snprintf-like).
size_t net_stack_format_stats(const struct net_stack *s, char *buf, size_t cap);

#endif  // NET_STACK_STACK_H_
