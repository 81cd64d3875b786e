// TCP connection engine (RFC 9293 and friends): the API the socket layer uses.
//
// The engine is decoupled from the rest of the stack through tcp_env_t: segments go out through
// env.output (a complete TCP segment, checksum filled in), come in through tcp_input(), and time
// comes from env.now_us. Nothing else is needed, so the engine runs the same in the kernel, in vnet
// and in unit tests with a fake clock and an in-memory wire.
//
// Threading: none. Every call must come from the one context that owns the stack.
#ifndef NET_TCP_TCP_H_
#define NET_TCP_TCP_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/net_err.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tcp_stack tcp_stack_t;
typedef struct tcp_conn tcp_conn_t;

typedef enum {
  TCP_CLOSED = 0,
  TCP_LISTEN,
  TCP_SYN_SENT,
  TCP_SYN_RECEIVED,
  TCP_ESTABLISHED,
  TCP_FIN_WAIT_1,
  TCP_FIN_WAIT_2,
  TCP_CLOSE_WAIT,
  TCP_CLOSING,
  TCP_LAST_ACK,
  TCP_TIME_WAIT,
  TCP_STATE__COUNT
} tcp_state_t;

const char* tcp_state_name(tcp_state_t s);

typedef struct {
  // Sends one TCP segment (header + payload, checksum set) from src_ip to dst_ip (host order).
  // The buffer is only borrowed. A failure is treated like a loss on the wire.
  int (*output)(void* ctx, uint32_t src_ip, uint32_t dst_ip, const uint8_t* seg, size_t len);
  // Monotonic microseconds.
  uint64_t (*now_us)(void* ctx);
  // Unpredictable bytes: keys for ISNs, SYN cookies and ephemeral ports.
  void (*random_bytes)(void* ctx, void* buf, size_t len);
  // Memory for connection buffers and the connection table (malloc/free on the host).
  void* (*alloc)(void* ctx, size_t size);
  void (*free)(void* ctx, void* p);
  void* ctx;
} tcp_env_t;

typedef enum { TCP_CC_NEWRENO = 0, TCP_CC_CUBIC = 1 } tcp_cc_algo_t;

// Stack-wide settings; tcp_config_default() fills them from net_opts.h.
typedef struct {
  uint32_t max_conns;  // connection table size (listeners and TIME_WAIT included)
  uint32_t mtu;        // interface MTU: our MSS is mtu - 40
  uint32_t sndbuf;     // default per-connection send buffer, bytes
  uint32_t rcvbuf;     // default per-connection receive buffer, bytes
  uint32_t msl_ms;     // TIME_WAIT lasts 2 * msl_ms
  uint32_t rto_min_ms;
  uint32_t rto_max_ms;
  uint32_t rto_initial_ms;
  uint32_t max_retries;  // data retransmissions before "timed out"
  uint32_t syn_retries;  // SYN / SYN-ACK retransmissions before giving up
  uint32_t delack_ms;    // delayed ACK timeout (at most 200 by RFC 9293)
  uint32_t keepalive_idle_ms;
  uint32_t keepalive_intvl_ms;
  uint32_t keepalive_count;
  uint32_t ooo_max_segs;  // out-of-order queue bound, segments (bytes are bounded by rcvbuf)
  uint32_t challenge_ack_per_s;
  bool timestamps;      // offer RFC 7323 timestamps
  bool window_scaling;  // offer RFC 7323 window scaling
  bool sack;            // offer RFC 2018 SACK
  bool syncookies;      // SYN cookies when the SYN backlog is full (a full accept queue drops SYNs)
  tcp_cc_algo_t cc;     // default congestion control
} tcp_config_t;

void tcp_config_default(tcp_config_t* cfg);

// Creates a TCP instance; NULL on bad configuration or no memory.
tcp_stack_t* tcp_stack_create(const tcp_env_t* env, const tcp_config_t* cfg);
// Frees everything, without sending anything.
void tcp_stack_destroy(tcp_stack_t* s);

// A segment arrived for protocol 6: seg/len is the TCP header and payload, addresses host order.
// The checksum is verified here.
void tcp_input(tcp_stack_t* s, uint32_t src_ip, uint32_t dst_ip, const uint8_t* seg, size_t len);

// An ICMP error quoting one of our segments (local_ip/remote_ip from the quoted IP header, quoted
// = the quoted TCP bytes, at least 8). Validated against the connection's unacknowledged sequence
// space (RFC 5927); ends a connection only while it is still opening (RFC 1122 4.2.3.9: errors
// on an established connection are soft).
void tcp_icmp_error(tcp_stack_t* s, uint32_t local_ip, uint32_t remote_ip, const uint8_t* quoted,
                    size_t quoted_len, int err);

// Runs expired timers. Call at least when tcp_next_deadline_us() has passed.
void tcp_timers(tcp_stack_t* s);
// Earliest pending timer in microseconds on env.now_us's clock, UINT64_MAX if none.
uint64_t tcp_next_deadline_us(tcp_stack_t* s);

// ---- Socket layer API. Functions return NET_OK / a byte count, or a negative net_err_t.

// Active open. local_port 0 picks an RFC 6056 ephemeral port. Completes asynchronously: poll for
// TCP_POLL_OUT (connected) or TCP_POLL_ERR (tcp_error gives the reason).
int tcp_connect(tcp_stack_t* s, uint32_t local_ip, uint16_t local_port, uint32_t remote_ip,
                uint16_t remote_port, tcp_conn_t** out);
