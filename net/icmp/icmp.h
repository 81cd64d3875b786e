// ICMP: answers echo requests, sends rate-limited errors (port/protocol unreachable), routes
// received errors to the protocol that sent the offending datagram, and runs ping clients.
#ifndef NET_ICMP_ICMP_H_
#define NET_ICMP_ICMP_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/core.h"
#include "net/core/net_opts.h"
#include "net/ipv4/ipv4.h"

// Echo requests remembered per ping session (for RTTs of late replies).
#define ICMP_PING_INFLIGHT 64

struct icmp_ping_reply {
  ipv4_addr_t from;
  uint16_t seq;
  uint16_t len;  // ICMP payload bytes (excluding the 8-byte header)
  uint8_t ttl;
  uint64_t rtt_us;
  int err;  // NET_OK for an echo reply, else the error (e.g. NET_ERR_HOSTUNREACH)
  uint8_t type, code;
  bool duplicate;  // a second reply to the same sequence number
};

struct icmp_ping {
  struct icmp *icmp;
  bool active;
  ipv4_addr_t dst;
  uint16_t id;
  struct {
    uint16_t seq;
    bool valid;
    bool answered;
    uint64_t sent_us;
  } inflight[ICMP_PING_INFLIGHT];
  struct icmp_ping_reply replies[NET_PING_SLOTS];
  unsigned rhead, rcount;
  uint32_t lost_replies;  // replies dropped because the reply ring was full
};

struct icmp {
  struct net_core *core;
  struct ipv4 *ip;
  struct icmp_ping *pings[NET_PING_SLOTS];
  // Token bucket for outgoing errors (RFC 1812 4.3.2.8).
  uint32_t err_tokens;
  uint64_t err_refill_ms;
  bool reply_to_broadcast_echo;  // off by default (smurf amplification)
};

void icmp_init(struct icmp *ic, struct net_core *core, struct ipv4 *ip);

// Sends an error about the received datagram whose transport data is p->data (as handed to a
// protocol input handler) and whose IP header is info->hdr. Not sent for broadcast/multicast
// destinations, non-initial fragments, ICMP errors, or beyond the rate limit. p is NOT consumed.
void icmp_send_error(struct icmp *ic, const struct pbuf *p, const struct ipv4_rx_info *info,
                     uint8_t type, uint8_t code);

// Ping client. The session stays registered until icmp_ping_close (NET_PING_SLOTS sessions).
int icmp_ping_open(struct icmp *ic, struct icmp_ping *pg, ipv4_addr_t dst);
// Sends echo request `seq` with `payload_len` bytes (up to 65507: larger ones fragment).
int icmp_ping_send(struct icmp_ping *pg, uint16_t seq, size_t payload_len);
// Pops the next reply or error; false when none is waiting.
bool icmp_ping_next(struct icmp_ping *pg, struct icmp_ping_reply *out);
void icmp_ping_close(struct icmp_ping *pg);

#endif  // NET_ICMP_ICMP_H_
