// socktest PEER: checks user/libc's POSIX socket layer from inside ViperDOS against Linux peers
// (tests/sockets scenario tap_libc): TCP echo on PEER:7007, UDP echo on PEER:7008, nothing on
// PEER:9. Each check prints "socktest: ok NAME" or "socktest: FAIL NAME: why"; the last line
// counts the failures. What it pins down: errno values and texts from real kernel errors, network
// byte order in every address that crosses the API, timeval timeouts, non-blocking connect with
// poll and SO_ERROR, UDP addresses, MSG_WAITALL, read/write on sockets, getaddrinfo's numeric and
// passive paths.
#define _POSIX_C_SOURCE 200809L  // the POSIX strerror_r (int result)

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "user/libc/vdos.h"

static int failures, checks;
static struct in_addr peer_ip;

#define CHECK(name, cond, ...)                             \
  do {                                                     \
    checks++;                                              \
    if (cond) {                                            \
      printf("socktest: ok %s\n", name);                   \
    } else {                                               \
      failures++;                                          \
      printf("socktest: FAIL %s: ", name);                 \
      printf(__VA_ARGS__);                                 \
      printf(" (errno %d: %s)\n", errno, strerror(errno)); \
    }                                                      \
  } while (0)

static struct sockaddr_in at(uint16_t port) {
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr = peer_ip};
  return a;
}

