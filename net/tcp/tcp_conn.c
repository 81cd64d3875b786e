// TCP connection engine: RFC 9293 state machine with RFC 7323 (window scaling, timestamps, PAWS),
// RFC 6298 (RTO), RFC 5681/6582 (NewReno), RFC 2018/6675 (SACK recovery), RFC 5961 (challenge
// ACKs), RFC 6528 (ISNs), RFC 6056 (ephemeral ports) and SYN cookies. See tcp.h for the API.
#include <string.h>

#include "crypto/siphash.h"
#include "net/core/net_opts.h"
#include "net/tcp/tcp_internal.h"

#define US_PER_MS 1000ull
#define PAWS_IDLE_US (24ull * 24 * 3600 * 1000000)  // RFC 7323 5.5: ts_recent older is invalid
#define DUPTHRESH 3u
#define DEFAULT_MSS 536u  // RFC 9293 3.7.1: assumed when the peer sends no MSS option
#define MIN_MSS 64u
// Smallest reordering allowance before a SACKed-around hole counts as lost.
#define RACK_REO_MIN_US 1000u

static const char* const kStateNames[TCP_STATE__COUNT] = {
    "CLOSED",     "LISTEN",     "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1",
    "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING",  "LAST_ACK",     "TIME_WAIT",
};

const char* tcp_state_name(tcp_state_t st) {
  return (unsigned)st < TCP_STATE__COUNT ? kStateNames[st] : "?";
}

static uint32_t min32(uint32_t a, uint32_t b) { return a < b ? a : b; }
static uint32_t max32(uint32_t a, uint32_t b) { return a > b ? a : b; }

// ---------------------------------------------------------------- memory

void* tcp_mem_alloc(tcp_stack_t* s, size_t n) {
  void* p = s->env.alloc(s->env.ctx, n);
  if (p != NULL) s->stats.buffer_bytes += n;
  return p;
}

void tcp_mem_free(tcp_stack_t* s, void* p, size_t n) {
  if (p == NULL) return;
  s->stats.buffer_bytes -= n;
  s->env.free(s->env.ctx, p);
}

size_t tcp_conn_slot_bytes(void) { return sizeof(tcp_conn_t) + sizeof(int32_t); }

// ---------------------------------------------------------------- configuration

void tcp_config_default(tcp_config_t* cfg) {
  memset(cfg, 0, sizeof(*cfg));
  cfg->max_conns = NET_TCP_MAX_CONNS;
  cfg->mtu = NET_MTU_DEFAULT;
  cfg->sndbuf = NET_TCP_SNDBUF;
  cfg->rcvbuf = NET_TCP_RCVBUF;
  cfg->msl_ms = NET_TCP_MSL_MS;
  cfg->rto_min_ms = NET_TCP_RTO_MIN_MS;
  cfg->rto_max_ms = NET_TCP_RTO_MAX_MS;
  cfg->rto_initial_ms = NET_TCP_RTO_INITIAL_MS;
  cfg->max_retries = NET_TCP_MAX_RETRIES;
  cfg->syn_retries = NET_TCP_SYN_RETRIES;
  cfg->delack_ms = NET_TCP_DELACK_MS;
  cfg->keepalive_idle_ms = NET_TCP_KEEPALIVE_IDLE_MS;
  cfg->keepalive_intvl_ms = NET_TCP_KEEPALIVE_INTVL_MS;
  cfg->keepalive_count = NET_TCP_KEEPALIVE_COUNT;
  cfg->ooo_max_segs = NET_TCP_OOO_MAX_SEGS;
  cfg->challenge_ack_per_s = NET_TCP_CHALLENGE_ACK_PER_S;
  cfg->timestamps = true;
  cfg->window_scaling = true;
  cfg->sack = true;
  cfg->syncookies = true;
  cfg->cc = TCP_CC_NEWRENO;
}

static const tcp_cc_ops_t* cc_ops(tcp_cc_algo_t a) {
  return a == TCP_CC_CUBIC ? &tcp_cc_cubic : &tcp_cc_newreno;
}

// ---------------------------------------------------------------- table and demux

static tcp_conn_t* slot(tcp_stack_t* s, int32_t i) { return i == TCP_NONE ? NULL : &s->conns[i]; }

static uint32_t tuple_hash(const tcp_stack_t* s, uint32_t la, uint16_t lp, uint32_t ra,
                           uint16_t rp) {
  uint8_t b[12];
  memcpy(b, &la, 4);
  memcpy(b + 4, &ra, 4);
  memcpy(b + 8, &lp, 2);
  memcpy(b + 10, &rp, 2);
  // Keyed, so a peer cannot aim many connections at one bucket.
  return (uint32_t)crypto_siphash24(s->port_key, b, sizeof(b)) & s->hash_mask;
}

static tcp_conn_t* lookup(tcp_stack_t* s, uint32_t la, uint16_t lp, uint32_t ra, uint16_t rp) {
  int32_t i = s->hash[tuple_hash(s, la, lp, ra, rp)];
  uint32_t guard = 0;
  while (i != TCP_NONE && guard++ <= s->cfg.max_conns) {
    tcp_conn_t* c = &s->conns[i];
    if (c->lport == lp && c->rport == rp && c->laddr == la && c->raddr == ra) return c;
    i = c->hash_next;
  }
  return NULL;
}

static tcp_conn_t* lookup_listener(tcp_stack_t* s, uint32_t la, uint16_t lp) {
  tcp_conn_t* wild = NULL;
  for (int32_t i = s->listen_head; i != TCP_NONE; i = s->conns[i].hash_next) {
    tcp_conn_t* c = &s->conns[i];
    if (c->lport != lp) continue;
    if (c->laddr == la) return c;
    if (c->laddr == 0) wild = c;
  }
  return wild;
}

static void hash_insert(tcp_conn_t* c) {
  tcp_stack_t* s = c->stack;
  if (c->in_hash) return;
  if (c->state == TCP_LISTEN) {
    c->hash_next = s->listen_head;
    s->listen_head = c->index;
  } else {
    uint32_t h = tuple_hash(s, c->laddr, c->lport, c->raddr, c->rport);
    c->hash_next = s->hash[h];
    s->hash[h] = c->index;
  }
  c->in_hash = true;
}

static void hash_remove(tcp_conn_t* c) {
  tcp_stack_t* s = c->stack;
  if (!c->in_hash) return;
  int32_t* pp;
  if (c->state == TCP_LISTEN) {
    pp = &s->listen_head;
  } else {
    pp = &s->hash[tuple_hash(s, c->laddr, c->lport, c->raddr, c->rport)];
  }
  while (*pp != TCP_NONE) {
    if (*pp == c->index) {
      *pp = c->hash_next;
      break;
    }
    pp = &s->conns[*pp].hash_next;
  }
  c->hash_next = TCP_NONE;
  c->in_hash = false;
}

static tcp_conn_t* conn_alloc(tcp_stack_t* s) {
  if (s->free_head == TCP_NONE) return NULL;
  tcp_conn_t* c = &s->conns[s->free_head];
  s->free_head = c->list_next;
  int32_t idx = c->index;
  memset(c, 0, sizeof(*c));
  c->stack = s;
  c->index = idx;
  c->hash_next = TCP_NONE;
  c->parent = TCP_NONE;
  c->acc_next = TCP_NONE;
  c->list_prev = TCP_NONE;
  c->list_next = s->used_head;
  if (s->used_head != TCP_NONE) s->conns[s->used_head].list_prev = idx;
  s->used_head = idx;
  c->sndbuf = s->cfg.sndbuf;
  c->rcvbuf = s->cfg.rcvbuf;
  c->cc = cc_ops(s->cfg.cc);
  c->keep_idle_ms = s->cfg.keepalive_idle_ms;
  c->keep_intvl_ms = s->cfg.keepalive_intvl_ms;
  c->keep_count = s->cfg.keepalive_count;
  c->rto_us = s->cfg.rto_initial_ms * 1000u;
  s->stats.conns_in_use++;
  return c;
}

static void ooo_free_all(tcp_conn_t* c) {
  tcp_ooo_t* o = c->ooo;
  while (o != NULL) {
    tcp_ooo_t* n = o->next;
    tcp_mem_free(c->stack, o, sizeof(*o) + o->len);
    o = n;
  }
  c->ooo = NULL;
  c->ooo_segs = c->ooo_bytes = 0;
}

static void child_unlink(tcp_conn_t* c);

static void clear_out_pending(tcp_conn_t* c) {
  if (!c->out_pending) return;
  c->out_pending = false;
  c->stack->out_pending--;
}

static void conn_free(tcp_conn_t* c) {
  tcp_stack_t* s = c->stack;
  clear_out_pending(c);
  if (c->is_child) child_unlink(c);
  hash_remove(c);
  tcp_bufq_free(s, &c->sndq);
  tcp_bufq_free(s, &c->rcvq);
  ooo_free_all(c);
  if (c->list_prev != TCP_NONE) {
    s->conns[c->list_prev].list_next = c->list_next;
  } else {
    s->used_head = c->list_next;
  }
  if (c->list_next != TCP_NONE) s->conns[c->list_next].list_prev = c->list_prev;
  int32_t idx = c->index;
  memset(c, 0, sizeof(*c));
  c->index = idx;
  c->state = TCP_CLOSED;
  c->list_next = s->free_head;
  s->free_head = idx;
  s->stats.conns_in_use--;
}

// ---------------------------------------------------------------- children of listeners

static void child_link(tcp_conn_t* l, tcp_conn_t* c) {
  tcp_stack_t* s = l->stack;
  c->is_child = true;
  c->parent = l->index;
  c->acc_next = TCP_NONE;
  int32_t* pp = &l->acc_next;
  uint32_t guard = 0;
  while (*pp != TCP_NONE && guard++ <= s->cfg.max_conns) pp = &s->conns[*pp].acc_next;
  *pp = c->index;
  l->n_children++;
}

static void child_unlink(tcp_conn_t* c) {
  tcp_stack_t* s = c->stack;
  tcp_conn_t* l = slot(s, c->parent);
  if (l != NULL) {
    int32_t* pp = &l->acc_next;
    uint32_t guard = 0;
    while (*pp != TCP_NONE && guard++ <= s->cfg.max_conns) {
      if (*pp == c->index) {
        *pp = c->acc_next;
        l->n_children--;
        break;
      }
      pp = &s->conns[*pp].acc_next;
    }
  }
  c->is_child = false;
  c->parent = TCP_NONE;
  c->acc_next = TCP_NONE;
}

static uint32_t ready_children(const tcp_conn_t* l) {
  const tcp_stack_t* s = l->stack;
  uint32_t n = 0, guard = 0;
  for (int32_t i = l->acc_next; i != TCP_NONE && guard++ <= s->cfg.max_conns;
       i = s->conns[i].acc_next) {
    if (s->conns[i].ready) n++;
  }
  return n;
}

// Arms one of c's timers and keeps the stack's earliest-deadline hint at or before it, so
// tcp_next_deadline_us() is O(1); tcp_timers() recomputes the exact value while it scans.
static void set_timer(tcp_conn_t* c, uint64_t* t, uint64_t when) {
  *t = when;
  if (when < c->stack->next_hint_us) c->stack->next_hint_us = when;
}

// ---------------------------------------------------------------- clocks, ISNs, ports

static uint32_t ts_now(const tcp_conn_t* c) {
  return (uint32_t)(c->stack->now_us / US_PER_MS) + c->ts_offset;
}

static uint32_t make_isn(tcp_stack_t* s, uint32_t la, uint16_t lp, uint32_t ra, uint16_t rp) {
  // RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport, secretkey), M a 4 us clock.
  uint8_t b[12];
  memcpy(b, &la, 4);
  memcpy(b + 4, &ra, 4);
  memcpy(b + 8, &lp, 2);
  memcpy(b + 10, &rp, 2);
  return (uint32_t)(s->now_us / 4) + (uint32_t)crypto_siphash24(s->isn_key, b, sizeof(b));
}

static bool port_in_use(tcp_stack_t* s, uint32_t la, uint16_t lp, uint32_t ra, uint16_t rp) {
  if (lookup(s, la, lp, ra, rp) != NULL) return true;
  // Do not hand out a port someone listens on: the peer's SYN-ACK would be ambiguous to users.
  for (int32_t i = s->listen_head; i != TCP_NONE; i = s->conns[i].hash_next) {
    if (s->conns[i].lport == lp) return true;
  }
  return false;
}

