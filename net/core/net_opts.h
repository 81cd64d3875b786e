// Every tunable of the network stack, in one place. Override any of them with -DNET_X=value (or a
// header included before this one); each limit bounds a table or a queue, so memory use is fixed.
#ifndef NET_CORE_NET_OPTS_H_
#define NET_CORE_NET_OPTS_H_

// ---- Interface -------------------------------------------------------------------------------
#ifndef NET_MTU_DEFAULT
#define NET_MTU_DEFAULT 1500
#endif
#ifndef NET_DNS_MAX_SERVERS
#define NET_DNS_MAX_SERVERS 3
#endif
#ifndef NET_IP_DEFAULT_TTL
#define NET_IP_DEFAULT_TTL 64
#endif

// ---- Packet buffers --------------------------------------------------------------------------
// Headroom reserved in front of transmit payloads: Ethernet (14) + IPv4 with options (60) + TCP
// with options (60), rounded up so the payload stays 8-byte aligned.
#ifndef NET_PBUF_HEADROOM
#define NET_PBUF_HEADROOM 136
#endif
// Small buffers hold one frame: MTU + Ethernet header + headroom slack.
#ifndef NET_PBUF_SMALL_SIZE
#define NET_PBUF_SMALL_SIZE 1664
#endif
#ifndef NET_PBUF_SMALL_COUNT
#define NET_PBUF_SMALL_COUNT 256
#endif
// Large buffers hold a whole IPv4 datagram (reassembled, or a big UDP/ICMP send).
#ifndef NET_PBUF_LARGE_SIZE
#define NET_PBUF_LARGE_SIZE (65535 + NET_PBUF_HEADROOM)
#endif
#ifndef NET_PBUF_LARGE_COUNT
#define NET_PBUF_LARGE_COUNT 8
#endif

// ---- Ethernet --------------------------------------------------------------------------------
#ifndef NET_ETH_MAX_TYPE_HANDLERS
#define NET_ETH_MAX_TYPE_HANDLERS 4
#endif

// ---- ARP -------------------------------------------------------------------------------------
#ifndef NET_ARP_ENTRIES
#define NET_ARP_ENTRIES 16
#endif
// How long a resolved entry stays valid without being refreshed.
#ifndef NET_ARP_ENTRY_TTL_MS
#define NET_ARP_ENTRY_TTL_MS (300 * 1000)
#endif
// An entry still in use this close to expiry is re-confirmed with a unicast request, so busy
// flows never stall behind a fresh resolution.
#ifndef NET_ARP_REFRESH_MS
#define NET_ARP_REFRESH_MS (30 * 1000)
#endif
#ifndef NET_ARP_REQUEST_INTERVAL_MS
#define NET_ARP_REQUEST_INTERVAL_MS 1000
#endif
// Requests sent before a pending entry fails (and its queued packets are dropped).
#ifndef NET_ARP_MAX_REQUESTS
#define NET_ARP_MAX_REQUESTS 3
#endif
// Packets waiting for resolution, per entry and in total.
#ifndef NET_ARP_QUEUE_PER_ENTRY
#define NET_ARP_QUEUE_PER_ENTRY 8
#endif
#ifndef NET_ARP_QUEUE_TOTAL
#define NET_ARP_QUEUE_TOTAL 32
#endif

// ---- IPv4 ------------------------------------------------------------------------------------
#ifndef NET_IP_MAX_PROTO_HANDLERS
#define NET_IP_MAX_PROTO_HANDLERS 4
#endif
// Datagrams being reassembled at once.
#ifndef NET_IP_REASS_SLOTS
#define NET_IP_REASS_SLOTS 4
#endif
// Bytes of fragment data held across all reassembly slots.
#ifndef NET_IP_REASS_MAX_BYTES
#define NET_IP_REASS_MAX_BYTES (2 * 65535)
#endif
// Fragments held per datagram (bounds per-datagram work: no FragmentSmack-style CPU burn).
#ifndef NET_IP_REASS_MAX_FRAGS
#define NET_IP_REASS_MAX_FRAGS 64
#endif
#ifndef NET_IP_REASS_TIMEOUT_MS
#define NET_IP_REASS_TIMEOUT_MS 15000
#endif

// ---- ICMP ------------------------------------------------------------------------------------
// Outstanding pings tracked by the ping client.
#ifndef NET_PING_SLOTS
#define NET_PING_SLOTS 4
#endif
// ICMP errors sent per second (RFC 1812 rate limiting).
#ifndef NET_ICMP_ERR_RATE_PER_S
#define NET_ICMP_ERR_RATE_PER_S 100
#endif

// ---- UDP -------------------------------------------------------------------------------------
#ifndef NET_UDP_SOCKETS
#define NET_UDP_SOCKETS 16
#endif
// Datagrams and bytes queued per socket before new ones are dropped.
#ifndef NET_UDP_RX_QUEUE_LEN
#define NET_UDP_RX_QUEUE_LEN 16
#endif
#ifndef NET_UDP_RX_QUEUE_BYTES
#define NET_UDP_RX_QUEUE_BYTES (128 * 1024)
#endif
// RFC 6335 dynamic range for ephemeral ports.
#ifndef NET_EPHEMERAL_PORT_MIN
#define NET_EPHEMERAL_PORT_MIN 49152
#endif
#ifndef NET_EPHEMERAL_PORT_MAX
#define NET_EPHEMERAL_PORT_MAX 65535
#endif