static int tcp_to(uint16_t port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = at(port);
  if (s >= 0 && connect(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
    close(s);
    return -1;
  }
  return s;
}

static void addresses(void) {
  struct in_addr in;
  char buf[INET_ADDRSTRLEN];
  CHECK("inet_pton", inet_pton(AF_INET, "10.0.2.15", &in) == 1 && ntohl(in.s_addr) == 0x0A00020F,
        "got %08x", (unsigned)ntohl(in.s_addr));
  CHECK("inet_pton rejects", inet_pton(AF_INET, "10.0.2", &in) == 0, "accepted 10.0.2");
  errno = 0;
  CHECK("inet_pton AF_INET6", inet_pton(10, "::1", &in) == -1 && errno == EAFNOSUPPORT, "no error");
  in.s_addr = htonl(0xC0A84D01);
  CHECK("inet_ntop", inet_ntop(AF_INET, &in, buf, sizeof(buf)) && !strcmp(buf, "192.168.77.1"),
        "got %s", buf);
  CHECK("inet_ntop short buffer", !inet_ntop(AF_INET, &in, buf, 8) && errno == ENOSPC, "no error");
  CHECK("inet_addr legacy", inet_addr("127.1") == htonl(0x7F000001), "got %08x",
        (unsigned)inet_addr("127.1"));
  CHECK("inet_addr invalid", inet_addr("1.2.3.4.5") == INADDR_NONE, "accepted");

  struct addrinfo hints = {.ai_family = AF_INET,
                           .ai_socktype = SOCK_STREAM,
                           .ai_flags = AI_PASSIVE},
                  *res = NULL;
  int g = getaddrinfo(NULL, "8080", &hints, &res);
  struct sockaddr_in *sa = res ? (struct sockaddr_in *)res->ai_addr : NULL;
  CHECK("getaddrinfo passive",
        g == 0 && sa && sa->sin_addr.s_addr == htonl(INADDR_ANY) && sa->sin_port == htons(8080) &&
            res->ai_protocol == IPPROTO_TCP,
        "g=%d", g);
  freeaddrinfo(res);
  hints.ai_flags = 0;
  hints.ai_socktype = 0;
  g = getaddrinfo("192.168.77.1", "53", &hints, &res);
  CHECK("getaddrinfo numeric, both types",
        g == 0 && res->ai_socktype == SOCK_STREAM && res->ai_next &&
            res->ai_next->ai_socktype == SOCK_DGRAM && !res->ai_next->ai_next &&
            ((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr == htonl(0xC0A84D01),
        "g=%d", g);
  if (g == 0) freeaddrinfo(res);
  g = getaddrinfo("peer.test", "7007", &hints, &res);
  CHECK("getaddrinfo name",
        g == 0 && ((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr == peer_ip.s_addr,
        "g=%d %s", g, gai_strerror(g));
  if (g == 0) freeaddrinfo(res);
  struct hostent *he = gethostbyname("peer.test");
  CHECK("gethostbyname",
        he && he->h_addrtype == AF_INET && he->h_length == 4 && !memcmp(he->h_addr, &peer_ip, 4) &&
            !he->h_addr_list[1],
        "he=%p", (void *)he);
  CHECK("gethostbyname NXDOMAIN", !gethostbyname("nosuch.test") && h_errno == HOST_NOT_FOUND,
        "h_errno %d", h_errno);
  g = getaddrinfo("nosuch.test", NULL, &hints, &res);
  CHECK("getaddrinfo NXDOMAIN", g == EAI_NONAME, "g=%d", g);
  g = getaddrinfo("peer.test", "http", &hints, &res);
  CHECK("getaddrinfo service name", g == EAI_SERVICE, "g=%d", g);
  char host[NI_MAXHOST], serv[NI_MAXSERV];
  struct sockaddr_in sin = at(7007);
  g = getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, sizeof(host), serv, sizeof(serv),
                  NI_NUMERICHOST | NI_NUMERICSERV);
  CHECK("getnameinfo", g == 0 && !strcmp(host, "192.168.77.1") && !strcmp(serv, "7007"),
        "g=%d %s %s", g, host, serv);
  g = getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, 4, NULL, 0, NI_NUMERICHOST);
  CHECK("getnameinfo overflow", g == EAI_OVERFLOW, "g=%d", g);
  CHECK("gai_strerror", !strcmp(gai_strerror(EAI_NONAME), "Name or service not known"), "%s",
        gai_strerror(EAI_NONAME));
}

static void errors(void) {
  errno = 0;
  int s = tcp_to(9);
  CHECK("connect refused", s < 0 && errno == ECONNREFUSED, "s=%d", s);
  CHECK("strerror", !strcmp(strerror(ECONNREFUSED), "connection refused"), "%s",
        strerror(ECONNREFUSED));
  char eb[64];
  CHECK("strerror_r", strerror_r(ETIMEDOUT, eb, sizeof(eb)) == 0 && !strcmp(eb, "timed out"), "%s",
        eb);
  char b[4];
  CHECK("recv on a closed fd", recv(40, b, 4, 0) == -1 && errno == EBADF, "no EBADF");
  CHECK("recv on the console", recv(1, b, 4, 0) == -1 && errno == ENOTSOCK, "no ENOTSOCK");
  CHECK("socket AF_INET6", socket(10, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT,
        "no EAFNOSUPPORT");
  s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = at(7007);
  a.sin_family = 10;
  CHECK("connect wrong family",
        connect(s, (struct sockaddr *)&a, sizeof(a)) == -1 && errno == EAFNOSUPPORT, "accepted");
  CHECK("connect short address", connect(s, (struct sockaddr *)&a, 4) == -1 && errno == EINVAL,
        "accepted");
  CHECK("send unconnected", send(s, "x", 1, 0) == -1 && errno == ENOTCONN, "no ENOTCONN");
  close(s);
}

static void tcp(void) {
  int s = tcp_to(7007);
  CHECK("connect by address", s >= 0, "connect failed");
  if (s < 0) return;
  struct sockaddr_in me, them;
  socklen_t ml = sizeof(me), tl = sizeof(them);
  CHECK("getpeername",
        getpeername(s, (struct sockaddr *)&them, &tl) == 0 && tl == sizeof(them) &&
            them.sin_port == htons(7007) && them.sin_addr.s_addr == peer_ip.s_addr,
        "port %u", ntohs(them.sin_port));
  CHECK("getsockname",
        getsockname(s, (struct sockaddr *)&me, &ml) == 0 &&
            me.sin_addr.s_addr == htonl(0xC0A84D02) && ntohs(me.sin_port) >= 49152,
        "%08x:%u", (unsigned)ntohl(me.sin_addr.s_addr), ntohs(me.sin_port));
  int one = 1, v = 0;
  socklen_t vl = sizeof(v);
  CHECK("TCP_NODELAY",
        setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0 &&
            getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, &vl) == 0 && v == 1,
        "v=%d", v);
  vl = sizeof(v);
  CHECK("SO_TYPE", getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &vl) == 0 && v == SOCK_STREAM, "v=%d", v);
  struct timeval tv = {.tv_sec = 0, .tv_usec = 300000}, back = {0};
  socklen_t bl = sizeof(back);
  CHECK("SO_RCVTIMEO timeval",
        setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0 &&
            getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &back, &bl) == 0 && back.tv_sec == 0 &&
            back.tv_usec == 300000,
        "%ld.%06ld", (long)back.tv_sec, (long)back.tv_usec);
  char buf[64];
  uint64_t t0 = vdos_time_ns();
  ssize_t n = recv(s, buf, sizeof(buf), 0);
  uint64_t ms = (vdos_time_ns() - t0) / 1000000;
  CHECK("recv times out", n == -1 && errno == EAGAIN && ms >= 250 && ms < 2000,
        "n=%ld after %lu ms", (long)n, (unsigned long)ms);
  tv.tv_usec = 1000000;
  CHECK("SO_RCVTIMEO bad timeval", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == -1,
        "accepted tv_usec 1000000");
  // write() and read() on a socket; MSG_WAITALL collects the echo even if it comes in pieces.
  static const char msg[] = "0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRS";
  fd_set rs, ws;
  FD_ZERO(&rs);
  FD_ZERO(&ws);
  FD_SET(s, &rs);
  FD_SET(s, &ws);
  struct timeval zero = {0};
  int sel = select(s + 1, &rs, &ws, NULL, &zero);
  CHECK("select: writable, nothing to read", sel == 1 && FD_ISSET(s, &ws) && !FD_ISSET(s, &rs),
        "sel=%d", sel);
  CHECK("write on a socket", write(s, msg, 64) == 64, "short write");
  FD_ZERO(&rs);
  FD_SET(s, &rs);
  struct timeval wait = {.tv_sec = 3};
  sel = select(s + 1, &rs, NULL, NULL, &wait);
  CHECK("select: the echo is readable", sel == 1 && FD_ISSET(s, &rs), "sel=%d", sel);
  n = recv(s, buf, 64, MSG_WAITALL);
  CHECK("recv MSG_WAITALL", n == 64 && !memcmp(buf, msg, 64), "n=%ld", (long)n);
  CHECK("send", send(s, msg, 10, MSG_NOSIGNAL) == 10, "short send");
  n = read(s, buf, 10);
  CHECK("read on a socket", n > 0 && !memcmp(buf, msg, (size_t)n), "n=%ld", (long)n);
  if (n > 0 && n < 10) recv(s, buf, (size_t)(10 - n), MSG_WAITALL);
  CHECK("MSG_PEEK unsupported", recv(s, buf, 1, MSG_PEEK) == -1 && errno == EOPNOTSUPP, "no error");
  CHECK("shutdown SHUT_WR", shutdown(s, SHUT_WR) == 0, "failed");
  CHECK("send after SHUT_WR", send(s, "x", 1, 0) == -1 && errno == EPIPE, "no EPIPE");
  tv.tv_sec = 5;
  tv.tv_usec = 0;
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  CHECK("end of stream after the peer's close", recv(s, buf, sizeof(buf), 0) == 0, "not 0");
  CHECK("close", close(s) == 0, "failed");
  CHECK("close twice", close(s) == -1 && errno == EBADF, "no EBADF");
}

static void nonblocking(void) {
  int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  struct sockaddr_in a = at(9);
  int r = connect(s, (struct sockaddr *)&a, sizeof(a));
  CHECK("non-blocking connect", r == -1 && errno == EINPROGRESS, "r=%d", r);
  struct pollfd p = {.fd = s, .events = POLLOUT};
  r = poll(&p, 1, 3000);
  int err = -1;
  socklen_t el = sizeof(err);
  getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &el);
  CHECK("poll + SO_ERROR after a refused connect",
        r == 1 && (p.revents & POLLERR) && err == ECONNREFUSED, "r=%d revents=%x err=%d", r,
        p.revents, err);
  close(s);
  s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  a = at(7007);
  connect(s, (struct sockaddr *)&a, sizeof(a));
  p.fd = s;
  p.events = POLLOUT;
  r = poll(&p, 1, 3000);
  el = sizeof(err);
  getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &el);
  CHECK("non-blocking connect completes", r == 1 && (p.revents & POLLOUT) && err == 0,
        "r=%d revents=%x err=%d", r, p.revents, err);
  char b[8];
  CHECK("recv would block", recv(s, b, sizeof(b), 0) == -1 && errno == EWOULDBLOCK, "no EAGAIN");
  int fl = fcntl(s, F_GETFL, 0);
  CHECK("fcntl F_GETFL O_NONBLOCK", fl >= 0 && (fl & O_NONBLOCK), "fl=%x", fl);
  CHECK("fcntl F_SETFL blocking",
        fcntl(s, F_SETFL, fl & ~O_NONBLOCK) == 0 && !(fcntl(s, F_GETFL, 0) & O_NONBLOCK),
        "still non-blocking");
  struct timeval tmo = {.tv_usec = 200000};
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo));
  uint64_t t0 = vdos_time_ns();
  ssize_t rn = recv(s, b, sizeof(b), 0);
  uint64_t waited = (vdos_time_ns() - t0) / 1000000;
  CHECK("blocking again after fcntl", rn == -1 && errno == EAGAIN && waited >= 150,
        "rn=%ld after %lu ms", (long)rn, (unsigned long)waited);
  CHECK("fcntl F_SETFL O_NONBLOCK",
        fcntl(s, F_SETFL, O_NONBLOCK) == 0 && recv(s, b, sizeof(b), 0) == -1 && errno == EAGAIN,
        "recv blocked or failed");
  CHECK("fcntl on a closed fd", fcntl(40, F_GETFL, 0) == -1 && errno == EBADF, "no EBADF");
  struct pollfd two[2] = {{.fd = s, .events = POLLIN}, {.fd = -1, .events = POLLIN}};
  CHECK("poll timeout", poll(two, 2, 100) == 0 && two[0].revents == 0, "ready");
  close(s);
}

