// TCP wire format: parse and emit of the header and its options (RFC 9293, 7323, 2018).
//
// Pure functions over byte buffers: no connection state, no allocation. Every length is checked
// against the bytes that actually arrived, so the parser is safe on any input (it is fuzzed).
#ifndef NET_TCP_TCP_WIRE_H_
#define NET_TCP_TCP_WIRE_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TCP_HDR_MIN 20u
#define TCP_HDR_MAX 60u
#define TCP_OPT_SPACE_MAX 40u

#define TCP_FLAG_FIN 0x01u
#define TCP_FLAG_SYN 0x02u
#define TCP_FLAG_RST 0x04u
#define TCP_FLAG_PSH 0x08u
#define TCP_FLAG_ACK 0x10u
#define TCP_FLAG_URG 0x20u
#define TCP_FLAG_ECE 0x40u
#define TCP_FLAG_CWR 0x80u

// Option kinds.
#define TCP_OPTKIND_EOL 0u
#define TCP_OPTKIND_NOP 1u
#define TCP_OPTKIND_MSS 2u
#define TCP_OPTKIND_WSCALE 3u
#define TCP_OPTKIND_SACK_PERM 4u
#define TCP_OPTKIND_SACK 5u
#define TCP_OPTKIND_TS 8u

// Bits of tcp_opts_t.present.
#define TCP_OPT_MSS 0x01u
#define TCP_OPT_WSCALE 0x02u
#define TCP_OPT_SACK_PERM 0x04u
#define TCP_OPT_SACK 0x08u
#define TCP_OPT_TS 0x10u

// RFC 7323 section 2.3: a shift above 14 is treated as 14.
#define TCP_WSCALE_MAX 14u
// 40 option bytes hold at most four SACK blocks (three next to a timestamp).
#define TCP_SACK_MAX_BLOCKS 4u

typedef struct {
  uint32_t left;   // first sequence number of the block
  uint32_t right;  // sequence number just past the block
} tcp_sack_block_t;

typedef struct {
  uint8_t present;  // TCP_OPT_* bits
  // Set when an option's length byte was missing, below 2 or ran past the header: parsing stops
  // there (options before it are kept), the segment itself stays usable, as other stacks do.
  bool malformed;
  uint16_t mss;
  uint8_t wscale;  // already clamped to TCP_WSCALE_MAX
  uint8_t sack_count;
  uint32_t tsval;
  uint32_t tsecr;
  tcp_sack_block_t sack[TCP_SACK_MAX_BLOCKS];
} tcp_opts_t;

typedef struct {
  uint16_t sport;
  uint16_t dport;
  uint32_t seq;
  uint32_t ack;
  uint8_t hlen;  // header length in bytes, options included
  uint8_t flags;
  uint16_t wnd;
  uint16_t csum;
  uint16_t urp;
  tcp_opts_t opt;
  const uint8_t* payload;  // points into the parsed buffer
  size_t payload_len;
} tcp_segment_t;

typedef enum {
  TCP_WIRE_OK = 0,
  TCP_WIRE_TRUNCATED,   // fewer than 20 bytes, or fewer than the data offset claims
  TCP_WIRE_BAD_OFFSET,  // data offset below 5 words
  TCP_WIRE_NO_SPACE,    // emit: buffer too small, or options exceed 40 bytes
  TCP_WIRE_BAD_ARG,     // emit: option values out of range
} tcp_wire_status_t;

const char* tcp_wire_status_str(tcp_wire_status_t st);

// Parses a TCP segment (header, options, payload). Does not verify the checksum; see
// tcp_wire_checksum. On error *out is left zeroed.
tcp_wire_status_t tcp_wire_parse(const uint8_t* buf, size_t len, tcp_segment_t* out);

// Parses an option area of `len` bytes. Unknown options are skipped by their length byte.
void tcp_wire_parse_options(const uint8_t* opts, size_t len, tcp_opts_t* out);

// Bytes the options in `o` occupy on the wire, padded to a multiple of 4 (0 if none).
// Returns a value above TCP_OPT_SPACE_MAX when they do not fit.
size_t tcp_wire_options_len(const tcp_opts_t* o);

// Writes the header of `seg` (ports, numbers, flags, window, urgent pointer and seg->opt) to
// buf. The payload is not copied and the checksum field is written as seg->csum. seg->hlen is
// ignored (computed from the options). *hdr_len receives the header length.
tcp_wire_status_t tcp_wire_emit(uint8_t* buf, size_t cap, const tcp_segment_t* seg,
                                size_t* hdr_len);

// Internet checksum of the IPv4 pseudo header (addresses in host order, protocol 6, length)
// followed by the `len` bytes of the segment. With the checksum field zeroed the result is the
// value to store; over a received segment with its checksum in place a correct segment gives 0.
uint16_t tcp_wire_checksum(uint32_t src_ip, uint32_t dst_ip, const uint8_t* seg, size_t len);

#ifdef __cplusplus
}
#endif

#endif  // NET_TCP_TCP_WIRE_H_
