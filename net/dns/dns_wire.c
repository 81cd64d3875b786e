#include "net/dns/dns_wire.h"

#include <string.h>

static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }

static bool label_char_ok(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

bool dns_name_valid(const char *name) {
  if (!name) return false;
  size_t n = strlen(name);
  if (n > 0 && name[n - 1] == '.') n--;
  if (n == 0 || n > 253) return false;
  size_t label = 0;
  for (size_t i = 0; i < n; i++) {
    if (name[i] == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    if (!label_char_ok(name[i]) || ++label > 63) return false;
  }
  return label > 0;
}

int dns_build_query(uint8_t *buf, size_t cap, uint16_t id, const char *name, uint16_t qtype) {
  if (!dns_name_valid(name)) return -1;
  size_t n = strlen(name);
  if (name[n - 1] == '.') n--;
  // Header + (n + 2) bytes of encoded name + type + class.
  size_t need = DNS_HDR_LEN + n + 2 + 4;
  if (cap < need) return -1;
  memset(buf, 0, DNS_HDR_LEN);
  net_put16(buf, id);
  buf[2] = 0x01;  // RD: recursion desired
  net_put16(buf + 4, 1);
  uint8_t *p = buf + DNS_HDR_LEN;
  size_t start = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i == n || name[i] == '.') {
      *p++ = (uint8_t)(i - start);
      memcpy(p, name + start, i - start);
      p += i - start;
      start = i + 1;
    }
  }
  *p++ = 0;
  net_put16(p, qtype);
  net_put16(p + 2, DNS_CLASS_IN);
  p += 4;
  return (int)(p - buf);
}

int dns_read_name(const uint8_t *msg, size_t len, size_t off, char *out) {
  size_t pos = off;
  int end = -1;        // where parsing continues in the caller's record
  size_t text = 0;     // characters written
  size_t wire = 0;     // encoded length, limited to 255
  size_t limit = off;  // a pointer must go strictly below the start of the current run
  unsigned hops = 0;
  out[0] = '\0';
  for (;;) {
    if (pos >= len) return -1;
    uint8_t l = msg[pos];
    if ((l & 0xc0) == 0xc0) {
      if (pos + 1 >= len) return -1;
      size_t target = (size_t)((l & 0x3f) << 8 | msg[pos + 1]);
      if (target >= limit || ++hops > 127) return -1;
      if (end < 0) end = (int)(pos + 2);
      pos = target;
      limit = target;
      continue;
    }
    if (l & 0xc0) return -1;  // 0x40 and 0x80: extended/reserved label types
    if (l == 0) {
      if (end < 0) end = (int)(pos + 1);
      out[text] = '\0';
      return end;
    }
    wire += (size_t)l + 1;
    if (wire + 1 > 255 || pos + 1 + l > len) return -1;
    if (text) out[text++] = '.';
    for (size_t i = 0; i < l; i++) {
      char c = (char)msg[pos + 1 + i];
      // Printable, and never a dot inside a label: text comparisons must stay unambiguous.
      if (c <= 0x20 || c >= 0x7f || c == '.') return -1;
      out[text++] = lower(c);
    }
    pos += 1 + (size_t)l;
  }
}

bool dns_name_equal(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la && a[la - 1] == '.') la--;
  if (lb && b[lb - 1] == '.') lb--;
  if (la != lb) return false;
  for (size_t i = 0; i < la; i++) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

struct rr {
  uint16_t type, cls;
  uint32_t ttl;
  size_t rdata, rdlen;
};

// Reads one resource record's owner and fixed fields; returns offset after it or -1.
static int read_rr(const uint8_t *msg, size_t len, size_t off, char *owner, struct rr *rr) {
  int p = dns_read_name(msg, len, off, owner);
  if (p < 0 || (size_t)p + 10 > len) return -1;
  rr->type = net_get16(msg + p);
  rr->cls = net_get16(msg + p + 2);
  rr->ttl = net_get32(msg + p + 4);
  // RFC 2181 8: a TTL with the top bit set is treated as zero.
  if (rr->ttl & 0x80000000u) rr->ttl = 0;
  rr->rdlen = net_get16(msg + p + 8);
  rr->rdata = (size_t)p + 10;
  if (rr->rdata + rr->rdlen > len) return -1;
  return (int)(rr->rdata + rr->rdlen);
}

