// Internals of the TCP engine shared by its source files (not part of the API).
#ifndef NET_TCP_TCP_INTERNAL_H_
#define NET_TCP_TCP_INTERNAL_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/siphash.h"
#include "net/tcp/tcp.h"
#include "net/tcp/tcp_seq.h"
#include "net/tcp/tcp_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

// ---------------------------------------------------------------- byte queues

// A FIFO of bytes in fixed-size chunks taken from env.alloc only while bytes are queued, so an
// idle connection holds no buffer memory.
#define TCP_CHUNK_DATA 8192u

typedef struct tcp_chunk {
  struct tcp_chunk* next;
  uint32_t len;  // bytes used in data[]
  uint8_t data[TCP_CHUNK_DATA];
} tcp_chunk_t;

typedef struct {
  tcp_chunk_t* head;
  tcp_chunk_t* tail;
  uint32_t head_off;  // bytes of head already consumed
  uint32_t bytes;     // bytes queued
} tcp_bufq_t;

// Appends up to len bytes; returns how many were stored (less on allocation failure).
uint32_t tcp_bufq_append(tcp_stack_t* s, tcp_bufq_t* q, const uint8_t* data, uint32_t len);
// Copies len bytes starting off bytes into the queue (off + len <= bytes).
void tcp_bufq_copy(const tcp_bufq_t* q, uint32_t off, uint8_t* dst, uint32_t len);
// Drops n bytes from the front (n <= bytes).
void tcp_bufq_drop(tcp_stack_t* s, tcp_bufq_t* q, uint32_t n);
void tcp_bufq_free(tcp_stack_t* s, tcp_bufq_t* q);
// Returns the stack's cached chunks to env.free (stack teardown).
void tcp_bufq_cache_release(tcp_stack_t* s);

// ---------------------------------------------------------------- out-of-order queue

typedef struct tcp_ooo {
  struct tcp_ooo* next;
  uint32_t seq;
  uint32_t len;
  uint8_t data[];
} tcp_ooo_t;

// ---------------------------------------------------------------- congestion control

typedef struct tcp_cc_ops {
  const char* name;
  void (*init)(tcp_conn_t* c);
  // New data was cumulatively acknowledged outside loss recovery.
  void (*on_ack)(tcp_conn_t* c, uint32_t acked, uint64_t now_us);
  // Loss detected by duplicate ACKs / SACK: set ssthresh (the engine sets cwnd).
  void (*on_loss)(tcp_conn_t* c, uint64_t now_us);
  // Retransmission timeout: set ssthresh (the engine sets cwnd to one segment).
  void (*on_rto)(tcp_conn_t* c, uint64_t now_us);
} tcp_cc_ops_t;

extern const tcp_cc_ops_t tcp_cc_newreno;
extern const tcp_cc_ops_t tcp_cc_cubic;

typedef struct {
  uint32_t acc;  // bytes acknowledged toward the next congestion-avoidance increase
  // CUBIC (RFC 9438) state, integer only (the kernel is built without floating point).
  uint64_t epoch_us;  // start of the current congestion-avoidance epoch, 0 = none
  uint32_t w_max;     // bytes
  uint32_t w_last_max;
  uint32_t w_est;  // Reno-friendly estimate, bytes
  uint32_t k_ms;
  uint32_t cwnd_epoch;
} tcp_cc_state_t;

uint32_t tcp_icbrt64(uint64_t x);

// ---------------------------------------------------------------- connection

#define TCP_SCOREBOARD_MAX 16
#define TCP_NONE (-1)

struct tcp_conn {
  tcp_stack_t* stack;
  int32_t index;      // slot number
  int32_t hash_next;  // demux chain
  int32_t list_next;  // in-use list / free list
  int32_t list_prev;
  uint8_t state;
  bool in_hash;
  bool user_owned;   // the application holds this handle
  bool is_child;     // created by a listener, not yet accepted
  bool ready;        // child established and waiting in the accept queue
  int32_t parent;    // listener index for children
  int32_t acc_next;  // listener's child list (SYN received and established-not-accepted)
  uint16_t n_children;
  uint16_t backlog;

  uint32_t laddr, raddr;
  uint16_t lport, rport;
  int err;  // NET_OK or why the connection ended

  // Send side. sndq holds bytes from sndq_seq onwards (unacknowledged, then unsent).
  uint32_t iss, snd_una, snd_nxt, snd_max, snd_wl1, snd_wl2, sndq_seq;
  uint32_t snd_wnd;      // bytes, scaled
  uint32_t max_snd_wnd;  // largest window the peer offered (RFC 5961 ACK check, sender SWS)
  tcp_bufq_t sndq;
  uint32_t sndbuf;
  uint32_t snd_sml;  // end of the last short segment sent (Nagle, Minshall variant)
  bool fin_queued;   // application is done sending: FIN at sndq_seq + sndq.bytes
  bool fin_sent;

