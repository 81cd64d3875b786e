// Guest side of //bench:qemu_net: times socket operations from inside ViperDOS with the
// monotonic clock (vdos_time_ns: the counter read in user space, no system call) and prints one
// "qemu_net: KEY VALUE" line per result for bench/qemu_net.sh.
// Usage: qemu_net_guest PEER_IP NAME_DOMAIN BULK_BYTES
// The peer (bench/qemu_net_peer.py) serves: 9000 accept-and-close, 9001 echo, 9002 sink (reads to
// end of stream, then closes), 9003 source (sends BULK_BYTES, then closes), 9004 burst (sends
// BURST_MSGS messages of SMALL_MSG bytes at once, then waits for the close).
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "user/libc/vdos.h"

// Batches of small operations; PER_BATCH stays below the 32 sockets a program may hold.
#define BATCHES 100
#define PER_BATCH 16
#define ROUNDS_CONNECT 50
#define ROUNDS_DNS 50
#define ROUNDS_ECHO 2000
#define SMALL_MSG 64
#define BURST_MSGS \
  2000  // bench/qemu_net_peer.py sends as many; they fit the 128 KiB receive buffer
#define BULK_CHUNK 16384

static unsigned char buf[BULK_CHUNK];
static struct sockaddr_in peer;

static double us(uint64_t ns) { return (double)ns / 1e3; }

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

