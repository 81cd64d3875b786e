// ARP cache and resolver: a bounded table with aging, a bounded queue of packets waiting for
// resolution, request retries, gratuitous announcements.
#ifndef NET_ARP_ARP_H_
#define NET_ARP_ARP_H_

#include <stdbool.h>
#include <stdint.h>

#include "net/core/core.h"
#include "net/core/net_opts.h"
#include "net/core/pbuf.h"
#include "net/core/timer.h"
#include "net/ethernet/ethernet.h"
#include "net/ipv4/ipv4_addr.h"

enum arp_state { ARP_FREE = 0, ARP_PENDING, ARP_REACHABLE };

struct arp_entry {
  enum arp_state state;
  ipv4_addr_t ip;
  uint8_t mac[6];
  uint64_t expires_ms;  // REACHABLE: when it ages out; PENDING: when the next request is due
  uint8_t requests;     // requests sent while PENDING
  bool refreshing;      // REACHABLE: a unicast re-confirmation is out
  struct pbuf_queue pending;
};

struct arp {
  struct net_core *core;
  struct eth *eth;
  struct arp_entry entries[NET_ARP_ENTRIES];
  uint32_t queued_total;  // packets held across all entries (<= NET_ARP_QUEUE_TOTAL)
  struct net_timer timer;
};

// Registers EtherType 0x0806 with eth.
void arp_init(struct arp *a, struct net_core *core, struct eth *eth);

// Sends an IPv4 packet p (data = IP header) to next_hop: broadcast addresses go straight out,
// known neighbours get their MAC, unknown ones are queued while requests go out. Always
// consumes p. NET_OK means "sent or queued".
int arp_output(struct arp *a, struct pbuf *p, ipv4_addr_t next_hop);

// Receive path (eth handler).
void arp_input(void *ctx, struct pbuf *p, const struct eth_hdr *hdr);

// Broadcasts a gratuitous ARP request for our own address (interface up / address change).
int arp_announce(struct arp *a);

// Looks up a REACHABLE entry. False if unknown.
bool arp_lookup(const struct arp *a, ipv4_addr_t ip, uint8_t mac_out[6]);

// Runs aging and retries; also driven by the core timer armed in arp_init.
void arp_poll(struct arp *a, uint64_t now_ms);

// Drops every entry and queued packet (interface down).
void arp_flush(struct arp *a);

#endif  // NET_ARP_ARP_H_
