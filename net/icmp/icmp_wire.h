// ICMP (RFC 792) message parse/emit (no state).
#ifndef NET_ICMP_ICMP_WIRE_H_
#define NET_ICMP_ICMP_WIRE_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/stats.h"

#define ICMP_HDR_LEN 8
#define ICMP_ECHO_REPLY 0
#define ICMP_DEST_UNREACH 3
#define ICMP_SOURCE_QUENCH 4
#define ICMP_REDIRECT 5
#define ICMP_ECHO_REQUEST 8
#define ICMP_TIME_EXCEEDED 11
#define ICMP_PARAM_PROBLEM 12

#define ICMP_UNREACH_NET 0
#define ICMP_UNREACH_HOST 1
#define ICMP_UNREACH_PROTO 2
#define ICMP_UNREACH_PORT 3
#define ICMP_UNREACH_FRAG_NEEDED 4

struct icmp_hdr {
  uint8_t type;
  uint8_t code;
  uint32_t rest;        // "rest of header": id/seq for echo, next-hop MTU for frag needed
  const uint8_t *body;  // after the 8-byte header
  size_t body_len;
};

// Checks length (>= 8) and checksum over the whole message.
bool icmp_parse(const uint8_t *buf, size_t len, struct icmp_hdr *out, enum net_drop_reason *why);

// Writes the 8-byte header and the checksum over header + body (body must follow in buf).
void icmp_emit(uint8_t *buf, uint8_t type, uint8_t code, uint32_t rest, size_t body_len);

static inline uint16_t icmp_echo_id(const struct icmp_hdr *h) { return (uint16_t)(h->rest >> 16); }
static inline uint16_t icmp_echo_seq(const struct icmp_hdr *h) { return (uint16_t)h->rest; }

// An ICMP error quotes the offending datagram: IP header + at least 8 bytes.
struct icmp_quote {
  uint8_t hdr_len;
  uint8_t proto;
  uint32_t src, dst;
  const uint8_t *payload;  // quoted transport bytes
  size_t payload_len;      // >= 8
};

// Parses the quoted datagram of an error message; false if it is truncated or not IPv4.
bool icmp_parse_quote(const uint8_t *body, size_t len, struct icmp_quote *out);

// True for the types that report errors about a datagram we sent.
static inline bool icmp_is_error(uint8_t type) {
  return type == ICMP_DEST_UNREACH || type == ICMP_SOURCE_QUENCH || type == ICMP_REDIRECT ||
         type == ICMP_TIME_EXCEEDED || type == ICMP_PARAM_PROBLEM;
}

#endif  // NET_ICMP_ICMP_WIRE_H_
