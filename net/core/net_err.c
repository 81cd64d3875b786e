#include "net/core/net_err.h"

struct err_info {
  int err;
  int errno_value;
  const char *text;
};

// One table drives both the text and the errno mapping so they cannot drift apart.
static const struct err_info kErrors[] = {
    {NET_OK, 0, "success"},
    {NET_ERR_NOMEM, NET_ERRNO_ENOMEM, "out of memory"},
    {NET_ERR_INVAL, NET_ERRNO_EINVAL, "invalid argument"},
    {NET_ERR_WOULDBLOCK, NET_ERRNO_EAGAIN, "operation would block"},
    {NET_ERR_TIMEDOUT, NET_ERRNO_ETIMEDOUT, "timed out"},
    {NET_ERR_CONNREFUSED, NET_ERRNO_ECONNREFUSED, "connection refused"},
    {NET_ERR_CONNRESET, NET_ERRNO_ECONNRESET, "connection reset by peer"},
    {NET_ERR_HOSTUNREACH, NET_ERRNO_EHOSTUNREACH, "host unreachable"},
    {NET_ERR_NETUNREACH, NET_ERRNO_ENETUNREACH, "network unreachable"},
    {NET_ERR_ADDRINUSE, NET_ERRNO_EADDRINUSE, "address already in use"},
    {NET_ERR_NOTCONN, NET_ERRNO_ENOTCONN, "not connected"},
    {NET_ERR_ISCONN, NET_ERRNO_EISCONN, "already connected"},
    {NET_ERR_MSGSIZE, NET_ERRNO_EMSGSIZE, "message too long"},
    {NET_ERR_CLOSED, NET_ERRNO_ESHUTDOWN, "connection closed"},
    {NET_ERR_INPROGRESS, NET_ERRNO_EINPROGRESS, "operation in progress"},
    {NET_ERR_ALREADY, NET_ERRNO_EALREADY, "operation already in progress"},
    {NET_ERR_NOTFOUND, NET_ERRNO_ENOENT, "name not found"},
    {NET_ERR_NODATA, NET_ERRNO_ENODATA, "no address for name"},
    {NET_ERR_SERVFAIL, NET_ERRNO_EIO, "name server failure"},
    {NET_ERR_PROTO, NET_ERRNO_EPROTO, "protocol error"},
    {NET_ERR_ADDRNOTAVAIL, NET_ERRNO_EADDRNOTAVAIL, "address not available"},
    {NET_ERR_NOTSUP, NET_ERRNO_EOPNOTSUPP, "operation not supported"},
    {NET_ERR_IO, NET_ERRNO_EIO, "I/O error"},
    {NET_ERR_ABORTED, NET_ERRNO_ECONNABORTED, "connection aborted"},
    {NET_ERR_PIPE, NET_ERRNO_EPIPE, "broken pipe"},
    {NET_ERR_TTL, NET_ERRNO_EHOSTUNREACH, "time to live exceeded"},
    {NET_ERR_FRAGNEEDED, NET_ERRNO_EMSGSIZE, "fragmentation needed"},
};

static const struct err_info *find(int err) {
  for (unsigned i = 0; i < sizeof(kErrors) / sizeof(kErrors[0]); i++) {
    if (kErrors[i].err == err) return &kErrors[i];
  }
  return 0;
}

const char *net_strerror(int err) {
  const struct err_info *e = find(err);
  return e ? e->text : "unknown error";
}

int net_err_to_errno(int err) {
  if (err >= 0) return err;
  const struct err_info *e = find(err);
  return -(e ? e->errno_value : NET_ERRNO_EIO);
}