enum dns_parse_status dns_parse_response(const uint8_t *msg, size_t len, uint16_t id,
                                         const char *qname, uint16_t qtype,
                                         struct dns_response *out) {
  memset(out, 0, sizeof(*out));
  if (len < DNS_HDR_LEN) return DNS_PARSE_MALFORMED;
  out->id = net_get16(msg);
  if (out->id != id || !(msg[2] & 0x80)) return DNS_PARSE_MISMATCH;
  if (((msg[2] >> 3) & 0xf) != 0) return DNS_PARSE_MISMATCH;  // opcode QUERY
  out->authoritative = (msg[2] & 0x04) != 0;
  out->truncated = (msg[2] & 0x02) != 0;
  out->rcode = msg[3] & 0x0f;
  uint16_t qd = net_get16(msg + 4), an = net_get16(msg + 6);
  if (qd != 1) return DNS_PARSE_MISMATCH;
  char name[DNS_NAME_BUF];
  int p = dns_read_name(msg, len, DNS_HDR_LEN, name);
  if (p < 0 || (size_t)p + 4 > len) return DNS_PARSE_MALFORMED;
  if (!dns_name_equal(name, qname) || net_get16(msg + p) != qtype ||
      net_get16(msg + p + 2) != DNS_CLASS_IN) {
    return DNS_PARSE_MISMATCH;
  }
  size_t answers = (size_t)p + 4;
  if (an > DNS_MAX_ANSWERS) an = DNS_MAX_ANSWERS;
  // Validate every answer record once so later scans cannot fail halfway.
  size_t off = answers;
  for (unsigned i = 0; i < an; i++) {
    struct rr rr;
    int next = read_rr(msg, len, off, name, &rr);
    if (next < 0) return DNS_PARSE_MALFORMED;
    off = (size_t)next;
  }
  // Follow the chain: each hop rescans the (bounded) answer section.
  char cur[DNS_NAME_BUF], target[DNS_NAME_BUF];
  size_t ql = strlen(qname);
  if (ql >= DNS_NAME_BUF) return DNS_PARSE_MISMATCH;
  memcpy(cur, qname, ql + 1);
  if (ql && cur[ql - 1] == '.') cur[ql - 1] = '\0';
  uint32_t ttl = UINT32_MAX;
  for (;;) {
    bool moved = false;
    off = answers;
    for (unsigned i = 0; i < an && !moved; i++) {
      struct rr rr;
      off = (size_t)read_rr(msg, len, off, name, &rr);
      if (rr.type != DNS_TYPE_CNAME || rr.cls != DNS_CLASS_IN || !dns_name_equal(name, cur)) {
        continue;
      }
      if (dns_read_name(msg, rr.rdata + rr.rdlen, rr.rdata, target) < 0 || target[0] == '\0') {
        return DNS_PARSE_MALFORMED;
      }
      if (++out->cname_hops > NET_DNS_MAX_CNAME_CHAIN) return DNS_PARSE_MALFORMED;
      if (rr.ttl < ttl) ttl = rr.ttl;
      memcpy(cur, target, sizeof(cur));
      moved = true;
    }
    if (!moved) break;
  }
  memcpy(out->canonical, cur, sizeof(cur));
  off = answers;
  for (unsigned i = 0; i < an; i++) {
    struct rr rr;
    off = (size_t)read_rr(msg, len, off, name, &rr);
    if (rr.cls != DNS_CLASS_IN || !dns_name_equal(name, cur)) continue;
    if (rr.type == DNS_TYPE_A && rr.rdlen == 4) {
      if (out->a_count < NET_DNS_MAX_ADDRS) out->a[out->a_count++] = net_get32(msg + rr.rdata);
      if (rr.ttl < ttl) ttl = rr.ttl;
    } else if (rr.type == DNS_TYPE_AAAA && rr.rdlen == 16) {
      if (out->aaaa_count < NET_DNS_MAX_ADDRS)
        memcpy(out->aaaa[out->aaaa_count++], msg + rr.rdata, 16);
      if (rr.ttl < ttl) ttl = rr.ttl;
    } else if ((rr.type == DNS_TYPE_A || rr.type == DNS_TYPE_AAAA)) {
      return DNS_PARSE_MALFORMED;  // wrong address length
    }
  }
  out->ttl = ttl == UINT32_MAX ? 0 : ttl;
  return DNS_PARSE_OK;
}
