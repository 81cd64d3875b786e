// connect: an nc-style TCP tool for ViperDOS, built on the POSIX socket API of user/libc.
//
//   connect [options] HOST PORT     connect to HOST (a name or dotted quad) on PORT
//   connect -l PORT [options]       listen on PORT and accept one connection
//
// Without -s/-r it is interactive: console lines go to the peer, the peer's bytes to the console
// (poll over the console and the socket) until the peer closes. Scripted transfers for tests and
// measurements:
//   -s BYTES   send BYTES of the test pattern (byte i = i % 251), then half-close, and receive
//              until the peer closes; prints both counts and SHA-256 digests
//   -r         receive until the peer closes, sending nothing
//   -e CMD     run CMD (program and arguments, e.g. "netstat") once the connection is up
//   -E CMD     run CMD after the transfer, before the socket is closed
//   -w SECONDS give up when nothing moves for SECONDS (SO_RCVTIMEO/SO_SNDTIMEO and poll)
// Exit status: 0 success, 1 network failure, 2 bad usage.
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/wolfcrypt/sha256.h>

#include "user/libc/vdos.h"

// Test pattern period: a prime, so the pattern never lines up with power-of-two chunk sizes and
// a dropped or repeated chunk changes the digest.
#define PATTERN_PERIOD 251
#define CHUNK 16384
#define MAX_SEND_BYTES (1ull << 40)

static unsigned char pattern[CHUNK + PATTERN_PERIOD];
static unsigned char rxbuf[CHUNK];

struct options {
  int listen;
  const char *host;
  const char *port;
  int send_mode;
  unsigned long long send_bytes;
  int recv_mode;
  const char *run_open;
  const char *run_end;
  int timeout_ms;  // -1: no limit
};

static int usage(void) {
  puts("usage: connect [-s BYTES | -r] [-e CMD] [-E CMD] [-w SECONDS] HOST PORT");
  puts("       connect -l PORT [-s BYTES | -r] [-e CMD] [-E CMD] [-w SECONDS]");
  return 2;
}

static void addr_text(const struct sockaddr_in *in, char *buf, size_t cap) {
  char ip[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &in->sin_addr, ip, sizeof(ip));
  snprintf(buf, cap, "%s:%u", ip, ntohs(in->sin_port));
}

static void hex_digest(wc_Sha256 *sha, char out[65]) {
  unsigned char d[WC_SHA256_DIGEST_SIZE];
  wc_Sha256Final(sha, d);
  for (int i = 0; i < WC_SHA256_DIGEST_SIZE; i++) snprintf(out + 2 * i, 3, "%02x", d[i]);
}

// Runs CMD ("prog arg ...") as a child and waits for it; our sockets stay open meanwhile.
static void run_child(const char *cmd) {
  char copy[VDOS_ARG_MAX];
  if (strlen(cmd) >= sizeof(copy)) {
    printf("connect: command too long: %s\n", cmd);
    return;
  }
  strcpy(copy, cmd);
  char *argv[VDOS_ARGC_MAX + 1];
  int argc = 0;
  for (char *p = strtok(copy, " "); p && argc < VDOS_ARGC_MAX; p = strtok(NULL, " ")) {
    argv[argc++] = p;
  }
  argv[argc] = NULL;
  if (argc == 0) return;
  fflush(stdout);
  long pid = vdos_spawn(argv[0], (const char *const *)argv, argc);
  if (pid < 0) {
    printf("connect: cannot run %s: %s\n", argv[0], vdos_strerror(-pid));
    return;
  }
  int status = 0;
  vdos_wait((int)pid, &status);
  printf("connect: %s exited with status %d\n", argv[0], status);
}

static int set_timeouts(int fd, int timeout_ms) {
  if (timeout_ms < 0) return 0;
  struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
  if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0) {
    printf("connect: setsockopt: %s\n", strerror(errno));
    return -1;
  }
  return 0;
}

