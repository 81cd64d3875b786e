// A plain POSIX TCP echo server, written the way one is for Linux and compiled unchanged for the
// host (glibc) and for ViperDOS (picolibc + user/libc): it shows that the socket headers and
// calls are portable. Usage: echo_server PORT CONNECTIONS — serves CONNECTIONS clients one after
// another (poll with a 30 s idle limit), echoing everything, then exits 0.
#define _POSIX_C_SOURCE 200809L  // as portable code asks for getaddrinfo & co. under -std=c11

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define IDLE_MS 30000

static int serve(int c) {
  char buf[4096];
  long total = 0;
  for (;;) {
    struct pollfd p = {.fd = c, .events = POLLIN};
    int r = poll(&p, 1, IDLE_MS);
    if (r <= 0) {
      fprintf(stderr, "echo_server: %s\n", r == 0 ? "idle too long" : strerror(errno));
      return -1;
    }
    ssize_t n = recv(c, buf, sizeof(buf), 0);
    if (n < 0) {
      perror("echo_server: recv");
      return -1;
    }
    if (n == 0) break;
    for (ssize_t off = 0; off < n;) {
      ssize_t w = send(c, buf + off, (size_t)(n - off), 0);
      if (w < 0) {
        perror("echo_server: send");
        return -1;
      }
      off += w;
    }
    total += n;
  }
  printf("echo_server: echoed %ld bytes\n", total);
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: echo_server PORT CONNECTIONS\n");
    return 2;
  }
  struct addrinfo hints, *res;
  memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  int g = getaddrinfo(NULL, argv[1], &hints, &res);
  if (g != 0) {
    fprintf(stderr, "echo_server: %s\n", gai_strerror(g));
    return 1;
  }
  int s = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
  int one = 1;
  if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
      bind(s, res->ai_addr, res->ai_addrlen) < 0 || listen(s, SOMAXCONN) < 0) {
    perror("echo_server");
    return 1;
  }
  freeaddrinfo(res);
  printf("echo_server: listening on port %s\n", argv[1]);
  fflush(stdout);
  int rc = 0;
  for (int i = 0; i < atoi(argv[2]); i++) {
    struct sockaddr_in peer;
    socklen_t len = sizeof(peer);
    int c = accept(s, (struct sockaddr *)&peer, &len);
    if (c < 0) {
      perror("echo_server: accept");
      return 1;
    }
    char ip[INET_ADDRSTRLEN];
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    printf("echo_server: client %s:%u\n", inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof(ip)),
           ntohs(peer.sin_port));
    if (serve(c) < 0) rc = 1;
    close(c);
  }
  close(s);
  return rc;
}