// RFC 6056 Algorithm 4 (double-hash port selection): per-destination offset plus a counter
// from a small table indexed by a second hash, so ports are unpredictable yet reuse is slow.
static int pick_port(tcp_stack_t* s, uint32_t la, uint32_t ra, uint16_t rp, uint16_t* out) {
  const uint32_t lo = NET_EPHEMERAL_PORT_MIN, hi = NET_EPHEMERAL_PORT_MAX;
  const uint32_t num = hi - lo + 1;
  uint8_t b[10];
  memcpy(b, &la, 4);
  memcpy(b + 4, &ra, 4);
  memcpy(b + 8, &rp, 2);
  uint64_t h = crypto_siphash24(s->port_key, b, sizeof(b));
  uint32_t offset = (uint32_t)h;
  uint32_t idx = (uint32_t)(h >> 32) % 16;
  // Random increments (as in RFC 6056 Algorithm 5) keep successive ports to one destination
  // from being consecutive.
  uint8_t step;
  s->env.random_bytes(s->env.ctx, &step, 1);
  s->port_table[idx] = (uint16_t)(s->port_table[idx] + 1 + (step & 15));
  for (uint32_t i = 0; i < num; i++) {
    uint16_t port = (uint16_t)(lo + (offset + s->port_table[idx] + i) % num);
    if (!port_in_use(s, la, port, ra, rp)) {
      *out = port;
      return NET_OK;
    }
  }
  return NET_ERR_ADDRNOTAVAIL;
}

// ---------------------------------------------------------------- stack lifetime

tcp_stack_t* tcp_stack_create(const tcp_env_t* env, const tcp_config_t* cfg) {
  if (env == NULL || cfg == NULL || env->output == NULL || env->now_us == NULL ||
      env->random_bytes == NULL || env->alloc == NULL || env->free == NULL) {
    return NULL;
  }
  if (cfg->max_conns == 0 || cfg->max_conns > (1u << 24) || cfg->mtu < 68 || cfg->mtu > 65535 ||
      cfg->sndbuf < 1024 || cfg->rcvbuf < 1024 || cfg->sndbuf > (1u << 30) ||
      cfg->rcvbuf > (1u << 30) || cfg->rto_min_ms == 0 || cfg->rto_max_ms < cfg->rto_min_ms ||
      cfg->delack_ms > 200 || cfg->ooo_max_segs == 0) {
    return NULL;
  }
  tcp_stack_t* s = env->alloc(env->ctx, sizeof(*s));
  if (s == NULL) return NULL;
  memset(s, 0, sizeof(*s));
  s->env = *env;
  s->cfg = *cfg;
  uint32_t buckets = 1;
  while (buckets < cfg->max_conns) buckets <<= 1;
  s->hash_mask = buckets - 1;
  s->conns = env->alloc(env->ctx, sizeof(tcp_conn_t) * cfg->max_conns);
  s->hash = env->alloc(env->ctx, sizeof(int32_t) * buckets);
  if (s->conns == NULL || s->hash == NULL) {
    if (s->conns) env->free(env->ctx, s->conns);
    if (s->hash) env->free(env->ctx, s->hash);
    env->free(env->ctx, s);
    return NULL;
  }
  memset(s->conns, 0, sizeof(tcp_conn_t) * cfg->max_conns);
  for (uint32_t i = 0; i < buckets; i++) s->hash[i] = TCP_NONE;
  for (uint32_t i = 0; i < cfg->max_conns; i++) {
    s->conns[i].index = (int32_t)i;
    s->conns[i].list_next = (i + 1 < cfg->max_conns) ? (int32_t)(i + 1) : TCP_NONE;
  }
  s->free_head = 0;
  s->used_head = TCP_NONE;
  s->listen_head = TCP_NONE;
  env->random_bytes(env->ctx, s->isn_key, sizeof(s->isn_key));
  env->random_bytes(env->ctx, s->cookie_key, sizeof(s->cookie_key));
  env->random_bytes(env->ctx, s->port_key, sizeof(s->port_key));
  env->random_bytes(env->ctx, s->port_table, sizeof(s->port_table));
  s->now_us = env->now_us(env->ctx);
  s->next_hint_us = UINT64_MAX;
  return s;
}

void tcp_stack_destroy(tcp_stack_t* s) {
  if (s == NULL) return;
  while (s->used_head != TCP_NONE) conn_free(&s->conns[s->used_head]);
  tcp_bufq_cache_release(s);
  s->env.free(s->env.ctx, s->conns);
  s->env.free(s->env.ctx, s->hash);
  s->env.free(s->env.ctx, s);
}

static void refresh_now(tcp_stack_t* s) {
  uint64_t t = s->env.now_us(s->env.ctx);
  if (t > s->now_us) s->now_us = t;
  if (s->now_us == 0) s->now_us = 1;  // 0 means "timer off"
}

// ---------------------------------------------------------------- segment output

static uint32_t rcv_space(const tcp_conn_t* c) {
  return c->rcvbuf > c->rcvq.bytes ? c->rcvbuf - c->rcvq.bytes : 0;
}

// The window to advertise, in the units of the window field. Receiver SWS avoidance (RFC 9293
// 3.8.6.2.2): the right edge moves only by at least min(rcvbuf/2, mss); it never moves left.
static uint16_t window_field(tcp_conn_t* c, bool syn) {
  uint32_t space = rcv_space(c);
  if (syn) {
    uint32_t w = min32(space, 65535);
    if (tcp_seq_gt(c->rcv_nxt + w, c->rcv_adv)) c->rcv_adv = c->rcv_nxt + w;
    return (uint16_t)w;
  }
  uint32_t cur = tcp_seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
  uint32_t wnd = cur;
  if (space > cur && space - cur >= min32(c->rcvbuf / 2, c->mss)) wnd = space;
  uint32_t field = wnd >> c->rcv_wscale;
  if (field > 65535) field = 65535;
  uint32_t edge = c->rcv_nxt + (field << c->rcv_wscale);
  if (tcp_seq_gt(edge, c->rcv_adv)) c->rcv_adv = edge;
  return (uint16_t)field;
}

// Receiver-side SACK blocks (RFC 2018 section 4): the block holding the most recent out-of-order
// segment first, then the others.
static uint8_t build_sack(const tcp_conn_t* c, tcp_sack_block_t* out, uint8_t max) {
  tcp_sack_block_t all[TCP_SACK_MAX_BLOCKS * 4];
  uint32_t n = 0;
  int first = -1;
  for (const tcp_ooo_t* o = c->ooo; o != NULL; o = o->next) {
    if (n > 0 && all[n - 1].right == o->seq) {
      all[n - 1].right = o->seq + o->len;
    } else {
      if (n == sizeof(all) / sizeof(all[0])) break;
      all[n].left = o->seq;
      all[n].right = o->seq + o->len;
      n++;
    }
    if (tcp_seq_in(c->ooo_last_seq, all[n - 1].left, all[n - 1].right)) first = (int)n - 1;
  }
  uint8_t k = 0;
  if (first >= 0 && k < max) out[k++] = all[first];
  for (uint32_t i = 0; i < n && k < max; i++) {
    if ((int)i != first) out[k++] = all[i];
  }
  return k;
}

static void raw_output(tcp_stack_t* s, uint32_t src, uint32_t dst, uint8_t* buf, size_t len) {
  buf[16] = buf[17] = 0;
  uint16_t ck = tcp_wire_checksum(src, dst, buf, len);
  buf[16] = (uint8_t)(ck >> 8);
  buf[17] = (uint8_t)ck;
  s->stats.segs_out++;
  s->env.output(s->env.ctx, src, dst, buf, len);
}

// Sends one segment of this connection: `len` payload bytes from the send queue at `seq`.
static void send_seg(tcp_conn_t* c, uint32_t seq, uint32_t len, uint8_t flags) {
  tcp_stack_t* s = c->stack;
  tcp_segment_t h;
  memset(&h, 0, sizeof(h));
  h.sport = c->lport;
  h.dport = c->rport;
  h.seq = seq;
  h.flags = flags;
  bool syn = (flags & TCP_FLAG_SYN) != 0;
  if (flags & TCP_FLAG_ACK) h.ack = c->rcv_nxt;
  if (syn) {
    h.opt.present |= TCP_OPT_MSS;
    h.opt.mss = (uint16_t)(s->cfg.mtu - 40);
    if (c->syn_opt_ws) {
      h.opt.present |= TCP_OPT_WSCALE;
      h.opt.wscale = c->rcv_wscale;
    }
    if (c->syn_opt_sack) h.opt.present |= TCP_OPT_SACK_PERM;
    if (c->syn_opt_ts) {
      h.opt.present |= TCP_OPT_TS;
      h.opt.tsval = ts_now(c);
      h.opt.tsecr = (flags & TCP_FLAG_ACK) ? c->ts_recent : 0;
    }
  } else {
    if (c->ts_ok) {
      h.opt.present |= TCP_OPT_TS;
      h.opt.tsval = ts_now(c);
      h.opt.tsecr = c->ts_recent;
    }
    if (c->sack_ok && c->ooo != NULL && (flags & TCP_FLAG_ACK)) {
      h.opt.sack_count = build_sack(c, h.opt.sack, c->ts_ok ? 3 : 4);
      if (h.opt.sack_count > 0) h.opt.present |= TCP_OPT_SACK;
    }
  }
  h.wnd = (flags & TCP_FLAG_RST) ? 0 : window_field(c, syn);
  size_t hl = 0;
  if (tcp_wire_emit(s->txbuf, sizeof(s->txbuf), &h, &hl) != TCP_WIRE_OK) return;
  if (len > sizeof(s->txbuf) - hl) len = (uint32_t)(sizeof(s->txbuf) - hl);
  if (len > 0) tcp_bufq_copy(&c->sndq, seq - c->sndq_seq, s->txbuf + hl, len);
  raw_output(s, c->laddr, c->raddr, s->txbuf, hl + len);
  if (flags & TCP_FLAG_ACK) {
    c->acks_owed = 0;
    c->ack_now = false;
    c->t_delack = 0;
  }
  if (flags & TCP_FLAG_RST) s->stats.rst_sent++;
}

// Pure ACKs and resets carry the highest sequence number sent (RFC 9293's SND.NXT; our snd_nxt is
// rewound for retransmission after a timeout). An ACK with a rewound number could fall left of the
// peer's window and be discarded with the acknowledgment it carries.
static void send_ack(tcp_conn_t* c) { send_seg(c, c->snd_max, 0, TCP_FLAG_ACK); }

// A reset for a segment that has no connection (RFC 9293 3.10.7.1).
static void send_rst_for(tcp_stack_t* s, uint32_t src, uint32_t dst, const tcp_segment_t* in) {
  if (in->flags & TCP_FLAG_RST) return;
  tcp_segment_t h;
  memset(&h, 0, sizeof(h));
  h.sport = in->dport;
  h.dport = in->sport;
  if (in->flags & TCP_FLAG_ACK) {
    h.seq = in->ack;
    h.flags = TCP_FLAG_RST;
  } else {
    uint32_t seglen = (uint32_t)in->payload_len + ((in->flags & TCP_FLAG_SYN) ? 1 : 0) +
                      ((in->flags & TCP_FLAG_FIN) ? 1 : 0);
    h.seq = 0;
    h.ack = in->seq + seglen;
    h.flags = TCP_FLAG_RST | TCP_FLAG_ACK;
  }
  uint8_t buf[TCP_HDR_MIN];
  size_t hl = 0;
  if (tcp_wire_emit(buf, sizeof(buf), &h, &hl) != TCP_WIRE_OK) return;
  raw_output(s, dst, src, buf, hl);
  s->stats.rst_sent++;
}

// RFC 5961: answer a suspicious segment with an ACK, at most challenge_ack_per_s per second per
// connection (a per-connection budget leaks nothing across connections, unlike a global one).
static void challenge_ack(tcp_conn_t* c) {
  tcp_stack_t* s = c->stack;
  if (s->now_us - c->chal_window_us >= 1000000) {
    c->chal_window_us = s->now_us;
    c->chal_count = 0;
  }
  if (c->chal_count >= s->cfg.challenge_ack_per_s) return;
  c->chal_count++;
  s->stats.challenge_acks++;
  send_ack(c);
}

// ---------------------------------------------------------------- connection end

// The connection is over (err says why, NET_OK for an orderly end). The slot is kept while the
// application holds the handle or an accepted-to-be child waits in its listener's queue.
static void conn_done(tcp_conn_t* c, int err) {
  if (err != NET_OK && c->err == NET_OK) c->err = err;
  if (err == NET_ERR_TIMEDOUT) c->stack->stats.timeouts++;
  hash_remove(c);
  c->state = TCP_CLOSED;
  set_timer(c, &c->t_rtx, c->t_persist = c->t_delack = c->t_keep = c->t_close = 0);
  tcp_bufq_free(c->stack, &c->sndq);
  ooo_free_all(c);
  if (err != NET_OK) tcp_bufq_free(c->stack, &c->rcvq);
  if (!c->user_owned && !(c->is_child && c->ready)) conn_free(c);
}

static void enter_time_wait(tcp_conn_t* c) {
  c->state = TCP_TIME_WAIT;
  set_timer(c, &c->t_rtx, c->t_persist = c->t_delack = c->t_keep = 0);
  set_timer(c, &c->t_close, c->stack->now_us + 2ull * c->stack->cfg.msl_ms * US_PER_MS);
  tcp_bufq_free(c->stack, &c->sndq);
}

// Arms the retransmission timer. Once per flight it first fires early as a tail loss probe
// (RFC 8985 section 7): after about two round trips without an ACK one segment is sent to draw
// the SACKs that let fast recovery, instead of a timeout, repair a loss at the tail.
static bool can_send_state(const tcp_conn_t* c);

