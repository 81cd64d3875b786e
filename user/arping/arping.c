// arping [target-ip [own-ip]]: announces own-ip with a gratuitous ARP, then asks for target-ip
// and prints the answer. Uses the raw device syscalls (before the network stack exists).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "user/libc/vdos.h"

static int parse_ip(const char *s, unsigned char ip[4]) {
  unsigned v[4];
  char tail;
  if (sscanf(s, "%u.%u.%u.%u%c", &v[0], &v[1], &v[2], &v[3], &tail) != 4) return -1;
  for (int i = 0; i < 4; i++) {
    if (v[i] > 255) return -1;
    ip[i] = (unsigned char)v[i];
  }
  return 0;
}

static void arp_frame(unsigned char *f, const unsigned char mac[6], const unsigned char sip[4],
                      const unsigned char tip[4]) {
  memset(f, 0xff, 6);  // broadcast
  memcpy(f + 6, mac, 6);
  f[12] = 0x08, f[13] = 0x06;
  const unsigned char hdr[8] = {0, 1, 8, 0, 6, 4, 0, 1};  // Ethernet/IPv4, request
  memcpy(f + 14, hdr, 8);
  memcpy(f + 22, mac, 6);
  memcpy(f + 28, sip, 4);
  memset(f + 32, 0, 6);
  memcpy(f + 38, tip, 4);
  memset(f + 42, 0, 18);  // pad to the 60-byte minimum
}

int main(int argc, char **argv) {
  unsigned char target[4] = {10, 0, 2, 2}, self[4] = {10, 0, 2, 15};
  if ((argc > 1 && parse_ip(argv[1], target)) || (argc > 2 && parse_ip(argv[2], self))) {
    puts("usage: arping [target-ip [own-ip]]");
    return 2;
  }
  struct vdos_netdev_info info;
  long r = vdos_syscall(SYS_NETDEV_INFO, (long)&info, 0, 0, 0, 0);
  if (r < 0) {
    printf("arping: no network device (%ld)\n", r);
    return 1;
  }
  unsigned char f[60], in[1514];
  arp_frame(f, info.mac, self, self);  // gratuitous: sender = target = own address
  if (vdos_syscall(SYS_NETDEV_SEND, (long)f, sizeof(f), 0, 0, 0) < 0) return 1;
  arp_frame(f, info.mac, self, target);
  if (vdos_syscall(SYS_NETDEV_SEND, (long)f, sizeof(f), 0, 0, 0) < 0) return 1;
  printf("arping: who-has %u.%u.%u.%u tell %u.%u.%u.%u\n", target[0], target[1], target[2],
         target[3], self[0], self[1], self[2], self[3]);
  uint64_t deadline = vdos_time_ns() + 3000000000ull;
  while (vdos_time_ns() < deadline) {
    long n = vdos_syscall(SYS_NETDEV_RECV, (long)in, sizeof(in), 500, 0, 0);
    if (n < 0) return 1;
    if (n < 42 || in[12] != 0x08 || in[13] != 0x06 || in[21] != 2) continue;  // ARP reply
    if (memcmp(in + 28, target, 4) != 0) continue;
    printf("arping: reply from %u.%u.%u.%u at %02x:%02x:%02x:%02x:%02x:%02x\n", target[0],
           target[1], target[2], target[3], in[22], in[23], in[24], in[25], in[26], in[27]);
    vdos_syscall(SYS_NETDEV_INFO, (long)&info, 0, 0, 0, 0);
    printf("arping: driver rx %lu frames, tx %lu frames, %lu interrupts, %lu errors\n",
           info.rx_frames, info.tx_frames, info.irqs, info.errors);
    return 0;
  }
  puts("arping: no reply");
  return 1;
}