static int open_client(const struct options *o) {
  struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM};
  struct addrinfo *res;
  int g = getaddrinfo(o->host, o->port, &hints, &res);
  if (g != 0) {
    printf("connect: %s port %s: %s\n", o->host, o->port, gai_strerror(g));
    return -1;
  }
  int fd = -1;
  char peer[32];
  for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
    addr_text((struct sockaddr_in *)ai->ai_addr, peer, sizeof(peer));
    fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0) {
      printf("connect: socket: %s\n", strerror(errno));
      break;
    }
    if (set_timeouts(fd, o->timeout_ms) == 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
      break;
    }
    printf("connect: %s: %s\n", peer, strerror(errno));
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0) return -1;
  struct sockaddr_in local;
  socklen_t len = sizeof(local);
  char me[32] = "?";
  if (getsockname(fd, (struct sockaddr *)&local, &len) == 0) addr_text(&local, me, sizeof(me));
  printf("connect: connected to %s from %s\n", peer, me);
  return fd;
}

static int open_listener(const struct options *o, int *listen_fd) {
  uint16_t port = (uint16_t)atoi(o->port);
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) {
    printf("connect: socket: %s\n", strerror(errno));
    return -1;
  }
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
  a.sin_addr.s_addr = htonl(INADDR_ANY);
  if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 1) < 0) {
    printf("connect: port %u: %s\n", port, strerror(errno));
    close(s);
    return -1;
  }
  printf("connect: listening on 0.0.0.0:%u\n", port);
  struct sockaddr_in peer;
  socklen_t len = sizeof(peer);
  int c = accept(s, (struct sockaddr *)&peer, &len);
  if (c < 0) {
    printf("connect: accept: %s\n", strerror(errno));
    close(s);
    return -1;
  }
  char who[32];
  addr_text(&peer, who, sizeof(who));
  printf("connect: accepted connection from %s\n", who);
  *listen_fd = s;
  if (set_timeouts(c, o->timeout_ms) < 0) {
    close(c);
    return -1;
  }
  return c;
}

static double seconds_since(uint64_t t0) { return (double)(vdos_time_ns() - t0) / 1e9; }

// -s / -r: pattern out (optional), everything in until the peer closes; digests of both.
static int transfer(int fd, const struct options *o) {
  wc_Sha256 tx, rx;
  wc_InitSha256(&tx);
  wc_InitSha256(&rx);
  unsigned long long sent = 0, received = 0, to_send = o->send_mode ? o->send_bytes : 0;
  int wr_open = 1;
  if (o->send_mode && to_send == 0) {
    shutdown(fd, SHUT_WR);
    wr_open = 0;
  }
  uint64_t t0 = vdos_time_ns();
  double tx_done_s = 0;
  for (;;) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (sent < to_send) p.events |= POLLOUT;
    int r = poll(&p, 1, o->timeout_ms);
    if (r < 0) {
      printf("connect: poll: %s\n", strerror(errno));
      return 1;
    }
    if (r == 0) {
      printf("connect: nothing moved for %d ms (sent %llu, received %llu)\n", o->timeout_ms, sent,
             received);
      return 1;
    }
    if ((p.revents & POLLOUT) && sent < to_send) {
      unsigned long long left = to_send - sent;
      size_t n = left < CHUNK ? (size_t)left : CHUNK;
      const unsigned char *src = pattern + sent % PATTERN_PERIOD;
      ssize_t w = send(fd, src, n, MSG_DONTWAIT);
      if (w < 0 && errno != EAGAIN) {
        printf("connect: send after %llu bytes: %s\n", sent, strerror(errno));
        return 1;
      }
      if (w > 0) {
        wc_Sha256Update(&tx, src, (word32)w);
        sent += (unsigned long long)w;
        if (sent == to_send) {
          tx_done_s = seconds_since(t0);
          shutdown(fd, SHUT_WR);
          wr_open = 0;
        }
      }
    }
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = recv(fd, rxbuf, sizeof(rxbuf), MSG_DONTWAIT);
      if (n < 0 && errno != EAGAIN) {
        printf("connect: recv after %llu bytes: %s\n", received, strerror(errno));
        return 1;
      }
      if (n == 0) break;
      if (n > 0) {
        wc_Sha256Update(&rx, rxbuf, (word32)n);
        received += (unsigned long long)n;
      }
    }
  }
  double secs = seconds_since(t0);
  char hex[65];
  if (o->send_mode) {
    hex_digest(&tx, hex);
    printf("connect: sent %llu bytes sha256 %s in %.3f s (%.2f MB/s)\n", sent, hex, tx_done_s,
           tx_done_s > 0 ? (double)sent / tx_done_s / 1e6 : 0.0);
    if (sent < to_send) {
      printf("connect: peer closed after %llu of %llu bytes\n", sent, to_send);
      return 1;
    }
  }
  (void)wr_open;
  hex_digest(&rx, hex);
  printf("connect: received %llu bytes sha256 %s in %.3f s (%.2f MB/s)\n", received, hex, secs,
         secs > 0 ? (double)received / secs / 1e6 : 0.0);
  return 0;
}