static void arm_rtx(tcp_conn_t* c) {
  uint64_t when = c->stack->now_us + c->rto_us;
  c->tlp_pending = false;
  c->rack_pending = false;
  // Also during recovery once an ACK has come back since any timeout (backoff 0): when a whole
  // flight of retransmissions is lost nothing else would notice before the next timeout.
  // Any state that still sends data qualifies: an echo keeps sending after the peer's FIN.
  // A probe that goes unanswered is followed by another one twice as late (RFC 8985 allows one;
  // with a whole flight in one TAP super-frame a lost probe or its lost ACK is common, and each
  // RTO costs 100 round trips here), up to NET_TCP_TLP_PROBES, then the timeout.
  if (c->tlp_sent < NET_TCP_TLP_PROBES && c->srtt_us != 0 && c->backoff == 0 && can_send_state(c)) {
    uint64_t pto = 2ull * c->srtt_us;
    if (pto < NET_TCP_TLP_MIN_MS * US_PER_MS) pto = NET_TCP_TLP_MIN_MS * US_PER_MS;
    pto <<= c->tlp_sent;
    if (c->snd_max - c->snd_una <= c->mss)
      pto += 200000;  // a lone segment may wait for a delayed ACK
    if (pto < c->rto_us) {
      when = c->stack->now_us + pto;
      c->tlp_pending = true;
    }
  }
  set_timer(c, &c->t_rtx, when);
}

static void set_rto_from_srtt(tcp_conn_t* c) {
  const tcp_config_t* cfg = &c->stack->cfg;
  uint64_t rto = (uint64_t)c->srtt_us + max32(1000, 4u * c->rttvar_us);  // G = 1 ms
  if (rto < cfg->rto_min_ms * US_PER_MS) rto = cfg->rto_min_ms * US_PER_MS;
  if (rto > cfg->rto_max_ms * US_PER_MS) rto = cfg->rto_max_ms * US_PER_MS;
  c->rto_us = (uint32_t)rto;
}

// RFC 6298 section 2.
static void rtt_sample(tcp_conn_t* c, uint64_t r_us) {
  if (r_us == 0) r_us = 1;
  if (r_us > 0xffffffffu / 2) r_us = 0xffffffffu / 2;
  uint32_t r = (uint32_t)r_us;
  if (c->srtt_us == 0) {
    c->srtt_us = r;
    c->rttvar_us = r / 2;
  } else {
    uint32_t d = c->srtt_us > r ? c->srtt_us - r : r - c->srtt_us;
    c->rttvar_us = (3 * c->rttvar_us + d) / 4;
    c->srtt_us = (7 * (uint64_t)c->srtt_us + r) / 8;
  }
  set_rto_from_srtt(c);
}

// ---------------------------------------------------------------- options negotiation

static uint8_t wscale_for(uint32_t buf) {
  uint8_t ws = 0;
  while (ws < TCP_WSCALE_MAX && (buf >> ws) > 65535) ws++;
  return ws;
}

static void set_mss(tcp_conn_t* c) {
  uint32_t m = min32(c->peer_mss, c->stack->cfg.mtu - 40);
  if (c->ts_ok) m -= 12;  // RFC 6691: the MSS counts no options; ours take 12 bytes per segment
  if (m < MIN_MSS) m = MIN_MSS;
  c->mss = (uint16_t)m;
}

static void init_cc(tcp_conn_t* c) {
  c->cwnd = 10u * c->mss;  // RFC 6928 initial window
  c->ssthresh = 0x7fffffff;
  c->recover = c->iss;
  c->cc->init(c);
}

// Applies the peer's SYN options; `ours` says what we offered (active open) or would offer.
static void negotiate(tcp_conn_t* c, const tcp_segment_t* seg) {
  const tcp_config_t* cfg = &c->stack->cfg;
  c->peer_mss = (seg->opt.present & TCP_OPT_MSS) ? seg->opt.mss : DEFAULT_MSS;
  if (c->peer_mss < MIN_MSS) c->peer_mss = MIN_MSS;
  c->ws_ok = cfg->window_scaling && (seg->opt.present & TCP_OPT_WSCALE);
  if (c->ws_ok) {
    c->snd_wscale = seg->opt.wscale;
    c->rcv_wscale = wscale_for(c->rcvbuf);
  } else {
    c->snd_wscale = c->rcv_wscale = 0;
  }
  c->sack_ok = cfg->sack && (seg->opt.present & TCP_OPT_SACK_PERM);
  c->ts_ok = cfg->timestamps && (seg->opt.present & TCP_OPT_TS);
  if (c->ts_ok) {
    c->ts_recent = seg->opt.tsval;
    c->ts_recent_us = c->stack->now_us;
  }
  set_mss(c);
}

// ---------------------------------------------------------------- SACK scoreboard (sender)

static void sb_trim(tcp_conn_t* c) {
  uint8_t k = 0;
  for (uint8_t i = 0; i < c->sb_count; i++) {
    tcp_sack_block_t b = c->sb[i];
    if (tcp_seq_le(b.right, c->snd_una)) continue;
    if (tcp_seq_lt(b.left, c->snd_una)) b.left = c->snd_una;
    c->sb[k++] = b;
  }
  c->sb_count = k;
}

// Adds [l, r) to the scoreboard, merging overlaps. Blocks outside (snd_una, snd_max] are
// ignored: they are stale or forged (RFC 2018 gives them no meaning).
static bool sb_add(tcp_conn_t* c, uint32_t l, uint32_t r) {
  if (!tcp_seq_lt(l, r) || tcp_seq_le(r, c->snd_una) || tcp_seq_gt(r, c->snd_max)) return false;
  if (tcp_seq_lt(l, c->snd_una)) l = c->snd_una;
  tcp_sack_block_t out[TCP_SCOREBOARD_MAX + 1];
  uint8_t n = 0;
  bool placed = false, grew = true;
  for (uint8_t i = 0; i < c->sb_count; i++) {
    tcp_sack_block_t b = c->sb[i];
    if (tcp_seq_lt(b.right, l)) {
      out[n++] = b;
    } else if (tcp_seq_gt(b.left, r)) {
      if (!placed) {
        out[n++] = (tcp_sack_block_t){l, r};
        placed = true;
      }
      out[n++] = b;
    } else {
      if (tcp_seq_le(b.left, l) && tcp_seq_ge(b.right, r)) grew = false;
      l = tcp_seq_min(l, b.left);
      r = tcp_seq_max(r, b.right);
    }
  }
  if (!placed) out[n++] = (tcp_sack_block_t){l, r};
  // Full: forget the highest block; that only makes us more conservative.
  if (n > TCP_SCOREBOARD_MAX) n = TCP_SCOREBOARD_MAX;
  memcpy(c->sb, out, n * sizeof(out[0]));
  c->sb_count = n;
  return grew;
}

// RFC 6675 IsLost for the hole containing seq: more than (DupThresh-1)*SMSS bytes SACKed above
// it, or at least DupThresh SACKed blocks above it; or judged lost by time (below rack_lost).
static bool sb_lost(const tcp_conn_t* c, uint32_t seq) {
  if (c->in_recovery && tcp_seq_lt(seq, c->rack_lost) && tcp_seq_ge(seq, c->snd_una)) return true;
  uint32_t bytes = 0, blocks = 0;
  for (uint8_t i = 0; i < c->sb_count; i++) {
    if (tcp_seq_gt(c->sb[i].left, seq)) {
      bytes += c->sb[i].right - c->sb[i].left;
      blocks++;
    }
  }
  return bytes > (DUPTHRESH - 1) * c->mss || blocks >= DUPTHRESH;
}

// RFC 6675 "pipe": bytes believed in the network.
static uint32_t sb_pipe(const tcp_conn_t* c) {
  uint32_t pipe = 0;
  uint32_t start = c->snd_una;
  for (uint8_t i = 0; i <= c->sb_count; i++) {
    uint32_t end = i < c->sb_count ? c->sb[i].left : c->snd_max;
    if (tcp_seq_lt(start, end)) {
      bool lost = c->rto_recovery || (i < c->sb_count && sb_lost(c, start));
      uint32_t hole = end - start;
      if (!lost) pipe += hole;
      // Retransmitted bytes of the hole (below HighRxt) are in flight once more.
      if (tcp_seq_gt(c->high_rxt, start)) pipe += min32(hole, c->high_rxt - start);
    }
    if (i < c->sb_count) start = c->sb[i].right;
  }
  return pipe;
}

// ---------------------------------------------------------------- transmit logic

static uint32_t queued_end(const tcp_conn_t* c) { return c->sndq_seq + c->sndq.bytes; }

// Sends sequence space [seq, seq + span) as one segment, the FIN included when it falls inside.
static void xmit_span(tcp_conn_t* c, uint32_t seq, uint32_t span) {
  uint32_t qend = queued_end(c);
  uint32_t data = tcp_seq_lt(seq, qend) ? min32(min32(span, qend - seq), c->mss) : 0;
  bool fin = c->fin_queued && seq + data == qend && span > data;
  uint8_t flags = TCP_FLAG_ACK;
  if (fin) flags |= TCP_FLAG_FIN;
  if (data > 0 && seq + data == qend) flags |= TCP_FLAG_PSH;
  if (tcp_seq_lt(seq, c->snd_max)) {
    c->retransmits++;
    c->stack->stats.retransmits++;
    c->last_rtx_us = c->stack->now_us;
    if (seq == c->snd_una) c->una_rtx_us = c->stack->now_us;
  } else if (!c->rtt_timing && data > 0) {
    c->rtt_timing = true;
    c->rtt_seq = seq;
    c->rtt_start_us = c->stack->now_us;
  }
  send_seg(c, seq, data, flags);
  if (data > 0) c->bytes_sent += data;
  if (fin) c->fin_sent = true;
  uint32_t end = seq + data + (fin ? 1 : 0);
  bool fresh = tcp_seq_gt(end, c->snd_max);
  if (fresh) c->snd_max = end;
  // New data reschedules a pending tail loss probe (RFC 8985 7.2): the probe is meant for the
  // end of a flight, measured from its last segment.
  if (c->t_rtx == 0 || (fresh && c->tlp_sent == 0 && c->retries == 0)) arm_rtx(c);
}

static bool can_send_state(const tcp_conn_t* c) {
  switch (c->state) {
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
    case TCP_FIN_WAIT_1:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
      return true;
    default:
      return false;
  }
}

// RFC 6675 NextSeg(): returns the span to send next during SACK recovery.
// Span of a retransmission starting at `from` inside a hole ending at `end`: at most one
// segment of data, plus the FIN when the hole ends with it.
static uint32_t hole_span(const tcp_conn_t* c, uint32_t from, uint32_t end) {
  uint32_t l = min32(end - from, c->mss);
  if (c->fin_sent && from + l == queued_end(c) && end - from > l) l++;
  return l;
}

// RFC 6675 NextSeg(): the span to send next during SACK recovery. After a timeout every
// unSACKed byte counts as lost (the scoreboard is kept, so SACKed data is not resent).
static bool sack_next_seg(tcp_conn_t* c, uint32_t* seq, uint32_t* span) {
  uint32_t start = c->snd_una;
  // Rules 1 and 3: the first unSACKed, unretransmitted byte; rule 1 needs it to be lost.
  bool have3 = false;
  uint32_t s3 = 0, l3 = 0;
  for (uint8_t i = 0; i <= c->sb_count; i++) {
    bool tail = i == c->sb_count;  // beyond the highest SACKed byte
    uint32_t end = tail ? c->snd_max : c->sb[i].left;
    uint32_t from = tcp_seq_max(start, c->high_rxt);
    if (tcp_seq_lt(from, end)) {
      if (c->rto_recovery || (!tail && sb_lost(c, from))) {
        *seq = from;
        *span = hole_span(c, from, end);
        return true;
      }
      if (!have3 && !tail) {
        have3 = true;
        s3 = from;
        l3 = hole_span(c, from, end);
      }
    }
    if (!tail) start = c->sb[i].right;
  }
  // Rule 2: new data, if the receiver's window allows.
  uint32_t qend = queued_end(c) + ((c->fin_queued && !c->fin_sent) ? 1 : 0);
  if (tcp_seq_lt(c->snd_max, qend)) {
    uint32_t wnd_end = c->snd_una + c->snd_wnd;
    uint32_t l = min32(qend - c->snd_max, c->mss);
    if (tcp_seq_le(c->snd_max + l, wnd_end) || (l == 1 && c->fin_queued)) {
      *seq = c->snd_max;
      *span = l;
      return true;
    }
  }
  // Rule 3: an unSACKed byte below SACKed data, not yet judged lost.
  if (have3) {
    *seq = s3;
    *span = l3;
    return true;
  }
  return false;
}

static void sack_recovery_send(tcp_conn_t* c, bool force_first) {
  for (int guard = 0; guard < 4096; guard++) {
    uint32_t pipe = sb_pipe(c);
    if (!force_first && (pipe >= c->cwnd || c->cwnd - pipe < c->mss)) break;
    uint32_t seq, span;
    if (!sack_next_seg(c, &seq, &span)) break;
    bool rtx = tcp_seq_lt(seq, c->snd_max);
    xmit_span(c, seq, span);
    if (rtx) {
      uint32_t end = seq + span;
      if (tcp_seq_gt(end, c->snd_max)) end = c->snd_max;
      if (tcp_seq_gt(end, c->high_rxt)) c->high_rxt = end;
      c->rtx_fence = c->snd_max;
    } else {
      c->snd_nxt = c->snd_max;
    }
    force_first = false;
  }
}

