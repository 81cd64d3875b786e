// Bounded IPv4 reassembly. Each slot copies fragment payload into its own 64 KiB buffer and
// keeps a sorted list of received ranges: every fragment costs O(NET_IP_REASS_MAX_FRAGS) work at
// most, when slots or the byte budget run out the oldest incomplete datagram makes room,
// overlapping fragments discard the whole datagram (RFC 5722's rule, applied to IPv4 as
// Linux does), exact duplicates are ignored, and slots expire after NET_IP_REASS_TIMEOUT_MS.
#ifndef NET_IPV4_REASS_H_
#define NET_IPV4_REASS_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/net_opts.h"
#include "net/core/stats.h"
#include "net/ipv4/ipv4_addr.h"

struct ipv4_reass_range {
  uint16_t start;  // byte offset of the first payload byte
  uint16_t end;    // one past the last byte
};

struct ipv4_reass_slot {
  bool used;
  ipv4_addr_t src, dst;
  uint16_t id;
  uint8_t proto;
  bool have_last;
  uint32_t total_len;  // payload length, known once the last fragment arrived
  uint64_t expires_ms;
  uint8_t hdr[60];  // header of the offset-0 fragment (becomes the reassembled header)
  uint8_t hdr_len;  // 0 until the first fragment arrived
  unsigned nranges;
  unsigned nfrags;  // fragments accepted (bounded by NET_IP_REASS_MAX_FRAGS)
  struct ipv4_reass_range ranges[NET_IP_REASS_MAX_FRAGS];
  uint32_t bytes;  // payload bytes held
  uint8_t data[65535];
};

struct ipv4_reass {
  struct ipv4_reass_slot slots[NET_IP_REASS_SLOTS];
  uint32_t bytes_held;  // across all slots, capped by NET_IP_REASS_MAX_BYTES
  // Incomplete datagrams discarded to make room (oldest first) for newer ones: a flood of
  // never-completed fragments cannot lock out legitimate datagrams for the whole timeout.
  uint32_t evicted;
};

// A fragment as parsed from the wire.
struct ipv4_frag {
  const uint8_t *hdr;  // full IP header
  uint8_t hdr_len;
  ipv4_addr_t src, dst;
  uint16_t id;
  uint8_t proto;
  uint32_t offset;  // in bytes
  bool more;        // MF flag
  const uint8_t *payload;
  uint16_t payload_len;
};

enum ipv4_reass_result {
  IPV4_REASS_HELD,      // accepted, datagram incomplete
  IPV4_REASS_COMPLETE,  // datagram complete: see *slot_out
  IPV4_REASS_DROPPED,   // rejected; *reason says why
};

void ipv4_reass_init(struct ipv4_reass *r);

// Offers one fragment. On IPV4_REASS_COMPLETE, *slot_out holds the datagram (hdr + data[0,
// total_len)) until ipv4_reass_release() is called. On DROPPED, *reason is set.
enum ipv4_reass_result ipv4_reass_add(struct ipv4_reass *r, const struct ipv4_frag *f,
                                      uint64_t now_ms, struct ipv4_reass_slot **slot_out,
                                      enum net_drop_reason *reason);

void ipv4_reass_release(struct ipv4_reass *r, struct ipv4_reass_slot *slot);

// Frees expired slots; returns how many expired. (ICMP "reassembly time exceeded" is optional and
// we do not send it.)
unsigned ipv4_reass_expire(struct ipv4_reass *r, uint64_t now_ms);

// Earliest slot expiry, or UINT64_MAX when nothing is pending.
uint64_t ipv4_reass_next_deadline(const struct ipv4_reass *r);

#endif  // NET_IPV4_REASS_H_
