#include "kernel/net/sock_err.h"

#include "kernel/abi/syscalls.h"
#include "net/core/net_err.h"

long ksock_errno(long err) {
  if (err >= 0) return err;
  switch (err) {
    case NET_ERR_NOMEM:
      return -VDOS_ENOBUFS;  // a pool of the stack, not the program's memory
    case NET_ERR_INVAL:
      return -VDOS_EINVAL;
    case NET_ERR_WOULDBLOCK:
      return -VDOS_EAGAIN;
    case NET_ERR_TIMEDOUT:
      return -VDOS_ETIMEDOUT;
    case NET_ERR_CONNREFUSED:
      return -VDOS_ECONNREFUSED;
    case NET_ERR_CONNRESET:
      return -VDOS_ECONNRESET;
    case NET_ERR_HOSTUNREACH:
    case NET_ERR_TTL:  // the packet died on the way: the host is not reachable
      return -VDOS_EHOSTUNREACH;
    case NET_ERR_NETUNREACH:
      return -VDOS_ENETUNREACH;
    case NET_ERR_ADDRINUSE:
      return -VDOS_EADDRINUSE;
    case NET_ERR_NOTCONN:
    case NET_ERR_CLOSED:  // closed locally: for the socket that means "no connection"
      return -VDOS_ENOTCONN;
    case NET_ERR_ISCONN:
      return -VDOS_EISCONN;
    case NET_ERR_MSGSIZE:
    case NET_ERR_FRAGNEEDED:
      return -VDOS_EMSGSIZE;
    case NET_ERR_INPROGRESS:
      return -VDOS_EINPROGRESS;
    case NET_ERR_ALREADY:
      return -VDOS_EALREADY;
    case NET_ERR_NOTFOUND:
      return -VDOS_ENOENT;
    case NET_ERR_NODATA:
      return -VDOS_ENODATA;
    case NET_ERR_SERVFAIL:
    case NET_ERR_IO:
      return -VDOS_EIO;
    case NET_ERR_PROTO:  // the peer broke the protocol; the connection is gone
      return -VDOS_ECONNRESET;
    case NET_ERR_ADDRNOTAVAIL:
      return -VDOS_EADDRNOTAVAIL;
    case NET_ERR_NOTSUP:
      return -VDOS_EOPNOTSUPP;
    case NET_ERR_ABORTED:
      return -VDOS_ECONNABORTED;
    case NET_ERR_PIPE:
      return -VDOS_EPIPE;
    default:
      return -VDOS_EIO;
  }
}