// Sends what the windows, Nagle and SWS avoidance allow. With `force` the first segment goes out
// regardless (after a timeout the retransmission must not wait for a window update that may have
// been lost; with a zero window it becomes a one-byte probe).
static void tcp_output_ex(tcp_conn_t* c, bool force) {
  tcp_stack_t* s = c->stack;
  clear_out_pending(c);  // this output sees everything a deferred send queued
  if (!can_send_state(c)) {
    if ((c->ack_now || c->acks_owed >= 2) &&
        (c->state == TCP_FIN_WAIT_2 || c->state == TCP_TIME_WAIT || c->state == TCP_SYN_RECEIVED)) {
      send_ack(c);
    }
    if (c->acks_owed > 0 && c->t_delack == 0) {
      set_timer(c, &c->t_delack, s->now_us + s->cfg.delack_ms * US_PER_MS);
    }
    return;
  }
  if (c->in_recovery && c->sack_ok) {
    sack_recovery_send(c, false);
  } else {
    for (int guard = 0; guard < 65536; guard++) {
      uint32_t qend = queued_end(c);
      // snd_nxt passes qend only by sending the FIN; a timeout rewinds it to resend.
      bool fin_pending = c->fin_queued && tcp_seq_le(c->snd_nxt, qend);
      uint32_t avail = tcp_seq_lt(c->snd_nxt, qend) ? qend - c->snd_nxt : 0;
      if (avail == 0 && !fin_pending) break;
      uint32_t flight = c->snd_nxt - c->snd_una;
      // Limited transmit (RFC 3042): each of the first two duplicate ACKs lets one new segment
      // out beyond cwnd, so a small window still collects enough duplicates for fast retransmit.
      uint32_t cwnd = c->cwnd;
      if (!c->in_recovery && c->dupacks > 0) cwnd += min32(c->dupacks, 2) * c->mss;
      uint32_t cwnd_room = cwnd > flight ? cwnd - flight : 0;
      uint32_t wnd_end = c->snd_una + c->snd_wnd;
      uint32_t rwnd_room = tcp_seq_gt(wnd_end, c->snd_nxt) ? wnd_end - c->snd_nxt : 0;
      uint32_t len = min32(min32(avail, c->mss), min32(cwnd_room, rwnd_room));
      if (force && len == 0 && avail > 0) len = rwnd_room > 0 ? min32(avail, c->mss) : 1;
      bool fin_here = fin_pending && len == avail;
      if (force) {
        force = false;
      } else if (len < avail || (len == 0 && !fin_here)) {
        // Limited by a window. Sender SWS avoidance: only send a short segment when it is at
        // least half the largest window the peer offered.
        if (len == 0 || (len < c->mss && len < c->max_snd_wnd / 2)) {
          if (rwnd_room < min32(avail, c->mss) && c->snd_una == c->snd_max && c->t_persist == 0 &&
              c->t_rtx == 0) {
            set_timer(c, &c->t_persist, s->now_us + c->rto_us);
            c->persist_backoff = 0;
          }
          break;
        }
        fin_here = false;
      } else if (len < c->mss && !fin_here && !c->nodelay && flight > 0 &&
                 tcp_seq_gt(c->snd_sml, c->snd_una)) {
        // Nagle, with Minshall's refinement: a short segment waits while an earlier short one is
        // unacknowledged, so the tail of a bulk write is not held for a round trip.
        break;
      }
      xmit_span(c, c->snd_nxt, len + (fin_here ? 1 : 0));
      c->snd_nxt += len + (fin_here ? 1 : 0);
      if (len < c->mss) c->snd_sml = c->snd_nxt;
      if (fin_here) break;
    }
  }
  if (c->ack_now || c->acks_owed >= 2) send_ack(c);
  if (c->acks_owed > 0 && c->t_delack == 0)
    set_timer(c, &c->t_delack, s->now_us + s->cfg.delack_ms * US_PER_MS);
}

static void tcp_output(tcp_conn_t* c) { tcp_output_ex(c, false); }

// ---------------------------------------------------------------- receive path

static void ooo_pull(tcp_conn_t* c) {
  tcp_stack_t* s = c->stack;
  while (c->ooo != NULL && tcp_seq_le(c->ooo->seq, c->rcv_nxt)) {
    tcp_ooo_t* o = c->ooo;
    uint32_t end = o->seq + o->len;
    if (tcp_seq_gt(end, c->rcv_nxt)) {
      uint32_t skip = c->rcv_nxt - o->seq;
      uint32_t n = tcp_bufq_append(s, &c->rcvq, o->data + skip, o->len - skip);
      c->rcv_nxt += n;
      c->bytes_received += n;
      if (n < o->len - skip) return;  // out of memory: keep the rest queued
    }
    c->ooo = o->next;
    c->ooo_segs--;
    c->ooo_bytes -= o->len;
    tcp_mem_free(s, o, sizeof(*o) + o->len);
  }
}

// Queues an out-of-order segment, trimming what is already held. Bounded by segments and bytes.
static void ooo_insert(tcp_conn_t* c, uint32_t seq, const uint8_t* data, uint32_t len) {
  tcp_stack_t* s = c->stack;
  if (c->ooo_segs >= s->cfg.ooo_max_segs || c->ooo_bytes + len > c->rcvbuf) {
    s->stats.ooo_drops++;
    return;
  }
  tcp_ooo_t** pp = &c->ooo;
  while (*pp != NULL && len > 0) {
    tcp_ooo_t* n = *pp;
    uint32_t nend = n->seq + n->len;
    if (tcp_seq_le(nend, seq)) {
      pp = &n->next;
      continue;
    }
    if (tcp_seq_le(n->seq, seq)) {  // n covers our start
      uint32_t cut = nend - seq;
      if (cut >= len) return;  // entirely duplicate
      data += cut;
      len -= cut;
      seq = nend;
      pp = &n->next;
      continue;
    }
    if (tcp_seq_ge(n->seq, seq + len)) break;  // n lies after us
    if (tcp_seq_le(nend, seq + len)) {         // we cover n: drop it
      *pp = n->next;
      c->ooo_segs--;
      c->ooo_bytes -= n->len;
      tcp_mem_free(s, n, sizeof(*n) + n->len);
      continue;
    }
    len = n->seq - seq;  // we end inside n: keep our head only
    break;
  }
  if (len == 0) return;
  tcp_ooo_t* o = tcp_mem_alloc(s, sizeof(*o) + len);
  if (o == NULL) {
    s->stats.ooo_drops++;
    return;
  }
  o->seq = seq;
  o->len = len;
  memcpy(o->data, data, len);
  o->next = *pp;
  *pp = o;
  c->ooo_segs++;
  c->ooo_bytes += len;
  c->ooo_last_seq = seq;
}

// Our FIN is acknowledged.
static bool fin_acked(const tcp_conn_t* c) {
  return c->fin_sent && tcp_seq_gt(c->snd_una, queued_end(c));
}

// Processes the FIN once every byte before it has arrived.
static void process_fin(tcp_conn_t* c) {
  c->rcv_nxt++;
  c->fin_rcvd = true;
  c->ack_now = true;
  switch (c->state) {
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
      c->state = TCP_CLOSE_WAIT;
      break;
    case TCP_FIN_WAIT_1:
      if (fin_acked(c)) {
        enter_time_wait(c);
      } else {
        c->state = TCP_CLOSING;
      }
      break;
    case TCP_FIN_WAIT_2:
      enter_time_wait(c);
      break;
    default:
      break;
  }
}

// Segment text and FIN (RFC 9293 3.10.7.4, seventh and eighth steps).
static void receive_text(tcp_conn_t* c, const tcp_segment_t* seg) {
  tcp_stack_t* s = c->stack;
  uint32_t seq = seg->seq;
  const uint8_t* data = seg->payload;
  uint32_t len = (uint32_t)seg->payload_len;
  bool fin = (seg->flags & TCP_FLAG_FIN) != 0;
  if (seg->flags & TCP_FLAG_SYN) seq++;  // SYN (in SYN-ACK) occupies the first number
  if (tcp_seq_lt(seq, c->rcv_nxt)) {
    uint32_t skip = c->rcv_nxt - seq;
    if (skip > len) {
      fin = false;  // the FIN (just after the data) was received before as well
      skip = len;
    }
    data += skip;
    len -= skip;
    seq += skip;
  }
  uint32_t edge = tcp_seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv : c->rcv_nxt;
  if (tcp_seq_gt(seq + len, edge)) {
    len = tcp_seq_gt(edge, seq) ? edge - seq : 0;
    fin = false;  // the FIN lies beyond what we offered; it will come again
  }
  if (len > 0 && !c->user_owned && !c->is_child) {
    // Nobody can read any more (closed by the application): tell the peer its data is lost.
    send_seg(c, c->snd_max, 0, TCP_FLAG_RST | TCP_FLAG_ACK);
    conn_done(c, NET_ERR_CONNRESET);
    return;
  }
  if (len == 0 && !fin) {
    if (seg->payload_len > 0) c->ack_now = true;  // a duplicate: tell the sender where we are
    return;
  }
  if (seq == c->rcv_nxt) {
    if (len > 0) {
      uint32_t n = tcp_bufq_append(s, &c->rcvq, data, len);
      c->rcv_nxt += n;
      c->bytes_received += n;
      if (n < len) fin = false;
      if (c->ooo != NULL) {
        ooo_pull(c);
        c->ack_now = true;  // RFC 5681 4.2: ACK at once when a gap is being filled
      }
      if (len >= c->mss) {
        // A super-segment (a TAP with offloads, GRO) counts as the full segments it carries,
        // so "ACK every second full segment" still holds.
        c->acks_owed = (uint8_t)min32(c->acks_owed + len / c->mss, 255);  // (a uint8_t)
      } else {
        c->acks_owed = c->acks_owed ? c->acks_owed : 1;
      }
    }
    if (fin && seq + len == c->rcv_nxt) {
      process_fin(c);
    }
  } else {
    if (len > 0) ooo_insert(c, seq, data, len);
    c->ack_now = true;  // RFC 5681 4.2: out-of-order data gets an immediate (duplicate) ACK
  }
}

// ---------------------------------------------------------------- ACK processing

// Retransmits the first unacknowledged segment (never reaching past snd_max).
static void rtx_first(tcp_conn_t* c) {
  uint32_t span = min32(c->mss + 1u, c->snd_max - c->snd_una);
  if (span > 0) xmit_span(c, c->snd_una, span);
}

// Starts loss recovery; unSACKed bytes below lost_below count as lost whatever the duplicates say
// (snd_una: none beyond RFC 6675's rules).
static void enter_recovery(tcp_conn_t* c, uint32_t lost_below) {
  tcp_stack_t* s = c->stack;
  c->rack_lost = lost_below;
  c->cc->on_loss(c, s->now_us);
  c->in_recovery = true;
  c->rto_recovery = false;
  c->recover = c->snd_max;
  c->rtx_fence = c->snd_max;
  c->rtt_timing = false;
  s->stats.fast_retransmits++;
  if (c->sack_ok) {
    c->cwnd = c->ssthresh;
    c->high_rxt = c->snd_una;
    sack_recovery_send(c, true);
    // The retransmissions are a new tail: if all of them are lost, probe once more rather than
    // wait for the timeout (a probe that triggered this recovery does not count).
    c->tlp_sent = 0;
    arm_rtx(c);
  } else {
    c->cwnd = c->ssthresh + DUPTHRESH * c->mss;
    rtx_first(c);
  }
}

static void exit_recovery(tcp_conn_t* c) {
  c->in_recovery = false;
  c->rack_lost = c->snd_una;
  c->dupacks = 0;
  if (c->rto_recovery) {
    c->rto_recovery = false;  // cwnd grew by slow start since the timeout: keep it
  } else if (c->sack_ok) {
    c->cwnd = c->ssthresh;
  } else {
    uint32_t fl = c->snd_max - c->snd_una;
    c->cwnd = min32(c->ssthresh, max32(fl, c->mss) + c->mss);  // RFC 6582 3.2 step 3
  }
}

// The retransmission of the first missing segment was lost as well: send it once more.
static void resend_first_hole(tcp_conn_t* c) {
  uint32_t end = c->sb_count > 0 ? c->sb[0].left : c->snd_max;
  xmit_span(c, c->snd_una, hole_span(c, c->snd_una, end));
  c->stack->stats.lost_retransmits++;
}