// Median of n samples (sorts them).
static uint64_t median(uint64_t *v, size_t n) {
  qsort(v, n, sizeof(v[0]), cmp_u64);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static uint64_t samples[ROUNDS_ECHO];

static int die(const char *what) {
  printf("qemu_net: error %s: %s\n", what, strerror(errno));
  return 1;
}

static int dial(uint16_t port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) return -1;
  peer.sin_port = htons(port);
  if (connect(s, (struct sockaddr *)&peer, sizeof(peer)) < 0) {
    close(s);
    return -1;
  }
  return s;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    puts("usage: qemu_net_guest PEER_IP NAME_DOMAIN BULK_BYTES");
    return 2;
  }
  peer.sin_family = AF_INET;
  if (inet_pton(AF_INET, argv[1], &peer.sin_addr) != 1) {
    printf("qemu_net: bad address %s\n", argv[1]);
    return 2;
  }
  unsigned long long bulk = strtoull(argv[3], NULL, 10);

  // Small operations are timed in batches and the median batch reported: the host (other work on
  // the same cores) preempts QEMU now and then, which a mean would spread over every call.
  // A system call that does nothing (getpid): the floor under every socket call in this VM.
  for (int b = 0; b < BATCHES; b++) {
    uint64_t t0 = vdos_time_ns();
    for (int i = 0; i < PER_BATCH; i++) vdos_syscall(SYS_GETPID, 0, 0, 0, 0, 0);
    samples[b] = vdos_time_ns() - t0;
  }
  printf("qemu_net: null_syscall_us %.2f\n", us(median(samples, BATCHES)) / PER_BATCH);

  // socket() and close() of TCP sockets, PER_BATCH of each per batch (below the per-program cap).
  static uint64_t close_samples[BATCHES];
  for (int b = 0; b < BATCHES; b++) {
    int fds[PER_BATCH];
    uint64_t t0 = vdos_time_ns();
    for (int i = 0; i < PER_BATCH; i++) fds[i] = socket(AF_INET, SOCK_STREAM, 0);
    uint64_t t1 = vdos_time_ns();
    for (int i = 0; i < PER_BATCH; i++) {
      if (fds[i] < 0) return die("socket");
      close(fds[i]);
    }
    close_samples[b] = vdos_time_ns() - t1;
    samples[b] = t1 - t0;
  }
  printf("qemu_net: socket_create_us %.2f\n", us(median(samples, BATCHES)) / PER_BATCH);
  printf("qemu_net: socket_close_us %.2f\n", us(median(close_samples, BATCHES)) / PER_BATCH);

  // connect(): the three-way handshake to Linux over TAP, as the caller waits for it.
  uint64_t t_conn = 0;
  for (int i = 0; i < ROUNDS_CONNECT; i++) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) return die("socket");
    peer.sin_port = htons(9000);
    uint64_t t0 = vdos_time_ns();
    if (connect(s, (struct sockaddr *)&peer, sizeof(peer)) < 0) return die("connect 9000");
    uint64_t d = vdos_time_ns() - t0;
    t_conn += d;
    samples[i] = d;
    close(s);
  }
  printf("qemu_net: connect_ms %.3f\n", us(t_conn) / 1e3 / ROUNDS_CONNECT);
  printf("qemu_net: connect_median_ms %.3f\n", us(median(samples, ROUNDS_CONNECT)) / 1e3);

  // getaddrinfo() of names never asked before (no cache hit): one DNS query to dnsmasq each.
  uint64_t t_dns = 0;
  for (int i = 0; i < ROUNDS_DNS; i++) {
    char name[128];
    snprintf(name, sizeof(name), "n%d.%s", i, argv[2]);
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *res;
    uint64_t t0 = vdos_time_ns();
    int g = getaddrinfo(name, "80", &hints, &res);
    t_dns += vdos_time_ns() - t0;
    if (g != 0) {
      printf("qemu_net: error getaddrinfo %s: %s\n", name, gai_strerror(g));
      return 1;
    }
    freeaddrinfo(res);
  }
  printf("qemu_net: dns_ms %.3f\n", us(t_dns) / 1e3 / ROUNDS_DNS);

  // Small messages: 64 bytes to the echo service and back. Reported as round trip / 2 and as
  // the cost of the send() call itself (the data only has to be queued).
  int e = dial(9001);
  if (e < 0) return die("connect 9001");
  int one = 1;
  setsockopt(e, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  uint64_t t_rt = 0;
  static uint64_t send_samples[ROUNDS_ECHO];
  memset(buf, 'x', SMALL_MSG);
  for (int i = 0; i < ROUNDS_ECHO; i++) {
    uint64_t t0 = vdos_time_ns();
    if (send(e, buf, SMALL_MSG, 0) != SMALL_MSG) return die("send");
    uint64_t t1 = vdos_time_ns();
    if (recv(e, buf, SMALL_MSG, MSG_WAITALL) != SMALL_MSG) return die("recv");
    uint64_t d = vdos_time_ns() - t0;
    t_rt += d;
    samples[i] = d;
    send_samples[i] = t1 - t0;
  }
  close(e);
  printf("qemu_net: echo_half_rtt_us %.2f\n", us(t_rt) / 2 / ROUNDS_ECHO);
  printf("qemu_net: echo_half_rtt_median_us %.2f\n", us(median(samples, ROUNDS_ECHO)) / 2);
  printf("qemu_net: send_call_us %.2f\n", us(median(send_samples, ROUNDS_ECHO)));

  // recv() of a 64-byte message that has arrived: the burst service sends BURST_MSGS of them at
  // once; once they are in the receive buffer, batches of PER_BATCH recv() calls are timed.
  int q = dial(9004);
  if (q < 0) return die("connect 9004");
  vdos_sleep_ms(300);  // 128 KB over TAP takes a few ms
  for (int b = 0; b < BURST_MSGS / PER_BATCH; b++) {
    uint64_t t0 = vdos_time_ns();
    for (int i = 0; i < PER_BATCH; i++) {
      if (recv(q, buf, SMALL_MSG, 0) != SMALL_MSG) return die("burst recv");
    }
    samples[b] = vdos_time_ns() - t0;
  }
  close(q);
  printf("qemu_net: recv_call_us %.2f\n", us(median(samples, BURST_MSGS / PER_BATCH)) / PER_BATCH);

  // Back-to-back 64-byte send() calls (TCP_NODELAY) to the sink: here the doorbell to QEMU that
  // announces the previous call's segment falls inside the next call.
  int w = dial(9002);
  if (w < 0) return die("connect 9002");
  setsockopt(w, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  for (int b = 0; b < BATCHES; b++) {
    uint64_t t0 = vdos_time_ns();
    for (int i = 0; i < PER_BATCH; i++) {
      if (send(w, buf, SMALL_MSG, 0) != SMALL_MSG) return die("stream send");
    }
    samples[b] = vdos_time_ns() - t0;
  }
  close(w);
  printf("qemu_net: send_stream_call_us %.2f\n", us(median(samples, BATCHES)) / PER_BATCH);

  // Bulk guest -> Linux: from connect to the sink's close (everything delivered and read).
  int k = dial(9002);
  if (k < 0) return die("connect 9002");
  memset(buf, 'b', sizeof(buf));
  uint64_t t0 = vdos_time_ns();
  for (unsigned long long sent = 0; sent < bulk;) {
    size_t n = bulk - sent < sizeof(buf) ? (size_t)(bulk - sent) : sizeof(buf);
    ssize_t w = send(k, buf, n, 0);
    if (w <= 0) return die("bulk send");
    sent += (unsigned long long)w;
  }
  shutdown(k, SHUT_WR);
  while (recv(k, buf, sizeof(buf), 0) > 0) {
  }
  double secs = (double)(vdos_time_ns() - t0) / 1e9;
  close(k);
  printf("qemu_net: bulk_tx_MBps %.2f\n", (double)bulk / secs / 1e6);

  // Bulk Linux -> guest: from connect to the end of the stream.
  int r = dial(9003);
  if (r < 0) return die("connect 9003");
  unsigned long long got = 0;
  t0 = vdos_time_ns();
  for (;;) {
    ssize_t n = recv(r, buf, sizeof(buf), 0);
    if (n < 0) return die("bulk recv");
    if (n == 0) break;
    got += (unsigned long long)n;
  }
  secs = (double)(vdos_time_ns() - t0) / 1e9;
  close(r);
  if (got != bulk) {
    printf("qemu_net: error bulk_rx got %llu of %llu bytes\n", got, bulk);
    return 1;
  }
  printf("qemu_net: bulk_rx_MBps %.2f\n", (double)got / secs / 1e6);
  puts("qemu_net: done");
  return 0;
}
