// Pure helpers of the kernel TLS client (see ktls_fmt.h). Everything here reads bytes that came
// from the peer (certificate dates and names) or from a program (ALPN), so every index is checked
// against the length that actually arrived.
#include "kernel/tls/ktls_fmt.h"

#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include "kernel/abi/syscalls.h"

#define ASN_TAG_UTC_TIME 0x17
#define ASN_TAG_GENERALIZED_TIME 0x18

// TLS alert descriptions (RFC 8446 section 6) the reasons depend on.
#define ALERT_PROTOCOL_VERSION 70

static int digits(const uint8_t *p, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (p[i] < '0' || p[i] > '9') return -1;
    v = v * 10 + (p[i] - '0');
  }
  *out = v;
  return 0;
}

static void put2(char *o, int v) {
  o[0] = (char)('0' + (v / 10) % 10);
  o[1] = (char)('0' + v % 10);
}

int ktls_fmt_time(const uint8_t *raw, size_t rawlen, char *out, size_t cap) {
  static const char kFail[] = "?";
  if (cap == 0) return -1;
  out[0] = '\0';
  if (cap < 24) return -1;
  __builtin_memcpy(out, kFail, sizeof(kFail));
  if (raw == NULL || rawlen < 2) return -1;
  size_t len = raw[1];
  if (len > rawlen - 2) return -1;
  const uint8_t *t = raw + 2;
  int year, mon, day, hour, min, sec;
  size_t ylen;
  if (raw[0] == ASN_TAG_UTC_TIME && len == 13) {
    ylen = 2;
    if (digits(t, 2, &year)) return -1;
    // RFC 5280 4.1.2.5.1: YY >= 50 is 19YY, else 20YY.
    year += year >= 50 ? 1900 : 2000;
  } else if (raw[0] == ASN_TAG_GENERALIZED_TIME && len == 15) {
    ylen = 4;
    if (digits(t, 4, &year)) return -1;
  } else {
    return -1;
  }
  const uint8_t *r = t + ylen;
  if (digits(r, 2, &mon) || digits(r + 2, 2, &day) || digits(r + 4, 2, &hour) ||
      digits(r + 6, 2, &min) || digits(r + 8, 2, &sec) || r[10] != 'Z') {
    return -1;
  }
  if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60) return -1;
  // "YYYY-MM-DD HH:MM:SS UTC"
  put2(out, year / 100);
  put2(out + 2, year % 100);
  out[4] = '-';
  put2(out + 5, mon);
  out[7] = '-';
  put2(out + 8, day);
  out[10] = ' ';
  put2(out + 11, hour);
  out[13] = ':';
  put2(out + 14, min);
  out[16] = ':';
  put2(out + 17, sec);
  __builtin_memcpy(out + 19, " UTC", 5);
  return 0;
}

static int is_attr_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.';
}

// 1 when in[i] is '/' starting a new "KEY=" component (a '/' inside a value is not).
static int starts_component(const char *in, size_t n, size_t i) {
  if (in[i] != '/') return 0;
  size_t j = i + 1;
  while (j < n && is_attr_char(in[j])) j++;
  return j > i + 1 && j < n && in[j] == '=';
}

void ktls_fmt_name(const char *in, size_t inlen, char *out, size_t cap) {
  if (cap == 0) return;
  out[0] = '\0';
  if (in == NULL) return;
  size_t n = 0;
  while (n < inlen && in[n] != '\0') n++;
  size_t o = 0;
  // Walk the components from the last to the first: RFC 4514 writes the most specific first.
  size_t end = n;
  size_t i = n;
  while (i > 0) {
    i--;
    if (!starts_component(in, n, i) && i != 0) continue;
    size_t start = in[i] == '/' ? i + 1 : i;
    if (end > start) {
      if (o > 0 && o + 2 < cap) {
        out[o++] = ',';
        out[o++] = ' ';
      }
      for (size_t k = start; k < end && o + 1 < cap; k++) out[o++] = in[k];
    }
    end = i;
  }
  out[o] = '\0';
}

int ktls_alpn_valid(const char *list, size_t max) {
  if (list == NULL) return 0;
  size_t n = 0, item = 0;
  for (; list[n] != '\0'; n++) {
    if (n >= max) return 0;
    unsigned char c = (unsigned char)list[n];
    if (c == ',') {
      if (item == 0) return 0;
      item = 0;
      continue;
    }
    if (c <= ' ' || c >= 0x7f) return 0;
    if (++item > 255) return 0;
  }
  return n > 0 && item > 0;
}

static int cert_reason(int e) {
  switch (e) {
    case 0:
      return 0;
    case ASN_NO_SIGNER_E:
    case ASN_SELF_SIGNED_E:
      return VDOS_ETLS_UNKNOWN_CA;
    case DOMAIN_NAME_MISMATCH:
    case IPADDR_MISMATCH:
      return VDOS_ETLS_NAME_MISMATCH;
    case ASN_AFTER_DATE_E:
      return VDOS_ETLS_EXPIRED;
    case ASN_BEFORE_DATE_E:
      return VDOS_ETLS_NOT_YET_VALID;
    default:
      // wolfCrypt's ASN/certificate errors are -140..-299 (error-crypt.h); VERIFY_CERT_ERROR and
      // friends come from the TLS layer.
      if ((e <= -140 && e > MIN_CODE_E) || e == VERIFY_CERT_ERROR || e == VERIFY_SIGN_ERROR) {
        return VDOS_ETLS_BAD_CERT;
      }
      return -1;
  }
}

int ktls_reason(int wolf_err, int verify_err, int alert_rx) {
  int r = cert_reason(verify_err);
  if (r > 0) return r;
  if (verify_err != 0) return VDOS_ETLS_BAD_CERT;
  r = cert_reason(wolf_err);
  if (r > 0) return r;
  // A server without TLS 1.3 either answers with an older ServerHello (VERSION_ERROR) or, seeing
  // only 0x0304 in supported_versions, refuses with a protocol_version alert.
  if (wolf_err == VERSION_ERROR || alert_rx == ALERT_PROTOCOL_VERSION) return VDOS_ETLS_VERSION;
  if (wolf_err == SOCKET_PEER_CLOSED_E) return VDOS_ETLS_TRUNCATED;
  return VDOS_ETLS_HANDSHAKE;
}

const char *ktls_suite_name(uint8_t suite0, uint8_t suite) {
  if (suite0 != 0x13) return NULL;
  switch (suite) {
    case 0x01:
      return "TLS_AES_128_GCM_SHA256";
    case 0x02:
      return "TLS_AES_256_GCM_SHA384";
    case 0x03:
      return "TLS_CHACHA20_POLY1305_SHA256";
    default:
      return NULL;
  }
}

const char *ktls_group_name(unsigned group) {
  switch (group) {
    case 23:
      return "P-256";
    case 24:
      return "P-384";
    case 29:
      return "X25519";
    default:
      return NULL;
  }
}