// Returns false when the segment must be dropped (its ACK was unacceptable).
static bool process_ack(tcp_conn_t* c, const tcp_segment_t* seg) {
  tcp_stack_t* s = c->stack;
  uint32_t ack = seg->ack;
  if (tcp_seq_gt(ack, c->snd_max)) {
    challenge_ack(c);  // acknowledges something never sent (RFC 9293 / RFC 5961 5.2)
    return false;
  }
  uint32_t floor = c->snd_una - max32(c->max_snd_wnd, 65535);
  if (tcp_seq_lt(ack, floor)) {
    challenge_ack(c);  // far too old: likely blind injection (RFC 5961 5.2)
    return false;
  }
  uint32_t wnd = (uint32_t)seg->wnd << c->snd_wscale;
  bool wnd_changed = false;
  if (tcp_seq_ge(ack, c->snd_una) && (tcp_seq_lt(c->snd_wl1, seg->seq) ||
                                      (c->snd_wl1 == seg->seq && tcp_seq_le(c->snd_wl2, ack)))) {
    wnd_changed = wnd != c->snd_wnd;
    c->snd_wnd = wnd;
    c->snd_wl1 = seg->seq;
    c->snd_wl2 = ack;
    if (wnd > c->max_snd_wnd) c->max_snd_wnd = wnd;
    if (wnd > 0) c->persist_backoff = 0;
  }
  bool sack_grew = false;
  if (c->sack_ok && (seg->opt.present & TCP_OPT_SACK)) {
    for (uint8_t i = 0; i < seg->opt.sack_count; i++) {
      if (sb_add(c, seg->opt.sack[i].left, seg->opt.sack[i].right)) sack_grew = true;
    }
  }
  // A retransmission is lost when data sent after it is SACKed (by more than the reordering
  // allowance) while its hole is still open: send the holes again.
  uint32_t una_after = tcp_seq_max(ack, c->snd_una);
  if (c->in_recovery && c->sack_ok && c->sb_count > 0 && tcp_seq_lt(una_after, c->high_rxt) &&
      tcp_seq_gt(c->sb[c->sb_count - 1].right, c->rtx_fence + DUPTHRESH * c->mss)) {
    c->high_rxt = una_after;
    c->rtx_fence = c->snd_max;
    s->stats.lost_retransmits++;
  }
  if (tcp_seq_gt(ack, c->snd_una)) {
    uint32_t acked = ack - c->snd_una;
    // Data bytes now acknowledged (the FIN's number is not in the queue).
    uint32_t qend = queued_end(c);
    uint32_t data_upto = tcp_seq_lt(ack, qend) ? ack : qend;
    if (tcp_seq_gt(data_upto, c->sndq_seq)) {
      tcp_bufq_drop(s, &c->sndq, data_upto - c->sndq_seq);
      c->sndq_seq = data_upto;
    }
    if (c->rtt_timing && tcp_seq_gt(ack, c->rtt_seq)) {
      rtt_sample(c, s->now_us - c->rtt_start_us);
      c->rtt_timing = false;
    }
    c->snd_una = ack;
    c->tlp_sent = 0;
    // The new first byte may have been resent already; the latest resend time is a safe bound.
    c->una_rtx_us = tcp_seq_lt(ack, c->high_rxt) ? c->last_rtx_us : 0;
    if (tcp_seq_lt(c->snd_nxt, ack)) c->snd_nxt = ack;
    if (tcp_seq_lt(c->high_rxt, ack)) c->high_rxt = ack;
    c->retries = 0;
    if (c->backoff) {
      c->backoff = 0;
      if (c->srtt_us) set_rto_from_srtt(c);
    }
    sb_trim(c);
    if (c->in_recovery) {
      if (c->rto_recovery) c->cc->on_ack(c, acked, s->now_us);  // slow start after a timeout
      if (tcp_seq_ge(ack, c->recover)) {
        exit_recovery(c);
      } else if (!c->sack_ok) {
        // RFC 6582 partial ACK: retransmit the next hole, deflate by the amount acknowledged.
        rtx_first(c);
        c->cwnd = c->cwnd > acked ? c->cwnd - acked : c->mss;
        if (acked >= c->mss) c->cwnd += c->mss;
        arm_rtx(c);
      }
    } else {
      c->dupacks = 0;
      c->cc->on_ack(c, acked, s->now_us);
    }
    if (c->snd_una == c->snd_max) {
      c->t_rtx = 0;
    } else {
      arm_rtx(c);
    }
    c->t_persist = 0;
  } else if (ack == c->snd_una && c->snd_una != c->snd_max) {
    // Duplicate ACK (RFC 5681 section 2), or with SACK any ACK reporting new SACKed data.
    bool dup =
        seg->payload_len == 0 && !(seg->flags & (TCP_FLAG_SYN | TCP_FLAG_FIN)) && !wnd_changed;
    if (c->in_recovery && (dup || sack_grew) && c->una_rtx_us != 0) {
      // Later segments keep arriving more than a round trip after we resent the first missing
      // one, yet it is still missing: that retransmission was lost too (the core idea of RACK,
      // RFC 8985, for the segment that blocks everything). Resend it instead of waiting for RTO;
      // if it is not yet overdue, arm a timer for when it will be (no further ACK may come).
      uint64_t due = c->una_rtx_us + c->srtt_us + c->srtt_us / 4 + RACK_REO_MIN_US;
      if (s->now_us > due) {
        resend_first_hole(c);
      } else if (!c->rack_pending && (c->t_rtx == 0 || due < c->t_rtx)) {
        c->tlp_pending = false;
        c->rack_pending = true;
        set_timer(c, &c->t_rtx, due);
      }
    }
    if (dup || sack_grew) {
      c->dupacks++;
      if (!c->in_recovery) {
        // Early retransmit (RFC 5827): with fewer than four segments outstanding and nothing new
        // to send, fewer duplicates can ever arrive, so the threshold drops to outstanding - 1.
        uint32_t thresh = DUPTHRESH;
        uint32_t oseg = (c->snd_max - c->snd_una + c->mss - 1) / c->mss;
        if (oseg < 4 && !tcp_seq_lt(c->snd_max, queued_end(c))) thresh = oseg > 2 ? oseg - 1 : 1;
        bool trigger = c->dupacks >= thresh || (c->sack_ok && sb_lost(c, c->snd_una));
        // RFC 6582 4.1: duplicates of data sent before the last recovery or timeout (below
        // "recover") must not start another one.
        if (trigger && tcp_seq_ge(ack, c->recover)) {
          enter_recovery(c, c->snd_una);
        } else if (sack_grew && c->sb_count > 0 && tcp_seq_ge(ack, c->recover) && c->srtt_us) {
          // Too few duplicates (a lost burst, a lost tail answered by a probe): data sent after
          // the hole arrived, so the hole is lost unless it was merely reordered. Allow a
          // quarter round trip for that (RFC 8985's reordering window), then recover.
          uint64_t when = s->now_us + max32(c->srtt_us / 4, RACK_REO_MIN_US);
          if (!c->rack_pending && (c->t_rtx == 0 || when < c->t_rtx)) {
            c->tlp_pending = false;
            c->rack_pending = true;
            set_timer(c, &c->t_rtx, when);
          }
        }
      } else if (!c->sack_ok) {
        c->cwnd += c->mss;  // NewReno window inflation
      }
    }
  }
  return true;
}

// ---------------------------------------------------------------- segment arrival

static void listen_input(tcp_stack_t* s, tcp_conn_t* l, uint32_t src, uint32_t dst,
                         const tcp_segment_t* seg);
static bool cookie_check(tcp_stack_t* s, tcp_conn_t* l, uint32_t src, uint32_t dst,
                         const tcp_segment_t* seg);

static void syn_sent_input(tcp_conn_t* c, const tcp_segment_t* seg) {
  bool ack = (seg->flags & TCP_FLAG_ACK) != 0;
  bool acceptable = false;
  if (ack) {
    if (tcp_seq_le(seg->ack, c->iss) || tcp_seq_gt(seg->ack, c->snd_max)) {
      send_rst_for(c->stack, c->raddr, c->laddr, seg);
      return;
    }
    acceptable = true;
  }
  if (seg->flags & TCP_FLAG_RST) {
    if (acceptable) {
      c->stack->stats.rst_received++;
      conn_done(c, NET_ERR_CONNREFUSED);
    }
    return;
  }
  if (!(seg->flags & TCP_FLAG_SYN)) return;
  c->irs = seg->seq;
  c->rcv_nxt = seg->seq + 1;
  c->rcv_adv = c->rcv_nxt + min32(c->rcvbuf, 65535);  // what our SYN offered, unscaled
  // The SYN-ACK may lack options we offered: then they are off in both directions.
  tcp_segment_t eff = *seg;
  if (!c->syn_opt_ws) eff.opt.present &= (uint8_t)~TCP_OPT_WSCALE;
  if (!c->syn_opt_sack) eff.opt.present &= (uint8_t)~TCP_OPT_SACK_PERM;
  if (!c->syn_opt_ts) eff.opt.present &= (uint8_t)~TCP_OPT_TS;
  negotiate(c, &eff);
  init_cc(c);
  c->snd_wnd = seg->wnd;  // never scaled in a SYN (RFC 7323 2.2)
  c->max_snd_wnd = c->snd_wnd;
  c->snd_wl1 = seg->seq;
  c->snd_wl2 = seg->ack;
  if (acceptable) {
    c->snd_una = seg->ack;
    if (c->retries == 0) rtt_sample(c, c->stack->now_us - c->rtt_start_us);  // Karn
    c->rtt_timing = false;
    c->retries = 0;
    c->backoff = 0;
    c->t_rtx = 0;
    c->state = TCP_ESTABLISHED;
    c->stack->stats.conns_established++;
    c->last_rcv_us = c->stack->now_us;
    if (c->keepalive)
      set_timer(c, &c->t_keep, c->stack->now_us + (uint64_t)c->keep_idle_ms * US_PER_MS);
    c->ack_now = true;
  } else {
    // Simultaneous open (RFC 9293 figure 7): answer with SYN-ACK and wait for its ACK.
    c->state = TCP_SYN_RECEIVED;
    c->syn_opt_ws = c->ws_ok;
    c->syn_opt_sack = c->sack_ok;
    c->syn_opt_ts = c->ts_ok;
    send_seg(c, c->iss, 0, TCP_FLAG_SYN | TCP_FLAG_ACK);
    arm_rtx(c);
  }
}

// RFC 9293 3.10.7.4 for SYN_RECEIVED and the synchronized states. Returns false if c was freed.
static bool sync_input(tcp_conn_t* c, const tcp_segment_t* seg) {
  tcp_stack_t* s = c->stack;
  uint8_t fl = seg->flags;
  uint32_t seglen =
      (uint32_t)seg->payload_len + ((fl & TCP_FLAG_SYN) ? 1 : 0) + ((fl & TCP_FLAG_FIN) ? 1 : 0);
  // A retransmitted SYN while we wait for the handshake's ACK: send the SYN-ACK again.
  if (c->state == TCP_SYN_RECEIVED && (fl & TCP_FLAG_SYN) && !(fl & TCP_FLAG_ACK) &&
      seg->seq == c->irs) {
    send_seg(c, c->iss, 0, TCP_FLAG_SYN | TCP_FLAG_ACK);
    return true;
  }
  // PAWS (RFC 7323 5.3).
  if (c->ts_ok && (seg->opt.present & TCP_OPT_TS) && !(fl & TCP_FLAG_RST)) {
    if (tcp_seq_lt(seg->opt.tsval, c->ts_recent) && s->now_us - c->ts_recent_us < PAWS_IDLE_US) {
      s->stats.paws_drops++;
      send_ack(c);
      return true;
    }
  }
  uint32_t wnd = tcp_seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
  if (!tcp_seq_acceptable(seg->seq, seglen, c->rcv_nxt, wnd)) {
    s->stats.out_of_window++;
    if (fl & TCP_FLAG_RST) return true;
    if (c->state == TCP_TIME_WAIT && (fl & TCP_FLAG_FIN)) {
      // The peer did not get our last ACK: acknowledge again and restart 2 MSL (RFC 9293).
      set_timer(c, &c->t_close, s->now_us + 2ull * s->cfg.msl_ms * US_PER_MS);
    }
    if (fl & TCP_FLAG_SYN) {
      challenge_ack(c);
    } else {
      send_ack(c);
    }
    return true;
  }
  c->last_rcv_us = s->now_us;
  c->keep_probes = 0;
  if (c->keepalive && (c->state == TCP_ESTABLISHED || c->state == TCP_CLOSE_WAIT)) {
    set_timer(c, &c->t_keep, s->now_us + (uint64_t)c->keep_idle_ms * US_PER_MS);
  }
  // RST (RFC 5961 3.2): exact match resets, otherwise a challenge ACK.
  if (fl & TCP_FLAG_RST) {
    if (seg->seq != c->rcv_nxt) {
      challenge_ack(c);
      return true;
    }
    s->stats.rst_received++;
    switch (c->state) {
      case TCP_SYN_RECEIVED:
        conn_done(c, c->is_child ? NET_ERR_CONNRESET : NET_ERR_CONNREFUSED);
        break;
      case TCP_CLOSING:
      case TCP_LAST_ACK:
      case TCP_TIME_WAIT:
        conn_done(c, NET_OK);
        break;
      default:
        conn_done(c, NET_ERR_CONNRESET);
        break;
    }
    return false;
  }
  // SYN in a synchronized state (RFC 5961 4.2): challenge ACK, never a reset of ours.
  if (fl & TCP_FLAG_SYN) {
    challenge_ack(c);
    return true;
  }
  if (!(fl & TCP_FLAG_ACK)) return true;
  // Timestamps: remember the newest in-order one (RFC 7323 4.3).
  if (c->ts_ok && (seg->opt.present & TCP_OPT_TS) && tcp_seq_le(seg->seq, c->rcv_nxt) &&
      tcp_seq_ge(seg->opt.tsval, c->ts_recent)) {
    c->ts_recent = seg->opt.tsval;
    c->ts_recent_us = s->now_us;
  }
  if (c->state == TCP_SYN_RECEIVED) {
    if (!(tcp_seq_gt(seg->ack, c->snd_una) && tcp_seq_le(seg->ack, c->snd_max))) {
      send_rst_for(s, c->raddr, c->laddr, seg);
      return true;
    }
    c->state = TCP_ESTABLISHED;
    s->stats.conns_established++;
    c->snd_una = seg->ack;
    c->snd_wnd = (uint32_t)seg->wnd << c->snd_wscale;
    c->max_snd_wnd = c->snd_wnd;
    c->snd_wl1 = seg->seq;
    c->snd_wl2 = seg->ack;
    if (c->retries == 0) rtt_sample(c, s->now_us - c->rtt_start_us);
    c->retries = 0;
    c->backoff = 0;
    c->t_rtx = 0;
    if (c->is_child) c->ready = true;
    if (c->fin_queued) c->state = TCP_FIN_WAIT_1;  // shut down during the handshake
    if (c->keepalive) set_timer(c, &c->t_keep, s->now_us + (uint64_t)c->keep_idle_ms * US_PER_MS);
  }
  switch (c->state) {
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
      if (!process_ack(c, seg)) return true;
      break;
    default:
      break;
  }
  if (c->state == TCP_FIN_WAIT_1 && fin_acked(c)) {
    c->state = TCP_FIN_WAIT_2;
    c->t_rtx = 0;
    // An orphaned connection must not wait forever for the peer's FIN.
    if (!c->user_owned) set_timer(c, &c->t_close, s->now_us + 2ull * s->cfg.msl_ms * US_PER_MS);
  } else if (c->state == TCP_CLOSING && fin_acked(c)) {
    enter_time_wait(c);
  } else if (c->state == TCP_LAST_ACK && fin_acked(c)) {
    conn_done(c, NET_OK);
    return false;
  }
  // Urgent data (URG) is delivered inline like any other byte; the pointer is ignored.
  switch (c->state) {
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
      if (seg->payload_len > 0 || (fl & TCP_FLAG_FIN)) {
        receive_text(c, seg);
        if (c->state == TCP_CLOSED) return false;  // conn_done freed or closed it
      }
      break;
    default:
      break;
  }
  return true;
}

