// Stateful libFuzzer target: the input is a script of peer segments (with raw, possibly malformed
// options), clock jumps and application calls against one stack holding a listener and active
// connections. Segment numbers are taken relative to what the stack last sent, so the script
// reaches every state instead of bouncing off the window check. Checks: no memory error (ASan),
// no undefined behaviour (UBSan), every emitted segment parses with a valid checksum, and the
// buffer accounting returns to zero when the stack is torn down connection by connection.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/tcp/tcp.h"
#include "net/tcp/tcp_wire.h"

#define LOCAL 0x0a000001u
#define PEER 0x0a000002u
#define MAX_CONNS 8

typedef struct {
  uint64_t now;
  uint32_t last_seq, last_ack;  // from the most recent segment the stack sent
  uint16_t last_sport, last_dport;
  uint64_t rng;
  size_t live_bytes;
} fuzz_env_t;

#define check(cond)                                                                     \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      fprintf(stderr, "tcp_conn_fuzz: check failed at line %d: %s\n", __LINE__, #cond); \
      abort();                                                                          \
    }                                                                                   \
  } while (0)

static int out_fn(void* ctx, uint32_t src, uint32_t dst, const uint8_t* seg, size_t len) {
  fuzz_env_t* e = ctx;
  check(src == LOCAL && dst == PEER);
  check(tcp_wire_checksum(src, dst, seg, len) == 0);
  tcp_segment_t s;
  check(tcp_wire_parse(seg, len, &s) == TCP_WIRE_OK);
  check(!s.opt.malformed);
  e->last_seq = s.seq;
  e->last_ack = s.ack;
  e->last_sport = s.sport;
  e->last_dport = s.dport;
  return 0;
}
static uint64_t now_fn(void* ctx) { return ((fuzz_env_t*)ctx)->now; }
static void rnd_fn(void* ctx, void* buf, size_t len) {
  fuzz_env_t* e = ctx;
  uint8_t* b = buf;
  for (size_t i = 0; i < len; i++) {
    e->rng = e->rng * 6364136223846793005ull + 1442695040888963407ull;
    b[i] = (uint8_t)(e->rng >> 56);
  }
}
static void* alloc_fn(void* ctx, size_t n) { return malloc(n); }
static void free_fn(void* ctx, void* p) { free(p); }

typedef struct {
  const uint8_t* p;
  size_t n;
} reader_t;

static uint8_t rd8(reader_t* r) {
  if (r->n == 0) return 0;
  r->n--;
  return *r->p++;
}
static uint16_t rd16(reader_t* r) { return (uint16_t)((rd8(r) << 8) | rd8(r)); }

