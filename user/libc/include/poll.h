// poll() over sockets and the console (fd 0). struct pollfd and the POLL* bits have the syscall
// ABI's layout and values, so the array goes to SYS_SOCKET_POLL unchanged.
#ifndef VDOS_POLL_H_
#define VDOS_POLL_H_

#ifdef __cplusplus
extern "C" {
#endif

struct pollfd {
  int fd;
  short events;
  short revents;
};

typedef unsigned int nfds_t;

#define POLLIN 0x001
#define POLLPRI 0x002
#define POLLOUT 0x004
#define POLLERR 0x008
#define POLLHUP 0x010
#define POLLNVAL 0x020
#define POLLRDNORM POLLIN
#define POLLWRNORM POLLOUT

int poll(struct pollfd *fds, nfds_t n, int timeout_ms);

#ifdef __cplusplus
}
#endif

#endif  // VDOS_POLL_H_