void tcp_input(tcp_stack_t* s, uint32_t src, uint32_t dst, const uint8_t* buf, size_t len) {
  refresh_now(s);
  s->stats.segs_in++;
  tcp_segment_t seg;
  if (tcp_wire_parse(buf, len, &seg) != TCP_WIRE_OK) {
    s->stats.bad_segments++;
    return;
  }
  if (tcp_wire_checksum(src, dst, buf, len) != 0) {
    s->stats.bad_checksum++;
    return;
  }
  if (seg.sport == 0 || seg.dport == 0) {
    s->stats.bad_segments++;
    return;
  }
  tcp_conn_t* c = lookup(s, dst, seg.dport, src, seg.sport);
  if (c != NULL && c->state == TCP_TIME_WAIT && (seg.flags & TCP_FLAG_SYN) &&
      !(seg.flags & (TCP_FLAG_ACK | TCP_FLAG_RST))) {
    // Safe TIME_WAIT reuse (RFC 6191 with timestamps, RFC 1122 4.2.2.13 without): a new SYN
    // whose sequence or timestamp is beyond the old connection's ends TIME_WAIT early.
    bool newer = (c->ts_ok && (seg.opt.present & TCP_OPT_TS))
                     ? tcp_seq_gt(seg.opt.tsval, c->ts_recent)
                     : tcp_seq_gt(seg.seq, c->rcv_nxt);
    tcp_conn_t* l = lookup_listener(s, dst, seg.dport);
    if (newer && l != NULL) {
      conn_done(c, NET_OK);
      listen_input(s, l, src, dst, &seg);
      return;
    }
  }
  if (c == NULL) {
    tcp_conn_t* l = lookup_listener(s, dst, seg.dport);
    if (l != NULL) {
      listen_input(s, l, src, dst, &seg);
      return;
    }
    s->stats.no_conn++;
    send_rst_for(s, src, dst, &seg);
    return;
  }
  if (c->state == TCP_SYN_SENT) {
    syn_sent_input(c, &seg);
  } else if (!sync_input(c, &seg)) {
    return;
  }
  if (c->state != TCP_CLOSED) tcp_output(c);
}

void tcp_icmp_error(tcp_stack_t* s, uint32_t local_ip, uint32_t remote_ip, const uint8_t* q,
                    size_t qlen, int err) {
  if (s == NULL || q == NULL || qlen < 8) return;
  refresh_now(s);
  uint16_t sport = (uint16_t)((q[0] << 8) | q[1]);
  uint16_t dport = (uint16_t)((q[2] << 8) | q[3]);
  uint32_t seq = ((uint32_t)q[4] << 24) | ((uint32_t)q[5] << 16) | ((uint32_t)q[6] << 8) | q[7];
  tcp_conn_t* c = lookup(s, local_ip, sport, remote_ip, dport);
  if (c == NULL) return;
  // Only a segment we sent and that is still unacknowledged can be quoted.
  if (!tcp_seq_in(seq, c->snd_una, c->snd_max)) return;
  if (c->state == TCP_SYN_SENT &&
      (err == NET_ERR_CONNREFUSED || err == NET_ERR_HOSTUNREACH || err == NET_ERR_NETUNREACH)) {
    conn_done(c, err);
  }
}

// ---------------------------------------------------------------- passive open, SYN cookies

static const uint16_t kCookieMss[8] = {216, 536, 1200, 1360, 1400, 1440, 1460, 8960};
#define COOKIE_PERIOD_US (64ull * 1000000)

static uint32_t cookie_hash(tcp_stack_t* s, uint32_t src, uint16_t sp, uint32_t dst, uint16_t dp,
                            uint32_t peer_isn, uint32_t t) {
  uint8_t b[20];
  memcpy(b, &src, 4);
  memcpy(b + 4, &dst, 4);
  memcpy(b + 8, &sp, 2);
  memcpy(b + 10, &dp, 2);
  memcpy(b + 12, &peer_isn, 4);
  memcpy(b + 16, &t, 4);
  return (uint32_t)crypto_siphash24(s->cookie_key, b, sizeof(b));
}

// Cookie ISN layout: 5 bits time counter, 3 bits MSS index, 24 bits keyed hash. Window scale and
// SACK-permitted ride in the low 5 bits of our timestamp when the peer does timestamps.
static void send_cookie_synack(tcp_stack_t* s, tcp_conn_t* l, uint32_t src, uint32_t dst,
                               const tcp_segment_t* seg) {
  uint32_t t = (uint32_t)(s->now_us / COOKIE_PERIOD_US);
  uint16_t mss = (seg->opt.present & TCP_OPT_MSS) ? seg->opt.mss : DEFAULT_MSS;
  uint32_t mi = 0;
  for (uint32_t i = 0; i < 8; i++) {
    if (kCookieMss[i] <= mss) mi = i;
  }
  uint32_t isn = ((t & 31u) << 27) | (mi << 24) |
                 (cookie_hash(s, src, seg->sport, dst, seg->dport, seg->seq, t) & 0xffffffu);
  tcp_segment_t h;
  memset(&h, 0, sizeof(h));
  h.sport = seg->dport;
  h.dport = seg->sport;
  h.seq = isn;
  h.ack = seg->seq + 1;
  h.flags = TCP_FLAG_SYN | TCP_FLAG_ACK;
  h.wnd = (uint16_t)min32(l->rcvbuf, 65535);
  h.opt.present = TCP_OPT_MSS;
  h.opt.mss = (uint16_t)(s->cfg.mtu - 40);
  if (s->cfg.timestamps && (seg->opt.present & TCP_OPT_TS)) {
    uint32_t enc = 0x0f;  // no window scaling
    if (s->cfg.window_scaling && (seg->opt.present & TCP_OPT_WSCALE)) {
      enc = seg->opt.wscale;
      h.opt.present |= TCP_OPT_WSCALE;
      h.opt.wscale = wscale_for(l->rcvbuf);
    }
    if (s->cfg.sack && (seg->opt.present & TCP_OPT_SACK_PERM)) {
      enc |= 0x10;
      h.opt.present |= TCP_OPT_SACK_PERM;
    }
    h.opt.present |= TCP_OPT_TS;
    h.opt.tsval = ((uint32_t)(s->now_us / US_PER_MS) & ~0x1fu) | enc;
    h.opt.tsecr = seg->opt.tsval;
  }
  uint8_t buf[TCP_HDR_MAX];
  size_t hl = 0;
  if (tcp_wire_emit(buf, sizeof(buf), &h, &hl) != TCP_WIRE_OK) return;
  raw_output(s, dst, src, buf, hl);
  s->last_cookie_us = s->now_us ? s->now_us : 1;
  s->stats.syncookies_sent++;
}

// A passively opened connection: its endpoints come from the peer's segment, its buffer sizes
// and socket options from the listener (both the backlog path and the SYN-cookie path).
static void child_init(tcp_conn_t* c, const tcp_conn_t* l, uint32_t src, uint32_t dst,
                       const tcp_segment_t* seg) {
  c->laddr = dst;
  c->raddr = src;
  c->lport = seg->dport;
  c->rport = seg->sport;
  c->sndbuf = l->sndbuf;
  c->rcvbuf = l->rcvbuf;
  c->nodelay = l->nodelay;
  c->keepalive = l->keepalive;
  c->keep_idle_ms = l->keep_idle_ms;
  c->keep_intvl_ms = l->keep_intvl_ms;
  c->keep_count = l->keep_count;
  c->cc = l->cc;
}

// An ACK reached a listener: it may complete a handshake we answered with a cookie.
static bool cookie_check(tcp_stack_t* s, tcp_conn_t* l, uint32_t src, uint32_t dst,
                         const tcp_segment_t* seg) {
  if (s->last_cookie_us == 0 || s->now_us - s->last_cookie_us > 3 * COOKIE_PERIOD_US) {
    return false;
  }
  uint32_t isn = seg->ack - 1;
  uint32_t peer_isn = seg->seq - 1;
  uint32_t now_t = (uint32_t)(s->now_us / COOKIE_PERIOD_US);
  uint32_t age = (now_t - (isn >> 27)) & 31u;
  if (age > 2) {
    s->stats.syncookies_bad++;
    return false;
  }
  uint32_t t = now_t - age;
  if ((cookie_hash(s, src, seg->sport, dst, seg->dport, peer_isn, t) & 0xffffffu) !=
      (isn & 0xffffffu)) {
    s->stats.syncookies_bad++;
    return false;
  }
  if (ready_children(l) >= l->backlog) {
    s->stats.backlog_drops++;
    return true;  // valid but no room: drop; the peer's retransmission may find room
  }
  tcp_conn_t* c = conn_alloc(s);
  if (c == NULL) {
    s->stats.backlog_drops++;
    return true;
  }
  s->stats.syncookies_ok++;
  s->stats.passive_opens++;
  s->stats.conns_established++;
  child_init(c, l, src, dst, seg);
  c->iss = isn;
  c->irs = peer_isn;
  c->rcv_nxt = seg->seq;
  c->rcv_adv = seg->seq + min32(c->rcvbuf, 65535);  // the cookie SYN-ACK's window
  c->snd_una = c->snd_nxt = c->snd_max = c->sndq_seq = seg->ack;
  c->peer_mss = kCookieMss[(isn >> 24) & 7u];
  if (seg->opt.present & TCP_OPT_TS) {
    uint32_t enc = seg->opt.tsecr & 0x1fu;
    c->ts_ok = true;
    c->ts_recent = seg->opt.tsval;
    c->ts_recent_us = s->now_us;
    c->sack_ok = (enc & 0x10) != 0;
    if ((enc & 0x0f) != 0x0f) {
      c->ws_ok = true;
      c->snd_wscale = (uint8_t)min32(enc & 0x0f, TCP_WSCALE_MAX);
      c->rcv_wscale = wscale_for(c->rcvbuf);
    }
  }
  set_mss(c);
  init_cc(c);
  c->snd_wnd = (uint32_t)seg->wnd << c->snd_wscale;
  c->max_snd_wnd = c->snd_wnd;
  c->snd_wl1 = seg->seq;
  c->snd_wl2 = seg->ack;
  c->state = TCP_ESTABLISHED;
  c->last_rcv_us = s->now_us;
  hash_insert(c);
  child_link(l, c);
  c->ready = true;
  // The ACK may carry data already.
  if (seg->payload_len > 0 || (seg->flags & TCP_FLAG_FIN)) receive_text(c, seg);
  if (c->state != TCP_CLOSED) tcp_output(c);
  return true;
}

