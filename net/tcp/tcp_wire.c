// TCP header and option parse/emit. See tcp_wire.h.
#include "net/tcp/tcp_wire.h"

#include <string.h>

static uint16_t rd16(const uint8_t* p) { return (uint16_t)((p[0] << 8) | p[1]); }
static uint32_t rd32(const uint8_t* p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static void wr16(uint8_t* p, uint16_t v) {
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
}
static void wr32(uint8_t* p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

const char* tcp_wire_status_str(tcp_wire_status_t st) {
  switch (st) {
    case TCP_WIRE_OK:
      return "ok";
    case TCP_WIRE_TRUNCATED:
      return "truncated segment";
    case TCP_WIRE_BAD_OFFSET:
      return "data offset below 20 bytes";
    case TCP_WIRE_NO_SPACE:
      return "no space for header";
    case TCP_WIRE_BAD_ARG:
      return "option value out of range";
  }
  return "unknown";
}

void tcp_wire_parse_options(const uint8_t* opts, size_t len, tcp_opts_t* out) {
  memset(out, 0, sizeof(*out));
  size_t i = 0;
  // Every iteration advances i by at least 1, so the loop ends after at most `len` steps.
  while (i < len) {
    uint8_t kind = opts[i];
    if (kind == TCP_OPTKIND_EOL) break;
    if (kind == TCP_OPTKIND_NOP) {
      i++;
      continue;
    }
    if (i + 1 >= len) {  // no length byte
      out->malformed = true;
      break;
    }
    uint8_t olen = opts[i + 1];
    if (olen < 2 || olen > len - i) {
      out->malformed = true;
      break;
    }
    const uint8_t* v = opts + i + 2;
    // A known kind with the wrong length is skipped whole, like an unknown option: its length byte
    // is still trustworthy enough to find the next option.
    switch (kind) {
      case TCP_OPTKIND_MSS:
        if (olen == 4) {
          out->present |= TCP_OPT_MSS;
          out->mss = rd16(v);
        }
        break;
      case TCP_OPTKIND_WSCALE:
        if (olen == 3) {
          out->present |= TCP_OPT_WSCALE;
          out->wscale = v[0] > TCP_WSCALE_MAX ? TCP_WSCALE_MAX : v[0];
        }
        break;
      case TCP_OPTKIND_SACK_PERM:
        if (olen == 2) out->present |= TCP_OPT_SACK_PERM;
        break;
      case TCP_OPTKIND_SACK:
        if (olen >= 10 && (olen - 2) % 8 == 0 && (olen - 2) / 8 <= TCP_SACK_MAX_BLOCKS) {
          out->present |= TCP_OPT_SACK;
          out->sack_count = (uint8_t)((olen - 2) / 8);
          for (unsigned b = 0; b < out->sack_count; b++) {
            out->sack[b].left = rd32(v + 8 * b);
            out->sack[b].right = rd32(v + 8 * b + 4);
          }
        }
        break;
      case TCP_OPTKIND_TS:
        if (olen == 10) {
          out->present |= TCP_OPT_TS;
          out->tsval = rd32(v);
          out->tsecr = rd32(v + 4);
        }
        break;
      default:
        break;
    }
    i += olen;
  }
}

tcp_wire_status_t tcp_wire_parse(const uint8_t* buf, size_t len, tcp_segment_t* out) {
  memset(out, 0, sizeof(*out));
  if (buf == NULL || len < TCP_HDR_MIN) return TCP_WIRE_TRUNCATED;
  size_t hlen = (size_t)(buf[12] >> 4) * 4;
  if (hlen < TCP_HDR_MIN) return TCP_WIRE_BAD_OFFSET;
  if (hlen > len) return TCP_WIRE_TRUNCATED;
  tcp_segment_t s;
  memset(&s, 0, sizeof(s));
  s.sport = rd16(buf);
  s.dport = rd16(buf + 2);
  s.seq = rd32(buf + 4);
  s.ack = rd32(buf + 8);
  s.hlen = (uint8_t)hlen;
  s.flags = buf[13];
  s.wnd = rd16(buf + 14);
  s.csum = rd16(buf + 16);
  s.urp = rd16(buf + 18);
  tcp_wire_parse_options(buf + TCP_HDR_MIN, hlen - TCP_HDR_MIN, &s.opt);
  s.payload = buf + hlen;
  s.payload_len = len - hlen;
  *out = s;
  return TCP_WIRE_OK;
}

size_t tcp_wire_options_len(const tcp_opts_t* o) {
  size_t n = 0;
  if (o->present & TCP_OPT_MSS) n += 4;
  // SACK-permitted and timestamps pack into 12 bytes together; alone each is padded with NOPs.
  if ((o->present & TCP_OPT_SACK_PERM) && (o->present & TCP_OPT_TS)) {
    n += 12;
  } else {
    if (o->present & TCP_OPT_SACK_PERM) n += 4;
    if (o->present & TCP_OPT_TS) n += 12;
  }
  if (o->present & TCP_OPT_WSCALE) n += 4;
  if ((o->present & TCP_OPT_SACK) && o->sack_count > 0) n += 4 + 8u * o->sack_count;
  return n;
}

tcp_wire_status_t tcp_wire_emit(uint8_t* buf, size_t cap, const tcp_segment_t* seg,
                                size_t* hdr_len) {
  const tcp_opts_t* o = &seg->opt;
  if ((o->present & TCP_OPT_WSCALE) && o->wscale > TCP_WSCALE_MAX) return TCP_WIRE_BAD_ARG;
  if ((o->present & TCP_OPT_SACK) && o->sack_count > TCP_SACK_MAX_BLOCKS) return TCP_WIRE_BAD_ARG;
  size_t olen = tcp_wire_options_len(o);
  if (olen > TCP_OPT_SPACE_MAX) return TCP_WIRE_NO_SPACE;
  size_t hlen = TCP_HDR_MIN + olen;
  if (buf == NULL || cap < hlen) return TCP_WIRE_NO_SPACE;

  wr16(buf, seg->sport);
  wr16(buf + 2, seg->dport);
  wr32(buf + 4, seg->seq);
  wr32(buf + 8, seg->ack);
  buf[12] = (uint8_t)((hlen / 4) << 4);
  buf[13] = seg->flags;
  wr16(buf + 14, seg->wnd);
  wr16(buf + 16, seg->csum);
  wr16(buf + 18, seg->urp);

  uint8_t* p = buf + TCP_HDR_MIN;
  if (o->present & TCP_OPT_MSS) {
    p[0] = TCP_OPTKIND_MSS;
    p[1] = 4;
    wr16(p + 2, o->mss);
    p += 4;
  }
  bool sp = (o->present & TCP_OPT_SACK_PERM) != 0;
  bool ts = (o->present & TCP_OPT_TS) != 0;
  if (sp && ts) {
    p[0] = TCP_OPTKIND_SACK_PERM;
    p[1] = 2;
    p += 2;
  } else if (sp) {
    p[0] = TCP_OPTKIND_NOP;
    p[1] = TCP_OPTKIND_NOP;
    p[2] = TCP_OPTKIND_SACK_PERM;
    p[3] = 2;
    p += 4;
  } else if (ts) {
    p[0] = TCP_OPTKIND_NOP;
    p[1] = TCP_OPTKIND_NOP;
    p += 2;
  }
  if (ts) {
    p[0] = TCP_OPTKIND_TS;
    p[1] = 10;
    wr32(p + 2, o->tsval);
    wr32(p + 6, o->tsecr);
    p += 10;
  }
  if (o->present & TCP_OPT_WSCALE) {
    p[0] = TCP_OPTKIND_NOP;
    p[1] = TCP_OPTKIND_WSCALE;
    p[2] = 3;
    p[3] = o->wscale;
    p += 4;
  }
  if ((o->present & TCP_OPT_SACK) && o->sack_count > 0) {
    p[0] = TCP_OPTKIND_NOP;
    p[1] = TCP_OPTKIND_NOP;
    p[2] = TCP_OPTKIND_SACK;
    p[3] = (uint8_t)(2 + 8 * o->sack_count);
    p += 4;
    for (unsigned b = 0; b < o->sack_count; b++) {
      wr32(p, o->sack[b].left);
      wr32(p + 4, o->sack[b].right);
      p += 8;
    }
  }
  *hdr_len = hlen;
  return TCP_WIRE_OK;
}

uint16_t tcp_wire_checksum(uint32_t src_ip, uint32_t dst_ip, const uint8_t* seg, size_t len) {
  // The data is summed as native-order 32-bit halves of 8-byte words (memcpy: no alignment
  // assumed) and swapped to network order once at the end: the one's-complement sum commutes
  // with byte swapping (RFC 1071 section 2B). A quarter of the iterations of a 16-bit loop,
  // which matters at hundreds of MB/s.
  uint64_t acc = 0;
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t w;
    memcpy(&w, seg + i, 8);
    acc += (w & 0xffffffffu) + (w >> 32);
  }
  for (; i + 2 <= len; i += 2) {
    uint16_t h;
    memcpy(&h, seg + i, 2);
    acc += h;
  }
  while (acc >> 16) acc = (acc & 0xffff) + (acc >> 16);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  acc = ((acc & 0xff) << 8) | (acc >> 8);
#endif
  uint64_t sum = acc;
  if (i < len) sum += (uint32_t)(seg[i] << 8);  // odd trailing byte, padded with zero
  sum += (src_ip >> 16) + (src_ip & 0xffff);
  sum += (dst_ip >> 16) + (dst_ip & 0xffff);
  sum += 6;  // protocol
  sum += (uint64_t)len;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return (uint16_t)~sum;
}
