#include "net/core/stats.h"

#include <string.h>

static const char *const kNames[NET_DROP__COUNT] = {
    [NET_DROP_NO_PBUF] = "no_pbuf",
    [NET_DROP_ETH_SHORT] = "eth_short",
    [NET_DROP_ETH_NOT_FOR_US] = "eth_not_for_us",
    [NET_DROP_ETH_UNKNOWN_TYPE] = "eth_unknown_type",
    [NET_DROP_ETH_TX_ERROR] = "eth_tx_error",
    [NET_DROP_ARP_MALFORMED] = "arp_malformed",
    [NET_DROP_ARP_NOT_FOR_US] = "arp_not_for_us",
    [NET_DROP_ARP_QUEUE_FULL] = "arp_queue_full",
    [NET_DROP_ARP_UNRESOLVED] = "arp_unresolved",
    [NET_DROP_ARP_TABLE_FULL] = "arp_table_full",
    [NET_DROP_IP_SHORT] = "ip_short",
    [NET_DROP_IP_BAD_VERSION] = "ip_bad_version",
    [NET_DROP_IP_BAD_HLEN] = "ip_bad_hlen",
    [NET_DROP_IP_BAD_LEN] = "ip_bad_len",
    [NET_DROP_IP_BAD_CKSUM] = "ip_bad_cksum",
    [NET_DROP_IP_BAD_OPTIONS] = "ip_bad_options",
    [NET_DROP_IP_BAD_SRC] = "ip_bad_src",
    [NET_DROP_IP_NOT_FOR_US] = "ip_not_for_us",
    [NET_DROP_IP_TTL] = "ip_ttl",
    [NET_DROP_IP_UNKNOWN_PROTO] = "ip_unknown_proto",
    [NET_DROP_IP_NO_ROUTE] = "ip_no_route",
    [NET_DROP_IP_TOO_BIG] = "ip_too_big",
    [NET_DROP_IP_FRAG_OVERLAP] = "ip_frag_overlap",
    [NET_DROP_IP_FRAG_BAD] = "ip_frag_bad",
    [NET_DROP_IP_FRAG_NO_SLOT] = "ip_frag_no_slot",
    [NET_DROP_IP_FRAG_TOO_MANY] = "ip_frag_too_many",
    [NET_DROP_IP_FRAG_TIMEOUT] = "ip_frag_timeout",
    [NET_DROP_IP_FRAG_TOO_BIG] = "ip_frag_too_big",
    [NET_DROP_IP_FRAG_DUP] = "ip_frag_dup",
    [NET_DROP_ICMP_SHORT] = "icmp_short",
    [NET_DROP_ICMP_BAD_CKSUM] = "icmp_bad_cksum",
    [NET_DROP_ICMP_UNHANDLED] = "icmp_unhandled",
    [NET_DROP_ICMP_RATE_LIMIT] = "icmp_rate_limit",
    [NET_DROP_UDP_SHORT] = "udp_short",
    [NET_DROP_UDP_BAD_LEN] = "udp_bad_len",
    [NET_DROP_UDP_BAD_CKSUM] = "udp_bad_cksum",
    [NET_DROP_UDP_NO_PORT] = "udp_no_port",
    [NET_DROP_UDP_QUEUE_FULL] = "udp_queue_full",
    [NET_DROP_DNS_MALFORMED] = "dns_malformed",
    [NET_DROP_DNS_MISMATCH] = "dns_mismatch",
    [NET_DROP_TCP_SHORT] = "tcp_short",
    [NET_DROP_TCP_BAD_CKSUM] = "tcp_bad_cksum",
    [NET_DROP_TCP_BAD_OPTIONS] = "tcp_bad_options",
    [NET_DROP_TCP_NO_CONN] = "tcp_no_conn",
    [NET_DROP_TCP_OUT_OF_WINDOW] = "tcp_out_of_window",
    [NET_DROP_TCP_OOO_FULL] = "tcp_ooo_full",
    [NET_DROP_TCP_BACKLOG_FULL] = "tcp_backlog_full",
    [NET_DROP_TCP_OTHER] = "tcp_other",
};

void net_stats_init(struct net_stats *s) { memset(s, 0, sizeof(*s)); }

const char *net_drop_reason_name(int reason) {
  if (reason < 0 || reason >= NET_DROP__COUNT || kNames[reason] == NULL) return "unknown";
  return kNames[reason];
}
