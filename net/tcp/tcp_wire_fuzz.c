// libFuzzer target for the TCP segment and option parser. Beyond "no crash", it checks that what
// the parser reports stays inside the input and that emitting the parsed options and parsing them
// again gives the same options.
#include <stdlib.h>
#include <string.h>

#include "net/tcp/tcp_wire.h"

static void check(int cond) {
  if (!cond) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tcp_segment_t seg;
  tcp_wire_status_t st = tcp_wire_parse(data, size, &seg);
  if (st != TCP_WIRE_OK) return 0;
  check(seg.hlen >= TCP_HDR_MIN && seg.hlen <= size && seg.hlen <= TCP_HDR_MAX);
  check(seg.payload == data + seg.hlen && seg.payload_len == size - seg.hlen);
  check(seg.opt.sack_count <= TCP_SACK_MAX_BLOCKS);
  check(seg.opt.wscale <= TCP_WSCALE_MAX);
  if (tcp_wire_options_len(&seg.opt) <= TCP_OPT_SPACE_MAX) {
    uint8_t out[TCP_HDR_MAX];
    size_t hl = 0;
    check(tcp_wire_emit(out, sizeof(out), &seg, &hl) == TCP_WIRE_OK);
    tcp_segment_t again;
    check(tcp_wire_parse(out, hl, &again) == TCP_WIRE_OK);
    check(again.opt.present == seg.opt.present);
    check(!again.opt.malformed);
    check(again.seq == seg.seq && again.ack == seg.ack && again.flags == seg.flags);
    if (seg.opt.present & TCP_OPT_MSS) check(again.opt.mss == seg.opt.mss);
    if (seg.opt.present & TCP_OPT_WSCALE) check(again.opt.wscale == seg.opt.wscale);
    if (seg.opt.present & TCP_OPT_TS) {
      check(again.opt.tsval == seg.opt.tsval && again.opt.tsecr == seg.opt.tsecr);
    }
    if (seg.opt.present & TCP_OPT_SACK) {
      check(again.opt.sack_count == seg.opt.sack_count);
      check(memcmp(again.opt.sack, seg.opt.sack, seg.opt.sack_count * sizeof(seg.opt.sack[0])) ==
            0);
    }
  }
  return 0;
}
