// Fuzzes the text parsers of netconv.c with cross-checks: whatever vdos_ipv4_parse accepts must
// format back to the same text and be accepted by the legacy parser with the same value; ports
// must round-trip through decimal; getaddrinfo's numeric path must agree with the parsers.
// Input: byte 0 selects the getaddrinfo flags, the rest is split at the first NUL into host and
// service text.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/fuzz/fuzz_seeds.h"
#include "user/libc/netconv.h"

static const uint8_t kQuad[] = {0, '1', '0', '.', '0', '.', '2', '.', '2', 0, '8', '0'};
static const uint8_t kLegacy[] = {0, '0', 'x', '7', 'f', '.', '1', 0, '0'};
static const uint8_t kName[] = {1, 'n', 'a', 'm', 'e', '.', 't', 'e', 's', 't', 0, '4', '4', '3'};
static const struct fuzz_seed kSeeds[] = {FUZZ_SEED(kQuad), FUZZ_SEED(kLegacy), FUZZ_SEED(kName)};
const struct fuzz_seed *fuzz_seeds(size_t *count) {
  *count = sizeof(kSeeds) / sizeof(kSeeds[0]);
  return kSeeds;
}

static void check(int ok, const char *what, const char *text) {
  if (!ok) {
    fprintf(stderr, "netconv_fuzz: %s for \"%s\"\n", what, text);
    abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > 512) return 0;
  char text[512];
  memcpy(text, data + 1, size - 1);
  text[size - 1] = '\0';
  const char *host = text;
  size_t host_len = strlen(host);
  const char *service = host_len + 1 < size - 1 ? text + host_len + 1 : NULL;

  uint32_t a, b;
  if (vdos_ipv4_parse(host, &a)) {
    char back[VDOS_IPV4_TEXT_MAX];
    check(vdos_ipv4_format(a, back, sizeof(back)) == host_len, "format length", host);
    check(strcmp(back, host) == 0, "format round trip", host);
    check(vdos_ipv4_parse_legacy(host, &b) && a == b, "legacy parser disagrees", host);
  }
  if (vdos_ipv4_parse_legacy(host, &b)) {
    // Every accepted address formats, and the canonical text parses back strictly.
    char back[VDOS_IPV4_TEXT_MAX];
    check(vdos_ipv4_format(b, back, sizeof(back)) > 0, "format", host);
    check(vdos_ipv4_parse(back, &a) && a == b, "canonical text", host);
  }
  uint16_t port;
  if (vdos_port_parse(host, &port)) {
    char back[8];
    snprintf(back, sizeof(back), "%u", port);
    check(strtoul(host, NULL, 10) == port, "port value", host);
  }
  static const int kFlags[] = {0, VDOS_AI_PASSIVE, VDOS_AI_NUMERICHOST, VDOS_AI_CANONNAME, 0x8000};
  int flags = kFlags[data[0] % (sizeof(kFlags) / sizeof(kFlags[0]))];
  const char *node = (data[0] & 0x80) ? NULL : host;
  int r = vdos_gai_numeric(node, service, flags, &a, &port);
  if (r == VDOS_GAI_DONE && node) {
    check(vdos_ipv4_parse(node, &b) && a == b, "getaddrinfo numeric address", node);
  }
  if (r == VDOS_GAI_DNS) check(!vdos_ipv4_parse(node, &b), "numeric host sent to DNS", node);
  if (r >= 0 && service) {
    uint16_t p2;
    check(vdos_port_parse(service, &p2) && p2 == port, "getaddrinfo port", service);
  }
  check(r <= VDOS_GAI_DNS && (r >= 0 || vdos_gai_text(r) != NULL), "result code", host);
  return 0;
}