static void inject(tcp_stack_t* s, fuzz_env_t* e, reader_t* r) {
  uint8_t buf[TCP_HDR_MAX + 2048];
  uint8_t flags = rd8(r);
  uint8_t mode = rd8(r);
  uint16_t sport = (mode & 1) ? e->last_dport : (uint16_t)(1 + (rd8(r) & 3));
  uint16_t dport = (mode & 2) ? e->last_sport : (uint16_t)((mode & 4) ? 80 : 49152 + rd8(r));
  int16_t dseq = (int16_t)rd16(r);
  int16_t dack = (int16_t)rd16(r);
  uint32_t seq = (mode & 8) ? e->last_ack + (uint32_t)(int32_t)dseq : ((uint32_t)dseq << 16);
  uint32_t ack = (mode & 16) ? e->last_seq + (uint32_t)(int32_t)dack : ((uint32_t)dack << 8);
  uint16_t wnd = rd16(r);
  size_t olen = rd8(r) % 41;
  size_t plen = rd16(r) % 2048;
  size_t hl = (20 + olen + 3) & ~(size_t)3;
  memset(buf, 0, hl);
  buf[0] = (uint8_t)(sport >> 8);
  buf[1] = (uint8_t)sport;
  buf[2] = (uint8_t)(dport >> 8);
  buf[3] = (uint8_t)dport;
  for (int i = 0; i < 4; i++) buf[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
  for (int i = 0; i < 4; i++) buf[8 + i] = (uint8_t)(ack >> (24 - 8 * i));
  buf[12] = (uint8_t)((hl / 4) << 4);
  buf[13] = flags;
  buf[14] = (uint8_t)(wnd >> 8);
  buf[15] = (uint8_t)wnd;
  for (size_t i = 0; i < olen; i++) buf[20 + i] = rd8(r);
  for (size_t i = 0; i < plen; i++) buf[hl + i] = (uint8_t)(i * 7);
  size_t len = hl + plen;
  if (!(mode & 32)) {  // mostly valid checksums, sometimes not
    uint16_t ck = tcp_wire_checksum(PEER, LOCAL, buf, len);
    buf[16] = (uint8_t)(ck >> 8);
    buf[17] = (uint8_t)ck;
  }
  tcp_input(s, PEER, LOCAL, buf, len);
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz_env_t e;
  memset(&e, 0, sizeof(e));
  e.now = 1000000;
  e.rng = 1;
  tcp_env_t env = {out_fn, now_fn, rnd_fn, alloc_fn, free_fn, &e};
  tcp_config_t cfg;
  tcp_config_default(&cfg);
  cfg.max_conns = 16;
  cfg.sndbuf = cfg.rcvbuf = 16384;
  cfg.ooo_max_segs = 8;
  tcp_stack_t* s = tcp_stack_create(&env, &cfg);
  check(s != NULL);
  tcp_conn_t* conns[MAX_CONNS] = {0};
  tcp_conn_t* listener = NULL;
  check(tcp_listen(s, 0, 80, 2, &listener) == NET_OK);
  check(tcp_connect(s, LOCAL, 0, PEER, 1, &conns[0]) == NET_OK);
  reader_t r = {data, size};
  uint8_t scratch[4096];
  memset(scratch, 0x5a, sizeof(scratch));
  for (int steps = 0; r.n > 0 && steps < 512; steps++) {
    uint8_t op = rd8(&r);
    uint8_t k = rd8(&r) % MAX_CONNS;
    tcp_conn_t* c = conns[k];
    switch (op % 10) {
      case 0:
      case 1:
      case 2:
        inject(s, &e, &r);
        break;
      case 3:
        e.now += (uint64_t)rd16(&r) * 1000;  // up to ~65 s
        tcp_timers(s);
        break;
      case 4:
        if (c) tcp_send(c, scratch, rd16(&r) % sizeof(scratch));
        break;
      case 5:
        if (c) tcp_recv(c, scratch, rd16(&r) % sizeof(scratch));
        break;
      case 6:
        if (c) tcp_shutdown_write(c);
        break;
      case 7:
        if (c) {
          if (rd8(&r) & 1) {
            tcp_close(c);
          } else {
            tcp_abort(c);
          }
          conns[k] = NULL;
        }
        break;
      case 8:
        if (!c) {
          if (rd8(&r) & 1) {
            tcp_accept(listener, &conns[k]);
          } else {
            tcp_connect(s, LOCAL, 0, PEER, (uint16_t)(1 + (rd8(&r) & 3)), &conns[k]);
          }
        }
        break;
      case 9:
        if (c) {
          tcp_info_t in;
          check(tcp_get_info(c, &in) == NET_OK);
          check(in.rcv_queued <= cfg.rcvbuf && in.snd_queued <= cfg.sndbuf);
          (void)tcp_poll(c);
          // Buffer sizes stay fixed so the queue bounds above remain checkable.
          tcp_setopt(c, (tcp_sockopt_t)(rd8(&r) % 6), rd16(&r));
        }
        break;
    }
  }
  // Tear down through the API; after every timer has run out nothing may be left allocated.
  for (int i = 0; i < MAX_CONNS; i++) {
    if (conns[i]) tcp_abort(conns[i]);
  }
  tcp_close(listener);
  // With no peer answering, every remaining connection must end through its timers (FIN
  // retransmissions time out, TIME_WAIT and orphaned FIN_WAIT_2 expire) within bounded steps.
  for (int i = 0; i < 100000; i++) {
    uint64_t d = tcp_next_deadline_us(s);
    if (d == UINT64_MAX) break;
    if (d > e.now) e.now = d;
    tcp_timers(s);
  }
  tcp_stats_t st;
  tcp_get_stats(s, &st);
  check(st.conns_in_use == 0);
  check(st.buffer_bytes == 0);
  tcp_stack_destroy(s);
  return 0;
}