// ---- DNS -------------------------------------------------------------------------------------
#ifndef NET_DNS_CACHE_ENTRIES
#define NET_DNS_CACHE_ENTRIES 16
#endif
#ifndef NET_DNS_MAX_ADDRS
#define NET_DNS_MAX_ADDRS 8
#endif
#ifndef NET_DNS_MAX_NAME
#define NET_DNS_MAX_NAME 255
#endif
#ifndef NET_DNS_TIMEOUT_MS
#define NET_DNS_TIMEOUT_MS 1000
#endif
// Total sends of one query (first try + retries), cycling through the configured servers.
#ifndef NET_DNS_TRIES
#define NET_DNS_TRIES 3
#endif
#ifndef NET_DNS_MAX_CNAME_CHAIN
#define NET_DNS_MAX_CNAME_CHAIN 8
#endif
// Cap cached TTLs so a bad answer cannot stick for days.
#ifndef NET_DNS_MAX_TTL_S
#define NET_DNS_MAX_TTL_S 3600
#endif
#ifndef NET_DNS_DEFAULT_SERVER
#define NET_DNS_DEFAULT_SERVER "10.0.2.3"
#endif

// ---- TCP (helper "tcp" appends its options below this line) ----------------------------------
// Connection table slots (listeners, TIME_WAIT included). The host build raises it at run time.
#ifndef NET_TCP_MAX_CONNS
#define NET_TCP_MAX_CONNS 64
#endif
// Per-connection buffers. Memory is taken only while bytes are queued, so idle connections cost
// only their table slot; the size with window scaling lets one connection fill a fast link.
#ifndef NET_TCP_SNDBUF
#define NET_TCP_SNDBUF (512 * 1024)
#endif
#ifndef NET_TCP_RCVBUF
#define NET_TCP_RCVBUF (512 * 1024)
#endif
// Send/receive buffer chunks (8 KB each) a TCP instance keeps for reuse instead of freeing them:
// one default-sized buffer's worth (64: 512 KB), so a bulk transfer stops allocating once it runs.
#ifndef NET_TCP_CHUNK_CACHE
#define NET_TCP_CHUNK_CACHE 64
#endif
// Pending (SYN received) plus not yet accepted connections per listener; beyond it SYN cookies.
#ifndef NET_TCP_BACKLOG
#define NET_TCP_BACKLOG 8
#endif
// Maximum segment lifetime: TIME_WAIT lasts twice this.
#ifndef NET_TCP_MSL_MS
#define NET_TCP_MSL_MS 30000
#endif
// RFC 6298 suggests a 1 s floor; like Linux we use 200 ms, which RFC 6298 section 2.4 allows.
#ifndef NET_TCP_RTO_MIN_MS
#define NET_TCP_RTO_MIN_MS 200
#endif
// Floor of the tail loss probe timeout (RFC 8985: 2 x SRTT). Low: on a LAN-like path a lost tail
// otherwise waits for this rather than for a round trip; a needless probe costs one segment.
#ifndef NET_TCP_TLP_MIN_MS
#define NET_TCP_TLP_MIN_MS 2
#endif
// Tail loss probes per flight before the retransmission timeout (RFC 8985 sends one); each waits
// twice as long as the one before.
#ifndef NET_TCP_TLP_PROBES
#define NET_TCP_TLP_PROBES 2
#endif
#ifndef NET_TCP_RTO_MAX_MS
#define NET_TCP_RTO_MAX_MS 60000
#endif
#ifndef NET_TCP_RTO_INITIAL_MS
#define NET_TCP_RTO_INITIAL_MS 1000
#endif
#ifndef NET_TCP_MAX_RETRIES
#define NET_TCP_MAX_RETRIES 12
#endif
#ifndef NET_TCP_SYN_RETRIES
#define NET_TCP_SYN_RETRIES 6
#endif
// Delayed ACK timer (RFC 9293: at most 500 ms; the issue asks for at most 200 ms).
#ifndef NET_TCP_DELACK_MS
#define NET_TCP_DELACK_MS 40
#endif
#ifndef NET_TCP_KEEPALIVE_IDLE_MS
#define NET_TCP_KEEPALIVE_IDLE_MS (2 * 3600 * 1000)
#endif
#ifndef NET_TCP_KEEPALIVE_INTVL_MS
#define NET_TCP_KEEPALIVE_INTVL_MS 75000
#endif
#ifndef NET_TCP_KEEPALIVE_COUNT
#define NET_TCP_KEEPALIVE_COUNT 9
#endif
// Out-of-order segments held per connection (bytes are bounded by the receive buffer).
#ifndef NET_TCP_OOO_MAX_SEGS
#define NET_TCP_OOO_MAX_SEGS 512
#endif
// RFC 5961 challenge ACKs per connection per second.
#ifndef NET_TCP_CHALLENGE_ACK_PER_S
#define NET_TCP_CHALLENGE_ACK_PER_S 10
#endif

#endif  // NET_CORE_NET_OPTS_H_
