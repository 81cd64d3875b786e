#include "net/ipv4/ipv4_addr.h"

ipv4_addr_t ipv4_prefix_mask(unsigned prefix) {
  if (prefix == 0) return 0;
  if (prefix >= 32) return 0xffffffffu;
  return (ipv4_addr_t)(0xffffffffu << (32 - prefix));
}

bool ipv4_same_subnet(ipv4_addr_t a, ipv4_addr_t b, unsigned prefix) {
  ipv4_addr_t m = ipv4_prefix_mask(prefix);
  return (a & m) == (b & m);
}

// Parses a decimal 0..255 with 1..3 digits; advances *s.
static bool parse_octet(const char **s, uint32_t *out) {
  const char *p = *s;
  uint32_t v = 0;
  int digits = 0;
  while (*p >= '0' && *p <= '9' && digits < 4) {
    v = v * 10 + (uint32_t)(*p - '0');
    p++;
    digits++;
  }
  if (digits == 0 || digits > 3 || v > 255) return false;
  *s = p;
  *out = v;
  return true;
}

static bool parse_addr_prefix(const char **s, ipv4_addr_t *out) {
  uint32_t a = 0;
  for (int i = 0; i < 4; i++) {
    uint32_t o;
    if (!parse_octet(s, &o)) return false;
    a = (a << 8) | o;
    if (i < 3) {
      if (**s != '.') return false;
      (*s)++;
    }
  }
  *out = a;
  return true;
}

bool ipv4_addr_parse(const char *s, ipv4_addr_t *out) {
  if (!s || !out) return false;
  ipv4_addr_t a;
  if (!parse_addr_prefix(&s, &a) || *s != '\0') return false;
  *out = a;
  return true;
}

bool ipv4_cidr_parse(const char *s, ipv4_addr_t *addr, unsigned *prefix) {
  if (!s || !addr || !prefix) return false;
  ipv4_addr_t a;
  if (!parse_addr_prefix(&s, &a)) return false;
  unsigned p = 32;
  if (*s == '/') {
    s++;
    uint32_t v = 0;
    int digits = 0;
    while (*s >= '0' && *s <= '9' && digits < 3) {
      v = v * 10 + (uint32_t)(*s - '0');
      s++;
      digits++;
    }
    if (digits == 0 || v > 32) return false;
    p = v;
  }
  if (*s != '\0') return false;
  *addr = a;
  *prefix = p;
  return true;
}

char *ipv4_addr_format(ipv4_addr_t a, char *buf) {
  char *p = buf;
  for (int i = 3; i >= 0; i--) {
    unsigned o = (a >> (i * 8)) & 0xff;
    if (o >= 100) *p++ = (char)('0' + o / 100);
    if (o >= 10) *p++ = (char)('0' + (o / 10) % 10);
    *p++ = (char)('0' + o % 10);
    if (i) *p++ = '.';
  }
  *p = '\0';
  return buf;
}