static void listen_input(tcp_stack_t* s, tcp_conn_t* l, uint32_t src, uint32_t dst,
                         const tcp_segment_t* seg) {
  if (seg->flags & TCP_FLAG_RST) return;
  if (seg->flags & TCP_FLAG_ACK) {
    if (!(seg->flags & TCP_FLAG_SYN) && cookie_check(s, l, src, dst, seg)) return;
    send_rst_for(s, src, dst, seg);
    return;
  }
  if (!(seg->flags & TCP_FLAG_SYN)) return;
  // Accept queue full (established children the application has not taken): drop the SYN, as
  // Linux does, so the peer retransmits it later. A cookie answer here would be worse: the
  // handshake's ACK would find the queue still full and be dropped, leaving a peer that believes
  // it is connected and, if it waits for us to speak or its data is dropped the same way on each
  // retransmission, hangs (the flaky 1,000-connection test: a burst of handshakes read before
  // the application ran).
  if (ready_children(l) >= l->backlog) {
    s->stats.backlog_drops++;
    return;
  }
  tcp_conn_t* c = NULL;
  if (l->n_children < l->backlog) c = conn_alloc(s);
  if (c == NULL) {
    if (s->cfg.syncookies) {
      send_cookie_synack(s, l, src, dst, seg);
    } else {
      s->stats.backlog_drops++;
    }
    return;
  }
  s->stats.passive_opens++;
  child_init(c, l, src, dst, seg);
  c->irs = seg->seq;
  c->rcv_nxt = seg->seq + 1;
  c->rcv_adv = c->rcv_nxt;
  negotiate(c, seg);
  c->syn_opt_ws = c->ws_ok;
  c->syn_opt_sack = c->sack_ok;
  c->syn_opt_ts = c->ts_ok;
  if (c->ts_ok) {
    uint32_t r;
    s->env.random_bytes(s->env.ctx, &r, sizeof(r));
    c->ts_offset = r;
  }
  c->iss = make_isn(s, dst, seg->dport, src, seg->sport);
  c->snd_una = c->iss;
  c->snd_nxt = c->snd_max = c->sndq_seq = c->iss + 1;
  c->snd_wnd = seg->wnd;
  c->snd_wl1 = seg->seq;
  init_cc(c);
  c->state = TCP_SYN_RECEIVED;
  hash_insert(c);
  child_link(l, c);
  c->rtt_start_us = s->now_us;
  send_seg(c, c->iss, 0, TCP_FLAG_SYN | TCP_FLAG_ACK);
  arm_rtx(c);
}

// ---------------------------------------------------------------- timers

static void rto_fire(tcp_conn_t* c) {
  tcp_stack_t* s = c->stack;
  const tcp_config_t* cfg = &s->cfg;
  c->t_rtx = 0;
  if (c->state == TCP_SYN_SENT || c->state == TCP_SYN_RECEIVED) {
    s->stats.rto_timeouts++;
    if (++c->retries > cfg->syn_retries) {
      conn_done(c, NET_ERR_TIMEDOUT);
      return;
    }
    c->rto_us = (uint32_t)min32(c->rto_us * 2, cfg->rto_max_ms * 1000u);
    c->retransmits++;
    s->stats.retransmits++;
    send_seg(c, c->iss, 0,
             (uint8_t)(TCP_FLAG_SYN | (c->state == TCP_SYN_RECEIVED ? TCP_FLAG_ACK : 0)));
    arm_rtx(c);
    return;
  }
  if (c->snd_una == c->snd_max || !can_send_state(c)) return;
  if (c->rack_pending) {
    // Data sent after the first hole was SACKed a reordering allowance ago and the hole is
    // still open: it was lost (RFC 8985's time-based rule, with the SACKed data's send time
    // bounded by the hole's). Everything unSACKed below the highest SACKed block is lost.
    c->rack_pending = false;
    if (!c->in_recovery && c->sb_count > 0 && tcp_seq_ge(c->snd_una, c->recover)) {
      enter_recovery(c, c->sb[c->sb_count - 1].left);
    } else if (c->in_recovery && c->sack_ok && c->una_rtx_us != 0) {
      resend_first_hole(c);  // its retransmission is overdue (see process_ack)
    }
    if (c->t_rtx == 0 && c->snd_una != c->snd_max) arm_rtx(c);
    return;
  }
  if (c->tlp_pending) {
    c->tlp_pending = false;
    c->tlp_sent++;
    s->stats.tail_loss_probes++;
    // The probe resends data already sent rather than new data (RFC 8985 prefers new data): a
    // receiver ACKs a duplicate or out-of-order segment at once, while a new in-order segment
    // may wait for its delayed-ACK timer (Linux: up to 200 ms), racing our timeout. And when only
    // the ACK of the flight was lost, the duplicate's ACK repairs that a round trip later.
    if (c->in_recovery && c->sack_ok) {
      // In recovery the first hole blocks everything: probe with it (its ACK restarts the clock).
      uint32_t end = c->sb_count > 0 ? c->sb[0].left : c->snd_max;
      xmit_span(c, c->snd_una, hole_span(c, c->snd_una, end));
    } else {
      uint32_t span = min32(c->snd_max - c->snd_una, c->mss);  // else the last segment again
      if (c->fin_sent && span == c->mss && c->snd_max - c->snd_una > c->mss) span++;
      xmit_span(c, c->snd_max - span, span);
    }
    arm_rtx(c);  // the next probe, or the timeout
    return;
  }
  s->stats.rto_timeouts++;
  if (++c->retries > cfg->max_retries) {
    send_seg(c, c->snd_max, 0, TCP_FLAG_RST | TCP_FLAG_ACK);
    conn_done(c, NET_ERR_TIMEDOUT);
    return;
  }
  c->cc->on_rto(c, s->now_us);
  c->cwnd = c->mss;
  c->dupacks = 0;
  c->recover = c->snd_max;
  c->rtt_timing = false;  // Karn
  c->backoff++;
  c->rto_us = (uint32_t)min32(c->rto_us * 2, cfg->rto_max_ms * 1000u);
  c->high_rxt = c->snd_una;
  if (c->sack_ok) {
    // Keep the scoreboard (our peers do not renege; RFC 6675 5.1 asks not to resend SACKed
    // data) and treat every other outstanding byte as lost: a SACK-driven slow start.
    c->in_recovery = true;
    c->rto_recovery = true;
    c->rack_lost = c->snd_una;
    c->rtx_fence = c->snd_max;
    sack_recovery_send(c, true);
  } else {
    c->in_recovery = false;
    c->sb_count = 0;
    c->snd_nxt = c->snd_una;  // go back: resend from the first unacknowledged byte
    tcp_output_ex(c, true);
  }
  if (c->t_rtx == 0 && c->snd_una != c->snd_max) arm_rtx(c);
}

static void persist_fire(tcp_conn_t* c) {
  tcp_stack_t* s = c->stack;
  c->t_persist = 0;
  if (!can_send_state(c)) return;
  uint32_t qend = queued_end(c);
  if (!tcp_seq_lt(c->snd_nxt, qend)) return;
  // The peer may keep its window shut as long as it answers (RFC 9293 3.8.6.1); only probes
  // that get no answer at all count toward the retry limit.
  if (c->keep_probes > s->cfg.max_retries) {
    send_seg(c, c->snd_max, 0, TCP_FLAG_RST | TCP_FLAG_ACK);
    conn_done(c, NET_ERR_TIMEDOUT);
    return;
  }
  uint32_t wnd_end = c->snd_una + c->snd_wnd;
  uint32_t room = tcp_seq_gt(wnd_end, c->snd_nxt) ? wnd_end - c->snd_nxt : 0;
  if (room > 0) {
    // A small window the sender SWS rule held back: the override timer fired, send what fits.
    uint32_t len = min32(min32(room, qend - c->snd_nxt), c->mss);
    xmit_span(c, c->snd_nxt, len);
    c->snd_nxt += len;
    return;
  }
  // Zero window probe: an old sequence number makes the receiver answer with its window.
  send_seg(c, c->snd_una - 1, 0, TCP_FLAG_ACK);
  c->keep_probes++;
  c->persist_backoff++;
  uint64_t iv = (uint64_t)c->rto_us << min32(c->persist_backoff, 10);
  if (iv > s->cfg.rto_max_ms * US_PER_MS) iv = s->cfg.rto_max_ms * US_PER_MS;
  set_timer(c, &c->t_persist, s->now_us + iv);
}

static void keep_fire(tcp_conn_t* c) {
  tcp_stack_t* s = c->stack;
  c->t_keep = 0;
  if (!c->keepalive || !(c->state == TCP_ESTABLISHED || c->state == TCP_CLOSE_WAIT)) return;
  uint64_t idle = s->now_us - c->last_rcv_us;
  if (idle < (uint64_t)c->keep_idle_ms * US_PER_MS && c->keep_probes == 0) {
    set_timer(c, &c->t_keep, c->last_rcv_us + (uint64_t)c->keep_idle_ms * US_PER_MS);
    return;
  }
  if (c->keep_probes >= c->keep_count) {
    send_seg(c, c->snd_max, 0, TCP_FLAG_RST | TCP_FLAG_ACK);
    conn_done(c, NET_ERR_TIMEDOUT);
    return;
  }
  if (c->snd_una == c->snd_max) {
    // RFC 9293 3.8.4: a segment with an old sequence number and no data makes the peer ACK.
    send_seg(c, c->snd_una - 1, 0, TCP_FLAG_ACK);
    c->keep_probes++;
    s->stats.keepalive_probes++;
  }
  set_timer(c, &c->t_keep, s->now_us + (uint64_t)c->keep_intvl_ms * US_PER_MS);
}

static uint64_t conn_deadline(const tcp_conn_t* c) {
  uint64_t d = UINT64_MAX;
  const uint64_t t[5] = {c->t_rtx, c->t_persist, c->t_delack, c->t_keep, c->t_close};
  for (int i = 0; i < 5; i++) {
    if (t[i] != 0 && t[i] < d) d = t[i];
  }
  return d;
}

void tcp_timers(tcp_stack_t* s) {
  refresh_now(s);
  uint64_t now = s->now_us;
  uint64_t hint = UINT64_MAX;
  int32_t i = s->used_head;
  while (i != TCP_NONE) {
    tcp_conn_t* c = &s->conns[i];
    int32_t next = c->list_next;
    if (conn_deadline(c) <= now) {
      // Each handler may end the connection; check the state before the next one.
      if (c->t_close && c->t_close <= now) {
        c->t_close = 0;
        conn_done(c, NET_OK);
        i = next;
        continue;
      }
      if (c->t_rtx && c->t_rtx <= now) rto_fire(c);
      if (c->state != TCP_CLOSED && c->t_persist && c->t_persist <= now) persist_fire(c);
      if (c->state != TCP_CLOSED && c->t_keep && c->t_keep <= now) keep_fire(c);
      if (c->state != TCP_CLOSED && c->t_delack && c->t_delack <= now) {
        c->t_delack = 0;
        if (c->acks_owed > 0) send_ack(c);
      }
    }
    uint64_t d = conn_deadline(c);  // a freed slot has no timers
    if (d < hint) hint = d;
    i = next;
  }
  s->next_hint_us = hint;
}

uint64_t tcp_next_deadline_us(tcp_stack_t* s) { return s->next_hint_us; }

// ---------------------------------------------------------------- API

int tcp_connect(tcp_stack_t* s, uint32_t la, uint16_t lp, uint32_t ra, uint16_t rp,
                tcp_conn_t** out) {
  if (s == NULL || out == NULL || ra == 0 || rp == 0 || la == 0) return NET_ERR_INVAL;
  refresh_now(s);
  if (lp == 0) {
    int r = pick_port(s, la, ra, rp, &lp);
    if (r != NET_OK) return r;
  } else if (lookup(s, la, lp, ra, rp) != NULL) {
    return NET_ERR_ADDRINUSE;
  }
  tcp_conn_t* c = conn_alloc(s);
  if (c == NULL) return NET_ERR_NOMEM;
  s->stats.active_opens++;
  c->user_owned = true;
  c->laddr = la;
  c->lport = lp;
  c->raddr = ra;
  c->rport = rp;
  c->syn_opt_ws = s->cfg.window_scaling;
  c->syn_opt_sack = s->cfg.sack;
  c->syn_opt_ts = s->cfg.timestamps;
  c->rcv_wscale = c->syn_opt_ws ? wscale_for(c->rcvbuf) : 0;
  uint32_t r;
  s->env.random_bytes(s->env.ctx, &r, sizeof(r));
  c->ts_offset = r;
  c->iss = make_isn(s, la, lp, ra, rp);
  c->snd_una = c->iss;
  c->snd_nxt = c->snd_max = c->sndq_seq = c->iss + 1;
  c->peer_mss = DEFAULT_MSS;
  set_mss(c);
  c->state = TCP_SYN_SENT;
  hash_insert(c);
  c->rtt_start_us = s->now_us;
  send_seg(c, c->iss, 0, TCP_FLAG_SYN);
  arm_rtx(c);
  *out = c;
  return NET_OK;
}

