// Test helpers: a fake clock, a scripted peer for one stack, and an in-memory link between two
// stacks with seeded loss, duplication, reordering, delay and corruption.
#ifndef NET_TCP_TCP_TEST_UTIL_H_
#define NET_TCP_TCP_TEST_UTIL_H_

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <queue>
#include <random>
#include <vector>

#include "net/tcp/tcp.h"
#include "net/tcp/tcp_wire.h"

namespace tcptest {

struct Packet {
  uint32_t src = 0, dst = 0;
  std::vector<uint8_t> bytes;
  tcp_segment_t seg{};  // parsed view; payload points into bytes (fixed up by Parse)
  void Parse() {
    if (tcp_wire_parse(bytes.data(), bytes.size(), &seg) != TCP_WIRE_OK) std::abort();
  }
  std::vector<uint8_t> Payload() const {
    return std::vector<uint8_t>(seg.payload, seg.payload + seg.payload_len);
  }
};

// Shared by both fixtures: environment callbacks over a fake clock.
struct Clock {
  uint64_t now_us = 1000000;
  std::mt19937_64 rng{1};
};

inline void* EnvAlloc(void*, size_t n) { return std::malloc(n); }
inline void EnvFree(void*, void* p) { std::free(p); }

// One stack whose output is captured, with a hand-driven peer.
class Scripted {
 public:
  static constexpr uint32_t kLocal = 0x0a000001;   // 10.0.0.1, the stack under test
  static constexpr uint32_t kRemote = 0x0a000002;  // 10.0.0.2, the scripted peer

  explicit Scripted(const tcp_config_t* cfg_in = nullptr) {
    tcp_config_t cfg;
    if (cfg_in) {
      cfg = *cfg_in;
    } else {
      tcp_config_default(&cfg);
    }
    env_.output = &Scripted::Output;
    env_.now_us = &Scripted::Now;
    env_.random_bytes = &Scripted::Random;
    env_.alloc = EnvAlloc;
    env_.free = EnvFree;
    env_.ctx = this;
    s = tcp_stack_create(&env_, &cfg);
    if (!s) std::abort();
  }
  ~Scripted() { tcp_stack_destroy(s); }

  // Builds and injects a segment from the peer.
  void Inject(uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
              uint16_t wnd, const tcp_opts_t* opt = nullptr, const std::vector<uint8_t>& data = {},
              uint32_t src = kRemote) {
    tcp_segment_t h{};
    h.sport = sport;
    h.dport = dport;
    h.seq = seq;
    h.ack = ack;
    h.flags = flags;
    h.wnd = wnd;
    if (opt) h.opt = *opt;
    uint8_t buf[TCP_HDR_MAX + 65536];
    size_t hl = 0;
    if (tcp_wire_emit(buf, sizeof(buf), &h, &hl) != TCP_WIRE_OK) std::abort();
    if (!data.empty()) std::memcpy(buf + hl, data.data(), data.size());
    size_t n = hl + data.size();
    uint16_t ck = tcp_wire_checksum(src, kLocal, buf, n);
    buf[16] = (uint8_t)(ck >> 8);
    buf[17] = (uint8_t)ck;
    tcp_input(s, src, kLocal, buf, n);
  }

  void Advance(uint64_t us) {
    clock.now_us += us;
    tcp_timers(s);
  }
  // Runs timers until `us` of fake time passed, stepping to each deadline.
  void RunFor(uint64_t us) {
    uint64_t end = clock.now_us + us;
    for (int guard = 0; guard < 1000000; guard++) {
      uint64_t d = tcp_next_deadline_us(s);
      if (d > end) break;
      if (d > clock.now_us) clock.now_us = d;
      tcp_timers(s);
    }
    clock.now_us = end;
    tcp_timers(s);
  }

  std::vector<Packet> Take() {
    std::vector<Packet> v;
    v.swap(out);
    return v;
  }

  tcp_stack_t* s = nullptr;
  Clock clock;
  std::vector<Packet> out;

 private:
  static int Output(void* ctx, uint32_t src, uint32_t dst, const uint8_t* seg, size_t len) {
    auto* self = static_cast<Scripted*>(ctx);
    Packet p;
    p.src = src;
    p.dst = dst;
    p.bytes.assign(seg, seg + len);
    if (tcp_wire_checksum(src, dst, seg, len) != 0) std::abort();  // we must emit valid sums
    p.Parse();
    self->out.push_back(std::move(p));
    return 0;
  }
  static uint64_t Now(void* ctx) { return static_cast<Scripted*>(ctx)->clock.now_us; }
  static void Random(void* ctx, void* buf, size_t len) {
    auto* self = static_cast<Scripted*>(ctx);
    auto* b = static_cast<uint8_t*>(buf);
    for (size_t i = 0; i < len; i++) b[i] = (uint8_t)self->clock.rng();
  }
  tcp_env_t env_{};
};

// Impairments of the in-memory link (probabilities in 1/1000).
struct Impair {
  uint32_t loss = 0, dup = 0, reorder = 0, corrupt = 0;
  uint64_t delay_us = 1000, jitter_us = 0;
};

// Two stacks joined by an in-memory link.
class Link {
 public:
  static constexpr uint32_t kA = 0x0a000001;
  static constexpr uint32_t kB = 0x0a000002;

