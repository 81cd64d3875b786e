// DNS message encoding and decoding (RFC 1035) for a stub resolver (no state). Name decoding
// follows RFC 9267: every read is bounds-checked, compression pointers must point strictly
// backwards (so they cannot loop), labels are at most 63 bytes, names at most 255 bytes,
// reserved label types are rejected.
#ifndef NET_DNS_DNS_WIRE_H_
#define NET_DNS_DNS_WIRE_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/net_opts.h"
#include "net/ipv4/ipv4_addr.h"

#define DNS_PORT 53
#define DNS_HDR_LEN 12
#define DNS_TYPE_A 1
#define DNS_TYPE_CNAME 5
#define DNS_TYPE_AAAA 28
#define DNS_CLASS_IN 1
#define DNS_RCODE_NOERROR 0
#define DNS_RCODE_SERVFAIL 2
#define DNS_RCODE_NXDOMAIN 3
#define DNS_RCODE_REFUSED 5
// Text form of a name: up to 253 characters + NUL (we keep 256 for slack).
#define DNS_NAME_BUF 256
// Answer records examined per response; the rest are ignored.
#define DNS_MAX_ANSWERS 64

// Checks a name given by a user: 1..253 characters, labels 1..63 of letters, digits, '-' and
// '_', an optional trailing dot.
bool dns_name_valid(const char *name);

// Encodes a recursive query for (name, qtype, IN). Returns its length, or -1 if the name is
// invalid or cap too small.
int dns_build_query(uint8_t *buf, size_t cap, uint16_t id, const char *name, uint16_t qtype);

// Decodes the name at `off`, writes lowercase dotted text (no trailing dot; "" for the root) to
// out[DNS_NAME_BUF]. Returns the offset just past the name where it started (not where a
// pointer led), or -1 if malformed.
int dns_read_name(const uint8_t *msg, size_t len, size_t off, char *out);

// Case-insensitive comparison of dotted names, ignoring one trailing dot on either side.
bool dns_name_equal(const char *a, const char *b);

struct dns_response {
  uint16_t id;
  uint8_t rcode;
  bool truncated;
  bool authoritative;
  char canonical[DNS_NAME_BUF];  // end of the CNAME chain (the query name when there is none)
  unsigned cname_hops;
  ipv4_addr_t a[NET_DNS_MAX_ADDRS];
  unsigned a_count;
  uint8_t aaaa[NET_DNS_MAX_ADDRS][16];
  unsigned aaaa_count;
  uint32_t ttl;  // minimum TTL of the records used (CNAMEs and addresses)
};

enum dns_parse_status {
  DNS_PARSE_OK = 0,
  DNS_PARSE_MALFORMED,  // truncated, bad name, bad counts
  DNS_PARSE_MISMATCH,   // not a response to this query (id, QR, question)
};

// Parses a response to the query (id, qname, qtype). Follows the CNAME chain from qname (at most
// NET_DNS_MAX_CNAME_CHAIN hops; a longer or looping chain is MALFORMED) and collects A and AAAA
// records owned by its end.
enum dns_parse_status dns_parse_response(const uint8_t *msg, size_t len, uint16_t id,
                                         const char *qname, uint16_t qtype,
                                         struct dns_response *out);

#endif  // NET_DNS_DNS_WIRE_H_