int tcp_listen(tcp_stack_t* s, uint32_t la, uint16_t port, uint32_t backlog, tcp_conn_t** out) {
  if (s == NULL || out == NULL || port == 0) return NET_ERR_INVAL;
  refresh_now(s);
  for (int32_t i = s->listen_head; i != TCP_NONE; i = s->conns[i].hash_next) {
    const tcp_conn_t* l = &s->conns[i];
    if (l->lport == port && (l->laddr == la || l->laddr == 0 || la == 0)) {
      return NET_ERR_ADDRINUSE;
    }
  }
  tcp_conn_t* c = conn_alloc(s);
  if (c == NULL) return NET_ERR_NOMEM;
  c->user_owned = true;
  c->laddr = la;
  c->lport = port;
  c->backlog = (uint16_t)(backlog == 0 ? NET_TCP_BACKLOG : min32(backlog, 65535));
  c->state = TCP_LISTEN;
  hash_insert(c);
  *out = c;
  return NET_OK;
}

int tcp_accept(tcp_conn_t* l, tcp_conn_t** out) {
  if (l == NULL || out == NULL || l->state != TCP_LISTEN) return NET_ERR_INVAL;
  tcp_stack_t* s = l->stack;
  uint32_t guard = 0;  // bounded like every walk of the child list
  for (int32_t i = l->acc_next; i != TCP_NONE && guard++ <= s->cfg.max_conns;
       i = s->conns[i].acc_next) {
    tcp_conn_t* c = &s->conns[i];
    if (!c->ready) continue;
    child_unlink(c);
    c->ready = false;
    c->user_owned = true;
    *out = c;
    return NET_OK;
  }
  return NET_ERR_WOULDBLOCK;
}

long tcp_send(tcp_conn_t* c, const void* buf, size_t len) { return tcp_send_flags(c, buf, len, 0); }

long tcp_send_flags(tcp_conn_t* c, const void* buf, size_t len, unsigned flags) {
  if (c == NULL || (flags & ~TCP_SEND_DEFER) != 0 || (buf == NULL && len > 0)) return NET_ERR_INVAL;
  tcp_stack_t* s = c->stack;
  refresh_now(s);
  if (c->err != NET_OK) return c->err;
  if (c->fin_queued) return NET_ERR_PIPE;
  switch (c->state) {
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
      break;
    default:
      return NET_ERR_NOTCONN;
  }
  if (len == 0) return 0;
  uint32_t room = c->sndbuf > c->sndq.bytes ? c->sndbuf - c->sndq.bytes : 0;
  if (room == 0) return NET_ERR_WOULDBLOCK;
  uint32_t want = len < room ? (uint32_t)len : room;
  uint32_t n = tcp_bufq_append(s, &c->sndq, buf, want);
  if (n == 0) return NET_ERR_WOULDBLOCK;
  if (flags & TCP_SEND_DEFER) {
    if (!c->out_pending) {
      c->out_pending = true;
      s->out_pending++;
    }
  } else {
    tcp_output(c);
  }
  return (long)n;
}

void tcp_flush_pending(tcp_stack_t* s) {
  if (s == NULL || s->out_pending == 0) return;
  refresh_now(s);
  uint32_t guard = 0;
  int32_t i = s->used_head;
  while (i != TCP_NONE && s->out_pending > 0 && guard++ <= s->cfg.max_conns) {
    tcp_conn_t* c = &s->conns[i];
    i = c->list_next;  // read first: the walk must not depend on c after its output
    if (c->out_pending) tcp_output(c);
  }
}

bool tcp_output_pending(const tcp_stack_t* s) { return s != NULL && s->out_pending > 0; }

long tcp_recv(tcp_conn_t* c, void* buf, size_t len) {
  if (c == NULL || (buf == NULL && len > 0)) return NET_ERR_INVAL;
  tcp_stack_t* s = c->stack;
  refresh_now(s);
  if (c->rcvq.bytes > 0) {
    if (len == 0) return 0;
    uint32_t n = c->rcvq.bytes < len ? c->rcvq.bytes : (uint32_t)len;
    uint32_t before = tcp_seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
    tcp_bufq_copy(&c->rcvq, 0, buf, n);
    tcp_bufq_drop(s, &c->rcvq, n);
    // Window update once the window can grow by two segments or half the buffer.
    uint32_t space = rcv_space(c);
    if (space > before && space - before >= min32(2u * c->mss, c->rcvbuf / 2) &&
        (c->state == TCP_ESTABLISHED || c->state == TCP_FIN_WAIT_1 || c->state == TCP_FIN_WAIT_2)) {
      send_ack(c);
    }
    return (long)n;
  }
  if (c->fin_rcvd) return 0;
  if (c->err != NET_OK) return c->err;
  if (c->state == TCP_CLOSED || c->state == TCP_LISTEN) return NET_ERR_NOTCONN;
  return NET_ERR_WOULDBLOCK;
}

int tcp_shutdown_write(tcp_conn_t* c) {
  if (c == NULL) return NET_ERR_INVAL;
  tcp_stack_t* s = c->stack;
  refresh_now(s);
  if (c->err != NET_OK) return c->err;
  if (c->fin_queued) return NET_OK;
  switch (c->state) {
    case TCP_SYN_SENT:
      conn_done(c, NET_ERR_ABORTED);
      return NET_OK;
    case TCP_SYN_RECEIVED:
      c->fin_queued = true;  // FIN_WAIT_1 once the handshake completes
      return NET_OK;
    case TCP_ESTABLISHED:
      c->fin_queued = true;
      c->state = TCP_FIN_WAIT_1;
      break;
    case TCP_CLOSE_WAIT:
      c->fin_queued = true;
      c->state = TCP_LAST_ACK;
      break;
    default:
      return NET_ERR_NOTCONN;
  }
  tcp_output(c);
  return NET_OK;
}

static void abort_conn(tcp_conn_t* c, int err) {
  switch (c->state) {
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
      send_seg(c, c->snd_max, 0, TCP_FLAG_RST | TCP_FLAG_ACK);
      break;
    default:
      break;
  }
  conn_done(c, err);
}

static void close_listener(tcp_conn_t* l) {
  tcp_stack_t* s = l->stack;
  uint32_t guard = 0;
  while (l->acc_next != TCP_NONE && guard++ <= s->cfg.max_conns) {
    tcp_conn_t* c = &s->conns[l->acc_next];
    child_unlink(c);
    c->ready = false;
    c->user_owned = false;
    abort_conn(c, NET_ERR_ABORTED);
  }
  hash_remove(l);
  conn_free(l);
}

int tcp_close(tcp_conn_t* c) {
  if (c == NULL) return NET_ERR_INVAL;
  tcp_stack_t* s = c->stack;
  refresh_now(s);
  if (c->state == TCP_LISTEN) {
    close_listener(c);
    return NET_OK;
  }
  c->user_owned = false;
  if (c->state == TCP_CLOSED) {
    conn_free(c);
    return NET_OK;
  }
  if (c->rcvq.bytes > 0 || c->state == TCP_SYN_SENT) {
    abort_conn(c, NET_ERR_ABORTED);
    return NET_OK;
  }
  switch (c->state) {
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
      tcp_shutdown_write(c);
      break;
    case TCP_FIN_WAIT_2:
      set_timer(c, &c->t_close, s->now_us + 2ull * s->cfg.msl_ms * US_PER_MS);
      break;
    default:
      break;  // FIN already on its way, or TIME_WAIT: the timers finish the job
  }
  return NET_OK;
}

void tcp_abort(tcp_conn_t* c) {
  if (c == NULL) return;
  refresh_now(c->stack);
  if (c->state == TCP_LISTEN) {
    close_listener(c);
    return;
  }
  c->user_owned = false;
  if (c->state == TCP_CLOSED) {
    conn_free(c);
    return;
  }
  abort_conn(c, NET_ERR_ABORTED);
}

unsigned tcp_poll(const tcp_conn_t* c) {
  unsigned m = 0;
  if (c == NULL) return TCP_POLL_ERR;
  if (c->state == TCP_LISTEN) return ready_children(c) > 0 ? TCP_POLL_IN : 0;
  if (c->rcvq.bytes > 0 || c->fin_rcvd || c->err != NET_OK) m |= TCP_POLL_IN;
  if ((c->state == TCP_ESTABLISHED || c->state == TCP_CLOSE_WAIT) && !c->fin_queued &&
      c->sndbuf > c->sndq.bytes && c->sndbuf - c->sndq.bytes >= c->sndbuf / 4) {
    m |= TCP_POLL_OUT;
  }
  if (c->state == TCP_CLOSED || c->state == TCP_TIME_WAIT || (c->fin_rcvd && c->fin_queued)) {
    m |= TCP_POLL_HUP;
  }
  if (c->err != NET_OK) m |= TCP_POLL_ERR;
  return m;
}

int tcp_error(const tcp_conn_t* c) { return c == NULL ? NET_ERR_INVAL : c->err; }

tcp_state_t tcp_state(const tcp_conn_t* c) {
  return c == NULL ? TCP_CLOSED : (tcp_state_t)c->state;
}

int tcp_get_info(const tcp_conn_t* c, tcp_info_t* in) {
  if (c == NULL || in == NULL) return NET_ERR_INVAL;
  memset(in, 0, sizeof(*in));
  in->state = (tcp_state_t)c->state;
  in->local_ip = c->laddr;
  in->remote_ip = c->raddr;
  in->local_port = c->lport;
  in->remote_port = c->rport;
  in->srtt_us = c->srtt_us;
  in->rttvar_us = c->rttvar_us;
  in->rto_us = c->rto_us;
  in->cwnd = c->cwnd;
  in->ssthresh = c->ssthresh;
  in->bytes_in_flight = c->in_recovery && c->sack_ok ? sb_pipe(c) : c->snd_nxt - c->snd_una;
  in->snd_wnd = c->snd_wnd;
  in->rcv_wnd = tcp_seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
  in->mss = c->mss;
  in->retransmits = c->retransmits;
  in->bytes_sent = c->bytes_sent;
  in->bytes_received = c->bytes_received;
  in->snd_queued = c->sndq.bytes;
  in->rcv_queued = c->rcvq.bytes;
  in->ts = c->ts_ok;
  in->sack = c->sack_ok;
  in->wscale = c->ws_ok;
  in->snd_wscale = c->snd_wscale;
  in->rcv_wscale = c->rcv_wscale;
  in->cc = c->cc ? c->cc->name : "";
  return NET_OK;
}

int tcp_setopt(tcp_conn_t* c, tcp_sockopt_t opt, uint32_t v) {
  if (c == NULL) return NET_ERR_INVAL;
  switch (opt) {
    case TCP_OPT_NODELAY:
      c->nodelay = v != 0;
      if (c->nodelay && c->state != TCP_CLOSED) {
        refresh_now(c->stack);
        tcp_output(c);
      }
      return NET_OK;
    case TCP_OPT_KEEPALIVE:
      c->keepalive = v != 0;
      if (c->keepalive && (c->state == TCP_ESTABLISHED || c->state == TCP_CLOSE_WAIT)) {
        refresh_now(c->stack);
        set_timer(c, &c->t_keep, c->stack->now_us + (uint64_t)c->keep_idle_ms * US_PER_MS);
      } else if (!c->keepalive) {
        c->t_keep = 0;
      }
      return NET_OK;
    case TCP_OPT_KEEPIDLE_MS:
      if (v == 0) return NET_ERR_INVAL;
      c->keep_idle_ms = v;
      return NET_OK;
    case TCP_OPT_KEEPINTVL_MS:
      if (v == 0) return NET_ERR_INVAL;
      c->keep_intvl_ms = v;
      return NET_OK;
    case TCP_OPT_KEEPCNT:
      if (v == 0 || v > 255) return NET_ERR_INVAL;
      c->keep_count = v;
      return NET_OK;
    case TCP_OPT_CONGESTION:
      if (v != TCP_CC_NEWRENO && v != TCP_CC_CUBIC) return NET_ERR_INVAL;
      c->cc = cc_ops((tcp_cc_algo_t)v);
      c->cc->init(c);
      return NET_OK;
    case TCP_OPT_SNDBUF:
      if (v < 1024 || v > (1u << 30)) return NET_ERR_INVAL;
      c->sndbuf = v;
      return NET_OK;
    case TCP_OPT_RCVBUF:
      if (v < 1024 || v > (1u << 30)) return NET_ERR_INVAL;
      if (c->state != TCP_CLOSED && c->state != TCP_LISTEN) return NET_ERR_ISCONN;
      c->rcvbuf = v;
      return NET_OK;
  }
  return NET_ERR_INVAL;
}

void tcp_foreach(tcp_stack_t* s, bool (*fn)(void* arg, const tcp_conn_t* c), void* arg) {
  for (int32_t i = s->used_head; i != TCP_NONE; i = s->conns[i].list_next) {
    if (!fn(arg, &s->conns[i])) return;
  }
}

void tcp_get_stats(const tcp_stack_t* s, tcp_stats_t* st) { *st = s->stats; }