// Passive open on local_ip (0 = any) and port; backlog 0 uses NET_TCP_BACKLOG.
int tcp_listen(tcp_stack_t* s, uint32_t local_ip, uint16_t port, uint32_t backlog,
               tcp_conn_t** out);
// Takes the next established connection; NET_ERR_WOULDBLOCK if none.
int tcp_accept(tcp_conn_t* listener, tcp_conn_t** out);
// Queues up to len bytes; returns bytes taken (short when the buffer is full), WOULDBLOCK when
// none fit, PIPE after shutdown, or the connection's error.
long tcp_send(tcp_conn_t* c, const void* buf, size_t len);
// tcp_send with flags. TCP_SEND_DEFER only queues the bytes and marks the connection "output
// pending": no segment is built until tcp_flush_pending() (or anything else that runs output on
// it: an arriving ACK, a timer, another send). For a caller whose frames cannot reach the wire
// before a later point anyway (a kernel that rings the NIC doorbell at the next kernel entry),
// building the segment there instead costs nothing in latency, and consecutive small sends
// coalesce into one segment. Nagle, windows and timers apply at the flush exactly as they would
// have at the send. The caller must call tcp_flush_pending() before it waits or idles.
#define TCP_SEND_DEFER 0x1u
long tcp_send_flags(tcp_conn_t* c, const void* buf, size_t len, unsigned flags);
// Runs output on every connection a deferred send marked. Cheap when none is marked; the walk
// is bounded by the connection table.
void tcp_flush_pending(tcp_stack_t* s);
// True while some connection holds deferred output.
bool tcp_output_pending(const tcp_stack_t* s);
// Copies up to len received bytes; 0 at end of stream, WOULDBLOCK when nothing is there yet.
long tcp_recv(tcp_conn_t* c, void* buf, size_t len);
// Half-close: no more sends; a FIN follows the queued data.
int tcp_shutdown_write(tcp_conn_t* c);
// Releases the handle. The connection finishes closing in the background (FIN, TIME_WAIT); unread
// received data makes it a reset instead (RFC 9293 3.10.4 permits; it tells the peer data was
// lost).
int tcp_close(tcp_conn_t* c);
// Sends RST (if synchronized) and releases the handle at once.
void tcp_abort(tcp_conn_t* c);

#define TCP_POLL_IN 0x01u   // data, end of stream, or a connection to accept
#define TCP_POLL_OUT 0x02u  // connected and there is room to send
#define TCP_POLL_HUP 0x04u  // both directions finished, or the connection is gone
#define TCP_POLL_ERR 0x08u  // tcp_error() is set
unsigned tcp_poll(const tcp_conn_t* c);
// The error that ended the connection (CONNREFUSED, CONNRESET, TIMEDOUT, ...) or NET_OK.
int tcp_error(const tcp_conn_t* c);
// The connection's state (TCP_CLOSED for NULL): what tcp_get_info() says, without the rest.
tcp_state_t tcp_state(const tcp_conn_t* c);

typedef struct {
  tcp_state_t state;
  uint32_t local_ip, remote_ip;
  uint16_t local_port, remote_port;
  uint32_t srtt_us, rttvar_us, rto_us;
  uint32_t cwnd, ssthresh;  // bytes
  uint32_t bytes_in_flight;
  uint32_t snd_wnd, rcv_wnd;
  uint32_t mss;  // payload bytes per full segment
  uint64_t retransmits;
  uint64_t bytes_sent, bytes_received;  // application payload
  uint32_t snd_queued, rcv_queued;      // bytes waiting in each buffer
  bool ts, sack, wscale;
  uint8_t snd_wscale, rcv_wscale;
  const char* cc;
} tcp_info_t;
int tcp_get_info(const tcp_conn_t* c, tcp_info_t* info);

typedef enum {
  TCP_OPT_NODELAY,    // value 0/1: Nagle off when 1
  TCP_OPT_KEEPALIVE,  // value 0/1
  TCP_OPT_KEEPIDLE_MS,
  TCP_OPT_KEEPINTVL_MS,
  TCP_OPT_KEEPCNT,
  TCP_OPT_CONGESTION,  // tcp_cc_algo_t
  TCP_OPT_SNDBUF,      // bytes; before connect/listen for full effect
  TCP_OPT_RCVBUF,      // bytes; before the SYN is sent (window scale is fixed then)
} tcp_sockopt_t;
int tcp_setopt(tcp_conn_t* c, tcp_sockopt_t opt, uint32_t value);

// Visits every connection (netstat). Stops early when fn returns false.
void tcp_foreach(tcp_stack_t* s, bool (*fn)(void* arg, const tcp_conn_t* c), void* arg);

typedef struct {
  uint64_t active_opens, passive_opens, conns_established;
  uint64_t segs_in, segs_out, retransmits, rto_timeouts, fast_retransmits, lost_retransmits;
  uint64_t tail_loss_probes;
  uint64_t rst_sent, rst_received, bad_checksum, bad_segments, no_conn;
  uint64_t syncookies_sent, syncookies_ok, syncookies_bad, backlog_drops;
  uint64_t challenge_acks, paws_drops, ooo_drops, out_of_window, keepalive_probes, timeouts;
  uint32_t conns_in_use;
  uint64_t buffer_bytes;  // bytes currently allocated for send/receive buffers
} tcp_stats_t;
void tcp_get_stats(const tcp_stack_t* s, tcp_stats_t* st);

// Bytes of the connection table per slot (the idle cost of a connection; buffers are allocated
// only while data is queued).
size_t tcp_conn_slot_bytes(void);

#ifdef __cplusplus
}
#endif

#endif  // NET_TCP_TCP_H_