static void udp(void) {
  int u = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = at(7008), from;
  socklen_t fl = sizeof(from);
  CHECK("sendto", sendto(u, "datagram", 8, 0, (struct sockaddr *)&a, sizeof(a)) == 8, "failed");
  struct timeval tv = {.tv_sec = 3};
  setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  char buf[32] = {0};
  ssize_t n = recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
  CHECK("recvfrom",
        n == 8 && !memcmp(buf, "datagram", 8) && fl == sizeof(from) && from.sin_family == AF_INET &&
            from.sin_port == htons(7008) && from.sin_addr.s_addr == peer_ip.s_addr,
        "n=%ld port %u", (long)n, ntohs(from.sin_port));
  CHECK("UDP connect", connect(u, (struct sockaddr *)&a, sizeof(a)) == 0, "failed");
  CHECK("UDP send connected", send(u, "again", 5, 0) == 5, "failed");
  n = recv(u, buf, sizeof(buf), 0);
  CHECK("UDP recv connected", n == 5 && !memcmp(buf, "again", 5), "n=%ld", (long)n);
  send(u, "peek", 4, 0);
  n = recv(u, buf, sizeof(buf), MSG_PEEK);
  ssize_t n2 = recv(u, buf + 8, sizeof(buf) - 8, 0);
  CHECK("UDP MSG_PEEK leaves the datagram queued",
        n == 4 && n2 == 4 && !memcmp(buf, "peek", 4) && !memcmp(buf + 8, "peek", 4), "n=%ld n2=%ld",
        (long)n, (long)n2);
  send(u, "one", 3, 0);
  uint64_t t0 = vdos_time_ns();
  n = recv(u, buf, sizeof(buf), MSG_WAITALL);
  uint64_t ms = (vdos_time_ns() - t0) / 1000000;
  // Not waiting for more datagrams until the 3 s timeout.
  CHECK("UDP MSG_WAITALL returns one datagram", n == 3 && !memcmp(buf, "one", 3) && ms < 1000,
        "n=%ld after %lu ms", (long)n, (unsigned long)ms);
  close(u);
}

int main(int argc, char **argv) {
  if (argc != 2 || inet_pton(AF_INET, argv[1], &peer_ip) != 1) {
    puts("usage: socktest PEER_IP");
    return 2;
  }
  addresses();
  errors();
  tcp();
  nonblocking();
  udp();
  printf("socktest: %d checks, %d failures\n", checks, failures);
  return failures ? 1 : 0;
}
