// Stack-wide counters: what vnet `stats` and SYS_NET_STATS report. Every dropped packet is
// counted under exactly one reason so "where did my packet go" has an answer.
#ifndef NET_CORE_STATS_H_
#define NET_CORE_STATS_H_

#include <stdint.h>

// Append new reasons at the end of their protocol's group (before NET_DROP__COUNT); the names
// table in stats.c must be extended in the same order (a test checks every reason has a name).
enum net_drop_reason {
  NET_DROP_NO_PBUF,           // pool exhausted on receive
  NET_DROP_ETH_SHORT,         // frame shorter than an Ethernet header
  NET_DROP_ETH_NOT_FOR_US,    // destination MAC not ours/broadcast/multicast
  NET_DROP_ETH_UNKNOWN_TYPE,  // EtherType without a handler
  NET_DROP_ETH_TX_ERROR,      // the platform refused the frame
  NET_DROP_ARP_MALFORMED,
  NET_DROP_ARP_NOT_FOR_US,
  NET_DROP_ARP_QUEUE_FULL,  // too many packets waiting for resolution
  NET_DROP_ARP_UNRESOLVED,  // resolution failed; queued packets discarded
  NET_DROP_ARP_TABLE_FULL,
  NET_DROP_IP_SHORT,
  NET_DROP_IP_BAD_VERSION,
  NET_DROP_IP_BAD_HLEN,
  NET_DROP_IP_BAD_LEN,  // total length larger than the frame or smaller than the header
  NET_DROP_IP_BAD_CKSUM,
  NET_DROP_IP_BAD_OPTIONS,
  NET_DROP_IP_BAD_SRC,  // broadcast/multicast/loopback source
  NET_DROP_IP_NOT_FOR_US,
  NET_DROP_IP_TTL,
  NET_DROP_IP_UNKNOWN_PROTO,
  NET_DROP_IP_NO_ROUTE,
  NET_DROP_IP_TOO_BIG,        // DF set and larger than the MTU
  NET_DROP_IP_FRAG_OVERLAP,   // overlapping fragment: whole datagram discarded
  NET_DROP_IP_FRAG_BAD,       // malformed fragment (bad offset/length)
  NET_DROP_IP_FRAG_NO_SLOT,   // incomplete datagram evicted: slots or byte budget exhausted
  NET_DROP_IP_FRAG_TOO_MANY,  // too many fragments in one datagram
  NET_DROP_IP_FRAG_TIMEOUT,   // incomplete datagram expired
  NET_DROP_IP_FRAG_TOO_BIG,   // reassembled size beyond 65535
  NET_DROP_IP_FRAG_DUP,       // exact duplicate of data already held (datagram kept)
  NET_DROP_ICMP_SHORT,
  NET_DROP_ICMP_BAD_CKSUM,
  NET_DROP_ICMP_UNHANDLED,   // a type we ignore
  NET_DROP_ICMP_RATE_LIMIT,  // an error we did not send because of rate limiting
  NET_DROP_UDP_SHORT,
  NET_DROP_UDP_BAD_LEN,
  NET_DROP_UDP_BAD_CKSUM,
  NET_DROP_UDP_NO_PORT,  // nobody bound (ICMP port unreachable sent unless broadcast)
  NET_DROP_UDP_QUEUE_FULL,
  NET_DROP_DNS_MALFORMED,
  NET_DROP_DNS_MISMATCH,  // wrong id/source/question: possible spoofing
  NET_DROP_TCP_SHORT,
  NET_DROP_TCP_BAD_CKSUM,
  NET_DROP_TCP_BAD_OPTIONS,
  NET_DROP_TCP_NO_CONN,  // segment for no connection (RST sent)
  NET_DROP_TCP_OUT_OF_WINDOW,
  NET_DROP_TCP_OOO_FULL,  // out-of-order queue limit reached
  NET_DROP_TCP_BACKLOG_FULL,
  NET_DROP_TCP_OTHER,
  NET_DROP__COUNT
};

struct net_stats {
  // Link level (frames as handed to/from the platform).
  uint64_t rx_packets, rx_bytes;
  uint64_t tx_packets, tx_bytes;
  // Per protocol.
  uint64_t arp_rx, arp_tx;
  uint64_t ip_rx, ip_tx, ip_frag_tx, ip_frag_rx, ip_reassembled;
  uint64_t icmp_rx, icmp_tx;
  uint64_t udp_rx, udp_tx;
  uint64_t dns_queries, dns_cache_hits;
  uint64_t tcp_rx_segs, tcp_tx_segs, tcp_retransmits;
  // Gauges (the seed's counters): current TCP connections and bound UDP sockets.
  uint32_t tcp_conns;
  uint32_t udp_sockets;
  uint64_t drops_total;
  uint64_t drops[NET_DROP__COUNT];
};

void net_stats_init(struct net_stats *s);

static inline void net_stats_drop(struct net_stats *s, enum net_drop_reason r) {
  s->drops_total++;
  if ((unsigned)r < NET_DROP__COUNT) s->drops[r]++;
}

// Short snake_case name of a reason, e.g. "ip_bad_cksum"; "unknown" for out-of-range values.
const char *net_drop_reason_name(int reason);

#endif  // NET_CORE_STATS_H_
