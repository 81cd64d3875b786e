// DNS responses: the pure parser (with RFC 9267 name decoding), and the resolver's state machine
// fed the same bytes as the answer to its pending query (id patched in, from the server's port).
#include <string.h>

#include "net/dns/dns_wire.h"
#include "net/fuzz/fuzz_stack.h"
#include "tools/fuzz/fuzz_seeds.h"

// www.example.test CNAME real.example.test (compressed), real.example.test A 10.0.0.9.
static const uint8_t kCname[] = {
    0,   0,   0x81, 0x80, 0,   1,   0, 2,   0,   0,   0,   0,   3,   'w', 'w', 'w',  7,    'e',
    'x', 'a', 'm',  'p',  'l', 'e', 4, 't', 'e', 's', 't', 0,   0,   1,   0,   1,    0xc0, 12,
    0,   5,   0,    1,    0,   0,   0, 60,  0,   7,   4,   'r', 'e', 'a', 'l', 0xc0, 16,   0xc0,
    46,  0,   1,    0,    1,   0,   0, 0,   60,  0,   4,   10,  0,   0,   9};
// NXDOMAIN.
static const uint8_t kNx[] = {0, 0,   0x81, 0x83, 0,   1,   0,   0,   0,   0,   0,   0,
                              3, 'w', 'w',  'w',  7,   'e', 'x', 'a', 'm', 'p', 'l', 'e',
                              4, 't', 'e',  's',  't', 0,   0,   1,   0,   1};
static const struct fuzz_seed kSeeds[] = {FUZZ_SEED(kCname), FUZZ_SEED(kNx)};
const struct fuzz_seed *fuzz_seeds(size_t *count) {
  *count = sizeof(kSeeds) / sizeof(kSeeds[0]);
  return kSeeds;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char kName[] = "www.example.test";
  struct dns_response r;
  (void)dns_parse_response(data, size, size >= 2 ? (uint16_t)(data[0] << 8 | data[1]) : 0, kName,
                           DNS_TYPE_A, &r);
  char name[DNS_NAME_BUF];
  for (size_t off = 0; off < size && off < 64; off++) (void)dns_read_name(data, size, off, name);

  if (size > 600) return 0;
  fuzz_stack_begin();
  int h = dns_resolve_start(&fuzz_stack->dns, kName);
  if (h >= 0) {
    struct dns_query *q = &fuzz_stack->dns.queries[h];
    if (q->state == DNS_Q_PENDING && q->sock) {
      static uint8_t msg[8 + 600];
      memset(msg, 0, 8);
      net_put16(msg, 53);
      net_put16(msg + 2, q->sock->local_port);
      net_put16(msg + 4, (uint16_t)(8 + size));
      memcpy(msg + 8, data, size);
      if (size >= 2) net_put16(msg + 8, q->id);
      fuzz_stack_ip(17, msg, 8 + size, 1);
    }
    struct dns_result res;
    (void)dns_resolve_result(&fuzz_stack->dns, h, &res);
  }
  fuzz_stack_end();
  return 0;
}