  // Receive side.
  uint32_t irs, rcv_nxt, rcv_adv;  // rcv_adv: right edge last advertised
  tcp_bufq_t rcvq;
  uint32_t rcvbuf;
  bool fin_rcvd;
  tcp_ooo_t* ooo;
  uint32_t ooo_segs, ooo_bytes;
  uint32_t ooo_last_seq;  // start of the most recently queued out-of-order segment (SACK order)

  // Negotiated options.
  uint16_t mss;       // payload per full segment, option space for timestamps subtracted
  uint16_t peer_mss;  // what the peer announced (536 when absent)
  uint8_t snd_wscale, rcv_wscale;
  bool ts_ok, sack_ok, ws_ok;
  bool syn_opt_ws, syn_opt_sack, syn_opt_ts;  // what we offered / will offer
  uint32_t ts_offset;                         // random per connection (RFC 7323 section 5.4)
  uint32_t ts_recent;
  uint64_t ts_recent_us;  // when ts_recent was stored (PAWS 24-day rule)

  // RTT and retransmission (RFC 6298).
  uint32_t srtt_us, rttvar_us, rto_us;
  bool rtt_timing;
  uint32_t rtt_seq;
  uint64_t rtt_start_us;
  uint8_t retries;
  uint8_t backoff;

  // Congestion control and loss recovery.
  const tcp_cc_ops_t* cc;
  tcp_cc_state_t ccs;
  uint32_t cwnd, ssthresh;
  uint32_t dupacks;
  bool in_recovery;
  bool rto_recovery;     // recovery after a timeout: all unSACKed data is lost, cwnd slow-starts
  uint32_t rtx_fence;    // snd_max when we last retransmitted (lost-retransmission detection)
  uint64_t last_rtx_us;  // time of the latest retransmission
  bool tlp_pending;      // the armed t_rtx is a tail loss probe
  uint8_t tlp_sent;      // probes sent for this flight (NET_TCP_TLP_PROBES at most)
  bool rack_pending;     // the armed t_rtx is the reordering allowance of a SACKed hole
  uint32_t rack_lost;    // unSACKed bytes below this were judged lost by time (RACK-like)
  uint64_t una_rtx_us;   // when the segment at snd_una was last resent (0: not resent)
  uint32_t recover;      // snd_max when recovery began (RFC 6582 "recover")
  uint32_t high_rxt;     // RFC 6675 HighRxt
  uint8_t sb_count;      // SACK scoreboard: sorted, disjoint ranges above snd_una
  tcp_sack_block_t sb[TCP_SCOREBOARD_MAX];

  // Timers (absolute microseconds, 0 = off).
  uint64_t t_rtx, t_persist, t_delack, t_keep, t_close;
  uint8_t persist_backoff;
  uint8_t keep_probes;

  // ACK policy.
  uint8_t acks_owed;  // full segments received since the last ACK we sent
  bool ack_now;

  // Options.
  bool nodelay, keepalive;
  bool out_pending;  // a deferred send queued bytes no output has looked at yet
  uint32_t keep_idle_ms, keep_intvl_ms, keep_count;

  // RFC 5961 challenge ACK rate limit.
  uint64_t chal_window_us;
  uint32_t chal_count;

  uint64_t last_rcv_us;
  uint64_t retransmits, bytes_sent, bytes_received;
};

struct tcp_stack {
  tcp_env_t env;
  tcp_config_t cfg;
  tcp_conn_t* conns;  // cfg.max_conns slots
  int32_t* hash;      // bucket heads
  uint32_t hash_mask;
  int32_t free_head;
  int32_t used_head;
  int32_t listen_head;  // listeners chained through hash_next
  // Keys of crypto_siphash24 (crypto/siphash.h), drawn from env.random_bytes at init.
  uint8_t isn_key[CRYPTO_SIPHASH_KEY_SIZE];
  uint8_t cookie_key[CRYPTO_SIPHASH_KEY_SIZE];
  uint8_t port_key[CRYPTO_SIPHASH_KEY_SIZE];
  uint16_t port_table[16];
  uint64_t last_cookie_us;  // when we last answered with a SYN cookie
  uint64_t now_us;          // cached for the current call
  uint64_t next_hint_us;    // no timer fires before this (may be early, never late)
  uint32_t out_pending;     // connections with out_pending set
  tcp_stats_t stats;
  // Chunks of drained queues kept for reuse (at most NET_TCP_CHUNK_CACHE): a bulk transfer would
  // otherwise allocate and free one chunk per 8 KB moved.
  tcp_chunk_t* chunk_cache;
  uint32_t chunk_cache_n;
  uint8_t txbuf[TCP_HDR_MAX + 65536];
};

void* tcp_mem_alloc(tcp_stack_t* s, size_t n);
void tcp_mem_free(tcp_stack_t* s, void* p, size_t n);

#ifdef __cplusplus
}
#endif

#endif  // NET_TCP_TCP_INTERNAL_H_