// Interactive: console lines to the peer, peer bytes to the console.
static int interactive(int fd) {
  struct pollfd p[2] = {{.fd = fd, .events = POLLIN}, {.fd = 0, .events = POLLIN}};
  int nfds = 2;
  for (;;) {
    if (poll(p, (nfds_t)nfds, -1) < 0) {
      printf("connect: poll: %s\n", strerror(errno));
      return 1;
    }
    if (nfds == 2 && (p[1].revents & POLLIN)) {
      char line[512];
      ssize_t n = read(0, line, sizeof(line));
      if (n <= 0) {
        shutdown(fd, SHUT_WR);  // console closed: tell the peer, keep reading
        nfds = 1;
      }
      for (ssize_t off = 0; n > 0 && off < n;) {
        ssize_t w = send(fd, line + off, (size_t)(n - off), 0);
        if (w < 0) {
          printf("connect: send: %s\n", strerror(errno));
          return 1;
        }
        off += w;
      }
    }
    if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = recv(fd, rxbuf, sizeof(rxbuf), 0);
      if (n < 0) {
        printf("connect: recv: %s\n", strerror(errno));
        return 1;
      }
      if (n == 0) {
        puts("connect: connection closed by peer");
        return 0;
      }
      fflush(stdout);
      write(1, rxbuf, (size_t)n);
    }
  }
}

int main(int argc, char **argv) {
  struct options o = {.timeout_ms = -1};
  const char *pos[2];
  int npos = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] == '-' && a[1] && !a[2]) {
      int needs = strchr("lseEw", a[1]) != NULL;
      if (!strchr("lseEwr", a[1])) return usage();
      if (needs && ++i >= argc) return usage();
      char *end;
      switch (a[1]) {
        case 'l':
          o.listen = 1;
          o.port = argv[i];
          break;
        case 's':
          o.send_mode = 1;
          o.send_bytes = strtoull(argv[i], &end, 10);
          if (*end || end == argv[i] || o.send_bytes > MAX_SEND_BYTES) {
            printf("connect: bad byte count: %s\n", argv[i]);
            return 2;
          }
          break;
        case 'r':
          o.recv_mode = 1;
          break;
        case 'e':
          o.run_open = argv[i];
          break;
        case 'E':
          o.run_end = argv[i];
          break;
        case 'w': {
          long s = strtol(argv[i], &end, 10);
          if (*end || end == argv[i] || s < 1 || s > 3600) {
            printf("connect: bad timeout: %s (1..3600 seconds)\n", argv[i]);
            return 2;
          }
          o.timeout_ms = (int)(s * 1000);
          break;
        }
      }
    } else if (npos < 2) {
      pos[npos++] = a;
    } else {
      return usage();
    }
  }
  if (o.send_mode && o.recv_mode) return usage();
  if (o.listen ? npos != 0 : npos != 2) return usage();
  if (!o.listen) {
    o.host = pos[0];
    o.port = pos[1];
  }
  char *end;
  long port = strtol(o.port, &end, 10);
  if (*end || end == o.port || port < 1 || port > 65535) {
    printf("connect: bad port: %s\n", o.port);
    return 2;
  }
  for (size_t i = 0; i < sizeof(pattern); i++) pattern[i] = (unsigned char)(i % PATTERN_PERIOD);

  int listen_fd = -1;
  int fd = o.listen ? open_listener(&o, &listen_fd) : open_client(&o);
  if (fd < 0) return 1;
  if (o.run_open) run_child(o.run_open);
  int rc = (o.send_mode || o.recv_mode) ? transfer(fd, &o) : interactive(fd);
  if (o.run_end) run_child(o.run_end);
  close(fd);
  if (listen_fd >= 0) close(listen_fd);
  return rc;
}