  Link(uint64_t seed, Impair imp, const tcp_config_t* cfg_in = nullptr) : imp_(imp), rng_(seed) {
    tcp_config_t cfg;
    if (cfg_in) {
      cfg = *cfg_in;
    } else {
      tcp_config_default(&cfg);
    }
    for (int i = 0; i < 2; i++) {
      side_[i].link = this;
      side_[i].ip = i == 0 ? kA : kB;
      side_[i].env.output = &Link::Output;
      side_[i].env.now_us = &Link::Now;
      side_[i].env.random_bytes = &Link::Random;
      side_[i].env.alloc = EnvAlloc;
      side_[i].env.free = EnvFree;
      side_[i].env.ctx = &side_[i];
      side_[i].s = tcp_stack_create(&side_[i].env, &cfg);
      if (!side_[i].s) std::abort();
    }
  }
  ~Link() {
    for (auto& sd : side_) tcp_stack_destroy(sd.s);
  }

  tcp_stack_t* a() { return side_[0].s; }
  tcp_stack_t* b() { return side_[1].s; }
  uint64_t now() const { return now_; }

  // Advances to the next event (a delivery or a timer). False when nothing is pending before
  // `limit_us`.
  bool Step(uint64_t limit_us) {
    uint64_t t = UINT64_MAX;
    if (!q_.empty()) t = q_.top().at;
    for (auto& sd : side_) t = std::min(t, tcp_next_deadline_us(sd.s));
    if (t == UINT64_MAX || t > limit_us) return false;
    if (t > now_) now_ = t;
    while (!q_.empty() && q_.top().at <= now_) {
      InFlight f = q_.top();
      q_.pop();
      Side& to = f.dst == kA ? side_[0] : side_[1];
      tcp_input(to.s, f.src, f.dst, f.bytes.data(), f.bytes.size());
    }
    for (auto& sd : side_) tcp_timers(sd.s);
    return true;
  }

  // Runs until pred() holds (checked after every event) or max_us of fake time passes.
  bool RunUntil(const std::function<bool()>& pred, uint64_t max_us) {
    uint64_t limit = now_ + max_us;
    for (uint64_t guard = 0; guard < 50000000; guard++) {
      if (pred()) return true;
      if (!Step(limit)) {
        // Nothing scheduled: let the application callback (pred) make progress once more.
        if (pred()) return true;
        return false;
      }
    }
    return pred();
  }

  uint64_t delivered = 0, dropped = 0, duplicated = 0, corrupted = 0, reordered = 0;

 private:
  struct Side {
    Link* link;
    uint32_t ip;
    tcp_env_t env;
    tcp_stack_t* s;
  };
  struct InFlight {
    uint64_t at;
    uint64_t order;
    uint32_t src, dst;
    std::vector<uint8_t> bytes;
    bool operator<(const InFlight& o) const {
      return at != o.at ? at > o.at : order > o.order;  // min-heap by (at, order)
    }
  };

  bool Chance(uint32_t per_mille) { return per_mille && (rng_() % 1000) < per_mille; }

  void Enqueue(uint32_t src, uint32_t dst, std::vector<uint8_t> bytes) {
    uint64_t at = now_ + imp_.delay_us;
    if (imp_.jitter_us) at += rng_() % imp_.jitter_us;
    if (Chance(imp_.reorder)) {
      at += imp_.delay_us * 2 + rng_() % (imp_.delay_us * 4 + 1);  // overtaken by later ones
      reordered++;
    } else {
      if (at < last_at_) at = last_at_;  // jitter alone keeps the link FIFO
      last_at_ = at;
    }
    q_.push(InFlight{at, order_++, src, dst, std::move(bytes)});
  }

  static int Output(void* ctx, uint32_t src, uint32_t dst, const uint8_t* seg, size_t len) {
    Side* sd = static_cast<Side*>(ctx);
    Link* l = sd->link;
    if (l->Chance(l->imp_.loss)) {
      l->dropped++;
      return 0;
    }
    std::vector<uint8_t> b(seg, seg + len);
    if (l->Chance(l->imp_.corrupt)) {
      b[l->rng_() % b.size()] ^= (uint8_t)(1u << (l->rng_() % 8));
      l->corrupted++;
    }
    if (l->Chance(l->imp_.dup)) {
      l->duplicated++;
      l->Enqueue(src, dst, b);
    }
    l->delivered++;
    l->Enqueue(src, dst, std::move(b));
    return 0;
  }
  static uint64_t Now(void* ctx) { return static_cast<Side*>(ctx)->link->now_; }
  static void Random(void* ctx, void* buf, size_t len) {
    Link* l = static_cast<Side*>(ctx)->link;
    auto* b = static_cast<uint8_t*>(buf);
    for (size_t i = 0; i < len; i++) b[i] = (uint8_t)l->rng_();
  }

  Impair imp_;
  std::mt19937_64 rng_;
  uint64_t now_ = 1000000;
  uint64_t order_ = 0;
  uint64_t last_at_ = 0;
  Side side_[2];
  std::priority_queue<InFlight> q_;
};

// The test pattern of the issue: byte at offset i is i % 251.
inline std::vector<uint8_t> Pattern(size_t n, size_t start = 0) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; i++) v[i] = (uint8_t)((start + i) % 251);
  return v;
}

}  // namespace tcptest

#endif  // NET_TCP_TCP_TEST_UTIL_H_
